/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the YAML loader (src/yaml.c) and typed node access (src/node.c):
 * marks, documents and their source slices, and every way hostile or
 * broken input is refused with FILE:LINE:COL. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flopgate/yaml.h"

static fg_yaml *yaml;
static fg_error err;

static void teardown(void)
{
	fg_yaml_free(yaml);
	yaml = NULL;
}

/* Loads len bytes (strlen when len is 0) as "t.yaml"; returns the code. */
static int load_n(const char *text, size_t len, const fg_yaml_limits *lim)
{
	fg_yaml_free(yaml);
	yaml = NULL;
	fg_error_clear(&err);
	return fg_yaml_load_string(&yaml, "t.yaml", text,
				   len ? len : strlen(text), lim, &err);
}

static int load(const char *text)
{
	return load_n(text, 0, NULL);
}

static const fg_node *root(void)
{
	return fg_yaml_root(yaml, 0);
}

/* The load must fail with FG_EINPUT at line:column. */
#define ck_refused_at(rc, l, c)                                              \
	do {                                                                 \
		ck_assert_int_eq((rc), FG_EINPUT);                           \
		ck_assert_ptr_null(yaml);                                    \
		ck_assert_str_eq(err.file, "t.yaml");                        \
		ck_assert_int_eq(err.line, (l));                             \
		ck_assert_int_eq(err.column, (c));                           \
	} while (0)

#define ck_message_has(s)                                                    \
	ck_assert_msg(strstr(err.message, (s)) != NULL,                      \
		      "message \"%s\" lacks \"%s\"", err.message, (s))

/* ---- trees and marks ----------------------------------------------- */

START_TEST(test_map_seq_scalar_marks_are_one_based)
{
	const fg_node *r, *b, *c;

	ck_assert_int_eq(load("a: 1\nb:\n  - x\n  - 'y'\nc: {d: \"e\"}\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 1);
	r = root();
	ck_assert_int_eq(r->type, FG_NODE_MAP);
	ck_assert_uint_eq(r->count, 3);
	ck_assert_int_eq(r->line, 1);
	ck_assert_int_eq(r->column, 1);
	ck_assert_str_eq(r->keys[0]->value, "a");
	ck_assert_str_eq(r->items[0]->value, "1");
	ck_assert_int_eq(r->items[0]->line, 1);
	ck_assert_int_eq(r->items[0]->column, 4);
	b = fg_node_get(r, "b");
	ck_assert_int_eq(b->type, FG_NODE_SEQ);
	ck_assert_uint_eq(b->count, 2);
	ck_assert_int_eq(b->line, 3);
	ck_assert_int_eq(b->column, 3);
	ck_assert_str_eq(b->items[1]->value, "y");
	ck_assert_int_eq(b->items[1]->line, 4);
	ck_assert_int_eq(b->items[1]->column, 5);
	c = fg_node_get(r, "c");
	ck_assert_int_eq(c->type, FG_NODE_MAP);
	ck_assert_int_eq(c->line, 5);
	ck_assert_int_eq(c->column, 4);
	ck_assert_str_eq(fg_node_get(c, "d")->value, "e");
	ck_assert_int_eq(fg_node_get(c, "d")->column, 8);
	ck_assert_str_eq(r->file, "t.yaml");
	/* map(1) + 3 keys + 1 + seq(1) + 2 + map(1) + key + value */
	ck_assert_uint_eq(r->weight, 11);
	ck_assert_uint_eq(b->weight, 3);
}
END_TEST

START_TEST(test_plain_and_quoted_scalars_differ)
{
	const fg_node *r;

	ck_assert_int_eq(load("a: 10\nb: \"10\"\nc: '10'\n"
			      "e: |\n  text\n"), 0);
	r = root();
	ck_assert_int_eq(fg_node_get(r, "a")->plain, 1);
	ck_assert_int_eq(fg_node_get(r, "b")->plain, 0);
	ck_assert_int_eq(fg_node_get(r, "c")->plain, 0);
	ck_assert_int_eq(fg_node_get(r, "e")->plain, 0);
	ck_assert_str_eq(fg_node_get(r, "e")->value, "text\n");
	ck_assert_uint_eq(fg_node_get(r, "e")->length, 5);
}
END_TEST

START_TEST(test_scalar_value_keeps_non_ascii_text)
{
	ck_assert_int_eq(load("name: \"Ünïcödé 😀\"\nnext: 1\n"), 0);
	ck_assert_str_eq(fg_node_get(root(), "name")->value, "Ünïcödé 😀");
	/* columns count characters, as editors do */
	ck_assert_int_eq(load("é: [1, x]\n"), 0);
	ck_assert_int_eq(root()->items[0]->column, 4);
	ck_assert_int_eq(root()->items[0]->items[1]->column, 8);
}
END_TEST

/* Children arrays grow in powers of two; every size across the growth
 * points must keep every child, in order, with its key. */
START_TEST(test_collections_keep_every_child_across_growth)
{
	static const size_t sizes[] = {1, 3, 4, 5, 7, 8, 9, 16, 17, 1000};
	size_t s, i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s], len = 0, cap = 32 * n + 16;
		char *text = malloc(cap);
		const fg_node *seq, *map;

		len += (size_t)snprintf(text + len, cap - len, "s: [");
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(text + len, cap - len, "%s%zu",
						i ? ", " : "", i);
		len += (size_t)snprintf(text + len, cap - len, "]\nm:\n");
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(text + len, cap - len,
						"  k%zu: v%zu\n", i, i);
		ck_assert_int_eq(load_n(text, len, NULL), 0);
		seq = fg_node_get(root(), "s");
		map = fg_node_get(root(), "m");
		ck_assert_uint_eq(seq->count, n);
		ck_assert_uint_eq(map->count, n);
		ck_assert_uint_eq(seq->weight, n + 1);
		ck_assert_uint_eq(map->weight, 2 * n + 1);
		for (i = 0; i < n; i++) {
			char k[32], v[32];

			snprintf(k, sizeof(k), "k%zu", i);
			snprintf(v, sizeof(v), "v%zu", i);
			ck_assert_uint_eq(strtoul(seq->items[i]->value, NULL,
						  10), i);
			ck_assert_str_eq(map->keys[i]->value, k);
			ck_assert_str_eq(map->items[i]->value, v);
			ck_assert_int_eq(map->keys[i]->line, (int)i + 3);
		}
		free(text);
	}
}
END_TEST

/* ---- documents and their slices ------------------------------------ */

/* The slice of document i must be exactly `want`. */
static void ck_slice(size_t i, const char *want)
{
	size_t len;
	const char *t = fg_yaml_text(yaml, i, &len);

	ck_assert_ptr_nonnull(t);
	ck_assert_msg(len == strlen(want) && !memcmp(t, want, len),
		      "document %zu slice is \"%.*s\", want \"%s\"", i,
		      (int)len, t, want);
}

START_TEST(test_stream_documents_and_slices)
{
	ck_assert_int_eq(load("a: 1\n---\nb: 2\n---\nc: [3]\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 3);
	ck_assert_str_eq(fg_node_get(fg_yaml_root(yaml, 1), "b")->value, "2");
	ck_assert_int_eq(fg_yaml_root(yaml, 2)->line, 5);
	ck_slice(0, "a: 1\n");
	ck_slice(1, "---\nb: 2\n");
	ck_slice(2, "---\nc: [3]\n");
}
END_TEST

START_TEST(test_slices_are_exact_after_non_ascii_text)
{
	/* libyaml counts characters; the slices are bytes.  Two-, three- and
	 * four-byte characters before and inside the documents. */
	const char *text = "# Ünïcödé 日本 😀\nname: \"é😀\"\n"
			   "--- # ü😀ü\nb: 日本語\n---\nc: 3\n";
	const char *d1 = strstr(text, "--- # ü"), *d2 = strstr(text, "---\nc");
	char want0[64], want1[64];

	ck_assert_int_eq(load(text), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 3);
	snprintf(want0, sizeof(want0), "%.*s",
		 (int)(d1 - strstr(text, "name")), strstr(text, "name"));
	snprintf(want1, sizeof(want1), "%.*s", (int)(d2 - d1), d1);
	ck_slice(0, want0);
	ck_slice(1, want1);
	ck_slice(2, "---\nc: 3\n");
	ck_assert_str_eq(fg_node_get(fg_yaml_root(yaml, 1), "b")->value,
			 "日本語");
}
END_TEST

START_TEST(test_explicit_document_end_is_in_the_slice)
{
	ck_assert_int_eq(load("---\na: 1\n...\n# between\n---\nb: 2\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 2);
	ck_slice(0, "---\na: 1\n...");
	ck_slice(1, "---\nb: 2\n");
}
END_TEST

START_TEST(test_crlf_line_ends_count_one_line)
{
	ck_assert_int_eq(load("a: 1\r\nb: 2\r\n---\r\nc: 3\r\n"), 0);
	ck_assert_int_eq(fg_node_get(root(), "b")->line, 2);
	ck_assert_int_eq(fg_yaml_root(yaml, 1)->line, 4);
	ck_slice(0, "a: 1\r\nb: 2\r\n");
	ck_slice(1, "---\r\nc: 3\r\n");
	ck_refused_at(load("a: 1\r\nb: 2\r\nc: \xff\r\n"), 3, 4);
	/* a lone CR is a line break too, as libyaml counts it */
	ck_refused_at(load("a: 1\rb: \x01\r"), 2, 4);
}
END_TEST

/* A UTF-8 byte order mark (Windows editors write one) is not content:
 * libyaml, fed it, took the first line as indented and refused the
 * second. */
START_TEST(test_byte_order_mark_is_skipped)
{
	ck_assert_int_eq(load("\xEF\xBB\xBF" "a: 1\nb: 2\n---\nc: 3\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 2);
	ck_assert_int_eq(root()->column, 1);
	ck_assert_int_eq(fg_node_get(root(), "b")->column, 4);
	ck_slice(0, "a: 1\nb: 2\n");
	ck_slice(1, "---\nc: 3\n");
	ck_refused_at(load("\xEF\xBB\xBF" "a: \x02\n"), 1, 4);
	/* a second one, as `cat` of two such files leaves, is named */
	ck_refused_at(load("a: 0\n---\n\xEF\xBB\xBF" "a: 1\nb: 2\n"), 3, 1);
	ck_message_has("byte order mark");
	/* inside a value it is a character like any other */
	ck_assert_int_eq(load("a: x\xEF\xBB\xBFy\n"), 0);
}
END_TEST

START_TEST(test_empty_and_comment_only_streams_have_no_documents)
{
	ck_assert_int_eq(load_n("", 0, NULL), 0);
	ck_assert_ptr_nonnull(yaml);
	ck_assert_int_eq(fg_yaml_count(yaml), 0);
	ck_assert_ptr_null(fg_yaml_root(yaml, 0));
	ck_assert_int_eq(load("# nothing\n\n# here\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 0);
	/* an explicit empty document is one document with a null root */
	ck_assert_int_eq(load("---\n"), 0);
	ck_assert_int_eq(fg_yaml_count(yaml), 1);
	ck_assert_int_eq(fg_node_is_null(root()), 1);
}
END_TEST

START_TEST(test_accessors_are_null_safe)
{
	size_t len = 99;

	fg_yaml_free(NULL);
	ck_assert_int_eq(fg_yaml_count(NULL), 0);
	ck_assert_ptr_null(fg_yaml_root(NULL, 0));
	ck_assert_ptr_null(fg_yaml_text(NULL, 0, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_null(fg_yaml_path(NULL));
	ck_assert_int_eq(load("a: 1\n"), 0);
	len = 99;
	ck_assert_ptr_null(fg_yaml_text(yaml, 1, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_null(fg_yaml_root(yaml, 1));
	ck_assert_str_eq(fg_yaml_path(yaml), "t.yaml");
	ck_assert_str_eq(fg_yaml_source(yaml, &len), "a: 1\n");
	ck_assert_uint_eq(len, 5);
}
END_TEST

/* ---- refusals ------------------------------------------------------- */

START_TEST(test_duplicate_key_points_at_the_second)
{
	ck_refused_at(load("a: 1\nb: 2\na: 3\n"), 3, 1);
	ck_message_has("duplicate key `a`");
	ck_message_has("line 1");
	ck_refused_at(load("x:\n  k: 1\n  j: 2\n  k: 3\n"), 4, 3);
	ck_refused_at(load("m: {k: 1, j: 2, k: 3}\n"), 1, 17);
	/* three copies: the second is named */
	ck_refused_at(load("k: 1\nk: 2\nk: 3\n"), 2, 1);
	/* quoting does not make a different key */
	ck_refused_at(load("k: 1\n\"k\": 2\n"), 2, 1);
	/* two keys repeated: the first in byte order is named, in a map of
	 * a few keys and in one of more than sixteen alike */
	ck_refused_at(load("z: 1\nb: 2\nz: 3\nb: 4\n"), 4, 1);
	ck_message_has("duplicate key `b`");
	ck_refused_at(load("z: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n"
			   "i: 9\nj: 10\nk: 11\nl: 12\nm: 13\nn: 14\no: 15\n"
			   "p: 16\nq: 17\nz: 18\nb: 19\n"), 19, 1);
	ck_message_has("duplicate key `b`");
}
END_TEST

START_TEST(test_tab_indentation_is_named)
{
	ck_refused_at(load("a:\n\tb: 1\n"), 2, 1);
	ck_message_has("tab");
	ck_refused_at(load("run:\n  id: x\n\tphases: []\n"), 3, 1);
	ck_message_has("tab");
	ck_refused_at(load("a: 1\n \tb: 2\n"), 2, 2);
	ck_message_has("tab");
	ck_refused_at(load("- a\n\t- b\n"), 2, 1);
	ck_message_has("tab");
	/* tabs as separators and inside flow collections are fine */
	ck_assert_int_eq(load("a:\t1\nb: [1,\n\t2]\n"), 0);
	ck_assert_str_eq(fg_node_get(root(), "a")->value, "1");
}
END_TEST

START_TEST(test_invalid_utf8_points_at_the_bad_byte)
{
	ck_refused_at(load("a: 1\nb: caf\xC3\n"), 2, 7);
	ck_message_has("UTF-8");
	ck_message_has("0xC3");
	ck_refused_at(load("é: \xFF\n"), 1, 4);
	ck_refused_at(load("a: \xC0\xAF\n"), 1, 4);         /* overlong */
	ck_refused_at(load("a: \xED\xA0\x80\n"), 1, 4);     /* surrogate */
	ck_refused_at(load("a: \xF4\x90\x80\x80\n"), 1, 4); /* > U+10FFFF */
	ck_refused_at(load("a: \xE2\x82"), 1, 4);           /* cut short */
	/* Latin-1 text, the usual culprit */
	ck_refused_at(load("model: Caf\xE9 7B\n"), 1, 11);
}
END_TEST

START_TEST(test_a_bad_byte_is_located_at_any_offset_in_a_long_line)
{
	static const char *const bad[] = {"\x7F", "\x01", "\xFF", "\x80"};
	char text[64];
	size_t k, b;

	/* eight bytes at a time, then one: the bad byte at every offset
	 * of the eight, and after a tab, keeps its line and column */
	for (b = 0; b < sizeof(bad) / sizeof(*bad); b++)
		for (k = 0; k < 20; k++) {
			snprintf(text, sizeof(text), "a: 1\nb: %.*s%s\n",
				 (int)k, "xxxxxxxxxxxxxxxxxxxxxxxx", bad[b]);
			ck_assert_int_eq(load(text), FG_EINPUT);
			ck_assert_int_eq(err.line, 2);
			ck_assert_int_eq(err.column, (int)k + 4);
		}
	ck_assert_int_eq(load("k: \"caf\xC3\xA9 au lait, long enough\"\n"),
			 0);
	ck_assert_str_eq(fg_node_get(root(), "k")->value,
			 "caf\xC3\xA9 au lait, long enough");
}
END_TEST

START_TEST(test_nul_and_control_characters_are_located)
{
	ck_refused_at(load_n("a: 1\nb: x\0y\n", 11, NULL), 2, 5);
	ck_message_has("NUL");
	ck_refused_at(load_n("\0", 1, NULL), 1, 1);
	ck_refused_at(load("a: 1\nb: x\x01y\n"), 2, 5);
	ck_message_has("U+0001");
	ck_refused_at(load("a: 1\nbb: \x7F\n"), 2, 5);
	ck_refused_at(load("a: \xEF\xBF\xBE\n"), 1, 4);     /* U+FFFE */
	/* the escape "\0" in a quoted string cannot reach a C string */
	ck_refused_at(load("a: 1\nb: \"x\\0y\"\n"), 2, 4);
	ck_message_has("NUL");
}
END_TEST

static char *nested(size_t depth)
{
	char *s = malloc(2 * depth + 2);
	size_t i;

	for (i = 0; i < depth; i++)
		s[i] = '[', s[depth + i] = ']';
	s[2 * depth] = '\n';
	s[2 * depth + 1] = 0;
	return s;
}

START_TEST(test_depth_limit)
{
	fg_yaml_limits lim = fg_yaml_default_limits;
	char *ok = nested(64), *deep = nested(65), *very = nested(200);

	ck_assert_uint_eq(fg_yaml_default_limits.max_depth, 64);
	ck_assert_int_eq(load(ok), 0);
	ck_refused_at(load(deep), 1, 65);
	ck_message_has("nesting deeper than 64");
	ck_refused_at(load(very), 1, 65);
	lim.max_depth = 2;
	ck_assert_int_eq(load_n("a: {b: 1}\n", 0, &lim), 0);
	ck_refused_at(load_n("a:\n  b:\n    c: 1\n", 0, &lim), 3, 5);
	free(ok);
	free(deep);
	free(very);
}
END_TEST

START_TEST(test_node_limit)
{
	fg_yaml_limits lim = fg_yaml_default_limits;

	lim.max_nodes = 10;
	/* the sequence and its nine items: ten nodes */
	ck_assert_int_eq(load_n("[1, 2, 3, 4, 5, 6, 7, 8, 9]", 0, &lim), 0);
	ck_refused_at(load_n("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 0, &lim),
		      1, 29);
	ck_message_has("more than 10 nodes");
	/* the budget is each document's, not the whole stream's */
	ck_assert_int_eq(load_n("[1, 2, 3, 4, 5, 6, 7, 8, 9]\n---\n"
				"[1, 2, 3, 4, 5, 6, 7, 8, 9]\n", 0, &lim), 0);
	ck_refused_at(load_n("[1]\n---\n[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n",
			     0, &lim), 3, 29);
}
END_TEST

/* "Billion laughs": nine levels of nine aliases each would be 9^9 nodes. */
static const char *const laughs =
	"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";

START_TEST(test_alias_bomb_fails_on_the_budget)
{
	fg_yaml_limits lim = fg_yaml_default_limits;

	/* f weighs 597,871 nodes: the sixth *f on line 7 passes 4e6 */
	ck_assert_int_eq(load(laughs), FG_EINPUT);
	ck_assert_ptr_null(yaml);
	ck_assert_int_eq(err.line, 7);
	ck_assert_int_eq(err.column, 4 + 6 * 4);
	ck_message_has("alias *f");
	ck_message_has("4000000 nodes");
	/* with a small budget it fails on line 3 (b weighs 10 + 9 * 10) */
	lim.max_nodes = 200;
	ck_assert_int_eq(load_n(laughs, 0, &lim), FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_message_has("alias bomb");
}
END_TEST

START_TEST(test_aliases_share_their_anchor_and_are_charged)
{
	fg_yaml_limits lim = fg_yaml_default_limits;
	const fg_node *r;

	ck_assert_int_eq(load("a: &x [1, 2]\nb: *x\nc: &s text\nd: *s\n"), 0);
	r = root();
	ck_assert_ptr_eq(fg_node_get(r, "a"), fg_node_get(r, "b"));
	ck_assert_str_eq(fg_node_get(r, "d")->value, "text");
	ck_assert_uint_eq(r->weight, 1 + 4 + 3 + 3 + 1 + 1);
	/* map, key a, the list (3), key b, the alias (3): nine nodes */
	lim.max_nodes = 9;
	ck_assert_int_eq(load_n("a: &x [1, 2]\nb: *x\n", 0, &lim), 0);
	lim.max_nodes = 8;
	ck_refused_at(load_n("a: &x [1, 2]\nb: *x\n", 0, &lim), 2, 4);
}
END_TEST

START_TEST(test_recursive_alias_is_refused)
{
	ck_refused_at(load("a: &x [1, *x]\n"), 1, 11);
	ck_message_has("contains it");
	ck_refused_at(load("a: &m\n  b: *m\n"), 2, 6);
	ck_refused_at(load("a: &o {b: [c, {d: *o}]}\n"), 1, 19);
}
END_TEST

START_TEST(test_undefined_alias_is_refused)
{
	ck_refused_at(load("a: 1\nb: *nope\n"), 2, 4);
	ck_message_has("*nope");
	/* an alias before its anchor is undefined too */
	ck_refused_at(load("a: *x\nb: &x 1\n"), 1, 4);
}
END_TEST

START_TEST(test_anchors_do_not_leak_across_documents)
{
	ck_refused_at(load("a: &x 1\n---\nb: *x\n"), 3, 4);
	ck_message_has("*x");
	/* the same name anchored again in the next document is fine */
	ck_assert_int_eq(load("a: &x 1\n---\na: &x 2\nb: *x\n"), 0);
	ck_assert_str_eq(fg_node_get(fg_yaml_root(yaml, 1), "b")->value, "2");
}
END_TEST

START_TEST(test_redefined_anchor_takes_the_latest)
{
	ck_assert_int_eq(load("a: &x 1\nb: &x 2\nc: *x\n"), 0);
	ck_assert_str_eq(fg_node_get(root(), "c")->value, "2");
}
END_TEST

/* Many anchors used to make every alias a linear search: a few megabytes
 * took minutes.  This proves the lookups are right at a size where a
 * quadratic search would be visible, not a time. */
START_TEST(test_many_anchors_resolve)
{
	size_t n = 20000, i, len = 0, cap = n * 24 + 16;
	char *text = malloc(cap);
	const fg_node *r;

	len += (size_t)snprintf(text + len, cap - len, "[");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "&a%zu v%zu, ",
					i, i);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "*a%zu%s",
					(i * 7919) % n, i + 1 < n ? ", " : "]");
	ck_assert_int_eq(load_n(text, len, NULL), 0);
	r = root();
	ck_assert_uint_eq(r->count, 2 * n);
	for (i = 0; i < n; i++)
		ck_assert_ptr_eq(r->items[n + i], r->items[(i * 7919) % n]);
	free(text);
}
END_TEST

START_TEST(test_collection_as_key_is_refused)
{
	ck_refused_at(load("? [a, b]\n: 1\n"), 1, 3);
	ck_message_has("map key");
	/* an alias used as a key is located at the alias, not its anchor */
	ck_refused_at(load("a: &m {x: 1}\nb:\n  *m : 2\n"), 3, 3);
}
END_TEST

START_TEST(test_syntax_errors_are_located_and_readable)
{
	ck_refused_at(load("a: [1, 2\nb: 3\n"), 2, 2);
	ck_message_has("flow sequence");
	ck_message_has("line 1, column 4");
	ck_refused_at(load("a: 1\n  b: 2\n"), 2, 4);
	ck_refused_at(load("a:\n  b: 1\n c: 2\n"), 3, 2);
	ck_refused_at(load("a: \"open\n"), 2, 1);
	ck_message_has("quoted scalar");
	ck_refused_at(load("a: @x\n"), 1, 4);
}
END_TEST

START_TEST(test_byte_limit)
{
	fg_yaml_limits lim = fg_yaml_default_limits;

	ck_assert_uint_eq(fg_yaml_default_limits.max_bytes, 16u << 20);
	lim.max_bytes = 10;
	ck_assert_int_eq(load_n("a: 1234567", 0, &lim), 0);  /* 10 bytes */
	ck_refused_at(load_n("a: 12345678", 0, &lim), 1, 1); /* 11 bytes */
	ck_message_has("limit");
}
END_TEST


/* ---- streams, one document at a time ------------------------------- */

static fg_yaml_reader *reader;

static void reader_teardown(void)
{
	fg_yaml_reader_free(reader);
	reader = NULL;
	teardown();
}

/* A reader over text (through a FILE, as standard input would be). */
static FILE *memfile;

static void open_text(const char *text, size_t len,
		      const fg_yaml_limits *lim)
{
	fg_yaml_reader_free(reader);
	reader = NULL;
	if (memfile)
		fclose(memfile);
	memfile = fmemopen((void *)text, len, "r");
	ck_assert_ptr_nonnull(memfile);
	ck_assert_int_eq(fg_yaml_reader_open_stream(&reader, memfile,
						    "<stdin>", lim, &err), 0);
}

static void close_text(void)
{
	reader_teardown();
	if (memfile)
		fclose(memfile);
	memfile = NULL;
}

START_TEST(test_reader_hands_out_documents_one_at_a_time)
{
	static const char text[] = "a: 1\n---\nb: [x, y]\n...\n---\nc: é\n";
	const char *slice;
	size_t n;

	open_text(text, sizeof(text) - 1, NULL);
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
	ck_assert_uint_eq(fg_yaml_count(yaml), 1);
	ck_assert_str_eq(fg_node_get(root(), "a")->value, "1");
	slice = fg_yaml_text(yaml, 0, &n);
	ck_assert_int_eq((int)n, 5);
	ck_assert(!strncmp(slice, "a: 1\n", n));
	ck_assert_str_eq(root()->file, "<stdin>");
	teardown();
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
	slice = fg_yaml_text(yaml, 0, &n);
	ck_assert(!strncmp(slice, "---\nb: [x, y]\n...", n));
	ck_assert_int_eq(fg_node_get(root(), "b")->line, 3);
	ck_assert_int_eq(root()->line, 3);
	teardown();
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
	ck_assert_str_eq(fg_node_get(root(), "c")->value, "é");
	ck_assert_int_eq(root()->line, 6);
	teardown();
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 0);
	ck_assert_ptr_null(yaml);
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 0);
	ck_assert_uint_eq(fg_yaml_reader_offset(reader), sizeof(text) - 1);
	close_text();
}
END_TEST

/* Each document's text is its exact bytes, wherever characters of two
 * to four bytes fall among ASCII (libyaml counts characters, the reader
 * maps them to bytes). */
START_TEST(test_reader_slices_documents_among_multibyte_text)
{
	static const char text[] =
		"a: \xC3\xA9t\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D\n"
		"b: plain ascii\n"
		"---\n"
		"c: \xF0\x9D\x84\x9E \xE6\x97\xA5\xE6\x9C\xAC\n"
		"d: [x, y]\n"
		"---\n"
		"e: only ascii here\n";
	static const char *const want[] = {
		"a: \xC3\xA9t\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D\n"
		"b: plain ascii\n",
		"---\nc: \xF0\x9D\x84\x9E \xE6\x97\xA5\xE6\x9C\xAC\n"
		"d: [x, y]\n",
		"---\ne: only ascii here\n"};
	static const int lines[] = {2, 5, 7};
	static const char *const keys[] = {"b", "d", "e"};
	const char *slice;
	size_t n, i;

	open_text(text, sizeof(text) - 1, NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
		slice = fg_yaml_text(yaml, 0, &n);
		ck_assert_uint_eq(n, strlen(want[i]));
		ck_assert(!strncmp(slice, want[i], n));
		ck_assert_int_eq(fg_node_get(root(), keys[i])->line, lines[i]);
		teardown();
	}
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 0);
	close_text();
}
END_TEST

/* A document given back is reused for the next one: each reads as it
 * would fresh (values, lines, text), a large document after small ones
 * and small ones after it, and nothing is lost (ASan in make check). */
START_TEST(test_reader_reuses_documents_given_back)
{
	char text[65536], key[32];
	const fg_node *items;
	const char *slice;
	size_t n = 0, len;
	int i, k, big;

	/* small, large (600 items: several blocks of nodes and of text),
	 * then small again */
	for (i = 0; i < 6; i++) {
		big = i == 2;
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%sdoc: %d\nitems:\n", i ? "---\n" : "",
				      i);
		for (k = 0; k < (big ? 600 : 3); k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "  - {k: v%d-%d}\n", i, k);
	}
	open_text(text, n, NULL);
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
		snprintf(key, sizeof(key), "%d", i);
		ck_assert_str_eq(fg_node_get(root(), "doc")->value, key);
		items = fg_node_get(root(), "items");
		ck_assert_uint_eq(items->count, i == 2 ? 600 : 3);
		snprintf(key, sizeof(key), "v%d-%zu", i, items->count - 1);
		ck_assert_str_eq(fg_node_get(items->items[items->count - 1],
					     "k")->value, key);
		slice = fg_yaml_text(yaml, 0, &len);
		ck_assert(strstr(slice, key) != NULL);
		ck_assert_str_eq(root()->file, "<stdin>");
		fg_yaml_reader_recycle(reader, yaml);
		yaml = NULL;
	}
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 0);
	/* a document of no reader's is simply freed */
	fg_yaml_reader_recycle(NULL, NULL);
	close_text();
}
END_TEST

/* Limits are each document's: a stream longer than max_bytes is read,
 * one document longer than it is refused where it starts. */
START_TEST(test_reader_limits_are_per_document)
{
	fg_yaml_limits lim = fg_yaml_default_limits;
	char text[4096];
	size_t n = 0;
	int i, docs = 0, rc;

	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%sk: %d\n", i ? "---\n" : "", i);
	lim.max_bytes = 16;
	open_text(text, n, &lim);
	while ((rc = fg_yaml_reader_next(reader, &yaml, &err)) == 1) {
		docs++;
		teardown();
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(docs, 100);
	n = (size_t)snprintf(text, sizeof(text), "a: 1\n---\nb: 123456789012"
			     "34567890\n");
	open_text(text, n, &lim);
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
	teardown();
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err),
			 FG_EINPUT);
	ck_assert_ptr_null(yaml);
	ck_assert_str_eq(err.file, "<stdin>");
	ck_assert_int_eq(err.line, 2);
	ck_message_has("limit is 16 bytes for one document");
	/* and a failed reader stays failed */
	ck_assert_int_lt(fg_yaml_reader_next(reader, &yaml, &err), 0);
	close_text();
}
END_TEST

/* A bad byte deep in a stream is named at its own line and column, after
 * the documents before it were handed out. */
START_TEST(test_reader_locates_a_bad_byte_far_into_the_stream)
{
	size_t size = 200000, n = 0;
	char *text = malloc(size);
	int docs = 0, rc, line = 1;

	ck_assert_ptr_nonnull(text);
	while (n < 100000) {
		n += (size_t)snprintf(text + n, size - n, "---\nk: %zu\n", n);
		line += 2;
	}
	memcpy(text + n, "---\nk: \xFF\n", 10);
	n += 10;
	open_text(text, n, NULL);
	while ((rc = fg_yaml_reader_next(reader, &yaml, &err)) == 1) {
		docs++;
		teardown();
	}
	ck_assert_int_eq(rc, FG_EINPUT);
	ck_assert_int_gt(docs, 1000);
	ck_assert_int_eq(err.line, line + 1);
	ck_assert_int_eq(err.column, 4);
	ck_message_has("invalid UTF-8 byte 0xFF");
	close_text();
	free(text);
}
END_TEST

/* A character cut in two by a read (libyaml reads 16 KiB at a time) is
 * whole again on the other side. */
START_TEST(test_reader_joins_a_character_split_by_a_read)
{
	size_t size = 40000, n, k;
	char *text = malloc(size);

	ck_assert_ptr_nonnull(text);
	for (k = 16380; k <= 16386; k++) {
		n = (size_t)snprintf(text, size, "a: ");
		while (n < k)
			text[n++] = 'x';
		memcpy(text + n, "\xE2\x82\xAC\n", 4);   /* € */
		n += 4;
		open_text(text, n, NULL);
		ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
		ck_assert(strstr(fg_node_get(root(), "a")->value, "€") !=
			  NULL);
		teardown();
	}
	close_text();
	free(text);
}
END_TEST

START_TEST(test_reader_skips_a_byte_order_mark_and_refuses_a_fifo)
{
	static const char text[] = "\xEF\xBB\xBF" "a: 1\n---\nb: 2\n";
	char path[64] = "/tmp/check_yaml_fifo.XXXXXX";
	const char *slice;
	size_t n;

	open_text(text, sizeof(text) - 1, NULL);
	ck_assert_int_eq(fg_yaml_reader_next(reader, &yaml, &err), 1);
	ck_assert_int_eq(fg_node_get(root(), "a")->column, 4);
	slice = fg_yaml_text(yaml, 0, &n);
	ck_assert(!strncmp(slice, "a: 1\n", n));
	close_text();
	ck_assert_ptr_nonnull(mkdtemp(path));
	strcat(path, "/f");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(fg_yaml_reader_open(&reader, path, NULL, &err),
			 FG_EIO);
	ck_assert_ptr_null(reader);
	ck_message_has("FIFO");
	unlink(path);
	*strrchr(path, '/') = 0;
	rmdir(path);
}
END_TEST

/* ---- files ------------------------------------------------------------ */

static char tmpdir[64];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_yaml.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
	char cmd[128];

	teardown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const char *tmp_file(const char *name, const char *text, size_t len)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

START_TEST(test_load_file_reads_and_names_nodes)
{
	const char *p = tmp_file("run.yaml", "a: 1\nb: [x]\n", 12);

	ck_assert_int_eq(fg_yaml_load_file(&yaml, p, NULL, &err), 0);
	ck_assert_str_eq(fg_yaml_path(yaml), p);
	ck_assert_str_eq(root()->file, p);
	ck_assert_str_eq(fg_node_get(root(), "b")->items[0]->value, "x");
}
END_TEST

START_TEST(test_load_file_errors_name_the_path)
{
	const char *p = tmp_file("bad.yaml", "a: 1\na: 2\n", 10);
	char path[128], buf[1200];

	ck_assert_int_eq(fg_yaml_load_file(&yaml, p, NULL, &err), FG_EINPUT);
	ck_assert_ptr_null(yaml);
	snprintf(path, sizeof(path), "%s:2:1: duplicate key", p);
	ck_assert_msg(!strncmp(fg_error_format(&err, buf, sizeof(buf)), path,
			       strlen(path)), "got %s", buf);
	snprintf(path, sizeof(path), "%s/missing.yaml", tmpdir);
	ck_assert_int_eq(fg_yaml_load_file(&yaml, path, NULL, &err), FG_EIO);
	ck_assert_str_eq(err.file, path);
	ck_message_has("cannot open");
	ck_assert_int_eq(fg_yaml_load_file(&yaml, tmpdir, NULL, &err), FG_EIO);
	ck_message_has("directory");
}
END_TEST

/* Larger than the default 16 MiB: refused from its size, before reading.
 * The file is sparse, so the test writes nothing large. */
START_TEST(test_file_over_default_limit_is_refused)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/big.yaml", tmpdir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)(16u << 20) + 1), 0);
	close(fd);
	ck_assert_int_eq(fg_yaml_load_file(&yaml, path, NULL, &err),
			 FG_EINPUT);
	ck_assert_ptr_null(yaml);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 1);
	ck_message_has("16777217 bytes");
	ck_message_has("limit");
}
END_TEST

START_TEST(test_small_byte_limit_on_files_and_streams)
{
	fg_yaml_limits lim = fg_yaml_default_limits;
	const char *p = tmp_file("s.yaml", "a: 12345678\n", 12);

	lim.max_bytes = 11;
	ck_assert_int_eq(fg_yaml_load_file(&yaml, p, &lim, &err), FG_EINPUT);
	ck_message_has("limit");
	lim.max_bytes = 12;
	ck_assert_int_eq(fg_yaml_load_file(&yaml, p, &lim, &err), 0);
	teardown();
	/* a device is not read at all (it could be endless, or block) */
	lim.max_bytes = 1000;
	ck_assert_int_eq(fg_yaml_load_file(&yaml, "/dev/zero", &lim, &err),
			 FG_EIO);
	ck_message_has("special file");
}
END_TEST

/* Issue 11, item 13: explicit tags, core ones included, and %TAG
 * directives are refused where they are written. */
START_TEST(test_tags_are_refused_with_their_location)
{
	static const struct {
		const char *text, *needle;
		int line, column;
	} cases[] = {
		{"a: !!str 10\n", "`!!str` is not allowed", 1, 4},
		{"a:\n  b: !custom x\n", "`!custom` is not allowed", 2, 6},
		{"a: !!python/object:os.system {}\n",
		 "`!!python/object:os.system`", 1, 4},
		{"- !!seq [1]\n", "`!!seq`", 1, 3},
		{"a: ! x\n", "`!` is not allowed", 1, 4},
		{"%TAG !e! tag:e.com,2000:\n---\na: 1\n", "%TAG directive", 1,
		 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ck_assert_msg(load(cases[i].text) == FG_EINPUT, "case %zu", i);
		ck_assert_msg(strstr(err.message, cases[i].needle),
			      "case %zu: %s", i, err.message);
		ck_assert_int_eq(err.line, cases[i].line);
		ck_assert_int_eq(err.column, cases[i].column);
		teardown();
	}
	/* a %YAML directive is no tag */
	ck_assert_int_eq(load("%YAML 1.1\n---\na: 1\n"), 0);
}
END_TEST

/* ---- typed access ----------------------------------------------------- */

static const char *const run_keys[] = {"id", "tokens", "phases", NULL};

START_TEST(test_check_keys_suggests_the_nearest)
{
	char buf[1200];

	ck_assert_int_eq(load("id: x\ntokens: 1\n"), 0);
	ck_assert_int_eq(fg_node_check_keys(root(), run_keys, "run", &err), 0);
	ck_assert_int_eq(load("id: x\n  # c\ntoken: 1\n"), 0);
	ck_assert_int_eq(fg_node_check_keys(root(), run_keys, "run", &err),
			 FG_EINPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 1);
	ck_assert_str_eq(fg_error_format(&err, buf, sizeof(buf)),
			 "t.yaml:3:1: unknown key `token` in `run`; did you "
			 "mean `tokens`?");
	ck_assert_int_eq(load("id: x\nzzzzzz: 1\n"), 0);
	ck_assert_int_eq(fg_node_check_keys(root(), run_keys, "run", &err),
			 FG_EINPUT);
	ck_assert_str_eq(err.message, "unknown key `zzzzzz` in `run`");
	ck_assert_int_eq(load("- a\n"), 0);
	ck_assert_int_eq(fg_node_check_keys(root(), run_keys, "run", &err),
			 FG_EINPUT);
	ck_assert_str_eq(err.message, "`run` must be a map, not a list");
}
END_TEST

START_TEST(test_require_reports_the_map)
{
	const fg_node *v = NULL;

	ck_assert_int_eq(load("run:\n  model: m\n  id: ~\n"), 0);
	ck_assert_int_eq(fg_node_require(&v, fg_node_get(root(), "run"), "id",
					 "run", &err), FG_EINPUT);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 3);
	ck_assert_str_eq(err.message, "`run` has no `id`");
	ck_assert_int_eq(fg_node_require(&v, fg_node_get(root(), "run"),
					 "model", "run", &err), 0);
	ck_assert_str_eq(v->value, "m");
	ck_assert_int_eq(fg_node_require(&v, fg_node_get(root(), "run"),
					 "phases", "run", &err), FG_EINPUT);
	ck_assert_str_eq(err.message, "`run` has no `phases`");
}
END_TEST

START_TEST(test_bool_values)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "on"};
	static const char *const no[] = {"false", "False", "no", "NO", "off"};
	char text[32];
	size_t i;
	int v;

	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "%s", yes[i]);
		ck_assert_int_eq(load(text), 0);
		v = -1;
		ck_assert_int_eq(fg_node_bool(&v, root(), "b", &err), 0);
		ck_assert_int_eq(v, 1);
		snprintf(text, sizeof(text), "%s", no[i]);
		ck_assert_int_eq(load(text), 0);
		ck_assert_int_eq(fg_node_bool(&v, root(), "b", &err), 0);
		ck_assert_int_eq(v, 0);
	}
	ck_assert_int_eq(load("a: maybe\n"), 0);
	v = -1;
	ck_assert_int_eq(fg_node_bool(&v, fg_node_get(root(), "a"), "generative",
				      &err), FG_EINPUT);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(err.column, 4);
	ck_assert_str_eq(err.message,
			 "`generative` must be true or false, not `maybe`");
	/* a quoted "true" is a string, not a boolean */
	ck_assert_int_eq(load("\"true\""), 0);
	ck_assert_int_eq(fg_node_bool(&v, root(), "b", &err), FG_EINPUT);
	ck_assert_int_eq(load("[true]"), 0);
	ck_assert_int_eq(fg_node_bool(&v, root(), "b", &err), FG_EINPUT);
	ck_assert_str_eq(err.message, "`b` must be a value, not a list");
}
END_TEST

START_TEST(test_nearest)
{
	static const char *const keys[] = {"id", "tokens", "accelerator",
					   "utilization", "phases", NULL};
	char long_word[300];

	ck_assert_str_eq(fg_nearest("token", keys), "tokens");
	ck_assert_str_eq(fg_nearest("acclerator", keys), "accelerator");
	ck_assert_str_eq(fg_nearest("utilisation", keys), "utilization");
	ck_assert_str_eq(fg_nearest("phase", keys), "phases");
	ck_assert_str_eq(fg_nearest("ix", keys), "id");
	ck_assert_str_eq(fg_nearest("tokens", keys), "tokens");
	ck_assert_ptr_null(fg_nearest("model", keys));
	/* a one-letter word is not a typo of every two-letter key */
	ck_assert_ptr_null(fg_nearest("x", keys));
	ck_assert_ptr_null(fg_nearest("", keys));
	ck_assert_ptr_null(fg_nearest("token", NULL));
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = 0;
	ck_assert_ptr_null(fg_nearest(long_word, keys));
}
END_TEST

START_TEST(test_get_expect_string_and_null)
{
	const char *s = NULL;
	const fg_node *r;

	ck_assert_int_eq(load("a: ~\nb: null\nc:\nd: \"\"\ne: \"null\"\n"
			      "f: NULL\ng: [x]\n"), 0);
	r = root();
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "a")), 1);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "b")), 1);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "c")), 1);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "f")), 1);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "d")), 0);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "e")), 0);
	ck_assert_int_eq(fg_node_is_null(fg_node_get(r, "g")), 0);
	ck_assert_int_eq(fg_node_is_null(NULL), 0);
	ck_assert_ptr_null(fg_node_get(r, "missing"));
	ck_assert_ptr_null(fg_node_get(fg_node_get(r, "g"), "x"));
	ck_assert_ptr_null(fg_node_get(NULL, "x"));
	ck_assert_int_eq(fg_node_string(&s, fg_node_get(r, "d"), "d", &err), 0);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(fg_node_string(&s, fg_node_get(r, "e"), "e", &err), 0);
	ck_assert_str_eq(s, "null");
	ck_assert_int_eq(fg_node_string(&s, fg_node_get(r, "a"), "model",
					&err), FG_EINPUT);
	ck_assert_str_eq(err.message, "`model` is empty");
	ck_assert_int_eq(fg_node_expect(fg_node_get(r, "g"), FG_NODE_MAP,
					"phases", &err), FG_EINPUT);
	ck_assert_str_eq(err.message, "`phases` must be a map, not a list");
	ck_assert_int_eq(err.line, 7);
	ck_assert_int_eq(err.column, 4);
	ck_assert_int_eq(fg_node_expect(NULL, FG_NODE_SEQ, "phases", &err),
			 FG_EINPUT);
	ck_assert_str_eq(err.message, "`phases` must be a list, not missing");
	ck_assert_int_eq(fg_node_expect(fg_node_get(r, "g"), FG_NODE_SEQ,
					"phases", NULL), 0);
}
END_TEST

START_TEST(test_node_error_formats_file_line_column)
{
	char buf[1200];

	ck_assert_int_eq(load("a:\n  b: 42\n"), 0);
	ck_assert_int_eq(fg_node_error(&err, FG_EINPUT,
				       fg_node_get(fg_node_get(root(), "a"),
						   "b"), "`%s` is wrong", "b"),
			 FG_EINPUT);
	ck_assert_str_eq(fg_error_format(&err, buf, sizeof(buf)),
			 "t.yaml:2:6: `b` is wrong");
	ck_assert_int_eq(fg_node_error(&err, FG_EIO, NULL, "no node"), FG_EIO);
	ck_assert_str_eq(fg_error_format(&err, buf, sizeof(buf)), "no node");
	ck_assert_int_eq(fg_node_error(NULL, FG_EINPUT, root(), "x"),
			 FG_EINPUT);
}
END_TEST

/* A key written with escapes must not reach the terminal as control
 * characters: ESC, newline and the 8-bit CSI all become '?'. */
START_TEST(test_messages_carry_no_control_characters)
{
	static const char *const keys[] = {"id", NULL};

	ck_assert_int_eq(load("\"\\e[2J\\nx\\u009b\": 1\n"), 0);
	ck_assert_int_eq(fg_node_check_keys(root(), keys, "run", &err),
			 FG_EINPUT);
	ck_assert_str_eq(err.message, "unknown key `?[2J?x?` in `run`");
	fg_error_set(&err, FG_EINPUT, "a\tb.yaml", 1, 1, "caf\xC3\xA9 \x7F");
	ck_assert_str_eq(err.file, "a?b.yaml");
	ck_assert_str_eq(err.message, "caf\xC3\xA9 ?");
}
END_TEST

START_TEST(test_error_format_and_exit_status)
{
	fg_error e;
	char buf[1200];

	fg_error_clear(&e);
	ck_assert_str_eq(fg_error_format(&e, buf, sizeof(buf)), "no error");
	fg_error_set(&e, FG_EIO, "f.yaml", 0, 0, "cannot open");
	ck_assert_str_eq(fg_error_format(&e, buf, sizeof(buf)),
			 "f.yaml: cannot open");
	fg_error_set(&e, FG_EINPUT, "f.yaml", 7, 0, "bad");
	ck_assert_str_eq(fg_error_format(&e, buf, sizeof(buf)), "f.yaml:7: bad");
	fg_error_set(&e, FG_EINPUT, "f.yaml", 7, 3, "bad %d", 5);
	ck_assert_str_eq(fg_error_format(&e, buf, sizeof(buf)),
			 "f.yaml:7:3: bad 5");
	fg_error_format(&e, buf, 8);
	ck_assert_str_eq(buf, "f.yaml:");
	ck_assert_int_eq(fg_error_set(NULL, FG_ESTORE, NULL, 0, 0, "x"),
			 FG_ESTORE);
	fg_error_clear(NULL);
	ck_assert_int_eq(fg_error_exit_status(FG_OK), 0);
	ck_assert_int_eq(fg_error_exit_status(FG_EINPUT), 2);
	ck_assert_int_eq(fg_error_exit_status(FG_EUSAGE), 2);
	ck_assert_int_eq(fg_error_exit_status(FG_EIO), 2);
	ck_assert_int_eq(fg_error_exit_status(FG_ENOTFOUND), 2);
	ck_assert_int_eq(fg_error_exit_status(FG_ESTORE), 3);
	ck_assert_int_eq(fg_error_exit_status(FG_EINTEGRITY), 3);
	ck_assert_int_eq(fg_error_exit_status(FG_ENOMEM), 3);
}
END_TEST

static Suite *yaml_suite(void)
{
	Suite *s = suite_create("yaml");
	TCase *t = tcase_create("loader");
	TCase *f = tcase_create("files");
	TCase *n = tcase_create("nodes");
	TCase *r = tcase_create("reader");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, test_map_seq_scalar_marks_are_one_based);
	tcase_add_test(t, test_plain_and_quoted_scalars_differ);
	tcase_add_test(t, test_tags_are_refused_with_their_location);
	tcase_add_test(t, test_scalar_value_keeps_non_ascii_text);
	tcase_add_test(t, test_collections_keep_every_child_across_growth);
	tcase_add_test(t, test_stream_documents_and_slices);
	tcase_add_test(t, test_slices_are_exact_after_non_ascii_text);
	tcase_add_test(t, test_explicit_document_end_is_in_the_slice);
	tcase_add_test(t, test_crlf_line_ends_count_one_line);
	tcase_add_test(t, test_byte_order_mark_is_skipped);
	tcase_add_test(t, test_empty_and_comment_only_streams_have_no_documents);
	tcase_add_test(t, test_accessors_are_null_safe);
	tcase_add_test(t, test_duplicate_key_points_at_the_second);
	tcase_add_test(t, test_tab_indentation_is_named);
	tcase_add_test(t, test_invalid_utf8_points_at_the_bad_byte);
	tcase_add_test(t, test_nul_and_control_characters_are_located);
	tcase_add_test(t,
		       test_a_bad_byte_is_located_at_any_offset_in_a_long_line);
	tcase_add_test(t, test_depth_limit);
	tcase_add_test(t, test_node_limit);
	tcase_add_test(t, test_alias_bomb_fails_on_the_budget);
	tcase_add_test(t, test_aliases_share_their_anchor_and_are_charged);
	tcase_add_test(t, test_recursive_alias_is_refused);
	tcase_add_test(t, test_undefined_alias_is_refused);
	tcase_add_test(t, test_anchors_do_not_leak_across_documents);
	tcase_add_test(t, test_redefined_anchor_takes_the_latest);
	tcase_add_test(t, test_many_anchors_resolve);
	tcase_add_test(t, test_collection_as_key_is_refused);
	tcase_add_test(t, test_syntax_errors_are_located_and_readable);
	tcase_add_test(t, test_byte_limit);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(r, NULL, close_text);
	tcase_add_test(r, test_reader_hands_out_documents_one_at_a_time);
	tcase_add_test(r, test_reader_reuses_documents_given_back);
	tcase_add_test(r, test_reader_slices_documents_among_multibyte_text);
	tcase_add_test(r, test_reader_limits_are_per_document);
	tcase_add_test(r, test_reader_locates_a_bad_byte_far_into_the_stream);
	tcase_add_test(r, test_reader_joins_a_character_split_by_a_read);
	tcase_add_test(r, test_reader_skips_a_byte_order_mark_and_refuses_a_fifo);
	suite_add_tcase(s, r);

	tcase_add_checked_fixture(f, tmp_setup, tmp_teardown);
	tcase_add_test(f, test_load_file_reads_and_names_nodes);
	tcase_add_test(f, test_load_file_errors_name_the_path);
	tcase_add_test(f, test_file_over_default_limit_is_refused);
	tcase_add_test(f, test_small_byte_limit_on_files_and_streams);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(n, NULL, teardown);
	tcase_add_test(n, test_check_keys_suggests_the_nearest);
	tcase_add_test(n, test_require_reports_the_map);
	tcase_add_test(n, test_bool_values);
	tcase_add_test(n, test_nearest);
	tcase_add_test(n, test_get_expect_string_and_null);
	tcase_add_test(n, test_node_error_formats_file_line_column);
	tcase_add_test(n, test_messages_carry_no_control_characters);
	tcase_add_test(n, test_error_format_and_exit_status);
	suite_add_tcase(s, n);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(yaml_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
