/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the canonical audit entries (not public API): the rows an
 * entry covers, their chunk digests, and the entries of formats 1-4, as
 * src/audit.c specifies them byte for byte.  include/flopgate/audit.h
 * has the chain hash and checkpoints. */
#ifndef FLOPGATE_AUDIT_INT_H
#define FLOPGATE_AUDIT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "flopgate/audit.h"
#include "flopgate/error.h"

/* ---- format 4: digests streamed over the rows ---------------------------- */

/* The entry format recordings write (src/audit.c specifies each). */
#define FG_AUDIT_FORMAT 4
/* Runs a chunk of a format-4 entry covers. */
#define FG_AUDIT_CHUNK_RUNS 256

/* A runs row, a findings row and a waivers row as the store keeps them
 * (a NULL string is SQL NULL; a real is NULL when its has_ flag is 0). */
typedef struct fg_audit_run {
	int64_t position;
	const char *run_id, *input_sha256, *input_file, *document_sha256;
} fg_audit_run;

typedef struct fg_audit_finding {
	int64_t run_position, position;
	const char *run_id, *rule, *ruleset, *severity, *outcome, *metric, *op;
	int has_threshold, has_value, has_headroom;
	double threshold, value, headroom;
	const char *first_due;
	int gate_fails;
	const char *known_since;
} fg_audit_finding;

typedef struct fg_audit_waiver {
	int64_t run_position, finding_position;
	const char *run_id, *rule, *reason, *approved_by, *expires;
} fg_audit_waiver;

/* The chunk digests of one entry, fed the rows in order: each run, then
 * its findings, then its waivers; runs by position.  A chunk is closed
 * when a run opens the next one.  Every call returns 0 or FG_ENOMEM. */
typedef struct fg_audit_chunks fg_audit_chunks;
fg_audit_chunks *fg_audit_chunks_new(void);          /* NULL: no memory */
int fg_audit_chunks_run(fg_audit_chunks *chunks, const fg_audit_run *run);
int fg_audit_chunks_finding(fg_audit_chunks *chunks,
			    const fg_audit_finding *finding);
int fg_audit_chunks_waiver(fg_audit_chunks *chunks,
			   const fg_audit_waiver *waiver);
/* Closes the last chunk; after it, no more rows. */
int fg_audit_chunks_end(fg_audit_chunks *chunks);
/* Chunks closed so far, and the hex digest of chunk i (0-based). */
size_t fg_audit_chunks_count(const fg_audit_chunks *chunks);
const char *fg_audit_chunks_hex(const fg_audit_chunks *chunks, size_t i);
/* Rows fed so far. */
void fg_audit_chunks_rows(const fg_audit_chunks *chunks, int64_t *runs,
			  int64_t *findings, int64_t *waivers);
void fg_audit_chunks_free(fg_audit_chunks *chunks);  /* NULL-safe */

/* What a format-4 entry says besides its rows. */
typedef struct fg_audit_header {
	int64_t seq, evaluation_id;
	const char *as_of, *actor, *tool_version, *recorded_at, *fail_on;
	int gate_passed;
	int64_t gate_failures;
	/* [{"position", "id", "sha256", "file", "title", "jurisdiction",
	 *   "version", "source", "facts_sha256"}] by position; borrowed */
	const json_t *rulesets;
} fg_audit_header;

/* The format-4 entry E[n] (src/audit.c): the header, the row counts and
 * the chunk digests as canonical JSON.  *text owned (free()).  0 or
 * FG_ENOMEM. */
int fg_audit_entry4(char **text, const fg_audit_header *header,
		    const fg_audit_chunks *chunks);

/* The findings row (run_id, its position...) a RUN document's finding
 * describes: rule, outcome, metric, op, the three figures, the earliest
 * obligation due date, gate_fails, known_since from the finding; ruleset
 * and severity from the finding when it carries them (documents of
 * formats 1-3), else from its rule's static facts `rule_facts` (the
 * rules[] entry of its ruleset, flopgate/result.h; may be NULL).  Strings
 * are borrowed from the JSON. */
void fg_audit_finding_of_json(fg_audit_finding *out, const json_t *finding,
			      const json_t *rule_facts, const char *ruleset,
			      const char *run_id, int64_t run_position,
			      int64_t position);

/* The waivers row of a finding that names a waiver (used, or expired):
 * 1 with *out filled, 0 when it names none. */
int fg_audit_waiver_of_json(fg_audit_waiver *out, const json_t *finding,
			    const char *run_id, int64_t run_position,
			    int64_t finding_position);

/* ---- formats 1-3 ----------------------------------------------------------- */

/* The canonical finding entry (formats 1-3, see src/audit.c) that a RUN
 * document's finding describes, for run_id, in entry format `format`.
 * New reference, NULL when out of memory. */
json_t *fg_audit_finding_of_document(const char *run_id, json_t *finding,
				     int format);

/* The waiver entry for a finding that used one, NULL when it used none
 * (*failed set when out of memory). */
json_t *fg_audit_waiver_of_document(const char *run_id, json_t *finding,
				    int *failed);

#endif
