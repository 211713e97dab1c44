/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of figures for people (src/figure.c): one figure with its unit,
 * and relations that hold between the figures as printed — at every
 * shipped line, one unit below and above it, at fractions of a line, and
 * for the units every metric uses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/figure.h"
#include "flopgate/quantity.h"
#include "flopgate/rules.h"
#include "format.h"

static fg_exact *x(const char *text)
{
	fg_exact *v = NULL;
	const char *why = NULL;

	ck_assert_msg(fg_exact_parse(&v, text, FG_QTY_NUMBER, &why) == 0,
		      "`%s`: %s", text, why ? why : "?");
	return v;
}

/* fg_figure_relation(value, line, unit) must read want, with the relation
 * rel. */
static void ck_relation(const char *value, const char *line, fg_unit unit,
			const char *want, int rel)
{
	fg_exact *a = x(value), *b = x(line);
	char buf[FG_RELATION_SIZE];
	int got = 99;

	fg_figure_relation(buf, sizeof(buf), a, b, unit, &got);
	ck_assert_msg(!strcmp(buf, want), "%s against %s: \"%s\", want \"%s\"",
		      value, line, buf, want);
	ck_assert_int_eq(got, rel);
	fg_exact_free(a);
	fg_exact_free(b);
}

static void ck_figure(const char *value, fg_unit unit, const char *want)
{
	fg_exact *a = x(value);
	char buf[FG_FIGURE_SIZE];

	fg_figure_format(buf, sizeof(buf), a, unit);
	ck_assert_msg(!strcmp(buf, want), "%s: \"%s\", want \"%s\"", value,
		      buf, want);
	fg_exact_free(a);
}

START_TEST(test_figures_have_two_significant_figures_and_a_unit)
{
	ck_figure("3.8e25", FG_UNIT_FLOP, "3.8 \xC3\x97 10^25 FLOP");
	ck_figure("1.00000368e20", FG_UNIT_OP_PER_S,
		  "1.0 \xC3\x97 10^20 op/s");
	ck_figure("5e8", FG_UNIT_USD, "$5.0 \xC3\x97 10^8");
	ck_figure("1/3", FG_UNIT_FRACTION, "0.33 of the base model's compute");
	ck_figure("30.4", FG_UNIT_PERCENT, "30 %");
	ck_figure("0", FG_UNIT_FLOP, "0 FLOP");
	ck_figure("5", FG_UNIT_NONE, "5.0");
	/* the digits fg_format_sci gives the nearest double, so a figure
	 * reads the same wherever it is printed: the double of 1.05e25 is a
	 * hair below the tie */
	ck_figure("1.05e25", FG_UNIT_FLOP, "1.0 \xC3\x97 10^25 FLOP");
}
END_TEST

START_TEST(test_relations_that_two_figures_show)
{
	ck_relation("3.8e25", "1e25", FG_UNIT_FLOP,
		    "3.8 \xC3\x97 10^25 FLOP > 1.0 \xC3\x97 10^25 FLOP", 1);
	ck_relation("9e24", "1e25", FG_UNIT_FLOP,
		    "9.0 \xC3\x97 10^24 FLOP < 1.0 \xC3\x97 10^25 FLOP", -1);
	ck_relation("1e25", "1e25", FG_UNIT_FLOP,
		    "1.0 \xC3\x97 10^25 FLOP = 1.0 \xC3\x97 10^25 FLOP", 0);
	ck_relation("0.4", "1/3", FG_UNIT_FRACTION,
		    "0.40 > 0.33 of the base model's compute", 1);
}
END_TEST

/* AI Act Art. 51(2) at 10^25 + 1 and 10^25 - 1 FLOP: every digit it
 * takes, the line itself exact with two. */
START_TEST(test_one_flop_either_side_of_the_line)
{
	ck_relation("10000000000000000000000001", "1e25", FG_UNIT_FLOP,
		    "1.0000000000000000000000001 \xC3\x97 10^25 FLOP > "
		    "1.0 \xC3\x97 10^25 FLOP", 1);
	ck_relation("9999999999999999999999999", "1e25", FG_UNIT_FLOP,
		    "9.999999999999999999999999 \xC3\x97 10^24 FLOP < "
		    "1.0 \xC3\x97 10^25 FLOP", -1);
	ck_relation("9.999999999e24", "1e25", FG_UNIT_FLOP,
		    "9.999999999 \xC3\x97 10^24 FLOP < 1.0 \xC3\x97 10^25 FLOP",
		    -1);
	/* SB 53, RAISE, Korea at 10^26; the indicative criterion at
	 * 10^23 */
	ck_relation("1.0000000001e26", "1e26", FG_UNIT_FLOP,
		    "1.0000000001 \xC3\x97 10^26 FLOP > 1.0 \xC3\x97 10^26 FLOP",
		    1);
	ck_relation("1.0000001e23", "1e23", FG_UNIT_FLOP,
		    "1.0000001 \xC3\x97 10^23 FLOP > 1.0 \xC3\x97 10^23 FLOP", 1);
}
END_TEST

/* GPAI guidelines paras 60-61: fractions of a line that no decimal
 * writes. */
START_TEST(test_fractions_of_a_line)
{
	/* 3.3333333333e24 against 10^25/3 */
	ck_relation("3.3333333333e24", "1e25/3", FG_UNIT_FLOP,
		    "3.3333333333 \xC3\x97 10^24 FLOP < "
		    "3.33333333333 \xC3\x97 10^24 FLOP", -1);
	/* 2e25 + 1 of 6e25 against a third */
	ck_relation("20000000000000000000000001/60000000000000000000000000",
		    "1/3", FG_UNIT_FRACTION,
		    "0.33333333333333333333333335 > "
		    "0.3333333333333333333333333 of the base model's "
		    "compute", 1);
	/* exactly a third: alike, and exactly what */
	ck_relation("1/3", "1/3", FG_UNIT_FRACTION,
		    "0.33 = 0.33 of the base model's compute (both exactly "
		    "1/3)", 0);
	ck_relation("1e25/3", "1e25/3", FG_UNIT_FLOP,
		    "3.3 \xC3\x97 10^24 FLOP = 3.3 \xC3\x97 10^24 FLOP (both "
		    "exactly 10000000000000000000000000/3 FLOP)", 0);
}
END_TEST

/* EO 14110 §4.2(b)(ii): 10^20 integer or floating-point operations per
 * second; SB 53 §22757.11(j): revenue "in excess of" $500M. */
START_TEST(test_rates_and_money)
{
	ck_relation("1.00000368e20", "1e20", FG_UNIT_OP_PER_S,
		    "1.00000368 \xC3\x97 10^20 op/s > 1.0 \xC3\x97 10^20 op/s",
		    1);
	ck_relation("99999999999999999999", "1e20", FG_UNIT_OP_PER_S,
		    "9.9999999999999999999 \xC3\x97 10^19 op/s < "
		    "1.0 \xC3\x97 10^20 op/s", -1);
	ck_relation("500000001", "5e8", FG_UNIT_USD,
		    "$5.00000001 \xC3\x97 10^8 > $5.0 \xC3\x97 10^8", 1);
	ck_relation("5e8", "5e8", FG_UNIT_USD,
		    "$5.0 \xC3\x97 10^8 = $5.0 \xC3\x97 10^8", 0);
	ck_relation("30.4", "30", FG_UNIT_PERCENT, "30.4 % > 30 %", 1);
}
END_TEST

/* A tie of the third digit: two significant figures print 1.0 and 1.0
 * for 1.05 and 1.0 only when the double is below the tie; the relation
 * then takes the digits it needs. */
START_TEST(test_figures_a_digit_apart)
{
	ck_relation("1.04e25", "1e25", FG_UNIT_FLOP,
		    "1.04 \xC3\x97 10^25 FLOP > 1.0 \xC3\x97 10^25 FLOP", 1);
	ck_relation("9.96e24", "1e25", FG_UNIT_FLOP,
		    "9.96 \xC3\x97 10^24 FLOP < 1.0 \xC3\x97 10^25 FLOP", -1);
	/* two figures that 48 digits cannot part are written exactly */
	ck_relation("1/3", "333333333333333333333333333333333333333333333333333"
			   "/1000000000000000000000000000000000000000000000000000",
		    FG_UNIT_FRACTION,
		    "1/3 > 333333333333333333333333333333333333333333333333333"
		    "/1000000000000000000000000000000000000000000000000000 of "
		    "the base model's compute", 1);
}
END_TEST

START_TEST(test_units_of_metrics)
{
	fg_unit u;

	ck_assert_int_eq(fg_metric_unit(FG_METRIC_TRAINING_COMPUTE),
			 FG_UNIT_FLOP);
	ck_assert_int_eq(fg_metric_unit(FG_METRIC_CLUSTER_PEAK),
			 FG_UNIT_OP_PER_S);
	ck_assert_str_eq(fg_unit_name(fg_metric_unit(FG_METRIC_CLUSTER_PEAK)),
			 "op/s");
	ck_assert_int_eq(fg_metric_unit(FG_METRIC_ANNUAL_REVENUE),
			 FG_UNIT_USD);
	ck_assert_int_eq(fg_metric_unit(FG_METRIC_MODIFICATION_FRACTION),
			 FG_UNIT_FRACTION);
	/* the modifier rule's headroom is modification compute left */
	ck_assert_int_eq(
		fg_metric_headroom_unit(FG_METRIC_MODIFICATION_FRACTION),
		FG_UNIT_FLOP);
	ck_assert_int_eq(fg_unit_parse(&u, "op/s"), 0);
	ck_assert_int_eq(u, FG_UNIT_OP_PER_S);
	ck_assert_int_eq(fg_unit_parse(&u, "FLOP/s"), FG_ENOTFOUND);
}
END_TEST

START_TEST(test_null_and_small_buffers)
{
	fg_exact *a = x("1e25");
	char buf[8];

	ck_assert_str_eq(fg_figure_relation(buf, sizeof(buf), a, NULL,
					    FG_UNIT_FLOP, NULL), "");
	ck_assert_str_eq(fg_figure_format(buf, sizeof(buf), NULL,
					  FG_UNIT_FLOP), "");
	/* truncated, never overrun */
	fg_figure_relation(buf, sizeof(buf), a, a, FG_UNIT_FLOP, NULL);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	fg_exact_free(a);
}
END_TEST

/* In a buffer of any size a figure is the longest prefix of its whole
 * text that fits, with its NUL, as snprintf would cut it. */
START_TEST(test_every_buffer_size_cuts_a_prefix)
{
	static const struct {
		double value;
		fg_unit unit;
		const char *text;
	} cases[] = {
		{-3.8e8, FG_UNIT_USD, "-$3.8 \xC3\x97 10^8"},
		{3.8e25, FG_UNIT_FLOP, "3.8 \xC3\x97 10^25 FLOP"},
		{1.2e-7, FG_UNIT_OP_PER_S, "1.2 \xC3\x97 10^-7 op/s"},
		{0.0004, FG_UNIT_FRACTION,
		 "0.00040 of the base model's compute"},
		{1500, FG_UNIT_PERCENT, "1500 %"},
		{0, FG_UNIT_FLOP, "0 FLOP"},
	};
	char whole[128], cut[128];
	size_t i, size;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double v = cases[i].value;

		ck_assert_str_eq(fg_figure_double(whole, sizeof(whole), v,
						  cases[i].unit),
				 cases[i].text);
		for (size = 1; size <= strlen(whole) + 1; size++) {
			memset(cut, 'X', sizeof(cut));
			fg_figure_double(cut, size, v, cases[i].unit);
			ck_assert_uint_eq(strlen(cut), size - 1);
			ck_assert_int_eq(strncmp(cut, whole, size - 1), 0);
			ck_assert_int_eq(cut[size], 'X');
		}
	}
}
END_TEST

/* A double (a figure of the JSON result document) reads as the exact
 * figure nearest it does, in every unit: what every renderer writes. */
START_TEST(test_doubles_as_every_format_writes_them)
{
	char buf[FG_FIGURE_SIZE], want[FG_FIGURE_SIZE];
	static const double values[] = {1e25, 3.8e25, 5e8, 2.5e7, 1.0 / 3,
					0.4, 0, 1.2e20, 30};
	fg_exact *e;
	size_t i;
	int u;

	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 3.84e25,
					  FG_UNIT_FLOP), "3.8 × 10^25 FLOP");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 5e8, FG_UNIT_USD),
			 "$5.0 × 10^8");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), -5e8,
					  FG_UNIT_USD), "-$5.0 × 10^8");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 1e20,
					  FG_UNIT_OP_PER_S), "1.0 × 10^20 op/s");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 0.4,
					  FG_UNIT_FRACTION),
			 "0.40 of the base model's compute");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 0, FG_UNIT_FLOP),
			 "0 FLOP");
	ck_assert_str_eq(fg_figure_double(buf, sizeof(buf), 1.0 / 0.0,
					  FG_UNIT_FLOP), "infinity");
	for (u = 0; u < FG_UNIT_COUNT; u++)
		for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			snprintf(want, sizeof(want), "%.17g", values[i]);
			e = x(want);
			fg_figure_format(want, sizeof(want), e, (fg_unit)u);
			fg_figure_double(buf, sizeof(buf), values[i],
					 (fg_unit)u);
			ck_assert_str_eq(buf, want);
			fg_exact_free(e);
		}
}
END_TEST

/* fg_format writes what snprintf writes and returns what it returns, at
 * every buffer size, for the %s-only formats it writes itself and for
 * the others it hands to vsnprintf. */
#define ck_like_snprintf(fmt, ...)                                           \
	do {                                                                 \
		char want_[96], got_[96];                                    \
		int wn_, gn_;                                                \
		for (size_t size_ = 0; size_ <= sizeof(want_); size_++) {    \
			memset(want_, 'W', sizeof(want_));                   \
			memset(got_, 'W', sizeof(got_));                     \
			wn_ = snprintf(size_ ? want_ : NULL, size_, fmt,     \
				       __VA_ARGS__);                         \
			gn_ = fg_format(size_ ? got_ : NULL, size_, fmt,     \
					__VA_ARGS__);                        \
			ck_assert_int_eq(gn_, wn_);                          \
			ck_assert_msg(!memcmp(got_, want_, sizeof(want_)),   \
				      "`%s` at size %zu: \"%.*s\"", fmt,     \
				      size_, (int)size_, got_);              \
		}                                                            \
	} while (0)

START_TEST(test_sentences_are_formatted_as_snprintf_formats_them)
{
	/* through a volatile pointer: the compiler does not warn that
	 * snprintf would truncate it, as it is meant to here */
	const char *volatile long_text = "then one long argument that does "
		"not fit the smaller buffers at all, far past ninety-six "
		"bytes of them";
	const char *volatile none = NULL;
	char buf[16];

	ck_like_snprintf("%s", "");
	ck_like_snprintf("%s %s %s%s", "3.8 × 10^25 FLOP", ">", "10^25",
			 " FLOP");
	ck_like_snprintf("run not placed in %s%s%s", "EU or US-CA", "; ",
			 "not in force until 2027-01-01");
	ck_like_snprintf("100%% of %s, %%s is not a conversion here", "x");
	ck_like_snprintf("%s%%", "50");
	ck_like_snprintf("ends in a percent sign %%%%%s", "");
	ck_like_snprintf("one conversion, %s", long_text);
	/* a null argument reads as glibc's printf writes it */
	ck_assert_int_eq(fg_format(buf, sizeof(buf), "%s!", none), 7);
	ck_assert_str_eq(buf, "(null)!");
	/* other conversions: vsnprintf's, arguments untouched */
	ck_like_snprintf("%s: %d of %zu (%.2f)", "runs", 3, (size_t)7, 0.5);
	ck_like_snprintf("%5s|%-4s|", "ab", "c");
}
END_TEST

static Suite *figure_suite(void)
{
	Suite *s = suite_create("figure");
	TCase *t = tcase_create("relations");

	tcase_add_test(t, test_figures_have_two_significant_figures_and_a_unit);
	tcase_add_test(t, test_relations_that_two_figures_show);
	tcase_add_test(t, test_one_flop_either_side_of_the_line);
	tcase_add_test(t, test_fractions_of_a_line);
	tcase_add_test(t, test_rates_and_money);
	tcase_add_test(t, test_figures_a_digit_apart);
	tcase_add_test(t, test_units_of_metrics);
	tcase_add_test(t, test_null_and_small_buffers);
	tcase_add_test(t, test_every_buffer_size_cuts_a_prefix);
	tcase_add_test(t, test_doubles_as_every_format_writes_them);
	tcase_add_test(t, test_sentences_are_formatted_as_snprintf_formats_them);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(figure_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
