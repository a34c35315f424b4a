#!/usr/bin/env bash
# Regenerate the vim25 stubs from every real VMware WSDL set in ../shared,
# build libvsdk against each, and run the VI integration suites on each.
# Prints the wall time of each regenerate+build.  Skips (exit 0) with a
# message when ../shared is absent.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
shared=${VSDK_SHARED:-../shared}
sets=${VIM25_SETS:-"4.1 5.5 6.7 7.0.3"}
if [ ! -d "$shared/vim25-wsdl" ]; then
	echo "SKIP: regeneration matrix: $shared/vim25-wsdl not found (set VSDK_SHARED)"
	exit 0
fi
results=()
for v in $sets; do
	wsdl="$shared/vim25-wsdl/$v/vimService.wsdl"
	if [ ! -f "$wsdl" ]; then echo "SKIP: vim25 $v: $wsdl not found"; continue; fi
	wsdl=$(readlink -f "$wsdl")
	args=(V25="generated/vim25-$v" O="generated/build-$v" VIM25_WSDL="$wsdl" GEN_OPT=-O1)
	echo "=== vim25 $v: regenerate + build"
	t0=$(date +%s)
	make --no-print-directory -j2 tests-build "${args[@]}" > "generated/regen-$v.log" 2>&1 || {
		tail -40 "generated/regen-$v.log"; echo "regeneration or build failed for $v"; exit 1; }
	t1=$(date +%s)
	size=$(du -sk "generated/vim25-$v" | cut -f1)
	lib=$(stat -c %s "generated/build-$v/libvsdk.so.0.1.0")
	echo "vim25 $v: regenerate+build $((t1 - t0)) s; stubs ${size} KiB; libvsdk.so ${lib} bytes"
	results+=("$v $((t1 - t0))s stubs=${size}KiB libvsdk.so=${lib}B")
	echo "=== vim25 $v: VI integration suites"
	make --no-print-directory check "${args[@]}" ONLY='test_vi_*'
done
echo
echo "regeneration matrix:"
printf '  %s\n' "${results[@]}"
