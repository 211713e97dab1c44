/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for reading JSON fast (src/json_read.c): for every text, the
 * value or the error json_loadb gives; which texts the fast reader
 * settles itself, and which it leaves to jansson. */
#include <check.h>
#include <jansson.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

/* jansson's text of v, keys in their order, reals as reals: two values
 * with the same text have the same types, keys, order and figures */
static char *text_of(const json_t *v)
{
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT |
				     JSON_REAL_PRECISION(17));
}

/* fg_json_loadb and json_loadb agree on text[0..len): the same value
 * (json_equal, and the same text), or the same error; and the fast
 * reader, where it settles the text, gives that value.  Returns whether
 * the fast reader settled it. */
static int agree(const char *text, size_t len)
{
	json_error_t e1, e2;
	json_t *ours = fg_json_loadb(text, len, &e1);
	json_t *theirs = json_loadb(text, len, 0, &e2);
	json_t *fast = fg_json_read(text, len);
	char *a, *b;

	ck_assert_msg(!ours == !theirs, "%.*s: %s by jansson, %s here",
		      (int)len, text, theirs ? "read" : "refused",
		      ours ? "read" : "refused");
	if (theirs) {
		ck_assert(json_equal(ours, theirs));
		a = text_of(ours);
		b = text_of(theirs);
		ck_assert_str_eq(a, b);
		free(a);
		ck_assert_int_eq(e1.line, -1);
		ck_assert_str_eq(e1.text, "");
		if (fast) {
			a = text_of(fast);
			ck_assert_str_eq(a, b);
			free(a);
		}
		free(b);
	} else {
		ck_assert_ptr_null(fast);
		ck_assert_str_eq(e1.text, e2.text);
		ck_assert_int_eq(e1.line, e2.line);
		ck_assert_int_eq(e1.column, e2.column);
	}
	json_decref(ours);
	json_decref(theirs);
	json_decref(fast);
	return fast != NULL;
}

static int agree_s(const char *text)
{
	return agree(text, strlen(text));
}

/* A run document's shapes: what the store hands back */
static const char document[] =
	"{\"id\":\"bench-00001\",\"model\":\"Bench model 1\",\"line\":20,"
	"\"column\":1,\"jurisdictions\":[\"EU\",\"US-CA\"],\"dates\":{"
	"\"start\":\"2025-01-13\",\"end\":null},\"annual_revenue_usd\":"
	"27000000.0,\"established_in\":null,\"attributes\":{\"generative\":"
	"[\"true\"]},\"compute\":{\"low\":1.1571497892e+25,\"central\":"
	"2.2922604e+26,\"high\":3.18859229e+26,\"exact\":"
	"\"229226040000000000000000000\"},\"findings\":[{\"rule\":"
	"\"eu.gpai.systemic-risk\",\"outcome\":\"triggered\",\"reason\":"
	"\"training_compute_flop 2.3 \xc3\x97 10^26 FLOP > 1.0 \xc3\x97 "
	"10^25 FLOP\",\"threshold\":1e+25,\"headroom_tokens\":"
	"-185470423011844.3,\"near\":0.5,\"gate_fails\":true,\"obligations\":"
	"[{\"id\":\"eu.notify-commission\",\"due\":\"2026-06-15\",\"owed\":"
	"true,\"overdue\":false},{\"id\":\"eu.cybersecurity\",\"due\":null,"
	"\"owed_reason\":\"the provider is \\\"established\\\" outside\\n\\t"
	"the Union\"}]}],\"warnings\":[],\"empty\":{}}";

START_TEST(test_a_document_is_read_here_as_jansson_reads_it)
{
	ck_assert(agree(document, sizeof(document) - 1));
	/* with the spaces a pretty document has, everywhere they may be */
	ck_assert(agree_s(" \n\t\r{ \"a\" :\n[ 1 , 2.5 ,\t\"x\" , { } , [ ] "
			  ", true , false , null ] }\r\n "));
	ck_assert(agree_s("[]"));
	ck_assert(agree_s("{}"));
}
END_TEST

START_TEST(test_numbers_keep_their_types_and_figures)
{
	static const char *const settled[] = {
		"[0]", "[-0]", "[7]", "[-5]", "[123456789012345678]",
		"[-123456789012345678]", "[0.0]", "[-0.0]", "[1.5]",
		"[1e25]", "[1E25]", "[1e+25]", "[2.2922604e-26]",
		"[0.1000000000000000055511151231257827]", "[1e-400]",
		"[9007199254740993.0]", "[4.9e-324]", "[1.7976931348623157e308]",
	};
	static const char *const left[] = {
		/* more digits than a long long surely holds: jansson
		 * decides, reading the first two and refusing the last */
		"[9223372036854775807]", "[-9223372036854775808]",
		"[1234567890123456789]", "[9223372036854775808]",
		/* jansson refuses what overflows a double */
		"[1e400]", "[-1e400]",
		/* not JSON numbers */
		"[01]", "[-01]", "[00]", "[1.]", "[.5]", "[-]", "[+1]", "[1e]",
		"[1e+]", "[--1]", "[0x10]", "[1.5.5]", "[Infinity]", "[NaN]",
	};
	size_t i;

	for (i = 0; i < sizeof(settled) / sizeof(*settled); i++)
		ck_assert_msg(agree_s(settled[i]), "%s", settled[i]);
	for (i = 0; i < sizeof(left) / sizeof(*left); i++)
		ck_assert_msg(!agree_s(left[i]), "%s", left[i]);
}
END_TEST

START_TEST(test_strings_are_undone_as_jansson_undoes_them)
{
	static const char *const settled[] = {
		"[\"\"]", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
		"[\"\\u00e9\\u20AC\\u0001\"]", "[\"\\ud83d\\ude00\"]",
		"[\"\\uDBFF\\uDFFF\"]", "[\"caf\xc3\xa9 \xe2\x82\xac "
		"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \x7f\"]",
		"{\"\xc3\x97\":\"key of two bytes\"}",
		/* a repeated key: its last value, in the first one's place */
		"{\"a\":1,\"b\":2,\"a\":3}",
	};
	static const char *const left[] = {
		/* jansson refuses these */
		"[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\udc00\"]",
		"[\"\\ud800\\u0041\"]", "[\"\\ud800x\"]", "[\"\\x\"]",
		"[\"\\u12\"]", "[\"\\u12G4\"]", "[\"unterminated]",
		"[\"\xc0\x80\"]", "[\"\xc1\xbf\"]", "[\"\xe0\x80\xaf\"]",
		"[\"\xed\xa0\x80\"]", "[\"\xf0\x80\x80\x80\"]",
		"[\"\xf4\x90\x80\x80\"]", "[\"\xf5\x80\x80\x80\"]",
		"[\"\x80\"]", "[\"\xc3\"]", "[\"\xe2\x82\"]", "[\"\xff\"]",
		"[\"tab\there\"]", "[\"line\nbreak\"]",
		"{\"nul\\u0000key\":1}",
		/* jansson reads this one: a key with an escape */
		"{\"a\\u0062\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(settled) / sizeof(*settled); i++)
		ck_assert_msg(agree_s(settled[i]), "%s", settled[i]);
	for (i = 0; i < sizeof(left) / sizeof(*left); i++)
		ck_assert_msg(!agree_s(left[i]), "%s", left[i]);
	/* a NUL byte in the text is a byte jansson refuses */
	ck_assert(!agree("[\"a\0b\"]", 7));
	ck_assert(!agree("[1]\0", 4));
}
END_TEST

START_TEST(test_what_is_not_a_document_is_jansson_s_to_refuse)
{
	static const char *const left[] = {
		"", " ", "1", "\"s\"", "true", "null", "{", "[", "{\"a\"}",
		"{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[,1]", "[1 2]",
		"{1:2}", "{'a':1}", "[tru]", "[truex]", "[nul]", "[falsey]",
		"{} {}", "[] x", "[]]", "{\"a\":1}}", "\xef\xbb\xbf[]",
	};
	size_t i;

	for (i = 0; i < sizeof(left) / sizeof(*left); i++)
		ck_assert_msg(!agree_s(left[i]), "%s", left[i]);
}
END_TEST

/* n arrays one in the other */
static char *nested(size_t n)
{
	char *s = malloc(2 * n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[2 * n - 1 - i] = ']';
	}
	s[2 * n] = 0;
	return s;
}

START_TEST(test_depth_near_jansson_s_limit_is_left_to_it)
{
	char *s;

	s = nested(1024);
	ck_assert(agree_s(s));
	free(s);
	/* deeper: jansson reads up to 2048 levels, and refuses more */
	s = nested(1025);
	ck_assert(!agree_s(s));
	free(s);
	s = nested(2048);
	ck_assert(!agree_s(s));
	free(s);
	s = nested(2049);
	ck_assert(!agree_s(s));
	free(s);
}
END_TEST

/* A small generator of its own, for texts the same from run to run. */
static uint32_t next(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

START_TEST(test_damaged_documents_agree_with_jansson)
{
	static const unsigned char bytes[] = {
		'"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '9', '-',
		'+', '.', 'e', 'E', 'u', 'd', '8', 'c', ' ', '\n', 'n', 't',
		'f', 0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xed, 0xf0, 0xf4,
		0xff,
	};
	size_t len = sizeof(document) - 1, n, at, span, settled = 0;
	char *text = malloc(2 * len);
	uint32_t state = 20261202u;
	int i, k;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < 20000; i++) {
		memcpy(text, document, len);
		n = len;
		for (k = 0; k < 1 + (int)(next(&state) % 3); k++) {
			at = next(&state) % n;
			switch (next(&state) % 4) {
			case 0:
			case 1:         /* a byte another */
				text[at] = (char)bytes[next(&state) %
						       sizeof(bytes)];
				break;
			case 2:         /* a span gone */
				span = 1 + next(&state) % 8;
				if (at + span > n)
					span = n - at;
				memmove(text + at, text + at + span,
					n - at - span);
				n -= span;
				break;
			default:        /* a span twice */
				span = 1 + next(&state) % 8;
				if (at + span > n)
					span = n - at;
				if (n + span > 2 * len)
					break;
				memmove(text + at + span, text + at, n - at);
				n += span;
				break;
			}
			if (!n)
				break;
		}
		settled += (size_t)agree(text, n);
	}
	free(text);
	/* the damage leaves some texts still JSON, which are read here */
	ck_assert_uint_gt(settled, 100);
}
END_TEST

START_TEST(test_a_locale_of_another_decimal_point_is_left_to_jansson)
{
	/* a program that set such a locale: strtod would read "1.5" as 1;
	 * jansson swaps the point, so the reals are left to it */
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") &&
	    !setlocale(LC_NUMERIC, "de_DE.utf8") &&
	    !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		return;     /* no such locale on this machine */
	ck_assert(!agree_s("[1.5,2.25e3]"));
	ck_assert(agree_s("[1,\"2.5\"]"));
	setlocale(LC_NUMERIC, "C");
	ck_assert(agree_s("[1.5,2.25e3]"));
}
END_TEST

static Suite *json_read_suite(void)
{
	Suite *s = suite_create("json_read");
	TCase *t = tcase_create("read");

	tcase_add_test(t, test_a_document_is_read_here_as_jansson_reads_it);
	tcase_add_test(t, test_numbers_keep_their_types_and_figures);
	tcase_add_test(t, test_strings_are_undone_as_jansson_undoes_them);
	tcase_add_test(t, test_what_is_not_a_document_is_jansson_s_to_refuse);
	tcase_add_test(t, test_depth_near_jansson_s_limit_is_left_to_it);
	tcase_add_test(t, test_damaged_documents_agree_with_jansson);
	tcase_add_test(t,
		       test_a_locale_of_another_decimal_point_is_left_to_jansson);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(json_read_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
