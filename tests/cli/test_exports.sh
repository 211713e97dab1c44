#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, item 2: the shared library exports its public API and
# nothing else.  libflopgate.so is built with -fvisibility=hidden and
# FG_API (flopgate/export.h) on every public declaration: the functions
# and objects its dynamic symbol table defines are exactly those the
# installed headers declare, all fg_*.  A declaration without FG_API (not
# exported: a program would fail to link) and an internal function left
# visible (ABI nobody promised) both fail here, by name.
#
# The declared functions come from the compiler (gcc -aux-info lists
# every prototype a translation unit sees, with its file), the declared
# objects from the headers' `extern` lines; the library tested is the
# one beside the binary under test (bin/ -> lib/).
. tests/cli/lib.sh

lib=$(dirname "$FLOPGATE")/../lib/libflopgate.so.0
if [ ! -f "$lib" ]; then
	notok "the shared library is built" "no $lib"
	exit 0
fi

# ---- what the headers declare ---------------------------------------------

if ! ${CC:-cc} -std=c11 -Iinclude -x c -c -o "$T/umbrella.o" \
	-aux-info "$T/aux" include/flopgate.h 2>"$T/err"; then
	notok "the umbrella header compiles with -aux-info" \
		"$(head -c 600 "$T/err")"
	exit 0
fi
# "/* .../include/flopgate/error.h:40:NC */ extern void fg_error_clear (...);"
grep -E '^/\* ([^ ]*/)?include/flopgate[/.]' "$T/aux" |
	sed -E 's|^/\*[^*]*\*/ *||; s|^([^(]*[^A-Za-z0-9_(])?([A-Za-z_][A-Za-z0-9_]*) \(.*|\2|' \
	>"$T/functions"
# objects: "extern const fg_yaml_limits fg_yaml_default_limits;"
grep -hE '^(FG_API )?extern [^"]' include/flopgate/*.h |
	sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*)(\[[^]]*\])? *;.*/\1/' \
	>"$T/objects"
sort -u "$T/functions" "$T/objects" >"$T/declared"
assert "the headers declare the API (over 150 functions, all fg_*)" \
	[ "$(wc -l <"$T/declared")" -gt 150 -a \
	  "$(grep -vc '^fg_' "$T/declared")" -eq 0 ]

# ---- what the library exports ---------------------------------------------

# (AddressSanitizer adds an __odr_asan.NAME indicator beside each
# exported object, in the sanitizer pass's build only.)
nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' |
	grep -v '^__odr_asan[._]' | sort -u >"$T/exported"
assert "the library exports its API (over 150 symbols)" \
	[ "$(wc -l <"$T/exported")" -gt 150 ]

comm -23 "$T/declared" "$T/exported" >"$T/missing"
if [ -s "$T/missing" ]; then
	notok "every function and object the installed headers declare is exported" \
		"declared, not exported (FG_API missing?):" \
		"$(tr '\n' ' ' <"$T/missing")"
else
	ok "every function and object the installed headers declare is exported"
fi
comm -13 "$T/declared" "$T/exported" >"$T/extra"
if [ -s "$T/extra" ]; then
	notok "and nothing else: no internal function, no dependency's symbol" \
		"exported, not declared:" "$(tr '\n' ' ' <"$T/extra")"
else
	ok "and nothing else: no internal function, no dependency's symbol"
fi

# The internal headers' functions are the library's own: hidden, though
# the static library (the program's and tests' link) still has them.
for sym in fg_result_check_document fg_store_record fg_render_sarif \
	fg_audit_entry4 fg_sink_begin; do
	if grep -qx "$sym" "$T/exported"; then
		notok "$sym (internal) is not exported" "it is"
	else
		ok "$sym (internal) is not exported"
	fi
done
