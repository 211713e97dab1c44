/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — large files kept out of the page cache: see cache_window.h. */
/* sync_file_range (Linux, glibc) */
#define _GNU_SOURCE
#include "cache_window.h"

#include <fcntl.h>

void fg_cache_window_wrote(fg_cache_window *w, int fd, off_t offset,
			   size_t n)
{
	off_t to = offset + (off_t)n;

	if (!w->written || offset < w->lo)
		w->lo = offset;
	if (!w->written || to > w->hi)
		w->hi = to;
	w->written += n;
	if (w->written < FG_CACHE_WINDOW)
		return;
#ifdef SYNC_FILE_RANGE_WRITE
	(void)sync_file_range(fd, w->lo, w->hi - w->lo,
			      SYNC_FILE_RANGE_WRITE);
#endif
	if (w->drop_hi > w->drop_lo)
		(void)posix_fadvise(fd, w->drop_lo, w->drop_hi - w->drop_lo,
				    POSIX_FADV_DONTNEED);
	w->drop_lo = w->lo;
	w->drop_hi = w->hi;
	w->written = 0;
}
