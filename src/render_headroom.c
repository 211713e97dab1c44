/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — `headroom`: how much more compute (and how many more
 * tokens) a run can use before each applicable compute line, or how far
 * past it is; as text, or as its own JSON document (flopgate/result.h),
 * streamed run by run. */
#include "flopgate/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"
#include "flopgate/result.h"
#include "render_util.h"

/* A finding headroom speaks of: a rule in force where the run is placed,
 * decided on a compute line. */
static int wanted(const fg_finding *f, const char *rule_id)
{
	if (rule_id && strcmp(f->rule->id, rule_id))
		return 0;
	return f->outcome != FG_OUTCOME_NOT_APPLICABLE && f->has_comparison &&
	       fg_metric_is_compute(f->metric);
}

static json_t *date_or_null(fg_date day, int when)
{
	char d[16];

	return day == FG_DATE_NONE || !when
		       ? json_null()
		       : json_string(fg_date_format(day, d));
}

/* One HEADROOM entry (include/flopgate/result.h); NULL when out of memory
 * or a figure is not a finite number.  json_pack fails as a whole when
 * any value cannot be built ("o" given NULL), so one check covers all. */
static json_t *entry_json(const fg_finding *f)
{
	/* As check's findings: a crossing already past is no projection. */
	return json_pack(
		"{s:s, s:s?, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o,"
		" s:o, s:o}",
		"rule", f->rule->id, "citation", f->rule->citation,
		"outcome", fg_outcome_name(f->outcome),
		"metric", fg_metric_name(f->metric), "op", fg_op_name(f->op),
		"threshold", json_real(f->threshold),
		"value", json_real(f->value),
		"relation", fg_relation_name(f->relation),
		"low", json_real(f->low),
		"high", json_real(f->high), "headroom", json_real(f->headroom),
		"headroom_tokens", f->has_headroom_tokens
					   ? json_real(f->headroom_tokens)
					   : json_null(),
		"projected_crossing", date_or_null(f->projected_crossing,
						   !f->crossed),
		"crossed_on", date_or_null(f->projected_crossing, f->crossed));
}

static json_t *run_json(const fg_run_findings *rf, const char *rule_id)
{
	json_t *list = json_array(), *warnings = json_array(), *e;
	size_t i;

	for (i = 0; list && i < rf->count; i++) {
		if (!wanted(&rf->findings[i], rule_id))
			continue;
		if (!(e = entry_json(&rf->findings[i])) ||
		    json_array_append_new(list, e)) {
			json_decref(list);
			list = NULL;
		}
	}
	for (i = 0; list && warnings && i < rf->warning_count; i++) {
		if (!(e = json_string(rf->warnings[i])) ||
		    json_array_append_new(warnings, e)) {
			json_decref(warnings);
			warnings = NULL;
		}
	}
	if (!list || !warnings) {
		json_decref(list);
		json_decref(warnings);
		return NULL;
	}
	return json_pack("{s:s, s:s?, s:i, s:o, s:o, s:o, s:o}",
			 "id", rf->run->id, "file", rf->run->file,
			 "line", rf->run->line, "training_compute_flop",
			 fg_result_range(rf->estimate->total),
			 "flop_per_token", rf->estimate->flop_per_token > 0
				? json_real(rf->estimate->flop_per_token)
				: json_null(),
			 "headroom", list, "warnings", warnings);
}

/* A value or line of the finding's metric, as every format writes it. */
static char *figure(char *buf, size_t size, fg_metric metric, double v)
{
	return fg_figure_double(buf, size, v, fg_metric_unit(metric));
}

static void print_run(FILE *out, const fg_run_findings *rf,
		      const char *rule_id)
{
	char v[FG_FIGURE_SIZE], t[FG_FIGURE_SIZE], h[FG_FIGURE_SIZE], k[64];
	char d[16];
	size_t i, shown = 0;

	fprintf(out, "%s (%s:%d)\n", rf->run->id, rf->run->file, rf->run->line);
	for (i = 0; i < rf->count; i++) {
		const fg_finding *f = &rf->findings[i];
		double room = f->headroom < 0 ? -f->headroom : f->headroom;

		if (!wanted(f, rule_id))
			continue;
		shown++;
		fprintf(out, "  %-36s %s %s, at %s: ", f->rule->id, fg_op_name(f->op),
		       figure(t, sizeof(t), f->metric, f->threshold),
		       figure(v, sizeof(v), f->metric, f->value));
		fg_figure_double(h, sizeof(h), room,
				 fg_metric_headroom_unit(f->metric));
		/* Under a strict line the run may reach it exactly; under
		 * an inclusive one it must stay below it. */
		if (fg_op_holds(f->op, f->relation))
			fprintf(out, "past the line by %s", h);
		else
			fprintf(out, "%s left%s", h,
			       f->op == FG_OP_GE ? " (the line itself counts)"
						 : "");
		if (f->has_headroom_tokens)
			fprintf(out, " (%s training tokens at the run's "
				"FLOP per token)",
			       fg_format_sci(f->headroom_tokens < 0
						     ? -f->headroom_tokens
						     : f->headroom_tokens,
					     k, sizeof(k)));
		if (f->projected_crossing != FG_DATE_NONE)
			fprintf(out, f->crossed ? "; crossed it on %s"
					  : "; projected to cross %s",
			       fg_date_format(f->projected_crossing, d));
		fputc('\n', out);
	}
	if (!shown)
		fprintf(out, "  no compute line applies as of %s\n",
		       fg_date_format(rf->as_of, d));
	/* A jurisdiction code that looks like a slip is why no line may
	 * apply: say so here too. */
	for (i = 0; i < rf->warning_count; i++)
		fprintf(out, "  warning: %s\n", rf->warnings[i]);
}


typedef struct headroom_sink {
	fg_output *out;
	char *rule_id;
	int json;
} headroom_sink;

static int headroom_begin(void *self, fg_check_info *info, fg_error *err)
{
	headroom_sink *h = self;
	FILE *out = fg_output_stream(h->out);
	char d[16];

	(void)err;
	if (h->json)
		fprintf(out, "{\n  \"flopgate\": \"%s\",\n  \"as_of\": "
			"\"%s\",\n  \"runs\": [", FG_VERSION,
			fg_date_format(info->as_of, d));
	return 0;
}

static int headroom_run(void *self, const fg_check_info *info,
			const fg_check_result *r, fg_error *err)
{
	headroom_sink *h = self;
	FILE *out = fg_output_stream(h->out);
	json_t *doc;
	int rc;

	(void)info;
	if (!h->json) {
		if (r->index)
			fputc('\n', out);
		print_run(out, r->findings, h->rule_id);
		return 0;
	}
	if (!(doc = run_json(r->findings, h->rule_id)))
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	fputs(r->index ? ",\n    " : "\n    ", out);
	rc = fg_rd_dump(out, doc, 2);
	json_decref(doc);
	return rc < 0 ? fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				     "out of memory") : 0;
}

static int headroom_end(void *self, const fg_check_info *info,
			const fg_check_summary *s, fg_error *err)
{
	headroom_sink *h = self;
	FILE *out = fg_output_stream(h->out);

	(void)info;
	if (h->json)
		fputs(s->runs ? "\n  ]\n}\n" : "]\n}\n", out);
	if (fflush(out) || ferror(out))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file");
	return 0;
}

static int headroom_commit(void *self, fg_error *err)
{
	return fg_output_commit(((headroom_sink *)self)->out, err);
}

static void headroom_free(void *self)
{
	headroom_sink *h = self;

	fg_output_free(h->out);
	free(h->rule_id);
	free(h);
}

static const fg_sink_ops headroom_ops = {
	headroom_begin, headroom_run, headroom_end, headroom_commit, NULL,
	headroom_free, 0
};

fg_sink *fg_render_headroom_sink(fg_output *out, const char *rule_id,
				 int json)
{
	headroom_sink *h = calloc(1, sizeof(*h));

	if (!h || (rule_id && !(h->rule_id = strdup(rule_id)))) {
		free(h);
		fg_output_free(out);
		return NULL;
	}
	h->out = out;
	h->json = json;
	return fg_sink_new(&headroom_ops, h);
}
