/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — "did you mean": what the writer of an unknown word meant.
 *
 * Every message that refuses a name (a key, an accelerator id, a phase
 * kind, a jurisdiction code, an attribute value, a rule id, ...) names
 * what the writer evidently meant, found here, so that all of them judge
 * alike.  Edit distance alone is a poor guide: `h100` is two edits from
 * `nvidia-h200` and eleven from `nvidia-h100-sxm`, yet it is the H100 the
 * writer means; `approver` is no typo of `approved_by`, yet that is the key.
 *
 * A candidate is judged by the best of these, in order (letters compared
 * without regard to case; "words" are what lies between separators — any
 * ASCII character that is not a letter or digit: `-`, `_`, space, `.`):
 *
 *   1. the same but for case and separators: `Approved-By`, `pre-training`
 *   2. a common synonym of it (table in suggest.c): `approver` ->
 *      `approved_by`, `expiry` -> `expires`, `gpus` -> `count`, `bfloat16`
 *      -> `bf16`
 *   3. a typo of it: one or two edits (Levenshtein, never the whole of
 *      either word) that leave its digits alone but for their order —
 *      `h100` is no misspelt `h200`, `bf61` is a misspelt `bf16`; the
 *      fewest edits first, and of those a prefix or suffix (`US-CAL`:
 *      `US-CA`, not `US-AL`)
 *   4. every word typed is a whole word of the candidate: `h100` ->
 *      `nvidia-h100-sxm` and `nvidia-h100-pcie`; `tpu v5p` ->
 *      `google-tpu-v5p`
 *   5. a prefix or suffix, either way round, of at least 3 characters with
 *      the separators left out (`training_tokens` -> `tokens`), or every
 *      word typed begins a word of the candidate (`mi300` -> `amd-mi300x`)
 *   6. a typo of more edits, up to a third of the word plus one, that
 *      leaves its numbers alone and does not merely cut it short or run
 *      it on (`nvidia-h100` is a part of `nvidia-h100-sxm`, judged by its
 *      words, not a typo of it); the fewest edits first
 *   7. a shared word of at least 3 characters, the more the better
 *      (`h100-sxm5` -> the two H100s; `nvidia-h300` -> every NVIDIA chip)
 *
 * A different number is never offered as a typo: `int4` suggests nothing,
 * not `int8`.
 *
 * Only the best level found is offered, with every candidate that reaches
 * it equally well, in the candidates' order: several equally good
 * candidates are all listed.
 */
#ifndef FLOPGATE_SUGGEST_H
#define FLOPGATE_SUGGEST_H

#include "flopgate/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many suggestions are shown in one message. */
#define FG_SUGGEST_SHOWN 8

/* The candidates word evidently means, among candidates[] (NULL-
 * terminated; NULL is an empty list).  aliases, when not NULL, runs
 * parallel to candidates with another name for each (NULL for none): a
 * word that matches an alias suggests its candidate ("California" ->
 * "US-CA", "H100 SXM5" -> "nvidia-h100-sxm").  Writes up to max of them to
 * out, in the candidates' order, each once, and returns how many there
 * are in all (which may exceed max); 0 when nothing is close enough to be
 * what was meant, and for an empty word or one longer than
 * FG_EDIT_DISTANCE_MAX bytes.  Strings in out are borrowed from
 * candidates. */
FG_API size_t fg_suggest(const char **out, size_t max, const char *word,
			 const char *const *candidates,
			 const char *const *aliases);

/* names[0..n) as a phrase for "did you mean ...?": "`a`", "`a` or `b`",
 * "`a`, `b` or `c`", and when total exceeds n, "`a`, `b` or 3 more".
 * Truncated to fit size.  Returns buf. */
FG_API char *fg_suggest_join(char *buf, size_t size, const char *const *names,
			     size_t n, size_t total);

/* fg_suggest and fg_suggest_join in one (at most FG_SUGGEST_SHOWN shown,
 * no aliases): the phrase in buf, or NULL (and buf "") when there is
 * nothing to suggest.  The shape every "did you mean %s?" uses. */
FG_API const char *fg_suggest_text(char *buf, size_t size, const char *word,
				   const char *const *candidates);

/* Levenshtein distance between a and b (case-insensitive when
 * ignore_case), or (size_t)-1 when either is longer than
 * FG_EDIT_DISTANCE_MAX bytes. */
#define FG_EDIT_DISTANCE_MAX 256
FG_API size_t fg_edit_distance(const char *a, const char *b, int ignore_case);

/* The first of fg_suggest's candidates for word, or NULL when there is
 * none.  Kept for callers that can show one name only. */
FG_API const char *fg_nearest(const char *word, const char *const *candidates);

#ifdef __cplusplus
}
#endif

#endif
