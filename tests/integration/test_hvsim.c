/*
 * Integration tests of hvsim, the Hyper-V WS-Management simulator: raw
 * envelopes over HTTP(S) with Basic auth, responses checked with gSOAP's DOM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim_client.h"
#include "vsim.h"
#include "common_private.h"

#include "stdsoap2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <strings.h>
#include <unistd.h>

#define NS_W "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define NS_N "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define VM1 "5EC00000-0001-4000-8000-000000000001"
#define VM2 "5EC00000-0002-4000-8000-000000000002"
#define VM3 "5EC00000-0003-4000-8000-000000000003"

static hvc_sim sim;   /* 5 VMs, hostile names */
static hvc cl;

static int suite_init(void)
{
	if (!hvc_start(&sim, "--vms", "5", "--hostile-names", NULL))
		return 1;
	return hvc_open(&cl, sim.srv.url, "admin", "secret") ? 0 : 1;
}

static int suite_fini(void)
{
	hvc_close(&cl);
	hvc_stop(&sim);
	return 0;
}

static int post(hvc *c, const char *action, const char *uri, const char *sel, const char *body)
{
	char *env = hvc_envelope(action, uri, sel, body);
	int st = hvc_post(c, env, NULL);

	free(env);
	return st;
}

static int enumerate(hvc *c, const char *wql, int max, const char *extra)
{
	char body[4096];

	snprintf(body, sizeof(body),
		 "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>%d</w:MaxElements>%s"
		 "<w:Filter Dialect=\"" HVC_WQL "\">%s</w:Filter></n:Enumerate>", max, extra ? extra : "", wql);
	return post(c, HVC_ENUM "Enumerate", HVC_V2 "*", NULL, body);
}

static int pull(hvc *c, const char *ctx, int max)
{
	char body[1024];

	snprintf(body, sizeof(body), "<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>"
				     "<n:MaxElements>%d</n:MaxElements></n:Pull>", ctx, max);
	return post(c, HVC_ENUM "Pull", HVC_V2 "Msvm_ComputerSystem", NULL, body);
}

static const char *subcode(hvc *c)
{
	struct soap_dom_element *sc = hvc_find(hvc_find(c->dom, "Subcode"), "Value");

	return sc && sc->text ? sc->text : "";
}

/* ------------------------------------------------------------------------ */

static void test_hvsim__identify_is_answered_without_credentials_only_with_the_header(void)
{
	hvc anon;
	const char *idf = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
			  "xmlns:wsmid=\"http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd\">"
			  "<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>";

	CU_ASSERT_FATAL(hvc_open(&anon, sim.srv.url, NULL, NULL));
	CU_ASSERT_EQUAL(hvc_post(&anon, idf, "WSMANIDENTIFY: unauthenticated"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(anon.dom, "ProtocolVersion"), NS_W);
	CU_ASSERT_PTR_NOT_NULL(hvc_text(anon.dom, "ProductVendor"));
	CU_ASSERT_EQUAL(hvc_post(&anon, idf, NULL), 401);
	/* the header opens Identify only, not other operations */
	{
		char *env = hvc_envelope(HVC_ENUM "Enumerate", HVC_V2 "*", NULL,
					 "<n:Enumerate><w:Filter Dialect=\"" HVC_WQL "\">SELECT * FROM "
					 "Msvm_ComputerSystem</w:Filter></n:Enumerate>");

		CU_ASSERT_EQUAL(hvc_post(&anon, env, "WSMANIDENTIFY: unauthenticated"), 401);
		free(env);
	}
	hvc_close(&anon);
	CU_ASSERT_EQUAL(hvc_post(&cl, idf, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(hvc_find(cl.dom, "SecurityProfiles"));
}

static void test_hvsim__wrong_password_gets_401_and_no_data(void)
{
	hvc bad;

	CU_ASSERT_FATAL(hvc_open(&bad, sim.srv.url, "admin", "wrong"));
	CU_ASSERT_EQUAL(enumerate(&bad, "SELECT * FROM Msvm_ComputerSystem", 10, NULL), 401);
	CU_ASSERT_PTR_NULL(bad.dom);
	hvc_close(&bad);
	CU_ASSERT_FATAL(hvc_open(&bad, sim.srv.url, NULL, NULL));
	CU_ASSERT_EQUAL(enumerate(&bad, "SELECT * FROM Msvm_ComputerSystem", 10, NULL), 401);
	hvc_close(&bad);
}

static void test_hvsim__max_elements_2_over_5_vms_takes_3_responses(void)
{
	struct soap_dom_element *resp, *ctx, *items;
	char id[128];
	size_t total = 0;

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem WHERE Caption = 'Virtual Machine'",
					2, NULL), 200);
	resp = hvc_find(cl.dom, "EnumerateResponse");
	CU_ASSERT_PTR_NOT_NULL_FATAL(resp);
	ctx = hvc_find(resp, "EnumerationContext");
	items = hvc_find(resp, "Items");
	CU_ASSERT_STRING_EQUAL(hvc_ns(items), NS_W); /* optimized: w:Items */
	CU_ASSERT_EQUAL(hvc_count(items, "Msvm_ComputerSystem"), 2);
	CU_ASSERT_PTR_NULL(hvc_find(resp, "EndOfSequence"));
	CU_ASSERT_FATAL(ctx && ctx->text && strncmp(ctx->text, "uuid:", 5) == 0);
	snprintf(id, sizeof(id), "%s", ctx->text);
	total += 2;

	CU_ASSERT_EQUAL_FATAL(pull(&cl, id, 2), 200);
	resp = hvc_find(cl.dom, "PullResponse");
	items = hvc_find(resp, "Items");
	CU_ASSERT_STRING_EQUAL(hvc_ns(items), NS_N); /* Pull: n:Items */
	CU_ASSERT_EQUAL(hvc_count(items, "Msvm_ComputerSystem"), 2);
	CU_ASSERT_PTR_NOT_NULL(hvc_find(resp, "EnumerationContext"));
	CU_ASSERT_PTR_NULL(hvc_find(resp, "EndOfSequence"));
	total += 2;

	CU_ASSERT_EQUAL_FATAL(pull(&cl, id, 2), 200);
	resp = hvc_find(cl.dom, "PullResponse");
	CU_ASSERT_EQUAL(hvc_count(hvc_find(resp, "Items"), "Msvm_ComputerSystem"), 1);
	CU_ASSERT_PTR_NULL(hvc_find(resp, "EnumerationContext"));
	CU_ASSERT_STRING_EQUAL(hvc_ns(hvc_find(resp, "EndOfSequence")), NS_N);
	total += 1;
	CU_ASSERT_EQUAL(total, 5);

	/* the context is gone after the end */
	CU_ASSERT_EQUAL(pull(&cl, id, 2), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "n:InvalidEnumerationContext");
}

static void test_hvsim__everything_fits_gives_empty_context_and_w_end_of_sequence(void)
{
	struct soap_dom_element *resp, *ctx;

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 32000, NULL), 200);
	resp = hvc_find(cl.dom, "EnumerateResponse");
	ctx = hvc_find(resp, "EnumerationContext");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	CU_ASSERT(ctx->text == NULL || ctx->text[0] == '\0');
	CU_ASSERT_EQUAL(hvc_count(hvc_find(resp, "Items"), "Msvm_ComputerSystem"), 6); /* host + 5 */
	CU_ASSERT_STRING_EQUAL(hvc_ns(hvc_find(resp, "EndOfSequence")), NS_W);
	/* the host is the one with Caption "Hosting Computer System" */
	CU_ASSERT_PTR_NOT_NULL(strstr(cl.body, "<p:Caption>Hosting Computer System</p:Caption>"));
}

static void test_hvsim__release_ends_a_context(void)
{
	char id[128], body[512];
	struct soap_dom_element *ctx;

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 1, NULL), 200);
	ctx = hvc_find(cl.dom, "EnumerationContext");
	CU_ASSERT_FATAL(ctx && ctx->text && *ctx->text);
	snprintf(id, sizeof(id), "%s", ctx->text);
	snprintf(body, sizeof(body), "<n:Release><n:EnumerationContext>%s</n:EnumerationContext></n:Release>", id);
	CU_ASSERT_EQUAL(post(&cl, HVC_ENUM "Release", HVC_V2 "Msvm_ComputerSystem", NULL, body), 200);
	CU_ASSERT_PTR_NOT_NULL(hvc_find(cl.dom, "Body"));
	CU_ASSERT_EQUAL(pull(&cl, id, 1), 500);
	/* a context dropped by the server (expiry) */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 1, NULL), 200);
	ctx = hvc_find(cl.dom, "EnumerationContext");
	CU_ASSERT_FATAL(ctx && ctx->text && *ctx->text);
	snprintf(id, sizeof(id), "%s", ctx->text);
	CU_ASSERT_EQUAL(hvc_control(&sim, "/expire-contexts"), 200);
	CU_ASSERT_EQUAL(pull(&cl, id, 1), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "n:InvalidEnumerationContext");
	snprintf(body, sizeof(body), "<n:Release><n:EnumerationContext>%s</n:EnumerationContext></n:Release>", id);
	CU_ASSERT_EQUAL(post(&cl, HVC_ENUM "Release", HVC_V2 "Msvm_ComputerSystem", NULL, body), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "n:InvalidEnumerationContext");
}

static void test_hvsim__instance_properties_are_sorted_case_insensitively_with_nil(void)
{
	struct soap_dom_element *inst, *p;
	const char *prev = "";

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem WHERE Name = '" VM2 "'", 10, NULL), 200);
	inst = hvc_find(cl.dom, "Msvm_ComputerSystem");
	CU_ASSERT_PTR_NOT_NULL_FATAL(inst);
	CU_ASSERT_STRING_EQUAL(hvc_attr(inst, "type"), "p:Msvm_ComputerSystem_Type");
	CU_ASSERT_STRING_EQUAL(hvc_ns(inst), HVC_V2 "Msvm_ComputerSystem");
	for (p = inst->elts; p; p = p->next) {
		const char *n = strchr(p->name, ':') ? strchr(p->name, ':') + 1 : p->name;

		CU_ASSERT(strcasecmp(prev, n) <= 0);
		prev = n;
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(cl.body, "<p:InstanceID xsi:nil=\"true\"/>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cl.body, "<p:InstallDate><cim:Datetime>"));
	CU_ASSERT_STRING_EQUAL(hvc_text(inst, "EnabledState"), "3"); /* even VMs start Off */
}

static void test_hvsim__wql_with_escaped_quotes_finds_the_hostile_name(void)
{
	/* VM 1 is named a'b"c\d; WQL backslash-escapes ' " and \ inside literals */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT Name, ElementName FROM Msvm_ComputerSystem WHERE "
					     "ElementName = 'a\\'b\"c\\\\d'", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "XmlFragment"), 1);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Name"), VM1);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ElementName"), "a'b\"c\\d");
	/* double-quoted literal with the markup name, OR, <> */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT Name FROM Msvm_ComputerSystem WHERE ElementName = \"&lt;x&gt;&amp;amp;\" "
					     "OR (Caption = 'Virtual Machine' AND EnabledState &lt;&gt; 2 AND EnabledState != 3)",
					10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "XmlFragment"), 1);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Name"), VM2);
	/* non-ASCII (UTF-8) names compare byte for byte */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT Name, ElementName FROM Msvm_ComputerSystem WHERE ElementName = "
					     "'\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x96\xa5'", 10, NULL), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Name"), VM3);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ElementName"), "\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x96\xa5");
	/* a quote injected through a name never widens the match */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT Name FROM Msvm_ComputerSystem WHERE ElementName = "
					     "']]&gt; \\' OR Name != \\''", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "XmlFragment"), 1);
}

static void test_hvsim__bad_wql_is_a_cannot_process_filter_fault(void)
{
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem WHERE Name = 'unterminated", 10, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:CannotProcessFilter");
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_NoSuchClass", 10, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:CannotProcessFilter");
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem WHERE NoSuchProperty = 1", 10, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:CannotProcessFilter");
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT NoSuchProperty FROM Msvm_ComputerSystem", 10, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:CannotProcessFilter");
}

static void test_hvsim__associators_follow_settings_define_state_component_and_system_device(void)
{
	/* VM 3 has a snapshot VSSD: SettingsDefineState still gives only the realized one */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',"
					     "Name='" VM3 "'} WHERE AssocClass = Msvm_SettingsDefineState "
					     "ResultClass = Msvm_VirtualSystemSettingData", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_VirtualSystemSettingData"), 1);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "VirtualSystemType"), "Microsoft:Hyper-V:System:Realized");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "InstanceID"), "Microsoft:" VM3);
	/* a plain SELECT returns the snapshot too: clients must filter */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_VirtualSystemSettingData WHERE "
					     "VirtualSystemIdentifier = '" VM3 "'", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_VirtualSystemSettingData"), 2);
	/* VSSD -> KVP settings (InstanceID path with a backslash-free id) */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "ASSOCIATORS OF {Msvm_VirtualSystemSettingData.InstanceID='Microsoft:" VM3 "'} "
					     "WHERE AssocClass = Msvm_VirtualSystemSettingDataComponent "
					     "ResultClass = Msvm_KvpExchangeComponentSettingData", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_KvpExchangeComponentSettingData"), 1);
	/* VM -> KVP component and shutdown component */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName=\"Msvm_ComputerSystem\","
					     "Name=\"" VM1 "\"} WHERE ResultClass = Msvm_KvpExchangeComponent", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_KvpExchangeComponent"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cl.body, "FullyQualifiedDomainName")); /* VM 1 runs: intrinsic items */
	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',"
					     "Name='" VM1 "'} WHERE AssocClass = Msvm_SystemDevice "
					     "ResultClass = Msvm_ShutdownComponent", 10, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_ShutdownComponent"), 1);
}

static void test_hvsim__enumerate_epr_mode_returns_endpoint_references(void)
{
	struct soap_dom_element *epr;

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem WHERE Name = '" VM2 "'", 10,
					"<w:EnumerationMode>EnumerateEPR</w:EnumerationMode>"), 200);
	CU_ASSERT_PTR_NULL(hvc_find(cl.dom, "Msvm_ComputerSystem"));
	epr = hvc_find(cl.dom, "EndpointReference");
	CU_ASSERT_PTR_NOT_NULL_FATAL(epr);
	CU_ASSERT_STRING_EQUAL(hvc_text(epr, "ResourceURI"), HVC_V2 "Msvm_ComputerSystem");
	CU_ASSERT_EQUAL(hvc_count(hvc_find(epr, "SelectorSet"), "Selector"), 2);
}

static void test_hvsim__get_by_selectors_and_its_faults(void)
{
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "CreationClassName=Msvm_ComputerSystem;Name=" VM2, NULL), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Name"), VM2);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Action"), "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse");
	/* WinRM's __cimnamespace selector is accepted for our namespace only */
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "__cimnamespace=root/virtualization/v2;CreationClassName=Msvm_ComputerSystem;Name=" VM2, NULL), 200);
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "__cimnamespace=root/cimv2;CreationClassName=Msvm_ComputerSystem;Name=" VM2, NULL), 500);
	/* a missing key selector */
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem", "Name=" VM2, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:InvalidSelectors");
	/* a selector that is not a key */
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "CreationClassName=Msvm_ComputerSystem;Name=" VM2 ";Caption=x", NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:InvalidSelectors");
	/* no such instance */
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "CreationClassName=Msvm_ComputerSystem;Name=00000000-0000-0000-0000-000000000000", NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "a:DestinationUnreachable");
	/* unknown class */
	CU_ASSERT_EQUAL(post(&cl, HVC_GET, HVC_V2 "Msvm_Nope", "Name=x", NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "a:DestinationUnreachable");
}

static void test_hvsim__fault_has_the_winrm_shape(void)
{
	struct soap_dom_element *f, *wf;

	CU_ASSERT_EQUAL_FATAL(post(&cl, HVC_GET, HVC_V2 "Msvm_ComputerSystem", "Name=" VM2, NULL), 500);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Action"), "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "RelatesTo"), "uuid:0A1B2C3D-4E5F-4071-8293-A4B5C6D7E8F9");
	f = hvc_find(cl.dom, "Fault");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(hvc_ns(f), "http://www.w3.org/2003/05/soap-envelope");
	CU_ASSERT_STRING_EQUAL(hvc_find(hvc_find(f, "Code"), "Value")->text, "s:Sender");
	CU_ASSERT_STRING_EQUAL(hvc_attr(hvc_find(f, "Text"), "lang"), "en-US");
	CU_ASSERT_PTR_NOT_NULL(strstr(hvc_text(f, "FaultDetail"), "faultDetail/"));
	wf = hvc_find(f, "WSManFault");
	CU_ASSERT_PTR_NOT_NULL_FATAL(wf);
	CU_ASSERT_STRING_EQUAL(hvc_ns(wf), "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault");
	CU_ASSERT_PTR_NOT_NULL(hvc_attr(wf, "Code"));
	CU_ASSERT_PTR_NOT_NULL(hvc_text(wf, "Message"));
	/* unknown action */
	CU_ASSERT_EQUAL(post(&cl, "http://example.invalid/Frobnicate", HVC_V2 "Msvm_ComputerSystem", NULL, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "a:ActionNotSupported");
}

static int invoke(hvc *c, const char *cls, const char *method, const char *sel, const char *params)
{
	char action[512], uri[512], *body = NULL;
	int st;

	snprintf(action, sizeof(action), HVC_V2 "%s/%s", cls, method);
	snprintf(uri, sizeof(uri), HVC_V2 "%s", cls);
	if (asprintf(&body, "<p:%s_INPUT xmlns:p=\"%s\">%s</p:%s_INPUT>", method, uri, params, method) < 0)
		return -1;
	st = post(c, action, uri, sel, body);
	free(body);
	return st;
}

static int state_change(hvc *c, const char *vm, int state)
{
	char sel[256], params[256];

	snprintf(sel, sizeof(sel), "CreationClassName=Msvm_ComputerSystem;Name=%s", vm);
	snprintf(params, sizeof(params), "<p:RequestedState>%d</p:RequestedState>", state);
	return invoke(c, "Msvm_ComputerSystem", "RequestStateChange", sel, params);
}

static const char *job_state(hvc *c, const char *id)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT * FROM Msvm_ConcreteJob WHERE InstanceID = '%s'", id);
	if (enumerate(c, q, 10, NULL) != 200)
		return NULL;
	return hvc_text(c->dom, "JobState");
}

static const char *vm_state(hvc *c, const char *vm)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT EnabledState FROM Msvm_ComputerSystem WHERE Name = '%s'", vm);
	if (enumerate(c, q, 10, NULL) != 200)
		return NULL;
	return hvc_text(c->dom, "EnabledState");
}

static void test_hvsim__request_state_change_starts_a_job_that_completes_later(void)
{
	char id[64];
	const char *js;
	struct soap_dom_element *out, *job;
	int polls = 0;

	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/job-delay?ms=600"), 200);
	CU_ASSERT_EQUAL_FATAL(state_change(&cl, VM2, 2), 200); /* VM 2 is Off: start it */
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Action"), HVC_V2 "Msvm_ComputerSystem/RequestStateChangeResponse");
	out = hvc_find(cl.dom, "RequestStateChange_OUTPUT");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(hvc_text(out, "ReturnValue"), "4096");
	job = hvc_find(out, "Job");
	CU_ASSERT_PTR_NOT_NULL_FATAL(job);
	/* the EPR sits directly under p:Job */
	CU_ASSERT_PTR_NOT_NULL(job->elts);
	CU_ASSERT_STRING_EQUAL(strchr(job->elts->name, ':') + 1, "Address");
	CU_ASSERT_STRING_EQUAL(hvc_text(job, "ResourceURI"), HVC_V2 "Msvm_ConcreteJob");
	CU_ASSERT_STRING_EQUAL(hvc_attr(hvc_find(job, "Selector"), "Name"), "InstanceID");
	snprintf(id, sizeof(id), "%s", hvc_text(job, "Selector"));
	/* still Off while the job runs; a second request is refused meanwhile */
	js = job_state(&cl, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	CU_ASSERT(strcmp(js, "2") == 0 || strcmp(js, "4") == 0);
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM2), "3");
	CU_ASSERT_EQUAL(state_change(&cl, VM2, 2), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32775");
	while ((js = job_state(&cl, id)) && strcmp(js, "7") != 0 && polls++ < 50)
		usleep(100000);
	CU_ASSERT_STRING_EQUAL(js, "7");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "PercentComplete"), "100");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ErrorCode"), "0");
	CU_ASSERT(polls >= 2); /* it took a while */
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM2), "2");
	/* and back off, with the job done synchronously when the delay is 0 */
	CU_ASSERT_EQUAL(hvc_control(&sim, "/job-delay?ms=0"), 200);
	CU_ASSERT_EQUAL(state_change(&cl, VM2, 3), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM2), "3");
}


static void test_hvsim__pausing_an_off_vm_returns_32775_and_unknown_state_32773(void)
{
	CU_ASSERT_EQUAL_FATAL(state_change(&cl, "5EC00000-0004-4000-8000-000000000004", 9), 200); /* VM 4: Off */
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32775");
	CU_ASSERT_PTR_NULL(hvc_find(cl.dom, "Job"));
	CU_ASSERT_EQUAL_FATAL(state_change(&cl, "5EC00000-0004-4000-8000-000000000004", 12345), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32773");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, "5EC00000-0004-4000-8000-000000000004"), "3");
}

#define VM4 "5EC00000-0004-4000-8000-000000000004"
#define TARGET4                                                                                          \
	"<p:TargetSystem xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "                  \
	"xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"><a:Address>"                         \
	"http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address><a:ReferenceParameters>" \
	"<w:ResourceURI>" HVC_V2 "Msvm_ComputerSystem</w:ResourceURI><w:SelectorSet>"                      \
	"<w:Selector Name=\"CreationClassName\">Msvm_ComputerSystem</w:Selector>"                          \
	"<w:Selector Name=\"Name\">" VM4 "</w:Selector></w:SelectorSet></a:ReferenceParameters></p:TargetSystem>"

static int kvp(hvc *c, const char *method, const char *name, const char *data, int copies)
{
	char *params = NULL, *items = strdup("");
	int st;

	for (int i = 0; i < copies; i++) {
		char *n = NULL;

		if (asprintf(&n, "%s<p:DataItems><![CDATA[<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
				 "<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>%s</VALUE></PROPERTY>"
				 "<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>%s%.0d</VALUE></PROPERTY>"
				 "<PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>0</VALUE></PROPERTY></INSTANCE>]]>"
				 "</p:DataItems>", items, data, name, copies > 1 ? i + 1 : 0) < 0)
			return -1;
		free(items);
		items = n;
	}
	if (asprintf(&params, "%s%s", TARGET4, items) < 0)
		return -1;
	st = invoke(c, "Msvm_VirtualSystemManagementService", method,
		    "CreationClassName=Msvm_VirtualSystemManagementService", params);
	free(params);
	free(items);
	return st;
}

static const char *host_items(hvc *c)
{
	if (enumerate(c, "SELECT HostExchangeItems FROM Msvm_KvpExchangeComponentSettingData WHERE "
			 "InstanceID = 'Microsoft:" VM4 "\\\\KVPExchangeSettingData'", 10, NULL) != 200)
		return NULL;
	{
		struct soap_dom_element *f = hvc_find(c->dom, "XmlFragment");
		vsdk_buf b = VSDK_BUF_INIT;
		static char all[1 << 20];

		for (struct soap_dom_element *e = f ? f->elts : NULL; e; e = e->next)
			vsdk__buf_puts(&b, e->text ? e->text : "(nil)");
		snprintf(all, sizeof(all), "%s", b.ptr ? b.ptr : "");
		vsdk__buf_free(&b);
		return all;
	}
}

static void test_hvsim__kvp_add_modify_remove_and_their_failures(void)
{
	char id[64];
	const char *items;

	/* add (job delay 0: completes synchronously with 0) */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "AddKvpItems", "vsdk-key", "one &amp; two", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	items = host_items(&cl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(items);
	CU_ASSERT_PTR_NOT_NULL(strstr(items, "<VALUE>vsdk-key</VALUE>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(items, "<VALUE>one &amp; two</VALUE>")); /* CIM-XML keeps its escaping */
	/* adding it again fails: the job ends in Exception with a description */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "AddKvpItems", "vsdk-key", "x", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	snprintf(id, sizeof(id), "%s", hvc_text(cl.dom, "Selector"));
	CU_ASSERT_STRING_EQUAL(job_state(&cl, id), "10");
	CU_ASSERT_STRING_NOT_EQUAL(hvc_text(cl.dom, "ErrorCode"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(hvc_text(cl.dom, "ErrorDescription"), "vsdk-key"));
	/* modify */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "ModifyKvpItems", "vsdk-key", "changed", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(host_items(&cl), "<VALUE>changed</VALUE>"));
	/* modify / remove of a missing name fail */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "ModifyKvpItems", "no-such-key", "x", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	snprintf(id, sizeof(id), "%s", hvc_text(cl.dom, "Selector"));
	CU_ASSERT_STRING_EQUAL(job_state(&cl, id), "10");
	/* remove */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "RemoveKvpItems", "vsdk-key", "", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	CU_ASSERT_PTR_NULL(strstr(host_items(&cl), "vsdk-key"));
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "RemoveKvpItems", "vsdk-key", "", 1), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	/* more than 128 items is an invalid parameter */
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "AddKvpItems", "many", "x", 129), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32773");
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "AddKvpItems", "many", "x", 128), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(host_items(&cl), "<VALUE>many128</VALUE>"));
	CU_ASSERT_EQUAL_FATAL(kvp(&cl, "RemoveKvpItems", "many", "", 128), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	CU_ASSERT_STRING_EQUAL(host_items(&cl), "(nil)");
	/* TargetSystem given as a WMI object path (dots in the host name) */
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "AddKvpItems",
				     "CreationClassName=Msvm_VirtualSystemManagementService",
				     "<p:TargetSystem>\\\\hvsim01.sim.example\\root\\virtualization\\v2:Msvm_ComputerSystem."
				     "CreationClassName=\"Msvm_ComputerSystem\",Name=\"" VM4 "\"</p:TargetSystem>"
				     "<p:DataItems><![CDATA[<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\"><PROPERTY NAME=\"Name\" "
				     "TYPE=\"string\"><VALUE>by-path</VALUE></PROPERTY></INSTANCE>]]></p:DataItems>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(host_items(&cl), "<VALUE>by-path</VALUE>"));
	CU_ASSERT_EQUAL(kvp(&cl, "RemoveKvpItems", "by-path", "", 1), 200);
	/* not a Msvm_KvpExchangeDataItem, or not CIM-XML at all: invalid parameter */
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "AddKvpItems",
				     "CreationClassName=Msvm_VirtualSystemManagementService",
				     TARGET4 "<p:DataItems>&lt;INSTANCE CLASSNAME=\"Msvm_ComputerSystem\"&gt;&lt;PROPERTY "
				     "NAME=\"Name\" TYPE=\"string\"&gt;&lt;VALUE&gt;x&lt;/VALUE&gt;&lt;/PROPERTY&gt;"
				     "&lt;/INSTANCE&gt;</p:DataItems>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32773");
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "AddKvpItems",
				     "CreationClassName=Msvm_VirtualSystemManagementService",
				     TARGET4 "<p:DataItems>&lt;INSTANCE</p:DataItems>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32773");
}

static void test_hvsim__kvp_data_with_markup_round_trips_escaped_not_cdata(void)
{
	const char *items;

	/* the DataItems text escaped (no CDATA); the data holds ]]> and quotes */
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "AddKvpItems",
				     "CreationClassName=Msvm_VirtualSystemManagementService",
				     TARGET4 "<p:DataItems>&lt;INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\"&gt;"
				     "&lt;PROPERTY NAME=\"Name\" TYPE=\"string\"&gt;&lt;VALUE&gt;odd&lt;/VALUE&gt;&lt;/PROPERTY&gt;"
				     "&lt;PROPERTY NAME=\"Data\" TYPE=\"string\"&gt;&lt;VALUE&gt;]]&amp;gt; &amp;lt;a b='c'&amp;gt;"
				     "&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;</p:DataItems>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "0");
	items = host_items(&cl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(items);
	CU_ASSERT_PTR_NOT_NULL(strstr(items, "<VALUE>]]&gt; &lt;a b=&apos;c&apos;&gt;</VALUE>"));
	CU_ASSERT_EQUAL(kvp(&cl, "RemoveKvpItems", "odd", "", 1), 200);
}

static void test_hvsim__injected_job_exception_and_fault(void)
{
	char id[64];

	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/job-exception?code=32777&desc=host%20on%20fire"), 200);
	CU_ASSERT_EQUAL_FATAL(state_change(&cl, "5EC00000-0005-4000-8000-000000000005", 3), 200); /* VM 5 runs */
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	snprintf(id, sizeof(id), "%s", hvc_text(cl.dom, "Selector"));
	CU_ASSERT_STRING_EQUAL(job_state(&cl, id), "10");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ErrorCode"), "32777");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ErrorDescription"), "host on fire");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, "5EC00000-0005-4000-8000-000000000005"), "2"); /* unchanged */

	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/fault?subcode=w:TimedOut&code=2150858793&text=too%20slow"), 200);
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 10, NULL), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:TimedOut");
	CU_ASSERT_STRING_EQUAL(hvc_attr(hvc_find(cl.dom, "WSManFault"), "Code"), "2150858793");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Message"), "too slow");
	CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 10, NULL), 200); /* only once */
}

static void test_hvsim__injected_http_failures(void)
{
	char *resp = NULL;

	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/http503?retry_after=7"), 200);
	CU_ASSERT_EQUAL(vsim_http(sim.srv.url, "POST", "<x/>", &resp), 503);
	CU_ASSERT_PTR_NOT_NULL(resp && strcasestr(resp, "\r\nRetry-After: 7\r\n"));
	free(resp);
	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/http500"), 200);
	CU_ASSERT_EQUAL(vsim_http(sim.srv.url, "POST", "<x/>", &resp), 500);
	CU_ASSERT_PTR_NOT_NULL(resp && strstr(resp, "<html>"));
	CU_ASSERT_PTR_NOT_NULL(resp && strcasestr(resp, "Content-Type: text/html"));
	free(resp);
	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/drop"), 200);
	CU_ASSERT_EQUAL(vsim_http(sim.srv.url, "POST", "<x/>", &resp), -1);
	free(resp);
	CU_ASSERT_EQUAL(vsim_http(sim.srv.url, "POST", "<x/>", &resp), 401); /* back to normal */
	free(resp);
	CU_ASSERT_EQUAL(hvc_control(&sim, "/no-such-verb"), 404);
	/* a slow answer: at least the injected delay */
	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/delay?ms=300"), 200);
	{
		int64_t t0 = vsdk__now_ms();

		CU_ASSERT_EQUAL(enumerate(&cl, "SELECT * FROM Msvm_ComputerSystem", 10, NULL), 200);
		CU_ASSERT(vsdk__now_ms() - t0 >= 290);
	}
}

static void test_hvsim__https_with_our_certificate(void)
{
	char *dir = vtest_tmpdir(), cert[512], key[512];
	hvc_sim tls;
	hvc c;

	CU_ASSERT_FATAL(dir && vsim_make_certs(dir));
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	CU_ASSERT_FATAL(hvc_start(&tls, "--vms", "3", "--tls-cert", cert, "--tls-key", key, NULL));
	CU_ASSERT_EQUAL(strncmp(tls.srv.url, "https://127.0.0.1:", 18), 0);
	CU_ASSERT_FATAL(hvc_open(&c, tls.srv.url, "admin", "secret"));
	CU_ASSERT_EQUAL(enumerate(&c, "SELECT * FROM Msvm_ComputerSystem", 100, NULL), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(c.dom, "Items"), "Msvm_ComputerSystem"), 4);
	CU_ASSERT_EQUAL(enumerate(&c, "SELECT * FROM Msvm_ComputerSystem", 100, NULL), 200); /* keep-alive */
	hvc_close(&c);
	hvc_stop(&tls);
	vtest_rmtree(dir);
	free(dir);
}

static void *hammer(void *arg)
{
	hvc c;
	long ok = 0;

	(void)arg;
	if (!hvc_open(&c, sim.srv.url, "admin", "secret"))
		return (void *)0;
	for (int i = 0; i < 20; i++)
		if (enumerate(&c, "SELECT * FROM Msvm_ComputerSystem WHERE Caption = 'Virtual Machine'", 2, NULL) == 200 &&
		    hvc_count(hvc_find(c.dom, "Items"), "Msvm_ComputerSystem") == 2)
			ok++;
	hvc_close(&c);
	return (void *)ok;
}

static void test_hvsim__sixteen_concurrent_keep_alive_clients(void)
{
	pthread_t t[16];
	long total = 0;

	for (int i = 0; i < 16; i++)
		CU_ASSERT_FATAL(pthread_create(&t[i], NULL, hammer, NULL) == 0);
	for (int i = 0; i < 16; i++) {
		void *r;

		pthread_join(t[i], &r);
		total += (long)r;
	}
	CU_ASSERT_EQUAL(total, 16 * 20);
}

static void test_hvsim__ten_thousand_vms_start_and_answer_by_name(void)
{
	hvc_sim big;
	hvc c;

	CU_ASSERT_FATAL(hvc_start(&big, "--vms", "10000", NULL));
	CU_ASSERT_FATAL(hvc_open(&c, big.srv.url, "admin", "secret"));
	CU_ASSERT_EQUAL(enumerate(&c, "SELECT Name, ElementName FROM Msvm_ComputerSystem WHERE Name = "
				      "'5EC00000-2710-4000-8000-000000002710'", 10, NULL), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(c.dom, "ElementName"), "vm-10000");
	CU_ASSERT_EQUAL(post(&c, HVC_GET, HVC_V2 "Msvm_ComputerSystem",
			     "CreationClassName=Msvm_ComputerSystem;Name=5EC00000-1388-4000-8000-000000001388", NULL), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(c.dom, "ElementName"), "vm-05000");
	hvc_close(&c);
	hvc_stop(&big);
}

/* A standard WS-Man client: Debian's wsl (bash + curl + xmllint). */
static void test_hvsim__wsl_client_enumerates_with_paging(void)
{
	char cmd[2048], *out, *dir;
	int st;

	out = vtest_run("command -v wslenum", &st);
	free(out);
	if (st != 0) {
		vtest_skip(__func__, "wslenum (Debian package wsl) is not installed");
		return;
	}
	dir = vtest_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && HOME='%s' WSENDPOINT='%s' WSUSER=admin WSPASS=secret WSNOSSL=1 WSAUTOMATED=1 KEEPHISTORY=0 "
		 "OUTPREFIX='%s' timeout 60 wslenum '" HVC_V2 "Msvm_ComputerSystem' -opti 2 >/dev/null 2>&1; "
		 "ls response-*.xml | wc -l; cat response-*.xml | grep -c '<p:Name>'",
		 dir, dir, sim.srv.url + strlen("http://"), dir);
	/* WSENDPOINT is host:port; strip the /wsman path */
	{
		char *w = strstr(cmd, "/wsman'");

		if (w)
			memmove(w, w + 6, strlen(w + 6) + 1);
	}
	out = vtest_run(cmd, &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	{
		int files = 0, names = 0;

		sscanf(out, "%d %d", &files, &names);
		CU_ASSERT_EQUAL(files, 3); /* 6 systems, 2 per response */
		CU_ASSERT_EQUAL(names, 6);
	}
	free(out);
	vtest_rmtree(dir);
	free(dir);
}

/* curl posting the request template of a client used against real servers (txwinrm). */
static void test_hvsim__curl_with_the_txwinrm_request_template(void)
{
	const char *tpl = vtest_shared("specs/wsman-wire/txwinrm/request/enumerate.xml", __func__);
	char *text, *dir, path[512], cmd[2048], *out;
	vsdk_buf b = VSDK_BUF_INIT;
	int st;

	if (!tpl)
		return;
	out = vtest_run("command -v curl", &st);
	free(out);
	if (st != 0) {
		vtest_skip(__func__, "curl is not installed");
		return;
	}
	text = vtest_read_file(tpl, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (const char *p = text; *p;) {
		if (strncmp(p, "{resource_uri}", 14) == 0)
			vsdk__buf_puts(&b, HVC_V2 "*"), p += 14;
		else if (strncmp(p, "{envelope_size}", 15) == 0)
			vsdk__buf_puts(&b, "512000"), p += 15;
		else if (strncmp(p, "{wql}", 5) == 0)
			vsdk__buf_puts(&b, "select * from Msvm_ComputerSystem where Description = \"Microsoft Virtual Machine\""), p += 5;
		else
			vsdk__buf_putc(&b, *p++);
	}
	free(text);
	dir = vtest_tmpdir();
	snprintf(path, sizeof(path), "%s/req.xml", dir);
	CU_ASSERT_FATAL(vtest_write_file(path, b.ptr, b.len));
	vsdk__buf_free(&b);
	snprintf(cmd, sizeof(cmd), "curl -s -u admin:secret -H 'Content-Type: application/soap+xml;charset=UTF-8' "
				   "--data-binary @'%s' '%s'", path, sim.srv.url);
	out = vtest_run(cmd, &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<a:RelatesTo>uuid:55F28C75-F63E-4F68-8360-A8C478003959</a:RelatesTo>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<w:EndOfSequence/>"));
	{
		int n = 0;

		for (const char *p = out; (p = strstr(p, "<p:Msvm_ComputerSystem ")); p++)
			n++;
		CU_ASSERT_EQUAL(n, 5);
	}
	free(out);
	vtest_rmtree(dir);
	free(dir);
}

static void test_hvsim__non_optimized_enumerate_returns_only_a_context(void)
{
	char id[128];
	struct soap_dom_element *resp;

	CU_ASSERT_EQUAL_FATAL(post(&cl, HVC_ENUM "Enumerate", HVC_V2 "Msvm_VirtualSystemManagementService", NULL,
				   "<n:Enumerate/>"), 200);
	resp = hvc_find(cl.dom, "EnumerateResponse");
	CU_ASSERT_PTR_NULL(hvc_find(resp, "Items"));
	CU_ASSERT_FATAL(hvc_text(resp, "EnumerationContext") && strlen(hvc_text(resp, "EnumerationContext")) > 5);
	snprintf(id, sizeof(id), "%s", hvc_text(resp, "EnumerationContext"));
	CU_ASSERT_EQUAL_FATAL(pull(&cl, id, 10), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "Name"), "vmms");
	CU_ASSERT_PTR_NOT_NULL(hvc_find(cl.dom, "EndOfSequence"));
}

static void test_hvsim__object_and_epr_mode_pairs_each_instance_with_its_epr(void)
{
	struct soap_dom_element *items, *item;

	CU_ASSERT_EQUAL_FATAL(enumerate(&cl, "SELECT * FROM Msvm_VirtualSystemManagementServiceSettingData", 10,
					"<w:EnumerationMode>EnumerateObjectAndEPR</w:EnumerationMode>"), 200);
	items = hvc_find(cl.dom, "Items");
	CU_ASSERT_EQUAL(hvc_count(items, "Item"), 1);
	item = hvc_find(items, "Item");
	CU_ASSERT_STRING_EQUAL(hvc_text(item, "DefaultVirtualHardDiskPath"),
			       "C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks");
	CU_ASSERT_STRING_EQUAL(hvc_text(item, "Selector"), "Microsoft:HVSIM01");
}

static void test_hvsim__shutdown_component_turns_a_running_vm_off(void)
{
	const char *sel = "CreationClassName=Msvm_ShutdownComponent;DeviceID=Microsoft:" VM3 "\\ShutdownComponent;"
			  "SystemCreationClassName=Msvm_ComputerSystem;SystemName=" VM3;

	/* VM 3 runs (odd) */
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_ShutdownComponent", "InitiateShutdown", sel,
				     "<p:Force>true</p:Force><p:Reason>test</p:Reason>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM3), "3");
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_ShutdownComponent", "InitiateShutdown", sel,
				     "<p:Force>true</p:Force><p:Reason>again</p:Reason>"), 200);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32775");
	CU_ASSERT_EQUAL(state_change(&cl, VM3, 2), 200); /* back on for later tests */
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM3), "2");
}

static void test_hvsim__summary_information_for_referenced_settings(void)
{
	const char *ref = "<p:SettingData xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
			  "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"><a:Address>"
			  "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
			  "<a:ReferenceParameters><w:ResourceURI>" HVC_V2 "Msvm_VirtualSystemSettingData</w:ResourceURI>"
			  "<w:SelectorSet><w:Selector Name=\"InstanceID\">Microsoft:" VM2 "</w:Selector></w:SelectorSet>"
			  "</a:ReferenceParameters></p:SettingData>"
			  "<p:RequestedInformation>1</p:RequestedInformation><p:RequestedInformation>100</p:RequestedInformation>";
	struct soap_dom_element *out, *sum;

	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "GetSummaryInformation",
				     "CreationClassName=Msvm_VirtualSystemManagementService", ref), 200);
	out = hvc_find(cl.dom, "GetSummaryInformation_OUTPUT");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(hvc_text(out, "ReturnValue"), "0");
	CU_ASSERT_EQUAL(hvc_count(out, "SummaryInformation"), 1);
	/* an embedded object: a nested, typed Msvm_SummaryInformation element */
	sum = hvc_find(out, "SummaryInformation");
	CU_ASSERT_STRING_EQUAL(hvc_attr(sum, "type"), "q:Msvm_SummaryInformation_Type");
	CU_ASSERT_STRING_EQUAL(hvc_ns(hvc_find(sum, "Name")), HVC_V2 "Msvm_SummaryInformation");
	CU_ASSERT_STRING_EQUAL(hvc_text(sum, "Name"), VM2);
	CU_ASSERT_STRING_EQUAL(hvc_text(sum, "ElementName"), "<x>&amp;");
	CU_ASSERT_STRING_EQUAL(hvc_text(sum, "EnabledState"), "3");
	/* only what was requested (plus the identity) */
	CU_ASSERT_STRING_EQUAL(hvc_attr(hvc_find(sum, "NumberOfProcessors"), "nil"), "true");
	/* no SettingData: every VM */
	CU_ASSERT_EQUAL_FATAL(invoke(&cl, "Msvm_VirtualSystemManagementService", "GetSummaryInformation",
				     "CreationClassName=Msvm_VirtualSystemManagementService", ""), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "GetSummaryInformation_OUTPUT"), "SummaryInformation"), 5);
}

static void test_hvsim__hung_job_stays_running(void)
{
	char id[64];

	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/job-hang"), 200);
	CU_ASSERT_EQUAL_FATAL(state_change(&cl, VM3, 9), 200); /* pause running VM 3 */
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "4096");
	snprintf(id, sizeof(id), "%s", hvc_text(cl.dom, "Selector"));
	usleep(100000);
	CU_ASSERT_STRING_EQUAL(job_state(&cl, id), "4");
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "PercentComplete"), "50");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM3), "2");
	CU_ASSERT_EQUAL(state_change(&cl, VM3, 3), 200); /* busy */
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "ReturnValue"), "32775");
	/* released: the job completes and the pause takes effect */
	CU_ASSERT_EQUAL_FATAL(hvc_control(&sim, "/finish-jobs"), 200);
	CU_ASSERT_STRING_EQUAL(job_state(&cl, id), "7");
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM3), "9");
	CU_ASSERT_EQUAL(state_change(&cl, VM3, 2), 200); /* resume */
	CU_ASSERT_STRING_EQUAL(vm_state(&cl, VM3), "2");
}

static void test_hvsim__wsen_filter_and_selector_filter_are_accepted(void)
{
	/* n:Filter with the WQL dialect is processed like w:Filter */
	CU_ASSERT_EQUAL_FATAL(post(&cl, HVC_ENUM "Enumerate", HVC_V2 "*", NULL,
				   "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>10</w:MaxElements>"
				   "<n:Filter Dialect=\"" HVC_WQL "\">SELECT Name FROM Msvm_ComputerSystem WHERE "
				   "Name = '" VM2 "'</n:Filter></n:Enumerate>"), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "XmlFragment"), 1);
	/* the selector filter dialect on a class URI */
	CU_ASSERT_EQUAL_FATAL(post(&cl, HVC_ENUM "Enumerate", HVC_V2 "Msvm_ComputerSystem", NULL,
				   "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>10</w:MaxElements>"
				   "<w:Filter Dialect=\"http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter\">"
				   "<w:SelectorSet><w:Selector Name=\"Name\">" VM3 "</w:Selector></w:SelectorSet>"
				   "</w:Filter></n:Enumerate>"), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_ComputerSystem"), 1);
	CU_ASSERT_STRING_EQUAL(hvc_text(hvc_find(cl.dom, "Items"), "Name"), VM3);
	/* an unknown dialect is refused */
	CU_ASSERT_EQUAL(post(&cl, HVC_ENUM "Enumerate", HVC_V2 "Msvm_ComputerSystem", NULL,
			     "<n:Enumerate><w:Filter Dialect=\"urn:nope\">x</w:Filter></n:Enumerate>"), 500);
	CU_ASSERT_STRING_EQUAL(subcode(&cl), "w:FilterDialectRequestedUnavailable");
}

static void test_hvsim__wsman_association_filter_gives_the_associated_instances(void)
{
	CU_ASSERT_EQUAL_FATAL(post(&cl, HVC_ENUM "Enumerate", HVC_V2 "*", NULL,
				   "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>10</w:MaxElements>"
				   "<w:Filter Dialect=\"http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter\" "
				   "xmlns:b=\"http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd\"><b:AssociatedInstances>"
				   "<b:Object><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
				   "<a:ReferenceParameters><w:ResourceURI>" HVC_V2 "Msvm_ComputerSystem</w:ResourceURI>"
				   "<w:SelectorSet><w:Selector Name=\"CreationClassName\">Msvm_ComputerSystem</w:Selector>"
				   "<w:Selector Name=\"Name\">" VM3 "</w:Selector></w:SelectorSet></a:ReferenceParameters>"
				   "</b:Object><b:AssociationClassName>Msvm_SettingsDefineState</b:AssociationClassName>"
				   "<b:ResultClassName>Msvm_VirtualSystemSettingData</b:ResultClassName>"
				   "</b:AssociatedInstances></w:Filter></n:Enumerate>"), 200);
	CU_ASSERT_EQUAL(hvc_count(hvc_find(cl.dom, "Items"), "Msvm_VirtualSystemSettingData"), 1);
	CU_ASSERT_STRING_EQUAL(hvc_text(cl.dom, "InstanceID"), "Microsoft:" VM3);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_hvsim__identify_is_answered_without_credentials_only_with_the_header),
		VTEST_CASE(test_hvsim__wrong_password_gets_401_and_no_data),
		VTEST_CASE(test_hvsim__max_elements_2_over_5_vms_takes_3_responses),
		VTEST_CASE(test_hvsim__everything_fits_gives_empty_context_and_w_end_of_sequence),
		VTEST_CASE(test_hvsim__release_ends_a_context),
		VTEST_CASE(test_hvsim__instance_properties_are_sorted_case_insensitively_with_nil),
		VTEST_CASE(test_hvsim__wql_with_escaped_quotes_finds_the_hostile_name),
		VTEST_CASE(test_hvsim__bad_wql_is_a_cannot_process_filter_fault),
		VTEST_CASE(test_hvsim__associators_follow_settings_define_state_component_and_system_device),
		VTEST_CASE(test_hvsim__wsman_association_filter_gives_the_associated_instances),
		VTEST_CASE(test_hvsim__enumerate_epr_mode_returns_endpoint_references),
		VTEST_CASE(test_hvsim__get_by_selectors_and_its_faults),
		VTEST_CASE(test_hvsim__fault_has_the_winrm_shape),
		VTEST_CASE(test_hvsim__request_state_change_starts_a_job_that_completes_later),
		VTEST_CASE(test_hvsim__pausing_an_off_vm_returns_32775_and_unknown_state_32773),
		VTEST_CASE(test_hvsim__kvp_add_modify_remove_and_their_failures),
		VTEST_CASE(test_hvsim__kvp_data_with_markup_round_trips_escaped_not_cdata),
		VTEST_CASE(test_hvsim__injected_job_exception_and_fault),
		VTEST_CASE(test_hvsim__injected_http_failures),
		VTEST_CASE(test_hvsim__wsen_filter_and_selector_filter_are_accepted),
		VTEST_CASE(test_hvsim__non_optimized_enumerate_returns_only_a_context),
		VTEST_CASE(test_hvsim__object_and_epr_mode_pairs_each_instance_with_its_epr),
		VTEST_CASE(test_hvsim__shutdown_component_turns_a_running_vm_off),
		VTEST_CASE(test_hvsim__summary_information_for_referenced_settings),
		VTEST_CASE(test_hvsim__hung_job_stays_running),
		VTEST_CASE(test_hvsim__https_with_our_certificate),
		VTEST_CASE(test_hvsim__sixteen_concurrent_keep_alive_clients),
		VTEST_CASE(test_hvsim__ten_thousand_vms_start_and_answer_by_name),
		VTEST_CASE(test_hvsim__wsl_client_enumerates_with_paging),
		VTEST_CASE(test_hvsim__curl_with_the_txwinrm_request_template),
		VTEST_END
	};

	return vtest_main("hvsim", cases, suite_init, suite_fini);
}
