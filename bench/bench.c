/* flopgate store benchmark: time to record N evaluations into a fresh
 * database, and to verify the whole chain.  Prints figures; asserts only
 * that the store worked.  usage: bench DB N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flopgate/hash.h"
#include "flopgate/store.h"

#define RULESET "ruleset:\n  id: eu-ai-act\n  title: EU AI Act\nrules: []\n"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static json_t *finding(const char *rule, const char *outcome, double line,
		       double value)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:f,"
			 " s:s, s:[{s:s, s:s}], s:n, s:b}",
			 "rule", rule, "ruleset", "eu-ai-act", "severity",
			 "blocking", "outcome", outcome, "metric",
			 "training_compute_flop", "op", ">", "threshold",
			 line, "value", value, "headroom", line - value,
			 "known_since", "2026-03-01", "obligations", "id",
			 "eu.notify-commission", "due", "2026-03-15",
			 "waiver", "gate_fails", value > line);
}

int main(int argc, char **argv)
{
	fg_store *s = NULL;
	fg_error err;
	fg_verify_report report;
	char input[1200], id[32], sha[65], rsha[65];
	double t0, t_record, t_verify;
	long n, i;
	json_t *doc;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fputs("usage: bench DB N\n", stderr);
		return 2;
	}
	if (fg_store_open(&s, argv[1], FG_STORE_CREATE, &err)) {
		fprintf(stderr, "bench: %s\n", err.message);
		return 3;
	}
	fg_sha256_hex(RULESET, strlen(RULESET), rsha);
	t0 = now();
	for (i = 0; i < n; i++) {
		fg_store_text rs = {"eu-ai-act", rsha, "rules/eu-ai-act.yaml",
				    RULESET, strlen(RULESET)};
		fg_store_text in;
		double flop = 1e24 * (double)(i % 97 + 1);

		snprintf(id, sizeof(id), "run-%06ld", i);
		/* An input about the size of a real run file. */
		snprintf(input, sizeof(input),
			 "run:\n  id: %s\n  model: Bench model %ld\n"
			 "  status: planned\n  jurisdictions: [EU, US]\n"
			 "  phases:\n    - name: pre-training\n"
			 "      kind: pretraining\n      estimates:\n"
			 "        - {method: architecture, parameters: 7e10, "
			 "tokens: %lde9}\n%0*d\n", id, i, i + 1000, 600, 0);
		fg_sha256_hex(input, strlen(input), sha);
		in = (fg_store_text){id, sha, "bench.yaml", input,
				     strlen(input)};
		doc = json_pack(
			"{s:s, s:s, s:n, s:s, s:[{s:s, s:s}],"
			" s:[{s:s, s:s, s:{s:{s:f, s:f, s:f}}, s:[],"
			" s:[o, o, o]}], s:{s:s, s:b, s:i}}",
			"flopgate", "bench", "as_of", "2026-03-01",
			"evaluation_id", "actor", "bench", "rulesets", "id",
			"eu-ai-act", "sha256", rsha, "runs", "id", id,
			"input_sha256", sha, "compute",
			"training_compute_flop", "low", flop * 0.7, "central",
			flop, "high", flop * 1.3, "warnings", "findings",
			finding("eu.gpai.systemic-risk", flop > 1e25
				? "triggered" : "near", 1e25, flop),
			finding("us-ca.sb53.frontier-model", "clear", 1e26,
				flop),
			finding("kr.aibasic.high-performance", "clear", 1e26,
				flop),
			"gate", "fail_on", "triggered", "passed",
			flop <= 1e25, "failures", flop > 1e25);
		if (!doc || fg_store_record(s, doc, &rs, 1, &in, 1, NULL,
					    &err)) {
			fprintf(stderr, "bench: record %ld: %s\n", i,
				err.message);
			return 3;
		}
		json_decref(doc);
	}
	t_record = now() - t0;
	fg_store_free(s);

	if (fg_store_open(&s, argv[1], FG_STORE_READONLY, &err)) {
		fprintf(stderr, "bench: %s\n", err.message);
		return 3;
	}
	t0 = now();
	if (fg_store_verify(s, NULL, &report, &err)) {
		fprintf(stderr, "bench: verify: %s\n", err.message);
		return 3;
	}
	t_verify = now() - t0;
	fg_store_free(s);
	printf("record: %ld evaluations (1 run, 3 findings each) in %.3f s: "
	       "%.3f ms per evaluation, %.0f per second\n", n, t_record,
	       1e3 * t_record / (double)n, (double)n / t_record);
	printf("verify: %lld entries in %.3f s: %.1f us per entry\n",
	       (long long)report.entries, t_verify,
	       1e6 * t_verify / (double)report.entries);
	return 0;
}
