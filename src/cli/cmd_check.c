/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate check: evaluate runs against the rulesets, record, gate.
 *
 * Parses the options, opens the store and the outputs, and hands them to
 * the pipeline (flopgate/check.h) as sinks: the recorder first, then the
 * --format output on standard output, every -o FORMAT=FILE, progress.  The
 * pipeline publishes nothing and records nothing unless every run went
 * through, so bad input anywhere (exit 2) leaves stdout empty and the
 * database as it was.  Exit 1 when a finding fails the gate, 0 otherwise;
 * 3 when the store fails, or an output could not be written after the
 * evaluation was recorded (the message names it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "flopgate/check.h"
#include "flopgate/hardware.h"
#include "flopgate/render.h"
#include "flopgate/rules.h"
#include "flopgate/store.h"
#include "flopgate/waiver.h"

static const char usage_text[] =
	"usage: flopgate check RUN... [options]\n"
	"\n"
	"Evaluates every run in the run files against the rulesets and gates\n"
	"on the findings.  RUN is a run file (one run, or a YAML stream of\n"
	"them), a directory (every *.yaml and *.yml under it, sorted), or -\n"
	"(standard input).\n"
	"\n"
	"  --rules PATH      ruleset file or directory (repeatable; default:\n"
	"                    the shipped rules)\n"
	"  --waivers FILE    accepted findings with reason, approver, expiry\n"
	"  --as-of DATE      evaluate as of this date (default: today, UTC)\n"
	"  --db FILE         audit database (default: $FLOPGATE_DB, else\n"
	"                    ./flopgate.db)\n"
	"  --no-record       evaluate without writing anything\n"
	"  --format F        text (default) | json | markdown | junit | sarif\n"
	"                    on standard output\n"
	"  -o FORMAT=FILE    also write FORMAT to FILE (repeatable): one\n"
	"                    evaluation, several outputs; a SARIF file gets a\n"
	"                    log of the error when the input is refused\n"
	"  --fail-on O       triggered (default) | near | never\n"
	"  --explain         show, for every rule, the comparison that decided"
	"\n                    it\n"
	"  --actor NAME      who ran it (default: $USER)\n"
	"  --color WHEN      auto (default) | always | never: outcomes in\n"
	"                    colour in the text on standard output; auto\n"
	"                    colours a terminal only, and not when NO_COLOR\n"
	"                    is set (never a file of -o)\n"
	"  --files-from FILE the run files, one path a line (- for standard\n"
	"                    input)\n"
	"  --allow-empty     an empty list of run files passes (exit 0) and\n"
	"                    records nothing\n"
	"  --junit-skipped W none (default): JUnit leaves out the rules that\n"
	"                    do not apply to a run (counted in a property of\n"
	"                    its suite); all: each is a <skipped> testcase\n"
	"  --sarif-category C  SARIF automationDetails.id is C/AS-OF (default\n"
	"                    flopgate/check): one code-scanning category per\n"
	"                    gate, each upload replacing the last\n"
	"  -h, --help        this help\n"
	"\n"
	"Outputs appear, and the evaluation is recorded, only once every run\n"
	"went through.  Progress shows on a terminal's standard error when the\n"
	"work takes more than a second.  SARIF locates files relative to\n"
	"%SRCROOT%, the current directory.  JUnit suites carry the time each\n"
	"run took and when the evaluation started; with SOURCE_DATE_EPOCH set\n"
	"(seconds since 1970) that is the start and every time is 0, so the\n"
	"output is reproducible.\n"
	"\n"
	"Exit status: 0 passed, 1 the gate failed, 2 bad usage or input\n"
	"(FILE:LINE:COL on stderr, nothing on stdout, nothing recorded), 3\n"
	"store failure, or an output not written after recording.\n";

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_JUNIT,
	       FORMAT_SARIF } format;

static const char *const format_names[] = {"text", "json", "markdown",
					   "junit", "sarif", NULL};

typedef struct extra_output {
	format fmt;
	const char *file;
} extra_output;

typedef struct options {
	char **files;
	size_t file_count;
	char **rules;
	size_t rule_count;
	extra_output *outputs;
	size_t output_count;
	const char *files_from;
	int allow_empty;
	const char *waivers;
	fg_date as_of;
	const char *db;
	int no_record;
	format fmt;
	fg_fail_on fail_on;
	int explain;
	int color;
	const char *actor;
	const char *sarif_category;
	int junit_skipped;
	int reproducible;           /* SOURCE_DATE_EPOCH is set */
	long long started;          /* seconds since 1970 */
} options;

static int format_of(format *out, const char *name, size_t length)
{
	int k;

	for (k = 0; format_names[k]; k++)
		if (strlen(format_names[k]) == length &&
		    !strncmp(format_names[k], name, length)) {
			*out = (format)k;
			return 0;
		}
	return -1;
}

/* Whether two -o targets name one file: the same name, or the same file
 * already there under two names. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return 1;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* -o FORMAT=FILE */
static int parse_output(options *opt, const char *v)
{
	const char *eq = strchr(v, '=');
	extra_output *o = &opt->outputs[opt->output_count];

	if (!eq || eq == v || !eq[1])
		return fg_cli_usage_error("check: -o takes FORMAT=FILE "
					  "(json=out.json), not `%s`", v);
	if (format_of(&o->fmt, v, (size_t)(eq - v)))
		return fg_cli_usage_error("check: -o: the format is text, "
					  "json, markdown, junit or sarif, "
					  "not `%.*s`", (int)(eq - v), v);
	if (!strcmp(eq + 1, "-"))
		return fg_cli_usage_error("check: -o %s: standard output is "
					  "the --format output", v);
	o->file = eq + 1;
	for (size_t i = 0; i < opt->output_count; i++)
		if (same_file(opt->outputs[i].file, o->file))
			return fg_cli_usage_error("check: -o %s: %s is "
						  "already an output",
						  v, opt->outputs[i].file);
	opt->output_count++;
	return 0;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(options *opt, int argc, char **argv)
{
	int i, missing = 0, only_files = 0, rc;
	const char *v;

	opt->as_of = fg_date_today();
	opt->fail_on = FG_FAIL_ON_TRIGGERED;
	opt->actor = getenv("USER");
	opt->db = getenv("FLOPGATE_DB");
	if ((rc = fg_cli_color(&opt->color, "check", NULL)) >= 0)
		return rc;
	if (!opt->db || !*opt->db)
		opt->db = "flopgate.db";
	for (i = 1; i < argc; i++) {
		if (only_files || argv[i][0] != '-' || !strcmp(argv[i], "-")) {
			opt->files[opt->file_count++] = argv[i];
		} else if (!strcmp(argv[i], "--")) {
			only_files = 1;
		} else if (fg_cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return FG_EXIT_OK;
		} else if (!strcmp(argv[i], "--no-record")) {
			opt->no_record = 1;
		} else if (!strcmp(argv[i], "--explain")) {
			opt->explain = 1;
		} else if (!strcmp(argv[i], "--allow-empty")) {
			opt->allow_empty = 1;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--rules",
					     &missing))) {
			opt->rules[opt->rule_count++] = (char *)v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--waivers",
					     &missing))) {
			opt->waivers = v;
		} else if ((v = fg_cli_option_value(argv, argc, &i,
						    "--files-from",
						    &missing))) {
			if (opt->files_from)
				return fg_cli_usage_error(
					"check: give --files-from once");
			opt->files_from = v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--as-of",
					     &missing))) {
			if (fg_date_parse(&opt->as_of, v))
				return fg_cli_usage_error(
					"check: --as-of `%s` is not a date "
					"(YYYY-MM-DD)", v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--db",
					     &missing))) {
			opt->db = v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--format",
					     &missing))) {
			if (format_of(&opt->fmt, v, strlen(v)))
				return fg_cli_usage_error(
					"check: --format is text, json, "
					"markdown, junit or sarif, not `%s`",
					v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "-o",
					     &missing)) ||
			   (v = fg_cli_option_value(argv, argc, &i, "--output",
					     &missing))) {
			if (parse_output(opt, v))
				return FG_EXIT_INPUT;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--fail-on",
					     &missing))) {
			if (fg_fail_on_parse(&opt->fail_on, v))
				return fg_cli_usage_error(
					"check: --fail-on is triggered, near "
					"or never, not `%s`", v);
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--actor",
					     &missing))) {
			opt->actor = v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--color",
					     &missing))) {
			if ((rc = fg_cli_color(&opt->color, "check", v)) >= 0)
				return rc;
		} else if ((v = fg_cli_option_value(argv, argc, &i,
						    "--junit-skipped",
						    &missing))) {
			if (strcmp(v, "none") && strcmp(v, "all"))
				return fg_cli_usage_error(
					"check: --junit-skipped is none or "
					"all, not `%s`", v);
			opt->junit_skipped = !strcmp(v, "all");
		} else if ((v = fg_cli_option_value(argv, argc, &i,
						    "--sarif-category",
						    &missing))) {
			if (!*v || strspn(v, "/") == strlen(v))
				return fg_cli_usage_error(
					"check: --sarif-category needs a name "
					"(flopgate/models), not `%s`", v);
			opt->sarif_category = v;
		} else if (!missing) {
			return fg_cli_usage_error(
				"check: unknown option `%s`; see flopgate "
				"check --help", argv[i]);
		}
		if (missing)
			return fg_cli_usage_error("check: %s needs a value",
						  argv[i]);
	}
	if (fg_cli_source_date_epoch(&opt->started, &opt->reproducible))
		return FG_EXIT_INPUT;
	/* Refused also with --no-record, which would otherwise skip the
	 * store and exit 0 as if the database were fine. */
	if (!*opt->db || !strcmp(opt->db, ":memory:") ||
	    !strncmp(opt->db, "file:", 5))
		return fg_cli_usage_error("check: --db `%s` is not a database "
					  "file: the audit trail must be kept "
					  "in a file", opt->db);
	return -1;
}

/* The renderer of a format over an output (taken over). */
static fg_sink *renderer(format fmt, fg_output *out, const options *opt,
			 const fg_ci_options *ci, int error_log)
{
	switch (fmt) {
	case FORMAT_JSON:
		return fg_render_json_sink(out);
	case FORMAT_MARKDOWN:
		return fg_render_markdown_sink(out);
	case FORMAT_JUNIT:
		return fg_render_junit_sink_with(out, ci);
	case FORMAT_SARIF:
		return fg_render_sarif_sink_with(out, error_log, ci);
	default:
		/* colour only on standard output (error_log is set for
		 * the files of -o) */
		return fg_render_text_sink_colored(out, opt->explain,
						   opt->color && !error_log);
	}
}

/* Opens the outputs as sinks into sinks[*n...]: standard output, then each
 * -o.  0, or an FG_E* code with err set. */
static int open_outputs(fg_sink **sinks, size_t *n, const options *opt,
			const fg_ci_options *ci, fg_error *err)
{
	fg_output *out = NULL;
	size_t i;
	int rc;

	for (i = 0; i <= opt->output_count; i++) {
		if ((rc = fg_output_open(&out, i ? opt->outputs[i - 1].file
						 : NULL, err)) < 0)
			return rc;
		if (!(sinks[*n] = renderer(i ? opt->outputs[i - 1].fmt
					     : opt->fmt, out, opt, ci, i > 0)))
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		(*n)++;
	}
	return 0;
}

/* Opens the audit store when it exists: for recording, or with
 * --no-record only read (never written) so that deadlines stay put.  A
 * missing one is not created here: the recorder creates it once the first
 * run went through, so refused input leaves no database behind. */
static int open_store(fg_store **out, const options *opt, fg_error *err)
{
	*out = NULL;
	if (access(opt->db, F_OK) != 0)
		return 0;
	return fg_store_open(out, opt->db, opt->no_record ? FG_STORE_READONLY
				  : FG_STORE_CREATE, err);
}

/* $FLOPGATE_PROGRESS_AFTER_MS: when progress starts (tests set 0). */
static long progress_after(void)
{
	const char *v = getenv("FLOPGATE_PROGRESS_AFTER_MS");

	return v && *v ? atol(v) : -1;
}

int fg_cmd_check(int argc, char **argv)
{
	options opt;
	fg_catalog *catalog = NULL;
	fg_ruleset_set *set = NULL;
	fg_waiver_list *waivers = NULL;
	fg_sources *sources = NULL;
	fg_store *store = NULL;
	fg_sink **sinks = NULL;
	fg_check_options co;
	fg_ci_options ci;
	char *cwd = NULL;
	fg_check_summary sum;
	size_t nsinks = 0, i;
	fg_error err;
	char buf[2048];
	int rc;

	memset(&opt, 0, sizeof(opt));
	memset(&sum, 0, sizeof(sum));
	fg_error_clear(&err);
	opt.files = calloc((size_t)argc, sizeof(char *));
	opt.rules = calloc((size_t)argc, sizeof(char *));
	opt.outputs = calloc((size_t)argc, sizeof(*opt.outputs));
	sinks = calloc((size_t)argc + 3, sizeof(*sinks));
	if (!opt.files || !opt.rules || !opt.outputs || !sinks) {
		rc = FG_EXIT_STORE;
		goto done;
	}
	if ((rc = parse_args(&opt, argc, argv)) >= 0 ||
	    (rc = fg_cli_sources(&sources, opt.files, opt.file_count,
				 opt.files_from, opt.allow_empty,
				 "check")) >= 0)
		goto done;
	/* the store first (its errors are the store's), then the outputs,
	 * so that what fails after them is reported in each */
	if (fg_sources_count(sources) == 0)
		opt.no_record = 1;   /* --allow-empty: nothing to record */
	if (open_store(&store, &opt, &err))
		goto fail;
	if (!opt.no_record &&
	    !(sinks[nsinks++] = store ? fg_check_recorder(store)
				      : fg_check_recorder_at(opt.db))) {
		fg_error_set(&err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	/* %SRCROOT% of SARIF: the current directory, where CI checks out
	 * the repository; left out when it cannot be told */
	memset(&ci, 0, sizeof(ci));
	ci.srcroot = cwd = getcwd(NULL, 0);
	ci.category = opt.sarif_category;
	ci.junit_skipped = opt.junit_skipped;
	ci.stamped = 1;
	ci.started = opt.started;
	ci.timed = !opt.reproducible;
	if (open_outputs(sinks, &nsinks, &opt, &ci, &err) ||
	    !(sinks[nsinks++] = fg_check_progress(stderr, progress_after()))) {
		if (!err.code)
			fg_error_set(&err, FG_ENOMEM, NULL, 0, 0,
				     "out of memory");
		goto fail;
	}
	if ((rc = fg_cli_load_rules_first(&set, opt.rules, opt.rule_count,
					  FG_RULESET_SKIP_TESTS, &err)) !=
	    FG_EXIT_OK) {
		for (i = 0; i < nsinks; i++)
			fg_sink_abort(sinks[i], &err);
		goto done;
	}
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err) ||
	    (opt.waivers &&
	     (fg_waiver_list_load(&waivers, opt.waivers, &err) ||
	      fg_waiver_list_check_rules(waivers, set, &err))))
		goto fail;
	memset(&co, 0, sizeof(co));
	co.as_of = opt.as_of;
	co.fail_on = opt.fail_on;
	co.actor = opt.actor;
	co.waivers = waivers;
	co.history = store;
	if (fg_check(&sum, sources, catalog, set, &co, sinks, nsinks, &err)) {
		if (!sum.recorded)
			goto fail;
		/* DESIGN.md: exit 2 promises that nothing was recorded */
		fprintf(stderr, "flopgate: evaluation %lld was recorded, but "
			"its output could not be written: %s\n",
			sum.evaluation_id, fg_error_format(&err, buf,
							   sizeof(buf)));
		rc = FG_EXIT_STORE;
		goto done;
	}
	rc = sum.gate_passed ? FG_EXIT_OK : FG_EXIT_GATE;
	goto done;
fail:
	for (i = 0; i < nsinks; i++)
		fg_sink_abort(sinks[i], &err);
	rc = fg_cli_fail(&err);
done:
	for (i = 0; sinks && i < nsinks; i++)
		fg_sink_free(sinks[i]);
	free(sinks);
	fg_store_free(store);
	fg_waiver_list_free(waivers);
	fg_ruleset_set_free(set);
	fg_sources_free(sources);
	fg_catalog_free(catalog);
	free(opt.files);
	free(opt.rules);
	free(opt.outputs);
	free(cwd);
	return rc;
}
