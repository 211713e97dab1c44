/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — small blocks kept on free lists by size: see pool.h. */
#include "pool.h"

#include <stdlib.h>

/* Under AddressSanitizer a kept block is poisoned until it is taken
 * again, but for the link to the next (the leak checker follows it from
 * the list to every kept block): a value used after it was freed is
 * still caught. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(b, n) ASAN_POISON_MEMORY_REGION((b) + 1, \
	(n) - sizeof(fg_pool_block))
#define UNPOISON(b, n) ASAN_UNPOISON_MEMORY_REGION((b) + 1, \
	(n) - sizeof(fg_pool_block))
#else
#define POISON(b, n) ((void)(b), (void)(n))
#define UNPOISON(b, n) ((void)(b), (void)(n))
#endif

struct fg_pool_block {
	fg_pool_block *next;
};

/* The list of blocks of size bytes, 0 when they are too large for one. */
static size_t class_of(size_t size)
{
	return size && size <= FG_POOL_MAX
	       ? (size + FG_POOL_GRAIN - 1) / FG_POOL_GRAIN : 0;
}

void *fg_pool_take(fg_pool *pool, size_t size)
{
	size_t c = class_of(size);
	fg_pool_block *b;

	if (c && (b = pool->lists[c])) {
		UNPOISON(b, c * FG_POOL_GRAIN);
		pool->lists[c] = b->next;
		pool->kept[c]--;
		return b;
	}
	return malloc(c ? c * FG_POOL_GRAIN : size ? size : 1);
}

void fg_pool_give(fg_pool *pool, void *block, size_t size)
{
	size_t c = class_of(size);
	fg_pool_block *b = block;

	if (!b)
		return;
	if (!c || pool->kept[c] >= FG_POOL_KEEP) {
		free(b);
		return;
	}
	b->next = pool->lists[c];
	pool->lists[c] = b;
	pool->kept[c]++;
	POISON(b, c * FG_POOL_GRAIN);
}

int fg_pool_same_class(size_t a, size_t b)
{
	return class_of(a) && class_of(a) == class_of(b);
}
