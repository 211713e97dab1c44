/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store: look-ups for decisions, reports and the log
 * (see include/flopgate/store.h).  Every query that feeds a decision or a
 * report reads only rows of evaluations with an audit entry. */
#include "store_int.h"
#include "doc_frame.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/hash.h"
#include "json_read.h"

/* The date in the first row of sql (bound to run_id, rule_id), read only
 * from an evaluation whose audit entry holds: column 0 the date, column 1
 * the evaluation id, column 2 the run's position in it.  A row no
 * verified entry covers never decides a deadline (DESIGN.md § Store and
 * audit trail): what the decision reads is verified first -- the entry's
 * links, hash and evaluation, and the rows of the run's chunk -- and no
 * more, so that the look-up costs the same in a database of any size. */
static int first_date(fg_store *s, const char *sql, const char *run_id,
		      const char *rule_id, fg_date *out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	fg_date d;
	int64_t eval, run_position;
	int rc;

	if ((rc = fg_store_prepare_cached(s, &st, sql, err)) < 0)
		return rc;
	fg_store_bind_str(st, 1, run_id);
	fg_store_bind_str(st, 2, rule_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = 0;
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = fg_store_db_error(s, err, "reading recorded findings");
		goto done;
	}
	eval = sqlite3_column_int64(st, 1);
	run_position = sqlite3_column_int64(st, 2);
	if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
	    fg_date_parse(&d, (const char *)sqlite3_column_text(st, 0))) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "evaluation %" PRId64 " holds a finding of "
				  "run %s, rule %s whose date is not a date: "
				  "run `flopgate audit verify`", eval, run_id,
				  rule_id);
		goto done;
	}
	fg_store_release(s, st);
	st = NULL;
	if ((rc = fg_store_verify_decision(s, eval, run_position, err)) < 0)
		goto done;
	*out = d;
	rc = 1;
done:
	fg_store_release(s, st);
	return rc;
}

int fg_store_first_triggered(fg_store *s, const char *run_id,
			     const char *rule_id, fg_date *out, fg_error *err)
{
	return first_date(s,
		/* CROSS JOIN keeps findings (by findings_triggered, or
		 * findings_by_run_rule before schema version 6) the
		 * outer loop: driven from the small audit table, the plan
		 * would scan every finding of an evaluation per look-up. */
		"SELECT e.as_of, f.evaluation_id, f.run_position FROM findings "
		"f "
		"CROSS JOIN evaluations e ON e.id = f.evaluation_id "
		"WHERE f.run_id = ? AND f.rule = ? AND f.outcome = 'triggered' "
		"AND EXISTS (SELECT 1 FROM audit a WHERE a.evaluation_id = "
		"f.evaluation_id) ORDER BY f.evaluation_id LIMIT 1", run_id,
		rule_id, out, err);
}

int fg_store_first_known(fg_store *s, const char *run_id,
			 const char *rule_id, fg_date *out, fg_error *err)
{
	if (s->version < 2)
		return 0;
	return first_date(s,
		"SELECT f.known_since, f.evaluation_id, f.run_position FROM "
		"findings f "
		"WHERE f.run_id = ? AND f.rule = ? AND f.known_since IS NOT NULL "
		"AND EXISTS (SELECT 1 FROM audit a WHERE a.evaluation_id = "
		"f.evaluation_id) ORDER BY f.known_since, f.evaluation_id "
		"LIMIT 1", run_id, rule_id, out, err);
}

void fg_store_documents_free(json_t **docs, size_t count)
{
	size_t i;

	for (i = 0; docs && i < count; i++)
		json_decref(docs[i]);
	free(docs);
}

static int set_column(json_t *o, const char *key, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_object_set_new(o, key, json_null());
	return json_object_set_new(o, key, json_string((const char *)
					 sqlite3_column_text(st, i)));
}

/* The rules' static facts a ruleset row names (schema version 4): its
 * rule_facts document, checked against its hash on the way. */
static int ruleset_rules(fg_store *s, int64_t eval, sqlite3_stmt *st,
			 json_t *r, fg_error *err)
{
	const char *want = (const char *)sqlite3_column_text(st, 8);
	json_t *facts;
	char sha[65];

	if (!want)
		return 0;
	if (sqlite3_column_type(st, 7) == SQLITE_NULL ||
	    fg_sha256_hex(sqlite3_column_blob(st, 7),
			  (size_t)sqlite3_column_bytes(st, 7), sha) ||
	    strcmp(sha, want))
		return fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				    "the rule facts of ruleset %s in "
				    "evaluation %" PRId64 " are missing or do "
				    "not match their hash: run `flopgate audit "
				    "verify`", (const char *)
				    sqlite3_column_text(st, 0), eval);
	facts = json_loadb(sqlite3_column_blob(st, 7),
			   (size_t)sqlite3_column_bytes(st, 7), 0, NULL);
	if (!facts)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if (json_is_array(json_object_get(facts, "rules")) &&
	    json_object_set(r, "rules", json_object_get(facts, "rules"))) {
		json_decref(facts);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	json_decref(facts);
	return 0;
}

static int document_rulesets(fg_store *s, int64_t eval, json_t *doc,
			     fg_error *err)
{
	static const char *const keys[] = {"id", "sha256", "title",
					   "jurisdiction", "version",
					   "source", "file"};
	sqlite3_stmt *st = NULL;
	json_t *list = json_array(), *r;
	int rc, i, bad = 0;

	if (json_object_set_new(doc, "rulesets", list))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_store_prepare(s, &st, s->version >= 4
		? "SELECT e.ruleset_id, e.sha256, e.title, e.jurisdiction, "
		  "e.version, e.source, e.file, f.document, e.facts_sha256 "
		  "FROM evaluation_rulesets e LEFT JOIN rule_facts f ON "
		  "f.sha256 = e.facts_sha256 WHERE e.evaluation_id = ? "
		  "ORDER BY e.position"
		: "SELECT ruleset_id, sha256, title, jurisdiction, version, "
		  "source, file, NULL, NULL FROM evaluation_rulesets WHERE "
		  "evaluation_id = ? ORDER BY position", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, eval);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = json_object();
		bad |= json_array_append_new(list, r);
		for (i = 0; i < 7 && !bad; i++)
			if (sqlite3_column_type(st, i) != SQLITE_NULL)
				bad |= set_column(r, keys[i], st, i);
		if (!bad && (rc = ruleset_rules(s, eval, st, r, err)) < 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	rc = bad ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory")
	   : rc == SQLITE_DONE ? 0 : fg_store_db_error(s, err, "reading");
	sqlite3_finalize(st);
	return rc;
}

/* ---- the latest document of each run, streamed ------------------------------ */

#define HEADS 16

struct fg_store_docs {
	fg_store *s;
	sqlite3_stmt *scan;      /* (run_id, evaluation_id, rowid) in index
				  * order, verified entries only */
	sqlite3_stmt *row;       /* a runs row by rowid */
	int scan_rc;             /* the last step of scan */
	int found;
	/* the heads of the evaluations documents came from: a stream of
	 * runs from one evaluation builds its head once */
	struct head {
		int64_t eval;
		json_t *doc;     /* flopgate, as_of, evaluation_id, actor,
				  * rulesets, gate, recorded_at, audit */
	} heads[HEADS];
	size_t next_head;
};

/* The head of evaluation eval's documents: everything but its runs. */
static int evaluation_head(fg_store *s, int64_t eval, json_t **out,
			   fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *doc = json_object(), *gate, *audit;
	int rc, bad = 0;

	*out = NULL;
	if (!doc)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_store_prepare(s, &st,
		"SELECT e.tool_version, e.as_of, e.actor, e.fail_on, "
		"e.gate_passed, e.gate_failures, e.recorded_at, a.seq, a.hash "
		"FROM evaluations e LEFT JOIN audit a ON a.evaluation_id = e.id "
		"WHERE e.id = ?", err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, eval);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = fg_store_db_error(s, err, "reading a recorded evaluation");
		goto done;
	}
	bad |= set_column(doc, "flopgate", st, 0);
	bad |= set_column(doc, "as_of", st, 1);
	bad |= json_object_set_new(doc, "evaluation_id", json_integer(eval));
	bad |= set_column(doc, "actor", st, 2);
	if ((rc = document_rulesets(s, eval, doc, err)) < 0)
		goto done;
	bad |= json_object_set_new(doc, "gate", gate = json_object());
	bad |= set_column(gate, "fail_on", st, 3);
	bad |= json_object_set_new(gate, "passed",
				   json_boolean(sqlite3_column_int(st, 4)));
	bad |= json_object_set_new(gate, "failures", json_integer(
					   sqlite3_column_int64(st, 5)));
	bad |= set_column(doc, "recorded_at", st, 6);
	bad |= json_object_set_new(doc, "audit", audit = json_object());
	bad |= json_object_set_new(audit, "seq",
				   json_integer(sqlite3_column_int64(st, 7)));
	bad |= set_column(audit, "hash", st, 8);
	if (bad) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	*out = doc;
	doc = NULL;
	rc = 0;
done:
	sqlite3_finalize(st);
	json_decref(doc);
	return rc;
}

static int head_of(fg_store_docs *it, int64_t eval, json_t **out,
		   fg_error *err)
{
	struct head *h;
	size_t i;
	int rc;

	for (i = 0; i < HEADS; i++)
		if (it->heads[i].doc && it->heads[i].eval == eval) {
			*out = it->heads[i].doc;
			return 0;
		}
	h = &it->heads[it->next_head++ % HEADS];
	json_decref(h->doc);
	h->doc = NULL;
	if ((rc = evaluation_head(it->s, eval, &h->doc, err)) < 0)
		return rc;
	h->eval = eval;
	*out = h->doc;
	return 0;
}

int fg_store_document_text(sqlite3_stmt *st, int col, const char **text,
			   size_t *len, char **owned)
{
	const char *bytes = sqlite3_column_blob(st, col);
	size_t size = (size_t)sqlite3_column_bytes(st, col);
	int rc;

	*owned = NULL;
	if (sqlite3_column_type(st, col) != SQLITE_BLOB) {
		*text = bytes ? bytes : "";
		*len = size;
		return 0;
	}
	if ((rc = fg_frame_unpack(bytes, size, owned, len)) < 0)
		return rc;
	*text = *owned;
	return 0;
}

/* The check document of the run in runs row rowid of evaluation eval:
 * the evaluation's head around that run's recorded RUN object. */
static int run_document(fg_store_docs *it, const char *run_id, int64_t eval,
			sqlite3_int64 rowid, json_t **out, fg_error *err)
{
	fg_store *s = it->s;
	sqlite3_stmt *st = it->row;
	json_t *head, *doc = NULL, *run = NULL, *runs;
	json_error_t jerr;
	const char *key;
	json_t *v;
	const char *text;
	char sha[65], *owned = NULL;
	size_t len;
	int rc, bad = 0;

	*out = NULL;
	if ((rc = head_of(it, eval, &head, err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = fg_store_db_error(s, err, "reading a recorded run");
		goto done;
	}
	if (fg_sha256_hex(sqlite3_column_blob(st, 0),
			  (size_t)sqlite3_column_bytes(st, 0), sha) ||
	    sqlite3_column_type(st, 1) != SQLITE_TEXT ||
	    strcmp(sha, (const char *)sqlite3_column_text(st, 1))) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "the recorded document of run %s in "
				  "evaluation %" PRId64 " does not match its "
				  "hash: run `flopgate audit verify`", run_id,
				  eval);
		goto done;
	}
	if ((rc = fg_store_document_text(st, 0, &text, &len, &owned)) < 0) {
		rc = rc == -2 ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					     "out of memory")
		     : fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				    "the recorded document of run %s in "
				    "evaluation %" PRId64 " is not a whole "
				    "LZ4 frame: run `flopgate audit verify`",
				    run_id, eval);
		goto done;
	}
	run = fg_json_loadb(text, len, &jerr);
	if (!run && (json_error_code(&jerr) == json_error_out_of_memory ||
		     !jerr.text[0])) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	/* The hash matched, so the bytes are those recorded (or were
	 * rewritten together with their hash): a document that is not a run
	 * object is a damaged store, not a lack of memory. */
	if (!json_is_object(run)) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "the recorded document of run %s in "
				  "evaluation %" PRId64 " is not a JSON "
				  "object (%s): run `flopgate audit verify`",
				  run_id, eval,
				  run ? "another JSON value" : jerr.text);
		goto done;
	}
	/* the keys in the order of a `check` document, the runs after
	 * the rulesets; the head's values are shared, not copied */
	if (!(doc = json_object())) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	json_object_foreach(head, key, v) {
		if (!strcmp(key, "gate")) {
			bad |= json_object_set_new(doc, "runs",
						   runs = json_array());
			bad |= json_array_append(runs, run);
		}
		bad |= json_object_set(doc, key, v);
	}
	if (bad) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	*out = doc;
	doc = NULL;
	rc = 0;
done:
	sqlite3_reset(st);
	free(owned);
	json_decref(run);
	json_decref(doc);
	return rc;
}

int fg_store_docs_open(fg_store_docs **out, fg_store *s, const char *run_id,
		       fg_error *err)
{
	fg_store_docs *it = calloc(1, sizeof(*it));
	int rc;

	*out = NULL;
	if (!it)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	it->s = s;
	/* One ordered pass over the run-id index: the newest evaluation of
	 * a run (with an audit entry: a row slipped in without one is
	 * never rendered, verify names it) is the last of its group. */
	if ((rc = fg_store_prepare(s, &it->scan,
		"SELECT r.run_id, r.evaluation_id, r.rowid FROM runs r "
		"INDEXED BY runs_by_run_id WHERE (?1 IS NULL OR r.run_id = ?1) "
		"AND EXISTS (SELECT 1 FROM audit a WHERE a.evaluation_id = "
		"r.evaluation_id) ORDER BY r.run_id, r.evaluation_id", err)) < 0 ||
	    (rc = fg_store_prepare(s, &it->row, s->version >= 8
		? "SELECT " FG_STORE_DOCUMENT_V8 ", document_sha256 FROM runs "
		  "r WHERE rowid = ?"
		: "SELECT document, document_sha256 FROM runs WHERE rowid = ?",
		err)) < 0) {
		fg_store_docs_free(it);
		return rc;
	}
	fg_store_bind_str(it->scan, 1, run_id);
	it->scan_rc = sqlite3_step(it->scan);
	if (it->scan_rc != SQLITE_ROW && it->scan_rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading runs");
		fg_store_docs_free(it);
		return rc;
	}
	if (run_id && it->scan_rc == SQLITE_DONE) {
		rc = fg_error_set(err, FG_ENOTFOUND, s->path, 0, 0,
				  "no recorded run `%s`", run_id);
		fg_store_docs_free(it);
		return rc;
	}
	*out = it;
	return 0;
}

int fg_store_docs_next(fg_store_docs *it, json_t **doc, fg_error *err)
{
	char *id;
	int64_t eval = 0;
	sqlite3_int64 rowid = 0;
	int rc;

	*doc = NULL;
	if (it->scan_rc != SQLITE_ROW)
		return 0;
	if (!(id = strdup((const char *)sqlite3_column_text(it->scan, 0))))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	/* to the last row of this run id's group */
	while (it->scan_rc == SQLITE_ROW &&
	       !strcmp((const char *)sqlite3_column_text(it->scan, 0), id)) {
		eval = sqlite3_column_int64(it->scan, 1);
		rowid = sqlite3_column_int64(it->scan, 2);
		it->scan_rc = sqlite3_step(it->scan);
	}
	if (it->scan_rc != SQLITE_ROW && it->scan_rc != SQLITE_DONE) {
		free(id);
		return fg_store_db_error(it->s, err, "reading runs");
	}
	rc = run_document(it, id, eval, rowid, doc, err);
	free(id);
	return rc < 0 ? rc : 1;
}

void fg_store_docs_free(fg_store_docs *it)
{
	size_t i;

	if (!it)
		return;
	sqlite3_finalize(it->scan);
	sqlite3_finalize(it->row);
	for (i = 0; i < HEADS; i++)
		json_decref(it->heads[i].doc);
	free(it);
}

int fg_store_latest_documents(fg_store *s, const char *run_id,
			      json_t ***docs, size_t *count, fg_error *err)
{
	fg_store_docs *it = NULL;
	json_t **list = NULL, **grown, *doc;
	size_t n = 0, cap = 0;
	int rc;

	*docs = NULL;
	*count = 0;
	if ((rc = fg_store_docs_open(&it, s, run_id, err)) < 0)
		return rc;
	while ((rc = fg_store_docs_next(it, &doc, err)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			if (!(grown = realloc(list, cap * sizeof(*list)))) {
				json_decref(doc);
				rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory");
				break;
			}
			list = grown;
		}
		list[n++] = doc;
	}
	fg_store_docs_free(it);
	if (rc < 0) {
		fg_store_documents_free(list, n);
		return rc;
	}
	*docs = list;
	*count = n;
	return 0;
}

int fg_store_each_run_id(fg_store *s,
			 int (*each)(void *ctx, const char *run_id),
			 void *ctx, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = fg_store_prepare(s, &st,
		"SELECT DISTINCT r.run_id FROM runs r INDEXED BY runs_by_run_id "
		"WHERE EXISTS (SELECT 1 FROM audit a WHERE a.evaluation_id = "
		"r.evaluation_id) ORDER BY r.run_id", err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = each(ctx, (const char *)sqlite3_column_text(st,
								      0))) < 0)
			break;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : fg_store_db_error(s, err, "reading runs");
}

/* ---- outcome counts, read from the documents -------------------------------- */

/* Since schema version 7 the findings table holds only the rows a look-up
 * or a waiver needs (store_open.c), so the log counts outcomes in the
 * runs' documents, which hold every finding.  This reader follows one
 * path, $.findings[*].outcome, through JSON text and skips the rest
 * without building it: `audit log` of an evaluation of 20,000 runs took
 * 2.02 s of CPU with SQLite's json_each, 0.65 s with this. */

#define OUTCOME_KINDS 16

typedef struct outcome_kind {
	char name[32];
	int64_t n;
} outcome_kind;

typedef struct outcome_counts {
	outcome_kind kind[OUTCOME_KINDS];
	size_t count;
} outcome_counts;

static const char *json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' ||
			   *p == '\r'))
		p++;
	return p;
}

/* p at a '"': the end of the string (after its closing quote), or NULL.
 * *text and *len: its raw bytes, escapes as written. */
static const char *json_str(const char *p, const char *end,
			    const char **text, size_t *len)
{
	const char *q = ++p;

	while (q < end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= end)
		return NULL;
	*text = p;
	*len = (size_t)(q - p);
	return q + 1;
}

/* p at a value: the end of it, or NULL.  A scalar runs to the next
 * separator, closer or space; an object or array to its closer. */
static const char *json_skip(const char *p, const char *end)
{
	const char *text, *start = p;
	size_t len, depth = 0;

	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			if (!(p = json_str(p, end, &text, &len)))
				return NULL;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return NULL;
			depth--;
			p++;
		} else if (depth > 0) {
			p++;
		} else {
			while (p < end && !strchr(",:]} \n\t\r", *p))
				p++;
			if (p == start)
				return NULL;
		}
	} while (depth > 0);
	return p;
}

static int count_outcome(outcome_counts *c, const char *name, size_t len)
{
	size_t i;

	if (len >= sizeof(c->kind[0].name))
		return -1;
	for (i = 0; i < c->count; i++)
		if (!strncmp(c->kind[i].name, name, len) &&
		    !c->kind[i].name[len])
			break;
	if (i == c->count) {
		if (c->count == OUTCOME_KINDS)
			return -1;
		memcpy(c->kind[i].name, name, len);
		c->kind[i].name[len] = 0;
		c->kind[i].n = 0;
		c->count++;
	}
	c->kind[i].n++;
	return 0;
}

/* p at a '{'.  In a finding (in_finding), counts the string value of
 * "outcome"; in the document, walks the objects of "findings".  The end
 * of the object, or NULL. */
static const char *json_walk(const char *p, const char *end, int in_finding,
			     outcome_counts *c)
{
	const char *key, *value;
	size_t klen, vlen;

	p = json_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"' ||
		    !(p = json_str(p, end, &key, &klen)))
			return NULL;
		p = json_ws(p, end);
		if (p >= end || *p != ':')
			return NULL;
		p = json_ws(p + 1, end);
		if (p >= end)
			return NULL;
		if (in_finding && klen == 7 && !memcmp(key, "outcome", 7) &&
		    *p == '"') {
			if (!(p = json_str(p, end, &value, &vlen)) ||
			    count_outcome(c, value, vlen))
				return NULL;
		} else if (!in_finding && klen == 8 &&
			   !memcmp(key, "findings", 8) && *p == '[') {
			p = json_ws(p + 1, end);
			while (p < end && *p != ']') {
				p = *p == '{' ? json_walk(p, end, 1, c)
					      : json_skip(p, end);
				if (!p)
					return NULL;
				p = json_ws(p, end);
				if (p < end && *p == ',')
					p = json_ws(p + 1, end);
				else if (p < end && *p != ']')
					return NULL;
			}
			if (p >= end)
				return NULL;
			p++;
		} else if (!(p = json_skip(p, end))) {
			return NULL;
		}
		p = json_ws(p, end);
		if (p < end && *p == ',') {
			p = json_ws(p + 1, end);
			continue;
		}
		return p < end && *p == '}' ? p + 1 : NULL;
	}
}

/* Adds the outcomes of one RUN document to c; -1 when its text is not a
 * JSON object this reader can follow. */
static int document_outcomes(const char *doc, size_t len, outcome_counts *c)
{
	const char *end = doc + len, *p = json_ws(doc, end);

	if (p >= end || *p != '{' || !(p = json_walk(p, end, 0, c)))
		return -1;
	return json_ws(p, end) == end ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const outcome_kind *)a)->name,
		      ((const outcome_kind *)b)->name);
}

/* The outcome counts of evaluation eval (of run_id's runs, when given)
 * into counts, by name: 0, FG_ESTORE when a row cannot be read, or
 * FG_EINTEGRITY naming the run whose document cannot be followed. */
static int evaluation_outcomes(fg_store *s, sqlite3_stmt *docs, int64_t eval,
			       json_t *counts, fg_error *err)
{
	outcome_counts c;
	size_t i;
	int rc, bad = 0;

	c.count = 0;
	sqlite3_bind_int64(docs, 1, eval);
	while ((rc = sqlite3_step(docs)) == SQLITE_ROW) {
		const char *doc;
		char *owned;
		size_t len;
		int bad_doc;

		if ((rc = fg_store_document_text(docs, 1, &doc, &len,
						 &owned)) == -2) {
			sqlite3_reset(docs);
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		}
		bad_doc = rc < 0 || document_outcomes(doc, len, &c);
		free(owned);
		if (bad_doc) {
			rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
					  "the recorded document of run %s in "
					  "evaluation %" PRId64 " is not a run "
					  "document (run `flopgate audit "
					  "verify`)", (const char *)
					  sqlite3_column_text(docs, 0), eval);
			sqlite3_reset(docs);
			return rc;
		}
	}
	sqlite3_reset(docs);
	if (rc != SQLITE_DONE)
		return fg_store_db_error(s, err, "reading the audit log");
	qsort(c.kind, c.count, sizeof(c.kind[0]), by_name);
	for (i = 0; i < c.count; i++)
		bad |= json_object_set_new(counts, c.kind[i].name,
					   json_integer(c.kind[i].n));
	return bad ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				  "out of memory") : 0;
}

int fg_store_log(fg_store *s, const char *run_id, json_t **entries,
		 fg_error *err)
{
	sqlite3_stmt *st = NULL, *runs = NULL, *outcomes = NULL;
	json_t *list = json_array(), *e, *ids, *counts;
	int64_t eval;
	int rc, bad = 0;

	*entries = NULL;
	if (!list)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_store_prepare(s, &st,
		"SELECT a.seq, a.evaluation_id, e.recorded_at, e.as_of, "
		"e.actor, e.gate_passed, a.hash FROM audit a "
		"JOIN evaluations e ON e.id = a.evaluation_id "
		"WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM runs r WHERE "
		"r.evaluation_id = a.evaluation_id AND r.run_id = ?1) "
		"ORDER BY a.seq", err)) < 0 ||
	    (rc = fg_store_prepare(s, &runs,
		"SELECT run_id FROM runs WHERE evaluation_id = ? "
		"ORDER BY position", err)) < 0 ||
	    /* With --run, the counts are that run's, from its documents
	     * (evaluation_outcomes). */
	    (rc = fg_store_prepare(s, &outcomes, s->version >= 8
		? "SELECT run_id, " FG_STORE_DOCUMENT_V8 " FROM runs r WHERE "
		  "evaluation_id = ?1 AND (?2 IS NULL OR run_id = ?2)"
		: "SELECT run_id, document FROM runs WHERE evaluation_id = ?1 "
		  "AND (?2 IS NULL OR run_id = ?2)", err)) < 0)
		goto done;
	fg_store_bind_str(st, 1, run_id);
	fg_store_bind_str(outcomes, 2, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		eval = sqlite3_column_int64(st, 1);
		bad |= json_array_append_new(list, e = json_object());
		bad |= json_object_set_new(e, "seq", json_integer(
						   sqlite3_column_int64(st, 0)));
		bad |= json_object_set_new(e, "evaluation_id",
					   json_integer(eval));
		bad |= set_column(e, "recorded_at", st, 2);
		bad |= set_column(e, "as_of", st, 3);
		bad |= set_column(e, "actor", st, 4);
		bad |= json_object_set_new(e, "runs", ids = json_array());
		bad |= json_object_set_new(e, "outcomes", counts =
					   json_object());
		bad |= json_object_set_new(e, "gate_passed", json_boolean(
						   sqlite3_column_int(st, 5)));
		bad |= set_column(e, "hash", st, 6);
		if (bad)
			break;
		sqlite3_bind_int64(runs, 1, eval);
		while ((rc = sqlite3_step(runs)) == SQLITE_ROW)
			bad |= json_array_append_new(ids, json_string(
				(const char *)sqlite3_column_text(runs, 0)));
		sqlite3_reset(runs);
		/* An error inside is not the end of the rows: a log cut
		 * short must not look complete. */
		if (rc != SQLITE_DONE)
			break;
		if ((rc = evaluation_outcomes(s, outcomes, eval, counts,
					      err)) < 0)
			goto done;
		rc = SQLITE_DONE;
	}
	if (bad) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading the audit log");
		goto done;
	}
	*entries = list;
	list = NULL;
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(runs);
	sqlite3_finalize(outcomes);
	json_decref(list);
	return rc;
}

int fg_store_snapshot_begin(fg_store *s, fg_error *err)
{
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    /* a deferred BEGIN takes its snapshot at the first read */
	    sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_schema", NULL,
			 NULL, NULL) != SQLITE_OK)
		return fg_store_db_error(s, err, "starting to read");
	return 0;
}

void fg_store_snapshot_end(fg_store *s)
{
	if (s && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

/* ---- checkpoints ------------------------------------------------------ */

int fg_store_checkpoint(fg_store *s, char **text_out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	unsigned char head[32] = {0};
	int64_t size = 0;
	int rc;

	*text_out = NULL;
	rc = fg_store_prepare(s, &st, "SELECT seq, hash FROM audit "
			      "ORDER BY seq DESC LIMIT 1", err);
	if (rc < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size = sqlite3_column_int64(st, 0);
		if (fg_audit_unhex((const char *)sqlite3_column_text(st, 1),
				   head)) {
			sqlite3_finalize(st);
			return fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
					    "audit entry %" PRId64 " has a "
					    "malformed hash", size);
		}
	} else if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading the audit log");
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	if (fg_checkpoint_format(text_out, size, head))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return 0;
}

