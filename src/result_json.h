/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the result document (include/flopgate/result.h) as jansson
 * values: how the library builds it (not public API; a program gets it as
 * JSON text). */
#ifndef FLOPGATE_RESULT_JSON_H
#define FLOPGATE_RESULT_JSON_H

#include <stddef.h>
#include <jansson.h>

#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/result.h"
#include "json_write.h"

/* Flags for json_dumps that every writer of the document uses. */
#define FG_JSON_FLAGS (JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER)
/* The byte-stable form that is hashed and stored. */
#define FG_JSON_CANONICAL \
	(JSON_REAL_PRECISION(17) | JSON_SORT_KEYS | JSON_COMPACT | \
	 JSON_ENSURE_ASCII)

/* RANGE object.  Returns a new reference, NULL when out of memory. */
json_t *fg_result_range(fg_range range);

/* Writes the RUN object: id, metadata, input hash, COMPUTE, warnings, and,
 * when findings is not NULL (check), the evaluation's warnings after the
 * estimate's and "findings".  The one maker of a run's document: every
 * form of it (the JSON output, the stored copy, the tree the other
 * renderers read) is written by these calls. */
void fg_result_write_run(fg_jw *w, const fg_run_estimate *estimate,
			 const fg_run_findings *findings);

/* A date member: "YYYY-MM-DD", or null for FG_DATE_NONE. */
void fg_result_kdate(fg_jw *w, const char *key, size_t key_len,
		     fg_date date);

/* Writes a run's "findings" member (the key and the array). */
void fg_result_write_findings(fg_jw *w, const fg_run_findings *findings);

/* RUN object without "findings": id, metadata, input hash, COMPUTE,
 * warnings.  New reference, NULL when out of memory. */
json_t *fg_result_run(const fg_run_estimate *estimate);

/* The whole `estimate --format json` document for a list of estimates. */
json_t *fg_result_estimate_document(fg_run_estimate *const *estimates,
				    size_t count, fg_date as_of);

/* ---- JSON (include/flopgate/result.h: FINDING) ------------------------ */

/* The FINDING object.  New reference, NULL when out of memory. */
json_t *fg_result_finding(const fg_finding *finding,
			  const fg_run_findings *run_findings);

/* The "findings" array of a run.  New reference. */
json_t *fg_result_findings(const fg_run_findings *run_findings);

/* The RUN object of `check` (fg_result_run() with the run's evaluation
 * warnings appended and "findings" added).  New reference. */
json_t *fg_result_check_run(const fg_run_findings *run_findings);

/* The document's "rulesets": one object per ruleset of set (id, sha256,
 * title, jurisdiction, version, source, file).  New reference, NULL when
 * out of memory. */
json_t *fg_result_rulesets(const fg_ruleset_set *set);

/* The whole `check --format json` document (result.h): as_of,
 * evaluation_id (null when evaluation_id < 0), actor (may be NULL),
 * rulesets with their hashes, runs with findings, and the gate.  New
 * reference, NULL when out of memory.  (Tests and the library's users;
 * the pipeline streams the same document run by run.) */
json_t *fg_result_check_document(fg_run_findings *const *runs, size_t count,
				 const fg_ruleset_set *set, fg_date as_of,
				 fg_fail_on fail_on, const char *actor,
				 long long evaluation_id);

#endif
