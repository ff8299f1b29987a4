/* export.h: CKP_API, the mark of the public API.  The library is compiled
 * with -fvisibility=hidden, so a function is exported from libckp.so only
 * when its declaration in include/ckp/ carries CKP_API; every other
 * function, public in C terms or not, stays inside the library.  Every
 * public declaration carries CKP_API (docs/architecture.md), and a test
 * (symbols_exported) fails on any exported name that is not ckp_*. */
#ifndef CKP_EXPORT_H
#define CKP_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define CKP_API __attribute__((visibility("default")))
#else
#define CKP_API
#endif

#endif
