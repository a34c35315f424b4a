# Hyper-V client benchmarks: enumerate 10,000 VMs from hvsim with paging, and
# job-wait overhead.  SPDX-License-Identifier: GPL-2.0-or-later
HVSIM_BIN ?= $(O)/bin/hvsim
BENCH_HV := $(O)/bench/bench_hv

$(BENCH_HV): tests/bench/bench_hv.c $(VTEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TEST_CFLAGS) -O2 $(WARN) -o $@ $< $(VTEST_OBJS) $(TEST_LIBS)

# The simulator's own fragment (tests/hvsim/*.mk) builds $(HVSIM_BIN).
ifneq ($(wildcard tests/hvsim/*.mk),)
bench-hv: $(HVSIM_BIN)
endif
bench-hv: lib $(BENCH_HV)
	@HVSIM=$(HVSIM_BIN) $(BENCH_HV)

bench: bench-hv
.PHONY: bench-hv
