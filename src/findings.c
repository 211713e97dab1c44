/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — FINDING objects of the result document
 * (include/flopgate/result.h; declared in include/flopgate/evaluate.h). */
#include "flopgate/evaluate.h"

#include <math.h>
#include <string.h>

#include "exact_int.h"
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

/* Members as the document writes them. */
static void k_number(fg_jw *w, const char *key, size_t key_len, int known,
		     double v)
{
	fg_jw_key_n(w, key, key_len);
	if (known && isfinite(v))
		fg_jw_real(w, v);
	else
		fg_jw_null(w);
}

/* The exact figures a run's findings have written, as text: a run's
 * findings hold the same few figures over and over (its compute against
 * each rule, the same lines in several rules), and writing one out is a
 * conversion of a rational to decimal.  Lives for one write of a run's
 * findings, whose figures outlive it. */
#define MEMO_SIZE 16
#define MEMO_TEXT 120

typedef struct exact_memo {
	struct {
		const fg_exact *x;
		char text[MEMO_TEXT];
	} e[MEMO_SIZE];
	size_t count, next;
} exact_memo;

/* x as a reduced fraction of decimal integers
 * ("10000000000000000000000000/3"), from the memo when it has it. */
static const char *exact_text(exact_memo *m, const fg_exact *x, char *buf,
			      size_t size)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		if (m->e[i].x == x || fg_exact_equal(m->e[i].x, x))
			return m->e[i].text;
	fg_exact_format(x, buf, size);
	if (strlen(buf) < MEMO_TEXT) {
		i = m->count < MEMO_SIZE ? m->count++ : m->next++ % MEMO_SIZE;
		m->e[i].x = x;
		memcpy(m->e[i].text, buf, strlen(buf) + 1);
	}
	return buf;
}

/* Members a finding gives only when they say something: one left out
 * is null (false for "transition", [] for "conditions" and "presumed"),
 * as schema/result.schema.json says.  Four fifths of a run's findings are
 * not applicable and compare nothing; each null they would spell out is
 * bytes in every output and every stored document. */
static void opt_number(fg_jw *w, const char *key, size_t key_len, int known,
		       double v)
{
	if (known && isfinite(v)) {
		fg_jw_key_n(w, key, key_len);
		fg_jw_real(w, v);
	}
}

static void opt_string(fg_jw *w, const char *key, size_t key_len, const char *s)
{
	if (s)
		fg_jw_kstring_n(w, key, key_len, s);
}

/* A figure exactly, when known (exact_text). */
static void opt_exact(fg_jw *w, exact_memo *m, const char *key, size_t key_len,
		      int known, const fg_exact *x)
{
	char buf[800];

	if (known && x)
		fg_jw_kstring_n(w, key, key_len,
				exact_text(m, x, buf, sizeof(buf)));
}

static void opt_date(fg_jw *w, const char *key, size_t key_len, fg_date date)
{
	if (date != FG_DATE_NONE)
		fg_result_kdate(w, key, key_len, date);
}

/* true, false, or null when it cannot be told */
static void k_holds(fg_jw *w, int holds)
{
	fg_jw_key_n(w, FG_JW_LIT("holds"));
	if (holds < 0)
		fg_jw_null(w);
	else
		fg_jw_bool(w, holds);
}

/* A leaf's line against a fallback (GPAI guidelines para 61): not the
 * rule's own, so the finding writes it. */
static int leaf_fallback(const fg_leaf_result *l)
{
	return l->condition->metric == FG_METRIC_MODIFICATION_FRACTION &&
	       l->metric == FG_METRIC_MODIFICATION_COMPUTE;
}

/* What condition i of a finding is for its run: the figure, how it
 * stands against the line, and whether the leaf holds.  The line itself
 * (metric or attribute, op, threshold, unit, threshold_exact) is the
 * rule's static fact, its leaf i under rulesets[].rules[].conditions
 * (leaf_facts_json), unless a fallback drew another line, which is then
 * written here whole. */
static void leaf_write(fg_jw *w, const fg_leaf_result *l, exact_memo *m)
{
	int fallback = !l->is_attribute && leaf_fallback(l);

	fg_jw_object(w);
	if (l->is_attribute) {
		opt_string(w, FG_JW_LIT("value"), l->attribute_values);
		k_holds(w, l->holds);
		fg_jw_close(w, '}');
		return;
	}
	if (fallback) {
		fg_jw_kstring_n(w, FG_JW_LIT("metric"),
				fg_metric_name(l->metric));
		fg_jw_kstring_n(w, FG_JW_LIT("op"), fg_op_name(l->op));
		k_number(w, FG_JW_LIT("threshold"), 1, l->threshold);
	}
	opt_number(w, FG_JW_LIT("value"), l->known, l->value);
	opt_string(w, FG_JW_LIT("relation"),
		   l->known ? fg_relation_name(l->relation) : NULL);
	opt_number(w, FG_JW_LIT("low"), l->known, l->low);
	opt_number(w, FG_JW_LIT("high"), l->known, l->high);
	k_holds(w, l->holds);
	if (fallback) {
		fg_jw_kbool_n(w, FG_JW_LIT("fallback"), 1);
		/* the figures exactly and their unit, for
		 * fg_figure_relation */
		fg_jw_kstring_n(w, FG_JW_LIT("unit"),
				fg_unit_name(fg_metric_unit(l->metric)));
	}
	opt_exact(w, m, FG_JW_LIT("value_exact"), l->known, l->exact.value);
	if (fallback)
		opt_exact(w, m, FG_JW_LIT("threshold_exact"), 1,
			  l->exact.threshold);
	fg_jw_close(w, '}');
}

/* Only a triggered or waived finding owes anything. */
static int owes(const fg_finding *f)
{
	return f->outcome == FG_OUTCOME_TRIGGERED ||
	       (f->outcome == FG_OUTCOME_WAIVED && f->known_since !=
							   FG_DATE_NONE);
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
static void obligations_write(fg_jw *w, const fg_finding *f)
{
	const fg_rule *rule = f->rule;
	size_t i;

	fg_jw_key_n(w, FG_JW_LIT("obligations"));
	fg_jw_array(w);
	for (i = 0; i < rule->obligation_count; i++) {
		int nothing = !owes(f) && f->due[i] == FG_DATE_NONE &&
			      !(f->due_by_transition[i] && f->transition);

		fg_jw_object(w);
		fg_jw_kstring_n(w, FG_JW_LIT("id"), rule->obligations[i].id);
		fg_result_kdate(w, FG_JW_LIT("due"), f->due[i]);
		if (!nothing) {
			fg_jw_kstring_n(w, FG_JW_LIT("date_needed"),
					date_needed(f, i));
			fg_jw_kbool_n(w, FG_JW_LIT("transition"),
				      f->due_by_transition[i] && f->transition);
			/* true, false, or null when its condition cannot
			 * be told (and for a finding that owes nothing) */
			fg_jw_key_n(w, FG_JW_LIT("owed"));
			if (!owes(f) || f->duties[i].owed < 0)
				fg_jw_null(w);
			else
				fg_jw_bool(w, f->duties[i].owed);
			fg_jw_kstring_n(w, FG_JW_LIT("owed_reason"),
					owes(f) ? f->duties[i].why_not : NULL);
			fg_jw_kbool_n(w, FG_JW_LIT("overdue"),
				      owes(f) && f->duties[i].overdue);
		}
		fg_jw_close(w, '}');
	}
	fg_jw_close(w, ']');
}

static void waiver_write(fg_jw *w, const fg_finding *f, fg_date as_of)
{
	const fg_waiver *wv = f->waiver ? f->waiver : f->expired_waiver;

	if (!wv)
		return;
	fg_jw_key_n(w, FG_JW_LIT("waiver"));
	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("reason"), wv->reason);
	fg_jw_kstring_n(w, FG_JW_LIT("approved_by"), wv->approved_by);
	fg_result_kdate(w, FG_JW_LIT("expires"), wv->expires);
	fg_jw_kbool_n(w, FG_JW_LIT("expired"), !fg_waiver_valid(wv, as_of));
	fg_jw_kstring_n(w, FG_JW_LIT("file"), wv->file);
	fg_jw_key_n(w, FG_JW_LIT("line"));
	fg_jw_integer(w, wv->line);
	fg_jw_close(w, '}');
}

static void finding_write(fg_jw *w, const fg_finding *f,
			  const fg_run_findings *rf, exact_memo *m)
{
	const fg_rule *rule = f->rule;
	const fg_condition *primary = fg_rule_primary_leaf(rule);
	int cmp = f->has_comparison;
	size_t i;

	/* what is the run's; the rule's static facts are under the
	 * document's rulesets[].rules[] (rule_facts_json) */
	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("rule"), rule->id);
	fg_jw_kstring_n(w, FG_JW_LIT("outcome"), fg_outcome_name(f->outcome));
	fg_jw_kstring_n(w, FG_JW_LIT("reason"), f->reason);
	/* the DESIGN.md example's members always; the rest when they say
	 * something (opt_number) */
	fg_jw_kstring_n(w, FG_JW_LIT("metric"),
			primary ? fg_metric_name(f->metric) : NULL);
	fg_jw_kstring_n(w, FG_JW_LIT("op"), primary ? fg_op_name(f->op) : NULL);
	k_number(w, FG_JW_LIT("threshold"), primary != NULL, f->threshold);
	k_number(w, FG_JW_LIT("value"), cmp, f->value);
	opt_string(w, FG_JW_LIT("relation"),
		   cmp ? fg_relation_name(f->relation) : NULL);
	opt_exact(w, m, FG_JW_LIT("value_exact"), cmp, f->exact.value);
	opt_exact(w, m, FG_JW_LIT("threshold_exact"), cmp, f->exact.threshold);
	opt_number(w, FG_JW_LIT("low"), cmp, f->low);
	opt_number(w, FG_JW_LIT("high"), cmp, f->high);
	opt_exact(w, m, FG_JW_LIT("low_exact"), cmp, f->exact.low);
	opt_exact(w, m, FG_JW_LIT("high_exact"), cmp, f->exact.high);
	opt_string(w, FG_JW_LIT("decided_by"), cmp ? f->decided_by : NULL);
	k_number(w, FG_JW_LIT("headroom"), cmp, f->headroom);
	opt_number(w, FG_JW_LIT("headroom_tokens"),
		   cmp && f->has_headroom_tokens, f->headroom_tokens);
	opt_string(w, FG_JW_LIT("unit"),
		   primary ? fg_unit_name(fg_metric_unit(f->metric)) : NULL);
	opt_string(w, FG_JW_LIT("headroom_unit"),
		   cmp ? fg_unit_name(fg_metric_headroom_unit(f->metric))
		       : NULL);
	if (f->leaf_count) {
		fg_jw_key_n(w, FG_JW_LIT("conditions"));
		fg_jw_array(w);
		for (i = 0; i < f->leaf_count; i++)
			leaf_write(w, &f->leaves[i], m);
		fg_jw_close(w, ']');
	}
	if (f->presumed_count) {
		fg_jw_key_n(w, FG_JW_LIT("presumed"));
		fg_jw_array(w);
		for (i = 0; i < f->presumed_count; i++)
			fg_jw_string(w, f->presumed[i]);
		fg_jw_close(w, ']');
	}
	opt_date(w, FG_JW_LIT("known_since"), f->known_since);
	opt_string(w, FG_JW_LIT("known_basis"), f->known_basis);
	opt_date(w, FG_JW_LIT("projected_crossing"),
		 f->crossed ? FG_DATE_NONE : f->projected_crossing);
	opt_date(w, FG_JW_LIT("crossed_on"),
		 f->crossed ? f->projected_crossing : FG_DATE_NONE);
	/* the rule's transition (rules[].transition) covers the run and set
	 * its dates */
	if (f->transition)
		fg_jw_kbool_n(w, FG_JW_LIT("transition"), 1);
	obligations_write(w, f);
	waiver_write(w, f, rf->as_of);
	fg_jw_kbool_n(w, FG_JW_LIT("gate_fails"), f->gate_fails);
	fg_jw_close(w, '}');
}

void fg_result_write_findings(fg_jw *w, const fg_run_findings *rf)
{
	exact_memo m;
	size_t i;

	m.count = m.next = 0;
	fg_jw_key_n(w, FG_JW_LIT("findings"));
	fg_jw_array(w);
	for (i = 0; i < rf->count; i++)
		finding_write(w, &rf->findings[i], rf, &m);
	fg_jw_close(w, ']');
}

json_t *fg_result_finding(const fg_finding *f, const fg_run_findings *rf)
{
	exact_memo m;
	fg_jw w;

	m.count = m.next = 0;
	fg_jw_start_tree(&w);
	finding_write(&w, f, rf, &m);
	return fg_jw_tree(&w);
}

json_t *fg_result_findings(const fg_run_findings *rf)
{
	exact_memo m;
	fg_jw w;
	size_t i;

	m.count = m.next = 0;
	fg_jw_start_tree(&w);
	fg_jw_array(&w);
	for (i = 0; i < rf->count; i++)
		finding_write(&w, &rf->findings[i], rf, &m);
	fg_jw_close(&w, ']');
	return fg_jw_tree(&w);
}

json_t *fg_result_check_run(const fg_run_findings *rf)
{
	fg_jw w;

	fg_jw_start_tree(&w);
	fg_result_write_run(&w, rf->estimate, rf);
	return fg_jw_tree(&w);
}

/* Leaf c's line, as the rule gives it (what leaf_write leaves out). */
static json_t *leaf_facts_json(const fg_condition *c)
{
	json_t *o = json_object(), *values;
	char buf[800];
	mpq_t line;
	size_t i;
	int bad = !o;

	if (!bad && c->type == FG_COND_ATTRIBUTE) {
		bad |= put(o, "attribute", json_string(c->attribute));
		if (c->field != FG_FIELD_NONE)
			bad |= put(o, "field", json_true());
		bad |= put(o, "op", json_string(c->value_count == 1 ? "equals"
								 : "in"));
		bad |= put(o, "threshold", values = json_array());
		for (i = 0; !bad && i < c->value_count; i++)
			bad |= json_array_append_new(values,
						     json_string(c->values[i]));
	} else if (!bad) {
		/* the line exactly as the evaluator holds it (fg_q_set) */
		mpq_init(line);
		fg_q_set(line, c->exact.value, c->value);
		bad |= put(o, "metric", json_string(fg_metric_name(c->metric)));
		bad |= put(o, "op", json_string(fg_op_name(c->op)));
		bad |= put(o, "threshold",
			   number_or_null(1, fg_q_double(line)));
		bad |= put(o, "unit", string_or_null(fg_unit_name(
						fg_metric_unit(c->metric))));
		bad |= put(o, "threshold_exact",
			   json_string(fg_q_format(line, buf, sizeof(buf))));
		mpq_clear(line);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The leaves of a rule's condition, in the order a finding's conditions
 * list them (collect_leaves, src/evaluate.c). */
static int add_leaves(json_t *list, const fg_condition *c)
{
	size_t i;

	if (c->type == FG_COND_METRIC || c->type == FG_COND_ATTRIBUTE)
		return json_array_append_new(list, leaf_facts_json(c));
	for (i = 0; i < c->child_count; i++)
		if (add_leaves(list, &c->children[i]))
			return -1;
	return 0;
}

static json_t *leaves_json(const fg_condition *when)
{
	json_t *list = json_array();

	if (list && add_leaves(list, when)) {
		json_decref(list);
		return NULL;
	}
	return list;
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
		string_or_null(rs && rs->jurisdiction
				       ? rs->jurisdiction
				       : rule->jurisdictions[0])) ||
	    put(o, "applies_to",
		string_array(rule->jurisdictions, rule->jurisdiction_count)) ||
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
	if (put(o, "conditions", leaves_json(&rule->when)))
		goto fail;
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
		    put(ob, "days",
			x->has_due ? json_integer(x->due_days) : json_null()) ||
		    put(ob, "after",
			x->has_due
				? json_string(fg_due_after_name(x->due_after))
				: json_null()) ||
		    put(ob, "not_before",
			date_or_null(x->has_due ? x->not_before
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
