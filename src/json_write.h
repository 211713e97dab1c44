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

/* json_dumps(v, flags)'s text in memory from malloc, to be freed with
 * free() whatever allocator jansson was given (fg_json_pool_install):
 * NULL when out of memory or v cannot be written. */
char *fg_json_dumps(const json_t *v, size_t flags);

/* ---- writing a document as it is made ---------------------------------
 *
 * The run documents of a stream are made this way, straight from the
 * model, by one set of calls: as compact text (the bytes jansson's
 * json_dumps(FG_JSON_FLAGS | JSON_COMPACT) gives the same value) or as a
 * jansson tree for the renderers that walk one; keys in the order they
 * are written, UTF-8 as it is, reals and strings as fg_jw_value writes
 * them.  A writer never fails alone: out of memory and a non-finite real
 * set b->failed, which the caller checks once. */
#define FG_JW_DEPTH 32              /* deeper than any document */
typedef struct fg_jw {
	fg_jbuf *b;
	unsigned depth;             /* of the value being written (0: top) */
	int after_key;              /* the next value is a member's */
	unsigned long long more;    /* bit d: level d holds a value */
	/* a tree writer's: the containers open at each depth, the top
	 * value, the key of the next member, and b's own buffer (only its
	 * failed flag is used) */
	int tree;
	json_t *open[FG_JW_DEPTH + 1];
	json_t *root;
	const char *key;
	fg_jbuf own;
} fg_jw;

/* A compact writer appending to b (which it does not own). */
void fg_jw_start(fg_jw *w, fg_jbuf *b);
/* A writer of a jansson tree, which fg_jw_tree hands over. */
void fg_jw_start_tree(fg_jw *w);
/* The tree written (a new reference), NULL when the writer failed. */
json_t *fg_jw_tree(fg_jw *w);
void fg_jw_object(fg_jw *w);              /* '{': a value, then members */
void fg_jw_array(fg_jw *w);               /* '[' */
void fg_jw_close(fg_jw *w, char close);   /* '}' or ']' */
void fg_jw_key(fg_jw *w, const char *key);
/* fg_jw_key, fg_jw_kstring and fg_jw_kbool of a key whose length is
 * given and whose bytes need no escape, a name the code spells out:
 * FG_JW_LIT("name") gives both, and only a string literal compiles.  A
 * document has some 250 keys a run, each scanned byte by byte else. */
#define FG_JW_LIT(lit) "" lit, (sizeof(lit) - 1)
void fg_jw_key_n(fg_jw *w, const char *key, size_t len);
void fg_jw_kstring_n(fg_jw *w, const char *key, size_t len, const char *s);
void fg_jw_kbool_n(fg_jw *w, const char *key, size_t len, int v);
void fg_jw_string(fg_jw *w, const char *s);      /* NULL: null */
void fg_jw_real(fg_jw *w, double v);
void fg_jw_integer(fg_jw *w, long long v);
void fg_jw_bool(fg_jw *w, int v);
void fg_jw_null(fg_jw *w);
/* A member: its key, then the value. */
void fg_jw_kstring(fg_jw *w, const char *key, const char *s);
void fg_jw_kbool(fg_jw *w, const char *key, int v);

#endif
