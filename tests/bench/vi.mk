# VI benchmark: `make bench` runs it (bench-vi).  SPDX-License-Identifier: GPL-2.0-or-later
#
# bench_vi lists 10,000 VMs over HTTPS with vsdk and two peers side by side:
# govmomi-list (ours, Go, built in GOPATH mode against Debian's
# golang-github-vmware-govmomi-dev like the harness) and pyvmomi_list.py
# (Debian's python3-pyvmomi).  BENCH_VI_ARGS="--vms N --runs R" to change it.
# It prints a table and writes tests/bench/out/vi.tsv, one line per number:
#   vi <TAB> benchmark <TAB> metric <TAB> median <TAB> min <TAB> max <TAB> unit <TAB> runs
.PHONY: bench-vi
bench: bench-vi

DEB_PKGS_EXTRA += python3-pyvmomi

GOVMOMI_LIST := $(O)/bin/govmomi-list
GOVMOMI_LIST_SRCS := $(wildcard tests/bench/govmomi-list/src/vsdk/govmomilist/*.go)
BENCH_VI_GOENV := GOCACHE=$(if $(HOME),$(HOME)/.cache/go-build,$(CURDIR)/generated/go-cache) GO111MODULE=off \
	GOPATH=$(CURDIR)/tests/bench/govmomi-list:/usr/share/gocode GOPROXY=off CGO_ENABLED=0 GOFLAGS=-trimpath
BENCH_VI_ARGS ?=

$(GOVMOMI_LIST): $(GOVMOMI_LIST_SRCS) | $(O)/bin
	$(BENCH_VI_GOENV) go build -o $@ vsdk/govmomilist

$(O)/bin/bench_vi: tests/bench/bench_vi.c $(LIB_A) | $(O)/bin
	$(CC) -std=gnu11 $(OPT) -g -Isdk/include $(SAN) $(CFLAGS) $(WARN) -o $@ $< \
	  -Wl,--start-group $(LIB_A) $(GSOAP_STATIC) -Wl,--end-group $(LIBS) $(SAN) $(LDFLAGS)

bench-vi: lib $(O)/bin/bench_vi $(GOVMOMI_LIST) $(VCSIM_HARNESS)
	VSDK_BIN=$(O)/bin $(O)/bin/bench_vi $(BENCH_VI_ARGS)
