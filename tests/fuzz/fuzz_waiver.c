/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the waiver loader.  A refused file names FILE:LINE:COL
 * for bad input; an accepted one holds waivers with every field set, no
 * blank approver or reason, and no rule/run pair twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/waiver.h"

static int blank(const char *s)
{
	return !s || !s[strspn(s, " \t\r\n")];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_waiver_list *wl = NULL;
	fg_error err;
	size_t i, j;
	int rc;

	if (size > 1 << 16)
		return 0;
	fg_error_clear(&err);
	rc = fg_waiver_list_load_string(&wl, "fuzz.yaml", (const char *)data,
					size, &err);
	if (rc) {
		if (wl || !err.message[0])
			abort();
		if (rc == FG_EINPUT &&
		    (strcmp(err.file, "fuzz.yaml") || err.line < 1 ||
		     err.column < 1))
			abort();
		return 0;
	}
	for (i = 0; i < wl->count; i++) {
		const fg_waiver *w = &wl->waivers[i];

		if (!w->rule || !w->run || blank(w->reason) ||
		    blank(w->approved_by) || w->line < 1)
			abort();
		for (j = 0; j < i; j++)
			if (!strcmp(w->rule, wl->waivers[j].rule) &&
			    !strcmp(w->run, wl->waivers[j].run))
				abort();
	}
	fg_waiver_list_free(wl);
	return 0;
}
