/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — sets of rulesets: adding files and rules directories, finding
 * a rule, and what a rule says of a date (include/flopgate/rules.h).
 */
#include "rules_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- sets ------------------------------------------------------------- */

fg_ruleset_set *fg_ruleset_set_new(void)
{
	return calloc(1, sizeof(fg_ruleset_set));
}

void fg_ruleset_set_free(fg_ruleset_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		fg_ruleset_free(set->rulesets[i]);
	free(set->rulesets);
	free(set);
}

const fg_rule *fg_ruleset_set_find(const fg_ruleset_set *set,
				   const char *rule_id)
{
	size_t i, j;

	for (i = 0; set && i < set->count; i++)
		for (j = 0; j < set->rulesets[i]->rule_count; j++)
			if (!strcmp(set->rulesets[i]->rules[j].id, rule_id))
				return &set->rulesets[i]->rules[j];
	return NULL;
}

int fg_ruleset_set_add(fg_ruleset_set *set, fg_ruleset *rs,
		       fg_diagnostics *diags, fg_error *err)
{
	fg_ruleset **grown;
	fg_error first, e;
	size_t i;
	int bad = 0;

	fg_error_clear(&first);
	/* One key, one meaning: two rulesets may each declare an attribute
	 * (with their own values), but not as different types. */
	for (i = 0; i < rs->attribute_count; i++) {
		const fg_attribute_decl *d = &rs->attributes[i];
		const fg_attribute_decl *other =
			fg_ruleset_set_attribute(set, d->key);
		size_t k, j;

		if (!other || other->type == d->type)
			continue;
		for (k = 0; k < set->count; k++)
			for (j = 0; j < set->rulesets[k]->attribute_count; j++)
				if (&set->rulesets[k]->attributes[j] == other)
					fg_error_set(&e, FG_EINPUT, rs->file,
						     d->line, d->column,
						     "attribute `%s` is "
						     "declared %s here but "
						     "%s at %s:%d:%d", d->key,
						     fg_attr_type_name(d->type),
						     fg_attr_type_name(
							     other->type),
						     set->rulesets[k]->file,
						     other->line,
						     other->column);
		fg_diagnostics_add(diags, &e);
		if (!bad)
			first = e;
		bad = 1;
	}
	for (i = 0; i < rs->rule_count; i++) {
		const fg_rule *r = &rs->rules[i];
		const fg_rule *other = fg_ruleset_set_find(set, r->id);

		if (!other)
			continue;
		fg_error_set(&e, FG_EINPUT, rs->file, r->line, r->column,
			     "duplicate rule id `%s`: also defined at "
			     "%s:%d:%d", r->id, other->ruleset->file,
			     other->line, other->column);
		fg_diagnostics_add(diags, &e);
		if (!bad)
			first = e;
		bad = 1;
	}
	/* Two rulesets of one id: the store, the reports and `rules list`
	 * tell rulesets apart by id, and one would shadow the other. */
	for (i = 0; i < set->count; i++) {
		const fg_ruleset *other = set->rulesets[i];

		if (strcmp(other->id, rs->id))
			continue;
		fg_error_set(&e, FG_EINPUT, rs->file, rs->id_line,
			     rs->id_column, "duplicate ruleset id `%s`: also "
			     "the id of %s:%d:%d", rs->id, other->file,
			     other->id_line, other->id_column);
		fg_diagnostics_add(diags, &e);
		if (!bad)
			first = e;
		bad = 1;
		break;
	}
	if (bad) {
		if (err)
			*err = first;
		fg_ruleset_free(rs);
		return FG_EINPUT;
	}
	grown = realloc(set->rulesets, (set->count + 1) * sizeof(*grown));
	if (!grown) {
		fg_ruleset_free(rs);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	set->rulesets = grown;
	set->rulesets[set->count++] = rs;
	return 0;
}

static int add_file(fg_ruleset_set *set, const char *path, int flags,
		    fg_diagnostics *diags, fg_error *err)
{
	fg_ruleset *rs = NULL;
	int rc;

	if ((rc = fg_ruleset_load_flags(&rs, path, flags, diags, err)) < 0)
		return rc;
	return fg_ruleset_set_add(set, rs, diags, err);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every name directly in dir that looks like a ruleset (*.yaml or *.yml,
 * not hidden, not the accelerator catalog), sorted, whatever it is: a
 * dangling symlink, a FIFO, a symlink loop or a directory so named is then
 * refused by the loader, never skipped (a skipped EU ruleset would let
 * the gate pass without a word). */
static int list_dir(char ***out, size_t *count, const char *dir,
		    fg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL, **grown;
	size_t n = 0, len, dir_length = strlen(dir);
	char path[4096];
	int rc = 0;

	*out = NULL;
	*count = 0;
	while (dir_length > 1 && dir[dir_length - 1] == '/')
		dir_length--;
	if (!d)
		return fg_error_set(err, FG_EIO, dir, 0, 0,
				    "cannot read the directory");
	while ((ent = readdir(d))) {
		len = strlen(ent->d_name);
		if (!((len > 5 && !strcmp(ent->d_name + len - 5, ".yaml")) ||
		      (len > 4 && !strcmp(ent->d_name + len - 4, ".yml"))) ||
		    ent->d_name[0] == '.' ||
		    !strcmp(ent->d_name, "hardware.yaml"))
			continue;
		snprintf(path, sizeof(path), "%.*s/%s", (int)dir_length, dir,
			 ent->d_name);
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(path))) {
			names = grown ? grown : names;
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			break;
		}
		names = grown;
		n++;
	}
	closedir(d);
	if (rc) {
		while (n)
			free(names[--n]);
		free(names);
		return rc;
	}
	/* qsort(NULL, 0, ...) is undefined behaviour (UBSan says so). */
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	*out = names;
	*count = n;
	return 0;
}

int fg_ruleset_set_add_path(fg_ruleset_set *set, const char *path,
			    fg_diagnostics *diags, fg_error *err)
{
	return fg_ruleset_set_add_path_flags(set, path, 0, diags, err);
}

int fg_ruleset_set_add_path_flags(fg_ruleset_set *set, const char *path,
				  int flags, fg_diagnostics *diags,
				  fg_error *err)
{
	struct stat st;
	char **files = NULL;
	size_t n = 0, i;
	fg_error e;
	int rc = 0, r;

	if (stat(path, &st)) {
		fg_error_set(&e, FG_EIO, path, 0, 0, "no such file or "
			     "directory");
		fg_diagnostics_add(diags, &e);
		if (err)
			*err = e;
		return FG_EIO;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(set, path, flags, diags, err);
	if ((rc = list_dir(&files, &n, path, err)) < 0)
		return rc;
	if (n == 0) {
		fg_error_set(&e, FG_EINPUT, path, 0, 0, "no *.yaml ruleset in "
			     "the directory");
		fg_diagnostics_add(diags, &e);
		if (err)
			*err = e;
		rc = FG_EINPUT;
	}
	/* Keep going after a bad file so every problem is reported; the
	 * first error stays in err. */
	for (i = 0; i < n; i++) {
		r = add_file(set, files[i], flags, diags, rc ? &e : err);
		if (r < 0 && (rc == 0 || r == FG_ENOMEM))
			rc = r;
		free(files[i]);
	}
	free(files);
	return rc;
}

int fg_rule_transition_applies(const fg_rule *rule, const fg_run *run)
{
	/* Art. 111(3): "placed on the market before 2 August 2025" — a
	 * model placed on the day itself gets no extra time. */
	return rule->transition.placed_before != FG_DATE_NONE &&
	       run->placed_on_market != FG_DATE_NONE &&
	       run->placed_on_market < rule->transition.placed_before;
}

int fg_rule_in_force(const fg_rule *rule, fg_date date)
{
	if (rule->effective_from != FG_DATE_NONE &&
	    date < rule->effective_from)
		return 0;
	return rule->effective_until == FG_DATE_NONE ||
	       date < rule->effective_until;
}

static const fg_condition *first_leaf(const fg_condition *c, int compute)
{
	const fg_condition *found;
	size_t i;

	if (c->type == FG_COND_METRIC)
		return !compute || fg_metric_is_compute(c->metric) ? c : NULL;
	for (i = 0; i < c->child_count; i++)
		if ((found = first_leaf(&c->children[i], compute)))
			return found;
	return NULL;
}

const fg_condition *fg_rule_primary_leaf(const fg_rule *rule)
{
	const fg_condition *c = first_leaf(&rule->when, 1);

	return c ? c : first_leaf(&rule->when, 0);
}
