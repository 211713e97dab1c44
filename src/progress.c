/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate — progress on a terminal (see fg_check_progress in
 * include/flopgate/check.h): runs done, runs per second and, when the
 * input's size is known, the time left, redrawn in place a few times a
 * second from about a second into the work; never on anything that is not
 * a terminal (a log or a pipe gets no carriage returns). */
#include "flopgate/check.h"

#include "sink_int.h"
#include "store_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_AFTER_MS 1000
#define REDRAW_MS 200

typedef struct progress {
	FILE *tty;
	long after_ms;
	double start, last;
	unsigned long long total;
	int shown;
} progress;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int pr_begin(void *self, fg_check_info *info, fg_error *err)
{
	progress *p = self;

	(void)err;
	p->start = p->last = now_ms();
	p->total = info->total_bytes;
	return 0;
}

/* "1h02m", "3m05s", "12s" */
static void duration(char *buf, size_t size, double seconds)
{
	long s = (long)(seconds + 0.5);

	if (s >= 3600)
		snprintf(buf, size, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, size, "%lds", s);
}

static int pr_run(void *self, const fg_check_info *info,
		  const fg_check_result *r, fg_error *err)
{
	progress *p = self;
	double t = now_ms(), elapsed = t - p->start;
	char left[32];

	(void)info;
	(void)err;
	if (elapsed < (double)p->after_ms ||
	    (p->shown && t - p->last < REDRAW_MS))
		return 0;
	p->last = t;
	p->shown = 1;
	fprintf(p->tty, "\r\033[Kflopgate: %zu run%s, %.0f runs/s",
		r->index + 1, r->index ? "s" : "",
		(double)(r->index + 1) * 1e3 / (elapsed > 1 ? elapsed : 1));
	if (p->total && r->bytes_read && r->bytes_read < p->total) {
		duration(left, sizeof(left), (double)(p->total -
						      r->bytes_read) *
			 (elapsed / 1e3) / (double)r->bytes_read);
		fprintf(p->tty, ", about %s left", left);
	}
	fflush(p->tty);
	return 0;
}

static void clear(progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->tty);
		fflush(p->tty);
		p->shown = 0;
	}
}

static int pr_end(void *self, const fg_check_info *info,
		  const fg_check_summary *s, fg_error *err)
{
	(void)info;
	(void)s;
	(void)err;
	clear(self);
	return 0;
}

static void pr_abort(void *self, const fg_error *why)
{
	(void)why;
	clear(self);
}

static const fg_sink_ops progress_ops = {
	pr_begin, pr_run, pr_end, NULL, pr_abort, free, 0
};

static const fg_sink_ops quiet_ops;

fg_sink *fg_check_progress(FILE *tty, long after_ms)
{
	progress *p;

	/* a file or a pipe gets nothing: a sink that does nothing */
	if (!tty || !isatty(fileno(tty)))
		return fg_sink_new(&quiet_ops, NULL);
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	p->tty = tty;
	p->after_ms = after_ms >= 0 ? after_ms : DEFAULT_AFTER_MS;
	return fg_sink_new(&progress_ops, p);
}
