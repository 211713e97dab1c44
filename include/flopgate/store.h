/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the SQLite store and its tamper-evident audit trail.
 *
 * Every recorded `check` writes, in one transaction: the ruleset texts and
 * run inputs it used and the rulesets' static rule facts (each
 * deduplicated by SHA-256), the evaluation, one row per run holding that
 * run's RUN object (result.h), hashed as it is stored: the compact JSON
 * text the pipeline wrote the run's outputs from, keys in the document's
 * order, kept as an LZ4 frame since schema version 8 (`lz4 -d` reads it;
 * src/doc_frame.h), as the text itself before (and in jansson's
 * canonical form, sorted keys, before the pipeline), a findings row for
 * each finding a look-up or a waiver needs (src/audit.c), the waivers
 * used, and one audit entry.  The rows are
 * written as the runs come (fg_store_record_begin .. _commit), so an
 * evaluation of any size is recorded in the memory of one run.  Audit
 * entries form a hash chain, hash = SHA-256(prev_hash || entry), whose
 * canonical entry is rebuilt from the relational rows; src/audit.c
 * documents the entry byte for byte (flopgate/audit.h is its code), so an
 * outside auditor can re-implement fg_store_verify.  Triggers refuse
 * UPDATE and DELETE on every recorded table (but for the gate of the
 * evaluation being recorded, set last).
 *
 * A program records through the pipeline (fg_check_recorder in
 * flopgate/check.h) and checks a database with fg_store_verify; the
 * recording calls and the stored documents, as jansson values, are the
 * library's own (src/store_json.h).
 *
 * Errors: FG_ESTORE for a database that cannot be used (missing, not a
 * SQLite file, newer schema, read-only, I/O), FG_EINTEGRITY when
 * verification finds tampering, FG_EINPUT for a document the store cannot
 * record.  All of them leave the database as it was.
 */
#ifndef FLOPGATE_STORE_H
#define FLOPGATE_STORE_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>

#include "flopgate/audit.h"
#include "flopgate/error.h"
#include "flopgate/quantity.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version written to PRAGMA user_version. */
#define FG_STORE_SCHEMA_VERSION 8

enum {
	FG_STORE_CREATE = 1,   /* create the file and schema when missing */
	FG_STORE_READONLY = 2  /* never write (verify, log, report) */
};

/* A store handle is used by one thread at a time (its SQLite connection
 * is opened without SQLite's own mutex); threads each open their own. */
typedef struct fg_store fg_store;

/* Opens (and with FG_STORE_CREATE creates) the database at path: WAL mode,
 * foreign keys on, a busy timeout; migrates an older schema forward unless
 * FG_STORE_READONLY (a read-only store reads older schemas as they are;
 * it works for a user who cannot write the file or its directory, and on
 * read-only media, by opening the file immutable when SQLite cannot share
 * it, and refuses, FG_ESTORE, when a write-ahead log then holds changes
 * not yet in the file).
 * A missing file without FG_STORE_CREATE, a file that is not a SQLite
 * database or not flopgate's, a schema newer than this build, a read-only
 * file or directory when writing is asked for: FG_ESTORE with a message
 * naming the file, *out NULL, and nothing written.  An empty path,
 * ":memory:" and "file:" URIs are not files: FG_EUSAGE. */
FG_API int fg_store_open(fg_store **out, const char *path, int flags,
			 fg_error *err);

/* NULL-safe. */
FG_API void fg_store_free(fg_store *store);

/* The schema version of the open database (before any migration when
 * opened read-only). */
FG_API int fg_store_schema_version(const fg_store *store);

/* DESIGN.md § Deadlines: the as-of date of the first recorded evaluation
 * (lowest evaluation id) in which rule_id was `triggered` for run_id.
 * Only rows of evaluations with an audit entry count, and the entry the
 * date comes from is verified first (fg_store_verify's checks, for that
 * entry and its links).  Returns 1 and sets *out, 0 when there is none
 * (*out untouched), FG_EINTEGRITY when that entry does not verify, or
 * FG_ESTORE; err says which. */
FG_API int fg_store_first_triggered(fg_store *store, const char *run_id,
				    const char *rule_id, fg_date *out,
				    fg_error *err);

/* The earliest "known_since" date recorded for run_id x rule_id, on the
 * same terms.  Returns 1 and sets *out, 0 when none, negative on error. */
FG_API int fg_store_first_known(fg_store *store, const char *run_id,
				const char *rule_id, fg_date *out,
				fg_error *err);

typedef struct fg_verify_report {
	int64_t entries;          /* entries checked (all of them when ok) */
	char head[65];            /* hex hash of the last entry, "" if none */
	/* On FG_EINTEGRITY, the first entry that does not match (0 when the
	 * fault is not one entry's, e.g. a truncated log), its evaluation id
	 * (0 when unknown), its run ids ("a, b"), and what differs. */
	int64_t bad_seq;
	int64_t bad_evaluation_id;
	char bad_runs[512];
	char problem[1024];
	/* Set when a checkpoint was given and the log extends it. */
	int64_t checkpoint_size;
} fg_verify_report;

/* Recomputes the whole chain from the relational rows, every stored hash
 * (input texts, ruleset texts, run documents), and that the findings and
 * waiver rows say what the recorded documents say.  With checkpoint_text
 * (may be NULL) also proves the log extends that checkpoint.  Returns 0
 * with the entry count and head in *out; FG_EINTEGRITY with the first bad
 * entry in *out and err; FG_EINPUT for a malformed checkpoint; FG_ESTORE
 * when the database cannot be read. */
FG_API int fg_store_verify(fg_store *store, const char *checkpoint_text,
			   fg_verify_report *out, fg_error *err);

/* Holds one read snapshot of the database until fg_store_snapshot_end:
 * everything read in between (documents, checkpoint, verify) is of one
 * state, whatever other processes append meanwhile.  0 or FG_ESTORE. */
FG_API int fg_store_snapshot_begin(fg_store *store, fg_error *err);
FG_API void fg_store_snapshot_end(fg_store *store);

/* The current checkpoint, C2SP tlog-checkpoint body:
 *   "flopgate audit log\n<entries in decimal>\n<head hash, base64>\n"
 * (an empty log's head is 32 zero bytes).  *text_out is owned by the
 * caller (free()). */
FG_API int fg_store_checkpoint(fg_store *store, char **text_out, fg_error *err);

/* (fg_checkpoint_parse and the checkpoint format: flopgate/audit.h) */

/* Calls each(ctx, id) for every run id recorded in an evaluation with an
 * audit entry, sorted; stops when it returns a negative code, which is
 * returned.  0, or FG_ESTORE. */
FG_API int fg_store_each_run_id(fg_store *store,
				int (*each)(void *ctx, const char *run_id),
				void *ctx, fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
