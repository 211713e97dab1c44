/* flopgate — rulesets: loading, checking, sets (see include/flopgate/rules.h).
 *
 * The loader walks the whole file even after a problem, appending every
 * problem to a list, so `rules lint` reports them all in one pass.  A part
 * that failed is left out of the model; a file with any problem is never
 * handed to the evaluator.
 */
#include "flopgate/rules.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "flopgate/hash.h"
#include "flopgate/yaml.h"

/* ---- names ------------------------------------------------------------ */

static const char *const op_names[] = {">", ">=", "<", "<=", "==", NULL};

const char *fg_op_name(fg_op op)
{
	return (unsigned)op < 5 ? op_names[op] : "?";
}

int fg_op_parse(fg_op *out, const char *text)
{
	int i;

	for (i = 0; op_names[i]; i++)
		if (!strcmp(op_names[i], text)) {
			*out = (fg_op)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

int fg_compare(double value, fg_op op, double threshold)
{
	switch (op) {
	case FG_OP_GT:
		return value > threshold;
	case FG_OP_GE:
		return value >= threshold;
	case FG_OP_LT:
		return value < threshold;
	case FG_OP_LE:
		return value <= threshold;
	case FG_OP_EQ:
		return value == threshold;
	}
	return 0;
}

static const char *const metric_names[] = {
	"training_compute_flop", "modification_compute_flop",
	"modification_fraction", "training_cost_usd", "cluster_peak_flops",
	"organization.annual_revenue_usd", NULL
};

const char *fg_metric_name(fg_metric metric)
{
	return (unsigned)metric < FG_METRIC_COUNT ? metric_names[metric] : "?";
}

int fg_metric_parse(fg_metric *out, const char *name)
{
	int i;

	for (i = 0; metric_names[i]; i++)
		if (!strcmp(metric_names[i], name)) {
			*out = (fg_metric)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

int fg_metric_is_compute(fg_metric metric)
{
	return metric == FG_METRIC_TRAINING_COMPUTE ||
	       metric == FG_METRIC_MODIFICATION_COMPUTE ||
	       metric == FG_METRIC_MODIFICATION_FRACTION;
}

static fg_qty_kind metric_kind(fg_metric metric)
{
	switch (metric) {
	case FG_METRIC_TRAINING_COMPUTE:
	case FG_METRIC_MODIFICATION_COMPUTE:
		return FG_QTY_FLOP;
	case FG_METRIC_CLUSTER_PEAK:
		return FG_QTY_FLOP_RATE;
	case FG_METRIC_TRAINING_COST:
	case FG_METRIC_ANNUAL_REVENUE:
		return FG_QTY_USD;
	default:
		return FG_QTY_NUMBER;
	}
}

static const char *const severity_names[] = {"blocking", "warning", "info",
					      NULL};

const char *fg_severity_name(fg_severity severity)
{
	return (unsigned)severity < 3 ? severity_names[severity] : "?";
}

static const char *const after_names[] = {
	"threshold_met_or_foreseen", "placed_on_market", "effective_from",
	"incident", NULL
};

const char *fg_due_after_name(fg_due_after after)
{
	return (unsigned)after < 4 ? after_names[after] : "?";
}

static const char *const outcome_names[] = {
	"clear", "near", "triggered", "not_applicable", "indeterminate",
	"waived", NULL
};

const char *fg_outcome_name(fg_outcome outcome)
{
	return (unsigned)outcome < FG_OUTCOME_COUNT ? outcome_names[outcome]
						    : "?";
}

int fg_outcome_parse(fg_outcome *out, const char *name)
{
	int i;

	for (i = 0; outcome_names[i]; i++)
		if (!strcmp(outcome_names[i], name)) {
			*out = (fg_outcome)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

static int lookup(const char *const *names, const char *word)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], word))
			return i;
	return -1;
}

/* ---- diagnostics ------------------------------------------------------ */

void fg_diagnostics_free(fg_diagnostics *diags)
{
	if (!diags)
		return;
	free(diags->items);
	diags->items = NULL;
	diags->count = diags->capacity = 0;
}

static int diagnostics_add(fg_diagnostics *diags, const fg_error *e)
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

typedef struct loader {
	fg_diagnostics found;       /* every problem in this file */
	int nomem;
} loader;

static void problem(loader *L, const fg_node *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(loader *L, const fg_node *node, const char *fmt, ...)
{
	char msg[900];
	fg_error e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fg_error_clear(&e);
	fg_node_error(&e, FG_EINPUT, node, "%s", msg);
	if (diagnostics_add(&L->found, &e))
		L->nomem = 1;
}

/* Records an error a node helper already filled in. */
static void problem_err(loader *L, const fg_error *e)
{
	if (diagnostics_add(&L->found, e))
		L->nomem = 1;
}

static char *dup_string(loader *L, const char *s)
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
static void check_keys(loader *L, const fg_node *map,
		       const char *const *known, const char *context)
{
	size_t i;

	for (i = 0; i < map->count; i++) {
		const char *key = map->keys[i]->value;
		const char *near;

		if (lookup(known, key) >= 0)
			continue;
		near = fg_nearest(key, known);
		if (near)
			problem(L, map->keys[i], "unknown key `%s` in `%s`; "
				"did you mean `%s`?", key, context, near);
		else
			problem(L, map->keys[i], "unknown key `%s` in `%s`",
				key, context);
	}
}

static int expect_type(loader *L, const fg_node *node, fg_node_type type,
		       const char *what)
{
	fg_error e;

	fg_error_clear(&e);
	if (fg_node_expect(node, type, what, &e) == 0)
		return 0;
	problem_err(L, &e);
	return FG_EINPUT;
}

/* A required (or optional) string field, copied. */
static int get_string(loader *L, char **out, const fg_node *map,
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
		problem(L, map, "`%s` has no `%s`", context, key);
		return FG_EINPUT;
	}
	if (fg_node_string(&s, v, key, &e)) {
		problem_err(L, &e);
		return FG_EINPUT;
	}
	*out = dup_string(L, s);
	return *out ? 0 : FG_ENOMEM;
}

static int get_date(loader *L, fg_date *out, const fg_node *node,
		    const char *what)
{
	fg_error e;

	fg_error_clear(&e);
	if (fg_node_date(out, node, what, &e) == 0)
		return 0;
	problem_err(L, &e);
	return FG_EINPUT;
}

static int get_quantity(loader *L, double *out, const fg_node *node,
			fg_qty_kind kind, const char *what)
{
	fg_error e;

	fg_error_clear(&e);
	if (fg_node_quantity(out, node, kind, what, &e) == 0)
		return 0;
	problem_err(L, &e);
	return FG_EINPUT;
}

/* A scalar as written, with YAML booleans normalized to "true"/"false"
 * (as run attributes are). */
static const char *scalar_word(const fg_node *node)
{
	int b;

	if (node->plain && fg_node_bool(&b, node, "value", NULL) == 0)
		return b ? "true" : "false";
	return node->value;
}

/* [A-Za-z0-9._-]{1,128}, as run ids. */
static int valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && !strchr("._-", s[n]))
			return 0;
	return n >= 1 && n <= 128;
}

/* ISO 3166-1 alpha-2 ("EU" for the Union) or an ISO 3166-2 subdivision
 * ("US-CA"). */
static int valid_jurisdiction(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || !isupper((unsigned char)s[0]) ||
	    !isupper((unsigned char)s[1]))
		return 0;
	if (n == 2)
		return 1;
	if (s[2] != '-' || n < 4 || n > 6)
		return 0;
	for (i = 3; i < n; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
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
	free(c->attribute);
	for (i = 0; i < c->value_count; i++)
		free(c->values[i]);
	free(c->values);
	memset(c, 0, sizeof(*c));
}

static int parse_condition(loader *L, fg_condition *c, const fg_node *node);

static int parse_children(loader *L, fg_condition *c, const fg_node *list,
			  const char *key)
{
	size_t i;
	int rc = 0;

	if (expect_type(L, list, FG_NODE_SEQ, key))
		return FG_EINPUT;
	if (list->count == 0) {
		problem(L, list, "`%s` needs at least one condition", key);
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

static int parse_counts(loader *L, fg_condition *c, const fg_node *list)
{
	static const char *const kinds[] = {
		"pretraining", "continued_pretraining", "fine_tuning", "rl",
		"synthetic_data", "distillation", "other", NULL
	};
	size_t i;
	int rc = 0, k;

	if (expect_type(L, list, FG_NODE_SEQ, "counts"))
		return FG_EINPUT;
	if (list->count == 0) {
		problem(L, list, "`counts` lists no phase kind");
		return FG_EINPUT;
	}
	c->counts = 0;
	for (i = 0; i < list->count; i++) {
		const fg_node *item = list->items[i];
		const char *near;

		if (expect_type(L, item, FG_NODE_SCALAR, "counts")) {
			rc = FG_EINPUT;
			continue;
		}
		k = lookup(kinds, item->value);
		if (k >= 0) {
			c->counts |= FG_KIND_BIT(k);
			continue;
		}
		near = fg_nearest(item->value, kinds);
		problem(L, item, "unknown phase kind `%s` in `counts`%s%s%s",
			item->value, near ? "; did you mean `" : "",
			near ? near : "", near ? "`?" : "");
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_fallback(loader *L, fg_condition *c, const fg_node *map)
{
	static const char *const keys[] = {"systemic_risk", "other", NULL};
	const fg_node *v;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "fallback"))
		return FG_EINPUT;
	check_keys(L, map, keys, "fallback");
	if (c->metric != FG_METRIC_MODIFICATION_FRACTION) {
		problem(L, map, "`fallback` is only for "
			"modification_fraction (a modification_compute_flop "
			"line used when the base model's compute is "
			"unknown)");
		return FG_EINPUT;
	}
	if ((v = fg_node_get(map, "systemic_risk")) &&
	    get_quantity(L, &c->fallback_systemic_risk, v, FG_QTY_FLOP,
			 "fallback.systemic_risk"))
		rc = FG_EINPUT;
	if (!(v = fg_node_get(map, "other"))) {
		problem(L, map, "`fallback` has no `other` (the line when the "
			"base model has no systemic risk or that is unknown)");
		rc = FG_EINPUT;
	} else if (get_quantity(L, &c->fallback_other, v, FG_QTY_FLOP,
				"fallback.other")) {
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_metric_leaf(loader *L, fg_condition *c, const fg_node *map)
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
	check_keys(L, map, keys, "condition");
	if (expect_type(L, m, FG_NODE_SCALAR, "metric")) {
		rc = FG_EINPUT;
	} else if (fg_metric_parse(&c->metric, m->value)) {
		const char *near = fg_nearest(m->value, metric_names);

		problem(L, m, "unknown metric `%s`%s%s%s", m->value,
			near ? "; did you mean `" : "", near ? near : "",
			near ? "`?" : "");
		rc = FG_EINPUT;
	} else {
		metric_ok = 1;
	}
	if (!op) {
		problem(L, map, "condition has no `op` (one of > >= < <= ==)");
		rc = FG_EINPUT;
	} else if (expect_type(L, op, FG_NODE_SCALAR, "op")) {
		rc = FG_EINPUT;
	} else if (fg_op_parse(&c->op, op->value)) {
		problem(L, op, "unknown operator `%s`; use one of > >= < <= "
			"==", op->value);
		rc = FG_EINPUT;
	}
	if (!value) {
		problem(L, map, "condition has no `value`");
		rc = FG_EINPUT;
	} else if (metric_ok && get_quantity(L, &c->value, value,
					     metric_kind(c->metric),
					     "value")) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(map, "counts"))) {
		if (metric_ok && c->metric != FG_METRIC_TRAINING_COMPUTE &&
		    c->metric != FG_METRIC_MODIFICATION_COMPUTE &&
		    c->metric != FG_METRIC_MODIFICATION_FRACTION) {
			problem(L, v, "`counts` applies only to compute "
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

static int parse_attribute_leaf(loader *L, fg_condition *c,
				const fg_node *map)
{
	static const char *const keys[] = {"attribute", "equals", "in",
					   "missing", NULL};
	const fg_node *eq = fg_node_get(map, "equals");
	const fg_node *in = fg_node_get(map, "in");
	const fg_node *missing = fg_node_get(map, "missing");
	size_t i;
	int rc = 0;

	c->type = FG_COND_ATTRIBUTE;
	check_keys(L, map, keys, "condition");
	if (get_string(L, &c->attribute, map, "attribute", "condition", 1))
		rc = FG_EINPUT;
	if (!!eq == !!in) {
		problem(L, map, "an attribute condition needs exactly one of "
			"`equals` and `in`");
		return FG_EINPUT;
	}
	if (eq) {
		if (expect_type(L, eq, FG_NODE_SCALAR, "equals"))
			return FG_EINPUT;
		c->values = calloc(1, sizeof(char *));
		if (!c->values || !(c->values[0] = dup_string(L, scalar_word(eq)))) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		c->value_count = 1;
	} else {
		if (expect_type(L, in, FG_NODE_SEQ, "in"))
			return FG_EINPUT;
		if (in->count == 0) {
			problem(L, in, "`in` lists no value");
			return FG_EINPUT;
		}
		c->values = calloc(in->count, sizeof(char *));
		if (!c->values) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (i = 0; i < in->count; i++) {
			if (expect_type(L, in->items[i], FG_NODE_SCALAR, "in")) {
				rc = FG_EINPUT;
				continue;
			}
			c->values[c->value_count++] =
				dup_string(L, scalar_word(in->items[i]));
		}
	}
	if (missing) {
		if (expect_type(L, missing, FG_NODE_SCALAR, "missing"))
			rc = FG_EINPUT;
		else if (!strcmp(missing->value, "unknown"))
			c->missing = FG_MISSING_UNKNOWN;
		else if (!strcmp(scalar_word(missing), "false"))
			c->missing = FG_MISSING_FALSE;
		else {
			problem(L, missing, "`missing` is `unknown` or "
				"`false`, not `%s`", missing->value);
			rc = FG_EINPUT;
		}
	}
	return rc;
}

static int parse_condition(loader *L, fg_condition *c, const fg_node *node)
{
	static const char *const kinds[] = {"all", "any", "not", "metric",
					    "attribute", NULL};
	const fg_node *v;
	int found = -1, k;

	memset(c, 0, sizeof(*c));
	if (expect_type(L, node, FG_NODE_MAP, "condition"))
		return FG_EINPUT;
	c->line = node->line;
	c->column = node->column;
	for (k = 0; kinds[k]; k++) {
		if (!fg_node_get(node, kinds[k]))
			continue;
		if (found >= 0) {
			problem(L, node, "a condition is one of all, any, not, "
				"a metric or an attribute; this one has both "
				"`%s` and `%s`", kinds[found], kinds[k]);
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

			check_keys(L, node, only, "condition");
		}
		return parse_children(L, c, fg_node_get(node, kinds[found]),
				      kinds[found]);
	case 2:
		c->type = FG_COND_NOT;
		if (node->count != 1) {
			static const char *const only[] = {"not", NULL};

			check_keys(L, node, only, "condition");
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
		return parse_attribute_leaf(L, c, node);
	default:
		problem(L, node, "a condition needs `all`, `any`, `not`, "
			"`metric` or `attribute`");
		return FG_EINPUT;
	}
}

/* ---- rules ------------------------------------------------------------ */

static void obligation_clear(fg_obligation *o)
{
	free(o->id);
	free(o->text);
	free(o->citation);
}

static void rule_clear(fg_rule *r)
{
	size_t i;

	free(r->id);
	free(r->title);
	free(r->citation);
	free(r->ended);
	for (i = 0; i < r->jurisdiction_count; i++)
		free(r->jurisdictions[i]);
	free(r->jurisdictions);
	condition_clear(&r->when);
	for (i = 0; i < r->obligation_count; i++)
		obligation_clear(&r->obligations[i]);
	free(r->obligations);
	free(r->transition.citation);
}

static int parse_effective(loader *L, fg_rule *r, const fg_node *rule_node)
{
	static const char *const keys[] = {"from", "until", "ended", NULL};
	static const char *const endings[] = {"revoked", "rescinded",
					      "repealed", "superseded",
					      "expired", NULL};
	const fg_node *map = fg_node_get(rule_node, "effective");
	const fg_node *from, *until, *ended;
	int rc = 0;

	r->effective_from = r->effective_until = FG_DATE_NONE;
	if (!map) {
		problem(L, rule_node, "rule `%s` has no `effective` dates",
			r->id ? r->id : "?");
		return FG_EINPUT;
	}
	if (expect_type(L, map, FG_NODE_MAP, "effective"))
		return FG_EINPUT;
	check_keys(L, map, keys, "effective");
	from = fg_node_get(map, "from");
	until = fg_node_get(map, "until");
	ended = fg_node_get(map, "ended");
	if (!from) {
		problem(L, map, "`effective` has no `from`");
		rc = FG_EINPUT;
	} else if (get_date(L, &r->effective_from, from, "effective.from")) {
		rc = FG_EINPUT;
	}
	if (until && !fg_node_is_null(until)) {
		if (get_date(L, &r->effective_until, until, "effective.until"))
			rc = FG_EINPUT;
		else if (r->effective_from != FG_DATE_NONE &&
			 r->effective_until <= r->effective_from) {
			problem(L, until, "`until` (%s) must be after `from` "
				"(%s)", until->value, from->value);
			rc = FG_EINPUT;
		}
	}
	if (ended) {
		if (expect_type(L, ended, FG_NODE_SCALAR, "ended")) {
			rc = FG_EINPUT;
		} else if (lookup(endings, ended->value) < 0) {
			problem(L, ended, "`ended` is one of revoked, rescinded, "
				"repealed, superseded, expired; not `%s`",
				ended->value);
			rc = FG_EINPUT;
		} else if (!until || fg_node_is_null(until)) {
			problem(L, ended, "`ended` needs an `until` date");
			rc = FG_EINPUT;
		} else {
			r->ended = dup_string(L, ended->value);
		}
	}
	return rc;
}

static int parse_jurisdictions(loader *L, fg_rule *r, const fg_node *rule_node)
{
	static const char *const keys[] = {"jurisdictions", NULL};
	const fg_node *map = fg_node_get(rule_node, "applies_to");
	const fg_node *list;
	size_t i;
	int rc = 0;

	if (!map) {
		problem(L, rule_node, "rule `%s` has no `applies_to`",
			r->id ? r->id : "?");
		return FG_EINPUT;
	}
	if (expect_type(L, map, FG_NODE_MAP, "applies_to"))
		return FG_EINPUT;
	check_keys(L, map, keys, "applies_to");
	list = fg_node_get(map, "jurisdictions");
	if (!list) {
		problem(L, map, "`applies_to` has no `jurisdictions`");
		return FG_EINPUT;
	}
	if (expect_type(L, list, FG_NODE_SEQ, "jurisdictions"))
		return FG_EINPUT;
	if (list->count == 0) {
		problem(L, list, "`jurisdictions` is empty");
		return FG_EINPUT;
	}
	r->jurisdictions = calloc(list->count, sizeof(char *));
	if (!r->jurisdictions) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *j = list->items[i];

		if (expect_type(L, j, FG_NODE_SCALAR, "jurisdictions")) {
			rc = FG_EINPUT;
		} else if (!valid_jurisdiction(j->value)) {
			problem(L, j, "`%s` is not an ISO 3166 code (EU, US, "
				"US-CA, KR)", j->value);
			rc = FG_EINPUT;
		} else {
			r->jurisdictions[r->jurisdiction_count++] =
				dup_string(L, j->value);
		}
	}
	return rc;
}

static int parse_due(loader *L, fg_obligation *o, const fg_node *map)
{
	static const char *const keys[] = {"days", "after", NULL};
	const fg_node *days = fg_node_get(map, "days");
	const fg_node *after = fg_node_get(map, "after");
	double d;
	int rc = 0, a;

	if (expect_type(L, map, FG_NODE_MAP, "due"))
		return FG_EINPUT;
	check_keys(L, map, keys, "due");
	if (!days) {
		problem(L, map, "`due` has no `days`");
		rc = FG_EINPUT;
	} else if (get_quantity(L, &d, days, FG_QTY_NUMBER, "due.days")) {
		rc = FG_EINPUT;
	} else if (d != floor(d) || d > 36500) {
		problem(L, days, "`days` must be a whole number of days, 0 to "
			"36500");
		rc = FG_EINPUT;
	} else {
		o->due_days = (int)d;
	}
	if (!after) {
		problem(L, map, "`due` has no `after` (threshold_met_or_"
			"foreseen, placed_on_market, effective_from, "
			"incident)");
		rc = FG_EINPUT;
	} else if (expect_type(L, after, FG_NODE_SCALAR, "after")) {
		rc = FG_EINPUT;
	} else if ((a = lookup(after_names, after->value)) < 0) {
		const char *near = fg_nearest(after->value, after_names);

		problem(L, after, "unknown `after` `%s`%s%s%s; one of "
			"threshold_met_or_foreseen, placed_on_market, "
			"effective_from, incident", after->value,
			near ? " (did you mean `" : "", near ? near : "",
			near ? "`?)" : "");
		rc = FG_EINPUT;
	} else {
		o->due_after = (fg_due_after)a;
	}
	o->has_due = rc == 0;
	return rc;
}

static int parse_obligations(loader *L, fg_rule *r, const fg_node *list)
{
	static const char *const keys[] = {"id", "text", "citation", "due",
					   NULL};
	size_t i, j;
	int rc = 0;

	if (expect_type(L, list, FG_NODE_SEQ, "obligations"))
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

		if (expect_type(L, m, FG_NODE_MAP, "obligation")) {
			rc = FG_EINPUT;
			continue;
		}
		memset(o, 0, sizeof(*o));
		o->line = m->line;
		o->column = m->column;
		check_keys(L, m, keys, "obligation");
		if (get_string(L, &o->id, m, "id", "obligation", 1) ||
		    get_string(L, &o->text, m, "text", "obligation", 1) ||
		    get_string(L, &o->citation, m, "citation", "obligation",
			       0))
			bad = 1;
		if ((due = fg_node_get(m, "due")) && parse_due(L, o, due))
			bad = 1;
		for (j = 0; o->id && j < r->obligation_count; j++)
			if (!strcmp(r->obligations[j].id, o->id)) {
				problem(L, m, "obligation `%s` is listed twice "
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
static int parse_transition(loader *L, fg_rule *r, const fg_node *map)
{
	static const char *const keys[] = {"placed_before", "comply_by",
					   "citation", NULL};
	fg_transition *t = &r->transition;
	const fg_node *before, *by;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "transition"))
		return FG_EINPUT;
	t->line = map->line;
	t->column = map->column;
	check_keys(L, map, keys, "transition");
	before = fg_node_get(map, "placed_before");
	by = fg_node_get(map, "comply_by");
	if (!before || fg_node_is_null(before)) {
		problem(L, map, "`transition` has no `placed_before` (the day "
			"from which what is placed on the market gets no "
			"extra time)");
		rc = FG_EINPUT;
	} else if (get_date(L, &t->placed_before, before,
			    "transition.placed_before")) {
		rc = FG_EINPUT;
	}
	if (!by || fg_node_is_null(by)) {
		problem(L, map, "`transition` has no `comply_by` (the day by "
			"which what was placed earlier must comply)");
		rc = FG_EINPUT;
	} else if (get_date(L, &t->comply_by, by, "transition.comply_by")) {
		rc = FG_EINPUT;
	}
	/* A transition that ends before it starts gives no time at all:
	 * almost certainly the two dates are swapped. */
	if (rc == 0 && t->comply_by <= t->placed_before) {
		problem(L, by, "`comply_by` (%s) must be after `placed_before` "
			"(%s)", by->value, before->value);
		rc = FG_EINPUT;
	}
	if (get_string(L, &t->citation, map, "citation", "transition", 1))
		rc = FG_EINPUT;
	if (rc) {
		free(t->citation);
		memset(t, 0, sizeof(*t));
		t->placed_before = t->comply_by = FG_DATE_NONE;
	}
	return rc;
}

static int parse_rule(loader *L, fg_rule *r, const fg_node *node)
{
	static const char *const keys[] = {
		"id", "title", "citation", "effective", "applies_to", "when",
		"near", "severity", "obligations", "transition", NULL
	};
	const fg_node *v;
	int rc = 0, s;

	memset(r, 0, sizeof(*r));
	r->transition.placed_before = r->transition.comply_by = FG_DATE_NONE;
	if (expect_type(L, node, FG_NODE_MAP, "rule"))
		return FG_EINPUT;
	r->line = node->line;
	r->column = node->column;
	check_keys(L, node, keys, "rule");
	if (get_string(L, &r->id, node, "id", "rule", 1))
		rc = FG_EINPUT;
	else if (!valid_id(r->id)) {
		problem(L, fg_node_get(node, "id"), "rule id `%s` must be 1 "
			"to 128 of A-Z a-z 0-9 . _ -", r->id);
		rc = FG_EINPUT;
	}
	if (get_string(L, &r->title, node, "title", "rule", 1))
		rc = FG_EINPUT;
	/* A rule that cannot say which provision it encodes cannot be
	 * checked by anyone: the citation is required. */
	if (get_string(L, &r->citation, node, "citation", "rule", 1))
		rc = FG_EINPUT;
	if (parse_effective(L, r, node))
		rc = FG_EINPUT;
	if (parse_jurisdictions(L, r, node))
		rc = FG_EINPUT;
	if (!(v = fg_node_get(node, "when"))) {
		problem(L, node, "rule `%s` has no `when` condition",
			r->id ? r->id : "?");
		rc = FG_EINPUT;
	} else if (parse_condition(L, &r->when, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(node, "near"))) {
		if (get_quantity(L, &r->near, v, FG_QTY_NUMBER, "near"))
			rc = FG_EINPUT;
		else if (r->near <= 0 || r->near >= 1) {
			problem(L, v, "`near` is a fraction of the line, "
				"between 0 and 1 (0.5 = half)");
			rc = FG_EINPUT;
		}
	}
	if (!(v = fg_node_get(node, "severity"))) {
		problem(L, node, "rule `%s` has no `severity` (blocking, "
			"warning, info)", r->id ? r->id : "?");
		rc = FG_EINPUT;
	} else if (expect_type(L, v, FG_NODE_SCALAR, "severity")) {
		rc = FG_EINPUT;
	} else if ((s = lookup(severity_names, v->value)) < 0) {
		problem(L, v, "unknown severity `%s`; one of blocking, "
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

/* ---- compact test runs ------------------------------------------------ */

static void test_run_free(fg_run *run, fg_run_estimate *est)
{
	size_t i, j;

	if (est) {
		free(est->phases);
		free(est);
	}
	if (!run)
		return;
	free(run->id);
	for (i = 0; i < run->jurisdiction_count; i++)
		free(run->jurisdictions[i]);
	free(run->jurisdictions);
	for (i = 0; i < run->attribute_count; i++) {
		free(run->attributes[i].key);
		for (j = 0; j < run->attributes[i].value_count; j++)
			free(run->attributes[i].values[j]);
		free(run->attributes[i].values);
	}
	free(run->attributes);
	free(run->base_model_id);
	for (i = 0; i < run->phase_count; i++)
		free(run->phases[i].name);
	free(run->phases);
	free(run->file);
	free(run);
}

/* A compute entry: a number (exact) or [low, central, high]. */
static int parse_test_range(loader *L, fg_range *out, const fg_node *node)
{
	if (node->type == FG_NODE_SEQ) {
		if (node->count != 3) {
			problem(L, node, "a compute range is [low, central, "
				"high]");
			return FG_EINPUT;
		}
		if (get_quantity(L, &out->low, node->items[0], FG_QTY_FLOP,
				 "compute") ||
		    get_quantity(L, &out->central, node->items[1], FG_QTY_FLOP,
				 "compute") ||
		    get_quantity(L, &out->high, node->items[2], FG_QTY_FLOP,
				 "compute"))
			return FG_EINPUT;
		if (out->low > out->central || out->central > out->high) {
			problem(L, node, "compute range must be low <= central "
				"<= high");
			return FG_EINPUT;
		}
		return 0;
	}
	if (get_quantity(L, &out->central, node, FG_QTY_FLOP, "compute"))
		return FG_EINPUT;
	out->low = out->high = out->central;
	return 0;
}

static int add_test_phase(loader *L, fg_run *run, fg_run_estimate *est,
			  fg_phase_kind kind, fg_range range,
			  const fg_node *at)
{
	fg_phase *ph = &run->phases[run->phase_count];
	fg_phase_estimate *pe = &est->phases[est->phase_count];

	memset(ph, 0, sizeof(*ph));
	memset(pe, 0, sizeof(*pe));
	ph->name = dup_string(L, fg_phase_kind_name(kind));
	ph->kind = kind;
	ph->cost_usd = -1;
	ph->line = at->line;
	ph->column = at->column;
	pe->phase = ph;
	pe->flop = range;
	pe->central_method = FG_METHOD_DECLARED;
	run->phase_count++;
	est->phase_count++;
	est->total.low += range.low;
	est->total.central += range.central;
	est->total.high += range.high;
	return ph->name ? 0 : FG_ENOMEM;
}

static int parse_test_compute(loader *L, fg_run *run, fg_run_estimate *est,
			      const fg_node *node)
{
	size_t n = node->type == FG_NODE_MAP ? node->count : 1, i;
	fg_phase_kind kind;
	fg_range range;
	int rc = 0;

	run->phases = calloc(n, sizeof(*run->phases));
	est->phases = calloc(n, sizeof(*est->phases));
	if (!run->phases || !est->phases) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	if (node->type != FG_NODE_MAP) {
		if (parse_test_range(L, &range, node))
			return FG_EINPUT;
		return add_test_phase(L, run, est, FG_KIND_PRETRAINING, range,
				      node);
	}
	for (i = 0; i < node->count; i++) {
		if (fg_phase_kind_parse(&kind, node->keys[i]->value)) {
			problem(L, node->keys[i], "unknown phase kind `%s`",
				node->keys[i]->value);
			rc = FG_EINPUT;
			continue;
		}
		if (parse_test_range(L, &range, node->items[i]) ||
		    add_test_phase(L, run, est, kind, range, node->keys[i]))
			rc = FG_EINPUT;
	}
	return rc;
}

static int parse_test_attributes(loader *L, fg_run *run, const fg_node *map)
{
	size_t i, j;

	if (expect_type(L, map, FG_NODE_MAP, "attributes"))
		return FG_EINPUT;
	run->attributes = calloc(map->count ? map->count : 1,
				 sizeof(*run->attributes));
	if (!run->attributes) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < map->count; i++) {
		const fg_node *v = map->items[i];
		fg_attribute *a = &run->attributes[run->attribute_count++];
		size_t n = v->type == FG_NODE_SEQ ? v->count : 1;

		a->key = dup_string(L, map->keys[i]->value);
		a->values = calloc(n ? n : 1, sizeof(char *));
		if (!a->values) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (j = 0; j < n; j++) {
			const fg_node *s = v->type == FG_NODE_SEQ ? v->items[j]
								  : v;

			if (expect_type(L, s, FG_NODE_SCALAR, a->key))
				return FG_EINPUT;
			a->values[a->value_count++] =
				dup_string(L, scalar_word(s));
		}
	}
	return 0;
}

static int parse_test_base(loader *L, fg_run *run, const fg_node *map)
{
	static const char *const keys[] = {"id", "training_compute_flop",
					   "systemic_risk", NULL};
	const fg_node *v;
	fg_error e;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "base_model"))
		return FG_EINPUT;
	check_keys(L, map, keys, "base_model");
	run->has_base_model = 1;
	run->base_model_flop = -1;
	run->base_model_systemic_risk = -1;
	if (get_string(L, &run->base_model_id, map, "id", "base_model", 0))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "training_compute_flop")) &&
	    !fg_node_is_null(v) &&
	    get_quantity(L, &run->base_model_flop, v, FG_QTY_FLOP,
			 "base_model.training_compute_flop"))
		rc = FG_EINPUT;
	fg_error_clear(&e);
	if ((v = fg_node_get(map, "systemic_risk")) &&
	    fg_node_bool(&run->base_model_systemic_risk, v,
			 "base_model.systemic_risk", &e)) {
		problem_err(L, &e);
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_test_dates(loader *L, fg_run *run, const fg_node *map)
{
	static const char *const keys[] = {"threshold_known",
					   "placed_on_market", NULL};
	const fg_node *v;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "dates"))
		return FG_EINPUT;
	check_keys(L, map, keys, "dates");
	if ((v = fg_node_get(map, "threshold_known")) &&
	    get_date(L, &run->threshold_known, v, "dates.threshold_known"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "placed_on_market")) &&
	    get_date(L, &run->placed_on_market, v, "dates.placed_on_market"))
		rc = FG_EINPUT;
	return rc;
}

static int parse_test_run(loader *L, fg_rule_test *t, const fg_node *map,
			  const char *file)
{
	static const char *const keys[] = {
		"id", "status", "jurisdictions", "compute", "cost_usd",
		"cluster_peak_flops", "annual_revenue_usd", "flop_per_token",
		"attributes", "base_model", "dates", NULL
	};
	static const char *const statuses[] = {"planned", "running",
					       "completed", NULL};
	fg_run *run;
	fg_run_estimate *est;
	const fg_node *v;
	size_t i;
	int rc = 0, s;

	if (expect_type(L, map, FG_NODE_MAP, "run"))
		return FG_EINPUT;
	check_keys(L, map, keys, "test run");
	run = calloc(1, sizeof(*run));
	est = calloc(1, sizeof(*est));
	t->run = run;
	t->estimate = est;
	if (!run || !est) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	est->run = run;
	est->cost_usd = -1;
	est->measured_flop = -1;
	run->annual_revenue_usd = -1;
	run->base_model_flop = -1;
	run->base_model_systemic_risk = -1;
	run->start = run->end = run->placed_on_market = FG_DATE_NONE;
	run->threshold_known = run->planned_end = FG_DATE_NONE;
	run->file = dup_string(L, file);
	run->line = map->line;
	run->column = map->column;
	if (get_string(L, &run->id, map, "id", "test run", 0))
		rc = FG_EINPUT;
	if (!run->id)
		run->id = dup_string(L, "test-run");
	if ((v = fg_node_get(map, "status"))) {
		if (expect_type(L, v, FG_NODE_SCALAR, "status") ||
		    (s = lookup(statuses, v->value)) < 0) {
			problem(L, v, "`status` is planned, running or "
				"completed");
			rc = FG_EINPUT;
		} else {
			run->status = (fg_run_status)s;
		}
	}
	if (!(v = fg_node_get(map, "jurisdictions"))) {
		problem(L, map, "test run has no `jurisdictions`");
		rc = FG_EINPUT;
	} else if (expect_type(L, v, FG_NODE_SEQ, "jurisdictions")) {
		rc = FG_EINPUT;
	} else {
		run->jurisdictions = calloc(v->count ? v->count : 1,
					    sizeof(char *));
		if (!run->jurisdictions) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (i = 0; i < v->count; i++) {
			if (expect_type(L, v->items[i], FG_NODE_SCALAR,
					"jurisdictions")) {
				rc = FG_EINPUT;
				continue;
			}
			run->jurisdictions[run->jurisdiction_count++] =
				dup_string(L, v->items[i]->value);
		}
	}
	if (!(v = fg_node_get(map, "compute"))) {
		problem(L, map, "test run has no `compute`");
		rc = FG_EINPUT;
	} else if (parse_test_compute(L, run, est, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(map, "cost_usd")) &&
	    get_quantity(L, &est->cost_usd, v, FG_QTY_USD, "cost_usd"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "cluster_peak_flops")) &&
	    get_quantity(L, &est->cluster_peak_flops, v, FG_QTY_FLOP_RATE,
			 "cluster_peak_flops"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "annual_revenue_usd")) &&
	    get_quantity(L, &run->annual_revenue_usd, v, FG_QTY_USD,
			 "annual_revenue_usd"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "flop_per_token")) &&
	    get_quantity(L, &est->flop_per_token, v, FG_QTY_NUMBER,
			 "flop_per_token"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "attributes")) &&
	    parse_test_attributes(L, run, v))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "base_model")) && parse_test_base(L, run, v))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "dates")) && parse_test_dates(L, run, v))
		rc = FG_EINPUT;
	return rc;
}

static void test_clear(fg_rule_test *t)
{
	size_t i, j;

	free(t->name);
	test_run_free(t->run, t->estimate);
	for (i = 0; i < t->expect_count; i++) {
		free(t->expects[i].rule_id);
		for (j = 0; j < t->expects[i].due_count; j++)
			free(t->expects[i].due[j].obligation_id);
		free(t->expects[i].due);
	}
	free(t->expects);
}

/* The rule node written with this id, NULL when none.  Tests are checked
 * against the ids written, not the rules that loaded, so a broken rule is
 * reported once, not again by each test that names it. */
static const fg_node *rule_node(const fg_node *rules, const char *id)
{
	size_t r;

	for (r = 0; rules && rules->type == FG_NODE_SEQ && r < rules->count;
	     r++) {
		const fg_node *v = fg_node_get(rules->items[r], "id");

		if (v && v->type == FG_NODE_SCALAR && !strcmp(v->value, id))
			return rules->items[r];
	}
	return NULL;
}

/* 1 when the rule node lists an obligation with this id. */
static int lists_obligation(const fg_node *rule, const char *id)
{
	const fg_node *list = fg_node_get(rule, "obligations");
	size_t i;

	for (i = 0; list && list->type == FG_NODE_SEQ && i < list->count;
	     i++) {
		const fg_node *v = fg_node_get(list->items[i], "id");

		if (v && v->type == FG_NODE_SCALAR && !strcmp(v->value, id))
			return 1;
	}
	return 0;
}

static int parse_outcome(loader *L, fg_outcome *out, const fg_node *val)
{
	if (expect_type(L, val, FG_NODE_SCALAR, "expected outcome"))
		return FG_EINPUT;
	if (fg_outcome_parse(out, val->value) == 0)
		return 0;
	problem(L, val, "unknown outcome `%s`; one of triggered, near, "
		"clear, not_applicable, indeterminate, waived", val->value);
	return FG_EINPUT;
}

/* due: {OBLIGATION-ID: DATE | null} of the expected rule. */
static int parse_expect_due(loader *L, fg_rule_expect *x, const fg_node *map,
			    const fg_node *rule)
{
	size_t i;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "due"))
		return FG_EINPUT;
	if (map->count == 0) {
		problem(L, map, "`due` names no obligation");
		return FG_EINPUT;
	}
	x->due = calloc(map->count, sizeof(*x->due));
	if (!x->due) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < map->count; i++) {
		const fg_node *key = map->keys[i], *val = map->items[i];
		fg_due_expect *d = &x->due[x->due_count];

		if (!lists_obligation(rule, key->value)) {
			problem(L, key, "test expects a due date for `%s`, "
				"which rule `%s` does not list", key->value,
				x->rule_id);
			rc = FG_EINPUT;
			continue;
		}
		d->due = FG_DATE_NONE;
		if (!fg_node_is_null(val) &&
		    get_date(L, &d->due, val, "due")) {
			rc = FG_EINPUT;
			continue;
		}
		d->obligation_id = dup_string(L, key->value);
		d->line = key->line;
		d->column = key->column;
		x->due_count++;
	}
	return rc;
}

/* RULE-ID: OUTCOME, or RULE-ID: {outcome: OUTCOME, due: {..}}. */
static int parse_expect_value(loader *L, fg_rule_expect *x,
			      const fg_node *val, const fg_node *rule)
{
	static const char *const keys[] = {"outcome", "due", NULL};
	const fg_node *v;
	int rc = 0;

	if (val->type != FG_NODE_MAP)
		return parse_outcome(L, &x->outcome, val);
	check_keys(L, val, keys, "expect");
	if (!(v = fg_node_get(val, "outcome"))) {
		problem(L, val, "expectation for `%s` has no `outcome`",
			x->rule_id);
		rc = FG_EINPUT;
	} else if (parse_outcome(L, &x->outcome, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(val, "due")) && parse_expect_due(L, x, v, rule))
		rc = FG_EINPUT;
	return rc;
}

static int parse_expect(loader *L, fg_rule_test *t, const fg_node *map,
			const fg_node *rules)
{
	size_t i, j;
	int rc = 0;

	if (expect_type(L, map, FG_NODE_MAP, "expect"))
		return FG_EINPUT;
	if (map->count == 0) {
		problem(L, map, "`expect` names no rule");
		return FG_EINPUT;
	}
	t->expects = calloc(map->count, sizeof(*t->expects));
	if (!t->expects) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < map->count; i++) {
		const fg_node *key = map->keys[i], *val = map->items[i];
		const fg_node *rule = rule_node(rules, key->value);
		fg_rule_expect *x = &t->expects[t->expect_count];

		if (!rule) {
			problem(L, key, "test expects rule `%s`, which this "
				"ruleset does not define", key->value);
			rc = FG_EINPUT;
			continue;
		}
		memset(x, 0, sizeof(*x));
		x->rule_id = dup_string(L, key->value);
		x->line = key->line;
		x->column = key->column;
		if (!x->rule_id || parse_expect_value(L, x, val, rule)) {
			free(x->rule_id);
			for (j = 0; j < x->due_count; j++)
				free(x->due[j].obligation_id);
			free(x->due);
			memset(x, 0, sizeof(*x));
			rc = FG_EINPUT;
			continue;
		}
		t->expect_count++;
	}
	return rc;
}

static int parse_tests(loader *L, fg_ruleset *rs, const fg_node *list,
		       const fg_node *rules)
{
	static const char *const keys[] = {"name", "as_of", "run", "expect",
					   NULL};
	size_t i;
	int rc = 0;

	if (expect_type(L, list, FG_NODE_SEQ, "tests"))
		return FG_EINPUT;
	rs->tests = calloc(list->count ? list->count : 1, sizeof(*rs->tests));
	if (!rs->tests) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *m = list->items[i], *v;
		fg_rule_test *t = &rs->tests[rs->test_count];
		int bad = 0;

		if (expect_type(L, m, FG_NODE_MAP, "test")) {
			rc = FG_EINPUT;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->line = m->line;
		t->column = m->column;
		check_keys(L, m, keys, "test");
		if (get_string(L, &t->name, m, "name", "test", 1))
			bad = 1;
		if (!(v = fg_node_get(m, "as_of"))) {
			problem(L, m, "test has no `as_of` date");
			bad = 1;
		} else if (get_date(L, &t->as_of, v, "as_of")) {
			bad = 1;
		}
		if (!(v = fg_node_get(m, "run"))) {
			problem(L, m, "test has no `run`");
			bad = 1;
		} else if (parse_test_run(L, t, v, rs->file)) {
			bad = 1;
		}
		if (!(v = fg_node_get(m, "expect"))) {
			problem(L, m, "test has no `expect`");
			bad = 1;
		} else if (parse_expect(L, t, v, rules)) {
			bad = 1;
		}
		if (bad) {
			test_clear(t);
			rc = FG_EINPUT;
			continue;
		}
		rs->test_count++;
	}
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
	for (i = 0; i < rs->test_count; i++)
		test_clear(&rs->tests[i]);
	free(rs->tests);
	free(rs);
}

static int parse_meta(loader *L, fg_ruleset *rs, const fg_node *root)
{
	static const char *const keys[] = {"id", "title", "jurisdiction",
					   "version", "source", NULL};
	const fg_node *map = fg_node_get(root, "ruleset");
	int rc = 0;

	if (!map) {
		problem(L, root, "the file has no `ruleset:` section");
		return FG_EINPUT;
	}
	if (expect_type(L, map, FG_NODE_MAP, "ruleset"))
		return FG_EINPUT;
	check_keys(L, map, keys, "ruleset");
	if (get_string(L, &rs->id, map, "id", "ruleset", 1))
		rc = FG_EINPUT;
	else if (!valid_id(rs->id)) {
		problem(L, fg_node_get(map, "id"), "ruleset id `%s` must be 1 "
			"to 128 of A-Z a-z 0-9 . _ -", rs->id);
		rc = FG_EINPUT;
	}
	if (get_string(L, &rs->title, map, "title", "ruleset", 1) ||
	    get_string(L, &rs->jurisdiction, map, "jurisdiction", "ruleset",
		       0) ||
	    get_string(L, &rs->version, map, "version", "ruleset", 0) ||
	    get_string(L, &rs->source, map, "source", "ruleset", 0))
		rc = FG_EINPUT;
	return rc;
}

static int parse_rules(loader *L, fg_ruleset *rs, const fg_node *root)
{
	const fg_node *list = fg_node_get(root, "rules");
	size_t i, j;
	int rc = 0;

	if (!list) {
		problem(L, root, "the file has no `rules:` list");
		return FG_EINPUT;
	}
	if (expect_type(L, list, FG_NODE_SEQ, "rules"))
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
				problem(L, list->items[i], "duplicate rule id "
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
static int finish(loader *L, fg_diagnostics *diags, fg_error *err)
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
		diagnostics_add(diags, &L->found.items[i]);
	fg_diagnostics_free(&L->found);
	return rc;
}

static int load_yaml(fg_ruleset **out, fg_yaml *yaml, fg_diagnostics *diags,
		     fg_error *err)
{
	static const char *const keys[] = {"ruleset", "rules", "tests", NULL};
	loader L;
	fg_ruleset *rs = NULL;
	const fg_node *root, *tests;
	const char *text;
	size_t length;
	int rc;

	memset(&L, 0, sizeof(L));
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	text = fg_yaml_source(yaml, &length);
	rs->file = dup_string(&L, fg_yaml_path(yaml));
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
		problem_err(&L, &e);
	} else {
		root = fg_yaml_root(yaml, 0);
		if (expect_type(&L, root, FG_NODE_MAP, "ruleset file") == 0) {
			check_keys(&L, root, keys, "ruleset file");
			parse_meta(&L, rs, root);
			parse_rules(&L, rs, root);
			if ((tests = fg_node_get(root, "tests")))
				parse_tests(&L, rs, tests,
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

int fg_ruleset_load(fg_ruleset **out, const char *path,
		    fg_diagnostics *diags, fg_error *err)
{
	fg_yaml *yaml = NULL;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_file(&yaml, path, NULL, err)) < 0) {
		if (err)
			diagnostics_add(diags, err);
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
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_string(&yaml, name, text, length, NULL,
				      err)) < 0) {
		if (err)
			diagnostics_add(diags, err);
		return rc;
	}
	rc = load_yaml(out, yaml, diags, err);
	fg_yaml_free(yaml);
	return rc;
}

/* ---- sets ------------------------------------------------------------- */

fg_ruleset_set *fg_ruleset_set_new(void)
{
	return calloc(1, sizeof(fg_ruleset_set));
}

void fg_ruleset_set_free(fg_ruleset_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		fg_ruleset_free(set->rulesets[i]);
	free(set->rulesets);
	free(set);
}

const fg_rule *fg_ruleset_set_find(const fg_ruleset_set *set,
				   const char *rule_id)
{
	size_t i, j;

	for (i = 0; set && i < set->count; i++)
		for (j = 0; j < set->rulesets[i]->rule_count; j++)
			if (!strcmp(set->rulesets[i]->rules[j].id, rule_id))
				return &set->rulesets[i]->rules[j];
	return NULL;
}

int fg_ruleset_set_add(fg_ruleset_set *set, fg_ruleset *rs,
		       fg_diagnostics *diags, fg_error *err)
{
	fg_ruleset **grown;
	fg_error first, e;
	size_t i;
	int bad = 0;

	fg_error_clear(&first);
	for (i = 0; i < rs->rule_count; i++) {
		const fg_rule *r = &rs->rules[i];
		const fg_rule *other = fg_ruleset_set_find(set, r->id);

		if (!other)
			continue;
		fg_error_set(&e, FG_EINPUT, rs->file, r->line, r->column,
			     "duplicate rule id `%s`: also defined at "
			     "%s:%d:%d", r->id, other->ruleset->file,
			     other->line, other->column);
		diagnostics_add(diags, &e);
		if (!bad)
			first = e;
		bad = 1;
	}
	if (bad) {
		if (err)
			*err = first;
		fg_ruleset_free(rs);
		return FG_EINPUT;
	}
	grown = realloc(set->rulesets, (set->count + 1) * sizeof(*grown));
	if (!grown) {
		fg_ruleset_free(rs);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	set->rulesets = grown;
	set->rulesets[set->count++] = rs;
	return 0;
}

static int add_file(fg_ruleset_set *set, const char *path,
		    fg_diagnostics *diags, fg_error *err)
{
	fg_ruleset *rs = NULL;
	int rc;

	if ((rc = fg_ruleset_load(&rs, path, diags, err)) < 0)
		return rc;
	return fg_ruleset_set_add(set, rs, diags, err);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml file directly in dir but the accelerator catalog, sorted. */
static int list_dir(char ***out, size_t *count, const char *dir,
		    fg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL, **grown;
	size_t n = 0, len, dir_length = strlen(dir);
	struct stat st;
	char path[4096];
	int rc = 0;

	*out = NULL;
	*count = 0;
	while (dir_length > 1 && dir[dir_length - 1] == '/')
		dir_length--;
	if (!d)
		return fg_error_set(err, FG_EIO, dir, 0, 0,
				    "cannot read the directory");
	while ((ent = readdir(d))) {
		len = strlen(ent->d_name);
		if (len < 6 || strcmp(ent->d_name + len - 5, ".yaml") ||
		    ent->d_name[0] == '.' ||
		    !strcmp(ent->d_name, "hardware.yaml"))
			continue;
		snprintf(path, sizeof(path), "%.*s/%s", (int)dir_length, dir,
			 ent->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(path))) {
			names = grown ? grown : names;
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			break;
		}
		names = grown;
		n++;
	}
	closedir(d);
	if (rc) {
		while (n)
			free(names[--n]);
		free(names);
		return rc;
	}
	qsort(names, n, sizeof(*names), compare_names);
	*out = names;
	*count = n;
	return 0;
}

int fg_ruleset_set_add_path(fg_ruleset_set *set, const char *path,
			    fg_diagnostics *diags, fg_error *err)
{
	struct stat st;
	char **files = NULL;
	size_t n = 0, i;
	fg_error e;
	int rc = 0, r;

	if (stat(path, &st)) {
		fg_error_set(&e, FG_EIO, path, 0, 0, "no such file or "
			     "directory");
		diagnostics_add(diags, &e);
		if (err)
			*err = e;
		return FG_EIO;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(set, path, diags, err);
	if ((rc = list_dir(&files, &n, path, err)) < 0)
		return rc;
	if (n == 0) {
		fg_error_set(&e, FG_EINPUT, path, 0, 0, "no *.yaml ruleset in "
			     "the directory");
		diagnostics_add(diags, &e);
		if (err)
			*err = e;
		rc = FG_EINPUT;
	}
	/* Keep going after a bad file so every problem is reported; the
	 * first error stays in err. */
	for (i = 0; i < n; i++) {
		r = add_file(set, files[i], diags, rc ? &e : err);
		if (r < 0 && (rc == 0 || r == FG_ENOMEM))
			rc = r;
		free(files[i]);
	}
	free(files);
	return rc;
}

int fg_rule_transition_applies(const fg_rule *rule, const fg_run *run)
{
	/* Art. 111(3): "placed on the market before 2 August 2025" — a
	 * model placed on the day itself gets no extra time. */
	return rule->transition.placed_before != FG_DATE_NONE &&
	       run->placed_on_market != FG_DATE_NONE &&
	       run->placed_on_market < rule->transition.placed_before;
}

int fg_rule_in_force(const fg_rule *rule, fg_date date)
{
	if (rule->effective_from != FG_DATE_NONE &&
	    date < rule->effective_from)
		return 0;
	return rule->effective_until == FG_DATE_NONE ||
	       date < rule->effective_until;
}

static const fg_condition *first_leaf(const fg_condition *c, int compute)
{
	const fg_condition *found;
	size_t i;

	if (c->type == FG_COND_METRIC)
		return !compute || fg_metric_is_compute(c->metric) ? c : NULL;
	for (i = 0; i < c->child_count; i++)
		if ((found = first_leaf(&c->children[i], compute)))
			return found;
	return NULL;
}

const fg_condition *fg_rule_primary_leaf(const fg_rule *rule)
{
	const fg_condition *c = first_leaf(&rule->when, 1);

	return c ? c : first_leaf(&rule->when, 0);
}
