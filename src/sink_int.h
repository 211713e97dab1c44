/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the pipeline's side of sinks (not public API): what the
 * library's own sinks (renderers, recorder, progress) are handed, the
 * result document as jansson values, and the calls fg_check makes.
 * include/flopgate/sink.h is the public side: a program's own sink gets
 * the same document as JSON text (fg_sink_new_callbacks). */
#ifndef FLOPGATE_SINK_INT_H
#define FLOPGATE_SINK_INT_H

#include <stddef.h>
#include <jansson.h>

#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/rules.h"
#include "flopgate/sink.h"

/* What every sink learns before the first run. */
typedef struct fg_check_info {
	int evaluate;               /* 0: estimates only (estimate) */
	const fg_ruleset_set *set;  /* the rules; NULL for estimates */
	/* The document's head (flopgate/result.h): "flopgate", "as_of",
	 * "evaluation_id", "actor", "rulesets" with each rule's static facts.
	 * Borrowed; the recorder's begin sets evaluation_id in it. */
	json_t *head;
	fg_date as_of;
	fg_fail_on fail_on;
	const char *actor;          /* may be NULL */
	long long evaluation_id;    /* -1 until a recorder sets it */
	unsigned long long total_bytes; /* of the input, 0 when not known */
} fg_check_info;

typedef struct fg_check_forms fg_check_forms;

/* One run's result.  Everything is borrowed for the call. */
typedef struct fg_check_result {
	size_t index;               /* 0 for the first run */
	const fg_run *run;
	const fg_run_estimate *estimate;
	const fg_run_findings *findings; /* NULL for estimates */
	/* the run's other forms, made when a sink first asks for them
	 * (fg_check_result_json, fg_check_result_document) */
	fg_check_forms *forms;
	unsigned long long bytes_read; /* of the input so far */
} fg_check_result;

/* The RUN object (flopgate/result.h) as compact JSON text, keys in the
 * document's order (fg_result_write_run), NUL-terminated; *length its
 * bytes.  Written the first time a sink of the run asks, then shared.
 * Borrowed for the call; NULL when out of memory. */
const char *fg_check_result_json(const fg_check_result *r, size_t *length);

/* That text when a sink of the run has asked for it already, else NULL
 * (nothing is written): a sink that can use it or write its own form
 * directly, whichever is cheaper. */
const char *fg_check_result_json_made(const fg_check_result *r,
				      size_t *length);

/* The RUN object as a jansson tree, for the sinks that walk one: built
 * the first time a sink of the run asks, then shared.  Borrowed for the
 * call; NULL when out of memory. */
const json_t *fg_check_result_document(const fg_check_result *r);

typedef struct fg_sink_ops {
	int (*begin)(void *self, fg_check_info *info, fg_error *err);
	int (*run)(void *self, const fg_check_info *info,
		   const fg_check_result *result, fg_error *err);
	int (*end)(void *self, const fg_check_info *info,
		   const fg_check_summary *summary, fg_error *err);
	int (*commit)(void *self, fg_error *err);
	void (*abort)(void *self, const fg_error *why);
	void (*free)(void *self);
	int records;        /* 1 for the recorder: committed before the
			     * outputs */
} fg_sink_ops;

/* A sink over ops (any may be NULL: nothing to do) and self, which
 * ops->free releases with the sink.  NULL when out of memory (self is
 * then freed). */
fg_sink *fg_sink_new(const fg_sink_ops *ops, void *self);

/* For the pipeline; each returns 0 or a negative FG_E* code in err. */
int fg_sink_begin(fg_sink *sink, fg_check_info *info, fg_error *err);
int fg_sink_run(fg_sink *sink, const fg_check_info *info,
		const fg_check_result *result, fg_error *err);
int fg_sink_end(fg_sink *sink, const fg_check_info *info,
		const fg_check_summary *summary, fg_error *err);
int fg_sink_commit(fg_sink *sink, fg_error *err);
int fg_sink_records(const fg_sink *sink);

#endif
