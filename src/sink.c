/* flopgate — sinks (see include/flopgate/sink.h). */
#include "flopgate/sink.h"

#include <stdlib.h>

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
