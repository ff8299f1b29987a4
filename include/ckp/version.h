/* version.h: the library's version, the one place it is written.  CMake
 * reads CKP_VERSION_MAJOR/MINOR/PATCH from this file for project(), so the
 * package version, the shared library's SONAME, chokepoint.pc and the
 * CMake package all follow it.  ckp_version() is the version of the
 * library actually linked, CKP_VERSION_STRING the one compiled against. */
#ifndef CKP_VERSION_H
#define CKP_VERSION_H

#include "ckp/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CKP_VERSION_MAJOR 0
#define CKP_VERSION_MINOR 1
#define CKP_VERSION_PATCH 0

#define CKP_VERSION_STR_(x) #x
#define CKP_VERSION_XSTR_(x) CKP_VERSION_STR_(x)
/* "MAJOR.MINOR.PATCH", e.g. "0.1.0" */
#define CKP_VERSION_STRING                                                   \
    CKP_VERSION_XSTR_(CKP_VERSION_MAJOR) "." CKP_VERSION_XSTR_(               \
        CKP_VERSION_MINOR) "." CKP_VERSION_XSTR_(CKP_VERSION_PATCH)

/* The linked library's version, "MAJOR.MINOR.PATCH"; never NULL. */
CKP_API const char *ckp_version(void);

#ifdef __cplusplus
}
#endif

#endif
