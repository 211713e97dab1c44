/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — figures for people, and relations that hold as printed
 * (see include/flopgate/figure.h). */
#include "exact_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtoa.h"
#include "format.h"

/* The most significant digits a figure gets.  Figures that meet a line
 * are at most 10^40 FLOP (FG_FLOP_MAX) written with at most a few dozen
 * digits, so two different ones differ within the first 48 digits unless
 * one is a fraction such as 10^25/3 held against a figure a hair from it;
 * those are written as exact fractions. */
#define MAX_DIGITS 48

static const char *const unit_names[FG_UNIT_COUNT] = {
	"", "FLOP", "op/s", "USD", "fraction", "%"
};

const char *fg_unit_name(fg_unit unit)
{
	return (unsigned)unit < FG_UNIT_COUNT ? unit_names[unit] : "";
}

int fg_unit_parse(fg_unit *out, const char *name)
{
	int i;

	for (i = 0; name && i < FG_UNIT_COUNT; i++)
		if (!strcmp(unit_names[i], name)) {
			*out = (fg_unit)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

/* A figure rounded to significant digits: d.ddd × 10^exponent, digits
 * without the point; zero has no digits. */
typedef struct rounded {
	char digits[MAX_DIGITS + 2];
	long exponent;
	int negative, zero;
} rounded;

/* *out = x rounded to two significant figures as fg_format_sci writes the
 * double nearest x ("%.1e"), so that a figure reads the same in a reason
 * as beside it; *value = that rounded figure exactly. */
static void round_two(rounded *out, mpq_t value, const mpq_t x)
{
	char tmp[64], *e;
	double d = fg_q_double(x);
	int k;

	memset(out, 0, sizeof(*out));
	mpq_set_ui(value, 0, 1);
	if (mpq_sgn(x) == 0 || !isfinite(d) || d == 0) {
		out->zero = 1;
		return;
	}
	out->negative = mpq_sgn(x) < 0;
	/* printf's "%.1e" digits, without printf when it can */
	if (fg_dtoa_digits(fabs(d), 2, tmp, &k) == 0) {
		out->digits[0] = tmp[0];
		out->digits[1] = tmp[1];
		out->exponent = k;
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.1e", fabs(d));
	e = strchr(tmp, 'e');
	out->digits[0] = tmp[0];
	out->digits[1] = tmp[2];
	out->exponent = e ? strtol(e + 1, NULL, 10) : 0;
}

/* *out = x rounded to k significant digits, exactly (half to even). */
static void round_exact(rounded *out, const mpq_t x, int k)
{
	mpq_t t;
	mpz_t p, m, r;
	long e;
	char *s;
	void (*gmp_free)(void *, size_t);

	memset(out, 0, sizeof(*out));
	if (mpq_sgn(x) == 0) {
		out->zero = 1;
		return;
	}
	out->negative = mpq_sgn(x) < 0;
	mpq_init(t);
	mpz_inits(p, m, r, NULL);
	mpq_abs(t, x);
	/* t = |x| / 10^e with 1 <= t < 10: the digit counts of numerator
	 * and denominator put e within one or two of its value */
	e = (long)mpz_sizeinbase(mpq_numref(t), 10) -
	    (long)mpz_sizeinbase(mpq_denref(t), 10);
	mpz_ui_pow_ui(p, 10, (unsigned long)(e < 0 ? -e : e));
	if (e >= 0)
		mpz_mul(mpq_denref(t), mpq_denref(t), p);
	else
		mpz_mul(mpq_numref(t), mpq_numref(t), p);
	mpq_canonicalize(t);
	while (mpq_cmp_ui(t, 10, 1) >= 0) {
		mpz_mul_ui(mpq_denref(t), mpq_denref(t), 10);
		mpq_canonicalize(t);
		e++;
	}
	while (mpq_cmp_ui(t, 1, 1) < 0) {
		mpz_mul_ui(mpq_numref(t), mpq_numref(t), 10);
		mpq_canonicalize(t);
		e--;
	}
	/* m = t x 10^(k-1), rounded half to even */
	mpz_ui_pow_ui(p, 10, (unsigned long)(k - 1));
	mpz_mul(m, mpq_numref(t), p);
	mpz_tdiv_qr(m, r, m, mpq_denref(t));
	mpz_mul_2exp(r, r, 1);
	{
		int c = mpz_cmp(r, mpq_denref(t));

		if (c > 0 || (c == 0 && mpz_odd_p(m)))
			mpz_add_ui(m, m, 1);
	}
	mpz_mul_ui(p, p, 10);
	if (mpz_cmp(m, p) >= 0) { /* 9.99.. rounded up to 10.0 */
		mpz_tdiv_q_ui(m, m, 10);
		e++;
	}
	out->exponent = e;
	s = mpz_get_str(NULL, 10, m);
	if (s) {
		fg_format(out->digits, sizeof(out->digits), "%s", s);
		mp_get_memory_functions(NULL, NULL, &gmp_free);
		gmp_free(s, strlen(s) + 1);
	}
	mpq_clear(t);
	mpz_clears(p, m, r, NULL);
}

/* *value = r exactly. */
static void rounded_value(mpq_t value, const rounded *r)
{
	size_t n = strlen(r->digits);
	long scale = r->exponent - (long)n + 1;

	if (r->zero) {
		mpq_set_ui(value, 0, 1);
		return;
	}
	fg_z_set_digits(mpq_numref(value), r->digits, n);
	if (scale >= 0) {
		/* a whole number: nothing to reduce */
		fg_z_mul_pow10(mpq_numref(value), (unsigned long)scale);
		mpz_set_ui(mpq_denref(value), 1);
	} else {
		mpz_ui_pow_ui(mpq_denref(value), 10, (unsigned long)-scale);
		mpq_canonicalize(value);
	}
	if (r->negative)
		mpq_neg(value, value);
}

/* x rounded to k digits (k == 2: as fg_format_sci does). */
static void round_to(rounded *out, mpq_t value, const mpq_t x, int k)
{
	if (k <= 2) {
		round_two(out, value, x);
	} else {
		round_exact(out, x, k);
	}
	rounded_value(value, out);
}

/* Drops trailing zeros beyond the second digit: 1.0000 is written 1.0. */
static void trim(rounded *r)
{
	size_t n = strlen(r->digits);

	while (n > 2 && r->digits[n - 1] == '0')
		r->digits[--n] = 0;
}

/* Text appended as snprintf would append it: what fits is written, the
 * NUL always, and used counts every byte asked for. */
typedef struct text_out {
	char *buf;
	size_t size, used;
} text_out;

static void put_n(text_out *t, const char *s, size_t n)
{
	size_t room;

	if (t->used < t->size) {
		room = t->size - t->used - 1;
		memcpy(t->buf + t->used, s, n < room ? n : room);
		t->buf[t->used + (n < room ? n : room)] = 0;
	}
	t->used += n;
}

static void put_s(text_out *t, const char *s)
{
	put_n(t, s, strlen(s));
}

static void put_c(text_out *t, char c)
{
	put_n(t, &c, 1);
}

static void put_long(text_out *t, long v)
{
	char digits[24], *q = digits + sizeof(digits);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	put_n(t, q, (size_t)(digits + sizeof(digits) - q));
}

/* The number alone: "3.8 × 10^25", "3.8" (exponent 0), or for plain
 * units a decimal: "0.33", "30", "1500". */
static void number_text(char *buf, size_t size, const rounded *r,
			fg_unit unit)
{
	const char *d = r->digits;
	size_t n = strlen(d);
	long e = r->exponent, i;
	int plain = (unit == FG_UNIT_FRACTION || unit == FG_UNIT_PERCENT) &&
		    e >= -4 && e < 6;
	text_out t = {buf, size, 0};

	if (!size)
		return;
	buf[0] = 0;
	if (r->zero) {
		put_c(&t, '0');
		return;
	}
	if (r->negative)
		put_c(&t, '-');
	if (!plain) {
		put_c(&t, d[0]);
		if (n > 1) {
			put_c(&t, '.');
			put_s(&t, d + 1);
		}
		if (e != 0) {
			put_s(&t, " \xC3\x97 10^"); /* × */
			put_long(&t, e);
		}
		return;
	}
	if (e < 0) {
		put_s(&t, "0.");
		for (i = 0; i < -e - 1; i++)
			put_c(&t, '0');
		put_s(&t, d);
		return;
	}
	for (i = 0; i < (long)n || i <= e; i++) {
		if (i == e + 1)
			put_c(&t, '.');
		put_c(&t, i < (long)n ? d[i] : '0');
	}
}

/* The number with its unit: "3.8 × 10^25 FLOP", "$1.2 × 10^8". */
static void with_unit(char *buf, size_t size, const char *number,
		      fg_unit unit)
{
	text_out t = {buf, size, 0};

	if (!size)
		return;
	buf[0] = 0;
	if (unit == FG_UNIT_USD) {
		if (number[0] == '-') {
			put_s(&t, "-$");
			number++;
		} else {
			put_c(&t, '$');
		}
	}
	put_s(&t, number);
	put_s(&t, unit == FG_UNIT_FLOP ? " FLOP"
		  : unit == FG_UNIT_OP_PER_S ? " op/s"
		  : unit == FG_UNIT_PERCENT ? " %" : "");
}

/* A fraction is of something: said once, after the line. */
static const char *fraction_of(fg_unit unit)
{
	return unit == FG_UNIT_FRACTION ? " of the base model's compute" : "";
}

static void rounded_text(char *buf, size_t size, const rounded *r,
			 fg_unit unit)
{
	char number[MAX_DIGITS + 48];

	number_text(number, sizeof(number), r, unit);
	with_unit(buf, size, number, unit);
}

/* The exact figure as a reduced fraction with its unit:
 * "10000000000000000000000000/3 FLOP". */
static void fraction_text(char *buf, size_t size, const mpq_t x,
			  fg_unit unit)
{
	void (*gmp_free)(void *, size_t);
	char *s = mpq_get_str(NULL, 10, x);

	with_unit(buf, size, s ? s : "?", unit);
	if (s) {
		mp_get_memory_functions(NULL, NULL, &gmp_free);
		gmp_free(s, strlen(s) + 1);
	}
}

char *fg_q_figure(char *buf, size_t size, const mpq_t x, fg_unit unit)
{
	rounded r;
	mpq_t v;

	if (!size)
		return buf;
	mpq_init(v);
	round_to(&r, v, x, 2);
	rounded_text(buf, size, &r, unit);
	if (unit == FG_UNIT_FRACTION && strlen(buf) + 1 < size)
		fg_format(buf + strlen(buf), size - strlen(buf), "%s",
			 fraction_of(unit));
	mpq_clear(v);
	return buf;
}

char *fg_figure_format(char *buf, size_t size, const fg_exact *x,
		       fg_unit unit)
{
	if (!size)
		return buf;
	buf[0] = 0;
	return x ? fg_q_figure(buf, size, x->q, unit) : buf;
}

char *fg_figure_double(char *buf, size_t size, double x, fg_unit unit)
{
	mpq_t q;

	if (!size)
		return buf;
	buf[0] = 0;
	if (!isfinite(x)) {
		fg_format(buf, size, "%s", isnan(x) ? "not a number" :
			 x < 0 ? "-infinity" : "infinity");
		return buf;
	}
	mpq_init(q);
	mpq_set_d(q, x);
	fg_q_figure(buf, size, q, unit);
	mpq_clear(q);
	return buf;
}

/* The fewest significant digits (2 at least, at most max) at which x is
 * written exactly, 0 when max digits are not enough (1/3). */
static int exact_digits(const mpq_t x, mpq_t scratch, int max)
{
	rounded r;
	int k;

	for (k = 2; k <= max && k <= MAX_DIGITS; k++) {
		round_to(&r, scratch, x, k);
		if (mpq_equal(scratch, x))
			return k;
	}
	return 0;
}

/* r = x with k digits, or with the few more that write it exactly;
 * trailing zeros beyond the second digit dropped. */
static void shown_exact(rounded *r, mpq_t scratch, const mpq_t x, int k)
{
	int exact = exact_digits(x, scratch, k + 3);

	if (exact > k)
		round_to(r, scratch, x, exact);
	trim(r);
}

static const char *relation_symbol(int c)
{
	return c < 0 ? "<" : c > 0 ? ">" : "=";
}


char *fg_q_relation(char *buf, size_t size, const mpq_t value,
		    const mpq_t line, fg_unit unit, int *relation)
{
	char a[FG_FIGURE_SIZE + MAX_DIGITS], b[FG_FIGURE_SIZE + MAX_DIGITS];
	char exact[FG_RELATION_SIZE];
	rounded ra, rb;
	mpq_t va, vb;
	int c = mpq_cmp(value, line), k, found = 0;

	c = (c > 0) - (c < 0);
	if (relation)
		*relation = c;
	if (!size)
		return buf;
	mpq_inits(va, vb, NULL);
	if (c == 0) {
		/* Equal figures print alike: exactly when that can be done,
		 * else rounded with the exact fraction after them. */
		k = exact_digits(value, va, MAX_DIGITS);
		round_to(&ra, va, value, k ? k : 2);
		if (k > 2)
			trim(&ra);
		rounded_text(a, sizeof(a), &ra, unit);
		if (k) {
			fg_format(buf, size, "%s = %s%s", a, a,
				 fraction_of(unit));
		} else {
			fraction_text(exact, sizeof(exact), value, unit);
			fg_format(buf, size, "%s = %s%s (both exactly %s)", a, a,
				 fraction_of(unit), exact);
		}
		goto done;
	}
	/* The fewest digits at which the printed figures themselves stand
	 * in the relation that holds between the figures. */
	for (k = 2; k <= MAX_DIGITS; k++) {
		round_to(&ra, va, value, k);
		round_to(&rb, vb, line, k);
		if ((found = mpq_cmp(va, vb) * c > 0))
			break;
	}
	if (found) {
		/* A figure that a few more digits write exactly is written
		 * exactly (1.00000368 × 10^20, not 1.000004 × 10^20): still
		 * true, as rounding is monotone (a figure at or past the
		 * other's rounding would round at or past it too). */
		if (k > 2) {
			shown_exact(&ra, va, value, k);
			shown_exact(&rb, vb, line, k);
		}
		rounded_text(a, sizeof(a), &ra, unit);
		rounded_text(b, sizeof(b), &rb, unit);
	} else {
		fraction_text(a, sizeof(a), value, unit);
		fraction_text(b, sizeof(b), line, unit);
	}
	fg_format(buf, size, "%s %s %s%s", a, relation_symbol(c), b,
		 fraction_of(unit));
done:
	mpq_clears(va, vb, NULL);
	return buf;
}

char *fg_figure_relation(char *buf, size_t size, const fg_exact *value,
			 const fg_exact *line, fg_unit unit, int *relation)
{
	if (relation)
		*relation = 0;
	if (!size)
		return buf;
	buf[0] = 0;
	if (!value || !line)
		return buf;
	return fg_q_relation(buf, size, value->q, line->q, unit, relation);
}
