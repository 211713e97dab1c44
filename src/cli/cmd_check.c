/* flopgate check: evaluate runs against the rulesets, record, gate.
 *
 * Everything is loaded and evaluated before anything is printed, so bad
 * input (exit 2) leaves stdout empty.  Exit 1 when a finding fails the
 * gate, 0 otherwise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "flopgate/render.h"
#include "flopgate/result.h"
#include "flopgate/rules.h"
#include "flopgate/run.h"
#include "flopgate/store.h"
#include "flopgate/waiver.h"

static const char usage_text[] =
	"usage: flopgate check RUN... [options]\n"
	"\n"
	"Evaluates every run in the run files against the rulesets and gates\n"
	"on the findings.\n"
	"\n"
	"  --rules PATH      ruleset file or directory (repeatable; default:\n"
	"                    the shipped rules)\n"
	"  --waivers FILE    accepted findings with reason, approver, expiry\n"
	"  --as-of DATE      evaluate as of this date (default: today, UTC)\n"
	"  --db FILE         audit database (default: $FLOPGATE_DB, else\n"
	"                    ./flopgate.db)\n"
	"  --no-record       evaluate without writing anything\n"
	"  --format F        text (default) | json | markdown | junit | sarif\n"
	"  --fail-on O       triggered (default) | near | never\n"
	"  --explain         show, for every rule, the comparison that decided"
	"\n                    it\n"
	"  --actor NAME      who ran it (default: $USER)\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 passed, 1 the gate failed, 2 bad usage or input\n"
	"(FILE:LINE:COL on stderr, nothing on stdout), 3 store failure.\n";

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_JUNIT,
	       FORMAT_SARIF } format;

typedef struct options {
	char **files;
	size_t file_count;
	char **rules;
	size_t rule_count;
	const char *waivers;
	fg_date as_of;
	const char *db;
	int no_record;
	format fmt;
	const char *format_name;
	fg_fail_on fail_on;
	int explain;
	const char *actor;
} options;

/* Value of --name VALUE or --name=VALUE at argv[*i]; NULL if not this
 * option.  Sets *missing when the value is absent. */
static int parse_format(options *opt, const char *v)
{
	static const char *const names[] = {"text", "json", "markdown",
					    "junit", "sarif", NULL};
	int k;

	for (k = 0; names[k]; k++)
		if (!strcmp(names[k], v)) {
			opt->fmt = (format)k;
			opt->format_name = names[k];
			return 0;
		}
	return fg_cli_usage_error("check: --format is text, json, markdown, "
				  "junit or sarif, not `%s`", v);
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(options *opt, int argc, char **argv)
{
	int i, missing = 0, only_files = 0;
	const char *v;

	opt->as_of = fg_date_today();
	opt->fail_on = FG_FAIL_ON_TRIGGERED;
	opt->actor = getenv("USER");
	opt->db = getenv("FLOPGATE_DB");
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
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--rules",
					     &missing))) {
			opt->rules[opt->rule_count++] = (char *)v;
		} else if ((v = fg_cli_option_value(argv, argc, &i, "--waivers",
					     &missing))) {
			opt->waivers = v;
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
			if (parse_format(opt, v))
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
		} else if (!missing) {
			return fg_cli_usage_error(
				"check: unknown option `%s`; see flopgate "
				"check --help", argv[i]);
		}
		if (missing)
			return fg_cli_usage_error("check: %s needs a value",
						  argv[i]);
	}
	if (opt->file_count == 0)
		return fg_cli_usage_error("check: no run files given; see "
					  "flopgate check --help");
	/* Refused also with --no-record, which would otherwise skip the
	 * store and exit 0 as if the database were fine. */
	if (!*opt->db || !strcmp(opt->db, ":memory:") ||
	    !strncmp(opt->db, "file:", 5))
		return fg_cli_usage_error("check: --db `%s` is not a database "
					  "file: the audit trail must be kept "
					  "in a file", opt->db);
	return -1;
}

/* ---- text output ------------------------------------------------------ */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* A value of a metric for people (two significant figures, unit). */
static char *figure(char *buf, size_t size, const char *metric, double v)
{
	char n[64];

	if (!strcmp(metric, "modification_fraction")) {
		snprintf(buf, size, "%.2g of the base", v);
		return buf;
	}
	fg_format_sci(v, n, sizeof(n));
	if (!strcmp(metric, "cluster_peak_flops"))
		snprintf(buf, size, "%s FLOP/s", n);
	else if (!strcmp(metric, "training_cost_usd") ||
		 !strcmp(metric, "organization.annual_revenue_usd"))
		snprintf(buf, size, "$%s", n);
	else
		snprintf(buf, size, "%s FLOP", n);
	return buf;
}

/* The relation a finding or condition records between its value and its
 * line, for people: "<", "=", ">". */
static const char *relation(const json_t *o)
{
	const char *r = str(o, "relation");

	return !strcmp(r, "==") ? "=" : r;
}

/* "3.8 × 10^25 FLOP > 1.0 × 10^25 FLOP, 2.8 × 10^25 FLOP past the line" */
static void print_comparison(const json_t *f)
{
	const char *metric = str(f, "metric");
	const json_t *value = json_object_get(f, "value");
	const json_t *headroom = json_object_get(f, "headroom");
	const json_t *tokens = json_object_get(f, "headroom_tokens");
	char v[96], t[96], h[96], k[64];
	double room;

	if (!json_is_number(value) || !*metric)
		return;
	/* the headroom of a fraction is in modification FLOP */
	room = json_number_value(headroom);
	figure(v, sizeof(v), metric, json_number_value(value));
	figure(t, sizeof(t), metric, num(f, "threshold"));
	/* the relation the evaluator found exactly, not the rule's op */
	if (*str(f, "relation"))
		printf("%s (%s) %s %s", v, metric, relation(f), t);
	else
		printf("%s (%s), line %s %s", v, metric, str(f, "op"), t);
	/* two significant figures cannot tell these apart */
	if (!strcmp(v, t) && *str(f, "value_exact")) {
		if (!strcmp(str(f, "value_exact"), str(f, "threshold_exact")))
			printf(" (both exactly %s)", str(f, "value_exact"));
		else
			printf(" (exactly %s against %s)",
			       str(f, "value_exact"),
			       str(f, "threshold_exact"));
	}
	if (json_is_number(headroom)) {
		const char *unit_metric =
			!strcmp(metric, "modification_fraction")
				? "modification_compute_flop"
				: metric;

		printf(room < 0 ? "; %s past the line" : "; %s below the line",
		       figure(h, sizeof(h), unit_metric, room < 0 ? -room
								   : room));
		if (json_is_number(tokens))
			printf(" (%s tokens)",
			       fg_format_sci(json_number_value(tokens) < 0
						     ? -json_number_value(tokens)
						     : json_number_value(tokens),
					     k, sizeof(k)));
	}
}

/* A deadline whose date is not known: "within 15 days of an incident",
 * "when placed on the market (date not given)". */
static void print_period(long long days, const char *after)
{
	const char *what = !strcmp(after, "incident") ? "an incident"
			   : !strcmp(after, "incident_discovered")
				   ? "discovering an incident"
			   : !strcmp(after, "training_started")
				   ? "the start of training"
			   : !strcmp(after, "placed_on_market")
				   ? "placement on the market (date not "
				     "given)"
				   : after;

	if (days == 0)
		printf(": at %s", what);
	else
		printf(": within %lld day%s of %s", days, days == 1 ? "" : "s",
		       what);
}

static void print_obligations(const json_t *f)
{
	const json_t *list = json_object_get(f, "obligations"), *o;
	size_t i;

	json_array_foreach(list, i, o) {
		const json_t *due = json_object_get(o, "due");
		const json_t *transition = json_object_get(o, "transition");
		const json_t *owed = json_object_get(o, "owed");
		int overdue = json_is_true(json_object_get(o, "overdue"));

		printf("        - %s (%s)", str(o, "text"), str(o, "citation"));
		if (json_is_false(owed)) {
			if (json_is_string(json_object_get(o, "condition")) &&
			    !strcmp(str(o, "condition"), str(o, "owed_reason")))
				printf(": not owed (only when %s)",
				       str(o, "condition"));
			else
				printf(": not owed (%s)", str(o, "owed_reason"));
		} else if (json_is_null(owed) &&
			   json_is_string(json_object_get(o, "owed_reason"))) {
			printf(": owed only if %s (the run file does not "
			       "say)", str(o, "condition"));
		} else if (json_is_string(due) && json_is_string(transition)) {
			printf(": due %s (transition, %s)%s",
			       json_string_value(due),
			       json_string_value(transition),
			       overdue ? " OVERDUE" : "");
		} else if (json_is_string(due)) {
			printf(": due %s%s", json_string_value(due),
			       overdue ? " OVERDUE" : "");
		} else if (json_is_integer(json_object_get(o, "days"))) {
			print_period(json_integer_value(
					     json_object_get(o, "days")),
				     str(o, "after"));
		}
		putchar('\n');
	}
}

static void print_conditions(const json_t *f)
{
	const json_t *list = json_object_get(f, "conditions"), *c;
	char v[96], t[96];
	size_t i;

	json_array_foreach(list, i, c) {
		const json_t *holds = json_object_get(c, "holds");
		const char *h = json_is_true(holds)    ? "holds"
				: json_is_false(holds) ? "does not hold"
						       : "unknown";

		if (json_object_get(c, "attribute")) {
			const json_t *vals = json_object_get(c, "threshold");
			const json_t *x;
			size_t j;

			printf("        %s = %s, needs %s [",
			       str(c, "attribute"),
			       json_is_string(json_object_get(c, "value"))
				       ? str(c, "value")
				       : "(not given)",
			       str(c, "op"));
			json_array_foreach(vals, j, x)
				printf("%s%s", j ? ", " : "",
				       json_string_value(x));
			printf("]: %s\n", h);
			continue;
		}
		if (json_is_number(json_object_get(c, "value")))
			figure(v, sizeof(v), str(c, "metric"), num(c, "value"));
		else
			snprintf(v, sizeof(v), "(not given)");
		figure(t, sizeof(t), str(c, "metric"), num(c, "threshold"));
		/* what holds between the figures, then the condition */
		if (*str(c, "relation"))
			printf("        %s %s %s %s (needs %s): %s",
			       str(c, "metric"), v, relation(c), t,
			       str(c, "op"), h);
		else
			printf("        %s %s, needs %s %s: %s",
			       str(c, "metric"), v, str(c, "op"), t, h);
		if (json_is_number(json_object_get(c, "value"))) {
			double margin = num(c, "threshold") - num(c, "value");
			char m[96];

			printf(", margin %s%s", margin < 0 ? "-" : "",
			       figure(m, sizeof(m), str(c, "metric"),
				      margin < 0 ? -margin : margin));
		}
		if (json_is_number(json_object_get(c, "value")) &&
		    num(c, "low") != num(c, "high")) {
			char lo[96], hi[96];

			printf(" (range %s to %s)",
			       figure(lo, sizeof(lo), str(c, "metric"),
				      num(c, "low")),
			       figure(hi, sizeof(hi), str(c, "metric"),
				      num(c, "high")));
		}
		putchar('\n');
	}
}

static void print_finding(const json_t *f, int explain)
{
	const char *outcome = str(f, "outcome");
	int important = !strcmp(outcome, "triggered") ||
			!strcmp(outcome, "near") || !strcmp(outcome, "waived");
	const json_t *w = json_object_get(f, "waiver");
	const json_t *crossing = json_object_get(f, "projected_crossing");
	const json_t *crossed = json_object_get(f, "crossed_on");
	const json_t *transition = json_object_get(f, "transition");

	if (!important && !explain)
		return;
	printf("  %-14s %s (%s, %s)%s\n", outcome, str(f, "rule"),
	       str(f, "citation"), str(f, "severity"),
	       json_is_true(json_object_get(f, "gate_fails")) ? " FAILS GATE"
							      : "");
	if (json_is_number(json_object_get(f, "value"))) {
		printf("      ");
		print_comparison(f);
		putchar('\n');
	}
	printf("      %s\n", str(f, "reason"));
	if (json_is_string(crossing))
		printf("      projected crossing: %s\n",
		       json_string_value(crossing));
	if (json_is_string(crossed))
		printf("      crossed on %s (from measured progress)\n",
		       json_string_value(crossed));
	if (json_is_object(transition))
		printf("      placed on the market %s, before %s: dated "
		       "obligations due no earlier than %s (%s)\n",
		       str(transition, "placed_on_market"),
		       str(transition, "placed_before"),
		       str(transition, "comply_by"),
		       str(transition, "citation"));
	if (json_is_object(w) && json_is_true(json_object_get(w, "expired")))
		printf("      waiver expired %s (approved by %s)\n",
		       str(w, "expires"), str(w, "approved_by"));
	if (important && strcmp(outcome, "near") &&
	    json_is_string(json_object_get(f, "known_since")))
		printf("      known since %s (%s); obligations:\n",
		       str(f, "known_since"), str(f, "known_basis"));
	if (important && strcmp(outcome, "near"))
		print_obligations(f);
	if (explain)
		print_conditions(f);
}

static void print_text(const json_t *doc, int explain)
{
	const json_t *runs = json_object_get(doc, "runs"), *run, *f, *w;
	const json_t *gate = json_object_get(doc, "gate");
	size_t i, j;

	json_array_foreach(runs, i, run) {
		const json_t *findings = json_object_get(run, "findings");
		size_t fails = 0, triggered = 0, near = 0;

		json_array_foreach(findings, j, f) {
			fails += json_is_true(json_object_get(f, "gate_fails"));
			triggered += !strcmp(str(f, "outcome"), "triggered");
			near += !strcmp(str(f, "outcome"), "near");
		}
		if (i)
			putchar('\n');
		if (!json_array_size(json_object_get(run, "jurisdictions")))
			/* jurisdictions: [] — say it, rather than a pass
			 * that reads as "checked and clear" */
			printf("%s: pass — placed nowhere (jurisdictions: "
			       "[]), so no rule applies (%s:%lld)\n",
			       str(run, "id"), str(run, "file"),
			       (long long)json_integer_value(
				       json_object_get(run, "line")));
		else
			printf("%s: %s — %zu triggered, %zu near, %zu failing "
			       "the gate (%s:%lld)\n", str(run, "id"),
			       fails ? "FAIL" : "pass", triggered, near,
			       fails, str(run, "file"),
			       (long long)json_integer_value(
				       json_object_get(run, "line")));
		json_array_foreach(findings, j, f)
			print_finding(f, explain);
		json_array_foreach(json_object_get(run, "warnings"), j, w)
			printf("  warning: %s\n", json_string_value(w));
	}
	printf("\ngate: %s (fail-on %s, %lld failing)\n",
	       json_is_true(json_object_get(gate, "passed")) ? "passed"
							      : "failed",
	       str(gate, "fail_on"),
	       (long long)json_integer_value(json_object_get(gate,
							     "failures")));
}

/* Writes the document in the chosen format; 0 or an FG_E* code. */
static int print_document(const options *opt, const json_t *doc,
			  fg_error *err)
{
	switch (opt->fmt) {
	case FORMAT_JSON:
		if (json_dumpf(doc, stdout, FG_JSON_FLAGS | JSON_INDENT(2)))
			return fg_error_set(err, FG_EIO, NULL, 0, 0,
					    "cannot write the document");
		putchar('\n');
		return 0;
	case FORMAT_MARKDOWN:
		return fg_render_markdown_check(stdout, doc, err);
	case FORMAT_JUNIT:
		return fg_render_junit(stdout, doc, err);
	case FORMAT_SARIF:
		return fg_render_sarif(stdout, doc, err);
	default:
		print_text(doc, opt->explain);
		return 0;
	}
}

/* ---- recording -------------------------------------------------------- */

/* DESIGN.md § Deadlines: the day a line became known is never later than
 * the first recorded evaluation that triggered it, nor than any known_since
 * already recorded, so re-checking never moves a deadline later. */
static int first_recorded(void *ctx, const char *run_id, const char *rule_id,
			  fg_date *out, fg_error *err)
{
	fg_store *store = ctx;
	fg_date triggered = FG_DATE_NONE, known = FG_DATE_NONE;
	int a, b;

	if ((a = fg_store_first_triggered(store, run_id, rule_id, &triggered,
					  err)) < 0 ||
	    (b = fg_store_first_known(store, run_id, rule_id, &known,
				      err)) < 0)
		return a < 0 ? a : b;
	if (a == 1 && (b != 1 || triggered <= known)) {
		*out = triggered;
		return 1;
	}
	if (b == 1) {
		*out = known;
		return 1;
	}
	return 0;
}

/* Opens the audit store: created when recording; with --no-record an
 * existing database is still read (never written) so that deadlines stay
 * put, and a missing one is simply not used. */
static int open_store(fg_store **out, const options *opt, fg_error *err)
{
	*out = NULL;
	if (opt->no_record) {
		if (access(opt->db, F_OK) != 0)
			return 0;
		return fg_store_open(out, opt->db, FG_STORE_READONLY, err);
	}
	return fg_store_open(out, opt->db, FG_STORE_CREATE, err);
}

/* Records the evaluation in one transaction: ruleset texts, run inputs,
 * the document, findings and one audit entry (see store.h).  Sets the
 * document's evaluation_id.  Returns 0 or an FG_E* code in err. */
static int record_evaluation(const options *opt, fg_store *store,
			     const fg_ruleset_set *set,
			     const fg_run_list *runs, json_t *doc,
			     fg_error *err)
{
	fg_store_text *texts = NULL, *inputs = NULL;
	size_t i;
	int rc;

	if (opt->no_record || !store)
		return 0;
	texts = calloc(set->count + 1, sizeof(*texts));
	inputs = calloc(runs->count + 1, sizeof(*inputs));
	if (!texts || !inputs) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < set->count; i++) {
		const fg_ruleset *rs = set->rulesets[i];

		texts[i] = (fg_store_text){rs->id, rs->sha256, rs->file,
					   rs->text, rs->length};
	}
	for (i = 0; i < runs->count; i++) {
		const fg_run *run = &runs->runs[i];

		inputs[i] = (fg_store_text){run->id, run->input_sha256,
					    run->file, run->input_text,
					    run->input_length};
	}
	rc = fg_store_record(store, doc, texts, set->count, inputs,
			     runs->count, NULL, err);
done:
	free(texts);
	free(inputs);
	return rc;
}

/* An output that could not be written: bad output (exit 2) when nothing
 * was recorded, else exit 3 naming the evaluation that was (DESIGN.md:
 * exit 2 promises that nothing was recorded). */
static int output_failed(const json_t *doc, fg_error *err)
{
	json_t *id = json_object_get(doc, "evaluation_id");
	char buf[2048];

	if (!json_is_integer(id))
		return fg_cli_fail(err);
	fprintf(stderr, "flopgate: evaluation %" JSON_INTEGER_FORMAT " was "
		"recorded, but its output could not be written: %s\n",
		json_integer_value(id), fg_error_format(err, buf, sizeof(buf)));
	return FG_EXIT_STORE;
}

/* ---- loading ---------------------------------------------------------- */

/* ---- the command ------------------------------------------------------ */

int fg_cmd_check(int argc, char **argv)
{
	options opt;
	fg_catalog *catalog = NULL;
	fg_run_list *runs = NULL;
	fg_ruleset_set *set = NULL;
	fg_waiver_list *waivers = NULL;
	fg_cli_evaluation ev = {0};
	fg_evaluate_options eo;
	fg_store *store = NULL;
	json_t *doc = NULL;
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
	if ((rc = parse_args(&opt, argc, argv)) >= 0)
		goto done;
	if ((rc = fg_cli_load_rules(&set, opt.rules, opt.rule_count)) !=
	    FG_EXIT_OK)
		goto done;
	if (fg_catalog_load(&catalog, fg_cli_catalog_path(), &err) ||
	    fg_cli_load_runs(&runs, opt.files, opt.file_count, catalog, set,
			     &err) ||
	    (opt.waivers &&
	     (fg_waiver_list_load(&waivers, opt.waivers, &err) ||
	      fg_waiver_list_check_rules(waivers, set, &err))))
		goto fail;
	memset(&eo, 0, sizeof(eo));
	eo.as_of = opt.as_of;
	eo.fail_on = opt.fail_on;
	eo.waivers = waivers;
	if (open_store(&store, &opt, &err))
		goto fail;
	if (store) {
		eo.first_recorded = first_recorded;
		eo.first_recorded_ctx = store;
	}
	if (fg_cli_evaluate(&ev, runs, set, &eo, &err))
		goto fail;
	doc = fg_result_check_document(ev.findings, ev.count, set, opt.as_of,
				       opt.fail_on, opt.actor, -1);
	if (!doc) {
		fg_error_set(&err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (record_evaluation(&opt, store, set, runs, doc, &err))
		goto fail;
	if ((rc = print_document(&opt, doc, &err)) != 0 ||
	    fflush(stdout) || ferror(stdout)) {
		if (!rc)
			fg_error_set(&err, FG_EIO, NULL, 0, 0, "cannot write "
				     "to standard output: %s",
				     strerror(errno));
		rc = output_failed(doc, &err);
		goto done;
	}
	rc = json_is_true(json_object_get(json_object_get(doc, "gate"),
					  "passed"))
		     ? FG_EXIT_OK
		     : FG_EXIT_GATE;
	goto done;
fail:
	rc = fg_cli_fail(&err);
done:
	json_decref(doc);
	fg_store_free(store);
	fg_cli_evaluation_free(&ev);
	fg_waiver_list_free(waivers);
	fg_ruleset_set_free(set);
	fg_run_list_free(runs);
	fg_catalog_free(catalog);
	free(opt.files);
	free(opt.rules);
	return rc;
}
