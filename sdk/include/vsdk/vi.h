/*
 * vsdk - VMware VI (vSphere SOAP API) operations.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/vi.h
 * @brief Inventory and properties on an esx://, gsx:// or vpx:// session.
 *
 * Thread-safety: as for the session: one thread at a time per session.
 */
#ifndef VSDK_VI_H
#define VSDK_VI_H

#include "vsdk/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One inventory object handed to a callback; borrowed, valid during the callback only. */
typedef struct vsdk_vi_object vsdk_vi_object;

/**
 * @brief The object's managed object type, e.g. "VirtualMachine". Never NULL.
 * @param o the object handed to the callback (borrowed)
 * @return borrowed; valid during the callback
 */
VSDK_API const char *vsdk_vi_object_type(const vsdk_vi_object *o);

/**
 * @brief The object's managed object id (MoRef value), e.g. "vm-42". Never NULL.
 * @param o the object handed to the callback (borrowed)
 * @return borrowed; valid during the callback
 */
VSDK_API const char *vsdk_vi_object_id(const vsdk_vi_object *o);

/**
 * @brief A retrieved property as text: strings, enum values (e.g. "poweredOn"),
 * numbers, booleans ("true"/"false"), and MoRefs (their id).
 * @param path one of the property paths requested, e.g. "runtime.powerState"
 * @return borrowed (valid during the callback); NULL when the property is unset,
 *         was not requested, or is not a simple value.
 * @param o the object handed to the callback (borrowed)
 */
VSDK_API const char *vsdk_vi_object_get(const vsdk_vi_object *o, const char *path);

/**
 * @brief A retrieved property as the generated stub value, for complex values.
 * @param[out] soap_type the gSOAP type id (SOAP_TYPE_vim25__X) of the value, or 0
 * @return borrowed pointer to the most-derived generated struct (e.g. a
 *         struct vim25__VirtualMachineConfigInfo *), or NULL when unset.
 * @param o the object handed to the callback (borrowed)
 * @param path one of the property paths requested
 */
VSDK_API const void *vsdk_vi_object_get_raw(const vsdk_vi_object *o, const char *path, int *soap_type);

/**
 * @brief Per-object callback of vsdk_vi_retrieve().
 * @return 0 to continue, non-zero to stop (vsdk_vi_retrieve returns that value).
 */
typedef int (*vsdk_vi_object_cb)(void *payload, const vsdk_vi_object *obj);

/**
 * @brief Retrieve properties of every object of a type in the inventory.
 *
 * Uses one ContainerView over the root folder (recursive) and
 * RetrievePropertiesEx, following ContinueRetrievePropertiesEx tokens page
 * by page; each object is handed to @p cb as its page is decoded and freed
 * after, so memory stays flat however large the inventory.
 *
 * @param s      a VI session
 * @param type   managed object type: "VirtualMachine", "HostSystem", "Datastore", "Network", ...
 * @param paths  property paths to retrieve (e.g. "name", "runtime.powerState")
 * @param npaths number of paths (0 retrieves none: only ids)
 * @param page_size objects per page (0: 1000); the server may return fewer
 * @param cb     called once per object; it must not use @p s (the page it
 *               reads lives in the session's memory until the next call)
 * @param payload passed to @p cb
 * @return VSDK_OK; a non-zero value returned by @p cb; VSDK_EINVALID;
 *         VSDK_EFAULT and other codes for server faults (fault name in the
 *         error detail); VSDK_EIO/VSDK_ETIMEOUT for transport failures.
 */
VSDK_API int vsdk_vi_retrieve(vsdk_session *s, const char *type, const char *const *paths, size_t npaths,
			      unsigned int page_size, vsdk_vi_object_cb cb, void *payload);

/**
 * @brief As vsdk_vi_retrieve(), but values are kept as text only.
 *
 * Faster (several times less CPU on large inventories): gSOAP does not
 * decode each value into its generated struct, so in the callback
 * vsdk_vi_object_get() works as usual while vsdk_vi_object_get_raw()
 * returns NULL.  Use it when every requested property is a simple value
 * (string, number, boolean, enum, MoRef).
 * @return as vsdk_vi_retrieve().
 * @param s the session (used by one thread at a time)
 * @param type managed object type, as for vsdk_vi_retrieve()
 * @param paths property paths to retrieve
 * @param npaths number of paths
 * @param page_size objects per page (0: 1000)
 * @param cb called once per object
 * @param payload passed unchanged to the callback
 */
VSDK_API int vsdk_vi_retrieve_text(vsdk_session *s, const char *type, const char *const *paths, size_t npaths,
				   unsigned int page_size, vsdk_vi_object_cb cb, void *payload);

/**
 * @brief The names of all virtual machines.
 * @param[out] names  a malloc()ed array of malloc()ed strings; free with vsdk_strv_free()
 * @param[out] count  number of names
 * @return as vsdk_vi_retrieve().
 * @param s the session (used by one thread at a time)
 */
VSDK_API int vsdk_vi_list_vm_names(vsdk_session *s, char ***names, size_t *count);

/**
 * @brief Free an array of strings returned by vsdk (NULL is fine).
 * @param v the array (NULL accepted)
 * @param n its length
 */
VSDK_API void vsdk_strv_free(char **v, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VI_H */
