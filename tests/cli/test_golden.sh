#!/bin/sh
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
