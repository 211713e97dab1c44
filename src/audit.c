/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the audit chain: canonical entries, chain hash, checkpoints.
 *
 * This module holds no SQLite: it is what an outside auditor re-implements
 * (in Python, tests/fixtures/db/make-v1.py writes formats 1-3 and
 * tests/fixtures/db/entry-v4.py rebuilds format 4 from the rows).  The store builds and
 * checks entries with it (src/store_record.c, src/store_verify.c).
 *
 * THE CHAIN.  Table `audit` holds one row per recorded evaluation:
 * (seq, evaluation_id, prev_hash, hash, format, entry).  seq runs 1, 2,
 * 3, ... without gaps.  For entry n
 *
 *     hash[n] = SHA-256( prev || E[n] )
 *
 * where prev is the 32 raw bytes of hash[n-1] (32 zero bytes for n = 1)
 * and E[n] is the canonical entry below, as bytes.  prev_hash and hash are
 * stored as 64 lower-case hex digits; prev_hash[n] must equal hash[n-1].
 *
 * Entries are written in format 4 since schema version 4; entries of
 * formats 1-3 stay as they were written, and verify as such.
 *
 * FORMAT 4.  E[n] is one canonical JSON object (encoded as below) that
 * holds the evaluation and digests of its rows, never the rows, so that
 * an entry costs the same whatever the evaluation's size:
 *
 * { "seq": n, "format": 4, "evaluation_id", "as_of", "actor",
 *   "tool_version", "recorded_at", "fail_on", "gate_passed" (boolean),
 *   "gate_failures": the evaluations row, as in format 3,
 *   "rulesets": [{"position", "id", "sha256", "file", "title",
 *                 "jurisdiction", "version", "source", "facts_sha256"}]
 *                 evaluation_rulesets rows by position (facts_sha256: the
 *                 SHA-256 of the rule_facts document holding the
 *                 ruleset's static rule facts, flopgate/result.h),
 *   "runs": R, "findings": F, "waivers": W   the number of rows,
 *   "chunks": ["hex", ...] }
 *
 * The runs of the evaluation, by position (1..R, no gaps), are cut into
 * chunks of 256: chunk k (from 0) holds positions 256k+1 .. 256k+256.
 * chunks[k] is the lower-case hex SHA-256 of the lines of its runs, each
 * run's line followed by the lines of its findings rows (by position) and
 * then of its waivers rows (by finding_position), every line a canonical
 * JSON array followed by one "\n":
 *
 *   ["run", position, run_id, input_sha256, input_file, document_sha256]
 *
 * (document_sha256: the SHA-256 of the run's document as stored, from
 * schema version 8 the bytes of its LZ4 frame in runs.document_lz4, with
 * '' in runs.document; before it, the text in runs.document; `lz4 -d`
 * gives a frame's text, src/doc_frame.h)
 *
 *   ["finding", run_position, position, run_id, rule, ruleset, severity,
 *    outcome, metric, op, threshold, value, headroom, first_due,
 *    gate_fails, known_since]
 *   ["waiver", run_position, finding_position, run_id, rule, reason,
 *    approved_by, expires]
 *
 * Strings, integers and null as below; gate_fails true or false; the three
 * REAL columns (threshold, value, headroom) as a JSON string of the 16
 * lower-case hex digits of the IEEE 754 binary64 value, most significant
 * byte first (1e25 -> "45208b2a2c280291"; Python:
 * struct.pack('>d', x).hex()), or null.  Every column of every row is in
 * a line, positions included: a row moved, changed, added or removed
 * changes its chunk's digest.  The rows are those the findings and
 * waivers tables hold: since schema version 7 a findings row is kept only
 * for a finding whose outcome is not clear or not_applicable, that has a
 * known_since, or that a waiver names (fg_store_finding_kept), at its
 * position in the run's document; every finding is in the document,
 * whose hash the run's line holds.  The store keeps E[n] in audit.entry,
 * so that a decision can verify the one chunk it reads (with the entry's
 * hash and links) without the others; `audit verify` rebuilds every
 * chunk from the rows and the whole E[n], and compares.
 *
 * FORMATS 1-3.  E[n] is a JSON object rebuilt from the relational rows
 * (never from a stored copy), serialized with jansson's
 * JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17):
 *   - keys sorted by byte value (strcmp), at every level;
 *   - no whitespace at all (',' and ':' separators);
 *   - strings: '"' and '\\' escaped with a backslash, \b \f \n \r \t, other
 *     bytes below 0x20 and every non-ASCII code point as \uXXXX (upper-case
 *     hex, UTF-16 surrogate pairs above U+FFFF); '/' and 0x7F are not
 *     escaped;
 *   - integers in decimal ("%lld");
 *   - reals (every REAL column) as printf("%.17g"), then any '+' and leading
 *     zeros of the exponent removed, and ".0" appended when the result has
 *     neither '.' nor 'e' (1e25 -> "1.0000000000000001e25", 1e-7 ->
 *     "9.9999999999999995e-8", 0 -> "0.0");
 *   tests/fixtures/db/make-v1.py re-implements this in Python.
 *   - SQL NULL as null; booleans as true / false.
 * Fields (format 3; format 2 — entries written by schema version 2 — has
 * no "input_file" in runs; format 1 — schema version 1 — has neither that
 * nor a "format" key nor "known_since" in findings):
 *
 * { "seq": n, "format": 3, "evaluation_id": evaluations.id,
 *   "as_of", "actor", "tool_version", "recorded_at", "fail_on":
 *          the evaluations row (actor may be null; recorded_at is UTC
 *          "YYYY-MM-DDTHH:MM:SSZ"),
 *   "gate_passed": true|false, "gate_failures": integer,
 *   "rulesets": [{"id", "sha256", "file", "title", "jurisdiction",
 *                 "version", "source"}]   evaluation_rulesets rows, sorted
 *                 by ruleset_id, then sha256, then position,
 *   "runs": [{"id", "input_sha256", "document_sha256", "input_file"}]
 *                 runs rows by position (document_sha256 = SHA-256 of
 *                 runs.document, the RUN object as canonical JSON;
 *                 input_file the path the run was read from, or null),
 *   "findings": [{"run", "rule", "ruleset", "severity", "outcome",
 *                 "metric", "op", "threshold", "value", "headroom",
 *                 "due", "gate_fails", "known_since"}]   findings rows by
 *                 (run_position, position); "due" is the first_due column
 *                 (earliest obligation due date), gate_fails a boolean,
 *   "waivers": [{"run", "rule", "reason", "approved_by", "expires"}]
 *                 waivers rows by (run_position, finding_position) }
 *
 * VERIFICATION (fg_store_verify) walks the entries by seq.  For a format-4
 * entry: the seq has no gap, prev_hash is the previous hash, the format
 * never goes down; the evaluation, its rulesets rows (their texts and
 * facts present) and the chunks rebuilt from its rows (every run's
 * document hashing to its document_sha256, its input text present) give
 * exactly the stored entry, and the entry hashes to the stored hash.
 * Every stored text (input_texts, ruleset_texts, rule_facts) hashes to
 * its key, each checked once however many entries name it.  For an entry
 * of formats 1-3, for each:
 * the seq has no gap; prev_hash is the previous hash; the format never
 * goes down; every input text and ruleset text it names hashes to its
 * sha256 key; every run document hashes to document_sha256 and names the
 * same run id and input hash as its row; the findings and waiver rows are
 * exactly what the run documents say (the mapping is
 * fg_audit_finding_of_document: the fields above, read from the RUN
 * object's "findings", "due" the earliest obligations[].due); and the
 * recomputed hash equals the stored one.  Positions are not hashed (rows
 * are listed in position order), so the runs and evaluation_rulesets rows
 * must sit at positions 1..n and each findings and waivers row at the
 * (run, finding) position its document gives it.  Then every row of every
 * table is accounted for: an evaluation without an entry, a row of an
 * evaluation without one, a text no verified row references, a table,
 * index or trigger flopgate did not create (or a trigger changed or
 * missing) is tampering, named with its table and key.  A checkpoint
 * (size N, hash H) is extended when the log has at least N entries and
 * hash[N] = H.
 *
 * Decisions read only verified rows, and verify only what they read:
 * fg_store_first_triggered and fg_store_first_known take a date only from
 * an evaluation with an entry, and verify before using it that entry's
 * links to its neighbours, its hash, its evaluation row and the chunk
 * holding the run they read (the whole entry, for formats 1-3);
 * recording checks the head entry's links, hash and evaluation row before
 * appending to it.  So a decision costs the same in a database of one
 * evaluation or of a hundred thousand, large or small.
 *
 * CHECKPOINTS are the body of a C2SP tlog-checkpoint: the origin line
 * "flopgate audit log", the entry count in decimal, and the head hash in
 * standard base64, each line ending in '\n'.  Here the "tree" is a chain:
 * the hash is the chain head, not a Merkle root.
 */
#include "audit_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "flopgate/hash.h"
#include "json_write.h"

/* ---- small JSON helpers ---------------------------------------------- */

static json_t *string_or_null(json_t *object, const char *key)
{
	json_t *v = json_object_get(object, key);

	return json_is_string(v) ? json_string(json_string_value(v))
				 : json_null();
}

static json_t *real_or_null(json_t *object, const char *key)
{
	json_t *v = json_object_get(object, key);

	return json_is_number(v) ? json_real(json_number_value(v))
				 : json_null();
}

/* Sets key to value (stolen); -1 when value is NULL or setting fails. */
static int put(json_t *object, const char *key, json_t *value)
{
	return value ? json_object_set_new(object, key, value) : -1;
}

/* ---- document -> entry mapping ---------------------------------------- */

json_t *fg_audit_finding_of_document(const char *run_id, json_t *finding,
				     int format)
{
	json_t *o = json_object(), *obligation;
	const char *due = NULL, *d;
	size_t i;
	int bad = 0;

	if (!o)
		return NULL;
	json_array_foreach(json_object_get(finding, "obligations"), i,
			   obligation) {
		d = json_string_value(json_object_get(obligation, "due"));
		if (d && (!due || strcmp(d, due) < 0))
			due = d;
	}
	bad |= put(o, "run", json_string(run_id));
	bad |= put(o, "rule", string_or_null(finding, "rule"));
	bad |= put(o, "ruleset", string_or_null(finding, "ruleset"));
	bad |= put(o, "severity", string_or_null(finding, "severity"));
	bad |= put(o, "outcome", string_or_null(finding, "outcome"));
	bad |= put(o, "metric", string_or_null(finding, "metric"));
	bad |= put(o, "op", string_or_null(finding, "op"));
	bad |= put(o, "threshold", real_or_null(finding, "threshold"));
	bad |= put(o, "value", real_or_null(finding, "value"));
	bad |= put(o, "headroom", real_or_null(finding, "headroom"));
	bad |= put(o, "due", due ? json_string(due) : json_null());
	bad |= put(o, "gate_fails",
		   json_boolean(json_is_true(
			   json_object_get(finding, "gate_fails"))));
	if (format >= 2)
		bad |= put(o, "known_since",
			   string_or_null(finding, "known_since"));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *fg_audit_waiver_of_document(const char *run_id, json_t *finding,
				    int *failed)
{
	json_t *w = json_object_get(finding, "waiver"), *o;
	int bad = 0;

	if (!json_is_object(w))
		return NULL;
	o = json_object();
	if (!o) {
		*failed = 1;
		return NULL;
	}
	bad |= put(o, "run", json_string(run_id));
	bad |= put(o, "rule", string_or_null(finding, "rule"));
	bad |= put(o, "reason", string_or_null(w, "reason"));
	bad |= put(o, "approved_by", string_or_null(w, "approved_by"));
	bad |= put(o, "expires", string_or_null(w, "expires"));
	if (bad) {
		json_decref(o);
		*failed = 1;
		return NULL;
	}
	return o;
}

int fg_audit_chain_hash(const unsigned char prev[32], const char *text,
			unsigned char out[32])
{
	return fg_sha256_pair(prev, 32, text, strlen(text), out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int fg_audit_unhex(const char *hex, unsigned char out[32])
{
	int i, hi, lo;

	if (!hex || strlen(hex) != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* ---- checkpoints ------------------------------------------------------ */

int fg_checkpoint_format(char **text_out, int64_t size,
			 const unsigned char head[32])
{
	unsigned char b64[48];

	EVP_EncodeBlock(b64, head, 32);
	*text_out = malloc(sizeof(FG_CHECKPOINT_ORIGIN) + 24 + sizeof(b64));
	if (!*text_out)
		return FG_ENOMEM;
	sprintf(*text_out, "%s\n%lld\n%s\n", FG_CHECKPOINT_ORIGIN,
		(long long)size, (const char *)b64);
	return 0;
}

int fg_checkpoint_parse(fg_checkpoint *out, const char *text,
			fg_error *err)
{
	const char *line[3], *end;
	size_t len[3];
	unsigned char decoded[48], again[48];
	char number[24];
	char *stop;
	long long size;
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 3; i++) {
		end = text ? strchr(text, '\n') : NULL;
		if (!end)
			return fg_error_set(err, FG_EINPUT, NULL, i + 1, 1,
					    "checkpoint: expected the %s on "
					    "line %d, ending in a newline",
					    i == 0 ? "origin" : i == 1
					    ? "entry count" : "head hash",
					    i + 1);
		line[i] = text;
		len[i] = (size_t)(end - text);
		text = end + 1;
	}
	if (!len[0] || len[0] >= sizeof(out->origin))
		return fg_error_set(err, FG_EINPUT, NULL, 1, 1,
				    "checkpoint: the origin line is empty or "
				    "too long");
	memcpy(out->origin, line[0], len[0]);
	if (!len[1] || len[1] > 19 || (line[1][0] == '0' && len[1] > 1) ||
	    strspn(line[1], "0123456789") < len[1])
		return fg_error_set(err, FG_EINPUT, NULL, 2, 1,
				    "checkpoint: the entry count is not a "
				    "decimal number");
	memcpy(number, line[1], len[1]);
	number[len[1]] = 0;
	errno = 0;
	size = strtoll(number, &stop, 10);
	/* 19 digits can exceed INT64_MAX (9223372036854775807): strtoll
	 * then says ERANGE and the count would silently become the max. */
	if (errno == ERANGE || *stop)
		return fg_error_set(err, FG_EINPUT, NULL, 2, 1,
				    "checkpoint: the entry count %s is out of "
				    "range", number);
	out->size = size;
	if (len[2] != 44)
		return fg_error_set(err, FG_EINPUT, NULL, 3, 1,
				    "checkpoint: the head hash is not 32 bytes "
				    "in base64");
	memcpy(decoded, line[2], 44);
	decoded[44] = 0;
	if (EVP_DecodeBlock(again, decoded, 44) != 33)
		return fg_error_set(err, FG_EINPUT, NULL, 3, 1,
				    "checkpoint: the head hash is not valid "
				    "base64");
	memcpy(out->hash, again, 32);
	/* Only the one canonical encoding is accepted. */
	EVP_EncodeBlock(again, out->hash, 32);
	if (memcmp(again, line[2], 44))
		return fg_error_set(err, FG_EINPUT, NULL, 3, 1,
				    "checkpoint: the head hash is not valid "
				    "base64");
	return 0;
}

/* ---- format 4 --------------------------------------------------------------- */

/* A line being encoded, or the bytes of a chunk waiting to be hashed. */
typedef struct canon {
	char *p;
	size_t len, cap;
	int failed;
} canon;

/* Grows the line to hold n more bytes (the slow side of c_room). */
static void c_grow(canon *c, size_t n)
{
	char *grown;
	size_t cap;

	cap = c->cap ? c->cap : 16384;
	while (cap < c->len + n)
		cap *= 2;
	if (!(grown = realloc(c->p, cap))) {
		c->failed = 1;
		return;
	}
	c->p = grown;
	c->cap = cap;
}

static inline void c_room(canon *c, size_t n)
{
	if (c->len + n > c->cap)
		c_grow(c, n);
}

static inline void c_bytes(canon *c, const char *s, size_t n)
{
	c_room(c, n);
	if (c->failed)
		return;
	memcpy(c->p + c->len, s, n);
	c->len += n;
}

static inline void c_char(canon *c, char ch)
{
	c_room(c, 1);
	if (!c->failed)
		c->p[c->len++] = ch;
}

/* A JSON string as jansson writes it with JSON_ENSURE_ASCII: '"' and '\\'
 * escaped, \b \f \n \r \t, other bytes below 0x20 and every non-ASCII code
 * point as \uXXXX (upper-case hex, surrogate pairs above U+FFFF); a byte
 * that is not UTF-8 (which only a tampered row holds) as \uFFFD. */
static void c_string(canon *c, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	char u[13];
	uint32_t cp;
	size_t n, i;

	if (!s) {
		c_bytes(c, "null", 4);
		return;
	}
	c_char(c, '"');
	while (*p) {
		if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
			const unsigned char *q = p;

			while (*q >= 0x20 && *q < 0x80 && *q != '"' &&
			       *q != '\\')
				q++;
			c_bytes(c, (const char *)p, (size_t)(q - p));
			p = q;
			continue;
		}
		switch (*p) {
		case '"': c_bytes(c, "\\\"", 2); p++; continue;
		case '\\': c_bytes(c, "\\\\", 2); p++; continue;
		case '\b': c_bytes(c, "\\b", 2); p++; continue;
		case '\f': c_bytes(c, "\\f", 2); p++; continue;
		case '\n': c_bytes(c, "\\n", 2); p++; continue;
		case '\r': c_bytes(c, "\\r", 2); p++; continue;
		case '\t': c_bytes(c, "\\t", 2); p++; continue;
		}
		if (*p < 0x20) {
			cp = *p++;
		} else {
			n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
			cp = n == 4 ? *p & 0x07u : n == 3 ? *p & 0x0Fu
					: *p & 0x1Fu;
			for (i = 1; i < n; i++) {
				if ((p[i] & 0xC0) != 0x80)
					break;
				cp = cp << 6 | (p[i] & 0x3Fu);
			}
			if (n < 2 || i < n || (n == 2 && cp < 0x80) ||
			    (n == 3 && (cp < 0x800 || (cp >= 0xD800 &&
							cp <= 0xDFFF))) ||
			    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
				cp = 0xFFFD;
				n = 1;
			}
			p += n;
		}
		if (cp > 0xFFFF) {
			uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10);
			uint32_t lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);

			snprintf(u, sizeof(u), "\\u%c%c%c%c\\u%c%c%c%c",
				 hex[hi >> 12], hex[hi >> 8 & 15],
				 hex[hi >> 4 & 15], hex[hi & 15],
				 hex[lo >> 12], hex[lo >> 8 & 15],
				 hex[lo >> 4 & 15], hex[lo & 15]);
			c_bytes(c, u, 12);
		} else {
			snprintf(u, sizeof(u), "\\u%c%c%c%c", hex[cp >> 12],
				 hex[cp >> 8 & 15], hex[cp >> 4 & 15],
				 hex[cp & 15]);
			c_bytes(c, u, 6);
		}
	}
	c_char(c, '"');
}

/* An integer in decimal, as "%lld" writes it. */
static void c_int(canon *c, int64_t v)
{
	char buf[24];
	char *q = buf + sizeof(buf);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	c_bytes(c, q, (size_t)(buf + sizeof(buf) - q));
}

/* A REAL as the 16 lower-case hex digits of its IEEE 754 binary64 bits,
 * most significant first, in a string: exact, and the same in any
 * language (Python: struct.pack('>d', x).hex()). */
static void c_real(canon *c, int has, double v)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[8];
	uint64_t bits;
	char out[18];
	int i;

	if (!has) {
		c_bytes(c, "null", 4);
		return;
	}
	memcpy(&bits, &v, 8);
	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(bits >> (56 - 8 * i));
	out[0] = '"';
	for (i = 0; i < 8; i++) {
		out[1 + 2 * i] = hex[b[i] >> 4];
		out[2 + 2 * i] = hex[b[i] & 15];
	}
	out[17] = '"';
	c_bytes(c, out, 18);
}

#define C_SEP(c) c_char((c), ',')

struct fg_audit_chunks {
	canon pending;          /* bytes of the open chunk not yet hashed */
	fg_sha256_ctx *sha;     /* the open chunk, NULL between chunks */
	char (*hex)[65];        /* closed chunks */
	size_t count, cap;
	int64_t runs, findings, waivers;
	int failed;
};

fg_audit_chunks *fg_audit_chunks_new(void)
{
	return calloc(1, sizeof(fg_audit_chunks));
}

void fg_audit_chunks_free(fg_audit_chunks *c)
{
	if (!c)
		return;
	fg_sha256_free(c->sha);
	free(c->pending.p);
	free(c->hex);
	free(c);
}

static int flush_pending(fg_audit_chunks *c)
{
	if (c->pending.failed || fg_sha256_update(c->sha, c->pending.p,
						  c->pending.len))
		c->failed = 1;
	c->pending.len = 0;
	return c->failed ? FG_ENOMEM : 0;
}

static int close_chunk(fg_audit_chunks *c)
{
	unsigned char d[32];
	void *grown;

	if (!c->sha)
		return c->failed ? FG_ENOMEM : 0;
	if (flush_pending(c))
		return FG_ENOMEM;
	if (c->count == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;

		if (!(grown = realloc(c->hex, cap * sizeof(*c->hex)))) {
			c->failed = 1;
			return FG_ENOMEM;
		}
		c->hex = grown;
		c->cap = cap;
	}
	if (fg_sha256_end(c->sha, d)) {
		c->sha = NULL;
		c->failed = 1;
		return FG_ENOMEM;
	}
	c->sha = NULL;
	fg_hex(d, 32, c->hex[c->count++]);
	return 0;
}

/* Ends a line: hashed in batches, not a call per line. */
static int line_done(fg_audit_chunks *c)
{
	c_char(&c->pending, '\n');
	if (c->pending.failed)
		c->failed = 1;
	if (c->pending.len >= 8192)
		return flush_pending(c);
	return c->failed ? FG_ENOMEM : 0;
}

int fg_audit_chunks_run(fg_audit_chunks *c, const fg_audit_run *r)
{
	canon *l = &c->pending;

	if (c->failed)
		return FG_ENOMEM;
	if ((r->position - 1) % FG_AUDIT_CHUNK_RUNS == 0 || !c->sha) {
		if (close_chunk(c) || !(c->sha = fg_sha256_begin())) {
			c->failed = 1;
			return FG_ENOMEM;
		}
	}
	c->runs++;
	c_bytes(l, "[\"run\",", 7);
	c_int(l, r->position);
	C_SEP(l);
	c_string(l, r->run_id);
	C_SEP(l);
	c_string(l, r->input_sha256);
	C_SEP(l);
	c_string(l, r->input_file);
	C_SEP(l);
	c_string(l, r->document_sha256);
	c_char(l, ']');
	return line_done(c);
}

int fg_audit_chunks_finding(fg_audit_chunks *c, const fg_audit_finding *f)
{
	canon *l = &c->pending;

	if (c->failed || !c->sha)
		return FG_ENOMEM;
	c->findings++;
	c_bytes(l, "[\"finding\",", 11);
	c_int(l, f->run_position);
	C_SEP(l);
	c_int(l, f->position);
	C_SEP(l);
	c_string(l, f->run_id);
	C_SEP(l);
	c_string(l, f->rule);
	C_SEP(l);
	c_string(l, f->ruleset);
	C_SEP(l);
	c_string(l, f->severity);
	C_SEP(l);
	c_string(l, f->outcome);
	C_SEP(l);
	c_string(l, f->metric);
	C_SEP(l);
	c_string(l, f->op);
	C_SEP(l);
	c_real(l, f->has_threshold, f->threshold);
	C_SEP(l);
	c_real(l, f->has_value, f->value);
	C_SEP(l);
	c_real(l, f->has_headroom, f->headroom);
	C_SEP(l);
	c_string(l, f->first_due);
	C_SEP(l);
	c_bytes(l, f->gate_fails ? "true" : "false", f->gate_fails ? 4 : 5);
	C_SEP(l);
	c_string(l, f->known_since);
	c_char(l, ']');
	return line_done(c);
}

int fg_audit_chunks_waiver(fg_audit_chunks *c, const fg_audit_waiver *w)
{
	canon *l = &c->pending;

	if (c->failed || !c->sha)
		return FG_ENOMEM;
	c->waivers++;
	c_bytes(l, "[\"waiver\",", 10);
	c_int(l, w->run_position);
	C_SEP(l);
	c_int(l, w->finding_position);
	C_SEP(l);
	c_string(l, w->run_id);
	C_SEP(l);
	c_string(l, w->rule);
	C_SEP(l);
	c_string(l, w->reason);
	C_SEP(l);
	c_string(l, w->approved_by);
	C_SEP(l);
	c_string(l, w->expires);
	c_char(l, ']');
	return line_done(c);
}

int fg_audit_chunks_end(fg_audit_chunks *c)
{
	return close_chunk(c);
}

size_t fg_audit_chunks_count(const fg_audit_chunks *c)
{
	return c ? c->count : 0;
}

const char *fg_audit_chunks_hex(const fg_audit_chunks *c, size_t i)
{
	return c && i < c->count ? c->hex[i] : NULL;
}

void fg_audit_chunks_rows(const fg_audit_chunks *c, int64_t *runs,
			  int64_t *findings, int64_t *waivers)
{
	*runs = c->runs;
	*findings = c->findings;
	*waivers = c->waivers;
}

static json_t *string_or_jnull(const char *s)
{
	return s ? json_string(s) : json_null();
}

int fg_audit_entry4(char **text, const fg_audit_header *h,
		    const fg_audit_chunks *c)
{
	json_t *o = json_object(), *chunks = json_array();
	size_t i;
	int bad = !o || !chunks;

	*text = NULL;
	for (i = 0; !bad && i < c->count; i++)
		bad |= json_array_append_new(chunks, json_string(c->hex[i]));
	bad |= put(o, "seq", json_integer(h->seq));
	bad |= put(o, "format", json_integer(4));
	bad |= put(o, "evaluation_id", json_integer(h->evaluation_id));
	bad |= put(o, "as_of", string_or_jnull(h->as_of));
	bad |= put(o, "actor", string_or_jnull(h->actor));
	bad |= put(o, "tool_version", string_or_jnull(h->tool_version));
	bad |= put(o, "recorded_at", string_or_jnull(h->recorded_at));
	bad |= put(o, "fail_on", string_or_jnull(h->fail_on));
	bad |= put(o, "gate_passed", json_boolean(h->gate_passed));
	bad |= put(o, "gate_failures", json_integer(h->gate_failures));
	bad |= put(o, "rulesets", h->rulesets ? json_deep_copy(h->rulesets)
					      : json_array());
	bad |= put(o, "runs", json_integer(c->runs));
	bad |= put(o, "findings", json_integer(c->findings));
	bad |= put(o, "waivers", json_integer(c->waivers));
	bad |= chunks ? json_object_set(o, "chunks", chunks) : -1;
	if (!bad)
		*text = fg_json_dumps(o, JSON_REAL_PRECISION(17) |
				      JSON_SORT_KEYS | JSON_COMPACT |
				      JSON_ENSURE_ASCII);
	json_decref(o);
	json_decref(chunks);
	return *text ? 0 : FG_ENOMEM;
}

/* ---- rows from a document ----------------------------------------------------- */

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int real_of(const json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return 0;
	*out = json_number_value(v);
	return 1;
}

void fg_audit_finding_of_json(fg_audit_finding *out, const json_t *finding,
			      const json_t *rule_facts, const char *ruleset,
			      const char *run_id, int64_t run_position,
			      int64_t position)
{
	json_t *o;
	const char *d;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->run_position = run_position;
	out->position = position;
	out->run_id = run_id;
	out->rule = str_of(finding, "rule");
	out->ruleset = json_object_get(finding, "ruleset")
		? str_of(finding, "ruleset") : ruleset;
	out->severity = json_object_get(finding, "severity")
		? str_of(finding, "severity") : str_of(rule_facts, "severity");
	out->outcome = str_of(finding, "outcome");
	out->metric = str_of(finding, "metric");
	out->op = str_of(finding, "op");
	out->has_threshold = real_of(finding, "threshold", &out->threshold);
	out->has_value = real_of(finding, "value", &out->value);
	out->has_headroom = real_of(finding, "headroom", &out->headroom);
	json_array_foreach(json_object_get(finding, "obligations"), i, o) {
		d = str_of(o, "due");
		if (d && (!out->first_due || strcmp(d, out->first_due) < 0))
			out->first_due = d;
	}
	out->gate_fails = json_is_true(json_object_get(finding, "gate_fails"));
	out->known_since = str_of(finding, "known_since");
}

int fg_audit_waiver_of_json(fg_audit_waiver *out, const json_t *finding,
			    const char *run_id, int64_t run_position,
			    int64_t finding_position)
{
	json_t *w = json_object_get(finding, "waiver");

	if (!json_is_object(w))
		return 0;
	out->run_position = run_position;
	out->finding_position = finding_position;
	out->run_id = run_id;
	out->rule = str_of(finding, "rule");
	out->reason = str_of(w, "reason");
	out->approved_by = str_of(w, "approved_by");
	out->expires = str_of(w, "expires");
	return 1;
}
