/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate estimate: compute per phase and cumulative, with ranges,
 * training time, energy and cost.  Parses options and wires the pipeline
 * (flopgate/check.h) to its renderer; the output is published only when
 * every run went through, so bad input leaves stdout empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/check.h"
#include "flopgate/hardware.h"
#include "flopgate/render.h"

static const char usage_text[] =
	"usage: flopgate estimate RUN... [--format text|json] [--as-of DATE]\n"
	"                         [--rules PATH]\n"
	"\n"
	"Estimates the training compute of every run in the run files, per\n"
	"phase and method, with [low, central, high] ranges, and the training\n"
	"time, chip-hours, energy (AI Act Annex XI) and cost.\n"
	"\n"
	"  --format F     text (default) or json\n"
	"  --as-of DATE   date stamped on the output (default: today, UTC)\n"
	"  --rules PATH   rulesets whose vocabulary the runs' attributes are\n"
	"                 checked against, as check does (repeatable;\n"
	"                 default: the shipped rules)\n"
	"  -h, --help     this help\n"
	"\n"
	"Exit status: 0 estimated, 2 bad usage or input (FILE:LINE:COL on\n"
	"stderr, nothing on stdout).\n";

typedef struct options {
	int json;
	fg_date as_of;
	char **files;
	size_t file_count;
	char **rules;
	size_t rule_count;
} options;

/* Returns -1 to go on, or the exit status. */
static int parse_args(options *opt, int argc, char **argv)
{
	int i, missing = 0, only_files = 0;
	const char *v;

	opt->as_of = fg_date_today();
	for (i = 1; i < argc; i++) {
		if (only_files || argv[i][0] != '-' || !strcmp(argv[i], "-")) {
			opt->files[opt->file_count++] = argv[i];
		} else if (!strcmp(argv[i], "--")) {
			only_files = 1;
		} else if (fg_cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return FG_EXIT_OK;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--format",
					     &missing))) {
			if (!strcmp(v, "json"))
				opt->json = 1;
			else if (!strcmp(v, "text"))
				opt->json = 0;
			else
				return fg_cli_usage_error(
					"estimate: --format is text or json, "
					"not `%s`", v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--as-of",
					     &missing))) {
			if (fg_date_parse(&opt->as_of, v))
				return fg_cli_usage_error(
					"estimate: --as-of `%s` is not a date "
					"(YYYY-MM-DD)", v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--rules",
					     &missing))) {
			opt->rules[opt->rule_count++] = (char *)v;
		} else if (missing) {
			return fg_cli_usage_error("estimate: %s needs a value",
						  argv[i]);
		} else {
			return fg_cli_usage_error(
				"estimate: unknown option `%s`; see flopgate "
				"estimate --help", argv[i]);
		}
		if (missing)
			return fg_cli_usage_error("estimate: %s needs a value",
						  argv[i]);
	}
	if (opt->file_count == 0)
		return fg_cli_usage_error("estimate: no run files given; see "
					  "flopgate estimate --help");
	return -1;
}

/* ---- the command --------------------------------------------------------- */

int fg_cmd_estimate(int argc, char **argv)
{
	options opt = {0};
	fg_catalog *catalog = NULL;
	fg_ruleset_set *set = NULL;
	fg_sources *sources = NULL;
	fg_output *out = NULL;
	fg_sink *sink = NULL;
	fg_check_options co;
	fg_check_summary sum;
	fg_error err;
	int rc;

	fg_error_clear(&err);
	if (!(opt.files = calloc((size_t)argc, sizeof(char *))) ||
	    !(opt.rules = calloc((size_t)argc, sizeof(char *)))) {
		free(opt.files);
		return fg_cli_usage_error("out of memory");
	}
	if ((rc = parse_args(&opt, argc, argv)) >= 0)
		goto done;
	if ((rc = fg_cli_sources(&sources, opt.files, opt.file_count, NULL,
				 0, "estimate")) >= 0)
		goto done;
	/* The runs' attributes are checked against the rulesets' vocabulary
	 * here too, so a typo is refused by every command alike. */
	if ((rc = fg_cli_load_rules_first(&set, opt.rules, opt.rule_count,
					  FG_RULESET_SKIP_TESTS, NULL)) !=
	    FG_EXIT_OK)
		goto done;
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err) ||
	    fg_output_open(&out, NULL, &err))
		goto fail;
	sink = opt.json ? fg_render_json_sink(out)
			: fg_render_estimate_text_sink(out);
	out = NULL;
	if (!sink) {
		fg_error_set(&err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	memset(&co, 0, sizeof(co));
	co.estimate_only = 1;
	co.as_of = opt.as_of;
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
