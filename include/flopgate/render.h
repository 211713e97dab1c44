/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — renderers: the result document (result.h) as text, JSON,
 * Markdown compliance reports, JUnit XML and SARIF 2.1.0, each a sink of
 * the pipeline (flopgate/check.h).
 *
 * Every renderer reads only the result document: never the YAML, never
 * the store.  A report therefore says exactly what was recorded.  Output
 * is deterministic: the same document gives the same bytes, with no
 * timestamps but those the document carries.  (Reports rendered from
 * the store, as `flopgate report` renders them: flopgate/report.h.)
 */
#ifndef FLOPGATE_RENDER_H
#define FLOPGATE_RENDER_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdio.h>
#include "flopgate/error.h"
#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "flopgate/output.h"
#include "flopgate/sink.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sinks: the outputs of the pipeline (flopgate/check.h) -------------
 *
 * Each writes to its output (taken over; freed with the sink) one run at a
 * time, and publishes it on commit.  NULL when out of memory (the output
 * is then freed).  What must come first but is known only at the end (the
 * gate verdict of Markdown, the totals of JUnit, the rules of SARIF) is
 * written last, the runs kept in a spool meanwhile. */

/* The result document as JSON (flopgate/result.h): `check --format json`,
 * or `estimate --format json` when the pipeline only estimates. */
FG_API fg_sink *fg_render_json_sink(fg_output *out);
/* `check`'s text: a verdict line per run, what matters of its findings
 * (every finding, with the comparison that decided it, when explain),
 * warnings, the gate. */
FG_API fg_sink *fg_render_text_sink(fg_output *out, int explain);
/* The same, with color 1: outcomes, a run's verdict, FAILS GATE, OVERDUE
 * and the gate in ANSI colour, for a terminal (the caller decides when:
 * never into a file or a pipe unless asked).  Colour only repeats a word
 * that is printed without it. */
FG_API fg_sink *fg_render_text_sink_colored(fg_output *out, int explain,
					    int color);
/* `estimate`'s text: per phase and method, ranges, time, energy, cost. */
FG_API fg_sink *fg_render_estimate_text_sink(fg_output *out);
FG_API fg_sink *fg_render_markdown_sink(fg_output *out);
FG_API fg_sink *fg_render_junit_sink(fg_output *out);
/* With error_log, a pipeline that fails still publishes a SARIF log
 * whose invocation carries the error and its location
 * (toolExecutionNotifications), so code scanning shows why. */
FG_API fg_sink *fg_render_sarif_sink(fg_output *out, int error_log);

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

FG_API fg_sink *fg_render_junit_sink_with(fg_output *out,
					  const fg_ci_options *opt);
FG_API fg_sink *fg_render_sarif_sink_with(fg_output *out, int error_log,
					  const fg_ci_options *opt);

/* `flopgate hardware`: the accelerator catalog as text (path, the file it
 * was read from, first; may be NULL) or, with json, as its JSON document
 * (layout at the top of src/render_catalog.c).  Returns 0, FG_ENOMEM, or
 * FG_EIO when writing to out failed. */
FG_API int fg_render_catalog(FILE *out, const fg_catalog *cat,
			     const char *path, int json, fg_error *err);

/* `flopgate rules list`: the rules of set as a table (src/render_rules.c
 * has its columns).  `flopgate rules test`: a line per result of
 * fg_ruleset_run_tests on rs, "ok - ..." or "not ok - ..." with the
 * expectation that failed and FILE:LINE:COL.  Both return 0, or FG_EIO
 * when writing to out failed. */
FG_API int fg_render_rules_list(FILE *out, const fg_ruleset_set *set,
				fg_error *err);
FG_API int fg_render_rule_tests(FILE *out, const fg_ruleset *rs,
				const fg_rule_test_result *results,
				size_t count, fg_error *err);

/* `headroom`: per run, the FLOP (and tokens) left before each compute
 * line in force where it is placed (only rule_id's when not NULL), as
 * text or as its JSON document (flopgate/result.h). */
FG_API fg_sink *fg_render_headroom_sink(fg_output *out, const char *rule_id,
					int json);

#ifdef __cplusplus
}
#endif

#endif
