# make check-tsan: the concurrency suite (16 threads x VSDK_CONCURRENCY_OPS,
# default here 1000) built with ThreadSanitizer in its own O=; any report
# fails the run.  Our code and the generated stubs are instrumented; gSOAP's
# static library and OpenSSL are not (TSan sees none of their accesses).
# SPDX-License-Identifier: GPL-2.0-or-later
TSAN_O := generated/build-tsan
TSAN_OPS ?= 1000

.PHONY: check-tsan
check-tsan: deps
	@$(MAKE) --no-print-directory lib
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan/tsan.supp" \
	  VSDK_CONCURRENCY_OPS=$(TSAN_OPS) $(MAKE) --no-print-directory check O=$(TSAN_O) MOFC=generated/build/bin/mofc \
	  SAN="-fsanitize=thread" ONLY="$(or $(ONLY),test_concurrency)"
