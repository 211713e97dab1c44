/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the audit chain apart from any database (src/audit.c):
 * the chain hash, hex, checkpoints, and the document -> entry mapping. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"
#include "flopgate/hash.h"

static void hex32(const unsigned char d[32], char out[65])
{
	fg_hex(d, 32, out);
}

/* hash[1] = SHA-256(32 zero bytes || E): the first entry's link. */
START_TEST(test_chain_hash_is_sha256_of_prev_then_text)
{
	unsigned char prev[32] = {0}, out[32];
	char hex[65];

	ck_assert_int_eq(fg_audit_chain_hash(prev, "abc", out), 0);
	hex32(out, hex);
	/* python3: hashlib.sha256(b'\0' * 32 + b'abc').hexdigest() */
	ck_assert_str_eq(hex, "365aa7d8f7f9402c4b9434502b4cc89d"
			      "db09fe50d7cd95b493b834c62d5a5370");
}
END_TEST

START_TEST(test_chain_hash_depends_on_prev)
{
	unsigned char a[32] = {0}, b[32] = {0}, x[32], y[32];

	b[31] = 1;
	ck_assert_int_eq(fg_audit_chain_hash(a, "{}", x), 0);
	ck_assert_int_eq(fg_audit_chain_hash(b, "{}", y), 0);
	ck_assert_int_ne(memcmp(x, y, 32), 0);
}
END_TEST

START_TEST(test_unhex_round_trips_and_refuses_upper_case)
{
	unsigned char d[32], back[32];
	char hex[65];
	int i;

	for (i = 0; i < 32; i++)
		d[i] = (unsigned char)(i * 37 + 5);
	hex32(d, hex);
	ck_assert_int_eq(fg_audit_unhex(hex, back), 0);
	ck_assert_int_eq(memcmp(d, back, 32), 0);
	hex[3] = 'A';
	ck_assert_int_eq(fg_audit_unhex(hex, back), -1);
	ck_assert_int_eq(fg_audit_unhex("00", back), -1);
	ck_assert_int_eq(fg_audit_unhex(NULL, back), -1);
}
END_TEST

START_TEST(test_checkpoint_format_then_parse)
{
	unsigned char head[32];
	fg_checkpoint cp;
	char *text = NULL;
	int i;

	for (i = 0; i < 32; i++)
		head[i] = (unsigned char)(255 - i);
	ck_assert_int_eq(fg_checkpoint_format(&text, 42, head), 0);
	ck_assert_ptr_nonnull(text);
	ck_assert(!strncmp(text, "flopgate audit log\n42\n", 22));
	ck_assert_int_eq(strlen(text), 22 + 44 + 1);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, text, NULL), 0);
	ck_assert_str_eq(cp.origin, FG_CHECKPOINT_ORIGIN);
	ck_assert_int_eq(cp.size, 42);
	ck_assert_int_eq(memcmp(cp.hash, head, 32), 0);
	free(text);
}
END_TEST

START_TEST(test_empty_chain_checkpoint_has_a_zero_head)
{
	unsigned char zero[32] = {0};
	char *text = NULL;

	ck_assert_int_eq(fg_checkpoint_format(&text, 0, zero), 0);
	ck_assert_str_eq(text, "flopgate audit log\n0\n"
			 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
	free(text);
}
END_TEST

START_TEST(test_checkpoint_parse_names_the_bad_line)
{
	fg_checkpoint cp;
	fg_error err;

	ck_assert_int_eq(fg_checkpoint_parse(&cp, "x\n01\nAA==\n", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "x\n1\nAA==\n", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "x\n1\n", &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(fg_checkpoint_parse(&cp, "x\n99999999999999999999"
					     "\nAA==\n", &err), FG_EINPUT);
	ck_assert_int_eq(err.line, 2);
}
END_TEST

/* Formats 1-3: a finding row is read from the document; "due" is the
 * earliest obligation's. */
START_TEST(test_finding_of_document_takes_the_earliest_due_date)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:f, s:b,"
			      " s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:n}]}",
			      "rule", "r", "outcome", "triggered", "severity",
			      "blocking", "known_since", "2026-01-01",
			      "value", 2.5, "gate_fails", 1, "obligations",
			      "id", "a", "due", "2026-03-01", "id", "b",
			      "due", "2026-02-01", "id", "c", "due");
	json_t *row = fg_audit_finding_of_document("run-1", f, 3);
	json_t *v1 = fg_audit_finding_of_document("run-1", f, 1);

	ck_assert_ptr_nonnull(row);
	ck_assert_str_eq(json_string_value(json_object_get(row, "due")),
			 "2026-02-01");
	ck_assert_str_eq(json_string_value(json_object_get(row, "run")),
			 "run-1");
	ck_assert(json_is_true(json_object_get(row, "gate_fails")));
	ck_assert(json_is_null(json_object_get(row, "metric")));
	ck_assert_str_eq(json_string_value(json_object_get(row,
				"known_since")), "2026-01-01");
	/* format 1 had no known_since */
	ck_assert_ptr_null(json_object_get(v1, "known_since"));
	json_decref(row);
	json_decref(v1);
	json_decref(f);
}
END_TEST

START_TEST(test_waiver_of_document_only_when_one_was_used)
{
	json_t *f = json_pack("{s:s, s:n}", "rule", "r", "waiver");
	json_t *g = json_pack("{s:s, s:{s:s, s:s, s:s}}", "rule", "r",
			      "waiver", "reason", "why", "approved_by", "ann",
			      "expires", "2027-01-01");
	json_t *w;
	int failed = 0;

	ck_assert_ptr_null(fg_audit_waiver_of_document("x", f, &failed));
	ck_assert_int_eq(failed, 0);
	w = fg_audit_waiver_of_document("x", g, &failed);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(json_string_value(json_object_get(w, "approved_by")),
			 "ann");
	json_decref(w);
	json_decref(f);
	json_decref(g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_chain_hash_is_sha256_of_prev_then_text);
	tcase_add_test(tc, test_chain_hash_depends_on_prev);
	tcase_add_test(tc, test_unhex_round_trips_and_refuses_upper_case);
	tcase_add_test(tc, test_checkpoint_format_then_parse);
	tcase_add_test(tc, test_empty_chain_checkpoint_has_a_zero_head);
	tcase_add_test(tc, test_checkpoint_parse_names_the_bad_line);
	tcase_add_test(tc, test_finding_of_document_takes_the_earliest_due_date);
	tcase_add_test(tc, test_waiver_of_document_only_when_one_was_used);
	suite_add_tcase(s, tc);
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
