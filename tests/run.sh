#!/bin/sh
# Runs the whole suite once: every Check unit-test binary in BUILD/tests,
# then every CLI test script tests/cli/test_*.sh against BIN.
# Writes "PASSED FAILED" to SUMMARY and prints Check's lines and ours.
# usage: tests/run.sh BUILD BIN SUMMARY
build=$1 bin=$2 summary=$3
root=$(pwd)
passed=0 failed=0
log=$(mktemp)

for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o) continue ;; esac
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	# Check prints "NN%: Checks: N, Failures: F, Errors: E" per suite.
	line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
	fi
	if [ $rc -ne 0 ] && { [ -z "$line" ] || [ "$f$e" = "00" ]; }; then
		echo "FAIL: $t exited $rc"
		failed=$((failed + 1))
	fi
done

for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	FLOPGATE="$root/$bin" FG_ROOT="$root" sh "$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited $rc"
		failed=$((failed + 1))
	fi
done
rm -f "$log"
mkdir -p "$(dirname "$summary")"
echo "$passed $failed" >"$summary"
echo "$build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
