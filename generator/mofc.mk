# mofc: the MOF compiler, and the Hyper-V V2 typed C it generates.
# SPDX-License-Identifier: GPL-2.0-or-later
MOFC := $(O)/bin/mofc
MOFC_SRCS := $(wildcard generator/mofc/*.c)
MOFC_HDRS := $(wildcard generator/mofc/*.h)

$(MOFC): $(MOFC_SRCS) $(MOFC_HDRS) | $(O)/bin
	$(CC) -std=gnu11 $(OPT) -g $(SAN) -Wall -Wextra -Werror $(CFLAGS) -o $@ $(MOFC_SRCS) $(LDFLAGS)

mofc: $(MOFC)
.PHONY: mofc
