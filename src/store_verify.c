/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store: verification of the audit chain and of every row
 * (fg_store_verify, and the one-entry checks decisions make).  The entry
 * format is specified in src/audit.c. */
#include "store_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"
#include "flopgate/hash.h"
#include "json_read.h"
#include "result_json.h"

/* ---- small JSON helpers ---------------------------------------------- */

/* A runs row's stored document (FG_STORE_DOCUMENT_V8), NULL when the row
 * holds a text beside its frame: a frame's row keeps '' in document. */
#define STORED_DOCUMENT_V8 "CASE WHEN r.document_lz4 IS NULL THEN " \
	"r.document WHEN r.document = '' THEN r.document_lz4 END"

/* The runs rows of positions ?2..?3 of evaluation ?1, by position:
 * position, run_id, input_sha256, input_file, document_sha256, then
 * `more` (the stored document, whether the input text is there). */
#define CHUNK_RUNS(more) "SELECT position, run_id, input_sha256, " \
	"input_file, document_sha256" more " FROM runs r WHERE " \
	"evaluation_id = ?1 AND position BETWEEN ?2 AND ?3 ORDER BY position"
#define INPUT_THERE ", EXISTS (SELECT 1 FROM input_texts t WHERE " \
	"t.sha256 = r.input_sha256)"

static json_t *column_string(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_stringn((const char *)sqlite3_column_text(st, i),
			    (size_t)sqlite3_column_bytes(st, i));
}

static json_t *column_real(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_real(sqlite3_column_double(st, i));
}

/* Sets key to value (stolen); -1 when value is NULL or setting fails. */
static int put(json_t *object, const char *key, json_t *value)
{
	return value ? json_object_set_new(object, key, value) : -1;
}

/* ---- rows -> entry ------------------------------------------------------ */

static int append_rows(fg_store *s, json_t *array, const char *sql,
		       int64_t evaluation_id, const char *const *keys,
		       const char *kinds, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *o, *v;
	int rc, i;

	if ((rc = fg_store_prepare(s, &st, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, evaluation_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		if (!o || json_array_append_new(array, o)) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			goto done;
		}
		for (i = 0; keys[i]; i++) {
			v = kinds[i] == 'r' ? column_real(st, i)
			  : kinds[i] == 'b'
				? json_boolean(sqlite3_column_int(st, i))
				: column_string(st, i);
			if (put(o, keys[i], v)) {
				rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory");
				goto done;
			}
		}
	}
	rc = rc == SQLITE_DONE ? 0 : fg_store_db_error(s, err, "reading");
done:
	sqlite3_finalize(st);
	return rc;
}

static const char *const ruleset_keys[] = {
	"id", "sha256", "file", "title", "jurisdiction", "version", "source",
	NULL};
static const char *const run_keys[] = {"id", "input_sha256",
				       "document_sha256", "input_file", NULL};
/* Formats 1 and 2: without input_file. */
static const char *const run_keys_v2[] = {"id", "input_sha256",
					  "document_sha256", NULL};
static const char *const finding_keys[] = {
	"run", "rule", "ruleset", "severity", "outcome", "metric", "op",
	"threshold", "value", "headroom", "due", "gate_fails", "known_since",
	NULL};
static const char *const waiver_keys[] = {"run", "rule", "reason",
					  "approved_by", "expires", NULL};

/* The entry as a JSON object; *out a new reference. */
static int entry_object(fg_store *s, int64_t seq, int64_t evaluation_id,
			int format, json_t **out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *o = json_object(), *rulesets = json_array(),
	       *runs = json_array(), *findings = json_array(),
	       *waivers = json_array();
	const char *const *fkeys = finding_keys;
	const char *const v1_finding_keys[] = {
		"run", "rule", "ruleset", "severity", "outcome", "metric",
		"op", "threshold", "value", "headroom", "due", "gate_fails",
		NULL};
	int rc, bad = 0;

	*out = NULL;
	if (!o || !rulesets || !runs || !findings || !waivers) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (format < 2)
		fkeys = v1_finding_keys;
	rc = fg_store_prepare(s, &st,
		"SELECT as_of, actor, tool_version, recorded_at, fail_on, "
		"gate_passed, gate_failures FROM evaluations WHERE id = ?",
		err);
	if (rc < 0)
		goto done;
	sqlite3_bind_int64(st, 1, evaluation_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE
			? fg_error_set(err, FG_EINTEGRITY, NULL, 0, 0,
				       "evaluation %" PRId64 " is missing",
				       evaluation_id)
			: fg_store_db_error(s, err, "reading");
		goto done;
	}
	bad |= put(o, "seq", json_integer(seq));
	if (format >= 2)
		bad |= put(o, "format", json_integer(format));
	bad |= put(o, "evaluation_id", json_integer(evaluation_id));
	bad |= put(o, "as_of", column_string(st, 0));
	bad |= put(o, "actor", column_string(st, 1));
	bad |= put(o, "tool_version", column_string(st, 2));
	bad |= put(o, "recorded_at", column_string(st, 3));
	bad |= put(o, "fail_on", column_string(st, 4));
	bad |= put(o, "gate_passed", json_boolean(sqlite3_column_int(st, 5)));
	bad |= put(o, "gate_failures",
		   json_integer(sqlite3_column_int64(st, 6)));
	bad |= json_object_set(o, "rulesets", rulesets);
	bad |= json_object_set(o, "runs", runs);
	bad |= json_object_set(o, "findings", findings);
	bad |= json_object_set(o, "waivers", waivers);
	if (bad) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = append_rows(s, rulesets,
		"SELECT ruleset_id, sha256, file, title, jurisdiction, "
		"version, source FROM evaluation_rulesets "
		"WHERE evaluation_id = ? ORDER BY ruleset_id, sha256, position",
		evaluation_id, ruleset_keys, "sssssss", err)) < 0)
		goto done;
	if ((rc = append_rows(s, runs, format >= 3
		? "SELECT run_id, input_sha256, document_sha256, input_file "
		  "FROM runs WHERE evaluation_id = ? ORDER BY position"
		: "SELECT run_id, input_sha256, document_sha256 FROM runs "
		  "WHERE evaluation_id = ? ORDER BY position",
		evaluation_id, format >= 3 ? run_keys : run_keys_v2, "ssss",
		err)) < 0)
		goto done;
	if ((rc = append_rows(s, findings, s->version >= 2
		? "SELECT run_id, rule, ruleset, severity, outcome, metric, op, "
		  "threshold, value, headroom, first_due, gate_fails, "
		  "known_since FROM findings WHERE evaluation_id = ? "
		  "ORDER BY run_position, position"
		: "SELECT run_id, rule, ruleset, severity, outcome, metric, op, "
		  "threshold, value, headroom, first_due, gate_fails "
		  "FROM findings WHERE evaluation_id = ? "
		  "ORDER BY run_position, position",
		evaluation_id, fkeys, "sssssssrrrsbs", err)) < 0)
		goto done;
	if ((rc = append_rows(s, waivers,
		"SELECT run_id, rule, reason, approved_by, expires FROM waivers "
		"WHERE evaluation_id = ? ORDER BY run_position, finding_position",
		evaluation_id, waiver_keys, "sssss", err)) < 0)
		goto done;
	*out = o;
	o = NULL;
	rc = 0;
done:
	sqlite3_finalize(st);
	json_decref(o);
	json_decref(rulesets);
	json_decref(runs);
	json_decref(findings);
	json_decref(waivers);
	return rc;
}

static int dump_entry(json_t *entry, char **text_out, fg_error *err)
{
	*text_out = fg_json_dumps(entry, FG_JSON_CANONICAL);
	return *text_out ? 0 : fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
}

static int entry4_text(fg_store *s, int64_t seq, int64_t evaluation_id,
			char **text_out, fg_error *err);

int fg_audit_entry_text(fg_store *s, int64_t seq, int64_t evaluation_id,
			int format, char **text_out, fg_error *err)
{
	json_t *entry = NULL;
	int rc;

	*text_out = NULL;
	if (format >= 4)
		return entry4_text(s, seq, evaluation_id, text_out, err);
	if ((rc = entry_object(s, seq, evaluation_id, format, &entry, err)) < 0)
		return rc;
	rc = dump_entry(entry, text_out, err);
	json_decref(entry);
	return rc;
}

/* ---- verification ------------------------------------------------------- */

/* Records the first bad entry in the report and err; returns
 * FG_EINTEGRITY. */
static int bad_entry(fg_store *s, fg_verify_report *r, fg_error *err,
		     int64_t seq, int64_t evaluation_id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int bad_entry(fg_store *s, fg_verify_report *r, fg_error *err,
		     int64_t seq, int64_t evaluation_id, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	size_t used = 0;
	const char *id;

	r->bad_seq = seq;
	r->bad_evaluation_id = evaluation_id;
	r->bad_runs[0] = 0;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
	if (evaluation_id &&
	    sqlite3_prepare_v2(s->db, "SELECT run_id FROM runs WHERE "
			       "evaluation_id = ? ORDER BY position", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, evaluation_id);
		while (sqlite3_step(st) == SQLITE_ROW &&
		       used < sizeof(r->bad_runs) - 1) {
			id = (const char *)sqlite3_column_text(st, 0);
			used += (size_t)snprintf(r->bad_runs + used,
						 sizeof(r->bad_runs) - used,
						 "%s%s", used ? ", " : "",
						 id ? id : "");
		}
	}
	sqlite3_finalize(st);
	if (seq && evaluation_id)
		return fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				    "audit entry %" PRId64 " (evaluation %"
				    PRId64 "%s%s): %s", seq, evaluation_id,
				    r->bad_runs[0] ? ", runs " : "",
				    r->bad_runs, r->problem);
	if (seq)
		return fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				    "audit entry %" PRId64 ": %s", seq,
				    r->problem);
	return fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0, "%s",
			    r->problem);
}

static int text_hash_matches(sqlite3_stmt *st, int col, const char *hex)
{
	char got[65];

	if (fg_sha256_hex(sqlite3_column_blob(st, col),
			  (size_t)sqlite3_column_bytes(st, col), got))
		return -1;
	return strcmp(got, hex) == 0;
}

/* Names the first key where two entry objects differ, into buf. */
static void first_difference(json_t *rows, json_t *doc, char *buf,
			     size_t size)
{
	const char *key;
	json_t *v;
	char *a, *b;

	json_object_foreach(doc, key, v) {
		if (json_equal(v, json_object_get(rows, key)))
			continue;
		a = fg_json_dumps(json_object_get(rows, key),
			       JSON_ENCODE_ANY | FG_JSON_CANONICAL);
		b = fg_json_dumps(v, JSON_ENCODE_ANY |
				  FG_JSON_CANONICAL);
		snprintf(buf, size, "%s is %s in the table but %s in the "
			 "recorded document", key, a ? a : "?", b ? b : "?");
		free(a);
		free(b);
		return;
	}
	snprintf(buf, size, "the row differs from the recorded document");
}

/* Compares the findings or waiver rows of an entry with what the run
 * documents say. */
static int compare_rows(fg_store *s, fg_verify_report *r, fg_error *err,
			int64_t seq, int64_t evaluation_id, const char *what,
			json_t *rows, json_t *expected)
{
	size_t i, n = json_array_size(expected);
	json_t *a, *b;
	char diff[600];

	for (i = 0; i < n && i < json_array_size(rows); i++) {
		a = json_array_get(rows, i);
		b = json_array_get(expected, i);
		if (json_equal(a, b))
			continue;
		first_difference(a, b, diff, sizeof(diff));
		return bad_entry(s, r, err, seq, evaluation_id,
				 "%s row %zu (run %s, rule %s): %s", what,
				 i + 1, json_string_value(json_object_get(
						b, "run")),
				 json_string_value(json_object_get(b, "rule")),
				 diff);
	}
	if (json_array_size(rows) != n)
		return bad_entry(s, r, err, seq, evaluation_id,
				 "%zu %s rows, but the recorded documents hold "
				 "%zu", json_array_size(rows), what, n);
	return 0;
}

/* The rows' positions (sql gives two integer columns for evaluation_id,
 * in order) are exactly `expected` ([[a, b], ...], from the documents):
 * the hashed entry lists rows in position order but not the positions, so
 * a row moved to another run or slot is caught here. */
static int check_positions(fg_store *s, fg_verify_report *r, fg_error *err,
			   int64_t seq, int64_t evaluation_id,
			   const char *what, const char *sql, json_t *expected)
{
	sqlite3_stmt *st = NULL;
	json_t *want;
	size_t i = 0;
	int rc;
	int64_t a, b;

	if ((rc = fg_store_prepare(s, &st, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, evaluation_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a = sqlite3_column_int64(st, 0);
		b = sqlite3_column_int64(st, 1);
		want = json_array_get(expected, i++);
		if (!want ||
		    json_integer_value(json_array_get(want, 0)) != a ||
		    json_integer_value(json_array_get(want, 1)) != b) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "%s row at (%" PRId64 ", %" PRId64 ") "
				       "is not where the recorded documents "
				       "put it", what, a, b);
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading");
		goto done;
	}
	rc = i == json_array_size(expected) ? 0
	     : bad_entry(s, r, err, seq, evaluation_id, "%zu %s rows, but the "
			 "recorded documents hold %zu", i, what,
			 json_array_size(expected));
done:
	sqlite3_finalize(st);
	return rc;
}

/* Appends [a, b] to list; -1 when out of memory. */
static int append_pair(json_t *list, int64_t a, int64_t b)
{
	return json_array_append_new(list, json_pack("[I, I]", (json_int_t)a,
						     (json_int_t)b));
}

/* Checks the runs of one entry: input text and document hashes, and that
 * the findings and waiver rows say what the documents say. */
static int check_runs(fg_store *s, fg_verify_report *r, fg_error *err,
		      int64_t seq, int64_t evaluation_id, int format,
		      json_t *entry)
{
	sqlite3_stmt *st = NULL;
	json_t *findings = json_array(), *waivers = json_array();
	json_t *finding_at = json_array(), *waiver_at = json_array();
	json_t *doc = NULL, *finding, *o;
	const char *run_id, *input_sha, *doc_sha, *doc_id, *doc_input;
	json_error_t jerr;
	int64_t position = 0;
	size_t i;
	int rc, ok, failed = 0;

	if (!findings || !waivers || !finding_at || !waiver_at) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	/* Rows of these formats were written before frames: a frame on
	 * one is no part of what the entry holds. */
#define OLD_FORMAT_RUNS(framed) "SELECT r.run_id, r.input_sha256, " \
	"r.document_sha256, r.document, t.text, t.sha256 IS NULL, " \
	"r.position, " framed " FROM runs r LEFT JOIN input_texts t ON " \
	"t.sha256 = r.input_sha256 WHERE r.evaluation_id = ? ORDER BY " \
	"r.position"
	rc = fg_store_prepare(s, &st, s->version >= 8
		? OLD_FORMAT_RUNS("r.document_lz4 IS NOT NULL")
		: OLD_FORMAT_RUNS("0"), err);
#undef OLD_FORMAT_RUNS
	if (rc < 0)
		goto done;
	sqlite3_bind_int64(st, 1, evaluation_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		run_id = (const char *)sqlite3_column_text(st, 0);
		input_sha = (const char *)sqlite3_column_text(st, 1);
		doc_sha = (const char *)sqlite3_column_text(st, 2);
		if (sqlite3_column_int64(st, 6) != ++position) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "runs row of run %s is at position %"
				       PRId64 ", not %" PRId64, run_id,
				       (int64_t)sqlite3_column_int64(st, 6),
				       position);
			goto done;
		}
		if (sqlite3_column_int(st, 5)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "the input text of run %s (%s) is "
				       "missing", run_id, input_sha);
			goto done;
		}
		if (sqlite3_column_int(st, 7)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "run %s, of an entry in format %d, "
				       "holds a document frame", run_id,
				       format);
			goto done;
		}
		if ((ok = text_hash_matches(st, 4, input_sha)) <= 0) {
			rc = ok < 0 ? FG_ENOMEM
			   : bad_entry(s, r, err, seq, evaluation_id,
				       "the stored input text of run %s no "
				       "longer hashes to %s", run_id,
				       input_sha);
			goto done;
		}
		if ((ok = text_hash_matches(st, 3, doc_sha)) <= 0) {
			rc = ok < 0 ? FG_ENOMEM
			   : bad_entry(s, r, err, seq, evaluation_id,
				       "the stored document of run %s no "
				       "longer hashes to %s", run_id, doc_sha);
			goto done;
		}
		json_decref(doc);
		doc = fg_json_loadb(sqlite3_column_blob(st, 3),
				    (size_t)sqlite3_column_bytes(st, 3), &jerr);
		/* Out of memory is not tampering (jansson leaves the error
		 * text empty when its first allocation fails). */
		if (!doc && (json_error_code(&jerr) ==
				     json_error_out_of_memory ||
			     !jerr.text[0])) {
			rc = FG_ENOMEM;
			goto done;
		}
		doc_id = json_string_value(json_object_get(doc, "id"));
		doc_input = json_string_value(json_object_get(doc,
							      "input_sha256"));
		if (!doc_id || strcmp(doc_id, run_id) || !doc_input ||
		    strcmp(doc_input, input_sha)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "the recorded document of run %s names "
				       "run %s with input %s", run_id,
				       doc_id ? doc_id : "(none)",
				       doc_input ? doc_input : "(none)");
			goto done;
		}
		json_array_foreach(json_object_get(doc, "findings"), i,
				   finding) {
			o = fg_audit_finding_of_document(run_id, finding,
							 format);
			if (!o || json_array_append_new(findings, o))
				failed = 1;
			if (append_pair(finding_at, position,
					(int64_t)i + 1))
				failed = 1;
			o = fg_audit_waiver_of_document(run_id, finding,
							&failed);
			if (o && (json_array_append_new(waivers, o) ||
				  append_pair(waiver_at, position,
					      (int64_t)i + 1)))
				failed = 1;
		}
		if (failed) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading runs");
		goto done;
	}
	rc = compare_rows(s, r, err, seq, evaluation_id, "findings",
			  json_object_get(entry, "findings"), findings);
	if (rc == 0)
		rc = compare_rows(s, r, err, seq, evaluation_id, "waivers",
				  json_object_get(entry, "waivers"), waivers);
	if (rc == 0)
		rc = check_positions(s, r, err, seq, evaluation_id, "findings",
			"SELECT run_position, position FROM findings WHERE "
			"evaluation_id = ? ORDER BY run_position, position",
			finding_at);
	if (rc == 0)
		rc = check_positions(s, r, err, seq, evaluation_id, "waivers",
			"SELECT run_position, finding_position FROM waivers "
			"WHERE evaluation_id = ? "
			"ORDER BY run_position, finding_position", waiver_at);
done:
	if (rc == FG_ENOMEM)
		fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
	sqlite3_finalize(st);
	json_decref(doc);
	json_decref(findings);
	json_decref(waivers);
	json_decref(finding_at);
	json_decref(waiver_at);
	return rc;
}

static int check_rulesets(fg_store *s, fg_verify_report *r, fg_error *err,
			  int64_t seq, int64_t evaluation_id)
{
	sqlite3_stmt *st = NULL;
	const char *id, *sha;
	int64_t position = 0;
	int rc, ok;

	rc = fg_store_prepare(s, &st,
		"SELECT e.ruleset_id, e.sha256, t.text, t.sha256 IS NULL, "
		"e.position FROM evaluation_rulesets e LEFT JOIN ruleset_texts t "
		"ON t.sha256 = e.sha256 WHERE e.evaluation_id = ? "
		"ORDER BY e.position", err);
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, evaluation_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		sha = (const char *)sqlite3_column_text(st, 1);
		if (sqlite3_column_int64(st, 4) != ++position) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "evaluation_rulesets row of ruleset %s "
				       "is at position %" PRId64 ", not %"
				       PRId64, id,
				       (int64_t)sqlite3_column_int64(st, 4),
				       position);
			goto done;
		}
		if (sqlite3_column_int(st, 3)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "the text of ruleset %s (%s) is "
				       "missing", id, sha);
			goto done;
		}
		if ((ok = text_hash_matches(st, 2, sha)) <= 0) {
			rc = ok < 0 ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						   "out of memory")
			   : bad_entry(s, r, err, seq, evaluation_id,
				       "the stored text of ruleset %s no "
				       "longer hashes to %s", id, sha);
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : fg_store_db_error(s, err, "reading");
done:
	sqlite3_finalize(st);
	return rc;
}

/* One entry: texts, documents, rows, then the chain hash into head. */
static int check_entry(fg_store *s, fg_verify_report *r, fg_error *err,
		       int64_t seq, int64_t evaluation_id, int format,
		       const char *stored_hash, unsigned char head[32])
{
	json_t *entry = NULL;
	char *text = NULL;
	unsigned char computed[32];
	char hex[65];
	int rc;

	rc = entry_object(s, seq, evaluation_id, format, &entry, err);
	if (rc == FG_EINTEGRITY)
		rc = bad_entry(s, r, err, seq, evaluation_id,
			       "its evaluation row is missing");
	if (rc < 0)
		goto done;
	if ((rc = check_rulesets(s, r, err, seq, evaluation_id)) < 0 ||
	    (rc = check_runs(s, r, err, seq, evaluation_id, format, entry)) < 0 ||
	    (rc = dump_entry(entry, &text, err)) < 0)
		goto done;
	if (fg_audit_chain_hash(head, text, computed)) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	fg_hex(computed, 32, hex);
	if (strcmp(hex, stored_hash)) {
		rc = bad_entry(s, r, err, seq, evaluation_id,
			       "its rows no longer hash to the stored entry "
			       "hash (recomputed %.16s..., stored %.16s...)",
			       hex, stored_hash);
		goto done;
	}
	memcpy(head, computed, 32);
done:
	free(text);
	json_decref(entry);
	return rc;
}

/* ---- format 4 ------------------------------------------------------------------ */

/* The header of a format-4 entry from its evaluation and rulesets rows;
 * h->rulesets is a new reference (json_decref it).  Checks on the way
 * that the rulesets rows sit at 1..n and that their texts and facts are
 * there. */
static int header4(fg_store *s, fg_verify_report *r, fg_error *err,
		   int64_t seq, int64_t evaluation_id, fg_audit_header *h,
		   sqlite3_stmt **ev_out)
{
	sqlite3_stmt *st = NULL, *rs = NULL;
	json_t *list = json_array(), *row;
	int64_t position = 0;
	int rc;

	memset(h, 0, sizeof(*h));
	*ev_out = NULL;
	if (!list)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_store_prepare_cached(s, &st,
		"SELECT as_of, actor, tool_version, recorded_at, fail_on, "
		"gate_passed, gate_failures FROM evaluations WHERE id = ?",
		err)) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, evaluation_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE
			? bad_entry(s, r, err, seq, evaluation_id,
				    "its evaluation row is missing")
			: fg_store_db_error(s, err, "reading");
		goto fail;
	}
	h->seq = seq;
	h->evaluation_id = evaluation_id;
	h->as_of = (const char *)sqlite3_column_text(st, 0);
	h->actor = (const char *)sqlite3_column_text(st, 1);
	h->tool_version = (const char *)sqlite3_column_text(st, 2);
	h->recorded_at = (const char *)sqlite3_column_text(st, 3);
	h->fail_on = (const char *)sqlite3_column_text(st, 4);
	h->gate_passed = sqlite3_column_int(st, 5);
	h->gate_failures = sqlite3_column_int64(st, 6);
	if ((rc = fg_store_prepare_cached(s, &rs,
		"SELECT e.position, e.ruleset_id, e.sha256, e.file, e.title, "
		"e.jurisdiction, e.version, e.source, e.facts_sha256, "
		"EXISTS (SELECT 1 FROM ruleset_texts t WHERE t.sha256 = "
		"e.sha256), e.facts_sha256 IS NULL OR EXISTS (SELECT 1 FROM "
		"rule_facts f WHERE f.sha256 = e.facts_sha256) "
		"FROM evaluation_rulesets e WHERE e.evaluation_id = ? "
		"ORDER BY e.position", err)) < 0)
		goto fail;
	sqlite3_bind_int64(rs, 1, evaluation_id);
	while ((rc = sqlite3_step(rs)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(rs, 1);
		const char *sha = (const char *)sqlite3_column_text(rs, 2);

		if (sqlite3_column_int64(rs, 0) != ++position) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "evaluation_rulesets row of ruleset %s "
				       "is at position %" PRId64 ", not %"
				       PRId64, id,
				       (int64_t)sqlite3_column_int64(rs, 0),
				       position);
			goto fail;
		}
		if (!sqlite3_column_int(rs, 9)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "the text of ruleset %s (%s) is "
				       "missing", id, sha);
			goto fail;
		}
		if (!sqlite3_column_int(rs, 10)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "the rule facts of ruleset %s (%s) are "
				       "missing", id, (const char *)
				       sqlite3_column_text(rs, 8));
			goto fail;
		}
		row = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				"position", (json_int_t)position,
				"id", column_string(rs, 1),
				"sha256", column_string(rs, 2),
				"file", column_string(rs, 3),
				"title", column_string(rs, 4),
				"jurisdiction", column_string(rs, 5),
				"version", column_string(rs, 6),
				"source", column_string(rs, 7),
				"facts_sha256", column_string(rs, 8));
		if (!row || json_array_append_new(list, row)) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading");
		goto fail;
	}
	fg_store_release(s, rs);
	h->rulesets = list;
	*ev_out = st;
	return 0;
fail:
	fg_store_release(s, st);
	fg_store_release(s, rs);
	json_decref(list);
	return rc;
}

static void run_of_row(fg_audit_run *a, sqlite3_stmt *st)
{
	a->position = sqlite3_column_int64(st, 0);
	a->run_id = (const char *)sqlite3_column_text(st, 1);
	a->input_sha256 = (const char *)sqlite3_column_text(st, 2);
	a->input_file = (const char *)sqlite3_column_text(st, 3);
	a->document_sha256 = (const char *)sqlite3_column_text(st, 4);
}

static void finding_of_row(fg_audit_finding *f, sqlite3_stmt *st)
{
	f->run_position = sqlite3_column_int64(st, 0);
	f->position = sqlite3_column_int64(st, 1);
	f->run_id = (const char *)sqlite3_column_text(st, 2);
	f->rule = (const char *)sqlite3_column_text(st, 3);
	f->ruleset = (const char *)sqlite3_column_text(st, 4);
	f->severity = (const char *)sqlite3_column_text(st, 5);
	f->outcome = (const char *)sqlite3_column_text(st, 6);
	f->metric = (const char *)sqlite3_column_text(st, 7);
	f->op = (const char *)sqlite3_column_text(st, 8);
	f->has_threshold = sqlite3_column_type(st, 9) != SQLITE_NULL;
	f->threshold = sqlite3_column_double(st, 9);
	f->has_value = sqlite3_column_type(st, 10) != SQLITE_NULL;
	f->value = sqlite3_column_double(st, 10);
	f->has_headroom = sqlite3_column_type(st, 11) != SQLITE_NULL;
	f->headroom = sqlite3_column_double(st, 11);
	f->first_due = (const char *)sqlite3_column_text(st, 12);
	f->gate_fails = sqlite3_column_int(st, 13);
	f->known_since = (const char *)sqlite3_column_text(st, 14);
}

static void waiver_of_row(fg_audit_waiver *w, sqlite3_stmt *st)
{
	w->run_position = sqlite3_column_int64(st, 0);
	w->finding_position = sqlite3_column_int64(st, 1);
	w->run_id = (const char *)sqlite3_column_text(st, 2);
	w->rule = (const char *)sqlite3_column_text(st, 3);
	w->reason = (const char *)sqlite3_column_text(st, 4);
	w->approved_by = (const char *)sqlite3_column_text(st, 5);
	w->expires = (const char *)sqlite3_column_text(st, 6);
}

/* The rows of runs [first, last] of an evaluation, into chunks, in the
 * entry's order: each run, its findings, its waivers.  With documents,
 * every run's document must hash to its document_sha256 and its input
 * text must be there (a full verify); a decision reads neither.  Whether
 * the input texts are there is asked of each run when missing_input is
 * -1; otherwise the caller has asked of all runs at once (first_missing_
 * input) and missing_input is the position of the first run whose text
 * is missing, or 0. */
static int walk_rows(fg_store *s, fg_verify_report *r, fg_error *err,
		     int64_t seq, int64_t evaluation_id, int64_t first,
		     int64_t last, int documents, int64_t missing_input,
		     fg_audit_chunks *chunks)
{
	sqlite3_stmt *runs = NULL, *fs = NULL, *ws = NULL;
	fg_audit_run ar;
	fg_audit_finding af;
	fg_audit_waiver aw;
	int64_t position = first - 1;
	int rc, frc, wrc, ok;

	if ((rc = fg_store_prepare_cached(s, &runs,
		documents && missing_input < 0 && s->version >= 8
		? CHUNK_RUNS(", " STORED_DOCUMENT_V8 INPUT_THERE)
		: documents && s->version >= 8
		? CHUNK_RUNS(", " STORED_DOCUMENT_V8)
		: documents && missing_input < 0
		? CHUNK_RUNS(", r.document" INPUT_THERE)
		: documents ? CHUNK_RUNS(", r.document")
		: CHUNK_RUNS(""), err)) < 0 ||
	    (rc = fg_store_prepare_cached(s, &fs,
		"SELECT run_position, position, run_id, rule, ruleset, "
		"severity, outcome, metric, op, threshold, value, headroom, "
		"first_due, gate_fails, known_since FROM findings WHERE "
		"evaluation_id = ?1 AND run_position BETWEEN ?2 AND ?3 "
		"ORDER BY run_position, position", err)) < 0 ||
	    (rc = fg_store_prepare_cached(s, &ws,
		"SELECT run_position, finding_position, run_id, rule, reason, "
		"approved_by, expires FROM waivers WHERE evaluation_id = ?1 "
		"AND run_position BETWEEN ?2 AND ?3 "
		"ORDER BY run_position, finding_position", err)) < 0)
		goto done;
	sqlite3_bind_int64(runs, 1, evaluation_id);
	sqlite3_bind_int64(runs, 2, first);
	sqlite3_bind_int64(runs, 3, last);
	sqlite3_bind_int64(fs, 1, evaluation_id);
	sqlite3_bind_int64(fs, 2, first);
	sqlite3_bind_int64(fs, 3, last);
	sqlite3_bind_int64(ws, 1, evaluation_id);
	sqlite3_bind_int64(ws, 2, first);
	sqlite3_bind_int64(ws, 3, last);
	frc = sqlite3_step(fs);
	wrc = sqlite3_step(ws);
	while ((rc = sqlite3_step(runs)) == SQLITE_ROW) {
		run_of_row(&ar, runs);
		if (ar.position != ++position) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "runs row of run %s is at position %"
				       PRId64 ", not %" PRId64, ar.run_id,
				       ar.position, position);
			goto done;
		}
		if (documents) {
			if (missing_input < 0 ? !sqlite3_column_int(runs, 6)
					      : ar.position == missing_input) {
				rc = bad_entry(s, r, err, seq, evaluation_id,
					       "the input text of run %s (%s) "
					       "is missing", ar.run_id,
					       ar.input_sha256);
				goto done;
			}
			if (sqlite3_column_type(runs, 5) == SQLITE_NULL) {
				rc = bad_entry(s, r, err, seq, evaluation_id,
					       "run %s holds a document text "
					       "beside its frame", ar.run_id);
				goto done;
			}
			if ((ok = text_hash_matches(runs, 5,
						    ar.document_sha256)) <= 0) {
				rc = ok < 0
				   ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory")
				   : bad_entry(s, r, err, seq, evaluation_id,
					       "the stored document of run %s "
					       "no longer hashes to %s",
					       ar.run_id, ar.document_sha256);
				goto done;
			}
		}
		if (fg_audit_chunks_run(chunks, &ar))
			goto oom;
		for (; frc == SQLITE_ROW; frc = sqlite3_step(fs)) {
			finding_of_row(&af, fs);
			if (af.run_position != position)
				break;
			if (fg_audit_chunks_finding(chunks, &af))
				goto oom;
		}
		for (; wrc == SQLITE_ROW; wrc = sqlite3_step(ws)) {
			waiver_of_row(&aw, ws);
			if (aw.run_position != position)
				break;
			if (fg_audit_chunks_waiver(chunks, &aw))
				goto oom;
		}
		/* a row left behind belongs to no run of the entry */
		if ((frc == SQLITE_ROW && af.run_position < position) ||
		    (wrc == SQLITE_ROW && aw.run_position < position))
			break;
	}
	if (rc == SQLITE_ROW || frc == SQLITE_ROW || wrc == SQLITE_ROW) {
		if (frc == SQLITE_ROW)
			finding_of_row(&af, fs);
		if (wrc == SQLITE_ROW)
			waiver_of_row(&aw, ws);
		rc = bad_entry(s, r, err, seq, evaluation_id,
			       "%s row at (%" PRId64 ", %" PRId64 ") belongs "
			       "to no run of the entry", frc == SQLITE_ROW
			       ? "findings" : "waivers",
			       frc == SQLITE_ROW ? af.run_position
						 : aw.run_position,
			       frc == SQLITE_ROW ? af.position
						 : aw.finding_position);
		goto done;
	}
	rc = rc == SQLITE_DONE && (frc == SQLITE_DONE || frc == SQLITE_ROW) &&
	     (wrc == SQLITE_DONE || wrc == SQLITE_ROW)
		? 0 : fg_store_db_error(s, err, "reading rows");
	goto done;
oom:
	rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
done:
	fg_store_release(s, runs);
	fg_store_release(s, fs);
	fg_store_release(s, ws);
	return rc;
}

/* A whole format-4 entry: its evaluation, rulesets and every row, rebuilt
 * and hashed, against the stored entry and hash; the hash goes into head
 * (the previous entry's hash on the way in). */
static int check_entry4(fg_store *s, fg_verify_report *r, fg_error *err,
			int64_t seq, int64_t evaluation_id,
			const char *stored_hash, const char *stored_entry,
			int64_t missing_input, unsigned char head[32])
{
	sqlite3_stmt *ev = NULL;
	fg_audit_header h;
	fg_audit_chunks *chunks = fg_audit_chunks_new();
	unsigned char computed[32];
	char hex[65], *text = NULL;
	int rc;

	if (!chunks)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = header4(s, r, err, seq, evaluation_id, &h, &ev)) < 0)
		goto done;
	if ((rc = walk_rows(s, r, err, seq, evaluation_id, 1, INT64_MAX, 1,
			    missing_input, chunks)) < 0)
		goto done;
	if (fg_audit_chunks_end(chunks) || fg_audit_entry4(&text, &h, chunks) ||
	    fg_audit_chain_hash(head, text, computed)) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	fg_hex(computed, 32, hex);
	if (strcmp(hex, stored_hash)) {
		rc = bad_entry(s, r, err, seq, evaluation_id,
			       "its rows no longer hash to the stored entry "
			       "hash (recomputed %.16s..., stored %.16s...)",
			       hex, stored_hash);
		goto done;
	}
	if (!stored_entry || strcmp(stored_entry, text)) {
		rc = bad_entry(s, r, err, seq, evaluation_id,
			       "its stored entry is not the one its rows "
			       "give");
		goto done;
	}
	memcpy(head, computed, 32);
done:
	free(text);
	json_decref((json_t *)h.rulesets);
	fg_store_release(s, ev);
	fg_audit_chunks_free(chunks);
	return rc;
}

/* The format-4 entry its rows give (for tests and tools that rebuild a
 * chain). */
static int entry4_text(fg_store *s, int64_t seq, int64_t evaluation_id,
		       char **text_out, fg_error *err)
{
	sqlite3_stmt *ev = NULL;
	fg_verify_report r;
	fg_audit_header h;
	fg_audit_chunks *chunks = fg_audit_chunks_new();
	int rc;

	memset(&r, 0, sizeof(r));
	if (!chunks)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = header4(s, &r, err, seq, evaluation_id, &h, &ev)) == 0 &&
	    (rc = walk_rows(s, &r, err, seq, evaluation_id, 1, INT64_MAX, 0, 0,
			    chunks)) == 0 &&
	    (fg_audit_chunks_end(chunks) ||
	     fg_audit_entry4(text_out, &h, chunks)))
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
	json_decref((json_t *)h.rulesets);
	fg_store_release(s, ev);
	fg_audit_chunks_free(chunks);
	return rc;
}

static int same_text(json_t *entry, const char *key, const char *have)
{
	const char *want = json_string_value(json_object_get(entry, key));

	return want ? have && !strcmp(want, have)
		    : json_is_null(json_object_get(entry, key)) && !have;
}

/* What a decision reads of a format-4 entry: the stored entry hashes to
 * the stored hash (its links checked by the caller), says what the
 * evaluation row says, and -- when run_position > 0 -- the chunk holding
 * that run is rebuilt from its rows. */
static int check_decision4(fg_store *s, fg_verify_report *r, fg_error *err,
			   int64_t seq, int64_t evaluation_id,
			   const char *stored_hash, const char *stored_entry,
			   const unsigned char prev[32], int64_t run_position)
{
	sqlite3_stmt *ev = NULL;
	fg_audit_header h;
	fg_audit_chunks *chunks = NULL;
	unsigned char computed[32];
	char hex[65];
	json_t *entry = NULL, *chunk_list;
	int64_t k, first, last, runs;
	int rc;

	memset(&h, 0, sizeof(h));
	if (!stored_entry)
		return bad_entry(s, r, err, seq, evaluation_id, "its stored "
				 "entry is missing");
	if (fg_audit_chain_hash(prev, stored_entry, computed))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	fg_hex(computed, 32, hex);
	if (strcmp(hex, stored_hash))
		return bad_entry(s, r, err, seq, evaluation_id, "its stored "
				 "entry does not hash to its hash");
	if (!(entry = json_loads(stored_entry, 0, NULL)))
		return bad_entry(s, r, err, seq, evaluation_id, "its stored "
				 "entry is not JSON");
	if ((rc = header4(s, r, err, seq, evaluation_id, &h, &ev)) < 0)
		goto done;
	if (json_integer_value(json_object_get(entry, "seq")) != seq ||
	    json_integer_value(json_object_get(entry, "evaluation_id")) !=
		    evaluation_id ||
	    !same_text(entry, "as_of", h.as_of) ||
	    !same_text(entry, "actor", h.actor) ||
	    !same_text(entry, "tool_version", h.tool_version) ||
	    !same_text(entry, "recorded_at", h.recorded_at) ||
	    !same_text(entry, "fail_on", h.fail_on) ||
	    json_is_true(json_object_get(entry, "gate_passed")) !=
		    (h.gate_passed != 0) ||
	    json_integer_value(json_object_get(entry, "gate_failures")) !=
		    h.gate_failures ||
	    !json_equal(json_object_get(entry, "rulesets"),
			(json_t *)h.rulesets)) {
		rc = bad_entry(s, r, err, seq, evaluation_id, "its evaluation "
			       "or rulesets rows are not what its entry says");
		goto done;
	}
	if (run_position <= 0) {
		rc = 0;
		goto done;
	}
	runs = json_integer_value(json_object_get(entry, "runs"));
	chunk_list = json_object_get(entry, "chunks");
	k = (run_position - 1) / FG_AUDIT_CHUNK_RUNS;
	first = k * FG_AUDIT_CHUNK_RUNS + 1;
	last = first + FG_AUDIT_CHUNK_RUNS - 1;
	if (last > runs)
		last = runs;
	if (run_position > runs ||
	    !json_is_string(json_array_get(chunk_list, (size_t)k))) {
		rc = bad_entry(s, r, err, seq, evaluation_id, "run %" PRId64
			       " is not one of its %" PRId64 " runs",
			       run_position, runs);
		goto done;
	}
	if (!(chunks = fg_audit_chunks_new())) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = walk_rows(s, r, err, seq, evaluation_id, first, last, 0, 0,
			    chunks)) < 0)
		goto done;
	if (fg_audit_chunks_end(chunks)) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (fg_audit_chunks_count(chunks) != 1 ||
	    strcmp(fg_audit_chunks_hex(chunks, 0), json_string_value(
			   json_array_get(chunk_list, (size_t)k)))) {
		rc = bad_entry(s, r, err, seq, evaluation_id, "the rows of its "
			       "runs %" PRId64 "-%" PRId64 " no longer hash to "
			       "its chunk %" PRId64, first, last, k);
		goto done;
	}
	rc = 0;
done:
	json_decref(entry);
	json_decref((json_t *)h.rulesets);
	fg_store_release(s, ev);
	fg_audit_chunks_free(chunks);
	return rc;
}

int fg_audit_verify_one(fg_store *s, int64_t evaluation_id,
			int64_t run_position, int *format_out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	fg_verify_report r;
	unsigned char head[32] = {0}, link[32];
	char hash[65], *entry = NULL;
	int64_t seq;
	int rc, format, own_txn = sqlite3_get_autocommit(s->db);

	memset(&r, 0, sizeof(r));
	/* One snapshot, also when called outside a transaction. */
	if (own_txn && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) !=
			       SQLITE_OK)
		return fg_store_db_error(s, err, "starting to read");
	if ((rc = fg_store_prepare_cached(s, &st, s->version >= 4
		? "SELECT a.seq, a.prev_hash, a.hash, a.format, p.hash, "
		  "n.prev_hash, n.seq IS NOT NULL, a.entry FROM audit a "
		  "LEFT JOIN audit p ON p.seq = a.seq - 1 "
		  "LEFT JOIN audit n ON n.seq = a.seq + 1 "
		  "WHERE a.evaluation_id = ?"
		: s->version >= 2
		? "SELECT a.seq, a.prev_hash, a.hash, a.format, p.hash, "
		  "n.prev_hash, n.seq IS NOT NULL, NULL FROM audit a "
		  "LEFT JOIN audit p ON p.seq = a.seq - 1 "
		  "LEFT JOIN audit n ON n.seq = a.seq + 1 "
		  "WHERE a.evaluation_id = ?"
		: "SELECT a.seq, a.prev_hash, a.hash, 1, p.hash, "
		  "n.prev_hash, n.seq IS NOT NULL, NULL FROM audit a "
		  "LEFT JOIN audit p ON p.seq = a.seq - 1 "
		  "LEFT JOIN audit n ON n.seq = a.seq + 1 "
		  "WHERE a.evaluation_id = ?", err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, evaluation_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE
			? bad_entry(s, &r, err, 0, evaluation_id,
				    "evaluation %" PRId64 " has no audit "
				    "entry", evaluation_id)
			: fg_store_db_error(s, err, "reading the audit log");
		goto done;
	}
	seq = sqlite3_column_int64(st, 0);
	format = sqlite3_column_int(st, 3);
	snprintf(hash, sizeof(hash), "%s",
		 sqlite3_column_type(st, 2) == SQLITE_TEXT
			 ? (const char *)sqlite3_column_text(st, 2) : "");
	/* Its link back (the entry before it, or none for the first) and
	 * forward (the entry after it, when there is one). */
	if (fg_audit_unhex((const char *)sqlite3_column_text(st, 1), head) ||
	    (seq > 1 && (sqlite3_column_type(st, 4) == SQLITE_NULL ||
			 fg_audit_unhex((const char *)sqlite3_column_text(
						st, 4), link) ||
			 memcmp(link, head, 32))) ||
	    (seq == 1 && memcmp(head, (unsigned char[32]){0}, 32))) {
		rc = bad_entry(s, &r, err, seq, evaluation_id,
			       "its prev_hash is not the hash of the entry "
			       "before it");
		goto done;
	}
	if (sqlite3_column_int(st, 6) &&
	    (sqlite3_column_type(st, 5) != SQLITE_TEXT ||
	     strcmp((const char *)sqlite3_column_text(st, 5), hash))) {
		rc = bad_entry(s, &r, err, seq + 1, 0, "its prev_hash is not "
			       "the hash of entry %" PRId64, seq);
		goto done;
	}
	if (format < 1 || format > FG_AUDIT_FORMAT) {
		rc = bad_entry(s, &r, err, seq, evaluation_id,
			       "its format %d is not possible here", format);
		goto done;
	}
	if (format_out)
		*format_out = format;
	if (sqlite3_column_type(st, 7) == SQLITE_TEXT &&
	    !(entry = strdup((const char *)sqlite3_column_text(st, 7)))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	fg_store_release(s, st);
	st = NULL;
	rc = format >= 4
		? (run_position < 0
			   ? check_decision4(s, &r, err, seq, evaluation_id,
					     hash, entry, head, 0)
		   : run_position == 0
			   ? check_entry4(s, &r, err, seq, evaluation_id, hash,
					  entry, -1, head)
			   : check_decision4(s, &r, err, seq, evaluation_id,
					     hash, entry, head, run_position))
		: check_entry(s, &r, err, seq, evaluation_id, format, hash,
			      head);
done:
	free(entry);
	fg_store_release(s, st);
	if (own_txn)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* After the walk, which verified every entry and the rows of its
 * evaluation: every other row of every table is one no entry covers.
 * Each query names the first such row of its table. */
static const struct orphan_query {
	const char *table, *sql;
	const char *v5; /* the query from schema version 5 on, if other */
} orphan_queries[] = {
	{"evaluations", "SELECT printf('id %d', id), id FROM evaluations e "
	 "WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.evaluation_id = "
	 "e.id) ORDER BY id LIMIT 1", NULL},
	{"evaluation_rulesets", "SELECT printf('evaluation_id %d, position "
	 "%d, ruleset %s', evaluation_id, position, ruleset_id), "
	 "evaluation_id FROM evaluation_rulesets t WHERE NOT EXISTS (SELECT 1 "
	 "FROM audit a WHERE a.evaluation_id = t.evaluation_id) LIMIT 1",
	 NULL},
	/* The scans of runs and findings read their primary-key indexes;
	 * the other columns, which only the tables hold (beside the runs'
	 * documents), are read for the row found. */
	{"runs", "SELECT printf('evaluation_id %d, position %d, run %s', "
	 "evaluation_id, position, (SELECT run_id FROM runs u WHERE "
	 "u.evaluation_id = t.evaluation_id AND u.position = t.position)), "
	 "evaluation_id FROM runs t WHERE NOT EXISTS (SELECT 1 FROM audit a "
	 "WHERE a.evaluation_id = t.evaluation_id) LIMIT 1", NULL},
	{"findings", "SELECT printf('evaluation_id %d, run_position %d, "
	 "position %d, %s', evaluation_id, run_position, position, (SELECT "
	 "printf('run %s, rule %s', run_id, rule) FROM findings u WHERE "
	 "u.evaluation_id = t.evaluation_id AND u.run_position = "
	 "t.run_position AND u.position = t.position)), evaluation_id FROM "
	 "findings t WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
	 "a.evaluation_id = t.evaluation_id) LIMIT 1", NULL},
	{"waivers", "SELECT printf('evaluation_id %d, run_position %d, "
	 "finding_position %d, run %s, rule %s', evaluation_id, "
	 "run_position, finding_position, run_id, rule), evaluation_id FROM "
	 "waivers t WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
	 "a.evaluation_id = t.evaluation_id) LIMIT 1", NULL},
	/* NOT IN builds the referenced set once; a correlated NOT EXISTS
	 * would scan runs (documents and all) once per text. */
	{"ruleset_texts", "SELECT printf('sha256 %s', sha256), 0 FROM "
	 "ruleset_texts WHERE sha256 NOT IN (SELECT sha256 FROM "
	 "evaluation_rulesets) LIMIT 1", NULL},
	{"input_texts", "SELECT printf('sha256 %s', sha256), 0 FROM "
	 "input_texts WHERE sha256 NOT IN (SELECT input_sha256 FROM runs) "
	 "LIMIT 1",
	 /* runs_by_input answers for each text without reading a run */
	 "SELECT printf('sha256 %s', sha256), 0 FROM input_texts t WHERE "
	 "NOT EXISTS (SELECT 1 FROM runs r WHERE r.input_sha256 = t.sha256) "
	 "LIMIT 1"},
	/* schema version 4 on */
	{"rule_facts", "SELECT printf('sha256 %s', sha256), 0 FROM "
	 "rule_facts WHERE sha256 NOT IN (SELECT facts_sha256 FROM "
	 "evaluation_rulesets WHERE facts_sha256 IS NOT NULL) LIMIT 1",
	 NULL},
};

/* Names a text that no longer hashes to its key after the first entry
 * that uses it (or its table and key, when none does). */
static int bad_text(fg_store *s, fg_verify_report *r, fg_error *err,
		    size_t which, const char *key)
{
	static const char *const users[] = {
		"SELECT a.seq, a.evaluation_id, u.run_id FROM runs u JOIN audit "
		"a ON a.evaluation_id = u.evaluation_id WHERE u.input_sha256 = "
		"? ORDER BY a.seq LIMIT 1",
		"SELECT a.seq, a.evaluation_id, u.ruleset_id FROM "
		"evaluation_rulesets u JOIN audit a ON a.evaluation_id = "
		"u.evaluation_id WHERE u.sha256 = ? ORDER BY a.seq LIMIT 1",
		"SELECT a.seq, a.evaluation_id, u.ruleset_id FROM "
		"evaluation_rulesets u JOIN audit a ON a.evaluation_id = "
		"u.evaluation_id WHERE u.facts_sha256 = ? ORDER BY a.seq "
		"LIMIT 1"};
	static const char *const what[] = {
		"the stored input text of run", "the stored text of ruleset",
		"the stored rule facts of ruleset"};
	static const char *const tables[] = {"input_texts", "ruleset_texts",
					     "rule_facts"};
	sqlite3_stmt *st = NULL;
	char name[256];
	int64_t seq, eval;
	int rc;

	if ((rc = fg_store_prepare(s, &st, users[which], err)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		eval = sqlite3_column_int64(st, 1);
		snprintf(name, sizeof(name), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
		return bad_entry(s, r, err, seq, eval, "%s %s no longer hashes "
				 "to %s", what[which], name, key);
	}
	sqlite3_finalize(st);
	return bad_entry(s, r, err, 0, 0, "table %s, row (sha256 %s): its "
			 "text no longer hashes to its key", tables[which],
			 key);
}

/* Every stored text hashes to its key, each checked once however many
 * entries name it (format-4 entries check only that the texts they name
 * are there). */
static int check_texts(fg_store *s, fg_verify_report *r, fg_error *err)
{
	static const char *const sql[] = {
		"SELECT sha256, text FROM input_texts",
		"SELECT sha256, text FROM ruleset_texts",
		"SELECT sha256, document FROM rule_facts"};
	sqlite3_stmt *st = NULL;
	char key[65];
	size_t i;
	int rc, ok;

	for (i = 0; i < (s->version >= 4 ? 3u : 0u); i++) {
		if ((rc = fg_store_prepare(s, &st, sql[i], err)) < 0)
			return rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			snprintf(key, sizeof(key), "%s", sqlite3_column_type(
					 st, 0) == SQLITE_TEXT
				 ? (const char *)sqlite3_column_text(st, 0)
				 : "");
			if ((ok = text_hash_matches(st, 1, key)) > 0)
				continue;
			sqlite3_finalize(st);
			return ok < 0 ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						     "out of memory")
				      : bad_text(s, r, err, i, key);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fg_store_db_error(s, err, "reading");
	}
	return 0;
}

static int check_leftovers(fg_store *s, fg_verify_report *r, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	char problem[512];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(orphan_queries) / sizeof(*orphan_queries) -
		    (s->version >= 4 ? 0 : 1); i++) {
		if ((rc = fg_store_prepare(s, &st, s->version >= 5 &&
					   orphan_queries[i].v5
					   ? orphan_queries[i].v5
					   : orphan_queries[i].sql, err)) < 0)
			return rc;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			int64_t evaluation_id = sqlite3_column_int64(st, 1);

			snprintf(problem, sizeof(problem), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			return bad_entry(s, r, err, 0, evaluation_id,
					 "table %s, row (%s): no audit entry "
					 "covers it", orphan_queries[i].table,
					 problem);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fg_store_db_error(s, err, "reading");
	}
	if ((rc = fg_store_check_schema(s, problem, sizeof(problem),
					err)) < 0)
		return rc;
	if (problem[0])
		return bad_entry(s, r, err, 0, 0, "%s", problem);
	return 0;
}

/* The first run, in the log's order, whose input text is missing, as
 * (evaluation id, position); (0, 0) when every run's text is there.
 * Asked of all runs at once, in the order of runs_by_input (schema
 * version 5), each text is looked up next to the one before: asked run
 * by run, the look-ups fall all over the index of input_texts, whose
 * pages a walk through the documents keeps evicting. */
static int first_missing_input(fg_store *s, int64_t missing[2],
			       fg_error *err)
{
	static const char *const sql[] = {
		"SELECT 1 FROM runs r WHERE NOT EXISTS (SELECT 1 FROM "
		"input_texts t WHERE t.sha256 = r.input_sha256) LIMIT 1",
		/* only when a text is missing */
		"SELECT r.evaluation_id, r.position FROM runs r JOIN audit a "
		"ON a.evaluation_id = r.evaluation_id WHERE NOT EXISTS "
		"(SELECT 1 FROM input_texts t WHERE t.sha256 = "
		"r.input_sha256) ORDER BY a.seq, r.position LIMIT 1"};
	sqlite3_stmt *st = NULL;
	int i, rc = SQLITE_ROW;

	missing[0] = missing[1] = 0;
	for (i = 0; i < 2 && rc == SQLITE_ROW; i++) {
		if ((rc = fg_store_prepare(s, &st, sql[i], err)) < 0)
			return rc;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW && i == 1) {
			missing[0] = sqlite3_column_int64(st, 0);
			missing[1] = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		? 0 : fg_store_db_error(s, err, "reading the runs");
}

int fg_store_verify(fg_store *s, const char *checkpoint_text,
		    fg_verify_report *r, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	fg_checkpoint cp;
	unsigned char head[32] = {0}, prev[32];
	int64_t n = 0, seq, evaluation_id, missing[2] = {-1, -1};
	int rc, format, last_format = 0;
	int own_txn = sqlite3_get_autocommit(s->db);
	const char *prev_hex, *hash_hex;

	memset(r, 0, sizeof(*r));
	if (checkpoint_text) {
		if ((rc = fg_checkpoint_parse(&cp, checkpoint_text, err)) < 0)
			return rc;
		if (strcmp(cp.origin, FG_CHECKPOINT_ORIGIN))
			return fg_error_set(err, FG_EINPUT, NULL, 1, 1,
					    "the checkpoint is of `%s`, not of "
					    "a flopgate audit log", cp.origin);
	}
	/* One read transaction: the walk sees one snapshot even while other
	 * processes append (the caller's, when it holds one). */
	if (own_txn && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) !=
			       SQLITE_OK)
		return fg_store_db_error(s, err, "starting to read");
	if (s->version >= 5 && (rc = first_missing_input(s, missing, err)) < 0)
		goto done;
	rc = fg_store_prepare(s, &st, s->version >= 4
		? "SELECT seq, evaluation_id, prev_hash, hash, format, entry "
		  "FROM audit ORDER BY seq"
		: s->version >= 2
		? "SELECT seq, evaluation_id, prev_hash, hash, format, NULL "
		  "FROM audit ORDER BY seq"
		: "SELECT seq, evaluation_id, prev_hash, hash, 1, NULL "
		  "FROM audit ORDER BY seq", err);
	if (rc < 0)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		evaluation_id = sqlite3_column_int64(st, 1);
		prev_hex = (const char *)sqlite3_column_text(st, 2);
		hash_hex = (const char *)sqlite3_column_text(st, 3);
		format = sqlite3_column_int(st, 4);
		if (seq != n + 1) {
			rc = bad_entry(s, r, err, n + 1, 0, "the entry is "
				       "missing: the log goes from entry %"
				       PRId64 " to entry %" PRId64, n, seq);
			goto done;
		}
		if (fg_audit_unhex(prev_hex, prev) || memcmp(prev, head, 32)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "its prev_hash is not the hash of the "
				       "entry before it");
			goto done;
		}
		if (format < last_format || format < 1 ||
		    format > FG_AUDIT_FORMAT) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "its format %d is not possible here",
				       format);
			goto done;
		}
		last_format = format;
		rc = format >= 4
			? check_entry4(s, r, err, seq, evaluation_id,
				       hash_hex ? hash_hex : "",
				       (const char *)sqlite3_column_text(st, 5),
				       evaluation_id == missing[0] ? missing[1]
				       : s->version >= 5 ? 0 : -1, head)
			: check_entry(s, r, err, seq, evaluation_id, format,
				      hash_hex ? hash_hex : "", head);
		if (rc < 0)
			goto done;
		n = seq;
		r->entries = n;
		fg_hex(head, 32, r->head);
		if (checkpoint_text && seq == cp.size &&
		    memcmp(head, cp.hash, 32)) {
			rc = bad_entry(s, r, err, seq, evaluation_id,
				       "its hash differs from the checkpoint "
				       "of %" PRId64 " entries: the log was "
				       "rewritten", cp.size);
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading the audit log");
		goto done;
	}
	if (checkpoint_text && n < cp.size) {
		rc = bad_entry(s, r, err, n + 1, 0, "the log holds %" PRId64
			       " entries, fewer than the checkpoint's %"
			       PRId64 ": entries were removed", n, cp.size);
		goto done;
	}
	if ((rc = check_texts(s, r, err)) < 0 ||
	    (rc = check_leftovers(s, r, err)) < 0)
		goto done;
	if (checkpoint_text)
		r->checkpoint_size = cp.size;
	rc = 0;
done:
	sqlite3_finalize(st);
	if (own_txn)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* fg_audit_verify_one of what a decision reads, once per handle. */
int fg_store_verify_decision(fg_store *s, int64_t eval, int64_t run_position,
			     fg_error *err)
{
	struct fg_verified *grown;
	int64_t chunk = run_position > 0
		? (run_position - 1) / FG_AUDIT_CHUNK_RUNS : -1;
	size_t i;
	int rc, format = 0;

	for (i = 0; i < s->verified_count; i++)
		if (s->verified[i].evaluation_id == eval &&
		    (s->verified[i].chunk == chunk ||
		     s->verified[i].chunk == -2))
			return 0;
	/* run_position -1: the entry's links, hash and evaluation only */
	if ((rc = fg_audit_verify_one(s, eval, run_position > 0
				      ? run_position : -1, &format, err)) < 0)
		return rc;
	if (s->verified_count == s->verified_cap) {
		size_t cap = s->verified_cap ? 2 * s->verified_cap : 8;

		grown = realloc(s->verified, cap * sizeof(*grown));
		if (!grown)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		s->verified = grown;
		s->verified_cap = cap;
	}
	s->verified[s->verified_count].evaluation_id = eval;
	/* an entry of formats 1-3 was verified whole */
	s->verified[s->verified_count].chunk =
		format >= 4 ? chunk : -2;
	s->verified_count++;
	return 0;
}
