/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — renderers of whole result documents (not public API): the
 * Markdown reports `flopgate report` renders from the store, JUnit and
 * SARIF, over jansson values (include/flopgate/render.h has their sinks).
 *
 * All functions return 0, FG_EINPUT when the document does not have the
 * shape result.h fixes (err names the offending field), FG_ENOMEM, or
 * FG_EIO when writing to `out` failed.  On error part of the output may
 * already have been written.  The document is never modified.
 */
#ifndef FLOPGATE_RENDER_INT_H
#define FLOPGATE_RENDER_INT_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "flopgate/error.h"
#include "flopgate/render.h"
#include "result_json.h"
#include "sink_int.h"

/* What the store knows about the evaluation a report is rendered from;
 * everything is borrowed.  Any pointer may be NULL (not known). */
typedef struct fg_report_provenance {
	long long evaluation_id;    /* <= 0 when not known */
	const char *checkpoint;     /* C2SP-style text: origin, count, base64 head */
	int verified;               /* 1 audit verify passed at render time,
				       0 failed, -1 not checked */
	const char *verify_message;
	const char *recorded_at;
	const char *chart;          /* the file name of the report's SVG
				       chart, beside it: the report links it
				       (relative); NULL: no chart */
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

/* doc with each run's findings joined to their rules' static facts (the
 * titles, citations and obligation texts under the document's rulesets),
 * which every renderer here joins for itself when given the lean
 * document: a document rendered several ways (a run's report, its chart,
 * the summary's rows) is joined once this way first.  A new reference;
 * NULL when out of memory. */
json_t *fg_render_joined(const json_t *doc);

/* The per-run compliance report for runs[run_index] (layout documented at
 * the top of src/render_markdown.c).  prov may be NULL. */
int fg_render_markdown_run(FILE *out, const json_t *doc, size_t run_index,
			   const fg_report_provenance *prov, fg_error *err);

/* The chart of runs[run_index]: its compute range (low, central, high,
 * and the physical bound when it differs) against every line it is held
 * to (a rule on training compute in FLOP whose outcome is not "not
 * applicable"), one row per jurisdiction, as a whole SVG document (valid
 * XML, the same bytes for the same document; src/render_svg.h).  Returns
 * 0; FG_ENOTFOUND, nothing written, when the run has no compute range
 * above 0 (fg_render_run_has_chart says so beforehand); FG_ENOMEM;
 * FG_EIO. */
int fg_render_run_chart(FILE *out, const json_t *doc, size_t run_index,
			fg_error *err);
int fg_render_run_has_chart(const json_t *doc, size_t run_index);

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
/* The summary's chart: every run added that has a compute range, one row
 * each, against every line any of them is held to.  fg_summary_has_chart
 * is 0 when no run has a range; then fg_summary_write_chart returns
 * FG_ENOTFOUND and writes nothing.  Link it from the summary with
 * prov->chart. */
int fg_summary_has_chart(const fg_summary *summary);
int fg_summary_write_chart(fg_summary *summary, FILE *out, fg_error *err);

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

/* `flopgate audit log`: the entries fg_store_log gives (src/store_json.h),
 * as text (a line an entry, nothing cut short) or, with json, as
 * {"entries": [...]}.  Returns 0, FG_ENOMEM, or FG_EIO. */
int fg_render_audit_log(FILE *out, const json_t *entries, int json,
			fg_error *err);

#endif
