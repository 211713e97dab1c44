/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate hardware: the accelerator catalog (rules/hardware.yaml). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "flopgate/hardware.h"
#include "flopgate/render.h"

static const char usage_text[] =
	"usage: flopgate hardware [--format text|json]\n"
	"\n"
	"Lists the accelerator catalog: dense peak TFLOP/s per precision\n"
	"(never the \"with sparsity\" figures), TDP and source of each chip.\n"
	"The catalog is $FLOPGATE_HARDWARE, else hardware.yaml in the rules\n"
	"directory.\n";

int fg_cmd_hardware(int argc, char **argv)
{
	fg_catalog *cat = NULL;
	fg_error err;
	int i, json = 0, rc = FG_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (fg_cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return FG_EXIT_OK;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			json = !strcmp(argv[++i], "json");
			if (!json && strcmp(argv[i], "text"))
				return fg_cli_usage_error(
					"hardware: --format is text or json, "
					"not `%s`", argv[i]);
		} else if (!strcmp(argv[i], "--format=json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--format=text")) {
			json = 0;
		} else {
			return fg_cli_usage_error(
				"hardware: unexpected `%s`; see flopgate "
				"hardware --help", argv[i]);
		}
	}
	fg_error_clear(&err);
	if (fg_catalog_load(&cat, fg_cli_catalog_path(), &err))
		return fg_cli_fail(&err);
	if (fg_render_catalog(stdout, cat, fg_cli_catalog_path(), json,
			      &err))
		rc = fg_cli_fail(&err);
	fg_catalog_free(cat);
	return rc;
}
