#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The bad-input corpus: every file in tests/fixtures/bad/ (and two large
# files made here) must be refused by `estimate` and `check --no-record` with
# exit 2, nothing on stdout, and "FILE:LINE:COL: " on stderr, FILE as
# given.  A file's first line "# expect: LINE:COL" is the location the
# error must name; "# expect: any" only asks for some location.
. tests/cli/lib.sh

BAD=tests/fixtures/bad

# Files that cannot hold a comment, and where their error must point.
expected_of() {
	case $1 in
	*/empty.yaml) echo 1:1 ;;
	*) sed -n '1s/^# expect: \([0-9][0-9]*:[0-9][0-9]*\|any\)$/\1/p' "$1" ;;
	esac
}

# A 50 MB stream of one run written over and over, never committed
# (doubling a document keeps this quick): streams are read a document at
# a time, so the second copy's id is refused where it is, without the
# rest being read.  And one document over the 16 MiB limit for a document,
# refused where it starts.
make_big() {
	cat >"$T/big.yaml" <<'EOF'
---
run:
  id: bulk
  status: planned
  jurisdictions: [EU]
  phases:
    - name: pre-training
      kind: pretraining
      estimates:
        - {method: architecture, parameters: 70e9, tokens: 15e12}
EOF
	while [ "$(wc -c <"$T/big.yaml")" -lt 52428800 ]; do
		cat "$T/big.yaml" "$T/big.yaml" >"$T/big2.yaml"
		mv "$T/big2.yaml" "$T/big.yaml"
	done
	{ printf 'run:\n  id: huge\n  model: "'
	  head -c 17000000 /dev/zero | tr '\0' x
	  printf '"\n  jurisdictions: [EU]\n'; } >"$T/huge.yaml"
}

# refuses NAME FILE EXPECTED CMD...: exit 2, empty stdout, located error
refuses() {
	name=$1 file=$2 want=$3
	shift 3
	run "$@" "$file"
	if [ "$RC" -ne 2 ]; then
		notok "$name: exit 2" "got $RC" "stderr: $(head -c 400 "$T/err")"
		return
	fi
	if [ -s "$T/out" ]; then
		notok "$name: nothing on stdout" "$(head -c 400 "$T/out")"
		return
	fi
	# the path exactly as given, then :LINE:COL:
	got=$(awk -v f="$file" '{
		i = index($0, f ":")
		if (!i) next
		rest = substr($0, i + length(f) + 1)
		if (match(rest, /^[0-9]+:[0-9]+: /)) {
			print substr(rest, 1, RLENGTH - 2); exit
		}
	}' "$T/err")
	if [ -z "$got" ]; then
		notok "$name: FILE:LINE:COL on stderr" \
			"stderr: $(head -c 400 "$T/err")"
		return
	fi
	if [ -n "$want" ] && [ "$want" != any ] && [ "$got" != "$want" ]; then
		notok "$name: error at $want" "got $got" \
			"stderr: $(head -c 400 "$T/err")"
		return
	fi
	ok "$name: exit 2 at $got"
}

# The corpus must be big enough to mean something, and every file must
# say where its error is.
n=0
for f in "$BAD"/*.yaml; do
	n=$((n + 1))
	[ -n "$(expected_of "$f")" ] ||
		notok "corpus: $f has a '# expect: LINE:COL' first line"
done
assert "corpus has at least 25 files ($n)" [ "$n" -ge 25 ]

# A command is tested once it exists: placeholders exit 2 on --help.
available() {
	"$FLOPGATE" "$1" --help >/dev/null 2>&1
}

make_big
for cmd in estimate check; do
	if ! available "$cmd"; then
		ok "skipped: $cmd not built yet"
		continue
	fi
	if [ "$cmd" = check ]; then
		set -- check --no-record
	else
		set -- estimate
	fi
	for f in "$BAD"/*.yaml; do
		refuses "$cmd $(basename "$f")" "$f" "$(expected_of "$f")" \
			"$FLOPGATE" "$@"
	done
	refuses "$cmd 50 MB stream" "$T/big.yaml" 13:7 "$FLOPGATE" "$@"
	assert "$cmd 50 MB stream: names the run id used twice" \
		grep -q "run id \`bulk\` is used twice in this file (first at \
line 2)" "$T/err"
	refuses "$cmd 17 MB document" "$T/huge.yaml" 1:1 "$FLOPGATE" "$@"
	assert "$cmd 17 MB document: names the limit" \
		grep -q "limit for one document" "$T/err"
	# nothing recorded anywhere
	assert "$cmd: no database written" [ ! -e "$FLOPGATE_DB" ]
done

# Recording `check` records nothing for bad input: the audit log of a
# database that already holds one evaluation stays as it was.
if available check && available audit; then
	db=$T/record.db
	expect "recording check: a good run records" 0 \
		"$FLOPGATE" check --db "$db" examples/runs/gpt-3.yaml
	"$FLOPGATE" audit log --db "$db" >"$T/log-before" 2>&1
	bad_rc=0
	for f in "$BAD"/*.yaml "$T/big.yaml" "$T/huge.yaml"; do
		"$FLOPGATE" check --db "$db" "$f" >/dev/null 2>&1
		rc=$?
		[ "$rc" -eq 2 ] || { bad_rc=$rc; echo "# $f: exit $rc"; }
	done
	assert "recording check: every bad file exits 2" [ "$bad_rc" -eq 0 ]
	"$FLOPGATE" audit log --db "$db" >"$T/log-after" 2>&1
	assert "recording check: nothing recorded for bad input" \
		cmp -s "$T/log-before" "$T/log-after"
else
	ok "skipped: recording check or audit not built yet"
fi
