/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — lines sorted by keys (see src/sorter.h).
 *
 * A private temporary SQLite database (an empty file name) holds the
 * lines; SQLite sorts them with its external merge sort, in a bounded
 * page cache, so a summary of any number of runs sorts its deadlines in
 * flat memory. */
#include "sorter.h"

#include <sqlite3.h>
#include <stdlib.h>

struct fg_sorter {
	sqlite3 *db;
	sqlite3_stmt *insert;
	size_t count;
};

static int db_error(fg_sorter *s, fg_error *err)
{
	return fg_error_set(err, FG_ESTORE, NULL, 0, 0, "the temporary sort "
			    "failed: %s", s->db ? sqlite3_errmsg(s->db)
						: "out of memory");
}

int fg_sorter_new(fg_sorter **out, fg_error *err)
{
	fg_sorter *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if (sqlite3_open_v2("", &s->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "PRAGMA journal_mode = OFF; PRAGMA "
			 "synchronous = OFF; PRAGMA cache_size = -256; "
			 "CREATE TABLE lines (k1 TEXT, k2 TEXT, k3 TEXT, "
			 "k4 TEXT, line BLOB)", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO lines VALUES (?, ?, ?, "
			       "?, ?)", -1, &s->insert, NULL) != SQLITE_OK) {
		rc = db_error(s, err);
		fg_sorter_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int fg_sorter_add(fg_sorter *s, const char *const keys[4], const char *line,
		  size_t length, fg_error *err)
{
	int i, rc;

	for (i = 0; i < 4; i++)
		if (keys[i])
			sqlite3_bind_text(s->insert, i + 1, keys[i], -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(s->insert, i + 1);
	sqlite3_bind_blob(s->insert, 5, line, (int)length, SQLITE_STATIC);
	rc = sqlite3_step(s->insert);
	sqlite3_reset(s->insert);
	if (rc != SQLITE_DONE)
		return db_error(s, err);
	s->count++;
	return 0;
}

int fg_sorter_each(fg_sorter *s,
		   int (*each)(void *ctx, const char *line, size_t length),
		   void *ctx, fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* rowid last: equal keys keep the order they came in */
	if (sqlite3_prepare_v2(s->db, "SELECT line FROM lines ORDER BY k1, "
			       "k2, k3, k4, rowid", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = each(ctx, sqlite3_column_blob(st, 0),
			       (size_t)sqlite3_column_bytes(st, 0))) < 0)
			break;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : db_error(s, err);
}

size_t fg_sorter_count(const fg_sorter *s)
{
	return s ? s->count : 0;
}

void fg_sorter_free(fg_sorter *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->insert);
	sqlite3_close(s->db);
	free(s);
}
