/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — numbers, units, dates, and how they are written for people.
 *
 * One parser for every quantity in every file:
 *   plain YAML floats          3.8e25, 405e9, 0.40
 *   powers of ten              10^25, 3.3x10^22, 3.3×10^22
 *   SI-prefixed FLOP totals    38 YFLOP, 1.2 ZFLOP, 3.14e23 FLOP
 *   PF-days                    43500 PF-days  (1 PF-day = 8.64e19 FLOP)
 *   chip time                  2.788e6 GPU-hours, 1e6 chip-hours
 *   durations                  54d, 1296h, 3600s, 90min, 2w
 *   rates                      2.5 EFLOP/s, 989.4 TFLOP/s
 *   money                      6.0e7, $6.0e7, 60e6 USD
 *   fractions                  1e25/3, 10^23/3 FLOP, 1/3  (a plain
 *                              decimal denominator, before any unit)
 * NaN, infinities, negatives, overflow (1e400), a zero denominator and a
 * quantity of the wrong kind ("2.5 EFLOP/s" where a FLOP total is needed)
 * are refused.
 *
 * The text is read exactly (include/flopgate/exact.h): the double handed
 * out is the one nearest the rational number written, rounded once (so
 * "10 YFLOP" and "1e26/10" are the double 1e25, and "43500 PF-days" the
 * double 3.7584e24).
 */
#ifndef FLOPGATE_QUANTITY_H
#define FLOPGATE_QUANTITY_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>
#include "flopgate/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	FG_QTY_NUMBER,     /* dimensionless: counts, parameters, tokens, ratios */
	FG_QTY_FLOP,       /* a total of operations */
	FG_QTY_FLOP_RATE,  /* operations per second */
	FG_QTY_DURATION,   /* seconds */
	FG_QTY_CHIP_HOURS, /* accelerator-hours */
	FG_QTY_USD         /* US dollars */
} fg_qty_kind;

/* What a quantity of this kind looks like, for messages: "a FLOP total
 * (3.8e25, 38 YFLOP, 43500 PF-days)".  Static string. */
FG_API const char *fg_qty_kind_describe(fg_qty_kind kind);

/* Parses text as a quantity of `kind` into *out (in the kind's base unit:
 * FLOP, FLOP/s, seconds, chip-hours, USD): the double nearest the figure
 * written; fg_exact_parse gives the figure itself.  Negative values are
 * refused; zero is allowed.  On error returns FG_EINPUT, sets *why to a
 * static explanation, and leaves *out untouched. */
FG_API int fg_quantity_parse(double *out, const char *text, fg_qty_kind kind,
			     const char **why);

/* Reading these from YAML nodes, with FILE:LINE:COL, is the loaders'
 * business: src/node_quantity.h. */

/* ---- dates: days since 1970-01-01 in the proleptic Gregorian calendar */

typedef int32_t fg_date;
#define FG_DATE_NONE INT32_MIN

/* YYYY-MM-DD, a real calendar day in years 1900..9999. */
FG_API int fg_date_parse(fg_date *out, const char *text);
/* Writes YYYY-MM-DD (11 bytes with the NUL); "none" for FG_DATE_NONE. */
FG_API char *fg_date_format(fg_date date, char buf[16]);
/* Today in UTC. */
FG_API fg_date fg_date_today(void);
FG_API fg_date fg_date_from_civil(int year, int month, int day);

/* ISO 8601 timestamps: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM];
 * *out is seconds since the epoch, UTC. */
FG_API int fg_timestamp_parse(double *out, const char *text);
/* The calendar day (UTC) of a timestamp. */
FG_API fg_date fg_date_of_timestamp(double seconds);

/* ---- formatting ------------------------------------------------------ */

/* Two significant figures in scientific notation for people, as the EU
 * notification asks: "3.8 × 10^25".  0 is "0".  Returns buf. */
FG_API char *fg_format_sci(double value, char *buf, size_t size);
/* Same with ASCII "x" instead of "×" (for places that need plain ASCII). */
FG_API char *fg_format_sci_ascii(double value, char *buf, size_t size);
/* Full precision for machines: %.17g.  Returns buf. */
FG_API char *fg_format_exact(double value, char *buf, size_t size);
/* A duration for people: "54 days", "13.5 hours". */
FG_API char *fg_format_duration(double seconds, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
