/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — lines sorted by keys, without holding them (internal, not
 * API): a report's deadlines across every run, in due-date order. */
#ifndef FLOPGATE_SORTER_H
#define FLOPGATE_SORTER_H

#include <stddef.h>
#include "flopgate/error.h"

typedef struct fg_sorter fg_sorter;

int fg_sorter_new(fg_sorter **out, fg_error *err);

/* Adds a line under four keys (NULL sorts first); lines with equal keys
 * keep the order they were added in.  0 or FG_ESTORE. */
int fg_sorter_add(fg_sorter *sorter, const char *const keys[4],
		  const char *line, size_t length, fg_error *err);

/* Calls each(ctx, line, length) in key order; stops at a negative return,
 * which it returns.  0 or FG_ESTORE. */
int fg_sorter_each(fg_sorter *sorter,
		   int (*each)(void *ctx, const char *line, size_t length),
		   void *ctx, fg_error *err);

size_t fg_sorter_count(const fg_sorter *sorter);

void fg_sorter_free(fg_sorter *sorter);  /* NULL-safe */

#endif
