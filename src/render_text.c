/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — plain-text outputs: `check` (a verdict line per run, the
 * findings that matter, the gate) and `estimate` (per phase and method,
 * with ranges, time, energy and cost), as sinks of the pipeline.
 *
 * The check text reads the run's result document (flopgate/result.h), as
 * every other renderer does; the estimate text reads the estimate. */
#include "flopgate/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"
#include "render_util.h"

/* ---- check ---------------------------------------------------------------- */

/* ANSI SGR colours for a terminal (fg_render_text_sink_colored): each only
 * repeats a word that is printed without it. */
#define SGR_RESET "\033[0m"

static const char *outcome_colour(const char *word)
{
	if (!strcmp(word, "triggered") || !strcmp(word, "FAIL") ||
	    !strcmp(word, "FAILS GATE") || !strcmp(word, "OVERDUE") ||
	    !strcmp(word, "failed"))
		return "\033[1;31m";      /* bold red */
	if (!strcmp(word, "near"))
		return "\033[33m";        /* yellow */
	if (!strcmp(word, "waived"))
		return "\033[35m";        /* magenta */
	if (!strcmp(word, "indeterminate"))
		return "\033[36m";        /* cyan */
	if (!strcmp(word, "clear") || !strcmp(word, "pass") ||
	    !strcmp(word, "passed"))
		return "\033[32m";        /* green */
	if (!strcmp(word, "not_applicable"))
		return "\033[2m";         /* dim */
	return NULL;
}

/* word, in its colour when color is set, padded to width columns (0: no
 * padding) outside the colour so columns still line up. */
static void paint(FILE *out, int color, const char *word, int width)
{
	const char *c = color ? outcome_colour(word) : NULL;
	int n = (int)strlen(word);

	fprintf(out, "%s%s%s", c ? c : "", word, c ? SGR_RESET : "");
	while (n++ < width)
		fputc(' ', out);
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* A value or line of a metric for people, as every format writes it. */
static char *figure(char *buf, size_t size, const char *metric, double v)
{
	return fg_rd_metric_value(buf, size, metric, v);
}

/* "9.9 × 10^24 FLOP < 1.0 × 10^25 FLOP (training_compute_flop, the
 * central estimate); 1.0 × 10^23 FLOP below the line (room for 2.4 ×
 * 10^10 training tokens more at the run's FLOP per token)": the relation
 * that holds, as printed, between the figure and the line. */
static void print_comparison(FILE *out, const json_t *f)
{
	char c[FG_RELATION_SIZE], h[FG_RELATION_SIZE], k[FG_RELATION_SIZE];

	if (!fg_rd_comparison(c, sizeof(c), f))
		return;
	fprintf(out, "%s (%s, the central estimate)", c, str(f, "metric"));
	if (fg_rd_headroom(h, sizeof(h), f))
		fprintf(out, "; %s", h);
	if (fg_rd_headroom_tokens(k, sizeof(k), f))
		fprintf(out, " (%s)", k);
}

/* A deadline whose date is not known: "within 15 days of an incident",
 * "when placed on the market (date not given)". */
static void print_period(FILE *out, long long days, const char *after)
{
	const char *what = !strcmp(after, "incident") ? "an incident"
			   : !strcmp(after, "incident_discovered")
				   ? "discovering an incident"
			   : !strcmp(after, "training_started")
				   ? "the start of training"
			   : !strcmp(after, "placed_on_market")
				   ? "placement on the market"
				   : after;

	if (days == 0)
		fprintf(out, ": at %s", what);
	else
		fprintf(out, ": within %lld day%s of %s", days, days == 1 ? "" : "s",
		       what);
}

static void print_obligations(FILE *out, const json_t *f, int color)
{
	const json_t *list = json_object_get(f, "obligations"), *o;
	size_t i;

	json_array_foreach(list, i, o) {
		const json_t *due = json_object_get(o, "due");
		const json_t *transition = json_object_get(o, "transition");
		const json_t *owed = json_object_get(o, "owed");
		int overdue = json_is_true(json_object_get(o, "overdue"));

		fprintf(out, "        - %s (%s)", str(o, "text"), str(o, "citation"));
		if (json_is_false(owed)) {
			if (json_is_string(json_object_get(o, "condition")) &&
			    !strcmp(str(o, "condition"), str(o, "owed_reason")))
				fprintf(out, ": not owed (only when %s)",
				       str(o, "condition"));
			else
				fprintf(out, ": not owed (%s)", str(o, "owed_reason"));
		} else if (json_is_null(owed) &&
			   json_is_string(json_object_get(o, "owed_reason"))) {
			fprintf(out, ": owed only if %s (the run file does not "
			       "say)", str(o, "condition"));
		} else if (json_is_string(due) && json_is_string(transition)) {
			fprintf(out, ": due %s (transition, %s)",
			       json_string_value(due),
			       json_string_value(transition));
		} else if (json_is_string(due)) {
			fprintf(out, ": due %s", json_string_value(due));
		} else if (json_is_integer(json_object_get(o, "days"))) {
			print_period(out, json_integer_value(
					     json_object_get(o, "days")),
				     str(o, "after"));
		}
		if (overdue) {
			fputc(' ', out);
			paint(out, color, "OVERDUE", 0);
		}
		if (json_is_string(json_object_get(o, "date_needed")))
			fprintf(out, "; no due date yet: add %s to the run "
				"file", str(o, "date_needed"));
		fputc('\n', out);
	}
}

/* 1 for a figure with a range (compute, a fraction of it), whose
 * central estimate a leaf holds against its line. */
static int estimated(const json_t *c)
{
	fg_unit unit = fg_rd_metric_unit(str(c, "metric"));

	return unit == FG_UNIT_FLOP || unit == FG_UNIT_FRACTION;
}

static void print_attribute(FILE *out, const json_t *c, const char *h)
{
	const json_t *vals = json_object_get(c, "threshold"), *x;
	size_t j;

	fprintf(out, "        %s = %s, needs %s [", str(c, "attribute"),
		json_is_string(json_object_get(c, "value")) ? str(c, "value")
							     : "(not given)",
		str(c, "op"));
	json_array_foreach(vals, j, x)
		fprintf(out, "%s%s", j ? ", " : "", json_string_value(x));
	fprintf(out, "]: %s\n", h);
}

/* --explain: every leaf, the relation that holds between its figure and
 * its line as printed, what the rule needs, and where the figure stands
 * from the line ("1.2 × 10^24 FLOP below the line"). */
static void print_conditions(FILE *out, const json_t *f)
{
	const json_t *list = json_object_get(f, "conditions"), *c;
	char v[FG_RELATION_SIZE], t[FG_RELATION_SIZE], m[FG_RELATION_SIZE];
	const char *op;
	size_t i;

	json_array_foreach(list, i, c) {
		const json_t *holds = json_object_get(c, "holds");
		const char *h = json_is_true(holds)    ? "holds"
				: json_is_false(holds) ? "does not hold"
						       : "unknown";

		if (json_object_get(c, "attribute")) {
			print_attribute(out, c, h);
			continue;
		}
		op = fg_rd_op_symbol(str(c, "op"), 0);
		if (!op)
			op = str(c, "op");
		if (!json_is_number(json_object_get(c, "value"))) {
			fprintf(out, "        %s (not given), needs %s %s: %s\n",
				str(c, "metric"), op,
				fg_rd_line(t, sizeof(t), c), h);
			continue;
		}
		fprintf(out, "        %s %s%s (the rule needs %s): %s",
			str(c, "metric"), fg_rd_comparison(v, sizeof(v), c),
			estimated(c) ? " on the central estimate" : "", op, h);
		if (fg_rd_margin(m, sizeof(m), c))
			fprintf(out, ", %s", m);
		if (num(c, "low") != num(c, "high")) {
			char lo[FG_FIGURE_SIZE], hi[FG_FIGURE_SIZE];

			fprintf(out, " (range %s to %s)",
			       figure(lo, sizeof(lo), str(c, "metric"),
				      num(c, "low")),
			       figure(hi, sizeof(hi), str(c, "metric"),
				      num(c, "high")));
		}
		fputc('\n', out);
	}
}

/* A triggered, near or waived finding: printed without --explain. */
static int important(const char *outcome)
{
	return !strcmp(outcome, "triggered") || !strcmp(outcome, "near") ||
	       !strcmp(outcome, "waived");
}

static void print_finding(FILE *out, const json_t *f, int explain,
			  int color, const char *note)
{
	const char *outcome = str(f, "outcome");
	int shown = important(outcome);
	const json_t *w = json_object_get(f, "waiver");
	const json_t *crossing = json_object_get(f, "projected_crossing");
	const json_t *crossed = json_object_get(f, "crossed_on");
	const json_t *transition = json_object_get(f, "transition");

	if (!shown && !explain && !note)
		return;
	fputs("  ", out);
	paint(out, color, outcome, 14);
	fprintf(out, " %s (%s, %s)", str(f, "rule"), str(f, "citation"),
		str(f, "severity"));
	if (json_is_true(json_object_get(f, "gate_fails"))) {
		fputc(' ', out);
		paint(out, color, "FAILS GATE", 0);
	}
	if (note)
		fprintf(out, ": %s", note);
	fputc('\n', out);
	if (json_is_number(json_object_get(f, "value"))) {
		fprintf(out, "      ");
		print_comparison(out, f);
		fputc('\n', out);
	}
	fprintf(out, "      %s\n", str(f, "reason"));
	if (json_is_string(crossing))
		fprintf(out, "      projected crossing: %s\n",
		       json_string_value(crossing));
	if (json_is_string(crossed))
		fprintf(out, "      crossed on %s (from measured progress)\n",
		       json_string_value(crossed));
	if (json_is_object(transition))
		fprintf(out, "      placed on the market %s, before %s: dated "
		       "obligations due no earlier than %s (%s)\n",
		       str(transition, "placed_on_market"),
		       str(transition, "placed_before"),
		       str(transition, "comply_by"),
		       str(transition, "citation"));
	if (json_is_object(w) && json_is_true(json_object_get(w, "expired")))
		fprintf(out, "      waiver expired %s (approved by %s)\n",
		       str(w, "expires"), str(w, "approved_by"));
	if (shown && strcmp(outcome, "near") &&
	    json_is_string(json_object_get(f, "known_since")))
		fprintf(out, "      known since %s (%s); obligations:\n",
		       str(f, "known_since"), str(f, "known_basis"));
	if (shown && strcmp(outcome, "near"))
		print_obligations(out, f, color);
	if (explain)
		print_conditions(out, f);
}

/* The clear finding on compute whose line is nearest above the run's
 * central estimate (least headroom), NULL when there is none. */
static const json_t *closest_line(const json_t *run)
{
	const json_t *f, *best = NULL;
	double room, least = 0;
	size_t i;

	json_array_foreach(json_object_get(run, "findings"), i, f) {
		if (strcmp(str(f, "outcome"), "clear") ||
		    strcmp(str(f, "unit"), "FLOP") ||
		    !json_is_number(json_object_get(f, "headroom")) ||
		    !((room = num(f, "headroom")) > 0))
			continue;
		if (!best || room < least) {
			best = f;
			least = room;
		}
	}
	return best;
}

/* Finding f of run (lean: as the pipeline writes it) joined to its
 * rule's facts and printed when print_finding prints it: most findings of
 * a run are clear or not applicable and print nothing without --explain,
 * and those are never joined.  0 or FG_ENOMEM. */
static int print_lean_finding(FILE *out, const fg_rd_facts *facts,
			      const json_t *run, const json_t *f, int explain,
			      int color, const char *note)
{
	const char *outcome = str(f, "outcome");
	json_t *joined;

	if (!explain && !note && !important(outcome))
		return 0;
	if (!(joined = fg_rd_join_finding(facts, run, f)))
		return FG_ENOMEM;
	print_finding(out, joined, explain, color, note);
	json_decref(joined);
	return 0;
}

/* One run of `check`'s text: the verdict line, the findings that matter
 * (every finding with --explain), the warnings.  run is lean; its
 * findings are joined to facts as they are printed.  0 or FG_ENOMEM. */
static int print_check_run(FILE *out, const fg_rd_facts *facts,
			   const json_t *run, size_t index, int explain,
			   int color)
{
	const json_t *findings = json_object_get(run, "findings"), *f, *w;
	size_t fails = 0, triggered = 0, near = 0, j;

	json_array_foreach(findings, j, f) {
		fails += json_is_true(json_object_get(f, "gate_fails"));
		triggered += !strcmp(str(f, "outcome"), "triggered");
		near += !strcmp(str(f, "outcome"), "near");
	}
	if (index)
		fputc('\n', out);
	if (!json_array_size(json_object_get(run, "jurisdictions")))
		/* jurisdictions: [] — say it, rather than a pass that reads
		 * as "checked and clear" */
		fprintf(out, "%s: pass — placed nowhere (jurisdictions: []), "
			"so no rule applies (%s:%lld)\n", str(run, "id"),
			str(run, "file"), (long long)json_integer_value(
				json_object_get(run, "line")));
	else {
		fprintf(out, "%s: ", str(run, "id"));
		paint(out, color, fails ? "FAIL" : "pass", 0);
		fprintf(out, " — %zu triggered, %zu near, %zu failing the gate "
			"(%s:%lld)\n", triggered, near, fails,
			str(run, "file"), (long long)json_integer_value(
				json_object_get(run, "line")));
	}
	json_array_foreach(findings, j, f)
		if (print_lean_finding(out, facts, run, f, explain, color,
				       NULL))
			return FG_ENOMEM;
	/* a run that crosses nothing still shows how far it is from the
	 * nearest line it is held to */
	if (!explain && !triggered && !near && (f = closest_line(run)) &&
	    print_lean_finding(out, facts, run, f, 0, color,
			       "the closest line"))
		return FG_ENOMEM;
	json_array_foreach(json_object_get(run, "warnings"), j, w)
		fprintf(out, "  warning: %s\n", json_string_value(w));
	return 0;
}

/* ---- estimate ------------------------------------------------------------- */

/* Columns on screen of a UTF-8 string ("×" is two bytes, one column). */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void cell(FILE *out, const char *s, size_t width)
{
	size_t n = columns(s);

	fputs(s, out);
	while (n++ < width)
		fputc(' ', out);
}

static void range_row(FILE *out, const char *label, size_t width, fg_range r,
		      const char *note)
{
	char lo[48], c[48], hi[48];

	cell(out, label, width);
	cell(out, fg_format_sci(r.low, lo, sizeof(lo)), 14);
	cell(out, fg_format_sci(r.central, c, sizeof(c)), 14);
	if (*note) {
		cell(out, fg_format_sci(r.high, hi, sizeof(hi)), 14);
		fputs(note, out);
	} else {
		fputs(fg_format_sci(r.high, hi, sizeof(hi)), out);
	}
	fputc('\n', out);
}

/* A hardware estimate's physical bound, under its range: the compute at
 * the dense peak, which the run cannot have exceeded — never the range's
 * high end. */
static void bound_row(FILE *out, size_t width, const fg_method_estimate *m)
{
	char b[48], u[96];
	const fg_estimate_input *in = m->input;

	cell(out, "      physical bound", width);
	cell(out, "", 28);
	cell(out, fg_format_sci(m->physical_bound_flop, b, sizeof(b)), 14);
	switch (in->utilization_basis) {
	case FG_UTIL_BAND:
		snprintf(u, sizeof(u), "at 100 %% of peak; range: declared "
			 "utilization %.3g-%.3g", in->utilization_low,
			 in->utilization_high);
		break;
	case FG_UTIL_POINT:
		snprintf(u, sizeof(u), "at 100 %% of peak; range: "
			 "utilization %.3g ±30 %%", in->utilization);
		break;
	default:
		snprintf(u, sizeof(u), "at 100 %% of peak; range: catalog "
			 "utilization %.3g-%.3g", in->utilization_low,
			 in->utilization_high);
	}
	fputs(u, out);
	fputc('\n', out);
}

static void phase_label(char *buf, size_t size, const fg_phase *phase)
{
	snprintf(buf, size, "  %s (%s)", phase->name,
		 fg_phase_kind_name(phase->kind));
}

/* Width of the label column: the longest phase label, at least 24. */
static size_t label_width(const fg_run_estimate *est)
{
	char label[300];
	size_t i, width = 24;

	for (i = 0; i < est->phase_count; i++) {
		phase_label(label, sizeof(label), est->phases[i].phase);
		if (columns(label) + 2 > width)
			width = columns(label) + 2;
	}
	return width;
}

static void print_progress(FILE *out, const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	char a[48], b[48], day[16], end[16];
	double last;

	if (run->progress_count == 0)
		return;
	last = run->progress[run->progress_count - 1].at;
	fprintf(out, "  progress        %s FLOP measured by %s",
	       fg_format_sci(est->measured_flop, a, sizeof(a)),
	       fg_date_format(fg_date_of_timestamp(last), day));
	if (est->flop_per_second > 0)
		fprintf(out, ", %s FLOP/s recently",
		       fg_format_sci(est->flop_per_second, b, sizeof(b)));
	fputc('\n', out);
	if (run->planned_end != FG_DATE_NONE && est->flop_per_second > 0) {
		double left = (double)run->planned_end * 86400.0 - last;

		fprintf(out, "                  about %s FLOP by the planned end, "
		       "%s, at that rate\n",
		       fg_format_sci(est->measured_flop +
				     (left > 0 ? left : 0) *
				     est->flop_per_second, a, sizeof(a)),
		       fg_date_format(run->planned_end, end));
	}
}

static void print_run(FILE *out, const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	char a[64], b[64], label[300];
	size_t i, j, width = label_width(est);

	fprintf(out, "%s", run->id);
	if (run->model)
		fprintf(out, " — %s", run->model);
	if (run->developer)
		fprintf(out, " (%s)", run->developer);
	fprintf(out, ", %s\n  %s:%d", fg_run_status_name(run->status), run->file,
	       run->line);
	if (run->jurisdiction_count) {
		fprintf(out, "   jurisdictions:");
		for (i = 0; i < run->jurisdiction_count; i++)
			fprintf(out, "%s %s", i ? "," : "", run->jurisdictions[i]);
	}
	fprintf(out, "\n\n");
	cell(out, "  compute (FLOP)", width);
	cell(out, "low", 14);
	cell(out, "central", 14);
	cell(out, "high", 14);
	fprintf(out, "central from\n");
	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *ph = &est->phases[i];

		phase_label(label, sizeof(label), ph->phase);
		range_row(out, label, width, ph->flop,
			  fg_method_name(ph->central_method));
		for (j = 0; j < ph->method_count; j++) {
			const fg_method_estimate *m = &ph->methods[j];

			snprintf(label, sizeof(label), "    %s",
				 fg_method_name(m->method));
			range_row(out, label, width, m->flop, "");
			if (m->physical_bound_flop > 0)
				bound_row(out, width, m);
		}
	}
	range_row(out, "  total, all phases", width, est->total, "");
	if (est->seconds > 0 || est->chip_hours > 0 || est->cost_usd >= 0 ||
	    est->energy_kwh > 0 || run->progress_count)
		fputc('\n', out);
	if (est->seconds > 0)
		fprintf(out, "  training time   %s\n",
		       fg_format_duration(est->seconds, a, sizeof(a)));
	if (est->chip_hours > 0)
		fprintf(out, "  chip-hours      %s\n",
		       fg_format_sci(est->chip_hours, a, sizeof(a)));
	if (est->cluster_peak_flops > 0)
		fprintf(out, "  cluster peak    %s (dense, at the chip's "
		       "highest number format)\n",
		       fg_figure_double(a, sizeof(a), est->cluster_peak_flops,
					FG_UNIT_OP_PER_S));
	if (est->energy_kwh > 0)
		fprintf(out, "  energy          %s kWh (PUE %g, server overhead "
		       "%g)\n", fg_format_sci(est->energy_kwh, a, sizeof(a)),
		       run->pue, run->server_overhead);
	if (est->cost_usd >= 0)
		fprintf(out, "  cost            %s\n",
		       fg_figure_double(b, sizeof(b), est->cost_usd,
					FG_UNIT_USD));
	print_progress(out, est);
	if (est->warning_count) {
		fprintf(out, "\n  warnings:\n");
		for (i = 0; i < est->warning_count; i++)
			fprintf(out, "    - %s\n", est->warnings[i]);
	}
}


typedef struct text_sink {
	fg_output *out;
	int explain;
	int estimate;
	int color;
	fg_rd_facts facts;
} text_sink;

static int text_begin(void *self, fg_check_info *info, fg_error *err)
{
	text_sink *t = self;

	if (!t->estimate && fg_rd_facts_init(&t->facts, info->head))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return 0;
}

static int text_run(void *self, const fg_check_info *info,
		    const fg_check_result *r, fg_error *err)
{
	text_sink *t = self;
	FILE *out = fg_output_stream(t->out);

	(void)info;
	if (t->estimate) {
		if (r->index)
			fputc('\n', out);
		print_run(out, r->estimate);
	} else {
		const json_t *run = fg_check_result_document(r);

		if (!run || print_check_run(out, &t->facts, run, r->index,
					    t->explain, t->color))
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
	}
	return ferror(out) ? fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot "
					  "write a temporary file") : 0;
}

static int text_end(void *self, const fg_check_info *info,
		    const fg_check_summary *s, fg_error *err)
{
	text_sink *t = self;
	FILE *out = fg_output_stream(t->out);

	if (!t->estimate) {
		fputs("\ngate: ", out);
		paint(out, t->color, s->gate_passed ? "passed" : "failed", 0);
		fprintf(out, " (fail-on %s, %zu failing)\n",
			fg_fail_on_name(info->fail_on), s->gate_failures);
	}
	if (fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file");
	return 0;
}

static int text_commit(void *self, fg_error *err)
{
	return fg_output_commit(((text_sink *)self)->out, err);
}

static void text_free(void *self)
{
	text_sink *t = self;

	fg_rd_facts_free(&t->facts);
	fg_output_free(t->out);
	free(t);
}

static const fg_sink_ops text_ops = {
	text_begin, text_run, text_end, text_commit, NULL, text_free, 0
};

static fg_sink *text_new(fg_output *out, int explain, int estimate,
			 int color)
{
	text_sink *t = calloc(1, sizeof(*t));

	if (!t) {
		fg_output_free(out);
		return NULL;
	}
	t->out = out;
	t->explain = explain;
	t->estimate = estimate;
	t->color = color;
	return fg_sink_new(&text_ops, t);
}

fg_sink *fg_render_text_sink(fg_output *out, int explain)
{
	return text_new(out, explain, 0, 0);
}

fg_sink *fg_render_text_sink_colored(fg_output *out, int explain, int color)
{
	return text_new(out, explain, 0, color);
}

fg_sink *fg_render_estimate_text_sink(fg_output *out)
{
	return text_new(out, 0, 1, 0);
}
