/*
 * Defining VMs from domain XML and VMX against the vSphere simulator harness
 * (upload, RegisterVM_Task, cleanup on failure) and dumping them back.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_vm.h"
#include "vsdk/vmx.h"
#include "vi_vm_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vsim_vc esx, vpx, esx_tls;
static char *domain_xml, *tmp;

static int suite_init(void)
{
	domain_xml = vtest_read_file("tests/fixtures/vi/define-domain.xml", NULL);
	if (!domain_xml)
		return 1;
	char cert[600], key[600];

	if (!vsim_vc_start(&esx, "--model", "esx", "--vms", "2", NULL))
		return 1;
	if (!(tmp = vtest_tmpdir()) || !vsim_make_certs(tmp))
		return 1;
	snprintf(cert, sizeof(cert), "%s/cert.pem", tmp);
	snprintf(key, sizeof(key), "%s/key.pem", tmp);
	if (!vsim_vc_start(&esx_tls, "--model", "esx", "--vms", "1", "--tls-cert", cert, "--tls-key", key, NULL))
		return 1;
	return vsim_vc_start(&vpx, "--model", "vpx", "--vms", "2", NULL) ? 0 : 1;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	vsim_vc_stop(&vpx);
	vsim_vc_stop(&esx_tls);
	if (tmp)
		vtest_rmtree(tmp);
	free(tmp);
	free(domain_xml);
	return 0;
}

static vsdk_session *open_vc(const vsim_vc *vc, const char *scheme)
{
	vsdk_session *s = NULL;
	char uri[256];

	snprintf(uri, sizeof(uri), "%s://root@%s/?transport=http", scheme, vc->hostport);
	setenv("VSDK_PASSWORD", "secret", 1);
	if (vsdk_session_open(&s, uri, NULL) != VSDK_OK)
		fprintf(stderr, "open %s: %s\n", uri, vsdk_error_last()->message);
	return s;
}

/* HTTP status of GET /folder/<path> on the harness's datastore. */
static int ds_status(const vsim_vc *vc, const char *dc, const char *path)
{
	char url[512], *body = NULL;
	int st;

	snprintf(url, sizeof(url), "http://%s/folder/%s?dcPath=%s&dsName=LocalDS_0", vc->hostport, path, dc);
	st = vsim_http(url, "GET", NULL, &body);
	free(body);
	return st;
}

static const char *control_get(const vsim_vc *vc, const char *path, const char *field)
{
	static char val[512];
	char url[512], key[64], *body = NULL;
	const char *p;
	size_t n = 0;

	val[0] = '\0';
	snprintf(url, sizeof(url), "%s%s", vc->control, path);
	if (vsim_http(url, "GET", NULL, &body) != 200 || !body) {
		free(body);
		return val;
	}
	snprintf(key, sizeof(key), "\"%s\":\"", field);
	if ((p = strstr(body, key))) {
		p += strlen(key);
		while (p[n] && p[n] != '"' && n + 1 < sizeof(val))
			n++;
		memcpy(val, p, n);
		val[n] = '\0';
	}
	free(body);
	return val;
}

struct one {
	const char *id;
	const char *path;
	char *val;
};

static int one_cb(void *payload, const vsdk_vi_object *o)
{
	struct one *w = payload;
	const char *v;

	if (strcmp(vsdk_vi_object_id(o), w->id) != 0)
		return 0;
	v = vsdk_vi_object_get(o, w->path);
	w->val = strdup(v ? v : "");
	return 1;
}

static char *vm_prop(vsdk_session *s, const char *vm, const char *path)
{
	struct one w = { vm, path, NULL };
	const char *paths[1] = { path };

	vsdk_vi_retrieve(s, "VirtualMachine", paths, 1, 0, one_cb, &w);
	return w.val ? w.val : strdup("");
}

/* The fixture with another name and disk directory. */
static char *variant(const char *name, const char *dir)
{
	char *x = NULL, *a = NULL, *b = NULL;

	a = strdup(domain_xml);
	if (!a)
		return NULL;
	/* name and directory appear as vsdk-define-1 and vsdk-define/ */
	{
		vsdk_buf bb = VSDK_BUF_INIT;
		const char *p = a, *q;

		while ((q = strstr(p, "vsdk-define"))) {
			vsdk__buf_append(&bb, p, (size_t)(q - p));
			if (strncmp(q, "vsdk-define-1", 13) == 0) {
				vsdk__buf_puts(&bb, name);
				p = q + 13;
			} else {
				vsdk__buf_puts(&bb, dir);
				p = q + 11;
			}
		}
		vsdk__buf_puts(&bb, p);
		b = vsdk__buf_detach(&bb);
	}
	free(a);
	x = b;
	return x;
}

static void test_vi_define__domain_xml_registers_vm_with_its_config(void)
{
	vsdk_session *s = open_vc(&esx, "esx");
	char *vm = NULL, *v, *vmx = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_define_xml(&vm, s, domain_xml, NULL), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_STRING_EQUAL(control_get(&esx, "/vm?vm=vsdk-define-1", "moref"), vm);
	CU_ASSERT_STRING_EQUAL(control_get(&esx, "/vm?vm=vsdk-define-1", "vmPathName"),
			       "[LocalDS_0] vsdk-define/vsdk-define-1.vmx");
	v = vm_prop(s, vm, "name");
	CU_ASSERT_STRING_EQUAL(v, "vsdk-define-1");
	free(v);
	v = vm_prop(s, vm, "config.hardware.memoryMB");
	CU_ASSERT_STRING_EQUAL(v, "1024");
	free(v);
	v = vm_prop(s, vm, "config.hardware.numCPU");
	CU_ASSERT_STRING_EQUAL(v, "2");
	free(v);
	/* the .vmx is on the datastore and downloadable */
	CU_ASSERT_EQUAL(ds_status(&esx, "ha-datacenter", "vsdk-define/vsdk-define-1.vmx"), 200);
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_vmx(&vmx, s, vm), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
	CU_ASSERT_PTR_NOT_NULL(strstr(vmx, "displayName = \"vsdk-define-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(vmx, "memsize = \"1024\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(vmx, "numvcpus = \"2\""));
	/* the simulator says 6.5: the newest hardware for 6.5 is 13 */
	CU_ASSERT_PTR_NOT_NULL(strstr(vmx, "virtualHW.version = \"13\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(vmx, "scsi0:0.fileName = \"/vmfs/volumes/LocalDS_0/vsdk-define/vsdk-define-1.vmdk\""));
	free(vmx);

	/* the same again: the existing .vmx is not overwritten */
	free(vm);
	vm = NULL;
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, domain_xml, NULL), VSDK_EEXISTS);
	CU_ASSERT_PTR_NULL(vm);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "already exists"));
	vsdk_session_close(s);
}

static void test_vi_define__dump_xml_round_trips(void)
{
	vsdk_session *s = open_vc(&esx, "esx");
	char *x = variant("vsdk-roundtrip", "rt-dir"), *vm = NULL, *dump = NULL;
	vsdk_vm_config *a = NULL, *b = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_define_xml(&vm, s, x, NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_get_xml(&dump, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_xml(&a, x), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_xml(&b, dump), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(b->name, "vsdk-roundtrip");
	CU_ASSERT_STRING_EQUAL(a->name, b->name);
	CU_ASSERT(b->has_uuid && memcmp(a->uuid, b->uuid, 16) == 0);
	CU_ASSERT_EQUAL(b->memory_kib, 1048576);
	CU_ASSERT_EQUAL(b->vcpus, 2);
	CU_ASSERT_EQUAL_FATAL(b->n_disks, 1);
	CU_ASSERT_STRING_EQUAL(b->disks[0].source, "[LocalDS_0] rt-dir/vsdk-roundtrip.vmdk");
	CU_ASSERT_EQUAL_FATAL(b->n_nics, 1);
	CU_ASSERT_STRING_EQUAL(b->nics[0].mac, "00:50:56:25:48:c7");
	CU_ASSERT_STRING_EQUAL(b->nics[0].network, "VM Network");
	CU_ASSERT_EQUAL(b->nics[0].model, VSDK_VM_NIC_E1000);
	CU_ASSERT_EQUAL(b->virtual_hw_version, 13);
	vsdk_vm_config_free(a);
	vsdk_vm_config_free(b);
	free(dump);
	/* unknown VM */
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_xml(&dump, s, "vm-no-such"), VSDK_ENOTFOUND);
	free(vm);
	free(x);
	vsdk_session_close(s);
}

static void test_vi_define__failed_registration_leaves_no_file(void)
{
	vsdk_session *s = open_vc(&esx, "esx");
	vsdk_vi_define_options o = VSDK_VI_DEFINE_OPTIONS_INIT;
	char *x = variant("vsdk-fails", "fail-dir"), *vm = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* the registration call itself fails (unknown pool) */
	o.resource_pool = "resgroup-no-such";
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, x, &o), VSDK_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ManagedObjectNotFound");
	CU_ASSERT_PTR_NULL(vm);
	CU_ASSERT_EQUAL(ds_status(&esx, "ha-datacenter", "fail-dir/vsdk-fails.vmx"), 404);
	CU_ASSERT_EQUAL(ds_status(&esx, "ha-datacenter", "fail-dir"), 404); /* the directory we made is gone too */
	free(x);

	/* the registration task does not finish in time: it is cancelled and
	 * the upload removed */
	x = variant("vsdk-slow", "slow-dir");
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", "/task-delay?ms=-1"), 200);
	o.resource_pool = NULL;
	o.timeout_ms = 1000;
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, x, &o), VSDK_ETIMEOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "RegisterVM_Task"));
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", "/task-delay?ms=0"), 200);
	CU_ASSERT_PTR_NULL(vm);
	CU_ASSERT_EQUAL(ds_status(&esx, "ha-datacenter", "slow-dir/vsdk-slow.vmx"), 404);
	CU_ASSERT_EQUAL(ds_status(&esx, "ha-datacenter", "slow-dir"), 404);
	CU_ASSERT_STRING_EQUAL(control_get(&esx, "/vm?vm=vsdk-slow", "moref"), "");
	free(x);
	vsdk_session_close(s);
}

static void test_vi_define__vmx_on_vcenter(void)
{
	vsdk_session *s = open_vc(&vpx, "vpx");
	const char *vmx = "displayName = \"vsdk-from-vmx\"\nmemsize = \"512\"\nnumvcpus = \"1\"\nguestOS = \"other-64\"\n"
			  "virtualHW.version = \"10\"\n";
	char *vm = NULL, *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_vmx(&vm, s, "memsize = \"512\"\n", "[LocalDS_0] x/y.vmx", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "displayName"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_vmx(&vm, s, vmx, "LocalDS_0/x.vmx", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ds_path"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_vmx(&vm, s, vmx, "[NoSuchDS] x/x.vmx", NULL), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "NoSuchDS"));
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_define_vmx(&vm, s, vmx, "[LocalDS_0] vmx-dir/vsdk-from-vmx.vmx", NULL), VSDK_OK);
	v = vm_prop(s, vm, "config.hardware.memoryMB");
	CU_ASSERT_STRING_EQUAL(v, "512");
	free(v);
	CU_ASSERT_EQUAL(ds_status(&vpx, "DC0", "vmx-dir/vsdk-from-vmx.vmx"), 200);
	CU_ASSERT_STRING_EQUAL(control_get(&vpx, "/vm?vm=vsdk-from-vmx", "moref"), vm);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_define__bad_domains_are_refused_before_upload(void)
{
	vsdk_session *s = open_vc(&esx, "esx");
	vsdk_vi_define_options o = VSDK_VI_DEFINE_OPTIONS_INIT;
	char *vm = NULL;
	const char *nodisk = "<domain type='vmware'><name>nodisk</name><memory>1048576</memory><vcpu>1</vcpu>"
			     "<os><type arch='x86_64'>hvm</type></os><devices/></domain>";

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, nodisk, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "[datastore]"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, "<domain", NULL), VSDK_EPARSE);
	o.virtual_hw_version = 2;
	CU_ASSERT_EQUAL(vsdk_vi_vm_define_xml(&vm, s, domain_xml, &o), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "virtual_hw_version"));
	CU_ASSERT_PTR_NULL(vm);
	vsdk_session_close(s);
}

static void test_vi_define__https_define_and_dump_share_the_connection(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char uri[256], ca[600], *vm = NULL, *dump = NULL;
	unsigned long conns;

	snprintf(ca, sizeof(ca), "%s/ca.pem", tmp);
	snprintf(uri, sizeof(uri), "esx://root@%s/", esx_tls.hostport);
	o.ca_file = ca;
	setenv("VSDK_PASSWORD", "secret", 1);
	CU_ASSERT_EQUAL_FATAL(vsdk_session_open(&s, uri, &o), VSDK_OK);
	conns = vsdk_session_get_connection_count(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_define_xml(&vm, s, domain_xml, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_xml(&dump, s, vm), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(dump && strstr(dump, "<name>vsdk-define-1</name>"));
	/* SOAP calls and file transfers share the kept-alive TLS connection;
	 * only the 404 of the existence check costs a new one (gSOAP drops a
	 * connection after an HTTP error status) */
	CU_ASSERT(vsdk_session_get_connection_count(s) <= conns + 1);
	free(dump);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_define__hw_version_follows_product_version(void)
{
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("embeddedEsx", "3.5"), 4);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("esx", "4.1"), 7);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("embeddedEsx", "5.0"), 8);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("embeddedEsx", "5.1"), 9);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("embeddedEsx", "5.5"), 10);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "6.0"), 11);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "6.5"), 13);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "6.7.3"), 14);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "7.0.0.0"), 17);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "7.0.1.0"), 18);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "7.0.3.0"), 19);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "8.0.3.0"), 21);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("gsx", "2.0"), 7);
	CU_ASSERT_EQUAL(vsdk__vi_default_hw_version("vpx", "garbage"), 4);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_define__domain_xml_registers_vm_with_its_config),
		VTEST_CASE(test_vi_define__dump_xml_round_trips),
		VTEST_CASE(test_vi_define__failed_registration_leaves_no_file),
		VTEST_CASE(test_vi_define__vmx_on_vcenter),
		VTEST_CASE(test_vi_define__bad_domains_are_refused_before_upload),
		VTEST_CASE(test_vi_define__https_define_and_dump_share_the_connection),
		VTEST_CASE(test_vi_define__hw_version_follows_product_version),
		VTEST_END
	};
	return vtest_main("vi_define", cases, suite_init, suite_fini);
}
