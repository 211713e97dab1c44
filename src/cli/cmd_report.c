/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate report: Markdown compliance reports from the audit database.
 *
 * A report is rendered only from what the store recorded (the latest
 * evaluation of each run), and always with the audit chain verified at
 * render time: the checkpoint is read first and verify then proves the
 * chain extends it, so the checkpoint printed in the report is one that
 * verified.  When verify fails the report is still written, carrying the
 * renderer's loud warning, and the command exits 3.
 *
 * Files are written atomically (flopgate/output.h): each is rendered into
 * a temporary file and renamed over its target only once every file of
 * the command has been rendered, so a failure leaves no half-written
 * report and no stray temporary file behind.
 *
 * Documents are read one at a time (fg_store_docs: one ordered pass over
 * the runs) and the summary is built run by run (fg_summary), so a report
 * of any number of runs costs the memory of one, in time linear in them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "render_int.h"
#include "store_json.h"
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
#define SUMMARY_CHART "index.svg"
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

/* ---- unknown run ids ------------------------------------------------------- */

#define LIST_ALL_MAX 8
#define NEAREST 3

typedef struct nearest {
	const char *want;
	char *ids[LIST_ALL_MAX + 1];   /* the first ones, to list */
	char *best[NEAREST];
	size_t dist[NEAREST];
	size_t n, count;
} nearest;

/* Keeps the first ids (to list them all when they are few) and the
 * NEAREST nearest, earlier ids first among equals. */
static int near_one(void *ctx, const char *id)
{
	nearest *n = ctx;
	size_t d = fg_edit_distance(n->want, id, 0), k;

	if (n->count <= LIST_ALL_MAX && !(n->ids[n->count] = strdup(id)))
		return FG_ENOMEM;
	n->count++;
	if (n->n == NEAREST && n->dist[NEAREST - 1] <= d)
		return 0;
	if (n->n == NEAREST)
		free(n->best[--n->n]);
	for (k = n->n++; k > 0 && n->dist[k - 1] > d; k--) {
		n->best[k] = n->best[k - 1];
		n->dist[k] = n->dist[k - 1];
	}
	n->dist[k] = d;
	return (n->best[k] = strdup(id)) ? 0 : FG_ENOMEM;
}

/* "no recorded run `X` in DB; recorded runs: a, b" or the nearest ids. */
static int unknown_run(fg_store *store, const char *db, const char *run)
{
	nearest n;
	char shown[512];
	fg_error err;
	size_t i;

	memset(&n, 0, sizeof(n));
	n.want = run;
	fprintf(stderr, "flopgate: %s: no recorded run `%s`", db,
		printable(shown, sizeof(shown), run));
	if (fg_store_each_run_id(store, near_one, &n, &err) < 0 || !n.count) {
		fputs(n.count ? "\n" : "; the database holds no runs\n",
		      stderr);
	} else if (n.count <= LIST_ALL_MAX) {
		fputs("; recorded runs: ", stderr);
		for (i = 0; i < n.count; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				printable(shown, sizeof(shown), n.ids[i]));
		fputs(" (see flopgate audit log)\n", stderr);
	} else {
		fprintf(stderr, "; %zu runs are recorded, the nearest: ",
			n.count);
		for (i = 0; i < n.n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				printable(shown, sizeof(shown), n.best[i]));
		fputs(" (see flopgate audit log)\n", stderr);
	}
	for (i = 0; i <= LIST_ALL_MAX; i++)
		free(n.ids[i]);
	for (i = 0; i < NEAREST; i++)
		free(n.best[i]);
	return FG_EXIT_INPUT;
}

/* ---- rendering -------------------------------------------------------------- */

typedef struct render_job {
	const char *checkpoint;
	int verified;
	const char *verify_message;
} render_job;

static fg_report_provenance provenance(const render_job *job,
				       const json_t *doc)
{
	fg_report_provenance p = {0, job->checkpoint, job->verified,
				  job->verify_message, NULL, NULL};

	if (doc) {
		p.evaluation_id = (long long)json_integer_value(
			json_object_get(doc, "evaluation_id"));
		p.recorded_at = json_string_value(json_object_get(
			doc, "recorded_at"));
	}
	return p;
}

static const char *doc_run_id(const json_t *doc)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(doc, "runs"), 0), "id"));
}

/* The chart's name beside a report's: NAME.md gives NAME.svg, anything
 * else gets ".svg" added.  A new string (NULL when out of memory). */
static char *chart_name(const char *report)
{
	size_t n = strlen(report);
	char *s = malloc(n + 5);

	if (!s)
		return NULL;
	if (n > 3 && !strcmp(report + n - 3, ".md"))
		n -= 3;
	memcpy(s, report, n);
	strcpy(s + n, ".svg");
	return s;
}

/* The next recorded run's document (fg_store_docs_next), joined to its
 * rules' facts once for the report, the chart and the summary that are
 * rendered from it. */
static int next_doc(fg_store_docs *docs, json_t **doc, fg_error *err)
{
	json_t *lean;
	int rc;

	if ((rc = fg_store_docs_next(docs, &lean, err)) != 1)
		return rc;
	*doc = fg_render_joined(lean);
	json_decref(lean);
	return *doc ? 1 : fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				       "out of memory");
}

/* --run ID: the run's report into an output (stdout, a file, DIR/), and
 * its chart into *chart, opened at chart_path, when chart_path is given
 * and the run has a compute range to chart. */
static int write_run(fg_store_docs *docs, fg_output *out,
		     const char *chart_path, fg_output **chart,
		     const render_job *job, fg_error *err)
{
	fg_report_provenance p;
	json_t *doc = NULL;
	const char *base;
	int rc;

	if ((rc = next_doc(docs, &doc, err)) < 0)
		return rc;
	p = provenance(job, doc);
	if (chart_path && fg_render_run_has_chart(doc, 0)) {
		if ((rc = fg_output_open(chart, chart_path, err)) < 0 ||
		    (rc = fg_render_run_chart(fg_output_stream(*chart), doc,
					      0, err)) < 0)
			goto done;
		base = strrchr(chart_path, '/');
		p.chart = base ? base + 1 : chart_path;
	}
	rc = fg_render_markdown_run(fg_output_stream(out), doc, 0, &p, err);
done:
	json_decref(doc);
	return rc;
}

/* --all into one output: the summary. */
static int write_summary(fg_store_docs *docs, fg_output *out,
			 const render_job *job, fg_error *err)
{
	fg_report_provenance p = provenance(job, NULL);
	fg_summary *summary = NULL;
	json_t *doc;
	int rc;

	if ((rc = fg_summary_new(&summary, err)) < 0)
		return rc;
	while ((rc = next_doc(docs, &doc, err)) == 1) {
		rc = fg_summary_add(summary, doc, err);
		json_decref(doc);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = fg_summary_write(summary, fg_output_stream(out), &p, err);
	fg_summary_free(summary);
	return rc;
}

/* A run's chart into DIR as chart (its report's name, .svg for .md):
 * 1 written, 0 the run has none, or an FG_E* code. */
static int write_dir_chart(fg_output_dir *dir, const json_t *doc,
			   const char *report, char *chart, fg_error *err)
{
	size_t n = strlen(report) - 3;  /* fg_report_filename ends in .md */
	FILE *f;
	int rc;

	if (!fg_render_run_has_chart(doc, 0))
		return 0;
	memcpy(chart, report, n);
	strcpy(chart + n, ".svg");
	if ((rc = fg_output_dir_create(dir, chart, &f, err)) < 0)
		return rc;
	rc = fg_render_run_chart(f, doc, 0, err);
	if (fg_output_dir_close(dir, f, rc ? NULL : err) < 0 && !rc)
		rc = FG_EIO;
	return rc < 0 ? rc : 1;
}

/* --all -o DIR: one report per run, then index.md, the summary whose
 * links point to them; published together. */
static int write_directory(fg_store_docs *docs, fg_output_dir *dir,
			   const render_job *job, fg_error *err)
{
	char name[FG_REPORT_FILENAME_MAX + 1], shown[512];
	char chart[FG_REPORT_FILENAME_MAX + 8];
	fg_report_provenance p;
	fg_summary *summary = NULL;
	json_t *doc = NULL;
	FILE *f;
	int rc;

	if ((rc = fg_summary_new(&summary, err)) < 0)
		return rc;
	while ((rc = next_doc(docs, &doc, err)) == 1) {
		const char *id = doc_run_id(doc);

		if ((rc = fg_report_filename(name, sizeof(name),
					     id ? id : "")) < 0) {
			rc = fg_error_set(err, rc, NULL, 0, 0, "a recorded run "
					  "has no usable id");
			break;
		}
		if (!strcmp(name, SUMMARY_NAME)) {
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "the report of run `%s` would be "
					  "named %s, the summary's name; "
					  "render it alone with --run",
					  printable(shown, sizeof(shown), id),
					  SUMMARY_NAME);
			break;
		}
		if ((rc = fg_output_dir_create(dir, name, &f, err)) < 0) {
			if (rc == FG_EINPUT)
				fg_error_set(err, FG_EINPUT, NULL, 0, 0, "two "
					     "runs would share the report "
					     "file %s", name);
			break;
		}
		p = provenance(job, doc);
		if ((rc = write_dir_chart(dir, doc, name, chart, err)) < 0)
			break;
		p.chart = rc ? chart : NULL;
		rc = fg_render_markdown_run(f, doc, 0, &p, err);
		if (fg_output_dir_close(dir, f, rc ? NULL : err) < 0 && !rc)
			rc = FG_EIO;
		if (rc == 0)
			rc = fg_summary_add(summary, doc, err);
		json_decref(doc);
		doc = NULL;
		if (rc < 0)
			break;
	}
	json_decref(doc);
	p = provenance(job, NULL);
	if (rc == 0 && fg_summary_has_chart(summary) &&
	    (rc = fg_output_dir_create(dir, SUMMARY_CHART, &f, err)) == 0) {
		rc = fg_summary_write_chart(summary, f, err);
		if (fg_output_dir_close(dir, f, rc ? NULL : err) < 0 && !rc)
			rc = FG_EIO;
		p.chart = SUMMARY_CHART;
	}
	if (rc == 0 &&
	    (rc = fg_output_dir_create(dir, SUMMARY_NAME, &f, err)) == 0) {
		rc = fg_summary_write(summary, f, &p, err);
		if (fg_output_dir_close(dir, f, rc ? NULL : err) < 0 && !rc)
			rc = FG_EIO;
	}
	fg_summary_free(summary);
	return rc;
}

/* Test hook: with $FLOPGATE_TEST_PAUSE_IN_REPORT naming a path, creates
 * it once the report's snapshot is taken and waits (up to 60 s) until a
 * test removes it, so the test can record a new evaluation in between. */
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

/* 1 when path is a regular file or names nothing yet: a report there
 * gets its chart beside it (not one written into a FIFO or a device). */
static int regular_or_absent(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? errno == ENOENT : S_ISREG(sb.st_mode);
}

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
	fg_store_docs *docs = NULL;
	fg_output *out = NULL, *chart = NULL;
	fg_output_dir *dir = NULL;
	char *checkpoint = NULL, message[1100], *chart_path = NULL;
	char *target = NULL, name[FG_REPORT_FILENAME_MAX + 1];
	fg_verify_report vr;
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

	/* One snapshot for documents, checkpoint and verify, so a concurrent
	 * recorder cannot mix two states in one report; verify (against the
	 * saved checkpoint, or the current one) first, so every report
	 * carries its result. */
	if ((rc = fg_store_open(&store, db, FG_STORE_READONLY, &err)) < 0 ||
	    (rc = fg_store_snapshot_begin(store, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	test_pause();
	rc = fg_store_docs_open(&docs, store, run, &err);
	if (rc == FG_ENOTFOUND) {
		rc = unknown_run(store, db, run);
		goto done;
	}
	if (rc < 0 || (rc = fg_store_checkpoint(store, &checkpoint, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	vrc = fg_store_verify(store, saved_text ? saved_text : checkpoint,
			      &vr, &err);
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
	job = (render_job){checkpoint, vrc == 0, message};
	fg_error_clear(&err);

	if (to_dir && all) {
		rc = fg_output_dir_open(&dir, output, &err);
		if (rc == 0)
			rc = write_directory(docs, dir, &job, &err);
		if (rc == 0)
			rc = fg_output_dir_commit(dir, quiet ? NULL : stderr,
						  &err);
	} else {
		if (to_dir) {
			if (!is_directory(output) && mkdir(output, 0777)) {
				rc = fg_error_set(&err, FG_EIO, output, 0, 0,
						  "cannot create the "
						  "directory: %s",
						  strerror(errno));
				goto written;
			}
			if ((rc = fg_report_filename(name, sizeof(name),
						     run)) < 0) {
				fg_error_set(&err, rc, NULL, 0, 0, "no file "
					     "name for this run id");
				goto written;
			}
			if (!(target = malloc(strlen(output) +
					      strlen(name) + 2))) {
				rc = fg_error_set(&err, FG_ENOMEM, NULL, 0, 0,
						  "out of memory");
				goto written;
			}
			sprintf(target, "%s%s%s", output,
				output[strlen(output) - 1] == '/' ? "" : "/",
				name);
		}
		rc = fg_output_open(&out, target ? target : output, &err);
		/* the chart beside a report written to a file, published
		 * first: a failure leaves no report linking a missing chart */
		if (rc == 0 && !all && (target || output) &&
		    regular_or_absent(target ? target : output) &&
		    !(chart_path = chart_name(target ? target : output)))
			rc = fg_error_set(&err, FG_ENOMEM, NULL, 0, 0,
					  "out of memory");
		if (rc == 0)
			rc = all ? write_summary(docs, out, &job, &err)
				 : write_run(docs, out, chart_path, &chart,
					     &job, &err);
		if (rc == 0 && chart &&
		    (rc = fg_output_commit(chart, &err)) == 0 && !quiet)
			fprintf(stderr, "wrote %s\n", fg_output_name(chart));
		if (rc == 0 && (rc = fg_output_commit(out, &err)) == 0 &&
		    !quiet && (target || output))
			fprintf(stderr, "wrote %s\n", fg_output_name(out));
	}
written:
	if (rc == FG_EINTEGRITY)
		fprintf(stderr, "flopgate: %s: refusing to render a report "
			"from a document that does not match its recorded "
			"hash\n", db);
	rc = rc < 0 ? fg_cli_fail(&err) : FG_EXIT_OK;
	if (vrc != 0) {
		/* The report carries the warning; the exit status says it
		 * too, so no pipeline takes it for a clean one. */
		fprintf(stderr, "flopgate: %s: audit verify FAILED: %s\n", db,
			message);
		rc = FG_EXIT_STORE;
	}
done:
	fg_store_docs_free(docs);
	fg_store_snapshot_end(store);
	fg_output_free(out);
	fg_output_free(chart);
	free(chart_path);
	fg_output_dir_free(dir);
	free(target);
	free(saved_text);
	free(checkpoint);
	fg_store_free(store);
	return rc;
}
