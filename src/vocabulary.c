/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — vocabularies: the attributes a ruleset reads, and what a run
 * may say (include/flopgate/rules.h § attributes).
 *
 * Why: a rule that matches `generative: true` silently fails to match
 * `generativ: true`, `generative: maybe` or `modalities: [Text]`, and a
 * typo then flips an outcome from triggered to clear without a word.  So
 * every ruleset declares the attributes its conditions read, with their
 * type and values; the loader checks that its conditions keep to them,
 * and a run is refused (FILE:LINE:COL, "did you mean") when it says
 * something no loaded ruleset declares.  A team's own metadata goes under
 * keys beginning with "x-", which no rule can read.
 *
 * The same file warns about jurisdiction codes that are valid but look
 * like a slip for one the loaded rules name ("CA", Canada, beside "US-CA").
 */
#include "rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/jurisdiction.h"
#include "flopgate/suggest.h"

/* ---- declarations ----------------------------------------------------- */

void fg_attribute_decl_clear(fg_attribute_decl *d)
{
	size_t i;

	free(d->key);
	for (i = 0; i < d->value_count; i++)
		free(d->values[i]);
	free(d->values);
	free(d->text);
	memset(d, 0, sizeof(*d));
}

const fg_attribute_decl *fg_ruleset_attribute(const fg_ruleset *rs,
					      const char *key)
{
	size_t i;

	for (i = 0; rs && key && i < rs->attribute_count; i++)
		if (!strcmp(rs->attributes[i].key, key))
			return &rs->attributes[i];
	return NULL;
}

/* Lower-case letters, digits and '_': what a rule can name and a run
 * file can write without quoting. */
static int valid_key(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0 && n <= 64;
}

static int parse_values(fg_loader *L, fg_attribute_decl *d,
			const fg_node *list)
{
	size_t i, j;
	int rc = 0;

	if (fg_ld_expect_type(L, list, FG_NODE_SEQ, "values"))
		return FG_EINPUT;
	if (list->count == 0) {
		fg_ld_problem(L, list, "`values` lists no value");
		return FG_EINPUT;
	}
	if (!(d->values = calloc(list->count, sizeof(char *)))) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < list->count; i++) {
		const fg_node *v = list->items[i];
		const char *word;

		if (fg_ld_expect_type(L, v, FG_NODE_SCALAR, "values")) {
			rc = FG_EINPUT;
			continue;
		}
		word = fg_ld_scalar_word(v);
		for (j = 0; j < d->value_count; j++)
			if (!strcmp(d->values[j], word))
				break;
		if (j < d->value_count) {
			fg_ld_problem(L, v, "value `%s` of attribute `%s` is "
				      "listed twice", word, d->key);
			rc = FG_EINPUT;
			continue;
		}
		if (!(d->values[d->value_count] = fg_ld_strdup(L, word)))
			return FG_ENOMEM;
		d->value_count++;
	}
	return rc;
}

static int parse_decl(fg_loader *L, fg_attribute_decl *d, const fg_node *key,
		      const fg_node *map)
{
	static const char *const keys[] = {"type", "values", "text", NULL};
	const fg_node *type, *values;
	int t, rc = 0;

	d->line = key->line;
	d->column = key->column;
	if (!(d->key = fg_ld_strdup(L, key->value)))
		return FG_ENOMEM;
	if (!strncmp(d->key, "x-", 2)) {
		fg_ld_problem(L, key, "`%s`: attributes beginning with `x-` are "
			      "a team's own information and cannot be "
			      "declared", d->key);
		return FG_EINPUT;
	}
	if (!valid_key(d->key)) {
		fg_ld_problem(L, key, "attribute `%s` must be 1 to 64 of a-z "
			      "0-9 _", d->key);
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "attribute"))
		return FG_EINPUT;
	fg_ld_check_keys(L, map, keys, "attribute");
	type = fg_node_get(map, "type");
	values = fg_node_get(map, "values");
	if (!type) {
		fg_ld_problem(L, map, "attribute `%s` has no `type` (boolean, "
			      "one_of, list_of)", d->key);
		return FG_EINPUT;
	}
	if (fg_ld_expect_type(L, type, FG_NODE_SCALAR, "type"))
		return FG_EINPUT;
	if ((t = fg_name_lookup(fg_attr_type_names, type->value)) < 0) {
		fg_ld_problem(L, type, "attribute type is boolean, one_of or "
			      "list_of, not `%s`", type->value);
		return FG_EINPUT;
	}
	d->type = (fg_attr_type)t;
	if (d->type == FG_ATTR_BOOLEAN) {
		if (values) {
			fg_ld_problem(L, values, "a boolean attribute takes "
				      "true or false; drop `values`");
			rc = FG_EINPUT;
		}
		if (!(d->values = calloc(2, sizeof(char *))) ||
		    !(d->values[0] = fg_ld_strdup(L, "true")) ||
		    !(d->values[1] = fg_ld_strdup(L, "false"))) {
			L->nomem = 1;
			return FG_ENOMEM;
		}
		d->value_count = 2;
	} else if (!values) {
		fg_ld_problem(L, map, "attribute `%s` (%s) has no `values`",
			      d->key, type->value);
		rc = FG_EINPUT;
	} else if (parse_values(L, d, values)) {
		rc = FG_EINPUT;
	}
	if (fg_ld_get_string(L, &d->text, map, "text", "attribute", 0))
		rc = FG_EINPUT;
	return rc;
}

int fg_ld_parse_attributes(fg_loader *L, fg_ruleset *rs, const fg_node *map)
{
	size_t i;
	int rc = 0;

	if (fg_ld_expect_type(L, map, FG_NODE_MAP, "attributes"))
		return FG_EINPUT;
	rs->attributes = calloc(map->count ? map->count : 1,
				sizeof(*rs->attributes));
	if (!rs->attributes) {
		L->nomem = 1;
		return FG_ENOMEM;
	}
	for (i = 0; i < map->count; i++) {
		fg_attribute_decl *d = &rs->attributes[rs->attribute_count];

		if (parse_decl(L, d, map->keys[i], map->items[i])) {
			fg_attribute_decl_clear(d);
			rc = FG_EINPUT;
			continue;
		}
		rs->attribute_count++;
	}
	return rc;
}

/* ---- the ruleset's own conditions keep to its vocabulary -------------- */

static int lists(char *const *values, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(values[i], word))
			return 1;
	return 0;
}

/* A NULL-terminated copy of decl's values for fg_nearest; NULL when out
 * of memory. */
static const char **value_list(const fg_attribute_decl *d)
{
	const char **v = calloc(d->value_count + 1, sizeof(*v));
	size_t i;

	for (i = 0; v && i < d->value_count; i++)
		v[i] = d->values[i];
	return v;
}

static void check_leaf(fg_loader *L, const fg_ruleset *rs,
		       const fg_condition *c, const char *file)
{
	const fg_attribute_decl *d;
	const char *near, **names;
	char hint[400];
	fg_error e;
	size_t i;

	fg_error_clear(&e);
	if (c->field == FG_FIELD_ESTABLISHED_IN) {
		for (i = 0; i < c->value_count; i++)
			if (!fg_jurisdiction_valid(c->values[i])) {
				fg_error_set(&e, FG_EINPUT, file, c->line,
					     c->column, "`%s` is not a "
					     "jurisdiction code",
					     c->values[i]);
				fg_ld_problem_err(L, &e);
			}
		return;
	}
	if (c->field != FG_FIELD_NONE) {
		for (i = 0; i < c->value_count; i++)
			if (strcmp(c->values[i], "true") &&
			    strcmp(c->values[i], "false")) {
				fg_error_set(&e, FG_EINPUT, file, c->line,
					     c->column, "`%s` is true or "
					     "false, not `%s`",
					     c->attribute, c->values[i]);
				fg_ld_problem_err(L, &e);
			}
		return;
	}
	if (!(d = fg_ruleset_attribute(rs, c->attribute))) {
		names = calloc(rs->attribute_count + 1, sizeof(*names));
		for (i = 0; names && i < rs->attribute_count; i++)
			names[i] = rs->attributes[i].key;
		near = names ? fg_suggest_text(hint, sizeof(hint),
					       c->attribute, names) : NULL;
		fg_error_set(&e, FG_EINPUT, file, c->line, c->column,
			     "the condition reads attribute `%s`, which the "
			     "ruleset does not declare under `attributes:`%s%s%s",
			     c->attribute, near ? "; did you mean " : "",
			     near ? near : "", near ? "?" : "");
		free(names);
		fg_ld_problem_err(L, &e);
		return;
	}
	for (i = 0; i < c->value_count; i++) {
		if (lists(d->values, d->value_count, c->values[i]))
			continue;
		names = value_list(d);
		near = names ? fg_suggest_text(hint, sizeof(hint),
					       c->values[i], names) : NULL;
		fg_error_set(&e, FG_EINPUT, file, c->line, c->column,
			     "`%s` is not a declared value of attribute "
			     "`%s`%s%s%s", c->values[i], c->attribute,
			     near ? "; did you mean " : "",
			     near ? near : "", near ? "?" : "");
		free(names);
		fg_ld_problem_err(L, &e);
	}
}

static void check_condition(fg_loader *L, const fg_ruleset *rs,
			    const fg_condition *c, const char *file)
{
	size_t i;

	if (c->type == FG_COND_ATTRIBUTE) {
		check_leaf(L, rs, c, file);
		return;
	}
	for (i = 0; i < c->child_count; i++)
		check_condition(L, rs, &c->children[i], file);
}

void fg_ld_check_rule_vocabulary(fg_loader *L, const fg_ruleset *rs)
{
	size_t i, j;

	for (i = 0; i < rs->rule_count; i++) {
		const fg_rule *r = &rs->rules[i];

		check_condition(L, rs, &r->when, rs->file);
		for (j = 0; j < r->scope_count; j++)
			check_condition(L, rs, &r->scope[j].when, rs->file);
		for (j = 0; j < r->obligation_count; j++)
			if (r->obligations[j].when)
				check_condition(L, rs, r->obligations[j].when,
						rs->file);
	}
}

/* ---- checking a run against a vocabulary ------------------------------ */

/* The rulesets whose declarations together make the vocabulary. */
typedef struct vocabulary {
	fg_ruleset *const *rulesets;
	size_t count;
} vocabulary;

static const fg_attribute_decl *vocab_decl(const vocabulary *v,
					   const char *key)
{
	const fg_attribute_decl *d;
	size_t i;

	for (i = 0; i < v->count; i++)
		if ((d = fg_ruleset_attribute(v->rulesets[i], key)))
			return d;
	return NULL;
}

static int vocab_has_value(const vocabulary *v, const char *key,
			   const char *value)
{
	const fg_attribute_decl *d;
	size_t i;

	for (i = 0; i < v->count; i++)
		if ((d = fg_ruleset_attribute(v->rulesets[i], key)) &&
		    lists(d->values, d->value_count, value))
			return 1;
	return 0;
}

/* Every declared key (keys != 0) or every declared value of key, without
 * repeats, NULL-terminated; NULL when out of memory.  Borrowed strings. */
static const char **vocab_words(const vocabulary *v, const char *key)
{
	const char **words;
	size_t n = 1, used = 0, i, j;

	for (i = 0; i < v->count; i++) {
		const fg_ruleset *rs = v->rulesets[i];
		const fg_attribute_decl *d = key ? fg_ruleset_attribute(rs, key)
						 : NULL;

		n += key ? (d ? d->value_count : 0) : rs->attribute_count;
	}
	if (!(words = calloc(n, sizeof(*words))))
		return NULL;
	for (i = 0; i < v->count; i++) {
		const fg_ruleset *rs = v->rulesets[i];
		const fg_attribute_decl *d = key ? fg_ruleset_attribute(rs, key)
						 : NULL;
		size_t m = key ? (d ? d->value_count : 0) : rs->attribute_count;

		for (j = 0; j < m; j++) {
			const char *w = key ? d->values[j]
					    : rs->attributes[j].key;

			if (!lists((char *const *)words, used, w))
				words[used++] = w;
		}
	}
	words[used] = NULL;
	return words;
}

/* "a, b, c" of words into buf (cut short with "..." when long). */
static const char *joined(char *buf, size_t size, const char **words)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; words && words[i]; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 words[i]);

		if (n < 0 || (size_t)n >= size - used) {
			if (size > 4)
				strcpy(buf + size - 4, "...");
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

static int at_error(fg_error *err, const fg_run *run, fg_position at,
		    const char *fmt, const char *a, const char *b,
		    const char *near, const char *list)
{
	char msg[900];

	snprintf(msg, sizeof(msg), fmt, a, b);
	if (at.line <= 0)
		at.line = run->line, at.column = run->column;
	return fg_error_set(err, FG_EINPUT, run->file, at.line, at.column,
			    "%s%s%s%s%s%s%s", msg,
			    near ? "; did you mean " : "", near ? near : "",
			    near ? "?" : "", list ? " (" : "",
			    list ? list : "", list ? ")" : "");
}

static fg_position value_at(const fg_attribute *a, size_t i)
{
	fg_position none = {0, 0};

	return a->value_at ? a->value_at[i] : a->at.line ? a->at : none;
}

static int check_attribute(const vocabulary *v, const fg_run *run,
			   const fg_attribute *a, fg_error *err)
{
	const fg_attribute_decl *d;
	const char **words, *near;
	char list[400], hint[480], meant[400];
	size_t i;
	int rc = 0;

	if (!strncmp(a->key, "x-", 2))
		return 0;
	if (!(d = vocab_decl(v, a->key))) {
		if (!(words = vocab_words(v, NULL)))
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		near = fg_suggest_text(meant, sizeof(meant), a->key, words);
		snprintf(hint, sizeof(hint), "the loaded rulesets read: %s; "
			 "prefix your own information with `x-`",
			 words[0] ? joined(list, sizeof(list), words)
				  : "no attribute");
		rc = at_error(err, run, a->at, "unknown attribute `%s`%s",
			      a->key, "", near, hint);
		free(words);
		return rc;
	}
	if (d->type == FG_ATTR_BOOLEAN) {
		if (a->is_list || a->value_count != 1)
			return at_error(err, run, a->at, "attribute `%s` is "
					"one value, true or false, not a "
					"list%s", a->key, "", NULL, NULL);
		if (strcmp(a->values[0], "true") &&
		    strcmp(a->values[0], "false"))
			return at_error(err, run, value_at(a, 0),
					"attribute `%s` is true or false, "
					"not `%s`", a->key, a->values[0],
					NULL, NULL);
		return 0;
	}
	if (d->type == FG_ATTR_ONE_OF && a->is_list)
		return at_error(err, run, a->at, "attribute `%s` takes one "
				"value, not a list%s", a->key, "", NULL, NULL);
	for (i = 0; i < a->value_count; i++) {
		if (vocab_has_value(v, a->key, a->values[i]))
			continue;
		if (!(words = vocab_words(v, a->key)))
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		near = fg_suggest_text(meant, sizeof(meant), a->values[i],
				       words);
		snprintf(hint, sizeof(hint), "one of %s",
			 joined(list, sizeof(list), words));
		rc = at_error(err, run, value_at(a, i), "unknown value `%s` "
			      "of attribute `%s`", a->values[i], a->key, near,
			      hint);
		free(words);
		return rc;
	}
	return 0;
}

static int check_run(const vocabulary *v, const fg_run *run, fg_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < run->attribute_count; i++)
		if ((rc = check_attribute(v, run, &run->attributes[i], err)))
			return rc;
	return 0;
}

int fg_ruleset_set_check_run(const fg_ruleset_set *set, const fg_run *run,
			     fg_error *err)
{
	vocabulary v = {set ? set->rulesets : NULL, set ? set->count : 0};

	return check_run(&v, run, err);
}

void fg_ld_check_test_attributes(fg_loader *L, const fg_ruleset *rs,
				 const fg_run *run)
{
	fg_ruleset *one = (fg_ruleset *)rs;
	vocabulary v = {&one, 1};
	fg_error e;

	fg_error_clear(&e);
	if (check_run(&v, run, &e) == FG_ENOMEM)
		L->nomem = 1;
	else if (e.code)
		fg_ld_problem_err(L, &e);
}

const fg_attribute_decl *fg_ruleset_set_attribute(const fg_ruleset_set *set,
						  const char *key)
{
	vocabulary v = {set ? set->rulesets : NULL, set ? set->count : 0};

	return vocab_decl(&v, key);
}

/* ---- jurisdictions the loaded rules nearly cover ---------------------- */

static int covered(const fg_ruleset_set *set, const char *code)
{
	size_t i, j, k;

	for (i = 0; i < set->count; i++)
		for (j = 0; j < set->rulesets[i]->rule_count; j++) {
			const fg_rule *r = &set->rulesets[i]->rules[j];

			for (k = 0; k < r->jurisdiction_count; k++)
				if (fg_jurisdiction_covers(r->jurisdictions[k],
							   code))
					return 1;
		}
	return 0;
}

/* A code a rule names that `code` is one edit from: a letter changed,
 * added or dropped ("KP" for "KR"), or the "US-" of a state dropped ("CA"
 * for "US-CA"); NULL when none. */
static const char *near_named(const fg_ruleset_set *set, const char *code)
{
	size_t i, j, k;

	for (i = 0; i < set->count; i++)
		for (j = 0; j < set->rulesets[i]->rule_count; j++) {
			const fg_rule *r = &set->rulesets[i]->rules[j];

			for (k = 0; k < r->jurisdiction_count; k++) {
				const char *named = r->jurisdictions[k];

				if ((!strncmp(named, "US-", 3) &&
				     !strcmp(named + 3, code)) ||
				    fg_edit_distance(code, named, 0) == 1)
					return named;
			}
		}
	return NULL;
}

int fg_ruleset_set_scope_warnings(const fg_ruleset_set *set,
				  const fg_run *run, char ***out,
				  size_t *count)
{
	char **list = NULL, **grown, msg[512];
	const char *code, *named;
	size_t i, n = 0;

	*out = NULL;
	*count = 0;
	for (i = 0; set && i < run->jurisdiction_count; i++) {
		code = run->jurisdictions[i];
		if (covered(set, code) || !(named = near_named(set, code)))
			continue;
		snprintf(msg, sizeof(msg), "jurisdiction `%s` (%s) is covered "
			 "by no loaded ruleset, but `%s` (%s) is one edit "
			 "away: check that `%s` is the market you meant",
			 code, fg_jurisdiction_name(code), named,
			 fg_jurisdiction_name(named), code);
		if (!(grown = realloc(list, (n + 1) * sizeof(*list))))
			goto oom;
		list = grown;
		if (!(list[n] = strdup(msg)))
			goto oom;
		n++;
	}
	*out = list;
	*count = n;
	return 0;
oom:
	while (n)
		free(list[--n]);
	free(list);
	return FG_ENOMEM;
}
