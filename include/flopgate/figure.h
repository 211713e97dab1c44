/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — figures for people, and relations between them that hold as
 * printed.
 *
 * People read totals with two significant figures (3.8 × 10^25 FLOP, as
 * the EU notification asks).  A relation printed between two such figures
 * must still hold between the figures as printed: 10^25 + 1 FLOP held
 * against the line 10^25 must not read "1.0 × 10^25 FLOP > 1.0 × 10^25
 * FLOP", nor one third + 10^-26 against one third "0.33 > 0.33".  This
 * module is the one place that writes such a relation.  Every sentence
 * the library writes that relates a figure to a line (a finding's reason,
 * an estimator warning) goes through fg_figure_relation, and renderers
 * that state a relation should too.
 *
 * Units (fg_unit): each figure is written with its unit, the same way
 * everywhere:
 *   FG_UNIT_FLOP       "3.8 × 10^25 FLOP"   a total of operations
 *   FG_UNIT_OP_PER_S   "1.2 × 10^20 op/s"   a rate of integer or
 *                                           floating-point operations
 *                                           (EO 14110 §4.2(b)(ii): a
 *                                           cluster's capacity counts the
 *                                           chip's INT8 peak too, so it
 *                                           is not a FLOP/s figure)
 *   FG_UNIT_USD        "$5.0 × 10^8"
 *   FG_UNIT_FRACTION   "0.33 of the base    a fraction of a base model's
 *                      model's compute"     compute, plain decimals; in a
 *                                           relation said once, after
 *                                           the line
 *   FG_UNIT_PERCENT    "30 %"
 *   FG_UNIT_NONE       "3.8 × 10^25"
 * The unit of each metric a rule reads is fg_metric_unit (rules.h).
 */
#ifndef FLOPGATE_FIGURE_H
#define FLOPGATE_FIGURE_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/exact.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	FG_UNIT_NONE, FG_UNIT_FLOP, FG_UNIT_OP_PER_S, FG_UNIT_USD,
	FG_UNIT_FRACTION, FG_UNIT_PERCENT, FG_UNIT_COUNT
} fg_unit;

/* "", "FLOP", "op/s", "USD", "fraction", "%": the unit's name, as the
 * JSON result document gives it ("unit", "headroom_unit").  Static. */
FG_API const char *fg_unit_name(fg_unit unit);
/* 0 and *out set, or FG_ENOTFOUND for a name fg_unit_name never gives. */
FG_API int fg_unit_parse(fg_unit *out, const char *name);

/* Buffer sizes that always hold a whole figure and a whole relation
 * (the functions below truncate to the size they are given). */
#define FG_FIGURE_SIZE 160
#define FG_RELATION_SIZE 512

/* One figure with two significant figures and its unit: "3.8 × 10^25
 * FLOP", "$5.0 × 10^8", "0.33 of the base model's compute", "1.2 × 10^20
 * op/s"; "0" for zero.  The
 * same digits fg_format_sci gives for the double nearest x.  Returns buf
 * ("" for a NULL x). */
FG_API char *fg_figure_format(char *buf, size_t size, const fg_exact *x,
			      fg_unit unit);

/* The same for a double (the figures of the JSON result document): what
 * fg_figure_format writes for the exact value of x.  Every renderer
 * writes a metric's value, line, range and headroom with it, in the
 * metric's unit (fg_metric_unit, fg_metric_headroom_unit in rules.h; the
 * document's "unit" and "headroom_unit").  "not a number", "infinity" or
 * "-infinity" for what is not a finite number.  Returns buf. */
FG_API char *fg_figure_double(char *buf, size_t size, double x, fg_unit unit);

/* "VALUE REL LINE": the two figures with their unit and the relation that
 * holds between them exactly, REL one of "<", "=", ">" (*relation, which
 * may be NULL, gets -1, 0 or 1, as fg_relation in rules.h).  The figures
 * are written with two significant figures when those already stand in
 * that relation as printed; otherwise both get as many significant digits
 * as it takes for the printed figures themselves to stand in it (a figure
 * that is exact with fewer digits, or with up to three more, is written
 * exactly):
 *     "1.0000000000000000000000001 × 10^25 FLOP > 1.0 × 10^25 FLOP"
 *     "3.3333333333 × 10^24 FLOP < 3.33333333333 × 10^24 FLOP"
 *     "0.33333333333333333333333335 > 0.3333333333333333333333333 of the
 *      base model's compute"
 * Equal figures print alike, exactly when they can be (up to 48 digits),
 * else with two significant figures and the exact fraction after them:
 *     "1.0 × 10^25 FLOP = 1.0 × 10^25 FLOP"
 *     "0.33 = 0.33 of the base model's compute (both exactly 1/3)"
 * Two figures that 48 significant digits cannot tell apart are written as
 * exact fractions.  Returns buf; "" when either figure is NULL.
 *
 * Renderers working from the JSON result document build the two figures
 * with fg_exact_parse(&x, "<value_exact>", FG_QTY_NUMBER, NULL) and the
 * unit with fg_unit_parse("<unit>"). */
FG_API char *fg_figure_relation(char *buf, size_t size, const fg_exact *value,
				const fg_exact *line, fg_unit unit,
				int *relation);

#ifdef __cplusplus
}
#endif

#endif
