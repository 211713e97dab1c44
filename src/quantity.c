/* flopgate — quantities, dates and formatting
 * (see include/flopgate/quantity.h). */
#include "flopgate/quantity.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* reference/compute.md §6: 1 PF-day = 10^15 FLOP/s x 86,400 s. */
#define PF_DAY 8.64e19

typedef struct unit {
	const char *name;
	fg_qty_kind kind;
	double factor;
} unit;

/* Units compared case-sensitively where case carries meaning (M vs m);
 * the SI prefixes are expanded below for FLOP and FLOP/s. */
static const unit units[] = {
	{"FLOP", FG_QTY_FLOP, 1}, {"FLOPs", FG_QTY_FLOP, 1},
	{"flop", FG_QTY_FLOP, 1}, {"OP", FG_QTY_FLOP, 1},
	{"ops", FG_QTY_FLOP, 1}, {"operations", FG_QTY_FLOP, 1},
	{"PF-days", FG_QTY_FLOP, PF_DAY}, {"PF-day", FG_QTY_FLOP, PF_DAY},
	{"pfs-days", FG_QTY_FLOP, PF_DAY}, {"pfs-day", FG_QTY_FLOP, PF_DAY},
	{"petaflop/s-days", FG_QTY_FLOP, PF_DAY},
	{"petaflop/s-day", FG_QTY_FLOP, PF_DAY},
	{"FLOP/s", FG_QTY_FLOP_RATE, 1}, {"OP/s", FG_QTY_FLOP_RATE, 1},
	{"s", FG_QTY_DURATION, 1}, {"sec", FG_QTY_DURATION, 1},
	{"second", FG_QTY_DURATION, 1}, {"seconds", FG_QTY_DURATION, 1},
	{"min", FG_QTY_DURATION, 60}, {"minute", FG_QTY_DURATION, 60},
	{"minutes", FG_QTY_DURATION, 60},
	{"h", FG_QTY_DURATION, 3600}, {"hr", FG_QTY_DURATION, 3600},
	{"hour", FG_QTY_DURATION, 3600}, {"hours", FG_QTY_DURATION, 3600},
	{"d", FG_QTY_DURATION, 86400}, {"day", FG_QTY_DURATION, 86400},
	{"days", FG_QTY_DURATION, 86400},
	{"w", FG_QTY_DURATION, 604800}, {"week", FG_QTY_DURATION, 604800},
	{"weeks", FG_QTY_DURATION, 604800},
	{"GPU-hours", FG_QTY_CHIP_HOURS, 1}, {"GPU-hour", FG_QTY_CHIP_HOURS, 1},
	{"GPU-h", FG_QTY_CHIP_HOURS, 1}, {"chip-hours", FG_QTY_CHIP_HOURS, 1},
	{"chip-hour", FG_QTY_CHIP_HOURS, 1}, {"TPU-hours", FG_QTY_CHIP_HOURS, 1},
	{"accelerator-hours", FG_QTY_CHIP_HOURS, 1},
	{"USD", FG_QTY_USD, 1},
	{"%", FG_QTY_NUMBER, 0.01},
	{"k", FG_QTY_NUMBER, 1e3}, {"K", FG_QTY_NUMBER, 1e3},
	{"M", FG_QTY_NUMBER, 1e6}, {"B", FG_QTY_NUMBER, 1e9},
	{"T", FG_QTY_NUMBER, 1e12},
	{NULL, 0, 0}
};

static const struct {
	char prefix;
	double factor;
} si[] = {
	{'k', 1e3}, {'K', 1e3}, {'M', 1e6}, {'G', 1e9}, {'T', 1e12},
	{'P', 1e15}, {'E', 1e18}, {'Z', 1e21}, {'Y', 1e24}, {'R', 1e27},
	{'Q', 1e30}, {0, 0}
};

static const char *kind_name(fg_qty_kind kind)
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

/* Finds unit text; 0 on success with *kind and *factor set. */
static int find_unit(const char *text, fg_qty_kind *kind, double *factor)
{
	size_t i;

	for (i = 0; units[i].name; i++) {
		if (!strcmp(units[i].name, text)) {
			*kind = units[i].kind;
			*factor = units[i].factor;
			return 0;
		}
	}
	/* SI-prefixed FLOP and FLOP/s: 38 YFLOP, 989.4 TFLOP/s */
	for (i = 0; si[i].prefix; i++) {
		if (text[0] != si[i].prefix)
			continue;
		if (!strcmp(text + 1, "FLOP") || !strcmp(text + 1, "OP")) {
			*kind = FG_QTY_FLOP;
			*factor = si[i].factor;
			return 0;
		}
		if (!strcmp(text + 1, "FLOP/s") || !strcmp(text + 1, "OP/s")) {
			*kind = FG_QTY_FLOP_RATE;
			*factor = si[i].factor;
			return 0;
		}
	}
	return -1;
}

/* Scans [+]digits[.digits][(e|E)[+-]digits] at *p; 0 and advances on
 * success.  strtod alone would also take "nan", "inf" and hex floats. */
static int scan_decimal(const char **p, double *out, const char **why)
{
	const char *s = *p, *start = s;
	char buf[128];
	int digits = 0;
	double v;
	char *end;

	if (*s == '+')
		s++, start = s;
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
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	     ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
		s += 2;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if ((size_t)(s - start) >= sizeof(buf)) {
		*why = "number too long";
		return -1;
	}
	memcpy(buf, start, (size_t)(s - start));
	buf[s - start] = 0;
	errno = 0;
	v = strtod(buf, &end);
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
		*why = "number too large (overflows a double)";
		return -1;
	}
	if (errno == ERANGE && v == 0 && strspn(buf, "0.+eE-") != strlen(buf)) {
		*why = "number too small (underflows to zero)";
		return -1;
	}
	*out = v;
	*p = s;
	return 0;
}

/* "10^25", "3.3x10^22", "3.3×10^22", "3.3*10^22" after the mantissa
 * (whose text is mant, mant_len).  The value is rebuilt as "3.3e22" and
 * read by strtod, so 3.3x10^22 is the same double as 3.3e22. */
static int scan_power(const char **p, const char *mant, size_t mant_len,
		      double *value, const char **why)
{
	const char *s = *p;
	char buf[160], *end;
	long e;
	int ten_only = 0;

	if (*s == '^') {
		ten_only = 1; /* the mantissa itself was the base: 10^N */
	} else if (*s == 'x' || *s == '*') {
		s++;
	} else if (!strncmp(s, "\xC3\x97", 2)) { /* × */
		s += 2;
	} else {
		return 0;
	}
	while (*s == ' ')
		s++;
	if (!ten_only) {
		if (strncmp(s, "10^", 3))
			return 0;
		s += 2;
	} else if (*value != 10 || memchr(mant, 'e', mant_len) ||
		   memchr(mant, 'E', mant_len)) {
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
	if (errno || e > 400 || e < -400 || mant_len > 100) {
		*why = "exponent out of range";
		return -1;
	}
	if (memchr(mant, 'e', mant_len) || memchr(mant, 'E', mant_len)) {
		*why = "write 3.3x10^22 or 3.3e22, not both";
		return -1;
	}
	if (ten_only)
		snprintf(buf, sizeof(buf), "1e%ld", e);
	else
		snprintf(buf, sizeof(buf), "%.*se%ld", (int)mant_len, mant, e);
	errno = 0;
	*value = strtod(buf, NULL);
	if (errno == ERANGE) {
		*why = *value == 0 ? "number too small (underflows to zero)"
				   : "number too large (overflows a double)";
		return -1;
	}
	*p = end;
	return 0;
}

int fg_quantity_parse(double *out, const char *text, fg_qty_kind kind,
		      const char **why)
{
	const char *s = text, *dummy, *mant;
	char unit_text[64];
	size_t ulen;
	double v, factor = 1;
	fg_qty_kind unit_kind = kind;
	int dollar = 0;

	if (!why)
		why = &dummy;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-') {
		*why = "negative values are not allowed here";
		return FG_EINPUT;
	}
	if (*s == '$') {
		dollar = 1;
		s++;
	}
	if (!strncasecmp(s, "nan", 3) || !strncasecmp(s, ".nan", 4)) {
		*why = "NaN is not a quantity";
		return FG_EINPUT;
	}
	if (!strncasecmp(s, "inf", 3) || !strncasecmp(s, ".inf", 4) ||
	    !strncasecmp(s, "+.inf", 5) || !strncasecmp(s, "+inf", 4)) {
		*why = "infinity is not a quantity";
		return FG_EINPUT;
	}
	mant = s;
	if (scan_decimal(&s, &v, why) ||
	    scan_power(&s, mant, (size_t)(s - mant), &v, why))
		return FG_EINPUT;
	while (*s == ' ')
		s++;
	ulen = strlen(s);
	while (ulen && isspace((unsigned char)s[ulen - 1]))
		ulen--;
	if (ulen >= sizeof(unit_text)) {
		*why = "unknown unit";
		return FG_EINPUT;
	}
	memcpy(unit_text, s, ulen);
	unit_text[ulen] = 0;
	if (dollar && (kind != FG_QTY_USD || ulen)) {
		*why = kind == FG_QTY_USD ? "write $6e7 or 6e7 USD, not both"
					  : "a dollar amount is not allowed "
					    "here";
		return FG_EINPUT;
	}
	if (ulen && find_unit(unit_text, &unit_kind, &factor)) {
		if (!strcmp(unit_text, "FLOPS") || !strcmp(unit_text + 1,
							   "FLOPS"))
			*why = "`FLOPS` is ambiguous: write FLOP for a total "
			       "or FLOP/s for a rate";
		else
			*why = "unknown unit";
		return FG_EINPUT;
	}
	if (!ulen && kind == FG_QTY_DURATION) {
		*why = "a duration needs a unit (54d, 1296h, 3600s)";
		return FG_EINPUT;
	}
	if (unit_kind != kind) {
		static char msg[256];

		/* Only the unit's kind and the wanted kind vary; a static
		 * buffer keeps *why a borrowed string like the others. */
		snprintf(msg, sizeof(msg), "`%s` is %s; %s is needed here",
			 unit_text, kind_name(unit_kind), kind_name(kind));
		*why = msg;
		return FG_EINPUT;
	}
	v *= factor;
	if (!isfinite(v)) {
		*why = "number too large (overflows a double)";
		return FG_EINPUT;
	}
	*out = v;
	return 0;
}

int fg_node_quantity(double *out, const fg_node *node, fg_qty_kind kind,
		     const char *what, fg_error *err)
{
	const char *why = NULL;

	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_node_is_null(node))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s` is empty; expected %s", what,
				     kind_name(kind));
	if (fg_quantity_parse(out, node->value, kind, &why))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s`: %s", what, node->value,
				     why);
	return 0;
}

int fg_node_range(double *low, double *high, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err)
{
	double lo, hi;

	if (node && node->type == FG_NODE_SEQ) {
		if (node->count != 2)
			return fg_node_error(err, FG_EINPUT, node,
					     "`%s`: a range is [low, high], "
					     "two values", what);
		if (fg_node_quantity(&lo, node->items[0], kind, what, err) ||
		    fg_node_quantity(&hi, node->items[1], kind, what, err))
			return FG_EINPUT;
		if (lo > hi)
			return fg_node_error(err, FG_EINPUT, node,
					     "`%s`: range [low, high] has low "
					     "above high", what);
		*low = lo;
		*high = hi;
		return 0;
	}
	if (fg_node_quantity(&lo, node, kind, what, err))
		return FG_EINPUT;
	*low = *high = lo;
	return 0;
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

int fg_node_date(fg_date *out, const fg_node *node, const char *what,
		 fg_error *err)
{
	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_date_parse(out, node->value))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s` is not a date (YYYY-MM-DD)",
				     what, node->value);
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
	snprintf(buf, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
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

int fg_node_timestamp(double *out, const fg_node *node, const char *what,
		      fg_error *err)
{
	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_timestamp_parse(out, node->value))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s` is not a timestamp "
				     "(YYYY-MM-DDTHH:MM:SSZ)", what,
				     node->value);
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
