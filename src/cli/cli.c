/* flopgate command line: shared helpers (see cli.h). */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FG_SOURCE_RULES
#define FG_SOURCE_RULES "rules"
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

int fg_cli_load_rules(fg_ruleset_set **out, char *const *paths,
		      size_t count)
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
		fg_ruleset_set_add_path(set, fg_cli_rules_dir(), &diags, &err);
	for (i = 0; i < count && err.code != FG_ENOMEM; i++)
		fg_ruleset_set_add_path(set, paths[i], &diags, &err);
	for (i = 0; i < diags.count; i++)
		fprintf(stderr, "flopgate: %s\n",
			fg_error_format(&diags.items[i], buf, sizeof(buf)));
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

int fg_cli_load_runs(fg_run_list **out, char *const *files, size_t count,
		     const fg_catalog *catalog, const fg_ruleset_set *set,
		     fg_error *err)
{
	fg_run_list *all = NULL, *one = NULL;
	size_t i, j;
	int rc;

	*out = NULL;
	for (i = 0; i < count; i++) {
		if ((rc = fg_run_list_load(&one, files[i], catalog, err)))
			goto fail;
		for (j = 0; j < one->count; j++)
			if ((rc = fg_ruleset_set_check_run(set, &one->runs[j],
							   err)))
				goto fail;
		if (!all)
			all = one;
		else if ((rc = fg_run_list_merge(all, one, err)))
			goto fail;
		one = NULL;
	}
	*out = all;
	return 0;
fail:
	fg_run_list_free(one);
	fg_run_list_free(all);
	return rc;
}

int fg_cli_evaluate(fg_cli_evaluation *out, const fg_run_list *runs,
		    const fg_ruleset_set *set, const fg_evaluate_options *eo,
		    fg_error *err)
{
	size_t n = runs->count ? runs->count : 1;
	int rc;

	memset(out, 0, sizeof(*out));
	out->estimates = calloc(n, sizeof(*out->estimates));
	out->findings = calloc(n, sizeof(*out->findings));
	if (!out->estimates || !out->findings)
		return fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				    "out of memory");
	for (; out->count < runs->count; out->count++) {
		const fg_run *run = &runs->runs[out->count];
		size_t i = out->count;

		if ((rc = fg_run_estimate_compute(&out->estimates[i], run,
						  err)) ||
		    (rc = fg_evaluate(&out->findings[i], run,
				      out->estimates[i], set, eo, err))) {
			out->count++;
			return rc;
		}
	}
	return 0;
}

void fg_cli_evaluation_free(fg_cli_evaluation *evaluation)
{
	size_t i;

	if (!evaluation)
		return;
	for (i = 0; i < evaluation->count; i++) {
		fg_run_findings_free(evaluation->findings[i]);
		fg_run_estimate_free(evaluation->estimates[i]);
	}
	free(evaluation->findings);
	free(evaluation->estimates);
	memset(evaluation, 0, sizeof(*evaluation));
}

int fg_cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *fg_cli_rules_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	const char *env = getenv("FLOPGATE_RULES");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(dir, sizeof(dir), "%.*s/../rules",
				 (int)(sizeof(dir) - 10), exe);
			if (is_dir(dir))
				return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", FG_SOURCE_RULES);
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
