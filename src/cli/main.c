/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate command line: dispatch to the commands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <sqlite3.h>

#include "cli.h"
#include "flopgate/exact.h"
#include "flopgate/result.h"

#ifndef FG_RULESDIR
#define FG_RULESDIR "/usr/local/share/flopgate/rules"
#endif

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"estimate", fg_cmd_estimate,
	 "compute per phase and cumulative, with ranges, time, energy, cost"},
	{"check", fg_cmd_check, "evaluate runs against the rules, record, gate"},
	{"report", fg_cmd_report, "Markdown reports from the audit database"},
	{"headroom", fg_cmd_headroom,
	 "how much more compute (and tokens) before each line"},
	{"rules", fg_cmd_rules, "lint, list and test rulesets"},
	{"audit", fg_cmd_audit, "verify the audit chain, list its entries"},
	{"hardware", fg_cmd_hardware, "the accelerator catalog"},
	{NULL, NULL, NULL}
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: flopgate COMMAND [ARGS...]\n"
	      "       flopgate --help | --version | COMMAND --help\n\n"
	      "Regulatory compute-threshold compliance checker.\n\n"
	      "commands:\n", out);
	for (i = 0; commands[i].name; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nexit codes: 0 passed, 1 gate failed, 2 bad usage or input, "
	      "3 store or integrity failure\n"
	      "\nenvironment:\n"
	      "  FLOPGATE_RULES     rules directory used when --rules is not "
	      "given (rulesets\n"
	      "                     and hardware.yaml); by default the "
	      "installation's\n"
	      "                     share/flopgate/rules (built for "
	      FG_RULESDIR "),\n"
	      "                     or rules/ in the source tree\n"
	      "  FLOPGATE_HARDWARE  accelerator catalog (default: "
	      "hardware.yaml there)\n"
	      "  FLOPGATE_DB        audit database (default: ./flopgate.db)\n",
	      out);
	fprintf(out, "\nrules directory: %s\n", fg_cli_rules_dir());
	fputs("\nSee flopgate(1), flopgate-run(5) and flopgate-rules(5).\n",
	      out);
}

/* Every byte on stdout was written, or the command fails: a report piped
 * into a full disk must not exit 0.  Commands that record check their own
 * output first (a failure after recording is exit 3, naming the
 * evaluation); this catches what the others printed. */
static int finish(int status)
{
	if ((fflush(stdout) == 0 && !ferror(stdout)) ||
	    (status != FG_EXIT_OK && status != FG_EXIT_GATE))
		return status;
	fprintf(stderr, "flopgate: cannot write to standard output: %s\n",
		strerror(errno));
	return FG_EXIT_INPUT;
}

int main(int argc, char **argv)
{
	size_t i;

	fg_exact_pool_install();
	fg_json_pool_install();
	/* SQLite's memory statistics take a mutex around every allocation
	 * (about 2 % of a recording); nothing here reads them.  Like GMP's
	 * allocator, a setting for the whole process, so the program's. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifdef __GLIBC__
	/* Each run's work frees what it allocated.  By default glibc then
	 * hands the top of its heap back to the kernel (and a block it had
	 * mapped on its own), and the next run takes it back, page fault by
	 * page fault: unmapping flushes the TLB of every CPU the process ran
	 * on, and on this project's virtual machines that cross-CPU call was
	 * a fifth of `report --all`'s CPU time at 200,000 runs.  Memory stays
	 * flat without it: the heap keeps its high-water mark, which is what
	 * the peak resident set measures anyway. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
	if (argc < 2) {
		usage(stderr);
		return FG_EXIT_INPUT;
	}
	if (fg_cli_is_help(argv[1])) {
		usage(stdout);
		return finish(FG_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("flopgate %s\n", FG_VERSION);
		return finish(FG_EXIT_OK);
	}
	for (i = 0; commands[i].name; i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].run(argc - 1, argv + 1));
	fprintf(stderr, "flopgate: unknown command `%s`; see flopgate "
		"--help\n", argv[1]);
	return FG_EXIT_INPUT;
}
