/* flopgate — training compute estimates with ranges
 * (see include/flopgate/estimate.h). */
#include "flopgate/estimate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/quantity.h"

static int oom(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- one method -------------------------------------------------------- */

/* reference/compute.md §1.1 (Kaplan et al. 2020): C = 6·N·D for dense
 * and MoE transformers, N the parameters active per token. */
static void architecture(fg_method_estimate *m, const fg_estimate_input *in)
{
	double c;

	m->flop_per_token = in->flop_per_parameter_token *
			    in->active_parameters * in->epochs;
	c = m->flop_per_token * in->tokens;
	m->flop.central = c;
	m->flop.low = c * (1 - FG_ESTIMATE_TOLERANCE);
	m->flop.high = c * (1 + FG_ESTIMATE_TOLERANCE);
}

/* reference/compute.md §1.2 (Epoch): C = chips × time × dense peak ×
 * utilization; the central value at the utilization, the low end at its
 * low end, the high end at the peak itself — no run can exceed it. */
static void hardware(fg_method_estimate *m, const fg_estimate_input *in,
		     const fg_run *run)
{
	double peak = in->accelerator->peak_flops[in->precision];
	double chip_seconds = 0, largest = in->count;
	size_t i;

	if (in->period_count) {
		largest = 0;
		for (i = 0; i < in->period_count; i++) {
			chip_seconds += in->periods[i].count *
					in->periods[i].seconds;
			m->seconds += in->periods[i].seconds;
			if (in->periods[i].count > largest)
				largest = in->periods[i].count;
		}
	} else if (in->chip_hours > 0) {
		chip_seconds = in->chip_hours * 3600.0;
		m->seconds = in->seconds; /* derived when count was given */
	} else {
		chip_seconds = in->count * in->seconds;
		m->seconds = in->seconds;
	}
	m->chip_hours = chip_seconds / 3600.0;
	m->peak_flops = largest * peak;
	m->flop.low = chip_seconds * peak * in->utilization_low;
	m->flop.central = chip_seconds * peak * in->utilization;
	m->flop.high = chip_seconds * peak;
	/* reference/compute.md §5–6: kWh = chips × TDP × server overhead ×
	 * PUE × hours / 1000, and chips × hours = chip-hours. */
	if (in->accelerator->tdp_watts > 0)
		m->energy_kwh = m->chip_hours * in->accelerator->tdp_watts *
				run->server_overhead * run->pue / 1000.0;
}

static void reported(fg_method_estimate *m, const fg_estimate_input *in)
{
	int has_range = in->flop_low != in->flop || in->flop_high != in->flop;

	m->flop.central = in->flop;
	if (has_range || in->method == FG_METHOD_MEASURED) {
		m->flop.low = in->flop_low;
		m->flop.high = in->flop_high;
	} else {
		/* A declared figure without a range is held to the same error
		 * margin as an estimate (GPAI guidelines, Annex A.2). */
		m->flop.low = in->flop * (1 - FG_ESTIMATE_TOLERANCE);
		m->flop.high = in->flop * (1 + FG_ESTIMATE_TOLERANCE);
	}
}

static void estimate_method(fg_method_estimate *m,
			    const fg_estimate_input *in, const fg_run *run)
{
	memset(m, 0, sizeof(*m));
	m->input = in;
	m->method = in->method;
	switch (in->method) {
	case FG_METHOD_ARCHITECTURE:
		architecture(m, in);
		break;
	case FG_METHOD_HARDWARE:
		hardware(m, in, run);
		break;
	default:
		reported(m, in);
		break;
	}
}

/* ---- warnings ---------------------------------------------------------- */

static int add_warning(fg_run_estimate *est, fg_error *err,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_warning(fg_run_estimate *est, fg_error *err,
		       const char *fmt, ...)
{
	char buf[1024], **grown, *copy;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	grown = realloc(est->warnings,
			(est->warning_count + 1) * sizeof(char *));
	if (!grown)
		return oom(err);
	est->warnings = grown;
	if (!(copy = strdup(buf)))
		return oom(err);
	est->warnings[est->warning_count++] = copy;
	return 0;
}

/* GPAI guidelines, Annex A.2: an estimate is acceptable "within an overall
 * error margin of 30%"; two methods further apart than that cannot both
 * be right, so the reader is told which ones and by how much.  The
 * difference is relative to the stronger evidence (methods are listed in
 * evidence order), the figure the phase's central value trusts. */
static int disagreements(fg_run_estimate *est, const fg_phase_estimate *ph,
			 fg_error *err)
{
	size_t i, j;
	char a[48], b[48];

	for (i = 0; i < ph->method_count; i++) {
		for (j = 0; j < ph->method_count; j++) {
			const fg_method_estimate *strong = &ph->methods[i];
			const fg_method_estimate *weak = &ph->methods[j];
			double diff;

			if (strong->method >= weak->method ||
			    strong->flop.central <= 0)
				continue;
			diff = fabs(weak->flop.central -
				    strong->flop.central) /
			       strong->flop.central;
			if (diff <= FG_ESTIMATE_TOLERANCE)
				continue;
			if (add_warning(est, err,
					"phase `%s`: the %s estimate (%s FLOP) "
					"differs from the %s estimate (%s "
					"FLOP) by %.0f %%, more than the 30 %% "
					"margin the GPAI guidelines allow",
					ph->phase->name,
					fg_method_name(weak->method),
					fg_format_sci(weak->flop.central, a,
						      sizeof(a)),
					fg_method_name(strong->method),
					fg_format_sci(strong->flop.central, b,
						      sizeof(b)),
					diff * 100.0))
				return FG_ENOMEM;
		}
	}
	return 0;
}

/* ---- one phase --------------------------------------------------------- */

/* A computed figure that is not finite or beyond FG_FLOP_MAX is refused
 * at the estimate that gave it: recorded, it would read as 0 (JSON has
 * no infinity) or as a compute no run can have. */
static int check_physical(const fg_method_estimate *m, const fg_run *run,
			  fg_error *err)
{
	const fg_estimate_input *in = m->input;
	const double v[3] = {m->flop.low, m->flop.central, m->flop.high};
	char shown[64];
	int i;

	for (i = 0; i < 3; i++) {
		if (!isfinite(v[i]) || v[i] < 0)
			return fg_error_set(err, FG_EINPUT, run->file, in->line,
					    in->column, "this estimate's compute "
					    "overflows (it is past what a number "
					    "can hold): check the figures and "
					    "their units");
		if (v[i] > FG_FLOP_MAX)
			return fg_error_set(err, FG_EINPUT, run->file, in->line,
					    in->column, "this estimate comes to "
					    "%s FLOP, beyond any physically "
					    "possible training compute (at "
					    "most 10^40 FLOP): check the "
					    "figures and their units",
					    fg_format_sci(v[i], shown,
							  sizeof(shown)));
	}
	return 0;
}

static int estimate_phase(fg_phase_estimate *ph, const fg_phase *phase,
			  const fg_run *run, fg_error *err)
{
	size_t i;
	int first = 1, rc;

	ph->phase = phase;
	ph->methods = calloc(phase->estimate_count, sizeof(*ph->methods));
	if (!ph->methods)
		return oom(err);
	ph->method_count = phase->estimate_count;
	for (i = 0; i < phase->estimate_count; i++) {
		fg_method_estimate *m = &ph->methods[i];

		estimate_method(m, &phase->estimates[i], run);
		if ((rc = check_physical(m, run, err)) < 0)
			return rc;
		/* Envelope: the phase range spans every method's range. */
		if (first || m->flop.low < ph->flop.low)
			ph->flop.low = m->flop.low;
		if (first || m->flop.high > ph->flop.high)
			ph->flop.high = m->flop.high;
		/* Central value: the strongest evidence present. */
		if (first || m->method < ph->central_method) {
			ph->central_method = m->method;
			ph->flop.central = m->flop.central;
		}
		first = 0;
		ph->chip_hours += m->chip_hours;
		ph->seconds += m->seconds;
		ph->energy_kwh += m->energy_kwh;
		if (m->peak_flops > ph->cluster_peak_flops)
			ph->cluster_peak_flops = m->peak_flops;
		if (m->method == FG_METHOD_ARCHITECTURE)
			ph->flop_per_token = m->flop_per_token;
	}
	return 0;
}

/* ---- progress ---------------------------------------------------------- */

/* The recent rate from the last two points; with one point, the average
 * since dates.start (a run starts at 0 FLOP). */
static double progress_rate(const fg_run *run)
{
	const fg_progress *p = run->progress;
	size_t n = run->progress_count;
	double start;

	if (n >= 2)
		return (p[n - 1].flop - p[n - 2].flop) /
		       (p[n - 1].at - p[n - 2].at);
	if (n == 1 && run->start != FG_DATE_NONE) {
		start = (double)run->start * 86400.0;
		if (p[0].at > start)
			return p[0].flop / (p[0].at - start);
	}
	return 0;
}

double fg_run_estimate_crossing(const fg_run_estimate *estimate,
				double flop)
{
	const fg_run *run = estimate ? estimate->run : NULL;
	double prev_at, prev_flop;
	size_t i;

	if (!run || run->progress_count == 0)
		return -1;
	/* Before the first point, the line to it from dates.start (0 FLOP
	 * then); with no start date, the first point is the best bound. */
	if (run->start != FG_DATE_NONE &&
	    (double)run->start * 86400.0 < run->progress[0].at) {
		prev_at = (double)run->start * 86400.0;
		prev_flop = 0;
	} else {
		prev_at = run->progress[0].at;
		prev_flop = run->progress[0].flop;
		if (flop <= prev_flop)
			return prev_at;
	}
	for (i = 0; i < run->progress_count; i++) {
		const fg_progress *p = &run->progress[i];

		if (flop <= p->flop) {
			if (p->flop == prev_flop)
				return prev_at;
			return prev_at + (flop - prev_flop) /
					 (p->flop - prev_flop) *
					 (p->at - prev_at);
		}
		prev_at = p->at;
		prev_flop = p->flop;
	}
	if (!(estimate->flop_per_second > 0))
		return -1;
	return prev_at + (flop - prev_flop) / estimate->flop_per_second;
}

/* ---- one run ----------------------------------------------------------- */

fg_range fg_run_estimate_cumulative(const fg_run_estimate *estimate,
				    unsigned kinds_mask)
{
	fg_range sum = {0, 0, 0};
	size_t i;

	for (i = 0; estimate && i < estimate->phase_count; i++) {
		const fg_phase_estimate *ph = &estimate->phases[i];

		if (!(kinds_mask & FG_KIND_BIT(ph->phase->kind)))
			continue;
		sum.low += ph->flop.low;
		sum.central += ph->flop.central;
		sum.high += ph->flop.high;
	}
	return sum;
}

static void totals(fg_run_estimate *est)
{
	const fg_run *run = est->run;
	fg_date end;
	size_t i;

	est->cost_usd = -1;
	est->measured_flop = -1;
	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *ph = &est->phases[i];

		est->chip_hours += ph->chip_hours;
		est->seconds += ph->seconds;
		est->energy_kwh += ph->energy_kwh;
		if (ph->phase->cost_usd >= 0)
			est->cost_usd = (est->cost_usd < 0 ? 0 : est->cost_usd)
					+ ph->phase->cost_usd;
		if (ph->cluster_peak_flops > est->cluster_peak_flops)
			est->cluster_peak_flops = ph->cluster_peak_flops;
		if (est->flop_per_token == 0)
			est->flop_per_token = ph->flop_per_token;
	}
	est->total = fg_run_estimate_cumulative(est, FG_KIND_ALL);
	/* Annex XI asks for the training time: from the hardware figures,
	 * else from the run's own dates (its planned end while it has no
	 * end yet). */
	end = run->end != FG_DATE_NONE ? run->end : run->planned_end;
	if (est->seconds == 0 && run->start != FG_DATE_NONE &&
	    end != FG_DATE_NONE && end >= run->start)
		est->seconds = ((double)end - (double)run->start) * 86400.0;
	if (run->progress_count) {
		est->measured_flop = run->progress[run->progress_count - 1]
					     .flop;
		est->flop_per_second = progress_rate(run);
	}
}

int fg_run_estimate_compute(fg_run_estimate **out, const fg_run *run,
			    fg_error *err)
{
	fg_run_estimate *est = calloc(1, sizeof(*est));
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!est)
		return oom(err);
	est->run = run;
	if (run->phase_count &&
	    !(est->phases = calloc(run->phase_count, sizeof(*est->phases)))) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < run->phase_count; i++) {
		est->phase_count++;
		if ((rc = estimate_phase(&est->phases[i], &run->phases[i], run,
					 err)) ||
		    (rc = disagreements(est, &est->phases[i], err)))
			goto done;
	}
	totals(est);
	*out = est;
	est = NULL;
done:
	fg_run_estimate_free(est);
	return rc;
}

void fg_run_estimate_free(fg_run_estimate *estimate)
{
	size_t i;

	if (!estimate)
		return;
	for (i = 0; i < estimate->phase_count; i++)
		free(estimate->phases[i].methods);
	free(estimate->phases);
	for (i = 0; i < estimate->warning_count; i++)
		free(estimate->warnings[i]);
	free(estimate->warnings);
	free(estimate);
}
