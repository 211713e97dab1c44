/* flopgate — the audit chain: canonical entries, chain hash, checkpoints.
 *
 * This module holds no SQLite: it is what an outside auditor re-implements
 * (tests/fixtures/db/make-v1.py does, in Python).  The store builds and
 * checks entries with it (src/store_record.c, src/store_verify.c).
 *
 * THE CHAIN.  Table `audit` holds one row per recorded evaluation:
 * (seq, evaluation_id, prev_hash, hash, format).  seq runs 1, 2, 3, ...
 * without gaps.  For entry n
 *
 *     hash[n] = SHA-256( prev || E[n] )
 *
 * where prev is the 32 raw bytes of hash[n-1] (32 zero bytes for n = 1)
 * and E[n] is the canonical entry below, as bytes.  prev_hash and hash are
 * stored as 64 lower-case hex digits; prev_hash[n] must equal hash[n-1].
 *
 * THE CANONICAL ENTRY E[n] is a JSON object rebuilt from the relational
 * rows (never from a stored copy), serialized with jansson's
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
 * VERIFICATION (fg_store_verify) walks the entries by seq and, for each:
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
 * Decisions read only verified rows: fg_store_first_triggered and
 * fg_store_first_known take a date only from an evaluation with an entry,
 * and verify that entry (fg_audit_verify_one) before using it; recording
 * verifies the head entry before appending to it.
 *
 * CHECKPOINTS are the body of a C2SP tlog-checkpoint: the origin line
 * "flopgate audit log", the entry count in decimal, and the head hash in
 * standard base64, each line ending in '\n'.  Here the "tree" is a chain:
 * the hash is the chain head, not a Merkle root.
 */
#include "flopgate/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "flopgate/hash.h"

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
