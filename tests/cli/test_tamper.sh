#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The tamper test (issue 11): for every table of the store's schema and
# every column of it, discovered from sqlite_master and pragma table_info
# (so a new table or column is not missed), edit one row, insert one row
# and delete one row behind the recorder's back with the sqlite3 shell --
# dropping the triggers first and putting them back after, as an attacker
# who wants the schema to look untouched would -- and assert that `audit
# verify` exits 3 and names what was touched: the evaluation (or audit
# entry) the row belongs to, or the table and key of a row no entry
# covers.
#
# No column is exempt: every column of every table is either hashed into
# its audit entry (src/audit.c: format 4 hashes every column of the runs,
# findings and waivers rows, positions included), is a text hashed to its
# key, or is a key that ties a row to its entry.  A table this script does not know the key of
# fails the test until it is added below.
. tests/cli/lib.sh

if ! command -v sqlite3 >/dev/null 2>&1; then
	ok "skipped: the sqlite3 shell is not installed"
	exit 0
fi

BASE=$T/base.db
# Two evaluations, two runs in the second, a waiver used: a row in every
# table.
"$FLOPGATE" check --db "$BASE" --as-of 2026-11-30 \
	tests/fixtures/check/big-eu.yaml >/dev/null
"$FLOPGATE" check --db "$BASE" --as-of 2026-12-01 \
	--waivers tests/fixtures/waivers/valid.yaml \
	tests/fixtures/check/big-eu.yaml tests/fixtures/check/small.yaml \
	>/dev/null
expect "the untouched database verifies" 0 "$FLOPGATE" audit verify \
	--db "$BASE"
sqlite3 "$BASE" "SELECT sql || ';' FROM sqlite_master WHERE type =
	'trigger'" >"$T/triggers.sql"
sqlite3 "$BASE" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master
	WHERE type = 'trigger'" >"$T/drop.sql"

# tamper NAME NEEDLE SQL: on a fresh copy, drop the triggers, run SQL, put
# the triggers back; verify must exit 3 and its message hold NEEDLE.
tamper() {
	t_name=$1 t_needle=$2 t_sql=$3
	cp "$BASE" "$T/t.db"
	rm -f "$T/t.db-wal" "$T/t.db-shm"
	if ! { cat "$T/drop.sql"; echo "$t_sql"; cat "$T/triggers.sql"; } |
		sqlite3 "$T/t.db" 2>"$T/sqlerr"; then
		notok "$t_name" "the tampering SQL failed: $(cat "$T/sqlerr")" \
			"$t_sql"
		return
	fi
	run "$FLOPGATE" audit verify --db "$T/t.db"
	if [ "$RC" -ne 3 ]; then
		notok "$t_name" "audit verify exited $RC, not 3" "$t_sql" \
			"$(cat "$T/out" "$T/err")"
	elif ! grep -qF -- "$t_needle" "$T/err"; then
		notok "$t_name" "the message does not name \`$t_needle\`" \
			"$(cat "$T/err")"
	else
		ok "$t_name"
	fi
}

# What names a row of each table: its evaluation, its entry or its key.
needle_of() {
	table=$1 rowid=$2
	case $table in
	evaluations) echo "evaluation $(q "SELECT id FROM evaluations
		WHERE rowid = $rowid")" ;;
	evaluation_rulesets | runs | findings | waivers)
		echo "evaluation $(q "SELECT evaluation_id FROM $table
			WHERE rowid = $rowid")" ;;
	ruleset_texts | input_texts | rule_facts) q "SELECT substr(sha256, 1,
		16) FROM $table WHERE rowid = $rowid" ;;
	audit) echo "audit entry $(q "SELECT seq FROM audit
		WHERE rowid = $rowid")" ;;
	*) echo "UNKNOWN TABLE $table" ;;
	esac
}
q() { sqlite3 "$BASE" "$1"; }

# The key a new row of each table gets: one no recorded entry has.
insert_override() {
	table=$1 column=$2
	case $table.$column in
	evaluations.id | evaluation_rulesets.evaluation_id | runs.evaluation_id | \
	findings.evaluation_id | waivers.evaluation_id | audit.evaluation_id)
		echo 999 ;;
	ruleset_texts.sha256 | input_texts.sha256 | rule_facts.sha256)
		echo "printf('%064d', 7)" ;;
	audit.seq) echo "(SELECT max(seq) + 1 FROM audit)" ;;
	*) echo "$column" ;;
	esac
}
insert_needle() {
	case $1 in
	evaluations) echo "table evaluations, row (id 999)" ;;
	evaluation_rulesets | runs | findings | waivers)
		echo "table $1, row (evaluation_id 999" ;;
	ruleset_texts | input_texts | rule_facts)
		echo "table $1, row (sha256 0000000000" ;;
	audit) echo "audit entry $(q "SELECT max(seq) + 1 FROM audit")" ;;
	*) echo "UNKNOWN TABLE $1" ;;
	esac
}

tables=$(q "SELECT name FROM sqlite_master WHERE type = 'table' AND name
	NOT LIKE 'sqlite_%' ORDER BY name")
assert "the schema has the nine recorded tables" \
	[ "$(echo "$tables" | wc -l)" -eq 9 ]
for table in $tables; do
	assert "$table has a row to tamper with" \
		[ "$(q "SELECT count(*) FROM $table")" -gt 0 ]
	rowid=$(q "SELECT min(rowid) FROM $table")
	needle=$(needle_of "$table" "$rowid")
	cols=$(q "SELECT name || ':' || type FROM pragma_table_info('$table')")
	select=""
	for c in $cols; do
		col=${c%%:*} type=${c#*:}
		# A change for every value: flip 0/1, move other integers,
		# negate reals, change a text's first character, fill a NULL.
		case $type in
		INTEGER) change="CASE WHEN $col IS NULL THEN 7 WHEN $col IN
			(0, 1) THEN 1 - $col ELSE $col + 1000 END" ;;
		REAL) change="CASE WHEN $col IS NULL THEN 1.5 WHEN $col = 0
			THEN 1.5 ELSE -$col END" ;;
		BLOB) change="CASE WHEN $col IS NULL THEN x'00' WHEN
			substr($col, 1, 1) = x'00' THEN CAST(x'01' ||
			substr($col, 2) AS BLOB) ELSE CAST(x'00' ||
			substr($col, 2) AS BLOB) END" ;;
		*) change="CASE WHEN $col IS NULL THEN 'tampered' WHEN
			substr($col, 1, 1) = '0' THEN '1' || substr($col, 2)
			ELSE '0' || substr($col, 2) END" ;;
		esac
		tamper "edit $table.$col" "$needle" \
			"UPDATE $table SET $col = $change WHERE rowid = $rowid;"
		select="$select${select:+, }$(insert_override "$table" "$col")"
	done
	tamper "insert into $table" "$(insert_needle "$table")" \
		"INSERT INTO $table SELECT $select FROM $table
		 WHERE rowid = $rowid;"
	tamper "delete from $table" "$needle" \
		"DELETE FROM $table WHERE rowid = $rowid;"
done
