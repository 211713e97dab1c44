/* flopgate — renderers: the result document (result.h) as Markdown
 * compliance reports, JUnit XML and SARIF 2.1.0.
 *
 * Every renderer reads only the JSON result document: never the YAML, never
 * the store.  A report therefore says exactly what was recorded.  Output is
 * deterministic: the same document (and provenance, and fg_ci_options)
 * gives the same bytes, with no timestamps but those they carry.
 *
 * All functions return 0, FG_EINPUT when the document does not have the
 * shape result.h fixes (err names the offending field), FG_ENOMEM, or
 * FG_EIO when writing to `out` failed.  On error part of the output may
 * already have been written.  The document is never modified.
 */
#ifndef FLOPGATE_RENDER_H
#define FLOPGATE_RENDER_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "flopgate/error.h"
#include "flopgate/output.h"
#include "flopgate/sink.h"

/* ---- sinks: the outputs of the pipeline (flopgate/check.h) -------------
 *
 * Each writes to its output (taken over; freed with the sink) one run at a
 * time, and publishes it on commit.  NULL when out of memory (the output
 * is then freed).  What must come first but is known only at the end (the
 * gate verdict of Markdown, the totals of JUnit, the rules of SARIF) is
 * written last, the runs kept in a spool meanwhile. */

/* The result document as JSON (flopgate/result.h): `check --format json`,
 * or `estimate --format json` when the pipeline only estimates. */
fg_sink *fg_render_json_sink(fg_output *out);
/* `check`'s text: a verdict line per run, what matters of its findings
 * (every finding, with the comparison that decided it, when explain),
 * warnings, the gate. */
fg_sink *fg_render_text_sink(fg_output *out, int explain);
/* `estimate`'s text: per phase and method, ranges, time, energy, cost. */
fg_sink *fg_render_estimate_text_sink(fg_output *out);
fg_sink *fg_render_markdown_sink(fg_output *out);
fg_sink *fg_render_junit_sink(fg_output *out);
/* With error_log, a pipeline that fails still publishes a SARIF log
 * whose invocation carries the error and its location
 * (toolExecutionNotifications), so code scanning shows why. */
fg_sink *fg_render_sarif_sink(fg_output *out, int error_log);

/* What a CI run tells the SARIF and JUnit sinks beyond the document
 * (strings borrowed: they must outlive the sink).  A NULL options
 * pointer, or a zeroed struct, means: no source root, the default
 * category, not-applicable findings left out, no clock. */
typedef struct fg_ci_options {
	/* SARIF: the absolute directory %SRCROOT% stands for (the current
	 * directory); files under it are located relative to it.  NULL:
	 * relative paths stay relative, and no originalUriBaseIds. */
	const char *srcroot;
	/* SARIF: automationDetails.id is CATEGORY/AS-OF; NULL:
	 * "flopgate/check". */
	const char *category;
	/* JUnit: 1 lists not-applicable findings as <skipped> testcases;
	 * 0 leaves them out (counted in a property of their suite). */
	int junit_skipped;
	/* JUnit: with stamped, each suite's timestamp is when its run's turn
	 * came, counted from started (seconds since 1970, UTC: when the
	 * evaluation began).  With timed, each suite takes the time from the
	 * previous run's result (the first: from when the sink was made) to
	 * its own (monotonic clock); without, every
	 * time is 0 and every timestamp is started (SOURCE_DATE_EPOCH:
	 * reproducible output). */
	int stamped;
	long long started;
	int timed;
} fg_ci_options;

fg_sink *fg_render_junit_sink_with(fg_output *out, const fg_ci_options *opt);
fg_sink *fg_render_sarif_sink_with(fg_output *out, int error_log,
				   const fg_ci_options *opt);
/* `headroom`: per run, the FLOP (and tokens) left before each compute
 * line in force where it is placed (only rule_id's when not NULL), as
 * text or as its JSON document (flopgate/result.h). */
fg_sink *fg_render_headroom_sink(fg_output *out, const char *rule_id,
				 int json);

#ifdef __cplusplus
extern "C" {
#endif

/* What the store knows about the evaluation a report is rendered from;
 * everything is borrowed.  Any pointer may be NULL (not known). */
typedef struct fg_report_provenance {
	long long evaluation_id;    /* <= 0 when not known */
	const char *checkpoint;     /* C2SP-style text: origin, count, base64 head */
	int verified;               /* 1 audit verify passed at render time,
				       0 failed, -1 not checked */
	const char *verify_message;
	const char *recorded_at;
} fg_report_provenance;

/* JUnit XML: one <testsuite> per run, one <testcase> per run x rule
 * (classname = run id, name = rule id); <failure> for findings with
 * "gate_fails": true, <skipped> for not_applicable. */
int fg_render_junit(FILE *out, const json_t *doc, fg_error *err);

/* SARIF 2.1.0, one result per triggered, near, waived (suppressed) or
 * indeterminate finding, located at the run's "file" and "line". */
int fg_render_sarif(FILE *out, const json_t *doc, fg_error *err);

/* `check --format markdown`: every run of the document, one after another,
 * with the gate verdict first. */
int fg_render_markdown_check(FILE *out, const json_t *doc, fg_error *err);

/* The per-run compliance report for runs[run_index] (layout documented at
 * the top of src/render_markdown.c).  prov may be NULL. */
int fg_render_markdown_run(FILE *out, const json_t *doc, size_t run_index,
			   const fg_report_provenance *prov, fg_error *err);

/* The auditor summary across runs: docs are the latest evaluation document
 * of each run (a document may hold several runs).  Each run id links to
 * the file name fg_report_filename() gives it.  prov may be NULL. */
int fg_render_markdown_summary(FILE *out, json_t *const *docs, size_t count,
			       const fg_report_provenance *prov,
			       fg_error *err);

/* The same summary a run at a time, for any number of runs: its rows wait
 * in temporary files and its deadlines in a temporary sort, so memory
 * does not grow with the runs.  fg_summary_add takes a document (of one
 * run or more; borrowed for the call); fg_summary_write writes the
 * summary of every document added. */
typedef struct fg_summary fg_summary;
int fg_summary_new(fg_summary **out, fg_error *err);
int fg_summary_add(fg_summary *summary, const json_t *doc, fg_error *err);
int fg_summary_write(fg_summary *summary, FILE *out,
		     const fg_report_provenance *prov, fg_error *err);
void fg_summary_free(fg_summary *summary);          /* NULL-safe */

/* Longest name fg_report_filename() writes, without the NUL. */
#define FG_REPORT_FILENAME_MAX 84

/* A safe file name for a run's report into buf: only [A-Za-z0-9._-], never
 * starting with '.', at most FG_REPORT_FILENAME_MAX bytes, ending in ".md".
 * An id made only of [a-z0-9._-] (not starting with '.', at most 64 bytes,
 * not ending like a hash suffix, not "index", the stem of the summary's
 * index.md) is kept as it is; any other id is
 * sanitized and given "-" and the first 16 hex digits of its SHA-256, so
 * distinct ids get distinct names, even on case-insensitive file systems.
 * Returns 0, or FG_EINPUT (empty id, or size <= FG_REPORT_FILENAME_MAX;
 * buf is then "" when size > 0). */
int fg_report_filename(char *buf, size_t size, const char *run_id);

#ifdef __cplusplus
}
#endif

#endif
