/*
 * vsdk - VI virtual machine operations: power, guest operations, define,
 * undefine, destroy, reconfigure, configuration dump, snapshots, scheduler.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/vi_vm.h
 * @brief Operations on virtual machines of an esx://, gsx:// or vpx:// session.
 *
 * A VM is named by its managed object id (MoRef value, e.g. "vm-42" on a
 * vCenter, "42" on ESX); find it by name or UUID with the inventory lookups.
 *
 * Operations that run a server task come in two forms: `..._start` returns
 * the task (wait on it with vsdk_task_wait(), see vsdk/vi_task.h) and the
 * plain form starts it and waits up to `timeout_ms`.  Both handle VM
 * questions as vsdk_task_wait() does.  On #VSDK_ETIMEOUT the task keeps
 * running on the server.
 *
 * Faults map to codes by type: ManagedObjectNotFound -> #VSDK_ENOTFOUND,
 * InvalidPowerState / InvalidState / TaskInProgress -> #VSDK_ESTATE,
 * ToolsUnavailable -> #VSDK_ETOOLS, RequestCanceled -> #VSDK_ECANCELED,
 * InvalidArgument -> #VSDK_EINVALID, FileNotFound -> #VSDK_ENOTFOUND,
 * AlreadyExists / DuplicateName -> #VSDK_EEXISTS, others #VSDK_EFAULT; the
 * fault type name is in vsdk_error_last()->fault.
 *
 * Thread-safety: as for the session (one thread at a time per session).
 */
#ifndef VSDK_VI_VM_H
#define VSDK_VI_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "vsdk/session.h"
#include "vsdk/vi_task.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Power                                                                    */
/* ======================================================================== */

/**
 * @brief Start powering a VM on (PowerOnVM_Task).
 * @param[out] task  the task; free with vsdk_task_free()
 * @param s   a VI session
 * @param vm  the VM's managed object id
 * @return VSDK_OK; VSDK_EINVALID (bad argument, named); VSDK_ENOTFOUND
 *         (no such VM); other fault and transport codes.  A VM that is
 *         already on makes the *task* fail with VSDK_ESTATE (InvalidPowerState).
 */
VSDK_API int vsdk_vi_vm_power_on_start(vsdk_task **task, vsdk_session *s, const char *vm);
/**
 * @brief Start powering a VM off (PowerOffVM_Task: a hard power-off). As vsdk_vi_vm_power_on_start().
 * @param[out] task the task; free with vsdk_task_free()
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @return as vsdk_vi_vm_power_on_start()
 */
VSDK_API int vsdk_vi_vm_power_off_start(vsdk_task **task, vsdk_session *s, const char *vm);
/**
 * @brief Start suspending a VM (SuspendVM_Task). As vsdk_vi_vm_power_on_start().
 * @param[out] task the task; free with vsdk_task_free()
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @return as vsdk_vi_vm_power_on_start()
 */
VSDK_API int vsdk_vi_vm_suspend_start(vsdk_task **task, vsdk_session *s, const char *vm);
/**
 * @brief Start a hard reset of a VM (ResetVM_Task). As vsdk_vi_vm_power_on_start().
 * @param[out] task the task; free with vsdk_task_free()
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @return as vsdk_vi_vm_power_on_start()
 */
VSDK_API int vsdk_vi_vm_reset_start(vsdk_task **task, vsdk_session *s, const char *vm);

/**
 * @brief Power a VM on and wait for it.
 * @param timeout_ms as for vsdk_task_wait()
 * @return VSDK_OK; VSDK_ESTATE (fault InvalidPowerState: it is already on);
 *         VSDK_ENOTFOUND; VSDK_EQUESTION; VSDK_ETIMEOUT; and as
 *         vsdk_task_wait().
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 */
VSDK_API int vsdk_vi_vm_power_on(vsdk_session *s, const char *vm, int timeout_ms);
/**
 * @brief Power a VM off and wait. As vsdk_vi_vm_power_on().
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @param timeout_ms as for vsdk_task_wait()
 * @return as vsdk_vi_vm_power_on()
 */
VSDK_API int vsdk_vi_vm_power_off(vsdk_session *s, const char *vm, int timeout_ms);
/**
 * @brief Suspend a VM and wait. As vsdk_vi_vm_power_on().
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @param timeout_ms as for vsdk_task_wait()
 * @return as vsdk_vi_vm_power_on()
 */
VSDK_API int vsdk_vi_vm_suspend(vsdk_session *s, const char *vm, int timeout_ms);
/**
 * @brief Reset a VM and wait. As vsdk_vi_vm_power_on().
 * @param s the session (used by one thread at a time)
 * @param vm the VM's managed object id
 * @param timeout_ms as for vsdk_task_wait()
 * @return as vsdk_vi_vm_power_on()
 */
VSDK_API int vsdk_vi_vm_reset(vsdk_session *s, const char *vm, int timeout_ms);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VI_VM_H */
