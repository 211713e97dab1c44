/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — a ruleset's own test cases (`tests:`, include/flopgate/rules.h):
 * compact runs with the outcome and due dates each rule must give.  A test
 * run is built directly as a run and its estimate, without the estimator,
 * so a case can sit exactly at a line.  Every figure is kept exactly as
 * written, like a run file's: a compute map of several phase kinds sums
 * exactly ({pretraining: 8.9e25, fine_tuning: 1.1e25} is 10^26), and a
 * base model's compute makes an exact ratio with the modification's.
 */
#include "rules_int.h"

#include <stdlib.h>
#include <string.h>

#include "flopgate/jurisdiction.h"

/* ---- compact test runs ------------------------------------------------ */

static void test_run_free(fg_run *run, fg_run_estimate *est)
{
	size_t i, j;

	if (est) {
		for (i = 0; i < est->phase_count; i++)
			fg_exact_range_clear(&est->phases[i].exact.flop);
		free(est->phases);
		fg_exact_free(est->exact.cost_usd);
		fg_exact_free(est->exact.cluster_peak_flops);
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
	free(run->established_in);
	fg_exact_free(run->exact.annual_revenue_usd);
	fg_exact_free(run->exact.base_model_flop);
	for (i = 0; i < run->phase_count; i++)
		free(run->phases[i].name);
	free(run->phases);
	for (i = 0; i < run->progress_count; i++)
		fg_exact_free(run->progress[i].exact.flop);
	free(run->progress);
	free(run->file);
	free(run);
}

/* A compute entry: a number (a point) or [low, central, high], into
 * doubles and their exact twins (owned by the caller on success and on
 * failure alike). */
static int parse_test_range(fg_loader *L, fg_range *out, fg_exact_range *x,
			    const fg_node *node)
{
	if (node->type == FG_NODE_SEQ) {
		if (node->count != 3) {
			fg_ld_problem(L, node, "a compute range is [low, central, "
				"high]");
			return FG_EINPUT;
		}
		if (fg_ld_get_exact(L, &out->low, &x->low, node->items[0],
				    FG_QTY_FLOP, "compute") ||
		    fg_ld_get_exact(L, &out->central, &x->central,
				    node->items[1], FG_QTY_FLOP, "compute") ||
		    fg_ld_get_exact(L, &out->high, &x->high, node->items[2],
				    FG_QTY_FLOP, "compute"))
			return FG_EINPUT;
		if (fg_exact_cmp(x->low, x->central) > 0 ||
		    fg_exact_cmp(x->central, x->high) > 0) {
			fg_ld_problem(L, node, "compute range must be low <= central "
				"<= high");
			return FG_EINPUT;
		}
		return 0;
	}
	if (fg_ld_get_exact(L, &out->central, &x->central, node, FG_QTY_FLOP,
			    "compute"))
		return FG_EINPUT;
	out->low = out->high = out->central;
	if (!(x->low = fg_exact_copy(x->central)) ||
	    !(x->high = fg_exact_copy(x->central))) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	return 0;
}

/* Appends a phase of this kind with the range r (taken over). */
static int add_test_phase(fg_loader *L, fg_run *run, fg_run_estimate *est,
			  fg_phase_kind kind, fg_range range,
			  fg_exact_range *x, const fg_node *at)
{
	fg_phase *ph = &run->phases[run->phase_count];
	fg_phase_estimate *pe = &est->phases[est->phase_count];

	memset(ph, 0, sizeof(*ph));
	memset(pe, 0, sizeof(*pe));
	ph->name = fg_ld_strdup(L, fg_phase_kind_name(kind));
	ph->kind = kind;
	ph->cost_usd = -1;
	ph->line = at->line;
	ph->column = at->column;
	pe->phase = ph;
	pe->flop = range;
	pe->exact.flop = *x;
	memset(x, 0, sizeof(*x));
	pe->central_method = FG_METHOD_DECLARED;
	run->phase_count++;
	est->phase_count++;
	return ph->name ? 0 : FG_ENOMEM;
}

static int parse_test_compute(fg_loader *L, fg_run *run, fg_run_estimate *est,
			      const fg_node *node)
{
	size_t n = node->type == FG_NODE_MAP ? node->count : 1, i;
	fg_exact_range x = {NULL, NULL, NULL};
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
		if (parse_test_range(L, &range, &x, node) ||
		    add_test_phase(L, run, est, FG_KIND_PRETRAINING, range,
				   &x, node))
			rc = FG_EINPUT;
	} else {
		for (i = 0; i < node->count; i++) {
			if (fg_phase_kind_parse(&kind, node->keys[i]->value)) {
				fg_ld_problem(L, node->keys[i],
					      "unknown phase kind `%s`",
					      node->keys[i]->value);
				rc = FG_EINPUT;
				continue;
			}
			if (parse_test_range(L, &range, &x, node->items[i]) ||
			    add_test_phase(L, run, est, kind, range, &x,
					   node->keys[i]))
				rc = FG_EINPUT;
			fg_exact_range_clear(&x);
		}
	}
	fg_exact_range_clear(&x);
	/* the total, as the estimator makes it: the exact sum */
	est->total = fg_run_estimate_cumulative(est, FG_KIND_ALL);
	return rc;
}

static int parse_test_attributes(fg_loader *L, fg_run *run, const fg_node *map)
{
	size_t i, j;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "attributes"))
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

		a->key = fg_ld_strdup(L, map->keys[i]->value);
		a->is_list = v->type == FG_NODE_SEQ;
		a->at.line = map->keys[i]->line;
		a->at.column = map->keys[i]->column;
		a->values = calloc(n ? n : 1, sizeof(char *));
		if (!a->values) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (j = 0; j < n; j++) {
			const fg_node *s = v->type == FG_NODE_SEQ ? v->items[j]
								  : v;

			if (fg_ld_expect_type(L, s, FG_NODE_SCALAR, a->key))
				return FG_EINPUT;
			a->values[a->value_count++] =
				fg_ld_strdup(L, fg_ld_scalar_word(s));
		}
	}
	return 0;
}

static int parse_test_base(fg_loader *L, fg_run *run, const fg_node *map)
{
	static const char *const keys[] = {"id", "training_compute_flop",
					   "systemic_risk", "same_provider",
					   NULL};
	const fg_node *v;
	fg_error e;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "base_model"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "base_model");
	run->has_base_model = 1;
	run->base_model_flop = -1;
	run->base_model_systemic_risk = -1;
	if (fg_ld_get_string(L, &run->base_model_id, map, "id", "base_model", 0))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "training_compute_flop")) &&
	    !fg_node_is_null(v) &&
	    fg_ld_get_exact(L, &run->base_model_flop,
			    &run->exact.base_model_flop, v, FG_QTY_FLOP,
			    "base_model.training_compute_flop"))
		rc = FG_EINPUT;
	fg_error_clear(&e);
	if ((v = fg_node_get(map, "systemic_risk")) &&
	    fg_node_bool(&run->base_model_systemic_risk, v,
			 "base_model.systemic_risk", &e)) {
		fg_ld_problem_err(L, &e);
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(map, "same_provider")) &&
	    fg_node_bool(&run->base_model_same_provider, v,
			 "base_model.same_provider", &e)) {
		fg_ld_problem_err(L, &e);
		rc = FG_EINPUT;
	}
	return rc;
}

static int parse_test_dates(fg_loader *L, fg_run *run, const fg_node *map)
{
	static const char *const keys[] = {"start", "end", "threshold_known",
					   "placed_on_market", NULL};
	const fg_node *v;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "dates"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "dates");
	if ((v = fg_node_get(map, "start")) &&
	    fg_ld_get_date(L, &run->start, v, "dates.start"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "end")) &&
	    fg_ld_get_date(L, &run->end, v, "dates.end"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "threshold_known")) &&
	    fg_ld_get_date(L, &run->threshold_known, v, "dates.threshold_known"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "placed_on_market")) &&
	    fg_ld_get_date(L, &run->placed_on_market, v, "dates.placed_on_market"))
		rc = FG_EINPUT;
	return rc;
}

/* progress: [{at: TIMESTAMP, flop: N}, ..] of a running or completed
 * test run, in time order; the estimate's measured figure is the last
 * point's. */
static int parse_test_progress(fg_loader *L, fg_run *run,
			       fg_run_estimate *est, const fg_node *list)
{
	static const char *const keys[] = {"at", "flop", NULL};
	fg_error e;
	size_t i;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "progress"))
		return FG_EINPUT;
	if (run->status == FG_STATUS_PLANNED) {
		fg_ld_problem(L, list, "`progress` is compute already used, "
			      "for a test run with status running or "
			      "completed");
		return FG_EINPUT;
	}
	if (!(run->progress = calloc(list->count ? list->count : 1,
				     sizeof(*run->progress)))) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *p = list->items[i], *at, *flop;
		fg_progress *pt = &run->progress[i];

		fg_error_clear(&e);
		if (fg_ld_expect_type(L, p, FG_NODE_MAP, "progress point"))
			return FG_EINPUT;
		fg_ld_check_keys(L, p, keys, "progress point");
		at = fg_node_get(p, "at");
		flop = fg_node_get(p, "flop");
		if (!at || !flop) {
			fg_ld_problem(L, p, "a progress point is {at, flop}");
			return FG_EINPUT;
		}
		if (fg_node_timestamp(&pt->at, at, "at", &e)) {
			fg_ld_problem_err(L, &e);
			return FG_EINPUT;
		}
		run->progress_count++;
		if (fg_ld_get_exact(L, &pt->flop, &pt->exact.flop, flop,
				    FG_QTY_FLOP, "flop"))
			return FG_EINPUT;
		if (i && (pt->at <= pt[-1].at ||
			  fg_exact_cmp(pt->exact.flop, pt[-1].exact.flop) < 0)) {
			fg_ld_problem(L, p, "progress points go forward in "
				      "time and compute");
			return FG_EINPUT;
		}
		est->measured_flop = pt->flop;
	}
	return 0;
}

static int parse_test_run(fg_loader *L, fg_rule_test *t, const fg_node *map,
			  const fg_ruleset *rs)
{
	static const char *const keys[] = {
		"id", "status", "jurisdictions", "compute", "cost_usd",
		"cluster_peak_flops", "annual_revenue_usd", "established_in",
		"flop_per_token", "attributes", "base_model", "dates",
		"progress", NULL
	};
	static const char *const statuses[] = {"planned", "running",
					       "completed", NULL};
	fg_run *run;
	fg_run_estimate *est;
	const fg_node *v;
	size_t i;
	int rc = 0, s;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "run"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "test run");
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
	run->file = fg_ld_strdup(L, rs->file);
	run->line = map->line;
	run->column = map->column;
	if (fg_ld_get_string(L, &run->id, map, "id", "test run", 0))
		rc = FG_EINPUT;
	if (!run->id)
		run->id = fg_ld_strdup(L, "test-run");
	if ((v = fg_node_get(map, "status"))) {
		if (fg_ld_expect_type(L, v, FG_NODE_SCALAR, "status") ||
		    (s = fg_name_lookup(statuses, v->value)) < 0) {
			fg_ld_problem(L, v, "`status` is planned, running or "
				"completed");
			rc = FG_EINPUT;
		} else {
			run->status = (fg_run_status)s;
		}
	}
	if (!(v = fg_node_get(map, "jurisdictions"))) {
		fg_ld_problem(L, map, "test run has no `jurisdictions`");
		rc = FG_EINPUT;
	} else if (fg_ld_expect_type(L, v, FG_NODE_SEQ, "jurisdictions")) {
		rc = FG_EINPUT;
	} else {
		run->jurisdictions = calloc(v->count ? v->count : 1,
					    sizeof(char *));
		if (!run->jurisdictions) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		for (i = 0; i < v->count; i++) {
			if (fg_ld_expect_type(L, v->items[i], FG_NODE_SCALAR,
					"jurisdictions")) {
				rc = FG_EINPUT;
				continue;
			}
			if (!fg_jurisdiction_valid(v->items[i]->value)) {
				fg_ld_problem(L, v->items[i], "`%s` is not a "
					      "jurisdiction code",
					      v->items[i]->value);
				rc = FG_EINPUT;
				continue;
			}
			run->jurisdictions[run->jurisdiction_count++] =
				fg_ld_strdup(L, v->items[i]->value);
		}
	}
	if (!(v = fg_node_get(map, "compute"))) {
		fg_ld_problem(L, map, "test run has no `compute`");
		rc = FG_EINPUT;
	} else if (parse_test_compute(L, run, est, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(map, "cost_usd")) &&
	    fg_ld_get_exact(L, &est->cost_usd, &est->exact.cost_usd, v,
			    FG_QTY_USD, "cost_usd"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "cluster_peak_flops")) &&
	    fg_ld_get_exact(L, &est->cluster_peak_flops,
			    &est->exact.cluster_peak_flops, v,
			    FG_QTY_FLOP_RATE, "cluster_peak_flops"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "annual_revenue_usd")) &&
	    fg_ld_get_exact(L, &run->annual_revenue_usd,
			    &run->exact.annual_revenue_usd, v, FG_QTY_USD,
			    "annual_revenue_usd"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "flop_per_token")) &&
	    fg_ld_get_quantity(L, &est->flop_per_token, v, FG_QTY_NUMBER,
			 "flop_per_token"))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "established_in"))) {
		if (fg_ld_expect_type(L, v, FG_NODE_SCALAR, "established_in") ||
		    !fg_jurisdiction_valid(v->value) ||
		    !strcmp(v->value, "EU")) {
			fg_ld_problem(L, v, "`established_in` is a country "
				      "code (DE, US)");
			rc = FG_EINPUT;
		} else {
			run->established_in = fg_ld_strdup(L, v->value);
		}
	}
	if ((v = fg_node_get(map, "attributes"))) {
		if (parse_test_attributes(L, run, v))
			rc = FG_EINPUT;
		else
			fg_ld_check_test_attributes(L, rs, run);
	}
	if ((v = fg_node_get(map, "base_model")) && parse_test_base(L, run, v))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "dates")) && parse_test_dates(L, run, v))
		rc = FG_EINPUT;
	if ((v = fg_node_get(map, "progress")) &&
	    parse_test_progress(L, run, est, v))
		rc = FG_EINPUT;
	return rc;
}

void fg_rule_test_clear(fg_rule_test *t)
{
	size_t i, j;

	free(t->name);
	test_run_free(t->run, t->estimate);
	for (i = 0; i < t->expect_count; i++) {
		free(t->expects[i].rule_id);
		for (j = 0; j < t->expects[i].due_count; j++)
			free(t->expects[i].due[j].obligation_id);
		free(t->expects[i].due);
		for (j = 0; j < t->expects[i].owed_count; j++)
			free(t->expects[i].owed[j].obligation_id);
		free(t->expects[i].owed);
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

static int parse_outcome(fg_loader *L, fg_outcome *out, const fg_node *val)
{
	if (fg_ld_expect_type(L, val, FG_NODE_SCALAR, "expected outcome"))
		return FG_EINPUT;
	if (fg_outcome_parse(out, val->value) == 0)
		return 0;
	fg_ld_problem(L, val, "unknown outcome `%s`; one of triggered, near, "
		"clear, not_applicable, indeterminate, waived", val->value);
	return FG_EINPUT;
}

/* due: {OBLIGATION-ID: DATE | null} of the expected rule. */
static int parse_expect_due(fg_loader *L, fg_rule_expect *x, const fg_node *map,
			    const fg_node *rule)
{
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "due"))
		return FG_EINPUT;
	if (map->count == 0) {
		fg_ld_problem(L, map, "`due` names no obligation");
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
			fg_ld_problem(L, key, "test expects a due date for `%s`, "
				"which rule `%s` does not list", key->value,
				x->rule_id);
			rc = FG_EINPUT;
			continue;
		}
		d->due = FG_DATE_NONE;
		if (!fg_node_is_null(val) &&
		    fg_ld_get_date(L, &d->due, val, "due")) {
			rc = FG_EINPUT;
			continue;
		}
		d->obligation_id = fg_ld_strdup(L, key->value);
		d->line = key->line;
		d->column = key->column;
		x->due_count++;
	}
	return rc;
}

/* owed: {OBLIGATION-ID: true | false | unknown} of the expected rule. */
static int parse_expect_owed(fg_loader *L, fg_rule_expect *x,
			     const fg_node *map, const fg_node *rule)
{
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "owed"))
		return FG_EINPUT;
	if (!(x->owed = calloc(map->count ? map->count : 1,
			       sizeof(*x->owed)))) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < map->count; i++) {
		const fg_node *key = map->keys[i], *val = map->items[i];
		fg_owed_expect *o = &x->owed[x->owed_count];
		const char *w;

		if (!lists_obligation(rule, key->value)) {
			fg_ld_problem(L, key, "test expects `owed` for `%s`, "
				"which rule `%s` does not list", key->value,
				x->rule_id);
			rc = FG_EINPUT;
			continue;
		}
		if (fg_ld_expect_type(L, val, FG_NODE_SCALAR, "owed")) {
			rc = FG_EINPUT;
			continue;
		}
		w = fg_ld_scalar_word(val);
		if (!strcmp(w, "true"))
			o->owed = 1;
		else if (!strcmp(w, "false"))
			o->owed = 0;
		else if (!strcmp(w, "unknown"))
			o->owed = -1;
		else {
			fg_ld_problem(L, val, "`owed` is true, false or "
				"unknown, not `%s`", val->value);
			rc = FG_EINPUT;
			continue;
		}
		o->obligation_id = fg_ld_strdup(L, key->value);
		o->line = key->line;
		o->column = key->column;
		x->owed_count++;
	}
	return rc;
}

/* RULE-ID: OUTCOME, or RULE-ID: {outcome: OUTCOME, due: {..}, owed: {..}}. */
static int parse_expect_value(fg_loader *L, fg_rule_expect *x,
			      const fg_node *val, const fg_node *rule)
{
	static const char *const keys[] = {"outcome", "due", "owed", NULL};
	const fg_node *v;
	int rc = 0;

	if (val->type != FG_NODE_MAP)
		return parse_outcome(L, &x->outcome, val);
	fg_ld_check_keys(L, val, keys, "expect");
	if (!(v = fg_node_get(val, "outcome"))) {
		fg_ld_problem(L, val, "expectation for `%s` has no `outcome`",
			x->rule_id);
		rc = FG_EINPUT;
	} else if (parse_outcome(L, &x->outcome, v)) {
		rc = FG_EINPUT;
	}
	if ((v = fg_node_get(val, "due")) && parse_expect_due(L, x, v, rule))
		rc = FG_EINPUT;
	if ((v = fg_node_get(val, "owed")) && parse_expect_owed(L, x, v, rule))
		rc = FG_EINPUT;
	return rc;
}

static int parse_expect(fg_loader *L, fg_rule_test *t, const fg_node *map,
			const fg_node *rules)
{
	size_t i, j;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "expect"))
		return FG_EINPUT;
	if (map->count == 0) {
		fg_ld_problem(L, map, "`expect` names no rule");
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
			fg_ld_problem(L, key, "test expects rule `%s`, which this "
				"ruleset does not define", key->value);
			rc = FG_EINPUT;
			continue;
		}
		memset(x, 0, sizeof(*x));
		x->rule_id = fg_ld_strdup(L, key->value);
		x->line = key->line;
		x->column = key->column;
		if (!x->rule_id || parse_expect_value(L, x, val, rule)) {
			free(x->rule_id);
			for (j = 0; j < x->due_count; j++)
				free(x->due[j].obligation_id);
			free(x->due);
			for (j = 0; j < x->owed_count; j++)
				free(x->owed[j].obligation_id);
			free(x->owed);
			memset(x, 0, sizeof(*x));
			rc = FG_EINPUT;
			continue;
		}
		t->expect_count++;
	}
	return rc;
}

int fg_ld_parse_tests(fg_loader *L, fg_ruleset *rs, const fg_node *list,
		       const fg_node *rules)
{
	static const char *const keys[] = {"name", "as_of", "run", "expect",
					   NULL};
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "tests"))
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

		if (fg_ld_expect_type(L, m, FG_NODE_MAP, "test")) {
			rc = FG_EINPUT;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->line = m->line;
		t->column = m->column;
		fg_ld_check_keys(L, m, keys, "test");
		if (fg_ld_get_string(L, &t->name, m, "name", "test", 1))
			bad = 1;
		if (!(v = fg_node_get(m, "as_of"))) {
			fg_ld_problem(L, m, "test has no `as_of` date");
			bad = 1;
		} else if (fg_ld_get_date(L, &t->as_of, v, "as_of")) {
			bad = 1;
		}
		if (!(v = fg_node_get(m, "run"))) {
			fg_ld_problem(L, m, "test has no `run`");
			bad = 1;
		} else if (parse_test_run(L, t, v, rs)) {
			bad = 1;
		}
		if (!(v = fg_node_get(m, "expect"))) {
			fg_ld_problem(L, m, "test has no `expect`");
			bad = 1;
		} else if (parse_expect(L, t, v, rules)) {
			bad = 1;
		}
		if (bad) {
			fg_rule_test_clear(t);
			rc = FG_EINPUT;
			continue;
		}
		rs->test_count++;
	}
	return rc;
}
