# flopgate — build, test, demo, bench.
#
#   make          bin/flopgate and lib/libflopgate.a
#   make check    every test, then again under ASan + UBSan
#   make demo     the main job on examples/runs/, reports under reports/
#   make bench    speed figures (a benchmark, not a test)
#   make fuzz     every libFuzzer target for 10 minutes (clang)
#   make coverage line and branch coverage of src/ (gcov + gcovr)
#
# `check` and `demo` first install missing Debian packages (.ci/deps).

VERSION := 0.1.0
CC ?= cc
PKGS := yaml-0.1 sqlite3 libcrypto jansson gmp

BUILD ?= build
BIN_DIR ?= bin
LIB_DIR ?= lib
OPT ?= -O2 -g
SAN ?=

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

CFLAGS := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	-D_POSIX_C_SOURCE=200809L -Iinclude -DFG_VERSION='"$(VERSION)"' \
	-DFG_SOURCE_RULES='"$(CURDIR)/rules"' \
	$(OPT) $(SAN) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS := $(PKG_LIBS) -lm

LIB_SRC := $(sort $(wildcard src/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/%.o)

LIB := $(LIB_DIR)/libflopgate.a
BIN := $(BIN_DIR)/flopgate

.SECONDARY:
.PHONY: all deps check test unit-tests demo bench clean sanitize \
	fuzz fuzz-smoke coverage
all: $(BIN) $(LIB)

$(BUILD)/%.o: %.c $(wildcard include/flopgate/*.h) $(wildcard src/*.h) \
		$(wildcard src/cli/*.h) $(wildcard tests/support/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -Isrc -Itests -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(SUPPORT_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS)

unit-tests: $(TEST_BIN)

deps:
	@sh .ci/deps

# One pass of the whole suite against the current BUILD/BIN_DIR.
test: all unit-tests
	@sh tests/run.sh "$(BUILD)" "$(BIN)" "$(BUILD)/summary"

# The suite, then the suite again under AddressSanitizer + UBSan, then
# every fuzz target for FUZZ_SECONDS on its seed corpus (when clang with
# libFuzzer is there).  It prints one line per suite (the failing checks
# in full under it) and, last, "check: N passed, M failed"; each pass's
# whole output is in BUILD/test.log.  Builds are silent (-s) but for
# errors.  FG_TEST_JOBS suites run at a time (default 2).
FUZZ_SECONDS ?= 15
check: deps
	@$(MAKE) -s --no-print-directory all unit-tests
	@rm -f build/summary build/asan/summary build/fuzz/summary; \
	 sh tests/run.sh build bin/flopgate build/summary; \
	 $(MAKE) -s --no-print-directory sanitize; \
	 $(MAKE) --no-print-directory fuzz-smoke; \
	 sh tests/total.sh build/summary build/asan/summary build/fuzz/summary

fuzz-smoke:
	@mkdir -p build/fuzz
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) build/fuzz/summary

fuzz:
	@mkdir -p build/fuzz
	@sh tests/fuzz/run.sh 600 build/fuzz/summary

# Line and branch coverage of src/ from one pass of the suite, built with
# --coverage in build/cov.
coverage: deps
	@rm -rf build/cov
	@$(MAKE) --no-print-directory BUILD=build/cov BIN_DIR=build/cov/bin \
		LIB_DIR=build/cov/lib OPT="-O0 -g --coverage" all unit-tests
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
	@$(MAKE) --no-print-directory BUILD=build/asan BIN_DIR=build/asan/bin \
		LIB_DIR=build/asan/lib OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		all unit-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 sh tests/run.sh build/asan build/asan/bin/flopgate build/asan/summary

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

bench: all
	@sh bench/run.sh

clean:
	rm -rf build bin lib
