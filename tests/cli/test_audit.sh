#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate audit verify / audit log on databases built from the fixtures in
# tests/fixtures/db/ (a version-2 database made by bench/bench, and a
# version-1 database written by make-v1.py).
. tests/cli/lib.sh

if ! command -v sqlite3 >/dev/null 2>&1; then
	ok "skipped: the sqlite3 shell is not installed"
	exit 0
fi

V2=$T/v2.db V1=$T/v1.db
sqlite3 "$V2" <tests/fixtures/db/sample-v2.sql
cat tests/fixtures/db/schema-v1.sql tests/fixtures/db/populated-v1.sql |
	sqlite3 "$V1"

# --- usage ---------------------------------------------------------------
expect "audit verify --help exits 0" 0 "$FLOPGATE" audit verify --help
assert "verify --help names --checkpoint" grep -q -- "--checkpoint" "$T/out"
expect "audit log --help exits 0" 0 "$FLOPGATE" audit log --help
assert "log --help names --run" grep -q -- "--run" "$T/out"
expect "audit without a subcommand is bad usage" 2 "$FLOPGATE" audit
expect "an unknown subcommand is bad usage" 2 "$FLOPGATE" audit frobnicate
expect "an unknown option is bad usage" 2 "$FLOPGATE" audit verify \
	--db "$V2" --bogus
expect "--db without a value is bad usage" 2 "$FLOPGATE" audit verify --db
expect "log --format yaml is bad usage" 2 "$FLOPGATE" audit log --db "$V2" \
	--format yaml

# --- a missing or unusable database ----------------------------------------
expect "verify of a missing database exits 3" 3 "$FLOPGATE" audit verify \
	--db "$T/missing.db"
assert "the message says there is no such database" \
	grep -q "no such database" "$T/err"
assert "verify does not create the missing database" \
	[ ! -e "$T/missing.db" ]
expect "log of a missing database exits 3" 3 "$FLOPGATE" audit log \
	--db "$T/missing.db"
assert "log does not create the missing database" [ ! -e "$T/missing.db" ]
head -c 4096 /dev/urandom >"$T/junk.db"
expect "a file of random bytes exits 3" 3 "$FLOPGATE" audit verify \
	--db "$T/junk.db"
assert "the message says it is not a database" grep -q "not a" "$T/err"
cp "$V2" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 9"
expect "a newer schema exits 3" 3 "$FLOPGATE" audit verify --db "$T/newer.db"
assert "the message asks for a newer flopgate" grep -q "newer" "$T/err"

# --- verify ------------------------------------------------------------------
expect "verify of an intact database exits 0" 0 "$FLOPGATE" audit verify \
	--db "$V2" --write-checkpoint "$T/cp"
assert "verify prints the entry count and the head" \
	grep -Eq "^ok: 3 entries, head [0-9a-f]{64}$" "$T/out"
head=$(sed -E 's/.*head ([0-9a-f]+).*/\1/' "$T/out")
assert "the checkpoint names the origin" \
	[ "$(sed -n 1p "$T/cp")" = "flopgate audit log" ]
assert "the checkpoint holds the entry count" [ "$(sed -n 2p "$T/cp")" = 3 ]
assert "the checkpoint holds the head hash in base64" \
	[ "$(sed -n 3p "$T/cp" | base64 -d | od -An -tx1 | tr -d ' \n')" = \
	  "$head" ]
expect "verify against its own checkpoint exits 0" 0 "$FLOPGATE" audit \
	verify --db "$V2" --checkpoint "$T/cp"
assert "verify says the log extends the checkpoint" \
	grep -q "extends the checkpoint of 3 entries" "$T/out"
printf 'flopgate audit log\nthree\nAAAA\n' >"$T/badcp"
expect "a malformed checkpoint is bad input" 2 "$FLOPGATE" audit verify \
	--db "$V2" --checkpoint "$T/badcp"
assert "the message names the checkpoint file and line" \
	grep -q "badcp:2:" "$T/err"

expect "verify of a version-1 database exits 0" 0 "$FLOPGATE" audit verify \
	--db "$V1"
assert "the version-1 chain has 3 entries" grep -q "^ok: 3 entries" "$T/out"
assert "verify leaves a version-1 database unmigrated" \
	[ "$(sqlite3 "$V1" 'PRAGMA user_version')" = 1 ]

# Version 3 (tests/fixtures/db/make-sample.sh): read as it is, then migrated
# by the next recording, and its old entries still verify.
V3=$T/v3.db
sqlite3 "$V3" <tests/fixtures/db/sample-v3.sql
expect "verify of a version-3 database exits 0" 0 "$FLOPGATE" audit verify \
	--db "$V3"
assert "the version-3 chain has 3 entries" grep -q "^ok: 3 entries" "$T/out"
expect "a version-3 database records a new evaluation" 0 "$FLOPGATE" check \
	--db "$V3" --as-of 2026-12-02 tests/fixtures/check/small.yaml
expect "and then verifies, old entries and new" 0 "$FLOPGATE" audit verify \
	--db "$V3"
assert "with 4 entries" grep -q "^ok: 4 entries" "$T/out"
assert "the old entries keep their format" \
	[ "$(sqlite3 "$V3" 'SELECT count(*) FROM audit WHERE format = 3')" \
	  -ge 3 ]

# --- tampering ----------------------------------------------------------------
cp "$V2" "$T/edited.db"
sqlite3 "$T/edited.db" "DROP TRIGGER findings_no_update;
	UPDATE findings SET outcome = 'triggered'
	WHERE evaluation_id = 2 AND position = 1;"
expect "an edited finding exits 3" 3 "$FLOPGATE" audit verify \
	--db "$T/edited.db"
assert "the message names entry 2 and its run" \
	grep -q "audit entry 2 (evaluation 2, runs run-000001)" "$T/err"
assert "the message says what differs" grep -q "outcome is" "$T/err"

cp "$V2" "$T/cut.db"
sqlite3 "$T/cut.db" "
	DROP TRIGGER audit_no_delete; DROP TRIGGER findings_no_delete;
	DROP TRIGGER runs_no_delete; DROP TRIGGER evaluations_no_delete;
	DROP TRIGGER evaluation_rulesets_no_delete;
	DELETE FROM audit WHERE seq = 3;
	DELETE FROM findings WHERE evaluation_id = 3;
	DELETE FROM runs WHERE evaluation_id = 3;
	DELETE FROM evaluation_rulesets WHERE evaluation_id = 3;
	DELETE FROM evaluations WHERE id = 3;
	DROP TRIGGER input_texts_no_delete;
	DELETE FROM input_texts WHERE sha256 NOT IN
		(SELECT input_sha256 FROM runs);"
# ...and puts the triggers back, so the schema looks untouched.
sqlite3 "$V2" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger'
	AND name IN ('audit_no_delete', 'findings_no_delete', 'runs_no_delete',
	'evaluations_no_delete', 'evaluation_rulesets_no_delete',
	'input_texts_no_delete')" | sqlite3 "$T/cut.db"
expect "a cleanly truncated log verifies by itself" 0 "$FLOPGATE" audit \
	verify --db "$T/cut.db"
expect "a truncated log fails against the checkpoint" 3 "$FLOPGATE" audit \
	verify --db "$T/cut.db" --checkpoint "$T/cp"
assert "the message says entries were removed" \
	grep -q "fewer than the checkpoint's 3" "$T/err"

# --- log -----------------------------------------------------------------------
expect "log exits 0" 0 "$FLOPGATE" audit log --db "$V1"
assert "the text log has a header and three entries" \
	[ "$(wc -l <"$T/out")" -eq 4 ]
assert "the text log shows the actor" grep -q "alice" "$T/out"
expect "log --format json exits 0" 0 "$FLOPGATE" audit log --db "$V1" \
	--format json
assert "the JSON log has three entries in seq order" \
	[ "$(jq -c '[.entries[].seq]' "$T/out")" = "[1,2,3]" ]
assert "the JSON log counts outcomes" \
	[ "$(jq '.entries[1].outcomes.clear' "$T/out")" = 1 ]
assert "the JSON log carries full hashes" \
	[ "$(jq -r '.entries[2].hash | length' "$T/out")" = 64 ]
expect "log --run exits 0" 0 "$FLOPGATE" audit log --db "$V1" \
	--run small-model --format json
assert "log --run keeps the entries of that run" \
	[ "$(jq -c '[.entries[].evaluation_id]' "$T/out")" = "[2]" ]
assert "log --run counts that run's findings only" \
	[ "$(jq -c '.entries[0].outcomes' "$T/out")" = '{"clear":1}' ]
expect "log --run of an unknown run exits 0 with no entries" 0 \
	"$FLOPGATE" audit log --db "$V1" --run nobody --format json
assert "there are no entries" [ "$(jq '.entries | length' "$T/out")" = 0 ]
# every run of an evaluation is listed, however long the list
awk -v n=40 -f "$FG_ROOT/bench/gen-runs.awk" >"$T/many.yaml"
run "$FLOPGATE" check --db "$T/many.db" --as-of 2026-06-01 "$T/many.yaml"
assert "an evaluation of 40 runs is recorded" [ "$RC" -le 1 ]
expect "log of it exits 0" 0 "$FLOPGATE" audit log --db "$T/many.db"
assert "the text log names its first and its fortieth run" \
	grep -q "bench-00000, bench-00001, .*, bench-00039: " "$T/out"
if [ -w /dev/full ]; then
	"$FLOPGATE" audit log --db "$T/many.db" >/dev/full 2>"$T/err"
	RC=$?
	assert "a log that cannot be written exits 2, saying so" \
		eval '[ "$RC" -eq 2 ] && grep -q "cannot write the log" "$T/err"'
	"$FLOPGATE" hardware >/dev/full 2>"$T/err"
	RC=$?
	assert "a catalog that cannot be written exits 2, saying so" \
		eval '[ "$RC" -eq 2 ] && grep -q "cannot write the catalog" "$T/err"'
fi

# --- the format-4 entry, rebuilt from its specification alone ------------
# tests/fixtures/db/entry-v4.py re-implements src/audit.c's entry in Python
# with its own JSON encoder: every stored entry and hash must be what the
# specification gives, byte for byte.  The database holds a waiver used,
# an actor and an input path outside ASCII (one beyond U+FFFF, which is a
# surrogate pair), and an evaluation of 300 runs (two chunks).
if command -v python3 >/dev/null 2>&1; then
	E4=$T/entry4.db
	mkdir -p "$T/in"
	cp tests/fixtures/check/small.yaml "$T/in/petite-modèle-✓.yaml"
	"$FLOPGATE" check --db "$E4" --as-of 2026-12-01 \
		--waivers tests/fixtures/waivers/valid.yaml \
		tests/fixtures/check/big-eu.yaml >/dev/null
	"$FLOPGATE" check --db "$E4" --as-of 2026-12-02 \
		--actor 'Zoë "QA" \ team 𝔉' \
		"$T/in/petite-modèle-✓.yaml" >/dev/null
	awk -v n=300 -f "$FG_ROOT/bench/gen-runs.awk" >"$T/three.yaml"
	"$FLOPGATE" check --db "$E4" --as-of 2026-12-03 "$T/three.yaml" \
		>/dev/null
	expect "the specification rebuilds every format-4 entry" 0 \
		python3 tests/fixtures/db/entry-v4.py "$E4"
	assert "three entries, 302 runs, a waiver and four chunks" \
		grep -q "^ok 3 302 [0-9]* 1 4\$" "$T/out"
	assert "the actor was recorded as given" [ "$(sqlite3 "$E4" \
		"SELECT actor FROM evaluations WHERE id = 2")" = \
		'Zoë "QA" \ team 𝔉' ]
	# and the script is not blind: a finding changed behind the
	# recorder's back (triggers dropped) changes a chunk
	sqlite3 "$E4" "DROP TRIGGER findings_no_update;
		UPDATE findings SET value = value * 2 WHERE evaluation_id = 3
		AND value IS NOT NULL AND rowid = (SELECT max(rowid) FROM
		findings WHERE evaluation_id = 3 AND value IS NOT NULL)"
	expect "a changed finding no longer rebuilds its entry" 1 \
		python3 tests/fixtures/db/entry-v4.py "$E4"
	assert "the difference is in entry 3" grep -q "^entry 3 differs" \
		"$T/out"
else
	ok "skipped: python3 is not installed"
fi
