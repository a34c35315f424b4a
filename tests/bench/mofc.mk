# Benchmark: mofc on CIM 2.41 and the CIM runtime's decode speed (`make bench`).
# SPDX-License-Identifier: GPL-2.0-or-later
$(O)/tests/bench/bench_mofc: tests/bench/bench_mofc.c $(MOFC_TEST_SRCS) $(MOFC_HDRS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -O2 $(WARN) -o $@ $< $(MOFC_TEST_SRCS) $(TEST_LIBS)

bench-mofc: lib $(O)/tests/bench/bench_mofc
	@$(O)/tests/bench/bench_mofc

bench: bench-mofc
.PHONY: bench-mofc
