/* flopgate report: Markdown compliance reports from the audit database.
 *
 * A report is rendered only from what the store recorded (the latest
 * evaluation of each run), and always with the audit chain verified at
 * render time: the checkpoint is read first and verify then proves the
 * chain extends it, so the checkpoint printed in the report is one that
 * verified.  When verify fails the report is still written, carrying the
 * renderer's loud warning, and the command exits 3.
 *
 * Files are written atomically: each is rendered into a temporary file in
 * its target directory and renamed over the target only once every file
 * of the command has been rendered, so a failure leaves no half-written
 * report and no stray temporary file behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "flopgate/render.h"
#include "flopgate/store.h"
#include "flopgate/yaml.h"

static const char report_usage[] =
	"usage: flopgate report [--db FILE] [--run ID | --all] [-o FILE|DIR]\n"
	"                       [--checkpoint FILE [--verify-key PUB.pem]]\n"
	"                       [--quiet]\n\n"
	"Renders Markdown compliance reports from the audit database, from\n"
	"the latest recorded evaluation of each run.  The audit chain is\n"
	"verified at render time and every report ends with the checkpoint it\n"
	"was rendered from (hold it against the database with `flopgate audit\n"
	"verify --checkpoint FILE`).  A database that fails verification still\n"
	"gets its report, headed by a warning, and the command exits 3.\n\n"
	"  --db FILE      audit database (default: $FLOPGATE_DB, else\n"
	"                 ./flopgate.db); opened read-only, never created\n"
	"  --run ID       the compliance report of run ID\n"
	"  --all          the auditor summary across every recorded run (the\n"
	"                 default when neither --run nor --all is given)\n"
	"  -o, --output FILE|DIR\n"
	"                 write to FILE instead of standard output.  DIR (an\n"
	"                 existing directory, or a path ending in '/', created\n"
	"                 when missing): --run writes DIR/<run>.md; --all writes\n"
	"                 one report per run plus DIR/index.md, the summary,\n"
	"                 whose links point to those files.  File names come\n"
	"                 from the run id, made safe: a report never lands\n"
	"                 outside DIR.  Files are replaced atomically.\n"
	"                 A FIFO or device is written through, never\n"
	"                 replaced; a symbolic link keeps pointing where it\n"
	"                 did.  With --all, every file is rendered and every\n"
	"                 target checked before any is replaced: on failure\n"
	"                 DIR is left as it was.\n"
	"  --checkpoint FILE\n"
	"                 verify against this saved checkpoint too: a\n"
	"                 database that no longer extends it is reported as\n"
	"                 failing verification\n"
	"  --verify-key PUB.pem\n"
	"                 the checkpoint must be signed by this Ed25519 key\n"
	"  -q, --quiet    do not list the files written on standard error\n\n"
	"exit: 0 written, 2 bad usage, unknown run or unwritable output,\n"
	"3 database missing or unusable, or audit verify failed\n";

#define SUMMARY_NAME "index.md"
#define TEMP_STEM ".flopgate-report-"

static const char *default_db(void)
{
	const char *env = getenv("FLOPGATE_DB");

	return env && *env ? env : "flopgate.db";
}

/* Copies text into buf with control bytes shown as '?', so a hostile run
 * id cannot drive the terminal from an error message. */
static const char *printable(char *buf, size_t size, const char *text)
{
	size_t i;

	for (i = 0; i + 1 < size && text[i]; i++)
		buf[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7F ?
			 '?' : text[i];
	buf[i] = 0;
	return buf;
}

/* ---- atomic output files -------------------------------------------------- */

typedef struct staged {
	char *temp;    /* the rendered temporary file */
	char *target;  /* where it goes */
	char *backup;  /* a hard link to the file target replaced, until
			* every rename has succeeded */
} staged;

typedef struct staging {
	staged *files;
	size_t n, cap;
} staging;

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), size = n + strlen(name) + 2;
	char *path = malloc(size);

	if (path)
		snprintf(path, size, "%s%s%s", dir,
			 n && dir[n - 1] == '/' ? "" : "/", name);
	return path;
}

/* The directory part of path ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	dir = strndup(path, (size_t)(slash - path));
	return dir;
}

/* Opens a temporary file in dir that will become target on commit; the
 * entry is owned by st from then on, also when rendering fails. */
static int stage_open(FILE **out, staging *st, const char *dir,
		      const char *target, fg_error *err)
{
	staged *grown, *e;
	mode_t mask;
	int fd;

	*out = NULL;
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 8;
		grown = realloc(st->files, st->cap * sizeof(*grown));
		if (!grown)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
		st->files = grown;
	}
	e = &st->files[st->n];
	e->backup = NULL;
	e->temp = join(dir, TEMP_STEM "XXXXXX");
	e->target = strdup(target);
	if (!e->temp || !e->target) {
		free(e->temp);
		free(e->target);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	if ((fd = mkstemp(e->temp)) < 0) {
		fg_error_set(err, FG_EIO, dir, 0, 0, "cannot write a report "
			     "here: %s", strerror(errno));
		free(e->temp);
		free(e->target);
		return FG_EIO;
	}
	st->n++;
	/* mkstemp makes the file 0600; a report is as readable as any file
	 * the user creates. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(*out = fdopen(fd, "w"))) {
		close(fd);
		return fg_error_set(err, FG_EIO, e->target, 0, 0,
				    "cannot write: %s", strerror(errno));
	}
	return 0;
}

static int stage_close(FILE *f, const staging *st, fg_error *err)
{
	const char *target = st->files[st->n - 1].target;

	if (fflush(f) || ferror(f)) {
		fg_error_set(err, FG_EIO, target, 0, 0, "cannot write: %s",
			     strerror(errno));
		fclose(f);
		return FG_EIO;
	}
	if (fclose(f))
		return fg_error_set(err, FG_EIO, target, 0, 0,
				    "cannot write: %s", strerror(errno));
	return 0;
}

/* Removes every temporary file not yet renamed. */
static void stage_free(staging *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (st->files[i].temp)
			unlink(st->files[i].temp);
		if (st->files[i].backup)
			unlink(st->files[i].backup);
		free(st->files[i].temp);
		free(st->files[i].target);
		free(st->files[i].backup);
	}
	free(st->files);
	st->files = NULL;
	st->n = st->cap = 0;
}

/* Every target is a regular file or does not exist yet: a rename would
 * replace anything else (a directory fails half-way, a device node or a
 * FIFO would be replaced by a regular file). */
static int stage_check(const staging *st, fg_error *err)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < st->n; i++)
		if (lstat(st->files[i].target, &sb) == 0 &&
		    !S_ISREG(sb.st_mode))
			return fg_error_set(err, FG_EIO, st->files[i].target,
					    0, 0, "cannot write the report "
					    "here: it is %s, not a regular "
					    "file; nothing was written",
					    S_ISDIR(sb.st_mode) ? "a directory"
					    : S_ISLNK(sb.st_mode)
						    ? "a symbolic link"
						    : "a special file");
	return 0;
}

/* A fresh name beside target for a hard link to the file it replaces. */
static char *backup_name(const char *target)
{
	size_t size = strlen(target) + sizeof(TEMP_STEM "backup-XXXXXX") + 2;
	char *dir = dir_of(target), *name = dir ? malloc(size) : NULL;
	int fd;

	if (name) {
		snprintf(name, size, "%s/" TEMP_STEM "backup-XXXXXX", dir);
		/* mkstemp reserves the name; link() needs it free again */
		if ((fd = mkstemp(name)) < 0) {
			free(name);
			name = NULL;
		} else {
			close(fd);
			unlink(name);
		}
	}
	free(dir);
	return name;
}

/* Puts back what renames 0..n-1 replaced. */
static void stage_roll_back(staging *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (st->files[i].backup) {
			if (rename(st->files[i].backup, st->files[i].target))
				continue; /* left for stage_free to report */
			free(st->files[i].backup);
			st->files[i].backup = NULL;
		} else {
			unlink(st->files[i].target);
		}
	}
}

/* Renames every rendered file over its target, all or nothing: the files
 * a target held are kept as hard links until every rename succeeded, and
 * put back when one fails. */
static int stage_commit(staging *st, int quiet, fg_error *err)
{
	struct stat sb;
	size_t i;
	int rc;

	if ((rc = stage_check(st, err)) < 0)
		return rc;
	for (i = 0; i < st->n; i++) {
		if (lstat(st->files[i].target, &sb) == 0 &&
		    (!(st->files[i].backup = backup_name(st->files[i].target))
		     || link(st->files[i].target, st->files[i].backup))) {
			free(st->files[i].backup);
			st->files[i].backup = NULL;
			rc = fg_error_set(err, FG_EIO, st->files[i].target, 0,
					  0, "cannot replace the report: %s; "
					  "nothing was written",
					  strerror(errno));
			stage_roll_back(st, i);
			return rc;
		}
		if (rename(st->files[i].temp, st->files[i].target)) {
			rc = fg_error_set(err, FG_EIO, st->files[i].target, 0,
					  0, "cannot write: %s; nothing was "
					  "written", strerror(errno));
			stage_roll_back(st, i + 1);
			return rc;
		}
		free(st->files[i].temp);
		st->files[i].temp = NULL;
	}
	for (i = 0; i < st->n; i++) {
		if (st->files[i].backup)
			unlink(st->files[i].backup);
		free(st->files[i].backup);
		st->files[i].backup = NULL;
		if (!quiet)
			fprintf(stderr, "wrote %s\n", st->files[i].target);
	}
	return 0;
}

/* ---- unknown run ids ------------------------------------------------------- */

#define LIST_ALL_MAX 8
#define NEAREST 3

static const char *doc_run_id(const json_t *doc)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(doc, "runs"), 0), "id"));
}

/* "no recorded run `X` in DB; recorded runs: a, b" or the nearest ids. */
static int unknown_run(fg_store *store, const char *db, const char *run)
{
	json_t **docs = NULL;
	size_t count = 0, i, k, best[NEAREST], dist[NEAREST], d, n = 0;
	char shown[512];
	fg_error err;
	const char *id;

	fprintf(stderr, "flopgate: %s: no recorded run `%s`", db,
		printable(shown, sizeof(shown), run));
	if (fg_store_latest_documents(store, NULL, &docs, &count, &err) < 0 ||
	    !count) {
		fputs(count ? "\n" : "; the database holds no runs\n",
		      stderr);
		fg_store_documents_free(docs, count);
		return FG_EXIT_INPUT;
	}
	if (count <= LIST_ALL_MAX) {
		fputs("; recorded runs: ", stderr);
		for (i = 0; i < count; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				printable(shown, sizeof(shown),
					  doc_run_id(docs[i])));
	} else {
		for (i = 0; i < count; i++) {
			d = fg_edit_distance(run, doc_run_id(docs[i]), 0);
			for (k = n < NEAREST ? n++ : NEAREST;
			     k > 0 && dist[k - 1] > d; k--)
				if (k < NEAREST) {
					best[k] = best[k - 1];
					dist[k] = dist[k - 1];
				}
			if (k < NEAREST) {
				best[k] = i;
				dist[k] = d;
			}
		}
		fprintf(stderr, "; %zu runs are recorded, the nearest: ",
			count);
		for (k = 0; k < n; k++) {
			id = doc_run_id(docs[best[k]]);
			fprintf(stderr, "%s%s", k ? ", " : "",
				printable(shown, sizeof(shown), id));
		}
	}
	fputs(" (see flopgate audit log)\n", stderr);
	fg_store_documents_free(docs, count);
	return FG_EXIT_INPUT;
}

/* ---- rendering -------------------------------------------------------------- */

typedef struct render_job {
	json_t **docs;
	size_t count;
	const char *checkpoint;
	int verified;
	const char *verify_message;
} render_job;

static fg_report_provenance run_provenance(const render_job *job,
					   const json_t *doc)
{
	fg_report_provenance p = {0, job->checkpoint, job->verified,
				  job->verify_message, NULL};

	p.evaluation_id = (long long)json_integer_value(
		json_object_get(doc, "evaluation_id"));
	p.recorded_at = json_string_value(json_object_get(doc,
							  "recorded_at"));
	return p;
}

static int render_summary(FILE *out, const render_job *job, fg_error *err)
{
	fg_report_provenance p = {0, job->checkpoint, job->verified,
				  job->verify_message, NULL};

	return fg_render_markdown_summary(out, job->docs, job->count, &p,
					  err);
}

static int render_one(FILE *out, const render_job *job, size_t i,
		      fg_error *err)
{
	fg_report_provenance p = run_provenance(job, job->docs[i]);

	return fg_render_markdown_run(out, job->docs[i], 0, &p, err);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The report file name of every run; refuses names that would land on one
 * another or on the summary. */
static int run_file_names(char (**out)[FG_REPORT_FILENAME_MAX + 1],
			  const render_job *job, fg_error *err)
{
	char (*names)[FG_REPORT_FILENAME_MAX + 1];
	char **sorted = NULL, shown[512];
	size_t i;
	int rc = 0;

	*out = NULL;
	names = calloc(job->count ? job->count : 1, sizeof(*names));
	sorted = calloc(job->count ? job->count : 1, sizeof(*sorted));
	if (!names || !sorted) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < job->count; i++) {
		const char *id = doc_run_id(job->docs[i]);

		if ((rc = fg_report_filename(names[i], sizeof(names[i]),
					     id ? id : "")) < 0) {
			rc = fg_error_set(err, rc, NULL, 0, 0, "a recorded run "
					  "has no usable id");
			goto done;
		}
		if (!strcmp(names[i], SUMMARY_NAME)) {
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "the report of run `%s` would be "
					  "named %s, the summary's name; "
					  "render it alone with --run",
					  printable(shown, sizeof(shown), id),
					  SUMMARY_NAME);
			goto done;
		}
		sorted[i] = names[i];
	}
	qsort(sorted, job->count, sizeof(*sorted), compare_names);
	for (i = 1; i < job->count; i++)
		if (!strcmp(sorted[i - 1], sorted[i])) {
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "two runs would share the report "
					  "file %s", sorted[i]);
			goto done;
		}
	*out = names;
	names = NULL;
done:
	free(names);
	free(sorted);
	return rc;
}

/* --all -o DIR: one report per run, then index.md. */
static int write_directory(staging *st, const char *dir,
			   const render_job *job, fg_error *err)
{
	char (*names)[FG_REPORT_FILENAME_MAX + 1] = NULL;
	char *path = NULL;
	FILE *f;
	size_t i;
	int rc;

	if ((rc = run_file_names(&names, job, err)) < 0)
		return rc;
	for (i = 0; i <= job->count; i++) {
		free(path);
		if (!(path = join(dir, i < job->count ? names[i]
						       : SUMMARY_NAME))) {
			rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
			break;
		}
		if ((rc = stage_open(&f, st, dir, path, err)) < 0)
			break;
		rc = i < job->count ? render_one(f, job, i, err)
				    : render_summary(f, job, err);
		if (rc < 0) {
			fclose(f);
			break;
		}
		if ((rc = stage_close(f, st, err)) < 0)
			break;
	}
	free(path);
	free(names);
	return rc;
}

/* Renders straight into an existing special file (a FIFO, a terminal,
 * /dev/null): it is written through, never replaced. */
static int write_through(const char *target, int all, const render_job *job,
			 fg_error *err)
{
	int fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC), rc;
	FILE *f;

	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return fg_error_set(err, FG_EIO, target, 0, 0,
				    "cannot write: %s", strerror(errno));
	}
	rc = all ? render_summary(f, job, err) : render_one(f, job, 0, err);
	if (rc == 0 && (fflush(f) || ferror(f)))
		rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot write: %s",
				  strerror(errno));
	if (fclose(f) && rc == 0)
		rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot write: %s",
				  strerror(errno));
	return rc == FG_EIO && !err->file[0]
		       ? fg_error_set(err, FG_EIO, target, 0, 0, "cannot write")
		       : rc;
}

/* Renders the job into a single file (or stdout when target is NULL). */
static int write_single(staging *st, const char *target, int all,
			const render_job *job, fg_error *err)
{
	struct stat sb;
	char *dir, *resolved = NULL;
	FILE *f;
	int rc;

	if (!target) {
		rc = all ? render_summary(stdout, job, err)
			 : render_one(stdout, job, 0, err);
		if (rc == FG_EIO || (rc == 0 && (fflush(stdout) ||
						 ferror(stdout))))
			rc = fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot "
					  "write to standard output: %s",
					  strerror(errno));
		return rc;
	}
	if (lstat(target, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		/* The link stays; what it points at is written. */
		if (stat(target, &sb))
			return fg_error_set(err, FG_EIO, target, 0, 0,
					    "a symbolic link to nothing: %s",
					    strerror(errno));
		if (S_ISREG(sb.st_mode) && !(resolved = realpath(target, NULL)))
			return fg_error_set(err, FG_EIO, target, 0, 0,
					    "cannot resolve: %s",
					    strerror(errno));
	}
	if (lstat(target, &sb) == 0 && !S_ISREG(sb.st_mode) &&
	    !S_ISLNK(sb.st_mode))
		return write_through(target, all, job, err);
	if (!resolved && lstat(target, &sb) == 0 && S_ISLNK(sb.st_mode))
		return write_through(target, all, job, err);
	if (resolved)
		target = resolved;
	if (!(dir = dir_of(target))) {
		free(resolved);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	rc = stage_open(&f, st, dir, target, err);
	free(dir);
	free(resolved);
	if (rc < 0)
		return rc;
	rc = all ? render_summary(f, job, err) : render_one(f, job, 0, err);
	if (rc < 0) {
		fclose(f);
		return rc;
	}
	return stage_close(f, st, err);
}

/* Test hook: with $FLOPGATE_TEST_PAUSE_IN_REPORT naming a path, creates
 * it once the documents are read and waits (up to 60 s) until a test
 * removes it, so the test can record a new evaluation in between. */
static void test_pause(void)
{
	const char *path = getenv("FLOPGATE_TEST_PAUSE_IN_REPORT");
	struct timespec tick = {0, 50000000L};
	FILE *f;
	int i;

	if (!path || !*path || !(f = fopen(path, "w")))
		return;
	fclose(f);
	for (i = 0; i < 1200 && access(path, F_OK) == 0; i++)
		nanosleep(&tick, NULL);
}

/* ---- the command ------------------------------------------------------------- */

static int is_directory(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int fg_cmd_report(int argc, char **argv)
{
	const char *db = default_db(), *run = NULL, *output = NULL;
	const char *saved_checkpoint = NULL, *verify_key = NULL;
	char *saved_text = NULL, signature_message[1100];
	int signature_failed = 0;
	int all = 0, quiet = 0, to_dir = 0, i, rc, vrc;
	fg_store *store = NULL;
	json_t **docs = NULL;
	size_t count = 0;
	char *checkpoint = NULL, message[1100];
	char *target = NULL;
	fg_verify_report vr;
	staging st = {NULL, 0, 0};
	render_job job;
	fg_error err;

	fg_error_clear(&err);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (fg_cli_is_help(a)) {
			fputs(report_usage, stdout);
			return FG_EXIT_OK;
		}
		if (!strcmp(a, "--all")) {
			all = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--run") ||
			   !strcmp(a, "-o") || !strcmp(a, "--output") ||
			   !strcmp(a, "--checkpoint") ||
			   !strcmp(a, "--verify-key")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return fg_cli_usage_error("report: %s needs a "
							  "value", a);
			if (!strcmp(a, "--db")) {
				db = argv[++i];
			} else if (!strcmp(a, "--checkpoint")) {
				saved_checkpoint = argv[++i];
			} else if (!strcmp(a, "--verify-key")) {
				verify_key = argv[++i];
			} else if (!strcmp(a, "--run")) {
				if (run)
					return fg_cli_usage_error(
						"report: give --run once; "
						"--all renders every run");
				run = argv[++i];
			} else {
				output = argv[++i];
			}
		} else {
			return fg_cli_usage_error("report: unknown argument "
						  "`%s`; see flopgate report "
						  "--help", a);
		}
	}
	if (run && all)
		return fg_cli_usage_error("report: --run and --all exclude "
					  "each other");
	if (verify_key && !saved_checkpoint)
		return fg_cli_usage_error("report: --verify-key checks the "
					  "signature of a --checkpoint");
	if (!*db)
		return fg_cli_usage_error("report: --db needs a file");
	if (saved_checkpoint) {
		rc = fg_cli_read_checkpoint(&saved_text, saved_checkpoint,
					    verify_key, &err);
		if (rc == FG_EINTEGRITY) {
			/* A forged or foreign checkpoint: the report is
			 * rendered, but never as verified. */
			signature_failed = 1;
			snprintf(signature_message, sizeof(signature_message),
				 "%s: %s", saved_checkpoint, err.message);
		} else if (rc < 0) {
			return fg_cli_fail(&err);
		} else {
			fg_checkpoint parsed;

			if (fg_checkpoint_parse(&parsed, saved_text, &err) < 0) {
				snprintf(err.file, sizeof(err.file), "%s",
					 saved_checkpoint);
				free(saved_text);
				return fg_cli_fail(&err);
			}
		}
	}
	all = !run;
	if (output && !strcmp(output, "-"))
		output = NULL;
	if (output) {
		size_t n = strlen(output);

		to_dir = output[n - 1] == '/' || is_directory(output);
	}

	/* The documents first, then the checkpoint, then verify against that
	 * checkpoint: the log is append-only, so every document read lies
	 * within the checkpoint the report shows, and verify proves that
	 * checkpoint is part of a chain that holds. */
	if ((rc = fg_store_open(&store, db, FG_STORE_READONLY, &err)) < 0 ||
	    /* one snapshot for documents, checkpoint and verify, so a
	     * concurrent recorder cannot mix two states in one report */
	    (rc = fg_store_snapshot_begin(store, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	rc = fg_store_latest_documents(store, run, &docs, &count, &err);
	test_pause();
	if (rc == FG_ENOTFOUND) {
		rc = unknown_run(store, db, run);
		goto done;
	}
	if (rc == FG_EINTEGRITY) {
		fprintf(stderr, "flopgate: %s: refusing to render a report "
			"from a document that does not match its recorded "
			"hash\n", db);
	}
	if (rc < 0 ||
	    (rc = fg_store_checkpoint(store, &checkpoint, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	vrc = fg_store_verify(store, saved_text ? saved_text : checkpoint,
			      &vr, &err);
	fg_store_snapshot_end(store);
	if (vrc == 0 && signature_failed) {
		vrc = FG_EINTEGRITY;
		snprintf(message, sizeof(message), "%s", signature_message);
	} else if (vrc == 0) {
		snprintf(message, sizeof(message), "%lld entries, head %s",
			 (long long)vr.entries,
			 vr.entries ? vr.head : "(empty log)");
	} else if (vrc == FG_EINTEGRITY || vrc == FG_EINPUT) {
		snprintf(message, sizeof(message), "%s", err.message);
	} else {
		rc = fg_cli_fail(&err);
		goto done;
	}
	job = (render_job){docs, count, checkpoint, vrc == 0, message};

	if (to_dir) {
		if (!is_directory(output) && mkdir(output, 0777)) {
			fg_error_set(&err, FG_EIO, output, 0, 0, "cannot create "
				     "the directory: %s", strerror(errno));
			rc = fg_cli_fail(&err);
			goto done;
		}
		if (all) {
			rc = write_directory(&st, output, &job, &err);
		} else {
			char name[FG_REPORT_FILENAME_MAX + 1];

			rc = fg_report_filename(name, sizeof(name), run);
			if (rc == 0 && !(target = join(output, name)))
				rc = fg_error_set(&err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory");
			else if (rc < 0)
				fg_error_set(&err, rc, NULL, 0, 0, "no file "
					     "name for this run id");
			if (rc == 0)
				rc = write_single(&st, target, 0, &job, &err);
		}
	} else {
		rc = write_single(&st, output, all, &job, &err);
	}
	if (rc == 0)
		rc = stage_commit(&st, quiet, &err);
	rc = rc < 0 ? fg_cli_fail(&err) : FG_EXIT_OK;
	if (vrc != 0) {
		/* The report carries the warning; the exit status says it
		 * too, so no pipeline takes it for a clean one. */
		fprintf(stderr, "flopgate: %s: audit verify FAILED: %s\n", db,
			message);
		rc = FG_EXIT_STORE;
	}
done:
	fg_store_snapshot_end(store);
	stage_free(&st);
	free(target);
	free(saved_text);
	free(checkpoint);
	fg_store_documents_free(docs, count);
	fg_store_free(store);
	return rc;
}
