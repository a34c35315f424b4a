# Samples: one standalone program per task, built against libvsdk.a.
# SPDX-License-Identifier: GPL-2.0-or-later
# (libgsoapssl.a needs callbacks from libvsdk.a, hence the link group.)
SAMPLE_LIBS = -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group $(LIBS) $(SAN) $(LDFLAGS)
SAMPLE_CFLAGS = -std=gnu11 $(OPT) -g -Isdk/include $(SAN) $(CFLAGS)
SAMPLE_BINS := $(O)/bin/vmx_convert

samples: $(SAMPLE_BINS)

$(O)/bin/vmx_convert: samples/vmx_convert.c $(LIB_A) | $(O)/bin
	$(CC) $(SAMPLE_CFLAGS) $(WARN) -o $@ $< $(SAMPLE_LIBS)
