# Shipping checks: install/uninstall, exported symbols, headers, version, samples.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make check-ship      all of the below (CI runs it after `make check`)
#   make check-install   install to a temp DESTDIR, compare the list, symbols,
#                        headers alone (C99, C++11), pkg-config links, uninstall
#   make check-version   vsdk/version.h agrees with the Makefile and the schemas
#   make check-samples   samples built against the installed tree, run against
#                        both simulators (tests/samples/run.sh)
.PHONY: check-ship check-install check-version check-samples

check-install: lib $(TEST_DEPS)
	@O=$(O) bash tests/ship/check-install.sh

check-version:
	@VERSION_MAJOR=$(VERSION_MAJOR) VERSION_MINOR=$(VERSION_MINOR) VERSION_PATCH=$(VERSION_PATCH) \
	  bash tests/ship/check-version.sh

check-samples: lib $(TEST_DEPS)
	@O=$(O) bash tests/samples/run.sh

check-ship: deps
	@$(MAKE) --no-print-directory check-version
	@$(MAKE) --no-print-directory check-install
	@$(MAKE) --no-print-directory check-samples

# Short names for the two simulators.
vcsim-harness: $(VCSIM_HARNESS)
.PHONY: vcsim-harness
