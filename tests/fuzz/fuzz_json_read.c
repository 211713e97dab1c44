/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: reading stored run documents fast (src/json_read.h),
 * bytes a database file holds and anyone holding it may have edited.
 * For any bytes, fg_json_loadb gives what json_loadb gives: the same
 * value (the same text, types and key order) or a refusal; and where the
 * fast reader settles the bytes itself, jansson reads them too, to the
 * same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

static char *text_of(const json_t *v)
{
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT |
				     JSON_REAL_PRECISION(17));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	json_t *fast = fg_json_read(text, size);
	json_t *ours = fg_json_loadb(text, size, NULL);
	json_t *theirs = json_loadb(text, size, 0, NULL);
	char *a, *b;

	if (!ours != !theirs || (fast && !theirs))
		abort();
	if (theirs) {
		if (!json_equal(ours, theirs))
			abort();
		a = text_of(fast ? fast : ours);
		b = text_of(theirs);
		if (!a || !b || strcmp(a, b))
			abort();
		free(a);
		free(b);
	}
	json_decref(fast);
	json_decref(ours);
	json_decref(theirs);
	return 0;
}
