/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the YAML loader and typed node access on arbitrary
 * bytes, under small limits.  Beyond "no crash, no leak" it checks what
 * callers rely on: marks are 1-based, document slices lie inside the
 * source in order, map keys are unique, weights add up. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

static const fg_yaml_limits limits = {
	.max_bytes = 1 << 16,
	.max_depth = 24,
	.max_nodes = 20000,
};

static const char *const known[] = {"id", "run", "phases", "tokens", NULL};

static size_t visit(const fg_node *n)
{
	size_t i, j, weight = 1;
	double lo, hi;
	fg_error err;
	int b;

	if (!n || n->line < 1 || n->column < 1)
		abort();
	if (n->type == FG_NODE_SCALAR) {
		if (!n->value || strlen(n->value) != n->length || n->count)
			abort();
		for (i = FG_QTY_NUMBER; i <= FG_QTY_USD; i++)
			if (!fg_node_quantity(&lo, n, (fg_qty_kind)i, "v", &err) &&
			    !(lo >= 0 && isfinite(lo)))
				abort();
		(void)fg_node_bool(&b, n, "v", &err);
		return 1;
	}
	if (n->type == FG_NODE_SEQ && n->count == 2 &&
	    !fg_node_range(&lo, &hi, n, FG_QTY_FLOP, "r", &err) && lo > hi)
		abort();
	if (n->type == FG_NODE_MAP) {
		(void)fg_node_check_keys(n, known, "map", &err);
		for (i = 0; i < n->count && n->count < 64; i++)
			for (j = 0; j < i; j++)
				if (!strcmp(n->keys[i]->value, n->keys[j]->value))
					abort();
	}
	for (i = 0; i < n->count; i++) {
		if (n->type == FG_NODE_MAP) {
			if (n->keys[i]->type != FG_NODE_SCALAR)
				abort();
			weight += visit(n->keys[i]);
		}
		weight += visit(n->items[i]);
	}
	if (weight != n->weight)
		abort();
	return weight;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fg_yaml *y = NULL;
	fg_error err;
	size_t i, len, src_len, prev_end = 0;
	const char *src, *t;

	if (fg_yaml_load_string(&y, "fuzz.yaml", (const char *)data, size,
				&limits, &err)) {
		if (y || !err.message[0])
			abort();
		return 0;
	}
	src = fg_yaml_source(y, &src_len);
	if (src_len != size)
		abort();
	for (i = 0; i < fg_yaml_count(y); i++) {
		t = fg_yaml_text(y, i, &len);
		if (t < src || t + len > src + src_len ||
		    (size_t)(t - src) < prev_end)
			abort();
		prev_end = (size_t)(t - src) + len;
		(void)visit(fg_yaml_root(y, i));
	}
	fg_yaml_free(y);
	return 0;
}
