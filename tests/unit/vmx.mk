# VMX unit tests that use gSOAP's DOM: libgsoapssl.a needs callbacks that live
# in libvsdk.a (namespaces, soap_getelement...), so link the two as a group.
# SPDX-License-Identifier: GPL-2.0-or-later
VMX_TEST_LIBS = -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group -lcunit $(LIBS) $(SAN) $(LDFLAGS)
VMX_DOM_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/test_vmx_*.c))

$(VMX_DOM_TESTS): $(O)/tests/unit/%: tests/unit/%.c $(VTEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(WARN) -o $@ $< $(VTEST_OBJS) $(VMX_TEST_LIBS)

# test_vmx_convert runs the vmx_convert sample.
TEST_DEPS += $(O)/bin/vmx_convert
