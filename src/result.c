/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the result document, compute part (see
 * include/flopgate/result.h for the shape every output shares). */
#include "result_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flopgate/quantity.h"
#include "json_write.h"

/* Members as the document writes them: a key and its value. */
static void k_real(fg_jw *w, const char *key, size_t key_len, double v)
{
	fg_jw_key_n(w, key, key_len);
	fg_jw_real(w, isfinite(v) ? v : 0);
}

/* null for "not given" (negative sentinels in the model). */
static void k_real_or_null(fg_jw *w, const char *key, size_t key_len, double v)
{
	fg_jw_key_n(w, key, key_len);
	if (v < 0)
		fg_jw_null(w);
	else
		fg_jw_real(w, isfinite(v) ? v : 0);
}

static void k_integer(fg_jw *w, const char *key, size_t key_len, long long v)
{
	fg_jw_key_n(w, key, key_len);
	fg_jw_integer(w, v);
}

void fg_result_kdate(fg_jw *w, const char *key, size_t key_len, fg_date date)
{
	char buf[16];

	fg_jw_kstring_n(w, key, key_len,
			date == FG_DATE_NONE ? NULL
					     : fg_date_format(date, buf));
}

static void k_range(fg_jw *w, const char *key, size_t key_len, fg_range range)
{
	fg_jw_key_n(w, key, key_len);
	fg_jw_object(w);
	k_real(w, FG_JW_LIT("low"), range.low);
	k_real(w, FG_JW_LIT("central"), range.central);
	k_real(w, FG_JW_LIT("high"), range.high);
	fg_jw_close(w, '}');
}

json_t *fg_result_range(fg_range range)
{
	return json_pack("{s:f, s:f, s:f}", "low",
			 isfinite(range.low) ? range.low : 0, "central",
			 isfinite(range.central) ? range.central : 0, "high",
			 isfinite(range.high) ? range.high : 0);
}

static void k_timestamp(fg_jw *w, const char *key, size_t key_len,
			double seconds)
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
	fg_jw_kstring_n(w, key, key_len, buf);
}

static void method_write(fg_jw *w, const fg_method_estimate *m)
{
	const fg_estimate_input *in = m->input;
	size_t i;

	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("method"), fg_method_name(m->method));
	k_range(w, FG_JW_LIT("flop"), m->flop);
	k_integer(w, FG_JW_LIT("line"), in->line);
	k_integer(w, FG_JW_LIT("column"), in->column);
	switch (m->method) {
	case FG_METHOD_ARCHITECTURE:
		k_real(w, FG_JW_LIT("parameters"), in->parameters);
		k_real(w, FG_JW_LIT("active_parameters"),
		       in->active_parameters);
		k_real(w, FG_JW_LIT("tokens"), in->tokens);
		k_real(w, FG_JW_LIT("epochs"), in->epochs);
		k_real(w, FG_JW_LIT("flop_per_parameter_token"),
		       in->flop_per_parameter_token);
		k_real(w, FG_JW_LIT("flop_per_token"), m->flop_per_token);
		break;
	case FG_METHOD_HARDWARE: {
		fg_range u = {in->utilization_low, in->utilization,
			      in->utilization_high};

		fg_jw_kstring_n(w, FG_JW_LIT("accelerator"),
				in->accelerator->id);
		fg_jw_kstring_n(w, FG_JW_LIT("precision"),
				fg_precision_name(in->precision));
		k_real(w, FG_JW_LIT("count"), in->count);
		k_real(w, FG_JW_LIT("seconds"), m->seconds);
		k_real(w, FG_JW_LIT("chip_hours"), m->chip_hours);
		k_real(w, FG_JW_LIT("peak_flops"), m->peak_flops);
		k_real(w, FG_JW_LIT("cluster_peak_flops"),
		       m->cluster_peak_flops);
		k_real(w, FG_JW_LIT("dense_peak_flops_per_chip"),
		       in->accelerator->peak_flops[in->precision]);
		k_range(w, FG_JW_LIT("utilization"), u);
		fg_jw_key_n(w, FG_JW_LIT("utilization_given"));
		fg_jw_bool(w, in->utilization_given);
		fg_jw_kstring_n(w, FG_JW_LIT("utilization_basis"),
				fg_utilization_basis_name(
					in->utilization_basis));
		k_real(w, FG_JW_LIT("physical_bound_flop"),
		       m->physical_bound_flop);
		k_real(w, FG_JW_LIT("energy_kwh"), m->energy_kwh);
		fg_jw_key_n(w, FG_JW_LIT("periods"));
		fg_jw_array(w);
		for (i = 0; i < in->period_count; i++) {
			fg_jw_object(w);
			k_real(w, FG_JW_LIT("count"), in->periods[i].count);
			k_real(w, FG_JW_LIT("seconds"), in->periods[i].seconds);
			fg_jw_close(w, '}');
		}
		fg_jw_close(w, ']');
		break;
	}
	default:
		break;
	}
	fg_jw_kstring_n(w, FG_JW_LIT("source"), in->source);
	fg_jw_close(w, '}');
}

static void phase_write(fg_jw *w, const fg_phase_estimate *ph)
{
	size_t i;

	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("name"), ph->phase->name);
	fg_jw_kstring_n(w, FG_JW_LIT("kind"),
			fg_phase_kind_name(ph->phase->kind));
	k_range(w, FG_JW_LIT("flop"), ph->flop);
	fg_jw_kstring_n(w, FG_JW_LIT("central_method"),
			fg_method_name(ph->central_method));
	k_real_or_null(w, FG_JW_LIT("cost_usd"), ph->phase->cost_usd);
	k_real(w, FG_JW_LIT("chip_hours"), ph->chip_hours);
	k_real(w, FG_JW_LIT("seconds"), ph->seconds);
	k_real(w, FG_JW_LIT("energy_kwh"), ph->energy_kwh);
	k_real(w, FG_JW_LIT("cluster_peak_flops"), ph->cluster_peak_flops);
	k_real(w, FG_JW_LIT("flop_per_token"), ph->flop_per_token);
	k_integer(w, FG_JW_LIT("line"), ph->phase->line);
	fg_jw_key_n(w, FG_JW_LIT("methods"));
	fg_jw_array(w);
	for (i = 0; i < ph->method_count; i++)
		method_write(w, &ph->methods[i]);
	fg_jw_close(w, ']');
	fg_jw_close(w, '}');
}

static void progress_write(fg_jw *w, const fg_run_estimate *est)
{
	const fg_run *run = est->run;
	double end;

	fg_jw_key_n(w, FG_JW_LIT("progress"));
	if (run->progress_count == 0) {
		fg_jw_null(w);
		return;
	}
	fg_jw_object(w);
	k_real(w, FG_JW_LIT("measured_flop"), est->measured_flop);
	k_real(w, FG_JW_LIT("flop_per_second"), est->flop_per_second);
	k_timestamp(w, FG_JW_LIT("at"),
		    run->progress[run->progress_count - 1].at);
	k_integer(w, FG_JW_LIT("points"), (long long)run->progress_count);
	fg_result_kdate(w, FG_JW_LIT("planned_end"), run->planned_end);
	/* What the run will have used by planned_end at the recent rate. */
	fg_jw_key_n(w, FG_JW_LIT("projected_flop_at_planned_end"));
	if (run->planned_end != FG_DATE_NONE && est->flop_per_second > 0) {
		end = (double)run->planned_end * 86400.0 -
		      run->progress[run->progress_count - 1].at;
		fg_jw_real(w,
			   est->measured_flop +
				   (end > 0 ? end : 0) * est->flop_per_second);
	} else {
		fg_jw_null(w);
	}
	fg_jw_close(w, '}');
}

static void compute_write(fg_jw *w, const fg_run_estimate *est)
{
	const char *name;
	unsigned seen = 0;
	size_t i;

	fg_jw_key_n(w, FG_JW_LIT("compute"));
	fg_jw_object(w);
	k_range(w, FG_JW_LIT("training_compute_flop"), est->total);
	fg_jw_key_n(w, FG_JW_LIT("by_kind"));
	fg_jw_object(w);
	for (i = 0; i < est->phase_count; i++) {
		fg_phase_kind k = est->phases[i].phase->kind;

		if (seen & FG_KIND_BIT(k))
			continue;
		seen |= FG_KIND_BIT(k);
		/* a kind's name is a plain identifier */
		name = fg_phase_kind_name(k);
		k_range(w, name, strlen(name),
			fg_run_estimate_cumulative(est, FG_KIND_BIT(k)));
	}
	fg_jw_close(w, '}');
	k_real(w, FG_JW_LIT("chip_hours"), est->chip_hours);
	k_real(w, FG_JW_LIT("training_seconds"), est->seconds);
	k_real(w, FG_JW_LIT("energy_kwh"), est->energy_kwh);
	k_real_or_null(w, FG_JW_LIT("cost_usd"), est->cost_usd);
	k_real(w, FG_JW_LIT("cluster_peak_flops"), est->cluster_peak_flops);
	k_real(w, FG_JW_LIT("flop_per_token"), est->flop_per_token);
	k_real(w, FG_JW_LIT("pue"), est->run->pue);
	k_real(w, FG_JW_LIT("server_overhead"), est->run->server_overhead);
	progress_write(w, est);
	fg_jw_key_n(w, FG_JW_LIT("phases"));
	fg_jw_array(w);
	for (i = 0; i < est->phase_count; i++)
		phase_write(w, &est->phases[i]);
	fg_jw_close(w, ']');
	fg_jw_close(w, '}');
}

static void base_model_write(fg_jw *w, const fg_run *run)
{
	fg_jw_key_n(w, FG_JW_LIT("base_model"));
	if (!run->has_base_model) {
		fg_jw_null(w);
		return;
	}
	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("id"), run->base_model_id);
	k_real_or_null(w, FG_JW_LIT("training_compute_flop"),
		       run->base_model_flop);
	fg_jw_key_n(w, FG_JW_LIT("systemic_risk"));
	if (run->base_model_systemic_risk < 0)
		fg_jw_null(w);
	else
		fg_jw_bool(w, run->base_model_systemic_risk);
	fg_jw_key_n(w, FG_JW_LIT("same_provider"));
	fg_jw_bool(w, run->base_model_same_provider);
	fg_jw_close(w, '}');
}

static void dates_write(fg_jw *w, const fg_run *run)
{
	fg_jw_key_n(w, FG_JW_LIT("dates"));
	fg_jw_object(w);
	fg_result_kdate(w, FG_JW_LIT("start"), run->start);
	fg_result_kdate(w, FG_JW_LIT("end"), run->end);
	fg_result_kdate(w, FG_JW_LIT("placed_on_market"),
			run->placed_on_market);
	fg_result_kdate(w, FG_JW_LIT("threshold_known"), run->threshold_known);
	fg_result_kdate(w, FG_JW_LIT("planned_end"), run->planned_end);
	fg_jw_close(w, '}');
}

/* {key: [values]}: always a list, as rules match any of the values. */
static void attributes_write(fg_jw *w, const fg_run *run)
{
	size_t i, j;

	fg_jw_key_n(w, FG_JW_LIT("attributes"));
	fg_jw_object(w);
	for (i = 0; i < run->attribute_count; i++) {
		const fg_attribute *a = &run->attributes[i];

		fg_jw_key(w, a->key);
		fg_jw_array(w);
		for (j = 0; j < a->value_count; j++)
			fg_jw_string(w, a->values[j]);
		fg_jw_close(w, ']');
	}
	fg_jw_close(w, '}');
}

void fg_result_write_run(fg_jw *w, const fg_run_estimate *estimate,
			 const fg_run_findings *findings)
{
	const fg_run *run = estimate->run;
	size_t i;

	fg_jw_object(w);
	fg_jw_kstring_n(w, FG_JW_LIT("id"), run->id);
	fg_jw_kstring_n(w, FG_JW_LIT("model"), run->model);
	fg_jw_kstring_n(w, FG_JW_LIT("developer"), run->developer);
	fg_jw_kstring_n(w, FG_JW_LIT("status"),
			fg_run_status_name(run->status));
	fg_jw_kstring_n(w, FG_JW_LIT("file"), run->file);
	k_integer(w, FG_JW_LIT("line"), run->line);
	k_integer(w, FG_JW_LIT("column"), run->column);
	k_integer(w, FG_JW_LIT("compute_line"), run->compute_line);
	k_integer(w, FG_JW_LIT("compute_column"), run->compute_column);
	fg_jw_key_n(w, FG_JW_LIT("jurisdictions"));
	fg_jw_array(w);
	for (i = 0; i < run->jurisdiction_count; i++)
		fg_jw_string(w, run->jurisdictions[i]);
	fg_jw_close(w, ']');
	fg_jw_kstring_n(w, FG_JW_LIT("input_sha256"), run->input_sha256);
	dates_write(w, run);
	k_real_or_null(w, FG_JW_LIT("annual_revenue_usd"),
		       run->annual_revenue_usd);
	fg_jw_kstring_n(w, FG_JW_LIT("established_in"), run->established_in);
	attributes_write(w, run);
	base_model_write(w, run);
	compute_write(w, estimate);
	fg_jw_key_n(w, FG_JW_LIT("warnings"));
	fg_jw_array(w);
	for (i = 0; i < estimate->warning_count; i++)
		fg_jw_string(w, estimate->warnings[i]);
	/* the evaluation's own warnings after the estimate's */
	for (i = 0; findings && i < findings->warning_count; i++)
		fg_jw_string(w, findings->warnings[i]);
	fg_jw_close(w, ']');
	if (findings)
		fg_result_write_findings(w, findings);
	fg_jw_close(w, '}');
}

json_t *fg_result_run(const fg_run_estimate *estimate)
{
	fg_jw w;

	fg_jw_start_tree(&w);
	fg_result_write_run(&w, estimate, NULL);
	return fg_jw_tree(&w);
}

json_t *fg_result_estimate_document(fg_run_estimate *const *estimates,
				    size_t count, fg_date as_of)
{
	fg_jw w;
	size_t i;

	fg_jw_start_tree(&w);
	fg_jw_object(&w);
	fg_jw_kstring_n(&w, FG_JW_LIT("flopgate"), FG_VERSION);
	fg_result_kdate(&w, FG_JW_LIT("as_of"), as_of);
	fg_jw_key_n(&w, FG_JW_LIT("runs"));
	fg_jw_array(&w);
	for (i = 0; i < count; i++)
		fg_result_write_run(&w, estimates[i], NULL);
	fg_jw_close(&w, ']');
	fg_jw_close(&w, '}');
	return fg_jw_tree(&w);
}
