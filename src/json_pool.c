/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — jansson's blocks from a pool (include/flopgate/result.h),
 * and its text in malloc's memory (json_write.h). */
#include "json_write.h"
#include "pool.h"

#include <stdlib.h>

#include "flopgate/result.h"

/* jansson frees a block without its size: each block starts with one,
 * in a header that keeps the value behind it aligned as malloc's are. */
typedef union block_head {
	size_t size;
	max_align_t align;
} block_head;

static fg_pool json_pool;

static void *pool_malloc(size_t size)
{
	block_head *h;

	if (size > (size_t)-1 - sizeof(*h) ||
	    !(h = fg_pool_take(&json_pool, sizeof(*h) + size)))
		return NULL;
	h->size = sizeof(*h) + size;
	return h + 1;
}

static void pool_free(void *p)
{
	block_head *h = p;

	if (h) {
		h--;
		fg_pool_give(&json_pool, h, h->size);
	}
}

void fg_json_pool_install(void)
{
	json_set_alloc_funcs(pool_malloc, pool_free);
}

char *fg_json_dumps(const json_t *v, size_t flags)
{
	size_t n = json_dumpb(v, NULL, 0, flags);
	char *s;

	if (!n || !(s = malloc(n + 1)))
		return NULL;
	if (json_dumpb(v, s, n, flags) != n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}
