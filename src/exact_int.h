/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — exact arithmetic inside the library (internal, not API).
 *
 * fg_exact (include/flopgate/exact.h) is a GMP rational; the modules that
 * decide outcomes (quantity parsing, the estimator, the rules engine) work
 * on mpq_t directly through these helpers.  Every mpq_init has its
 * mpq_clear in the same function or in the owner's free; hot loops reuse
 * scratch values instead of initialising new ones.
 */
#ifndef FLOPGATE_EXACT_INT_H
#define FLOPGATE_EXACT_INT_H

#include <gmp.h>
#include "flopgate/estimate.h"
#include "flopgate/exact.h"
#include "flopgate/figure.h"

struct fg_exact {
	mpq_t q;
};

/* Parses text exactly as written (see fg_exact_parse) into out, which must
 * be initialised, and sets *nearest (may be NULL) to the double nearest
 * it.  On error returns FG_EINPUT with *why set and leaves out and
 * *nearest untouched.  The one quantity parser: fg_quantity_parse is this
 * without the rational.  (src/quantity.c) */
int fg_q_parse(mpq_t out, double *nearest, const char *text,
	       fg_qty_kind kind, const char **why);

/* The double nearest q, ties to even (±HUGE_VAL beyond the range of a
 * double).  mpq_get_d truncates, which is not what a reader of "1e26"
 * should be shown. */
double fg_q_double(const mpq_t q);

/* q = the decimal a double stands for: the shortest decimal that reads
 * back as d (0 for NaN and infinities). */
void fg_q_set_double(mpq_t q, double d);

/* q = the exact figure x, or when x is NULL what the double d stands for
 * (fg_q_set_double: a model built by hand through the C API). */
void fg_q_set(mpq_t q, const fg_exact *x, double d);

/* r = a x b, as mpq_mul; two whole numbers (most figures: FLOP, chips,
 * seconds) are multiplied without mpq_mul's two gcds. */
static inline void fg_q_mul(mpq_t r, const mpq_t a, const mpq_t b)
{
	if (mpz_cmp_ui(mpq_denref(a), 1) == 0 &&
	    mpz_cmp_ui(mpq_denref(b), 1) == 0) {
		mpz_mul(mpq_numref(r), mpq_numref(a), mpq_numref(b));
		mpz_set_ui(mpq_denref(r), 1);
	} else {
		mpq_mul(r, a, b);
	}
}

/* z = the decimal digits s[0..n) (nothing but '0'-'9'): up to 19 of them
 * without a string conversion. */
void fg_z_set_digits(mpz_t z, const char *s, size_t n);

/* z = z x 10^e, by 10^19 at most at a time: no power built. */
void fg_z_mul_pow10(mpz_t z, unsigned long e);

/* q as fg_exact_format writes it: a reduced fraction of decimal integers,
 * cut to size - 1 bytes. */
char *fg_q_format(const mpq_t q, char *buf, size_t size);

/* *slot = a new fg_exact holding q (an old one is freed).  0 or
 * FG_ENOMEM. */
int fg_exact_store(fg_exact **slot, const mpq_t q);

/* *slot = num/den (a new fg_exact, or the old one overwritten).  0 or
 * FG_ENOMEM. */
int fg_exact_set_ui(fg_exact **slot, unsigned long num, unsigned long den);

/* 1 when a and b are the same figure: mpq_equal, which tells most
 * unequal figures apart by their sizes, where fg_exact_cmp may
 * multiply. */
static inline int fg_exact_equal(const fg_exact *a, const fg_exact *b)
{
	return mpq_equal(a->q, b->q);
}

/* -1, 0, 1 as x <, ==, > n. */
int fg_exact_cmp_ui(const fg_exact *x, unsigned long n);

/* 1 when x is a whole number. */
int fg_exact_is_integer(const fg_exact *x);

/* [low, central, high] as rationals. */
typedef struct fg_qrange {
	mpq_t low, central, high;
} fg_qrange;

void fg_qrange_init(fg_qrange *r);
void fg_qrange_clear(fg_qrange *r);
/* r = x, or the doubles of d where x has no exact value. */
void fg_qrange_set(fg_qrange *r, const fg_exact_range *x, fg_range d);
/* r += x (endpoint by endpoint). */
void fg_qrange_add(fg_qrange *r, const fg_qrange *x);
/* The nearest doubles. */
fg_range fg_qrange_double(const fg_qrange *r);
/* out = copies of r (old ones freed).  0 or FG_ENOMEM. */
int fg_qrange_store(fg_exact_range *out, const fg_qrange *r);

/* sum = the exact compute of the phases whose kind is in kinds_mask, as
 * planned (their estimates alone); tmp is scratch.  Both initialised by
 * the caller.  (src/estimate.c) */
void fg_estimate_plan_q(fg_qrange *sum, const fg_run_estimate *estimate,
			unsigned kinds_mask, fg_qrange *tmp);

/* floor = the least compute of the phases whose kind is in kinds_mask
 * that the run's measured progress proves: the last point, less the most
 * (the high ends) the phases of other kinds can have used; 0 without
 * progress.  Returns 1 when it is above 0.  tmp is scratch. */
int fg_estimate_measured_q(mpq_t floor, const fg_run_estimate *estimate,
			   unsigned kinds_mask, mpq_t tmp);

/* sum = the compute of the phases whose kind is in kinds_mask: as
 * planned, with every end raised to what measured progress proves
 * (fg_estimate_measured_q).  Returns 1 when that raised the central
 * value above the plan.  fg_run_estimate_cumulative is this in doubles. */
int fg_estimate_cumulative_q(fg_qrange *sum, const fg_run_estimate *estimate,
			     unsigned kinds_mask, fg_qrange *tmp);

/* The moment (seconds since the epoch) measured progress reaches flop
 * (the run's cumulative compute over every phase), exactly between two
 * points, from dates.start (0 FLOP) before the first, at the recent rate
 * after the last for a running run only; < 0 when it cannot be told. */
double fg_estimate_crossing_q(const fg_run_estimate *estimate,
			      const mpq_t flop);

/* fg_figure_format and fg_figure_relation on rationals, for the modules
 * that hold their figures as mpq_t (src/figure.c). */
char *fg_q_figure(char *buf, size_t size, const mpq_t x, fg_unit unit);
char *fg_q_relation(char *buf, size_t size, const mpq_t value,
		    const mpq_t line, fg_unit unit, int *relation);

#endif
