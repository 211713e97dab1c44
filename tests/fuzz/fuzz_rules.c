/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the ruleset loader.  A refused ruleset must say where
 * (FILE:LINE:COL) in its first diagnostic, whether or not an error object
 * is passed; an accepted one must hold an id and rules with ids. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_ruleset *rs = NULL;
	fg_diagnostics diags = {0};
	fg_error err;
	size_t i;
	int rc;

	if (size > 1 << 16)
		return 0;
	fg_error_clear(&err);
	rc = fg_ruleset_load_string(&rs, "fuzz.yaml", (const char *)data, size,
				    &diags, &err);
	if (rc) {
		if (rs || !err.message[0] || !diags.count)
			abort();
		if (rc == FG_EINPUT && strcmp(err.file, "fuzz.yaml"))
			abort();
	} else {
		if (!rs || !rs->id || !rs->id[0])
			abort();
		for (i = 0; i < rs->rule_count; i++)
			if (!rs->rules[i].id || !rs->rules[i].id[0])
				abort();
	}
	fg_ruleset_free(rs);
	fg_diagnostics_free(&diags);
	/* the same input with no error object and no diagnostics: must
	 * still fail the same way, never crash */
	rs = NULL;
	if ((fg_ruleset_load_string(&rs, "fuzz.yaml", (const char *)data,
				    size, NULL, NULL) != 0) != (rc != 0))
		abort();
	fg_ruleset_free(rs);
	return 0;
}
