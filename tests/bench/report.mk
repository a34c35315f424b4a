# `make bench`: after every benchmark (the bench-* prerequisites the other
# fragments add), build tests/bench/RESULTS.md from generated/bench/*.tsv.
# SPDX-License-Identifier: GPL-2.0-or-later
# Run it without -j: benchmarks running side by side disturb each other.
bench:
	@bash tests/bench/report.sh

bench-report:
	@bash tests/bench/report.sh
.PHONY: bench-report
