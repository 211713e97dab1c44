#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, items 2 and 5: `make install` and `make uninstall`.  The
# installed tree works on its own: copied elsewhere, with the source tree
# out of sight and FLOPGATE_RULES unset, its binary finds its own rules
# and checks an example run; a C and a C++ program build against it with
# nothing but `pkg-config --cflags --libs flopgate`, and run, linked
# dynamically and statically, with no dependency's header in sight (the
# public headers include none); the Python binding imports from it and
# returns what the binary prints; the man pages are installed where man
# finds them; uninstall leaves nothing behind.
#
# What is installed is the default build (bin/, lib/), whichever build
# the suite is testing: make runs afresh, without the sanitizer pass's
# make variables, but with the WERROR `make check` exports, so an
# up-to-date build is not rebuilt.
. tests/cli/lib.sh

unset FLOPGATE_RULES FLOPGATE_HARDWARE
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make --no-print-directory -C "$FG_ROOT" "$@"
}
version=$(sed -n 's/.*define FLOPGATE_VERSION "\(.*\)"$/\1/p' \
	include/flopgate.h)
dest=$T/dest
prefix=$dest/usr/local

expect "make install DESTDIR=... PREFIX=/usr/local" 0 \
	mk install DESTDIR="$dest" PREFIX=/usr/local
[ "$RC" -eq 0 ] || { cat "$T/out" "$T/err"; exit 1; }

# ---- the tree ------------------------------------------------------------

missing=""
for f in bin/flopgate lib/libflopgate.a lib/libflopgate.so.$version \
	lib/pkgconfig/flopgate.pc include/flopgate.h; do
	[ -f "$prefix/$f" ] || missing="$missing $f"
done
for f in include/flopgate/*.h; do
	cmp -s "$f" "$prefix/$f" || missing="$missing $f"
done
for f in rules/*.yaml rules/provisional/*.yaml; do
	cmp -s "$f" "$prefix/share/flopgate/$f" || missing="$missing $f"
done
for f in schema/*.schema.json; do
	cmp -s "$f" "$prefix/share/flopgate/$f" || missing="$missing $f"
done
for f in man/*.[1-9]; do
	cmp -s "$f" "$prefix/share/man/man${f##*.}/${f#man/}" ||
		missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok "installs the binary, both libraries, every header, the .pc file, every ruleset, schema and man page"
else
	notok "installs the binary, both libraries, every header, the .pc file, every ruleset, schema and man page" \
		"missing or different:$missing"
fi
# Every public header is in the umbrella and usable from C++: a header
# added later must not be forgotten in either.
bare=""
for f in include/flopgate/*.h; do
	grep -q "^#include \"flopgate/${f##*/}\"" include/flopgate.h &&
		grep -q '^extern "C" {' "$f" || bare="$bare $f"
done
if [ -z "$bare" ]; then
	ok "every public header is in flopgate.h and has extern \"C\" guards"
else
	notok "every public header is in flopgate.h and has extern \"C\" guards" \
		"not:$bare"
fi
assert "the binary is executable, the archive is not" \
	[ -x "$prefix/bin/flopgate" -a ! -x "$prefix/lib/libflopgate.a" ]
assert "libflopgate.so.0 links to the library, libflopgate.so to .so.0" \
	[ "$(readlink "$prefix/lib/libflopgate.so.0")" = \
	  "libflopgate.so.$version" -a \
	  "$(readlink "$prefix/lib/libflopgate.so")" = libflopgate.so.0 ]
readelf -d "$prefix/lib/libflopgate.so.$version" >"$T/dynamic" 2>&1
assert "the library's soname is libflopgate.so.0" \
	grep -q 'SONAME.*\[libflopgate\.so\.0\]' "$T/dynamic"

# The tree moves as a whole: the binary looks for its rules relative to
# itself before the prefix it was built for (/usr/local, not there).
moved=$T/elsewhere
cp -a "$prefix" "$moved"
rm -rf "$dest"
mkdir "$T/work"
cp examples/runs/gpt-4.yaml "$T/work/run.yaml"
cp -R examples/runs "$T/work/runs"
cp tests/fixtures/bad/bad-date.yaml "$T/work/bad.yaml"

# No string of the source tree's path is compiled into what is installed
# (debug information aside: that names the sources by design).
for f in bin/flopgate "lib/libflopgate.so.$version"; do
	strip -o "$T/stripped" "$moved/$f"
	if grep -q -a -F "$FG_ROOT" "$T/stripped"; then
		notok "$f does not name the source tree" \
			"$(strings "$T/stripped" | grep -F "$FG_ROOT" | head -3)"
	else
		ok "$f does not name the source tree"
	fi
done

# hidden CMD...: runs CMD in $T/work where the source tree cannot be
# seen: in a mount namespace with an empty tmpfs over it, when this
# machine allows one (root on Linux); else only from outside the tree.
hidden() { (cd "$T/work" && "$@"); }
case "$T" in
"$FG_ROOT"/*) can_hide=no ;;
*) unshare -m sh -c 'mount -t tmpfs none "$1"' sh "$FG_ROOT" 2>/dev/null &&
	can_hide=yes ;;
esac
if [ "${can_hide:-no}" = yes ]; then
	hidden() {
		unshare -m sh -c 'mount -t tmpfs none "$1" && cd "$2" &&
			shift 2 && exec "$@"' sh "$FG_ROOT" "$T/work" "$@"
	}
	hidden test ! -e "$FG_ROOT/Makefile"
	assert "the source tree is hidden from the installed tree's tests" \
		[ $? -eq 0 ]
else
	ok "skipped: hiding the source tree (no mount namespace here); run from outside it"
fi

run hidden "$moved/bin/flopgate" --help
assert "--help names the rules directory it found: the installed tree's" \
	grep -q "^rules directory: $moved/bin/../share/flopgate/rules\$" \
	"$T/out"
assert "--help documents FLOPGATE_RULES" grep -q FLOPGATE_RULES "$T/out"
if command -v man >/dev/null 2>&1; then
	MANPATH=$moved/share/man man -P cat 5 flopgate-run >"$T/man" 2>&1
	assert "man 5 flopgate-run finds the installed page" \
		grep -q "FLOPGATE-RUN(5)" "$T/man"
fi

# The installed binary checks an example run with the installed rules:
# the same rulesets (by hash) and the same findings as the source tree's
# binary with the source tree's rules.
findings() {
	jq -S '{rulesets: [.rulesets[] | {id, sha256}],
		findings: [.runs[] | {id, findings}]}' "$1"
}
(cd "$T/work" && "$FG_ROOT/bin/flopgate" check --no-record \
	--as-of 2026-11-30 --format json --fail-on never run.yaml) \
	>"$T/source.json" 2>"$T/err"
findings "$T/source.json" >"$T/source.findings"
expect "the installed binary checks an example run" 0 \
	hidden "$moved/bin/flopgate" check --no-record --as-of 2026-11-30 \
	--format json --fail-on never run.yaml
findings "$T/out" >"$T/installed.findings"
if [ -s "$T/source.findings" ] &&
   cmp -s "$T/source.findings" "$T/installed.findings"; then
	ok "with the shipped rulesets, and the findings of the source tree"
else
	notok "with the shipped rulesets, and the findings of the source tree" \
		"$(diff "$T/source.findings" "$T/installed.findings" | head -20)"
fi
assert "where the AI Act's systemic-risk line is triggered" \
	grep -q '"outcome": "triggered"' "$T/installed.findings"

mkdir "$T/only-eu"
cp rules/eu-ai-act.yaml rules/hardware.yaml "$T/only-eu/"
FLOPGATE_RULES=$T/only-eu
export FLOPGATE_RULES
run hidden "$moved/bin/flopgate" rules list
unset FLOPGATE_RULES
if [ "$RC" -eq 0 ] && grep -q eu.gpai.systemic-risk "$T/out" &&
   ! grep -q us-ca.sb53 "$T/out"; then
	ok "FLOPGATE_RULES overrides the installed rules"
else
	notok "FLOPGATE_RULES overrides the installed rules" \
		"exit $RC: $(head -c 400 "$T/out" "$T/err")"
fi

# ---- embedding: C and C++ with nothing but pkg-config ----------------------

cp tests/fixtures/install/embed.c tests/fixtures/install/embed.cpp \
	tests/fixtures/install/gate.c "$T/work/"
PKG_CONFIG_PATH=$moved/lib/pkgconfig
export PKG_CONFIG_PATH
pc() { pkg-config --define-variable=prefix="$moved" "$@" flopgate; }
assert "pkg-config knows flopgate $version" \
	[ "$(pc --modversion)" = "$version" ]
flags=$(pc --cflags --libs)
static_flags=$(pc --static --cflags --libs)
expected="flopgate $version: $(ls rules/*.yaml | grep -vc hardware.yaml) rulesets
gpt-4: 2.1 x 10^25 FLOP"

# embedded NAME PROGRAM: PROGRAM ran, with the installed rules, and
# printed what the installed library computes
embedded() {
	run hidden env LD_LIBRARY_PATH="$moved/lib" "$2" \
		"$moved/share/flopgate/rules" run.yaml
	if [ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = "$expected" ]; then
		ok "$1"
	else
		notok "$1" "exit $RC" "out: $(head -c 300 "$T/out")" \
			"err: $(head -c 300 "$T/err")"
	fi
}

# shellcheck disable=SC2086
expect "a C program builds with pkg-config --cflags --libs flopgate" 0 \
	hidden cc -std=c99 -Wall -Wextra -Werror -o embed-c embed.c $flags
embedded "and runs on the shared library" "$T/work/embed-c"
hidden env LD_LIBRARY_PATH="$moved/lib" ldd embed-c >"$T/ldd" 2>&1
assert "which it loads from the installed tree" \
	grep -q "libflopgate.so.0 => $moved/lib/libflopgate.so.0" "$T/ldd"

# shellcheck disable=SC2086
expect "a C++ program builds the same way (extern \"C\")" 0 \
	hidden g++ -std=c++11 -Wall -Wextra -Werror -o embed-cxx embed.cpp \
	$flags
embedded "and runs, with the C program's output" "$T/work/embed-cxx"

# The public headers stand alone: they include only the C library's
# headers, never a dependency's, so that pkg-config's Requires.private
# is true.  Proved twice: by what they #include, and by building with a
# directory ahead of the system's whose jansson.h, yaml.h, gmp.h,
# sqlite3.h and openssl/*.h each stop the compiler.
foreign=$(cd "$moved/include" && grep -h '^#[[:space:]]*include[[:space:]]*<' \
	flopgate.h flopgate/*.h | grep -v -e '<stddef\.h>' -e '<stdint\.h>' \
	-e '<stdio\.h>')
assert "the installed headers include only <stddef.h>, <stdint.h> and <stdio.h>" \
	[ -z "$foreign" ]
mkdir -p "$T/work/poison/openssl"
for h in jansson.h yaml.h gmp.h sqlite3.h openssl/evp.h openssl/sha.h \
	openssl/crypto.h; do
	printf '#error "a public header includes <%s>"\n' "$h" \
		>"$T/work/poison/$h"
done
# shellcheck disable=SC2086
expect "a C program builds with no dependency's headers in sight" 0 \
	hidden cc -std=c99 -Wall -Werror -Ipoison -c -o poison.o embed.c \
	$flags
# shellcheck disable=SC2086
expect "and a C++ program" 0 \
	hidden g++ -std=c++11 -Wall -Werror -Ipoison -c -o poison.o \
	embed.cpp $flags
assert "pkg-config --cflags names no dependency's directory" \
	[ "$(pc --cflags | sed 's/ *$//')" = "-I$moved/include" ]

# The API a gate needs, from C and from C++: rules, runs, the pipeline
# with the recorder, the JSON document in memory and a sink of the
# program's own, then the audit chain verified.
gate_expected="run 0: gpt-4 (its JSON)
1 runs, gate failed, evaluation 1, the JSON document
audit chain: 1 entries"
for lang in c c++; do
	case $lang in
	c) compile="cc -std=c99" ;;
	*) compile="g++ -std=c++11 -x c++" ;;
	esac
	rm -f "$T/work/gate.db"
	# shellcheck disable=SC2086
	expect "a $lang gate builds on check.h, sink.h and store.h" 0 \
		hidden $compile -Wall -Wextra -Werror -Ipoison -o gate gate.c \
		-x none $flags
	run hidden env LD_LIBRARY_PATH="$moved/lib" ./gate \
		"$moved/share/flopgate/rules" gate.db run.yaml
	if [ "$RC" -eq 1 ] && [ "$(cat "$T/out")" = "$gate_expected" ]; then
		ok "and records, renders, calls its own sink and verifies ($lang)"
	else
		notok "and records, renders, calls its own sink and verifies ($lang)" \
			"exit $RC" "out: $(head -c 300 "$T/out")" \
			"err: $(head -c 300 "$T/err")"
	fi
	expect "whose database the installed binary verifies ($lang)" 0 \
		hidden "$moved/bin/flopgate" audit verify --db gate.db
done

# Static linking needs every dependency's archive, which pkg-config
# --static names (Requires.private, Libs.private).  libcrypto warns that
# dlopen needs the shared libc at run time: a warning, not a failure.
printf 'int main(void){return 0;}\n' >"$T/work/t.c"
if hidden cc -static -o t t.c 2>/dev/null; then
	# shellcheck disable=SC2086
	expect "a C program links statically with pkg-config --static" 0 \
		hidden cc -static -std=c99 -o embed-static embed.c \
		$static_flags
	embedded "and runs with no shared library" "$T/work/embed-static"
	hidden env LD_LIBRARY_PATH="$moved/lib" ldd embed-static \
		>"$T/ldd" 2>&1
	if grep -q libflopgate "$T/ldd"; then
		notok "not even libflopgate.so" "$(cat "$T/ldd")"
	else
		ok "not even libflopgate.so"
	fi
else
	ok "skipped: static linking (no static C library here)"
fi

# ---- Python: the binding over the installed library ----------------------

python=""
for p in /usr/bin/python3 python3; do
	command -v "$p" >/dev/null 2>&1 && { python=$p; break; }
done
if [ -z "$python" ]; then
	ok "skipped: the Python binding (no python3 here)"
else
	pydir=$moved/lib/python3/dist-packages
	# py CODE ARG...: runs CODE with the installed package only: no
	# FLOPGATE_LIB, no FLOPGATE_RULES, nothing of the source tree
	py() {
		_py_code=$1
		shift
		run hidden env -u FLOPGATE_LIB -u FLOPGATE_RULES \
			-u FLOPGATE_HARDWARE PYTHONDONTWRITEBYTECODE=1 \
			PYTHONPATH="$pydir" USER=ci "$python" -c "$_py_code" "$@"
	}
	py 'import flopgate, sys
print(flopgate.__file__)
print(flopgate.library_path())
print(flopgate.rules_dir())
print(issubclass(flopgate.Error, Exception))'
	printf '%s\n' "$pydir/flopgate/__init__.py" \
		"$moved/lib/libflopgate.so.0" \
		"$moved/share/flopgate/rules" True >"$T/expected"
	if [ "$RC" -eq 0 ] && cmp -s "$T/expected" "$T/out"; then
		ok "the Python binding imports from the installed tree, with its library and rules"
	else
		notok "the Python binding imports from the installed tree, with its library and rules" \
			"exit $RC" "$(diff "$T/expected" "$T/out")" \
			"err: $(head -c 600 "$T/err")"
	fi

	# The document check() returns is the one `check --format json`
	# prints, but for where each ruleset was read from (the binary
	# names its rules through bin/..).
	same() { jq -S 'del(.rulesets[]?.file)' "$1"; }
	differ=""
	for f in "$T"/work/runs/*.yaml; do
		f=runs/${f##*/}
		py 'import flopgate, json, sys
json.dump(flopgate.check(sys.argv[1], as_of="2026-11-30"), sys.stdout)' \
			"$f"
		[ "$RC" -eq 0 ] || { differ="$differ $f(exit $RC)"; continue; }
		same "$T/out" >"$T/py.json"
		run hidden env USER=ci "$moved/bin/flopgate" check --no-record \
			--as-of 2026-11-30 --format json "$f"
		same "$T/out" >"$T/cli.json"
		if ! [ -s "$T/cli.json" ] || ! cmp -s "$T/py.json" "$T/cli.json"
		then
			differ="$differ $f"
		fi
	done
	if [ -z "$differ" ]; then
		ok "flopgate.check() returns check --format json's document for every example run"
	else
		notok "flopgate.check() returns check --format json's document for every example run" \
			"differ:$differ"
	fi

	py 'import flopgate, json, sys
json.dump(flopgate.estimate(sys.argv[1], as_of="2026-11-30"), sys.stdout)' \
		run.yaml
	jq -S . "$T/out" >"$T/py.json"
	run hidden "$moved/bin/flopgate" estimate --as-of 2026-11-30 \
		--format json run.yaml
	jq -S . "$T/out" >"$T/cli.json"
	assert "flopgate.estimate() returns estimate --format json's document" \
		cmp -s "$T/py.json" "$T/cli.json"

	run hidden "$moved/bin/flopgate" check --no-record bad.yaml
	sed -n 's/^flopgate: //p' "$T/err" >"$T/expected"
	py 'import flopgate
try:
    flopgate.check("bad.yaml")
except flopgate.Error as e:
    print(e)
    print("%s:%d:%d %s" % (e.file, e.line, e.column, e.kind))'
	printf 'bad.yaml:7:18 input\n' >>"$T/expected"
	if [ "$RC" -eq 0 ] && cmp -s "$T/expected" "$T/out"; then
		ok "a bad run file raises flopgate.Error with the command's FILE:LINE:COL and message"
	else
		notok "a bad run file raises flopgate.Error with the command's FILE:LINE:COL and message" \
			"exit $RC" "$(diff "$T/expected" "$T/out")" \
			"err: $(head -c 600 "$T/err")"
	fi

	py 'import flopgate
r = flopgate.check("run.yaml", as_of="2026-11-30", record="audit.db")
print(r["evaluation_id"], r["actor"], r["gate"]["passed"])'
	assert "check(record=DB) records the evaluation (evaluation_id 1)" \
		[ "$RC" -eq 0 -a "$(cat "$T/out")" = "1 ci False" ]
	expect "which audit verify accepts" 0 \
		hidden "$moved/bin/flopgate" audit verify --db audit.db
fi

# ---- uninstall -----------------------------------------------------------

expect "make install again, for uninstall" 0 \
	mk install DESTDIR="$dest" PREFIX=/usr/local
expect "make uninstall DESTDIR=..." 0 \
	mk uninstall DESTDIR="$dest" PREFIX=/usr/local
left=$(find "$dest" ! -type d)
if [ -z "$left" ]; then
	ok "removes every file it installed"
else
	notok "removes every file it installed" "left: $left"
fi
assert "and the directories flopgate owns" \
	[ ! -e "$prefix/include/flopgate" -a ! -e "$prefix/share/flopgate" ]
