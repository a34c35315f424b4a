/*
 * vsdk - VI virtual machine operations: power, guest operations through
 * VMware Tools, undefine/destroy, snapshots, CPU scheduler parameters.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_vm_private.h"
#include "vsdk/vi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vsdk__vm_check(vsdk_session *s, const char *vm, const char *fn)
{
	if (!vsdk__session_is_vi(s, fn))
		return VSDK_EINVALID;
	if (!vm || !*vm)
		return vsdk__error_set(VSDK_EINVALID, "%s: vm is %s (give the VM's managed object id, e.g. \"vm-42\")",
				       fn, vm ? "empty" : "NULL");
	return VSDK_OK;
}

int vsdk__vm_wait(vsdk_session *s, vsdk_task *t, int timeout_ms, char **result)
{
	int rc = vsdk_task_wait(s, t, timeout_ms, NULL, NULL, result);

	vsdk_task_free(t);
	return rc;
}

/* ---- power ---------------------------------------------------------------- */

enum power_op { POWER_ON, POWER_OFF, SUSPEND, RESET };

static const char *const power_names[] = { "PowerOnVM_Task", "PowerOffVM_Task", "SuspendVM_Task", "ResetVM_Task" };

static int power_start(vsdk_task **out, vsdk_session *s, const char *vm, enum power_op op, const char *fn)
{
	struct vim25__ManagedObjectReference *ret = NULL;
	char what[256];
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "%s: task is NULL", fn);
	*out = NULL;
	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	snprintf(what, sizeof(what), "%s on %s", power_names[op], vm);
	vsdk__vi_reset(s);
	switch (op) {
	case POWER_ON: {
		struct vim25__PowerOnVMRequestType req;
		struct _vim25__PowerOnVM_USCORETaskResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__PowerOnVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
		break;
	}
	case POWER_OFF: {
		struct vim25__PowerOffVMRequestType req;
		struct _vim25__PowerOffVM_USCORETaskResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__PowerOffVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
		break;
	}
	case SUSPEND: {
		struct vim25__SuspendVMRequestType req;
		struct _vim25__SuspendVM_USCORETaskResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__SuspendVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
		break;
	}
	case RESET: {
		struct vim25__ResetVMRequestType req;
		struct _vim25__ResetVM_USCORETaskResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__ResetVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
		break;
	}
	}
	if (rc)
		return rc;
	rc = vsdk__task_from_mor(out, ret, vm, power_names[op]);
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_vm_power_on_start(vsdk_task **task, vsdk_session *s, const char *vm)
{
	return power_start(task, s, vm, POWER_ON, "vsdk_vi_vm_power_on_start");
}

VSDK_API int vsdk_vi_vm_power_off_start(vsdk_task **task, vsdk_session *s, const char *vm)
{
	return power_start(task, s, vm, POWER_OFF, "vsdk_vi_vm_power_off_start");
}

VSDK_API int vsdk_vi_vm_suspend_start(vsdk_task **task, vsdk_session *s, const char *vm)
{
	return power_start(task, s, vm, SUSPEND, "vsdk_vi_vm_suspend_start");
}

VSDK_API int vsdk_vi_vm_reset_start(vsdk_task **task, vsdk_session *s, const char *vm)
{
	return power_start(task, s, vm, RESET, "vsdk_vi_vm_reset_start");
}

static int power_wait(vsdk_session *s, const char *vm, enum power_op op, int timeout_ms, const char *fn)
{
	vsdk_task *t = NULL;
	int rc = power_start(&t, s, vm, op, fn);

	return rc ? rc : vsdk__vm_wait(s, t, timeout_ms, NULL);
}

VSDK_API int vsdk_vi_vm_power_on(vsdk_session *s, const char *vm, int timeout_ms)
{
	return power_wait(s, vm, POWER_ON, timeout_ms, "vsdk_vi_vm_power_on");
}

VSDK_API int vsdk_vi_vm_power_off(vsdk_session *s, const char *vm, int timeout_ms)
{
	return power_wait(s, vm, POWER_OFF, timeout_ms, "vsdk_vi_vm_power_off");
}

VSDK_API int vsdk_vi_vm_suspend(vsdk_session *s, const char *vm, int timeout_ms)
{
	return power_wait(s, vm, SUSPEND, timeout_ms, "vsdk_vi_vm_suspend");
}

VSDK_API int vsdk_vi_vm_reset(vsdk_session *s, const char *vm, int timeout_ms)
{
	return power_wait(s, vm, RESET, timeout_ms, "vsdk_vi_vm_reset");
}

/* ---- reading properties of one object -------------------------------------- */

int vsdk__vi_get_props(vsdk_session *s, const char *type, const char *id, char **paths, int npaths,
		       struct vim25__ObjectContent **out)
{
	struct vim25__RetrievePropertiesExRequestType req;
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__PropertyFilterSpec spec;
	struct vim25__PropertySpec ps;
	struct vim25__ObjectSpec os;
	struct vim25__RetrieveOptions opts;
	char what[256];
	int rc;

	*out = NULL;
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&spec, 0, sizeof(spec));
	memset(&ps, 0, sizeof(ps));
	memset(&os, 0, sizeof(os));
	memset(&opts, 0, sizeof(opts));
	os.obj = vsdk__vi_mor(s, type, id);
	ps.type = (char *)type;
	ps.__sizepathSet = npaths;
	ps.pathSet = paths;
	spec.__sizepropSet = 1;
	spec.propSet = &ps;
	spec.__sizeobjectSet = 1;
	spec.objectSet = &os;
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->property_collector);
	req.__sizespecSet = 1;
	req.specSet = &spec;
	req.options = &opts;
	snprintf(what, sizeof(what), "reading %s %s", type, id);
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__RetrievePropertiesEx(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || resp.returnval->__sizeobjects < 1) {
		rc = vsdk__error_set(VSDK_ENOTFOUND, "%s: no such %s", what, type);
		snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "ManagedObjectNotFound");
		return rc;
	}
	*out = &resp.returnval->objects[0];
	return VSDK_OK;
}

const struct soap_dom_element *vsdk__vi_prop(const struct vim25__ObjectContent *oc, const char *path)
{
	for (int i = 0; oc && i < oc->__sizepropSet; i++)
		if (oc->propSet[i].name && strcmp(oc->propSet[i].name, path) == 0)
			return oc->propSet[i].val.node ? &oc->propSet[i].val : NULL;
	return NULL;
}

/* The most-derived struct of a property value of (base) type id, or NULL. */
static const void *prop_struct(const struct vim25__ObjectContent *oc, const char *path, int type)
{
	const struct soap_dom_element *v = vsdk__vi_prop(oc, path);
	int id;

	if (!v || !vsdk__vim_is_a(v->type, type))
		return NULL;
	return vsdk__vim_most_derived((void *)v->node, v->type, &id);
}

/* ---- guest operations (VMware Tools) ---------------------------------------- */

enum guest_op { GUEST_SHUTDOWN, GUEST_REBOOT, GUEST_STANDBY };

static const char *const guest_names[] = { "ShutdownGuest", "RebootGuest", "StandbyGuest" };

static int guest_op(vsdk_session *s, const char *vm, enum guest_op op, const char *fn)
{
	static char *paths[] = { "runtime.powerState", "guest.toolsRunningStatus", "name" };
	struct vim25__ObjectContent *oc;
	const char *power, *tools, *name;
	char what[256];
	int rc;

	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, paths, 3, &oc)))
		return rc;
	power = vsdk__vi_value_text(s, vsdk__vi_prop(oc, "runtime.powerState"));
	tools = vsdk__vi_value_text(s, vsdk__vi_prop(oc, "guest.toolsRunningStatus"));
	name = vsdk__vi_value_text(s, vsdk__vi_prop(oc, "name"));
	if (!name)
		name = vm;
	if (power && strcmp(power, "poweredOn") != 0) {
		rc = vsdk__error_set(VSDK_ESTATE, "%s: virtual machine '%s' is %s; %s needs it powered on", fn, name,
				     power, guest_names[op]);
		snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "InvalidPowerState");
		return rc;
	}
	if (!tools || strcmp(tools, "guestToolsRunning") != 0) {
		rc = vsdk__error_set(VSDK_ETOOLS,
				     "%s: %s requires VMware Tools running in the guest of '%s' (toolsRunningStatus is %s)",
				     fn, guest_names[op], name, tools ? tools : "unknown");
		snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "ToolsUnavailable");
		return rc;
	}
	snprintf(what, sizeof(what), "%s on '%s'", guest_names[op], name);
	vsdk__vi_reset(s);
	switch (op) {
	case GUEST_SHUTDOWN: {
		struct vim25__ShutdownGuestRequestType req;
		struct _vim25__ShutdownGuestResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__ShutdownGuest(s->soap, s->endpoint, NULL, &req, &resp));
		break;
	}
	case GUEST_REBOOT: {
		struct vim25__RebootGuestRequestType req;
		struct _vim25__RebootGuestResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__RebootGuest(s->soap, s->endpoint, NULL, &req, &resp));
		break;
	}
	case GUEST_STANDBY: {
		struct vim25__StandbyGuestRequestType req;
		struct _vim25__StandbyGuestResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
		VSDK_VI_CALL(rc, s, what, soap_call___vim25__StandbyGuest(s->soap, s->endpoint, NULL, &req, &resp));
		break;
	}
	}
	if (rc == VSDK_ETOOLS)
		vsdk__error_prefix("%s requires VMware Tools running in the guest", guest_names[op]);
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_vm_shutdown_guest(vsdk_session *s, const char *vm)
{
	return guest_op(s, vm, GUEST_SHUTDOWN, "vsdk_vi_vm_shutdown_guest");
}

VSDK_API int vsdk_vi_vm_reboot_guest(vsdk_session *s, const char *vm)
{
	return guest_op(s, vm, GUEST_REBOOT, "vsdk_vi_vm_reboot_guest");
}

VSDK_API int vsdk_vi_vm_standby_guest(vsdk_session *s, const char *vm)
{
	return guest_op(s, vm, GUEST_STANDBY, "vsdk_vi_vm_standby_guest");
}

/* ---- undefine, destroy ------------------------------------------------------- */

VSDK_API int vsdk_vi_vm_undefine(vsdk_session *s, const char *vm)
{
	struct vim25__UnregisterVMRequestType req;
	struct _vim25__UnregisterVMResponse resp;
	char what[256];
	int rc;

	if ((rc = vsdk__vm_check(s, vm, "vsdk_vi_vm_undefine")))
		return rc;
	snprintf(what, sizeof(what), "UnregisterVM on %s", vm);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__UnregisterVM(s->soap, s->endpoint, NULL, &req, &resp));
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_vm_destroy_start(vsdk_task **task, vsdk_session *s, const char *vm)
{
	struct vim25__DestroyRequestType req;
	struct _vim25__Destroy_USCORETaskResponse resp;
	char what[256];
	int rc;

	if (!task)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_vm_destroy_start: task is NULL");
	*task = NULL;
	if ((rc = vsdk__vm_check(s, vm, "vsdk_vi_vm_destroy_start")))
		return rc;
	snprintf(what, sizeof(what), "Destroy_Task on %s", vm);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__Destroy_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(task, resp.returnval, NULL, "Destroy_Task"); /* the VM goes away */
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_vm_destroy(vsdk_session *s, const char *vm, int timeout_ms)
{
	vsdk_task *t = NULL;
	int rc = vsdk_vi_vm_destroy_start(&t, s, vm);

	return rc ? rc : vsdk__vm_wait(s, t, timeout_ms, NULL);
}

/* ---- reconfigure -------------------------------------------------------------- */

int vsdk__vm_reconfig_start(vsdk_task **task, vsdk_session *s, const char *vm, struct vim25__VirtualMachineConfigSpec *spec)
{
	struct vim25__ReconfigVMRequestType req;
	struct _vim25__ReconfigVM_USCORETaskResponse resp;
	char what[256];
	int rc;

	snprintf(what, sizeof(what), "ReconfigVM_Task on %s", vm);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
	req.spec = spec;
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__ReconfigVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(task, resp.returnval, vm, "ReconfigVM_Task");
	vsdk__vi_reset(s);
	return rc;
}

static bool mac_valid(const char *m)
{
	if (strlen(m) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? m[i] != ':' : !strchr("0123456789abcdefABCDEF", m[i]))
			return false;
	}
	return true;
}

/* The Network MoRef with this name, or NULL (the server then goes by deviceName). */
struct net_find {
	const char *name;
	char *id;
};

static int net_cb(void *payload, const vsdk_vi_object *o)
{
	struct net_find *f = payload;
	const char *n = vsdk_vi_object_get(o, "name");

	if (n && strcmp(n, f->name) == 0) {
		f->id = strdup(vsdk_vi_object_id(o));
		return 1;
	}
	return 0;
}

VSDK_API int vsdk_vi_vm_reconfigure_start(vsdk_task **task, vsdk_session *s, const char *vm,
					  const vsdk_vi_vm_change *c)
{
	static const char *const net_paths[] = { "name" };
	static char *dev_paths[] = { "config.hardware.device" };
	const char *fn = "vsdk_vi_vm_reconfigure_start";
	struct vim25__VirtualMachineConfigSpec *spec;
	struct vim25__VirtualDeviceConfigSpec *dcs;
	struct net_find nf = { NULL, NULL };
	int ndcs = 0, rc;

	if (!task)
		return vsdk__error_set(VSDK_EINVALID, "%s: task is NULL", fn);
	*task = NULL;
	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	if (!c)
		return vsdk__error_set(VSDK_EINVALID, "%s: change is NULL", fn);
	if (c->memory_mb < 0 || (c->memory_mb && c->memory_mb % 4))
		return vsdk__error_set(VSDK_EINVALID, "%s: memory_mb %lld must be a positive multiple of 4 (0: unchanged)",
				       fn, (long long)c->memory_mb);
	if (c->num_cpus < 0)
		return vsdk__error_set(VSDK_EINVALID, "%s: num_cpus %d is negative (0: unchanged)", fn, c->num_cpus);
	if (c->add_nic_network && !*c->add_nic_network)
		return vsdk__error_set(VSDK_EINVALID, "%s: add_nic_network is empty", fn);
	if (c->add_nic_mac && !mac_valid(c->add_nic_mac))
		return vsdk__error_set(VSDK_EINVALID, "%s: add_nic_mac '%s' is not xx:xx:xx:xx:xx:xx", fn, c->add_nic_mac);
	if (c->remove_device_key < 0)
		return vsdk__error_set(VSDK_EINVALID, "%s: remove_device_key %d is negative (0: none)", fn,
				       c->remove_device_key);
	if (!c->memory_mb && !c->num_cpus && !c->add_nic_network && !c->remove_device_key)
		return vsdk__error_set(VSDK_EINVALID, "%s: the change is empty", fn);

	if (c->add_nic_network) {
		nf.name = c->add_nic_network;
		rc = vsdk_vi_retrieve(s, "Network", net_paths, 1, 0, net_cb, &nf);
		if (rc < 0)
			return rc;
	}
	/* Read the device to remove; its struct (in the arena) is sent back as is. */
	if (c->remove_device_key) {
		struct vim25__ObjectContent *oc;

		if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, dev_paths, 1, &oc))) {
			free(nf.id);
			return rc;
		}
		const struct vim25__ArrayOfVirtualDevice *devs =
			prop_struct(oc, "config.hardware.device", SOAP_TYPE_vim25__ArrayOfVirtualDevice);
		struct vim25__VirtualDevice *found = NULL;

		for (int i = 0; devs && i < devs->__sizeVirtualDevice; i++) {
			int id;
			struct vim25__VirtualDevice *d = &devs->VirtualDevice[i];
			/* every level of a -F struct starts with the base fields */
			const struct vim25__VirtualDevice *md =
				vsdk__vim_most_derived(d, SOAP_TYPE_vim25__VirtualDevice, &id);

			if (md->key == c->remove_device_key)
				found = d;
		}
		if (!found) {
			free(nf.id);
			return vsdk__error_set(VSDK_ENOTFOUND, "%s: virtual machine %s has no device with key %d", fn, vm,
					       c->remove_device_key);
		}
		dcs = soap_malloc(s->soap, 2 * sizeof(*dcs));
		if (!dcs) {
			free(nf.id);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		memset(dcs, 0, 2 * sizeof(*dcs));
		dcs[ndcs].operation = soap_malloc(s->soap, sizeof(*dcs[ndcs].operation));
		if (!dcs[ndcs].operation) {
			free(nf.id);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		*dcs[ndcs].operation = vim25__VirtualDeviceConfigSpecOperation__remove;
		dcs[ndcs].device = found;
		ndcs++;
	} else {
		vsdk__vi_reset(s);
		dcs = soap_malloc(s->soap, 2 * sizeof(*dcs));
		if (!dcs) {
			free(nf.id);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		memset(dcs, 0, 2 * sizeof(*dcs));
	}

	spec = soap_malloc(s->soap, sizeof(*spec));
	if (!spec) {
		free(nf.id);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	memset(spec, 0, sizeof(*spec));
	if (c->memory_mb) {
		spec->memoryMB = soap_malloc(s->soap, sizeof(*spec->memoryMB));
		if (spec->memoryMB)
			*spec->memoryMB = c->memory_mb;
	}
	if (c->num_cpus) {
		spec->numCPUs = soap_malloc(s->soap, sizeof(*spec->numCPUs));
		if (spec->numCPUs)
			*spec->numCPUs = c->num_cpus;
	}
	if (c->add_nic_network) {
		struct vim25__VirtualDevice *dev = soap_malloc(s->soap, sizeof(*dev));
		struct vim25__VirtualEthernetCard *eth = soap_malloc(s->soap, sizeof(*eth));
		struct vim25__VirtualE1000 *e1000 = soap_malloc(s->soap, sizeof(*e1000));
		struct vim25__VirtualDeviceBackingInfo *bk = soap_malloc(s->soap, sizeof(*bk));
		struct vim25__VirtualDeviceDeviceBackingInfo *dbk = soap_malloc(s->soap, sizeof(*dbk));
		struct vim25__VirtualEthernetCardNetworkBackingInfo *nbk = soap_malloc(s->soap, sizeof(*nbk));
		struct vim25__VirtualDeviceConnectInfo *conn = soap_malloc(s->soap, sizeof(*conn));
		enum vim25__VirtualDeviceConfigSpecOperation *op = soap_malloc(s->soap, sizeof(*op));

		if (!dev || !eth || !e1000 || !bk || !dbk || !nbk || !conn || !op) {
			free(nf.id);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		memset(dev, 0, sizeof(*dev));
		memset(eth, 0, sizeof(*eth));
		memset(e1000, 0, sizeof(*e1000));
		memset(bk, 0, sizeof(*bk));
		memset(dbk, 0, sizeof(*dbk));
		memset(nbk, 0, sizeof(*nbk));
		memset(conn, 0, sizeof(*conn));
		/* -F: each level points to the next; the last holds the data. */
		nbk->deviceName = soap_strdup(s->soap, c->add_nic_network);
		if (nf.id)
			nbk->network = vsdk__vi_mor(s, "Network", nf.id);
		dbk->vim25__VirtualEthernetCardNetworkBackingInfo = nbk;
		bk->vim25__VirtualDeviceDeviceBackingInfo = dbk;
		conn->startConnected = xsd__boolean__true_;
		conn->allowGuestControl = xsd__boolean__true_;
		conn->connected = xsd__boolean__false_;
		e1000->key = -1; /* a temporary key: the server assigns the real one */
		e1000->backing = bk;
		e1000->connectable = conn;
		e1000->addressType = soap_strdup(s->soap, c->add_nic_mac ? "manual" : "generated");
		if (c->add_nic_mac)
			e1000->macAddress = soap_strdup(s->soap, c->add_nic_mac);
		eth->vim25__VirtualE1000 = e1000;
		dev->vim25__VirtualEthernetCard = eth;
		*op = vim25__VirtualDeviceConfigSpecOperation__add;
		dcs[ndcs].operation = op;
		dcs[ndcs].device = dev;
		ndcs++;
	}
	free(nf.id);
	spec->__sizedeviceChange = ndcs;
	spec->deviceChange = ndcs ? dcs : NULL;
	return vsdk__vm_reconfig_start(task, s, vm, spec);
}

VSDK_API int vsdk_vi_vm_reconfigure(vsdk_session *s, const char *vm, const vsdk_vi_vm_change *c, int timeout_ms)
{
	vsdk_task *t = NULL;
	int rc = vsdk_vi_vm_reconfigure_start(&t, s, vm, c);

	return rc ? rc : vsdk__vm_wait(s, t, timeout_ms, NULL);
}

/* ---- devices ------------------------------------------------------------------ */

VSDK_API int vsdk_vi_vm_list_devices(vsdk_vi_device **out, size_t *count, vsdk_session *s, const char *vm)
{
	static char *paths[] = { "config.hardware.device" };
	struct vim25__ObjectContent *oc;
	const struct vim25__ArrayOfVirtualDevice *devs;
	vsdk_vi_device *v;
	int rc;

	if (!out || !count)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_vm_list_devices: %s is NULL", !out ? "out" : "count");
	*out = NULL;
	*count = 0;
	if ((rc = vsdk__vm_check(s, vm, "vsdk_vi_vm_list_devices")))
		return rc;
	if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, paths, 1, &oc)))
		return rc;
	devs = prop_struct(oc, "config.hardware.device", SOAP_TYPE_vim25__ArrayOfVirtualDevice);
	if (!devs || devs->__sizeVirtualDevice <= 0) {
		vsdk__vi_reset(s);
		return VSDK_OK;
	}
	v = calloc((size_t)devs->__sizeVirtualDevice, sizeof(*v));
	if (!v)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (int i = 0; i < devs->__sizeVirtualDevice; i++) {
		int id;
		const struct vim25__VirtualDevice *d =
			vsdk__vim_most_derived(&devs->VirtualDevice[i], SOAP_TYPE_vim25__VirtualDevice, &id);
		const char *type = vsdk__vim_type_name(id);
		const struct vim25__Description *di = d->deviceInfo;

		v[i].key = d->key;
		v[i].type = strdup(type ? type : "VirtualDevice");
		v[i].label = strdup(di && di->label ? di->label : "");
		v[i].summary = strdup(di && di->summary ? di->summary : "");
		if (!v[i].type || !v[i].label || !v[i].summary) {
			vsdk_vi_device_list_free(v, (size_t)i + 1);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
	}
	*out = v;
	*count = (size_t)devs->__sizeVirtualDevice;
	vsdk__vi_reset(s);
	return VSDK_OK;
}

VSDK_API void vsdk_vi_device_list_free(vsdk_vi_device *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].label);
		free(v[i].summary);
	}
	free(v);
}

/* ---- CPU scheduler -------------------------------------------------------------- */

VSDK_API int vsdk_vi_vm_get_cpu_sched(vsdk_vi_cpu_sched *out, vsdk_session *s, const char *vm)
{
	static char *paths[] = { "config.cpuAllocation" };
	const struct vim25__ResourceAllocationInfo *ra;
	struct vim25__ObjectContent *oc;
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_vm_get_cpu_sched: out is NULL");
	memset(out, 0, sizeof(*out));
	if ((rc = vsdk__vm_check(s, vm, "vsdk_vi_vm_get_cpu_sched")))
		return rc;
	if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, paths, 1, &oc)))
		return rc;
	ra = prop_struct(oc, "config.cpuAllocation", SOAP_TYPE_vim25__ResourceAllocationInfo);
	out->reservation = ra && ra->reservation ? *ra->reservation : 0;
	out->limit = ra && ra->limit ? *ra->limit : VSDK_VI_LIMIT_UNLIMITED;
	out->shares = VSDK_VI_SHARES_NORMAL;
	if (ra && ra->shares) {
		switch (ra->shares->level) {
		case vim25__SharesLevel__low:
			out->shares = VSDK_VI_SHARES_LOW;
			break;
		case vim25__SharesLevel__normal:
			out->shares = VSDK_VI_SHARES_NORMAL;
			break;
		case vim25__SharesLevel__high:
			out->shares = VSDK_VI_SHARES_HIGH;
			break;
		case vim25__SharesLevel__custom:
			out->shares = ra->shares->shares;
			break;
		default: /* a level this build does not know */
			out->shares = ra->shares->shares;
			break;
		}
	}
	vsdk__vi_reset(s);
	return VSDK_OK;
}

VSDK_API int vsdk_vi_vm_set_cpu_sched(vsdk_session *s, const char *vm, const vsdk_vi_cpu_sched *p, unsigned int fields,
				      int timeout_ms)
{
	const char *fn = "vsdk_vi_vm_set_cpu_sched";
	struct vim25__VirtualMachineConfigSpec *spec;
	struct vim25__ResourceAllocationInfo *ra;
	vsdk_task *t = NULL;
	vsdk_vi_cpu_sched cur = { 0, 0, 0 };
	int rc;

	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	if (!p)
		return vsdk__error_set(VSDK_EINVALID, "%s: params is NULL", fn);
	if (!fields || (fields & ~(unsigned)(VSDK_VI_SCHED_RESERVATION | VSDK_VI_SCHED_LIMIT | VSDK_VI_SCHED_SHARES)))
		return vsdk__error_set(VSDK_EINVALID, "%s: fields 0x%x must be a non-empty set of VSDK_VI_SCHED_* bits", fn,
				       fields);
	if ((fields & VSDK_VI_SCHED_RESERVATION) && p->reservation < 0)
		return vsdk__error_set(VSDK_EINVALID, "%s: reservation %lld MHz must be 0 or greater", fn,
				       (long long)p->reservation);
	if ((fields & VSDK_VI_SCHED_LIMIT) && p->limit < 0 && p->limit != VSDK_VI_LIMIT_UNLIMITED)
		return vsdk__error_set(VSDK_EINVALID, "%s: limit %lld MHz must be -1 (unlimited) or 0 or greater", fn,
				       (long long)p->limit);
	if ((fields & VSDK_VI_SCHED_SHARES) && p->shares < VSDK_VI_SHARES_HIGH)
		return vsdk__error_set(VSDK_EINVALID,
				       "%s: shares %lld must be 0 or greater, or -1/-2/-3 (low/normal/high)", fn,
				       (long long)p->shares);
	if ((fields & VSDK_VI_SCHED_SHARES) && p->shares > INT32_MAX)
		return vsdk__error_set(VSDK_EINVALID, "%s: shares %lld is too large", fn, (long long)p->shares);
	/* Send all three: the fields not given keep their current values (some
	 * servers replace the whole allocation). */
	if (fields != (VSDK_VI_SCHED_RESERVATION | VSDK_VI_SCHED_LIMIT | VSDK_VI_SCHED_SHARES)) {
		if ((rc = vsdk_vi_vm_get_cpu_sched(&cur, s, vm)))
			return rc;
	}
	if (fields & VSDK_VI_SCHED_RESERVATION)
		cur.reservation = p->reservation;
	if (fields & VSDK_VI_SCHED_LIMIT)
		cur.limit = p->limit;
	if (fields & VSDK_VI_SCHED_SHARES)
		cur.shares = p->shares;
	if (cur.limit != VSDK_VI_LIMIT_UNLIMITED && cur.limit < cur.reservation)
		return vsdk__error_set(VSDK_EINVALID,
				       "%s: limit %lld MHz must be -1 (unlimited) or at least the reservation (%lld MHz)",
				       fn, (long long)cur.limit, (long long)cur.reservation);
	p = &cur;

	vsdk__vi_reset(s);
	spec = soap_malloc(s->soap, sizeof(*spec));
	ra = soap_malloc(s->soap, sizeof(*ra));
	if (!spec || !ra)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	memset(spec, 0, sizeof(*spec));
	memset(ra, 0, sizeof(*ra));
	ra->reservation = soap_malloc(s->soap, sizeof(*ra->reservation));
	ra->limit = soap_malloc(s->soap, sizeof(*ra->limit));
	ra->shares = soap_malloc(s->soap, sizeof(*ra->shares));
	if (!ra->reservation || !ra->limit || !ra->shares)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	*ra->reservation = p->reservation;
	*ra->limit = p->limit;
	memset(ra->shares, 0, sizeof(*ra->shares));
	switch (p->shares) {
	case VSDK_VI_SHARES_LOW:
		ra->shares->level = vim25__SharesLevel__low;
		break;
	case VSDK_VI_SHARES_NORMAL:
		ra->shares->level = vim25__SharesLevel__normal;
		break;
	case VSDK_VI_SHARES_HIGH:
		ra->shares->level = vim25__SharesLevel__high;
		break;
	default:
		ra->shares->level = vim25__SharesLevel__custom;
		ra->shares->shares = (int)p->shares;
		break;
	}
	spec->cpuAllocation = ra;
	if ((rc = vsdk__vm_reconfig_start(&t, s, vm, spec)))
		return rc;
	return vsdk__vm_wait(s, t, timeout_ms, NULL);
}

/* ---- snapshots --------------------------------------------------------------- */

VSDK_API int vsdk_vi_snapshot_create_start(vsdk_task **task, vsdk_session *s, const char *vm, const char *name,
					   const char *description, bool memory, bool quiesce)
{
	const char *fn = "vsdk_vi_snapshot_create_start";
	struct vim25__CreateSnapshotRequestType req;
	struct _vim25__CreateSnapshot_USCORETaskResponse resp;
	char what[256];
	int rc;

	if (!task)
		return vsdk__error_set(VSDK_EINVALID, "%s: task is NULL", fn);
	*task = NULL;
	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	if (!name || !*name)
		return vsdk__error_set(VSDK_EINVALID, "%s: name is %s", fn, name ? "empty" : "NULL");
	if (!vsdk__utf8_valid(name, strlen(name)) || (description && !vsdk__utf8_valid(description, strlen(description))))
		return vsdk__error_set(VSDK_EINVALID, "%s: %s is not valid UTF-8", fn,
				       vsdk__utf8_valid(name, strlen(name)) ? "description" : "name");
	snprintf(what, sizeof(what), "CreateSnapshot_Task on %s", vm);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", vm);
	req.name = (char *)name;
	req.description = (char *)description;
	req.memory = memory ? xsd__boolean__true_ : xsd__boolean__false_;
	req.quiesce = quiesce ? xsd__boolean__true_ : xsd__boolean__false_;
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__CreateSnapshot_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(task, resp.returnval, vm, "CreateSnapshot_Task");
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_snapshot_create(char **snapshot, vsdk_session *s, const char *vm, const char *name,
				     const char *description, bool memory, bool quiesce, int timeout_ms)
{
	vsdk_task *t = NULL;
	int rc;

	if (snapshot)
		*snapshot = NULL;
	if ((rc = vsdk_vi_snapshot_create_start(&t, s, vm, name, description, memory, quiesce)))
		return rc;
	return vsdk__vm_wait(s, t, timeout_ms, snapshot);
}

static void tree_free(vsdk_vi_snapshot *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].description);
		tree_free(v[i].children, v[i].n_children);
	}
	free(v);
}

VSDK_API void vsdk_vi_snapshot_list_free(vsdk_vi_snapshot *roots, size_t n)
{
	tree_free(roots, n);
}

static int tree_copy(vsdk_session *s, vsdk_vi_snapshot **out, const struct vim25__VirtualMachineSnapshotTree *src, int n,
		     const char *current, unsigned int depth)
{
	vsdk_vi_snapshot *v;

	*out = NULL;
	if (n <= 0)
		return VSDK_OK;
	if (depth > 1000)
		return vsdk__error_set(VSDK_ELIMIT, "the snapshot tree is deeper than 1000 levels");
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++) {
		const struct vim25__VirtualMachineSnapshotTree *t = &src[i];
		const char *state = vsdk__vim_enum_text(s->soap, SOAP_TYPE_vim25__VirtualMachinePowerState, (int)t->state);
		int rc;

		v[i].id = strdup(t->snapshot && t->snapshot->__item ? t->snapshot->__item : "");
		v[i].name = strdup(t->name ? t->name : "");
		v[i].description = strdup(t->description ? t->description : "");
		v[i].create_time = (int64_t)t->createTime;
		v[i].quiesced = t->quiesced != xsd__boolean__false_;
		v[i].current = current && v[i].id && strcmp(v[i].id, current) == 0;
		v[i].powered_on = state && strcmp(state, "poweredOn") == 0;
		if (!v[i].id || !v[i].name || !v[i].description) {
			tree_free(v, (size_t)n);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		rc = tree_copy(s, &v[i].children, t->childSnapshotList, t->__sizechildSnapshotList, current, depth + 1);
		if (rc) {
			tree_free(v, (size_t)n);
			return rc;
		}
		v[i].n_children = (size_t)t->__sizechildSnapshotList;
	}
	*out = v;
	return VSDK_OK;
}

VSDK_API int vsdk_vi_snapshot_list(vsdk_vi_snapshot **roots, size_t *n, vsdk_session *s, const char *vm)
{
	static char *paths[] = { "snapshot" };
	const struct vim25__VirtualMachineSnapshotInfo *si;
	struct vim25__ObjectContent *oc;
	int rc;

	if (!roots || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_snapshot_list: %s is NULL", !roots ? "roots" : "n");
	*roots = NULL;
	*n = 0;
	if ((rc = vsdk__vm_check(s, vm, "vsdk_vi_snapshot_list")))
		return rc;
	if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, paths, 1, &oc)))
		return rc;
	si = prop_struct(oc, "snapshot", SOAP_TYPE_vim25__VirtualMachineSnapshotInfo);
	if (si && si->__sizerootSnapshotList > 0) {
		rc = tree_copy(s, roots, si->rootSnapshotList, si->__sizerootSnapshotList,
			       si->currentSnapshot ? si->currentSnapshot->__item : NULL, 0);
		if (rc == VSDK_OK)
			*n = (size_t)si->__sizerootSnapshotList;
	}
	vsdk__vi_reset(s);
	return rc;
}

static int snapshot_args(vsdk_session *s, const char *vm, const char *snapshot, const char *fn)
{
	int rc = vsdk__vm_check(s, vm, fn);

	if (rc)
		return rc;
	if (!snapshot || !*snapshot)
		return vsdk__error_set(VSDK_EINVALID, "%s: snapshot is %s (give its managed object id)", fn,
				       snapshot ? "empty" : "NULL");
	return VSDK_OK;
}

VSDK_API int vsdk_vi_snapshot_revert(vsdk_session *s, const char *vm, const char *snapshot, int timeout_ms)
{
	struct vim25__RevertToSnapshotRequestType req;
	struct _vim25__RevertToSnapshot_USCORETaskResponse resp;
	vsdk_task *t = NULL;
	char what[256];
	int rc;

	if ((rc = snapshot_args(s, vm, snapshot, "vsdk_vi_snapshot_revert")))
		return rc;
	snprintf(what, sizeof(what), "RevertToSnapshot_Task on %s", snapshot);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachineSnapshot", snapshot);
	VSDK_VI_CALL(rc, s, what,
		     soap_call___vim25__RevertToSnapshot_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(&t, resp.returnval, vm, "RevertToSnapshot_Task");
	vsdk__vi_reset(s);
	return rc ? rc : vsdk__vm_wait(s, t, timeout_ms, NULL);
}

VSDK_API int vsdk_vi_snapshot_remove(vsdk_session *s, const char *vm, const char *snapshot, bool remove_children,
				     int timeout_ms)
{
	struct vim25__RemoveSnapshotRequestType req;
	struct _vim25__RemoveSnapshot_USCORETaskResponse resp;
	vsdk_task *t = NULL;
	char what[256];
	int rc;

	if ((rc = snapshot_args(s, vm, snapshot, "vsdk_vi_snapshot_remove")))
		return rc;
	snprintf(what, sizeof(what), "RemoveSnapshot_Task on %s", snapshot);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "VirtualMachineSnapshot", snapshot);
	req.removeChildren = remove_children ? xsd__boolean__true_ : xsd__boolean__false_;
	VSDK_VI_CALL(rc, s, what,
		     soap_call___vim25__RemoveSnapshot_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(&t, resp.returnval, vm, "RemoveSnapshot_Task");
	vsdk__vi_reset(s);
	return rc ? rc : vsdk__vm_wait(s, t, timeout_ms, NULL);
}
