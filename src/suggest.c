/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — "did you mean" (see include/flopgate/suggest.h for the levels
 * a candidate is judged by). */
#include "flopgate/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- synonyms ---------------------------------------------------------- */

/* What people write for flopgate's names, from other tools' configs and
 * plain English.  A pair only counts where its target is one of the
 * candidates, so one table serves every vocabulary: `type` suggests `kind`
 * among a phase's keys and `method` among an estimate's.  Words are
 * compared as fg_suggest compares them (case and separators aside), so
 * `expiry-date` finds `expiry_date`. */
static const char *const synonyms[][2] = {
	/* waivers */
	{"approver", "approved_by"}, {"approved", "approved_by"},
	{"approval", "approved_by"}, {"signed_off_by", "approved_by"},
	{"signoff", "approved_by"}, {"owner", "approved_by"},
	{"expiry", "expires"}, {"expiration", "expires"},
	{"expire", "expires"}, {"expiry_date", "expires"},
	{"expiration_date", "expires"}, {"valid_until", "expires"},
	{"until", "expires"}, {"justification", "reason"},
	{"rationale", "reason"}, {"why", "reason"}, {"comment", "reason"},
	{"rule_id", "rule"}, {"run_id", "run"},
	/* runs: keys */
	{"name", "model"}, {"model_name", "model"},
	{"company", "developer"}, {"provider", "developer"},
	{"vendor", "developer"}, {"org", "organization"},
	{"markets", "jurisdictions"}, {"market", "jurisdictions"},
	{"regions", "jurisdictions"}, {"countries", "jurisdictions"},
	{"placed_in", "jurisdictions"}, {"state", "status"},
	{"stages", "phases"}, {"stage", "phases"},
	{"params", "parameters"}, {"param", "parameters"},
	{"num_params", "parameters"}, {"n_params", "parameters"},
	{"parameter_count", "parameters"}, {"model_size", "parameters"},
	{"size", "parameters"}, {"dataset_size", "tokens"},
	{"gpus", "count"}, {"num_gpus", "count"}, {"n_gpus", "count"},
	{"gpu_count", "count"}, {"chips", "count"}, {"num_chips", "count"},
	{"devices", "count"}, {"nodes", "count"},
	{"gpu", "accelerator"}, {"chip", "accelerator"},
	{"device", "accelerator"}, {"hardware", "accelerator"},
	{"gpu_type", "accelerator"}, {"accelerator_type", "accelerator"},
	{"mfu", "utilization"}, {"efficiency", "utilization"},
	{"dtype", "precision"}, {"number_format", "precision"},
	{"format", "precision"},
	{"time", "duration"}, {"days", "duration"}, {"hours", "duration"},
	{"wall_clock", "duration"}, {"training_time", "duration"},
	{"gpu_hours", "chip_hours"}, {"accelerator_hours", "chip_hours"},
	{"type", "kind"}, {"type", "method"}, {"phase_type", "kind"},
	{"compute", "flop"}, {"flops", "flop"}, {"total_flop", "flop"},
	{"compute", "training_compute_flop"},
	{"cost", "cost_usd"}, {"budget", "cost_usd"}, {"price", "cost_usd"},
	{"revenue", "annual_revenue_usd"}, {"turnover", "annual_revenue_usd"},
	{"begin", "start"}, {"started", "start"}, {"finish", "end"},
	{"finished", "end"}, {"ended", "end"},
	{"release", "placed_on_market"}, {"released", "placed_on_market"},
	{"release_date", "placed_on_market"}, {"launch", "placed_on_market"},
	{"launched", "placed_on_market"}, {"market_date", "placed_on_market"},
	{"end_date", "planned_end"}, {"planned_finish", "planned_end"},
	{"base", "base_model"}, {"parent", "base_model"},
	{"parent_model", "base_model"},
	/* runs: values */
	{"bfloat16", "bf16"}, {"float16", "fp16"}, {"half", "fp16"},
	{"float64", "fp64"}, {"double", "fp64"}, {"float8", "fp8"},
	{"e4m3", "fp8"}, {"e5m2", "fp8"}, {"tensorfloat32", "tf32"},
	{"sft", "fine_tuning"}, {"finetune", "fine_tuning"},
	{"instruction_tuning", "fine_tuning"}, {"rlhf", "rl"},
	{"reinforcement_learning", "rl"}, {"ppo", "rl"}, {"dpo", "rl"},
	{"grpo", "rl"}, {"cpt", "continued_pretraining"},
	{"midtraining", "continued_pretraining"},
	{"pre_train", "pretraining"}, {"base_training", "pretraining"},
	{"hw", "hardware"}, {"gpu", "hardware"}, {"cluster", "hardware"},
	{"arch", "architecture"},
	{"reported", "declared"}, {"published", "declared"},
	{"paper", "declared"}, {"profiled", "measured"},
	{"counted", "measured"}, {"done", "completed"},
	{"finished", "completed"}, {"ongoing", "running"},
	{"in_progress", "running"}, {"active", "running"},
	{"training", "running"}, {"proposed", "planned"},
	{"future", "planned"},
	/* rulesets */
	{"name", "title"}, {"description", "title"}, {"url", "source"},
	{"link", "source"}, {"article", "citation"}, {"ref", "citation"},
	{"reference", "citation"}, {"condition", "when"},
	{"conditions", "when"}, {"if", "when"}, {"threshold", "value"},
	{"limit", "value"}, {"line", "value"}, {"operator", "op"},
	{"comparison", "op"}, {"deadline", "due"}, {"due_date", "due"},
	{"within", "days"}, {"level", "severity"}, {"priority", "severity"},
	{"in_force", "effective"}, {"jurisdictions", "applies_to"},
	{"jurisdiction", "applies_to"}, {"duties", "obligations"},
	{"requirements", "obligations"}, {"repealed", "ended"},
	{"equal", "equals"}, {"is", "equals"}, {"one_of", "in"},
	{"include", "counts"}, {"phases", "counts"},
};

/* ---- words ------------------------------------------------------------- */

#define MAX_WORDS 32

/* A name as the comparisons see it: lower case, split into words; for
 * the typed word, also the names it is a synonym of. */
typedef struct words {
	char lower[FG_EDIT_DISTANCE_MAX + 1];   /* whole, lower case */
	char compact[FG_EDIT_DISTANCE_MAX + 1]; /* separators left out */
	char split[FG_EDIT_DISTANCE_MAX + 1];   /* separators as NULs */
	const char *word[MAX_WORDS];
	size_t count;
	size_t length;                          /* of compact */
	const char *synonym_of[8];
	size_t synonym_count;
} words;

/* A letter, a digit, or part of a UTF-8 character (Å in "Åland"). */
static int word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* 0, or -1 when s is too long to judge. */
static int split_words(words *w, const char *s)
{
	size_t n = strlen(s), i, k = 0;

	if (n > FG_EDIT_DISTANCE_MAX)
		return -1;
	w->count = w->synonym_count = 0;
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)s[i];

		w->lower[i] = (char)tolower(c);
		if (c && word_char(c)) {
			w->split[i] = w->lower[i];
			w->compact[k++] = w->lower[i];
			if ((i == 0 || !word_char((unsigned char)s[i - 1])) &&
			    w->count < MAX_WORDS)
				w->word[w->count++] = &w->split[i];
		} else {
			w->split[i] = 0;
		}
	}
	w->compact[k] = 0;
	w->length = k;
	return 0;
}

static int has_word(const words *w, const char *word)
{
	size_t i;

	for (i = 0; i < w->count; i++)
		if (!strcmp(w->word[i], word))
			return 1;
	return 0;
}

static int begins_a_word(const words *w, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < w->count; i++)
		if (!strncmp(w->word[i], prefix, n))
			return 1;
	return 0;
}

static int starts(const char *s, size_t n, const char *p, size_t pn)
{
	return pn <= n && !memcmp(s, p, pn);
}

static int ends(const char *s, size_t n, const char *p, size_t pn)
{
	return pn <= n && !memcmp(s + n - pn, p, pn);
}

/* ---- judging one candidate --------------------------------------------- */

enum { SAME, SYNONYM, TYPO, ALL_WORDS, AFFIX, FAR_TYPO, SHARED, NONE };
#define SCORE(level, within) ((size_t)(level) * 1000 + (within))
#define NO_SCORE SCORE(NONE, 0)

/* 1 when a and b hold the same digits, in any order: "bf61" may be a
 * slip for "bf16", "h100" is no slip for "h200". */
static int same_digits(const char *a, const char *b)
{
	size_t count[10] = {0}, i;

	for (; *a; a++)
		if (isdigit((unsigned char)*a))
			count[*a - '0']++;
	for (; *b; b++)
		if (isdigit((unsigned char)*b)) {
			if (!count[*b - '0'])
				return 0;
			count[*b - '0']--;
		}
	for (i = 0; i < 10; i++)
		if (count[i])
			return 0;
	return 1;
}

static size_t judge(const words *t, const char *candidate)
{
	words c;
	size_t i, shared = 0, shorter, d, limit, tl, cl;
	int all = 1, prefixes = 1, affix, typo;

	if (split_words(&c, candidate) || !c.length)
		return NO_SCORE;
	if (!strcmp(t->compact, c.compact))
		return SCORE(SAME, 0);
	for (i = 0; i < t->synonym_count; i++)
		if (!strcmp(t->synonym_of[i], candidate))
			return SCORE(SYNONYM, 0);
	for (i = 0; i < t->count; i++) {
		if (!has_word(&c, t->word[i]))
			all = 0;
		if (strlen(t->word[i]) < 2 || !begins_a_word(&c, t->word[i]))
			prefixes = 0;
		if (strlen(t->word[i]) >= 3 && has_word(&c, t->word[i]))
			shared++;
	}
	shorter = t->length < c.length ? t->length : c.length;
	affix = shorter >= 3 &&
		(starts(c.compact, c.length, t->compact, t->length) ||
		 ends(c.compact, c.length, t->compact, t->length) ||
		 starts(t->compact, t->length, c.compact, c.length) ||
		 ends(t->compact, t->length, c.compact, c.length));
	/* A typo changes a few characters; rewriting every character of
	 * either word is no typo ("x" is not a misspelt "id").  Nor is a
	 * different number: `h100` is no misspelt `h200`, `int4` no `int8`
	 * (digits swapped are: `bf61`); a number changed is another thing,
	 * and is never suggested.
	 * Of two typos as near, the one that is also a prefix or suffix
	 * ("US-CAL": US-CA rather than US-AL) is the likelier.  A word cut
	 * short or run on by more than two characters ("nvidia-h100" of
	 * "nvidia-h100-sxm") is no typo but a part: judged by its words. */
	d = fg_edit_distance(t->lower, c.lower, 0);
	limit = strlen(t->lower) / 3 + 1;
	if (limit < 2)
		limit = 2;
	tl = strlen(t->lower), cl = strlen(c.lower);
	typo = d < tl && d < cl && d <= limit &&
	       same_digits(t->lower, c.lower) &&
	       !(affix && d > 2 && d == (tl > cl ? tl - cl : cl - tl));
	/* One or two slips of the finger outrank a word in common
	 * (`token`: `tokens`, not `flop_per_parameter_token`); more edits
	 * than that rewrite a word, and a candidate with every word typed
	 * is the better guess (`training_compute`: `training_compute_flop`,
	 * not `training_cost_usd`). */
	if (typo && d <= 2)
		return SCORE(TYPO, 2 * d + !affix);
	if (all && t->count && t->length >= 2)
		return SCORE(ALL_WORDS, 0);
	if (affix || (prefixes && t->count && t->length >= 3))
		return SCORE(AFFIX, 0);
	if (typo)
		return SCORE(FAR_TYPO, d);
	if (shared)
		return SCORE(SHARED, MAX_WORDS - shared);
	return NO_SCORE;
}

size_t fg_suggest(const char **out, size_t max, const char *word,
		  const char *const *candidates, const char *const *aliases)
{
	size_t best = NO_SCORE, n = 0, i, j, s;
	words t;

	if (!word || !candidates || split_words(&t, word) || !t.length)
		return 0;
	for (i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++) {
		words syn;

		if (!split_words(&syn, synonyms[i][0]) &&
		    !strcmp(syn.compact, t.compact) &&
		    t.synonym_count < sizeof(t.synonym_of) /
				      sizeof(t.synonym_of[0]))
			t.synonym_of[t.synonym_count++] = synonyms[i][1];
	}
	/* two passes: the best score, then every candidate that has it */
	for (i = 0; candidates[i]; i++) {
		s = judge(&t, candidates[i]);
		if (aliases && aliases[i] && judge(&t, aliases[i]) < s)
			s = judge(&t, aliases[i]);
		if (s < best)
			best = s;
	}
	if (best == NO_SCORE)
		return 0;
	for (i = 0; candidates[i]; i++) {
		int seen = 0;

		s = judge(&t, candidates[i]);
		if (aliases && aliases[i] && judge(&t, aliases[i]) < s)
			s = judge(&t, aliases[i]);
		if (s != best)
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(candidates[j], candidates[i]);
		if (seen)
			continue;
		if (out && n < max)
			out[n] = candidates[i];
		n++;
	}
	return n;
}

char *fg_suggest_join(char *buf, size_t size, const char *const *names,
		      size_t n, size_t total)
{
	size_t used = 0, i;
	int w;

	if (!size)
		return buf;
	buf[0] = 0;
	for (i = 0; i < n && used < size; i++) {
		const char *sep = i == 0 ? ""
				  : i + 1 == n && total <= n ? " or " : ", ";

		w = snprintf(buf + used, size - used, "%s`%s`", sep, names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (total > n && used < size)
		snprintf(buf + used, size - used, " or %zu more", total - n);
	return buf;
}

const char *fg_suggest_text(char *buf, size_t size, const char *word,
			    const char *const *candidates)
{
	const char *found[FG_SUGGEST_SHOWN];
	size_t total = fg_suggest(found, FG_SUGGEST_SHOWN, word, candidates,
				  NULL);

	if (size)
		buf[0] = 0;
	if (!total || !size)
		return NULL;
	return fg_suggest_join(buf, size, found,
			       total < FG_SUGGEST_SHOWN ? total
							: FG_SUGGEST_SHOWN,
			       total);
}

const char *fg_nearest(const char *word, const char *const *candidates)
{
	const char *first = NULL;

	return fg_suggest(&first, 1, word, candidates, NULL) ? first : NULL;
}

/* ---- edit distance ----------------------------------------------------- */

size_t fg_edit_distance(const char *a, const char *b, int ignore_case)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[FG_EDIT_DISTANCE_MAX + 2], diag, up;

	if (la > FG_EDIT_DISTANCE_MAX || lb > FG_EDIT_DISTANCE_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = (unsigned char)a[i - 1];
			int cb = (unsigned char)b[j - 1];
			size_t best;

			if (ignore_case)
				ca = tolower(ca), cb = tolower(cb);
			best = diag + (ca != cb);
			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}
