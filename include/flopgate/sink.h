/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — sinks: where the pipeline (flopgate/check.h) hands each run's
 * result, one run at a time, as curl hands each chunk to its write
 * callback.  The renderers (flopgate/render.h), the recorder
 * (flopgate/check.h) and progress are sinks; so can a program's own code
 * be (fg_sink_new_callbacks).
 *
 * The pipeline calls, for every sink in the order given:
 *
 *   begin    once, when the first run has been evaluated, before it is
 *            handed out (or before `end` when there is no run); a sink
 *            may fill in what it knows (the recorder, first in the list,
 *            sets the evaluation id, so every output after it prints the
 *            id);
 *   run      once a run, in input order; the result is borrowed and
 *            freed when the call returns;
 *   end      once, after the last run, with the gate: finish the content
 *            (totals, trailers) but publish nothing yet;
 *   commit   once every sink's `end` succeeded: publish (the recorder
 *            commits its transaction first; then outputs appear);
 *   abort    instead of commit, when anything failed before it: discard
 *            everything; `why` is the error that stopped the pipeline.
 *
 * So bad input anywhere in a stream is found before anything is printed or
 * recorded, in memory that does not grow with the stream: outputs are
 * spooled to temporary files (flopgate/output.h), and the recording is one
 * transaction committed last.
 */
#ifndef FLOPGATE_SINK_H
#define FLOPGATE_SINK_H

#include "flopgate/export.h"

#include <stddef.h>

#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the pipeline knows at the end. */
typedef struct fg_check_summary {
	size_t runs;
	size_t gate_failures;
	int gate_passed;
	long long evaluation_id;    /* -1 when nothing was recorded */
	int recorded;               /* 1 once the recording is committed */
} fg_check_summary;

typedef struct fg_sink fg_sink;

/* NULL-safe; aborts the sink first unless it was committed. */
FG_API void fg_sink_free(fg_sink *sink);

/* Aborts a sink that has not committed, with the error that stopped the
 * work (why may be NULL): an output discards what it holds, a SARIF sink
 * with an error log publishes that error.  fg_check aborts its sinks
 * itself; this is for a program that gives up before calling it (its
 * rules did not load).  NULL-safe, and once only. */
FG_API void fg_sink_abort(fg_sink *sink, const fg_error *why);

/* ---- a program's own sink ------------------------------------------------ */

/* What a sink learns before the first run.  Borrowed for the call. */
typedef struct fg_sink_start {
	int evaluate;               /* 0: estimates only (estimate) */
	fg_date as_of;
	fg_fail_on fail_on;
	const char *actor;          /* may be NULL */
	long long evaluation_id;    /* -1 unless a recorder came first */
	unsigned long long total_bytes; /* of the input, 0 when not known */
	/* The document's head as a JSON object (flopgate/result.h: every
	 * field before "runs": "flopgate", "as_of", "evaluation_id",
	 * "actor", "rulesets" with each rule's static facts). */
	const char *head_json;
} fg_sink_start;

/* One run's result.  Borrowed for the call. */
typedef struct fg_run_result {
	size_t index;               /* 0 for the first run */
	const fg_run *run;
	const fg_run_estimate *estimate;
	const fg_run_findings *findings; /* NULL for estimates */
	/* The RUN object (flopgate/result.h) as JSON text, compact */
	const char *json;
	size_t json_length;
	unsigned long long bytes_read; /* of the input so far */
} fg_run_result;

/* The calls a program's sink receives, in the order of the pipeline (see
 * the top of this file).  Any may be NULL.  Each returns 0, or a negative
 * FG_E* code with err filled, which stops the pipeline. */
typedef struct fg_sink_callbacks {
	int (*begin)(void *self, const fg_sink_start *start, fg_error *err);
	int (*run)(void *self, const fg_run_result *result,
		   fg_error *err);
	int (*end)(void *self, const fg_check_summary *summary,
		   fg_error *err);
	int (*commit)(void *self, fg_error *err);
	void (*abort)(void *self, const fg_error *why);
	void (*free)(void *self);       /* with the sink */
} fg_sink_callbacks;

/* A sink calling callbacks (borrowed: it must outlive the sink) with
 * self.  NULL when out of memory (callbacks->free(self) was then
 * called). */
FG_API fg_sink *fg_sink_new_callbacks(const fg_sink_callbacks *callbacks,
				      void *self);

#ifdef __cplusplus
}
#endif

#endif
