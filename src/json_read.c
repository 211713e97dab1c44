/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — reading JSON fast (see src/json_read.h).
 *
 * One pass over the buffer, a recursive descent.  Every function below
 * answers "settled" (a value, or 0) or "not mine" (NULL, or -1): the
 * grammar of RFC 8259 as jansson reads it, and nothing it might refuse.
 * "Not mine" is never an error of its own: fg_json_loadb then gives the
 * whole text to json_loadb, whose value or error is the answer.  So what
 * this file must get right is narrower than a parser's whole task: never
 * to accept a text jansson refuses, and to build the value jansson would
 * build for every text it accepts. */
#include "json_read.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jansson refuses texts nested deeper than its JSON_PARSER_MAX_DEPTH
 * (2048); deeper than this, jansson decides */
#define DEPTH_MAX 1024
/* integers of at most this many digits fit a json_int_t (long long) */
#define INTEGER_DIGITS 18
/* a real longer than this is left to jansson */
#define REAL_TEXT 64

typedef struct reader {
	const unsigned char *p, *end;
	char *buf;              /* a string whose escapes were undone */
	size_t cap;
	unsigned depth;
	int reals;              /* strtod reads '.' (the C locale's point) */
} reader;

/* 1 for the bytes a string holds as they are: printable ASCII but '"'
 * and '\\' (controls are refused, and non-ASCII bytes checked as UTF-8) */
static const unsigned char plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static int is_digit(const reader *r, const unsigned char *p)
{
	return p < r->end && *p >= '0' && *p <= '9';
}

static void skip_space(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
				 *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/* The length of the UTF-8 character at p, whose first byte is 0x80 or
 * more; 0 when it is not one jansson accepts (RFC 3629: no overlong
 * form, no surrogate half, nothing above U+10FFFF, nothing cut off). */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
	uint32_t cp;
	size_t n, i;

	if (*p >= 0xC2 && *p <= 0xDF) {
		n = 2;
		cp = *p & 0x1Fu;
	} else if (*p >= 0xE0 && *p <= 0xEF) {
		n = 3;
		cp = *p & 0x0Fu;
	} else if (*p >= 0xF0 && *p <= 0xF4) {
		n = 4;
		cp = *p & 0x07u;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Past the bytes of a string held as they are, from p: the first byte
 * that is not (the closing quote, a backslash, or one refused), or NULL
 * when a non-ASCII byte is not UTF-8. */
static const unsigned char *scan(const reader *r, const unsigned char *p)
{
	size_t n;

	for (;;) {
		while (p < r->end && plain[*p])
			p++;
		if (p >= r->end || *p < 0x80)
			return p;
		if (!(n = utf8_length(p, r->end)))
			return NULL;
		p += n;
	}
}

/* Appends n bytes to r->buf at *used: 0, or -1 when out of memory. */
static int put(reader *r, size_t *used, const void *bytes, size_t n)
{
	char *grown;
	size_t cap;

	if (!n)
		return 0;
	if (*used + n > r->cap) {
		cap = r->cap ? r->cap : 256;
		while (cap < *used + n)
			cap *= 2;
		if (!(grown = realloc(r->buf, cap)))
			return -1;
		r->buf = grown;
		r->cap = cap;
	}
	memcpy(r->buf + *used, bytes, n);
	*used += n;
	return 0;
}

/* The four hex digits at p as a number, or -1. */
static long hex4(const reader *r, const unsigned char *p)
{
	long v = 0;
	int i;

	if (r->end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The UTF-8 bytes of code point cp into out: their count. */
static size_t utf8_encode(unsigned char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* One escape at p (its backslash) undone into r->buf at *used: past it,
 * or NULL when jansson refuses it (or might: \u0000, a lone surrogate
 * half) or memory ran out. */
static const unsigned char *unescape(reader *r, const unsigned char *p,
				     size_t *used)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned char out[4];
	const char *c;
	long v, w;

	if (++p >= r->end)
		return NULL;
	if (*p != 'u') {
		if (!*p || !(c = strchr(from, *p)))
			return NULL;
		return put(r, used, &to[c - from], 1) ? NULL : p + 1;
	}
	if ((v = hex4(r, p + 1)) <= 0 || (v >= 0xDC00 && v <= 0xDFFF))
		return NULL;
	p += 5;
	if (v >= 0xD800 && v <= 0xDBFF) {
		if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    (w = hex4(r, p + 2)) < 0xDC00 || w > 0xDFFF)
			return NULL;
		v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
		p += 6;
	}
	return put(r, used, out, utf8_encode(out, (uint32_t)v)) ? NULL : p;
}

/* The string at r->p (its opening quote): its bytes, in the text or in
 * r->buf, and their length; r->p past its closing quote.  0, or -1. */
static int read_string(reader *r, const char **s, size_t *len)
{
	const unsigned char *p = r->p + 1, *start = p, *run;
	size_t used = 0;

	if (!(p = scan(r, p)) || p >= r->end)
		return -1;
	if (*p == '"') {
		*s = (const char *)start;
		*len = (size_t)(p - start);
		r->p = p + 1;
		return 0;
	}
	run = start;
	while (*p == '\\') {
		if (put(r, &used, run, (size_t)(p - run)) ||
		    !(p = unescape(r, p, &used)))
			return -1;
		run = p;
		if (!(p = scan(r, p)) || p >= r->end)
			return -1;
	}
	if (*p != '"' || put(r, &used, run, (size_t)(p - run)))
		return -1;
	*s = r->buf;
	*len = used;
	r->p = p + 1;
	return 0;
}

/* The number at r->p: an integer (no fraction, no exponent) or a real,
 * as jansson types it; NULL when it is not a JSON number or is one
 * jansson might refuse (an integer of more digits than a long long
 * surely holds, a real that overflows). */
static json_t *read_number(reader *r)
{
	const unsigned char *p = r->p, *digits;
	char text[REAL_TEXT], *stop;
	long long v = 0;
	int negative = *p == '-', real = 0;
	double d;
	size_t n;

	if (negative)
		p++;
	digits = p;
	if (!is_digit(r, p))
		return NULL;
	if (*p == '0') {
		if (is_digit(r, ++p))
			return NULL;            /* jansson: invalid token */
	} else {
		while (is_digit(r, p))
			p++;
	}
	if (p < r->end && *p == '.') {
		if (!is_digit(r, ++p))
			return NULL;
		while (is_digit(r, p))
			p++;
		real = 1;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(r, p))
			return NULL;
		while (is_digit(r, p))
			p++;
		real = 1;
	}
	n = (size_t)(p - r->p);
	if (!real) {
		if ((size_t)(p - digits) > INTEGER_DIGITS)
			return NULL;
		for (; digits < p; digits++)
			v = v * 10 + (*digits - '0');
		r->p = p;
		return json_integer(negative ? -v : v);
	}
	if (!r->reals || n >= sizeof(text))
		return NULL;
	memcpy(text, r->p, n);
	text[n] = 0;
	d = strtod(text, &stop);
	if (stop != text + n || !isfinite(d))
		return NULL;
	r->p = p;
	return json_real(d);
}

static json_t *read_value(reader *r);

/* The object at r->p (its '{'), or NULL. */
static json_t *read_object(reader *r)
{
	json_t *o = json_object(), *v;
	const unsigned char *key, *end;

	if (!o)
		return NULL;
	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return o;
	}
	for (;;) {
		/* a key as it is in the text (r->buf is the value's): one
		 * with an escape is left to jansson */
		if (r->p >= r->end || *r->p != '"' ||
		    !(end = scan(r, key = r->p + 1)) || end >= r->end ||
		    *end != '"')
			break;
		r->p = end + 1;
		skip_space(r);
		if (r->p >= r->end || *r->p != ':')
			break;
		r->p++;
		skip_space(r);
		if (!(v = read_value(r)) ||
		    json_object_setn_new_nocheck(o, (const char *)key,
						 (size_t)(end - key), v))
			break;
		skip_space(r);
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return o;
		}
		if (r->p >= r->end || *r->p != ',')
			break;
		r->p++;
		skip_space(r);
	}
	json_decref(o);
	return NULL;
}

/* The array at r->p (its '['), or NULL. */
static json_t *read_array(reader *r)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return a;
	}
	for (;;) {
		if (json_array_append_new(a, read_value(r)))
			break;
		skip_space(r);
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return a;
		}
		if (r->p >= r->end || *r->p != ',')
			break;
		r->p++;
		skip_space(r);
	}
	json_decref(a);
	return NULL;
}

/* true, false or null at r->p, when the text there is that word */
static json_t *read_word(reader *r, const char *word, json_t *v)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return NULL;
	r->p += n;
	return v;
}

/* The value at r->p, or NULL. */
static json_t *read_value(reader *r)
{
	const char *s;
	json_t *v;
	size_t n;

	if (r->p >= r->end)
		return NULL;
	switch (*r->p) {
	case '{':
	case '[':
		if (r->depth >= DEPTH_MAX)
			return NULL;
		r->depth++;
		v = *r->p == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return v;
	case '"':
		return read_string(r, &s, &n) ? NULL
					       : json_stringn_nocheck(s, n);
	case 't':
		return read_word(r, "true", json_true());
	case 'f':
		return read_word(r, "false", json_false());
	case 'n':
		return read_word(r, "null", json_null());
	default:
		return read_number(r);
	}
}

/* What json_loadb leaves in err when it succeeds. */
static void no_error(json_error_t *err)
{
	if (!err)
		return;
	err->text[0] = 0;
	err->line = -1;
	err->column = -1;
	err->position = 0;
	snprintf(err->source, sizeof(err->source), "%s", "<buffer>");
}

json_t *fg_json_read(const char *text, size_t len)
{
	const struct lconv *lc = localeconv();
	reader r;
	json_t *v = NULL;

	if (!text)
		return NULL;
	memset(&r, 0, sizeof(r));
	r.p = (const unsigned char *)text;
	r.end = r.p + len;
	r.reals = lc && lc->decimal_point && !strcmp(lc->decimal_point, ".");
	skip_space(&r);
	if (r.p < r.end && (*r.p == '{' || *r.p == '[') &&
	    (v = read_value(&r))) {
		skip_space(&r);
		if (r.p != r.end) {
			json_decref(v);
			v = NULL;
		}
	}
	free(r.buf);
	return v;
}

json_t *fg_json_loadb(const char *text, size_t len, json_error_t *err)
{
	json_t *v = fg_json_read(text, len);

	if (v) {
		no_error(err);
		return v;
	}
	return json_loadb(text, len, 0, err);
}
