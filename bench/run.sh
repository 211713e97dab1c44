#!/bin/sh
# flopgate benchmark (not a test): how fast the store records evaluations
# and verifies its audit chain.  `make bench` runs it after building
# lib/libflopgate.a.  BENCH_N sets the number of evaluations (default 1000).
# The database lives in a temporary directory; set BENCH_DIR to measure on
# another disk (recording is fsync-bound: synchronous = FULL).
set -e
n=${BENCH_N:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f lib/libflopgate.a ] || make --no-print-directory all
mkdir -p build/bench
pkgs="yaml-0.1 sqlite3 libcrypto jansson"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-D_POSIX_C_SOURCE=200809L -Iinclude $(pkg-config --cflags $pkgs) \
	-o build/bench/bench bench/bench.c lib/libflopgate.a \
	$(pkg-config --libs $pkgs) -lm
dir=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/flopgate-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "flopgate store benchmark: $n evaluations into $dir/bench.db"
build/bench/bench "$dir/bench.db" "$n"
start=$(date +%s.%N)
bin/flopgate audit verify --db "$dir/bench.db" >/dev/null
end=$(date +%s.%N)
echo "$start $end" | awk '{printf "audit verify (the command, with start-up): %.3f s\n", $2 - $1}'
echo "database size: $(du -k "$dir/bench.db" | cut -f1) KiB"
