/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the store's database file, kept out of the page cache as a
 * large recording checkpoints into it.
 *
 * A recording of a large stream writes its database twice: the
 * write-ahead log as the transaction grows, then the file when the log
 * is checkpointed, page by page in order (1.4 GB each for 200,000 runs).
 * This VFS is SQLite's own (the default one), with each write to a main
 * database file noted in a page cache window (cache_window.h): the same
 * bytes, the same locks and syncs, less memory churned (200,000 runs:
 * 1.2-1.8 s less system time, of 7.5-8.4).  The log is left alone: SQLite
 * reads it back (pages it spilled, the checkpoint), and keeping it out of
 * the cache cost more than it saved (2.5-3 s more).  A gate's writes, a
 * few pages, never make a window.
 *
 * The advice needs a descriptor of the file, which SQLite's VFS keeps to
 * itself: the descriptor it opens is the lowest one free (POSIX), so the
 * one free just before the open is it, when it then refers to the file
 * opened.  When it does not (SQLite reused a descriptor it kept), the
 * file is written without advice. */
#include "store_int.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_window.h"

typedef struct vfs_file {
	sqlite3_file base;
	int fd;                     /* -1: no advice */
	fg_cache_window window;
	/* SQLite's own file follows, szOsFile bytes of it */
} vfs_file;

#define REAL(f) ((sqlite3_file *)((vfs_file *)(f) + 1))
#define RM(f) (REAL(f)->pMethods)

static int v_close(sqlite3_file *f)
{
	return RM(f)->xClose(REAL(f));
}

static int v_read(sqlite3_file *f, void *p, int n, sqlite3_int64 at)
{
	return RM(f)->xRead(REAL(f), p, n, at);
}

static int v_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 at)
{
	vfs_file *v = (vfs_file *)f;
	int rc = RM(f)->xWrite(REAL(f), p, n, at);

	if (rc == SQLITE_OK && v->fd >= 0)
		fg_cache_window_wrote(&v->window, v->fd, (off_t)at,
				      (size_t)n);
	return rc;
}

static int v_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return RM(f)->xTruncate(REAL(f), size);
}

static int v_sync(sqlite3_file *f, int flags)
{
	return RM(f)->xSync(REAL(f), flags);
}

static int v_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return RM(f)->xFileSize(REAL(f), size);
}

static int v_lock(sqlite3_file *f, int level)
{
	return RM(f)->xLock(REAL(f), level);
}

static int v_unlock(sqlite3_file *f, int level)
{
	return RM(f)->xUnlock(REAL(f), level);
}

static int v_check_reserved(sqlite3_file *f, int *out)
{
	return RM(f)->xCheckReservedLock(REAL(f), out);
}

static int v_file_control(sqlite3_file *f, int op, void *arg)
{
	return RM(f)->xFileControl(REAL(f), op, arg);
}

static int v_sector_size(sqlite3_file *f)
{
	return RM(f)->xSectorSize(REAL(f));
}

static int v_device(sqlite3_file *f)
{
	return RM(f)->xDeviceCharacteristics(REAL(f));
}

static int v_shm_map(sqlite3_file *f, int region, int size, int extend,
		     void volatile **p)
{
	return RM(f)->xShmMap(REAL(f), region, size, extend, p);
}

static int v_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return RM(f)->xShmLock(REAL(f), offset, n, flags);
}

static void v_shm_barrier(sqlite3_file *f)
{
	RM(f)->xShmBarrier(REAL(f));
}

static int v_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return RM(f)->xShmUnmap(REAL(f), delete_flag);
}

static int v_fetch(sqlite3_file *f, sqlite3_int64 at, int n, void **p)
{
	return RM(f)->xFetch(REAL(f), at, n, p);
}

static int v_unfetch(sqlite3_file *f, sqlite3_int64 at, void *p)
{
	return RM(f)->xUnfetch(REAL(f), at, p);
}

/* One table for each version SQLite's own file may have: a method the
 * real file lacks is never offered. */
#define METHODS(version) {                                                 \
	version, v_close, v_read, v_write, v_truncate, v_sync,            \
	v_file_size, v_lock, v_unlock, v_check_reserved, v_file_control,  \
	v_sector_size, v_device, v_shm_map, v_shm_lock, v_shm_barrier,    \
	v_shm_unmap, v_fetch, v_unfetch }
static const sqlite3_io_methods methods[] = {
	METHODS(1), METHODS(2), METHODS(3)
};

static sqlite3_vfs vfs;

/* The descriptor the next open gets: the lowest free one. */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Whether fd is the file at path. */
static int is_file(int fd, const char *path)
{
	struct stat a, b;

	return fd >= 0 && path && fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	       S_ISREG(a.st_mode);
}

static int v_open(sqlite3_vfs *self, const char *name, sqlite3_file *f,
		  int flags, int *out_flags)
{
	sqlite3_vfs *real = self->pAppData;
	vfs_file *v = (vfs_file *)f;
	int fd = -1, rc, version;

	/* only a database written to is advised on */
	if (name && (flags & SQLITE_OPEN_MAIN_DB) &&
	    (flags & SQLITE_OPEN_READWRITE))
		fd = next_fd();
	memset(v, 0, sizeof(*v));
	rc = real->xOpen(real, name, REAL(f), flags, out_flags);
	if (rc != SQLITE_OK || !REAL(f)->pMethods) {
		/* SQLite closes a file whose open failed only when the open
		 * left it methods: the real one did, this one does not */
		if (REAL(f)->pMethods)
			RM(f)->xClose(REAL(f));
		f->pMethods = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	v->fd = is_file(fd, name) ? fd : -1;
	version = RM(f)->iVersion;
	f->pMethods = &methods[version < 1 ? 0 : version > 3 ? 2
						: version - 1];
	return SQLITE_OK;
}

const char *fg_store_vfs(void)
{
	sqlite3_vfs *real;

	if (vfs.zName)
		return vfs.zName;
	if (!(real = sqlite3_vfs_find(NULL)))
		return NULL;
	/* every method but open is SQLite's own, called as it is */
	vfs = *real;
	vfs.szOsFile = (int)sizeof(vfs_file) + real->szOsFile;
	vfs.pNext = NULL;
	vfs.zName = "flopgate";
	vfs.pAppData = real;
	vfs.xOpen = v_open;
	if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) {
		vfs.zName = NULL;
		return NULL;
	}
	return vfs.zName;
}
