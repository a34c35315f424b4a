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
/** @brief Start powering a VM off (PowerOffVM_Task: a hard power-off). As vsdk_vi_vm_power_on_start(). */
VSDK_API int vsdk_vi_vm_power_off_start(vsdk_task **task, vsdk_session *s, const char *vm);
/** @brief Start suspending a VM (SuspendVM_Task). As vsdk_vi_vm_power_on_start(). */
VSDK_API int vsdk_vi_vm_suspend_start(vsdk_task **task, vsdk_session *s, const char *vm);
/** @brief Start a hard reset of a VM (ResetVM_Task). As vsdk_vi_vm_power_on_start(). */
VSDK_API int vsdk_vi_vm_reset_start(vsdk_task **task, vsdk_session *s, const char *vm);

/**
 * @brief Power a VM on and wait for it.
 * @param timeout_ms as for vsdk_task_wait()
 * @return VSDK_OK; VSDK_ESTATE (fault InvalidPowerState: it is already on);
 *         VSDK_ENOTFOUND; VSDK_EQUESTION; VSDK_ETIMEOUT; and as
 *         vsdk_task_wait().
 */
VSDK_API int vsdk_vi_vm_power_on(vsdk_session *s, const char *vm, int timeout_ms);
/** @brief Power a VM off and wait. As vsdk_vi_vm_power_on(). */
VSDK_API int vsdk_vi_vm_power_off(vsdk_session *s, const char *vm, int timeout_ms);
/** @brief Suspend a VM and wait. As vsdk_vi_vm_power_on(). */
VSDK_API int vsdk_vi_vm_suspend(vsdk_session *s, const char *vm, int timeout_ms);
/** @brief Reset a VM and wait. As vsdk_vi_vm_power_on(). */
VSDK_API int vsdk_vi_vm_reset(vsdk_session *s, const char *vm, int timeout_ms);

/* ======================================================================== */
/* Guest operations (need VMware Tools)                                     */
/* ======================================================================== */

/**
 * @brief Ask the guest OS to shut down (ShutdownGuest).  Returns when the
 * request is accepted, not when the guest is off.
 *
 * The VM's runtime.powerState and guest.toolsRunningStatus are read first.
 * @return VSDK_OK; VSDK_ESTATE (the VM is not powered on; fault
 *         "InvalidPowerState"); VSDK_ETOOLS (VMware Tools are not running in
 *         the guest, checked first or reported by the server as
 *         ToolsUnavailable; fault "ToolsUnavailable"); VSDK_ENOTFOUND;
 *         VSDK_EINVALID; transport codes.
 */
VSDK_API int vsdk_vi_vm_shutdown_guest(vsdk_session *s, const char *vm);
/** @brief Ask the guest OS to reboot (RebootGuest). As vsdk_vi_vm_shutdown_guest(). */
VSDK_API int vsdk_vi_vm_reboot_guest(vsdk_session *s, const char *vm);
/** @brief Ask the guest OS to go to standby (StandbyGuest). As vsdk_vi_vm_shutdown_guest(). */
VSDK_API int vsdk_vi_vm_standby_guest(vsdk_session *s, const char *vm);

/* ======================================================================== */
/* Undefine, destroy                                                        */
/* ======================================================================== */

/**
 * @brief Remove a VM from the inventory, keeping its files (UnregisterVM).
 * @return VSDK_OK; VSDK_ESTATE (it is powered on); VSDK_ENOTFOUND;
 *         VSDK_EINVALID; fault and transport codes.
 */
VSDK_API int vsdk_vi_vm_undefine(vsdk_session *s, const char *vm);

/** @brief Start deleting a VM and its files (Destroy_Task). As vsdk_vi_vm_power_on_start(). */
VSDK_API int vsdk_vi_vm_destroy_start(vsdk_task **task, vsdk_session *s, const char *vm);
/** @brief Delete a VM and its files and wait. As vsdk_vi_vm_power_on(). */
VSDK_API int vsdk_vi_vm_destroy(vsdk_session *s, const char *vm, int timeout_ms);

/* ======================================================================== */
/* Reconfigure                                                              */
/* ======================================================================== */

/** A change for vsdk_vi_vm_reconfigure(); zero/NULL fields are left alone. */
typedef struct vsdk_vi_vm_change {
	int64_t memory_mb;           /**< new memory size in MB (a multiple of 4), or 0 */
	int num_cpus;                /**< new number of virtual CPUs, or 0 */
	/** add an Intel E1000 NIC connected to the network (port group) of this
	 *  name, or NULL */
	const char *add_nic_network;
	/** MAC for the added NIC ("00:50:56:xx:xx:xx", addressType manual), or
	 *  NULL to let the server generate one */
	const char *add_nic_mac;
	int remove_device_key;       /**< key of a device to remove (vsdk_vi_vm_list_devices()), or 0 */
} vsdk_vi_vm_change;

/**
 * @brief Start a reconfiguration (ReconfigVM_Task with a VirtualMachineConfigSpec).
 * @param c the change; validated before anything is sent
 * @return VSDK_OK; VSDK_EINVALID (a field is out of range or the change is
 *         empty; the message names the field); VSDK_ENOTFOUND (no such VM, or
 *         no device with remove_device_key); fault and transport codes.
 */
VSDK_API int vsdk_vi_vm_reconfigure_start(vsdk_task **task, vsdk_session *s, const char *vm,
					  const vsdk_vi_vm_change *c);
/** @brief Reconfigure and wait. As vsdk_vi_vm_reconfigure_start() and vsdk_task_wait(). */
VSDK_API int vsdk_vi_vm_reconfigure(vsdk_session *s, const char *vm, const vsdk_vi_vm_change *c, int timeout_ms);

/** A virtual device of a VM (config.hardware.device). */
typedef struct vsdk_vi_device {
	int key;        /**< the device key (unique within the VM) */
	char *type;     /**< the vim25 type, e.g. "VirtualE1000", "VirtualDisk" */
	char *label;    /**< deviceInfo.label, e.g. "Network adapter 1" ("" if none) */
	char *summary;  /**< deviceInfo.summary ("" if none) */
} vsdk_vi_device;

/**
 * @brief List a VM's virtual devices.
 * @param[out] out   a malloc()ed array; free with vsdk_vi_device_list_free()
 * @param[out] count its length
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID; transport codes.
 */
VSDK_API int vsdk_vi_vm_list_devices(vsdk_vi_device **out, size_t *count, vsdk_session *s, const char *vm);
/** @brief Free a device list (NULL is fine). */
VSDK_API void vsdk_vi_device_list_free(vsdk_vi_device *v, size_t n);

/* ======================================================================== */
/* Snapshots                                                                */
/* ======================================================================== */

/** A snapshot in a VM's snapshot tree. */
typedef struct vsdk_vi_snapshot {
	char *id;            /**< managed object id of the VirtualMachineSnapshot */
	char *name;
	char *description;   /**< "" if none */
	int64_t create_time; /**< seconds since the epoch (UTC) */
	bool powered_on;     /**< the VM was powered on when it was taken */
	bool quiesced;
	bool current;        /**< the VM's current snapshot */
	struct vsdk_vi_snapshot *children; /**< child snapshots */
	size_t n_children;
} vsdk_vi_snapshot;

/**
 * @brief Start taking a snapshot (CreateSnapshot_Task).
 * @param name        snapshot name (non-empty UTF-8)
 * @param description or NULL
 * @param memory      include the memory state (VM powered on)
 * @param quiesce     quiesce the guest file systems first (needs VMware Tools)
 * @return as vsdk_vi_vm_power_on_start(); the task's result is the snapshot's id.
 */
VSDK_API int vsdk_vi_snapshot_create_start(vsdk_task **task, vsdk_session *s, const char *vm, const char *name,
					   const char *description, bool memory, bool quiesce);
/**
 * @brief Take a snapshot and wait.
 * @param[out] snapshot if not NULL, the new snapshot's id (malloc()ed; free())
 * @return as vsdk_vi_vm_power_on().
 */
VSDK_API int vsdk_vi_snapshot_create(char **snapshot, vsdk_session *s, const char *vm, const char *name,
				     const char *description, bool memory, bool quiesce, int timeout_ms);
/**
 * @brief A VM's snapshot tree (snapshot.rootSnapshotList and currentSnapshot).
 * @param[out] roots the root snapshots (malloc()ed; free with vsdk_vi_snapshot_list_free()); NULL if none
 * @param[out] n     number of roots (0 when the VM has no snapshot)
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID; transport codes.
 */
VSDK_API int vsdk_vi_snapshot_list(vsdk_vi_snapshot **roots, size_t *n, vsdk_session *s, const char *vm);
/** @brief Free a snapshot tree (NULL is fine). */
VSDK_API void vsdk_vi_snapshot_list_free(vsdk_vi_snapshot *roots, size_t n);
/**
 * @brief Revert a VM to a snapshot (RevertToSnapshot_Task) and wait.
 * @param vm       the VM (its questions are handled while waiting)
 * @param snapshot the snapshot's id
 * @return as vsdk_vi_vm_power_on(); VSDK_ENOTFOUND for an unknown snapshot.
 */
VSDK_API int vsdk_vi_snapshot_revert(vsdk_session *s, const char *vm, const char *snapshot, int timeout_ms);
/**
 * @brief Remove a snapshot (RemoveSnapshot_Task) and wait; its state is
 * merged into its parent.
 * @param remove_children also remove the snapshots below it
 * @return as vsdk_vi_snapshot_revert().
 */
VSDK_API int vsdk_vi_snapshot_remove(vsdk_session *s, const char *vm, const char *snapshot, bool remove_children,
				     int timeout_ms);

/* ======================================================================== */
/* CPU scheduler parameters                                                 */
/* ======================================================================== */

/** shares: the predefined levels (as in libvirt's ESX driver). */
#define VSDK_VI_SHARES_LOW (-1)
#define VSDK_VI_SHARES_NORMAL (-2)
#define VSDK_VI_SHARES_HIGH (-3)
/** limit: no limit. */
#define VSDK_VI_LIMIT_UNLIMITED (-1)

/** Field bits for vsdk_vi_vm_set_cpu_sched(). */
#define VSDK_VI_SCHED_RESERVATION 0x1u
#define VSDK_VI_SCHED_LIMIT 0x2u
#define VSDK_VI_SCHED_SHARES 0x4u

/** CPU allocation of a VM (config.cpuAllocation). */
typedef struct vsdk_vi_cpu_sched {
	int64_t reservation; /**< MHz guaranteed, >= 0 */
	int64_t limit;       /**< MHz cap, VSDK_VI_LIMIT_UNLIMITED or >= reservation */
	int64_t shares;      /**< custom shares >= 0, or VSDK_VI_SHARES_LOW/NORMAL/HIGH */
} vsdk_vi_cpu_sched;

/**
 * @brief Read a VM's CPU reservation, limit and shares.
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID; transport codes.
 */
VSDK_API int vsdk_vi_vm_get_cpu_sched(vsdk_vi_cpu_sched *out, vsdk_session *s, const char *vm);

/**
 * @brief Change some of a VM's CPU scheduler parameters (ReconfigVM_Task
 * with cpuAllocation) and wait.
 *
 * Validated before anything is changed: reservation >= 0; limit -1 or >= 0
 * and at least the reservation (the new one, or else the VM's current one,
 * which is read); shares >= 0 or -1/-2/-3.
 * @param fields which of p's fields to set: VSDK_VI_SCHED_* bits
 * @return VSDK_OK; VSDK_EINVALID naming the parameter; and as vsdk_vi_vm_power_on().
 */
VSDK_API int vsdk_vi_vm_set_cpu_sched(vsdk_session *s, const char *vm, const vsdk_vi_cpu_sched *p, unsigned int fields,
				      int timeout_ms);

/* ======================================================================== */
/* Define from domain XML or VMX; dump the configuration                    */
/* ======================================================================== */

/** Version of vsdk_vi_define_options. */
#define VSDK_VI_DEFINE_OPTIONS_VERSION 1

/** Options for defining a VM; start from VSDK_VI_DEFINE_OPTIONS_INIT (NULL: all defaults). */
typedef struct vsdk_vi_define_options {
	unsigned int version;        /**< VSDK_VI_DEFINE_OPTIONS_VERSION */
	/** virtualHW.version for domain XML without one; 0: the newest the
	 *  server's version supports (ESX 4.x: 7, 5.0: 8, 5.1: 9, 5.5: 10,
	 *  6.0: 11, 6.5: 13, 6.7: 14, 7.0: 17, 7.0U1: 18, 7.0U2+: 19, 8.0: 20,
	 *  8.0U2+: 21; GSX: 7) */
	int virtual_hw_version;
	const char *datacenter;      /**< datacenter name; NULL: the one holding the datastore */
	const char *resource_pool;   /**< ResourcePool id; NULL: the root pool of a compute resource that sees the datastore */
	const char *host;            /**< HostSystem id to register on, or NULL */
	int timeout_ms;              /**< for the registration task; 0: 60000 */
} vsdk_vi_define_options;

/** Default options. */
#define VSDK_VI_DEFINE_OPTIONS_INIT { VSDK_VI_DEFINE_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0 }

/**
 * @brief Define (register) a VM from libvirt domain XML (`<domain type='vmware'>`).
 *
 * The XML becomes a VMX file (vsdk/vmx.h).  It is uploaded next to the first
 * file-based hard disk, whose source `[datastore] dir/file.vmdk` names the
 * datastore and directory, as `dir/<name>.vmx` (HTTP PUT to the server's
 * /folder, with the session cookie; the directory is created when missing),
 * then registered with RegisterVM_Task in the datacenter's VM folder and a
 * resource pool.  An existing file of that name is never overwritten.  On
 * any failure after the upload the file (or the directory, if it was
 * created) is deleted again, so nothing is left behind.
 *
 * @param[out] vm    the new VM's id (malloc()ed; free())
 * @param domain_xml the domain
 * @param o          options, or NULL
 * @return VSDK_OK; VSDK_EINVALID (bad argument, or no file-based disk with
 *         a datastore path; named); VSDK_EPARSE (bad XML); VSDK_EUNSUPPORTED
 *         (the domain needs a newer virtualHW.version than the server);
 *         VSDK_ENOTFOUND (datastore, datacenter or pool not found);
 *         VSDK_EEXISTS (the .vmx exists, or RegisterVM found a duplicate);
 *         the registration task's fault codes; VSDK_ETIMEOUT; transport codes.
 */
VSDK_API int vsdk_vi_vm_define_xml(char **vm, vsdk_session *s, const char *domain_xml, const vsdk_vi_define_options *o);

/**
 * @brief Define a VM from VMX text, uploaded to @p ds_path.
 * @param vmx_text the VMX (must parse and have a displayName)
 * @param ds_path  where to put it: "[datastore] dir/name.vmx"
 * @return as vsdk_vi_vm_define_xml().
 */
VSDK_API int vsdk_vi_vm_define_vmx(char **vm, vsdk_session *s, const char *vmx_text, const char *ds_path,
				   const vsdk_vi_define_options *o);

/**
 * @brief Download a registered VM's .vmx (config.files.vmPathName) over HTTP.
 * @param[out] vmx the text (malloc()ed; free())
 * @return VSDK_OK; VSDK_ENOTFOUND (no such VM, datastore or file);
 *         VSDK_EINVALID; transport codes.
 */
VSDK_API int vsdk_vi_vm_get_vmx(char **vmx, vsdk_session *s, const char *vm);

/**
 * @brief A registered VM's configuration as domain XML: its .vmx, converted
 * with vsdk_vmx_to_domain_xml() (datastore paths as "[ds] dir/file").
 * @param[out] xml the XML (malloc()ed; free())
 * @return as vsdk_vi_vm_get_vmx(); VSDK_EPARSE when the .vmx cannot be converted.
 */
VSDK_API int vsdk_vi_vm_get_xml(char **xml, vsdk_session *s, const char *vm);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VI_VM_H */
