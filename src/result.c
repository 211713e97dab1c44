/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the result document, compute part (see
 * include/flopgate/result.h for the shape every output shares). */
#include "result_json.h"

#include <math.h>
#include <stdio.h>

#include "flopgate/quantity.h"

/* json_object_set_new that remembers a failure, so a builder can set every
 * field and check once (jansson returns NULL/-1 only when out of memory
 * or for a non-finite real, which nothing here produces). */
typedef struct builder {
	json_t *obj;
	int failed;
} builder;

static void set(builder *b, const char *key, json_t *value)
{
	if (!value || json_object_set_new(b->obj, key, value))
		b->failed = 1;
}

static json_t *real(double v)
{
	return json_real(isfinite(v) ? v : 0);
}

/* null for "not given" (negative sentinels in the model). */
static json_t *real_or_null(double v)
{
	return v < 0 ? json_null() : real(v);
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *finish(builder *b)
{
	if (b->failed) {
		json_decref(b->obj);
		return NULL;
	}
	return b->obj;
}

json_t *fg_result_range(fg_range range)
{
	builder b = {json_object(), 0};

	if (!b.obj)
		return NULL;
	set(&b, "low", real(range.low));
	set(&b, "central", real(range.central));
	set(&b, "high", real(range.high));
	return finish(&b);
}

static json_t *date_or_null(fg_date date)
{
	char buf[16];

	if (date == FG_DATE_NONE)
		return json_null();
	return json_string(fg_date_format(date, buf));
}

static json_t *timestamp(double seconds)
{
	char buf[32];
	fg_date day = fg_date_of_timestamp(seconds);
	double in_day = seconds - (double)day * 86400.0;
	long s = (long)floor(in_day + 0.5);
	char date[16];

	if (s >= 86400)
		s = 86399;
	snprintf(buf, sizeof(buf), "%sT%02ld:%02ld:%02ldZ",
		 fg_date_format(day, date), s / 3600, s / 60 % 60, s % 60);
	return json_string(buf);
}

static json_t *method_json(const fg_method_estimate *m)
{
	const fg_estimate_input *in = m->input;
	builder b = {json_object(), 0};
	size_t i;

	if (!b.obj)
		return NULL;
	set(&b, "method", json_string(fg_method_name(m->method)));
	set(&b, "flop", fg_result_range(m->flop));
	set(&b, "line", json_integer(in->line));
	set(&b, "column", json_integer(in->column));
	switch (m->method) {
	case FG_METHOD_ARCHITECTURE:
		set(&b, "parameters", real(in->parameters));
		set(&b, "active_parameters", real(in->active_parameters));
		set(&b, "tokens", real(in->tokens));
		set(&b, "epochs", real(in->epochs));
		set(&b, "flop_per_parameter_token",
		    real(in->flop_per_parameter_token));
		set(&b, "flop_per_token", real(m->flop_per_token));
		break;
	case FG_METHOD_HARDWARE: {
		fg_range u = {in->utilization_low, in->utilization,
			      in->utilization_high};
		json_t *periods = json_array();

		set(&b, "accelerator", json_string(in->accelerator->id));
		set(&b, "precision",
		    json_string(fg_precision_name(in->precision)));
		set(&b, "count", real(in->count));
		set(&b, "seconds", real(m->seconds));
		set(&b, "chip_hours", real(m->chip_hours));
		set(&b, "peak_flops", real(m->peak_flops));
		set(&b, "cluster_peak_flops", real(m->cluster_peak_flops));
		set(&b, "dense_peak_flops_per_chip",
		    real(in->accelerator->peak_flops[in->precision]));
		set(&b, "utilization", fg_result_range(u));
		set(&b, "utilization_given",
		    json_boolean(in->utilization_given));
		set(&b, "utilization_basis", json_string(
			    fg_utilization_basis_name(in->utilization_basis)));
		set(&b, "physical_bound_flop", real(m->physical_bound_flop));
		set(&b, "energy_kwh", real(m->energy_kwh));
		for (i = 0; periods && i < in->period_count; i++) {
			builder p = {json_object(), 0};

			if (!p.obj) {
				b.failed = 1;
				break;
			}
			set(&p, "count", real(in->periods[i].count));
			set(&p, "seconds", real(in->periods[i].seconds));
			if (json_array_append_new(periods, finish(&p)))
				b.failed = 1;
		}
		set(&b, "periods", periods);
		break;
	}
	default:
		break;
	}
	set(&b, "source", string_or_null(in->source));
	return finish(&b);
}

static json_t *phase_json(const fg_phase_estimate *ph)
{
	builder b = {json_object(), 0};
	json_t *methods = json_array();
	size_t i;

	if (!b.obj) {
		json_decref(methods);
		return NULL;
	}
	set(&b, "name", json_string(ph->phase->name));
	set(&b, "kind", json_string(fg_phase_kind_name(ph->phase->kind)));
	set(&b, "flop", fg_result_range(ph->flop));
	set(&b, "central_method",
	    json_string(fg_method_name(ph->central_method)));
	set(&b, "cost_usd", real_or_null(ph->phase->cost_usd));
	set(&b, "chip_hours", real(ph->chip_hours));
	set(&b, "seconds", real(ph->seconds));
	set(&b, "energy_kwh", real(ph->energy_kwh));
	set(&b, "cluster_peak_flops", real(ph->cluster_peak_flops));
	set(&b, "flop_per_token", real(ph->flop_per_token));
	for (i = 0; methods && i < ph->method_count; i++)
		if (json_array_append_new(methods,
					  method_json(&ph->methods[i])))
			b.failed = 1;
	set(&b, "line", json_integer(ph->phase->line));
	set(&b, "methods", methods);
	return finish(&b);
}

static json_t *progress_json(const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	builder b;
	double end;

	if (run->progress_count == 0)
		return json_null();
	b.obj = json_object();
	b.failed = 0;
	if (!b.obj)
		return NULL;
	set(&b, "measured_flop", real(est->measured_flop));
	set(&b, "flop_per_second", real(est->flop_per_second));
	set(&b, "at", timestamp(run->progress[run->progress_count - 1].at));
	set(&b, "points", json_integer((json_int_t)run->progress_count));
	set(&b, "planned_end", date_or_null(run->planned_end));
	/* What the run will have used by planned_end at the recent rate. */
	if (run->planned_end != FG_DATE_NONE && est->flop_per_second > 0) {
		end = (double)run->planned_end * 86400.0 -
		      run->progress[run->progress_count - 1].at;
		set(&b, "projected_flop_at_planned_end",
		    real(est->measured_flop +
			 (end > 0 ? end : 0) * est->flop_per_second));
	} else {
		set(&b, "projected_flop_at_planned_end", json_null());
	}
	return finish(&b);
}

static json_t *compute_json(const fg_run_estimate *est)
{
	builder b = {json_object(), 0};
	json_t *by_kind = json_object(), *phases = json_array();
	unsigned seen = 0;
	size_t i;

	if (!b.obj || !by_kind || !phases) {
		json_decref(b.obj);
		json_decref(by_kind);
		json_decref(phases);
		return NULL;
	}
	set(&b, "training_compute_flop", fg_result_range(est->total));
	for (i = 0; i < est->phase_count; i++) {
		fg_phase_kind k = est->phases[i].phase->kind;

		if (seen & FG_KIND_BIT(k))
			continue;
		seen |= FG_KIND_BIT(k);
		if (json_object_set_new(by_kind, fg_phase_kind_name(k),
					fg_result_range(
					fg_run_estimate_cumulative(
					est, FG_KIND_BIT(k)))))
			b.failed = 1;
	}
	set(&b, "by_kind", by_kind);
	set(&b, "chip_hours", real(est->chip_hours));
	set(&b, "training_seconds", real(est->seconds));
	set(&b, "energy_kwh", real(est->energy_kwh));
	set(&b, "cost_usd", real_or_null(est->cost_usd));
	set(&b, "cluster_peak_flops", real(est->cluster_peak_flops));
	set(&b, "flop_per_token", real(est->flop_per_token));
	set(&b, "pue", real(est->run->pue));
	set(&b, "server_overhead", real(est->run->server_overhead));
	set(&b, "progress", progress_json(est));
	for (i = 0; i < est->phase_count; i++)
		if (json_array_append_new(phases,
					  phase_json(&est->phases[i])))
			b.failed = 1;
	set(&b, "phases", phases);
	return finish(&b);
}

static json_t *base_model_json(const fg_run *run)
{
	builder b;

	if (!run->has_base_model)
		return json_null();
	b.obj = json_object();
	b.failed = 0;
	if (!b.obj)
		return NULL;
	set(&b, "id", string_or_null(run->base_model_id));
	set(&b, "training_compute_flop", real_or_null(run->base_model_flop));
	set(&b, "systemic_risk", run->base_model_systemic_risk < 0
				 ? json_null()
				 : json_boolean(run->base_model_systemic_risk));
	set(&b, "same_provider", json_boolean(run->base_model_same_provider));
	return finish(&b);
}

static json_t *dates_json(const fg_run *run)
{
	builder b = {json_object(), 0};

	if (!b.obj)
		return NULL;
	set(&b, "start", date_or_null(run->start));
	set(&b, "end", date_or_null(run->end));
	set(&b, "placed_on_market", date_or_null(run->placed_on_market));
	set(&b, "threshold_known", date_or_null(run->threshold_known));
	set(&b, "planned_end", date_or_null(run->planned_end));
	return finish(&b);
}

/* {key: [values]}: always a list, as rules match any of the values. */
static json_t *attributes_json(const fg_run *run)
{
	builder b = {json_object(), 0};
	size_t i, j;

	if (!b.obj)
		return NULL;
	for (i = 0; i < run->attribute_count; i++) {
		const fg_attribute *a = &run->attributes[i];
		json_t *values = json_array();

		for (j = 0; values && j < a->value_count; j++)
			if (json_array_append_new(values,
						  json_string(a->values[j])))
				b.failed = 1;
		set(&b, a->key, values);
	}
	return finish(&b);
}

json_t *fg_result_run(const fg_run_estimate *estimate)
{
	const fg_run *run = estimate->run;
	builder b = {json_object(), 0};
	json_t *list = json_array(), *warnings = json_array();
	size_t i;

	if (!b.obj || !list || !warnings) {
		json_decref(b.obj);
		json_decref(list);
		json_decref(warnings);
		return NULL;
	}
	set(&b, "id", json_string(run->id));
	set(&b, "model", string_or_null(run->model));
	set(&b, "developer", string_or_null(run->developer));
	set(&b, "status", json_string(fg_run_status_name(run->status)));
	set(&b, "file", string_or_null(run->file));
	set(&b, "line", json_integer(run->line));
	set(&b, "column", json_integer(run->column));
	set(&b, "compute_line", json_integer(run->compute_line));
	set(&b, "compute_column", json_integer(run->compute_column));
	for (i = 0; i < run->jurisdiction_count; i++)
		if (json_array_append_new(list,
					  json_string(run->jurisdictions[i])))
			b.failed = 1;
	set(&b, "jurisdictions", list);
	set(&b, "input_sha256", json_string(run->input_sha256));
	set(&b, "dates", dates_json(run));
	set(&b, "annual_revenue_usd", real_or_null(run->annual_revenue_usd));
	set(&b, "established_in", string_or_null(run->established_in));
	set(&b, "attributes", attributes_json(run));
	set(&b, "base_model", base_model_json(run));
	set(&b, "compute", compute_json(estimate));
	for (i = 0; i < estimate->warning_count; i++)
		if (json_array_append_new(warnings,
					  json_string(estimate->warnings[i])))
			b.failed = 1;
	set(&b, "warnings", warnings);
	return finish(&b);
}

json_t *fg_result_estimate_document(fg_run_estimate *const *estimates,
				    size_t count, fg_date as_of)
{
	builder b = {json_object(), 0};
	json_t *runs = json_array();
	size_t i;

	if (!b.obj || !runs) {
		json_decref(b.obj);
		json_decref(runs);
		return NULL;
	}
	set(&b, "flopgate", json_string(FG_VERSION));
	set(&b, "as_of", date_or_null(as_of));
	for (i = 0; i < count; i++)
		if (json_array_append_new(runs, fg_result_run(estimates[i])))
			b.failed = 1;
	set(&b, "runs", runs);
	return finish(&b);
}
