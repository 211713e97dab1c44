#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `check` records by default: evaluation ids, --no-record, deadlines that
# do not slide on re-check, a SIGKILL in the middle of recording, tampering
# found by `audit verify`, and many processes recording into one file.
. tests/cli/lib.sh

RUN=examples/runs/llama-3.1-405b.yaml
DB=$T/audit.db

# --- recording ---------------------------------------------------------------
expect "check records by default (gate fails on the EU line)" 1 \
	"$FLOPGATE" check --db "$DB" --as-of 2026-11-30 --format json "$RUN"
assert "the first evaluation has id 1" \
	[ "$(jq '.evaluation_id' "$T/out")" = 1 ]
expect "audit verify passes after one check" 0 "$FLOPGATE" audit verify \
	--db "$DB"
assert "verify counts one entry" grep -q "^ok: 1 entry," "$T/out"

expect "check --no-record evaluates" 1 "$FLOPGATE" check --db "$DB" \
	--no-record --as-of 2026-11-30 --format json "$RUN"
assert "--no-record gives a null evaluation_id" \
	[ "$(jq '.evaluation_id' "$T/out")" = null ]
run "$FLOPGATE" audit verify --db "$DB"
assert "--no-record wrote nothing" grep -q "^ok: 1 entry," "$T/out"
expect "check --no-record on a missing db creates nothing" 1 \
	"$FLOPGATE" check --db "$T/none.db" --no-record "$RUN"
assert "no database file appears" [ ! -e "$T/none.db" ]
FLOPGATE_DB="$T/env.db" run "$FLOPGATE" check --as-of 2026-11-30 "$RUN"
assert "FLOPGATE_DB names the default database" [ -s "$T/env.db" ]

# --- deadlines stay put --------------------------------------------------------
due() {
	jq -r '.runs[0].findings[] | select(.rule == "eu.gpai.systemic-risk")
		| .obligations[] | select(.id == "eu.notify-commission") | .due' \
		"$T/out"
}
# A planned run says nothing of when its line became known, so the first
# recorded evaluation that triggered it is the earliest proof: re-checked
# months later the deadline stays where it was; a fresh database can only
# count from the as-of date.
PLAN=$T/plan.yaml
sed -e 's/status: completed/status: planned/' \
	-e 's/dates: {placed_on_market: 2024-07-23}/dates: {}/' "$RUN" >"$PLAN"
run "$FLOPGATE" check --db "$T/plan.db" --as-of 2026-11-30 --format json \
	"$PLAN"
assert "a planned run first checked counts from the as-of date" \
	[ "$(due)" = 2026-12-14 ]
run "$FLOPGATE" check --db "$T/plan.db" --as-of 2027-09-01 --format json \
	"$PLAN"
assert "a re-check months later keeps the first due date" \
	[ "$(due)" = 2026-12-14 ]
assert "the finding says the line was known from the recorded evaluation" \
	[ "$(jq -r '.runs[0].findings[] | select(.rule ==
		"eu.gpai.systemic-risk") | .known_basis' "$T/out")" = recorded ]
assert "... and that the deadline is overdue" \
	[ "$(jq -r '.runs[0].findings[] | select(.rule ==
		"eu.gpai.systemic-risk") | .obligations[] |
		select(.id == "eu.notify-commission") | .overdue' "$T/out")" = true ]
run "$FLOPGATE" check --db "$T/fresh.db" --as-of 2027-09-01 --format json \
	"$PLAN"
assert "without history a planned run counts from the as-of date" \
	[ "$(due)" = 2027-09-15 ]
# Llama 3.1 was on the market before 2025-08-02, so AI Act Art. 111(3)
# holds its deadlines to 2027-08-02; checked after that day, even in a
# fresh database, they are overdue since then, never re-dated: the model
# had met its line by the day it was placed.
run "$FLOPGATE" check --db "$T/fresh.db" --as-of 2027-09-01 --format json \
	"$RUN"
assert "a model placed before 2025-08-02 stays due 2027-08-02" \
	[ "$(due)" = 2027-08-02 ]
assert "... known since its placement" \
	[ "$(jq -r '.runs[0].findings[] | select(.rule ==
		"eu.gpai.systemic-risk") | .known_basis' "$T/out")" = \
		placed_on_market ]

# --- a process killed in the middle of recording --------------------------------
KDB=$T/kill.db
run "$FLOPGATE" check --db "$KDB" --as-of 2026-11-30 "$RUN"
FLOPGATE_TEST_PAUSE_IN_TRANSACTION="$T/paused" \
	"$FLOPGATE" check --db "$KDB" --as-of 2026-12-01 "$RUN" \
	>/dev/null 2>&1 &
pid=$!
i=0
while [ ! -e "$T/paused" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
assert "the recording paused inside its transaction" [ -e "$T/paused" ]
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect "the database verifies after the SIGKILL" 0 "$FLOPGATE" audit verify \
	--db "$KDB"
assert "none of the killed evaluation remains" \
	grep -q "^ok: 1 entry," "$T/out"
assert "no findings of the killed evaluation remain" \
	[ "$(sqlite3 "$KDB" "SELECT count(*) FROM evaluations")" = 1 ]
expect "the next check records normally" 1 "$FLOPGATE" check --db "$KDB" \
	--as-of 2026-12-02 "$RUN"
run "$FLOPGATE" audit verify --db "$KDB"
assert "the chain grows to two entries" grep -q "^ok: 2 entries" "$T/out"

# --- tampering through the sqlite3 shell ------------------------------------------
TDB=$T/tamper.db
cp "$DB" "$TDB"
"$FLOPGATE" audit verify --db "$TDB" --write-checkpoint "$T/cp" >/dev/null
sqlite3 "$TDB" "UPDATE findings SET outcome = 'clear'" 2>"$T/sqlerr"
assert "the triggers refuse UPDATE on findings" grep -qi "abort\|refuse\|append" \
	"$T/sqlerr"
sqlite3 "$TDB" "SELECT name FROM sqlite_master WHERE type = 'trigger'" |
	while read -r trig; do
		echo "DROP TRIGGER \"$trig\";"
	done >"$T/drop.sql"
sqlite3 "$TDB" <"$T/drop.sql"
sqlite3 "$TDB" "UPDATE findings SET outcome = 'clear'
	WHERE rule = 'eu.gpai.systemic-risk'"
expect "an edited outcome fails audit verify with exit 3" 3 \
	"$FLOPGATE" audit verify --db "$TDB"
assert "verify names the first bad entry" grep -q "entry 1" \
	"$T/out" "$T/err"
# Issue 11, item 14: a chain whose head does not verify is not extended.
before=$(sqlite3 "$TDB" "SELECT count(*) FROM evaluations")
expect "a check into a tampered database refuses to record (exit 3)" 3 \
	"$FLOPGATE" check --db "$TDB" --as-of 2027-02-01 "$RUN"
assert "it names the entry that fails" grep -q "audit entry 1" "$T/err"
assert "nothing was printed on stdout" [ ! -s "$T/out" ]
assert "no evaluation was added" \
	[ "$(sqlite3 "$TDB" "SELECT count(*) FROM evaluations")" = "$before" ]
expect "and verify keeps failing" 3 "$FLOPGATE" audit verify --db "$TDB"

# --- quotes and SQL in names are stored verbatim ---------------------------------
cat >"$T/quote.yaml" <<'YAML'
run:
  id: x-DROP.findings--
  model: "Robert'); DROP TABLE runs; --"
  jurisdictions: [EU]
  phases:
    - name: "it's \"quoted\""
      kind: pretraining
      estimates:
        - {method: declared, flop: 1e22}
YAML
expect "a run whose names hold SQL records" 0 "$FLOPGATE" check \
	--db "$T/q.db" "$T/quote.yaml"
assert "the model name comes back verbatim" \
	[ "$(stored_document "$T/q.db" 1 | jq -r .model)" = \
	  "Robert'); DROP TABLE runs; --" ]
expect "and the database still verifies" 0 "$FLOPGATE" audit verify \
	--db "$T/q.db"

# --- many processes at once -----------------------------------------------------------
CDB=$T/concurrent.db
p=0
while [ $p -lt 8 ]; do
	(
		n=0
		while [ $n -lt 50 ]; do
			"$FLOPGATE" check --db "$CDB" --as-of 2026-11-30 \
				--actor "proc$p" examples/runs/gpt-3.yaml \
				>/dev/null 2>>"$T/conc.err" ||
				echo "fail $p $n" >>"$T/conc.fail"
			n=$((n + 1))
		done
	) &
	p=$((p + 1))
done
wait
assert "no concurrent check failed" [ ! -e "$T/conc.fail" ]
expect "the concurrent database verifies" 0 "$FLOPGATE" audit verify \
	--db "$CDB"
assert "8 x 50 checks make 400 entries" grep -q "^ok: 400 entries" "$T/out"
assert "the seqs are 1..400 without gaps" \
	[ "$(sqlite3 "$CDB" "SELECT count(DISTINCT seq), min(seq), max(seq)
		FROM audit")" = "400|1|400" ]

# --- more findings a run than one INSERT writes ----------------------------
# A run's findings go into the database up to 32 rows a statement
# (store_record.c): 75 rules make two full statements and one of 11 for
# the run at 9e25 FLOP, above every line; the run at 4e23 is above the
# first 39 lines, and its other findings, clear, get no row (schema
# version 7).
mkdir -p "$T/many-rules"
cp rules/hardware.yaml "$T/many-rules/"
{
	printf 'ruleset:\n  id: test-many\n  title: Many rules\n'
	printf '  jurisdiction: EU\nrules:\n'
	i=1
	while [ "$i" -le 75 ]; do
		printf '  - id: test.line-%02d\n    title: Line %d\n' "$i" "$i"
		printf '    citation: Test Art. %d\n' "$i"
		printf '    effective: {from: 2025-01-01}\n'
		printf '    applies_to: {jurisdictions: [EU]}\n'
		printf '    when:\n      all:\n'
		printf '        - {metric: training_compute_flop, op: ">", '
		printf 'value: %de22}\n' "$i"
		printf '    severity: warning\n'
		i=$((i + 1))
	done
} >"$T/many-rules/many.yaml"
for f in 4e23 9e25; do
	printf -- '---\nrun:\n  id: many-%s\n  status: completed\n' "$f"
	printf '  jurisdictions: [EU]\n  phases:\n    - name: pre-training\n'
	printf '      kind: pretraining\n      estimates:\n'
	printf '        - {method: measured, flop: %s}\n' "$f"
done >"$T/many-runs.yaml"
MDB=$T/many.db
run "$FLOPGATE" check --rules "$T/many-rules" --db "$MDB" \
	--as-of 2026-11-30 "$T/many-runs.yaml"
assert "two runs against 75 rules are recorded" [ "$RC" -le 1 ]
assert "the rows of the findings that triggered, at their positions, in rule order" \
	[ "$(sqlite3 "$MDB" "SELECT group_concat(n, ' ') FROM (SELECT
		count(*) || ':' || min(position) || '-' || max(position) ||
		':' || sum(rule = printf('test.line-%02d', position)) AS n
		FROM findings GROUP BY run_position ORDER BY run_position)")" \
	= "39:1-39:39 75:1-75:75" ]
expect "the evaluation verifies" 0 "$FLOPGATE" audit verify --db "$MDB"
if command -v python3 >/dev/null 2>&1; then
	expect "its entry is what the specification gives" 0 \
		python3 tests/fixtures/db/entry-v4.py "$MDB"
	assert "114 findings rows in the entry" grep -q "^ok 1 2 114 0 1\$" \
		"$T/out"
fi
