/* flopgate — sinks: where the pipeline (flopgate/check.h) hands each run's
 * result, one run at a time, as curl hands each chunk to its write
 * callback.  The renderers (flopgate/render.h), the recorder
 * (flopgate/store.h) and progress are sinks; so can a program's own code
 * be (fg_sink_new).
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

#include <stddef.h>
#include <jansson.h>

#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What every sink learns before the first run. */
typedef struct fg_check_info {
	int evaluate;               /* 0: estimates only (estimate) */
	const fg_ruleset_set *set;  /* the rules; NULL for estimates */
	/* The document's head (flopgate/result.h): "flopgate", "as_of",
	 * "evaluation_id", "actor", "rulesets" with each rule's static facts.
	 * Borrowed; the recorder's begin sets evaluation_id in it. */
	json_t *head;
	fg_date as_of;
	fg_fail_on fail_on;
	const char *actor;          /* may be NULL */
	long long evaluation_id;    /* -1 until a recorder sets it */
	unsigned long long total_bytes; /* of the input, 0 when not known */
} fg_check_info;

/* One run's result.  Everything is borrowed for the call. */
typedef struct fg_check_result {
	size_t index;               /* 0 for the first run */
	const fg_run *run;
	const fg_run_estimate *estimate;
	const fg_run_findings *findings; /* NULL for estimates */
	const json_t *document;     /* the RUN object (flopgate/result.h) */
	unsigned long long bytes_read; /* of the input so far */
} fg_check_result;

/* What the pipeline knows at the end. */
typedef struct fg_check_summary {
	size_t runs;
	size_t gate_failures;
	int gate_passed;
	long long evaluation_id;    /* -1 when nothing was recorded */
	int recorded;               /* 1 once the recording is committed */
} fg_check_summary;

typedef struct fg_sink_ops {
	int (*begin)(void *self, fg_check_info *info, fg_error *err);
	int (*run)(void *self, const fg_check_info *info,
		   const fg_check_result *result, fg_error *err);
	int (*end)(void *self, const fg_check_info *info,
		   const fg_check_summary *summary, fg_error *err);
	int (*commit)(void *self, fg_error *err);
	void (*abort)(void *self, const fg_error *why);
	void (*free)(void *self);
	int records;        /* 1 for the recorder: committed before the
			     * outputs */
} fg_sink_ops;

typedef struct fg_sink fg_sink;

/* A sink over ops (any may be NULL: nothing to do) and self, which
 * ops->free releases with the sink.  NULL when out of memory (self is
 * then freed). */
fg_sink *fg_sink_new(const fg_sink_ops *ops, void *self);

/* NULL-safe; aborts the sink first unless it was committed. */
void fg_sink_free(fg_sink *sink);

/* For the pipeline; each returns 0 or a negative FG_E* code in err. */
int fg_sink_begin(fg_sink *sink, fg_check_info *info, fg_error *err);
int fg_sink_run(fg_sink *sink, const fg_check_info *info,
		const fg_check_result *result, fg_error *err);
int fg_sink_end(fg_sink *sink, const fg_check_info *info,
		const fg_check_summary *summary, fg_error *err);
int fg_sink_commit(fg_sink *sink, fg_error *err);
int fg_sink_records(const fg_sink *sink);
void fg_sink_abort(fg_sink *sink, const fg_error *why);

#ifdef __cplusplus
}
#endif

#endif
