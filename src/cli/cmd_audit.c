/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate audit: verify the audit chain, list its entries. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flopgate/note.h"
#include "render_int.h"
#include "result_json.h"
#include "store_json.h"

static const char verify_usage[] =
	"usage: flopgate audit verify [--db FILE]\n"
	"           [--checkpoint FILE [--verify-key PUB.pem]]\n"
	"           [--write-checkpoint FILE [--sign-key KEY.pem]]\n\n"
	"Recomputes the audit chain from the recorded rows, every stored hash\n"
	"(inputs, rulesets, run documents), and accounts for every row of\n"
	"every table.  With --checkpoint, also proves the log still extends\n"
	"that checkpoint (a report's, or one saved with --write-checkpoint):\n"
	"a truncated or rewritten log fails.\n\n"
	"  --db FILE                audit database (default: $FLOPGATE_DB,\n"
	"                           else ./flopgate.db); opened read-only,\n"
	"                           never created\n"
	"  --checkpoint FILE        a saved checkpoint to hold the log against\n"
	"  --verify-key PUB.pem     the checkpoint must carry a good Ed25519\n"
	"                           signature by this key (C2SP signed note)\n"
	"  --write-checkpoint FILE  after a good verify, save the current\n"
	"                           checkpoint (C2SP tlog-checkpoint body)\n"
	"  --sign-key KEY.pem       sign the saved checkpoint with this Ed25519\n"
	"                           key (openssl genpkey -algorithm ed25519)\n\n"
	"exit: 0 the chain verifies, 2 bad usage, checkpoint or key file,\n"
	"3 tampering found, a bad or missing signature, or database unusable\n";

static const char log_usage[] =
	"usage: flopgate audit log [--db FILE] [--run ID] [--format text|json]\n\n"
	"Lists the audit entries: seq, time recorded (UTC), actor, evaluation,\n"
	"runs, outcome counts and the entry hash.  --run keeps the entries\n"
	"that evaluated that run (and counts its findings only).\n";

static const char audit_usage[] =
	"usage: flopgate audit verify --db FILE [--checkpoint FILE\n"
	"           [--verify-key PUB.pem]] [--write-checkpoint FILE\n"
	"           [--sign-key KEY.pem]]\n"
	"       flopgate audit log --db FILE [--run ID] [--format text|json]\n";

static const char *default_db(void)
{
	const char *env = getenv("FLOPGATE_DB");

	return env && *env ? env : "flopgate.db";
}

/* Matches "--name VALUE"; advances *i.  -1 when the value is missing. */
static int option(int argc, char **argv, int *i, const char *name,
		  const char **value)
{
	if (strcmp(argv[*i], name))
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

/* Writes text to path (replacing it) and checks every step. */
static int write_text(const char *path, const char *text, fg_error *err)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot write the "
				    "checkpoint: %s", strerror(errno));
	if (fputs(text, f) < 0 || fflush(f) || ferror(f)) {
		fg_error_set(err, FG_EIO, path, 0, 0, "cannot write the "
			     "checkpoint: %s", strerror(errno));
		fclose(f);
		return FG_EIO;
	}
	if (fclose(f))
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot write the "
				    "checkpoint: %s", strerror(errno));
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	const char *db = default_db(), *checkpoint = NULL, *write = NULL;
	const char *sign_key = NULL, *verify_key = NULL;
	fg_store *store = NULL;
	fg_verify_report report;
	fg_error err;
	char *cp_text = NULL, *current = NULL, *signed_note = NULL;
	int i, m, rc;

	fg_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (fg_cli_is_help(argv[i])) {
			fputs(verify_usage, stdout);
			return FG_EXIT_OK;
		}
		if ((m = option(argc, argv, &i, "--db", &db)) ||
		    (m = option(argc, argv, &i, "--checkpoint",
				&checkpoint)) ||
		    (m = option(argc, argv, &i, "--verify-key",
				&verify_key)) ||
		    (m = option(argc, argv, &i, "--sign-key", &sign_key)) ||
		    (m = option(argc, argv, &i, "--write-checkpoint",
				&write))) {
			if (m < 0)
				return fg_cli_usage_error("%s needs a value",
							  argv[i]);
			continue;
		}
		return fg_cli_usage_error("audit verify: unknown argument "
					  "`%s`; see flopgate audit verify "
					  "--help", argv[i]);
	}
	if (verify_key && !checkpoint)
		return fg_cli_usage_error("audit verify: --verify-key checks "
					  "the signature of a --checkpoint");
	if (sign_key && !write)
		return fg_cli_usage_error("audit verify: --sign-key signs the "
					  "checkpoint --write-checkpoint saves");
	if (!*db)
		return fg_cli_usage_error("audit verify: --db needs a file");
	if (checkpoint &&
	    (rc = fg_cli_read_checkpoint(&cp_text, checkpoint, verify_key,
					  &err)) < 0)
		return fg_cli_fail(&err);
	rc = fg_store_open(&store, db, FG_STORE_READONLY, &err);
	if (rc == 0)
		rc = fg_store_verify(store, cp_text, &report, &err);
	if (rc == FG_EINPUT && checkpoint)
		snprintf(err.file, sizeof(err.file), "%s", checkpoint);
	if (rc == 0 && write &&
	    (rc = fg_store_checkpoint(store, &current, &err)) == 0) {
		if (sign_key)
			rc = fg_note_sign(&signed_note, current, sign_key,
					  &err);
		if (rc == 0)
			rc = write_text(write, signed_note ? signed_note
							   : current, &err);
	}
	if (rc < 0) {
		rc = fg_cli_fail(&err);
	} else {
		printf("ok: %" PRId64 " %s, head %s", report.entries,
		       report.entries == 1 ? "entry" : "entries",
		       report.entries ? report.head : "(empty log)");
		if (checkpoint)
			printf("; extends the checkpoint of %" PRId64 " %s%s",
			       report.checkpoint_size,
			       report.checkpoint_size == 1 ? "entry"
							   : "entries",
			       verify_key ? ", signed by the key" : "");
		putchar('\n');
		rc = FG_EXIT_OK;
	}
	free(cp_text);
	free(current);
	free(signed_note);
	fg_store_free(store);
	return rc;
}

static int cmd_log(int argc, char **argv)
{
	const char *db = default_db(), *run = NULL, *format = "text";
	fg_store *store = NULL;
	json_t *entries = NULL;
	fg_error err;
	int i, m, rc;

	fg_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (fg_cli_is_help(argv[i])) {
			fputs(log_usage, stdout);
			return FG_EXIT_OK;
		}
		if ((m = option(argc, argv, &i, "--db", &db)) ||
		    (m = option(argc, argv, &i, "--run", &run)) ||
		    (m = option(argc, argv, &i, "--format", &format))) {
			if (m < 0)
				return fg_cli_usage_error("%s needs a value",
							  argv[i]);
			continue;
		}
		return fg_cli_usage_error("audit log: unknown argument `%s`; "
					  "see flopgate audit log --help",
					  argv[i]);
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return fg_cli_usage_error("audit log: --format is text or "
					  "json, not `%s`", format);
	if ((rc = fg_store_open(&store, db, FG_STORE_READONLY, &err)) < 0 ||
	    (rc = fg_store_log(store, run, &entries, &err)) < 0) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	if (fg_render_audit_log(stdout, entries, !strcmp(format, "json"),
				&err)) {
		rc = fg_cli_fail(&err);
		goto done;
	}
	rc = FG_EXIT_OK;
done:
	json_decref(entries);
	fg_store_free(store);
	return rc;
}

int fg_cmd_audit(int argc, char **argv)
{
	if (argc < 2) {
		fputs(audit_usage, stderr);
		return FG_EXIT_INPUT;
	}
	if (fg_cli_is_help(argv[1])) {
		fputs(audit_usage, stdout);
		return FG_EXIT_OK;
	}
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "log"))
		return cmd_log(argc - 1, argv + 1);
	return fg_cli_usage_error("audit: unknown subcommand `%s`; use verify "
				  "or log", argv[1]);
}
