/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the result document: one JSON shape for every output.
 *
 * `check --format json` prints it; the text, Markdown, JUnit and SARIF
 * renderers read it; the store keeps each run's part of it verbatim and
 * hashes it into the audit chain, and each ruleset's part (its rules'
 * static facts) once; reports are rendered from the stored copies.  So a
 * report says exactly what was recorded, and a renderer never needs the
 * YAML or the database.
 *
 * The pipeline (flopgate/check.h) writes it run by run: the head (every
 * field before "runs"), one RUN at a time, the gate.  As printed, the
 * head and the gate are indented two spaces a level; each RUN is one
 * line of compact JSON, the bytes the store keeps.
 *
 * Document (fields fixed by DESIGN.md are marked *):
 *
 * { "flopgate"*: "0.1.0", "as_of"*: "YYYY-MM-DD",
 *   "evaluation_id"*: 17 | null,            (check only)
 *   "actor": "alice",                       (check only)
 *   "rulesets"*: [{"id"*, "sha256"*, "title", "jurisdiction", "version",
 *                  "source", "file",
 *                  "rules": [RULE...]}],    (check only)
 *   "runs"*: [RUN...],
 *   "gate"*: {"fail_on"*: "triggered", "passed"*: false,
 *             "failures": 2} }             (check only)
 *
 * RULE = the static facts of a rule, given once for every finding of it:
 *        { "id", "title", "citation", "jurisdiction" (its ruleset's, or
 *          the rule's first), "applies_to": ["EU", ...],
 *          "severity": "blocking"|"warning"|"info", "near": 0.5 | null,
 *          "effective_from", "effective_until": "YYYY-MM-DD" | null,
 *          "transition": {"citation", "placed_before", "comply_by"}
 *                        | null,   (e.g. AI Act Art. 111(3))
 *          "conditions": [{"metric"|"attribute", "op", "threshold",
 *                          "unit", "threshold_exact", "field": true}],
 *                        (the leaves of its condition, in order: each
 *                        line, the threshold exactly as a reduced
 *                        fraction; "field" on run-field leaves)
 *          "obligations": [{"id", "text", "citation" | null,
 *                           "days" | null, "after" | null,
 *                           "not_before": "YYYY-MM-DD" | null,
 *                           "condition": "when_text" | null}] }
 *
 * RUN = { "id"*, "model", "developer", "status", "file", "line",
 *         "column", "compute_line", "compute_column",  (of `phases:`)
 *         "jurisdictions": [..], "input_sha256"*,
 *         "dates": {"start", "end", "placed_on_market", "threshold_known",
 *                   "planned_end": "YYYY-MM-DD" | null},
 *         "annual_revenue_usd": n | null,
 *         "established_in": "DE" | null,     (organization.established_in)
 *         "attributes": {"key": ["value", ...]},
 *         "base_model": {"id", "training_compute_flop" | null,
 *                        "systemic_risk": true|false|null,
 *                        "same_provider": true|false} | null,
 *         "compute"*: COMPUTE, "warnings"*: ["..."],
 *         "findings"*: [FINDING...] }      (findings: check only)
 *
 * COMPUTE = { "training_compute_flop"*: RANGE,   (every phase kind)
 *             "by_kind": {"pretraining": RANGE, ...},  (kinds present)
 *             "chip_hours", "training_seconds", "energy_kwh",
 *             "cost_usd" | null, "cluster_peak_flops", "flop_per_token",
 *             "pue", "server_overhead",
 *             "progress": {"measured_flop", "flop_per_second",
 *                          "at": "timestamp", "points",
 *                          "planned_end": "YYYY-MM-DD" | null,
 *                          "projected_flop_at_planned_end": n | null}
 *                         | null,
 *             "phases": [{"name", "kind", "flop": RANGE,
 *                         "central_method", "cost_usd" | null,
 *                         "chip_hours", "seconds", "energy_kwh",
 *                         "cluster_peak_flops", "flop_per_token",
 *                         "line",
 *                         "methods": [{"method", "flop": RANGE, "line",
 *                            "column",
 *                            ...the inputs: "parameters",
 *                            "active_parameters", "tokens", "epochs",
 *                            "flop_per_parameter_token",
 *                            "flop_per_token" | "accelerator",
 *                            "precision", "count", "seconds",
 *                            "chip_hours", "peak_flops" (at the
 *                            run's precision), "cluster_peak_flops"
 *                            (at the chip's highest dense peak over its
 *                            number formats: EO 14110 §4.2(b)(ii)),
 *                            "dense_peak_flops_per_chip",
 *                            "utilization": RANGE, "utilization_given",
 *                            "utilization_basis": "band" | "point" |
 *                            "catalog", "physical_bound_flop" (chips x
 *                            time x dense peak: what the compute cannot
 *                            exceed, never the range's high end),
 *                            "energy_kwh", "periods": [{"count",
 *                            "seconds"}],
 *                            "source": "..." | null (every method)}]}] }
 * RANGE = {"low", "central", "high"}  (FLOP, full precision)
 *
 * FINDING = what is the run's alone; its rule's static facts are RULE,
 *           joined by "rule" (and each obligation's by "id").  Documents
 *           recorded before schema version 4 carry "ruleset", "title",
 *           "citation", "jurisdiction", "applies_to", "severity", "near",
 *           "effective_from", "effective_until" in every finding, a
 *           transition object and each obligation's text; renderers read
 *           both.
 *           Members marked * are always written.  Any other member is
 *           written only when it says something: one left out is null
 *           ("transition" false, "conditions" and "presumed" []), so a
 *           finding that compares nothing carries no relation, range or
 *           exact figures.  Condition i is the run's against leaf i of
 *           RULE's "conditions", which gives the line: the condition
 *           gives "holds" and, when known, the run's figures; only a line
 *           a fallback drew is written in the condition, whole, with
 *           "fallback": true.  Documents recorded before this spell every
 *           null and every line out; the renderers put the implied
 *           members and the lines back (render_util.c) and read both the
 *           same.
 *           { "rule"*,
 *             "outcome"*: "triggered"|"near"|"clear"|"not_applicable"|
 *                         "indeterminate"|"waived",
 *             "reason": "one sentence: why this outcome",
 *             "metric"*, "op"*, "threshold"*, "value"*,   (the deciding
 *             "relation",                     comparison; null when
 *             "low", "high",                  not_applicable/indeterminate)
 *             "headroom"*,
 *             "value_exact", "threshold_exact",
 *                  "relation": "<" | "==" | ">" — what holds between
 *                  value and threshold, decided exactly by the evaluator
 *                  (10^25 against "> 10^25" is "=="); renderers print it,
 *                  never a relation of their own making.  value_exact and
 *                  threshold_exact are the two figures exactly, reduced
 *                  fractions of decimal integers ("10000000000000000000000000/3",
 *                  "100000000000000000000000001"): value and threshold
 *                  are only the doubles nearest them
 *             "low_exact", "high_exact": the range's ends exactly, as
 *                  value_exact (null where value_exact is)
 *             "decided_by": "central"|"high"|"low" | null,  (the figure
 *                  that decided the outcome: the central estimate, or
 *                  for a near finding the end of the range that reaches
 *                  the line; null without a comparison)
 *             "headroom_tokens": n | null,
 *             "unit": "FLOP"|"op/s"|"USD"|"fraction" | null,  (of value
 *                          and threshold: fg_metric_unit, figure.h)
 *             "headroom_unit": "FLOP"|... | null,  (FLOP for a fraction:
 *                          the modification compute left)
 *             "conditions": [{"value", "relation", "low", "high",
 *                             "holds", "value_exact"}],  (every leaf, in
 *                          the order of RULE's "conditions", --explain;
 *                          relation and the exact figures as above,
 *                          metric leaves with a known value; a fallback
 *                          leaf adds "metric", "op", "threshold",
 *                          "unit", "threshold_exact" and "fallback":
 *                          true).  A renderer states a
 *                          relation with fg_figure_relation on the
 *                          exact figures (figure.h), never on the
 *                          doubles
 *             "presumed": ["general_purpose", ...],  (names a `missing:
 *                          presumed` leaf took as holding because the
 *                          run does not give them)
 *             "known_since": "YYYY-MM-DD" | null,
 *             "known_basis": "declared"|"progress"|"start"|"end"|
 *                            "placed_on_market"|"recorded"|"as_of"|null,
 *             "projected_crossing": "YYYY-MM-DD" | null,  (running runs:
 *                          a crossing still ahead of the as-of date)
 *             "crossed_on": "YYYY-MM-DD" | null,  (one already past)
 *             "transition": true|false,  (the rule's transition covers
 *                          the run and set its dates; the run's
 *                          dates.placed_on_market says when it was
 *                          placed)
 *             "obligations"*: [{"id"*,
 *                              "due"*: "YYYY-MM-DD" | null,
 *                              (a finding that owes nothing -- neither
 *                              triggered nor waived, no date -- gives
 *                              these two alone: transition false, owed
 *                              and owed_reason null, overdue false are
 *                              implied)
 *                              "date_needed": "dates.placed_on_market"
 *                              | null (an owed duty without a due date
 *                              because the run file does not give the
 *                              day it counts from: the key to add),
 *                              "transition": true|false (the transition
 *                              set "due"),
 *                              "owed": true|false|null (null: the
 *                              finding owes nothing, or the condition
 *                              cannot be told),
 *                              "owed_reason": "..." | null,
 *                              "overdue": true|false (due before
 *                              as_of)}],
 *             "waiver": {"reason", "approved_by", "expires"} | null,
 *             "gate_fails"*: true|false }
 *
 * `headroom --format json` prints a document of its own:
 *
 * { "flopgate": "0.1.0", "as_of": "YYYY-MM-DD",
 *   "runs": [{"id", "file", "line",
 *             "training_compute_flop": RANGE,
 *             "flop_per_token": n | null,   (architecture estimates)
 *             "headroom": [HEADROOM...],
 *             "warnings": ["..."]}] }       (the estimate's warnings)
 *
 * HEADROOM = {"rule", "citation", "outcome", "metric", "op", "threshold",
 *             "value", "relation", "low", "high",  (as in a finding)
 *             "headroom": n,                (threshold - value: negative
 *                          once the line is passed)
 *             "headroom_tokens": n | null,  (the same in training tokens,
 *                          architecture estimates only)
 *             "projected_crossing": "YYYY-MM-DD" | null,
 *             "crossed_on": "YYYY-MM-DD" | null}
 *   one per compute rule that applies (or the one --rule names).
 *
 * Numbers are JSON reals printed with 17 significant digits; keys are
 * emitted sorted when hashed (the audit trail), in the order above
 * otherwise.
 */
#ifndef FLOPGATE_RESULT_H
#define FLOPGATE_RESULT_H

#include "flopgate/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* (The document is all this header declares: the library hands it out
 * as JSON text, from fg_check_json (flopgate/check.h) and to a program's
 * own sink (fg_run_result, flopgate/sink.h).) */

/* Makes jansson, which holds the documents while the library reads and
 * renders them, keep the blocks it frees, one free list per size, and
 * hand them out again: a stored run's document is parsed, joined and
 * dropped as a few thousand small blocks, and a report of 10,000 runs
 * spent a fifth of its time in malloc and free.  Each block carries its
 * size in a header of 16 bytes; each list holds at most 65,536 blocks.
 * Text the library gets from jansson is copied into malloc's memory, so
 * every string it hands out is still freed with free().  The setting is
 * jansson's, for the whole process: a program calls this once, before any
 * jansson value exists, and only when nothing else in the process sets
 * jansson's memory functions (the command line does; the library never
 * does on its own).  Not thread-safe: for a process that uses jansson
 * from one thread. */
FG_API void fg_json_pool_install(void);

#ifdef __cplusplus
}
#endif

#endif
