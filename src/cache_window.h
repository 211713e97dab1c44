/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — large files written front to back, kept out of the page
 * cache (internal, not API).
 *
 * An output of a large stream is gigabytes written once, front to back,
 * and a recording checkpoints its database file much the same way.  Left
 * to the page cache, such a write fills memory with dirty pages the size
 * of the file, each a page the kernel has not handed out for a while, and
 * filling fresh pages is what the write costs most: 4.3 GB into a file
 * took 4.5-9.3 s of system time on the 2-core machine bench/ runs on,
 * against 1.2-1.3 s when the same pages come back round.  So every FG_CACHE_WINDOW bytes written, the span
 * they were written in is handed to writeback, and the span handed over
 * the time before (written out by then, as a rule) is dropped from the
 * cache: the cache holds some two windows of the file.  Advice only:
 * nothing here can fail a write, and a file written less than two
 * windows' worth stays cached whole for whatever reads it next (a gate's
 * database, a report read right after).
 */
#ifndef FLOPGATE_CACHE_WINDOW_H
#define FLOPGATE_CACHE_WINDOW_H

#include <stddef.h>
#include <sys/types.h>

#define FG_CACHE_WINDOW ((size_t)32 << 20)

/* Zero-initialised before the first write. */
typedef struct fg_cache_window {
	size_t written;     /* bytes written since the last hand-over */
	off_t lo, hi;       /* the span they were written in */
	off_t drop_lo, drop_hi; /* the span handed over last */
} fg_cache_window;

/* Notes n bytes written at `offset` into the file open as fd (any
 * descriptor of it: the advice is about the file), and gives the advice
 * once a window's worth was written.  Counted in bytes written, not in
 * the span they cover: a gate's few pages scattered over a large
 * database never make a window. */
void fg_cache_window_wrote(fg_cache_window *w, int fd, off_t offset,
			   size_t n);

#endif
