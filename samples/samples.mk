# Samples: one standalone program per task, built against libvsdk.a.
# SPDX-License-Identifier: GPL-2.0-or-later
# (libgsoapssl.a needs callbacks from libvsdk.a, hence the link group.)
# `make check-samples` (tests/ship/ship.mk) also builds them against the
# installed tree with pkg-config and runs them against the simulators.
SAMPLE_LIBS = -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group $(LIBS) $(SAN) $(LDFLAGS)
SAMPLE_CFLAGS = -std=gnu11 $(OPT) -g -Isdk/include -Igenerated/hyperv-v2 $(SAN) $(CFLAGS)
SAMPLE_BINS := $(patsubst samples/%.c,$(O)/bin/%,$(wildcard samples/*.c))

samples: $(SAMPLE_BINS)

$(SAMPLE_BINS): $(O)/bin/%: samples/%.c $(LIB_A) | $(O)/bin
	$(CC) $(SAMPLE_CFLAGS) $(WARN) -o $@ $< $(SAMPLE_LIBS)
