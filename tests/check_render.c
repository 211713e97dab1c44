/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the renderers: Markdown (through cmark-gfm's HTML), JUnit XML,
 * SARIF and report file names, on the hand-written result documents in
 * tests/fixtures/results/. */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "flopgate.h"
#include "flopgate/hash.h"
#include "flopgate/jurisdiction.h"
#include "flopgate/render.h"
#include "render_int.h"
#include "result_json.h"
#include "dtoa.h"
#include "json_write.h"
#include "render_util.h"

#define FIXTURES "tests/fixtures/results/"
#define CHECKPOINT \
	"flopgate.example/audit\n42\nq0xW3g2b7vR2JmTnVx0b8mCkZl3y9n4pQeX1sA2dF6g=\n"

static const char *const all_fixtures[] = {
	"systemic_risk.json", "clear.json", "near.json", "waived.json",
	"warnings.json", "hostile.json"
};
#define FIXTURE_COUNT (sizeof(all_fixtures) / sizeof(all_fixtures[0]))

/* ---- helpers ------------------------------------------------------------ */

static json_t *load(const char *name)
{
	char path[256];
	json_error_t error;
	json_t *doc;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	doc = json_load_file(path, 0, &error);
	ck_assert_msg(doc != NULL, "%s:%d: %s", path, error.line, error.text);
	return doc;
}

static char *slurp(FILE *f)
{
	size_t size = 0, cap = 4096, n;
	char *text = malloc(cap);

	ck_assert_ptr_nonnull(text);
	while ((n = fread(text + size, 1, cap - size - 1, f)) > 0) {
		size += n;
		if (cap - size < 2) {
			cap *= 2;
			text = realloc(text, cap);
			ck_assert_ptr_nonnull(text);
		}
	}
	text[size] = 0;
	return text;
}

typedef int (*render_fn)(FILE *out, const void *arg, fg_error *err);

/* Renders into a temporary file; returns its path (static buffer reused
 * per call site is not needed: the caller frees). */
static char *render_to_file(render_fn fn, const void *arg)
{
	char *path = strdup("/tmp/flopgate-render-XXXXXX");
	fg_error err = {0};
	FILE *out;
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	out = fdopen(fd, "w");
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(fn(out, arg, &err) == 0, "render failed: %s",
		      err.message);
	ck_assert_int_eq(fclose(out), 0);
	return path;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;

	ck_assert_ptr_nonnull(f);
	text = slurp(f);
	fclose(f);
	return text;
}

/* GitHub's renderer, as Debian ships it. */
static char *to_html(const char *md_path)
{
	char command[512];
	FILE *p;
	char *html;

	snprintf(command, sizeof(command),
		 "cmark-gfm -e table -t html '%s'", md_path);
	p = popen(command, "r");
	ck_assert_ptr_nonnull(p);
	html = slurp(p);
	ck_assert_int_eq(pclose(p), 0);
	return html;
}

typedef struct run_arg {
	const json_t *doc;
	size_t index;
	const fg_report_provenance *prov;
} run_arg;

static int render_run(FILE *out, const void *arg, fg_error *err)
{
	const run_arg *a = arg;

	return fg_render_markdown_run(out, a->doc, a->index, a->prov, err);
}

static int render_check(FILE *out, const void *arg, fg_error *err)
{
	return fg_render_markdown_check(out, arg, err);
}

static int render_junit(FILE *out, const void *arg, fg_error *err)
{
	return fg_render_junit(out, arg, err);
}

static int render_sarif(FILE *out, const void *arg, fg_error *err)
{
	return fg_render_sarif(out, arg, err);
}

typedef struct summary_arg {
	json_t **docs;
	size_t count;
	const fg_report_provenance *prov;
} summary_arg;

static int render_summary(FILE *out, const void *arg, fg_error *err)
{
	const summary_arg *a = arg;

	return fg_render_markdown_summary(out, a->docs, a->count, a->prov,
					  err);
}

static fg_report_provenance provenance(int verified)
{
	fg_report_provenance p = {
		17, CHECKPOINT, verified,
		verified ? "chain of 42 entries verified" :
			   "entry 7: hash does not match",
		"2026-11-29T10:00:00Z", NULL
	};
	return p;
}

/* Markdown of runs[0] of a fixture, and the file it was written to. */
static char *run_markdown(const char *fixture, int verified, char **html)
{
	json_t *doc = load(fixture);
	fg_report_provenance prov = provenance(verified);
	run_arg arg = {doc, 0, &prov};
	char *path = render_to_file(render_run, &arg);
	char *md = read_file(path);

	if (html)
		*html = to_html(path);
	unlink(path);
	free(path);
	json_decref(doc);
	return md;
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);

	while ((haystack = strstr(haystack, needle))) {
		n++;
		haystack += len;
	}
	return n;
}

/* The first <table> after `heading` and before the next <h2>, as a new
 * string; NULL when there is none. */
static char *table_after(const char *html, const char *heading)
{
	const char *start = strstr(html, heading), *table, *end, *next;
	char *copy;

	if (!start)
		return NULL;
	start += strlen(heading);
	table = strstr(start, "<table>");
	next = strstr(start, "<h2>");
	if (!table || (next && next < table))
		return NULL;
	end = strstr(table, "</table>");
	ck_assert_ptr_nonnull(end);
	copy = strndup(table, (size_t)(end - table) + 8);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

/* The <tr> rows of a table, each as a new string, NULL-terminated. */
static char **rows_of(const char *table)
{
	char **rows = calloc((size_t)count(table, "<tr>") + 1, sizeof(*rows));
	const char *p = table, *end;
	size_t n = 0;

	ck_assert_ptr_nonnull(rows);
	while ((p = strstr(p, "<tr>"))) {
		end = strstr(p, "</tr>");
		ck_assert_ptr_nonnull(end);
		rows[n++] = strndup(p, (size_t)(end - p) + 5);
		p = end;
	}
	return rows;
}

static void free_rows(char **rows)
{
	size_t i;

	for (i = 0; rows && rows[i]; i++)
		free(rows[i]);
	free(rows);
}

/* Text of <h2> headings in order, joined by '|'. */
static void h2_sequence(const char *html, char *out, size_t size)
{
	const char *p = html, *end;

	out[0] = 0;
	while ((p = strstr(p, "<h2>"))) {
		p += 4;
		end = strstr(p, "</h2>");
		ck_assert_ptr_nonnull(end);
		if (out[0])
			strncat(out, "|", size - strlen(out) - 1);
		strncat(out, p, (size_t)(end - p) < size - strlen(out) - 1 ?
				(size_t)(end - p) : size - strlen(out) - 1);
		p = end;
	}
}

static void assert_no_trailing_spaces(const char *md, const char *what)
{
	const char *p;

	for (p = md; (p = strchr(p, '\n')); p++)
		ck_assert_msg(p == md || (p[-1] != ' ' && p[-1] != '\t'),
			      "%s: trailing blank before byte %ld", what,
			      (long)(p - md));
}

/* Enough HTML escaping to find document text in cmark's output; caller
 * frees. */
static char *html_text(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1);
	size_t n = 0;

	ck_assert_ptr_nonnull(out);
	for (; *s; s++) {
		const char *rep = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				  *s == '&' ? "&amp;" : *s == '"' ? "&quot;" :
				  NULL;

		if (rep) {
			strcpy(out + n, rep);
			n += strlen(rep);
		} else {
			out[n++] = *s;
		}
	}
	out[n] = 0;
	return out;
}

static const char *xml_check(const char *s);
static json_t *sarif_of(const json_t *doc);

/* ---- per-run Markdown --------------------------------------------------- */

START_TEST(test_run_report_headings_in_stable_order)
{
	char seq[1024], *html, *md;
	size_t i;

	for (i = 0; i < FIXTURE_COUNT; i++) {
		md = run_markdown(all_fixtures[i], 1, &html);
		h2_sequence(html, seq, sizeof(seq));
		ck_assert_str_eq(seq, "Triggered and near rules|All rules "
				 "evaluated|Compute|Warnings|Annex XI figures|"
				 "Waivers|Provenance|Exact figures|Audit "
				 "checkpoint");
		ck_assert_int_eq(count(html, "<h1>"), 1);
		free(md);
		free(html);
	}
}
END_TEST

START_TEST(test_verdict_sentence_comes_first)
{
	char *html, *md = run_markdown("systemic_risk.json", 1, &html);
	const char *h1_end = strstr(html, "</h1>");
	const char *first_p = strstr(html, "<p>");

	ck_assert_ptr_nonnull(h1_end);
	ck_assert_ptr_nonnull(first_p);
	ck_assert_ptr_eq(strstr(html, "<p><strong>Crosses 4 lines</strong> "
				"(EU, US-CA); next deadline 2026-12-13: "
				"Notify the European Commission (AI Act "
				"Art. 52(1)).</p>"), first_p);
	ck_assert(first_p > h1_end);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_every_triggered_rule_has_section_citation_and_due)
{
	json_t *doc = load("systemic_risk.json"), *f, *o;
	json_t *findings = json_object_get(json_array_get(
				json_object_get(doc, "runs"), 0), "findings");
	char *html, *md = run_markdown("systemic_risk.json", 1, &html);
	char heading[512], *citation;
	const char *section, *next;
	size_t i, j;
	int triggered = 0;

	json_array_foreach(findings, i, f) {
		if (strcmp(fg_rd_str(f, "outcome"), "triggered"))
			continue;
		triggered++;
		snprintf(heading, sizeof(heading), "<h3>%s — triggered</h3>",
			 fg_rd_str(f, "title"));
		section = strstr(html, heading);
		ck_assert_msg(section != NULL, "no section %s", heading);
		next = strstr(section + 1, "<h3>");
		if (!next)
			next = strstr(section, "<h2>");
		ck_assert_ptr_nonnull(next);
		citation = html_text(fg_rd_str(f, "citation"));
		ck_assert_msg(strstr(section, citation) &&
			      strstr(section, citation) < next,
			      "citation of %s", fg_rd_str(f, "rule"));
		free(citation);
		json_array_foreach(json_object_get(f, "obligations"), j, o) {
			const char *due = fg_rd_str(o, "due");

			if (due)
				ck_assert_msg(strstr(section, due) &&
					      strstr(section, due) < next,
					      "due %s of %s", due,
					      fg_rd_str(f, "rule"));
		}
	}
	ck_assert_int_eq(triggered, 4);
	ck_assert_int_eq(count(html, "<h3>"), 4);
	ck_assert_ptr_nonnull(strstr(html, "2.1 × 10^26 FLOP &gt; 1.0 × "
				     "10^25 FLOP"));
	ck_assert_ptr_nonnull(strstr(html, "2026-12-13 (14 days after the "
				     "line was met or became known)"));
	ck_assert_ptr_nonnull(strstr(html, "<strong>Line known since:"
				     "</strong> 2026-11-29"));
	json_decref(doc);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_rules_table_has_one_row_per_finding)
{
	size_t i;

	for (i = 0; i < FIXTURE_COUNT; i++) {
		json_t *doc = load(all_fixtures[i]);
		json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
		char *html, *md = run_markdown(all_fixtures[i], 1, &html);
		char *table = table_after(html, "<h2>All rules evaluated</h2>");

		ck_assert_ptr_nonnull(table);
		ck_assert_int_eq(count(table, "<tr>"),
				 (int)json_array_size(json_object_get(
					 run, "findings")) + 1);
		free(table);
		free(md);
		free(html);
		json_decref(doc);
	}
}
END_TEST

START_TEST(test_not_applicable_rows_carry_their_reason)
{
	json_t *doc = load("systemic_risk.json"), *f;
	json_t *findings = json_object_get(json_array_get(
				json_object_get(doc, "runs"), 0), "findings");
	char *html, *md = run_markdown("systemic_risk.json", 1, &html);
	char *table = table_after(html, "<h2>All rules evaluated</h2>");
	char **rows = rows_of(table);
	size_t i, r;
	int seen = 0;

	json_array_foreach(findings, i, f) {
		if (strcmp(fg_rd_str(f, "outcome"), "not_applicable"))
			continue;
		for (r = 0; rows[r]; r++)
			if (strstr(rows[r], fg_rd_str(f, "rule")))
				break;
		ck_assert_ptr_nonnull(rows[r]);
		ck_assert_ptr_nonnull(strstr(rows[r], "not applicable"));
		ck_assert_msg(strstr(rows[r], fg_rd_str(f, "reason")) != NULL,
			      "row of %s lacks its reason",
			      fg_rd_str(f, "rule"));
		seen++;
	}
	ck_assert_int_eq(seen, 3);
	ck_assert_ptr_nonnull(strstr(table, "Not in force yet"));
	ck_assert_ptr_nonnull(strstr(table, "Revoked on 2025-01-20"));
	ck_assert_ptr_nonnull(strstr(table, "Other jurisdiction"));
	free_rows(rows);
	free(table);
	free(md);
	free(html);
	json_decref(doc);
}
END_TEST

START_TEST(test_compute_table_rows_per_phase_and_method)
{
	char *html, *md = run_markdown("systemic_risk.json", 1, &html);
	char *table = table_after(html, "<h2>Compute</h2>");

	ck_assert_ptr_nonnull(table);
	/* header + 2 phases + 3 methods + 2 kinds + total */
	ck_assert_int_eq(count(table, "<tr>"), 9);
	ck_assert_ptr_nonnull(strstr(table, "(central: architecture)"));
	ck_assert_ptr_nonnull(strstr(table, "<td>7.6 × 10^25</td>\n"
				     "<td>1.9 × 10^26</td>\n"
				     "<td>2.5 × 10^26</td>"));
	/* Exact figures for whoever recomputes them. */
	ck_assert_ptr_nonnull(strstr(md, "central=2.1000000000000001e+26"));
	ck_assert_ptr_nonnull(strstr(md, "headroom=-2.0000000000000001e+26"));
	free(table);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_annex_xi_and_provenance_figures)
{
	char *html, *md = run_markdown("systemic_risk.json", 1, &html);
	char *annex = table_after(html, "<h2>Annex XI figures</h2>");
	char *prov = table_after(html, "<h2>Provenance</h2>");

	ck_assert_ptr_nonnull(strstr(annex, "<td>90 days</td>"));
	ck_assert_ptr_nonnull(strstr(annex, "<td>7.1 × 10^7 chip-hours</td>"));
	ck_assert_ptr_nonnull(strstr(annex, "<td>6.6 × 10^7 kWh</td>"));
	ck_assert_ptr_nonnull(strstr(annex, "<td>$2.1 × 10^8</td>"));
	ck_assert_ptr_nonnull(strstr(prov, "9e107d9d372bb6826bd81d3542a419d6"
				     "e277d4d731479571562f50fdc5f1c3f4"));
	ck_assert_ptr_nonnull(strstr(prov, "3f9a1c0e5b7d2468ace13579bdf02468"
				     "ace13579bdf02468ace13579bdf02468"));
	ck_assert_ptr_nonnull(strstr(prov, "<td>Evaluation id</td>\n"
				     "<td>17</td>"));
	ck_assert_ptr_nonnull(strstr(prov, "<td>Actor</td>\n<td>alice</td>"));
	ck_assert_ptr_nonnull(strstr(prov, "flopgate 0.1.0"));
	/* 5 rulesets + run, file, input, evaluation, as-of, actor, tool,
	 * recorded-at, + header */
	ck_assert_int_eq(count(prov, "<tr>"), 14);
	free(annex);
	free(prov);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_checkpoint_appears_verbatim_in_code_block)
{
	char *html, *md = run_markdown("clear.json", 1, &html);

	ck_assert_ptr_nonnull(strstr(md, "```text\n" CHECKPOINT "```\n"));
	ck_assert_ptr_nonnull(strstr(html, "<pre><code class=\"language-text\">"
				     CHECKPOINT "</code></pre>"));
	ck_assert_ptr_nonnull(strstr(html, "Audit verify <strong>passed"
				     "</strong> at render time"));
	free(md);
	free(html);
}
END_TEST

START_TEST(test_loud_warning_only_when_verify_failed)
{
	char *html, *md = run_markdown("systemic_risk.json", 0, &html);
	const char *warning = strstr(html, "audit verify FAILED at render "
				     "time:");
	const char *first_h2 = strstr(html, "<h2>");

	ck_assert_ptr_nonnull(warning);
	ck_assert(warning < first_h2);
	ck_assert(warning < strstr(html, "Crosses 4 lines"));
	ck_assert_int_eq(count(html, "audit verify FAILED at render time"),
			 2);
	ck_assert_ptr_nonnull(strstr(html, "entry 7: hash does not match"));
	ck_assert_ptr_null(strstr(html, "Audit verify <strong>passed"));
	free(md);
	free(html);

	md = run_markdown("systemic_risk.json", 1, &html);
	ck_assert_ptr_null(strstr(html, "FAILED"));
	free(md);
	free(html);

	md = run_markdown("systemic_risk.json", -1, &html);
	ck_assert_ptr_null(strstr(html, "FAILED"));
	ck_assert_ptr_nonnull(strstr(html, "Audit verify was not run at "
				     "render time."));
	free(md);
	free(html);
}
END_TEST

START_TEST(test_hostile_text_stays_in_its_cell_and_carries_no_html)
{
	char *html, *md = run_markdown("hostile.json", 1, &html);
	char *rules = table_after(html, "<h2>All rules evaluated</h2>");
	char *prov = table_after(html, "<h2>Provenance</h2>");
	char *compute = table_after(html, "<h2>Compute</h2>");
	char **rows;
	size_t r;
	const char *p;

	for (p = html; *p; p++)
		ck_assert_msg(strncasecmp(p, "<script", 7) &&
			      strncasecmp(p, "<img", 4) &&
			      strncasecmp(p, "<iframe", 7) &&
			      strncasecmp(p, "<b>", 3) &&
			      strncasecmp(p, "href=\"javascript", 16),
			      "raw HTML at %.40s", p);
	ck_assert_ptr_nonnull(strstr(html, "<h1>Compliance report: "
				     "../../etc/passwd x|y *z* `rm -rf` "
				     "&lt;script&gt;alert(1)&lt;/script&gt;"
				     "</h1>"));
	rows = rows_of(rules);
	for (r = 0; rows[r]; r++)
		ck_assert_int_eq(count(rows[r], "<td>") +
				 count(rows[r], "<th>"), 5);
	ck_assert_int_eq((int)r, 3);
	free_rows(rows);
	rows = rows_of(prov);
	for (r = 0; rows[r]; r++)
		ck_assert_int_eq(count(rows[r], "<td>") +
				 count(rows[r], "<th>"), 2);
	ck_assert_ptr_nonnull(strstr(prov, "<td>Run</td>\n<td>../../etc/passwd"
				     " x|y *z* `rm -rf` &lt;script&gt;alert(1)"
				     "&lt;/script&gt;</td>"));
	free_rows(rows);
	rows = rows_of(compute);
	for (r = 0; rows[r]; r++)
		ck_assert_int_eq(count(rows[r], "<td>") +
				 count(rows[r], "<th>"), 6);
	free_rows(rows);
	free(compute);
	compute = table_after(html, "triggered</h3>");
	rows = rows_of(compute);
	for (r = 0; rows[r]; r++)
		ck_assert_int_eq(count(rows[r], "<td>") +
				 count(rows[r], "<th>"), 4);
	ck_assert_int_eq((int)r, 3);
	free_rows(rows);
	/* The title's newline and pipes did not make a table row. */
	ck_assert_ptr_nonnull(strstr(html, "<h3>Line | crossed | a | b | "
				     "&lt;script&gt;alert(3)&lt;/script&gt; — "
				     "triggered</h3>"));
	/* "1. not a list" stays a sentence. */
	ck_assert_ptr_nonnull(strstr(html, "<li>1. not a list</li>"));
	ck_assert_int_eq(count(html, "<ol"), 0);
	assert_no_trailing_spaces(md, "hostile");
	free(rules);
	free(prov);
	free(compute);
	free(md);
	free(html);
}
END_TEST

/* The first finding of systemic_risk.json (eu.gpai.systemic-risk, "> 1e25")
 * with value at the line itself, and its relation as given (NULL: the
 * document carries none, as one recorded before the field existed). */
static json_t *at_the_line(const char *relation)
{
	json_t *doc = load("systemic_risk.json");
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *f = json_array_get(json_object_get(run, "findings"), 0);

	ck_assert_str_eq(fg_rd_str(f, "rule"), "eu.gpai.systemic-risk");
	json_object_set_new(f, "value", json_real(1e25));
	if (relation)
		json_object_set_new(f, "relation", json_string(relation));
	else
		json_object_del(f, "relation");
	return doc;
}

/* Every renderer prints the relation the evaluator found: 10^25 held
 * against "> 10^25" prints "=", never ">" (which the rule's operator
 * would say) nor anything worked out again from rounded figures. */
START_TEST(test_relation_at_the_line_prints_equals)
{
	json_t *doc = at_the_line("==");
	fg_report_provenance prov = provenance(1);
	run_arg arg = {doc, 0, &prov};
	char *path = render_to_file(render_run, &arg), *md = read_file(path);
	char *junit_path, *xml, *msg;
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);

	ck_assert_ptr_nonnull(strstr(md, "1.0 × 10^25 FLOP = 1.0 × 10^25 "
				     "FLOP"));
	ck_assert_ptr_null(strstr(md, "1.0 × 10^25 FLOP > 1.0 × 10^25"));
	ck_assert_ptr_null(strstr(md, "1.0 × 10^25 FLOP ≤ 1.0 × 10^25"));
	msg = fg_rd_finding_message(run, json_array_get(
					json_object_get(run, "findings"), 0));
	ck_assert_ptr_nonnull(strstr(msg, ": 1.0 × 10^25 FLOP = 1.0 × 10^25 "
				     "FLOP"));
	junit_path = render_to_file(render_junit, doc);
	xml = read_file(junit_path);
	ck_assert_ptr_nonnull(strstr(xml, "1.0 × 10^25 FLOP = 1.0 × 10^25 "
				     "FLOP"));
	unlink(path);
	unlink(junit_path);
	free(path);
	free(junit_path);
	free(md);
	free(xml);
	free(msg);
	json_decref(doc);
}
END_TEST

/* A document without "relation" (recorded before flopgate wrote it)
 * states the line instead of claiming a relation. */
START_TEST(test_without_a_recorded_relation_the_line_is_stated)
{
	json_t *doc = at_the_line(NULL);
	fg_report_provenance prov = provenance(1);
	run_arg arg = {doc, 0, &prov};
	char *path = render_to_file(render_run, &arg), *md = read_file(path);
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	char *msg = fg_rd_finding_message(run, json_array_get(
					json_object_get(run, "findings"), 0));

	ck_assert_ptr_nonnull(strstr(md, "1.0 × 10^25 FLOP (line: > 1.0 × "
				     "10^25 FLOP)"));
	ck_assert_ptr_null(strstr(md, "1.0 × 10^25 FLOP > 1.0 × 10^25"));
	ck_assert_ptr_nonnull(strstr(msg, "1.0 × 10^25 FLOP (line: > 1.0 × "
				     "10^25 FLOP)"));
	/* an unknown relation is no relation */
	json_object_set_new(json_array_get(json_object_get(run, "findings"),
					   0), "relation", json_string("~"));
	free(msg);
	msg = fg_rd_finding_message(run, json_array_get(
					json_object_get(run, "findings"), 0));
	ck_assert_ptr_nonnull(strstr(msg, "(line: > "));
	unlink(path);
	free(path);
	free(md);
	free(msg);
	json_decref(doc);
}
END_TEST

/* Figures that print alike are followed by the exact ones the evaluator
 * recorded; anything but digits and one "/" there is not printed. */
START_TEST(test_alike_figures_are_shown_exactly)
{
	json_t *doc = at_the_line(">");
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *f = json_array_get(json_object_get(run, "findings"), 0);
	char buf[1024];

	json_object_set_new(f, "value_exact",
			    json_string("10000000000000000000000001"));
	json_object_set_new(f, "threshold_exact",
			    json_string("10000000000000000000000000"));
	ck_assert_str_eq(fg_rd_comparison(buf, sizeof(buf), f),
			 "1.0000000000000000000000001 × 10^25 FLOP > 1.0 × "
			 "10^25 FLOP");
	/* not a figure: the recorded relation on the doubles, which do
	 * not claim to be exact */
	json_object_set_new(f, "value_exact", json_string("<b>1</b>"));
	ck_assert_str_eq(fg_rd_comparison(buf, sizeof(buf), f),
			 "1.0 × 10^25 FLOP > 1.0 × 10^25 FLOP (alike as "
			 "doubles; the relation is the one the evaluator found "
			 "between the exact figures)");
	json_object_set_new(f, "relation", json_string("=="));
	json_object_set_new(f, "value_exact", json_string("1/3"));
	json_object_set_new(f, "threshold_exact", json_string("1/3"));
	ck_assert_str_eq(fg_rd_comparison(buf, sizeof(buf), f),
			 "3.3 × 10^-1 FLOP = 3.3 × 10^-1 FLOP (both "
			 "exactly 1/3 FLOP)");
	json_decref(doc);
}
END_TEST

/* A line printed alone is written exactly, or with its exact fraction
 * after two significant figures: "0.33" must not read as the line when
 * the line is a third. */
START_TEST(test_line_alone_is_written_exactly)
{
	json_t *c = json_pack("{s:s, s:s, s:f, s:s, s:s}", "metric",
			      "modification_fraction", "op", ">", "threshold",
			      1.0 / 3, "threshold_exact", "1/3", "unit",
			      "fraction");
	char buf[1024];

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(fg_rd_line(buf, sizeof(buf), c),
			 "0.33 of the base model's compute (exactly 1/3)");
	json_object_set_new(c, "metric",
			    json_string("modification_compute_flop"));
	json_object_set_new(c, "unit", json_string("FLOP"));
	json_object_set_new(c, "threshold_exact",
			    json_string("3330000000000000000000000"));
	json_object_set_new(c, "threshold", json_real(3.33e24));
	ck_assert_str_eq(fg_rd_line(buf, sizeof(buf), c),
			 "3.33 × 10^24 FLOP");
	json_object_set_new(c, "threshold_exact",
			    json_string("10000000000000000000000000/3"));
	ck_assert_ptr_nonnull(strstr(fg_rd_line(buf, sizeof(buf), c),
				     "3.3 × 10^24 FLOP (exactly "));
	json_object_del(c, "threshold");
	ck_assert_ptr_null(fg_rd_line(buf, sizeof(buf), c));
	json_decref(c);
}
END_TEST

START_TEST(test_near_rule_section_and_verdict)
{
	char *html, *md = run_markdown("near.json", 1, &html);

	ck_assert_ptr_nonnull(strstr(html, "<p><strong>Near 1 line</strong> "
				     "(EU).</p>"));
	ck_assert_ptr_nonnull(strstr(html, "<h3>GPAI model presumed to have "
				     "systemic risk — near</h3>"));
	/* the relation the evaluator recorded, not one worked out here */
	ck_assert_ptr_nonnull(strstr(html, "7.2 × 10^24 FLOP &lt; 1.0 × 10^25 "
				     "FLOP"));
	ck_assert_ptr_nonnull(strstr(html, "2.8 × 10^24 FLOP below the line "
				     "(room for 2.3 × 10^12 training tokens "
				     "more"));
	ck_assert_ptr_nonnull(strstr(html, "<strong>Projected crossing:"
				     "</strong> 2027-01-08"));
	/* which figure made it near: the fixture has no exact figures (a
	 * document recorded before them), so nothing is said from doubles */
	ck_assert_ptr_null(strstr(html, "Near because"));
	ck_assert_ptr_nonnull(strstr(html, "Measured progress: 4.0 × 10^24 "
				     "FLOP at 2026-11-15T00:00:00Z"));
	ck_assert_int_eq(count(html, "<h3>"), 1);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_waivers_used_and_expired)
{
	char *html, *md = run_markdown("waived.json", 1, &html);
	char *table = table_after(html, "<h2>Waivers</h2>");

	ck_assert_ptr_nonnull(table);
	ck_assert_int_eq(count(table, "<tr>"), 3);
	ck_assert_ptr_nonnull(strstr(table, "<td>used</td>"));
	ck_assert_ptr_nonnull(strstr(table, "<td>expired, covers nothing"
				     "</td>"));
	ck_assert_ptr_nonnull(strstr(table, "2027-03-31"));
	ck_assert_ptr_nonnull(strstr(html, "<strong>Crosses 1 line</strong> "
				     "(EU); 1 waived; 1 obligation overdue "
				     "since 2026-10-01"));
	free(table);
	free(md);
	free(html);
}
END_TEST

START_TEST(test_method_disagreement_warnings_listed)
{
	char *html, *md = run_markdown("warnings.json", 1, &html);
	const char *section = strstr(html, "<h2>Warnings</h2>");

	ck_assert_ptr_nonnull(section);
	ck_assert_ptr_nonnull(strstr(section, "<li>pre-training: architecture "
				     "(3.0 × 10^24 FLOP) and hardware (6.1 × "
				     "10^24 FLOP) estimates differ by more "
				     "than 30 %"));
	ck_assert_ptr_nonnull(strstr(html, "1 indeterminate (a figure is "
				     "missing)"));
	ck_assert_ptr_nonnull(strstr(html, "<td><code>us-ca.sb53.large-"
				     "frontier-developer</code></td>\n<td>US-CA"
				     "</td>\n<td>indeterminate</td>"));
	free(md);
	free(html);
}
END_TEST

START_TEST(test_output_is_deterministic_without_trailing_blanks)
{
	size_t i;

	for (i = 0; i < FIXTURE_COUNT; i++) {
		char *a = run_markdown(all_fixtures[i], 0, NULL);
		char *b = run_markdown(all_fixtures[i], 0, NULL);

		ck_assert_str_eq(a, b);
		assert_no_trailing_spaces(a, all_fixtures[i]);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(test_bad_documents_are_refused)
{
	json_t *doc = json_pack("{s:s}", "flopgate", "0.1.0");
	json_t *good = load("clear.json");
	fg_error err = {0};
	FILE *null = fopen("/dev/null", "w");

	ck_assert_int_eq(fg_render_markdown_run(null, doc, 0, NULL, &err),
			 FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "runs"));
	ck_assert_int_eq(fg_render_junit(null, doc, &err), FG_EINPUT);
	ck_assert_int_eq(fg_render_sarif(null, doc, &err), FG_EINPUT);
	ck_assert_int_eq(fg_render_markdown_run(null, good, 1, NULL, &err),
			 FG_EINPUT);
	json_object_set_new(json_array_get(json_object_get(json_array_get(
		json_object_get(good, "runs"), 0), "findings"), 0),
		"outcome", json_string("maybe"));
	ck_assert_int_eq(fg_render_markdown_check(null, good, &err),
			 FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "findings[0]"));
	fclose(null);
	json_decref(doc);
	json_decref(good);
}
END_TEST

START_TEST(test_estimate_document_without_findings_renders)
{
	json_t *doc = load("clear.json"), *run, *sarif;
	run_arg arg = {doc, 0, NULL};
	char *path, *html, *xml;

	run = json_array_get(json_object_get(doc, "runs"), 0);
	json_object_del(run, "findings");
	json_object_del(doc, "gate");
	json_object_del(doc, "rulesets");
	json_object_del(doc, "evaluation_id");
	path = render_to_file(render_run, &arg);
	html = to_html(path);
	ck_assert_ptr_nonnull(strstr(html, "<strong>No rule evaluated</strong>"
				     ": this document holds the compute "
				     "estimate only."));
	ck_assert_ptr_nonnull(strstr(html, "<td>Evaluation id</td>\n"
				     "<td>not recorded</td>"));
	ck_assert_int_eq(count(html, "Audit checkpoint"), 0);
	unlink(path);
	free(path);
	free(html);
	path = render_to_file(render_junit, doc);
	xml = read_file(path);
	ck_assert_ptr_null(xml_check(xml));
	ck_assert_int_eq(count(xml, "<testcase "), 0);
	unlink(path);
	free(path);
	free(xml);
	sarif = sarif_of(doc);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(
		json_object_get(sarif, "runs"), 0), "results")), 0);
	json_decref(sarif);
	json_decref(doc);
}
END_TEST

START_TEST(test_write_failure_is_reported)
{
	json_t *doc = load("systemic_risk.json");
	FILE *full = fopen("/dev/full", "w");
	fg_error err = {0};

	ck_assert_ptr_nonnull(full);
	ck_assert_int_eq(fg_render_markdown_run(full, doc, 0, NULL, &err),
			 FG_EIO);
	clearerr(full);
	ck_assert_int_eq(fg_render_sarif(full, doc, &err), FG_EIO);
	clearerr(full);
	ck_assert_int_eq(fg_render_junit(full, doc, &err), FG_EIO);
	fclose(full);
	json_decref(doc);
}
END_TEST

/* ---- check --format markdown ------------------------------------------- */

START_TEST(test_check_markdown_renders_every_run)
{
	json_t *doc = load("systemic_risk.json"), *other = load("near.json");
	char *path, *html;

	json_array_extend(json_object_get(doc, "runs"),
			  json_object_get(other, "runs"));
	path = render_to_file(render_check, doc);
	html = to_html(path);
	ck_assert_ptr_nonnull(strstr(html, "<h1>flopgate check</h1>\n"
				     "<p><strong>Gate failed</strong> (fail "
				     "on triggered): 3 findings fail it. 2 "
				     "runs, 5 rulesets, as of 2026-11-29.</p>"));
	ck_assert_int_eq(count(html, "<h2>Compliance report: "), 2);
	ck_assert_ptr_nonnull(strstr(html, "<h2>Compliance report: atlas-2"));
	ck_assert_ptr_nonnull(strstr(html, "<h2>Compliance report: "
				     "orion-running"));
	ck_assert_int_eq(count(html, "<h3>Provenance</h3>"), 2);
	/* No store behind check: no checkpoint section. */
	ck_assert_int_eq(count(html, "Audit checkpoint"), 0);
	unlink(path);
	free(path);
	free(html);
	json_decref(doc);
	json_decref(other);
}
END_TEST

/* ---- the auditor summary ------------------------------------------------ */

static size_t load_all(json_t **docs)
{
	size_t i;

	for (i = 0; i < FIXTURE_COUNT; i++)
		docs[i] = load(all_fixtures[i]);
	return FIXTURE_COUNT;
}

static char *summary_html(json_t **docs, size_t n, int verified)
{
	fg_report_provenance prov = provenance(verified);
	summary_arg arg = {docs, n, &prov};
	char *path = render_to_file(render_summary, &arg);
	char *html = to_html(path);
	char *md = read_file(path);

	assert_no_trailing_spaces(md, "summary");
	free(md);
	unlink(path);
	free(path);
	return html;
}

/* 1 when one of run's jurisdictions is covered by code. */
static int placed_in(const json_t *run, const char *code)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(run, "jurisdictions"), i, v)
		if (fg_jurisdiction_covers(code, json_string_value(v)))
			return 1;
	return 0;
}

/* Distinct jurisdictions of a run and those of its findings where it is
 * placed: one summary row each. */
static int jurisdiction_rows(const json_t *run)
{
	const char *seen[64];
	int n = 0, k;
	size_t i;
	json_t *v;
	const char *j;

	json_array_foreach(json_object_get(run, "jurisdictions"), i, v) {
		j = json_string_value(v);
		for (k = 0; k < n && strcmp(seen[k], j); k++)
			;
		if (k == n)
			seen[n++] = j;
	}
	json_array_foreach(json_object_get(run, "findings"), i, v) {
		j = fg_rd_str(v, "jurisdiction");
		/* a market the run is not placed in gets no row */
		if (!strcmp(fg_rd_str(v, "outcome"), "not_applicable") &&
		    !placed_in(run, j))
			continue;
		for (k = 0; k < n && strcmp(seen[k], j); k++)
			;
		if (k == n)
			seen[n++] = j;
	}
	return n ? n : 1;
}

START_TEST(test_summary_no_row_for_a_market_the_run_is_not_placed_in)
{
	json_t *doc = json_pack("{s:s, s:[{s:s, s:[s], s:["
				"{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s},"
				"{s:s, s:s, s:s, s:s}]}]}",
				"as_of", "2026-11-30", "runs", "id", "eu-only",
				"jurisdictions", "EU", "findings",
				"rule", "eu.x", "outcome", "triggered",
				"jurisdiction", "EU", "reason", "r",
				"rule", "kr.x", "outcome", "not_applicable",
				"jurisdiction", "KR", "reason", "r",
				"rule", "us.x", "outcome", "not_applicable",
				"jurisdiction", "US", "reason", "r");
	char *html = summary_html(&doc, 1, 1);
	char *table = table_after(html, "<h2>Runs</h2>");

	ck_assert_ptr_nonnull(table);
	ck_assert_int_eq(count(table, "<tr>"), 2);
	ck_assert_ptr_null(strstr(table, "<td>KR</td>"));
	ck_assert_ptr_null(strstr(table, "<td>US</td>"));
	free(table);
	free(html);
	json_decref(doc);
}
END_TEST

/* The summary leads with what needs action: overdue obligations, those
 * due within 30 days of the as-of date, near findings. */
START_TEST(test_summary_leads_with_what_needs_action)
{
	json_t *doc = json_pack("{s:s, s:[{s:s, s:[s], s:[{s:s, s:s, s:s, "
				"s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}]}]}",
				"as_of", "2026-11-30", "runs", "id", "atlas",
				"jurisdictions", "EU", "findings",
				"rule", "eu.x", "outcome", "triggered",
				"jurisdiction", "EU", "reason", "r",
				"obligations",
				"id", "late", "due", "2026-11-29",
				"id", "soon", "due", "2026-12-30",
				"id", "later", "due", "2026-12-31");
	char *html = summary_html(&doc, 1, 1), seq[512];
	char *overdue = table_after(html, "<h3>Overdue</h3>");
	char *soon = table_after(html, "<h3>Due within 30 days</h3>");

	h2_sequence(html, seq, sizeof(seq));
	ck_assert_str_eq(seq, "Needs action|Outcomes|Runs|Upcoming deadlines|"
			 "Expired waivers|Audit checkpoint");
	ck_assert_ptr_nonnull(strstr(html, "<strong>1 obligation overdue"
				     "</strong>, 1 due within 30 days, 0 "
				     "findings near a line."));
	ck_assert_int_eq(count(overdue, "<tr>"), 2);
	ck_assert_ptr_nonnull(strstr(overdue, "late"));
	ck_assert_int_eq(count(soon, "<tr>"), 2);
	ck_assert_ptr_nonnull(strstr(soon, "soon"));
	ck_assert_ptr_null(strstr(soon, "later"));
	free(overdue);
	free(soon);
	free(html);
	json_decref(doc);
}
END_TEST

START_TEST(test_summary_one_row_per_run_and_jurisdiction)
{
	json_t *docs[FIXTURE_COUNT], *run;
	size_t n = load_all(docs), d, i;
	char *html = summary_html(docs, n, 1), *table, **rows;
	int expected = 1;

	for (d = 0; d < n; d++)
		json_array_foreach(json_object_get(docs[d], "runs"), i, run)
			expected += jurisdiction_rows(run);
	table = table_after(html, "<h2>Runs</h2>");
	ck_assert_ptr_nonnull(table);
	ck_assert_int_eq(count(table, "<tr>"), expected);
	rows = rows_of(table);
	for (i = 0; rows[i]; i++)
		ck_assert_int_eq(count(rows[i], "<td>") +
				 count(rows[i], "<th>"), 9);
	free_rows(rows);
	ck_assert_ptr_nonnull(strstr(table, "<td><a href=\"atlas-2.md\">"
				     "atlas-2</a></td>\n<td>EU</td>\n<td>"
				     "<strong>triggered</strong></td>\n"
				     "<td>2</td>"));
	ck_assert_ptr_nonnull(strstr(html, "<strong>6 runs</strong>, 18 "
				     "findings: 6 triggered, 1 near, 1 "
				     "indeterminate, 1 waived, 4 clear, 5 not "
				     "applicable."));
	free(table);
	free(html);
	for (d = 0; d < n; d++)
		json_decref(docs[d]);
}
END_TEST

START_TEST(test_summary_links_each_run_to_its_report_file)
{
	json_t *docs[FIXTURE_COUNT], *run;
	size_t n = load_all(docs), d, i;
	char *html = summary_html(docs, n, 1);
	char name[FG_REPORT_FILENAME_MAX + 1], href[160];

	for (d = 0; d < n; d++)
		json_array_foreach(json_object_get(docs[d], "runs"), i, run) {
			ck_assert_int_eq(fg_report_filename(name, sizeof(name),
				fg_rd_str(run, "id")), 0);
			snprintf(href, sizeof(href), "<a href=\"%s\">", name);
			ck_assert_msg(strstr(html, href) != NULL, "no %s",
				      href);
		}
	ck_assert_int_eq(count(html, "<script"), 0);
	free(html);
	for (d = 0; d < n; d++)
		json_decref(docs[d]);
}
END_TEST

START_TEST(test_summary_deadlines_sorted_by_date)
{
	json_t *docs[FIXTURE_COUNT], *run, *f, *o;
	size_t n = load_all(docs), d, i, j, k;
	char *html = summary_html(docs, n, 1);
	char *table = table_after(html, "<h2>Upcoming deadlines</h2>");
	char **rows = rows_of(table), previous[16] = "";
	int expected = 0;

	for (d = 0; d < n; d++)
		json_array_foreach(json_object_get(docs[d], "runs"), i, run)
			json_array_foreach(json_object_get(run, "findings"),
					   j, f) {
			const char *outcome = fg_rd_str(f, "outcome");

			if (strcmp(outcome, "triggered") &&
			    strcmp(outcome, "near"))
				continue;
			json_array_foreach(json_object_get(f, "obligations"),
					   k, o)
				expected += fg_rd_str(o, "due") != NULL;
		}
	ck_assert_int_eq(expected, 5);
	ck_assert_int_eq(count(table, "<tr>"), expected + 1);
	for (i = 1; rows[i]; i++) {
		const char *due = strstr(rows[i], "<td>") + 4;

		ck_assert_msg(strncmp(previous, due, 10) <= 0,
			      "%.10s before %s", due, previous);
		snprintf(previous, sizeof(previous), "%.10s", due);
	}
	ck_assert_ptr_nonnull(strstr(rows[1], "2026-10-01"));
	ck_assert_ptr_nonnull(strstr(rows[1], "<strong>overdue</strong>"));
	ck_assert_ptr_nonnull(strstr(rows[2], "2026-12-04"));
	ck_assert_ptr_nonnull(strstr(rows[3], "Notify the European "
				     "Commission"));
	free_rows(rows);
	free(table);
	free(html);
	for (d = 0; d < n; d++)
		json_decref(docs[d]);
}
END_TEST

START_TEST(test_summary_near_runs_expired_waivers_and_verify)
{
	json_t *docs[FIXTURE_COUNT];
	size_t n = load_all(docs), d;
	char *html = summary_html(docs, n, 0);
	char *near = table_after(html, "<h3>Near a line</h3>");
	char *expired = table_after(html, "<h2>Expired waivers</h2>");
	char seq[512];

	h2_sequence(html, seq, sizeof(seq));
	ck_assert_str_eq(seq, "Needs action|Outcomes|Runs|Upcoming deadlines|"
			 "Expired waivers|Audit checkpoint");
	ck_assert_int_eq(count(near, "<tr>"), 2);
	ck_assert_ptr_nonnull(strstr(near, "orion-running"));
	ck_assert_ptr_nonnull(strstr(near, "2027-01-08"));
	ck_assert_int_eq(count(expired, "<tr>"), 2);
	ck_assert_ptr_nonnull(strstr(expired, "eu.gpai.indicative"));
	ck_assert_ptr_nonnull(strstr(expired, "2026-09-30"));
	ck_assert(strstr(html, "audit verify FAILED at render time") <
		  strstr(html, "<h2>"));
	ck_assert_ptr_nonnull(strstr(html, CHECKPOINT "</code></pre>"));
	free(near);
	free(expired);
	free(html);

	html = summary_html(docs, n, 1);
	ck_assert_ptr_null(strstr(html, "FAILED"));
	ck_assert_ptr_nonnull(strstr(html, "Audit verify <strong>passed"
				     "</strong> at render time"));
	free(html);
	for (d = 0; d < n; d++)
		json_decref(docs[d]);
}
END_TEST

/* An empty store, or documents that hold no run: every heading is still
 * there, and the Runs section says so in one sentence, not an empty
 * table. */
START_TEST(test_summary_without_runs_says_so_instead_of_empty_table)
{
	json_t *empty = json_pack("{s:[]}", "runs");
	json_t *docs[1] = {empty};
	size_t counts[2] = {0, 1};
	char *html, *runs, seq[512];
	int i;

	ck_assert_ptr_nonnull(empty);
	for (i = 0; i < 2; i++) {
		html = summary_html(counts[i] ? docs : NULL, counts[i], 1);
		h2_sequence(html, seq, sizeof(seq));
		ck_assert_str_eq(seq, "Needs action|Outcomes|Runs|"
				 "Upcoming deadlines|Expired waivers|"
				 "Audit checkpoint");
		ck_assert_ptr_null(table_after(html, "<h2>Runs</h2>"));
		runs = strstr(html, "<h2>Runs</h2>");
		ck_assert_ptr_nonnull(runs);
		ck_assert_ptr_eq(strstr(runs, "<p>No run is recorded.</p>"),
				 runs + strlen("<h2>Runs</h2>\n"));
		ck_assert_ptr_nonnull(strstr(html, "<strong>0 runs</strong>"));
		free(html);
	}
	json_decref(empty);
}
END_TEST

/* ---- JUnit -------------------------------------------------------------- */

/* A minimal XML well-formedness check: declaration, one root, tags
 * balanced, attribute values quoted, '<' never in text or values, every
 * '&' a known entity or character reference. */
static const char *xml_check(const char *s)
{
	const char *stack[64];
	size_t lengths[64], depth = 0, len;
	int roots = 0;

	if (strncmp(s, "<?xml ", 6) || !(s = strstr(s, "?>")))
		return "no declaration";
	s += 2;
	while (*s) {
		if (*s == '&') {
			if (strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) &&
			    strncmp(s, "&gt;", 4) && strncmp(s, "&quot;", 6) &&
			    strncmp(s, "&apos;", 6) && strncmp(s, "&#", 2))
				return "bare &";
			s++;
			continue;
		}
		if (*s == '>')
			return "bare > in text";
		if (*s != '<') {
			if (!depth && !isspace((unsigned char)*s))
				return "text outside the root";
			s++;
			continue;
		}
		s++;
		if (*s == '/') {
			s++;
			if (!depth)
				return "close without open";
			len = lengths[depth - 1];
			if (strncmp(s, stack[depth - 1], len) || s[len] != '>')
				return "mismatched close";
			depth--;
			s += len + 1;
			continue;
		}
		if (!isalpha((unsigned char)*s))
			return "bad tag name";
		if (!depth && roots++)
			return "two roots";
		if (depth == 64)
			return "too deep";
		stack[depth] = s;
		while (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
			s++;
		lengths[depth] = (size_t)(s - stack[depth]);
		for (;;) {
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '/' && s[1] == '>') {
				s += 2;
				break;
			}
			if (*s == '>') {
				s++;
				depth++;
				break;
			}
			if (!isalpha((unsigned char)*s))
				return "bad attribute";
			while (isalnum((unsigned char)*s) || *s == '_' ||
			       *s == '-')
				s++;
			if (s[0] != '=' || s[1] != '"')
				return "unquoted attribute";
			for (s += 2; *s != '"'; s++) {
				if (!*s || *s == '<')
					return "bad attribute value";
				if (*s == '&' && strncmp(s, "&amp;", 5) &&
				    strncmp(s, "&lt;", 4) &&
				    strncmp(s, "&gt;", 4) &&
				    strncmp(s, "&quot;", 6) &&
				    strncmp(s, "&apos;", 6) &&
				    strncmp(s, "&#", 2))
					return "bare & in attribute";
			}
			s++;
		}
	}
	if (depth)
		return "unclosed element";
	return roots == 1 ? NULL : "no root";
}

/* The value of attr="..." in the first tag named tag. */
static long tag_attribute(const char *xml, const char *tag, const char *attr)
{
	char pattern[64];
	const char *p = strstr(xml, tag), *end;

	ck_assert_ptr_nonnull(p);
	end = strchr(p, '>');
	snprintf(pattern, sizeof(pattern), " %s=\"", attr);
	p = strstr(p, pattern);
	ck_assert_msg(p && p < end, "%s has no %s", tag, attr);
	return strtol(p + strlen(pattern), NULL, 10);
}

START_TEST(test_xml_check_rejects_malformed_xml)
{
	ck_assert_ptr_null(xml_check("<?xml version=\"1.0\"?>\n<a x=\"1\">"
				     "<b/>t &amp; u</a>\n"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a><b></a></b>"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a x=\"<\"/>"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a>x & y</a>"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a></a><a></a>"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a x=1></a>"));
	ck_assert_ptr_nonnull(xml_check("<?xml ?><a>"));
}
END_TEST

START_TEST(test_junit_well_formed_with_correct_counts)
{
	size_t i, j, k;

	for (i = 0; i < FIXTURE_COUNT; i++) {
		json_t *doc = load(all_fixtures[i]), *run, *f;
		char *path = render_to_file(render_junit, doc);
		char *xml = read_file(path);
		const char *why = xml_check(xml);
		int failing = 0, left_out = 0, tests = 0;

		ck_assert_msg(why == NULL, "%s: %s", all_fixtures[i], why);
		json_array_foreach(json_object_get(doc, "runs"), j, run)
			json_array_foreach(json_object_get(run, "findings"),
					   k, f) {
			if (json_is_true(json_object_get(f, "gate_fails")))
				failing++;
			else if (!strcmp(fg_rd_str(f, "outcome"),
					 "not_applicable")) {
				left_out++;
				continue;
			}
			tests++;
		}
		/* rules that do not apply are left out by default */
		ck_assert_int_eq(count(xml, "<failure "), failing);
		ck_assert_int_eq(count(xml, "<skipped "), 0);
		ck_assert_int_eq(count(xml, "<testcase "), tests);
		ck_assert_int_eq(count(xml, " time=\"0\">"), tests);
		ck_assert_int_eq(tag_attribute(xml, "<testsuites", "failures"),
				 failing);
		ck_assert_int_eq(tag_attribute(xml, "<testsuites", "tests"),
				 tests);
		ck_assert_int_eq(tag_attribute(xml, "<testsuite ", "failures"),
				 failing);
		if (json_array_size(json_object_get(doc, "runs")) == 1)
			ck_assert_int_eq(tag_attribute(xml,
				"<property name=\"not_applicable\"", "value"),
				left_out);
		unlink(path);
		free(path);
		free(xml);
		json_decref(doc);
	}
}
END_TEST

START_TEST(test_junit_failure_names_run_rule_figures_and_due)
{
	json_t *doc = load("systemic_risk.json");
	char *path = render_to_file(render_junit, doc);
	char *xml = read_file(path);

	ck_assert_ptr_nonnull(strstr(xml, "<testcase classname=\"atlas-2\" "
				     "name=\"eu.gpai.systemic-risk\" "
				     "time=\"0\">\n"
				     "      <failure message=\""));
	ck_assert_ptr_nonnull(strstr(xml, "2.1 × 10^26 FLOP &gt; 1.0 × 10^25 "
				     "FLOP on the central estimate (Art. "
				     "51(2)); Notify the European "
				     "Commission by 2026-12-13"));
	/* not applicable: left out (tests/cli/test_ci.sh lists them) */
	ck_assert_ptr_null(strstr(xml, "<skipped"));
	unlink(path);
	free(path);
	free(xml);
	json_decref(doc);
}
END_TEST

START_TEST(test_junit_escapes_hostile_names)
{
	json_t *doc = load("hostile.json");
	char *path = render_to_file(render_junit, doc);
	char *xml = read_file(path);

	ck_assert_ptr_null(strstr(xml, "<script"));
	ck_assert_ptr_nonnull(strstr(xml, "classname=\"../../etc/passwd x|y "
				     "*z* `rm -rf` &lt;script&gt;alert(1)"
				     "&lt;/script&gt;\""));
	ck_assert_ptr_nonnull(strstr(xml, "<testsuite name=\"../../etc/passwd "
				     "x|y *z* `rm -rf` &lt;script&gt;"));
	unlink(path);
	free(path);
	free(xml);
	json_decref(doc);
}
END_TEST

/* ---- SARIF -------------------------------------------------------------- */

static json_t *sarif_of(const json_t *doc)
{
	char *path = render_to_file(render_sarif, doc);
	json_error_t error;
	json_t *sarif = json_load_file(path, 0, &error);

	ck_assert_msg(sarif != NULL, "SARIF does not parse: %s", error.text);
	unlink(path);
	free(path);
	return sarif;
}

static const char *expected_level(const json_t *f)
{
	const char *outcome = fg_rd_str(f, "outcome");
	const char *severity = fg_rd_str(f, "severity");

	if (!strcmp(outcome, "waived"))
		return "note";
	if (!strcmp(outcome, "triggered"))
		return !strcmp(severity, "blocking") ? "error" :
		       !strcmp(severity, "info") ? "note" : "warning";
	return "warning";
}

START_TEST(test_sarif_results_match_findings)
{
	size_t i, j, k, r;

	for (i = 0; i < FIXTURE_COUNT; i++) {
		json_t *doc = load(all_fixtures[i]), *sarif = sarif_of(doc);
		json_t *srun = json_array_get(json_object_get(sarif, "runs"), 0);
		json_t *rules = json_object_get(json_object_get(
			json_object_get(srun, "tool"), "driver"), "rules");
		json_t *results = json_object_get(srun, "results");
		json_t *run, *f, *res, *loc, *rule;

		ck_assert_str_eq(fg_rd_str(sarif, "version"), "2.1.0");
		ck_assert_ptr_nonnull(strstr(fg_rd_str(sarif, "$schema"),
					     "sarif-schema-2.1.0.json"));
		ck_assert_str_eq(fg_rd_str(json_object_get(json_object_get(
			srun, "tool"), "driver"), "name"), "flopgate");
		r = 0;
		json_array_foreach(json_object_get(doc, "runs"), j, run)
			json_array_foreach(json_object_get(run, "findings"),
					   k, f) {
			const char *outcome = fg_rd_str(f, "outcome");

			if (!strcmp(outcome, "clear") ||
			    !strcmp(outcome, "not_applicable"))
				continue;
			res = json_array_get(results, r++);
			ck_assert_ptr_nonnull(res);
			ck_assert_str_eq(fg_rd_str(res, "ruleId"),
					 fg_rd_str(f, "rule"));
			rule = json_array_get(rules, (size_t)json_integer_value(
				json_object_get(res, "ruleIndex")));
			ck_assert_str_eq(fg_rd_str(rule, "id"),
					 fg_rd_str(f, "rule"));
			ck_assert_str_eq(fg_rd_str(json_object_get(rule,
				"shortDescription"), "text"),
				fg_rd_str(f, "title"));
			ck_assert_str_eq(fg_rd_str(res, "level"),
					 expected_level(f));
			ck_assert_int_eq(json_array_size(json_object_get(
				res, "suppressions")),
				!strcmp(outcome, "waived"));
			ck_assert_ptr_nonnull(fg_rd_str(rule, "helpUri"));
			ck_assert_ptr_nonnull(fg_rd_str(json_object_get(rule,
				"help"), "text"));
			ck_assert_ptr_nonnull(fg_rd_str(json_object_get(rule,
				"help"), "markdown"));
			ck_assert_uint_eq(strlen(fg_rd_str(json_object_get(res,
				"partialFingerprints"), "flopgate/v1")), 32);
			loc = json_object_get(json_array_get(json_object_get(
				res, "locations"), 0), "physicalLocation");
			if (strcmp(all_fixtures[i], "hostile.json"))
				ck_assert_str_eq(fg_rd_str(json_object_get(loc,
					"artifactLocation"), "uri"),
					fg_rd_str(run, "file"));
			ck_assert_int_eq(json_integer_value(json_object_get(
				json_object_get(loc, "region"), "startLine")),
				json_integer_value(json_object_get(run,
								   "line")));
		}
		/* then each run's warnings, as results of their own rule */
		json_array_foreach(json_object_get(doc, "runs"), j, run)
			json_array_foreach(json_object_get(run, "warnings"),
					   k, f) {
			res = json_array_get(results, r++);
			ck_assert_ptr_nonnull(res);
			ck_assert_str_eq(fg_rd_str(res, "ruleId"),
					 "flopgate.run-warning");
			ck_assert_str_eq(fg_rd_str(res, "level"), "warning");
			ck_assert_ptr_nonnull(strstr(fg_rd_str(json_object_get(
				res, "message"), "text"),
				json_string_value(f)));
		}
		ck_assert_int_eq(json_array_size(results), r);
		json_decref(sarif);
		json_decref(doc);
	}
}
END_TEST

START_TEST(test_sarif_message_and_rule_metadata)
{
	json_t *doc = load("systemic_risk.json"), *sarif = sarif_of(doc);
	json_t *srun = json_array_get(json_object_get(sarif, "runs"), 0);
	json_t *rules = json_object_get(json_object_get(json_object_get(
		srun, "tool"), "driver"), "rules");
	json_t *first = json_array_get(json_object_get(srun, "results"), 0);

	/* every rule evaluated is described once, the N/A ones too, and
	 * the run's warnings (this document has some) as one more */
	ck_assert_int_gt(json_array_size(fg_rd_array(json_array_get(
		json_object_get(doc, "runs"), 0), "warnings")), 0);
	ck_assert_int_eq(json_array_size(rules), 8);
	ck_assert_str_eq(fg_rd_str(json_array_get(rules, 7), "id"),
			 "flopgate.run-warning");
	ck_assert_str_eq(fg_rd_str(json_object_get(json_array_get(rules, 0),
				   "properties"), "citation"), "Art. 51(2)");
	ck_assert_str_eq(fg_rd_str(json_array_get(rules, 0), "helpUri"),
			 "https://eur-lex.europa.eu/eli/reg/2024/1689/oj");
	ck_assert_ptr_nonnull(strstr(fg_rd_str(json_object_get(first,
		"message"), "text"), "2.1 × 10^26 FLOP > 1.0 × 10^25 FLOP "
		"on the central estimate (Art. 51(2)); Notify the European Commission by 2026-12-13"));
	json_decref(sarif);
	json_decref(doc);
}
END_TEST

/* partialFingerprints name the finding (ruleset, rule, run id), not its
 * figures or where its file lies: the same alert from one day to the
 * next. */
START_TEST(test_sarif_fingerprint_is_ruleset_rule_and_run)
{
	json_t *doc = load("systemic_risk.json"), *sarif = sarif_of(doc);
	json_t *srun = json_array_get(json_object_get(sarif, "runs"), 0);
	json_t *res = json_array_get(json_object_get(srun, "results"), 0);
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *f = json_array_get(json_object_get(run, "findings"), 0);
	char text[512], hex[65];

	snprintf(text, sizeof(text), "%s\n%s\n%s",
		 fg_rd_str(f, "ruleset") ? fg_rd_str(f, "ruleset") : "",
		 fg_rd_str(f, "rule"), fg_rd_str(run, "id"));
	ck_assert_int_eq(fg_sha256_hex(text, strlen(text), hex), 0);
	hex[32] = 0;
	ck_assert_str_eq(fg_rd_str(json_object_get(res,
		"partialFingerprints"), "flopgate/v1"), hex);
	ck_assert_str_eq(fg_rd_str(json_object_get(srun,
		"automationDetails"), "id"), "flopgate/check/2026-11-29");
	/* no source root given: no originalUriBaseIds */
	ck_assert_ptr_null(json_object_get(srun, "originalUriBaseIds"));
	json_decref(sarif);
	json_decref(doc);
}
END_TEST

/* The artifact URI of the first result when the run's file is `file`:
 * "URI BASE" (BASE "-" when there is none). */
static void sarif_location_of(char *buf, size_t size, const char *file)
{
	json_t *doc = load("systemic_risk.json"), *sarif;
	json_t *art;

	json_object_set_new(json_array_get(json_object_get(doc, "runs"), 0),
			    "file", json_string(file));
	sarif = sarif_of(doc);
	art = json_object_get(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(json_array_get(json_object_get(
		sarif, "runs"), 0), "results"), 0), "locations"), 0),
		"physicalLocation"), "artifactLocation");
	snprintf(buf, size, "%s %s", fg_rd_str(art, "uri"),
		 fg_rd_str(art, "uriBaseId") ? fg_rd_str(art, "uriBaseId")
					     : "-");
	json_decref(sarif);
	json_decref(doc);
}

START_TEST(test_sarif_paths_are_normalised)
{
	static const char *const cases[][2] = {
		{"./runs//a.yaml", "runs/a.yaml %SRCROOT%"},
		{"runs/./b/../a.yaml", "runs/a.yaml %SRCROOT%"},
		{"runs\\a.yaml", "runs/a.yaml %SRCROOT%"},
		{"../up/a.yaml", "../up/a.yaml %SRCROOT%"},
		{"a/../../up.yaml", "../up.yaml %SRCROOT%"},
		{"//srv//runs/../a.yaml", "file:///srv/a.yaml -"},
		{"/../a.yaml", "file:///a.yaml -"},
		{"c:x/a b.yaml", "c%3Ax/a%20b.yaml %SRCROOT%"},
	};
	char got[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sarif_location_of(got, sizeof(got), cases[i][0]);
		ck_assert_msg(!strcmp(got, cases[i][1]), "%s: %s, not %s",
			      cases[i][0], got, cases[i][1]);
	}
}
END_TEST

START_TEST(test_sarif_uri_of_hostile_path_is_percent_encoded)
{
	json_t *doc = load("hostile.json"), *sarif = sarif_of(doc);
	json_t *res = json_array_get(json_object_get(json_array_get(
		json_object_get(sarif, "runs"), 0), "results"), 0);
	json_t *loc = json_array_get(json_object_get(res, "locations"), 0);

	ck_assert_str_eq(fg_rd_str(json_object_get(json_object_get(loc,
		"physicalLocation"), "artifactLocation"), "uri"),
		"evil%20dir/run%7C1.yaml");
	ck_assert_str_eq(fg_rd_str(json_object_get(json_object_get(loc,
		"physicalLocation"), "artifactLocation"), "uriBaseId"),
		"%SRCROOT%");
	ck_assert_str_eq(fg_rd_str(json_array_get(json_object_get(loc,
		"logicalLocations"), 0), "fullyQualifiedName"),
		"../../etc/passwd x|y *z* `rm -rf` <script>alert(1)</script>");
	json_decref(sarif);
	json_decref(doc);
}
END_TEST

/* ---- report file names -------------------------------------------------- */

static int safe_name(const char *name)
{
	const char *p;

	if (name[0] == '.' || !strcmp(name, "..") ||
	    strlen(name) > FG_REPORT_FILENAME_MAX || strlen(name) < 4 ||
	    strcmp(name + strlen(name) - 3, ".md"))
		return 0;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return 0;
	return 1;
}

START_TEST(test_filename_keeps_plain_ids)
{
	char name[FG_REPORT_FILENAME_MAX + 1];

	ck_assert_int_eq(fg_report_filename(name, sizeof(name),
					    "llama-3.1-405b"), 0);
	ck_assert_str_eq(name, "llama-3.1-405b.md");
	ck_assert_int_eq(fg_report_filename(name, sizeof(name), "atlas_2"), 0);
	ck_assert_str_eq(name, "atlas_2.md");
}
END_TEST

START_TEST(test_filename_hostile_ids_map_to_safe_distinct_names)
{
	static char long_id[301];
	const char *ids[] = {
		"..", ".", "../x", "..x", "a/b", "a_b", "a b", "a|b", "a*b",
		"a`b", "<script>", "_script_", "Llama", "llama", ".hidden",
		"x-0123456789abcdef", "x", long_id, "-", "a\nb",
		"../../etc/passwd x|y *z* `rm -rf` <script>alert(1)</script>",
		"\xC3\xA9t\xC3\xA9"
	};
	size_t n = sizeof(ids) / sizeof(ids[0]), i, j;
	char names[sizeof(ids) / sizeof(ids[0])][FG_REPORT_FILENAME_MAX + 1];

	memset(long_id, 'a', 300);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(fg_report_filename(names[i], sizeof(names[i]),
						    ids[i]), 0);
		ck_assert_msg(safe_name(names[i]), "unsafe %s for id %zu",
			      names[i], i);
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_msg(strcasecmp(names[i], names[j]),
				      "%s and %s collide", names[i], names[j]);
	/* An id that looks like a hashed name is itself hashed. */
	ck_assert_str_ne(names[15], "x-0123456789abcdef.md");
	ck_assert_str_eq(names[16], "x.md");
}
END_TEST

/* `report --all -o DIR` writes the summary to DIR/index.md. */
START_TEST(test_filename_never_gives_a_run_the_summary_index)
{
	const char *ids[] = {"index", "INDEX", "Index", "iNdEx"};
	char name[FG_REPORT_FILENAME_MAX + 1], digest[65], expected[40];
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ck_assert_int_eq(fg_report_filename(name, sizeof(name),
						    ids[i]), 0);
		ck_assert_msg(strcasecmp(name, "index.md"), "%s -> %s",
			      ids[i], name);
		ck_assert_int_eq(fg_sha256_hex(ids[i], strlen(ids[i]),
					       digest), 0);
		snprintf(expected, sizeof(expected), "%s-%.16s.md", ids[i],
			 digest);
		ck_assert_str_eq(name, expected);
		ck_assert(safe_name(name));
	}
	/* Only the whole stem is reserved. */
	ck_assert_int_eq(fg_report_filename(name, sizeof(name), "index2"), 0);
	ck_assert_str_eq(name, "index2.md");
	ck_assert_int_eq(fg_report_filename(name, sizeof(name), "my-index"),
			 0);
	ck_assert_str_eq(name, "my-index.md");
	ck_assert_int_eq(fg_report_filename(name, sizeof(name), "index.md"),
			 0);
	ck_assert_str_eq(name, "index.md.md");
}
END_TEST

START_TEST(test_filename_refuses_empty_id_and_small_buffer)
{
	char name[FG_REPORT_FILENAME_MAX + 1], small[16] = "junk";

	ck_assert_int_eq(fg_report_filename(name, sizeof(name), ""),
			 FG_EINPUT);
	ck_assert_int_eq(fg_report_filename(name, sizeof(name), NULL),
			 FG_EINPUT);
	ck_assert_int_eq(fg_report_filename(small, sizeof(small), "x"),
			 FG_EINPUT);
	ck_assert_str_eq(small, "");
}
END_TEST

/* ---- escaping ----------------------------------------------------------- */

static char *md_of(const char *text)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);

	fg_md_text(m, text);
	fclose(m);
	return buf;
}

START_TEST(test_md_text_escapes_structure)
{
	struct { const char *in, *out; } cases[] = {
		{"a|b", "a\\|b"},
		{"  two\n lines\t ", "two lines"},
		{"1. first", "1\\. first"},
		{"0.1.0", "0.1.0"},
		{"- item", "\\- item"},
		{"<b>&amp;", "\\<b\\>\\&amp;"},
		{"AT&T", "AT\\&T"},
		{"A & B", "A & B"},
		{"x\xE2\x80\xAEy", "xy"},
		{"`code` *em* _u_ [l](u)", "\\`code\\` \\*em\\* \\_u\\_ \\[l\\](u)"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = md_of(cases[i].in);

		ck_assert_str_eq(got, cases[i].out);
		free(got);
	}
}
END_TEST

/* ---- the fast JSON writer gives jansson's bytes ------------------------- */

/* 1 when key needs no escaping (what fg_jw_kstring_n takes) */
static int plain_key(const char *key)
{
	for (; *key; key++)
		if ((unsigned char)*key < 0x20 || *key == '"' || *key == '\\')
			return 0;
	return 1;
}

/* A member of v written as the pipeline writes a string, boolean or null
 * member of its own, in one call (fg_jw_kstring_n, fg_jw_kbool_n): 1, or
 * 0 when it is not such a member. */
static int write_member(fg_jw *w, const char *key, const json_t *x)
{
	if (!plain_key(key))
		return 0;
	if (json_is_string(x))
		fg_jw_kstring_n(w, key, strlen(key), json_string_value(x));
	else if (json_is_null(x))
		fg_jw_kstring_n(w, key, strlen(key), NULL);
	else if (json_is_boolean(x))
		fg_jw_kbool_n(w, key, strlen(key), json_is_true(x));
	else
		return 0;
	return 1;
}

/* v written with the writer the pipeline uses (fg_jw_object ...): every
 * other member by key and value, the others in one call where they can
 * be, so that both ways are held to jansson's bytes */
static void write_tree(fg_jw *w, const json_t *v)
{
	static int turn;
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		fg_jw_object(w);
		json_object_foreach((json_t *)v, key, x) {
			if ((turn ^= 1) && write_member(w, key, x))
				continue;
			fg_jw_key(w, key);
			write_tree(w, x);
		}
		fg_jw_close(w, '}');
		break;
	case JSON_ARRAY:
		fg_jw_array(w);
		json_array_foreach(v, i, x)
			write_tree(w, x);
		fg_jw_close(w, ']');
		break;
	case JSON_STRING:
		fg_jw_string(w, json_string_value(v));
		break;
	case JSON_INTEGER:
		fg_jw_integer(w, json_integer_value(v));
		break;
	case JSON_REAL:
		fg_jw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		fg_jw_bool(w, json_is_true(v));
		break;
	default:
		fg_jw_null(w);
	}
}

/* The writer's compact bytes are jansson's compact ones, fg_jw_value's
 * pretty ones jansson's pretty ones, and its tree jansson's value. */
static void writer_same_as_jansson(const json_t *v)
{
	fg_jbuf b = {0}, q = {0};
	char *want, *got;
	json_t *tree;
	fg_jw w;

	fg_jw_start(&w, &b);
	write_tree(&w, v);
	fg_jw_bytes(&b, "", 1);
	ck_assert(!b.failed);
	want = json_dumps(v, FG_JSON_FLAGS | JSON_COMPACT);
	ck_assert_str_eq(b.p, want);
	free(want);
	/* and fg_jw_value's pretty bytes are jansson's pretty ones */
	fg_jw_value(&q, v, FG_JW_PRETTY, 0);
	fg_jw_bytes(&q, "", 1);
	ck_assert(!q.failed);
	want = json_dumps(v, FG_JSON_FLAGS | JSON_INDENT(2));
	ck_assert_str_eq(q.p, want);
	free(want);
	fg_jw_free(&b);
	fg_jw_free(&q);
	/* and as a tree: the same value, its keys in the same order */
	fg_jw_start_tree(&w);
	write_tree(&w, v);
	tree = fg_jw_tree(&w);
	ck_assert_ptr_nonnull(tree);
	ck_assert(json_equal(tree, (json_t *)v));
	want = json_dumps(v, FG_JSON_FLAGS | JSON_INDENT(2));
	got = json_dumps(tree, FG_JSON_FLAGS | JSON_INDENT(2));
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	json_decref(tree);
}

static void same_as_jansson(const json_t *v)
{
	fg_jbuf b = {0};
	char *want;

	writer_same_as_jansson(v);

	want = json_dumps(v, FG_JSON_FLAGS | JSON_INDENT(2));
	fg_jw_value(&b, v, FG_JW_PRETTY, 0);
	fg_jw_bytes(&b, "", 1);
	ck_assert(!b.failed);
	ck_assert_str_eq(b.p, want);
	free(want);
	b.len = 0;
	want = json_dumps(v, FG_JSON_CANONICAL);
	fg_jw_value(&b, v, FG_JW_CANONICAL, 0);
	fg_jw_bytes(&b, "", 1);
	ck_assert(!b.failed);
	ck_assert_str_eq(b.p, want);
	free(want);
	fg_jw_free(&b);
}

START_TEST(test_json_writer_gives_jansson_bytes)
{
	static const char *const files[] = {
		"tests/fixtures/golden/all.json",
		"tests/fixtures/golden/all.estimate.json",
		"tests/fixtures/results/hostile.json",
		"tests/fixtures/results/waived.json", NULL};
	json_t *v;
	size_t i;

	for (i = 0; files[i]; i++) {
		v = json_load_file(files[i], 0, NULL);
		ck_assert_msg(v != NULL, "%s", files[i]);
		same_as_jansson(v);
		json_decref(v);
	}
	/* what a document rarely holds: escapes, every plane, odd reals */
	v = json_pack("{s:s, s:s, s:[f, f, f, f, f, f], s:{}, s:[], s:I, s:n,"
		      " s:b, s:[{s:[]}, [{}], s]}", "text",
		      "a\"b\\c\n\t\x01/\x7f é € 𝄞 \u2028",
		      "\u00e9", "key", "reals", 0.0, -0.0, 1e25, 1e-7, 123456789.0,
		      1.0 / 3, "empty", "none", "int", (json_int_t)-42,
		      "null", "yes", 1, "nested", "{\"[,:]\\\"}", "x",
		      "\\\"{,}\\");
	ck_assert_ptr_nonnull(v);
	same_as_jansson(v);
	json_decref(v);
	/* indented past a block of spaces: 20 levels, objects and arrays */
	v = json_pack("{s:[i]}", "leaf", 1);
	for (i = 0; v && i < 20; i++)
		v = i % 2 ? json_pack("{s:o, s:s}", "in", v, "k", "v")
			  : json_pack("[o, i]", v, (json_int_t)i);
	ck_assert_ptr_nonnull(v);
	same_as_jansson(v);
	json_decref(v);
}
END_TEST

/* A real as the writer gives it (compact), against jansson's bytes for
 * the same double. */
static void real_same_as_jansson(double v)
{
	fg_jbuf b = {0};
	json_t *j = json_real(v);
	char *want;
	fg_jw w;

	ck_assert_ptr_nonnull(j);
	want = json_dumps(j, FG_JSON_FLAGS | JSON_COMPACT | JSON_ENCODE_ANY);
	fg_jw_start(&w, &b);
	fg_jw_real(&w, v);
	fg_jw_bytes(&b, "", 1);
	ck_assert(!b.failed);
	ck_assert_msg(!strcmp(b.p, want), "%a: wrote %s, jansson %s", v, b.p,
		      want);
	free(want);
	fg_jw_free(&b);
	json_decref(j);
}

/* A double from 64 random bits (the test's own generator: the same
 * doubles every run). */
static uint64_t next_bits(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The writer formats reals itself, exactly (src/json_write.c g17), and
 * falls back to printf where 128 bits do not hold the figures: every
 * double must come out as jansson's "%.17g" gives it, around every power
 * of ten, at every rounding tie and across the whole exponent range. */
START_TEST(test_json_writer_reals_are_jansson_reals)
{
	static const double fixed[] = {
		0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 0.53, 1.0 / 3, 2.0 / 3, 1e-5,
		1e-4, 9.9999999999999995e-5, 1e16, 1e17, 1e18, 1e22, 1e23,
		1e25, 1e26, 3.8e25, 4.424472e21, 1e-7, 123456789.0,
		9007199254740993.0, 99999999999999999.0, 1e300, 1e-300,
		4.9406564584124654e-324, 1.7976931348623157e308,
		2.2250738585072014e-308, 0.30000000000000004, 100.0,
		12345678901234567890.0, 5e-324, 6.5, 7.25, 1e38, 3.4e38};
	uint64_t state = 0x9E3779B97F4A7C15ull, bits;
	double v, p10;
	size_t i;
	int k, j;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		real_same_as_jansson(fixed[i]);
		real_same_as_jansson(-fixed[i]);
	}
	/* each power of ten and its neighbours, one and two ulps away */
	for (k = -30; k <= 40; k++) {
		p10 = pow(10.0, k);
		v = p10;
		for (j = 0; j < 3; j++) {
			real_same_as_jansson(v);
			v = nextafter(v, INFINITY);
		}
		v = nextafter(p10, 0.0);
		real_same_as_jansson(v);
		real_same_as_jansson(nextafter(v, 0.0));
		/* halves at the 17th digit: x.5 x 10^(k-16), ties when exact */
		real_same_as_jansson(p10 * 1.00000000000000005);
		real_same_as_jansson(p10 * 5.5);
	}
	/* small integers and halves: exact ties at the 17th digit */
	for (i = 0; i < 2000; i++) {
		real_same_as_jansson((double)i / 8);
		real_same_as_jansson(12345678901234567.0 + (double)i * 2);
	}
	/* random bit patterns over every exponent, and random figures of the
	 * size a document holds (10^-6 to 10^30) */
	for (i = 0; i < 200000; i++) {
		bits = next_bits(&state);
		memcpy(&v, &bits, sizeof(v));
		if (isfinite(v))
			real_same_as_jansson(v);
		v = pow(10.0, (double)(next_bits(&state) % 36000) / 1000 - 6);
		real_same_as_jansson(v);
	}
}
END_TEST

/* fg_dtoa_digits gives printf's digits at every precision: "%.*e" of
 * the same double, digit for digit, and the same exponent. */
static void digits_same_as_printf(double v)
{
	char want[64], got[20], *e;
	int prec, k;

	if (!isfinite(v) || v == 0)
		return;
	v = fabs(v);
	for (prec = 1; prec <= 17; prec++) {
		if (fg_dtoa_digits(v, prec, got, &k))
			continue;       /* printf does it: nothing to compare */
		snprintf(want, sizeof(want), "%.*e", prec - 1, v);
		e = strchr(want, 'e');
		ck_assert_ptr_nonnull(e);
		ck_assert_msg(atoi(e + 1) == k, "%a at %d: exponent %d, "
			      "printf %s", v, prec, k, want);
		ck_assert_msg(got[0] == want[0] && (prec == 1 ||
			      !strncmp(got + 1, want + 2, (size_t)prec - 1)),
			      "%a at %d: digits %s, printf %s", v, prec, got,
			      want);
	}
}

START_TEST(test_dtoa_digits_are_printf_digits)
{
	uint64_t state = 0xD1B54A32D192ED03ull, bits;
	double v;
	size_t i;
	int k;

	for (k = -8; k <= 40; k++) {
		v = pow(10.0, k);
		digits_same_as_printf(v);
		digits_same_as_printf(nextafter(v, INFINITY));
		digits_same_as_printf(nextafter(v, 0.0));
		digits_same_as_printf(v * 9.5);
		digits_same_as_printf(v * 2.5);
		digits_same_as_printf(v * 0.95);
	}
	for (i = 1; i < 4000; i++)
		digits_same_as_printf((double)i / 16);
	for (i = 0; i < 30000; i++) {
		bits = next_bits(&state);
		memcpy(&v, &bits, sizeof(v));
		digits_same_as_printf(v);
		digits_same_as_printf(pow(10.0, (double)(next_bits(&state) %
						      36000) / 1000 - 6));
	}
}
END_TEST

/* ---- a document joined once -------------------------------------------- */

static int render_chart(FILE *out, const void *arg, fg_error *err)
{
	const run_arg *a = arg;

	return fg_render_run_chart(out, a->doc, a->index, err);
}

/* What fn writes of arg, as a new string. */
static char *rendered(render_fn fn, const void *arg)
{
	char *path = render_to_file(fn, arg);
	char *text = read_file(path);

	unlink(path);
	free(path);
	return text;
}

/* fn writes the same of the lean and of the joined document. */
static void same_of_both(render_fn fn, const void *lean, const void *joined,
			 const char *what, size_t run)
{
	char *a = rendered(fn, lean), *b = rendered(fn, joined);

	ck_assert_msg(a[0] != 0, "%s of run %zu: something is written", what,
		      run);
	ck_assert_msg(!strcmp(a, b), "%s of run %zu: the lean and the joined "
		      "document render alike", what, run);
	free(a);
	free(b);
}

/* `report` joins a stored document to its rules' facts once and renders
 * the run's report, its chart and the summary's rows from the joined one;
 * each renderer joins a lean document itself.  Both must give the same
 * bytes, for every example run (lean documents, as `check` writes them). */
START_TEST(test_joined_once_renders_as_the_lean_document)
{
	static const char *const runs[] = {
		"examples/runs/frontier-eu.yaml",
		"examples/runs/near-eu-line.yaml",
		"examples/runs/running-crossing.yaml",
		"examples/runs/finetune-llama-405b.yaml",
		"examples/runs/inventory.yaml"};
	fg_check_request req;
	fg_report_provenance prov = provenance(1);
	json_error_t jerr;
	fg_error err;
	char *json = NULL;
	json_t *lean, *joined, *f;
	size_t i, charts = 0, count;

	memset(&req, 0, sizeof(req));
	req.rules_dir = "rules";
	req.as_of = "2026-11-30";
	fg_error_clear(&err);
	ck_assert_int_eq(fg_check_json(&json, runs, sizeof(runs) /
				       sizeof(runs[0]), &req, &err), 0);
	lean = json_loads(json, 0, &jerr);
	fg_free(json);
	ck_assert_ptr_nonnull(lean);
	joined = fg_render_joined(lean);
	ck_assert_ptr_nonnull(joined);
	count = json_array_size(fg_rd_array(lean, "runs"));
	ck_assert_uint_gt(count, sizeof(runs) / sizeof(runs[0]));
	for (i = 0; i < count; i++) {
		run_arg a = {lean, i, &prov}, b = {joined, i, &prov};

		/* the lean finding names its rule and no more; the joined
		 * one has its rule's title */
		f = json_array_get(fg_rd_array(json_array_get(
			fg_rd_array(lean, "runs"), i), "findings"), 0);
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_null(json_object_get(f, "title"));
		f = json_array_get(fg_rd_array(json_array_get(
			fg_rd_array(joined, "runs"), i), "findings"), 0);
		ck_assert_ptr_nonnull(fg_rd_str(f, "title"));
		same_of_both(render_run, &a, &b, "the report", i);
		if (fg_render_run_has_chart(lean, i)) {
			ck_assert(fg_render_run_has_chart(joined, i));
			same_of_both(render_chart, &a, &b, "the chart", i);
			charts++;
		}
	}
	ck_assert_uint_gt(charts, 0);
	{
		summary_arg a = {&lean, 1, &prov}, b = {&joined, 1, &prov};

		same_of_both(render_summary, &a, &b, "the summary", count);
	}
	json_decref(joined);
	json_decref(lean);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *md = tcase_create("markdown");
	TCase *summary = tcase_create("summary");
	TCase *machine = tcase_create("junit-sarif");
	TCase *names = tcase_create("names");

	tcase_add_test(md, test_run_report_headings_in_stable_order);
	tcase_add_test(md, test_verdict_sentence_comes_first);
	tcase_add_test(md, test_every_triggered_rule_has_section_citation_and_due);
	tcase_add_test(md, test_rules_table_has_one_row_per_finding);
	tcase_add_test(md, test_not_applicable_rows_carry_their_reason);
	tcase_add_test(md, test_compute_table_rows_per_phase_and_method);
	tcase_add_test(md, test_annex_xi_and_provenance_figures);
	tcase_add_test(md, test_checkpoint_appears_verbatim_in_code_block);
	tcase_add_test(md, test_loud_warning_only_when_verify_failed);
	tcase_add_test(md, test_hostile_text_stays_in_its_cell_and_carries_no_html);
	tcase_add_test(md, test_near_rule_section_and_verdict);
	tcase_add_test(md, test_relation_at_the_line_prints_equals);
	tcase_add_test(md, test_without_a_recorded_relation_the_line_is_stated);
	tcase_add_test(md, test_alike_figures_are_shown_exactly);
	tcase_add_test(md, test_line_alone_is_written_exactly);
	tcase_add_test(md, test_waivers_used_and_expired);
	tcase_add_test(md, test_method_disagreement_warnings_listed);
	tcase_add_test(md, test_output_is_deterministic_without_trailing_blanks);
	tcase_add_test(md, test_bad_documents_are_refused);
	tcase_add_test(md, test_check_markdown_renders_every_run);
	tcase_add_test(md, test_estimate_document_without_findings_renders);
	tcase_add_test(md, test_write_failure_is_reported);
	tcase_add_test(md, test_md_text_escapes_structure);
	tcase_add_test(md, test_joined_once_renders_as_the_lean_document);
	tcase_add_test(summary, test_summary_one_row_per_run_and_jurisdiction);
	tcase_add_test(summary, test_summary_leads_with_what_needs_action);
	tcase_add_test(summary,
		       test_summary_no_row_for_a_market_the_run_is_not_placed_in);
	tcase_add_test(summary, test_summary_links_each_run_to_its_report_file);
	tcase_add_test(summary, test_summary_deadlines_sorted_by_date);
	tcase_add_test(summary, test_summary_near_runs_expired_waivers_and_verify);
	tcase_add_test(summary, test_summary_without_runs_says_so_instead_of_empty_table);
	tcase_add_test(machine, test_xml_check_rejects_malformed_xml);
	tcase_add_test(machine, test_junit_well_formed_with_correct_counts);
	tcase_add_test(machine, test_junit_failure_names_run_rule_figures_and_due);
	tcase_add_test(machine, test_junit_escapes_hostile_names);
	tcase_add_test(machine, test_sarif_results_match_findings);
	tcase_add_test(machine, test_sarif_fingerprint_is_ruleset_rule_and_run);
	tcase_add_test(machine, test_sarif_paths_are_normalised);
	tcase_add_test(machine, test_sarif_message_and_rule_metadata);
	tcase_add_test(machine, test_sarif_uri_of_hostile_path_is_percent_encoded);
	tcase_add_test(machine, test_json_writer_gives_jansson_bytes);
	tcase_add_test(machine, test_json_writer_reals_are_jansson_reals);
	tcase_add_test(machine, test_dtoa_digits_are_printf_digits);
	tcase_add_test(names, test_filename_keeps_plain_ids);
	tcase_add_test(names, test_filename_hostile_ids_map_to_safe_distinct_names);
	tcase_add_test(names, test_filename_refuses_empty_id_and_small_buffer);
	tcase_add_test(names, test_filename_never_gives_a_run_the_summary_index);
	suite_add_tcase(s, md);
	suite_add_tcase(s, summary);
	suite_add_tcase(s, machine);
	suite_add_tcase(s, names);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(render_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
