# vcsim-harness: govmomi's simulator (Debian golang-github-vmware-govmomi-dev) + vsdk extensions.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Built in GOPATH mode against the Debian library; our code lives in its own
# import path (tests/vcsim/src/vsdk/vcsim).  -trimpath keeps the Go build
# cache valid whatever the checkout path is.
VCSIM_HARNESS := $(O)/bin/vcsim-harness
VCSIM_HARNESS_SRCS := $(wildcard tests/vcsim/src/vsdk/vcsim/*.go)
# Go needs a build cache; CI may run without HOME.
VCSIM_GOCACHE := $(if $(HOME),$(HOME)/.cache/go-build,$(CURDIR)/generated/go-cache)
VCSIM_GOENV := GOCACHE=$(VCSIM_GOCACHE) GO111MODULE=off GOPATH=$(CURDIR)/tests/vcsim:/usr/share/gocode GOPROXY=off \
	CGO_ENABLED=0 GOFLAGS=-trimpath

$(VCSIM_HARNESS): $(VCSIM_HARNESS_SRCS)
	@mkdir -p $(dir $@)
	$(VCSIM_GOENV) go build -o $@ vsdk/vcsim

TEST_DEPS += $(VCSIM_HARNESS)

# Smoke test of the harness itself (HTTP + HTTPS, paging, questions, expiry).
check-vcsim-smoke: $(VCSIM_HARNESS)
	@VCSIM_HARNESS=$(VCSIM_HARNESS) bash tests/vcsim/smoke.sh

.PHONY: check-vcsim-smoke

# smoke.sh talks SOAP with curl (openssl is already in DEB_PKGS)
DEB_PKGS_EXTRA += curl
