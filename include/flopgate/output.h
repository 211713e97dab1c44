/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — outputs that appear whole or not at all.
 *
 * Everything a command prints is written first to a spool (a temporary
 * file) and published only when the whole command succeeded: bad input
 * found at the end of a stream leaves standard output empty and no file
 * behind, without holding the output in memory.  Standard output that is
 * a regular file positioned at its end (`> out.json`, `>> log`) is the
 * exception: it is written in place, so that a large output is not
 * written twice, and cut back to where it ended when the output is
 * discarded (a process killed before that leaves what it wrote).
 * /dev/null, as standard output or a target, is written straight: what
 * goes there is gone, so nothing need wait in a spool.  A file target is
 * replaced atomically (a temporary file beside it, renamed over it); a
 * target that is not a regular file (a FIFO, a terminal) is written
 * through on commit, never replaced; a symbolic link keeps
 * pointing where it did and what it points at is replaced.
 *
 * An output directory (fg_output_dir) publishes many files at once, all or
 * nothing, in memory that does not grow with their number.  A directory
 * that does not exist yet is written as a hidden staging directory beside
 * it (in its parent), which becomes it by one rename on commit; nothing
 * is left when it is discarded.  Into an existing directory, the files
 * are written into a hidden staging directory inside it, every target is
 * checked, and only then renamed into place (what they replace is kept
 * until every rename succeeded, and put back when one fails); so too
 * when the directory appeared between open and commit.
 */
#ifndef FLOPGATE_OUTPUT_H
#define FLOPGATE_OUTPUT_H

#include "flopgate/export.h"

#include <stdio.h>
#include "flopgate/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_output fg_output;

/* Opens an output: target NULL or "-" is standard output, else a path.
 * Nothing is created at the target until fg_output_commit.  FG_EIO naming
 * the target when its directory cannot hold the temporary file (or the
 * target is a directory, or a symbolic link to nothing). */
FG_API int fg_output_open(fg_output **out, const char *target, fg_error *err);

/* An output into memory: on commit, *text (owned by the caller: free()
 * or fg_free()) is everything written, NUL-terminated, and *length (may
 * be NULL) its length; until then *text is NULL.  0, or FG_EIO when no
 * temporary file can be made. */
FG_API int fg_output_open_memory(fg_output **out, char **text, size_t *length,
				 fg_error *err);

/* Where to write (borrowed; do not close it). */
FG_API FILE *fg_output_stream(fg_output *output);

/* The target for messages: the path, or "standard output". */
FG_API const char *fg_output_name(const fg_output *output);

/* Publishes what was written.  0, or FG_EIO naming the target (nothing
 * of it was replaced when a rename fails; a write-through target may
 * hold part of the output). */
FG_API int fg_output_commit(fg_output *output, fg_error *err);

/* Frees the output, discarding what was written unless it was committed.
 * NULL-safe. */
FG_API void fg_output_free(fg_output *output);

/* ---- spools: temporary files for a renderer's own use ------------------ */

/* A temporary file, removed when closed.  0 or FG_EIO. */
FG_API int fg_spool_open(FILE **out, fg_error *err);

/* Appends everything written to spool (from its start) to out.  0, or
 * FG_EIO. */
FG_API int fg_spool_copy(FILE *spool, FILE *out, fg_error *err);

/* ---- output directories -------------------------------------------------- */

typedef struct fg_output_dir fg_output_dir;

/* Opens the directory dir for new files; when it is missing, it is
 * created on commit (its parent must exist).  0, or FG_EIO naming dir. */
FG_API int fg_output_dir_open(fg_output_dir **out, const char *dir,
			      fg_error *err);

/* Creates the file `name` (a plain file name, no '/') to be published
 * into the directory; *file is its stream, to close with
 * fg_output_dir_close when written, before the directory is committed or
 * freed (its buffer may be the directory's).  A name given twice is
 * refused, FG_EINPUT: two reports would land on one file. */
FG_API int fg_output_dir_create(fg_output_dir *dir, const char *name,
				FILE **file, fg_error *err);

/* Closes a file of fg_output_dir_create, checking it was written. */
FG_API int fg_output_dir_close(fg_output_dir *dir, FILE *file, fg_error *err);

/* Publishes every file: first checks that every target is a regular file
 * or absent, then renames; on failure every target is as it was.  With
 * `listed`, prints "wrote PATH" for each file on it.  0 or FG_EIO. */
FG_API int fg_output_dir_commit(fg_output_dir *dir, FILE *listed,
				fg_error *err);

/* Discards what was not published and frees.  NULL-safe. */
FG_API void fg_output_dir_free(fg_output_dir *dir);

#ifdef __cplusplus
}
#endif

#endif
