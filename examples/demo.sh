#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main job on the shipped examples: evaluate every example run against
# the shipped rules at a fixed as-of date, record each evaluation in an
# audit database, verify the chain, and render the Markdown reports.
#
#   sh examples/demo.sh [OUT]     (default OUT: reports/)
#
# The as-of date and the recording clock are fixed, so the demo writes the
# same bytes every time and a fresh clone's `make demo` reproduces the
# committed sample reports exactly (tests/cli/test_demo.sh compares them,
# and checks that the demo leaves a clean tree).  The clock is the demo's
# own: SOURCE_DATE_EPOCH, the recording time flopgate stores (see
# flopgate(1)), set here for the demo only unless the caller set it.
set -e
cd "$(dirname "$0")/.."
out=${1:-reports}
bin=${FLOPGATE:-bin/flopgate}
as_of=2026-11-30
# 2026-11-30T12:00:00Z
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796040000}
# The shipped rules by a relative path: what the database records (and
# its chain hashes) must not depend on where the checkout is.
FLOPGATE_RULES=rules
export SOURCE_DATE_EPOCH FLOPGATE_RULES
db=$out/flopgate.db
mkdir -p "$out"
rm -f "$db" "$db-wal" "$db-shm" "$out"/*.md

say() { printf '\n== %s\n' "$*"; }

# A model trained on biological sequence data, evaluated while Executive
# Order 14110 was in force (it was revoked on 2025-01-20).
say "check, as of 2024-10-01: a protein language model under EO 14110"
"$bin" check --db "$db" --as-of 2024-10-01 --actor demo \
	examples/runs/bio-sequence-2024.yaml || true

say "check, as of $as_of: every other example run"
set --
for f in examples/runs/*.yaml; do
	[ "$f" = examples/runs/bio-sequence-2024.yaml ] || set -- "$@" "$f"
done
"$bin" check --db "$db" --as-of "$as_of" --actor demo "$@" || true

say "audit verify"
"$bin" audit verify --db "$db" --write-checkpoint "$out/checkpoint.txt"

say "report"
"$bin" report --db "$db" --all -o "$out/"

say "summary"
sed -n '1,/^## Runs/p' "$out/index.md" | sed '$d'
printf '\nReports: %s/index.md (and one file per run). Database: %s\n' \
	"$out" "$db"
