#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 9 (with issue 10's command-line items): where check reads its runs
# from (files, directories, standard input, --files-from lists, an empty
# list with --allow-empty) and where it writes them (-o FORMAT=FILE,
# several outputs of one evaluation), and SOURCE_DATE_EPOCH as the
# recording clock.
. tests/cli/lib.sh

AS_OF=2026-06-01
R=examples/runs
# ids FILE: the run ids of a JSON result document, in order, on one line
ids() { jq -r '[.runs[].id] | join(" ")' "$1"; }

# --- a directory: every *.yaml and *.yml under it, sorted, at any depth -------
mkdir -p "$T/runs/b" "$T/runs/.hidden" "$T/empty"
cp "$R/llama-2-70b.yaml" "$T/runs/a.yaml"
cp "$R/gpt-4.yaml" "$T/runs/b/a.yaml"
cp "$R/gpt-3.yaml" "$T/runs/b/z.yml"
cp "$R/kr-1e26.yaml" "$T/runs/.hidden/k.yaml"
echo "not a run" >"$T/runs/notes.txt"
expect "a directory is read" 1 "$FLOPGATE" check --no-record \
	--as-of "$AS_OF" --format json "$T/runs"
assert "... every *.yaml and *.yml under it, sorted, in subdirectories too" \
	[ "$(ids "$T/out")" = "llama-2-70b gpt-4 gpt-3" ]
assert "... each run naming its file" [ "$(jq -r '.runs[1].file' \
	"$T/out")" = "$T/runs/b/a.yaml" ]
mkfifo "$T/runs/b/fifo.yaml"
expect "a FIFO named *.yaml in a directory exits 2" 2 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" "$T/runs"
assert "... naming it" grep -q "fifo.yaml: is a FIFO, not a YAML file" \
	"$T/err"
assert "... and printing nothing" [ ! -s "$T/out" ]
rm "$T/runs/b/fifo.yaml"

# --- standard input -----------------------------------------------------------
run sh -c '{ cat "$1"; echo ---; cat "$2"; } | exec "$3" check --no-record --as-of "$4" \
	--format json -' sh "$R/gpt-3.yaml" "$R/gpt-4.yaml" "$FLOPGATE" "$AS_OF"
assert "- reads a stream of runs from standard input" [ "$RC" -eq 1 ]
assert "... all of them, in order" [ "$(ids "$T/out")" = "gpt-3 gpt-4" ]
assert "... named <stdin>" [ "$(jq -r '.runs[0].file' "$T/out")" = \
	"<stdin>" ]
expect "standard input named twice exits 2" 2 "$FLOPGATE" check \
	--no-record - - </dev/null
assert "... saying it can be read once" grep -q "read once" "$T/err"

# --- --files-from ---------------------------------------------------------------
printf '%s\n' "$R/small-chat-eu.yaml" "" "$T/runs" >"$T/list"
expect "--files-from FILE reads the paths listed, one a line" 1 \
	"$FLOPGATE" check --no-record --as-of "$AS_OF" --format json \
	--files-from "$T/list"
assert "... in order, directories expanded, empty lines skipped" \
	[ "$(ids "$T/out")" = "example-small-chat-eu llama-2-70b gpt-4 gpt-3" ]
run sh -c 'printf "%s\n" "$1" | exec "$2" check --no-record --as-of "$3" \
	--format json --files-from -' sh "$R/gpt-3.yaml" "$FLOPGATE" "$AS_OF"
assert "--files-from - reads the list from standard input" [ "$RC" -eq 0 ]
assert "... and the runs it names" [ "$(ids "$T/out")" = "gpt-3" ]
printf '%s\n' "$R/gpt-3.yaml" "$T/missing.yaml" >"$T/list"
expect "a listed file that does not exist exits 2" 2 "$FLOPGATE" check \
	--no-record --files-from "$T/list"
assert "... naming it" grep -q "missing.yaml" "$T/err"
expect "a list that does not exist exits 2" 2 "$FLOPGATE" check \
	--no-record --files-from "$T/no-list"

# --- an empty list ------------------------------------------------------------------
expect "an empty directory exits 2" 2 "$FLOPGATE" check --no-record \
	"$T/empty"
assert "... saying --allow-empty lets it pass" grep -q -- "--allow-empty" \
	"$T/err"
: >"$T/none"
expect "an empty --files-from list exits 2" 2 "$FLOPGATE" check \
	--no-record --files-from "$T/none"
expect "--allow-empty lets an empty directory pass" 0 "$FLOPGATE" check \
	--db "$T/empty.db" --allow-empty "$T/empty"
assert "... recording nothing, not even a database" [ ! -e "$T/empty.db" ]
expect "--allow-empty lets an empty list pass" 0 "$FLOPGATE" check \
	--no-record --allow-empty --files-from "$T/none"
expect "--allow-empty still needs every run to be good" 2 "$FLOPGATE" \
	check --no-record --allow-empty tests/fixtures/bad/bad-date.yaml

# --- -o FORMAT=FILE: several outputs of one evaluation -----------------------------
DB=$T/o.db
run "$FLOPGATE" check --db "$DB" --as-of "$AS_OF" -o sarif="$T/o.sarif" \
	-o junit="$T/o.xml" -o json="$T/o.json" -o markdown="$T/o.md" \
	"$R/gpt-3.yaml" "$R/gpt-4.yaml"
assert "-o FORMAT=FILE, repeated: the gate fails once" [ "$RC" -eq 1 ]
assert "... text on stdout" grep -q "^gate: failed" "$T/out"
for f in o.sarif o.xml o.json o.md; do
	assert "... and $f written" [ -s "$T/$f" ]
done
assert "... all of one evaluation, recorded once" \
	[ "$(sqlite3 "$DB" 'SELECT count(*) FROM evaluations')" = 1 ]
assert "... the JSON names it" [ "$(jq .evaluation_id "$T/o.json")" = 1 ]
assert "... so does the SARIF log" [ "$(jq \
	'.runs[0].properties.evaluation_id' "$T/o.sarif")" = 1 ]
assert "... and the JUnit file" grep -q \
	'<property name="evaluation_id" value="1"/>' "$T/o.xml"
assert "... the SARIF log is valid SARIF 2.1.0" \
	[ "$(jq -r .version "$T/o.sarif")" = "2.1.0" ]
expect "a format it does not know exits 2" 2 "$FLOPGATE" check \
	--no-record -o yaml="$T/o.yaml" "$R/gpt-3.yaml"
assert "... before writing anything" [ ! -e "$T/o.yaml" ]
expect "-o without FORMAT= exits 2" 2 "$FLOPGATE" check --no-record \
	-o "$T/o.out" "$R/gpt-3.yaml"
expect "two outputs into one file exit 2" 2 "$FLOPGATE" check --no-record \
	-o json="$T/same" -o sarif="$T/same" "$R/gpt-3.yaml"
assert "... naming it" grep -q "same is already an output" "$T/err"
ln -s o.json "$T/link.json"
expect "... under two names too" 2 "$FLOPGATE" check --no-record \
	-o json="$T/o.json" -o sarif="$T/link.json" "$R/gpt-3.yaml"
rm -f "$T/o.sarif"
expect "a bad run with -o sarif=FILE exits 2" 2 "$FLOPGATE" check \
	--no-record -o sarif="$T/o.sarif" "$R/gpt-3.yaml" \
	tests/fixtures/bad/bad-date.yaml
assert "... and the SARIF file logs the error" [ "$(jq -r \
	'.runs[0].invocations[0].toolExecutionNotifications[0].level' \
	"$T/o.sarif")" = error ]
assert "... at the bad date's file and line" [ "$(jq -r \
	'.runs[0].invocations[0].toolExecutionNotifications[0].locations[0]
	 .physicalLocation | "\(.artifactLocation.uri):\(.region.startLine)"' \
	"$T/o.sarif")" = "tests/fixtures/bad/bad-date.yaml:$(sed -n \
	's/.*bad-date\.yaml:\([0-9]*\):.*/\1/p' "$T/err")" ]

# --- SOURCE_DATE_EPOCH: the recording clock, for reproducible demos ----------
expect "SOURCE_DATE_EPOCH is the recording time" 0 env \
	SOURCE_DATE_EPOCH=1700000000 "$FLOPGATE" check --db "$T/sde.db" \
	--as-of "$AS_OF" "$R/gpt-3.yaml"
assert "... recorded_at says so" [ "$(sqlite3 "$T/sde.db" \
	'SELECT recorded_at FROM evaluations')" = 2023-11-14T22:13:20Z ]
expect "... and the chain verifies" 0 "$FLOPGATE" audit verify \
	--db "$T/sde.db"
expect "a SOURCE_DATE_EPOCH that is not seconds exits 2" 2 env \
	SOURCE_DATE_EPOCH=yesterday "$FLOPGATE" check --db "$T/sde.db" \
	--as-of "$AS_OF" "$R/gpt-3.yaml"
assert "... recording nothing" [ "$(sqlite3 "$T/sde.db" \
	'SELECT count(*) FROM evaluations')" = 1 ]

# --- the help says all of it ----------------------------------------------------------
run "$FLOPGATE" check --help
for opt in "-o FORMAT=FILE" "--files-from FILE" "--allow-empty" \
	"a directory" "(standard input)"; do
	assert "check --help mentions $opt" grep -q -- "$opt" "$T/out"
done
