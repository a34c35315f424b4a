# VI task wait benchmark: `make bench` runs it (bench-vitask).
# SPDX-License-Identifier: GPL-2.0-or-later
.PHONY: bench-vitask
bench: bench-vitask

$(O)/bin/bench_vi_task: tests/bench/bench_vi_task.c $(VTEST_OBJS) $(LIB_A) | $(O)/bin
	$(CC) $(TEST_CFLAGS) $(WARN) -o $@ $< $(VTEST_OBJS) $(TEST_LIBS)

bench-vitask: lib $(O)/bin/bench_vi_task $(TEST_DEPS)
	VSDK_BIN=$(O)/bin $(O)/bin/bench_vi_task
