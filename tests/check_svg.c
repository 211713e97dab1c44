/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the compute chart (src/render_svg.c), issue 12 item 2.
 *
 * Run with `--emit CASE` (CASE one of the cases below), the binary
 * writes that case's chart to stdout instead: tests/cli/test_svg.sh runs
 * it twice in separate processes (the same bytes) and has
 * tests/cli/svg_check.py parse each chart as XML and check its marks.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_svg.h"

/* ---- the cases ------------------------------------------------------------- */

/* 10^21 .. 10^27: lines across six decades, every outcome */
static const fg_svg_range wide_range = {2e21, 3e23, 9e23, 2.4e24};
static const fg_svg_line wide_lines[] = {
	{1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_CLEAR},
	{1e23, ">", "GPAI guidelines para 17", "EU", FG_SVG_TRIGGERED},
	{1e25 / 3, ">", "EU AI Act modification, a third of 10^25", "EU",
	 FG_SVG_WAIVED},
	{1e26, ">", "EO 14110 \xC2\xA7" "4.2(b)(i)", "US",
	 FG_SVG_NOT_APPLICABLE},
	{1e26, ">", "SB 53 \xC2\xA7" "22757.11", "US-CA", FG_SVG_CLEAR},
	{1e26, ">=", "AI Basic Act Art. 32", "KR", FG_SVG_INDETERMINATE},
	{1e27, ">", "a line far above", "US", FG_SVG_CLEAR},
	{1e21, ">", "a line far below", "XX", FG_SVG_NEAR},
};

/* a range entirely below the first line */
static const fg_svg_range below_range = {1.4e22, 2e22, 2.6e22, 0};
static const fg_svg_line below_lines[] = {
	{1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_CLEAR},
	{1e26, ">", "SB 53", "US-CA", FG_SVG_CLEAR},
};

/* a line exactly at the range's central figure */
static const fg_svg_range at_range = {7e24, 1e25, 1.3e25, 1e25 * 1.3};
static const fg_svg_line at_lines[] = {
	{1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_NEAR},
	{1e25, ">=", "a line at or above", "KR", FG_SVG_TRIGGERED},
};

/* a single figure, no range */
static const fg_svg_range point_range = {3.8e25, 3.8e25, 3.8e25, 0};
static const fg_svg_line point_lines[] = {
	{1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_TRIGGERED},
};

/* text that must be escaped: markup, quotes, control characters, a bad
 * UTF-8 byte, a line break */
static const fg_svg_range escape_range = {1e24, 2e24, 3e24, 0};
static const fg_svg_line escape_lines[] = {
	{1e25, ">", "<b>Art. 51</b> & \"quoted\" 'single'\x01\n\xFFnext",
	 "E<U>&", FG_SVG_TRIGGERED},
};

static const fg_svg_line summary_lines[] = {
	{1e25, ">", "EU AI Act Art. 51(2)", "EU", FG_SVG_NONE},
	{1e23, ">", "GPAI guidelines", "EU", FG_SVG_NONE},
	{1e26, ">", "SB 53", "US-CA", FG_SVG_NONE},
	{1e26, ">", "RAISE Act", "US-NY", FG_SVG_NONE},
	{1e26, ">=", "AI Basic Act", "KR", FG_SVG_NONE},
};
static const fg_svg_outcome big_outcomes[] = {
	FG_SVG_TRIGGERED, FG_SVG_TRIGGERED, FG_SVG_NEAR, FG_SVG_CLEAR,
	FG_SVG_NOT_APPLICABLE
};
static const fg_svg_outcome small_outcomes[] = {
	FG_SVG_CLEAR, FG_SVG_CLEAR, FG_SVG_NOT_APPLICABLE,
	FG_SVG_NOT_APPLICABLE, FG_SVG_NOT_APPLICABLE
};
static const fg_svg_run summary_runs[] = {
	{"llama-3.1-405b", {2.7e25, 3.8e25, 4.9e25, 6.1e25}, big_outcomes,
	 "triggered in EU"},
	{"small-chat-eu", {5e22, 5e22, 5e22, 0}, small_outcomes, NULL},
	{"planned-frontier", {4e25, 6e25, 1.2e26, 0}, NULL, "planned"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int emit(FILE *out, const char *name, fg_error *err)
{
	if (!strcmp(name, "wide"))
		return fg_svg_run_chart(out, "wide-run", &wide_range,
					wide_lines, COUNT(wide_lines), err);
	if (!strcmp(name, "below"))
		return fg_svg_run_chart(out, "small-eu", &below_range,
					below_lines, COUNT(below_lines), err);
	if (!strcmp(name, "at-line"))
		return fg_svg_run_chart(out, "at-line", &at_range, at_lines,
					COUNT(at_lines), err);
	if (!strcmp(name, "point"))
		return fg_svg_run_chart(out, "point", &point_range,
					point_lines, COUNT(point_lines), err);
	if (!strcmp(name, "escape"))
		return fg_svg_run_chart(out, "r<&>\"'", &escape_range,
					escape_lines, COUNT(escape_lines),
					err);
	if (!strcmp(name, "no-lines"))
		return fg_svg_run_chart(out, "alone", &below_range, NULL, 0,
					err);
	if (!strcmp(name, "summary"))
		return fg_svg_summary_chart(out, summary_runs,
					    COUNT(summary_runs), summary_lines,
					    COUNT(summary_lines), err);
	if (!strcmp(name, "summary-empty"))
		return fg_svg_summary_chart(out, NULL, 0, NULL, 0, err);
	return fg_error_set(err, FG_EUSAGE, NULL, 0, 0, "no case `%s`", name);
}

/* ---- helpers ----------------------------------------------------------------- */

static char *text;
static size_t size;

/* The case's chart into text; its return code. */
static int render(const char *name, fg_error *err)
{
	FILE *f;
	int rc;

	free(text);
	text = NULL;
	f = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(f);
	rc = emit(f, name, err);
	fclose(f);
	return rc;
}

static size_t occurrences(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (; (haystack = strstr(haystack, needle)); haystack++)
		n++;
	return n;
}

static void teardown(void)
{
	free(text);
	text = NULL;
}

/* ---- tests ---------------------------------------------------------------------- */

START_TEST(test_every_case_renders)
{
	static const char *const cases[] = {
		"wide", "below", "at-line", "point", "escape", "no-lines",
		"summary", "summary-empty"
	};
	fg_error err;
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		ck_assert_msg(render(cases[i], &err) == 0, "%s: %s", cases[i],
			      err.message);
		ck_assert_msg(!strncmp(text, "<?xml version=\"1.0\" "
				       "encoding=\"UTF-8\"?>\n<svg ", 44),
			      "%s", cases[i]);
		ck_assert_msg(strstr(text, "<title id=\"fg-title\">") &&
			      strstr(text, "<desc id=\"fg-desc\">") &&
			      strstr(text, "role=\"img\""), "%s", cases[i]);
		ck_assert_str_eq(text + size - 7, "</svg>\n");
	}
}
END_TEST

START_TEST(test_every_line_and_outcome_is_in_words)
{
	fg_error err;

	ck_assert_int_eq(render("wide", &err), 0);
	ck_assert_uint_eq(occurrences(text, "<g class=\"fg-line "), 8);
	/* every line its operator, value and unit */
	ck_assert_ptr_nonnull(strstr(text, "EU AI Act Art. 51(2): &gt; "
				     "1.0 \xC3\x97 10^25 FLOP</text>"));
	ck_assert_ptr_nonnull(strstr(text, "a third of 10^25: &gt; 3.3 "
				     "\xC3\x97 10^24 FLOP</text>"));
	ck_assert_ptr_nonnull(strstr(text, "AI Basic Act Art. 32: \xE2\x89\xA5"
				     " 1.0 \xC3\x97 10^26 FLOP</text>"));
	/* every outcome a word, not only a colour */
	ck_assert_ptr_nonnull(strstr(text, ">triggered</tspan> \xE2\x80\x94 "
				     "GPAI guidelines para 17"));
	ck_assert_ptr_nonnull(strstr(text, ">not applicable</tspan>"));
	ck_assert_ptr_nonnull(strstr(text, ">indeterminate</tspan>"));
	ck_assert_ptr_nonnull(strstr(text, ">waived</tspan>"));
	ck_assert_ptr_nonnull(strstr(text, ">near</tspan>"));
	/* and in the description */
	ck_assert_ptr_nonnull(strstr(text, "EU: GPAI guidelines para 17: "
				     "&gt; 1.0 \xC3\x97 10^23 FLOP, "
				     "triggered;"));
	/* the range, in words */
	ck_assert_ptr_nonnull(strstr(text, "central 3.0 \xC3\x97 10^23 FLOP, "
				     "range 2.0 \xC3\x97 10^21 \xE2\x80\x93 "
				     "9.0 \xC3\x97 10^23 FLOP</text>"));
	ck_assert_ptr_nonnull(strstr(text, ">physical bound 2.4 \xC3\x97 "
				     "10^24 FLOP</text>"));
	ck_assert_ptr_nonnull(strstr(text, "9.0 \xC3\x97 10^23 FLOP; physical "
				     "bound 2.4 \xC3\x97 10^24 FLOP. EU:"));
}
END_TEST

START_TEST(test_a_single_figure_has_no_bar)
{
	fg_error err;

	ck_assert_int_eq(render("point", &err), 0);
	ck_assert_ptr_null(strstr(text, "fg-range-bar"));
	ck_assert_ptr_null(strstr(text, "fg-bound"));
	ck_assert_ptr_nonnull(strstr(text, "class=\"fg-central\""));
	ck_assert_ptr_nonnull(strstr(text, "3.8 \xC3\x97 10^25 FLOP, a single "
				     "figure"));
	/* a bound equal to the high end is not drawn twice */
	ck_assert_int_eq(render("below", &err), 0);
	ck_assert_ptr_null(strstr(text, "data-bound"));
}
END_TEST

START_TEST(test_text_is_escaped)
{
	fg_error err;

	ck_assert_int_eq(render("escape", &err), 0);
	ck_assert_ptr_nonnull(strstr(text, "&lt;b&gt;Art. 51&lt;/b&gt; &amp; "
				     "&quot;quoted&quot; &apos;single&apos;"
				     "\xEF\xBF\xBD \xEF\xBF\xBDnext"));
	ck_assert_ptr_nonnull(strstr(text, "data-jurisdiction=\"E&lt;U&gt;"
				     "&amp;\""));
	ck_assert_ptr_nonnull(strstr(text, "Training compute of r&lt;&amp;"
				     "&gt;&quot;&apos; against"));
	ck_assert_ptr_null(strstr(text, "<b>"));
	ck_assert_ptr_null(strstr(text, "\x01"));
}
END_TEST

START_TEST(test_same_input_same_bytes)
{
	fg_error err;
	char *first;

	ck_assert_int_eq(render("summary", &err), 0);
	first = strdup(text);
	ck_assert_int_eq(render("summary", &err), 0);
	ck_assert_str_eq(first, text);
	free(first);
}
END_TEST

START_TEST(test_summary_merges_lines_of_one_value_and_operator)
{
	fg_error err;

	ck_assert_int_eq(render("summary", &err), 0);
	/* 10^23, 10^25, 10^26 (CA and NY >, KR >=): a column a value */
	ck_assert_uint_eq(occurrences(text, "<g class=\"fg-line\""), 3);
	ck_assert_ptr_nonnull(strstr(text, ">1.0 \xC3\x97 10^26 FLOP "
				     "\xE2\x80\x94 US-CA: SB 53 (&gt;); US-NY: "
				     "RAISE Act (&gt;); KR: AI Basic Act "
				     "(\xE2\x89\xA5)</text>"));
	ck_assert_ptr_nonnull(strstr(text, ">&gt; 1.0 \xC3\x97 10^25 FLOP "
				     "\xE2\x80\x94 EU: EU AI Act Art. 51(2)"
				     "</text>"));
	ck_assert_uint_eq(occurrences(text, "<g class=\"fg-run\""), 3);
	/* the big run: EU triggered at 10^23 and 10^25, near at 10^26
	 * (near beats clear and not applicable); the small one clear,
	 * clear, not applicable; the planned run has no outcomes to show */
	ck_assert_uint_eq(occurrences(text, "class=\"fg-outcome "), 6);
	ck_assert_uint_eq(occurrences(text, "class=\"fg-outcome fg-near\""),
			  1);
	ck_assert_ptr_nonnull(strstr(text, "llama-3.1-405b: central 3.8 "));
	ck_assert_ptr_nonnull(strstr(text, "6.1 \xC3\x97 10^25 FLOP \xE2\x80"
				     "\x94 triggered in EU"));
}
END_TEST

/* Nothing is written when the input is refused. */
static void refused(const fg_svg_range *r, const fg_svg_line *l, size_t n,
		    const char *needle)
{
	fg_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(fg_svg_run_chart(f, "r", r, l, n, &err), FG_EINPUT);
	fclose(f);
	ck_assert_uint_eq(len, 0);
	ck_assert_msg(strstr(err.message, needle), "`%s` not in `%s`",
		      needle, err.message);
	free(buf);
}

START_TEST(test_bad_figures_are_refused_before_writing)
{
	fg_svg_range r = {1e24, 2e24, 3e24, 0};
	fg_svg_line l = {1e25, ">", "x", "EU", FG_SVG_CLEAR};
	fg_svg_run run = {"r", {1e24, 2e24, 3e24, 0}, NULL, NULL};
	fg_error err;

	r.low = NAN;
	refused(&r, &l, 1, "not three finite figures above 0");
	r.low = -1;
	refused(&r, &l, 1, "not three finite figures above 0");
	r.low = 0;
	refused(&r, &l, 1, "not three finite figures above 0");
	r.low = 4e24;
	refused(&r, &l, 1, "out of order");
	r.low = 1e24;
	r.bound = INFINITY;
	refused(&r, &l, 1, "physical bound");
	r.bound = 0;
	l.value = 0;
	refused(&r, &l, 1, "line 0 is at 0");
	l.value = 1e25;
	l.op = "=>";
	refused(&r, &l, 1, "no known operator");
	l.op = NULL;
	refused(&r, &l, 1, "no known operator");
	l.op = ">";
	l.outcome = (fg_svg_outcome)99;
	refused(&r, &l, 1, "no known outcome");
	refused(NULL, NULL, 0, "has no range");
	refused(&r, NULL, 2, "no array");
	ck_assert_int_eq(fg_svg_run_chart(NULL, "r", &r, NULL, 0, &err),
			 FG_EINPUT);
	run.range.high = NAN;
	ck_assert_int_eq(fg_svg_summary_chart(stdout, &run, 1, NULL, 0, &err),
			 FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "run 0's range"));
}
END_TEST

START_TEST(test_write_errors_are_reported)
{
	FILE *f = fopen("/dev/full", "w");
	fg_error err;

	if (!f)
		return; /* not Linux */
	ck_assert_int_eq(fg_svg_run_chart(f, "wide-run", &wide_range,
					  wide_lines, COUNT(wide_lines), &err),
			 FG_EIO);
	fclose(f);
}
END_TEST

START_TEST(test_outcome_names)
{
	ck_assert_int_eq(fg_svg_outcome_parse("triggered"), FG_SVG_TRIGGERED);
	ck_assert_int_eq(fg_svg_outcome_parse("near"), FG_SVG_NEAR);
	ck_assert_int_eq(fg_svg_outcome_parse("clear"), FG_SVG_CLEAR);
	ck_assert_int_eq(fg_svg_outcome_parse("waived"), FG_SVG_WAIVED);
	ck_assert_int_eq(fg_svg_outcome_parse("indeterminate"),
			 FG_SVG_INDETERMINATE);
	ck_assert_int_eq(fg_svg_outcome_parse("not_applicable"),
			 FG_SVG_NOT_APPLICABLE);
	ck_assert_int_eq(fg_svg_outcome_parse("Triggered"), FG_SVG_NONE);
	ck_assert_int_eq(fg_svg_outcome_parse(NULL), FG_SVG_NONE);
}
END_TEST

static Suite *svg_suite(void)
{
	Suite *s = suite_create("svg");
	TCase *tc = tcase_create("chart");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_every_case_renders);
	tcase_add_test(tc, test_every_line_and_outcome_is_in_words);
	tcase_add_test(tc, test_a_single_figure_has_no_bar);
	tcase_add_test(tc, test_text_is_escaped);
	tcase_add_test(tc, test_same_input_same_bytes);
	tcase_add_test(tc, test_summary_merges_lines_of_one_value_and_operator);
	tcase_add_test(tc, test_bad_figures_are_refused_before_writing);
	tcase_add_test(tc, test_write_errors_are_reported);
	tcase_add_test(tc, test_outcome_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--emit")) {
		fg_error err;
		int rc = emit(stdout, argv[2], &err);

		if (rc) {
			fprintf(stderr, "check_svg: %s\n", err.message);
			return 2;
		}
		return fflush(stdout) ? 3 : 0;
	}
	sr = srunner_create(svg_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
