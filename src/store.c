/* flopgate — the SQLite store (see include/flopgate/store.h; the audit
 * chain's entry format is documented in src/audit.c). */
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

#include "flopgate/hash.h"
#include "flopgate/result.h"

#ifndef FG_VERSION
#define FG_VERSION "unknown"
#endif

/* PRAGMA application_id: "flop" in ASCII, so `file` and sqlite3 can tell a
 * flopgate database from any other. */
#define FG_APPLICATION_ID 0x666c6f70

/* Each attempt waits up to the busy timeout; then we back off and retry. */
#define BUSY_TIMEOUT_MS 10000
#define BUSY_ATTEMPTS 12

static int exec_retry(fg_store *s, const char *sql, fg_error *err);

/* ---- schema ----------------------------------------------------------- */

/* Every recorded table: triggers make each append-only. */
static const char *const recorded_tables[] = {
	"ruleset_texts", "input_texts", "evaluations", "evaluation_rulesets",
	"runs", "findings", "waivers", "audit", NULL};

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
				   int which)
{
	if (which == 0)
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

	if (!strcmp(t, "ruleset_texts") || !strcmp(t, "input_texts"))
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

/* which: 0 update, 1 delete, 2 insert. */
static void trigger_sql(char *sql, size_t size, const char *t, int which)
{
	if (which < 2)
		update_delete_triggers(sql, size, t, which);
	else
		insert_trigger(sql, size, t);
}

static int exec_triggers(fg_store *s, int first, int last, fg_error *err)
{
	char sql[1024];
	size_t i;
	int rc, which;

	for (i = 0; recorded_tables[i]; i++)
		for (which = first; which <= last; which++) {
			trigger_sql(sql, sizeof(sql), recorded_tables[i],
				    which);
			if ((rc = exec(s, sql, "creating the schema",
				       err)) < 0)
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
		for (i = 0; recorded_tables[i] && !ours; i++) {
			if (!strcmp(type, "table"))
				ours = !strcmp(name, recorded_tables[i]);
			for (which = 0; which < 3 && !ours &&
			     !strcmp(type, "trigger"); which++) {
				if (which == 2 && s->version < 3)
					break;
				trigger_sql(want, sizeof(want),
					    recorded_tables[i], which);
				ours = !strcmp(have, want);
			}
		}
		if (!strcmp(type, "index"))
			ours = !strncmp(name, "sqlite_autoindex_", 17) ||
			       !strcmp(name, "runs_by_run_id") ||
			       !strcmp(name, "findings_by_run_rule");
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
	for (i = 0; recorded_tables[i] && !problem[0]; i++)
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
	     (rc = exec_triggers(s, 0, 1, err)) < 0))
		goto done;
	if (version < 2 &&
	    (rc = exec(s, schema_v2, "migrating the schema to version 2",
		       err)) < 0)
		goto done;
	if (version < 3 && (rc = exec_triggers(s, 2, 2, err)) < 0)
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
	sqlite3_close(s->db);
	s->db = NULL;
	if (!(uri = immutable_uri(s->path)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY |
			     SQLITE_OPEN_URI, NULL);
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
	int open_flags = readonly ? SQLITE_OPEN_READONLY
		       : SQLITE_OPEN_READWRITE |
			 ((flags & FG_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);

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
	if (sqlite3_open_v2(path, &s->db, open_flags, NULL) != SQLITE_OK) {
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
	/* synchronous = FULL: a recorded check survives power loss, as an
	 * audit trail must. */
	/* Entering WAL mode takes an exclusive lock without waiting on the
	 * busy handler when another process is creating the file too. */
	if ((rc = exec_retry(s, "PRAGMA journal_mode = WAL", err)) < 0 ||
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
	sqlite3_close(s->db);
	free(s->verified);
	free(s->path);
	free(s);
}

int fg_store_schema_version(const fg_store *s)
{
	return s ? s->version : 0;
}

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

static void bind_str(sqlite3_stmt *st, int i, const char *v)
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
		bind_str(st, 3, id);
		bind_str(st, 4, sha);
		for (k = 0; k < 5; k++)
			bind_json(st, (int)k + 5, json_object_get(r, keys[k]));
		if (!json_object_get(r, "file"))
			bind_str(st, 5, t->text->file);
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
		bind_str(fst, 4, run_id);
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
		bind_str(wst, 4, run_id);
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
		bind_str(rst, 3, id);
		bind_str(rst, 4, sha);
		bind_str(rst, 5, t->text->file);
		bind_str(rst, 6, text);
		bind_str(rst, 7, doc_sha);
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
	bind_str(st, 3, tool ? tool : FG_VERSION);
	bind_str(st, 4, now);
	bind_json(st, 5, json_object_get(gate, "fail_on"));
	sqlite3_bind_int(st, 6, json_is_true(json_object_get(gate, "passed")));
	sqlite3_bind_int64(st, 7, json_integer_value(json_object_get(
					  gate, "failures")));
	rc = step_insert(s, st, "storing the evaluation", err);
	*eval = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

/* fg_audit_verify_one, once per evaluation on this handle. */
static int verify_once(fg_store *s, int64_t eval, fg_error *err)
{
	int64_t *grown;
	size_t i;
	int rc;

	for (i = 0; i < s->verified_count; i++)
		if (s->verified[i] == eval)
			return 0;
	if ((rc = fg_audit_verify_one(s, eval, err)) < 0)
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
	s->verified[s->verified_count++] = eval;
	return 0;
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
		if ((rc = verify_once(s, head_eval, err)) < 0) {
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

static void backoff(int attempt)
{
	struct timespec ts = {0, 0};
	long ms = (1L << (attempt < 7 ? attempt : 7)) + rand() % 16;

	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
}

/* Runs sql ("BEGIN IMMEDIATE" or "COMMIT"), retrying while another
 * connection holds the lock past the busy timeout. */
static int exec_retry(fg_store *s, const char *sql, fg_error *err)
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
	if ((rc = exec_retry(s, "BEGIN IMMEDIATE", err)) < 0)
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
	if ((rc = exec_retry(s, "COMMIT", err)) < 0) {
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

/* ---- queries ------------------------------------------------------------ */

/* The date in the first row of sql (bound to run_id, rule_id), read only
 * from an evaluation whose audit entry holds: column 0 the date, column 1
 * the evaluation id.  A row no verified entry covers never decides a
 * deadline (DESIGN.md § Store and audit trail). */
static int first_date(fg_store *s, const char *sql, const char *run_id,
		      const char *rule_id, fg_date *out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	fg_date d;
	int64_t eval;
	int rc;

	if ((rc = fg_store_prepare(s, &st, sql, err)) < 0)
		return rc;
	bind_str(st, 1, run_id);
	bind_str(st, 2, rule_id);
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
	if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
	    fg_date_parse(&d, (const char *)sqlite3_column_text(st, 0))) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "evaluation %" PRId64 " holds a finding of "
				  "run %s, rule %s whose date is not a date: "
				  "run `flopgate audit verify`", eval, run_id,
				  rule_id);
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = verify_once(s, eval, err)) < 0)
		goto done;
	*out = d;
	rc = 1;
done:
	sqlite3_finalize(st);
	return rc;
}

int fg_store_first_triggered(fg_store *s, const char *run_id,
			     const char *rule_id, fg_date *out, fg_error *err)
{
	return first_date(s,
		/* CROSS JOIN keeps findings (by findings_by_run_rule) the
		 * outer loop: driven from the small audit table, the plan
		 * would scan every finding of an evaluation per look-up. */
		"SELECT e.as_of, f.evaluation_id FROM findings f "
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
		"SELECT f.known_since, f.evaluation_id FROM findings f "
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
	if ((rc = fg_store_prepare(s, &st,
		"SELECT ruleset_id, sha256, title, jurisdiction, version, "
		"source, file FROM evaluation_rulesets WHERE evaluation_id = ? "
		"ORDER BY position", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, eval);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = json_object();
		bad |= json_array_append_new(list, r);
		for (i = 0; i < 7 && !bad; i++)
			if (sqlite3_column_type(st, i) != SQLITE_NULL)
				bad |= set_column(r, keys[i], st, i);
	}
	rc = bad ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory")
	   : rc == SQLITE_DONE ? 0 : fg_store_db_error(s, err, "reading");
	sqlite3_finalize(st);
	return rc;
}

/* The check document of run_id as recorded in evaluation eval. */
static int rebuild_document(fg_store *s, const char *run_id, int64_t eval,
			    json_t **out, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *doc = json_object(), *run = NULL, *gate, *audit, *runs;
	json_error_t jerr;
	char sha[65];
	int rc, bad = 0;

	*out = NULL;
	if (!doc)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_store_prepare(s, &st,
		"SELECT e.tool_version, e.as_of, e.actor, e.fail_on, "
		"e.gate_passed, e.gate_failures, e.recorded_at, a.seq, a.hash, "
		"r.document, r.document_sha256 FROM evaluations e "
		"JOIN runs r ON r.evaluation_id = e.id "
		"LEFT JOIN audit a ON a.evaluation_id = e.id "
		"WHERE e.id = ? AND r.run_id = ? ORDER BY r.position LIMIT 1",
		err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, eval);
	bind_str(st, 2, run_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = fg_store_db_error(s, err, "reading a recorded run");
		goto done;
	}
	if (fg_sha256_hex(sqlite3_column_blob(st, 9),
			  (size_t)sqlite3_column_bytes(st, 9), sha) ||
	    strcmp(sha, (const char *)sqlite3_column_text(st, 10))) {
		rc = fg_error_set(err, FG_EINTEGRITY, s->path, 0, 0,
				  "the recorded document of run %s in "
				  "evaluation %" PRId64 " does not match its "
				  "hash: run `flopgate audit verify`", run_id,
				  eval);
		goto done;
	}
	run = json_loadb(sqlite3_column_blob(st, 9),
			 (size_t)sqlite3_column_bytes(st, 9), 0, &jerr);
	if (!run && json_error_code(&jerr) == json_error_out_of_memory) {
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
	bad |= set_column(doc, "flopgate", st, 0);
	bad |= set_column(doc, "as_of", st, 1);
	bad |= json_object_set_new(doc, "evaluation_id", json_integer(eval));
	bad |= set_column(doc, "actor", st, 2);
	if ((rc = document_rulesets(s, eval, doc, err)) < 0)
		goto done;
	bad |= json_object_set_new(doc, "runs", runs = json_array());
	bad |= json_array_append(runs, run);
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
	json_decref(run);
	json_decref(doc);
	return rc;
}

int fg_store_latest_documents(fg_store *s, const char *run_id,
			      json_t ***docs, size_t *count, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t **list = NULL, **grown;
	size_t n = 0, cap = 0;
	int rc;

	*docs = NULL;
	*count = 0;
	if ((rc = fg_store_prepare(s, &st,
		/* Only evaluations with an audit entry: a row slipped in
		 * without one is never rendered (verify names it). */
		"SELECT r.run_id, max(r.evaluation_id) FROM runs r "
		"JOIN audit a ON a.evaluation_id = r.evaluation_id "
		"WHERE ?1 IS NULL OR r.run_id = ?1 GROUP BY r.run_id "
		"ORDER BY r.run_id", err)) < 0)
		return rc;
	bind_str(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory");
				goto done;
			}
			list = grown;
		}
		if ((rc = rebuild_document(s, (const char *)
					   sqlite3_column_text(st, 0),
					   sqlite3_column_int64(st, 1),
					   &list[n], err)) < 0)
			goto done;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = fg_store_db_error(s, err, "reading runs");
		goto done;
	}
	if (run_id && !n) {
		rc = fg_error_set(err, FG_ENOTFOUND, s->path, 0, 0,
				  "no recorded run `%s`", run_id);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	if (rc < 0) {
		fg_store_documents_free(list, n);
		return rc;
	}
	*docs = list;
	*count = n;
	return 0;
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
	    /* With --run, the counts are that run's. */
	    (rc = fg_store_prepare(s, &outcomes,
		"SELECT outcome, count(*) FROM findings WHERE "
		"evaluation_id = ?1 AND (?2 IS NULL OR run_id = ?2) "
		"GROUP BY outcome ORDER BY outcome", err)) < 0)
		goto done;
	bind_str(st, 1, run_id);
	bind_str(outcomes, 2, run_id);
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
		sqlite3_bind_int64(outcomes, 1, eval);
		while ((rc = sqlite3_step(outcomes)) == SQLITE_ROW)
			bad |= json_object_set_new(counts, (const char *)
				sqlite3_column_text(outcomes, 0), json_integer(
				sqlite3_column_int64(outcomes, 1)));
		sqlite3_reset(outcomes);
		if (rc != SQLITE_DONE)
			break;
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
