/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — writing JSON fast (internal, not API).
 *
 * The bytes are exactly those jansson 2.14 writes for the same value with
 * FG_JSON_FLAGS | JSON_INDENT(2) (pretty: keys in insertion order, UTF-8
 * as it is) or FG_JSON_CANONICAL (canonical: keys sorted, compact, every
 * non-ASCII character escaped) -- reals with "%.17g" made to read as
 * reals, exponents without '+' or leading zeros -- but written straight
 * into one buffer: a run's document is written tens of thousands of times
 * in a stream, and jansson's writer hands every token to a callback.
 * tests/check_render.c holds the two to the same bytes.
 */
#ifndef FLOPGATE_JSON_WRITE_H
#define FLOPGATE_JSON_WRITE_H

#include <stddef.h>
#include <jansson.h>

typedef struct fg_jbuf {
	char *p;
	size_t len, cap;
	int failed;             /* out of memory, or a value that cannot
				 * be written (a non-finite real) */
} fg_jbuf;

enum { FG_JW_PRETTY, FG_JW_CANONICAL };

/* Appends v, `depth` levels deep for FG_JW_PRETTY (its lines after the
 * first indented as jansson indents a value at that depth).  Sets
 * b->failed on failure. */
void fg_jw_value(fg_jbuf *b, const json_t *v, int style, int depth);

/* Appends raw bytes. */
void fg_jw_bytes(fg_jbuf *b, const char *s, size_t n);

/* Frees the buffer's bytes (the struct is the caller's). */
void fg_jw_free(fg_jbuf *b);

#endif
