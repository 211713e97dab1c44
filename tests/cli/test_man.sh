#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, item 4: the man pages lint clean (mandoc -T lint, style
# messages included) and document everything there is: every command and
# option that `--help` lists in flopgate(1); every key the run-file
# loader accepts, every name it knows and every attribute the shipped
# rulesets declare in flopgate-run(5); every key and name of the ruleset
# language in flopgate-rules(5).  The lists come from the code, the
# binary and the rulesets, never from a copy here, so a new key without
# its documentation fails.
. tests/cli/lib.sh

pages="man/flopgate.1 man/flopgate-run.5 man/flopgate-rules.5"

if ! command -v mandoc >/dev/null 2>&1; then
	notok "mandoc lints the man pages" \
		"mandoc is not installed (Debian package mandoc; sh .ci/deps)"
else
	for p in $pages; do
		# Cross-references are checked below, against man/: the
		# pages are not installed where mandoc would look for them.
		mandoc -T lint -W style "$p" 2>&1 |
			grep -v -e 'referenced manual not found' \
				-e 'mandoc\.db' >"$T/lint"
		if [ -s "$T/lint" ]; then
			notok "mandoc -T lint: $p" "$(head -20 "$T/lint")"
		else
			ok "mandoc -T lint: $p"
		fi
	done
fi

missing=""
for p in $pages; do
	for x in $(sed -n 's/^\.Xr \(flopgate[a-z-]*\) \([0-9]\).*/\1.\2/p' "$p"); do
		[ -f "man/$x" ] || missing="$missing $p->$x"
	done
done
assert "every flopgate page a page refers to exists" [ -z "$missing" ]

# marked PAGE MACRO: every word PAGE marks up with MACRO, one a line: the
# words after ".MACRO" or " MACRO" up to the next macro ("Cm text , code
# , audio" marks all three; "Ic id Vt string" marks id)
marked() {
	awk -v m="$2" '{
		n = split($0, w, " ")
		on = 0
		for (i = 1; i <= n; i++) {
			if (w[i] == m || w[i] == "." m) { on = 1; continue }
			if (w[i] ~ /^\.?[A-Z][a-z][a-z]?$/) { on = 0; continue }
			if (on && w[i] !~ /^[][,.:;()|]$/) print w[i]
		}
	}' "$1" | sort -u
}

# undocumented PAGE MACRO WORD...: the words that PAGE does not mark up
# with MACRO
undocumented() {
	marked "$1" "$2" >"$T/marked"
	shift 2
	for w in "$@"; do
		grep -q -x -F -e "$w" "$T/marked" || printf ' %s' "$w"
	done
}

# keys FILE...: the strings of the `*keys[] = {...}` arrays of C sources
# (what fg_node_check_keys and fg_ld_check_keys accept)
keys() {
	awk '/static const char \*const [a-z_]*keys\[\] = \{/ ||
	     /static const char \*const top\[\] = \{/ { on = 1 }
	     on {
		s = $0
		while (match(s, /"[^"]*"/)) {
			print substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
	     }
	     on && /\};/ { on = 0 }' "$@" | sort -u
}

# names FILE ARRAY: the strings of the array ARRAY[] in FILE
names() {
	awk -v name="$2" '
	     index($0, " " name "[") && /= \{/ { on = 1 }
	     on {
		s = $0
		sub(/^[^{]*\{/, "", s)
		while (match(s, /"[^"]*"/)) {
			print substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
	     }
	     on && /\}/ { on = 0 }' "$1" | grep -v '^$'
}

# check NAME PAGE MACRO WORD...
check() {
	name=$1 page=$2 macro=$3
	shift 3
	if [ $# -eq 0 ]; then
		notok "$name" "found nothing to check: has the code moved?"
		return
	fi
	left=$(undocumented "$page" "$macro" "$@")
	if [ -z "$left" ]; then
		ok "$name ($# of them)"
	else
		notok "$name" "not in $page:$left"
	fi
}

# ---- flopgate-run(5) -----------------------------------------------------

# shellcheck disable=SC2046
check "every run-file key the loader accepts is in flopgate-run(5)" \
	man/flopgate-run.5 Ic $(keys src/run.c)
# shellcheck disable=SC2046
check "every phase kind, method and status is in flopgate-run(5)" \
	man/flopgate-run.5 Cm $(names src/run.c kind_names) \
	$(names src/run.c method_names) $(names src/run.c status_names)
# shellcheck disable=SC2046
check "every precision is in flopgate-run(5)" man/flopgate-run.5 Cm \
	$(names src/hardware.c precision_names)

# The attributes the shipped rulesets declare, and their values.
attributes() {
	awk '/^attributes:/ { on = 1; next }
	     /^[a-z]/ { on = 0 }
	     on && /^  [a-z_0-9]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' \
		rules/*.yaml rules/provisional/*.yaml | sort -u
}
attribute_values() {
	awk '/^attributes:/ { on = 1; next }
	     /^[a-z]/ { on = 0; values = 0 }
	     /^  [a-z]/ { values = 0 }
	     on && /^    values:/ { values = 1 }
	     on && /^    [a-z]/ && !/^    values:/ { values = 0 }
	     on && values {
		s = $0
		sub(/^ *values: */, "", s)
		gsub(/[][,]/, " ", s)
		n = split(s, w, " ")
		for (i = 1; i <= n; i++) print w[i]
	     }' rules/*.yaml rules/provisional/*.yaml | sort -u
}
# shellcheck disable=SC2046
check "every attribute the shipped rulesets declare is in flopgate-run(5)" \
	man/flopgate-run.5 Ic $(attributes)
# shellcheck disable=SC2046
check "and every value they declare" man/flopgate-run.5 Cm \
	$(attribute_values)

# ---- flopgate-rules(5) ---------------------------------------------------

# shellcheck disable=SC2046
check "every ruleset key the loader accepts is in flopgate-rules(5)" \
	man/flopgate-rules.5 Ic $(keys src/rules_load.c src/rule_tests_load.c \
	src/vocabulary.c)
# shellcheck disable=SC2046
check "every metric, event, field, severity, type and outcome too" \
	man/flopgate-rules.5 Cm $(names src/rule_names.c fg_metric_names) \
	$(names src/rule_names.c fg_after_names) \
	$(names src/rule_names.c fg_field_names) \
	$(names src/rule_names.c fg_severity_names) \
	$(names src/rule_names.c fg_attr_type_names) \
	$(names src/rule_names.c outcome_names) \
	$(names src/rules_load.c endings)

# ---- flopgate(1) ---------------------------------------------------------

commands=$("$FLOPGATE" --help | awk '/^commands:/ { on = 1; next }
	/^$/ { on = 0 } on { print $1 }')
# shellcheck disable=SC2086
check "every command of flopgate --help is in flopgate(1)" \
	man/flopgate.1 Cm $commands
for c in $commands; do
	"$FLOPGATE" "$c" --help >"$T/help" 2>&1
	# shellcheck disable=SC2046
	check "every option of flopgate $c --help is in flopgate(1)" \
		man/flopgate.1 Fl $(grep -o -E -- '--[a-z][a-z-]*' "$T/help" |
		sed 's/^-//' | sort -u)
done
for v in FLOPGATE_RULES FLOPGATE_HARDWARE FLOPGATE_DB; do
	grep -q "^\.It Ev $v\$" man/flopgate.1
	assert "flopgate(1) documents $v under ENVIRONMENT" [ $? -eq 0 ]
done

# ---- the examples work ----------------------------------------------------

# examples PAGE FIRST-LINE: writes each literal block of PAGE that begins
# with FIRST-LINE to $T/example-N.yaml; prints the files
examples() {
	awk -v first="$2" -v dir="$T" '
	     /^\.Bd -literal/ { on = 1; n++; start = 1; next }
	     /^\.Ed/ { on = 0; next }
	     on && start { keep = ($0 == first); start = 0;
			   if (keep) { f = dir "/example-" n ".yaml"; print f } }
	     on && keep { line = $0; gsub(/\\e/, "\\", line); print line > f }' "$1"
}
files=$(examples man/flopgate-run.5 "run:")
# shellcheck disable=SC2086
expect "the run files of flopgate-run(5) load and estimate" 0 \
	"$FLOPGATE" estimate $files
assert "all $(echo "$files" | wc -w) of them" [ -n "$files" ]
files=$(examples man/flopgate-rules.5 "ruleset:")
# shellcheck disable=SC2086
expect "the ruleset of flopgate-rules(5) lints" 0 "$FLOPGATE" rules lint $files
# shellcheck disable=SC2086
expect "and passes its own tests" 0 "$FLOPGATE" rules test $files
