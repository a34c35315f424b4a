# Install / uninstall: libraries, public headers, vsdk.pc, simulators, samples, API docs.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make install   PREFIX=/usr/local DESTDIR=   (also builds the docs; INSTALL_DOCS=0 skips them)
#   make uninstall PREFIX=/usr/local DESTDIR=   removes exactly what the manifest
#                  $(DESTDIR)$(DOCDIR)/install-manifest.txt lists
#
# Public headers: sdk/include/vsdk.h, sdk/include/vsdk/*.h, and the generated
# generated/hyperv-v2/hyperv_v2.h (installed as vsdk/hyperv_v2.h), because
# vsdk/hyperv.h hands out its typed instances.  The vim25 stub headers stay
# private: no public header needs them (vsdk_vi_object_get_raw() is void *).
INSTALL_DOCS ?= 1
INSTALL_BINS = $(wildcard $(O)/bin/hvsim $(O)/bin/vcsim-harness)
INSTALL_SAMPLE_FILES = $(sort $(wildcard samples/*.c samples/data/*))
INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" LIBDIR="$(LIBDIR)" INCLUDEDIR="$(INCLUDEDIR)" \
	BINDIR="$(BINDIR)" DOCDIR="$(DOCDIR)" VERSION="$(VERSION)" VERSION_MAJOR="$(VERSION_MAJOR)" \
	O="$(O)" HV_HEADER="generated/hyperv-v2/hyperv_v2.h" BINS="$(INSTALL_BINS)" \
	SAMPLE_FILES="$(INSTALL_SAMPLE_FILES)" DOCS_HTML="$(if $(filter 1,$(INSTALL_DOCS)),$(DOCS_OUT)/html)"

install: lib $(if $(filter 1,$(INSTALL_DOCS)),docs)
	@$(INSTALL_ENV) bash sdk/install.sh install

uninstall:
	@$(INSTALL_ENV) bash sdk/install.sh uninstall
