#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the whole suite once: every Check unit-test binary in BUILD/tests,
# then every CLI test script tests/cli/test_*.sh against BIN.
#
# Prints one line per suite, in that order, with its counts:
#
#   ok    check_yaml                 57 passed                     0s
#   FAIL  test_check.sh             118 passed,    1 failed       4s
#         not ok - check exits 1 on a triggered run
#         #   expected exit 1, got 0: ...
#
# and under a failing suite its failing checks in full (Check's
# "FILE:LINE:F:..." lines; a script's "not ok" lines with the "#" lines
# that follow them; for a suite that died without saying why, the end of
# its output).  The whole output of every suite goes to BUILD/test.log.
# Writes "PASSED FAILED" to SUMMARY and ends with "BUILD: N passed, M
# failed".
#
# Suites run FG_TEST_JOBS at a time (default 2): each has its own
# temporary directory and database, so none sees another's files; the
# lines still come out in the order above.  FG_TEST_JOBS=1 runs them one
# after the other.
#
# Check's 4-second limit a test is a guard against a hang, not a speed
# test: on a loaded machine an ASan build of a long test outgrows it, so
# it is multiplied by CK_TIMEOUT_MULTIPLIER, 10 unless set.
#
# CLI scripts get FLOPGATE (the binary), FG_ROOT (the repository) and
# FG_BUILD (BUILD, absolute: where the unit-test binaries are).
#
# usage: tests/run.sh BUILD BIN SUMMARY
build=$1 bin=$2 summary=$3
root=$(pwd)
jobs=${FG_TEST_JOBS:-2}
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
export CK_TIMEOUT_MULTIPLIER
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
log=$build/test.log
work=$(mktemp -d)
workers=""
trap 'for w in $workers; do kill "$w" 2>/dev/null; done; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The suites, one "KIND PATH" a line, in the order they are reported.
n=0
for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o) continue ;; esac
	echo "unit $t" >>"$work/list"
	n=$((n + 1))
done
for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	echo "cli $t" >>"$work/list"
	n=$((n + 1))
done

# run_suite I KIND PATH: output to $work/I.out; "RC SECONDS" to $work/I.rc
# once it is done (renamed into place, so a reader never sees half of it).
run_suite() {
	start=$(date +%s)
	if [ "$2" = unit ]; then
		"$3" >"$work/$1.out" 2>&1
	else
		FLOPGATE="$root/$bin" FG_ROOT="$root" FG_BUILD="$root/$build" \
			sh "$3" >"$work/$1.out" 2>&1
	fi
	echo "$? $(($(date +%s) - start))" >"$work/$1.tmp"
	mv "$work/$1.tmp" "$work/$1.rc"
}

# A worker takes the next suite nobody has taken (mkdir is atomic) until
# none is left.
worker() {
	i=0
	while read -r kind path; do
		if mkdir "$work/$i.taken" 2>/dev/null; then
			run_suite "$i" "$kind" "$path"
		fi
		i=$((i + 1))
	done <"$work/list"
}

[ -f "$work/list" ] || : >"$work/list"
k=0
while [ "$k" -lt "$jobs" ]; do
	worker &
	workers="$workers $!"
	k=$((k + 1))
done

# 1 while some worker is still running.
working() {
	for w in $workers; do
		kill -0 "$w" 2>/dev/null && return 0
	done
	return 1
}

# What a failing suite prints under its line.
failures() { # KIND OUTPUT
	if [ "$1" = unit ]; then
		# FILE:LINE:F|E:TCASE:TEST:ITERATION: MESSAGE
		grep -aE '^[^:]+:[0-9]+:[FE]:' "$2"
	else
		LC_ALL=C awk '/^not ok /{ show = 1; print; next }
		     show && /^#/{ print; next }
		     { show = 0 }' "$2"
	fi
	# what the sanitizers found (their stacks are in the log)
	grep -aE 'runtime error:|ERROR: [A-Za-z]+Sanitizer|^SUMMARY: [A-Za-z]+Sanitizer' \
		"$2" | head -n 10
}

mkdir -p "$build" "$(dirname "$summary")"
: >"$log"
echo "$build: $n suites, $jobs at a time"
passed=0 failed=0 i=0
while read -r kind path; do
	while [ ! -f "$work/$i.rc" ]; do
		if ! working && [ ! -f "$work/$i.rc" ]; then
			echo "(the suite did not run)" >>"$work/$i.out"
			echo "127 0" >"$work/$i.rc"
			break
		fi
		sleep 0.1
	done
	read -r rc secs <"$work/$i.rc"
	out=$work/$i.out
	[ -f "$out" ] || : >"$out"
	{
		echo "==== $kind $path (exit $rc, ${secs}s)"
		cat "$out"
	} >>"$log"
	p=0 f=0
	if [ "$kind" = unit ]; then
		# Check prints "NN%: Checks: N, Failures: F, Errors: E".
		line=$(grep -aE '^[0-9]+%: Checks: [0-9]+' "$out" | tail -n 1)
		if [ -n "$line" ]; then
			c=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
			fl=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
			e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
			p=$((c - fl - e)) f=$((fl + e))
		fi
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	else
		p=$(grep -ac '^ok ' "$out")
		f=$(grep -ac '^not ok ' "$out")
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	name=$(basename "$path")
	if [ "$f" -eq 0 ]; then
		printf 'ok    %-24s %4d passed %16s %4ss\n' "$name" "$p" "" "$secs"
	else
		printf 'FAIL  %-24s %4d passed, %4d failed %4ss\n' "$name" "$p" \
			"$f" "$secs"
		failures "$kind" "$out" >"$work/fail"
		if [ ! -s "$work/fail" ]; then
			echo "$path exited $rc; the end of its output:" \
				>"$work/fail"
			tail -n 15 "$out" >>"$work/fail"
		fi
		sed 's/^/      /' "$work/fail"
	fi
	i=$((i + 1))
done <"$work/list"

echo "$passed $failed" >"$summary"
echo "$build: $passed passed, $failed failed (full output: $log)"
[ "$failed" -eq 0 ]
