/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store's recording calls and stored documents, as jansson
 * values (not public API: the pipeline's recorder, `flopgate report`,
 * `flopgate audit log` and the tests use them).  See
 * include/flopgate/store.h for the store itself. */
#ifndef FLOPGATE_STORE_JSON_H
#define FLOPGATE_STORE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "flopgate/error.h"
#include "flopgate/store.h"
#include "audit_int.h"

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
 * as canonical JSON (jansson's sorted keys), a findings row for each of
 * its findings that a look-up or a waiver needs (fg_store_finding_kept)
 * and a waivers row for each that names a waiver.  FG_EINPUT for a document the
 * store cannot record, FG_ESTORE when the database fails; on error the
 * recording can only be freed. */
int fg_store_record_run(fg_store_recording *recording, const json_t *run,
			const fg_store_text *input, fg_error *err);

/* One run as the pipeline records it: its document as text, stored and
 * hashed as given (any JSON serialization of the RUN object), and the
 * findings and waivers rows it holds, in the document's order, every
 * finding (the store sets each row's run id and positions, and keeps the
 * rows fg_store_finding_kept says; a waiver row's finding_position is the
 * caller's).  All borrowed for the call. */
typedef struct fg_store_run {
	const char *id, *input_sha256;
	const char *document;
	size_t document_length;
	const fg_audit_finding *findings;
	size_t finding_count;
	const fg_audit_waiver *waivers;
	size_t waiver_count;
} fg_store_run;

/* Whether a finding gets a findings row (schema version 7): an outcome
 * other than clear and not_applicable, or a known_since.  A finding a
 * waiver names gets one too.  The deadline look-ups ask for triggered
 * findings and known_since dates alone; every finding stays in its run's
 * document. */
int fg_store_finding_kept(const fg_audit_finding *finding);

/* fg_store_record_run for a run given as text and rows. */
int fg_store_record_run_rows(fg_store_recording *recording,
			     const fg_store_run *run,
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

/* For `audit log`: a new JSON array of entries in seq order, each
 * {"seq", "evaluation_id", "recorded_at", "as_of", "actor", "runs": [ids],
 *  "outcomes": {"triggered": n, ...}, "gate_passed", "hash"}; run_id
 * (may be NULL) keeps the entries whose evaluation included that run. */
int fg_store_log(fg_store *store, const char *run_id, json_t **entries,
		 fg_error *err);

#endif
