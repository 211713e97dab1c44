/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — store internals shared by src/store_*.c (not public API). */
#ifndef FLOPGATE_STORE_INT_H
#define FLOPGATE_STORE_INT_H

#include <sqlite3.h>
#include <jansson.h>

#include "audit_int.h"
#include "flopgate/store.h"
#include "store_json.h"

#define FG_STORE_CACHE 16

struct fg_store {
	sqlite3 *db;
	char *path;
	int version;   /* schema version after open (and migration) */
	int readonly;
	/* What a decision verified on this handle: (evaluation, chunk)
	 * pairs (chunk -1: the entry's header and links; for formats 1-3
	 * the whole entry).  A deadline look-up per run and rule must not
	 * re-verify the same entry each time.  Recorded entries never
	 * change but by tampering, which the next full verify catches. */
	struct fg_verified {
		int64_t evaluation_id, chunk;
	} *verified;
	size_t verified_count, verified_cap;
	/* Statements prepared once per handle (fg_store_prepare_cached):
	 * the look-ups a gate repeats for each deadline and each decision
	 * it verifies, and `audit verify` for each entry.  busy: handed
	 * out and not yet released. */
	struct fg_cached_stmt {
		const char *sql;
		sqlite3_stmt *st;
		int busy;
	} cache[FG_STORE_CACHE];
	size_t cache_count;
};

/* The canonical entry format an audit row was written in: 1 for rows of
 * schema version 1, 2 for version 2, 3 for version 3, FG_AUDIT_FORMAT
 * (flopgate/audit.h) since. */

/* A long recording sets aside the BEFORE INSERT triggers of the tables it
 * fills run by run, inside its own write transaction, and puts them back,
 * as created, before it commits (store_record.c says why).  Only a
 * trigger exactly as created is set aside: one missing or changed stays
 * as it is.  *dropped: a mask for fg_store_row_triggers_restore. */
int fg_store_row_triggers_drop(fg_store *s, unsigned *dropped, fg_error *err);
int fg_store_row_triggers_restore(fg_store *s, unsigned dropped,
				  fg_error *err);

/* The name of the VFS a store is opened with (store_vfs.c: SQLite's
 * own, its large writes kept out of the page cache), registered on the
 * first call; NULL (the default VFS) when it cannot be. */
const char *fg_store_vfs(void);

/* Checks that the schema holds flopgate's tables, indexes and triggers
 * only, each trigger as created, none missing.  0 with problem[0] == 0
 * when it does, 0 with the problem in `problem` when it does not, or
 * FG_ESTORE. */
int fg_store_check_schema(fg_store *s, char *problem, size_t size,
			  fg_error *err);

/* Sets err from the connection's last error: FG_ESTORE, "FILE: what: ...".
 * Returns FG_ESTORE. */
int fg_store_db_error(fg_store *s, fg_error *err, const char *what);

/* The SQL of a runs row's stored document, r being the runs table: its
 * LZ4 frame from schema version 8 (doc_frame.h), else its text. */
#define FG_STORE_DOCUMENT_V8 "coalesce(r.document_lz4, r.document)"

/* The JSON text of the stored document in column col of st (selected as
 * FG_STORE_DOCUMENT_V8, or the text before version 8): a frame is
 * unpacked into *owned, which the caller frees; a text is pointed at, and
 * *owned is NULL.  0; -1 when a frame does not unpack; -2 out of memory. */
int fg_store_document_text(sqlite3_stmt *st, int col, const char **text,
			   size_t *len, char **owned);

/* Prepares sql on s; FG_ESTORE with the message on failure. */
int fg_store_prepare(fg_store *s, sqlite3_stmt **out, const char *sql,
		     fg_error *err);

/* fg_store_prepare of a statement kept for the handle's life, found by
 * the address and the text of sql (meant for literals): the first call
 * prepares it, later ones hand out the same statement, reset.  Given
 * back by fg_store_release, never sqlite3_finalize.  A statement asked
 * for again before it is given back is prepared anew (and finalized on
 * release); so is any beyond the FG_STORE_CACHE kept. */
int fg_store_prepare_cached(fg_store *s, sqlite3_stmt **out, const char *sql,
			    fg_error *err);

/* Gives back a statement of fg_store_prepare_cached (reset, its bindings
 * cleared) or finalizes any other; NULL is ignored. */
void fg_store_release(fg_store *s, sqlite3_stmt *st);

/* Builds the canonical entry text of evaluation_id at seq, in `format`,
 * from the relational rows.  *text_out owned by the caller (free()). */
int fg_audit_entry_text(fg_store *s, int64_t seq, int64_t evaluation_id,
			int format, char **text_out, fg_error *err);

/* Verifies the one audit entry of evaluation_id: its links to the
 * entries around it, its texts, documents and rows, and its hash (for a
 * format-4 entry, only the chunk holding run_position when it is > 0, or
 * no chunk when it is -1; *format, when not NULL, is the entry's format).
 * 0 when it holds; FG_EINTEGRITY naming the
 * entry when it does not (or when the evaluation has no entry);
 * FG_ESTORE when the database cannot be read.  Inside the caller's
 * transaction, or in a read transaction of its own. */
int fg_audit_verify_one(fg_store *s, int64_t evaluation_id,
			int64_t run_position, int *format, fg_error *err);

/* What a decision reads of an evaluation, verified (once per handle):
 * the entry's links to its neighbours, its hash, its evaluation row, and
 * the chunk holding the run at run_position (0: no run) -- for an entry
 * of formats 1-3, the whole entry.  0, FG_EINTEGRITY naming the entry,
 * or FG_ESTORE. */
int fg_store_verify_decision(fg_store *s, int64_t evaluation_id,
			     int64_t run_position, fg_error *err);

/* Runs sql ("BEGIN IMMEDIATE" or "COMMIT"), retrying while another
 * connection holds the lock past the busy timeout. */
int fg_store_exec_retry(fg_store *s, const char *sql, fg_error *err);

/* Binds a string, or NULL for a NULL pointer (SQLITE_TRANSIENT). */
void fg_store_bind_str(sqlite3_stmt *st, int i, const char *v);

#endif
