/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — run files (see include/flopgate/run.h and DESIGN.md § Run
 * files).  Every key, type and quantity is checked here, so that the
 * estimator and the rules engine can trust an fg_run without rechecking. */
#include "flopgate/run.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_int.h"
#include "flopgate/hash.h"
#include "flopgate/jurisdiction.h"
#include "flopgate/suggest.h"
#include "flopgate/yaml.h"
#include "node_quantity.h"

/* reference/compute.md §5: Epoch's facility power = TDP x chips x 1.82
 * (server overhead, from DGX H100 specifications) x PUE; specialised AI
 * data centres averaged a PUE of 1.14 in 2023 (Shehabi et al. 2024). */
#define DEFAULT_PUE 1.14
#define DEFAULT_SERVER_OVERHEAD 1.82
/* Kaplan et al. 2020: forward 2N + backward 4N per token (compute.md §1). */
#define DEFAULT_FLOP_PER_PARAMETER_TOKEN 6

static const char *const kind_names[FG_KIND_COUNT + 1] = {
	"pretraining", "continued_pretraining", "fine_tuning", "rl",
	"synthetic_data", "distillation", "other", NULL
};
static const char *const method_names[FG_METHOD_COUNT + 1] = {
	"measured", "declared", "architecture", "hardware", NULL
};
static const char *const status_names[] = {
	"planned", "running", "completed", NULL
};

const char *fg_phase_kind_name(fg_phase_kind kind)
{
	return (unsigned)kind < FG_KIND_COUNT ? kind_names[kind] : "?";
}

int fg_phase_kind_parse(fg_phase_kind *out, const char *name)
{
	int i;

	for (i = 0; i < FG_KIND_COUNT; i++) {
		if (!strcmp(name, kind_names[i])) {
			*out = (fg_phase_kind)i;
			return 0;
		}
	}
	return FG_ENOTFOUND;
}

const char *fg_method_name(fg_method method)
{
	return (unsigned)method < FG_METHOD_COUNT ? method_names[method] : "?";
}

const char *fg_utilization_basis_name(fg_utilization_basis basis)
{
	static const char *const names[] = {"catalog", "point", "band"};

	return (unsigned)basis < 3 ? names[basis] : "?";
}

const char *fg_run_status_name(fg_run_status status)
{
	return (unsigned)status <= FG_STATUS_COMPLETED ? status_names[status]
						       : "?";
}

/* ---- freeing ---------------------------------------------------------- */

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void free_input_exact(fg_estimate_input *e)
{
	size_t i;

	fg_exact_free(e->exact.parameters);
	fg_exact_free(e->exact.active_parameters);
	fg_exact_free(e->exact.tokens);
	fg_exact_free(e->exact.flop_per_parameter_token);
	fg_exact_free(e->exact.epochs);
	fg_exact_free(e->exact.count);
	fg_exact_free(e->exact.seconds);
	fg_exact_free(e->exact.chip_hours);
	fg_exact_free(e->exact.utilization_low);
	fg_exact_free(e->exact.utilization);
	fg_exact_free(e->exact.utilization_high);
	fg_exact_free(e->exact.flop);
	fg_exact_free(e->exact.flop_low);
	fg_exact_free(e->exact.flop_high);
	for (i = 0; e->periods && i < e->period_count; i++) {
		fg_exact_free(e->periods[i].exact.count);
		fg_exact_free(e->periods[i].exact.seconds);
	}
}

static void free_run(fg_run *run)
{
	size_t i, j;

	free(run->id);
	free(run->model);
	free(run->developer);
	free_strings(run->jurisdictions, run->jurisdiction_count);
	for (i = 0; i < run->attribute_count; i++) {
		free(run->attributes[i].key);
		free_strings(run->attributes[i].values,
			     run->attributes[i].value_count);
		free(run->attributes[i].value_at);
	}
	free(run->established_in);
	free(run->attributes);
	free(run->base_model_id);
	fg_exact_free(run->exact.annual_revenue_usd);
	fg_exact_free(run->exact.base_model_flop);
	for (i = 0; i < run->phase_count; i++) {
		fg_phase *ph = &run->phases[i];

		free(ph->name);
		for (j = 0; j < ph->estimate_count; j++) {
			free_input_exact(&ph->estimates[j]);
			free(ph->estimates[j].periods);
			free(ph->estimates[j].source);
		}
		free(ph->estimates);
		fg_exact_free(ph->exact.cost_usd);
	}
	free(run->phases);
	for (i = 0; i < run->progress_count; i++)
		fg_exact_free(run->progress[i].exact.flop);
	free(run->progress);
	free(run->file);
	free(run->input_text);
}

void fg_run_list_free(fg_run_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		free_run(&list->runs[i]);
	free(list->runs);
	free(list);
}

/* ---- small helpers ---------------------------------------------------- */

static int oom(fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, NULL, 0, 0, "out of memory");
}

static int dup_text(char **out, const char *s, fg_error *err)
{
	if (!(*out = strdup(s)))
		return oom(err);
	return 0;
}

/* The key node of `key` in map (for errors about a key being there). */
static const fg_node *key_node(const fg_node *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->type == FG_NODE_MAP && i < map->count; i++)
		if (!strcmp(map->keys[i]->value, key))
			return map->keys[i];
	return NULL;
}

/* Value of key, or NULL when absent or written as null. */
static const fg_node *get(const fg_node *map, const char *key)
{
	const fg_node *v = fg_node_get(map, key);

	return v && !fg_node_is_null(v) ? v : NULL;
}

static int opt_string(char **out, const fg_node *map, const char *key,
		      fg_error *err)
{
	const fg_node *v = get(map, key);
	const char *s;

	if (!v)
		return 0;
	if (fg_node_string(&s, v, key, err))
		return FG_EINPUT;
	return dup_text(out, s, err);
}

static int opt_date(fg_date *out, const fg_node *map, const char *key,
		    fg_error *err)
{
	const fg_node *v = get(map, key);

	*out = FG_DATE_NONE;
	return v ? fg_node_date(out, v, key, err) : 0;
}

/* A quantity that must be above zero, and its exact twin. */
static int positive(double *out, fg_exact **exact, const fg_node *v,
		    fg_qty_kind kind, const char *what, fg_error *err)
{
	int rc;

	if ((rc = fg_node_exact(out, exact, v, kind, what, err)))
		return rc;
	if (!(*out > 0))
		return fg_node_error(err, FG_EINPUT, v,
				     "`%s` must be above 0", what);
	return 0;
}

static int unknown_name(fg_error *err, const fg_node *v, const char *what,
			const char *const *names)
{
	char list[256] = "", hint[400];
	const char *near = fg_suggest_text(hint, sizeof(hint), v->value,
					   names);
	size_t i;

	for (i = 0; names[i]; i++) {
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	if (near)
		return fg_node_error(err, FG_EINPUT, v,
				     "unknown %s `%s`; did you mean %s? "
				     "(one of %s)", what, v->value, near,
				     list);
	return fg_node_error(err, FG_EINPUT, v, "unknown %s `%s` (one of %s)",
			     what, v->value, list);
}

/* ---- run identity, jurisdictions, attributes ------------------------- */

static int valid_run_id(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._-", id[i]))
			return 0;
	return 1;
}

/* A code that is not a jurisdiction, with the one it most likely is. */
static int bad_jurisdiction(fg_error *err, const fg_node *v,
			    const char *written, const char *code)
{
	const char *near[FG_SUGGEST_SHOWN];
	size_t n = fg_jurisdiction_suggestions(near, FG_SUGGEST_SHOWN, code);
	char hint[600] = "";
	size_t i, used = 0;

	/* "`US-NY` (New York)", "`KR` (Korea, Republic of) or `KP` (...)" */
	for (i = 0; i < n && i < FG_SUGGEST_SHOWN && used < sizeof(hint);
	     i++) {
		int w = snprintf(hint + used, sizeof(hint) - used,
				 "%s`%s` (%s)", i == 0 ? "" : i + 1 == n ?
				 " or " : ", ", near[i],
				 fg_jurisdiction_name(near[i]));

		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (n > FG_SUGGEST_SHOWN && used < sizeof(hint))
		snprintf(hint + used, sizeof(hint) - used, " or %zu more",
			 n - FG_SUGGEST_SHOWN);
	if (n)
		return fg_node_error(err, FG_EINPUT, v,
				     "jurisdiction `%s` is not a valid code; "
				     "did you mean %s? (ISO 3166-1 "
				     "alpha-2, EU, or US- and a state)",
				     written, hint);
	return fg_node_error(err, FG_EINPUT, v,
			     "jurisdiction `%s` is not a valid code (ISO "
			     "3166-1 alpha-2 such as KR, EU, or US- and a "
			     "state such as US-CA)", written);
}

/* established_in names a country: of the codes the writer may have meant
 * ("GB" for "UK", "DE" for "Germany"), only countries are offered, never
 * a state or the Union. */
static int bad_country(fg_error *err, const fg_node *v, const char *written,
		       const char *code)
{
	const char *near[8];
	size_t n = fg_jurisdiction_suggestions(near, 8, code), i;
	const char *best = NULL;
	char country[3];

	/* "US-CA": the state's country */
	if (fg_jurisdiction_valid(code) && strlen(code) > 3 &&
	    code[2] == '-') {
		memcpy(country, code, 2);
		country[2] = 0;
		best = country;
	}
	for (i = 0; i < n && i < 8 && !best; i++)
		if (strlen(near[i]) == 2 && strcmp(near[i], "EU"))
			best = near[i];
	if (best)
		return fg_node_error(err, FG_EINPUT, v,
				     "`established_in` is the country where "
				     "the provider is established, not `%s`;"
				     " did you mean `%s` (%s)? (ISO 3166-1 "
				     "alpha-2)", written, best,
				     fg_jurisdiction_name(best));
	return fg_node_error(err, FG_EINPUT, v,
			     "`established_in` is the country where the "
			     "provider is established (ISO 3166-1 alpha-2, "
			     "such as DE or US), not `%s`", written);
}

/* organization.established_in: where the provider is established, a
 * country (AI Act Art. 54 turns on "established in third countries"). */
static int load_established_in(fg_run *run, const fg_node *v, fg_error *err)
{
	const char *s;
	size_t j;

	if (fg_node_string(&s, v, "established_in", err) ||
	    dup_text(&run->established_in, s, err))
		return FG_EINPUT;
	for (j = 0; run->established_in[j]; j++)
		run->established_in[j] =
			(char)toupper((unsigned char)run->established_in[j]);
	run->established_in_at.line = v->line;
	run->established_in_at.column = v->column;
	if (fg_jurisdiction_valid(run->established_in) &&
	    strlen(run->established_in) == 2 &&
	    strcmp(run->established_in, "EU"))
		return 0;
	return bad_country(err, v, s, run->established_in);
}

/* `jurisdictions` is required: a run that says nothing of where it is
 * placed must not pass every gate by default.  [] says "nowhere". */
static int load_jurisdictions(fg_run *run, const fg_node *v, fg_error *err)
{
	size_t i, j;

	if (fg_node_expect(v, FG_NODE_SEQ, "jurisdictions", err))
		return FG_EINPUT;
	if (v->count && !(run->jurisdictions = calloc(v->count,
						       sizeof(char *))))
		return oom(err);
	for (i = 0; i < v->count; i++) {
		const char *s;
		char *code;

		if (fg_node_string(&s, v->items[i], "jurisdictions", err))
			return FG_EINPUT;
		if (dup_text(&code, s, err))
			return FG_ENOMEM;
		run->jurisdictions[run->jurisdiction_count++] = code;
		for (j = 0; code[j]; j++)
			code[j] = (char)toupper((unsigned char)code[j]);
		if (!fg_jurisdiction_valid(code))
			return bad_jurisdiction(err, v->items[i], s, code);
		for (j = 0; j + 1 < run->jurisdiction_count; j++)
			if (!strcmp(run->jurisdictions[j], code))
				return fg_node_error(err, FG_EINPUT,
						     v->items[i],
						     "jurisdiction `%s` is "
						     "listed twice", code);
	}
	return 0;
}

/* An attribute value as text; YAML booleans become "true"/"false" so that
 * rules can match `generative: true` however the file spelled it. */
static int attribute_value(char **out, const fg_node *v, const char *key,
			   fg_error *err)
{
	int b;

	if (v->type != FG_NODE_SCALAR || fg_node_is_null(v))
		return fg_node_error(err, FG_EINPUT, v,
				     "attribute `%s` must be a value or a "
				     "list of values", key);
	if (v->plain && fg_node_bool(&b, v, key, NULL) == 0)
		return dup_text(out, b ? "true" : "false", err);
	return dup_text(out, v->value, err);
}

static int load_attributes(fg_run *run, const fg_node *map, fg_error *err)
{
	size_t i, j;

	if (fg_node_expect(map, FG_NODE_MAP, "attributes", err))
		return FG_EINPUT;
	if (map->count && !(run->attributes = calloc(map->count,
						      sizeof(fg_attribute))))
		return oom(err);
	for (i = 0; i < map->count; i++) {
		fg_attribute *a = &run->attributes[run->attribute_count++];
		const fg_node *v = map->items[i];
		const char *key = map->keys[i]->value;
		size_t n = v->type == FG_NODE_SEQ ? v->count : 1;

		if (dup_text(&a->key, key, err))
			return FG_ENOMEM;
		a->is_list = v->type == FG_NODE_SEQ;
		a->at.line = map->keys[i]->line;
		a->at.column = map->keys[i]->column;
		if (n && (!(a->values = calloc(n, sizeof(char *))) ||
			  !(a->value_at = calloc(n, sizeof(fg_position)))))
			return oom(err);
		for (j = 0; j < n; j++) {
			const fg_node *item = v->type == FG_NODE_SEQ
					      ? v->items[j] : v;

			if (attribute_value(&a->values[j], item, key, err))
				return FG_EINPUT;
			a->value_at[j].line = item->line;
			a->value_at[j].column = item->column;
			a->value_count++;
		}
	}
	return 0;
}

/* ---- estimates --------------------------------------------------------- */

typedef struct loader {
	const fg_catalog *catalog;
	fg_error *err;
} loader;

static int load_architecture(fg_estimate_input *e, const fg_node *m,
			     fg_error *err)
{
	static const char *const keys[] = {
		"method", "parameters", "active_parameters", "tokens",
		"flop_per_parameter_token", "epochs", "source", NULL
	};
	const fg_node *v;

	if (fg_node_check_keys(m, keys, "architecture estimate", err))
		return FG_EINPUT;
	if (fg_node_require(&v, m, "parameters", "architecture estimate",
			    err) ||
	    positive(&e->parameters, &e->exact.parameters, v, FG_QTY_NUMBER,
		     "parameters", err))
		return FG_EINPUT;
	if (fg_node_require(&v, m, "tokens", "architecture estimate", err) ||
	    positive(&e->tokens, &e->exact.tokens, v, FG_QTY_NUMBER,
		     "tokens", err))
		return FG_EINPUT;
	if ((v = get(m, "active_parameters"))) {
		if (positive(&e->active_parameters,
			     &e->exact.active_parameters, v, FG_QTY_NUMBER,
			     "active_parameters", err))
			return FG_EINPUT;
		if (fg_exact_cmp(e->exact.active_parameters,
				 e->exact.parameters) > 0)
			return fg_node_error(err, FG_EINPUT, v,
					     "`active_parameters` is more "
					     "than `parameters`");
	} else {
		e->active_parameters = e->parameters;
		if (!(e->exact.active_parameters =
			      fg_exact_copy(e->exact.parameters)))
			return oom(err);
	}
	e->flop_per_parameter_token = DEFAULT_FLOP_PER_PARAMETER_TOKEN;
	if ((v = get(m, "flop_per_parameter_token"))) {
		if (positive(&e->flop_per_parameter_token,
			     &e->exact.flop_per_parameter_token, v,
			     FG_QTY_NUMBER, "flop_per_parameter_token", err))
			return FG_EINPUT;
	} else if (fg_exact_set_ui(&e->exact.flop_per_parameter_token,
				   DEFAULT_FLOP_PER_PARAMETER_TOKEN, 1)) {
		return oom(err);
	}
	e->epochs = 1;
	if ((v = get(m, "epochs"))) {
		if (positive(&e->epochs, &e->exact.epochs, v, FG_QTY_NUMBER,
			     "epochs", err))
			return FG_EINPUT;
	} else if (fg_exact_set_ui(&e->exact.epochs, 1, 1)) {
		return oom(err);
	}
	return 0;
}

static int load_periods(fg_estimate_input *e, const fg_node *list,
			fg_error *err)
{
	static const char *const keys[] = {"count", "duration", NULL};
	size_t i;

	if (fg_node_expect(list, FG_NODE_SEQ, "periods", err))
		return FG_EINPUT;
	if (list->count == 0)
		return fg_node_error(err, FG_EINPUT, list,
				     "`periods` is empty");
	if (!(e->periods = calloc(list->count, sizeof(fg_period))))
		return oom(err);
	for (i = 0; i < list->count; i++) {
		const fg_node *p = list->items[i], *v;
		fg_period *out = &e->periods[i];

		/* counted first, so that a failure below frees its
		 * exact figures */
		e->period_count++;
		if (fg_node_check_keys(p, keys, "period", err) ||
		    fg_node_require(&v, p, "count", "period", err) ||
		    positive(&out->count, &out->exact.count, v,
			     FG_QTY_NUMBER, "count", err))
			return FG_EINPUT;
		if (!fg_exact_is_integer(out->exact.count))
			return fg_node_error(err, FG_EINPUT, v,
					     "`count` is a whole number of "
					     "chips");
		if (fg_node_require(&v, p, "duration", "period", err) ||
		    positive(&out->seconds, &out->exact.seconds, v,
			     FG_QTY_DURATION, "duration", err))
			return FG_EINPUT;
	}
	return 0;
}

/* The time of a cluster given as count + chip_hours: chip_hours x 3600 /
 * count seconds, exactly. */
static int derive_seconds(fg_estimate_input *e)
{
	mpq_t q;
	int rc;

	mpq_init(q);
	mpq_set_ui(q, 3600, 1);
	mpq_mul(q, q, e->exact.chip_hours->q);
	mpq_div(q, q, e->exact.count->q);
	rc = fg_exact_store(&e->exact.seconds, q);
	e->seconds = fg_q_double(q);
	mpq_clear(q);
	return rc;
}

/* count + duration | count + chip_hours | chip_hours | periods: exactly
 * one way of saying how much accelerator time was used. */
static int load_chip_time(fg_estimate_input *e, const fg_node *m,
			  fg_error *err)
{
	const fg_node *count = get(m, "count"), *dur = get(m, "duration");
	const fg_node *hours = get(m, "chip_hours");
	const fg_node *periods = get(m, "periods");

	if (periods && (count || dur || hours))
		return fg_node_error(err, FG_EINPUT,
				     key_node(m, count ? "count" : dur
					      ? "duration" : "chip_hours"),
				     "`periods` already gives the chips and "
				     "time; drop `%s`", count ? "count" : dur
				     ? "duration" : "chip_hours");
	if (periods)
		return load_periods(e, periods, err);
	if (hours && dur)
		return fg_node_error(err, FG_EINPUT, key_node(m, "chip_hours"),
				     "give `count` and `duration`, or "
				     "`chip_hours`, not both");
	if (!hours && count && !dur)
		return fg_node_error(err, FG_EINPUT, key_node(m, "count"),
				     "`count` needs a `duration` (or give "
				     "`chip_hours`)");
	if (!hours && dur && !count)
		return fg_node_error(err, FG_EINPUT, key_node(m, "duration"),
				     "`duration` needs a `count` of chips");
	if (!hours && !count)
		return fg_node_error(err, FG_EINPUT, m,
				     "a hardware estimate needs `count` and "
				     "`duration`, `chip_hours`, or `periods`");
	if (count && positive(&e->count, &e->exact.count, count,
			      FG_QTY_NUMBER, "count", err))
		return FG_EINPUT;
	if (count && !fg_exact_is_integer(e->exact.count))
		return fg_node_error(err, FG_EINPUT, count,
				     "`count` is a whole number of chips");
	if (dur && positive(&e->seconds, &e->exact.seconds, dur,
			    FG_QTY_DURATION, "duration", err))
		return FG_EINPUT;
	if (hours) {
		if (positive(&e->chip_hours, &e->exact.chip_hours, hours,
			     FG_QTY_CHIP_HOURS, "chip_hours", err))
			return FG_EINPUT;
		if (count && derive_seconds(e))
			return oom(err);
	}
	return 0;
}

static int load_accelerator(fg_estimate_input *e, const fg_node *m,
			    const loader *ld)
{
	const fg_node *acc, *prec;
	const char *near[FG_SUGGEST_SHOWN], *id;
	size_t n, i;
	char list[400] = "";

	if (fg_node_require(&acc, m, "accelerator", "hardware estimate",
			    ld->err) ||
	    fg_node_string(&id, acc, "accelerator", ld->err))
		return FG_EINPUT;
	e->accelerator = fg_catalog_find(ld->catalog, id);
	if (!e->accelerator) {
		n = fg_catalog_nearest(ld->catalog, id, near,
				       FG_SUGGEST_SHOWN);
		if (!n)
			return fg_node_error(ld->err, FG_EINPUT, acc,
					     "unknown accelerator `%s` "
					     "(`flopgate hardware` lists "
					     "them all)", id);
		return fg_node_error(ld->err, FG_EINPUT, acc,
				     "unknown accelerator `%s`; did you mean "
				     "%s? (`flopgate hardware` lists them "
				     "all)", id, fg_suggest_join(list,
				     sizeof(list), near, n < FG_SUGGEST_SHOWN
				     ? n : FG_SUGGEST_SHOWN, n));
	}
	e->precision = FG_PREC_BF16;
	if ((prec = get(m, "precision"))) {
		static const char *const names[] = {
			"fp64", "tf32", "bf16", "fp16", "fp8", "int8", NULL
		};
		const char *s;

		if (fg_node_string(&s, prec, "precision", ld->err))
			return FG_EINPUT;
		if (fg_precision_parse(&e->precision, s))
			return unknown_name(ld->err, prec, "precision", names);
	}
	if (e->accelerator->peak_flops[e->precision] > 0)
		return 0;
	for (i = 0; i < FG_PREC_COUNT; i++) {
		if (e->accelerator->peak_flops[i] <= 0)
			continue;
		strncat(list, *list ? ", " : "", sizeof(list) - strlen(list)
			- 1);
		strncat(list, fg_precision_name((fg_precision)i),
			sizeof(list) - strlen(list) - 1);
	}
	return fg_node_error(ld->err, FG_EINPUT, prec ? prec : acc,
			     "`%s` has no dense %s peak in the catalog%s; it "
			     "lists %s", e->accelerator->id,
			     fg_precision_name(e->precision),
			     prec ? "" : " (bf16 is the default precision)",
			     list);
}

/* The ±30 % band around a single utilization u, as any declared figure
 * gets (GPAI guidelines Annex A.2: "within an overall error margin of
 * 30%"): [7/10 u, 13/10 u], the high end never above 1, the dense peak
 * that no run can exceed. */
static int point_band(fg_estimate_input *e)
{
	mpq_t q;
	int rc;

	mpq_init(q);
	mpq_set_ui(q, 7, 10);
	mpq_mul(q, q, e->exact.utilization->q);
	rc = fg_exact_store(&e->exact.utilization_low, q);
	e->utilization_low = fg_q_double(q);
	mpq_set_ui(q, 13, 10);
	mpq_mul(q, q, e->exact.utilization->q);
	if (mpq_cmp_ui(q, 1, 1) > 0)
		mpq_set_ui(q, 1, 1);
	rc = rc ? rc : fg_exact_store(&e->exact.utilization_high, q);
	e->utilization_high = fg_q_double(q);
	mpq_clear(q);
	return rc;
}

/* The band's midpoint: exact, where the geometric mean of two decimals
 * (Epoch's habit, compute.md §1.3) is in general irrational and could not
 * be held exactly against a line.  Within a utilization band the two
 * differ by far less than the band's own width. */
static int band_centre(fg_estimate_input *e)
{
	mpq_t mid;
	int rc;

	mpq_init(mid);
	mpq_add(mid, e->exact.utilization_low->q,
		e->exact.utilization_high->q);
	mpq_div_2exp(mid, mid, 1);
	rc = fg_exact_store(&e->exact.utilization, mid);
	e->utilization = fg_q_double(mid);
	mpq_clear(mid);
	return rc;
}

static int load_utilization(fg_estimate_input *e, const fg_node *m,
			    const loader *ld)
{
	const fg_node *v = get(m, "utilization");
	const fg_exact *cat[3];
	double lo, hi;
	int rc;

	if (!v) {
		e->utilization_basis = FG_UTIL_CATALOG;
		fg_catalog_utilization(ld->catalog, &e->utilization_low,
				       &e->utilization, &e->utilization_high);
		fg_catalog_utilization_exact(ld->catalog, &cat[0], &cat[1],
					     &cat[2]);
		if (!(e->exact.utilization_low = fg_exact_copy(cat[0])) ||
		    !(e->exact.utilization = fg_exact_copy(cat[1])) ||
		    !(e->exact.utilization_high = fg_exact_copy(cat[2])))
			return oom(ld->err);
		return 0;
	}
	if ((rc = fg_node_exact_range(&lo, &hi, &e->exact.utilization_low,
				      &e->exact.utilization_high, v,
				      FG_QTY_NUMBER, "utilization", ld->err)))
		return rc;
	if (!(lo > 0) || fg_exact_cmp_ui(e->exact.utilization_high, 1) > 0)
		return fg_node_error(ld->err, FG_EINPUT, v,
				     "`utilization` must be in (0, 1] "
				     "(a fraction of the dense peak, e.g. "
				     "0.40 or 40%%)");
	e->utilization_given = 1;
	if (v->type == FG_NODE_SEQ) {
		e->utilization_basis = FG_UTIL_BAND;
		e->utilization_low = lo;
		e->utilization_high = hi;
		rc = band_centre(e);
	} else {
		e->utilization_basis = FG_UTIL_POINT;
		e->utilization = lo;
		if (!(e->exact.utilization =
			      fg_exact_copy(e->exact.utilization_low)))
			return oom(ld->err);
		rc = point_band(e);
	}
	return rc ? oom(ld->err) : 0;
}

static int load_hardware(fg_estimate_input *e, const fg_node *m,
			 const loader *ld)
{
	static const char *const keys[] = {
		"method", "accelerator", "count", "duration", "chip_hours",
		"periods", "precision", "utilization", "source", NULL
	};

	if (fg_node_check_keys(m, keys, "hardware estimate", ld->err) ||
	    load_accelerator(e, m, ld) || load_chip_time(e, m, ld->err) ||
	    load_utilization(e, m, ld))
		return FG_EINPUT;
	return 0;
}

static int load_reported(fg_estimate_input *e, const fg_node *m,
			 fg_error *err)
{
	static const char *const keys[] = {"method", "flop", "range",
					   "source", NULL};
	const char *what = fg_method_name(e->method);
	char context[64];
	const fg_node *v;
	int rc;

	snprintf(context, sizeof(context), "%s estimate", what);
	if (fg_node_check_keys(m, keys, context, err) ||
	    fg_node_require(&v, m, "flop", context, err))
		return FG_EINPUT;
	if ((rc = fg_node_exact(&e->flop, &e->exact.flop, v, FG_QTY_FLOP,
				"flop", err)))
		return rc;
	e->flop_low = e->flop_high = e->flop;
	if (!(e->exact.flop_low = fg_exact_copy(e->exact.flop)) ||
	    !(e->exact.flop_high = fg_exact_copy(e->exact.flop)))
		return oom(err);
	if ((v = get(m, "range"))) {
		if (v->type != FG_NODE_SEQ)
			return fg_node_error(err, FG_EINPUT, v,
					     "`range` must be [low, high]");
		if ((rc = fg_node_exact_range(&e->flop_low, &e->flop_high,
					      &e->exact.flop_low,
					      &e->exact.flop_high, v,
					      FG_QTY_FLOP, "range", err)))
			return rc;
		if (fg_exact_cmp(e->exact.flop, e->exact.flop_low) < 0 ||
		    fg_exact_cmp(e->exact.flop, e->exact.flop_high) > 0)
			return fg_node_error(err, FG_EINPUT, v,
					     "`range` does not contain "
					     "`flop`");
	}
	return 0;
}

static int load_estimate(fg_estimate_input *e, const fg_node *m,
			 const loader *ld)
{
	const fg_node *v;
	const char *name;
	int i, rc;

	if (fg_node_expect(m, FG_NODE_MAP, "estimate", ld->err) ||
	    fg_node_require(&v, m, "method", "estimate", ld->err) ||
	    fg_node_string(&name, v, "method", ld->err))
		return FG_EINPUT;
	e->line = m->line;
	e->column = m->column;
	for (i = 0; i < FG_METHOD_COUNT; i++)
		if (!strcmp(name, method_names[i]))
			break;
	if (i == FG_METHOD_COUNT)
		return unknown_name(ld->err, v, "method", method_names);
	e->method = (fg_method)i;
	switch (e->method) {
	case FG_METHOD_ARCHITECTURE:
		rc = load_architecture(e, m, ld->err);
		break;
	case FG_METHOD_HARDWARE:
		rc = load_hardware(e, m, ld);
		break;
	default:
		rc = load_reported(e, m, ld->err);
		break;
	}
	if (rc)
		return rc;
	return opt_string(&e->source, m, "source", ld->err);
}

/* ---- phases ------------------------------------------------------------ */

static int load_phase(fg_phase *ph, const fg_node *m, const loader *ld)
{
	static const char *const keys[] = {"name", "kind", "cost_usd",
					   "estimates", NULL};
	const fg_node *v, *list;
	const char *s;
	size_t i, j;

	if (fg_node_check_keys(m, keys, "phase", ld->err) ||
	    fg_node_require(&v, m, "name", "phase", ld->err) ||
	    fg_node_string(&s, v, "name", ld->err))
		return FG_EINPUT;
	ph->line = m->line;
	ph->column = m->column;
	ph->cost_usd = -1;
	if (dup_text(&ph->name, s, ld->err))
		return FG_ENOMEM;
	if (fg_node_require(&v, m, "kind", "phase", ld->err) ||
	    fg_node_string(&s, v, "kind", ld->err))
		return FG_EINPUT;
	if (fg_phase_kind_parse(&ph->kind, s))
		return unknown_name(ld->err, v, "phase kind", kind_names);
	if ((v = get(m, "cost_usd")) &&
	    fg_node_exact(&ph->cost_usd, &ph->exact.cost_usd, v, FG_QTY_USD,
			  "cost_usd", ld->err))
		return FG_EINPUT;
	if (fg_node_require(&list, m, "estimates", "phase", ld->err) ||
	    fg_node_expect(list, FG_NODE_SEQ, "estimates", ld->err))
		return FG_EINPUT;
	if (list->count == 0)
		return fg_node_error(ld->err, FG_EINPUT, list,
				     "phase `%s` has no estimates", ph->name);
	if (!(ph->estimates = calloc(list->count, sizeof(*ph->estimates))))
		return oom(ld->err);
	for (i = 0; i < list->count; i++) {
		fg_estimate_input *e = &ph->estimates[i];

		ph->estimate_count++;
		if (load_estimate(e, list->items[i], ld))
			return FG_EINPUT;
		/* One estimate per method: the phase's central value and its
		 * disagreement warnings compare methods, not copies. */
		for (j = 0; j < i; j++)
			if (ph->estimates[j].method == e->method)
				return fg_node_error(
					ld->err, FG_EINPUT, list->items[i],
					"phase `%s` has a second `%s` "
					"estimate; use `periods:` for a "
					"cluster that changed size, or "
					"split the phase", ph->name,
					fg_method_name(e->method));
	}
	return 0;
}

static int load_phases(fg_run *run, const fg_node *list, const loader *ld)
{
	size_t i, j;

	if (fg_node_expect(list, FG_NODE_SEQ, "phases", ld->err))
		return FG_EINPUT;
	if (list->count == 0)
		return fg_node_error(ld->err, FG_EINPUT, list,
				     "run `%s` has no phases", run->id);
	if (!(run->phases = calloc(list->count, sizeof(*run->phases))))
		return oom(ld->err);
	for (i = 0; i < list->count; i++) {
		run->phase_count++;
		if (load_phase(&run->phases[i], list->items[i], ld))
			return FG_EINPUT;
		for (j = 0; j < i; j++)
			if (!strcmp(run->phases[j].name, run->phases[i].name))
				return fg_node_error(
					ld->err, FG_EINPUT,
					fg_node_get(list->items[i], "name"),
					"phase name `%s` is used twice",
					run->phases[i].name);
	}
	return 0;
}

/* ---- the rest of a run ------------------------------------------------- */

static int load_dates(fg_run *run, const fg_node *m, fg_error *err)
{
	static const char *const keys[] = {"start", "end", "placed_on_market",
					   "threshold_known", NULL};

	if (fg_node_check_keys(m, keys, "dates", err) ||
	    opt_date(&run->start, m, "start", err) ||
	    opt_date(&run->end, m, "end", err) ||
	    opt_date(&run->placed_on_market, m, "placed_on_market", err) ||
	    opt_date(&run->threshold_known, m, "threshold_known", err))
		return FG_EINPUT;
	if (run->start != FG_DATE_NONE && run->end != FG_DATE_NONE &&
	    run->end < run->start)
		return fg_node_error(err, FG_EINPUT, fg_node_get(m, "end"),
				     "`dates.end` is before `dates.start`");
	return 0;
}

static int load_base_model(fg_run *run, const fg_node *m, fg_error *err)
{
	static const char *const keys[] = {"id", "training_compute_flop",
					   "systemic_risk", "same_provider",
					   NULL};
	const fg_node *v;
	int b;

	if (fg_node_check_keys(m, keys, "base_model", err) ||
	    fg_node_require(&v, m, "id", "base_model", err) ||
	    opt_string(&run->base_model_id, m, "id", err))
		return FG_EINPUT;
	run->has_base_model = 1;
	if ((v = get(m, "training_compute_flop")) &&
	    fg_node_exact(&run->base_model_flop, &run->exact.base_model_flop,
			  v, FG_QTY_FLOP, "training_compute_flop", err))
		return FG_EINPUT;
	if ((v = get(m, "systemic_risk"))) {
		if (fg_node_bool(&b, v, "systemic_risk", err))
			return FG_EINPUT;
		run->base_model_systemic_risk = b;
	}
	if ((v = get(m, "same_provider"))) {
		if (fg_node_bool(&b, v, "same_provider", err))
			return FG_EINPUT;
		run->base_model_same_provider = b;
	}
	return 0;
}

static int load_progress(fg_run *run, const fg_node *run_map,
			 const fg_node *list, fg_error *err)
{
	static const char *const keys[] = {"at", "flop", NULL};
	size_t i;
	int rc;

	/* Progress is compute already used: a running run has some, and a
	 * completed one may keep its record (the day it crossed a line);
	 * a planned run has used none. */
	if (run->status == FG_STATUS_PLANNED)
		return fg_node_error(err, FG_EINPUT,
				     key_node(run_map, "progress"),
				     "`progress` is compute already used, "
				     "for a run with status running or "
				     "completed; this one is planned");
	if (fg_node_expect(list, FG_NODE_SEQ, "progress", err))
		return FG_EINPUT;
	if (list->count &&
	    !(run->progress = calloc(list->count, sizeof(fg_progress))))
		return oom(err);
	for (i = 0; i < list->count; i++) {
		const fg_node *p = list->items[i], *v;
		fg_progress *pt = &run->progress[i];

		if (fg_node_check_keys(p, keys, "progress point", err) ||
		    fg_node_require(&v, p, "at", "progress point", err) ||
		    fg_node_timestamp(&pt->at, v, "at", err) ||
		    fg_node_require(&v, p, "flop", "progress point", err))
			return FG_EINPUT;
		/* counted first, so that the run's free sees its figure */
		run->progress_count++;
		if ((rc = fg_node_exact(&pt->flop, &pt->exact.flop, v,
					FG_QTY_FLOP, "flop", err)))
			return rc;
		if (i && pt->at <= pt[-1].at)
			return fg_node_error(err, FG_EINPUT,
					     fg_node_get(p, "at"),
					     "progress points must be in "
					     "time order");
		if (i && fg_exact_cmp(pt->exact.flop, pt[-1].exact.flop) < 0)
			return fg_node_error(err, FG_EINPUT, v,
					     "progress `flop` is cumulative; "
					     "it cannot go down");
	}
	return 0;
}

static int load_energy(fg_run *run, const fg_node *m, fg_error *err)
{
	static const char *const keys[] = {"pue", "server_overhead", NULL};
	const fg_node *v;

	if (fg_node_check_keys(m, keys, "energy", err))
		return FG_EINPUT;
	if ((v = get(m, "pue"))) {
		if (fg_node_quantity(&run->pue, v, FG_QTY_NUMBER, "pue", err))
			return FG_EINPUT;
		if (run->pue < 1)
			return fg_node_error(err, FG_EINPUT, v,
					     "`pue` is at least 1 (facility "
					     "power / IT power)");
	}
	if ((v = get(m, "server_overhead"))) {
		if (fg_node_quantity(&run->server_overhead, v, FG_QTY_NUMBER,
				     "server_overhead", err))
			return FG_EINPUT;
		if (run->server_overhead < 1)
			return fg_node_error(err, FG_EINPUT, v,
					     "`server_overhead` is at least 1 "
					     "(server power / accelerator "
					     "TDP)");
	}
	return 0;
}

static int load_status(fg_run *run, const fg_node *m, fg_error *err)
{
	const fg_node *v = get(m, "status");
	const char *s;
	int i;

	run->status = FG_STATUS_PLANNED;
	if (!v)
		return 0;
	if (fg_node_string(&s, v, "status", err))
		return FG_EINPUT;
	for (i = 0; status_names[i]; i++) {
		if (!strcmp(s, status_names[i])) {
			run->status = (fg_run_status)i;
			return 0;
		}
	}
	return unknown_name(err, v, "status", status_names);
}

static int load_run_body(fg_run *run, const fg_node *m, const loader *ld)
{
	static const char *const keys[] = {
		"id", "model", "developer", "status", "jurisdictions", "dates",
		"organization", "attributes", "base_model", "phases",
		"progress", "planned_end", "energy", NULL
	};
	static const char *const org_keys[] = {"annual_revenue_usd",
					       "established_in", NULL};
	fg_error *err = ld->err;
	const fg_node *v;
	const char *s;

	if (fg_node_check_keys(m, keys, "run", err) ||
	    fg_node_require(&v, m, "id", "run", err) ||
	    fg_node_string(&s, v, "id", err))
		return FG_EINPUT;
	if (!valid_run_id(s))
		return fg_node_error(err, FG_EINPUT, v,
				     "run id `%s` must be 1 to 128 of "
				     "A-Z a-z 0-9 . _ -", s);
	run->id_line = v->line;
	run->id_column = v->column;
	if (dup_text(&run->id, s, err) ||
	    opt_string(&run->model, m, "model", err) ||
	    opt_string(&run->developer, m, "developer", err) ||
	    load_status(run, m, err))
		return FG_EINPUT;
	if ((v = fg_node_get(m, "jurisdictions")) &&
	    load_jurisdictions(run, v, err))
		return FG_EINPUT;
	if ((v = get(m, "dates")) && load_dates(run, v, err))
		return FG_EINPUT;
	if ((v = get(m, "organization"))) {
		const fg_node *rev;

		if (fg_node_check_keys(v, org_keys, "organization", err))
			return FG_EINPUT;
		if ((rev = get(v, "annual_revenue_usd")) &&
		    fg_node_exact(&run->annual_revenue_usd,
				  &run->exact.annual_revenue_usd, rev,
				  FG_QTY_USD, "annual_revenue_usd", err))
			return FG_EINPUT;
		if ((rev = get(v, "established_in")) &&
		    load_established_in(run, rev, err))
			return FG_EINPUT;
	}
	if ((v = get(m, "attributes")) && load_attributes(run, v, err))
		return FG_EINPUT;
	if ((v = get(m, "base_model")) && load_base_model(run, v, err))
		return FG_EINPUT;
	if (fg_node_require(&v, m, "phases", "run", err) ||
	    load_phases(run, v, ld))
		return FG_EINPUT;
	run->compute_line = key_node(m, "phases")->line;
	run->compute_column = key_node(m, "phases")->column;
	if ((v = get(m, "progress")) && load_progress(run, m, v, err))
		return FG_EINPUT;
	if ((v = get(m, "planned_end")) &&
	    fg_node_date(&run->planned_end, v, "planned_end", err))
		return FG_EINPUT;
	if ((v = get(m, "energy")) && load_energy(run, v, err))
		return FG_EINPUT;
	/* Checked last, so that a run with other problems hears of those
	 * first: they are where the file is wrong, this is what it lacks. */
	if (!fg_node_get(m, "jurisdictions"))
		return fg_node_error(err, FG_EINPUT, key_node(m, "id"),
				     "run `%s` has no `jurisdictions`: list "
				     "where the model is or will be placed on "
				     "the market ([EU, US-CA]), or [] for "
				     "nowhere", run->id);
	return 0;
}

static void init_run(fg_run *run)
{
	memset(run, 0, sizeof(*run));
	run->start = run->end = run->placed_on_market = FG_DATE_NONE;
	run->threshold_known = run->planned_end = FG_DATE_NONE;
	run->annual_revenue_usd = -1;
	run->base_model_flop = -1;
	run->base_model_systemic_risk = -1;
	run->pue = DEFAULT_PUE;
	run->server_overhead = DEFAULT_SERVER_OVERHEAD;
}

static int load_document(fg_run *run, const fg_yaml *yaml, size_t index,
			 const loader *ld)
{
	static const char *const top[] = {"run", NULL};
	const fg_node *root = fg_yaml_root(yaml, index), *body;
	const char *text;
	size_t length;
	int rc;

	if (fg_node_check_keys(root, top, "run file", ld->err) ||
	    fg_node_require(&body, root, "run", "run file", ld->err) ||
	    fg_node_expect(body, FG_NODE_MAP, "run", ld->err))
		return FG_EINPUT;
	run->line = key_node(root, "run")->line;
	run->column = key_node(root, "run")->column;
	if (dup_text(&run->file, fg_yaml_path(yaml), ld->err))
		return FG_ENOMEM;
	if ((rc = load_run_body(run, body, ld)))
		return rc;
	text = fg_yaml_text(yaml, index, &length);
	if (!(run->input_text = malloc(length + 1)))
		return oom(ld->err);
	memcpy(run->input_text, text, length);
	run->input_text[length] = 0;
	run->input_length = length;
	if (fg_sha256_hex(text, length, run->input_sha256))
		return oom(ld->err);
	return 0;
}

/* Run ids are checked for duplicates by sorting pointers (n log n): a
 * stream of 100,000 runs must not cost 10^10 string comparisons. */
static int compare_run_ptr(const void *pa, const void *pb)
{
	const fg_run *a = *(const fg_run *const *)pa;
	const fg_run *b = *(const fg_run *const *)pb;
	int c = strcmp(a->id, b->id);

	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static const fg_run **sorted_runs(const fg_run_list *list)
{
	const fg_run **v = malloc((list->count ? list->count : 1) *
				  sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < list->count; i++)
		v[i] = &list->runs[i];
	qsort(v, list->count, sizeof(*v), compare_run_ptr);
	return v;
}

/* The first run (in file order) whose id an earlier run already has;
 * *first is that earlier run.  NULL when the ids are unique. */
static const fg_run *first_duplicate(const fg_run **sorted, size_t n,
				     const fg_run **first)
{
	const fg_run *best = NULL;
	size_t i;

	for (i = 1; i < n; i++) {
		if (strcmp(sorted[i]->id, sorted[i - 1]->id))
			continue;
		/* sorted[i - 1] is the earliest of its group only at the
		 * group's start; walk back to it */
		if (!best || sorted[i] < best) {
			size_t g = i - 1;

			while (g > 0 && !strcmp(sorted[g - 1]->id,
						sorted[i]->id))
				g--;
			best = sorted[i];
			*first = sorted[g];
		}
	}
	return best;
}

static const fg_run *find_run(const fg_run **sorted, size_t n,
			      const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid]->id, id);

		if (!c)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int load_stream(fg_run_list *list, const fg_yaml *yaml,
		       const loader *ld)
{
	size_t i, docs = fg_yaml_count(yaml);
	const fg_run **sorted, *dup, *first = NULL;
	int rc;

	if (docs && !(list->runs = calloc(docs, sizeof(fg_run))))
		return oom(ld->err);
	for (i = 0; i < docs; i++) {
		const fg_node *root = fg_yaml_root(yaml, i);
		fg_run *run = &list->runs[list->count];

		/* `---` at the end of a stream leaves an empty document */
		if (!root || fg_node_is_null(root))
			continue;
		init_run(run);
		list->count++;
		if ((rc = load_document(run, yaml, i, ld)))
			return rc;
	}
	if (list->count == 0)
		return fg_error_set(ld->err, FG_EINPUT, fg_yaml_path(yaml), 1,
				    1, "no runs in %s", fg_yaml_path(yaml));
	sorted = sorted_runs(list);
	if (!sorted)
		return oom(ld->err);
	dup = first_duplicate(sorted, list->count, &first);
	free(sorted);
	if (dup)
		return fg_error_set(ld->err, FG_EINPUT, dup->file,
				    dup->id_line, dup->id_column,
				    "run id `%s` is used twice in this file "
				    "(first at line %d)", dup->id, first->line);
	return 0;
}

static int finish_load(fg_run_list **out, fg_yaml *yaml,
		       const fg_catalog *catalog, fg_error *err)
{
	fg_run_list *list = calloc(1, sizeof(*list));
	loader ld = {catalog, err};
	int rc;

	if (!list) {
		rc = oom(err);
		goto done;
	}
	if ((rc = load_stream(list, yaml, &ld)))
		goto done;
	*out = list;
	list = NULL;
done:
	fg_run_list_free(list);
	fg_yaml_free(yaml);
	return rc;
}

/* ---- one run at a time ------------------------------------------------ */

struct fg_run_reader {
	fg_yaml_reader *yaml;
	const fg_catalog *catalog;
	size_t runs;
};

int fg_run_reader_open(fg_run_reader **out, const char *path,
		       const fg_catalog *catalog, fg_error *err)
{
	fg_run_reader *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return oom(err);
	r->catalog = catalog;
	rc = !strcmp(path, "-")
		? fg_yaml_reader_open_stream(&r->yaml, stdin, FG_RUN_STDIN,
					     NULL, err)
		: fg_yaml_reader_open(&r->yaml, path, NULL, err);
	if (rc < 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int fg_run_reader_next(fg_run_reader *r, fg_run **out, fg_error *err)
{
	loader ld = {r->catalog, err};
	fg_yaml *doc = NULL;
	fg_run *run;
	const fg_node *root;
	int rc;

	*out = NULL;
	for (;;) {
		if ((rc = fg_yaml_reader_next(r->yaml, &doc, err)) <= 0) {
			if (rc == 0 && r->runs == 0) {
				r->runs = 1;	/* say it once */
				return fg_error_set(err, FG_EINPUT,
					fg_yaml_reader_path(r->yaml), 1, 1,
					"no runs in %s",
					fg_yaml_reader_path(r->yaml));
			}
			return rc;
		}
		root = fg_yaml_root(doc, 0);
		/* `---` at the end of a stream leaves an empty document */
		if (root && !fg_node_is_null(root))
			break;
		fg_yaml_reader_recycle(r->yaml, doc);
	}
	if (!(run = malloc(sizeof(*run)))) {
		fg_yaml_free(doc);
		return oom(err);
	}
	init_run(run);
	rc = load_document(run, doc, 0, &ld);
	/* the run holds nothing of the document: its memory serves the
	 * next one */
	fg_yaml_reader_recycle(r->yaml, doc);
	if (rc) {
		fg_run_free(run);
		return rc;
	}
	r->runs++;
	*out = run;
	return 1;
}

uint64_t fg_run_reader_offset(const fg_run_reader *r)
{
	return r ? fg_yaml_reader_offset(r->yaml) : 0;
}

uint64_t fg_run_reader_size(const fg_run_reader *r)
{
	return r ? fg_yaml_reader_size(r->yaml) : 0;
}

void fg_run_reader_free(fg_run_reader *r)
{
	if (!r)
		return;
	fg_yaml_reader_free(r->yaml);
	free(r);
}

void fg_run_free(fg_run *run)
{
	if (!run)
		return;
	free_run(run);
	free(run);
}

/* ---- whole files ---------------------------------------------------------- */

int fg_run_list_load(fg_run_list **out, const char *path,
		     const fg_catalog *catalog, fg_error *err)
{
	fg_yaml *yaml;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_file(&yaml, path, NULL, err)))
		return rc;
	return finish_load(out, yaml, catalog, err);
}

int fg_run_list_load_string(fg_run_list **out, const char *name,
			    const char *text, size_t length,
			    const fg_catalog *catalog, fg_error *err)
{
	fg_yaml *yaml;
	int rc;

	*out = NULL;
	if ((rc = fg_yaml_load_string(&yaml, name, text, length, NULL, err)))
		return rc;
	return finish_load(out, yaml, catalog, err);
}

int fg_run_list_merge(fg_run_list *dst, fg_run_list *src, fg_error *err)
{
	const fg_run **sorted, *first = NULL;
	fg_run *runs;
	size_t i;

	if (!(sorted = sorted_runs(dst)))
		return oom(err);
	for (i = 0; i < src->count && !first; i++)
		first = find_run(sorted, dst->count, src->runs[i].id);
	free(sorted);
	if (first) {
		i--;
		return fg_error_set(err, FG_EINPUT, src->runs[i].file,
				    src->runs[i].line, src->runs[i].column,
				    "run id `%s` is also in %s:%d",
				    src->runs[i].id, first->file, first->line);
	}
	if (src->count) {
		runs = realloc(dst->runs,
			       (dst->count + src->count) * sizeof(fg_run));
		if (!runs)
			return oom(err);
		dst->runs = runs;
		memcpy(dst->runs + dst->count, src->runs,
		       src->count * sizeof(fg_run));
		dst->count += src->count;
	}
	free(src->runs);
	free(src);
	return 0;
}

int fg_run_modifies_other_provider(const fg_run *run)
{
	return run && run->has_base_model && !run->base_model_same_provider;
}

int fg_run_continues_own_model(const fg_run *run)
{
	return run && run->has_base_model && run->base_model_same_provider;
}

const fg_attribute *fg_run_attribute(const fg_run *run, const char *key)
{
	size_t i;

	for (i = 0; run && i < run->attribute_count; i++)
		if (!strcmp(run->attributes[i].key, key))
			return &run->attributes[i];
	return NULL;
}

int fg_run_in_jurisdiction(const fg_run *run, const char *code)
{
	size_t i;

	for (i = 0; run && code && i < run->jurisdiction_count; i++)
		if (fg_jurisdiction_covers(code, run->jurisdictions[i]))
			return 1;
	return 0;
}
