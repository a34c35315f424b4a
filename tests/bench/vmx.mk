# VMX benchmark: `make bench` runs it (bench-vmx).
# SPDX-License-Identifier: GPL-2.0-or-later
.PHONY: bench-vmx
bench: bench-vmx

$(O)/bin/bench_vmx: tests/bench/bench_vmx.c $(LIB_A) | $(O)/bin
	$(CC) -std=gnu11 $(OPT) -g -Isdk/include $(SAN) $(CFLAGS) $(WARN) -o $@ $< \
	  -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group $(LIBS) $(SAN) $(LDFLAGS)

bench-vmx: lib $(O)/bin/bench_vmx
	$(O)/bin/bench_vmx
