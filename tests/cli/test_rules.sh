#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate rules lint | list | test, on the shipped rulesets and on the
# bad-ruleset corpus (each file names the place of its problem in its
# first line: "# expect: LINE:COL").
. tests/cli/lib.sh

expect "rules test rules/ passes every shipped case" 0 \
	"$FLOPGATE" rules test rules/
assert "rules test reports each case" grep -q \
	'^ok - eu-ai-act: systemic risk exactly at 10^25 is not presumed' "$T/out"
assert "rules test prints no failure" sh -c "! grep -q '^not ok' '$T/out'"
assert "rules test summary counts cases" \
	grep -Eq '^[0-9]+ cases, [0-9]+ passed, 0 failed$' "$T/out"
assert "rules test shows the due dates a case checks" grep -q \
	'^ok - eu-ai-act: a model placed before 2025-08-02 complies by 2027-08-02: eu.gpai.systemic-risk is triggered, eu.notify-commission due 2027-08-02' \
	"$T/out"

expect "rules test on the provisional rulesets" 0 \
	"$FLOPGATE" rules test rules/provisional/

sed 's/op: ">=", value: 1e26/op: ">", value: 1e26/' rules/kr-ai-basic-act.yaml \
	>"$T/kr-strict.yaml"
expect "rules test fails when an operator is changed" 1 \
	"$FLOPGATE" rules test "$T/kr-strict.yaml"
assert "the failing case is named with its location" grep -q \
	"^not ok - kr-ai-basic-act: exactly 10^26 is covered.*expected triggered ($T/kr-strict.yaml:[0-9]*:[0-9]*)" \
	"$T/out"

# Without the Art. 111(3) transition the cases that pin 2027-08-02 fail,
# each naming the obligation, what it got and where the expectation is.
grep -v '^    transition: ' rules/eu-ai-act.yaml >"$T/eu-no-transition.yaml"
expect "rules test fails when the transition is dropped" 1 \
	"$FLOPGATE" rules test "$T/eu-no-transition.yaml"
assert "the failing due date is named with its location" grep -q \
	"^not ok - eu-ai-act: a model placed before 2025-08-02 complies by 2027-08-02: eu.gpai.systemic-risk: eu.notify-commission due 2025-08-16, expected 2027-08-02 ($T/eu-no-transition.yaml:[0-9]*:[0-9]*)" \
	"$T/out"
assert "without it a duty of placing before the law is not owed" grep -q \
	"^not ok - eu-ai-act: a model placed before 2025-08-02 complies by 2027-08-02: eu.gpai.indicative: eu.gpai-documentation due (no date), expected 2027-08-02" \
	"$T/out"

# An expectation of `owed` is checked too, and a wrong one named.
sed 's/owed: {eu.gpai-documentation: false/owed: {eu.gpai-documentation: true/' \
	rules/eu-ai-act.yaml >"$T/eu-owed.yaml"
expect "rules test fails when an obligation's condition is wrong" 1 \
	"$FLOPGATE" rules test "$T/eu-owed.yaml"
assert "the failing owed is named with its location" grep -q \
	"^not ok - eu-ai-act: an open-source model owes no Annex XI/XII documentation but copyright and summary: eu.gpai.indicative: eu.gpai-documentation not owed, expected owed ($T/eu-owed.yaml:[0-9]*:[0-9]*)" \
	"$T/out"
assert "the case on the boundary day still passes" grep -q \
	'^ok - eu-ai-act: a model placed on 2025-08-02 itself gets no transition' \
	"$T/out"

expect "rules lint on the shipped rules" 0 "$FLOPGATE" rules lint rules/
assert "rules lint says ok" grep -q '^ok' "$T/out"

for f in tests/fixtures/rules/bad/*.yaml; do
	loc=$(sed -n '1s/^# expect: //p' "$f")
	name=$(basename "$f" .yaml)
	expect "rules lint $name exits 2" 2 "$FLOPGATE" rules lint "$f"
	assert "rules lint $name names $f:$loc" \
		grep -q "^flopgate: $f:$loc: " "$T/err"
	assert "rules lint $name prints nothing on stdout" [ ! -s "$T/out" ]
done

expect "rules lint reports every problem of a file" 2 \
	"$FLOPGATE" rules lint tests/fixtures/rules/many-problems.yaml
assert "five problems, five lines" [ "$(grep -c '^flopgate: ' "$T/err")" -eq 5 ]

expect "duplicate rule ids across two files" 2 \
	"$FLOPGATE" rules lint tests/fixtures/rules/duplicate/
assert "the duplicate names both places" grep -q \
	'duplicate/b.yaml:6:5: duplicate rule id `test.compute`: also defined at tests/fixtures/rules/duplicate/a.yaml:6:5' \
	"$T/err"

expect "rules lint with a good and a bad path reports the bad one" 2 \
	"$FLOPGATE" rules lint rules/ tests/fixtures/rules/bad/unknown-metric.yaml
expect "rules lint of a missing file" 2 "$FLOPGATE" rules lint no/such.yaml
expect "rules lint with no path is a usage error" 2 "$FLOPGATE" rules lint

expect "rules list shows the shipped rules" 0 "$FLOPGATE" rules list
assert "rules list has all twelve rules" \
	[ "$(grep -cE '^(eu|us|kr)[.a-z0-9-]+ ' "$T/out")" -eq 12 ]
assert "rules list shows the revocation" \
	grep -q '^us.eo14110.model .*2023-10-30..2025-01-20 revoked' "$T/out"
assert "rules list shows Korea's inclusive line" \
	grep -q '^kr.aibasic.high-performance .*training_compute_flop >= 1.0 x 10^26' "$T/out"
assert "rules list shows the Art. 111(3) transition" \
	grep -q '^eu.gpai.systemic-risk .*2025-08-02..; placed before 2025-08-02: by 2027-08-02 (Art. 111(3))$' "$T/out"
assert "rules list shows no transition where there is none" \
	sh -c "! grep '^us-ca' '$T/out' | grep -q 'placed before'"
assert "rules list leaves provisional rules out" \
	sh -c "! grep -q us-il '$T/out'"
expect "rules list --rules a provisional file" 0 \
	"$FLOPGATE" rules list --rules rules/provisional/il-sb315.yaml
assert "only the provisional rules are listed" \
	grep -q '^us-il.sb315.frontier-model ' "$T/out"

expect "rules --help" 0 "$FLOPGATE" rules --help
assert "help names the subcommands" grep -q 'rules lint PATH' "$T/out"
expect "rules lint --help" 0 "$FLOPGATE" rules lint --help
expect "unknown rules subcommand" 2 "$FLOPGATE" rules frobnicate

# --- issue 11, item 2: a rules directory never fails open ------------------------
mkdir "$T/rules-dir"
cp rules/*.yaml "$T/rules-dir/"
rm "$T/rules-dir/eu-ai-act.yaml"
for kind in dangling fifo loop directory; do
	target="$T/rules-dir/eu-ai-act.yaml"
	case $kind in
	dangling) ln -s /nonexistent/eu-ai-act.yaml "$target" ;;
	fifo) mkfifo "$target" ;;
	loop) ln -s eu-ai-act.yaml "$target" ;;
	directory) mkdir "$target" ;;
	esac
	expect "rules lint of a directory with a $kind eu-ai-act.yaml exits 2" \
		2 "$FLOPGATE" rules lint "$T/rules-dir"
	assert "lint names the $kind" grep -q "rules-dir/eu-ai-act.yaml: " \
		"$T/err"
	assert "lint does not say ok" sh -c '! grep -q "^ok" "$1"' - "$T/out"
	expect "check --rules with a $kind eu-ai-act.yaml exits 2, not 0" 2 \
		"$FLOPGATE" check --no-record --rules "$T/rules-dir" \
		tests/fixtures/check/big-eu.yaml
	rm -rf "$target"
done
expect "two rulesets with one id exit 2" 2 "$FLOPGATE" rules lint \
	tests/fixtures/rules/same-id
assert "the message names both" grep -q "same-id/b.yaml:2:7: duplicate \
ruleset id \`test-same-id\`: also the id of tests/fixtures/rules/same-id/\
a.yaml:2:7" "$T/err"

# A ruleset's own tests are for `rules lint` and `rules test`; the
# commands that evaluate build none, and when `tests:` is the file's last
# key they do not parse it: a malformed tests section stops lint and
# test, not a check (whose decisions it cannot change).
bt=tests/fixtures/rules/bad-tests/kr-bad-tests.yaml
expect "rules lint refuses a malformed tests section" 2 \
	"$FLOPGATE" rules lint "$bt"
assert "lint names the typo in the test" grep -q \
	"kr-bad-tests.yaml:76:5: unknown key \`expcet\` in \`test\`" "$T/err"
assert "lint names the unknown outcome" grep -q \
	"kr-bad-tests.yaml:80:43: unknown outcome \`maybe\`" "$T/err"
expect "rules test refuses a malformed tests section" 2 \
	"$FLOPGATE" rules test "$bt"
printf 'run:\n  id: kr-only\n  jurisdictions: [KR]\n  phases:\n    - name: pre-training\n      kind: pretraining\n      estimates:\n        - {method: declared, flop: 2e26}\n' >"$T/kr-run.yaml"
expect "check reads the rules of a ruleset whose tests are malformed" 1 \
	"$FLOPGATE" check --no-record --format json --as-of 2026-06-01 \
	--rules "$bt" "$T/kr-run.yaml"
assert "check records the whole file's SHA-256" grep -q \
	"\"sha256\": \"$(sha256sum "$bt" | cut -d' ' -f1)\"" "$T/out"
