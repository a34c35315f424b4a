/*
 * vsdk - Hyper-V VM state changes (RequestStateChange, InitiateShutdown) and
 * summary information (GetSummaryInformation).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vm_epr(const vsdk_hv_Msvm_ComputerSystem *vm, const char *fn, vsdk_cim_epr *epr)
{
	memset(epr, 0, sizeof(*epr));
	if (!vm || !vm->Name || !vm->Name[0])
		return vsdk__error_set(VSDK_EINVALID, "%s: the VM is %s", fn, vm ? "without a Name (GUID)" : "NULL");
	return vsdk_hv_epr_of(&vm->cim, epr);
}

VSDK_API int vsdk_hv_vm_request_state(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, uint16_t requested,
				      int timeout_ms)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_request_state");
	const vsdk_cim_method *m = vsdk_hv_Msvm_ComputerSystem_RequestStateChange_method;
	vsdk_hv_Msvm_ComputerSystem_RequestStateChange_in in;
	vsdk_hv_Msvm_ComputerSystem_RequestStateChange_out out;
	vsdk_cim_epr target;
	char what[256];
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if ((rc = vm_epr(vm, "vsdk_hv_vm_request_state", &target)))
		return rc;
	memset(&in, 0, sizeof(in));
	in.RequestedState = requested;
	in.present.RequestedState = true;
	snprintf(what, sizeof(what), "RequestStateChange(%u %s) of VM %s (GUID %s)", requested,
		 vsdk_hv_requested_state_name(requested), vm->ElementName ? vm->ElementName : "?", vm->Name);
	rc = vsdk__hv_invoke(hv, m, &target, &in, &out);
	vsdk_cim_epr_clear(&target);
	if (rc) {
		vsdk__error_prefix("%s", what);
		vsdk_cim_clear(m->out, &out);
		return rc;
	}
	rc = vsdk_hv_method_result(s, what, out.ReturnValue, out.present.Job ? &out.Job : NULL, timeout_ms, NULL,
				   NULL);
	vsdk_cim_clear(m->out, &out);
	return rc;
}

VSDK_API int vsdk_hv_vm_start(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_ENABLED,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_turn_off(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_DISABLED,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_save(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_OFFLINE,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_pause(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_QUIESCE,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_resume(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_ENABLED,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_reset(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_RESET,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_reboot(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms)
{
	return vsdk_hv_vm_request_state(s, vm, VSDK_HV_MSVM_COMPUTERSYSTEM_REQUESTSTATECHANGE_REQUESTEDSTATE_REBOOT,
					timeout_ms);
}

VSDK_API int vsdk_hv_vm_shutdown(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, bool force,
				 const char *reason, int timeout_ms)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_shutdown");
	const vsdk_cim_method *m = vsdk_hv_Msvm_ShutdownComponent_InitiateShutdown_method;
	vsdk_hv_Msvm_ShutdownComponent_InitiateShutdown_in in;
	vsdk_hv_Msvm_ShutdownComponent_InitiateShutdown_out out;
	vsdk_cim_instance **v = NULL;
	vsdk_cim_epr target;
	vsdk_buf q = VSDK_BUF_INIT;
	size_t n = 0;
	char what[256];
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if ((rc = vm_epr(vm, "vsdk_hv_vm_shutdown", &target)))
		return rc;
	vsdk_cim_epr_clear(&target);
	if (reason && !vsdk__utf8_valid(reason, strlen(reason)))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_shutdown: the reason is not valid UTF-8");
	vsdk__buf_puts(&q, "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name=");
	if ((rc = vsdk__wql_quote(&q, vm->Name, "the VM GUID"))) {
		vsdk__buf_free(&q);
		return rc;
	}
	vsdk__buf_puts(&q, "} WHERE ResultClass = Msvm_ShutdownComponent");
	if (!vsdk__buf_ok(&q))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = vsdk__hv_query(hv, q.ptr, &vsdk_hv_Msvm_ShutdownComponent_class, 0, &v, &n);
	vsdk__buf_free(&q);
	if (rc)
		return rc;
	if (n == 0) {
		free(v);
		return vsdk__error_set(VSDK_ETOOLS,
				       "VM %s (GUID %s) has no shutdown component: the guest's integration services "
				       "are not running (use turn off instead)",
				       vm->ElementName ? vm->ElementName : "?", vm->Name);
	}
	rc = vsdk_hv_epr_of(v[0], &target);
	for (size_t i = 0; i < n; i++)
		vsdk_cim_free(v[i]);
	free(v);
	if (rc)
		return rc;
	memset(&in, 0, sizeof(in));
	in.Force = force;
	in.present.Force = true;
	in.Reason = (char *)(reason ? reason : "vsdk");
	in.present.Reason = true;
	snprintf(what, sizeof(what), "InitiateShutdown of VM %s (GUID %s)", vm->ElementName ? vm->ElementName : "?",
		 vm->Name);
	rc = vsdk__hv_invoke(hv, m, &target, &in, &out);
	vsdk_cim_epr_clear(&target);
	if (rc) {
		vsdk__error_prefix("%s", what);
		vsdk_cim_clear(m->out, &out);
		return rc;
	}
	rc = vsdk_hv_method_result(s, what, out.ReturnValue, NULL, timeout_ms, NULL,
				   NULL);
	vsdk_cim_clear(m->out, &out);
	return rc;
}

VSDK_API int vsdk_hv_summary(vsdk_session *s, vsdk_hv_Msvm_ComputerSystem *const *vms, size_t n,
			     const uint32_t *requested, size_t n_requested, vsdk_hv_Msvm_SummaryInformation ***out,
			     size_t *n_out)
{
	static const uint32_t defaults[] = { 0, 1, 101 };
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_summary");
	const vsdk_cim_method *m = vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_method;
	vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_in in;
	vsdk_hv_Msvm_VirtualSystemManagementService_GetSummaryInformation_out o;
	const vsdk_cim_epr *svc;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out || !n_out || (!vms && n))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_summary: vms, out and n_out must not be NULL");
	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_summary: no VMs given");
	if (!requested || !n_requested) {
		requested = defaults;
		n_requested = sizeof(defaults) / sizeof(defaults[0]);
	}
	memset(&in, 0, sizeof(in));
	in.SettingData = calloc(n, sizeof(*in.SettingData));
	in.RequestedInformation = calloc(n_requested, sizeof(uint32_t));
	if (!in.SettingData || !in.RequestedInformation) {
		free(in.SettingData);
		free(in.RequestedInformation);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	memcpy(in.RequestedInformation, requested, n_requested * sizeof(uint32_t));
	in.RequestedInformation_count = n_requested;
	in.present.RequestedInformation = true;
	in.present.SettingData = true;
	rc = VSDK_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		vsdk_hv_Msvm_VirtualSystemSettingData *vssd = NULL;

		if (!(rc = vsdk_hv_vm_settings(s, vms[i], &vssd))) {
			rc = vsdk_hv_epr_of(&vssd->cim, &in.SettingData[i]);
			in.SettingData_count = i + 1;
			vsdk_hv_Msvm_VirtualSystemSettingData_free(vssd);
		}
	}
	if (!rc && !(rc = vsdk__hv_vsms_epr(s, hv, &svc)))
		rc = vsdk__hv_invoke(hv, m, svc, &in, &o);
	vsdk_cim_clear(m->in, &in);
	if (rc) {
		vsdk_cim_clear(m->out, &o);
		return rc;
	}
	if (o.ReturnValue != 0) {
		rc = vsdk_hv_method_result(s, "GetSummaryInformation", o.ReturnValue, NULL, 1, NULL, NULL);
		vsdk_cim_clear(m->out, &o);
		return rc;
	}
	*out = (vsdk_hv_Msvm_SummaryInformation **)o.SummaryInformation;
	*n_out = o.SummaryInformation_count;
	o.SummaryInformation = NULL;
	o.SummaryInformation_count = 0;
	o.present.SummaryInformation = false;
	vsdk_cim_clear(m->out, &o);
	if (!*out && !(*out = calloc(1, sizeof(**out))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	vsdk_error_clear();
	return VSDK_OK;
}

VSDK_API void vsdk_hv_summary_free(vsdk_hv_Msvm_SummaryInformation **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		vsdk_cim_free((vsdk_cim_instance *)v[i]);
	free(v);
}
