#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Who and what is in scope, vocabularies, and deadlines from the run's own
# dates (issue 8, part B), through the real binary on run files: exit
# codes, stdout/stderr in every format, and what the database holds.
. tests/cli/lib.sh

CHECK="$FLOPGATE check --no-record"

# doc JQ: a jq test on the JSON in $T/out
doc() { jq -e "$1" "$T/out" >/dev/null 2>&1; }
# finding RULE JQ: a jq test on the first run's finding of RULE
finding() {
	jq -e --arg r "$1" ".runs[0].findings[] | select(.rule == \$r) |
		$2" "$T/out" >/dev/null 2>&1
}

# run_file NAME <<EOF ... writes $T/NAME.yaml
run_file() { cat >"$T/$1.yaml"; }

# --- vocabularies: a typo is refused, never silently matched ------------------
# refused_by_all NAME FILE LINE:COL SUGGESTION: check, estimate and headroom
# all exit 2 with the same located message, nothing on stdout, nothing
# recorded.
refused_by_all() {
	name=$1 file=$2 at=$3 want=$4
	for cmd in "check --db $T/typo.db" estimate headroom; do
		# shellcheck disable=SC2086
		run "$FLOPGATE" $cmd "$file"
		c=${cmd%% *}
		if [ "$RC" -ne 2 ]; then
			notok "$name: $c exits 2" "got $RC" "$(head -c 300 "$T/err")"
			continue
		fi
		if [ -s "$T/out" ]; then
			notok "$name: $c prints nothing on stdout"
			continue
		fi
		if grep -q "^flopgate: $file:$at: .*$want" "$T/err"; then
			ok "$name: $c refuses at $at, $want"
		else
			notok "$name: $c refuses at $at, $want" \
				"$(head -c 400 "$T/err")"
		fi
	done
	assert "$name: nothing recorded" [ ! -e "$T/typo.db" ]
}

run_file generativ <<'EOF'
run:
  id: generativ
  jurisdictions: [EU]
  attributes: {generativ: true, modalities: [text]}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 1e24}]}
EOF
refused_by_all "key generativ" "$T/generativ.yaml" 4:16 \
	'unknown attribute `generativ`; did you mean `generative`?'

run_file maybe <<'EOF'
run:
  id: maybe
  jurisdictions: [EU]
  attributes: {generative: maybe, modalities: [text]}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 1e24}]}
EOF
refused_by_all "boolean maybe" "$T/maybe.yaml" 4:28 \
	'attribute `generative` is true or false, not `maybe`'

for v in Text txt; do
	run_file "modality-$v" <<EOF
run:
  id: modality-$v
  jurisdictions: [EU]
  attributes: {generative: true, modalities: [$v]}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 1e24}]}
EOF
	refused_by_all "modality $v" "$T/modality-$v.yaml" 4:47 \
		"unknown value \`$v\` of attribute \`modalities\`; did you mean \`text\`?"
done

run_file bio-singular <<'EOF'
run:
  id: bio-singular
  jurisdictions: [US]
  attributes: {primary_data_domain: biological_sequence}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e23}]}
EOF
refused_by_all "domain biological_sequence" "$T/bio-singular.yaml" 4:37 \
	'did you mean `biological_sequences`?'

# The team's own metadata under x- is carried, never read, never refused.
run_file own-metadata <<'EOF'
run:
  id: own-metadata
  jurisdictions: [EU]
  attributes: {generative: true, modalities: [text], x-cost-centre: ml-42,
               x-owners: [alice, bob]}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e23}]}
EOF
expect "x- attributes are accepted by check" 0 \
	$CHECK --as-of 2026-06-01 --format json "$T/own-metadata.yaml"
assert "... and carried into the document" \
	doc '.runs[0].attributes["x-cost-centre"] == ["ml-42"]'
assert "... without changing the outcome" \
	finding eu.gpai.indicative '.outcome == "triggered"'
expect "x- attributes are accepted by estimate" 0 \
	"$FLOPGATE" estimate "$T/own-metadata.yaml"

# estimate takes its vocabulary from --rules (default: the shipped rules)
expect "estimate with only Korea's rules refuses what only the EU reads" 2 \
	"$FLOPGATE" estimate --rules rules/kr-ai-basic-act.yaml \
	"$T/own-metadata.yaml"
assert "... naming the rulesets' vocabulary" grep -q \
	'unknown attribute `generative`.*the loaded rulesets read: state_of_the_art, fundamental_rights_risk' \
	"$T/err"
expect "estimate with the EU rules accepts it" 0 \
	"$FLOPGATE" estimate --rules rules/eu-ai-act.yaml "$T/own-metadata.yaml"

# --- jurisdictions both ways ----------------------------------------------------
run_file california <<'EOF'
run:
  id: california
  status: completed
  jurisdictions: [US-CA]
  attributes: {open_weights: false}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "a run placed in US-CA, as of 2024 (EO 14110)" 1 \
	$CHECK --as-of 2024-06-01 --format json "$T/california.yaml"
assert "... is in the federal EO 14110 rule's scope" \
	finding us.eo14110.model '.outcome == "triggered"'
expect "a run placed in US-CA, as of 2025-03-01 (BIS)" 1 \
	$CHECK --as-of 2025-03-01 --format json "$T/california.yaml"
assert "... is in BIS 4E091's scope, the licence due from 2025-05-15" \
	finding us.bis.4e091 '.outcome == "triggered" and
	(.obligations[0] | .due == "2025-05-15" and .overdue == false)'
expect "as of 2025-05-13" 0 \
	$CHECK --as-of 2025-05-13 --format json "$T/california.yaml"
assert "... BIS 4E091 is not applicable: enforcement disclaimed" \
	finding us.bis.4e091 '.outcome == "not_applicable" and
	(.reason | test("not enforced \\(non-enforcement announced\\) since 2025-05-13"))'

run_file greece <<'EOF'
run:
  id: greece
  jurisdictions: [EL]
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e25}]}
EOF
expect "a run placed in EL (Greece, the Union's code)" 1 \
	$CHECK --as-of 2026-06-01 --format json "$T/greece.yaml"
assert "... is in the Union" finding eu.gpai.systemic-risk \
	'.outcome == "triggered"'

# --- a valid code one edit from a covered one is warned about ------------------
run_file canada <<'EOF'
run:
  id: canada
  jurisdictions: [CA]
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
WARN='jurisdiction `CA` (Canada) is covered by no loaded ruleset, but `US-CA` (California) is one edit away'
expect "CA (Canada) beside US-CA: text" 0 $CHECK --as-of 2026-06-01 \
	"$T/canada.yaml"
assert "... text warns" grep -qF "warning: $WARN" "$T/out"
expect "CA: json" 0 $CHECK --as-of 2026-06-01 --format json "$T/canada.yaml"
assert "... json warns" doc '.runs[0].warnings | any(test("^jurisdiction `CA` \\(Canada\\) is covered by no loaded ruleset, but `US-CA` \\(California\\) is one edit away"))'
assert "... and applies nothing" \
	doc '[.runs[0].findings[].outcome] | all(. == "not_applicable")'
expect "CA: markdown" 0 $CHECK --as-of 2026-06-01 --format markdown \
	"$T/canada.yaml"
assert "... markdown warns" grep -qF 'jurisdiction \`CA\` (Canada) is covered by no loaded ruleset, but \`US-CA\` (California)' "$T/out"
expect "CA: junit" 0 $CHECK --as-of 2026-06-01 --format junit "$T/canada.yaml"
assert "... junit warns in system-err" grep -qF "<system-err>warning: $WARN" "$T/out"
expect "CA: sarif" 0 $CHECK --as-of 2026-06-01 --format sarif "$T/canada.yaml"
assert "... sarif warns as a result" doc \
	'.runs[0].results | any(.ruleId == "flopgate.run-warning" and
	 .level == "warning" and (.message.text | test("`CA` \\(Canada\\)")))'
expect "CA: headroom" 0 "$FLOPGATE" headroom --as-of 2026-06-01 \
	"$T/canada.yaml"
assert "... headroom warns" grep -qF "  warning: $WARN" "$T/out"
expect "CA: headroom json" 0 "$FLOPGATE" headroom --as-of 2026-06-01 \
	--format json "$T/canada.yaml"
assert "... headroom json warns" doc '.runs[0].warnings | length == 1'
run_file north-korea <<'EOF'
run:
  id: north-korea
  jurisdictions: [KP]
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "KP one letter from KR" 0 $CHECK --as-of 2026-06-01 --format json \
	"$T/north-korea.yaml"
assert "... warns" doc '.runs[0].warnings | any(test("`KP`.*`KR`"))'
expect "a covered code gets no such warning" 1 $CHECK --as-of 2026-06-01 \
	--format json "$T/california.yaml"
assert "... none" doc '.runs[0].warnings | all(test("one edit") | not)'
run_file israel <<'EOF'
run:
  id: israel
  jurisdictions: [IL]
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "IL (Israel) with Illinois's provisional rules loaded" 0 \
	$CHECK --as-of 2027-06-01 --format json --rules rules/ \
	--rules rules/provisional/il-sb315.yaml "$T/israel.yaml"
assert "... warns of US-IL" doc '.runs[0].warnings | any(test("`US-IL` \\(Illinois\\)"))'
expect "IL without them" 0 $CHECK --as-of 2027-06-01 --format json \
	"$T/israel.yaml"
assert "... does not" doc '.runs[0].warnings | length == 0'

# --- placed nowhere -------------------------------------------------------------
run_file nowhere <<'EOF'
run:
  id: nowhere
  jurisdictions: []
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "jurisdictions: [] passes" 0 $CHECK --as-of 2026-06-01 "$T/nowhere.yaml"
assert "... and the verdict says it is placed nowhere" grep -q \
	'^nowhere: pass — placed nowhere (jurisdictions: \[\]), so no rule applies' \
	"$T/out"
expect "jurisdictions: [] in markdown" 0 $CHECK --as-of 2026-06-01 \
	--format markdown "$T/nowhere.yaml"
assert "... the verdict says it is placed nowhere" grep -q \
	'^\*\*Placed nowhere\*\* (`jurisdictions: \[\]`)' "$T/out"
expect "jurisdictions: [] in json" 0 $CHECK --as-of 2026-06-01 \
	--format json "$T/nowhere.yaml"
assert "... every rule not applicable, with the reason" doc \
	'[.runs[0].findings[] | .outcome == "not_applicable" and
	  (.reason | startswith("run is placed on no market"))] | all'

# --- general-purpose scope -----------------------------------------------------
run_file narrow <<'EOF'
run:
  id: narrow
  jurisdictions: [EU, US-CA]
  attributes: {general_purpose: false}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "general_purpose: false" 0 $CHECK --as-of 2026-06-01 --format json \
	"$T/narrow.yaml"
assert "... the EU systemic-risk rule is not applicable, saying why" \
	finding eu.gpai.systemic-risk '.outcome == "not_applicable" and
	(.reason | test("not a general-purpose AI model"))'
assert "... SB 53 too" finding us-ca.sb53.frontier-model \
	'.outcome == "not_applicable" and (.reason | test("not a foundation model"))'
sed 's/  attributes: {general_purpose: false}//' "$T/narrow.yaml" \
	>"$T/undeclared.yaml"
expect "general_purpose not given" 1 $CHECK --as-of 2026-06-01 \
	--format json "$T/undeclared.yaml"
assert "... is presumed, and the finding says so" \
	finding us-ca.sb53.frontier-model '.outcome == "triggered" and
	.presumed == ["general_purpose"] and
	(.reason | test("presumed: general_purpose"))'

# --- downstream modifiers vs the original provider ------------------------------
run_file own-model <<'EOF'
run:
  id: own-model
  status: completed
  jurisdictions: [EU]
  dates: {end: 2026-03-01}
  base_model: {id: our-base, training_compute_flop: 9e24, same_provider: true}
  phases:
    - {name: ft, kind: fine_tuning, estimates: [{method: declared, flop: 2e24}]}
EOF
expect "the provider's own model, continued" 1 $CHECK --as-of 2026-06-01 \
	--format json "$T/own-model.yaml"
assert "... counts the base model's compute cumulatively" \
	finding eu.gpai.systemic-risk '.outcome == "triggered" and
	.value == 1.1e25 and (.reason | test("includes the base model"))'
assert "... and is no downstream modification" \
	finding eu.gpai.modifier '.outcome == "not_applicable" and
	(.reason | test("same_provider: true"))'
assert "... the run file's flag is in the document" \
	doc '.runs[0].base_model.same_provider == true'

run_file modifier <<'EOF'
run:
  id: modifier
  status: planned
  jurisdictions: [EU]
  organization: {established_in: CH}
  dates: {placed_on_market: 2027-03-01}
  base_model: {id: their-base, training_compute_flop: 3e24, systemic_risk: false}
  phases:
    - {name: ft, kind: fine_tuning, estimates: [{method: declared, flop: 2e24}]}
EOF
expect "a modifier of a model without systemic risk" 1 \
	$CHECK --as-of 2026-06-01 --format json "$T/modifier.yaml"
assert "... is a provider (over a third)" finding eu.gpai.modifier \
	'.outcome == "triggered"'
assert "... owes no notification, and says why" finding eu.gpai.modifier \
	'.obligations[] | select(.id == "eu.modifier-notify-commission") |
	 .owed == false and .due == null and
	 .owed_reason == "the original model has systemic risk (base_model.systemic_risk)"'
assert "... appoints a representative, being established in CH" \
	finding eu.gpai.modifier '.obligations[] |
	select(.id == "eu.modifier-authorised-representative") |
	.owed == true and .due == "2027-03-01"'
assert "... and is not judged by the systemic-risk line" \
	finding eu.gpai.systemic-risk '.outcome == "not_applicable"'
expect "the modifier in text" 1 $CHECK --as-of 2026-06-01 "$T/modifier.yaml"
assert "... text says the notification is not owed" grep -q \
	'Notify the European Commission, with the modification.*: not owed (only when the original model has systemic risk' \
	"$T/out"
expect "the modifier in markdown" 1 $CHECK --as-of 2026-06-01 \
	--format markdown "$T/modifier.yaml"
assert "... markdown says the notification is not owed" grep -q \
	'`eu.modifier-notify-commission` .* | not owed: only when the original model has systemic risk' \
	"$T/out"
sed 's/systemic_risk: false/systemic_risk: true/' "$T/modifier.yaml" \
	>"$T/modifier-sr.yaml"
expect "a modifier of a model with systemic risk" 1 \
	$CHECK --as-of 2026-06-01 --format json "$T/modifier-sr.yaml"
assert "... notifies within two weeks" finding eu.gpai.modifier \
	'.obligations[] | select(.id == "eu.modifier-notify-commission") |
	 .owed == true and .due == "2026-06-15"'

# --- deadlines from the run's own dates; overdue in every format -----------------
RUNNING=examples/runs/running-crossing.yaml
expect "a running run whose plan crosses the EU line" 1 \
	$CHECK --as-of 2026-11-30 --format json $RUNNING
assert "... knew it when training started" finding eu.gpai.systemic-risk \
	'.known_since == "2026-10-05" and .known_basis == "start"'
assert "... so the notification was due 2026-10-19 and is overdue" \
	finding eu.gpai.systemic-risk '.obligations[] |
	select(.id == "eu.notify-commission") |
	.due == "2026-10-19" and .overdue == true'
expect "overdue in text" 1 $CHECK --as-of 2026-11-30 $RUNNING
assert "... text marks it" grep -q \
	'Notify the European Commission.*: due 2026-10-19 OVERDUE$' "$T/out"
expect "overdue in markdown" 1 $CHECK --as-of 2026-11-30 --format markdown \
	$RUNNING
assert "... markdown marks it" grep -q \
	'| 2026-10-19 — \*\*overdue\*\* (14 days after the line was met or became known) |' \
	"$T/out"
expect "overdue in junit" 1 $CHECK --as-of 2026-11-30 --format junit $RUNNING
assert "... junit marks it" grep -q 'by 2026-10-19 (OVERDUE)' "$T/out"
expect "overdue in sarif" 1 $CHECK --as-of 2026-11-30 --format sarif $RUNNING
assert "... sarif marks it in the message and properties" doc \
	'.runs[0].results[] | select(.ruleId == "eu.gpai.systemic-risk") |
	 (.message.text | test("by 2026-10-19 \\(OVERDUE\\)")) and
	 (.properties.obligations[] | select(.id == "eu.notify-commission") |
	  .overdue == true)'

run_file sb53-before <<'EOF'
run:
  id: sb53-before
  status: completed
  jurisdictions: [US-CA]
  dates: {end: 2025-09-30, placed_on_market: 2025-11-15}
  organization: {annual_revenue_usd: 2e9}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 2e26}]}
EOF
expect "an SB 53 frontier model deployed before 2026-01-01" 1 \
	$CHECK --as-of 2026-06-01 --format json "$T/sb53-before.yaml"
assert "... is given no transparency report date" \
	finding us-ca.sb53.frontier-model '.obligations[] |
	select(.id == "us-ca.transparency-report") |
	.owed == false and .due == null'
assert "... while the framework is due from 2026-01-01, overdue" \
	finding us-ca.sb53.large-frontier-developer '.obligations[] |
	select(.id == "us-ca.frontier-ai-framework") |
	.due == "2026-01-01" and .overdue == true'

# --- recorded: the database keeps what was shown ---------------------------------
DB=$T/scope.db
expect "a recorded check of the modifier" 1 "$FLOPGATE" check --db "$DB" \
	--as-of 2026-06-01 --format json "$T/modifier.yaml"
assert "the database's first due date skips the obligation not owed" \
	[ "$(sqlite3 "$DB" "SELECT first_due FROM findings WHERE rule =
		'eu.gpai.modifier'")" = 2027-03-01 ]
assert "the recorded document says it is not owed" \
	[ "$(stored_document "$DB" "run_id = 'modifier'" |
		grep -c '"owed":false')" = 1 ]
expect "the recorded database verifies" 0 "$FLOPGATE" audit verify --db "$DB"
