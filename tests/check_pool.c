/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the pools of small blocks: src/pool.c, and jansson's blocks
 * from one (fg_json_pool_install). */
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/result.h"
#include "json_write.h"
#include "pool.h"
#include "result_json.h"

/* Frees every block a pool kept (a test's pool is its own). */
static void drain(fg_pool *p)
{
	size_t c;

	for (c = 1; c <= FG_POOL_MAX / FG_POOL_GRAIN; c++)
		while (p->kept[c])
			free(fg_pool_take(p, c * FG_POOL_GRAIN));
}

START_TEST(test_a_kept_block_serves_its_class_again)
{
	fg_pool p;
	unsigned char *a, *b, *c;

	memset(&p, 0, sizeof(p));
	a = fg_pool_take(&p, 20);
	ck_assert_ptr_nonnull(a);
	memset(a, 0xab, 24);      /* the whole class is the block's */
	fg_pool_give(&p, a, 20);
	ck_assert_uint_eq(p.kept[3], 1);
	/* 22 bytes are of the same class (17..24): the same block */
	b = fg_pool_take(&p, 22);
	ck_assert_ptr_eq(b, a);
	ck_assert_uint_eq(p.kept[3], 0);
	/* 30 bytes are not: a block of its own */
	c = fg_pool_take(&p, 30);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_ne(c, b);
	fg_pool_give(&p, b, 22);
	fg_pool_give(&p, c, 30);
	fg_pool_give(&p, NULL, 30);
	ck_assert_uint_eq(p.kept[3], 1);
	ck_assert_uint_eq(p.kept[4], 1);
	/* a block past FG_POOL_MAX is malloc's, freed when given back */
	a = fg_pool_take(&p, FG_POOL_MAX + 1);
	ck_assert_ptr_nonnull(a);
	memset(a, 1, FG_POOL_MAX + 1);
	fg_pool_give(&p, a, FG_POOL_MAX + 1);
	ck_assert(fg_pool_same_class(17, 24));
	ck_assert(!fg_pool_same_class(16, 17));
	ck_assert(!fg_pool_same_class(24, 25));
	ck_assert(!fg_pool_same_class(FG_POOL_MAX + 1, FG_POOL_MAX + 1));
	ck_assert(!fg_pool_same_class(0, 0));
	drain(&p);
}
END_TEST

/* A list keeps at most FG_POOL_KEEP blocks: the rest go back to malloc. */
START_TEST(test_a_list_is_bounded)
{
	static void *blocks[FG_POOL_KEEP + 10];
	fg_pool p;
	size_t i;

	memset(&p, 0, sizeof(p));
	for (i = 0; i < FG_POOL_KEEP + 10; i++)
		ck_assert_ptr_nonnull(blocks[i] = fg_pool_take(&p, 8));
	for (i = 0; i < FG_POOL_KEEP + 10; i++)
		fg_pool_give(&p, blocks[i], 8);
	ck_assert_uint_eq(p.kept[1], FG_POOL_KEEP);
	drain(&p);
	ck_assert_uint_eq(p.kept[1], 0);
}
END_TEST

/* A document of every kind of value, large strings and arrays among
 * them, so that jansson's blocks span every class and beyond. */
static json_t *document(int seed)
{
	json_t *doc = json_object(), *runs = json_array();
	char key[32], *big = malloc(5000);
	int i, k;

	memset(big, 'x' + seed % 2, 4999);
	big[4999] = '\0';
	json_object_set_new(doc, "big", json_string(big));
	for (i = 0; i < 300; i++) {
		json_t *run = json_object();

		snprintf(key, sizeof(key), "run-%05d", i * seed);
		json_object_set_new(run, "id", json_string(key));
		json_object_set_new(run, "flop", json_real(1e25 * i + seed));
		json_object_set_new(run, "n", json_integer(i));
		json_object_set_new(run, "ok", json_boolean(i % 3));
		json_object_set_new(run, "none", json_null());
		for (k = 0; k < i % 40; k++) {
			snprintf(key, sizeof(key), "k%d", k);
			json_object_set_new(run, key,
					    json_stringn(big, (size_t)k * 13));
		}
		json_array_append_new(runs, run);
	}
	json_object_set_new(doc, "runs", runs);
	free(big);
	return doc;
}

/* The text of document(seed) after a trip through jansson's parser. */
static char *round_trip(int seed)
{
	json_t *doc = document(seed), *back;
	char *text = fg_json_dumps(doc, FG_JSON_CANONICAL), *again;

	ck_assert_ptr_nonnull(text);
	back = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(back);
	again = fg_json_dumps(back, FG_JSON_CANONICAL);
	ck_assert_str_eq(again, text);
	json_decref(doc);
	json_decref(back);
	free(again);
	return text;
}

/* The pool changes where jansson's blocks come from, never a byte of a
 * document; the text fg_json_dumps hands out is malloc's, freed with
 * free() (under AddressSanitizer a pooled block freed so is a fault).
 * Check runs each test in a process of its own: the pool is installed
 * for this one only, before any jansson value exists. */
START_TEST(test_pooled_json_gives_the_same_documents)
{
	char *want[3], *got;
	json_t *v;
	int s;

	fg_json_pool_install();
	for (s = 0; s < 3; s++)
		want[s] = round_trip(s + 1);
	/* again, from the blocks the pool kept, in another order */
	for (s = 2; s >= 0; s--) {
		got = round_trip(s + 1);
		ck_assert_str_eq(got, want[s]);
		ck_assert_uint_gt(strlen(got), 100000);
		free(got);
		free(want[s]);
	}
	v = json_pack("{s:s, s:[i, f]}", "a", "b", "c", 1, 2.5);
	got = fg_json_dumps(v, FG_JSON_CANONICAL);
	ck_assert_str_eq(got, "{\"a\":\"b\",\"c\":[1,2.5]}");
	free(got);
	got = fg_json_dumps(json_object_get(v, "a"),
			    JSON_ENCODE_ANY | FG_JSON_CANONICAL);
	ck_assert_str_eq(got, "\"b\"");
	free(got);
	/* what jansson cannot write is NULL, as json_dumps gives */
	ck_assert_ptr_null(fg_json_dumps(json_object_get(v, "a"),
					 FG_JSON_CANONICAL));
	ck_assert_ptr_null(fg_json_dumps(NULL, JSON_ENCODE_ANY));
	json_decref(v);
}
END_TEST

static Suite *pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *t = tcase_create("blocks");

	tcase_add_test(t, test_a_kept_block_serves_its_class_again);
	tcase_add_test(t, test_a_list_is_bounded);
	tcase_add_test(t, test_pooled_json_gives_the_same_documents);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(pool_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
