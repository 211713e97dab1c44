/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — SHA-256 through OpenSSL libcrypto (never hand-written). */
#ifndef FLOPGATE_HASH_H
#define FLOPGATE_HASH_H

#include "flopgate/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hex SHA-256 of data into out (65 bytes with the NUL).  Returns 0, or
 * FG_ENOMEM when libcrypto cannot allocate; out is then "". */
FG_API int fg_sha256_hex(const void *data, size_t length, char out[65]);

/* Raw SHA-256 of a || b (either may be empty) into out[32]. */
FG_API int fg_sha256_pair(const void *a, size_t a_length, const void *b,
			  size_t b_length, unsigned char out[32]);

/* SHA-256 over data given in pieces.  fg_sha256_begin is NULL when out
 * of memory; fg_sha256_update and fg_sha256_end return 0 or FG_ENOMEM;
 * fg_sha256_end frees the context whatever it returns. */
typedef struct fg_sha256_ctx fg_sha256_ctx;
FG_API fg_sha256_ctx *fg_sha256_begin(void);
FG_API int fg_sha256_update(fg_sha256_ctx *ctx, const void *data,
			    size_t length);
FG_API int fg_sha256_end(fg_sha256_ctx *ctx, unsigned char out[32]);
/* NULL-safe, without a result. */
FG_API void fg_sha256_free(fg_sha256_ctx *ctx);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
FG_API void fg_hex(const unsigned char *bytes, size_t n, char *out);

#ifdef __cplusplus
}
#endif

#endif
