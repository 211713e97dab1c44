/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: "did you mean" (src/suggest.c) — issue 12, item 3: the
 * suggestion names what the writer evidently meant, not only the fewest
 * edits. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/jurisdiction.h"
#include "flopgate/suggest.h"

static const char *const chips[] = {
	"nvidia-v100-sxm2", "nvidia-a100-sxm", "nvidia-a100-pcie",
	"nvidia-h100-sxm", "nvidia-h100-pcie", "nvidia-h200", "nvidia-h800",
	"nvidia-b200", "nvidia-gb200", "amd-mi250x", "amd-mi300x",
	"amd-mi325x", "google-tpu-v4", "google-tpu-v5e", "google-tpu-v5p",
	"google-tpu-v6e", "intel-gaudi2", "intel-gaudi3", "aws-trainium",
	"aws-trainium2", NULL
};
static const char *const waiver_keys[] = {"rule", "run", "reason",
					  "approved_by", "expires", NULL};
static const char *const estimate_keys[] = {
	"method", "parameters", "active_parameters", "tokens",
	"flop_per_parameter_token", "epochs", "source", NULL
};
static const char *const hardware_keys[] = {
	"method", "accelerator", "count", "duration", "chip_hours", "periods",
	"precision", "utilization", "source", NULL
};
static const char *const kinds[] = {
	"pretraining", "continued_pretraining", "fine_tuning", "rl",
	"synthetic_data", "distillation", "other", NULL
};
static const char *const precisions[] = {"fp64", "tf32", "bf16", "fp16",
					 "fp8", "int8", NULL};
static const char *const metrics[] = {
	"training_compute_flop", "modification_compute_flop",
	"modification_fraction", "training_cost_usd", "cluster_peak_flops",
	"organization.annual_revenue_usd", NULL
};

static char text[512];

/* The suggestion phrase for word among list, "" for none. */
static const char *meant(const char *word, const char *const *list)
{
	const char *s = fg_suggest_text(text, sizeof(text), word, list);

	return s ? s : "";
}

START_TEST(test_a_chip_by_its_model_number)
{
	/* today's complaint: h100 suggested H200, H800, MI300X */
	ck_assert_str_eq(meant("h100", chips),
			 "`nvidia-h100-sxm` or `nvidia-h100-pcie`");
	ck_assert_str_eq(meant("H100", chips),
			 "`nvidia-h100-sxm` or `nvidia-h100-pcie`");
	ck_assert_str_eq(meant("a100", chips),
			 "`nvidia-a100-sxm` or `nvidia-a100-pcie`");
	ck_assert_str_eq(meant("tpu v5p", chips), "`google-tpu-v5p`");
	ck_assert_str_eq(meant("TPU-v5p", chips), "`google-tpu-v5p`");
	ck_assert_str_eq(meant("v5p", chips), "`google-tpu-v5p`");
	ck_assert_str_eq(meant("nvidia-h100", chips),
			 "`nvidia-h100-sxm` or `nvidia-h100-pcie`");
	ck_assert_str_eq(meant("nvidia-h100-sxm5", chips),
			 "`nvidia-h100-sxm`");
	ck_assert_str_eq(meant("h100-sxm5", chips),
			 "`nvidia-h100-sxm` or `nvidia-h100-pcie`");
	ck_assert_str_eq(meant("mi300", chips), "`amd-mi300x`");
	ck_assert_str_eq(meant("gaudi", chips),
			 "`intel-gaudi2` or `intel-gaudi3`");
	ck_assert_str_eq(meant("b200", chips), "`nvidia-b200`");
	ck_assert_str_eq(meant("trainium", chips), "`aws-trainium`");
	ck_assert_str_eq(meant("tpu", chips),
			 "`google-tpu-v4`, `google-tpu-v5e`, `google-tpu-v5p` "
			 "or `google-tpu-v6e`");
	/* a model number is never "corrected" into another one; the
	 * vendor's chips are what is left to offer */
	ck_assert_str_eq(meant("h300", chips), "");
	ck_assert_uint_eq(fg_suggest(NULL, 0, "nvidia-h300", chips, NULL), 9);
}
END_TEST

START_TEST(test_a_key_by_its_synonym)
{
	ck_assert_str_eq(meant("approver", waiver_keys), "`approved_by`");
	ck_assert_str_eq(meant("Approved-By", waiver_keys), "`approved_by`");
	ck_assert_str_eq(meant("approve", waiver_keys), "`approved_by`");
	ck_assert_str_eq(meant("expiry", waiver_keys), "`expires`");
	ck_assert_str_eq(meant("expiration_date", waiver_keys), "`expires`");
	ck_assert_str_eq(meant("justification", waiver_keys), "`reason`");
	ck_assert_str_eq(meant("params", estimate_keys), "`parameters`");
	ck_assert_str_eq(meant("gpus", hardware_keys), "`count`");
	ck_assert_str_eq(meant("gpu", hardware_keys), "`accelerator`");
	ck_assert_str_eq(meant("mfu", hardware_keys), "`utilization`");
	ck_assert_str_eq(meant("dtype", hardware_keys), "`precision`");
	ck_assert_str_eq(meant("gpu_hours", hardware_keys), "`chip_hours`");
	/* a synonym counts only where its target is a candidate */
	ck_assert_str_eq(meant("approver", hardware_keys), "");
}
END_TEST

START_TEST(test_a_value_by_its_words)
{
	ck_assert_str_eq(meant("pre-training", kinds), "`pretraining`");
	ck_assert_str_eq(meant("Fine-Tuning", kinds), "`fine_tuning`");
	ck_assert_str_eq(meant("sft", kinds), "`fine_tuning`");
	ck_assert_str_eq(meant("rlhf", kinds), "`rl`");
	ck_assert_str_eq(meant("continued", kinds),
			 "`continued_pretraining`");
	ck_assert_str_eq(meant("synthetic", kinds), "`synthetic_data`");
	ck_assert_str_eq(meant("bfloat16", precisions), "`bf16`");
	ck_assert_str_eq(meant("BF16", precisions), "`bf16`");
	ck_assert_str_eq(meant("int4", precisions), "");
	/* digits swapped are a slip of the finger */
	ck_assert_str_eq(meant("bf61", precisions), "`bf16`");
	ck_assert_str_eq(meant("training_compute", metrics),
			 "`training_compute_flop`");
	ck_assert_str_eq(meant("revenue", metrics),
			 "`organization.annual_revenue_usd`");
	ck_assert_str_eq(meant("training_tokens", estimate_keys),
			 "`tokens`");
}
END_TEST

START_TEST(test_typos_still_found)
{
	static const char *const keys[] = {"id", "tokens", "accelerator",
					   "utilization", "phases", NULL};

	/* a plural or a slip of the finger beats a word in common */
	ck_assert_str_eq(meant("token", estimate_keys), "`tokens`");
	ck_assert_str_eq(meant("acclerator", keys), "`accelerator`");
	ck_assert_str_eq(meant("utilisation", keys), "`utilization`");
	ck_assert_str_eq(meant("phase", keys), "`phases`");
	ck_assert_str_eq(meant("ix", keys), "`id`");
	ck_assert_str_eq(meant("paramters", estimate_keys), "`parameters`");
	ck_assert_str_eq(meant("model", keys), "");
	/* a one-letter word is not a typo of every two-letter key */
	ck_assert_str_eq(meant("x", keys), "");
}
END_TEST

START_TEST(test_ties_are_all_listed_in_order)
{
	static const char *const list[] = {"bb-one", "aa-one", "cc-two",
					   "aa-one", NULL};
	const char *out[4];

	/* all three with the word, each once, in the list's order */
	ck_assert_uint_eq(fg_suggest(out, 4, "one", list, NULL), 2);
	ck_assert_str_eq(out[0], "bb-one");
	ck_assert_str_eq(out[1], "aa-one");
	/* more than fit: the count says so, the phrase too */
	ck_assert_uint_eq(fg_suggest(out, 2, "nvidia", chips, NULL), 9);
	ck_assert_str_eq(out[0], "nvidia-v100-sxm2");
	ck_assert_str_eq(out[1], "nvidia-a100-sxm");
	ck_assert_uint_eq(fg_suggest(NULL, 0, "nvidia", chips, NULL), 9);
	ck_assert_str_eq(meant("nvidia", chips),
			 "`nvidia-v100-sxm2`, `nvidia-a100-sxm`, "
			 "`nvidia-a100-pcie`, `nvidia-h100-sxm`, "
			 "`nvidia-h100-pcie`, `nvidia-h200`, `nvidia-h800`, "
			 "`nvidia-b200` or 1 more");
}
END_TEST

START_TEST(test_aliases_suggest_their_candidate)
{
	static const char *const ids[] = {"nvidia-h100-sxm",
					  "nvidia-h100-pcie", "google-tpu-v6e",
					  NULL};
	static const char *const names[] = {"NVIDIA H100 SXM5", NULL,
					    "Google TPU v6e (Trillium)", NULL};
	const char *out[3];

	ck_assert_uint_eq(fg_suggest(out, 3, "H100 SXM5", ids, names), 1);
	ck_assert_str_eq(out[0], "nvidia-h100-sxm");
	ck_assert_uint_eq(fg_suggest(out, 3, "trillium", ids, names), 1);
	ck_assert_str_eq(out[0], "google-tpu-v6e");
}
END_TEST

START_TEST(test_nothing_to_suggest)
{
	char buf[8] = "junk";
	char long_word[300];

	ck_assert_ptr_null(fg_suggest_text(buf, sizeof(buf), "zzzzzz",
					   chips));
	ck_assert_str_eq(buf, "");
	ck_assert_ptr_null(fg_suggest_text(buf, sizeof(buf), "", chips));
	ck_assert_ptr_null(fg_suggest_text(buf, sizeof(buf), "---", chips));
	ck_assert_ptr_null(fg_suggest_text(buf, sizeof(buf), "h100", NULL));
	ck_assert_uint_eq(fg_suggest(NULL, 0, NULL, chips, NULL), 0);
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = 0;
	ck_assert_ptr_null(fg_suggest_text(buf, sizeof(buf), long_word,
					   chips));
	ck_assert_ptr_null(fg_nearest("token", NULL));
	ck_assert_str_eq(fg_nearest("h100", chips), "nvidia-h100-sxm");
}
END_TEST

START_TEST(test_join)
{
	static const char *const names[] = {"a", "b", "c"};
	char buf[64], small[10];

	ck_assert_str_eq(fg_suggest_join(buf, sizeof(buf), names, 1, 1),
			 "`a`");
	ck_assert_str_eq(fg_suggest_join(buf, sizeof(buf), names, 2, 2),
			 "`a` or `b`");
	ck_assert_str_eq(fg_suggest_join(buf, sizeof(buf), names, 3, 3),
			 "`a`, `b` or `c`");
	ck_assert_str_eq(fg_suggest_join(buf, sizeof(buf), names, 2, 5),
			 "`a`, `b` or 3 more");
	ck_assert_str_eq(fg_suggest_join(buf, sizeof(buf), names, 0, 0), "");
	/* truncated, still a string */
	ck_assert_uint_eq(strlen(fg_suggest_join(small, sizeof(small), names,
						 3, 3)), sizeof(small) - 1);
}
END_TEST

START_TEST(test_jurisdiction_codes_and_names)
{
	const char *out[8];

	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "NY"), 1);
	ck_assert_str_eq(out[0], "US-NY");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "UK"), 1);
	ck_assert_str_eq(out[0], "GB");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "USA"), 1);
	ck_assert_str_eq(out[0], "US");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "U.S."), 1);
	ck_assert_str_eq(out[0], "US");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "US-CAL"), 1);
	ck_assert_str_eq(out[0], "US-CA");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "Germany"), 1);
	ck_assert_str_eq(out[0], "DE");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "CALIFORNIA"),
			  1);
	ck_assert_str_eq(out[0], "US-CA");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "Europe"), 1);
	ck_assert_str_eq(out[0], "EU");
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "South Korea"),
			  1);
	ck_assert_str_eq(out[0], "KR");
	/* two countries answer to the name: both, the one people call
	 * "Korea" first */
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "Korea"), 2);
	ck_assert_str_eq(out[0], "KR");
	ck_assert_str_eq(out[1], "KP");
	/* two other letters are another country, not a typo */
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "XK"), 0);
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, "DE-BY"), 0);
	ck_assert_uint_eq(fg_jurisdiction_suggestions(out, 8, NULL), 0);
}
END_TEST

static Suite *suggest_suite(void)
{
	Suite *s = suite_create("suggest");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_a_chip_by_its_model_number);
	tcase_add_test(tc, test_a_key_by_its_synonym);
	tcase_add_test(tc, test_a_value_by_its_words);
	tcase_add_test(tc, test_typos_still_found);
	tcase_add_test(tc, test_ties_are_all_listed_in_order);
	tcase_add_test(tc, test_aliases_suggest_their_candidate);
	tcase_add_test(tc, test_nothing_to_suggest);
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_jurisdiction_codes_and_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suggest_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
