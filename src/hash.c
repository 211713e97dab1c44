/* flopgate — SHA-256 (see include/flopgate/hash.h). */
#include "flopgate/hash.h"

#include <openssl/evp.h>

#include "flopgate/error.h"

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
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (!ctx)
		return FG_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     (!a_length || EVP_DigestUpdate(ctx, a, a_length)) &&
	     (!b_length || EVP_DigestUpdate(ctx, b, b_length)) &&
	     EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	return ok && n == 32 ? 0 : FG_ENOMEM;
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
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return (fg_sha256_ctx *)ctx;
}

int fg_sha256_update(fg_sha256_ctx *ctx, const void *data, size_t length)
{
	return !length || EVP_DigestUpdate((EVP_MD_CTX *)ctx, data, length)
		       ? 0 : FG_ENOMEM;
}

int fg_sha256_end(fg_sha256_ctx *ctx, unsigned char out[32])
{
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex((EVP_MD_CTX *)ctx, out, &n);

	EVP_MD_CTX_free((EVP_MD_CTX *)ctx);
	return ok && n == 32 ? 0 : FG_ENOMEM;
}

void fg_sha256_free(fg_sha256_ctx *ctx)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)ctx);
}
