/* flopgate estimate: compute per phase and cumulative, with ranges,
 * training time, energy and cost.  Every file is loaded and estimated
 * before anything is printed, so bad input leaves stdout empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/estimate.h"
#include "flopgate/hardware.h"
#include "flopgate/quantity.h"
#include "flopgate/result.h"
#include "flopgate/run.h"

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

/* Value of --name VALUE or --name=VALUE at argv[*i]; NULL if not this
 * option.  Sets *missing when the value is absent. */
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

/* ---- text output -------------------------------------------------------- */

/* Columns on screen of a UTF-8 string ("×" is two bytes, one column). */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void cell(const char *s, size_t width)
{
	size_t n = columns(s);

	fputs(s, stdout);
	while (n++ < width)
		putchar(' ');
}

static void range_row(const char *label, size_t width, fg_range r,
		      const char *note)
{
	char lo[48], c[48], hi[48];

	cell(label, width);
	cell(fg_format_sci(r.low, lo, sizeof(lo)), 14);
	cell(fg_format_sci(r.central, c, sizeof(c)), 14);
	if (*note) {
		cell(fg_format_sci(r.high, hi, sizeof(hi)), 14);
		fputs(note, stdout);
	} else {
		fputs(fg_format_sci(r.high, hi, sizeof(hi)), stdout);
	}
	putchar('\n');
}

/* A hardware estimate's physical bound, under its range: the compute at
 * the dense peak, which the run cannot have exceeded — never the range's
 * high end. */
static void bound_row(size_t width, const fg_method_estimate *m)
{
	char b[48], u[96];
	const fg_estimate_input *in = m->input;

	cell("      physical bound", width);
	cell("", 28);
	cell(fg_format_sci(m->physical_bound_flop, b, sizeof(b)), 14);
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
	fputs(u, stdout);
	putchar('\n');
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

static void print_progress(const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	char a[48], b[48], day[16], end[16];
	double last;

	if (run->progress_count == 0)
		return;
	last = run->progress[run->progress_count - 1].at;
	printf("  progress        %s FLOP measured by %s",
	       fg_format_sci(est->measured_flop, a, sizeof(a)),
	       fg_date_format(fg_date_of_timestamp(last), day));
	if (est->flop_per_second > 0)
		printf(", %s FLOP/s recently",
		       fg_format_sci(est->flop_per_second, b, sizeof(b)));
	putchar('\n');
	if (run->planned_end != FG_DATE_NONE && est->flop_per_second > 0) {
		double left = (double)run->planned_end * 86400.0 - last;

		printf("                  about %s FLOP by the planned end, "
		       "%s, at that rate\n",
		       fg_format_sci(est->measured_flop +
				     (left > 0 ? left : 0) *
				     est->flop_per_second, a, sizeof(a)),
		       fg_date_format(run->planned_end, end));
	}
}

static void print_run(const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	char a[64], b[64], label[300];
	size_t i, j, width = label_width(est);

	printf("%s", run->id);
	if (run->model)
		printf(" — %s", run->model);
	if (run->developer)
		printf(" (%s)", run->developer);
	printf(", %s\n  %s:%d", fg_run_status_name(run->status), run->file,
	       run->line);
	if (run->jurisdiction_count) {
		printf("   jurisdictions:");
		for (i = 0; i < run->jurisdiction_count; i++)
			printf("%s %s", i ? "," : "", run->jurisdictions[i]);
	}
	printf("\n\n");
	cell("  compute (FLOP)", width);
	cell("low", 14);
	cell("central", 14);
	cell("high", 14);
	printf("central from\n");
	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *ph = &est->phases[i];

		phase_label(label, sizeof(label), ph->phase);
		range_row(label, width, ph->flop,
			  fg_method_name(ph->central_method));
		for (j = 0; j < ph->method_count; j++) {
			const fg_method_estimate *m = &ph->methods[j];

			snprintf(label, sizeof(label), "    %s",
				 fg_method_name(m->method));
			range_row(label, width, m->flop, "");
			if (m->physical_bound_flop > 0)
				bound_row(width, m);
		}
	}
	range_row("  total, all phases", width, est->total, "");
	if (est->seconds > 0 || est->chip_hours > 0 || est->cost_usd >= 0 ||
	    est->energy_kwh > 0 || run->progress_count)
		putchar('\n');
	if (est->seconds > 0)
		printf("  training time   %s\n",
		       fg_format_duration(est->seconds, a, sizeof(a)));
	if (est->chip_hours > 0)
		printf("  chip-hours      %s\n",
		       fg_format_sci(est->chip_hours, a, sizeof(a)));
	if (est->cluster_peak_flops > 0)
		printf("  cluster peak    %s FLOP/s (dense, at the chip's "
		       "highest number format)\n",
		       fg_format_sci(est->cluster_peak_flops, a, sizeof(a)));
	if (est->energy_kwh > 0)
		printf("  energy          %s kWh (PUE %g, server overhead "
		       "%g)\n", fg_format_sci(est->energy_kwh, a, sizeof(a)),
		       run->pue, run->server_overhead);
	if (est->cost_usd >= 0)
		printf("  cost            $%s\n",
		       fg_format_sci(est->cost_usd, b, sizeof(b)));
	print_progress(est);
	if (est->warning_count) {
		printf("\n  warnings:\n");
		for (i = 0; i < est->warning_count; i++)
			printf("    - %s\n", est->warnings[i]);
	}
}

static int print_json(fg_run_estimate **ests, size_t n, fg_date as_of)
{
	json_t *doc = fg_result_estimate_document(ests, n, as_of);
	int rc;

	if (!doc) {
		fputs("flopgate: out of memory\n", stderr);
		return FG_EXIT_STORE;
	}
	rc = json_dumpf(doc, stdout, FG_JSON_FLAGS | JSON_INDENT(2));
	putchar('\n');
	json_decref(doc);
	return rc ? FG_EXIT_STORE : FG_EXIT_OK;
}

/* ---- the command --------------------------------------------------------- */

int fg_cmd_estimate(int argc, char **argv)
{
	options opt = {0};
	fg_catalog *catalog = NULL;
	fg_ruleset_set *set = NULL;
	fg_run_list *all = NULL;
	fg_run_estimate **ests = NULL;
	fg_error err;
	size_t i, n = 0;
	int rc;

	fg_error_clear(&err);
	if (!(opt.files = calloc((size_t)argc, sizeof(char *))) ||
	    !(opt.rules = calloc((size_t)argc, sizeof(char *)))) {
		free(opt.files);
		return fg_cli_usage_error("out of memory");
	}
	if ((rc = parse_args(&opt, argc, argv)) >= 0)
		goto done;
	/* The runs' attributes are checked against the rulesets' vocabulary
	 * here too, so a typo is refused by every command alike. */
	if ((rc = fg_cli_load_rules(&set, opt.rules, opt.rule_count)) !=
	    FG_EXIT_OK)
		goto done;
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err))
		goto fail;
	if (fg_cli_load_runs(&all, opt.files, opt.file_count, catalog, set,
			     &err))
		goto fail;
	if (!(ests = calloc(all->count, sizeof(*ests)))) {
		fg_error_set(&err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	for (n = 0; n < all->count; n++)
		if (fg_run_estimate_compute(&ests[n], &all->runs[n], &err))
			goto fail;
	if (opt.json) {
		rc = print_json(ests, n, opt.as_of);
	} else {
		for (i = 0; i < n; i++) {
			if (i)
				printf("\n");
			print_run(ests[i]);
		}
		rc = FG_EXIT_OK;
	}
	goto done;
fail:
	rc = fg_cli_fail(&err);
done:
	for (i = 0; ests && i < n; i++)
		fg_run_estimate_free(ests[i]);
	free(ests);
	fg_run_list_free(all);
	fg_ruleset_set_free(set);
	fg_catalog_free(catalog);
	free(opt.files);
	free(opt.rules);
	return rc;
}
