/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — sinks (see include/flopgate/sink.h and src/sink_int.h).
 *
 * A program's own sink (fg_sink_new_callbacks) is a sink like the
 * library's, whose calls hand the document on as JSON text: the same
 * bytes, compact, that a json_t of it gives with FG_JSON_FLAGS. */
#include "sink_int.h"

#include <stdlib.h>
#include <string.h>

#include "result_json.h"

struct fg_sink {
	const fg_sink_ops *ops;
	void *self;
	int committed;
	int aborted;
};

fg_sink *fg_sink_new(const fg_sink_ops *ops, void *self)
{
	fg_sink *s = calloc(1, sizeof(*s));

	if (!s) {
		if (ops && ops->free)
			ops->free(self);
		return NULL;
	}
	s->ops = ops;
	s->self = self;
	return s;
}

int fg_sink_begin(fg_sink *s, fg_check_info *info, fg_error *err)
{
	return s->ops->begin ? s->ops->begin(s->self, info, err) : 0;
}

int fg_sink_run(fg_sink *s, const fg_check_info *info,
		const fg_check_result *result, fg_error *err)
{
	return s->ops->run ? s->ops->run(s->self, info, result, err) : 0;
}

int fg_sink_end(fg_sink *s, const fg_check_info *info,
		const fg_check_summary *summary, fg_error *err)
{
	return s->ops->end ? s->ops->end(s->self, info, summary, err) : 0;
}

int fg_sink_commit(fg_sink *s, fg_error *err)
{
	int rc = s->ops->commit ? s->ops->commit(s->self, err) : 0;

	if (rc == 0)
		s->committed = 1;
	return rc;
}

int fg_sink_records(const fg_sink *s)
{
	return s->ops->records;
}

void fg_sink_abort(fg_sink *s, const fg_error *why)
{
	if (!s || s->committed || s->aborted)
		return;
	s->aborted = 1;
	if (s->ops->abort)
		s->ops->abort(s->self, why);
}

void fg_sink_free(fg_sink *s)
{
	if (!s)
		return;
	fg_sink_abort(s, NULL);
	if (s->ops->free)
		s->ops->free(s->self);
	free(s);
}

/* ---- a program's own sink ------------------------------------------------ */

typedef struct callback_sink {
	const fg_sink_callbacks *cb;
	void *self;
} callback_sink;

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

static int cb_begin(void *self, fg_check_info *info, fg_error *err)
{
	callback_sink *c = self;
	fg_sink_start start;
	char *head;
	int rc;

	if (!c->cb->begin)
		return 0;
	if (!(head = fg_json_dumps(info->head,
				   FG_JSON_FLAGS | JSON_COMPACT)))
		return nomem(err);
	start.evaluate = info->evaluate;
	start.as_of = info->as_of;
	start.fail_on = info->fail_on;
	start.actor = info->actor;
	start.evaluation_id = info->evaluation_id;
	start.total_bytes = info->total_bytes;
	start.head_json = head;
	rc = c->cb->begin(c->self, &start, err);
	free(head);
	return rc;
}

static int cb_run(void *self, const fg_check_info *info,
		  const fg_check_result *result, fg_error *err)
{
	callback_sink *c = self;
	fg_run_result run;

	(void)info;
	if (!c->cb->run)
		return 0;
	run.index = result->index;
	run.run = result->run;
	run.estimate = result->estimate;
	run.findings = result->findings;
	if (!(run.json = fg_check_result_json(result, &run.json_length)))
		return nomem(err);
	run.bytes_read = result->bytes_read;
	return c->cb->run(c->self, &run, err);
}

static int cb_end(void *self, const fg_check_info *info,
		  const fg_check_summary *summary, fg_error *err)
{
	callback_sink *c = self;

	(void)info;
	return c->cb->end ? c->cb->end(c->self, summary, err) : 0;
}

static int cb_commit(void *self, fg_error *err)
{
	callback_sink *c = self;

	return c->cb->commit ? c->cb->commit(c->self, err) : 0;
}

static void cb_abort(void *self, const fg_error *why)
{
	callback_sink *c = self;

	if (c->cb->abort)
		c->cb->abort(c->self, why);
}

static void cb_free(void *self)
{
	callback_sink *c = self;

	if (c->cb->free)
		c->cb->free(c->self);
	free(c);
}

static const fg_sink_ops callback_ops = {
	cb_begin, cb_run, cb_end, cb_commit, cb_abort, cb_free, 0
};

fg_sink *fg_sink_new_callbacks(const fg_sink_callbacks *callbacks,
			       void *self)
{
	callback_sink *c = malloc(sizeof(*c));

	if (!c) {
		if (callbacks->free)
			callbacks->free(self);
		return NULL;
	}
	c->cb = callbacks;
	c->self = self;
	return fg_sink_new(&callback_ops, c);
}
