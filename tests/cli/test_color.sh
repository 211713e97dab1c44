#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Colour in check's text: outcomes coloured on a terminal (a pseudo-
# terminal here), never with NO_COLOR set, into a pipe or a file of -o;
# --color always|never overrides, and a misspelt WHEN is refused with the
# value meant.
. tests/cli/lib.sh

RUN=examples/runs/frontier-eu.yaml
CHECK="check --no-record --as-of 2026-11-30"
ESC=$(printf '\033')

# on_tty OUT ENV... -- ARGS...: runs flopgate with ARGS on a pseudo-terminal
# (standard output and error), with ENV added; what it printed into OUT.
on_tty() {
	_out=$1
	shift
	python3 - "$_out" "$FLOPGATE" "$@" <<'EOF'
import os, pty, sys
out, binary, args = sys.argv[1], sys.argv[2], sys.argv[3:]
env = dict(os.environ)
env.pop("NO_COLOR", None)
while args and args[0] != "--":
    k, _, v = args.pop(0).partition("=")
    env[k] = v
args = args[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execve(binary, [binary] + args, env)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(out, "wb").write(data)
EOF
}

if python3 -c 'import pty' 2>/dev/null; then
	on_tty "$T/tty.out" -- $CHECK "$RUN"
	assert "auto colours outcomes on a terminal" \
		grep -q "${ESC}\[1;31mtriggered${ESC}\[0m" "$T/tty.out"
	assert "... and the gate" grep -q "gate: ${ESC}\[1;31mfailed" \
		"$T/tty.out"
	on_tty "$T/nocolor.out" NO_COLOR=1 -- $CHECK "$RUN"
	assert "NO_COLOR=1 turns it off on a terminal" \
		sh -c '! grep -q "$1" "$2"' sh "$ESC" "$T/nocolor.out"
	assert "... the text is otherwise the same" \
		grep -q "^  triggered      eu.gpai.systemic-risk" "$T/nocolor.out"
	on_tty "$T/empty.out" NO_COLOR= -- $CHECK "$RUN"
	assert "an empty NO_COLOR does not" grep -q "$ESC" "$T/empty.out"
	on_tty "$T/never.out" -- $CHECK --color=never "$RUN"
	assert "--color=never on a terminal has none" \
		sh -c '! grep -q "$1" "$2"' sh "$ESC" "$T/never.out"
	on_tty "$T/file.out" -- $CHECK -o "text=$T/file.txt" "$RUN"
	assert "a text file of -o has none, even from a terminal" \
		sh -c '! grep -q "$1" "$2"' sh "$ESC" "$T/file.txt"
else
	notok "python3 pty is there to test a terminal" "import pty failed"
fi

expect "into a pipe" 1 "$FLOPGATE" $CHECK "$RUN"
assert "auto into a pipe has no colour" \
	sh -c '! grep -q "$1" "$2"' sh "$ESC" "$T/out"
expect "--color=always into a pipe" 1 "$FLOPGATE" $CHECK --color=always "$RUN"
assert "--color=always colours it anyway" \
	grep -q "${ESC}\[1;31mFAIL${ESC}\[0m" "$T/out"
sed "s/${ESC}\[[0-9;]*m//g" "$T/out" >"$T/stripped"
"$FLOPGATE" $CHECK --color=never "$RUN" >"$T/plain"
assert "colour only repeats words that are there without it" \
	cmp -s "$T/stripped" "$T/plain"
expect "--color always (a separate value) is accepted" 1 "$FLOPGATE" \
	$CHECK --color always "$RUN"
expect "--color=alwys is refused" 2 "$FLOPGATE" $CHECK --color=alwys "$RUN"
assert "... naming the value meant" grep -q "did you mean \`always\`" \
	"$T/err"
expect "--color with no value is refused" 2 "$FLOPGATE" $CHECK "$RUN" \
	--color
