/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the run files a command reads: paths, directories, standard
 * input and lists of paths, in the order given.
 *
 * A directory stands for every *.yaml and *.yml file under it, at any
 * depth, sorted by name within each directory (hidden names, those
 * starting with '.', are left out, as a shell's `*` leaves them out);
 * "-" stands for standard input, which may be read once.  Whether a path
 * is a regular file is checked when it is read (flopgate/run.h): a FIFO
 * or a device is refused there, with its name.
 */
#ifndef FLOPGATE_SOURCE_H
#define FLOPGATE_SOURCE_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>
#include "flopgate/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_sources fg_sources;

/* NULL when out of memory. */
FG_API fg_sources *fg_sources_new(void);
FG_API void fg_sources_free(fg_sources *sources);   /* NULL-safe */

/* Adds a run file, a directory (expanded now) or "-".  FG_EIO naming a
 * path that does not exist or a directory that cannot be read; FG_EUSAGE
 * for standard input named twice. */
FG_API int fg_sources_add(fg_sources *sources, const char *arg, fg_error *err);

/* Adds every path listed in the file at list_path, one a line ("-" reads
 * the list from standard input); empty lines are skipped and a line keeps
 * every other byte (a path may hold spaces).  Each line is added as
 * fg_sources_add adds an argument. */
FG_API int fg_sources_add_list(fg_sources *sources, const char *list_path,
			       fg_error *err);

FG_API size_t fg_sources_count(const fg_sources *sources);
/* The i-th path ("-" for standard input); borrowed. */
FG_API const char *fg_sources_path(const fg_sources *sources, size_t i);
/* The total size of the regular files, or 0 when any source's size is not
 * known (standard input): for progress. */
FG_API uint64_t fg_sources_bytes(const fg_sources *sources);

#ifdef __cplusplus
}
#endif

#endif
