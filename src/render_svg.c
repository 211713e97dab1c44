/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — a run's compute against the legal lines, as SVG (see
 * render_svg.h for what the charts promise).
 *
 * Each chart is built in three steps, so that a bad figure or a failed
 * allocation leaves the stream untouched: check the input, lay it out
 * (every text made and measured, every position computed), then write.
 *
 * Geometry is in tenths of a pixel, held in longs and printed from them
 * ("123.4"): no floating-point formatting reaches the file but the
 * %.17g of data- attributes and the two significant figures of values,
 * both the project's formatters.  The one floating-point step, log10,
 * is rounded to a tenth of a pixel before it is used.
 *
 * Text widths are estimated (CHAR_W a character): the chart grows to fit
 * its longest text rather than cut a legal citation short.
 */
#include "render_svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"

#define EM_DASH "\xE2\x80\x94"
#define EN_DASH "\xE2\x80\x93"
#define REPLACEMENT "\xEF\xBF\xBD"

/* ---- layout, in tenths of a pixel -------------------------------------- */

#define PX(n) ((long)(n) * 10)
#define MARGIN PX(16)
#define TITLE_H PX(56)         /* title and subtitle, above the plot */
#define LABEL_MIN PX(72)       /* the left column of row labels */
#define PLOT_W PX(480)
#define GAP PX(16)             /* between the plot and its texts */
#define TRACK_H PX(22)         /* one line in a row */
#define BAND_PAD PX(6)
#define RANGE_ROW_H PX(36)     /* the run's range, on top */
#define RUN_ROW_H PX(32)       /* a run in the summary */
#define AXIS_H PX(50)
#define LEGEND_ROW_H PX(20)
#define CHAR_W PX(7)           /* a 12 px sans-serif character, roomy */

/* ---- outcomes ------------------------------------------------------------ */

static const struct style {
	const char *name;   /* class and data-outcome */
	const char *word;   /* for people */
	const char *colour; /* repeats the marker and the word, never alone */
	const char *width;  /* of the line's tick */
	const char *dash;   /* NULL: solid */
	int rank;           /* most pressing first */
} styles[] = {
	[FG_SVG_NONE] = {"none", "", "#444444", "1.5", NULL, 6},
	[FG_SVG_TRIGGERED] = {"triggered", "triggered", "#b2182b", "2.5",
			      NULL, 0},
	[FG_SVG_NEAR] = {"near", "near", "#b35806", "2", "6 3", 1},
	[FG_SVG_CLEAR] = {"clear", "clear", "#1a7837", "1.5", NULL, 4},
	[FG_SVG_WAIVED] = {"waived", "waived", "#5e3c99", "1.5", "2 2", 3},
	[FG_SVG_INDETERMINATE] = {"indeterminate", "indeterminate",
				  "#555555", "1.5", "1 3", 2},
	[FG_SVG_NOT_APPLICABLE] = {"not-applicable", "not applicable",
				   "#888888", "1", "1 3", 5},
};
#define OUTCOMES (sizeof(styles) / sizeof(styles[0]))

fg_svg_outcome fg_svg_outcome_parse(const char *name)
{
	static const char *const names[] = {
		NULL, "triggered", "near", "clear", "waived", "indeterminate",
		"not_applicable"
	};
	size_t i;

	for (i = 1; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (fg_svg_outcome)i;
	return FG_SVG_NONE;
}

static const char *op_symbol(const char *op)
{
	static const char *const table[][2] = {
		{">", ">"}, {">=", "\xE2\x89\xA5"}, {"<", "<"},
		{"<=", "\xE2\x89\xA4"}, {"==", "="},
	};
	size_t i;

	for (i = 0; op && i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(op, table[i][0]))
			return table[i][1];
	return NULL;
}

/* ---- growing strings ------------------------------------------------------ */

typedef struct sbuf {
	char *s;
	size_t len, cap;
	int nomem;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->nomem)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0,
		      fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->nomem = 1;
		return;
	}
	if (!b->s || b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *grown = realloc(b->s, cap);

		if (!grown) {
			b->nomem = 1;
			return;
		}
		b->s = grown;
		b->cap = cap;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* The string, handed over (the caller frees); NULL when out of memory. */
static char *sb_take(sbuf *b)
{
	char *s;

	if (b->nomem) {
		free(b->s);
		return NULL;
	}
	s = b->s ? b->s : calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* ---- text --------------------------------------------------------------- */

/* Length of the UTF-8 sequence that starts s when it is one XML 1.0 may
 * carry (§2.2), else 0. */
static size_t xml_char(const unsigned char *s)
{
	unsigned long c;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		       s[0] == '\r' ? 1 : 0;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF, U+FFFE and U+FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF || c == 0xFFFE ||
	    c == 0xFFFF)
		return 0;
	return n;
}

/* Character data or an attribute value: markup characters escaped, line
 * breaks and tabs as spaces (every text here is one line), anything XML
 * cannot carry as U+FFFD. */
static void put_text(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t n;

	while (*s) {
		switch (*s) {
		case '&': fputs("&amp;", out); s++; continue;
		case '<': fputs("&lt;", out); s++; continue;
		case '>': fputs("&gt;", out); s++; continue;
		case '"': fputs("&quot;", out); s++; continue;
		case '\'': fputs("&apos;", out); s++; continue;
		case '\n': case '\r': case '\t':
			fputc(' ', out);
			s++;
			continue;
		}
		n = xml_char(s);
		if (!n) {
			fputs(REPLACEMENT, out);
			s++;
			continue;
		}
		fwrite(s, 1, n, out);
		s += n;
	}
}

/* An estimate of text's width: CHAR_W a character (a code point). */
static long text_width(const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	long n = 0;

	for (; *s; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	return n * CHAR_W;
}

/* A coordinate: tenths of a pixel as "123.4". */
static void put_num(FILE *out, long tenths)
{
	if (tenths < 0) {
		fputc('-', out);
		tenths = -tenths;
	}
	fprintf(out, "%ld.%ld", tenths / 10, tenths % 10);
}

/* Prints fmt, where "%n" takes a coordinate (long, tenths), "%s" a
 * string copied as is (markup of our own), "%t" a string escaped, "%g"
 * a double in %.17g and "%%" a percent sign. */
static void put(FILE *out, const char *fmt, ...)
{
	va_list ap;
	char buf[64];

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			fputc(*fmt, out);
			continue;
		}
		switch (*++fmt) {
		case 'n': put_num(out, va_arg(ap, long)); break;
		case 's': fputs(va_arg(ap, const char *), out); break;
		case 't': put_text(out, va_arg(ap, const char *)); break;
		case 'g':
			put_text(out, fg_format_exact(va_arg(ap, double), buf,
						      sizeof(buf)));
			break;
		case '%': fputc('%', out); break;
		default: fmt--; fputc('%', out); break;
		}
	}
	va_end(ap);
}

/* "3.8 × 10^25 FLOP" */
static const char *flop(char *buf, size_t size, double value)
{
	char num[64];

	snprintf(buf, size, "%s FLOP", fg_format_sci(value, num, sizeof(num)));
	return buf;
}

/* ---- checking the input ------------------------------------------------- */

static int bad_figure(double v)
{
	return !isfinite(v) || !(v > 0);
}

static int check_range(const fg_svg_range *r, const char *whose,
		       fg_error *err)
{
	if (!r)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %s has no range", whose);
	if (bad_figure(r->low) || bad_figure(r->central) ||
	    bad_figure(r->high))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %s's range is not three finite "
				    "figures above 0 (%.17g, %.17g, %.17g)",
				    whose, r->low, r->central, r->high);
	if (r->low > r->central || r->central > r->high)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %s's range is out of order: low "
				    "%.17g, central %.17g, high %.17g", whose,
				    r->low, r->central, r->high);
	if (!isfinite(r->bound) || r->bound < 0)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %s's physical bound %.17g is not "
				    "a finite figure of 0 or more", whose,
				    r->bound);
	return 0;
}

static int check_lines(const fg_svg_line *lines, size_t count,
		       fg_error *err)
{
	size_t i;

	if (count && !lines)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %zu lines and no array", count);
	for (i = 0; i < count; i++) {
		if (bad_figure(lines[i].value))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "chart: line %zu is at %.17g, not "
					    "a finite figure above 0", i,
					    lines[i].value);
		if (!op_symbol(lines[i].op))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "chart: line %zu has no known "
					    "operator", i);
		if ((unsigned)lines[i].outcome >= OUTCOMES)
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "chart: line %zu has no known "
					    "outcome", i);
	}
	return 0;
}

/* ---- the scale ------------------------------------------------------------ */

typedef struct scale {
	int lo, hi;            /* decades at the ends of the axis */
	long x0, x1;           /* the plot's left and right edges */
} scale;

static void scale_add(double *min, double *max, double v)
{
	if (v > 0 && (*min == 0 || v < *min))
		*min = v;
	if (v > *max)
		*max = v;
}

/* Whole decades around [min, max], a little room at either end, two
 * decades at least (a single figure still reads against its neighbours). */
static void scale_fit(scale *s, double min, double max)
{
	s->lo = (int)floor(log10(min) - 0.15);
	s->hi = (int)ceil(log10(max) + 0.15);
	while (s->hi - s->lo < 2) {
		s->lo--;
		if (s->hi - s->lo < 2)
			s->hi++;
	}
}

/* x of a value, to a tenth of a pixel; monotone in the value. */
static long scale_x(const scale *s, double v)
{
	double f = (log10(v) - s->lo) / (double)(s->hi - s->lo);

	return s->x0 + lround(f * (double)(s->x1 - s->x0));
}

/* ---- pieces of a chart ---------------------------------------------------- */

static void put_head(FILE *out, long width, long height, const char *title)
{
	put(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		 "width=\"%n\" height=\"%n\" viewBox=\"0 0 %n %n\" "
		 "role=\"img\" aria-labelledby=\"fg-title fg-desc\" "
		 "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" "
		 "font-size=\"12\">\n<title id=\"fg-title\">%t</title>\n",
	    width, height, width, height, title);
}

static void put_defs(FILE *out)
{
	fputs("<defs>\n"
	      "<pattern id=\"fg-hatch\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#444444\" "
	      "stroke-width=\"1.5\"/></pattern>\n"
	      "<pattern id=\"fg-hatch-light\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c8c8c8\" "
	      "stroke-width=\"1.5\"/></pattern>\n"
	      "</defs>\n"
	      "<rect class=\"fg-background\" width=\"100%\" height=\"100%\" "
	      "fill=\"#ffffff\"/>\n", out);
}

/* An outcome's marker centred on (x, y). */
static void put_marker(FILE *out, fg_svg_outcome o, long x, long y)
{
	const char *c = styles[o].colour;

	switch (o) {
	case FG_SVG_TRIGGERED:
	case FG_SVG_NEAR:
		put(out, "<path class=\"fg-marker\" d=\"M%n %nL%n %nL%n %nZ\" "
			 "fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>",
		    x, y - PX(6), x + PX(6), y + PX(5), x - PX(6), y + PX(5),
		    o == FG_SVG_TRIGGERED ? c : "#ffffff", c);
		break;
	case FG_SVG_CLEAR:
		put(out, "<circle class=\"fg-marker\" cx=\"%n\" cy=\"%n\" "
			 "r=\"5\" fill=\"#ffffff\" stroke=\"%s\" "
			 "stroke-width=\"1.5\"/>", x, y, c);
		break;
	case FG_SVG_WAIVED:
		put(out, "<rect class=\"fg-marker\" x=\"%n\" y=\"%n\" "
			 "width=\"9\" height=\"9\" fill=\"#ffffff\" "
			 "stroke=\"%s\" stroke-width=\"1.5\"/>",
		    x - 45, y - 45, c);
		break;
	case FG_SVG_INDETERMINATE:
		put(out, "<g class=\"fg-marker\"><circle cx=\"%n\" cy=\"%n\" "
			 "r=\"6\" fill=\"#ffffff\" stroke=\"%s\" "
			 "stroke-width=\"1\"/><text x=\"%n\" y=\"%n\" "
			 "text-anchor=\"middle\" font-size=\"10\" "
			 "font-weight=\"bold\" fill=\"%s\">?</text></g>",
		    x, y, c, x, y + PX(4), c);
		break;
	case FG_SVG_NOT_APPLICABLE:
		put(out, "<path class=\"fg-marker\" d=\"M%n %nL%n %nM%n %nL%n "
			 "%n\" stroke=\"%s\" stroke-width=\"1.5\"/>",
		    x - PX(4), y - PX(4), x + PX(4), y + PX(4), x - PX(4),
		    y + PX(4), x + PX(4), y - PX(4), c);
		break;
	case FG_SVG_NONE:
		break;
	}
}

/* The central estimate: a filled diamond. */
static void put_central(FILE *out, long x, long y)
{
	put(out, "<path class=\"fg-central\" d=\"M%n %nL%n %nL%n %nL%n %nZ\" "
		 "fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
	    x, y - PX(7), x + PX(7), y, x, y + PX(7), x - PX(7), y);
}

/* The physical bound: a bracket closing to the left, "]". */
static void put_bound(FILE *out, long x, long y, long half)
{
	put(out, "<path class=\"fg-bound\" d=\"M%n %nL%n %nL%n %nL%n %n\" "
		 "fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/>",
	    x - PX(4), y - half, x, y - half, x, y + half, x - PX(4),
	    y + half);
}

static int draws_bound(const fg_svg_range *r)
{
	return r->bound > 0 && r->bound != r->high;
}

static int single_point(const fg_svg_range *r)
{
	return r->low == r->high;
}

/* The range's bar, central diamond and bound, centred on y, in a group
 * carrying the figures. */
static void put_range(FILE *out, const scale *s, const fg_svg_range *r,
		      long y)
{
	long lx = scale_x(s, r->low), hx = scale_x(s, r->high);

	put(out, "<g class=\"fg-range\" data-low=\"%g\" data-central=\"%g\" "
		 "data-high=\"%g\"", r->low, r->central, r->high);
	if (draws_bound(r))
		put(out, " data-bound=\"%g\"", r->bound);
	fputs(">", out);
	if (!single_point(r))
		put(out, "<rect class=\"fg-range-bar\" x=\"%n\" y=\"%n\" "
			 "width=\"%n\" height=\"%n\" fill=\"url(#fg-hatch)\" "
			 "stroke=\"#222222\" stroke-width=\"1\"/>",
		    lx, y - PX(5), hx - lx > 10 ? hx - lx : 10, PX(10));
	if (draws_bound(r))
		put_bound(out, scale_x(s, r->bound), y, PX(9));
	put_central(out, scale_x(s, r->central), y);
	fputs("</g>\n", out);
}

/* "central 4.2 × 10^24 FLOP, range 2.9 × 10^24 – 5.5 × 10^24 FLOP", or
 * "4.2 × 10^24 FLOP, a single figure". */
static void range_main(sbuf *b, const fg_svg_range *r)
{
	char v[96], lo[64], hi[64];

	if (single_point(r))
		sb_add(b, "%s, a single figure",
		       flop(v, sizeof(v), r->central));
	else
		sb_add(b, "central %s, range %s " EN_DASH " %s FLOP",
		       flop(v, sizeof(v), r->central),
		       fg_format_sci(r->low, lo, sizeof(lo)),
		       fg_format_sci(r->high, hi, sizeof(hi)));
}

/* "physical bound 1.2 × 10^25 FLOP", or nothing when none is drawn. */
static void range_bound(sbuf *b, const fg_svg_range *r)
{
	char v[96];

	if (draws_bound(r))
		sb_add(b, "physical bound %s", flop(v, sizeof(v), r->bound));
}

/* The two in one: "...; physical bound 1.2 × 10^25 FLOP". */
static void range_text(sbuf *b, const fg_svg_range *r)
{
	range_main(b, r);
	if (draws_bound(r))
		sb_add(b, "; ");
	range_bound(b, r);
}

/* "EU AI Act Art. 51(2): > 1.0 × 10^25 FLOP" */
static void line_text(sbuf *b, const fg_svg_line *l)
{
	char v[96];

	if (l->label && *l->label)
		sb_add(b, "%s: ", l->label);
	sb_add(b, "%s %s", op_symbol(l->op), flop(v, sizeof(v), l->value));
}

/* The axis: a rule, a tick and a label a decade, grid lines up to top,
 * and its title; y is the axis's own line. */
static void put_axis(FILE *out, const scale *s, long top, long y)
{
	int e, step = s->hi - s->lo > 10 ? 2 : 1;
	char label[32];

	fputs("<g class=\"fg-axis\">\n", out);
	for (e = s->lo; e <= s->hi; e++) {
		long x = s->x0 + (long)(e - s->lo) * (s->x1 - s->x0) /
			 (s->hi - s->lo);

		put(out, "<line class=\"fg-decade\" data-exponent=\"%s\" "
			 "x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
			 "stroke=\"#e0e0e0\" stroke-width=\"1\"/>",
		    (snprintf(label, sizeof(label), "%d", e), label), x, top,
		    x, y);
		put(out, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
			 "stroke=\"#222222\" stroke-width=\"1\"/>",
		    x, y, x, y + PX(5));
		if ((e - s->lo) % step == 0) {
			snprintf(label, sizeof(label), "10^%d", e);
			put(out, "<text x=\"%n\" y=\"%n\" "
				 "text-anchor=\"middle\">%t</text>",
			    x, y + PX(18), label);
		}
		fputs("\n", out);
	}
	put(out, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
		 "stroke=\"#222222\" stroke-width=\"1\"/>\n"
		 "<text x=\"%n\" y=\"%n\" text-anchor=\"middle\">training "
		 "compute, FLOP (log scale)</text>\n</g>\n",
	    s->x0, y, s->x1, y, (s->x0 + s->x1) / 2, y + PX(36));
}

/* ---- the legend ------------------------------------------------------------ */

enum { KEY_RANGE, KEY_CENTRAL, KEY_BOUND, KEY_OUTCOMES };

typedef struct legend {
	int show[KEY_OUTCOMES + OUTCOMES];
	long height;
} legend;

static const char *key_word(size_t k)
{
	static const char *const words[] = {
		"range, low " EN_DASH " high", "central estimate",
		"physical bound (peak)"
	};

	return k < KEY_OUTCOMES ? words[k] : styles[k - KEY_OUTCOMES].word;
}

#define KEY_W(k) (PX(26) + text_width(key_word(k)) + PX(18))

/* Rows the legend needs within width. */
static void legend_fit(legend *lg, long width)
{
	long x = MARGIN;
	size_t k;

	lg->height = 0;
	for (k = 0; k < KEY_OUTCOMES + OUTCOMES; k++) {
		if (!lg->show[k])
			continue;
		if (!lg->height)
			lg->height = LEGEND_ROW_H;
		if (x > MARGIN && x + KEY_W(k) > width - MARGIN) {
			x = MARGIN;
			lg->height += LEGEND_ROW_H;
		}
		x += KEY_W(k);
	}
}

static void put_legend(FILE *out, const legend *lg, long width, long top)
{
	long x = MARGIN, y = top + LEGEND_ROW_H / 2;
	size_t k;

	fputs("<g class=\"fg-legend\">\n", out);
	for (k = 0; k < KEY_OUTCOMES + OUTCOMES; k++) {
		long mx;

		if (!lg->show[k])
			continue;
		if (x > MARGIN && x + KEY_W(k) > width - MARGIN) {
			x = MARGIN;
			y += LEGEND_ROW_H;
		}
		mx = x + PX(10);
		if (k == KEY_RANGE)
			put(out, "<rect x=\"%n\" y=\"%n\" width=\"%n\" "
				 "height=\"%n\" fill=\"url(#fg-hatch)\" "
				 "stroke=\"#222222\" stroke-width=\"1\"/>",
			    x, y - PX(5), PX(20), PX(10));
		else if (k == KEY_CENTRAL)
			put_central(out, mx, y);
		else if (k == KEY_BOUND)
			put_bound(out, mx, y, PX(7));
		else
			put_marker(out, (fg_svg_outcome)(k - KEY_OUTCOMES),
				   mx, y);
		put(out, "<text x=\"%n\" y=\"%n\">%t</text>\n", x + PX(26),
		    y + PX(4), key_word(k));
		x += KEY_W(k);
	}
	fputs("</g>\n", out);
}

/* ---- one run ----------------------------------------------------------------- */

typedef struct run_layout {
	const fg_svg_line **sorted;  /* by row, then value */
	size_t *row_of;              /* sorted[i]'s row */
	const char **rows;           /* each row's jurisdiction */
	size_t row_count;
	char **texts;                /* sorted[i]'s label text */
	char *range, *bound;         /* the range's text, in two lines */
	char *desc;
} run_layout;

static void run_layout_free(run_layout *L, size_t count)
{
	size_t i;

	for (i = 0; L->texts && i < count; i++)
		free(L->texts[i]);
	free(L->texts);
	free(L->sorted);
	free(L->row_of);
	free(L->rows);
	free(L->range);
	free(L->bound);
	free(L->desc);
}

static const char *row_name(const char *jurisdiction)
{
	return jurisdiction && *jurisdiction ? jurisdiction : EM_DASH;
}

static int same_row(const char *a, const char *b)
{
	return !strcmp(row_name(a), row_name(b));
}

/* Rows in the order their jurisdictions first appear, lines in a row by
 * value (ties in the order given): an insertion sort, stable and
 * independent of the C library's qsort. */
static int run_layout_make(run_layout *L, const char *run_id,
			   const fg_svg_range *range,
			   const fg_svg_line *lines, size_t count)
{
	size_t i, j, n = 0;
	sbuf b = {0};
	size_t *rank;

	memset(L, 0, sizeof(*L));
	L->sorted = calloc(count + 1, sizeof(*L->sorted));
	L->row_of = calloc(count + 1, sizeof(*L->row_of));
	L->rows = calloc(count + 1, sizeof(*L->rows));
	L->texts = calloc(count + 1, sizeof(*L->texts));
	rank = calloc(count + 1, sizeof(*rank));
	if (!L->sorted || !L->row_of || !L->rows || !L->texts || !rank) {
		free(rank);
		return FG_ENOMEM;
	}
	for (i = 0; i < count; i++) {
		for (j = 0; j < L->row_count; j++)
			if (same_row(L->rows[j], lines[i].jurisdiction))
				break;
		if (j == L->row_count)
			L->rows[L->row_count++] = lines[i].jurisdiction;
		/* insert line i after every line of an earlier row or of its
		 * row at or below its value */
		for (n = i; n > 0 && (rank[n - 1] > j ||
				      (rank[n - 1] == j &&
				       L->sorted[n - 1]->value >
				       lines[i].value)); n--) {
			L->sorted[n] = L->sorted[n - 1];
			rank[n] = rank[n - 1];
		}
		L->sorted[n] = &lines[i];
		rank[n] = j;
	}
	memcpy(L->row_of, rank, count * sizeof(*rank));
	free(rank);
	for (i = 0; i < count; i++) {
		line_text(&b, L->sorted[i]);
		if (!(L->texts[i] = sb_take(&b)))
			return FG_ENOMEM;
	}
	range_main(&b, range);
	if (!(L->range = sb_take(&b)))
		return FG_ENOMEM;
	range_bound(&b, range);
	if (!(L->bound = sb_take(&b)))
		return FG_ENOMEM;
	/* everything the chart shows, in words */
	sb_add(&b, "Training compute of %s: %s", run_id ? run_id : "the run",
	       L->range);
	if (*L->bound)
		sb_add(&b, "; %s", L->bound);
	sb_add(&b, ".");
	if (!count)
		sb_add(&b, " No line is shown.");
	for (i = 0; i < count; i++) {
		if (i == 0 || L->row_of[i] != L->row_of[i - 1])
			sb_add(&b, " %s: ", row_name(L->rows[L->row_of[i]]));
		else
			sb_add(&b, "; ");
		sb_add(&b, "%s", L->texts[i]);
		if (L->sorted[i]->outcome != FG_SVG_NONE)
			sb_add(&b, ", %s", styles[L->sorted[i]->outcome].word);
		if (i + 1 == count || L->row_of[i + 1] != L->row_of[i])
			sb_add(&b, ".");
	}
	if (!(L->desc = sb_take(&b)))
		return FG_ENOMEM;
	return 0;
}

static long max_long(long a, long b)
{
	return a > b ? a : b;
}

int fg_svg_run_chart(FILE *out, const char *run_id,
		     const fg_svg_range *range, const fg_svg_line *lines,
		     size_t line_count, fg_error *err)
{
	run_layout L;
	legend lg = {{0}, 0};
	scale s;
	double min = 0, max = 0;
	long label_w = max_long(LABEL_MIN, text_width("compute") + PX(16));
	long text_w, width, height, y, axis_y;
	char title[512];
	size_t i, k;
	int rc;

	if (!out)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: no stream to write to");
	if ((rc = check_range(range, run_id ? run_id : "the run", err)) ||
	    (rc = check_lines(lines, line_count, err)))
		return rc;
	if ((rc = run_layout_make(&L, run_id, range, lines, line_count))) {
		run_layout_free(&L, line_count);
		return fg_error_set(err, rc, NULL, 0, 0, "out of memory");
	}

	/* the scale holds every figure drawn */
	scale_add(&min, &max, range->low);
	scale_add(&min, &max, range->high);
	if (draws_bound(range))
		scale_add(&min, &max, range->bound);
	for (i = 0; i < line_count; i++)
		scale_add(&min, &max, lines[i].value);
	scale_fit(&s, min, max);

	/* widths: the label column, the plot, the texts */
	for (i = 0; i < L.row_count; i++)
		label_w = max_long(label_w, text_width(row_name(L.rows[i])) +
					    PX(16));
	text_w = max_long(text_width(L.range), text_width(L.bound));
	for (i = 0; i < line_count; i++)
		text_w = max_long(text_w,
				  text_width(styles[L.sorted[i]->outcome].word)
				  + text_width(" " EM_DASH " ") +
				  text_width(L.texts[i]));
	s.x0 = MARGIN + label_w;
	s.x1 = s.x0 + PLOT_W;
	snprintf(title, sizeof(title), "Training compute of %s against the "
		 "legal lines", run_id ? run_id : "the run");
	width = max_long(s.x1 + GAP + text_w + MARGIN,
			 2 * MARGIN + text_width(title) + PX(40));

	/* heights */
	lg.show[KEY_RANGE] = !single_point(range);
	lg.show[KEY_CENTRAL] = 1;
	lg.show[KEY_BOUND] = draws_bound(range);
	for (i = 0; i < line_count; i++)
		if (lines[i].outcome != FG_SVG_NONE)
			lg.show[KEY_OUTCOMES + lines[i].outcome] = 1;
	legend_fit(&lg, width);
	axis_y = TITLE_H + RANGE_ROW_H;
	for (i = 0, k = 0; i < L.row_count; i++) {
		size_t tracks = 0;

		while (k < line_count && L.row_of[k] == i)
			k++, tracks++;
		axis_y += 2 * BAND_PAD + (long)tracks * TRACK_H;
	}
	height = axis_y + AXIS_H + lg.height + MARGIN;

	/* write */
	put_head(out, width, height, title);
	put(out, "<desc id=\"fg-desc\">%t</desc>\n", L.desc);
	put_defs(out);
	put(out, "<text x=\"%n\" y=\"%n\" font-size=\"15\" "
		 "font-weight=\"bold\">%t</text>\n"
		 "<text x=\"%n\" y=\"%n\" fill=\"#444444\">One row per "
		 "jurisdiction; %s</text>\n", MARGIN, PX(22), title, MARGIN,
	    PX(42), single_point(range) ? "the diamond is the run's one "
	    "figure" : "the hatched band is the estimate's range, the "
	    "diamond its central figure");
	put_axis(out, &s, TITLE_H, axis_y);

	/* the run's range, on top */
	y = TITLE_H;
	put(out, "<g class=\"fg-compute\"><text x=\"%n\" y=\"%n\" "
		 "font-weight=\"bold\">compute</text>\n", MARGIN,
	    y + RANGE_ROW_H / 2 + PX(4));
	put_range(out, &s, range, y + RANGE_ROW_H / 2);
	if (*L.bound)
		put(out, "<text class=\"fg-range-label\" x=\"%n\" y=\"%n\">"
			 "%t</text><text class=\"fg-range-label\" x=\"%n\" "
			 "y=\"%n\">%t</text></g>\n", s.x1 + GAP,
		    y + RANGE_ROW_H / 2 - PX(3), L.range, s.x1 + GAP,
		    y + RANGE_ROW_H / 2 + PX(12), L.bound);
	else
		put(out, "<text class=\"fg-range-label\" x=\"%n\" y=\"%n\">"
			 "%t</text></g>\n", s.x1 + GAP,
		    y + RANGE_ROW_H / 2 + PX(4), L.range);
	y += RANGE_ROW_H;

	/* a row per jurisdiction */
	for (i = 0, k = 0; i < L.row_count; i++) {
		size_t first = k, tracks;
		long band_h, lx = scale_x(&s, range->low),
			     hx = scale_x(&s, range->high);

		while (k < line_count && L.row_of[k] == i)
			k++;
		tracks = k - first;
		band_h = 2 * BAND_PAD + (long)tracks * TRACK_H;
		put(out, "<g class=\"fg-band\" data-jurisdiction=\"%t\">\n"
			 "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
			 "stroke=\"#bbbbbb\" stroke-width=\"1\"/>\n",
		    row_name(L.rows[i]), MARGIN, y, width - MARGIN, y);
		/* the range behind the lines, so each reads against it */
		if (!single_point(range))
			put(out, "<rect x=\"%n\" y=\"%n\" width=\"%n\" "
				 "height=\"%n\" fill=\"url(#fg-hatch-light)\"/>",
			    lx, y + PX(2), hx - lx > 10 ? hx - lx : 10,
			    band_h - PX(4));
		put(out, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
			 "stroke=\"#222222\" stroke-width=\"1\" "
			 "stroke-dasharray=\"4 2\"/>\n",
		    scale_x(&s, range->central), y + PX(2),
		    scale_x(&s, range->central), y + band_h - PX(2));
		put(out, "<text x=\"%n\" y=\"%n\" font-weight=\"bold\">%t"
			 "</text>\n", MARGIN, y + BAND_PAD + TRACK_H / 2 +
		    PX(4), row_name(L.rows[i]));
		for (; first < k; first++) {
			const fg_svg_line *l = L.sorted[first];
			const struct style *st = &styles[l->outcome];
			long c = y + BAND_PAD + TRACK_H / 2 +
				 (long)(first - (k - tracks)) * TRACK_H;
			long x = scale_x(&s, l->value);

			put(out, "<g class=\"fg-line fg-%s\" data-value=\"%g\" "
				 "data-op=\"%t\" data-jurisdiction=\"%t\" "
				 "data-outcome=\"%s\"><title>%t%s%s</title>",
			    st->name, l->value, l->op, row_name(l->jurisdiction),
			    st->name, L.texts[first],
			    l->outcome ? ": " : "", st->word);
			put(out, "<line class=\"fg-tick\" x1=\"%n\" y1=\"%n\" "
				 "x2=\"%n\" y2=\"%n\" stroke=\"%s\" "
				 "stroke-width=\"%s\"", x, c - PX(9), x,
			    c + PX(9), st->colour, st->width);
			if (st->dash)
				put(out, " stroke-dasharray=\"%s\"", st->dash);
			fputs("/>", out);
			if (x + PX(8) < s.x1 + PX(8))
				put(out, "<line class=\"fg-leader\" x1=\"%n\" "
					 "y1=\"%n\" x2=\"%n\" y2=\"%n\" "
					 "stroke=\"#9a9a9a\" stroke-width=\"0.75\" "
					 "stroke-dasharray=\"1 3\"/>",
				    x + PX(8), c, s.x1 + PX(8), c);
			put_marker(out, l->outcome, x, c);
			put(out, "<text class=\"fg-line-label\" x=\"%n\" "
				 "y=\"%n\">", s.x1 + GAP, c + PX(4));
			if (l->outcome)
				put(out, "<tspan font-weight=\"bold\" "
					 "fill=\"%s\">%t</tspan> " EM_DASH " ",
				    st->colour, st->word);
			put(out, "%t</text></g>\n", L.texts[first]);
		}
		fputs("</g>\n", out);
		y += band_h;
	}
	put_legend(out, &lg, width, axis_y + AXIS_H);
	fputs("</svg>\n", out);
	run_layout_free(&L, line_count);
	if (ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "chart: the stream reported a write "
				    "error");
	return 0;
}

/* ---- every run ----------------------------------------------------------------- */

typedef struct summary_layout {
	size_t *group_of;      /* line i's column */
	size_t *first;         /* a column's first line (its value and op) */
	char **labels;         /* a column's text */
	size_t groups;
	char **run_texts;
	char *desc;
} summary_layout;

static void summary_layout_free(summary_layout *L, size_t lines,
				size_t runs)
{
	size_t i;

	for (i = 0; L->labels && i < lines; i++)
		free(L->labels[i]);
	for (i = 0; L->run_texts && i < runs; i++)
		free(L->run_texts[i]);
	free(L->labels);
	free(L->run_texts);
	free(L->group_of);
	free(L->first);
	free(L->desc);
}

/* 1 when every line of column g has the operator of its first. */
static int one_operator(const summary_layout *L, const fg_svg_line *lines,
			size_t count, size_t g)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (L->group_of[i] == g &&
		    strcmp(lines[i].op, lines[L->first[g]].op))
			return 0;
	return 1;
}

/* The most pressing outcome of run r among the lines of column g. */
static fg_svg_outcome column_outcome(const summary_layout *L,
				     const fg_svg_run *r, size_t g,
				     size_t line_count)
{
	fg_svg_outcome best = FG_SVG_NONE;
	size_t i;

	for (i = 0; r->outcomes && i < line_count; i++) {
		fg_svg_outcome o = r->outcomes[i];

		if (L->group_of[i] != g || (unsigned)o >= OUTCOMES)
			continue;
		if (best == FG_SVG_NONE || styles[o].rank < styles[best].rank)
			best = o;
	}
	return best;
}

static int summary_layout_make(summary_layout *L, const fg_svg_run *runs,
			       size_t run_count, const fg_svg_line *lines,
			       size_t line_count)
{
	size_t i, j, g;
	sbuf b = {0};
	char v[96];

	memset(L, 0, sizeof(*L));
	L->group_of = calloc(line_count + 1, sizeof(*L->group_of));
	L->first = calloc(line_count + 1, sizeof(*L->first));
	L->labels = calloc(line_count + 1, sizeof(*L->labels));
	L->run_texts = calloc(run_count + 1, sizeof(*L->run_texts));
	if (!L->group_of || !L->first || !L->labels || !L->run_texts)
		return FG_ENOMEM;
	/* columns: one per value (two at one x would hide each other's
	 * marks), in order of value: insert each new value in place */
	for (i = 0; i < line_count; i++) {
		for (g = 0; g < L->groups; g++)
			if (lines[L->first[g]].value == lines[i].value)
				break;
		if (g < L->groups)
			continue;
		for (g = L->groups; g > 0 &&
		     lines[i].value < lines[L->first[g - 1]].value; g--)
			L->first[g] = L->first[g - 1];
		L->first[g] = i;
		L->groups++;
	}
	for (i = 0; i < line_count; i++)
		for (g = 0; g < L->groups; g++)
			if (lines[L->first[g]].value == lines[i].value)
				L->group_of[i] = g;
	/* "> 1.0 × 10^26 FLOP — US-CA: SB 53; US-NY: RAISE Act", or with
	 * operators that differ, each after its law: "1.0 × 10^26 FLOP —
	 * US-CA: SB 53 (>); KR: AI Basic Act (≥)" */
	for (g = 0; g < L->groups; g++) {
		const fg_svg_line *f = &lines[L->first[g]];
		int n = 0, one = one_operator(L, lines, line_count, g);

		if (one)
			sb_add(&b, "%s ", op_symbol(f->op));
		sb_add(&b, "%s", flop(v, sizeof(v), f->value));
		for (j = 0; j < line_count; j++) {
			if (L->group_of[j] != g)
				continue;
			sb_add(&b, "%s", n++ ? "; " : " " EM_DASH " ");
			if (lines[j].jurisdiction && *lines[j].jurisdiction)
				sb_add(&b, "%s%s", lines[j].jurisdiction,
				       lines[j].label && *lines[j].label
				       ? ": " : "");
			sb_add(&b, "%s", lines[j].label ? lines[j].label : "");
			if (!one)
				sb_add(&b, " (%s)", op_symbol(lines[j].op));
		}
		if (!(L->labels[g] = sb_take(&b)))
			return FG_ENOMEM;
	}
	for (i = 0; i < run_count; i++) {
		range_text(&b, &runs[i].range);
		if (runs[i].note && *runs[i].note)
			sb_add(&b, " " EM_DASH " %s", runs[i].note);
		if (!(L->run_texts[i] = sb_take(&b)))
			return FG_ENOMEM;
	}
	sb_add(&b, "Training compute of %zu run%s against %zu line%s.",
	       run_count, run_count == 1 ? "" : "s", L->groups,
	       L->groups == 1 ? "" : "s");
	for (g = 0; g < L->groups; g++)
		sb_add(&b, " Line %zu: %s.", g + 1, L->labels[g]);
	for (i = 0; i < run_count; i++) {
		sb_add(&b, " %s: %s", runs[i].id ? runs[i].id : EM_DASH,
		       L->run_texts[i]);
		for (g = 0; g < L->groups; g++) {
			fg_svg_outcome o = column_outcome(L, &runs[i], g,
							  line_count);

			if (o != FG_SVG_NONE)
				sb_add(&b, "; line %zu: %s", g + 1,
				       styles[o].word);
		}
		sb_add(&b, ".");
	}
	if (!(L->desc = sb_take(&b)))
		return FG_ENOMEM;
	return 0;
}

int fg_svg_summary_chart(FILE *out, const fg_svg_run *runs,
			 size_t run_count, const fg_svg_line *lines,
			 size_t line_count, fg_error *err)
{
	summary_layout L;
	legend lg = {{0}, 0};
	scale s;
	double min = 0, max = 0;
	long label_w = LABEL_MIN, text_w = 0, width, height, y, axis_y;
	long lines_top, runs_top;
	char title[128];
	size_t i, g;
	int rc;

	if (!out)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: no stream to write to");
	if (run_count && !runs)
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "chart: %zu runs and no array", run_count);
	for (i = 0; i < run_count; i++) {
		char whose[64];

		snprintf(whose, sizeof(whose), "run %zu", i);
		if ((rc = check_range(&runs[i].range, whose, err)))
			return rc;
		for (g = 0; runs[i].outcomes && g < line_count; g++)
			if ((unsigned)runs[i].outcomes[g] >= OUTCOMES)
				return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
						    "chart: run %zu has no "
						    "known outcome for line "
						    "%zu", i, g);
	}
	if ((rc = check_lines(lines, line_count, err)))
		return rc;
	if ((rc = summary_layout_make(&L, runs, run_count, lines,
				      line_count))) {
		summary_layout_free(&L, line_count, run_count);
		return fg_error_set(err, rc, NULL, 0, 0, "out of memory");
	}

	for (i = 0; i < run_count; i++) {
		scale_add(&min, &max, runs[i].range.low);
		scale_add(&min, &max, runs[i].range.high);
		if (draws_bound(&runs[i].range))
			scale_add(&min, &max, runs[i].range.bound);
		label_w = max_long(label_w, text_width(runs[i].id) + PX(16));
		text_w = max_long(text_w, text_width(L.run_texts[i]));
		lg.show[KEY_RANGE] |= !single_point(&runs[i].range);
		lg.show[KEY_BOUND] |= draws_bound(&runs[i].range);
		for (g = 0; g < L.groups; g++) {
			fg_svg_outcome o = column_outcome(&L, &runs[i], g,
							  line_count);

			if (o != FG_SVG_NONE)
				lg.show[KEY_OUTCOMES + o] = 1;
		}
	}
	lg.show[KEY_CENTRAL] = run_count > 0;
	for (i = 0; i < line_count; i++)
		scale_add(&min, &max, lines[i].value);
	for (g = 0; g < L.groups; g++)
		text_w = max_long(text_w, text_width(L.labels[g]));
	if (max == 0)
		min = max = 1e25; /* nothing to show: an axis still */
	scale_fit(&s, min, max);
	s.x0 = MARGIN + label_w;
	s.x1 = s.x0 + PLOT_W;
	snprintf(title, sizeof(title), "Training compute of %zu run%s "
		 "against the legal lines", run_count,
		 run_count == 1 ? "" : "s");
	width = max_long(s.x1 + GAP + text_w + MARGIN,
			 2 * MARGIN + text_width(title) + PX(40));
	legend_fit(&lg, width);
	lines_top = TITLE_H;
	runs_top = lines_top + (L.groups ? 2 * BAND_PAD +
					   (long)L.groups * TRACK_H : 0);
	axis_y = runs_top + (long)run_count * RUN_ROW_H +
		 (run_count ? 0 : RUN_ROW_H);
	height = axis_y + AXIS_H + lg.height + MARGIN;

	put_head(out, width, height, title);
	put(out, "<desc id=\"fg-desc\">%t</desc>\n", L.desc);
	put_defs(out);
	put(out, "<text x=\"%n\" y=\"%n\" font-size=\"15\" "
		 "font-weight=\"bold\">%t</text>\n"
		 "<text x=\"%n\" y=\"%n\" fill=\"#444444\">One row per run; "
		 "the lines above, each down through every row</text>\n",
	    MARGIN, PX(22), title, MARGIN, PX(42));
	put_axis(out, &s, TITLE_H, axis_y);

	/* the lines: a label each on top, a column down to the axis */
	if (L.groups)
		put(out, "<text x=\"%n\" y=\"%n\" font-weight=\"bold\">"
			 "lines</text>\n", MARGIN,
		    lines_top + BAND_PAD + TRACK_H / 2 + PX(4));
	for (g = 0; g < L.groups; g++) {
		const fg_svg_line *f = &lines[L.first[g]];
		long c = lines_top + BAND_PAD + TRACK_H / 2 + (long)g * TRACK_H;
		long x = scale_x(&s, f->value);

		put(out, "<g class=\"fg-line\" data-value=\"%g\"", f->value);
		if (one_operator(&L, lines, line_count, g))
			put(out, " data-op=\"%t\"", f->op);
		put(out, "><title>%t</title>", L.labels[g]);
		put(out, "<line class=\"fg-tick\" x1=\"%n\" y1=\"%n\" "
			 "x2=\"%n\" y2=\"%n\" stroke=\"#444444\" "
			 "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
		    x, c - PX(6), x, axis_y);
		if (x + PX(6) < s.x1 + PX(8))
			put(out, "<line class=\"fg-leader\" x1=\"%n\" y1=\"%n\" "
				 "x2=\"%n\" y2=\"%n\" stroke=\"#9a9a9a\" "
				 "stroke-width=\"0.75\" "
				 "stroke-dasharray=\"1 3\"/>",
			    x + PX(6), c, s.x1 + PX(8), c);
		put(out, "<text class=\"fg-line-label\" x=\"%n\" y=\"%n\">%t"
			 "</text></g>\n", s.x1 + GAP, c + PX(4), L.labels[g]);
	}

	/* a row per run */
	y = runs_top;
	if (!run_count)
		put(out, "<text x=\"%n\" y=\"%n\">No run is shown.</text>\n",
		    s.x0, y + RUN_ROW_H / 2 + PX(4));
	for (i = 0; i < run_count; i++, y += RUN_ROW_H) {
		const fg_svg_run *r = &runs[i];

		put(out, "<g class=\"fg-run\" data-run=\"%t\">\n"
			 "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" "
			 "stroke=\"#bbbbbb\" stroke-width=\"1\"/>\n"
			 "<text x=\"%n\" y=\"%n\" font-weight=\"bold\">%t"
			 "</text>\n", r->id ? r->id : EM_DASH, MARGIN, y,
		    width - MARGIN, y, MARGIN, y + RUN_ROW_H / 2 + PX(4),
		    r->id ? r->id : EM_DASH);
		put_range(out, &s, &r->range, y + RUN_ROW_H / 2 + PX(5));
		for (g = 0; g < L.groups; g++) {
			fg_svg_outcome o = column_outcome(&L, r, g,
							  line_count);

			if (o == FG_SVG_NONE)
				continue;
			put(out, "<g class=\"fg-outcome fg-%s\" "
				 "data-value=\"%g\" data-outcome=\"%s\">"
				 "<title>%t</title>", styles[o].name,
			    lines[L.first[g]].value, styles[o].name,
			    styles[o].word);
			put_marker(out, o, scale_x(&s, lines[L.first[g]].value),
				   y + PX(9));
			fputs("</g>", out);
		}
		put(out, "\n<text class=\"fg-run-label\" x=\"%n\" y=\"%n\">%t"
			 "</text>\n</g>\n", s.x1 + GAP,
		    y + RUN_ROW_H / 2 + PX(4), L.run_texts[i]);
	}
	put_legend(out, &lg, width, axis_y + AXIS_H);
	fputs("</svg>\n", out);
	summary_layout_free(&L, line_count, run_count);
	if (ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "chart: the stream reported a write "
				    "error");
	return 0;
}
