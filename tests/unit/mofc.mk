# test_mofc links the compiler's parser and emitter directly (they are not
# part of libvsdk) and runs the mofc binary for the byte-identical check.
# SPDX-License-Identifier: GPL-2.0-or-later
$(O)/tests/unit/test_mofc: tests/unit/test_mofc.c $(MOFC_TEST_SRCS) $(MOFC_HDRS) $(VTEST_OBJS) $(LIB_A) $(MOFC)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(WARN) -o $@ $< $(MOFC_TEST_SRCS) $(VTEST_OBJS) $(TEST_LIBS)
