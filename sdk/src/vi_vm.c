/*
 * vsdk - VI virtual machine operations: power, guest operations through
 * VMware Tools, undefine/destroy, snapshots, CPU scheduler parameters.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_vm_private.h"

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
