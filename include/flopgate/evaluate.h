/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — evaluating a run against rulesets: findings and the gate.
 *
 * For each rule of each ruleset a finding with one outcome:
 *   not_applicable  the run is not placed in the rule's jurisdictions, or
 *                   the rule is not in force on the as-of date
 *   indeterminate   a metric the condition needs is unknown (revenue,
 *                   cost, cluster size, an attribute)
 *   triggered       the condition holds on the central estimate
 *   near            it holds with every compute metric at the high end of
 *                   its range, or with every compute leaf at or above
 *                   `near` x its line (other leaves on central values)
 *   clear           none of these
 *   waived          triggered or near, and covered by a valid waiver
 * Conditions use three-valued logic: an unknown leaf makes `all` unknown
 * only when no other leaf is false (and `any` only when none is true).
 *
 * Rules apply where the run is placed (jurisdictions, in both directions:
 * flopgate/jurisdiction.h), while they are in force, and within their
 * `scope` conditions; otherwise the finding is not_applicable with the
 * reason.  A run placed nowhere (jurisdictions: []) gets not_applicable
 * everywhere, and says so.
 *
 * A triggered (or waived) finding's obligations fall due `days` after the
 * day the line was met or known to be (AI Act Art. 52(1): "after that
 * requirement is met or it becomes known that it will be met").  That day,
 * known_since, is the earliest the run's own facts prove, with its basis:
 *   declared          dates.threshold_known
 *   progress          the day measured progress crossed the line (a
 *                     running or a completed run whose measured points
 *                     pass it; the day interpolated between them)
 *   start             a running run whose plan crosses: dates.start (the
 *                     plan was known when training began; GPAI
 *                     guidelines para 30) — its plan, not a crossing
 *                     that only its measured progress shows
 *   end               a completed run: dates.end, the latest the line can
 *                     have been met
 *   placed_on_market  a completed run without dates.end: the day it was
 *                     placed (it was trained by then)
 *   recorded          the first recorded evaluation in which the rule
 *                     triggered for the run
 *   as_of             none of these (a planned run): this evaluation's
 *                     as-of date
 * Then the law's calendar: no duty falls due before the rule's
 * effective.from (GPAI guidelines para 112: notify within two weeks after
 * 2025-08-02), nor before the obligation's due.not_before; when the
 * rule's `transition` covers the run (placed on the market before
 * transition.placed_before), every dated obligation is due no earlier than
 * transition.comply_by (AI Act Art. 111(3)) — and after that day it is
 * overdue since then, never re-dated.  A duty counted from placing on the
 * market is not owed for a placement before the rule took effect unless a
 * transition reaches back to it (SB 53 §22757.12(c): "Before, or
 * concurrently with, deploying a new frontier model").  An obligation
 * with its own `when` is owed only when that holds.  A due date before the
 * as-of date is overdue.
 *
 * Every figure is held against its line exactly (include/flopgate/
 * exact.h, fg_op_holds in rules.h): sums over phases, ratios to a base
 * model, near x the line, the ends of ranges.  A finding records the
 * relation that actually holds between its deciding figure and the line
 * (`relation`), so that whatever renders it never has to compare the
 * rounded doubles again.
 *
 * Measured progress is compute already used: the figure a compute line
 * is held against is never below it (include/flopgate/estimate.h), so a
 * run planned below a line that has measured past it is triggered (AI
 * Act Art. 52(1): the requirement "is met"; SB 53 §22757.11(i):
 * "trained using"; Korea: "or more").  The day progress crosses a line
 * is interpolated between the points, or extrapolated at the recent rate
 * beyond the last one for a running run: a crossing that a measured point
 * shows, on or before the as-of date, is reported as crossed; an
 * extrapolated one stays a projection, whatever its day.
 */
#ifndef FLOPGATE_EVALUATE_H
#define FLOPGATE_EVALUATE_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/rules.h"
#include "flopgate/waiver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { FG_FAIL_ON_TRIGGERED, FG_FAIL_ON_NEAR, FG_FAIL_ON_NEVER }
	fg_fail_on;
FG_API const char *fg_fail_on_name(fg_fail_on fail_on);
FG_API int fg_fail_on_parse(fg_fail_on *out, const char *name);

/* Returns 1 and sets *out when the audit store holds an earlier evaluation
 * in which rule_id triggered for run_id (its as-of date), 0 when it holds
 * none, or a negative FG_E* code with err filled when the store cannot
 * say (fg_evaluate then fails with that error: a deadline must never move
 * later because a look-up failed). */
typedef int (*fg_first_recorded_fn)(void *ctx, const char *run_id,
				    const char *rule_id, fg_date *out,
				    fg_error *err);

typedef struct fg_evaluate_options {
	fg_date as_of;
	fg_fail_on fail_on;
	const fg_waiver_list *waivers;       /* may be NULL */
	fg_first_recorded_fn first_recorded; /* NULL when there is no store */
	void *first_recorded_ctx;
} fg_evaluate_options;

/* One leaf of a rule's condition as evaluated (for --explain). */
typedef struct fg_leaf_result {
	const fg_condition *condition;
	int is_attribute;
	fg_metric metric;           /* metric leaves; the fallback metric
				     * when a fallback line was used */
	fg_op op;
	double threshold;
	int known;                  /* 0: the value is unknown */
	double value, low, high;    /* metric leaves */
	fg_relation relation;       /* known metric leaves: value against
				     * threshold, exactly */
	struct {                    /* metric leaves, exactly; owned; value
				     * NULL when unknown */
		fg_exact *value, *threshold;
	} exact;
	char *attribute_values;     /* attribute leaves: "text, image";
				     * owned; NULL when the run has none */
	int holds;                  /* 1, 0, or -1 unknown (central) */
} fg_leaf_result;

/* Whether an obligation of a triggered (or waived) finding is owed. */
typedef struct fg_duty {
	int owed;                   /* 1 owed, 0 not owed, -1 cannot be told
				     * (its `when` needs a figure the run does
				     * not give); 0 for findings that are
				     * not triggered or waived */
	const char *why_not;        /* when owed is not 1: the obligation's
				     * when_text or a static sentence;
				     * borrowed */
	int overdue;                /* its due date is before the as-of
				     * date */
} fg_duty;

typedef struct fg_finding {
	const fg_rule *rule;        /* borrowed from the ruleset set */
	fg_outcome outcome;
	char *reason;               /* owned sentence: why this outcome.
				     * Every relation in it is written by
				     * fg_figure_relation (figure.h), so it
				     * holds between the figures as
				     * printed, each with its unit */
	/* the deciding comparison: the metric leaf whose value decided the
	 * outcome — the one that failed for a clear rule (SB 53's large
	 * frontier developer with revenue of exactly $500M: the revenue),
	 * the rule's first compute leaf when it is among those that
	 * decided.  has_comparison is 0 for not_applicable and
	 * indeterminate findings and for rules with no metric leaf */
	const fg_condition *condition; /* that leaf, borrowed; NULL when
					* the rule has no metric leaf */
	int has_comparison;
	fg_metric metric;
	fg_op op;
	double threshold, value, low, high;
	/* what holds between value and threshold, decided exactly (10^25
	 * against "> 10^25" is FG_REL_AT): a renderer prints this, never
	 * the rule's op, as the relation of the two figures */
	fg_relation relation;
	struct {                    /* value, threshold and the range's
				     * ends exactly (when has_comparison);
				     * owned */
		fg_exact *value, *threshold, *low, *high;
	} exact;
	/* The figure that decided the outcome: "central" (the central
	 * estimate), "high" or "low" (the end of the range that reaches the
	 * line, for a near finding); NULL without a comparison.  Static. */
	const char *decided_by;
	/* threshold - value; for compute metrics in FLOP (for
	 * modification_fraction: the modification FLOP left before the
	 * line), else in the metric's unit.  Negative past the line. */
	double headroom;
	int has_headroom_tokens;
	double headroom_tokens;     /* headroom / flop_per_token */
	fg_leaf_result *leaves;
	size_t leaf_count;
	fg_date known_since;        /* FG_DATE_NONE unless triggered/waived */
	const char *known_basis;    /* "declared" | "progress" | "start" |
				     * "end" | "placed_on_market" |
				     * "recorded" | "as_of" | NULL; static */
	fg_date projected_crossing; /* runs with progress: the day it
				     * crosses (or crossed) the line of the
				     * deciding leaf; FG_DATE_NONE
				     * otherwise */
	int crossed;                /* 1: measured progress passed the line
				     * and projected_crossing is not after
				     * the as-of date: the line was crossed
				     * on that day */
	fg_date *due;               /* per rule obligation; FG_DATE_NONE
				     * when unknown or not owed */
	/* The rule's transition when it covers the run and the finding has
	 * due dates (triggered or waived); NULL otherwise.  Borrowed. */
	const fg_transition *transition;
	unsigned char *due_by_transition; /* per obligation: 1 when due is
					   * transition->comply_by */
	fg_duty *duties;            /* per rule obligation */
	/* attribute and field names a `missing: presumed` leaf presumed
	 * (borrowed from the rule's conditions) */
	const char **presumed;
	size_t presumed_count;
	const fg_waiver *waiver;    /* valid waiver applied, or NULL */
	const fg_waiver *expired_waiver; /* an expired one naming it */
	int gate_fails;
} fg_finding;

typedef struct fg_run_findings {
	const fg_run *run;              /* borrowed */
	const fg_run_estimate *estimate; /* borrowed */
	fg_date as_of;
	fg_fail_on fail_on;
	fg_finding *findings;           /* one per rule, in set order */
	size_t count;
	char **warnings;                /* owned: expired waivers,
					 * jurisdiction codes that look like
					 * a slip */
	size_t warning_count;
	size_t gate_failures;
} fg_run_findings;

/* Evaluates one run (estimate->run must be run) against every rule of
 * set.  The run is first checked against the set's vocabulary
 * (fg_ruleset_set_check_run): an attribute no loaded ruleset declares is
 * FG_EINPUT with its location.  On error *out is NULL (that, out of
 * memory, or a run/estimate mismatch). */
FG_API int fg_evaluate(fg_run_findings **out, const fg_run *run,
		       const fg_run_estimate *estimate,
		       const fg_ruleset_set *set,
		       const fg_evaluate_options *options, fg_error *err);
FG_API void fg_run_findings_free(fg_run_findings *findings);

/* 1 when a finding of this rule with this outcome fails the gate:
 * blocking severity and an outcome at or above fail_on. */
FG_API int fg_gate_fails(const fg_rule *rule, fg_outcome outcome,
			 fg_fail_on fail_on);

/* ---- rule tests ------------------------------------------------------- */

typedef struct fg_rule_test_result {
	const fg_rule_test *test;
	const fg_rule_expect *expect;
	fg_outcome got;
	int found;                  /* 0: the expected rule is not in set */
	/* the first expected due date that did not match, and what the
	 * finding gave instead (FG_DATE_NONE: no date); NULL when all did */
	const fg_due_expect *due_mismatch;
	fg_date due_got;
	/* likewise the first expected `owed` that did not match */
	const fg_owed_expect *owed_mismatch;
	int owed_got;
	int passed;                 /* outcome, every due date and every
				     * owed match */
} fg_rule_test_result;

/* Runs every test case of ruleset against set (which must hold ruleset's
 * rules; other rulesets' rules are evaluated too but only expectations
 * are compared).  *out gets one result per expectation (caller frees
 * with free()); *failed how many failed. */
FG_API int fg_ruleset_run_tests(fg_rule_test_result **out, size_t *count,
				size_t *failed, const fg_ruleset *ruleset,
				const fg_ruleset_set *set, fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
