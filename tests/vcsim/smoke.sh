#!/bin/bash
# Smoke test of vcsim-harness over HTTP and HTTPS: URLs, login, paging, questions, expiry.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: VCSIM_HARNESS=generated/build/bin/vcsim-harness bash tests/vcsim/smoke.sh
# Exits non-zero on the first failure, naming the check that failed.
set -u

HARNESS=${VCSIM_HARNESS:-generated/build/bin/vcsim-harness}
[ -x "$HARNESS" ] || { echo "smoke: $HARNESS not built" >&2; exit 1; }
command -v curl >/dev/null || { echo "smoke: curl is required" >&2; exit 1; }
command -v openssl >/dev/null || { echo "smoke: openssl is required" >&2; exit 1; }

TMP=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

FAILS=0
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*" >&2; FAILS=$((FAILS + 1)); }
die() { echo "FAIL - $*" >&2; exit 1; }

# start_harness ARGS...: sets PID, SDK, CTL
start_harness() {
	"$HARNESS" --listen 127.0.0.1:0 "$@" >"$TMP/out" 2>"$TMP/err" &
	PID=$!
	for _ in $(seq 100); do
		[ "$(wc -l <"$TMP/out")" -ge 2 ] && break
		kill -0 "$PID" 2>/dev/null || die "harness exited early: $(cat "$TMP/err")"
		sleep 0.1
	done
	SDK=$(sed -n 1p "$TMP/out")
	CTL=$(sed -n 2p "$TMP/out")
}

stop_harness() {
	kill -TERM "$PID" || die "kill $PID"
	wait "$PID"
	local rc=$?
	PID=
	[ "$rc" = 0 ] && ok "harness stopped cleanly on SIGTERM" || fail "harness exit status $rc after SIGTERM"
}

CURL_TLS=()
# soap BODY: POST a SOAP envelope to $SDK with the cookie jar; prints the response
soap() {
	curl -s "${CURL_TLS[@]}" -b "$TMP/jar" -c "$TMP/jar" \
		-H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "urn:vim25/6.5"' \
		--data-binary "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>$1</soapenv:Body></soapenv:Envelope>" \
		"$SDK"
}
ctl() { curl -s -X "$1" "$CTL$2"; }
# first TEXT of <TAG> in stdin
field() { grep -o "<$1[^>]*>[^<]*" | head -1 | sed 's/.*>//'; }
count() { grep -o "$1" | wc -l; }

PC=propertyCollector
taskinfo() { # TASK PROP
	soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><specSet><propSet><type>Task</type><pathSet>$2</pathSet></propSet><objectSet><obj type=\"Task\">$1</obj></objectSet></specSet><options/></RetrievePropertiesEx>" | field val
}
wait_task() { # TASK STATE: poll up to 5 s
	local s
	for _ in $(seq 50); do
		s=$(taskinfo "$1" info.state)
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

suite() { # NAME SCHEME
	local name=$1 scheme=$2
	rm -f "$TMP/jar"
	if [ "$scheme" = https ]; then
		start_harness --model vpx --vms 5 --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
		CURL_TLS=(--cacert "$TMP/cert.pem")
	else
		start_harness --model vpx --vms 5 --page-size 3
		CURL_TLS=()
	fi
	[[ "$SDK" =~ ^$scheme://127\.0\.0\.1:[0-9]+/sdk$ ]] && ok "$name: line 1 is the SDK URL ($SDK)" \
		|| fail "$name: line 1 '$SDK' is not $scheme://127.0.0.1:PORT/sdk"
	[[ "$CTL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] && ok "$name: line 2 is the control URL" \
		|| fail "$name: line 2 '$CTL' is not http://127.0.0.1:PORT"
	[ "$(ctl GET /healthz)" = '{"status":"ok"}' ] && ok "$name: control /healthz" || fail "$name: /healthz"

	local r
	r=$(soap '<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>')
	[ "$(echo "$r" | field apiType)" = VirtualCenter ] && ok "$name: RetrieveServiceContent (verified TLS: $scheme)" \
		|| fail "$name: RetrieveServiceContent: $r"
	r=$(soap '<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>user</userName><password>pass</password></Login>')
	[ -n "$(echo "$r" | field key)" ] && grep -q vmware_soap_session "$TMP/jar" && ok "$name: Login sets the session cookie" \
		|| fail "$name: Login: $r"

	# paged retrieve through a container view of the 5 VMs
	local cv spec tok
	cv=$(soap '<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>' | field returnval)
	spec="<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type=\"ContainerView\">$cv</obj><skip>true</skip><selectSet xsi:type=\"TraversalSpec\"><name>v</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>"
	r=$(soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this>$spec<options><maxObjects>2</maxObjects></options></RetrievePropertiesEx>")
	tok=$(echo "$r" | field token)
	[ "$(echo "$r" | count '<objects>')" = 2 ] && [ -n "$tok" ] && ok "$name: RetrievePropertiesEx maxObjects=2 gives 2 objects + token" \
		|| fail "$name: first page: $r"
	r=$(soap "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><token>$tok</token></ContinueRetrievePropertiesEx>")
	[ "$(echo "$r" | count '<objects>')" = 2 ] && [ "$(echo "$r" | field token)" = "$tok" ] && ok "$name: Continue gives the next 2 + token" \
		|| fail "$name: second page: $r"
	r=$(soap "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><token>$tok</token></ContinueRetrievePropertiesEx>")
	[ "$(echo "$r" | count '<objects>')" = 1 ] && [ -z "$(echo "$r" | field token)" ] && ok "$name: last page has 1 object, no token" \
		|| fail "$name: last page: $r"
	r=$(soap "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><token>$tok</token></ContinueRetrievePropertiesEx>")
	echo "$r" | grep -q 'xsi:type="InvalidArgument"' && ok "$name: spent token gives InvalidArgument" \
		|| fail "$name: spent token: $r"
	if [ "$scheme" = http ]; then
		r=$(soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this>$spec<options/></RetrievePropertiesEx>")
		[ "$(echo "$r" | count '<objects>')" = 3 ] && [ -n "$(echo "$r" | field token)" ] && ok "$name: --page-size 3 applies without maxObjects" \
			|| fail "$name: default page: $r"
	fi

	# a pending question blocks power-on until AnswerVM
	local vm=DC0_C0_RP0_VM0 moref task qid
	moref=$(ctl GET "/vm?vm=$vm" | grep -o '"moref":"[^"]*"' | cut -d'"' -f4)
	task=$(soap "<PowerOffVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">$moref</_this></PowerOffVM_Task>" | field returnval)
	wait_task "$task" success || fail "$name: PowerOff $moref did not succeed"
	qid=$(ctl POST "/question?vm=$vm&text=Moved+or+copied%3F&choices=Cancel,Moved,Copied&default=2" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
	r=$(soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><specSet><propSet><type>VirtualMachine</type><pathSet>runtime.question</pathSet></propSet><objectSet><obj type=\"VirtualMachine\">$moref</obj></objectSet></specSet><options/></RetrievePropertiesEx>")
	[ -n "$qid" ] && [ "$(echo "$r" | field id)" = "$qid" ] && [ "$(echo "$r" | count '<choiceInfo')" = 3 ] \
		&& ok "$name: control question shows in runtime.question" || fail "$name: runtime.question: $r"
	task=$(soap "<PowerOnVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">$moref</_this></PowerOnVM_Task>" | field returnval)
	sleep 0.5
	[ "$(taskinfo "$task" info.state)" = running ] && ok "$name: power-on stays running while the question is pending" \
		|| fail "$name: power-on task state $(taskinfo "$task" info.state)"
	r=$(soap "<AnswerVM xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">$moref</_this><questionId>$qid</questionId><answerChoice>9</answerChoice></AnswerVM>")
	echo "$r" | grep -q 'xsi:type="InvalidArgument"' && ok "$name: AnswerVM with a bad choice gives InvalidArgument" \
		|| fail "$name: bad choice: $r"
	r=$(soap "<AnswerVM xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">$moref</_this><questionId>$qid</questionId><answerChoice>2</answerChoice></AnswerVM>")
	echo "$r" | grep -q '<AnswerVMResponse' && wait_task "$task" success \
		&& ok "$name: AnswerVM releases the power-on task" || fail "$name: AnswerVM: $r"

	# session expiry: the old cookie gets NotAuthenticated, a new Login works
	r=$(ctl POST /expire-sessions)
	echo "$r" | grep -q '"expired":1' || fail "$name: expire-sessions: $r"
	r=$(soap '<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>')
	echo "$r" | grep -q 'xsi:type="NotAuthenticated"' && ok "$name: expired session gives NotAuthenticated" \
		|| fail "$name: after expiry: $r"
	r=$(soap '<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>user</userName><password>pass</password></Login>')
	[ -n "$(echo "$r" | field key)" ] && ok "$name: fresh Login after expiry" || fail "$name: re-login: $r"

	stop_harness
}

vmprop() { # TYPE MOREF PROP
	soap "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">$PC</_this><specSet><propSet><type>$1</type><pathSet>$3</pathSet></propSet><objectSet><obj type=\"$1\">$2</obj></objectSet></specSet><options/></RetrievePropertiesEx>"
}
moref_of() { ctl GET "/vm?vm=$1" | grep -o '"moref":"[^"]*"' | cut -d'"' -f4; }
vmcall() { # METHOD MOREF [EXTRA-XML]
	soap "<$1 xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">$2</_this>${3:-}</$1>"
}
login_user() {
	soap "<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">$1</_this><userName>user</userName><password>pass</password></Login>" >/dev/null
}

# Tasks, Tools, migration and fault injection on the vpx model.
extras_vpx() {
	local name=vpx-extras r vm0 vm1 vm2 vm3 task cur other
	rm -f "$TMP/jar"
	start_harness --model vpx --vms 4 --hosts 2 --task-delay-ms 400
	CURL_TLS=()
	PC=propertyCollector
	login_user SessionManager
	vm0=$(moref_of DC0_C0_RP0_VM0) vm1=$(moref_of DC0_C0_RP0_VM1)
	vm2=$(moref_of DC0_C0_RP0_VM2) vm3=$(moref_of DC0_C0_RP0_VM3)

	r=$(vmcall RebootGuest "$vm0")
	echo "$r" | grep -q '<RebootGuestResponse' && ok "$name: RebootGuest with Tools running" || fail "$name: RebootGuest: $r"
	ctl POST "/tools?vm=$vm0&running=0" >/dev/null
	r=$(vmcall StandbyGuest "$vm0")
	echo "$r" | grep -q 'xsi:type="ToolsUnavailable"' && ok "$name: StandbyGuest without Tools gives ToolsUnavailable" \
		|| fail "$name: StandbyGuest: $r"

	task=$(vmcall PowerOffVM_Task "$vm1" | field returnval)
	[ "$(taskinfo "$task" info.state)" = running ] && ok "$name: --task-delay-ms keeps PowerOff running" \
		|| fail "$name: delayed task state $(taskinfo "$task" info.state)"
	[ "$(vmprop VirtualMachine "$vm1" runtime.powerState | field val)" = poweredOn ] \
		&& ok "$name: the VM is unchanged while the task runs" || fail "$name: power state changed early"
	wait_task "$task" success && [ "$(vmprop VirtualMachine "$vm1" runtime.powerState | field val)" = poweredOff ] \
		&& [ "$(taskinfo "$task" info.progress)" = 100 ] && ok "$name: the task then succeeds with progress 100" \
		|| fail "$name: delayed task did not complete"
	r=$(vmcall ShutdownGuest "$vm1")
	echo "$r" | grep -q 'xsi:type="InvalidPowerState"' && ok "$name: ShutdownGuest on a powered-off VM gives InvalidPowerState" \
		|| fail "$name: ShutdownGuest: $r"

	ctl POST "/task-delay?ms=-1&vm=$vm2" >/dev/null
	task=$(vmcall PowerOffVM_Task "$vm2" | field returnval)
	r=$(soap "<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">$task</_this></CancelTask>")
	echo "$r" | grep -q '<CancelTaskResponse' && [ "$(taskinfo "$task" info.state)" = error ] \
		&& taskinfo "$task" info.error >/dev/null && vmprop Task "$task" info.error | grep -q 'type="RequestCanceled"' \
		&& ok "$name: CancelTask on a never-ending task gives RequestCanceled" || fail "$name: CancelTask: $r"
	r=$(soap "<CancelTask xmlns=\"urn:vim25\"><_this type=\"Task\">$task</_this></CancelTask>")
	echo "$r" | grep -q 'xsi:type="InvalidState"' && ok "$name: CancelTask on a finished task gives InvalidState" \
		|| fail "$name: second CancelTask: $r"

	cur=$(vmprop VirtualMachine "$vm3" runtime.host | field val)
	# another host of the cluster, from a HostSystem container view
	local hosts
	hosts=$(soap '<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>HostSystem</type><recursive>true</recursive></CreateContainerView>' | field returnval)
	other=$(vmprop ContainerView "$hosts" view | grep -o 'HostSystem">[^<]*' | cut -d'>' -f2 | grep -vx "$cur" | head -1)
	r=$(vmcall MigrateVM_Task "$vm3" "<host type=\"HostSystem\">host-404</host><priority>defaultPriority</priority>")
	echo "$r" | grep -q 'xsi:type="ManagedObjectNotFound"' && ok "$name: MigrateVM_Task to an unknown host gives ManagedObjectNotFound" \
		|| fail "$name: bad migrate: $r"
	task=$(vmcall MigrateVM_Task "$vm3" "<host type=\"HostSystem\">$other</host><priority>defaultPriority</priority>" | field returnval)
	wait_task "$task" success && [ "$(vmprop VirtualMachine "$vm3" runtime.host | field val)" = "$other" ] \
		&& vmprop HostSystem "$other" vm | grep -q ">$vm3<" \
		&& ok "$name: MigrateVM_Task moves the VM ($cur -> $other)" || fail "$name: migrate to $other"

	ctl POST "/fault?kind=http-error&status=503&retry-after=3" >/dev/null
	r=$(curl -s -i -X POST --data x "$SDK")
	echo "$r" | head -1 | grep -q ' 503' && echo "$r" | grep -qi '^Retry-After: 3' \
		&& [ -n "$(vmprop VirtualMachine "$vm0" name | field val)" ] \
		&& ok "$name: fault http-error 503 + Retry-After, once" || fail "$name: fault injection: $r"
	stop_harness
}

# The ESX model: identity, management server, RegisterVM_Task reading the .vmx.
extras_esx() {
	local name=esx-extras r task vm base
	rm -f "$TMP/jar"
	start_harness --model esx --vms 2 --management-server-ip 192.0.2.10
	CURL_TLS=()
	PC=ha-property-collector
	base=${SDK%/sdk}
	r=$(soap '<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>')
	[ "$(echo "$r" | field apiType)" = HostAgent ] && [ "$(echo "$r" | field productLineId)" = embeddedEsx ] \
		&& ok "$name: about is HostAgent/embeddedEsx" || fail "$name: about: $r"
	login_user ha-sessionmgr
	[ "$(vmprop HostSystem ha-host summary.managementServerIp | field val)" = 192.0.2.10 ] \
		&& ok "$name: --management-server-ip" || fail "$name: managementServerIp"
	printf '.encoding = "UTF-8"\nconfig.version = "8"\nvirtualHW.version = "13"\ndisplayName = "smoke reg"\nmemsize = "1024"\nnumvcpus = "2"\nguestOS = "otherlinux-64"\nannotation = "from smoke"\n' >"$TMP/reg.vmx"
	curl -s -f -T "$TMP/reg.vmx" "$base/folder/smokereg/smokereg.vmx?dcPath=ha-datacenter&dsName=LocalDS_0" \
		|| fail "$name: PUT .vmx"
	task=$(soap '<RegisterVM_Task xmlns="urn:vim25"><_this type="Folder">ha-folder-vm</_this><path>[LocalDS_0] smokereg/smokereg.vmx</path><asTemplate>false</asTemplate></RegisterVM_Task>' | field returnval)
	wait_task "$task" success || fail "$name: RegisterVM_Task: $(vmprop Task "$task" info.error)"
	vm=$(taskinfo "$task" info.result)
	r=$(vmprop VirtualMachine "$vm" summary.config | sed 's/.*<val[^>]*>//')
	[ "$(echo "$r" | field name)" = "smoke reg" ] && [ "$(echo "$r" | field memorySizeMB)" = 1024 ] \
		&& [ "$(echo "$r" | field numCpu)" = 2 ] && [ "$(echo "$r" | field guestId)" = otherLinux64Guest ] \
		&& [ "$(echo "$r" | field annotation)" = "from smoke" ] \
		&& ok "$name: RegisterVM_Task takes the config from the .vmx" || fail "$name: registered config: $r"
	cmp -s "$TMP/reg.vmx" <(curl -s "$base/folder/smokereg/smokereg.vmx?dcPath=ha-datacenter&dsName=LocalDS_0") \
		&& ok "$name: GET returns the uploaded .vmx" || fail "$name: GET .vmx differs"
	task=$(soap '<RegisterVM_Task xmlns="urn:vim25"><_this type="Folder">ha-folder-vm</_this><path>[LocalDS_0] nothere/nothere.vmx</path><asTemplate>false</asTemplate></RegisterVM_Task>' | field returnval)
	wait_task "$task" error && vmprop Task "$task" info.error | grep -q 'type="FileNotFound"' \
		&& ok "$name: RegisterVM_Task of a missing file gives FileNotFound" || fail "$name: missing .vmx"
	stop_harness
}

start=$(date +%s)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null || die "openssl req"
suite http http
suite https https
extras_vpx
extras_esx
echo "smoke: $FAILS failure(s) in $(($(date +%s) - start)) s"
[ "$FAILS" = 0 ]
