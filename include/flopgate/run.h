/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — run files: the model of one training run.
 *
 * A run file holds one run, or many as a YAML stream.  The loader checks
 * every key, type and quantity (FILE:LINE:COL on error) and resolves
 * accelerator ids against the catalog, so an fg_run is always well formed.
 *
 * The structs are read-only views: fg_run_list_free() releases everything.
 * They are plain structs rather than opaque handles because every later
 * stage (estimate, evaluate, render) reads most of their fields; hiding
 * them behind one accessor per field would add code and no safety.
 *
 * Every figure that can reach a legal line has an exact twin in the
 * struct's `exact` member (include/flopgate/exact.h): the number as
 * written, owned by the run list.  The doubles beside them are the
 * nearest doubles, for display and for the estimator's warnings.  The
 * loader always fills the twins; in a run built by hand through the C API
 * they may be NULL, and the doubles then stand for themselves.
 */
#ifndef FLOPGATE_RUN_H
#define FLOPGATE_RUN_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>
#include "flopgate/error.h"
#include "flopgate/exact.h"
#include "flopgate/hardware.h"
#include "flopgate/quantity.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	FG_KIND_PRETRAINING, FG_KIND_CONTINUED_PRETRAINING,
	FG_KIND_FINE_TUNING, FG_KIND_RL, FG_KIND_SYNTHETIC_DATA,
	FG_KIND_DISTILLATION, FG_KIND_OTHER, FG_KIND_COUNT
} fg_phase_kind;
#define FG_KIND_BIT(k) (1u << (k))
#define FG_KIND_ALL ((1u << FG_KIND_COUNT) - 1u)

/* "pretraining", "continued_pretraining", ... */
FG_API const char *fg_phase_kind_name(fg_phase_kind kind);
FG_API int fg_phase_kind_parse(fg_phase_kind *out, const char *name);

/* Listed strongest evidence first: a phase's central value comes from the
 * first method present in this order. */
typedef enum {
	FG_METHOD_MEASURED, FG_METHOD_DECLARED, FG_METHOD_ARCHITECTURE,
	FG_METHOD_HARDWARE, FG_METHOD_COUNT
} fg_method;
FG_API const char *fg_method_name(fg_method method);

typedef enum { FG_STATUS_PLANNED, FG_STATUS_RUNNING, FG_STATUS_COMPLETED }
	fg_run_status;
FG_API const char *fg_run_status_name(fg_run_status status);

/* Where a hardware estimate's utilization range came from. */
typedef enum {
	FG_UTIL_CATALOG,            /* none given: the catalog's band */
	FG_UTIL_POINT,              /* one value, ±30 % */
	FG_UTIL_BAND                /* [low, high] as declared */
} fg_utilization_basis;
/* "catalog", "point", "band". */
FG_API const char *fg_utilization_basis_name(fg_utilization_basis basis);

typedef struct fg_period {
	double count;           /* chips */
	double seconds;
	struct {
		fg_exact *count, *seconds;
	} exact;
} fg_period;

typedef struct fg_estimate_input {
	fg_method method;
	int line, column;       /* of the estimate in the file */
	/* architecture: C = fpt * N_active * D * epochs */
	double parameters;
	double active_parameters;   /* = parameters unless given (MoE) */
	double tokens;
	double flop_per_parameter_token; /* default 6 */
	double epochs;              /* default 1 */
	/* hardware: C = chips * seconds * peak * utilization */
	const fg_accelerator *accelerator;  /* borrowed from the catalog */
	fg_precision precision;     /* default bf16 */
	double count;               /* chips; 0 with periods, or with
				       chip_hours given alone */
	double seconds;             /* duration; with count + chip_hours it
				       is derived (chip_hours / count); 0
				       with periods or chip_hours alone */
	double chip_hours;          /* 0 unless given */
	fg_period *periods;
	size_t period_count;
	/* The utilization range is the hardware estimate's range:
	 *   [low, high] declared    as given, centred on its midpoint;
	 *   a single value u        a point estimate with the ±30 % margin
	 *                           any declared figure gets (GPAI
	 *                           guidelines Annex A.2): [0.7u, 1.3u],
	 *                           the high end never above 1.0;
	 *   none                    the catalog's plausible band (0.20-0.55,
	 *                           central 0.35).
	 * Utilization 1.0 (the dense peak) is the physical bound, reported
	 * apart from the range (fg_method_estimate.physical_bound_flop). */
	double utilization_low, utilization, utilization_high;
	fg_utilization_basis utilization_basis;
	int utilization_given;      /* 0: catalog default was used */
	/* declared / measured */
	double flop;                /* central */
	double flop_low, flop_high; /* == flop unless a range was given */
	char *source;               /* may be NULL */
	/* The figures above exactly; defaults (6, 1, active = all) and
	 * derived ones (seconds = chip_hours / count) exact too. */
	struct {
		fg_exact *parameters, *active_parameters, *tokens;
		fg_exact *flop_per_parameter_token, *epochs;
		fg_exact *count, *seconds, *chip_hours;
		fg_exact *utilization_low, *utilization, *utilization_high;
		fg_exact *flop, *flop_low, *flop_high;
	} exact;
} fg_estimate_input;

typedef struct fg_phase {
	char *name;
	fg_phase_kind kind;
	double cost_usd;            /* < 0 when not given */
	int line, column;
	fg_estimate_input *estimates;
	size_t estimate_count;
	struct {
		fg_exact *cost_usd;     /* NULL when not given */
	} exact;
} fg_phase;

/* Where a node was written (1-based; 0 when the run was not read from a
 * file, as a ruleset's compact test runs). */
typedef struct fg_position {
	int line, column;
} fg_position;

/* A run attribute ({generative: true, modalities: [text, image]}):
 * scalars become one value, lists several; booleans are "true"/"false".
 * The loader checks only the shape: which keys and values are known is
 * for the loaded rulesets to say (fg_ruleset_set_check_run).  Keys that
 * begin with "x-" are the team's own information, never read by a rule. */
typedef struct fg_attribute {
	char *key;
	char **values;
	size_t value_count;
	int is_list;                /* written as a list */
	fg_position at;             /* of the key */
	fg_position *value_at;      /* per value; may be NULL */
} fg_attribute;

/* A point of measured progress: the compute the run has used by a
 * moment.  A running run carries them, and a completed run may keep them
 * (they date the day it crossed a line; issue 8 item 4); a planned run
 * has used nothing.  Measured compute is the strongest evidence (DESIGN):
 * the estimate never puts the run's compute below the last point
 * (include/flopgate/estimate.h). */
typedef struct fg_progress {
	double at;                  /* seconds since the epoch, UTC */
	double flop;                /* cumulative measured so far */
	struct {
		fg_exact *flop;         /* flop as written; owned */
	} exact;
} fg_progress;

typedef struct fg_run {
	char *id;                   /* [A-Za-z0-9._-]{1,128} */
	char *model, *developer;    /* may be NULL */
	fg_run_status status;
	char **jurisdictions;       /* valid codes, upper-cased
				     * (flopgate/jurisdiction.h); none: the
				     * run says it is placed nowhere */
	size_t jurisdiction_count;
	fg_date start, end, placed_on_market, threshold_known, planned_end;
	double annual_revenue_usd;  /* < 0 when not given */
	char *established_in;       /* organization.established_in: a valid
				     * jurisdiction code, NULL when not given */
	fg_position established_in_at;
	fg_attribute *attributes;
	size_t attribute_count;
	/* base_model: present only when this run modifies someone's model */
	int has_base_model;
	char *base_model_id;
	double base_model_flop;     /* < 0 when unknown */
	int base_model_systemic_risk; /* -1 unknown, 0 no, 1 yes */
	/* 1: the base model is the provider's own (base_model.same_provider:
	 * true), so this run continues its lifecycle and the base model's
	 * compute counts cumulatively (GPAI guidelines para 22); 0: someone
	 * else's model, so this run is a downstream modification (paras
	 * 59-63).  0 without a base model. */
	int base_model_same_provider;
	fg_phase *phases;
	size_t phase_count;
	fg_progress *progress;
	size_t progress_count;
	/* energy: kWh = chips x TDP x overhead x PUE x hours / 1000 */
	double pue;                 /* default 1.14 */
	double server_overhead;     /* default 1.82 */
	struct {
		fg_exact *annual_revenue_usd; /* NULL when not given */
		fg_exact *base_model_flop;    /* NULL when unknown */
	} exact;
	/* where it came from */
	char *file;
	int line, column;           /* of the `run:` key */
	int compute_line, compute_column; /* of `phases:`, for SARIF */
	int id_line, id_column;     /* of the id's value */
	char *input_text;           /* the exact YAML document text */
	size_t input_length;
	char input_sha256[65];      /* hex SHA-256 of input_text */
} fg_run;

typedef struct fg_run_list {
	fg_run *runs;
	size_t count;
} fg_run_list;

/* Loads every run of a file (one document or a stream).  A file with no
 * run in it is bad input.  Run ids must be unique within the file.
 * Accelerator ids are resolved against catalog; an unknown one is an error
 * listing the nearest ids.  On error *out is NULL. */
FG_API int fg_run_list_load(fg_run_list **out, const char *path,
			    const fg_catalog *catalog, fg_error *err);
/* Same, from text in memory; name stands for the file in errors and in
 * fg_run.file.  (For tests, and for input that is not a file.) */
FG_API int fg_run_list_load_string(fg_run_list **out, const char *name,
				   const char *text, size_t length,
				   const fg_catalog *catalog, fg_error *err);
/* ---- a stream of runs, one at a time ------------------------------------ */

/* The name standard input goes by in errors and in fg_run.file. */
#define FG_RUN_STDIN "<stdin>"

typedef struct fg_run_reader fg_run_reader;

/* Opens a run file (one document or a stream of them) for reading one run
 * at a time; path "-" reads standard input.  Limits apply to each
 * document (flopgate/yaml.h), so a stream of any length is read in the
 * memory of one run.  Run ids are not compared here: a reader knows one
 * run at a time (the pipeline, flopgate/check.h, refuses duplicates
 * across all its inputs).  On error *out is NULL. */
FG_API int fg_run_reader_open(fg_run_reader **out, const char *path,
			      const fg_catalog *catalog, fg_error *err);

/* The next run, owned by the caller (fg_run_free).  Returns 1, 0 at the
 * end (a source that held no run at all is FG_EINPUT, "no runs in
 * FILE", instead), or a negative code with err at FILE:LINE:COL. */
FG_API int fg_run_reader_next(fg_run_reader *reader, fg_run **out,
			      fg_error *err);

/* Bytes read so far and the source's size (0 when not known). */
FG_API uint64_t fg_run_reader_offset(const fg_run_reader *reader);
FG_API uint64_t fg_run_reader_size(const fg_run_reader *reader);

FG_API void fg_run_reader_free(fg_run_reader *reader);  /* NULL-safe */
FG_API void fg_run_free(fg_run *run);                   /* NULL-safe */

/* Appends the runs of another list, taking them over (src is freed).
 * Fails with FG_EINPUT on a duplicate id, leaving both lists intact. */
FG_API int fg_run_list_merge(fg_run_list *dst, fg_run_list *src, fg_error *err);
FG_API void fg_run_list_free(fg_run_list *list);

/* 1 when the run modifies another provider's model: it declares a
 * base_model that is not its provider's own (base_model.same_provider is
 * not true).  GPAI guidelines paras 59-63 judge such a run by what the
 * modification adds; the provider's own continued training is the same
 * model (para 22) and counts cumulatively. */
FG_API int fg_run_modifies_other_provider(const fg_run *run);
/* 1 when the run continues its provider's own base model. */
FG_API int fg_run_continues_own_model(const fg_run *run);

/* Values of an attribute, NULL when the run does not carry it. */
FG_API const fg_attribute *fg_run_attribute(const fg_run *run, const char *key);

/* 1 when a rule for jurisdiction code covers the run: one of the run's
 * codes is covered by it in either direction (fg_jurisdiction_covers: a
 * "US" run is in every "US-XX" rule's scope and a "US-CA" run in every
 * "US" rule's; "EU" and each member state likewise). */
FG_API int fg_run_in_jurisdiction(const fg_run *run, const char *code);

#ifdef __cplusplus
}
#endif

#endif
