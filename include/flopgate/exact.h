/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — exact figures.
 *
 * A figure that meets a legal line is compared exactly.  It is a rational
 * number built from the decimals written in the run file and the ruleset —
 * 3.8e25 is 38 × 10^24, 0.40 is 2/5, `1e25/3` a third of 10^25, 43500
 * PF-days 43500 × 864 × 10^17 — and it is summed, multiplied and divided
 * without rounding, so that 8.9e25 + 1.1e25 *is* 10^26 and 5e24 of 1.5e25
 * *is* one third.  A double beside it is its picture for people and
 * machines: the double nearest to it (ties to even).
 *
 * fg_exact is opaque (a GMP rational inside; GMP types stay out of the
 * public headers).  Ownership:
 *   - whoever creates an fg_exact (fg_exact_parse, fg_exact_from_double,
 *     fg_exact_copy) frees it with fg_exact_free, which is NULL-safe;
 *   - a model struct that holds fg_exact pointers (run, estimate, rule,
 *     catalog) owns them and frees them with itself;
 *   - a NULL fg_exact beside a double means the figure exists only as that
 *     double (a model built by hand, through the C API): it stands for the
 *     decimal it was written as, the shortest decimal that reads back as
 *     that double (fg_exact_from_double).  The loaders always fill them.
 * GMP reports running out of memory by aborting the process; the functions
 * here return NULL or FG_ENOMEM only when their own allocation fails.
 */
#ifndef FLOPGATE_EXACT_H
#define FLOPGATE_EXACT_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/quantity.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_exact fg_exact;

/* [low, central, high] exactly; each pointer owned by the struct's owner.
 * All three are NULL, or none is. */
typedef struct fg_exact_range {
	fg_exact *low, *central, *high;
} fg_exact_range;

/* Parses text exactly as written, in the syntax of fg_quantity_parse
 * (units, 10^N, 3.3x10^22, $) and, in addition, a fraction whose
 * denominator is a plain decimal: `1e25/3`, `1/3`, `10^23/3 FLOP`.  The
 * same text refused by fg_quantity_parse is refused here (and a zero
 * denominator).  On error returns FG_EINPUT with *why set to a static
 * explanation and *out NULL; FG_ENOMEM when out of memory. */
FG_API int fg_exact_parse(fg_exact **out, const char *text, fg_qty_kind kind,
			  const char **why);

/* The figure a finite double stands for: the shortest decimal that reads
 * back as it (1e25 is 10^25 and 0.1 a tenth, not their binary values; a
 * double computed as 8.9e25 + 1.1e25 is 9.999999999999999 x 10^25).  NULL
 * for NaN, infinities or when out of memory. */
FG_API fg_exact *fg_exact_from_double(double value);
/* A copy; NULL for NULL or when out of memory. */
FG_API fg_exact *fg_exact_copy(const fg_exact *x);
FG_API void fg_exact_free(fg_exact *x);
/* Frees the three and sets them to NULL.  NULL-safe. */
FG_API void fg_exact_range_clear(fg_exact_range *range);

/* The double nearest x (ties to even); 0 for NULL. */
FG_API double fg_exact_to_double(const fg_exact *x);
/* -1, 0 or 1 as a < b, a == b, a > b, exactly. */
FG_API int fg_exact_cmp(const fg_exact *a, const fg_exact *b);
/* "10000000000000000000000000/3", "2/5", "38000000000000000000000000":
 * the reduced fraction in decimal digits.  Writes at most size bytes with
 * the NUL (truncated when longer) and returns buf. */
FG_API char *fg_exact_format(const fg_exact *x, char *buf, size_t size);

/* Makes GMP keep the small blocks it frees, one free list per size, and
 * hand them out again: a run's exact figures are made and dropped by the
 * hundred, and each was a trip through malloc and free.  GMP tells its
 * allocator the size of every block it frees or resizes, so a list needs
 * no header; each holds at most FG_EXACT_POOL_KEEP blocks, so what is
 * kept never exceeds what was once in use at the same time.  The setting
 * is GMP's, for the whole process: a program calls this once, before
 * any GMP number exists, and only when nothing else in the process sets
 * GMP's memory functions (the command line does; the library never does
 * on its own).  Not thread-safe: for a process that uses GMP from one
 * thread. */
#define FG_EXACT_POOL_KEEP 65536
FG_API void fg_exact_pool_install(void);

#ifdef __cplusplus
}
#endif

#endif
