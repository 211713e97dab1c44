#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# a bounded time on a copy of its committed seed corpus.
#   tests/fuzz/run.sh SECONDS [SUMMARY]
# `make fuzz-smoke` runs it for 15 s a target (part of `make check` when
# clang with libFuzzer is present); `make fuzz` for 10 minutes a target.
# Corpora grow in build/fuzz/corpus-*; crashes land in build/fuzz/ and
# fail the run.  SUMMARY gets "PASSED FAILED" (one per target) for
# tests/total.sh.  FG_TEST_JOBS (default 2, as for the suites) objects
# compile and targets run at a time: each target still has SECONDS of
# its own core, and the results come out in the order of $targets.
set -u
seconds=${1:-15}
summary=${2:-}
jobs=${FG_TEST_JOBS:-2}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
cd "$(dirname "$0")/../.."
out=build/fuzz
CC=${FUZZ_CC:-clang}
targets="yaml quantity run rules waiver checkpoint frame json_read"
# the libraries the Makefile builds with (its PKGS)
pkgs=${FG_PKGS:-yaml-0.1 sqlite3 libcrypto jansson gmp liblz4}

probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
{ (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! command -v "$CC" >/dev/null 2>&1 ||
   ! "$CC" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	rm -rf "$probe"
	echo "fuzz: skipped: no clang with libFuzzer (install clang)"
	[ -n "$summary" ] && echo "0 0" >"$summary"
	exit 0
fi
rm -rf "$probe"

mkdir -p "$out/obj"
flags="-g -O1 -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude
 -Isrc -DFG_VERSION=\"fuzz\" -fsanitize=address,undefined
 -fno-sanitize-recover=all"
# shellcheck disable=SC2086
pkg=$(pkg-config --cflags $pkgs)
# shellcheck disable=SC2086
libs="$(pkg-config --libs $pkgs) -lm"
# batch CMD ARG...: CMD ARG for each ARG, $jobs at a time; 1 when any
# failed (each waited for: a failure leaves no compiler running)
batch() {
	cmd=$1 pids="" n=0 bad=0
	shift
	for a in "$@"; do
		"$cmd" "$a" &
		pids="$pids $!"
		n=$((n + 1))
		if [ "$n" -ge "$jobs" ]; then
			for p in $pids; do wait "$p" || bad=1; done
			pids="" n=0
		fi
	done
	for p in $pids; do wait "$p" || bad=1; done
	return "$bad"
}
compile() { # SRC: its object
	# shellcheck disable=SC2086
	$CC $flags -fsanitize=fuzzer-no-link $pkg -c "$1" \
		-o "$out/obj/$(basename "$1" .c).o"
}
objs="" stale=""
for src in src/*.c; do
	o="$out/obj/$(basename "$src" .c).o"
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] ||
	   [ -n "$(find include src -name '*.h' -newer "$o" 2>/dev/null)" ]; then
		rm -f "$o"
		stale="$stale $src"
	fi
	objs="$objs $o"
done
# shellcheck disable=SC2086
batch compile $stale || exit 1

link_target() { # TARGET
	# shellcheck disable=SC2086
	$CC $flags -fsanitize=fuzzer $pkg -o "$out/fuzz_$1" \
		"tests/fuzz/fuzz_$1.c" $objs $libs
}
fuzz() { # TARGET: its run, its exit status into $out/fuzz_TARGET.rc
	corpus="$out/corpus-$1"
	mkdir -p "$corpus"
	cp tests/fuzz/corpus/"$1"/* "$corpus"/ 2>/dev/null
	dict=""
	case $1 in yaml | run | rules | waiver) dict="-dict=tests/fuzz/yaml.dict" ;;
	esac
	# shellcheck disable=SC2086
	"$out/fuzz_$1" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 $dict -artifact_prefix="$out/$1-" \
		"$corpus" >"$out/fuzz_$1.log" 2>&1
	echo "$?" >"$out/fuzz_$1.rc"
}
# shellcheck disable=SC2086
batch link_target $targets || exit 1
for t in $targets; do
	rm -f "$out/fuzz_$t.rc"
done
# shellcheck disable=SC2086
batch fuzz $targets
passed=0 failed=0
for t in $targets; do
	log="$out/fuzz_$t.log"
	rc=$(cat "$out/fuzz_$t.rc" 2>/dev/null || echo '?')
	runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" |
		grep -Eo '[0-9]+$')
	[ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tail -n 1 |
		tr -d '#')
	if [ "$rc" = 0 ]; then
		echo "ok - fuzz_$t: ${runs:-?} executions in ${seconds}s, no findings"
		passed=$((passed + 1))
	else
		echo "not ok - fuzz_$t: a finding (exit $rc); see $log"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -n 5
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ -n "$summary" ] && echo "$passed $failed" >"$summary"
[ "$failed" -eq 0 ]
