/*
 * VI virtual machine operations against the vSphere simulator harness:
 * guest operations and VMware Tools, scheduler parameters, reconfiguration,
 * devices, snapshots, undefine and destroy.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vsim_vc esx;

static int suite_init(void)
{
	return vsim_vc_start(&esx, "--model", "esx", "--vms", "10", NULL) ? 0 : 1;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	return 0;
}

static vsdk_session *open_esx(void)
{
	vsdk_session *s = NULL;
	char uri[256];

	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http", esx.hostport);
	setenv("VSDK_PASSWORD", "secret", 1);
	if (vsdk_session_open(&s, uri, NULL) != VSDK_OK)
		fprintf(stderr, "open %s: %s\n", uri, vsdk_error_last()->message);
	return s;
}

static const char *control_get(const char *path, const char *field)
{
	static char val[512];
	char url[512], key[64], *body = NULL;
	const char *p;
	size_t n = 0;

	val[0] = '\0';
	snprintf(url, sizeof(url), "%s%s", esx.control, path);
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

static char *vm_id(int i)
{
	char path[128];

	snprintf(path, sizeof(path), "/vm?vm=ha-host_VM%d", i);
	return strdup(control_get(path, "moref"));
}

static const char *vm_field(const char *vm, const char *field)
{
	char path[256];

	snprintf(path, sizeof(path), "/vm?vm=%s", vm);
	return control_get(path, field);
}

/* One property of one VM as text, through the library's retrieve. */
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

/* ---- guest operations ------------------------------------------------------------ */

static void test_vi_vm__guest_shutdown_needs_tools(void)
{
	vsdk_session *s = open_esx();
	char *vm = vm_id(0), q[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(q, sizeof(q), "/tools?vm=%s&running=0", vm);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", q), 200);
	CU_ASSERT_EQUAL(vsdk_vi_vm_shutdown_guest(s, vm), VSDK_ETOOLS);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ToolsUnavailable");
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "requires VMware Tools"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_reboot_guest(s, vm), VSDK_ETOOLS);
	CU_ASSERT_EQUAL(vsdk_vi_vm_standby_guest(s, vm), VSDK_ETOOLS);
	CU_ASSERT_STRING_EQUAL(vm_field(vm, "powerState"), "poweredOn");

	snprintf(q, sizeof(q), "/tools?vm=%s&running=1", vm);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", q), 200);
	CU_ASSERT_EQUAL(vsdk_vi_vm_reboot_guest(s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_standby_guest(s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_shutdown_guest(s, vm), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vm_field(vm, "powerState"), "poweredOff");
	/* off now: a guest operation is a state error, named */
	CU_ASSERT_EQUAL(vsdk_vi_vm_reboot_guest(s, vm), VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidPowerState");
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "poweredOff"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_shutdown_guest(s, "vm-no-such"), VSDK_ENOTFOUND);
	free(vm);
	vsdk_session_close(s);
}

/* ---- scheduler ------------------------------------------------------------------- */

static void test_vi_vm__cpu_sched_validation_names_the_parameter(void)
{
	vsdk_session *s = open_esx();
	char *vm = vm_id(1);
	vsdk_vi_cpu_sched p = { 0, 0, 0 }, before, after;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_get_cpu_sched(&before, s, vm), VSDK_OK);
	p.reservation = -5;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_RESERVATION, 5000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "reservation"));
	p.reservation = 500;
	p.limit = 100;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_RESERVATION | VSDK_VI_SCHED_LIMIT, 5000),
			VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "limit"));
	p.limit = -7;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_LIMIT, 5000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "limit"));
	p.shares = -4;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_SHARES, 5000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "shares"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, 0, 5000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "fields"));
	/* nothing was sent */
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_cpu_sched(&after, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(after.reservation, before.reservation);
	CU_ASSERT_EQUAL(after.limit, before.limit);
	CU_ASSERT_EQUAL(after.shares, before.shares);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_vm__cpu_sched_set_get_round_trip(void)
{
	vsdk_session *s = open_esx();
	char *vm = vm_id(1);
	vsdk_vi_cpu_sched p = { 250, 2000, 1500 }, got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p,
						 VSDK_VI_SCHED_RESERVATION | VSDK_VI_SCHED_LIMIT | VSDK_VI_SCHED_SHARES,
						 10000),
			VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_cpu_sched(&got, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(got.reservation, 250);
	CU_ASSERT_EQUAL(got.limit, 2000);
	CU_ASSERT_EQUAL(got.shares, 1500);
	/* the predefined level and unlimited */
	p.shares = VSDK_VI_SHARES_HIGH;
	p.limit = VSDK_VI_LIMIT_UNLIMITED;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_SHARES | VSDK_VI_SCHED_LIMIT, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_get_cpu_sched(&got, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(got.shares, VSDK_VI_SHARES_HIGH);
	CU_ASSERT_EQUAL(got.limit, VSDK_VI_LIMIT_UNLIMITED);
	CU_ASSERT_EQUAL(got.reservation, 250);
	/* a limit below the current reservation is refused without a reservation given */
	p.limit = 100;
	CU_ASSERT_EQUAL(vsdk_vi_vm_set_cpu_sched(s, vm, &p, VSDK_VI_SCHED_LIMIT, 10000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "250"));
	free(vm);
	vsdk_session_close(s);
}

/* ---- reconfigure ------------------------------------------------------------------ */

static size_t count_type(const vsdk_vi_device *d, size_t n, const char *type, int *key)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].type, type) == 0) {
			c++;
			if (key)
				*key = d[i].key;
		}
	return c;
}

static void test_vi_vm__reconfigure_memory_cpus_and_nic(void)
{
	vsdk_session *s = open_esx();
	char *vm = vm_id(2), *v;
	vsdk_vi_vm_change c;
	vsdk_vi_device *d = NULL;
	size_t n = 0, e1000_before;
	int key = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	memset(&c, 0, sizeof(c));
	c.memory_mb = 2048;
	c.num_cpus = 4;
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_OK);
	v = vm_prop(s, vm, "config.hardware.memoryMB");
	CU_ASSERT_STRING_EQUAL(v, "2048");
	free(v);
	v = vm_prop(s, vm, "config.hardware.numCPU");
	CU_ASSERT_STRING_EQUAL(v, "4");
	free(v);

	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_list_devices(&d, &n, s, vm), VSDK_OK);
	e1000_before = count_type(d, n, "VirtualE1000", NULL);
	vsdk_vi_device_list_free(d, n);
	memset(&c, 0, sizeof(c));
	c.add_nic_network = "VM Network";
	c.add_nic_mac = "00:50:56:01:02:03";
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_list_devices(&d, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(count_type(d, n, "VirtualE1000", &key), e1000_before + 1);
	vsdk_vi_device_list_free(d, n);

	memset(&c, 0, sizeof(c));
	c.remove_device_key = key;
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_list_devices(&d, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(count_type(d, n, "VirtualE1000", NULL), e1000_before);
	vsdk_vi_device_list_free(d, n);

	/* a key that is not there, and bad values, are named */
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "key"));
	memset(&c, 0, sizeof(c));
	c.memory_mb = 1001;
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "memory_mb"));
	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_EINVALID);
	c.add_nic_network = "VM Network";
	c.add_nic_mac = "00:50:56:zz:02:03";
	CU_ASSERT_EQUAL(vsdk_vi_vm_reconfigure(s, vm, &c, 10000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "add_nic_mac"));
	free(vm);
	vsdk_session_close(s);
}

/* ---- snapshots ---------------------------------------------------------------------- */

static const vsdk_vi_snapshot *find_snap(const vsdk_vi_snapshot *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const vsdk_vi_snapshot *f;

		if (strcmp(v[i].name, name) == 0)
			return &v[i];
		if ((f = find_snap(v[i].children, v[i].n_children, name)))
			return f;
	}
	return NULL;
}

static void test_vi_vm__snapshots_create_list_revert_remove(void)
{
	vsdk_session *s = open_esx();
	char *vm = vm_id(3), *s1 = NULL, *s2 = NULL;
	vsdk_vi_snapshot *roots = NULL;
	const vsdk_vi_snapshot *a, *b;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_list(&roots, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_create(&s1, s, vm, "before-upgrade", "first one", false, false, 10000), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_create(&s2, s, vm, "after-upgrade", NULL, false, false, 10000), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);

	CU_ASSERT_EQUAL_FATAL(vsdk_vi_snapshot_list(&roots, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(roots[0].name, "before-upgrade");
	CU_ASSERT_STRING_EQUAL(roots[0].description, "first one");
	CU_ASSERT_STRING_EQUAL(roots[0].id, s1);
	CU_ASSERT(roots[0].powered_on);
	CU_ASSERT(!roots[0].current);
	CU_ASSERT_EQUAL_FATAL(roots[0].n_children, 1);
	b = &roots[0].children[0];
	CU_ASSERT_STRING_EQUAL(b->name, "after-upgrade");
	CU_ASSERT_STRING_EQUAL(b->id, s2);
	CU_ASSERT(b->current);
	CU_ASSERT(!b->powered_on);
	CU_ASSERT(b->create_time >= roots[0].create_time && b->create_time > 1000000000);
	vsdk_vi_snapshot_list_free(roots, n);

	/* revert to the first: it becomes current and the VM is on again */
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_revert(s, vm, s1, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_snapshot_list(&roots, &n, s, vm), VSDK_OK);
	a = find_snap(roots, n, "before-upgrade");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT(a->current);
	vsdk_vi_snapshot_list_free(roots, n);

	/* remove the second, then the first */
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_remove(s, vm, s2, false, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_snapshot_list(&roots, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_PTR_NULL(find_snap(roots, n, "after-upgrade"));
	vsdk_vi_snapshot_list_free(roots, n);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_remove(s, vm, s1, true, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_list(&roots, &n, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NULL(roots);

	/* gone: unknown snapshot */
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_revert(s, vm, s1, 10000), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_vi_snapshot_create(NULL, s, vm, "", NULL, false, false, 10000), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "name"));
	free(s1);
	free(s2);
	free(vm);
	vsdk_session_close(s);
}

/* ---- undefine, destroy ----------------------------------------------------------------- */

static void test_vi_vm__undefine_and_destroy(void)
{
	vsdk_session *s = open_esx();
	char *vm4 = vm_id(4), *vm5 = vm_id(5);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* powered on: refused by the server */
	CU_ASSERT_EQUAL(vsdk_vi_vm_undefine(s, vm4), VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidPowerState");
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm4, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_undefine(s, vm4), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vm_field("ha-host_VM4", "moref"), "");
	CU_ASSERT_EQUAL(vsdk_vi_vm_undefine(s, vm4), VSDK_ENOTFOUND);

	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm5, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_destroy(s, vm5, 10000), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vm_field("ha-host_VM5", "moref"), "");
	CU_ASSERT_EQUAL(vsdk_vi_vm_destroy(s, vm5, 10000), VSDK_ENOTFOUND);
	free(vm4);
	free(vm5);
	vsdk_session_close(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_vm__guest_shutdown_needs_tools),
		VTEST_CASE(test_vi_vm__cpu_sched_validation_names_the_parameter),
		VTEST_CASE(test_vi_vm__cpu_sched_set_get_round_trip),
		VTEST_CASE(test_vi_vm__reconfigure_memory_cpus_and_nic),
		VTEST_CASE(test_vi_vm__snapshots_create_list_revert_remove),
		VTEST_CASE(test_vi_vm__undefine_and_destroy),
		VTEST_END
	};
	return vtest_main("vi_vm", cases, suite_init, suite_fini);
}
