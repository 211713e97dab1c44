/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: quantities, dates and timestamps on arbitrary text.
 * An accepted quantity is finite and not negative; a plain decimal is the
 * double strtod reads (so the exact parser rounds to nearest as strtod
 * does); the exact parser accepts exactly what the double one does and
 * its figure rounds to the same double; what fg_format_exact writes reads
 * back the same. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/exact.h"
#include "flopgate/quantity.h"

/* [0-9]+[.[0-9]*][e[+-]?[0-9]+] and nothing else */
static int plain_decimal(const char *s)
{
	int digits = 0;

	while (isdigit((unsigned char)*s))
		s++, digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), buf[64];
	const char *why;
	double v, back;
	fg_exact *x;
	fg_date d;
	int k, rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (k = FG_QTY_NUMBER; k <= FG_QTY_USD; k++) {
		why = NULL;
		v = -1;
		rc = fg_quantity_parse(&v, text, (fg_qty_kind)k, &why);
		if (fg_exact_parse(&x, text, (fg_qty_kind)k, &why) != rc ||
		    (x && fg_exact_to_double(x) != v))
			abort();
		fg_exact_free(x);
		if (rc) {
			if (!why || v != -1)
				abort();
			continue;
		}
		if (!isfinite(v) || v < 0)
			abort();
		fg_format_sci(v, buf, sizeof(buf));
		fg_format_exact(v, buf, sizeof(buf));
		if (fg_quantity_parse(&back, buf, FG_QTY_NUMBER, &why) ||
		    back != v)
			abort();
		if (k == FG_QTY_NUMBER && plain_decimal(text) &&
		    v != strtod(text, NULL))
			abort();
	}
	if (!fg_date_parse(&d, text)) {
		fg_date_format(d, buf);
		if (strcmp(buf, text))
			abort();
	}
	if (!fg_timestamp_parse(&v, text) && !isfinite(v))
		abort();
	free(text);
	return 0;
}
