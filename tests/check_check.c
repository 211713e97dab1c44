/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the pipeline's public edges (include/flopgate/check.h,
 * sink.h, output.h): fg_check_json, a program's own sink
 * (fg_sink_new_callbacks) and outputs into memory.  The runs are the
 * repository's examples, the rules its shipped rules. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flopgate.h"

static const char *const gpt4[] = {"examples/runs/gpt-4.yaml"};

static fg_check_request request(void)
{
	fg_check_request req;

	memset(&req, 0, sizeof(req));
	req.rules_dir = "rules";
	req.as_of = "2026-11-30";
	return req;
}

START_TEST(test_check_json_is_the_check_document)
{
	fg_check_request req = request();
	fg_error err;
	char *json = NULL;

	fg_error_clear(&err);
	ck_assert_int_eq(fg_check_json(&json, gpt4, 1, &req, &err), 0);
	ck_assert_ptr_nonnull(json);
	ck_assert(!strncmp(json, "{\n  \"flopgate\": ", 16));
	ck_assert_ptr_nonnull(strstr(json, "\"as_of\": \"2026-11-30\""));
	ck_assert_ptr_nonnull(strstr(json, "\"evaluation_id\": null"));
	ck_assert_ptr_nonnull(strstr(json, "\"rule\":\"eu.gpai.systemic-risk\""));
	ck_assert_ptr_nonnull(strstr(json, "\"passed\": false"));
	fg_free(json);
}
END_TEST

START_TEST(test_check_json_estimate_has_no_findings_nor_gate)
{
	fg_check_request req = request();
	fg_error err;
	char *json = NULL;

	req.estimate_only = 1;
	ck_assert_int_eq(fg_check_json(&json, gpt4, 1, &req, &err), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"training_compute_flop\""));
	ck_assert_ptr_null(strstr(json, "\"findings\""));
	ck_assert_ptr_null(strstr(json, "\"gate\""));
	fg_free(json);
}
END_TEST

START_TEST(test_check_json_names_the_bad_input_file_line_column)
{
	static const char *const bad[] = {"tests/fixtures/bad/bad-date.yaml"};
	fg_check_request req = request();
	fg_error err;
	char *json = (char *)"untouched";

	ck_assert_int_eq(fg_check_json(&json, bad, 1, &req, &err), FG_EINPUT);
	ck_assert_ptr_null(json);
	ck_assert_str_eq(err.file, "tests/fixtures/bad/bad-date.yaml");
	ck_assert_int_eq(err.line, 7);
	ck_assert_int_eq(err.column, 18);
}
END_TEST

START_TEST(test_check_json_refuses_a_bad_request)
{
	fg_check_request req = request();
	fg_error err;
	char *json = NULL;

	req.as_of = "2024-02-30";
	ck_assert_int_eq(fg_check_json(&json, gpt4, 1, &req, &err),
			 FG_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.message, "2024-02-30"));
	req = request();
	req.fail_on = "sometimes";
	ck_assert_int_eq(fg_check_json(&json, gpt4, 1, &req, &err),
			 FG_EUSAGE);
	req = request();
	ck_assert_int_eq(fg_check_json(&json, gpt4, 0, &req, &err),
			 FG_EUSAGE);
	req.rules_dir = "tests/fixtures/no-such-rules";
	ck_assert_int_lt(fg_check_json(&json, gpt4, 1, &req, &err), 0);
	ck_assert_ptr_null(json);
}
END_TEST

START_TEST(test_check_json_records_into_a_new_database)
{
	char dir[] = "/tmp/fg-check-XXXXXX", db[64];
	fg_check_request req = request();
	fg_verify_report report;
	fg_store *store = NULL;
	fg_error err;
	char *json = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/audit.db", dir);
	req.record = db;
	req.actor = "ci";
	ck_assert_int_eq(fg_check_json(&json, gpt4, 1, &req, &err), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"evaluation_id\": 1,"));
	ck_assert_ptr_nonnull(strstr(json, "\"actor\": \"ci\""));
	fg_free(json);
	ck_assert_int_eq(fg_store_open(&store, db, FG_STORE_READONLY, &err),
			 0);
	ck_assert_int_eq(fg_store_verify(store, NULL, &report, &err), 0);
	ck_assert_int_eq(report.entries, 1);
	fg_store_free(store);
	unlink(db);
	snprintf(db, sizeof(db), "%s/audit.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof(db), "%s/audit.db-shm", dir);
	unlink(db);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- a program's own sink ---------------------------------------------- */

typedef struct calls {
	int begin, run, end, commit, abort, freed;
	char first_id[64];
	int head_is_json;
} calls;

static int on_begin(void *self, const fg_sink_start *start, fg_error *err)
{
	calls *c = self;

	(void)err;
	c->begin++;
	c->head_is_json = !strncmp(start->head_json, "{\"flopgate\":", 12);
	return 0;
}

static int on_run(void *self, const fg_run_result *result, fg_error *err)
{
	calls *c = self;

	(void)err;
	if (c->run++ == 0)
		snprintf(c->first_id, sizeof(c->first_id), "%.*s",
			 (int)(strchr(result->json + 7, '"') - result->json -
			       7), result->json + 7);
	ck_assert_uint_eq(result->json_length, strlen(result->json));
	return 0;
}

static int on_end(void *self, const fg_check_summary *summary, fg_error *err)
{
	(void)err;
	(void)summary;
	((calls *)self)->end++;
	return 0;
}

static int on_commit(void *self, fg_error *err)
{
	(void)err;
	((calls *)self)->commit++;
	return 0;
}

static void on_abort(void *self, const fg_error *why)
{
	(void)why;
	((calls *)self)->abort++;
}

static void on_free(void *self)
{
	((calls *)self)->freed++;
}

static const fg_sink_callbacks callbacks = {
	on_begin, on_run, on_end, on_commit, on_abort, on_free
};

/* Runs path through fg_check into one callback sink recording into c. */
static int check_into(calls *c, const char *path)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_catalog *catalog = NULL;
	fg_sources *sources = fg_sources_new();
	fg_check_options opt;
	fg_check_summary summary;
	fg_sink *sink;
	fg_error err;
	int rc;

	memset(&opt, 0, sizeof(opt));
	fg_date_parse(&opt.as_of, "2026-11-30");
	ck_assert_int_eq(fg_ruleset_set_add_path(set, "rules", NULL, &err), 0);
	ck_assert_int_eq(fg_catalog_load(&catalog, "rules/hardware.yaml",
					 &err), 0);
	ck_assert_int_eq(fg_sources_add(sources, path, &err), 0);
	sink = fg_sink_new_callbacks(&callbacks, c);
	ck_assert_ptr_nonnull(sink);
	rc = fg_check(&summary, sources, catalog, set, &opt, &sink, 1, &err);
	fg_sink_free(sink);
	fg_sources_free(sources);
	fg_catalog_free(catalog);
	fg_ruleset_set_free(set);
	return rc;
}

START_TEST(test_own_sink_gets_the_head_and_each_run_as_json)
{
	calls c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(check_into(&c, "examples/runs/inventory.yaml"), 0);
	ck_assert_int_eq(c.begin, 1);
	ck_assert_int_gt(c.run, 1);
	ck_assert_int_eq(c.end, 1);
	ck_assert_int_eq(c.commit, 1);
	ck_assert_int_eq(c.abort, 0);
	ck_assert_int_eq(c.freed, 1);
	ck_assert(c.head_is_json);
	ck_assert_str_ne(c.first_id, "");
}
END_TEST

START_TEST(test_own_sink_is_aborted_on_bad_input_never_committed)
{
	calls c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(check_into(&c, "tests/fixtures/bad/bad-date.yaml"),
			 FG_EINPUT);
	ck_assert_int_eq(c.commit, 0);
	ck_assert_int_eq(c.abort, 1);
	ck_assert_int_eq(c.freed, 1);
}
END_TEST

/* ---- outputs into memory ----------------------------------------------- */

START_TEST(test_memory_output_holds_the_text_once_committed)
{
	fg_output *out = NULL;
	fg_error err;
	char *text = (char *)"untouched";
	size_t length = 99;

	ck_assert_int_eq(fg_output_open_memory(&out, &text, &length, &err), 0);
	ck_assert_ptr_null(text);
	ck_assert_uint_eq(length, 0);
	fputs("gate: passed\n", fg_output_stream(out));
	ck_assert_int_eq(fg_output_commit(out, &err), 0);
	ck_assert_str_eq(text, "gate: passed\n");
	ck_assert_uint_eq(length, 13);
	fg_output_free(out);
	fg_free(text);

	ck_assert_int_eq(fg_output_open_memory(&out, &text, NULL, &err), 0);
	fputs("discarded", fg_output_stream(out));
	fg_output_free(out);
	ck_assert_ptr_null(text);
}
END_TEST

/* ---- output directories ------------------------------------------------ */

/* The text of dir/name, or "" when it cannot be read. */
static const char *file_text(const char *dir, const char *name)
{
	static char text[256];
	char path[128];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r"))) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = 0;
	return text;
}

static void write_one(fg_output_dir *d, const char *name, const char *text)
{
	fg_error err;
	FILE *f = NULL;

	ck_assert_int_eq(fg_output_dir_create(d, name, &f, &err), 0);
	fputs(text, f);
	ck_assert_int_eq(fg_output_dir_close(d, f, &err), 0);
}

/* Entries of dir, "." and ".." apart. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* ---- outputs many times the page cache window ------------------------- */

/* An output is handed to writeback and dropped from the page cache
 * window by window as it is written (src/output.c): 100 MiB spans three
 * windows and then some.  Block i is 64 KiB of the byte 'a' + i % 26. */
enum { BIG_BLOCKS = 1600, BIG_BLOCK = 65536 };

static void write_big(fg_output *out)
{
	static char block[BIG_BLOCK];
	int i;

	for (i = 0; i < BIG_BLOCKS; i++) {
		memset(block, 'a' + i % 26, sizeof(block));
		ck_assert_uint_eq(fwrite(block, 1, sizeof(block),
					 fg_output_stream(out)),
				  sizeof(block));
	}
}

/* Checks that path holds `head`, then the BIG_BLOCKS blocks. */
static void assert_big(const char *path, const char *head)
{
	static char block[BIG_BLOCK];
	char got[64] = "";
	size_t n = strlen(head), j;
	FILE *f = fopen(path, "rb");
	struct stat sb;
	int i;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq((long long)sb.st_size,
			 (long long)n + (long long)BIG_BLOCKS * BIG_BLOCK);
	ck_assert_uint_eq(fread(got, 1, n, f), n);
	ck_assert_str_eq(got, head);
	for (i = 0; i < BIG_BLOCKS; i++) {
		ck_assert_uint_eq(fread(block, 1, sizeof(block), f),
				  sizeof(block));
		for (j = 0; j < sizeof(block); j++)
			if (block[j] != 'a' + i % 26)
				ck_abort_msg("block %d byte %zu: %c", i, j,
					     block[j]);
	}
	fclose(f);
}

START_TEST(test_big_output_is_written_whole_or_cut_back)
{
	char dir[] = "/tmp/fg-bigout-XXXXXX", path[96], out_path[96];
	fg_output *out = NULL;
	fg_error err;
	struct stat sb;
	int fd, saved;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* a file target: whole on commit, absent when discarded */
	snprintf(path, sizeof(path), "%s/out.json", dir);
	ck_assert_int_eq(fg_output_open(&out, path, &err), 0);
	write_big(out);
	fg_output_free(out);
	ck_assert_int_ne(stat(path, &sb), 0);
	ck_assert_int_eq(entries(dir), 0);
	ck_assert_int_eq(fg_output_open(&out, path, &err), 0);
	write_big(out);
	ck_assert_int_eq(fg_output_commit(out, &err), 0);
	fg_output_free(out);
	assert_big(path, "");
	unlink(path);

	/* standard output that is a file at its end (`>> log`): written in
	 * place, cut back to what it held when discarded */
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "kept\n", 5), 5);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	ck_assert_int_eq(fg_output_open(&out, NULL, &err), 0);
	write_big(out);
	fg_output_free(out);
	ck_assert_int_eq(stat(out_path, &sb), 0);
	ck_assert_int_eq((int)sb.st_size, 5);
	ck_assert_int_eq(fg_output_open(&out, "-", &err), 0);
	write_big(out);
	ck_assert_int_eq(fg_output_commit(out, &err), 0);
	fg_output_free(out);
	ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	assert_big(out_path, "kept\n");
	unlink(out_path);
	rmdir(dir);
}
END_TEST

/* A write that fails part-way (here the file size limit, past the first
 * window) fails the commit, and leaves nothing at the target. */
START_TEST(test_big_output_that_cannot_be_written_fails_whole)
{
	char dir[] = "/tmp/fg-bigout-XXXXXX", path[96];
	static char block[BIG_BLOCK];
	struct rlimit limit = {40 << 20, 40 << 20};
	fg_output *out = NULL;
	fg_error err;
	int i, failed = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
	ck_assert_int_eq(fg_output_open(&out, path, &err), 0);
	memset(block, 'x', sizeof(block));
	for (i = 0; i < BIG_BLOCKS && !failed; i++)
		failed = fwrite(block, 1, sizeof(block),
				fg_output_stream(out)) != sizeof(block);
	ck_assert_int_eq(failed, 1);
	ck_assert_int_eq(fg_output_commit(out, &err), FG_EIO);
	ck_assert_str_eq(err.file, path);
	fg_output_free(out);
	ck_assert_int_eq(entries(dir), 0);
	rmdir(dir);
}
END_TEST

START_TEST(test_new_output_dir_appears_whole_on_commit_only)
{
	char top[] = "/tmp/fg-outdir-XXXXXX", dir[64], listing[512], want[256];
	fg_output_dir *d = NULL;
	fg_error err;
	FILE *listed;

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(dir, sizeof(dir), "%s/reports/", top);
	/* discarded: nothing is left, not even the directory */
	ck_assert_int_eq(fg_output_dir_open(&d, dir, &err), 0);
	write_one(d, "a.md", "A\n");
	ck_assert_int_eq(access(dir, F_OK), -1);
	fg_output_dir_free(d);
	ck_assert_int_eq(entries(top), 0);
	/* committed: the directory appears with every file, and each is
	 * listed */
	ck_assert_int_eq(fg_output_dir_open(&d, dir, &err), 0);
	write_one(d, "a.md", "A\n");
	write_one(d, "b.svg", "B\n");
	ck_assert_int_eq(entries(top), 1);          /* the stage alone */
	ck_assert_int_eq(access(dir, F_OK), -1);
	listed = tmpfile();
	ck_assert_ptr_nonnull(listed);
	ck_assert_int_eq(fg_output_dir_commit(d, listed, &err), 0);
	fg_output_dir_free(d);
	ck_assert_str_eq(file_text(dir, "a.md"), "A\n");
	ck_assert_str_eq(file_text(dir, "b.svg"), "B\n");
	ck_assert_int_eq(entries(dir), 2);
	ck_assert_int_eq(entries(top), 1);          /* the stage is gone */
	rewind(listed);
	listing[fread(listing, 1, sizeof(listing) - 1, listed)] = 0;
	fclose(listed);
	snprintf(want, sizeof(want), "wrote %s/reports/a.md\nwrote "
		 "%s/reports/b.svg\n", top, top);
	ck_assert_str_eq(listing, want);
	snprintf(dir, sizeof(dir), "%s/reports", top);
	unlink(strcat(strcpy(listing, dir), "/a.md"));
	unlink(strcat(strcpy(listing, dir), "/b.svg"));
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(rmdir(top), 0);
}
END_TEST

/* Files open at once, more than the directory lends buffers to, one
 * larger than a buffer, written in turn and closed out of order: each is
 * published with its own bytes; a name given twice is refused. */
START_TEST(test_output_dir_files_open_at_once_keep_their_bytes)
{
	enum { OPEN = 5, BIG = 200000 };
	char top[] = "/tmp/fg-outdir-XXXXXX", dir[64], name[16], want[32];
	char path[128], *big = malloc(BIG), *back = malloc(BIG + 64);
	fg_output_dir *d = NULL;
	FILE *f[OPEN], *dup = NULL, *in;
	fg_error err;
	size_t i, n;

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(back);
	for (i = 0; i < BIG; i++)
		big[i] = (char)('a' + i % 26);
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(dir, sizeof(dir), "%s/out", top);
	ck_assert_int_eq(fg_output_dir_open(&d, dir, &err), 0);
	for (i = 0; i < OPEN; i++) {
		snprintf(name, sizeof(name), "f%zu.md", i);
		ck_assert_int_eq(fg_output_dir_create(d, name, &f[i], &err),
				 0);
	}
	for (i = 0; i < OPEN; i++)
		fprintf(f[i], "file %zu\n", i);
	ck_assert_uint_eq(fwrite(big, 1, BIG, f[0]), BIG);
	for (i = 0; i < OPEN; i++)
		fprintf(f[i], "end %zu\n", i);
	ck_assert_int_eq(fg_output_dir_create(d, "f3.md", &dup, &err),
			 FG_EINPUT);
	ck_assert_ptr_null(dup);
	for (i = OPEN; i-- > 0;)
		ck_assert_int_eq(fg_output_dir_close(d, f[i], &err), 0);
	/* the buffers given back serve the next files */
	write_one(d, "g.md", "G\n");
	write_one(d, "h.md", "H\n");
	ck_assert_int_eq(fg_output_dir_commit(d, NULL, &err), 0);
	fg_output_dir_free(d);
	for (i = 1; i < OPEN; i++) {
		snprintf(name, sizeof(name), "f%zu.md", i);
		snprintf(want, sizeof(want), "file %zu\nend %zu\n", i, i);
		ck_assert_str_eq(file_text(dir, name), want);
	}
	ck_assert_str_eq(file_text(dir, "g.md"), "G\n");
	ck_assert_str_eq(file_text(dir, "h.md"), "H\n");
	snprintf(path, sizeof(path), "%s/f0.md", dir);
	ck_assert_ptr_nonnull(in = fopen(path, "rb"));
	n = fread(back, 1, BIG + 64, in);
	fclose(in);
	ck_assert_uint_eq(n, 7 + BIG + 6);
	ck_assert(!memcmp(back, "file 0\n", 7));
	ck_assert(!memcmp(back + 7, big, BIG));
	ck_assert(!memcmp(back + 7 + BIG, "end 0\n", 6));
	ck_assert_int_eq(entries(dir), OPEN + 2);
	for (i = 0; i < OPEN + 2; i++) {
		if (i < OPEN)
			snprintf(path, sizeof(path), "%s/f%zu.md", dir, i);
		else
			snprintf(path, sizeof(path), "%s/%c.md", dir,
				 (int)('g' + i - OPEN));
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(rmdir(top), 0);
	free(big);
	free(back);
}
END_TEST

START_TEST(test_output_dir_made_meanwhile_gets_the_files_one_by_one)
{
	char top[] = "/tmp/fg-outdir-XXXXXX", dir[64], path[96];
	fg_output_dir *d = NULL;
	fg_error err;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(dir, sizeof(dir), "%s/reports", top);
	ck_assert_int_eq(fg_output_dir_open(&d, dir, &err), 0);
	write_one(d, "a.md", "new A\n");
	write_one(d, "b.md", "new B\n");
	/* another process makes the directory, with a file of its own and
	 * one the report replaces */
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/theirs.md", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("theirs\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a.md", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("old A\n", f);
	fclose(f);
	ck_assert_int_eq(fg_output_dir_commit(d, NULL, &err), 0);
	fg_output_dir_free(d);
	ck_assert_str_eq(file_text(dir, "a.md"), "new A\n");
	ck_assert_str_eq(file_text(dir, "b.md"), "new B\n");
	ck_assert_str_eq(file_text(dir, "theirs.md"), "theirs\n");
	ck_assert_int_eq(entries(dir), 3);
	ck_assert_int_eq(entries(top), 1);          /* no stage left */
	unlink(strcat(strcpy(path, dir), "/a.md"));
	unlink(strcat(strcpy(path, dir), "/b.md"));
	unlink(strcat(strcpy(path, dir), "/theirs.md"));
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(rmdir(top), 0);
}
END_TEST

/* ---- reports from the store (flopgate/report.h) -------------------------- */

static void count_call(void *ctx)
{
	(*(int *)ctx)++;
}

/* Whether the file dir/name holds needle. */
static int file_has(const char *dir, const char *name, const char *needle)
{
	static char text[1 << 20];
	char path[160];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r"))) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = 0;
	return strstr(text, needle) != NULL;
}

/* gpt-4 and gpt-3 recorded, then reported through the library: every
 * run into a new directory, one run into a file with its chart beside
 * it, and an unknown run, which writes nothing. */
START_TEST(test_report_renders_what_the_store_recorded)
{
	static const char *const two[] = {"examples/runs/gpt-4.yaml",
					  "examples/runs/gpt-3.yaml"};
	char dir[] = "/tmp/fg-report-XXXXXX", db[64], out[80], cmd[128];
	fg_check_request req = request();
	fg_report_request rr;
	fg_report_result res;
	fg_store *store = NULL;
	fg_error err;
	char *json = NULL;
	struct stat sb;
	int snapshots = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/audit.db", dir);
	req.record = db;
	ck_assert_int_eq(fg_check_json(&json, two, 2, &req, &err), 0);
	fg_free(json);
	ck_assert_int_eq(fg_store_open(&store, db, FG_STORE_READONLY, &err),
			 0);

	snprintf(out, sizeof(out), "%s/all/", dir);
	memset(&rr, 0, sizeof(rr));
	rr.output = out;
	rr.snapshot_taken = count_call;
	rr.ctx = &snapshots;
	ck_assert_int_eq(fg_report(store, &rr, &res, &err), 0);
	ck_assert_int_eq(snapshots, 1);
	ck_assert_int_eq(res.verified, 1);
	ck_assert(!strncmp(res.message, "1 entry, head ", 14));
	ck_assert_int_eq(entries(out), 6);      /* 2 x (.md + .svg), index */
	ck_assert(file_has(out, "gpt-4.md", "GPT-4"));
	ck_assert(file_has(out, "index.md", "(gpt-3.md)"));
	ck_assert(file_has(out, "index.md", "(gpt-4.md)"));
	ck_assert(file_has(out, "gpt-3.svg", "<svg"));

	snprintf(out, sizeof(out), "%s/one.md", dir);
	memset(&rr, 0, sizeof(rr));
	rr.run = "gpt-3";
	rr.output = out;
	ck_assert_int_eq(fg_report(store, &rr, &res, &err), 0);
	ck_assert(file_has(dir, "one.md", "GPT-3"));
	ck_assert(file_has(dir, "one.md", "(one.svg)"));
	ck_assert_int_eq(stat(out, &sb), 0);
	snprintf(out, sizeof(out), "%s/one.svg", dir);
	ck_assert_int_eq(stat(out, &sb), 0);

	snprintf(out, sizeof(out), "%s/none/", dir);
	rr.run = "gpt-5";
	rr.output = out;
	ck_assert_int_eq(fg_report(store, &rr, &res, &err), FG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "gpt-5"));
	ck_assert_int_eq(res.verified, -1);
	ck_assert_int_ne(stat(out, &sb), 0);

	/* neither the result nor the error is required */
	snprintf(out, sizeof(out), "%s/two.md", dir);
	rr.run = "gpt-4";
	ck_assert_int_eq(fg_report(store, &rr, NULL, NULL), 0);
	ck_assert(file_has(dir, "two.md", "GPT-4"));

	fg_store_free(store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_rules_default_dir_is_absolute)
{
	ck_assert_int_eq(fg_rules_default_dir()[0], '/');
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_check_json_is_the_check_document);
	tcase_add_test(tc, test_check_json_estimate_has_no_findings_nor_gate);
	tcase_add_test(tc, test_check_json_names_the_bad_input_file_line_column);
	tcase_add_test(tc, test_check_json_refuses_a_bad_request);
	tcase_add_test(tc, test_check_json_records_into_a_new_database);
	tcase_add_test(tc, test_own_sink_gets_the_head_and_each_run_as_json);
	tcase_add_test(tc, test_own_sink_is_aborted_on_bad_input_never_committed);
	tcase_add_test(tc, test_memory_output_holds_the_text_once_committed);
	tcase_add_test(tc, test_big_output_is_written_whole_or_cut_back);
	tcase_add_test(tc, test_big_output_that_cannot_be_written_fails_whole);
	tcase_add_test(tc, test_new_output_dir_appears_whole_on_commit_only);
	tcase_add_test(tc, test_output_dir_files_open_at_once_keep_their_bytes);
	tcase_add_test(tc,
		       test_output_dir_made_meanwhile_gets_the_files_one_by_one);
	tcase_add_test(tc, test_report_renders_what_the_store_recorded);
	tcase_add_test(tc, test_rules_default_dir_is_absolute);
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
