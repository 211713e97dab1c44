#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# flopgate benchmark (not a test): prints figures, asserts no time.
#
# Every figure is CPU time (user + system, from the kernel's accounting of
# the process: bench/measure.c) or peak resident memory, never wall time:
# the machine is shared.  Each is printed with its ratio to the floor
# (bench/floor.c: the least the same libraries must do on the same input,
# measured in the same run) and the issue-9 bound it is held to.
#
#   1. A generated stream (bench/gen-runs.awk) of BENCH_SMALL (20,000) and
#      BENCH_LARGE (200,000) runs: `check --no-record --format json`,
#      `check` recording (one evaluation), `audit verify`, `report --all
#      -o DIR/`; against floor parse (libyaml + SHA-256), floor record
#      (+ a SQLite row per run and per finding, one transaction) and floor
#      rehash (every document flopgate stored, run documents and input
#      texts, read back and hashed).
#      The steps held to a CPU ratio (the floors, check, recording, audit
#      verify) run BENCH_TRIES (3) times on the small stream and
#      BENCH_LARGE_TRIES (3) times on the large one: an odd number, so
#      that the median is one try's ratio and one slow or fast try
#      cannot move it (of two tries it was their mean: 3.77x and 5.92x
#      gave 4.84x in one bench).  This machine's CPU
#      time varies by 10 % from one run of the same command to the next,
#      and by a third, sometimes by half, over some minutes, so each try
#      of check and of recording is measured between two runs of its
#      floor (floor parse, check, floor parse; floor record, recording,
#      floor record) and its ratio is to the mean of those two: what the
#      machine gave the floor just before and just after.  The ratio held
#      to the bound is the median of the tries' own ratios; the fastest
#      try of each program against the fastest of its floor, what this
#      figure was before, is printed beside it (the two fastest may come
#      from minutes apart).  audit verify's floor runs right before it.
#      The report runs once on the small stream, BENCH_REPORT_TRIES
#      times on the large one (2.).
#   2. `report --all` of BENCH_REPORT_SMALL (10,000) runs, against the
#      large one: linear in the runs.  The large report runs
#      BENCH_REPORT_TRIES (3) times, after a small report and each
#      followed by one; each try is held to the mean of the small reports
#      right before and right after it, for the machine's speed moves
#      over minutes (the same report took 5.9 s and 10.4 s in one bench),
#      and the median of the tries is one estimate.  The fastest large
#      report against the fastest small one is another.  A fourth try
#      is measured in the same minutes as the small reports it is set
#      against: small reports run one after another on the other CPU for
#      as long as it runs, and it is held to their mean (report_beside).
#      The speed of this machine moves over seconds and minutes (a
#      10,000-run summary took 2.95 s and 5.2 s a minute apart, a
#      200,000-run one 64 s and 77 s), and each estimate is skewed its
#      own way (below): the figure held to the bound is the worst of the
#      three.
#      The reports are written into BENCH_REPORT_DIR (default /dev/shm
#      when there is one, as the gate's history) after a sync, and each
#      directory there is removed once counted: on this machine's disk,
#      a 200,000-run report leaves 3.8 GB to write back at 13-41 MB/s
#      while it still runs, which a 10,000-run report never does (the
#      kernel starts after 30 s), and ext4 without a journal skips the
#      inodes freed in the last minutes (longer while their block is
#      still to be written) when it gives new files theirs: the same
#      200,000-run report took 158 s of CPU into a fresh /tmp and 203 s
#      right after 420,000 files were removed there.  That is the disk's
#      figure, not the report's.  Where the reports are on another file
#      system than tmpfs, no report directory is removed before the end.
#      After each report, floor write writes the same files again (as
#      many, of the same sizes) and does nothing else: its own ratio,
#      printed beside the report's, is what the file system and this
#      virtual machine's fresh memory charge for 20 times the output
#      (tmpfs pages it has not touched yet cost more than those of a
#      directory just removed).  It is not held to a bound.
#   3. The one-run CI gate (examples/runs/llama-3.1-405b.yaml, recording):
#      into a database holding BENCH_GATE_EVALS (100,000) one-run
#      evaluations, a tenth of them of the gate's own run, and into an
#      empty one; against floor record of that one run, start-up
#      included.  BENCH_GATE_ROUNDS (150) rounds of one run of each, in
#      turn; the medians.  The floor is linked as the program is (the
#      Makefile's FG_CLI_LIBS: wholly static when it can be), so that the
#      ratio compares the work, not the way each loads its libraries.
#
# BENCH_SMALL=2000 BENCH_LARGE=20000 BENCH_REPORT_SMALL=1000
# BENCH_GATE_EVALS=2000 BENCH_GATE_ROUNDS=30 make bench is a quick run;
# BENCH_BUILD_ONLY=1 (make bench-build) builds the benchmark's programs
# and stops, and with BENCH_NO_MAKE=1 too, against the library as it is
# built, without running make (what tests/cli/test_build.sh does while
# other tests run the program).  BENCH_DIR holds the data (default
# $TMPDIR); BENCH_HISTORY_DIR builds the gate's history
# (default /dev/shm when there is one: recording is fsync-bound, and the
# history is only the setting of the figure).
# BENCH_HUGE=N adds, at the end, one stream of N runs (1,300,000 make a
# 1.1 GB file) through `check --no-record --format json`, `check`
# recording and `audit verify`: one file, never split, its peak memory
# printed beside what the large stream took.  It needs about 12 times the
# stream's size free in BENCH_DIR (the JSON, the database and its log)
# and is not held to a bound.
set -e
small=${BENCH_SMALL:-20000}
large=${BENCH_LARGE:-200000}
large_tries=${BENCH_LARGE_TRIES:-3}
report_small=${BENCH_REPORT_SMALL:-10000}
gate_evals=${BENCH_GATE_EVALS:-100000}
tries=${BENCH_TRIES:-3}
report_tries=${BENCH_REPORT_TRIES:-3}
gate_rounds=${BENCH_GATE_ROUNDS:-150}
# A fixed day, so the mix of outcomes is the same whenever it runs.
as_of=2026-06-01
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -n "${BENCH_NO_MAKE:-}" ] || make --no-print-directory all >/dev/null
fg=$root/bin/flopgate
one=$root/examples/runs/llama-3.1-405b.yaml
FLOPGATE_RULES=$root/rules
export FLOPGATE_RULES
mkdir -p build/bench
# the libraries the Makefile builds with (its PKGS)
pkgs=${FG_PKGS:-yaml-0.1 sqlite3 libcrypto jansson gmp liblz4}
flags="-std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE
 -D_POSIX_C_SOURCE=200809L -Iinclude"
# shellcheck disable=SC2046,SC2086
{
	${CC:-cc} $flags -o build/bench/measure bench/measure.c
	# linked as the program is, when the Makefile says how (a wholly
	# static link's warnings about the C library's shared objects are
	# shown only if the link fails)
	${CC:-cc} $flags $(pkg-config --cflags $pkgs) -o build/bench/floor \
		bench/floor.c ${FG_CLI_LIBS:-$(pkg-config --libs $pkgs)} \
		2>build/bench/floor.log || { cat build/bench/floor.log >&2;
		exit 1; }
	${CC:-cc} $flags $(pkg-config --cflags $pkgs) -o build/bench/bench \
		bench/bench.c lib/libflopgate.a $(pkg-config --libs $pkgs) -lm
}
[ -z "${BENCH_BUILD_ONLY:-}" ] || exit 0
measure=$root/build/bench/measure
floor=$root/build/bench/floor
dir=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/flopgate-bench.XXXXXX")
hist_base=${BENCH_HISTORY_DIR:-}
[ -n "$hist_base" ] || { [ -d /dev/shm ] && hist_base=/dev/shm; } ||
	hist_base=$dir
hist=$(mktemp -d "$hist_base/flopgate-history.XXXXXX")
report_base=${BENCH_REPORT_DIR:-}
[ -n "$report_base" ] || { [ -d /dev/shm ] && report_base=/dev/shm; } ||
	report_base=$dir
rdir=$(mktemp -d "$report_base/flopgate-reports.XXXXXX")
trap 'rm -rf "$dir" "$hist" "$rdir"' EXIT
# The number of rules a run is evaluated against (floor record writes as
# many finding rows a run).
rules=$("$fg" rules list | tail -n +2 | wc -l)

# m NAME MAXSTATUS CMD...: measures CMD into $dir/NAME.m (user= sys= cpu=
# maxrss_kib=), its stdout to $dir/NAME.out
m() {
	name=$1 max=$2
	shift 2
	"$measure" -x "$max" -o "$dir/$name.out" -e "$dir/$name.err" -- "$@" \
		>"$dir/$name.m" || { cat "$dir/$name.err" >&2; exit 1; }
}
# v NAME FIELD: a field of a measurement
v() { sed -E "s/.*$2=([0-9.]+).*/\\1/" "$dir/$1.m"; }
# best NAME: keeps the try just measured into NAME.m when it is the
# fastest yet (NAME.try.m; every try's CPU time goes to NAME.all)
best() {
	v "$1.try" cpu >>"$dir/$1.all"
	if [ ! -f "$dir/$1.m" ] || awk -v a="$(v "$1.try" cpu)" \
		-v b="$(v "$1" cpu)" 'BEGIN { exit !(a < b) }'; then
		mv "$dir/$1.try.m" "$dir/$1.m"
	fi
	rm -f "$dir/$1.try.m"
}
# spread NAME: "[fastest of N: LOW-HIGH s]" of its tries, or nothing
spread() {
	sort -n "$dir/$1.all" | awk '{ c[NR] = $1 } END { if (NR > 1)
		printf "[fastest of %d: %.2f-%.2f s]", NR, c[1], c[NR] }'
}
# pair NAME FLOOR_BEFORE FLOOR_AFTER: the try of NAME just measured
# (NAME.try.m), against the mean of its floor's runs around it, into
# NAME.pairs
pair() {
	awk -v c="$(v "$1.try" cpu)" -v a="$2" -v b="$3" \
		'BEGIN { printf "%.4f\n", c / ((a + b) / 2) }' >>"$dir/$1.pairs"
}
# paired NAME: "M.MMx (tries A.AA-B.BBx)", the median of NAME.pairs
paired() {
	sort -n "$dir/$1.pairs" | awk -v m="$(median "$1")" '{ c[NR] = $1 }
		END { printf "%.2fx (tries %.2f-%.2fx)", m, c[1], c[NR] }'
}
# median NAME: the median of NAME.pairs
median() {
	sort -n "$dir/$1.pairs" | awk '{ c[NR] = $1 } END {
		print (c[int((NR + 1) / 2)] + c[int(NR / 2) + 1]) / 2 }'
}
# floor_m NAME: the floor's own report, "N runs, U user, S sys, R KiB"
floor_m() {
	awk '{ for (i = 1; i <= NF; i++) { if ($i == "user,") u = $(i - 2);
	       if ($i == "sys,") s = $(i - 2); if ($i == "KiB") r = $(i - 1) }
	       printf "user=%s sys=%s cpu=%.6f maxrss_kib=%s\n", u, s, u + s,
	       r }' "$dir/$1.out" >"$dir/$1.m"
}
# floor_parse, floor_record: a try of the floor, into fparse.try.m and
# frecord.try.m
floor_parse() {
	"$floor" parse "$dir/runs.yaml" >"$dir/fparse.try.out"
	floor_m fparse.try
}
floor_record() {
	rm -f "$dir/floor.db"*
	"$floor" record "$dir/runs.yaml" "$dir/floor.db" "$rules" \
		>"$dir/frecord.try.out"
	floor_m frecord.try
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
# row WHAT CPU RSS FLOORCPU BOUND: a line of the table
row() {
	awk -v what="$1" -v cpu="$2" -v rss="$3" -v f="$4" -v bound="$5" \
		'BEGIN { printf "  %-34s %9.2f s %9.1f MiB", what, cpu,
		rss / 1024
		if (f > 0) printf "  %6.2fx floor", cpu / f
		else printf "  %13s", ""
		printf "  %s\n", bound }'
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo \
	2>/dev/null || true)
echo "flopgate benchmark: $(nproc 2>/dev/null || echo '?') CPUs" \
	"${cpu:+($cpu)}; CPU time (user + sys) and peak RSS; data in $dir"

# ---- 1. the pipeline on a stream ---------------------------------------------
stream() {
	n=$1
	awk -v n="$n" -f bench/gen-runs.awk >"$dir/runs.yaml"
	echo
	echo "stream of $n runs ($(du -k "$dir/runs.yaml" | cut -f1) KiB" \
		"of YAML), $rules rules:"
	k=$large_tries
	[ "$n" -ne "$small" ] || k=$tries
	for x in fparse frecord frehash norec record verify; do
		rm -f "$dir/$x.m" "$dir/$x.all"
	done
	for x in norec record verify report; do
		rm -f "$dir/$x.pairs"
	done
	rm -f "$dir/report.m" "$dir/report.all"
	t=0
	while [ "$t" -lt "$k" ]; do
		t=$((t + 1))
		floor_parse
		a=$(v fparse.try cpu)
		best fparse
		m norec.try 1 "$fg" check --no-record --format json \
			--as-of "$as_of" "$dir/runs.yaml"
		json_kib=$(du -k "$dir/norec.try.out" | cut -f1)
		rm -f "$dir/norec.try.out"
		floor_parse
		pair norec "$a" "$(v fparse.try cpu)"
		best fparse
		best norec
		floor_record
		a=$(v frecord.try cpu)
		best frecord
		rm -f "$dir"/flopgate.db*
		m record.try 1 "$fg" check --db "$dir/flopgate.db" \
			--actor bench --format json --as-of "$as_of" \
			"$dir/runs.yaml"
		rm -f "$dir/record.try.out"
		floor_record
		pair record "$a" "$(v frecord.try cpu)"
		best frecord
		best record
		# the bytes audit verify re-hashes are those flopgate stored
		"$floor" rehash "$dir/flopgate.db" >"$dir/frehash.try.out"
		floor_m frehash.try
		a=$(v frehash.try cpu)
		best frehash
		m verify.try 0 "$fg" audit verify --db "$dir/flopgate.db"
		pair verify "$a" "$a"
		best verify
	done
	if [ "$n" -eq "$large" ]; then
		report_small 2
		t=0
		while [ "$t" -lt "$report_tries" ]; do
			t=$((t + 1))
			report_try "$n" "$t"
			report_small $((t + 2))
			pair report "$(v report_small.$((t + 1)) cpu)" \
				"$(v report_small.$((t + 2)) cpu)"
			cp "$dir/report.try.m" "$dir/report.$n.$t.m"
			best report
		done
		report_beside "$n"
	else
		report_try "$n" 1
		best report
	fi
	row "floor parse (libyaml + SHA-256)" "$(v fparse cpu)" \
		"$(v fparse maxrss_kib)" 0 "$(spread fparse)"
	row "floor record (+ SQLite rows)" "$(v frecord cpu)" \
		"$(v frecord maxrss_kib)" 0 "$(spread frecord)"
	row "floor rehash (stored bytes)" "$(v frehash cpu)" \
		"$(v frehash maxrss_kib)" 0 "$(spread frehash)"
	row "check --no-record --format json" "$(v norec cpu)" \
		"$(v norec maxrss_kib)" "$(v fparse cpu)" \
		"($json_kib KiB of JSON) $(spread norec)"
	row "check, recording" "$(v record cpu)" "$(v record maxrss_kib)" \
		"$(v frecord cpu)" "($(du -k "$dir/flopgate.db" |
		cut -f1) KiB of database) $(spread record)"
	row "audit verify" "$(v verify cpu)" "$(v verify maxrss_kib)" \
		"$(v frehash cpu)" "$(spread verify)"
	row "report --all -o DIR/" "$(v report cpu)" "$(v report maxrss_kib)" \
		0 "$report_files files $(spread report)"
	echo "  each try against its own floor (the floor's runs just" \
		"before and after it), the median of the tries:"
	echo "    check --no-record --format json  $(paired norec)" \
		"floor parse (bound: <= 5x)"
	echo "    check, recording                 $(paired record)" \
		"floor record (bound: <= 5x)"
	echo "    audit verify                     $(paired verify)" \
		"floor rehash (bound: <= 3x)"
	# where each step's time went: a ratio that moves between benches
	# moves in one of the two
	printf '  user + sys:'
	for x in fparse frecord norec record verify report; do
		printf ' %s %s + %s s;' "$x" "$(v "$x" user)" "$(v "$x" sys)"
	done
	echo
	for x in norec record verify report; do
		cp "$dir/$x.m" "$dir/$x.$n.m"
	done
	rm -rf "$dir/runs.yaml" "$dir/floor.db" "$dir"/flopgate.db*
}
# report_small TRY: report --all of the BENCH_REPORT_SMALL runs recorded
# in $dir/report-small.db (recorded at the first try), into
# report_small.TRY.m
report_small() {
	if [ ! -f "$dir/report-small.db" ]; then
		awk -v n="$report_small" -f bench/gen-runs.awk \
			>"$dir/runs.yaml"
		"$fg" check --db "$dir/report-small.db" --actor bench \
			--format json --as-of "$as_of" "$dir/runs.yaml" \
			>/dev/null || [ $? -eq 1 ]
		rm -f "$dir/runs.yaml"
	fi
	sync
	m report_small.try 0 "$fg" report --db "$dir/report-small.db" --all \
		-q -o "$rdir/reports-small-$1/"
	floor_write "reports-small-$1" "fwrite_small.$1"
	cp "$dir/report_small.try.m" "$dir/report_small.$1.m"
	best report_small
}
# floor_write NAME M: the files report wrote into $rdir/NAME, written
# again by floor write (the same sizes, as many files), into M.m; each
# directory removed after as drop_reports does
floor_write() {
	find "$rdir/$1" -type f -printf '%s\n' >"$dir/sizes"
	drop_reports "$rdir/$1"
	"$floor" write "$dir/sizes" "$rdir/fwrite-$1" >"$dir/$2.out"
	floor_m "$2"
	drop_reports "$rdir/fwrite-$1"
	rm -f "$dir/sizes"
}
# report_try N TRY: report --all of the stream just recorded, into
# report.try.m; its count of files into report_files
report_try() {
	sync
	m report.try 0 "$fg" report --db "$dir/flopgate.db" --all -q \
		-o "$rdir/reports-$1-$2/"
	report_files=$(ls "$rdir/reports-$1-$2" | wc -l)
	floor_write "reports-$1-$2" "fwrite.$1.$2"
}
# report_beside N: one more try of the large report, with small reports
# run beside it on the other CPU, one after another, as long as it runs:
# its CPU time into report.beside.m, that of each small report that
# ended before it did into beside.all
report_beside() {
	rm -f "$dir/beside.done" "$dir/beside.all"
	sync
	(
		trap 'touch "$dir/beside.done"' EXIT
		m report.beside 0 "$fg" report --db "$dir/flopgate.db" \
			--all -q -o "$rdir/reports-$1-beside/"
	) &
	big=$!
	i=0
	while [ ! -f "$dir/beside.done" ]; do
		i=$((i + 1))
		m report_beside.try 0 "$fg" report \
			--db "$dir/report-small.db" --all -q \
			-o "$rdir/reports-beside-$i/"
		drop_reports "$rdir/reports-beside-$i"
		[ -f "$dir/beside.done" ] ||
			v report_beside.try cpu >>"$dir/beside.all"
	done
	wait "$big"
	drop_reports "$rdir/reports-$1-beside"
}
# drop_reports DIR: removes a report directory measured on tmpfs (see 2.)
drop_reports() {
	[ "$(stat -f -c %T "$rdir")" != tmpfs ] || rm -rf "${1:?}"
}
stream "$small"
report_small 1
stream "$large"
echo
echo "memory from $small to $large runs (bound: <= 64 MiB at $large, and" \
	"within 10 %):"
for x in norec record verify report; do
	awk -v what="$x" -v a="$(v "$x.$small" maxrss_kib)" \
		-v b="$(v "$x.$large" maxrss_kib)" 'BEGIN {
		printf "  %-8s %8.1f MiB -> %8.1f MiB  (%+.1f %%)\n", what,
		a / 1024, b / 1024, (b - a) * 100 / a }'
done

# ---- 2. report --all is linear ----------------------------------------------
echo
echo "report --all -o DIR/ into $rdir ($(stat -f -c %T "$rdir")), $large" \
	"runs against $report_small, each try between two small reports:"
# each try, and each part on its own: flopgate's work is the user time;
# the system time is mostly the file system's, creating twice as many
# files as runs
t=0
while [ "$t" -lt "$report_tries" ]; do
	t=$((t + 1))
	awk -v t="$t" -v bu="$(v "report.$large.$t" user)" \
		-v bs="$(v "report.$large.$t" sys)" \
		-v au="$(v "report_small.$((t + 1))" user)" \
		-v as="$(v "report_small.$((t + 1))" sys)" \
		-v cu="$(v "report_small.$((t + 2))" user)" \
		-v cs="$(v "report_small.$((t + 2))" sys)" 'BEGIN {
		b = bu + bs; a = au + as; c = cu + cs
		printf "  try %d: %.2f s (%.2f + %.2f), small %.2f s before " \
		       "and %.2f s after: %.2fx (user %.2fx, sys %.2fx)\n", t,
		       b, bu, bs, a, c, b / ((a + c) / 2),
		       bu / ((au + cu) / 2), bs / ((as + cs) / 2) }'
	awk -v b="$(v "fwrite.$large.$t" cpu)" \
		-v a="$(v "fwrite_small.$((t + 1))" cpu)" \
		-v c="$(v "fwrite_small.$((t + 2))" cpu)" \
		-v pairs="$dir/fwrite.pairs" 'BEGIN { r = b / ((a + c) / 2)
		printf "         its files alone (floor write): %.2f s, small " \
		       "%.2f s and %.2f s: %.2fx\n", b, a, c, r
		printf "%.4f\n", r >>pairs }'
done
echo "  the median of the tries: $(paired report) for" \
	"$((large / report_small))x the runs"
awk -v b="$(v "report.$large" cpu)" -v f="$(v report_small cpu)" \
	-v n="$report_small" -v s="$(spread report_small)" 'BEGIN {
	printf "  the fastest large report against the fastest %d-run " \
	       "report %s: %.2fx\n", n, s, b / f }'
# The estimates part when the machine's speed moves: when the small
# reports' times are bimodal (5.8 s and 9.5 s in turn in one bench), the
# mean beside a try flatters it, and the fastest of each may come from
# minutes apart, the fastest short report from a fast spell the long one
# cannot keep to.  The third measures both in the same minutes: small
# reports one after another on the other CPU for as long as a large one
# runs.  It is not even-handed either: the large report writes 3.8 GB of
# pages this machine has not touched yet while the small ones reuse the
# pages of the directories removed between them (in one bench a large
# report took 132.6 s beside them and 108-140 s alone; they took what
# they take alone).  The figure held is the worst of the three.
awk -v b="$(v report.beside cpu)" -v all="$dir/beside.all" \
	-v n="$report_small" -v p="$(median report)" \
	-v fb="$(v "report.$large" cpu)" -v fs="$(v report_small cpu)" 'BEGIN {
	h = fb / fs > p ? fb / fs : p
	while ((getline x <all) > 0) {
		k++; s += x
		if (k == 1 || x < lo) lo = x
		if (k == 1 || x > hi) hi = x
	}
	if (k) {
		r = b / (s / k)
		printf "  beside it, in the same minutes: %.2f s against the " \
		       "mean of %d %d-run reports run meanwhile on the other " \
		       "CPU (%.2f-%.2f s): %.2fx\n", b, k, n, lo, hi, r
		if (r > h) h = r
	} else
		printf "  no %d-run report ended beside the large one\n", n
	printf "  held, the worst of the three: %.2fx (bound: <= 20x)\n", h }'
echo "  the same files written by floor write, nothing else:" \
	"$(paired fwrite) (not held)"

# ---- 3. the one-run gate ------------------------------------------------------
awk -v n=5000 -f bench/gen-runs.awk >"$dir/runs.yaml"
build/bench/bench history "$hist/history.db" "$gate_evals" \
	"$dir/runs.yaml" "$one" >/dev/null
cp "$hist/history.db" "$dir/history.db"
rm -rf "${hist:?}"/*
# The copy's gigabytes are still dirty in the page cache: the first gate's
# fdatasync would write them all back and count it as the gate's system
# time (about 0.2 s at 100,000 evaluations, 10 ms a gate over 20).  That
# is the cost of the copy, not of the gate: it is written back first.
sync "$dir/history.db"
# BENCH_GATE_ROUNDS rounds of the three, one run of each, the order
# turning each round: a run's CPU time is the kernel's account of that one
# process.  The figures are the medians of each; the ratio is the ratio
# of medians, and the median of the rounds' own ratios is printed beside
# it.  (The fastest of a few series of 50 was this figure before: a
# series lasts half a second, the machine's speed moves over seconds,
# and a floor's fastest series and the gate's were not measured in the
# same half second.)  Three rounds first warm the page cache.
gate_cpu() { # NAME CMD...: one run's CPU seconds appended to $dir/NAME.t
	name=$1
	shift
	"$measure" -x 1 -- "$@" >"$dir/$name.one.m" || exit 1
	v "$name.one" cpu >>"$dir/$name.t"
}
gate_round() {
	case $1 in
	gh) gate_cpu gh "$fg" check --db "$dir/history.db" --actor bench \
		--format json --as-of "$as_of" "$one" ;;
	ge) gate_cpu ge "$fg" check --db "$dir/empty.db" --actor bench \
		--format json --as-of "$as_of" "$one" ;;
	gf) gate_cpu gf "$floor" record "$one" "$dir/fgate.db" "$rules" ;;
	esac
}
r=0
while [ "$r" -lt $((gate_rounds + 3)) ]; do
	case $((r % 3)) in
	0) order="gh ge gf" ;;
	1) order="ge gf gh" ;;
	*) order="gf gh ge" ;;
	esac
	[ "$r" -ne 3 ] || rm -f "$dir/gh.t" "$dir/ge.t" "$dir/gf.t"
	for x in $order; do
		gate_round "$x"
	done
	r=$((r + 1))
done
# med NAME: the median of NAME.t in ms; quartiles NAME: "Q1-Q3 ms"
med() {
	sort -n "$dir/$1.t" | awk '{ c[NR] = $1 }
		END { printf "%.3f", (c[int((NR + 1) / 2)] + c[int(NR / 2) + 1]) \
		      / 2 * 1e3 }'
}
quartiles() {
	sort -n "$dir/$1.t" | awk '{ c[NR] = $1 } END {
		printf "%.1f-%.1f ms", c[int(NR / 4) + 1] * 1e3,
		c[int(3 * NR / 4) + 1] * 1e3 }'
}
rounds_ratio() { # the median of the rounds' own A/B ratios
	paste "$dir/$1.t" "$dir/$2.t" | awk '{ print $1 / $2 }' | sort -n |
		awk '{ c[NR] = $1 } END { printf "%.2f",
		(c[int((NR + 1) / 2)] + c[int(NR / 2) + 1]) / 2 }'
}
echo
echo "one-run gate (${one##*/}, recording), $gate_rounds rounds of one run" \
	"each, the median CPU time:"
awk -v h="$(med gh)" -v e="$(med ge)" -v f="$(med gf)" \
	-v hf="$(rounds_ratio gh gf)" -v he="$(rounds_ratio gh ge)" \
	-v ef="$(rounds_ratio ge gf)" -v evals="$gate_evals" \
	-v hk="$(du -k "$dir/history.db" | cut -f1)" 'BEGIN {
	printf "  into %d evaluations (%d KiB) %6.2f ms  %4.2fx floor " \
	       "(<= 2x; rounds %4.2fx), %4.2fx empty (<= 1.2x; rounds " \
	       "%4.2fx)\n", evals, hk, h, h / f, hf, h / e, he
	printf "  into an empty database      %6.2f ms  %4.2fx floor " \
	       "(rounds %4.2fx)\n", e, e / f, ef
	printf "  floor record of that run    %6.2f ms\n", f }'
for x in "gh into the history" "ge into an empty database" "gf floor"; do
	echo "  ${x#* }: quartiles $(quartiles "${x%% *}")"
done

# ---- 4. a stream of BENCH_HUGE runs, one file (only when asked) -----------------
[ -n "${BENCH_HUGE:-}" ] || exit 0
rm -f "$dir"/history.db* "$dir"/empty.db* "$dir"/fgate.db*
awk -v n="$BENCH_HUGE" -f bench/gen-runs.awk >"$dir/runs.yaml"
echo
echo "one stream of $BENCH_HUGE runs ($(du -k "$dir/runs.yaml" | cut -f1)" \
	"KiB of YAML), unsplit:"
m huge_norec 1 "$fg" check --no-record --format json --as-of "$as_of" \
	"$dir/runs.yaml"
json_kib=$(du -k "$dir/huge_norec.out" | cut -f1)
rm -f "$dir/huge_norec.out"
m huge_record 1 "$fg" check --db "$dir/flopgate.db" --actor bench \
	--format json --as-of "$as_of" "$dir/runs.yaml"
rm -f "$dir/huge_record.out"
m huge_verify 0 "$fg" audit verify --db "$dir/flopgate.db"
row "check --no-record --format json" "$(v huge_norec cpu)" \
	"$(v huge_norec maxrss_kib)" 0 "($json_kib KiB of JSON)"
row "check, recording" "$(v huge_record cpu)" \
	"$(v huge_record maxrss_kib)" 0 "($(du -k "$dir/flopgate.db" |
	cut -f1) KiB of database)"
row "audit verify" "$(v huge_verify cpu)" "$(v huge_verify maxrss_kib)" 0 \
	"$(cat "$dir/huge_verify.out")"
for x in norec record verify; do
	awk -v what="$x" -v a="$(v "$x.$large" maxrss_kib)" \
		-v b="$(v "huge_$x" maxrss_kib)" 'BEGIN {
		printf "  peak memory, %-8s %8.1f MiB at the large stream ->" \
		       " %8.1f MiB  (%+.1f %%)\n", what, a / 1024, b / 1024,
		       (b - a) * 100 / a }'
done
