#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Adds up the summaries of the suite's passes; prints Check-style totals
# and fails when anything failed or a pass did not run.
passed=0 failed=0
for s in "$@"; do
	if [ ! -f "$s" ]; then
		echo "missing summary $s (a pass did not complete)"
		failed=$((failed + 1))
		continue
	fi
	read -r p f <"$s"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
