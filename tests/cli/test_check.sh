#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate check and headroom on the runs in tests/fixtures/check/: exit
# codes, the gate, as-of dates, jurisdictions, modifications, waivers and
# the JSON document (checked with jq).
. tests/cli/lib.sh

F=tests/fixtures/check
W=tests/fixtures/waivers
CHECK="$FLOPGATE check --no-record"

# finding RULE [RUN]: the finding object from $T/out (a JSON document)
finding() {
	jq -e --arg r "$1" --arg run "${2:-}" \
		'[.runs[] | select($run == "" or .id == $run) | .findings[]
		  | select(.rule == $r)][0]' "$T/out"
}
# outcome RULE [RUN]
outcome() { finding "$@" | jq -r .outcome; }
# holds RULE RUN FILTER: FILTER is true of that finding (RUN "" = any run)
holds() { finding "$1" "$2" | jq -e "$3" >/dev/null; }
# facts RULE FILTER: FILTER is true of the rule's static facts, which the
# document gives once, under rulesets[].rules[]
facts() {
	jq -e --arg r "$1" '[.rulesets[].rules[] | select(.id == $r)][0] |
		'"$2" "$T/out" >/dev/null
}
# doc FILTER: FILTER is true of the document in $T/out
doc() { jq -e "$1" "$T/out" >/dev/null; }

expect "a small model passes" 0 $CHECK --as-of 2026-06-01 $F/small.yaml
assert "the verdict line says pass" grep -q '^small-eu: pass' "$T/out"

expect "above a blocking line fails the gate" 1 \
	$CHECK --as-of 2026-06-01 $F/big-eu.yaml
assert "text names the triggered rule" \
	grep -q '^  triggered *eu.gpai.systemic-risk .*FAILS GATE' "$T/out"
assert "text gives figures with two significant figures" \
	grep -q '3.8 × 10^25 FLOP > 1.0 × 10^25 FLOP (training_compute_flop, the central estimate)' "$T/out"
assert "text gives the notification due date" \
	grep -q 'Notify the European Commission.*due 2026-02-15' "$T/out"

expect "bad run input exits 2" 2 $CHECK --as-of 2026-06-01 $F/bad-run.yaml
assert "bad input prints nothing on stdout" [ ! -s "$T/out" ]
assert "bad input names FILE:LINE:COL" \
	grep -q "^flopgate: $F/bad-run.yaml:9:30: " "$T/err"
expect "a good and a bad file together exit 2" 2 \
	$CHECK --as-of 2026-06-01 $F/small.yaml $F/bad-run.yaml
assert "... with nothing on stdout" [ ! -s "$T/out" ]
expect "a bad ruleset exits 2" 2 $CHECK --rules \
	tests/fixtures/rules/bad/unknown-metric.yaml $F/small.yaml
assert "... naming the ruleset's FILE:LINE:COL" grep -q \
	'^flopgate: tests/fixtures/rules/bad/unknown-metric.yaml:14:20: unknown metric' "$T/err"
assert "... with nothing on stdout" [ ! -s "$T/out" ]
expect "a missing run file exits 2" 2 $CHECK no/such/run.yaml
expect "no run file is a usage error" 2 $CHECK
expect "an unknown option is a usage error" 2 $CHECK --frobnicate $F/small.yaml
expect "a bad --as-of is a usage error" 2 $CHECK --as-of 2026-13-01 $F/small.yaml
expect "a bad --fail-on is a usage error" 2 $CHECK --fail-on sometimes $F/small.yaml
expect "a bad --format is a usage error" 2 $CHECK --format yaml $F/small.yaml

# --- exactly at the line, and --fail-on -----------------------------------
expect "exactly 1e25 is near, and near passes by default" 0 \
	$CHECK --as-of 2026-06-01 --format json $F/at-line-eu.yaml
assert "exactly at 10^25 is not presumed systemic risk" \
	[ "$(outcome eu.gpai.systemic-risk)" = near ]
assert "its headroom is zero" \
	[ "$(finding eu.gpai.systemic-risk | jq .headroom)" = 0 ]
expect "--fail-on near fails on a near finding" 1 \
	$CHECK --as-of 2026-06-01 --fail-on near --format json $F/at-line-eu.yaml
assert "the gate records fail_on near" \
	doc '.gate.fail_on == "near" and .gate.passed == false and .gate.failures == 1'
expect "--fail-on never passes above a line" 0 \
	$CHECK --as-of 2026-06-01 --fail-on never $F/big-eu.yaml

# --- the JSON document -----------------------------------------------------
expect "json document for a failing run" 1 \
	$CHECK --as-of 2026-06-01 --format json --actor alice $F/big-eu.yaml
assert "document carries version, as_of, actor and a null evaluation_id" \
	doc '.flopgate == "0.1.0" and .as_of == "2026-06-01" and
	       .actor == "alice" and .evaluation_id == null'
assert "every shipped ruleset is listed with a sha256" \
	doc '(.rulesets | length) == 6 and
	       all(.rulesets[]; .sha256 | test("^[0-9a-f]{64}$"))'
assert "the ruleset hash is the file's SHA-256" [ \
	"$(jq -r '.rulesets[] | select(.id == "eu-ai-act") | .sha256' "$T/out")" = \
	"$(sha256sum rules/eu-ai-act.yaml | cut -d' ' -f1)" ]
assert "the run carries its file, line and input hash" \
	doc ".runs[0].file == \"$F/big-eu.yaml\" and .runs[0].line == 2 and
	       (.runs[0].input_sha256 | test(\"^[0-9a-f]{64}\$\"))"
assert "one finding per rule" doc '(.runs[0].findings | length) == 12'
# Issue 9: a rule's static facts once, under rulesets[].rules[]; findings
# carry what is the run's and name their rule and obligations by id
assert "every rule's static facts are given once, under its ruleset" \
	doc '([.rulesets[].rules[]] | length) == 12 and
	     ([.rulesets[].rules[].id] | unique | length) == 12 and
	     all(.rulesets[].rules[]; has("title") and has("citation") and
	         has("severity") and has("effective_from") and
	         has("obligations"))'
assert "the obligations' texts are the rule's" \
	facts eu.gpai.systemic-risk '[.obligations[] | select(.id ==
	"eu.notify-commission")][0] | (.text |
	startswith("Notify the European Commission")) and .days == 14'
assert "a finding carries none of its rule's static facts" \
	doc 'all(.runs[].findings[]; (has("title") or has("citation") or
	     has("severity") or has("ruleset") or has("near") or
	     has("effective_from")) | not)'
assert "an obligation of a finding carries no text" \
	doc 'all(.runs[].findings[].obligations[]; has("text") | not)'
# A finding spells out only what says something: the members DESIGN.md
# shows always, the rest when not null (schema/result.schema.json)
assert "every finding has the members DESIGN.md shows, null or not" \
	doc 'all(.runs[].findings[]; has("rule") and has("outcome") and
	     has("metric") and has("op") and has("threshold") and
	     has("value") and has("headroom") and has("obligations") and
	     has("gate_fails"))'
assert "a finding that compares nothing leaves out what it would null" \
	doc '[.runs[].findings[] | select(.outcome == "not_applicable")] |
	     length > 0 and all(.[]; .value == null and .headroom == null and
	     (has("relation") or has("low") or has("high") or
	      has("value_exact") or has("decided_by") or has("waiver") or
	      has("known_since") or has("transition")) == false)'
assert "a compared finding gives its relation, range and exact figures" \
	holds eu.gpai.systemic-risk "" '.relation == ">" and .low != null and
	.high != null and (.value_exact | type) == "string" and
	(.threshold_exact | type) == "string"'
# a finding's condition i is the run's against leaf i of its rule, which
# gives the line once (rulesets[].rules[].conditions)
assert "the rule gives each leaf's line once, exactly" \
	facts eu.gpai.systemic-risk '.conditions == [{"metric":
	"training_compute_flop", "op": ">", "threshold": 1e25, "unit": "FLOP",
	"threshold_exact": "10000000000000000000000000"}]'
assert "a finding's condition gives the run's figure, not the line" \
	holds eu.gpai.systemic-risk "" '(.conditions | length) == 1 and
	(.conditions[0] | .holds == true and .relation == ">" and
	 (.value_exact | type) == "string" and
	 (has("metric") or has("op") or has("threshold") or has("unit") or
	  has("threshold_exact")) == false)'
assert "a condition with no figure leaves its figure out" \
	doc '([.rulesets[].rules[] | {(.id): .conditions}] | add) as $r |
	     [.runs[].findings[] | .rule as $id | (.conditions // []) |
	      to_entries[] | select($r[$id][.key].attribute != null and
	      .value.holds == null) | .value] |
	     length > 0 and all(.[]; has("value") == false)'
assert "the deciding comparison, exact" \
	holds eu.gpai.systemic-risk "" '.outcome == "triggered" and
	.metric == "training_compute_flop" and .op == ">" and
	.threshold == 1e25 and .value == 3.8e25 and .headroom == -2.8e25 and
	.gate_fails == true'
assert "deadline counts from dates.threshold_known" \
	holds eu.gpai.systemic-risk "" '.known_since == "2026-02-01" and
	.known_basis == "declared" and
	(.obligations[] | select(.id == "eu.notify-commission") | .due) == "2026-02-15"'
assert "a market-placement duty falls due on placement" \
	holds eu.gpai.systemic-risk "" \
	'(.obligations[] | select(.id == "eu.model-evaluation") | .due) == "2026-05-01"'
assert "the gate object" \
	doc '.gate == {"fail_on": "triggered", "passed": false, "failures": 1}'
assert "not_applicable findings say why" \
	[ "$(finding us-ny.raise.frontier-model | jq -r .reason)" = "run not placed in US-NY; not in force until 2027-01-01" ]

# --- as-of flips EO 14110 ---------------------------------------------------
expect "EO 14110 in force on 2024-06-01" 1 \
	$CHECK --as-of 2024-06-01 --format json $F/us-frontier.yaml
assert "us.eo14110.model triggered in 2024" \
	[ "$(outcome us.eo14110.model)" = triggered ]
assert "the cluster rule cannot be told without hardware" \
	[ "$(outcome us.eo14110.cluster)" = indeterminate ]
assert "SB 53 not yet in force in 2024" \
	[ "$(outcome us-ca.sb53.frontier-model)" = not_applicable ]
expect "EO 14110 revoked by 2026-06-01" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/us-frontier.yaml
assert "us.eo14110.model not_applicable in 2026" \
	[ "$(outcome us.eo14110.model)" = not_applicable ]
assert "... because it was revoked" \
	[ "$(finding us.eo14110.model | jq -r .reason)" = "revoked 2025-01-20" ]

# --- US covers every US-XX rule ----------------------------------------------
assert "a US run is caught by us-ca.sb53.frontier-model" \
	[ "$(outcome us-ca.sb53.frontier-model)" = triggered ]
assert "... and us-ca.sb53.large-frontier-developer" \
	[ "$(outcome us-ca.sb53.large-frontier-developer)" = triggered ]
assert "RL counts toward the SB 53 total" \
	holds us-ca.sb53.frontier-model "" '.value == 2e26'
assert "two blocking findings fail the gate" doc '.gate.failures == 2'
expect "RAISE applies from 2027" 1 \
	$CHECK --as-of 2027-01-01 --format json $F/us-frontier.yaml
assert "us-ny.raise.frontier-model triggered in 2027" \
	[ "$(outcome us-ny.raise.frontier-model)" = triggered ]

# --- modifications ------------------------------------------------------------
expect "modification above a third fails" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/modification.yaml
assert "above one third is triggered" \
	[ "$(outcome eu.gpai.modifier mod-above-third)" = triggered ]
assert "its value is the fraction" \
	holds eu.gpai.modifier mod-above-third \
	'.metric == "modification_fraction" and (.value - 0.4 | fabs) < 1e-12'
assert "below one third is clear" \
	[ "$(outcome eu.gpai.modifier mod-below-third)" = clear ]
expect "unknown base compute uses the fallback line" 1 \
	$CHECK --as-of 2026-06-01 --format json $F/unknown-base.yaml
assert "above the 10^25/3 fallback is triggered" \
	holds eu.gpai.modifier unknown-base-above \
	'.outcome == "triggered" and .metric == "modification_compute_flop" and
	 .threshold == 3.3333333333333335e24 and (.conditions[0] |
	 .fallback == true and .metric == "modification_compute_flop" and
	 .threshold_exact == "10000000000000000000000000/3")'
assert "below the 10^25/3 fallback is clear" \
	[ "$(outcome eu.gpai.modifier unknown-base-below)" = clear ]

# --- waivers ------------------------------------------------------------------
expect "a valid waiver passes the gate" 0 $CHECK --as-of 2026-06-01 \
	--format json --waivers $W/valid.yaml $F/big-eu.yaml
assert "the finding is waived and carries the waiver" \
	holds eu.gpai.systemic-risk "" '.outcome == "waived" and
	.gate_fails == false and .waiver.approved_by == "J. Doe, Chief Compliance Officer" and
	.waiver.expires == "2026-12-31" and .waiver.expired == false'
expect "an expired waiver covers nothing" 1 $CHECK --as-of 2026-06-01 \
	--format json --waivers $W/expired.yaml $F/big-eu.yaml
assert "the finding stays triggered and reports the expired waiver" \
	holds eu.gpai.systemic-risk "" '.outcome == "triggered" and
	.waiver.expired == true'
assert "the expiry is a warning of the run" \
	doc '.runs[0].warnings | any(test("expired on 2026-03-31"))'
expect "the expired waiver in text" 1 $CHECK --as-of 2026-06-01 \
	--waivers $W/expired.yaml $F/big-eu.yaml
assert "text shows the warning" grep -q 'warning: waiver for eu.gpai.systemic-risk on big-eu' "$T/out"
expect "a malformed waiver exits 2" 2 $CHECK --as-of 2026-06-01 \
	--waivers $W/missing-approver.yaml $F/big-eu.yaml
assert "... naming the waiver's FILE:LINE:COL" \
	grep -q "^flopgate: $W/missing-approver.yaml:2:5: .*approved_by" "$T/err"
assert "... with nothing on stdout" [ ! -s "$T/out" ]
expect "a waiver naming no loaded rule exits 2" 2 $CHECK --as-of 2026-06-01 \
	--waivers $W/unknown-rule.yaml $F/big-eu.yaml
assert "... at its FILE:LINE:COL, suggesting the rule meant" \
	grep -q "^flopgate: $W/unknown-rule.yaml:4:5: .*did you mean \`eu.gpai.systemic-risk\`" "$T/err"
assert "... with nothing on stdout" [ ! -s "$T/out" ]

# --- AI Act Art. 111(3): models already on the market ---------------------------
# Llama 3.1 405B was placed on the market on 2024-07-23, before Chapter V
# applied: every dated GPAI obligation is due 2027-08-02, none overdue as
# of 2026-11-30.
LLAMA=examples/runs/llama-3.1-405b.yaml
expect "a model placed before 2025-08-02 (json)" 1 \
	$CHECK --as-of 2026-11-30 --format json $LLAMA
assert "every dated systemic-risk obligation is due 2027-08-02" \
	holds eu.gpai.systemic-risk "" '[.obligations[] | select(.due != null)
	| .due] | (length == 5) and all(. == "2027-08-02")'
assert "... and each says the transition set it" \
	holds eu.gpai.systemic-risk "" '[.obligations[] | select(.due != null)
	| .transition] | all(. == true)'
assert "undated duties stay undated, with no transition" \
	holds eu.gpai.systemic-risk "" '.obligations[] |
	select(.id == "eu.serious-incidents") | .due == null and
	.transition == false'
assert "the finding says the rule's transition covers the run" \
	holds eu.gpai.systemic-risk "" '.transition == true'
assert "the rule's facts name the transition, once for every run" \
	facts eu.gpai.systemic-risk '.transition == {"citation":
	"Art. 111(3)", "placed_before": "2025-08-02", "comply_by":
	"2027-08-02"}'
assert "and the placement date is the run's" \
	doc '.runs[0].dates.placed_on_market == "2024-07-23"'
assert "the indicative GPAI duties too" \
	holds eu.gpai.indicative "" '([.obligations[].due] |
	all(. == "2027-08-02")) and .transition == true'
assert "a completed model had met its line by the day it was placed" \
	holds eu.gpai.systemic-risk "" '.known_since == "2024-07-23" and
	.known_basis == "placed_on_market"'
assert "nothing is overdue before 2027-08-02" \
	holds eu.gpai.systemic-risk "" 'all(.obligations[]; .overdue == false)'
expect "a model placed before 2025-08-02 (text)" 1 \
	$CHECK --as-of 2026-11-30 $LLAMA
assert "text says why the deadline is 2027-08-02" grep -q \
	'placed on the market 2024-07-23, before 2025-08-02: dated obligations due no earlier than 2027-08-02 (Art. 111(3))' \
	"$T/out"
assert "text marks each deadline the transition set" grep -q \
	'Notify the European Commission.*: due 2027-08-02 (transition, Art. 111(3))' \
	"$T/out"
assert "text no longer reports the 2025-08-02 deadline" \
	sh -c "! grep -q 'due 2025-08-02' '$T/out'"

# placed on 2025-08-02 itself: not "before", the ordinary dates apply
sed 's/placed_on_market: 2024-07-23/placed_on_market: 2025-08-02/' $LLAMA \
	>"$T/llama-on-the-day.yaml"
expect "a model placed on 2025-08-02 itself" 1 \
	$CHECK --as-of 2026-11-30 --format json "$T/llama-on-the-day.yaml"
assert "... gets no transition" \
	holds eu.gpai.systemic-risk "" '(.transition // false) == false and
	has("transition") == false and
	all(.obligations[]; .transition == false)'
assert "... and owes the notification two weeks after Chapter V applied, overdue" \
	holds eu.gpai.systemic-risk "" '(.obligations[] |
	select(.id == "eu.notify-commission") | [.due, .overdue]) ==
	["2025-08-16", true]'
assert "... and the Art. 55 duties from 2025-08-02" \
	holds eu.gpai.systemic-risk "" '(.obligations[] |
	select(.id == "eu.model-evaluation") | .due) == "2025-08-02"'

# checked after the transition ended, its duties are overdue since
# 2027-08-02 — never re-dated to two weeks after the check
expect "a model placed before 2025-08-02, checked after 2027-08-02" 1 \
	$CHECK --as-of 2027-09-01 --format json $LLAMA
assert "the notification is overdue since 2027-08-02" \
	holds eu.gpai.systemic-risk "" '.obligations[] |
	select(.id == "eu.notify-commission") | .due == "2027-08-02" and
	.overdue == true and .transition == true'

# --- running runs: crossed lines and projected ones ----------------------------
RUNNING=examples/runs/running-crossing.yaml
expect "a running run (json)" 1 \
	$CHECK --as-of 2026-11-30 --format json $RUNNING
assert "a line progress crossed in the past is crossed_on, not projected" \
	holds eu.gpai.indicative "" '.crossed_on == "2026-10-06" and
	.projected_crossing == null'
assert "a line ahead is projected, not crossed" \
	holds eu.gpai.systemic-risk "" '.crossed_on == null and
	.projected_crossing == "2026-12-29"'
expect "a running run (text)" 1 $CHECK --as-of 2026-11-30 $RUNNING
assert "text says the past crossing happened" \
	grep -q '^      crossed on 2026-10-06 (from measured progress)$' "$T/out"
assert "text projects the future one" \
	grep -q '^      projected crossing: 2026-12-29$' "$T/out"
assert "no projection lies in the past" \
	sh -c "! grep -q 'projected crossing: 2026-10-06' '$T/out'"
expect "headroom of a running run (json)" 0 \
	$FLOPGATE headroom --as-of 2026-11-30 --format json $RUNNING
assert "headroom says the same: crossed in the past, projected ahead" doc \
	'[.runs[0].headroom[] | select(.rule == "eu.gpai.indicative" or
	  .rule == "eu.gpai.systemic-risk") | [.rule, .crossed_on,
	  .projected_crossing]] == [["eu.gpai.systemic-risk", null,
	  "2026-12-29"], ["eu.gpai.indicative", "2026-10-06", null]]'
expect "headroom of a running run (text)" 0 \
	$FLOPGATE headroom --as-of 2026-11-30 $RUNNING
assert "headroom text says the line was crossed" \
	grep -q '^  eu.gpai.indicative .*; crossed it on 2026-10-06$' "$T/out"

# --- explain, other formats, help -------------------------------------------
expect "--explain shows every rule's comparison" 0 \
	$CHECK --as-of 2026-06-01 --explain $F/small.yaml
assert "--explain lists clear and not_applicable rules" \
	grep -q '^  not_applicable us-ny.raise.frontier-model' "$T/out"
assert "--explain shows the figures of a leaf" grep -q \
	'training_compute_flop 5.0 × 10^22 FLOP < 1.0 × 10^25 FLOP on the central estimate (the rule needs >): does not hold, 1.0 × 10^25 FLOP below the line' "$T/out"
expect "--format sarif" 1 $CHECK --as-of 2026-06-01 --format sarif $F/big-eu.yaml
assert "sarif locates the finding in the run file" doc \
	".runs[0].results[] | select(.ruleId == \"eu.gpai.systemic-risk\") |
	 .locations[0].physicalLocation.artifactLocation.uri == \"$F/big-eu.yaml\""
expect "--format junit" 1 $CHECK --as-of 2026-06-01 --format junit $F/big-eu.yaml
assert "junit has a failure" grep -q '<failure' "$T/out"
expect "--format markdown" 1 $CHECK --as-of 2026-06-01 --format markdown $F/big-eu.yaml
assert "markdown names the rule" grep -q 'eu.gpai.systemic-risk' "$T/out"
expect "check --help" 0 $FLOPGATE check --help
assert "help lists --fail-on" grep -q -- '--fail-on O' "$T/out"

# --- headroom -------------------------------------------------------------------
expect "headroom on a small model" 0 \
	$FLOPGATE headroom --as-of 2026-06-01 $F/small.yaml
assert "headroom shows FLOP left before the EU line" grep -q \
	'eu.gpai.systemic-risk .*> 1.0 × 10^25 FLOP, at 5.0 × 10^22 FLOP: 1.0 × 10^25 FLOP left' "$T/out"
expect "headroom past the line" 0 \
	$FLOPGATE headroom --as-of 2026-06-01 --rule eu.gpai.systemic-risk $F/big-eu.yaml
assert "headroom says how far past" grep -q 'past the line by 2.8 × 10^25 FLOP' "$T/out"
expect "headroom json" 0 $FLOPGATE headroom --as-of 2026-06-01 \
	--format json examples/runs/llama-3.1-405b.yaml
assert "headroom json gives FLOP and tokens" doc \
	'.runs[0].headroom[] | select(.rule == "eu.gpai.systemic-risk") |
	 .headroom == -2.8e25 and .headroom_tokens < 0'
assert "headroom leaves out rules not in force" doc \
	'[.runs[0].headroom[].rule] | index("us.eo14110.model") == null'
expect "headroom with an unknown rule" 2 \
	$FLOPGATE headroom --rule no.such.rule $F/small.yaml
expect "headroom --help" 0 $FLOPGATE headroom --help
