/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the ruleset loader (src/rules.c): the model it builds, every
 * lint error with its location, sets and duplicate ids across files. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flopgate/hash.h"
#include "flopgate/evaluate.h"
#include "flopgate/render.h"
#include "flopgate/rules.h"

#define BAD_DIR "tests/fixtures/rules/bad"

static fg_ruleset *load_text(const char *text, fg_diagnostics *diags,
			     fg_error *err)
{
	fg_ruleset *rs = NULL;

	fg_error_clear(err);
	fg_ruleset_load_string(&rs, "mem.yaml", text, strlen(text), diags,
			       err);
	return rs;
}

static const char header[] =
	"ruleset: {id: t, title: T, jurisdiction: EU}\n"
	"rules:\n";

static char *with_rules(const char *rules)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s%s", header, rules);
	return buf;
}

START_TEST(test_shipped_rulesets_define_the_fixed_rule_ids)
{
	static const char *const ids[] = {
		"eu.gpai.systemic-risk", "eu.gpai.indicative",
		"eu.gpai.modifier", "us.eo14110.model", "us.eo14110.bio",
		"us.eo14110.cluster", "us.bis.4e091",
		"us-ca.sb53.frontier-model",
		"us-ca.sb53.large-frontier-developer",
		"us-ny.raise.frontier-model",
		"us-ny.raise.large-frontier-developer",
		"kr.aibasic.high-performance", NULL
	};
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;
	size_t i, n = 0;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	ck_assert_uint_eq(set->count, 6);
	for (i = 0; ids[i]; i++)
		ck_assert_msg(fg_ruleset_set_find(set, ids[i]), "missing %s",
			      ids[i]);
	for (i = 0; i < set->count; i++)
		n += set->rulesets[i]->rule_count;
	ck_assert_uint_eq(n, 12);
	/* rules/provisional/ is not in the default set */
	ck_assert_ptr_null(fg_ruleset_set_find(set,
					       "us-il.sb315.frontier-model"));
	fg_ruleset_set_free(set);
}
END_TEST

/* `rules list` and `rules test` as the library renders them
 * (flopgate/render.h): the table's row for the EU line, and a line per
 * test case of the shipped EU ruleset. */
START_TEST(test_rules_list_and_tests_render_their_lines)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_rule_test_result *results = NULL;
	size_t count = 0, failed = 0, i, lines = 0;
	const fg_ruleset *eu = NULL;
	char *text = NULL, *row;
	size_t size = 0;
	fg_error err;
	FILE *out;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	ck_assert_ptr_nonnull(out = open_memstream(&text, &size));
	ck_assert_int_eq(fg_render_rules_list(out, set, &err), 0);
	fclose(out);
	ck_assert(!strncmp(text, "RULE ", 5));
	ck_assert_ptr_nonnull(row = strstr(text, "\neu.gpai.systemic-risk "));
	row = strndup(row + 1, (size_t)(strchr(row + 1, '\n') - row - 1));
	ck_assert_ptr_nonnull(strstr(row, " EU "));
	ck_assert_ptr_nonnull(strstr(row, "training_compute_flop > 1.0 x "
				     "10^25 "));
	ck_assert_ptr_nonnull(strstr(row, " blocking "));
	ck_assert_ptr_nonnull(strstr(row, "2025-08-02..; placed before "
				     "2025-08-02: by 2027-08-02 (Art. 111(3))"));
	free(row);
	free(text);

	for (i = 0; i < set->count; i++)
		if (!strcmp(set->rulesets[i]->id, "eu-ai-act"))
			eu = set->rulesets[i];
	ck_assert_ptr_nonnull(eu);
	ck_assert_int_eq(fg_ruleset_run_tests(&results, &count, &failed, eu,
					      set, &err), 0);
	ck_assert_uint_gt(count, 0);
	ck_assert_uint_eq(failed, 0);
	text = NULL;
	ck_assert_ptr_nonnull(out = open_memstream(&text, &size));
	ck_assert_int_eq(fg_render_rule_tests(out, eu, results, count, &err),
			 0);
	fclose(out);
	for (row = text; (row = strchr(row, '\n')); row++)
		lines++;
	ck_assert_uint_eq(lines, count);
	ck_assert(!strncmp(text, "ok - eu-ai-act: ", 16));
	ck_assert_ptr_null(strstr(text, "not ok"));
	ck_assert_ptr_nonnull(strstr(text, ": eu.gpai.systemic-risk is "
				      "triggered"));
	free(text);
	free(results);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_ruleset_keeps_its_text_and_sha256)
{
	fg_ruleset *rs = NULL;
	fg_error err;
	char hex[65];
	FILE *f;
	char *text;
	long size;

	ck_assert_int_eq(fg_ruleset_load(&rs, "rules/eu-ai-act.yaml", NULL,
					 &err), 0);
	f = fopen("rules/eu-ai-act.yaml", "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = malloc((size_t)size);
	ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	fg_sha256_hex(text, (size_t)size, hex);
	ck_assert_uint_eq(rs->length, (size_t)size);
	ck_assert_int_eq(memcmp(rs->text, text, (size_t)size), 0);
	ck_assert_str_eq(rs->sha256, hex);
	ck_assert_str_eq(rs->id, "eu-ai-act");
	ck_assert_str_eq(rs->jurisdiction, "EU");
	free(text);
	fg_ruleset_free(rs);
}
END_TEST

START_TEST(test_systemic_risk_rule_is_modelled_as_written)
{
	fg_ruleset *rs = NULL;
	fg_error err;
	const fg_rule *r;
	const fg_condition *leaf;
	char buf[64];

	ck_assert_int_eq(fg_ruleset_load(&rs, "rules/eu-ai-act.yaml", NULL,
					 &err), 0);
	r = &rs->rules[0];
	ck_assert_str_eq(r->id, "eu.gpai.systemic-risk");
	ck_assert_str_eq(r->citation, "Art. 51(2)");
	ck_assert_int_eq(r->effective_from, fg_date_from_civil(2025, 8, 2));
	ck_assert_int_eq(r->effective_until, FG_DATE_NONE);
	ck_assert_int_eq(r->severity, FG_SEVERITY_BLOCKING);
	ck_assert_double_eq(r->near, 0.5);
	leaf = fg_rule_primary_leaf(r);
	ck_assert_int_eq(leaf->metric, FG_METRIC_TRAINING_COMPUTE);
	ck_assert_int_eq(leaf->op, FG_OP_GT);
	ck_assert_double_eq(leaf->value, 1e25);
	/* GPAI guidelines para 116: all compute that contributed to the
	 * capabilities, the student's own distillation included (para 118
	 * leaves out only the teacher's): every phase kind. */
	ck_assert_uint_eq(leaf->counts, FG_KIND_ALL);
	ck_assert_uint_ne(leaf->counts & FG_KIND_BIT(FG_KIND_DISTILLATION), 0);
	ck_assert_str_eq(r->obligations[0].id, "eu.notify-commission");
	ck_assert_int_eq(r->obligations[0].due_days, 14);
	ck_assert_int_eq(r->obligations[0].due_after,
			 FG_AFTER_THRESHOLD_MET_OR_FORESEEN);
	/* the modifier rule's fallback lines (GPAI guidelines para 61) */
	leaf = fg_rule_primary_leaf(&rs->rules[2]);
	ck_assert_int_eq(leaf->metric, FG_METRIC_MODIFICATION_FRACTION);
	ck_assert_double_eq(leaf->value, 1.0 / 3.0);
	/* written as fractions, held exactly: a third, a third of 10^25 and
	 * of 10^23 (para 61), not the rounded 3.33 x 10^24 */
	ck_assert_str_eq(fg_exact_format(leaf->exact.value, buf, sizeof(buf)),
			 "1/3");
	ck_assert_str_eq(fg_exact_format(leaf->exact.fallback_systemic_risk,
					 buf, sizeof(buf)),
			 "10000000000000000000000000/3");
	ck_assert_str_eq(fg_exact_format(leaf->exact.fallback_other, buf,
					 sizeof(buf)),
			 "100000000000000000000000/3");
	ck_assert(leaf->fallback_systemic_risk > 3.333e24 &&
		  leaf->fallback_systemic_risk < 3.334e24);
	fg_ruleset_free(rs);
}
END_TEST

START_TEST(test_korea_line_is_inclusive_and_eo_cluster_too)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules/", NULL, &err), 0);
	ck_assert_int_eq(fg_rule_primary_leaf(fg_ruleset_set_find(
				 set, "kr.aibasic.high-performance"))->op,
			 FG_OP_GE);
	ck_assert_int_eq(fg_rule_primary_leaf(fg_ruleset_set_find(
				 set, "us.eo14110.cluster"))->op,
			 FG_OP_GE);
	ck_assert_int_eq(fg_rule_primary_leaf(fg_ruleset_set_find(
				 set, "us-ca.sb53.frontier-model"))->op,
			 FG_OP_GT);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_condition_tree_all_any_not_and_attributes)
{
	fg_diagnostics diags = {0};
	fg_error err;
	fg_ruleset *rs = load_text(with_rules(
		"  - id: r1\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-01-01}\n"
		"    applies_to: {jurisdictions: [EU, US-CA]}\n"
		"    when:\n"
		"      any:\n"
		"        - {metric: training_cost_usd, op: '>=', value: $1e8}\n"
		"        - not: {attribute: weights, equals: open}\n"
		"        - all:\n"
		"          - {metric: cluster_peak_flops, op: '<', value: 1 EFLOP/s}\n"
		"          - {attribute: modalities, in: [text, image], missing: false}\n"
		"    severity: info\n"
		"attributes:\n"
		"  weights: {type: one_of, values: [open, closed]}\n"
		"  modalities: {type: list_of, values: [text, image, audio]}\n"),
		&diags, &err);
	const fg_condition *w;

	ck_assert_msg(rs != NULL, "%s", err.message);
	ck_assert_uint_eq(diags.count, 0);
	w = &rs->rules[0].when;
	ck_assert_int_eq(w->type, FG_COND_ANY);
	ck_assert_uint_eq(w->child_count, 3);
	ck_assert_int_eq(w->children[0].metric, FG_METRIC_TRAINING_COST);
	ck_assert_int_eq(w->children[0].op, FG_OP_GE);
	ck_assert_double_eq(w->children[0].value, 1e8);
	ck_assert_int_eq(w->children[1].type, FG_COND_NOT);
	ck_assert_str_eq(w->children[1].children[0].attribute, "weights");
	ck_assert_str_eq(w->children[1].children[0].values[0], "open");
	ck_assert_int_eq(w->children[2].type, FG_COND_ALL);
	ck_assert_double_eq(w->children[2].children[0].value, 1e18);
	ck_assert_uint_eq(w->children[2].children[1].value_count, 2);
	ck_assert_int_eq(w->children[2].children[1].missing, FG_MISSING_FALSE);
	ck_assert_uint_eq(w->children[0].counts, FG_KIND_ALL);
	ck_assert_int_eq(rs->rules[0].severity, FG_SEVERITY_INFO);
	ck_assert_uint_eq(rs->rules[0].jurisdiction_count, 2);
	/* the first leaf is not compute, and none is: the first metric */
	ck_assert_ptr_eq(fg_rule_primary_leaf(&rs->rules[0]), &w->children[0]);
	fg_ruleset_free(rs);
}
END_TEST

/* Each file of the bad corpus starts with "# expect: LINE:COL", the place
 * of its (first) problem. */
START_TEST(test_each_bad_ruleset_reports_its_file_line_and_column)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *ent;
	int files = 0;

	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d))) {
		char path[512], first[128];
		int line = 0, col = 0;
		fg_ruleset *rs = NULL;
		fg_error err;
		FILE *f;

		if (!strstr(ent->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, ent->d_name);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(first, sizeof(first), f));
		fclose(f);
		ck_assert_int_eq(sscanf(first, "# expect: %d:%d", &line, &col),
				 2);
		fg_error_clear(&err);
		ck_assert_int_eq(fg_ruleset_load(&rs, path, NULL, &err),
				 FG_EINPUT);
		ck_assert_ptr_null(rs);
		ck_assert_str_eq(err.file, path);
		ck_assert_msg(err.line == line && err.column == col,
			      "%s: expected %d:%d, got %d:%d (%s)", path, line,
			      col, err.line, err.column, err.message);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 15);
}
END_TEST

START_TEST(test_lint_collects_every_problem_in_one_pass)
{
	static const int lines[] = {11, 16, 18, 20, 22};
	fg_diagnostics diags = {0};
	fg_ruleset *rs = NULL;
	fg_error err;
	size_t i;

	ck_assert_int_eq(fg_ruleset_load(&rs, "tests/fixtures/rules/"
					 "many-problems.yaml", &diags, &err),
			 FG_EINPUT);
	ck_assert_uint_eq(diags.count, 5);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(diags.items[i].line, lines[i]);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "train_flop"));
	ck_assert_ptr_nonnull(strstr(diags.items[3].message, "citation"));
	/* err holds the first */
	ck_assert_int_eq(err.line, 11);
	ck_assert_int_eq(err.column, 20);
	fg_diagnostics_free(&diags);
}
END_TEST

START_TEST(test_duplicate_rule_ids_across_files_name_both_places)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_diagnostics diags = {0};
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "tests/fixtures/rules/"
						 "duplicate", &diags, &err),
			 FG_EINPUT);
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_str_eq(err.file, "tests/fixtures/rules/duplicate/b.yaml");
	ck_assert_int_eq(err.line, 6);
	ck_assert_int_eq(err.column, 5);
	ck_assert_ptr_nonnull(strstr(err.message, "test.compute"));
	ck_assert_ptr_nonnull(strstr(err.message, "tests/fixtures/rules/"
					       "duplicate/a.yaml:6:5"));
	/* the first file stays loaded */
	ck_assert_uint_eq(set->count, 1);
	fg_diagnostics_free(&diags);
	fg_ruleset_set_free(set);
}
END_TEST

/* Issue 11, item 2: two rulesets of one id. */
START_TEST(test_duplicate_ruleset_ids_name_both_places)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_diagnostics diags = {0};
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "tests/fixtures/rules/"
						 "same-id", &diags, &err),
			 FG_EINPUT);
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_str_eq(err.file, "tests/fixtures/rules/same-id/b.yaml");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 7);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate ruleset id "
				     "`test-same-id`: also the id of tests/"
				     "fixtures/rules/same-id/a.yaml:2:7"));
	fg_diagnostics_free(&diags);
	fg_ruleset_set_free(set);
}
END_TEST

/* Issue 11, item 2: what looks like a ruleset in a directory and cannot
 * be read is an error, never skipped. */
START_TEST(test_unreadable_entries_of_a_rules_directory_are_errors)
{
	char dir[] = "/tmp/fg-rules-XXXXXX", path[128];
	const char *what[] = {"dangling.yaml", "fifo.yaml", "loop.yaml",
			      "dir.yaml"};
	fg_ruleset_set *set;
	fg_diagnostics diags = {0};
	fg_error err;
	size_t i, k;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < 4; i++) {
		set = fg_ruleset_set_new();
		snprintf(path, sizeof(path), "%s/%s", dir, what[i]);
		if (i == 0)
			ck_assert_int_eq(symlink("nowhere.yaml", path), 0);
		else if (i == 1)
			ck_assert_int_eq(mkfifo(path, 0600), 0);
		else if (i == 2)
			ck_assert_int_eq(symlink("loop.yaml", path), 0);
		else
			ck_assert_int_eq(mkdir(path, 0700), 0);
		ck_assert_int_lt(fg_ruleset_set_add_path(set, dir, &diags,
							 &err), 0);
		ck_assert_uint_eq(diags.count, 1);
		ck_assert_str_eq(diags.items[0].file, path);
		ck_assert_str_eq(err.file, path);
		for (k = 0; k < diags.count; k++)
			ck_assert_int_lt(diags.items[k].code, 0);
		fg_diagnostics_free(&diags);
		memset(&diags, 0, sizeof(diags));
		fg_ruleset_set_free(set);
		if (i == 3)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(dir);
}
END_TEST

/* Issue 11: an empty directory is an error, reached without sorting a
 * NULL list (UBSan), and a YAML-level error reaches the diagnostics also
 * when the caller passes no error object. */
START_TEST(test_empty_directory_and_yaml_errors_without_err)
{
	char dir[] = "/tmp/fg-rules-XXXXXX";
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_diagnostics diags = {0};
	fg_ruleset *rs = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(fg_ruleset_set_add_path(set, dir, &diags, NULL),
			 FG_EINPUT);
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "no *.yaml"));
	fg_diagnostics_free(&diags);
	memset(&diags, 0, sizeof(diags));
	rmdir(dir);
	ck_assert_int_eq(fg_ruleset_load_string(&rs, "bad.yaml", "a: [1,\n",
						7, &diags, NULL), FG_EINPUT);
	ck_assert_ptr_null(rs);
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_str_eq(diags.items[0].file, "bad.yaml");
	ck_assert_int_gt(diags.items[0].line, 0);
	fg_diagnostics_free(&diags);
	memset(&diags, 0, sizeof(diags));
	ck_assert_int_lt(fg_ruleset_set_add_path(set,
		"tests/fixtures/rules/bad/not-yaml.yaml", &diags, NULL), 0);
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_int_gt(diags.items[0].line, 0);
	fg_diagnostics_free(&diags);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_same_file_twice_is_a_duplicate)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules/eu-ai-act.yaml",
						 NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules/eu-ai-act.yaml",
						 NULL, &err), FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate rule id"));
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_directory_skips_hardware_catalog_and_subdirectories)
{
	char dir[] = "/tmp/fg-rules-XXXXXX", path[256];
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hardware.yaml", dir);
	f = fopen(path, "w");
	fputs("accelerators: [not a ruleset]\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sub/x.yaml", dir);
	f = fopen(path, "w");
	fputs("broken: [\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a.yaml", dir);
	f = fopen(path, "w");
	fputs(with_rules("  - {id: only, title: T, citation: C, effective: "
			 "{from: 2025-01-01}, applies_to: {jurisdictions: "
			 "[EU]}, when: {metric: training_compute_flop, op: "
			 "'>', value: 1e25}, severity: info}\n"), f);
	fclose(f);
	ck_assert_int_eq(fg_ruleset_set_add_path(set, dir, NULL, &err), 0);
	ck_assert_uint_eq(set->count, 1);
	ck_assert_ptr_nonnull(fg_ruleset_set_find(set, "only"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub/x.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/hardware.yaml", dir);
	unlink(path);
	rmdir(dir);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_missing_path_is_an_error)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "no/such/rules", NULL,
						 &err), FG_EIO);
	ck_assert_str_eq(err.file, "no/such/rules");
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_until_is_the_first_day_out_of_force)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	const fg_rule *r;
	fg_error err;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	r = fg_ruleset_set_find(set, "us.eo14110.model");
	ck_assert_str_eq(r->ended, "revoked");
	ck_assert(!fg_rule_in_force(r, fg_date_from_civil(2023, 10, 29)));
	ck_assert(fg_rule_in_force(r, fg_date_from_civil(2023, 10, 30)));
	ck_assert(fg_rule_in_force(r, fg_date_from_civil(2025, 1, 19)));
	ck_assert(!fg_rule_in_force(r, fg_date_from_civil(2025, 1, 20)));
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_operator_and_metric_names_round_trip)
{
	static const char *const ops[] = {">", ">=", "<", "<=", "==", NULL};
	fg_metric m;
	fg_op op;
	int i;

	for (i = 0; ops[i]; i++) {
		ck_assert_int_eq(fg_op_parse(&op, ops[i]), 0);
		ck_assert_str_eq(fg_op_name(op), ops[i]);
	}
	ck_assert_int_eq(fg_op_parse(&op, "=>"), FG_ENOTFOUND);
	ck_assert_int_eq(fg_op_parse(&op, "="), FG_ENOTFOUND);
	for (i = 0; i < FG_METRIC_COUNT; i++) {
		ck_assert_int_eq(fg_metric_parse(&m, fg_metric_name(
						     (fg_metric)i)), 0);
		ck_assert_int_eq(m, i);
	}
	ck_assert_int_eq(fg_metric_parse(&m, "flops"), FG_ENOTFOUND);
}
END_TEST

/* The ruleset's test of that name (a shipped ruleset's tests move as
 * cases are added: never one by its position). */
static const fg_rule_test *named_test(const fg_ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->test_count; i++)
		if (rs->tests[i].name && !strcmp(rs->tests[i].name, name))
			return &rs->tests[i];
	ck_abort_msg("%s has no test named \"%s\"", rs->file, name);
	return NULL;
}

START_TEST(test_compact_test_run_builds_phases_and_totals)
{
	fg_ruleset *rs = NULL;
	fg_error err;
	const fg_rule_test *t;

	ck_assert_int_eq(fg_ruleset_load(&rs, "rules/eu-ai-act.yaml", NULL,
					 &err), 0);
	t = named_test(rs, "fine-tuning and synthetic data add to "
		       "pre-training");
	ck_assert_uint_eq(t->run->phase_count, 3);
	ck_assert_int_eq(t->run->phases[1].kind, FG_KIND_FINE_TUNING);
	ck_assert_ptr_eq(t->estimate->run, t->run);
	ck_assert_ptr_eq(t->estimate->phases[2].phase, &t->run->phases[2]);
	ck_assert_double_eq_tol(t->estimate->total.central, 1.05e25, 1e10);
	ck_assert_int_eq(t->as_of, fg_date_from_civil(2026, 1, 15));
	ck_assert_str_eq(t->expects[0].rule_id, "eu.gpai.systemic-risk");
	ck_assert_int_eq(t->expects[0].outcome, FG_OUTCOME_TRIGGERED);
	fg_ruleset_free(rs);
}
END_TEST

/* A compact test run keeps every figure exactly as written: phases of
 * several kinds sum exactly (8.9e25 + 1.1e25 is 10^26, which the doubles
 * make 9.999999999999999e25), a base model's compute is exact, and a
 * ruleset may write its lines as fractions. */
START_TEST(test_compact_test_runs_and_lines_are_exact)
{
	fg_error err;
	fg_ruleset *rs = load_text(with_rules(
		"  - id: kr\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: training_compute_flop, op: '>=', value: 1e26}\n"
		"    severity: info\n"
		"  - id: third\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: modification_fraction, op: '>', value: 2/6,\n"
		"           fallback: {other: 10^23/3}}\n"
		"    near: 1/2\n"
		"    severity: info\n"
		"tests:\n"
		"  - name: sum\n    as_of: 2026-01-01\n"
		"    run: {jurisdictions: [EU], compute: {pretraining: 8.9e25,"
		" fine_tuning: [1e25, 1.1e25, 1.2e25]},\n"
		"          base_model: {training_compute_flop: 3e26}}\n"
		"    expect: {kr: triggered, third: near}\n"), NULL, &err);
	const fg_rule_test *t;
	const fg_condition *c;
	fg_ruleset_set *set;
	fg_rule_test_result *results;
	size_t count, failed;
	char buf[64];

	ck_assert_msg(rs != NULL, "%d:%d: %s", err.line, err.column,
		      err.message);
	t = &rs->tests[0];
	ck_assert(8.9e25 + 1.1e25 < 1e26);
	ck_assert_double_eq(t->estimate->total.central, 1e26);
	ck_assert_double_eq(fg_run_estimate_cumulative(t->estimate,
						       FG_KIND_ALL).central,
			    1e26);
	ck_assert_str_eq(fg_exact_format(t->estimate->phases[1].exact.flop.low,
					 buf, sizeof(buf)),
			 "10000000000000000000000000");
	ck_assert_str_eq(fg_exact_format(t->run->exact.base_model_flop, buf,
					 sizeof(buf)),
			 "300000000000000000000000000");
	c = fg_rule_primary_leaf(&rs->rules[1]);
	ck_assert_str_eq(fg_exact_format(c->exact.value, buf, sizeof(buf)),
			 "1/3");
	ck_assert_str_eq(fg_exact_format(c->exact.fallback_other, buf,
					 sizeof(buf)),
			 "100000000000000000000000/3");
	ck_assert_str_eq(fg_exact_format(rs->rules[1].exact.near, buf,
					 sizeof(buf)), "1/2");
	ck_assert_double_eq(rs->rules[1].near, 0.5);
	/* 10^26 of 3 x 10^26 is a third: not greater than 2/6, but at
	 * least half of it (near) */
	set = fg_ruleset_set_new();
	ck_assert_int_eq(fg_ruleset_set_add(set, rs, NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_run_tests(&results, &count, &failed,
					      set->rulesets[0], set, &err), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_uint_eq(failed, 0);
	free(results);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_wrong_kind_of_quantity_for_metric_is_refused)
{
	fg_error err;
	fg_ruleset *rs = load_text(with_rules(
		"  - id: r1\n    title: T\n    citation: C\n"
		"    effective: {from: 2025-01-01}\n"
		"    applies_to: {jurisdictions: [EU]}\n"
		"    when: {metric: cluster_peak_flops, op: '>=', value: 1e20 FLOP}\n"
		"    severity: info\n"), NULL, &err);

	ck_assert_ptr_null(rs);
	ck_assert_int_eq(err.line, 8);
	ck_assert_ptr_nonnull(strstr(err.message, "FLOP/s"));
}
END_TEST

/* ---- transitions (AI Act Art. 111(3)) --------------------------------- */

static const char transition_rule[] =
	"  - id: r1\n    title: T\n    citation: C\n"
	"    effective: {from: 2025-08-02}\n"
	"    applies_to: {jurisdictions: [EU]}\n"
	"    when: {metric: training_compute_flop, op: '>', value: 1e25}\n"
	"    severity: blocking\n"
	"    obligations:\n"
	"      - {id: o1, text: Do it, due: {days: 0, after: placed_on_market}}\n"
	"      - {id: o2, text: Keep doing it}\n";

START_TEST(test_gpai_rules_carry_the_art_111_3_transition)
{
	static const char *const gpai[] = {"eu.gpai.systemic-risk",
					   "eu.gpai.indicative",
					   "eu.gpai.modifier", NULL};
	fg_ruleset_set *set = fg_ruleset_set_new();
	const fg_rule *r;
	fg_error err;
	size_t i;

	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	for (i = 0; gpai[i]; i++) {
		r = fg_ruleset_set_find(set, gpai[i]);
		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(r->transition.placed_before,
				 fg_date_from_civil(2025, 8, 2));
		ck_assert_int_eq(r->transition.comply_by,
				 fg_date_from_civil(2027, 8, 2));
		ck_assert_str_eq(r->transition.citation, "Art. 111(3)");
		ck_assert_int_gt(r->transition.line, 0);
	}
	/* no other instrument has one */
	r = fg_ruleset_set_find(set, "us-ca.sb53.frontier-model");
	ck_assert_int_eq(r->transition.placed_before, FG_DATE_NONE);
	ck_assert_ptr_null(r->transition.citation);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_transition_covers_only_runs_placed_strictly_before)
{
	fg_error err;
	fg_ruleset *rs;
	fg_run run;
	char text[2048];

	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "    transition: {placed_before: 2025-08-02, comply_by: "
		 "2027-08-02, citation: Art. 111(3)}\n");
	rs = load_text(with_rules(text), NULL, &err);
	ck_assert_msg(rs != NULL, "%d:%d: %s", err.line, err.column,
		      err.message);
	memset(&run, 0, sizeof(run));
	run.placed_on_market = fg_date_from_civil(2025, 8, 1);
	ck_assert(fg_rule_transition_applies(&rs->rules[0], &run));
	run.placed_on_market = fg_date_from_civil(2024, 7, 23);
	ck_assert(fg_rule_transition_applies(&rs->rules[0], &run));
	/* "before 2 August 2025": the day itself is not before it */
	run.placed_on_market = fg_date_from_civil(2025, 8, 2);
	ck_assert(!fg_rule_transition_applies(&rs->rules[0], &run));
	run.placed_on_market = FG_DATE_NONE;
	ck_assert(!fg_rule_transition_applies(&rs->rules[0], &run));
	fg_ruleset_free(rs);

	/* a rule without a transition covers nothing */
	rs = load_text(with_rules(transition_rule), NULL, &err);
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(rs->rules[0].transition.placed_before, FG_DATE_NONE);
	run.placed_on_market = fg_date_from_civil(2020, 1, 1);
	ck_assert(!fg_rule_transition_applies(&rs->rules[0], &run));
	fg_ruleset_free(rs);
}
END_TEST

START_TEST(test_transition_problems_are_all_reported_with_locations)
{
	fg_diagnostics diags = {0};
	fg_error err;
	fg_ruleset *rs;
	char text[2048];

	/* equal dates give no time at all: refused like swapped ones */
	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "    transition: {placed_before: 2025-08-02, comply_by: "
		 "2025-08-02, citation: X}\n");
	rs = load_text(with_rules(text), NULL, &err);
	ck_assert_ptr_null(rs);
	ck_assert_int_eq(err.line, 13);
	ck_assert_int_eq(err.column, 56);
	ck_assert_ptr_nonnull(strstr(err.message, "must be after"));

	/* not a map */
	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "    transition: 2027-08-02\n");
	rs = load_text(with_rules(text), NULL, &err);
	ck_assert_ptr_null(rs);
	ck_assert_int_eq(err.line, 13);
	ck_assert_int_eq(err.column, 17);

	/* an unknown key, a missing date and a missing citation: three */
	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "    transition: {placed_befor: 2025-08-02, comply_by: "
		 "2027-08-02}\n");
	rs = load_text(with_rules(text), &diags, &err);
	ck_assert_ptr_null(rs);
	ck_assert_uint_eq(diags.count, 3);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message,
				     "did you mean `placed_before`"));
	ck_assert_ptr_nonnull(strstr(diags.items[1].message,
				     "no `placed_before`"));
	ck_assert_ptr_nonnull(strstr(diags.items[2].message,
				     "no `citation`"));
	fg_diagnostics_free(&diags);
}
END_TEST

START_TEST(test_test_expectation_may_give_due_dates)
{
	fg_error err;
	fg_ruleset *rs;
	const fg_rule_expect *x;
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "tests:\n"
		 "  - name: n\n    as_of: 2026-01-01\n"
		 "    run: {jurisdictions: [EU], compute: 2e25}\n"
		 "    expect:\n"
		 "      r1: {outcome: triggered, due: {o1: 2027-08-02, "
		 "o2: null}}\n"
		 "  - name: plain\n    as_of: 2026-01-01\n"
		 "    run: {jurisdictions: [EU], compute: 2e25}\n"
		 "    expect: {r1: triggered}\n");
	rs = load_text(with_rules(text), NULL, &err);
	ck_assert_msg(rs != NULL, "%d:%d: %s", err.line, err.column,
		      err.message);
	ck_assert_uint_eq(rs->test_count, 2);
	x = &rs->tests[0].expects[0];
	ck_assert_int_eq(x->outcome, FG_OUTCOME_TRIGGERED);
	ck_assert_uint_eq(x->due_count, 2);
	ck_assert_str_eq(x->due[0].obligation_id, "o1");
	ck_assert_int_eq(x->due[0].due, fg_date_from_civil(2027, 8, 2));
	ck_assert_int_eq(x->due[0].line, 18);
	ck_assert_str_eq(x->due[1].obligation_id, "o2");
	ck_assert_int_eq(x->due[1].due, FG_DATE_NONE);
	ck_assert_uint_eq(rs->tests[1].expects[0].due_count, 0);
	fg_ruleset_free(rs);

	/* a map without an outcome is refused where it stands */
	snprintf(text, sizeof(text), "%s%s", transition_rule,
		 "tests:\n"
		 "  - name: n\n    as_of: 2026-01-01\n"
		 "    run: {jurisdictions: [EU], compute: 2e25}\n"
		 "    expect: {r1: {due: {o1: 2027-08-02}}}\n");
	rs = load_text(with_rules(text), NULL, &err);
	ck_assert_ptr_null(rs);
	ck_assert_int_eq(err.line, 17);
	ck_assert_int_eq(err.column, 18);
	ck_assert_ptr_nonnull(strstr(err.message, "no `outcome`"));
}
END_TEST

/* ---- vocabularies ------------------------------------------------------ */

static fg_ruleset_set *shipped_set(void)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_error err;

	ck_assert_msg(fg_ruleset_set_add_path(set, "rules", NULL, &err) == 0,
		      "%s", err.message);
	return set;
}

/* One run from text; catalog-free (declared estimates only). */
static fg_run_list *one_run(const char *attributes_line)
{
	char text[1024];
	fg_run_list *list = NULL;
	fg_error err;

	snprintf(text, sizeof(text),
		 "run:\n  id: r\n  jurisdictions: [EU]\n%s"
		 "  phases:\n    - {name: p, kind: pretraining, estimates: "
		 "[{method: declared, flop: 1e24}]}\n", attributes_line);
	ck_assert_msg(fg_run_list_load_string(&list, "r.yaml", text,
					      strlen(text), NULL, &err) == 0,
		      "%s", err.message);
	return list;
}

/* The run's attributes are refused at line:col with a message holding
 * want; NULL line means accepted. */
static void vocabulary_says(const fg_ruleset_set *set, const char *attrs,
			    int line, int col, const char *want)
{
	fg_run_list *list = one_run(attrs);
	fg_error err;
	int rc;

	fg_error_clear(&err);
	rc = fg_ruleset_set_check_run(set, &list->runs[0], &err);
	if (!want) {
		ck_assert_msg(rc == 0, "%s: %s", attrs, err.message);
	} else {
		ck_assert_int_eq(rc, FG_EINPUT);
		ck_assert_str_eq(err.file, "r.yaml");
		ck_assert_msg(err.line == line && err.column == col,
			      "%s: at %d:%d, want %d:%d (%s)", attrs, err.line,
			      err.column, line, col, err.message);
		ck_assert_msg(strstr(err.message, want), "%s: `%s` not in %s",
			      attrs, want, err.message);
	}
	fg_run_list_free(list);
}

START_TEST(test_shipped_rulesets_declare_what_they_read)
{
	fg_ruleset_set *set = shipped_set();
	const fg_attribute_decl *d;

	d = fg_ruleset_set_attribute(set, "general_purpose");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->type, FG_ATTR_BOOLEAN);
	d = fg_ruleset_set_attribute(set, "modalities");
	ck_assert_int_eq(d->type, FG_ATTR_LIST_OF);
	d = fg_ruleset_set_attribute(set, "primary_data_domain");
	ck_assert_int_eq(d->type, FG_ATTR_ONE_OF);
	ck_assert_ptr_null(fg_ruleset_set_attribute(set, "generativ"));
	fg_ruleset_set_free(set);
}
END_TEST

/* Issue 8: each of these typos used to flip an outcome silently. */
START_TEST(test_run_attribute_typos_are_refused_with_a_suggestion)
{
	fg_ruleset_set *set = shipped_set();

	vocabulary_says(set, "  attributes: {generativ: true}\n", 4, 16,
			"unknown attribute `generativ`; did you mean "
			"`generative`?");
	vocabulary_says(set, "  attributes: {generative: maybe}\n", 4, 28,
			"attribute `generative` is true or false, not "
			"`maybe`");
	vocabulary_says(set, "  attributes: {modalities: [Text]}\n", 4, 29,
			"unknown value `Text` of attribute `modalities`; did "
			"you mean `text`?");
	vocabulary_says(set, "  attributes: {modalities: [text, txt]}\n", 4,
			35, "did you mean `text`?");
	vocabulary_says(set, "  attributes: {primary_data_domain: "
			     "biological_sequence}\n", 4, 37,
			"did you mean `biological_sequences`?");
	vocabulary_says(set, "  attributes: {open_weights: [true]}\n", 4, 16,
			"is one value, true or false, not a list");
	vocabulary_says(set, "  attributes: {primary_data_domain: [legal, "
			     "medical]}\n", 4, 16, "takes one value, not a list");
	/* what the rules read, and the team's own x- keys, pass */
	vocabulary_says(set, "  attributes: {general_purpose: yes, "
			     "generative: true, modalities: [text, code], "
			     "x-team: ml, x-tags: [a, b]}\n", 0, 0, NULL);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_one_key_declared_as_two_types_is_refused)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_diagnostics diags = {0};
	fg_ruleset *a, *b;
	fg_error err;

	a = load_text("ruleset: {id: a, title: A}\n"
		      "attributes: {open_weights: {type: boolean}}\n"
		      "rules: []\n", NULL, &err);
	b = load_text("ruleset: {id: b, title: B}\n"
		      "attributes:\n  open_weights: {type: one_of, values: "
		      "[yes, no]}\nrules: []\n", NULL, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(fg_ruleset_set_add(set, a, &diags, &err), 0);
	ck_assert_int_eq(fg_ruleset_set_add(set, b, &diags, &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 3);
	ck_assert_msg(strstr(err.message, "attribute `open_weights` is "
			     "declared one_of here but boolean at mem.yaml:2:14"),
		      "%s", err.message);
	fg_diagnostics_free(&diags);
	fg_ruleset_set_free(set);
}
END_TEST

/* warnings_for CODES: how many scope warnings a run placed there gets,
 * and the first in *first (owned by the caller when not NULL). */
static size_t warnings_for(const fg_ruleset_set *set, const char *codes,
			   char **first)
{
	char text[512], **w = NULL;
	fg_run_list *list = NULL;
	fg_error err;
	size_t n = 0, i;

	snprintf(text, sizeof(text),
		 "run:\n  id: r\n  jurisdictions: %s\n  phases:\n"
		 "    - {name: p, kind: pretraining, estimates: "
		 "[{method: declared, flop: 1e24}]}\n", codes);
	ck_assert_int_eq(fg_run_list_load_string(&list, "r.yaml", text,
						 strlen(text), NULL, &err), 0);
	ck_assert_int_eq(fg_ruleset_set_scope_warnings(set, &list->runs[0],
						       &w, &n), 0);
	*first = n ? w[0] : NULL;
	for (i = n ? 1 : 0; i < n; i++)
		free(w[i]);
	free(w);
	fg_run_list_free(list);
	return n;
}

START_TEST(test_a_code_one_edit_from_a_covered_one_is_warned_about)
{
	fg_ruleset_set *set = shipped_set();
	char *w;

	ck_assert_uint_eq(warnings_for(set, "[CA]", &w), 1);
	ck_assert_str_eq(w, "jurisdiction `CA` (Canada) is covered by no "
			    "loaded ruleset, but `US-CA` (California) is one "
			    "edit away: check that `CA` is the market you "
			    "meant");
	free(w);
	ck_assert_uint_eq(warnings_for(set, "[KP]", &w), 1);
	ck_assert_ptr_nonnull(strstr(w, "`KR`"));
	free(w);
	/* covered codes, and ones far from any, say nothing */
	ck_assert_uint_eq(warnings_for(set, "[US-CA, EU, DE, KR]", &w), 0);
	ck_assert_uint_eq(warnings_for(set, "[JP]", &w), 0);
	ck_assert_uint_eq(warnings_for(set, "[]", &w), 0);
	/* Israel is one edit from nothing shipped; Illinois's provisional
	 * rules name US-IL */
	ck_assert_uint_eq(warnings_for(set, "[IL]", &w), 0);
	ck_assert_int_eq(fg_ruleset_set_add_path(
				 set, "rules/provisional/il-sb315.yaml", NULL,
				 NULL), 0);
	ck_assert_uint_eq(warnings_for(set, "[IL]", &w), 1);
	ck_assert_ptr_nonnull(strstr(w, "`US-IL` (Illinois)"));
	free(w);
	fg_ruleset_set_free(set);
}
END_TEST

START_TEST(test_skipping_tests_keeps_the_rules_the_text_and_sha256)
{
	fg_ruleset *full = NULL, *head = NULL;
	fg_error err;
	size_t i;

	ck_assert_int_eq(fg_ruleset_load(&full, "rules/eu-ai-act.yaml", NULL,
					 &err), 0);
	ck_assert_int_eq(fg_ruleset_load_flags(&head, "rules/eu-ai-act.yaml",
					       FG_RULESET_SKIP_TESTS, NULL,
					       &err), 0);
	ck_assert_uint_gt(full->test_count, 0);
	ck_assert_uint_eq(head->test_count, 0);
	ck_assert_ptr_null(head->tests);
	ck_assert_uint_eq(head->rule_count, full->rule_count);
	for (i = 0; i < full->rule_count; i++)
		ck_assert_str_eq(head->rules[i].id, full->rules[i].id);
	ck_assert_uint_eq(head->length, full->length);
	ck_assert_int_eq(memcmp(head->text, full->text, full->length), 0);
	ck_assert_str_eq(head->sha256, full->sha256);
	fg_ruleset_free(full);
	fg_ruleset_free(head);
}
END_TEST

START_TEST(test_a_malformed_tests_section_is_for_lint_not_for_evaluation)
{
	const char *path = "tests/fixtures/rules/bad-tests/kr-bad-tests.yaml";
	fg_diagnostics diags = {0};
	fg_ruleset *rs = NULL;
	fg_error err;

	/* lint and test load the whole file: every problem of the tests */
	ck_assert_int_eq(fg_ruleset_load(&rs, path, &diags, &err), FG_EINPUT);
	ck_assert_ptr_null(rs);
	ck_assert_uint_eq(diags.count, 3);
	ck_assert_int_eq(diags.items[0].line, 76);
	fg_diagnostics_free(&diags);
	/* evaluation reads the rules only */
	ck_assert_int_eq(fg_ruleset_load_flags(&rs, path,
					       FG_RULESET_SKIP_TESTS, &diags,
					       &err), 0);
	ck_assert_uint_eq(diags.count, 0);
	ck_assert_uint_eq(rs->rule_count, 1);
	ck_assert_uint_eq(rs->test_count, 0);
	fg_ruleset_free(rs);
}
END_TEST

START_TEST(test_skipping_tests_that_are_not_last_loads_the_whole_file)
{
	char path[64];
	fg_diagnostics diags = {0};
	fg_ruleset *rs = NULL;
	fg_error err;
	FILE *in = fopen("rules/kr-ai-basic-act.yaml", "rb");
	FILE *out;
	char line[4096];
	char *tests = NULL;
	size_t n = 0;
	FILE *mem;

	/* the same ruleset with its tests moved before its rules; and a
	 * malformed "tests:" as the last line, which is then no key of
	 * the file's own but the text of a quoted string */
	snprintf(path, sizeof(path), "/tmp/fg-tests-first-%ld.yaml",
		 (long)getpid());
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(mem = open_memstream(&tests, &n));
	out = fopen(path, "wb");
	ck_assert_ptr_nonnull(out);
	fputs("tests:\n", mem);
	while (fgets(line, sizeof(line), in) && strcmp(line, "tests:\n"))
		fputs(line, out);
	while (fgets(line, sizeof(line), in))
		fputs(line, mem);
	fclose(in);
	fclose(mem);
	fputs(tests, out);
	fputs("x-note: \"a quoted note\ntests: over two lines\"\n", out);
	fclose(out);
	free(tests);
	ck_assert_int_eq(fg_ruleset_load_flags(&rs, path,
					       FG_RULESET_SKIP_TESTS, &diags,
					       &err), FG_EINPUT);
	/* the whole file's problem, as a full load reports it */
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "x-note"));
	fg_diagnostics_free(&diags);
	unlink(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");
	TCase *vocab = tcase_create("vocabulary");

	tcase_add_test(tc, test_shipped_rulesets_define_the_fixed_rule_ids);
	tcase_add_test(tc, test_rules_list_and_tests_render_their_lines);
	tcase_add_test(tc, test_ruleset_keeps_its_text_and_sha256);
	tcase_add_test(tc, test_systemic_risk_rule_is_modelled_as_written);
	tcase_add_test(tc, test_korea_line_is_inclusive_and_eo_cluster_too);
	tcase_add_test(tc, test_condition_tree_all_any_not_and_attributes);
	tcase_add_test(tc, test_each_bad_ruleset_reports_its_file_line_and_column);
	tcase_add_test(tc, test_lint_collects_every_problem_in_one_pass);
	tcase_add_test(tc, test_duplicate_rule_ids_across_files_name_both_places);
	tcase_add_test(tc, test_same_file_twice_is_a_duplicate);
	tcase_add_test(tc, test_duplicate_ruleset_ids_name_both_places);
	tcase_add_test(tc, test_unreadable_entries_of_a_rules_directory_are_errors);
	tcase_add_test(tc, test_empty_directory_and_yaml_errors_without_err);
	tcase_add_test(tc, test_directory_skips_hardware_catalog_and_subdirectories);
	tcase_add_test(tc, test_missing_path_is_an_error);
	tcase_add_test(tc, test_until_is_the_first_day_out_of_force);
	tcase_add_test(tc, test_operator_and_metric_names_round_trip);
	tcase_add_test(tc, test_compact_test_run_builds_phases_and_totals);
	tcase_add_test(tc, test_compact_test_runs_and_lines_are_exact);
	tcase_add_test(tc, test_wrong_kind_of_quantity_for_metric_is_refused);
	tcase_add_test(tc, test_gpai_rules_carry_the_art_111_3_transition);
	tcase_add_test(tc, test_transition_covers_only_runs_placed_strictly_before);
	tcase_add_test(tc, test_transition_problems_are_all_reported_with_locations);
	tcase_add_test(tc, test_test_expectation_may_give_due_dates);
	tcase_add_test(tc,
		       test_skipping_tests_keeps_the_rules_the_text_and_sha256);
	tcase_add_test(tc,
		       test_a_malformed_tests_section_is_for_lint_not_for_evaluation);
	tcase_add_test(tc,
		       test_skipping_tests_that_are_not_last_loads_the_whole_file);
	tcase_add_test(vocab, test_shipped_rulesets_declare_what_they_read);
	tcase_add_test(vocab,
		       test_run_attribute_typos_are_refused_with_a_suggestion);
	tcase_add_test(vocab, test_one_key_declared_as_two_types_is_refused);
	tcase_add_test(vocab,
		       test_a_code_one_edit_from_a_covered_one_is_warned_about);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, vocab);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
