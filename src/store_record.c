/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store: recording an evaluation run by run (see
 * include/flopgate/store.h; the audit entry it appends, format 4, is
 * specified in src/audit.c).
 *
 * One transaction from the first row to the audit entry: the write lock is
 * held throughout, so the head read at the start is still the head at the
 * end, and no one sees half an evaluation.  Each run's rows are written
 * and hashed into the entry's current chunk as they come, with statements
 * prepared once; nothing of a run is kept after its rows. */
#include "store_int.h"
#include "doc_frame.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_int.h"
#include "flopgate/hash.h"
#include "result_json.h"
#include "json_write.h"

#ifndef FG_VERSION
#define FG_VERSION "unknown"
#endif

/* The most findings one INSERT writes. */
#define FINDINGS_BATCH 32
/* A findings row's columns, in the order insert_findings binds them. */
#define FINDING_COLUMNS 16
/* A recording that reaches this many runs sets the BEFORE INSERT triggers
 * of the tables it fills run by run aside (fg_store_row_triggers_drop)
 * for the rest of its transaction.  Each row's trigger looks its
 * evaluation and its audit entry up, and an INSERT through a trigger that
 * may RAISE(ABORT) keeps a statement journal of every page it changes:
 * recording 300 runs took 552.5 M instructions with them, 496.7 M
 * without.  No one else writes while this transaction holds the write
 * lock, and no one else reads its uncommitted schema, so while they are
 * aside the triggers would refuse no one but flopgate itself; they are
 * back before the commit (and after a rollback).  Setting them aside
 * and back costs about what three runs save (0.5 M), so a gate of a few
 * runs keeps them. */
#define TRIGGERS_ASIDE_AT 8

struct fg_store_recording {
	fg_store *s;
	int in_txn, committed;
	int64_t eval, seq, runs;
	unsigned aside;          /* triggers set aside, a mask */
	unsigned char prev[32];
	char recorded_at[32], as_of[16], *actor, fail_on[16];
	json_t *rulesets;        /* as the entry lists them */
	json_t *rules;           /* rule id -> [ruleset id, its facts] */
	fg_jbuf doc;             /* a run's document, buffer reused */
	fg_jbuf frame;           /* its LZ4 frame, as stored (doc_frame.h) */
	fg_audit_chunks *chunks;
	sqlite3_stmt *input, *run, *waiver;
	/* findings[n - 1] inserts n findings in one statement, prepared
	 * when first needed (see insert_findings) */
	sqlite3_stmt *findings[FINDINGS_BATCH];
};

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

void fg_store_bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Borrowed strings: the statement is stepped before they go. */
static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
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

/* The recording clock: now, or SOURCE_DATE_EPOCH for reproducible demos
 * (reproducible-builds.org's variable; never for a real audit trail).  A
 * value that is not a count of seconds is refused, as that specification
 * asks, rather than silently replaced by the real time; set but empty
 * counts as not set. */
static int recording_time(char out[32], fg_error *err)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long v;
	time_t t = time(NULL);
	struct tm tm;

	if (epoch && *epoch) {
		errno = 0;
		v = strtoll(epoch, &end, 10);
		if (*end || errno || v < 0 ||
		    v > 253402300799LL) /* 9999-12-31T23:59:59Z */
			return fg_error_set(err, FG_EUSAGE, NULL, 0, 0,
					    "SOURCE_DATE_EPOCH `%s` is not a "
					    "number of seconds since "
					    "1970-01-01", epoch);
		t = (time_t)v;
	}
	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return fg_error_set(err, FG_ESTORE, NULL, 0, 0,
				    "cannot tell the time");
	return 0;
}

/* ---- the head ---------------------------------------------------------------- */

/* Reads the head of the chain inside the write transaction and checks what
 * appending to it relies on: never extend a broken chain. */
static int read_head(fg_store_recording *r, fg_error *err)
{
	fg_store *s = r->s;
	sqlite3_stmt *st = NULL;
	int64_t head_eval;
	int rc;

	memset(r->prev, 0, 32);
	r->seq = 1;
	if ((rc = fg_store_prepare(s, &st, "SELECT seq, hash, evaluation_id "
				   "FROM audit ORDER BY seq DESC LIMIT 1",
				   err)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = 0;
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = fg_store_db_error(s, err, "reading the audit head");
		goto done;
	}
	r->seq = sqlite3_column_int64(st, 0) + 1;
	head_eval = sqlite3_column_int64(st, 2);
	if (fg_audit_unhex((const char *)sqlite3_column_text(st, 1),
			   r->prev)) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "audit entry %" PRId64 " has a malformed "
				  "hash: run `flopgate audit verify`",
				  r->seq - 1);
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* the head's links, hash and evaluation: what appending reads */
	if ((rc = fg_store_verify_decision(s, head_eval, 0, err)) < 0 &&
	    rc == FG_EINTEGRITY && err) {
		char why[sizeof(err->message)];

		memcpy(why, err->message, sizeof(why));
		fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0, "refusing to "
			     "extend an audit chain that does not verify: %s "
			     "(run `flopgate audit verify`)", why);
	}
done:
	sqlite3_finalize(st);
	return rc;
}

/* ---- rulesets ------------------------------------------------------------------ */

/* The text of a ruleset (by hash, else by id), NULL when not given. */
static const fg_store_text *find_text(const fg_store_evaluation *ev,
				      const char *id, const char *sha256)
{
	size_t i;

	for (i = 0; sha256 && i < ev->text_count; i++)
		if (ev->texts[i].sha256 && !strcmp(ev->texts[i].sha256, sha256))
			return &ev->texts[i];
	for (i = 0; id && i < ev->text_count; i++)
		if (!ev->texts[i].sha256 && ev->texts[i].id &&
		    !strcmp(ev->texts[i].id, id))
			return &ev->texts[i];
	return NULL;
}

/* The static facts of a ruleset as they are kept: its document entry
 * without "file" (where it was loaded from is the evaluation's, in
 * evaluation_rulesets.file). */
static char *facts_text(const json_t *entry)
{
	json_t *copy = json_copy((json_t *)entry);
	fg_jbuf b = {0};

	if (!copy)
		return NULL;
	json_object_del(copy, "file");
	/* the bytes json_dumps(FG_JSON_CANONICAL) gives (json_write.h),
	 * without a callback per token: every evaluation writes them */
	fg_jw_value(&b, copy, FG_JW_CANONICAL, 0);
	fg_jw_bytes(&b, "", 1);
	json_decref(copy);
	if (b.failed) {
		fg_jw_free(&b);
		return NULL;
	}
	return b.p;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int insert_ruleset(fg_store_recording *r, const fg_store_evaluation *ev,
			  const json_t *entry, size_t position,
			  sqlite3_stmt *text_st, sqlite3_stmt *facts_st,
			  sqlite3_stmt *row_st, fg_error *err)
{
	static const char *const keys[] = {"title", "jurisdiction", "version",
					   "source"};
	fg_store *s = r->s;
	const char *id = json_string_value(json_object_get(entry, "id"));
	const char *sha = json_string_value(json_object_get(entry, "sha256"));
	const char *file = json_string_value(json_object_get(entry, "file"));
	const fg_store_text *t = find_text(ev, id, sha);
	char text_sha[65], facts_sha[65], *facts = NULL;
	json_t *row = NULL, *rule;
	size_t i, k;
	int rc;

	if (!id || !sha)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "ruleset %zu needs \"id\" and \"sha256\"",
				    position);
	if (!t || !t->text)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "ruleset %s "
				    "(%s): its text was not given", id, sha);
	if (fg_sha256_hex(t->text, t->length, text_sha))
		return nomem(err);
	if (strcmp(text_sha, sha))
		return fg_error_set(err, FG_EINPUT, t->file, 0, 0, "ruleset %s: "
				    "the text hashes to %s, not %s", id,
				    text_sha, sha);
	if (!(facts = facts_text(entry)) ||
	    fg_sha256_hex(facts, strlen(facts), facts_sha)) {
		free(facts);
		return nomem(err);
	}
	bind_static(text_st, 1, text_sha);
	sqlite3_bind_text(text_st, 2, t->text, (int)t->length, SQLITE_STATIC);
	bind_static(facts_st, 1, facts_sha);
	bind_static(facts_st, 2, facts);
	sqlite3_bind_int64(row_st, 1, r->eval);
	sqlite3_bind_int64(row_st, 2, (sqlite3_int64)position);
	bind_static(row_st, 3, id);
	bind_static(row_st, 4, sha);
	bind_static(row_st, 5, file ? file : t->file);
	for (k = 0; k < 4; k++)
		bind_static(row_st, (int)k + 6, json_string_value(
				    json_object_get(entry, keys[k])));
	bind_static(row_st, 10, facts_sha);
	if ((rc = step_insert(s, text_st, "storing a ruleset text", err)) <
		    0 ||
	    (rc = step_insert(s, facts_st, "storing rule facts", err)) < 0 ||
	    (rc = step_insert(s, row_st, "storing a ruleset", err)) < 0)
		goto done;
	/* as the entry lists it (audit.c, format 4) */
	row = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s}",
			"position", (json_int_t)position, "id", id, "sha256",
			sha, "file", string_or_null(file ? file : t->file),
			"title", string_or_null(json_string_value(
				json_object_get(entry, "title"))),
			"jurisdiction", string_or_null(json_string_value(
				json_object_get(entry, "jurisdiction"))),
			"version", string_or_null(json_string_value(
				json_object_get(entry, "version"))),
			"source", string_or_null(json_string_value(
				json_object_get(entry, "source"))),
			"facts_sha256", facts_sha);
	if (!row || json_array_append_new(r->rulesets, row)) {
		rc = nomem(err);
		goto done;
	}
	/* each rule's ruleset and facts, for the findings rows */
	json_array_foreach(json_object_get(entry, "rules"), i, rule) {
		const char *rid = json_string_value(json_object_get(rule,
								    "id"));

		if (rid && json_object_set_new(r->rules, rid, json_pack(
				"[s, O]", id, rule))) {
			rc = nomem(err);
			goto done;
		}
	}
	rc = 0;
done:
	free(facts);
	return rc;
}

static int insert_rulesets(fg_store_recording *r,
			   const fg_store_evaluation *ev, fg_error *err)
{
	fg_store *s = r->s;
	sqlite3_stmt *text_st = NULL, *facts_st = NULL, *row_st = NULL;
	json_t *entry;
	size_t i;
	int rc;

	if ((rc = fg_store_prepare(s, &text_st, "INSERT INTO ruleset_texts "
				   "(sha256, text) VALUES (?, ?) ON CONFLICT "
				   "(sha256) DO NOTHING", err)) < 0 ||
	    (rc = fg_store_prepare(s, &facts_st, "INSERT INTO rule_facts "
				   "(sha256, document) VALUES (?, ?) ON "
				   "CONFLICT (sha256) DO NOTHING", err)) < 0 ||
	    (rc = fg_store_prepare(s, &row_st,
		"INSERT INTO evaluation_rulesets (evaluation_id, position, "
		"ruleset_id, sha256, file, title, jurisdiction, version, "
		"source, facts_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		err)) < 0)
		goto done;
	json_array_foreach(ev->rulesets, i, entry)
		if ((rc = insert_ruleset(r, ev, entry, i + 1, text_st,
					 facts_st, row_st, err)) < 0)
			break;
done:
	sqlite3_finalize(text_st);
	sqlite3_finalize(facts_st);
	sqlite3_finalize(row_st);
	return rc;
}

/* ---- begin ---------------------------------------------------------------------- */

static int insert_evaluation(fg_store_recording *r, fg_error *err)
{
	fg_store *s = r->s;
	sqlite3_stmt *st = NULL;
	int rc;

	/* the gate comes last (fg_store_record_finish): until its audit
	 * entry is written, this row may change */
	if ((rc = fg_store_prepare(s, &st,
		"INSERT INTO evaluations (as_of, actor, tool_version, "
		"recorded_at, fail_on, gate_passed, gate_failures) "
		"VALUES (?, ?, ?, ?, ?, 1, 0)", err)) < 0)
		return rc;
	bind_static(st, 1, r->as_of);
	bind_static(st, 2, r->actor);
	bind_static(st, 3, FG_VERSION);
	bind_static(st, 4, r->recorded_at);
	bind_static(st, 5, r->fail_on);
	rc = step_insert(s, st, "storing the evaluation", err);
	r->eval = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

static int prepare_rows(fg_store_recording *r, fg_error *err)
{
	fg_store *s = r->s;
	int rc;

	if ((rc = fg_store_prepare(s, &r->input, "INSERT INTO input_texts "
				   "(sha256, text) VALUES (?, ?) ON CONFLICT "
				   "(sha256) DO NOTHING", err)) < 0 ||
	    (rc = fg_store_prepare(s, &r->run,
		"INSERT INTO runs (evaluation_id, position, run_id, "
		"input_sha256, input_file, document, document_lz4, "
		"document_sha256) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
		err)) < 0 ||
	    (rc = fg_store_prepare(s, &r->waiver,
		"INSERT INTO waivers (evaluation_id, run_position, "
		"finding_position, run_id, rule, reason, approved_by, "
		"expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", err)) < 0)
		return rc;
	return 0;
}

int fg_store_record_begin(fg_store_recording **out, fg_store *s,
			  const fg_store_evaluation *ev, fg_error *err)
{
	fg_store_recording *r = NULL;
	fg_date date;
	int rc;

	*out = NULL;
	if (s->readonly)
		return fg_error_set(err, FG_ESTORE, s->path, 0, 0,
				    "opened read-only: cannot record");
	if (!ev->as_of || fg_date_parse(&date, ev->as_of))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "\"as_of\" is not a YYYY-MM-DD date");
	if (!ev->fail_on || strlen(ev->fail_on) >= 16)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "\"gate\" needs \"fail_on\"");
	if (!(r = calloc(1, sizeof(*r))))
		return nomem(err);
	r->s = s;
	snprintf(r->as_of, sizeof(r->as_of), "%s", ev->as_of);
	snprintf(r->fail_on, sizeof(r->fail_on), "%s", ev->fail_on);
	if ((rc = recording_time(r->recorded_at, err)) < 0)
		goto fail;
	if ((ev->actor && !(r->actor = strdup(ev->actor))) ||
	    !(r->rulesets = json_array()) || !(r->rules = json_object()) ||
	    !(r->chunks = fg_audit_chunks_new())) {
		rc = nomem(err);
		goto fail;
	}
	/* An INSERT that may abort half-way keeps a statement journal, the
	 * prior content of every page it changes: each one through a
	 * BEFORE INSERT trigger that may RAISE(ABORT) (every recorded
	 * table has one, set aside only in a long recording), and each one
	 * of several rows (a run's findings).  In a temporary file (the
	 * default once one statement outgrows 64 KiB) that is two writes a
	 * page, some four gigabytes of them for 20,000 runs; in memory it is
	 * a copy, freed when the statement ends.  Read before BEGIN: SQLite
	 * takes it when the write transaction opens. */
	if ((rc = fg_store_exec_retry(s, "PRAGMA temp_store = MEMORY",
				      err)) < 0 ||
	    (rc = fg_store_exec_retry(s, "BEGIN IMMEDIATE", err)) < 0)
		goto fail;
	r->in_txn = 1;
	if ((rc = read_head(r, err)) < 0 ||
	    (rc = insert_evaluation(r, err)) < 0 ||
	    (rc = insert_rulesets(r, ev, err)) < 0 ||
	    (rc = prepare_rows(r, err)) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	fg_store_recording_free(r);
	return rc;
}

int64_t fg_store_recording_id(const fg_store_recording *r)
{
	return r ? r->eval : 0;
}

/* ---- runs ------------------------------------------------------------------------ */

/* The statement that inserts n findings (1 <= n <= FINDINGS_BATCH). */
static int findings_statement(fg_store_recording *r, size_t n,
			      sqlite3_stmt **out, fg_error *err)
{
	static const char head[] =
		"INSERT INTO findings (evaluation_id, run_position, position, "
		"run_id, rule, ruleset, severity, outcome, metric, op, "
		"threshold, value, headroom, first_due, gate_fails, "
		"known_since) VALUES ";
	static const char row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	char sql[sizeof(head) + FINDINGS_BATCH * sizeof(row)], *p;
	size_t i;
	int rc;

	if (!r->findings[n - 1]) {
		memcpy(sql, head, sizeof(head) - 1);
		p = sql + sizeof(head) - 1;
		for (i = 0; i < n; i++) {
			if (i)
				*p++ = ',';
			memcpy(p, row, sizeof(row) - 1);
			p += sizeof(row) - 1;
		}
		*p = 0;
		if ((rc = fg_store_prepare(r->s, &r->findings[n - 1], sql,
					   err)) < 0)
			return rc;
	}
	*out = r->findings[n - 1];
	return 0;
}

int fg_store_finding_kept(const fg_audit_finding *f)
{
	return f->known_since || !f->outcome ||
	       (strcmp(f->outcome, "clear") &&
		strcmp(f->outcome, "not_applicable"));
}

/* Whether finding i of run gets a findings row: kept, or named by one of
 * the run's waivers (whose row refers to it). */
static int finding_row(const fg_store_run *run, size_t i)
{
	size_t k;

	if (fg_store_finding_kept(&run->findings[i]))
		return 1;
	for (k = 0; k < run->waiver_count; k++)
		if (run->waivers[k].finding_position == (int64_t)i + 1)
			return 1;
	return 0;
}

/* The findings rows of a run (finding_row), at their positions in the
 * run's document, up to FINDINGS_BATCH rows an INSERT.  An INSERT through
 * the table's trigger keeps a statement journal, the prior content of
 * every page it changes (a whole page, store_open.c's page size): a run's
 * dozen findings, one statement each, copied the same findings pages a
 * dozen times.  With the trigger aside a statement of several rows still
 * keeps one (a foreign key or NOT NULL may abort it half-way), once;
 * single rows keep none but cost more statements: 508.6 M instructions
 * against 496.7 M recording 300 runs, every finding a row. */
static int insert_findings(fg_store_recording *r, const fg_store_run *run,
			   fg_error *err)
{
	fg_audit_finding f[FINDINGS_BATCH];
	sqlite3_stmt *st;
	size_t i, n, next = 0;
	int rc, c;

	for (;;) {
		for (n = 0; n < FINDINGS_BATCH && next < run->finding_count;
		     next++) {
			if (!finding_row(run, next))
				continue;
			f[n] = run->findings[next];
			f[n].run_id = run->id;
			f[n].run_position = r->runs;
			f[n].position = (int64_t)next + 1;
			n++;
		}
		if (n == 0)
			return 0;
		if ((rc = findings_statement(r, n, &st, err)) < 0)
			return rc;
		for (i = 0; i < n; i++) {
			c = (int)i * FINDING_COLUMNS;
			sqlite3_bind_int64(st, c + 1, r->eval);
			sqlite3_bind_int64(st, c + 2, f[i].run_position);
			sqlite3_bind_int64(st, c + 3, f[i].position);
			bind_static(st, c + 4, f[i].run_id);
			bind_static(st, c + 5, f[i].rule);
			bind_static(st, c + 6, f[i].ruleset);
			bind_static(st, c + 7, f[i].severity);
			bind_static(st, c + 8, f[i].outcome);
			bind_static(st, c + 9, f[i].metric);
			bind_static(st, c + 10, f[i].op);
			bind_real(st, c + 11, f[i].has_threshold,
				  f[i].threshold);
			bind_real(st, c + 12, f[i].has_value, f[i].value);
			bind_real(st, c + 13, f[i].has_headroom,
				  f[i].headroom);
			bind_static(st, c + 14, f[i].first_due);
			sqlite3_bind_int(st, c + 15, f[i].gate_fails);
			bind_static(st, c + 16, f[i].known_since);
		}
		if ((rc = step_insert(r->s, st, "storing a finding", err)) < 0)
			return rc;
		for (i = 0; i < n; i++)
			if (fg_audit_chunks_finding(r->chunks, &f[i]))
				return nomem(err);
	}
}

static int insert_waiver(fg_store_recording *r, const fg_audit_waiver *w,
			 fg_error *err)
{
	int rc;

	sqlite3_bind_int64(r->waiver, 1, r->eval);
	sqlite3_bind_int64(r->waiver, 2, w->run_position);
	sqlite3_bind_int64(r->waiver, 3, w->finding_position);
	bind_static(r->waiver, 4, w->run_id);
	bind_static(r->waiver, 5, w->rule);
	bind_static(r->waiver, 6, w->reason);
	bind_static(r->waiver, 7, w->approved_by);
	bind_static(r->waiver, 8, w->expires);
	if ((rc = step_insert(r->s, r->waiver, "storing a waiver", err)) < 0)
		return rc;
	return fg_audit_chunks_waiver(r->chunks, w) ? nomem(err) : 0;
}

int fg_store_record_run_rows(fg_store_recording *r, const fg_store_run *run,
			     const fg_store_text *input, fg_error *err)
{
	fg_store *s = r->s;
	char input_sha[65], doc_sha[65];
	fg_audit_waiver w;
	fg_audit_run ar;
	size_t i;
	int rc;

	if (!input || !input->text)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "run %s: its "
				    "input text was not given", run->id);
	if (fg_sha256_hex(input->text, input->length, input_sha))
		return nomem(err);
	if (strcmp(input_sha, run->input_sha256))
		return fg_error_set(err, FG_EINPUT, input->file, 0, 0, "run "
				    "%s: its input text does not hash to the "
				    "document's input_sha256", run->id);
	/* The chain holds the hash of the frame, the bytes stored: verify
	 * re-hashes them without unpacking. */
	if (fg_frame_pack(&r->frame, run->document, run->document_length) ||
	    fg_sha256_hex(r->frame.p, r->frame.len, doc_sha))
		return nomem(err);
	if (r->runs == TRIGGERS_ASIDE_AT &&
	    (rc = fg_store_row_triggers_drop(s, &r->aside, err)) < 0)
		return rc;
	r->runs++;
	bind_static(r->input, 1, input_sha);
	sqlite3_bind_text(r->input, 2, input->text, (int)input->length,
			  SQLITE_STATIC);
	sqlite3_bind_int64(r->run, 1, r->eval);
	sqlite3_bind_int64(r->run, 2, r->runs);
	bind_static(r->run, 3, run->id);
	bind_static(r->run, 4, input_sha);
	bind_static(r->run, 5, input->file);
	sqlite3_bind_blob(r->run, 6, r->frame.p, (int)r->frame.len,
			  SQLITE_STATIC);
	bind_static(r->run, 7, doc_sha);
	ar.position = r->runs;
	ar.run_id = run->id;
	ar.input_sha256 = input_sha;
	ar.input_file = input->file;
	ar.document_sha256 = doc_sha;
	if ((rc = step_insert(s, r->input, "storing a run input", err)) < 0 ||
	    (rc = step_insert(s, r->run, "storing a run", err)) < 0)
		return rc;
	if (fg_audit_chunks_run(r->chunks, &ar))
		return nomem(err);
	if ((rc = insert_findings(r, run, err)) < 0)
		return rc;
	/* waivers after every finding of the run: the entry's order */
	for (i = 0; i < run->waiver_count; i++) {
		w = run->waivers[i];
		w.run_id = run->id;
		w.run_position = r->runs;
		if ((rc = insert_waiver(r, &w, err)) < 0)
			return rc;
	}
	return 0;
}

int fg_store_record_run(fg_store_recording *r, const json_t *run,
			const fg_store_text *input, fg_error *err)
{
	json_t *findings = json_object_get(run, "findings"), *finding, *facts;
	size_t i, n = json_array_size(findings);
	fg_store_run sr = {0};
	fg_audit_finding *rows = calloc(n ? n : 1, sizeof(*rows));
	fg_audit_waiver *waivers = calloc(n ? n : 1, sizeof(*waivers));
	int rc;

	sr.id = json_string_value(json_object_get(run, "id"));
	sr.input_sha256 = json_string_value(json_object_get(run,
							    "input_sha256"));
	if (!rows || !waivers) {
		rc = nomem(err);
		goto done;
	}
	if (!sr.id || !sr.input_sha256) {
		rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: run "
				  "%" PRId64 " needs \"id\" and "
				  "\"input_sha256\"", r->runs + 1);
		goto done;
	}
	json_array_foreach(findings, i, finding) {
		const char *rule = json_string_value(json_object_get(finding,
								     "rule"));

		if (!rule || !is_outcome(json_string_value(json_object_get(
					finding, "outcome")))) {
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "document: run %s, finding %zu "
					  "needs a \"rule\" and a known "
					  "\"outcome\"", sr.id, i + 1);
			goto done;
		}
		facts = json_object_get(r->rules, rule);
		fg_audit_finding_of_json(&rows[i], finding,
					 json_array_get(facts, 1),
					 json_string_value(json_array_get(
						 facts, 0)),
					 sr.id, 0, (int64_t)i + 1);
		if (fg_audit_waiver_of_json(&waivers[sr.waiver_count], finding,
					    sr.id, 0, (int64_t)i + 1))
			sr.waiver_count++;
	}
	sr.findings = rows;
	sr.finding_count = n;
	sr.waivers = waivers;
	/* the RUN object verbatim, in the byte-stable form that is hashed
	 * into the chain (jansson's FG_JSON_CANONICAL bytes) */
	r->doc.len = 0;
	fg_jw_value(&r->doc, run, FG_JW_CANONICAL, 0);
	if (r->doc.failed) {
		rc = nomem(err);
		goto done;
	}
	sr.document = r->doc.p;
	sr.document_length = r->doc.len;
	rc = fg_store_record_run_rows(r, &sr, input, err);
done:
	free(rows);
	free(waivers);
	return rc;
}

/* ---- the entry ------------------------------------------------------------------- */

int fg_store_record_finish(fg_store_recording *r, int gate_passed,
			   int64_t gate_failures, fg_error *err)
{
	fg_store *s = r->s;
	sqlite3_stmt *st = NULL;
	fg_audit_header h;
	unsigned char hash[32];
	char prev_hex[65], hash_hex[65], *text = NULL;
	int rc;

	if (r->runs == 0)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "document: no runs to record");
	if ((rc = fg_store_prepare(s, &st, "UPDATE evaluations SET "
				   "gate_passed = ?, gate_failures = ? WHERE "
				   "id = ?", err)) < 0)
		return rc;
	sqlite3_bind_int(st, 1, gate_passed != 0);
	sqlite3_bind_int64(st, 2, gate_failures);
	sqlite3_bind_int64(st, 3, r->eval);
	rc = step_insert(s, st, "storing the gate", err);
	sqlite3_finalize(st);
	st = NULL;
	if (rc < 0)
		return rc;
	if (fg_audit_chunks_end(r->chunks))
		return nomem(err);
	memset(&h, 0, sizeof(h));
	h.seq = r->seq;
	h.evaluation_id = r->eval;
	h.as_of = r->as_of;
	h.actor = r->actor;
	h.tool_version = FG_VERSION;
	h.recorded_at = r->recorded_at;
	h.fail_on = r->fail_on;
	h.gate_passed = gate_passed != 0;
	h.gate_failures = gate_failures;
	h.rulesets = r->rulesets;
	if (fg_audit_entry4(&text, &h, r->chunks) ||
	    fg_audit_chain_hash(r->prev, text, hash)) {
		rc = nomem(err);
		goto done;
	}
	fg_hex(r->prev, 32, prev_hex);
	fg_hex(hash, 32, hash_hex);
	if ((rc = fg_store_prepare(s, &st, "INSERT INTO audit (seq, "
				   "evaluation_id, prev_hash, hash, format, "
				   "entry) VALUES (?, ?, ?, ?, ?, ?)",
				   err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_int64(st, 2, r->eval);
	bind_static(st, 3, prev_hex);
	bind_static(st, 4, hash_hex);
	sqlite3_bind_int(st, 5, FG_AUDIT_FORMAT);
	bind_static(st, 6, text);
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

int fg_store_record_commit(fg_store_recording *r, fg_error *err)
{
	int rc;

	test_pause();
	/* the row triggers set aside (TRIGGERS_ASIDE_AT) come back here,
	 * which every recording that is kept passes */
	if ((rc = fg_store_row_triggers_restore(r->s, r->aside, err)) < 0)
		return rc;
	r->aside = 0;
	if ((rc = fg_store_exec_retry(r->s, "COMMIT", err)) < 0)
		return rc;
	r->in_txn = 0;
	r->committed = 1;
	return 0;
}

void fg_store_recording_free(fg_store_recording *r)
{
	size_t i;

	if (!r)
		return;
	sqlite3_finalize(r->input);
	sqlite3_finalize(r->run);
	for (i = 0; i < FINDINGS_BATCH; i++)
		sqlite3_finalize(r->findings[i]);
	sqlite3_finalize(r->waiver);
	if (r->in_txn)
		sqlite3_exec(r->s->db, "ROLLBACK", NULL, NULL, NULL);
	fg_audit_chunks_free(r->chunks);
	json_decref(r->rulesets);
	json_decref(r->rules);
	fg_jw_free(&r->doc);
	fg_jw_free(&r->frame);
	free(r->actor);
	free(r);
}

/* ---- a whole document ------------------------------------------------------------ */

/* The input of run id (by id, else by hash); refs[hint] is tried first:
 * callers give inputs in document order, and a scan per run would make
 * recording N runs quadratic. */
static const fg_store_text *find_input(const fg_store_text *inputs, size_t n,
				       size_t hint, const char *id,
				       const char *sha256)
{
	size_t i;

	if (hint < n && id && inputs[hint].id && !strcmp(inputs[hint].id, id))
		return &inputs[hint];
	for (i = 0; id && i < n; i++)
		if (inputs[i].id && !strcmp(inputs[i].id, id))
			return &inputs[i];
	for (i = 0; sha256 && i < n; i++)
		if (inputs[i].sha256 && !strcmp(inputs[i].sha256, sha256))
			return &inputs[i];
	return NULL;
}

int fg_store_record(fg_store *s, json_t *doc,
		    const fg_store_text *rulesets, size_t nrulesets,
		    const fg_store_text *inputs, size_t ninputs,
		    int64_t *evaluation_id, fg_error *err)
{
	fg_store_recording *r = NULL;
	fg_store_evaluation ev;
	json_t *gate = json_object_get(doc, "gate"), *runs, *run;
	fg_store_text *texts = NULL;
	char (*hashes)[65] = NULL;
	const fg_store_text *in;
	size_t i;
	int rc;

	runs = json_object_get(doc, "runs");
	if (!json_is_string(json_object_get(gate, "fail_on")) ||
	    !json_is_boolean(json_object_get(gate, "passed")))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "document: "
				    "\"gate\" needs \"fail_on\" and "
				    "\"passed\"");
	if (!json_is_array(runs) || !json_array_size(runs))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "document: no runs to record");
	/* the texts by their hashes: the caller's, or computed */
	if (!(texts = calloc(nrulesets ? nrulesets : 1, sizeof(*texts))) ||
	    !(hashes = calloc(nrulesets ? nrulesets : 1, sizeof(*hashes)))) {
		free(texts);
		return nomem(err);
	}
	for (i = 0; i < nrulesets; i++) {
		texts[i] = rulesets[i];
		if (!texts[i].sha256 && texts[i].text) {
			if (fg_sha256_hex(texts[i].text, texts[i].length,
					  hashes[i])) {
				rc = nomem(err);
				goto done;
			}
			texts[i].sha256 = hashes[i];
		}
	}
	memset(&ev, 0, sizeof(ev));
	ev.as_of = json_string_value(json_object_get(doc, "as_of"));
	ev.actor = json_string_value(json_object_get(doc, "actor"));
	ev.fail_on = json_string_value(json_object_get(gate, "fail_on"));
	ev.rulesets = json_object_get(doc, "rulesets");
	ev.texts = texts;
	ev.text_count = nrulesets;
	if ((rc = fg_store_record_begin(&r, s, &ev, err)) < 0)
		goto done;
	json_array_foreach(runs, i, run) {
		in = find_input(inputs, ninputs, i, json_string_value(
					json_object_get(run, "id")),
				json_string_value(json_object_get(
					run, "input_sha256")));
		if ((rc = fg_store_record_run(r, run, in, err)) < 0)
			goto done;
	}
	if ((rc = fg_store_record_finish(r, json_is_true(json_object_get(
						 gate, "passed")),
					 json_integer_value(json_object_get(
						 gate, "failures")),
					 err)) < 0)
		goto done;
	/* The id goes into the document before COMMIT: once committed, the
	 * evaluation is recorded and nothing may fail after it. */
	if (json_object_set_new(doc, "evaluation_id",
				json_integer(r->eval))) {
		rc = nomem(err);
		goto done;
	}
	if ((rc = fg_store_record_commit(r, err)) < 0) {
		json_object_set_new(doc, "evaluation_id", json_null());
		goto done;
	}
	if (evaluation_id)
		*evaluation_id = r->eval;
done:
	fg_store_recording_free(r);
	free(texts);
	free(hashes);
	return rc;
}
