/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — names of operators, metrics, severities and outcomes, and the
 * one comparison every legal line goes through (include/flopgate/rules.h).
 */
#include "rules_int.h"

#include <string.h>

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

const char *fg_relation_name(fg_relation relation)
{
	return relation < 0 ? "<" : relation > 0 ? ">" : "==";
}

int fg_op_holds(fg_op op, fg_relation relation)
{
	switch (op) {
	case FG_OP_GT:
		return relation > 0;
	case FG_OP_GE:
		return relation >= 0;
	case FG_OP_LT:
		return relation < 0;
	case FG_OP_LE:
		return relation <= 0;
	case FG_OP_EQ:
		return relation == 0;
	}
	return 0;
}

int fg_compare_q(const mpq_t value, fg_op op, const mpq_t line,
		 fg_relation *relation)
{
	int c = mpq_cmp(value, line);
	fg_relation r = c < 0 ? FG_REL_BELOW : c > 0 ? FG_REL_ABOVE
						      : FG_REL_AT;

	if (relation)
		*relation = r;
	return fg_op_holds(op, r);
}

int fg_compare(const fg_exact *value, fg_op op, const fg_exact *line,
	       fg_relation *relation)
{
	return fg_compare_q(value->q, op, line->q, relation);
}

const char *const fg_metric_names[] = {
	"training_compute_flop", "modification_compute_flop",
	"modification_fraction", "training_cost_usd", "cluster_peak_flops",
	"organization.annual_revenue_usd", NULL
};

const char *fg_metric_name(fg_metric metric)
{
	return (unsigned)metric < FG_METRIC_COUNT ? fg_metric_names[metric] : "?";
}

int fg_metric_parse(fg_metric *out, const char *name)
{
	int i;

	for (i = 0; fg_metric_names[i]; i++)
		if (!strcmp(fg_metric_names[i], name)) {
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

fg_unit fg_metric_unit(fg_metric metric)
{
	switch (metric) {
	case FG_METRIC_TRAINING_COMPUTE:
	case FG_METRIC_MODIFICATION_COMPUTE:
		return FG_UNIT_FLOP;
	case FG_METRIC_MODIFICATION_FRACTION:
		return FG_UNIT_FRACTION;
	case FG_METRIC_CLUSTER_PEAK:
		return FG_UNIT_OP_PER_S;
	case FG_METRIC_TRAINING_COST:
	case FG_METRIC_ANNUAL_REVENUE:
		return FG_UNIT_USD;
	default:
		return FG_UNIT_NONE;
	}
}

fg_unit fg_metric_headroom_unit(fg_metric metric)
{
	return metric == FG_METRIC_MODIFICATION_FRACTION
		       ? FG_UNIT_FLOP
		       : fg_metric_unit(metric);
}

fg_qty_kind fg_metric_qty_kind(fg_metric metric)
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

const char *const fg_severity_names[] = {"blocking", "warning", "info",
					      NULL};

const char *fg_severity_name(fg_severity severity)
{
	return (unsigned)severity < 3 ? fg_severity_names[severity] : "?";
}

const char *const fg_after_names[] = {
	"threshold_met_or_foreseen", "placed_on_market", "effective_from",
	"incident", "incident_discovered", "training_started", NULL
};

const char *fg_due_after_name(fg_due_after after)
{
	return (unsigned)after <= FG_AFTER_TRAINING_STARTED
		       ? fg_after_names[after]
		       : "?";
}

/* Indexed by fg_field; [0] is FG_FIELD_NONE (an attribute leaf). */
const char *const fg_field_names[] = {
	"", "base_model.systemic_risk", "base_model.other_provider",
	"organization.established_in", NULL
};

const char *fg_field_name(fg_field field)
{
	return field > FG_FIELD_NONE && field < FG_FIELD_COUNT
		       ? fg_field_names[field]
		       : NULL;
}

const char *const fg_attr_type_names[] = {"boolean", "one_of", "list_of",
					  NULL};

const char *fg_attr_type_name(fg_attr_type type)
{
	return (unsigned)type <= FG_ATTR_LIST_OF ? fg_attr_type_names[type]
						 : "?";
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

int fg_name_lookup(const char *const *names, const char *word)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], word))
			return i;
	return -1;
}
