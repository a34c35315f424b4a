# make check-valgrind: every test program under valgrind memcheck with zero
# definite/indirect leaks and no errors.  Servers the tests start (the Go
# harness) run natively.  Suppressions (tests/valgrind.supp) cover only
# OpenSSL/gSOAP internals.
# SPDX-License-Identifier: GPL-2.0-or-later
VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp --trace-children=no

.PHONY: check-valgrind
check-valgrind: deps
	@command -v valgrind >/dev/null || { echo "check-valgrind: valgrind missing: apt-get install valgrind"; exit 1; }
	@$(MAKE) --no-print-directory tests-build
	@O=$(O) VSDK_BIN=$(O)/bin ONLY="$(ONLY)" VSDK_TEST_WRAPPER="$(VALGRIND)" VSDK_CONCURRENCY_OPS=20 \
	  bash tests/run-tests.sh $(UNIT_TESTS) $(INTEG_TESTS)
