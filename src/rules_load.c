/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — loading a ruleset file (see include/flopgate/rules.h).
 *
 * The loader walks the whole file even after a problem, appending every
 * problem to a list, so `rules lint` reports them all in one pass.  A part
 * that failed is left out of the model; a file with any problem is never
 * handed to the evaluator.
 */
#include "rules_int.h"
#include "yaml_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/hash.h"
#include "flopgate/jurisdiction.h"
#include "flopgate/suggest.h"

/* ---- diagnostics ------------------------------------------------------ */

void fg_diagnostics_free(fg_diagnostics *diags)
{
	if (!diags)
		return;
	free(diags->items);
	diags->items = NULL;
	diags->count = diags->capacity = 0;
}

int fg_diagnostics_add(fg_diagnostics *diags, const fg_error *e)
{
	if (!diags)
		return 0;
	if (diags->count == diags->capacity) {
		size_t cap = diags->capacity ? diags->capacity * 2 : 8;
		fg_error *items = realloc(diags->items, cap * sizeof(*items));

		if (!items)
			return FG_ENOMEM;
		diags->items = items;
		diags->capacity = cap;
	}
	diags->items[diags->count++] = *e;
	return 0;
}

/* ---- the loader ------------------------------------------------------- */

void fg_ld_problem(fg_loader *L, const fg_node *node, const char *fmt, ...)
{
	char msg[900];
	fg_error e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fg_error_clear(&e);
	fg_node_error(&e, FG_EINPUT, node, "%s", msg);
	if (fg_diagnostics_add(&L->found, &e))
		L->nomem = 1;
}

/* Records an error a node helper already filled in. */
void fg_ld_problem_err(fg_loader *L, const fg_error *e)
{
	if (fg_diagnostics_add(&L->found, e))
		L->nomem = 1;
}

char *fg_ld_strdup(fg_loader *L, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		L->nomem = 1;
	return d;
}

/* Reports every unknown key of map (not only the first). */
void fg_ld_check_keys(fg_loader *L, const fg_node *map,
		       const char *const *known, const char *context)
{
	size_t i;

	for (i = 0; i < map->count; i++) {
		const char *key = map->keys[i]->value;
		const char *near;
		char hint[400];

		if (fg_name_lookup(known, key) >= 0)
			continue;
		near = fg_suggest_text(hint, sizeof(hint), key, known);
		if (near)
			fg_ld_problem(L, map->keys[i], "unknown key `%s` in `%s`; "
				"did you mean %s?", key, context, near);
		else
			fg_ld_problem(L, map->keys[i], "unknown key `%s` in `%s`",
				key, context);
	}
}

int fg_ld_expect_type(fg_loader *L, const fg_node *node, fg_node_type type,
		       const char *what)
{
	fg_error e;

	fg_error_clear(&e);
	if (fg_node_expect(node, type, what, &e) == 0)
		return 0;
	fg_ld_problem_err(L, &e);
	return FG_EINPUT;
}

/* A required (or optional) string field, copied. */
int fg_ld_get_string(fg_loader *L, char **out, const fg_node *map,
		      const char *key, const char *context, int required)
{
	const fg_node *v = fg_node_get(map, key);
	fg_error e;
	const char *s;

	*out = NULL;
	fg_error_clear(&e);
	if (!v || fg_node_is_null(v)) {
		if (!required)
			return 0;
		fg_ld_problem(L, map, "`%s` has no `%s`", context, key);
		return FG_EINPUT;
	}
	if (fg_node_string(&s, v, key, &e)) {
		fg_ld_problem_err(L, &e);
		return FG_EINPUT;
	}
	*out = fg_ld_strdup(L, s);
	return *out ? 0 : FG_ENOMEM;
}

int fg_ld_get_date(fg_loader *L, fg_date *out, const fg_node *node,
		    const char *what)
{
	fg_error e;

	fg_error_clear(&e);
	if (fg_node_date(out, node, what, &e) == 0)
		return 0;
	fg_ld_problem_err(L, &e);
	return FG_EINPUT;
}

int fg_ld_get_quantity(fg_loader *L, double *out, const fg_node *node,
			fg_qty_kind kind, const char *what)
{
	return fg_ld_get_exact(L, out, NULL, node, kind, what);
}

int fg_ld_get_exact(fg_loader *L, double *out, fg_exact **exact,
		    const fg_node *node, fg_qty_kind kind, const char *what)
{
	fg_error e;
	int rc;

	fg_error_clear(&e);
	if ((rc = fg_node_exact(out, exact, node, kind, what, &e)) == 0)
		return 0;
	if (rc == FG_ENOMEM) {
		L->nomem = 1;
		return rc;
	}
	fg_ld_problem_err(L, &e);
	return FG_EINPUT;
}

/* A scalar as written, with YAML booleans normalized to "true"/"false"
 * (as run attributes are). */
const char *fg_ld_scalar_word(const fg_node *node)
{
	int b;

	if (node->plain && fg_node_bool(&b, node, "value", NULL) == 0)
		return b ? "true" : "false";
	return node->value;
}

/* [A-Za-z0-9._-]{1,128}, as run ids. */
int fg_ld_valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && !strchr("._-", s[n]))
			return 0;
	return n >= 1 && n <= 128;
}

/* ---- conditions ------------------------------------------------------- */

static void condition_clear(fg_condition *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->child_count; i++)
		condition_clear(&c->children[i]);
	free(c->children);
	fg_exact_free(c->exact.value);
	fg_exact_free(c->exact.fallback_systemic_risk);
	fg_exact_free(c->exact.fallback_other);
	free(c->attribute);
	for (i = 0; i < c->value_count; i++)
		free(c->values[i]);
	free(c->values);
	memset(c, 0, sizeof(*c));
}

static int parse_condition(fg_loader *L, fg_condition *c, const fg_node *node);

static int parse_children(fg_loader *L, fg_condition *c, const fg_node *list,
			  const char *key)
{
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, key))
		return FG_EINPUT;
	if (list->count == 0) {
		fg_ld_problem(L, list, "`%s` needs at least one condition", key);
		return FG_EINPUT;
	}
	c->children = calloc(list->count, sizeof(*c->children));
	if (!c->children) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	c->child_count = list->count;
	for (i = 0; i < list->count; i++)
		if (parse_condition(L, &c->children[i], list->items[i]))
			rc = FG_EINPUT;
	return rc;
}

static int parse_counts(fg_loader *L, fg_condition *c, const fg_node *list)
{
	static const char *const kinds[] = {
		"pretraining", "continued_pretraining", "fine_tuning", "rl",
		"synthetic_data", "distillation", "other", NULL
	};
	size_t i;
	int rc = 0, k;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "counts"))
		return FG_EINPUT;
	if (list->count == 0) {
		fg_ld_problem(L, list, "`counts` lists no phase kind");
		return FG_EINPUT;
	}
	c->counts = 0;
	for (i = 0; i < list->count; i++) {
		const fg_node *item = list->items[i];
		const char *near;
		char hint[400];

		if (fg_ld_expect_type(L, item, FG_NODE_SCALAR, "counts")) {
			rc = FG_EINPUT;
			continue;
		}
		k = fg_name_lookup(kinds, item->value);
		if (k >= 0) {
			c->counts |= FG_KIND_BIT(k);
			continue;
		}
		near = fg_suggest_text(hint, sizeof(hint), item->value, kinds);
		fg_ld_problem(L, item, "unknown phase kind `%s` in `counts`%s%s%s",
			item->value, near ? "; did you mean " : "",
			near ? near : "", near ? "?" : "");
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_fallback(fg_loader *L, fg_condition *c, const fg_node *map)
{
	static const char *const keys[] = {"systemic_risk", "other", NULL};
	const fg_node *v;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "fallback"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "fallback");
	if (c->metric != FG_METRIC_MODIFICATION_FRACTION) {
		fg_ld_problem(L, map, "`fallback` is only for "
			"modification_fraction (a modification_compute_flop "
			"line used when the base model's compute is "
			"unknown)");
		return FG_EINPUT;
	}
	if ((v = fg_node_get(map, "systemic_risk")) &&
	    fg_ld_get_exact(L, &c->fallback_systemic_risk,
			    &c->exact.fallback_systemic_risk, v, FG_QTY_FLOP,
			    "fallback.systemic_risk"))
		rc = FG_EINPUT;
	if (!(v = fg_node_get(map, "other"))) {
		fg_ld_problem(L, map, "`fallback` has no `other` (the line when the "
			"base model has no systemic risk or that is unknown)");
		rc = FG_EINPUT;
	} else if (fg_ld_get_exact(L, &c->fallback_other,
				   &c->exact.fallback_other, v, FG_QTY_FLOP,
				   "fallback.other")) {
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_metric_leaf(fg_loader *L, fg_condition *c, const fg_node *map)
{
	static const char *const keys[] = {"metric", "op", "value", "counts",
					   "fallback", NULL};
	const fg_node *m = fg_node_get(map, "metric");
	const fg_node *op = fg_node_get(map, "op");
	const fg_node *value = fg_node_get(map, "value");
	const fg_node *v;
	int rc = 0, metric_ok = 0;

	c->type = FG_COND_METRIC;
	c->counts = FG_KIND_ALL;
	c->fallback_systemic_risk = c->fallback_other = -1;
	fg_ld_check_keys(L, map, keys, "condition");
	if (fg_ld_expect_type(L, m, FG_NODE_SCALAR, "metric")) {
		rc = FG_EINPUT;
	} else if (fg_metric_parse(&c->metric, m->value)) {
		char hint[400];
		const char *near = fg_suggest_text(hint, sizeof(hint),
						   m->value, fg_metric_names);

		fg_ld_problem(L, m, "unknown metric `%s`%s%s%s", m->value,
			near ? "; did you mean " : "", near ? near : "",
			near ? "?" : "");
		rc = FG_EINPUT;
	} else {
		metric_ok = 1;
	}
	if (!op) {
		fg_ld_problem(L, map, "condition has no `op` (one of > >= < <= ==)");
		rc = FG_EINPUT;
	} else if (fg_ld_expect_type(L, op, FG_NODE_SCALAR, "op")) {
		rc = FG_EINPUT;
	} else if (fg_op_parse(&c->op, op->value)) {
		fg_ld_problem(L, op, "unknown operator `%s`; use one of > >= < <= "
			"==", op->value);
		rc = FG_EINPUT;
	}
	if (!value) {
		fg_ld_problem(L, map, "condition has no `value`");
		rc = FG_EINPUT;
	} else if (metric_ok &&
		   fg_ld_get_exact(L, &c->value, &c->exact.value, value,
				   fg_metric_qty_kind(c->metric), "value")) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(map, "counts"))) {
		if (metric_ok && c->metric != FG_METRIC_TRAINING_COMPUTE &&
		    c->metric != FG_METRIC_MODIFICATION_COMPUTE &&
		    c->metric != FG_METRIC_MODIFICATION_FRACTION) {
			fg_ld_problem(L, v, "`counts` applies only to compute "
				"metrics, not `%s`", fg_metric_name(c->metric));
			rc = FG_EINPUT;
		} else if (parse_counts(L, c, v)) {
			rc = FG_EINPUT;
		}
	}
	if ((v = fg_node_get(map, "fallback")) && metric_ok &&
	    parse_fallback(L, c, v))
		rc = FG_EINPUT;
	return rc;
}

static int parse_attribute_leaf(fg_loader *L, fg_condition *c,
				const fg_node *map, int is_field)
{
	static const char *const attribute_keys[] = {"attribute", "equals",
						     "in", "missing", NULL};
	static const char *const field_keys[] = {"field", "equals", "in",
						 "missing", NULL};
	const fg_node *eq = fg_node_get(map, "equals");
	const fg_node *in = fg_node_get(map, "in");
	const fg_node *missing = fg_node_get(map, "missing");
	const char *key = is_field ? "field" : "attribute";
	size_t i;
	int rc = 0, f;

	c->type = FG_COND_ATTRIBUTE;
	fg_ld_check_keys(L, map, is_field ? field_keys : attribute_keys,
			 "condition");
	if (fg_ld_get_string(L, &c->attribute, map, key, "condition", 1)) {
		rc = FG_EINPUT;
	} else if (is_field) {
		if ((f = fg_name_lookup(fg_field_names + 1, c->attribute)) < 0) {
			char hint[400];
			const char *near = fg_suggest_text(hint, sizeof(hint),
							   c->attribute,
							   fg_field_names + 1);

			fg_ld_problem(L, fg_node_get(map, "field"),
				"unknown run field `%s`%s%s%s; one of "
				"base_model.systemic_risk, "
				"base_model.other_provider, "
				"organization.established_in", c->attribute,
				near ? " (did you mean " : "",
				near ? near : "", near ? "?)" : "");
			rc = FG_EINPUT;
		} else {
			c->field = (fg_field)(f + 1);
		}
	} else if (!strncmp(c->attribute, "x-", 2)) {
		fg_ld_problem(L, fg_node_get(map, "attribute"), "`%s`: "
			"attributes beginning with `x-` are a team's own "
			"information; no rule reads them", c->attribute);
		rc = FG_EINPUT;
	}
	if (!!eq == !!in) {
		fg_ld_problem(L, map, "an attribute condition needs exactly one of "
			"`equals` and `in`");
		return FG_EINPUT;
	}
	if (eq) {
		if (fg_ld_expect_type(L, eq, FG_NODE_SCALAR, "equals"))
			return FG_EINPUT;
		c->values = calloc(1, sizeof(char *));
		if (!c->values || !(c->values[0] = fg_ld_strdup(L, fg_ld_scalar_word(eq)))) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		c->value_count = 1;
	} else {
		if (fg_ld_expect_type(L, in, FG_NODE_SEQ, "in"))
			return FG_EINPUT;
		if (in->count == 0) {
			fg_ld_problem(L, in, "`in` lists no value");
			return FG_EINPUT;
		}
		c->values = calloc(in->count, sizeof(char *));
		if (!c->values) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (i = 0; i < in->count; i++) {
			if (fg_ld_expect_type(L, in->items[i], FG_NODE_SCALAR, "in")) {
				rc = FG_EINPUT;
				continue;
			}
			c->values[c->value_count++] =
				fg_ld_strdup(L, fg_ld_scalar_word(in->items[i]));
		}
	}
	if (missing) {
		if (fg_ld_expect_type(L, missing, FG_NODE_SCALAR, "missing"))
			rc = FG_EINPUT;
		else if (!strcmp(missing->value, "unknown"))
			c->missing = FG_MISSING_UNKNOWN;
		else if (!strcmp(fg_ld_scalar_word(missing), "false"))
			c->missing = FG_MISSING_FALSE;
		else if (!strcmp(missing->value, "presumed"))
			c->missing = FG_MISSING_PRESUMED;
		else {
			fg_ld_problem(L, missing, "`missing` is `unknown`, "
				"`false` or `presumed`, not `%s`",
				missing->value);
			rc = FG_EINPUT;
		}
	}
	return rc;
}

static int parse_condition(fg_loader *L, fg_condition *c, const fg_node *node)
{
	static const char *const kinds[] = {"all", "any", "not", "metric",
					    "attribute", "field", NULL};
	const fg_node *v;
	int found = -1, k;

	memset(c, 0, sizeof(*c));
	if (fg_ld_expect_type(L, node, FG_NODE_MAP, "condition"))
		return FG_EINPUT;
	c->line = node->line;
	c->column = node->column;
	for (k = 0; kinds[k]; k++) {
		if (!fg_node_get(node, kinds[k]))
			continue;
		if (found >= 0) {
			fg_ld_problem(L, node, "a condition is one of all, any, not, "
				"a metric, an attribute or a field; this one "
				"has both `%s` and `%s`", kinds[found],
				kinds[k]);
			return FG_EINPUT;
		}
		found = k;
	}
	switch (found) {
	case 0:
	case 1:
		c->type = found == 0 ? FG_COND_ALL : FG_COND_ANY;
		if (node->count != 1) {
			static const char *const only[] = {"all", "any", NULL};

			fg_ld_check_keys(L, node, only, "condition");
		}
		return parse_children(L, c, fg_node_get(node, kinds[found]),
				      kinds[found]);
	case 2:
		c->type = FG_COND_NOT;
		if (node->count != 1) {
			static const char *const only[] = {"not", NULL};

			fg_ld_check_keys(L, node, only, "condition");
		}
		v = fg_node_get(node, "not");
		c->children = calloc(1, sizeof(*c->children));
		if (!c->children) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		c->child_count = 1;
		return parse_condition(L, &c->children[0], v);
	case 3:
		return parse_metric_leaf(L, c, node);
	case 4:
	case 5:
		return parse_attribute_leaf(L, c, node, found == 5);
	default:
		fg_ld_problem(L, node, "a condition needs `all`, `any`, `not`, "
			"`metric`, `attribute` or `field`");
		return FG_EINPUT;
	}
}

/* ---- rules ------------------------------------------------------------ */

static void obligation_clear(fg_obligation *o)
{
	free(o->id);
	free(o->text);
	free(o->citation);
	if (o->when) {
		condition_clear(o->when);
		free(o->when);
	}
	free(o->when_text);
}

static void rule_clear(fg_rule *r)
{
	size_t i;

	free(r->id);
	free(r->title);
	free(r->citation);
	free(r->assumes);
	free(r->ended);
	for (i = 0; i < r->jurisdiction_count; i++)
		free(r->jurisdictions[i]);
	free(r->jurisdictions);
	for (i = 0; i < r->scope_count; i++) {
		condition_clear(&r->scope[i].when);
		free(r->scope[i].otherwise);
	}
	free(r->scope);
	condition_clear(&r->when);
	fg_exact_free(r->exact.near);
	for (i = 0; i < r->obligation_count; i++)
		obligation_clear(&r->obligations[i]);
	free(r->obligations);
	free(r->transition.citation);
}

static int parse_effective(fg_loader *L, fg_rule *r, const fg_node *rule_node)
{
	static const char *const keys[] = {"from", "until", "ended", NULL};
	static const char *const endings[] = {"revoked", "rescinded",
					      "repealed", "superseded",
					      "expired", "not_enforced", NULL};
	const fg_node *map = fg_node_get(rule_node, "effective");
	const fg_node *from, *until, *ended;
	int rc = 0;

	r->effective_from = r->effective_until = FG_DATE_NONE;
	if (!map) {
		fg_ld_problem(L, rule_node, "rule `%s` has no `effective` dates",
			r->id ? r->id : "?");
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "effective"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "effective");
	from = fg_node_get(map, "from");
	until = fg_node_get(map, "until");
	ended = fg_node_get(map, "ended");
	if (!from) {
		fg_ld_problem(L, map, "`effective` has no `from`");
		rc = FG_EINPUT;
	} else if (fg_ld_get_date(L, &r->effective_from, from, "effective.from")) {
		rc = FG_EINPUT;
	}
	if (until && !fg_node_is_null(until)) {
		if (fg_ld_get_date(L, &r->effective_until, until, "effective.until"))
			rc = FG_EINPUT;
		else if (r->effective_from != FG_DATE_NONE &&
			 r->effective_until <= r->effective_from) {
			fg_ld_problem(L, until, "`until` (%s) must be after `from` "
				"(%s)", until->value, from->value);
			rc = FG_EINPUT;
		}
	}
	if (ended) {
		if (fg_ld_expect_type(L, ended, FG_NODE_SCALAR, "ended")) {
			rc = FG_EINPUT;
		} else if (fg_name_lookup(endings, ended->value) < 0) {
			fg_ld_problem(L, ended, "`ended` is one of revoked, rescinded, "
				"repealed, superseded, expired, not_enforced; "
				"not `%s`", ended->value);
			rc = FG_EINPUT;
		} else if (!until || fg_node_is_null(until)) {
			fg_ld_problem(L, ended, "`ended` needs an `until` date");
			rc = FG_EINPUT;
		} else {
			r->ended = fg_ld_strdup(L, ended->value);
		}
	}
	return rc;
}

/* applies_to.scope: [{when: CONDITION, otherwise: TEXT}] */
static int parse_scope(fg_loader *L, fg_rule *r, const fg_node *list)
{
	static const char *const keys[] = {"when", "otherwise", NULL};
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "scope"))
		return FG_EINPUT;
	r->scope = calloc(list->count ? list->count : 1, sizeof(*r->scope));
	if (!r->scope) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *m = list->items[i], *w;
		fg_scope *sc = &r->scope[r->scope_count];
		int bad = 0;

		if (fg_ld_expect_type(L, m, FG_NODE_MAP, "scope")) {
			rc = FG_EINPUT;
			continue;
		}
		fg_ld_check_keys(L, m, keys, "scope");
		if (!(w = fg_node_get(m, "when"))) {
			fg_ld_problem(L, m, "a scope entry needs `when` (the "
				"condition under which the rule applies)");
			bad = 1;
		} else if (parse_condition(L, &sc->when, w)) {
			bad = 1;
		}
		if (fg_ld_get_string(L, &sc->otherwise, m, "otherwise",
				     "scope", 1))
			bad = 1;
		if (bad) {
			condition_clear(&sc->when);
			free(sc->otherwise);
			sc->otherwise = NULL;
			rc = FG_EINPUT;
			continue;
		}
		r->scope_count++;
	}
	return rc;
}

static int parse_jurisdictions(fg_loader *L, fg_rule *r,
			       const fg_node *rule_node)
{
	static const char *const keys[] = {"jurisdictions", "scope", NULL};
	const fg_node *map = fg_node_get(rule_node, "applies_to");
	const fg_node *list;
	size_t i;
	int rc = 0;

	if (!map) {
		fg_ld_problem(L, rule_node, "rule `%s` has no `applies_to`",
			r->id ? r->id : "?");
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "applies_to"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "applies_to");
	if ((list = fg_node_get(map, "scope")) && parse_scope(L, r, list))
		rc = FG_EINPUT;
	list = fg_node_get(map, "jurisdictions");
	if (!list) {
		fg_ld_problem(L, map, "`applies_to` has no `jurisdictions`");
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "jurisdictions"))
		return FG_EINPUT;
	if (list->count == 0) {
		fg_ld_problem(L, list, "`jurisdictions` is empty");
		return FG_EINPUT;
	}
	if (rc)
		return rc;
	r->jurisdictions = calloc(list->count, sizeof(char *));
	if (!r->jurisdictions) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *j = list->items[i];

		if (fg_ld_expect_type(L, j, FG_NODE_SCALAR, "jurisdictions")) {
			rc = FG_EINPUT;
		} else if (!fg_jurisdiction_valid(j->value)) {
			const char *near[FG_SUGGEST_SHOWN];
			size_t n = fg_jurisdiction_suggestions(
				near, FG_SUGGEST_SHOWN, j->value);
			char hint[400];

			fg_ld_problem(L, j, "`%s` is not a jurisdiction code "
				"(ISO 3166-1 alpha-2, EU, or US- and a "
				"state)%s%s%s", j->value,
				n ? "; did you mean " : "",
				n ? fg_suggest_join(hint, sizeof(hint), near,
					n < FG_SUGGEST_SHOWN ? n
					: FG_SUGGEST_SHOWN, n) : "",
				n ? "?" : "");
			rc = FG_EINPUT;
		} else {
			r->jurisdictions[r->jurisdiction_count++] =
				fg_ld_strdup(L, j->value);
		}
	}
	return rc;
}

static int parse_due(fg_loader *L, fg_obligation *o, const fg_node *map)
{
	static const char *const keys[] = {"days", "after", "not_before",
					   NULL};
	const fg_node *days = fg_node_get(map, "days");
	const fg_node *after = fg_node_get(map, "after");
	const fg_node *not_before = fg_node_get(map, "not_before");
	double d;
	int rc = 0, a;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "due"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "due");
	if (!days) {
		fg_ld_problem(L, map, "`due` has no `days`");
		rc = FG_EINPUT;
	} else if (fg_ld_get_quantity(L, &d, days, FG_QTY_NUMBER, "due.days")) {
		rc = FG_EINPUT;
	} else if (d != floor(d) || d > 36500) {
		fg_ld_problem(L, days, "`days` must be a whole number of days, 0 to "
			"36500");
		rc = FG_EINPUT;
	} else {
		o->due_days = (int)d;
	}
	if (!after) {
		fg_ld_problem(L, map, "`due` has no `after` (threshold_met_or_"
			"foreseen, placed_on_market, effective_from, "
			"incident, incident_discovered, training_started)");
		rc = FG_EINPUT;
	} else if (fg_ld_expect_type(L, after, FG_NODE_SCALAR, "after")) {
		rc = FG_EINPUT;
	} else if ((a = fg_name_lookup(fg_after_names, after->value)) < 0) {
		char hint[400];
		const char *near = fg_suggest_text(hint, sizeof(hint),
						   after->value,
						   fg_after_names);

		fg_ld_problem(L, after, "unknown `after` `%s`%s%s%s; one of "
			"threshold_met_or_foreseen, placed_on_market, "
			"effective_from, incident, incident_discovered, "
			"training_started", after->value,
			near ? " (did you mean " : "", near ? near : "",
			near ? "?)" : "");
		rc = FG_EINPUT;
	} else {
		o->due_after = (fg_due_after)a;
	}
	if (not_before && !fg_node_is_null(not_before) &&
	    fg_ld_get_date(L, &o->not_before, not_before, "due.not_before"))
		rc = FG_EINPUT;
	o->has_due = rc == 0;
	return rc;
}

/* An obligation's own condition: `when` and the words for it. */
static int parse_obligation_when(fg_loader *L, fg_obligation *o,
				 const fg_node *m)
{
	const fg_node *w = fg_node_get(m, "when");
	const fg_node *t = fg_node_get(m, "when_text");

	if (!w && !t)
		return 0;
	if (!w || !t) {
		fg_ld_problem(L, w ? w : t, "an obligation's `when` needs a "
			"`when_text` saying the condition in words, and "
			"`when_text` needs a `when`");
		return FG_EINPUT;
	}
	if (!(o->when = calloc(1, sizeof(*o->when)))) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	if (parse_condition(L, o->when, w))
		return FG_EINPUT;
	return fg_ld_get_string(L, &o->when_text, m, "when_text",
				"obligation", 1);
}

static int parse_obligations(fg_loader *L, fg_rule *r, const fg_node *list)
{
	static const char *const keys[] = {"id", "text", "citation", "due",
					   "when", "when_text", NULL};
	size_t i, j;
	int rc = 0;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "obligations"))
		return FG_EINPUT;
	r->obligations = calloc(list->count ? list->count : 1,
				sizeof(*r->obligations));
	if (!r->obligations) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *m = list->items[i];
		fg_obligation *o = &r->obligations[r->obligation_count];
		const fg_node *due;
		int bad = 0;

		if (fg_ld_expect_type(L, m, FG_NODE_MAP, "obligation")) {
			rc = FG_EINPUT;
			continue;
		}
		memset(o, 0, sizeof(*o));
		o->not_before = FG_DATE_NONE;
		o->line = m->line;
		o->column = m->column;
		fg_ld_check_keys(L, m, keys, "obligation");
		if (parse_obligation_when(L, o, m))
			bad = 1;
		if (fg_ld_get_string(L, &o->id, m, "id", "obligation", 1) ||
		    fg_ld_get_string(L, &o->text, m, "text", "obligation", 1) ||
		    fg_ld_get_string(L, &o->citation, m, "citation", "obligation",
			       0))
			bad = 1;
		if ((due = fg_node_get(m, "due")) && parse_due(L, o, due))
			bad = 1;
		for (j = 0; o->id && j < r->obligation_count; j++)
			if (!strcmp(r->obligations[j].id, o->id)) {
				fg_ld_problem(L, m, "obligation `%s` is listed twice "
					"in rule `%s`", o->id,
					r->id ? r->id : "?");
				bad = 1;
			}
		if (bad) {
			obligation_clear(o);
			rc = FG_EINPUT;
			continue;
		}
		r->obligation_count++;
	}
	return rc;
}

/* transition: {placed_before, comply_by, citation} (AI Act Art. 111(3)).
 * Every problem is reported; on any, the rule has no transition. */
static int parse_transition(fg_loader *L, fg_rule *r, const fg_node *map)
{
	static const char *const keys[] = {"placed_before", "comply_by",
					   "citation", NULL};
	fg_transition *t = &r->transition;
	const fg_node *before, *by;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "transition"))
		return FG_EINPUT;
	t->line = map->line;
	t->column = map->column;
	fg_ld_check_keys(L, map, keys, "transition");
	before = fg_node_get(map, "placed_before");
	by = fg_node_get(map, "comply_by");
	if (!before || fg_node_is_null(before)) {
		fg_ld_problem(L, map, "`transition` has no `placed_before` (the day "
			"from which what is placed on the market gets no "
			"extra time)");
		rc = FG_EINPUT;
	} else if (fg_ld_get_date(L, &t->placed_before, before,
			    "transition.placed_before")) {
		rc = FG_EINPUT;
	}
	if (!by || fg_node_is_null(by)) {
		fg_ld_problem(L, map, "`transition` has no `comply_by` (the day by "
			"which what was placed earlier must comply)");
		rc = FG_EINPUT;
	} else if (fg_ld_get_date(L, &t->comply_by, by, "transition.comply_by")) {
		rc = FG_EINPUT;
	}
	/* A transition that ends before it starts gives no time at all:
	 * almost certainly the two dates are swapped. */
	if (rc == 0 && t->comply_by <= t->placed_before) {
		fg_ld_problem(L, by, "`comply_by` (%s) must be after `placed_before` "
			"(%s)", by->value, before->value);
		rc = FG_EINPUT;
	}
	if (fg_ld_get_string(L, &t->citation, map, "citation", "transition", 1))
		rc = FG_EINPUT;
	if (rc) {
		free(t->citation);
		memset(t, 0, sizeof(*t));
		t->placed_before = t->comply_by = FG_DATE_NONE;
	}
	return rc;
}

static int parse_rule(fg_loader *L, fg_rule *r, const fg_node *node)
{
	static const char *const keys[] = {
		"id", "title", "citation", "effective", "applies_to", "when",
		"near", "severity", "obligations", "transition", "assumes",
		NULL
	};
	const fg_node *v;
	int rc = 0, s;

	memset(r, 0, sizeof(*r));
	r->transition.placed_before = r->transition.comply_by = FG_DATE_NONE;
	if (fg_ld_expect_type(L, node, FG_NODE_MAP, "rule"))
		return FG_EINPUT;
	r->line = node->line;
	r->column = node->column;
	fg_ld_check_keys(L, node, keys, "rule");
	if (fg_ld_get_string(L, &r->id, node, "id", "rule", 1))
		rc = FG_EINPUT;
	else if (!fg_ld_valid_id(r->id)) {
		fg_ld_problem(L, fg_node_get(node, "id"), "rule id `%s` must be 1 "
			"to 128 of A-Z a-z 0-9 . _ -", r->id);
		rc = FG_EINPUT;
	}
	if (fg_ld_get_string(L, &r->title, node, "title", "rule", 1))
		rc = FG_EINPUT;
	/* A rule that cannot say which provision it encodes cannot be
	 * checked by anyone: the citation is required. */
	if (fg_ld_get_string(L, &r->citation, node, "citation", "rule", 1))
		rc = FG_EINPUT;
	if (fg_ld_get_string(L, &r->assumes, node, "assumes", "rule", 0))
		rc = FG_EINPUT;
	if (parse_effective(L, r, node))
		rc = FG_EINPUT;
	if (parse_jurisdictions(L, r, node))
		rc = FG_EINPUT;
	if (!(v = fg_node_get(node, "when"))) {
		fg_ld_problem(L, node, "rule `%s` has no `when` condition",
			r->id ? r->id : "?");
		rc = FG_EINPUT;
	} else if (parse_condition(L, &r->when, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(node, "near"))) {
		if (fg_ld_get_exact(L, &r->near, &r->exact.near, v,
				    FG_QTY_NUMBER, "near"))
			rc = FG_EINPUT;
		else if (r->near <= 0 || r->near >= 1) {
			fg_ld_problem(L, v, "`near` is a fraction of the line, "
				"between 0 and 1 (0.5 = half)");
			rc = FG_EINPUT;
		}
	}
	if (!(v = fg_node_get(node, "severity"))) {
		fg_ld_problem(L, node, "rule `%s` has no `severity` (blocking, "
			"warning, info)", r->id ? r->id : "?");
		rc = FG_EINPUT;
	} else if (fg_ld_expect_type(L, v, FG_NODE_SCALAR, "severity")) {
		rc = FG_EINPUT;
	} else if ((s = fg_name_lookup(fg_severity_names, v->value)) < 0) {
		fg_ld_problem(L, v, "unknown severity `%s`; one of blocking, "
			"warning, info", v->value);
		rc = FG_EINPUT;
	} else {
		r->severity = (fg_severity)s;
	}
	if ((v = fg_node_get(node, "obligations")) &&
	    parse_obligations(L, r, v))
		rc = FG_EINPUT;
	if ((v = fg_node_get(node, "transition")) && parse_transition(L, r, v))
		rc = FG_EINPUT;
	return rc;
}

/* ---- rulesets --------------------------------------------------------- */

void fg_ruleset_free(fg_ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	free(rs->id);
	free(rs->title);
	free(rs->jurisdiction);
	free(rs->version);
	free(rs->source);
	free(rs->file);
	free(rs->text);
	for (i = 0; i < rs->rule_count; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	for (i = 0; i < rs->attribute_count; i++)
		fg_attribute_decl_clear(&rs->attributes[i]);
	free(rs->attributes);
	for (i = 0; i < rs->test_count; i++)
		fg_rule_test_clear(&rs->tests[i]);
	free(rs->tests);
	free(rs);
}

static int parse_meta(fg_loader *L, fg_ruleset *rs, const fg_node *root)
{
	static const char *const keys[] = {"id", "title", "jurisdiction",
					   "version", "source", NULL};
	const fg_node *map = fg_node_get(root, "ruleset");
	int rc = 0;

	if (!map) {
		fg_ld_problem(L, root, "the file has no `ruleset:` section");
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "ruleset"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "ruleset");
	if (fg_node_get(map, "id")) {
		rs->id_line = fg_node_get(map, "id")->line;
		rs->id_column = fg_node_get(map, "id")->column;
	}
	if (fg_ld_get_string(L, &rs->id, map, "id", "ruleset", 1))
		rc = FG_EINPUT;
	else if (!fg_ld_valid_id(rs->id)) {
		fg_ld_problem(L, fg_node_get(map, "id"), "ruleset id `%s` must be 1 "
			"to 128 of A-Z a-z 0-9 . _ -", rs->id);
		rc = FG_EINPUT;
	}
	if (fg_ld_get_string(L, &rs->title, map, "title", "ruleset", 1) ||
	    fg_ld_get_string(L, &rs->jurisdiction, map, "jurisdiction", "ruleset",
		       0) ||
	    fg_ld_get_string(L, &rs->version, map, "version", "ruleset", 0) ||
	    fg_ld_get_string(L, &rs->source, map, "source", "ruleset", 0))
		rc = FG_EINPUT;
	return rc;
}

static int parse_rules(fg_loader *L, fg_ruleset *rs, const fg_node *root)
{
	const fg_node *list = fg_node_get(root, "rules");
	size_t i, j;
	int rc = 0;

	if (!list) {
		fg_ld_problem(L, root, "the file has no `rules:` list");
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "rules"))
		return FG_EINPUT;
	rs->rules = calloc(list->count ? list->count : 1, sizeof(*rs->rules));
	if (!rs->rules) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		fg_rule *r = &rs->rules[rs->rule_count];
		int bad = parse_rule(L, r, list->items[i]) != 0;

		for (j = 0; !bad && j < rs->rule_count; j++)
			if (!strcmp(rs->rules[j].id, r->id)) {
				fg_ld_problem(L, list->items[i], "duplicate rule id "
					"`%s`: also defined at %s:%d:%d",
					r->id, rs->file, rs->rules[j].line,
					rs->rules[j].column);
				bad = 1;
			}
		if (bad) {
			rule_clear(r);
			rc = FG_EINPUT;
			continue;
		}
		r->ruleset = rs;
		rs->rule_count++;
	}
	return rc;
}

/* Appends L's problems to diags and the first to err; returns the code. */
static int finish(fg_loader *L, fg_diagnostics *diags, fg_error *err)
{
	size_t i;
	int rc = 0;

	if (L->nomem) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				  "out of memory loading a ruleset");
	} else if (L->found.count) {
		if (err)
			*err = L->found.items[0];
		rc = FG_EINPUT;
	}
	for (i = 0; i < L->found.count; i++)
		fg_diagnostics_add(diags, &L->found.items[i]);
	fg_diagnostics_free(&L->found);
	return rc;
}

static int load_yaml(fg_ruleset **out, fg_yaml *yaml, fg_diagnostics *diags,
		     fg_error *err)
{
	static const char *const keys[] = {"ruleset", "attributes", "rules",
					   "tests", NULL};
	fg_loader L;
	fg_ruleset *rs = NULL;
	const fg_node *root, *tests, *attributes;
	const char *text;
	size_t length;
	int rc;

	memset(&L, 0, sizeof(L));
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	text = fg_yaml_source(yaml, &length);
	rs->file = fg_ld_strdup(&L, fg_yaml_path(yaml));
	rs->text = malloc(length + 1);
	if (rs->text) {
		memcpy(rs->text, text, length);
		rs->text[length] = 0;
		rs->length = length;
	} else {
		L.nomem = 1;
	}
	if (fg_sha256_hex(text, length, rs->sha256))
		L.nomem = 1;
	if (fg_yaml_count(yaml) != 1) {
		fg_error e;

		fg_error_set(&e, FG_EINPUT, fg_yaml_path(yaml), 1, 1,
			     "a ruleset file holds exactly one YAML document"
			     " (found %zu)", fg_yaml_count(yaml));
		fg_ld_problem_err(&L, &e);
	} else {
		root = fg_yaml_root(yaml, 0);
		if (fg_ld_expect_type(&L, root, FG_NODE_MAP, "ruleset file") == 0) {
			fg_ld_check_keys(&L, root, keys, "ruleset file");
			parse_meta(&L, rs, root);
			if ((attributes = fg_node_get(root, "attributes")))
				fg_ld_parse_attributes(&L, rs, attributes);
			parse_rules(&L, rs, root);
			fg_ld_check_rule_vocabulary(&L, rs);
			if ((tests = fg_node_get(root, "tests")))
				fg_ld_parse_tests(&L, rs, tests,
					    fg_node_get(root, "rules"));
		}
	}
	rc = finish(&L, diags, err);
	if (rc) {
		fg_ruleset_free(rs);
		rs = NULL;
	}
	*out = rs;
	return rc;
}

/* 1 when the line at text[i..) opens a top-level `tests:` whose value is
 * a block below it: "tests:", then only blanks or a comment. */
static int tests_line(const char *text, size_t length, size_t i)
{
	if (length - i < 6 || memcmp(text + i, "tests:", 6))
		return 0;
	for (i += 6; i < length && (text[i] == ' ' || text[i] == '\t'); i++)
		;
	return i == length || text[i] == '\n' || text[i] == '\r' ||
	       text[i] == '#';
}

/* Where a ruleset's decisions end: the start of a `tests:` line at the
 * first column when nothing after it starts at the first column but
 * blank lines, comments and the items of an unindented list ("- "), so
 * that `tests:` is the file's last key; else the whole length.  A line
 * so found may yet lie inside a quoted string or a flow collection: the
 * head then fails to load, and the caller loads the whole file. */
static size_t decisions_length(const char *text, size_t length)
{
	size_t i = length, found = length;

	while (i > 0) {
		size_t start = i - 1;

		/* start of the line holding text[i - 1] */
		while (start > 0 && text[start - 1] != '\n' &&
		       text[start - 1] != '\r')
			start--;
		if (start < length) {
			char c = text[start];
			size_t rest = length - start;

			if (tests_line(text, length, start))
				found = start;
			else if (found == length &&
				 !(c == ' ' || c == '\n' || c == '\r' ||
				   c == '#' ||
				   (c == '-' && (rest == 1 ||
						 text[start + 1] == ' ' ||
						 text[start + 1] == '\n' ||
						 text[start + 1] == '\r'))))
				return length;
			if (found < length)
				return found;
		}
		i = start;
	}
	return found;
}

int fg_ruleset_load_flags(fg_ruleset **out, const char *path, int flags,
			  fg_diagnostics *diags, fg_error *err)
{
	fg_yaml *yaml = NULL;
	int rc;

	*out = NULL;
	if (!(flags & FG_RULESET_SKIP_TESTS))
		return fg_ruleset_load(out, path, diags, err);
	/* The head alone, when it loads cleanly; any problem, and the
	 * whole file is loaded again so that every problem is reported as
	 * a full load reports it. */
	if (fg_yaml_load_file_prefix(&yaml, path, NULL, decisions_length,
				     NULL) == 0) {
		fg_diagnostics quiet = {0};

		rc = load_yaml(out, yaml, &quiet, NULL);
		fg_yaml_free(yaml);
		if (rc == 0 && quiet.count == 0)
			return 0;
		fg_diagnostics_free(&quiet);
		fg_ruleset_free(*out);
		*out = NULL;
	}
	return fg_ruleset_load(out, path, diags, err);
}

int fg_ruleset_load(fg_ruleset **out, const char *path,
		    fg_diagnostics *diags, fg_error *err)
{
	fg_yaml *yaml = NULL;
	fg_error e;
	int rc;

	*out = NULL;
	/* A local error, so a YAML-level problem reaches diags also when
	 * the caller passes no err. */
	if ((rc = fg_yaml_load_file(&yaml, path, NULL, &e)) < 0) {
		fg_diagnostics_add(diags, &e);
		if (err)
			*err = e;
		return rc;
	}
	rc = load_yaml(out, yaml, diags, err);
	fg_yaml_free(yaml);
	return rc;
}

int fg_ruleset_load_string(fg_ruleset **out, const char *name,
			   const char *text, size_t length,
			   fg_diagnostics *diags, fg_error *err)
{
	fg_yaml *yaml = NULL;
	fg_error e;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_string(&yaml, name, text, length, NULL,
				      &e)) < 0) {
		fg_diagnostics_add(diags, &e);
		if (err)
			*err = e;
		return rc;
	}
	rc = load_yaml(out, yaml, diags, err);
	fg_yaml_free(yaml);
	return rc;
}
