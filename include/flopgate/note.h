/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — signed notes (C2SP signed-note) over audit checkpoints.
 *
 * A signed note is a text ending in a newline, a blank line, and one or
 * more signature lines "— NAME BASE64(key id || signature)\n" (U+2014 em
 * dash).  flopgate signs with Ed25519 only: the key id is the first four
 * bytes, big-endian, of SHA-256(NAME || 0x0A || 0x01 || 32-byte public
 * key), and the signature is Ed25519 (RFC 8032) over the note text, its
 * final newline included.  Keys are PEM files as `openssl genpkey
 * -algorithm ed25519` writes them (and `openssl pkey -pubout` for the
 * public half).  All the cryptography is OpenSSL's libcrypto.
 *
 * Errors: FG_EIO when a key file cannot be read, FG_EINPUT when it holds
 * no Ed25519 key, FG_EINTEGRITY when a note is not signed by the given key
 * (no signature line of that key, a bad signature, a malformed note).
 */
#ifndef FLOPGATE_NOTE_H
#define FLOPGATE_NOTE_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The key name flopgate signs checkpoints with.  C2SP signed-note forbids
 * spaces in key names, so it cannot be the checkpoint's origin line
 * ("flopgate audit log"). */
#define FG_NOTE_KEY_NAME "flopgate-audit-log"

/* Signs text (which must end in a newline and hold no blank line at its
 * end) with the Ed25519 private key in the PEM file key_path, as key
 * FG_NOTE_KEY_NAME.  *note_out (owned, free()) is text, a blank line and
 * one signature line.  On error *note_out is NULL. */
FG_API int fg_note_sign(char **note_out, const char *text, const char *key_path,
			fg_error *err);

/* Verifies that note is signed by the Ed25519 public key in the PEM file
 * pub_path (a private key file is accepted too: its public half is used)
 * under FG_NOTE_KEY_NAME.  Signature lines of other keys are ignored, as
 * the spec says; a line of this key that does not verify fails the note.
 * On success *text_length is the length of the note text (up to and
 * including its last newline before the blank line). */
FG_API int fg_note_verify(size_t *text_length, const char *note,
			  const char *pub_path, fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
