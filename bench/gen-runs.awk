# SPDX-License-Identifier: Apache-2.0
# flopgate benchmark input: a YAML stream of N runs of varied shape, the
# kind of bulk inventory a CI gate checks.  Deterministic for a given awk:
# the same N gives the same stream.  Written at bench time, never kept.
#
#   awk -v n=10000 -f bench/gen-runs.awk >runs.yaml
#
# Shapes vary by run: 1 to 4 phases of every kind; architecture estimates
# (some MoE, some with epochs), hardware estimates (count + duration,
# chip-hours, periods, precisions, utilization as a number or a range) and
# declared figures (plain, PF-days, YFLOP); planned, running (with
# progress) and completed runs; modifications of a base model; one to five
# jurisdictions.  Sizes span 10^21 to a few 10^26 FLOP, so runs land
# clear of, near and over every line.

function pick(list,    parts, k) {
	k = split(list, parts, "|")
	return parts[int(rand() * k) + 1]
}

# A number between lo and hi, log-uniform, in YAML float notation.
function logu(lo, hi) {
	return sprintf("%.3g", exp(log(lo) + rand() * (log(hi) - log(lo))))
}

function date(year, day) {
	return sprintf("%04d-%02d-%02d", year + int(day / 336),
		       int(day / 28) % 12 + 1, day % 28 + 1)
}

function architecture(params,    s) {
	s = sprintf("        - {method: architecture, parameters: %s, " \
		    "tokens: %s", params, logu(2e10, 3e13))
	if (rand() < 0.15)
		s = s sprintf(", active_parameters: %.3g", params * 0.125)
	if (rand() < 0.1)
		s = s ", epochs: " int(rand() * 3 + 2)
	return s "}\n"
}

function hardware(    s, u, r, k, p, chip, parts) {
	# An accelerator and a precision the catalog lists for it.
	chip = pick("nvidia-h100-sxm:bf16|nvidia-h100-sxm:fp8|" \
		    "nvidia-a100-sxm:tf32|nvidia-h200:bf16|nvidia-b200:fp8|" \
		    "amd-mi300x:fp16|google-tpu-v5p:bf16|intel-gaudi3:bf16|" \
		    "aws-trainium2:bf16|nvidia-v100-sxm2:fp16|" \
		    "google-tpu-v4:bf16")
	split(chip, parts, ":")
	s = "        - {method: hardware, accelerator: " parts[1]
	# The V100 has no bf16 peak, the default: its precision is said.
	if (parts[1] == "nvidia-v100-sxm2" || rand() < 0.3)
		s = s ", precision: " parts[2]
	r = rand()
	if (r < 0.5)
		s = s sprintf(", count: %d, duration: %dd",
			      2 ^ int(rand() * 9 + 6), int(rand() * 110) + 3)
	else if (r < 0.7)
		s = s sprintf(", chip_hours: %s GPU-hours", logu(1e4, 4e7))
	else {
		k = int(rand() * 3) + 2
		s = s ",\n           periods: ["
		for (p = 0; p < k; p++)
			s = s (p ? ", " : "") \
			    sprintf("{count: %d, duration: %dh}",
				    2 ^ int(rand() * 8 + 6),
				    int(rand() * 1400) + 24)
		s = s "]"
	}
	u = rand()
	if (u < 0.3)
		s = s sprintf(", utilization: %.2f", 0.25 + rand() * 0.3)
	else if (u < 0.5)
		s = s sprintf(", utilization: [%.2f, %.2f]",
			      0.2 + rand() * 0.1, 0.35 + rand() * 0.15)
	return s "}\n"
}

function declared(    r) {
	r = rand()
	if (r < 0.6)
		return "        - {method: declared, flop: " logu(1e21, 3e26) \
		       ", source: \"developer's figure\"}\n"
	if (r < 0.8)
		return "        - {method: declared, flop: " \
		       int(logu(10, 3e6)) " PF-days}\n"
	return "        - {method: declared, flop: " logu(0.01, 300) " YFLOP}\n"
}

function phase(kind, params, first,    s, r) {
	s = "    - name: " kind " " first "\n      kind: " kind "\n"
	if (rand() < 0.4)
		s = s "      cost_usd: " logu(1e5, 5e8) "\n"
	s = s "      estimates:\n"
	r = rand()
	if (r < 0.45)
		s = s architecture(params)
	else if (r < 0.6)
		s = s hardware()
	else if (r < 0.75)
		s = s architecture(params) hardware()
	else if (r < 0.9)
		s = s architecture(params) hardware() declared()
	else
		s = s declared()
	if (rand() < 0.05)
		s = s "        - {method: measured, flop: " logu(1e21, 2e26) \
		    ", source: \"profiler counters\"}\n"
	return s
}

BEGIN {
	if (!n)
		n = 10000
	srand(20260301)
	for (i = 0; i < n; i++) {
		status = pick("completed|completed|planned|running")
		params = logu(1e8, 1.5e12)
		year = 2024 + int(rand() * 4)
		start = int(rand() * 300)
		printf "%srun:\n  id: bench-%05d\n  model: Bench model %d\n", \
		       i ? "---\n" : "", i, i
		print "  developer: " pick("Example Labs SAS|Example AI GmbH|" \
			"Example Frontier Inc.|Example AI Korea Co.|Bench Co.")
		print "  status: " status
		print "  jurisdictions: " pick("[EU]|[EU, US]|[US, US-CA]|" \
			"[KR]|[EU, US, US-CA, US-NY, KR]|[US-NY]|[EU, KR]|" \
			"[US]|[EU, US-CA, US-NY]|[GB, EU]")
		printf "  dates: {start: %s", date(year, start)
		if (status == "completed")
			printf ", end: %s, placed_on_market: %s", \
			       date(year, start + 30), date(year, start + 60)
		else if (rand() < 0.5)
			printf ", placed_on_market: %s", date(year + 1, start)
		print "}"
		if (rand() < 0.7)
			print "  organization: {annual_revenue_usd: " \
			      logu(1e6, 3e11) "}"
		print "  attributes: {generative: " pick("true|true|false") \
		      ", modalities: " pick("[text]|[text, image]|" \
		      "[text, image, audio]|[protein_sequence]") \
		      ", primary_data_domain: " pick("general|general|" \
		      "legal|biological_sequences|code") "}"
		modifies = rand() < 0.15
		if (modifies) {
			print "  base_model:\n    id: base-" int(rand() * 50)
			if (rand() < 0.7)
				print "    training_compute_flop: " \
				      logu(1e23, 5e25)
		}
		print "  phases:"
		k = modifies ? 1 : int(rand() * 4) + 1
		for (p = 0; p < k; p++) {
			if (modifies)
				kind = pick("fine_tuning|rl|continued_pretraining")
			else if (p == 0)
				kind = "pretraining"
			else
				kind = pick("continued_pretraining|" \
					    "fine_tuning|rl|synthetic_data|" \
					    "distillation|other")
			printf "%s", phase(kind, params, p + 1)
		}
		if (status == "running") {
			f = logu(1e21, 5e25)
			printf "  progress:\n    - {at: %sT00:00:00Z, flop: %s}\n", \
			       date(year, start + 10), f
			printf "    - {at: %sT00:00:00Z, flop: %.3g}\n", \
			       date(year, start + 20), f * 2
			print "  planned_end: " date(year, start + 90)
		}
	}
}
