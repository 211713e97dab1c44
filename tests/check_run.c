/* SPDX-License-Identifier: Apache-2.0 */
/* Run files: what loads, what it loads into, and every refusal with the
 * exact place it names. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/hash.h"
#include "flopgate/run.h"

static fg_catalog *catalog;

static void setup(void)
{
	fg_error err;

	ck_assert_msg(fg_catalog_load(&catalog, "rules/hardware.yaml", &err)
		      == 0, "%s", err.message);
}

static void teardown(void)
{
	fg_catalog_free(catalog);
	catalog = NULL;
}

static fg_run_list *load_file(const char *path)
{
	fg_run_list *list = NULL;
	fg_error err;

	ck_assert_msg(fg_run_list_load(&list, path, catalog, &err) == 0,
		      "%s:%d:%d: %s", err.file, err.line, err.column,
		      err.message);
	return list;
}

static fg_run_list *load_text(const char *text)
{
	fg_run_list *list = NULL;
	fg_error err;

	ck_assert_msg(fg_run_list_load_string(&list, "t.yaml", text,
					      strlen(text), catalog, &err)
		      == 0, "%d:%d: %s", err.line, err.column, err.message);
	return list;
}

/* text must be refused at line:column with a message containing want. */
static void refused(const char *text, int line, int column, const char *want)
{
	fg_run_list *list = (fg_run_list *)1;
	fg_error err;
	int rc;

	fg_error_clear(&err);
	rc = fg_run_list_load_string(&list, "t.yaml", text, strlen(text),
				     catalog, &err);
	ck_assert_int_eq(rc, FG_EINPUT);
	ck_assert_ptr_null(list);
	ck_assert_str_eq(err.file, "t.yaml");
	ck_assert_msg(err.line == line && err.column == column,
		      "expected %d:%d, got %d:%d: %s", line, column, err.line,
		      err.column, err.message);
	ck_assert_msg(strstr(err.message, want), "`%s` not in: %s", want,
		      err.message);
}

static int close_to(double a, double b)
{
	return fabs(a - b) <= 1e-12 * fabs(b);
}
#define CLOSE(a, b) ck_assert_msg(close_to((a), (b)), "%.17g != %.17g", \
				  (double)(a), (double)(b))

/* Seven lines; estimates follow from line 8, column 11. */
#define PRE "run:\n  id: r1\n  status: completed\n  phases:\n" \
	    "    - name: p\n      kind: pretraining\n      estimates:\n"

/* ---- good files ------------------------------------------------------ */

START_TEST(test_full_file_loads_every_field)
{
	fg_run_list *list = load_file("tests/fixtures/runs/full.yaml");
	const fg_run *r = &list->runs[0];
	const fg_attribute *a;

	ck_assert_uint_eq(list->count, 1);
	ck_assert_str_eq(r->id, "fixture-full_1.0");
	ck_assert_str_eq(r->model, "Fixture Model");
	ck_assert_str_eq(r->developer, "Fixture Labs");
	ck_assert_int_eq(r->status, FG_STATUS_RUNNING);
	ck_assert_uint_eq(r->jurisdiction_count, 4);
	ck_assert_str_eq(r->jurisdictions[0], "EU");
	ck_assert_str_eq(r->jurisdictions[2], "US-CA");
	ck_assert_int_eq(r->start, fg_date_from_civil(2026, 1, 5));
	ck_assert_int_eq(r->end, FG_DATE_NONE);
	ck_assert_int_eq(r->threshold_known, fg_date_from_civil(2026, 2, 1));
	ck_assert_int_eq(r->planned_end, fg_date_from_civil(2026, 6, 30));
	CLOSE(r->annual_revenue_usd, 6.0e8);
	a = fg_run_attribute(r, "generative");
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->value_count, 1);
	ck_assert_str_eq(a->values[0], "true"); /* written `yes` */
	a = fg_run_attribute(r, "modalities");
	ck_assert_uint_eq(a->value_count, 2);
	ck_assert_str_eq(a->values[1], "image");
	ck_assert_str_eq(fg_run_attribute(r, "layers")->values[0], "96");
	ck_assert_ptr_null(fg_run_attribute(r, "absent"));
	ck_assert_int_eq(r->has_base_model, 1);
	ck_assert_str_eq(r->base_model_id, "fixture-base");
	CLOSE(r->base_model_flop, 38e24);
	ck_assert_int_eq(r->base_model_systemic_risk, 0);
	CLOSE(r->pue, 1.3);
	CLOSE(r->server_overhead, 1.5);
	ck_assert_uint_eq(r->progress_count, 2);
	/* +02:00 offset: 10:00 UTC */
	CLOSE(r->progress[1].at,
	      fg_date_from_civil(2026, 2, 11) * 86400.0 + 10 * 3600.0);
	ck_assert_int_eq(r->line, 2);
	ck_assert_int_eq(r->column, 1);
	ck_assert_int_eq(r->compute_line, 20);
	ck_assert_int_eq(r->compute_column, 3);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_full_file_estimate_inputs_and_defaults)
{
	fg_run_list *list = load_file("tests/fixtures/runs/full.yaml");
	const fg_run *r = &list->runs[0];
	const fg_phase *pre = &r->phases[0], *tune = &r->phases[1];
	const fg_estimate_input *e;

	ck_assert_uint_eq(r->phase_count, 2);
	ck_assert_str_eq(pre->name, "pre-training");
	ck_assert_int_eq(pre->kind, FG_KIND_PRETRAINING);
	CLOSE(pre->cost_usd, 60e6);
	ck_assert_int_eq(tune->kind, FG_KIND_FINE_TUNING);
	ck_assert(tune->cost_usd < 0);
	ck_assert_uint_eq(pre->estimate_count, 4);

	e = &pre->estimates[0];
	ck_assert_int_eq(e->method, FG_METHOD_ARCHITECTURE);
	CLOSE(e->parameters, 405e9);
	CLOSE(e->active_parameters, 405e9);
	CLOSE(e->tokens, 15.6e12);
	CLOSE(e->flop_per_parameter_token, 6);
	CLOSE(e->epochs, 1);
	ck_assert_int_eq(e->line, 25);
	ck_assert_int_eq(e->column, 11);

	e = &pre->estimates[1];
	ck_assert_int_eq(e->method, FG_METHOD_HARDWARE);
	ck_assert_str_eq(e->accelerator->id, "nvidia-h100-sxm");
	ck_assert_int_eq(e->precision, FG_PREC_BF16);
	CLOSE(e->count, 16384);
	CLOSE(e->chip_hours, 2.788e6);
	/* count with chip_hours: the wall-clock time follows */
	CLOSE(e->seconds, 2.788e6 * 3600.0 / 16384);
	ck_assert_int_eq(e->utilization_given, 0);
	CLOSE(e->utilization, 0.35);
	CLOSE(e->utilization_low, 0.20);
	CLOSE(e->utilization_high, 0.55);

	e = &pre->estimates[2];
	ck_assert_int_eq(e->method, FG_METHOD_DECLARED);
	CLOSE(e->flop, 43500 * 8.64e19);
	CLOSE(e->flop_low, e->flop);
	ck_assert_str_eq(e->source, "paper");

	e = &pre->estimates[3];
	ck_assert_int_eq(e->method, FG_METHOD_MEASURED);
	CLOSE(e->flop_low, 3.7e25);
	CLOSE(e->flop_high, 3.9e25);
	ck_assert_ptr_null(e->source);

	e = &tune->estimates[0];
	CLOSE(e->active_parameters, 50e9);
	CLOSE(e->flop_per_parameter_token, 8);
	CLOSE(e->epochs, 2);

	e = &tune->estimates[1];
	ck_assert_int_eq(e->precision, FG_PREC_FP16);
	ck_assert_uint_eq(e->period_count, 2);
	CLOSE(e->periods[0].count, 6144);
	CLOSE(e->periods[0].seconds, 1200 * 3600.0);
	CLOSE(e->periods[1].seconds, 14 * 86400.0);
	ck_assert_int_eq(e->utilization_given, 1);
	/* a band is centred on its midpoint, exactly */
	CLOSE(e->utilization, 0.39);
	ck_assert_double_eq(fg_exact_to_double(e->exact.utilization), 0.39);
	CLOSE(e->utilization_low, 0.30);
	CLOSE(e->utilization_high, 0.48);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_stream_loads_each_document_and_skips_empty_ones)
{
	fg_run_list *list = load_file("tests/fixtures/runs/stream.yaml");
	char sha[65];

	ck_assert_uint_eq(list->count, 3);
	ck_assert_str_eq(list->runs[0].id, "stream-a");
	ck_assert_str_eq(list->runs[1].id, "stream-b");
	ck_assert_str_eq(list->runs[2].id, "stream-c");
	ck_assert_int_eq(list->runs[0].status, FG_STATUS_PLANNED);
	ck_assert_int_eq(list->runs[1].status, FG_STATUS_COMPLETED);
	ck_assert_int_eq(list->runs[1].line, 10);
	ck_assert_int_eq(list->runs[2].line, 20);
	ck_assert_str_eq(list->runs[2].file,
			 "tests/fixtures/runs/stream.yaml");
	/* each document keeps its own text and hash */
	ck_assert_ptr_nonnull(strstr(list->runs[1].input_text, "stream-b"));
	ck_assert_ptr_null(strstr(list->runs[1].input_text, "stream-a"));
	fg_sha256_hex(list->runs[1].input_text, list->runs[1].input_length,
		      sha);
	ck_assert_str_eq(sha, list->runs[1].input_sha256);
	ck_assert_str_ne(list->runs[0].input_sha256,
			 list->runs[1].input_sha256);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_units_and_powers_of_ten_are_accepted)
{
	fg_run_list *list = load_text(
		PRE "        - {method: declared, flop: 10^25}\n"
		    "        - {method: measured, flop: 1.2 ZFLOP}\n"
		    "        - {method: hardware, accelerator: google-tpu-v4,"
		    " count: 6144, duration: 50d, utilization: 46.2%}\n"
		    "  jurisdictions: []\n");
	const fg_estimate_input *e = list->runs[0].phases[0].estimates;

	CLOSE(e[0].flop, 1e25);
	CLOSE(e[1].flop, 1.2e21);
	CLOSE(e[2].seconds, 50 * 86400.0);
	CLOSE(e[2].utilization, 0.462);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_us_coverage_runs_both_ways)
{
	fg_run_list *list = load_text(
		"run:\n  id: r\n  jurisdictions: [US, EU]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n"
		"---\n"
		"run:\n  id: s\n  jurisdictions: [US-CA]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n");

	/* a US run is in every state rule's scope */
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "US-CA"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "US-NY"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "US"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "EU"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "KR"), 0);
	/* a run placed in a state is placed in the country: federal rules
	 * (EO 14110, BIS) cover it; other states' rules do not */
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[1], "US"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[1], "US-CA"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[1], "US-NY"), 0);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[1], "CA"), 0);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_member_state_listing_is_in_the_eu)
{
	fg_run_list *list = load_text(
		"run:\n  id: r\n  jurisdictions: [de]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n"
		"---\n"
		"run:\n  id: s\n  jurisdictions: [NO]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n"
		"---\n"
		"run:\n  id: t\n  jurisdictions: [EL]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n"
		"---\n"
		"run:\n  id: u\n  jurisdictions: [EU]\n  phases:\n"
		"    - {name: p, kind: pretraining, estimates: "
		"[{method: declared, flop: 1e25}]}\n");

	ck_assert_str_eq(list->runs[0].jurisdictions[0], "DE");
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "EU"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "DE"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "FR"), 0);
	/* Norway is in the EEA, not the Union */
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[1], "EU"), 0);
	/* the Union's own code for Greece, and ISO's, are one country */
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[2], "EU"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[2], "GR"), 1);
	/* a Union-wide placement is in every member state */
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[3], "FR"), 1);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[3], "NO"), 0);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_fractional_chip_count_is_refused)
{
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100-sxm\n"
		    "          count: 8.5\n"
		    "          duration: 1d\n", 10, 18, "whole number");
}
END_TEST

START_TEST(test_merge_appends_and_refuses_duplicate_ids)
{
	fg_run_list *a = load_file("tests/fixtures/runs/stream.yaml");
	fg_run_list *b = load_file("tests/fixtures/runs/full.yaml");
	fg_run_list *c = load_file("tests/fixtures/runs/stream.yaml");
	fg_error err;

	ck_assert_int_eq(fg_run_list_merge(a, b, &err), 0);
	ck_assert_uint_eq(a->count, 4);
	ck_assert_str_eq(a->runs[3].id, "fixture-full_1.0");
	ck_assert_int_eq(fg_run_list_merge(a, c, &err), FG_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "stream-a"));
	ck_assert_int_eq(err.line, 2);
	/* both lists intact */
	ck_assert_uint_eq(a->count, 4);
	ck_assert_uint_eq(c->count, 3);
	fg_run_list_free(a);
	fg_run_list_free(c);
}
END_TEST

START_TEST(test_names_round_trip)
{
	fg_phase_kind k;

	ck_assert_int_eq(fg_phase_kind_parse(&k, "synthetic_data"), 0);
	ck_assert_int_eq(k, FG_KIND_SYNTHETIC_DATA);
	ck_assert_str_eq(fg_phase_kind_name(FG_KIND_RL), "rl");
	ck_assert_int_eq(fg_phase_kind_parse(&k, "pretrain"), FG_ENOTFOUND);
	ck_assert_str_eq(fg_method_name(FG_METHOD_MEASURED), "measured");
	ck_assert_str_eq(fg_run_status_name(FG_STATUS_RUNNING), "running");
}
END_TEST

/* ---- refusals, each with the place it names -------------------------- */

START_TEST(test_unknown_run_key_suggests_the_known_one)
{
	refused("run:\n  id: r1\n  jurisdiction: [EU]\n  phases: []\n", 3, 3,
		"did you mean `jurisdictions`?");
}
END_TEST

START_TEST(test_unknown_estimate_key_suggests_the_known_one)
{
	refused(PRE "        - method: architecture\n"
		    "          parameters: 1e9\n"
		    "          token: 1e12\n", 10, 11,
		"did you mean `tokens`?");
}
END_TEST

START_TEST(test_unknown_top_key)
{
	refused("runs:\n  id: r1\n", 1, 1, "did you mean `run`?");
}
END_TEST

START_TEST(test_rate_where_total_needed_is_refused)
{
	refused(PRE "        - method: declared\n"
		    "          flop: 2.5 EFLOP/s\n", 9, 17, "FLOP/s");
	refused("run:\n  id: r1\n  base_model: {id: b, training_compute_flop:"
		" 1 EFLOP/s}\n", 3, 46, "FLOP/s");
}
END_TEST

START_TEST(test_missing_id_and_phases)
{
	refused("run:\n  status: planned\n  phases: []\n", 2, 3,
		"`run` has no `id`");
	refused("run:\n  id: r1\n", 2, 3, "`run` has no `phases`");
	refused("run:\n  id: r1\n  phases: []\n", 3, 11, "has no phases");
}
END_TEST

START_TEST(test_bad_run_id)
{
	refused("run:\n  id: r 1\n  phases: []\n", 2, 7, "run id `r 1`");
}
END_TEST

START_TEST(test_bad_jurisdiction)
{
	refused("run:\n  id: r1\n  jurisdictions: [EU, USA-CAL]\n", 3, 23,
		"ISO 3166");
	/* a state without its country, ISO's reserved UK, another
	 * country's subdivision, an unassigned code */
	refused("run:\n  id: r1\n  jurisdictions: [NY]\n", 3, 19,
		"`NY` is not a valid code; did you mean `US-NY` (New York)?");
	refused("run:\n  id: r1\n  jurisdictions: [uk]\n", 3, 19,
		"did you mean `GB` (United Kingdom)?");
	refused("run:\n  id: r1\n  jurisdictions: [DE-BY]\n", 3, 19,
		"`DE-BY` is not a valid code");
	refused("run:\n  id: r1\n  jurisdictions: [XK]\n", 3, 19,
		"`XK` is not a valid code");
}
END_TEST

/* `jurisdictions` is required; [] says "placed nowhere". */
START_TEST(test_jurisdictions_are_required_and_may_be_empty)
{
	fg_run_list *list;

	refused("run:\n  id: r1\n  phases: [{name: p, kind: other, "
		"estimates: [{method: declared, flop: 1}]}]\n", 2, 3,
		"run `r1` has no `jurisdictions`");
	list = load_text("run:\n  id: r\n  jurisdictions: []\n  phases:\n"
			 "    - {name: p, kind: pretraining, estimates: "
			 "[{method: declared, flop: 1e25}]}\n");
	ck_assert_uint_eq(list->runs[0].jurisdiction_count, 0);
	ck_assert_int_eq(fg_run_in_jurisdiction(&list->runs[0], "EU"), 0);
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_organization_and_base_model_fields)
{
	fg_run_list *list = load_text(
		"run:\n  id: r\n  jurisdictions: [EU]\n"
		"  organization: {established_in: ch}\n"
		"  base_model: {id: b, same_provider: true}\n"
		"  attributes: {modalities: [text, image], x-team: ml}\n"
		"  phases:\n"
		"    - {name: p, kind: fine_tuning, estimates: "
		"[{method: declared, flop: 1e24}]}\n");
	const fg_run *r = &list->runs[0];

	ck_assert_str_eq(r->established_in, "CH");
	ck_assert_int_eq(r->base_model_same_provider, 1);
	ck_assert(fg_run_continues_own_model(r));
	ck_assert(!fg_run_modifies_other_provider(r));
	/* attribute keys and values keep where they were written, for the
	 * vocabulary's FILE:LINE:COL */
	ck_assert_int_eq(r->attributes[0].at.line, 6);
	ck_assert_int_eq(r->attributes[0].at.column, 16);
	ck_assert(r->attributes[0].is_list);
	ck_assert_int_eq(r->attributes[0].value_at[1].line, 6);
	ck_assert_int_eq(r->attributes[0].value_at[1].column, 35);
	fg_run_list_free(list);
	refused("run:\n  id: r1\n  jurisdictions: [EU]\n"
		"  organization: {established_in: EU}\n", 4, 34,
		"`established_in` is the country");
}
END_TEST

START_TEST(test_estimate_without_method)
{
	refused(PRE "        - flop: 1e25\n", 8, 11,
		"`estimate` has no `method`");
}
END_TEST

START_TEST(test_unknown_method_and_kind)
{
	refused(PRE "        - method: archtecture\n", 8, 19,
		"did you mean `architecture`?");
	refused("run:\n  id: r1\n  phases:\n    - name: p\n"
		"      kind: pretrain\n", 5, 13,
		"did you mean `pretraining`?");
}
END_TEST

START_TEST(test_architecture_needs_tokens)
{
	refused(PRE "        - method: architecture\n"
		    "          parameters: 1e9\n", 8, 11, "has no `tokens`");
	refused(PRE "        - method: architecture\n"
		    "          parameters: 1e9\n"
		    "          active_parameters: 2e9\n"
		    "          tokens: 1e12\n", 10, 30,
		"more than `parameters`");
}
END_TEST

START_TEST(test_contradictory_chip_time_is_refused)
{
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100-sxm\n"
		    "          count: 8\n"
		    "          duration: 10d\n"
		    "          chip_hours: 100\n", 12, 11, "not both");
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100-sxm\n"
		    "          count: 8\n"
		    "          periods: [{count: 8, duration: 1d}]\n", 10, 11,
		"drop `count`");
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100-sxm\n"
		    "          count: 8\n", 10, 11, "needs a `duration`");
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100-sxm\n", 8, 11,
		"needs `count` and `duration`");
}
END_TEST

START_TEST(test_unknown_accelerator_names_the_ones_meant)
{
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-h100\n"
		    "          count: 8\n"
		    "          duration: 1d\n", 9, 24,
		"unknown accelerator `nvidia-h100`; did you mean "
		"`nvidia-h100-sxm` or `nvidia-h100-pcie`? (`flopgate "
		"hardware` lists them all)");
}
END_TEST

START_TEST(test_precision_the_chip_lacks_is_refused)
{
	/* bf16 by default: Volta has none */
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-v100-sxm2\n"
		    "          count: 8\n"
		    "          duration: 1d\n", 9, 24,
		"no dense bf16 peak");
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-a100-sxm\n"
		    "          count: 8\n"
		    "          duration: 1d\n"
		    "          precision: fp8\n", 12, 22, "it lists fp64, tf32");
	refused(PRE "        - method: hardware\n"
		    "          accelerator: nvidia-a100-sxm\n"
		    "          count: 8\n"
		    "          duration: 1d\n"
		    "          precision: bf32\n", 12, 22,
		"unknown precision `bf32`");
}
END_TEST

START_TEST(test_utilization_outside_zero_one_is_refused)
{
	const char *hw = PRE "        - method: hardware\n"
			     "          accelerator: nvidia-h100-sxm\n"
			     "          count: 8\n"
			     "          duration: 1d\n";
	char text[1024];

	snprintf(text, sizeof(text), "%s          utilization: 1.2\n", hw);
	refused(text, 12, 24, "(0, 1]");
	snprintf(text, sizeof(text), "%s          utilization: 0\n", hw);
	refused(text, 12, 24, "(0, 1]");
	snprintf(text, sizeof(text), "%s          utilization: [0.3, 1.5]\n",
		 hw);
	refused(text, 12, 24, "(0, 1]");
}
END_TEST

START_TEST(test_range_must_contain_the_figure)
{
	refused(PRE "        - method: declared\n"
		    "          flop: 5e25\n"
		    "          range: [1e25, 2e25]\n", 10, 18,
		"does not contain");
}
END_TEST

START_TEST(test_second_estimate_of_one_method_is_refused)
{
	refused(PRE "        - {method: declared, flop: 1e25}\n"
		    "        - {method: declared, flop: 2e25}\n", 9, 11,
		"second `declared`");
}
END_TEST

START_TEST(test_duplicate_run_ids_in_a_file)
{
	refused("run:\n  id: r1\n  jurisdictions: []\n  phases: [{name: p, "
		"kind: other, estimates: [{method: declared, flop: 1}]}]\n"
		"---\n"
		"run:\n  id: r1\n  jurisdictions: []\n  phases: [{name: p, "
		"kind: other, estimates: [{method: declared, flop: 1}]}]\n", 7, 7,
		"used twice in this file (first at line 1)");
}
END_TEST

START_TEST(test_file_without_runs_is_bad_input)
{
	refused("", 1, 1, "no runs in t.yaml");
	refused("---\n", 1, 1, "no runs in t.yaml");
	refused("# nothing but a comment\n", 1, 1, "no runs in t.yaml");
}
END_TEST

/* Progress is compute already used: a planned run has none; a running
 * run has, and a completed one keeps its record (issue 8 item 4: the
 * crossing day of a completed run from its progress), exactly. */
START_TEST(test_progress_is_for_running_and_completed_runs)
{
	fg_run_list *list;
	char buf[64];

	refused("run:\n  id: r1\n  status: planned\n  phases:\n"
		"    - name: p\n      kind: pretraining\n      estimates:\n"
		"        - {method: declared, flop: 1e25}\n"
		"  progress:\n"
		"    - {at: 2026-01-01T00:00:00Z, flop: 1e24}\n", 9, 3,
		"this one is planned");
	list = load_text(PRE "        - {method: declared, flop: 1e25}\n"
			 "  jurisdictions: [EU]\n"
			 "  progress:\n"
			 "    - {at: 2026-01-01T00:00:00Z, flop: 1e24}\n"
			 "    - {at: 2026-02-01T00:00:00Z, flop: "
			 "10000000000000000000000001}\n");
	ck_assert_uint_eq(list->runs[0].progress_count, 2);
	ck_assert_str_eq(fg_exact_format(list->runs[0].progress[1].exact.flop,
					 buf, sizeof(buf)),
			 "10000000000000000000000001");
	fg_run_list_free(list);
}
END_TEST

START_TEST(test_progress_must_be_in_time_order)
{
	refused("run:\n  id: r1\n  status: running\n  phases:\n"
		"    - {name: p, kind: other, estimates: [{method: declared, "
		"flop: 1e25}]}\n"
		"  progress:\n"
		"    - {at: 2026-01-02T00:00:00Z, flop: 1e24}\n"
		"    - {at: 2026-01-01T00:00:00Z, flop: 2e24}\n", 8, 12,
		"time order");
}
END_TEST

START_TEST(test_dates_end_before_start)
{
	refused("run:\n  id: r1\n  dates: {start: 2026-05-01, end: "
		"2026-04-01}\n", 3, 35, "before `dates.start`");
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *good = tcase_create("good"), *bad = tcase_create("refusals");

	tcase_add_checked_fixture(good, setup, teardown);
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_test(good, test_full_file_loads_every_field);
	tcase_add_test(good, test_full_file_estimate_inputs_and_defaults);
	tcase_add_test(good,
		       test_stream_loads_each_document_and_skips_empty_ones);
	tcase_add_test(good, test_units_and_powers_of_ten_are_accepted);
	tcase_add_test(good, test_us_coverage_runs_both_ways);
	tcase_add_test(good, test_member_state_listing_is_in_the_eu);
	tcase_add_test(good, test_merge_appends_and_refuses_duplicate_ids);
	tcase_add_test(good, test_names_round_trip);
	tcase_add_test(bad, test_unknown_run_key_suggests_the_known_one);
	tcase_add_test(bad, test_unknown_estimate_key_suggests_the_known_one);
	tcase_add_test(bad, test_unknown_top_key);
	tcase_add_test(bad, test_rate_where_total_needed_is_refused);
	tcase_add_test(bad, test_missing_id_and_phases);
	tcase_add_test(bad, test_bad_run_id);
	tcase_add_test(bad, test_bad_jurisdiction);
	tcase_add_test(bad, test_jurisdictions_are_required_and_may_be_empty);
	tcase_add_test(good, test_organization_and_base_model_fields);
	tcase_add_test(bad, test_estimate_without_method);
	tcase_add_test(bad, test_unknown_method_and_kind);
	tcase_add_test(bad, test_architecture_needs_tokens);
	tcase_add_test(bad, test_contradictory_chip_time_is_refused);
	tcase_add_test(bad, test_fractional_chip_count_is_refused);
	tcase_add_test(bad, test_unknown_accelerator_names_the_ones_meant);
	tcase_add_test(bad, test_precision_the_chip_lacks_is_refused);
	tcase_add_test(bad, test_utilization_outside_zero_one_is_refused);
	tcase_add_test(bad, test_range_must_contain_the_figure);
	tcase_add_test(bad, test_second_estimate_of_one_method_is_refused);
	tcase_add_test(bad, test_duplicate_run_ids_in_a_file);
	tcase_add_test(bad, test_file_without_runs_is_bad_input);
	tcase_add_test(bad, test_progress_is_for_running_and_completed_runs);
	tcase_add_test(bad, test_progress_must_be_in_time_order);
	tcase_add_test(bad, test_dates_end_before_start);
	suite_add_tcase(s, good);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(run_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
