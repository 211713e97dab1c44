/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — rulesets as `flopgate rules list` and `flopgate rules test`
 * print them (include/flopgate/render.h).
 *
 * The list is a table, one rule a row: its id, where it applies, its
 * primary line ("training_compute_flop > 1.0 x 10^25", "(+N more)" when the
 * rule has more conditions; the number in ASCII so that the columns stay
 * aligned on any terminal), severity, the days it is in force (and why it
 * ended), and a transition.  A test case is one line, "ok - " or
 * "not ok - " with the expectation that failed and where it is written.
 */
#include "flopgate/render.h"

#include <stdio.h>
#include <string.h>

static int written(FILE *out, fg_error *err)
{
	if (ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write");
	return 0;
}

/* "training_compute_flop > 1.0 × 10^26" (+ "and 1 more condition"). */
static void line_text(char *buf, size_t size, const fg_rule *rule)
{
	const fg_condition *c = fg_rule_primary_leaf(rule);
	char num[64];
	size_t leaves = 0;
	const fg_condition *stack[64];
	size_t top = 0, i;

	if (!c) {
		snprintf(buf, size, "(attributes only)");
		return;
	}
	stack[top++] = &rule->when;
	while (top) {
		const fg_condition *n = stack[--top];

		if (n->type == FG_COND_METRIC || n->type == FG_COND_ATTRIBUTE)
			leaves++;
		for (i = 0; i < n->child_count && top < 64; i++)
			stack[top++] = &n->children[i];
	}
	if (c->metric == FG_METRIC_MODIFICATION_FRACTION)
		snprintf(num, sizeof(num), "%.4g", c->value);
	else
		fg_format_sci_ascii(c->value, num, sizeof(num));
	if (leaves > 1)
		snprintf(buf, size, "%s %s %s (+%zu more)",
			 fg_metric_name(c->metric), fg_op_name(c->op), num,
			 leaves - 1);
	else
		snprintf(buf, size, "%s %s %s", fg_metric_name(c->metric),
			 fg_op_name(c->op), num);
}

int fg_render_rules_list(FILE *out, const fg_ruleset_set *set,
			 fg_error *err)
{
	char line[256], where[64], from[16], until[16], before[16], by[16];
	size_t r, k, j;

	fprintf(out, "%-36s %-12s %-48s %-9s %s\n", "RULE", "WHERE", "LINE",
		"SEVERITY", "IN FORCE");
	for (r = 0; r < set->count; r++)
		for (k = 0; k < set->rulesets[r]->rule_count; k++) {
			const fg_rule *rule = &set->rulesets[r]->rules[k];
			size_t used = 0;

			where[0] = 0;
			for (j = 0; j < rule->jurisdiction_count &&
				    used < sizeof(where); j++)
				used += (size_t)snprintf(
					where + used, sizeof(where) - used,
					"%s%s", j ? "," : "",
					rule->jurisdictions[j]);
			line_text(line, sizeof(line), rule);
			fg_date_format(rule->effective_from, from);
			if (rule->effective_until == FG_DATE_NONE)
				snprintf(until, sizeof(until), "%s", "");
			else
				fg_date_format(rule->effective_until, until);
			fprintf(out, "%-36s %-12s %-48s %-9s %s..%s%s%s",
				rule->id, where, line,
				fg_severity_name(rule->severity), from, until,
				rule->ended ? " " : "",
				rule->ended ? rule->ended : "");
			if (rule->transition.placed_before != FG_DATE_NONE)
				fprintf(out, "; placed before %s: by %s (%s)",
					fg_date_format(
						rule->transition.placed_before,
						before),
					fg_date_format(
						rule->transition.comply_by, by),
					rule->transition.citation);
			fputc('\n', out);
		}
	return written(out, err);
}

static const char *owed_text(int owed)
{
	return owed == 1 ? "owed" : owed == 0 ? "not owed"
					      : "owed or not (cannot tell)";
}

/* "ok - RULESET: NAME: RULE is OUTCOME, OBLIGATION due DATE, ..." or
 * "not ok - ..., expected ... (FILE:LINE:COL)" naming the expectation that
 * failed. */
static void print_result(FILE *out, const fg_ruleset *rs,
			 const fg_rule_test_result *r)
{
	const fg_rule_expect *x = r->expect;
	const fg_due_expect *d = r->due_mismatch;
	char got[16], want[16];
	size_t i;

	if (r->passed) {
		fprintf(out, "ok - %s: %s: %s is %s", rs->id, r->test->name,
			x->rule_id, fg_outcome_name(r->got));
		for (i = 0; i < x->due_count; i++)
			fprintf(out, ", %s due %s", x->due[i].obligation_id,
				x->due[i].due == FG_DATE_NONE
					? "(no date)"
					: fg_date_format(x->due[i].due, got));
		for (i = 0; i < x->owed_count; i++)
			fprintf(out, ", %s %s", x->owed[i].obligation_id,
				owed_text(x->owed[i].owed));
		fputc('\n', out);
		return;
	}
	if (r->found && r->got == x->outcome && !d && r->owed_mismatch) {
		fprintf(out, "not ok - %s: %s: %s: %s %s, expected %s "
			"(%s:%d:%d)\n", rs->id, r->test->name, x->rule_id,
			r->owed_mismatch->obligation_id, owed_text(r->owed_got),
			owed_text(r->owed_mismatch->owed), rs->file,
			r->owed_mismatch->line, r->owed_mismatch->column);
		return;
	}
	if (!r->found || r->got != x->outcome || !d) {
		fprintf(out, "not ok - %s: %s: %s is %s, expected %s "
			"(%s:%d:%d)\n", rs->id, r->test->name, x->rule_id,
			r->found ? fg_outcome_name(r->got) : "not evaluated",
			fg_outcome_name(x->outcome), rs->file, x->line,
			x->column);
		return;
	}
	fprintf(out, "not ok - %s: %s: %s: %s due %s, expected %s "
		"(%s:%d:%d)\n", rs->id, r->test->name, x->rule_id,
		d->obligation_id,
		r->due_got == FG_DATE_NONE ? "(no date)"
					   : fg_date_format(r->due_got, got),
		d->due == FG_DATE_NONE ? "(no date)"
				       : fg_date_format(d->due, want),
		rs->file, d->line, d->column);
}

int fg_render_rule_tests(FILE *out, const fg_ruleset *rs,
			 const fg_rule_test_result *results, size_t count,
			 fg_error *err)
{
	size_t i;

	for (i = 0; i < count; i++)
		print_result(out, rs, &results[i]);
	return written(out, err);
}
