/* flopgate — the YAML loader (see include/flopgate/yaml.h).
 *
 * libyaml's event parser feeds a small tree builder.  Hostile input is
 * bounded before it can cost anything: the file size is checked before
 * reading, the bytes are checked to be UTF-8 before parsing, nesting depth
 * is checked on every collection start, and every node (an alias counts as
 * the whole subtree it names) is charged against a node budget.
 */
#include "flopgate/yaml.h"

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
 * than two per node halves what a large inventory costs in memory. */
#define NODE_BLOCK 1024
typedef struct node_block {
	struct node_block *next;
	size_t used;
	fg_node nodes[NODE_BLOCK];
} node_block;

#define TEXT_BLOCK 65536
typedef struct text_block {
	struct text_block *next;
	size_t used, cap;
	char data[];
} text_block;

struct fg_yaml {
	char *path;
	char *text;
	size_t length;
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
	fg_yaml *yaml;
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
	size_t budget_used;
	/* A UTF-8 byte order mark is cut off before libyaml sees the text
	 * (given one, libyaml counts it as a column and misreads the first
	 * line's indentation); marks are relative to text + bom. */
	size_t bom;
	/* character index -> byte offset, walked forward monotonically */
	size_t char_index, byte_index;
} builder;

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

	if (!nb || nb->used == NODE_BLOCK) {
		nb = malloc(sizeof(*nb));
		if (!nb)
			return NULL;
		nb->next = y->node_blocks;
		nb->used = 0;
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
		size_t cap = n + 1 > TEXT_BLOCK / 4 ? n + 1 : TEXT_BLOCK;

		tb = malloc(sizeof(*tb) + cap);
		if (!tb)
			return NULL;
		tb->used = 0;
		tb->cap = cap;
		/* A string too big for a shared block gets its own, kept
		 * behind the current block so that one's room is not lost. */
		if (cap != TEXT_BLOCK && y->text_blocks) {
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
 * the code point. */
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

/* Walks the text from its start to byte `stop` (or the first bad byte when
 * stop is SIZE_MAX), keeping line and column as libyaml counts them.
 * Returns 0, or fails at the first NUL, invalid UTF-8 or control
 * character. */
static int check_text(builder *b, size_t stop, int *line_out, int *col_out)
{
	const unsigned char *s = (const unsigned char *)b->yaml->text;
	size_t i = b->bom, n, len = b->yaml->length;
	int line = 1, column = 1;
	uint32_t c = 0, prev = 0;

	while (i < len && i < stop) {
		if (s[i] == 0)
			return fail(b, line, column,
				    "NUL byte in the file; YAML text may not "
				    "contain one");
		n = utf8_sequence(s + i, len - i, &c);
		if (!n)
			return fail(b, line, column,
				    "invalid UTF-8 byte 0x%02X; the file must "
				    "be UTF-8 text", s[i]);
		if (!printable(c))
			return fail(b, line, column,
				    "control character U+%04X is not allowed "
				    "in YAML text", (unsigned)c);
		/* libyaml skips a BOM opening a later line but counts it
		 * as a column, and then misreads that line's indentation. */
		if (c == 0xFEFF && column == 1)
			return fail(b, line, column,
				    "byte order mark inside the file; only the "
				    "first line may start with one (were files "
				    "joined with cat?)");
		if (c == 0x0A && prev == 0x0D)
			; /* CR LF is one break, counted at the CR */
		else if (line_break(c))
			line++, column = 1;
		else
			column++;
		prev = c;
		i += n;
	}
	if (line_out)
		*line_out = line, *col_out = column;
	return 0;
}

/* libyaml marks count characters; documents are sliced by bytes. */
static size_t byte_offset(builder *b, size_t char_index)
{
	const unsigned char *s = (const unsigned char *)b->yaml->text;
	size_t len = b->yaml->length;
	uint32_t c;

	if (char_index < b->char_index)
		b->char_index = 0, b->byte_index = 0;
	while (b->char_index < char_index && b->bom + b->byte_index < len) {
		size_t n = utf8_sequence(s + b->bom + b->byte_index,
					 len - b->bom - b->byte_index, &c);
		b->byte_index += n ? n : 1;
		b->char_index++;
	}
	return b->bom + b->byte_index;
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
	fg_node **sorted;
	size_t i;
	int rc = 0;

	if (map->count < 2)
		return 0;
	sorted = malloc(map->count * sizeof(*sorted));
	if (!sorted)
		return nomem(b);
	memcpy(sorted, map->keys, map->count * sizeof(*sorted));
	qsort(sorted, map->count, sizeof(*sorted), compare_keys);
	for (i = 1; i < map->count; i++) {
		if (!strcmp(sorted[i]->value, sorted[i - 1]->value)) {
			rc = fail(b, sorted[i]->line, sorted[i]->column,
				  "duplicate key `%s` (first at line %d, "
				  "column %d)", sorted[i]->value,
				  sorted[i - 1]->line, sorted[i - 1]->column);
			break;
		}
	}
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
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   !(tag && !strcmp(tag, YAML_STR_TAG));
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

static int on_document_start(builder *b, const yaml_event_t *ev)
{
	fg_yaml *y = b->yaml;

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

	if (grow((void **)&y->docs, &y->doc_cap, y->doc_count + 1,
		 sizeof(*y->docs)))
		return nomem(b);
	y->docs[y->doc_count].root = NULL;
	y->docs[y->doc_count].start = byte_offset(b, ev->start_mark.index);
	y->docs[y->doc_count].end = y->length;
	y->doc_count++;
	return 0;
}

static int on_document_end(builder *b, const yaml_event_t *ev)
{
	fg_yaml *y = b->yaml;

	y->docs[y->doc_count - 1].end = byte_offset(b, ev->end_mark.index);
	drop_anchors(b);
	return 0;
}

/* 1 when the line holding byte `at` has a tab in its leading whitespace;
 * *column is the tab's. */
static int indent_tab(const builder *b, size_t at, int *column)
{
	const char *t = b->yaml->text;
	size_t start = at, i;

	if (at > b->yaml->length)
		return 0;
	while (start > b->bom && t[start - 1] != '\n' && t[start - 1] != '\r')
		start--;
	for (i = start; i < b->yaml->length && t[i] == ' '; i++)
		;
	if (i >= b->yaml->length || t[i] != '\t')
		return 0;
	*column = (int)(i - start) + 1;
	return 1;
}

/* Turns libyaml's parser error into FILE:LINE:COL with a readable text. */
static int parser_error(builder *b, const yaml_parser_t *p)
{
	const yaml_mark_t *m = &p->problem_mark;
	int line = mark_line(m), column = mark_column(m);
	const char *text = b->yaml->text;
	size_t at;
	int tab_column;

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(b);
	if (p->error == YAML_READER_ERROR) {
		/* The reader reports a byte offset, not a mark. */
		check_text(b, b->bom + p->problem_offset, &line, &column);
		return fail(b, line, column, "%s", p->problem
			    ? p->problem : "unreadable text");
	}
	at = byte_offset(b, m->index);
	if (at < b->yaml->length && text[at] == '\t')
		return fail(b, line, column,
			    "tab character; YAML indents with spaces only");
	/* A tab in block indentation derails libyaml somewhere on the line;
	 * name the tab, not the symptom.  Flow collections may hold tabs. */
	if (indent_tab(b, at, &tab_column) &&
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

static int build(builder *b)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return nomem(b);
	yaml_parser_set_input_string(&parser,
				     (const unsigned char *)b->yaml->text + b->bom,
				     b->yaml->length - b->bom);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done && !rc) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(b, &parser);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			rc = on_document_start(b, &ev);
			break;
		case YAML_DOCUMENT_END_EVENT:
			rc = on_document_end(b, &ev);
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
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int load(fg_yaml **out, fg_yaml *y, const fg_yaml_limits *limits,
		fg_error *err)
{
	builder b;
	int rc;

	memset(&b, 0, sizeof(b));
	b.yaml = y;
	b.limits = limits ? limits : &fg_yaml_default_limits;
	b.err = err;
	if (y->length >= 3 && !memcmp(y->text, "\xEF\xBB\xBF", 3))
		b.bom = 3;
	rc = check_text(&b, SIZE_MAX, NULL, NULL);
	if (!rc)
		rc = build(&b);
	drop_anchors(&b);
	free(b.anchors);
	free(b.stack);
	if (rc) {
		fg_yaml_free(y);
		*out = NULL;
		return rc;
	}
	*out = y;
	return 0;
}

static fg_yaml *new_yaml(const char *name)
{
	fg_yaml *y = calloc(1, sizeof(*y));

	if (!y)
		return NULL;
	y->path = strdup(name ? name : "<input>");
	if (!y->path) {
		free(y);
		return NULL;
	}
	return y;
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
	y = new_yaml(name);
	if (!y || !(y->text = malloc(length + 1))) {
		fg_yaml_free(y);
		return fg_error_set(err, FG_ENOMEM, name, 0, 0,
				    "out of memory");
	}
	memcpy(y->text, text, length);
	y->text[length] = 0;
	y->length = length;
	return load(out, y, lim, err);
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

int fg_yaml_load_file(fg_yaml **out, const char *path,
		      const fg_yaml_limits *limits, fg_error *err)
{
	const fg_yaml_limits *lim = limits ? limits : &fg_yaml_default_limits;
	struct stat st;
	fg_yaml *y;
	FILE *f;
	int rc, saved_errno, fd;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must be refused, not waited on for a writer
	 * that may never come. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, &st)) {
		saved_errno = errno;
		close(fd);
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot open: %s",
				    strerror(saved_errno));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fg_error_set(err, FG_EIO, path, 0, 0, "%s",
				    S_ISDIR(st.st_mode)
				    ? "is a directory, not a YAML file"
				    : S_ISFIFO(st.st_mode)
				    ? "is a FIFO, not a YAML file (only "
				      "regular files are read)"
				    : "is a special file, not a YAML file "
				      "(only regular files are read)");
	}
	/* Refused before a byte is read. */
	if ((uintmax_t)st.st_size > lim->max_bytes) {
		close(fd);
		return fg_error_set(err, FG_EINPUT, path, 1, 1,
				    "file is %jd bytes; the limit is %zu bytes",
				    (intmax_t)st.st_size, lim->max_bytes);
	}
	/* Regular from here on: reads block no more. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "rb");
	if (!f) {
		saved_errno = errno;
		close(fd);
		return fg_error_set(err, FG_ENOMEM, path, 0, 0, "cannot open: "
				    "%s", strerror(saved_errno));
	}
	y = new_yaml(path);
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
	return load(out, y, lim, err);
}

void fg_yaml_free(fg_yaml *y)
{
	node_block *nb, *nb_next;
	text_block *tb, *tb_next;
	size_t i;

	if (!y)
		return;
	for (nb = y->node_blocks; nb; nb = nb_next) {
		nb_next = nb->next;
		for (i = 0; i < nb->used; i++) {
			free(nb->nodes[i].items);
			free(nb->nodes[i].keys);
		}
		free(nb);
	}
	for (tb = y->text_blocks; tb; tb = tb_next) {
		tb_next = tb->next;
		free(tb);
	}
	free(y->docs);
	free(y->text);
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
