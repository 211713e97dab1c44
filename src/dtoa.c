/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the decimal digits of a double, exactly (see src/dtoa.h). */
#include "dtoa.h"

#include <math.h>
#include <string.h>

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static u128 pow10_128(int n)
{
	u128 r = 1;

	while (n-- > 0)
		r *= 10;
	return r;
}

/* floor(|v| x 10^p) exactly, with how the rest compares with one half
 * (-1 below, 0 exactly, 1 above), for |v| = m x 2^e: 0, or -1 when the
 * figures would not fit in 128 bits. */
static int scaled(u128 *q, int *half, uint64_t m, int e, int p)
{
	u128 num, d, rem;
	int shift;

	if (p >= 0 && e >= 0) {
		/* an integer: m x 2^e x 10^p, which fits when it is near
		 * 10^17 and e is small */
		if (e > 60 || p > 17)
			return -1;
		*q = ((u128)m << e) * pow10_128(p);
		*half = -1;
		return 0;
	}
	if (p >= 0) {
		/* m x 10^p / 2^-e */
		shift = -e;
		if (p > 22 || shift > 126)
			return -1;
		num = (u128)m * pow10_128(p);
		*q = num >> shift;
		rem = num & (((u128)1 << shift) - 1);
		d = (u128)1 << (shift - 1);
		*half = rem < d ? -1 : rem > d;
		return 0;
	}
	/* m x 2^e / 10^-p, e >= 0 here: |v| >= 10^prec */
	if (e < 0 || e > 74 || -p > 38)
		return -1;
	num = (u128)m << e;
	d = pow10_128(-p);
	*q = num / d;
	rem = num % d;
	*half = 2 * rem < d ? -1 : 2 * rem > d;
	return 0;
}

int fg_dtoa_digits(double v, int prec, char *digits, int *exponent)
{
	u128 lo, q;
	uint64_t bits, m, d;
	int e, k, half, tries, i;

	if (prec < 1 || prec > 17 || !isfinite(v) || v == 0)
		return -1;
	memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7FF);
	m = bits & ((1ull << 52) - 1);
	if (e == 0)
		return -1;      /* subnormal */
	m |= 1ull << 52;
	e -= 1075;
	lo = pow10_128(prec - 1);
	/* the decimal exponent k: 10^k <= |v| < 10^(k+1), from an estimate
	 * corrected against the exact scaled figure */
	k = (int)floor(log10(fabs(v)));
	for (tries = 0;; tries++) {
		if (tries > 3 || scaled(&q, &half, m, e, prec - 1 - k))
			return -1;
		if (q >= lo * 10)
			k++;
		else if (q < lo)
			k--;
		else
			break;
	}
	if (half > 0 || (half == 0 && (q & 1)))
		q++;
	if (q == lo * 10) {
		q = lo;
		k++;
	}
	/* q < 10^17 < 2^64: its digits in 64-bit arithmetic */
	for (d = (uint64_t)q, i = prec - 1; i >= 0; i--) {
		digits[i] = (char)('0' + (int)(d % 10));
		d /= 10;
	}
	digits[prec] = 0;
	*exponent = k;
	return 0;
}
#else
int fg_dtoa_digits(double v, int prec, char *digits, int *exponent)
{
	(void)v;
	(void)prec;
	(void)digits;
	(void)exponent;
	return -1;
}
#endif
