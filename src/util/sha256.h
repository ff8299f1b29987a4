/* sha256.h: SHA-256 (FIPS 180-4) of a buffer or a file, used to record the
 * exact input of a run in summary.json.  Self-contained, no dependency. */
#ifndef CKP_UTIL_SHA256_H
#define CKP_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "ckp/status.h"

typedef struct ckp_sha256 {
    uint32_t h[8];
    uint64_t n_bytes;      /* total length fed so far */
    unsigned char buf[64]; /* pending partial block */
    size_t n_buf;
} ckp_sha256;

/* Incremental interface: init, update any number of times, final. */
void ckp_sha256_init(ckp_sha256 *s);
void ckp_sha256_update(ckp_sha256 *s, const void *data, size_t len);
void ckp_sha256_final(ckp_sha256 *s, unsigned char digest[32]);

/* Lower-case hex digest of a buffer into hex[65] (NUL-terminated). */
void ckp_sha256_hex(const void *data, size_t len, char hex[65]);

/* Hex digest of a whole file; CKP_EIO when it cannot be read. */
ckp_status ckp_sha256_file(const char *path, char hex[65]);

#endif
