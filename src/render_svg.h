/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — a run's compute against the legal lines, as an SVG chart
 * (internal, not API: for the Markdown renderer, issue 12 item 2).
 *
 * Two charts, both on one log scale of FLOP:
 *
 *   fg_svg_run_chart      one run: its range (low–central–high, and the
 *                         physical bound when it differs from the high
 *                         end) in a top row, then one row per
 *                         jurisdiction with each of its lines, the run's
 *                         outcome against it and the range behind them
 *   fg_svg_summary_chart  every run, one row each, against every line
 *                         (lines of one value share a column), with the
 *                         run's outcome where its row crosses a line
 *
 * What the charts promise:
 *   - valid XML (UTF-8): every text is escaped, invalid UTF-8 and
 *     characters XML forbids become U+FFFD, line breaks become spaces;
 *   - readable in print: an outcome is a word beside its line and a marker
 *     shape (▲ triggered, △ near, ○ clear, □ waived, ? indeterminate,
 *     × not applicable) and a stroke pattern; colour only repeats it; a
 *     legend explains every mark drawn;
 *   - accessible: <title> and <desc> (the desc says in words everything
 *     the chart shows) referenced from role="img";
 *   - every line labelled with its operator, value and unit
 *     ("> 1.0 × 10^25 FLOP", the style of every other output);
 *   - the same bytes for the same input: no time, no pointer, no random
 *     id; coordinates in tenths of a pixel printed from integers.
 *
 * Marks carry classes and data- attributes, so tests and tools can read
 * the chart back: a range is <g class="fg-range" data-low= data-central=
 * data-high= [data-bound=]> (bar .fg-range-bar, diamond .fg-central,
 * bracket .fg-bound); a line <g class="fg-line fg-OUTCOME" data-value=
 * data-op= data-jurisdiction= data-outcome=> (in the summary: a column,
 * <g class="fg-line" data-value= [data-op=]>, data-op when its lines
 * share one) with its tick <line class="fg-tick" x1=...> and its text
 * .fg-line-label; a row of the per-run chart <g class="fg-band"
 * data-jurisdiction=>, of the summary <g class="fg-run" data-run=>, and a
 * run's outcome at a column <g class="fg-outcome fg-OUTCOME" data-value=
 * data-outcome=>; decades of the axis <line class="fg-decade"
 * data-exponent="25" x1=...>.  OUTCOME is triggered, near, clear, waived,
 * indeterminate or not-applicable; values in data- attributes are %.17g.
 *
 * Usage from a renderer (the result document's names map directly):
 *
 *     fg_svg_range r = {low, central, high, bound};   // FLOP
 *     fg_svg_line lines[] = {
 *         {1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_TRIGGERED},
 *         {1e26, ">", "SB 53 § 22757.11", "US-CA",
 *          fg_svg_outcome_parse("near")},
 *     };
 *     rc = fg_svg_run_chart(file, "llama-3.1-405b", &r, lines, 2, &err);
 *
 * and link the file from the Markdown (`![Compute against the lines](RUN.svg)`);
 * GitHub renders it.
 */
#ifndef FLOPGATE_RENDER_SVG_H
#define FLOPGATE_RENDER_SVG_H

#include <stddef.h>
#include <stdio.h>
#include "flopgate/error.h"

typedef enum fg_svg_outcome {
	FG_SVG_NONE = 0,        /* nothing to show (no mark, no word) */
	FG_SVG_TRIGGERED,
	FG_SVG_NEAR,
	FG_SVG_CLEAR,
	FG_SVG_WAIVED,
	FG_SVG_INDETERMINATE,
	FG_SVG_NOT_APPLICABLE
} fg_svg_outcome;

/* The outcome the result document names "triggered", "near", "clear",
 * "waived", "indeterminate" or "not_applicable"; FG_SVG_NONE for NULL or
 * any other name. */
fg_svg_outcome fg_svg_outcome_parse(const char *name);

/* A run's compute, FLOP. */
typedef struct fg_svg_range {
	double low, central, high; /* finite, 0 < low <= central <= high */
	double bound;              /* the physical bound; 0 when unknown.
				    * Drawn only when it differs from high. */
} fg_svg_range;

/* A legal line. */
typedef struct fg_svg_line {
	double value;              /* FLOP, finite, > 0 */
	const char *op;            /* the rule's: ">", ">=", "<", "<=", "==" */
	const char *label;         /* the law, for people: "EU AI Act Art.
				    * 51(2)"; the chart prints the operator,
				    * value and unit after it.  NULL: none */
	const char *jurisdiction;  /* its row: "EU", "US-CA"; NULL: "—" */
	fg_svg_outcome outcome;    /* the run's outcome against it (the
				    * summary ignores it) */
} fg_svg_line;

/* A run in the summary. */
typedef struct fg_svg_run {
	const char *id;            /* its row's label */
	fg_svg_range range;
	/* NULL, or one outcome per line given to fg_svg_summary_chart, in
	 * that order: the mark where the run's row crosses the line's
	 * column (of lines sharing a column, the most pressing: triggered,
	 * near, indeterminate, waived, clear, not applicable). */
	const fg_svg_outcome *outcomes;
	const char *note;          /* NULL, or a few words beside the row
				    * ("triggered in EU, US-CA") */
} fg_svg_run;

/* Writes the chart of one run's compute, range, against lines[0..
 * line_count) (in any order: rows come in the order their jurisdictions
 * first appear, lines in a row by value) to out, a whole SVG document.
 * run_id titles it (NULL: none).
 *
 * Returns 0; FG_EINPUT when a figure is out of range (not finite, not
 * above 0, low > central > high), an operator unknown or out NULL — then
 * nothing has been written and err says which; FG_ENOMEM; FG_EIO when out
 * reports a write error (what was written is then incomplete). */
int fg_svg_run_chart(FILE *out, const char *run_id,
		     const fg_svg_range *range, const fg_svg_line *lines,
		     size_t line_count, fg_error *err);

/* Writes the summary chart: runs[0..run_count), one row each in that
 * order, against lines[0..line_count) (their outcomes ignored: each run
 * brings its own).  Lines of one value share a column, labelled with
 * every law drawing it ("> 1.0 × 10^26 FLOP — US-CA: SB 53; US-NY: RAISE
 * Act"; with operators that differ, each after its law).  Returns as
 * fg_svg_run_chart. */
int fg_svg_summary_chart(FILE *out, const fg_svg_run *runs,
			 size_t run_count, const fg_svg_line *lines,
			 size_t line_count, fg_error *err);

#endif
