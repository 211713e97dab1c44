/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — the one YAML loader every file goes through.
 *
 * Built on libyaml.  It keeps the line and column of every node, rejects
 * duplicate keys, and bounds what hostile input can cost: document size,
 * nesting depth, node count and alias expansion are all limited, so a
 * "billion laughs" file fails fast instead of eating memory.
 *
 * Two ways in: a whole file (rulesets, waivers, the catalog: read into
 * memory, at most max_bytes), or a reader (fg_yaml_reader) that hands out
 * a stream's documents one at a time, reading from the file as it goes:
 * run files of any length are read in the memory of their largest
 * document, and every limit applies to each document.
 *
 * A loaded stream (fg_yaml) owns every node and string in it.  Nodes are
 * plain read-only structs: they stay valid until fg_yaml_free().  Aliases
 * are resolved by sharing the anchored node, never by copying it, and every
 * alias is charged the size of what it points at against the node budget.
 */
#ifndef FLOPGATE_YAML_H
#define FLOPGATE_YAML_H

#include "flopgate/export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "flopgate/error.h"
/* fg_nearest and fg_edit_distance, which lived here before */
#include "flopgate/suggest.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { FG_NODE_SCALAR, FG_NODE_SEQ, FG_NODE_MAP } fg_node_type;

typedef struct fg_node fg_node;
struct fg_node {
	fg_node_type type;
	const char *file;   /* borrowed: the path the stream was loaded from */
	int line, column;   /* 1-based start of the node */
	/* scalars */
	const char *value;  /* NUL-terminated; may hold no NUL inside */
	size_t length;
	int plain;          /* 1 for an unquoted scalar (so "10" != 10) */
	/* sequences: items[0..count); maps: keys[i] -> items[i] */
	size_t count;
	fg_node **items;
	fg_node **keys;
	size_t weight;      /* nodes in this subtree, aliases included */
};

typedef struct fg_yaml_limits {
	size_t max_bytes;   /* a whole file; with a reader, one document */
	size_t max_depth;   /* nesting of collections */
	size_t max_nodes;   /* nodes of one document after alias
			     * expansion */
} fg_yaml_limits;

/* Defaults: 16 MiB, depth 64, 4,000,000 nodes. */
FG_API extern const fg_yaml_limits fg_yaml_default_limits;

typedef struct fg_yaml fg_yaml;

/* Loads a YAML stream from a file.  limits may be NULL for the defaults.
 * The file must be valid UTF-8 and hold no tabs in indentation (YAML
 * forbids them; libyaml's message is made readable).  On error, *out is
 * NULL and err says FILE:LINE:COL. */
FG_API int fg_yaml_load_file(fg_yaml **out, const char *path,
			     const fg_yaml_limits *limits, fg_error *err);

/* Same, from memory; name is used as the file name in errors and nodes. */
FG_API int fg_yaml_load_string(fg_yaml **out, const char *name,
			       const char *text, size_t length,
			       const fg_yaml_limits *limits, fg_error *err);

/* NULL-safe. */
FG_API void fg_yaml_free(fg_yaml *yaml);

/* ---- streams, one document at a time ---------------------------------- */

typedef struct fg_yaml_reader fg_yaml_reader;

/* Opens the stream in the regular file at path (a FIFO, a device or a
 * directory is refused without blocking, FG_EIO naming the path).  limits
 * (NULL for the defaults) apply to each document.  *out NULL on error. */
FG_API int fg_yaml_reader_open(fg_yaml_reader **out, const char *path,
			       const fg_yaml_limits *limits, fg_error *err);

/* Reads the stream from file (standard input, a pipe), which the reader
 * borrows; name stands for it in errors and nodes ("<stdin>"). */
FG_API int fg_yaml_reader_open_stream(fg_yaml_reader **out, FILE *file,
				      const char *name,
				      const fg_yaml_limits *limits,
				      fg_error *err);

/* The next document as an fg_yaml of one document (owned by the caller:
 * fg_yaml_free; its fg_yaml_text is the document's exact text, from its
 * first byte to its end marker or the next "---").  Returns 1 with *out
 * set, 0 at the end of the stream, or a negative FG_E* code with err at
 * FILE:LINE:COL (*out NULL); after an error the reader gives nothing
 * more.  An empty document ("---" at the end of a stream) is a document
 * whose root is NULL. */
FG_API int fg_yaml_reader_next(fg_yaml_reader *reader, fg_yaml **out,
			       fg_error *err);

/* Gives a document of fg_yaml_reader_next back when done with it, in
 * place of fg_yaml_free: the reader reuses its memory for the next one.
 * NULL-safe; a document of another reader is simply freed. */
FG_API void fg_yaml_reader_recycle(fg_yaml_reader *reader, fg_yaml *doc);

/* Bytes read so far, and the source's size when it is a regular file (0
 * when not known): for progress. */
FG_API uint64_t fg_yaml_reader_offset(const fg_yaml_reader *reader);
FG_API uint64_t fg_yaml_reader_size(const fg_yaml_reader *reader);
/* The name errors use (borrowed). */
FG_API const char *fg_yaml_reader_path(const fg_yaml_reader *reader);

/* NULL-safe; closes the file it opened (never a borrowed one). */
FG_API void fg_yaml_reader_free(fg_yaml_reader *reader);

/* Documents in the stream (an empty file has none). */
FG_API size_t fg_yaml_count(const fg_yaml *yaml);
FG_API const fg_node *fg_yaml_root(const fg_yaml *yaml, size_t index);

/* The exact source text of document `index` (borrowed, not
 * NUL-terminated), for hashing and storing run inputs. */
FG_API const char *fg_yaml_text(const fg_yaml *yaml, size_t index,
				size_t *length);

/* The whole loaded text (borrowed). */
FG_API const char *fg_yaml_source(const fg_yaml *yaml, size_t *length);
FG_API const char *fg_yaml_path(const fg_yaml *yaml);

/* ---- typed access, each reporting FILE:LINE:COL on failure ---------- */

/* Value of key in a map, or NULL when absent (or node is not a map). */
FG_API const fg_node *fg_node_get(const fg_node *map, const char *key);

/* Fails unless node has the given type; `what` names it in the message
 * ("`phases` must be a list"). */
FG_API int fg_node_expect(const fg_node *node, fg_node_type type,
			  const char *what, fg_error *err);

/* Fails on the first key of map not in known[] (NULL-terminated), naming
 * the nearest known key: "unknown key `token`; did you mean `tokens`?". */
FG_API int fg_node_check_keys(const fg_node *map, const char *const *known,
			      const char *context, fg_error *err);

/* Fails when a required key is missing ("`run` has no `id`"). */
FG_API int fg_node_require(const fg_node **out, const fg_node *map,
			   const char *key, const char *context, fg_error *err);

/* A scalar as a string (borrowed from the stream). */
FG_API int fg_node_string(const char **out, const fg_node *node,
			  const char *what, fg_error *err);

/* A YAML boolean: true/false (also yes/no/on/off, case-insensitive). */
FG_API int fg_node_bool(int *out, const fg_node *node, const char *what,
			fg_error *err);

/* 1 when node is a plain null (~, null, empty). */
FG_API int fg_node_is_null(const fg_node *node);

/* Fills err with the node's location and returns code. */
FG_API int fg_node_error(fg_error *err, int code, const fg_node *node,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif

#endif
