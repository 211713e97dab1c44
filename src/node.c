/* flopgate — typed access to YAML nodes with FILE:LINE:COL errors
 * (declared in include/flopgate/yaml.h). */
#include "flopgate/yaml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!node)
		return fg_error_set(err, code, NULL, 0, 0, "%s", msg);
	return fg_error_set(err, code, node->file, node->line, node->column,
			    "%s", msg);
}

const fg_node *fg_node_get(const fg_node *map, const char *key)
{
	size_t i;

	if (!map || map->type != FG_NODE_MAP)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (!strcmp(map->keys[i]->value, key))
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

size_t fg_edit_distance(const char *a, const char *b, int ignore_case)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[FG_EDIT_DISTANCE_MAX + 2], diag, up;

	if (la > FG_EDIT_DISTANCE_MAX || lb > FG_EDIT_DISTANCE_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = (unsigned char)a[i - 1];
			int cb = (unsigned char)b[j - 1];
			size_t best;

			if (ignore_case)
				ca = tolower(ca), cb = tolower(cb);
			best = diag + (ca != cb);
			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *fg_nearest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, i, limit;

	size_t len = strlen(word);

	for (i = 0; candidates && candidates[i]; i++) {
		size_t d = fg_edit_distance(word, candidates[i], 0);

		/* Rewriting every character of either word is no typo: "x"
		 * is not a misspelt "id". */
		if (d >= len || d >= strlen(candidates[i]))
			continue;
		if (d < best_d)
			best_d = d, best = candidates[i];
	}
	/* A typo changes a few characters; anything further is unrelated. */
	limit = len / 3 + 1;
	if (limit < 2)
		limit = 2;
	return best_d <= limit ? best : NULL;
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
		int found = 0;

		for (k = 0; known[k]; k++)
			if (!strcmp(known[k], key))
				found = 1;
		if (found)
			continue;
		near = fg_nearest(key, known);
		if (near)
			return fg_node_error(err, FG_EINPUT, map->keys[i],
					     "unknown key `%s` in `%s`; did "
					     "you mean `%s`?", key, context,
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
