/* clock.c: the monotonic wall clock and the process CPU clock (see
 * clock.h). */
#include "util/clock.h"

#include <time.h>

static double seconds_of(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

double ckp_clock_wall(void) { return seconds_of(CLOCK_MONOTONIC); }

double ckp_clock_cpu(void) { return seconds_of(CLOCK_PROCESS_CPUTIME_ID); }
