#!/usr/bin/env bash
# Builds every sample against the INSTALLED tree (make install into a temporary
# DESTDIR, then `cc x.c $(pkg-config --cflags --libs vsdk)`), and runs each
# against the simulators over HTTPS with a throw-away CA, checking its output.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make check-samples          (KEEP=1 keeps the temporary tree)
set -uo pipefail
O=${O:-generated/build}
PREFIX=/usr/local
passes=0 fails=0
ok() { echo "  ok   $*"; passes=$((passes + 1)); }
bad() { echo "  FAIL $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsdk-samples.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
dest=$tmp/root

echo "== install into $dest$PREFIX"
if ! make --no-print-directory -s install O="$O" DESTDIR="$dest" PREFIX="$PREFIX" INSTALL_DOCS=0 >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"; echo "samples: 0 passed, 1 failed"; exit 1
fi
export PKG_CONFIG_PATH=$dest$PREFIX/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
export LD_LIBRARY_PATH=$dest$PREFIX/lib
samples=$dest$PREFIX/share/doc/vsdk/samples
bin=$tmp/bin
mkdir -p "$bin"

echo "== build each installed sample with cc x.c \$(pkg-config --cflags --libs vsdk)"
for c in "$samples"/*.c; do
	n=$(basename "$c" .c)
	if cc -std=c99 -pedantic -Wall -Wextra -Werror -o "$bin/$n" "$c" $(pkg-config --cflags --libs vsdk) 2>"$tmp/$n.err"; then
		ok "$n builds (C99, -pedantic -Wall -Wextra -Werror) against the installed tree"
	else
		bad "$n does not build:"; cat "$tmp/$n.err"
	fi
done
loaded=0
for n in "$bin"/*; do
	ldd "$n" >"$tmp/ldd" 2>&1
	if grep -q "libvsdk.so.0 => $dest$PREFIX/lib/" "$tmp/ldd"; then :; else bad "$(basename "$n") does not load the installed libvsdk"; loaded=1; fi
	"$n" --help >"$tmp/help" 2>&1 && grep -q '^usage: ' "$tmp/help" || { bad "$(basename "$n") --help"; loaded=1; }
done
[ "$loaded" = 0 ] && ok "every sample loads the installed libvsdk.so.0 and answers --help with a usage"

# a throw-away CA-less self-signed certificate for 127.0.0.1
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 || { bad "openssl req"; exit 1; }
thumb=$(openssl x509 -in "$tmp/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')

# start NAME CMD...: runs a simulator, waits for its URL lines, sets URL and CTL
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
	[ -n "$CTL" ] || { bad "$name did not start: $(cat "$tmp/$name.err")"; return 1; }
	ok "$name listens on $URL (control $CTL)"
}
port_of() { local p=${1#*://*:}; echo "${p%%/*}"; }

# expect DESC REGEX CMD...: exit 0 and output matching REGEX (extended)
expect() {
	local desc=$1 re=$2
	shift 2
	if out=$("$@" 2>&1) && grep -Eq "$re" <<<"$out"; then ok "$desc"; else bad "$desc (exit $?): $out"; fi
}
# expect_fail DESC REGEX CMD...: non-zero exit and output matching REGEX
expect_fail() {
	local desc=$1 re=$2
	shift 2
	if out=$("$@" 2>&1); then bad "$desc: succeeded: $out"; elif grep -Eq "$re" <<<"$out"; then ok "$desc"; else bad "$desc: $out"; fi
}

export VSDK_PASSWORD=secret

echo "== Hyper-V samples against hvsim (HTTPS)"
if start hvsim "$O/bin/hvsim" --listen 127.0.0.1:0 --vms 4 --user admin --password secret \
	--tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --control-listen 127.0.0.1:0; then
	HV="hyperv://admin@127.0.0.1:$(port_of "$URL")/"
	HVC=$CTL
	T=(--ca-file "$tmp/cert.pem")
	expect_fail "hv_list_vms verifies TLS by default (self-signed refused)" "VSDK_ETLS" "$bin/hv_list_vms" "$HV"
	expect "hv_list_vms --ca-file lists 4 VMs with neutral and agent states" \
		'5EC00000-0002-4000-8000-000000000002 +off +Stopped +3 Disabled +vm-00002' "$bin/hv_list_vms" "${T[@]}" "$HV"
	expect "hv_list_vms --thumbprint pins the certificate" '^4 VMs$' "$bin/hv_list_vms" --thumbprint "$thumb" "$HV"
	expect "hv_list_vms --no-verify" '^4 VMs$' "$bin/hv_list_vms" --no-verify "$HV"
	expect_fail "a wrong password is refused" "VSDK_EAUTH" env VSDK_PASSWORD=wrong "$bin/hv_list_vms" "${T[@]}" "$HV"
	expect "hv_power start an off VM" 'done: vm-00002 is now running' "$bin/hv_power" "${T[@]}" "$HV" start vm-00002
	expect "hv_power off" 'done: vm-00002 is now off' "$bin/hv_power" "${T[@]}" "$HV" off vm-00002
	expect "hv_power shutdown (guest, through the shutdown component)" 'done: vm-00003 is now off' "$bin/hv_power" "${T[@]}" "$HV" shutdown vm-00003
	expect_fail "hv_power save of an off VM is refused (32775, VSDK_ESTATE)" 'Invalid state for this operation.*VSDK_ESTATE' \
		"$bin/hv_power" "${T[@]}" "$HV" save vm-00004
	expect "hv_power start vm-00004" 'done: vm-00004 is now running' "$bin/hv_power" "${T[@]}" "$HV" start vm-00004
	expect "hv_power save" 'done: vm-00004 is now saved' "$bin/hv_power" "${T[@]}" "$HV" save vm-00004
	expect "hv_list_vms shows the saved VM as saved" ' saved .*vm-00004$' "$bin/hv_list_vms" "${T[@]}" "$HV"
	expect_fail "hv_power start by an unknown name" 'VSDK_ENOTFOUND' "$bin/hv_power" "${T[@]}" "$HV" start no-such-vm
	curl -fsS "${HVC%/}/job-exception?code=32768&desc=Disk%20full%20(injected)" >/dev/null
	expect_fail "hv_power reports a failed job's ErrorCode and ErrorDescription" \
		'job .* failed: Exception \(JobState 10\), ErrorCode 32768, Disk full \(injected\) \(VSDK_EJOB' \
		"$bin/hv_power" "${T[@]}" "$HV" start vm-00002
	printf '#cloud-config\nhostname: sample\n' >"$tmp/ud.txt"
	expect "hv_kvp_userdata set (inject)" 'userdata set on vm-00001 \(31 bytes\)' "$bin/hv_kvp_userdata" "${T[@]}" "$HV" set vm-00001 "$tmp/ud.txt"
	expect "hv_kvp_userdata get gives it back base64" "^$(base64 -w0 "$tmp/ud.txt")\$" "$bin/hv_kvp_userdata" "${T[@]}" "$HV" get vm-00001
	printf 'replaced' | base64 >"$tmp/ud.b64"
	expect "hv_kvp_userdata set64 (replace)" 'userdata set on vm-00001' "$bin/hv_kvp_userdata" "${T[@]}" "$HV" set64 vm-00001 "$tmp/ud.b64"
	expect "hv_kvp_userdata list shows the replaced host item and the guest's items" \
		"host +cloudstack-vm-userdata=$(printf replaced | base64)" "$bin/hv_kvp_userdata" "${T[@]}" "$HV" list vm-00001
	expect "hv_kvp_userdata remove" 'userdata removed from vm-00001' "$bin/hv_kvp_userdata" "${T[@]}" "$HV" remove vm-00001
	expect_fail "hv_kvp_userdata get after remove says there is none" 'has no userdata' "$bin/hv_kvp_userdata" "${T[@]}" "$HV" get vm-00001
	expect_fail "hv_kvp_userdata set64 refuses text that is not base64" 'VSDK_EINVALID' \
		"$bin/hv_kvp_userdata" "${T[@]}" "$HV" set64 vm-00001 "$tmp/ud.txt"
fi

echo "== VI samples against the vSphere simulator harness (ESX model, HTTPS)"
if start vcsim-esx "$O/bin/vcsim-harness" --listen 127.0.0.1:0 --model esx --vms 3 --powered-off \
	--task-delay-ms 300 --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"; then
	ESX="esx://root@127.0.0.1:$(port_of "$URL")/"
	T=(--ca-file "$tmp/cert.pem")
	expect_fail "vi_list_vms verifies TLS by default" "VSDK_ETLS" "$bin/vi_list_vms" "$ESX"
	expect "vi_list_vms lists the ESX model's 3 VMs" 'poweredOff +[0-9a-f-]{36} +ha-host_VM2' "$bin/vi_list_vms" "${T[@]}" --hosts "$ESX"
	expect "vi_power on draws the task's progress to 100%" '\] 100%' "$bin/vi_power" "${T[@]}" "$ESX" on ha-host_VM2
	expect "vi_power on reads the new state back" 'done: ha-host_VM1 is poweredOn' "$bin/vi_power" "${T[@]}" "$ESX" on ha-host_VM1
	expect_fail "vi_power on twice fails with InvalidPowerState" 'fault InvalidPowerState' "$bin/vi_power" "${T[@]}" "$ESX" on ha-host_VM1
	expect "vi_power off" 'done: ha-host_VM1 is poweredOff' "$bin/vi_power" "${T[@]}" --thumbprint "$thumb" "$ESX" off ha-host_VM1
	expect "vi_sched get reads the defaults" 'ha-host_VM0: reservation=0 MHz limit=unlimited shares=normal' "$bin/vi_sched" "${T[@]}" "$ESX" get ha-host_VM0
	expect "vi_sched set changes reservation, limit and shares" 'ha-host_VM0: reservation=500 MHz limit=2000 MHz shares=high' \
		"$bin/vi_sched" "${T[@]}" "$ESX" set ha-host_VM0 reservation=500 limit=2000 shares=high
	expect_fail "vi_sched refuses a reservation above the limit, naming it" 'limit 2000 MHz must be .* at least the reservation \(5000 MHz\)' \
		"$bin/vi_sched" "${T[@]}" "$ESX" set ha-host_VM0 reservation=5000
	expect_fail "vi_sched refuses a bad assignment before connecting" "bad assignment 'shares=lots'" \
		"$bin/vi_sched" "${T[@]}" "$ESX" set ha-host_VM0 shares=lots
	expect "vi_sched set shares to a number and limit to unlimited" 'limit=unlimited shares=1234' \
		"$bin/vi_sched" "${T[@]}" "$ESX" set ha-host_VM0 limit=unlimited shares=1234
	expect "vi_define_vm --dry-run converts the Fedora11 domain XML to VMX" \
		'scsi0:0.fileName = "/vmfs/volumes/local-storage/Fedora11/Fedora11.vmdk"' \
		"$bin/vi_define_vm" "${T[@]}" --dry-run "$ESX" "$samples/data/fedora11.xml"
	expect "vi_define_vm --dry-run checks the name is free" 'dry run: Fedora11 can be defined' \
		"$bin/vi_define_vm" "${T[@]}" --dry-run "$ESX" "$samples/data/fedora11.xml"
	expect_fail "vi_define_vm names the missing datastore of the original example" 'local-storage.*VSDK_ENOTFOUND|VSDK_ENOTFOUND.*local-storage' \
		"$bin/vi_define_vm" "${T[@]}" "$ESX" "$samples/data/fedora11.xml"
	sed 's/\[local-storage\]/[LocalDS_0]/' "$samples/data/fedora11.xml" >"$tmp/fedora11.xml"
	expect "vi_define_vm defines Fedora11 and shows the registered VMX (server's virtualHW.version 13)" \
		'virtualHW.version = "13"' "$bin/vi_define_vm" "${T[@]}" "$ESX" "$tmp/fedora11.xml"
	expect "vi_list_vms shows the defined VM" ' Fedora11$' "$bin/vi_list_vms" "${T[@]}" "$ESX"
	expect_fail "vi_define_vm refuses a second VM of the same name" 'a VM named Fedora11 already exists' \
		"$bin/vi_define_vm" "${T[@]}" "$ESX" "$tmp/fedora11.xml"
	sed 's/Fedora11</Fedora11b</' "$tmp/fedora11.xml" >"$tmp/fedora11b.xml"
	expect "vi_define_vm --xml reads the registered VM back as domain XML" \
		'<source file="\[LocalDS_0\] Fedora11/Fedora11.vmdk"/>' \
		"$bin/vi_define_vm" "${T[@]}" --xml "$ESX" "$tmp/fedora11b.xml"
	expect_fail "vi_power shutdown of a powered-off VM says why" 'is poweredOff; ShutdownGuest needs it powered on' \
		"$bin/vi_power" "${T[@]}" "$ESX" shutdown ha-host_VM0
	expect_fail "vi_migrate on esx:// without vcenter= says what is missing" 'requires vcenter=' "$bin/vi_migrate" "${T[@]}" "$ESX" ha-host_VM0 somewhere
fi

echo "== VI samples against the vSphere simulator harness (vCenter model, HTTPS)"
if start vcsim-vpx "$O/bin/vcsim-harness" --listen 127.0.0.1:0 --model vpx --hosts 2 --vms 2 \
	--tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem"; then
	VPX="vpx://administrator@vsphere.local@127.0.0.1:$(port_of "$URL")/"
	T=(--ca-file "$tmp/cert.pem")
	expect "vi_list_vms on vCenter lists its hosts and VMs" 'host .*DC0_C0_H1' "$bin/vi_list_vms" "${T[@]}" --hosts "$VPX"
	expect "vi_migrate moves a VM to the other host" 'done: DC0_C0_RP0_VM0 \(vm-[0-9]+\) now runs on host host-[0-9]+' \
		"$bin/vi_migrate" "${T[@]}" "$VPX" DC0_C0_RP0_VM0 DC0_C0_H1
	expect_fail "vi_migrate to an unknown host says which" 'VSDK_ENOTFOUND' "$bin/vi_migrate" "${T[@]}" "$VPX" DC0_C0_RP0_VM0 no-such-host
fi

echo "samples: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
