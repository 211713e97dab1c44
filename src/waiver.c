/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — waiver files (see include/flopgate/waiver.h). */
#include "flopgate/waiver.h"

#include <stdlib.h>
#include <string.h>

#include "flopgate/suggest.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

void fg_waiver_list_free(fg_waiver_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		fg_waiver *w = &list->waivers[i];

		free(w->rule);
		free(w->run);
		free(w->reason);
		free(w->approved_by);
		free(w->file);
	}
	free(list->waivers);
	free(list);
}

static int copy_field(char **out, const fg_node *map, const char *key,
		      fg_error *err)
{
	const fg_node *v;
	const char *s, *p;

	if (fg_node_require(&v, map, key, "waiver", err) ||
	    fg_node_string(&s, v, key, err))
		return FG_EINPUT;
	/* An accepted finding says who accepted it and why: an empty
	 * approver or reason waives nothing. */
	for (p = s; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	if (!*p)
		return fg_node_error(err, FG_EINPUT, v, "waiver `%s` is empty; "
				     "a waiver needs a %s", key,
				     !strcmp(key, "approved_by")
				     ? "named approver" : !strcmp(key, "reason")
				     ? "reason" : "value");
	if (!(*out = strdup(s)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return 0;
}

static int parse_waiver(fg_waiver *w, const fg_node *map, const char *file,
			fg_error *err)
{
	static const char *const keys[] = {"rule", "run", "reason",
					   "approved_by", "expires", NULL};
	const fg_node *v;
	int rc;

	if (fg_node_check_keys(map, keys, "waiver", err))
		return FG_EINPUT;
	w->line = map->line;
	w->column = map->column;
	if (!(w->file = strdup(file)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	if ((rc = copy_field(&w->rule, map, "rule", err)) < 0 ||
	    (rc = copy_field(&w->run, map, "run", err)) < 0 ||
	    (rc = copy_field(&w->reason, map, "reason", err)) < 0 ||
	    (rc = copy_field(&w->approved_by, map, "approved_by", err)) < 0)
		return rc;
	if (fg_node_require(&v, map, "expires", "waiver", err) ||
	    fg_node_date(&w->expires, v, "expires", err))
		return FG_EINPUT;
	return 0;
}

static int compare_waivers(const void *pa, const void *pb)
{
	const fg_waiver *a = *(const fg_waiver *const *)pa;
	const fg_waiver *b = *(const fg_waiver *const *)pb;
	int c = strcmp(a->run, b->run);

	if (!c)
		c = strcmp(a->rule, b->rule);
	if (!c)
		c = a->line != b->line ? (a->line < b->line ? -1 : 1)
				       : (a->column > b->column) -
					 (a->column < b->column);
	return c;
}

/* Two waivers for one rule on one run are refused, the same or not: which
 * one counts (whose approval, which expiry) must not depend on order. */
static int check_duplicates(const fg_waiver_list *wl, fg_error *err)
{
	const fg_waiver **sorted;
	size_t i;
	int rc = 0;

	if (wl->count < 2)
		return 0;
	if (!(sorted = malloc(wl->count * sizeof(*sorted))))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (i = 0; i < wl->count; i++)
		sorted[i] = &wl->waivers[i];
	qsort(sorted, wl->count, sizeof(*sorted), compare_waivers);
	for (i = 1; i < wl->count && !rc; i++)
		if (!strcmp(sorted[i]->run, sorted[i - 1]->run) &&
		    !strcmp(sorted[i]->rule, sorted[i - 1]->rule))
			rc = fg_error_set(err, FG_EINPUT, sorted[i]->file,
					  sorted[i]->line, sorted[i]->column,
					  "a second waiver for rule `%s` on run "
					  "`%s` (the first is at line %d, "
					  "column %d): keep one", sorted[i]->rule,
					  sorted[i]->run, sorted[i - 1]->line,
					  sorted[i - 1]->column);
	free(sorted);
	return rc;
}

static int load_yaml(fg_waiver_list **out, fg_yaml *yaml, fg_error *err)
{
	const fg_node *root, *list;
	fg_waiver_list *wl = NULL;
	size_t i;
	int rc = 0;

	if (fg_yaml_count(yaml) != 1)
		return fg_error_set(err, FG_EINPUT, fg_yaml_path(yaml), 1, 1,
				    "a waiver file holds one YAML document "
				    "with a `waivers:` list");
	root = fg_yaml_root(yaml, 0);
	if (fg_node_expect(root, FG_NODE_MAP, "waiver file", err) ||
	    fg_node_check_keys(root, (const char *const[]){"waivers", NULL},
			       "waiver file", err) ||
	    fg_node_require(&list, root, "waivers", "waiver file", err) ||
	    fg_node_expect(list, FG_NODE_SEQ, "waivers", err))
		return FG_EINPUT;
	wl = calloc(1, sizeof(*wl));
	if (wl)
		wl->waivers = calloc(list->count ? list->count : 1,
				     sizeof(*wl->waivers));
	if (!wl || !wl->waivers) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < list->count; i++) {
		if (fg_node_expect(list->items[i], FG_NODE_MAP, "waiver",
				   err)) {
			rc = FG_EINPUT;
			goto done;
		}
		/* Counted before parsing so a half-filled waiver is freed. */
		wl->count++;
		if ((rc = parse_waiver(&wl->waivers[i], list->items[i],
				       fg_yaml_path(yaml), err)) < 0)
			goto done;
	}
	rc = check_duplicates(wl, err);
done:
	if (rc < 0) {
		fg_waiver_list_free(wl);
		wl = NULL;
	}
	*out = wl;
	return rc;
}

int fg_waiver_list_load(fg_waiver_list **out, const char *path,
			fg_error *err)
{
	fg_yaml *yaml = NULL;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_file(&yaml, path, NULL, err)) < 0)
		return rc;
	rc = load_yaml(out, yaml, err);
	fg_yaml_free(yaml);
	return rc;
}

int fg_waiver_list_load_string(fg_waiver_list **out, const char *name,
			       const char *text, size_t length,
			       fg_error *err)
{
	fg_yaml *yaml = NULL;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_string(&yaml, name, text, length, NULL,
				      err)) < 0)
		return rc;
	rc = load_yaml(out, yaml, err);
	fg_yaml_free(yaml);
	return rc;
}

int fg_waiver_valid(const fg_waiver *waiver, fg_date date)
{
	return date <= waiver->expires;
}

const fg_waiver *fg_waiver_find(const fg_waiver_list *list,
				const char *rule_id, const char *run_id,
				fg_date date)
{
	const fg_waiver *expired = NULL;
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		const fg_waiver *w = &list->waivers[i];

		if (strcmp(w->rule, rule_id) || strcmp(w->run, run_id))
			continue;
		if (fg_waiver_valid(w, date))
			return w;
		if (!expired)
			expired = w;
	}
	return expired;
}

int fg_waiver_list_check_rules(const fg_waiver_list *list,
			       const fg_ruleset_set *set, fg_error *err)
{
	const char **ids = NULL, *near;
	char hint[400];
	size_t i, j, n = 0, total = 0;
	int rc = 0;

	for (i = 0; list && i < list->count; i++) {
		const fg_waiver *w = &list->waivers[i];

		if (fg_ruleset_set_find(set, w->rule))
			continue;
		if (!ids) {
			for (j = 0; j < set->count; j++)
				total += set->rulesets[j]->rule_count;
			if (!(ids = calloc(total + 1, sizeof(*ids))))
				return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
						    "out of memory");
			for (j = 0; j < set->count; j++) {
				const fg_ruleset *rs = set->rulesets[j];
				size_t k;

				for (k = 0; k < rs->rule_count; k++)
					ids[n++] = rs->rules[k].id;
			}
		}
		near = fg_suggest_text(hint, sizeof(hint), w->rule, ids);
		rc = fg_error_set(err, FG_EINPUT, w->file, w->line, w->column,
				  "waiver names rule `%s`, which no loaded "
				  "ruleset has%s%s%s", w->rule,
				  near ? "; did you mean " : "",
				  near ? near : "", near ? "?" : "");
		break;
	}
	free(ids);
	return rc;
}
