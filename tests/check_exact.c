/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of exact figures (src/exact.c and the exact quantity parser in
 * src/quantity.c): every way of writing a number gives the rational the
 * text says — exponents, units, 10^N, 3.3×10^22, fractions — never a
 * double's approximation of it; refusals; and the double shown for it is
 * the nearest one. */
#include <check.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/exact.h"
#include "flopgate/quantity.h"

/* Parses text as kind; fails unless the reduced fraction reads want. */
#define ck_exact(text, kind, want)                                           \
	do {                                                                 \
		fg_exact *x_ = NULL;                                         \
		const char *why_ = NULL;                                     \
		char buf_[256];                                              \
		int rc_ = fg_exact_parse(&x_, (text), (kind), &why_);        \
		ck_assert_msg(rc_ == 0, "`%s` refused: %s", (text),          \
			      why_ ? why_ : "?");                            \
		fg_exact_format(x_, buf_, sizeof(buf_));                     \
		ck_assert_msg(!strcmp(buf_, (want)), "`%s` = %s, want %s",   \
			      (text), buf_, (want));                         \
		fg_exact_free(x_);                                           \
	} while (0)

#define ck_exact_refused(text, kind, has)                                    \
	do {                                                                 \
		fg_exact *x_ = (fg_exact *)1;                                \
		const char *why_ = NULL;                                     \
		int rc_ = fg_exact_parse(&x_, (text), (kind), &why_);        \
		ck_assert_msg(rc_ == FG_EINPUT, "`%s` accepted", (text));    \
		ck_assert_ptr_null(x_);                                      \
		ck_assert_msg(why_ && strstr(why_, (has)), "`%s`: \"%s\" "   \
			      "lacks \"%s\"", (text), why_ ? why_ : "",      \
			      (has));                                        \
	} while (0)

static fg_exact *x(const char *text)
{
	fg_exact *v = NULL;
	const char *why = NULL;

	ck_assert_msg(fg_exact_parse(&v, text, FG_QTY_NUMBER, &why) == 0,
		      "`%s`: %s", text, why ? why : "?");
	return v;
}

/* ---- exponents and powers of ten ---------------------------------------- */

START_TEST(test_decimal_exponents_are_exact)
{
	ck_exact("3.8e25", FG_QTY_FLOP, "38000000000000000000000000");
	ck_exact("3.8E+25", FG_QTY_FLOP, "38000000000000000000000000");
	ck_exact("405e9", FG_QTY_NUMBER, "405000000000");
	ck_exact("0.40", FG_QTY_NUMBER, "2/5");
	ck_exact("0.1", FG_QTY_NUMBER, "1/10");
	ck_exact("1e-3", FG_QTY_NUMBER, "1/1000");
	ck_exact("000.0500", FG_QTY_NUMBER, "1/20");
	ck_exact("+7", FG_QTY_NUMBER, "7");
	ck_exact("0", FG_QTY_NUMBER, "0");
	ck_exact("0e400", FG_QTY_NUMBER, "0");
	/* 10^25 + 1 in 26 digits: not the double 1e25 */
	ck_exact("10000000000000000000000001", FG_QTY_FLOP,
		 "10000000000000000000000001");
	/* the most digits a machine word takes (19), one more, and powers
	 * of ten past the largest word-sized one (10^19) */
	ck_exact("9999999999999999999", FG_QTY_NUMBER, "9999999999999999999");
	ck_exact("18446744073709551617", FG_QTY_NUMBER,
		 "18446744073709551617");
	ck_exact("9999999999999999999e20", FG_QTY_NUMBER,
		 "999999999999999999900000000000000000000");
	ck_exact("1.5e45", FG_QTY_FLOP,
		 "1500000000000000000000000000000000000000000000");
	ck_exact("1234567890123456789012345678901234567890.5", FG_QTY_NUMBER,
		 "2469135780246913578024691357802469135781/2");
	ck_exact("123456789012345678.9", FG_QTY_NUMBER,
		 "1234567890123456789/10");
	ck_exact("0.0000000000000000000000012", FG_QTY_NUMBER,
		 "3/2500000000000000000000000");
}
END_TEST

START_TEST(test_powers_of_ten_are_exact)
{
	ck_exact("10^25", FG_QTY_FLOP, "10000000000000000000000000");
	ck_exact("10^-2", FG_QTY_NUMBER, "1/100");
	ck_exact("3.3x10^22", FG_QTY_FLOP, "33000000000000000000000");
	ck_exact("3.3*10^22", FG_QTY_FLOP, "33000000000000000000000");
	ck_exact("3.3×10^22", FG_QTY_FLOP, "33000000000000000000000");
	ck_exact("3.3 × 10^22", FG_QTY_FLOP, "33000000000000000000000");
}
END_TEST

START_TEST(test_units_are_exact)
{
	ck_exact("38 YFLOP", FG_QTY_FLOP, "38000000000000000000000000");
	ck_exact("1.2 ZFLOP", FG_QTY_FLOP, "1200000000000000000000");
	/* 1 PF-day = 10^15 FLOP/s x 86,400 s = 864 x 10^17 FLOP */
	ck_exact("1 PF-day", FG_QTY_FLOP, "86400000000000000000");
	ck_exact("43500 PF-days", FG_QTY_FLOP, "3758400000000000000000000");
	ck_exact("2.788e6 GPU-hours", FG_QTY_CHIP_HOURS, "2788000");
	ck_exact("54d", FG_QTY_DURATION, "4665600");
	ck_exact("1296h", FG_QTY_DURATION, "4665600");
	ck_exact("90min", FG_QTY_DURATION, "5400");
	ck_exact("0.5h", FG_QTY_DURATION, "1800");
	ck_exact("2w", FG_QTY_DURATION, "1209600");
	ck_exact("989.4 TFLOP/s", FG_QTY_FLOP_RATE, "989400000000000");
	ck_exact("1978.9 TFLOP/s", FG_QTY_FLOP_RATE, "1978900000000000");
	ck_exact("40%", FG_QTY_NUMBER, "2/5");
	ck_exact("405B", FG_QTY_NUMBER, "405000000000");
	ck_exact("$60M", FG_QTY_USD, "60000000");
	ck_exact("$6.0e7", FG_QTY_USD, "60000000");
	ck_exact("5e8 USD", FG_QTY_USD, "500000000");
}
END_TEST

/* ---- fractions ------------------------------------------------------------ */

START_TEST(test_fractions_of_a_line)
{
	/* GPAI guidelines para 61: a third of 10^25 and of 10^23 */
	ck_exact("1e25/3", FG_QTY_FLOP, "10000000000000000000000000/3");
	ck_exact("10^23/3", FG_QTY_FLOP, "100000000000000000000000/3");
	ck_exact("10^23/3 FLOP", FG_QTY_FLOP, "100000000000000000000000/3");
	ck_exact("1e25 / 3", FG_QTY_FLOP, "10000000000000000000000000/3");
	ck_exact("1/3", FG_QTY_NUMBER, "1/3");
	ck_exact("2/6", FG_QTY_NUMBER, "1/3");
	ck_exact("5e24/1.5e25", FG_QTY_NUMBER, "1/3");
	ck_exact("1/0.5", FG_QTY_NUMBER, "2");
	ck_exact("90/60 h", FG_QTY_DURATION, "5400");
}
END_TEST

START_TEST(test_fraction_refusals)
{
	ck_exact_refused("1/0", FG_QTY_NUMBER, "division by zero");
	ck_exact_refused("1e25/0.0", FG_QTY_FLOP, "division by zero");
	ck_exact_refused("1/", FG_QTY_NUMBER, "expected a number after");
	ck_exact_refused("1/-3", FG_QTY_NUMBER, "expected a number after");
	ck_exact_refused("1/x", FG_QTY_NUMBER, "expected a number after");
	ck_exact_refused("1/3/3", FG_QTY_NUMBER, "unknown unit");
	ck_exact_refused("-1/3", FG_QTY_NUMBER, "negative");
	ck_exact_refused("1e300/1e-300", FG_QTY_NUMBER, "too large");
	ck_exact_refused("1/3 FLOP/s", FG_QTY_FLOP, "FLOP/s");
}
END_TEST

START_TEST(test_refusals_match_the_double_parser)
{
	static const char *const bad[] = {
		"nan", ".inf", "-1", "1e400", "1e-400", "0x1p3", "3 FLOPS",
		"12 parsecs", "3.3e2x10^22", "5^3", "", "e5", NULL
	};
	size_t i;

	for (i = 0; bad[i]; i++) {
		fg_exact *v = (fg_exact *)1;
		double d = 7;
		const char *why = NULL;

		ck_assert_msg(fg_exact_parse(&v, bad[i], FG_QTY_FLOP, &why) ==
				      FG_EINPUT, "`%s` accepted", bad[i]);
		ck_assert_ptr_null(v);
		ck_assert_int_eq(fg_quantity_parse(&d, bad[i], FG_QTY_FLOP,
						   NULL), FG_EINPUT);
		ck_assert_double_eq(d, 7);
	}
	ck_exact_refused("2.5 EFLOP/s", FG_QTY_FLOP, "is needed here");
	ck_exact_refused("54", FG_QTY_DURATION, "needs a unit");
}
END_TEST

/* ---- values and doubles ---------------------------------------------------- */

START_TEST(test_sums_and_comparisons_are_exact)
{
	fg_exact *a = x("8.9e25"), *b = x("1.1e25"), *line = x("1e26");
	fg_exact *third = x("1/3"), *ratio = x("5e24/1.5e25");
	fg_exact *close = x("0.3333333333333333");
	char buf[128];

	/* the doubles disagree with the decimals ... */
	ck_assert(8.9e25 + 1.1e25 < 1e26);
	ck_assert(5e24 / 1.5e25 > 1.0 / 3);
	/* ... the exact figures do not */
	ck_assert_int_eq(fg_exact_cmp(ratio, third), 0);
	ck_assert_int_eq(fg_exact_cmp(close, third), -1);
	ck_assert_int_eq(fg_exact_cmp(line, a), 1);
	ck_assert_int_eq(fg_exact_cmp(b, line), -1);
	ck_assert_str_eq(fg_exact_format(third, buf, sizeof(buf)), "1/3");
	/* truncated, still NUL-terminated */
	ck_assert_str_eq(fg_exact_format(line, buf, 5), "1000");
	fg_exact_free(a);
	fg_exact_free(b);
	fg_exact_free(line);
	fg_exact_free(third);
	fg_exact_free(ratio);
	fg_exact_free(close);
}
END_TEST

START_TEST(test_nearest_double_of_a_fraction)
{
	fg_exact *v = x("1e25/3"), *w = x("10^23/3"), *t = x("1/3");

	ck_assert_double_eq(fg_exact_to_double(v),
			    strtod("3333333333333333333333333.3333333", NULL));
	ck_assert_double_eq(fg_exact_to_double(w),
			    strtod("33333333333333333333333.3333333", NULL));
	ck_assert_double_eq(fg_exact_to_double(t), 1.0 / 3);
	ck_assert_double_eq(fg_exact_to_double(NULL), 0);
	fg_exact_free(v);
	fg_exact_free(w);
	fg_exact_free(t);
}
END_TEST

/* The double handed out is the nearest one, ties to even, as strtod
 * rounds: checked on decimals of up to 25 digits, where a last-bit
 * mistake would show, and on exact halfway cases. */
START_TEST(test_nearest_double_as_strtod)
{
	static const char *const halfway[] = {
		"9007199254740993",   /* 2^53 + 1: tie, rounds to even */
		"9007199254740995",   /* 2^53 + 3: tie, rounds up to even */
		"9007199254740993.0000000001", /* just above the tie */
		"1.7976931348623157e308", "2.2250738585072014e-308",
		"4.9406564584124654e-324",
		/* integers past 2^64, where the top 64 bits and the bits
		 * below them decide: ties to even, a tie plus one (in the
		 * second and in the lowest of three limbs), a tie minus one */
		"18446744073709553664",
		"18446744073709553665",
		"18446744073709557760",
		"340282366920938501242306470388929921024",
		"340282366920938501242306470388929921025",
		"340282366920938501242306470388929921023",
		"1569275433846670365183519219322409897273387866181332893697",
		NULL
	};
	char text[64];
	unsigned seed = 12345;
	size_t i, j;

	for (i = 0; halfway[i]; i++) {
		double d = -1;

		ck_assert_int_eq(fg_quantity_parse(&d, halfway[i],
						   FG_QTY_NUMBER, NULL), 0);
		ck_assert_msg(d == strtod(halfway[i], NULL), "%s: %.17g",
			      halfway[i], d);
	}
	for (i = 0; i < 20000; i++) {
		size_t n = 1 + (seed = seed * 1103515245u + 12345u) % 25;
		int e;
		double d = -1;

		for (j = 0; j < n; j++)
			text[j] = (char)('0' + (seed = seed * 1103515245u +
						12345u) / 65536 % 10);
		e = (int)((seed = seed * 1103515245u + 12345u) / 65536 % 80) -
		    40;
		snprintf(text + n, sizeof(text) - n, "e%d", e);
		ck_assert_int_eq(fg_quantity_parse(&d, text, FG_QTY_NUMBER,
						   NULL), 0);
		ck_assert_msg(d == strtod(text, NULL), "%s: %.17g, strtod "
			      "%.17g", text, d, strtod(text, NULL));
	}
}
END_TEST

/* Below 2^-1022 a double has fewer than 53 bits: the value is rounded
 * once to those, as strtod rounds it, not to 53 bits and then again
 * (201e-310 came out one unit too high; fuzz_quantity found it). */
START_TEST(test_subnormals_round_once_as_strtod)
{
	static const char *const subnormal[] = {
		"201e-310", "171286e-313", "661755e-314", "1e-320", "3e-324",
		"7e-324", "1.5e-323", "2.2250738585072011e-308", NULL};
	char text[64];
	unsigned seed = 271828;
	size_t i;

	for (i = 0; subnormal[i]; i++) {
		double d = -1;

		ck_assert_int_eq(fg_quantity_parse(&d, subnormal[i],
						   FG_QTY_NUMBER, NULL), 0);
		ck_assert_msg(d == strtod(subnormal[i], NULL), "%s: %.17g",
			      subnormal[i], d);
	}
	for (i = 0; i < 20000; i++) {
		double d = -1;
		unsigned digits, exponent;

		seed = seed * 1103515245u + 12345u;
		digits = seed / 65536 % 1000000;
		seed = seed * 1103515245u + 12345u;
		exponent = 310 + seed / 65536 % 12;
		snprintf(text, sizeof(text), "%ue-%u", digits, exponent);
		ck_assert_int_eq(fg_quantity_parse(&d, text, FG_QTY_NUMBER,
						   NULL), 0);
		ck_assert_msg(d == strtod(text, NULL), "%s: %.17g, strtod "
			      "%.17g", text, d, strtod(text, NULL));
	}
}
END_TEST

START_TEST(test_a_double_stands_for_its_shortest_decimal)
{
	fg_exact *v = fg_exact_from_double(0.1), *c = fg_exact_copy(v);
	fg_exact *tenth = x("0.1"), *line = x("1e25");
	fg_exact *sum = fg_exact_from_double(8.9e25 + 1.1e25);
	fg_exact *big = fg_exact_from_double(1e25), *third;
	char buf[64];

	/* the C API's doubles stand for the decimals written in C */
	ck_assert_str_eq(fg_exact_format(v, buf, sizeof(buf)), "1/10");
	ck_assert_int_eq(fg_exact_cmp(v, tenth), 0);
	ck_assert_int_eq(fg_exact_cmp(big, line), 0);
	/* a double computed in floating point is what it is */
	ck_assert_int_eq(fg_exact_cmp(sum, line), 1);
	ck_assert_str_eq(fg_exact_format(sum, buf, sizeof(buf)),
			 "99999999999999990000000000");
	/* 17 digits when fewer do not read back */
	third = fg_exact_from_double(1.0 / 3);
	ck_assert_str_eq(fg_exact_format(third, buf, sizeof(buf)),
			 "3333333333333333/10000000000000000");
	ck_assert_int_eq(fg_exact_cmp(v, c), 0);
	ck_assert_double_eq(fg_exact_to_double(c), 0.1);
	ck_assert_ptr_null(fg_exact_from_double(NAN));
	ck_assert_ptr_null(fg_exact_from_double(INFINITY));
	ck_assert_ptr_null(fg_exact_copy(NULL));
	fg_exact_free(NULL);
	fg_exact_free(v);
	fg_exact_free(c);
	fg_exact_free(tenth);
	fg_exact_free(line);
	fg_exact_free(sum);
	fg_exact_free(big);
	fg_exact_free(third);
}
END_TEST

/* ---- GMP's small blocks pooled ------------------------------------------ */

/* Numbers grown far past the pool's largest block and cut back through
 * every size, rationals, and text GMP allocates (fg_exact_format's long
 * path), written down as digits. */
static void pool_workload(char *out, size_t size)
{
	mpz_t a, b;
	mpq_t q;
	fg_exact *e = x("1e25/3");
	char buf[8];
	size_t n = 0;
	int k;

	mpz_init_set_ui(a, 3);
	mpz_init(b);
	mpq_init(q);
	for (k = 0; k < 14; k++) {
		mpz_mul(a, a, a);
		mpz_add_ui(b, a, (unsigned long)k);
		mpz_tdiv_q_2exp(b, b, (mp_bitcnt_t)k * 97);
		mpq_set_z(q, b);
		mpq_set_den(q, a);
		mpq_canonicalize(q);
		n += (size_t)snprintf(out + n, size - n, "%zu:%lu:%lu,",
				      mpz_sizeinbase(b, 10),
				      mpz_fdiv_ui(b, 1000003),
				      mpz_fdiv_ui(mpq_denref(q), 999983));
	}
	while (mpz_sizeinbase(a, 2) > 8) {
		mpz_tdiv_q_2exp(a, a, 61);
		mpz_realloc2(a, mpz_sizeinbase(a, 2) + 1);
		n += (size_t)snprintf(out + n, size - n, "%lu,",
				      mpz_fdiv_ui(a, 1000003));
	}
	fg_exact_format(e, buf, sizeof(buf));
	snprintf(out + n, size - n, "%s", buf);
	fg_exact_free(e);
	mpq_clear(q);
	mpz_clear(b);
	mpz_clear(a);
}

/* The pool changes where GMP's blocks come from, never a digit.  Check
 * runs each test in a process of its own: the pool is installed for this
 * one only. */
START_TEST(test_pooled_blocks_give_the_same_numbers)
{
	static char want[16384], got[16384];
	fg_exact *before = x("7/3"), *many[64];
	char buf[64];
	size_t i;

	pool_workload(want, sizeof(want));
	fg_exact_pool_install();
	/* an fg_exact made before goes back to the pool, and the structs
	 * the pool hands out hold their own figures */
	fg_exact_free(before);
	for (i = 0; i < 64; i++) {
		snprintf(buf, sizeof(buf), "%zu/7", i + 1);
		many[i] = x(buf);
	}
	for (i = 0; i < 64; i++) {
		char want_i[32];

		snprintf(want_i, sizeof(want_i), i % 7 == 6 ? "%zu" : "%zu/7",
			 i % 7 == 6 ? (i + 1) / 7 : i + 1);
		fg_exact_format(many[i], buf, sizeof(buf));
		ck_assert_str_eq(buf, want_i);
		fg_exact_free(many[i]);
	}
	pool_workload(got, sizeof(got));
	ck_assert_str_eq(got, want);
	/* again, now from blocks the pool kept */
	memset(got, 0, sizeof(got));
	pool_workload(got, sizeof(got));
	ck_assert_str_eq(got, want);
	ck_assert_uint_gt(strlen(want), 400);
}
END_TEST

static Suite *exact_suite(void)
{
	Suite *s = suite_create("exact");
	TCase *p = tcase_create("parse");
	TCase *v = tcase_create("values");

	tcase_add_test(p, test_decimal_exponents_are_exact);
	tcase_add_test(p, test_powers_of_ten_are_exact);
	tcase_add_test(p, test_units_are_exact);
	tcase_add_test(p, test_fractions_of_a_line);
	tcase_add_test(p, test_fraction_refusals);
	tcase_add_test(p, test_refusals_match_the_double_parser);
	suite_add_tcase(s, p);

	tcase_add_test(v, test_sums_and_comparisons_are_exact);
	tcase_add_test(v, test_nearest_double_of_a_fraction);
	tcase_add_test(v, test_nearest_double_as_strtod);
	tcase_add_test(v, test_subnormals_round_once_as_strtod);
	tcase_add_test(v, test_a_double_stands_for_its_shortest_decimal);
	tcase_add_test(v, test_pooled_blocks_give_the_same_numbers);
	suite_add_tcase(s, v);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(exact_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
