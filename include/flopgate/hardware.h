/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the accelerator catalog (rules/hardware.yaml).
 *
 * Dense peak throughput per precision, TDP and a source for every chip.
 * Marketing figures "with sparsity" are twice the dense figure and are never
 * stored here (reference/compute.md §3).
 */
#ifndef FLOPGATE_HARDWARE_H
#define FLOPGATE_HARDWARE_H

#include "flopgate/export.h"

#include <stddef.h>
#include "flopgate/error.h"
#include "flopgate/exact.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	FG_PREC_FP64, FG_PREC_TF32, FG_PREC_BF16, FG_PREC_FP16, FG_PREC_FP8,
	FG_PREC_INT8, FG_PREC_COUNT
} fg_precision;

/* "fp64", "tf32", "bf16", "fp16", "fp8", "int8". */
FG_API const char *fg_precision_name(fg_precision precision);
/* Returns 0 and sets *out, or FG_ENOTFOUND. */
FG_API int fg_precision_parse(fg_precision *out, const char *name);

typedef struct fg_accelerator {
	const char *id;       /* vendor-model, lower case: "nvidia-h100-sxm" */
	const char *name;     /* "NVIDIA H100 SXM5" */
	double peak_flops[FG_PREC_COUNT]; /* dense FLOP/s; 0 = not supported */
	double tdp_watts;     /* 0 = not published */
	const char *source;
	struct {
		/* peak_flops exactly as written (TFLOP/s x 10^12); NULL
		 * where the chip lacks the precision.  Owned by the catalog. */
		fg_exact *peak_flops[FG_PREC_COUNT];
	} exact;
} fg_accelerator;

typedef struct fg_catalog fg_catalog;

/* Loads a catalog file.  On error *out is NULL and err names the place. */
FG_API int fg_catalog_load(fg_catalog **out, const char *path, fg_error *err);
FG_API void fg_catalog_free(fg_catalog *catalog);

FG_API size_t fg_catalog_count(const fg_catalog *catalog);
FG_API const fg_accelerator *fg_catalog_at(const fg_catalog *catalog, size_t i);
/* NULL when id is not in the catalog. */
FG_API const fg_accelerator *fg_catalog_find(const fg_catalog *catalog,
					     const char *id);
/* The ids the writer of an unknown id evidently meant (fg_suggest, with
 * the chips' names as aliases): "h100" -> nvidia-h100-sxm and
 * nvidia-h100-pcie, "tpu v5p" -> google-tpu-v5p, "H100 SXM5" ->
 * nvidia-h100-sxm.  Writes up to max of them to out, in catalog order, and
 * returns how many there are in all (which may exceed max); 0 when none
 * is close, or out of memory.  Strings are borrowed from the catalog. */
FG_API size_t fg_catalog_nearest(const fg_catalog *catalog, const char *id,
				 const char **out, size_t max);

/* Model FLOP utilization assumed when a hardware estimate gives none:
 * central 0.35, plausible band 0.20–0.55 (reference/compute.md §4),
 * unless the catalog file overrides them. */
FG_API void fg_catalog_utilization(const fg_catalog *catalog, double *low,
				   double *central, double *high);
/* The same figures exactly (borrowed from the catalog; the built-in
 * defaults when catalog is NULL).  Any pointer may be NULL. */
FG_API void fg_catalog_utilization_exact(const fg_catalog *catalog,
					 const fg_exact **low,
					 const fg_exact **central,
					 const fg_exact **high);

/* Catalog SHA-256 (hex) of the file text, for provenance. */
FG_API const char *fg_catalog_sha256(const fg_catalog *catalog);

#ifdef __cplusplus
}
#endif

#endif
