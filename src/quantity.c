/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — quantities, dates and formatting
 * (see include/flopgate/quantity.h).
 *
 * Quantities are read exactly: the digits as written, the power of ten
 * written with them (e, x10^, ^), the unit's power of ten and integer
 * factor, and a denominator (`1e25/3`) make one rational number
 * (src/exact_int.h); the double handed out is the one nearest to it.  No
 * figure passes through a double on its way in.
 */
#include "flopgate/quantity.h"
#include "exact_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* reference/compute.md §6: 1 PF-day = 10^15 FLOP/s x 86,400 s
 * = 864 x 10^17 FLOP. */
#define PF_DAY_POW10 17
#define PF_DAY 864

/* A unit scales by a power of ten and by a whole factor (PF-days, hours),
 * both exact. */
typedef struct unit {
	const char *name;
	fg_qty_kind kind;
	int pow10;
	unsigned long factor;
} unit;

/* Units compared case-sensitively where case carries meaning (M vs m);
 * the SI prefixes are expanded below for FLOP and FLOP/s. */
static const unit units[] = {
	{"FLOP", FG_QTY_FLOP, 0, 1}, {"FLOPs", FG_QTY_FLOP, 0, 1},
	{"flop", FG_QTY_FLOP, 0, 1}, {"OP", FG_QTY_FLOP, 0, 1},
	{"ops", FG_QTY_FLOP, 0, 1}, {"operations", FG_QTY_FLOP, 0, 1},
	{"PF-days", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"PF-day", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"pfs-days", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"pfs-day", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"petaflop/s-days", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"petaflop/s-day", FG_QTY_FLOP, PF_DAY_POW10, PF_DAY},
	{"FLOP/s", FG_QTY_FLOP_RATE, 0, 1}, {"OP/s", FG_QTY_FLOP_RATE, 0, 1},
	{"s", FG_QTY_DURATION, 0, 1}, {"sec", FG_QTY_DURATION, 0, 1},
	{"second", FG_QTY_DURATION, 0, 1}, {"seconds", FG_QTY_DURATION, 0, 1},
	{"min", FG_QTY_DURATION, 0, 60}, {"minute", FG_QTY_DURATION, 0, 60},
	{"minutes", FG_QTY_DURATION, 0, 60},
	{"h", FG_QTY_DURATION, 0, 3600}, {"hr", FG_QTY_DURATION, 0, 3600},
	{"hour", FG_QTY_DURATION, 0, 3600}, {"hours", FG_QTY_DURATION, 0, 3600},
	{"d", FG_QTY_DURATION, 0, 86400}, {"day", FG_QTY_DURATION, 0, 86400},
	{"days", FG_QTY_DURATION, 0, 86400},
	{"w", FG_QTY_DURATION, 0, 604800}, {"week", FG_QTY_DURATION, 0, 604800},
	{"weeks", FG_QTY_DURATION, 0, 604800},
	{"GPU-hours", FG_QTY_CHIP_HOURS, 0, 1},
	{"GPU-hour", FG_QTY_CHIP_HOURS, 0, 1},
	{"GPU-h", FG_QTY_CHIP_HOURS, 0, 1},
	{"chip-hours", FG_QTY_CHIP_HOURS, 0, 1},
	{"chip-hour", FG_QTY_CHIP_HOURS, 0, 1},
	{"TPU-hours", FG_QTY_CHIP_HOURS, 0, 1},
	{"accelerator-hours", FG_QTY_CHIP_HOURS, 0, 1},
	{"USD", FG_QTY_USD, 0, 1},
	{"%", FG_QTY_NUMBER, -2, 1},
	{"k", FG_QTY_NUMBER, 3, 1}, {"K", FG_QTY_NUMBER, 3, 1},
	{"M", FG_QTY_NUMBER, 6, 1}, {"B", FG_QTY_NUMBER, 9, 1},
	{"T", FG_QTY_NUMBER, 12, 1},
	{NULL, 0, 0, 0}
};

static const struct {
	char prefix;
	int pow10;
} si[] = {
	{'k', 3}, {'K', 3}, {'M', 6}, {'G', 9}, {'T', 12}, {'P', 15},
	{'E', 18}, {'Z', 21}, {'Y', 24}, {'R', 27}, {'Q', 30}, {0, 0}
};

const char *fg_qty_kind_describe(fg_qty_kind kind)
{
	switch (kind) {
	case FG_QTY_FLOP:
		return "a FLOP total (3.8e25, 38 YFLOP, 43500 PF-days)";
	case FG_QTY_FLOP_RATE:
		return "a rate in FLOP/s (989.4 TFLOP/s)";
	case FG_QTY_DURATION:
		return "a duration (54d, 1296h, 3600s)";
	case FG_QTY_CHIP_HOURS:
		return "accelerator time (2.788e6 GPU-hours)";
	case FG_QTY_USD:
		return "an amount in US dollars (6.0e7, $6.0e7)";
	default:
		return "a plain number";
	}
}

/* Finds unit text; 0 on success with *out set. */
static int find_unit(const char *text, unit *out)
{
	size_t i;

	for (i = 0; units[i].name; i++) {
		if (!strcmp(units[i].name, text)) {
			*out = units[i];
			return 0;
		}
	}
	/* SI-prefixed FLOP and FLOP/s: 38 YFLOP, 989.4 TFLOP/s */
	for (i = 0; si[i].prefix; i++) {
		if (text[0] != si[i].prefix)
			continue;
		out->name = text;
		out->pow10 = si[i].pow10;
		out->factor = 1;
		if (!strcmp(text + 1, "FLOP") || !strcmp(text + 1, "OP")) {
			out->kind = FG_QTY_FLOP;
			return 0;
		}
		if (!strcmp(text + 1, "FLOP/s") || !strcmp(text + 1, "OP/s")) {
			out->kind = FG_QTY_FLOP_RATE;
			return 0;
		}
	}
	return -1;
}

/* A number as written: its digits and the power of ten applied to them. */
typedef struct decimal {
	const char *digits;   /* [+]digits[.digits], not NUL-terminated */
	size_t length;
	long exponent;
	int has_exponent;     /* written with e/E */
} decimal;

/* Exponents beyond this are out of any double's range either way; the
 * clamp keeps the arithmetic below from overflowing. */
#define EXPONENT_CLAMP 100000L

/* Scans [+]digits[.digits][(e|E)[+-]digits] at *p; 0 and advances on
 * success.  strtod alone would also take "nan", "inf" and hex floats. */
static int scan_decimal(const char **p, decimal *d, const char **why)
{
	const char *s = *p;
	int digits = 0;

	if (*s == '+')
		s++;
	d->digits = s;
	while (isdigit((unsigned char)*s))
		s++, digits++;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++, digits++;
	}
	if (!digits) {
		*why = "not a number";
		return -1;
	}
	d->length = (size_t)(s - d->digits);
	if (d->length > 100) {
		*why = "number too long";
		return -1;
	}
	d->exponent = 0;
	d->has_exponent = 0;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	     ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
		char *end;

		errno = 0;
		d->exponent = strtol(s + 1, &end, 10);
		s = end;
		if (errno || d->exponent > EXPONENT_CLAMP ||
		    d->exponent < -EXPONENT_CLAMP)
			d->exponent = d->exponent < 0 ? -EXPONENT_CLAMP
						      : EXPONENT_CLAMP;
		d->has_exponent = 1;
	}
	*p = s;
	return 0;
}

/* Figures beyond these decimal magnitudes are outside a double's range
 * (about 10^-324 to 1.8 x 10^308) and refused before any big number is
 * built from them. */
#define MAGNITUDE_MAX 309
#define MAGNITUDE_MIN (-324)

/* q = d x 10^shift exactly.  Refuses, with *why, a nonzero value whose
 * magnitude no double can hold. */
static int decimal_q(mpq_t q, const decimal *d, long shift, const char **why)
{
	char buf[128];
	size_t i, n = 0, fraction = 0, lead = 0;
	int point = 0;
	long e;

	for (i = 0; i < d->length; i++) {
		if (d->digits[i] == '.') {
			point = 1;
			continue;
		}
		if (n == 0 && d->digits[i] == '0')
			lead++; /* leading zeros carry no magnitude */
		else
			buf[n++] = d->digits[i];
		fraction += point;
	}
	if (n == 0) {
		mpq_set_ui(q, 0, 1);
		return 0;
	}
	buf[n] = 0;
	e = d->exponent + shift - (long)fraction;
	/* the value lies in [10^(n-1+e), 10^(n+e)) */
	if ((long)n + e > MAGNITUDE_MAX) {
		*why = "number too large (overflows a double)";
		return -1;
	}
	if ((long)n + e < MAGNITUDE_MIN) {
		*why = "number too small (underflows to zero)";
		return -1;
	}
	fg_z_set_digits(mpq_numref(q), buf, n);
	if (e >= 0) {
		fg_z_mul_pow10(mpq_numref(q), (unsigned long)e);
		mpz_set_ui(mpq_denref(q), 1);
		return 0;
	}
	mpz_ui_pow_ui(mpq_denref(q), 10, (unsigned long)-e);
	mpq_canonicalize(q);
	return 0;
}

/* "10^25", "3.3x10^22", "3.3×10^22", "3.3*10^22" and, as fg_format_sci
 * writes them, "3.3 × 10^22", after the mantissa d: the power becomes d's
 * exponent, so 3.3x10^22 is the same double as 3.3e22.  Leaves *p alone
 * when no power follows. */
static int scan_power(const char **p, decimal *d, const char **why)
{
	const char *s = *p;
	char *end;
	long e;
	int ten_only = 0;

	if (*s == '^') {
		ten_only = 1; /* the mantissa itself was the base: 10^N */
	} else {
		while (*s == ' ')
			s++;
		if (*s == 'x' || *s == '*')
			s++;
		else if (!strncmp(s, "\xC3\x97", 2)) /* × */
			s += 2;
		else
			return 0;
		while (*s == ' ')
			s++;
		if (strncmp(s, "10^", 3))
			return 0;
		s += 2;
	}
	if (ten_only && (d->has_exponent || strtod(d->digits, NULL) != 10)) {
		*why = "only powers of ten may be written with ^ (10^25)";
		return -1;
	}
	s++; /* '^' */
	if (!(isdigit((unsigned char)*s) ||
	      ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1])))) {
		*why = "expected an exponent after ^";
		return -1;
	}
	errno = 0;
	e = strtol(s, &end, 10);
	if (errno || e > 400 || e < -400) {
		*why = "exponent out of range";
		return -1;
	}
	if (d->has_exponent) {
		*why = "write 3.3x10^22 or 3.3e22, not both";
		return -1;
	}
	/* 10^N is "10" x 10^(N-1): the digits stay as written */
	d->exponent = ten_only ? e - 1 : e;
	d->has_exponent = 1;
	*p = end;
	return 0;
}

/* "FLOPS", "TFLOPS", "petaflops": a rate to some, a total to others. */
static int ambiguous_flops(const char *unit)
{
	size_t n = strlen(unit);

	return n >= 5 && !strcasecmp(unit + n - 5, "flops");
}

/* "/3", "/ 3", "/1.5e2" after the numerator: the denominator, a plain
 * decimal above zero, into den.  Leaves *p and den alone when no '/'
 * follows. */
static int scan_denominator(const char **p, mpq_t den, const char **why)
{
	const char *s = *p;
	decimal d;

	while (*s == ' ')
		s++;
	if (*s != '/')
		return 0;
	s++;
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s) && *s != '.') {
		*why = "expected a number after `/` (1e25/3)";
		return -1;
	}
	if (scan_decimal(&s, &d, why) || decimal_q(den, &d, 0, why))
		return -1;
	if (mpq_sgn(den) == 0) {
		*why = "division by zero";
		return -1;
	}
	*p = s;
	return 0;
}

/* The unit text at s (surrounding blanks trimmed) into u; 0, or -1 with
 * *why set. */
static int read_unit(unit *u, char *text, size_t size, const char *s,
		     const char **why)
{
	size_t ulen;

	while (*s == ' ')
		s++;
	ulen = strlen(s);
	while (ulen && isspace((unsigned char)s[ulen - 1]))
		ulen--;
	if (ulen >= size) {
		*why = "unknown unit";
		return -1;
	}
	memcpy(text, s, ulen);
	text[ulen] = 0;
	if (ulen && find_unit(text, u)) {
		*why = ambiguous_flops(text)
		       ? "`FLOPS` is ambiguous: write FLOP for a total or "
			 "FLOP/s for a rate"
		       : "unknown unit";
		return -1;
	}
	return 0;
}

/* Refuses what is not a quantity of `kind` (the unit u as written, a
 * dollar sign); may turn u into a dollar amount.  0, or -1 with *why. */
static int check_kind(unit *u, const char *unit_text, int dollar,
		      fg_qty_kind kind, const char **why)
{
	if (dollar) {
		if (kind != FG_QTY_USD) {
			*why = "a dollar amount is not allowed here";
			return -1;
		}
		if (u->kind == FG_QTY_USD && *unit_text) {
			*why = "write $6e7 or 6e7 USD, not both";
			return -1;
		}
		/* $60M: a multiplier, not a unit of its own */
		if (*unit_text && (u->kind != FG_QTY_NUMBER || u->pow10 <= 0)) {
			*why = "unknown unit after a dollar amount";
			return -1;
		}
		u->kind = FG_QTY_USD;
	}
	if (!*unit_text && kind == FG_QTY_DURATION) {
		*why = "a duration needs a unit (54d, 1296h, 3600s)";
		return -1;
	}
	if (u->kind != kind) {
		static _Thread_local char msg[256];

		/* Only the unit and the two kinds vary; a thread's own
		 * buffer keeps *why a borrowed string like the others. */
		snprintf(msg, sizeof(msg), "`%s` is %s; %s is needed here",
			 unit_text, fg_qty_kind_describe(u->kind),
			 fg_qty_kind_describe(kind));
		*why = msg;
		return -1;
	}
	return 0;
}

/* Refuses NaN, infinities and negatives before the number is scanned. */
static int not_a_quantity(const char *s, const char **why)
{
	if (*s == '-') {
		*why = "negative values are not allowed here";
		return -1;
	}
	if (*s >= '0' && *s <= '9')
		return 0;       /* most figures: no word to look for */
	if (!strncasecmp(s, "nan", 3) || !strncasecmp(s, ".nan", 4) ||
	    !strncasecmp(s, "+.nan", 5) || !strncasecmp(s, "+nan", 4)) {
		*why = "NaN is not a quantity";
		return -1;
	}
	if (!strncasecmp(s, "inf", 3) || !strncasecmp(s, ".inf", 4) ||
	    !strncasecmp(s, "+.inf", 5) || !strncasecmp(s, "+inf", 4)) {
		*why = "infinity is not a quantity";
		return -1;
	}
	return 0;
}

int fg_q_parse(mpq_t out, double *nearest, const char *text,
	       fg_qty_kind kind, const char **why)
{
	const char *s = text, *dummy;
	char unit_text[64];
	decimal d;
	unit u = {NULL, kind, 0, 1};
	int dollar = 0, rc = FG_EINPUT;
	double v;
	mpq_t q, den;

	if (!why)
		why = &dummy;
	if (!text) {
		*why = "not a number";
		return FG_EINPUT;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '$') {
		dollar = 1;
		s++;
	}
	if (not_a_quantity(s, why) || scan_decimal(&s, &d, why) ||
	    scan_power(&s, &d, why))
		return FG_EINPUT;
	if ((*s == 'x' || *s == 'X') && d.length == 1 && d.digits[0] == '0' &&
	    !d.has_exponent) {
		*why = "hexadecimal numbers are not allowed; write 3.8e25";
		return FG_EINPUT;
	}
	mpq_inits(q, den, NULL);
	mpq_set_ui(den, 1, 1);
	if (scan_denominator(&s, den, why) ||
	    read_unit(&u, unit_text, sizeof(unit_text), s, why) ||
	    check_kind(&u, unit_text, dollar, kind, why) ||
	    decimal_q(q, &d, u.pow10, why))
		goto done;
	/* most figures have no denominator: no division, no gcd */
	if (mpz_cmp_ui(mpq_numref(den), 1) || mpz_cmp_ui(mpq_denref(den), 1))
		mpq_div(q, q, den);
	if (u.factor != 1) {
		mpz_mul_ui(mpq_numref(q), mpq_numref(q), u.factor);
		mpq_canonicalize(q);
	}
	/* A fraction or a unit can still carry a figure out of a double's
	 * range; what a double cannot show is refused here too. */
	v = fg_q_double(q);
	if (!isfinite(v)) {
		*why = "number too large (overflows a double)";
		goto done;
	}
	if (v == 0 && mpq_sgn(q) != 0) {
		*why = "number too small (underflows to zero)";
		goto done;
	}
	mpq_swap(out, q);
	if (nearest)
		*nearest = v;
	rc = 0;
done:
	mpq_clears(q, den, NULL);
	return rc;
}

int fg_quantity_parse(double *out, const char *text, fg_qty_kind kind,
		      const char **why)
{
	mpq_t q;
	int rc;

	mpq_init(q);
	rc = fg_q_parse(q, out, text, kind, why);
	mpq_clear(q);
	return rc;
}

/* ---- dates ------------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian: count whole 400-year
 * eras from a March-based year so that leap days fall at year end. */
fg_date fg_date_from_civil(int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (month + 9) % 12;
	int doy = (153 * mp + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (fg_date)(era * 146097 + doe - 719468);
}

static void civil_from_days(fg_date z, int *year, int *month, int *day)
{
	int d = z + 719468;
	int era = (d >= 0 ? d : d - 146096) / 146097;
	int doe = d - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Parses YYYY-MM-DD at s; returns the number of bytes used, or 0. */
static size_t scan_date(const char *s, fg_date *out)
{
	int y, m, d, i;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return 0;
	*out = fg_date_from_civil(y, m, d);
	return 10;
}

int fg_date_parse(fg_date *out, const char *text)
{
	fg_date d;

	if (!text || scan_date(text, &d) != 10 || text[10])
		return FG_EINPUT;
	*out = d;
	return 0;
}

char *fg_date_format(fg_date date, char buf[16])
{
	int y, m, d;

	if (date == FG_DATE_NONE) {
		snprintf(buf, 16, "none");
		return buf;
	}
	civil_from_days(date, &y, &m, &d);
	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
		snprintf(buf, 16, "%04d-%02d-%02d", y % 10000, m % 100,
			 d % 100);
		return buf;
	}
	/* what the snprintf above writes, digit by digit: a document
	 * writes a few dates for every finding */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = 0;
	return buf;
}

fg_date fg_date_today(void)
{
	return fg_date_of_timestamp((double)time(NULL));
}

fg_date fg_date_of_timestamp(double seconds)
{
	return (fg_date)floor(seconds / 86400.0);
}

static int two_digits(const char *s, int max, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out > max ? -1 : 0;
}

int fg_timestamp_parse(double *out, const char *text)
{
	fg_date d;
	int hh = 0, mm = 0, ss = 0, oh = 0, om = 0, sign = 1;
	const char *s = text;

	if (!s || scan_date(s, &d) != 10)
		return FG_EINPUT;
	s += 10;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (two_digits(s, 23, &hh) || s[2] != ':' ||
		    two_digits(s + 3, 59, &mm))
			return FG_EINPUT;
		s += 5;
		if (*s == ':') {
			if (two_digits(s + 1, 60, &ss))
				return FG_EINPUT;
			s += 3;
			if (*s == '.') /* fractions of a second: ignored */
				while (isdigit((unsigned char)*++s))
					;
		}
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s == '-' ? -1 : 1;
			if (two_digits(s + 1, 23, &oh) || s[3] != ':' ||
			    two_digits(s + 4, 59, &om))
				return FG_EINPUT;
			s += 6;
		}
	}
	if (*s)
		return FG_EINPUT;
	*out = (double)d * 86400.0 + hh * 3600.0 + mm * 60.0 + ss -
	       sign * (oh * 3600.0 + om * 60.0);
	return 0;
}

/* ---- formatting ------------------------------------------------------- */

static char *format_sci(double value, char *buf, size_t size,
			const char *times)
{
	char tmp[64], *e;
	long exponent;

	if (value == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	if (!isfinite(value)) {
		snprintf(buf, size, "%s", isnan(value) ? "NaN" : "infinity");
		return buf;
	}
	/* %.1e rounds to two significant figures and renormalizes 9.96 to
	 * 1.0e+N+1, which hand-rolled log10 arithmetic gets wrong. */
	snprintf(tmp, sizeof(tmp), "%.1e", value);
	e = strchr(tmp, 'e');
	if (!e) {
		snprintf(buf, size, "%s", tmp);
		return buf;
	}
	*e = 0;
	exponent = strtol(e + 1, NULL, 10);
	if (exponent == 0)
		snprintf(buf, size, "%s", tmp);
	else
		snprintf(buf, size, "%s %s 10^%ld", tmp, times, exponent);
	return buf;
}

char *fg_format_sci(double value, char *buf, size_t size)
{
	return format_sci(value, buf, size, "\xC3\x97");
}

char *fg_format_sci_ascii(double value, char *buf, size_t size)
{
	return format_sci(value, buf, size, "x");
}

char *fg_format_exact(double value, char *buf, size_t size)
{
	snprintf(buf, size, "%.17g", value);
	return buf;
}

char *fg_format_duration(double seconds, char *buf, size_t size)
{
	if (seconds >= 2 * 86400.0)
		snprintf(buf, size, "%.3g days", seconds / 86400.0);
	else if (seconds >= 2 * 3600.0)
		snprintf(buf, size, "%.3g hours", seconds / 3600.0);
	else
		snprintf(buf, size, "%.3g seconds", seconds);
	return buf;
}
