/*
 * CIM runtime on the generated Hyper-V V2 tables: WS-Man and CIM-XML decode/encode, methods.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vtest.h"
#include "cim_private.h"
#include "hyperv_v2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIX "tests/fixtures/hyperv/"
#define V2 "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/"

static char *fixture(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof(path), FIX "%s", name);
	char *s = vtest_read_file(path, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static void test_cim__pull_response_decodes_typed_instances(void)
{
	size_t len, n = 0;
	char *xml = fixture("cs_pull_synthetic.xml", &len);
	vsdk_cim_instance **v = NULL;

	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instances_from_wsman(&v, &n, &vsdk_hv_schema,
							    &vsdk_hv_Msvm_ComputerSystem_class, xml, len), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	vsdk_hv_Msvm_ComputerSystem *host = (vsdk_hv_Msvm_ComputerSystem *)v[0];
	vsdk_hv_Msvm_ComputerSystem *vm = (vsdk_hv_Msvm_ComputerSystem *)v[1];
	CU_ASSERT_PTR_EQUAL(vm->cim.cls, &vsdk_hv_Msvm_ComputerSystem_class);
	CU_ASSERT_STRING_EQUAL(host->Caption, "Hosting Computer System");
	CU_ASSERT_STRING_EQUAL(host->PrimaryOwnerName, "LAB\\admin");
	CU_ASSERT_EQUAL(host->EnabledState, VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED);
	/* escapes and non-ASCII */
	CU_ASSERT_STRING_EQUAL(vm->ElementName, "web & db <01> \"prod\" caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	CU_ASSERT_STRING_EQUAL(vm->Name, "5F2B0C1D-8E3A-4C6B-9D7E-0A1B2C3D4E5F");
	CU_ASSERT_EQUAL(vm->EnabledState, 9);
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ComputerSystem_EnabledState_name(vm->EnabledState), "Quiesce");
	CU_ASSERT_EQUAL(vm->OnTimeInMilliseconds, UINT64_MAX);
	/* xsi:nil and missing -> not present; present zero stays distinguishable */
	CU_ASSERT_FALSE(vm->present.InstanceID);
	CU_ASSERT_PTR_NULL(vm->InstanceID);
	CU_ASSERT_FALSE(vm->present.AvailableRequestedStates);
	CU_ASSERT_FALSE(vm->present.OtherDedicatedDescriptions);
	CU_ASSERT_TRUE(vm->present.ReplicationState);
	CU_ASSERT_EQUAL(vm->ReplicationState, 0);
	/* arrays as repeated elements */
	CU_ASSERT_EQUAL_FATAL(vm->OperationalStatus_count, 2);
	CU_ASSERT_EQUAL(vm->OperationalStatus[0], 2);
	CU_ASSERT_EQUAL(vm->OperationalStatus[1], 32768);
	CU_ASSERT_EQUAL(host->OperationalStatus_count, 1);
	/* cim:Datetime: parsed value and original text */
	CU_ASSERT_TRUE(vm->present.InstallDate);
	CU_ASSERT_TRUE(vm->InstallDate.valid);
	CU_ASSERT_STRING_EQUAL(vm->InstallDate.text, "2024-03-05T08:09:10.123456Z");
	CU_ASSERT_EQUAL(vm->InstallDate.year, 2024);
	CU_ASSERT_EQUAL(vm->InstallDate.microseconds, 123456);
	CU_ASSERT_EQUAL(vm->TimeOfLastConfigurationChange.utc_offset, 60);
	CU_ASSERT_EQUAL(vm->TimeOfLastConfigurationChange.microseconds, 500000);
	for (size_t i = 0; i < n; i++)
		vsdk_cim_free(v[i]);
	free(v);
	free(xml);
}

static void test_cim__from_wsman_finds_instance_in_envelope(void)
{
	size_t len;
	char *xml = fixture("cs_pull_synthetic.xml", &len);
	vsdk_hv_Msvm_ComputerSystem cs;
	memset(&cs, 0, sizeof(cs));
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, xml, len), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(cs.Name, "HV-HOST-01");
	vsdk_cim_clear(&vsdk_hv_Msvm_ComputerSystem_class, &cs);
	CU_ASSERT_PTR_NULL(cs.Name);
	CU_ASSERT_PTR_EQUAL(cs.cim.cls, &vsdk_hv_Msvm_ComputerSystem_class);
	free(xml);

	/* a GetResponse: the body's instance, typed by its own class when asked for a base class */
	const char *get = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header/><s:Body>"
			  "<p:Msvm_ComputerSystem xmlns:p=\"" V2 "Msvm_ComputerSystem\"><p:Name>G1</p:Name>"
			  "</p:Msvm_ComputerSystem></s:Body></s:Envelope>";
	vsdk_cim_instance *inst = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instance_from_wsman(&inst, &vsdk_hv_schema, &vsdk_hv_CIM_ComputerSystem_class,
							   get, strlen(get)), VSDK_OK);
	CU_ASSERT_PTR_EQUAL(inst->cls, &vsdk_hv_Msvm_ComputerSystem_class);
	CU_ASSERT_STRING_EQUAL(((vsdk_hv_Msvm_ComputerSystem *)inst)->Name, "G1");
	vsdk_cim_free(inst);
	vsdk_cim_instance **v = NULL;
	size_t n = 0;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instances_from_wsman(&v, &n, NULL, &vsdk_hv_Msvm_ComputerSystem_class, get,
							    strlen(get)), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	vsdk_cim_free(v[0]);
	free(v);
	/* asking for an unrelated class finds nothing */
	CU_ASSERT_EQUAL(vsdk_cim_instance_from_wsman(&inst, &vsdk_hv_schema, &vsdk_hv_Msvm_ConcreteJob_class, get,
						     strlen(get)), VSDK_EPROTO);
}

static void test_cim__kvp_guest_items_decode_as_embedded_instances(void)
{
	size_t len, n = 0;
	char *xml = fixture("kvp_component_synthetic.xml", &len);
	vsdk_cim_instance **v = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instances_from_wsman(&v, &n, NULL, &vsdk_hv_Msvm_KvpExchangeComponent_class,
							    xml, len), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	vsdk_hv_Msvm_KvpExchangeComponent *k = (vsdk_hv_Msvm_KvpExchangeComponent *)v[0];
	CU_ASSERT_FALSE(k->present.GuestExchangeItems);
	vsdk_cim_free(v[0]);
	free(v);
	/* an empty embedded-instance element is NULL, not an error */
	const char *empty = "<p:Msvm_KvpExchangeComponent xmlns:p=\"x\"><p:GuestExchangeItems></p:GuestExchangeItems>"
			    "<p:Name>KVP</p:Name></p:Msvm_KvpExchangeComponent>";
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instances_from_wsman(&v, &n, NULL, &vsdk_hv_Msvm_KvpExchangeComponent_class,
							    empty, strlen(empty)), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_FALSE(((vsdk_hv_Msvm_KvpExchangeComponent *)v[0])->present.GuestExchangeItems);
	vsdk_cim_free(v[0]);
	free(v);
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instances_from_wsman(&v, &n, NULL, &vsdk_hv_Msvm_KvpExchangeComponent_class,
							    xml, len), VSDK_OK);
	k = (vsdk_hv_Msvm_KvpExchangeComponent *)v[0];
	CU_ASSERT_EQUAL_FATAL(k->GuestIntrinsicExchangeItems_count, 3);
	CU_ASSERT_STRING_EQUAL(k->DeviceID, "Microsoft:5F2B0C1D-8E3A-4C6B-9D7E-0A1B2C3D4E5F\\KVP");
	for (size_t i = 0; i < 3; i++)
		CU_ASSERT_PTR_EQUAL(k->GuestIntrinsicExchangeItems[i]->cls, &vsdk_hv_Msvm_KvpExchangeDataItem_class);
	vsdk_hv_Msvm_KvpExchangeDataItem *fqdn = (vsdk_hv_Msvm_KvpExchangeDataItem *)k->GuestIntrinsicExchangeItems[0];
	vsdk_hv_Msvm_KvpExchangeDataItem *os = (vsdk_hv_Msvm_KvpExchangeDataItem *)k->GuestIntrinsicExchangeItems[2];
	CU_ASSERT_STRING_EQUAL(fqdn->Name, "FullyQualifiedDomainName");
	CU_ASSERT_STRING_EQUAL(fqdn->Data, "vm01.lab.example");
	CU_ASSERT_EQUAL(fqdn->Source, VSDK_HV_MSVM_KVPEXCHANGEDATAITEM_SOURCE_GUEST_INTRINSIC);
	/* PROPERTY without VALUE (the PROPAGATED ones) is NULL */
	CU_ASSERT_FALSE(fqdn->present.Caption);
	CU_ASSERT_STRING_EQUAL(os->Data, "Windows Server & <Datacenter>");
	vsdk_cim_free(v[0]);
	free(v);
	free(xml);
}

static void test_cim__ref_properties_decode_as_eprs(void)
{
	size_t len;
	char *xml = fixture("sds_assoc_synthetic.xml", &len);
	vsdk_cim_instance *inst = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instance_from_wsman(&inst, &vsdk_hv_schema,
							   &vsdk_hv_Msvm_SettingsDefineState_class, xml, len), VSDK_OK);
	vsdk_hv_Msvm_SettingsDefineState *a = (vsdk_hv_Msvm_SettingsDefineState *)inst;
	CU_ASSERT_TRUE(a->present.ManagedElement);
	CU_ASSERT_STRING_EQUAL(a->ManagedElement.resource_uri, V2 "Msvm_ComputerSystem");
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&a->ManagedElement, "name"),
			       "5F2B0C1D-8E3A-4C6B-9D7E-0A1B2C3D4E5F");
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&a->SettingData, "InstanceID"),
			       "Microsoft:5F2B0C1D-8E3A-4C6B-9D7E-0A1B2C3D4E5F");
	CU_ASSERT_PTR_NULL(vsdk_cim_epr_selector(&a->SettingData, "Name"));
	CU_ASSERT_TRUE(vsdk_hv_Msvm_SettingsDefineState_class.flags & VSDK_CIM_C_ASSOCIATION);
	vsdk_cim_free(inst);
	free(xml);
}

static void test_cim__request_state_change_output_has_job_epr(void)
{
	size_t len;
	char *xml = fixture("rsc_output_synthetic.xml", &len);
	vsdk_hv_Msvm_ComputerSystem_RequestStateChange_out out;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_output_decode(&out, vsdk_hv_Msvm_ComputerSystem_RequestStateChange_method,
							    xml, len), VSDK_OK);
	CU_ASSERT_TRUE(out.present.ReturnValue);
	CU_ASSERT_EQUAL(out.ReturnValue, 4096);
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange_ReturnValue_name(out.ReturnValue),
			       "Method Parameters Checked - Transition Started");
	CU_ASSERT_STRING_EQUAL(out.Job.resource_uri, V2 "Msvm_ConcreteJob");
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&out.Job, "InstanceID"), "7C1D3E5F-9A0B-4C2D-8E4F-6A7B8C9D0E1F");
	vsdk_cim_clear(vsdk_hv_Msvm_ComputerSystem_RequestStateChange_method->out, &out);
	free(xml);
}

static void test_cim__summary_information_output_nested_instances(void)
{
	size_t len;
	char *xml = fixture("gsi_output_synthetic.xml", &len);
	vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_out out;
	const vsdk_cim_method *m = vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_method;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_output_decode(&out, m, xml, len), VSDK_OK);
	CU_ASSERT_EQUAL(out.ReturnValue, 0);
	CU_ASSERT_EQUAL_FATAL(out.SummaryInformation_count, 2);
	vsdk_hv_Msvm_SummaryInformation *s0 = (vsdk_hv_Msvm_SummaryInformation *)out.SummaryInformation[0];
	vsdk_hv_Msvm_SummaryInformation *s1 = (vsdk_hv_Msvm_SummaryInformation *)out.SummaryInformation[1];
	CU_ASSERT_PTR_EQUAL(s0->cim.cls, &vsdk_hv_Msvm_SummaryInformation_class);
	CU_ASSERT_STRING_EQUAL(s0->ElementName, "vm01");
	CU_ASSERT_EQUAL(s0->NumberOfProcessors, 4);
	CU_ASSERT_EQUAL(s0->ProcessorLoadHistory_count, 2);
	CU_ASSERT_EQUAL(s1->MemoryAvailable, -5);
	CU_ASSERT_FALSE(s1->present.MemoryUsage);
	vsdk_cim_clear(m->out, &out);
	free(xml);
}

static vsdk_hv_Msvm_KvpExchangeDataItem *kvp_item(const char *name, const char *data)
{
	vsdk_hv_Msvm_KvpExchangeDataItem *it = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_Msvm_KvpExchangeDataItem_new(&it), VSDK_OK);
	it->Name = strdup(name);
	it->Data = strdup(data);
	it->Source = 0;
	it->present.Name = it->present.Data = it->present.Source = true;
	return it;
}

static void test_cim__add_kvp_items_input_is_wsman_method_xml(void)
{
	vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_in in;
	memset(&in, 0, sizeof(in));
	in.TargetSystem.resource_uri = strdup(V2 "Msvm_ComputerSystem");
	CU_ASSERT_EQUAL(vsdk_cim_epr_add_selector(&in.TargetSystem, "CreationClassName", "Msvm_ComputerSystem"), 0);
	CU_ASSERT_EQUAL(vsdk_cim_epr_add_selector(&in.TargetSystem, "Name", "GUID-1"), 0);
	in.present.TargetSystem = true;
	in.DataItems = calloc(2, sizeof(*in.DataItems));
	in.DataItems[0] = (vsdk_cim_instance *)kvp_item("k1", "v1");
	in.DataItems[1] = (vsdk_cim_instance *)kvp_item("k2", "a]]>b");
	in.DataItems_count = 2;
	in.present.DataItems = true;

	char *xml = NULL;
	const vsdk_cim_method *m = vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_method;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_input_encode(&xml, m, &in), VSDK_OK);
	const char *expect =
		"<p:AddKvpItems_INPUT xmlns:p=\"" V2 "Msvm_VirtualSystemManagementService\""
		" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:cim=\"http://schemas.dmtf.org/wbem/wscim/1/common\""
		" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\">"
		"<p:DataItems><![CDATA[<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
		"<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>v1</VALUE></PROPERTY>"
		"<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>k1</VALUE></PROPERTY>"
		"<PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>0</VALUE></PROPERTY></INSTANCE>]]></p:DataItems>"
		"<p:DataItems><![CDATA[<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
		"<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a]]&gt;b</VALUE></PROPERTY>"
		"<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>k2</VALUE></PROPERTY>"
		"<PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>0</VALUE></PROPERTY></INSTANCE>]]></p:DataItems>"
		"<p:TargetSystem><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
		"<a:ReferenceParameters><w:ResourceURI>" V2 "Msvm_ComputerSystem</w:ResourceURI><w:SelectorSet>"
		"<w:Selector Name=\"CreationClassName\">Msvm_ComputerSystem</w:Selector>"
		"<w:Selector Name=\"Name\">GUID-1</w:Selector></w:SelectorSet></a:ReferenceParameters></p:TargetSystem>"
		"</p:AddKvpItems_INPUT>";
	CU_ASSERT_STRING_EQUAL(xml, expect);

	/* the server side decodes it back */
	vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_in back;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_input_decode(&back, m, xml, strlen(xml)), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(back.DataItems_count, 2);
	CU_ASSERT_STRING_EQUAL(((vsdk_hv_Msvm_KvpExchangeDataItem *)back.DataItems[1])->Data, "a]]>b");
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&back.TargetSystem, "Name"), "GUID-1");
	vsdk_cim_clear(m->in, &back);
	vsdk_cim_clear(m->in, &in);
	free(xml);
}

/* ---- mock transport ---- */

typedef struct mock {
	char uri[256], method[64], body[4096];
	char sel[4][2][64];
	size_t n_sel;
	const char *reply;
	int rc;
} mock;

static int mock_invoke(void *ctx, const char *resource_uri, const char *method, const vsdk_cim_selector *selectors,
		       size_t n_selectors, const char *body, size_t body_len, char **response, size_t *response_len)
{
	mock *mk = ctx;
	snprintf(mk->uri, sizeof(mk->uri), "%s", resource_uri);
	snprintf(mk->method, sizeof(mk->method), "%s", method);
	snprintf(mk->body, sizeof(mk->body), "%.*s", (int)body_len, body);
	mk->n_sel = n_selectors;
	for (size_t i = 0; i < n_selectors && i < 4; i++) {
		snprintf(mk->sel[i][0], 64, "%s", selectors[i].name);
		snprintf(mk->sel[i][1], 64, "%s", selectors[i].value);
	}
	if (mk->rc)
		return vsdk__error_set(mk->rc, "mock transport failure");
	*response = strdup(mk->reply);
	*response_len = strlen(mk->reply);
	return VSDK_OK;
}

static void test_cim__typed_call_goes_through_transport_hook(void)
{
	size_t len;
	char *reply = fixture("rsc_output_synthetic.xml", &len);
	mock mk;
	memset(&mk, 0, sizeof(mk));
	mk.reply = reply;
	vsdk_cim_transport t = { mock_invoke, &mk };
	vsdk_cim_epr target;
	memset(&target, 0, sizeof(target));
	vsdk_cim_epr_add_selector(&target, "CreationClassName", "Msvm_ComputerSystem");
	vsdk_cim_epr_add_selector(&target, "Name", "5F2B0C1D");
	vsdk_hv_Msvm_ComputerSystem_RequestStateChange_in in;
	vsdk_hv_Msvm_ComputerSystem_RequestStateChange_out out;
	memset(&in, 0, sizeof(in));
	in.RequestedState = VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_ENABLED;
	in.present.RequestedState = true;

	CU_ASSERT_EQUAL_FATAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange(&t, &target, &in, &out), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(mk.uri, V2 "Msvm_ComputerSystem");
	CU_ASSERT_STRING_EQUAL(mk.method, "RequestStateChange");
	CU_ASSERT_EQUAL(mk.n_sel, 2);
	CU_ASSERT_STRING_EQUAL(mk.sel[1][1], "5F2B0C1D");
	CU_ASSERT_PTR_NOT_NULL(strstr(mk.body, "<p:RequestStateChange_INPUT xmlns:p=\"" V2 "Msvm_ComputerSystem\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(mk.body, "<p:RequestedState>2</p:RequestedState>"));
	CU_ASSERT_PTR_NULL(strstr(mk.body, "TimeoutPeriod")); /* absent parameters are left out */
	CU_ASSERT_EQUAL(out.ReturnValue, 4096);
	CU_ASSERT_EQUAL(vsdk_error_last()->cim_return, 4096);
	vsdk_cim_clear(vsdk_hv_Msvm_ComputerSystem_RequestStateChange_method->out, &out);

	/* transport errors propagate untouched */
	mk.rc = VSDK_EAUTH;
	CU_ASSERT_EQUAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange(&t, &target, &in, &out), VSDK_EAUTH);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->message, "mock transport failure");
	/* a response without the output element is a protocol error */
	mk.rc = 0;
	mk.reply = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>";
	CU_ASSERT_EQUAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange(&t, &target, &in, &out), VSDK_EPROTO);
	/* so is an output without ReturnValue */
	mk.reply = "<p:RequestStateChange_OUTPUT xmlns:p=\"x\"></p:RequestStateChange_OUTPUT>";
	CU_ASSERT_EQUAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange(&t, &target, &in, &out), VSDK_EPROTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ReturnValue"));
	/* and a SOAP fault is reported as one */
	mk.reply = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><s:Fault><s:Reason>"
		   "<s:Text xml:lang=\"en-US\">The method failed</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";
	CU_ASSERT_EQUAL(vsdk_hv_Msvm_ComputerSystem_RequestStateChange(&t, &target, &in, &out), VSDK_EFAULT);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "The method failed"));
	vsdk_cim_epr_clear(&target);
	free(reply);
}

/* ---- CIM-XML and WS-Man round trips ---- */

static const char *const hostile[] = {
	"<tag>", "a & b", "x]]>y", "\"quoted\" 'single'", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	"&amp;&lt;", "line1\nline2\ttab", "", "]]>]]>", "<![CDATA[x]]>",
};

static void test_cim__cimxml_round_trip_hostile_strings(void)
{
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		vsdk_hv_Msvm_KvpExchangeDataItem *it = kvp_item(hostile[i], hostile[(i + 1) % 10]);
		char *x = NULL;
		CU_ASSERT_EQUAL_FATAL(vsdk_cim_to_cimxml(&x, &it->cim), VSDK_OK);
		CU_ASSERT_PTR_NULL(strstr(x, "]]>"));
		vsdk_cim_instance *back = NULL;
		CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_cimxml(&back, &vsdk_hv_schema, NULL, x, strlen(x)), VSDK_OK);
		vsdk_hv_Msvm_KvpExchangeDataItem *b = (vsdk_hv_Msvm_KvpExchangeDataItem *)back;
		CU_ASSERT_STRING_EQUAL(b->Name, hostile[i]);
		CU_ASSERT_STRING_EQUAL(b->Data, hostile[(i + 1) % 10]);
		CU_ASSERT_TRUE(b->present.Source);
		vsdk_cim_free(back);
		free(x);
		vsdk_hv_Msvm_KvpExchangeDataItem_free(it);
	}
}

static void test_cim__cimxml_fixture_ignores_propagated_and_whitespace(void)
{
	size_t len;
	char *x = fixture("kvp_item_cimxml_synthetic.xml", &len);
	vsdk_cim_instance *inst = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_cimxml(&inst, &vsdk_hv_schema, NULL, x, len), VSDK_OK);
	vsdk_hv_Msvm_KvpExchangeDataItem *it = (vsdk_hv_Msvm_KvpExchangeDataItem *)inst;
	CU_ASSERT_STRING_EQUAL(it->Data, "vm01.lab.example");
	CU_ASSERT_EQUAL(it->Source, 2);
	CU_ASSERT_FALSE(it->present.Caption);
	vsdk_cim_free(inst);
	/* unknown class without fallback is refused, with fallback decoded */
	const char *other = "<INSTANCE CLASSNAME=\"Msvm_Unknown\"><PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>n</VALUE></PROPERTY></INSTANCE>";
	CU_ASSERT_EQUAL(vsdk_cim_from_cimxml(&inst, &vsdk_hv_schema, NULL, other, strlen(other)), VSDK_EUNSUPPORTED);
	CU_ASSERT_EQUAL(vsdk_cim_from_cimxml(&inst, &vsdk_hv_schema, &vsdk_hv_Msvm_KvpExchangeDataItem_class, other,
					     strlen(other)), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(((vsdk_hv_Msvm_KvpExchangeDataItem *)inst)->Name, "n");
	vsdk_cim_free(inst);
	free(x);
}

static void test_cim__wsman_round_trip_all_field_kinds(void)
{
	vsdk_hv_Msvm_ComputerSystem *cs = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_Msvm_ComputerSystem_new(&cs), VSDK_OK);
	cs->ElementName = strdup("a<b>&\"c\" \xc3\xa9 ]]>");
	cs->present.ElementName = true;
	cs->EnabledState = 3;
	cs->present.EnabledState = true;
	cs->OnTimeInMilliseconds = UINT64_MAX;
	cs->present.OnTimeInMilliseconds = true;
	cs->OperationalStatus = calloc(3, sizeof(uint16_t));
	cs->OperationalStatus[0] = 2;
	cs->OperationalStatus[1] = 65535;
	cs->OperationalStatus[2] = 0;
	cs->OperationalStatus_count = 3;
	cs->present.OperationalStatus = true;
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&cs->InstallDate, "20240305080910.123456+060"), VSDK_OK);
	cs->present.InstallDate = true;
	cs->Name = strdup("");
	cs->present.Name = true;

	char *x = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_to_wsman(&x, &vsdk_hv_Msvm_ComputerSystem_class, cs, NULL, NULL,
						VSDK_CIM_WSMAN_NIL | VSDK_CIM_WSMAN_TYPE), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "xsi:type=\"p:Msvm_ComputerSystem_Type\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<p:Caption xsi:nil=\"true\"/>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<p:InstallDate><cim:Datetime>2024-03-05T08:09:10.123456+01:00</cim:Datetime></p:InstallDate>"));
	/* alphabetical (case-insensitive) order as WinRM renders */
	CU_ASSERT_TRUE(strstr(x, "<p:Caption") < strstr(x, "<p:CommunicationStatus"));
	CU_ASSERT_TRUE(strstr(x, "<p:ElementName") < strstr(x, "<p:EnabledDefault"));

	vsdk_hv_Msvm_ComputerSystem back;
	memset(&back, 0, sizeof(back));
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_wsman(&back, &vsdk_hv_Msvm_ComputerSystem_class, x, strlen(x)), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(back.ElementName, cs->ElementName);
	CU_ASSERT_EQUAL(back.OnTimeInMilliseconds, UINT64_MAX);
	CU_ASSERT_EQUAL_FATAL(back.OperationalStatus_count, 3);
	CU_ASSERT_EQUAL(back.OperationalStatus[1], 65535);
	CU_ASSERT_TRUE(back.present.Name);
	CU_ASSERT_STRING_EQUAL(back.Name, "");
	CU_ASSERT_FALSE(back.present.Caption);
	CU_ASSERT_EQUAL(back.InstallDate.utc_offset, 60);
	CU_ASSERT_EQUAL(back.InstallDate.microseconds, 123456);
	vsdk_cim_clear(&vsdk_hv_Msvm_ComputerSystem_class, &back);
	free(x);
	vsdk_hv_Msvm_ComputerSystem_free(cs);
}

static void test_cim__intervals_use_cim_interval(void)
{
	vsdk_hv_Msvm_ConcreteJob job;
	const char *x = "<p:Msvm_ConcreteJob xmlns:p=\"x\" xmlns:cim=\"c\"><p:ElapsedTime><cim:Interval>P0DT0H1M40S</cim:Interval>"
			"</p:ElapsedTime><p:InstanceID>J1</p:InstanceID><p:JobState>4</p:JobState></p:Msvm_ConcreteJob>";
	memset(&job, 0, sizeof(job));
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_wsman(&job, &vsdk_hv_Msvm_ConcreteJob_class, x, strlen(x)), VSDK_OK);
	CU_ASSERT_TRUE(job.ElapsedTime.interval);
	CU_ASSERT_EQUAL(job.ElapsedTime.minute, 1);
	CU_ASSERT_EQUAL(job.ElapsedTime.second, 40);
	CU_ASSERT_STRING_EQUAL(job.ElapsedTime.text, "P0DT0H1M40S");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ConcreteJob_JobState_name(job.JobState), "Running");
	char *out = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_to_wsman(&out, &vsdk_hv_Msvm_ConcreteJob_class, &job, NULL, NULL, 0), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<p:ElapsedTime><cim:Interval>P0DT0H1M40S</cim:Interval></p:ElapsedTime>"));
	free(out);
	/* CIM-XML carries the DMTF form */
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_to_cimxml(&out, &job.cim), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<PROPERTY NAME=\"ElapsedTime\" TYPE=\"datetime\"><VALUE>00000000000140.000000:000</VALUE>"));
	free(out);
	vsdk_cim_clear(&vsdk_hv_Msvm_ConcreteJob_class, &job);
}

static void test_cim__bad_values_are_rejected_with_property_name(void)
{
	vsdk_hv_Msvm_ComputerSystem cs;
	const char *tmpl = "<p:Msvm_ComputerSystem xmlns:p=\"x\"><p:EnabledState>70000</p:EnabledState></p:Msvm_ComputerSystem>";
	memset(&cs, 0, sizeof(cs));
	CU_ASSERT_EQUAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, tmpl, strlen(tmpl)), VSDK_EPARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "EnabledState"));
	const char *neg = "<p:Msvm_ComputerSystem xmlns:p=\"x\"><p:ProcessID>-1</p:ProcessID></p:Msvm_ComputerSystem>";
	CU_ASSERT_EQUAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, neg, strlen(neg)), VSDK_EPARSE);
	const char *odd = "<p:Msvm_ComputerSystem xmlns:p=\"x\"><p:InstallDate><cim:Date xmlns:cim=\"c\">2024-01-02</cim:Date>"
			  "</p:InstallDate><p:OperationalStatus>2</p:OperationalStatus><p:OperationalStatus>x</p:OperationalStatus>"
			  "</p:Msvm_ComputerSystem>";
	CU_ASSERT_EQUAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, odd, strlen(odd)), VSDK_EPARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "OperationalStatus"));
	CU_ASSERT_PTR_NULL(cs.OperationalStatus); /* cleared on error */
	const char *odd2 = "<p:Msvm_ComputerSystem xmlns:p=\"x\"><p:InstallDate><cim:Date xmlns:cim=\"c\">2024-01-02</cim:Date>"
			   "</p:InstallDate></p:Msvm_ComputerSystem>";
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, odd2, strlen(odd2)), VSDK_OK);
	CU_ASSERT_TRUE(cs.present.InstallDate);
	CU_ASSERT_FALSE(cs.InstallDate.valid); /* kept as text */
	CU_ASSERT_STRING_EQUAL(cs.InstallDate.text, "2024-01-02");
	vsdk_cim_clear(&vsdk_hv_Msvm_ComputerSystem_class, &cs);
	const char *broken = "<p:Msvm_ComputerSystem xmlns:p=\"x\"><p:Name>a</p:Nam>";
	CU_ASSERT_EQUAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, broken, strlen(broken)), VSDK_EPARSE);
	/* invalid UTF-8 is refused on encode */
	vsdk_hv_Msvm_KvpExchangeDataItem *it = kvp_item("k", "\xff\xfe");
	char *x = NULL;
	CU_ASSERT_EQUAL(vsdk_cim_to_cimxml(&x, &it->cim), VSDK_EINVALID);
	CU_ASSERT_PTR_NULL(x);
	vsdk_hv_Msvm_KvpExchangeDataItem_free(it);
	/* deep nesting is bounded, not a crash */
	char deep[8192];
	size_t n = 0;
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<a>");
	CU_ASSERT_NOT_EQUAL(vsdk_cim_from_wsman(&cs, &vsdk_hv_Msvm_ComputerSystem_class, deep, n), VSDK_OK);
}

static void test_cim__enum_tables_come_from_the_schema(void)
{
	CU_ASSERT_EQUAL(VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED, 2);
	CU_ASSERT_EQUAL(VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED_BUT_OFFLINE, 6);
	CU_ASSERT_EQUAL(VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_RESET, 11);
	CU_ASSERT_EQUAL(VSDK_HV_MSVM_CONCRETEJOB_JOBSTATE_COMPLETED, 7);
	CU_ASSERT_EQUAL(VSDK_HV_MSVM_VIRTUALSYSTEMMANAGEMENTSERVICE_ADDKVPITEMS_RETURNVALUE_INVALID_STATE_FOR_THIS_OPERATION,
			32775);
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ConcreteJob_JobState_name(10), "Exception");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ConcreteJob_JobState_name(20000), "DMTF Reserved");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ConcreteJob_JobState_name(40000), "Vendor Reserved");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_ComputerSystem_EnabledState_name(12345), "unknown");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_ReturnValue_name(32778),
			       "Out of memory");
	/* keys */
	const vsdk_cim_prop *p = vsdk_cim_prop_find(&vsdk_hv_Msvm_ComputerSystem_class, "name");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(p->flags & VSDK_CIM_F_KEY);
	CU_ASSERT_TRUE(vsdk_cim_prop_find(&vsdk_hv_Msvm_ComputerSystem_class, "CreationClassName")->flags & VSDK_CIM_F_KEY);
	CU_ASSERT_FALSE(vsdk_cim_prop_find(&vsdk_hv_Msvm_ComputerSystem_class, "ElementName")->flags & VSDK_CIM_F_KEY);
	CU_ASSERT_TRUE(vsdk_cim_prop_find(&vsdk_hv_Msvm_ConcreteJob_class, "InstanceID")->flags & VSDK_CIM_F_KEY);
	/* embedded-instance qualifiers */
	p = vsdk_cim_prop_find(&vsdk_hv_Msvm_KvpExchangeComponent_class, "GuestExchangeItems");
	CU_ASSERT_EQUAL(p->type, VSDK_CIM_INSTANCE);
	CU_ASSERT_TRUE(p->flags & VSDK_CIM_F_HVEMBEDDED);
	CU_ASSERT_STRING_EQUAL(p->class_name, "Msvm_KvpExchangeDataItem");
	/* lookups and order */
	CU_ASSERT_PTR_EQUAL(vsdk_cim_class_find(&vsdk_hv_schema, "msvm_computersystem"), &vsdk_hv_Msvm_ComputerSystem_class);
	CU_ASSERT_PTR_NULL(vsdk_cim_class_find(&vsdk_hv_schema, "Msvm_Nope"));
	for (size_t i = 1; i < vsdk_hv_schema.n_classes; i++)
		CU_ASSERT_TRUE(vsdk__strcasecmp(vsdk_hv_schema.classes[i - 1]->name, vsdk_hv_schema.classes[i]->name) < 0);
	const vsdk_cim_class *c = &vsdk_hv_Msvm_VirtualSystemSettingData_class;
	for (size_t i = 1; i < c->n_props; i++)
		CU_ASSERT_TRUE(vsdk__strcasecmp(c->props[i - 1].name, c->props[i].name) < 0);
	CU_ASSERT_TRUE(vsdk_cim_class_is_a(&vsdk_hv_Msvm_StorageAllocationSettingData_class,
					   "CIM_ResourceAllocationSettingData"));
	CU_ASSERT_PTR_NOT_NULL(vsdk_cim_method_find(&vsdk_hv_Msvm_ComputerSystem_class, "requeststatechange"));
}

static void test_cim__datetime_forms(void)
{
	vsdk_cim_datetime dt;
	char buf[64];
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&dt, "00000000000500.000000:000"), VSDK_OK);
	CU_ASSERT_TRUE(dt.interval);
	CU_ASSERT_EQUAL(dt.minute, 5);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_format_xs(buf, sizeof(buf), &dt), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(buf, "P0DT0H5M0S");
	vsdk_cim_datetime_clear(&dt);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&dt, "P1DT2H3M4.5S"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_format_dmtf(buf, sizeof(buf), &dt), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(buf, "00000001020304.500000:000");
	vsdk_cim_datetime_clear(&dt);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&dt, "2013-04-15T16:28:43.488171Z"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_format_dmtf(buf, sizeof(buf), &dt), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(buf, "20130415162843.488171+000");
	vsdk_cim_datetime_clear(&dt);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&dt, "yesterday"), VSDK_EPARSE);
	CU_ASSERT_FALSE(dt.valid);
	CU_ASSERT_STRING_EQUAL(dt.text, "yesterday");
	vsdk_cim_datetime_clear(&dt);
	CU_ASSERT_EQUAL(vsdk_cim_datetime_parse(&dt, "P1Y"), VSDK_EPARSE);
	vsdk_cim_datetime_clear(&dt);
}

/* Mutated responses never crash the decoders (they may fail cleanly). */
static void test_cim__mutated_input_fails_cleanly(void)
{
	static const char *const files[] = { "cs_pull_synthetic.xml", "kvp_component_synthetic.xml",
					     "gsi_output_synthetic.xml", "kvp_item_cimxml_synthetic.xml" };
	unsigned seed = 777;
	for (size_t f = 0; f < 4; f++) {
		size_t len;
		char *orig = fixture(files[f], &len);
		for (int i = 0; i < 300; i++) {
			char *x = malloc(len);
			memcpy(x, orig, len);
			for (int k = 0; k < 1 + i % 8; k++) {
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % len;
				seed = seed * 1103515245u + 12345u;
				x[at] = "<>&;\"'/=:x0 \xff"[(seed >> 16) % 14];
			}
			size_t cut = i % 3 ? len : (seed >> 4) % len;
			vsdk_cim_instance **v = NULL, *one = NULL;
			size_t n = 0;
			if (!vsdk_cim_instances_from_wsman(&v, &n, &vsdk_hv_schema, &vsdk_hv_Msvm_KvpExchangeComponent_class,
							   x, cut)) {
				for (size_t j = 0; j < n; j++)
					vsdk_cim_free(v[j]);
				free(v);
			}
			if (!vsdk_cim_instances_from_wsman(&v, &n, &vsdk_hv_schema, &vsdk_hv_Msvm_ComputerSystem_class, x, cut)) {
				for (size_t j = 0; j < n; j++)
					vsdk_cim_free(v[j]);
				free(v);
			}
			vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_out out;
			const vsdk_cim_method *m = vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_method;
			if (!vsdk_cim_method_output_decode(&out, m, x, cut))
				vsdk_cim_clear(m->out, &out);
			if (!vsdk_cim_from_cimxml(&one, &vsdk_hv_schema, NULL, x, cut))
				vsdk_cim_free(one);
			free(x);
		}
		free(orig);
	}
	CU_PASS("no crash");
}

static void test_cim__instance_epr_and_wmi_path_from_keys(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	vsdk_cim_epr epr;
	char *path = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_Msvm_ComputerSystem_new(&vm), VSDK_OK);
	vm->Name = strdup("5F2B0C1D");
	vm->present.Name = true;
	CU_ASSERT_EQUAL(vsdk_cim_instance_epr(&epr, &vm->cim), VSDK_EINVALID); /* CreationClassName missing */
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "CreationClassName"));
	vm->CreationClassName = strdup("Msvm_ComputerSystem");
	vm->present.CreationClassName = true;
	vm->ElementName = strdup("not a key");
	vm->present.ElementName = true;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_instance_epr(&epr, &vm->cim), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(epr.resource_uri, V2 "Msvm_ComputerSystem");
	CU_ASSERT_EQUAL(epr.n_selectors, 2);
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&epr, "Name"), "5F2B0C1D");
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&epr, "CreationClassName"), "Msvm_ComputerSystem");
	vsdk_cim_epr_clear(&epr);
	vsdk_hv_Msvm_ComputerSystem_free(vm);

	vsdk_hv_Msvm_ResourceAllocationSettingData *rasd = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_Msvm_ResourceAllocationSettingData_new(&rasd), VSDK_OK);
	rasd->InstanceID = strdup("Microsoft:GUID\\83F8638B\\0\\0\\D \"x\"");
	rasd->present.InstanceID = true;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_wmi_path(&path, "HV01", &rasd->cim), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(path, "\\\\HV01\\root\\virtualization\\v2:Msvm_ResourceAllocationSettingData.InstanceID="
				     "\"Microsoft:GUID\\\\83F8638B\\\\0\\\\0\\\\D \\\"x\\\"\"");
	free(path);
	vsdk_hv_Msvm_ResourceAllocationSettingData_free(rasd);
}

/* The generated typed API is part of libvsdk.so's exports; gSOAP's symbols are not. */
static void test_cim__shared_library_exports_generated_api(void)
{
	const char *bin = getenv("VSDK_BIN");
	char cmd[1024];
	int st;
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only %s/../libvsdk.so | awk '{print $3}'",
		 bin && *bin ? bin : "generated/build/bin");
	char *out = vtest_run(cmd, &st);
	CU_ASSERT_EQUAL_FATAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nvsdk_hv_Msvm_ComputerSystem_class\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nvsdk_hv_Msvm_ComputerSystem_RequestStateChange\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nvsdk_cim_invoke\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "\nsoap_"));
	free(out);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_cim__pull_response_decodes_typed_instances),
		VTEST_CASE(test_cim__from_wsman_finds_instance_in_envelope),
		VTEST_CASE(test_cim__kvp_guest_items_decode_as_embedded_instances),
		VTEST_CASE(test_cim__ref_properties_decode_as_eprs),
		VTEST_CASE(test_cim__request_state_change_output_has_job_epr),
		VTEST_CASE(test_cim__summary_information_output_nested_instances),
		VTEST_CASE(test_cim__add_kvp_items_input_is_wsman_method_xml),
		VTEST_CASE(test_cim__typed_call_goes_through_transport_hook),
		VTEST_CASE(test_cim__cimxml_round_trip_hostile_strings),
		VTEST_CASE(test_cim__cimxml_fixture_ignores_propagated_and_whitespace),
		VTEST_CASE(test_cim__wsman_round_trip_all_field_kinds),
		VTEST_CASE(test_cim__intervals_use_cim_interval),
		VTEST_CASE(test_cim__bad_values_are_rejected_with_property_name),
		VTEST_CASE(test_cim__enum_tables_come_from_the_schema),
		VTEST_CASE(test_cim__datetime_forms),
		VTEST_CASE(test_cim__mutated_input_fails_cleanly),
		VTEST_CASE(test_cim__instance_epr_and_wmi_path_from_keys),
		VTEST_CASE(test_cim__shared_library_exports_generated_api),
		VTEST_END,
	};
	return vtest_main("cim", cases, NULL, NULL);
}
