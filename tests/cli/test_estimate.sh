#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate estimate and flopgate hardware on the shipped examples and on
# bad input.
. tests/cli/lib.sh

# jqt FILTER FILE: the filter holds (jq -e), quietly
jqt() { jq -e "$1" "$2" >/dev/null; }

# ---- JSON on every example ------------------------------------------------
expect "estimate examples/runs/*.yaml --format json exits 0" 0 \
	"$FLOPGATE" estimate examples/runs/*.yaml --format json --as-of 2026-11-20
cp "$T/out" "$T/all.json"
assert "json: version and as_of" \
	jqt '.flopgate == "0.1.0" and .as_of == "2026-11-20"' "$T/all.json"
assert "json: no check-only fields" \
	jqt 'has("evaluation_id") or has("gate") or has("rulesets") | not' \
	"$T/all.json"
assert "json: llama-3.1-405b central is Meta's 3.8e25" \
	jqt '.runs[] | select(.id == "llama-3.1-405b")
	       | .compute.training_compute_flop.central == 3.8e25' "$T/all.json"
assert "json: llama-3.1-405b hardware range is its declared MFU band" \
	jqt '.runs[] | select(.id == "llama-3.1-405b")
	       | .compute.phases[0].methods[]
	       | select(.method == "hardware")
	       | .utilization_basis == "band"
	         and (.flop.high / (30.84e6 * 3600 * 989.4e12 * 0.43) - 1
	              | fabs) < 1e-12' "$T/all.json"
assert "json: the dense peak is the physical bound, apart from the range" \
	jqt '.runs[] | select(.id == "llama-3.1-405b")
	       | .compute.phases[0].methods[]
	       | select(.method == "hardware")
	       | .physical_bound_flop == 30.84e6 * 3600 * 989.4e12
	         and .flop.high < .physical_bound_flop' "$T/all.json"
assert "json: gpt-3 central about 3.14e23" \
	jqt '.runs[] | select(.id == "gpt-3")
	       | .compute.training_compute_flop.central
	       | . > 3.13e23 and . < 3.15e23' "$T/all.json"
assert "json: gpt-3 architecture is 6ND" \
	jqt '.runs[] | select(.id == "gpt-3") | .compute.phases[0].methods[]
	       | select(.method == "architecture")
	       | .flop.central == 6 * 174.6e9 * 300e9' "$T/all.json"
assert "json: every run has an input hash and a phase list" \
	jqt 'all(.runs[]; (.input_sha256 | length) == 64
	       and (.compute.phases | length) > 0)' "$T/all.json"
assert "json: the stream file gives three runs" \
	jqt '[.runs[] | select(.file == "examples/runs/inventory.yaml")]
	       | length == 3' "$T/all.json"
assert "json: the disagreeing run carries a warning naming both methods" \
	jqt '.runs[] | select(.id == "example-frontier-eu") | .warnings[0]
	       | test("hardware") and test("measured")' "$T/all.json"
assert "json: the running run projects past 1e25 by its planned end" \
	jqt '.runs[] | select(.id == "example-running-crossing")
	       | .compute.progress.projected_flop_at_planned_end > 1e25' \
	"$T/all.json"
assert "json: unknown base compute is null, not 0" \
	jqt '.runs[] | select(.id == "example-unknown-base-finetune")
	       | .base_model.training_compute_flop == null
	         and .base_model.systemic_risk == true' "$T/all.json"

# ---- text -----------------------------------------------------------------
expect "estimate text exits 0" 0 \
	"$FLOPGATE" estimate examples/runs/llama-3.1-405b.yaml
assert "text: two significant figures" grep -q "3.8 × 10^25" "$T/out"
assert "text: training time and chip-hours" \
	grep -q "chip-hours      3.1 × 10^7" "$T/out"
assert "text: names the strongest evidence" grep -q "declared$" "$T/out"
assert "text: the hardware range is the declared MFU band" \
	grep -q "^    hardware  *4.2 × 10^25   4.4 × 10^25   4.7 × 10^25$" "$T/out"
assert "text: the dense peak is shown apart, as the physical bound" \
	grep -q "^      physical bound  *1.1 × 10^26   at 100 % of peak; range: declared utilization 0.38-0.43$" "$T/out"

# ---- bad input: FILE:LINE:COL, exit 2, nothing on stdout -------------------
cat >"$T/rate.yaml" <<'YAML'
run:
  id: bad-rate
  phases:
    - name: p
      kind: pretraining
      estimates:
        - {method: declared, flop: 2.5 EFLOP/s}
YAML
expect "a rate where a total is needed exits 2" 2 \
	"$FLOPGATE" estimate examples/runs/gpt-3.yaml "$T/rate.yaml"
assert "bad input: stdout is empty" [ ! -s "$T/out" ]
assert "bad input: FILE:LINE:COL on stderr" \
	grep -q "^flopgate: $T/rate.yaml:7:36: .*FLOP/s" "$T/err"

printf '# nothing here\n' >"$T/empty.yaml"
expect "a file with no runs exits 2" 2 "$FLOPGATE" estimate "$T/empty.yaml"
assert "no runs: named at 1:1" \
	grep -q "^flopgate: $T/empty.yaml:1:1: no runs in" "$T/err"

expect "the same id in two files exits 2" 2 "$FLOPGATE" estimate \
	examples/runs/gpt-3.yaml examples/runs/gpt-3.yaml
assert "duplicate across files: stdout is empty" [ ! -s "$T/out" ]

expect "a missing file exits 2" 2 "$FLOPGATE" estimate "$T/absent.yaml"

# ---- usage ------------------------------------------------------------------
expect "estimate --help exits 0" 0 "$FLOPGATE" estimate --help
assert "--help prints usage on stdout" grep -q "^usage: flopgate estimate" "$T/out"
expect "estimate without files exits 2" 2 "$FLOPGATE" estimate
expect "an unknown option exits 2" 2 \
	"$FLOPGATE" estimate --frobnicate examples/runs/gpt-3.yaml
expect "a bad --format exits 2" 2 \
	"$FLOPGATE" estimate --format yaml examples/runs/gpt-3.yaml
expect "a bad --as-of exits 2" 2 \
	"$FLOPGATE" estimate --as-of 2026-13-01 examples/runs/gpt-3.yaml

# ---- hardware ---------------------------------------------------------------
expect "hardware --format json exits 0" 0 "$FLOPGATE" hardware --format json
assert "hardware: twenty chips" jqt '.accelerators | length == 20' "$T/out"
assert "hardware: H100 SXM bf16 dense" \
	jqt '.accelerators[] | select(.id == "nvidia-h100-sxm")
	       | .peak_flops.bf16 == 989.4e12' "$T/out"
assert "hardware: no TDP is null" \
	jqt '.accelerators[] | select(.id == "google-tpu-v4")
	       | .tdp_watts == null' "$T/out"
expect "hardware text exits 0" 0 "$FLOPGATE" hardware
assert "hardware text lists B200 at 4,500 FP8" \
	grep -Eq "^nvidia-b200 .* 4500 +4500 +1000" "$T/out"
