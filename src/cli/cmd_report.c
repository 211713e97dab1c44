/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate report: options, the database and the checkpoint to hold it
 * against, wired to fg_report (flopgate/report.h, src/report.c), which
 * renders and publishes; here only errors become exit statuses, and an
 * unknown run id the ids nearest it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "flopgate/audit.h"
#include "flopgate/report.h"
#include "flopgate/store.h"
#include "flopgate/suggest.h"

static const char report_usage[] =
	"usage: flopgate report [--db FILE] [--run ID | --all] [-o FILE|DIR]\n"
	"                       [--checkpoint FILE [--verify-key PUB.pem]]\n"
	"                       [--quiet]\n\n"
	"Renders Markdown compliance reports from the audit database, from\n"
	"the latest recorded evaluation of each run.  The audit chain is\n"
	"verified at render time and every report ends with the checkpoint it\n"
	"was rendered from (hold it against the database with `flopgate audit\n"
	"verify --checkpoint FILE`).  A database that fails verification still\n"
	"gets its report, headed by a warning, and the command exits 3.\n\n"
	"  --db FILE      audit database (default: $FLOPGATE_DB, else\n"
	"                 ./flopgate.db); opened read-only, never created\n"
	"  --run ID       the compliance report of run ID\n"
	"  --all          the auditor summary across every recorded run (the\n"
	"                 default when neither --run nor --all is given)\n"
	"  -o, --output FILE|DIR\n"
	"                 write to FILE instead of standard output.  DIR (an\n"
	"                 existing directory, or a path ending in '/', created\n"
	"                 when missing): --run writes DIR/<run>.md; --all writes\n"
	"                 one report per run plus DIR/index.md, the summary,\n"
	"                 whose links point to those files.  File names come\n"
	"                 from the run id, made safe: a report never lands\n"
	"                 outside DIR.  Files are replaced atomically.\n"
	"                 A FIFO or device is written through, never\n"
	"                 replaced; a symbolic link keeps pointing where it\n"
	"                 did.  With --all, every file is rendered and every\n"
	"                 target checked before any is replaced: on failure\n"
	"                 DIR is left as it was.\n"
	"  --checkpoint FILE\n"
	"                 verify against this saved checkpoint too: a\n"
	"                 database that no longer extends it is reported as\n"
	"                 failing verification\n"
	"  --verify-key PUB.pem\n"
	"                 the checkpoint must be signed by this Ed25519 key\n"
	"  -q, --quiet    do not list the files written on standard error\n\n"
	"exit: 0 written, 2 bad usage, unknown run or unwritable output,\n"
	"3 database missing or unusable, or audit verify failed\n";

static const char *default_db(void)
{
	const char *env = getenv("FLOPGATE_DB");

	return env && *env ? env : "flopgate.db";
}

/* Copies text into buf with control bytes shown as '?', so a hostile run
 * id cannot drive the terminal from an error message. */
static const char *printable(char *buf, size_t size, const char *text)
{
	size_t i;

	for (i = 0; i + 1 < size && text[i]; i++)
		buf[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7F ?
			 '?' : text[i];
	buf[i] = 0;
	return buf;
}

/* ---- unknown run ids ------------------------------------------------------- */

#define LIST_ALL_MAX 8
#define NEAREST 3

typedef struct nearest {
	const char *want;
	char *ids[LIST_ALL_MAX + 1];   /* the first ones, to list */
	char *best[NEAREST];
	size_t dist[NEAREST];
	size_t n, count;
} nearest;

/* Keeps the first ids (to list them all when they are few) and the
 * NEAREST nearest, earlier ids first among equals. */
static int near_one(void *ctx, const char *id)
{
	nearest *n = ctx;
	size_t d = fg_edit_distance(n->want, id, 0), k;

	if (n->count <= LIST_ALL_MAX && !(n->ids[n->count] = strdup(id)))
		return FG_ENOMEM;
	n->count++;
	if (n->n == NEAREST && n->dist[NEAREST - 1] <= d)
		return 0;
	if (n->n == NEAREST)
		free(n->best[--n->n]);
	for (k = n->n++; k > 0 && n->dist[k - 1] > d; k--) {
		n->best[k] = n->best[k - 1];
		n->dist[k] = n->dist[k - 1];
	}
	n->dist[k] = d;
	return (n->best[k] = strdup(id)) ? 0 : FG_ENOMEM;
}

/* "no recorded run `X` in DB; recorded runs: a, b" or the nearest ids. */
static int unknown_run(fg_store *store, const char *db, const char *run)
{
	nearest n;
	char shown[512];
	fg_error err;
	size_t i;

	memset(&n, 0, sizeof(n));
	n.want = run;
	fprintf(stderr, "flopgate: %s: no recorded run `%s`", db,
		printable(shown, sizeof(shown), run));
	if (fg_store_each_run_id(store, near_one, &n, &err) < 0 || !n.count) {
		fputs(n.count ? "\n" : "; the database holds no runs\n",
		      stderr);
	} else if (n.count <= LIST_ALL_MAX) {
		fputs("; recorded runs: ", stderr);
		for (i = 0; i < n.count; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				printable(shown, sizeof(shown), n.ids[i]));
		fputs(" (see flopgate audit log)\n", stderr);
	} else {
		fprintf(stderr, "; %zu runs are recorded, the nearest: ",
			n.count);
		for (i = 0; i < n.n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				printable(shown, sizeof(shown), n.best[i]));
		fputs(" (see flopgate audit log)\n", stderr);
	}
	for (i = 0; i <= LIST_ALL_MAX; i++)
		free(n.ids[i]);
	for (i = 0; i < NEAREST; i++)
		free(n.best[i]);
	return FG_EXIT_INPUT;
}

/* Test hook: with $FLOPGATE_TEST_PAUSE_IN_REPORT naming a path, creates
 * it once the report's snapshot is taken and waits (up to 60 s) until a
 * test removes it, so the test can record a new evaluation in between. */
static void test_pause(void *ctx)
{
	const char *path = getenv("FLOPGATE_TEST_PAUSE_IN_REPORT");
	struct timespec tick = {0, 50000000L};
	FILE *f;
	int i;

	(void)ctx;
	if (!path || !*path || !(f = fopen(path, "w")))
		return;
	fclose(f);
	for (i = 0; i < 1200 && access(path, F_OK) == 0; i++)
		nanosleep(&tick, NULL);
}

/* ---- the command ------------------------------------------------------------- */

int fg_cmd_report(int argc, char **argv)
{
	const char *db = default_db(), *run = NULL, *output = NULL;
	const char *saved_checkpoint = NULL, *verify_key = NULL;
	char *saved_text = NULL, signature_message[1100];
	int signature_failed = 0, all = 0, quiet = 0, i, rc;
	fg_store *store = NULL;
	fg_report_result result;
	fg_report_request req;
	fg_error err;

	fg_error_clear(&err);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (fg_cli_is_help(a)) {
			fputs(report_usage, stdout);
			return FG_EXIT_OK;
		}
		if (!strcmp(a, "--all")) {
			all = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--run") ||
			   !strcmp(a, "-o") || !strcmp(a, "--output") ||
			   !strcmp(a, "--checkpoint") ||
			   !strcmp(a, "--verify-key")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return fg_cli_usage_error("report: %s needs a "
							  "value", a);
			if (!strcmp(a, "--db")) {
				db = argv[++i];
			} else if (!strcmp(a, "--checkpoint")) {
				saved_checkpoint = argv[++i];
			} else if (!strcmp(a, "--verify-key")) {
				verify_key = argv[++i];
			} else if (!strcmp(a, "--run")) {
				if (run)
					return fg_cli_usage_error(
						"report: give --run once; "
						"--all renders every run");
				run = argv[++i];
			} else {
				output = argv[++i];
			}
		} else {
			return fg_cli_usage_error("report: unknown argument "
						  "`%s`; see flopgate report "
						  "--help", a);
		}
	}
	if (run && all)
		return fg_cli_usage_error("report: --run and --all exclude "
					  "each other");
	if (verify_key && !saved_checkpoint)
		return fg_cli_usage_error("report: --verify-key checks the "
					  "signature of a --checkpoint");
	if (!*db)
		return fg_cli_usage_error("report: --db needs a file");
	if (saved_checkpoint) {
		rc = fg_cli_read_checkpoint(&saved_text, saved_checkpoint,
					    verify_key, &err);
		if (rc == FG_EINTEGRITY) {
			/* A forged or foreign checkpoint: the report is
			 * rendered, but never as verified. */
			signature_failed = 1;
			snprintf(signature_message, sizeof(signature_message),
				 "%s: %s", saved_checkpoint, err.message);
		} else if (rc < 0) {
			return fg_cli_fail(&err);
		} else {
			fg_checkpoint parsed;

			if (fg_checkpoint_parse(&parsed, saved_text, &err) < 0) {
				snprintf(err.file, sizeof(err.file), "%s",
					 saved_checkpoint);
				free(saved_text);
				return fg_cli_fail(&err);
			}
		}
	}
	req = (fg_report_request){
		.run = run, .output = output,
		.checkpoint = saved_text,
		.checkpoint_refused = signature_failed ? signature_message
						       : NULL,
		.listed = quiet ? NULL : stderr,
		.snapshot_taken = test_pause,
	};
	if ((rc = fg_store_open(&store, db, FG_STORE_READONLY, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	rc = fg_report(store, &req, &result, &err);
	if (rc == FG_ENOTFOUND && run) {
		rc = unknown_run(store, db, run);
		goto done;
	}
	if (rc == FG_EINTEGRITY)
		fprintf(stderr, "flopgate: %s: refusing to render a report "
			"from a document that does not match its recorded "
			"hash\n", db);
	rc = rc < 0 ? fg_cli_fail(&err) : FG_EXIT_OK;
	if (result.verified == 0) {
		/* The report carries the warning; the exit status says it
		 * too, so no pipeline takes it for a clean one. */
		fprintf(stderr, "flopgate: %s: audit verify FAILED: %s\n", db,
			result.message);
		rc = FG_EXIT_STORE;
	}
done:
	free(saved_text);
	fg_store_free(store);
	return rc;
}
