#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Golden outputs: every example run through `check --no-record` in every
# format, and all of them at once through check, estimate and headroom,
# must print exactly what tests/fixtures/golden/ holds (written by
# tests/fixtures/golden/make.sh, regenerated only on purpose); and so must
# the reports of the version-3 database in tests/fixtures/db/.
#
# The JSON of `check` is leaner than its goldens on purpose (issue 9): a
# rule's static facts are given once, under rulesets[].rules[], not in
# every finding.  It is compared after joining them back into each finding
# (tests/cli/join-facts.jq), keys sorted: everything else must be equal.
. tests/cli/lib.sh

G=tests/fixtures/golden
if ! sh "$G/make.sh" "$FLOPGATE" "$T/out-golden" >"$T/make.err" 2>&1; then
	notok "the golden outputs are generated" "$(head -c 600 "$T/make.err")"
	exit 0
fi
for want in "$G"/*.txt "$G"/*.json "$G"/*.md "$G"/*.xml "$G"/*.sarif \
	"$G"/report-v3/*.md "$G"/report-v3/*.svg; do
	name=${want#"$G"/}
	got=$T/out-golden/$name
	if [ ! -f "$got" ]; then
		notok "$name is still generated" "missing"
	elif cmp -s "$want" "$got"; then
		ok "$name is unchanged"
	elif jq -e '.rulesets[0].rules' "$got" >/dev/null 2>&1 &&
		jq -S . "$want" >"$T/want.json" &&
		jq -S -f tests/cli/join-facts.jq "$got" >"$T/got.json" &&
		cmp -s "$T/want.json" "$T/got.json"; then
		ok "$name is unchanged once each finding is joined to its rule's facts"
	elif [ -f "$T/got.json" ]; then
		notok "$name is unchanged" \
			"$(diff "$T/want.json" "$T/got.json" | head -n 12)"
	else
		notok "$name is unchanged" "$(diff "$want" "$got" | head -n 12)"
	fi
	rm -f "$T/want.json" "$T/got.json"
done

# ---- the printed relation: a run below every line, one near, one above -----
# Each golden states the relation that holds between the figure and the
# line, names the figure (the central estimate, or the end of the range
# that made it near) and says where it stands from the line, with units.
assert "below: the closest line, the relation and the headroom" \
	grep -qxF '      1.0 × 10^22 FLOP < 1.0 × 10^23 FLOP (training_compute_flop, the central estimate); 9.0 × 10^22 FLOP below the line (room for 1.2 × 10^13 training tokens more at the run'"'"'s FLOP per token)' \
	"$G/small-chat-eu.txt"
assert "near: the central estimate below the line" \
	grep -qxF '      5.9 × 10^24 FLOP < 1.0 × 10^25 FLOP (training_compute_flop, the central estimate); 4.1 × 10^24 FLOP below the line (room for 9.8 × 10^12 training tokens more at the run'"'"'s FLOP per token)' \
	"$G/near-eu-line.txt"
assert "near: the high end of the range that made it near" \
	grep -qxF '      training_compute_flop 1.2 × 10^25 FLOP > 1.0 × 10^25 FLOP at the high end of the range; on the central estimate 5.9 × 10^24 FLOP < 1.0 × 10^25 FLOP' \
	"$G/near-eu-line.txt"
assert "above: the relation and how far past the line" \
	grep -qxF '      2.4 × 10^25 FLOP > 1.0 × 10^25 FLOP (training_compute_flop, the central estimate); 1.4 × 10^25 FLOP above the line (1.2 × 10^13 training tokens more than the line allows at the run'"'"'s FLOP per token)' \
	"$G/frontier-eu.txt"
# and in every golden, every relation printed holds as printed
python3 tests/cli/relations_check.py "$G"/*.txt "$G"/*.md "$G"/*.xml \
	"$G"/*.sarif "$G"/*.json "$G"/report-v3/*.md "$G"/report-v3/*.svg

# ---- a recording prints what a check without one prints --------------------
# Recorded runs are printed from their stored compact text, not written
# again: the output must not tell.
FLOPGATE_RULES=rules "$FLOPGATE" check --no-record --format json \
	--as-of 2026-11-30 examples/runs/*.yaml >"$T/plain.json"
FLOPGATE_RULES=rules "$FLOPGATE" check --db "$T/rec.db" --format json \
	--as-of 2026-11-30 examples/runs/*.yaml >"$T/rec.json"
sed 's/^  "evaluation_id": 1,$/  "evaluation_id": null,/' "$T/rec.json" \
	>"$T/rec-as-plain.json"
assert "a recording prints the JSON a check without one prints" \
	cmp -s "$T/plain.json" "$T/rec-as-plain.json"
assert "and it printed something" [ -s "$T/plain.json" ]
# Each run is one line of compact JSON, the head and the gate indented.
runs=$(jq '.runs | length' "$T/plain.json")
assert "the JSON document has a line a run ($runs)" \
	[ "$(grep -c '^    {"id":' "$T/plain.json")" -eq "$runs" ]
grep '^    {"id":' "$T/plain.json" | sed 's/,$//' >"$T/run-lines"
assert "each run's line is the run, whole" \
	[ "$(jq -s 'length' "$T/run-lines")" -eq "$runs" -a \
	  "$(jq -c -s '.' "$T/run-lines")" = "$(jq -c '.runs' "$T/plain.json")" ]
assert "the head and the gate are indented" \
	grep -qx '  "gate": {' "$T/plain.json"
