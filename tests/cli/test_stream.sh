#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 9: a stream of many runs goes through check (recording), audit
# verify and report --all in memory that does not grow with it; bad input
# anywhere in a stream is refused before anything is printed, recorded or
# left behind; progress shows on a terminal and nowhere else.
#
# The streams come from bench/gen-runs.awk.  The plain build checks 20,000
# runs under a virtual-memory limit of 256 MiB, far below what holding
# them would take (2.5 GB for 18,000 runs before issue 9); under
# AddressSanitizer (ASAN_OPTIONS set by `make sanitize`), which reserves
# terabytes of address space and runs several times slower, the stream is
# 2,000 runs and the limit is not set.
. tests/cli/lib.sh

if [ -n "${ASAN_OPTIONS:-}" ]; then
	N=2000 BADN=600 LIMIT=
else
	N=20000 BADN=1500 LIMIT=262144
fi
AS_OF=2026-06-01
awk -v n="$N" -f bench/gen-runs.awk >"$T/runs.yaml"

# limited CMD...: CMD under the memory limit (when there is one)
limited() {
	if [ -n "$LIMIT" ]; then
		(ulimit -v "$LIMIT" && exec "$@")
	else
		"$@"
	fi
}
q() { sqlite3 "$1" "$2"; }

# --- a large stream, in flat memory ----------------------------------------
DB=$T/stream.db
run limited "$FLOPGATE" check --db "$DB" --format json --as-of "$AS_OF" \
	"$T/runs.yaml"
assert "check records a stream of $N runs${LIMIT:+ under a $((LIMIT / 1024)) MiB limit}" \
	[ "$RC" -le 1 ]
[ "$RC" -le 1 ] || echo "# $(head -c 600 "$T/err")"
# (grep, not jq: the document is hundreds of megabytes)
assert "its JSON holds every run" \
	[ "$(grep -c '^    {"id":"bench-' "$T/out")" -eq "$N" ]
assert "... under one evaluation id" grep -q '^  "evaluation_id": 1,$' "$T/out"
if command -v sqlite3 >/dev/null 2>&1; then
	assert "the database holds $N runs in one evaluation" \
		[ "$(q "$DB" 'SELECT count(*), count(DISTINCT evaluation_id)
			FROM runs')" = "$N|1" ]
fi
run limited "$FLOPGATE" audit verify --db "$DB"
assert "audit verify walks it${LIMIT:+ under the limit}" [ "$RC" -eq 0 ]
assert "... one entry" grep -q "^ok: 1 entry" "$T/out"
run limited "$FLOPGATE" report --db "$DB" --all -q -o "$T/reports/"
assert "report --all -o DIR/ renders it${LIMIT:+ under the limit}" \
	[ "$RC" -eq 0 ]
assert "... one report a run, and index.md" \
	[ "$(ls "$T/reports" | grep -c '\.md$')" -eq $((N + 1)) ]
assert "... one chart a run, and index.svg" \
	[ "$(ls "$T/reports" | grep -c '\.svg$')" -eq $((N + 1)) ]
assert "... the summary chart draws the first runs only, and says so" \
	grep -q "the first 100 of $N runs with" "$T/reports/index.md"
assert "... the summary counts every run" \
	grep -q "^\*\*$N runs\*\*" "$T/reports/index.md"
rm -rf "$T/reports"

# --- bad input at the start, in the middle, at the end -------------------------
awk -v n="$BADN" -f bench/gen-runs.awk >"$T/good.yaml"
BAD=$T/bad.db
"$FLOPGATE" check --db "$BAD" --as-of "$AS_OF" \
	examples/runs/gpt-3.yaml >/dev/null
"$FLOPGATE" audit log --db "$BAD" >"$T/log-before"
# bad WHERE HOW FILE: FILE is the good stream with run WHERE (first, middle
# or last) spoiled HOW (a typo in a jurisdiction code, an id used before,
# YAML that does not parse)
bad() {
	awk -v where="$1" -v how="$2" -v n="$BADN" '
		/^---$/ { doc++ }
		{ line = $0 }
		doc == where && how == "code" && /^  jurisdictions:/ {
			line = "  jurisdictions: [EU, XX]" }
		doc == where && how == "dup" && /^  id: / {
			line = "  id: bench-00000" }
		doc == where && how == "syntax" && /^  status:/ {
			line = "  status: [planned" }
		{ print line }' "$T/good.yaml" >"$3"
}
# sarif_error NAME FILE: FILE is a SARIF log of a failed invocation whose
# first notification is an error located in NAME.yaml, at a line
sarif_error() {
	jq -e --arg f "$1.yaml" '.version == "2.1.0" and
		(.runs[0].invocations[0] | .executionSuccessful == false and
		 .exitCode == 2 and (.toolExecutionNotifications[0] |
		 .level == "error" and (.locations[0].physicalLocation |
		 (.artifactLocation.uri | endswith($f)) and
		 .region.startLine > 0)))' "$2" >/dev/null
}
for case in "0 code start" "$((BADN / 2)) dup middle" \
	"$((BADN - 1)) syntax end"; do
	set -- $case
	where=$1 how=$2 name=$3
	bad "$where" "$how" "$T/$name.yaml"
	rm -f "$T/junit.xml" "$T/sarif.json"
	expect "a bad run at the $name of a stream exits 2" 2 "$FLOPGATE" \
		check --db "$BAD" --as-of "$AS_OF" --format json \
		-o junit="$T/junit.xml" -o sarif="$T/sarif.json" \
		"$T/$name.yaml"
	assert "... stdout is empty" [ ! -s "$T/out" ]
	# standard output written in place (a file at its end) is cut back
	# to what it held; a pipe and a file positioned before its end
	# (1<>) are spooled: neither ever sees a byte
	printf 'kept\n' >"$T/held"
	cp "$T/held" "$T/appended"
	"$FLOPGATE" check --no-record --as-of "$AS_OF" --format json \
		"$T/$name.yaml" >>"$T/appended" 2>/dev/null
	assert "... a file stdout appends to keeps what it held, no more" \
		cmp -s "$T/held" "$T/appended"
	printf 'kept, and kept\n' >"$T/held"
	cp "$T/held" "$T/overwritten"
	"$FLOPGATE" check --no-record --as-of "$AS_OF" --format json \
		"$T/$name.yaml" 1<>"$T/overwritten" 2>/dev/null
	assert "... a file opened before its end is not written over" \
		cmp -s "$T/held" "$T/overwritten"
	assert "... a pipe reads nothing" [ "$("$FLOPGATE" check --no-record \
		--as-of "$AS_OF" --format json "$T/$name.yaml" 2>/dev/null |
		wc -c)" -eq 0 ]
	assert "... the error names the file and a line" \
		grep -q "$name.yaml:[0-9][0-9]*:[0-9][0-9]*: " "$T/err"
	"$FLOPGATE" audit log --db "$BAD" >"$T/log-after"
	assert "... nothing is recorded" cmp -s "$T/log-before" "$T/log-after"
	assert "... no JUnit file is left behind" [ ! -e "$T/junit.xml" ]
	assert "... nor a temporary file" \
		[ -z "$(find "$T" -maxdepth 1 -name '.flopgate-*')" ]
	assert "... the SARIF file is a log of the error, at its place" \
		sarif_error "$name" "$T/sarif.json"
	# and from standard input, where nothing can be read twice
	run sh -c 'exec "$1" check --db "$2" --as-of "$3" - <"$4"' sh \
		"$FLOPGATE" "$BAD" "$AS_OF" "$T/$name.yaml"
	assert "... from standard input too: exit 2" [ "$RC" -eq 2 ]
	assert "... stdout empty" [ ! -s "$T/out" ]
	assert "... naming <stdin>" grep -q "^flopgate: <stdin>:" "$T/err"
	"$FLOPGATE" audit log --db "$BAD" >"$T/log-after"
	assert "... and recording nothing" cmp -s "$T/log-before" \
		"$T/log-after"
done
expect "the good stream records" 1 "$FLOPGATE" check --db "$BAD" \
	--as-of "$AS_OF" --format json -o junit="$T/junit.xml" "$T/good.yaml"
assert "... and writes its JUnit file" [ -s "$T/junit.xml" ]
"$FLOPGATE" check --no-record --as-of "$AS_OF" --format json \
	"$T/good.yaml" | cat >"$T/piped"
printf 'kept\n' >"$T/appended"
"$FLOPGATE" check --no-record --as-of "$AS_OF" --format json \
	"$T/good.yaml" >>"$T/appended"
assert "... appended to a file, after what it held, as a pipe gets it" \
	sh -c '[ "$(head -n 1 "$1")" = kept ] &&
	       tail -n +2 "$1" | cmp -s - "$2"' - "$T/appended" "$T/piped"

# --- progress: on a terminal, and only there ---------------------------------------
if command -v script >/dev/null 2>&1; then
	# FLOPGATE_PROGRESS_AFTER_MS=0: progress from the first run, so the
	# test does not depend on how fast the machine is (nor on whether the
	# stream outlasts a redraw: the first line may be the only one)
	FLOPGATE_PROGRESS_AFTER_MS=0 script -qec "'$FLOPGATE' check \
		--no-record --as-of $AS_OF '$T/good.yaml' >/dev/null" \
		/dev/null >"$T/tty" 2>&1
	assert "progress shows on a terminal: runs, runs per second" \
		grep -Eq "flopgate: [0-9]+ runs?, [0-9]+ runs/s" \
		"$T/tty"
	assert "... and the time left, the input's size being known" \
		grep -q "left" "$T/tty"
	FLOPGATE_PROGRESS_AFTER_MS=0 "$FLOPGATE" check --no-record \
		--as-of "$AS_OF" "$T/good.yaml" >/dev/null 2>"$T/piped"
	assert "nothing of it goes into a pipe or a file" [ ! -s "$T/piped" ]
else
	ok "skipped: script (util-linux) is not installed"
fi
