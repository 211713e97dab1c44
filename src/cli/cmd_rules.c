/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate rules lint | list | test: check, show and test rulesets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/evaluate.h"
#include "flopgate/render.h"
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

static int cmd_list(int argc, char **argv)
{
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	fg_ruleset_set *set = NULL;
	fg_error err;
	int i, n = 0, status;

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
	fg_error_clear(&err);
	status = fg_render_rules_list(stdout, set, &err) < 0
		 ? fg_cli_fail(&err) : FG_EXIT_OK;
	fg_ruleset_set_free(set);
	return status;
}

static int cmd_test(int argc, char **argv)
{
	fg_ruleset_set *set;
	fg_rule_test_result *results = NULL;
	size_t i, count, failed, total = 0, total_failed = 0;
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
		if (fg_render_rule_tests(stdout, rs, results, count,
					 &err) < 0) {
			free(results);
			fg_ruleset_set_free(set);
			return fg_cli_fail(&err);
		}
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
