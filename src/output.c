/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — outputs that appear whole or not at all (see
 * include/flopgate/output.h). */
/* renameat2 and RENAME_NOREPLACE, fopencookie (Linux, glibc) */
#define _GNU_SOURCE
#include "flopgate/output.h"

#include "cache_window.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEM ".flopgate-"

struct fg_output {
	char *target;       /* NULL: standard output */
	char *temp;         /* the spool beside the target, renamed on commit */
	FILE *file;
	int through;        /* copied into the target on commit */
	char **memory;      /* a memory output: the text, on commit */
	size_t *memory_length;
	int committed;
	/* standard output written in place (open_in_place): file writes
	 * to a copy of descriptor 1, which is cut back to `start` when the
	 * output is discarded */
	int in_place;
	off_t start;
	/* written straight into the target, /dev/null (null_device) */
	int direct;
};

static int nomem(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), size = n + strlen(name) + 2;
	char *path = malloc(size);

	if (path)
		snprintf(path, size, "%s%s%s", dir,
			 n && dir[n - 1] == '/' ? "" : "/", name);
	return path;
}

/* The directory part of path ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* mkstemp's files are 0600; an output is as readable as any file the user
 * creates. */
static void usual_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

int fg_spool_open(FILE **out, fg_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	*out = NULL;
	if (!dir || !*dir)
		dir = "/tmp";
	if (!(path = join(dir, STEM "spool-XXXXXX")))
		return nomem(err);
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	if (fd < 0 || !(*out = fdopen(fd, "w+"))) {
		fg_error_set(err, FG_EIO, dir, 0, 0, "cannot make a temporary "
			     "file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return FG_EIO;
	}
	free(path);
	return 0;
}

int fg_spool_copy(FILE *spool, FILE *out, fg_error *err)
{
	char buf[65536];
	size_t n;

	if (fflush(spool) || fseek(spool, 0, SEEK_SET))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return fg_error_set(err, FG_EIO, NULL, 0, 0,
					    "cannot write: %s",
					    strerror(errno));
	if (ferror(spool))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	return 0;
}

/* ---- files written front to back ------------------------------------------
 *
 * An output is written once, front to back, and never read back by this
 * process: it is kept out of the page cache as it grows (cache_window.h
 * says why). */
struct front_to_back {
	int fd;
	off_t at;           /* where the next byte goes */
	fg_cache_window window;
};

static ssize_t ftb_write(void *cookie, const char *buf, size_t n)
{
	struct front_to_back *f = cookie;
	size_t done = 0;
	ssize_t w;

	while (done < n) {
		w = write(f->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			break;
		}
		done += (size_t)w;
	}
	/* what did go counts, even when the rest failed */
	if (done) {
		fg_cache_window_wrote(&f->window, f->fd, f->at, done);
		f->at += (off_t)done;
	}
	return done || !n ? (ssize_t)done : -1;
}

static int ftb_close(void *cookie)
{
	struct front_to_back *f = cookie;
	int rc = close(f->fd);

	free(f);
	return rc;
}

/* A stream writing fd, which it owns, front to back from offset `at`
 * (where the file ends), 64 KiB at a time; NULL when out of memory (fd
 * still open). */
static FILE *front_to_back(int fd, off_t at)
{
	static const cookie_io_functions_t io = {
		.write = ftb_write, .close = ftb_close,
	};
	struct front_to_back *f = malloc(sizeof(*f));
	FILE *file;

	if (!f)
		return NULL;
	*f = (struct front_to_back){ .fd = fd, .at = at };
	if (!(file = fopencookie(f, "w", io)))
		free(f);
	else
		setvbuf(file, NULL, _IOFBF, 1 << 16);
	return file;
}

/* 1 when sb is the null device's: what is written there is gone, so no
 * output into it need wait in a spool until it is whole (a CI gate's
 * `> /dev/null` of a large stream spooled gigabytes into $TMPDIR). */
static int null_device(const struct stat *sb)
{
	struct stat null;

	return S_ISCHR(sb->st_mode) && stat("/dev/null", &null) == 0 &&
	       S_ISCHR(null.st_mode) && null.st_rdev == sb->st_rdev;
}

/* Standard output that is a regular file, positioned at its end (what
 * `> out.json` and `>> log` give), is written in place: a spool would
 * write the whole output twice, gigabytes for a large stream.  Nothing
 * that was in the file is lost when the output is discarded: it is cut
 * back to where it ended (fg_output_free).  /dev/null is written in
 * place too, with nothing to cut.  1 when set up that way; 0 for a pipe,
 * a terminal, another device, or a file positioned before its end
 * (`1<> file`), which are spooled as before. */
static int open_in_place(fg_output *o)
{
	struct stat sb;
	off_t at;
	int fd, flags;

	if (fstat(STDOUT_FILENO, &sb) ||
	    !(S_ISREG(sb.st_mode) || null_device(&sb)) ||
	    (flags = fcntl(STDOUT_FILENO, F_GETFL)) < 0)
		return 0;
	if (!S_ISREG(sb.st_mode)) {
		at = 0;            /* /dev/null: nothing to cut back */
	} else {
		at = (flags & O_APPEND) ? sb.st_size
					: lseek(STDOUT_FILENO, 0, SEEK_CUR);
		if (at < 0 || at != sb.st_size)
			return 0;
	}
	/* what the process printed before comes first */
	fflush(stdout);
	if ((fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
		return 0;
	if (!(o->file = front_to_back(fd, at))) {
		close(fd);
		return 0;
	}
	o->in_place = 1;
	o->start = at;
	return 1;
}

int fg_output_open(fg_output **out, const char *target, fg_error *err)
{
	fg_output *o = calloc(1, sizeof(*o));
	struct stat sb;
	char *dir = NULL, *resolved = NULL;
	int fd, rc = 0, exists;

	*out = NULL;
	if (!o)
		return nomem(err);
	if (!target || !strcmp(target, "-")) {
		if (open_in_place(o) == 0)
			rc = fg_spool_open(&o->file, err);
		goto done;
	}
	if (lstat(target, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		/* The link stays; what it points at is written. */
		if (stat(target, &sb)) {
			rc = fg_error_set(err, FG_EIO, target, 0, 0, "a symbolic "
					  "link to nothing: %s",
					  strerror(errno));
			goto done;
		}
		if (S_ISREG(sb.st_mode) && !(resolved = realpath(target,
								 NULL))) {
			rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot "
					  "resolve: %s", strerror(errno));
			goto done;
		}
	}
	if (!(o->target = strdup(resolved ? resolved : target))) {
		rc = nomem(err);
		goto done;
	}
	exists = stat(o->target, &sb) == 0;
	if (exists && S_ISDIR(sb.st_mode)) {
		rc = fg_error_set(err, FG_EIO, target, 0, 0, "is a directory");
		goto done;
	}
	if (exists && null_device(&sb)) {
		fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || !(o->file = front_to_back(fd, 0))) {
			rc = fd < 0 ? fg_error_set(err, FG_EIO, target, 0, 0,
						   "cannot write: %s",
						   strerror(errno))
				    : nomem(err);
			if (fd >= 0)
				close(fd);
			goto done;
		}
		o->direct = 1;
		goto done;
	}
	if (exists && !S_ISREG(sb.st_mode)) {
		/* a FIFO, a terminal, another device: written through on
		 * commit, never replaced */
		o->through = 1;
		rc = fg_spool_open(&o->file, err);
		goto done;
	}
	if (!(dir = dir_of(o->target)) ||
	    !(o->temp = join(dir, STEM "XXXXXX"))) {
		rc = nomem(err);
		goto done;
	}
	if ((fd = mkstemp(o->temp)) < 0) {
		rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot write "
				  "here: %s", strerror(errno));
		free(o->temp);
		o->temp = NULL;
		goto done;
	}
	usual_mode(fd);
	if (!(o->file = front_to_back(fd, 0))) {
		close(fd);
		rc = nomem(err);
	}
done:
	free(dir);
	free(resolved);
	if (rc < 0) {
		fg_output_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

int fg_output_open_memory(fg_output **out, char **text, size_t *length,
			  fg_error *err)
{
	fg_output *o = calloc(1, sizeof(*o));
	int rc;

	*out = NULL;
	*text = NULL;
	if (length)
		*length = 0;
	if (!o)
		return nomem(err);
	if ((rc = fg_spool_open(&o->file, err)) < 0) {
		free(o);
		return rc;
	}
	o->memory = text;
	o->memory_length = length;
	*out = o;
	return 0;
}

/* Reads the spool back into a NUL-terminated buffer for a memory
 * output. */
static int copy_to_memory(fg_output *o, fg_error *err)
{
	long size;
	char *text;

	if (fflush(o->file) || fseek(o->file, 0, SEEK_END) ||
	    (size = ftell(o->file)) < 0 || fseek(o->file, 0, SEEK_SET))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	if (!(text = malloc((size_t)size + 1)))
		return nomem(err);
	if (fread(text, 1, (size_t)size, o->file) != (size_t)size) {
		free(text);
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	}
	text[size] = '\0';
	*o->memory = text;
	if (o->memory_length)
		*o->memory_length = (size_t)size;
	return 0;
}

FILE *fg_output_stream(fg_output *o)
{
	return o ? o->file : NULL;
}

const char *fg_output_name(const fg_output *o)
{
	if (o && o->memory)
		return "memory";
	return o && o->target ? o->target : "standard output";
}

/* Copies the spool into `to` inside the kernel (sendfile), sparing a
 * read into a buffer and a write out of it: the output of a large stream
 * is hundreds of megabytes.  1 when done, 0 when the kernel cannot (an
 * O_APPEND target, an old kernel) and nothing was copied, -1 on a write
 * error after part of it went. */
static int copy_in_kernel(FILE *spool, FILE *to)
{
	struct stat sb;
	off_t offset = 0;
	ssize_t n;

	if (fflush(spool) || fflush(to) || fstat(fileno(spool), &sb) ||
	    !S_ISREG(sb.st_mode))
		return 0;
	while (offset < sb.st_size) {
		n = sendfile(fileno(to), fileno(spool), &offset,
			     (size_t)(sb.st_size - offset));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && offset == 0 &&
		    (errno == EINVAL || errno == ENOSYS || errno == EBADF))
			return 0;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
	}
	return 1;
}

/* Copies the spool into a file descriptor's stream. */
static int copy_out(fg_output *o, FILE *to, fg_error *err)
{
	int rc = copy_in_kernel(o->file, to);

	if (rc < 0)
		rc = fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write: %s",
				  strerror(errno));
	else if (rc == 0)
		rc = fg_spool_copy(o->file, to, err);
	else
		rc = 0;

	if (rc == 0 && (fflush(to) || ferror(to)))
		rc = fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write: %s",
				  strerror(errno));
	if (rc < 0 && o->target)
		snprintf(err->file, sizeof(err->file), "%s", o->target);
	else if (rc < 0 && err)
		snprintf(err->message, sizeof(err->message), "cannot write to "
			 "standard output: %s", strerror(errno ? errno : EIO));
	return rc;
}

/* Flushes and closes the file an output writes in place (its temporary
 * file beside the target, or a copy of standard output), naming where it
 * failed: 0, or FG_EIO. */
static int close_written(fg_output *o, fg_error *err)
{
	int failed = fflush(o->file) || ferror(o->file);
	int code = failed ? (errno ? errno : EIO) : 0;

	if (fclose(o->file) && !failed) {
		failed = 1;
		code = errno ? errno : EIO;
	}
	o->file = NULL;
	if (!failed)
		return 0;
	if (o->target)
		return fg_error_set(err, FG_EIO, o->target, 0, 0,
				    "cannot write: %s", strerror(code));
	return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write to "
			    "standard output: %s", strerror(code));
}

int fg_output_commit(fg_output *o, fg_error *err)
{
	FILE *to;
	int fd, rc;

	if (!o || o->committed)
		return 0;
	if (o->memory) {
		rc = copy_to_memory(o, err);
	} else if (o->in_place || o->direct) {
		rc = close_written(o, err);
	} else if (!o->target) {
		rc = copy_out(o, stdout, err);
	} else if (o->through) {
		fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || !(to = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			return fg_error_set(err, FG_EIO, o->target, 0, 0,
					    "cannot write: %s",
					    strerror(errno));
		}
		rc = copy_out(o, to, err);
		if (fclose(to) && rc == 0)
			rc = fg_error_set(err, FG_EIO, o->target, 0, 0,
					  "cannot write: %s", strerror(errno));
	} else {
		rc = close_written(o, err);
		if (rc == 0 && rename(o->temp, o->target))
			rc = fg_error_set(err, FG_EIO, o->target, 0, 0,
					  "cannot write: %s", strerror(errno));
		if (rc == 0) {
			free(o->temp);
			o->temp = NULL;
		}
	}
	if (rc == 0)
		o->committed = 1;
	return rc;
}

void fg_output_free(fg_output *o)
{
	if (!o)
		return;
	if (o->file)
		fclose(o->file);
	/* discarded: standard output back to what it held before */
	if (o->in_place && !o->committed &&
	    ftruncate(STDOUT_FILENO, o->start) == 0)
		(void)lseek(STDOUT_FILENO, o->start, SEEK_SET);
	if (o->temp)
		unlink(o->temp);
	free(o->temp);
	free(o->target);
	free(o);
}

/* ---- output directories -------------------------------------------------- */

#define DIR_BUFFERS 2
#define DIR_BUFFER_SIZE (64 * 1024)

struct fg_output_dir {
	char *dir;
	char *fresh;        /* DIR without its trailing '/', when it did not
			     * exist: the stage becomes it by one rename */
	char *stage;        /* DIR/.flopgate-stage-XXXXXX, or beside DIR
			     * (in its parent) when DIR is fresh */
	char *backup;       /* DIR/.flopgate-backup-XXXXXX, during commit */
	FILE *manifest;     /* the staged names, one a line (a spool: the
			     * list never sits in memory) */
	FILE *journal;      /* during commit: "R name" replaced, "N name"
			     * new, for rolling back */
	int committed;
	/* the buffers of the files open at once (a report and its chart),
	 * lent by fg_output_dir_create: with stdio's own, each file cost an
	 * fstat for its size and a write every 4 KiB, and a report of
	 * 200,000 runs writes 400,000 files */
	struct {
		FILE *file;         /* the file it serves, or NULL */
		char *bytes;
	} buffer[DIR_BUFFERS];
};

/* Lends file one of the directory's buffers, when one is free (else
 * file keeps stdio's own). */
static void lend_buffer(fg_output_dir *d, FILE *file)
{
	size_t i;

	for (i = 0; i < DIR_BUFFERS; i++) {
		if (d->buffer[i].file)
			continue;
		if (!d->buffer[i].bytes &&
		    !(d->buffer[i].bytes = malloc(DIR_BUFFER_SIZE)))
			return;
		if (setvbuf(file, d->buffer[i].bytes, _IOFBF,
			    DIR_BUFFER_SIZE) == 0)
			d->buffer[i].file = file;
		return;
	}
}

/* fclose(file), and its buffer back to the directory. */
static int close_file(fg_output_dir *d, FILE *file)
{
	size_t i;
	int rc;

	for (i = 0; i < DIR_BUFFERS && d->buffer[i].file != file; i++)
		;
	rc = fclose(file);
	if (i < DIR_BUFFERS)
		d->buffer[i].file = NULL;
	return rc;
}

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int fg_output_dir_open(fg_output_dir **out, const char *dir, fg_error *err)
{
	fg_output_dir *d = calloc(1, sizeof(*d));
	int rc = 0;

	*out = NULL;
	struct stat sb;
	char *parent = NULL;
	size_t n;

	if (!d || !(d->dir = strdup(dir))) {
		rc = nomem(err);
		goto done;
	}
	if (!is_dir(dir)) {
		/* A directory that is not there yet is staged beside where it
		 * will be and appears whole, by one rename, on commit: no
		 * file of it is renamed on its own, and a failure leaves
		 * nothing (not even an empty directory) behind. */
		if (!(d->fresh = strdup(dir))) {
			rc = nomem(err);
			goto done;
		}
		for (n = strlen(d->fresh); n > 1 && d->fresh[n - 1] == '/'; )
			d->fresh[--n] = 0;
		if (lstat(d->fresh, &sb) == 0) {
			rc = fg_error_set(err, FG_EIO, dir, 0, 0, "cannot "
					  "create the directory: %s",
					  strerror(EEXIST));
			goto done;
		}
		if (!(parent = dir_of(d->fresh)) ||
		    !(d->stage = join(parent, STEM "stage-XXXXXX"))) {
			free(parent);
			rc = nomem(err);
			goto done;
		}
		free(parent);
	} else if (!(d->stage = join(dir, STEM "stage-XXXXXX"))) {
		rc = nomem(err);
		goto done;
	}
	if (!mkdtemp(d->stage)) {
		rc = fg_error_set(err, FG_EIO, dir, 0, 0, d->fresh ? "cannot "
				  "create the directory: %s" : "cannot write a "
				  "report here: %s", strerror(errno));
		free(d->stage);
		d->stage = NULL;
		goto done;
	}
	if (d->fresh) {
		/* what mkdir(dir, 0777) would have made */
		mode_t mask = umask(0);

		umask(mask);
		(void)chmod(d->stage, 0777 & ~mask);
	}
	rc = fg_spool_open(&d->manifest, err);
done:
	if (rc < 0) {
		fg_output_dir_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int fg_output_dir_create(fg_output_dir *d, const char *name, FILE **file,
			 fg_error *err)
{
	char *path;
	int e;

	*file = NULL;
	if (!*name || name[0] == '.' || strchr(name, '/'))
		return fg_error_set(err, FG_EINPUT, d->dir, 0, 0, "`%s` is not "
				    "a plain file name", name);
	if (!(path = join(d->stage, name)))
		return nomem(err);
	/* "x": O_EXCL, "e": O_CLOEXEC; one open, where open and fdopen
	 * cost a call more for each file */
	if (!(*file = fopen(path, "wxe"))) {
		e = errno;
		if (e == EEXIST) {
			free(path);
			return fg_error_set(err, FG_EINPUT, d->dir, 0, 0, "two "
					    "outputs would share the file %s",
					    name);
		}
		/* created, if the stream then could not be had */
		unlink(path);
		free(path);
		return fg_error_set(err, FG_EIO, d->dir, 0, 0, "cannot write "
				    "a report here: %s", strerror(e));
	}
	free(path);
	lend_buffer(d, *file);
	if (fprintf(d->manifest, "%s\n", name) < 0) {
		close_file(d, *file);
		*file = NULL;
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file: %s", strerror(errno));
	}
	return 0;
}

int fg_output_dir_close(fg_output_dir *d, FILE *file, fg_error *err)
{
	int rc = 0;

	if (fflush(file) || ferror(file))
		rc = fg_error_set(err, FG_EIO, d->dir, 0, 0, "cannot write: %s",
				  strerror(errno));
	if (close_file(d, file) && rc == 0)
		rc = fg_error_set(err, FG_EIO, d->dir, 0, 0, "cannot write: %s",
				  strerror(errno));
	return rc;
}

/* The next name of a list file (one a line) into buf; 0 at the end. */
static int next_name(FILE *list, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, list))
		return 0;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 1;
}

/* Puts back what the journal says was replaced, removes what was new. */
static void roll_back(fg_output_dir *d)
{
	char line[NAME_MAX + 8], *target, *kept;

	if (!d->journal || fseek(d->journal, 0, SEEK_SET))
		return;
	while (next_name(d->journal, line, sizeof(line))) {
		if (!(target = join(d->dir, line + 2)))
			continue;
		if (line[0] == 'R' && (kept = join(d->backup, line + 2))) {
			(void)rename(kept, target);
			free(kept);
		} else if (line[0] == 'N') {
			(void)unlink(target);
		}
		free(target);
	}
}

static int commit_one(fg_output_dir *d, const char *name, fg_error *err)
{
	char *staged = join(d->stage, name), *target = join(d->dir, name);
	char *kept = NULL;
	struct stat sb;
	int rc = 0, exists;

	if (!staged || !target) {
		rc = nomem(err);
		goto done;
	}
	exists = lstat(target, &sb) == 0;
	if (exists) {
		/* the file it replaces is kept until every rename worked */
		if (!d->backup) {
			if (!(d->backup = join(d->dir, STEM "backup-XXXXXX")) ||
			    !mkdtemp(d->backup)) {
				free(d->backup);
				d->backup = NULL;
				rc = fg_error_set(err, FG_EIO, target, 0, 0,
						  "cannot replace the report: "
						  "%s; nothing was written",
						  strerror(errno));
				goto done;
			}
		}
		if (!(kept = join(d->backup, name)) || link(target, kept)) {
			rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot "
					  "replace the report: %s; nothing was "
					  "written", strerror(errno));
			goto done;
		}
	}
	if (fprintf(d->journal, "%c %s\n", exists ? 'R' : 'N', name) < 0 ||
	    fflush(d->journal)) {
		if (kept)
			unlink(kept);
		rc = fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				  "temporary file: %s", strerror(errno));
		goto done;
	}
	if (rename(staged, target))
		rc = fg_error_set(err, FG_EIO, target, 0, 0, "cannot write: "
				  "%s; nothing was written", strerror(errno));
done:
	free(staged);
	free(target);
	free(kept);
	return rc;
}

/* Every target is a regular file or does not exist yet: a rename would
 * replace anything else (a directory fails half-way, a device node or a
 * FIFO would be replaced by a regular file). */
static int check_targets(fg_output_dir *d, fg_error *err)
{
	char name[NAME_MAX + 2], *target;
	struct stat sb;
	int rc = 0;

	if (fseek(d->manifest, 0, SEEK_SET))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	while (rc == 0 && next_name(d->manifest, name, sizeof(name))) {
		if (!(target = join(d->dir, name)))
			return nomem(err);
		if (lstat(target, &sb) == 0 && !S_ISREG(sb.st_mode))
			rc = fg_error_set(err, FG_EIO, target, 0, 0,
					  "cannot write the report here: it is "
					  "%s, not a regular file; nothing was "
					  "written", S_ISDIR(sb.st_mode)
					  ? "a directory" : S_ISLNK(sb.st_mode)
					  ? "a symbolic link" : "a special file");
		free(target);
	}
	return rc;
}

/* A fresh directory: the stage becomes it.  1 when it did, 0 when the
 * directory appeared meanwhile (its files are then published one by one,
 * as into any existing directory), or FG_EIO. */
static int publish_fresh(fg_output_dir *d, FILE *listed, fg_error *err)
{
	char name[NAME_MAX + 2], *path;

	if (renameat2(AT_FDCWD, d->stage, AT_FDCWD, d->fresh,
		      RENAME_NOREPLACE)) {
		if (errno == EEXIST && is_dir(d->fresh))
			return 0;
		return fg_error_set(err, FG_EIO, d->dir, 0, 0, "cannot write: "
				    "%s; nothing was written",
				    strerror(errno));
	}
	d->committed = 1;
	free(d->stage);
	d->stage = NULL;
	if (listed && fseek(d->manifest, 0, SEEK_SET) == 0)
		while (next_name(d->manifest, name, sizeof(name)))
			if ((path = join(d->dir, name))) {
				fprintf(listed, "wrote %s\n", path);
				free(path);
			}
	return 1;
}

int fg_output_dir_commit(fg_output_dir *d, FILE *listed, fg_error *err)
{
	char name[NAME_MAX + 2], line[NAME_MAX + 8], *path;
	int rc;

	if (fflush(d->manifest))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot write a "
				    "temporary file: %s", strerror(errno));
	if (d->fresh && (rc = publish_fresh(d, listed, err)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = check_targets(d, err)) < 0 ||
	    (rc = fg_spool_open(&d->journal, err)) < 0)
		return rc;
	if (fseek(d->manifest, 0, SEEK_SET))
		return fg_error_set(err, FG_EIO, NULL, 0, 0, "cannot read a "
				    "temporary file back: %s", strerror(errno));
	while (rc == 0 && next_name(d->manifest, name, sizeof(name)))
		rc = commit_one(d, name, err);
	if (rc < 0) {
		roll_back(d);
		return rc;
	}
	d->committed = 1;
	/* every rename worked: the replaced files may go */
	if (fseek(d->journal, 0, SEEK_SET) == 0)
		while (next_name(d->journal, line, sizeof(line))) {
			if (line[0] == 'R' && d->backup &&
			    (path = join(d->backup, line + 2))) {
				unlink(path);
				free(path);
			}
			if (listed && (path = join(d->dir, line + 2))) {
				fprintf(listed, "wrote %s\n", path);
				free(path);
			}
		}
	return 0;
}

void fg_output_dir_free(fg_output_dir *d)
{
	char name[NAME_MAX + 2], *path;
	size_t i;

	if (!d)
		return;
	/* what was not published goes (once published, the stage is empty
	 * or gone) */
	if (!d->committed && d->manifest && d->stage &&
	    fseek(d->manifest, 0, SEEK_SET) == 0)
		while (next_name(d->manifest, name, sizeof(name)))
			if ((path = join(d->stage, name))) {
				unlink(path);
				free(path);
			}
	if (d->stage)
		rmdir(d->stage);
	if (d->backup)
		rmdir(d->backup);
	if (d->manifest)
		fclose(d->manifest);
	if (d->journal)
		fclose(d->journal);
	for (i = 0; i < DIR_BUFFERS; i++)
		free(d->buffer[i].bytes);
	free(d->stage);
	free(d->backup);
	free(d->fresh);
	free(d->dir);
	free(d);
}
