#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, item 3: the Makefile keeps the user's CFLAGS, CPPFLAGS,
# LDFLAGS and LDLIBS beside its own, makes warnings errors only when
# asked (WERROR=1, as make check and CI do), builds the library's objects
# position-independent and without the test framework's flags, and
# rebuilds what includes a header when the header changes.  Dry runs
# (make -n) into a scratch build directory: nothing is compiled.
. tests/cli/lib.sh

mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make --no-print-directory -C "$FG_ROOT" "$@"
}
scratch="BUILD=$T/build LIB_DIR=$T/lib BIN_DIR=$T/bin"

# shellcheck disable=SC2086
mk -n $scratch WERROR= CFLAGS="-O1 -DUSER_CFLAGS" CPPFLAGS=-DUSER_CPPFLAGS \
	LDFLAGS=-Wl,--user-ldflags-mark LDLIBS=-lz all unit-tests 2>&1 |
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' >"$T/dry"
grep -e ' -c src/error\.c ' "$T/dry" >"$T/lib.cc"
grep -e ' -c src/cli/main\.c ' "$T/dry" >"$T/cli.cc"
grep -e ' -c tests/check_run\.c ' "$T/dry" >"$T/test.cc"
grep -e ' -shared ' "$T/dry" >"$T/so.ld"
grep -e "-o $T/bin/flopgate " "$T/dry" >"$T/bin.ld"
for f in lib.cc cli.cc test.cc so.ld bin.ld; do
	[ -s "$T/$f" ] || notok "make -n shows the ${f%.*} step" \
		"$(head -c 600 "$T/dry")"
done

# has FILE WORD...: every WORD is a whole word of FILE's line
has() {
	f=$1
	shift
	for w in "$@"; do
		tr ' ' '\n' <"$f" | grep -q -x -F -e "$w" || return 1
	done
}
# after FILE A B: A comes after B on FILE's line
after() {
	awk -v a="$2" -v b="$3" '{ for (i = 1; i <= NF; i++) {
		if ($i == b && !pb) pb = i; if ($i == a) pa = i } }
		END { exit !(pa && pb && pa > pb) }' "$1"
}

has "$T/lib.cc" -DUSER_CPPFLAGS -DUSER_CFLAGS -O1 -std=c11 -Wall
assert "compiles keep the user's CPPFLAGS and CFLAGS beside ours" [ $? -eq 0 ]
has "$T/lib.cc" -O2
assert "the user's CFLAGS replace only the default -O2 -g" [ $? -ne 0 ]
after "$T/lib.cc" -DUSER_CFLAGS -Wextra
assert "and come after ours, so theirs have the last word" [ $? -eq 0 ]
has "$T/so.ld" -Wl,--user-ldflags-mark -lz && \
	has "$T/bin.ld" -Wl,--user-ldflags-mark -lz
assert "links keep the user's LDFLAGS and LDLIBS" [ $? -eq 0 ]
has "$T/lib.cc" -fPIC -MMD -MP
assert "library objects are position-independent, with header dependencies" \
	[ $? -eq 0 ]
has "$T/so.ld" -Wl,-soname,libflopgate.so.0
assert "the shared library has its soname" [ $? -eq 0 ]
has "$T/lib.cc" -Itests || has "$T/cli.cc" -Itests
assert "library and CLI objects do not see the tests' flags" [ $? -ne 0 ]
has "$T/test.cc" -Itests
assert "test objects do" [ $? -eq 0 ]
if grep -q -e '-Werror' "$T/lib.cc" "$T/cli.cc" "$T/test.cc"; then
	notok "warnings are not errors in a user's build"
else
	ok "warnings are not errors in a user's build"
fi
# shellcheck disable=SC2086
mk -n $scratch WERROR=1 all unit-tests >"$T/dry" 2>&1
if grep -e ' -c src/' "$T/dry" | grep -v -q -e '-Werror'; then
	notok "WERROR=1 makes them errors everywhere" \
		"$(grep -e ' -c src/' "$T/dry" | grep -v -e '-Werror' | head -3)"
else
	ok "WERROR=1 makes them errors everywhere"
fi
assert "make check sets WERROR=1" \
	grep -q -x 'check: export WERROR = 1' "$FG_ROOT/Makefile"

# The command line carries its libraries when their archives are there
# (STATIC_DEPS=1, the default), and the C library too when its archive is
# there and no sanitizer is on (they need the dynamic loader);
# libflopgate.so and STATIC_DEPS=0 load them.
libdir=$(pkg-config --variable=libdir sqlite3 2>/dev/null)
libc_a=$(${CC:-cc} -print-file-name=libc.a 2>/dev/null)
if [ -n "$libdir" ] && [ -f "$libdir/libsqlite3.a" ] &&
	[ -f "$libdir/libcrypto.a" ] && [ -f "$libdir/libyaml.a" ] &&
	[ -f "$libdir/libjansson.a" ] && [ -f "$libdir/libgmp.a" ]; then
	if [ -f "$libc_a" ]; then
		has "$T/bin.ld" -static -lsqlite3 -lcrypto -lm &&
			! has "$T/bin.ld" -Wl,-Bdynamic
		assert "the program is linked wholly static" [ $? -eq 0 ]
		# shellcheck disable=SC2086
		mk -n $scratch SAN=-fsanitize=address all 2>&1 |
			sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
			grep -e "-o $T/bin/flopgate " >"$T/binsan.ld"
		has "$T/binsan.ld" -Wl,-Bstatic -lsqlite3 -lcrypto \
			-Wl,-Bdynamic && ! has "$T/binsan.ld" -static &&
			after "$T/binsan.ld" -Wl,-Bdynamic -lgmp
		assert "but with a sanitizer only its libraries are" [ $? -eq 0 ]
	else
		has "$T/bin.ld" -Wl,-Bstatic -lsqlite3 -lcrypto -Wl,-Bdynamic &&
			after "$T/bin.ld" -Wl,-Bdynamic -lgmp
		assert "the program links the libraries' archives" [ $? -eq 0 ]
	fi
	has "$T/so.ld" -Wl,-Bstatic || has "$T/so.ld" -static
	assert "the shared library does not" [ $? -ne 0 ]
	# shellcheck disable=SC2086
	mk -n $scratch STATIC_DEPS=0 all 2>&1 |
		sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
		grep -e "-o $T/bin/flopgate " >"$T/bin0.ld"
	has "$T/bin0.ld" -lsqlite3 -lcrypto && ! has "$T/bin0.ld" -Wl,-Bstatic &&
		! has "$T/bin0.ld" -static
	assert "STATIC_DEPS=0 links them as shared libraries" [ $? -eq 0 ]
	if command -v ldd >/dev/null 2>&1 && [ -x "$FLOPGATE" ]; then
		ldd "$FLOPGATE" >"$T/ldd" 2>&1
		assert "the built program loads neither SQLite nor OpenSSL" \
			eval '! grep -q -e libsqlite3 -e libcrypto "$T/ldd"'
	fi
else
	ok "skipped: the libraries' static archives are not installed"
fi

# A wholly static link's three warnings about the C library's shared
# objects (SQLite's dlopen, OpenSSL's getaddrinfo and gethostbyname,
# none of which flopgate calls) are dropped; every other line the
# linker prints is shown.
mk -n $scratch all 2>&1 | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
	grep -e "-o $T/bin/flopgate " >"$T/link.sh"
filter=$(sed -n "s/.*awk '\\([^']*\\)'.*/\\1/p" "$T/link.sh")
printf '%s\n' \
	"/usr/bin/ld: libsqlite3.a(os_unix.o): in function \`unixDlOpen':" \
	"(.text+0x969): warning: Using 'dlopen' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking" \
	"/usr/bin/ld: x.o: in function \`main':" \
	"x.c:(.text+0x5): undefined reference to \`nowhere'" \
	"collect2: error: ld returned 1 exit status" >"$T/ld.log"
if [ -n "$filter" ] && awk "$filter" "$T/ld.log" >"$T/ld.out" &&
	[ "$(wc -l <"$T/ld.out")" -eq 3 ] &&
	! grep -q -e dlopen -e unixDlOpen "$T/ld.out" &&
	grep -q "undefined reference" "$T/ld.out" &&
	grep -q "in function .main" "$T/ld.out"; then
	ok "the link drops only the static C library's warnings"
else
	notok "the link drops only the static C library's warnings" \
		"filter: $filter; out: $(cat "$T/ld.out" 2>/dev/null)"
fi

# Header dependencies, on the real build: only what includes a header is
# rebuilt when it changes (-W: as if it had, touching nothing).
if mk -n all unit-tests 2>&1 | grep -q -e ' -c '; then
	ok "skipped: header dependencies (the build is not up to date)"
else
	mk -n -W include/flopgate/hash.h all >"$T/dry" 2>&1
	n=$(grep -c -e ' -c src/[a-z_]*\.c ' "$T/dry")
	all=$(ls src/*.c | wc -l)
	grep -q -e ' -c src/hash\.c ' "$T/dry" && [ "$n" -lt "$all" ]
	assert "a public header rebuilds what includes it ($n of $all library objects)" \
		[ $? -eq 0 ]
	mk -n -W src/exact_int.h all >"$T/dry" 2>&1
	assert "and so does an internal one" \
		grep -q -e ' -c src/exact\.c ' "$T/dry"
	# the link line is tracked too: STATIC_DEPS=0 relinks the program
	# and nothing else (the dry run leaves its flags file behind, so
	# the next real build relinks once)
	mk -n STATIC_DEPS=0 all >"$T/dry" 2>&1
	assert "a changed link choice relinks bin/flopgate, compiling nothing" \
		eval 'grep -q -e "-o bin/flopgate " "$T/dry" &&
			! grep -q -e " -c " "$T/dry"'
	mk -n all >/dev/null 2>&1
fi

# The benchmark's programs link with the libraries the Makefile names:
# a library added to PKGS reaches them too (bench/run.sh, like the fuzz
# script, takes the list from the Makefile, as make bench-build gives
# it).  Against the library as built, without running make: a real
# build here would relink the program other tests are running.
pkgs=$(sed -n 's/^PKGS := //p' "$FG_ROOT/Makefile")
rm -f build/bench/floor build/bench/bench
if [ -n "$pkgs" ] && FG_PKGS=$pkgs BENCH_BUILD_ONLY=1 BENCH_NO_MAKE=1 \
	sh bench/run.sh >"$T/bench" 2>&1 && [ -x build/bench/floor ] &&
	[ -x build/bench/bench ] && [ -x build/bench/measure ]; then
	ok "make bench-build builds the benchmark's three programs"
else
	notok "make bench-build builds the benchmark's three programs" \
		"$(tail -n 5 "$T/bench")"
fi
