/* clock.h: the library's two clocks, in seconds as doubles: the
 * monotonic wall clock (durations, deadlines) and the process's CPU time
 * (cpu_* figures of a run).  Internal: not installed. */
#ifndef CKP_UTIL_CLOCK_H
#define CKP_UTIL_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: only differences mean anything. */
double ckp_clock_wall(void);
/* CPU seconds used by this process so far (CLOCK_PROCESS_CPUTIME_ID). */
double ckp_clock_cpu(void);

#endif
