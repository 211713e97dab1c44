/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of quantities, dates and number formatting (src/quantity.c):
 * every accepted way of writing a number, every refusal, and exact
 * values where a legal threshold could turn on the last bit. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

/* Parses text as kind; fails the test unless it gives exactly want. */
#define ck_qty(text, kind, want)                                             \
	do {                                                                 \
		double v_ = -1;                                              \
		const char *why_ = NULL;                                     \
		int rc_ = fg_quantity_parse(&v_, (text), (kind), &why_);     \
		ck_assert_msg(rc_ == 0, "`%s` refused: %s", (text),          \
			      why_ ? why_ : "?");                            \
		ck_assert_msg(v_ == (want), "`%s` = %.17g, want %.17g",      \
			      (text), v_, (double)(want));                   \
	} while (0)

/* The text must be refused, *out untouched, and why contain `has`. */
#define ck_qty_refused(text, kind, has)                                      \
	do {                                                                 \
		double v_ = 12345;                                           \
		const char *why_ = NULL;                                     \
		int rc_ = fg_quantity_parse(&v_, (text), (kind), &why_);     \
		ck_assert_msg(rc_ == FG_EINPUT, "`%s` accepted as %.17g",    \
			      (text), v_);                                   \
		ck_assert_msg(v_ == 12345, "`%s`: out was written", (text)); \
		ck_assert_ptr_nonnull(why_);                                 \
		ck_assert_msg(strstr(why_, (has)) != NULL,                   \
			      "`%s`: \"%s\" lacks \"%s\"", (text), why_,     \
			      (has));                                        \
	} while (0)

/* ---- accepted forms ------------------------------------------------ */

START_TEST(test_plain_floats)
{
	ck_qty("3.8e25", FG_QTY_FLOP, 3.8e25);
	ck_qty("3.8E25", FG_QTY_FLOP, 3.8e25);
	ck_qty("3.8e+25", FG_QTY_FLOP, 3.8e25);
	ck_qty("405e9", FG_QTY_NUMBER, 405e9);
	ck_qty("0.40", FG_QTY_NUMBER, 0.40);
	ck_qty(".5", FG_QTY_NUMBER, 0.5);
	ck_qty("5.", FG_QTY_NUMBER, 5.0);
	ck_qty("16384", FG_QTY_NUMBER, 16384);
	ck_qty("+7", FG_QTY_NUMBER, 7);
	ck_qty("  42  ", FG_QTY_NUMBER, 42);
	ck_qty("0", FG_QTY_FLOP, 0);
	ck_qty("0.0", FG_QTY_FLOP, 0);
	ck_qty("1e-5", FG_QTY_NUMBER, 1e-5);
	ck_qty("1.7976931348623157e308", FG_QTY_NUMBER, 1.7976931348623157e308);
	/* a plain number is taken in the kind's base unit */
	ck_qty("989.4e12", FG_QTY_FLOP_RATE, 989.4e12);
	ck_qty("2.788e6", FG_QTY_CHIP_HOURS, 2.788e6);
	ck_qty("6.0e7", FG_QTY_USD, 6.0e7);
}
END_TEST

START_TEST(test_powers_of_ten_equal_the_e_notation)
{
	ck_qty("10^25", FG_QTY_FLOP, 1e25);
	ck_qty("10^26", FG_QTY_FLOP, strtod("1e26", NULL));
	ck_qty("10^-3", FG_QTY_NUMBER, 1e-3);
	ck_qty("10^+3", FG_QTY_NUMBER, 1e3);
	ck_qty("10^0", FG_QTY_NUMBER, 1);
	ck_qty("3.3x10^22", FG_QTY_FLOP, strtod("3.3e22", NULL));
	ck_qty("3.3\xC3\x97" "10^22", FG_QTY_FLOP, strtod("3.3e22", NULL));
	ck_qty("3.3*10^22", FG_QTY_FLOP, strtod("3.3e22", NULL));
	/* as fg_format_sci writes it, with spaces */
	ck_qty("3.3 \xC3\x97 10^22", FG_QTY_FLOP, strtod("3.3e22", NULL));
	ck_qty("3.3 x 10^22", FG_QTY_FLOP, strtod("3.3e22", NULL));
	ck_qty("2x10^-3", FG_QTY_NUMBER, 2e-3);
	ck_qty("3.8 \xC3\x97 10^25 FLOP", FG_QTY_FLOP, 3.8e25);
	ck_qty("10^25 FLOP", FG_QTY_FLOP, 1e25);
}
END_TEST

START_TEST(test_si_prefixed_flop_totals)
{
	ck_qty("38 YFLOP", FG_QTY_FLOP, 3.8e25);
	ck_qty("38YFLOP", FG_QTY_FLOP, 3.8e25);
	ck_qty("1.2 ZFLOP", FG_QTY_FLOP, 1.2e21);
	ck_qty("3.14e23 FLOP", FG_QTY_FLOP, 3.14e23);
	ck_qty("3.14e23 FLOPs", FG_QTY_FLOP, 3.14e23);
	ck_qty("5 EFLOP", FG_QTY_FLOP, 5e18);
	ck_qty("7 PFLOP", FG_QTY_FLOP, 7e15);
	ck_qty("2 RFLOP", FG_QTY_FLOP, 2e27);
	ck_qty("1 QFLOP", FG_QTY_FLOP, 1e30);
	ck_qty("100 OP", FG_QTY_FLOP, 100);
	/* Exactly the double nearest 10^25, not 10 x 1e24 (one ulp below,
	 * which would sit under a "10^25 or more" line). */
	ck_qty("10 YFLOP", FG_QTY_FLOP, 1e25);
	ck_qty("3.8 YFLOP", FG_QTY_FLOP, 3.8e24);
	ck_qty("380 ZFLOP", FG_QTY_FLOP, 3.8e23);
	ck_qty("3.8e1 YFLOP", FG_QTY_FLOP, 3.8e25);
}
END_TEST

START_TEST(test_pf_days)
{
	/* reference/compute.md: 1 PF-day = 8.64e19 FLOP; Falcon's 43,500
	 * PF-days = 3.76e24. */
	double v = 0;

	ck_qty("43500 PF-days", FG_QTY_FLOP, 43500 * 8.64e19);
	ck_assert_int_eq(fg_quantity_parse(&v, "43500 PF-days", FG_QTY_FLOP,
					   NULL), 0);
	ck_assert_double_eq_tol(v, 3.76e24, 0.005e24);
	ck_qty("1 PF-day", FG_QTY_FLOP, 8.64e19);
	ck_qty("3640 pfs-days", FG_QTY_FLOP, 3640 * 8.64e19);
	ck_qty("3640 petaflop/s-days", FG_QTY_FLOP, 3640 * 8.64e19);
}
END_TEST

START_TEST(test_chip_time)
{
	ck_qty("2.788e6 GPU-hours", FG_QTY_CHIP_HOURS, 2.788e6);
	ck_qty("1e6 chip-hours", FG_QTY_CHIP_HOURS, 1e6);
	ck_qty("1 GPU-hour", FG_QTY_CHIP_HOURS, 1);
	ck_qty("30.84e6 GPU-h", FG_QTY_CHIP_HOURS, 30.84e6);
	ck_qty("4e5 TPU-hours", FG_QTY_CHIP_HOURS, 4e5);
	ck_qty("4e5 accelerator-hours", FG_QTY_CHIP_HOURS, 4e5);
}
END_TEST

START_TEST(test_durations)
{
	ck_qty("54d", FG_QTY_DURATION, 54 * 86400.0);
	ck_qty("54 days", FG_QTY_DURATION, 54 * 86400.0);
	ck_qty("1 day", FG_QTY_DURATION, 86400.0);
	ck_qty("1296h", FG_QTY_DURATION, 1296 * 3600.0);
	ck_qty("1296 hours", FG_QTY_DURATION, 1296 * 3600.0);
	ck_qty("3600s", FG_QTY_DURATION, 3600);
	ck_qty("3600 seconds", FG_QTY_DURATION, 3600);
	ck_qty("90min", FG_QTY_DURATION, 5400);
	ck_qty("90 minutes", FG_QTY_DURATION, 5400);
	ck_qty("2w", FG_QTY_DURATION, 14 * 86400.0);
	ck_qty("2 weeks", FG_QTY_DURATION, 14 * 86400.0);
	ck_qty("1.5h", FG_QTY_DURATION, 5400);
	ck_qty("0s", FG_QTY_DURATION, 0);
	/* 54 days and 1296 hours are the same run */
	ck_qty("1296h", FG_QTY_DURATION, 54 * 86400.0);
}
END_TEST

START_TEST(test_rates)
{
	ck_qty("989.4 TFLOP/s", FG_QTY_FLOP_RATE, 989.4e12);
	ck_qty("2.5 EFLOP/s", FG_QTY_FLOP_RATE, 2.5e18);
	ck_qty("1979 TFLOP/s", FG_QTY_FLOP_RATE, 1979e12);
	ck_qty("312 TOP/s", FG_QTY_FLOP_RATE, 312e12);
	ck_qty("5 FLOP/s", FG_QTY_FLOP_RATE, 5);
	ck_qty("4.5 PFLOP/s", FG_QTY_FLOP_RATE, 4.5e15);
}
END_TEST

START_TEST(test_dollars)
{
	ck_qty("$6.0e7", FG_QTY_USD, 6.0e7);
	ck_qty("6e7 USD", FG_QTY_USD, 6e7);
	ck_qty("60e6 USD", FG_QTY_USD, 6e7);
	ck_qty("$60M", FG_QTY_USD, 6e7);
	ck_qty("$1.349e11", FG_QTY_USD, 1.349e11);
	ck_qty("$500k", FG_QTY_USD, 5e5);
	ck_qty("$2B", FG_QTY_USD, 2e9);
}
END_TEST

START_TEST(test_numbers_with_multipliers_and_percent)
{
	ck_qty("405B", FG_QTY_NUMBER, 405e9);
	ck_qty("15.6T", FG_QTY_NUMBER, 15.6e12);
	ck_qty("15.6 T", FG_QTY_NUMBER, 15.6e12);
	ck_qty("70M", FG_QTY_NUMBER, 70e6);
	ck_qty("16k", FG_QTY_NUMBER, 16e3);
	ck_qty("16K", FG_QTY_NUMBER, 16e3);
	ck_qty("40%", FG_QTY_NUMBER, 0.40);
	ck_qty("40 %", FG_QTY_NUMBER, 0.40);
	ck_qty("100%", FG_QTY_NUMBER, 1);
	ck_qty("38.5%", FG_QTY_NUMBER, 0.385);
}
END_TEST

/* ---- refusals --------------------------------------------------------- */

START_TEST(test_nan_and_infinity_are_refused)
{
	ck_qty_refused("NaN", FG_QTY_FLOP, "NaN");
	ck_qty_refused("nan", FG_QTY_FLOP, "NaN");
	ck_qty_refused(".nan", FG_QTY_FLOP, "NaN");
	ck_qty_refused(".NaN", FG_QTY_NUMBER, "NaN");
	ck_qty_refused("+nan", FG_QTY_NUMBER, "NaN");
	ck_qty_refused("inf", FG_QTY_FLOP, "infinity");
	ck_qty_refused("Infinity", FG_QTY_FLOP, "infinity");
	ck_qty_refused(".inf", FG_QTY_FLOP, "infinity");
	ck_qty_refused("+.inf", FG_QTY_FLOP, "infinity");
	ck_qty_refused("-.inf", FG_QTY_FLOP, "negative");
	ck_qty_refused("$nan", FG_QTY_USD, "NaN");
}
END_TEST

START_TEST(test_negatives_are_refused)
{
	ck_qty_refused("-1", FG_QTY_NUMBER, "negative");
	ck_qty_refused("-3.8e25", FG_QTY_FLOP, "negative");
	ck_qty_refused("-0", FG_QTY_NUMBER, "negative");
	ck_qty_refused(" -5 d", FG_QTY_DURATION, "negative");
	ck_qty_refused("$-5", FG_QTY_USD, "negative");
	ck_qty_refused("-$5", FG_QTY_USD, "negative");
}
END_TEST

START_TEST(test_overflow_and_underflow_are_refused)
{
	ck_qty_refused("1e400", FG_QTY_NUMBER, "too large");
	ck_qty_refused("1e400", FG_QTY_FLOP, "too large");
	ck_qty_refused("10^400", FG_QTY_FLOP, "too large");
	ck_qty_refused("1.8e308", FG_QTY_NUMBER, "too large");
	ck_qty_refused("1e99999999999999999999", FG_QTY_NUMBER, "too large");
	ck_qty_refused("1e300 YFLOP", FG_QTY_FLOP, "too large");
	ck_qty_refused("1e305 w", FG_QTY_DURATION, "too large");
	ck_qty_refused("1e-400", FG_QTY_NUMBER, "too small");
	ck_qty_refused("10^-400", FG_QTY_NUMBER, "too small");
	ck_qty_refused("1e-99999999999999999999", FG_QTY_NUMBER, "too small");
	ck_qty_refused("10^401", FG_QTY_NUMBER, "out of range");
	/* zero written with a huge exponent is still zero */
	ck_qty("0e-400", FG_QTY_NUMBER, 0);
	ck_qty("0.0e99999", FG_QTY_NUMBER, 0);
}
END_TEST

START_TEST(test_malformed_numbers_are_refused)
{
	ck_qty_refused("", FG_QTY_NUMBER, "not a number");
	ck_qty_refused("   ", FG_QTY_FLOP, "not a number");
	ck_qty_refused("abc", FG_QTY_NUMBER, "not a number");
	ck_qty_refused(".", FG_QTY_NUMBER, "not a number");
	ck_qty_refused("e5", FG_QTY_NUMBER, "not a number");
	ck_qty_refused("0x1p3", FG_QTY_NUMBER, "hexadecimal");
	ck_qty_refused("0x10", FG_QTY_NUMBER, "hexadecimal");
	ck_qty_refused("0X1A", FG_QTY_FLOP, "hexadecimal");
	ck_qty_refused("1,000", FG_QTY_NUMBER, "unknown unit");
	ck_qty_refused("1.2.3", FG_QTY_NUMBER, "unknown unit");
	ck_qty_refused("1e", FG_QTY_NUMBER, "unknown unit");
	ck_qty_refused("5^3", FG_QTY_NUMBER, "powers of ten");
	ck_qty_refused("1e2^3", FG_QTY_NUMBER, "powers of ten");
	ck_qty_refused("10^", FG_QTY_NUMBER, "exponent");
	ck_qty_refused("10^x", FG_QTY_NUMBER, "exponent");
	ck_qty_refused("3.3e1x10^22", FG_QTY_FLOP, "not both");
	ck_qty_refused("$", FG_QTY_USD, "not a number");
	ck_qty_refused("12345678901234567890123456789012345678901234567890"
		       "12345678901234567890123456789012345678901234567890"
		       "1", FG_QTY_NUMBER, "too long");
}
END_TEST

START_TEST(test_unknown_units_are_refused)
{
	ck_qty_refused("5 parsecs", FG_QTY_NUMBER, "unknown unit");
	ck_qty_refused("38 yflop", FG_QTY_FLOP, "unknown unit");
	ck_qty_refused("38 XFLOP", FG_QTY_FLOP, "unknown unit");
	ck_qty_refused("54 D", FG_QTY_DURATION, "unknown unit");
	ck_qty_refused("5 EUR", FG_QTY_USD, "unknown unit");
	ck_qty_refused("5 x", FG_QTY_NUMBER, "unknown unit");
	ck_qty_refused("5 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		       "xxxxxxxxxxxxxxxxxxxxxxxx", FG_QTY_NUMBER,
		       "unknown unit");
}
END_TEST

START_TEST(test_wrong_kind_names_both_kinds)
{
	double v = 1;
	const char *why = NULL;

	ck_assert_int_eq(fg_quantity_parse(&v, "2.5 EFLOP/s", FG_QTY_FLOP,
					   &why), FG_EINPUT);
	ck_assert_double_eq(v, 1);
	ck_assert_str_eq(why, "`EFLOP/s` is a rate in FLOP/s (989.4 "
			 "TFLOP/s); a FLOP total (3.8e25, 38 YFLOP, 43500 "
			 "PF-days) is needed here");
	ck_qty_refused("38 YFLOP", FG_QTY_FLOP_RATE, "FLOP total");
	ck_qty_refused("38 YFLOP", FG_QTY_FLOP_RATE, "rate in FLOP/s");
	ck_qty_refused("54d", FG_QTY_FLOP, "a duration");
	ck_qty_refused("54d", FG_QTY_CHIP_HOURS, "accelerator time");
	ck_qty_refused("1e6 GPU-hours", FG_QTY_DURATION, "accelerator time");
	ck_qty_refused("6e7 USD", FG_QTY_NUMBER, "US dollars");
	ck_qty_refused("405B", FG_QTY_FLOP, "plain number");
	ck_qty_refused("40%", FG_QTY_FLOP, "plain number");
	ck_qty_refused("3.8e25 FLOP", FG_QTY_NUMBER, "FLOP total");
	ck_qty_refused("$6e7", FG_QTY_NUMBER, "dollar");
	ck_qty_refused("$6e7 USD", FG_QTY_USD, "not both");
	ck_qty_refused("$5%", FG_QTY_USD, "after a dollar");
	ck_qty_refused("$5 FLOP", FG_QTY_USD, "after a dollar");
}
END_TEST

START_TEST(test_flops_is_ambiguous)
{
	ck_qty_refused("3.8e25 FLOPS", FG_QTY_FLOP, "ambiguous");
	ck_qty_refused("989 TFLOPS", FG_QTY_FLOP_RATE, "ambiguous");
	ck_qty_refused("2 EFLOPS", FG_QTY_FLOP, "ambiguous");
	ck_qty_refused("2 petaflops", FG_QTY_FLOP, "ambiguous");
	ck_qty_refused("2 flops", FG_QTY_FLOP, "ambiguous");
}
END_TEST

START_TEST(test_duration_needs_a_unit)
{
	ck_qty_refused("54", FG_QTY_DURATION, "needs a unit");
	ck_qty_refused("1296", FG_QTY_DURATION, "needs a unit");
	ck_qty_refused("10^3", FG_QTY_DURATION, "needs a unit");
}
END_TEST

START_TEST(test_null_text_and_why_are_safe)
{
	double v = 3;

	ck_assert_int_eq(fg_quantity_parse(&v, NULL, FG_QTY_NUMBER, NULL),
			 FG_EINPUT);
	ck_assert_int_eq(fg_quantity_parse(&v, "nan", FG_QTY_NUMBER, NULL),
			 FG_EINPUT);
	ck_assert_double_eq(v, 3);
	ck_assert_int_eq(fg_quantity_parse(&v, "4", FG_QTY_NUMBER, NULL), 0);
	ck_assert_double_eq(v, 4);
}
END_TEST

/* ---- nodes: quantities and ranges ------------------------------------- */

static fg_yaml *yaml;
static fg_error err;

static const fg_node *doc(const char *text)
{
	fg_yaml_free(yaml);
	fg_error_clear(&err);
	ck_assert_int_eq(fg_yaml_load_string(&yaml, "q.yaml", text,
					     strlen(text), NULL, &err), 0);
	return fg_yaml_root(yaml, 0);
}

static void node_teardown(void)
{
	fg_yaml_free(yaml);
	yaml = NULL;
}

START_TEST(test_node_quantity_reports_location)
{
	const fg_node *r = doc("flop: 3.8e25\nbad: 2.5 EFLOP/s\nnone: ~\n"
			       "list: [1]\n");
	double v = 0;
	char buf[1200];

	ck_assert_int_eq(fg_node_quantity(&v, fg_node_get(r, "flop"),
					  FG_QTY_FLOP, "flop", &err), 0);
	ck_assert_double_eq(v, 3.8e25);
	v = 7;
	ck_assert_int_eq(fg_node_quantity(&v, fg_node_get(r, "bad"),
					  FG_QTY_FLOP, "flop", &err),
			 FG_EINPUT);
	ck_assert_double_eq(v, 7);
	ck_assert_str_eq(fg_error_format(&err, buf, sizeof(buf)),
			 "q.yaml:2:6: `flop`: `2.5 EFLOP/s`: `EFLOP/s` is a "
			 "rate in FLOP/s (989.4 TFLOP/s); a FLOP total "
			 "(3.8e25, 38 YFLOP, 43500 PF-days) is needed here");
	ck_assert_int_eq(fg_node_quantity(&v, fg_node_get(r, "none"),
					  FG_QTY_FLOP, "flop", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert(strstr(err.message, "empty") != NULL);
	ck_assert_int_eq(fg_node_quantity(&v, fg_node_get(r, "list"),
					  FG_QTY_FLOP, "flop", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 4);
	ck_assert_str_eq(err.message, "`flop` must be a value, not a list");
}
END_TEST

START_TEST(test_node_range)
{
	const fg_node *r = doc("one: 0.4\nboth: [0.3, 0.5]\nsame: [0.4, 0.4]\n"
			       "units: [1 YFLOP, 2e24]\n"
			       "back: [0.5, 0.2]\nthree: [0.1, 0.2, 0.3]\n"
			       "one_item: [0.1]\nbad_item: [0.1, nan]\n"
			       "map: {low: 1}\n");
	double lo = -1, hi = -1;

	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "one"),
				       FG_QTY_NUMBER, "utilization", &err), 0);
	ck_assert_double_eq(lo, 0.4);
	ck_assert_double_eq(hi, 0.4);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "both"),
				       FG_QTY_NUMBER, "utilization", &err), 0);
	ck_assert_double_eq(lo, 0.3);
	ck_assert_double_eq(hi, 0.5);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "same"),
				       FG_QTY_NUMBER, "utilization", &err), 0);
	ck_assert_double_eq(lo, hi);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "units"),
				       FG_QTY_FLOP, "flop", &err), 0);
	ck_assert_double_eq(lo, 1e24);
	ck_assert_double_eq(hi, 2e24);

	lo = hi = -1;
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "back"),
				       FG_QTY_NUMBER, "utilization", &err),
			 FG_EINPUT);
	ck_assert_double_eq(lo, -1);
	ck_assert_double_eq(hi, -1);
	ck_assert_int_eq(err.line, 5);
	ck_assert_int_eq(err.column, 7);
	ck_assert(strstr(err.message, "low above high") != NULL);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "three"),
				       FG_QTY_NUMBER, "utilization", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 6);
	ck_assert(strstr(err.message, "two values") != NULL);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "one_item"),
				       FG_QTY_NUMBER, "utilization", &err),
			 FG_EINPUT);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "bad_item"),
				       FG_QTY_NUMBER, "utilization", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 8);
	ck_assert_int_eq(err.column, 17);
	ck_assert_int_eq(fg_node_range(&lo, &hi, fg_node_get(r, "map"),
				       FG_QTY_NUMBER, "utilization", &err),
			 FG_EINPUT);
	ck_assert_double_eq(lo, -1);
}
END_TEST

/* ---- dates and timestamps --------------------------------------------- */

static fg_date date(const char *text)
{
	fg_date d = FG_DATE_NONE;

	ck_assert_msg(fg_date_parse(&d, text) == 0, "`%s` refused", text);
	return d;
}

START_TEST(test_dates_valid_and_invalid)
{
	static const char *const bad[] = {
		"2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10",
		"2024-01-00", "2024-01-32", "2024-04-31", "1899-12-31",
		"1900-02-29", "2100-02-29", "10000-01-01", "2024-1-01",
		"2024/01/01", "2024-01-01 ", " 2024-01-01", "2024-01-01T00:00",
		"", "20240101", "2024-01-0x", NULL};
	fg_date d = 77;
	size_t i;

	ck_assert_int_eq(date("2024-02-29"), fg_date_from_civil(2024, 2, 29));
	ck_assert_int_eq(date("2000-02-29"), fg_date_from_civil(2000, 2, 29));
	ck_assert_int_eq(date("1900-01-01"), fg_date_from_civil(1900, 1, 1));
	ck_assert_int_eq(date("9999-12-31"), fg_date_from_civil(9999, 12, 31));
	ck_assert_int_eq(date("2024-03-01") - date("2024-02-28"), 2);
	ck_assert_int_eq(date("2023-03-01") - date("2023-02-28"), 1);
	for (i = 0; bad[i]; i++) {
		ck_assert_msg(fg_date_parse(&d, bad[i]) == FG_EINPUT,
			      "`%s` accepted", bad[i]);
		ck_assert_int_eq(d, 77);
	}
	ck_assert_int_eq(fg_date_parse(&d, NULL), FG_EINPUT);
}
END_TEST

START_TEST(test_date_from_civil_known_values)
{
	ck_assert_int_eq(fg_date_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(fg_date_from_civil(1970, 1, 2), 1);
	ck_assert_int_eq(fg_date_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(fg_date_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(fg_date_from_civil(2000, 1, 1), 10957);
	ck_assert_int_eq(fg_date_from_civil(1900, 1, 1), -25567);
	/* AI Act entry into force, 2024-08-01: 19936 days after the epoch */
	ck_assert_int_eq(fg_date_from_civil(2024, 8, 1), 19936);
	ck_assert_int_eq(fg_date_from_civil(9999, 12, 31), 2932896);
}
END_TEST

START_TEST(test_date_round_trip_1900_to_9999)
{
	fg_date from = fg_date_from_civil(1900, 1, 1);
	fg_date to = fg_date_from_civil(9999, 12, 31);
	fg_date d, back;
	char buf[16];
	int y, m, day;

	/* every day in 1900..2100, then every 97th up to 9999 */
	for (d = from; d <= to; d += d < fg_date_from_civil(2101, 1, 1) ? 1
									: 97) {
		fg_date_format(d, buf);
		ck_assert_uint_eq(strlen(buf), 10);
		ck_assert_msg(fg_date_parse(&back, buf) == 0, "%s refused",
			      buf);
		ck_assert_int_eq(back, d);
		ck_assert_int_eq(sscanf(buf, "%d-%d-%d", &y, &m, &day), 3);
		ck_assert_int_eq(fg_date_from_civil(y, m, day), d);
	}
	ck_assert_str_eq(fg_date_format(0, buf), "1970-01-01");
	ck_assert_str_eq(fg_date_format(11017, buf), "2000-03-01");
	ck_assert_str_eq(fg_date_format(to, buf), "9999-12-31");
	ck_assert_str_eq(fg_date_format(FG_DATE_NONE, buf), "none");
}
END_TEST

START_TEST(test_timestamps)
{
	double t = -1;
	fg_date day = fg_date_from_civil(2024, 6, 30);

	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30"), 0);
	ck_assert_double_eq(t, day * 86400.0);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:34:56Z"), 0);
	ck_assert_double_eq(t, day * 86400.0 + 12 * 3600 + 34 * 60 + 56);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:34Z"), 0);
	ck_assert_double_eq(t, day * 86400.0 + 12 * 3600 + 34 * 60);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:34:56"), 0);
	ck_assert_double_eq(t, day * 86400.0 + 12 * 3600 + 34 * 60 + 56);
	/* +02:00 is two hours ahead of UTC: subtract them */
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:00:00+02:00"),
			 0);
	ck_assert_double_eq(t, day * 86400.0 + 10 * 3600);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T01:00:00-05:30"),
			 0);
	ck_assert_double_eq(t, day * 86400.0 + 6 * 3600 + 30 * 60);
	ck_assert_int_eq(fg_date_of_timestamp(t), day);
	/* an offset that crosses midnight changes the day */
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T01:00:00+02:00"),
			 0);
	ck_assert_int_eq(fg_date_of_timestamp(t), day - 1);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:34:56.789Z"),
			 0);
	ck_assert_double_eq(t, day * 86400.0 + 12 * 3600 + 34 * 60 + 56);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30 12:00:00Z"), 0);
	ck_assert_int_eq(fg_date_of_timestamp(-1.0), -1);

	t = 5;
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T24:00:00Z"),
			 FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:60:00Z"),
			 FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:00:00+0200"),
			 FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T12:00:00Q"),
			 FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-02-30T12:00:00Z"),
			 FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "2024-06-30T"), FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, "yesterday"), FG_EINPUT);
	ck_assert_int_eq(fg_timestamp_parse(&t, NULL), FG_EINPUT);
	ck_assert_double_eq(t, 5);
}
END_TEST

START_TEST(test_node_date_and_timestamp_report_location)
{
	const fg_node *r = doc("ok: 2024-02-29\nbad: 2024-02-30\n"
			       "at: 2024-06-30T12:00:00Z\nnot: soon\n");
	fg_date d = 0;
	double t = 0;

	ck_assert_int_eq(fg_node_date(&d, fg_node_get(r, "ok"), "start", &err),
			 0);
	ck_assert_int_eq(d, fg_date_from_civil(2024, 2, 29));
	ck_assert_int_eq(fg_node_date(&d, fg_node_get(r, "bad"), "start",
				      &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 6);
	ck_assert_str_eq(err.message,
			 "`start`: `2024-02-30` is not a date (YYYY-MM-DD)");
	ck_assert_int_eq(fg_node_timestamp(&t, fg_node_get(r, "at"), "at",
					   &err), 0);
	ck_assert_int_eq(fg_node_timestamp(&t, fg_node_get(r, "not"), "at",
					   &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 4);
}
END_TEST

START_TEST(test_today_is_a_plausible_date)
{
	fg_date today = fg_date_today();

	ck_assert_int_gt(today, fg_date_from_civil(2024, 1, 1));
	ck_assert_int_lt(today, fg_date_from_civil(2200, 1, 1));
}
END_TEST

/* ---- formatting --------------------------------------------------------- */

START_TEST(test_format_sci_two_significant_figures)
{
	char buf[64];

	ck_assert_str_eq(fg_format_sci(3.8e25, buf, sizeof(buf)),
			 "3.8 \xC3\x97 10^25");
	ck_assert_str_eq(fg_format_sci(9.96e24, buf, sizeof(buf)),
			 "1.0 \xC3\x97 10^25");
	ck_assert_str_eq(fg_format_sci(1e25, buf, sizeof(buf)),
			 "1.0 \xC3\x97 10^25");
	ck_assert_str_eq(fg_format_sci(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(fg_format_sci(3.7584e24, buf, sizeof(buf)),
			 "3.8 \xC3\x97 10^24");
	ck_assert_str_eq(fg_format_sci(1.2e21, buf, sizeof(buf)),
			 "1.2 \xC3\x97 10^21");
	ck_assert_str_eq(fg_format_sci(5, buf, sizeof(buf)), "5.0");
	ck_assert_str_eq(fg_format_sci(0.4, buf, sizeof(buf)),
			 "4.0 \xC3\x97 10^-1");
	ck_assert_str_eq(fg_format_sci(-2.8e25, buf, sizeof(buf)),
			 "-2.8 \xC3\x97 10^25");
	ck_assert_str_eq(fg_format_sci(1e100, buf, sizeof(buf)),
			 "1.0 \xC3\x97 10^100");
	ck_assert_str_eq(fg_format_sci_ascii(3.8e25, buf, sizeof(buf)),
			 "3.8 x 10^25");
	ck_assert_str_eq(fg_format_sci_ascii(9.96e24, buf, sizeof(buf)),
			 "1.0 x 10^25");
	ck_assert_str_eq(fg_format_sci(NAN, buf, sizeof(buf)), "NaN");
	ck_assert_str_eq(fg_format_sci(INFINITY, buf, sizeof(buf)), "infinity");
	/* truncated, still terminated */
	ck_assert_str_eq(fg_format_sci(3.8e25, buf, 4), "3.8");
}
END_TEST

/* What people read, the parser reads back (to two figures). */
START_TEST(test_format_sci_parses_back)
{
	static const double values[] = {3.8e25, 1e25, 9.96e24, 4.2e23, 1e26};
	char buf[64];
	double v;
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		fg_format_sci(values[i], buf, sizeof(buf));
		ck_assert_int_eq(fg_quantity_parse(&v, buf, FG_QTY_FLOP, NULL),
				 0);
		ck_assert_double_eq_tol(v, values[i], values[i] * 0.05);
		fg_format_sci_ascii(values[i], buf, sizeof(buf));
		ck_assert_int_eq(fg_quantity_parse(&v, buf, FG_QTY_FLOP, NULL),
				 0);
		ck_assert_double_eq_tol(v, values[i], values[i] * 0.05);
	}
}
END_TEST

START_TEST(test_format_exact_round_trips)
{
	static const double fixed[] = {3.8e25, 0.1, 1.0 / 3, 9.999999999999999e24,
				       1e25, 5e-324, 1.7976931348623157e308,
				       6e7, 0};
	char buf[64];
	size_t i;
	unsigned seed = 12345;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		fg_format_exact(fixed[i], buf, sizeof(buf));
		ck_assert_msg(strtod(buf, NULL) == fixed[i], "%s", buf);
	}
	ck_assert_str_eq(fg_format_exact(0.1, buf, sizeof(buf)),
			 "0.10000000000000001");
	ck_assert_str_eq(fg_format_exact(3.8e25, buf, sizeof(buf)), "3.8e+25");
	/* and a spread of pseudo-random magnitudes, 1e-30 .. 1e30 */
	for (i = 0; i < 20000; i++) {
		double v;

		seed = seed * 1103515245u + 12345u;
		v = (double)(seed % 1000003) / 1000.0 *
		    pow(10, (double)((int)(seed >> 8) % 61 - 30));
		fg_format_exact(v, buf, sizeof(buf));
		ck_assert_msg(strtod(buf, NULL) == v, "%.17g -> %s", v, buf);
	}
}
END_TEST

START_TEST(test_format_duration)
{
	char buf[64];

	ck_assert_str_eq(fg_format_duration(54 * 86400.0, buf, sizeof(buf)),
			 "54 days");
	ck_assert_str_eq(fg_format_duration(13.5 * 3600, buf, sizeof(buf)),
			 "13.5 hours");
	ck_assert_str_eq(fg_format_duration(90, buf, sizeof(buf)),
			 "90 seconds");
}
END_TEST

static Suite *quantity_suite(void)
{
	Suite *s = suite_create("quantity");
	TCase *a = tcase_create("accepted");
	TCase *r = tcase_create("refused");
	TCase *n = tcase_create("nodes");
	TCase *d = tcase_create("dates");
	TCase *f = tcase_create("format");

	tcase_add_test(a, test_plain_floats);
	tcase_add_test(a, test_powers_of_ten_equal_the_e_notation);
	tcase_add_test(a, test_si_prefixed_flop_totals);
	tcase_add_test(a, test_pf_days);
	tcase_add_test(a, test_chip_time);
	tcase_add_test(a, test_durations);
	tcase_add_test(a, test_rates);
	tcase_add_test(a, test_dollars);
	tcase_add_test(a, test_numbers_with_multipliers_and_percent);
	suite_add_tcase(s, a);

	tcase_add_test(r, test_nan_and_infinity_are_refused);
	tcase_add_test(r, test_negatives_are_refused);
	tcase_add_test(r, test_overflow_and_underflow_are_refused);
	tcase_add_test(r, test_malformed_numbers_are_refused);
	tcase_add_test(r, test_unknown_units_are_refused);
	tcase_add_test(r, test_wrong_kind_names_both_kinds);
	tcase_add_test(r, test_flops_is_ambiguous);
	tcase_add_test(r, test_duration_needs_a_unit);
	tcase_add_test(r, test_null_text_and_why_are_safe);
	suite_add_tcase(s, r);

	tcase_add_checked_fixture(n, NULL, node_teardown);
	tcase_add_test(n, test_node_quantity_reports_location);
	tcase_add_test(n, test_node_range);
	tcase_add_test(n, test_node_date_and_timestamp_report_location);
	suite_add_tcase(s, n);

	tcase_add_test(d, test_dates_valid_and_invalid);
	tcase_add_test(d, test_date_from_civil_known_values);
	tcase_add_test(d, test_date_round_trip_1900_to_9999);
	tcase_add_test(d, test_timestamps);
	tcase_add_test(d, test_today_is_a_plausible_date);
	suite_add_tcase(s, d);

	tcase_add_test(f, test_format_sci_two_significant_figures);
	tcase_add_test(f, test_format_sci_parses_back);
	tcase_add_test(f, test_format_exact_round_trips);
	tcase_add_test(f, test_format_duration);
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(quantity_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
