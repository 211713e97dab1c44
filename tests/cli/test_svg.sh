#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 12, item 2: the chart of a run's compute against the lines
# (src/render_svg.c).  Each case of tests/check_svg.c is drawn twice, in
# two processes: the same bytes; then tests/cli/svg_check.py reads it back
# as XML and checks its marks (every line and range where the axis puts
# its value, labelled with value, unit and outcome; title and desc).
. tests/cli/lib.sh

EMIT=${FG_BUILD:-$FG_ROOT/build}/tests/check_svg
if [ ! -x "$EMIT" ]; then
	notok "the chart's test program is built" "no $EMIT (make unit-tests)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	ok "skipped: no python3 to read the charts back"
	exit 0
fi

for c in wide below at-line point escape no-lines summary summary-empty; do
	"$EMIT" --emit "$c" >"$T/$c.1.svg" 2>"$T/err"
	rc1=$?
	"$EMIT" --emit "$c" >"$T/$c.2.svg" 2>>"$T/err"
	rc2=$?
	if [ "$rc1$rc2" != 00 ]; then
		notok "$c: drawn" "exit $rc1 and $rc2" "$(head -c 400 "$T/err")"
		continue
	fi
	assert "$c: the same bytes from two processes" \
		cmp -s "$T/$c.1.svg" "$T/$c.2.svg"
	assert "$c: nothing on stderr" [ ! -s "$T/err" ]
	python3 tests/cli/svg_check.py "$c" "$T/$c.1.svg"
done
