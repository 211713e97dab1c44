/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the decimal digits of a double, exactly (see src/dtoa.h). */
#include "dtoa.h"

#include <math.h>
#include <string.h>

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

/* 10^0 .. 10^38 (the largest power below 2^128), as high and low words */
static const uint64_t pow10_words[39][2] = {
	{0x0000000000000000ULL, 0x0000000000000001ULL}, /* 10^0 */
	{0x0000000000000000ULL, 0x000000000000000aULL}, /* 10^1 */
	{0x0000000000000000ULL, 0x0000000000000064ULL}, /* 10^2 */
	{0x0000000000000000ULL, 0x00000000000003e8ULL}, /* 10^3 */
	{0x0000000000000000ULL, 0x0000000000002710ULL}, /* 10^4 */
	{0x0000000000000000ULL, 0x00000000000186a0ULL}, /* 10^5 */
	{0x0000000000000000ULL, 0x00000000000f4240ULL}, /* 10^6 */
	{0x0000000000000000ULL, 0x0000000000989680ULL}, /* 10^7 */
	{0x0000000000000000ULL, 0x0000000005f5e100ULL}, /* 10^8 */
	{0x0000000000000000ULL, 0x000000003b9aca00ULL}, /* 10^9 */
	{0x0000000000000000ULL, 0x00000002540be400ULL}, /* 10^10 */
	{0x0000000000000000ULL, 0x000000174876e800ULL}, /* 10^11 */
	{0x0000000000000000ULL, 0x000000e8d4a51000ULL}, /* 10^12 */
	{0x0000000000000000ULL, 0x000009184e72a000ULL}, /* 10^13 */
	{0x0000000000000000ULL, 0x00005af3107a4000ULL}, /* 10^14 */
	{0x0000000000000000ULL, 0x00038d7ea4c68000ULL}, /* 10^15 */
	{0x0000000000000000ULL, 0x002386f26fc10000ULL}, /* 10^16 */
	{0x0000000000000000ULL, 0x016345785d8a0000ULL}, /* 10^17 */
	{0x0000000000000000ULL, 0x0de0b6b3a7640000ULL}, /* 10^18 */
	{0x0000000000000000ULL, 0x8ac7230489e80000ULL}, /* 10^19 */
	{0x0000000000000005ULL, 0x6bc75e2d63100000ULL}, /* 10^20 */
	{0x0000000000000036ULL, 0x35c9adc5dea00000ULL}, /* 10^21 */
	{0x000000000000021eULL, 0x19e0c9bab2400000ULL}, /* 10^22 */
	{0x000000000000152dULL, 0x02c7e14af6800000ULL}, /* 10^23 */
	{0x000000000000d3c2ULL, 0x1bcecceda1000000ULL}, /* 10^24 */
	{0x0000000000084595ULL, 0x161401484a000000ULL}, /* 10^25 */
	{0x000000000052b7d2ULL, 0xdcc80cd2e4000000ULL}, /* 10^26 */
	{0x00000000033b2e3cULL, 0x9fd0803ce8000000ULL}, /* 10^27 */
	{0x00000000204fce5eULL, 0x3e25026110000000ULL}, /* 10^28 */
	{0x00000001431e0faeULL, 0x6d7217caa0000000ULL}, /* 10^29 */
	{0x0000000c9f2c9cd0ULL, 0x4674edea40000000ULL}, /* 10^30 */
	{0x0000007e37be2022ULL, 0xc0914b2680000000ULL}, /* 10^31 */
	{0x000004ee2d6d415bULL, 0x85acef8100000000ULL}, /* 10^32 */
	{0x0000314dc6448d93ULL, 0x38c15b0a00000000ULL}, /* 10^33 */
	{0x0001ed09bead87c0ULL, 0x378d8e6400000000ULL}, /* 10^34 */
	{0x0013426172c74d82ULL, 0x2b878fe800000000ULL}, /* 10^35 */
	{0x00c097ce7bc90715ULL, 0xb34b9f1000000000ULL}, /* 10^36 */
	{0x0785ee10d5da46d9ULL, 0x00f436a000000000ULL}, /* 10^37 */
	{0x4b3b4ca85a86c47aULL, 0x098a224000000000ULL}, /* 10^38 */
};

static u128 pow10_128(int n)
{
	return (u128)pow10_words[n][0] << 64 | pow10_words[n][1];
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
