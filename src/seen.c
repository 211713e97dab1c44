/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the run ids a pipeline has met (see src/seen.h).
 *
 * Kept in a private temporary SQLite database (an empty file name: SQLite
 * makes a file that no one else can open and removes it on close), whose
 * page cache is bounded: a stream of any length is checked for duplicate
 * ids exactly, in memory that does not grow with it. */
#include "seen.h"

#include <sqlite3.h>
#include <stdlib.h>

struct fg_seen {
	sqlite3 *db;
	sqlite3_stmt *insert, *find;
};

static int db_error(fg_seen *s, fg_error *err)
{
	return fg_error_set(err, FG_ESTORE, NULL, 0, 0, "the temporary list "
			    "of run ids failed: %s", s->db ? sqlite3_errmsg(
				    s->db) : "out of memory");
}

int fg_seen_new(fg_seen **out, fg_error *err)
{
	fg_seen *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if (sqlite3_open_v2("", &s->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    /* nothing here needs to survive a crash */
	    sqlite3_exec(s->db, "PRAGMA journal_mode = OFF; PRAGMA "
			 "synchronous = OFF; PRAGMA cache_size = -256; "
			 "CREATE TABLE seen (id TEXT PRIMARY KEY, source "
			 "INTEGER, line INTEGER) WITHOUT ROWID; "
			 /* one transaction for the whole list: a commit a
			  * run cost twice the insert */
			 "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO seen VALUES (?, ?, ?) "
			       "ON CONFLICT (id) DO NOTHING", -1, &s->insert,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT source, line FROM seen WHERE "
			       "id = ?", -1, &s->find, NULL) != SQLITE_OK) {
		rc = db_error(s, err);
		fg_seen_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int fg_seen_add(fg_seen *s, const char *id, size_t source, int line,
		size_t *first_source, int *first_line, fg_error *err)
{
	int rc;

	sqlite3_bind_text(s->insert, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->insert, 2, (sqlite3_int64)source);
	sqlite3_bind_int(s->insert, 3, line);
	rc = sqlite3_step(s->insert);
	sqlite3_reset(s->insert);
	if (rc != SQLITE_DONE)
		return db_error(s, err);
	if (sqlite3_changes(s->db) == 1)
		return 0;
	sqlite3_bind_text(s->find, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->find);
	if (rc == SQLITE_ROW) {
		*first_source = (size_t)sqlite3_column_int64(s->find, 0);
		*first_line = sqlite3_column_int(s->find, 1);
	}
	sqlite3_reset(s->find);
	return rc == SQLITE_ROW ? 1 : db_error(s, err);
}

void fg_seen_free(fg_seen *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->find);
	/* ended, not left to close: without a journal, SQLite cannot roll
	 * a transaction back */
	if (s->db && sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s);
}
