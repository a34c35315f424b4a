# mofc: the MOF compiler, and the Hyper-V V2 typed C it generates.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   generated/build/bin/mofc          the compiler (pure C, no dependencies)
#   generated/hyperv-v2/hyperv_v2.{h,c}  made from wsdl/hyperv-v2/*.mof and
#                                     generator/hyperv-v2.classes
#   generated/hyperv-v2/libhvgen.a    the compiled tables; lives outside $(O)
#                                     so builds with another O= reuse it
MOFC := $(O)/bin/mofc
MOFC_SRCS := $(wildcard generator/mofc/*.c)
MOFC_HDRS := $(wildcard generator/mofc/*.h)
# The parser and emitter without main(), for test_mofc and bench_mofc.
MOFC_TEST_SRCS := generator/mofc/parse.c generator/mofc/emit.c
HV_MOF_MAIN := wsdl/hyperv-v2/hyperv-v2.mof
HV_MOFS := $(wildcard wsdl/hyperv-v2/*.mof)
HV_CLASSES := generator/hyperv-v2.classes
HV_GEN_DIR := generated/hyperv-v2
HV_GEN_STAMP := $(HV_GEN_DIR)/.stamp
HV_GEN_LIB := $(HV_GEN_DIR)/libhvgen.a

$(MOFC): $(MOFC_SRCS) $(MOFC_HDRS) | $(O)/bin
	$(CC) -std=gnu11 $(OPT) -g $(SAN) -Wall -Wextra -Werror $(CFLAGS) -o $@ $(MOFC_SRCS) $(LDFLAGS)

$(HV_GEN_STAMP): $(MOFC) $(HV_MOFS) $(HV_CLASSES) generator/mofc.mk
	@mkdir -p $(HV_GEN_DIR)
	$(MOFC) --emit $(HV_GEN_DIR) --classes $(HV_CLASSES) --prefix vsdk_hv --base hyperv_v2 \
	  --name hyperv-v2 --inputs "$(HV_MOF_MAIN) and $(HV_CLASSES)" $(HV_MOF_MAIN)
	@touch $@

$(HV_GEN_DIR)/hyperv_v2.o: $(HV_GEN_STAMP) sdk/include/vsdk/cim.h sdk/include/vsdk/common.h
	$(CC) $(GEN_CFLAGS) -c -o $@ $(HV_GEN_DIR)/hyperv_v2.c

$(HV_GEN_LIB): $(HV_GEN_DIR)/hyperv_v2.o
	@rm -f $@
	ar rcs $@ $^

GEN_STAMPS += $(HV_GEN_STAMP)
GEN_ARCHIVES += $(HV_GEN_LIB)
GEN_HDRS += $(HV_GEN_DIR)/hyperv_v2.h

mofc: $(MOFC)
generate: $(HV_GEN_STAMP)
.PHONY: mofc
