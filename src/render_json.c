/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the JSON result document (flopgate/result.h), streamed: the
 * head, then one run at a time (written from its model, never a tree),
 * then the gate.  The head and the gate are indented as jansson's
 * JSON_INDENT(2) indents them; each run is one line of compact JSON (the
 * bytes json_dumps(FG_JSON_FLAGS | JSON_COMPACT) gives it), so that a
 * stream's output is half the size indenting every run made it (12 KB a
 * run of the bench's stream, against 22 KB), costs less to write, and
 * `grep` finds a run's whole result on one line. */
#include "flopgate/render.h"

#include <stdlib.h>
#include <string.h>

#include "flopgate/result.h"
#include "json_write.h"
#include "result_json.h"
#include "render_util.h"

typedef struct json_sink {
	fg_output *out;
	int evaluate;
	fg_jbuf buf;            /* the runs not yet written, reused */
} json_sink;

/* Runs are written in blocks of about this many bytes: one write(2) a run
 * doubled the system time of a large stream (20,000 runs: 0.55-0.63 s
 * against 0.26-0.32 s, by hand). */
#define JSON_BLOCK (256 * 1024)

static int json_flush(json_sink *j, FILE *out, fg_error *err)
{
	if (j->buf.len && fwrite(j->buf.p, 1, j->buf.len, out) != j->buf.len)
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file");
	j->buf.len = 0;
	return 0;
}

static int json_begin(void *self, fg_check_info *info, fg_error *err)
{
	json_sink *j = self;
	FILE *out = fg_output_stream(j->out);
	const char *key;
	json_t *v;
	int first = 1;

	j->evaluate = info->evaluate;
	fputc('{', out);
	json_object_foreach(info->head, key, v) {
		fputs(first ? "\n  " : ",\n  ", out);
		first = 0;
		if (fg_rd_dump_key(out, key) < 0 || fg_rd_dump(out, v, 1) < 0)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
	}
	fputs(first ? "\n  \"runs\": [" : ",\n  \"runs\": [", out);
	return 0;
}

static int json_run(void *self, const fg_check_info *info,
		    const fg_check_result *r, fg_error *err)
{
	json_sink *j = self;
	FILE *out = fg_output_stream(j->out);
	const char *compact;
	size_t length;
	fg_jw w;

	(void)info;
	fg_jw_bytes(&j->buf, r->index ? ",\n    " : "\n    ", r->index ? 6 : 5);
	/* a recording wrote the run already: the same bytes */
	if ((compact = fg_check_result_json_made(r, &length))) {
		fg_jw_bytes(&j->buf, compact, length);
	} else {
		fg_jw_start(&w, &j->buf);
		fg_result_write_run(&w, r->estimate, r->findings);
	}
	if (j->buf.failed)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return j->buf.len >= JSON_BLOCK ? json_flush(j, out, err) : 0;
}

static int json_end(void *self, const fg_check_info *info,
		    const fg_check_summary *s, fg_error *err)
{
	json_sink *j = self;
	FILE *out = fg_output_stream(j->out);
	json_t *gate;
	int rc = 0;

	if (json_flush(j, out, err))
		return -1;
	fputs(s->runs ? "\n  ]" : "]", out);
	if (j->evaluate) {
		gate = json_pack("{s:s, s:b, s:I}", "fail_on",
				 fg_fail_on_name(info->fail_on), "passed",
				 s->gate_passed, "failures",
				 (json_int_t)s->gate_failures);
		fputs(",\n  \"gate\": ", out);
		rc = gate ? fg_rd_dump(out, gate, 1) : -1;
		json_decref(gate);
		if (rc < 0)
			return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
					    "out of memory");
	}
	fputs("\n}\n", out);
	if (fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file");
	return 0;
}

static int json_commit(void *self, fg_error *err)
{
	return fg_output_commit(((json_sink *)self)->out, err);
}

static void json_free(void *self)
{
	json_sink *j = self;

	fg_output_free(j->out);
	fg_jw_free(&j->buf);
	free(j);
}

static const fg_sink_ops json_ops = {
	json_begin, json_run, json_end, json_commit, NULL, json_free, 0
};

fg_sink *fg_render_json_sink(fg_output *out)
{
	json_sink *j = calloc(1, sizeof(*j));

	if (!j) {
		fg_output_free(out);
		return NULL;
	}
	j->out = out;
	return fg_sink_new(&json_ops, j);
}
