/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — training compute estimates with ranges
 * (see include/flopgate/estimate.h). */
#include "flopgate/estimate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_int.h"
#include "flopgate/quantity.h"

/* Exact scratch values for one run's estimate, initialised once and
 * reused by every phase and method (no GMP allocation per method beyond
 * what the numbers themselves need). */
typedef struct scratch {
	fg_qrange method, phase;
	mpq_t a, b;
	mpq_t chips;          /* a hardware method's largest chip count */
	mpq_t cluster;        /* a method's cluster peak */
	mpq_t phase_cluster;  /* the phase's largest */
} scratch;

static void scratch_init(scratch *x)
{
	fg_qrange_init(&x->method);
	fg_qrange_init(&x->phase);
	mpq_inits(x->a, x->b, x->chips, x->cluster, x->phase_cluster, NULL);
}

static void scratch_clear(scratch *x)
{
	fg_qrange_clear(&x->method);
	fg_qrange_clear(&x->phase);
	mpq_clears(x->a, x->b, x->chips, x->cluster, x->phase_cluster, NULL);
}

/* r = c x [7/10, 1, 13/10]: the ±30 % margin, exactly. */
static void margin(fg_qrange *r, const mpq_t c)
{
	mpq_set(r->central, c);
	mpq_set_ui(r->low, 7, 10);
	fg_q_mul(r->low, r->low, c);
	mpq_set_ui(r->high, 13, 10);
	fg_q_mul(r->high, r->high, c);
}

static int oom(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- one method -------------------------------------------------------- */

/* reference/compute.md §1.1 (Kaplan et al. 2020): C = 6·N·D for dense
 * and MoE transformers, N the parameters active per token; the range is
 * the GPAI guidelines' ±30 % around it. */
static void architecture(fg_method_estimate *m, const fg_estimate_input *in,
			 scratch *x)
{
	fg_q_set(x->a, in->exact.flop_per_parameter_token,
		 in->flop_per_parameter_token);
	fg_q_set(x->b, in->exact.active_parameters, in->active_parameters);
	fg_q_mul(x->a, x->a, x->b);
	fg_q_set(x->b, in->exact.epochs, in->epochs);
	fg_q_mul(x->a, x->a, x->b);
	m->flop_per_token = fg_q_double(x->a);
	fg_q_set(x->b, in->exact.tokens, in->tokens);
	fg_q_mul(x->a, x->a, x->b);
	margin(&x->method, x->a);
}

/* x->a = the accelerator-seconds of a hardware estimate, exactly;
 * m->seconds the wall-clock time; x->chips the largest chip count (0 when
 * only chip-hours are known). */
static void chip_seconds(fg_method_estimate *m, const fg_estimate_input *in,
			 scratch *x)
{
	size_t i;

	fg_q_set(x->chips, in->exact.count, in->count);
	mpq_set_ui(x->a, 0, 1);
	if (in->period_count) {
		mpq_set_ui(x->chips, 0, 1);
		for (i = 0; i < in->period_count; i++) {
			const fg_period *p = &in->periods[i];

			fg_q_set(x->b, p->exact.count, p->count);
			if (mpq_cmp(x->b, x->chips) > 0)
				mpq_set(x->chips, x->b);
			fg_q_set(x->cluster, p->exact.seconds, p->seconds);
			fg_q_mul(x->b, x->b, x->cluster);
			mpq_add(x->a, x->a, x->b);
			m->seconds += p->seconds;
		}
	} else if (in->chip_hours > 0) {
		fg_q_set(x->a, in->exact.chip_hours, in->chip_hours);
		mpq_set_ui(x->b, 3600, 1);
		fg_q_mul(x->a, x->a, x->b);
		m->seconds = in->seconds; /* derived when count was given */
	} else {
		fg_q_set(x->a, in->exact.count, in->count);
		fg_q_set(x->b, in->exact.seconds, in->seconds);
		fg_q_mul(x->a, x->a, x->b);
		m->seconds = in->seconds;
	}
}

/* reference/compute.md §1.2 (Epoch): C = chips × time × dense peak ×
 * utilization, over the utilization range the run file gives (run.h).
 * The compute at the peak itself is the physical bound, kept apart: as a
 * high end it would put ordinary plans "near" lines three times their
 * compute. */
static void hardware(fg_method_estimate *m, const fg_estimate_input *in,
		     const fg_run *run, scratch *x)
{
	const fg_accelerator *acc = in->accelerator;
	size_t p;

	chip_seconds(m, in, x);
	m->chip_hours = fg_q_double(x->a) / 3600.0;
	/* x->a = accelerator-seconds x dense peak: compute at utilization
	 * 1.0 */
	fg_q_set(x->b, acc->exact.peak_flops[in->precision],
		 acc->peak_flops[in->precision]);
	fg_q_mul(x->a, x->a, x->b);
	/* what the cluster computes at the run's precision, for people */
	fg_q_mul(x->cluster, x->chips, x->b);
	m->peak_flops = fg_q_double(x->cluster);
	/* EO 14110 §4.2(b)(ii): "a theoretical maximum computing capacity
	 * of 10^20 integer or floating-point operations per second" — the
	 * highest dense peak over every number format the chip has (INT8,
	 * FP8), not the one the run trains in, times its largest size */
	mpq_set_ui(x->cluster, 0, 1);
	for (p = 0; p < FG_PREC_COUNT; p++) {
		if (!(acc->peak_flops[p] > 0))
			continue;
		fg_q_set(x->b, acc->exact.peak_flops[p], acc->peak_flops[p]);
		if (mpq_cmp(x->b, x->cluster) > 0)
			mpq_set(x->cluster, x->b);
	}
	fg_q_mul(x->cluster, x->cluster, x->chips);
	m->cluster_peak_flops = fg_q_double(x->cluster);
	fg_q_set(x->b, in->exact.utilization_low, in->utilization_low);
	fg_q_mul(x->method.low, x->a, x->b);
	fg_q_set(x->b, in->exact.utilization, in->utilization);
	fg_q_mul(x->method.central, x->a, x->b);
	fg_q_set(x->b, in->exact.utilization_high, in->utilization_high);
	fg_q_mul(x->method.high, x->a, x->b);
	m->physical_bound_flop = fg_q_double(x->a);
	/* reference/compute.md §5–6: kWh = chips × TDP × server overhead ×
	 * PUE × hours / 1000, and chips × hours = chip-hours. */
	if (acc->tdp_watts > 0)
		m->energy_kwh = m->chip_hours * acc->tdp_watts *
				run->server_overhead * run->pue / 1000.0;
}

static void reported(const fg_estimate_input *in, scratch *x)
{
	int has_range = in->flop_low != in->flop || in->flop_high != in->flop;

	fg_q_set(x->a, in->exact.flop, in->flop);
	if (in->exact.flop_low && in->exact.flop_high)
		has_range = fg_exact_cmp(in->exact.flop_low,
					 in->exact.flop) != 0 ||
			    fg_exact_cmp(in->exact.flop_high,
					 in->exact.flop) != 0;
	if (has_range || in->method == FG_METHOD_MEASURED) {
		fg_q_set(x->method.low, in->exact.flop_low, in->flop_low);
		mpq_set(x->method.central, x->a);
		fg_q_set(x->method.high, in->exact.flop_high, in->flop_high);
	} else {
		/* A declared figure without a range is held to the same error
		 * margin as an estimate (GPAI guidelines, Annex A.2). */
		margin(&x->method, x->a);
	}
}

/* Estimates one method into m (doubles) and x->method (exact); x->cluster
 * is its cluster peak (0 when it has none). */
static void estimate_method(fg_method_estimate *m,
			    const fg_estimate_input *in, const fg_run *run,
			    scratch *x)
{
	memset(m, 0, sizeof(*m));
	m->input = in;
	m->method = in->method;
	mpq_set_ui(x->cluster, 0, 1);
	switch (in->method) {
	case FG_METHOD_ARCHITECTURE:
		architecture(m, in, x);
		break;
	case FG_METHOD_HARDWARE:
		hardware(m, in, run, x);
		break;
	default:
		reported(in, x);
		break;
	}
	m->flop = fg_qrange_double(&x->method);
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

/* FG_ESTIMATE_TOLERANCE in per cent, exactly. */
#define TOLERANCE_PERCENT 30

/* GPAI guidelines, Annex A.2: an estimate is acceptable "within an overall
 * error margin of 30%"; two methods further apart than that cannot both
 * be right, so the reader is told which ones and by how much.  The
 * difference is relative to the stronger evidence (methods are listed in
 * evidence order), the figure the phase's central value trusts, and it
 * is held against 30 % exactly: 1.3 x 10^25 against 10^25 is 30 %, not
 * more. */
static int disagreements(fg_run_estimate *est, const fg_phase_estimate *ph,
			 scratch *x, fg_error *err)
{
	char a[FG_FIGURE_SIZE], b[FG_FIGURE_SIZE], rel[FG_RELATION_SIZE];
	size_t i, j;

	for (i = 0; i < ph->method_count; i++) {
		for (j = 0; j < ph->method_count; j++) {
			const fg_method_estimate *strong = &ph->methods[i];
			const fg_method_estimate *weak = &ph->methods[j];

			if (strong->method >= weak->method ||
			    !(strong->flop.central > 0))
				continue;
			fg_q_set(x->chips, strong->exact.central,
				 strong->flop.central);
			fg_q_set(x->cluster, weak->exact.central,
				 weak->flop.central);
			/* x->a = |weak - strong| / strong, in % */
			mpq_sub(x->a, x->cluster, x->chips);
			mpq_abs(x->a, x->a);
			mpq_div(x->a, x->a, x->chips);
			mpz_mul_ui(mpq_numref(x->a), mpq_numref(x->a), 100);
			mpq_canonicalize(x->a);
			mpq_set_ui(x->b, TOLERANCE_PERCENT, 1);
			if (mpq_cmp(x->a, x->b) <= 0)
				continue;
			if (add_warning(est, err,
					"phase `%s`: the %s estimate (%s) "
					"differs from the %s estimate (%s) by "
					"more than the %d %% margin the GPAI "
					"guidelines allow (%s)",
					ph->phase->name,
					fg_method_name(weak->method),
					fg_q_figure(a, sizeof(a), x->cluster,
						    FG_UNIT_FLOP),
					fg_method_name(strong->method),
					fg_q_figure(b, sizeof(b), x->chips,
						    FG_UNIT_FLOP),
					TOLERANCE_PERCENT,
					fg_q_relation(rel, sizeof(rel), x->a,
						      x->b, FG_UNIT_PERCENT,
						      NULL)))
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
			  const fg_run *run, scratch *x, fg_error *err)
{
	size_t i;
	int rc;

	ph->phase = phase;
	ph->methods = calloc(phase->estimate_count, sizeof(*ph->methods));
	if (!ph->methods)
		return oom(err);
	ph->method_count = phase->estimate_count;
	mpq_set_ui(x->phase_cluster, 0, 1);
	for (i = 0; i < phase->estimate_count; i++) {
		fg_method_estimate *m = &ph->methods[i];
		int first = i == 0;

		estimate_method(m, &phase->estimates[i], run, x);
		if ((rc = check_physical(m, run, err)) < 0)
			return rc;
		if (fg_exact_store(&m->exact.central, x->method.central))
			return oom(err);
		/* Envelope: the phase range spans every method's range. */
		if (first || mpq_cmp(x->method.low, x->phase.low) < 0)
			mpq_set(x->phase.low, x->method.low);
		if (first || mpq_cmp(x->method.high, x->phase.high) > 0)
			mpq_set(x->phase.high, x->method.high);
		/* Central value: the strongest evidence present. */
		if (first || m->method < ph->central_method) {
			ph->central_method = m->method;
			mpq_set(x->phase.central, x->method.central);
		}
		ph->chip_hours += m->chip_hours;
		ph->seconds += m->seconds;
		ph->energy_kwh += m->energy_kwh;
		if (mpq_cmp(x->cluster, x->phase_cluster) > 0)
			mpq_set(x->phase_cluster, x->cluster);
		if (m->method == FG_METHOD_ARCHITECTURE)
			ph->flop_per_token = m->flop_per_token;
	}
	ph->flop = fg_qrange_double(&x->phase);
	ph->cluster_peak_flops = fg_q_double(x->phase_cluster);
	if (fg_qrange_store(&ph->exact.flop, &x->phase) ||
	    (mpq_sgn(x->phase_cluster) &&
	     fg_exact_store(&ph->exact.cluster_peak_flops, x->phase_cluster)))
		return oom(err);
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

/* q = the compute of progress point p, exactly. */
static void point_q(mpq_t q, const fg_progress *p)
{
	fg_q_set(q, p->exact.flop, p->flop);
}

double fg_estimate_crossing_q(const fg_run_estimate *estimate,
			      const mpq_t flop)
{
	const fg_run *run = estimate ? estimate->run : NULL;
	const fg_progress *p;
	double prev_at, at = -1;
	mpq_t prev, cur, t;
	size_t i;

	if (!run || run->progress_count == 0 || mpq_sgn(flop) <= 0)
		return -1;
	mpq_inits(prev, cur, t, NULL);
	/* Before the first point, the line to it from dates.start (0 FLOP
	 * then); with no start date, the first point is the best bound. */
	if (run->start != FG_DATE_NONE &&
	    (double)run->start * 86400.0 < run->progress[0].at) {
		prev_at = (double)run->start * 86400.0;
	} else {
		prev_at = run->progress[0].at;
		point_q(prev, &run->progress[0]);
		if (mpq_cmp(flop, prev) <= 0) {
			at = prev_at;
			goto done;
		}
	}
	for (i = 0; i < run->progress_count; i++) {
		p = &run->progress[i];
		point_q(cur, p);
		if (mpq_cmp(flop, cur) <= 0) {
			/* between two points, linearly, exactly: prev_at +
			 * (flop - prev) / (cur - prev) x (p->at - prev_at) */
			if (mpq_equal(cur, prev)) {
				at = prev_at;
				goto done;
			}
			mpq_sub(t, flop, prev);
			mpq_sub(cur, cur, prev);
			mpq_div(t, t, cur);
			mpq_set_d(cur, p->at - prev_at); /* whole seconds */
			fg_q_mul(t, t, cur);
			at = prev_at + fg_q_double(t);
			goto done;
		}
		prev_at = p->at;
		mpq_set(prev, cur);
	}
	/* Beyond the last point: a running run at its recent rate; a
	 * completed run has stopped, so it never gets there. */
	if (run->status == FG_STATUS_RUNNING &&
	    estimate->flop_per_second > 0) {
		mpq_sub(t, flop, prev);
		at = prev_at + fg_q_double(t) / estimate->flop_per_second;
	}
done:
	mpq_clears(prev, cur, t, NULL);
	return at;
}

double fg_run_estimate_crossing(const fg_run_estimate *estimate,
				double flop)
{
	mpq_t q;
	double at;

	mpq_init(q);
	fg_q_set_double(q, flop);
	at = fg_estimate_crossing_q(estimate, q);
	mpq_clear(q);
	return at;
}

/* ---- one run ----------------------------------------------------------- */

void fg_estimate_plan_q(fg_qrange *sum, const fg_run_estimate *estimate,
			unsigned kinds_mask, fg_qrange *tmp)
{
	size_t i;

	mpq_set_ui(sum->low, 0, 1);
	mpq_set_ui(sum->central, 0, 1);
	mpq_set_ui(sum->high, 0, 1);
	for (i = 0; estimate && i < estimate->phase_count; i++) {
		const fg_phase_estimate *ph = &estimate->phases[i];

		if (!(kinds_mask & FG_KIND_BIT(ph->phase->kind)))
			continue;
		if (ph->exact.flop.low && ph->exact.flop.central &&
		    ph->exact.flop.high) {
			/* straight from the figures, no copy */
			mpq_add(sum->low, sum->low, ph->exact.flop.low->q);
			mpq_add(sum->central, sum->central,
				ph->exact.flop.central->q);
			mpq_add(sum->high, sum->high, ph->exact.flop.high->q);
			continue;
		}
		fg_qrange_set(tmp, &ph->exact.flop, ph->flop);
		fg_qrange_add(sum, tmp);
	}
}

int fg_estimate_measured_q(mpq_t floor, const fg_run_estimate *estimate,
			   unsigned kinds_mask, mpq_t tmp)
{
	const fg_run *run = estimate ? estimate->run : NULL;
	size_t i;

	mpq_set_ui(floor, 0, 1);
	if (!run || run->progress_count == 0)
		return 0;
	fg_q_set(floor, run->progress[run->progress_count - 1].exact.flop,
		 run->progress[run->progress_count - 1].flop);
	/* Progress measures every phase.  Of it, the kinds not counted can
	 * have used at most their high ends; the rest is counted. */
	for (i = 0; i < estimate->phase_count; i++) {
		const fg_phase_estimate *ph = &estimate->phases[i];

		if (kinds_mask & FG_KIND_BIT(ph->phase->kind))
			continue;
		fg_q_set(tmp, ph->exact.flop.high, ph->flop.high);
		mpq_sub(floor, floor, tmp);
	}
	if (mpq_sgn(floor) < 0)
		mpq_set_ui(floor, 0, 1);
	return mpq_sgn(floor) > 0;
}

int fg_estimate_cumulative_q(fg_qrange *sum, const fg_run_estimate *estimate,
			     unsigned kinds_mask, fg_qrange *tmp)
{
	int raised = 0;

	fg_estimate_plan_q(sum, estimate, kinds_mask, tmp);
	/* DESIGN: measured is the strongest evidence.  Compute already
	 * used is a lower bound of the run's compute, so no end of the
	 * range is below it (AI Act Art. 52(1): the requirement "is met"
	 * once it was used; SB 53 §22757.11(i): "trained using"; Korea:
	 * "or more"). */
	if (!fg_estimate_measured_q(tmp->low, estimate, kinds_mask,
				    tmp->high))
		return 0;
	if (mpq_cmp(sum->low, tmp->low) < 0)
		mpq_set(sum->low, tmp->low);
	if (mpq_cmp(sum->central, tmp->low) < 0) {
		mpq_set(sum->central, tmp->low);
		raised = 1;
	}
	if (mpq_cmp(sum->high, tmp->low) < 0)
		mpq_set(sum->high, tmp->low);
	return raised;
}

fg_range fg_run_estimate_cumulative(const fg_run_estimate *estimate,
				    unsigned kinds_mask)
{
	fg_qrange sum, tmp;
	fg_range r;

	fg_qrange_init(&sum);
	fg_qrange_init(&tmp);
	fg_estimate_cumulative_q(&sum, estimate, kinds_mask, &tmp);
	r = fg_qrange_double(&sum);
	fg_qrange_clear(&sum);
	fg_qrange_clear(&tmp);
	return r;
}

/* The run's cost (the phases' costs, exactly) and cluster peak (the
 * largest phase's); the doubles beside them. */
static int exact_totals(fg_run_estimate *est, scratch *x)
{
	size_t i;
	int any_cost = 0;

	mpq_set_ui(x->a, 0, 1);
	mpq_set_ui(x->cluster, 0, 1);
	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *ph = &est->phases[i];

		if (ph->phase->cost_usd >= 0) {
			fg_q_set(x->b, ph->phase->exact.cost_usd,
				 ph->phase->cost_usd);
			mpq_add(x->a, x->a, x->b);
			any_cost = 1;
		}
		fg_q_set(x->b, ph->exact.cluster_peak_flops,
			 ph->cluster_peak_flops);
		if (mpq_cmp(x->b, x->cluster) > 0)
			mpq_set(x->cluster, x->b);
	}
	est->cost_usd = any_cost ? fg_q_double(x->a) : -1;
	est->cluster_peak_flops = fg_q_double(x->cluster);
	if ((any_cost && fg_exact_store(&est->exact.cost_usd, x->a)) ||
	    (mpq_sgn(x->cluster) &&
	     fg_exact_store(&est->exact.cluster_peak_flops, x->cluster)))
		return FG_ENOMEM;
	return 0;
}

static void totals(fg_run_estimate *est)
{
	const fg_run *run = est->run;
	fg_date end;
	size_t i;

	est->measured_flop = -1;
	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *ph = &est->phases[i];

		est->chip_hours += ph->chip_hours;
		est->seconds += ph->seconds;
		est->energy_kwh += ph->energy_kwh;
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

/* A run that has used more than it planned: its figures are raised to
 * what was measured (fg_estimate_cumulative_q); say so, with both. */
static int measured_above_plan(fg_run_estimate *est, scratch *x,
			       fg_error *err)
{
	const fg_run *run = est->run;
	char rel[FG_RELATION_SIZE], at[16];

	if (!run->progress_count)
		return 0;
	fg_estimate_plan_q(&x->phase, est, FG_KIND_ALL, &x->method);
	fg_estimate_measured_q(x->a, est, FG_KIND_ALL, x->b);
	if (mpq_cmp(x->a, x->phase.central) <= 0)
		return 0;
	return add_warning(est, err,
			   "measured progress by %s is above the planned "
			   "central estimate (%s): the run's compute is "
			   "counted as at least what was measured",
			   fg_date_format(fg_date_of_timestamp(
				   run->progress[run->progress_count - 1].at),
					  at),
			   fg_q_relation(rel, sizeof(rel), x->a,
					 x->phase.central, FG_UNIT_FLOP,
					 NULL));
}

int fg_run_estimate_compute(fg_run_estimate **out, const fg_run *run,
			    fg_error *err)
{
	fg_run_estimate *est = calloc(1, sizeof(*est));
	scratch x;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!est)
		return oom(err);
	scratch_init(&x);
	est->run = run;
	if (run->phase_count &&
	    !(est->phases = calloc(run->phase_count, sizeof(*est->phases)))) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < run->phase_count; i++) {
		est->phase_count++;
		if ((rc = estimate_phase(&est->phases[i], &run->phases[i], run,
					 &x, err)) ||
		    (rc = disagreements(est, &est->phases[i], &x, err)))
			goto done;
	}
	if ((rc = exact_totals(est, &x))) {
		oom(err);
		goto done;
	}
	totals(est);
	if ((rc = measured_above_plan(est, &x, err)))
		goto done;
	*out = est;
	est = NULL;
done:
	scratch_clear(&x);
	fg_run_estimate_free(est);
	return rc;
}

void fg_run_estimate_free(fg_run_estimate *estimate)
{
	size_t i, j;

	if (!estimate)
		return;
	for (i = 0; i < estimate->phase_count; i++) {
		for (j = 0; j < estimate->phases[i].method_count; j++)
			fg_exact_free(estimate->phases[i].methods[j]
					      .exact.central);
		free(estimate->phases[i].methods);
		fg_exact_range_clear(&estimate->phases[i].exact.flop);
		fg_exact_free(estimate->phases[i].exact.cluster_peak_flops);
	}
	free(estimate->phases);
	for (i = 0; i < estimate->warning_count; i++)
		free(estimate->warnings[i]);
	free(estimate->warnings);
	fg_exact_free(estimate->exact.cost_usd);
	fg_exact_free(estimate->exact.cluster_peak_flops);
	free(estimate);
}
