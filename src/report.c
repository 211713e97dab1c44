/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — reports from the audit database (see
 * include/flopgate/report.h).
 *
 * One read snapshot holds the documents, the checkpoint and verify, so a
 * concurrent recorder cannot mix two states in one report; verify runs
 * first, so every report carries its result.  Each recorded run's
 * document is read (fg_store_docs), joined to its rules' facts once, and
 * rendered into what the request asks: its report, its chart, its rows
 * of the summary. */
#include "flopgate/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render_int.h"
#include "store_json.h"

#define SUMMARY_NAME "index.md"
#define SUMMARY_CHART "index.svg"

typedef struct job {
	const char *checkpoint;
	int verified;
	const char *verify_message;
} job;

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

static fg_report_provenance provenance(const job *j, const json_t *doc)
{
	fg_report_provenance p = {0, j->checkpoint, j->verified,
				  j->verify_message, NULL, NULL};

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
	return *doc ? 1 : nomem(err);
}

/* One run: its report into an output (stdout, a file, DIR/), and its
 * chart into *chart, opened at chart_path, when chart_path is given and
 * the run has a compute range to chart. */
static int write_run(fg_store_docs *docs, fg_output *out,
		     const char *chart_path, fg_output **chart, const job *j,
		     fg_error *err)
{
	fg_report_provenance p;
	json_t *doc = NULL;
	const char *base;
	int rc;

	if ((rc = next_doc(docs, &doc, err)) < 0)
		return rc;
	p = provenance(j, doc);
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

/* Every run into one output: the summary. */
static int write_summary(fg_store_docs *docs, fg_output *out, const job *j,
			 fg_error *err)
{
	fg_report_provenance p = provenance(j, NULL);
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

/* Closes a file of DIR that was rendered with result rc: rc, or FG_EIO
 * when the rendering went well but the file could not be written. */
static int rendered(fg_output_dir *dir, FILE *f, int rc, fg_error *err)
{
	if (fg_output_dir_close(dir, f, rc ? NULL : err) < 0 && !rc)
		return FG_EIO;
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
	rc = rendered(dir, f, fg_render_run_chart(f, doc, 0, err), err);
	return rc < 0 ? rc : 1;
}

/* Every run into DIR: one report per run, then index.md, the summary
 * whose links point to them; published together. */
static int write_directory(fg_store_docs *docs, fg_output_dir *dir,
			   const job *j, fg_error *err)
{
	char name[FG_REPORT_FILENAME_MAX + 1];
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
			/* (fg_error_set shows a control byte of the id as
			 * '?': no terminal is driven from a message) */
			rc = fg_error_set(err, FG_EINPUT, NULL, 0, 0,
					  "the report of run `%s` would be "
					  "named %s, the summary's name; "
					  "render it alone with --run", id,
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
		p = provenance(j, doc);
		if ((rc = write_dir_chart(dir, doc, name, chart, err)) < 0) {
			rendered(dir, f, rc, err);
			break;
		}
		p.chart = rc ? chart : NULL;
		rc = rendered(dir, f, fg_render_markdown_run(f, doc, 0, &p,
							    err), err);
		if (rc == 0)
			rc = fg_summary_add(summary, doc, err);
		json_decref(doc);
		doc = NULL;
		if (rc < 0)
			break;
	}
	json_decref(doc);
	p = provenance(j, NULL);
	if (rc == 0 && fg_summary_has_chart(summary) &&
	    (rc = fg_output_dir_create(dir, SUMMARY_CHART, &f, err)) == 0) {
		rc = rendered(dir, f, fg_summary_write_chart(summary, f, err),
			      err);
		p.chart = SUMMARY_CHART;
	}
	if (rc == 0 &&
	    (rc = fg_output_dir_create(dir, SUMMARY_NAME, &f, err)) == 0) {
		rc = rendered(dir, f, fg_summary_write(summary, f, &p, err),
			      err);
	}
	fg_summary_free(summary);
	return rc;
}

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

static void listed(FILE *to, const fg_output *out)
{
	if (to)
		fprintf(to, "wrote %s\n", fg_output_name(out));
}

/* Every run into DIR (req->output). */
static int report_directory(fg_store_docs *docs, const fg_report_request *req,
			    const job *j, fg_error *err)
{
	fg_output_dir *dir = NULL;
	int rc;

	if ((rc = fg_output_dir_open(&dir, req->output, err)) == 0 &&
	    (rc = write_directory(docs, dir, j, err)) == 0)
		rc = fg_output_dir_commit(dir, req->listed, err);
	fg_output_dir_free(dir);
	return rc;
}

/* One output: the summary, or req->run's report (to a file, with its
 * chart beside it; into DIR as DIR/<run>.md when to_dir). */
static int report_file(fg_store_docs *docs, const fg_report_request *req,
		       int to_dir, const job *j, fg_error *err)
{
	const char *output = req->output;
	char name[FG_REPORT_FILENAME_MAX + 1];
	char *target = NULL, *chart_path = NULL;
	fg_output *out = NULL, *chart = NULL;
	int rc = 0;

	if (to_dir) {
		size_t n = strlen(output);

		if (!is_directory(output) && mkdir(output, 0777)) {
			rc = fg_error_set(err, FG_EIO, output, 0, 0, "cannot "
					  "create the directory: %s",
					  strerror(errno));
			goto done;
		}
		if ((rc = fg_report_filename(name, sizeof(name),
					     req->run)) < 0) {
			fg_error_set(err, rc, NULL, 0, 0, "no file name for "
				     "this run id");
			goto done;
		}
		if (!(target = malloc(n + strlen(name) + 2))) {
			rc = nomem(err);
			goto done;
		}
		sprintf(target, "%s%s%s", output,
			output[n - 1] == '/' ? "" : "/", name);
		output = target;
	}
	rc = fg_output_open(&out, output, err);
	/* the chart beside a report written to a file, published first: a
	 * failure leaves no report linking a missing chart */
	if (rc == 0 && req->run && output && regular_or_absent(output) &&
	    !(chart_path = chart_name(output)))
		rc = nomem(err);
	if (rc == 0)
		rc = req->run ? write_run(docs, out, chart_path, &chart, j, err)
			      : write_summary(docs, out, j, err);
	if (rc == 0 && chart && (rc = fg_output_commit(chart, err)) == 0)
		listed(req->listed, chart);
	if (rc == 0 && (rc = fg_output_commit(out, err)) == 0 && output)
		listed(req->listed, out);
done:
	fg_output_free(out);
	fg_output_free(chart);
	free(chart_path);
	free(target);
	return rc;
}

int fg_report(fg_store *store, const fg_report_request *req,
	      fg_report_result *result, fg_error *err)
{
	fg_store_docs *docs = NULL;
	fg_verify_report vr;
	char *checkpoint = NULL;
	fg_report_request r = *req;
	fg_report_result ignored;
	fg_error own;
	int rc, vrc, to_dir = 0;
	job j;

	/* either may be NULL: verify's message is still needed for the
	 * reports, and its error for that message */
	if (!result)
		result = &ignored;
	if (!err)
		err = &own;
	memset(result, 0, sizeof(*result));
	result->verified = -1;
	if (r.output && !strcmp(r.output, "-"))
		r.output = NULL;
	if (r.output) {
		size_t n = strlen(r.output);

		if (!n)
			return fg_error_set(err, FG_EINPUT, NULL, 0, 0, "an "
					    "empty output name");
		to_dir = r.output[n - 1] == '/' || is_directory(r.output);
	}
	if ((rc = fg_store_snapshot_begin(store, err)) < 0)
		return rc;
	if (r.snapshot_taken)
		r.snapshot_taken(r.ctx);
	if ((rc = fg_store_docs_open(&docs, store, r.run, err)) < 0 ||
	    (rc = fg_store_checkpoint(store, &checkpoint, err)) < 0)
		goto done;
	vrc = fg_store_verify(store, r.checkpoint ? r.checkpoint : checkpoint,
			      &vr, err);
	if (vrc == 0 && r.checkpoint_refused) {
		result->verified = 0;
		snprintf(result->message, sizeof(result->message), "%s",
			 r.checkpoint_refused);
	} else if (vrc == 0) {
		result->verified = 1;
		snprintf(result->message, sizeof(result->message),
			 "%lld %s, head %s", (long long)vr.entries,
			 vr.entries == 1 ? "entry" : "entries",
			 vr.entries ? vr.head : "(empty log)");
	} else if (vrc == FG_EINTEGRITY || vrc == FG_EINPUT) {
		result->verified = 0;
		snprintf(result->message, sizeof(result->message), "%s",
			 err->message);
	} else {
		rc = vrc;
		goto done;
	}
	j = (job){checkpoint, result->verified, result->message};
	fg_error_clear(err);
	rc = to_dir && !r.run ? report_directory(docs, &r, &j, err)
			      : report_file(docs, &r, to_dir, &j, err);
done:
	fg_store_docs_free(docs);
	fg_store_snapshot_end(store);
	free(checkpoint);
	return rc;
}
