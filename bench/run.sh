#!/bin/sh
# flopgate benchmark (not a test): prints figures, asserts no time.
#
# 1. The pipeline a CI gate runs, on a generated inventory of BENCH_RUNS
#    runs (default 10000; bench/gen-runs.awk, written to a temporary
#    directory and removed after): `estimate --format json`, `check
#    --no-record --format json`, `check` recording the whole stream as one
#    evaluation into a fresh database, and `audit verify` on it.
# 2. The per-commit gate: `check` of examples/runs/llama-3.1-405b.yaml,
#    start-up to exit, recording and with --no-record, the median of
#    BENCH_REPEAT runs (default 20).
# 3. The store alone (bench/bench.c): BENCH_N evaluations (default 1000)
#    recorded one by one, then verified.
#
# Everything lives in a temporary directory; set BENCH_DIR to measure on
# another disk (recording is fsync-bound: synchronous = FULL).  Outputs
# go to files there, as a CI job keeps them, and their sizes are shown.
set -e
runs=${BENCH_RUNS:-10000}
repeat=${BENCH_REPEAT:-20}
n=${BENCH_N:-1000}
# A fixed day, so the mix of outcomes is the same whenever it runs.
as_of=2026-06-01
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f lib/libflopgate.a ] || [ ! -x bin/flopgate ]; then
	make --no-print-directory all
fi
fg=bin/flopgate
one=examples/runs/llama-3.1-405b.yaml
mkdir -p build/bench
pkgs="yaml-0.1 sqlite3 libcrypto jansson gmp"
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-D_POSIX_C_SOURCE=200809L -Iinclude $(pkg-config --cflags $pkgs) \
	-o build/bench/bench bench/bench.c lib/libflopgate.a \
	$(pkg-config --libs $pkgs) -lm
dir=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/flopgate-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }
# elapsed START END: seconds between two `now`s
elapsed() { echo "$1 $2" | awk '{printf "%.6f", $2 - $1}'; }
kib() { du -k "$1" | cut -f1; }
# row WHAT RUNS SECONDS [NOTE]: one line of the table, the rate in runs/s
row() {
	awk -v what="$1" -v runs="$2" -v s="$3" -v note="$4" 'BEGIN {
		printf "%-48s %6d %9.2f s %9.0f runs/s  %s\n", what, runs, s,
		       runs / s, note }'
}
# ms_row WHAT SECONDS...: median and range of single runs, in ms
ms_row() {
	what=$1
	shift
	printf '%s\n' "$@" | sort -g | awk -v what="$what" '
		{ t[NR] = $1 * 1000 }
		END {
			if (NR % 2)
				m = t[(NR + 1) / 2]
			else
				m = (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%-48s %6d %9.1f ms (median of %d; %.1f-%.1f ms)\n",
			       what, 1, m, NR, t[1], t[NR]
		}'
}
# gate CMD...: runs CMD, which may pass (0) or fail the gate (1); any
# other exit status is a broken benchmark
gate() {
	set +e
	"$@"
	rc=$?
	set -e
	if [ "$rc" -gt 1 ]; then
		echo "bench: $* exited $rc:" >&2
		tail -n 5 "$dir/err" >&2
		exit 1
	fi
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo \
	2>/dev/null || true)
echo "flopgate benchmark: $(nproc 2>/dev/null || echo '?') CPUs" \
	"${cpu:+($cpu)}, data in $dir"
echo

# ---- the pipeline on BENCH_RUNS runs ------------------------------------
t0=$(now)
awk -v n="$runs" -f bench/gen-runs.awk >"$dir/runs.yaml"
t_gen=$(elapsed "$t0" "$(now)")

t0=$(now)
"$fg" estimate --format json "$dir/runs.yaml" >"$dir/estimate.json" \
	2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
t_est=$(elapsed "$t0" "$(now)")

t0=$(now)
gate "$fg" check --no-record --format json --as-of "$as_of" \
	"$dir/runs.yaml" >"$dir/check.json" 2>"$dir/err"
t_chk=$(elapsed "$t0" "$(now)")

t0=$(now)
gate "$fg" check --db "$dir/pipeline.db" --actor bench --format json \
	--as-of "$as_of" "$dir/runs.yaml" >"$dir/recorded.json" 2>"$dir/err"
t_rec=$(elapsed "$t0" "$(now)")

t0=$(now)
"$fg" audit verify --db "$dir/pipeline.db" >"$dir/verify.txt" \
	2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
t_ver=$(elapsed "$t0" "$(now)")
if command -v sqlite3 >/dev/null 2>&1; then
	stored=$(sqlite3 "$dir/pipeline.db" "SELECT count(*) FROM runs")
	[ "$stored" -eq "$runs" ] || {
		echo "bench: $stored runs recorded, not $runs" >&2
		exit 1
	}
fi

printf '%-48s %6s %11s %16s\n' "pipeline (one process each)" runs time rate
row "generate the run stream (awk)" "$runs" "$t_gen" \
	"$(kib "$dir/runs.yaml") KiB of YAML"
row "estimate --format json" "$runs" "$t_est" \
	"$(kib "$dir/estimate.json") KiB of JSON"
row "check --no-record --format json" "$runs" "$t_chk" \
	"$(kib "$dir/check.json") KiB of JSON"
row "check --format json, recording (1 evaluation)" "$runs" "$t_rec" \
	"database $(kib "$dir/pipeline.db") KiB"
row "audit verify" "$runs" "$t_ver" "$(cut -d, -f1 "$dir/verify.txt")"
rm -f "$dir/runs.yaml" "$dir"/*.json "$dir"/pipeline.db*

# ---- the per-commit gate: one run, start-up to exit ---------------------
rec="" norec="" i=0
while [ "$i" -lt "$repeat" ]; do
	t0=$(now)
	gate "$fg" check --db "$dir/gate.db" --actor bench --format json \
		--as-of "$as_of" "$one" >/dev/null 2>"$dir/err"
	rec="$rec $(elapsed "$t0" "$(now)")"
	t0=$(now)
	gate "$fg" check --no-record --format json --as-of "$as_of" "$one" \
		>/dev/null 2>"$dir/err"
	norec="$norec $(elapsed "$t0" "$(now)")"
	i=$((i + 1))
done
echo
printf '%-48s %6s %11s\n' "per-commit gate (${one##*/})" runs time
# shellcheck disable=SC2086
ms_row "check --format json, recording" $rec
# shellcheck disable=SC2086
ms_row "check --no-record --format json" $norec

# ---- the store alone ----------------------------------------------------
echo
echo "store: $n evaluations recorded one by one into $dir/bench.db"
build/bench/bench "$dir/bench.db" "$n"
t0=$(now)
"$fg" audit verify --db "$dir/bench.db" >/dev/null
echo "audit verify (the command, with start-up): $(elapsed "$t0" "$(now)" |
	awk '{printf "%.3f", $1}') s"
echo "database size: $(kib "$dir/bench.db") KiB"
