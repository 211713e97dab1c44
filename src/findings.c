/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — FINDING objects of the result document
 * (include/flopgate/result.h; declared in include/flopgate/evaluate.h). */
#include "flopgate/evaluate.h"

#include <math.h>
#include <string.h>

#include "result_json.h"

/* json_object_set_new that reports failure instead of leaking. */
static int put(json_t *obj, const char *key, json_t *value)
{
	return value ? json_object_set_new(obj, key, value) : -1;
}

static json_t *date_or_null(fg_date date)
{
	char buf[16];

	return date == FG_DATE_NONE ? json_null()
				    : json_string(fg_date_format(date, buf));
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *number_or_null(int known, double v)
{
	return known && isfinite(v) ? json_real(v) : json_null();
}

/* A figure exactly, as a reduced fraction of decimal integers
 * ("10000000000000000000000000/3"); null when unknown. */
static json_t *exact_or_null(int known, const fg_exact *x)
{
	char buf[800];

	if (!known || !x)
		return json_null();
	return json_string(fg_exact_format(x, buf, sizeof(buf)));
}

static json_t *string_array(char *const *items, size_t count)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < count; i++)
		if (json_array_append_new(a, json_string(items[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *holds_json(int holds)
{
	return holds < 0 ? json_null() : json_boolean(holds);
}

static json_t *leaf_json(const fg_leaf_result *l)
{
	const fg_condition *c = l->condition;
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (l->is_attribute) {
		if (put(o, "attribute", json_string(c->attribute)) ||
		    (c->field != FG_FIELD_NONE &&
		     put(o, "field", json_true())) ||
		    put(o, "op", json_string(c->value_count == 1 ? "equals"
								 : "in")) ||
		    put(o, "threshold", string_array(c->values,
						     c->value_count)) ||
		    put(o, "value", string_or_null(l->attribute_values)) ||
		    put(o, "holds", holds_json(l->holds)))
			goto fail;
		return o;
	}
	if (put(o, "metric", json_string(fg_metric_name(l->metric))) ||
	    put(o, "op", json_string(fg_op_name(l->op))) ||
	    put(o, "threshold", json_real(l->threshold)) ||
	    put(o, "value", number_or_null(l->known, l->value)) ||
	    put(o, "relation", l->known ? json_string(fg_relation_name(
						  l->relation))
					: json_null()) ||
	    put(o, "low", number_or_null(l->known, l->low)) ||
	    put(o, "high", number_or_null(l->known, l->high)) ||
	    put(o, "holds", holds_json(l->holds)))
		goto fail;
	if (c->metric == FG_METRIC_MODIFICATION_FRACTION &&
	    l->metric == FG_METRIC_MODIFICATION_COMPUTE &&
	    put(o, "fallback", json_true()))
		goto fail;
	/* the figures exactly and their unit, for fg_figure_relation */
	if (put(o, "unit", json_string(fg_unit_name(fg_metric_unit(
				   l->metric)))) ||
	    put(o, "value_exact", exact_or_null(l->known, l->exact.value)) ||
	    put(o, "threshold_exact", exact_or_null(1, l->exact.threshold)))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* Only a triggered or waived finding owes anything. */
static int owes(const fg_finding *f)
{
	return f->outcome == FG_OUTCOME_TRIGGERED ||
	       (f->outcome == FG_OUTCOME_WAIVED && f->known_since !=
							   FG_DATE_NONE);
}

/* true, false, or null when its condition cannot be told (and for a
 * finding that owes nothing). */
static json_t *owed_json(const fg_finding *f, size_t i)
{
	if (!owes(f) || f->duties[i].owed < 0)
		return json_null();
	return json_boolean(f->duties[i].owed);
}

/* The key of the run file that would give obligation i a due date it
 * lacks: an owed duty counted from the day the model is placed on the
 * market, when the run does not say that day.  NULL otherwise. */
static const char *date_needed(const fg_finding *f, size_t i)
{
	const fg_obligation *ob = &f->rule->obligations[i];

	if (!owes(f) || f->duties[i].owed != 1 || f->due[i] != FG_DATE_NONE ||
	    !ob->has_due || ob->due_after != FG_AFTER_PLACED_ON_MARKET)
		return NULL;
	return "dates.placed_on_market";
}

/* What each obligation comes to for this run; its text, citation and
 * period are the rule's static facts (rule_facts_json).  A finding that
 * owes nothing (most of a run's: not applicable, clear) gives only each
 * obligation's id and its null due date; the rest is implied (transition
 * false, owed and owed_reason null, overdue false). */
static json_t *obligations_json(const fg_finding *f)
{
	const fg_rule *rule = f->rule;
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a && i < rule->obligation_count; i++) {
		const fg_obligation *ob = &rule->obligations[i];
		int nothing = !owes(f) && f->due[i] == FG_DATE_NONE &&
			      !(f->due_by_transition[i] && f->transition);

		o = json_object();
		if (!o || json_array_append_new(a, o) ||
		    put(o, "id", json_string(ob->id)) ||
		    put(o, "due", date_or_null(f->due[i])))
			goto fail;
		if (nothing)
			continue;
		if (put(o, "date_needed", string_or_null(date_needed(f, i))) ||
		    put(o, "transition", json_boolean(f->due_by_transition[i] &&
						      f->transition)) ||
		    put(o, "owed", owed_json(f, i)) ||
		    put(o, "owed_reason",
			string_or_null(owes(f) ? f->duties[i].why_not
					       : NULL)) ||
		    put(o, "overdue", json_boolean(owes(f) &&
						   f->duties[i].overdue)))
			goto fail;
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

static json_t *waiver_json(const fg_finding *f, fg_date as_of)
{
	const fg_waiver *w = f->waiver ? f->waiver : f->expired_waiver;
	char buf[16];
	json_t *o;

	if (!w)
		return json_null();
	o = json_object();
	if (!o || put(o, "reason", json_string(w->reason)) ||
	    put(o, "approved_by", json_string(w->approved_by)) ||
	    put(o, "expires", json_string(fg_date_format(w->expires, buf))) ||
	    put(o, "expired", json_boolean(!fg_waiver_valid(w, as_of))) ||
	    put(o, "file", json_string(w->file)) ||
	    put(o, "line", json_integer(w->line))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *presumed_json(const fg_finding *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < f->presumed_count; i++)
		if (json_array_append_new(a, json_string(f->presumed[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *fg_result_finding(const fg_finding *f, const fg_run_findings *rf)
{
	const fg_rule *rule = f->rule;
	const fg_condition *primary = fg_rule_primary_leaf(rule);
	json_t *o = json_object(), *leaves;
	int cmp = f->has_comparison;
	size_t i;

	if (!o)
		return NULL;
	/* what is the run's; the rule's static facts are under the
	 * document's rulesets[].rules[] (rule_facts_json) */
	if (put(o, "rule", json_string(rule->id)) ||
	    put(o, "outcome", json_string(fg_outcome_name(f->outcome))) ||
	    put(o, "reason", json_string(f->reason)) ||
	    put(o, "metric", primary ? json_string(fg_metric_name(f->metric))
				     : json_null()) ||
	    put(o, "op", primary ? json_string(fg_op_name(f->op))
				 : json_null()) ||
	    put(o, "threshold", number_or_null(primary != NULL,
					       f->threshold)) ||
	    put(o, "value", number_or_null(cmp, f->value)) ||
	    put(o, "relation", cmp ? json_string(fg_relation_name(f->relation))
				   : json_null()) ||
	    put(o, "value_exact", exact_or_null(cmp, f->exact.value)) ||
	    put(o, "threshold_exact", exact_or_null(cmp, f->exact.threshold)) ||
	    put(o, "low", number_or_null(cmp, f->low)) ||
	    put(o, "high", number_or_null(cmp, f->high)) ||
	    put(o, "low_exact", exact_or_null(cmp, f->exact.low)) ||
	    put(o, "high_exact", exact_or_null(cmp, f->exact.high)) ||
	    put(o, "decided_by", string_or_null(cmp ? f->decided_by
						    : NULL)) ||
	    put(o, "headroom", number_or_null(cmp, f->headroom)) ||
	    put(o, "headroom_tokens",
		number_or_null(cmp && f->has_headroom_tokens,
			       f->headroom_tokens)) ||
	    put(o, "unit", primary ? json_string(fg_unit_name(
					     fg_metric_unit(f->metric)))
				   : json_null()) ||
	    put(o, "headroom_unit",
		cmp ? json_string(fg_unit_name(
			      fg_metric_headroom_unit(f->metric)))
		    : json_null()))
		goto fail;
	leaves = json_array();
	if (put(o, "conditions", leaves))
		goto fail;
	for (i = 0; i < f->leaf_count; i++)
		if (json_array_append_new(leaves, leaf_json(&f->leaves[i])))
			goto fail;
	if (put(o, "presumed", presumed_json(f)) ||
	    put(o, "known_since", date_or_null(f->known_since)) ||
	    put(o, "known_basis", string_or_null(f->known_basis)) ||
	    put(o, "projected_crossing",
		date_or_null(f->crossed ? FG_DATE_NONE
					: f->projected_crossing)) ||
	    put(o, "crossed_on",
		date_or_null(f->crossed ? f->projected_crossing
					: FG_DATE_NONE)) ||
	    /* the rule's transition (rules[].transition) covers the run and
	     * set its dates */
	    put(o, "transition", json_boolean(f->transition != NULL)) ||
	    put(o, "obligations", obligations_json(f)) ||
	    put(o, "waiver", waiver_json(f, rf->as_of)) ||
	    put(o, "gate_fails", json_boolean(f->gate_fails)))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *fg_result_findings(const fg_run_findings *rf)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < rf->count; i++)
		if (json_array_append_new(a, fg_result_finding(&rf->findings[i],
							       rf))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *fg_result_check_run(const fg_run_findings *rf)
{
	json_t *run = fg_result_run(rf->estimate), *warnings;
	size_t i;

	if (!run)
		return NULL;
	warnings = json_object_get(run, "warnings");
	for (i = 0; warnings && i < rf->warning_count; i++)
		if (json_array_append_new(warnings,
					  json_string(rf->warnings[i])))
			goto fail;
	if (put(run, "findings", fg_result_findings(rf)))
		goto fail;
	return run;
fail:
	json_decref(run);
	return NULL;
}

/* A rule's static facts: what every finding of it shares, once. */
static json_t *rule_facts_json(const fg_rule *rule)
{
	const fg_ruleset *rs = rule->ruleset;
	const fg_transition *t = &rule->transition;
	json_t *o = json_object(), *obligations, *ob, *tr;
	size_t i;

	if (!o)
		return NULL;
	if (put(o, "id", json_string(rule->id)) ||
	    put(o, "title", json_string(rule->title)) ||
	    put(o, "citation", json_string(rule->citation)) ||
	    put(o, "jurisdiction",
		string_or_null(rs && rs->jurisdiction ? rs->jurisdiction
						      : rule->jurisdictions[0])) ||
	    put(o, "applies_to", string_array(rule->jurisdictions,
					      rule->jurisdiction_count)) ||
	    put(o, "severity", json_string(fg_severity_name(rule->severity))) ||
	    put(o, "near", number_or_null(rule->near > 0, rule->near)) ||
	    put(o, "effective_from", date_or_null(rule->effective_from)) ||
	    put(o, "effective_until", date_or_null(rule->effective_until)))
		goto fail;
	if (t->placed_before == FG_DATE_NONE) {
		if (put(o, "transition", json_null()))
			goto fail;
	} else if (!(tr = json_object()) || put(o, "transition", tr) ||
		   put(tr, "citation", json_string(t->citation)) ||
		   put(tr, "placed_before", date_or_null(t->placed_before)) ||
		   put(tr, "comply_by", date_or_null(t->comply_by))) {
		goto fail;
	}
	obligations = json_array();
	if (put(o, "obligations", obligations))
		goto fail;
	for (i = 0; i < rule->obligation_count; i++) {
		const fg_obligation *x = &rule->obligations[i];

		ob = json_object();
		if (!ob || json_array_append_new(obligations, ob) ||
		    put(ob, "id", json_string(x->id)) ||
		    put(ob, "text", json_string(x->text)) ||
		    put(ob, "citation", string_or_null(x->citation)) ||
		    put(ob, "days", x->has_due ? json_integer(x->due_days)
					       : json_null()) ||
		    put(ob, "after", x->has_due
					     ? json_string(fg_due_after_name(
						       x->due_after))
					     : json_null()) ||
		    put(ob, "not_before", date_or_null(x->has_due
								? x->not_before
								: FG_DATE_NONE)) ||
		    put(ob, "condition", string_or_null(x->when_text)))
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *fg_result_rulesets(const fg_ruleset_set *set)
{
	json_t *a = json_array(), *o, *rules;
	size_t i, j;

	for (i = 0; a && i < set->count; i++) {
		const fg_ruleset *rs = set->rulesets[i];

		o = json_object();
		if (!o || json_array_append_new(a, o) ||
		    put(o, "id", json_string(rs->id)) ||
		    put(o, "sha256", json_string(rs->sha256)) ||
		    put(o, "title", string_or_null(rs->title)) ||
		    put(o, "jurisdiction", string_or_null(rs->jurisdiction)) ||
		    put(o, "version", string_or_null(rs->version)) ||
		    put(o, "source", string_or_null(rs->source)) ||
		    put(o, "file", string_or_null(rs->file)) ||
		    put(o, "rules", rules = json_array()))
			goto fail;
		for (j = 0; j < rs->rule_count; j++)
			if (json_array_append_new(rules, rule_facts_json(
					&rs->rules[j])))
				goto fail;
	}
	return a;
fail:
	json_decref(a);
	return NULL;
}

json_t *fg_result_check_document(fg_run_findings *const *runs, size_t count,
				 const fg_ruleset_set *set, fg_date as_of,
				 fg_fail_on fail_on, const char *actor,
				 long long evaluation_id)
{
	json_t *doc = json_object(), *list, *gate;
	size_t i, failures = 0;

	if (!doc)
		return NULL;
	for (i = 0; i < count; i++)
		failures += runs[i]->gate_failures;
	if (put(doc, "flopgate", json_string(FG_VERSION)) ||
	    put(doc, "as_of", date_or_null(as_of)) ||
	    put(doc, "evaluation_id", evaluation_id < 0
					      ? json_null()
					      : json_integer(evaluation_id)) ||
	    put(doc, "actor", string_or_null(actor)) ||
	    put(doc, "rulesets", fg_result_rulesets(set)))
		goto fail;
	list = json_array();
	if (put(doc, "runs", list))
		goto fail;
	for (i = 0; i < count; i++)
		if (json_array_append_new(list, fg_result_check_run(runs[i])))
			goto fail;
	gate = json_object();
	if (put(doc, "gate", gate) ||
	    put(gate, "fail_on", json_string(fg_fail_on_name(fail_on))) ||
	    put(gate, "passed", json_boolean(failures == 0)) ||
	    put(gate, "failures", json_integer((json_int_t)failures)))
		goto fail;
	return doc;
fail:
	json_decref(doc);
	return NULL;
}
