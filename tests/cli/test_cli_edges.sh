#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The edges of the command line that the other scripts do not reach: the
# top-level usage, hardware's options, key and signed-note files that are
# wrong in every way, and report's option and output errors.
. tests/cli/lib.sh

RUN=tests/fixtures/check/big-eu.yaml
DB=$T/a.db
"$FLOPGATE" check --db "$DB" --as-of 2026-11-30 "$RUN" >/dev/null

# --- the top level ------------------------------------------------------------------
expect "no command is bad usage" 2 "$FLOPGATE"
assert "the usage goes to stderr" grep -q "^usage: flopgate COMMAND" "$T/err"
expect "--help exits 0" 0 "$FLOPGATE" --help
assert "--help lists the commands" grep -q "^  audit " "$T/out"
expect "--version exits 0" 0 "$FLOPGATE" --version
assert "--version prints the version" grep -Eq "^flopgate [0-9]" "$T/out"
expect "an unknown command is bad usage" 2 "$FLOPGATE" frobnicate
assert "it names the command" grep -q "unknown command \`frobnicate\`" \
	"$T/err"
if [ -w /dev/full ]; then
	expect "--help > /dev/full exits 2" 2 sh -c '"$1" --help >/dev/full' \
		- "$FLOPGATE"
	expect "--version > /dev/full exits 2" 2 sh -c '"$1" --version \
		>/dev/full' - "$FLOPGATE"
fi

# --- hardware -----------------------------------------------------------------------
expect "hardware --help exits 0" 0 "$FLOPGATE" hardware --help
expect "hardware --format json exits 0" 0 "$FLOPGATE" hardware --format json
assert "the catalog is JSON with nvidia-h100-sxm" sh -c 'jq -e ".. | objects |
	select(.id? == \"nvidia-h100-sxm\")" "$1" >/dev/null' - "$T/out"
expect "hardware --format=text exits 0" 0 "$FLOPGATE" hardware --format=text
expect "hardware --format=json exits 0" 0 "$FLOPGATE" hardware --format=json
expect "hardware --format yaml is bad usage" 2 "$FLOPGATE" hardware \
	--format yaml
expect "hardware with an unknown option is bad usage" 2 "$FLOPGATE" \
	hardware --bogus
expect "a missing catalog exits 2" 2 env \
	FLOPGATE_HARDWARE="$T/nowhere.yaml" "$FLOPGATE" hardware

# --- key files and signed notes -------------------------------------------------
if command -v openssl >/dev/null 2>&1; then
	openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
	openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
	openssl genpkey -algorithm ed25519 -out "$T/k2.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$T/ec.pem" 2>/dev/null
	"$FLOPGATE" audit verify --db "$DB" --write-checkpoint "$T/cp" \
		--sign-key "$T/key.pem" >/dev/null
	expect "signing with a P-256 key exits 2" 2 "$FLOPGATE" audit verify \
		--db "$DB" --write-checkpoint "$T/x" --sign-key "$T/ec.pem"
	assert "it says it is not Ed25519" grep -q "not an Ed25519 key" \
		"$T/err"
	expect "signing with a file that is no key exits 2" 2 "$FLOPGATE" \
		audit verify --db "$DB" --write-checkpoint "$T/x" \
		--sign-key "$RUN"
	assert "it says there is no key in it" grep -q "holds no private key" \
		"$T/err"
	expect "signing with a missing key file exits 2" 2 "$FLOPGATE" audit \
		verify --db "$DB" --write-checkpoint "$T/x" \
		--sign-key "$T/none.pem"
	expect "a directory as a key exits 2" 2 "$FLOPGATE" audit verify \
		--db "$DB" --checkpoint "$T/cp" --verify-key "$T"
	assert "it says it is not a key file" grep -q "not a key file" "$T/err"
	head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big.pem"
	expect "a huge key file exits 2" 2 "$FLOPGATE" audit verify --db "$DB" \
		--checkpoint "$T/cp" --verify-key "$T/big.pem"
	expect "a private key verifies too (its public half)" 0 "$FLOPGATE" \
		audit verify --db "$DB" --checkpoint "$T/cp" \
		--verify-key "$T/key.pem"
	# two signatures: another key's is ignored, ours verifies
	"$FLOPGATE" audit verify --db "$DB" --write-checkpoint "$T/cp2" \
		--sign-key "$T/k2.pem" >/dev/null
	{ cat "$T/cp"; tail -n 1 "$T/cp2"; } >"$T/two"
	expect "a note signed by two keys verifies with either" 0 "$FLOPGATE" \
		audit verify --db "$DB" --checkpoint "$T/two" \
		--verify-key "$T/pub.pem"
	{ cat "$T/cp"; echo "— example.com/other AAAA"; } >"$T/other"
	expect "a line of another key name is ignored" 0 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/other" \
		--verify-key "$T/pub.pem"
	{ cat "$T/cp"; echo "not a signature"; } >"$T/junk"
	expect "a line that is no signature line exits 3" 3 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/junk" --verify-key "$T/pub.pem"
	assert "it says so" grep -q "not a signature line" "$T/err"
	{ head -n 4 "$T/cp"; echo "— flopgate-audit-log !!!!"; } >"$T/bad64"
	expect "a malformed signature of our key exits 3" 3 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/bad64" \
		--verify-key "$T/pub.pem"
	assert "it says it is malformed" grep -q "is malformed" "$T/err"
	{ head -n 4 "$T/cp"; tail -n 1 "$T/cp" | sed 's/.$/B/'; } \
		>"$T/noncanon"
	expect "a non-canonical base64 signature exits 3" 3 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/noncanon" \
		--verify-key "$T/pub.pem"
	printf 'flopgate audit log\n1\n\001\n' >"$T/ctrl"
	expect "a note with a control character exits 3" 3 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/ctrl" --verify-key "$T/pub.pem"
	assert "it says it is not UTF-8 text" grep -q "not UTF-8 text" "$T/err"
	printf 'flopgate audit log\n1\n\377\n' >"$T/latin1"
	expect "a note that is not UTF-8 exits 3" 3 "$FLOPGATE" audit verify \
		--db "$DB" --checkpoint "$T/latin1" --verify-key "$T/pub.pem"
	printf 'flopgate audit log\000\n' >"$T/nul"
	expect "a checkpoint with a NUL byte exits 2" 2 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/nul"
	head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/huge-cp"
	expect "a huge checkpoint exits 2" 2 "$FLOPGATE" audit verify \
		--db "$DB" --checkpoint "$T/huge-cp"
	expect "a missing checkpoint exits 2" 2 "$FLOPGATE" audit verify \
		--db "$DB" --checkpoint "$T/none"
	expect "an unwritable checkpoint path exits 2" 2 "$FLOPGATE" audit \
		verify --db "$DB" --write-checkpoint "$T/no/such/dir/cp"
	if [ -w /dev/full ]; then
		expect "a checkpoint written to /dev/full exits 2" 2 \
			"$FLOPGATE" audit verify --db "$DB" \
			--write-checkpoint /dev/full
	fi
	printf 'other origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' \
		>"$T/foreign"
	expect "report with a malformed saved checkpoint exits 2" 2 \
		"$FLOPGATE" report --db "$DB" --checkpoint "$T/huge-cp"
	expect "report --verify-key without --checkpoint is bad usage" 2 \
		"$FLOPGATE" report --db "$DB" --verify-key "$T/pub.pem"
	expect "report with a checkpoint of another log exits 3" 3 \
		"$FLOPGATE" report --db "$DB" --checkpoint "$T/foreign"
fi

# --- report's options and outputs -------------------------------------------------
expect "report --help exits 0" 0 "$FLOPGATE" report --help
expect "report --run and --all together are bad usage" 2 "$FLOPGATE" \
	report --db "$DB" --run big-eu --all
expect "report --run twice is bad usage" 2 "$FLOPGATE" report --db "$DB" \
	--run big-eu --run big-eu
expect "report -o without a value is bad usage" 2 "$FLOPGATE" report \
	--db "$DB" -o
expect "report with an unknown option is bad usage" 2 "$FLOPGATE" report \
	--bogus
expect "report of an unknown run exits 2" 2 "$FLOPGATE" report --db "$DB" \
	--run nobody
assert "it lists the recorded runs" grep -q "recorded runs: big-eu" "$T/err"
expect "report --run -o DIR/ writes DIR/<run>.md" 0 "$FLOPGATE" report \
	--db "$DB" --run big-eu -o "$T/one/"
assert "the file is there" [ -s "$T/one/big-eu.md" ]
expect "report -o - writes stdout" 0 "$FLOPGATE" report --db "$DB" -o -
assert "the summary is on stdout" grep -q "^# " "$T/out"
expect "report -o into a missing directory exits 2" 2 "$FLOPGATE" report \
	--db "$DB" -o "$T/no/such/dir/r.md"
ln -s "$T/nowhere.md" "$T/dangling.md"
expect "report -o a dangling symlink exits 2" 2 "$FLOPGATE" report \
	--db "$DB" -o "$T/dangling.md"
assert "the symlink is left alone" [ -L "$T/dangling.md" ]
mkdir "$T/all"
ln -s "$T/elsewhere.md" "$T/all/index.md"
expect "report --all -o DIR with a symlink target exits 2" 2 "$FLOPGATE" \
	report --db "$DB" --all -o "$T/all/"
assert "it says it is a symbolic link" grep -q "a symbolic link" "$T/err"
assert "nothing was written through it" [ ! -e "$T/elsewhere.md" ]

# --- usage errors of every command: exit 2, nothing on stdout -------------------
usage_case() {
	name=$1
	shift
	expect "$name" 2 "$@"
	if [ -s "$T/out" ]; then notok "$name prints nothing on stdout"; fi
}
usage_case "estimate without files" "$FLOPGATE" estimate
usage_case "estimate --format yaml" "$FLOPGATE" estimate --format yaml "$RUN"
usage_case "estimate --as-of not a date" "$FLOPGATE" estimate --as-of x "$RUN"
usage_case "estimate --as-of without a value" "$FLOPGATE" estimate "$RUN" \
	--as-of
usage_case "estimate --bogus" "$FLOPGATE" estimate --bogus "$RUN"
expect "estimate --format text -- FILE" 0 "$FLOPGATE" estimate --format text \
	-- "$RUN"
expect "estimate --help" 0 "$FLOPGATE" estimate --help
expect "estimate of a running run shows its progress" 0 "$FLOPGATE" \
	estimate --as-of 2026-11-30 examples/runs/running-crossing.yaml
assert "the progress line is there" grep -q "progress .* FLOP measured by" \
	"$T/out"
assert "so is the projection to the planned end" \
	grep -q "by the planned end" "$T/out"
usage_case "headroom without files" "$FLOPGATE" headroom
usage_case "headroom --format yaml" "$FLOPGATE" headroom --format yaml "$RUN"
usage_case "headroom --as-of not a date" "$FLOPGATE" headroom --as-of x "$RUN"
usage_case "headroom --rule without a value" "$FLOPGATE" headroom "$RUN" \
	--rule
usage_case "headroom --bogus" "$FLOPGATE" headroom --bogus "$RUN"
usage_case "headroom --rule unknown" "$FLOPGATE" headroom --rule no.such "$RUN"
expect "headroom --help" 0 "$FLOPGATE" headroom --help
expect "headroom --rule with text output" 0 "$FLOPGATE" headroom \
	--rule eu.gpai.systemic-risk --as-of 2026-11-30 "$RUN"
assert "it names the rule" grep -q "eu.gpai.systemic-risk" "$T/out"
expect "headroom of a bad run file exits 2" 2 "$FLOPGATE" headroom \
	tests/fixtures/bad/bad-date.yaml
expect "headroom with bad rules exits 2" 2 "$FLOPGATE" headroom \
	--rules tests/fixtures/rules/bad/unknown-key.yaml "$RUN"
usage_case "check without files" "$FLOPGATE" check
usage_case "check --format yaml" "$FLOPGATE" check --format yaml "$RUN"
usage_case "check --fail-on sometimes" "$FLOPGATE" check --fail-on x "$RUN"
usage_case "check --as-of not a date" "$FLOPGATE" check --as-of x "$RUN"
usage_case "check --db without a value" "$FLOPGATE" check "$RUN" --db
usage_case "check --bogus" "$FLOPGATE" check --bogus "$RUN"
usage_case "audit log --run without a value" "$FLOPGATE" audit log --db "$DB" \
	--run
expect "audit --help" 0 "$FLOPGATE" audit --help
expect "audit verify --help names --sign-key" 0 "$FLOPGATE" audit verify \
	--help
assert "it does" grep -q -- "--sign-key" "$T/out"
expect "audit log --run of a recorded run" 0 "$FLOPGATE" audit log \
	--db "$DB" --run big-eu
assert "the text log shows the run" grep -q "big-eu" "$T/out"
