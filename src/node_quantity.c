/* flopgate — quantities, ranges, dates and timestamps read from YAML nodes
 * (see src/node_quantity.h). */
#include "node_quantity.h"

int fg_node_quantity(double *out, const fg_node *node, fg_qty_kind kind,
		     const char *what, fg_error *err)
{
	const char *why = NULL;

	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_node_is_null(node))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s` is empty; expected %s", what,
				     fg_qty_kind_describe(kind));
	if (fg_quantity_parse(out, node->value, kind, &why))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s`: %s", what, node->value,
				     why);
	return 0;
}

int fg_node_range(double *low, double *high, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err)
{
	double lo, hi;

	if (node && node->type == FG_NODE_SEQ) {
		if (node->count != 2)
			return fg_node_error(err, FG_EINPUT, node,
					     "`%s`: a range is [low, high], "
					     "two values", what);
		if (fg_node_quantity(&lo, node->items[0], kind, what, err) ||
		    fg_node_quantity(&hi, node->items[1], kind, what, err))
			return FG_EINPUT;
		if (lo > hi)
			return fg_node_error(err, FG_EINPUT, node,
					     "`%s`: range [low, high] has low "
					     "above high", what);
		*low = lo;
		*high = hi;
		return 0;
	}
	if (fg_node_quantity(&lo, node, kind, what, err))
		return FG_EINPUT;
	*low = *high = lo;
	return 0;
}

int fg_node_date(fg_date *out, const fg_node *node, const char *what,
		 fg_error *err)
{
	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_date_parse(out, node->value))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s` is not a date (YYYY-MM-DD)",
				     what, node->value);
	return 0;
}

int fg_node_timestamp(double *out, const fg_node *node, const char *what,
		      fg_error *err)
{
	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_timestamp_parse(out, node->value))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s`: `%s` is not a timestamp "
				     "(YYYY-MM-DDTHH:MM:SSZ)", what,
				     node->value);
	return 0;
}
