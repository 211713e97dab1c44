/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — quantities, ranges, dates and timestamps read from YAML nodes
 * (see src/node_quantity.h). */
#include "node_quantity.h"
#include "exact_int.h"

int fg_node_exact(double *out, fg_exact **exact, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err)
{
	const char *why = NULL;
	double v;
	mpq_t q;
	int rc;

	if (fg_node_expect(node, FG_NODE_SCALAR, what, err))
		return FG_EINPUT;
	if (fg_node_is_null(node))
		return fg_node_error(err, FG_EINPUT, node,
				     "`%s` is empty; expected %s", what,
				     fg_qty_kind_describe(kind));
	mpq_init(q);
	if (fg_q_parse(q, &v, node->value, kind, &why))
		rc = fg_node_error(err, FG_EINPUT, node, "`%s`: `%s`: %s",
				   what, node->value, why);
	else if (exact && fg_exact_store(exact, q))
		rc = fg_error_set(err, FG_ENOMEM, NULL, 0, 0,
				  "out of memory");
	else
		rc = 0;
	mpq_clear(q);
	if (rc == 0)
		*out = v;
	return rc;
}

int fg_node_quantity(double *out, const fg_node *node, fg_qty_kind kind,
		     const char *what, fg_error *err)
{
	return fg_node_exact(out, NULL, node, kind, what, err);
}

int fg_node_exact_range(double *low, double *high, fg_exact **exact_low,
			fg_exact **exact_high, const fg_node *node,
			fg_qty_kind kind, const char *what, fg_error *err)
{
	const fg_node *lo_node = node, *hi_node = node;
	fg_exact *xlo = NULL, *xhi = NULL;
	double lo, hi;
	int rc;

	if (node && node->type == FG_NODE_SEQ) {
		if (node->count != 2)
			return fg_node_error(err, FG_EINPUT, node,
					     "`%s`: a range is [low, high], "
					     "two values", what);
		lo_node = node->items[0];
		hi_node = node->items[1];
	}
	if ((rc = fg_node_exact(&lo, &xlo, lo_node, kind, what, err)) ||
	    (rc = fg_node_exact(&hi, &xhi, hi_node, kind, what, err)))
		goto done;
	if (fg_exact_cmp(xlo, xhi) > 0) {
		rc = fg_node_error(err, FG_EINPUT, node,
				   "`%s`: range [low, high] has low above "
				   "high", what);
		goto done;
	}
	*low = lo;
	*high = hi;
	if (exact_low) {
		fg_exact_free(*exact_low);
		*exact_low = xlo;
		xlo = NULL;
	}
	if (exact_high) {
		fg_exact_free(*exact_high);
		*exact_high = xhi;
		xhi = NULL;
	}
done:
	fg_exact_free(xlo);
	fg_exact_free(xhi);
	return rc;
}

int fg_node_range(double *low, double *high, const fg_node *node,
		  fg_qty_kind kind, const char *what, fg_error *err)
{
	return fg_node_exact_range(low, high, NULL, NULL, node, kind, what,
				   err);
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
