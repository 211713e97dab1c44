/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the checkpoint parser and the signed-note verifier
 * (the two parsers that read what an auditor hands in).  The parser must
 * either refuse with a line number or give a size >= 0 and the hash whose
 * canonical base64 was on line 3; the verifier, against a fixed key, must
 * never accept a note it did not sign, and must accept what it signed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flopgate/note.h"
#include "flopgate/store.h"

/* An Ed25519 key made for this target only (RFC 8032 test key 1). */
static const char private_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
	"-----END PRIVATE KEY-----\n";
static char key_path[64];

/* libFuzzer ends a timed run with exit(): the key goes with it. */
static void remove_key(void)
{
	unlink(key_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f;
	int fd;

	(void)argc;
	(void)argv;
	snprintf(key_path, sizeof(key_path), "/tmp/fuzz-note-key-XXXXXX");
	fd = mkstemp(key_path);
	if (fd < 0 || !(f = fdopen(fd, "w")) || fputs(private_pem, f) < 0 ||
	    fclose(f) || atexit(remove_key))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_checkpoint cp;
	fg_error err;
	char *text, *note = NULL;
	size_t length;
	int rc;

	if (size > 1 << 14)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	fg_error_clear(&err);
	rc = fg_checkpoint_parse(&cp, text, &err);
	if (rc && (rc != FG_EINPUT || err.line < 1 || err.line > 3))
		abort();
	if (!rc && cp.size < 0)
		abort();
	/* A note the fuzzer wrote is never signed by our key (forging an
	 * Ed25519 signature is not what a fuzzer finds); one we signed
	 * always verifies, and its text is what was signed. */
	rc = fg_note_verify(&length, text, key_path, &err);
	if (rc == 0)
		abort();
	if (size && text[size - 1] == '\n' && strlen(text) == size &&
	    (size < 2 || text[size - 2] != '\n') &&
	    fg_note_sign(&note, text, key_path, &err) == 0) {
		if (fg_note_verify(&length, note, key_path, &err) != 0 ||
		    length != size || memcmp(note, text, size))
			abort();
		free(note);
	}
	free(text);
	return 0;
}
