/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the accelerator catalog (see include/flopgate/hardware.h).
 *
 * rules/hardware.yaml:
 *
 *   catalog:
 *     version: "..."                       optional
 *     utilization: {default: 0.35, range: [0.20, 0.55], source: "..."}
 *   accelerators:
 *     - {id, name, peak_tflops: {bf16: 989.4, ...}, tdp_watts, source}
 *
 * peak_tflops holds dense figures in TFLOP/s (INT8 in TOPS); a precision a
 * chip lacks is left out and reads as 0.
 */
#include "flopgate/hardware.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_int.h"
#include "flopgate/hash.h"
#include "flopgate/quantity.h"
#include "flopgate/suggest.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

/* reference/compute.md §4: "default MFU 0.30–0.40 …; plausible band
 * 0.20–0.55"; 0.35 is the mean over Epoch's notable-model rows. */
#define DEFAULT_UTILIZATION 0.35
#define DEFAULT_UTILIZATION_LOW 0.20
#define DEFAULT_UTILIZATION_HIGH 0.55

struct fg_catalog {
	fg_accelerator *chips;
	size_t count;
	double util_low, util, util_high;
	/* the same exactly; owned */
	fg_exact *util_low_exact, *util_exact, *util_high_exact;
	char sha256[65];
};

/* Indexed by fg_precision; NULL-terminated for key checking. */
static const char *const precision_names[FG_PREC_COUNT + 1] = {
	"fp64", "tf32", "bf16", "fp16", "fp8", "int8", NULL
};

const char *fg_precision_name(fg_precision precision)
{
	if ((unsigned)precision >= FG_PREC_COUNT)
		return "?";
	return precision_names[precision];
}

int fg_precision_parse(fg_precision *out, const char *name)
{
	int i;

	for (i = 0; i < FG_PREC_COUNT; i++) {
		if (!strcmp(name, precision_names[i])) {
			*out = (fg_precision)i;
			return 0;
		}
	}
	return FG_ENOTFOUND;
}

static void free_chip(fg_accelerator *chip)
{
	size_t p;

	for (p = 0; p < FG_PREC_COUNT; p++)
		fg_exact_free(chip->exact.peak_flops[p]);
	free((char *)chip->id);
	free((char *)chip->name);
	free((char *)chip->source);
}

void fg_catalog_free(fg_catalog *catalog)
{
	size_t i;

	if (!catalog)
		return;
	for (i = 0; i < catalog->count; i++)
		free_chip(&catalog->chips[i]);
	free(catalog->chips);
	fg_exact_free(catalog->util_low_exact);
	fg_exact_free(catalog->util_exact);
	fg_exact_free(catalog->util_high_exact);
	free(catalog);
}

size_t fg_catalog_count(const fg_catalog *catalog)
{
	return catalog ? catalog->count : 0;
}

const fg_accelerator *fg_catalog_at(const fg_catalog *catalog, size_t i)
{
	return catalog && i < catalog->count ? &catalog->chips[i] : NULL;
}

const fg_accelerator *fg_catalog_find(const fg_catalog *catalog,
				      const char *id)
{
	size_t i;

	for (i = 0; catalog && id && i < catalog->count; i++)
		if (!strcmp(catalog->chips[i].id, id))
			return &catalog->chips[i];
	return NULL;
}

void fg_catalog_utilization(const fg_catalog *catalog, double *low,
			    double *central, double *high)
{
	if (low)
		*low = catalog ? catalog->util_low : DEFAULT_UTILIZATION_LOW;
	if (central)
		*central = catalog ? catalog->util : DEFAULT_UTILIZATION;
	if (high)
		*high = catalog ? catalog->util_high
				: DEFAULT_UTILIZATION_HIGH;
}

void fg_catalog_utilization_exact(const fg_catalog *catalog,
				  const fg_exact **low,
				  const fg_exact **central,
				  const fg_exact **high)
{
	if (low)
		*low = catalog ? catalog->util_low_exact : NULL;
	if (central)
		*central = catalog ? catalog->util_exact : NULL;
	if (high)
		*high = catalog ? catalog->util_high_exact : NULL;
}

const char *fg_catalog_sha256(const fg_catalog *catalog)
{
	return catalog ? catalog->sha256 : "";
}

/* ---- nearest ids ------------------------------------------------------ */

/* The ids, and the chips' names as their aliases ("H100 SXM5" is what
 * a datasheet calls nvidia-h100-sxm), judged by fg_suggest. */
size_t fg_catalog_nearest(const fg_catalog *catalog, const char *id,
			  const char **out, size_t max)
{
	const char **ids, **names;
	size_t i, n;

	if (!catalog || !id || !out || max == 0)
		return 0;
	ids = calloc(catalog->count + 1, sizeof(*ids));
	names = calloc(catalog->count + 1, sizeof(*names));
	if (!ids || !names) {
		free(ids);
		free(names);
		return 0;
	}
	for (i = 0; i < catalog->count; i++) {
		ids[i] = catalog->chips[i].id;
		names[i] = catalog->chips[i].name;
	}
	n = fg_suggest(out, max, id, ids, names);
	free(ids);
	free(names);
	return n;
}

/* ---- loading ---------------------------------------------------------- */

static int valid_id(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)id[i]) ||
		      isdigit((unsigned char)id[i]) || id[i] == '-'))
			return 0;
	return id[0] != '-' && id[n - 1] != '-';
}

static int dup_string(const char **out, const char *s, fg_error *err)
{
	char *copy = strdup(s);

	if (!copy)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	*out = copy;
	return 0;
}

static int load_utilization(fg_catalog *cat, const fg_node *node,
			    fg_error *err)
{
	static const char *const keys[] = {"default", "range", "source",
					   NULL};
	const fg_node *v;
	double lo, hi, u;
	int rc;

	if (fg_node_check_keys(node, keys, "catalog.utilization", err))
		return FG_EINPUT;
	if (fg_node_require(&v, node, "default", "catalog.utilization",
			    err))
		return FG_EINPUT;
	if ((rc = fg_node_exact(&u, &cat->util_exact, v, FG_QTY_NUMBER,
				"utilization.default", err)))
		return rc;
	if (u <= 0 || fg_exact_cmp_ui(cat->util_exact, 1) > 0)
		return fg_node_error(err, FG_EINPUT, v,
				     "`utilization.default` must be in (0, 1]"
				     ", not %g", u);
	lo = hi = u;
	if ((v = fg_node_get(node, "range"))) {
		if (v->type != FG_NODE_SEQ)
			return fg_node_error(err, FG_EINPUT, v,
					     "`utilization.range` must be "
					     "[low, high]");
		if ((rc = fg_node_exact_range(&lo, &hi, &cat->util_low_exact,
					      &cat->util_high_exact, v,
					      FG_QTY_NUMBER,
					      "utilization.range", err)))
			return rc;
		if (lo <= 0 || fg_exact_cmp_ui(cat->util_high_exact, 1) > 0 ||
		    fg_exact_cmp(cat->util_exact, cat->util_low_exact) < 0 ||
		    fg_exact_cmp(cat->util_exact, cat->util_high_exact) > 0)
			return fg_node_error(err, FG_EINPUT, v,
					     "`utilization.range` must lie in "
					     "(0, 1] and contain the default "
					     "%g", u);
	} else {
		mpq_set(cat->util_low_exact->q, cat->util_exact->q);
		mpq_set(cat->util_high_exact->q, cat->util_exact->q);
	}
	cat->util_low = lo;
	cat->util = u;
	cat->util_high = hi;
	return 0;
}

static int load_peaks(fg_accelerator *chip, const fg_node *map,
		      fg_error *err)
{
	size_t i;
	int any = 0, rc;
	mpq_t tera;

	if (fg_node_check_keys(map, precision_names, "peak_tflops",
			       err))
		return FG_EINPUT;
	for (i = 0; i < map->count; i++) {
		fg_precision p = FG_PREC_BF16;
		fg_exact **x;
		double tflops;

		/* the key check above admits only precision names */
		fg_precision_parse(&p, map->keys[i]->value);
		x = &chip->exact.peak_flops[p];
		if ((rc = fg_node_exact(&tflops, x, map->items[i],
					FG_QTY_NUMBER, map->keys[i]->value,
					err)))
			return rc;
		if (tflops <= 0)
			return fg_node_error(err, FG_EINPUT, map->items[i],
					     "peak `%s` must be above 0; leave "
					     "out a precision the chip lacks",
					     map->keys[i]->value);
		/* TFLOP/s to FLOP/s exactly: "989.4" is 989.4 x 10^12, and
		 * the double shown is the one nearest it */
		mpq_init(tera);
		mpz_ui_pow_ui(mpq_numref(tera), 10, 12);
		mpq_mul((*x)->q, (*x)->q, tera);
		mpq_clear(tera);
		chip->peak_flops[p] = fg_q_double((*x)->q);
		any = 1;
	}
	if (!any)
		return fg_node_error(err, FG_EINPUT, map,
				     "`peak_tflops` lists no precision");
	return 0;
}

static int load_chip(fg_catalog *cat, const fg_node *node, fg_error *err)
{
	static const char *const keys[] = {"id", "name", "peak_tflops",
					   "tdp_watts", "source", NULL};
	fg_accelerator *chip = &cat->chips[cat->count];
	const fg_node *v;
	const char *s;

	if (fg_node_check_keys(node, keys, "accelerator", err))
		return FG_EINPUT;
	if (fg_node_require(&v, node, "id", "accelerator", err) ||
	    fg_node_string(&s, v, "id", err))
		return FG_EINPUT;
	if (!valid_id(s))
		return fg_node_error(err, FG_EINPUT, v,
				     "accelerator id `%s` must be lower-case "
				     "vendor-model ([a-z0-9-])", s);
	if (fg_catalog_find(cat, s))
		return fg_node_error(err, FG_EINPUT, v,
				     "accelerator `%s` is listed twice", s);
	/* count is bumped first so that a failure below frees this row */
	memset(chip, 0, sizeof(*chip));
	cat->count++;
	if (dup_string(&chip->id, s, err))
		return FG_ENOMEM;
	if (fg_node_require(&v, node, "name", "accelerator", err) ||
	    fg_node_string(&s, v, "name", err))
		return FG_EINPUT;
	if (dup_string(&chip->name, s, err))
		return FG_ENOMEM;
	if (fg_node_require(&v, node, "source", "accelerator", err) ||
	    fg_node_string(&s, v, "source", err))
		return FG_EINPUT;
	if (dup_string(&chip->source, s, err))
		return FG_ENOMEM;
	if (fg_node_require(&v, node, "peak_tflops", "accelerator", err) ||
	    load_peaks(chip, v, err))
		return FG_EINPUT;
	if ((v = fg_node_get(node, "tdp_watts")) && !fg_node_is_null(v)) {
		if (fg_node_quantity(&chip->tdp_watts, v, FG_QTY_NUMBER,
				     "tdp_watts", err))
			return FG_EINPUT;
		if (chip->tdp_watts <= 0)
			return fg_node_error(err, FG_EINPUT, v,
					     "`tdp_watts` must be above 0; "
					     "leave it out when unpublished");
	}
	return 0;
}

static int load_catalog(fg_catalog *cat, const fg_yaml *yaml, fg_error *err)
{
	static const char *const top[] = {"catalog", "accelerators", NULL};
	static const char *const head[] = {"version", "utilization", NULL};
	const fg_node *root = fg_yaml_root(yaml, 0), *v, *list;
	size_t i;
	int rc;

	if (fg_yaml_count(yaml) != 1 || !root)
		return fg_error_set(err, FG_EINPUT, fg_yaml_path(yaml), 1, 1,
				    "a catalog file holds one YAML document");
	if (fg_node_check_keys(root, top, "hardware catalog", err))
		return FG_EINPUT;
	if ((v = fg_node_get(root, "catalog"))) {
		if (fg_node_check_keys(v, head, "catalog", err))
			return FG_EINPUT;
		if (fg_node_get(v, "utilization") &&
		    load_utilization(cat, fg_node_get(v, "utilization"), err))
			return FG_EINPUT;
	}
	if (fg_node_require(&list, root, "accelerators", "hardware catalog",
			    err) ||
	    fg_node_expect(list, FG_NODE_SEQ, "accelerators", err))
		return FG_EINPUT;
	if (list->count == 0)
		return fg_node_error(err, FG_EINPUT, list,
				     "`accelerators` is empty");
	cat->chips = calloc(list->count, sizeof(*cat->chips));
	if (!cat->chips)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (i = 0; i < list->count; i++)
		if ((rc = load_chip(cat, list->items[i], err)))
			return rc;
	return 0;
}

int fg_catalog_load(fg_catalog **out, const char *path, fg_error *err)
{
	fg_catalog *cat = NULL;
	fg_yaml *yaml = NULL;
	const char *text;
	size_t length;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_file(&yaml, path, NULL, err)))
		goto done;
	cat = calloc(1, sizeof(*cat));
	if (!cat) {
		rc = fg_error_set(err, FG_ENOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	cat->util_low = DEFAULT_UTILIZATION_LOW;
	cat->util = DEFAULT_UTILIZATION;
	cat->util_high = DEFAULT_UTILIZATION_HIGH;
	if (fg_exact_set_ui(&cat->util_low_exact, 1, 5) ||
	    fg_exact_set_ui(&cat->util_exact, 7, 20) ||
	    fg_exact_set_ui(&cat->util_high_exact, 11, 20)) {
		rc = fg_error_set(err, FG_ENOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = load_catalog(cat, yaml, err)))
		goto done;
	text = fg_yaml_source(yaml, &length);
	if ((rc = fg_sha256_hex(text, length, cat->sha256))) {
		fg_error_set(err, rc, path, 0, 0, "cannot hash the catalog");
		goto done;
	}
	*out = cat;
	cat = NULL;
done:
	fg_catalog_free(cat);
	fg_yaml_free(yaml);
	return rc;
}
