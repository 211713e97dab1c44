#!/bin/sh
# Golden outputs: every example run through `check --no-record` in every
# format, and all of them at once through check, estimate and headroom,
# must print exactly what tests/fixtures/golden/ holds (written by
# tests/fixtures/golden/make.sh, regenerated only on purpose); and so must
# the reports of the version-3 database in tests/fixtures/db/.
. tests/cli/lib.sh

G=tests/fixtures/golden
if ! sh "$G/make.sh" "$FLOPGATE" "$T/out-golden" >"$T/make.err" 2>&1; then
	notok "the golden outputs are generated" "$(head -c 600 "$T/make.err")"
	exit 0
fi
for want in "$G"/*.txt "$G"/*.json "$G"/*.md "$G"/*.xml "$G"/*.sarif \
	"$G"/report-v3/*.md; do
	name=${want#"$G"/}
	got=$T/out-golden/$name
	if [ ! -f "$got" ]; then
		notok "$name is still generated" "missing"
	elif cmp -s "$want" "$got"; then
		ok "$name is unchanged"
	else
		notok "$name is unchanged" "$(diff "$want" "$got" | head -n 12)"
	fi
done
