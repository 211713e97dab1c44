/* flopgate headroom: how much more compute (and how many more tokens) a
 * run can use before each applicable compute line, or how far past it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "flopgate/result.h"
#include "flopgate/rules.h"
#include "flopgate/run.h"

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
		if (argv[i][0] != '-') {
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

/* A finding headroom speaks of: a rule in force where the run is placed,
 * decided on a compute line. */
static int wanted(const fg_finding *f, const options *opt)
{
	if (opt->rule_id && strcmp(f->rule->id, opt->rule_id))
		return 0;
	return f->outcome != FG_OUTCOME_NOT_APPLICABLE && f->has_comparison &&
	       fg_metric_is_compute(f->metric);
}

static json_t *date_or_null(fg_date day, int when)
{
	char d[16];

	return day == FG_DATE_NONE || !when
		       ? json_null()
		       : json_string(fg_date_format(day, d));
}

/* One HEADROOM entry (include/flopgate/result.h); NULL when out of memory
 * or a figure is not a finite number.  json_pack fails as a whole when
 * any value cannot be built ("o" given NULL), so one check covers all. */
static json_t *entry_json(const fg_finding *f)
{
	/* As check's findings: a crossing already past is no projection. */
	return json_pack(
		"{s:s, s:s?, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o,"
		" s:o, s:o}",
		"rule", f->rule->id, "citation", f->rule->citation,
		"outcome", fg_outcome_name(f->outcome),
		"metric", fg_metric_name(f->metric), "op", fg_op_name(f->op),
		"threshold", json_real(f->threshold),
		"value", json_real(f->value),
		"relation", fg_relation_name(f->relation),
		"low", json_real(f->low),
		"high", json_real(f->high), "headroom", json_real(f->headroom),
		"headroom_tokens", f->has_headroom_tokens
					   ? json_real(f->headroom_tokens)
					   : json_null(),
		"projected_crossing", date_or_null(f->projected_crossing,
						   !f->crossed),
		"crossed_on", date_or_null(f->projected_crossing, f->crossed));
}

static json_t *run_json(const fg_run_findings *rf, const options *opt)
{
	json_t *list = json_array(), *warnings = json_array(), *e;
	size_t i;

	for (i = 0; list && i < rf->count; i++) {
		if (!wanted(&rf->findings[i], opt))
			continue;
		if (!(e = entry_json(&rf->findings[i])) ||
		    json_array_append_new(list, e)) {
			json_decref(list);
			list = NULL;
		}
	}
	for (i = 0; list && warnings && i < rf->warning_count; i++) {
		if (!(e = json_string(rf->warnings[i])) ||
		    json_array_append_new(warnings, e)) {
			json_decref(warnings);
			warnings = NULL;
		}
	}
	if (!list || !warnings) {
		json_decref(list);
		json_decref(warnings);
		return NULL;
	}
	return json_pack("{s:s, s:s?, s:i, s:o, s:o, s:o, s:o}",
			 "id", rf->run->id, "file", rf->run->file,
			 "line", rf->run->line, "training_compute_flop",
			 fg_result_range(rf->estimate->total),
			 "flop_per_token", rf->estimate->flop_per_token > 0
				? json_real(rf->estimate->flop_per_token)
				: json_null(),
			 "headroom", list, "warnings", warnings);
}

/* A compute value: "modification fraction 0.40" or "3.8 × 10^25 FLOP". */
static char *figure(char *buf, size_t size, fg_metric metric, double v)
{
	char n[64];

	if (metric == FG_METRIC_MODIFICATION_FRACTION) {
		snprintf(buf, size, "%.2g of the base model", v);
		return buf;
	}
	snprintf(buf, size, "%s FLOP", fg_format_sci(v, n, sizeof(n)));
	return buf;
}

static void print_run(const fg_run_findings *rf, const options *opt)
{
	char v[96], t[96], h[64], k[64], d[16];
	size_t i, shown = 0;

	printf("%s (%s:%d)\n", rf->run->id, rf->run->file, rf->run->line);
	for (i = 0; i < rf->count; i++) {
		const fg_finding *f = &rf->findings[i];
		double room = f->headroom < 0 ? -f->headroom : f->headroom;

		if (!wanted(f, opt))
			continue;
		shown++;
		printf("  %-36s %s %s, at %s: ", f->rule->id, fg_op_name(f->op),
		       figure(t, sizeof(t), f->metric, f->threshold),
		       figure(v, sizeof(v), f->metric, f->value));
		fg_format_sci(room, h, sizeof(h));
		/* Under a strict line the run may reach it exactly; under
		 * an inclusive one it must stay below it. */
		if (fg_op_holds(f->op, f->relation))
			printf("past the line by %s FLOP", h);
		else
			printf("%s FLOP left%s", h,
			       f->op == FG_OP_GE ? " (the line itself counts)"
						 : "");
		if (f->has_headroom_tokens)
			printf(" (%s tokens)",
			       fg_format_sci(f->headroom_tokens < 0
						     ? -f->headroom_tokens
						     : f->headroom_tokens,
					     k, sizeof(k)));
		if (f->projected_crossing != FG_DATE_NONE)
			printf(f->crossed ? "; crossed it on %s"
					  : "; projected to cross %s",
			       fg_date_format(f->projected_crossing, d));
		putchar('\n');
	}
	if (!shown)
		printf("  no compute line applies as of %s\n",
		       fg_date_format(rf->as_of, d));
	/* A jurisdiction code that looks like a slip is why no line may
	 * apply: say so here too. */
	for (i = 0; i < rf->warning_count; i++)
		printf("  warning: %s\n", rf->warnings[i]);
}

int fg_cmd_headroom(int argc, char **argv)
{
	options opt;
	fg_catalog *catalog = NULL;
	fg_run_list *all = NULL;
	fg_ruleset_set *set = NULL;
	fg_cli_evaluation ev = {0};
	fg_evaluate_options eo;
	json_t *doc = NULL, *runs;
	fg_error err;
	size_t i;
	char d[16];
	int rc;

	memset(&opt, 0, sizeof(opt));
	fg_error_clear(&err);
	opt.files = calloc((size_t)argc, sizeof(char *));
	opt.rules = calloc((size_t)argc, sizeof(char *));
	if (!opt.files || !opt.rules) {
		rc = FG_EXIT_STORE;
		goto done;
	}
	if ((rc = parse_args(&opt, argc, argv)) >= 0)
		goto done;
	if ((rc = fg_cli_load_rules(&set, opt.rules, opt.rule_count)) !=
	    FG_EXIT_OK)
		goto done;
	if (opt.rule_id && !fg_ruleset_set_find(set, opt.rule_id)) {
		rc = fg_cli_usage_error("headroom: no rule `%s` in the "
					"rulesets", opt.rule_id);
		goto done;
	}
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err))
		goto fail;
	if (fg_cli_load_runs(&all, opt.files, opt.file_count, catalog, set,
			     &err))
		goto fail;
	memset(&eo, 0, sizeof(eo));
	eo.as_of = opt.as_of;
	eo.fail_on = FG_FAIL_ON_NEVER;
	if (fg_cli_evaluate(&ev, all, set, &eo, &err))
		goto fail;
	if (opt.json) {
		runs = json_array();
		for (i = 0; runs && i < ev.count; i++) {
			json_t *r = run_json(ev.findings[i], &opt);

			if (!r || json_array_append_new(runs, r)) {
				json_decref(runs);
				runs = NULL;
			}
		}
		doc = runs ? json_pack("{s:s, s:s, s:o}", "flopgate",
				       FG_VERSION, "as_of",
				       fg_date_format(opt.as_of, d), "runs",
				       runs) : NULL;
		if (!doc) {
			fg_error_set(&err, FG_ENOMEM, NULL, 0, 0,
				     "out of memory");
			goto fail;
		}
		if (json_dumpf(doc, stdout, FG_JSON_FLAGS | JSON_INDENT(2))) {
			fg_error_set(&err, FG_EIO, NULL, 0, 0, "cannot write "
				     "to standard output");
			goto fail;
		}
		putchar('\n');
	} else {
		for (i = 0; i < ev.count; i++) {
			if (i)
				putchar('\n');
			print_run(ev.findings[i], &opt);
		}
	}
	rc = FG_EXIT_OK;
	goto done;
fail:
	rc = fg_cli_fail(&err);
done:
	json_decref(doc);
	fg_cli_evaluation_free(&ev);
	fg_run_list_free(all);
	fg_ruleset_set_free(set);
	fg_catalog_free(catalog);
	free(opt.files);
	free(opt.rules);
	return rc;
}
