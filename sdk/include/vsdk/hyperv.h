/*
 * vsdk - Hyper-V (WMI V2 over WS-Management): VMs, state changes, jobs, KVP.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/hyperv.h
 * @brief Managing Hyper-V hosts through WMI V2 (root/virtualization/v2) over WS-Man.
 *
 * Open a session with vsdk_session_open() and a URI
 * `hyperv://[user@]host[:port]/?transport=http|https&no_verify=0|1`
 * (default https on 5986; http on 5985).  Authentication is HTTP Basic:
 * the host needs `winrm set winrm/config/service/auth @{Basic="true"}`, and
 * over plain HTTP also `winrm set winrm/config/service @{AllowUnencrypted="true"}`
 * (the password and every message then travel in clear text: use https).
 * The server certificate is verified by default (ca_file, thumbprint or, unsafe,
 * no_verify=1).  Opening sends an authenticated WS-Man Identify, so bad
 * credentials fail there (VSDK_EAUTH).
 *
 * Instances are the typed structs mofc generates (hyperv_v2.h): e.g. a VM is
 * a ::vsdk_hv_Msvm_ComputerSystem (Name = its GUID, ElementName = its display
 * name, EnabledState).  Free them with the generated `_free` functions.
 *
 * Errors: besides the codes each function lists, every call that talks to
 * the host may return VSDK_EIO, VSDK_ETLS, VSDK_EAUTH, VSDK_ETIMEOUT (I/O),
 * VSDK_EPROTO (malformed answer) and VSDK_EFAULT (a WS-Man fault: its subcode
 * is in vsdk_error.fault, e.g. "w:InvalidSelectors", the WSManFault Code in
 * vsdk_error.wsman_code, the provider's message in vsdk_error.message).
 * Method failures carry the method's ReturnValue in vsdk_error.cim_return.
 *
 * Thread-safety: a session is used by one thread at a time; the name and
 * translation functions are pure and may be called from any thread.
 */
#ifndef VSDK_HYPERV_H
#define VSDK_HYPERV_H

#include "vsdk/common.h"
#include "vsdk/session.h"
#include "vsdk/cim.h"
#include "hyperv_v2.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- translation tables ---------------------------------------------------------- */

/** Method return codes (Msvm_* methods, e.g. RequestStateChange, AddKvpItems). */
#define VSDK_HV_RC_COMPLETED 0u
#define VSDK_HV_RC_JOB_STARTED 4096u
#define VSDK_HV_RC_INVALID_STATE 32775u

/**
 * @brief Name of a method ReturnValue ("Completed with No Error", "Method
 * Parameters Checked - Job Started", "Failed", ..., "Out of memory"), from the
 * schema's ValueMap; the CIM codes 1-6 and 4097-4099 too.
 * @return never NULL ("Unknown return code" when not in any table).
 */
VSDK_API const char *vsdk_hv_return_code_name(uint32_t rc);

/** @brief Name of a Msvm_ConcreteJob JobState (2 New ... 11 Service); never NULL. */
VSDK_API const char *vsdk_hv_job_state_name(uint16_t state);

/**
 * @brief Name of a RequestStateChange RequestedState value (2 Enabled, 3
 * Disabled, 6 Offline, 9 Quiesce, 10 Reboot, 11 Reset, 32768+ vendor values);
 * never NULL.
 */
VSDK_API const char *vsdk_hv_requested_state_name(uint16_t state);

/**
 * @brief Name of a Msvm_ComputerSystem EnabledState: the V2 values (0..10)
 * and the vendor transitional values older hosts report (32768 Paused,
 * 32769 Suspended, 32770 Starting, 32771 Snapshotting, 32773 Saving, 32774
 * Stopping, 32776 Pausing, 32777 Resuming, ...).  Never NULL; unknown values
 * give "Unknown".
 */
VSDK_API const char *vsdk_hv_enabled_state_name(uint16_t state);

/** A neutral VM state. */
typedef enum vsdk_hv_state {
	VSDK_HV_STATE_UNKNOWN = 0,
	VSDK_HV_STATE_RUNNING = 1,
	VSDK_HV_STATE_OFF = 2,
	VSDK_HV_STATE_PAUSED = 3,
	VSDK_HV_STATE_SAVED = 4,
	VSDK_HV_STATE_STARTING = 5,
	VSDK_HV_STATE_STOPPING = 6,
	VSDK_HV_STATE_SAVING = 7,
	VSDK_HV_STATE_PAUSING = 8,
	VSDK_HV_STATE_RESUMING = 9
} vsdk_hv_state;

/** @brief Map an EnabledState (V2 or vendor value) to a neutral state; never fails. */
VSDK_API vsdk_hv_state vsdk_hv_state_from_enabled(uint16_t enabled_state);

/** @brief "running", "off", "paused", ...; never NULL. */
VSDK_API const char *vsdk_hv_state_name(vsdk_hv_state state);

/**
 * @brief The reference agent's state name of an EnabledState: "Running",
 * "Stopped", "Starting", "Stopping", "Saving" or "Unknown"; never NULL.
 */
VSDK_API const char *vsdk_hv_agent_state_name(uint16_t enabled_state);

/* ---- the service, VMs, settings ------------------------------------------------------ */

/**
 * @brief The Msvm_VirtualSystemManagementService singleton.
 * @param[out] out a new instance (free with vsdk_hv_Msvm_VirtualSystemManagementService_free)
 * @return VSDK_OK; VSDK_EUNSUPPORTED "no Hyper-V subsystem on server" when the
 *         host has none; VSDK_EINVALID (not a Hyper-V session).
 */
VSDK_API int vsdk_hv_vsms_get(vsdk_session *s, vsdk_hv_Msvm_VirtualSystemManagementService **out);

/**
 * @brief Find a VM by display name (ElementName), exactly (case-sensitive
 * compare after the server's match).  The host system is never returned.
 * @param name any UTF-8 text without control characters (quotes and
 *        backslashes are escaped; it cannot change the query)
 * @param[out] out the VM (free with vsdk_hv_Msvm_ComputerSystem_free)
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EAMBIGUOUS when several VMs share the
 *         name (the message lists their GUIDs: use vsdk_hv_vm_find_by_guid);
 *         VSDK_EINVALID (NULL, control characters, invalid UTF-8).
 */
VSDK_API int vsdk_hv_vm_find(vsdk_session *s, const char *name, vsdk_hv_Msvm_ComputerSystem **out);

/**
 * @brief Find a VM by its GUID (Msvm_ComputerSystem.Name), with a Get by selectors.
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID.
 */
VSDK_API int vsdk_hv_vm_find_by_guid(vsdk_session *s, const char *guid, vsdk_hv_Msvm_ComputerSystem **out);

/**
 * @brief Every VM (the host, Caption "Hosting Computer System", excluded).
 * @param[out] vms array of instances; free with vsdk_hv_vm_list_free()
 * @param[out] n   its length
 * @param page     MaxElements per Pull (0: 100)
 */
VSDK_API int vsdk_hv_vm_list(vsdk_session *s, vsdk_hv_Msvm_ComputerSystem ***vms, size_t *n, unsigned page);

/** @brief Free a list from vsdk_hv_vm_list() (NULL accepted). */
VSDK_API void vsdk_hv_vm_list_free(vsdk_hv_Msvm_ComputerSystem **vms, size_t n);

/**
 * @brief The display names of every VM (host excluded), in server order.
 * @param[out] names malloc'd array of malloc'd strings; free with vsdk_hv_strv_free()
 */
VSDK_API int vsdk_hv_vm_list_names(vsdk_session *s, char ***names, size_t *n);

/** @brief Free a string array (NULL accepted). */
VSDK_API void vsdk_hv_strv_free(char **v, size_t n);

/**
 * @brief A VM's current settings: its Msvm_VirtualSystemSettingData whose
 * VirtualSystemType is "Microsoft:Hyper-V:System:Realized" or
 * "...:System:Planned" (never a snapshot's), by associator query.
 * @return VSDK_OK; VSDK_ENOTFOUND (no such settings); VSDK_EINVALID.
 */
VSDK_API int vsdk_hv_vm_settings(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				 vsdk_hv_Msvm_VirtualSystemSettingData **out);

/**
 * @brief The Msvm_KvpExchangeComponentSettingData of a VM (its host items).
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID.
 */
VSDK_API int vsdk_hv_vm_kvp_settings(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				     vsdk_hv_Msvm_KvpExchangeComponentSettingData **out);

/**
 * @brief The host's default data root: the service setting data's
 * DefaultVirtualHardDiskPath, or when unset, the system drive's
 * "\Users\Public\Documents\Hyper-V\Virtual hard disks" (system drive from
 * Win32_OperatingSystem.SystemDrive, else "C:").
 * @param[out] out malloc'd string
 */
VSDK_API int vsdk_hv_default_data_root(vsdk_session *s, char **out);

/* ---- jobs ------------------------------------------------------------------------ */

/**
 * @brief Progress callback: the job's PercentComplete (0..100) and JobState.
 * Return 0 to go on waiting, non-zero to stop waiting (VSDK_ECANCELED; the
 * job keeps running).
 */
typedef int (*vsdk_hv_progress_cb)(void *payload, unsigned percent, uint16_t job_state);

/**
 * @brief Wait for a Msvm_ConcreteJob (the Job EPR a method returned).
 *
 * Polls with a Get by the EPR's selectors, backing off from 10 ms by 25% a step up to 1 s,
 * while JobState is New, Starting, Running, Suspended or Shutting Down.
 * @param job        the EPR (borrowed)
 * @param timeout_ms VSDK_WAIT_INFINITE or > 0
 * @return VSDK_OK (Completed); VSDK_EJOB (Terminated, Killed, Exception,
 *         Service: the message carries ErrorCode and ErrorDescription,
 *         vsdk_error.cim_return the ErrorCode); VSDK_ETIMEOUT (the job keeps
 *         running); VSDK_ECANCELED (the callback stopped); VSDK_EINVALID.
 */
VSDK_API int vsdk_hv_job_wait(vsdk_session *s, const vsdk_cim_epr *job, int timeout_ms,
			      vsdk_hv_progress_cb progress, void *payload);

/**
 * @brief Turn a method's (ReturnValue, Job) into a result: 0 → VSDK_OK; 4096
 * → vsdk_hv_job_wait(); anything else → VSDK_ESTATE for 32775 (invalid
 * state), VSDK_EAUTH for 32769, VSDK_EUNSUPPORTED for 32770, VSDK_ETIMEOUT
 * for 32772, VSDK_EINVALID for 32773, else VSDK_EJOB; the message names the
 * number and its name, vsdk_error.cim_return holds it.
 * @param what names the call in the message (e.g. "RequestStateChange(vm1)")
 */
VSDK_API int vsdk_hv_method_result(vsdk_session *s, const char *what, uint32_t return_value,
				   const vsdk_cim_epr *job, int timeout_ms, vsdk_hv_progress_cb progress,
				   void *payload);

/* ---- state changes ------------------------------------------------------------------ */

/**
 * @brief RequestStateChange(@p requested) on a VM, then wait for its job.
 * @param requested a RequestedState value (see the helpers below)
 * @param timeout_ms for the job (VSDK_WAIT_INFINITE: no limit)
 * @return VSDK_OK; VSDK_ESTATE (32775: invalid in the VM's state); the
 *         codes of vsdk_hv_method_result().
 */
VSDK_API int vsdk_hv_vm_request_state(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, uint16_t requested,
				      int timeout_ms);

/** @brief Start (RequestedState 2). */
VSDK_API int vsdk_hv_vm_start(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Turn off, hard (3). */
VSDK_API int vsdk_hv_vm_turn_off(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Save state (6, "Offline"). */
VSDK_API int vsdk_hv_vm_save(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Pause (9, "Quiesce"). */
VSDK_API int vsdk_hv_vm_pause(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Resume from pause (2). */
VSDK_API int vsdk_hv_vm_resume(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Hard reset (11). */
VSDK_API int vsdk_hv_vm_reset(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);
/** @brief Reboot (10). */
VSDK_API int vsdk_hv_vm_reboot(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, int timeout_ms);

/**
 * @brief Graceful guest shutdown through Msvm_ShutdownComponent.InitiateShutdown.
 * @param force  shut down even with applications open
 * @param reason text given to the guest (NULL: "vsdk")
 * @return VSDK_OK; VSDK_ETOOLS (the VM has no shutdown component: integration
 *         services are off); the codes of vsdk_hv_method_result().
 */
VSDK_API int vsdk_hv_vm_shutdown(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, bool force,
				 const char *reason, int timeout_ms);

/**
 * @brief GetSummaryInformation for @p n VMs.
 * @param requested the RequestedInformation codes (e.g. 0 Name, 1 ElementName,
 *        101 EnabledState, 103 MemoryUsage, ...); NULL with n_requested 0 asks
 *        for {0, 1, 101}
 * @param[out] out array of Msvm_SummaryInformation (one per VM, in order);
 *        free with vsdk_hv_summary_free()
 */
VSDK_API int vsdk_hv_summary(vsdk_session *s, vsdk_hv_Msvm_ComputerSystem *const *vms, size_t n,
			     const uint32_t *requested, size_t n_requested, vsdk_hv_Msvm_SummaryInformation ***out,
			     size_t *n_out);

/** @brief Free a summary array (NULL accepted). */
VSDK_API void vsdk_hv_summary_free(vsdk_hv_Msvm_SummaryInformation **v, size_t n);

/* ---- KVP exchange --------------------------------------------------------------------- */

/** Limits of one KVP item (Msvm_KvpExchangeDataItem Name / Data MaxLen, in bytes of UTF-8). */
#define VSDK_HV_KVP_NAME_MAX 1024
#define VSDK_HV_KVP_DATA_MAX 1024
/** At most this many items per Add/Modify/Remove call. */
#define VSDK_HV_KVP_ITEMS_MAX 128
/** The item the reference agent puts userdata in. */
#define VSDK_HV_USERDATA_KEY "cloudstack-vm-userdata"

/** One key-value item. */
typedef struct vsdk_hv_kvp_item {
	char *name;      /**< UTF-8 */
	char *data;      /**< UTF-8 */
	uint16_t source; /**< 0 host, 1 guest, 2 guest intrinsic, 4 host-only */
} vsdk_hv_kvp_item;

/** @brief Free an item array (NULL accepted). */
VSDK_API void vsdk_hv_kvp_items_free(vsdk_hv_kvp_item *items, size_t n);

/**
 * @brief Add host-to-guest items (AddKvpItems, Source 0).  Fails if one exists.
 * @param items names and data (source ignored); 1..VSDK_HV_KVP_ITEMS_MAX
 * @return VSDK_OK; VSDK_ELIMIT (too many items, or a name/data over its limit:
 *         refused before anything is sent); VSDK_EINVALID (NULL, invalid UTF-8,
 *         NUL-free text required); the codes of vsdk_hv_method_result().
 */
VSDK_API int vsdk_hv_kvp_add(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
			     const vsdk_hv_kvp_item *items, size_t n, int timeout_ms);
/** @brief Modify existing host items (ModifyKvpItems); as vsdk_hv_kvp_add(). */
VSDK_API int vsdk_hv_kvp_modify(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				const vsdk_hv_kvp_item *items, size_t n, int timeout_ms);
/** @brief Remove host items by name (RemoveKvpItems); as vsdk_hv_kvp_add(). */
VSDK_API int vsdk_hv_kvp_remove(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				const char *const *names, size_t n, int timeout_ms);
/**
 * @brief Add the item, or modify it when the VM already has a host item of
 * that name.
 */
VSDK_API int vsdk_hv_kvp_upsert(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const char *name,
				const char *data, int timeout_ms);

/**
 * @brief The host items (HostExchangeItems of the KVP component setting data).
 * @param[out] items malloc'd array; free with vsdk_hv_kvp_items_free()
 */
VSDK_API int vsdk_hv_kvp_host_items(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				    vsdk_hv_kvp_item **items, size_t *n);

/**
 * @brief The guest's items: GuestExchangeItems (source 1) then
 * GuestIntrinsicExchangeItems (source 2) of the VM's Msvm_KvpExchangeComponent.
 * @return VSDK_OK; VSDK_ETOOLS (no KVP component: integration services off).
 */
VSDK_API int vsdk_hv_kvp_guest_items(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				     vsdk_hv_kvp_item **items, size_t *n);

/** Userdata flags. */
#define VSDK_HV_USERDATA_RAW 0u    /**< @p data is raw bytes: stored base64-encoded */
#define VSDK_HV_USERDATA_BASE64 1u /**< @p data is base64 text: checked, stored as is */

/**
 * @brief Set the userdata item (VSDK_HV_USERDATA_KEY) with upsert semantics.
 * @param data raw bytes or base64 text (see @p flags); stored base64
 * @return VSDK_OK; VSDK_EINVALID (not base64 with VSDK_HV_USERDATA_BASE64);
 *         VSDK_ELIMIT (the base64 text is over VSDK_HV_KVP_DATA_MAX); as
 *         vsdk_hv_kvp_upsert().
 */
VSDK_API int vsdk_hv_userdata_set(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const void *data,
				  size_t len, unsigned flags, int timeout_ms);

/* ---- low level -------------------------------------------------------------------- */

/**
 * @brief The session's vsdk_cim_transport, for the generated
 * `vsdk_hv_<Class>_<Method>()` calls (borrowed; valid while the session lives).
 * @return NULL (with VSDK_EINVALID) when @p s is not a Hyper-V session.
 */
VSDK_API const vsdk_cim_transport *vsdk_hv_transport(vsdk_session *s);

/**
 * @brief The EPR (resource URI + key selectors) of an instance, built from its
 * class's Key properties.
 * @param[out] epr filled; clear with vsdk_cim_epr_clear()
 * @return VSDK_OK; VSDK_EINVALID (a key property is absent); VSDK_ENOMEM.
 */
VSDK_API int vsdk_hv_epr_of(const vsdk_cim_instance *inst, vsdk_cim_epr *epr);

/**
 * @brief Run a WQL query (SELECT / ASSOCIATORS OF) against root/virtualization/v2.
 * @param query  the complete query: quote every literal with vsdk_hv_wql_quote()
 * @param expect the class to decode into (results of other classes are decoded
 *        as their own class when the schema has it and it derives from @p expect)
 * @param[out] out array of instances; free each with vsdk_cim_free() and the array with free()
 */
VSDK_API int vsdk_hv_query(vsdk_session *s, const char *query, const vsdk_cim_class *expect,
			   vsdk_cim_instance ***out, size_t *n);

/**
 * @brief Quote @p value as a WQL string literal ('..', with ' " and \
 * backslash-escaped).
 * @param[out] out malloc'd
 * @return VSDK_OK; VSDK_EINVALID (control characters, NUL-terminated invalid UTF-8).
 */
VSDK_API int vsdk_hv_wql_quote(const char *value, char **out);

/** Counters of a session's WS-Man traffic (for benchmarks and diagnostics). */
typedef struct vsdk_hv_stats {
	unsigned long requests;   /**< exchanges */
	size_t bytes_received;    /**< response bytes as received (compressed, if gzip) */
} vsdk_hv_stats;

/** @brief The session's counters; zeros for a non-Hyper-V session. */
VSDK_API vsdk_hv_stats vsdk_hv_stats_get(const vsdk_session *s);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_HYPERV_H */
