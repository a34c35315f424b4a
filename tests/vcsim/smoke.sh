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

start=$(date +%s)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null || die "openssl req"
suite http http
suite https https
echo "smoke: $FAILS failure(s) in $(($(date +%s) - start)) s"
[ "$FAILS" = 0 ]
