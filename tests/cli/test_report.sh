#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate report: per-run reports and the auditor summary rendered from
# databases built from tests/fixtures/report/*.sql (result documents of
# tests/fixtures/results/ recorded through the store; see make-sql.sh), and
# through `check` once it records.
. tests/cli/lib.sh

for tool in sqlite3 cmark-gfm jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		ok "skipped: $tool is not installed"
		exit 0
	fi
done

DB=$T/sample.db
sqlite3 "$DB" <tests/fixtures/report/sample.sql
sqlite3 "$T/empty.db" <tests/fixtures/report/empty.sql
sqlite3 "$T/index.db" <tests/fixtures/report/index-run.sql
sqlite3 "$T/many.db" <tests/fixtures/report/many.sql
HOSTILE=$(jq -r '.runs[0].id' tests/fixtures/results/hostile.json)

# html FILE: the Markdown as GitHub-flavoured HTML, one tag per line start
html() { cmark-gfm -e table -t html "$1"; }

# section_rows FILE.html HEADING: table rows (<tr>) between the <h2>HEADING
# and the next <h2>, header row included
section_rows() {
	awk -v h="<h2>$2</h2>" '
		$0 == h { on = 1; next }
		/^<h2>/ { on = 0 }
		on && /<tr>/ { n++ }
		END { print n + 0 }' "$1"
}

# section_cells FILE.html HEADING: "cells/rows" of that section's tables, so
# a row broken by a stray | shows as a cell count that is not a multiple
section_cells() {
	awk -v h="<h2>$2</h2>" '
		$0 == h { on = 1; next }
		/^<h2>/ { on = 0 }
		on && /<t[dh][ >]/ { c++ }
		on && /<tr>/ { r++ }
		END { print c + 0 "/" r + 0 }' "$1"
}

# checkpoint_of FILE.md: the fenced checkpoint under "## Audit checkpoint"
checkpoint_of() {
	awk '
		$0 == "## Audit checkpoint" { on = 1; next }
		on && /^```/ { if (in_fence) exit; in_fence = 1; next }
		on && in_fence { print }' "$1"
}

# --- usage ------------------------------------------------------------------
expect "report --help exits 0" 0 "$FLOPGATE" report --help
assert "--help names --run, --all and -o" \
	grep -q -- "--run ID.*--all.*-o FILE|DIR" "$T/out"
assert "--help says --all is the default" grep -q "default when neither" "$T/out"
expect "--run and --all together are bad usage" 2 "$FLOPGATE" report \
	--db "$DB" --run atlas-2 --all
expect "an unknown option is bad usage" 2 "$FLOPGATE" report --db "$DB" \
	--bogus
expect "--run without a value is bad usage" 2 "$FLOPGATE" report \
	--db "$DB" --run
expect "-o without a value is bad usage" 2 "$FLOPGATE" report --db "$DB" -o
expect "--run given twice is bad usage" 2 "$FLOPGATE" report --db "$DB" \
	--run atlas-2 --run tiny-lm

# --- a missing database, an unknown run --------------------------------------
expect "a missing database exits 3" 3 "$FLOPGATE" report \
	--db "$T/missing.db" --all
assert "the message says there is no such database" \
	grep -q "missing.db: no such database" "$T/err"
assert "report does not create the missing database" \
	[ ! -e "$T/missing.db" ]
expect "the default database (\$FLOPGATE_DB) missing exits 3" 3 \
	"$FLOPGATE" report
assert "report does not create the default database" \
	[ ! -e "$FLOPGATE_DB" ]
expect "an unknown run exits 2" 2 "$FLOPGATE" report --db "$DB" \
	--run atlas-3 -o "$T/unknown.md"
assert "the message names the unknown run" \
	grep -q "no recorded run \`atlas-3\`" "$T/err"
assert "the message lists the recorded runs" \
	grep -q "recorded runs: .*atlas-2.*tiny-lm" "$T/err"
assert "an unknown run writes no file" [ ! -e "$T/unknown.md" ]
expect "an unknown run among many exits 2" 2 "$FLOPGATE" report \
	--db "$T/many.db" --run modle-07
assert "the message names the nearest recorded run first" \
	grep -q "12 runs are recorded, the nearest: model-07, " "$T/err"
expect "an unknown run in an empty database exits 2" 2 "$FLOPGATE" \
	report --db "$T/empty.db" --run atlas-2
assert "the message says the database holds no runs" \
	grep -q "holds no runs" "$T/err"

# --- one run's report ---------------------------------------------------------
expect "report --run exits 0" 0 "$FLOPGATE" report --db "$DB" --run atlas-2
cp "$T/out" "$T/atlas.md"
assert "report --run writes nothing on stderr with stdout output" \
	[ ! -s "$T/err" ]
html "$T/atlas.md" >"$T/atlas.html"
assert "the report has one title naming the run" \
	[ "$(grep -c '^<h1>' "$T/atlas.html")" = 1 ] &&
	grep -q '^<h1>Compliance report: atlas-2</h1>$' "$T/atlas.html"
assert "the report has its nine sections" \
	[ "$(grep -c '^<h2>' "$T/atlas.html")" = 9 ]
near=$(jq '[.runs[0].findings[] | select(.outcome == "triggered" or
	.outcome == "near")] | length' tests/fixtures/results/systemic_risk.json)
assert "one subsection per triggered or near rule ($near)" \
	[ "$(grep -c '^<h3>' "$T/atlas.html")" = "$near" ]
findings=$(jq '.runs[0].findings | length' \
	tests/fixtures/results/systemic_risk.json)
assert "the rules table has a header and one row per finding" \
	[ "$(section_rows "$T/atlas.html" "All rules evaluated")" = \
	  $((findings + 1)) ]
assert "the report says which evaluation it comes from" \
	grep -q "evaluation 1\\." "$T/atlas.md"
assert "the provenance gives the recorded time" \
	grep -Eq '^\| Recorded at \| [0-9]{4}-[0-9]{2}-[0-9]{2}T' "$T/atlas.md"
assert "the report says audit verify passed" \
	grep -q "Audit verify \*\*passed\*\* at render time: 8 entries" \
	"$T/atlas.md"
assert "a passing report carries no warning" \
	sh -c '! grep -q "FAILED" "$1"' sh "$T/atlas.md"

run "$FLOPGATE" audit verify --db "$DB" --write-checkpoint "$T/cp"
checkpoint_of "$T/atlas.md" >"$T/atlas.cp"
assert "the report's checkpoint is the one audit verify writes" \
	cmp -s "$T/atlas.cp" "$T/cp"
expect "the report's checkpoint verifies against the database" 0 \
	"$FLOPGATE" audit verify --db "$DB" --checkpoint "$T/atlas.cp"

expect "report --run of a run recorded twice exits 0" 0 "$FLOPGATE" \
	report --db "$DB" --run tiny-lm
assert "the report uses the run's latest evaluation" \
	grep -q "evaluated as of 2026-11-29; evaluation 7\\." "$T/out"

# --- -o FILE -----------------------------------------------------------------
# nochart FILE: the report without the link to its chart (a report on
# standard output has no file beside it, so no chart)
nochart() {
	sed -e '/^!\[.*\]([A-Za-z0-9._-]*\.svg)$/,+1d' \
		-e '/^Chart: \[[A-Za-z0-9._-]*\.svg\]/,+1d' "$1"
}
expect "report --run -o FILE exits 0" 0 "$FLOPGATE" report --db "$DB" \
	--run atlas-2 -o "$T/one.md"
nochart "$T/one.md" >"$T/one.nochart.md"
assert "-o FILE holds the report of stdout, with its chart linked" \
	cmp -s "$T/one.nochart.md" "$T/atlas.md"
assert "... the chart beside it, linked relatively" \
	grep -qxF '![The run'"'"'s compute (low, central and high estimates) against every line it is held to, on a log scale](one.svg)' "$T/one.md"
assert "... and it is XML" python3 -c \
	'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
	"$T/one.svg"
assert "-o FILE says which files it wrote, the chart first" \
	[ "$(cat "$T/err")" = "wrote $T/one.svg
wrote $T/one.md" ]
assert "the report is readable by others, like any new file" \
	[ -n "$(find "$T/one.md" -perm -0044)" ]
expect "report --quiet -o FILE exits 0" 0 "$FLOPGATE" report --db "$DB" \
	--run atlas-2 -o "$T/one.md" --quiet
assert "--quiet writes nothing on stderr" [ ! -s "$T/err" ]
expect "report -o /dev/null (not a regular file) exits 0" 0 "$FLOPGATE" \
	report --db "$DB" --run atlas-2 -o /dev/null
assert "... and writes no chart beside it" [ ! -e /dev/null.svg ]
expect "-o - writes to stdout" 0 "$FLOPGATE" report --db "$DB" \
	--run atlas-2 -o -
assert "-o - gives the same report" cmp -s "$T/out" "$T/atlas.md"
expect "-o FILE in a missing directory exits 2" 2 "$FLOPGATE" report \
	--db "$DB" --run atlas-2 -o "$T/nowhere/x.md"
assert "the message names the directory" grep -q "nowhere" "$T/err"

# --- the auditor summary ---------------------------------------------------------
runs=$(sqlite3 "$DB" "SELECT count(DISTINCT run_id) FROM runs")
expect "report with neither --run nor --all renders the summary" 0 \
	"$FLOPGATE" report --db "$DB"
cp "$T/out" "$T/summary.md"
expect "report --all exits 0" 0 "$FLOPGATE" report --db "$DB" --all
assert "--all is the default" cmp -s "$T/out" "$T/summary.md"
html "$T/summary.md" >"$T/summary.html"
assert "the summary has one title" \
	grep -q '^<h1>Compliance summary</h1>$' "$T/summary.html"
assert "the summary counts the $runs recorded runs" \
	grep -q "^\*\*$runs runs\*\*" "$T/summary.md"
assert "every runs-table row has its nine cells (no | breaks a row)" \
	sh -c 'c=${1%/*} r=${1#*/}; [ "$r" -gt 1 ] && [ "$c" -eq $((9 * r)) ]' \
	sh "$(section_cells "$T/summary.html" Runs)"
checkpoint_of "$T/summary.md" >"$T/summary.cp"
assert "the summary's checkpoint is the one audit verify writes" \
	cmp -s "$T/summary.cp" "$T/cp"

expect "the summary of an empty database exits 0" 0 "$FLOPGATE" report \
	--db "$T/empty.db" --all
assert "it counts no runs" grep -q '^\*\*0 runs\*\*' "$T/out"
assert "its checkpoint is of an empty log" \
	[ "$(checkpoint_of "$T/out" | sed -n 2p)" = 0 ]

# --- -o DIR --all ---------------------------------------------------------------------
mkdir "$T/sandbox"
R=$T/sandbox/reports
expect "report --all -o DIR/ exits 0" 0 "$FLOPGATE" report --db "$DB" \
	--all -o "$R/"
assert "-o DIR/ writes index.md" [ -f "$R/index.md" ]
assert "-o DIR/ writes one report per run, plus index.md" \
	[ "$(ls "$R" | grep -c '\.md$')" -eq $((runs + 1)) ]
charts=$(ls "$R" | grep -c '\.svg$')
assert "... and one chart per run, plus index.svg" \
	[ "$charts" -eq $((runs + 1)) ]
assert "one 'wrote' line per file, index.md last" \
	[ "$(grep -c '^wrote ' "$T/err")" -eq $((runs + 1 + charts)) ] &&
	[ "$(tail -n 1 "$T/err")" = "wrote $R/index.md" ]
assert "every file name is safe" \
	sh -c '! ls "$1" | grep -Eqv "^[A-Za-z0-9_-][A-Za-z0-9._-]*\.(md|svg)$"' \
	sh "$R"
assert "no temporary file remains" \
	[ -z "$(find "$T/sandbox" -name '.*' -type f)" ]
assert "nothing was written outside DIR (../ in a run id)" \
	[ "$(find "$T/sandbox" -type f | wc -l)" -eq $((runs + 1 + charts)) ] &&
	[ -z "$(find "$T" -name '*passwd*' ! -path "$R/*")" ]
nochart "$R/index.md" >"$T/index.nochart.md"
assert "index.md is the summary, with its chart linked" \
	cmp -s "$T/index.nochart.md" "$T/summary.md" &&
	grep -q '](index.svg)$' "$R/index.md"
nochart "$R/atlas-2.md" >"$T/atlas-2.nochart.md"
assert "the per-run file is that run's report, with its chart linked" \
	cmp -s "$T/atlas-2.nochart.md" "$T/atlas.md" &&
	grep -q '](atlas-2.svg)$' "$R/atlas-2.md"
for svg in "$R"/*.svg; do
	md=${svg%.svg}.md
	assert "${svg##*/} is XML, beside its report" python3 -c \
		'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
		"$svg"
	[ "${svg##*/}" = index.svg ] || assert "... which links it" \
		grep -qF "](${svg##*/})" "$md"
done
html "$R/index.md" | grep -o 'href="[^"]*"' | sed 's/^href="//; s/"$//' |
	sort -u >"$T/links"
assert "index.md links to every run's file" \
	[ "$(grep -c '\.md$' "$T/links")" -eq "$runs" ]
missing=
while read -r link; do
	[ -f "$R/$link" ] || missing="$missing $link"
done <"$T/links"
assert "every link of index.md points to a file in DIR" [ -z "$missing" ]

hostile_file=$(grep -l "^# Compliance report: " "$R"/*.md |
	xargs grep -l "rm -rf" | head -n 1)
assert "the hostile run has its own report in DIR" [ -n "$hostile_file" ]
assert "its name keeps no path or shell characters" \
	sh -c 'case "${1##*/}" in *[!A-Za-z0-9._-]*) exit 1;; esac' sh \
	"$hostile_file"
html "$hostile_file" >"$T/hostile.html"
hostile_findings=$(jq '.runs[0].findings | length' \
	tests/fixtures/results/hostile.json)
assert "the hostile run's rules table is intact" \
	[ "$(section_rows "$T/hostile.html" "All rules evaluated")" = \
	  $((hostile_findings + 1)) ]
assert "the hostile run's report has one title and nine sections" \
	[ "$(grep -c '^<h1>' "$T/hostile.html")" = 1 ] &&
	[ "$(grep -c '^<h2>' "$T/hostile.html")" = 9 ]
assert "no raw HTML from the run id reaches the page" \
	sh -c '! grep -q "raw HTML omitted\|<script" "$1"' sh "$T/hostile.html"

expect "report --all -o DIR into an existing directory exits 0" 0 \
	"$FLOPGATE" report --db "$DB" --all -o "$R" --quiet
assert "it replaces the files in place" \
	[ "$(ls "$R" | wc -l)" -eq $((runs + 1 + charts)) ]

expect "report --run ID -o DIR exits 0" 0 "$FLOPGATE" report --db "$DB" \
	--run "$HOSTILE" -o "$T/one-dir/"
hostile_chart=${hostile_file##*/}
hostile_chart=${hostile_chart%.md}.svg
assert "--run -o DIR writes the run's safe file name, and its chart" \
	[ "$(ls "$T/one-dir" | sort | tr '\n' ' ')" = \
	  "${hostile_file##*/} $hostile_chart " ]
assert "--run -o DIR writes the same report as --all" \
	cmp -s "$T/one-dir/${hostile_file##*/}" "$hostile_file"

# A run whose id is "index" would have the summary's file name: the name
# is reserved, so the run gets the hashed name and index.md stays the
# summary.
index_file="index-$(printf index | sha256sum | cut -c1-16).md"
expect "--all -o DIR writes a run called index" 0 \
	"$FLOPGATE" report --db "$T/index.db" --all -o "$T/idx/"
assert "the run's report is not index.md" \
	grep -q "^# Compliance report: index" "$T/idx/$index_file"
assert "index.md is the summary" \
	grep -q "^# Compliance summary" "$T/idx/index.md"
assert "the summary links the run's hashed file" \
	grep -qF "]($index_file)" "$T/idx/index.md"
expect "--run index -o DIR renders it alone" 0 "$FLOPGATE" report \
	--db "$T/index.db" --run index -o "$T/idx-one/"
assert "under the same hashed name" \
	[ "$(ls "$T/idx-one" | grep '\.md$')" = "$index_file" ]

# A write that fails part-way leaves neither the report nor a temporary
# file: the file size limit makes write() fail with EFBIG.
mkdir "$T/full" "$T/full0"
"$FLOPGATE" report --db "$DB" --all -q -o "$T/full0/"
run sh -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' sh "$FLOPGATE" report \
	--db "$DB" --all -o "$T/full/"
assert "a failed write exits 2" [ "$RC" -eq 2 ]
assert "a failed write leaves nothing in DIR" [ -z "$(ls -A "$T/full")" ]
# A directory that is not there yet is staged beside it and appears whole
# by one rename: a failed report leaves neither it nor its stage behind.
mkdir "$T/parent"
run sh -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' sh "$FLOPGATE" report \
	--db "$DB" --all -o "$T/parent/new/"
assert "a failed write into a new DIR exits 2" [ "$RC" -eq 2 ]
assert "and leaves no DIR and no stage behind" \
	[ -z "$(ls -A "$T/parent")" ]
run sh -c 'umask 027; exec "$@"' sh "$FLOPGATE" report --db "$DB" --all \
	-o "$T/parent/new/"
assert "a report into a new DIR exits 0" [ "$RC" -eq 0 ]
assert "its files are all there, and nothing else beside it" \
	[ "$(ls "$T/parent/new" | wc -l)" -eq "$(ls "$T/full0" | wc -l)" ] &&
	[ "$(ls -A "$T/parent")" = new ]
assert "the new DIR has the mode mkdir would give it (umask 027)" \
	[ "$(stat -c %a "$T/parent/new")" = 750 ]
assert "each file it wrote is listed" \
	[ "$(grep -c "^wrote $T/parent/new/" "$T/err")" -eq \
	  "$(ls "$T/parent/new" | wc -l)" ]
assert "the same files as into an existing directory" \
	diff -r "$T/full0" "$T/parent/new"
echo "not a directory" >"$T/parent/file"
run "$FLOPGATE" report --db "$DB" --all -o "$T/parent/file/"
assert "DIR that is a file is refused (exit 2), named" \
	[ "$RC" -eq 2 ] && grep -q "parent/file/: cannot create the directory" \
	"$T/err"
assert "and kept as it was, nothing staged beside it" \
	[ "$(cat "$T/parent/file")" = "not a directory" ] &&
	[ "$(ls -A "$T/parent" | tr '\n' ' ')" = "file new " ]
echo "old report" >"$T/keep.md"
run sh -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' sh "$FLOPGATE" report \
	--db "$DB" --run atlas-2 -o "$T/keep.md"
assert "a failed write keeps the previous file as it was" \
	[ "$RC" -eq 2 ] && [ "$(cat "$T/keep.md")" = "old report" ]
assert "a failed write leaves no temporary file" \
	[ -z "$(find "$T" -maxdepth 1 -name '.flopgate-report-*')" ]

# --- a tampered database -------------------------------------------------------
cp "$DB" "$T/edited.db"
sqlite3 "$T/edited.db" "DROP TRIGGER findings_no_update;
	UPDATE findings SET outcome = 'clear'
	WHERE evaluation_id = 1 AND position = 1;"
expect "a report from an edited database exits 3" 3 "$FLOPGATE" report \
	--db "$T/edited.db" --run atlas-2 -o "$T/edited.md"
assert "the report is still written" [ -s "$T/edited.md" ]
assert "the report opens with the loud warning" \
	[ "$(sed -n 3p "$T/edited.md")" = "> [!WARNING]" ] &&
	grep -q "audit verify FAILED at render time" "$T/edited.md"
assert "the warning names the entry that does not verify" \
	grep -q "audit entry 1" "$T/edited.md"
assert "the report does not claim that verify passed" \
	sh -c '! grep -q "verify \*\*passed\*\*" "$1"' sh "$T/edited.md"
assert "stderr says verify failed" grep -q "audit verify FAILED" "$T/err"
expect "the summary of an edited database exits 3" 3 "$FLOPGATE" report \
	--db "$T/edited.db" --all -o "$T/edited-dir/" --quiet
assert "index.md carries the warning" \
	grep -q "audit verify FAILED at render time" "$T/edited-dir/index.md"
assert "every run's report carries the warning" \
	[ "$(grep -l "audit verify FAILED" "$T/edited-dir"/*.md | wc -l)" \
	  -eq $((runs + 1)) ]
run sh -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' sh "$FLOPGATE" report \
	--db "$T/edited.db" --run atlas-2 -o "$T/edited-full.md"
assert "a failed verify still exits 3 when the write fails too" \
	[ "$RC" -eq 3 ] && [ ! -e "$T/edited-full.md" ]

cp "$DB" "$T/doc.db"
sqlite3 "$T/doc.db" "DROP TRIGGER runs_no_update;
	UPDATE runs SET document = replace(document, 'Atlas 2', 'Atlas 3')
	WHERE evaluation_id = 1;"
expect "an edited run document exits 3" 3 "$FLOPGATE" report \
	--db "$T/doc.db" --run atlas-2 -o "$T/doc.md"
assert "the message says the document does not match its hash" \
	grep -q "does not match" "$T/err"
assert "no report is rendered from an edited document" [ ! -e "$T/doc.md" ]

# --- through check, once it records ------------------------------------------------
if [ -d examples/runs ]; then
	"$FLOPGATE" check --db "$T/check.db" examples/runs/*.yaml \
		>/dev/null 2>&1
fi
if [ -s "$T/check.db" ] &&
	"$FLOPGATE" audit verify --db "$T/check.db" >"$T/v" 2>/dev/null &&
	! grep -q "^ok: 0 entries" "$T/v"; then
	checked=$(sqlite3 "$T/check.db" \
		"SELECT count(DISTINCT run_id) FROM runs")
	expect "report --all -o DIR from check's database exits 0" 0 \
		"$FLOPGATE" report --db "$T/check.db" --all -o "$T/checked/"
	assert "one report per checked run, plus index.md" \
		[ "$(ls "$T/checked" | grep -c '\.md$')" -eq $((checked + 1)) ]
	run "$FLOPGATE" audit verify --db "$T/check.db" \
		--write-checkpoint "$T/check.cp"
	checkpoint_of "$T/checked/index.md" >"$T/checked.cp"
	assert "check's reports end with the current checkpoint" \
		cmp -s "$T/checked.cp" "$T/check.cp"
else
	ok "skipped: check does not record yet"
fi
