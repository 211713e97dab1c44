/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — typed access to YAML nodes with FILE:LINE:COL errors
 * (declared in include/flopgate/yaml.h). */
#include "flopgate/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flopgate/suggest.h"

static const char *type_name(fg_node_type type)
{
	switch (type) {
	case FG_NODE_SCALAR:
		return "a value";
	case FG_NODE_SEQ:
		return "a list";
	default:
		return "a map";
	}
}

int fg_node_error(fg_error *err, int code, const fg_node *node,
		  const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	/* asked only whether it holds (attribute_value's booleans): no
	 * message to write */
	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!node)
		return fg_error_set(err, code, NULL, 0, 0, "%s", msg);
	return fg_error_set(err, code, node->file, node->line, node->column,
			    "%s", msg);
}

/* Keys compared as strings, the first byte inline: a run document is
 * looked up key by key, and most keys differ at the first byte. */
static int same_key(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

const fg_node *fg_node_get(const fg_node *map, const char *key)
{
	size_t i;

	if (!map || map->type != FG_NODE_MAP)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (same_key(map->keys[i]->value, key))
			return map->items[i];
	return NULL;
}

int fg_node_expect(const fg_node *node, fg_node_type type, const char *what,
		   fg_error *err)
{
	if (node && node->type == type)
		return 0;
	return fg_node_error(err, FG_EINPUT, node, "`%s` must be %s, not %s",
			     what, type_name(type),
			     node ? type_name(node->type) : "missing");
}

int fg_node_check_keys(const fg_node *map, const char *const *known,
		       const char *context, fg_error *err)
{
	size_t i, k;

	if (fg_node_expect(map, FG_NODE_MAP, context, err))
		return FG_EINPUT;
	for (i = 0; i < map->count; i++) {
		const char *key = map->keys[i]->value;
		const char *near;
		char hint[400];
		int found = 0;

		for (k = 0; known[k] && !found; k++)
			found = same_key(known[k], key);
		if (found)
			continue;
		near = fg_suggest_text(hint, sizeof(hint), key, known);
		if (near)
			return fg_node_error(err, FG_EINPUT, map->keys[i],
					     "unknown key `%s` in `%s`; did "
					     "you mean %s?", key, context,
					     near);
		return fg_node_error(err, FG_EINPUT, map->keys[i],
				     "unknown key `%s` in `%s`", key,
				     context);
	}
	return 0;
}

int fg_node_require(const fg_node **out, const fg_node *map, const char *key,
		    const char *context, fg_error *err)
{
	const fg_node *v = fg_node_get(map, key);

	if (!v || fg_node_is_null(v))
		return fg_node_error(err, FG_EINPUT, map,
				     "`%s` has no `%s`", context, key);
	*out = v;
	return 0;
}

int fg_node_is_null(const fg_node *node)
{
	if (!node || node->type != FG_NODE_SCALAR || !node->plain)
		return 0;
	return node->length == 0 || !strcmp(node->value, "~") ||
	       !strcasecmp(node->value, "null");
}

int fg_node_string(const char **out, const fg_node *node, const char *what,
		   fg_error *err)
{
	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_node_is_null(node))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s` is empty", what);
	*out = node->value;
	return 0;
}

int fg_node_bool(int *out, const fg_node *node, const char *what,
		 fg_error *err)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};
	size_t i;

	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	for (i = 0; node->plain && yes[i]; i++) {
		if (!strcasecmp(node->value, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(node->value, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return fg_node_error(err, FG_EINPUT, node,
			     "`%s` must be true or false, not `%s`", what,
			     node->value);
}
