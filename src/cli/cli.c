/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate command line: shared helpers (see cli.h). */
#include "cli.h"
#include "flopgate/note.h"
#include "flopgate/suggest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where `make install` puts the shipped rules, and the same relative to
 * the installed binary's directory (the Makefile computes both from
 * PREFIX, bindir and rulesdir). */
#ifndef FG_RULESDIR
#define FG_RULESDIR "/usr/local/share/flopgate/rules"
#endif
#ifndef FG_RULES_FROM_BINDIR
#define FG_RULES_FROM_BINDIR "../share/flopgate/rules"
#endif

int fg_cli_fail(const fg_error *err)
{
	char buf[2048];

	fprintf(stderr, "flopgate: %s\n", fg_error_format(err, buf,
							   sizeof(buf)));
	return fg_error_exit_status(err->code ? err->code : FG_EINPUT);
}

int fg_cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("flopgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return FG_EXIT_INPUT;
}

const char *fg_cli_option_value(char **argv, int argc, int *i,
				const char *name, int *missing)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int fg_cli_color(int *color, const char *command, const char *when)
{
	static const char *const whens[] = {"auto", "always", "never", NULL};
	const char *no_color = getenv("NO_COLOR");
	char meant[128];

	if (!when || !strcmp(when, "auto")) {
		*color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
	} else if (!strcmp(when, "always")) {
		*color = 1;
	} else if (!strcmp(when, "never")) {
		*color = 0;
	} else if (fg_suggest_text(meant, sizeof(meant), when, whens)) {
		return fg_cli_usage_error("%s: --color is auto, always or "
					  "never, not `%s`; did you mean %s?",
					  command, when, meant);
	} else {
		return fg_cli_usage_error("%s: --color is auto, always or "
					  "never, not `%s`", command, when);
	}
	return -1;
}

int fg_cli_load_rules(fg_ruleset_set **out, char *const *paths,
		      size_t count)
{
	return fg_cli_load_rules_first(out, paths, count, 0, NULL);
}

int fg_cli_load_rules_first(fg_ruleset_set **out, char *const *paths,
			    size_t count, int flags, fg_error *first)
{
	fg_ruleset_set *set = fg_ruleset_set_new();
	fg_diagnostics diags = {0};
	fg_error err;
	char buf[2048];
	size_t i;
	int status = FG_EXIT_OK;

	*out = NULL;
	if (!set) {
		fputs("flopgate: out of memory\n", stderr);
		return FG_EXIT_STORE;
	}
	fg_error_clear(&err);
	if (count == 0)
		fg_ruleset_set_add_path_flags(set, fg_cli_rules_dir(), flags,
					      &diags, &err);
	for (i = 0; i < count && err.code != FG_ENOMEM; i++)
		fg_ruleset_set_add_path_flags(set, paths[i], flags, &diags,
					      &err);
	for (i = 0; i < diags.count; i++)
		fprintf(stderr, "flopgate: %s\n",
			fg_error_format(&diags.items[i], buf, sizeof(buf)));
	if (first && err.code == FG_ENOMEM)
		*first = err;
	else if (first && diags.count)
		*first = diags.items[0];
	if (err.code == FG_ENOMEM)
		status = fg_cli_fail(&err);
	else if (diags.count)
		status = FG_EXIT_INPUT;
	fg_diagnostics_free(&diags);
	if (status != FG_EXIT_OK)
		fg_ruleset_set_free(set);
	else
		*out = set;
	return status;
}

int fg_cli_sources(fg_sources **out, char *const *args, size_t count,
		   const char *files_from, int allow_empty,
		   const char *command)
{
	fg_sources *s = fg_sources_new();
	fg_error err;
	size_t i;
	int rc = 0;

	*out = NULL;
	fg_error_clear(&err);
	if (!s) {
		fputs("flopgate: out of memory\n", stderr);
		return FG_EXIT_STORE;
	}
	for (i = 0; i < count && rc == 0; i++)
		rc = fg_sources_add(s, args[i], &err);
	if (rc == 0 && files_from)
		rc = fg_sources_add_list(s, files_from, &err);
	if (rc < 0) {
		fg_sources_free(s);
		return fg_cli_fail(&err);
	}
	if (fg_sources_count(s) == 0 && !allow_empty) {
		fg_sources_free(s);
		return fg_cli_usage_error("%s: no run files given%s; see "
					  "flopgate %s --help", command,
					  count || files_from ? " (the list "
					  "is empty; --allow-empty lets that "
					  "pass)" : "", command);
	}
	*out = s;
	return -1;
}

int fg_cli_read_text(char **out, const char *path, size_t max,
		     fg_error *err)
{
	struct stat st;
	char *text;
	size_t n = 0;
	ssize_t got;
	int fd;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO for reading must not wait for a
	 * writer; it is refused below. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot read: %s",
				    strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "not a regular "
				    "file");
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "too large (%jd "
				    "bytes; at most %zu)", (intmax_t)st.st_size,
				    max);
	}
	if (!(text = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	}
	while (n < (size_t)st.st_size &&
	       (got = read(fd, text + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	text[n] = 0;
	if (strlen(text) != n) {
		free(text);
		return fg_error_set(err, FG_EINPUT, path, 0, 0, "holds a NUL "
				    "byte: not a text file");
	}
	*out = text;
	return 0;
}

int fg_cli_read_checkpoint(char **text, const char *path,
			   const char *verify_key, fg_error *err)
{
	size_t length;
	int rc;

	if ((rc = fg_cli_read_text(text, path, 1u << 20, err)) < 0)
		return rc;
	if (!verify_key)
		return 0;
	if ((rc = fg_note_verify(&length, *text, verify_key, err)) < 0) {
		if (rc == FG_EINTEGRITY)
			snprintf(err->file, sizeof(err->file), "%s", path);
		free(*text);
		*text = NULL;
		return rc;
	}
	(*text)[length] = 0;
	return 0;
}

int fg_cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int fg_cli_source_date_epoch(long long *seconds, int *fixed)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long v;

	*seconds = (long long)time(NULL);
	*fixed = 0;
	if (!epoch || !*epoch)
		return 0;
	errno = 0;
	v = strtoll(epoch, &end, 10);
	if (*end || errno || v < 0 || v > 253402300799LL)
		return fg_cli_usage_error("SOURCE_DATE_EPOCH `%s` is not a "
					  "number of seconds since "
					  "1970-01-01", epoch);
	*seconds = v;
	*fixed = 1;
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "<directory of the executable>/<relative>" into dir when that is a
 * directory; dir is left alone otherwise.  /proc/self/exe resolves
 * symbolic links, so a link to the binary from another bin/ still finds
 * the binary's own tree. */
static int beside_executable(char *dir, size_t size, const char *relative)
{
	char exe[PATH_MAX], path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	int len;

	if (n <= 0)
		return 0;
	exe[n] = 0;
	if (!(slash = strrchr(exe, '/')))
		return 0;
	*slash = 0;
	len = snprintf(path, sizeof(path), "%s/%s", exe, relative);
	if (len <= 0 || (size_t)len >= sizeof(path) || (size_t)len >= size ||
	    !is_dir(path))
		return 0;
	memcpy(dir, path, (size_t)len + 1);
	return 1;
}

const char *fg_cli_rules_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("FLOPGATE_RULES");

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	if (FG_RULES_FROM_BINDIR[0] != '/' &&
	    beside_executable(dir, sizeof(dir), FG_RULES_FROM_BINDIR))
		return dir;
	if (beside_executable(dir, sizeof(dir), "../rules"))
		return dir;
#ifdef FG_SOURCE_RULES
	if (is_dir(FG_SOURCE_RULES)) {
		snprintf(dir, sizeof(dir), "%s", FG_SOURCE_RULES);
		return dir;
	}
#endif
	snprintf(dir, sizeof(dir), "%s", FG_RULESDIR);
	return dir;
}

const char *fg_cli_catalog_path(void)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("FLOPGATE_HARDWARE");

	if (env && *env)
		return env;
	snprintf(path, sizeof(path), "%s/hardware.yaml", fg_cli_rules_dir());
	return path;
}
