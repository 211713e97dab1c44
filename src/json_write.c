/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — writing JSON fast (see src/json_write.h). */
#include "json_write.h"

#include "dtoa.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows the buffer to hold n more bytes (the slow path of room()). */
static int grow(fg_jbuf *b, size_t n)
{
	char *grown;
	size_t cap;

	if (b->failed)
		return -1;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	if (!(grown = realloc(b->p, cap))) {
		b->failed = 1;
		return -1;
	}
	b->p = grown;
	b->cap = cap;
	return 0;
}

/* Room for n more bytes: 0, or -1 (b->failed set) when there is none. */
static inline int room(fg_jbuf *b, size_t n)
{
	if (b->len + n <= b->cap && !b->failed)
		return 0;
	return grow(b, n);
}

/* memcpy for the short texts a document is mostly made of (keys, ids,
 * dates), without a call: two copies of a fixed size that overlap in the
 * middle, reading no byte outside s[0..n). */
static inline void copy_short(char *d, const char *s, size_t n)
{
	if (n >= 16 && n <= 32) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8 && n < 16) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n > 0 && n < 4) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n) {
		memcpy(d, s, n);
	}
}

void fg_jw_bytes(fg_jbuf *b, const char *s, size_t n)
{
	if (!n || room(b, n))
		return;
	copy_short(b->p + b->len, s, n);
	b->len += n;
}

static inline void put_char(fg_jbuf *b, char c)
{
	if (room(b, 1))
		return;
	b->p[b->len++] = c;
}

void fg_jw_free(fg_jbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Writes `n` spaces at p, which has room for INDENT_SLACK more than n:
 * whole blocks of a constant size, which the compiler writes without a
 * call (an indentation is a few bytes, and there is one per line). */
#define INDENT_SLACK 16
static char *indent(char *p, size_t n)
{
	static const char spaces[INDENT_SLACK] = "                ";
	size_t i;

	for (i = 0; i < n; i += INDENT_SLACK)
		memcpy(p + i, spaces, INDENT_SLACK);
	return p + n;
}

static void newline(fg_jbuf *b, int depth)
{
	size_t n = 1 + 2 * (size_t)depth;

	if (room(b, n + INDENT_SLACK))
		return;
	b->p[b->len] = '\n';
	indent(b->p + b->len + 1, n - 1);
	b->len += n;
}

/* Which bytes end a run of bytes copied as they are: 1 for '"', '\\' and
 * the controls; 2 for the bytes of non-ASCII characters, which only the
 * canonical style escapes.  A table, because strings are most of what a
 * document is and a test per byte is most of writing them. */
static const unsigned char stops[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static void put_hex4(char *out, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";

	out[0] = '\\';
	out[1] = 'u';
	out[2] = hex[v >> 12 & 15];
	out[3] = hex[v >> 8 & 15];
	out[4] = hex[v >> 4 & 15];
	out[5] = hex[v & 15];
}

/* A string as jansson escapes it: '"' and '\\', \b \f \n \r \t, other
 * controls as \u00XX; with ascii, every code point above 0x7F as \uXXXX
 * (upper-case hex, surrogate pairs above U+FFFF). */
static void put_string(fg_jbuf *b, const char *s, size_t len, int ascii)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	unsigned char stop = ascii ? 3 : 1;
	char u[12];
	unsigned cp, n, i;

	/* most strings need no escape: the quotes and the bytes at once */
	for (run = p; run < end && !(stops[*run] & stop); run++)
		;
	if (run == end) {
		if (room(b, len + 2))
			return;
		b->p[b->len] = '"';
		copy_short(b->p + b->len + 1, s, len);
		b->p[b->len + 1 + len] = '"';
		b->len += len + 2;
		return;
	}
	put_char(b, '"');
	while (p < end) {
		run = p;
		while (p < end && !(stops[*p] & stop))
			p++;
		fg_jw_bytes(b, (const char *)run, (size_t)(p - run));
		if (p >= end)
			break;
		switch (*p) {
		case '"': fg_jw_bytes(b, "\\\"", 2); p++; continue;
		case '\\': fg_jw_bytes(b, "\\\\", 2); p++; continue;
		case '\b': fg_jw_bytes(b, "\\b", 2); p++; continue;
		case '\f': fg_jw_bytes(b, "\\f", 2); p++; continue;
		case '\n': fg_jw_bytes(b, "\\n", 2); p++; continue;
		case '\r': fg_jw_bytes(b, "\\r", 2); p++; continue;
		case '\t': fg_jw_bytes(b, "\\t", 2); p++; continue;
		}
		if (*p < 0x20) {
			cp = *p++;
		} else {
			/* jansson strings are valid UTF-8 */
			n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
			cp = n == 4 ? *p & 0x07u : n == 3 ? *p & 0x0Fu
					: *p & 0x1Fu;
			for (i = 1; i < n && p + i < end; i++)
				cp = cp << 6 | (p[i] & 0x3Fu);
			p += n;
		}
		if (cp > 0xFFFF) {
			put_hex4(u, 0xD800 + ((cp - 0x10000) >> 10));
			put_hex4(u + 6, 0xDC00 + ((cp - 0x10000) & 0x3FF));
			fg_jw_bytes(b, u, 12);
		} else {
			put_hex4(u, cp);
			fg_jw_bytes(b, u, 6);
		}
	}
	put_char(b, '"');
}

/* An integer as "%" JSON_INTEGER_FORMAT writes it. */
static void put_integer(fg_jbuf *b, json_int_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
				      : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	fg_jw_bytes(b, p, (size_t)(buf + sizeof(buf) - p));
}

/* Reals formatted lately, by their bits: printf's "%.17g" is most of
 * the cost of writing a document, and a run's document is written twice
 * (its output and its stored copy), with the rules' lines in every run.
 * One cache a thread. */
#define REAL_CACHE 1024
static _Thread_local struct real_cache {
	uint64_t bits;
	unsigned char length;   /* 0: empty */
	char text[27];
} real_cache[REAL_CACHE];

/* printf's "%.17g" of a finite v, exactly, without printf: it is most
 * of what writing a document costs.  The length written, or -1 when
 * fg_dtoa_digits cannot (then printf does it). */
static int g17(char *out, double v)
{
	char digits[18], *o = out;
	int k, n, i, last;

	if (signbit(v))
		*o++ = '-';
	if (v == 0) {
		*o++ = '0';
		return (int)(o - out);
	}
	if (fg_dtoa_digits(v, 17, digits, &k))
		return -1;
	/* the significant digits, trailing zeros dropped */
	for (last = 16; last > 0 && digits[last] == '0'; last--)
		;
	if (k >= -4 && k < 17) {
		if (k < 0) {
			*o++ = '0';
			*o++ = '.';
			for (i = -1; i > k; i--)
				*o++ = '0';
			memcpy(o, digits, (size_t)last + 1);
			o += last + 1;
		} else {
			memcpy(o, digits, (size_t)k + 1);
			o += k + 1;
			if (last > k) {
				*o++ = '.';
				memcpy(o, digits + k + 1, (size_t)(last - k));
				o += last - k;
			}
		}
		return (int)(o - out);
	}
	*o++ = digits[0];
	if (last > 0) {
		*o++ = '.';
		memcpy(o, digits + 1, (size_t)last);
		o += last;
	}
	*o++ = 'e';
	*o++ = k < 0 ? '-' : '+';
	n = k < 0 ? -k : k;
	if (n >= 100)
		*o++ = (char)('0' + n / 100);
	*o++ = (char)('0' + n / 10 % 10);
	*o++ = (char)('0' + n % 10);
	return (int)(o - out);
}

/* jansson's jsonp_dtostr with precision 17. */
static void put_real(fg_jbuf *b, double v)
{
	char buf[40], *start, *end;
	struct real_cache *c;
	uint64_t bits;
	int n;

	if (!isfinite(v)) {
		b->failed = 1;
		return;
	}
	memcpy(&bits, &v, sizeof(bits));
	c = &real_cache[(bits ^ bits >> 29 ^ bits >> 47) % REAL_CACHE];
	if (c->length && c->bits == bits) {
		fg_jw_bytes(b, c->text, c->length);
		return;
	}
	if ((n = g17(buf, v)) >= 0)
		buf[n] = 0;
	else
		n = snprintf(buf, sizeof(buf), "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof(buf) - 3) {
		b->failed = 1;
		return;
	}
	/* a real must read back as a real */
	if (!strchr(buf, '.') && !strchr(buf, 'e')) {
		buf[n++] = '.';
		buf[n++] = '0';
		buf[n] = 0;
	}
	/* no '+' and no leading zeros in the exponent */
	if ((start = strchr(buf, 'e'))) {
		start++;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(n - (end - buf)) + 1);
			n -= (int)(end - start);
		}
	}
	if ((size_t)n < sizeof(c->text)) {
		c->bits = bits;
		c->length = (unsigned char)n;
		memcpy(c->text, buf, (size_t)n);
	}
	fg_jw_bytes(b, buf, (size_t)n);
}

/* A member of an object being written in canonical order. */
typedef struct member {
	const char *key;
	size_t len;
	json_t *value;
} member;

/* Byte order of the keys, as strcmp gives it (keys hold no NUL). */
static int by_key(const void *a, const void *b)
{
	const member *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void put_object(fg_jbuf *b, const json_t *v, int style, int depth)
{
	member small[32], *m = small;
	size_t n = json_object_size(v), i = 0, len;
	const char *key;
	void *iter;

	if (!n) {
		fg_jw_bytes(b, "{}", 2);
		return;
	}
	put_char(b, '{');
	if (style == FG_JW_CANONICAL) {
		/* keys sorted by byte value */
		if (n > 32 && !(m = malloc(n * sizeof(*m)))) {
			b->failed = 1;
			return;
		}
		for (iter = json_object_iter((json_t *)v); iter && i < n;
		     iter = json_object_iter_next((json_t *)v, iter), i++) {
			m[i].key = json_object_iter_key(iter);
			m[i].len = json_object_iter_key_len(iter);
			m[i].value = json_object_iter_value(iter);
		}
		qsort(m, i, sizeof(*m), by_key);
		for (n = i, i = 0; i < n; i++) {
			if (i)
				put_char(b, ',');
			put_string(b, m[i].key, m[i].len, 1);
			put_char(b, ':');
			fg_jw_value(b, m[i].value, style, depth + 1);
		}
		if (m != small)
			free(m);
		put_char(b, '}');
		return;
	}
	/* insertion order, as jansson keeps it */
	for (iter = json_object_iter((json_t *)v); iter;
	     iter = json_object_iter_next((json_t *)v, iter)) {
		key = json_object_iter_key(iter);
		len = json_object_iter_key_len(iter);
		if (i++)
			put_char(b, ',');
		newline(b, depth + 1);
		put_string(b, key, len, 0);
		fg_jw_bytes(b, ": ", 2);
		fg_jw_value(b, json_object_iter_value(iter), style, depth + 1);
	}
	newline(b, depth);
	put_char(b, '}');
}

static void put_array(fg_jbuf *b, const json_t *v, int style, int depth)
{
	size_t n = json_array_size(v), i;

	if (!n) {
		fg_jw_bytes(b, "[]", 2);
		return;
	}
	put_char(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			put_char(b, ',');
		if (style == FG_JW_PRETTY)
			newline(b, depth + 1);
		fg_jw_value(b, json_array_get(v, i), style, depth + 1);
	}
	if (style == FG_JW_PRETTY)
		newline(b, depth);
	put_char(b, ']');
}

void fg_jw_value(fg_jbuf *b, const json_t *v, int style, int depth)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put_object(b, v, style, depth);
		break;
	case JSON_ARRAY:
		put_array(b, v, style, depth);
		break;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v),
			   style == FG_JW_CANONICAL);
		break;
	case JSON_INTEGER:
		put_integer(b, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		fg_jw_bytes(b, "true", 4);
		break;
	case JSON_FALSE:
		fg_jw_bytes(b, "false", 5);
		break;
	default:
		fg_jw_bytes(b, "null", 4);
	}
}

/* ---- writing a document as it is made ------------------------------------ */

void fg_jw_start(fg_jw *w, fg_jbuf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

void fg_jw_start_tree(fg_jw *w)
{
	memset(w, 0, sizeof(*w));
	w->b = &w->own;
	w->tree = 1;
}

json_t *fg_jw_tree(fg_jw *w)
{
	if (w->own.failed || w->depth) {
		json_decref(w->root);
		w->root = NULL;
	}
	return w->root;
}

/* A tree writer's value, in its place: the top value, a member of the
 * object open at this depth (under the key last given), or an element of
 * the array.  Takes v's reference. */
static void attach(fg_jw *w, json_t *v)
{
	json_t *parent = w->depth ? w->open[w->depth] : NULL;

	if (!v || w->own.failed) {
		w->own.failed = 1;
		json_decref(v);
		return;
	}
	if (!parent)
		w->root = v;
	else if (json_is_object(parent) ? json_object_set_new(parent, w->key,
							       v)
					: json_array_append_new(parent, v))
		w->own.failed = 1;
}

static unsigned long long level(unsigned depth)
{
	return 1ull << (depth & 63);
}

/* Whether the next value is preceded by the comma that separates it
 * from the one before: not a member's value (its key wrote it), nor the
 * top value, nor a container's first.  The writer's state moves past
 * it. */
static int separator(fg_jw *w)
{
	int comma;

	if (w->after_key) {
		w->after_key = 0;
		return 0;
	}
	if (!w->depth)
		return 0;
	comma = (w->more & level(w->depth)) != 0;
	w->more |= level(w->depth);
	return comma;
}

static void separate(fg_jw *w)
{
	if (separator(w))
		put_char(w->b, ',');
}

static void open_container(fg_jw *w, char open)
{
	if (w->tree) {
		json_t *v = open == '{' ? json_object() : json_array();

		attach(w, v);
		if (w->depth >= FG_JW_DEPTH)
			w->own.failed = 1;
		if (w->own.failed)
			return;
		w->open[++w->depth] = v;
		return;
	}
	separate(w);
	put_char(w->b, open);
	w->depth++;
	w->more &= ~level(w->depth);
}

void fg_jw_object(fg_jw *w)
{
	open_container(w, '{');
}

void fg_jw_array(fg_jw *w)
{
	open_container(w, '[');
}

void fg_jw_close(fg_jw *w, char close)
{
	if (w->tree) {
		if (!w->own.failed)
			w->depth--;
		return;
	}
	w->depth--;
	put_char(w->b, close);
}

/* The length of s when it is written as it is (no byte of it escaped:
 * most keys and strings), else -1. */
static inline ptrdiff_t plain_length(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	/* stops[0] is set: the loop ends at the NUL or at a byte to escape */
	while (!(stops[*p] & 1))
		p++;
	return *p ? -1 : (ptrdiff_t)(p - (const unsigned char *)s);
}

/* The start of the next value, in one step: room for it (len bytes after
 * the separator), then the separator (separate()).  Where the value's
 * bytes go, or NULL when out of memory. */
static inline char *start_value(fg_jw *w, size_t len)
{
	fg_jbuf *b = w->b;
	int comma = separator(w);
	char *p;

	if (room(b, len + 1))
		return NULL;
	p = b->p + b->len;
	if (comma)
		*p++ = ',';
	return p;
}

/* separate() and a quoted plain string of len bytes, then a ':' when
 * `colon` (a key), with one check for room: a document is mostly members
 * and strings, and this is the path every one of them takes. */
static void put_plain(fg_jw *w, const char *s, size_t len, int colon)
{
	char *p = start_value(w, len + 3);

	if (!p)
		return;
	*p++ = '"';
	copy_short(p, s, len);
	p += len;
	*p++ = '"';
	if (colon)
		*p++ = ':';
	w->b->len = (size_t)(p - w->b->p);
}

void fg_jw_key(fg_jw *w, const char *key)
{
	ptrdiff_t len;

	if (w->tree) {
		w->key = key;
		return;
	}
	if ((len = plain_length(key)) >= 0) {
		put_plain(w, key, (size_t)len, 1);
	} else {
		separate(w);
		put_string(w->b, key, strlen(key), 0);
		put_char(w->b, ':');
	}
	w->after_key = 1;
}

void fg_jw_key_n(fg_jw *w, const char *key, size_t len)
{
	if (w->tree) {
		w->key = key;
		return;
	}
	put_plain(w, key, len, 1);
	w->after_key = 1;
}

void fg_jw_string(fg_jw *w, const char *s)
{
	ptrdiff_t len;

	if (w->tree) {
		attach(w, s ? json_string(s) : json_null());
		return;
	}
	if (s && (len = plain_length(s)) >= 0) {
		put_plain(w, s, (size_t)len, 0);
		return;
	}
	separate(w);
	if (s)
		put_string(w->b, s, strlen(s), 0);
	else
		fg_jw_bytes(w->b, "null", 4);
}

void fg_jw_real(fg_jw *w, double v)
{
	if (w->tree) {
		attach(w, json_real(v));
		return;
	}
	separate(w);
	put_real(w->b, v);
}

void fg_jw_integer(fg_jw *w, long long v)
{
	if (w->tree) {
		attach(w, json_integer((json_int_t)v));
		return;
	}
	separate(w);
	put_integer(w->b, (json_int_t)v);
}

void fg_jw_bool(fg_jw *w, int v)
{
	if (w->tree) {
		attach(w, json_boolean(v));
		return;
	}
	separate(w);
	if (v)
		fg_jw_bytes(w->b, "true", 4);
	else
		fg_jw_bytes(w->b, "false", 5);
}

void fg_jw_null(fg_jw *w)
{
	if (w->tree) {
		attach(w, json_null());
		return;
	}
	separate(w);
	fg_jw_bytes(w->b, "null", 4);
}

void fg_jw_kstring(fg_jw *w, const char *key, const char *s)
{
	fg_jw_key(w, key);
	fg_jw_string(w, s);
}

void fg_jw_kbool(fg_jw *w, const char *key, int v)
{
	fg_jw_key(w, key);
	fg_jw_bool(w, v);
}

/* A member whose value needs no escaping, "key": "v" (quoted) or
 * "key": v, with one check for room: what fg_jw_key_n and the value's
 * own call write, in one step (most of a finding is such members). */
static void put_member(fg_jw *w, const char *key, size_t key_len,
		       const char *v, size_t v_len, int quoted)
{
	char *p = start_value(w, key_len + v_len + 7);

	if (!p)
		return;
	*p++ = '"';
	copy_short(p, key, key_len);
	p += key_len;
	*p++ = '"';
	*p++ = ':';
	if (quoted)
		*p++ = '"';
	copy_short(p, v, v_len);
	p += v_len;
	if (quoted)
		*p++ = '"';
	w->b->len = (size_t)(p - w->b->p);
}

void fg_jw_kstring_n(fg_jw *w, const char *key, size_t len, const char *s)
{
	ptrdiff_t n;

	if (!w->tree && !w->after_key) {
		if (!s) {
			put_member(w, key, len, "null", 4, 0);
			return;
		}
		if ((n = plain_length(s)) >= 0) {
			put_member(w, key, len, s, (size_t)n, 1);
			return;
		}
	}
	fg_jw_key_n(w, key, len);
	fg_jw_string(w, s);
}

void fg_jw_kbool_n(fg_jw *w, const char *key, size_t len, int v)
{
	if (!w->tree && !w->after_key) {
		put_member(w, key, len, v ? "true" : "false", v ? 4 : 5, 0);
		return;
	}
	fg_jw_key_n(w, key, len);
	fg_jw_bool(w, v);
}
