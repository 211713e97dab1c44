/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the recorder: the pipeline's sink that records an evaluation
 * run by run (see fg_check_recorder in include/flopgate/check.h and the
 * recording calls of include/flopgate/store.h). */
#include "flopgate/check.h"

#include "sink_int.h"
#include "store_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct recorder {
	fg_store *store;
	char *path;             /* open it at begin (and own it) */
	fg_store_recording *rec;
	/* a run's rows, grown to the most findings a run has had */
	fg_audit_finding *findings;
	fg_audit_waiver *waivers;
	char (*dates)[3][16];   /* each finding's first_due, known_since and
				 * its waiver's expiry */
	size_t room;
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

/* The findings and waivers rows of a run, from its evaluation: what
 * fg_audit_finding_of_json reads from its document (audit verify holds
 * the two to the same rows). */
static int rows_of(recorder *r, const fg_run_findings *rf, fg_store_run *sr)
{
	size_t i, j, n = rf->count;

	if (n > r->room) {
		free(r->findings);
		free(r->waivers);
		free(r->dates);
		r->findings = calloc(n, sizeof(*r->findings));
		r->waivers = calloc(n, sizeof(*r->waivers));
		r->dates = calloc(n, sizeof(*r->dates));
		r->room = r->findings && r->waivers && r->dates ? n : 0;
		if (!r->room)
			return -1;
	}
	for (i = 0; i < n; i++) {
		const fg_finding *f = &rf->findings[i];
		const fg_rule *rule = f->rule;
		fg_audit_finding *row = &r->findings[i];
		const fg_waiver *w = f->waiver ? f->waiver : f->expired_waiver;
		int primary = fg_rule_primary_leaf(rule) != NULL;
		int cmp = f->has_comparison;
		fg_date due = FG_DATE_NONE;

		memset(row, 0, sizeof(*row));
		row->rule = rule->id;
		row->ruleset = rule->ruleset ? rule->ruleset->id : NULL;
		row->severity = fg_severity_name(rule->severity);
		row->outcome = fg_outcome_name(f->outcome);
		row->metric = primary ? fg_metric_name(f->metric) : NULL;
		row->op = primary ? fg_op_name(f->op) : NULL;
		row->has_threshold = primary && isfinite(f->threshold);
		row->threshold = f->threshold;
		row->has_value = cmp && isfinite(f->value);
		row->value = f->value;
		row->has_headroom = cmp && isfinite(f->headroom);
		row->headroom = f->headroom;
		for (j = 0; j < rule->obligation_count; j++)
			if (f->due[j] != FG_DATE_NONE &&
			    (due == FG_DATE_NONE || f->due[j] < due))
				due = f->due[j];
		if (due != FG_DATE_NONE)
			row->first_due = fg_date_format(due, r->dates[i][0]);
		row->gate_fails = f->gate_fails;
		if (f->known_since != FG_DATE_NONE)
			row->known_since = fg_date_format(f->known_since,
							  r->dates[i][1]);
		if (w) {
			fg_audit_waiver *wr = &r->waivers[sr->waiver_count++];

			memset(wr, 0, sizeof(*wr));
			wr->finding_position = (int64_t)i + 1;
			wr->rule = rule->id;
			wr->reason = w->reason;
			wr->approved_by = w->approved_by;
			if (w->expires != FG_DATE_NONE)
				wr->expires = fg_date_format(w->expires,
							     r->dates[i][2]);
		}
	}
	sr->findings = r->findings;
	sr->finding_count = n;
	sr->waivers = r->waivers;
	return 0;
}

static int rec_run(void *self, const fg_check_info *info,
		   const fg_check_result *res, fg_error *err)
{
	recorder *r = self;
	const fg_run *run = res->run;
	fg_store_text input = {run->id, run->input_sha256, run->file,
			       run->input_text, run->input_length};
	fg_store_run sr = {0};

	(void)info;
	sr.id = run->id;
	sr.input_sha256 = run->input_sha256;
	sr.document = fg_check_result_json(res, &sr.document_length);
	if (!sr.document || (res->findings &&
			     rows_of(r, res->findings, &sr) < 0))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	return fg_store_record_run_rows(r->rec, &sr, &input, err);
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
	free(r->findings);
	free(r->waivers);
	free(r->dates);
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
