/* flopgate — the store: recording an evaluation (see
 * include/flopgate/store.h; the audit entry it appends is specified in
 * src/audit.c). */
#include "store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flopgate/audit.h"
#include "flopgate/hash.h"
#include "flopgate/result.h"

#ifndef FG_VERSION
#define FG_VERSION "unknown"
#endif


/* ---- recording -------------------------------------------------------- */

typedef struct text_ref {
	const fg_store_text *text;
	char sha256[65];
} text_ref;

/* Hashes every given text and checks any hash the caller gave. */
static int hash_texts(text_ref **out, const fg_store_text *texts, size_t n,
		      const char *kind, fg_error *err)
{
	text_ref *refs = calloc(n ? n : 1, sizeof(*refs));
	size_t i;

	*out = refs;
	if (!refs)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (i = 0; i < n; i++) {
		refs[i].text = &texts[i];
		if (!texts[i].text)
			return fg_error_set(err, FG_EINPUT, texts[i].file, 0, 0,
					    "%s %s: no text given", kind,
					    texts[i].id ? texts[i].id : "?");
		if (fg_sha256_hex(texts[i].text, texts[i].length,
				  refs[i].sha256))
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		if (texts[i].sha256 && strcmp(texts[i].sha256, refs[i].sha256))
			return fg_error_set(err, FG_EINPUT, texts[i].file, 0, 0,
					    "%s %s: the text hashes to %s, not "
					    "%s", kind,
					    texts[i].id ? texts[i].id : "?",
					    refs[i].sha256, texts[i].sha256);
	}
	return 0;
}

/* The text for id (by id, else by hash), NULL when none.  refs[hint] is
 * tried first: callers give texts in document order, and a scan per run
 * would make recording N runs quadratic. */
static const text_ref *find_text(const text_ref *refs, size_t n, size_t hint,
				 const char *id, const char *sha256)
{
	size_t i;

	if (hint < n && id && sha256 && refs[hint].text->id &&
	    !strcmp(refs[hint].text->id, id) &&
	    !strcmp(refs[hint].sha256, sha256))
		return &refs[hint];
	for (i = 0; id && i < n; i++)
		if (refs[i].text->id && !strcmp(refs[i].text->id, id))
			return &refs[i];
	for (i = 0; sha256 && i < n; i++)
		if (!strcmp(refs[i].sha256, sha256))
			return &refs[i];
	return NULL;
}

static int is_outcome(const char *o)
{
	static const char *const outcomes[] = {
		"triggered", "near", "clear", "not_applicable",
		"indeterminate", "waived", NULL};
	size_t i;

	for (i = 0; o && outcomes[i]; i++)
		if (!strcmp(o, outcomes[i]))
			return 1;
	return 0;
}

/* Refuses, before any write, a document the store cannot record. */
static int validate_document(json_t *doc, fg_error *err)
{
	json_t *runs = json_object_get(doc, "runs"), *gate, *run, *f, *r;
	fg_date date;
	size_t i, j;
	const char *s;

	s = json_string_value(json_object_get(doc, "as_of"));
	if (!s || fg_date_parse(&date, s))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "\"as_of\" is not a YYYY-MM-DD date");
	gate = json_object_get(doc, "gate");
	if (!json_is_string(json_object_get(gate, "fail_on")) ||
	    !json_is_boolean(json_object_get(gate, "passed")))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "\"gate\" needs \"fail_on\" and "
				    "\"passed\"");
	if (!json_is_array(runs) || !json_array_size(runs))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "document: no runs to record");
	json_array_foreach(json_object_get(doc, "rulesets"), i, r)
		if (!json_is_string(json_object_get(r, "id")) ||
		    !json_is_string(json_object_get(r, "sha256")))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "document: ruleset %zu needs "
					    "\"id\" and \"sha256\"", i + 1);
	json_array_foreach(runs, i, run) {
		if (!json_is_string(json_object_get(run, "id")) ||
		    !json_is_string(json_object_get(run, "input_sha256")))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "document: run %zu needs \"id\" "
					    "and \"input_sha256\"", i + 1);
		json_array_foreach(json_object_get(run, "findings"), j, f)
			if (!json_is_string(json_object_get(f, "rule")) ||
			    !is_outcome(json_string_value(
				    json_object_get(f, "outcome"))))
				return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					"document: run %s, finding %zu needs "
					"a \"rule\" and a known \"outcome\"",
					json_string_value(json_object_get(
						run, "id")), j + 1);
	}
	return 0;
}

static void bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(st, i, json_string_value(v),
				  (int)json_string_length(v), SQLITE_TRANSIENT);
	else if (json_is_number(v))
		sqlite3_bind_double(st, i, json_number_value(v));
	else if (json_is_boolean(v))
		sqlite3_bind_int(st, i, json_is_true(v));
	else
		sqlite3_bind_null(st, i);
}

void fg_store_bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Steps a fully bound INSERT and resets it. */
static int step_insert(fg_store *s, sqlite3_stmt *st, const char *what,
		       fg_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : fg_store_db_error(s, err, what);
}

/* *st is the table's INSERT, prepared on first use and kept for the next
 * text; the caller finalizes it. */
static int insert_text(fg_store *s, sqlite3_stmt **st, const char *table,
		       const text_ref *t, fg_error *err)
{
	char sql[128];
	int rc;

	if (!*st) {
		snprintf(sql, sizeof(sql), "INSERT INTO %s (sha256, text) "
			 "VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING",
			 table);
		if ((rc = fg_store_prepare(s, st, sql, err)) < 0)
			return rc;
	}
	sqlite3_bind_text(*st, 1, t->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, t->text->text, (int)t->text->length,
			  SQLITE_STATIC);
	return step_insert(s, *st, "storing a text", err);
}

static int insert_rulesets(fg_store *s, json_t *doc, int64_t eval,
			   const text_ref *texts, size_t n, fg_error *err)
{
	static const char *const keys[] = {"file", "title", "jurisdiction",
					   "version", "source"};
	sqlite3_stmt *st = NULL, *tst = NULL;
	json_t *r;
	const text_ref *t;
	const char *id, *sha;
	size_t i, k;
	int rc;

	rc = fg_store_prepare(s, &st,
		"INSERT INTO evaluation_rulesets (evaluation_id, position, "
		"ruleset_id, sha256, file, title, jurisdiction, version, "
		"source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	json_array_foreach(json_object_get(doc, "rulesets"), i, r) {
		if (rc < 0)
			break;
		id = json_string_value(json_object_get(r, "id"));
		sha = json_string_value(json_object_get(r, "sha256"));
		t = find_text(texts, n, i, NULL, sha);
		if (!t) {
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "ruleset %s (%s): its text was not "
					  "given", id, sha);
			break;
		}
		if ((rc = insert_text(s, &tst, "ruleset_texts", t, err)) < 0)
			break;
		sqlite3_bind_int64(st, 1, eval);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		fg_store_bind_str(st, 3, id);
		fg_store_bind_str(st, 4, sha);
		for (k = 0; k < 5; k++)
			bind_json(st, (int)k + 5, json_object_get(r, keys[k]));
		if (!json_object_get(r, "file"))
			fg_store_bind_str(st, 5, t->text->file);
		rc = step_insert(s, st, "storing a ruleset", err);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(tst);
	return rc;
}

/* Binds the canonical finding fields (fg_audit_finding_of_document) to
 * parameters 5.. of the findings INSERT. */
static const char *const finding_columns[] = {
	"rule", "ruleset", "severity", "outcome", "metric", "op",
	"threshold", "value", "headroom", "due", "gate_fails", "known_since",
	NULL};

static int insert_findings(fg_store *s, int64_t eval, int64_t run_pos,
			   const char *run_id, json_t *run,
			   sqlite3_stmt *fst, sqlite3_stmt *wst,
			   fg_error *err)
{
	json_t *finding, *o, *w;
	size_t i, k;
	int rc = 0, failed = 0;

	json_array_foreach(json_object_get(run, "findings"), i, finding) {
		o = fg_audit_finding_of_document(run_id, finding,
						 FG_AUDIT_FORMAT);
		if (!o)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		sqlite3_bind_int64(fst, 1, eval);
		sqlite3_bind_int64(fst, 2, run_pos);
		sqlite3_bind_int64(fst, 3, (sqlite3_int64)i + 1);
		fg_store_bind_str(fst, 4, run_id);
		for (k = 0; finding_columns[k]; k++)
			bind_json(fst, (int)k + 5,
				  json_object_get(o, finding_columns[k]));
		json_decref(o);
		if ((rc = step_insert(s, fst, "storing a finding", err)) < 0)
			return rc;
		w = fg_audit_waiver_of_document(run_id, finding, &failed);
		if (failed)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		if (!w)
			continue;
		sqlite3_bind_int64(wst, 1, eval);
		sqlite3_bind_int64(wst, 2, run_pos);
		sqlite3_bind_int64(wst, 3, (sqlite3_int64)i + 1);
		fg_store_bind_str(wst, 4, run_id);
		bind_json(wst, 5, json_object_get(w, "rule"));
		bind_json(wst, 6, json_object_get(w, "reason"));
		bind_json(wst, 7, json_object_get(w, "approved_by"));
		bind_json(wst, 8, json_object_get(w, "expires"));
		json_decref(w);
		if ((rc = step_insert(s, wst, "storing a waiver", err)) < 0)
			return rc;
	}
	return rc;
}

static int insert_runs(fg_store *s, json_t *doc, int64_t eval,
		       const text_ref *inputs, size_t n, fg_error *err)
{
	sqlite3_stmt *rst = NULL, *fst = NULL, *wst = NULL, *tst = NULL;
	json_t *run;
	const text_ref *t;
	const char *id, *sha;
	char *text = NULL, doc_sha[65];
	size_t i;
	int rc;

	if ((rc = fg_store_prepare(s, &rst,
		"INSERT INTO runs (evaluation_id, position, run_id, "
		"input_sha256, input_file, document, document_sha256) "
		"VALUES (?, ?, ?, ?, ?, ?, ?)", err)) < 0 ||
	    (rc = fg_store_prepare(s, &fst,
		"INSERT INTO findings (evaluation_id, run_position, position, "
		"run_id, rule, ruleset, severity, outcome, metric, op, "
		"threshold, value, headroom, first_due, gate_fails, "
		"known_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?)", err)) < 0 ||
	    (rc = fg_store_prepare(s, &wst,
		"INSERT INTO waivers (evaluation_id, run_position, "
		"finding_position, run_id, rule, reason, approved_by, "
		"expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", err)) < 0)
		goto done;
	json_array_foreach(json_object_get(doc, "runs"), i, run) {
		id = json_string_value(json_object_get(run, "id"));
		sha = json_string_value(json_object_get(run, "input_sha256"));
		t = find_text(inputs, n, i, id, sha);
		if (!t || strcmp(t->sha256, sha)) {
			rc = fg_error_set(err, FG_EINPUT, t ? t->text->file
							    : NULL, 0, 0,
				"run %s: %s", id, t
				? "its input text does not hash to the "
				  "document's input_sha256"
				: "its input text was not given");
			goto done;
		}
		if ((rc = insert_text(s, &tst, "input_texts", t, err)) < 0)
			goto done;
		/* The RUN object verbatim, in the byte-stable form that is
		 * hashed into the chain. */
		free(text);
		text = json_dumps(run, FG_JSON_CANONICAL);
		if (!text || fg_sha256_hex(text, strlen(text), doc_sha)) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			goto done;
		}
		sqlite3_bind_int64(rst, 1, eval);
		sqlite3_bind_int64(rst, 2, (sqlite3_int64)i + 1);
		fg_store_bind_str(rst, 3, id);
		fg_store_bind_str(rst, 4, sha);
		fg_store_bind_str(rst, 5, t->text->file);
		fg_store_bind_str(rst, 6, text);
		fg_store_bind_str(rst, 7, doc_sha);
		if ((rc = step_insert(s, rst, "storing a run", err)) < 0 ||
		    (rc = insert_findings(s, eval, (int64_t)i + 1, id, run,
					  fst, wst, err)) < 0)
			goto done;
	}
done:
	free(text);
	sqlite3_finalize(rst);
	sqlite3_finalize(fst);
	sqlite3_finalize(wst);
	sqlite3_finalize(tst);
	return rc;
}

static int insert_evaluation(fg_store *s, json_t *doc, int64_t *eval,
			     fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *gate = json_object_get(doc, "gate");
	const char *tool = json_string_value(json_object_get(doc,
							     "flopgate"));
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((rc = fg_store_prepare(s, &st,
		"INSERT INTO evaluations (as_of, actor, tool_version, "
		"recorded_at, fail_on, gate_passed, gate_failures) "
		"VALUES (?, ?, ?, ?, ?, ?, ?)", err)) < 0)
		return rc;
	bind_json(st, 1, json_object_get(doc, "as_of"));
	bind_json(st, 2, json_object_get(doc, "actor"));
	fg_store_bind_str(st, 3, tool ? tool : FG_VERSION);
	fg_store_bind_str(st, 4, now);
	bind_json(st, 5, json_object_get(gate, "fail_on"));
	sqlite3_bind_int(st, 6, json_is_true(json_object_get(gate, "passed")));
	sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(
					  gate, "failures")));
	rc = step_insert(s, st, "storing the evaluation", err);
	*eval = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

/* Appends the evaluation's audit entry; the head is read inside the write
 * transaction, so concurrent recorders keep the chain linear. */
static int append_entry(fg_store *s, int64_t eval, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	unsigned char prev[32] = {0}, hash[32];
	char prev_hex[65], hash_hex[65], *text = NULL;
	int64_t seq = 1;
	int rc;

	if ((rc = fg_store_prepare(s, &st, "SELECT seq, hash, evaluation_id "
				   "FROM audit ORDER BY seq DESC LIMIT 1",
				   err)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* Never extend a broken chain: the head entry, checked
		 * against its predecessor and its rows, costs one entry. */
		int64_t head_eval = sqlite3_column_int64(st, 2);

		seq = sqlite3_column_int64(st, 0) + 1;
		if ((rc = fg_store_verify_once(s, head_eval, err)) < 0) {
			if (rc == FG_EINTEGRITY && err) {
				char why[sizeof(err->message)];

				memcpy(why, err->message, sizeof(why));
				fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
					     "refusing to extend an audit "
					     "chain that does not verify: %s "
					     "(run `flopgate audit verify`)",
					     why);
			}
			goto done;
		}
		if (fg_audit_unhex((const char *)sqlite3_column_text(st, 1),
				   prev)) {
			rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
					  "audit entry %" PRId64 " has a "
					  "malformed hash: run `flopgate audit "
					  "verify`", seq - 1);
			goto done;
		}
	} else if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading the audit head");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = fg_audit_entry_text(s, seq, eval, FG_AUDIT_FORMAT, &text,
				      err)) < 0)
		goto done;
	if (fg_audit_chain_hash(prev, text, hash)) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	fg_hex(prev, 32, prev_hex);
	fg_hex(hash, 32, hash_hex);
	if ((rc = fg_store_prepare(s, &st, "INSERT INTO audit (seq, "
				   "evaluation_id, prev_hash, hash, format) "
				   "VALUES (?, ?, ?, ?, ?)", err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, eval);
	sqlite3_bind_text(st, 3, prev_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, FG_AUDIT_FORMAT);
	rc = step_insert(s, st, "appending the audit entry", err);
done:
	sqlite3_finalize(st);
	free(text);
	return rc;
}

static void test_pause(void)
{
	const char *path = getenv("FLOPGATE_TEST_PAUSE_IN_TRANSACTION");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "w");
	if (f)
		fclose(f);
	sleep(30);
}

int fg_store_record(fg_store *s, json_t *doc,
		    const fg_store_text *rulesets, size_t nrulesets,
		    const fg_store_text *inputs, size_t ninputs,
		    int64_t *evaluation_id, fg_error *err)
{
	text_ref *rtexts = NULL, *itexts = NULL;
	json_t *old_id = NULL;
	int64_t eval = 0;
	int rc, in_txn = 0;

	if (s->readonly) {
		rc = fg_error_set(err, FG_ESTORE, s->path, 0, 0,
				  "opened read-only: cannot record");
		goto done;
	}
	if ((rc = validate_document(doc, err)) < 0 ||
	    (rc = hash_texts(&rtexts, rulesets, nrulesets, "ruleset",
			     err)) < 0 ||
	    (rc = hash_texts(&itexts, inputs, ninputs, "input of run",
			     err)) < 0)
		goto done;
	if ((rc = fg_store_exec_retry(s, "BEGIN IMMEDIATE", err)) < 0)
		goto done;
	in_txn = 1;
	if ((rc = insert_evaluation(s, doc, &eval, err)) < 0 ||
	    (rc = insert_rulesets(s, doc, eval, rtexts, nrulesets, err)) < 0 ||
	    (rc = insert_runs(s, doc, eval, itexts, ninputs, err)) < 0 ||
	    (rc = append_entry(s, eval, err)) < 0)
		goto done;
	test_pause();
	/* The id goes into the document before COMMIT: once committed, the
	 * evaluation is recorded and nothing may fail after it ("on any
	 * error nothing of the evaluation remains"). */
	old_id = json_incref(json_object_get(doc, "evaluation_id"));
	if (json_object_set_new(doc, "evaluation_id", json_integer(eval))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = fg_store_exec_retry(s, "COMMIT", err)) < 0) {
		if (old_id)
			json_object_set(doc, "evaluation_id", old_id);
		else
			json_object_del(doc, "evaluation_id");
		goto done;
	}
	in_txn = 0;
	if (evaluation_id)
		*evaluation_id = eval;
done:
	if (in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	json_decref(old_id);
	free(rtexts);
	free(itexts);
	return rc;
}
