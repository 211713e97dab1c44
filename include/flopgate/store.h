/* flopgate — the SQLite store and its tamper-evident audit trail.
 *
 * Every recorded `check` writes, in one transaction: the ruleset texts and
 * run inputs it used and the rulesets' static rule facts (each
 * deduplicated by SHA-256), the evaluation, one row per run holding that
 * run's RUN object (result.h) verbatim as canonical JSON, one row per run
 * x rule finding, the waivers used, and one audit entry.  The rows are
 * written as the runs come (fg_store_record_begin .. _commit), so an
 * evaluation of any size is recorded in the memory of one run.  Audit
 * entries form a hash chain, hash = SHA-256(prev_hash || entry), whose
 * canonical entry is rebuilt from the relational rows; src/audit.c
 * documents the entry byte for byte (flopgate/audit.h is its code), so an
 * outside auditor can re-implement fg_store_verify.  Triggers refuse
 * UPDATE and DELETE on every recorded table (but for the gate of the
 * evaluation being recorded, set last).
 *
 * Errors: FG_ESTORE for a database that cannot be used (missing, not a
 * SQLite file, newer schema, read-only, I/O), FG_EINTEGRITY when
 * verification finds tampering, FG_EINPUT for a document the store cannot
 * record.  All of them leave the database as it was.
 */
#ifndef FLOPGATE_STORE_H
#define FLOPGATE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "flopgate/audit.h"
#include "flopgate/error.h"
#include "flopgate/quantity.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version written to PRAGMA user_version. */
#define FG_STORE_SCHEMA_VERSION 4

enum {
	FG_STORE_CREATE = 1,   /* create the file and schema when missing */
	FG_STORE_READONLY = 2  /* never write (verify, log, report) */
};

/* A store handle is used by one thread at a time (its SQLite connection
 * is opened without SQLite's own mutex); threads each open their own. */
typedef struct fg_store fg_store;

/* One recorded text: a ruleset (id = ruleset id) or a run input (id = run
 * id).  sha256 is the lower-case hex SHA-256 of text[0..length); it may be
 * NULL, in which case the store computes it.  All borrowed. */
typedef struct fg_store_text {
	const char *id;
	const char *sha256;
	const char *file;
	const char *text;
	size_t length;
} fg_store_text;

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
int fg_store_open(fg_store **out, const char *path, int flags,
		  fg_error *err);

/* NULL-safe. */
void fg_store_free(fg_store *store);

/* The schema version of the open database (before any migration when
 * opened read-only). */
int fg_store_schema_version(const fg_store *store);

/* ---- recording, run by run ----------------------------------------------- */

typedef struct fg_store_recording fg_store_recording;

/* What an evaluation is, apart from its runs.  All borrowed. */
typedef struct fg_store_evaluation {
	const char *as_of;          /* YYYY-MM-DD */
	const char *actor;          /* may be NULL */
	const char *fail_on;        /* "triggered" | "near" | "never" */
	/* The document's "rulesets" (result.h): id, sha256, title,
	 * jurisdiction, version, source, file and, when present, "rules"
	 * with each rule's static facts; what it holds but "file" is kept
	 * once per distinct value in rule_facts. */
	const json_t *rulesets;
	/* Their texts, matched by hash (by id when a text has no hash). */
	const fg_store_text *texts;
	size_t text_count;
} fg_store_evaluation;

/* Begins recording an evaluation: takes the write lock (retrying while
 * another process holds it), checks the head of the chain it will extend
 * (its links, hash and evaluation row: FG_EINTEGRITY when they do not
 * hold), writes the evaluation, its rulesets and texts.  The evaluation id
 * is fg_store_recording_id().  The recording is one transaction, until
 * fg_store_record_commit; nothing of it is visible to others before.
 * The recording time is now, UTC, or SOURCE_DATE_EPOCH (seconds) when the
 * environment sets it: for reproducible demos only, an audit trail wants
 * the real time (a value that is not a count of seconds: FG_EUSAGE).  On error *out is NULL and nothing was written. */
int fg_store_record_begin(fg_store_recording **out, fg_store *store,
			  const fg_store_evaluation *evaluation,
			  fg_error *err);
int64_t fg_store_recording_id(const fg_store_recording *recording);

/* Records one run: its input text (input->text; the hash is computed and
 * must equal the document's "input_sha256"), its RUN object (result.h)
 * as canonical JSON, a findings row for each of its findings and a
 * waivers row for each that names a waiver.  FG_EINPUT for a document the
 * store cannot record, FG_ESTORE when the database fails; on error the
 * recording can only be freed. */
int fg_store_record_run(fg_store_recording *recording, const json_t *run,
			const fg_store_text *input, fg_error *err);

/* Sets the evaluation's gate and appends its audit entry (format 4).
 * The transaction stays open. */
int fg_store_record_finish(fg_store_recording *recording, int gate_passed,
			   int64_t gate_failures, fg_error *err);

/* Commits: the evaluation is recorded.  Retries while another process
 * holds the lock.  On error nothing of it remains.
 *
 * Test hook: when $FLOPGATE_TEST_PAUSE_IN_TRANSACTION names a path, the
 * call creates that file before COMMIT, then sleeps 30 s, so a test can
 * kill the process mid-transaction. */
int fg_store_record_commit(fg_store_recording *recording, fg_error *err);

/* Frees; a recording not committed is rolled back.  NULL-safe. */
void fg_store_recording_free(fg_store_recording *recording);

/* Records one `check` document (result.h; its "runs" each with
 * "input_sha256" and "findings") with the texts of the rulesets it names
 * and one input text per run (matched by run id, else by hash), in one
 * transaction with one audit entry.  Retries while another process holds
 * the write lock.  On success sets doc's "evaluation_id" and
 * *evaluation_id (may be NULL).  On error nothing of the evaluation
 * remains, doc is untouched; FG_EINPUT when the document or a text is
 * inconsistent (a text whose hash differs, a run whose input is missing),
 * FG_ESTORE when the database fails.  (The whole-document form of the
 * calls above, for tests and for documents built outside the pipeline.) */
int fg_store_record(fg_store *store, json_t *doc,
		    const fg_store_text *rulesets, size_t nrulesets,
		    const fg_store_text *inputs, size_t ninputs,
		    int64_t *evaluation_id, fg_error *err);

/* DESIGN.md § Deadlines: the as-of date of the first recorded evaluation
 * (lowest evaluation id) in which rule_id was `triggered` for run_id.
 * Only rows of evaluations with an audit entry count, and the entry the
 * date comes from is verified first (fg_store_verify's checks, for that
 * entry and its links).  Returns 1 and sets *out, 0 when there is none
 * (*out untouched), FG_EINTEGRITY when that entry does not verify, or
 * FG_ESTORE; err says which. */
int fg_store_first_triggered(fg_store *store, const char *run_id,
			     const char *rule_id, fg_date *out,
			     fg_error *err);

/* The earliest "known_since" date recorded for run_id x rule_id, on the
 * same terms.  Returns 1 and sets *out, 0 when none, negative on error. */
int fg_store_first_known(fg_store *store, const char *run_id,
			 const char *rule_id, fg_date *out, fg_error *err);

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
int fg_store_verify(fg_store *store, const char *checkpoint_text,
		    fg_verify_report *out, fg_error *err);

/* Holds one read snapshot of the database until fg_store_snapshot_end:
 * everything read in between (documents, checkpoint, verify) is of one
 * state, whatever other processes append meanwhile.  0 or FG_ESTORE. */
int fg_store_snapshot_begin(fg_store *store, fg_error *err);
void fg_store_snapshot_end(fg_store *store);

/* The current checkpoint, C2SP tlog-checkpoint body:
 *   "flopgate audit log\n<entries in decimal>\n<head hash, base64>\n"
 * (an empty log's head is 32 zero bytes).  *text_out is owned by the
 * caller (free()). */
int fg_store_checkpoint(fg_store *store, char **text_out, fg_error *err);

/* (fg_checkpoint_parse and the checkpoint format: flopgate/audit.h) */

/* For reports: one check document (result.h: flopgate, as_of,
 * evaluation_id, actor, rulesets, runs: [that run's stored RUN object],
 * gate) per run id, rebuilt from the latest evaluation that included it,
 * plus "recorded_at" and "audit": {"seq", "hash"} of that evaluation's
 * entry.  run_id NULL = every run id, sorted by id.  The stored document's
 * hash is checked on the way (FG_EINTEGRITY when it differs); a run id
 * never recorded gives FG_ENOTFOUND.  *docs is an array of *count new
 * references; free with fg_store_documents_free. */
int fg_store_latest_documents(fg_store *store, const char *run_id,
			      json_t ***docs, size_t *count, fg_error *err);
void fg_store_documents_free(json_t **docs, size_t count);

/* The same one document at a time, for reports of any size: one ordered
 * pass over the runs' index, each run's document read when it comes, the
 * evaluation around it built once for its runs.  fg_store_docs_open
 * fails with FG_ENOTFOUND for a run id never recorded; fg_store_docs_next
 * returns 1 with *doc (a new reference), 0 at the end, or a negative code
 * (FG_EINTEGRITY for a document that does not match its hash). */
typedef struct fg_store_docs fg_store_docs;
int fg_store_docs_open(fg_store_docs **out, fg_store *store,
		       const char *run_id, fg_error *err);
int fg_store_docs_next(fg_store_docs *docs, json_t **doc, fg_error *err);
void fg_store_docs_free(fg_store_docs *docs);     /* NULL-safe */

/* Calls each(ctx, id) for every run id recorded in an evaluation with an
 * audit entry, sorted; stops when it returns a negative code, which is
 * returned.  0, or FG_ESTORE. */
int fg_store_each_run_id(fg_store *store,
			 int (*each)(void *ctx, const char *run_id),
			 void *ctx, fg_error *err);

/* For `audit log`: a new JSON array of entries in seq order, each
 * {"seq", "evaluation_id", "recorded_at", "as_of", "actor", "runs": [ids],
 *  "outcomes": {"triggered": n, ...}, "gate_passed", "hash"}; run_id
 * (may be NULL) keeps the entries whose evaluation included that run. */
int fg_store_log(fg_store *store, const char *run_id, json_t **entries,
		 fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
