/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — helpers shared by the renderers (see src/render_util.h). */
#include "render_util.h"
#include "json_write.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "flopgate/hash.h"
#include "flopgate/quantity.h"
#include "flopgate/render.h"
#include "flopgate/rules.h"
#include "exact_int.h"

const char *const fg_rd_outcome_names[FG_RD_OUTCOME_COUNT] = {
	"triggered", "near", "indeterminate", "waived", "clear",
	"not_applicable"
};

const char *fg_rd_str(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int fg_rd_num(double *out, const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (!json_is_number(v))
		return 0;
	*out = json_number_value(v);
	return 1;
}

json_t *fg_rd_array(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_array(v) ? v : NULL;
}

int fg_rd_outcome(const json_t *finding)
{
	const char *name = fg_rd_str(finding, "outcome");
	int i;

	for (i = 0; name && i < FG_RD_OUTCOME_COUNT; i++)
		if (!strcmp(name, fg_rd_outcome_names[i]))
			return i;
	return -1;
}

int fg_rd_check_doc(const json_t *doc, fg_error *err)
{
	json_t *runs, *run, *findings, *finding, *obligation;
	size_t i, j, k;

	if (!json_is_object(doc))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "result document: not a JSON object");
	runs = json_object_get(doc, "runs");
	if (!json_is_array(runs))
		return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
				    "result document: \"runs\" is not an array");
	json_array_foreach(runs, i, run) {
		if (!json_is_object(run) || !fg_rd_str(run, "id"))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "result document: runs[%zu] has no "
					    "string \"id\"", i);
		findings = json_object_get(run, "findings");
		if (findings && !json_is_array(findings))
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					    "result document: runs[%zu]."
					    "findings is not an array", i);
		json_array_foreach(findings, j, finding) {
			if (!fg_rd_str(finding, "rule") ||
			    fg_rd_outcome(finding) < 0)
				return fg_error_set(
					err, FG_EINPUT, NULL, 0, 0,
					"result document: runs[%zu].findings"
					"[%zu] needs a string \"rule\" and a "
					"known \"outcome\"", i, j);
			json_array_foreach(fg_rd_array(finding, "obligations"),
					   k, obligation)
				if (!json_is_object(obligation))
					return fg_error_set(
						err, FG_EINPUT, NULL, 0, 0,
						"result document: runs[%zu]."
						"findings[%zu].obligations"
						"[%zu] is not an object",
						i, j, k);
		}
	}
	return 0;
}

/* ---- the rules' static facts ------------------------------------------- */

int fg_rd_facts_init(fg_rd_facts *facts, const json_t *doc)
{
	json_t *rs, *rule;
	size_t i, j;
	int bad = 0;

	facts->rules = json_object();
	facts->rulesets = json_object();
	if (!facts->rules || !facts->rulesets) {
		fg_rd_facts_free(facts);
		return FG_ENOMEM;
	}
	json_array_foreach(fg_rd_array(doc, "rulesets"), i, rs)
		json_array_foreach(fg_rd_array(rs, "rules"), j, rule) {
			const char *id = fg_rd_str(rule, "id");

			if (!id)
				continue;
			bad |= json_object_set(facts->rules, id, rule);
			bad |= json_object_set(facts->rulesets, id,
					       json_object_get(rs, "id")
						       ? json_object_get(rs, "id")
						       : json_null());
		}
	if (bad) {
		fg_rd_facts_free(facts);
		return FG_ENOMEM;
	}
	return 0;
}

void fg_rd_facts_free(fg_rd_facts *facts)
{
	json_decref(facts->rules);
	json_decref(facts->rulesets);
	facts->rules = facts->rulesets = NULL;
}

/* key of from into to, when to lacks it (json_null() when from lacks it
 * too). */
static int fill(json_t *to, const json_t *from, const char *key)
{
	json_t *v;

	if (json_object_get(to, key))
		return 0;
	v = json_object_get(from, key);
	return json_object_set(to, key, v ? v : json_null());
}

static const json_t *rule_obligation(const json_t *rule, const json_t *o,
				     size_t i)
{
	json_t *list = fg_rd_array(rule, "obligations"), *x;
	const char *id = fg_rd_str(o, "id");
	size_t k;

	x = json_array_get(list, i);
	if (id && fg_rd_str(x, "id") && !strcmp(fg_rd_str(x, "id"), id))
		return x;
	json_array_foreach(list, k, x)
		if (id && fg_rd_str(x, "id") && !strcmp(fg_rd_str(x, "id"), id))
			return x;
	return NULL;
}

/* ---- members left out ---------------------------------------------------
 * A finding writes a member only when it says something (src/findings.c);
 * one left out is null, false for "transition", [] for "conditions" and
 * "presumed".  The renderers read the whole shape, in the writer's order,
 * so that a document recorded before the lean shape and one after render
 * the same. */

/* What a member left out stands for. */
typedef enum implied_as {
	AS_NULL,
	AS_FALSE,
	AS_EMPTY,        /* [] */
	NEVER            /* never left out, or only there when written */
} implied_as;

typedef struct member_default {
	const char *key;
	implied_as implied;
} member_default;

static const member_default finding_members[] = {
	{"rule", NEVER}, {"outcome", NEVER}, {"reason", AS_NULL},
	{"metric", AS_NULL}, {"op", AS_NULL}, {"threshold", AS_NULL},
	{"value", AS_NULL}, {"relation", AS_NULL}, {"value_exact", AS_NULL},
	{"threshold_exact", AS_NULL}, {"low", AS_NULL}, {"high", AS_NULL},
	{"low_exact", AS_NULL}, {"high_exact", AS_NULL},
	{"decided_by", AS_NULL}, {"headroom", AS_NULL},
	{"headroom_tokens", AS_NULL}, {"unit", AS_NULL},
	{"headroom_unit", AS_NULL}, {"conditions", AS_EMPTY},
	{"presumed", AS_EMPTY}, {"known_since", AS_NULL},
	{"known_basis", AS_NULL}, {"projected_crossing", AS_NULL},
	{"crossed_on", AS_NULL}, {"transition", AS_FALSE},
	{"obligations", AS_EMPTY}, {"waiver", AS_NULL},
	{"gate_fails", AS_FALSE}};

static const member_default metric_leaf_members[] = {
	{"metric", NEVER}, {"op", NEVER}, {"threshold", NEVER},
	{"value", AS_NULL}, {"relation", AS_NULL}, {"low", AS_NULL},
	{"high", AS_NULL}, {"holds", AS_NULL}, {"fallback", NEVER},
	{"unit", NEVER}, {"value_exact", AS_NULL},
	{"threshold_exact", AS_NULL}};

static const member_default attribute_leaf_members[] = {
	{"attribute", NEVER}, {"field", NEVER}, {"op", NEVER},
	{"threshold", NEVER}, {"value", AS_NULL}, {"holds", AS_NULL}};

static json_t *implied(implied_as how)
{
	return how == AS_FALSE ? json_false()
	       : how == AS_EMPTY ? json_array()
				 : json_null();
}

/* A new object: from's members in the order of list, each one left out
 * put back as implied, then any member the list does not know. */
static json_t *restore(const json_t *from, const member_default *list,
		       size_t count)
{
	json_t *out = json_object(), *v;
	const char *key;
	size_t i;
	int bad = !out;

	for (i = 0; !bad && i < count; i++) {
		v = json_object_get(from, list[i].key);
		if (v)
			bad |= json_object_set(out, list[i].key, v);
		else if (list[i].implied != NEVER)
			bad |= json_object_set_new(out, list[i].key,
						   implied(list[i].implied));
	}
	json_object_foreach((json_t *)from, key, v)
		if (!bad && !json_object_get(out, key))
			bad |= json_object_set(out, key, v);
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

#define RESTORE(from, list) restore(from, list, sizeof(list) / sizeof(list[0]))

/* Condition i of a finding with its line put back from leaf i of its
 * rule's facts (rulesets[].rules[].conditions): a finding's condition
 * gives only what is the run's, unless a fallback drew another line (it
 * then names its metric).  A new reference. */
static json_t *with_line(const json_t *c, const json_t *rule, size_t i)
{
	json_t *line = json_array_get(fg_rd_array(rule, "conditions"), i);
	json_t *out;

	if (!json_is_object(c) || json_object_get(c, "metric") ||
	    json_object_get(c, "attribute") || !json_is_object(line))
		return json_incref((json_t *)c);
	if (!(out = json_copy(line)))
		return NULL;
	if (json_object_update(out, (json_t *)c)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The finding f with every member it left out put back (its conditions'
 * lines from rule, its rule's facts; NULL for none). */
static json_t *restore_finding(const json_t *f, const json_t *rule)
{
	json_t *out = RESTORE(f, finding_members), *leaves, *c, *leaf, *full;
	size_t i;

	if (!out || !json_array_size(fg_rd_array(f, "conditions")))
		return out;
	if (!(leaves = json_array()) ||
	    json_object_set_new(out, "conditions", leaves)) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(fg_rd_array(f, "conditions"), i, c) {
		if (!(full = with_line(c, rule, i))) {
			json_decref(out);
			return NULL;
		}
		leaf = !json_is_object(full) ? json_incref(full)
		       : json_object_get(full, "attribute")
			       ? RESTORE(full, attribute_leaf_members)
			       : RESTORE(full, metric_leaf_members);
		json_decref(full);
		if (!leaf || json_array_append_new(leaves, leaf)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static json_t *join_finding(const fg_rd_facts *facts, const json_t *run,
			    const json_t *f)
{
	static const char *const keys[] = {
		"title", "citation", "jurisdiction", "applies_to", "severity",
		"near", "effective_from", "effective_until"};
	static const char *const okeys[] = {
		"text", "citation", "days", "after", "not_before", "condition"};
	const char *id = fg_rd_str(f, "rule");
	const json_t *rule = id ? json_object_get(facts->rules, id) : NULL;
	const json_t *t = json_object_get(rule, "transition"), *ro;
	json_t *out = restore_finding(f, rule), *obligations, *o, *copy, *tr;
	size_t i, k;
	int bad = !out;

	if (bad)
		return NULL;
	if (!json_object_get(out, "ruleset"))
		bad |= json_object_set(out, "ruleset", id && json_object_get(
			facts->rulesets, id) ? json_object_get(
				facts->rulesets, id) : json_null());
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		bad |= fill(out, rule, keys[k]);
	/* "transition": true -> the rule's, with the run's placing */
	if (json_is_boolean(json_object_get(f, "transition"))) {
		if (json_is_true(json_object_get(f, "transition")) &&
		    json_is_object(t)) {
			tr = json_pack("{s:O?, s:O?, s:O?, s:O?}", "citation",
				       json_object_get(t, "citation"),
				       "placed_on_market", json_object_get(
					       json_object_get(run, "dates"),
					       "placed_on_market"),
				       "placed_before", json_object_get(
					       t, "placed_before"),
				       "comply_by", json_object_get(
					       t, "comply_by"));
			bad |= !tr || json_object_set_new(out, "transition",
							  tr);
		} else {
			bad |= json_object_set(out, "transition", json_null());
		}
	}
	obligations = json_array();
	bad |= !obligations || json_object_set_new(out, "obligations",
						   obligations);
	json_array_foreach(fg_rd_array(f, "obligations"), i, o) {
		if (bad)
			break;
		ro = rule_obligation(rule, o, i);
		copy = json_copy(o);
		bad |= !copy || json_array_append_new(obligations, copy);
		for (k = 0; !bad && k < sizeof(okeys) / sizeof(okeys[0]); k++)
			bad |= fill(copy, ro, okeys[k]);
		if (!bad && json_is_boolean(json_object_get(o, "transition")))
			bad |= json_object_set(copy, "transition",
				json_is_true(json_object_get(o, "transition")) &&
				json_object_get(t, "citation")
				? json_object_get(t, "citation")
				: json_null());
		/* what an obligation owed nothing leaves implied */
		if (!bad && !json_object_get(o, "owed"))
			bad |= json_object_set_new(copy, "transition",
						   json_null()) ||
			       json_object_set_new(copy, "owed", json_null()) ||
			       json_object_set_new(copy, "owed_reason",
						   json_null()) ||
			       json_object_set_new(copy, "overdue",
						   json_false());
	}
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *fg_rd_join_finding(const fg_rd_facts *facts, const json_t *run,
			   const json_t *f)
{
	if (fg_rd_str(f, "title"))
		return json_incref((json_t *)f);
	return join_finding(facts, run, f);
}

json_t *fg_rd_join_run(const fg_rd_facts *facts, const json_t *run)
{
	json_t *out, *findings, *f, *joined;
	size_t i;

	findings = fg_rd_array(run, "findings");
	/* an older document, or one without findings: as it is */
	if (!json_array_size(findings) ||
	    fg_rd_str(json_array_get(findings, 0), "title"))
		return json_incref((json_t *)run);
	if (!(out = json_copy((json_t *)run)))
		return NULL;
	if (!(findings = json_array()) ||
	    json_object_set_new(out, "findings", findings)) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(fg_rd_array(run, "findings"), i, f) {
		if (!(joined = join_finding(facts, run, f)) ||
		    json_array_append_new(findings, joined)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *fg_rd_join_doc(const json_t *doc)
{
	fg_rd_facts facts;
	json_t *out, *runs, *run, *joined;
	size_t i;

	if (!json_is_object(doc))
		return json_incref((json_t *)doc);
	if (fg_rd_facts_init(&facts, doc))
		return NULL;
	out = json_copy((json_t *)doc);
	runs = json_array();
	if (!out || !runs || json_object_set_new(out, "runs", runs)) {
		if (!out)
			json_decref(runs);
		json_decref(out);
		out = NULL;
	}
	json_array_foreach(fg_rd_array(doc, "runs"), i, run) {
		if (!out)
			break;
		if (!(joined = fg_rd_join_run(&facts, run)) ||
		    json_array_append_new(runs, joined)) {
			json_decref(out);
			out = NULL;
		}
	}
	fg_rd_facts_free(&facts);
	return out;
}

json_t *fg_render_joined(const json_t *doc)
{
	return fg_rd_join_doc(doc);
}

/* ---- figures ---------------------------------------------------------- */

/* The metric a document names, FG_METRIC_COUNT when it names none. */
static fg_metric metric_of(const char *name)
{
	fg_metric m;

	return name && !fg_metric_parse(&m, name) ? m : FG_METRIC_COUNT;
}

fg_unit fg_rd_metric_unit(const char *metric)
{
	fg_metric m = metric_of(metric);

	return m == FG_METRIC_COUNT ? FG_UNIT_NONE : fg_metric_unit(m);
}

char *fg_rd_sci(char *buf, size_t size, double value, const char *unit)
{
	char num[64];

	fg_format_sci(value, num, sizeof(num));
	snprintf(buf, size, "%s%s%s", num, unit && *unit ? " " : "",
		 unit ? unit : "");
	return buf;
}

char *fg_rd_metric_value(char *buf, size_t size, const char *metric,
			 double value)
{
	return fg_figure_double(buf, size, value, fg_rd_metric_unit(metric));
}

char *fg_rd_headroom_value(char *buf, size_t size, const char *metric,
			   double value)
{
	fg_metric m = metric_of(metric);

	return fg_figure_double(buf, size, value, m == FG_METRIC_COUNT ?
				FG_UNIT_NONE : fg_metric_headroom_unit(m));
}

const char *fg_rd_op_symbol(const char *op, int negated)
{
	static const char *const table[][3] = {
		{">", ">", "\xE2\x89\xA4"},            /* ≤ */
		{">=", "\xE2\x89\xA5", "<"},           /* ≥ */
		{"<", "<", "\xE2\x89\xA5"},
		{"<=", "\xE2\x89\xA4", ">"},
		{"==", "=", "\xE2\x89\xA0"},           /* ≠ */
	};
	size_t i;

	for (i = 0; op && i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(op, table[i][0]))
			return table[i][negated ? 2 : 1];
	return NULL;
}

const char *fg_rd_relation_symbol(const json_t *obj)
{
	const char *rel = fg_rd_str(obj, "relation");

	if (!rel || (strcmp(rel, "<") && strcmp(rel, "==") && strcmp(rel, ">")))
		return NULL;
	return fg_rd_op_symbol(rel, 0);
}

/* 1 when s is a figure as the evaluator writes one: decimal digits, an
 * optional "/" and more digits, nothing else (so that it can be printed
 * raw in any format). */
static int exact_figure(const char *s)
{
	size_t n;

	if (!s || !(n = strspn(s, "0123456789")) || n > 400)
		return 0;
	if (!s[n])
		return 1;
	return s[n] == '/' && strspn(s + n + 1, "0123456789") ==
				      strlen(s + n + 1) &&
	       s[n + 1] && strlen(s + n + 1) <= 400;
}

/* The unit obj gives its figures in ("unit"), else its metric's. */
static fg_unit unit_of(const json_t *obj)
{
	fg_unit unit;
	const char *name = fg_rd_str(obj, "unit");

	if (name && !fg_unit_parse(&unit, name))
		return unit;
	return fg_rd_metric_unit(fg_rd_str(obj, "metric"));
}

/* q = the exact figure obj gives at key; 1 when it gives one. */
static int exact_at(mpq_t q, const json_t *obj, const char *key)
{
	const char *s = fg_rd_str(obj, key);

	if (!exact_figure(s) || mpq_set_str(q, s, 10) ||
	    mpz_sgn(mpq_denref(q)) == 0)
		return 0;
	mpq_canonicalize(q);
	return 1;
}

/* The old form, for a document without exact figures: the recorded
 * relation on the doubles, followed by them in full when two significant
 * figures cannot tell them apart; the line alone without a relation. */
static char *comparison_of_doubles(char *buf, size_t size, const json_t *obj,
				   double value, double threshold)
{
	const char *metric = fg_rd_str(obj, "metric");
	const char *rel = fg_rd_relation_symbol(obj), *op;
	char v[96], t[96];
	int used;

	fg_rd_metric_value(v, sizeof(v), metric, value);
	fg_rd_metric_value(t, sizeof(t), metric, threshold);
	if (rel) {
		used = snprintf(buf, size, "%s %s %s", v, rel, t);
	} else {
		op = fg_rd_op_symbol(fg_rd_str(obj, "op"), 0);
		used = snprintf(buf, size, "%s (line: %s %s)", v,
				op ? op : "?", t);
	}
	if (!rel || strcmp(v, t) || used < 0 || (size_t)used >= size)
		return buf;
	if (value != threshold)
		snprintf(buf + used, size - (size_t)used,
			 " (%.17g against %.17g)", value, threshold);
	else
		snprintf(buf + used, size - (size_t)used,
			 " (alike as doubles; the relation is the one the "
			 "evaluator found between the exact figures)");
	return buf;
}

char *fg_rd_comparison(char *buf, size_t size, const json_t *obj)
{
	double value, threshold;
	mpq_t v, t;
	int exact;

	if (!fg_rd_num(&value, obj, "value") ||
	    !fg_rd_num(&threshold, obj, "threshold"))
		return NULL;
	mpq_init(v);
	mpq_init(t);
	exact = exact_at(v, obj, "value_exact") &&
		exact_at(t, obj, "threshold_exact");
	if (exact)
		fg_q_relation(buf, size, v, t, unit_of(obj), NULL);
	mpq_clear(v);
	mpq_clear(t);
	return exact ? buf : comparison_of_doubles(buf, size, obj, value,
						   threshold);
}

char *fg_rd_line(char *buf, size_t size, const json_t *obj)
{
	static const char both[] = "(both exactly ";
	char rel[FG_RELATION_SIZE];
	const char *second, *fraction;
	double threshold;
	size_t used;
	mpq_t t;
	int exact;

	if (!fg_rd_num(&threshold, obj, "threshold"))
		return NULL;
	mpq_init(t);
	exact = exact_at(t, obj, "threshold_exact");
	if (exact)
		/* "A = A[ of the base ...][ (both exactly X)]": the line is
		 * what follows " = " */
		fg_q_relation(rel, sizeof(rel), t, t, unit_of(obj), NULL);
	mpq_clear(t);
	if (!exact || !(second = strstr(rel, " = "))) {
		fg_rd_metric_value(buf, size, fg_rd_str(obj, "metric"),
				   threshold);
		return buf;
	}
	second += 3;
	if (!(fraction = strstr(second, both))) {
		snprintf(buf, size, "%s", second);
		return buf;
	}
	used = (size_t)(fraction - second);
	snprintf(buf, size, "%.*s(exactly %s", (int)used, second,
		 fraction + sizeof(both) - 1);
	return buf;
}

char *fg_rd_end_comparison(char *buf, size_t size, const json_t *obj,
			   const char *end)
{
	char key[16];
	mpq_t v, t;
	int exact;

	snprintf(key, sizeof(key), "%s_exact", end);
	mpq_init(v);
	mpq_init(t);
	exact = exact_at(v, obj, key) && exact_at(t, obj, "threshold_exact");
	if (exact)
		fg_q_relation(buf, size, v, t, unit_of(obj), NULL);
	mpq_clear(v);
	mpq_clear(t);
	return exact ? buf : NULL;
}

char *fg_rd_near_line(char *buf, size_t size, const json_t *obj,
		       double near)
{
	mpq_t t, n;
	int exact;

	mpq_init(t);
	mpq_init(n);
	exact = near > 0 && exact_at(t, obj, "threshold_exact");
	if (exact) {
		/* the rule's near fraction as its ruleset wrote it (0.5) */
		fg_q_set_double(n, near);
		mpq_mul(t, t, n);
		fg_q_figure(buf, size, t, unit_of(obj));
	}
	mpq_clear(t);
	mpq_clear(n);
	return exact ? buf : NULL;
}

char *fg_rd_margin(char *buf, size_t size, const json_t *obj)
{
	char figure[FG_FIGURE_SIZE];
	mpq_t v, t;
	int exact, side;

	mpq_init(v);
	mpq_init(t);
	exact = exact_at(v, obj, "value_exact") &&
		exact_at(t, obj, "threshold_exact");
	if (exact) {
		side = mpq_cmp(v, t);
		mpq_sub(v, v, t);
		mpq_abs(v, v);
		if (side == 0)
			snprintf(buf, size, "exactly at the line");
		else
			snprintf(buf, size, "%s %s the line",
				 fg_q_figure(figure, sizeof(figure), v,
					     unit_of(obj)),
				 side < 0 ? "below" : "above");
	}
	mpq_clear(v);
	mpq_clear(t);
	return exact ? buf : NULL;
}

char *fg_rd_headroom(char *buf, size_t size, const json_t *f)
{
	const char *metric = fg_rd_str(f, "metric");
	const char *of = fg_rd_metric_unit(metric) == FG_UNIT_FRACTION
				 ? " of modification compute"
				 : "";
	char figure[FG_FIGURE_SIZE];
	double room;

	if (!fg_rd_num(&room, f, "headroom"))
		return NULL;
	if (room == 0)
		snprintf(buf, size, "exactly at the line");
	else
		snprintf(buf, size, "%s%s %s the line",
			 fg_rd_headroom_value(figure, sizeof(figure), metric,
					      room < 0 ? -room : room),
			 of, room < 0 ? "above" : "below");
	return buf;
}

char *fg_rd_headroom_tokens(char *buf, size_t size, const json_t *f)
{
	char figure[FG_FIGURE_SIZE];
	double room, tokens;

	if (!fg_rd_num(&room, f, "headroom") ||
	    !fg_rd_num(&tokens, f, "headroom_tokens") || room == 0)
		return NULL;
	fg_rd_sci(figure, sizeof(figure), tokens < 0 ? -tokens : tokens,
		  "training tokens");
	if (room > 0)
		snprintf(buf, size, "room for %s more at the run's FLOP per "
			 "token", figure);
	else
		snprintf(buf, size, "%s more than the line allows at the "
			 "run's FLOP per token", figure);
	return buf;
}

const char *fg_rd_decided_by(const json_t *f)
{
	const char *by = fg_rd_str(f, "decided_by");

	if (by && !strcmp(by, "high"))
		return "the high end of the range";
	if (by && !strcmp(by, "low"))
		return "the low end of the range";
	return "the central estimate";
}

/* ---- JSON, streamed ------------------------------------------------------ */

int fg_rd_dump(FILE *out, const json_t *v, int level)
{
	fg_jbuf b = {0};
	int rc;

	fg_jw_value(&b, v, FG_JW_PRETTY, level);
	rc = b.failed || fwrite(b.p, 1, b.len, out) != b.len ? -1 : 0;
	fg_jw_free(&b);
	return rc;
}

int fg_rd_dump_key(FILE *out, const char *key)
{
	json_t *k = json_string(key);
	int rc;

	if (!k)
		return -1;
	rc = fg_rd_dump(out, k, 0);
	json_decref(k);
	fputs(": ", out);
	return rc;
}

/* ---- escaping --------------------------------------------------------- */

/* Bytes of a UTF-8 bidi control (U+202A..U+202E, U+2066..U+2069) at s, 0
 * when s is not one: they can make a hostile id read as something else. */
static size_t bidi_control(const unsigned char *s)
{
	if (s[0] != 0xE2)
		return 0;
	if (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE)
		return 3;
	if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
		return 3;
	return 0;
}

void fg_md_text(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	int pending_space = 0, started = 0;
	size_t skip;

	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			pending_space = started;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			continue;
		if ((skip = bidi_control(s))) {
			s += skip - 1;
			continue;
		}
		if (pending_space)
			fputc(' ', out);
		pending_space = 0;
		/* Inline punctuation, '|' (table cells), '#' (closing heading
		 * sequence), '$' (GitHub math), '&' that could start an
		 * entity, and what would start a list or block at the head of
		 * the text. */
		if (strchr("\\`*_[]<>|~#${}!", c) ||
		    (c == '&' && (isalnum(s[1]) || s[1] == '#')) ||
		    (!started && strchr("-+=", c)))
			fputc('\\', out);
		else if (!started && c >= '0' && c <= '9') {
			/* "1. " or "1) " would open an ordered list. */
			const unsigned char *d = s;

			while (*d >= '0' && *d <= '9')
				d++;
			if ((*d == '.' || *d == ')') &&
			    (!d[1] || strchr(" \t\r\n", d[1]))) {
				fwrite(s, 1, (size_t)(d - s), out);
				fputc('\\', out);
				fputc(*d, out);
				s = d;
				started = 1;
				continue;
			}
		}
		fputc(c, out);
		started = 1;
	}
}

void fg_md_code(FILE *out, const char *text)
{
	const char *p;

	if (!text || !*text) {
		fputs("\xE2\x80\x94", out);
		return;
	}
	for (p = text; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-:/+@=,() ", *p))
			break;
	if (*p || text[0] == ' ' || text[strlen(text) - 1] == ' ') {
		fg_md_text(out, text);
		return;
	}
	fprintf(out, "`%s`", text);
}

void fg_xml_text(FILE *out, const char *text, int attribute)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");

	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '\n': fputs(attribute ? "&#10;" : "\n", out); break;
		case '\r': fputs("&#13;", out); break;
		case '\t': fputs(attribute ? "&#9;" : "\t", out); break;
		default:
			/* XML 1.0 §2.2 allows no other C0 control. */
			if (*s < 0x20)
				fputs("\xEF\xBF\xBD", out);
			else
				fputc(*s, out);
		}
	}
}

/* ---- report file names ------------------------------------------------ */

#define NAME_STEM_MAX 64
#define NAME_HASH_DIGITS 16
/* `report --all -o DIR` writes its summary to DIR/index.md: a run called
 * "index" must not overwrite it (nor the summary the run). */
#define NAME_RESERVED_STEM "index"

static int lower_safe(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

/* "-" and NAME_HASH_DIGITS lower-case hex digits at the end of id: the
 * shape of a hashed name, which a kept id must not have or the two could
 * meet. */
static int ends_like_hash(const char *id, size_t length)
{
	size_t i;

	if (length < NAME_HASH_DIGITS + 1 ||
	    id[length - NAME_HASH_DIGITS - 1] != '-')
		return 0;
	for (i = length - NAME_HASH_DIGITS; i < length; i++)
		if (!strchr("0123456789abcdef", id[i]))
			return 0;
	return 1;
}

int fg_report_filename(char *buf, size_t size, const char *run_id)
{
	char digest[65];
	size_t length, i, n;
	int keep;

	if (buf && size)
		buf[0] = 0;
	if (!buf || size <= FG_REPORT_FILENAME_MAX || !run_id || !*run_id)
		return FG_EINPUT;
	length = strlen(run_id);
	/* Kept verbatim only when lower case: "Llama" and "llama" must not
	 * land on one file on a case-insensitive file system. */
	keep = length <= NAME_STEM_MAX && run_id[0] != '.' &&
	       !ends_like_hash(run_id, length) &&
	       strcasecmp(run_id, NAME_RESERVED_STEM) != 0;
	for (i = 0; keep && i < length; i++)
		keep = lower_safe(run_id[i]);
	if (keep) {
		snprintf(buf, size, "%s.md", run_id);
		return 0;
	}
	if (fg_sha256_hex(run_id, length, digest))
		return FG_ENOMEM;
	n = length < NAME_STEM_MAX ? length : NAME_STEM_MAX;
	for (i = 0; i < n; i++) {
		char c = run_id[i];

		buf[i] = ((c >= 'A' && c <= 'Z') || lower_safe(c)) ? c : '_';
	}
	if (buf[0] == '.')
		buf[0] = '_';
	snprintf(buf + n, size - n, "-%.*s.md", NAME_HASH_DIGITS, digest);
	return 0;
}

/* ---- one-line finding messages ------------------------------------------ */

char *fg_rd_finding_message(const json_t *run, const json_t *f)
{
	const char *title = fg_rd_str(f, "title"), *citation, *s, *by;
	const char *id = fg_rd_str(run, "id"), *rule = fg_rd_str(f, "rule");
	json_t *o, *waiver = json_object_get(f, "waiver");
	char *text = NULL, b[1024];
	double near;
	size_t length = 0, i;
	int outcome = fg_rd_outcome(f);
	FILE *m = open_memstream(&text, &length);

	if (!m)
		return NULL;
	fprintf(m, "run %s: %s \xE2\x80\x94 %s", id ? id : "?",
		title ? title : rule ? rule : "?",
		outcome >= 0 ? fg_rd_outcome_names[outcome] : "unknown");
	if (fg_rd_comparison(b, sizeof(b), f)) {
		fprintf(m, ": %s on the central estimate", b);
		by = fg_rd_str(f, "decided_by");
		if (outcome == FG_RD_NEAR && by && strcmp(by, "central") &&
		    fg_rd_end_comparison(b, sizeof(b), f, by))
			fprintf(m, ", near because at %s %s",
				fg_rd_decided_by(f), b);
		else if (outcome == FG_RD_NEAR &&
			 fg_rd_num(&near, f, "near") &&
			 fg_rd_near_line(b, sizeof(b), f, near))
			fprintf(m, ", near because it is at least %.3g %% of "
				"the line (%s)", near * 100, b);
	} else if ((s = fg_rd_str(f, "reason"))) {
		fprintf(m, ": %s", s);
	}
	if ((citation = fg_rd_str(f, "citation")))
		fprintf(m, " (%s)", citation);
	if (outcome == FG_RD_TRIGGERED || outcome == FG_RD_NEAR)
		json_array_foreach(fg_rd_array(f, "obligations"), i, o) {
			if (!(s = fg_rd_str(o, "due")))
				continue;
			fprintf(m, "; %s by %s%s",
				fg_rd_str(o, "text") ? fg_rd_str(o, "text") :
				fg_rd_str(o, "id") ? fg_rd_str(o, "id") :
				"obligation", s,
				json_is_true(json_object_get(o, "overdue"))
					? " (OVERDUE)"
					: "");
		}
	if (json_is_object(waiver)) {
		fprintf(m, "; %s waiver: %s",
			outcome == FG_RD_WAIVED ? "accepted by" : "expired",
			fg_rd_str(waiver, "reason") ?
			fg_rd_str(waiver, "reason") : "no reason given");
		if ((s = fg_rd_str(waiver, "approved_by")))
			fprintf(m, ", approved by %s", s);
		if ((s = fg_rd_str(waiver, "expires")))
			fprintf(m, ", expires %s", s);
	}
	if (fclose(m)) {
		free(text);
		return NULL;
	}
	/* One line: a hostile title must not add lines to a CI log. */
	for (i = 0; text[i]; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F)
			text[i] = ' ';
	return text;
}
