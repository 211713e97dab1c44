# SPDX-License-Identifier: Apache-2.0
# flopgate — build, test, install, demo, bench.
#
#   make            bin/flopgate, lib/libflopgate.a, lib/libflopgate.so.N
#   make check      every test, then again under ASan + UBSan (-Werror)
#   make install    PREFIX (default /usr/local), DESTDIR, PYTHONDIR; make
#                   uninstall
#   make demo       the main job on examples/runs/, reports under reports/
#   make bench      speed figures (a benchmark, not a test)
#   make fuzz       every libFuzzer target for 10 minutes (clang)
#   make coverage   line and branch coverage of src/ (gcov + gcovr)
#
# Your CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are kept: ours are added to
# them (CFLAGS defaults to -O2 -g).  WERROR=1 turns warnings into errors;
# `make check` and CI set it, a plain build does not, so a newer compiler's
# new warning does not break a user's build.  Objects are rebuilt when the
# flags they were built with change (WERROR, PREFIX, CFLAGS, ...).
#
# `check` and `demo` first install missing Debian packages (.ci/deps).

# One version, the headers' (include/flopgate.h), for the program, the
# library and the pkg-config file alike.
VERSION := $(shell sed -n 's/.*define FLOPGATE_VERSION "\(.*\)"$$/\1/p' \
	include/flopgate.h)
# The library's ABI major version (its soname, libflopgate.so.$(SOVERSION)):
# raise it with any change that breaks a program linked against it.
SOVERSION := 0
PKGS := yaml-0.1 sqlite3 libcrypto jansson gmp liblz4

# Where `make install` puts things (GNU names; DESTDIR is prepended).
PREFIX ?= /usr/local
bindir ?= $(PREFIX)/bin
libdir ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
pkgconfigdir ?= $(libdir)/pkgconfig
rulesdir ?= $(datadir)/flopgate/rules
schemadir ?= $(datadir)/flopgate/schema
# The Python package (python/flopgate) goes to PYTHONDIR/flopgate: the
# version-independent directory of Debian's layout.  Debian's python3
# searches /usr/lib/python3/dist-packages, but under /usr/local only
# /usr/local/lib/python3.N/dist-packages: set PYTHONDIR to that (or
# PYTHONPATH to this) for PREFIX=/usr/local.
PYTHONDIR ?= $(libdir)/python3/dist-packages
INSTALL ?= install

# Where the build puts things.
BUILD ?= build
BIN_DIR ?= bin
LIB_DIR ?= lib

CFLAGS ?= -O2 -g
WERROR ?=
# Set by the test builds below (sanitize, coverage), after the user's.
OPT ?=
SAN ?=
# A rules directory compiled in as the last resort, for test builds whose
# binary does not sit in bin/ beside rules/; never set for an installed one.
SOURCE_RULES ?=

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

FG_CPPFLAGS := -Iinclude -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-DFG_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
FG_CFLAGS := -std=c11 -Wall -Wextra $(if $(filter 1 yes,$(WERROR)),-Werror)
FG_LIBS := $(PKG_LIBS) -lm
# The command line carries the six libraries when their static archives
# are there (Debian's -dev packages ship them): loading them as shared
# objects cost each start about 1.5 ms (`flopgate --version`: 3.1 ms
# dynamic, 1.6 ms static), a tenth of a one-run gate.  With the C
# library's archive too (libc6-dev ships it) and no sanitizer (they need
# the dynamic loader), the program is linked wholly static: relocating
# the position-independent program and binding the C library cost each
# start another 3 ms (interleaved single runs of a one-run gate, median
# CPU time: 21.0 ms dynamic, 17.4 ms static).  STATIC_DEPS=0 links them
# as shared libraries, so that a security update of SQLite or OpenSSL
# reaches the program without a rebuild.  libflopgate.so always links
# them dynamically.
STATIC_DEPS ?= 1
PKG_LIBDIRS := $(sort $(shell pkg-config --variable=libdir $(PKGS) \
	2>/dev/null))
PKG_ARCHIVES := $(foreach l,$(patsubst -l%,%,$(filter -l%,$(PKG_LIBS))),\
	$(firstword $(wildcard $(addsuffix /lib$(l).a,$(PKG_LIBDIRS)))))
LIBC_ARCHIVE := $(filter /%,$(shell $(CC) -print-file-name=libc.a \
	2>/dev/null))
STATIC_LIBS := $(if $(and $(LIBC_ARCHIVE),$(if $(strip $(SAN)),,1)),\
	-static $(PKG_LIBS) -lm -pthread,\
	-Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic -lm -ldl -pthread)
CLI_LIBS := $(if $(and $(filter 1 yes,$(STATIC_DEPS)),$(PKG_LIBS),\
	$(filter $(words $(filter -l%,$(PKG_LIBS))),$(words $(PKG_ARCHIVES)))),\
	$(STATIC_LIBS),$(FG_LIBS))

# The Python package finds the library and the rules relative to itself
# (so that it too works once moved), as these paths from PYTHONDIR/flopgate.
PY_LIBDIR := $(shell realpath -m --relative-to='$(PYTHONDIR)/flopgate' \
	'$(libdir)' 2>/dev/null || echo '$(libdir)')
PY_RULESDIR := $(shell realpath -m --relative-to='$(PYTHONDIR)/flopgate' \
	'$(rulesdir)' 2>/dev/null || echo '$(rulesdir)')

# The installed binary looks for its rules beside itself first, as
# RULES_FROM_BINDIR relative to its own directory (so an installed tree
# still works once moved, as in a DESTDIR staging area), then at rulesdir.
RULES_FROM_BINDIR := $(shell realpath -m --relative-to='$(bindir)' \
	'$(rulesdir)' 2>/dev/null || echo '$(rulesdir)')
CLI_PATHS := -DFG_RULESDIR='"$(rulesdir)"' \
	-DFG_RULES_FROM_BINDIR='"$(RULES_FROM_BINDIR)"' \
	$(if $(SOURCE_RULES),-DFG_SOURCE_RULES='"$(SOURCE_RULES)"')

# One compile line per kind of object.  The library's objects are
# position-independent (they go into the shared library too), export only
# what the public headers mark FG_API (flopgate/export.h), and never
# see the test framework's flags or the CLI's paths; of the paths, they
# know only where `make install` puts the rules (fg_rules_default_dir).
COMPILE_LIB = $(FG_CPPFLAGS) -DFG_RULESDIR='"$(rulesdir)"' $(CPPFLAGS) \
	$(FG_CFLAGS) -fPIC -fvisibility=hidden $(CFLAGS) \
	$(OPT) $(SAN)
COMPILE_CLI = $(FG_CPPFLAGS) -Isrc $(CLI_PATHS) $(CPPFLAGS) $(FG_CFLAGS) \
	$(CFLAGS) $(OPT) $(SAN)
COMPILE_TEST = $(FG_CPPFLAGS) -Isrc -Itests $(CHECK_CFLAGS) $(CPPFLAGS) \
	$(FG_CFLAGS) $(CFLAGS) $(OPT) $(SAN)
LINK = $(FG_CFLAGS) $(CFLAGS) $(OPT) $(SAN) $(LDFLAGS)
# The program's link line, tracked as the compiles' flags are: a change
# of STATIC_DEPS, LDFLAGS or LDLIBS relinks it.
COMPILE_BINLINK = $(LINK) $(CLI_LIBS) $(LDLIBS)

LIB_SRC := $(sort $(wildcard src/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)

LIB := $(LIB_DIR)/libflopgate.a
SONAME := libflopgate.so.$(SOVERSION)
SHLIB := $(LIB_DIR)/libflopgate.so.$(VERSION)
BIN := $(BIN_DIR)/flopgate
MAN1 := man/flopgate.1
MAN5 := man/flopgate-run.5 man/flopgate-rules.5

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all deps check test unit-tests demo bench clean sanitize \
	fuzz fuzz-smoke coverage install uninstall bench-build FORCE
all: $(BIN) $(LIB) $(SHLIB)

# Each kind of object depends on a file holding its flags, rewritten only
# when they change (as git's GIT-CFLAGS), and on the headers it included
# last time (-MMD -MP).  The flags files are kept up to date even by
# `make -n` (+), so that it lists only what would really be rebuilt.
$(BUILD)/%.flags: FORCE
	+@mkdir -p $(@D)
	+@printf '%s\n' '$(subst ','\'',$(COMPILE_$*))' | cmp -s - $@ || \
		printf '%s\n' '$(subst ','\'',$(COMPILE_$*))' >$@

$(LIB_OBJ): $(BUILD)/%.o: %.c $(BUILD)/LIB.flags
	@mkdir -p $(@D)
	$(CC) $(COMPILE_LIB) -MMD -MP -c $< -o $@

$(CLI_OBJ): $(BUILD)/%.o: %.c $(BUILD)/CLI.flags
	@mkdir -p $(@D)
	$(CC) $(COMPILE_CLI) -MMD -MP -c $< -o $@

$(TEST_OBJ) $(SUPPORT_OBJ): $(BUILD)/%.o: %.c $(BUILD)/TEST.flags
	@mkdir -p $(@D)
	$(CC) $(COMPILE_TEST) -MMD -MP -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) \
	$(SUPPORT_OBJ:.o=.d)

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# The shared library, with its soname and the two links a system gives
# it: libflopgate.so.N (what programs load) and libflopgate.so (what -l
# finds at link time).
$(SHLIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LINK) -o $@ $^ \
		$(FG_LIBS) $(LDLIBS)
	ln -sf $(notdir $@) $(LIB_DIR)/$(SONAME)
	ln -sf $(SONAME) $(LIB_DIR)/libflopgate.so

# The command line links the static library: it runs from the build tree
# without a library path, and installed it needs no libflopgate.so.  A
# wholly static link makes the linker warn that SQLite's extension
# loading (dlopen) and OpenSSL's sockets (getaddrinfo, gethostbyname)
# would need the C library's shared objects at run time: flopgate calls
# none of them, so those three warnings (and the line naming the
# function each is in) are dropped; every other message is shown.
$(BIN): $(CLI_OBJ) $(LIB) $(BUILD)/BINLINK.flags
	@mkdir -p $(@D)
	$(CC) $(LINK) -o $@ $(CLI_OBJ) $(LIB) $(CLI_LIBS) $(LDLIBS) \
		2>$(BUILD)/link.log; rc=$$?; awk '$(LINK_LOG_FILTER)' \
		$(BUILD)/link.log >&2; rm -f $(BUILD)/link.log; exit $$rc
LINK_LOG_FILTER = index($$0, ": in function `") { held = $$0; next } \
	index($$0, " in statically linked applications requires at runtime ") \
	{ held = ""; next } { if (held != "") print held; held = ""; print } \
	END { if (held != "") print held }

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(SUPPORT_OBJ) $(LIB)
	$(CC) $(LINK) -o $@ $< $(SUPPORT_OBJ) $(LIB) $(CHECK_LIBS) \
		$(FG_LIBS) $(LDLIBS)

unit-tests: $(TEST_BIN)

deps:
	@sh .ci/deps

# ---- install ------------------------------------------------------------

# The public headers include nothing but the C library's: every
# dependency is private, needed only to link statically (--static).
define PC_FILE
prefix=$(PREFIX)
libdir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(libdir))
includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(includedir))
rulesdir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(rulesdir))

Name: flopgate
Description: Regulatory compute-threshold compliance checker
Version: $(VERSION)
Requires.private: $(PKGS)
Cflags: -I$${includedir}
Libs: -L$${libdir} -lflopgate
Libs.private: -lm
endef

# Where the installed Python package finds the rest, relative to itself.
define PY_INSTALL
# Written by `make install`: where this installation's library and rules
# are, relative to this package's directory.
LIBDIR = "$(PY_LIBDIR)"
RULESDIR = "$(PY_RULESDIR)"
endef

install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) \
		$(DESTDIR)$(pkgconfigdir) $(DESTDIR)$(includedir)/flopgate \
		$(DESTDIR)$(rulesdir)/provisional $(DESTDIR)$(schemadir) \
		$(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(bindir)/flopgate
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(libdir)/libflopgate.a
	$(INSTALL) -m 755 $(SHLIB) $(DESTDIR)$(libdir)/
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(libdir)/libflopgate.so
	$(file >$(BUILD)/flopgate.pc,$(PC_FILE))
	$(INSTALL) -m 644 $(BUILD)/flopgate.pc $(DESTDIR)$(pkgconfigdir)/
	$(INSTALL) -m 644 include/flopgate.h $(DESTDIR)$(includedir)/
	$(INSTALL) -m 644 include/flopgate/*.h $(DESTDIR)$(includedir)/flopgate/
	$(INSTALL) -m 644 rules/*.yaml $(DESTDIR)$(rulesdir)/
	$(INSTALL) -m 644 rules/provisional/*.yaml \
		$(DESTDIR)$(rulesdir)/provisional/
	$(INSTALL) -m 644 schema/*.schema.json $(DESTDIR)$(schemadir)/
	$(INSTALL) -m 644 $(MAN1) $(DESTDIR)$(mandir)/man1/
	$(INSTALL) -m 644 $(MAN5) $(DESTDIR)$(mandir)/man5/
	$(INSTALL) -d $(DESTDIR)$(PYTHONDIR)/flopgate
	$(INSTALL) -m 644 python/flopgate/*.py $(DESTDIR)$(PYTHONDIR)/flopgate/
	$(file >$(BUILD)/_install.py,$(PY_INSTALL))
	$(INSTALL) -m 644 $(BUILD)/_install.py $(DESTDIR)$(PYTHONDIR)/flopgate/

# Removes what install put there; the directories flopgate owns go with
# it, the shared ones (bin, lib, man1, ...) stay.
uninstall:
	rm -f $(DESTDIR)$(bindir)/flopgate \
		$(DESTDIR)$(libdir)/libflopgate.a \
		$(DESTDIR)$(libdir)/libflopgate.so \
		$(DESTDIR)$(libdir)/$(SONAME) \
		$(DESTDIR)$(libdir)/$(notdir $(SHLIB)) \
		$(DESTDIR)$(pkgconfigdir)/flopgate.pc \
		$(DESTDIR)$(includedir)/flopgate.h \
		$(addprefix $(DESTDIR)$(mandir)/man1/,$(notdir $(MAN1))) \
		$(addprefix $(DESTDIR)$(mandir)/man5/,$(notdir $(MAN5)))
	rm -rf $(DESTDIR)$(includedir)/flopgate $(DESTDIR)$(rulesdir) \
		$(DESTDIR)$(schemadir) $(DESTDIR)$(PYTHONDIR)/flopgate
	rmdir $(DESTDIR)$(datadir)/flopgate 2>/dev/null || true

# ---- tests --------------------------------------------------------------

# One pass of the whole suite against the current BUILD/BIN_DIR.
test: all unit-tests
	@sh tests/run.sh "$(BUILD)" "$(BIN)" "$(BUILD)/summary"

# The suite, then the suite again under AddressSanitizer + UBSan, then
# every fuzz target for FUZZ_SECONDS on its seed corpus (when clang with
# libFuzzer is there).  Warnings are errors here, in every build it makes
# and in the builds its tests make (exported).  It prints one line per
# suite (the failing checks in full under it) and, last, "check: N
# passed, M failed"; each pass's whole output is in BUILD/test.log.
# Builds are silent (-s) but for errors.  FG_TEST_JOBS suites run at a
# time (default 2), and as many compilers in its builds.
FUZZ_SECONDS ?= 15
CHECK_JOBS = $(or $(FG_TEST_JOBS),2)
check: export WERROR = 1
check: deps
	@$(MAKE) -s -j$(CHECK_JOBS) --no-print-directory all unit-tests
	@rm -f build/summary build/asan/summary build/fuzz/summary; \
	 sh tests/run.sh build bin/flopgate build/summary; \
	 $(MAKE) -s --no-print-directory sanitize; \
	 $(MAKE) --no-print-directory fuzz-smoke; \
	 sh tests/total.sh build/summary build/asan/summary build/fuzz/summary

fuzz-smoke:
	@mkdir -p build/fuzz
	@FG_PKGS="$(PKGS)" sh tests/fuzz/run.sh $(FUZZ_SECONDS) build/fuzz/summary

fuzz:
	@mkdir -p build/fuzz
	@FG_PKGS="$(PKGS)" sh tests/fuzz/run.sh 600 build/fuzz/summary

# Line and branch coverage of src/ from one pass of the suite, built with
# --coverage in build/cov.
coverage: deps
	@rm -rf build/cov
	@$(MAKE) --no-print-directory BUILD=build/cov BIN_DIR=build/cov/bin \
		LIB_DIR=build/cov/lib OPT="-O0 -g --coverage" \
		SOURCE_RULES="$(CURDIR)/rules" all unit-tests
	@# the read-only tests run a copy of the binary as nobody: let it
	@# record its counts too
	@chmod -R a+rwX build/cov
	@-umask 0; sh tests/run.sh build/cov build/cov/bin/flopgate build/cov/summary \
		>build/cov/tests.log 2>&1; tail -n 1 build/cov/tests.log
	@gcovr --root . --filter 'src/' --object-directory build/cov \
		--exclude-unreachable-branches --print-summary \
		-o build/cov/coverage.txt
	@echo "per file: build/cov/coverage.txt"

sanitize:
	@$(MAKE) -j$(CHECK_JOBS) --no-print-directory BUILD=build/asan BIN_DIR=build/asan/bin \
		LIB_DIR=build/asan/lib OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		SOURCE_RULES="$(CURDIR)/rules" all unit-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 sh tests/run.sh build/asan build/asan/bin/flopgate build/asan/summary

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

bench: all
	@FG_PKGS="$(PKGS)" FG_CLI_LIBS="$(CLI_LIBS)" sh bench/run.sh

bench-build: all
	@FG_PKGS="$(PKGS)" FG_CLI_LIBS="$(CLI_LIBS)" BENCH_BUILD_ONLY=1 \
		sh bench/run.sh

clean:
	rm -rf build bin lib
