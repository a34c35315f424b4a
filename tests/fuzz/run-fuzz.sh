#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS on a scratch copy of its seed corpus,
# FUZZ_JOBS targets at a time; prints executions per target and the total;
# fails on any finding (the crashing input is kept in $FUZZ_O/findings/<target>/).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
O=${FUZZ_O:-generated/build-fuzz}
secs=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-1}

run_one() {
	local t=$1 work=$O/corpus-work/$1 find=$O/findings/$1 log=$O/fuzz-$1.log rc runs
	rm -rf "$work" && mkdir -p "$work" "$find"
	cp tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	"$O"/fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-close_fd_mask=1 -artifact_prefix="$find"/ -print_final_stats=1 "$work" >"$log" 2>&1
	rc=$?
	runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -n1)
	echo "$t ${runs:-0} $rc $(ls "$work" | wc -l)" > "$O/fuzz-$t.result"
}

i=0
for t in "$@"; do
	run_one "$t" &
	i=$((i + 1))
	[ $((i % jobs)) -eq 0 ] && wait
done
wait

total=0 bad=0
for t in "$@"; do
	read -r _ runs rc corpus < "$O/fuzz-$t.result"
	total=$((total + runs))
	if [ "$rc" -ne 0 ]; then
		bad=$((bad + 1))
		echo "fuzz_$t: FINDING after $runs runs (exit $rc); input in $O/findings/$t/, log $O/fuzz-$t.log"
		grep -m3 -E 'ERROR|SUMMARY|runtime error' "$O/fuzz-$t.log"
	else
		echo "fuzz_$t: $runs runs in ${secs}s, corpus $corpus inputs, no finding"
	fi
done
echo "fuzz: $total executions in total, $bad target(s) with findings"
[ "$bad" -eq 0 ]
