# Tests.  Every tests/unit/test_*.c and tests/integration/test_*.c is its own
# CUnit program (main via vtest_main), linked statically against libvsdk.a so
# unit tests can reach internal (vsdk__*) functions.  Fragments in
# tests/*/*.mk may add programs the tests need (simulators) to TEST_DEPS.
TEST_CFLAGS = -std=gnu11 -O1 -g $(GSOAP_DEFS) -Isdk/include -Isdk/src -Itests/support \
	-I$(V25) -Igenerated/hyperv-v2 -Igenerated $(SAN) $(CFLAGS)
TEST_LIBS = -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group -lcunit $(LIBS) $(SAN) $(LDFLAGS)
VTEST_SRCS := $(wildcard tests/support/*.c)
VTEST_OBJS := $(patsubst tests/support/%.c,$(O)/tests/support/%.o,$(VTEST_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/test_*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(O)/tests/integration/%,$(wildcard tests/integration/test_*.c))
TEST_DEPS :=

-include $(sort $(wildcard tests/*/*.mk))

$(O)/tests/support/%.o: tests/support/%.c tests/support/vtest.h $(SDK_HDRS) $(GEN_STAMPS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) $(WARN) -c -o $@ $<

$(O)/tests/unit/%: tests/unit/%.c $(VTEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) $(WARN) -o $@ $< $(VTEST_OBJS) $(TEST_LIBS)

$(O)/tests/integration/%: tests/integration/%.c $(VTEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) $(WARN) -o $@ $< $(VTEST_OBJS) $(TEST_LIBS)

tests-build: lib $(UNIT_TESTS) $(INTEG_TESTS) $(TEST_DEPS)

# Run one suite: make check ONLY=test_vmx
check: deps
	@$(MAKE) --no-print-directory tests-build
	@O=$(O) VSDK_BIN=$(O)/bin ONLY="$(ONLY)" bash tests/run-tests.sh $(UNIT_TESTS) $(INTEG_TESTS)

.PHONY: tests-build
