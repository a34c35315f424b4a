/*
 * vsdk - VI inventory: typed lists of VMs, hosts, datastores and networks,
 * VM lookups, and migration through a vCenter.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/vi_inventory.h
 * @brief Listing and finding inventory objects; migrating VMs.
 *
 * Everything here works on esx://, gsx:// and vpx:// sessions (see
 * vsdk/session.h) and is built on vsdk_vi_retrieve() (one ContainerView and
 * paged RetrievePropertiesEx), so memory per call grows with the result the
 * caller keeps, not with the inventory's size.
 *
 * **vCenter for an ESX host.**  `esx://host/?vcenter=<v>` makes the session
 * also log into the vCenter that manages the host (needed for migration):
 *  - `vcenter=*` uses the host's `summary.managementServerIp`; the open fails
 *    with VSDK_ENOTFOUND when the host reports none;
 *  - `vcenter=<name-or-ip>` must resolve to that same IP address (as
 *    libvirt checks), else VSDK_EINVALID;
 *  - either form may end in `:PORT` (`vcenter=*:8443`, `vcenter=vc.example:443`,
 *    `vcenter=[fe80::1]:443`); without one the vCenter is reached on the ESX
 *    session's own port, with the ESX session's transport, CA file/dir and
 *    no_verify (a thumbprint pins the ESX host only and is not reused).
 * The vCenter session asks the same credential callback, with the vCenter's
 * host name as the challenge; without a callback it uses the URI's user and
 * VSDK_PASSWORD, like the ESX session.
 *
 * Thread-safety: as for the session (one thread at a time per session).
 * Returned structs and strings belong to the caller.
 */
#ifndef VSDK_VI_INVENTORY_H
#define VSDK_VI_INVENTORY_H

#include "vsdk/vi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- typed lists ---------------------------------------------------- */

/** A virtual machine: MoRef id plus the properties most callers need. */
typedef struct vsdk_vi_vm_info {
	char *id;            /**< MoRef value, e.g. "vm-42" */
	char *name;          /**< name */
	char *power_state;   /**< runtime.powerState: "poweredOn", "poweredOff", "suspended" (NULL if unset) */
	char *uuid;          /**< config.uuid (BIOS UUID), or NULL */
	char *instance_uuid; /**< config.instanceUuid (vCenter's id for the VM), or NULL */
	char *host;          /**< runtime.host MoRef value, or NULL */
} vsdk_vi_vm_info;

/** A host. */
typedef struct vsdk_vi_host_info {
	char *id;                   /**< MoRef value, e.g. "host-21" or "ha-host" */
	char *name;                 /**< name */
	char *connection_state;     /**< runtime.connectionState: "connected", "disconnected", "notResponding" */
	char *management_server_ip; /**< summary.managementServerIp: its vCenter, or NULL */
	char *product;              /**< summary.config.product.fullName, or NULL */
} vsdk_vi_host_info;

/** A datastore. */
typedef struct vsdk_vi_datastore_info {
	char *id;            /**< MoRef value */
	char *name;          /**< summary.name */
	char *type;          /**< summary.type: "VMFS", "NFS", "OTHER", ... (NULL if unset) */
	char *url;           /**< summary.url, or NULL */
	long long capacity;  /**< summary.capacity in bytes (-1 if unset) */
	long long free_space;/**< summary.freeSpace in bytes (-1 if unset) */
	int accessible;      /**< summary.accessible: 1, 0, or -1 if unset */
} vsdk_vi_datastore_info;

/** A network (standard port group, distributed port group or opaque network). */
typedef struct vsdk_vi_network_info {
	char *id;       /**< MoRef value */
	char *name;     /**< name */
	int accessible; /**< summary.accessible: 1, 0, or -1 if unset */
} vsdk_vi_network_info;

/**
 * @brief List every VM with its typed properties.
 * @param[out] out   a malloc()ed array; free with vsdk_vi_vm_info_free()
 * @param[out] count its length
 * @param s  a VI session
 * @return VSDK_OK; VSDK_EINVALID; VSDK_ENOMEM; the codes of vsdk_vi_retrieve()
 *         (server faults carry their type name in vsdk_error_last()->fault).
 */
VSDK_API int vsdk_vi_list_vms(vsdk_vi_vm_info **out, size_t *count, vsdk_session *s);
/**
 * @brief List every host; as vsdk_vi_list_vms(). Free with vsdk_vi_host_info_free().
 * @param[out] out a malloc()ed array; free with vsdk_vi_host_info_free()
 * @param[out] count its length
 * @param s the session (used by one thread at a time)
 * @return as vsdk_vi_list_vms()
 */
VSDK_API int vsdk_vi_list_hosts(vsdk_vi_host_info **out, size_t *count, vsdk_session *s);
/**
 * @brief List every datastore; as vsdk_vi_list_vms(). Free with vsdk_vi_datastore_info_free().
 * @param[out] out a malloc()ed array; free with vsdk_vi_datastore_info_free()
 * @param[out] count its length
 * @param s the session (used by one thread at a time)
 * @return as vsdk_vi_list_vms()
 */
VSDK_API int vsdk_vi_list_datastores(vsdk_vi_datastore_info **out, size_t *count, vsdk_session *s);
/**
 * @brief List every network; as vsdk_vi_list_vms(). Free with vsdk_vi_network_info_free().
 * @param[out] out a malloc()ed array; free with vsdk_vi_network_info_free()
 * @param[out] count its length
 * @param s the session (used by one thread at a time)
 * @return as vsdk_vi_list_vms()
 */
VSDK_API int vsdk_vi_list_networks(vsdk_vi_network_info **out, size_t *count, vsdk_session *s);

/**
 * @brief Free an array from vsdk_vi_list_vms() (NULL is fine).
 * @param v the array (NULL accepted)
 * @param count its length
 */
VSDK_API void vsdk_vi_vm_info_free(vsdk_vi_vm_info *v, size_t count);
/**
 * @brief Free an array from vsdk_vi_list_hosts() (NULL is fine).
 * @param v the array (NULL accepted)
 * @param count its length
 */
VSDK_API void vsdk_vi_host_info_free(vsdk_vi_host_info *v, size_t count);
/**
 * @brief Free an array from vsdk_vi_list_datastores() (NULL is fine).
 * @param v the array (NULL accepted)
 * @param count its length
 */
VSDK_API void vsdk_vi_datastore_info_free(vsdk_vi_datastore_info *v, size_t count);
/**
 * @brief Free an array from vsdk_vi_list_networks() (NULL is fine).
 * @param v the array (NULL accepted)
 * @param count its length
 */
VSDK_API void vsdk_vi_network_info_free(vsdk_vi_network_info *v, size_t count);

/** Kinds of inventory objects for vsdk_vi_list_props(). */
typedef enum vsdk_vi_kind {
	VSDK_VI_VM = 1,        /**< VirtualMachine */
	VSDK_VI_HOST = 2,      /**< HostSystem */
	VSDK_VI_DATASTORE = 3, /**< Datastore */
	VSDK_VI_NETWORK = 4    /**< Network (and its subtypes) */
} vsdk_vi_kind;

/**
 * @brief Retrieve chosen property paths of every object of a kind.
 *
 * A thin wrapper over vsdk_vi_retrieve() with the managed object type of
 * @p kind and the default page size; objects stream to @p cb page by page.
 * @return as vsdk_vi_retrieve(); VSDK_EINVALID for an unknown @p kind.
 * @param s the session (used by one thread at a time)
 * @param kind the kind of object to list
 * @param paths property paths to retrieve
 * @param npaths number of paths
 * @param cb called once per object
 * @param payload passed unchanged to the callback
 */
VSDK_API int vsdk_vi_list_props(vsdk_session *s, vsdk_vi_kind kind, const char *const *paths, size_t npaths,
				vsdk_vi_object_cb cb, void *payload);

/**
 * @brief Retrieve properties of one object by its MoRef.
 *
 * @param s     a VI session
 * @param type  managed object type, e.g. "VirtualMachine", "Task"
 * @param id    MoRef value, e.g. "vm-42"
 * @param paths,npaths property paths
 * @param cb    called once with the object (not called on failure)
 * @return VSDK_OK or the callback's non-zero value; VSDK_ENOTFOUND (fault
 *         ManagedObjectNotFound) when no such object exists; other codes as
 *         vsdk_vi_retrieve().
 * @param payload passed unchanged to the callback
 */
VSDK_API int vsdk_vi_object_retrieve(vsdk_session *s, const char *type, const char *id, const char *const *paths,
				     size_t npaths, vsdk_vi_object_cb cb, void *payload);

/**
 * @brief The typed properties of one VM by MoRef id.
 * @param[out] out filled on success; free its strings with vsdk_vi_vm_info_free(out, 1)
 *             after copying, or call vsdk_vi_vm_info_clear(out).
 * @return VSDK_OK; VSDK_ENOTFOUND; as vsdk_vi_object_retrieve().
 * @param s the session (used by one thread at a time)
 * @param id the VM's managed object id
 */
VSDK_API int vsdk_vi_vm_get_info(vsdk_vi_vm_info *out, vsdk_session *s, const char *id);

/**
 * @brief Free the strings inside one vsdk_vi_vm_info and zero it (NULL is fine).
 * @param v the struct whose strings are freed and zeroed (NULL accepted)
 */
VSDK_API void vsdk_vi_vm_info_clear(vsdk_vi_vm_info *v);

/* ---- finding VMs ---------------------------------------------------- */

/**
 * @brief Find a VM by its name (exact, case-sensitive).
 *
 * Lists VM names through one ContainerView (vSphere has no name index).
 * @param[out] id  malloc()ed MoRef value of the VM; caller frees
 * @return VSDK_OK; VSDK_ENOTFOUND when no VM has that name; VSDK_EAMBIGUOUS
 *         when several do (the message counts them, and names two ids);
 *         VSDK_EINVALID; the codes of vsdk_vi_retrieve().
 * @param s the session (used by one thread at a time)
 * @param name the VM name
 */
VSDK_API int vsdk_vi_find_vm_by_name(char **id, vsdk_session *s, const char *name);

/**
 * @brief Find a VM by BIOS UUID (config.uuid) or instance UUID (config.instanceUuid).
 *
 * SearchIndex.FindByUuid over all datacenters with vmSearch=true.
 * @param[out] id       malloc()ed MoRef value; caller frees
 * @param uuid          the UUID in its usual text form
 * @param instance_uuid non-zero to search instance UUIDs (vCenter), 0 for BIOS UUIDs
 * @return VSDK_OK; VSDK_ENOTFOUND; VSDK_EINVALID; server faults as typed codes.
 * @param s the session (used by one thread at a time)
 */
VSDK_API int vsdk_vi_find_vm_by_uuid(char **id, vsdk_session *s, const char *uuid, int instance_uuid);

/**
 * @brief Find any managed entity by inventory path (SearchIndex.FindByInventoryPath).
 *
 * Paths are "<datacenter>/vm/<vm>", "<datacenter>/host/<compute>/<host>", ...
 * e.g. "ha-datacenter/vm/myvm" on ESX or "DC0/vm/DC0_C0_RP0_VM0" on vCenter.
 * @param[out] type malloc()ed managed object type (e.g. "VirtualMachine"), or NULL to skip
 * @param[out] id   malloc()ed MoRef value; caller frees
 * @return VSDK_OK; VSDK_ENOTFOUND when nothing is at that path; VSDK_EINVALID.
 * @param s the session (used by one thread at a time)
 * @param path the inventory path
 */
VSDK_API int vsdk_vi_find_by_inventory_path(char **type, char **id, vsdk_session *s, const char *path);

/* ---- vCenter and migration ------------------------------------------ */

/**
 * @brief The vCenter session opened for `esx://...?vcenter=`.
 * @return borrowed (lives as long as @p s), or NULL when the session has no
 *         vcenter= parameter or is not a VI session.
 * @param s the session (used by one thread at a time)
 */
VSDK_API vsdk_session *vsdk_vi_get_vcenter(vsdk_session *s);

/** Current version of vsdk_vi_migrate_options. */
#define VSDK_VI_MIGRATE_OPTIONS_VERSION 1

/** Move priority (VirtualMachineMovePriority). */
typedef enum vsdk_vi_migrate_priority {
	VSDK_VI_MIGRATE_DEFAULT = 0, /**< defaultPriority */
	VSDK_VI_MIGRATE_LOW = 1,     /**< lowPriority */
	VSDK_VI_MIGRATE_HIGH = 2     /**< highPriority */
} vsdk_vi_migrate_priority;

/** Options for vsdk_vi_migrate_vm(); start from VSDK_VI_MIGRATE_OPTIONS_INIT. */
typedef struct vsdk_vi_migrate_options {
	unsigned int version;              /**< VSDK_VI_MIGRATE_OPTIONS_VERSION */
	vsdk_vi_migrate_priority priority; /**< default: defaultPriority */
	/** 0: MigrateVM_Task(pool, host, priority); 1: RelocateVM_Task(spec{pool, host}, priority). */
	int use_relocate;
	/** Resource pool MoRef id in the vCenter; NULL: the target host's compute resource's root pool. */
	const char *pool;
	/** How long to wait for the task; 0: 3600000; VSDK_WAIT_INFINITE: forever. */
	int timeout_ms;
} vsdk_vi_migrate_options;

/** Initializer with every default. */
#define VSDK_VI_MIGRATE_OPTIONS_INIT { VSDK_VI_MIGRATE_OPTIONS_VERSION, VSDK_VI_MIGRATE_DEFAULT, 0, NULL, 0 }

/**
 * @brief Migrate a VM to another host through vCenter and wait for the task.
 *
 * On an esx:// session opened with `vcenter=`, @p vm names a VM on this ESX
 * host (its name or MoRef id there); the VM is then found in the vCenter by
 * its BIOS UUID, else by its name.  On a vpx:// session @p vm is a VM name or
 * MoRef id in that vCenter.
 *
 * @p target_host is a host in the vCenter: its name, its MoRef id, or an IP
 * address or DNS name that resolves to the address of a host's name.  The
 * pool is @p opts->pool or the root pool of the host's compute resource.
 *
 * @param s     an esx:// session with vcenter=, or a vpx:// session
 * @param vm    the VM
 * @param target_host the destination host
 * @param opts  options, or NULL for the defaults
 * @return VSDK_OK when the task succeeded; VSDK_EINVALID ("migration requires
 *         vcenter= in the URI" on an esx:// session without it; bad options);
 *         VSDK_ENOTFOUND (VM or host not found, with which one); VSDK_EAMBIGUOUS;
 *         VSDK_EUNSUPPORTED (gsx://); VSDK_ETIMEOUT (the task did not finish in
 *         time); the task's fault as a typed code (e.g. VSDK_ESTATE for
 *         InvalidPowerState, VSDK_EINVALID for InvalidArgument) with the fault
 *         name in vsdk_error_last()->fault.
 */
VSDK_API int vsdk_vi_migrate_vm(vsdk_session *s, const char *vm, const char *target_host,
				const vsdk_vi_migrate_options *opts);

/**
 * @brief Migrate a VM from one ESX host's session to another's.
 *
 * Both sessions must be esx:// with `vcenter=`, and both hosts must be
 * managed by the same vCenter: the same instance UUID (about.instanceUuid)
 * at the same address and port.
 * The destination is @p dst's host, found in the vCenter by its name or by
 * the address of @p dst's URI host.
 *
 * @return as vsdk_vi_migrate_vm(); VSDK_EINVALID when the hosts are in
 *         different vCenters or either session lacks vcenter=.
 * @param src the esx:// session (with vcenter=) of the host the VM runs on
 * @param vm the VM: its name or MoRef id on the source host
 * @param dst the esx:// session (with vcenter=) of the destination host
 * @param opts options, or NULL for the defaults
 */
VSDK_API int vsdk_vi_migrate_vm_to(vsdk_session *src, const char *vm, vsdk_session *dst,
				   const vsdk_vi_migrate_options *opts);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VI_INVENTORY_H */
