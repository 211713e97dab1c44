#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 11, item 11: auditors read a database they cannot write.  The
# read-only commands (audit verify, audit log, report, check --no-record)
# work for a user who cannot write the database's directory (SQLite cannot
# make its -shm file there) and on a read-only file in a read-only
# directory (chmod: the equivalent of a read-only mount without the
# privileges to mount one).  Run as root in CI, so as `nobody` here.
. tests/cli/lib.sh

RUN=tests/fixtures/check/big-eu.yaml
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		ok "skipped: no setpriv to drop root"
		exit 0
	fi
	as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$@"; }
else
	as_reader() { "$@"; }
fi
chmod 755 "$T"
# The reader runs a copy of the binary, the shipped rules beside it and
# the run file, all in $T: the checkout may lie where it cannot reach.
mkdir "$T/bin"
cp "$FLOPGATE" "$T/bin/flopgate"
cp -R rules "$T/rules"
cp "$RUN" "$T/run.yaml"
chmod -R a+rX "$T/bin" "$T/rules" "$T/run.yaml"
FLOPGATE=$T/bin/flopgate RUN=$T/run.yaml

mkdir "$T/shared"
"$FLOPGATE" check --db "$T/shared/audit.db" --as-of 2026-11-30 "$RUN" \
	>/dev/null
"$FLOPGATE" audit verify --db "$T/shared/audit.db" \
	--write-checkpoint "$T/cp" >/dev/null
# (a clean close leaves no -wal; a read-only open may leave a -shm)
[ -s "$T/shared/audit.db-wal" ] || rm -f "$T/shared/audit.db-wal" \
	"$T/shared/audit.db-shm"
chmod 644 "$T/shared/audit.db" "$T/cp"
if [ "$(id -u)" != 0 ]; then chmod 555 "$T/shared"; fi

reader_cases() {
	where=$1 db=$2
	expect "$where: audit verify exits 0" 0 as_reader "$FLOPGATE" audit \
		verify --db "$db" --checkpoint "$T/cp"
	assert "$where: verify counts the entry" grep -q "^ok: 1 entry" \
		"$T/out"
	expect "$where: audit log exits 0" 0 as_reader "$FLOPGATE" audit log \
		--db "$db"
	expect "$where: report exits 0" 0 as_reader "$FLOPGATE" report \
		--db "$db" --all
	assert "$where: the report says verify passed" \
		grep -q "verify \*\*passed\*\*" "$T/out"
	expect "$where: check --no-record gates (exit 1)" 1 as_reader \
		"$FLOPGATE" check --no-record --db "$db" --as-of 2026-12-30 \
		--format json "$RUN"
	assert "$where: the deadline comes from the recorded evaluation" \
		[ "$(jq -r '.runs[0].findings[] | select(.rule ==
			"eu.gpai.systemic-risk") | .known_basis' "$T/out")" = \
		  declared ]
	assert "$where: no -shm or -wal file appeared" \
		[ ! -e "$db-shm" ] && [ ! -e "$db-wal" ]
	expect "$where: recording is refused (exit 3)" 3 as_reader \
		"$FLOPGATE" check --db "$db" --as-of 2026-12-30 "$RUN"
}

# A directory the reader cannot write, a file it can only read.
reader_cases "unwritable directory" "$T/shared/audit.db"

# A read-only file in a read-only directory.
mkdir "$T/ro"
cp "$T/shared/audit.db" "$T/ro/audit.db"
chmod 444 "$T/ro/audit.db"
chmod 555 "$T/ro"
reader_cases "read-only file and directory" "$T/ro/audit.db"
chmod 755 "$T/ro"

# A write-ahead log with frames not in the file yet cannot be read
# without write access: refused, never read as if it were not there.
if command -v sqlite3 >/dev/null 2>&1; then
	mkdir "$T/pending" "$T/live"
	cp "$T/shared/audit.db" "$T/live/audit.db"
	sqlite3 "$T/live/audit.db" "PRAGMA user_version = 3" \
		".shell cp $T/live/audit.db $T/live/audit.db-wal $T/pending/"
	if [ -s "$T/pending/audit.db-wal" ]; then
		chmod 644 "$T/pending/audit.db" "$T/pending/audit.db-wal"
		chmod 555 "$T/pending"
		expect "a pending write-ahead log is refused (exit 3)" 3 \
			as_reader "$FLOPGATE" audit verify \
			--db "$T/pending/audit.db"
		assert "it says why" grep -q "holds changes not yet in the file" \
			"$T/err"
		chmod 755 "$T/pending"
	else
		ok "skipped: could not copy a live write-ahead log"
	fi
fi
