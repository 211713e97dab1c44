/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store: opening, the schema and its migrations (see
 * include/flopgate/store.h; the audit chain is documented in src/audit.c,
 * recording in src/store_record.c, look-ups in src/store_query.c,
 * verification in src/store_verify.c). */
#include "store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef FG_VERSION
#define FG_VERSION "unknown"
#endif

/* PRAGMA application_id: "flop" in ASCII, so `file` and sqlite3 can tell a
 * flopgate database from any other. */
#define FG_APPLICATION_ID 0x666c6f70

/* Each attempt waits up to the busy timeout; then we back off and retry. */
#define BUSY_TIMEOUT_MS 10000
#define BUSY_ATTEMPTS 12

/* ---- schema ----------------------------------------------------------- */

/* Every recorded table: triggers make each append-only.  rule_facts
 * exists since schema version 4, and is last. */
static const char *const recorded_tables[] = {
	"ruleset_texts", "input_texts", "evaluations", "evaluation_rulesets",
	"runs", "findings", "waivers", "audit", "rule_facts", NULL};

/* The recorded tables of a schema version. */
static size_t table_count(int version)
{
	return version >= 4 ? 9 : 8;
}

/* Schema version 1 (tests/fixtures/db/schema-v1.sql keeps a copy as the
 * 0.0 release shipped it). */
static const char schema_v1[] =
	"PRAGMA application_id = 1718382448;"
	"CREATE TABLE ruleset_texts ("
	" sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
	" text TEXT NOT NULL) STRICT;"
	"CREATE TABLE input_texts ("
	" sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
	" text TEXT NOT NULL) STRICT;"
	"CREATE TABLE evaluations ("
	" id INTEGER PRIMARY KEY,"
	" as_of TEXT NOT NULL,"
	" actor TEXT,"
	" tool_version TEXT NOT NULL,"
	" recorded_at TEXT NOT NULL,"
	" fail_on TEXT NOT NULL,"
	" gate_passed INTEGER NOT NULL CHECK (gate_passed IN (0, 1)),"
	" gate_failures INTEGER NOT NULL) STRICT;"
	"CREATE TABLE evaluation_rulesets ("
	" evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),"
	" position INTEGER NOT NULL,"
	" ruleset_id TEXT NOT NULL,"
	" sha256 TEXT NOT NULL REFERENCES ruleset_texts(sha256),"
	" file TEXT, title TEXT, jurisdiction TEXT, version TEXT, source TEXT,"
	" PRIMARY KEY (evaluation_id, position)) STRICT;"
	"CREATE TABLE runs ("
	" evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),"
	" position INTEGER NOT NULL,"
	" run_id TEXT NOT NULL,"
	" input_sha256 TEXT NOT NULL REFERENCES input_texts(sha256),"
	" input_file TEXT,"
	" document TEXT NOT NULL,"
	" document_sha256 TEXT NOT NULL,"
	" PRIMARY KEY (evaluation_id, position)) STRICT;"
	"CREATE INDEX runs_by_run_id ON runs(run_id, evaluation_id);"
	"CREATE TABLE findings ("
	" evaluation_id INTEGER NOT NULL,"
	" run_position INTEGER NOT NULL,"
	" position INTEGER NOT NULL,"
	" run_id TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" ruleset TEXT,"
	" severity TEXT,"
	" outcome TEXT NOT NULL,"
	" metric TEXT, op TEXT, threshold REAL, value REAL, headroom REAL,"
	" first_due TEXT,"
	" gate_fails INTEGER NOT NULL CHECK (gate_fails IN (0, 1)),"
	" PRIMARY KEY (evaluation_id, run_position, position),"
	" FOREIGN KEY (evaluation_id, run_position)"
	"  REFERENCES runs(evaluation_id, position)) STRICT;"
	"CREATE TABLE waivers ("
	" evaluation_id INTEGER NOT NULL,"
	" run_position INTEGER NOT NULL,"
	" finding_position INTEGER NOT NULL,"
	" run_id TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" reason TEXT, approved_by TEXT, expires TEXT,"
	" PRIMARY KEY (evaluation_id, run_position, finding_position),"
	" FOREIGN KEY (evaluation_id, run_position, finding_position)"
	"  REFERENCES findings(evaluation_id, run_position, position)) STRICT;"
	"CREATE TABLE audit ("
	" seq INTEGER PRIMARY KEY,"
	" evaluation_id INTEGER NOT NULL UNIQUE REFERENCES evaluations(id),"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL) STRICT;";

/* Version 2: findings remember the day the line became known (DESIGN.md
 * § Deadlines) and are indexed for that look-up; audit rows say which
 * canonical entry format they hash (1 for the rows version 1 wrote). */
static const char schema_v2[] =
	"ALTER TABLE findings ADD COLUMN known_since TEXT;"
	"CREATE INDEX findings_by_run_rule ON findings(run_id, rule, outcome);"
	"ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1;";

/* Version 4: rows are appended run by run while an evaluation is being
 * recorded (issue 9), and the audit entry holds digests of them (format
 * 4, src/audit.c), kept in audit.entry.  The evaluation row, written
 * first so its rows can name it, gets its gate at the end: it may change
 * only while no audit entry covers it (the trigger below).  The rulesets'
 * static rule facts are kept once per distinct text, in rule_facts. */
static const char schema_v4[] =
	"CREATE TABLE rule_facts ("
	" sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
	" document TEXT NOT NULL) STRICT;"
	"ALTER TABLE evaluation_rulesets ADD COLUMN facts_sha256 TEXT;"
	"ALTER TABLE audit ADD COLUMN entry TEXT;"
	"DROP TRIGGER evaluations_no_update;"
	/* Deadline look-ups take the first row in index order: a run
	 * recorded in a hundred thousand evaluations costs one probe, not
	 * a sort of them all. */
	"DROP INDEX findings_by_run_rule;"
	"CREATE INDEX findings_by_run_rule ON findings(run_id, rule, outcome,"
	" evaluation_id);"
	"CREATE INDEX findings_known ON findings(run_id, rule, known_since,"
	" evaluation_id) WHERE known_since IS NOT NULL;";

/* Version 5: runs are indexed by their input's hash.  `audit verify`
 * looks for input texts no run names, and for the runs of a text that no
 * longer hashes to its key, through it: without it either scan reads
 * every run's document. */
static const char schema_v5[] =
	"CREATE INDEX runs_by_input ON runs(input_sha256);";

/* Version 6: the first-triggered look-up's index holds only the triggered
 * findings, the only ones it is asked for.  Indexing every finding put
 * each run's dozen rules in a dozen index leaves: a one-run gate into a
 * long history wrote a leaf (and its parents) per rule, where now it
 * writes one per rule that triggered. */
static const char schema_v6[] =
	"DROP INDEX findings_by_run_rule;"
	"CREATE INDEX findings_triggered ON findings(run_id, rule,"
	" evaluation_id) WHERE outcome = 'triggered';";

/* Version 7 changes no table: from it on, an evaluation keeps a findings
 * row only for a finding that a look-up or a waiver needs (outcomes other
 * than clear and not_applicable, a known_since, a waiver:
 * fg_store_finding_kept); every finding stays in its run's document.  At
 * 12 rules a run, 94 % of a generated stream's findings were clear or not
 * applicable: recording 20,000 runs took 4.4-5.1 s of CPU without their
 * rows, 5.2-5.9 s with them (three tries each way).  The version keeps
 * earlier releases, which counted outcomes from the rows, out. */

/* Version 8: a run's document is kept as an LZ4 frame (src/doc_frame.h)
 * in document_lz4, and document holds ''; rows recorded before keep their
 * text in document and no frame.  The document is what recording writes
 * most of: about 12 KB of JSON a run, a third of it as a frame.  Writing
 * every byte twice (to the log, then to the file) is what made recording
 * a long stream grow faster than its runs.  Measured by hand on the
 * bench's stream of 200,000 runs, each beside its floor: with the texts
 * 85.3 s of CPU (32.6 s of it in the kernel; floor 17.2 s) into a file
 * of 2.97 GB, with frames 61.7 s (10.7 s; floor 15.7 s) into 1.34 GB. */
static const char schema_v8[] =
	"ALTER TABLE runs ADD COLUMN document_lz4 BLOB;";

int fg_store_db_error(fg_store *s, fg_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	const char *hint = "";

	if ((code & 0xff) == SQLITE_READONLY)
		hint = " (the database or its directory is read-only)";
	else if ((code & 0xff) == SQLITE_CANTOPEN)
		hint = " (cannot create the journal: is the directory "
		       "writable?)";
	else if ((code & 0xff) == SQLITE_NOTADB)
		hint = " (not a SQLite file, so not a flopgate database)";
	else if ((code & 0xff) == SQLITE_CORRUPT)
		hint = " (the database file is damaged)";
	else if ((code & 0xff) == SQLITE_FULL)
		hint = " (the disk is full)";
	return fg_error_set(err, FG_ESTORE, s->path, 0, 0, "%s: %s%s", what,
			    sqlite3_errmsg(s->db), hint);
}

int fg_store_prepare(fg_store *s, sqlite3_stmt **out, const char *sql,
		     fg_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return fg_store_db_error(s, err, "preparing a query");
	}
	return 0;
}

int fg_store_prepare_cached(fg_store *s, sqlite3_stmt **out, const char *sql,
			    fg_error *err)
{
	struct fg_cached_stmt *c;
	size_t i;
	int rc;

	for (i = 0; i < s->cache_count; i++) {
		c = &s->cache[i];
		/* the address, then the text: an address can be reused */
		if (c->sql != sql || strcmp(sqlite3_sql(c->st), sql))
			continue;
		if (c->busy)
			break;
		c->busy = 1;
		*out = c->st;
		return 0;
	}
	if ((rc = fg_store_prepare(s, out, sql, err)) < 0)
		return rc;
	if (i == s->cache_count && s->cache_count < FG_STORE_CACHE) {
		c = &s->cache[s->cache_count++];
		c->sql = sql;
		c->st = *out;
		c->busy = 1;
	}
	return 0;
}

/* Finalizes the kept statements: before the connection closes. */
static void cache_drop(fg_store *s)
{
	size_t i;

	for (i = 0; i < s->cache_count; i++)
		sqlite3_finalize(s->cache[i].st);
	s->cache_count = 0;
}

void fg_store_release(fg_store *s, sqlite3_stmt *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < s->cache_count; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

static int exec(fg_store *s, const char *sql, const char *what,
		fg_error *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fg_store_db_error(s, err, what);
	return 0;
}

/* The append-only triggers of one recorded table, as created (and as
 * sqlite_schema keeps their text, which verify compares). */
static void update_delete_triggers(char *sql, size_t size, const char *t,
				   int which, int version)
{
	if (which == 0 && version >= 4 && !strcmp(t, "evaluations"))
		/* the gate of the evaluation being recorded is set last */
		snprintf(sql, size, "CREATE TRIGGER %s_no_update BEFORE UPDATE "
			 "ON %s WHEN NEW.id IS NOT OLD.id OR EXISTS (SELECT 1 "
			 "FROM audit a WHERE a.evaluation_id = OLD.id) BEGIN "
			 "SELECT RAISE(ABORT, '%s is append-only: recorded rows "
			 "cannot be changed'); END", t, t, t);
	else if (which == 0)
		snprintf(sql, size, "CREATE TRIGGER %s_no_update BEFORE UPDATE "
			 "ON %s BEGIN SELECT RAISE(ABORT, '%s is append-only: "
			 "recorded rows cannot be changed'); END", t, t, t);
	else
		snprintf(sql, size, "CREATE TRIGGER %s_no_delete BEFORE DELETE "
			 "ON %s BEGIN SELECT RAISE(ABORT, '%s is append-only: "
			 "recorded rows cannot be deleted'); END", t, t, t);
}

/* Schema version 3: rows enter only the way fg_store_record writes them.
 * A text, an evaluation and its rows only while an evaluation is being
 * recorded (the newest evaluation has no audit entry yet, which is true
 * inside fg_store_record's transaction alone); a row of an evaluation only
 * before its entry is appended; an entry only at the head of the chain,
 * linked to it.  Anyone can drop a trigger, so verify still accounts for
 * every row: these catch the casual INSERT (`sqlite3 db "INSERT ..."`),
 * verify catches the rest. */
#define PENDING_EVALUATION \
	"EXISTS (SELECT 1 FROM evaluations e WHERE e.id = " \
	"(SELECT max(id) FROM evaluations) AND NOT EXISTS " \
	"(SELECT 1 FROM audit a WHERE a.evaluation_id = e.id))"

static void insert_trigger(char *sql, size_t size, const char *t)
{
	const char *when;

	if (!strcmp(t, "ruleset_texts") || !strcmp(t, "input_texts") ||
	    !strcmp(t, "rule_facts"))
		when = "NOT " PENDING_EVALUATION;
	else if (!strcmp(t, "evaluations"))
		when = PENDING_EVALUATION;
	else if (!strcmp(t, "audit"))
		when = "NOT EXISTS (SELECT 1 FROM evaluations e WHERE "
		       "e.id = NEW.evaluation_id) OR NEW.seq IS NOT "
		       "(SELECT coalesce(max(seq), 0) + 1 FROM audit) OR "
		       "NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit "
		       "ORDER BY seq DESC LIMIT 1), printf('%064d', 0))";
	else
		when = "NOT EXISTS (SELECT 1 FROM evaluations e WHERE "
		       "e.id = NEW.evaluation_id) OR EXISTS (SELECT 1 FROM "
		       "audit a WHERE a.evaluation_id = NEW.evaluation_id)";
	snprintf(sql, size, "CREATE TRIGGER %s_no_insert BEFORE INSERT ON %s "
		 "WHEN %s BEGIN SELECT RAISE(ABORT, '%s: rows are added only "
		 "by flopgate check, with their evaluation and its audit "
		 "entry'); END", t, t, when, t);
}

/* which: 0 update, 1 delete, 2 insert; as schema `version` has it. */
static void trigger_sql(char *sql, size_t size, const char *t, int which,
			int version)
{
	if (which < 2)
		update_delete_triggers(sql, size, t, which, version);
	else
		insert_trigger(sql, size, t);
}

/* Creates the triggers first..last of the tables [from, to) of
 * recorded_tables, as schema `version` has them. */
static int exec_triggers(fg_store *s, size_t from, size_t to, int first,
			 int last, int version, fg_error *err)
{
	char sql[1024];
	size_t i;
	int rc, which;

	for (i = from; i < to; i++)
		for (which = first; which <= last; which++) {
			trigger_sql(sql, sizeof(sql), recorded_tables[i],
				    which, version);
			if ((rc = exec(s, sql, "creating the schema",
				       err)) < 0)
				return rc;
		}
	return 0;
}

/* ---- the row triggers of a long recording ------------------------------------ */

/* The tables a recording fills run by run, in the order of the bits of
 * fg_store_row_triggers_drop's mask. */
static const char *const row_tables[] = {"input_texts", "runs", "findings",
					 "waivers"};
#define ROW_TABLES (sizeof(row_tables) / sizeof(row_tables[0]))

int fg_store_row_triggers_drop(fg_store *s, unsigned *dropped, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	char want[1024], name[64];
	const char *have;
	size_t i;
	int rc = 0, same;

	*dropped = 0;
	if (s->version < 3)
		return 0;
	if ((rc = fg_store_prepare(s, &st, "SELECT sql FROM sqlite_schema "
				   "WHERE type = 'trigger' AND name = ?",
				   err)) < 0)
		return rc;
	for (i = 0; i < ROW_TABLES && rc == 0; i++) {
		snprintf(name, sizeof(name), "%s_no_insert", row_tables[i]);
		trigger_sql(want, sizeof(want), row_tables[i], 2, s->version);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		have = rc == SQLITE_ROW
			? (const char *)sqlite3_column_text(st, 0) : NULL;
		same = have && !strcmp(have, want);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = fg_store_db_error(s, err, "reading the schema");
			break;
		}
		sqlite3_reset(st);
		rc = 0;
		/* a trigger missing or not as created stays as it is:
		 * verify names it, and recording must not mend it */
		if (!same)
			continue;
		snprintf(want, sizeof(want), "DROP TRIGGER %s", name);
		if ((rc = exec(s, want, "setting the row triggers aside",
			       err)) == 0)
			*dropped |= 1u << i;
	}
	sqlite3_finalize(st);
	return rc;
}

int fg_store_row_triggers_restore(fg_store *s, unsigned dropped,
				  fg_error *err)
{
	char sql[1024];
	size_t i;
	int rc;

	for (i = 0; i < ROW_TABLES; i++) {
		if (!(dropped & (1u << i)))
			continue;
		trigger_sql(sql, sizeof(sql), row_tables[i], 2, s->version);
		if ((rc = exec(s, sql, "restoring the row triggers", err)) < 0)
			return rc;
	}
	return 0;
}

int fg_store_check_schema(fg_store *s, char *problem, size_t size,
			  fg_error *err)
{
	sqlite3_stmt *st = NULL;
	char want[1024];
	const char *name, *type, *have;
	size_t i;
	int rc, which, found, ours;

	problem[0] = 0;
	/* Every object is one of ours, and every trigger as created. */
	if ((rc = fg_store_prepare(s, &st, "SELECT type, name, tbl_name, "
				   "coalesce(sql, '') FROM sqlite_schema "
				   "ORDER BY type, name", err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !problem[0]) {
		type = (const char *)sqlite3_column_text(st, 0);
		name = (const char *)sqlite3_column_text(st, 1);
		have = (const char *)sqlite3_column_text(st, 3);
		ours = 0;
		for (i = 0; i < table_count(s->version) && !ours; i++) {
			if (!strcmp(type, "table"))
				ours = !strcmp(name, recorded_tables[i]);
			for (which = 0; which < 3 && !ours &&
			     !strcmp(type, "trigger"); which++) {
				if (which == 2 && s->version < 3)
					break;
				trigger_sql(want, sizeof(want),
					    recorded_tables[i], which,
					    s->version);
				ours = !strcmp(have, want);
			}
		}
		if (!strcmp(type, "index"))
			ours = !strncmp(name, "sqlite_autoindex_", 17) ||
			       !strcmp(name, "runs_by_run_id") ||
			       (s->version < 6 &&
				!strcmp(name, "findings_by_run_rule")) ||
			       (s->version >= 6 &&
				!strcmp(name, "findings_triggered")) ||
			       (s->version >= 4 &&
				!strcmp(name, "findings_known")) ||
			       (s->version >= 5 &&
				!strcmp(name, "runs_by_input"));
		if (!ours)
			snprintf(problem, size, "the schema holds a %s `%s` "
				 "that flopgate did not create, or changed",
				 type, name);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fg_store_db_error(s, err, "reading the schema");
	if (problem[0])
		return 0;
	/* ... and none of ours is missing. */
	if ((rc = fg_store_prepare(s, &st, "SELECT count(*) FROM "
				   "sqlite_schema WHERE type = 'trigger' AND "
				   "name = ?", err)) < 0)
		return rc;
	for (i = 0; i < table_count(s->version) && !problem[0]; i++)
		for (which = 0; which < (s->version >= 3 ? 3 : 2) &&
		     !problem[0]; which++) {
			snprintf(want, sizeof(want), "%s_no_%s",
				 recorded_tables[i],
				 which == 0 ? "update" : which == 1 ? "delete"
								    : "insert");
			sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
			found = sqlite3_step(st) == SQLITE_ROW &&
				sqlite3_column_int(st, 0) == 1;
			sqlite3_reset(st);
			if (!found)
				snprintf(problem, size, "the trigger `%s` that "
					 "keeps table %s append-only is "
					 "missing", want, recorded_tables[i]);
		}
	sqlite3_finalize(st);
	return 0;
}

static int pragma_int(fg_store *s, const char *sql, int64_t *out,
		      fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fg_store_db_error(s, err, "reading the schema");
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fg_store_db_error(s, err, "reading the schema");
	return 0;
}

/* Brings the schema from *version to FG_STORE_SCHEMA_VERSION in one
 * write transaction; re-reads the version inside it, so two processes
 * opening a new file at once migrate it once. */
static int migrate(fg_store *s, fg_error *err)
{
	int64_t version = 0, tables = 0;
	int rc;
	char sql[64];

	if ((rc = exec(s, "BEGIN IMMEDIATE", "starting the migration",
		       err)) < 0)
		return rc;
	if ((rc = pragma_int(s, "PRAGMA user_version", &version, err)) < 0 ||
	    (rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema",
			     &tables, err)) < 0)
		goto done;
	if (version == 0 && tables > 0) {
		rc = fg_error_set(err, FG_ESTORE, s->path, 0, 0,
				  "not a flopgate database: it holds "
				  "another application's tables");
		goto done;
	}
	if (version < 1 &&
	    ((rc = exec(s, schema_v1, "creating the schema", err)) < 0 ||
	     (rc = exec_triggers(s, 0, 8, 0, 1, 1, err)) < 0))
		goto done;
	if (version < 2 &&
	    (rc = exec(s, schema_v2, "migrating the schema to version 2",
		       err)) < 0)
		goto done;
	if (version < 3 && (rc = exec_triggers(s, 0, 8, 2, 2, 3, err)) < 0)
		goto done;
	/* version 4: the evaluations UPDATE trigger is replaced (table 2 of
	 * recorded_tables), rule_facts gets all three */
	if (version < 4 &&
	    ((rc = exec(s, schema_v4, "migrating the schema to version 4",
			err)) < 0 ||
	     (rc = exec_triggers(s, 2, 3, 0, 0, 4, err)) < 0 ||
	     (rc = exec_triggers(s, 8, 9, 0, 2, 4, err)) < 0))
		goto done;
	if (version < 5 &&
	    (rc = exec(s, schema_v5, "migrating the schema to version 5",
		       err)) < 0)
		goto done;
	if (version < 6 &&
	    (rc = exec(s, schema_v6, "migrating the schema to version 6",
		       err)) < 0)
		goto done;
	if (version < 8 &&
	    (rc = exec(s, schema_v8, "migrating the schema to version 8",
		       err)) < 0)
		goto done;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 FG_STORE_SCHEMA_VERSION);
	if ((rc = exec(s, sql, "migrating the schema", err)) < 0)
		goto done;
	rc = exec(s, "COMMIT", "committing the migration", err);
done:
	if (rc < 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	else
		s->version = FG_STORE_SCHEMA_VERSION;
	return rc;
}

/* Refusals that need no SQLite: clearer than SQLite's "unable to open
 * database file", and they keep a refused open from creating anything. */
static int check_file(const char *path, int flags, fg_error *err)
{
	struct stat st;
	char *copy = strdup(path), *dir;
	int rc = 0, exists;

	if (!copy)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	dir = dirname(copy);
	exists = stat(path, &st) == 0;
	if (!exists) {
		if (errno != ENOENT)
			rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
					  "cannot open the database: %s",
					  strerror(errno));
		else if (!(flags & FG_STORE_CREATE) ||
			 (flags & FG_STORE_READONLY))
			rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
					  "no such database (nothing has "
					  "been recorded there)");
		else if (access(dir, W_OK | X_OK))
			rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
					  "cannot create the database: its "
					  "directory %s is not writable", dir);
	} else if (!S_ISREG(st.st_mode)) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "not a database file");
	} else if (access(path, (flags & FG_STORE_READONLY) ? R_OK
						  : R_OK | W_OK)) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "the database is not %s by this user: %s",
				  (flags & FG_STORE_READONLY) ? "readable"
							      : "writable",
				  strerror(errno));
	} else if (!(flags & FG_STORE_READONLY) && access(dir, W_OK | X_OK)) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "cannot record: the database's directory "
				  "%s is not writable (SQLite keeps its "
				  "write-ahead log there)", dir);
	}
	free(copy);
	return rc;
}

/* user_version, application_id and the number of schema objects, read
 * in one statement (one snapshot: another process may be creating the
 * schema right now). */
static int schema_state(fg_store *s, int64_t *version, int64_t *app,
			int64_t *tables, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT (SELECT user_version FROM pragma_user_version), "
		"(SELECT application_id FROM pragma_application_id), "
		"(SELECT count(*) FROM sqlite_schema)", -1, &st, NULL)
	    != SQLITE_OK)
		return fg_store_db_error(s, err, "reading the schema");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		*app = sqlite3_column_int64(st, 1);
		*tables = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0
	       : fg_store_db_error(s, err, "reading the schema");
}

/* 1 when the last error says the -shm or -wal file could not be made or
 * written: what a reader without write access meets. */
static int cannot_share(sqlite3 *db)
{
	int code = sqlite3_extended_errcode(db);

	return (code & 0xff) == SQLITE_READONLY ||
	       (code & 0xff) == SQLITE_CANTOPEN;
}

/* "file:PATH?immutable=1", PATH percent-encoded where a URI needs it. */
static char *immutable_uri(const char *path)
{
	size_t n = strlen(path), i, o = 0;
	char *uri = malloc(3 * n + sizeof("file:?immutable=1"));

	if (!uri)
		return NULL;
	o += (size_t)sprintf(uri, "file:");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '%' || c == '?' || c == '#' || c < 0x21 || c > 0x7E)
			o += (size_t)sprintf(uri + o, "%%%02X", c);
		else
			uri[o++] = (char)c;
	}
	strcpy(uri + o, "?immutable=1");
	return uri;
}

static int reopen_immutable(fg_store *s, int64_t *version, int64_t *app,
			    int64_t *tables, fg_error *err)
{
	struct stat st;
	char *wal = malloc(strlen(s->path) + 5), *uri;
	int pending, rc;

	if (!wal)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	sprintf(wal, "%s-wal", s->path);
	pending = stat(wal, &st) == 0 && st.st_size > 0;
	free(wal);
	if (pending)
		return fg_error_set(err, FG_ESTORE, s->path, 0, 0,
				    "cannot read: its write-ahead log (%s-wal) "
				    "holds changes not yet in the file, and "
				    "this user cannot write the directory to "
				    "share it; open it once with write access "
				    "(any flopgate check or audit verify by its "
				    "owner) to fold them in", s->path);
	cache_drop(s);
	sqlite3_close(s->db);
	s->db = NULL;
	if (!(uri = immutable_uri(s->path)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY |
			     SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return s->db ? fg_store_db_error(s, err, "cannot open")
			     : fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
	sqlite3_extended_result_codes(s->db, 1);
	return schema_state(s, version, app, tables, err);
}

int fg_store_open(fg_store **out, const char *path, int flags,
		  fg_error *err)
{
	fg_store *s = NULL;
	int64_t version = 0, app = 0, tables = 0;
	int rc, readonly = (flags & FG_STORE_READONLY) != 0;
	/* NOMUTEX: a handle is used by one thread at a time (store.h), so
	 * SQLite's own locking of the connection is pure cost. */
	int open_flags = SQLITE_OPEN_NOMUTEX |
		(readonly ? SQLITE_OPEN_READONLY
			  : SQLITE_OPEN_READWRITE |
				    ((flags & FG_STORE_CREATE)
					     ? SQLITE_OPEN_CREATE : 0));

	*out = NULL;
	/* SQLite reads "" and ":memory:" as a private temporary database:
	 * a check would "record" into it and lose everything at exit. */
	if (!path || !*path || !strcmp(path, ":memory:") ||
	    !strncmp(path, "file:", 5))
		return fg_error_set(err, FG_EUSAGE, path, 0, 0, "not a database "
				    "file: the audit trail must be kept in a "
				    "file (%s)", !path || !*path
				    ? "an empty path is a temporary database"
				    : "an in-memory database keeps nothing");
	if ((rc = check_file(path, flags, err)) < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	s->readonly = readonly;
	if (sqlite3_open_v2(path, &s->db, open_flags, fg_store_vfs()) !=
	    SQLITE_OK) {
		rc = s->db ? fg_store_db_error(s, err, "cannot open")
			   : fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	rc = schema_state(s, &version, &app, &tables, err);
	/* A WAL database needs its -shm file even to be read: on read-only
	 * media, or for a user who cannot write the directory, reading
	 * fails.  Such a reader opens the file as immutable, which is
	 * exact when no write-ahead log holds frames not yet in the file
	 * (a writer that closed cleanly leaves none). */
	if (rc < 0 && readonly && cannot_share(s->db))
		rc = reopen_immutable(s, &version, &app, &tables, err);
	if (rc < 0)
		goto done;
	if (version > FG_STORE_SCHEMA_VERSION) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "the database has schema version %" PRId64
				  ", newer than this flopgate %s understands "
				  "(%d): upgrade flopgate", version,
				  FG_VERSION, FG_STORE_SCHEMA_VERSION);
		goto done;
	}
	if ((version > 0 && app != FG_APPLICATION_ID) ||
	    (version == 0 && tables > 0)) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "not a flopgate database");
		goto done;
	}
	if (version == 0 && readonly) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "an empty database: nothing has been "
				  "recorded there");
		goto done;
	}
	s->version = (int)version;
	if (readonly) {
		rc = exec(s, "PRAGMA query_only = ON", "opening", err);
		goto done;
	}
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		rc = fg_error_set(err, FG_ESTORE, path, 0, 0,
				  "the database is read-only: cannot record");
		goto done;
	}
	/* A new database gets 8 KiB pages, before WAL mode fixes the size.
	 * Every page a statement reads, or a commit writes (to the log,
	 * then to the file), is copied whole: a one-run gate writes some
	 * 17 pages, so larger pages cost it time (measured by hand, 20
	 * series of 10 gates each way, first quartile: into an empty
	 * database 10.5-11.8 ms with 8 KiB pages against 12.0-13.1 with
	 * 16 KiB; into 100,000 evaluations 12.3 against 13.3-13.5; with
	 * 32 KiB, earlier, 1.3 times the empty gate).  Smaller pages cost
	 * memory in a large evaluation, which is one transaction
	 * (DESIGN.md): until it commits, the WAL index holds 8 bytes for
	 * every page written, so with 4 KiB pages a stream of 200,000 runs
	 * grew it by 7 MiB.  With 8 KiB pages (and a 32 MiB cache, below)
	 * that stream peaked at
	 * 48.5 MiB, 8.5 % above 20,000 runs (44.7 MiB; with 16 KiB pages
	 * 41.5 and 39.7 MiB), and recording 20,000 runs took 7.9-8.0 s of
	 * CPU against 8.3-8.5 s, in a file of 336 MB against 387 MB.
	 * Databases created with other sizes keep theirs. */
	if (version == 0 && tables == 0 &&
	    (rc = exec(s, "PRAGMA page_size = 8192", "opening", err)) < 0)
		goto done;
	/* synchronous = FULL: a recorded check survives power loss, as an
	 * audit trail must. */
	/* Entering WAL mode takes an exclusive lock without waiting on the
	 * busy handler when another process is creating the file too.
	 * The page cache is 40 MiB (SQLite's default is 2 MiB): a recording
	 * of many runs spills dirty pages to the log, and reads back its
	 * random-keyed index pages (input_texts, runs_by_input), less
	 * often; it fills only as a large evaluation needs it, so a one-run
	 * gate stays small.  Each page spilled and dirtied again is written
	 * to the log again, and at 200,000 runs writing costs more a byte
	 * (fresh page-cache memory): recording them took 80.6 s of CPU
	 * (31.7 s system) with 32 MiB, 69.5 s (24.6 s) with 40 MiB, 69.8 s
	 * with 44 MiB; 20,000 runs 5.75, 5.43 and 5.12 s.  Peak memory,
	 * 20,000 and 200,000 runs: 44.6 and 48.4 MiB with 32 MiB, 54.1 and
	 * 57.9 with 40 MiB, 59.1 and 62.6 with 44 MiB, too near the
	 * benchmark's bound of 64 MiB. */
	if ((rc = fg_store_exec_retry(s, "PRAGMA journal_mode = WAL", err)) < 0 ||
	    (rc = exec(s, "PRAGMA cache_size = -40960", "opening", err)) < 0 ||
	    (rc = exec(s, "PRAGMA synchronous = FULL", "opening", err)) < 0 ||
	    (rc = exec(s, "PRAGMA foreign_keys = ON", "opening", err)) < 0)
		goto done;
	if (version < FG_STORE_SCHEMA_VERSION)
		rc = migrate(s, err);
done:
	if (rc < 0) {
		fg_store_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void fg_store_free(fg_store *s)
{
	if (!s)
		return;
	cache_drop(s);
	sqlite3_close(s->db);
	free(s->verified);
	free(s->path);
	free(s);
}

int fg_store_schema_version(const fg_store *s)
{
	return s ? s->version : 0;
}

static void backoff(int attempt)
{
	struct timespec ts = {0, 0};
	long ms = (1L << (attempt < 7 ? attempt : 7)) + rand() % 16;

	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
}

/* Runs sql ("BEGIN IMMEDIATE" or "COMMIT"), retrying while another
 * connection holds the lock past the busy timeout. */
int fg_store_exec_retry(fg_store *s, const char *sql, fg_error *err)
{
	int attempt, rc = SQLITE_BUSY;

	for (attempt = 0; attempt < BUSY_ATTEMPTS; attempt++) {
		rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		backoff(attempt);
	}
	return rc == SQLITE_OK ? 0 : fg_store_db_error(s, err, sql);
}
