/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — evaluating runs against rules (see include/flopgate/evaluate.h).
 */
#include "flopgate/evaluate.h"
#include "rules_int.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/jurisdiction.h"
#include "format.h"

static const char *const fail_on_names[] = {"triggered", "near", "never",
					    NULL};

const char *fg_fail_on_name(fg_fail_on fail_on)
{
	return (unsigned)fail_on < 3 ? fail_on_names[fail_on] : "?";
}

int fg_fail_on_parse(fg_fail_on *out, const char *name)
{
	int i;

	for (i = 0; fail_on_names[i]; i++)
		if (!strcmp(fail_on_names[i], name)) {
			*out = (fg_fail_on)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

int fg_gate_fails(const fg_rule *rule, fg_outcome outcome,
		  fg_fail_on fail_on)
{
	if (rule->severity != FG_SEVERITY_BLOCKING)
		return 0;
	switch (fail_on) {
	case FG_FAIL_ON_TRIGGERED:
		return outcome == FG_OUTCOME_TRIGGERED;
	case FG_FAIL_ON_NEAR:
		return outcome == FG_OUTCOME_TRIGGERED ||
		       outcome == FG_OUTCOME_NEAR;
	default:
		return 0;
	}
}

/* ---- leaf values ------------------------------------------------------ */

/* Three-valued logic: a condition holds, does not, or cannot be told. */
enum { T_UNKNOWN = -1, T_FALSE = 0, T_TRUE = 1 };

/* Which values a metric leaf is tested on. */
typedef enum {
	MODE_CENTRAL,   /* the central estimate */
	MODE_HIGH,      /* compute metrics at the end of their range that
			 * favours the line (high for > and >=) */
	MODE_NEAR       /* compute leaves at near x the line */
} eval_mode;

/* Exact scratch values for one run's evaluation: initialised once by
 * fg_evaluate and reused by every leaf of every rule, so that holding a
 * run against the rules allocates no new rationals per comparison. */
/* Cumulative compute over a set of phase kinds, once per set: the same
 * few `counts` lists recur in every rule and every leaf is resolved
 * several times (central, high, near, explain). */
#define SUM_CACHE 4

typedef struct scratch {
	fg_qrange value;            /* the figure (a range) */
	fg_qrange tmp;
	mpq_t line;                 /* the line it is held against */
	mpq_t base;                 /* modification_fraction: the base's
				     * compute */
	mpq_t a;
	/* 1: compute as planned, without measured progress (whether the
	 * plan alone crosses a line: set_known_since) */
	int plan_only;
	struct {
		unsigned mask;
		int plan_only;
		int raised;         /* measured progress raised it */
		fg_qrange sum;
		fg_range nearest;   /* the doubles nearest sum */
	} sums[SUM_CACHE];
	size_t sum_count, sum_next;
	/* the doubles nearest value, when value_nearest_ok: a sum's, kept
	 * with it, as long as resolve() has not changed the figure since */
	fg_range value_nearest;
	int value_nearest_ok;
} scratch;

static void scratch_init(scratch *x)
{
	size_t i;

	fg_qrange_init(&x->value);
	fg_qrange_init(&x->tmp);
	mpq_inits(x->line, x->base, x->a, NULL);
	for (i = 0; i < SUM_CACHE; i++)
		fg_qrange_init(&x->sums[i].sum);
	x->sum_count = x->sum_next = 0;
	x->plan_only = 0;
	x->value_nearest_ok = 0;
}

static void scratch_clear(scratch *x)
{
	size_t i;

	fg_qrange_clear(&x->value);
	fg_qrange_clear(&x->tmp);
	mpq_clears(x->line, x->base, x->a, NULL);
	for (i = 0; i < SUM_CACHE; i++)
		fg_qrange_clear(&x->sums[i].sum);
}

/* x->value = the run's exact compute over the kinds in mask: no less
 * than its measured progress proves (fg_estimate_cumulative_q), unless
 * x->plan_only.  Returns 1 when the measured progress raised the central
 * value above the plan. */
static int cumulative(scratch *x, const fg_run_estimate *est, unsigned mask)
{
	size_t i;

	for (i = 0; i < x->sum_count; i++)
		if (x->sums[i].mask == mask &&
		    x->sums[i].plan_only == x->plan_only)
			break;
	if (i == x->sum_count) {
		i = x->sum_count < SUM_CACHE ? x->sum_count++
					     : x->sum_next++ % SUM_CACHE;
		x->sums[i].mask = mask;
		x->sums[i].plan_only = x->plan_only;
		x->sums[i].raised = 0;
		if (x->plan_only)
			fg_estimate_plan_q(&x->sums[i].sum, est, mask,
					   &x->tmp);
		else
			x->sums[i].raised = fg_estimate_cumulative_q(
				&x->sums[i].sum, est, mask, &x->tmp);
		x->sums[i].nearest = fg_qrange_double(&x->sums[i].sum);
	}
	x->value_nearest = x->sums[i].nearest;
	x->value_nearest_ok = 1;
	mpq_set(x->value.low, x->sums[i].sum.low);
	mpq_set(x->value.central, x->sums[i].sum.central);
	mpq_set(x->value.high, x->sums[i].sum.high);
	return x->sums[i].raised;
}

typedef struct context {
	const fg_run *run;
	const fg_run_estimate *estimate;
	const fg_rule *rule;
	scratch *x;
	fg_error *err;          /* the caller's, for the first_recorded hook */
} context;

/* A metric leaf resolved against a run: what is compared with what.  The
 * figures themselves are in the context's scratch (x->value against
 * x->line; x->base for a fraction), exactly. */
typedef struct resolved {
	int known;
	fg_metric metric;           /* fallback line: modification compute */
	fg_op op;
	int fallback;               /* GPAI guidelines para 61 line used */
	int no_modification;        /* the run modifies no base model */
	int has_base;               /* modification_fraction of a known
				     * base: x->base > 0 */
	/* training compute of a run continuing its provider's own model
	 * whose compute is not given: value is a lower bound (GPAI
	 * guidelines para 22: the base model's compute counts too) */
	int lower_bound;
	/* the run's measured progress raised the figure above its plan
	 * (compute metrics) */
	int measured;
} resolved;

/* The doubles nearest x->value. */
static fg_range nearest_value(const scratch *x)
{
	return x->value_nearest_ok ? x->value_nearest
				   : fg_qrange_double(&x->value);
}

/* x->value = [v, v, v]. */
static void set_point(scratch *x, const fg_exact *exact, double v)
{
	fg_q_set(x->value.central, exact, v);
	mpq_set(x->value.low, x->value.central);
	mpq_set(x->value.high, x->value.central);
}

static void resolve(resolved *out, const context *ctx, const fg_condition *c)
{
	const fg_run *run = ctx->run;
	const fg_run_estimate *est = ctx->estimate;
	scratch *x = ctx->x;

	memset(out, 0, sizeof(*out));
	out->metric = c->metric;
	out->op = c->op;
	x->value_nearest_ok = 0;
	fg_q_set(x->line, c->exact.value, c->value);
	switch (c->metric) {
	case FG_METRIC_TRAINING_COMPUTE:
		out->known = 1;
		out->measured = cumulative(x, est, c->counts);
		/* The provider's own model, continued: the same model's
		 * lifecycle (GPAI guidelines para 22), whose cumulative
		 * compute includes the base model's (Art. 51(2),
		 * Recital 111) — added exactly. */
		if (fg_run_continues_own_model(run)) {
			if (run->base_model_flop >= 0) {
				fg_q_set(x->a, run->exact.base_model_flop,
					 run->base_model_flop);
				mpq_add(x->value.low, x->value.low, x->a);
				mpq_add(x->value.central, x->value.central,
					x->a);
				mpq_add(x->value.high, x->value.high, x->a);
				x->value_nearest_ok = 0;
			} else {
				out->lower_bound = 1;
			}
		}
		break;
	case FG_METRIC_MODIFICATION_COMPUTE:
	case FG_METRIC_MODIFICATION_FRACTION:
		if (!fg_run_modifies_other_provider(run)) {
			/* Nothing is modified, so no modification compute
			 * passes any line. */
			out->no_modification = 1;
			out->known = 1;
			break;
		}
		out->measured = cumulative(x, est, c->counts);
		out->known = 1;
		if (c->metric == FG_METRIC_MODIFICATION_COMPUTE)
			break;
		if (run->base_model_flop > 0) {
			/* GPAI guidelines para 60: the modification's compute
			 * as a fraction of the original's, an exact ratio
			 * (5e24 of 1.5e25 is one third, not a hair above) */
			out->has_base = 1;
			fg_q_set(x->base, run->exact.base_model_flop,
				 run->base_model_flop);
			mpq_div(x->value.low, x->value.low, x->base);
			mpq_div(x->value.central, x->value.central, x->base);
			mpq_div(x->value.high, x->value.high, x->base);
			x->value_nearest_ok = 0;
		} else if (c->fallback_other >= 0) {
			/* GPAI guidelines para 61: the original's compute
			 * unknown, the line is a fixed amount of
			 * modification compute; the higher one only when
			 * the original is known to have systemic risk. */
			out->fallback = 1;
			out->metric = FG_METRIC_MODIFICATION_COMPUTE;
			if (run->base_model_systemic_risk == 1 &&
			    c->fallback_systemic_risk >= 0)
				fg_q_set(x->line,
					 c->exact.fallback_systemic_risk,
					 c->fallback_systemic_risk);
			else
				fg_q_set(x->line, c->exact.fallback_other,
					 c->fallback_other);
		} else {
			out->known = 0;
		}
		break;
	case FG_METRIC_TRAINING_COST:
		out->known = est->cost_usd >= 0;
		set_point(x, est->exact.cost_usd, est->cost_usd);
		break;
	case FG_METRIC_CLUSTER_PEAK:
		out->known = est->cluster_peak_flops > 0;
		set_point(x, est->exact.cluster_peak_flops,
			  est->cluster_peak_flops);
		break;
	case FG_METRIC_ANNUAL_REVENUE:
		out->known = run->annual_revenue_usd >= 0;
		set_point(x, run->exact.annual_revenue_usd,
			  run->annual_revenue_usd);
		break;
	default:
		break;
	}
}

/* metric_holds of a leaf resolve() has just resolved into r (and the
 * scratch). */
static int resolved_holds(const context *ctx, const fg_condition *c,
			  eval_mode mode, const resolved *r)
{
	scratch *x = ctx->x;
	const mpq_t *v;
	int compute, upward;

	if (!r->known)
		return T_UNKNOWN;
	if (r->no_modification)
		return T_FALSE;
	compute = fg_metric_is_compute(c->metric);
	upward = r->op == FG_OP_GT || r->op == FG_OP_GE;
	v = &x->value.central;
	if (compute && mode == MODE_HIGH) {
		if (upward)
			v = &x->value.high;
		else if (r->op != FG_OP_EQ)
			v = &x->value.low;
	}
	if (compute && mode == MODE_NEAR && upward) {
		/* central >= near x the line, both exact */
		fg_q_set(x->a, ctx->rule->exact.near, ctx->rule->near);
		fg_q_mul(x->a, x->a, x->line);
		return fg_compare_q(*v, FG_OP_GE, x->a, NULL) ? T_TRUE
		       : r->lower_bound			       ? T_UNKNOWN
							       : T_FALSE;
	}
	if (fg_compare_q(*v, r->op, x->line, NULL))
		return upward || !r->lower_bound ? T_TRUE : T_UNKNOWN;
	/* A lower bound that does not reach an upward line says nothing:
	 * the base model's compute could. */
	return r->lower_bound ? T_UNKNOWN : T_FALSE;
}

static int metric_holds(const context *ctx, const fg_condition *c,
			eval_mode mode)
{
	resolved r;

	resolve(&r, ctx, c);
	return resolved_holds(ctx, c, mode, &r);
}

/* The run's value of a run-field leaf ("true", "false", a code), NULL
 * when the run does not give it. */
static const char *field_value(const fg_run *run, fg_field field)
{
	switch (field) {
	case FG_FIELD_BASE_SYSTEMIC_RISK:
		if (!run->has_base_model || run->base_model_systemic_risk < 0)
			return NULL;
		return run->base_model_systemic_risk ? "true" : "false";
	case FG_FIELD_BASE_OTHER_PROVIDER:
		return fg_run_modifies_other_provider(run) ? "true" : "false";
	case FG_FIELD_ESTABLISHED_IN:
		return run->established_in;
	default:
		return NULL;
	}
}

/* 1 when the run gives no value for the leaf. */
static int leaf_missing(const fg_run *run, const fg_condition *c)
{
	const fg_attribute *a;

	if (c->field != FG_FIELD_NONE)
		return field_value(run, c->field) == NULL;
	a = fg_run_attribute(run, c->attribute);
	return !a || a->value_count == 0;
}

static int attribute_holds(const context *ctx, const fg_condition *c)
{
	const fg_attribute *a;
	const char *v;
	size_t i, j;

	if (leaf_missing(ctx->run, c))
		return c->missing == FG_MISSING_FALSE	 ? T_FALSE
		       : c->missing == FG_MISSING_PRESUMED ? T_TRUE
							   : T_UNKNOWN;
	if (c->field != FG_FIELD_NONE) {
		v = field_value(ctx->run, c->field);
		for (j = 0; j < c->value_count; j++)
			if (c->field == FG_FIELD_ESTABLISHED_IN
				    ? fg_jurisdiction_covers(c->values[j], v)
				    : !strcmp(v, c->values[j]))
				return T_TRUE;
		return T_FALSE;
	}
	a = fg_run_attribute(ctx->run, c->attribute);
	for (i = 0; i < a->value_count; i++)
		for (j = 0; j < c->value_count; j++)
			if (!strcmp(a->values[i], c->values[j]))
				return T_TRUE;
	return T_FALSE;
}

static int holds(const context *ctx, const fg_condition *c, eval_mode mode)
{
	size_t i;
	int v, acc;

	switch (c->type) {
	case FG_COND_METRIC:
		return metric_holds(ctx, c, mode);
	case FG_COND_ATTRIBUTE:
		return attribute_holds(ctx, c);
	case FG_COND_NOT:
		v = holds(ctx, &c->children[0], mode);
		return v == T_UNKNOWN ? T_UNKNOWN : !v;
	case FG_COND_ALL:
		acc = T_TRUE;
		for (i = 0; i < c->child_count; i++) {
			v = holds(ctx, &c->children[i], mode);
			if (v == T_FALSE)
				return T_FALSE;
			if (v == T_UNKNOWN)
				acc = T_UNKNOWN;
		}
		return acc;
	case FG_COND_ANY:
		acc = T_FALSE;
		for (i = 0; i < c->child_count; i++) {
			v = holds(ctx, &c->children[i], mode);
			if (v == T_TRUE)
				return T_TRUE;
			if (v == T_UNKNOWN)
				acc = T_UNKNOWN;
		}
		return acc;
	}
	return T_UNKNOWN;
}

/* ---- text ------------------------------------------------------------- */

/* The sentences of reasons are formatted into a buffer this long first. */
#ifndef FORMAT_BUF
#define FORMAT_BUF 512
#endif

static char *format_string(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *format_string(const char *fmt, ...)
{
	char buf[FORMAT_BUF];
	va_list ap;
	char *s;
	int n;

	/* formatted once into buf, most sentences being shorter; a longer
	 * one a second time, into its own memory */
	va_start(ap, fmt);
	n = fg_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	if ((size_t)n < sizeof(buf)) {
		memcpy(s, buf, (size_t)n + 1);
		return s;
	}
	va_start(ap, fmt);
	fg_vformat(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Appends to the sentence *s (NULL to begin one).  0, or FG_ENOMEM with
 * *s freed and NULL. */
static int append(char **s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int append(char **s, const char *fmt, ...)
{
	va_list ap;
	size_t had = *s ? strlen(*s) : 0;
	char *grown, buf[FORMAT_BUF];
	int n;

	va_start(ap, fmt);
	n = fg_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || !(grown = realloc(*s, had + (size_t)n + 1))) {
		free(*s);
		*s = NULL;
		return FG_ENOMEM;
	}
	if ((size_t)n < sizeof(buf)) {
		memcpy(grown + had, buf, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		fg_vformat(grown + had, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	*s = grown;
	return 0;
}

/* "4.2 × 10^24 FLOP < 1.0 × 10^25 FLOP": a figure against a line in the
 * metric's unit, with the relation that holds between them exactly,
 * written so that it holds between the figures as printed
 * (include/flopgate/figure.h).  Every relation a reason states is
 * written here. */
static char *relation_of(char *buf, size_t size, fg_metric metric,
			 const mpq_t value, const mpq_t line)
{
	return fg_q_relation(buf, size, value, line, fg_metric_unit(metric),
			     NULL);
}

static const char *jurisdictions_text(char *buf, size_t size,
				      const fg_rule *rule)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < rule->jurisdiction_count && used < size; i++)
		used += (size_t)fg_format(buf + used, size - used, "%s%s",
					 i ? " or " : "",
					 rule->jurisdictions[i]);
	return buf;
}

static int in_jurisdiction(const fg_run *run, const fg_rule *rule)
{
	size_t i;

	for (i = 0; i < rule->jurisdiction_count; i++)
		if (fg_run_in_jurisdiction(run, rule->jurisdictions[i]))
			return 1;
	return 0;
}

/* How a rule stopped applying, before its date: "revoked 2025-01-20". */
static const char *ended_text(const fg_rule *rule)
{
	if (!rule->ended)
		return "no longer in force since";
	/* BIS 4E091: non-enforcement was announced, the rule itself never
	 * formally rescinded (GAO B-337935, 2026-05-12). */
	if (!strcmp(rule->ended, "not_enforced"))
		return "not enforced (non-enforcement announced) since";
	return rule->ended;
}

/* "run not placed in US-NY; not in force until 2027-01-01", or NULL when
 * the rule applies. */
static char *not_applicable_reason(const fg_run *run, const fg_rule *rule,
				   fg_date as_of)
{
	char where[256], dates[128], d[16];
	int placed = in_jurisdiction(run, rule);

	dates[0] = 0;
	if (rule->effective_from != FG_DATE_NONE &&
	    as_of < rule->effective_from)
		fg_format(dates, sizeof(dates), "not in force until %s",
			 fg_date_format(rule->effective_from, d));
	else if (rule->effective_until != FG_DATE_NONE &&
		 as_of >= rule->effective_until)
		fg_format(dates, sizeof(dates), "%s %s", ended_text(rule),
			 fg_date_format(rule->effective_until, d));
	if (placed && !dates[0])
		return NULL;
	if (placed)
		return format_string("%s", dates);
	if (run->jurisdiction_count == 0)
		return format_string("run is placed on no market "
				     "(jurisdictions: [])%s%s",
				     dates[0] ? "; " : "", dates);
	jurisdictions_text(where, sizeof(where), rule);
	return format_string("run not placed in %s%s%s", where,
			     dates[0] ? "; " : "", dates);
}

/* ---- findings --------------------------------------------------------- */

static void leaf_clear(fg_leaf_result *l)
{
	free(l->attribute_values);
	fg_exact_free(l->exact.value);
	fg_exact_free(l->exact.threshold);
}

static void finding_clear(fg_finding *f)
{
	size_t i;

	free(f->reason);
	for (i = 0; i < f->leaf_count; i++)
		leaf_clear(&f->leaves[i]);
	free(f->leaves); /* and due, due_by_transition, duties with it */
	free(f->presumed);
	fg_exact_free(f->exact.value);
	fg_exact_free(f->exact.threshold);
	fg_exact_free(f->exact.low);
	fg_exact_free(f->exact.high);
}

void fg_run_findings_free(fg_run_findings *rf)
{
	size_t i;

	if (!rf)
		return;
	for (i = 0; i < rf->count; i++)
		finding_clear(&rf->findings[i]);
	free(rf->findings);
	for (i = 0; i < rf->warning_count; i++)
		free(rf->warnings[i]);
	free(rf->warnings);
	free(rf);
}

static size_t count_leaves(const fg_condition *c)
{
	size_t i, n = 0;

	if (c->type == FG_COND_METRIC || c->type == FG_COND_ATTRIBUTE)
		return 1;
	for (i = 0; i < c->child_count; i++)
		n += count_leaves(&c->children[i]);
	return n;
}

static char *join_values(const fg_attribute *a)
{
	size_t i, n = 1;
	char *s;

	for (i = 0; i < a->value_count; i++)
		n += strlen(a->values[i]) + 2;
	if (!(s = malloc(n)))
		return NULL;
	s[0] = 0;
	for (i = 0; i < a->value_count; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, a->values[i]);
	}
	return s;
}

static int collect_leaves(fg_finding *f, const context *ctx,
			  const fg_condition *c)
{
	fg_leaf_result *l;
	const fg_attribute *a;
	resolved r;
	size_t i;

	if (c->type != FG_COND_METRIC && c->type != FG_COND_ATTRIBUTE) {
		for (i = 0; i < c->child_count; i++)
			if (collect_leaves(f, ctx, &c->children[i]))
				return FG_ENOMEM;
		return 0;
	}
	l = &f->leaves[f->leaf_count++];
	memset(l, 0, sizeof(*l));
	l->condition = c;
	if (c->type == FG_COND_ATTRIBUTE) {
		l->is_attribute = 1;
		a = fg_run_attribute(ctx->run, c->attribute);
		l->known = a && a->value_count;
		if (l->known && !(l->attribute_values = join_values(a)))
			return FG_ENOMEM;
		l->holds = attribute_holds(ctx, c);
		return 0;
	}
	resolve(&r, ctx, c);
	l->metric = r.metric;
	l->op = r.op;
	l->threshold = fg_q_double(ctx->x->line);
	if (r.known && !r.no_modification) {
		/* the scratch holds the leaf's figures until resolved_holds */
		fg_range v = nearest_value(ctx->x);

		l->value = v.central;
		l->low = v.low;
		l->high = v.high;
		fg_compare_q(ctx->x->value.central, r.op, ctx->x->line,
			     &l->relation);
		if (fg_exact_store(&l->exact.value, ctx->x->value.central))
			return FG_ENOMEM;
	}
	if (fg_exact_store(&l->exact.threshold, ctx->x->line))
		return FG_ENOMEM;
	l->holds = resolved_holds(ctx, c, MODE_CENTRAL, &r);
	l->known = r.known && !r.no_modification &&
		   !(r.lower_bound && l->holds != T_TRUE);
	return 0;
}

/* Names of the unknown metrics and attributes a condition needs. */
static char *unknown_needs(const fg_finding *f, const fg_run *run)
{
	char buf[512];
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < f->leaf_count && used < sizeof(buf); i++) {
		const fg_leaf_result *l = &f->leaves[i];
		const char *name;

		if (l->known || (!l->is_attribute && l->holds == T_FALSE))
			continue;
		if (l->is_attribute)
			name = l->condition->attribute;
		else if (l->condition->metric ==
				 FG_METRIC_MODIFICATION_FRACTION ||
			 (l->condition->metric == FG_METRIC_TRAINING_COMPUTE &&
			  fg_run_continues_own_model(run)))
			name = "base_model.training_compute_flop";
		else
			name = fg_metric_name(l->metric);
		if (strstr(buf, name))
			continue;
		used += (size_t)fg_format(buf + used, sizeof(buf) - used,
					 "%s%s", used ? ", " : "", name);
	}
	return format_string("needs %s, which the run does not give",
			     buf[0] ? buf : "a value");
}

/* The metric leaf that gave condition c its value v on the central
 * estimate (DESIGN: "Every finding carries the figures that decided
 * it"): among the children that had that value — the false leaf of a
 * false `all`, the true one of a true `any`, any child of a true `all` —
 * the preferred leaf (the rule's first compute leaf) when it is one of
 * them, else the first.  SB 53's large frontier developer with revenue of
 * exactly $500M is clear because of its revenue, not its compute.  NULL
 * when only attribute leaves decided. */
static const fg_condition *deciding_leaf(const context *ctx,
					 const fg_condition *c, int v,
					 const fg_condition *preferred)
{
	const fg_condition *d, *first = NULL;
	size_t i;

	switch (c->type) {
	case FG_COND_METRIC:
		return c;
	case FG_COND_ATTRIBUTE:
		return NULL;
	case FG_COND_NOT:
		return deciding_leaf(ctx, &c->children[0],
				     v == T_UNKNOWN ? v : !v, preferred);
	default:
		break;
	}
	for (i = 0; i < c->child_count; i++) {
		if (holds(ctx, &c->children[i], MODE_CENTRAL) != v)
			continue;
		d = deciding_leaf(ctx, &c->children[i], v, preferred);
		if (d && d == preferred)
			return d;
		if (d && !first)
			first = d;
	}
	return first;
}

/* The finding's comparison: leaf c's figure against its line, exactly,
 * with the relation that holds and the headroom. */
static int set_comparison(fg_finding *f, const context *ctx,
			  const fg_condition *c)
{
	const fg_run_estimate *est = ctx->estimate;
	scratch *x = ctx->x;
	fg_range v;
	resolved r;

	f->condition = c;
	f->has_comparison = f->has_headroom_tokens = 0;
	f->decided_by = NULL;
	f->value = f->low = f->high = f->headroom = f->headroom_tokens = 0;
	f->relation = FG_REL_AT;
	if (!c)
		return 0;
	resolve(&r, ctx, c);
	f->metric = r.metric;
	f->op = r.op;
	f->threshold = fg_q_double(x->line);
	if (!r.known || r.no_modification)
		return 0;
	f->has_comparison = 1;
	if (fg_exact_store(&f->exact.value, x->value.central) ||
	    fg_exact_store(&f->exact.threshold, x->line) ||
	    fg_exact_store(&f->exact.low, x->value.low) ||
	    fg_exact_store(&f->exact.high, x->value.high))
		return FG_ENOMEM;
	f->decided_by = "central";
	v = nearest_value(x);
	f->value = v.central;
	f->low = v.low;
	f->high = v.high;
	fg_compare_q(x->value.central, r.op, x->line, &f->relation);
	/* line - value, exactly, then the nearest double */
	mpq_sub(x->a, x->line, x->value.central);
	if (r.has_base)
		/* Headroom in modification FLOP, which is what a team can
		 * spend: a third of the base's compute minus what is used. */
		fg_q_mul(x->a, x->a, x->base);
	f->headroom = fg_q_double(x->a);
	if (fg_metric_is_compute(c->metric) && est->flop_per_token > 0) {
		f->has_headroom_tokens = 1;
		f->headroom_tokens = f->headroom / est->flop_per_token;
	}
	return 0;
}

/* GPAI guidelines para 61: with the original model's compute unknown, a
 * modification is held against a fixed line, a third of 10^25 FLOP for an
 * original with systemic risk and a third of 10^23 FLOP otherwise.  Para
 * 61 does not say which applies when the original's status is not known
 * either: the lower, stricter line is used, and the reason says so
 * rather than state a status the run file never gave. */
static int say_fallback(char **s, const context *ctx, const fg_condition *c)
{
	const fg_run *run = ctx->run;

	if (c->fallback_systemic_risk < 0)
		return append(s, "; the base model's compute is not given "
				 "(base_model.training_compute_flop), so the "
				 "rule's fixed line for that case applies");
	switch (run->base_model_systemic_risk) {
	case 1:
		return append(s, "; the base model's compute is not given "
				 "(base_model.training_compute_flop), so the "
				 "fixed line for an original model with "
				 "systemic risk applies (GPAI guidelines para "
				 "61)");
	case 0:
		return append(s, "; the base model's compute is not given "
				 "(base_model.training_compute_flop), so the "
				 "fixed line for an original model without "
				 "systemic risk applies (GPAI guidelines para "
				 "61)");
	default:
		return append(s, "; the base model's compute is not given "
				 "(base_model.training_compute_flop) and "
				 "neither is whether it has systemic risk "
				 "(base_model.systemic_risk), so the lower, "
				 "stricter of the two fixed lines of GPAI "
				 "guidelines para 61 is used; declare "
				 "base_model.systemic_risk to settle it");
	}
}

/* "modalities = music, needs one of [text, image]" for an attribute or
 * run-field leaf. */
static int say_attribute(char **s, const fg_leaf_result *l)
{
	const fg_condition *c = l->condition;
	size_t i;
	int rc;

	rc = append(s, "%s = %s, needs %s", c->attribute,
		    l->attribute_values ? l->attribute_values : "(not given)",
		    c->value_count == 1 ? "" : "one of [");
	for (i = 0; rc == 0 && i < c->value_count; i++)
		rc = append(s, "%s%s", i ? ", " : "", c->values[i]);
	if (rc == 0 && c->value_count != 1)
		rc = append(s, "]");
	return rc;
}

/* "; and organization.annual_revenue_usd $1.0 × 10^9 > $5.0 × 10^8" for
 * every other metric leaf that holds: a triggered rule was decided by
 * each of them; a clear one failed on its deciding leaf although these
 * held ("; while ... holds"). */
static int say_other_leaves(char **s, const fg_finding *f,
			    const context *ctx, const fg_condition *decided)
{
	int triggered = f->outcome == FG_OUTCOME_TRIGGERED;

	char rel[FG_RELATION_SIZE];
	resolved r;
	size_t i;

	for (i = 0; i < f->leaf_count; i++) {
		const fg_leaf_result *l = &f->leaves[i];

		if (l->is_attribute || l->condition == decided ||
		    l->holds != T_TRUE || !l->known)
			continue;
		resolve(&r, ctx, l->condition);
		if (append(s, "; %s %s %s%s", triggered ? "and" : "while",
			   fg_metric_name(r.metric),
			   relation_of(rel, sizeof(rel), r.metric,
				       ctx->x->value.central, ctx->x->line),
			   triggered ? "" : " holds"))
			return FG_ENOMEM;
	}
	return 0;
}

/* Why a clear rule whose deciding figure holds is clear: the first leaf
 * that does not. */
static int say_failed_leaf(char **s, const fg_finding *f, const context *ctx,
			   const fg_condition *decided)
{
	char rel[FG_RELATION_SIZE];
	resolved r;
	size_t i;

	for (i = 0; i < f->leaf_count; i++) {
		const fg_leaf_result *l = &f->leaves[i];

		if (l->condition == decided || l->holds != T_FALSE)
			continue;
		if (append(s, ", but "))
			return FG_ENOMEM;
		if (l->is_attribute)
			return say_attribute(s, l);
		resolve(&r, ctx, l->condition);
		return append(s, "%s %s; that line needs %s",
			      fg_metric_name(r.metric),
			      relation_of(rel, sizeof(rel), r.metric,
					  ctx->x->value.central, ctx->x->line),
			      fg_op_name(r.op));
	}
	return append(s, ", but the rule's other conditions do not hold");
}

/* "; measured progress by 2026-11-15 puts it above the plan (1.1 ×
 * 10^25 FLOP > 9.0 × 10^24 FLOP)": leaf c's figure is what the run's
 * progress proves, not its plan (DESIGN: measured is the strongest
 * evidence). */
static int say_measured(char **s, const context *ctx, const fg_condition *c)
{
	const fg_run *run = ctx->run;
	scratch *x = ctx->x;
	char rel[FG_RELATION_SIZE], at[16];
	resolved r;
	mpq_t measured;

	mpq_init(measured);
	resolve(&r, ctx, c);
	mpq_set(measured, x->value.central);
	x->plan_only = 1;
	resolve(&r, ctx, c);
	x->plan_only = 0;
	relation_of(rel, sizeof(rel), r.metric, measured, x->value.central);
	mpq_clear(measured);
	return append(s, "; measured progress by %s puts it above the plan "
			 "(%s)",
		      fg_date_format(fg_date_of_timestamp(
			      run->progress[run->progress_count - 1].at), at),
		      rel);
}

/* The reason of a triggered, near or clear finding whose comparison is
 * the leaf c: the relation that holds between its figure and its line,
 * never the rule's operator. */
static char *outcome_reason(const fg_finding *f, const context *ctx,
			    int near_by_high, const fg_condition *c)
{
	char rel[FG_RELATION_SIZE], rel2[FG_RELATION_SIZE], pct[FG_FIGURE_SIZE];
	scratch *x = ctx->x;
	const char *name;
	char *s = NULL;
	resolved r;
	int rc = 0, downward;

	if (!f->has_comparison)
		return format_string(f->outcome == FG_OUTCOME_TRIGGERED
					     ? "the condition holds"
					     : f->outcome == FG_OUTCOME_NEAR
						       ? "the condition holds "
							 "near its line"
						       : "the condition does "
							 "not hold");
	resolve(&r, ctx, c);
	name = fg_metric_name(r.metric);
	relation_of(rel, sizeof(rel), r.metric, x->value.central, x->line);
	switch (f->outcome) {
	case FG_OUTCOME_TRIGGERED:
		rc = append(&s, "%s %s on the central estimate", name, rel);
		break;
	case FG_OUTCOME_NEAR:
		if (near_by_high) {
			/* the end of the range that favours the line */
			downward = r.op == FG_OP_LT || r.op == FG_OP_LE;
			rc = append(&s, "%s %s at the %s end of the range; on "
					"the central estimate %s", name,
				    relation_of(rel2, sizeof(rel2), r.metric,
						downward ? x->value.low
							 : x->value.high,
						x->line),
				    downward ? "low" : "high",
				    fg_q_relation(rel, sizeof(rel),
						  x->value.central, x->line,
						  fg_metric_unit(r.metric),
						  NULL));
			break;
		}
		/* central >= near x the line, decided exactly; the figure
		 * is not written twice, lest it read two ways */
		fg_q_set(x->a, ctx->rule->exact.near, ctx->rule->near);
		fg_q_mul(x->base, x->a, x->line);
		mpz_mul_ui(mpq_numref(x->a), mpq_numref(x->a), 100);
		mpq_canonicalize(x->a);
		rc = append(&s, "%s %s on the central estimate, which is at "
				"least %s of the line (%s)", name, rel,
			    fg_q_figure(pct, sizeof(pct), x->a,
					FG_UNIT_PERCENT),
			    fg_q_figure(rel2, sizeof(rel2), x->base,
					fg_metric_unit(r.metric)));
		break;
	default:
		rc = append(&s, "%s %s on the central estimate", name, rel);
		if (rc == 0 && fg_op_holds(r.op, f->relation))
			rc = say_failed_leaf(&s, f, ctx, c);
		else if (rc == 0)
			rc = append(&s, "; the line needs %s",
				    fg_op_name(r.op));
	}
	if (rc == 0 && (f->outcome == FG_OUTCOME_TRIGGERED ||
			(f->outcome == FG_OUTCOME_CLEAR &&
			 !fg_op_holds(r.op, f->relation))))
		rc = say_other_leaves(&s, f, ctx, c);
	if (rc == 0 && r.fallback)
		rc = say_fallback(&s, ctx, c);
	if (rc == 0 && r.measured)
		rc = say_measured(&s, ctx, c);
	return rc ? NULL : s;
}

/* Moves known_since to day when that is earlier (or the first known). */
static void consider(fg_finding *f, fg_date day, const char *basis)
{
	if (day == FG_DATE_NONE ||
	    (f->known_since != FG_DATE_NONE && day >= f->known_since))
		return;
	f->known_since = day;
	f->known_basis = basis;
}

/* The day the line was met or it became known that it would be: the
 * earliest day the run's own facts prove (evaluate.h).  AI Act Art.
 * 52(1): "within two weeks after that requirement is met or it becomes
 * known that it will be met". */
static int set_known_since(fg_finding *f, const context *ctx,
			   const fg_evaluate_options *opt, int measured)
{
	const fg_run *run = ctx->run;
	fg_date recorded;
	int rc = 0, plan;

	f->known_since = FG_DATE_NONE;
	f->known_basis = NULL;
	consider(f, run->threshold_known, "declared");
	/* the line "is met" (Art. 52(1)) the day measured progress passed
	 * it, running or completed */
	if (measured)
		consider(f, f->projected_crossing, "progress");
	/* GPAI guidelines para 30: providers estimate the compute "they
	 * will use before starting" the run; a running run whose plan
	 * crosses the line knew it when it started — its plan, not what it
	 * has since measured. */
	if (run->status == FG_STATUS_RUNNING && run->start != FG_DATE_NONE) {
		ctx->x->plan_only = 1;
		plan = holds(ctx, &ctx->rule->when, MODE_CENTRAL);
		ctx->x->plan_only = 0;
		if (plan == T_TRUE)
			consider(f, run->start, "start");
	}
	/* A completed run met its line by its end at the latest; without
	 * an end date, by the day it was placed on the market. */
	if (run->status == FG_STATUS_COMPLETED) {
		if (run->end != FG_DATE_NONE)
			consider(f, run->end, "end");
		else
			consider(f, run->placed_on_market,
				 "placed_on_market");
	}
	if (opt->first_recorded &&
	    (rc = opt->first_recorded(opt->first_recorded_ctx, run->id,
				      ctx->rule->id, &recorded,
				      ctx->err)) < 0)
		return rc;
	if (rc == 1)
		consider(f, recorded, "recorded");
	if (f->known_since == FG_DATE_NONE) {
		f->known_since = opt->as_of;
		f->known_basis = "as_of";
	}
	return 0;
}

/* Whether obligation o of a triggered rule is owed: its own `when`, and
 * for a duty that attaches to placing on the market, a placement the
 * rule was in force for (or a transition reaching back to it). */
static void set_owed(fg_duty *duty, const fg_obligation *o,
		     const fg_finding *f, const context *ctx)
{
	const fg_rule *rule = ctx->rule;
	const fg_run *run = ctx->run;
	int h;

	duty->owed = 1;
	duty->why_not = NULL;
	if (o->when) {
		h = holds(ctx, o->when, MODE_CENTRAL);
		duty->owed = h == T_TRUE ? 1 : h == T_FALSE ? 0 : -1;
		if (duty->owed != 1)
			duty->why_not = o->when_text;
	}
	/* SB 53 §22757.12(c): "Before, or concurrently with, deploying a
	 * new frontier model": a deployment before the law took effect
	 * was not one it governs. */
	if (duty->owed == 1 && o->has_due &&
	    o->due_after == FG_AFTER_PLACED_ON_MARKET &&
	    run->placed_on_market != FG_DATE_NONE &&
	    rule->effective_from != FG_DATE_NONE &&
	    run->placed_on_market < rule->effective_from && !f->transition) {
		duty->owed = 0;
		duty->why_not = "it attaches to placing on the market, and "
				"the model was placed before the rule took "
				"effect";
	}
}

static void set_due_dates(fg_finding *f, const context *ctx, fg_date as_of)
{
	const fg_rule *rule = ctx->rule;
	const fg_run *run = ctx->run;
	fg_date base = f->known_since;
	size_t i;

	/* Duties cannot fall due before the law applies: those who knew
	 * earlier owe them counted from effective.from (GPAI guidelines
	 * para 112). */
	if (rule->effective_from != FG_DATE_NONE &&
	    base < rule->effective_from)
		base = rule->effective_from;
	if (fg_rule_transition_applies(rule, run))
		f->transition = &rule->transition;
	for (i = 0; i < rule->obligation_count; i++) {
		const fg_obligation *o = &rule->obligations[i];

		f->due[i] = FG_DATE_NONE;
		set_owed(&f->duties[i], o, f, ctx);
		if (!o->has_due || f->duties[i].owed != 1)
			continue;
		switch (o->due_after) {
		case FG_AFTER_THRESHOLD_MET_OR_FORESEEN:
			f->due[i] = base + o->due_days;
			break;
		case FG_AFTER_PLACED_ON_MARKET:
			/* A model placed before the law applied owes the
			 * duty from effective.from, or from the end of its
			 * transition (below). */
			if (run->placed_on_market != FG_DATE_NONE)
				f->due[i] = (run->placed_on_market >
							     rule->effective_from
						     ? run->placed_on_market
						     : rule->effective_from) +
					    o->due_days;
			break;
		case FG_AFTER_EFFECTIVE_FROM:
			if (rule->effective_from != FG_DATE_NONE)
				f->due[i] = rule->effective_from + o->due_days;
			break;
		case FG_AFTER_TRAINING_STARTED:
			f->due[i] = (run->start == FG_DATE_NONE ? base
				     : rule->effective_from != FG_DATE_NONE &&
						     run->start <
							     rule->effective_from
					     ? rule->effective_from
					     : run->start) +
				    o->due_days;
			break;
		case FG_AFTER_INCIDENT:
		case FG_AFTER_INCIDENT_DISCOVERED:
			break;
		}
		/* A compliance date the duty waits for (BIS 4E091: from
		 * 2025-05-15). */
		if (f->due[i] != FG_DATE_NONE && o->not_before != FG_DATE_NONE &&
		    f->due[i] < o->not_before)
			f->due[i] = o->not_before;
		/* AI Act Art. 111(3): models "placed on the market before 2
		 * August 2025 shall take the necessary steps in order to
		 * comply ... by 2 August 2027".  The transition adds time,
		 * it never shortens a deadline: a later ordinary date (the
		 * line first met years after placement) stands.  A check
		 * after 2027-08-02 finds the duty overdue since then: the
		 * date never moves with the check. */
		if (f->transition && f->due[i] != FG_DATE_NONE &&
		    f->due[i] <= f->transition->comply_by) {
			f->due[i] = f->transition->comply_by;
			f->due_by_transition[i] = 1;
		}
		f->duties[i].overdue = f->due[i] != FG_DATE_NONE &&
				       f->due[i] < as_of;
	}
}

/* x->a = the run's measured cumulative compute (every phase, what its
 * progress points count) at which leaf c's figure meets its line: the
 * line, times the base model's compute for a fraction of it, less the
 * base model's compute when the run continues its provider's own model,
 * plus the most the phases c does not count can use.  0 when that cannot
 * be told or the line is not one a growing run reaches (op < or <=). */
static int progress_target(resolved *r, const context *ctx,
			   const fg_condition *c)
{
	const fg_run *run = ctx->run;
	scratch *x = ctx->x;
	size_t i;

	resolve(r, ctx, c);
	if (!r->known || r->no_modification ||
	    (r->op != FG_OP_GT && r->op != FG_OP_GE))
		return 0;
	mpq_set(x->a, x->line);
	if (r->has_base)
		fg_q_mul(x->a, x->a, x->base);
	else if (c->metric != FG_METRIC_TRAINING_COMPUTE &&
		 c->metric != FG_METRIC_MODIFICATION_COMPUTE &&
		 !r->fallback)
		return 0;
	if (c->metric == FG_METRIC_TRAINING_COMPUTE &&
	    fg_run_continues_own_model(run) && run->base_model_flop >= 0) {
		fg_q_set(x->tmp.low, run->exact.base_model_flop,
			 run->base_model_flop);
		mpq_sub(x->a, x->a, x->tmp.low);
	}
	for (i = 0; i < ctx->estimate->phase_count; i++) {
		const fg_phase_estimate *ph = &ctx->estimate->phases[i];

		if (c->counts & FG_KIND_BIT(ph->phase->kind))
			continue;
		fg_q_set(x->tmp.low, ph->exact.flop.high, ph->flop.high);
		mpq_add(x->a, x->a, x->tmp.low);
	}
	return mpq_sgn(x->a) > 0;
}

/* The day the run's progress crosses the line of the finding's deciding
 * leaf.  It is crossed (f->crossed) when a measured point passes the
 * line, exactly as the rule's operator says, and the day (interpolated
 * between the points) is not after the as-of date; a day extrapolated
 * beyond the last point stays a projection whatever its date, for
 * nothing measured it.  Returns 1 when a measured point passes the
 * line. */
static int set_projected_crossing(fg_finding *f, const context *ctx,
				  fg_date as_of)
{
	const fg_run *run = ctx->run;
	const fg_condition *c = f->condition;
	scratch *x = ctx->x;
	resolved r;
	double t;
	size_t i;

	f->projected_crossing = FG_DATE_NONE;
	f->crossed = 0;
	/* Progress measures this run's own compute, so only lines on it
	 * can be projected. */
	if (!c || c->type != FG_COND_METRIC || !run->progress_count ||
	    !progress_target(&r, ctx, c))
		return 0;
	t = fg_estimate_crossing_q(ctx->estimate, x->a);
	if (t < 0)
		return 0;
	f->projected_crossing = fg_date_of_timestamp(t);
	/* the points only grow: the first that passes the line says */
	for (i = 0; i < run->progress_count; i++) {
		fg_q_set(x->tmp.low, run->progress[i].exact.flop,
			 run->progress[i].flop);
		if (fg_compare_q(x->tmp.low, r.op, x->a, NULL)) {
			f->crossed = f->projected_crossing <= as_of;
			return 1;
		}
	}
	return 0;
}

/* "; met or known on 2025-06-10, before the rule took effect on
 * 2025-08-02: its duties count from 2025-08-02" — why a due date is not
 * counted from known_since (GPAI guidelines para 112 for Chapter V;
 * DESIGN: no obligation falls due before its law applies). */
static int say_effective_from(fg_finding *f, const context *ctx)
{
	const fg_rule *rule = ctx->rule;
	char a[16], b[16];
	size_t i;

	if (rule->effective_from == FG_DATE_NONE ||
	    f->known_since == FG_DATE_NONE ||
	    f->known_since >= rule->effective_from)
		return 0;
	for (i = 0; i < rule->obligation_count; i++)
		if (rule->obligations[i].due_after ==
			    FG_AFTER_THRESHOLD_MET_OR_FORESEEN &&
		    f->due[i] != FG_DATE_NONE && !f->due_by_transition[i])
			return append(&f->reason,
				      "; met or known on %s, before the rule "
				      "took effect on %s: its duties count "
				      "from %s",
				      fg_date_format(f->known_since, a),
				      fg_date_format(rule->effective_from, b),
				      b);
	return 0;
}

/* The reason of the first scope condition that does not hold, NULL when
 * the rule is in scope.  A scope condition that cannot be told (a figure
 * missing) keeps the rule in scope: a gate must not pass on what the run
 * left out. */
static char *out_of_scope(const context *ctx)
{
	size_t i;

	for (i = 0; i < ctx->rule->scope_count; i++)
		if (holds(ctx, &ctx->rule->scope[i].when, MODE_CENTRAL) ==
		    T_FALSE)
			return format_string("%s",
					     ctx->rule->scope[i].otherwise);
	return NULL;
}

/* What a run built on a base model counts as its training compute.  The
 * provider's own model continued: the base model's compute counts too
 * (GPAI guidelines para 22; Recital 111), and the reason says so.
 * Another developer's model modified: only this run's compute is counted,
 * and the reason says that this is an assumption — SB 53
 * §22757.11(i)(2) counts "the original training run and ...
 * fine-tuning ... the developer applies to a preceding foundation model"
 * without saying whether another developer's original run is included,
 * and Korea's "cumulative" is not settled either. */
static int say_base_model(fg_finding *f, const context *ctx)
{
	const fg_run *run = ctx->run;
	char num[FG_FIGURE_SIZE], *s = f->reason;
	mpq_t q;

	if (!run->has_base_model || !f->has_comparison ||
	    f->metric != FG_METRIC_TRAINING_COMPUTE)
		return 0;
	num[0] = 0;
	if (run->base_model_flop >= 0) {
		mpq_init(q);
		fg_q_set(q, run->exact.base_model_flop, run->base_model_flop);
		fg_q_figure(num, sizeof(num), q, FG_UNIT_FLOP);
		mpq_clear(q);
	}
	f->reason = NULL;
	if (fg_run_continues_own_model(run))
		f->reason = num[0]
			? format_string("%s; includes the base model's %s "
					"(the provider's own model, counted "
					"cumulatively)", s, num)
			: format_string("%s; the base model's own compute is "
					"not given (base_model.training_"
					"compute_flop) and would add to it",
					s);
	else
		f->reason = format_string(
			"%s; counts this run's own compute only, not the base "
			"model's%s%s%s (another developer's model: "
			"base_model.same_provider is not true) — an "
			"assumption, as the law does not settle whether "
			"another developer's original training counts toward "
			"a downstream modification", s, num[0] ? " (" : "",
			num, num[0] ? ")" : "");
	free(s);
	return f->reason ? 0 : FG_ENOMEM;
}

/* Appends to f->presumed the names of leaves of c that a run left out
 * and that are presumed to hold (`missing: presumed`). */
static int note_presumed(fg_finding *f, const fg_run *run,
			 const fg_condition *c)
{
	const char **grown;
	size_t i;

	if (c->type != FG_COND_ATTRIBUTE) {
		for (i = 0; i < c->child_count; i++)
			if (note_presumed(f, run, &c->children[i]))
				return FG_ENOMEM;
		return 0;
	}
	if (c->missing != FG_MISSING_PRESUMED || !leaf_missing(run, c))
		return 0;
	for (i = 0; i < f->presumed_count; i++)
		if (!strcmp(f->presumed[i], c->attribute))
			return 0;
	grown = realloc(f->presumed, (f->presumed_count + 1) *
					     sizeof(*grown));
	if (!grown)
		return FG_ENOMEM;
	f->presumed = grown;
	f->presumed[f->presumed_count++] = c->attribute;
	return 0;
}

/* "; general_purpose presumed (not given in the run file)" appended to
 * the finding's reason. */
static int say_presumed(fg_finding *f, const context *ctx)
{
	char names[256], *s;
	size_t i, used = 0;

	for (i = 0; i < ctx->rule->scope_count; i++)
		if (note_presumed(f, ctx->run, &ctx->rule->scope[i].when))
			return FG_ENOMEM;
	if (note_presumed(f, ctx->run, &ctx->rule->when))
		return FG_ENOMEM;
	if (!f->presumed_count)
		return 0;
	names[0] = 0;
	for (i = 0; i < f->presumed_count && used < sizeof(names); i++)
		used += (size_t)fg_format(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "",
					 f->presumed[i]);
	s = format_string("%s; presumed: %s (the run file does not say; "
			  "declare %s to settle it)", f->reason, names,
			  f->presumed_count == 1 ? "it" : "them");
	if (!s)
		return FG_ENOMEM;
	free(f->reason);
	f->reason = s;
	return 0;
}

/* n rounded up to the alignment of any object. */
static size_t aligned(size_t n)
{
	size_t a = _Alignof(max_align_t);

	return (n + a - 1) / a * a;
}

/* f's per-leaf and per-obligation arrays, zeroed, in one allocation that
 * f->leaves heads (finding_clear frees it): a run's findings are made
 * and freed by the thousand in a stream, four allocations each. */
static int finding_arrays(fg_finding *f, size_t leaves, size_t obligations)
{
	size_t at_duties = aligned(leaves * sizeof(*f->leaves));
	size_t at_due = at_duties + aligned(obligations * sizeof(*f->duties));
	size_t at_by = at_due + aligned(obligations * sizeof(*f->due));
	size_t size = at_by + obligations * sizeof(*f->due_by_transition);
	char *block = calloc(1, size ? size : 1);

	if (!block)
		return FG_ENOMEM;
	f->leaves = (fg_leaf_result *)(void *)block;
	f->duties = (fg_duty *)(void *)(block + at_duties);
	f->due = (fg_date *)(void *)(block + at_due);
	f->due_by_transition = (unsigned char *)(block + at_by);
	return 0;
}

static int evaluate_rule(fg_finding *f, fg_run_findings *rf,
			 const context *ctx, const fg_evaluate_options *opt)
{
	const fg_rule *rule = ctx->rule;
	const fg_condition *primary = fg_rule_primary_leaf(rule), *decided;
	const fg_waiver *w;
	int central, high, near, near_by_high = 0, rc, measured;
	char d[16], *na, *s;

	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->known_since = f->projected_crossing = FG_DATE_NONE;
	if (finding_arrays(f, count_leaves(&rule->when),
			   rule->obligation_count) ||
	    collect_leaves(f, ctx, &rule->when))
		return FG_ENOMEM;
	for (size_t i = 0; i < rule->obligation_count; i++)
		f->due[i] = FG_DATE_NONE;
	if (set_comparison(f, ctx, primary))
		return FG_ENOMEM;
	measured = set_projected_crossing(f, ctx, opt->as_of);

	na = not_applicable_reason(ctx->run, rule, opt->as_of);
	if (!na && primary && !fg_run_modifies_other_provider(ctx->run) &&
	    (primary->metric == FG_METRIC_MODIFICATION_COMPUTE ||
	     primary->metric == FG_METRIC_MODIFICATION_FRACTION))
		na = format_string(
			ctx->run->has_base_model
				? "run continues the provider's own model "
				  "(base_model.same_provider: true): not a "
				  "downstream modification; its compute counts "
				  "cumulatively under the other rules"
				: "run modifies no base model (it declares "
				  "no `base_model`)");
	if (!na)
		na = out_of_scope(ctx);
	if (na) {
		f->outcome = FG_OUTCOME_NOT_APPLICABLE;
		f->has_comparison = 0;
		f->reason = na;
		return 0;
	}
	central = holds(ctx, &rule->when, MODE_CENTRAL);
	if (central == T_TRUE) {
		f->outcome = FG_OUTCOME_TRIGGERED;
	} else if (central == T_UNKNOWN) {
		f->outcome = FG_OUTCOME_INDETERMINATE;
	} else {
		high = holds(ctx, &rule->when, MODE_HIGH);
		near = rule->near > 0 ? holds(ctx, &rule->when, MODE_NEAR)
				      : T_FALSE;
		if (high == T_TRUE || near == T_TRUE) {
			f->outcome = FG_OUTCOME_NEAR;
			near_by_high = high == T_TRUE;
		} else if (high == T_UNKNOWN || near == T_UNKNOWN) {
			f->outcome = FG_OUTCOME_INDETERMINATE;
		} else {
			f->outcome = FG_OUTCOME_CLEAR;
		}
	}
	if (f->outcome == FG_OUTCOME_INDETERMINATE) {
		f->has_comparison = 0;
		f->reason = unknown_needs(f, ctx->run);
		return f->reason ? say_presumed(f, ctx) : FG_ENOMEM;
	}
	decided = deciding_leaf(ctx, &rule->when, central, primary);
	if (decided && decided != primary) {
		if (set_comparison(f, ctx, decided))
			return FG_ENOMEM;
		measured = set_projected_crossing(f, ctx, opt->as_of);
	}
	if (near_by_high && f->has_comparison)
		/* the end of the range that favours the line */
		f->decided_by = f->op == FG_OP_LT || f->op == FG_OP_LE
					? "low"
					: "high";
	if (!(f->reason = outcome_reason(f, ctx, near_by_high,
					 f->condition)) ||
	    say_base_model(f, ctx) || say_presumed(f, ctx) ||
	    (rule->assumes && f->has_comparison &&
	     append(&f->reason, "; assumed: %s", rule->assumes)))
		return FG_ENOMEM;
	if (f->outcome == FG_OUTCOME_TRIGGERED) {
		if ((rc = set_known_since(f, ctx, opt, measured)) < 0)
			return rc;
		set_due_dates(f, ctx, opt->as_of);
		if (say_effective_from(f, ctx))
			return FG_ENOMEM;
	}
	w = fg_waiver_find(opt->waivers, rule->id, ctx->run->id, opt->as_of);
	if (w && !fg_waiver_valid(w, opt->as_of)) {
		char **grown = realloc(rf->warnings, (rf->warning_count + 1) *
							     sizeof(*grown));

		f->expired_waiver = w;
		if (!grown)
			return FG_ENOMEM;
		rf->warnings = grown;
		grown[rf->warning_count] = format_string(
			"waiver for %s on %s (%s:%d:%d) expired on %s; it "
			"covers nothing", rule->id, ctx->run->id, w->file,
			w->line, w->column, fg_date_format(w->expires, d));
		if (!grown[rf->warning_count])
			return FG_ENOMEM;
		rf->warning_count++;
	} else if (w && (f->outcome == FG_OUTCOME_TRIGGERED ||
			 f->outcome == FG_OUTCOME_NEAR)) {
		f->waiver = w;
		s = format_string("%s (%s); waived by %s until %s: %s",
				  fg_outcome_name(f->outcome), f->reason,
				  w->approved_by,
				  fg_date_format(w->expires, d), w->reason);
		if (!s)
			return FG_ENOMEM;
		free(f->reason);
		f->reason = s;
		f->outcome = FG_OUTCOME_WAIVED;
	}
	f->gate_fails = fg_gate_fails(rule, f->outcome, opt->fail_on);
	return 0;
}

int fg_evaluate(fg_run_findings **out, const fg_run *run,
		const fg_run_estimate *estimate, const fg_ruleset_set *set,
		const fg_evaluate_options *options, fg_error *err)
{
	fg_run_findings *rf;
	context ctx;
	scratch x;
	size_t i, j, n = 0;
	int rc = 0;

	*out = NULL;
	if (!run || !estimate || estimate->run != run)
		return fg_error_set(err, FG_EUSAGE, NULL, 0, 0,
				    "the estimate is not of this run");
	/* A typo in an attribute must never flip an outcome silently. */
	if ((rc = fg_ruleset_set_check_run(set, run, err)))
		return rc;
	for (i = 0; i < set->count; i++)
		n += set->rulesets[i]->rule_count;
	rf = calloc(1, sizeof(*rf));
	if (!rf || !(rf->findings = calloc(n ? n : 1, sizeof(*rf->findings)))) {
		free(rf);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	rf->run = run;
	rf->estimate = estimate;
	rf->as_of = options->as_of;
	rf->fail_on = options->fail_on;
	if (fg_ruleset_set_scope_warnings(set, run, &rf->warnings,
					  &rf->warning_count)) {
		fg_run_findings_free(rf);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	scratch_init(&x);
	ctx.run = run;
	ctx.estimate = estimate;
	ctx.x = &x;
	ctx.err = err;
	for (i = 0; i < set->count && rc == 0; i++) {
		const fg_ruleset *rs = set->rulesets[i];

		for (j = 0; j < rs->rule_count && rc == 0; j++) {
			ctx.rule = &rs->rules[j];
			rc = evaluate_rule(&rf->findings[rf->count++], rf, &ctx,
					   options);
			if (rc == 0 && rf->findings[rf->count - 1].gate_fails)
				rf->gate_failures++;
		}
	}
	scratch_clear(&x);
	if (rc < 0) {
		fg_run_findings_free(rf);
		/* the first_recorded hook filled err itself */
		return rc == FG_ENOMEM ? fg_error_set(err, FG_ENOMEM, NULL, 0,
						      0, "out of memory")
				       : rc;
	}
	*out = rf;
	return 0;
}

/* ---- rule tests ------------------------------------------------------- */

/* Sets r->due_mismatch to the first expected due date the finding does
 * not give. */
static void check_due(fg_rule_test_result *r, const fg_finding *f)
{
	const fg_rule *rule = f->rule;
	size_t i, k;

	for (i = 0; i < r->expect->due_count && !r->due_mismatch; i++) {
		const fg_due_expect *d = &r->expect->due[i];
		fg_date got = FG_DATE_NONE;

		for (k = 0; k < rule->obligation_count; k++)
			if (!strcmp(rule->obligations[k].id, d->obligation_id))
				got = f->due[k];
		if (got != d->due) {
			r->due_mismatch = d;
			r->due_got = got;
		}
	}
}

/* Sets r->owed_mismatch to the first expected `owed` the finding does
 * not give (a finding that is not triggered owes nothing: 0). */
static void check_owed(fg_rule_test_result *r, const fg_finding *f)
{
	const fg_rule *rule = f->rule;
	size_t i, k;

	for (i = 0; i < r->expect->owed_count && !r->owed_mismatch; i++) {
		const fg_owed_expect *o = &r->expect->owed[i];
		int got = 0;

		for (k = 0; k < rule->obligation_count; k++)
			if (!strcmp(rule->obligations[k].id, o->obligation_id) &&
			    (f->outcome == FG_OUTCOME_TRIGGERED ||
			     f->known_since != FG_DATE_NONE))
				got = f->duties[k].owed;
		if (got != o->owed) {
			r->owed_mismatch = o;
			r->owed_got = got;
		}
	}
}

int fg_ruleset_run_tests(fg_rule_test_result **out, size_t *count,
			 size_t *failed, const fg_ruleset *ruleset,
			 const fg_ruleset_set *set, fg_error *err)
{
	fg_rule_test_result *results;
	fg_evaluate_options opt;
	fg_run_findings *rf = NULL;
	size_t i, j, k, n = 0, used = 0;
	int rc = 0;

	*out = NULL;
	*count = *failed = 0;
	for (i = 0; i < ruleset->test_count; i++)
		n += ruleset->tests[i].expect_count;
	results = calloc(n ? n : 1, sizeof(*results));
	if (!results)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (i = 0; i < ruleset->test_count; i++) {
		const fg_rule_test *t = &ruleset->tests[i];

		memset(&opt, 0, sizeof(opt));
		opt.as_of = t->as_of;
		opt.fail_on = FG_FAIL_ON_TRIGGERED;
		if ((rc = fg_evaluate(&rf, t->run, t->estimate, set, &opt,
				      err)) < 0)
			goto done;
		for (j = 0; j < t->expect_count; j++) {
			fg_rule_test_result *r = &results[used++];

			r->test = t;
			r->expect = &t->expects[j];
			for (k = 0; k < rf->count; k++)
				if (!strcmp(rf->findings[k].rule->id,
					    t->expects[j].rule_id)) {
					r->found = 1;
					r->got = rf->findings[k].outcome;
					check_due(r, &rf->findings[k]);
					check_owed(r, &rf->findings[k]);
				}
			r->passed = r->found &&
				    r->got == r->expect->outcome &&
				    !r->due_mismatch && !r->owed_mismatch;
			if (!r->passed)
				(*failed)++;
		}
		fg_run_findings_free(rf);
		rf = NULL;
	}
done:
	if (rc < 0) {
		free(results);
		return rc;
	}
	*out = results;
	*count = used;
	return 0;
}
