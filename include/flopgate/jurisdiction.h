/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — jurisdiction codes: which are valid, and which rules cover a
 * market.
 *
 * A jurisdiction is an ISO 3166-1 alpha-2 code that ISO has assigned
 * ("KR", "CA" — Canada), "EU" for the Union, "EL" (the code the Union
 * itself uses for Greece, besides ISO's "GR"), or "US-" and the code of a
 * US state, the District of Columbia or an outlying area ("US-CA",
 * "US-DC", "US-PR"), as ISO 3166-2:US lists them.  Nothing else: a code
 * that ISO has not assigned ("UK", "XK"), a subdivision of another
 * country ("DE-BY"), or "USA" is refused, so that a typo can never place
 * a model nowhere without anyone noticing.  Codes are upper case; callers
 * upper-case what people wrote.
 *
 * Coverage runs both ways (DESIGN.md § Rulesets): a rule for the whole
 * country covers a run placed in one of its states, and a rule for a state
 * covers a run placed in the whole country ("US" places a model in every
 * state).  Likewise for the Union: a rule for "EU" covers a run placed in
 * a member state (AI Act Art. 3(9)–(10): placing on the market of one
 * member state is placing on the Union market), and a member-state rule
 * covers a run placed in "EU".  "EL" and "GR" are the same country.
 */
#ifndef FLOPGATE_JURISDICTION_H
#define FLOPGATE_JURISDICTION_H

#include "flopgate/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when code is a valid jurisdiction as above, else 0. */
FG_API int fg_jurisdiction_valid(const char *code);

/* The name of a valid code ("Canada", "California", "European Union"),
 * NULL for an invalid one.  Static storage. */
FG_API const char *fg_jurisdiction_name(const char *code);

/* 1 when code is one of the Union's 27 member states ("EL" and "GR"
 * both count). */
FG_API int fg_jurisdiction_eu_member(const char *code);

/* 1 when a rule that applies in rule_code covers a run placed in run_code
 * (both valid codes), else 0. */
FG_API int fg_jurisdiction_covers(const char *rule_code, const char *run_code);

/* For a code that is not valid, the codes the writer evidently meant,
 * best first (fg_suggest's levels, include/flopgate/suggest.h): "US-NY"
 * for "NY" (a state written without its country), "GB" for "UK", "US"
 * for "USA", "DE" for "Germany", "US-CA" for "California" or "US-CAL",
 * "KR" and "KP" for "Korea".  Another two letters are another country,
 * not a typo of one: a two-letter code gets nothing but a state or a
 * common name.  Writes up to max codes (static storage) to out and
 * returns how many there are in all; 0 when nothing is close. */
FG_API size_t fg_jurisdiction_suggestions(const char **out, size_t max,
					  const char *code);

/* The first of fg_jurisdiction_suggestions, else the nearest of
 * candidates (may be NULL) by fg_nearest; NULL when nothing is close.
 * The result is static storage or one of candidates. */
FG_API const char *fg_jurisdiction_suggest(const char *code,
					   const char *const *candidates);

#ifdef __cplusplus
}
#endif

#endif
