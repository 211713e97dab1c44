/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the run files a command reads (see include/flopgate/source.h). */
#include "flopgate/source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fg_sources {
	char **paths;
	size_t count, cap;
	uint64_t bytes;
	int unknown_size;
	int stdin_used;
};

fg_sources *fg_sources_new(void)
{
	return calloc(1, sizeof(fg_sources));
}

void fg_sources_free(fg_sources *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->count; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s);
}

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

static int push(fg_sources *s, const char *path, fg_error *err)
{
	char **grown;
	struct stat st;

	if (s->count == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;

		if (!(grown = realloc(s->paths, cap * sizeof(*grown))))
			return nomem(err);
		s->paths = grown;
		s->cap = cap;
	}
	if (!(s->paths[s->count] = strdup(path)))
		return nomem(err);
	s->count++;
	if (!strcmp(path, "-") || stat(path, &st) || !S_ISREG(st.st_mode))
		s->unknown_size = 1;
	else
		s->bytes += (uint64_t)st.st_size;
	return 0;
}

static int yaml_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml / *.yml under dir, depth first, sorted within each
 * directory; symbolic links to directories are not followed (a loop would
 * never end), links to files are. */
static int add_dir(fg_sources *s, const char *dir, fg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char **names = NULL, **grown, *path;
	size_t n = 0, cap = 0, i, len;
	int rc = 0;

	if (!d)
		return fg_error_set(err, FG_EIO, dir, 0, 0, "cannot read the "
				    "directory: %s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if (!(grown = realloc(names, cap * sizeof(*grown)))) {
				rc = nomem(err);
				goto done;
			}
			names = grown;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = nomem(err);
			goto done;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n && rc == 0; i++) {
		len = strlen(dir);
		if (!(path = malloc(len + strlen(names[i]) + 2))) {
			rc = nomem(err);
			break;
		}
		sprintf(path, "%s%s%s", dir,
			len && dir[len - 1] == '/' ? "" : "/", names[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = add_dir(s, path, err);
		else if (yaml_name(names[i]))
			rc = push(s, path, err);
		free(path);
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int fg_sources_add(fg_sources *s, const char *arg, fg_error *err)
{
	struct stat st;

	if (!strcmp(arg, "-")) {
		if (s->stdin_used)
			return fg_error_set(err, FG_EUSAGE, NULL, 0, 0,
					    "standard input is named twice "
					    "(`-`): it can be read once");
		s->stdin_used = 1;
		return push(s, arg, err);
	}
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return add_dir(s, arg, err);
	/* anything else is read as a run file, and refused there with its
	 * reason (missing, a FIFO, a device) */
	return push(s, arg, err);
}

int fg_sources_add_list(fg_sources *s, const char *list_path, fg_error *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, from_stdin = !strcmp(list_path, "-");

	if (from_stdin) {
		if (s->stdin_used)
			return fg_error_set(err, FG_EUSAGE, NULL, 0, 0,
					    "standard input is named twice "
					    "(`-`): it can be read once");
		s->stdin_used = 1;
		f = stdin;
	} else if (!(f = fopen(list_path, "r"))) {
		return fg_error_set(err, FG_EIO, list_path, 0, 0, "cannot read "
				    "the list of run files: %s",
				    strerror(errno));
	}
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0)
			continue;
		rc = fg_sources_add(s, line, err);
	}
	if (rc == 0 && ferror(f))
		rc = fg_error_set(err, FG_EIO, from_stdin ? "-" : list_path, 0,
				  0, "cannot read the list of run files: %s",
				  strerror(errno));
	free(line);
	if (!from_stdin)
		fclose(f);
	return rc;
}

size_t fg_sources_count(const fg_sources *s)
{
	return s ? s->count : 0;
}

const char *fg_sources_path(const fg_sources *s, size_t i)
{
	return s && i < s->count ? s->paths[i] : NULL;
}

uint64_t fg_sources_bytes(const fg_sources *s)
{
	return s && !s->unknown_size ? s->bytes : 0;
}
