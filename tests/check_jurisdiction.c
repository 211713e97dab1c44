/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for jurisdiction codes (src/jurisdiction.c): which codes are
 * valid, coverage in both directions, and the code a slip most likely
 * meant. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/jurisdiction.h"

START_TEST(test_iso_alpha2_assigned_codes_are_valid)
{
	static const char *const valid[] = {
		"AD", "CA", "CN", "DE", "FR", "GB", "GR", "IL", "IN", "JP",
		"KP", "KR", "NO", "PR", "US", "ZW", "EU", "EL", NULL
	};
	size_t i;

	for (i = 0; valid[i]; i++)
		ck_assert_msg(fg_jurisdiction_valid(valid[i]), "%s", valid[i]);
	ck_assert_str_eq(fg_jurisdiction_name("CA"), "Canada");
	ck_assert_str_eq(fg_jurisdiction_name("KR"), "Korea, Republic of");
	ck_assert_str_eq(fg_jurisdiction_name("EU"), "European Union");
	ck_assert_str_eq(fg_jurisdiction_name("EL"), "Greece");
}
END_TEST

START_TEST(test_reserved_unassigned_and_malformed_codes_are_refused)
{
	static const char *const invalid[] = {
		"UK", "XK", "XZ", "AA", "ZZ", "USA", "U", "", "us", "Eu",
		"DE-BY", "CA-ON", "US-", "US-XX", "US-ZZ", "US-CAL", "US-ca",
		"EU-DE", NULL
	};
	size_t i;

	for (i = 0; invalid[i]; i++)
		ck_assert_msg(!fg_jurisdiction_valid(invalid[i]), "%s",
			      invalid[i]);
	ck_assert_ptr_null(fg_jurisdiction_name("UK"));
}
END_TEST

START_TEST(test_every_us_state_dc_and_territory_is_valid)
{
	static const char *const states[] = {
		"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
		"HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
		"MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
		"NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
		"SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
		"DC", "AS", "GU", "MP", "PR", "UM", "VI", NULL
	};
	char code[8];
	size_t i;

	for (i = 0; states[i]; i++) {
		snprintf(code, sizeof(code), "US-%s", states[i]);
		ck_assert_msg(fg_jurisdiction_valid(code), "%s", code);
	}
	ck_assert_uint_eq(i, 57);
	ck_assert_str_eq(fg_jurisdiction_name("US-CA"), "California");
	ck_assert_str_eq(fg_jurisdiction_name("US-NY"), "New York");
}
END_TEST

START_TEST(test_the_list_holds_the_249_assigned_codes)
{
	char code[3] = {0};
	int a, b, n = 0;

	for (a = 'A'; a <= 'Z'; a++)
		for (b = 'A'; b <= 'Z'; b++) {
			code[0] = (char)a;
			code[1] = (char)b;
			/* EU and EL are accepted beside ISO's list */
			if (strcmp(code, "EU") && strcmp(code, "EL"))
				n += fg_jurisdiction_valid(code);
		}
	ck_assert_int_eq(n, 249);
}
END_TEST

START_TEST(test_us_coverage_runs_both_ways)
{
	/* a federal rule covers a run placed in a state */
	ck_assert(fg_jurisdiction_covers("US", "US-CA"));
	ck_assert(fg_jurisdiction_covers("US", "US-NY"));
	/* a state rule covers a run placed in the whole country */
	ck_assert(fg_jurisdiction_covers("US-CA", "US"));
	/* but not another state, nor Canada */
	ck_assert(!fg_jurisdiction_covers("US-CA", "US-NY"));
	ck_assert(!fg_jurisdiction_covers("US-CA", "CA"));
	ck_assert(!fg_jurisdiction_covers("US", "CA"));
	ck_assert(fg_jurisdiction_covers("KR", "KR"));
	ck_assert(!fg_jurisdiction_covers("KR", "KP"));
}
END_TEST

START_TEST(test_every_member_state_is_in_the_union)
{
	static const char *const members[] = {
		"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES",
		"FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
		"MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", NULL
	};
	static const char *const outside[] = {
		"NO", "IS", "LI", "CH", "GB", "TR", "UA", NULL
	};
	size_t i;

	for (i = 0; members[i]; i++) {
		ck_assert_msg(fg_jurisdiction_eu_member(members[i]), "%s",
			      members[i]);
		ck_assert(fg_jurisdiction_covers("EU", members[i]));
		ck_assert(fg_jurisdiction_covers(members[i], "EU"));
	}
	/* 27 states, Greece under two codes */
	ck_assert_uint_eq(i, 28);
	for (i = 0; outside[i]; i++)
		ck_assert_msg(!fg_jurisdiction_covers("EU", outside[i]), "%s",
			      outside[i]);
	/* a member's code and nothing longer, shorter or lower-case */
	static const char *const not_codes[] = {
		"DEU", "D", "", "de", "De", "FRA", "ATX", "EU", "US-NY", NULL
	};
	for (i = 0; not_codes[i]; i++)
		ck_assert_msg(!fg_jurisdiction_eu_member(not_codes[i]), "%s",
			      not_codes[i]);
	ck_assert(!fg_jurisdiction_eu_member(NULL));
	ck_assert(fg_jurisdiction_covers("GR", "EL"));
	ck_assert(fg_jurisdiction_covers("EL", "GR"));
	ck_assert(!fg_jurisdiction_covers("DE", "FR"));
}
END_TEST

START_TEST(test_suggestions_name_the_code_most_likely_meant)
{
	static const char *const named[] = {"EU", "US", "US-CA", "KR", NULL};

	ck_assert_str_eq(fg_jurisdiction_suggest("NY", named), "US-NY");
	ck_assert_str_eq(fg_jurisdiction_suggest("TX", NULL), "US-TX");
	ck_assert_str_eq(fg_jurisdiction_suggest("UK", named), "GB");
	ck_assert_str_eq(fg_jurisdiction_suggest("USA", named), "US");
	ck_assert_str_eq(fg_jurisdiction_suggest("US-CAL", named), "US-CA");
	ck_assert_ptr_null(fg_jurisdiction_suggest(NULL, named));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("jurisdiction");
	TCase *tc = tcase_create("codes");

	tcase_add_test(tc, test_iso_alpha2_assigned_codes_are_valid);
	tcase_add_test(tc,
		       test_reserved_unassigned_and_malformed_codes_are_refused);
	tcase_add_test(tc, test_every_us_state_dc_and_territory_is_valid);
	tcase_add_test(tc, test_the_list_holds_the_249_assigned_codes);
	tcase_add_test(tc, test_us_coverage_runs_both_ways);
	tcase_add_test(tc, test_every_member_state_is_in_the_union);
	tcase_add_test(tc, test_suggestions_name_the_code_most_likely_meant);
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
