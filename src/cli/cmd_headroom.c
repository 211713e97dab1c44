/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate headroom: how much more compute (and how many more tokens) a
 * run can use before each applicable compute line, or how far past it is.
 * Parses options and wires the pipeline (flopgate/check.h) to the
 * headroom renderer (src/render_headroom.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/check.h"
#include "flopgate/hardware.h"
#include "flopgate/render.h"
#include "flopgate/rules.h"

static const char usage_text[] =
	"usage: flopgate headroom RUN... [--rule ID] [--rules PATH]...\n"
	"                         [--as-of DATE] [--format text|json]\n"
	"\n"
	"For every run and every rule in force where it is placed that has a\n"
	"compute line: the FLOP left before the line (and tokens, when the\n"
	"run has an architecture estimate), or how far past the line it is.\n"
	"\n"
	"  --rule ID       only this rule\n"
	"  --rules PATH    ruleset file or directory (repeatable; default: the\n"
	"                  shipped rules)\n"
	"  --as-of DATE    which rules are in force (default: today, UTC)\n"
	"  --format F      text (default) or json\n"
	"  -h, --help      this help\n"
	"\n"
	"Exit status: 0, or 2 for bad usage or input.\n";

typedef struct options {
	char **files;
	size_t file_count;
	char **rules;
	size_t rule_count;
	const char *rule_id;
	fg_date as_of;
	int json;
} options;

/* Returns -1 to go on, or the exit status. */
static int parse_args(options *opt, int argc, char **argv)
{
	int i, missing = 0;
	const char *v;

	opt->as_of = fg_date_today();
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
			opt->files[opt->file_count++] = argv[i];
		} else if (fg_cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return FG_EXIT_OK;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--rules",
					     &missing))) {
			opt->rules[opt->rule_count++] = (char *)v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--rule",
					     &missing))) {
			opt->rule_id = v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--as-of",
					     &missing))) {
			if (fg_date_parse(&opt->as_of, v))
				return fg_cli_usage_error(
					"headroom: --as-of `%s` is not a date "
					"(YYYY-MM-DD)", v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--format",
					     &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				return fg_cli_usage_error(
					"headroom: --format is text or json, "
					"not `%s`", v);
			opt->json = !strcmp(v, "json");
		} else if (!missing) {
			return fg_cli_usage_error(
				"headroom: unknown option `%s`; see flopgate "
				"headroom --help", argv[i]);
		}
		if (missing)
			return fg_cli_usage_error("headroom: %s needs a value",
						  argv[i]);
	}
	if (opt->file_count == 0)
		return fg_cli_usage_error("headroom: no run files given; see "
					  "flopgate headroom --help");
	return -1;
}

int fg_cmd_headroom(int argc, char **argv)
{
	options opt;
	fg_catalog *catalog = NULL;
	fg_ruleset_set *set = NULL;
	fg_sources *sources = NULL;
	fg_output *out = NULL;
	fg_sink *sink = NULL;
	fg_check_options co;
	fg_check_summary sum;
	fg_error err;
	int rc;

	memset(&opt, 0, sizeof(opt));
	fg_error_clear(&err);
	opt.files = calloc((size_t)argc, sizeof(char *));
	opt.rules = calloc((size_t)argc, sizeof(char *));
	if (!opt.files || !opt.rules) {
		rc = FG_EXIT_STORE;
		goto done;
	}
	if ((rc = parse_args(&opt, argc, argv)) >= 0 ||
	    (rc = fg_cli_sources(&sources, opt.files, opt.file_count, NULL,
				 0, "headroom")) >= 0)
		goto done;
	if ((rc = fg_cli_load_rules_first(&set, opt.rules, opt.rule_count,
					  FG_RULESET_SKIP_TESTS, NULL)) !=
	    FG_EXIT_OK)
		goto done;
	if (opt.rule_id && !fg_ruleset_set_find(set, opt.rule_id)) {
		rc = fg_cli_usage_error("headroom: no rule `%s` in the "
					"rulesets", opt.rule_id);
		goto done;
	}
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err) ||
	    fg_output_open(&out, NULL, &err))
		goto fail;
	sink = fg_render_headroom_sink(out, opt.rule_id, opt.json);
	out = NULL;
	if (!sink) {
		fg_error_set(&err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	memset(&co, 0, sizeof(co));
	co.as_of = opt.as_of;
	co.fail_on = FG_FAIL_ON_NEVER;
	if (fg_check(&sum, sources, catalog, set, &co, &sink, 1, &err))
		goto fail;
	rc = FG_EXIT_OK;
	goto done;
fail:
	rc = fg_cli_fail(&err);
done:
	fg_sink_free(sink);
	fg_output_free(out);
	fg_sources_free(sources);
	fg_ruleset_set_free(set);
	fg_catalog_free(catalog);
	free(opt.files);
	free(opt.rules);
	return rc;
}
