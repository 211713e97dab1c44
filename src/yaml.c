/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the YAML loader (see include/flopgate/yaml.h).
 *
 * libyaml's event parser feeds a small tree builder, one document at a
 * time.  Bytes reach libyaml through a read handler that keeps them in a
 * window (the current document and libyaml's read-ahead, nothing older),
 * checks that they are UTF-8 text on the way in, and bounds how large one
 * document may grow; nesting depth is checked on every collection start,
 * and every node (an alias counts as the whole subtree it names) is
 * charged against the document's node budget.  So a stream of any length
 * is read in the memory of its largest document.
 *
 * Whole files (rulesets, waivers, the catalog: one document each) are
 * read into memory first, refused above max_bytes before a byte is read,
 * and checked to be text before parsing; their documents are gathered
 * into one fg_yaml.
 */
#include "flopgate/yaml.h"
#include "yaml_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

const fg_yaml_limits fg_yaml_default_limits = {
	.max_bytes = 16u << 20,
	.max_depth = 64,
	.max_nodes = 4000000,
};

typedef struct anchor {
	char *name;
	fg_node *node;
	int open;          /* 1 while the anchored collection is being built */
} anchor;

typedef struct document {
	fg_node *root;
	size_t start, end; /* byte offsets into text */
} document;

/* Nodes and scalar text live in arenas: one allocation per block rather
 * than two per node halves what a large inventory costs in memory.  Blocks
 * start small and double, so a stream of small documents (one fg_yaml
 * each) does not pay for a large block per document. */
#define NODE_BLOCK_MIN 32
#define NODE_BLOCK_MAX 1024
typedef struct node_block {
	struct node_block *next;
	size_t used, cap;
	fg_node nodes[];
} node_block;

#define TEXT_BLOCK_MIN 1024
#define TEXT_BLOCK_MAX 65536
typedef struct text_block {
	struct text_block *next;
	size_t used, cap;
	char data[];
} text_block;

struct fg_yaml {
	char *path;
	int path_borrowed;  /* path belongs to another fg_yaml */
	char *text;
	size_t length;
	size_t stream_start; /* a reader's document: where it began */
	document *docs;
	size_t doc_count, doc_cap;
	node_block *node_blocks;
	text_block *text_blocks;
};

typedef struct frame {
	fg_node *node;
	fg_node *saved_key;    /* the enclosing map's pending key */
	size_t anchor;         /* index + 1 of the node's anchor, 0 if none */
} frame;

typedef struct builder {
	fg_yaml *yaml;         /* the document being built */
	const fg_yaml_limits *limits;
	fg_error *err;
	frame *stack;
	size_t depth, stack_cap;
	fg_node *pending_key;  /* key read in the innermost open map */
	/* Anchors of the current document, and a hash index over their
	 * names (slot = anchor index + 1, 0 empty): a linear search made a
	 * 3 MB file of anchors and aliases take minutes. */
	anchor *anchors;
	size_t anchor_count, anchor_cap;
	size_t *slots;
	size_t slot_cap;
	size_t budget_used;    /* nodes of the current document */
} builder;

/* Where the bytes come from, and the window of them still needed. */
struct fg_yaml_reader {
	char *path;
	fg_yaml_limits limits;
	FILE *file;            /* NULL: reading mem */
	int own_file;
	const unsigned char *mem;
	size_t mem_length, mem_pos;
	int mem_checked;       /* mem's bytes were checked before reading */
	const char *node_path; /* non-NULL: documents borrow this path */
	uint64_t total;        /* the source's size when known, else 0 */
	yaml_parser_t parser;
	int parser_ready;
	int done;              /* the stream ended, or failed */
	builder b;
	fg_error io_error;     /* found by the read handler; reported in
				* place of libyaml's "input error" */
	int has_io_error;
	/* The window: bytes [win_off, win_off + win_len) of the stream. */
	unsigned char *win;
	size_t win_len, win_cap;
	uint64_t win_off;
	size_t bom;            /* 3 when the stream opened with a BOM */
	int started;           /* the BOM has been looked for */
	int eof;
	/* Validation: every byte before `checked` is UTF-8 text; line and
	 * column (as libyaml counts them) are those of byte `checked`. */
	uint64_t checked;
	int line, column;
	uint32_t prev;
	/* libyaml marks count characters: char `map_char` starts at byte
	 * `map_byte` (walked forward only). */
	uint64_t map_char, map_byte;
	/* The bytes of the current document began after this offset (the
	 * previous document's end), at this line. */
	uint64_t region_start;
	int region_line;
	uint64_t doc_start;
	fg_yaml none;          /* the builder's target between documents */
	int failed;            /* the code of the error that ended it */
	/* A document given back (fg_yaml_reader_recycle), emptied: its
	 * largest blocks of nodes and text serve the next document, so that
	 * a stream of documents is read without a block allocated for each
	 * one. */
	fg_yaml *spare;
};

/* ---- small growable arrays ------------------------------------------ */

static int grow(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *p;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	p = realloc(*array, n * elem);
	if (!p)
		return -1;
	*array = p;
	*cap = n;
	return 0;
}

static int fail(builder *b, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(builder *b, int line, int column, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fg_error_set(b->err, FG_EINPUT, b->yaml->path, line, column,
			    "%s", msg);
}

static int nomem(builder *b)
{
	return fg_error_set(b->err, FG_ENOMEM, b->yaml->path, 0, 0,
			    "out of memory while loading YAML");
}

static int mark_line(const yaml_mark_t *m)
{
	return (int)m->line + 1;
}

static int mark_column(const yaml_mark_t *m)
{
	return (int)m->column + 1;
}

/* ---- arenas ------------------------------------------------------------ */

static fg_node *arena_node(fg_yaml *y)
{
	node_block *nb = y->node_blocks;

	if (!nb || nb->used == nb->cap) {
		size_t cap = nb ? nb->cap * 2 : NODE_BLOCK_MIN;

		if (cap > NODE_BLOCK_MAX)
			cap = NODE_BLOCK_MAX;
		nb = malloc(sizeof(*nb) + cap * sizeof(fg_node));
		if (!nb)
			return NULL;
		nb->next = y->node_blocks;
		nb->used = 0;
		nb->cap = cap;
		y->node_blocks = nb;
	}
	return memset(&nb->nodes[nb->used++], 0, sizeof(fg_node));
}

/* A NUL-terminated copy of s[0..n) in the stream's text arena. */
static char *arena_string(fg_yaml *y, const char *s, size_t n)
{
	text_block *tb = y->text_blocks;
	char *p;

	if (!tb || tb->cap - tb->used < n + 1) {
		size_t cap = tb ? tb->cap * 2 : TEXT_BLOCK_MIN;

		if (cap > TEXT_BLOCK_MAX)
			cap = TEXT_BLOCK_MAX;
		if (n + 1 > cap / 4 && n + 1 > TEXT_BLOCK_MIN)
			cap = n + 1;
		tb = malloc(sizeof(*tb) + cap);
		if (!tb)
			return NULL;
		tb->used = 0;
		tb->cap = cap;
		/* A string too big for a shared block gets its own, kept
		 * behind the current block so that one's room is not lost. */
		if (cap == n + 1 && y->text_blocks) {
			tb->next = y->text_blocks->next;
			y->text_blocks->next = tb;
		} else {
			tb->next = y->text_blocks;
			y->text_blocks = tb;
		}
	}
	p = tb->data + tb->used;
	memcpy(p, s, n);
	p[n] = 0;
	tb->used += n + 1;
	return p;
}

/* ---- checking the bytes before libyaml -------------------------------- */

/* Returns the byte length of the valid UTF-8 sequence at s, or 0; *cp is
 * the code point.  A sequence cut short by `left` is 0 too. */
static size_t utf8_sequence(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return n;
}

/* 1 when s[0..left) is the start of a sequence that more bytes could
 * complete: a read may end in the middle of a character. */
static int cut_short(const unsigned char *s, size_t left)
{
	size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2, i;

	if (s[0] < 0xC2 || s[0] > 0xF4 || left >= need)
		return 0;
	for (i = 1; i < left; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* The characters YAML 1.1 allows in a stream (libyaml's reader refuses the
 * others with no usable position, so they are caught here first). */
static int printable(uint32_t c)
{
	return c == 0x09 || c == 0x0A || c == 0x0D ||
	       (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
	       (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
	       (c >= 0x10000 && c <= 0x10FFFF);
}

/* YAML line breaks, as libyaml counts them: LF, CR, CR LF, NEL, LS, PS. */
static int line_break(uint32_t c)
{
	return c == 0x0A || c == 0x0D || c == 0x85 || c == 0x2028 ||
	       c == 0x2029;
}

/* Moves line and column past character c (prev: the one before it). */
static void advance(int *line, int *column, uint32_t prev, uint32_t c)
{
	if (c == 0x0A && prev == 0x0D)
		; /* CR LF is one break, counted at the CR */
	else if (line_break(c))
		(*line)++, *column = 1;
	else
		(*column)++;
}

/* Checks s[0..len) from position (line, column), stopping at byte `stop`
 * (or the first bad byte when stop is SIZE_MAX).  Returns 0 with the
 * position of `stop` (or of the end) in *line, *column and *prev, 1 when
 * the text ends inside a sequence that more bytes could complete (at_end
 * 0; *done says how far it got), or fails at the first NUL, invalid UTF-8
 * or control character, naming file:line:column. */
static int check_bytes(const char *path, const unsigned char *s, size_t len,
		       size_t stop, int at_end, int *line, int *column,
		       uint32_t *prev, size_t *done, fg_error *err)
{
	size_t i = 0, n;
	uint32_t c = 0;

	while (i < len && i < stop) {
		/* Eight printable ASCII bytes at a time (no byte below 0x20,
		 * none 0x7F or above): the bulk of every line. */
		while (stop - i >= 8 && len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (((w - 0x2020202020202020u) | w |
			     ((w ^ 0x7F7F7F7F7F7F7F7Fu) - 0x0101010101010101u)) &
			    0x8080808080808080u)
				break;
			*column += 8;
			*prev = s[i + 7];
			i += 8;
		}
		if (i >= len || i >= stop)
			break;
		/* Printable ASCII, tab and LF -- nearly every byte of a file
		 * -- need none of the checks below: a tight loop for them
		 * makes checking cost what reading does. */
		if ((s[i] >= 0x20 && s[i] < 0x7F) || s[i] == '\t') {
			(*column)++;
			*prev = s[i++];
			continue;
		}
		if (s[i] == '\n') {
			if (*prev != 0x0D)
				(*line)++, *column = 1;
			*prev = s[i++];
			continue;
		}
		if (s[i] == 0)
			return fg_error_set(err, FG_EINPUT, path, *line,
					    *column, "NUL byte in the file; "
					    "YAML text may not contain one");
		n = utf8_sequence(s + i, len - i, &c);
		if (!n && !at_end && cut_short(s + i, len - i)) {
			*done = i;
			return 1;
		}
		if (!n)
			return fg_error_set(err, FG_EINPUT, path, *line,
					    *column, "invalid UTF-8 byte 0x%02X; "
					    "the file must be UTF-8 text", s[i]);
		if (!printable(c))
			return fg_error_set(err, FG_EINPUT, path, *line,
					    *column, "control character U+%04X "
					    "is not allowed in YAML text",
					    (unsigned)c);
		/* libyaml skips a BOM opening a later line but counts it
		 * as a column, and then misreads that line's indentation. */
		if (c == 0xFEFF && *column == 1)
			return fg_error_set(err, FG_EINPUT, path, *line,
					    *column, "byte order mark inside "
					    "the file; only the first line may "
					    "start with one (were files joined "
					    "with cat?)");
		advance(line, column, *prev, c);
		*prev = c;
		i += n;
	}
	*done = i;
	return 0;
}

/* ---- tree building ---------------------------------------------------- */

static fg_node *new_node(builder *b, fg_node_type type, const yaml_mark_t *m)
{
	fg_yaml *y = b->yaml;
	fg_node *n = arena_node(y);

	if (!n)
		return NULL;
	n->type = type;
	n->file = y->path;
	n->line = mark_line(m);
	n->column = mark_column(m);
	n->weight = 1;
	return n;
}

static int charge(builder *b, size_t weight, const yaml_mark_t *m,
		  const char *alias)
{
	if (weight <= b->limits->max_nodes &&
	    b->budget_used <= b->limits->max_nodes - weight) {
		b->budget_used += weight;
		return 0;
	}
	if (alias)
		return fail(b, mark_line(m), mark_column(m),
			    "alias *%s takes the document past %zu nodes once "
			    "aliases are expanded (an alias bomb?)", alias,
			    b->limits->max_nodes);
	return fail(b, mark_line(m), mark_column(m),
		    "document too large: more than %zu nodes",
		    b->limits->max_nodes);
}

/* FNV-1a: anchor names are short, any spread will do. */
static size_t hash_name(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot for name: the one holding it, or the empty one it would go in. */
static size_t *anchor_slot(builder *b, const char *name)
{
	size_t mask = b->slot_cap - 1, i = hash_name(name) & mask;

	while (b->slots[i] && strcmp(b->anchors[b->slots[i] - 1].name, name))
		i = (i + 1) & mask;
	return &b->slots[i];
}

static int rehash(builder *b, size_t cap)
{
	size_t i;

	free(b->slots);
	b->slots = calloc(cap, sizeof(*b->slots));
	if (!b->slots) {
		b->slot_cap = 0;
		return -1;
	}
	b->slot_cap = cap;
	/* In definition order, so that a redefined name ends on its latest
	 * node, as YAML says. */
	for (i = 0; i < b->anchor_count; i++)
		*anchor_slot(b, b->anchors[i].name) = i + 1;
	return 0;
}

/* Records an anchor; returns its index + 1, 0 when there is none, or a
 * negative code. */
static long add_anchor(builder *b, const yaml_char_t *name, fg_node *node,
		       int open)
{
	anchor *a;

	if (!name)
		return 0;
	if (grow((void **)&b->anchors, &b->anchor_cap, b->anchor_count + 1,
		 sizeof(*b->anchors)))
		return nomem(b);
	a = &b->anchors[b->anchor_count];
	a->name = strdup((const char *)name);
	if (!a->name)
		return nomem(b);
	a->node = node;
	a->open = open;
	b->anchor_count++;
	if (b->anchor_count * 2 > b->slot_cap) {
		if (rehash(b, b->slot_cap ? b->slot_cap * 2 : 64))
			return nomem(b);
	} else {
		*anchor_slot(b, a->name) = b->anchor_count;
	}
	return (long)b->anchor_count;
}

static anchor *find_anchor(builder *b, const char *name)
{
	size_t slot;

	if (!b->slot_cap)
		return NULL;
	slot = *anchor_slot(b, name);
	return slot ? &b->anchors[slot - 1] : NULL;
}

/* Anchors do not carry from one document to the next. */
static void drop_anchors(builder *b)
{
	size_t i;

	for (i = 0; i < b->anchor_count; i++)
		free(b->anchors[i].name);
	b->anchor_count = 0;
	free(b->slots);
	b->slots = NULL;
	b->slot_cap = 0;
}

/* Children arrays grow to powers of two: a node keeps no capacity field,
 * so the capacity is the next power of two at or above count (min 4). */
static int append_child(builder *b, fg_node *parent, fg_node *child)
{
	size_t c = parent->count;

	if (c == 0 || (c >= 4 && (c & (c - 1)) == 0)) {
		size_t n = c ? c * 2 : 4;
		fg_node **items = realloc(parent->items, n * sizeof(*items));

		if (!items)
			return nomem(b);
		parent->items = items;
		if (parent->type == FG_NODE_MAP) {
			fg_node **keys = realloc(parent->keys,
						 n * sizeof(*keys));
			if (!keys)
				return nomem(b);
			parent->keys = keys;
		}
	}
	parent->items[c] = child;
	return 0;
}

/* Places a finished node (scalar, alias target or closed collection) into
 * the open collection on top of the stack, or as the document root.  m is
 * where the node was written (an alias's own mark, not its target's). */
static int place(builder *b, fg_node *node, const yaml_mark_t *m)
{
	fg_yaml *y = b->yaml;
	fg_node *top;

	if (b->depth == 0) {
		y->docs[y->doc_count - 1].root = node;
		return 0;
	}
	top = b->stack[b->depth - 1].node;
	if (top->type == FG_NODE_SEQ) {
		if (append_child(b, top, node))
			return FG_ENOMEM;
		top->count++;
		top->weight += node->weight;
		return 0;
	}
	/* map: alternate key, value */
	if (!b->pending_key) {
		if (node->type != FG_NODE_SCALAR)
			return fail(b, mark_line(m), mark_column(m),
				    "a map key must be a plain string, not "
				    "%s", node->type == FG_NODE_SEQ
				    ? "a list" : "a map");
		b->pending_key = node;
		return 0;
	}
	if (append_child(b, top, node))
		return FG_ENOMEM;
	top->keys[top->count] = b->pending_key;
	top->count++;
	top->weight += b->pending_key->weight + node->weight;
	b->pending_key = NULL;
	return 0;
}

static int compare_keys(const void *pa, const void *pb)
{
	const fg_node *a = *(const fg_node *const *)pa;
	const fg_node *b = *(const fg_node *const *)pb;
	int c = strcmp(a->value, b->value);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->column < b->column ? -1 : a->column > b->column;
}

/* Duplicate keys are refused (YAML says keys are unique; libyaml does not
 * check).  Sorting keeps this O(n log n) for hostile maps. */
static int check_duplicates(builder *b, const fg_node *map)
{
	fg_node *small[16], **sorted = small;
	size_t i;
	int rc = 0;

	if (map->count < 2)
		return 0;
	/* a run's maps are small: no allocation for them */
	if (map->count > sizeof(small) / sizeof(small[0]) &&
	    !(sorted = malloc(map->count * sizeof(*sorted))))
		return nomem(b);
	memcpy(sorted, map->keys, map->count * sizeof(*sorted));
	if (sorted == small) {
		/* a few keys: sorted in place, without qsort's calls (the
		 * order is total, so the same as qsort's) */
		for (i = 1; i < map->count; i++) {
			fg_node *k = sorted[i];
			size_t j = i;

			for (; j && compare_keys(&sorted[j - 1], &k) > 0; j--)
				sorted[j] = sorted[j - 1];
			sorted[j] = k;
		}
	} else {
		qsort(sorted, map->count, sizeof(*sorted), compare_keys);
	}
	for (i = 1; i < map->count; i++) {
		if (!strcmp(sorted[i]->value, sorted[i - 1]->value)) {
			rc = fail(b, sorted[i]->line, sorted[i]->column,
				  "duplicate key `%s` (first at line %d, "
				  "column %d)", sorted[i]->value,
				  sorted[i - 1]->line, sorted[i - 1]->column);
			break;
		}
	}
	if (sorted != small)
		free(sorted);
	return rc;
}

/* Explicit tags are refused, core schema ones (`!!str`) included: the
 * loaders type every value by the key it sits under, so a tag could only
 * be ignored (`!!python/object:...`, `!custom`) or contradicted (`!!str
 * 1e24` read as a number).  Either way the file would not mean what it
 * says. */
static int refuse_tag(builder *b, const char *tag, const yaml_mark_t *m)
{
	static const char core[] = "tag:yaml.org,2002:";

	if (!strncmp(tag, core, sizeof(core) - 1))
		return fail(b, mark_line(m), mark_column(m),
			    "YAML tag `!!%s` is not allowed: flopgate reads "
			    "every value by the key it is under; write the "
			    "value untagged", tag + sizeof(core) - 1);
	return fail(b, mark_line(m), mark_column(m),
		    "YAML tag `%s` is not allowed: flopgate reads plain YAML "
		    "values, never application-specific types", tag);
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
	fg_node *n;
	const char *tag = (const char *)ev->data.scalar.tag;
	long rc;

	/* libyaml reports a tag only when one was written */
	if (tag)
		return refuse_tag(b, tag, &ev->start_mark);
	/* A "\0" escape in a quoted string: C strings cannot hold it. */
	if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
		return fail(b, mark_line(&ev->start_mark),
			    mark_column(&ev->start_mark),
			    "NUL character in a string");
	if (charge(b, 1, &ev->start_mark, NULL))
		return FG_EINPUT;
	n = new_node(b, FG_NODE_SCALAR, &ev->start_mark);
	if (!n)
		return nomem(b);
	n->value = arena_string(b->yaml, (const char *)ev->data.scalar.value,
				ev->data.scalar.length);
	if (!n->value)
		return nomem(b);
	n->length = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	rc = add_anchor(b, ev->data.scalar.anchor, n, 0);
	if (rc < 0)
		return (int)rc;
	return place(b, n, &ev->start_mark);
}

static int on_start(builder *b, const yaml_event_t *ev, fg_node_type type)
{
	const yaml_char_t *name = type == FG_NODE_MAP
		? ev->data.mapping_start.anchor
		: ev->data.sequence_start.anchor;
	const yaml_char_t *tag = type == FG_NODE_MAP
		? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
	fg_node *n;
	long rc;

	if (tag)
		return refuse_tag(b, (const char *)tag, &ev->start_mark);
	if (b->depth >= b->limits->max_depth)
		return fail(b, mark_line(&ev->start_mark),
			    mark_column(&ev->start_mark),
			    "nesting deeper than %zu levels",
			    b->limits->max_depth);
	if (charge(b, 1, &ev->start_mark, NULL))
		return FG_EINPUT;
	n = new_node(b, type, &ev->start_mark);
	if (!n)
		return nomem(b);
	if (grow((void **)&b->stack, &b->stack_cap, b->depth + 1,
		 sizeof(*b->stack)))
		return nomem(b);
	rc = add_anchor(b, name, n, 1);
	if (rc < 0)
		return (int)rc;
	b->stack[b->depth].node = n;
	b->stack[b->depth].saved_key = b->pending_key;
	b->stack[b->depth].anchor = (size_t)rc;
	b->pending_key = NULL;
	b->depth++;
	return 0;
}

static int on_end(builder *b)
{
	frame *f = &b->stack[b->depth - 1];
	fg_node *n = f->node;
	yaml_mark_t m;
	int rc;

	b->depth--;
	b->pending_key = f->saved_key;
	if (f->anchor)
		b->anchors[f->anchor - 1].open = 0;
	if (n->type == FG_NODE_MAP && (rc = check_duplicates(b, n)))
		return rc;
	memset(&m, 0, sizeof(m));
	m.line = (size_t)n->line - 1;
	m.column = (size_t)n->column - 1;
	return place(b, n, &m);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	anchor *a = find_anchor(b, name);
	const yaml_mark_t *m = &ev->start_mark;

	if (!a)
		return fail(b, mark_line(m), mark_column(m),
			    "alias *%s names no anchor in this document",
			    name);
	if (a->open)
		return fail(b, mark_line(m), mark_column(m),
			    "alias *%s refers to a node that contains it",
			    name);
	if (charge(b, a->node->weight, m, name))
		return FG_EINPUT;
	return place(b, a->node, m);
}

/* ---- the reader's window ---------------------------------------------- */

static fg_yaml *new_yaml(const char *name, const char *borrowed)
{
	fg_yaml *y = calloc(1, sizeof(*y));

	if (!y)
		return NULL;
	if (borrowed) {
		y->path = (char *)borrowed;
		y->path_borrowed = 1;
		return y;
	}
	y->path = strdup(name ? name : "<input>");
	if (!y->path) {
		free(y);
		return NULL;
	}
	return y;
}

/* Byte offset in the stream of character `index` (libyaml's marks count
 * characters from the first byte after any BOM). */
static uint64_t char_offset(fg_yaml_reader *r, uint64_t index)
{
	uint32_t c;

	/* Marks move forward but for an error's, which may point back a
	 * little: step back over whole characters, within the window. */
	while (r->map_char > index && r->map_byte > r->win_off) {
		do
			r->map_byte--;
		while (r->map_byte > r->win_off &&
		       (r->win[r->map_byte - r->win_off] & 0xC0) == 0x80);
		r->map_char--;
	}
	while (r->map_char < index &&
	       r->map_byte < r->win_off + r->win_len) {
		size_t at = (size_t)(r->map_byte - r->win_off);
		size_t n, run, most;

		if (r->win[at] < 0x80) {
			/* a run of ASCII, a byte a character: most of any
			 * file, walked without decoding */
			most = r->win_len - at;
			if (index - r->map_char < most)
				most = (size_t)(index - r->map_char);
			for (run = 1; run < most && r->win[at + run] < 0x80;
			     run++)
				;
			r->map_byte += run;
			r->map_char += run;
			continue;
		}
		n = utf8_sequence(r->win + at, r->win_len - at, &c);
		r->map_byte += n ? n : 1;
		r->map_char++;
	}
	return r->map_byte;
}

/* Drops window bytes before stream offset `keep`. */
static void window_drop(fg_yaml_reader *r, uint64_t keep)
{
	size_t n;

	if (keep <= r->win_off)
		return;
	n = (size_t)(keep - r->win_off);
	if (n > r->win_len)
		n = r->win_len;
	/* compact only when it frees enough to be worth the copy */
	if (n < r->win_len / 2 && n < 65536)
		return;
	memmove(r->win, r->win + n, r->win_len - n);
	r->win_len -= n;
	r->win_off += n;
}

/* The start of the line holding stream offset `at` (within the window). */
static uint64_t line_start(const fg_yaml_reader *r, uint64_t at)
{
	size_t i;

	if (at <= r->win_off)
		return r->win_off;
	i = (size_t)(at - r->win_off);
	if (i > r->win_len)
		i = r->win_len;
	while (i > 0 && r->win[i - 1] != '\n' && r->win[i - 1] != '\r')
		i--;
	return r->win_off + i;
}

static int io_fail(fg_yaml_reader *r, int code, int line, int column,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int io_fail(fg_yaml_reader *r, int code, int line, int column,
		   const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fg_error_set(&r->io_error, code, r->path, line, column, "%s", msg);
	r->has_io_error = 1;
	return 0;
}

static size_t source_read(fg_yaml_reader *r, unsigned char *buf, size_t n)
{
	size_t got;

	if (!r->file) {
		got = r->mem_length - r->mem_pos < n ? r->mem_length - r->mem_pos
						     : n;
		memcpy(buf, r->mem + r->mem_pos, got);
		r->mem_pos += got;
		return got;
	}
	got = fread(buf, 1, n, r->file);
	if (got == 0 && ferror(r->file))
		io_fail(r, FG_EIO, 0, 0, "cannot read: %s", strerror(errno));
	return got;
}

/* Appends n bytes to the window and checks what is complete of it. */
static int window_take(fg_yaml_reader *r, const unsigned char *p, size_t n)
{
	uint64_t end;
	size_t done = 0, from;
	int rc;

	if (n && r->win_len + n > r->win_cap &&
	    grow((void **)&r->win, &r->win_cap, r->win_len + n, 1))
		return io_fail(r, FG_ENOMEM, 0, 0, "out of memory while "
			       "reading YAML");
	if (n) {
		memcpy(r->win + r->win_len, p, n);
		r->win_len += n;
	}
	end = r->win_off + r->win_len;
	from = (size_t)(r->checked - r->win_off);
	/* A whole file was checked before parsing (load): checking its
	 * bytes again as they are read would only double the cost. */
	if (r->mem_checked)
		from = r->win_len, done = 0, r->checked = end;
	rc = from < r->win_len
		? check_bytes(r->path, r->win + from, r->win_len - from,
			      SIZE_MAX, r->eof, &r->line, &r->column, &r->prev,
			      &done, &r->io_error)
		: 0;
	if (rc < 0) {
		r->has_io_error = 1;
		return 0;
	}
	r->checked += done;
	/* One document may not grow past the limit; libyaml reads ahead a
	 * little, so the exact size is checked again at its end. */
	if (end - r->region_start > (uint64_t)r->limits.max_bytes + 65536)
		return io_fail(r, FG_EINPUT, r->region_line, 1,
			       "a document longer than %zu bytes, the limit "
			       "for one document", r->limits.max_bytes);
	return 1;
}

/* libyaml's read handler: the source's next bytes, through the window. */
static int read_handler(void *data, unsigned char *buf, size_t size,
			size_t *size_read)
{
	fg_yaml_reader *r = data;
	unsigned char head[3];
	size_t n, got = 0;

	*size_read = 0;
	if (r->has_io_error)
		return 0;
	if (!r->started) {
		/* A UTF-8 byte order mark is cut off before libyaml sees
		 * the text (given one, libyaml counts it as a column and
		 * misreads the first line's indentation). */
		r->started = 1;
		while (got < 3 && (n = source_read(r, head + got, 3 - got)))
			got += n;
		if (r->has_io_error)
			return 0;
		if (got == 3 && !memcmp(head, "\xEF\xBB\xBF", 3)) {
			r->bom = 3;
			r->win_off = r->checked = r->map_byte = 3;
			r->region_start = 3;
			got = 0;
		}
		if (got) {
			memcpy(buf, head, got);
			if (!window_take(r, buf, got))
				return 0;
			*size_read = got;
			return 1;
		}
	}
	n = source_read(r, buf, size);
	if (r->has_io_error)
		return 0;
	if (n == 0) {
		r->eof = 1;
		/* the last bytes, complete or not */
		return window_take(r, buf, 0) ? 1 : 0;
	}
	if (!window_take(r, buf, n))
		return 0;
	*size_read = n;
	return 1;
}

/* ---- documents ---------------------------------------------------------- */

static int on_document_start(fg_yaml_reader *r, const yaml_event_t *ev)
{
	builder *b = &r->b;
	fg_yaml *y;

	/* A %TAG directive exists only to define tags, which are refused;
	 * saying so at the directive is clearer than at its first use. */
	if (ev->data.document_start.tag_directives.start !=
	    ev->data.document_start.tag_directives.end)
		return fail(b, mark_line(&ev->start_mark),
			    mark_column(&ev->start_mark),
			    "%%TAG directive `%s %s` is not allowed: flopgate "
			    "reads plain YAML without tags",
			    (const char *)ev->data.document_start
				    .tag_directives.start->handle,
			    (const char *)ev->data.document_start
				    .tag_directives.start->prefix);
	if (r->spare) {
		y = r->spare;
		r->spare = NULL;
	} else {
		y = new_yaml(r->path, r->node_path);
	}
	if (!y || grow((void **)&y->docs, &y->doc_cap, 1, sizeof(*y->docs))) {
		fg_yaml_free(y);
		return nomem(b);
	}
	y->docs[0].root = NULL;
	y->doc_count = 1;
	b->yaml = y;
	b->budget_used = 0;
	r->doc_start = char_offset(r, ev->start_mark.index);
	return 0;
}

/* The document just ended: its text, and the window let go of it. */
static int on_document_end(fg_yaml_reader *r, const yaml_event_t *ev)
{
	builder *b = &r->b;
	fg_yaml *y = b->yaml;
	uint64_t end = char_offset(r, ev->end_mark.index);
	size_t length = (size_t)(end - r->doc_start);

	drop_anchors(b);
	if (length > r->limits.max_bytes)
		return fail(b, r->region_line, 1, "a document of %zu bytes; "
			    "the limit is %zu bytes for one document", length,
			    r->limits.max_bytes);
	if (!(y->text = malloc(length + 1)))
		return nomem(b);
	if (length)
		memcpy(y->text, r->win + (r->doc_start - r->win_off), length);
	y->text[length] = 0;
	y->length = length;
	y->stream_start = (size_t)r->doc_start;
	y->docs[0].start = 0;
	y->docs[0].end = length;
	/* Where the next document's bytes begin, and its first line:
	 * libyaml's end mark is on the line it ended. */
	r->region_start = end;
	r->region_line = mark_line(&ev->end_mark);
	window_drop(r, line_start(r, end));
	return 0;
}

/* 1 when the line holding stream offset `at` has a tab in its leading
 * whitespace; *column is the tab's. */
static int indent_tab(const fg_yaml_reader *r, uint64_t at, int *column)
{
	uint64_t start = line_start(r, at);
	size_t i = (size_t)(start - r->win_off), first = i;

	if (at < r->win_off || at > r->win_off + r->win_len)
		return 0;
	while (i < r->win_len && r->win[i] == ' ')
		i++;
	if (i >= r->win_len || r->win[i] != '\t')
		return 0;
	*column = (int)(i - first) + 1;
	return 1;
}

/* Turns libyaml's parser error into FILE:LINE:COL with a readable text. */
static int parser_error(fg_yaml_reader *r)
{
	builder *b = &r->b;
	const yaml_parser_t *p = &r->parser;
	const yaml_mark_t *m = &p->problem_mark;
	int line = mark_line(m), column = mark_column(m);
	uint64_t at;
	int tab_column;

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(b);
	if (r->has_io_error) {
		if (b->err)
			*b->err = r->io_error;
		return r->io_error.code;
	}
	if (p->error == YAML_READER_ERROR)
		/* The bytes were checked on the way in: what libyaml's
		 * reader still refuses has no better position. */
		return fail(b, r->line, r->column, "%s", p->problem
			    ? p->problem : "unreadable text");
	at = char_offset(r, m->index);
	if (at >= r->win_off && at < r->win_off + r->win_len &&
	    r->win[at - r->win_off] == '\t')
		return fail(b, line, column,
			    "tab character; YAML indents with spaces only");
	/* A tab in block indentation derails libyaml somewhere on the line;
	 * name the tab, not the symptom.  Flow collections may hold tabs. */
	if (indent_tab(r, at, &tab_column) &&
	    !(p->context && strstr(p->context, "flow")))
		return fail(b, line, tab_column,
			    "tab character in indentation; YAML indents "
			    "with spaces only");
	if (p->context && (p->context_mark.line != m->line ||
			   p->context_mark.column != m->column))
		return fail(b, line, column,
			    "%s %s (which started at line %d, column %d)",
			    p->problem ? p->problem : "syntax error",
			    p->context, mark_line(&p->context_mark),
			    mark_column(&p->context_mark));
	if (p->context)
		return fail(b, line, column, "%s %s", p->problem
			    ? p->problem : "syntax error", p->context);
	return fail(b, line, column, "%s",
		    p->problem ? p->problem : "YAML syntax error");
}

/* Errors before any document is begun are reported against the stream's
 * name: the builder needs a document to name the file. */
static fg_yaml *placeholder(fg_yaml_reader *r)
{
	r->none.path = r->path;
	r->none.path_borrowed = 1;
	return &r->none;
}

int fg_yaml_reader_next(fg_yaml_reader *r, fg_yaml **out, fg_error *err)
{
	builder *b = &r->b;
	yaml_event_t ev;
	int rc = 0;

	*out = NULL;
	if (r->failed)
		return fg_error_set(err, r->failed, r->path, 0, 0, "reading "
				    "stopped at an earlier error");
	if (r->done)
		return 0;
	b->err = err;
	if (!b->yaml)
		b->yaml = placeholder(r);
	for (;;) {
		if (!yaml_parser_parse(&r->parser, &ev)) {
			rc = parser_error(r);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			r->done = 1;
			return 0;
		case YAML_DOCUMENT_START_EVENT:
			rc = on_document_start(r, &ev);
			break;
		case YAML_DOCUMENT_END_EVENT:
			rc = on_document_end(r, &ev);
			if (rc == 0) {
				yaml_event_delete(&ev);
				*out = b->yaml;
				b->yaml = placeholder(r);
				return 1;
			}
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(b, &ev, FG_NODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(b, &ev, FG_NODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(b);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(b, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	/* A failed stream stays failed. */
	r->done = 1;
	r->failed = rc ? rc : FG_EINPUT;
	if (b->yaml != placeholder(r))
		fg_yaml_free(b->yaml);
	b->yaml = placeholder(r);
	drop_anchors(b);
	b->depth = 0;
	b->pending_key = NULL;
	return rc ? rc : FG_EINPUT;
}

static fg_yaml_reader *reader_new(const char *name,
				  const fg_yaml_limits *limits)
{
	fg_yaml_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->limits = limits ? *limits : fg_yaml_default_limits;
	r->b.limits = &r->limits;
	r->line = r->column = 1;
	r->region_line = 1;
	if (!(r->path = strdup(name ? name : "<input>")) ||
	    !yaml_parser_initialize(&r->parser)) {
		free(r->path);
		free(r);
		return NULL;
	}
	r->parser_ready = 1;
	yaml_parser_set_input(&r->parser, read_handler, r);
	yaml_parser_set_encoding(&r->parser, YAML_UTF8_ENCODING);
	return r;
}

int fg_yaml_reader_open_stream(fg_yaml_reader **out, FILE *file,
			       const char *name, const fg_yaml_limits *limits,
			       fg_error *err)
{
	fg_yaml_reader *r = reader_new(name, limits);

	*out = NULL;
	if (!r)
		return fg_error_set(err, FG_ENOMEM, name, 0, 0,
				    "out of memory");
	r->file = file;
	*out = r;
	return 0;
}

/* Opens path for reading into *out when it is a regular file (a FIFO, a
 * device or a directory is refused without blocking) of at most max_bytes
 * (0: any size; a larger one is refused before a byte is read, at 1:1),
 * its status into *st.  Returns 0, FG_EIO, FG_EINPUT or FG_ENOMEM. */
static int open_regular(FILE **out, struct stat *st, const char *path,
			size_t max_bytes, fg_error *err)
{
	int fd, saved_errno;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must be refused, not waited on for a writer
	 * that may never come. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, st)) {
		saved_errno = errno;
		close(fd);
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot open: %s",
				    strerror(saved_errno));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return fg_error_set(err, FG_EIO, path, 0, 0, "%s",
				    S_ISDIR(st->st_mode)
				    ? "is a directory, not a YAML file"
				    : S_ISFIFO(st->st_mode)
				    ? "is a FIFO, not a YAML file (only "
				      "regular files are read)"
				    : "is a special file, not a YAML file "
				      "(only regular files are read)");
	}
	if (max_bytes && (uintmax_t)st->st_size > max_bytes) {
		close(fd);
		return fg_error_set(err, FG_EINPUT, path, 1, 1,
				    "file is %jd bytes; the limit is %zu bytes",
				    (intmax_t)st->st_size, max_bytes);
	}
	/* Regular from here on: reads block no more. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(*out = fdopen(fd, "rb"))) {
		saved_errno = errno;
		close(fd);
		return fg_error_set(err, FG_ENOMEM, path, 0, 0, "cannot open: "
				    "%s", strerror(saved_errno));
	}
	return 0;
}

int fg_yaml_reader_open(fg_yaml_reader **out, const char *path,
			const fg_yaml_limits *limits, fg_error *err)
{
	struct stat st;
	FILE *f;
	int rc;

	*out = NULL;
	if ((rc = open_regular(&f, &st, path, 0, err)) < 0)
		return rc;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if ((rc = fg_yaml_reader_open_stream(out, f, path, limits, err)) < 0) {
		fclose(f);
		return rc;
	}
	(*out)->own_file = 1;
	(*out)->total = (uint64_t)st.st_size;
	return 0;
}

uint64_t fg_yaml_reader_offset(const fg_yaml_reader *r)
{
	return r ? r->win_off + r->win_len : 0;
}

uint64_t fg_yaml_reader_size(const fg_yaml_reader *r)
{
	return r ? r->total : 0;
}

const char *fg_yaml_reader_path(const fg_yaml_reader *r)
{
	return r ? r->path : NULL;
}

/* Frees the nodes' own arrays and the blocks of nodes and text; with
 * keep, all but the first block of each kind (the newest and largest),
 * which are emptied to serve again. */
static void release_blocks(fg_yaml *y, int keep)
{
	node_block *nb, *nb_next;
	text_block *tb, *tb_next;
	size_t i;

	for (nb = y->node_blocks; nb; nb = nb_next) {
		nb_next = nb->next;
		for (i = 0; i < nb->used; i++) {
			free(nb->nodes[i].items);
			free(nb->nodes[i].keys);
		}
		nb->used = 0;
		nb->next = NULL;
		if (!keep || nb != y->node_blocks)
			free(nb);
	}
	for (tb = y->text_blocks; tb; tb = tb_next) {
		tb_next = tb->next;
		tb->used = 0;
		tb->next = NULL;
		if (!keep || tb != y->text_blocks)
			free(tb);
	}
	if (!keep) {
		y->node_blocks = NULL;
		y->text_blocks = NULL;
	}
}

void fg_yaml_reader_recycle(fg_yaml_reader *r, fg_yaml *doc)
{
	if (!doc)
		return;
	/* one spare is enough, and only a document of this reader's (the
	 * same path) can stand for its next one */
	if (!r || r->spare || doc == &r->none ||
	    (r->node_path ? doc->path != r->node_path
			  : doc->path_borrowed || strcmp(doc->path, r->path))) {
		fg_yaml_free(doc);
		return;
	}
	release_blocks(doc, 1);
	free(doc->text);
	doc->text = NULL;
	doc->length = doc->stream_start = 0;
	doc->doc_count = 0;
	r->spare = doc;
}

void fg_yaml_reader_free(fg_yaml_reader *r)
{
	if (!r)
		return;
	fg_yaml_free(r->spare);
	if (r->b.yaml && r->b.yaml != placeholder(r))
		fg_yaml_free(r->b.yaml);
	drop_anchors(&r->b);
	free(r->b.anchors);
	free(r->b.stack);
	if (r->parser_ready)
		yaml_parser_delete(&r->parser);
	if (r->own_file && r->file)
		fclose(r->file);
	free(r->win);
	free(r->path);
	free(r);
}

/* ---- whole files ---------------------------------------------------------- */

/* Moves the documents of d (one reader document) into y, which owns the
 * whole text they were read from. */
static int gather(fg_yaml *y, fg_yaml *d)
{
	node_block *nb;
	text_block *tb;

	if (grow((void **)&y->docs, &y->doc_cap, y->doc_count + 1,
		 sizeof(*y->docs)))
		return -1;
	y->docs[y->doc_count].root = d->docs[0].root;
	y->docs[y->doc_count].start = d->stream_start;
	y->docs[y->doc_count].end = d->stream_start + d->length;
	y->doc_count++;
	if ((nb = d->node_blocks)) {
		while (nb->next)
			nb = nb->next;
		nb->next = y->node_blocks;
		y->node_blocks = d->node_blocks;
		d->node_blocks = NULL;
	}
	if ((tb = d->text_blocks)) {
		while (tb->next)
			tb = tb->next;
		tb->next = y->text_blocks;
		y->text_blocks = d->text_blocks;
		d->text_blocks = NULL;
	}
	return 0;
}

/* Parses y->text[0..parse_length) after checking every byte of it. */
static int load(fg_yaml **out, fg_yaml *y, size_t parse_length,
		const fg_yaml_limits *limits, fg_error *err)
{
	const fg_yaml_limits *lim = limits ? limits : &fg_yaml_default_limits;
	fg_yaml_reader *r = NULL;
	fg_yaml *d = NULL;
	size_t bom = 0, done;
	int rc, line = 1, column = 1;
	uint32_t prev = 0;

	*out = NULL;
	/* Every byte is checked before parsing, so the first bad byte of a
	 * file is the one named, wherever it is. */
	if (y->length >= 3 && !memcmp(y->text, "\xEF\xBB\xBF", 3))
		bom = 3;
	rc = check_bytes(y->path, (const unsigned char *)y->text + bom,
			 y->length - bom, SIZE_MAX, 1, &line, &column, &prev,
			 &done, err);
	if (rc == 0 && !(r = reader_new(y->path, lim)))
		rc = fg_error_set(err, FG_ENOMEM, y->path, 0, 0,
				  "out of memory");
	if (rc == 0) {
		r->mem = (const unsigned char *)y->text;
		r->mem_length = parse_length < y->length ? parse_length
							 : y->length;
		r->mem_checked = 1;
		r->node_path = y->path;
	}
	while (rc == 0 && (rc = fg_yaml_reader_next(r, &d, err)) == 1) {
		rc = gather(y, d) ? fg_error_set(err, FG_ENOMEM, y->path, 0, 0,
						 "out of memory") : 0;
		fg_yaml_free(d);
		d = NULL;
	}
	fg_yaml_reader_free(r);
	if (rc < 0) {
		fg_yaml_free(y);
		return rc;
	}
	*out = y;
	return 0;
}

int fg_yaml_load_string(fg_yaml **out, const char *name, const char *text,
			size_t length, const fg_yaml_limits *limits,
			fg_error *err)
{
	const fg_yaml_limits *lim = limits ? limits : &fg_yaml_default_limits;
	fg_yaml *y;

	*out = NULL;
	if (!name)
		name = "<input>";
	if (length > lim->max_bytes)
		return fg_error_set(err, FG_EINPUT, name, 1, 1,
				    "input is %zu bytes; the limit is %zu",
				    length, lim->max_bytes);
	y = new_yaml(name, NULL);
	if (!y || !(y->text = malloc(length + 1))) {
		fg_yaml_free(y);
		return fg_error_set(err, FG_ENOMEM, name, 0, 0,
				    "out of memory");
	}
	memcpy(y->text, text, length);
	y->text[length] = 0;
	y->length = length;
	return load(out, y, length, lim, err);
}

/* Reads at most max + 1 bytes, so an oversized stream (a pipe, a device)
 * is refused without being read whole. */
static int read_bounded(char **text, size_t *length, FILE *f, size_t max)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap + 1), *p;

	if (!buf)
		return FG_ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return FG_ENOMEM;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n > max)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return FG_EIO;
	}
	buf[n] = 0;
	*text = buf;
	*length = n;
	return 0;
}

static int load_file(fg_yaml **out, const char *path,
		     const fg_yaml_limits *limits,
		     size_t (*parsed)(const char *, size_t), fg_error *err)
{
	const fg_yaml_limits *lim = limits ? limits : &fg_yaml_default_limits;
	struct stat st;
	fg_yaml *y;
	FILE *f;
	int rc, saved_errno;

	*out = NULL;
	if ((rc = open_regular(&f, &st, path, lim->max_bytes, err)) < 0)
		return rc;
	y = new_yaml(path, NULL);
	if (!y) {
		fclose(f);
		return fg_error_set(err, FG_ENOMEM, path, 0, 0,
				    "out of memory");
	}
	rc = read_bounded(&y->text, &y->length, f, lim->max_bytes);
	saved_errno = errno;
	fclose(f);
	if (rc) {
		fg_yaml_free(y);
		return fg_error_set(err, rc, path, 0, 0, "cannot read: %s",
				    rc == FG_ENOMEM ? "out of memory"
						    : strerror(saved_errno));
	}
	if (y->length > lim->max_bytes) {
		fg_yaml_free(y);
		return fg_error_set(err, FG_EINPUT, path, 1, 1,
				    "file is larger than the limit of %zu "
				    "bytes", lim->max_bytes);
	}
	return load(out, y, parsed ? parsed(y->text, y->length) : y->length,
		    lim, err);
}

int fg_yaml_load_file(fg_yaml **out, const char *path,
		      const fg_yaml_limits *limits, fg_error *err)
{
	return load_file(out, path, limits, NULL, err);
}

int fg_yaml_load_file_prefix(fg_yaml **out, const char *path,
			     const fg_yaml_limits *limits,
			     size_t (*parsed)(const char *text, size_t length),
			     fg_error *err)
{
	return load_file(out, path, limits, parsed, err);
}

void fg_yaml_free(fg_yaml *y)
{
	if (!y)
		return;
	release_blocks(y, 0);
	free(y->docs);
	free(y->text);
	if (!y->path_borrowed)
		free(y->path);
	free(y);
}

size_t fg_yaml_count(const fg_yaml *y)
{
	return y ? y->doc_count : 0;
}

const fg_node *fg_yaml_root(const fg_yaml *y, size_t index)
{
	return y && index < y->doc_count ? y->docs[index].root : NULL;
}

const char *fg_yaml_text(const fg_yaml *y, size_t index, size_t *length)
{
	if (!y || index >= y->doc_count) {
		*length = 0;
		return NULL;
	}
	*length = y->docs[index].end - y->docs[index].start;
	return y->text + y->docs[index].start;
}

const char *fg_yaml_source(const fg_yaml *y, size_t *length)
{
	*length = y ? y->length : 0;
	return y ? y->text : NULL;
}

const char *fg_yaml_path(const fg_yaml *y)
{
	return y ? y->path : NULL;
}
