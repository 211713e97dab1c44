#!/bin/sh
# Shared helpers for CLI tests: source this from tests/cli/test_*.sh.
# Each test prints "ok - NAME" or "not ok - NAME" (counted by run.sh).
# $FLOPGATE is the binary under test; $FG_ROOT the repository root.
: "${FLOPGATE:?}" "${FG_ROOT:?}"
cd "$FG_ROOT" || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export FLOPGATE_DB="$T/default.db"

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# run CMD...: runs, capturing $T/out, $T/err and $RC
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# expect NAME CODE CMD...: the command exits with CODE
expect() {
	name=$1 code=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$code" ]; then
		ok "$name"
	else
		notok "$name" "expected exit $code, got $RC: $*" \
			"stderr: $(head -c 600 "$T/err")"
	fi
}

# assert NAME TEST...: a shell test (`[ ... ]` or grep) on the last outputs
assert() {
	name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi
}
