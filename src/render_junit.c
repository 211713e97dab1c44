/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — JUnit XML from the result document.
 *
 * CI systems read JUnit: one <testsuite> per run, one <testcase> per run ×
 * rule (classname = run id, name = rule id).  A finding that fails the
 * gate ("gate_fails": true) is a <failure> carrying the figures and due
 * dates; every other outcome passes, with the reason in <system-out>.  A
 * rule that does not apply to a run (outside its jurisdictions or dates:
 * most rules for most runs) is left out, so that a CI's test list shows
 * the rules that matter, and counted in the suite's "not_applicable"
 * property; with junit_skipped each is a <skipped> testcase with its
 * reason instead.  The run's warnings (estimates that disagree,
 * jurisdiction codes that look like a slip, expired waivers) go to the
 * suite's <system-err>.
 *
 * The shape is the one Jenkins' xunit plugin validates (junit-10.xsd, in
 * tests/schema/ with the test that holds every output to it): <testsuites
 * name tests failures errors time>; each <testsuite> with name, tests,
 * failures, errors, skipped, time (seconds, "0.012") and timestamp
 * (UTC, "2026-11-30T09:15:02", without a zone as Ant's format has it);
 * each <testcase> with time="0": a rule's comparison is not timed on its
 * own, the run's reading, estimating and evaluating is its suite's time.
 * Without a clock (fg_ci_options), suites have no timestamp and take no
 * time.
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render_util.h"

typedef struct counts {
	size_t tests, failures, skipped, not_applicable;
	double seconds;
} counts;

static int listed(const json_t *f, const fg_ci_options *ci)
{
	return ci->junit_skipped || fg_rd_outcome(f) != FG_RD_NOT_APPLICABLE ||
	       json_is_true(json_object_get(f, "gate_fails"));
}

static void count_run(counts *c, const json_t *run, const fg_ci_options *ci)
{
	json_t *f;
	size_t i;

	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		if (!listed(f, ci)) {
			c->not_applicable++;
			continue;
		}
		c->tests++;
		if (json_is_true(json_object_get(f, "gate_fails")))
			c->failures++;
		else if (fg_rd_outcome(f) == FG_RD_NOT_APPLICABLE)
			c->skipped++;
	}
}

/* The run's clock: how long it took and when its turn came. */
typedef struct suite_time {
	double seconds;
	long long stamp;        /* seconds since 1970 */
	int stamped;
} suite_time;

static void property(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(out, "      <property name=\"%s\" value=\"", name);
	fg_xml_text(out, value, 1);
	fputs("\"/>\n", out);
}

/* A finding's <testcase>.  f is lean (as the pipeline writes it) or
 * joined; one that is neither skipped nor left out is joined to its
 * rule's facts for its message. */
static int write_testcase(FILE *out, const fg_rd_facts *facts,
			  const json_t *run, const json_t *lean)
{
	const char *reason = fg_rd_str(lean, "reason");
	const char *outcome = fg_rd_str(lean, "outcome");
	int skipped = !json_is_true(json_object_get(lean, "gate_fails")) &&
		      fg_rd_outcome(lean) == FG_RD_NOT_APPLICABLE;
	json_t *f = skipped ? json_incref((json_t *)lean)
			    : fg_rd_join_finding(facts, run, lean);
	char *message;
	int rc = 0;

	if (!f)
		return FG_ENOMEM;

	fputs("    <testcase classname=\"", out);
	fg_xml_text(out, fg_rd_str(run, "id"), 1);
	fputs("\" name=\"", out);
	fg_xml_text(out, fg_rd_str(f, "rule"), 1);
	fputs("\" time=\"0\">\n", out);
	if (json_is_true(json_object_get(f, "gate_fails"))) {
		if (!(message = fg_rd_finding_message(run, f))) {
			rc = FG_ENOMEM;
			goto done;
		}
		fputs("      <failure message=\"", out);
		fg_xml_text(out, message, 1);
		fputs("\" type=\"", out);
		fg_xml_text(out, outcome, 1);
		fputs("\">", out);
		fg_xml_text(out, message, 0);
		if (reason) {
			fputc('\n', out);
			fg_xml_text(out, reason, 0);
		}
		fputs("</failure>\n", out);
		free(message);
	} else if (fg_rd_outcome(f) == FG_RD_NOT_APPLICABLE) {
		fputs("      <skipped message=\"", out);
		fg_xml_text(out, reason ? reason : "not applicable", 1);
		fputs("\"/>\n", out);
	} else {
		if (!(message = fg_rd_finding_message(run, f))) {
			rc = FG_ENOMEM;
			goto done;
		}
		fputs("      <system-out>", out);
		fg_xml_text(out, message, 0);
		if (reason) {
			fputc('\n', out);
			fg_xml_text(out, reason, 0);
		}
		fputs("</system-out>\n", out);
		free(message);
	}
	fputs("    </testcase>\n", out);
done:
	json_decref(f);
	return rc;
}

static int write_suite(FILE *out, const fg_rd_facts *facts,
		       const json_t *doc, const json_t *run,
		       const fg_ci_options *ci, const suite_time *t)
{
	counts c = {0, 0, 0, 0, 0};
	json_t *f;
	size_t i;
	char buf[64];
	double v;
	int rc;
	time_t when;
	struct tm tm;

	count_run(&c, run, ci);
	fputs("  <testsuite name=\"", out);
	fg_xml_text(out, fg_rd_str(run, "id"), 1);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\" time=\"%.3f\"", c.tests, c.failures,
		c.skipped, t->seconds);
	when = (time_t)t->stamp;
	if (t->stamped && gmtime_r(&when, &tm) &&
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		fprintf(out, " timestamp=\"%s\"", buf);
	fputs(">\n    <properties>\n", out);
	property(out, "as_of", fg_rd_str(doc, "as_of"));
	if (fg_rd_num(&v, doc, "evaluation_id")) {
		snprintf(buf, sizeof(buf), "%.0f", v);
		property(out, "evaluation_id", buf);
	}
	property(out, "input_sha256", fg_rd_str(run, "input_sha256"));
	property(out, "file", fg_rd_str(run, "file"));
	if (fg_rd_num(&v, run, "line")) {
		snprintf(buf, sizeof(buf), "%.0f", v);
		property(out, "line", buf);
	}
	property(out, "flopgate", fg_rd_str(doc, "flopgate"));
	if (!ci->junit_skipped) {
		snprintf(buf, sizeof(buf), "%zu", c.not_applicable);
		property(out, "not_applicable", buf);
	}
	fputs("    </properties>\n", out);
	json_array_foreach(fg_rd_array(run, "findings"), i, f)
		if (listed(f, ci) && (rc = write_testcase(out, facts, run, f)))
			return rc;
	if (json_array_size(fg_rd_array(run, "warnings"))) {
		fputs("    <system-err>", out);
		json_array_foreach(fg_rd_array(run, "warnings"), i, f) {
			fputs(i ? "\nwarning: " : "warning: ", out);
			fg_xml_text(out, json_string_value(f) ?
				    json_string_value(f) : "", 0);
		}
		fputs("</system-err>\n", out);
	}
	fputs("  </testsuite>\n", out);
	return 0;
}

/* junit-10.xsd gives <testsuites> no skipped count nor timestamp: its
 * suites carry theirs. */
static void write_head(FILE *out, const counts *total)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"flopgate\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"0\" time=\"%.3f\">\n", total->tests, total->failures,
		total->seconds);
}

static int write_tail(FILE *out, fg_error *err)
{
	fputs("</testsuites>\n", out);
	if (fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "cannot write the JUnit report");
	return 0;
}

int fg_render_junit(FILE *out, const json_t *whole, fg_error *err)
{
	static const fg_ci_options none;
	static const suite_time no_time;
	counts total = {0, 0, 0, 0, 0};
	fg_rd_facts facts;
	json_t *runs, *run;
	size_t i;
	int rc;

	if ((rc = fg_rd_check_doc(whole, err)))
		return rc;
	if (fg_rd_facts_init(&facts, whole))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	runs = fg_rd_array(whole, "runs");
	json_array_foreach(runs, i, run)
		count_run(&total, run, &none);
	write_head(out, &total);
	json_array_foreach(runs, i, run)
		if ((rc = write_suite(out, &facts, whole, run, &none,
				      &no_time))) {
			fg_rd_facts_free(&facts);
			return fg_error_set(err, rc, NULL, 0, 0,
					    "out of memory");
		}
	fg_rd_facts_free(&facts);
	return write_tail(out, err);
}

/* As a sink: the suites go to a spool; the totals, which open the
 * report, are known at the end. */
typedef struct junit_sink {
	fg_output *out;
	FILE *body;
	counts total;
	fg_rd_facts facts;
	fg_ci_options ci;
	struct timespec begun, last;    /* monotonic: made, last run */
} junit_sink;

static double seconds_between(const struct timespec *a,
			      const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int junit_begin(void *self, fg_check_info *info, fg_error *err)
{
	junit_sink *j = self;

	if (fg_rd_facts_init(&j->facts, info->head))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return fg_spool_open(&j->body, err);
}

static int junit_run(void *self, const fg_check_info *info,
		     const fg_check_result *r, fg_error *err)
{
	junit_sink *j = self;
	const json_t *run = fg_check_result_document(r);
	suite_time t = {0, j->ci.started, j->ci.stamped};
	struct timespec now;
	int rc;

	if (!run)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if (j->ci.timed) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		t.seconds = seconds_between(&j->last, &now);
		t.stamp += (long long)seconds_between(&j->begun, &j->last);
		j->last = now;
		j->total.seconds += t.seconds;
	}
	count_run(&j->total, run, &j->ci);
	rc = write_suite(j->body, &j->facts, info->head, run, &j->ci, &t);
	if (rc)
		return fg_error_set(err, rc, NULL, 0, 0, "out of memory");
	return ferror(j->body) ? fg_error_set(err, FG_EIO, NULL, 0, 0,
					      "cannot write a temporary "
					      "file") : 0;
}

static int junit_end(void *self, const fg_check_info *info,
		     const fg_check_summary *s, fg_error *err)
{
	junit_sink *j = self;
	FILE *out = fg_output_stream(j->out);
	int rc;

	(void)info;
	(void)s;
	write_head(out, &j->total);
	if ((rc = fg_spool_copy(j->body, out, err)) < 0)
		return rc;
	return write_tail(out, err);
}

static int junit_commit(void *self, fg_error *err)
{
	return fg_output_commit(((junit_sink *)self)->out, err);
}

static void junit_free(void *self)
{
	junit_sink *j = self;

	if (j->body)
		fclose(j->body);
	fg_rd_facts_free(&j->facts);
	fg_output_free(j->out);
	free(j);
}

static const fg_sink_ops junit_ops = {
	junit_begin, junit_run, junit_end, junit_commit, NULL, junit_free, 0
};

fg_sink *fg_render_junit_sink_with(fg_output *out, const fg_ci_options *opt)
{
	junit_sink *j = calloc(1, sizeof(*j));

	if (!j) {
		fg_output_free(out);
		return NULL;
	}
	j->out = out;
	if (opt)
		j->ci = *opt;
	/* the pipeline begins its sinks once the first run went through:
	 * the first run's time counts from here */
	clock_gettime(CLOCK_MONOTONIC, &j->begun);
	j->last = j->begun;
	return fg_sink_new(&junit_ops, j);
}

fg_sink *fg_render_junit_sink(fg_output *out)
{
	return fg_render_junit_sink_with(out, NULL);
}
