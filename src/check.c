/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the pipeline (see include/flopgate/check.h). */
#include "flopgate/check.h"

#include "sink_int.h"

#include <stdlib.h>
#include <string.h>

#include "flopgate/estimate.h"
#include "result_json.h"
#include "flopgate/run.h"
#include "seen.h"

/* DESIGN.md § Deadlines: the day a line became known is never later than
 * the first recorded evaluation that triggered it, nor than any
 * known_since already recorded, so re-checking never moves a deadline
 * later. */
static int first_recorded(void *ctx, const char *run_id, const char *rule_id,
			  fg_date *out, fg_error *err)
{
	fg_store *store = ctx;
	fg_date triggered = FG_DATE_NONE, known = FG_DATE_NONE;
	int a, b;

	if ((a = fg_store_first_triggered(store, run_id, rule_id, &triggered,
					  err)) < 0 ||
	    (b = fg_store_first_known(store, run_id, rule_id, &known,
				      err)) < 0)
		return a < 0 ? a : b;
	if (a == 1 && (b != 1 || triggered <= known)) {
		*out = triggered;
		return 1;
	}
	if (b == 1) {
		*out = known;
		return 1;
	}
	return 0;
}

/* The document's head: what comes before "runs". */
static json_t *head_json(const fg_ruleset_set *set,
			 const fg_check_options *opt)
{
	json_t *head = json_object(), *rulesets;
	char d[16];
	int bad = 0;

	if (!head)
		return NULL;
	bad |= json_object_set_new(head, "flopgate", json_string(FG_VERSION));
	bad |= json_object_set_new(head, "as_of", opt->as_of == FG_DATE_NONE
				   ? json_null()
				   : json_string(fg_date_format(opt->as_of,
								d)));
	if (!opt->estimate_only) {
		bad |= json_object_set_new(head, "evaluation_id", json_null());
		bad |= json_object_set_new(head, "actor", opt->actor
					   ? json_string(opt->actor)
					   : json_null());
		rulesets = fg_result_rulesets(set);
		bad |= !rulesets || json_object_set_new(head, "rulesets",
							rulesets);
	}
	if (bad) {
		json_decref(head);
		return NULL;
	}
	return head;
}

typedef struct pipeline {
	const fg_sources *sources;
	const fg_catalog *catalog;
	const fg_ruleset_set *set;
	const fg_check_options *opt;
	fg_evaluate_options eo;
	fg_sink *const *sinks;
	size_t nsinks;
	fg_check_info info;
	fg_seen *seen;
	int begun;                  /* the sinks' begin was called */
	char *first_id;             /* the first run's, until a second */
	int first_line;
	size_t first_source;
	size_t runs, gate_failures;
	fg_jbuf doc;                /* a run's compact text, run after run */
} pipeline;

/* A run's forms besides its model, each made once if at all. */
struct fg_check_forms {
	fg_jbuf *text;
	int written;
	json_t *tree;
};

const char *fg_check_result_json(const fg_check_result *r, size_t *length)
{
	fg_check_forms *f = r->forms;
	fg_jw w;

	if (!f->written) {
		f->written = 1;
		f->text->len = 0;
		fg_jw_start(&w, f->text);
		fg_result_write_run(&w, r->estimate, r->findings);
		fg_jw_bytes(f->text, "", 1);
	}
	if (f->text->failed)
		return NULL;
	*length = f->text->len - 1;
	return f->text->p;
}

const char *fg_check_result_json_made(const fg_check_result *r,
				      size_t *length)
{
	return r->forms->written ? fg_check_result_json(r, length) : NULL;
}

const json_t *fg_check_result_document(const fg_check_result *r)
{
	fg_jw w;

	if (!r->forms->tree) {
		fg_jw_start_tree(&w);
		fg_result_write_run(&w, r->estimate, r->findings);
		r->forms->tree = fg_jw_tree(&w);
	}
	return r->forms->tree;
}

/* A run id met before anywhere in the input: refused where it is, naming
 * where it was first. */
static int check_unique(pipeline *p, const fg_run *run, size_t source,
			fg_error *err)
{
	size_t first_source = 0;
	int first_line = 0, rc;

	/* the first run cannot repeat anything: a one-run gate makes no
	 * temporary database */
	if (p->runs == 0) {
		free(p->first_id);
		p->first_id = strdup(run->id);
		p->first_line = run->line;
		p->first_source = source;
		return p->first_id ? 0 : fg_error_set(err, FG_ENOMEM, NULL, 0,
						      0, "out of memory");
	}
	if (!p->seen) {
		if ((rc = fg_seen_new(&p->seen, err)) < 0 ||
		    (rc = fg_seen_add(p->seen, p->first_id, p->first_source,
				      p->first_line, &first_source,
				      &first_line, err)) < 0)
			return rc;
	}
	if ((rc = fg_seen_add(p->seen, run->id, source, run->line,
			      &first_source, &first_line, err)) <= 0)
		return rc;
	if (first_source == source)
		return fg_error_set(err, FG_EINPUT, run->file, run->id_line,
				    run->id_column, "run id `%s` is used twice "
				    "in this file (first at line %d)", run->id,
				    first_line);
	return fg_error_set(err, FG_EINPUT, run->file, run->line, run->column,
			    "run id `%s` is also in %s:%d", run->id,
			    fg_sources_path(p->sources, first_source) &&
			    strcmp(fg_sources_path(p->sources, first_source),
				   "-") ? fg_sources_path(p->sources,
							  first_source)
				 : FG_RUN_STDIN, first_line);
}

/* The sinks begin when the first run went through: input refused at its
 * first run reaches no sink, not even the recorder (which then creates
 * no database). */
static int begin_all(pipeline *p, fg_error *err)
{
	size_t i;
	int rc;

	if (p->begun)
		return 0;
	p->begun = 1;
	for (i = 0; i < p->nsinks; i++)
		if ((rc = fg_sink_begin(p->sinks[i], &p->info, err)) < 0)
			return rc;
	return 0;
}

/* One run through every stage and every sink. */
static int one_run(pipeline *p, fg_run *run, size_t source,
		   unsigned long long bytes_read, fg_error *err)
{
	fg_run_estimate *est = NULL;
	fg_run_findings *findings = NULL;
	fg_check_forms forms = {NULL, 0, NULL};
	fg_check_result r;
	size_t i;
	int rc;

	if ((rc = check_unique(p, run, source, err)) < 0 ||
	    (rc = fg_ruleset_set_check_run(p->set, run, err)) < 0 ||
	    (rc = fg_run_estimate_compute(&est, run, err)) < 0)
		goto done;
	if (!p->opt->estimate_only &&
	    (rc = fg_evaluate(&findings, run, est, p->set, &p->eo, err)) < 0)
		goto done;
	if ((rc = begin_all(p, err)) < 0)
		goto done;
	r.index = p->runs;
	r.run = run;
	r.estimate = est;
	r.findings = findings;
	forms.text = &p->doc;
	r.forms = &forms;
	r.bytes_read = bytes_read;
	for (i = 0; i < p->nsinks; i++)
		if ((rc = fg_sink_run(p->sinks[i], &p->info, &r, err)) < 0)
			goto done;
	p->runs++;
	if (findings)
		p->gate_failures += findings->gate_failures;
done:
	json_decref(forms.tree);
	fg_run_findings_free(findings);
	fg_run_estimate_free(est);
	return rc;
}

static int read_source(pipeline *p, size_t source,
		       unsigned long long *before, fg_error *err)
{
	fg_run_reader *reader = NULL;
	fg_run *run = NULL;
	int rc;

	if ((rc = fg_run_reader_open(&reader, fg_sources_path(p->sources,
							      source),
				     p->catalog, err)) < 0)
		return rc;
	while ((rc = fg_run_reader_next(reader, &run, err)) == 1) {
		rc = one_run(p, run, source, *before +
			     fg_run_reader_offset(reader), err);
		fg_run_free(run);
		run = NULL;
		if (rc < 0)
			break;
	}
	*before += fg_run_reader_offset(reader);
	fg_run_reader_free(reader);
	return rc;
}

static void abort_all(pipeline *p, const fg_error *why)
{
	size_t i;

	for (i = 0; i < p->nsinks; i++)
		fg_sink_abort(p->sinks[i], why);
}

int fg_check(fg_check_summary *summary, const fg_sources *sources,
	     const fg_catalog *catalog, const fg_ruleset_set *set,
	     const fg_check_options *opt, fg_sink *const *sinks,
	     size_t nsinks, fg_error *err)
{
	pipeline p;
	unsigned long long bytes = 0;
	size_t i;
	int rc = 0, pass;

	memset(summary, 0, sizeof(*summary));
	summary->evaluation_id = -1;
	memset(&p, 0, sizeof(p));
	p.sources = sources;
	p.catalog = catalog;
	p.set = set;
	p.opt = opt;
	p.sinks = sinks;
	p.nsinks = nsinks;
	p.eo.as_of = opt->as_of;
	p.eo.fail_on = opt->fail_on;
	p.eo.waivers = opt->waivers;
	if (opt->history) {
		p.eo.first_recorded = first_recorded;
		p.eo.first_recorded_ctx = opt->history;
	}
	p.info.evaluate = !opt->estimate_only;
	p.info.set = set;
	p.info.as_of = opt->as_of;
	p.info.fail_on = opt->fail_on;
	p.info.actor = opt->actor;
	p.info.evaluation_id = -1;
	p.info.total_bytes = fg_sources_bytes(sources);
	if (!(p.info.head = head_json(set, opt))) {
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < fg_sources_count(sources); i++)
		if ((rc = read_source(&p, i, &bytes, err)) < 0)
			goto fail;
	if ((rc = begin_all(&p, err)) < 0)
		goto fail;
	summary->runs = p.runs;
	summary->gate_failures = p.gate_failures;
	summary->gate_passed = p.gate_failures == 0;
	summary->evaluation_id = p.info.evaluation_id;
	for (i = 0; i < nsinks; i++)
		if ((rc = fg_sink_end(sinks[i], &p.info, summary, err)) < 0)
			goto fail;
	/* the recording first: outputs appear only once it is kept */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nsinks; i++) {
			if (fg_sink_records(sinks[i]) != !pass)
				continue;
			if ((rc = fg_sink_commit(sinks[i], err)) < 0)
				goto fail;
			if (pass == 0)
				summary->recorded = 1;
		}
	goto done;
fail:
	abort_all(&p, err);
done:
	fg_seen_free(p.seen);
	fg_jw_free(&p.doc);
	free(p.first_id);
	json_decref(p.info.head);
	return rc;
}
