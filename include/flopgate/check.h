/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the pipeline: run files in, each run's result to every sink,
 * one run at a time.
 *
 *   sources (flopgate/source.h) -> read one run document -> load it
 *   (flopgate/run.h) -> estimate -> evaluate against the rules -> the
 *   run's result (flopgate/result.h) to each sink (flopgate/sink.h:
 *   renderers, the recorder, progress) -> free it -> the next run.
 *
 * Memory is that of one run, whatever the length of the input: a run id is
 * remembered (to refuse one used twice, anywhere in the input) in a
 * temporary database, not in memory.  Every limit of the YAML loader
 * applies to each document.
 *
 * The first error ends the pipeline: nothing is published and nothing
 * recorded (every sink is aborted), whether it is met in the first run or
 * the last.  Only when every run went through and every sink finished
 * does each commit: the recorder first, then the outputs.
 */
#ifndef FLOPGATE_CHECK_H
#define FLOPGATE_CHECK_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdio.h>

#include "flopgate/error.h"
#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "flopgate/rules.h"
#include "flopgate/sink.h"
#include "flopgate/source.h"
#include "flopgate/store.h"
#include "flopgate/waiver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_check_options {
	int estimate_only;          /* estimate, do not evaluate (the rules
				     * still check the runs' attributes) */
	fg_date as_of;
	fg_fail_on fail_on;
	const char *actor;          /* may be NULL */
	const fg_waiver_list *waivers;  /* may be NULL */
	/* DESIGN.md § Deadlines: the day a line became known is never
	 * later than the first recorded evaluation that triggered it, nor
	 * than a known_since already recorded.  The store those dates are
	 * read from (verified entries only; flopgate/store.h), or NULL. */
	fg_store *history;
} fg_check_options;

/* Runs every run of sources through set (as of opt->as_of) into sinks, in
 * order.  Returns 0 with *summary filled when every sink committed.  On
 * error, err says why (FILE:LINE:COL for input), every sink that had not
 * committed is aborted, and summary->recorded says whether the
 * evaluation was recorded all the same (an output that failed after the
 * recording: the CLI's exit 3 naming summary->evaluation_id).  A source
 * list with no runs in it is refused unless sources is empty. */
FG_API int fg_check(fg_check_summary *summary, const fg_sources *sources,
		    const fg_catalog *catalog, const fg_ruleset_set *set,
		    const fg_check_options *opt, fg_sink *const *sinks,
		    size_t nsinks, fg_error *err);

/* The recorder: records the evaluation into store (opened for writing)
 * in one transaction: begun before the first run (which gives the
 * evaluation its id), a row per run and finding as they come, the audit
 * entry at the end, committed before any output is published.  Put it
 * first among the sinks, so that outputs carry the evaluation id. */
FG_API fg_sink *fg_check_recorder(fg_store *store);

/* The same into the database at path, which does not exist yet: it is
 * created (fg_store_open with FG_STORE_CREATE) when the recording begins,
 * that is once the first run went through, so that input refused at its
 * first run leaves no database behind. */
FG_API fg_sink *fg_check_recorder_at(const char *path);

/* Progress on `tty` (stderr) when it is a terminal: runs done, runs per
 * second and, when the input's size is known, the time left; from about a
 * second into the work, and never otherwise.  after_ms overrides that
 * second (-1: the default). */
FG_API fg_sink *fg_check_progress(FILE *tty, long after_ms);

/* ---- in one call: the JSON document, for bindings ----------------------
 *
 * What `flopgate check --format json` (or `estimate --format json`)
 * does, as a function: python/flopgate calls it.  Every field may be
 * left NULL or 0 (a zeroed request is `check` against the installed
 * rules, as of today, recording nothing). */
typedef struct fg_check_request {
	int estimate_only;          /* 1: the `estimate` document */
	const char *as_of;          /* YYYY-MM-DD; NULL: today (UTC) */
	/* The shipped rules: a directory of rulesets and hardware.yaml.
	 * NULL: fg_rules_default_dir().  (The library reads no environment:
	 * $FLOPGATE_RULES is for its callers to honour.) */
	const char *rules_dir;
	/* Ruleset files or directories to evaluate against instead of
	 * rules_dir's rulesets (as --rules, repeatable). */
	const char *const *rules;
	size_t nrules;
	const char *catalog;        /* NULL: rules_dir/hardware.yaml */
	const char *waivers;        /* a waiver file, or NULL (check only) */
	const char *fail_on;        /* "triggered" (NULL) | "near" | "never" */
	/* The audit database to record the evaluation into (created when
	 * missing, and read for deadlines as `check --db` reads it); NULL:
	 * nothing is recorded (`--no-record`) and "evaluation_id" is null.
	 * An estimate records nothing. */
	const char *record;
	const char *actor;          /* stored with the recording; may be NULL */
} fg_check_request;

/* Evaluates (or only estimates) every run in paths[0..npaths) (files,
 * directories, "-") as the command line does, and sets *json_out to the
 * JSON document `--format json` prints (flopgate/result.h), owned by the
 * caller (fg_free()).  req may be NULL.  Returns 0 whether the gate
 * passed or not (the document's "gate" says); on error *json_out is
 * NULL, err says why (FILE:LINE:COL for bad input: FG_EINPUT; FG_EUSAGE
 * for a bad request, or no paths), and nothing was recorded unless err
 * says the output failed after the recording (FG_EIO). */
FG_API int fg_check_json(char **json_out, const char *const *paths,
			 size_t npaths, const fg_check_request *req,
			 fg_error *err);

/* The directory `make install` put the shipped rules in (compiled in:
 * $(rulesdir)), whether or not it exists.  Static storage. */
FG_API const char *fg_rules_default_dir(void);

/* Frees what the library handed over as owned (fg_check_json's text).
 * NULL-safe. */
FG_API void fg_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
