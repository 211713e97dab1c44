/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the run ids a pipeline has met, to refuse a duplicate across
 * every input (internal, not API). */
#ifndef FLOPGATE_SEEN_H
#define FLOPGATE_SEEN_H

#include <stddef.h>
#include "flopgate/error.h"

typedef struct fg_seen fg_seen;

int fg_seen_new(fg_seen **out, fg_error *err);

/* Remembers id, met in source number `source` at `line`.  Returns 0 when
 * it is new, 1 when it was met before (*first_source and *first_line say
 * where), or FG_ESTORE. */
int fg_seen_add(fg_seen *seen, const char *id, size_t source, int line,
		size_t *first_source, int *first_line, fg_error *err);

void fg_seen_free(fg_seen *seen);   /* NULL-safe */

#endif
