/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — quantities, ranges, dates and timestamps read from YAML nodes
 * (internal: the loaders' helpers, not API).
 *
 * Each parses a scalar node with the text parsers of
 * include/flopgate/quantity.h and, on failure, fills err with the node's
 * FILE:LINE:COL and returns FG_EINPUT, leaving the outputs untouched.
 * They live here rather than in quantity.h so that the public headers
 * need not pull in the YAML node types.
 */
#ifndef FLOPGATE_NODE_QUANTITY_H
#define FLOPGATE_NODE_QUANTITY_H

#include "flopgate/error.h"
#include "flopgate/exact.h"
#include "flopgate/quantity.h"
#include "flopgate/yaml.h"

/* A quantity of `kind` in a scalar node: *out the double nearest it. */
int fg_node_quantity(double *out, const fg_node *node, fg_qty_kind kind,
		     const char *what, fg_error *err);

/* The same, and *exact (when exact is not NULL) the figure exactly as
 * written: a new fg_exact, or the old *exact overwritten; the caller owns
 * it.  FG_ENOMEM when it cannot be allocated. */
int fg_node_exact(double *out, fg_exact **exact, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err);

/* A quantity or a range `[low, high]` (low <= high).  For a single value
 * low == high. */
int fg_node_range(double *low, double *high, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err);

/* The same with the exact ends (either pointer may be NULL), as
 * fg_node_exact.  For a single value both ends are that value. */
int fg_node_exact_range(double *low, double *high, fg_exact **exact_low,
			fg_exact **exact_high, const fg_node *node,
			fg_qty_kind kind, const char *what, fg_error *err);

/* YYYY-MM-DD. */
int fg_node_date(fg_date *out, const fg_node *node, const char *what,
		 fg_error *err);

/* An ISO 8601 timestamp (fg_timestamp_parse). */
int fg_node_timestamp(double *out, const fg_node *node, const char *what,
		      fg_error *err);

#endif
