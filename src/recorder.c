/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the recorder: the pipeline's sink that records an evaluation
 * run by run (see fg_check_recorder in include/flopgate/check.h and the
 * recording calls of include/flopgate/store.h). */
#include "flopgate/check.h"

#include "sink_int.h"
#include "store_json.h"

#include <stdlib.h>
#include <string.h>

typedef struct recorder {
	fg_store *store;
	char *path;             /* open it at begin (and own it) */
	fg_store_recording *rec;
} recorder;

static int rec_begin(void *self, fg_check_info *info, fg_error *err)
{
	recorder *r = self;
	fg_store_evaluation ev;
	fg_store_text *texts = NULL;
	size_t i, n = info->set ? info->set->count : 0;
	char as_of[16];
	int rc;

	if (r->path && !r->store &&
	    (rc = fg_store_open(&r->store, r->path, FG_STORE_CREATE, err)) < 0)
		return rc;
	if (!(texts = calloc(n ? n : 1, sizeof(*texts))))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (i = 0; i < n; i++) {
		const fg_ruleset *rs = info->set->rulesets[i];

		texts[i] = (fg_store_text){rs->id, rs->sha256, rs->file,
					   rs->text, rs->length};
	}
	ev.as_of = fg_date_format(info->as_of, as_of);
	ev.actor = info->actor;
	ev.fail_on = fg_fail_on_name(info->fail_on);
	ev.rulesets = json_object_get(info->head, "rulesets");
	ev.texts = texts;
	ev.text_count = n;
	rc = fg_store_record_begin(&r->rec, r->store, &ev, err);
	free(texts);
	if (rc < 0)
		return rc;
	info->evaluation_id = fg_store_recording_id(r->rec);
	if (json_object_set_new(info->head, "evaluation_id",
				json_integer(info->evaluation_id)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return 0;
}

static int rec_run(void *self, const fg_check_info *info,
		   const fg_check_result *res, fg_error *err)
{
	recorder *r = self;
	const fg_run *run = res->run;
	fg_store_text input = {run->id, run->input_sha256, run->file,
			       run->input_text, run->input_length};

	(void)info;
	return fg_store_record_run(r->rec, res->document, &input, err);
}

static int rec_end(void *self, const fg_check_info *info,
		   const fg_check_summary *s, fg_error *err)
{
	(void)info;
	return fg_store_record_finish(((recorder *)self)->rec, s->gate_passed,
				      (int64_t)s->gate_failures, err);
}

static int rec_commit(void *self, fg_error *err)
{
	return fg_store_record_commit(((recorder *)self)->rec, err);
}

static void rec_abort(void *self, const fg_error *why)
{
	recorder *r = self;

	(void)why;
	fg_store_recording_free(r->rec);
	r->rec = NULL;
}

static void rec_free(void *self)
{
	recorder *r = self;

	fg_store_recording_free(r->rec);
	if (r->path)
		fg_store_free(r->store);
	free(r->path);
	free(r);
}

static const fg_sink_ops recorder_ops = {
	rec_begin, rec_run, rec_end, rec_commit, rec_abort, rec_free, 1
};

fg_sink *fg_check_recorder(fg_store *store)
{
	recorder *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->store = store;
	return fg_sink_new(&recorder_ops, r);
}

fg_sink *fg_check_recorder_at(const char *path)
{
	recorder *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path))) {
		free(r);
		return NULL;
	}
	return fg_sink_new(&recorder_ops, r);
}
