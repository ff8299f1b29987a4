/* alloc.h: the one allocation wrapper of the library.  In test builds
 * ckp_alloc_fail_after(n) makes the n-th next allocation fail, so the
 * tests can exercise out-of-memory paths. */
#ifndef CKP_UTIL_ALLOC_H
#define CKP_UTIL_ALLOC_H

#include <stddef.h>

void *ckp_malloc(size_t size);
void *ckp_calloc(size_t n, size_t size);
void *ckp_realloc(void *p, size_t size);
char *ckp_strdup(const char *s);    /* NULL in, NULL out */
void ckp_free(void *p);

/* Grow *arr (element size elem) so that it holds at least need elements;
 * *cap is updated.  Returns 0 on success, -1 on allocation failure (the
 * array is then unchanged). */
int ckp_grow(void **arr, int *cap, int need, size_t elem);

/* Test hook: make the n-th allocation from now fail (1 = the next);
 * 0 disables.  Always compiled (one branch per allocation) so the test
 * suite can drive every out-of-memory path of the real library. */
void ckp_alloc_fail_after(long n);

#endif
