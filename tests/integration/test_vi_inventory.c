/*
 * VI inventory against the vSphere simulator harness: typed lists of VMs,
 * hosts, datastores and networks; finding VMs by name, UUID and inventory
 * path; typed faults.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_inventory.h"
#include "vi_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vsim_vc esx, vpx;

static int suite_init(void)
{
	setenv("VSDK_PASSWORD", "secret", 1);
	if (!vsim_vc_start(&esx, "--model", "esx", "--vms", "4", "--user", "root", "--password", "secret", NULL))
		return 1;
	if (!vsim_vc_start(&vpx, "--model", "vpx", "--vms", "6", "--hosts", "3", "--user", "root", "--password",
			   "secret", NULL))
		return 1;
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	vsim_vc_stop(&vpx);
	return 0;
}

static vsdk_session *open_vc(const char *scheme, const vsim_vc *vc)
{
	char uri[512];
	vsdk_session *s = NULL;

	snprintf(uri, sizeof(uri), "%s://root@%s/?transport=http", scheme, vc->hostport);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_OK);
	return s;
}

/*
 * Create a VM named `name` in a new folder `folder` under DC0/vm (vCenter
 * refuses two VMs of one name in one folder, not in two).
 */
static int create_vm_in_folder(vsdk_session *s, const char *folder, const char *name)
{
	struct vim25__CreateFolderRequestType freq = { 0 };
	struct _vim25__CreateFolderResponse fresp = { 0 };
	struct vim25__CreateVMRequestType req = { 0 };
	struct _vim25__CreateVM_USCORETaskResponse resp = { 0 };
	struct vim25__VirtualMachineConfigSpec spec = { 0 };
	struct vim25__VirtualMachineFileInfo files = { 0 };
	char *vmfolder = NULL, *pool = NULL, *newfolder = NULL, *task = NULL;
	int rc;

	if ((rc = vsdk_vi_find_by_inventory_path(NULL, &vmfolder, s, "DC0/vm")) ||
	    (rc = vsdk_vi_find_by_inventory_path(NULL, &pool, s, "DC0/host/DC0_C0/Resources")))
		goto out;
	vsdk__vi_reset(s);
	freq._USCOREthis = vsdk__vi_mor(s, "Folder", vmfolder);
	freq.name = (char *)folder;
	VSDK_VI_CALL(rc, s, "CreateFolder", soap_call___vim25__CreateFolder(s->soap, s->endpoint, NULL, &freq, &fresp));
	if (rc || !fresp.returnval)
		goto out;
	newfolder = strdup(fresp.returnval->__item);
	vsdk__vi_reset(s);
	req._USCOREthis = vsdk__vi_mor(s, "Folder", newfolder);
	spec.name = (char *)name;
	spec.guestId = "otherGuest";
	files.vmPathName = "[LocalDS_0]";
	spec.files = &files;
	req.config = &spec;
	req.pool = vsdk__vi_mor(s, "ResourcePool", pool);
	VSDK_VI_CALL(rc, s, "CreateVM_Task", soap_call___vim25__CreateVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc || !resp.returnval)
		goto out;
	task = strdup(resp.returnval->__item);
	rc = vsim_task_done(s, task);
out:
	free(vmfolder);
	free(pool);
	free(newfolder);
	free(task);
	return rc;
}

static void test_vi_inventory__list_vms_typed_on_esx(void)
{
	vsdk_session *s = open_vc("esx", &esx);
	vsdk_vi_vm_info *v = NULL;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_vms(&v, &n, s), VSDK_OK);
	CU_ASSERT_EQUAL(n, 4);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL(v[i].id);
		CU_ASSERT(v[i].name && strncmp(v[i].name, "ha-host_VM", 10) == 0);
		CU_ASSERT(v[i].power_state && (!strcmp(v[i].power_state, "poweredOn") ||
					       !strcmp(v[i].power_state, "poweredOff")));
		CU_ASSERT(v[i].uuid && strlen(v[i].uuid) == 36);
		CU_ASSERT(v[i].instance_uuid && strlen(v[i].instance_uuid) == 36);
		CU_ASSERT(v[i].host && !strcmp(v[i].host, "ha-host"));
	}
	vsdk_vi_vm_info_free(v, n);
	vsdk_session_close(s);
}

static void test_vi_inventory__list_hosts_datastores_networks(void)
{
	vsdk_session *s = open_vc("vpx", &vpx);
	vsdk_vi_host_info *h = NULL;
	vsdk_vi_datastore_info *d = NULL;
	vsdk_vi_network_info *nw = NULL;
	size_t nh = 0, nd = 0, nn = 0, cluster_hosts = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_hosts(&h, &nh, s), VSDK_OK);
	for (size_t i = 0; i < nh; i++) {
		CU_ASSERT_PTR_NOT_NULL(h[i].id);
		CU_ASSERT_PTR_NOT_NULL(h[i].name);
		if (h[i].name && strncmp(h[i].name, "DC0_C0_H", 8) == 0)
			cluster_hosts++;
		CU_ASSERT(h[i].connection_state && !strcmp(h[i].connection_state, "connected"));
		CU_ASSERT(h[i].product && strstr(h[i].product, "ESX"));
	}
	CU_ASSERT_EQUAL(cluster_hosts, 3);
	vsdk_vi_host_info_free(h, nh);

	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_datastores(&d, &nd, s), VSDK_OK);
	CU_ASSERT_FATAL(nd >= 1);
	CU_ASSERT_STRING_EQUAL(d[0].name, "LocalDS_0");
	CU_ASSERT(d[0].capacity > 0);
	CU_ASSERT(d[0].free_space >= 0 && d[0].free_space <= d[0].capacity);
	CU_ASSERT_EQUAL(d[0].accessible, 1);
	CU_ASSERT_PTR_NOT_NULL(d[0].type);
	CU_ASSERT_PTR_NOT_NULL(d[0].url);
	vsdk_vi_datastore_info_free(d, nd);

	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_networks(&nw, &nn, s), VSDK_OK);
	CU_ASSERT(nn >= 1);
	for (size_t i = 0; i < nn; i++)
		CU_ASSERT(nw[i].name && *nw[i].name);
	vsdk_vi_network_info_free(nw, nn);
	vsdk_session_close(s);
}

static void test_vi_inventory__esx_host_reports_no_management_server(void)
{
	vsdk_session *s = open_vc("esx", &esx);
	vsdk_vi_host_info *h = NULL;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_hosts(&h, &n, s), VSDK_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(h[0].id, "ha-host");
	CU_ASSERT_PTR_NULL(h[0].management_server_ip);
	vsdk_vi_host_info_free(h, n);
	vsdk_session_close(s);
}

static int count_with_name(void *payload, const vsdk_vi_object *o)
{
	if (vsdk_vi_object_get(o, "name"))
		(*(int *)payload)++;
	return 0;
}

static void test_vi_inventory__list_props_chosen_paths(void)
{
	static const char *const paths[] = { "name" };
	vsdk_session *s = open_vc("vpx", &vpx);
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_list_props(s, VSDK_VI_VM, paths, 1, count_with_name, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_EQUAL(vsdk_vi_list_props(s, (vsdk_vi_kind)9, paths, 1, count_with_name, &n), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "kind"));
	vsdk_session_close(s);
}

static void test_vi_inventory__find_by_name_found_unknown_and_ambiguous(void)
{
	vsdk_session *s = open_vc("vpx", &vpx);
	vsdk_vi_vm_info info;
	char *id = NULL, *id2 = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_find_vm_by_name(&id, s, "DC0_C0_RP0_VM1"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_info(&info, s, id), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(info.name, "DC0_C0_RP0_VM1");
	vsdk_vi_vm_info_clear(&info);

	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_name(&id2, s, "no-such-vm"), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(id2);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'no-such-vm'"));

	/* Before: one VM of that name. */
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_name(&id2, s, "DC0_C0_RP0_VM2"), VSDK_OK);
	CU_ASSERT(id2 && strcmp(id, id2) != 0);
	free(id2);
	id2 = NULL;
	/* A second VM of that name in another folder: the lookup refuses to guess. */
	CU_ASSERT_EQUAL_FATAL(create_vm_in_folder(s, "other", "DC0_C0_RP0_VM2"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_name(&id2, s, "DC0_C0_RP0_VM2"), VSDK_EAMBIGUOUS);
	CU_ASSERT_PTR_NULL(id2);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "2 virtual machines"));
	free(id);
	free(id2);
	vsdk_session_close(s);
}

static void test_vi_inventory__find_by_bios_and_instance_uuid(void)
{
	vsdk_session *s = open_vc("vpx", &vpx);
	vsdk_vi_vm_info *v = NULL;
	size_t n = 0;
	char *id = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_list_vms(&v, &n, s), VSDK_OK);
	CU_ASSERT_FATAL(n >= 6);
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_uuid(&id, s, v[3].uuid, 0), VSDK_OK);
	CU_ASSERT(id && !strcmp(id, v[3].id));
	free(id);
	id = NULL;
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_uuid(&id, s, v[4].instance_uuid, 1), VSDK_OK);
	CU_ASSERT(id && !strcmp(id, v[4].id));
	free(id);
	id = NULL;
	/* A BIOS UUID is not an instance UUID: the flag matters. */
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_uuid(&id, s, v[4].uuid, 1), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_uuid(&id, s, "00000000-0000-0000-0000-000000000000", 0), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "BIOS UUID"));
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_uuid(&id, s, "", 0), VSDK_EINVALID);
	vsdk_vi_vm_info_free(v, n);
	vsdk_session_close(s);
}

static void test_vi_inventory__find_by_inventory_path_esx_and_vpx(void)
{
	vsdk_session *e = open_vc("esx", &esx), *c = open_vc("vpx", &vpx);
	char *type = NULL, *id = NULL, *byname = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(vsdk_vi_find_by_inventory_path(&type, &id, e, "ha-datacenter/vm/ha-host_VM0"), VSDK_OK);
	CU_ASSERT(type && !strcmp(type, "VirtualMachine"));
	CU_ASSERT_EQUAL(vsdk_vi_find_vm_by_name(&byname, e, "ha-host_VM0"), VSDK_OK);
	CU_ASSERT(id && byname && !strcmp(id, byname));
	free(type);
	free(id);
	free(byname);
	CU_ASSERT_EQUAL(vsdk_vi_find_by_inventory_path(&type, &id, c, "DC0/vm/DC0_C0_RP0_VM0"), VSDK_OK);
	CU_ASSERT(type && !strcmp(type, "VirtualMachine"));
	free(type);
	free(id);
	CU_ASSERT_EQUAL(vsdk_vi_find_by_inventory_path(NULL, &id, c, "DC0/vm/nothing-here"), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(id);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "nothing-here"));
	vsdk_session_close(e);
	vsdk_session_close(c);
}

static int never(void *payload, const vsdk_vi_object *o)
{
	(void)o;
	(*(int *)payload)++;
	return 0;
}

static void test_vi_inventory__unknown_object_is_typed_fault(void)
{
	static const char *const paths[] = { "name" };
	vsdk_session *s = open_vc("vpx", &vpx);
	vsdk_vi_vm_info info;
	int called = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_object_retrieve(s, "VirtualMachine", "vm-999999", paths, 1, never, &called),
			VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(called, 0);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ManagedObjectNotFound");
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "vm-999999"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_info(&info, s, "vm-999999"), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(info.id);
	vsdk_session_close(s);
}

struct seen {
	char text[16][160];
	int n, raw;
};

static int record_text(void *payload, const vsdk_vi_object *o)
{
	struct seen *s = payload;
	int type = 0;

	if (s->n < 16)
		snprintf(s->text[s->n++], sizeof(s->text[0]), "%s|%s|%s|%s", vsdk_vi_object_id(o),
			 vsdk_vi_object_get(o, "name"), vsdk_vi_object_get(o, "runtime.powerState"),
			 vsdk_vi_object_get(o, "runtime.host"));
	if (vsdk_vi_object_get_raw(o, "runtime.host", &type))
		s->raw++;
	return 0;
}

static void test_vi_inventory__text_retrieval_matches_typed_values(void)
{
	static const char *const paths[] = { "name", "runtime.powerState", "runtime.host" };
	vsdk_session *s = open_vc("esx", &esx);
	struct seen typed = { .n = 0 }, text = { .n = 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 3, 0, record_text, &typed), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_retrieve_text(s, "VirtualMachine", paths, 3, 0, record_text, &text), VSDK_OK);
	CU_ASSERT_EQUAL(typed.n, 4);
	CU_ASSERT_EQUAL(text.n, 4);
	for (int i = 0; i < typed.n && i < text.n; i++) {
		CU_ASSERT_STRING_EQUAL(typed.text[i], text.text[i]);
		CU_ASSERT_PTR_NULL(strstr(text.text[i], "(null)"));
	}
	/* Typed retrieval gives stub structs; text retrieval does not. */
	CU_ASSERT_EQUAL(typed.raw, 4);
	CU_ASSERT_EQUAL(text.raw, 0);
	/* The session is back in typed mode afterwards. */
	typed.n = typed.raw = 0;
	CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 3, 0, record_text, &typed), VSDK_OK);
	CU_ASSERT_EQUAL(typed.raw, 4);
	vsdk_session_close(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_inventory__list_vms_typed_on_esx),
		VTEST_CASE(test_vi_inventory__list_hosts_datastores_networks),
		VTEST_CASE(test_vi_inventory__esx_host_reports_no_management_server),
		VTEST_CASE(test_vi_inventory__list_props_chosen_paths),
		VTEST_CASE(test_vi_inventory__find_by_name_found_unknown_and_ambiguous),
		VTEST_CASE(test_vi_inventory__find_by_bios_and_instance_uuid),
		VTEST_CASE(test_vi_inventory__find_by_inventory_path_esx_and_vpx),
		VTEST_CASE(test_vi_inventory__unknown_object_is_typed_fault),
		VTEST_CASE(test_vi_inventory__text_retrieval_matches_typed_values),
		VTEST_END
	};
	return vtest_main("vi_inventory", cases, suite_init, suite_fini);
}
