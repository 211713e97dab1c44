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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
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

struct fg_yaml {
	char *path;
	char *text;
	size_t length;
	document *docs;
	size_t doc_count, doc_cap;
	fg_node **nodes;   /* every node allocated, for freeing */
	size_t node_count, node_cap;
	char **strings;    /* every scalar string allocated */
	size_t string_count, string_cap;
};

typedef struct frame {
	fg_node *node;
	fg_node *saved_key;    /* the enclosing map's pending key */
} frame;

typedef struct builder {
	fg_yaml *yaml;
	const fg_yaml_limits *limits;
	fg_error *err;
	frame *stack;
	size_t depth, stack_cap;
	fg_node *pending_key;  /* key read in the innermost open map */
	anchor *anchors;
	size_t anchor_count, anchor_cap;
	size_t budget_used;
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

/* ---- UTF-8 ------------------------------------------------------------ */

/* Returns the byte length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return n;
}

static int check_utf8(builder *b)
{
	const unsigned char *s = (const unsigned char *)b->yaml->text;
	size_t i = 0, n, len = b->yaml->length;
	int line = 1, column = 1;

	while (i < len) {
		if (s[i] == 0)
			return fail(b, line, column,
				    "NUL byte in the file; YAML text may not "
				    "contain one");
		n = utf8_sequence(s + i, len - i);
		if (!n)
			return fail(b, line, column,
				    "invalid UTF-8 byte 0x%02X; the file must "
				    "be UTF-8 text", s[i]);
		if (s[i] == '\n')
			line++, column = 1;
		else
			column++;
		i += n;
	}
	return 0;
}

/* libyaml marks count characters; documents are sliced by bytes. */
static size_t byte_offset(builder *b, size_t char_index)
{
	const unsigned char *s = (const unsigned char *)b->yaml->text;
	size_t len = b->yaml->length;

	if (char_index < b->char_index)
		b->char_index = 0, b->byte_index = 0;
	while (b->char_index < char_index && b->byte_index < len) {
		size_t n = utf8_sequence(s + b->byte_index,
					 len - b->byte_index);
		b->byte_index += n ? n : 1;
		b->char_index++;
	}
	return b->byte_index;
}

/* ---- tree building ---------------------------------------------------- */

static fg_node *new_node(builder *b, fg_node_type type, const yaml_mark_t *m)
{
	fg_yaml *y = b->yaml;
	fg_node *n;

	if (grow((void **)&y->nodes, &y->node_cap, y->node_count + 1,
		 sizeof(*y->nodes)))
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	y->nodes[y->node_count++] = n;
	n->type = type;
	n->file = y->path;
	n->line = (int)m->line + 1;
	n->column = (int)m->column + 1;
	n->weight = 1;
	return n;
}

static int charge(builder *b, size_t weight, const yaml_mark_t *m)
{
	if (weight > b->limits->max_nodes ||
	    b->budget_used > b->limits->max_nodes - weight)
		return fail(b, (int)m->line + 1, (int)m->column + 1,
			    "document too large: more than %zu nodes once "
			    "aliases are expanded (an alias bomb?)",
			    b->limits->max_nodes);
	b->budget_used += weight;
	return 0;
}

static int add_anchor(builder *b, const yaml_char_t *name, fg_node *node,
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
	return 0;
}

static void close_anchor(builder *b, const fg_node *node)
{
	size_t i;

	for (i = b->anchor_count; i-- > 0;)
		if (b->anchors[i].node == node)
			b->anchors[i].open = 0;
}

static anchor *find_anchor(builder *b, const char *name)
{
	size_t i;

	/* The latest definition of a name wins, as YAML says. */
	for (i = b->anchor_count; i-- > 0;)
		if (!strcmp(b->anchors[i].name, name))
			return &b->anchors[i];
	return NULL;
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
 * the open collection on top of the stack, or as the document root. */
static int place(builder *b, fg_node *node)
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
			return fail(b, node->line, node->column,
				    "a map key must be a plain string, not "
				    "a list or a map");
		b->pending_key = node;
		return 0;
	}
	if (append_child(b, top, node))
		return FG_ENOMEM;
	top->keys[top->count] = b->pending_key;
	top->count++;
	top->weight += node->weight;
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
				  "duplicate key `%s` (first at line %d)",
				  sorted[i]->value, sorted[i - 1]->line);
			break;
		}
	}
	free(sorted);
	return rc;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
	fg_yaml *y = b->yaml;
	fg_node *n;
	char *s;
	const char *tag = (const char *)ev->data.scalar.tag;

	if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
		return fail(b, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "NUL character in a string");
	if (charge(b, 1, &ev->start_mark))
		return FG_EINPUT;
	n = new_node(b, FG_NODE_SCALAR, &ev->start_mark);
	if (!n)
		return nomem(b);
	if (grow((void **)&y->strings, &y->string_cap, y->string_count + 1,
		 sizeof(*y->strings)))
		return nomem(b);
	s = malloc(ev->data.scalar.length + 1);
	if (!s)
		return nomem(b);
	memcpy(s, ev->data.scalar.value, ev->data.scalar.length);
	s[ev->data.scalar.length] = 0;
	y->strings[y->string_count++] = s;
	n->value = s;
	n->length = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   !(tag && !strcmp(tag, YAML_STR_TAG));
	if (add_anchor(b, ev->data.scalar.anchor, n, 0))
		return FG_ENOMEM;
	return place(b, n);
}

static int on_start(builder *b, const yaml_event_t *ev, fg_node_type type)
{
	const yaml_char_t *name = type == FG_NODE_MAP
		? ev->data.mapping_start.anchor
		: ev->data.sequence_start.anchor;
	fg_node *n;

	if (b->depth >= b->limits->max_depth)
		return fail(b, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "nesting deeper than %zu levels",
			    b->limits->max_depth);
	if (charge(b, 1, &ev->start_mark))
		return FG_EINPUT;
	n = new_node(b, type, &ev->start_mark);
	if (!n)
		return nomem(b);
	if (add_anchor(b, name, n, 1))
		return FG_ENOMEM;
	if (grow((void **)&b->stack, &b->stack_cap, b->depth + 1,
		 sizeof(*b->stack)))
		return nomem(b);
	b->stack[b->depth].node = n;
	b->stack[b->depth].saved_key = b->pending_key;
	b->pending_key = NULL;
	b->depth++;
	return 0;
}

static int on_end(builder *b)
{
	fg_node *n = b->stack[b->depth - 1].node;
	int rc;

	b->depth--;
	b->pending_key = b->stack[b->depth].saved_key;
	close_anchor(b, n);
	if (n->type == FG_NODE_MAP && (rc = check_duplicates(b, n)))
		return rc;
	return place(b, n);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	anchor *a = find_anchor(b, name);

	if (!a)
		return fail(b, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "alias *%s names no anchor", name);
	if (a->open)
		return fail(b, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "alias *%s refers to a node that contains it",
			    name);
	if (charge(b, a->node->weight, &ev->start_mark))
		return FG_EINPUT;
	return place(b, a->node);
}

static int on_document_start(builder *b, const yaml_event_t *ev)
{
	fg_yaml *y = b->yaml;

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
	size_t i;

	y->docs[y->doc_count - 1].end = byte_offset(b, ev->end_mark.index);
	/* anchors do not carry across documents */
	for (i = 0; i < b->anchor_count; i++)
		free(b->anchors[i].name);
	b->anchor_count = 0;
	return 0;
}

/* Turns libyaml's parser error into FILE:LINE:COL with a readable text. */
static int parser_error(builder *b, const yaml_parser_t *p)
{
	const yaml_mark_t *m = &p->problem_mark;
	int line = (int)m->line + 1, column = (int)m->column + 1;
	const char *text = b->yaml->text;
	size_t at = byte_offset(b, m->index);

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(b);
	if (at < b->yaml->length && text[at] == '\t')
		return fail(b, line, column,
			    "tab character; YAML indents with spaces only");
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
				     (const unsigned char *)b->yaml->text,
				     b->yaml->length);
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
	size_t i;
	int rc;

	memset(&b, 0, sizeof(b));
	b.yaml = y;
	b.limits = limits ? limits : &fg_yaml_default_limits;
	b.err = err;
	rc = check_utf8(&b);
	if (!rc)
		rc = build(&b);
	for (i = 0; i < b.anchor_count; i++)
		free(b.anchors[i].name);
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
	int rc;

	*out = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return fg_error_set(err, FG_EIO, path, 0, 0,
				    "is a directory, not a YAML file");
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > lim->max_bytes)
		return fg_error_set(err, FG_EINPUT, path, 1, 1,
				    "file is %jd bytes; the limit is %zu "
				    "(%zu MiB)", (intmax_t)st.st_size,
				    lim->max_bytes, lim->max_bytes >> 20);
	f = fopen(path, "rb");
	if (!f)
		return fg_error_set(err, FG_EIO, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	y = new_yaml(path);
	if (!y) {
		fclose(f);
		return fg_error_set(err, FG_ENOMEM, path, 0, 0,
				    "out of memory");
	}
	rc = read_bounded(&y->text, &y->length, f, lim->max_bytes);
	fclose(f);
	if (rc) {
		fg_yaml_free(y);
		return fg_error_set(err, rc, path, 0, 0, "cannot read: %s",
				    rc == FG_ENOMEM ? "out of memory"
						    : strerror(errno));
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
	size_t i;

	if (!y)
		return;
	for (i = 0; i < y->node_count; i++) {
		free(y->nodes[i]->items);
		free(y->nodes[i]->keys);
		free(y->nodes[i]);
	}
	for (i = 0; i < y->string_count; i++)
		free(y->strings[i]);
	free(y->nodes);
	free(y->strings);
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
