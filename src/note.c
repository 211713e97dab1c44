/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — signed notes (see include/flopgate/note.h; the format is
 * C2SP signed-note, with Ed25519 signatures). */
#include "flopgate/note.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#define EM_DASH "\xE2\x80\x94"   /* U+2014 */
#define KEY_ID_SIZE 4
#define SIG_SIZE 64
#define MAX_KEY_FILE (64u << 10)
/* The spec asks verifiers to accept at least 16 signatures. */
#define MAX_SIGNATURES 64

/* Reads a key file whole; refuses anything but a regular file before it
 * could block (a FIFO). */
static int read_key_file(char **out, size_t *length, const char *path,
			 fg_error *err)
{
	struct stat st;
	char *text = NULL;
	ssize_t got;
	size_t n = 0;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot read the "
				    "key: %s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uintmax_t)st.st_size > MAX_KEY_FILE) {
		close(fd);
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "not a key "
				    "file (a regular PEM file of at most %u "
				    "bytes)", MAX_KEY_FILE);
	}
	if (!(text = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	while (n < (size_t)st.st_size &&
	       (got = read(fd, text + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	text[n] = 0;
	*out = text;
	*length = n;
	return 0;
}

/* Loads an Ed25519 key from PEM: a private key when want_private, else a
 * public key (or the public half of a private key). */
static int load_key(EVP_PKEY **out, const char *path, int want_private,
		    fg_error *err)
{
	char *text = NULL;
	size_t length = 0;
	BIO *bio = NULL;
	EVP_PKEY *key = NULL;
	int rc;

	*out = NULL;
	if ((rc = read_key_file(&text, &length, path, err)) < 0)
		return rc;
	bio = BIO_new_mem_buf(text, (int)length);
	if (bio && !want_private)
		key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	if (bio && !key && BIO_reset(bio) == 1)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(text);
	if (!key)
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "holds no %s "
				    "key in PEM form (make one with `openssl "
				    "genpkey -algorithm ed25519`)",
				    want_private ? "private" : "public");
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "the key is "
				    "not an Ed25519 key");
	}
	*out = key;
	return 0;
}

/* key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4] */
static int key_id(unsigned char id[KEY_ID_SIZE], EVP_PKEY *key)
{
	unsigned char buf[sizeof(FG_NOTE_KEY_NAME) + 1 + 32], digest[32];
	size_t n = sizeof(FG_NOTE_KEY_NAME) - 1, pub_len = 32;

	memcpy(buf, FG_NOTE_KEY_NAME, n);
	buf[n++] = 0x0A;
	buf[n++] = 0x01;
	if (EVP_PKEY_get_raw_public_key(key, buf + n, &pub_len) != 1 ||
	    pub_len != 32 ||
	    EVP_Digest(buf, n + 32, digest, NULL, EVP_sha256(), NULL) != 1)
		return -1;
	memcpy(id, digest, KEY_ID_SIZE);
	return 0;
}

/* 0 when note is valid UTF-8 without control characters other than
 * newline (the spec's condition on every note). */
static int well_formed(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;

	while (i < n) {
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7F)
				return -1;
			i++;
			continue;
		}
		len = s[i] >= 0xF0 && s[i] <= 0xF4 ? 4
		    : s[i] >= 0xE0 ? 3 : s[i] >= 0xC2 && s[i] < 0xE0 ? 2 : 0;
		if (!len || len > n - i)
			return -1;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
		i += len;
	}
	return 0;
}

int fg_note_sign(char **note_out, const char *text, const char *key_path,
		 fg_error *err)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char blob[KEY_ID_SIZE + SIG_SIZE];
	unsigned char b64[((KEY_ID_SIZE + SIG_SIZE + 2) / 3) * 4 + 1];
	size_t sig_len = SIG_SIZE, n = strlen(text), size;
	char *note;
	int rc;

	*note_out = NULL;
	if (!n || text[n - 1] != '\n' || (n >= 2 && text[n - 2] == '\n') ||
	    well_formed((const unsigned char *)text, n))
		return fg_error_set(err, FG_EUSAGE, NULL, 0, 0, "a note's text "
				    "is UTF-8 without control characters and "
				    "ends in one newline");
	if ((rc = load_key(&key, key_path, 1, err)) < 0)
		return rc;
	ctx = EVP_MD_CTX_new();
	if (!ctx || key_id(blob, key) ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, blob + KEY_ID_SIZE, &sig_len,
			   (const unsigned char *)text, n) != 1 ||
	    sig_len != SIG_SIZE) {
		rc = fg_error_set(err, FG_EINPUT, key_path, 0, 0,
				  "cannot sign with this key");
		goto done;
	}
	EVP_EncodeBlock(b64, blob, sizeof(blob));
	size = n + 1 + sizeof(EM_DASH " " FG_NOTE_KEY_NAME " ") + sizeof(b64)
	       + 1;
	if (!(note = malloc(size))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	snprintf(note, size, "%s\n" EM_DASH " " FG_NOTE_KEY_NAME " %s\n", text,
		 (const char *)b64);
	*note_out = note;
	rc = 0;
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}

static int not_signed(fg_error *err, const char *why)
{
	return fg_error_set(err, FG_EINTEGRITY, NULL, 0, 0,
			    "checkpoint signature: %s", why);
}

int fg_note_verify(size_t *text_length, const char *note,
		   const char *pub_path, fg_error *err)
{
	static const char prefix[] = EM_DASH " " FG_NOTE_KEY_NAME " ";
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char id[KEY_ID_SIZE], blob[KEY_ID_SIZE + SIG_SIZE + 3];
	unsigned char again[((KEY_ID_SIZE + SIG_SIZE + 2) / 3) * 4 + 1];
	const char *sep = NULL, *p, *line, *end;
	size_t n = strlen(note), text_len, b64_len, lines = 0;
	int rc, verified = 0;

	*text_length = 0;
	if ((rc = load_key(&key, pub_path, 0, err)) < 0)
		return rc;
	if (key_id(id, key)) {
		rc = fg_error_set(err, FG_EINPUT, pub_path, 0, 0,
				  "cannot use this key");
		goto done;
	}
	if (well_formed((const unsigned char *)note, n)) {
		rc = not_signed(err, "the note is not UTF-8 text");
		goto done;
	}
	/* The text ends at the last blank line. */
	for (p = note; (p = strstr(p, "\n\n")); p++)
		sep = p;
	if (!sep || n == 0 || note[n - 1] != '\n') {
		rc = not_signed(err, "the checkpoint is not signed (no blank "
				"line before signature lines)");
		goto done;
	}
	text_len = (size_t)(sep - note) + 1;
	if (!(ctx = EVP_MD_CTX_new())) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (line = sep + 2; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (++lines > MAX_SIGNATURES ||
		    strncmp(line, EM_DASH " ", sizeof(EM_DASH))) {
			rc = not_signed(err, "a line after the blank line is "
					"not a signature line");
			goto done;
		}
		/* Another key's line, by name: ignored. */
		if (strncmp(line, prefix, sizeof(prefix) - 1))
			continue;
		p = line + sizeof(prefix) - 1;
		b64_len = (size_t)(end - p);
		if (b64_len != sizeof(again) - 1 ||
		    EVP_DecodeBlock(blob, (const unsigned char *)p,
				    (int)b64_len) != (int)(b64_len / 4 * 3)) {
			rc = not_signed(err, "a signature line of "
					FG_NOTE_KEY_NAME " is malformed");
			goto done;
		}
		EVP_EncodeBlock(again, blob, KEY_ID_SIZE + SIG_SIZE);
		if (memcmp(again, p, b64_len)) {
			rc = not_signed(err, "a signature line of "
					FG_NOTE_KEY_NAME " is malformed");
			goto done;
		}
		/* Same name, another key id: another key, ignored. */
		if (memcmp(blob, id, KEY_ID_SIZE))
			continue;
		if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1 ||
		    EVP_DigestVerify(ctx, blob + KEY_ID_SIZE, SIG_SIZE,
				     (const unsigned char *)note,
				     text_len) != 1) {
			rc = not_signed(err, "the signature does not verify: "
					"the checkpoint was changed after it "
					"was signed");
			goto done;
		}
		verified = 1;
	}
	if (!verified) {
		rc = not_signed(err, "no signature by this key (" FG_NOTE_KEY_NAME
				"): signed with another key, or not at all");
		goto done;
	}
	*text_length = text_len;
	rc = 0;
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}
