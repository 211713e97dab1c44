#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Figures meet legal lines exactly (issue 8 §1): run files whose phases,
# ratios and products land exactly on a line, and one unit in the last
# written digit below and above it, checked through `check --format json`
# (outcome, value and the recorded relation) and the text and Markdown
# outputs (the relation printed).
. tests/cli/lib.sh

F=tests/fixtures/exact
CHECK="$FLOPGATE check --no-record"

# finding RULE RUN: the finding object from $T/out (a JSON document)
finding() {
	jq -e --arg r "$1" --arg run "$2" \
		'[.runs[] | select(.id == $run) | .findings[]
		  | select(.rule == $r)][0]' "$T/out"
}
# holds RULE RUN FILTER: FILTER is true of that finding
holds() { finding "$1" "$2" | jq -e "$3" >/dev/null; }
# doc FILTER: FILTER is true of the document in $T/out
doc() { jq -e "$1" "$T/out" >/dev/null; }

# ---- sums over phases -------------------------------------------------------
expect "phases summing to 10^26 fail Korea's gate" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/sums.yaml
assert "8.9e25 + 1.1e25 is 10^26: Korea's \"or more\" is triggered" \
	holds kr.aibasic.high-performance kr-sum-at-line \
	'.outcome == "triggered" and .value == 1e26 and .relation == "=="'
assert "... and SB 53's \"greater than\" is not (near, at the line)" \
	holds us-ca.sb53.frontier-model kr-sum-at-line \
	'.outcome == "near" and .relation == "==" and .headroom == 0'
assert "one FLOP below 10^26 is near, below the line" \
	holds kr.aibasic.high-performance kr-sum-below \
	'.outcome == "near" and .relation == "<"'
assert "one FLOP above 10^26 triggers both" \
	holds us-ca.sb53.frontier-model kr-sum-above \
	'.outcome == "triggered" and .relation == ">"'
assert "three phase kinds summing to 10^25 are not above the EU line" \
	holds eu.gpai.systemic-risk eu-sum-at-line \
	'.outcome == "near" and .value == 1e25 and .relation == "=="'

# ---- ratios to a base model --------------------------------------------------
expect "exact thirds pass, a third plus one FLOP fails" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/ratios.yaml
for run in third-5e24-of-1.5e25 third-1e25-of-3e25 third-2e25-of-6e25 \
	third-as-a-sum; do
	assert "$run is exactly a third, not greater than one" \
		holds eu.gpai.modifier "$run" \
		'.outcome == "clear" and .relation == "==" and
		 .metric == "modification_fraction" and .headroom == 0'
done
assert "a third plus one FLOP is greater than a third" \
	holds eu.gpai.modifier third-plus-one-flop \
	'.outcome == "triggered" and .relation == ">"'
assert "3.332e24 stays below the fallback line 10^25/3" \
	holds eu.gpai.modifier unknown-base-3.332e24 \
	'.outcome == "clear" and .relation == "<" and
	 .metric == "modification_compute_flop" and
	 .threshold == 3.3333333333333335e24'
assert "one FLOP below 10^25/3 is clear" \
	holds eu.gpai.modifier unknown-base-just-below-third \
	'.outcome == "clear" and .relation == "<"'
assert "one FLOP above 10^25/3 is triggered" \
	holds eu.gpai.modifier unknown-base-just-above-third \
	'.outcome == "triggered" and .relation == ">"'

# ---- products: 6·N·D and chips x peak x seconds x utilization ---------------
expect "products at the line pass, one unit above fails" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/products.yaml
for run in arch-8ND-at-1e25 arch-6ND-epochs-at-1e25 arch-moe-at-1e25 \
	hw-at-1e25 hw-periods-at-1e25; do
	assert "$run lands exactly on 10^25: not greater than it" \
		holds eu.gpai.systemic-risk "$run" \
		'.outcome == "near" and .value == 1e25 and .relation == "=="'
done
assert "one token more is above 10^25" \
	holds eu.gpai.systemic-risk arch-one-token-above-1e25 \
	'.outcome == "triggered" and .relation == ">"'
assert "one chip more is above 10^25" \
	holds eu.gpai.systemic-risk hw-one-chip-above-1e25 \
	'.outcome == "triggered" and .relation == ">"'
assert "chips x peak x seconds x utilization at 10^26 meets Korea's line" \
	holds kr.aibasic.high-performance hw-at-1e26 \
	'.outcome == "triggered" and .value == 1e26 and .relation == "=="'

# ---- EO 14110 cluster line at the chip's highest number format -------------
expect "60,000 H100 are a reportable cluster while EO 14110 was in force" 1 \
	$CHECK --as-of 2024-06-01 --format json $F/cluster.yaml
assert "60,000 H100 SXM in BF16: 1.19e20 op/s at INT8 triggers the line" \
	holds us.eo14110.cluster h100-60k-bf16 \
	'.outcome == "triggered" and .value == 1.18734e20 and .relation == ">"'
assert "20,000 GB200 are exactly 10^20 op/s: at least the line" \
	holds us.eo14110.cluster gb200-20k \
	'.outcome == "triggered" and .value == 1e20 and .relation == "=="'
assert "19,999 GB200 are below it" \
	holds us.eo14110.cluster gb200-19999 \
	'.outcome == "clear" and .relation == "<"'

# ---- revenue ---------------------------------------------------------------
expect 'revenue in excess of $500M fails the gate' 1 \
	$CHECK --as-of 2026-06-01 --format json $F/revenue.yaml
# the finding's conditions follow its rule's leaves (rulesets[].rules[])
assert 'exactly $500,000,000 is not in excess of it' \
	doc '([.rulesets[].rules[] | select(.id ==
	 "us-ca.sb53.large-frontier-developer")][0].conditions |
	 map(.metric) | index("organization.annual_revenue_usd")) as $k |
	 [.runs[] | select(.id == "revenue-at-line")][0].findings[] |
	 select(.rule == "us-ca.sb53.large-frontier-developer") |
	 .outcome == "clear" and .conditions[$k].relation == "==" and
	 .conditions[$k].holds == false'
assert "one dollar more is" \
	holds us-ca.sb53.large-frontier-developer revenue-one-dollar-above \
	'.outcome == "triggered"'

# ---- every output prints the relation that holds ---------------------------
expect "text output" 1 $CHECK --as-of 2026-06-01 $F/sums.yaml
assert "text: 10^26 against SB 53's \"> 10^26\" reads =" \
	grep -q '1.0 × 10^26 FLOP = 1.0 × 10^26 FLOP (training_compute_flop, the central estimate)' \
	"$T/out"
assert "text: figures that print alike get the digits that tell them apart" \
	grep -q '1.00000000000000000000000001 × 10^26 FLOP > 1.0 × 10^26 FLOP (training_compute_flop, the central estimate); 1.0 FLOP above the line' \
	"$T/out"
expect "markdown output" 1 $CHECK --as-of 2026-06-01 --format markdown \
	$F/ratios.yaml
assert "markdown: a third against \"> 1/3\" reads =, both exactly 1/3" \
	grep -q "0.33 = 0.33 of the base model's compute (both exactly 1/3)" "$T/out"
expect "json: the deciding figures exactly" 1 $CHECK --as-of 2026-06-01 \
	--format json $F/ratios.yaml
assert "json: a fallback line is exactly a third of 10^25" \
	holds eu.gpai.modifier unknown-base-3.332e24 \
	'.value_exact == "3332000000000000000000000" and
	 .threshold_exact == "10000000000000000000000000/3"'
assert "json: a ratio is exact" \
	holds eu.gpai.modifier third-plus-one-flop \
	'.value_exact == "1666666666666666666666667/5000000000000000000000000"
	 and .threshold_exact == "1/3"' 
expect "headroom at the line" 0 $FLOPGATE headroom --as-of 2026-06-01 \
	--rule eu.gpai.systemic-risk $F/sums.yaml
assert "headroom: at a strict line, nothing is past it" \
	grep -q '^  eu.gpai.systemic-risk .*at 1.0 × 10^25 FLOP: 0 FLOP left$' \
	"$T/out"

# ---- no output states a relation that is false as printed ------------------
# Runs at, one unit above and one below each line, in every format: each
# "A < B", "A = B", "A > B" printed must hold between A and B as written.
for f in $F/*.yaml; do
	n=$(basename "$f" .yaml)
	for fmt in text markdown junit sarif json; do
		$CHECK --as-of 2026-06-01 --format $fmt "$f" >"$T/rel.$n.$fmt" \
			2>/dev/null
	done
	$CHECK --as-of 2026-06-01 --explain "$f" >"$T/rel.$n.explain" \
		2>/dev/null
done
python3 tests/cli/relations_check.py "$T"/rel.*
