/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — SHA-256 (see include/flopgate/hash.h).
 *
 * libcrypto's SHA256_Init/Update/Final rather than EVP: EVP's first
 * digest loads and initialises OpenSSL 3's provider machinery (about
 * 1.5 ms of CPU here, a tenth of a one-run CI gate), while the
 * SHA-256 functions run the same code (SHA-NI where the CPU has it)
 * without it.  OpenSSL 3 marks them deprecated in favour of EVP; they
 * are in every OpenSSL 3 release, and should they go, this file is the
 * one place to change. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "flopgate/hash.h"

#include <openssl/sha.h>
#include <stdlib.h>

#include "flopgate/error.h"

struct fg_sha256_ctx {
	SHA256_CTX sha;
};

void fg_hex(const unsigned char *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = 0;
}

int fg_sha256_pair(const void *a, size_t a_length, const void *b,
		   size_t b_length, unsigned char out[32])
{
	SHA256_CTX ctx;

	if (!SHA256_Init(&ctx) ||
	    (a_length && !SHA256_Update(&ctx, a, a_length)) ||
	    (b_length && !SHA256_Update(&ctx, b, b_length)) ||
	    !SHA256_Final(out, &ctx))
		return FG_ENOMEM;
	return 0;
}

int fg_sha256_hex(const void *data, size_t length, char out[65])
{
	unsigned char digest[32];

	out[0] = 0;
	if (fg_sha256_pair(data, length, NULL, 0, digest))
		return FG_ENOMEM;
	fg_hex(digest, 32, out);
	return 0;
}

fg_sha256_ctx *fg_sha256_begin(void)
{
	fg_sha256_ctx *ctx = malloc(sizeof(*ctx));

	if (ctx && !SHA256_Init(&ctx->sha)) {
		free(ctx);
		ctx = NULL;
	}
	return ctx;
}

int fg_sha256_update(fg_sha256_ctx *ctx, const void *data, size_t length)
{
	return !length || SHA256_Update(&ctx->sha, data, length) ? 0
								: FG_ENOMEM;
}

int fg_sha256_end(fg_sha256_ctx *ctx, unsigned char out[32])
{
	int ok = SHA256_Final(out, &ctx->sha);

	free(ctx);
	return ok ? 0 : FG_ENOMEM;
}

void fg_sha256_free(fg_sha256_ctx *ctx)
{
	free(ctx);
}
