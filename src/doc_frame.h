/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — run documents kept as LZ4 frames (internal, not API).
 *
 * From schema version 8 the store keeps each run's document (its JSON
 * text) as one LZ4 frame (the format of the `lz4` tool: lz4 -d reads it)
 * whose header gives the text's length.  The frame is what the audit
 * chain hashes; the text is what readers get back.
 */
#ifndef FLOPGATE_DOC_FRAME_H
#define FLOPGATE_DOC_FRAME_H

#include <stddef.h>

#include "json_write.h"

/* The longest text a frame may give back: a frame that says more is
 * refused before anything is allocated. */
#define FG_FRAME_MAX_TEXT ((size_t)256 << 20)

/* Replaces out's bytes with the frame of text[0..len).  Sets out->failed
 * and returns -1 when memory runs out. */
int fg_frame_pack(fg_jbuf *out, const char *text, size_t len);

/* The text of one whole frame, NUL-terminated, into *text (malloc'd, the
 * caller's) and *len.  0; -1 when the bytes are not exactly one frame
 * that states its length (at most FG_FRAME_MAX_TEXT) and gives that many
 * bytes; -2 when memory runs out. */
int fg_frame_unpack(const void *frame, size_t size, char **text,
		    size_t *len);

#endif
