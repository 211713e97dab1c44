#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# a bounded number of inputs.  Not part of `make check`.
#   tests/fuzz/run.sh [RUNS]        default 200000 runs per target
# Corpora grow in build/fuzz/corpus-*; crashes land in build/fuzz/.
set -eu
runs=${1:-200000}
cd "$(dirname "$0")/../.."
out=build/fuzz
mkdir -p "$out/corpus-yaml" "$out/corpus-quantity" "$out/corpus-run"
CC=${FUZZ_CC:-clang}
flags="-g -O1 -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
lib="src/yaml.c src/node.c src/quantity.c src/node_quantity.c src/exact.c src/error.c"
# shellcheck disable=SC2086
$CC $flags -o "$out/fuzz_yaml" tests/fuzz/fuzz_yaml.c $lib \
	$(pkg-config --cflags --libs yaml-0.1 gmp) -lm
# shellcheck disable=SC2086
$CC $flags -o "$out/fuzz_quantity" tests/fuzz/fuzz_quantity.c $lib \
	$(pkg-config --cflags --libs yaml-0.1 gmp) -lm

# shellcheck disable=SC2086
$CC $flags -DFG_VERSION=\"fuzz\" -o "$out/fuzz_run" tests/fuzz/fuzz_run.c src/*.c \
	$(pkg-config --cflags --libs yaml-0.1 sqlite3 libcrypto jansson gmp) -lm

# seeds: every run file and bad input we have, and the quantity forms
for f in tests/fixtures/bad/*.yaml tests/fixtures/runs/*.yaml \
	 examples/runs/*.yaml; do
	[ -f "$f" ] || continue
	cp "$f" "$out/corpus-yaml/seed-$(basename "$f")"
	cp "$f" "$out/corpus-run/seed-$(basename "$f")"
done
i=0
for q in 3.8e25 10^25 3.3x10^22 '3.3 × 10^22' '38 YFLOP' '43500 PF-days' \
	 '2.788e6 GPU-hours' 54d 1296h 90min '989.4 TFLOP/s' '$6.0e7' \
	 '6e7 USD' 405B 40% 1e400 .nan 0x1p3 2024-02-29 \
	 2024-06-30T12:00:00+02:00 '$60M' '10 YFLOP' 1e25/3 '10^23/3 FLOP' \
	 1/0 '1/3/3'; do
	i=$((i + 1))
	printf '%s' "$q" >"$out/corpus-quantity/seed-$i"
done

"$out/fuzz_yaml" -runs="$runs" -max_len=4096 -dict=tests/fuzz/yaml.dict \
	-artifact_prefix="$out/" "$out/corpus-yaml"
"$out/fuzz_quantity" -runs="$runs" -max_len=128 \
	-artifact_prefix="$out/" "$out/corpus-quantity"
"$out/fuzz_run" -runs="$runs" -max_len=4096 -dict=tests/fuzz/yaml.dict \
	-artifact_prefix="$out/" "$out/corpus-run"
