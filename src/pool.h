/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — small blocks kept on free lists by size (internal, not API).
 *
 * A run's work makes and drops thousands of small blocks (GMP's limbs,
 * jansson's values); glibc's malloc spends a fifth of a report's time
 * taking them apart and putting them back.  A pool keeps the blocks it is
 * given, one list per multiple of FG_POOL_GRAIN bytes up to FG_POOL_MAX,
 * and hands them out again.  Every block is one malloc'd block of its
 * class's size: a block never on a list is what it would have been
 * without the pool, so a sanitizer still sees a leaked one.  A list keeps
 * at most FG_POOL_KEEP blocks, so what is kept never exceeds what was
 * once in use at the same time.  Not thread-safe. */
#ifndef FLOPGATE_POOL_H
#define FLOPGATE_POOL_H

#include <stddef.h>

#define FG_POOL_GRAIN 8
#define FG_POOL_MAX 512
#define FG_POOL_KEEP 65536

typedef struct fg_pool_block fg_pool_block;

typedef struct fg_pool {
	fg_pool_block *lists[FG_POOL_MAX / FG_POOL_GRAIN + 1];
	size_t kept[FG_POOL_MAX / FG_POOL_GRAIN + 1];
} fg_pool;

/* A block of at least size bytes (aligned as malloc aligns): a kept one
 * of its class, else a new one; NULL when memory runs out. */
void *fg_pool_take(fg_pool *pool, size_t size);

/* Gives back a block fg_pool_take(pool, size) returned (NULL is
 * ignored): kept, or freed when its list is full or it is too large for
 * one. */
void fg_pool_give(fg_pool *pool, void *block, size_t size);

/* 1 when blocks of sizes a and b are interchangeable (both the same
 * class). */
int fg_pool_same_class(size_t a, size_t b);

#endif
