/*
 * The generated vim25 stubs on the wire: each property the pipeline promises
 * (generator/vim25fix.c, DOM_NODE decoding), proven by sending or receiving XML.
 * Named test_vi_* so the regeneration matrix runs it against every WSDL set.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "soapH.h"
#include "vi_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A context reading an HTTP response (status + fixture body) from memory. */
static struct soap *reader(const char *fixture, int status, char **buf)
{
	char path[512], *body;
	struct soap *soap;
	size_t len = 0;

	snprintf(path, sizeof(path), "tests/fixtures/vi/%s", fixture);
	body = vtest_read_file(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	if (asprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
		     status, status == 200 ? "OK" : "Internal Server Error", len, body) < 0)
		*buf = NULL;
	free(body);
	soap = soap_new();
	soap_set_imode(soap, SOAP_DOM_NODE);
	soap->is = *buf;
	return soap;
}

static void done(struct soap *soap, char *buf)
{
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	free(buf);
}

static struct soap_dom_element *prop(struct vim25__ObjectContent *oc, const char *name)
{
	for (int i = 0; i < oc->__sizepropSet; i++)
		if (strcmp(oc->propSet[i].name, name) == 0)
			return &oc->propSet[i].val;
	return NULL;
}

static void test_vi_stubs__anytype_decodes_nested_typed_values(void)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__VirtualMachineConfigInfo *ci;
	struct soap_dom_element *v;
	char *buf;
	struct soap *soap = reader("retrieve-vm.xml", 200, &buf);

	memset(&resp, 0, sizeof(resp));
	if (soap_recv___vim25__RetrievePropertiesEx(soap, &resp) != SOAP_OK)
		soap_print_fault(soap, stdout);
	CU_ASSERT_EQUAL_FATAL(soap->error, SOAP_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(resp.returnval);
	CU_ASSERT_EQUAL_FATAL(resp.returnval->__sizeobjects, 1);

	/* A typed value two levels below anyType (anyType > DynamicData > ConfigInfo). */
	v = prop(&resp.returnval->objects[0], "config");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL_FATAL(v->type, SOAP_TYPE_vim25__VirtualMachineConfigInfo);
	ci = (struct vim25__VirtualMachineConfigInfo *)v->node;
	CU_ASSERT_STRING_EQUAL(ci->name, "web & db");
	CU_ASSERT_STRING_EQUAL(ci->annotation, "line1\nline2 <x>");
	CU_ASSERT_STRING_EQUAL(ci->files->vmPathName, "[datastore1] web/web.vmx");
	CU_ASSERT_EQUAL(ci->hardware->numCPU, 2);
	CU_ASSERT_EQUAL(ci->hardware->memoryMB, 1024);
	CU_ASSERT_EQUAL_FATAL(ci->hardware->__sizedevice, 3);
	soap_destroy(soap);
	done(soap, buf);
}

static void test_vi_stubs__derived_types_decode_by_xsi_type(void)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__VirtualMachineConfigInfo *ci;
	struct vim25__VirtualDevice *dev;
	int id;
	void *leaf, *backing;
	char *buf;
	struct soap *soap = reader("retrieve-vm.xml", 200, &buf);

	memset(&resp, 0, sizeof(resp));
	CU_ASSERT_EQUAL_FATAL(soap_recv___vim25__RetrievePropertiesEx(soap, &resp), SOAP_OK);
	ci = (struct vim25__VirtualMachineConfigInfo *)prop(&resp.returnval->objects[0], "config")->node;
	dev = ci->hardware->device;

	leaf = vsdk__vim_most_derived(&dev[0], SOAP_TYPE_vim25__VirtualDevice, &id);
	CU_ASSERT_EQUAL(id, SOAP_TYPE_vim25__VirtualE1000);
	CU_ASSERT_STRING_EQUAL(vsdk__vim_type_name(id), "VirtualE1000");
	CU_ASSERT_EQUAL(((struct vim25__VirtualE1000 *)leaf)->key, 4000);
	CU_ASSERT_STRING_EQUAL(((struct vim25__VirtualE1000 *)leaf)->macAddress, "00:0c:29:12:34:56");
	backing = vsdk__vim_most_derived(((struct vim25__VirtualE1000 *)leaf)->backing,
					 SOAP_TYPE_vim25__VirtualDeviceBackingInfo, &id);
	CU_ASSERT_EQUAL(id, SOAP_TYPE_vim25__VirtualEthernetCardNetworkBackingInfo);
	CU_ASSERT_STRING_EQUAL(((struct vim25__VirtualEthernetCardNetworkBackingInfo *)backing)->deviceName,
			       "VM Network");

	leaf = vsdk__vim_most_derived(&dev[1], SOAP_TYPE_vim25__VirtualDevice, &id);
	CU_ASSERT_EQUAL(id, SOAP_TYPE_vim25__VirtualDisk);
	backing = vsdk__vim_most_derived(((struct vim25__VirtualDisk *)leaf)->backing,
					 SOAP_TYPE_vim25__VirtualDeviceBackingInfo, &id);
	CU_ASSERT_EQUAL(id, SOAP_TYPE_vim25__VirtualDiskFlatVer2BackingInfo);
	CU_ASSERT_STRING_EQUAL(((struct vim25__VirtualDiskFlatVer2BackingInfo *)backing)->fileName,
			       "[datastore1] web/web.vmdk");
	CU_ASSERT(vsdk__vim_is_a(SOAP_TYPE_vim25__VirtualE1000, SOAP_TYPE_vim25__VirtualEthernetCard));
	CU_ASSERT(vsdk__vim_is_a(SOAP_TYPE_vim25__VirtualE1000, SOAP_TYPE_vim25__VirtualDevice));
	CU_ASSERT(!vsdk__vim_is_a(SOAP_TYPE_vim25__VirtualDisk, SOAP_TYPE_vim25__VirtualEthernetCard));
	done(soap, buf);
}

static void test_vi_stubs__unknown_xsi_type_decodes_as_known_base(void)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__VirtualMachineConfigInfo *ci;
	struct soap_dom_element *v;
	int id;
	void *leaf;
	char *buf;
	struct soap *soap = reader("retrieve-vm.xml", 200, &buf);

	memset(&resp, 0, sizeof(resp));
	/* The response carries VirtualFutureWidget and FutureSummaryInfo: it must not fail. */
	CU_ASSERT_EQUAL_FATAL(soap_recv___vim25__RetrievePropertiesEx(soap, &resp), SOAP_OK);
	ci = (struct vim25__VirtualMachineConfigInfo *)prop(&resp.returnval->objects[0], "config")->node;
	leaf = vsdk__vim_most_derived(&ci->hardware->device[2], SOAP_TYPE_vim25__VirtualDevice, &id);
	CU_ASSERT_EQUAL(id, SOAP_TYPE_vim25__VirtualDevice);
	CU_ASSERT_EQUAL(((struct vim25__VirtualDevice *)leaf)->key, 9000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(((struct vim25__VirtualDevice *)leaf)->controllerKey);
	CU_ASSERT_EQUAL(*((struct vim25__VirtualDevice *)leaf)->controllerKey, 100);
	/* An unknown property value is kept as untyped XML, and what follows still decodes. */
	v = prop(&resp.returnval->objects[0], "summary.future");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NULL(vsdk__vim_type_name(v->type));
	v = prop(&resp.returnval->objects[0], "name");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->type, SOAP_TYPE_string);
	CU_ASSERT_STRING_EQUAL((const char *)v->node, "web & db");
	done(soap, buf);
}

static void test_vi_stubs__arrays_and_enums_in_anytype(void)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__ArrayOfManagedObjectReference *a;
	struct soap_dom_element *v;
	char *buf;
	struct soap *soap = reader("retrieve-vm.xml", 200, &buf);

	memset(&resp, 0, sizeof(resp));
	CU_ASSERT_EQUAL_FATAL(soap_recv___vim25__RetrievePropertiesEx(soap, &resp), SOAP_OK);
	v = prop(&resp.returnval->objects[0], "network");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL_FATAL(v->type, SOAP_TYPE_vim25__ArrayOfManagedObjectReference);
	a = (struct vim25__ArrayOfManagedObjectReference *)v->node;
	CU_ASSERT_EQUAL_FATAL(a->__sizeManagedObjectReference, 2);
	CU_ASSERT_STRING_EQUAL(a->ManagedObjectReference[1].type, "DistributedVirtualPortgroup");
	CU_ASSERT_STRING_EQUAL(a->ManagedObjectReference[1].__item, "dvportgroup-9");

	/* The XMLSchema-instance:type prefix is resolved as xsi by namespace, not by spelling. */
	v = prop(&resp.returnval->objects[0], "runtime.powerState");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL_FATAL(v->type, SOAP_TYPE_vim25__VirtualMachinePowerState);
	CU_ASSERT_EQUAL(*(int *)v->node, vim25__VirtualMachinePowerState__poweredOn);
	CU_ASSERT_STRING_EQUAL(vsdk__vim_enum_text(soap, v->type, *(int *)v->node), "poweredOn");
	done(soap, buf);
}

static void test_vi_stubs__task_result_and_localized_fault(void)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__TaskInfo *ti;
	struct vim25__InvalidPowerState *ips;
	struct soap_dom_element *v;
	int id;
	char *buf;
	struct soap *soap = reader("retrieve-task.xml", 200, &buf);

	memset(&resp, 0, sizeof(resp));
	CU_ASSERT_EQUAL_FATAL(soap_recv___vim25__RetrievePropertiesEx(soap, &resp), SOAP_OK);
	v = prop(&resp.returnval->objects[0], "info");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL_FATAL(v->type, SOAP_TYPE_vim25__TaskInfo);
	ti = (struct vim25__TaskInfo *)v->node;
	CU_ASSERT_EQUAL(ti->state, vim25__TaskInfoState__error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ti->error);
	CU_ASSERT_STRING_EQUAL(ti->error->localizedMessage,
			       "The attempted operation cannot be performed in the current state (Powered on).");
	ips = vsdk__vim_most_derived(ti->error->fault, SOAP_TYPE_vim25__MethodFault, &id);
	CU_ASSERT_EQUAL_FATAL(id, SOAP_TYPE_vim25__InvalidPowerState);
	CU_ASSERT_EQUAL(ips->existingState, vim25__VirtualMachinePowerState__poweredOn);
	CU_ASSERT(vsdk__vim_is_a(id, vsdk__vim_type_id("InvalidState")));
	/* TaskInfo.result is anyType: here a MoRef. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ti->result);
	CU_ASSERT_EQUAL_FATAL(ti->result->type, SOAP_TYPE_vim25__ManagedObjectReference);
	CU_ASSERT_STRING_EQUAL(((struct vim25__ManagedObjectReference *)ti->result->node)->__item, "vm-42");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ti->progress);
	CU_ASSERT_EQUAL(*ti->progress, 100);
	done(soap, buf);
}

/* A fault response: the detail decodes into its typed struct. */
static void *recv_fault(const char *fixture, struct soap **out, char **buf, int *type)
{
	struct _vim25__RetrievePropertiesExResponse resp;
	struct soap *soap = reader(fixture, 500, buf);
	struct SOAP_ENV__Detail *d;

	memset(&resp, 0, sizeof(resp));
	*out = soap;
	*type = 0;
	CU_ASSERT_EQUAL(soap_recv___vim25__RetrievePropertiesEx(soap, &resp), SOAP_FAULT);
	d = soap->fault ? soap->fault->detail : NULL;
	if (!d)
		return NULL;
	*type = d->__type;
	return d->fault;
}

static void test_vi_stubs__fault_details_are_typed(void)
{
	struct soap *soap;
	char *buf;
	int type;
	struct vim25__NotAuthenticated *na;
	struct vim25__InvalidPowerState *ips;

	/* Undeclared on every operation: NotAuthenticated. */
	na = recv_fault("fault-notauthenticated.xml", &soap, &buf, &type);
	CU_ASSERT_EQUAL(type, SOAP_TYPE_vim25__NotAuthenticated);
	CU_ASSERT_PTR_NOT_NULL_FATAL(na);
	CU_ASSERT_STRING_EQUAL(na->privilegeId, "System.View");
	CU_ASSERT_STRING_EQUAL(na->object->__item, "ViewManager");
	CU_ASSERT(vsdk__vim_is_a(type, vsdk__vim_type_id("NoPermission")));
	CU_ASSERT(vsdk__vim_is_a(type, vsdk__vim_type_id("SecurityError")));
	done(soap, buf);

	/* Declared on Login: still arrives the same way. */
	CU_ASSERT_PTR_NOT_NULL(recv_fault("fault-invalidlogin.xml", &soap, &buf, &type));
	CU_ASSERT_EQUAL(type, SOAP_TYPE_vim25__InvalidLogin);
	CU_ASSERT_STRING_EQUAL(soap->fault->faultstring,
			       "Cannot complete login due to an incorrect user name or password.");
	done(soap, buf);

	ips = recv_fault("fault-invalidpowerstate.xml", &soap, &buf, &type);
	CU_ASSERT_EQUAL(type, SOAP_TYPE_vim25__InvalidPowerState);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ips);
	CU_ASSERT_EQUAL(ips->existingState, vim25__VirtualMachinePowerState__poweredOff);
	done(soap, buf);
}

static void test_vi_stubs__unknown_fault_type_kept_as_xml(void)
{
	struct soap *soap;
	char *buf;
	int type;

	CU_ASSERT_PTR_NULL(recv_fault("fault-unknown.xml", &soap, &buf, &type));
	CU_ASSERT_PTR_NOT_NULL_FATAL(soap->fault);
	CU_ASSERT_STRING_EQUAL(soap->fault->faultstring, "A future problem.");
	CU_ASSERT_PTR_NOT_NULL_FATAL(soap->fault->detail);
	CU_ASSERT_PTR_NOT_NULL_FATAL(soap->fault->detail->__any);
	CU_ASSERT_PTR_NOT_NULL(strstr(soap->fault->detail->__any, "QuantumEntanglementFault"));
	done(soap, buf);
}

/* A VirtualE1000 with a network backing, built the -F way (base shells + subtype pointers). */
static struct vim25__VirtualDevice *e1000(struct soap *soap, const char *network)
{
	struct vim25__VirtualDevice *dev = soap_malloc(soap, sizeof(*dev));
	struct vim25__VirtualEthernetCard *card = soap_malloc(soap, sizeof(*card));
	struct vim25__VirtualE1000 *nic = soap_malloc(soap, sizeof(*nic));
	struct vim25__VirtualDeviceBackingInfo *b = soap_malloc(soap, sizeof(*b));
	struct vim25__VirtualDeviceDeviceBackingInfo *db = soap_malloc(soap, sizeof(*db));
	struct vim25__VirtualEthernetCardNetworkBackingInfo *nb = soap_malloc(soap, sizeof(*nb));

	soap_default_vim25__VirtualDevice(soap, dev);
	soap_default_vim25__VirtualEthernetCard(soap, card);
	soap_default_vim25__VirtualE1000(soap, nic);
	soap_default_vim25__VirtualDeviceBackingInfo(soap, b);
	soap_default_vim25__VirtualDeviceDeviceBackingInfo(soap, db);
	soap_default_vim25__VirtualEthernetCardNetworkBackingInfo(soap, nb);
	nb->deviceName = soap_strdup(soap, network);
	db->vim25__VirtualEthernetCardNetworkBackingInfo = nb;
	b->vim25__VirtualDeviceDeviceBackingInfo = db;
	nic->key = -1;
	nic->backing = b;
	nic->addressType = "generated";
	card->vim25__VirtualE1000 = nic;
	dev->vim25__VirtualEthernetCard = card;
	return dev;
}

static void test_vi_stubs__sent_values_carry_xsi_type(void)
{
	struct vim25__ReconfigVMRequestType req;
	struct vim25__VirtualMachineConfigSpec spec;
	struct vim25__VirtualDeviceConfigSpec dcs;
	enum vim25__VirtualDeviceConfigSpecOperation op = vim25__VirtualDeviceConfigSpecOperation__add;
	struct vim25__OptionValue ov;
	struct vim25__ManagedObjectReference vm = { "vm-42", "VirtualMachine" };
	struct soap *soap = soap_new();
	char *out = NULL;

	soap_default_vim25__ReconfigVMRequestType(soap, &req);
	soap_default_vim25__VirtualMachineConfigSpec(soap, &spec);
	soap_default_vim25__VirtualDeviceConfigSpec(soap, &dcs);
	soap_default_vim25__OptionValue(soap, &ov);
	dcs.operation = &op;
	dcs.device = e1000(soap, "VM Network");
	ov.key = "guestinfo.vsdk";
	ov.value = vsdk__vi_any(soap, "value", "TRUE", SOAP_TYPE_string);
	spec.__sizedeviceChange = 1;
	spec.deviceChange = &dcs;
	spec.__sizeextraConfig = 1;
	spec.extraConfig = &ov;
	req._USCOREthis = &vm;
	req.spec = &spec;
	soap->os = (const char **)&out;
	/* The request body exactly as the ReconfigVM_Task call serializes it. */
	CU_ASSERT_EQUAL_FATAL(soap_write_vim25__ReconfigVMRequestType(soap, &req), SOAP_OK);
	soap->os = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "xsi:type=\"vim25:VirtualE1000\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "xsi:type=\"vim25:VirtualEthernetCardNetworkBackingInfo\""));
	/* anyType: OptionValue.value leaves typed. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<vim25:value xsi:type=\"xsd:string\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ">TRUE</vim25:value>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<vim25:key>guestinfo.vsdk</vim25:key>"));
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

static void test_vi_stubs__derived_device_round_trips(void)
{
	struct vim25__VirtualMachineConfigSpec spec, back, *bp = &back;
	int rc;
	struct vim25__VirtualDeviceConfigSpec dcs;
	struct soap *w = soap_new(), *r = soap_new();
	char *out = NULL;
	int id;
	void *leaf, *backing;

	soap_default_vim25__VirtualMachineConfigSpec(w, &spec);
	soap_default_vim25__VirtualDeviceConfigSpec(w, &dcs);
	dcs.device = e1000(w, "Back-end & <LAN>");
	spec.name = "rt";
	spec.__sizedeviceChange = 1;
	spec.deviceChange = &dcs;
	w->os = (const char **)&out;
	CU_ASSERT_EQUAL_FATAL(soap_write_vim25__VirtualMachineConfigSpec(w, &spec), SOAP_OK);
	w->os = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);

	soap_set_imode(r, SOAP_DOM_NODE);
	r->is = out;
	soap_default_vim25__VirtualMachineConfigSpec(r, bp);
	rc = soap_begin_recv(r) || !soap_get_vim25__VirtualMachineConfigSpec(r, bp, NULL, NULL) || soap_end_recv(r)
		     ? r->error : SOAP_OK;
	CU_ASSERT_EQUAL_FATAL(rc, SOAP_OK);
	CU_ASSERT_STRING_EQUAL(back.name, "rt");
	CU_ASSERT_EQUAL_FATAL(back.__sizedeviceChange, 1);
	leaf = vsdk__vim_most_derived(back.deviceChange[0].device, SOAP_TYPE_vim25__VirtualDevice, &id);
	CU_ASSERT_EQUAL_FATAL(id, SOAP_TYPE_vim25__VirtualE1000);
	backing = vsdk__vim_most_derived(((struct vim25__VirtualE1000 *)leaf)->backing,
					 SOAP_TYPE_vim25__VirtualDeviceBackingInfo, &id);
	CU_ASSERT_EQUAL_FATAL(id, SOAP_TYPE_vim25__VirtualEthernetCardNetworkBackingInfo);
	CU_ASSERT_STRING_EQUAL(((struct vim25__VirtualEthernetCardNetworkBackingInfo *)backing)->deviceName,
			       "Back-end & <LAN>");
	soap_destroy(w);
	soap_end(w);
	soap_free(w);
	soap_destroy(r);
	soap_end(r);
	soap_free(r);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_stubs__anytype_decodes_nested_typed_values),
		VTEST_CASE(test_vi_stubs__derived_types_decode_by_xsi_type),
		VTEST_CASE(test_vi_stubs__unknown_xsi_type_decodes_as_known_base),
		VTEST_CASE(test_vi_stubs__arrays_and_enums_in_anytype),
		VTEST_CASE(test_vi_stubs__task_result_and_localized_fault),
		VTEST_CASE(test_vi_stubs__fault_details_are_typed),
		VTEST_CASE(test_vi_stubs__unknown_fault_type_kept_as_xml),
		VTEST_CASE(test_vi_stubs__sent_values_carry_xsi_type),
		VTEST_CASE(test_vi_stubs__derived_device_round_trips),
		VTEST_END
	};
	return vtest_main("vi_stubs", cases, NULL, NULL);
}
