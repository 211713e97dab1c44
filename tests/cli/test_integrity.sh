#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 11, items 1 and 14: rows slipped in behind the recorder neither
# move a deadline nor pass `audit verify`, and a check refuses to extend a
# chain whose head does not verify.
. tests/cli/lib.sh

if ! command -v sqlite3 >/dev/null 2>&1; then
	ok "skipped: the sqlite3 shell is not installed"
	exit 0
fi

# A planned run above the EU line with no dates at all: the day the line
# became known is the as-of date of its first recorded evaluation.
cat >"$T/run.yaml" <<'YAML'
run:
  id: eu-run
  status: planned
  jurisdictions: [EU]
  attributes: {generative: true, modalities: [text]}
  phases:
    - name: pre-training
      kind: pretraining
      estimates:
        - {method: measured, flop: 3.8e25}
YAML
due() {
	jq -r '.runs[0].findings[] | select(.rule == "eu.gpai.systemic-risk")
		| .obligations[] | select(.id == "eu.notify-commission") | .due' \
		"$T/out"
}
DB=$T/a.db
expect "the first check records" 1 "$FLOPGATE" check --db "$DB" \
	--as-of 2026-11-30 --format json "$T/run.yaml"
assert "the notification is due 14 days after the first evaluation" \
	[ "$(due)" = 2026-12-14 ]

# --- item 1: an orphan findings row --------------------------------------------
ORPHAN="INSERT INTO findings (evaluation_id, run_position, position, run_id,
	rule, outcome, gate_fails, known_since) VALUES (999, 1, 1, 'eu-run',
	'eu.gpai.systemic-risk', 'triggered', 1, '2026-01-01')"
cp "$DB" "$T/b.db"
sqlite3 "$T/b.db" "$ORPHAN" 2>"$T/sqlerr"
assert "a trigger refuses the INSERT" grep -q "rows are added only by" \
	"$T/sqlerr"
assert "nothing was inserted" \
	[ "$(sqlite3 "$T/b.db" "SELECT count(*) FROM findings
		WHERE evaluation_id = 999")" = 0 ]
sqlite3 "$T/b.db" "DROP TRIGGER findings_no_insert; $ORPHAN"
sqlite3 "$DB" "SELECT sql FROM sqlite_master
	WHERE name = 'findings_no_insert'" | sqlite3 "$T/b.db"
expect "audit verify finds the orphan row (exit 3)" 3 "$FLOPGATE" audit \
	verify --db "$T/b.db"
assert "it names the table and the row" grep -q "table findings, row \
(evaluation_id 999, run_position 1, position 1, run eu-run, rule \
eu.gpai.systemic-risk): no audit entry covers it" "$T/err"
expect "the next check still records" 1 "$FLOPGATE" check --db "$T/b.db" \
	--as-of 2026-12-20 --format json "$T/run.yaml"
assert "the orphan row does not move the deadline" [ "$(due)" = 2026-12-14 ]

# --- item 1: an edit to a column the entry did not hash --------------------------
cp "$DB" "$T/c.db"
sqlite3 "$T/c.db" "DROP TRIGGER runs_no_update;
	UPDATE runs SET input_file = 'innocent.yaml';"
sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = 'runs_no_update'" |
	sqlite3 "$T/c.db"
expect "an edited runs.input_file fails verify (exit 3)" 3 "$FLOPGATE" \
	audit verify --db "$T/c.db"
assert "it names the entry" grep -q "audit entry 1 (evaluation 1, runs \
eu-run)" "$T/err"

# --- item 1: a row added to a recorded evaluation --------------------------------
cp "$DB" "$T/d.db"
sqlite3 "$T/d.db" "DROP TRIGGER findings_no_insert;
	INSERT INTO findings (evaluation_id, run_position, position, run_id,
	rule, outcome, gate_fails, known_since) VALUES (1, 1, 99, 'eu-run',
	'eu.gpai.systemic-risk', 'triggered', 1, '2026-01-01')"
expect "a check refuses a deadline from an entry that does not verify" 3 \
	"$FLOPGATE" check --db "$T/d.db" --as-of 2026-12-20 --format json \
	"$T/run.yaml"
assert "it names the entry" grep -q "audit entry 1 (evaluation 1" "$T/err"
assert "and prints nothing" [ ! -s "$T/out" ]
expect "check --no-record refuses it too" 3 "$FLOPGATE" check \
	--db "$T/d.db" --no-record --as-of 2026-12-20 "$T/run.yaml"

# --- item 14: the head of the chain is checked before it is extended ----------
cp "$DB" "$T/e.db"
sqlite3 "$T/e.db" "DROP TRIGGER evaluations_no_update;
	UPDATE evaluations SET actor = 'someone else'"
# another run, so no deadline look-up reads the tampered entry first
sed 's/id: eu-run/id: other-run/' "$T/run.yaml" >"$T/other.yaml"
expect "a check into a chain with a tampered head exits 3" 3 "$FLOPGATE" \
	check --db "$T/e.db" --as-of 2026-12-20 "$T/other.yaml"
assert "it names the head entry" grep -q "audit entry 1 (evaluation 1" \
	"$T/err"
assert "it says it refuses to extend the chain" \
	grep -q "refusing to extend an audit chain that does not verify" "$T/err"
assert "nothing was recorded" \
	[ "$(sqlite3 "$T/e.db" "SELECT count(*) FROM audit")" = 1 ]

# --- item 1: reports read only rows an audit entry covers ------------------------
cp "$DB" "$T/f.db"
sqlite3 "$T/f.db" "DROP TRIGGER runs_no_insert;
	INSERT INTO runs SELECT 999, 1, 'ghost-run', input_sha256, input_file,
	document, document_sha256, document_lz4 FROM runs
	WHERE evaluation_id = 1;"
expect "a report of a database with an orphan run exits 3" 3 "$FLOPGATE" \
	report --db "$T/f.db" --all
assert "the summary lists the orphan run nowhere but in the warning" \
	sh -c '! grep -v "audit verify FAILED" "$1" | grep -q ghost-run' - \
	"$T/out"
assert "the report says verification failed" \
	grep -q "table runs, row (evaluation_id 999" "$T/err"
expect "the orphan run has no report of its own" 2 "$FLOPGATE" report \
	--db "$T/f.db" --run ghost-run
