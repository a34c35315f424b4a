#!/usr/bin/env bash
# make demo: start the vSphere simulator harness (ESX model) and hvsim on
# 127.0.0.1, walk through the samples with a short narration, stop both.
# Exits non-zero if any step fails.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
cd "$(dirname "$0")/.."
O=${O:-generated/build}
BIN=$O/bin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsdk-demo.XXXXXX")
pids=()
failed=0

stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap stop_all EXIT

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'; else B='' G='' R='' N=''; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }
# step CMD...: show the command (with the paths shortened), run it, it must succeed
step() {
	show "$(printf '%s ' "$@" | sed "s|$BIN/||g; s|$tmp/||g")"
	if "$@"; then return 0; fi
	printf '%sstep failed (exit %s)%s\n' "$R" "$?" "$N"
	failed=$((failed + 1))
	return 1
}
# start NAME CMD...: run a simulator in the background and wait for its URL lines
start() {
	local name=$1
	shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids+=($!)
	for _ in $(seq 1 300); do
		[ "$(wc -l <"$tmp/$name.out")" -ge 2 ] && break
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	URL=$(sed -n 1p "$tmp/$name.out")
	CTL=$(sed -n 2p "$tmp/$name.out")
	if [ -z "$CTL" ]; then
		printf '%s%s did not start:%s\n' "$R" "$name" "$N"
		cat "$tmp/$name.err"
		exit 1
	fi
	echo "$name (pid ${pids[-1]}) serves $URL, control endpoint $CTL"
}
port_of() { local p=${1#*://*:}; echo "${p%%/*}"; }

for b in vcsim-harness hvsim vi_list_vms vi_power vi_define_vm hv_list_vms hv_kvp_userdata hv_power; do
	[ -x "$BIN/$b" ] || { echo "demo: $BIN/$b is not built (run: make demo)"; exit 1; }
done

say "Starting the simulators on 127.0.0.1 (HTTPS with a throw-away certificate)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 || { echo "demo: openssl failed"; exit 1; }
start vcsim-harness "$BIN/vcsim-harness" --listen 127.0.0.1:0 --model esx --vms 3 --powered-off \
	--task-delay-ms 2000 --user root --password demo-esx-pw --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"
ESX="esx://root@127.0.0.1:$(port_of "$URL")/"
start hvsim "$BIN/hvsim" --listen 127.0.0.1:0 --vms 3 --user administrator --password demo-hv-pw \
	--tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --control-listen 127.0.0.1:0
HV="hyperv://administrator@127.0.0.1:$(port_of "$URL")/"
HVCTL=${CTL%/}
CA=(--ca-file "$tmp/cert.pem")
echo "Passwords come from the environment (VSDK_PASSWORD), never from the command line."
echo "Certificates are verified: the samples trust the simulators' certificate with --ca-file."

say "1. List the VMs of the ESX host"
VSDK_PASSWORD=demo-esx-pw step "$BIN/vi_list_vms" "${CA[@]}" --hosts "$ESX"

say "2. Power one on; the bar follows the server task's progress"
VSDK_PASSWORD=demo-esx-pw step "$BIN/vi_power" "${CA[@]}" "$ESX" on ha-host_VM0

say "3. Define a VM from the Fedora11 domain XML (samples/data/fedora11.xml) and show the VMX it generated"
echo "The simulator's datastore is LocalDS_0, so the demo points the example's disk there:"
step sed -n '/<domain/,$p' samples/data/fedora11.xml
sed 's/\[local-storage\]/[LocalDS_0]/' samples/data/fedora11.xml >"$tmp/fedora11.xml"
step grep -n 'LocalDS_0' "$tmp/fedora11.xml"
VSDK_PASSWORD=demo-esx-pw step "$BIN/vi_define_vm" "${CA[@]}" "$ESX" "$tmp/fedora11.xml"
VSDK_PASSWORD=demo-esx-pw step "$BIN/vi_list_vms" "${CA[@]}" "$ESX"

say "4. List the Hyper-V VMs: neutral state, the CloudStack agent's state, EnabledState"
VSDK_PASSWORD=demo-hv-pw step "$BIN/hv_list_vms" "${CA[@]}" "$HV"

say "5. Inject userdata through KVP and read it back"
printf '#cloud-config\nhostname: demo-vm\n' >"$tmp/user-data"
step cat "$tmp/user-data"
VSDK_PASSWORD=demo-hv-pw step "$BIN/hv_kvp_userdata" "${CA[@]}" "$HV" set vm-00001 "$tmp/user-data"
show "hv_kvp_userdata ${CA[*]} $HV get vm-00001 | base64 -d" | sed "s|$tmp/||g"
if got=$(VSDK_PASSWORD=demo-hv-pw "$BIN/hv_kvp_userdata" "${CA[@]}" "$HV" get vm-00001) &&
	printf '%s\n' "$got" && [ "$(printf '%s' "$got" | base64 -d)" = "$(cat "$tmp/user-data")" ]; then
	printf '%s' "$got" | base64 -d
	printf '%sthe userdata read back is identical%s\n' "$G" "$N"
else
	printf '%sreading the userdata back failed%s\n' "$R" "$N"
	failed=$((failed + 1))
fi

say "6. A Hyper-V job that fails: hvsim injects the failure, the SDK reports its error text"
step curl -fsS "$HVCTL/job-exception?code=32768&desc=The%20virtual%20machine%20could%20not%20be%20started%20(injected)"
show "hv_power ${CA[*]} $HV start vm-00002" | sed "s|$tmp/||g"
if VSDK_PASSWORD=demo-hv-pw "$BIN/hv_power" "${CA[@]}" "$HV" start vm-00002 2>"$tmp/err"; then
	printf '%sthe start should have failed%s\n' "$R" "$N"
	failed=$((failed + 1))
else
	cat "$tmp/err"
	if grep -q 'ErrorCode 32768, The virtual machine could not be started (injected)' "$tmp/err"; then
		printf '%sas expected: the job failed, and the message carries its ErrorCode and ErrorDescription%s\n' "$G" "$N"
	else
		printf '%sunexpected error text%s\n' "$R" "$N"
		failed=$((failed + 1))
	fi
fi

say "Stopping the simulators (by PID: ${pids[*]})"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
pids=()
if [ "$failed" -eq 0 ]; then
	printf '%sdemo: every step succeeded%s\n' "$G" "$N"
	echo "Next: the samples' sources are in samples/ (installed under share/doc/vsdk/samples);"
	echo "      make install PREFIX=/usr/local, then cc x.c \$(pkg-config --cflags --libs vsdk)."
else
	printf '%sdemo: %d step(s) failed%s\n' "$R" "$failed" "$N"
	exit 1
fi
