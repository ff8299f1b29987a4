/* version.c: ckp_version(), the version of the library as built. */
#include "ckp/version.h"

const char *ckp_version(void) { return CKP_VERSION_STRING; }
