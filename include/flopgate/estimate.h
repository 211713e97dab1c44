/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — training compute estimates with uncertainty ranges.
 *
 * Every estimate yields [low, central, high]:
 *   architecture  C = fpt·N·D·epochs; range ±30 % around it, the error
 *                 margin the Commission's GPAI guidelines (Annex A.2) allow
 *   hardware      chips x time x dense peak x utilization, over the
 *                 utilization range (include/flopgate/run.h: a declared
 *                 band, a single value ±30 %, or the catalog's band); the
 *                 dense peak itself (utilization 1.0) is the physical
 *                 bound the compute cannot exceed, reported apart, never
 *                 as the high end
 *   declared      as given (a range when the file gives one, else ±30 %)
 *   measured      as given (a range when the file gives one, else exact)
 * A phase's central value comes from its strongest evidence (measured >
 * declared > architecture > hardware); its range is the envelope of all its
 * estimates.  Methods whose central values differ by more than 30 % give a
 * warning naming both.
 *
 * A run's measured progress (run.h: running or completed runs) is compute
 * already used, the strongest evidence there is: no end of a cumulative
 * figure (total, fg_run_estimate_cumulative) is below the last point,
 * exactly.  Over some phase kinds only, it proves the last point less the
 * most the other kinds' phases can have used (their high ends).  A run
 * measured above its plan gets a warning that says so.
 *
 * Everything that can decide an outcome is computed exactly from the run's
 * exact figures (include/flopgate/run.h): the ±30 % margin is x 7/10 and
 * x 13/10, products and sums are rational, and a phase's range, a run's
 * cost and its cluster peak keep exact twins in their `exact` members
 * (owned by the estimate).  The doubles are the nearest doubles of those
 * figures; the disagreement warnings, energy and time are worked in
 * doubles, as nothing is decided on them.
 */
#ifndef FLOPGATE_ESTIMATE_H
#define FLOPGATE_ESTIMATE_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Commission's GPAI guidelines, Annex A.2: an estimate must be accurate
 * "within an overall error margin of 30%". */
#define FG_ESTIMATE_TOLERANCE 0.30

/* The largest training compute an estimate may come to: 10^40 FLOP is
 * more than every chip on Earth today (~10^21 FLOP/s together) could
 * compute running since the Big Bang (4.4 × 10^17 s: ~4 × 10^38 FLOP).
 * A figure above it, or one that overflows a double, is an input error
 * (a unit slip, 1e200 for 1e20), never a number to record. */
#define FG_FLOP_MAX 1e40

typedef struct fg_range {
	double low, central, high;
} fg_range;

typedef struct fg_method_estimate {
	const fg_estimate_input *input; /* borrowed from the run */
	fg_method method;
	fg_range flop;
	double chip_hours;          /* hardware only, else 0 */
	double seconds;             /* hardware with a duration, else 0 */
	double peak_flops;          /* hardware: largest chips x dense peak
				     * at the run's precision, else 0 */
	double cluster_peak_flops;  /* hardware: largest chips x the highest
				     * dense peak over the chip's number
				     * formats (EO 14110 §4.2(b)(ii)), else
				     * 0 */
	double physical_bound_flop; /* hardware: chips x time x dense peak
				     * (utilization 1.0), the most the run
				     * could have computed; else 0 */
	double energy_kwh;          /* hardware with TDP, else 0 */
	double flop_per_token;      /* architecture: fpt·N_active·epochs */
	struct {
		fg_exact *central;      /* flop.central exactly; owned */
	} exact;
} fg_method_estimate;

typedef struct fg_phase_estimate {
	const fg_phase *phase;      /* borrowed */
	fg_range flop;
	fg_method central_method;   /* where the central value came from */
	fg_method_estimate *methods;
	size_t method_count;
	double chip_hours, seconds, energy_kwh;
	double cluster_peak_flops;  /* the largest method's, 0 if none */
	double flop_per_token;      /* 0 when no architecture estimate */
	struct {
		fg_exact_range flop;         /* flop, exactly */
		fg_exact *cluster_peak_flops; /* NULL when 0 */
	} exact;
} fg_phase_estimate;

typedef struct fg_run_estimate {
	const fg_run *run;          /* borrowed */
	fg_phase_estimate *phases;
	size_t phase_count;
	fg_range total;             /* every phase kind */
	double chip_hours, seconds, energy_kwh;
	double cost_usd;            /* sum of phase costs; < 0 if none given */
	double cluster_peak_flops;  /* largest over phases */
	double flop_per_token;      /* of the first phase that has one */
	char **warnings;            /* owned, human sentences */
	size_t warning_count;
	/* Progress (running or completed runs with progress:) */
	double measured_flop;       /* last progress point, < 0 if none */
	double flop_per_second;     /* recent rate, 0 if unknown */
	struct {
		fg_exact *cost_usd;           /* NULL when none given */
		fg_exact *cluster_peak_flops; /* NULL when 0 */
	} exact;
} fg_run_estimate;

/* Estimates a run.  On error *out is NULL. */
FG_API int fg_run_estimate_compute(fg_run_estimate **out, const fg_run *run,
				   fg_error *err);
FG_API void fg_run_estimate_free(fg_run_estimate *estimate);

/* Compute summed over the phases whose kind bit is set in kinds_mask
 * (FG_KIND_BIT(k) | ...).  Ranges add endpoint by endpoint, exactly, and
 * are raised to what measured progress proves (above); the doubles
 * returned are the nearest to the exact figures. */
FG_API fg_range fg_run_estimate_cumulative(const fg_run_estimate *estimate,
					   unsigned kinds_mask);

/* Seconds since the epoch at which measured progress reaches flop: the
 * exact linear crossing between two points (from 0 FLOP at dates.start
 * before the first), or beyond the last point at the recent rate for a
 * running run.  < 0 when it cannot be told (no progress; rate 0; a
 * completed run that never got there). */
FG_API double fg_run_estimate_crossing(const fg_run_estimate *estimate,
				       double flop);

#ifdef __cplusplus
}
#endif

#endif
