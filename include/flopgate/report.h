/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — Markdown compliance reports from the audit database
 * (`flopgate report`).
 *
 * A report is rendered only from what the store recorded (the latest
 * evaluation of each run), and always with the audit chain verified at
 * render time, in the same read snapshot as the documents: the
 * checkpoint is read first and verify then proves the chain extends it,
 * so the checkpoint printed in a report is one that verified.  When
 * verify fails the report is still written, headed by the renderer's
 * loud warning, and the result says so.
 *
 * Every file appears whole or not at all (flopgate/output.h): a failure
 * leaves no half-written report and no stray temporary file behind.
 * Documents are read one at a time, in one ordered pass over the runs,
 * and the summary is built run by run, so a report of any number of runs
 * costs the memory of one, in time linear in them.
 */
#ifndef FLOPGATE_REPORT_H
#define FLOPGATE_REPORT_H

#include "flopgate/export.h"

#include <stdio.h>
#include "flopgate/error.h"
#include "flopgate/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to render where (every string borrowed for the call). */
typedef struct fg_report_request {
	/* One run's report; NULL: every run (the auditor summary, or into
	 * a directory one report per run and the summary, index.md, whose
	 * links point to them). */
	const char *run;
	/* NULL or "-": standard output.  A path ending in '/', or an
	 * existing directory: a directory (created when missing), where
	 * run gives DIR/<run>.md and every run gives a report per run and
	 * index.md, their names made safe from the run ids
	 * (fg_report_filename).  Else a file; a run's report written to a
	 * regular file (or to a name that is none yet) gets its chart
	 * beside it, NAME.svg for NAME.md. */
	const char *output;
	/* A saved checkpoint's text to verify against (NULL: the
	 * database's own), and, when its signature did not verify, why:
	 * the report is then never rendered as verified. */
	const char *checkpoint;
	const char *checkpoint_refused;
	/* "wrote PATH\n" for every file published; NULL: nothing. */
	FILE *listed;
	/* Called once the read snapshot is taken, before anything is read
	 * (NULL: nothing): a test records a new evaluation there to show
	 * that the report does not see it. */
	void (*snapshot_taken)(void *ctx);
	void *ctx;
} fg_report_request;

/* What audit verify said at render time: verified 1 (message: "N
 * entries, head HEX", "1 entry, ..."), 0 (message: the first failure, or why the saved
 * checkpoint was refused), or -1 when an error came before it. */
typedef struct fg_report_result {
	int verified;
	char message[1100];
} fg_report_result;

/* Renders what req asks from store (open, read-only will do) and
 * publishes it.  Returns 0 when every file was published, whatever
 * verify said (result says that); FG_ENOTFOUND when req->run is not
 * recorded (nothing written; fg_store_each_run_id gives the ids to
 * suggest); FG_EINTEGRITY when a recorded document does not match its
 * hash (nothing published); FG_EINPUT, FG_EIO, FG_ENOMEM or FG_ESTORE,
 * with nothing published.  Every report written says what verify said.
 * result and err may be NULL. */
FG_API int fg_report(fg_store *store, const fg_report_request *req,
		     fg_report_result *result, fg_error *err);

#ifdef __cplusplus
}
#endif

#endif
