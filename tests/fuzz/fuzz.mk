# Fuzzing (libFuzzer, clang from Debian) and the other hardening rules.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make fuzz FUZZ_SECONDS=N   build every target in tests/fuzz/ with
#                              -fsanitize=fuzzer,address,undefined and run each
#                              for N seconds (default 30) on a copy of its seed
#                              corpus (tests/fuzz/corpus/<target>/)
#   make fuzz-ci               the same with 60 s per target, two at a time (CI, 2 cores)
#   make fuzz-build            build only
#
# The fuzz build uses its own O= and its own copy of the vim25 stubs so the
# generated deserializers are instrumented too (coverage-guided); the
# Hyper-V tables and mofc come from the default build, which is made first.
# (clang warns where gcc does not, so -Werror is left to the gcc build.)
DEB_PKGS_EXTRA += clang libclang-rt-14-dev valgrind

FUZZ_SECONDS ?= 30
FUZZ_JOBS ?= 1
FUZZ_O := generated/build-fuzz
FUZZ_V25 := generated/vim25-fuzz
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(O)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_CC ?= clang

.PHONY: fuzz fuzz-ci fuzz-build fuzz-bins
fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null && dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1 || \
	  { echo "fuzz: needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev"; exit 1; }
	@$(MAKE) --no-print-directory lib
	@$(MAKE) --no-print-directory O=$(FUZZ_O) V25=$(FUZZ_V25) CC=$(FUZZ_CC) MOFC=generated/build/bin/mofc \
	  SAN="$(FUZZ_SAN)" GEN_OPT="-O1 $(FUZZ_SAN)" \
	  WARN="-Wall -Wextra -Wno-unused-parameter" $(FUZZ_O)/libvsdk.a fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(O)/fuzz/fuzz_mof: tests/fuzz/fuzz_mof.c $(MOFC_TEST_SRCS) $(MOFC_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g $(SAN) -fsanitize=fuzzer -Igenerator/mofc $(WARN) -o $@ $< $(MOFC_TEST_SRCS)

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) -fsanitize=fuzzer $(WARN) -o $@ $< $(TEST_LIBS) -fsanitize=fuzzer

fuzz: fuzz-build
	@FUZZ_O=$(FUZZ_O) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) bash tests/fuzz/run-fuzz.sh $(FUZZ_NAMES)

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60 FUZZ_JOBS=2

# The replay suite includes the targets' sources and links the MOF parser.
$(O)/tests/unit/test_fuzz_replay: tests/unit/test_fuzz_replay.c $(wildcard tests/fuzz/fuzz_*.c) $(MOFC_TEST_SRCS) \
		$(MOFC_HDRS) $(VTEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) -Igenerator/mofc $(WARN) -o $@ $< $(MOFC_TEST_SRCS) $(VTEST_OBJS) $(TEST_LIBS)
