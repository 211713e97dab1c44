/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate rules lint | list | test: check, show and test rulesets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/evaluate.h"
#include "flopgate/rules.h"

static const char usage_text[] =
	"usage: flopgate rules lint PATH...\n"
	"       flopgate rules list [--rules PATH]...\n"
	"       flopgate rules test PATH...\n\n"
	"  lint   check ruleset files (or directories of *.yaml) and report\n"
	"         every problem as FILE:LINE:COL; exit 2 if there is any\n"
	"  list   the rules: id, jurisdictions, line, severity, dates in\n"
	"         force and transitions (default: the shipped rules)\n"
	"  test   run each ruleset's own `tests:` cases; exit 1 if one "
	"fails\n";

static size_t rule_count(const fg_ruleset_set *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->count; i++)
		n += set->rulesets[i]->rule_count;
	return n;
}

static int cmd_lint(int argc, char **argv)
{
	fg_ruleset_set *set;
	size_t tests = 0, i;
	int status;

	if (argc < 1)
		return fg_cli_usage_error("rules lint needs a PATH; see "
					  "flopgate rules --help");
	if ((status = fg_cli_load_rules(&set, argv, (size_t)argc)) != FG_EXIT_OK)
		return status;
	for (i = 0; i < set->count; i++)
		tests += set->rulesets[i]->test_count;
	printf("ok: %zu rulesets, %zu rules, %zu test cases\n", set->count,
	       rule_count(set), tests);
	fg_ruleset_set_free(set);
	return FG_EXIT_OK;
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

static int cmd_list(int argc, char **argv)
{
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	fg_ruleset_set *set = NULL;
	char line[256], where[64], from[16], until[16], before[16], by[16];
	int i, n = 0, status;
	size_t r, k, j;

	if (!paths)
		return FG_EXIT_STORE;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--rules") && i + 1 < argc) {
			paths[n++] = argv[++i];
		} else {
			free(paths);
			return fg_cli_usage_error("rules list: unexpected "
						  "`%s`; see flopgate rules "
						  "--help", argv[i]);
		}
	}
	status = fg_cli_load_rules(&set, paths, (size_t)n);
	free(paths);
	if (status != FG_EXIT_OK)
		return status;
	printf("%-36s %-12s %-48s %-9s %s\n", "RULE", "WHERE", "LINE",
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
			printf("%-36s %-12s %-48s %-9s %s..%s%s%s", rule->id,
			       where, line, fg_severity_name(rule->severity),
			       from, until, rule->ended ? " " : "",
			       rule->ended ? rule->ended : "");
			if (rule->transition.placed_before != FG_DATE_NONE)
				printf("; placed before %s: by %s (%s)",
				       fg_date_format(
					       rule->transition.placed_before,
					       before),
				       fg_date_format(
					       rule->transition.comply_by, by),
				       rule->transition.citation);
			putchar('\n');
		}
	fg_ruleset_set_free(set);
	return FG_EXIT_OK;
}

static const char *owed_text(int owed)
{
	return owed == 1 ? "owed" : owed == 0 ? "not owed"
					      : "owed or not (cannot tell)";
}

/* "ok - RULESET: NAME: RULE is OUTCOME, OBLIGATION due DATE, ..." or
 * "not ok - ..., expected ... (FILE:LINE:COL)" naming the expectation that
 * failed. */
static void print_result(const fg_ruleset *rs, const fg_rule_test_result *r)
{
	const fg_rule_expect *x = r->expect;
	const fg_due_expect *d = r->due_mismatch;
	char got[16], want[16];
	size_t i;

	if (r->passed) {
		printf("ok - %s: %s: %s is %s", rs->id, r->test->name,
		       x->rule_id, fg_outcome_name(r->got));
		for (i = 0; i < x->due_count; i++)
			printf(", %s due %s", x->due[i].obligation_id,
			       x->due[i].due == FG_DATE_NONE
				       ? "(no date)"
				       : fg_date_format(x->due[i].due, got));
		for (i = 0; i < x->owed_count; i++)
			printf(", %s %s", x->owed[i].obligation_id,
			       owed_text(x->owed[i].owed));
		putchar('\n');
		return;
	}
	if (r->found && r->got == x->outcome && !d && r->owed_mismatch) {
		printf("not ok - %s: %s: %s: %s %s, expected %s (%s:%d:%d)\n",
		       rs->id, r->test->name, x->rule_id,
		       r->owed_mismatch->obligation_id, owed_text(r->owed_got),
		       owed_text(r->owed_mismatch->owed), rs->file,
		       r->owed_mismatch->line, r->owed_mismatch->column);
		return;
	}
	if (!r->found || r->got != x->outcome || !d) {
		printf("not ok - %s: %s: %s is %s, expected %s (%s:%d:%d)\n",
		       rs->id, r->test->name, x->rule_id,
		       r->found ? fg_outcome_name(r->got) : "not evaluated",
		       fg_outcome_name(x->outcome), rs->file, x->line,
		       x->column);
		return;
	}
	printf("not ok - %s: %s: %s: %s due %s, expected %s (%s:%d:%d)\n",
	       rs->id, r->test->name, x->rule_id, d->obligation_id,
	       r->due_got == FG_DATE_NONE ? "(no date)"
					  : fg_date_format(r->due_got, got),
	       d->due == FG_DATE_NONE ? "(no date)"
				      : fg_date_format(d->due, want),
	       rs->file, d->line, d->column);
}

static int cmd_test(int argc, char **argv)
{
	fg_ruleset_set *set;
	fg_rule_test_result *results = NULL;
	size_t i, j, count, failed, total = 0, total_failed = 0;
	fg_error err;
	int status;

	if (argc < 1)
		return fg_cli_usage_error("rules test needs a PATH; see "
					  "flopgate rules --help");
	if ((status = fg_cli_load_rules(&set, argv, (size_t)argc)) != FG_EXIT_OK)
		return status;
	fg_error_clear(&err);
	for (i = 0; i < set->count; i++) {
		const fg_ruleset *rs = set->rulesets[i];

		if (fg_ruleset_run_tests(&results, &count, &failed, rs, set,
					 &err) < 0) {
			fg_ruleset_set_free(set);
			return fg_cli_fail(&err);
		}
		for (j = 0; j < count; j++)
			print_result(rs, &results[j]);
		total += count;
		total_failed += failed;
		free(results);
		results = NULL;
	}
	printf("%zu cases, %zu passed, %zu failed\n", total,
	       total - total_failed, total_failed);
	fg_ruleset_set_free(set);
	return total_failed ? FG_EXIT_GATE : FG_EXIT_OK;
}

int fg_cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return FG_EXIT_INPUT;
	}
	if (fg_cli_is_help(argv[1]) ||
	    (argc > 2 && fg_cli_is_help(argv[2]))) {
		fputs(usage_text, stdout);
		return FG_EXIT_OK;
	}
	if (!strcmp(argv[1], "lint"))
		return cmd_lint(argc - 2, argv + 2);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "test"))
		return cmd_test(argc - 2, argv + 2);
	return fg_cli_usage_error("unknown `rules %s`; use lint, list or "
				  "test", argv[1]);
}
