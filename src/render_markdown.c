/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — Markdown compliance reports from the result document.
 *
 * Report layout
 * =============
 *
 * Per-run report (fg_render_markdown_run; `check --format markdown` gives
 * the same for every run, one heading level down, after the gate verdict):
 *
 *   # Compliance report: RUN-ID
 *   > [!WARNING] ⚠ audit verify FAILED ...      only when verify failed
 *   **Crosses N lines** (EU, US-CA); next deadline DATE: TEXT (CITATION).
 *   Run facts (model, developer, status, markets, as-of, evaluation).
 *   ## Triggered and near rules
 *     ### TITLE — OUTCOME         one per triggered or near finding, in
 *                                 document order: rule, citation, the
 *                                 comparison in two significant figures,
 *                                 low–high range, headroom in FLOP and
 *                                 tokens, near fraction, the day the line
 *                                 became known and its basis, projected
 *                                 crossing, gate, waiver, an obligations
 *                                 table with due dates, and the conditions
 *                                 that decided it when the document has them
 *   ## All rules evaluated        one row per finding: outcome and reason
 *   ## Compute                    per phase and method: low, central, high,
 *                                 the method the central value comes from
 *   ## Warnings
 *   ## Annex XI figures           training time, chip-hours, energy, cost
 *   ## Waivers                    used, and expired ones (covering nothing)
 *   ## Provenance                 file and line, input SHA-256, rulesets and
 *                                 their SHA-256, evaluation id, as-of,
 *                                 actor, tool version, recorded-at
 *   ## Exact figures              each finding's figures exactly (fractions
 *                                 of decimal integers) with the relation
 *                                 that holds; compute ranges, headroom
 *                                 and near as the document's doubles in
 *                                 %.17g, for recomputation
 *   ## Audit checkpoint           the checkpoint verbatim in a fenced block
 *                                 and the verify status (report only)
 *
 * Auditor summary (fg_render_markdown_summary):
 *
 *   # Compliance summary
 *   > [!WARNING] ...               only when verify failed
 *   ## Needs action                what to act on first, in counts, then
 *     ### Overdue                  obligations past their due date
 *     ### Due within 30 days       of the as-of date
 *     ### Near a line              near findings: the figure against the
 *                                  line, and what made it near
 *   ## Outcomes                    counts, then a table of findings and
 *                                  runs by outcome
 *   ## Runs                        one row per run × jurisdiction it is
 *                                  placed in, the run linked to its
 *                                  report file
 *   ## Upcoming deadlines          sorted by due date, then run, rule
 *   ## Expired waivers
 *   ## Audit checkpoint            checkpoint and verify statement
 *
 * Every heading is always present, in this order, so two reports can be
 * compared section by section; an empty section says so in one sentence.
 * People read two significant figures ("3.8 × 10^25 FLOP", as the
 * Commission's GPAI guidelines para 31 ask for notifications); the Exact
 * figures section keeps full precision.  Text from the document goes
 * through fg_md_text, so an id or title cannot end a table cell, open a
 * block or carry HTML.
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>
#include "flopgate/jurisdiction.h"
#include "flopgate/quantity.h"
#include "render_util.h"
#include "sorter.h"

#define EM_DASH "\xE2\x80\x94"
#define EN_DASH "\xE2\x80\x93"
#define TIMES "\xC3\x97"
#define MAX_LIST 64

static const char *const outcome_labels[FG_RD_OUTCOME_COUNT] = {
	"triggered", "near", "indeterminate", "waived", "clear",
	"not applicable"
};

static void heading(FILE *out, int level)
{
	int i;

	for (i = 0; i < level; i++)
		fputc('#', out);
	fputc(' ', out);
}

static int write_failed(FILE *out, fg_error *err)
{
	if (fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "cannot write the Markdown report");
	return 0;
}

/* Text or an em dash when absent. */
static void cell(FILE *out, const char *text)
{
	if (text && *text)
		fg_md_text(out, text);
	else
		fputs(EM_DASH, out);
}

/* Adds s to a list of distinct strings (bounded; the tail is dropped). */
static void list_add(const char **list, size_t *n, const char *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	if (*n < MAX_LIST)
		list[(*n)++] = s;
}

static void write_list(FILE *out, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		fg_md_text(out, list[i]);
	}
}

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}

/* ---- verdict ------------------------------------------------------------ */

typedef struct tally {
	long n[FG_RD_OUTCOME_COUNT];
	long total;
} tally;

/* Counts the findings of a run; when jurisdiction is given, only those of
 * that jurisdiction ("" for findings that name none). */
static void tally_run(tally *t, const json_t *run, const char *jurisdiction)
{
	json_t *f;
	size_t i;

	memset(t, 0, sizeof(*t));
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		const char *j = fg_rd_str(f, "jurisdiction");

		if (jurisdiction && strcmp(j ? j : "", jurisdiction))
			continue;
		t->n[fg_rd_outcome(f)]++;
		t->total++;
	}
}

/* The most pressing outcome with a count, -1 when there is none. */
static int tally_verdict(const tally *t)
{
	int i;

	for (i = 0; i < FG_RD_OUTCOME_COUNT; i++)
		if (t->n[i])
			return i;
	return -1;
}

typedef struct deadline {
	const char *due;
	const json_t *obligation;
	const json_t *finding;
} deadline;

/* The earliest due date on or after as_of among the obligations of
 * triggered and near findings, and how many are already past. */
static void next_deadline(const json_t *run, const char *as_of,
			  deadline *next, long *overdue,
			  const char **earliest_overdue)
{
	json_t *f, *o;
	size_t i, j;

	memset(next, 0, sizeof(*next));
	*overdue = 0;
	*earliest_overdue = NULL;
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		int k = fg_rd_outcome(f);

		if (k != FG_RD_TRIGGERED && k != FG_RD_NEAR)
			continue;
		json_array_foreach(fg_rd_array(f, "obligations"), j, o) {
			const char *due = fg_rd_str(o, "due");

			if (!due)
				continue;
			if (as_of && strcmp(due, as_of) < 0) {
				(*overdue)++;
				if (!*earliest_overdue ||
				    strcmp(due, *earliest_overdue) < 0)
					*earliest_overdue = due;
			} else if (!next->due || strcmp(due, next->due) < 0) {
				next->due = due;
				next->obligation = o;
				next->finding = f;
			}
		}
	}
}

static void write_jurisdictions_of(FILE *out, const json_t *run, int outcome)
{
	const char *list[MAX_LIST];
	size_t n = 0, i;
	json_t *f;

	json_array_foreach(fg_rd_array(run, "findings"), i, f)
		if (fg_rd_outcome(f) == outcome)
			list_add(list, &n, fg_rd_str(f, "jurisdiction"));
	if (n) {
		fputs(" (", out);
		write_list(out, list, n);
		fputc(')', out);
	}
}

static void write_verdict(FILE *out, const json_t *doc, const json_t *run)
{
	const char *as_of = fg_rd_str(doc, "as_of"), *earliest_overdue;
	deadline next;
	long overdue;
	tally t;

	tally_run(&t, run, NULL);
	if (!json_array_size(fg_rd_array(run, "findings"))) {
		fputs("**No rule evaluated**: this document holds the compute "
		      "estimate only.\n\n", out);
		return;
	}
	if (json_is_array(json_object_get(run, "jurisdictions")) &&
	    !json_array_size(fg_rd_array(run, "jurisdictions"))) {
		/* The run says so itself (jurisdictions: []): no rule can
		 * apply, and the verdict must not read as a clean pass. */
		fputs("**Placed nowhere** (`jurisdictions: []`): no rule "
		      "applies to a model placed on no market.\n\n", out);
		return;
	}
	if (t.n[FG_RD_TRIGGERED]) {
		fprintf(out, "**Crosses %ld line%s**", t.n[FG_RD_TRIGGERED],
			plural(t.n[FG_RD_TRIGGERED]));
		write_jurisdictions_of(out, run, FG_RD_TRIGGERED);
		if (t.n[FG_RD_NEAR]) {
			fprintf(out, "; near %ld more", t.n[FG_RD_NEAR]);
			write_jurisdictions_of(out, run, FG_RD_NEAR);
		}
	} else if (t.n[FG_RD_NEAR]) {
		fprintf(out, "**Near %ld line%s**", t.n[FG_RD_NEAR],
			plural(t.n[FG_RD_NEAR]));
		write_jurisdictions_of(out, run, FG_RD_NEAR);
	} else {
		fputs("**Crosses no line**", out);
		if (t.n[FG_RD_CLEAR])
			fprintf(out, ": %ld clear", t.n[FG_RD_CLEAR]);
		if (t.n[FG_RD_NOT_APPLICABLE])
			fprintf(out, "%s%ld not applicable",
				t.n[FG_RD_CLEAR] ? ", " : ": ",
				t.n[FG_RD_NOT_APPLICABLE]);
	}
	if (t.n[FG_RD_WAIVED])
		fprintf(out, "; %ld waived", t.n[FG_RD_WAIVED]);
	if (t.n[FG_RD_INDETERMINATE])
		fprintf(out, "; %ld indeterminate (a figure is missing)",
			t.n[FG_RD_INDETERMINATE]);
	next_deadline(run, as_of, &next, &overdue, &earliest_overdue);
	if (overdue) {
		fprintf(out, "; %ld obligation%s overdue since ", overdue,
			plural(overdue));
		fg_md_text(out, earliest_overdue);
	}
	if (next.due) {
		const char *text = fg_rd_str(next.obligation, "text");
		const char *citation = fg_rd_str(next.obligation, "citation");

		fputs("; next deadline ", out);
		fg_md_text(out, next.due);
		fputs(": ", out);
		cell(out, text ? text : fg_rd_str(next.obligation, "id"));
		if (!citation)
			citation = fg_rd_str(next.finding, "citation");
		if (citation) {
			fputs(" (", out);
			fg_md_text(out, citation);
			fputc(')', out);
		}
	} else if (t.n[FG_RD_TRIGGERED] && !overdue) {
		fputs("; no obligation has a fixed due date", out);
	}
	fputs(".\n\n", out);
}

static void write_run_facts(FILE *out, const json_t *doc, const json_t *run,
			    const fg_report_provenance *prov)
{
	const char *model = fg_rd_str(run, "model");
	const char *developer = fg_rd_str(run, "developer");
	const char *status = fg_rd_str(run, "status");
	const char *as_of = fg_rd_str(doc, "as_of");
	const char *list[MAX_LIST];
	size_t n = 0, i;
	json_t *j;
	double id;

	fputs("Run ", out);
	fg_md_code(out, fg_rd_str(run, "id"));
	if (model) {
		fputs(": ", out);
		fg_md_text(out, model);
	}
	if (developer) {
		fputs(" by ", out);
		fg_md_text(out, developer);
	}
	if (status) {
		fputs(", ", out);
		fg_md_text(out, status);
	}
	json_array_foreach(fg_rd_array(run, "jurisdictions"), i, j)
		list_add(list, &n, json_string_value(j));
	if (n) {
		fputs("; markets ", out);
		write_list(out, list, n);
	} else if (json_is_array(json_object_get(run, "jurisdictions"))) {
		fputs("; placed on no market", out);
	}
	if (as_of) {
		fputs("; evaluated as of ", out);
		fg_md_text(out, as_of);
	}
	if (prov && prov->evaluation_id > 0)
		fprintf(out, "; evaluation %lld", prov->evaluation_id);
	else if (fg_rd_num(&id, doc, "evaluation_id"))
		fprintf(out, "; evaluation %.0f", id);
	else
		fputs("; not recorded", out);
	fputs(".\n\n", out);
}

static void write_verify_warning(FILE *out, const fg_report_provenance *prov)
{
	if (!prov || prov->verified != 0)
		return;
	fputs("> [!WARNING]\n> **\xE2\x9A\xA0 audit verify FAILED at render "
	      "time:** ", out);
	cell(out, prov->verify_message);
	fputs("\n>\n> The database this report was rendered from does not "
	      "verify: do not rely on it until `flopgate audit verify` "
	      "passes.\n\n", out);
}

/* ---- one rule ----------------------------------------------------------- */

/* "3.8 × 10^25 FLOP > 1.0 × 10^25 FLOP", with the relation the evaluator
 * recorded; 0 when the finding carries no comparison.  Written raw: it is
 * made of figures, fixed units and symbols only (an operator the document
 * names but flopgate does not know prints as "?"). */
static int write_comparison(FILE *out, const json_t *f)
{
	char buf[1024];

	if (!fg_rd_comparison(buf, sizeof(buf), f))
		return 0;
	fputs(buf, out);
	return 1;
}

static const char *basis_text(const char *basis)
{
	if (!basis)
		return NULL;
	/* DESIGN § Deadlines: the earliest day the run's facts prove. */
	if (!strcmp(basis, "declared"))
		return "declared in the run file (dates.threshold_known)";
	if (!strcmp(basis, "progress"))
		return "the day measured progress crossed the line";
	if (!strcmp(basis, "recorded"))
		return "the first recorded evaluation in which the rule "
		       "triggered";
	if (!strcmp(basis, "start"))
		return "the run's start (dates.start): its plan crosses the "
		       "line";
	if (!strcmp(basis, "end"))
		return "the run's end (dates.end), the latest it can have "
		       "been met";
	if (!strcmp(basis, "placed_on_market"))
		return "the day the completed model was placed on the market "
		       "(dates.placed_on_market)";
	if (!strcmp(basis, "as_of"))
		return "the as-of date of this evaluation";
	return basis;
}

/* "not owed: only when ...", "owed only if ... (the run does not say)",
 * or nothing for an obligation that is owed; 1 when it wrote. */
static int write_owed(FILE *out, const json_t *o)
{
	const json_t *owed = json_object_get(o, "owed");
	const char *condition = fg_rd_str(o, "condition");
	const char *reason = fg_rd_str(o, "owed_reason");

	if (json_is_false(owed)) {
		fputs("not owed: ", out);
		if (condition && reason && !strcmp(condition, reason)) {
			fputs("only when ", out);
			fg_md_text(out, condition);
		} else {
			fg_md_text(out, reason ? reason : "its condition does "
							  "not hold");
		}
		return 1;
	}
	if (json_is_null(owed) && condition &&
	    json_is_string(json_object_get(o, "owed_reason"))) {
		fputs("owed only if ", out);
		fg_md_text(out, condition);
		fputs(" (the run file does not say)", out);
		return 1;
	}
	return 0;
}

static void write_due(FILE *out, const json_t *o)
{
	const char *due = fg_rd_str(o, "due"), *after = fg_rd_str(o, "after");
	double days;
	int has_days = fg_rd_num(&days, o, "days");

	const char *transition = fg_rd_str(o, "transition");

	if (write_owed(out, o))
		return;
	if (due)
		fg_md_text(out, due);
	else if (fg_rd_str(o, "date_needed")) {
		fputs("no date yet: add ", out);
		fg_md_code(out, fg_rd_str(o, "date_needed"));
		fputs(" to the run file", out);
	} else
		fputs("no fixed date", out);
	if (due && json_is_true(json_object_get(o, "overdue")))
		fputs(" " EM_DASH " **overdue**", out);
	if (due && transition) {
		/* The transition set the date (AI Act Art. 111(3)), not the
		 * period after the event. */
		fputs(" (transition, ", out);
		fg_md_text(out, transition);
		fputc(')', out);
		return;
	}
	if (!has_days && !after)
		return;
	fputs(" (", out);
	if (has_days)
		fprintf(out, "%.0f day%s after ", days, days == 1 ? "" : "s");
	if (!after)
		fputs("the line was met", out);
	else if (!strcmp(after, "threshold_met_or_foreseen"))
		/* AI Act Art. 52(1): "after that requirement is met or it
		 * becomes known that it will be met". */
		fputs("the line was met or became known", out);
	else if (!strcmp(after, "incident_discovered"))
		fputs("discovering an incident", out);
	else if (!strcmp(after, "training_started"))
		fputs("the start of training", out);
	else
		fg_md_code(out, after);
	if (fg_rd_str(o, "not_before")) {
		fputs(", not before ", out);
		fg_md_text(out, fg_rd_str(o, "not_before"));
	}
	fputc(')', out);
}

static void write_obligations(FILE *out, const json_t *f)
{
	json_t *obligations = fg_rd_array(f, "obligations"), *o;
	size_t i;

	if (!json_array_size(obligations)) {
		fputs("No obligation attached.\n\n", out);
		return;
	}
	fputs("| Obligation | What | Citation | Due |\n"
	      "|---|---|---|---|\n", out);
	json_array_foreach(obligations, i, o) {
		fputs("| ", out);
		fg_md_code(out, fg_rd_str(o, "id"));
		fputs(" | ", out);
		cell(out, fg_rd_str(o, "text"));
		fputs(" | ", out);
		cell(out, fg_rd_str(o, "citation"));
		fputs(" | ", out);
		write_due(out, o);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

/* A condition's threshold or value: a figure, a string, or a list. */
static void write_json_value(FILE *out, const json_t *v, const char *metric)
{
	char buf[FG_FIGURE_SIZE];
	json_t *item;
	size_t i;

	if (json_is_number(v)) {
		fputs(fg_rd_metric_value(buf, sizeof(buf), metric,
					 json_number_value(v)), out);
	} else if (json_is_string(v)) {
		cell(out, json_string_value(v));
	} else if (json_is_true(v) || json_is_false(v)) {
		fputs(json_is_true(v) ? "true" : "false", out);
	} else if (json_is_array(v) && json_array_size(v)) {
		json_array_foreach(v, i, item) {
			if (i)
				fputs(", ", out);
			write_json_value(out, item, metric);
		}
	} else {
		fputs(EM_DASH, out);
	}
}

/* Every leaf: what the rule needs, and for a figure the relation that
 * holds between it and its line as printed. */
static void write_conditions(FILE *out, const json_t *f)
{
	json_t *conditions = fg_rd_array(f, "conditions"), *c, *holds;
	char buf[FG_RELATION_SIZE];
	size_t i;

	if (!json_array_size(conditions))
		return;
	fputs("Conditions evaluated (compute on its central estimate):\n\n"
	      "| Condition | Needs | Figure against the line | Holds |\n"
	      "|---|---|---|---|\n", out);
	json_array_foreach(conditions, i, c) {
		const char *metric = fg_rd_str(c, "metric");
		const char *name = metric ? metric : fg_rd_str(c, "attribute");
		const char *op = fg_rd_op_symbol(fg_rd_str(c, "op"), 0);

		fputs("| ", out);
		fg_md_code(out, name);
		fputs(" | ", out);
		if (metric) {
			fputs(op ? op : "?", out);
			fputs(" the line", out);
		} else {
			cell(out, fg_rd_str(c, "op"));
			fputc(' ', out);
			write_json_value(out, json_object_get(c, "threshold"),
					 metric);
		}
		fputs(" | ", out);
		if (metric && fg_rd_comparison(buf, sizeof(buf), c)) {
			fputs(buf, out);
			if (fg_rd_margin(buf, sizeof(buf), c))
				fprintf(out, "; %s", buf);
		} else if (metric) {
			fputs("not given; line ", out);
			if (fg_rd_line(buf, sizeof(buf), c))
				fputs(buf, out);
			else
				write_json_value(out, json_object_get(c,
							"threshold"), metric);
		} else {
			write_json_value(out, json_object_get(c, "value"),
					 metric);
		}
		holds = json_object_get(c, "holds");
		fprintf(out, " | %s |\n", json_is_true(holds) ? "yes" :
			json_is_false(holds) ? "no" : EM_DASH);
	}
	fputc('\n', out);
}

static void write_rule_section(FILE *out, int level, const json_t *f)
{
	const char *rule = fg_rd_str(f, "rule");
	const char *title = fg_rd_str(f, "title");
	const char *metric = fg_rd_str(f, "metric");
	const char *s, *by;
	char a[FG_FIGURE_SIZE], b[FG_FIGURE_SIZE], c[FG_RELATION_SIZE];
	double low, high, headroom, near;
	json_t *waiver = json_object_get(f, "waiver"), *gate, *transition;
	int outcome = fg_rd_outcome(f);

	heading(out, level);
	fg_md_text(out, title ? title : rule);
	fprintf(out, " " EM_DASH " %s\n\n", outcome_labels[outcome]);

	fputs("- **Rule:** ", out);
	fg_md_code(out, rule);
	if ((s = fg_rd_str(f, "ruleset"))) {
		fputs(" in ruleset ", out);
		fg_md_code(out, s);
	}
	if ((s = fg_rd_str(f, "severity"))) {
		fputs(", severity ", out);
		fg_md_text(out, s);
	}
	fputs("\n- **Citation:** ", out);
	cell(out, fg_rd_str(f, "citation"));
	fputs("\n- **Jurisdiction:** ", out);
	cell(out, fg_rd_str(f, "jurisdiction"));
	fputs("\n- **Why:** ", out);
	cell(out, fg_rd_str(f, "reason"));
	fputs("\n- **Comparison:** ", out);
	if (write_comparison(out, f)) {
		fputs(" (", out);
		fg_md_code(out, metric);
		fputs(", the central estimate)", out);
	} else {
		fputs("no figure decided it", out);
	}
	by = fg_rd_str(f, "decided_by");
	if (outcome == FG_RD_NEAR && by && strcmp(by, "central") &&
	    fg_rd_end_comparison(c, sizeof(c), f, by))
		fprintf(out, "\n- **Near because:** at %s, %s",
			fg_rd_decided_by(f), c);
	else if (outcome == FG_RD_NEAR && fg_rd_num(&near, f, "near") &&
		 fg_rd_near_line(c, sizeof(c), f, near))
		fprintf(out, "\n- **Near because:** the central estimate is "
			"at least %.3g %% of the line (%s)", near * 100, c);
	if (fg_rd_num(&low, f, "low") && fg_rd_num(&high, f, "high"))
		fprintf(out, "\n- **Range (low" EN_DASH "high):** %s " EN_DASH
			" %s",
			fg_rd_metric_value(a, sizeof(a), metric, low),
			fg_rd_metric_value(b, sizeof(b), metric, high));
	if (fg_rd_num(&headroom, f, "headroom") &&
	    fg_rd_headroom(c, sizeof(c), f)) {
		fprintf(out, "\n- **Headroom:** %s%s", headroom > 0 ? "" :
			"none " EM_DASH " ", c);
		if (fg_rd_headroom_tokens(c, sizeof(c), f))
			fprintf(out, " (%s)", c);
	}
	if (outcome != FG_RD_NEAR && fg_rd_num(&near, f, "near") &&
	    fg_rd_near_line(c, sizeof(c), f, near))
		fprintf(out, "\n- **Near from:** %.3g %% of the line (%s)",
			near * 100, c);
	if ((s = fg_rd_str(f, "known_since"))) {
		fputs("\n- **Line known since:** ", out);
		fg_md_text(out, s);
		if ((s = basis_text(fg_rd_str(f, "known_basis")))) {
			fputs(" " EM_DASH " ", out);
			fg_md_text(out, s);
		}
	}
	if ((s = fg_rd_str(f, "crossed_on"))) {
		fputs("\n- **Crossed the line:** ", out);
		fg_md_text(out, s);
		fputs(" (from measured progress)", out);
	}
	if ((s = fg_rd_str(f, "projected_crossing"))) {
		fputs("\n- **Projected crossing:** ", out);
		fg_md_text(out, s);
		fputs(" (extrapolated from measured progress)", out);
	}
	transition = json_object_get(f, "transition");
	if (json_is_object(transition)) {
		fputs("\n- **Transition:** placed on the market ", out);
		fg_md_text(out, fg_rd_str(transition, "placed_on_market"));
		fputs(", before ", out);
		fg_md_text(out, fg_rd_str(transition, "placed_before"));
		fputs(": dated obligations due no earlier than ", out);
		fg_md_text(out, fg_rd_str(transition, "comply_by"));
		fputs(" (", out);
		fg_md_text(out, fg_rd_str(transition, "citation"));
		fputc(')', out);
	}
	gate = json_object_get(f, "gate_fails");
	if (json_is_boolean(gate))
		fprintf(out, "\n- **Gate:** %s", json_is_true(gate) ?
			"fails the gate" : "does not fail the gate");
	if (json_is_object(waiver)) {
		fputs(outcome == FG_RD_WAIVED ? "\n- **Waived:** " :
		      "\n- **Expired waiver (covers nothing):** ", out);
		cell(out, fg_rd_str(waiver, "reason"));
		fputs("; approved by ", out);
		cell(out, fg_rd_str(waiver, "approved_by"));
		fputs(", expires ", out);
		cell(out, fg_rd_str(waiver, "expires"));
	}
	fputs("\n\n", out);
	write_obligations(out, f);
	write_conditions(out, f);
}

/* ---- the per-run sections ----------------------------------------------- */

static void write_rules_table(FILE *out, const json_t *run)
{
	json_t *findings = fg_rd_array(run, "findings"), *f;
	size_t i;

	if (!json_array_size(findings)) {
		fputs("No rule was evaluated.\n\n", out);
		return;
	}
	fputs("| Rule | Jurisdiction | Outcome | Figures | Reason |\n"
	      "|---|---|---|---|---|\n", out);
	json_array_foreach(findings, i, f) {
		int outcome = fg_rd_outcome(f);

		fputs("| ", out);
		fg_md_code(out, fg_rd_str(f, "rule"));
		fputs(" | ", out);
		cell(out, fg_rd_str(f, "jurisdiction"));
		fprintf(out, outcome == FG_RD_TRIGGERED ? " | **%s** | " :
			" | %s | ", outcome_labels[outcome]);
		if (!write_comparison(out, f))
			fputs(EM_DASH, out);
		fputs(" | ", out);
		cell(out, fg_rd_str(f, "reason"));
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

static void range_cells(FILE *out, const json_t *range)
{
	static const char *const keys[] = {"low", "central", "high"};
	char buf[FG_FIGURE_SIZE];
	double v;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (fg_rd_num(&v, range, keys[i]))
			fprintf(out, " | %s", fg_rd_sci(buf, sizeof(buf), v,
							 NULL));
		else
			fputs(" | " EM_DASH, out);
	}
	fputs(" |\n", out);
}

/* The hardware estimates' physical bounds, apart from their ranges: chips
 * x time x dense peak, the compute a run cannot have exceeded. */
static void write_physical_bounds(FILE *out, const json_t *phases)
{
	json_t *p, *m;
	char buf[FG_FIGURE_SIZE];
	size_t i, j;
	double v;
	int any = 0;

	json_array_foreach(phases, i, p)
		json_array_foreach(fg_rd_array(p, "methods"), j, m) {
			if (!fg_rd_num(&v, m, "physical_bound_flop") || v <= 0)
				continue;
			fputs(any ? "; " : "Physical bound of the hardware "
			      "estimates (chips " TIMES " time " TIMES " dense "
			      "peak at 100 % utilization: what the compute "
			      "cannot exceed, not the high end of its range): ",
			      out);
			cell(out, fg_rd_str(p, "name"));
			fprintf(out, " %s", fg_rd_sci(buf, sizeof(buf), v,
						       "FLOP"));
			any = 1;
		}
	if (any)
		fputs(".\n\n", out);
}

static void write_compute(FILE *out, const json_t *run)
{
	json_t *compute = json_object_get(run, "compute");
	json_t *phases = fg_rd_array(compute, "phases"), *p, *m, *kinds, *r;
	json_t *progress = json_object_get(compute, "progress");
	const char *kind, *s;
	char buf[FG_FIGURE_SIZE];
	size_t i, j;
	double v;

	if (!json_is_object(compute)) {
		fputs("The document carries no compute figures.\n\n", out);
		return;
	}
	fputs("FLOP per phase and method; a phase's central value comes "
	      "from its strongest evidence (measured > declared > "
	      "architecture > hardware), its range is the envelope of all "
	      "its estimates.\n\n"
	      "| Phase | Kind | Method | Low | Central | High |\n"
	      "|---|---|---|---|---|---|\n", out);
	json_array_foreach(phases, i, p) {
		fputs("| ", out);
		cell(out, fg_rd_str(p, "name"));
		fputs(" | ", out);
		fg_md_code(out, fg_rd_str(p, "kind"));
		fputs(" | **phase** (central: ", out);
		cell(out, fg_rd_str(p, "central_method"));
		fputc(')', out);
		range_cells(out, json_object_get(p, "flop"));
		json_array_foreach(fg_rd_array(p, "methods"), j, m) {
			fputs("| | | ", out);
			cell(out, fg_rd_str(m, "method"));
			range_cells(out, json_object_get(m, "flop"));
		}
	}
	kinds = json_object_get(compute, "by_kind");
	if (json_is_object(kinds) && json_object_size(kinds) > 1)
		json_object_foreach(kinds, kind, r) {
			fputs("| **Total** | ", out);
			fg_md_code(out, kind);
			fputs(" | ", out);
			fputs(EM_DASH, out);
			range_cells(out, r);
		}
	fputs("| **Total** | all | " EM_DASH, out);
	range_cells(out, json_object_get(compute, "training_compute_flop"));
	fputc('\n', out);
	write_physical_bounds(out, phases);
	if (json_is_object(progress) &&
	    fg_rd_num(&v, progress, "measured_flop")) {
		fprintf(out, "Measured progress: %s",
			fg_rd_sci(buf, sizeof(buf), v, "FLOP"));
		if ((s = fg_rd_str(progress, "at"))) {
			fputs(" at ", out);
			fg_md_text(out, s);
		}
		if (fg_rd_num(&v, progress, "flop_per_second") && v > 0)
			fprintf(out, ", %s",
				fg_rd_sci(buf, sizeof(buf), v, "FLOP/s"));
		fputs(".\n\n", out);
	}
}

static void write_warnings(FILE *out, const json_t *run)
{
	json_t *warnings = fg_rd_array(run, "warnings"), *w;
	size_t i;

	if (!json_array_size(warnings)) {
		fputs("None.\n\n", out);
		return;
	}
	json_array_foreach(warnings, i, w) {
		fputs("- ", out);
		cell(out, json_string_value(w));
		fputc('\n', out);
	}
	fputc('\n', out);
}

/* One row of the Annex XI table; 0 reads "not known" because the
 * estimator leaves a figure it cannot derive at 0. */
static void annex_row(FILE *out, const char *label, const json_t *compute,
		      const char *key, const char *unit)
{
	char buf[FG_FIGURE_SIZE];
	double v;

	fprintf(out, "| %s | ", label);
	if (!fg_rd_num(&v, compute, key) || v <= 0)
		fputs(strcmp(key, "cost_usd") ? "not known" : "not given", out);
	else if (!strcmp(key, "training_seconds"))
		fputs(fg_format_duration(v, buf, sizeof(buf)), out);
	else if (!strcmp(key, "pue") || !strcmp(key, "server_overhead"))
		fprintf(out, "%.3g", v);
	else if (!strcmp(key, "cost_usd"))
		fputs(fg_figure_double(buf, sizeof(buf), v, FG_UNIT_USD), out);
	else if (!strcmp(key, "cluster_peak_flops"))
		fputs(fg_figure_double(buf, sizeof(buf), v, FG_UNIT_OP_PER_S),
		      out);
	else
		fputs(fg_rd_sci(buf, sizeof(buf), v, unit), out);
	fputs(" |\n", out);
}

static void write_annex_xi(FILE *out, const json_t *run)
{
	json_t *compute = json_object_get(run, "compute");
	json_t *total = json_object_get(compute, "training_compute_flop");
	char buf[FG_FIGURE_SIZE];
	double v;

	/* AI Act Annex XI §2(d) "computational resources used to train the
	 * model (e.g. number of floating point operations), training time,
	 * and other relevant details"; §2(e) known or estimated energy. */
	fputs("The figures AI Act Annex XI §2(d)" EN_DASH "(e) asks for.\n\n"
	      "| Figure | Value |\n|---|---|\n", out);
	fprintf(out, "| Training compute (central) | %s |\n",
		fg_rd_num(&v, total, "central") ?
		fg_rd_sci(buf, sizeof(buf), v, "FLOP") : "not known");
	annex_row(out, "Training time", compute, "training_seconds", NULL);
	annex_row(out, "Chip-hours", compute, "chip_hours", "chip-hours");
	annex_row(out, "Energy", compute, "energy_kwh", "kWh");
	if (json_is_number(json_object_get(compute, "pue")))
		annex_row(out, "PUE", compute, "pue", NULL);
	if (json_is_number(json_object_get(compute, "server_overhead")))
		annex_row(out, "Server overhead", compute, "server_overhead",
			  NULL);
	annex_row(out, "Cost", compute, "cost_usd", NULL);
	annex_row(out, "Cluster peak (dense, the chip's highest number format)",
		  compute, "cluster_peak_flops", NULL);
	annex_row(out, "FLOP per token", compute, "flop_per_token", NULL);
	fputc('\n', out);
}

static void write_waivers(FILE *out, const json_t *run)
{
	json_t *f, *w;
	size_t i;
	int any = 0;

	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		w = json_object_get(f, "waiver");
		if (!json_is_object(w))
			continue;
		if (!any)
			fputs("| Rule | Status | Reason | Approved by | "
			      "Expires |\n|---|---|---|---|---|\n", out);
		any = 1;
		fputs("| ", out);
		fg_md_code(out, fg_rd_str(f, "rule"));
		fputs(fg_rd_outcome(f) == FG_RD_WAIVED ? " | used | " :
		      " | expired, covers nothing | ", out);
		cell(out, fg_rd_str(w, "reason"));
		fputs(" | ", out);
		cell(out, fg_rd_str(w, "approved_by"));
		fputs(" | ", out);
		cell(out, fg_rd_str(w, "expires"));
		fputs(" |\n", out);
	}
	fputs(any ? "\n" : "No waiver was used and none expired.\n\n", out);
}

static void write_provenance(FILE *out, const json_t *doc, const json_t *run,
			     const fg_report_provenance *prov)
{
	const char *file = fg_rd_str(run, "file"), *s;
	json_t *rs;
	size_t i;
	double v;

	fputs("| Item | Value |\n|---|---|\n| Run | ", out);
	fg_md_code(out, fg_rd_str(run, "id"));
	fputs(" |\n| Run file | ", out);
	cell(out, file);
	if (file && fg_rd_num(&v, run, "line"))
		fprintf(out, ", line %.0f", v);
	fputs(" |\n| Input SHA-256 | ", out);
	fg_md_code(out, fg_rd_str(run, "input_sha256"));
	fputs(" |\n", out);
	json_array_foreach(fg_rd_array(doc, "rulesets"), i, rs) {
		fputs("| Ruleset ", out);
		fg_md_code(out, fg_rd_str(rs, "id"));
		fputs(" | ", out);
		if ((s = fg_rd_str(rs, "version"))) {
			fputs("version ", out);
			fg_md_text(out, s);
			fputs(", ", out);
		}
		fputs("SHA-256 ", out);
		fg_md_code(out, fg_rd_str(rs, "sha256"));
		fputs(" |\n", out);
	}
	fputs("| Evaluation id | ", out);
	if (prov && prov->evaluation_id > 0)
		fprintf(out, "%lld", prov->evaluation_id);
	else if (fg_rd_num(&v, doc, "evaluation_id"))
		fprintf(out, "%.0f", v);
	else
		fputs("not recorded", out);
	fputs(" |\n| As of | ", out);
	cell(out, fg_rd_str(doc, "as_of"));
	fputs(" |\n| Actor | ", out);
	cell(out, fg_rd_str(doc, "actor"));
	fputs(" |\n| Tool version | flopgate ", out);
	cell(out, fg_rd_str(doc, "flopgate"));
	fputs(" |\n", out);
	if (prov) {
		fputs("| Recorded at | ", out);
		cell(out, prov->recorded_at);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

/* Text for a line of a fenced code block: no line breaks, so no line of
 * ours can close the fence. */
static void code_text(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "-");

	for (; *s; s++)
		fputc(*s < 0x20 || *s == 0x7F ? ' ' : *s, out);
}

static void exact_range(FILE *out, const json_t *range)
{
	double low, central, high;

	if (fg_rd_num(&low, range, "low") &&
	    fg_rd_num(&central, range, "central") &&
	    fg_rd_num(&high, range, "high"))
		fprintf(out, " low=%.17g central=%.17g high=%.17g\n", low,
			central, high);
	else
		fputs(" (no range)\n", out);
}

/* Each finding's figures as the evaluator compared them: reduced
 * fractions of decimal integers (value_exact, ...), and the relation that
 * holds between value and threshold; the compute ranges above are the
 * doubles of the result document in full. */
static void write_exact(FILE *out, const json_t *run)
{
	static const char *const keys[] = {
		"value_exact", "threshold_exact", "low_exact", "high_exact"
	};
	static const char *const doubles[] = {
		"headroom", "headroom_tokens", "near"
	};
	const char *x;
	json_t *compute = json_object_get(run, "compute"), *p, *m, *f;
	size_t i, j;
	double v;

	fputs("```text\ntraining_compute_flop", out);
	exact_range(out, json_object_get(compute, "training_compute_flop"));
	json_array_foreach(fg_rd_array(compute, "phases"), i, p) {
		fputs("phase ", out);
		code_text(out, fg_rd_str(p, "name"));
		exact_range(out, json_object_get(p, "flop"));
		json_array_foreach(fg_rd_array(p, "methods"), j, m) {
			fputs("phase ", out);
			code_text(out, fg_rd_str(p, "name"));
			fputs(" method ", out);
			code_text(out, fg_rd_str(m, "method"));
			exact_range(out, json_object_get(m, "flop"));
		}
	}
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		if (!fg_rd_num(&v, f, "value"))
			continue;
		fputs("rule ", out);
		code_text(out, fg_rd_str(f, "rule"));
		if ((x = fg_rd_str(f, "relation"))) {
			fputs(" relation=", out);
			code_text(out, x);
		}
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			if ((x = fg_rd_str(f, keys[j]))) {
				fprintf(out, " %s=", keys[j]);
				code_text(out, x);
			}
		for (j = 0; j < sizeof(doubles) / sizeof(doubles[0]); j++)
			if (fg_rd_num(&v, f, doubles[j]))
				fprintf(out, " %s=%.17g", doubles[j], v);
		fputc('\n', out);
	}
	fputs("```\n\n", out);
}

/* A fence longer than any run of backticks in text, so text cannot close
 * it. */
static void write_fenced(FILE *out, const char *text)
{
	size_t longest = 0, run = 0, fence, i;
	const char *p;

	for (p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	fence = longest < 3 ? 3 : longest + 1;
	for (i = 0; i < fence; i++)
		fputc('`', out);
	fputs("text\n", out);
	fputs(text, out);
	if (*text && text[strlen(text) - 1] != '\n')
		fputc('\n', out);
	for (i = 0; i < fence; i++)
		fputc('`', out);
	fputs("\n\n", out);
}

static void write_checkpoint(FILE *out, const fg_report_provenance *prov)
{
	if (prov->checkpoint && *prov->checkpoint) {
		fputs("The audit chain this report was rendered from; hold it "
		      "against the database with `flopgate audit verify "
		      "--checkpoint FILE`.\n\n", out);
		write_fenced(out, prov->checkpoint);
	} else {
		fputs("No checkpoint was given.\n\n", out);
	}
	if (prov->verified == 1) {
		fputs("Audit verify **passed** at render time", out);
		if (prov->verify_message && *prov->verify_message) {
			fputs(": ", out);
			fg_md_text(out, prov->verify_message);
		}
		fputs(".\n", out);
	} else if (prov->verified == 0) {
		write_verify_warning(out, prov);
	} else {
		fputs("Audit verify was not run at render time.\n", out);
	}
}

/* The report's chart, beside it: an image GitHub renders, and the file
 * named for a reader of the raw text. */
static void write_chart_link(FILE *out, const fg_report_provenance *prov,
			     const char *what)
{
	char safe[FG_REPORT_FILENAME_MAX + 8];
	size_t i;

	if (!prov || !prov->chart || !*prov->chart)
		return;
	/* a name of fg_report_filename's characters only, or none */
	for (i = 0; prov->chart[i] && i + 1 < sizeof(safe); i++) {
		char c = prov->chart[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return;
		safe[i] = c;
	}
	if (prov->chart[i])
		return;
	safe[i] = 0;
	fprintf(out, "![%s](%s)\n\nChart: [%s](%s) (SVG, beside this "
		"report).\n\n", what, safe, safe, safe);
}

static void write_run(FILE *out, const json_t *doc, const json_t *run,
		      const fg_report_provenance *prov, int level)
{
	json_t *f;
	size_t i;
	int any = 0;

	heading(out, level);
	fputs("Compliance report: ", out);
	fg_md_text(out, fg_rd_str(run, "id"));
	fputs("\n\n", out);
	write_verify_warning(out, prov);
	write_verdict(out, doc, run);
	write_run_facts(out, doc, run, prov);
	write_chart_link(out, prov, "The run's compute (low, central and "
			 "high estimates) against every line it is held to, "
			 "on a log scale");

	heading(out, level + 1);
	fputs("Triggered and near rules\n\n", out);
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		int outcome = fg_rd_outcome(f);

		if (outcome != FG_RD_TRIGGERED && outcome != FG_RD_NEAR)
			continue;
		write_rule_section(out, level + 2, f);
		any = 1;
	}
	if (!any)
		fputs("No rule is triggered or near.\n\n", out);

	heading(out, level + 1);
	fputs("All rules evaluated\n\n", out);
	write_rules_table(out, run);
	heading(out, level + 1);
	fputs("Compute\n\n", out);
	write_compute(out, run);
	heading(out, level + 1);
	fputs("Warnings\n\n", out);
	write_warnings(out, run);
	heading(out, level + 1);
	fputs("Annex XI figures\n\n", out);
	write_annex_xi(out, run);
	heading(out, level + 1);
	fputs("Waivers\n\n", out);
	write_waivers(out, run);
	heading(out, level + 1);
	fputs("Provenance\n\n", out);
	write_provenance(out, doc, run, prov);
	heading(out, level + 1);
	fputs("Exact figures\n\n", out);
	fputs("Each rule's value, threshold and range exactly, as reduced "
	      "fractions of decimal integers, with the relation that holds "
	      "between value and threshold; the compute ranges, headroom "
	      "and near fraction are the result document's doubles in "
	      "full.\n\n", out);
	write_exact(out, run);
	if (prov) {
		heading(out, level + 1);
		fputs("Audit checkpoint\n\n", out);
		write_checkpoint(out, prov);
	}
}

int fg_render_markdown_run(FILE *out, const json_t *doc, size_t run_index,
			   const fg_report_provenance *prov, fg_error *err)
{
	fg_rd_facts facts;
	json_t *runs, *run;
	int rc;

	if ((rc = fg_rd_check_doc(doc, err)))
		return rc;
	runs = fg_rd_array(doc, "runs");
	if (run_index >= json_array_size(runs))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "result document: no run %zu (it holds "
				    "%zu)", run_index, json_array_size(runs));
	if (fg_rd_facts_init(&facts, doc))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	run = fg_rd_join_run(&facts, json_array_get(runs, run_index));
	fg_rd_facts_free(&facts);
	if (!run)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	write_run(out, doc, run, prov, 1);
	json_decref(run);
	return write_failed(out, err);
}

/* The head of `check --format markdown`: the gate verdict first. */
static void write_check_header(FILE *out, const json_t *head,
			       const json_t *gate, size_t runs)
{
	const char *as_of = fg_rd_str(head, "as_of");
	const char *fail_on = fg_rd_str(gate, "fail_on");
	json_t *passed = json_object_get(gate, "passed");
	double failures;

	fputs("# flopgate check\n\n", out);
	if (json_is_boolean(passed)) {
		fputs(json_is_true(passed) ? "**Gate passed**" :
		      "**Gate failed**", out);
		if (fail_on) {
			fputs(" (fail on ", out);
			fg_md_text(out, fail_on);
			fputc(')', out);
		}
		if (fg_rd_num(&failures, gate, "failures"))
			fprintf(out, ": %.0f finding%s fail%s it", failures,
				failures == 1 ? "" : "s",
				failures == 1 ? "s" : "");
		fputs(". ", out);
	}
	fprintf(out, "%zu run%s, %zu ruleset%s", runs, plural((long)runs),
		json_array_size(fg_rd_array(head, "rulesets")),
		plural((long)json_array_size(fg_rd_array(head, "rulesets"))));
	if (as_of) {
		fputs(", as of ", out);
		fg_md_text(out, as_of);
	}
	fputs(".\n\n", out);
}

int fg_render_markdown_check(FILE *out, const json_t *whole, fg_error *err)
{
	json_t *runs, *run, *doc;
	size_t i;
	int rc;

	if ((rc = fg_rd_check_doc(whole, err)))
		return rc;
	if (!(doc = fg_rd_join_doc(whole)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	runs = fg_rd_array(doc, "runs");
	write_check_header(out, doc, json_object_get(doc, "gate"),
			   json_array_size(runs));
	json_array_foreach(runs, i, run)
		write_run(out, doc, run, NULL, 2);
	json_decref(doc);
	return write_failed(out, err);
}

/* `check --format markdown` as a sink: the runs go to a spool, the verdict
 * (known at the end) before them. */
typedef struct md_sink {
	fg_output *out;
	FILE *body;
	fg_rd_facts facts;
} md_sink;

static int md_begin(void *self, fg_check_info *info, fg_error *err)
{
	md_sink *m = self;

	if (fg_rd_facts_init(&m->facts, info->head))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return fg_spool_open(&m->body, err);
}

static int md_run(void *self, const fg_check_info *info,
		  const fg_check_result *r, fg_error *err)
{
	md_sink *m = self;
	json_t *run = fg_rd_join_run(&m->facts, fg_check_result_document(r));

	if (!run)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	write_run(m->body, info->head, run, NULL, 2);
	json_decref(run);
	return ferror(m->body) ? fg_error_set(err, FG_EIO, NULL, 0, 0,
					      "cannot write a temporary "
					      "file") : 0;
}

static int md_end(void *self, const fg_check_info *info,
		  const fg_check_summary *s, fg_error *err)
{
	md_sink *m = self;
	FILE *out = fg_output_stream(m->out);
	json_t *gate = json_pack("{s:s, s:b, s:I}", "fail_on",
				 fg_fail_on_name(info->fail_on), "passed",
				 s->gate_passed, "failures",
				 (json_int_t)s->gate_failures);
	int rc;

	if (!gate)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	write_check_header(out, info->head, gate, s->runs);
	json_decref(gate);
	if ((rc = fg_spool_copy(m->body, out, err)) < 0)
		return rc;
	return write_failed(out, err);
}

static int md_commit(void *self, fg_error *err)
{
	return fg_output_commit(((md_sink *)self)->out, err);
}

static void md_free(void *self)
{
	md_sink *m = self;

	if (m->body)
		fclose(m->body);
	fg_rd_facts_free(&m->facts);
	fg_output_free(m->out);
	free(m);
}

static const fg_sink_ops md_ops = {
	md_begin, md_run, md_end, md_commit, NULL, md_free, 0
};

fg_sink *fg_render_markdown_sink(fg_output *out)
{
	md_sink *m = calloc(1, sizeof(*m));

	if (!m) {
		fg_output_free(out);
		return NULL;
	}
	m->out = out;
	return fg_sink_new(&md_ops, m);
}

/* ---- the auditor summary ------------------------------------------------ */

/* The summary is written run by run: its tables' rows wait in temporary
 * files, its deadlines in a temporary sort, and only the counts that head
 * it stay in memory.  So a summary of any number of runs costs the memory
 * of one. */
struct fg_summary {
	FILE *runs, *near, *waivers;   /* rows, in run order */
	size_t run_rows, near_rows, waiver_rows;
	fg_sorter *deadlines;
	fg_sorter *overdue, *soon;      /* the deadlines that need action */
	fg_chart_acc *chart;
	char *row;                      /* a deadline row being written */
	size_t row_size;
	FILE *row_out;
	long findings[FG_RD_OUTCOME_COUNT], verdicts[FG_RD_OUTCOME_COUNT];
	long run_count, finding_count, unevaluated;
};

static void run_link(FILE *out, const json_t *run)
{
	char name[FG_REPORT_FILENAME_MAX + 1];
	const char *id = fg_rd_str(run, "id");

	fputc('[', out);
	fg_md_text(out, id);
	if (fg_report_filename(name, sizeof(name), id) == 0)
		fprintf(out, "](%s)", name);
	else
		fputs("]()", out);
}

/* 1 when the run is placed where finding f's rule applies: one of the
 * run's jurisdictions is covered by one of the rule's (applies_to, else
 * its jurisdiction), as the evaluator decides (a US-CA run by the US
 * rules, a DE run by the EU's). */
static int placed_there(const json_t *run, const json_t *f)
{
	json_t *codes = fg_rd_array(f, "applies_to"), *c, *r;
	const char *own = fg_rd_str(f, "jurisdiction");
	size_t i, j;

	json_array_foreach(fg_rd_array(run, "jurisdictions"), j, r) {
		if (!json_is_string(r))
			continue;
		if (own && !json_array_size(codes) &&
		    fg_jurisdiction_covers(own, json_string_value(r)))
			return 1;
		json_array_foreach(codes, i, c)
			if (json_is_string(c) &&
			    fg_jurisdiction_covers(json_string_value(c),
						   json_string_value(r)))
				return 1;
	}
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_summary_rows(FILE *out, const json_t *run)
{
	const char *list[MAX_LIST];
	size_t n = 0, i;
	json_t *j, *f;
	tally t;
	int v, k;

	json_array_foreach(fg_rd_array(run, "jurisdictions"), i, j)
		list_add(list, &n, json_string_value(j));
	/* a rule's jurisdiction gets a row when the run is placed there:
	 * named in the run, or covered by it (a US run, the US-CA rules);
	 * not for a market the run is not placed in, whose rules are all
	 * not applicable */
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		const char *jur = fg_rd_str(f, "jurisdiction");

		if (fg_rd_outcome(f) != FG_RD_NOT_APPLICABLE ||
		    placed_there(run, f))
			list_add(list, &n, jur ? jur : "");
	}
	if (!n)
		list[n++] = "";
	qsort(list, n, sizeof(list[0]), compare_strings);
	for (i = 0; i < n; i++) {
		tally_run(&t, run, list[i]);
		v = tally_verdict(&t);
		fputs("| ", out);
		run_link(out, run);
		fputs(" | ", out);
		cell(out, list[i]);
		fprintf(out, v == FG_RD_TRIGGERED ? " | **%s**" : " | %s",
			v < 0 ? "no rule" : outcome_labels[v]);
		for (k = 0; k < FG_RD_OUTCOME_COUNT; k++)
			fprintf(out, " | %ld", t.n[k]);
		fputs(" |\n", out);
	}
}

/* One row of the deadlines table. */
static void write_deadline(FILE *out, const char *due, const char *as_of,
			   const json_t *run, const json_t *finding,
			   const json_t *o)
{
	const char *text = fg_rd_str(o, "text");

	fputs("| ", out);
	fg_md_text(out, due);
	fputs(" | ", out);
	if (as_of && strcmp(due, as_of) < 0) {
		fputs("**overdue** as of ", out);
		fg_md_text(out, as_of);
	} else
		fputs("open", out);
	fputs(" | ", out);
	run_link(out, run);
	fputs(" | ", out);
	fg_md_code(out, fg_rd_str(finding, "rule"));
	fputs(" | ", out);
	cell(out, text ? text : fg_rd_str(o, "id"));
	fputs(" | ", out);
	cell(out, fg_rd_str(o, "citation"));
	fputs(" |\n", out);
}

/* A deadline that needs action as of as_of: -1 overdue (due before it),
 * 1 due within SOON_DAYS of it, 0 neither (or a date that does not
 * parse). */
#define SOON_DAYS 30
static int urgency(const char *due, const char *as_of)
{
	fg_date d, a;

	if (!due || !as_of || fg_date_parse(&d, due) ||
	    fg_date_parse(&a, as_of))
		return 0;
	return d < a ? -1 : d <= a + SOON_DAYS ? 1 : 0;
}

/* Sorted by due date, then run, rule and obligation id. */
static int add_deadlines(fg_summary *s, const json_t *doc, const json_t *run,
			 fg_error *err)
{
	const char *as_of = fg_rd_str(doc, "as_of"), *keys[4];
	json_t *f, *o;
	size_t j, k;
	int rc, outcome, urgent;

	json_array_foreach(fg_rd_array(run, "findings"), j, f) {
		outcome = fg_rd_outcome(f);
		if (outcome != FG_RD_TRIGGERED && outcome != FG_RD_NEAR)
			continue;
		json_array_foreach(fg_rd_array(f, "obligations"), k, o) {
			if (!(keys[0] = fg_rd_str(o, "due")))
				continue;
			keys[1] = fg_rd_str(run, "id");
			keys[2] = fg_rd_str(f, "rule");
			keys[3] = fg_rd_str(o, "id") ? fg_rd_str(o, "id") : "";
			if (fseek(s->row_out, 0, SEEK_SET))
				return fg_error_set(err, FG_EIO, NULL, 0, 0,
						    "cannot write a report");
			write_deadline(s->row_out, keys[0], as_of, run, f, o);
			if (fflush(s->row_out))
				return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						    "out of memory");
			if ((rc = fg_sorter_add(s->deadlines, keys, s->row,
						(size_t)ftell(s->row_out),
						err)) < 0)
				return rc;
			urgent = urgency(keys[0], as_of);
			if (urgent && (rc = fg_sorter_add(
					urgent < 0 ? s->overdue : s->soon,
					keys, s->row,
					(size_t)ftell(s->row_out), err)) < 0)
				return rc;
		}
	}
	return 0;
}

static void write_near_rows(FILE *out, const json_t *run, size_t *rows)
{
	const char *by;
	char buf[FG_RELATION_SIZE];
	json_t *f;
	size_t j;
	double near;

	json_array_foreach(fg_rd_array(run, "findings"), j, f) {
		if (fg_rd_outcome(f) != FG_RD_NEAR)
			continue;
		(*rows)++;
		fputs("| ", out);
		run_link(out, run);
		fputs(" | ", out);
		fg_md_code(out, fg_rd_str(f, "rule"));
		fputs(" | ", out);
		fputs(fg_rd_comparison(buf, sizeof(buf), f) ? buf : EM_DASH,
		      out);
		if (fg_rd_headroom(buf, sizeof(buf), f))
			fprintf(out, "; %s", buf);
		fputs(" | ", out);
		by = fg_rd_str(f, "decided_by");
		if (by && strcmp(by, "central") &&
		    fg_rd_end_comparison(buf, sizeof(buf), f, by))
			fprintf(out, "at %s, %s", fg_rd_decided_by(f), buf);
		else if (fg_rd_num(&near, f, "near") &&
			 fg_rd_near_line(buf, sizeof(buf), f, near))
			fprintf(out, "the central estimate is at least %.3g %% "
				"of the line (%s)", near * 100, buf);
		else
			fputs(EM_DASH, out);
		fputs(" | ", out);
		cell(out, fg_rd_str(f, "projected_crossing"));
		fputs(" |\n", out);
	}
}

static void write_expired_rows(FILE *out, const json_t *run, size_t *rows)
{
	json_t *f, *w;
	size_t j;

	json_array_foreach(fg_rd_array(run, "findings"), j, f) {
		w = json_object_get(f, "waiver");
		if (!json_is_object(w) || fg_rd_outcome(f) == FG_RD_WAIVED)
			continue;
		(*rows)++;
		fputs("| ", out);
		run_link(out, run);
		fputs(" | ", out);
		fg_md_code(out, fg_rd_str(f, "rule"));
		fputs(" | ", out);
		cell(out, fg_rd_str(w, "expires"));
		fputs(" | ", out);
		cell(out, fg_rd_str(w, "approved_by"));
		fputs(" | ", out);
		cell(out, fg_rd_str(w, "reason"));
		fputs(" |\n", out);
	}
}

int fg_summary_new(fg_summary **out, fg_error *err)
{
	fg_summary *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = fg_spool_open(&s->runs, err)) < 0 ||
	    (rc = fg_spool_open(&s->near, err)) < 0 ||
	    (rc = fg_spool_open(&s->waivers, err)) < 0 ||
	    (rc = fg_sorter_new(&s->deadlines, err)) < 0 ||
	    (rc = fg_sorter_new(&s->overdue, err)) < 0 ||
	    (rc = fg_sorter_new(&s->soon, err)) < 0)
		goto fail;
	if (fg_chart_acc_new(&s->chart)) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (!(s->row_out = open_memstream(&s->row, &s->row_size))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	fg_summary_free(s);
	return rc;
}

int fg_summary_add(fg_summary *s, const json_t *whole, fg_error *err)
{
	json_t *doc, *run;
	size_t i;
	tally t;
	int rc = 0, k, v;

	if ((rc = fg_rd_check_doc(whole, err)))
		return rc;
	if (!(doc = fg_rd_join_doc(whole)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	json_array_foreach(fg_rd_array(doc, "runs"), i, run) {
		tally_run(&t, run, NULL);
		s->run_count++;
		s->finding_count += t.total;
		for (k = 0; k < FG_RD_OUTCOME_COUNT; k++)
			s->findings[k] += t.n[k];
		if ((v = tally_verdict(&t)) >= 0)
			s->verdicts[v]++;
		else
			s->unevaluated++;
		write_summary_rows(s->runs, run);
		s->run_rows++;
		write_near_rows(s->near, run, &s->near_rows);
		write_expired_rows(s->waivers, run, &s->waiver_rows);
		if ((rc = add_deadlines(s, doc, run, err)) < 0)
			break;
		if (fg_chart_acc_add(s->chart, run)) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			break;
		}
	}
	json_decref(doc);
	if (rc == 0 && (ferror(s->runs) || ferror(s->near) ||
			ferror(s->waivers)))
		rc = fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				  "temporary file");
	return rc;
}

static void write_headline(FILE *out, const fg_summary *s)
{
	int k;

	fprintf(out, "**%ld run%s**, %ld finding%s: %ld triggered, %ld near, "
		"%ld indeterminate, %ld waived, %ld clear, %ld not "
		"applicable.\n\n", s->run_count, plural(s->run_count),
		s->finding_count, plural(s->finding_count),
		s->findings[FG_RD_TRIGGERED], s->findings[FG_RD_NEAR],
		s->findings[FG_RD_INDETERMINATE], s->findings[FG_RD_WAIVED],
		s->findings[FG_RD_CLEAR], s->findings[FG_RD_NOT_APPLICABLE]);
	fputs("| Outcome | Findings | Runs with it as their verdict |\n"
	      "|---|---|---|\n", out);
	for (k = 0; k < FG_RD_OUTCOME_COUNT; k++)
		fprintf(out, "| %s | %ld | %ld |\n", outcome_labels[k],
			s->findings[k], s->verdicts[k]);
	if (s->unevaluated)
		fprintf(out, "| no rule evaluated | 0 | %ld |\n",
			s->unevaluated);
	fputc('\n', out);
}

static int put_line(void *ctx, const char *line, size_t length)
{
	return fwrite(line, 1, length, ctx) == length ? 0 : FG_EIO;
}

#define DEADLINE_HEADER "| Due | Status | Run | Rule | Obligation | Citation |\n" \
	"|---|---|---|---|---|---|\n"

/* The rows of a sorter of deadlines under their header, or `none`. */
static int write_deadlines(FILE *out, fg_sorter *rows, const char *none,
			   fg_error *err)
{
	int rc;

	if (!fg_sorter_count(rows)) {
		fprintf(out, "%s\n\n", none);
		return 0;
	}
	fputs(DEADLINE_HEADER, out);
	if ((rc = fg_sorter_each(rows, put_line, out, err)) < 0)
		return rc == FG_EIO ? fg_error_set(err, FG_EIO, NULL, 0, 0,
			"cannot write the Markdown report") : rc;
	fputc('\n', out);
	return 0;
}

/* What needs action first: obligations overdue, those due within
 * SOON_DAYS days, and findings near a line. */
static int write_needs_action(FILE *out, fg_summary *s, fg_error *err)
{
	size_t overdue = fg_sorter_count(s->overdue);
	size_t soon = fg_sorter_count(s->soon);
	int rc;

	fputs("## Needs action\n\n", out);
	if (!overdue && !soon && !s->near_rows)
		fputs("Nothing: no obligation is overdue or due within "
		      "30 days, and no run is near a line.\n\n", out);
	else
		fprintf(out, "**%zu obligation%s overdue**, %zu due within "
			"%d days, %zu finding%s near a line.\n\n", overdue,
			plural((long)overdue), soon, SOON_DAYS, s->near_rows,
			plural((long)s->near_rows));
	fputs("### Overdue\n\n", out);
	if ((rc = write_deadlines(out, s->overdue, "No obligation is "
				  "overdue.", err)) < 0)
		return rc;
	fprintf(out, "### Due within %d days\n\n", SOON_DAYS);
	if ((rc = write_deadlines(out, s->soon, "No obligation falls due "
				  "within 30 days.", err)) < 0)
		return rc;
	fputs("### Near a line\n\n", out);
	if (s->near_rows) {
		fputs("| Run | Rule | Central estimate against the line | "
		      "Near because | Projected crossing |\n"
		      "|---|---|---|---|---|\n", out);
		if ((rc = fg_spool_copy(s->near, out, err)) < 0)
			return rc;
		fputc('\n', out);
	} else {
		fputs("No run is near a line.\n\n", out);
	}
	return 0;
}

int fg_summary_write(fg_summary *s, FILE *out,
		     const fg_report_provenance *prov, fg_error *err)
{
	int rc, k;

	fputs("# Compliance summary\n\n", out);
	write_verify_warning(out, prov);

	if ((rc = write_needs_action(out, s, err)) < 0)
		return rc;
	fputs("## Outcomes\n\n", out);
	write_headline(out, s);
	write_chart_link(out, prov, "Every run's compute (low, central and "
			 "high estimates) against every line, on a log "
			 "scale");
	if (prov && prov->chart &&
	    fg_chart_acc_ranged(s->chart) > fg_chart_acc_runs(s->chart))
		fprintf(out, "The chart draws the first %zu of %zu runs with "
			"a compute estimate.\n\n", fg_chart_acc_runs(s->chart),
			fg_chart_acc_ranged(s->chart));

	fputs("## Runs\n\n", out);
	if (!s->run_rows) {
		fputs("No run is recorded.\n\n", out);
	} else {
		fputs("| Run | Jurisdiction | Verdict", out);
		for (k = 0; k < FG_RD_OUTCOME_COUNT; k++)
			fprintf(out, " | %c%s",
				outcome_labels[k][0] - 'a' + 'A',
				outcome_labels[k] + 1);
		fputs(" |\n|---|---|---|---|---|---|---|---|---|\n", out);
		if ((rc = fg_spool_copy(s->runs, out, err)) < 0)
			return rc;
		fputc('\n', out);
	}

	fputs("## Upcoming deadlines\n\n", out);
	if ((rc = write_deadlines(out, s->deadlines, "No obligation with a "
				  "due date.", err)) < 0)
		return rc;
	fputs("## Expired waivers\n\n", out);
	if (s->waiver_rows) {
		fputs("| Run | Rule | Expired | Approved by | Reason |\n"
		      "|---|---|---|---|---|\n", out);
		if ((rc = fg_spool_copy(s->waivers, out, err)) < 0)
			return rc;
		fputc('\n', out);
	} else {
		fputs("No waiver has expired.\n\n", out);
	}
	fputs("## Audit checkpoint\n\n", out);
	if (prov)
		write_checkpoint(out, prov);
	else
		fputs("No checkpoint was given.\n", out);
	return write_failed(out, err);
}

int fg_summary_has_chart(const fg_summary *s)
{
	return s && fg_chart_acc_runs(s->chart) > 0;
}

int fg_summary_write_chart(fg_summary *s, FILE *out, fg_error *err)
{
	if (!fg_summary_has_chart(s))
		return fg_error_set(err, FG_ENOTFOUND, NULL, 0, 0, "no run has "
				    "a compute range to chart");
	return fg_chart_acc_write(s->chart, out, err);
}

void fg_summary_free(fg_summary *s)
{
	if (!s)
		return;
	if (s->runs)
		fclose(s->runs);
	if (s->near)
		fclose(s->near);
	if (s->waivers)
		fclose(s->waivers);
	if (s->row_out)
		fclose(s->row_out);
	free(s->row);
	fg_sorter_free(s->deadlines);
	fg_sorter_free(s->overdue);
	fg_sorter_free(s->soon);
	fg_chart_acc_free(s->chart);
	free(s);
}

int fg_render_markdown_summary(FILE *out, json_t *const *docs, size_t count,
			       const fg_report_provenance *prov,
			       fg_error *err)
{
	fg_summary *s = NULL;
	size_t i;
	int rc;

	if (count && !docs)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "summary: no documents");
	if ((rc = fg_summary_new(&s, err)) < 0)
		return rc;
	for (i = 0; i < count && rc == 0; i++)
		rc = fg_summary_add(s, docs[i], err);
	if (rc == 0)
		rc = fg_summary_write(s, out, prov, err);
	fg_summary_free(s);
	return rc;
}
