/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — helpers shared by the renderers (internal, not API). */
#ifndef FLOPGATE_RENDER_UTIL_H
#define FLOPGATE_RENDER_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "flopgate/error.h"
#include "flopgate/figure.h"
#include "render_int.h"

/* ---- reading the document (all borrowed, NULL-safe) ------------------ */

/* The string at key, NULL when absent or not a string. */
const char *fg_rd_str(const json_t *obj, const char *key);
/* 1 and *out set when key holds a number (integer or real), else 0 and
 * *out untouched. */
int fg_rd_num(double *out, const json_t *obj, const char *key);
/* The array at key, NULL when absent or not an array (json_array_size
 * and json_array_foreach treat NULL as empty). */
json_t *fg_rd_array(const json_t *obj, const char *key);

/* Checks the shape every renderer relies on: an object with a "runs"
 * array of objects that have a string "id"; every finding an object with
 * a string "rule" and a known "outcome"; every obligation an object.
 * Returns 0 or FG_EINPUT with err naming the field. */
int fg_rd_check_doc(const json_t *doc, fg_error *err);

/* ---- the rules' static facts -------------------------------------------
 *
 * A finding names its rule and obligations by id; their static facts
 * (title, citation, severity, obligation texts, ...) are once under the
 * document's rulesets[].rules[] (result.h).  The renderers read a run
 * joined back (fg_rd_join_run): every finding with its rule's facts, as
 * documents recorded before schema version 4 carry them themselves. */
typedef struct fg_rd_facts {
	json_t *rules;       /* rule id -> its facts */
	json_t *rulesets;    /* rule id -> its ruleset's id */
} fg_rd_facts;

/* From a document's (or head's) "rulesets".  0 or FG_ENOMEM. */
int fg_rd_facts_init(fg_rd_facts *facts, const json_t *doc);
void fg_rd_facts_free(fg_rd_facts *facts);

/* run with each finding joined to its rule's facts: "ruleset", "title",
 * "citation", "jurisdiction", "applies_to", "severity", "near",
 * "effective_from", "effective_until", "transition" as an object
 * {"citation", "placed_on_market", "placed_before", "comply_by"} (or
 * null), and each obligation's "text", "citation", "days", "after",
 * "not_before", "condition" and "transition" (the citation when the
 * transition set the date, else null).  A finding that carries its title
 * (an older document) is taken as it is.  New reference; NULL when out of
 * memory. */
json_t *fg_rd_join_run(const fg_rd_facts *facts, const json_t *run);

/* One finding f of run joined the same way, for a renderer that prints
 * only some of a run's findings: what it skips it need not join (the
 * lean finding has "rule", "outcome" and, when true, "gate_fails").  New
 * reference; NULL when out of memory. */
json_t *fg_rd_join_finding(const fg_rd_facts *facts, const json_t *run,
			   const json_t *f);

/* doc with every run joined (a shallow copy).  New reference; NULL when
 * out of memory. */
json_t *fg_rd_join_doc(const json_t *doc);

/* Outcomes in the order reports list them (most pressing first). */
enum {
	FG_RD_TRIGGERED, FG_RD_NEAR, FG_RD_INDETERMINATE, FG_RD_WAIVED,
	FG_RD_CLEAR, FG_RD_NOT_APPLICABLE, FG_RD_OUTCOME_COUNT
};
extern const char *const fg_rd_outcome_names[FG_RD_OUTCOME_COUNT];
/* Index of a finding's outcome, -1 when unknown. */
int fg_rd_outcome(const json_t *finding);

/* ---- figures for people ---------------------------------------------- */

/* The unit of the metric a document names (fg_metric_unit), FG_UNIT_NONE
 * for a name that is no metric. */
fg_unit fg_rd_metric_unit(const char *metric);
/* A metric's value or line for people, as every format writes it
 * (fg_figure_double): "3.8 × 10^25 FLOP", "$5.0 × 10^8", "1.2 × 10^20
 * op/s", "0.42 of the base model's compute".  Returns buf. */
char *fg_rd_metric_value(char *buf, size_t size, const char *metric,
			 double value);
/* A finding's headroom on that metric, in its headroom unit
 * (fg_metric_headroom_unit: FLOP for modification_fraction). */
char *fg_rd_headroom_value(char *buf, size_t size, const char *metric,
			   double value);
/* Two significant figures and a unit ("" for none), for figures that are
 * not a metric's (tokens, kWh, chip-hours).  Returns buf. */
char *fg_rd_sci(char *buf, size_t size, double value, const char *unit);
/* The operator for people ("≥" for ">="), or its negation. NULL when
 * unknown. */
const char *fg_rd_op_symbol(const char *op, int negated);
/* The relation a finding or condition records between its value and its
 * threshold ("relation", decided exactly by the evaluator), for people:
 * "<", "=", ">".  NULL when obj carries none — a document recorded before
 * the field existed: a renderer then states the line, never a relation
 * of its own reckoning from rounded figures. */
const char *fg_rd_relation_symbol(const json_t *obj);
/* "3.8 × 10^25 FLOP > 1.0 × 10^25 FLOP": obj's value and threshold
 * with their unit and the relation that holds between them, written by
 * fg_figure_relation from value_exact and threshold_exact so that it
 * holds between the figures as printed ("1.0000000000000000000000001 ×
 * 10^25 FLOP > 1.0 × 10^25 FLOP").  A document without the exact figures
 * (recorded before they existed) gets its recorded relation on the
 * doubles, or "7.2 × 10^24 FLOP (line: > 1.0 × 10^25 FLOP)" without one.
 * Plain text (not escaped) into buf; returns buf, or NULL when obj has no
 * value or threshold. */
char *fg_rd_comparison(char *buf, size_t size, const json_t *obj);

/* The line of a condition (obj's "threshold", its "threshold_exact" and
 * "unit") alone, as a reader may take it at its word: with as many
 * digits as write it exactly, or two significant figures and the exact
 * fraction after them ("0.33 of the base model's compute (exactly 1/3)").
 * NULL when obj has no threshold. */
char *fg_rd_line(char *buf, size_t size, const json_t *obj);
/* The same for an end of obj's range, end "low" or "high" (low_exact,
 * high_exact); NULL when the document does not give it exactly. */
char *fg_rd_end_comparison(char *buf, size_t size, const json_t *obj,
			   const char *end);
/* near × the line, exactly, with its unit ("5.0 × 10^24 FLOP"); NULL
 * without an exact line or a near fraction. */
char *fg_rd_near_line(char *buf, size_t size, const json_t *obj,
		      double near);
/* Where the value stands from the line, exactly and with its unit:
 * "1.2 × 10^24 FLOP below the line", "1.0 FLOP above the line", "exactly
 * at the line"; NULL without exact figures. */
char *fg_rd_margin(char *buf, size_t size, const json_t *obj);
/* A finding's headroom (threshold - value, in its headroom unit) for
 * people: "5.8 × 10^24 FLOP below the line", "1.0 FLOP above the line",
 * "5.0 × 10^22 FLOP of modification compute above the line", "exactly at
 * the line".  NULL without a headroom. */
char *fg_rd_headroom(char *buf, size_t size, const json_t *f);
/* The same in training tokens: "room for 1.4 × 10^13 training tokens
 * more at the run's FLOP per token", "1.4 × 10^13 training tokens more
 * than the line allows ..."; NULL without headroom_tokens. */
char *fg_rd_headroom_tokens(char *buf, size_t size, const json_t *f);
/* The figure that decided a finding, for people: "the central
 * estimate", "the high end of the range", "the low end of the range"
 * (decided_by).  Static. */
const char *fg_rd_decided_by(const json_t *f);

/* One line for machines that show a finding as text (JUnit, SARIF):
 * "run R: TITLE — triggered: 3.8 × 10^25 FLOP > 1.0 × 10^25 FLOP
 * (Art. 51(2)); Notify the European Commission by 2026-12-13", with
 * " (OVERDUE)" after a date the as-of date has passed.  Plain
 * text, not escaped.  Returns a string the caller frees, NULL when out of
 * memory. */
char *fg_rd_finding_message(const json_t *run, const json_t *finding);

/* ---- JSON, streamed -------------------------------------------------- */

/* Writes v as json_dumpf(FG_JSON_FLAGS | JSON_INDENT(2)) would inside a
 * document, `level` levels deep (every line after the first indented by
 * two spaces a level), so a document streamed piece by piece reads
 * exactly as the whole one dumped at once.  0, or -1 when out of memory
 * or v cannot be encoded. */
int fg_rd_dump(FILE *out, const json_t *v, int level);
/* "KEY": as a key of such a document. */
int fg_rd_dump_key(FILE *out, const char *key);

/* ---- escaping -------------------------------------------------------- */

/* Markdown inline text that cannot leave its paragraph or table cell nor
 * carry HTML: Markdown punctuation and '|' backslash-escaped, line breaks
 * and tabs as single spaces, control and bidi-override characters
 * dropped, surrounding blanks trimmed. */
void fg_md_text(FILE *out, const char *text);
/* An identifier in a code span when it is made of plain characters, else
 * as fg_md_text.  NULL or "" prints an em dash. */
void fg_md_code(FILE *out, const char *text);
/* XML character data or attribute value: &<>"' escaped, characters XML 1.0
 * forbids replaced by U+FFFD, and in attributes line breaks and tabs as
 * character references. */
void fg_xml_text(FILE *out, const char *text, int attribute);

/* ---- the summary's chart (src/render_chart.c) -------------------------- */

/* Every run's range and its outcome against each line, gathered run by
 * run for fg_summary_write_chart. */
typedef struct fg_chart_acc fg_chart_acc;
/* 0 or FG_ENOMEM. */
int fg_chart_acc_new(fg_chart_acc **out);
/* Adds a run (joined to its rules' facts): 0 (a run without a range is
 * left out) or FG_ENOMEM. */
int fg_chart_acc_add(fg_chart_acc *acc, const json_t *run);
/* How many runs it draws (at most FG_CHART_RUNS_MAX), and how many of
 * those added had a range. */
#define FG_CHART_RUNS_MAX 100
size_t fg_chart_acc_runs(const fg_chart_acc *acc);
size_t fg_chart_acc_ranged(const fg_chart_acc *acc);
/* The summary chart (fg_svg_summary_chart's returns). */
int fg_chart_acc_write(fg_chart_acc *acc, FILE *out, fg_error *err);
void fg_chart_acc_free(fg_chart_acc *acc);      /* NULL-safe */

#endif
