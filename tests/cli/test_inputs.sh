#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 11, items 9, 10, 12, 13: inputs that hang, go nowhere, or mean
# something other than what they say are refused, with their location.
. tests/cli/lib.sh

RUN=tests/fixtures/check/big-eu.yaml

# --- item 9: a FIFO is refused without blocking -----------------------------------
mkfifo "$T/fifo.yaml"
# A build that opened the FIFO for reading would wait for a writer
# forever: this one keeps opening it, so such a build fails the asserts
# below instead of hanging the suite.  (This build never waits on it.)
( while [ -p "$T/fifo.yaml" ]; do : >"$T/fifo.yaml"; done ) 2>/dev/null &
freer=$!
expect "a FIFO as a run file exits 2" 2 "$FLOPGATE" check --no-record \
	"$T/fifo.yaml"
assert "it says it is a FIFO" grep -q "fifo.yaml: is a FIFO, not a YAML \
file" "$T/err"
expect "a FIFO as a ruleset exits 2" 2 "$FLOPGATE" rules lint "$T/fifo.yaml"
expect "a FIFO as a waiver file exits 2" 2 "$FLOPGATE" check --no-record \
	--waivers "$T/fifo.yaml" "$RUN"
expect "a FIFO as a checkpoint exits 2" 2 "$FLOPGATE" audit verify \
	--db "$T/none.db" --checkpoint "$T/fifo.yaml"
expect "a character device as a run file exits 2" 2 "$FLOPGATE" check \
	--no-record /dev/null
assert "it says it is a special file" grep -q "special file" "$T/err"
kill "$freer" 2>/dev/null
wait "$freer" 2>/dev/null

# --- item 10: databases that keep nothing ---------------------------------------
for db in "" ":memory:"; do
	expect "check --db '$db' exits 2" 2 "$FLOPGATE" check --db "$db" "$RUN"
	assert "nothing on stdout for '$db'" [ ! -s "$T/out" ]
	expect "check --no-record --db '$db' exits 2" 2 "$FLOPGATE" check \
		--no-record --db "$db" "$RUN"
	expect "audit verify --db '$db' exits 2" 2 "$FLOPGATE" audit verify \
		--db "$db"
	expect "report --db '$db' exits 2" 2 "$FLOPGATE" report --db "$db"
done
expect "FLOPGATE_DB=:memory: exits 2" 2 env FLOPGATE_DB=:memory: \
	"$FLOPGATE" check "$RUN"
assert "it says the trail must be kept in a file" \
	grep -q "must be kept in a file" "$T/err"

# --- item 12: waivers without an approver or reason, or twice --------------------
expect "a waiver with approved_by \"\" exits 2" 2 "$FLOPGATE" check \
	--no-record --waivers tests/fixtures/waivers/empty-approver.yaml "$RUN"
assert "it names the value's FILE:LINE:COL" grep -q \
	"empty-approver.yaml:5:18: waiver \`approved_by\` is empty" "$T/err"
expect "a waiver with a blank reason exits 2" 2 "$FLOPGATE" check \
	--no-record --waivers tests/fixtures/waivers/empty-reason.yaml "$RUN"
assert "it names the reason's location" grep -q \
	"empty-reason.yaml:4:13: waiver \`reason\` is empty" "$T/err"
expect "two waivers for one rule and run exit 2" 2 "$FLOPGATE" check \
	--no-record --waivers tests/fixtures/waivers/duplicate.yaml "$RUN"
assert "it names the second and points at the first" grep -q \
	"duplicate.yaml:7:5: a second waiver for rule \`eu.gpai.systemic-risk\` \
on run \`big-eu\` (the first is at line 2, column 5)" "$T/err"
expect "the valid waiver file still waives" 0 "$FLOPGATE" check \
	--no-record --as-of 2026-11-30 \
	--waivers tests/fixtures/waivers/valid.yaml "$RUN"

# --- item 13: YAML tags -------------------------------------------------------------
expect "!!python/object is refused" 2 "$FLOPGATE" check --no-record \
	tests/fixtures/bad/tag-python-object.yaml
assert "at its FILE:LINE:COL" grep -q "tag-python-object.yaml:2:6: YAML tag \
\`!!python/object:os.system\` is not allowed" "$T/err"
expect "!custom is refused" 2 "$FLOPGATE" estimate \
	tests/fixtures/bad/tag-custom.yaml
assert "at its FILE:LINE:COL" grep -q "tag-custom.yaml:4:11: YAML tag \
\`!custom\` is not allowed" "$T/err"
expect "a %TAG directive is refused" 2 "$FLOPGATE" estimate \
	tests/fixtures/bad/tag-directive.yaml
assert "at the directive" grep -q "tag-directive.yaml:2:1: %TAG directive" \
	"$T/err"
expect "!!str 1e24 is not read as a number" 2 "$FLOPGATE" estimate \
	tests/fixtures/bad/tag-str-number.yaml
assert "at its FILE:LINE:COL" grep -q "tag-str-number.yaml:10:36: YAML tag \
\`!!str\` is not allowed" "$T/err"
printf 'ruleset: !!map {id: x}\n' >"$T/tagged-rules.yaml"
expect "a tag in a ruleset is refused" 2 "$FLOPGATE" rules lint \
	"$T/tagged-rules.yaml"
printf 'waivers: !!seq []\n' >"$T/tagged-waivers.yaml"
expect "a tag in a waiver file is refused" 2 "$FLOPGATE" check --no-record \
	--waivers "$T/tagged-waivers.yaml" "$RUN"

# --- item 4: a compute that overflows or passes any physical bound ---------------
for f in compute-overflow-architecture compute-overflow-hardware \
	compute-beyond-physical; do
	expect "$f: check exits 2" 2 "$FLOPGATE" check --db "$T/of.db" \
		--format json "tests/fixtures/bad/$f.yaml"
	assert "$f: refused at the estimate's FILE:LINE:COL" grep -q \
		"tests/fixtures/bad/$f.yaml:10:11: this estimate" "$T/err"
	assert "$f: nothing on stdout (no 0 FLOP document)" [ ! -s "$T/out" ]
done
assert "no evaluation was recorded" \
	[ "$(sqlite3 "$T/of.db" "SELECT count(*) FROM evaluations" 2>/dev/null \
		|| echo 0)" = 0 ]
