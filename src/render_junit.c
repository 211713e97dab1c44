/* flopgate — JUnit XML from the result document.
 *
 * CI systems read JUnit: one <testsuite> per run, one <testcase> per run ×
 * rule (classname = run id, name = rule id).  A finding that fails the
 * gate ("gate_fails": true) is a <failure> carrying the figures and due
 * dates; a rule that does not apply is <skipped> with its reason; every
 * other outcome passes, with the reason in <system-out>.  The run's
 * warnings (estimates that disagree, jurisdiction codes that look like a
 * slip, expired waivers) go to the suite's <system-err>.
 */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>
#include "render_util.h"

typedef struct counts {
	size_t tests, failures, skipped;
} counts;

static void count_run(counts *c, const json_t *run)
{
	json_t *f;
	size_t i;

	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		c->tests++;
		if (json_is_true(json_object_get(f, "gate_fails")))
			c->failures++;
		else if (fg_rd_outcome(f) == FG_RD_NOT_APPLICABLE)
			c->skipped++;
	}
}

static void property(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(out, "      <property name=\"%s\" value=\"", name);
	fg_xml_text(out, value, 1);
	fputs("\"/>\n", out);
}

static int write_testcase(FILE *out, const json_t *run, const json_t *f)
{
	const char *reason = fg_rd_str(f, "reason");
	const char *outcome = fg_rd_str(f, "outcome");
	char *message;

	fputs("    <testcase classname=\"", out);
	fg_xml_text(out, fg_rd_str(run, "id"), 1);
	fputs("\" name=\"", out);
	fg_xml_text(out, fg_rd_str(f, "rule"), 1);
	fputs("\">\n", out);
	if (json_is_true(json_object_get(f, "gate_fails"))) {
		if (!(message = fg_rd_finding_message(run, f)))
			return FG_ENOMEM;
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
		if (!(message = fg_rd_finding_message(run, f)))
			return FG_ENOMEM;
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
	return 0;
}

static int write_suite(FILE *out, const json_t *doc, const json_t *run)
{
	counts c = {0, 0, 0};
	json_t *f;
	size_t i;
	char buf[64];
	double v;
	int rc;

	count_run(&c, run);
	fputs("  <testsuite name=\"", out);
	fg_xml_text(out, fg_rd_str(run, "id"), 1);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\"", c.tests, c.failures, c.skipped);
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
	fputs("    </properties>\n", out);
	json_array_foreach(fg_rd_array(run, "findings"), i, f)
		if ((rc = write_testcase(out, run, f)))
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

static void write_head(FILE *out, const counts *total)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"flopgate\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"0\" skipped=\"%zu\">\n", total->tests, total->failures,
		total->skipped);
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
	counts total = {0, 0, 0};
	json_t *runs, *run, *doc;
	size_t i;
	int rc;

	if ((rc = fg_rd_check_doc(whole, err)))
		return rc;
	if (!(doc = fg_rd_join_doc(whole)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	runs = fg_rd_array(doc, "runs");
	json_array_foreach(runs, i, run)
		count_run(&total, run);
	write_head(out, &total);
	json_array_foreach(runs, i, run)
		if ((rc = write_suite(out, doc, run))) {
			json_decref(doc);
			return fg_error_set(err, rc, NULL, 0, 0,
					    "out of memory");
		}
	json_decref(doc);
	return write_tail(out, err);
}

/* As a sink: the suites go to a spool; the totals, which open the
 * report, are known at the end. */
typedef struct junit_sink {
	fg_output *out;
	FILE *body;
	counts total;
	fg_rd_facts facts;
} junit_sink;

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
	json_t *run = fg_rd_join_run(&j->facts, r->document);
	int rc;

	if (!run)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	count_run(&j->total, run);
	rc = write_suite(j->body, info->head, run);
	json_decref(run);
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

fg_sink *fg_render_junit_sink(fg_output *out)
{
	junit_sink *j = calloc(1, sizeof(*j));

	if (!j) {
		fg_output_free(out);
		return NULL;
	}
	j->out = out;
	return fg_sink_new(&junit_ops, j);
}
