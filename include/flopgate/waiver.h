/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — waivers: findings a team has accepted, with who and until when.
 *
 *   waivers:
 *     - {rule: eu.gpai.systemic-risk, run: my-run, reason: "...",
 *        approved_by: "Jane Doe (CCO)", expires: 2026-12-31}
 *
 * Every field is required, and approved_by and reason may not be blank;
 * two waivers for the same rule on the same run are refused (whichever
 * came first, their approvals and expiries would be read in file order).
 * A waiver covers its rule on its run up to and
 * including its `expires` day; after that it covers nothing and findings
 * report it as expired.
 */
#ifndef FLOPGATE_WAIVER_H
#define FLOPGATE_WAIVER_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/quantity.h"
#include "flopgate/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_waiver {
	char *rule, *run, *reason, *approved_by;
	fg_date expires;
	char *file;                 /* where it was written */
	int line, column;
} fg_waiver;

typedef struct fg_waiver_list {
	fg_waiver *waivers;
	size_t count;
} fg_waiver_list;

/* Loads a waiver file.  A malformed waiver is an error naming its
 * FILE:LINE:COL; *out is then NULL.  An empty `waivers: []` is valid. */
FG_API int fg_waiver_list_load(fg_waiver_list **out, const char *path,
			       fg_error *err);
FG_API int fg_waiver_list_load_string(fg_waiver_list **out, const char *name,
				      const char *text, size_t length,
				      fg_error *err);
FG_API void fg_waiver_list_free(fg_waiver_list *list);

/* 1 when waiver is still valid on date (date <= expires). */
/* Fails (FG_EINPUT, at the waiver's FILE:LINE:COL) on the first waiver
 * whose rule is in none of the loaded rulesets, naming the nearest rule
 * id: a misspelt waiver would otherwise cover nothing without a word. */
FG_API int fg_waiver_list_check_rules(const fg_waiver_list *list,
				      const fg_ruleset_set *set, fg_error *err);

FG_API int fg_waiver_valid(const fg_waiver *waiver, fg_date date);

/* The waiver in list for rule_id on run_id; a valid one is preferred over
 * an expired one.  NULL when none names them (list may be NULL). */
FG_API const fg_waiver *fg_waiver_find(const fg_waiver_list *list,
				       const char *rule_id, const char *run_id,
				       fg_date date);

#ifdef __cplusplus
}
#endif

#endif
