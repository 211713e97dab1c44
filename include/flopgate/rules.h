/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — rulesets: legal compute lines as data.
 *
 * One YAML file per legal instrument (DESIGN.md § Rulesets):
 *
 *   ruleset: {id, title, jurisdiction, version, source}
 *   attributes:                          (the run attributes its rules
 *     KEY: {type: boolean | one_of | list_of,   read: its vocabulary)
 *           values: [..] (one_of, list_of), text: TEXT}
 *   rules:
 *     - id, title, citation
 *       assumes: TEXT                    (optional: what the rule reads
 *                                        into its text where the text
 *                                        does not settle it; every
 *                                        finding that compares a figure
 *                                        says it)
 *       effective: {from: DATE, until: DATE, ended: revoked}
 *       applies_to: {jurisdictions: [EU],
 *                    scope: [{when: CONDITION, otherwise: TEXT}]}
 *       when: CONDITION
 *       near: 0.5                        (optional, 0 < near < 1)
 *       severity: blocking | warning | info
 *       obligations: [{id, text, citation, due: DUE,
 *                      when: CONDITION, when_text: TEXT}]
 *       transition: {placed_before: DATE, comply_by: DATE,
 *                    citation: TEXT}     (optional)
 *   tests: [{name, as_of, run: TEST-RUN, expect: {RULE-ID: EXPECT}}]
 *
 * DUE is {days, after, not_before: DATE}: `days` after the event `after`
 * names, but never before `not_before` (a compliance date: BIS's 4E091
 * licence from 2025-05-15; an audit "from 2028-01-01 or 90 days after
 * qualifying, whichever is later").
 *
 * `attributes` is the ruleset's vocabulary.  Every attribute a condition
 * reads must be declared there, with the values it may take; a run is
 * checked against the union of the loaded rulesets' declarations
 * (fg_ruleset_set_check_run), so a misspelt key or value is refused
 * instead of silently failing to match.  Two rulesets that declare one
 * key must agree on its type.  Keys beginning with "x-" are reserved for
 * a team's own information and cannot be declared.
 *
 * `scope` narrows where a rule applies beyond jurisdictions and dates:
 * when a scope condition does not hold the rule is not_applicable, and
 * `otherwise` is the reason given ("not a general-purpose AI model").
 *
 * An obligation's `when` is a condition of the duty itself (the law
 * conditions it: Art. 52 notification by a downstream modifier only when
 * the original model has systemic risk; Art. 54 only for providers
 * established outside the Union); `when_text` says it in words.  When it
 * does not hold, the obligation is not owed and has no due date.
 *
 * EXPECT is an outcome, or {outcome: OUTCOME, due: {OBLIGATION-ID: DATE |
 * null}, owed: {OBLIGATION-ID: true | false | unknown}} to check the due
 * dates (null: no date is owed or known) and whether each obligation is
 * owed under its own condition.
 *
 * CONDITION is {all: [..]}, {any: [..]}, {not: CONDITION}, a metric leaf
 * {metric, op, value, counts: [phase kinds], fallback: {..}}, an
 * attribute leaf {attribute, equals: X | in: [..], missing: M}, or a
 * run-field leaf {field, equals | in, missing: M} reading what a run file
 * says outside `attributes`:
 *   base_model.systemic_risk   true/false; unknown when not given
 *   base_model.other_provider  true when the run modifies another
 *                              provider's model (a downstream
 *                              modification), false otherwise
 *   organization.established_in  a jurisdiction code; `in: [EU]` holds
 *                              for any member state (coverage as in
 *                              fg_jurisdiction_covers)
 * M says what a run that does not give the value gets: unknown (the
 * default; the rule may become indeterminate), false, or presumed (the
 * leaf holds, and the finding says what was presumed, so a reader knows
 * what to declare).
 *
 * `until` is the first day a rule is no longer in force (the day of the
 * revocation); `ended` names how it ended (revoked, rescinded, repealed,
 * superseded, expired) for the reason a finding gives.
 *
 * `transition` gives what was already on the market when a rule began to
 * apply time to comply (AI Act Art. 111(3): GPAI models "placed on the
 * market before 2 August 2025 shall take the necessary steps in order to
 * comply ... by 2 August 2027"): for a run whose dates.placed_on_market is
 * before placed_before, every obligation that has a date is due no earlier
 * than comply_by.  It only ever adds time: an ordinary due date later than
 * comply_by stands.  It is per rule, not per ruleset, because one
 * instrument sets different transitions for different duties (AI Act Art.
 * 111(1)-(3)) and each rule cites its own.
 *
 * `fallback` is only for modification_fraction: Commission GPAI guidelines
 * para 61 replace "a third of the original's compute" by fixed
 * modification_compute_flop lines when the original's compute is unknown:
 *   fallback: {systemic_risk: 1e25/3, other: 1e23/3}
 * (`systemic_risk` when the base model has systemic risk, `other` when it
 * has not or when that is unknown — the lower, stricter line).
 *
 * Lines are exact.  A `value`, a fallback line and `near` are read as the
 * rational number written (include/flopgate/quantity.h), and may be a
 * fraction with a plain decimal denominator, so a ruleset writes a third
 * of a line as a third and not as a decimal near it:
 *   value: 1/3            (modification_fraction: "a third")
 *   fallback: {systemic_risk: 1e25/3, other: 10^23/3}
 * Every figure a line is held against is exact too (include/flopgate/
 * exact.h), and the comparison is made exactly, by fg_op_holds below.
 *
 * TEST-RUN is a compact run for rule tests, with no estimator needed:
 *   {jurisdictions: [EU], status: planned,
 *    compute: 1.2e25 | [low, central, high] | {pretraining: .., rl: ..},
 *    cost_usd, cluster_peak_flops, annual_revenue_usd, established_in,
 *    flop_per_token, attributes: {..},
 *    base_model: {training_compute_flop, systemic_risk, same_provider},
 *    dates: {start, end, threshold_known, placed_on_market},
 *    progress: [{at: TIMESTAMP, flop: N}, ..]}   (status: running)
 * `established_in` stands for organization.established_in.  Test-run
 * attributes are checked against the ruleset's own `attributes`.
 * Its figures are exact as a run file's: a compute map of several phase
 * kinds sums exactly ({pretraining: 8.9e25, fine_tuning: 1.1e25} is
 * 10^26), and base_model.training_compute_flop makes an exact ratio with
 * the modification, so a case can sit exactly at a line.
 *
 * Loading never stops at the first problem: every problem in a file is
 * collected (FILE:LINE:COL each) so that `rules lint` reports them all in
 * one pass.  The structs are read-only views owned by their set.
 */
#ifndef FLOPGATE_RULES_H
#define FLOPGATE_RULES_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/exact.h"
#include "flopgate/figure.h"
#include "flopgate/quantity.h"
#include "flopgate/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- operators: the one comparison every legal line goes through ---- */

typedef enum { FG_OP_GT, FG_OP_GE, FG_OP_LT, FG_OP_LE, FG_OP_EQ } fg_op;

/* ">", ">=", "<", "<=", "==". */
FG_API const char *fg_op_name(fg_op op);
/* 0 and *out set, or FG_ENOTFOUND. */
FG_API int fg_op_parse(fg_op *out, const char *text);

/* The relation that holds between a figure and a line, found exactly:
 * the figure is below (-1), at (0) or above (1) the line. */
typedef enum { FG_REL_BELOW = -1, FG_REL_AT = 0, FG_REL_ABOVE = 1 }
	fg_relation;
/* "<", "==", ">": the relation as an operator that holds. */
FG_API const char *fg_relation_name(fg_relation relation);

/* 1 when a figure standing in `relation` to a line satisfies `op`, else
 * 0.  The one place the operators mean anything: every comparison of a
 * run against a legal line comes here, so "greater than" (AI Act Art.
 * 51(2), EO 14110, SB 53, RAISE) and "or more" (Korea) cannot be
 * confused. */
FG_API int fg_op_holds(fg_op op, fg_relation relation);

/* 1 when `value op line` holds, exactly (fg_op_holds on the exact
 * relation); *relation (may be NULL) gets that relation. */
FG_API int fg_compare(const fg_exact *value, fg_op op, const fg_exact *line,
		      fg_relation *relation);

/* ---- metrics ---------------------------------------------------------- */

typedef enum {
	FG_METRIC_TRAINING_COMPUTE,      /* training_compute_flop */
	FG_METRIC_MODIFICATION_COMPUTE,  /* modification_compute_flop */
	FG_METRIC_MODIFICATION_FRACTION, /* modification_fraction */
	FG_METRIC_TRAINING_COST,         /* training_cost_usd */
	FG_METRIC_CLUSTER_PEAK,          /* cluster_peak_flops: the largest
					  * cluster x the chip's highest
					  * dense peak over its number
					  * formats (INT8, FP8, ...) */
	FG_METRIC_ANNUAL_REVENUE,        /* organization.annual_revenue_usd */
	FG_METRIC_COUNT
} fg_metric;

FG_API const char *fg_metric_name(fg_metric metric);
FG_API int fg_metric_parse(fg_metric *out, const char *name);
/* 1 for the metrics measured in FLOP of training, which carry an
 * uncertainty range and whose headroom is counted in FLOP (and tokens). */
FG_API int fg_metric_is_compute(fg_metric metric);
/* The unit of a metric's values and lines, the one place it is said:
 * FLOP for training and modification compute, op/s for the cluster's
 * capacity (EO 14110 §4.2(b)(ii): "integer or floating-point operations
 * per second"), USD for cost and revenue, a fraction for
 * modification_fraction. */
FG_API fg_unit fg_metric_unit(fg_metric metric);
/* The unit of a finding's headroom on a metric: as fg_metric_unit, but
 * FLOP for modification_fraction, whose headroom is the modification
 * compute left before the line (fg_finding.headroom). */
FG_API fg_unit fg_metric_headroom_unit(fg_metric metric);

/* ---- conditions ------------------------------------------------------- */

typedef enum {
	FG_COND_ALL, FG_COND_ANY, FG_COND_NOT, FG_COND_METRIC,
	FG_COND_ATTRIBUTE
} fg_cond_type;

/* How an attribute leaf treats a run that does not carry the attribute. */
typedef enum { FG_MISSING_UNKNOWN, FG_MISSING_FALSE, FG_MISSING_PRESUMED }
	fg_missing;

/* The run fields a condition may read besides attributes. */
typedef enum {
	FG_FIELD_NONE,                  /* an attribute leaf */
	FG_FIELD_BASE_SYSTEMIC_RISK,    /* base_model.systemic_risk */
	FG_FIELD_BASE_OTHER_PROVIDER,   /* base_model.other_provider */
	FG_FIELD_ESTABLISHED_IN,        /* organization.established_in */
	FG_FIELD_COUNT
} fg_field;
/* "base_model.systemic_risk", ...; NULL for FG_FIELD_NONE. */
FG_API const char *fg_field_name(fg_field field);

/* ---- vocabulary: the attributes a ruleset reads ----------------------- */

typedef enum { FG_ATTR_BOOLEAN, FG_ATTR_ONE_OF, FG_ATTR_LIST_OF }
	fg_attr_type;
/* "boolean", "one_of", "list_of". */
FG_API const char *fg_attr_type_name(fg_attr_type type);

typedef struct fg_attribute_decl {
	char *key;
	fg_attr_type type;
	char **values;              /* one_of, list_of; "true", "false" for
				     * boolean */
	size_t value_count;
	char *text;                 /* what it means; may be NULL */
	int line, column;
} fg_attribute_decl;

typedef struct fg_condition fg_condition;
struct fg_condition {
	fg_cond_type type;
	int line, column;
	/* all / any / not (not: exactly one child) */
	fg_condition *children;
	size_t child_count;
	/* metric leaf */
	fg_metric metric;
	fg_op op;
	double value;
	unsigned counts;            /* FG_KIND_BIT mask; FG_KIND_ALL default */
	double fallback_systemic_risk; /* < 0 when not given */
	double fallback_other;         /* < 0 when not given */
	struct {                    /* the lines exactly as written; owned;
				     * NULL where the double is < 0 */
		fg_exact *value, *fallback_systemic_risk, *fallback_other;
	} exact;
	/* attribute and run-field leaves: hold when any of the run's values
	 * is in values[]; attribute is the key or the field's name */
	char *attribute;
	fg_field field;
	char **values;
	size_t value_count;
	fg_missing missing;
};

/* ---- rules ------------------------------------------------------------ */

typedef enum { FG_SEVERITY_BLOCKING, FG_SEVERITY_WARNING, FG_SEVERITY_INFO }
	fg_severity;
FG_API const char *fg_severity_name(fg_severity severity);

/* What an obligation's deadline counts from. */
typedef enum {
	/* the line was met or it became known that it will be (Art. 52(1)) */
	FG_AFTER_THRESHOLD_MET_OR_FORESEEN,
	/* dates.placed_on_market; the due date is unknown without it */
	FG_AFTER_PLACED_ON_MARKET,
	/* the rule's effective.from (transitional duties) */
	FG_AFTER_EFFECTIVE_FROM,
	/* an event the run file cannot know of (a safety incident): the
	 * period is reported, the date is null */
	FG_AFTER_INCIDENT,
	/* likewise, counted from discovering the incident (SB 53
	 * §22757.13(c): "within 15 days of discovering") */
	FG_AFTER_INCIDENT_DISCOVERED,
	/* the day training began (dates.start), for duties of whoever "has
	 * trained, or initiated the training of" a model (SB 53
	 * §22757.11(h)); threshold_met_or_foreseen's day when the run gives
	 * no start; never before effective.from */
	FG_AFTER_TRAINING_STARTED
} fg_due_after;
FG_API const char *fg_due_after_name(fg_due_after after);

typedef struct fg_obligation {
	char *id, *text, *citation;   /* citation may be NULL */
	int has_due;
	int due_days;
	fg_due_after due_after;
	fg_date not_before;         /* FG_DATE_NONE when not given */
	fg_condition *when;         /* NULL: owed whenever the rule
				     * triggers */
	char *when_text;            /* set with when */
	int line, column;
} fg_obligation;

/* A scope condition of a rule: outside it the rule does not apply. */
typedef struct fg_scope {
	fg_condition when;
	char *otherwise;            /* the not_applicable reason */
} fg_scope;

/* A transitional period (see `transition` above). */
typedef struct fg_transition {
	fg_date placed_before;      /* FG_DATE_NONE: the rule has none;
				     * "before" is strict */
	fg_date comply_by;          /* after placed_before */
	char *citation;             /* required: "Art. 111(3)" */
	int line, column;
} fg_transition;

typedef struct fg_ruleset fg_ruleset;

typedef struct fg_rule {
	char *id, *title, *citation;
	char *assumes;              /* what the rule reads into its text
				     * where the text does not settle it;
				     * NULL when nothing */
	const fg_ruleset *ruleset;  /* the file it came from */
	fg_date effective_from;
	fg_date effective_until;    /* FG_DATE_NONE while in force */
	char *ended;                /* "revoked", ... ; NULL when not given */
	char **jurisdictions;
	size_t jurisdiction_count;
	fg_scope *scope;
	size_t scope_count;
	fg_condition when;
	double near;                /* 0 when not given */
	struct {
		fg_exact *near;         /* exactly as written; NULL when 0 */
	} exact;
	fg_severity severity;
	fg_obligation *obligations;
	size_t obligation_count;
	fg_transition transition;
	int line, column;
} fg_rule;

/* ---- rule tests (the ruleset's own `tests:`) -------------------------- */

typedef enum {
	FG_OUTCOME_CLEAR, FG_OUTCOME_NEAR, FG_OUTCOME_TRIGGERED,
	FG_OUTCOME_NOT_APPLICABLE, FG_OUTCOME_INDETERMINATE, FG_OUTCOME_WAIVED,
	FG_OUTCOME_COUNT
} fg_outcome;
/* "clear", "near", "triggered", "not_applicable", "indeterminate",
 * "waived". */
FG_API const char *fg_outcome_name(fg_outcome outcome);
FG_API int fg_outcome_parse(fg_outcome *out, const char *name);

/* An expected due date of one obligation of the expected rule. */
typedef struct fg_due_expect {
	char *obligation_id;
	fg_date due;                /* FG_DATE_NONE: expects no date */
	int line, column;
} fg_due_expect;

/* Whether one obligation of the expected rule is owed: 1, 0, or -1
 * (cannot be told; written `unknown`). */
typedef struct fg_owed_expect {
	char *obligation_id;
	int owed;
	int line, column;
} fg_owed_expect;

typedef struct fg_rule_expect {
	char *rule_id;
	fg_outcome outcome;
	fg_due_expect *due;         /* may be empty */
	size_t due_count;
	fg_owed_expect *owed;       /* may be empty */
	size_t owed_count;
	int line, column;
} fg_rule_expect;

typedef struct fg_rule_test {
	char *name;
	fg_date as_of;
	fg_run *run;                /* built from the compact form; owned */
	fg_run_estimate *estimate;  /* likewise (not from the estimator) */
	fg_rule_expect *expects;
	size_t expect_count;
	int line, column;
} fg_rule_test;

/* ---- rulesets --------------------------------------------------------- */

struct fg_ruleset {
	char *id, *title, *jurisdiction, *version, *source; /* may be NULL
							      * but id */
	char *file;                 /* path it was loaded from */
	int id_line, id_column;     /* of the id's value */
	char *text;                 /* the exact file text (NUL-terminated) */
	size_t length;
	char sha256[65];            /* hex SHA-256 of text */
	fg_attribute_decl *attributes;  /* the vocabulary its rules read */
	size_t attribute_count;
	fg_rule *rules;
	size_t rule_count;
	fg_rule_test *tests;
	size_t test_count;
};

/* A list of problems, each an fg_error with FILE:LINE:COL. */
typedef struct fg_diagnostics {
	fg_error *items;
	size_t count, capacity;
} fg_diagnostics;
FG_API void fg_diagnostics_free(fg_diagnostics *diags); /* frees items only */

/* Loads one ruleset file.  Every problem found is appended to diags (may
 * be NULL); err gets the first.  On error *out is NULL. */
FG_API int fg_ruleset_load(fg_ruleset **out, const char *path,
			   fg_diagnostics *diags, fg_error *err);
/* Same from memory; name stands for the file in errors. */
FG_API int fg_ruleset_load_string(fg_ruleset **out, const char *name,
				  const char *text, size_t length,
				  fg_diagnostics *diags, fg_error *err);
FG_API void fg_ruleset_free(fg_ruleset *ruleset);

/* For fg_ruleset_load_flags and fg_ruleset_set_add_path_flags: build no
 * tests (test_count 0).  What an evaluation needs is the rules; a
 * ruleset's own `tests:` are what `rules test` runs and `rules lint`
 * checks.  When `tests:` is the file's last key (as in every ruleset
 * shipped), its text is not even parsed: a problem inside it is then not
 * an error here -- it is for `rules lint` and `rules test`, which load
 * the whole file.  The ruleset's text and sha256 are the whole file's,
 * as always. */
#define FG_RULESET_SKIP_TESTS 0x1
/* fg_ruleset_load with flags (0 is fg_ruleset_load). */
FG_API int fg_ruleset_load_flags(fg_ruleset **out, const char *path,
				 int flags, fg_diagnostics *diags,
				 fg_error *err);

/* The rulesets a command evaluates against. */
typedef struct fg_ruleset_set {
	fg_ruleset **rulesets;
	size_t count;
} fg_ruleset_set;

FG_API fg_ruleset_set *fg_ruleset_set_new(void);  /* NULL when out of memory */
FG_API void fg_ruleset_set_free(fg_ruleset_set *set);

/* Adds a file, or every *.yaml of a directory (sorted; not recursive, so
 * rules/provisional/ is left out; hardware.yaml, the accelerator catalog,
 * is skipped).  A rule id already in the set is an error naming both
 * places.  Problems go to diags (may be NULL) and the first to err; on
 * error the set keeps what loaded cleanly. */
FG_API int fg_ruleset_set_add_path(fg_ruleset_set *set, const char *path,
				   fg_diagnostics *diags, fg_error *err);

/* fg_ruleset_set_add_path with flags (FG_RULESET_SKIP_TESTS). */
FG_API int fg_ruleset_set_add_path_flags(fg_ruleset_set *set,
					 const char *path, int flags,
					 fg_diagnostics *diags, fg_error *err);

/* Takes ownership of ruleset (freed on error too).  Fails on a rule id
 * already in the set. */
FG_API int fg_ruleset_set_add(fg_ruleset_set *set, fg_ruleset *ruleset,
			      fg_diagnostics *diags, fg_error *err);

/* Checks a run against the vocabulary of the set (the union of its
 * rulesets' `attributes`): every attribute key must be declared by some
 * ruleset or begin with "x-", a boolean must be true or false and single,
 * a one_of attribute one declared value, a list_of attribute declared
 * values.  Returns 0, or FG_EINPUT with err at the offending key or value
 * (FILE:LINE:COL, with the nearest declared key or value: "did you
 * mean").  Every command that loads runs refuses them the same way
 * because they all call this (fg_evaluate does too). */
FG_API int fg_ruleset_set_check_run(const fg_ruleset_set *set,
				    const fg_run *run, fg_error *err);

/* Warnings about where the run is placed: a valid code that no rule of
 * the set covers but that is one edit from a code a rule names ("CA",
 * Canada, beside "US-CA"; "KP" beside "KR").  *out is an array of owned
 * strings (free each and the array); NULL and 0 when there is nothing
 * to say.  Returns 0 or FG_ENOMEM. */
FG_API int fg_ruleset_set_scope_warnings(const fg_ruleset_set *set,
					 const fg_run *run, char ***out,
					 size_t *count);

/* The declaration of key in set (the first ruleset's), NULL when none. */
FG_API const fg_attribute_decl *
fg_ruleset_set_attribute(const fg_ruleset_set *set, const char *key);

/* The rule with this id, NULL when none. */
FG_API const fg_rule *fg_ruleset_set_find(const fg_ruleset_set *set,
					  const char *rule_id);

/* 1 when the rule is in force on date (effective_from <= date <
 * effective_until). */
FG_API int fg_rule_in_force(const fg_rule *rule, fg_date date);

/* 1 when rule has a transition and run was placed on the market (its
 * dates.placed_on_market) strictly before transition.placed_before; 0
 * when not, or when the run does not say when it was placed. */
FG_API int fg_rule_transition_applies(const fg_rule *rule, const fg_run *run);

/* The metric leaf a finding reports as its deciding comparison: the first
 * compute leaf in document order, else the first metric leaf; NULL when
 * the condition has none. */
FG_API const fg_condition *fg_rule_primary_leaf(const fg_rule *rule);

#ifdef __cplusplus
}
#endif

#endif
