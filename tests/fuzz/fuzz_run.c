/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the run-file loader over the YAML loader, against the
 * shipped catalog.  A refused input must say where (FILE:LINE:COL); an
 * accepted one must hold runs with ids and sane numbers. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/run.h"

static fg_catalog *catalog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fg_error err;

	(void)argc;
	(void)argv;
	if (fg_catalog_load(&catalog, "rules/hardware.yaml", &err)) {
		fprintf(stderr, "fuzz_run: %s\n", err.message);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_run_list *list = NULL;
	fg_error err;
	size_t i, j, k;
	int rc;

	if (size > 1 << 16)
		return 0;
	fg_error_clear(&err);
	rc = fg_run_list_load_string(&list, "fuzz.yaml", (const char *)data,
				     size, catalog, &err);
	if (rc) {
		if (list || !err.message[0])
			abort();
		/* bad input names the file, a line and a column */
		if (rc == FG_EINPUT && (strcmp(err.file, "fuzz.yaml") ||
					err.line < 1 || err.column < 1)) {
			fprintf(stderr, "unlocated: %s:%d:%d: %s\n", err.file,
				err.line, err.column, err.message);
			abort();
		}
		return 0;
	}
	if (!list->count)
		abort();
	for (i = 0; i < list->count; i++) {
		const fg_run *r = &list->runs[i];

		if (!r->id || !r->id[0] || strlen(r->id) > 128)
			abort();
		for (j = 0; j < r->phase_count; j++)
			for (k = 0; k < r->phases[j].estimate_count; k++) {
				const fg_estimate_input *e =
					&r->phases[j].estimates[k];

				if (!isfinite(e->flop) || e->flop < 0 ||
				    e->flop_low > e->flop_high ||
				    e->utilization_low > e->utilization_high)
					abort();
			}
	}
	fg_run_list_free(list);
	return 0;
}
