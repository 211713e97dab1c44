/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the accelerator catalog and the audit log, as `flopgate
 * hardware` and `flopgate audit log` print them (text or JSON).
 *
 * The catalog (include/flopgate/render.h, fg_render_catalog): text is the
 * file it was read from, the default utilization and its plausible range,
 * then a table of id, name, dense peak in TFLOP/s per precision (int8:
 * TOPS; "-" where the chip has none), TDP in watts and source.  JSON is
 * {flopgate, sha256, utilization: {low, central, high}, accelerators:
 * [{id, name, peak_flops: {PRECISION: FLOP/s}, tdp_watts, source}]}.
 *
 * The audit log (src/render_int.h, fg_render_audit_log): text is a line
 * an entry (seq, recorded time, actor, evaluation, the first twelve hex
 * digits of its hash, then every run id and the outcome counts, never
 * cut short); JSON is {entries: [...]} as the store gives them.
 *
 * Both return 0, FG_ENOMEM, or FG_EIO when writing to out failed (part of
 * the output may then be written).
 */
#include <stdio.h>

#include "flopgate/hardware.h"
#include "flopgate/render.h"
#include "json_write.h"
#include "render_int.h"

static int written(FILE *out, fg_error *err, const char *what)
{
	if (!ferror(out) && !fflush(out))
		return 0;
	return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write %s",
			    what);
}

static int dump(FILE *out, json_t *doc, fg_error *err, const char *what)
{
	int rc;

	if (!doc)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory writing %s", what);
	rc = json_dumpf(doc, out, FG_JSON_FLAGS | JSON_INDENT(2));
	json_decref(doc);
	if (rc || fputc('\n', out) == EOF)
		return fg_error_set(err, FG_EIO, NULL, 0, 0,
				    "cannot write %s", what);
	return written(out, err, what);
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

static void catalog_text(FILE *out, const fg_catalog *cat, const char *path)
{
	double lo, u, hi;
	size_t i;
	int p;

	fg_catalog_utilization(cat, &lo, &u, &hi);
	fprintf(out, "%s\n", path ? path : "(catalog)");
	fprintf(out, "dense peak TFLOP/s (int8: TOPS); default utilization "
		"%.2f (plausible %.2f-%.2f)\n\n", u, lo, hi);
	fprintf(out, "%-18s %-42s", "id", "name");
	for (p = 0; p < FG_PREC_COUNT; p++)
		fprintf(out, " %8s", fg_precision_name((fg_precision)p));
	fprintf(out, " %6s  %s\n", "TDP W", "source");
	for (i = 0; i < fg_catalog_count(cat); i++) {
		const fg_accelerator *a = fg_catalog_at(cat, i);

		fprintf(out, "%-18s %-42s", a->id, a->name);
		for (p = 0; p < FG_PREC_COUNT; p++) {
			if (a->peak_flops[p] > 0)
				fprintf(out, " %8.6g", a->peak_flops[p] / 1e12);
			else
				fprintf(out, " %8s", "-");
		}
		if (a->tdp_watts > 0)
			fprintf(out, " %6.0f", a->tdp_watts);
		else
			fprintf(out, " %6s", "-");
		fprintf(out, "  %s\n", a->source);
	}
}

int fg_render_catalog(FILE *out, const fg_catalog *cat, const char *path,
		      int json, fg_error *err)
{
	if (json)
		return dump(out, catalog_json(cat), err, "the catalog");
	catalog_text(out, cat, path);
	return written(out, err, "the catalog");
}

static void log_entry_text(FILE *out, const json_t *e)
{
	const json_t *v;
	const char *key, *actor = json_string_value(json_object_get(e,
								   "actor"));
	size_t j;
	int any = 0;

	fprintf(out, "%-6" JSON_INTEGER_FORMAT " %-20s %-12s %-6"
		JSON_INTEGER_FORMAT " %.12s ",
		json_integer_value(json_object_get(e, "seq")),
		json_string_value(json_object_get(e, "recorded_at")),
		actor ? actor : "-",
		json_integer_value(json_object_get(e, "evaluation_id")),
		json_string_value(json_object_get(e, "hash")));
	json_array_foreach(json_object_get(e, "runs"), j, v)
		fprintf(out, "%s%s", j ? ", " : "", json_string_value(v));
	fputs(": ", out);
	json_object_foreach((json_t *)json_object_get(e, "outcomes"), key, v) {
		fprintf(out, "%s%" JSON_INTEGER_FORMAT " %s", any ? ", " : "",
			json_integer_value(v), key);
		any = 1;
	}
	fputs(any ? "\n" : "no findings\n", out);
}

int fg_render_audit_log(FILE *out, const json_t *entries, int json,
			fg_error *err)
{
	const json_t *e;
	size_t i;

	if (json)
		return dump(out, json_pack("{s:O}", "entries", entries), err,
			    "the log");
	fprintf(out, "%-6s %-20s %-12s %-6s %-12s %s\n", "seq",
		"recorded (UTC)", "actor", "eval", "hash", "runs: outcomes");
	json_array_foreach(entries, i, e)
		log_entry_text(out, e);
	return written(out, err, "the log");
}
