/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the decimal digits of a double, exactly (internal, not API).
 *
 * printf's "%.Ne" and "%.Ng" round a double's exact binary value half to
 * even; fg_dtoa_digits gives the same digits without printf, which is
 * most of the cost of writing a document's reals and a reason's figures.
 * tests/check_render.c holds it to printf over fixed cases, every power
 * of ten's neighbours, exact ties and random doubles.
 */
#ifndef FLOPGATE_DTOA_H
#define FLOPGATE_DTOA_H

#include <stdint.h>

/* The first prec (1..17) significant decimal digits of |v| (finite, not
 * zero), NUL-terminated in digits[prec + 1], rounded as printf rounds,
 * and in *exponent the decimal exponent of the first (|v| rounded is
 * d.ddd x 10^exponent).  0, or -1 when 128-bit integers cannot hold the
 * figures (a subnormal, |v| beyond about 10^38 or below 10^-6 at 17
 * digits): the caller then uses printf. */
int fg_dtoa_digits(double v, int prec, char *digits, int *exponent);

#endif
