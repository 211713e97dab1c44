/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate benchmark floor: the least work the same libraries must do on
 * the same input, so that `make bench` can print each flopgate figure as a
 * ratio to it.  Not a test; prints figures, asserts only that it worked.
 *
 *   floor parse  RUNS.yaml           libyaml parses every document of the
 *                                    stream (events), SHA-256 of each
 *                                    document's bytes
 *   floor record RUNS.yaml DB RULES  the same, plus one SQLite row per run
 *                                    (id, hash, document text) and RULES
 *                                    rows per run for its findings, in one
 *                                    transaction (WAL, synchronous FULL,
 *                                    as the store)
 *   floor rehash DB                  reads back every stored document (as
 *                                    stored: a frame from schema 8) and
 *                                    hashes it (what verifying the stored
 *                                    bytes cannot avoid).  DB is the
 *                                    database `flopgate check` recorded
 *                                    the same stream into: the bytes
 *                                    `audit verify` must re-hash are its
 *                                    stored run documents and input texts,
 *                                    not this floor's own YAML rows, which
 *                                    are a twentieth of them.  (A floor
 *                                    record database is still accepted.)
 *   floor write  SIZES DIR           creates DIR and writes into it one
 *                                    new file for each size (in bytes, one
 *                                    a line) in SIZES: the files a report
 *                                    wrote, written by a program that does
 *                                    nothing else (what the file system
 *                                    and the machine's memory charge for
 *                                    them)
 *
 * Each mode prints one line: "floor MODE: N runs, U s user, S s sys,
 * R KiB peak RSS" (write: "N files").  The one-run gate's floor is
 * `floor record` on a file holding one run, timed from outside with its
 * start-up. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>
#include <yaml.h>

typedef struct stream {
	FILE *file;                 /* what libyaml reads */
	FILE *bytes;                /* the same file, read again for each
				     * document's bytes to hash */
	yaml_parser_t parser;
	int parser_ready;
	char *text;                 /* the current document's bytes */
	size_t length, capacity;
	size_t offset;              /* of `bytes` */
} stream;

static void report_of(const char *mode, long count, const char *what)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("floor %s: %ld %s, %.3f s user, %.3f s sys, %ld KiB peak "
	       "RSS\n", mode, count, what,
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	       ru.ru_maxrss);
}

static void report(const char *mode, long runs)
{
	report_of(mode, runs, "runs");
}

static void hex(const unsigned char *d, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[64] = 0;
}

static int sha256(const void *data, size_t length, char out[65])
{
	unsigned char d[32];
	unsigned int n = 0;

	if (!EVP_Digest(data, length, d, &n, EVP_sha256(), NULL) || n != 32)
		return -1;
	hex(d, out);
	return 0;
}

/* Streams: memory stays that of one document, as flopgate's should. */
static int stream_open(stream *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	if (!(s->file = fopen(path, "rb")) || !(s->bytes = fopen(path, "rb")))
		return -1;
	if (!yaml_parser_initialize(&s->parser))
		return -1;
	s->parser_ready = 1;
	yaml_parser_set_input_file(&s->parser, s->file);
	return 0;
}

static void stream_close(stream *s)
{
	if (s->parser_ready)
		yaml_parser_delete(&s->parser);
	free(s->text);
	if (s->file)
		fclose(s->file);
	if (s->bytes)
		fclose(s->bytes);
}

/* Reads bytes [start, end) of the file into s->text (documents come in
 * order, so this only ever reads forward). */
static int read_range(stream *s, size_t start, size_t end)
{
	size_t n = end - start;

	if (n > s->capacity) {
		char *grown = realloc(s->text, n);

		if (!grown)
			return -1;
		s->text = grown;
		s->capacity = n;
	}
	if (start != s->offset &&
	    fseek(s->bytes, (long)start, SEEK_SET))
		return -1;
	if (fread(s->text, 1, n, s->bytes) != n)
		return -1;
	s->offset = end;
	s->length = n;
	return 0;
}

/* The next document's byte range; 1 when there is one, 0 at the end, -1
 * on a parse error. */
static int next_document(stream *s, size_t *start, size_t *end)
{
	yaml_event_t ev;
	int found = 0;

	for (;;) {
		if (!yaml_parser_parse(&s->parser, &ev))
			return -1;
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			*start = ev.start_mark.index;
			found = 1;
		} else if (ev.type == YAML_DOCUMENT_END_EVENT) {
			*end = ev.end_mark.index;
			yaml_event_delete(&ev);
			return found && read_range(s, *start, *end) == 0 ? 1
								      : -1;
		} else if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		yaml_event_delete(&ev);
	}
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(stderr, "floor: %s\n", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

static int run_parse(const char *path)
{
	stream s;
	size_t a = 0, b = 0;
	char sha[65];
	long runs = 0;
	int rc;

	if (stream_open(&s, path)) {
		fprintf(stderr, "floor: cannot read %s\n", path);
		stream_close(&s);
		return 1;
	}
	while ((rc = next_document(&s, &a, &b)) > 0) {
		if (sha256(s.text, s.length, sha))
			rc = -1;
		runs++;
	}
	stream_close(&s);
	if (rc < 0) {
		fprintf(stderr, "floor: %s: parse error\n", path);
		return 1;
	}
	report("parse", runs);
	return 0;
}

static int run_record(const char *path, const char *db_path, long rules)
{
	static const char schema[] =
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		"CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY,"
		" sha256 TEXT NOT NULL, document TEXT NOT NULL);"
		"CREATE TABLE IF NOT EXISTS findings (run INTEGER NOT NULL,"
		" rule INTEGER NOT NULL, outcome TEXT NOT NULL,"
		" PRIMARY KEY (run, rule));";
	stream s;
	sqlite3 *db = NULL;
	sqlite3_stmt *run = NULL, *finding = NULL;
	size_t a = 0, b = 0;
	char sha[65];
	long runs = 0, r;
	int rc = -1;

	if (stream_open(&s, path) ||
	    sqlite3_open(db_path, &db) != SQLITE_OK || exec(db, schema) ||
	    exec(db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(db, "INSERT INTO runs (sha256, document) "
			       "VALUES (?, ?)", -1, &run, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO findings VALUES (?, ?, "
			       "'clear')", -1, &finding, NULL))
		goto done;
	while ((rc = next_document(&s, &a, &b)) > 0) {
		sqlite3_int64 id;

		if (sha256(s.text, s.length, sha))
			break;
		sqlite3_bind_text(run, 1, sha, 64, SQLITE_STATIC);
		sqlite3_bind_text(run, 2, s.text, (int)s.length,
				  SQLITE_STATIC);
		if (sqlite3_step(run) != SQLITE_DONE)
			break;
		sqlite3_reset(run);
		id = sqlite3_last_insert_rowid(db);
		for (r = 0; r < rules; r++) {
			sqlite3_bind_int64(finding, 1, id);
			sqlite3_bind_int64(finding, 2, r);
			if (sqlite3_step(finding) != SQLITE_DONE)
				break;
			sqlite3_reset(finding);
		}
		if (r < rules)
			break;
		runs++;
	}
	if (rc == 0)
		rc = exec(db, "COMMIT");
	else
		rc = -1;
done:
	if (rc && db)
		fprintf(stderr, "floor: record: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(run);
	sqlite3_finalize(finding);
	sqlite3_close(db);
	stream_close(&s);
	if (rc)
		return 1;
	report("record", runs);
	return 0;
}

/* Hashes every row of a query (SHA, BYTES) and compares; -1 on a
 * mismatch or an error, else the number of rows. */
static long rehash_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	char sha[65];
	long rows = 0;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL)) {
		fprintf(stderr, "floor: rehash: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *want = (const char *)sqlite3_column_text(q, 0);
		const void *doc = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);

		if (sha256(doc, (size_t)n, sha) || strcmp(sha, want)) {
			fprintf(stderr, "floor: rehash: row %ld differs\n",
				rows + 1);
			break;
		}
		rows++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? rows : -1;
}

static int run_rehash(const char *db_path)
{
	sqlite3 *db = NULL;
	long runs, texts = 0;
	int flopgate, framed;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL)) {
		fprintf(stderr, "floor: rehash: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	/* a flopgate database: its documents (as stored: LZ4 frames from
	 * schema version 8) and its input texts */
	flopgate = sqlite3_table_column_metadata(db, NULL, "runs",
						 "document_sha256", NULL, NULL,
						 NULL, NULL, NULL) == SQLITE_OK;
	framed = sqlite3_table_column_metadata(db, NULL, "runs",
					       "document_lz4", NULL, NULL,
					       NULL, NULL, NULL) == SQLITE_OK;
	runs = rehash_rows(db, framed
			   ? "SELECT document_sha256, coalesce(document_lz4, "
			     "document) FROM runs ORDER BY evaluation_id, "
			     "position"
			   : flopgate
			   ? "SELECT document_sha256, document FROM runs "
			     "ORDER BY evaluation_id, position"
			   : "SELECT sha256, document FROM runs ORDER BY id");
	if (flopgate && runs >= 0)
		texts = rehash_rows(db, "SELECT sha256, text FROM "
				    "input_texts");
	sqlite3_close(db);
	if (runs < 0 || texts < 0)
		return 1;
	report("rehash", runs);
	return 0;
}

/* Writes one new file of each size listed in sizes_path into dir. */
static int run_write(const char *sizes_path, const char *dir)
{
	static char block[65536];
	char path[4096];
	FILE *sizes = fopen(sizes_path, "r");
	long files = 0, size, n;
	int fd, bad = 0;

	if (!sizes || mkdir(dir, 0777)) {
		perror(sizes ? dir : sizes_path);
		if (sizes)
			fclose(sizes);
		return 1;
	}
	memset(block, 'x', sizeof(block));
	while (!bad && fscanf(sizes, "%ld", &size) == 1) {
		snprintf(path, sizeof(path), "%s/%07ld", dir, files++);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
		for (bad = fd < 0; !bad && size > 0; size -= n) {
			n = size < (long)sizeof(block) ? size
						       : (long)sizeof(block);
			bad = write(fd, block, (size_t)n) != n;
		}
		if (fd >= 0 && close(fd))
			bad = 1;
		if (bad)
			perror(path);
	}
	fclose(sizes);
	if (bad)
		return 1;
	report_of("write", files, "files");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "parse"))
		return run_parse(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "record"))
		return run_record(argv[2], argv[3], atol(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "rehash"))
		return run_rehash(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return run_write(argv[2], argv[3]);
	fputs("usage: floor parse RUNS.yaml | floor record RUNS.yaml DB "
	      "RULES | floor rehash DB | floor write SIZES DIR\n", stderr);
	return 2;
}
