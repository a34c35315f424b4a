# vsdk - top-level build.  SPDX-License-Identifier: GPL-2.0-or-later
#
#   make            build generated/build/libvsdk.{a,so}   (runs `make deps` first)
#   make check      build and run every test suite (the README's test command)
#   make demo       start both simulators on 127.0.0.1 and walk through the samples
#   make generate   (re)generate the vim25 and Hyper-V stubs
#   make bench      run every benchmark, write tests/bench/RESULTS.md
#   make install / uninstall   PREFIX=/usr/local DESTDIR=
#
# Module fragments (generator/*.mk, sdk/*.mk, tests/*.mk, samples/*.mk) add
# their own rules; this file holds what every module shares.

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DOCDIR ?= $(PREFIX)/share/doc/vsdk

CC ?= cc
OPT ?= -O2
# Generated stubs.  Our vim25 subset compiles in seconds at -O2; a full
# VMware set compiles about 2x faster at -O1 (../shared/notes/gsoap-vim25.md),
# which the regeneration matrix uses (GEN_OPT=-O1).
GEN_OPT ?= -O2
# Extra flags for everything we compile (e.g. SAN=-fsanitize=address,undefined).
SAN ?=
CFLAGS ?=
LDFLAGS ?=

GSOAP_DEFS := -DWITH_IPV6 -DWITH_OPENSSL -DWITH_GZIP -DWITH_DOM -DWITH_COOKIES
# Hand-written code: warnings are errors.
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
O ?= generated/build
# Where the vim25 stubs are generated (the regeneration matrix uses one per WSDL set).
V25 ?= generated/vim25

VSDK_CFLAGS := -std=gnu11 $(OPT) -g -fPIC -fvisibility=hidden -DVSDK_BUILDING \
	$(GSOAP_DEFS) -Isdk/include -Isdk/src -I$(V25) -Igenerated/hyperv-v2 \
	-Igenerated $(SAN) $(CFLAGS)
GEN_CFLAGS := -std=gnu11 $(GEN_OPT) -g0 -fPIC -fvisibility=hidden -DVSDK_BUILDING \
	$(GSOAP_DEFS) -Isdk/include -Isdk/src -I$(V25) -Igenerated/hyperv-v2 -Igenerated \
	-w $(CFLAGS)
# V=1 shows full command lines.
Q = $(if $(V),,@echo "  CC $@";)
LIBS := -lssl -lcrypto -lz -lm -lpthread
GSOAP_STATIC := $(shell pkg-config --variable=libdir gsoapssl 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/libgsoapssl.a

LIB_A := $(O)/libvsdk.a
LIB_SO_NAME := libvsdk.so.$(VERSION_MAJOR)
LIB_SO := $(O)/libvsdk.so.$(VERSION)

.PHONY: all deps lib generate check check-unit check-integration bench demo \
	install uninstall docs fuzz samples clean distclean help
.DEFAULT_GOAL := all
.SECONDARY:
.DELETE_ON_ERROR:

all: deps
	@$(MAKE) --no-print-directory lib

help:
	@sed -n '2,10p' Makefile

# ---------------------------------------------------------------------------
# Dependencies: Debian packages only.  Installs what is missing when root,
# otherwise prints the exact command and stops.
# Recursive (=): module fragments add DEB_PKGS_EXTRA after this line.
DEB_PKGS = gsoap libgsoap-dev libssl-dev zlib1g-dev libcunit1-dev pkg-config \
	golang-go golang-github-vmware-govmomi-dev openssl $(DEB_PKGS_EXTRA)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing:$$missing"; \
	    (apt-get update -qq || true) && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "deps: missing Debian packages:$$missing"; \
	    echo "deps: run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	  fi; \
	fi

# ---------------------------------------------------------------------------
# Library.  SDK sources are every sdk/src/*.c; fragments add generated objects
# to GEN_OBJS / GEN_ARCHIVES and their generation stamps to GEN_STAMPS.
SDK_SRCS := $(wildcard sdk/src/*.c)
SDK_OBJS := $(patsubst sdk/src/%.c,$(O)/sdk/%.o,$(SDK_SRCS))
SDK_HDRS := $(wildcard sdk/include/*.h sdk/include/vsdk/*.h sdk/src/*.h)
GEN_STAMPS :=
GEN_ARCHIVES :=
GEN_HDRS :=

-include $(sort $(wildcard generator/*.mk))
-include $(sort $(wildcard sdk/*.mk))

$(O)/sdk/%.o: sdk/src/%.c $(SDK_HDRS) $(GEN_STAMPS) | $(O)/sdk
	$(Q)$(CC) $(VSDK_CFLAGS) $(WARN) -c -o $@ $<

$(O)/sdk $(O)/bin $(O)/tests:
	@mkdir -p $@

lib: $(LIB_A) $(O)/libvsdk.so

$(LIB_A): $(SDK_OBJS) $(GEN_ARCHIVES)
	@rm -f $@ $@.tmp
	@mkdir -p $(O)/ar && rm -rf $(O)/ar/* && for a in $(GEN_ARCHIVES); do \
	  d=$(O)/ar/$$(basename $$a .a); mkdir -p $$d; (cd $$d && ar x $(CURDIR)/$$a); done
	ar rcs $@.tmp $(SDK_OBJS) $$(find $(O)/ar -name '*.o' | sort)
	@mv $@.tmp $@

$(LIB_SO): $(SDK_OBJS) $(GEN_ARCHIVES)
	$(CC) -shared -o $@ -Wl,-soname,$(LIB_SO_NAME) $(SAN) $(SDK_OBJS) \
	  -Wl,--whole-archive $(GEN_ARCHIVES) -Wl,--no-whole-archive \
	  $(GSOAP_STATIC) -Wl,--exclude-libs,$(notdir $(GSOAP_STATIC)) -Wl,--no-undefined $(LIBS) $(LDFLAGS)

$(O)/libvsdk.so: $(LIB_SO)
	ln -sf libvsdk.so.$(VERSION) $(O)/$(LIB_SO_NAME)
	ln -sf $(LIB_SO_NAME) $@

# ---------------------------------------------------------------------------
# Tests, samples, benchmarks, demo: fragments in tests/ and samples/.
-include $(sort $(wildcard tests/*.mk))
-include $(sort $(wildcard samples/*.mk))

clean:
	rm -rf $(O)

distclean:
	find generated -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
