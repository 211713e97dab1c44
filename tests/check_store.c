/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the store and its audit chain (include/flopgate/store.h). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flopgate/hash.h"
#include "result_json.h"
#include "store_json.h"
#include "store_int.h"

#define RULESET_TEXT \
	"ruleset:\n  id: eu-ai-act\n  title: EU AI Act\nrules: []\n"
#define NOBODY 65534

static char dir[256];
static char db[300];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fg-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	chmod(dir, 0755);
	snprintf(db, sizeof(db), "%s/audit.db", dir);
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* ---- documents, built by hand per result.h ---------------------------- */

static char *input_text(const char *run_id)
{
	char *t = malloc(256);

	snprintf(t, 256, "run:\n  id: %s\n  status: planned\n", run_id);
	return t;
}

static json_t *make_finding(const char *run_id, const char *outcome,
			    const char *as_of, int waived)
{
	json_t *f = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:f,"
		" s:f, s:f, s:f, s:s, s:s, s:[{s:s, s:s, s:i, s:s}],"
		" s:b}",
		"rule", "eu.gpai.systemic-risk", "ruleset", "eu-ai-act",
		"title", "GPAI \"systemic\" risk'; DROP TABLE runs; --",
		"citation", "Art. 51(2)", "jurisdiction", "EU",
		"severity", "blocking", "outcome", outcome,
		"reason", "3.8 × 10^25 FLOP is above the line",
		"metric", "training_compute_flop", "threshold", 1e25,
		"value", 3.8e25, "low", 2.66e25, "high", 4.94e25,
		"headroom", 1e25 - 3.8e25, "near", 0.5,
		"op", ">", "known_since", as_of,
		"obligations", "id", "eu.notify-commission", "due",
		"2026-03-15", "days", 14, "after", "threshold_met_or_foreseen",
		"gate_fails", !waived);

	(void)run_id;
	if (waived)
		json_object_set_new(f, "waiver", json_pack(
			"{s:s, s:s, s:s}", "reason", "accepted by the board",
			"approved_by", "Ana O'Neil", "expires", "2027-01-01"));
	else
		json_object_set_new(f, "waiver", json_null());
	return f;
}

static json_t *make_run(const char *run_id, const char *outcome,
			const char *as_of, int waived)
{
	char *text = input_text(run_id), sha[65];
	json_t *run;

	fg_sha256_hex(text, strlen(text), sha);
	free(text);
	run = json_pack(
		"{s:s, s:s, s:s, s:s, s:[s, s], s:s,"
		" s:{s:{s:f, s:f, s:f}}, s:[s], s:[o, {s:s, s:s, s:s, s:n,"
		" s:n, s:n, s:n, s:n, s:[], s:b}]}",
		"id", run_id, "model", "Model \"X\" ünïcode", "developer",
		"Lab", "status", "planned", "jurisdictions", "EU", "US-CA",
		"input_sha256", sha,
		"compute", "training_compute_flop", "low", 2.66e25,
		"central", 3.8e25, "high", 4.94e25,
		"warnings", "methods disagree by 31 %",
		"findings", make_finding(run_id, outcome, as_of, waived),
		"rule", "us.eo14110.model", "ruleset", "us-eo-14110",
		"outcome", "not_applicable", "metric", "op", "threshold",
		"value", "headroom", "obligations", "gate_fails", 0);
	ck_assert_ptr_nonnull(run);
	return run;
}

/* Records one evaluation of the given runs; returns its id. */
static int64_t record(fg_store *s, const char *as_of, const char *outcome,
		      const char *const *run_ids, size_t n, int waived)
{
	fg_store_text rs = {"eu-ai-act", NULL, "rules/eu-ai-act.yaml",
			    RULESET_TEXT, strlen(RULESET_TEXT)};
	fg_store_text inputs[24];
	char *texts[24], rsha[65];
	json_t *doc, *runs = json_array();
	fg_error err;
	int64_t id = 0;
	size_t i;
	int rc;

	ck_assert_uint_le(n, 24);
	fg_sha256_hex(RULESET_TEXT, strlen(RULESET_TEXT), rsha);
	for (i = 0; i < n; i++) {
		texts[i] = input_text(run_ids[i]);
		inputs[i] = (fg_store_text){run_ids[i], NULL, "runs.yaml",
					    texts[i], strlen(texts[i])};
		json_array_append_new(runs, make_run(run_ids[i], outcome,
						     as_of, waived));
	}
	doc = json_pack("{s:s, s:s, s:n, s:s, s:[{s:s, s:s, s:s, s:s}],"
			" s:o, s:{s:s, s:b, s:i}}",
			"flopgate", "0.1.0", "as_of", as_of, "evaluation_id",
			"actor", "ci-bot", "rulesets", "id", "eu-ai-act",
			"sha256", rsha, "title", "EU AI Act", "jurisdiction",
			"EU", "runs", runs, "gate", "fail_on", "triggered",
			"passed", strcmp(outcome, "triggered") != 0,
			"failures", strcmp(outcome, "triggered") == 0);
	rc = fg_store_record(s, doc, &rs, 1, inputs, n, &id, &err);
	ck_assert_msg(rc == 0, "record: %s", err.message);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 doc, "evaluation_id")), id);
	for (i = 0; i < n; i++)
		free(texts[i]);
	json_decref(doc);
	return id;
}

static int64_t record_one(fg_store *s, const char *run_id,
			  const char *outcome, const char *as_of)
{
	const char *ids[1] = {run_id};

	return record(s, as_of, outcome, ids, 1, 0);
}

static fg_store *open_store(int flags)
{
	fg_store *s = NULL;
	fg_error err;
	int rc = fg_store_open(&s, db, flags, &err);

	ck_assert_msg(rc == 0, "open: %s", err.message);
	return s;
}

/* Five evaluations of runs r1..r5, each run its own input. */
static void fill_five(void)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	char id[16];
	int i;

	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		record_one(s, id, i % 2 ? "triggered" : "near", "2026-03-01");
	}
	fg_store_free(s);
}

/* Raw SQL on the file, as someone with the sqlite3 shell would. */
static void sql(const char *statement)
{
	sqlite3 *h;
	char *msg = NULL;
	int rc;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	rc = sqlite3_exec(h, statement, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", statement, msg);
	sqlite3_free(msg);
	sqlite3_close(h);
}

static int64_t sql_int(const char *query)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, query, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* s with every `from` replaced by `to`, malloc'd. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)); p += nf)
		n++;
	ck_assert_ptr_nonnull(out = malloc(strlen(s) + n * nt + 1));
	for (o = out; (p = strstr(s, from)); s = p + nf) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, to, nt);
		o += nt;
	}
	strcpy(o, s);
	return out;
}

/* Stores text as the document of runs row `rowid`, behind the store's
 * back, as the text of a row written before frames (document_lz4 NULL);
 * with rehash, document_sha256 follows it. */
static void put_document_text(sqlite3 *h, sqlite3_int64 rowid,
			      const char *text, int rehash)
{
	sqlite3_stmt *up;
	char hex[65];

	ck_assert_int_eq(fg_sha256_hex(text, strlen(text), hex), 0);
	sqlite3_exec(h, "DROP TRIGGER IF EXISTS runs_no_update", NULL, NULL,
		     NULL);
	ck_assert_int_eq(sqlite3_prepare_v2(h, rehash
		? "UPDATE runs SET document = ?1, document_lz4 = NULL, "
		  "document_sha256 = ?2 WHERE rowid = ?3"
		: "UPDATE runs SET document = ?1, document_lz4 = NULL "
		  "WHERE rowid = ?3 AND ?2 IS NOT NULL", -1, &up, NULL),
		SQLITE_OK);
	sqlite3_bind_text(up, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(up, 2, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(up, 3, rowid);
	ck_assert_int_eq(sqlite3_step(up), SQLITE_DONE);
	ck_assert_int_eq(sqlite3_changes(h), 1);
	sqlite3_finalize(up);
}

/* Rewrites the stored documents of evaluation `eval` (of every
 * evaluation when eval is 0), behind the store's back, as texts with
 * every `from` replaced by `to` (from NULL: as they are); see
 * put_document_text. */
static void edit_documents(int64_t eval, const char *from, const char *to,
			   int rehash)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	const char *text;
	char *owned, *copy, *edited;
	size_t len;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT rowid, "
		FG_STORE_DOCUMENT_V8 " FROM runs r WHERE ?1 = 0 OR "
		"evaluation_id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, eval);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ck_assert_int_eq(fg_store_document_text(st, 1, &text, &len,
							&owned), 0);
		ck_assert_ptr_nonnull(copy = strndup(text, len));
		free(owned);
		edited = from ? replace_all(copy, from, to) : copy;
		put_document_text(h, sqlite3_column_int64(st, 0), edited,
				  rehash);
		if (edited != copy)
			free(edited);
		free(copy);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static int verify(const char *checkpoint, fg_verify_report *r,
		  fg_error *err)
{
	fg_store *s = open_store(FG_STORE_READONLY);
	int rc = fg_store_verify(s, checkpoint, r, err);

	fg_store_free(s);
	return rc;
}

static char *checkpoint_now(void)
{
	fg_store *s = open_store(FG_STORE_READONLY);
	fg_error err;
	char *text = NULL;

	ck_assert_int_eq(fg_store_checkpoint(s, &text, &err), 0);
	fg_store_free(s);
	return text;
}

static void assert_bad_seq(int64_t seq, const char *needle)
{
	fg_verify_report r;
	fg_error err;
	int rc = verify(NULL, &r, &err);

	ck_assert_int_eq(rc, FG_EINTEGRITY);
	ck_assert_int_eq(err.code, FG_EINTEGRITY);
	ck_assert_int_eq(r.bad_seq, seq);
	ck_assert_msg(strstr(err.message, needle), "message `%s` lacks `%s`",
		      err.message, needle);
}

/* ---- round trip ----------------------------------------------------- */

START_TEST(test_round_trip_keeps_every_field)
{
	const char *ids[2] = {"llama-3.1-405b", "it's \"quoted\"'); DROP "
			      "TABLE findings; --"};
	fg_store *s = open_store(FG_STORE_CREATE);
	json_t **docs = NULL, *expected, *run;
	size_t n = 0, i;
	fg_error err;
	int64_t id;

	id = record(s, "2026-03-01", "triggered", ids, 2, 0);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(fg_store_latest_documents(s, NULL, &docs, &n, &err),
			 0);
	ck_assert_uint_eq(n, 2);
	for (i = 0; i < n; i++) {
		/* Sorted by run id: "it's..." before "llama...". */
		run = json_array_get(json_object_get(docs[i], "runs"), 0);
		expected = make_run(ids[1 - i], "triggered", "2026-03-01", 0);
		ck_assert_msg(json_equal(run, expected), "run %zu differs", i);
		json_decref(expected);
		ck_assert_str_eq(json_string_value(json_object_get(
					 docs[i], "as_of")), "2026-03-01");
		ck_assert_str_eq(json_string_value(json_object_get(
					 docs[i], "actor")), "ci-bot");
		ck_assert_str_eq(json_string_value(json_object_get(
					 docs[i], "flopgate")), "0.1.0");
		ck_assert_int_eq(json_integer_value(json_object_get(
					 docs[i], "evaluation_id")), 1);
		ck_assert(json_is_false(json_object_get(json_object_get(
				docs[i], "gate"), "passed")));
		ck_assert_str_eq(json_string_value(json_object_get(
			json_array_get(json_object_get(docs[i], "rulesets"), 0),
			"title")), "EU AI Act");
		ck_assert_int_eq(json_integer_value(json_object_get(
			json_object_get(docs[i], "audit"), "seq")), 1);
	}
	fg_store_documents_free(docs, n);
	/* The relational rows hold the figures exactly. */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "threshold = 1e25 AND value = 3.8e25 AND "
				 "outcome = 'triggered'"), 2);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs WHERE run_id = "
				 "'it''s \"quoted\"''); DROP TABLE findings;"
				 " --'"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM ruleset_texts"), 1);
	ck_assert_int_eq(fg_store_latest_documents(s, "no-such-run", &docs,
						   &n, &err), FG_ENOTFOUND);
	fg_store_free(s);
}
END_TEST

/* Input texts need not come in the order of the document's runs: each
 * is matched to its run by id, and its file recorded with it. */
START_TEST(test_inputs_are_matched_to_runs_in_any_order)
{
	const char *ids[3] = {"run-a", "run-b", "run-c"};
	const char *files[3] = {"a.yaml", "b.yaml", "c.yaml"};
	fg_store_text rs = {"eu-ai-act", NULL, "rules/eu-ai-act.yaml",
			    RULESET_TEXT, strlen(RULESET_TEXT)};
	fg_store_text inputs[3];
	fg_store *s = open_store(FG_STORE_CREATE);
	json_t *doc, *runs = json_array();
	char *texts[3], rsha[65], query[128];
	fg_error err;
	size_t i;

	fg_sha256_hex(RULESET_TEXT, strlen(RULESET_TEXT), rsha);
	for (i = 0; i < 3; i++) {
		texts[i] = input_text(ids[i]);
		/* Reversed: the text of run-c first. */
		inputs[2 - i] = (fg_store_text){ids[i], NULL, files[i],
						texts[i], strlen(texts[i])};
		json_array_append_new(runs, make_run(ids[i], "clear",
						     "2026-03-01", 0));
	}
	doc = json_pack("{s:s, s:s, s:n, s:s, s:[{s:s, s:s}], s:o,"
			" s:{s:s, s:b, s:i}}",
			"flopgate", "0.1.0", "as_of", "2026-03-01",
			"evaluation_id", "actor", "ci-bot", "rulesets", "id",
			"eu-ai-act", "sha256", rsha, "runs", runs, "gate",
			"fail_on", "triggered", "passed", 1, "failures", 0);
	ck_assert_msg(fg_store_record(s, doc, &rs, 1, inputs, 3, NULL,
				      &err) == 0, "record: %s", err.message);
	for (i = 0; i < 3; i++) {
		snprintf(query, sizeof(query), "SELECT count(*) FROM runs "
			 "WHERE run_id = '%s' AND input_file = '%s' AND "
			 "position = %zu", ids[i], files[i], i + 1);
		ck_assert_int_eq(sql_int(query), 1);
		free(texts[i]);
	}
	ck_assert_int_eq(sql_int("SELECT count(*) FROM input_texts"), 3);
	json_decref(doc);
	fg_store_free(s);
}
END_TEST

START_TEST(test_latest_document_is_the_newest_evaluation)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	json_t **docs = NULL;
	size_t n = 0;
	fg_error err;

	record_one(s, "run-a", "near", "2026-03-01");
	record_one(s, "run-b", "clear", "2026-03-02");
	record_one(s, "run-a", "triggered", "2026-03-03");
	ck_assert_int_eq(fg_store_latest_documents(s, "run-a", &docs, &n,
						   &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 docs[0], "evaluation_id")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(json_array_get(json_object_get(docs[0],
			"runs"), 0), "findings"), 0), "outcome")), "triggered");
	fg_store_documents_free(docs, n);
	fg_store_free(s);
}
END_TEST

START_TEST(test_waivers_used_are_recorded)
{
	const char *ids[1] = {"waived-run"};
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_verify_report r;
	fg_error err;

	record(s, "2026-03-01", "waived", ids, 1, 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM waivers WHERE "
				 "approved_by = 'Ana O''Neil' AND rule = "
				 "'eu.gpai.systemic-risk'"), 1);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	fg_store_free(s);
}
END_TEST

START_TEST(test_first_triggered_remembers_the_first_day)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_date d = 0, expect;

	record_one(s, "run-a", "near", "2026-03-01");
	record_one(s, "run-a", "triggered", "2026-03-05");
	record_one(s, "run-a", "triggered", "2026-03-10");
	record_one(s, "run-b", "triggered", "2026-02-01");
	fg_date_parse(&expect, "2026-03-05");
	ck_assert_int_eq(fg_store_first_triggered(s, "run-a",
						  "eu.gpai.systemic-risk", &d, NULL),
			 1);
	ck_assert_int_eq(d, expect);
	ck_assert_int_eq(fg_store_first_triggered(s, "run-a",
						  "us.eo14110.model", &d, NULL), 0);
	ck_assert_int_eq(fg_store_first_triggered(s, "run-c",
						  "eu.gpai.systemic-risk", &d, NULL),
			 0);
	/* known_since was the as-of date in every evaluation of run-a. */
	fg_date_parse(&expect, "2026-03-01");
	ck_assert_int_eq(fg_store_first_known(s, "run-a",
					      "eu.gpai.systemic-risk", &d, NULL), 1);
	ck_assert_int_eq(d, expect);
	fg_store_free(s);
}
END_TEST

/* A kept statement is handed out again once given back, reset and with
 * its bindings cleared; asked for while out, it is prepared anew. */
START_TEST(test_kept_statements_are_reused_once_given_back)
{
	static const char sql[] = "SELECT ? + 1";
	fg_store *s = open_store(FG_STORE_CREATE);
	sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;
	fg_error err;
	int i;

	ck_assert_int_eq(fg_store_prepare_cached(s, &a, sql, &err), 0);
	sqlite3_bind_int(a, 1, 41);
	ck_assert_int_eq(sqlite3_step(a), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(a, 0), 42);
	/* out and mid-row: a second one of its own */
	ck_assert_int_eq(fg_store_prepare_cached(s, &b, sql, &err), 0);
	ck_assert_ptr_ne(a, b);
	sqlite3_bind_int(b, 1, 1);
	ck_assert_int_eq(sqlite3_step(b), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(b, 0), 2);
	fg_store_release(s, b); /* finalized */
	fg_store_release(s, a);
	/* given back: the same one, from its first row, bindings cleared */
	ck_assert_int_eq(fg_store_prepare_cached(s, &c, sql, &err), 0);
	ck_assert_ptr_eq(c, a);
	ck_assert_int_eq(sqlite3_step(c), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_type(c, 0), SQLITE_NULL);
	fg_store_release(s, c);
	/* more statements than are kept: the rest are prepared each time */
	for (i = 0; i < FG_STORE_CACHE + 4; i++) {
		char *q = sqlite3_mprintf("SELECT %d", i);

		ck_assert_int_eq(fg_store_prepare_cached(s, &a, q, &err), 0);
		ck_assert_int_eq(sqlite3_step(a), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(a, 0), i);
		fg_store_release(s, a);
		sqlite3_free(q);
	}
	ck_assert_uint_eq(s->cache_count, FG_STORE_CACHE);
	fg_store_free(s);
}
END_TEST

START_TEST(test_bad_document_records_nothing)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_store_text rs = {"eu-ai-act", NULL, NULL, RULESET_TEXT,
			    strlen(RULESET_TEXT)};
	fg_store_text wrong = {"run-x", NULL, NULL, "run: {id: other}\n", 17};
	fg_store_text lying = {"run-x", "00000000000000000000000000000000"
			       "00000000000000000000000000000000", NULL,
			       "x", 1};
	json_t *doc;
	fg_error err;
	char rsha[65];

	record_one(s, "run-a", "near", "2026-03-01");
	fg_sha256_hex(RULESET_TEXT, strlen(RULESET_TEXT), rsha);
	doc = json_pack("{s:s, s:s, s:[{s:s, s:s}], s:[o], s:{s:s, s:b}}",
			"flopgate", "0.1.0", "as_of", "2026-03-02", "rulesets",
			"id", "eu-ai-act", "sha256", rsha, "runs",
			make_run("run-x", "triggered", "2026-03-02", 0),
			"gate", "fail_on", "triggered", "passed", 0);
	/* No input text for the run. */
	ck_assert_int_eq(fg_store_record(s, doc, &rs, 1, NULL, 0, NULL, &err),
			 FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "input text"));
	/* An input text that is not the one the document hashed. */
	ck_assert_int_eq(fg_store_record(s, doc, &rs, 1, &wrong, 1, NULL,
					 &err), FG_EINPUT);
	/* A text whose claimed hash is not its hash. */
	ck_assert_int_eq(fg_store_record(s, doc, &rs, 1, &lying, 1, NULL,
					 &err), FG_EINPUT);
	/* No ruleset text. */
	ck_assert_int_eq(fg_store_record(s, doc, NULL, 0, NULL, 0, NULL,
					 &err), FG_EINPUT);
	ck_assert(json_is_null(json_object_get(doc, "evaluation_id")) ||
		  !json_object_get(doc, "evaluation_id"));
	json_decref(doc);
	/* No runs at all. */
	doc = json_pack("{s:s, s:[], s:{s:s, s:b}}", "as_of", "2026-03-02",
			"runs", "gate", "fail_on", "triggered", "passed", 1);
	ck_assert_int_eq(fg_store_record(s, doc, &rs, 1, NULL, 0, NULL, &err),
			 FG_EINPUT);
	json_decref(doc);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM evaluations"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM input_texts"), 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), 1);
}
END_TEST

START_TEST(test_triggers_refuse_update_and_delete)
{
	const char *statements[] = {
		"UPDATE findings SET outcome = 'clear'",
		"DELETE FROM audit WHERE seq = 1",
		"UPDATE input_texts SET text = 'x'",
		"DELETE FROM evaluations",
		"UPDATE audit SET hash = prev_hash"};
	sqlite3 *h;
	char *msg = NULL;
	size_t i;

	fill_five();
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	for (i = 0; i < 5; i++) {
		ck_assert_int_ne(sqlite3_exec(h, statements[i], NULL, NULL,
					      &msg), SQLITE_OK);
		ck_assert_msg(msg && strstr(msg, "append-only"), "%s: %s",
			      statements[i], msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	sqlite3_close(h);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), 5);
}
END_TEST

/* ---- the row triggers a long recording sets aside ------------------------ */

/* Begins recording an evaluation of the test ruleset through the
 * run-by-run API. */
static fg_store_recording *begin_recording(fg_store *s)
{
	static const fg_store_text rs = {"eu-ai-act", NULL,
					 "rules/eu-ai-act.yaml", RULESET_TEXT,
					 sizeof(RULESET_TEXT) - 1};
	fg_store_evaluation ev = {"2026-03-01", NULL, "triggered", NULL, &rs,
				  1};
	fg_store_recording *rec = NULL;
	fg_error err;
	char rsha[65];

	fg_sha256_hex(RULESET_TEXT, strlen(RULESET_TEXT), rsha);
	ev.rulesets = json_pack("[{s:s, s:s, s:s}]", "id", "eu-ai-act",
				"sha256", rsha, "title", "EU AI Act");
	ck_assert_msg(fg_store_record_begin(&rec, s, &ev, &err) == 0, "%s",
		      err.message);
	json_decref((json_t *)ev.rulesets);
	return rec;
}

/* More runs than store_record.c's TRIGGERS_ASIDE_AT (8), so that the
 * recording sets its row triggers aside. */
#define LONG_RUNS 20

static const char *long_ids[LONG_RUNS] = {
	"l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09", "l10",
	"l11", "l12", "l13", "l14", "l15", "l16", "l17", "l18", "l19", "l20"};

static int64_t count_on(sqlite3 *h, const char *query)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(h, query, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define INSERT_TRIGGERS "SELECT count(*) FROM sqlite_schema WHERE type = " \
	"'trigger' AND name LIKE '%_no_insert'"

/* Each casual INSERT into a table a recording fills run by run. */
static void casual_inserts_are_refused(void)
{
	const char *statements[] = {
		"INSERT INTO runs SELECT * FROM runs LIMIT 1",
		"INSERT INTO findings (evaluation_id, run_position, position,"
		" run_id, rule, outcome, gate_fails) SELECT evaluation_id, "
		"run_position, position + 100, run_id, rule, outcome, "
		"gate_fails FROM findings LIMIT 1",
		"INSERT INTO input_texts VALUES (printf('%064d', 7), 'x')",
		"INSERT INTO waivers (evaluation_id, run_position, "
		"finding_position, run_id, rule) SELECT evaluation_id, "
		"run_position, position, run_id, rule FROM findings WHERE "
		"position = 1 LIMIT 1"};
	sqlite3 *h;
	char *msg = NULL;
	size_t i;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	for (i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
		ck_assert_int_ne(sqlite3_exec(h, statements[i], NULL, NULL,
					      &msg), SQLITE_OK);
		ck_assert_msg(msg && strstr(msg, "rows are added only by "
					    "flopgate check"),
			      "%s: %s", statements[i], msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	sqlite3_close(h);
}

START_TEST(test_long_recording_puts_its_triggers_back)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_verify_report r;
	fg_error err;
	char problem[256];

	record(s, "2026-03-01", "triggered", long_ids, LONG_RUNS, 0);
	ck_assert_int_eq(fg_store_check_schema(s, problem, sizeof(problem),
					       &err), 0);
	ck_assert_msg(!problem[0], "%s", problem);
	fg_store_free(s);
	ck_assert_int_eq(sql_int(INSERT_TRIGGERS), 9);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs"), LONG_RUNS);
	casual_inserts_are_refused();
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs"), LONG_RUNS);
}
END_TEST

/* The triggers are aside only inside the recording's transaction: no
 * other connection sees them gone, and a rollback (_i 0) or a commit
 * (_i 1) puts them back. */
START_TEST(test_triggers_aside_are_seen_by_no_one_else)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_store_recording *rec = begin_recording(s);
	fg_store_text input;
	fg_error err;
	char *text, problem[256];
	json_t *run;
	sqlite3 *h;
	size_t i;

	for (i = 0; i < 10; i++) {
		text = input_text(long_ids[i]);
		input = (fg_store_text){long_ids[i], NULL, "runs.yaml", text,
					strlen(text)};
		run = make_run(long_ids[i], "triggered", "2026-03-01", 0);
		ck_assert_msg(fg_store_record_run(rec, run, &input, &err) == 0,
			      "%s", err.message);
		json_decref(run);
		free(text);
	}
	/* the recorder's own connection has set them aside... */
	ck_assert_int_eq(count_on(s->db, INSERT_TRIGGERS), 5);
	/* ...no other sees it */
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(count_on(h, INSERT_TRIGGERS), 9);
	sqlite3_close(h);
	if (_i == 0) {
		fg_store_recording_free(rec);
		ck_assert_int_eq(count_on(s->db, "SELECT count(*) FROM runs"),
				 0);
	} else {
		/* committed without its audit entry (verify names such an
		 * evaluation): the triggers are back all the same */
		ck_assert_int_eq(fg_store_record_commit(rec, &err), 0);
		fg_store_recording_free(rec);
		ck_assert_int_eq(count_on(s->db, "SELECT count(*) FROM runs"),
				 10);
	}
	ck_assert_int_eq(count_on(s->db, INSERT_TRIGGERS), 9);
	ck_assert_int_eq(fg_store_check_schema(s, problem, sizeof(problem),
					       &err), 0);
	ck_assert_msg(!problem[0], "%s", problem);
	fg_store_free(s);
}
END_TEST

/* A recording does not mend the schema it found: a trigger dropped by
 * someone else stays missing, for verify to name. */
START_TEST(test_long_recording_mends_no_missing_trigger)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_verify_report r;
	fg_error err;
	char problem[256];

	fg_store_free(s);
	sql("DROP TRIGGER findings_no_insert");
	s = open_store(0);
	record(s, "2026-03-01", "triggered", long_ids, LONG_RUNS, 0);
	ck_assert_int_eq(fg_store_check_schema(s, problem, sizeof(problem),
					       &err), 0);
	ck_assert_ptr_nonnull(strstr(problem, "findings_no_insert"));
	fg_store_free(s);
	ck_assert_int_eq(sql_int(INSERT_TRIGGERS), 8);
	ck_assert_int_ne(verify(NULL, &r, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.message, "findings_no_insert"));
}
END_TEST

/* ---- the findings rows a recording keeps ----------------------------------- */

static char *slurp(const char *path);

/* Records RUN (built by hand, its findings as given) as an evaluation of
 * its own through the run-by-run API; its input text is input_text(id). */
static void record_run_json(fg_store *s, const char *id, json_t *run)
{
	fg_store_recording *rec = begin_recording(s);
	fg_store_text input;
	char sha[65], *text = input_text(id);
	fg_error err;

	fg_sha256_hex(text, strlen(text), sha);
	json_object_set_new(run, "input_sha256", json_string(sha));
	input = (fg_store_text){id, NULL, "runs.yaml", text, strlen(text)};
	ck_assert_msg(fg_store_record_run(rec, run, &input, &err) == 0, "%s",
		      err.message);
	ck_assert_msg(fg_store_record_finish(rec, 0, 1, &err) == 0, "%s",
		      err.message);
	ck_assert_msg(fg_store_record_commit(rec, &err) == 0, "%s",
		      err.message);
	fg_store_recording_free(rec);
	free(text);
}

/* Schema version 7: a findings row for each finding a look-up or a
 * waiver needs, at its position in the document; none for a clear or
 * not-applicable finding with no known_since and no waiver.  The log
 * still counts every finding, from the documents. */
START_TEST(test_findings_rows_are_kept_for_lookups_and_waivers)
{
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_verify_report r;
	fg_error err;
	fg_date d = 0, expect;
	json_t *entries = NULL, *run, *counts;
	char *text;

	run = json_pack(
		"{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, "
		"{s:s, s:s, s:s}, {s:s, s:s, s:s}, "
		"{s:s, s:s, s:{s:s, s:s, s:s}}, {s:s, s:s, s:{s:s, s:s, s:s}}, "
		"{s:s, s:s}]}",
		"id", "kept",
		"findings",
		"rule", "r.clear", "outcome", "clear",
		"rule", "r.na", "outcome", "not_applicable",
		"rule", "r.near", "outcome", "near",
		"rule", "r.triggered", "outcome", "triggered",
		"known_since", "2026-02-20",
		"rule", "r.known", "outcome", "clear", "known_since",
		"2026-02-10",
		"rule", "r.waived", "outcome", "waived", "waiver", "reason",
		"accepted", "approved_by", "Board", "expires", "2027-01-01",
		"rule", "r.clear-waived", "outcome", "clear", "waiver",
		"reason", "kept anyway", "approved_by", "Board", "expires",
		"2027-01-01",
		"rule", "r.indeterminate", "outcome", "indeterminate");
	ck_assert_ptr_nonnull(run);
	record_run_json(s, "kept", run);
	json_decref(run);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings"), 6);
	ck_assert_int_eq(sql_int("SELECT sum(position * (rule = CASE position "
				 "WHEN 3 THEN 'r.near' WHEN 4 THEN "
				 "'r.triggered' WHEN 5 THEN 'r.known' WHEN 6 "
				 "THEN 'r.waived' WHEN 7 THEN 'r.clear-waived'"
				 " WHEN 8 THEN 'r.indeterminate' END)) FROM "
				 "findings"), 3 + 4 + 5 + 6 + 7 + 8);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM waivers WHERE "
				 "finding_position IN (6, 7)"), 2);
	ck_assert_int_eq(sql_int("SELECT findings FROM (SELECT json_extract("
				 "entry, '$.findings') AS findings FROM "
				 "audit)"), 6);
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	s = open_store(FG_STORE_READONLY);
	fg_date_parse(&expect, "2026-03-01");
	ck_assert_int_eq(fg_store_first_triggered(s, "kept", "r.triggered",
						  &d, &err), 1);
	ck_assert_int_eq(d, expect);
	fg_date_parse(&expect, "2026-02-10");
	ck_assert_int_eq(fg_store_first_known(s, "kept", "r.known", &d,
					      &err), 1);
	ck_assert_int_eq(d, expect);
	ck_assert_int_eq(fg_store_log(s, NULL, &entries, &err), 0);
	counts = json_object_get(json_array_get(entries, 0), "outcomes");
	text = json_dumps(counts, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_str_eq(text, "{\"clear\":3,\"indeterminate\":1,"
			 "\"near\":1,\"not_applicable\":1,"
			 "\"triggered\":1,\"waived\":1}");
	free(text);
	json_decref(entries);
	fg_store_free(s);
}
END_TEST

/* Replaces the stored document of every runs row by bytes, behind the
 * store's back: as a frame (document_lz4) or, with as_text, as a text of
 * the rows written before frames. */
static void set_stored_documents(const void *bytes, size_t n, int as_text)
{
	sqlite3 *h;
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_exec(h, "DROP TRIGGER IF EXISTS runs_no_update", NULL, NULL,
		     NULL);
	ck_assert_int_eq(sqlite3_prepare_v2(h, as_text
		? "UPDATE runs SET document = ?, document_lz4 = NULL"
		: "UPDATE runs SET document = '', document_lz4 = ?",
		-1, &st, NULL), SQLITE_OK);
	if (as_text)
		sqlite3_bind_text(st, 1, bytes, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_blob(st, 1, bytes, (int)n, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/* text as an LZ4 frame made by the LZ4 library itself (as the `lz4`
 * tool makes one), into *size bytes, malloc'd. */
static char *lz4_frame(const char *text, size_t *size)
{
	LZ4F_preferences_t prefs;
	size_t len = strlen(text), bound;
	char *frame;

	memset(&prefs, 0, sizeof(prefs));
	prefs.frameInfo.contentSize = len;
	bound = LZ4F_compressFrameBound(len, &prefs);
	ck_assert_ptr_nonnull(frame = malloc(bound));
	*size = LZ4F_compressFrame(frame, bound, text, len, &prefs);
	ck_assert(!LZ4F_isError(*size));
	return frame;
}

/* Replaces the document of every runs row by text, in a frame. */
static void set_documents(const char *text)
{
	size_t n;
	char *frame = lz4_frame(text, &n);

	set_stored_documents(frame, n, 0);
	free(frame);
}

/* The log of the one evaluation recorded, for case i: its outcome counts
 * as compact JSON are `counts`, or (counts NULL) it is an integrity error
 * that names run `edited`. */
static void assert_log_counts(const char *counts, int i)
{
	fg_store *s = open_store(FG_STORE_READONLY);
	json_t *entries = NULL;
	fg_error err;
	char *text;

	if (counts) {
		ck_assert_msg(fg_store_log(s, NULL, &entries, &err) == 0,
			      "case %d: %s", i, err.message);
		text = json_dumps(json_object_get(json_array_get(entries, 0),
						  "outcomes"), JSON_COMPACT);
		ck_assert_msg(!strcmp(text, counts), "case %d: %s", i, text);
		free(text);
		json_decref(entries);
	} else {
		ck_assert_msg(fg_store_log(s, NULL, &entries, &err) ==
			      FG_EINTEGRITY, "case %d", i);
		ck_assert_ptr_null(entries);
		ck_assert_ptr_nonnull(strstr(err.message, "run edited"));
	}
	fg_store_free(s);
}

/* The log's counts: `outcome` of the objects of the top-level `findings`
 * alone, in any spacing and key order, through strings that hold quotes
 * and braces; a document it cannot follow is an integrity error, not a
 * count. */
START_TEST(test_log_counts_the_outcomes_of_findings_only)
{
	static const struct {
		const char *doc, *counts;
	} cases[] = {
		{"{\"findings\":[{\"outcome\":\"near\"},{\"outcome\":"
		 "\"near\"},{\"outcome\":\"clear\"}]}",
		 "{\"clear\":1,\"near\":2}"},
		{" { \"a\" : {\"outcome\":\"no\", \"findings\": [{\"outcome\":"
		 "\"no\"}]} ,\n\"findings\" :\t[ { \"x\" : {\"outcome\": "
		 "\"no\"}, \"s\": \"}]\\\"outcome\\\":\\\"no\", \"outcome\" :"
		 " \"triggered\" , \"n\": [1, 2.5e3, true, null, {}]} , 7 ] ,"
		 " \"z\": \"]\", \"outcome\": \"no\" } ", "{\"triggered\":1}"},
		{"{\"findings\":[{\"findings\":[{\"outcome\":\"no\"}],"
		 "\"outcome\":\"waived\"}]}", "{\"waived\":1}"},
		{"{\"findings\":[]}", "{}"},
		{"{\"id\":\"r\"}", "{}"},
		{"{\"findings\":[{\"outcome\":\"x\"}", NULL},
		{"{\"findings\":[{\"outcome\":\"x\"}]", NULL},
		{"{\"findings\":[{\"outcome\":\"x\"}]}}", NULL},
		{"{\"findings\":[{\"outcome\" \"x\"}]}", NULL},
		{"{\"findings\":[:]}", NULL},
		{"{\"findings\":[{\"outcome\":\"x\"} {}]}", NULL},
		{"{\"s\":\"unterminated}", NULL},
		{"{\"s\":\"ends in a backslash\\", NULL},
		{"[{\"findings\":[]}]", NULL},
		{"", NULL},
		{"{\"findings\":[{\"outcome\":\"a-name-longer-than-thirty-one-"
		 "bytes\"}]}", NULL},
	};
	fg_store *s = open_store(FG_STORE_CREATE);
	size_t i;

	record_one(s, "edited", "triggered", "2026-03-01");
	fg_store_free(s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_documents(cases[i].doc);
		assert_log_counts(cases[i].counts, (int)i);
	}
}
END_TEST

/* The log reads a document as stored: a frame, or a text kept from
 * before frames; bytes that are not exactly one whole frame stating its
 * length are an integrity error that names the run, not a count. */
START_TEST(test_log_reads_frames_and_texts)
{
	const char *doc = "{\"findings\":[{\"outcome\":\"near\"}]}";
	LZ4F_preferences_t unsized;
	fg_store *s = open_store(FG_STORE_CREATE);
	char *frame, grown[256];
	size_t n, m;
	int i;

	record_one(s, "edited", "triggered", "2026-03-01");
	fg_store_free(s);
	frame = lz4_frame(doc, &n);
	ck_assert_uint_lt(n, sizeof(grown));
	memset(&unsized, 0, sizeof(unsized));
	for (i = 0; i < 6; i++) {
		switch (i) {
		case 0: set_stored_documents(doc, strlen(doc), 1); break;
		case 1: set_stored_documents(frame, n, 0); break;
		/* cut short, at the header and in the data */
		case 2: set_stored_documents(frame, 9, 0); break;
		case 3: set_stored_documents(frame, n - 5, 0); break;
		/* a byte after the end mark */
		case 4:
			memcpy(grown, frame, n);
			grown[n] = 0;
			set_stored_documents(grown, n + 1, 0);
			break;
		/* a frame that does not state its length */
		case 5:
			m = LZ4F_compressFrame(grown, sizeof(grown), doc,
					       strlen(doc), &unsized);
			ck_assert(!LZ4F_isError(m));
			set_stored_documents(grown, m, 0);
			break;
		}
		assert_log_counts(i < 2 ? "{\"near\":1}" : NULL, i);
	}
	free(frame);
}
END_TEST

/* Chains recorded by schema version 6 (tests/fixtures/db/sample-v6.sql,
 * written by tests/fixtures/db/make-sample.sh), with a findings row for every
 * finding: they verify as they are, the log counts from the documents
 * what it counted from those rows, and after the migration by the next
 * recording the old rows stay, the new evaluation keeps fewer, and all of
 * it verifies; a change to an old row is still caught. */
START_TEST(test_version_6_database_migrates_and_verifies)
{
	char *rows = slurp("tests/fixtures/db/sample-v6.sql");
	fg_verify_report r;
	fg_error err;
	fg_store *s;
	json_t *entries = NULL, *e;
	char query[256];
	size_t i;

	sql(rows);
	free(rows);
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 6);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings"), 84);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "outcome IN ('clear', 'not_applicable')"), 76);
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_schema_version(s), 6);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 3);
	ck_assert_int_eq(fg_store_log(s, NULL, &entries, &err), 0);
	ck_assert_int_eq(json_array_size(entries), 3);
	json_array_foreach(entries, i, e) {
		const char *outcome;
		json_t *n;
		int64_t total = 0;

		json_object_foreach(json_object_get(e, "outcomes"), outcome,
				    n) {
			snprintf(query, sizeof(query), "SELECT count(*) FROM "
				 "findings WHERE evaluation_id = %lld AND "
				 "outcome = '%s'", (long long)
				 json_integer_value(json_object_get(
					 e, "evaluation_id")), outcome);
			ck_assert_int_eq(sql_int(query), json_integer_value(n));
			total += json_integer_value(n);
		}
		snprintf(query, sizeof(query), "SELECT count(*) FROM findings "
			 "WHERE evaluation_id = %lld", (long long)
			 json_integer_value(json_object_get(e,
							    "evaluation_id")));
		ck_assert_int_eq(sql_int(query), total);
	}
	json_decref(entries);
	fg_store_free(s);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(record_one(s, "after-v6", "triggered", "2026-05-01"),
			 4);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 4);
	fg_store_free(s);
	/* the old rows stay; of the new run's two findings (triggered, and
	 * not applicable) one has a row */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "evaluation_id < 4"), 84);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "evaluation_id = 4"), 1);
	sql("DROP TRIGGER findings_no_update; UPDATE findings SET outcome = "
	    "'clear' WHERE evaluation_id = 2 AND outcome = 'not_applicable'");
	assert_bad_seq(2, "no longer hash");
}
END_TEST

/* ---- verification and tampering -------------------------------------- */

START_TEST(test_verify_reports_entries_and_head)
{
	fg_verify_report r;
	fg_checkpoint cp;
	fg_error err;
	char *text, hex[65];

	fill_five();
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 5);
	text = checkpoint_now();
	ck_assert_int_eq(fg_checkpoint_parse(&cp, text, &err), 0);
	ck_assert_str_eq(cp.origin, FG_CHECKPOINT_ORIGIN);
	ck_assert_int_eq(cp.size, 5);
	fg_hex(cp.hash, 32, hex);
	ck_assert_str_eq(hex, r.head);
	ck_assert_int_eq(verify(text, &r, &err), 0);
	ck_assert_int_eq(r.checkpoint_size, 5);
	free(text);
}
END_TEST

START_TEST(test_chain_links_each_entry_to_the_previous)
{
	unsigned char prev[32] = {0}, hash[32];
	fg_store *s;
	fg_error err;
	char *text = NULL, hex[65];
	int64_t seq;
	sqlite3 *h;
	sqlite3_stmt *st;

	fill_five();
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_prepare_v2(h, "SELECT seq, evaluation_id, prev_hash, hash, "
			   "entry FROM audit ORDER BY seq", -1, &st, NULL);
	for (seq = 1; sqlite3_step(st) == SQLITE_ROW; seq++) {
		ck_assert_int_eq(sqlite3_column_int64(st, 0), seq);
		fg_hex(prev, 32, hex);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), hex);
		ck_assert_int_eq(fg_audit_entry_text(s, seq,
			sqlite3_column_int64(st, 1), FG_AUDIT_FORMAT, &text,
			&err), 0);
		/* the entry the rows give is the one kept */
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 4),
				 text);
		/* SHA-256(prev || entry), by hand. */
		fg_sha256_pair(prev, 32, text, strlen(text), hash);
		fg_hex(hash, 32, hex);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 3), hex);
		ck_assert_ptr_nonnull(strstr(text, "\"format\":4"));
		ck_assert_ptr_nonnull(strstr(text, "\"chunks\":[\""));
		free(text);
		memcpy(prev, hash, 32);
	}
	ck_assert_int_eq(seq, 6);
	sqlite3_finalize(st);
	sqlite3_close(h);
	fg_store_free(s);
}
END_TEST

START_TEST(test_changed_finding_outcome_is_caught)
{
	fill_five();
	sql("DROP TRIGGER findings_no_update;"
	    "UPDATE findings SET outcome = 'clear' WHERE evaluation_id = 3 "
	    "AND rule = 'eu.gpai.systemic-risk'");
	/* format 4 hashes every column of every row */
	assert_bad_seq(3, "no longer hash to the stored entry hash");
}
END_TEST

START_TEST(test_changed_finding_and_document_is_caught)
{
	/* An editor who changes both the row and the stored document (and
	 * its hash) but cannot re-hash the chain. */
	fill_five();
	sql("DROP TRIGGER findings_no_update;"
	    "UPDATE findings SET outcome = 'clear' WHERE evaluation_id = 3 "
	    "AND rule = 'eu.gpai.systemic-risk'");
	edit_documents(3, "\"triggered\"", "\"clear\"", 0);
	assert_bad_seq(3, "no longer hashes");
	/* with the document's hash made to match, the entry's digest of
	 * the rows no longer does */
	edit_documents(3, "\"clear\"", "\"clear\"", 1);
	assert_bad_seq(3, "no longer hash to the stored entry hash");
}
END_TEST

/* Replaces the stored document of evaluation 3 (run r3) by text, with a
 * matching document_sha256, as an editor with the sqlite3 shell could. */
static void rewrite_document_rehashed(const char *text)
{
	char hex[65], statement[512];

	ck_assert_int_eq(fg_sha256_hex(text, strlen(text), hex), 0);
	snprintf(statement, sizeof(statement),
		 "DROP TRIGGER IF EXISTS runs_no_update;"
		 "UPDATE runs SET document = '%s', document_lz4 = NULL, "
		 "document_sha256 = '%s' WHERE evaluation_id = 3", text, hex);
	sql(statement);
}

/* Replaces the stored frame of evaluation 3 (run r3) by bytes, with a
 * matching document_sha256. */
static void rewrite_frame_rehashed(const char *bytes, size_t n)
{
	sqlite3 *h;
	sqlite3_stmt *up;
	char hex[65];

	ck_assert_int_eq(fg_sha256_hex(bytes, n, hex), 0);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_exec(h, "DROP TRIGGER IF EXISTS runs_no_update", NULL, NULL,
		     NULL);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "UPDATE runs SET document = "
		"'', document_lz4 = ?, document_sha256 = ? WHERE "
		"evaluation_id = 3", -1, &up, NULL), SQLITE_OK);
	sqlite3_bind_blob(up, 1, bytes, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(up, 2, hex, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(up), SQLITE_DONE);
	sqlite3_finalize(up);
	sqlite3_close(h);
}

START_TEST(test_rehashed_unparsable_document_is_an_integrity_error)
{
	/* the last: a frame whose data is cut off, its hash made to match */
	const char *texts[] = {"this is not JSON {", "[1, 2]", NULL};
	const char *why[] = {"is not a JSON object (", "another JSON value",
			     "is not a whole LZ4 frame"};
	json_t **docs = NULL;
	size_t n = 0, i;
	fg_store *s;
	fg_error err;

	fill_five();
	for (i = 0; i < 3; i++) {
		if (texts[i])
			rewrite_document_rehashed(texts[i]);
		else
			rewrite_frame_rehashed("\x04\x22\x4d\x18\x64\x40\xa7",
					       7);
		s = open_store(FG_STORE_READONLY);
		ck_assert_int_eq(fg_store_latest_documents(s, "r3", &docs, &n,
							   &err),
				 FG_EINTEGRITY);
		ck_assert_ptr_null(docs);
		ck_assert_int_eq(err.code, FG_EINTEGRITY);
		ck_assert_msg(strstr(err.message, "run r3 in evaluation 3") &&
			      strstr(err.message, why[i]),
			      "message `%s`", err.message);
		ck_assert_ptr_null(strstr(err.message, "out of memory"));
		/* The other runs still read. */
		ck_assert_int_eq(fg_store_latest_documents(s, "r2", &docs, &n,
							   &err), 0);
		ck_assert_uint_eq(n, 1);
		fg_store_documents_free(docs, n);
		docs = NULL;
		fg_store_free(s);
	}
}
END_TEST

START_TEST(test_deleted_middle_entry_is_caught)
{
	fill_five();
	sql("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3");
	assert_bad_seq(3, "missing");
}
END_TEST

START_TEST(test_swapped_entries_are_caught)
{
	fill_five();
	sql("DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET seq = -2 WHERE seq = 2;"
	    "UPDATE audit SET seq = 2 WHERE seq = 4;"
	    "UPDATE audit SET seq = 4 WHERE seq = -2");
	assert_bad_seq(2, "prev_hash");
}
END_TEST

START_TEST(test_edited_input_text_is_caught)
{
	fill_five();
	sql("DROP TRIGGER input_texts_no_update;"
	    "UPDATE input_texts SET text = replace(text, 'planned', "
	    "'completed') WHERE text LIKE '%id: r2%'");
	assert_bad_seq(2, "input text of run r2");
}
END_TEST

START_TEST(test_edited_ruleset_text_is_caught)
{
	fill_five();
	sql("DROP TRIGGER ruleset_texts_no_update;"
	    "UPDATE ruleset_texts SET text = 'rules: []'");
	assert_bad_seq(1, "ruleset eu-ai-act");
}
END_TEST

START_TEST(test_evaluation_without_entry_is_caught)
{
	fg_verify_report r;
	fg_error err;

	fill_five();
	sql("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 5");
	ck_assert_int_eq(verify(NULL, &r, &err), FG_EINTEGRITY);
	ck_assert_int_eq(r.bad_evaluation_id, 5);
	ck_assert_ptr_nonnull(strstr(err.message, "no audit entry"));
}
END_TEST

/* Puts back the triggers an attack dropped, copied from a fresh
 * database, as a careful attacker would. */
static void restore_triggers(void)
{
	char fresh[400], attach[800];
	fg_store *s;
	fg_error err;

	snprintf(fresh, sizeof(fresh), "%s/fresh.db", dir);
	ck_assert_int_eq(fg_store_open(&s, fresh, FG_STORE_CREATE, &err), 0);
	fg_store_free(s);
	snprintf(attach, sizeof(attach), "ATTACH '%s' AS fresh", fresh);
	{
		sqlite3 *h;
		sqlite3_stmt *st;
		char *msg = NULL;

		ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(h, attach, NULL, NULL, NULL),
				 SQLITE_OK);
		ck_assert_int_eq(sqlite3_prepare_v2(h,
			"SELECT sql FROM fresh.sqlite_schema WHERE type = "
			"'trigger' AND name NOT IN (SELECT name FROM "
			"main.sqlite_schema)", -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			char *create = strdup((const char *)
					      sqlite3_column_text(st, 0));
			ck_assert_int_eq(sqlite3_exec(h, create, NULL, NULL,
						      &msg), SQLITE_OK);
			free(create);
		}
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	unlink(fresh);
}

/* Removes the last `n` evaluations completely, as an attacker hiding
 * them would. */
static void truncate_tail(int n)
{
	char statement[1024];

	snprintf(statement, sizeof(statement),
		 "DROP TRIGGER audit_no_delete; DROP TRIGGER waivers_no_delete;"
		 "DROP TRIGGER findings_no_delete; DROP TRIGGER runs_no_delete;"
		 "DROP TRIGGER evaluation_rulesets_no_delete;"
		 "DROP TRIGGER evaluations_no_delete;"
		 "CREATE TEMP TABLE gone AS SELECT evaluation_id AS id FROM "
		 "audit ORDER BY seq DESC LIMIT %d;"
		 "DELETE FROM audit WHERE evaluation_id IN gone;"
		 "DELETE FROM waivers WHERE evaluation_id IN gone;"
		 "DELETE FROM findings WHERE evaluation_id IN gone;"
		 "DELETE FROM runs WHERE evaluation_id IN gone;"
		 "DELETE FROM evaluation_rulesets WHERE evaluation_id IN gone;"
		 "DELETE FROM evaluations WHERE id IN gone;"
		 "DROP TRIGGER input_texts_no_delete;"
		 "DELETE FROM input_texts WHERE sha256 NOT IN (SELECT "
		 "input_sha256 FROM runs);", n);
	sql(statement);
	restore_triggers();
}

START_TEST(test_truncated_tail_fails_against_checkpoint)
{
	fg_verify_report r;
	fg_error err;
	char *cp;

	fill_five();
	cp = checkpoint_now();
	truncate_tail(2);
	/* The shortened log is consistent in itself... */
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 3);
	/* ...but no longer extends what a report saw. */
	ck_assert_int_eq(verify(cp, &r, &err), FG_EINTEGRITY);
	ck_assert_int_eq(r.bad_seq, 4);
	ck_assert_ptr_nonnull(strstr(err.message, "fewer than the "
				     "checkpoint's 5"));
	free(cp);
}
END_TEST

/* Rebuilds every audit entry from the rows, with hashes that chain:
 * what an attacker who knows src/audit.c can do. */
static void rechain(void)
{
	fg_store *s;
	fg_error err;
	sqlite3 *h;
	sqlite3_stmt *up;
	unsigned char prev[32] = {0}, hash[32];
	char *text, hex[65], prev_hex[65];
	int64_t seq, last = sql_int("SELECT max(seq) FROM audit");

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_exec(h, "DROP TRIGGER IF EXISTS audit_no_update", NULL, NULL,
		     NULL);
	s = open_store(FG_STORE_READONLY);
	sqlite3_prepare_v2(h, "UPDATE audit SET prev_hash = ?, hash = ?, "
			   "entry = ?4 WHERE seq = ?3", -1, &up, NULL);
	for (seq = 1; seq <= last; seq++) {
		ck_assert_int_eq(fg_audit_entry_text(s, seq, seq,
						     FG_AUDIT_FORMAT, &text,
						     &err), 0);
		fg_sha256_pair(prev, 32, text, strlen(text), hash);
		fg_hex(prev, 32, prev_hex);
		fg_hex(hash, 32, hex);
		sqlite3_bind_text(up, 1, prev_hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, seq);
		sqlite3_bind_text(up, 4, text, -1, SQLITE_TRANSIENT);
		free(text);
		ck_assert_int_eq(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
		memcpy(prev, hash, 32);
	}
	sqlite3_finalize(up);
	sqlite3_close(h);
	fg_store_free(s);
}

/* The attacker who knows src/audit.c: changes a finding in the rows and
 * in the stored document, then re-hashes the document and every entry
 * from there on. */
static void rehash_forgery(void)
{
	sql("DROP TRIGGER findings_no_update;"
	    "UPDATE findings SET outcome = 'clear', gate_fails = 0 WHERE "
	    "evaluation_id = 3 AND rule = 'eu.gpai.systemic-risk'");
	edit_documents(3, "\"triggered\"", "\"clear\"", 0);
	edit_documents(3, "\"gate_fails\":true", "\"gate_fails\":false",
		       1);
	rechain();
	restore_triggers();
}

START_TEST(test_rehashed_forgery_fails_against_checkpoint)
{
	fg_verify_report r;
	fg_error err;
	char *cp;

	fill_five();
	cp = checkpoint_now();
	rehash_forgery();
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "evaluation_id = 3 AND outcome = 'clear'"), 1);
	/* Without a checkpoint the forgery holds together... */
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 5);
	/* ...against the head a report printed, it does not. */
	ck_assert_int_eq(verify(cp, &r, &err), FG_EINTEGRITY);
	ck_assert_int_eq(r.bad_seq, 5);
	ck_assert_ptr_nonnull(strstr(err.message, "rewritten"));
	free(cp);
}
END_TEST

START_TEST(test_checkpoint_parse_refuses_malformed)
{
	fg_checkpoint cp;
	fg_error err;
	const char *good = "flopgate audit log\n12\n"
			   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
			   "extension line\n\n— signature\n";

	ck_assert_int_eq(fg_checkpoint_parse(&cp, good, &err), 0);
	ck_assert_int_eq(cp.size, 12);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "flopgate audit log\n12\n",
					     &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "flopgate audit log\n-1\n"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &err),
		FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "flopgate audit log\n1\n"
		"AAAA\n", &err), FG_EINPUT);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "", &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 1);
}
END_TEST


START_TEST(test_checkpoint_count_beyond_int64_is_refused)
{
	fg_checkpoint cp;
	fg_error err;

	/* 19 digits, above INT64_MAX: strtoll would clamp it silently. */
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "flopgate audit log\n"
		"9999999999999999999\n"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &err),
		FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.message, "out of range"));
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "flopgate audit log\n"
		"9223372036854775807\n"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &err), 0);
	ck_assert(cp.size == INT64_MAX);
}
END_TEST

/* Overwrites page `page` (1-based) of the database file with garbage. */
static void smash_page(int64_t page)
{
	int64_t size = sql_int("PRAGMA page_size");
	char junk[65536];
	int fd = open(db, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_le(size, (int64_t)sizeof(junk));
	memset(junk, 0xA5, sizeof(junk));
	ck_assert_int_eq(pwrite(fd, junk, (size_t)size, (page - 1) * size),
			 size);
	close(fd);
}

START_TEST(test_log_fails_when_runs_cannot_be_read)
{
	fg_store *s;
	json_t *entries = NULL;
	fg_error err;

	fill_five();
	sql("PRAGMA journal_mode = DELETE");
	/* The runs table (whose documents the outcomes are counted in) and
	 * its primary-key index unreadable, the audit and evaluations
	 * tables intact: the outer loop of the log goes on, the inner ones
	 * fail. */
	smash_page(sql_int("SELECT rootpage FROM sqlite_schema WHERE "
			   "name = 'runs'"));
	smash_page(sql_int("SELECT rootpage FROM sqlite_schema WHERE "
			   "name = 'sqlite_autoindex_runs_1'"));
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_log(s, NULL, &entries, &err), FG_ESTORE);
	ck_assert_ptr_null(entries);
	ck_assert_ptr_nonnull(strstr(err.message, "audit log"));
	fg_store_free(s);
}
END_TEST

/* A jansson allocator that fails from the nth call on. */
static long alloc_budget = -1;
static void *failing_malloc(size_t n)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(n);
}

START_TEST(test_out_of_memory_while_recording_leaves_nothing)
{
	const char *id = "oom-run";
	fg_store_text rs = {"eu-ai-act", NULL, "rules/eu-ai-act.yaml",
			    RULESET_TEXT, strlen(RULESET_TEXT)};
	fg_store_text in;
	char *text = input_text(id), rsha[65];
	fg_store *s;
	json_t *doc;
	fg_error err;
	long budget;
	int64_t before, eval;
	int rc = -1;

	fill_five();
	fg_sha256_hex(RULESET_TEXT, strlen(RULESET_TEXT), rsha);
	in = (fg_store_text){id, NULL, "runs.yaml", text, strlen(text)};
	s = open_store(0);
	/* Every allocation that can fail, failed in turn: whatever fails,
	 * either the evaluation is recorded and the call says so, or
	 * nothing of it remains. */
	for (budget = 0; rc != 0 && budget < 100000; budget++) {
		doc = json_pack("{s:s, s:s, s:n, s:s, s:[{s:s, s:s}], s:[o],"
				" s:{s:s, s:b, s:i}}", "flopgate", "0.1.0",
				"as_of", "2026-03-01", "evaluation_id", "actor",
				"ci", "rulesets", "id", "eu-ai-act", "sha256",
				rsha, "runs", make_run(id, "near", "2026-03-01",
						       1),
				"gate", "fail_on", "triggered", "passed", 1,
				"failures", 0);
		before = sql_int("SELECT count(*) FROM evaluations");
		alloc_budget = budget;
		json_set_alloc_funcs(failing_malloc, free);
		rc = fg_store_record(s, doc, &rs, 1, &in, 1, &eval, &err);
		json_set_alloc_funcs(malloc, free);
		alloc_budget = -1;
		if (rc) {
			/* FG_ENOMEM, or an integrity error when jansson
			 * reports a failed allocation while parsing the
			 * head entry's document as a syntax error */
			ck_assert_msg(rc == FG_ENOMEM || rc == FG_EINTEGRITY,
				      "budget %ld: %s", budget, err.message);
			ck_assert_int_eq(sql_int("SELECT count(*) FROM "
						 "evaluations"), before);
			ck_assert(json_is_null(json_object_get(
				doc, "evaluation_id")));
		} else {
			ck_assert_int_eq(sql_int("SELECT count(*) FROM "
						 "evaluations"), before + 1);
		}
		json_decref(doc);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_gt(budget, 1);
	fg_store_free(s);
	free(text);
}
END_TEST

/* Every jansson allocation in the readers failed in turn: each call either
 * succeeds or fails with a message, never crashes, leaks (ASan) or
 * returns half a result. */
START_TEST(test_out_of_memory_in_readers_is_an_error)
{
	fg_store *s;
	fg_verify_report r;
	fg_error err;
	json_t **docs, *entries;
	size_t count;
	char *cp;
	long budget;
	int which, rc;

	fill_five();
	s = open_store(FG_STORE_READONLY);
	for (which = 0; which < 4; which++) {
		rc = -1;
		for (budget = 0; rc != 0 && budget < 100000; budget++) {
			docs = NULL;
			entries = NULL;
			cp = NULL;
			fg_error_clear(&err);
			alloc_budget = budget;
			json_set_alloc_funcs(failing_malloc, free);
			rc = which == 0
				? fg_store_latest_documents(s, NULL, &docs,
							    &count, &err)
				: which == 1 ? fg_store_log(s, NULL, &entries,
							    &err)
				: which == 2 ? fg_store_verify(s, NULL, &r, &err)
				: fg_audit_verify_one(s, 3, 0, NULL, &err);
			json_set_alloc_funcs(malloc, free);
			alloc_budget = -1;
			if (rc) {
				ck_assert_msg(err.message[0], "which %d budget "
					      "%ld: no message", which, budget);
				ck_assert_ptr_null(docs);
				ck_assert_ptr_null(entries);
			}
			fg_store_documents_free(docs, count);
			json_decref(entries);
			free(cp);
		}
		ck_assert_int_eq(rc, 0);
	}
	fg_store_free(s);
}
END_TEST

/* ---- faults ------------------------------------------------------------ */

START_TEST(test_killed_mid_transaction_leaves_nothing)
{
	char flag[320];
	struct stat st;
	fg_verify_report r;
	fg_error err;
	fg_store *s;
	pid_t pid;
	int status;

	fill_five();
	snprintf(flag, sizeof(flag), "%s/paused", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("FLOPGATE_TEST_PAUSE_IN_TRANSACTION", flag, 1);
		s = open_store(FG_STORE_CREATE);
		record_one(s, "doomed", "triggered", "2026-04-01");
		_exit(0);
	}
	/* Wait until the child sits inside its transaction (or died). */
	while (stat(flag, &st) != 0) {
		ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));

	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 5);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs WHERE run_id = "
				 "'doomed'"), 0);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM evaluations"), 5);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(record_one(s, "after", "near", "2026-04-02"), 6);
	fg_store_free(s);
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 6);
}
END_TEST

static void file_sha(const char *path, char out[65])
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	if (f)
		fclose(f);
	fg_sha256_hex(buf, n, out);
}

/* Runs fn in a child that, when we are root, drops to an unprivileged
 * user (permissions mean nothing to root).  Returns fn's status. */
static int unprivileged(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (geteuid() == 0 && (setgid(NOBODY) || setuid(NOBODY)))
			_exit(99);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

/* 0 when opening for recording is refused with FG_ESTORE and a message
 * containing what. */
static const char *expect_what;
static int refused_for_recording(void)
{
	fg_store *s = NULL;
	fg_error err;
	int rc = fg_store_open(&s, db, FG_STORE_CREATE, &err);

	fg_store_free(s);
	if (rc != FG_ESTORE)
		return 1;
	if (!strstr(err.message, expect_what) || strcmp(err.file, db))
		return 2;
	return 0;
}

START_TEST(test_read_only_file_is_refused)
{
	char before[65], after[65], wal[320];

	fill_five();
	file_sha(db, before);
	if (geteuid() == 0) {
		/* The directory is the user's, the file is not. */
		ck_assert_int_eq(chown(dir, NOBODY, NOBODY), 0);
		chmod(db, 0644);
	} else {
		chmod(db, 0444);
	}
	expect_what = "not writable";
	ck_assert_int_eq(unprivileged(refused_for_recording), 0);
	file_sha(db, after);
	ck_assert_str_eq(before, after);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	ck_assert_int_ne(access(wal, F_OK), 0);
}
END_TEST

START_TEST(test_unwritable_directory_is_refused)
{
	char before[65], after[65], wal[320];

	/* A new database where none can be created. */
	chmod(dir, 0555);
	expect_what = "not writable";
	ck_assert_int_eq(unprivileged(refused_for_recording), 0);
	ck_assert_int_ne(access(db, F_OK), 0);
	chmod(dir, 0755);
	/* An existing database whose directory cannot hold its WAL. */
	fill_five();
	file_sha(db, before);
	if (geteuid() == 0)
		ck_assert_int_eq(chown(db, NOBODY, NOBODY), 0);
	chmod(dir, 0555);
	ck_assert_int_eq(unprivileged(refused_for_recording), 0);
	chmod(dir, 0755);
	file_sha(db, after);
	ck_assert_str_eq(before, after);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	ck_assert_int_ne(access(wal, F_OK), 0);
}
END_TEST

START_TEST(test_random_bytes_are_refused)
{
	unsigned char junk[8192];
	uint32_t x = 2463534242u;
	char before[65], after[65];
	fg_store *s = NULL;
	fg_error err;
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	f = fopen(db, "wb");
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	file_sha(db, before);
	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_CREATE, &err),
			 FG_ESTORE);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(err.message, "not a flopgate database") ||
		      strstr(err.message, "not a database"), "%s",
		      err.message);
	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_READONLY, &err),
			 FG_ESTORE);
	file_sha(db, after);
	ck_assert_str_eq(before, after);
}
END_TEST

START_TEST(test_newer_schema_is_refused)
{
	fg_store *s = NULL;
	fg_error err;

	char newer[64];

	fill_five();
	snprintf(newer, sizeof(newer), "PRAGMA user_version = %d",
		 FG_STORE_SCHEMA_VERSION + 1);
	sql(newer);
	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_CREATE, &err),
			 FG_ESTORE);
	ck_assert_ptr_nonnull(strstr(err.message, "newer"));
	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_READONLY, &err),
			 FG_ESTORE);
	ck_assert_int_eq(sql_int("PRAGMA user_version"),
			 FG_STORE_SCHEMA_VERSION + 1);
}
END_TEST

/* A new database has 16 KiB pages in WAL mode (store_open.c says why);
 * one created with another page size keeps it, and records and verifies
 * as before. */
START_TEST(test_new_database_has_large_pages_old_ones_keep_theirs)
{
	fg_verify_report r;
	fg_error err;

	fill_five();
	ck_assert_int_eq(sql_int("PRAGMA page_size"), 8192);
	ck_assert_int_eq(sql_int("SELECT journal_mode = 'wal' FROM "
				 "pragma_journal_mode"), 1);
	unlink(db);
	sql("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL");
	fill_five();
	ck_assert_int_eq(sql_int("PRAGMA page_size"), 4096);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), 5);
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
}
END_TEST

START_TEST(test_foreign_database_is_refused)
{
	fg_store *s = NULL;
	fg_error err;

	sql("CREATE TABLE notes (body TEXT)");
	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_CREATE, &err),
			 FG_ESTORE);
	ck_assert_ptr_nonnull(strstr(err.message, "not a flopgate"));
	ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_schema"), 1);
}
END_TEST

START_TEST(test_missing_database_is_not_created_for_reading)
{
	fg_store *s = NULL;
	fg_error err;

	ck_assert_int_eq(fg_store_open(&s, db, FG_STORE_READONLY, &err),
			 FG_ESTORE);
	ck_assert_ptr_nonnull(strstr(err.message, "no such database"));
	ck_assert_int_ne(access(db, F_OK), 0);
	ck_assert_int_eq(fg_store_open(&s, db, 0, &err), FG_ESTORE);
	ck_assert_int_ne(access(db, F_OK), 0);
}
END_TEST

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = calloc(1, 1 << 20);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, (1 << 20) - 1, f);
	text[n] = 0;
	fclose(f);
	return text;
}

START_TEST(test_version_1_database_migrates_and_verifies)
{
	fg_verify_report r;
	fg_store *s;
	fg_error err;
	fg_date d;
	char *schema = slurp("tests/fixtures/db/schema-v1.sql");
	char *rows = slurp("tests/fixtures/db/populated-v1.sql");

	sql(schema);
	sql(rows);
	free(schema);
	free(rows);
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 1);
	/* Read as it is, without migrating. */
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_schema_version(s), 1);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 3);
	ck_assert_int_eq(fg_store_first_known(s, "gpt-4", "eu.gpai.systemic-"
					      "risk", &d, NULL), 0);
	fg_store_free(s);
	/* Opened for recording, it migrates, keeps verifying, and grows. */
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(record_one(s, "after-migration", "triggered",
				    "2026-05-01"), 4);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 4);
	ck_assert_int_eq(fg_store_first_triggered(s, "gpt-4",
			 "eu.gpai.systemic-risk", &d, NULL), 1);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("PRAGMA user_version"),
			 FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE format = "
				 "1"), 3);
	/* The v1 entries stay format 1: tampering with them is still seen. */
	sql("DROP TRIGGER findings_no_update; UPDATE findings SET value = 1 "
	    "WHERE evaluation_id = 2");
	assert_bad_seq(2, "value");
}
END_TEST


/* The previous schema (version 2, tests/fixtures/db/sample-v2.sql, written
 * by bench/bench) migrates to the current one, keeps verifying, and gets
 * the INSERT guards. */
START_TEST(test_version_2_database_migrates_and_verifies)
{
	char *rows = slurp("tests/fixtures/db/sample-v2.sql");
	fg_verify_report r;
	fg_error err;
	fg_store *s;
	sqlite3 *h;

	sql(rows);
	free(rows);
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 2);
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 3);
	fg_store_free(s);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(record_one(s, "after-v2", "triggered", "2026-05-01"),
			 4);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 4);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("PRAGMA user_version"),
			 FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE format = 2"),
			 3);
	ck_assert_int_eq(sql_int("SELECT format FROM audit WHERE seq = 4"),
			 FG_AUDIT_FORMAT);
	/* the guards are there now */
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(h, "INSERT INTO findings (evaluation_id, "
		"run_position, position, run_id, rule, outcome, gate_fails) "
		"VALUES (2, 1, 99, 'x', 'y', 'clear', 0)", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(h);
}
END_TEST

/* The previous schema (version 3, tests/fixtures/db/sample-v3.sql, written
 * by tests/fixtures/db/make-sample.sh): read as it is, then migrated by the
 * next recording; its format-3 entries keep verifying as written, and a
 * change to one of them is still caught. */
START_TEST(test_version_3_database_migrates_and_verifies)
{
	char *rows = slurp("tests/fixtures/db/sample-v3.sql");
	fg_verify_report r;
	fg_error err;
	fg_store *s;
	fg_date d;

	sql(rows);
	free(rows);
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 3);
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_schema_version(s), 3);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 3);
	/* deadlines read a version-3 entry, verified whole */
	ck_assert_int_eq(fg_store_first_triggered(s, "big-eu",
			 "eu.gpai.systemic-risk", &d, &err), 1);
	fg_store_free(s);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(record_one(s, "after-v3", "triggered", "2026-05-01"),
			 4);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 4);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE format = 3"),
			 3);
	ck_assert_int_eq(sql_int("SELECT format FROM audit WHERE seq = 4"),
			 FG_AUDIT_FORMAT);
	/* The old rows keep their texts; the new one holds a frame and ''. */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs WHERE "
				 "evaluation_id < 4"), 7);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs WHERE "
				 "document_lz4 IS NULL AND document <> '' "
				 "AND evaluation_id < 4"), 7);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM runs WHERE "
				 "evaluation_id = 4 AND document = '' AND "
				 "hex(substr(document_lz4, 1, 4)) = "
				 "'04224D18'"), 1);
	/* A frame beside an old entry's text, or a text beside a new
	 * entry's frame, is no part of what either entry holds. */
	sql("DROP TRIGGER runs_no_update; UPDATE runs SET document_lz4 = "
	    "x'04224d18' WHERE evaluation_id = 1");
	assert_bad_seq(1, "holds a document frame");
	sql("UPDATE runs SET document_lz4 = NULL WHERE evaluation_id = 1;"
	    "UPDATE runs SET document = '{}' WHERE evaluation_id = 4");
	assert_bad_seq(4, "holds a document text beside its frame");
	sql("UPDATE runs SET document = '' WHERE evaluation_id = 4");
	restore_triggers();
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	sql("DROP TRIGGER findings_no_update; UPDATE findings SET value = 1 "
	    "WHERE evaluation_id = 2");
	assert_bad_seq(2, "value");
}
END_TEST

/* Issue 11, item 1: a findings row of an evaluation that does not exist,
 * inserted behind the recorder's back (the triggers dropped, as someone
 * who has the file can), must not move a deadline, and verify names it. */
START_TEST(test_orphan_finding_moves_no_deadline_and_is_named)
{
	fg_store *s;
	fg_verify_report r;
	fg_error err;
	fg_date d = 0, expect;

	s = open_store(FG_STORE_CREATE);
	record_one(s, "run-a", "triggered", "2026-03-05");
	fg_store_free(s);
	/* The guard refuses the plain INSERT... */
	{
		sqlite3 *h;
		char *msg = NULL;

		ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
		ck_assert_int_ne(sqlite3_exec(h,
			"INSERT INTO findings (evaluation_id, run_position, "
			"position, run_id, rule, outcome, gate_fails, "
			"known_since) VALUES (999, 1, 1, 'run-a', "
			"'eu.gpai.systemic-risk', 'triggered', 1, "
			"'2025-04-01')", NULL, NULL, &msg), SQLITE_OK);
		ck_assert_ptr_nonnull(strstr(msg, "rows are added only by "
					     "flopgate check"));
		sqlite3_free(msg);
		sqlite3_close(h);
	}
	/* ...so the attacker drops it. */
	sql("DROP TRIGGER findings_no_insert;"
	    "INSERT INTO findings (evaluation_id, run_position, position, "
	    "run_id, rule, outcome, gate_fails, known_since) VALUES (999, 1, "
	    "1, 'run-a', 'eu.gpai.systemic-risk', 'triggered', 1, "
	    "'2025-04-01')");
	restore_triggers();
	s = open_store(0);
	fg_date_parse(&expect, "2026-03-05");
	ck_assert_int_eq(fg_store_first_known(s, "run-a",
					      "eu.gpai.systemic-risk", &d,
					      &err), 1);
	ck_assert_int_eq(d, expect);
	ck_assert_int_eq(fg_store_first_triggered(s, "run-a",
						  "eu.gpai.systemic-risk", &d,
						  &err), 1);
	ck_assert_int_eq(d, expect);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), FG_EINTEGRITY);
	ck_assert_int_eq(r.bad_evaluation_id, 999);
	ck_assert_msg(strstr(err.message, "table findings, row (evaluation_id "
			     "999, run_position 1, position 1, run run-a, rule "
			     "eu.gpai.systemic-risk): no audit entry covers "
			     "it"), "%s", err.message);
	fg_store_free(s);
}
END_TEST

/* A row slipped into a recorded evaluation is covered by an entry that no
 * longer verifies: a deadline read from it is refused, not used. */
START_TEST(test_finding_added_to_a_recorded_evaluation_is_refused)
{
	fg_store *s;
	fg_error err;
	fg_date d = 0;

	s = open_store(FG_STORE_CREATE);
	record_one(s, "run-a", "triggered", "2026-03-05");
	record_one(s, "run-b", "triggered", "2026-03-06");
	fg_store_free(s);
	sql("DROP TRIGGER findings_no_insert;"
	    "INSERT INTO findings (evaluation_id, run_position, position, "
	    "run_id, rule, outcome, gate_fails, known_since) VALUES (1, 1, "
	    "3, 'run-a', 'eu.gpai.systemic-risk', 'triggered', 1, "
	    "'2025-04-01')");
	restore_triggers();
	s = open_store(0);
	ck_assert_int_eq(fg_store_first_known(s, "run-a",
					      "eu.gpai.systemic-risk", &d,
					      &err), FG_EINTEGRITY);
	ck_assert_msg(strstr(err.message, "audit entry 1 (evaluation 1"),
		      "%s", err.message);
	/* run-b's entry is intact and still answers */
	ck_assert_int_eq(fg_store_first_known(s, "run-b",
					      "eu.gpai.systemic-risk", &d,
					      &err), 1);
	fg_store_free(s);
}
END_TEST

/* Every kind of row that no entry covers is named with its table. */
START_TEST(test_orphan_rows_of_every_table_are_named)
{
	static const struct {
		const char *sql, *needle;
	} cases[] = {
		{"INSERT INTO evaluations (id, as_of, tool_version, recorded_at,"
		 " fail_on, gate_passed, gate_failures) VALUES (50, "
		 "'2026-01-01', 'x', 'x', 'triggered', 1, 0)",
		 "table evaluations, row (id 50)"},
		{"INSERT INTO runs VALUES (50, 1, 'ghost', (SELECT sha256 FROM "
		 "input_texts LIMIT 1), 'f', '', 'x', x'04224d18')",
		 "table runs, row (evaluation_id 50, position 1, run ghost)"},
		{"INSERT INTO evaluation_rulesets (evaluation_id, position, "
		 "ruleset_id, sha256) VALUES (50, 1, 'rs', (SELECT sha256 FROM "
		 "ruleset_texts LIMIT 1))",
		 "table evaluation_rulesets, row (evaluation_id 50, position 1"},
		{"INSERT INTO waivers (evaluation_id, run_position, "
		 "finding_position, run_id, rule) VALUES (50, 1, 1, 'g', 'r')",
		 "table waivers, row (evaluation_id 50, run_position 1, "
		 "finding_position 1, run g, rule r)"},
		{"INSERT INTO findings (evaluation_id, run_position, position,"
		 " run_id, rule, outcome, gate_fails) VALUES (50, 1, 2, 'g', "
		 "'r', 'clear', 0)",
		 "table findings, row (evaluation_id 50, run_position 1, "
		 "position 2, run g, rule r)"},
		{"INSERT INTO input_texts VALUES (printf('%064d', 7), 'x')",
		 "table input_texts, row (sha256 0000"},
		{"INSERT INTO ruleset_texts VALUES (printf('%064d', 7), 'x')",
		 "table ruleset_texts, row (sha256 0000"},
		{"CREATE TABLE notes (x)", "a table `notes` that flopgate did "
		 "not create"},
		{"DROP TRIGGER runs_no_update",
		 "the trigger `runs_no_update` that keeps table runs "
		 "append-only is missing"},
	};
	fg_verify_report r;
	fg_error err;
	size_t i;

	fill_five();
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		/* the INSERT guards dropped for the row, then put back */
		if (strncmp(cases[i].sql, "DROP", 4))
			sql("DROP TRIGGER evaluations_no_insert;"
			    "DROP TRIGGER runs_no_insert;"
			    "DROP TRIGGER evaluation_rulesets_no_insert;"
			    "DROP TRIGGER waivers_no_insert;"
			    "DROP TRIGGER findings_no_insert;"
			    "DROP TRIGGER input_texts_no_insert;"
			    "DROP TRIGGER ruleset_texts_no_insert;");
		sql(cases[i].sql);
		if (strncmp(cases[i].sql, "DROP", 4))
			restore_triggers();
		ck_assert_int_eq(verify(NULL, &r, &err), FG_EINTEGRITY);
		ck_assert_msg(strstr(err.message, cases[i].needle),
			      "case %zu: `%s` lacks `%s`", i, err.message,
			      cases[i].needle);
		/* undo, for the next case */
		sql("DROP TRIGGER IF EXISTS evaluations_no_delete;"
		    "DROP TRIGGER IF EXISTS runs_no_delete;"
		    "DROP TRIGGER IF EXISTS evaluation_rulesets_no_delete;"
		    "DROP TRIGGER IF EXISTS waivers_no_delete;"
		    "DROP TRIGGER IF EXISTS findings_no_delete;"
		    "DROP TRIGGER IF EXISTS input_texts_no_delete;"
		    "DROP TRIGGER IF EXISTS ruleset_texts_no_delete;"
		    "DELETE FROM evaluations WHERE id = 50;"
		    "DELETE FROM runs WHERE evaluation_id = 50;"
		    "DELETE FROM evaluation_rulesets WHERE evaluation_id = 50;"
		    "DELETE FROM waivers WHERE evaluation_id = 50;"
		    "DELETE FROM findings WHERE evaluation_id = 50;"
		    "DELETE FROM input_texts WHERE sha256 = printf('%064d', 7);"
		    "DELETE FROM ruleset_texts WHERE sha256 = printf('%064d', 7);"
		    "DROP TABLE IF EXISTS notes;");
		restore_triggers();
		ck_assert_int_eq(verify(NULL, &r, &err), 0);
	}
}
END_TEST

/* An input text no run names, added behind the recorder's back, is named
 * by verify; with undo, it is taken away again. */
static void assert_orphan_input_named(int undo)
{
	fg_verify_report r;
	fg_error err;

	sql("DROP TRIGGER input_texts_no_insert; INSERT INTO input_texts "
	    "VALUES (printf('%064d', 7), 'x')");
	restore_triggers();
	ck_assert_int_eq(verify(NULL, &r, &err), FG_EINTEGRITY);
	ck_assert_ptr_nonnull(strstr(err.message, "table input_texts, row "
				     "(sha256 0000"));
	if (!undo)
		return;
	sql("DROP TRIGGER input_texts_no_delete; DELETE FROM input_texts "
	    "WHERE sha256 = printf('%064d', 7)");
	restore_triggers();
}

/* The file as schema version 7 left it: every document kept as its text
 * (version 8 keeps frames), the chain over those texts. */
static void as_version_7(void)
{
	edit_documents(0, NULL, NULL, 1);
	rechain();
	sql("ALTER TABLE runs DROP COLUMN document_lz4;"
	    "PRAGMA user_version = 7");
	restore_triggers();
}

/* ... and as version 5 left it: every finding in the deadline index, not
 * only the triggered ones (version 6). */
static void as_version_5(void)
{
	if (sql_int("SELECT count(*) FROM pragma_table_info('runs') WHERE "
		    "name = 'document_lz4'"))
		as_version_7();
	sql("DROP INDEX IF EXISTS findings_triggered;"
	    "CREATE INDEX IF NOT EXISTS findings_by_run_rule ON "
	    "findings(run_id, rule, "
	    "outcome, evaluation_id);"
	    "PRAGMA user_version = 5");
}

/* ... and as version 4 left it, without runs_by_input. */
static void as_version_4(void)
{
	as_version_5();
	sql("DROP INDEX IF EXISTS runs_by_input; PRAGMA user_version = 4");
}

/* A version-5 database is read as it is, deadlines through its index of
 * every finding; opened to record, it gets the index of triggered
 * findings alone (version 6), the old one goes, and the look-ups answer
 * as before and verify still passes. */
START_TEST(test_version_5_migrates_to_the_triggered_index)
{
	fg_verify_report r;
	fg_error err;
	fg_store *s = open_store(FG_STORE_CREATE);
	fg_date d = 0, expect;

	record_one(s, "run-a", "near", "2026-03-01");
	record_one(s, "run-a", "triggered", "2026-03-05");
	record_one(s, "run-a", "triggered", "2026-03-10");
	fg_store_free(s);
	as_version_5();
	fg_date_parse(&expect, "2026-03-05");
	s = open_store(FG_STORE_READONLY);
	ck_assert_int_eq(fg_store_schema_version(s), 5);
	ck_assert_int_eq(fg_store_first_triggered(s, "run-a",
			 "eu.gpai.systemic-risk", &d, &err), 1);
	ck_assert_int_eq(d, expect);
	fg_store_free(s);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	d = 0;
	ck_assert_int_eq(fg_store_first_triggered(s, "run-a",
			 "eu.gpai.systemic-risk", &d, &err), 1);
	ck_assert_int_eq(d, expect);
	ck_assert_int_eq(record_one(s, "run-a", "triggered", "2026-03-20"), 4);
	ck_assert_int_eq(fg_store_verify(s, NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 4);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_schema WHERE "
				 "name = 'findings_by_run_rule'"), 0);
	/* the new index holds the triggered findings and no other */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings INDEXED BY "
				 "findings_triggered WHERE run_id = 'run-a' "
				 "AND rule = 'eu.gpai.systemic-risk' AND "
				 "outcome = 'triggered'"), 3);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM findings WHERE "
				 "outcome = 'triggered'"), 3);
}
END_TEST

/* A database of schema version 4 has no runs_by_input: read as it is,
 * it is verified without it (an input text no run names is still
 * named); opened to record, it gains the index (version 5) and still
 * verifies, and the orphan is named through the index. */
START_TEST(test_version_4_verifies_then_migrates_to_the_input_index)
{
	fg_verify_report r;
	fg_error err;
	fg_store *s;

	fill_five();
	as_version_4();
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 5);
	assert_orphan_input_named(1);
	s = open_store(FG_STORE_CREATE);
	ck_assert_int_eq(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
	fg_store_free(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_schema WHERE "
				 "name = 'runs_by_input'"), 1);
	ck_assert_int_eq(sql_int("PRAGMA user_version"),
			 FG_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, 5);
	assert_orphan_input_named(0);
}
END_TEST

/* Input texts removed from two runs: the first in the log's order is
 * named, whether every text is looked for at once (schema version 5) or
 * run by run (a version-4 database, without runs_by_input). */
START_TEST(test_missing_input_text_names_the_first_run_in_log_order)
{
	int pass;

	fill_five();
	sql("DROP TRIGGER input_texts_no_delete;"
	    "DELETE FROM input_texts WHERE text LIKE '%id: r5%' OR "
	    "text LIKE '%id: r3%'");
	restore_triggers();
	for (pass = 0; pass < 2; pass++) {
		assert_bad_seq(3, "the input text of run r3");
		assert_bad_seq(3, "is missing");
		as_version_4();
	}
}
END_TEST

/* A run's input_file is part of the entry (format 3). */
START_TEST(test_edited_input_file_is_caught)
{
	fill_five();
	sql("DROP TRIGGER runs_no_update; UPDATE runs SET input_file = "
	    "'elsewhere.yaml' WHERE evaluation_id = 2");
	restore_triggers();
	assert_bad_seq(2, "no longer hash");
}
END_TEST

/* Positions are not hashed, but a row moved is caught. */
START_TEST(test_moved_finding_position_is_caught)
{
	fill_five();
	sql("DROP TRIGGER findings_no_update; UPDATE findings SET position = 7 "
	    "WHERE evaluation_id = 3 AND position = 1");
	restore_triggers();
	/* format 4 hashes positions */
	assert_bad_seq(3, "no longer hash");
}
END_TEST

/* ---- concurrency ------------------------------------------------------- */

#define WRITERS 8
#define RECORDS 50

START_TEST(test_concurrent_recorders_keep_a_linear_chain)
{
	fg_verify_report r;
	fg_error err;
	fg_store *s;
	pid_t pids[WRITERS];
	char id[32];
	int i, j, status;

	/* The writers race to create the file, too. */
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			srand((unsigned)getpid());
			s = open_store(FG_STORE_CREATE);
			for (j = 0; j < RECORDS; j++) {
				snprintf(id, sizeof(id), "w%d-%d", i, j);
				record_one(s, id, "near", "2026-03-01");
			}
			fg_store_free(s);
			_exit(0);
		}
	}
	for (i = 0; i < WRITERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "writer %d failed", i);
	}
	ck_assert_int_eq(verify(NULL, &r, &err), 0);
	ck_assert_int_eq(r.entries, WRITERS * RECORDS);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM evaluations"),
			 WRITERS * RECORDS);
	ck_assert_int_eq(sql_int("SELECT count(DISTINCT seq) FROM audit WHERE "
				 "seq BETWEEN 1 AND 400"), WRITERS * RECORDS);
	ck_assert_int_eq(sql_int("SELECT count(DISTINCT run_id) FROM runs"),
			 WRITERS * RECORDS);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 0);
	tcase_add_test(tc, test_round_trip_keeps_every_field);
	tcase_add_test(tc, test_latest_document_is_the_newest_evaluation);
	tcase_add_test(tc, test_waivers_used_are_recorded);
	tcase_add_test(tc, test_first_triggered_remembers_the_first_day);
	tcase_add_test(tc, test_kept_statements_are_reused_once_given_back);
	tcase_add_test(tc, test_bad_document_records_nothing);
	tcase_add_test(tc, test_triggers_refuse_update_and_delete);
	tcase_add_test(tc, test_long_recording_puts_its_triggers_back);
	tcase_add_loop_test(tc, test_triggers_aside_are_seen_by_no_one_else, 0,
			    2);
	tcase_add_test(tc, test_long_recording_mends_no_missing_trigger);
	tcase_add_test(tc, test_findings_rows_are_kept_for_lookups_and_waivers);
	tcase_add_test(tc, test_version_6_database_migrates_and_verifies);
	tcase_add_test(tc, test_log_counts_the_outcomes_of_findings_only);
	tcase_add_test(tc, test_log_reads_frames_and_texts);
	tcase_add_test(tc, test_verify_reports_entries_and_head);
	tcase_add_test(tc, test_chain_links_each_entry_to_the_previous);
	tcase_add_test(tc, test_changed_finding_outcome_is_caught);
	tcase_add_test(tc, test_changed_finding_and_document_is_caught);
	tcase_add_test(tc, test_rehashed_unparsable_document_is_an_integrity_error);
	tcase_add_test(tc, test_inputs_are_matched_to_runs_in_any_order);
	tcase_add_test(tc, test_deleted_middle_entry_is_caught);
	tcase_add_test(tc, test_swapped_entries_are_caught);
	tcase_add_test(tc, test_edited_input_text_is_caught);
	tcase_add_test(tc, test_edited_ruleset_text_is_caught);
	tcase_add_test(tc, test_evaluation_without_entry_is_caught);
	tcase_add_test(tc, test_truncated_tail_fails_against_checkpoint);
	tcase_add_test(tc, test_rehashed_forgery_fails_against_checkpoint);
	tcase_add_test(tc, test_checkpoint_parse_refuses_malformed);
	tcase_add_test(tc, test_checkpoint_count_beyond_int64_is_refused);
	tcase_add_test(tc, test_log_fails_when_runs_cannot_be_read);
	tcase_add_test(tc, test_out_of_memory_while_recording_leaves_nothing);
	tcase_add_test(tc, test_out_of_memory_in_readers_is_an_error);
	tcase_add_test(tc, test_killed_mid_transaction_leaves_nothing);
	tcase_add_test(tc, test_read_only_file_is_refused);
	tcase_add_test(tc, test_unwritable_directory_is_refused);
	tcase_add_test(tc, test_random_bytes_are_refused);
	tcase_add_test(tc, test_newer_schema_is_refused);
	tcase_add_test(tc, test_foreign_database_is_refused);
	tcase_add_test(tc, test_new_database_has_large_pages_old_ones_keep_theirs);
	tcase_add_test(tc, test_missing_database_is_not_created_for_reading);
	tcase_add_test(tc, test_version_1_database_migrates_and_verifies);
	tcase_add_test(tc, test_version_2_database_migrates_and_verifies);
	tcase_add_test(tc, test_version_3_database_migrates_and_verifies);
	tcase_add_test(tc, test_orphan_finding_moves_no_deadline_and_is_named);
	tcase_add_test(tc, test_finding_added_to_a_recorded_evaluation_is_refused);
	tcase_add_test(tc, test_orphan_rows_of_every_table_are_named);
	tcase_add_test(tc, test_version_4_verifies_then_migrates_to_the_input_index);
	tcase_add_test(tc, test_version_5_migrates_to_the_triggered_index);
	tcase_add_test(tc, test_missing_input_text_names_the_first_run_in_log_order);
	tcase_add_test(tc, test_edited_input_file_is_caught);
	tcase_add_test(tc, test_moved_finding_position_is_caught);
	tcase_add_test(tc, test_concurrent_recorders_keep_a_linear_chain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
