/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the reports' charts, from the result document: a run's
 * compute range against the lines it is held to, and every run of the
 * summary against every line (drawn by src/render_svg.c).
 *
 * A line is a rule whose figure is training compute in FLOP and whose
 * outcome for the run is not "not applicable": the lines the run is held
 * to where it is placed.  A run's range is its cumulative training
 * compute (compute.training_compute_flop); its physical bound, the sum
 * over its phases of their hardware estimates' bound, when every phase
 * has one.  A run without a range above 0 (nothing estimated) has no
 * chart.
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>

#include "render_svg.h"
#include "render_util.h"

/* ---- one run ------------------------------------------------------------- */

/* The run's range; 1 when it has one a chart can draw. */
static int run_range(fg_svg_range *r, const json_t *run)
{
	const json_t *compute = json_object_get(run, "compute");
	const json_t *total = json_object_get(compute, "training_compute_flop");
	json_t *phase, *method;
	size_t i, j;
	double bound = 0, phase_bound, b;
	int bounded = 1;

	memset(r, 0, sizeof(*r));
	if (!fg_rd_num(&r->low, total, "low") ||
	    !fg_rd_num(&r->central, total, "central") ||
	    !fg_rd_num(&r->high, total, "high") || !(r->low > 0) ||
	    r->low > r->central || r->central > r->high)
		return 0;
	json_array_foreach(fg_rd_array(compute, "phases"), i, phase) {
		phase_bound = 0;
		json_array_foreach(fg_rd_array(phase, "methods"), j, method)
			if (fg_rd_num(&b, method, "physical_bound_flop") &&
			    b > phase_bound)
				phase_bound = b;
		bounded = bounded && phase_bound > 0;
		bound += phase_bound;
	}
	if (bounded && json_array_size(fg_rd_array(compute, "phases")) &&
	    bound >= r->high)
		r->bound = bound;
	return 1;
}

/* 1 when finding f is a line of the chart (see the top of the file). */
static int is_line(const json_t *f)
{
	double value;

	return fg_rd_metric_unit(fg_rd_str(f, "metric")) == FG_UNIT_FLOP &&
	       fg_rd_num(&value, f, "threshold") && value > 0 &&
	       fg_rd_op_symbol(fg_rd_str(f, "op"), 0) &&
	       fg_rd_outcome(f) != FG_RD_NOT_APPLICABLE;
}

static void line_of(fg_svg_line *l, const json_t *f)
{
	fg_rd_num(&l->value, f, "threshold");
	l->op = fg_rd_str(f, "op");
	l->label = fg_rd_str(f, "rule");
	l->jurisdiction = fg_rd_str(f, "jurisdiction");
	l->outcome = fg_svg_outcome_parse(fg_rd_str(f, "outcome"));
}

int fg_render_run_has_chart(const json_t *doc, size_t run_index)
{
	fg_svg_range r;

	return run_range(&r, json_array_get(fg_rd_array(doc, "runs"),
					     run_index));
}

int fg_render_run_chart(FILE *out, const json_t *doc, size_t run_index,
			fg_error *err)
{
	json_t *whole = json_array_get(fg_rd_array(doc, "runs"), run_index);
	json_t *run = NULL, *f;
	fg_svg_line *lines = NULL;
	fg_svg_range range;
	fg_rd_facts facts;
	size_t i, n = 0;
	int rc;

	if (!run_range(&range, whole))
		return fg_error_set(err, FG_ENOTFOUND, NULL, 0, 0, "run has "
				    "no compute range to chart");
	if (fg_rd_facts_init(&facts, doc))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	run = fg_rd_join_run(&facts, whole);
	lines = calloc(json_array_size(fg_rd_array(whole, "findings")) + 1,
		       sizeof(*lines));
	if (!run || !lines) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	json_array_foreach(fg_rd_array(run, "findings"), i, f)
		if (is_line(f))
			line_of(&lines[n++], f);
	rc = fg_svg_run_chart(out, fg_rd_str(run, "id"), &range, lines, n,
			      err);
done:
	free(lines);
	json_decref(run);
	fg_rd_facts_free(&facts);
	return rc;
}

/* ---- the summary ----------------------------------------------------------- */

/* Every run's range and its outcome against each line seen so far, for
 * the first FG_CHART_RUNS_MAX runs with a range: a chart of more rows is
 * not read, and its memory would grow with the runs. */
typedef struct chart_run {
	char *id;
	fg_svg_range range;
	fg_svg_outcome *outcomes;   /* one per line, FG_SVG_NONE for a line
				     * first seen after the run */
	size_t outcome_count;
} chart_run;

typedef struct chart_line {
	char *rule, *op, *jurisdiction;
	double value;
} chart_line;

struct fg_chart_acc {
	chart_run *runs;
	size_t run_count, run_cap;
	size_t ranged;              /* runs with a range, drawn or not */
	chart_line *lines;
	size_t line_count, line_cap;
};

int fg_chart_acc_new(fg_chart_acc **out)
{
	return (*out = calloc(1, sizeof(**out))) ? 0 : FG_ENOMEM;
}

void fg_chart_acc_free(fg_chart_acc *acc)
{
	size_t i;

	if (!acc)
		return;
	for (i = 0; i < acc->run_count; i++) {
		free(acc->runs[i].id);
		free(acc->runs[i].outcomes);
	}
	for (i = 0; i < acc->line_count; i++) {
		free(acc->lines[i].rule);
		free(acc->lines[i].op);
		free(acc->lines[i].jurisdiction);
	}
	free(acc->runs);
	free(acc->lines);
	free(acc);
}

static char *copy(const char *s)
{
	return strdup(s ? s : "");
}

/* The index of finding f's line, added when new; -1 when out of memory. */
static long line_index(fg_chart_acc *acc, const json_t *f)
{
	const char *rule = fg_rd_str(f, "rule");
	chart_line *l;
	size_t i;

	for (i = 0; i < acc->line_count; i++)
		if (!strcmp(acc->lines[i].rule, rule ? rule : ""))
			return (long)i;
	if (acc->line_count == acc->line_cap) {
		size_t cap = acc->line_cap ? 2 * acc->line_cap : 8;
		chart_line *grown = realloc(acc->lines, cap * sizeof(*grown));

		if (!grown)
			return -1;
		acc->lines = grown;
		acc->line_cap = cap;
	}
	l = &acc->lines[acc->line_count];
	memset(l, 0, sizeof(*l));
	fg_rd_num(&l->value, f, "threshold");
	l->rule = copy(rule);
	l->op = copy(fg_rd_str(f, "op"));
	l->jurisdiction = copy(fg_rd_str(f, "jurisdiction"));
	if (!l->rule || !l->op || !l->jurisdiction) {
		free(l->rule);
		free(l->op);
		free(l->jurisdiction);
		return -1;
	}
	return (long)acc->line_count++;
}

int fg_chart_acc_add(fg_chart_acc *acc, const json_t *run)
{
	fg_svg_range range;
	chart_run *r;
	json_t *f;
	size_t i;
	long k;

	if (!run_range(&range, run) || ++acc->ranged > FG_CHART_RUNS_MAX)
		return 0;
	if (acc->run_count == acc->run_cap) {
		size_t cap = acc->run_cap ? 2 * acc->run_cap : 16;
		chart_run *grown = realloc(acc->runs, cap * sizeof(*grown));

		if (!grown)
			return FG_ENOMEM;
		acc->runs = grown;
		acc->run_cap = cap;
	}
	r = &acc->runs[acc->run_count];
	memset(r, 0, sizeof(*r));
	r->range = range;
	if (!(r->id = copy(fg_rd_str(run, "id"))))
		return FG_ENOMEM;
	acc->run_count++;
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		if (!is_line(f))
			continue;
		if ((k = line_index(acc, f)) < 0)
			return FG_ENOMEM;
		if ((size_t)k >= r->outcome_count) {
			fg_svg_outcome *grown = realloc(
				r->outcomes, (size_t)(k + 1) * sizeof(*grown));

			if (!grown)
				return FG_ENOMEM;
			while (r->outcome_count <= (size_t)k)
				grown[r->outcome_count++] = FG_SVG_NONE;
			r->outcomes = grown;
		}
		r->outcomes[k] = fg_svg_outcome_parse(fg_rd_str(f, "outcome"));
	}
	return 0;
}

size_t fg_chart_acc_runs(const fg_chart_acc *acc)
{
	return acc ? acc->run_count : 0;
}

size_t fg_chart_acc_ranged(const fg_chart_acc *acc)
{
	return acc ? acc->ranged : 0;
}

int fg_chart_acc_write(fg_chart_acc *acc, FILE *out, fg_error *err)
{
	fg_svg_line *lines = calloc(acc->line_count + 1, sizeof(*lines));
	fg_svg_run *runs = calloc(acc->run_count + 1, sizeof(*runs));
	fg_svg_outcome *outcomes = calloc(acc->run_count * acc->line_count + 1,
					  sizeof(*outcomes));
	size_t i, k;
	int rc;

	if (!lines || !runs || !outcomes) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (k = 0; k < acc->line_count; k++)
		lines[k] = (fg_svg_line){acc->lines[k].value, acc->lines[k].op,
					 acc->lines[k].rule,
					 acc->lines[k].jurisdiction,
					 FG_SVG_NONE};
	for (i = 0; i < acc->run_count; i++) {
		fg_svg_outcome *row = outcomes + i * acc->line_count;

		for (k = 0; k < acc->runs[i].outcome_count; k++)
			row[k] = acc->runs[i].outcomes[k];
		runs[i] = (fg_svg_run){acc->runs[i].id, acc->runs[i].range,
				       row, NULL};
	}
	rc = fg_svg_summary_chart(out, runs, acc->run_count, lines,
				  acc->line_count, err);
done:
	free(lines);
	free(runs);
	free(outcomes);
	return rc;
}
