#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 11: signed checkpoints (item 3), outputs that fail loudly (item 5)
# and never destroy (items 6, 7), and one snapshot per report (item 8).
. tests/cli/lib.sh

RUN=tests/fixtures/check/big-eu.yaml
DB=$T/a.db
"$FLOPGATE" check --db "$DB" --as-of 2026-11-30 "$RUN" >/dev/null

# --- item 3: Ed25519-signed checkpoints (C2SP signed note) -----------------------
if command -v openssl >/dev/null 2>&1; then
	openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
	openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
	openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
	openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub"
	expect "verify writes a signed checkpoint" 0 "$FLOPGATE" audit verify \
		--db "$DB" --write-checkpoint "$T/cp" --sign-key "$T/key.pem"
	assert "the note is the body, a blank line and a signature line" \
		[ "$(sed -n 4p "$T/cp")" = "" ] && \
		[ "$(sed -n 5p "$T/cp" | cut -d' ' -f1-2)" = \
		  "— flopgate-audit-log" ]
	# An outside check of the format: the key ID is SHA-256(name || LF ||
	# 0x01 || public key)[:4], the signature Ed25519 over the body.
	sed -n 5p "$T/cp" | cut -d' ' -f3 | base64 -d >"$T/blob"
	want=$({ printf 'flopgate-audit-log\n\001'
		 openssl pkey -pubin -in "$T/pub.pem" -outform DER |
			 tail -c 32; } | sha256sum | cut -c1-8)
	assert "the key ID is the spec's" \
		[ "$(head -c 4 "$T/blob" | od -An -tx1 | tr -d ' \n')" = "$want" ]
	head -n 3 "$T/cp" >"$T/body"
	tail -c 64 "$T/blob" >"$T/sig"
	assert "openssl verifies the signature over the body" \
		sh -c 'openssl pkeyutl -verify -pubin -inkey "$1" -rawin \
		-in "$2" -sigfile "$3" >/dev/null' - "$T/pub.pem" "$T/body" \
		"$T/sig"
	expect "a signed checkpoint verifies with its key" 0 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/cp" --verify-key "$T/pub.pem"
	assert "verify says it is signed" grep -q "signed by the key" "$T/out"
	expect "another key exits 3" 3 "$FLOPGATE" audit verify --db "$DB" \
		--checkpoint "$T/cp" --verify-key "$T/other.pub"
	assert "it says there is no signature by that key" \
		grep -q "no signature by this key" "$T/err"
	sed 's/^1$/2/' "$T/cp" >"$T/forged"
	expect "a checkpoint changed after signing exits 3" 3 "$FLOPGATE" \
		audit verify --db "$DB" --checkpoint "$T/forged" \
		--verify-key "$T/pub.pem"
	assert "it says the signature does not verify" \
		grep -q "$T/forged: checkpoint signature: the signature does not \
verify" "$T/err"
	head -n 3 "$T/cp" >"$T/unsigned"
	expect "an unsigned checkpoint with --verify-key exits 3" 3 \
		"$FLOPGATE" audit verify --db "$DB" --checkpoint "$T/unsigned" \
		--verify-key "$T/pub.pem"
	expect "--sign-key without --write-checkpoint is bad usage" 2 \
		"$FLOPGATE" audit verify --db "$DB" --sign-key "$T/key.pem"
	expect "--verify-key without --checkpoint is bad usage" 2 \
		"$FLOPGATE" audit verify --db "$DB" --verify-key "$T/pub.pem"
	expect "a key file that is no key is bad input" 2 "$FLOPGATE" audit \
		verify --db "$DB" --checkpoint "$T/cp" --verify-key "$RUN"
	expect "report with a signed checkpoint verifies" 0 "$FLOPGATE" \
		report --db "$DB" --all --checkpoint "$T/cp" \
		--verify-key "$T/pub.pem"
	assert "the report says verify passed" \
		grep -q "Audit verify \*\*passed\*\*" "$T/out"
	expect "report with a forged checkpoint exits 3" 3 "$FLOPGATE" report \
		--db "$DB" --all --checkpoint "$T/forged" \
		--verify-key "$T/pub.pem"
	assert "and is never rendered as verified" \
		sh -c '! grep -q "verify \*\*passed\*\*" "$1"' - "$T/out"
	assert "the report carries the failure" \
		grep -q "audit verify FAILED" "$T/out"
	# A log rewritten to a forged head fails a signed checkpoint that the
	# forger cannot re-sign.
	"$FLOPGATE" check --db "$DB" --as-of 2026-12-01 "$RUN" >/dev/null
	expect "the grown log still extends the signed checkpoint" 0 \
		"$FLOPGATE" audit verify --db "$DB" --checkpoint "$T/cp" \
		--verify-key "$T/pub.pem"
else
	ok "skipped: openssl is not installed"
fi

# --- item 5: a failed write is an error -------------------------------------------
if [ -w /dev/full ]; then
	expect "check --format json > /dev/full exits 3 (it was recorded)" 3 \
		sh -c '"$1" check --db "$2" --as-of 2026-12-02 --format json \
		"$3" >/dev/full' - "$FLOPGATE" "$DB" "$RUN"
	n=$(sqlite3 "$DB" "SELECT max(id) FROM evaluations" 2>/dev/null)
	assert "the message names the recorded evaluation" \
		grep -q "evaluation ${n:-3} was recorded, but its output could \
not be written" "$T/err"
	expect "text check > /dev/full exits 3" 3 sh -c '"$1" check --db "$2" \
		--as-of 2026-12-02 "$3" >/dev/full' - "$FLOPGATE" "$DB" "$RUN"
	expect "check --no-record > /dev/full exits 2 (nothing recorded)" 2 \
		sh -c '"$1" check --no-record --db "$2" "$3" >/dev/full' - \
		"$FLOPGATE" "$DB" "$RUN"
	expect "estimate > /dev/full exits 2" 2 sh -c '"$1" estimate "$2" \
		>/dev/full' - "$FLOPGATE" "$RUN"
	assert "it says stdout could not be written" \
		grep -q "cannot write to standard output" "$T/err"
	expect "audit log > /dev/full exits 2" 2 sh -c '"$1" audit log \
		--db "$2" >/dev/full' - "$FLOPGATE" "$DB"
	expect "audit verify > /dev/full exits 2" 2 sh -c '"$1" audit verify \
		--db "$2" >/dev/full' - "$FLOPGATE" "$DB"
	expect "report > /dev/full exits 2" 2 sh -c '"$1" report --db "$2" \
		>/dev/full' - "$FLOPGATE" "$DB"
	expect "hardware > /dev/full exits 2" 2 sh -c '"$1" hardware \
		>/dev/full' - "$FLOPGATE"
	expect "headroom --format json > /dev/full exits 2" 2 sh -c '"$1" \
		headroom --format json "$2" >/dev/full' - "$FLOPGATE" "$RUN"
else
	ok "skipped: no writable /dev/full"
fi

# --- item 6: special files are written through, never replaced -----------------
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
reader=$!
expect "report -o FIFO exits 0" 0 "$FLOPGATE" report --db "$DB" \
	-o "$T/fifo" --quiet
# (a build that replaced the FIFO never opened it: free the reader)
[ -p "$T/fifo" ] || { kill "$reader"; : >"$T/fifo"; }
wait "$reader"
assert "the FIFO is still a FIFO" [ -p "$T/fifo" ]
assert "the report went through it" grep -q "^# " "$T/from-fifo"
ln -s /dev/null "$T/null-link"
expect "report -o a symlink to /dev/null exits 0" 0 "$FLOPGATE" report \
	--db "$DB" -o "$T/null-link" --quiet
assert "the symlink is still a symlink" [ -L "$T/null-link" ]
assert "/dev/null is still a character device" [ -c /dev/null ]
if [ "$(id -u)" = 0 ] && mknod "$T/full" c 1 7 2>/dev/null; then
	expect "report -o a full device node exits 2" 2 "$FLOPGATE" report \
		--db "$DB" -o "$T/full"
	assert "the device node is not replaced by a regular file" \
		[ -c "$T/full" ]
else
	ok "skipped: cannot make a device node here"
fi
echo "old" >"$T/real.md"
ln -s real.md "$T/link.md"
expect "report -o a symlink to a file exits 0" 0 "$FLOPGATE" report \
	--db "$DB" -o "$T/link.md" --quiet
assert "the link still points at the file" [ -L "$T/link.md" ]
assert "the file holds the report" grep -q "^# " "$T/real.md"

# --- item 7: --all -o DIR is all or nothing ---------------------------------------
"$FLOPGATE" check --db "$DB" --as-of 2026-12-03 \
	tests/fixtures/check/small.yaml >/dev/null
mkdir -p "$T/out-dir"
expect "a first report --all -o DIR exits 0" 0 "$FLOPGATE" report \
	--db "$DB" --all -o "$T/out-dir/" --quiet
ls "$T/out-dir" >"$T/listing"
for f in "$T"/out-dir/*.md; do echo "kept" >"$f"; done
rm "$T/out-dir/index.md"
mkdir "$T/out-dir/index.md"
expect "report --all with index.md a directory exits 2" 2 "$FLOPGATE" \
	report --db "$DB" --all -o "$T/out-dir/" --quiet
assert "it names the target" grep -q "out-dir/index.md: cannot write the \
report here: it is a directory" "$T/err"
assert "no run file was replaced" \
	[ "$(cat "$T"/out-dir/*.md 2>/dev/null | sort -u)" = kept ]
assert "no temporary file is left" \
	[ "$(find "$T/out-dir" -name '.flopgate-*' | wc -l)" -eq 0 ]

# --- item 8: one snapshot per report ------------------------------------------------
SDB=$T/snap.db
"$FLOPGATE" check --db "$SDB" --as-of 2026-11-30 "$RUN" >/dev/null
FLOPGATE_TEST_PAUSE_IN_REPORT="$T/paused" "$FLOPGATE" report --db "$SDB" \
	--all >"$T/snap.md" 2>"$T/snap.err" &
pid=$!
i=0
while [ ! -e "$T/paused" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
assert "the report paused after reading its documents" [ -e "$T/paused" ]
"$FLOPGATE" check --db "$SDB" --as-of 2026-12-05 "$RUN" >/dev/null
rm -f "$T/paused"
wait "$pid"
rc=$?
assert "the report exits 0" [ "$rc" -eq 0 ]
assert "its checkpoint is that of the documents it shows (1 entry)" \
	grep -q "verify \*\*passed\*\* at render time: 1 entry," "$T/snap.md"
assert "it shows the evaluation of that snapshot" \
	sh -c '! grep -q "2026-12-05" "$1"' - "$T/snap.md"

# --- headroom --format json: the shape result.h documents -----------------------
expect "headroom --format json exits 0" 0 "$FLOPGATE" headroom \
	--format json --as-of 2026-11-30 "$RUN"
assert "the document has flopgate, as_of and runs" \
	[ "$(jq -c 'keys' "$T/out")" = '["as_of","flopgate","runs"]' ]
assert "a run has the documented keys" [ "$(jq -c '.runs[0] | keys' \
	"$T/out")" = '["file","flop_per_token","headroom","id","line","training_compute_flop","warnings"]' ]
assert "an entry has the documented keys" [ "$(jq -c '.runs[0].headroom[0] |
	keys' "$T/out")" = '["citation","crossed_on","headroom","headroom_tokens","high","low","metric","op","outcome","projected_crossing","relation","rule","threshold","value"]' ]

# --- /dev/null is written straight, never spooled --------------------------------
# A CI gate's `> /dev/null` of a large stream used to spool the whole
# output into $TMPDIR first.  With no usable TMPDIR no spool can be made,
# so these pass only when /dev/null is written straight; a pipe, which
# must be spooled, shows that the spool really is blocked.
NOTMP=$T/no-such-dir
gate=0
"$FLOPGATE" check --no-record --format json --as-of 2026-11-30 "$RUN" \
	>/dev/null 2>&1 || gate=$?
rc=0
TMPDIR=$NOTMP "$FLOPGATE" check --no-record --format json \
	--as-of 2026-11-30 "$RUN" >/dev/null 2>"$T/err" || rc=$?
assert "JSON to a /dev/null standard output needs no spool (exit $rc)" \
	[ "$rc" -eq "$gate" ]
assert "... and says nothing" [ ! -s "$T/err" ]
rc=0
TMPDIR=$NOTMP "$FLOPGATE" check --no-record --format text -o \
	json=/dev/null --as-of 2026-11-30 "$RUN" >/dev/null 2>"$T/err" || rc=$?
assert "-o json=/dev/null needs no spool (exit $rc)" [ "$rc" -eq "$gate" ]
assert "... and says nothing" [ ! -s "$T/err" ]
TMPDIR=$NOTMP "$FLOPGATE" check --no-record --format json \
	--as-of 2026-11-30 "$RUN" 2>"$T/err" | cat >/dev/null
assert "a pipe is still spooled, and says it cannot be here" \
	grep -q "cannot make a temporary file" "$T/err"
rc=0
TMPDIR=$NOTMP "$FLOPGATE" check --db "$T/null.db" --format json \
	--as-of 2026-11-30 "$RUN" tests/fixtures/check/bad-run.yaml \
	>/dev/null 2>"$T/err" || rc=$?
assert "bad input after a good run, into /dev/null: exit 2" [ "$rc" -eq 2 ]
assert "and nothing recorded" sh -c '[ ! -e "$1" ] || [ "$(sqlite3 "$1" \
	"SELECT count(*) FROM evaluations")" = 0 ]' - "$T/null.db"
