/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate benchmark helper: a history for the one-run gate to run into.
 *
 *   bench history DB N RUNS.yaml GATE.yaml
 *
 * Records N evaluations of one run each into DB through the library's
 * pipeline (flopgate/check.h), the shipped rules loaded once: every tenth
 * is the gate's own run (GATE.yaml), so that its deadline look-ups meet a
 * deep history, the others the runs of RUNS.yaml in turn.  Prints what it
 * did; asserts only that the store worked.  The rules directory is
 * $FLOPGATE_RULES (bench/run.sh sets it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flopgate/check.h"
#include "flopgate/run.h"

static int fail(const fg_error *err)
{
	char buf[2048];

	fprintf(stderr, "bench: %s\n", fg_error_format(err, buf,
						       sizeof(buf)));
	return 1;
}

/* Writes the text of the next run of the stream to path; 0 at its end. */
static int next_run(fg_run_reader *reader, const char *path, fg_error *err)
{
	fg_run *run = NULL;
	FILE *f;
	int rc;

	if ((rc = fg_run_reader_next(reader, &run, err)) <= 0)
		return rc;
	if (!(f = fopen(path, "w")) ||
	    fwrite(run->input_text, 1, run->input_length, f) !=
		    run->input_length ||
	    fclose(f)) {
		fg_run_free(run);
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot write");
	}
	fg_run_free(run);
	return 1;
}

int main(int argc, char **argv)
{
	const char *rules = getenv("FLOPGATE_RULES");
	char hardware[4096], one[4096];
	fg_ruleset_set *set = NULL;
	fg_catalog *catalog = NULL;
	fg_run_reader *reader = NULL;
	fg_store *store = NULL;
	fg_check_options opt;
	fg_check_summary sum;
	fg_error err;
	long n, i, gates = 0;
	int rc;

	if (argc != 6 || strcmp(argv[1], "history") || (n = atol(argv[3])) <= 0
	    || !rules) {
		fputs("usage: FLOPGATE_RULES=DIR bench history DB N RUNS.yaml "
		      "GATE.yaml\n", stderr);
		return 2;
	}
	snprintf(hardware, sizeof(hardware), "%s/hardware.yaml", rules);
	snprintf(one, sizeof(one), "%s.one.yaml", argv[2]);
	if (!(set = fg_ruleset_set_new()) ||
	    fg_ruleset_set_add_path(set, rules, NULL, &err) ||
	    fg_catalog_load(&catalog, hardware, &err) ||
	    fg_store_open(&store, argv[2], FG_STORE_CREATE, &err) ||
	    fg_run_reader_open(&reader, argv[4], catalog, &err))
		return fail(&err);
	memset(&opt, 0, sizeof(opt));
	fg_date_parse(&opt.as_of, "2026-06-01");
	opt.fail_on = FG_FAIL_ON_TRIGGERED;
	opt.actor = "bench";
	opt.history = store;
	for (i = 0; i < n; i++) {
		fg_sources *sources = fg_sources_new();
		fg_sink *recorder = fg_check_recorder(store);
		const char *path = one;

		if (!sources || !recorder)
			return 3;
		if (i % 10 == 0) {
			path = argv[5];
			gates++;
		} else if ((rc = next_run(reader, one, &err)) <= 0) {
			/* the stream is used up: start it again */
			fg_run_reader_free(reader);
			if (rc < 0 || fg_run_reader_open(&reader, argv[4],
							 catalog, &err) ||
			    next_run(reader, one, &err) <= 0)
				return fail(&err);
		}
		if (fg_sources_add(sources, path, &err) ||
		    fg_check(&sum, sources, catalog, set, &opt, &recorder, 1,
			     &err))
			return fail(&err);
		fg_sink_free(recorder);
		fg_sources_free(sources);
	}
	remove(one);
	printf("history: %ld evaluations of one run (%ld of the gate's run) "
	       "in %s\n", n, gates, argv[2]);
	fg_run_reader_free(reader);
	fg_store_free(store);
	fg_catalog_free(catalog);
	fg_ruleset_set_free(set);
	return 0;
}
