/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — exact figures (see include/flopgate/exact.h and
 * src/exact_int.h). */
#include "exact_int.h"
#include "pool.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- decimal digits ------------------------------------------------------ */

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL};

void fg_z_set_digits(mpz_t z, const char *s, size_t n)
{
	uint64_t v;
	size_t i, j, k;

	/* 19 digits at a time fit a 64-bit word: most figures in one */
	mpz_set_ui(z, 0);
	for (i = 0; i < n; i += k) {
		k = n - i < 19 ? n - i : 19;
		for (v = 0, j = 0; j < k; j++)
			v = v * 10 + (uint64_t)(s[i + j] - '0');
		if (i)
			fg_z_mul_pow10(z, k);
		mpz_add_ui(z, z, (unsigned long)v);
	}
}

void fg_z_mul_pow10(mpz_t z, unsigned long e)
{
	for (; e > 0; e -= e > 19 ? 19 : e)
		mpz_mul_ui(z, z, (unsigned long)pow10_u64[e > 19 ? 19 : e]);
}

/* ---- rationals to doubles ---------------------------------------------- */

_Static_assert(sizeof(mp_limb_t) == 8, "flopgate assumes 64-bit GMP limbs");

/* The integer quotient keeps this many bits, two more than a double's 53,
 * so that the bits below the mantissa (with the remainder as a sticky
 * bit) decide the rounding. */
#define QUOTIENT_BITS 55

/* The double nearest the integer z (not zero), rounded half to even from
 * its top 64 bits and whether any bit below them is set: no division. */
static double integer_double(const mpz_t z, int sign)
{
	size_t bits = mpz_sizeinbase(z, 2), n = mpz_size(z);
	uint64_t top, rest = 0, keep, low;
	int shift, sticky = 0, up;
	double v;

	if (bits <= 53) {
		v = fabs(mpz_get_d(z)); /* exact */
		return sign < 0 ? -v : v;
	}
	/* |z|'s top 64 bits: the leading limb shifted up past its leading
	 * zeros, filled from the next limb */
	shift = (int)(64 * n - bits);  /* leading zeros of the top limb */
	top = (uint64_t)mpz_getlimbn(z, (mp_size_t)n - 1) << shift;
	if (n >= 2) {
		rest = (uint64_t)mpz_getlimbn(z, (mp_size_t)n - 2);
		if (shift)
			top |= rest >> (64 - shift);
		/* what is left of that limb, and every limb below it */
		sticky = (rest << shift) != 0 ||
			 (n >= 3 && mpz_scan1(z, 0) < 64 * (n - 2));
	}
	keep = top >> 11;               /* the 53 bits of the mantissa */
	low = top & 0x7FF;              /* the 11 below them */
	up = low > 0x400 || (low == 0x400 && (sticky || (keep & 1)));
	v = ldexp((double)(keep + (uint64_t)up), (int)bits - 53);
	return sign < 0 ? -v : v;
}

double fg_q_double(const mpq_t q)
{
	mpz_t n, t, r, low;
	long shift, extra, top;
	int sign = mpq_sgn(q), up;
	double v;

	if (sign == 0)
		return 0;
	/* Most figures are whole numbers (FLOP, chips, seconds): those need
	 * no division, only their top bits. */
	if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
		return integer_double(mpq_numref(q), sign);
	mpz_inits(n, t, r, low, NULL);
	mpz_abs(n, mpq_numref(q));
	/* t = floor(|q| x 2^shift) with QUOTIENT_BITS or one more bits */
	shift = QUOTIENT_BITS - ((long)mpz_sizeinbase(n, 2) -
				 (long)mpz_sizeinbase(mpq_denref(q), 2));
	if (shift >= 0) {
		mpz_mul_2exp(n, n, (mp_bitcnt_t)shift);
		mpz_tdiv_qr(t, r, n, mpq_denref(q));
	} else {
		mpz_mul_2exp(low, mpq_denref(q), (mp_bitcnt_t)-shift);
		mpz_tdiv_qr(t, r, n, low);
	}
	/* the bits a double keeps: 53, fewer below 2^-1022, where the top
	 * bit, 2^top, leaves top + 1075 of them down to 2^-1074 (none or
	 * fewer than none below it: the value rounds to 0 or 2^-1074).  So
	 * a subnormal is rounded once, not to 53 bits and again by ldexp. */
	top = (long)mpz_sizeinbase(t, 2) - 1 - shift;
	extra = (long)mpz_sizeinbase(t, 2) - (top >= -1022 ? 53 : top + 1075);
	/* round half to even on the bits below those kept, the remainder
	 * telling a true half from a little more */
	mpz_fdiv_r_2exp(low, t, (mp_bitcnt_t)extra);
	mpz_fdiv_q_2exp(t, t, (mp_bitcnt_t)extra);
	if (mpz_tstbit(low, (mp_bitcnt_t)(extra - 1)) == 0) {
		up = 0;
	} else {
		mpz_clrbit(low, (mp_bitcnt_t)(extra - 1));
		up = mpz_sgn(low) != 0 || mpz_sgn(r) != 0 || mpz_odd_p(t);
	}
	if (up)
		mpz_add_ui(t, t, 1);
	/* t <= 2^53, on the grid of doubles at its exponent: ldexp only
	 * moves the exponent */
	v = ldexp(mpz_get_d(t), (int)(extra - shift));
	mpz_clears(n, t, r, low, NULL);
	return sign < 0 ? -v : v;
}

void fg_q_set_double(mpq_t q, double d)
{
	char buf[40];
	int digits;

	if (!isfinite(d) || d == 0) {
		mpq_set_ui(q, 0, 1);
		return;
	}
	/* the shortest decimal that reads back as d: what a C literal or a
	 * figure printed with %.17g was written as (1e25 is 10^25, not the
	 * double's binary value 10000000000000000905969664) */
	for (digits = 1; digits < 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*e", digits - 1, fabs(d));
		if (strtod(buf, NULL) == fabs(d))
			break;
	}
	if (digits == 17)
		snprintf(buf, sizeof(buf), "%.16e", fabs(d));
	if (fg_q_parse(q, NULL, buf, FG_QTY_NUMBER, NULL))
		mpq_set_d(q, fabs(d)); /* not reached: %e is a decimal */
	if (d < 0)
		mpq_neg(q, q);
}

void fg_q_set(mpq_t q, const fg_exact *x, double d)
{
	if (x)
		mpq_set(q, x->q);
	else
		fg_q_set_double(q, d);
}

/* ---- fg_exact ------------------------------------------------------------ */

/* The pool of GMP's small blocks (below), when the program installed it:
 * fg_exact structs come from it and go back to it too, a run's figures
 * being made and dropped by the thousand in a stream. */
static int pool_on;
static void *pool_take(size_t size);
static void pool_free(void *p, size_t size);

static fg_exact *exact_new(void)
{
	fg_exact *x = pool_on ? pool_take(sizeof(*x)) : malloc(sizeof(*x));

	if (x)
		mpq_init(x->q);
	return x;
}

int fg_exact_store(fg_exact **slot, const mpq_t q)
{
	if (!*slot && !(*slot = exact_new()))
		return FG_ENOMEM;
	mpq_set((*slot)->q, q);
	return 0;
}

int fg_exact_set_ui(fg_exact **slot, unsigned long num, unsigned long den)
{
	if (!*slot && !(*slot = exact_new()))
		return FG_ENOMEM;
	mpq_set_ui((*slot)->q, num, den);
	mpq_canonicalize((*slot)->q);
	return 0;
}

int fg_exact_cmp_ui(const fg_exact *x, unsigned long n)
{
	int c = mpq_cmp_ui(x->q, n, 1);

	return (c > 0) - (c < 0);
}

int fg_exact_is_integer(const fg_exact *x)
{
	return mpz_cmp_ui(mpq_denref(x->q), 1) == 0;
}

int fg_exact_parse(fg_exact **out, const char *text, fg_qty_kind kind,
		   const char **why)
{
	fg_exact *x;
	const char *dummy;

	*out = NULL;
	if (!why)
		why = &dummy;
	if (!(x = exact_new())) {
		*why = "out of memory";
		return FG_ENOMEM;
	}
	if (fg_q_parse(x->q, NULL, text, kind, why)) {
		fg_exact_free(x);
		return FG_EINPUT;
	}
	*out = x;
	return 0;
}

fg_exact *fg_exact_from_double(double value)
{
	fg_exact *x;

	if (!isfinite(value) || !(x = exact_new()))
		return NULL;
	fg_q_set_double(x->q, value);
	return x;
}

fg_exact *fg_exact_copy(const fg_exact *x)
{
	fg_exact *c;

	if (!x || !(c = exact_new()))
		return NULL;
	mpq_set(c->q, x->q);
	return c;
}

void fg_exact_free(fg_exact *x)
{
	if (!x)
		return;
	mpq_clear(x->q);
	if (pool_on)
		pool_free(x, sizeof(*x)); /* a malloc'd one is kept or freed */
	else
		free(x);
}

void fg_exact_range_clear(fg_exact_range *range)
{
	if (!range)
		return;
	fg_exact_free(range->low);
	fg_exact_free(range->central);
	fg_exact_free(range->high);
	range->low = range->central = range->high = NULL;
}

double fg_exact_to_double(const fg_exact *x)
{
	return x ? fg_q_double(x->q) : 0;
}

int fg_exact_cmp(const fg_exact *a, const fg_exact *b)
{
	int c = mpq_cmp(a->q, b->q);

	return (c > 0) - (c < 0);
}

char *fg_q_format(const mpq_t q, char *buf, size_t size)
{
	char *s;

	if (!size)
		return buf;
	/* straight into buf when it surely has room: the GMP manual's
	 * bound for mpq_get_str */
	if (mpz_sizeinbase(mpq_numref(q), 10) +
	    mpz_sizeinbase(mpq_denref(q), 10) + 3 <= size) {
		mpq_get_str(buf, 10, q);
		return buf;
	}
	/* mpq_get_str allocates with GMP's allocator; free it with GMP's
	 * own free function, as the manual asks. */
	buf[0] = 0;
	s = mpq_get_str(NULL, 10, q);
	if (s) {
		void (*gmp_free)(void *, size_t);

		strncpy(buf, s, size - 1);
		buf[size - 1] = 0;
		mp_get_memory_functions(NULL, NULL, &gmp_free);
		gmp_free(s, strlen(s) + 1);
	}
	return buf;
}

char *fg_exact_format(const fg_exact *x, char *buf, size_t size)
{
	if (!x) {
		if (size)
			buf[0] = 0;
		return buf;
	}
	return fg_q_format(x->q, buf, size);
}

/* ---- ranges -------------------------------------------------------------- */

void fg_qrange_init(fg_qrange *r)
{
	mpq_inits(r->low, r->central, r->high, NULL);
}

void fg_qrange_clear(fg_qrange *r)
{
	mpq_clears(r->low, r->central, r->high, NULL);
}

void fg_qrange_set(fg_qrange *r, const fg_exact_range *x, fg_range d)
{
	fg_q_set(r->low, x ? x->low : NULL, d.low);
	fg_q_set(r->central, x ? x->central : NULL, d.central);
	fg_q_set(r->high, x ? x->high : NULL, d.high);
}

void fg_qrange_add(fg_qrange *r, const fg_qrange *x)
{
	mpq_add(r->low, r->low, x->low);
	mpq_add(r->central, r->central, x->central);
	mpq_add(r->high, r->high, x->high);
}

fg_range fg_qrange_double(const fg_qrange *r)
{
	fg_range d;

	d.low = fg_q_double(r->low);
	d.central = fg_q_double(r->central);
	d.high = fg_q_double(r->high);
	return d;
}

int fg_qrange_store(fg_exact_range *out, const fg_qrange *r)
{
	if (fg_exact_store(&out->low, r->low) ||
	    fg_exact_store(&out->central, r->central) ||
	    fg_exact_store(&out->high, r->high))
		return FG_ENOMEM;
	return 0;
}

/* ---- GMP's small blocks ------------------------------------------------------- */

/* exact.h promises the pool's bound */
_Static_assert(FG_EXACT_POOL_KEEP == FG_POOL_KEEP, "the pool's bound");

static fg_pool gmp_pool;

/* A block of `size` bytes, kept or new; NULL when memory runs out. */
static void *pool_take(size_t size)
{
	return fg_pool_take(&gmp_pool, size);
}

/* GMP cannot go on without the block: it aborts, as its own allocator
 * does. */
static void *pool_alloc(size_t size)
{
	void *p = pool_take(size);

	if (!p) {
		fputs("flopgate: out of memory (GMP)\n", stderr);
		abort();
	}
	return p;
}

static void pool_free(void *p, size_t size)
{
	fg_pool_give(&gmp_pool, p, size);
}

static void *pool_realloc(void *p, size_t old, size_t size)
{
	void *q;

	if (fg_pool_same_class(old, size))
		return p;
	if (old > FG_POOL_MAX && size > FG_POOL_MAX) {
		if (!(q = realloc(p, size))) {
			fputs("flopgate: out of memory (GMP)\n", stderr);
			abort();
		}
		return q;
	}
	q = pool_alloc(size);
	memcpy(q, p, old < size ? old : size);
	pool_free(p, old);
	return q;
}

void fg_exact_pool_install(void)
{
	mp_set_memory_functions(pool_alloc, pool_realloc, pool_free);
	pool_on = 1;
}
