# hvsim: the Hyper-V WS-Management simulator (tests and offline use).
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   generated/build/bin/hvsim   see tests/hvsim/README.md
HVSIM := $(O)/bin/hvsim
HVSIM_SRCS := $(wildcard tests/hvsim/*.c)
# -Wno-format-truncation: with SAN=-fsanitize=undefined gcc 12 warns "null format
# string" in hv_printf (a false positive), which broke the ASan build.
HVSIM_CFLAGS = -std=gnu11 $(OPT) -g $(GSOAP_DEFS) -Isdk/include -Isdk/src -Igenerated/hyperv-v2 \
	-Igenerated $(SAN) $(CFLAGS)

$(HVSIM): $(HVSIM_SRCS) tests/hvsim/hvsim.h $(LIB_A) | $(O)/bin
	$(Q)$(CC) $(HVSIM_CFLAGS) $(WARN) -Wno-format-truncation -pthread -o $@ $(HVSIM_SRCS) $(LIB_A) $(GSOAP_STATIC) $(LIB_A) $(LIBS) $(LDFLAGS)

TEST_DEPS += $(HVSIM)
hvsim: $(HVSIM)
.PHONY: hvsim
DEB_PKGS_EXTRA += wsl curl
