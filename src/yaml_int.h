/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — what the YAML loader offers the other modules and nothing
 * else uses (see include/flopgate/yaml.h). */
#ifndef FLOPGATE_YAML_INT_H
#define FLOPGATE_YAML_INT_H

#include <stddef.h>

#include "flopgate/yaml.h"

/* fg_yaml_load_file, but parsing only the first parsed(text, length)
 * bytes of the file: every byte of it is still checked (UTF-8, NUL,
 * control characters) and fg_yaml_source still gives the whole text.
 * For a reader that needs only the head of a file and knows where its
 * tail begins; the nodes are those of the head as a document of its
 * own. */
int fg_yaml_load_file_prefix(fg_yaml **out, const char *path,
			     const fg_yaml_limits *limits,
			     size_t (*parsed)(const char *text, size_t length),
			     fg_error *err);

#endif
