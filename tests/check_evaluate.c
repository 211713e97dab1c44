/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for evaluation (src/evaluate.c), waivers (src/waiver.c) and the
 * FINDING JSON (src/findings.c).  Runs and estimates are built by hand, so
 * these tests exercise the rules engine alone. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "result_json.h"

/* ---- hand-built runs -------------------------------------------------- */

typedef struct test_run {
	fg_run run;
	fg_run_estimate est;
	fg_phase phases[4];
	fg_phase_estimate pe[4];
	char *jur[4];
	fg_attribute attrs[4];
	char *attr_values[4][2];
	fg_progress progress[4];
} test_run;

static void tr_init(test_run *t, const char *j1, const char *j2)
{
	memset(t, 0, sizeof(*t));
	t->run.id = (char *)"run-1";
	t->run.status = FG_STATUS_PLANNED;
	t->jur[0] = (char *)j1;
	t->jur[1] = (char *)j2;
	t->run.jurisdictions = t->jur;
	t->run.jurisdiction_count = j2 ? 2 : 1;
	t->run.start = t->run.end = t->run.placed_on_market = FG_DATE_NONE;
	t->run.threshold_known = t->run.planned_end = FG_DATE_NONE;
	t->run.annual_revenue_usd = -1;
	t->run.base_model_flop = -1;
	t->run.base_model_systemic_risk = -1;
	t->run.phases = t->phases;
	t->run.attributes = t->attrs;
	t->run.progress = t->progress;
	t->run.file = (char *)"runs/run-1.yaml";
	t->run.line = 1;
	t->run.column = 1;
	t->est.run = &t->run;
	t->est.phases = t->pe;
	t->est.cost_usd = -1;
	t->est.measured_flop = -1;
}

static void tr_phase(test_run *t, fg_phase_kind kind, double low,
		     double central, double high)
{
	size_t i = t->run.phase_count++;

	t->phases[i].name = (char *)fg_phase_kind_name(kind);
	t->phases[i].kind = kind;
	t->phases[i].cost_usd = -1;
	t->pe[i].phase = &t->phases[i];
	t->pe[i].flop.low = low;
	t->pe[i].flop.central = central;
	t->pe[i].flop.high = high;
	t->est.phase_count = t->run.phase_count;
	t->est.total.low += low;
	t->est.total.central += central;
	t->est.total.high += high;
}

static void tr_flop(test_run *t, double flop)
{
	tr_phase(t, FG_KIND_PRETRAINING, flop, flop, flop);
}

static void tr_attr(test_run *t, const char *key, const char *v1,
		    const char *v2)
{
	size_t i = t->run.attribute_count++;

	t->attrs[i].key = (char *)key;
	t->attr_values[i][0] = (char *)v1;
	t->attr_values[i][1] = (char *)v2;
	t->attrs[i].values = t->attr_values[i];
	t->attrs[i].value_count = v2 ? 2 : 1;
}

static void tr_base(test_run *t, double flop, int systemic_risk)
{
	t->run.has_base_model = 1;
	t->run.base_model_id = (char *)"base";
	t->run.base_model_flop = flop;
	t->run.base_model_systemic_risk = systemic_risk;
}

/* ---- rulesets --------------------------------------------------------- */

static fg_ruleset_set *shipped(void)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	return set;
}

static fg_ruleset_set *from_text(const char *rules)
{
	static const char header[] =
		"ruleset: {id: t, title: T, jurisdiction: EU}\nrules:\n";
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_ruleset *rs = NULL;
	char buf[8192];
	fg_error err;

	snprintf(buf, sizeof(buf), "%s%s", header, rules);
	fg_error_clear(&err);
	ck_assert_msg(fg_ruleset_load_string(&rs, "t.yaml", buf, strlen(buf),
					     NULL, &err) == 0,
		      "%d:%d: %s", err.line, err.column, err.message);
	ck_assert_int_eq(fg_ruleset_set_add(set, rs, NULL, &err), 0);
	return set;
}

static fg_date day(int y, int m, int d)
{
	return fg_date_from_civil(y, m, d);
}

static fg_evaluate_options opts(fg_date as_of)
{
	fg_evaluate_options o;

	memset(&o, 0, sizeof(o));
	o.as_of = as_of;
	o.fail_on = FG_FAIL_ON_TRIGGERED;
	return o;
}

static fg_run_findings *eval(test_run *t, const fg_ruleset_set *set,
			     const fg_evaluate_options *o)
{
	fg_run_findings *rf = NULL;
	fg_error err;

	ck_assert_int_eq(fg_evaluate(&rf, &t->run, &t->est, set, o, &err), 0);
	return rf;
}

static const fg_finding *find(const fg_run_findings *rf, const char *rule)
{
	size_t i;

	for (i = 0; i < rf->count; i++)
		if (!strcmp(rf->findings[i].rule->id, rule))
			return &rf->findings[i];
	ck_abort_msg("no finding for %s", rule);
	return NULL;
}

static fg_outcome outcome_of(test_run *t, const fg_ruleset_set *set,
			     fg_date as_of, const char *rule)
{
	fg_evaluate_options o = opts(as_of);
	fg_run_findings *rf = eval(t, set, &o);
	fg_outcome out = find(rf, rule)->outcome;

	fg_run_findings_free(rf);
	return out;
}

/* ---- the one comparison ---------------------------------------------- */

/* The double nearest a figure as written ("1e25/3"). */
static double exact_double(const char *text)
{
	fg_exact *v = NULL;
	double d;

	ck_assert_int_eq(fg_exact_parse(&v, text, FG_QTY_NUMBER, NULL), 0);
	d = fg_exact_to_double(v);
	fg_exact_free(v);
	return d;
}

/* fg_compare on two figures as written; *rel the relation found. */
static int compare_texts(const char *value, fg_op op, const char *line,
	       fg_relation *rel)
{
	fg_exact *v = NULL, *l = NULL;
	int holds;

	ck_assert_int_eq(fg_exact_parse(&v, value, FG_QTY_NUMBER, NULL), 0);
	ck_assert_int_eq(fg_exact_parse(&l, line, FG_QTY_NUMBER, NULL), 0);
	holds = fg_compare(v, op, l, rel);
	fg_exact_free(v);
	fg_exact_free(l);
	return holds;
}

/* One unit in the 26th digit around 10^25: a double cannot tell these
 * apart from 10^25 itself; the comparison must. */
#define BELOW_1E25 "9999999999999999999999999"
#define ABOVE_1E25 "10000000000000000000000001"

START_TEST(test_strict_greater_than_at_line)
{
	fg_relation rel = FG_REL_ABOVE;

	ck_assert_int_eq(compare_texts("1e25", FG_OP_GT, "1e25", &rel), 0);
	ck_assert_int_eq(rel, FG_REL_AT);
	ck_assert_int_eq(compare_texts(ABOVE_1E25, FG_OP_GT, "1e25", &rel), 1);
	ck_assert_int_eq(rel, FG_REL_ABOVE);
	ck_assert_int_eq(compare_texts(BELOW_1E25, FG_OP_GT, "10^25", &rel), 0);
	ck_assert_int_eq(rel, FG_REL_BELOW);
	/* a modification of exactly a third is not "greater than a third"
	 * (GPAI guidelines para 60) */
	ck_assert_int_eq(compare_texts("5e24/1.5e25", FG_OP_GT, "1/3", &rel), 0);
	ck_assert_int_eq(rel, FG_REL_AT);
	ck_assert_int_eq(compare_texts("3.332e24", FG_OP_GT, "1e25/3", &rel), 0);
	ck_assert_int_eq(rel, FG_REL_BELOW);
}
END_TEST

START_TEST(test_greater_or_equal_at_line)
{
	ck_assert_int_eq(compare_texts("1e26", FG_OP_GE, "1e26", NULL), 1);
	ck_assert_int_eq(compare_texts("99999999999999999999999999", FG_OP_GE, "1e26",
			     NULL), 0);
	ck_assert_int_eq(compare_texts("100000000000000000000000001", FG_OP_GE, "1e26",
			     NULL), 1);
}
END_TEST

START_TEST(test_strict_less_than_at_line)
{
	ck_assert_int_eq(compare_texts("1e25", FG_OP_LT, "1e25", NULL), 0);
	ck_assert_int_eq(compare_texts(BELOW_1E25, FG_OP_LT, "1e25", NULL), 1);
	ck_assert_int_eq(compare_texts(ABOVE_1E25, FG_OP_LT, "1e25", NULL), 0);
}
END_TEST

START_TEST(test_less_or_equal_at_line)
{
	ck_assert_int_eq(compare_texts("1e25", FG_OP_LE, "1e25", NULL), 1);
	ck_assert_int_eq(compare_texts(ABOVE_1E25, FG_OP_LE, "1e25", NULL), 0);
	ck_assert_int_eq(compare_texts(BELOW_1E25, FG_OP_LE, "1e25", NULL), 1);
}
END_TEST

START_TEST(test_equal_at_line)
{
	ck_assert_int_eq(compare_texts("1e25", FG_OP_EQ, "10^25", NULL), 1);
	ck_assert_int_eq(compare_texts(BELOW_1E25, FG_OP_EQ, "1e25", NULL), 0);
	ck_assert_int_eq(compare_texts(ABOVE_1E25, FG_OP_EQ, "1e25", NULL), 0);
}
END_TEST

START_TEST(test_op_holds_for_each_relation)
{
	static const struct {
		fg_op op;
		int below, at, above;
	} table[] = {
		{FG_OP_GT, 0, 0, 1}, {FG_OP_GE, 0, 1, 1}, {FG_OP_LT, 1, 0, 0},
		{FG_OP_LE, 1, 1, 0}, {FG_OP_EQ, 0, 1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ck_assert_int_eq(fg_op_holds(table[i].op, FG_REL_BELOW),
				 table[i].below);
		ck_assert_int_eq(fg_op_holds(table[i].op, FG_REL_AT),
				 table[i].at);
		ck_assert_int_eq(fg_op_holds(table[i].op, FG_REL_ABOVE),
				 table[i].above);
	}
	ck_assert_str_eq(fg_relation_name(FG_REL_BELOW), "<");
	ck_assert_str_eq(fg_relation_name(FG_REL_AT), "==");
	ck_assert_str_eq(fg_relation_name(FG_REL_ABOVE), ">");
}
END_TEST

/* ---- outcomes --------------------------------------------------------- */

START_TEST(test_run_at_exactly_1e25_is_not_presumed_systemic_risk)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 1e25);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_double_eq(f->value, 1e25);
	ck_assert_double_eq(f->threshold, 1e25);
	ck_assert_double_eq(f->headroom, 0);
	ck_assert(!f->gate_fails);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_triggered_carries_figures_headroom_and_tokens)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_PRETRAINING, 2.66e25, 3.8e25, 4.94e25);
	t.est.flop_per_token = 6 * 405e9;
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert(f->has_comparison);
	ck_assert_int_eq(f->metric, FG_METRIC_TRAINING_COMPUTE);
	ck_assert_int_eq(f->op, FG_OP_GT);
	ck_assert_double_eq(f->value, 3.8e25);
	ck_assert_double_eq(f->low, 2.66e25);
	ck_assert_double_eq(f->high, 4.94e25);
	ck_assert_double_eq_tol(f->headroom, -2.8e25, 1e10);
	ck_assert(f->has_headroom_tokens);
	ck_assert_double_eq_tol(f->headroom_tokens, -2.8e25 / (6 * 405e9),
				1e-3);
	ck_assert(f->gate_fails);
	ck_assert_uint_eq(rf->gate_failures, 1);
	ck_assert_ptr_nonnull(strstr(f->reason, "central estimate"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_near_when_high_end_crosses_the_line)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_PRETRAINING, 2e24, 4e24, 1.2e25);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_ptr_nonnull(strstr(f->reason, "high end"));
	/* worked exactly: 10^25 - 4 x 10^24, not the doubles' 1e25 - 4e24 */
	ck_assert_double_eq(f->headroom, 6e24);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_near_at_the_near_fraction_and_clear_below_it)
{
	fg_ruleset_set *set = shipped();
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 5e24);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 15),
				    "eu.gpai.systemic-risk"), FG_OUTCOME_NEAR);
	tr_init(&t, "EU", NULL);
	tr_flop(&t, nextafter(5e24, 0));
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 15),
				    "eu.gpai.systemic-risk"),
			 FG_OUTCOME_CLEAR);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_counts_select_phase_kinds)
{
	fg_ruleset_set *set = shipped();
	test_run t;

	/* GPAI guidelines paras 116, 118: only the teacher's compute may be
	 * left out, so the student's own distillation training counts;
	 * SB 53 counts every kind. */
	tr_init(&t, "EU", "US-CA");
	tr_phase(&t, FG_KIND_PRETRAINING, 1e24, 1e24, 1e24);
	tr_phase(&t, FG_KIND_DISTILLATION, 2e26, 2e26, 2e26);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "eu.gpai.systemic-risk"),
			 FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "us-ca.sb53.frontier-model"),
			 FG_OUTCOME_TRIGGERED);
	/* Para 115: for the 10^23 criterion only compute "directly
	 * contributing to parameter updates": distillation yes, generating
	 * synthetic data no. */
	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_PRETRAINING, 5e22, 5e22, 5e22);
	tr_phase(&t, FG_KIND_DISTILLATION, 6e22, 6e22, 6e22);
	tr_attr(&t, "generative", "true", NULL);
	tr_attr(&t, "modalities", "text", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "eu.gpai.indicative"),
			 FG_OUTCOME_TRIGGERED);
	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_PRETRAINING, 5e22, 5e22, 5e22);
	tr_phase(&t, FG_KIND_SYNTHETIC_DATA, 6e22, 6e22, 6e22);
	tr_attr(&t, "generative", "true", NULL);
	tr_attr(&t, "modalities", "text", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "eu.gpai.indicative"),
			 FG_OUTCOME_CLEAR);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_not_applicable_outside_jurisdiction_says_where)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2027, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "US-CA", NULL);
	tr_flop(&t, 2e26);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ny.raise.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_str_eq(f->reason, "run not placed in US-NY");
	ck_assert(!f->has_comparison);
	ck_assert_int_eq(find(rf, "us-ca.sb53.frontier-model")->outcome,
			 FG_OUTCOME_TRIGGERED);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_not_applicable_before_effective_date_says_when)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	test_run t;

	tr_init(&t, "US-NY", NULL);
	tr_flop(&t, 2e26);
	rf = eval(&t, set, &o);
	ck_assert_str_eq(find(rf, "us-ny.raise.frontier-model")->reason,
			 "not in force until 2027-01-01");
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_as_of_flips_eo14110_model)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	test_run t;

	tr_init(&t, "US", NULL);
	tr_flop(&t, 2e26);
	ck_assert_int_eq(outcome_of(&t, set, day(2024, 6, 1),
				    "us.eo14110.model"),
			 FG_OUTCOME_TRIGGERED);
	rf = eval(&t, set, &o);
	ck_assert_int_eq(find(rf, "us.eo14110.model")->outcome,
			 FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_str_eq(find(rf, "us.eo14110.model")->reason,
			 "revoked 2025-01-20");
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_us_run_is_caught_by_us_ca_rule)
{
	fg_ruleset_set *set = shipped();
	test_run t;

	tr_init(&t, "US", NULL);
	tr_flop(&t, 2e26);
	t.run.annual_revenue_usd = 1e9;
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "us-ca.sb53.frontier-model"),
			 FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 6, 1),
				    "us-ca.sb53.large-frontier-developer"),
			 FG_OUTCOME_TRIGGERED);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_indeterminate_when_revenue_unknown)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "US-CA", NULL);
	tr_flop(&t, 2e26);
	tr_attr(&t, "general_purpose", "true", NULL);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_INDETERMINATE);
	ck_assert_str_eq(f->reason, "needs organization.annual_revenue_usd, "
				    "which the run does not give");
	ck_assert_uint_eq(f->presumed_count, 0);
	ck_assert(!f->gate_fails);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* A run that does not say whether it is a general-purpose (foundation)
 * model is presumed one, and the finding says so — in its reason and in
 * "presumed" — so that a reader knows what to declare. */
START_TEST(test_general_purpose_presumed_and_said)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	json_t *j;
	test_run t;

	tr_init(&t, "US-CA", "EU");
	tr_flop(&t, 2e26);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_uint_eq(f->presumed_count, 1);
	ck_assert_str_eq(f->presumed[0], "general_purpose");
	ck_assert_ptr_nonnull(strstr(f->reason, "presumed: general_purpose"));
	j = fg_result_finding(f, rf);
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(j, "presumed"), 0)),
			 "general_purpose");
	json_decref(j);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_uint_eq(f->presumed_count, 1);
	fg_run_findings_free(rf);
	/* declared false: not applicable, with the reason */
	tr_init(&t, "US-CA", "EU");
	tr_flop(&t, 2e26);
	tr_attr(&t, "general_purpose", "false", NULL);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_ptr_nonnull(strstr(f->reason, "not a foundation model"));
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "not a general-purpose AI model"));
	ck_assert_uint_eq(f->presumed_count, 0);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_indeterminate_when_cost_unknown_for_cost_rule)
{
	fg_ruleset_set *set = from_text(
		"  - id: cost\n    title: T\n    citation: C\n"
		"    effective: {from: 2020-01-01}\n"
		"    applies_to: {jurisdictions: [US]}\n"
		"    when: {all: [{metric: training_compute_flop, op: '>', "
		"value: 1e26}, {metric: training_cost_usd, op: '>', value: "
		"1e8}]}\n"
		"    severity: blocking\n");
	test_run t;

	tr_init(&t, "US", NULL);
	tr_flop(&t, 2e26);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "cost"),
			 FG_OUTCOME_INDETERMINATE);
	t.est.cost_usd = 1e8;
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "cost"),
			 FG_OUTCOME_CLEAR);
	t.est.cost_usd = 1.5e8;
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "cost"),
			 FG_OUTCOME_TRIGGERED);
	/* compute below the line decides, whatever the cost */
	tr_init(&t, "US", NULL);
	tr_flop(&t, 1e24);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "cost"),
			 FG_OUTCOME_CLEAR);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_compound_any_and_not)
{
	fg_ruleset_set *set = from_text(
		"  - id: c\n    title: T\n    citation: C\n"
		"    effective: {from: 2020-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when:\n"
		"      all:\n"
		"        - {metric: training_compute_flop, op: '>', value: 1e24}\n"
		"        - any:\n"
		"          - {attribute: weights, equals: closed}\n"
		"          - not: {attribute: generative, equals: false}\n"
		"    near: 0.5\n"
		"    severity: blocking\n"
		"attributes:\n"
		"  weights: {type: one_of, values: [open, closed]}\n"
		"  generative: {type: boolean}\n");
	test_run t;

	/* compute holds; weights open; generative true -> not(false) holds */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e24);
	tr_attr(&t, "weights", "open", NULL);
	tr_attr(&t, "generative", "true", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "c"),
			 FG_OUTCOME_TRIGGERED);
	/* generative false and weights open: the any() fails -> clear */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e24);
	tr_attr(&t, "weights", "open", NULL);
	tr_attr(&t, "generative", "false", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "c"),
			 FG_OUTCOME_CLEAR);
	/* compute at 60% of the line with the other leaves holding: near */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 6e23);
	tr_attr(&t, "weights", "closed", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "c"),
			 FG_OUTCOME_NEAR);
	/* ... but not near when the other leaves fail */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 6e23);
	tr_attr(&t, "weights", "open", NULL);
	tr_attr(&t, "generative", "false", NULL);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "c"),
			 FG_OUTCOME_CLEAR);
	/* weights unknown but generative unknown too: not() of unknown is
	 * unknown, any() unknown -> indeterminate */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e24);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 1), "c"),
			 FG_OUTCOME_INDETERMINATE);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- modification ----------------------------------------------------- */

START_TEST(test_modification_fraction_above_and_below_one_third)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 1e24, 1e24, 1e24);
	tr_base(&t, 3e24, 0);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_int_eq(f->metric, FG_METRIC_MODIFICATION_FRACTION);
	ck_assert_double_eq(f->value, 1.0 / 3.0);
	/* headroom in modification FLOP: a third of 3e24 minus 1e24 */
	ck_assert_double_eq_tol(f->headroom, 0, 1e9);
	fg_run_findings_free(rf);

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 1.2e24, 1.2e24, 1.2e24);
	tr_base(&t, 3e24, 0);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_double_eq_tol(f->value, 0.4, 1e-12);
	ck_assert_double_eq_tol(f->headroom, -2e23, 1e9);
	fg_run_findings_free(rf);

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 9e23, 9e23, 9e23);
	tr_base(&t, 3e24, 0);
	ck_assert_int_eq(outcome_of(&t, set, day(2026, 1, 15),
				    "eu.gpai.modifier"), FG_OUTCOME_CLEAR);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_unknown_base_compute_uses_the_fallback_line)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	/* base has systemic risk: a third of 10^25, exactly */
	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 3e24, 3e24, 3e24);
	tr_base(&t, -1, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_int_eq(f->metric, FG_METRIC_MODIFICATION_COMPUTE);
	ck_assert_int_eq(f->relation, FG_REL_BELOW);
	ck_assert_double_eq(f->threshold, exact_double("1e25/3"));
	/* 10^25/3 - 3 x 10^24 = 10^24/3 */
	ck_assert_double_eq(f->headroom, exact_double("1e24/3"));
	ck_assert_ptr_nonnull(strstr(f->reason, "with systemic risk"));
	fg_run_findings_free(rf);

	/* base without systemic risk: 3.33e22 */
	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 5e22, 5e22, 5e22);
	tr_base(&t, -1, 0);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_double_eq(f->threshold, exact_double("1e23/3"));
	fg_run_findings_free(rf);

	/* systemic-risk status unknown: the lower, stricter line */
	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 5e22, 5e22, 5e22);
	tr_base(&t, -1, -1);
	rf = eval(&t, set, &o);
	ck_assert_double_eq(find(rf, "eu.gpai.modifier")->threshold,
			    exact_double("1e23/3"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_modifier_rule_not_applicable_without_base_model)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 1e26);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_ptr_nonnull(strstr(f->reason, "no base model"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- runs read from YAML, figures exact as written --------------------- */

/* A run file's text, estimated and held against the shipped rules: the
 * path every command takes, so figures such as 10^25 + 1 are exact. */
typedef struct loaded {
	fg_catalog *catalog;
	fg_run_list *runs;
	fg_run_estimate *est;
	fg_ruleset_set *set;
	fg_run_findings *rf;
} loaded;

static void load_run(loaded *l, const char *yaml, fg_date as_of)
{
	fg_evaluate_options o = opts(as_of);
	fg_error err;

	memset(l, 0, sizeof(*l));
	fg_error_clear(&err);
	ck_assert_int_eq(fg_catalog_load(&l->catalog, "rules/hardware.yaml",
					 &err), 0);
	ck_assert_msg(fg_run_list_load_string(&l->runs, "run.yaml", yaml,
					      strlen(yaml), l->catalog,
					      &err) == 0,
		      "%d:%d: %s", err.line, err.column, err.message);
	ck_assert_int_eq(fg_run_estimate_compute(&l->est, &l->runs->runs[0],
						 &err), 0);
	l->set = shipped();
	ck_assert_int_eq(fg_evaluate(&l->rf, &l->runs->runs[0], l->est,
				     l->set, &o, &err), 0);
}

static void loaded_free(loaded *l)
{
	fg_run_findings_free(l->rf);
	fg_ruleset_set_free(l->set);
	fg_run_estimate_free(l->est);
	fg_run_list_free(l->runs);
	fg_catalog_free(l->catalog);
}

#define RUN_HEAD                                                             \
	"run:\n  id: r\n  status: completed\n  jurisdictions: [EU, US, "    \
	"US-CA, KR]\n  dates: {start: 2026-02-01, end: 2026-03-01, "        \
	"placed_on_market: 2026-04-01}\n"                                    \
	"  attributes: {general_purpose: true, generative: true, "         \
	"modalities: [text]}\n"

/* The reason states the relation that holds, on figures that show it:
 * never "1.0 × 10^25 FLOP > 1.0 × 10^25 FLOP". */
START_TEST(test_reasons_at_the_line_show_the_relation_as_printed)
{
	loaded l;
	const fg_finding *f;

	/* AI Act Art. 51(2) at 10^25 + 1 FLOP */
	load_run(&l, RUN_HEAD "  phases:\n    - {name: p, kind: pretraining, "
		 "estimates: [{method: measured, flop: "
		 "10000000000000000000000001}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->reason,
			 "training_compute_flop 1.0000000000000000000000001 "
			 "\xC3\x97 10^25 FLOP > 1.0 \xC3\x97 10^25 FLOP on the "
			 "central estimate");
	loaded_free(&l);

	/* one below: near, and the reason says below */
	load_run(&l, RUN_HEAD "  phases:\n    - {name: p, kind: pretraining, "
		 "estimates: [{method: measured, flop: 9.999999999e24}]}\n",
		 day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "9.999999999 \xC3\x97 10^24 FLOP < 1.0 "
				     "\xC3\x97 10^25 FLOP on the central"));
	ck_assert_ptr_null(strstr(f->reason, "1.0 \xC3\x97 10^25 FLOP < 1.0"));
	loaded_free(&l);

	/* exactly at a strict line: "=", and what the line needs */
	load_run(&l, RUN_HEAD "  phases:\n    - {name: p, kind: pretraining, "
		 "estimates: [{method: measured, flop: 1e26}]}\n",
		 day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_ptr_nonnull(strstr(f->reason, "1.0 \xC3\x97 10^26 FLOP = 1.0 "
					       "\xC3\x97 10^26 FLOP"));
	/* Korea's "or more": the same figure triggers */
	f = find(l.rf, "kr.aibasic.high-performance");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(strstr(f->reason, "1.0 \xC3\x97 10^26 FLOP = 1.0 "
					       "\xC3\x97 10^26 FLOP on the"));
	loaded_free(&l);
}
END_TEST

/* GPAI guidelines paras 60-61: a third of the original's compute, and the
 * fixed fallback lines, are fractions no two-figure decimal tells
 * apart. */
START_TEST(test_reasons_at_a_third_show_the_relation_as_printed)
{
	loaded l;
	const fg_finding *f;

	load_run(&l, RUN_HEAD "  base_model: {id: b, training_compute_flop: "
		 "6e25}\n  phases:\n    - {name: p, kind: fine_tuning, "
		 "estimates: [{method: measured, flop: "
		 "20000000000000000000000001}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->reason,
			 "modification_fraction 0.33333333333333333333333335 "
			 "> 0.3333333333333333333333333 of the base model's "
			 "compute on the central estimate");
	loaded_free(&l);

	/* exactly a third: alike, and said to be exact */
	load_run(&l, RUN_HEAD "  base_model: {id: b, training_compute_flop: "
		 "1.5e25}\n  phases:\n    - {name: p, kind: fine_tuning, "
		 "estimates: [{method: measured, flop: 5e24}]}\n",
		 day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "0.33 = 0.33 of the base model's compute "
				     "(both exactly 1/3)"));
	loaded_free(&l);

	/* just below 10^25/3 */
	load_run(&l, RUN_HEAD "  base_model: {id: b, systemic_risk: true}\n"
		 "  phases:\n    - {name: p, kind: fine_tuning, estimates: "
		 "[{method: measured, flop: 3.3333333333e24}]}\n",
		 day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "3.3333333333 \xC3\x97 10^24 FLOP < "
				     "3.33333333333 \xC3\x97 10^24 FLOP"));
	loaded_free(&l);
}
END_TEST

/* EO 14110 §4.2(b)(ii): "integer or floating-point operations per
 * second" — the cluster figure is op/s, and at the line it shows its
 * digits; money likewise. */
START_TEST(test_reasons_give_units_that_fit_the_figure)
{
	loaded l;
	const fg_finding *f;

	/* 160,257 A100 at 624 TOPS INT8: 1.00000368 x 10^20 op/s */
	load_run(&l, "run:\n  id: r\n  status: completed\n  jurisdictions: "
		 "[US]\n  dates: {start: 2024-01-01, end: 2024-03-01}\n"
		 "  phases:\n    - {name: p, kind: pretraining, estimates: "
		 "[{method: hardware, accelerator: nvidia-a100-sxm, count: "
		 "160257, duration: 10d}]}\n", day(2024, 6, 1));
	f = find(l.rf, "us.eo14110.cluster");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "cluster_peak_flops 1.00000368 \xC3\x97 "
				     "10^20 op/s > 1.0 \xC3\x97 10^20 op/s on "
				     "the central estimate"));
	ck_assert_ptr_null(strstr(f->reason, "FLOP/s"));
	loaded_free(&l);

	/* SB 53 §22757.11(j): revenue "in excess of" $500M, by $1 */
	load_run(&l, RUN_HEAD "  organization: {annual_revenue_usd: "
		 "500000001}\n  phases:\n    - {name: p, kind: pretraining, "
		 "estimates: [{method: measured, flop: 2e26}]}\n",
		 day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "$5.00000001 \xC3\x97 10^8 > $5.0 "
				     "\xC3\x97 10^8"));
	loaded_free(&l);
}
END_TEST

/* GPAI guidelines para 61 sets its line by the original's systemic-risk
 * status; a run that does not give it is not said to have one. */
START_TEST(test_fallback_reason_says_what_the_run_left_unsaid)
{
	loaded l;
	const fg_finding *f;

	load_run(&l, RUN_HEAD "  base_model: {id: b}\n  phases:\n    - "
		 "{name: p, kind: fine_tuning, estimates: [{method: "
		 "measured, flop: 1e24}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_null(strstr(f->reason, "without systemic risk"));
	ck_assert_ptr_nonnull(strstr(f->reason, "base_model.systemic_risk"));
	ck_assert_ptr_nonnull(strstr(f->reason, "lower, stricter"));
	loaded_free(&l);

	load_run(&l, RUN_HEAD "  base_model: {id: b, systemic_risk: false}\n"
		 "  phases:\n    - {name: p, kind: fine_tuning, estimates: "
		 "[{method: measured, flop: 1e24}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	ck_assert_ptr_nonnull(strstr(f->reason, "without systemic risk"));
	loaded_free(&l);
}
END_TEST

/* SB 53 §22757.11(i)(2) and Korea's "cumulative" do not settle whether
 * another developer's original training counts toward a downstream
 * modification: the finding says what was assumed. */
START_TEST(test_downstream_modification_says_what_it_counts)
{
	loaded l;
	const fg_finding *f;

	load_run(&l, RUN_HEAD "  organization: {annual_revenue_usd: 1e9}\n"
		 "  base_model: {id: b, training_compute_flop: 2e26}\n"
		 "  phases:\n    - {name: p, kind: fine_tuning, estimates: "
		 "[{method: measured, flop: 1e24}]}\n", day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_ptr_nonnull(strstr(f->reason, "this run's own compute only"));
	ck_assert_ptr_nonnull(strstr(f->reason, "an assumption"));
	f = find(l.rf, "kr.aibasic.high-performance");
	ck_assert_ptr_nonnull(strstr(f->reason, "an assumption"));
	loaded_free(&l);
}
END_TEST

/* SB 53 §22757.11(j): revenues "in excess of" $500M.  With exactly
 * $500M the rule is clear because of the revenue, and the finding's
 * comparison is the revenue, not the compute that held. */
START_TEST(test_finding_names_the_figure_that_decided_it)
{
	loaded l;
	const fg_finding *f;
	json_t *j;

	load_run(&l, RUN_HEAD "  organization: {annual_revenue_usd: 5e8}\n"
		 "  phases:\n    - {name: p, kind: pretraining, estimates: "
		 "[{method: measured, flop: 2e26}]}\n", day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_int_eq(f->metric, FG_METRIC_ANNUAL_REVENUE);
	ck_assert_int_eq(f->relation, FG_REL_AT);
	ck_assert_double_eq(f->value, 5e8);
	ck_assert_double_eq(f->threshold, 5e8);
	ck_assert_double_eq(f->headroom, 0);
	ck_assert_int_eq(f->has_headroom_tokens, 0);
	ck_assert_ptr_eq(f->condition, &f->rule->when.children[1]);
	ck_assert_str_eq(f->reason,
			 "organization.annual_revenue_usd $5.0 \xC3\x97 10^8 = "
			 "$5.0 \xC3\x97 10^8 on the central estimate; the line "
			 "needs >; while training_compute_flop 2.0 \xC3\x97 "
			 "10^26 FLOP > 1.0 \xC3\x97 10^26 FLOP holds");
	j = fg_result_finding(f, l.rf);
	ck_assert_str_eq(json_string_value(json_object_get(j, "metric")),
			 "organization.annual_revenue_usd");
	ck_assert_str_eq(json_string_value(json_object_get(j, "relation")),
			 "==");
	json_decref(j);
	loaded_free(&l);

	/* both below: the compute line, the rule's first, decides */
	load_run(&l, RUN_HEAD "  organization: {annual_revenue_usd: 1e8}\n"
		 "  phases:\n    - {name: p, kind: pretraining, estimates: "
		 "[{method: measured, flop: 1e24}]}\n", day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_CLEAR);
	ck_assert_int_eq(f->metric, FG_METRIC_TRAINING_COMPUTE);
	loaded_free(&l);
}
END_TEST

/* `any`: the leaf that held decides, whichever it is. */
START_TEST(test_any_is_decided_by_the_leaf_that_holds)
{
	fg_ruleset_set *set = from_text(
		"  - id: r\n    title: R\n    citation: C\n"
		"    effective: {from: 2020-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {any: [{metric: training_compute_flop, op: \">\", "
		"value: 1e25}, {metric: training_cost_usd, op: \">\", "
		"value: 1e8}]}\n    severity: blocking\n");
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 1e24);
	t.est.cost_usd = 2e8;
	rf = eval(&t, set, &o);
	f = find(rf, "r");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->metric, FG_METRIC_TRAINING_COST);
	ck_assert_int_eq(f->relation, FG_REL_ABOVE);
	ck_assert_ptr_nonnull(strstr(f->reason, "training_cost_usd $2.0 "
					       "\xC3\x97 10^8 > $1.0 "
					       "\xC3\x97 10^8"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- measured progress ------------------------------------------------ */

#define PROGRESS_RUN(status, jur, dates, plan, points)                      \
	"run:\n  id: r\n  status: " status "\n  jurisdictions: [" jur "]\n" \
	"  dates: " dates "\n  organization: {annual_revenue_usd: 1e9}\n"  \
	"  attributes: {general_purpose: true, generative: true, "         \
	"modalities: [text]}\n  phases:\n    - {name: p, kind: "           \
	"pretraining, estimates: [{method: architecture, parameters: "     \
	"1.5e11, tokens: " plan "}]}\n  progress:\n" points

/* AI Act Art. 52(1): the requirement "is met" the day the run used more
 * than 10^25 FLOP, whatever it planned; the tool must not say "near",
 * "below the line" and "crossed" at once. */
START_TEST(test_measured_progress_past_the_line_meets_it)
{
	loaded l;
	const fg_finding *f;

	/* plan 9e24; 8e24 on Nov 1, 1.05e25 on Nov 15: 1e25 on Nov 12 */
	load_run(&l, PROGRESS_RUN("running", "EU", "{start: 2026-10-01}",
				  "1e13",
				  "    - {at: 2026-11-01T00:00:00Z, flop: 8e24}\n"
				  "    - {at: 2026-11-15T00:00:00Z, flop: "
				  "1.05e25}\n"), day(2026, 11, 30));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->relation, FG_REL_ABOVE);
	ck_assert_double_eq(f->value, 1.05e25);
	ck_assert(f->headroom < 0);
	ck_assert(f->crossed);
	ck_assert_int_eq(f->projected_crossing, day(2026, 11, 12));
	/* known since the crossing, not dates.start: the plan did not
	 * cross */
	ck_assert_str_eq(f->known_basis, "progress");
	ck_assert_int_eq(f->known_since, day(2026, 11, 12));
	ck_assert_int_eq(f->due[0], day(2026, 11, 26));
	ck_assert(f->duties[0].overdue);
	ck_assert_ptr_nonnull(strstr(f->reason, "1.05 \xC3\x97 10^25 FLOP > "
						"1.0 \xC3\x97 10^25 FLOP"));
	ck_assert_ptr_nonnull(strstr(f->reason, "measured progress by "
						"2026-11-15"));
	loaded_free(&l);

	/* a single point, from dates.start: 1.2e25 on Nov 15 from Oct 1 */
	load_run(&l, PROGRESS_RUN("running", "EU", "{start: 2026-10-01}",
				  "1e13",
				  "    - {at: 2026-11-15T00:00:00Z, flop: "
				  "1.2e25}\n"), day(2026, 11, 30));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->known_since, day(2026, 11, 7));
	loaded_free(&l);
}
END_TEST

/* Korea's "10^26 or more" is met by a measured 10^26 exactly; SB 53's
 * "greater than 10^26" is not, and no crossing is claimed for it. */
START_TEST(test_measured_progress_at_the_line_exactly)
{
	loaded l;
	const fg_finding *f;

	load_run(&l, PROGRESS_RUN("running", "KR, US-CA",
				  "{start: 2026-03-01}", "1e14",
				  "    - {at: 2026-05-01T00:00:00Z, flop: 8e25}\n"
				  "    - {at: 2026-05-15T00:00:00Z, flop: 1e26}\n"),
		 day(2026, 6, 1));
	f = find(l.rf, "kr.aibasic.high-performance");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->relation, FG_REL_AT);
	ck_assert(f->crossed);
	ck_assert_int_eq(f->known_since, day(2026, 5, 15));
	f = find(l.rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_int_eq(f->relation, FG_REL_AT);
	ck_assert(!f->crossed);
	ck_assert_ptr_nonnull(strstr(f->reason, "1.0 \xC3\x97 10^26 FLOP = "
						"1.0 \xC3\x97 10^26 FLOP"));
	loaded_free(&l);

	/* one FLOP more, exactly: SB 53 "has used" more than 10^26 */
	load_run(&l, PROGRESS_RUN("running", "US-CA", "{start: 2026-03-01}",
				  "1e14",
				  "    - {at: 2026-05-15T00:00:00Z, flop: "
				  "100000000000000000000000001}\n"),
		 day(2026, 6, 1));
	f = find(l.rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert(f->crossed);
	loaded_free(&l);
}
END_TEST

/* Issue 8 item 4: a completed run's line is known from the crossing day
 * its progress shows, else dates.end at the latest (Art. 52(1): two weeks
 * after the requirement "is met"); Korea's 90 days likewise. */
START_TEST(test_completed_run_known_since_its_measured_crossing)
{
	loaded l;
	const fg_finding *f;

	load_run(&l, PROGRESS_RUN("completed", "EU, KR",
				  "{start: 2026-01-01, end: 2026-06-30}",
				  "2.3e14",
				  "    - {at: 2026-03-01T00:00:00Z, flop: 5e24}\n"
				  "    - {at: 2026-04-01T00:00:00Z, flop: 1.5e25}\n"
				  "    - {at: 2026-06-30T00:00:00Z, flop: 2.07e26}\n"),
		 day(2026, 11, 30));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->known_basis, "progress");
	ck_assert_int_eq(f->known_since, day(2026, 3, 16));
	ck_assert_int_eq(f->due[0], day(2026, 3, 30));
	f = find(l.rf, "kr.aibasic.high-performance");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->known_basis, "progress");
	loaded_free(&l);

	/* progress that never reaches the line: dates.end */
	load_run(&l, PROGRESS_RUN("completed", "EU",
				  "{start: 2026-01-01, end: 2026-06-30}",
				  "2.3e13",
				  "    - {at: 2026-03-01T00:00:00Z, flop: 5e24}\n"),
		 day(2026, 11, 30));
	f = find(l.rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->known_basis, "end");
	ck_assert_int_eq(f->known_since, day(2026, 6, 30));
	loaded_free(&l);
}
END_TEST

/* A renderer states every relation from the document's exact figures and
 * units (fg_figure_relation), conditions included: the doubles of 10^25 +
 * 1 and 10^25 are one double. */
static json_t *rule_facts(const fg_ruleset_set *set, const char *id);

START_TEST(test_finding_json_gives_exact_figures_and_units)
{
	loaded l;
	const fg_finding *f;
	json_t *j, *c, *facts, *line;
	fg_exact *v = NULL, *t = NULL;
	fg_unit unit;
	char rel[FG_RELATION_SIZE];

	load_run(&l, RUN_HEAD "  base_model: {id: b}\n  phases:\n    - "
		 "{name: p, kind: fine_tuning, estimates: [{method: measured, "
		 "flop: 5e22}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.modifier");
	j = fg_result_finding(f, l.rf);
	/* the fallback line: the value is modification compute, and so is
	 * the headroom */
	ck_assert_str_eq(json_string_value(json_object_get(j, "unit")),
			 "FLOP");
	ck_assert_str_eq(json_string_value(json_object_get(j,
							   "headroom_unit")),
			 "FLOP");
	c = json_array_get(json_object_get(j, "conditions"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "unit")),
			 "FLOP");
	ck_assert_str_eq(json_string_value(json_object_get(c,
							   "threshold_exact")),
			 "100000000000000000000000/3");
	json_decref(j);
	loaded_free(&l);

	load_run(&l, RUN_HEAD "  organization: {annual_revenue_usd: "
		 "500000001}\n  phases:\n    - {name: p, kind: pretraining, "
		 "estimates: [{method: measured, flop: "
		 "10000000000000000000000001}]}\n", day(2026, 6, 1));
	f = find(l.rf, "eu.gpai.systemic-risk");
	j = fg_result_finding(f, l.rf);
	c = json_array_get(json_object_get(j, "conditions"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "value_exact")),
			 "10000000000000000000000001");
	/* the line is the rule's leaf 0, given once in its facts */
	ck_assert_ptr_null(json_object_get(c, "threshold_exact"));
	facts = rule_facts(l.set, "eu.gpai.systemic-risk");
	line = json_array_get(json_object_get(facts, "conditions"), 0);
	ck_assert_int_eq(fg_exact_parse(&v, json_string_value(json_object_get(
					c, "value_exact")), FG_QTY_NUMBER,
					NULL), 0);
	ck_assert_int_eq(fg_exact_parse(&t, json_string_value(json_object_get(
					line, "threshold_exact")),
					FG_QTY_NUMBER, NULL), 0);
	ck_assert_int_eq(fg_unit_parse(&unit, json_string_value(
					       json_object_get(line, "unit"))),
			 0);
	json_decref(facts);
	ck_assert_str_eq(fg_figure_relation(rel, sizeof(rel), v, t, unit,
					    NULL),
			 "1.0000000000000000000000001 \xC3\x97 10^25 FLOP > "
			 "1.0 \xC3\x97 10^25 FLOP");
	fg_exact_free(v);
	fg_exact_free(t);
	json_decref(j);
	/* money */
	f = find(l.rf, "us-ca.sb53.large-frontier-developer");
	j = fg_result_finding(f, l.rf);
	c = json_array_get(json_object_get(j, "conditions"), 1);
	facts = rule_facts(l.set, "us-ca.sb53.large-frontier-developer");
	line = json_array_get(json_object_get(facts, "conditions"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(line, "unit")),
			 "USD");
	ck_assert_str_eq(json_string_value(json_object_get(line, "metric")),
			 "organization.annual_revenue_usd");
	ck_assert_str_eq(json_string_value(json_object_get(c, "value_exact")),
			 "500000001");
	json_decref(facts);
	json_decref(j);
	loaded_free(&l);
}
END_TEST

/* Where a rule reads into its text what the text does not settle (EO
 * 14110's "capacity of 10^20" as at least 10^20, at the highest number
 * format), every finding that compares a figure says so; and a due date
 * counted from the day the law took effect says why. */
START_TEST(test_reasons_say_what_was_assumed)
{
	fg_ruleset_set *set = from_text(
		"  - id: r\n    title: R\n    citation: C\n"
		"    assumes: the line read as strict\n"
		"    effective: {from: 2026-01-22}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: training_compute_flop, op: \">\", "
		"value: 1e25}\n    severity: blocking\n"
		"    obligations:\n      - {id: o, text: O, due: {days: 90, "
		"after: threshold_met_or_foreseen}}\n");
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e25);
	t.run.threshold_known = day(2025, 10, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "r");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "; assumed: the line read as strict"));
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "met or known on 2025-10-01, before the "
				     "rule took effect on 2026-01-22: its "
				     "duties count from 2026-01-22"));
	ck_assert_int_eq(f->due[0], day(2026, 4, 22));
	fg_run_findings_free(rf);
	/* not where the rule does not apply */
	o = opts(day(2026, 1, 1));
	rf = eval(&t, set, &o);
	ck_assert_ptr_null(strstr(find(rf, "r")->reason, "assumed"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);

	/* the shipped EO 14110 cluster line */
	set = shipped();
	tr_init(&t, "US", NULL);
	tr_flop(&t, 1e24);
	t.est.cluster_peak_flops = 1.2e20;
	o = opts(day(2024, 6, 1));
	rf = eval(&t, set, &o);
	f = find(rf, "us.eo14110.cluster");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(strstr(f->reason, "1.2 \xC3\x97 10^20 op/s > "
						"1.0 \xC3\x97 10^20 op/s"));
	ck_assert_ptr_nonnull(strstr(f->reason, "assumed: \"a theoretical "
						"maximum computing capacity"));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- gate ------------------------------------------------------------- */

START_TEST(test_gate_fail_on_near_and_never)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 8e24);
	rf = eval(&t, set, &o);
	ck_assert_uint_eq(rf->gate_failures, 0);
	fg_run_findings_free(rf);
	o.fail_on = FG_FAIL_ON_NEAR;
	rf = eval(&t, set, &o);
	ck_assert_uint_eq(rf->gate_failures, 1);
	ck_assert(find(rf, "eu.gpai.systemic-risk")->gate_fails);
	fg_run_findings_free(rf);
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 8e25);
	o.fail_on = FG_FAIL_ON_NEVER;
	rf = eval(&t, set, &o);
	ck_assert_uint_eq(rf->gate_failures, 0);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_warning_rules_never_fail_the_gate)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 5e23);
	tr_attr(&t, "generative", "true", NULL);
	tr_attr(&t, "modalities", "text", NULL);
	rf = eval(&t, set, &o);
	ck_assert_int_eq(find(rf, "eu.gpai.indicative")->outcome,
			 FG_OUTCOME_TRIGGERED);
	ck_assert(!find(rf, "eu.gpai.indicative")->gate_fails);
	ck_assert_uint_eq(rf->gate_failures, 0);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- waivers ---------------------------------------------------------- */

static fg_waiver_list *waivers(const char *text)
{
	fg_waiver_list *wl = NULL;
	fg_error err;

	fg_error_clear(&err);
	ck_assert_msg(fg_waiver_list_load_string(&wl, "w.yaml", text,
						 strlen(text), &err) == 0,
		      "%s", err.message);
	return wl;
}

START_TEST(test_valid_waiver_waives_and_passes_the_gate)
{
	fg_ruleset_set *set = shipped();
	fg_waiver_list *wl = waivers(
		"waivers:\n"
		"  - {rule: eu.gpai.systemic-risk, run: run-1, reason: "
		"\"rebuttal filed\", approved_by: Jane Doe, expires: "
		"2026-12-31}\n");
	fg_evaluate_options o = opts(day(2026, 12, 31));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	o.waivers = wl;
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_WAIVED);
	ck_assert_ptr_eq(f->waiver, &wl->waivers[0]);
	ck_assert(!f->gate_fails);
	ck_assert_uint_eq(rf->gate_failures, 0);
	ck_assert_uint_eq(rf->warning_count, 0);
	/* obligations still fall due */
	ck_assert_int_eq(f->due[0], day(2026, 12, 31) + 14);
	ck_assert_ptr_nonnull(strstr(f->reason, "Jane Doe"));
	fg_run_findings_free(rf);
	fg_waiver_list_free(wl);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_expired_waiver_covers_nothing_and_warns)
{
	fg_ruleset_set *set = shipped();
	fg_waiver_list *wl = waivers(
		"waivers:\n"
		"  - {rule: eu.gpai.systemic-risk, run: run-1, reason: r, "
		"approved_by: Jane Doe, expires: 2026-12-31}\n");
	fg_evaluate_options o = opts(day(2027, 1, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	o.waivers = wl;
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_null(f->waiver);
	ck_assert_ptr_eq(f->expired_waiver, &wl->waivers[0]);
	ck_assert(f->gate_fails);
	ck_assert_uint_eq(rf->warning_count, 1);
	ck_assert_ptr_nonnull(strstr(rf->warnings[0], "expired on "
						       "2026-12-31"));
	ck_assert_ptr_nonnull(strstr(rf->warnings[0], "w.yaml:2:5"));
	fg_run_findings_free(rf);
	fg_waiver_list_free(wl);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_waiver_for_another_run_does_not_apply)
{
	fg_ruleset_set *set = shipped();
	fg_waiver_list *wl = waivers(
		"waivers:\n"
		"  - {rule: eu.gpai.systemic-risk, run: other, reason: r, "
		"approved_by: J, expires: 2030-01-01}\n");
	fg_evaluate_options o = opts(day(2027, 1, 1));
	fg_run_findings *rf;
	test_run t;

	o.waivers = wl;
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	ck_assert_int_eq(find(rf, "eu.gpai.systemic-risk")->outcome,
			 FG_OUTCOME_TRIGGERED);
	fg_run_findings_free(rf);
	fg_waiver_list_free(wl);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_malformed_waiver_names_its_location)
{
	static const char text[] =
		"waivers:\n"
		"  - {rule: a, run: b, reason: c, approved_by: d, expires: "
		"2026-12-31}\n"
		"  - {rule: a, run: b, reason: c, expires: 2026-12-31}\n";
	static const char bad_date[] =
		"waivers:\n"
		"  - {rule: a, run: b, reason: c, approved_by: d, expires: "
		"soon}\n";
	fg_waiver_list *wl = NULL;
	fg_error err;

	ck_assert_int_eq(fg_waiver_list_load_string(&wl, "w.yaml", text,
						    strlen(text), &err),
			 FG_EINPUT);
	ck_assert_ptr_null(wl);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 5);
	ck_assert_ptr_nonnull(strstr(err.message, "approved_by"));
	ck_assert_int_eq(fg_waiver_list_load_string(&wl, "w.yaml", bad_date,
						    strlen(bad_date), &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 59);
}
END_TEST

/* ---- deadlines -------------------------------------------------------- */

START_TEST(test_due_date_counts_from_as_of_when_nothing_earlier)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->known_since, day(2026, 3, 1));
	ck_assert_str_eq(f->known_basis, "as_of");
	ck_assert_int_eq(f->due[0], day(2026, 3, 15));
	/* placed_on_market unknown: its obligations have no date */
	ck_assert_int_eq(f->due[1], FG_DATE_NONE);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_threshold_known_earlier_than_as_of_moves_deadline)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	t.run.threshold_known = day(2026, 1, 10);
	t.run.placed_on_market = day(2026, 5, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->known_since, day(2026, 1, 10));
	ck_assert_str_eq(f->known_basis, "declared");
	ck_assert_int_eq(f->due[0], day(2026, 1, 24));
	ck_assert_int_eq(f->due[1], day(2026, 5, 1));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

static int recorded_2026_01_02(void *ctx, const char *run_id,
			       const char *rule_id, fg_date *out,
			       fg_error *err)
{
	int *calls = ctx;

	(void)err;
	(*calls)++;
	if (strcmp(run_id, "run-1") || strcmp(rule_id,
					      "eu.gpai.systemic-risk"))
		return 0;
	*out = fg_date_from_civil(2026, 1, 2);
	return 1;
}

static int store_fails(void *ctx, const char *run_id, const char *rule_id,
		       fg_date *out, fg_error *err)
{
	(void)ctx;
	(void)out;
	return fg_error_set(err, FG_ESTORE, "audit.db", 0, 0,
			    "reading recorded findings of %s, %s: disk I/O "
			    "error", run_id, rule_id);
}

/* A store that cannot say when a line was first recorded must stop the
 * evaluation: going on would count the deadline from a later day. */
START_TEST(test_first_recorded_error_fails_the_evaluation)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf = NULL;
	fg_error err;
	test_run t;

	o.first_recorded = store_fails;
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	ck_assert_int_eq(fg_evaluate(&rf, &t.run, &t.est, set, &o, &err),
			 FG_ESTORE);
	ck_assert_ptr_null(rf);
	ck_assert_int_eq(err.code, FG_ESTORE);
	ck_assert_str_eq(err.file, "audit.db");
	ck_assert_ptr_nonnull(strstr(err.message, "disk I/O error"));
	fg_ruleset_set_free(set);
}
END_TEST

/* A jansson allocator that fails from the nth call on. */
static long alloc_budget = -1;
static void *failing_malloc(size_t n)
{
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(n);
}

/* The check and estimate documents built with every allocation failing in
 * turn: NULL (never half a document, never a crash or leak under ASan)
 * until there is memory enough. */
START_TEST(test_documents_out_of_memory_are_null)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf;
	json_t *doc = NULL;
	test_run t;
	long budget;
	int which;

	tr_init(&t, "EU", "US-CA");
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	for (which = 0; which < 2; which++) {
		doc = NULL;
		for (budget = 0; !doc && budget < 100000; budget++) {
			alloc_budget = budget;
			json_set_alloc_funcs(failing_malloc, free);
			doc = which == 0
			      ? fg_result_check_document(&rf, 1, set,
							 day(2026, 3, 1),
							 FG_FAIL_ON_TRIGGERED,
							 "ci", 7)
			      : fg_result_estimate_document(
					(fg_run_estimate *const *)&rf->estimate,
					1, day(2026, 3, 1));
			json_set_alloc_funcs(malloc, free);
			alloc_budget = -1;
		}
		ck_assert_ptr_nonnull(doc);
		ck_assert_int_gt(budget, 10);
		json_decref(doc);
	}
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_first_recorded_evaluation_earlier_wins)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;
	int calls = 0;

	o.first_recorded = recorded_2026_01_02;
	o.first_recorded_ctx = &calls;
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	t.run.threshold_known = day(2026, 1, 10);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_gt(calls, 0);
	ck_assert_int_eq(f->known_since, day(2026, 1, 2));
	ck_assert_str_eq(f->known_basis, "recorded");
	ck_assert_int_eq(f->due[0], day(2026, 1, 16));
	fg_run_findings_free(rf);

	/* a later recorded date does not move the deadline later */
	t.run.threshold_known = day(2025, 12, 20);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_str_eq(f->known_basis, "declared");
	ck_assert_int_eq(f->due[0], day(2026, 1, 3));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_deadline_never_before_the_law_applies)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2025, 9, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 3.8e25);
	t.run.threshold_known = day(2024, 3, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->known_since, day(2024, 3, 1));
	/* GPAI guidelines para 112: within two weeks after 2025-08-02 */
	ck_assert_int_eq(f->due[0], day(2025, 8, 16));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_running_run_projects_its_crossing)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 20));
	fg_run_findings *rf;
	const fg_finding *f;
	double nov1, nov15;
	test_run t;

	ck_assert_int_eq(fg_timestamp_parse(&nov1, "2026-11-01T00:00:00Z"), 0);
	ck_assert_int_eq(fg_timestamp_parse(&nov15, "2026-11-15T00:00:00Z"),
			 0);
	tr_init(&t, "EU", NULL);
	t.run.status = FG_STATUS_RUNNING;
	tr_flop(&t, 8e24);
	t.progress[0].at = nov1;
	t.progress[0].flop = 2.1e24;
	t.progress[1].at = nov15;
	t.progress[1].flop = 4.0e24;
	t.run.progress_count = 2;
	t.est.measured_flop = 4.0e24;
	t.est.flop_per_second = (4.0e24 - 2.1e24) / (nov15 - nov1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_int_ne(f->projected_crossing, FG_DATE_NONE);
	/* 6e24 more at 1.9e24 per 14 days: about 44 days after Nov 15 */
	ck_assert_int_eq(f->projected_crossing,
			 fg_date_of_timestamp(fg_run_estimate_crossing(&t.est,
								       1e25)));
	ck_assert_int_gt(f->projected_crossing, day(2026, 12, 25));
	ck_assert_int_lt(f->projected_crossing, day(2027, 1, 5));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_progress_past_the_line_sets_known_since)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 12, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	double nov1, nov15;
	test_run t;

	fg_timestamp_parse(&nov1, "2026-11-01T00:00:00Z");
	fg_timestamp_parse(&nov15, "2026-11-15T00:00:00Z");
	tr_init(&t, "EU", NULL);
	t.run.status = FG_STATUS_RUNNING;
	tr_flop(&t, 3e25);
	t.progress[0].at = nov1;
	t.progress[0].flop = 0.6e25;
	t.progress[1].at = nov15;
	t.progress[1].flop = 2.0e25;
	t.run.progress_count = 2;
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_str_eq(f->known_basis, "progress");
	/* 1e25 lies 4/14 of the way from Nov 1 to Nov 15: Nov 5 */
	ck_assert_int_eq(f->known_since, day(2026, 11, 5));
	ck_assert_int_eq(f->due[0], day(2026, 11, 19));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- transitions: AI Act Art. 111(3) ---------------------------------- */

/* Llama 3.1 405B as the example file has it: completed, 3.8e25 FLOP,
 * generates text, placed in the Union on 2024-07-23 by a provider
 * established in the US. */
static void tr_llama(test_run *t, fg_date placed)
{
	tr_init(t, "EU", NULL);
	tr_flop(t, 3.8e25);
	tr_attr(t, "generative", "true", NULL);
	tr_attr(t, "modalities", "text", NULL);
	t->run.status = FG_STATUS_COMPLETED;
	t->run.established_in = (char *)"US";
	t->run.placed_on_market = placed;
}

START_TEST(test_model_placed_before_2025_08_02_complies_by_2027_08_02)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;
	size_t i;

	tr_llama(&t, day(2024, 7, 23));
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_eq(f->transition, &f->rule->transition);
	ck_assert_str_eq(f->transition->citation, "Art. 111(3)");
	/* notification (would be as-of + 14 days), Art. 55(1)(a)-(b) and
	 * Annex XI (would be 2025-08-02, overdue) */
	for (i = 0; i < f->rule->obligation_count; i++) {
		if (!f->rule->obligations[i].has_due) {
			/* undated duties stay undated */
			ck_assert_int_eq(f->due[i], FG_DATE_NONE);
			ck_assert(!f->due_by_transition[i]);
			continue;
		}
		ck_assert_msg(f->due[i] == day(2027, 8, 2), "%s",
			      f->rule->obligations[i].id);
		ck_assert(f->due_by_transition[i]);
		ck_assert_int_eq(f->duties[i].owed, 1);
	}
	/* a completed model on the market had met its line by the day it
	 * was placed; the transition moves the deadline, not that day */
	ck_assert_int_eq(f->known_since, day(2024, 7, 23));
	ck_assert_str_eq(f->known_basis, "placed_on_market");
	for (i = 0; i < f->rule->obligation_count; i++)
		ck_assert(!f->duties[i].overdue);
	f = find(rf, "eu.gpai.indicative");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->due[0], day(2027, 8, 2));
	ck_assert_int_eq(f->due[2], day(2027, 8, 2));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_model_placed_on_2025_08_02_gets_no_transition)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	/* placed on 2025-08-02 itself, having met the line by then: the
	 * ordinary two weeks from the day Chapter V applies */
	tr_llama(&t, day(2025, 8, 2));
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_null(f->transition);
	ck_assert_int_eq(f->due[0], day(2025, 8, 16));
	ck_assert(f->duties[0].overdue);
	ck_assert_int_eq(f->due[1], day(2025, 8, 2));
	ck_assert(!f->due_by_transition[0]);
	ck_assert(!f->due_by_transition[1]);
	fg_run_findings_free(rf);

	/* the day before is "before 2 August 2025" */
	t.run.placed_on_market = day(2025, 8, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_nonnull(f->transition);
	ck_assert_int_eq(f->due[0], day(2027, 8, 2));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_transition_never_shortens_a_later_deadline)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2027, 9, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	/* checked after 2027-08-02, a model placed before 2025-08-02 is
	 * overdue since 2027-08-02: the check does not re-date it */
	tr_llama(&t, day(2024, 7, 23));
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_nonnull(f->transition);
	ck_assert_int_eq(f->due[0], day(2027, 8, 2));
	ck_assert(f->due_by_transition[0]);
	ck_assert(f->duties[0].overdue);
	ck_assert_int_eq(f->due[1], day(2027, 8, 2));
	ck_assert(f->due_by_transition[1]);
	ck_assert(f->duties[1].overdue);
	fg_run_findings_free(rf);

	/* further training of the placed model, first known to cross on
	 * 2027-07-19: due on the last day of the transition */
	t.run.status = FG_STATUS_PLANNED;
	t.run.threshold_known = day(2027, 7, 19);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->due[0], day(2027, 8, 2));
	fg_run_findings_free(rf);
	t.run.threshold_known = day(2027, 7, 20);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->due[0], day(2027, 8, 3));
	ck_assert(!f->due_by_transition[0]);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_no_transition_without_placement_date_or_trigger)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_llama(&t, FG_DATE_NONE);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_null(f->transition);
	ck_assert_int_eq(f->due[0], day(2026, 12, 14));
	ck_assert_int_eq(f->due[1], FG_DATE_NONE);
	fg_run_findings_free(rf);

	/* near: nothing is owed, so no transition is reported */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 6e24);
	t.run.placed_on_market = day(2024, 7, 23);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NEAR);
	ck_assert_ptr_null(f->transition);
	ck_assert_int_eq(f->due[0], FG_DATE_NONE);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_transition_reaches_every_kind_of_dated_obligation)
{
	fg_ruleset_set *set = from_text(
		"  - id: r\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: training_compute_flop, op: '>', value: 1e25}\n"
		"    severity: blocking\n"
		"    transition: {placed_before: 2025-01-01, comply_by: "
		"2026-01-01, citation: Art. 9}\n"
		"    obligations:\n"
		"      - {id: a, text: A, due: {days: 30, after: effective_from}}\n"
		"      - {id: b, text: B, due: {days: 400, after: effective_from}}\n"
		"      - {id: c, text: C, due: {days: 3, after: incident}}\n");
	fg_evaluate_options o = opts(day(2025, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e25);
	t.run.placed_on_market = day(2024, 12, 31);
	rf = eval(&t, set, &o);
	f = find(rf, "r");
	ck_assert_int_eq(f->due[0], day(2026, 1, 1));
	ck_assert(f->due_by_transition[0]);
	/* 2025-01-01 + 400 days is later than the transition's end */
	ck_assert_int_eq(f->due[1], day(2026, 2, 5));
	ck_assert(!f->due_by_transition[1]);
	/* an incident's period has no date to move */
	ck_assert_int_eq(f->due[2], FG_DATE_NONE);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

static json_t *finding_json(const fg_run_findings *rf, const char *rule)
{
	size_t i;

	for (i = 0; i < rf->count; i++)
		if (!strcmp(rf->findings[i].rule->id, rule))
			return fg_result_finding(&rf->findings[i], rf);
	ck_abort_msg("no finding for %s", rule);
	return NULL;
}

/* A rule's static facts as the document gives them, once, under
 * rulesets[].rules[] (new reference). */
static json_t *rule_facts(const fg_ruleset_set *set, const char *id)
{
	json_t *all = fg_result_rulesets(set), *rs, *rule, *found = NULL;
	size_t i, j;

	ck_assert_ptr_nonnull(all);
	json_array_foreach(all, i, rs)
		json_array_foreach(json_object_get(rs, "rules"), j, rule)
			if (!strcmp(json_string_value(json_object_get(rule,
								      "id")),
				    id))
				found = json_incref(rule);
	json_decref(all);
	ck_assert_msg(found != NULL, "no facts for %s", id);
	return found;
}

START_TEST(test_finding_json_names_the_transition)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf;
	json_t *f, *tr, *obs, *facts;
	test_run t;

	tr_llama(&t, day(2024, 7, 23));
	rf = eval(&t, set, &o);
	f = finding_json(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_nonnull(f);
	/* the finding says the rule's transition covers the run ... */
	ck_assert(json_is_true(json_object_get(f, "transition")));
	/* ... which the rule's facts name, once for every finding */
	facts = rule_facts(set, "eu.gpai.systemic-risk");
	tr = json_object_get(facts, "transition");
	ck_assert(json_is_object(tr));
	ck_assert_str_eq(json_string_value(json_object_get(tr, "citation")),
			 "Art. 111(3)");
	ck_assert_str_eq(json_string_value(json_object_get(tr,
							   "placed_before")),
			 "2025-08-02");
	ck_assert_str_eq(json_string_value(json_object_get(tr, "comply_by")),
			 "2027-08-02");
	json_decref(facts);
	obs = json_object_get(f, "obligations");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(obs, 0), "due")), "2027-08-02");
	ck_assert(json_is_true(json_object_get(json_array_get(obs, 0),
					       "transition")));
	/* Art. 55(1)(c) has no date, so the transition did not set one */
	ck_assert(json_is_false(json_object_get(json_array_get(obs, 3),
						"transition")));
	json_decref(f);
	fg_run_findings_free(rf);

	t.run.placed_on_market = day(2025, 9, 1);
	rf = eval(&t, set, &o);
	f = finding_json(rf, "eu.gpai.systemic-risk");
	/* false is left out (include/flopgate/result.h) */
	ck_assert_ptr_null(json_object_get(f, "transition"));
	obs = json_object_get(f, "obligations");
	ck_assert(json_is_false(json_object_get(json_array_get(obs, 0),
						"transition")));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(obs, 1), "due")), "2025-09-01");
	json_decref(f);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- crossings in the past and in the future -------------------------- */

/* The running example: started 2026-10-05, 2.1e24 FLOP on Nov 1 and
 * 4.0e24 on Nov 15; 1e23 is crossed early in October, 1e25 late in
 * December. */
static void tr_running(test_run *t)
{
	double nov1, nov15;

	ck_assert_int_eq(fg_timestamp_parse(&nov1, "2026-11-01T00:00:00Z"), 0);
	ck_assert_int_eq(fg_timestamp_parse(&nov15, "2026-11-15T00:00:00Z"),
			 0);
	tr_init(t, "EU", NULL);
	t->run.status = FG_STATUS_RUNNING;
	t->run.start = day(2026, 10, 5);
	tr_flop(t, 1.2e25);
	tr_attr(t, "generative", "true", NULL);
	tr_attr(t, "modalities", "text", NULL);
	t->progress[0].at = nov1;
	t->progress[0].flop = 2.1e24;
	t->progress[1].at = nov15;
	t->progress[1].flop = 4.0e24;
	t->run.progress_count = 2;
	t->est.measured_flop = 4.0e24;
	t->est.flop_per_second = (4.0e24 - 2.1e24) / (nov15 - nov1);
}

START_TEST(test_crossing_before_the_as_of_date_is_reported_as_crossed)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf;
	const fg_finding *f;
	json_t *j;
	test_run t;

	tr_running(&t);
	rf = eval(&t, set, &o);
	/* 1e23 of 2.1e24 by Nov 1 from Oct 5: about a day in */
	f = find(rf, "eu.gpai.indicative");
	ck_assert_int_eq(f->projected_crossing, day(2026, 10, 6));
	ck_assert(f->crossed);
	j = finding_json(rf, "eu.gpai.indicative");
	ck_assert_str_eq(json_string_value(json_object_get(j, "crossed_on")),
			 "2026-10-06");
	/* null is left out */
	ck_assert_ptr_null(json_object_get(j, "projected_crossing"));
	json_decref(j);
	/* 1e25 lies ahead: still a projection */
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert(!f->crossed);
	ck_assert_int_gt(f->projected_crossing, day(2026, 11, 30));
	j = finding_json(rf, "eu.gpai.systemic-risk");
	ck_assert_ptr_null(json_object_get(j, "crossed_on"));
	ck_assert(json_is_string(json_object_get(j, "projected_crossing")));
	json_decref(j);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_crossing_on_the_as_of_day_is_crossed_only_when_measured)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o;
	fg_run_findings *rf;
	const fg_finding *f;
	fg_date cross;
	test_run t;

	tr_running(&t);
	/* 1e25 is extrapolated past the last point: on its own day and
	 * after it, it is still a projection, for nothing measured it */
	cross = fg_date_of_timestamp(fg_run_estimate_crossing(&t.est, 1e25));
	o = opts(cross);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->projected_crossing, cross);
	ck_assert(!f->crossed);
	fg_run_findings_free(rf);
	o = opts(cross + 1);
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->projected_crossing, cross);
	ck_assert(!f->crossed);
	fg_run_findings_free(rf);

	/* 1e23 lies within the measurements: crossed on its own day */
	o = opts(day(2026, 10, 6));
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.indicative");
	ck_assert_int_eq(f->projected_crossing, day(2026, 10, 6));
	ck_assert(f->crossed);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- JSON ------------------------------------------------------------- */

START_TEST(test_finding_json_has_the_contract_fields)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 3, 1));
	fg_run_findings *rf;
	json_t *a, *f, *ob, *facts;
	size_t i;
	test_run t;

	tr_init(&t, "EU", "US");
	tr_flop(&t, 3.8e25);
	rf = eval(&t, set, &o);
	a = fg_result_findings(rf);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(json_array_size(a), 12);
	f = NULL;
	for (i = 0; i < json_array_size(a); i++)
		if (!strcmp(json_string_value(json_object_get(
				    json_array_get(a, i), "rule")),
			    "eu.gpai.systemic-risk"))
			f = json_array_get(a, i);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(json_string_value(json_object_get(f, "outcome")),
			 "triggered");
	ck_assert_str_eq(json_string_value(json_object_get(f, "op")), ">");
	ck_assert_str_eq(json_string_value(json_object_get(f, "metric")),
			 "training_compute_flop");
	ck_assert_double_eq(json_real_value(json_object_get(f, "threshold")),
			    1e25);
	ck_assert_double_eq(json_real_value(json_object_get(f, "value")),
			    3.8e25);
	ck_assert_double_eq_tol(json_real_value(json_object_get(f,
								"headroom")),
				-2.8e25, 1e10);
	/* a declared figure has no tokens, and no waiver covers it: both
	 * null, left out; the members DESIGN.md shows are always there */
	ck_assert_ptr_null(json_object_get(f, "headroom_tokens"));
	ck_assert(json_is_true(json_object_get(f, "gate_fails")));
	ck_assert_ptr_null(json_object_get(f, "waiver"));
	ck_assert_str_eq(json_string_value(json_object_get(f, "known_since")),
			 "2026-03-01");
	ob = json_array_get(json_object_get(f, "obligations"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(ob, "id")),
			 "eu.notify-commission");
	ck_assert_str_eq(json_string_value(json_object_get(ob, "due")),
			 "2026-03-15");
	/* its period is the rule's static fact */
	ck_assert_ptr_null(json_object_get(ob, "days"));
	facts = rule_facts(set, "eu.gpai.systemic-risk");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
		json_object_get(facts, "obligations"), 0), "days")), 14);
	json_decref(facts);
	ck_assert_uint_eq(json_array_size(json_object_get(f, "conditions")),
			  1);
	/* not_applicable: the values are null, the reason says why */
	for (i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);

		if (strcmp(json_string_value(json_object_get(x, "rule")),
			   "us.eo14110.model"))
			continue;
		ck_assert_str_eq(json_string_value(json_object_get(x,
								   "outcome")),
				 "not_applicable");
		ck_assert(json_is_null(json_object_get(x, "value")));
		ck_assert_str_eq(json_string_value(json_object_get(x,
								   "reason")),
				 "revoked 2025-01-20");
	}
	json_decref(a);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- rule tests ------------------------------------------------------- */

START_TEST(test_rule_test_runner_reports_a_failing_case)
{
	static const char text[] =
		"ruleset: {id: t, title: T}\n"
		"rules:\n"
		"  - {id: r, title: T, citation: C, effective: {from: "
		"2025-01-01}, applies_to: {jurisdictions: [EU]}, when: "
		"{metric: training_compute_flop, op: '>', value: 1e25}, "
		"severity: blocking}\n"
		"tests:\n"
		"  - {name: at line, as_of: 2025-06-01, run: {jurisdictions: "
		"[EU], compute: 1e25}, expect: {r: triggered}}\n"
		"  - {name: above, as_of: 2025-06-01, run: {jurisdictions: "
		"[EU], compute: 2e25}, expect: {r: triggered}}\n";
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_rule_test_result *results;
	fg_ruleset *rs = NULL;
	size_t count, failed;
	fg_error err;

	ck_assert_int_eq(fg_ruleset_load_string(&rs, "t.yaml", text,
						strlen(text), NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_set_add(set, rs, NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_run_tests(&results, &count, &failed, rs,
					      set, &err), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_uint_eq(failed, 1);
	ck_assert(!results[0].passed);
	ck_assert_int_eq(results[0].got, FG_OUTCOME_CLEAR);
	ck_assert(results[1].passed);
	free(results);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_rule_test_runner_compares_due_dates)
{
	static const char text[] =
		"ruleset: {id: t, title: T}\n"
		"rules:\n"
		"  - id: r\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-08-02}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: training_compute_flop, op: '>', value: 1e25}\n"
		"    severity: blocking\n"
		"    transition: {placed_before: 2025-08-02, comply_by: "
		"2027-08-02, citation: Art. 111(3)}\n"
		"    obligations:\n"
		"      - {id: n, text: N, due: {days: 14, after: "
		"threshold_met_or_foreseen}}\n"
		"      - {id: s, text: S}\n"
		"tests:\n"
		"  - name: old model\n    as_of: 2026-11-30\n"
		"    run: {jurisdictions: [EU], compute: 2e25, dates: "
		"{placed_on_market: 2024-07-23}}\n"
		"    expect: {r: {outcome: triggered, due: {n: 2027-08-02, "
		"s: null}}}\n"
		"  - name: wrong date\n    as_of: 2026-11-30\n"
		"    run: {jurisdictions: [EU], compute: 2e25, dates: "
		"{placed_on_market: 2025-08-02}}\n"
		"    expect: {r: {outcome: triggered, due: {s: null, "
		"n: 2027-08-02}}}\n";
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_rule_test_result *results;
	fg_ruleset *rs = NULL;
	size_t count, failed;
	fg_error err;

	ck_assert_msg(fg_ruleset_load_string(&rs, "t.yaml", text,
					     strlen(text), NULL, &err) == 0,
		      "%d:%d: %s", err.line, err.column, err.message);
	ck_assert_int_eq(fg_ruleset_set_add(set, rs, NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_run_tests(&results, &count, &failed, rs,
					      set, &err), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_uint_eq(failed, 1);
	ck_assert(results[0].passed);
	ck_assert_ptr_null(results[0].due_mismatch);
	/* the outcome is right, the date is not: the case fails and names
	 * the obligation and what it got */
	ck_assert(!results[1].passed);
	ck_assert_int_eq(results[1].got, FG_OUTCOME_TRIGGERED);
	ck_assert_ptr_nonnull(results[1].due_mismatch);
	ck_assert_str_eq(results[1].due_mismatch->obligation_id, "n");
	ck_assert_int_eq(results[1].due_got, day(2026, 12, 14));
	ck_assert_int_eq(results[1].due_mismatch->line, 22);
	free(results);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_every_shipped_ruleset_passes_its_own_tests)
{
	fg_ruleset_set *set = shipped();
	fg_rule_test_result *results;
	size_t i, count, failed, total = 0;
	fg_error err;

	for (i = 0; i < set->count; i++) {
		ck_assert_int_eq(fg_ruleset_run_tests(&results, &count,
						      &failed,
						      set->rulesets[i], set,
						      &err), 0);
		ck_assert_msg(failed == 0, "%s: %zu failed",
			      set->rulesets[i]->id, failed);
		total += count;
		free(results);
	}
	ck_assert_uint_ge(total, 70);
	fg_ruleset_set_free(set);
}
END_TEST

/* ---- deadlines from the run's own dates (issue 8, part B) ------------- */

/* known_since and its basis of eu.gpai.systemic-risk for t, as of
 * 2026-11-30, and the notification's due date. */
static void known(test_run *t, const fg_ruleset_set *set, fg_date want,
		  const char *basis, fg_date due)
{
	fg_evaluate_options o = opts(day(2026, 11, 30));
	fg_run_findings *rf = eval(t, set, &o);
	const fg_finding *f = find(rf, "eu.gpai.systemic-risk");

	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->known_since, want);
	ck_assert_str_eq(f->known_basis, basis);
	ck_assert_int_eq(f->due[0], due);
	ck_assert_int_eq(f->duties[0].overdue, due < day(2026, 11, 30));
	fg_run_findings_free(rf);
}

START_TEST(test_known_since_is_the_earliest_day_the_run_proves)
{
	fg_ruleset_set *set = shipped();
	test_run t;

	/* a planned run with no dates: the as-of date */
	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e25);
	known(&t, set, day(2026, 11, 30), "as_of", day(2026, 12, 14));
	/* running, its plan crossing: known when training started */
	t.run.status = FG_STATUS_RUNNING;
	t.run.start = day(2026, 10, 5);
	known(&t, set, day(2026, 10, 5), "start", day(2026, 10, 19));
	/* ... unless a declared day is earlier */
	t.run.threshold_known = day(2026, 9, 1);
	known(&t, set, day(2026, 9, 1), "declared", day(2026, 9, 15));
	/* completed: by its end at the latest */
	t.run.threshold_known = FG_DATE_NONE;
	t.run.status = FG_STATUS_COMPLETED;
	t.run.start = day(2026, 1, 5);
	t.run.end = day(2026, 6, 30);
	t.run.placed_on_market = day(2026, 9, 1);
	known(&t, set, day(2026, 6, 30), "end", day(2026, 7, 14));
	/* completed with no end: by the day it was placed */
	t.run.end = FG_DATE_NONE;
	known(&t, set, day(2026, 9, 1), "placed_on_market", day(2026, 9, 15));
	/* the start of a completed run proves nothing by itself */
	t.run.placed_on_market = FG_DATE_NONE;
	known(&t, set, day(2026, 11, 30), "as_of", day(2026, 12, 14));
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_running_run_without_start_counts_from_measured_crossing)
{
	fg_ruleset_set *set = shipped();
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 1.2e25);
	t.run.status = FG_STATUS_RUNNING;
	t.progress[0].at = (double)day(2026, 11, 1) * 86400.0;
	t.progress[0].flop = 5e24;
	t.progress[1].at = (double)day(2026, 11, 21) * 86400.0;
	t.progress[1].flop = 1.1e25;
	t.run.progress_count = 2;
	t.est.measured_flop = 1.1e25;
	/* 10^25 is 5/6 of the way from 11-01 to 11-21: 2026-11-17 */
	known(&t, set, day(2026, 11, 17), "progress", day(2026, 12, 1));
	fg_ruleset_set_free(set);
}
END_TEST

/* BIS 4E091: "compliance ... not required until 120 days from date of
 * publication" (2025-05-15): the licence waits for it. */
START_TEST(test_due_not_before_a_compliance_date)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2025, 3, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "US-CA", NULL);
	tr_flop(&t, 2e26);
	tr_attr(&t, "open_weights", "false", NULL);
	rf = eval(&t, set, &o);
	f = find(rf, "us.bis.4e091");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_int_eq(f->due[0], day(2025, 5, 15));
	ck_assert(!f->duties[0].overdue);
	fg_run_findings_free(rf);
	o = opts(day(2025, 5, 13));
	rf = eval(&t, set, &o);
	f = find(rf, "us.bis.4e091");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_NOT_APPLICABLE);
	ck_assert_str_eq(f->reason, "not enforced (non-enforcement "
				    "announced) since 2025-05-13");
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* SB 53 §22757.12(c)(1): "Before, or concurrently with, deploying a new
 * frontier model" — nothing for a deployment before 2026-01-01; the
 * framework (§22757.12(a)) from the start of training, not before the
 * Act. */
START_TEST(test_sb53_report_and_framework_dates)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "US-CA", NULL);
	tr_flop(&t, 2e26);
	t.run.status = FG_STATUS_COMPLETED;
	t.run.annual_revenue_usd = 1e9;
	t.run.start = day(2025, 3, 1);
	t.run.end = day(2025, 9, 1);
	t.run.placed_on_market = day(2025, 12, 31);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ca.sb53.frontier-model");
	ck_assert_str_eq(f->rule->obligations[0].id,
			 "us-ca.transparency-report");
	ck_assert_int_eq(f->duties[0].owed, 0);
	ck_assert_int_eq(f->due[0], FG_DATE_NONE);
	ck_assert_ptr_nonnull(strstr(f->duties[0].why_not,
				     "placed before the rule took effect"));
	f = find(rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_str_eq(f->rule->obligations[0].id,
			 "us-ca.frontier-ai-framework");
	ck_assert_int_eq(f->due[0], day(2026, 1, 1));
	ck_assert(f->duties[0].overdue);
	fg_run_findings_free(rf);
	/* deployed on the day the Act took effect: reported that day; a
	 * training started later owes its framework from then */
	t.run.placed_on_market = day(2026, 1, 1);
	t.run.start = day(2026, 2, 10);
	t.run.end = day(2026, 4, 1);
	rf = eval(&t, set, &o);
	f = find(rf, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(f->duties[0].owed, 1);
	ck_assert_int_eq(f->due[0], day(2026, 1, 1));
	f = find(rf, "us-ca.sb53.large-frontier-developer");
	ck_assert_int_eq(f->due[0], day(2026, 2, 10));
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* GPAI guidelines para 67: a downstream modifier notifies the Commission
 * only when the original model has systemic risk. */
START_TEST(test_modifier_notification_owed_only_for_systemic_risk_originals)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	static const int risk[] = {1, 0, -1}, owed[] = {1, 0, -1};
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;
	json_t *j, *ob;
	size_t i;

	for (i = 0; i < 3; i++) {
		tr_init(&t, "EU", NULL);
		tr_phase(&t, FG_KIND_FINE_TUNING, 2e24, 2e24, 2e24);
		tr_base(&t, 3e24, risk[i]);
		rf = eval(&t, set, &o);
		f = find(rf, "eu.gpai.modifier");
		ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
		ck_assert_str_eq(f->rule->obligations[3].id,
				 "eu.modifier-notify-commission");
		ck_assert_int_eq(f->duties[3].owed, owed[i]);
		ck_assert_int_eq(f->due[3], owed[i] == 1 ? day(2026, 1, 29)
							 : FG_DATE_NONE);
		j = fg_result_finding(f, rf);
		ob = json_array_get(json_object_get(j, "obligations"), 3);
		if (owed[i] == 1)
			ck_assert(json_is_true(json_object_get(ob, "owed")));
		else if (owed[i] == 0)
			ck_assert(json_is_false(json_object_get(ob, "owed")));
		else
			ck_assert(json_is_null(json_object_get(ob, "owed")));
		json_decref(j);
		/* the condition is the obligation's static fact */
		j = rule_facts(set, "eu.gpai.modifier");
		ob = json_array_get(json_object_get(j, "obligations"), 3);
		ck_assert_str_eq(json_string_value(json_object_get(ob,
							"condition")),
				 "the original model has systemic risk "
				 "(base_model.systemic_risk)");
		json_decref(j);
		/* the modification's own compute is not judged by the
		 * systemic-risk line */
		ck_assert_int_eq(find(rf, "eu.gpai.systemic-risk")->outcome,
				 FG_OUTCOME_NOT_APPLICABLE);
		fg_run_findings_free(rf);
	}
	fg_ruleset_set_free(set);
}
END_TEST

/* GPAI guidelines para 22: the provider's own continued training is the
 * same model, its compute cumulative with the base model's. */
START_TEST(test_own_model_counts_the_base_models_compute)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 1, 15));
	fg_run_findings *rf;
	const fg_finding *f;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_phase(&t, FG_KIND_FINE_TUNING, 2e24, 2e24, 2e24);
	tr_base(&t, 9e24, -1);
	t.run.base_model_same_provider = 1;
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_double_eq(f->value, 1.1e25);
	ck_assert_int_eq(find(rf, "eu.gpai.modifier")->outcome,
			 FG_OUTCOME_NOT_APPLICABLE);
	fg_run_findings_free(rf);
	/* the base's compute not given: below the line on its own, the
	 * run cannot be told; over it on its own, it is triggered */
	t.run.base_model_flop = -1;
	rf = eval(&t, set, &o);
	f = find(rf, "eu.gpai.systemic-risk");
	ck_assert_int_eq(f->outcome, FG_OUTCOME_INDETERMINATE);
	ck_assert_ptr_nonnull(strstr(f->reason,
				     "base_model.training_compute_flop"));
	fg_run_findings_free(rf);
	t.pe[0].flop.low = t.pe[0].flop.central = t.pe[0].flop.high = 2e25;
	rf = eval(&t, set, &o);
	ck_assert_int_eq(find(rf, "eu.gpai.systemic-risk")->outcome,
			 FG_OUTCOME_TRIGGERED);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_a_run_placed_nowhere_is_under_no_rule)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf;
	test_run t;
	size_t i;

	tr_init(&t, "EU", NULL);
	t.run.jurisdiction_count = 0;
	tr_flop(&t, 2e26);
	rf = eval(&t, set, &o);
	for (i = 0; i < rf->count; i++) {
		ck_assert_int_eq(rf->findings[i].outcome,
				 FG_OUTCOME_NOT_APPLICABLE);
		ck_assert_ptr_nonnull(strstr(rf->findings[i].reason,
					     "run is placed on no market"));
	}
	ck_assert_uint_eq(rf->gate_failures, 0);
	fg_run_findings_free(rf);
	fg_ruleset_set_free(set);
}
END_TEST

/* The evaluator checks the vocabulary too: no caller can skip it. */
START_TEST(test_evaluate_refuses_an_undeclared_attribute)
{
	fg_ruleset_set *set = shipped();
	fg_evaluate_options o = opts(day(2026, 6, 1));
	fg_run_findings *rf = NULL;
	fg_error err;
	test_run t;

	tr_init(&t, "EU", NULL);
	tr_flop(&t, 2e26);
	tr_attr(&t, "generativ", "true", NULL);
	ck_assert_int_eq(fg_evaluate(&rf, &t.run, &t.est, set, &o, &err),
			 FG_EINPUT);
	ck_assert_ptr_null(rf);
	ck_assert_ptr_nonnull(strstr(err.message,
				     "did you mean `generative`?"));
	fg_ruleset_set_free(set);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("evaluate");
	TCase *cmp = tcase_create("compare");
	TCase *out = tcase_create("outcomes");
	TCase *mod = tcase_create("modification");
	TCase *gate = tcase_create("gate and waivers");
	TCase *due = tcase_create("deadlines");
	TCase *misc = tcase_create("json and rule tests");
	TCase *text = tcase_create("reasons");
	TCase *oom = tcase_create("out of memory");

	tcase_add_test(cmp, test_strict_greater_than_at_line);
	tcase_add_test(cmp, test_greater_or_equal_at_line);
	tcase_add_test(cmp, test_strict_less_than_at_line);
	tcase_add_test(cmp, test_less_or_equal_at_line);
	tcase_add_test(cmp, test_equal_at_line);
	tcase_add_test(cmp, test_op_holds_for_each_relation);
	tcase_add_test(out, test_run_at_exactly_1e25_is_not_presumed_systemic_risk);
	tcase_add_test(out, test_triggered_carries_figures_headroom_and_tokens);
	tcase_add_test(out, test_near_when_high_end_crosses_the_line);
	tcase_add_test(out, test_near_at_the_near_fraction_and_clear_below_it);
	tcase_add_test(out, test_counts_select_phase_kinds);
	tcase_add_test(out, test_not_applicable_outside_jurisdiction_says_where);
	tcase_add_test(out, test_not_applicable_before_effective_date_says_when);
	tcase_add_test(out, test_as_of_flips_eo14110_model);
	tcase_add_test(out, test_us_run_is_caught_by_us_ca_rule);
	tcase_add_test(out, test_indeterminate_when_revenue_unknown);
	tcase_add_test(out, test_general_purpose_presumed_and_said);
	tcase_add_test(out, test_indeterminate_when_cost_unknown_for_cost_rule);
	tcase_add_test(out, test_compound_any_and_not);
	tcase_add_test(mod, test_modification_fraction_above_and_below_one_third);
	tcase_add_test(mod, test_unknown_base_compute_uses_the_fallback_line);
	tcase_add_test(mod, test_modifier_rule_not_applicable_without_base_model);
	tcase_add_test(text, test_reasons_at_the_line_show_the_relation_as_printed);
	tcase_add_test(text, test_reasons_at_a_third_show_the_relation_as_printed);
	tcase_add_test(text, test_reasons_give_units_that_fit_the_figure);
	tcase_add_test(text, test_fallback_reason_says_what_the_run_left_unsaid);
	tcase_add_test(text, test_downstream_modification_says_what_it_counts);
	tcase_add_test(text, test_finding_names_the_figure_that_decided_it);
	tcase_add_test(text, test_any_is_decided_by_the_leaf_that_holds);
	tcase_add_test(text, test_finding_json_gives_exact_figures_and_units);
	tcase_add_test(text, test_reasons_say_what_was_assumed);
	tcase_add_test(due, test_measured_progress_past_the_line_meets_it);
	tcase_add_test(due, test_measured_progress_at_the_line_exactly);
	tcase_add_test(due, test_completed_run_known_since_its_measured_crossing);
	tcase_add_test(gate, test_gate_fail_on_near_and_never);
	tcase_add_test(gate, test_warning_rules_never_fail_the_gate);
	tcase_add_test(gate, test_valid_waiver_waives_and_passes_the_gate);
	tcase_add_test(gate, test_expired_waiver_covers_nothing_and_warns);
	tcase_add_test(gate, test_waiver_for_another_run_does_not_apply);
	tcase_add_test(gate, test_malformed_waiver_names_its_location);
	tcase_add_test(due, test_due_date_counts_from_as_of_when_nothing_earlier);
	tcase_add_test(due, test_threshold_known_earlier_than_as_of_moves_deadline);
	tcase_add_test(due, test_first_recorded_evaluation_earlier_wins);
	tcase_add_test(due, test_first_recorded_error_fails_the_evaluation);
	tcase_add_test(oom, test_documents_out_of_memory_are_null);
	tcase_add_test(due, test_deadline_never_before_the_law_applies);
	tcase_add_test(due, test_running_run_projects_its_crossing);
	tcase_add_test(due, test_progress_past_the_line_sets_known_since);
	tcase_add_test(due, test_model_placed_before_2025_08_02_complies_by_2027_08_02);
	tcase_add_test(due, test_model_placed_on_2025_08_02_gets_no_transition);
	tcase_add_test(due, test_transition_never_shortens_a_later_deadline);
	tcase_add_test(due, test_no_transition_without_placement_date_or_trigger);
	tcase_add_test(due, test_known_since_is_the_earliest_day_the_run_proves);
	tcase_add_test(due,
		       test_running_run_without_start_counts_from_measured_crossing);
	tcase_add_test(due, test_due_not_before_a_compliance_date);
	tcase_add_test(due, test_sb53_report_and_framework_dates);
	tcase_add_test(mod,
		       test_modifier_notification_owed_only_for_systemic_risk_originals);
	tcase_add_test(mod, test_own_model_counts_the_base_models_compute);
	tcase_add_test(out, test_a_run_placed_nowhere_is_under_no_rule);
	tcase_add_test(out, test_evaluate_refuses_an_undeclared_attribute);
	tcase_add_test(due, test_transition_reaches_every_kind_of_dated_obligation);
	tcase_add_test(due, test_finding_json_names_the_transition);
	tcase_add_test(due, test_crossing_before_the_as_of_date_is_reported_as_crossed);
	tcase_add_test(due, test_crossing_on_the_as_of_day_is_crossed_only_when_measured);
	tcase_add_test(misc, test_finding_json_has_the_contract_fields);
	tcase_add_test(misc, test_rule_test_runner_reports_a_failing_case);
	tcase_add_test(misc, test_rule_test_runner_compares_due_dates);
	tcase_add_test(misc, test_every_shipped_ruleset_passes_its_own_tests);
	suite_add_tcase(s, cmp);
	suite_add_tcase(s, out);
	suite_add_tcase(s, mod);
	suite_add_tcase(s, gate);
	suite_add_tcase(s, due);
	suite_add_tcase(s, misc);
	suite_add_tcase(s, text);
	/* failing every allocation in turn is quadratic in the document's
	 * allocations: seconds under ASan on a busy machine, past Check's
	 * default 4 s */
	tcase_set_timeout(oom, 60);
	suite_add_tcase(s, oom);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
