/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator catalog: the shipped figures are the dense ones, every
 * id DESIGN.md names is there, and a bad catalog is refused in place. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flopgate/hardware.h"

static fg_catalog *catalog;

static void setup(void)
{
	fg_error err;

	ck_assert_msg(fg_catalog_load(&catalog, "rules/hardware.yaml", &err)
		      == 0, "%s:%d:%d: %s", err.file, err.line, err.column,
		      err.message);
}

static void teardown(void)
{
	fg_catalog_free(catalog);
	catalog = NULL;
}

static const fg_accelerator *chip(const char *id)
{
	const fg_accelerator *a = fg_catalog_find(catalog, id);

	ck_assert_msg(a != NULL, "%s missing", id);
	return a;
}

START_TEST(test_every_designed_id_is_in_the_catalog)
{
	static const char *const ids[] = {
		"nvidia-v100-sxm2", "nvidia-a100-sxm", "nvidia-a100-pcie",
		"nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200",
		"nvidia-h800", "nvidia-b200", "nvidia-gb200", "amd-mi250x",
		"amd-mi300x", "amd-mi325x", "google-tpu-v4", "google-tpu-v5e",
		"google-tpu-v5p", "google-tpu-v6e", "intel-gaudi2",
		"intel-gaudi3", "aws-trainium", "aws-trainium2", NULL
	};
	size_t i;

	for (i = 0; ids[i]; i++)
		ck_assert_str_eq(chip(ids[i])->id, ids[i]);
	ck_assert_uint_eq(fg_catalog_count(catalog), i);
	ck_assert_ptr_null(fg_catalog_find(catalog, "nvidia-h100"));
}
END_TEST

START_TEST(test_h100_sxm_peaks_are_dense)
{
	const fg_accelerator *h100 = chip("nvidia-h100-sxm");

	/* reference/compute.md §3: 989.4 dense, 1,978.9 "with sparsity" */
	ck_assert_double_eq(h100->peak_flops[FG_PREC_BF16], 989.4e12);
	ck_assert_double_eq(h100->peak_flops[FG_PREC_FP8], 1978.9e12);
	ck_assert_double_eq(h100->tdp_watts, 700);
}
END_TEST

START_TEST(test_blackwell_fp8_is_the_dense_figure)
{
	/* NVIDIA's "9 PFLOPS FP8" for B200 and "10" for GB200 are sparse */
	ck_assert_double_eq(chip("nvidia-b200")->peak_flops[FG_PREC_FP8],
			    4.5e15);
	ck_assert_double_eq(chip("nvidia-gb200")->peak_flops[FG_PREC_FP8],
			    5.0e15);
	ck_assert_double_eq(chip("nvidia-h200")->peak_flops[FG_PREC_FP8],
			    1979e12);
	ck_assert_double_eq(chip("amd-mi300x")->peak_flops[FG_PREC_BF16],
			    1307.4e12);
}
END_TEST

START_TEST(test_missing_precision_reads_as_zero)
{
	const fg_accelerator *v100 = chip("nvidia-v100-sxm2");

	ck_assert_double_eq(v100->peak_flops[FG_PREC_BF16], 0);
	ck_assert_double_eq(v100->peak_flops[FG_PREC_FP16], 125e12);
	ck_assert_double_eq(chip("google-tpu-v4")->tdp_watts, 0);
}
END_TEST

START_TEST(test_every_chip_has_a_name_a_source_and_a_peak)
{
	size_t i;

	for (i = 0; i < fg_catalog_count(catalog); i++) {
		const fg_accelerator *a = fg_catalog_at(catalog, i);

		ck_assert(strlen(a->name) > 0);
		ck_assert_msg(strstr(a->source, "[S"), "%s cites no [S#]",
			      a->id);
		ck_assert_msg(a->peak_flops[FG_PREC_BF16] > 0 ||
			      a->peak_flops[FG_PREC_FP16] > 0,
			      "%s has no 16-bit peak", a->id);
	}
	ck_assert_ptr_null(fg_catalog_at(catalog, i));
}
END_TEST

/* Issue 12, item 3: the chips the writer meant, never a sibling with
 * another number (H200, H800 for "h100"). */
START_TEST(test_nearest_names_the_chips_meant)
{
	const char *near[8];
	size_t n = fg_catalog_nearest(catalog, "nvidia-h100", near, 8);

	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(near[0], "nvidia-h100-sxm");
	ck_assert_str_eq(near[1], "nvidia-h100-pcie");
	n = fg_catalog_nearest(catalog, "h100", near, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(near[0], "nvidia-h100-sxm");
	ck_assert_str_eq(near[1], "nvidia-h100-pcie");
	n = fg_catalog_nearest(catalog, "A100", near, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(near[0], "nvidia-a100-sxm");
	ck_assert_str_eq(near[1], "nvidia-a100-pcie");
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "tpu v5p", near, 8), 1);
	ck_assert_str_eq(near[0], "google-tpu-v5p");
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "v5p", near, 8), 1);
	ck_assert_str_eq(near[0], "google-tpu-v5p");
	/* the datasheet's name finds its id */
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "H100 SXM5", near, 8),
			  1);
	ck_assert_str_eq(near[0], "nvidia-h100-sxm");
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "Trillium", near, 8),
			  1);
	ck_assert_str_eq(near[0], "google-tpu-v6e");
	n = fg_catalog_nearest(catalog, "AMD-MI300", near, 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(near[0], "amd-mi300x");
	/* every TPU, though only two fit */
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "tpu", near, 2), 4);
	ck_assert_str_eq(near[0], "google-tpu-v4");
	ck_assert_str_eq(near[1], "google-tpu-v5e");
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "x", near, 0), 0);
	ck_assert_uint_eq(fg_catalog_nearest(catalog, "zzzzzz", near, 8), 0);
}
END_TEST

START_TEST(test_default_utilization_band)
{
	double lo, u, hi;

	fg_catalog_utilization(catalog, &lo, &u, &hi);
	ck_assert_double_eq(lo, 0.20);
	ck_assert_double_eq(u, 0.35);
	ck_assert_double_eq(hi, 0.55);
	ck_assert_uint_eq(strlen(fg_catalog_sha256(catalog)), 64);
}
END_TEST

START_TEST(test_precision_names_round_trip)
{
	fg_precision p;
	int i;

	for (i = 0; i < FG_PREC_COUNT; i++) {
		ck_assert_int_eq(fg_precision_parse(&p, fg_precision_name(
							       (fg_precision)i)),
				 0);
		ck_assert_int_eq(p, i);
	}
	ck_assert_int_eq(fg_precision_parse(&p, "fp4"), FG_ENOTFOUND);
}
END_TEST

/* Loads text as a catalog file; must fail at line:column with want. */
static void refused(const char *text, int line, int column, const char *want)
{
	char path[] = "/tmp/flopgate-catalog-XXXXXX";
	fg_catalog *cat = (fg_catalog *)1;
	fg_error err;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(fg_catalog_load(&cat, path, &err), FG_EINPUT);
	unlink(path);
	ck_assert_ptr_null(cat);
	ck_assert_msg(err.line == line && err.column == column,
		      "expected %d:%d, got %d:%d: %s", line, column, err.line,
		      err.column, err.message);
	ck_assert_msg(strstr(err.message, want), "`%s` not in: %s", want,
		      err.message);
}

#define CHIP "  - {id: x-1, name: X, source: s, "

START_TEST(test_bad_catalogs_are_refused_in_place)
{
	refused("accelerators:\n" CHIP "peak_tflop: {bf16: 1}}\n", 2, 35,
		"did you mean `peak_tflops`?");
	refused("accelerators:\n" CHIP "peak_tflops: {bf61: 1}}\n", 2, 49,
		"did you mean `bf16`?");
	refused("accelerators:\n" CHIP "peak_tflops: {bf16: 0}}\n", 2, 55,
		"leave out a precision");
	refused("accelerators:\n" CHIP "peak_tflops: {bf16: 1}}\n"
		CHIP "peak_tflops: {bf16: 1}}\n", 3, 10, "listed twice");
	refused("accelerators:\n  - {id: X-1, name: X, source: s, "
		"peak_tflops: {bf16: 1}}\n", 2, 10, "lower-case");
	refused("catalog: {utilization: {default: 1.5}}\naccelerators: []\n",
		1, 34, "(0, 1]");
	refused("catalog: {utilization: {default: 0.6, range: [0.2, 0.5]}}\n",
		1, 46, "contain the default");
	refused("accelerators: []\n", 1, 15, "empty");
}
END_TEST

static Suite *hardware_suite(void)
{
	Suite *s = suite_create("hardware");
	TCase *tc = tcase_create("catalog");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_designed_id_is_in_the_catalog);
	tcase_add_test(tc, test_h100_sxm_peaks_are_dense);
	tcase_add_test(tc, test_blackwell_fp8_is_the_dense_figure);
	tcase_add_test(tc, test_missing_precision_reads_as_zero);
	tcase_add_test(tc, test_every_chip_has_a_name_a_source_and_a_peak);
	tcase_add_test(tc, test_nearest_names_the_chips_meant);
	tcase_add_test(tc, test_default_utilization_band);
	tcase_add_test(tc, test_precision_names_round_trip);
	tcase_add_test(tc, test_bad_catalogs_are_refused_in_place);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hardware_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
