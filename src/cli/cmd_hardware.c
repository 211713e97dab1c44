/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate hardware: the accelerator catalog (rules/hardware.yaml). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "flopgate/hardware.h"
#include "result_json.h"

static const char usage_text[] =
	"usage: flopgate hardware [--format text|json]\n"
	"\n"
	"Lists the accelerator catalog: dense peak TFLOP/s per precision\n"
	"(never the \"with sparsity\" figures), TDP and source of each chip.\n"
	"The catalog is $FLOPGATE_HARDWARE, else hardware.yaml in the rules\n"
	"directory.\n";

static void print_text(const fg_catalog *cat)
{
	double lo, u, hi;
	size_t i;
	int p;

	fg_catalog_utilization(cat, &lo, &u, &hi);
	printf("%s\n", fg_cli_catalog_path());
	printf("dense peak TFLOP/s (int8: TOPS); default utilization %.2f "
	       "(plausible %.2f-%.2f)\n\n", u, lo, hi);
	printf("%-18s %-42s", "id", "name");
	for (p = 0; p < FG_PREC_COUNT; p++)
		printf(" %8s", fg_precision_name((fg_precision)p));
	printf(" %6s  %s\n", "TDP W", "source");
	for (i = 0; i < fg_catalog_count(cat); i++) {
		const fg_accelerator *a = fg_catalog_at(cat, i);

		printf("%-18s %-42s", a->id, a->name);
		for (p = 0; p < FG_PREC_COUNT; p++) {
			if (a->peak_flops[p] > 0)
				printf(" %8.6g", a->peak_flops[p] / 1e12);
			else
				printf(" %8s", "-");
		}
		if (a->tdp_watts > 0)
			printf(" %6.0f", a->tdp_watts);
		else
			printf(" %6s", "-");
		printf("  %s\n", a->source);
	}
}

static json_t *catalog_json(const fg_catalog *cat)
{
	json_t *doc = json_object(), *list = json_array(), *util;
	double lo, u, hi;
	size_t i;
	int p, bad = 0;

	fg_catalog_utilization(cat, &lo, &u, &hi);
	util = json_pack("{s:f, s:f, s:f}", "low", lo, "central", u, "high",
			 hi);
	for (i = 0; list && i < fg_catalog_count(cat); i++) {
		const fg_accelerator *a = fg_catalog_at(cat, i);
		json_t *peaks = json_object();

		for (p = 0; peaks && p < FG_PREC_COUNT; p++)
			if (a->peak_flops[p] > 0 &&
			    json_object_set_new(peaks,
						fg_precision_name(
							(fg_precision)p),
						json_real(a->peak_flops[p])))
				bad = 1;
		if (json_array_append_new(list, json_pack(
			    "{s:s, s:s, s:o, s:o, s:s}", "id", a->id,
			    "name", a->name, "peak_flops", peaks,
			    "tdp_watts", a->tdp_watts > 0
					 ? json_real(a->tdp_watts)
					 : json_null(),
			    "source", a->source)))
			bad = 1;
	}
	if (!doc || !list || !util || bad ||
	    json_object_set_new(doc, "flopgate", json_string(FG_VERSION)) ||
	    json_object_set_new(doc, "sha256",
				json_string(fg_catalog_sha256(cat))) ||
	    json_object_set_new(doc, "utilization", util) ||
	    json_object_set_new(doc, "accelerators", list)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int fg_cmd_hardware(int argc, char **argv)
{
	fg_catalog *cat = NULL;
	fg_error err;
	json_t *doc;
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
	if (!json) {
		print_text(cat);
	} else if ((doc = catalog_json(cat))) {
		json_dumpf(doc, stdout, FG_JSON_FLAGS | JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else {
		fputs("flopgate: out of memory\n", stderr);
		rc = FG_EXIT_STORE;
	}
	fg_catalog_free(cat);
	return rc;
}
