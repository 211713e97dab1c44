#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Shared helpers for CLI tests: source this from tests/cli/test_*.sh.
# Each test prints "ok - NAME" or "not ok - NAME" (counted by run.sh),
# a failure followed by "#   " lines that say why.
# $FLOPGATE is the binary under test; $FG_ROOT the repository root.
#
# POSIX sh has no local variables: the helpers keep theirs under a
# "_lib_" prefix so that they never overwrite a script's own ($name in a
# loop would otherwise grow "rules lint rules lint ..." with each call).
: "${FLOPGATE:?}" "${FG_ROOT:?}"
cd "$FG_ROOT" || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export FLOPGATE_DB="$T/default.db"

ok() { echo "ok - $1"; }
notok() {
	echo "not ok - $1"
	shift
	for _lib_line in "$@"; do echo "#   $_lib_line"; done
}

# run CMD...: runs, capturing $T/out, $T/err and $RC
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# expect NAME CODE CMD...: the command exits with CODE
expect() {
	_lib_name=$1 _lib_code=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$_lib_code" ]; then
		ok "$_lib_name"
	else
		notok "$_lib_name" "expected exit $_lib_code, got $RC: $*" \
			"stderr: $(head -c 600 "$T/err")"
	fi
}

# assert NAME TEST...: a shell test (`[ ... ]` or grep) on the last outputs
assert() {
	_lib_name=$1
	shift
	if "$@"; then ok "$_lib_name"; else notok "$_lib_name" "failed: $*"; fi
}

# stored_document DB WHERE: the JSON text of the one run document that
# WHERE (on runs) selects, read as an auditor would without flopgate: the
# sqlite3 shell writes its LZ4 frame out, the lz4 tool unpacks it.
stored_document() {
	rm -f "$T/stored.lz4"
	sqlite3 "$1" "SELECT writefile('$T/stored.lz4', document_lz4) FROM
		runs WHERE $2" >/dev/null &&
		lz4 -d -c "$T/stored.lz4" 2>/dev/null
}
