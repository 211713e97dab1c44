/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate command line: shared helpers for the commands.
 * The CLI only wires library modules together and maps errors to exit
 * codes (0 passed, 1 gate failed, 2 bad usage or input, 3 store or
 * integrity failure). */
#ifndef FLOPGATE_CLI_H
#define FLOPGATE_CLI_H

#include <stdio.h>
#include "flopgate/error.h"
#include "flopgate/estimate.h"
#include "flopgate/evaluate.h"
#include "flopgate/hardware.h"
#include "flopgate/rules.h"
#include "flopgate/run.h"
#include "flopgate/source.h"

#define FG_EXIT_OK 0
#define FG_EXIT_GATE 1
#define FG_EXIT_INPUT 2
#define FG_EXIT_STORE 3

int fg_cmd_estimate(int argc, char **argv);
int fg_cmd_check(int argc, char **argv);
int fg_cmd_report(int argc, char **argv);
int fg_cmd_headroom(int argc, char **argv);
int fg_cmd_rules(int argc, char **argv);
int fg_cmd_audit(int argc, char **argv);
int fg_cmd_hardware(int argc, char **argv);

/* Prints "flopgate: FILE:LINE:COL: message" on stderr and returns the exit
 * status for err's code. */
int fg_cli_fail(const fg_error *err);

/* Prints "flopgate: message" on stderr (usage errors) and returns 2. */
int fg_cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* The value of `--name VALUE` or `--name=VALUE` at argv[*i], advancing *i
 * past a separate value; NULL when argv[*i] is not that option, or when
 * its value is missing (then *missing is set to 1). */
const char *fg_cli_option_value(char **argv, int argc, int *i,
				const char *name, int *missing);

/* --color WHEN for a command's text on standard output: *color is 1 to
 * colour it, 0 not.  "always" colours; "never" does not; "auto" (and
 * when NULL) colours only when standard output is a terminal and NO_COLOR
 * is unset or empty (https://no-color.org).  Returns -1, or the exit
 * status of a usage error naming the value meant. */
int fg_cli_color(int *color, const char *command, const char *when);

/* Loads the rulesets at paths[0..count) (the shipped rules when count is
 * 0) into one set, printing every problem as FILE:LINE:COL on stderr.
 * Returns 0 with *out set, or the exit status (*out NULL). */
int fg_cli_load_rules(fg_ruleset_set **out, char *const *paths,
		      size_t count);
/* The same with fg_ruleset_set_add_path_flags' flags (the commands that
 * evaluate pass FG_RULESET_SKIP_TESTS: only `rules` runs the tests); the
 * first problem is also copied into *first (may be NULL), for outputs
 * that report it (a SARIF log). */
int fg_cli_load_rules_first(fg_ruleset_set **out, char *const *paths,
			    size_t count, int flags, fg_error *first);

/* The run files of a command: the arguments (files, directories, "-")
 * and, when files_from is not NULL, the paths listed in that file ("-":
 * standard input).  An empty list is bad usage unless allow_empty.
 * Returns -1 with *out set, or the exit status (the message printed;
 * *out NULL).  command names the command in messages. */
int fg_cli_sources(fg_sources **out, char *const *args, size_t count,
		   const char *files_from, int allow_empty,
		   const char *command);

/* Reads a small text file (a checkpoint) whole into *out (owned, free());
 * refuses, without blocking, anything that is not a regular file (a FIFO,
 * a device) and a file larger than max bytes or holding a NUL.  0, or
 * FG_EIO / FG_EINPUT with err set. */
int fg_cli_read_text(char **out, const char *path, size_t max,
		     fg_error *err);

/* The checkpoint body in a --checkpoint file: the whole file, or with
 * verify_key (may be NULL) the text of a C2SP signed note signed by that
 * key (FG_EINTEGRITY naming the file when it is not).  *text owned. */
int fg_cli_read_checkpoint(char **text, const char *path,
			   const char *verify_key, fg_error *err);

/* 1 when arg is -h or --help. */
int fg_cli_is_help(const char *arg);

/* The clock of outputs that carry one (JUnit): *seconds is
 * SOURCE_DATE_EPOCH and *fixed 1 when it is set (reproducible output),
 * else now and 0.  A value that is not a count of seconds is refused as
 * the recorder refuses it (message on stderr): FG_EXIT_INPUT; else 0. */
int fg_cli_source_date_epoch(long long *seconds, int *fixed);

/* Directory of the shipped rules, the first of: $FLOPGATE_RULES; the
 * installed tree's share/flopgate/rules relative to the executable (so a
 * moved installation still finds its own); ../rules next to the
 * executable (bin/flopgate in the source tree); the rules directory
 * `make install` used ($PREFIX/share/flopgate/rules), which is also the
 * answer when none exists, so errors name where rules were expected.
 * Test builds outside bin/ may compile in the source tree's rules/ as a
 * last resort (FG_SOURCE_RULES); installed binaries never do.  Borrowed
 * (static buffer). */
const char *fg_cli_rules_dir(void);

/* Path of the accelerator catalog: $FLOPGATE_HARDWARE, else
 * <rules dir>/hardware.yaml.  Borrowed (static buffer). */
const char *fg_cli_catalog_path(void);

#endif
