#!/usr/bin/env bash
# Runs each test program given, from the repository root, and totals CUnit's
# summaries into one closing line: "N passed, N failed".
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
export VSDK_BIN=${VSDK_BIN:-generated/build/bin}
passed=0 failed=0 broken=0
for t in "$@"; do
	name=$(basename "$t")
	if [ -n "${ONLY:-}" ]; then
		keep=0
		IFS=, read -ra pats <<<"$ONLY"
		for p in "${pats[@]}"; do [[ "$name" == $p ]] && keep=1; done
		[ "$keep" = 1 ] || continue
	fi
	echo "=== $name"
	# VSDK_TEST_WRAPPER: e.g. valgrind (make check-valgrind).
	out=$(${VSDK_TEST_WRAPPER:-} "$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	row=$(printf '%s\n' "$out" | awk '$1=="tests" && NF>=6 {print $3, $4, $5}' | tail -n1)
	if [ -z "$row" ]; then
		echo "!!! $name: no CUnit summary (exit $rc)"; broken=$((broken+1)); continue
	fi
	read -r _ p f <<<"$row"
	passed=$((passed+p)); failed=$((failed+f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then echo "!!! $name: exit $rc"; broken=$((broken+1)); fi
done
echo
[ "$broken" -gt 0 ] && echo "programs that crashed or failed without a summary: $broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$broken" -eq 0 ]
