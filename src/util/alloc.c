/* alloc.c: allocation wrapper (see alloc.h). */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown;

void ckp_alloc_fail_after(long n) { fail_countdown = n; }

static int should_fail(void)
{
    if (fail_countdown <= 0) return 0;
    return --fail_countdown == 0;
}

void *ckp_malloc(size_t size)
{
    if (should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *ckp_calloc(size_t n, size_t size)
{
    if (should_fail()) return NULL;
    if (n == 0 || size == 0) return calloc(1, 1);
    return calloc(n, size);
}

void *ckp_realloc(void *p, size_t size)
{
    if (should_fail()) return NULL;
    return realloc(p, size ? size : 1);
}

char *ckp_strdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = ckp_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

void ckp_free(void *p) { free(p); }

int ckp_grow(void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap) return 0;
    long ncap = *cap > 0 ? *cap : 8;
    while (ncap < need) ncap *= 2;
    if (ncap > INT32_MAX || (size_t)ncap > SIZE_MAX / elem) return -1;
    void *p = ckp_realloc(*arr, (size_t)ncap * elem);
    if (!p) return -1;
    *arr = p;
    *cap = (int)ncap;
    return 0;
}
