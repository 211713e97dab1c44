/* flopgate — interim definitions of the few run/estimate functions the
 * rules engine calls, until src/run.c and src/estimate.c land on main.
 *
 * They are weak: the real definitions replace them at link time, and this
 * file is deleted when the run model is merged.  They follow the contracts
 * in include/flopgate/run.h and estimate.h exactly.
 */
#include <string.h>

#include "flopgate/estimate.h"
#include "flopgate/run.h"

#define FG_INTERIM __attribute__((weak))

static const char *const kind_names[FG_KIND_COUNT] = {
	"pretraining", "continued_pretraining", "fine_tuning", "rl",
	"synthetic_data", "distillation", "other"
};

FG_INTERIM const char *fg_phase_kind_name(fg_phase_kind kind)
{
	return (unsigned)kind < FG_KIND_COUNT ? kind_names[kind] : "?";
}

FG_INTERIM int fg_phase_kind_parse(fg_phase_kind *out, const char *name)
{
	int i;

	for (i = 0; i < FG_KIND_COUNT; i++)
		if (!strcmp(kind_names[i], name)) {
			*out = (fg_phase_kind)i;
			return 0;
		}
	return FG_ENOTFOUND;
}

FG_INTERIM const fg_attribute *fg_run_attribute(const fg_run *run,
						const char *key)
{
	size_t i;

	for (i = 0; i < run->attribute_count; i++)
		if (!strcmp(run->attributes[i].key, key))
			return &run->attributes[i];
	return NULL;
}

FG_INTERIM int fg_run_in_jurisdiction(const fg_run *run, const char *code)
{
	size_t i;

	for (i = 0; i < run->jurisdiction_count; i++) {
		const char *j = run->jurisdictions[i];

		if (!strcmp(j, code))
			return 1;
		if (!strcmp(j, "US") && !strncmp(code, "US-", 3))
			return 1;
	}
	return 0;
}

FG_INTERIM fg_range fg_run_estimate_cumulative(const fg_run_estimate *est,
					       unsigned kinds_mask)
{
	fg_range sum = {0, 0, 0};
	size_t i;

	for (i = 0; i < est->phase_count; i++) {
		const fg_phase_estimate *p = &est->phases[i];

		if (!(kinds_mask & FG_KIND_BIT(p->phase->kind)))
			continue;
		sum.low += p->flop.low;
		sum.central += p->flop.central;
		sum.high += p->flop.high;
	}
	return sum;
}

FG_INTERIM double fg_run_estimate_crossing(const fg_run_estimate *est,
					   double flop)
{
	const fg_run *run = est->run;
	const fg_progress *a, *b;
	size_t i;

	if (!run || run->progress_count == 0)
		return -1;
	for (i = 0; i < run->progress_count; i++)
		if (run->progress[i].flop >= flop) {
			if (i == 0)
				return run->progress[0].at;
			a = &run->progress[i - 1];
			b = &run->progress[i];
			return a->at + (flop - a->flop) * (b->at - a->at) /
					       (b->flop - a->flop);
		}
	if (est->flop_per_second <= 0)
		return -1;
	b = &run->progress[run->progress_count - 1];
	return b->at + (flop - b->flop) / est->flop_per_second;
}
