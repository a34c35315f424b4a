/*
 * vcenter= on esx:// sessions and VM migration through a vCenter, against
 * harness instances: an ESX model that reports 127.0.0.1 as its managing
 * vCenter, an ESX model that reports none, and two vCenter models.
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

static vsim_vc esx_managed, esx_alone, vpx, vpx2;
static char vpx_port[16], vpx2_port[16];

/* Records every challenge (host name) the credential callback is asked for. */
static char challenges[8][128];
static int nchallenges;

static int auth_record(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	if (nchallenges < 8)
		snprintf(challenges[nchallenges++], sizeof(challenges[0]), "%s", host);
	if (!*user)
		*user = strdup("root");
	*password = strdup("secret");
	return VSDK_OK;
}

static int suite_init(void)
{
	if (!vsim_vc_start(&vpx, "--model", "vpx", "--vms", "4", "--hosts", "3", "--user", "root", "--password",
			   "secret", NULL))
		return 1;
	if (!vsim_vc_start(&vpx2, "--model", "vpx", "--vms", "2", "--user", "root", "--password", "secret", NULL))
		return 1;
	if (!vsim_vc_start(&esx_managed, "--model", "esx", "--vms", "2", "--user", "root", "--password", "secret",
			   "--management-server-ip", "127.0.0.1", NULL))
		return 1;
	if (!vsim_vc_start(&esx_alone, "--model", "esx", "--vms", "2", "--user", "root", "--password", "secret", NULL))
		return 1;
	snprintf(vpx_port, sizeof(vpx_port), "%s", strrchr(vpx.hostport, ':') + 1);
	snprintf(vpx2_port, sizeof(vpx2_port), "%s", strrchr(vpx2.hostport, ':') + 1);
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&vpx);
	vsim_vc_stop(&vpx2);
	vsim_vc_stop(&esx_managed);
	vsim_vc_stop(&esx_alone);
	return 0;
}

/* Open scheme://root@<vc>/?transport=http&<params>. */
static int open_with(vsdk_session **s, const char *scheme, const vsim_vc *vc, const char *params)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	char uri[512];

	o.auth = auth_record;
	snprintf(uri, sizeof(uri), "%s://root@%s/?transport=http%s%s", scheme, vc->hostport, *params ? "&" : "",
		 params);
	return vsdk_session_open(s, uri, &o);
}

/* Create, in the vCenter's cluster pool, a VM with the given name and BIOS UUID. */
static int create_vm(vsdk_session *s, const char *name, const char *uuid)
{
	struct vim25__CreateVMRequestType req = { 0 };
	struct _vim25__CreateVM_USCORETaskResponse resp = { 0 };
	struct vim25__VirtualMachineConfigSpec spec = { 0 };
	struct vim25__VirtualMachineFileInfo files = { 0 };
	char *folder = NULL, *pool = NULL, *task = NULL;
	int rc;

	if ((rc = vsdk_vi_find_by_inventory_path(NULL, &folder, s, "DC0/vm")) ||
	    (rc = vsdk_vi_find_by_inventory_path(NULL, &pool, s, "DC0/host/DC0_C0/Resources")))
		goto out;
	vsdk__vi_reset(s);
	req._USCOREthis = vsdk__vi_mor(s, "Folder", folder);
	spec.name = (char *)name;
	spec.uuid = (char *)uuid;
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
	free(folder);
	free(pool);
	free(task);
	return rc;
}

/* The name of the host a VM runs on, in session s (static buffer). */
static const char *host_of(vsdk_session *s, const char *vm_name)
{
	static char name[128];
	vsdk_vi_vm_info info;
	vsdk_vi_host_info *h = NULL;
	char *id = NULL;
	size_t n = 0;

	name[0] = '\0';
	if (vsdk_vi_find_vm_by_name(&id, s, vm_name) || vsdk_vi_vm_get_info(&info, s, id)) {
		free(id);
		return name;
	}
	if (vsdk_vi_list_hosts(&h, &n, s) == VSDK_OK)
		for (size_t i = 0; i < n; i++)
			if (info.host && !strcmp(h[i].id, info.host))
				snprintf(name, sizeof(name), "%s", h[i].name);
	vsdk_vi_host_info_free(h, n);
	vsdk_vi_vm_info_clear(&info);
	free(id);
	return name;
}

/* A cluster host other than `not` (static buffer). */
static const char *other_host(const char *not)
{
	static char name[32];

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "DC0_C0_H%d", i);
		if (strcmp(name, not) != 0)
			return name;
	}
	return "";
}

/* ---- vcenter= ------------------------------------------------------------ */

static void test_vi_migrate__vcenter_explicit_host_port_opens_vpx_session(void)
{
	vsdk_session *s = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=127.0.0.1:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&s, "esx", &esx_managed, p), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vsdk_vi_get_vcenter(s));
	CU_ASSERT_EQUAL(vsdk_session_get_kind(vsdk_vi_get_vcenter(s)), VSDK_SESSION_VPX);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_session_get_product(vsdk_vi_get_vcenter(s)), "vCenter"));
	vsdk_session_close(s);
}

static void test_vi_migrate__vcenter_star_uses_management_server_ip(void)
{
	vsdk_session *s = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=*:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&s, "esx", &esx_managed, p), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(vsdk_vi_get_vcenter(s));
	vsdk_session_close(s);
}

static void test_vi_migrate__vcenter_star_without_management_server_fails(void)
{
	vsdk_session *s = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=*:%s", vpx_port);
	CU_ASSERT_EQUAL(open_with(&s, "esx", &esx_alone, p), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "not managed by a vCenter"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "managementServerIp"));
}

static void test_vi_migrate__vcenter_name_must_match_management_server(void)
{
	vsdk_session *s = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=127.0.0.2:%s", vpx_port);
	CU_ASSERT_EQUAL(open_with(&s, "esx", &esx_managed, p), VSDK_EINVALID);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "managed by the vCenter at 127.0.0.1"));
	CU_ASSERT_EQUAL(open_with(&s, "esx", &esx_managed, "vcenter=127.0.0.1:notaport"), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'vcenter'"));
	CU_ASSERT_EQUAL(open_with(&s, "vpx", &vpx, "vcenter=*"), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "only valid for esx://"));
}

static void test_vi_migrate__vcenter_login_challenge_is_vcenter_host(void)
{
	vsdk_session *s = NULL;
	char p[64];

	/* "localhost" resolves to the managing 127.0.0.1, so the name is accepted. */
	nchallenges = 0;
	snprintf(p, sizeof(p), "vcenter=localhost:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&s, "esx", &esx_managed, p), VSDK_OK);
	CU_ASSERT_EQUAL(nchallenges, 2);
	CU_ASSERT_STRING_EQUAL(challenges[0], "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(challenges[1], "localhost");
	vsdk_session_close(s);
}

static void test_vi_migrate__vcenter_unreachable_is_named(void)
{
	vsdk_session *s = NULL;

	/* Port 1: nothing listens; the error says it was the vCenter. */
	CU_ASSERT_EQUAL(open_with(&s, "esx", &esx_managed, "vcenter=*:1"), VSDK_EIO);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "vcenter=*:1"));
}

/* ---- migration ----------------------------------------------------------- */

static void test_vi_migrate__without_vcenter_is_refused_clearly(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "esx", &esx_managed, ""), VSDK_OK);
	CU_ASSERT_PTR_NULL(vsdk_vi_get_vcenter(s));
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "ha-host_VM0", "DC0_C0_H1", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "migration requires vcenter= in the URI"));
	vsdk_session_close(s);
}

static void test_vi_migrate__vpx_session_migrates_vm_to_named_host(void)
{
	vsdk_session *s = NULL;
	char from[128], to[32];

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "vpx", &vpx, ""), VSDK_OK);
	snprintf(from, sizeof(from), "%s", host_of(s, "DC0_C0_RP0_VM0"));
	CU_ASSERT_FATAL(from[0] != '\0');
	snprintf(to, sizeof(to), "%s", other_host(from));
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "DC0_C0_RP0_VM0", to, NULL), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(host_of(s, "DC0_C0_RP0_VM0"), to);
	vsdk_session_close(s);
}

static void test_vi_migrate__relocate_variant_with_high_priority(void)
{
	vsdk_vi_migrate_options o = VSDK_VI_MIGRATE_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char from[128], to[32];

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "vpx", &vpx, ""), VSDK_OK);
	snprintf(from, sizeof(from), "%s", host_of(s, "DC0_C0_RP0_VM1"));
	snprintf(to, sizeof(to), "%s", other_host(from));
	o.use_relocate = 1;
	o.priority = VSDK_VI_MIGRATE_HIGH;
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "DC0_C0_RP0_VM1", to, &o), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(host_of(s, "DC0_C0_RP0_VM1"), to);
	vsdk_session_close(s);
}

static void test_vi_migrate__unknown_vm_or_host_is_enotfound(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "vpx", &vpx, ""), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "no-such-vm", "DC0_C0_H0", NULL), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "no-such-vm"));
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "DC0_C0_RP0_VM0", "no-such-host", NULL), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "no-such-host"));
	vsdk_session_close(s);
}

static void test_vi_migrate__task_fault_is_typed(void)
{
	vsdk_vi_migrate_options o = VSDK_VI_MIGRATE_OPTIONS_INIT;
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "vpx", &vpx, ""), VSDK_OK);
	/* A pool that does not exist: the server's ManagedObjectNotFound, typed. */
	o.pool = "resgroup-does-not-exist";
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "DC0_C0_RP0_VM2", "DC0_C0_H0", &o), VSDK_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ManagedObjectNotFound");
	vsdk_session_close(s);
}

static void test_vi_migrate__task_wait_times_out(void)
{
	vsdk_vi_migrate_options o = VSDK_VI_MIGRATE_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char from[128], to[32];
	int64_t t0;

	CU_ASSERT_EQUAL_FATAL(open_with(&s, "vpx", &vpx, ""), VSDK_OK);
	snprintf(from, sizeof(from), "%s", host_of(s, "DC0_C0_RP0_VM3"));
	snprintf(to, sizeof(to), "%s", other_host(from));
	CU_ASSERT_EQUAL_FATAL(vsim_control(&vpx, "POST", "/task-delay?ms=-1&vm=DC0_C0_RP0_VM3"), 200);
	o.timeout_ms = 300;
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "DC0_C0_RP0_VM3", to, &o), VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 3000);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "300 ms"));
	vsim_control(&vpx, "POST", "/task-delay?ms=0&vm=DC0_C0_RP0_VM3&reset=1");
	vsdk_session_close(s);
}

static void test_vi_migrate__esx_session_migrates_through_its_vcenter(void)
{
	vsdk_session *s = NULL, *vc;
	vsdk_vi_vm_info info;
	char p[64], *id = NULL, from[128], to[32];

	snprintf(p, sizeof(p), "vcenter=*:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&s, "esx", &esx_managed, p), VSDK_OK);
	vc = vsdk_vi_get_vcenter(s);
	/* The vCenter model does not hold the ESX model's VMs: register the
	 * ESX VM's twin (same name and BIOS UUID) in the vCenter first. */
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_find_vm_by_name(&id, s, "ha-host_VM1"), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_get_info(&info, s, id), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(create_vm(vc, "twin-of-esx-vm", info.uuid), VSDK_OK);
	snprintf(from, sizeof(from), "%s", host_of(vc, "twin-of-esx-vm"));
	snprintf(to, sizeof(to), "%s", other_host(from));
	/* Found by BIOS UUID (the names differ). */
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "ha-host_VM1", to, NULL), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(host_of(vc, "twin-of-esx-vm"), to);
	/* A VM of this host that the vCenter does not know: named in the error. */
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm(s, "ha-host_VM0", to, NULL), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ha-host_VM0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "not in its vCenter"));
	vsdk_vi_vm_info_clear(&info);
	free(id);
	vsdk_session_close(s);
}

static void test_vi_migrate__hosts_in_different_vcenters_refused(void)
{
	vsdk_session *a = NULL, *b = NULL, *plain = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=*:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&a, "esx", &esx_managed, p), VSDK_OK);
	snprintf(p, sizeof(p), "vcenter=*:%s", vpx2_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&b, "esx", &esx_managed, p), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm_to(a, "ha-host_VM1", b, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "different vCenters"));
	CU_ASSERT_EQUAL_FATAL(open_with(&plain, "esx", &esx_alone, ""), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm_to(a, "ha-host_VM1", plain, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "migration requires vcenter="));
	vsdk_session_close(a);
	vsdk_session_close(b);
	vsdk_session_close(plain);
}

static void test_vi_migrate__destination_host_unknown_to_vcenter(void)
{
	vsdk_session *a = NULL, *b = NULL;
	char p[64];

	snprintf(p, sizeof(p), "vcenter=*:%s", vpx_port);
	CU_ASSERT_EQUAL_FATAL(open_with(&a, "esx", &esx_managed, p), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(open_with(&b, "esx", &esx_managed, p), VSDK_OK);
	/* Same vCenter, but the model's vCenter does not list the ESX model's host. */
	CU_ASSERT_EQUAL(vsdk_vi_migrate_vm_to(a, "ha-host_VM1", b, NULL), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "no host in vCenter"));
	vsdk_session_close(a);
	vsdk_session_close(b);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_migrate__vcenter_explicit_host_port_opens_vpx_session),
		VTEST_CASE(test_vi_migrate__vcenter_star_uses_management_server_ip),
		VTEST_CASE(test_vi_migrate__vcenter_star_without_management_server_fails),
		VTEST_CASE(test_vi_migrate__vcenter_name_must_match_management_server),
		VTEST_CASE(test_vi_migrate__vcenter_login_challenge_is_vcenter_host),
		VTEST_CASE(test_vi_migrate__vcenter_unreachable_is_named),
		VTEST_CASE(test_vi_migrate__without_vcenter_is_refused_clearly),
		VTEST_CASE(test_vi_migrate__vpx_session_migrates_vm_to_named_host),
		VTEST_CASE(test_vi_migrate__relocate_variant_with_high_priority),
		VTEST_CASE(test_vi_migrate__unknown_vm_or_host_is_enotfound),
		VTEST_CASE(test_vi_migrate__task_fault_is_typed),
		VTEST_CASE(test_vi_migrate__task_wait_times_out),
		VTEST_CASE(test_vi_migrate__esx_session_migrates_through_its_vcenter),
		VTEST_CASE(test_vi_migrate__hosts_in_different_vcenters_refused),
		VTEST_CASE(test_vi_migrate__destination_host_unknown_to_vcenter),
		VTEST_END
	};
	return vtest_main("vi_migrate", cases, suite_init, suite_fini);
}
