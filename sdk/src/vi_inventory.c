/*
 * vsdk - VI inventory: typed lists of VMs, hosts, datastores and networks,
 * single-object retrieval, and VM lookups by name, UUID and inventory path.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_private.h"
#include "vsdk/vi_inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one object --------------------------------------------------------- */

VSDK_API int vsdk_vi_object_retrieve(vsdk_session *s, const char *type, const char *id, const char *const *paths,
				     size_t npaths, vsdk_vi_object_cb cb, void *payload)
{
	struct vim25__RetrievePropertiesExRequestType req;
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__PropertyFilterSpec spec;
	struct vim25__PropertySpec pspec;
	struct vim25__ObjectSpec ospec;
	struct vim25__RetrieveOptions opts;
	struct vim25__RetrieveResult *r;
	int rc;

	if (!vsdk__session_is_vi(s, "vsdk_vi_object_retrieve"))
		return VSDK_EINVALID;
	if (!type || !*type || !id || !*id || !cb || (npaths && !paths))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_object_retrieve: %s is missing",
				       !type || !*type ? "type" : !id || !*id ? "id" : !cb ? "cb" : "paths");
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i] || !*paths[i])
			return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_object_retrieve: paths[%zu] is empty", i);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&spec, 0, sizeof(spec));
	memset(&pspec, 0, sizeof(pspec));
	memset(&ospec, 0, sizeof(ospec));
	memset(&opts, 0, sizeof(opts));
	ospec.obj = vsdk__vi_mor(s, type, id);
	if (!ospec.obj)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	pspec.type = (char *)type;
	pspec.__sizepathSet = (int)npaths;
	pspec.pathSet = (char **)paths;
	spec.__sizepropSet = 1;
	spec.propSet = &pspec;
	spec.__sizeobjectSet = 1;
	spec.objectSet = &ospec;
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->property_collector);
	req.__sizespecSet = 1;
	req.specSet = &spec;
	req.options = &opts;
	VSDK_VI_CALL(rc, s, "RetrievePropertiesEx",
		     soap_call___vim25__RetrievePropertiesEx(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc) {
		if (rc == VSDK_ENOTFOUND)
			vsdk__error_prefix("%s %s", type, id);
		return rc;
	}
	r = resp.returnval;
	if (!r || r->__sizeobjects < 1)
		return vsdk__error_set(VSDK_ENOTFOUND, "%s %s: no such object", type, id);
	{
		vsdk_vi_object o = { s, &r->objects[0], "" };

		rc = cb(payload, &o);
	}
	vsdk__vi_reset(s);
	return rc;
}

/* ---- typed lists -------------------------------------------------------- */

struct list {
	void *v;
	size_t n, cap, elem;
	int (*fill)(void *elem, const vsdk_vi_object *o);
	int rc;
};

static int dup_prop(char **dst, const vsdk_vi_object *o, const char *path)
{
	const char *v = vsdk_vi_object_get(o, path);

	*dst = NULL;
	if (!v)
		return VSDK_OK;
	*dst = strdup(v);
	return *dst ? VSDK_OK : vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

static long long num_prop(const vsdk_vi_object *o, const char *path)
{
	const char *v = vsdk_vi_object_get(o, path);

	return v ? strtoll(v, NULL, 10) : -1;
}

static int bool_prop(const vsdk_vi_object *o, const char *path)
{
	const char *v = vsdk_vi_object_get(o, path);

	return !v ? -1 : strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

static int add_elem(void *payload, const vsdk_vi_object *o)
{
	struct list *l = payload;
	char *e;
	int rc;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		void *nv = realloc(l->v, cap * l->elem);

		if (!nv)
			return l->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		l->v = nv;
		l->cap = cap;
	}
	e = (char *)l->v + l->n * l->elem;
	memset(e, 0, l->elem);
	l->n++; /* counted first, so a partly filled element is freed too */
	if ((rc = l->fill(e, o)))
		return l->rc = rc;
	return 0;
}

static const char *const vm_paths[] = { "name", "runtime.powerState", "config.uuid", "config.instanceUuid",
					"runtime.host" };

static int fill_vm(void *elem, const vsdk_vi_object *o)
{
	vsdk_vi_vm_info *v = elem;
	int rc;

	if (!(v->id = strdup(vsdk_vi_object_id(o))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((rc = dup_prop(&v->name, o, "name")) || (rc = dup_prop(&v->power_state, o, "runtime.powerState")) ||
	    (rc = dup_prop(&v->uuid, o, "config.uuid")) ||
	    (rc = dup_prop(&v->instance_uuid, o, "config.instanceUuid")) ||
	    (rc = dup_prop(&v->host, o, "runtime.host")))
		return rc;
	return 0;
}

static const char *const host_paths[] = { "name", "runtime.connectionState", "summary.managementServerIp",
					  "summary.config.product.fullName" };

static int fill_host(void *elem, const vsdk_vi_object *o)
{
	vsdk_vi_host_info *h = elem;
	int rc;

	if (!(h->id = strdup(vsdk_vi_object_id(o))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((rc = dup_prop(&h->name, o, "name")) ||
	    (rc = dup_prop(&h->connection_state, o, "runtime.connectionState")) ||
	    (rc = dup_prop(&h->management_server_ip, o, "summary.managementServerIp")) ||
	    (rc = dup_prop(&h->product, o, "summary.config.product.fullName")))
		return rc;
	return 0;
}

static const char *const ds_paths[] = { "summary.name", "summary.type", "summary.url", "summary.capacity",
					"summary.freeSpace", "summary.accessible" };

static int fill_ds(void *elem, const vsdk_vi_object *o)
{
	vsdk_vi_datastore_info *d = elem;
	int rc;

	if (!(d->id = strdup(vsdk_vi_object_id(o))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((rc = dup_prop(&d->name, o, "summary.name")) || (rc = dup_prop(&d->type, o, "summary.type")) ||
	    (rc = dup_prop(&d->url, o, "summary.url")))
		return rc;
	d->capacity = num_prop(o, "summary.capacity");
	d->free_space = num_prop(o, "summary.freeSpace");
	d->accessible = bool_prop(o, "summary.accessible");
	return 0;
}

static const char *const net_paths[] = { "name", "summary.accessible" };

static int fill_net(void *elem, const vsdk_vi_object *o)
{
	vsdk_vi_network_info *n = elem;
	int rc;

	if (!(n->id = strdup(vsdk_vi_object_id(o))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((rc = dup_prop(&n->name, o, "name")))
		return rc;
	n->accessible = bool_prop(o, "summary.accessible");
	return 0;
}

static int list_typed(vsdk_session *s, const char *fn, void **out, size_t *count, const char *type,
		      const char *const *paths, size_t npaths, size_t elem, int (*fill)(void *, const vsdk_vi_object *),
		      void (*freer)(void *, size_t))
{
	struct list l = { NULL, 0, 0, elem, fill, 0 };
	int rc;

	if (!out || !count)
		return vsdk__error_set(VSDK_EINVALID, "%s: %s is NULL", fn, !out ? "out" : "count");
	*out = NULL;
	*count = 0;
	rc = vsdk_vi_retrieve_text(s, type, paths, npaths, 0, add_elem, &l);
	if (rc) {
		freer(l.v, l.n);
		return l.rc ? l.rc : rc;
	}
	*out = l.v;
	*count = l.n;
	return VSDK_OK;
}

static void free_vms(void *v, size_t n)
{
	vsdk_vi_vm_info_free(v, n);
}

static void free_hosts(void *v, size_t n)
{
	vsdk_vi_host_info_free(v, n);
}

static void free_ds(void *v, size_t n)
{
	vsdk_vi_datastore_info_free(v, n);
}

static void free_nets(void *v, size_t n)
{
	vsdk_vi_network_info_free(v, n);
}

#define NPATHS(a) (sizeof(a) / sizeof((a)[0]))

VSDK_API int vsdk_vi_list_vms(vsdk_vi_vm_info **out, size_t *count, vsdk_session *s)
{
	return list_typed(s, "vsdk_vi_list_vms", (void **)out, count, "VirtualMachine", vm_paths, NPATHS(vm_paths),
			  sizeof(**out), fill_vm, free_vms);
}

VSDK_API int vsdk_vi_list_hosts(vsdk_vi_host_info **out, size_t *count, vsdk_session *s)
{
	return list_typed(s, "vsdk_vi_list_hosts", (void **)out, count, "HostSystem", host_paths,
			  NPATHS(host_paths), sizeof(**out), fill_host, free_hosts);
}

VSDK_API int vsdk_vi_list_datastores(vsdk_vi_datastore_info **out, size_t *count, vsdk_session *s)
{
	return list_typed(s, "vsdk_vi_list_datastores", (void **)out, count, "Datastore", ds_paths,
			  NPATHS(ds_paths), sizeof(**out), fill_ds, free_ds);
}

VSDK_API int vsdk_vi_list_networks(vsdk_vi_network_info **out, size_t *count, vsdk_session *s)
{
	return list_typed(s, "vsdk_vi_list_networks", (void **)out, count, "Network", net_paths,
			  NPATHS(net_paths), sizeof(**out), fill_net, free_nets);
}

VSDK_API void vsdk_vi_vm_info_clear(vsdk_vi_vm_info *v)
{
	if (!v)
		return;
	free(v->id);
	free(v->name);
	free(v->power_state);
	free(v->uuid);
	free(v->instance_uuid);
	free(v->host);
	memset(v, 0, sizeof(*v));
}

VSDK_API void vsdk_vi_vm_info_free(vsdk_vi_vm_info *v, size_t count)
{
	if (!v)
		return;
	for (size_t i = 0; i < count; i++)
		vsdk_vi_vm_info_clear(&v[i]);
	free(v);
}

VSDK_API void vsdk_vi_host_info_free(vsdk_vi_host_info *v, size_t count)
{
	if (!v)
		return;
	for (size_t i = 0; i < count; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].connection_state);
		free(v[i].management_server_ip);
		free(v[i].product);
	}
	free(v);
}

VSDK_API void vsdk_vi_datastore_info_free(vsdk_vi_datastore_info *v, size_t count)
{
	if (!v)
		return;
	for (size_t i = 0; i < count; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].type);
		free(v[i].url);
	}
	free(v);
}

VSDK_API void vsdk_vi_network_info_free(vsdk_vi_network_info *v, size_t count)
{
	if (!v)
		return;
	for (size_t i = 0; i < count; i++) {
		free(v[i].id);
		free(v[i].name);
	}
	free(v);
}

VSDK_API int vsdk_vi_list_props(vsdk_session *s, vsdk_vi_kind kind, const char *const *paths, size_t npaths,
				vsdk_vi_object_cb cb, void *payload)
{
	static const char *const types[] = { NULL, "VirtualMachine", "HostSystem", "Datastore", "Network" };

	if (kind < VSDK_VI_VM || kind > VSDK_VI_NETWORK)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_list_props: kind %d is not a vsdk_vi_kind", (int)kind);
	return vsdk_vi_retrieve(s, types[kind], paths, npaths, 0, cb, payload);
}

static int fill_one_vm(void *payload, const vsdk_vi_object *o)
{
	return fill_vm(payload, o);
}

VSDK_API int vsdk_vi_vm_get_info(vsdk_vi_vm_info *out, vsdk_session *s, const char *id)
{
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_vm_get_info: out is NULL");
	memset(out, 0, sizeof(*out));
	rc = vsdk_vi_object_retrieve(s, "VirtualMachine", id, vm_paths, NPATHS(vm_paths), fill_one_vm, out);
	if (rc)
		vsdk_vi_vm_info_clear(out);
	return rc;
}

/* ---- finding VMs -------------------------------------------------------- */

struct by_name {
	const char *name;
	char *first, *second;
	size_t matches;
	int rc;
};

static int match_name(void *payload, const vsdk_vi_object *o)
{
	struct by_name *b = payload;
	const char *n = vsdk_vi_object_get(o, "name");

	if (!n || strcmp(n, b->name) != 0)
		return 0;
	b->matches++;
	if (b->matches <= 2) {
		char **slot = b->matches == 1 ? &b->first : &b->second;

		if (!(*slot = strdup(vsdk_vi_object_id(o))))
			return b->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	return 0;
}

VSDK_API int vsdk_vi_find_vm_by_name(char **id, vsdk_session *s, const char *name)
{
	static const char *const paths[] = { "name" };
	struct by_name b = { name, NULL, NULL, 0, 0 };
	int rc;

	if (!id)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_vm_by_name: id is NULL");
	*id = NULL;
	if (!name || !*name)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_vm_by_name: name is %s", name ? "empty" : "NULL");
	rc = vsdk_vi_retrieve_text(s, "VirtualMachine", paths, 1, 0, match_name, &b);
	if (rc || b.rc) {
		rc = b.rc ? b.rc : rc;
	} else if (b.matches == 0) {
		rc = vsdk__error_set(VSDK_ENOTFOUND, "no virtual machine is named '%s' on %s", name, s->uri.host);
	} else if (b.matches > 1) {
		rc = vsdk__error_set(VSDK_EAMBIGUOUS,
				     "%zu virtual machines are named '%s' on %s (e.g. %s and %s); use a UUID or "
				     "an inventory path", b.matches, name, s->uri.host, b.first, b.second);
	} else {
		*id = b.first;
		b.first = NULL;
	}
	free(b.first);
	free(b.second);
	return rc;
}

static int take_mor(char **type, char **id, const struct vim25__ManagedObjectReference *m)
{
	if (type)
		*type = NULL;
	*id = strdup(m->__item);
	if (type && !(*type = strdup(m->type ? m->type : "")))
		goto nomem;
	if (!*id)
		goto nomem;
	return VSDK_OK;
nomem:
	free(*id);
	*id = NULL;
	if (type) {
		free(*type);
		*type = NULL;
	}
	return vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

VSDK_API int vsdk_vi_find_vm_by_uuid(char **id, vsdk_session *s, const char *uuid, int instance_uuid)
{
	struct vim25__FindByUuidRequestType req;
	struct _vim25__FindByUuidResponse resp;
	enum xsd__boolean inst;
	int rc;

	if (!id)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_vm_by_uuid: id is NULL");
	*id = NULL;
	if (!vsdk__session_is_vi(s, "vsdk_vi_find_vm_by_uuid"))
		return VSDK_EINVALID;
	if (!uuid || !*uuid)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_vm_by_uuid: uuid is %s", uuid ? "empty" : "NULL");
	if (!s->vi->search_index.value)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "%s has no SearchIndex", s->uri.host);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->search_index);
	req.uuid = (char *)uuid;
	req.vmSearch = xsd__boolean__true_;
	inst = instance_uuid ? xsd__boolean__true_ : xsd__boolean__false_;
	req.instanceUuid = &inst;
	VSDK_VI_CALL(rc, s, "FindByUuid", soap_call___vim25__FindByUuid(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || !resp.returnval->__item)
		rc = vsdk__error_set(VSDK_ENOTFOUND, "no virtual machine has %s UUID %s on %s",
				     instance_uuid ? "instance" : "BIOS", uuid, s->uri.host);
	else
		rc = take_mor(NULL, id, resp.returnval);
	vsdk__vi_reset(s);
	return rc;
}

VSDK_API int vsdk_vi_find_by_inventory_path(char **type, char **id, vsdk_session *s, const char *path)
{
	struct vim25__FindByInventoryPathRequestType req;
	struct _vim25__FindByInventoryPathResponse resp;
	int rc;

	if (type)
		*type = NULL;
	if (!id)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_by_inventory_path: id is NULL");
	*id = NULL;
	if (!vsdk__session_is_vi(s, "vsdk_vi_find_by_inventory_path"))
		return VSDK_EINVALID;
	if (!path || !*path)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_find_by_inventory_path: path is %s",
				       path ? "empty" : "NULL");
	if (!s->vi->search_index.value)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "%s has no SearchIndex", s->uri.host);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->search_index);
	req.inventoryPath = (char *)path;
	VSDK_VI_CALL(rc, s, "FindByInventoryPath",
		     soap_call___vim25__FindByInventoryPath(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || !resp.returnval->__item)
		rc = vsdk__error_set(VSDK_ENOTFOUND, "nothing is at inventory path '%s' on %s", path, s->uri.host);
	else
		rc = take_mor(type, id, resp.returnval);
	vsdk__vi_reset(s);
	return rc;
}
