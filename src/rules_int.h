/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — what the ruleset modules share and nothing else uses.
 *
 * The ruleset code is split along its concerns: rule_names.c (names of
 * operators, metrics, outcomes; the one comparison), rules_load.c (the
 * loader: rules, conditions, obligations, a ruleset file), rule_tests_load.c
 * (a ruleset's own `tests:`), ruleset_set.c (sets of rulesets and the
 * rules directory).  The loader collects every problem of a file instead
 * of stopping at the first; these helpers append to that list.
 */
#ifndef FLOPGATE_RULES_INT_H
#define FLOPGATE_RULES_INT_H

#include "exact_int.h"
#include "flopgate/rules.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

/* NULL-terminated name tables, indexed by their enums. */
extern const char *const fg_metric_names[];
extern const char *const fg_after_names[];
extern const char *const fg_severity_names[];
/* [0] is "" (FG_FIELD_NONE); fg_field_names + 1 is the list of names. */
extern const char *const fg_field_names[];
extern const char *const fg_attr_type_names[];

/* fg_compare on rationals: the one comparison, as the rules engine calls
 * it with its scratch values (src/rule_names.c). */
int fg_compare_q(const mpq_t value, fg_op op, const mpq_t line,
		 fg_relation *relation);

/* The index of word in the NULL-terminated names, -1 when absent. */
int fg_name_lookup(const char *const *names, const char *word);
/* The quantity kind a metric's values are written in. */
fg_qty_kind fg_metric_qty_kind(fg_metric metric);
/* Appends a copy of e; 0 when diags is NULL.  FG_ENOMEM on failure. */
int fg_diagnostics_add(fg_diagnostics *diags, const fg_error *e);

typedef struct fg_loader {
	fg_diagnostics found;       /* every problem in this file */
	int nomem;
} fg_loader;

/* Records a problem at node (FILE:LINE:COL). */
void fg_ld_problem(fg_loader *L, const fg_node *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records an error a node helper already filled in. */
void fg_ld_problem_err(fg_loader *L, const fg_error *e);
/* strdup that marks L out of memory on failure; NULL for NULL. */
char *fg_ld_strdup(fg_loader *L, const char *s);
/* Reports every key of map not in known, with "did you mean". */
void fg_ld_check_keys(fg_loader *L, const fg_node *map,
		      const char *const *known, const char *context);
/* The helpers below record the problem and return FG_EINPUT on error. */
int fg_ld_expect_type(fg_loader *L, const fg_node *node, fg_node_type type,
		      const char *what);
int fg_ld_get_string(fg_loader *L, char **out, const fg_node *map,
		     const char *key, const char *context, int required);
int fg_ld_get_date(fg_loader *L, fg_date *out, const fg_node *node,
		   const char *what);
int fg_ld_get_quantity(fg_loader *L, double *out, const fg_node *node,
		       fg_qty_kind kind, const char *what);
/* The same with its exact twin (*exact created or overwritten). */
int fg_ld_get_exact(fg_loader *L, double *out, fg_exact **exact,
		    const fg_node *node, fg_qty_kind kind, const char *what);
/* A scalar as written, YAML booleans normalized to "true"/"false". */
const char *fg_ld_scalar_word(const fg_node *node);
/* [A-Za-z0-9._-]{1,128}, as run ids. */
int fg_ld_valid_id(const char *s);

/* The ruleset's `attributes:` (its vocabulary). */
int fg_ld_parse_attributes(fg_loader *L, fg_ruleset *rs, const fg_node *map);
/* Every attribute leaf of every rule reads a declared attribute, with
 * declared values; field leaves read a known field with fitting
 * values.  Problems go to L. */
void fg_ld_check_rule_vocabulary(fg_loader *L, const fg_ruleset *rs);
/* The declaration of key in the ruleset, NULL when none. */
const fg_attribute_decl *fg_ruleset_attribute(const fg_ruleset *rs,
					      const char *key);
void fg_attribute_decl_clear(fg_attribute_decl *d);
/* Checks a run's attributes against one ruleset's vocabulary (for its
 * compact test runs); problems go to L at the run's node. */
void fg_ld_check_test_attributes(fg_loader *L, const fg_ruleset *rs,
				 const fg_run *run);

/* The ruleset's `tests:` list; rules is the `rules:` node as written. */
int fg_ld_parse_tests(fg_loader *L, fg_ruleset *rs, const fg_node *list,
		      const fg_node *rules);
void fg_rule_test_clear(fg_rule_test *t);

#endif
