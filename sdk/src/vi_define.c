/*
 * vsdk - defining a VM from domain XML or VMX (upload the .vmx to the
 * datastore, RegisterVM_Task, clean up on failure) and dumping a registered
 * VM's configuration (download its .vmx, convert to domain XML).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_http_private.h"
#include "vi_vm_private.h"
#include "vsdk/vi.h"
#include "vsdk/vmx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the hardware version a server's product version supports ------------ */

int vsdk__vi_default_hw_version(const char *product_line, const char *version)
{
	/* The newest virtualHW.version each product release supports. */
	static const struct {
		int major, minor, update, hw;
	} table[] = {
		{ 3, 0, 0, 4 }, { 4, 0, 0, 7 }, { 5, 0, 0, 8 }, { 5, 1, 0, 9 }, { 5, 5, 0, 10 },
		{ 6, 0, 0, 11 }, { 6, 5, 0, 13 }, { 6, 7, 0, 14 }, { 7, 0, 0, 17 }, { 7, 0, 1, 18 },
		{ 7, 0, 2, 19 }, { 8, 0, 0, 20 }, { 8, 0, 2, 21 },
	};
	int major = 0, minor = 0, update = 0, hw = 4;

	if (product_line && strcmp(product_line, "gsx") == 0)
		return 7;
	if (!version || sscanf(version, "%d.%d.%d", &major, &minor, &update) < 1)
		return 4;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (major > table[i].major || (major == table[i].major && minor > table[i].minor) ||
		    (major == table[i].major && minor == table[i].minor && update >= table[i].update))
			hw = table[i].hw;
	}
	return hw;
}

/* ---- "[ds] dir/file" ----------------------------------------------------------- */

int vsdk__vi_ds_path_split(const char *path, char **ds, char **rel)
{
	const char *close;

	*ds = *rel = NULL;
	if (!path || path[0] != '[' || !(close = strchr(path, ']')) || close == path + 1)
		return vsdk__error_set(VSDK_EINVALID, "'%s' is not a datastore path of the form '[datastore] dir/file'",
				       path ? path : "(null)");
	*ds = strndup(path + 1, (size_t)(close - path - 1));
	close++;
	while (*close == ' ')
		close++;
	*rel = strdup(close);
	if (!*ds || !*rel) {
		free(*ds);
		free(*rel);
		*ds = *rel = NULL;
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	return VSDK_OK;
}

/* ---- where: datastore, datacenter, folder, pool --------------------------------- */

struct place {
	const char *ds_name;
	const char *dc_name;  /* wanted datacenter, or NULL */
	char *ds;             /* Datastore id */
	char *dc;             /* Datacenter id */
	char *dc_path;        /* its name (dcPath) */
	char *vm_folder;      /* its vmFolder id */
	char *pool;           /* ResourcePool id */
	int rc;
};

static void place_free(struct place *p)
{
	free(p->ds);
	free(p->dc);
	free(p->dc_path);
	free(p->vm_folder);
	free(p->pool);
}

static bool has_ref(const vsdk_vi_object *o, const char *path, const char *id)
{
	int type = 0;
	const struct vim25__ArrayOfManagedObjectReference *a = vsdk_vi_object_get_raw(o, path, &type);

	if (!a || type != SOAP_TYPE_vim25__ArrayOfManagedObjectReference)
		return false;
	for (int i = 0; i < a->__sizeManagedObjectReference; i++)
		if (a->ManagedObjectReference[i].__item && strcmp(a->ManagedObjectReference[i].__item, id) == 0)
			return true;
	return false;
}

static int ds_cb(void *payload, const vsdk_vi_object *o)
{
	struct place *p = payload;
	const char *n = vsdk_vi_object_get(o, "name");

	if (n && strcmp(n, p->ds_name) == 0) {
		if (!(p->ds = strdup(vsdk_vi_object_id(o))))
			return p->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return 1;
	}
	return 0;
}

static int dc_cb(void *payload, const vsdk_vi_object *o)
{
	struct place *p = payload;
	const char *n = vsdk_vi_object_get(o, "name"), *folder = vsdk_vi_object_get(o, "vmFolder");

	if (!n || !folder || (p->dc_name ? strcmp(n, p->dc_name) != 0 : !has_ref(o, "datastore", p->ds)))
		return 0;
	p->dc = strdup(vsdk_vi_object_id(o));
	p->dc_path = strdup(n);
	p->vm_folder = strdup(folder);
	if (!p->dc || !p->dc_path || !p->vm_folder)
		return p->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return 1;
}

static int pool_cb(void *payload, const vsdk_vi_object *o)
{
	struct place *p = payload;
	const char *pool = vsdk_vi_object_get(o, "resourcePool");

	if (!pool || !has_ref(o, "datastore", p->ds))
		return 0;
	if (!(p->pool = strdup(pool)))
		return p->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return 1;
}

/* Find the datastore by name, the datacenter holding it and (want_pool) a pool that sees it. */
static int find_place(vsdk_session *s, struct place *p, const char *pool, bool want_pool)
{
	static const char *const ds_paths[] = { "name" };
	static const char *const dc_paths[] = { "name", "vmFolder", "datastore" };
	static const char *const cr_paths[] = { "resourcePool", "datastore" };
	int rc;

	rc = vsdk_vi_retrieve(s, "Datastore", ds_paths, 1, 0, ds_cb, p);
	if (rc < 0 || p->rc)
		return rc < 0 ? rc : p->rc;
	if (!p->ds)
		return vsdk__error_set(VSDK_ENOTFOUND, "datastore '%s' not found", p->ds_name);
	rc = vsdk_vi_retrieve(s, "Datacenter", dc_paths, 3, 0, dc_cb, p);
	if (rc < 0 || p->rc)
		return rc < 0 ? rc : p->rc;
	if (!p->dc)
		return p->dc_name ? vsdk__error_set(VSDK_ENOTFOUND, "datacenter '%s' not found", p->dc_name)
				  : vsdk__error_set(VSDK_ENOTFOUND, "no datacenter holds datastore '%s'", p->ds_name);
	if (!want_pool)
		return VSDK_OK;
	if (pool) {
		if (!(p->pool = strdup(pool)))
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return VSDK_OK;
	}
	rc = vsdk_vi_retrieve(s, "ComputeResource", cr_paths, 2, 0, pool_cb, p);
	if (rc < 0 || p->rc)
		return rc < 0 ? rc : p->rc;
	if (!p->pool)
		return vsdk__error_set(VSDK_ENOTFOUND,
				       "no compute resource sees datastore '%s'; give a resource pool in the options",
				       p->ds_name);
	return VSDK_OK;
}

/* ---- datastore file tasks -------------------------------------------------------- */

static int make_directory(vsdk_session *s, const struct place *p, const char *dir, bool *created)
{
	struct vim25__MakeDirectoryRequestType req;
	struct _vim25__MakeDirectoryResponse resp;
	enum xsd__boolean parents = xsd__boolean__true_;
	char what[512];
	int rc;

	*created = false;
	snprintf(what, sizeof(what), "creating directory [%s] %s", p->ds_name, dir);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	if (!s->vi->file_manager.value)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "%s: the server has no FileManager", what);
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->file_manager);
	if (asprintf(&req.name, "[%s] %s", p->ds_name, dir) < 0)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	req.datacenter = vsdk__vi_mor(s, "Datacenter", p->dc);
	req.createParentDirectories = &parents;
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__MakeDirectory(s->soap, s->endpoint, NULL, &req, &resp));
	free(req.name);
	vsdk__vi_reset(s);
	if (rc == VSDK_EEXISTS)
		return VSDK_OK; /* FileAlreadyExists: not ours to remove */
	if (rc == VSDK_OK)
		*created = true;
	return rc;
}

static int delete_file(vsdk_session *s, const struct place *p, const char *rel)
{
	struct vim25__DeleteDatastoreFileRequestType req;
	struct _vim25__DeleteDatastoreFile_USCORETaskResponse resp;
	vsdk_task *t = NULL;
	char what[512], *name = NULL;
	int rc;

	snprintf(what, sizeof(what), "deleting [%s] %s", p->ds_name, rel);
	if (asprintf(&name, "[%s] %s", p->ds_name, rel) < 0)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->file_manager);
	req.name = name;
	req.datacenter = vsdk__vi_mor(s, "Datacenter", p->dc);
	VSDK_VI_CALL(rc, s, what,
		     soap_call___vim25__DeleteDatastoreFile_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	free(name);
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(&t, resp.returnval, NULL, "DeleteDatastoreFile_Task");
	vsdk__vi_reset(s);
	return rc ? rc : vsdk__vm_wait(s, t, 60000, NULL);
}

/* ---- define ------------------------------------------------------------------------ */

static int register_vm(vsdk_session *s, const struct place *p, const char *ds_path, const char *host, int timeout_ms,
		       char **vm)
{
	struct vim25__RegisterVMRequestType req;
	struct _vim25__RegisterVM_USCORETaskResponse resp;
	vsdk_task *t = NULL;
	char what[600];
	int rc;

	snprintf(what, sizeof(what), "RegisterVM_Task of %s", ds_path);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "Folder", p->vm_folder);
	req.path = (char *)ds_path;
	req.asTemplate = xsd__boolean__false_;
	req.pool = vsdk__vi_mor(s, "ResourcePool", p->pool);
	if (host)
		req.host = vsdk__vi_mor(s, "HostSystem", host);
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__RegisterVM_USCORETask(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc == VSDK_OK)
		rc = vsdk__task_from_mor(&t, resp.returnval, NULL, "RegisterVM_Task");
	vsdk__vi_reset(s);
	if (rc)
		return rc;
	rc = vsdk_task_wait(s, t, timeout_ms, NULL, NULL, vm);
	if (rc == VSDK_ETIMEOUT) {
		/* Do not leave a registration running over a file we remove. */
		vsdk_error saved = *vsdk_error_last();

		if (vsdk_task_cancel(s, t) == VSDK_OK || vsdk_task_get_state(t) != VSDK_TASK_SUCCESS)
			rc = vsdk_task_wait(s, t, 30000, NULL, NULL, vm);
		if (rc == VSDK_ECANCELED || rc == VSDK_ETIMEOUT) {
			*vsdk__error_mut() = saved;
			rc = VSDK_ETIMEOUT;
		}
	}
	vsdk_task_free(t);
	if (rc == VSDK_OK && (!*vm || !**vm)) {
		free(*vm);
		*vm = NULL;
		return vsdk__error_set(VSDK_EPROTO, "%s: the task returned no virtual machine", what);
	}
	return rc;
}

static void copy_escaped_name(vsdk_buf *b, const char *name)
{
	/* A file name: '/', '\\', '%' and control characters as %XX (as the VI API escapes names). */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == '%')
			vsdk__buf_printf(b, "%%%02x", *p);
		else
			vsdk__buf_putc(b, (char)*p);
	}
}

/* Upload the VMX to [ds] rel, register it; on failure remove what was made. */
static int define_at(char **vm, vsdk_session *s, const char *vmx, const char *ds_name, const char *rel,
		     const vsdk_vi_define_options *o, const char *fn)
{
	struct place p;
	char *url = NULL, *ds_path = NULL, *dir = NULL, *slash;
	int timeout = o && o->timeout_ms ? o->timeout_ms : 60000;
	bool created = false, uploaded = false;
	int rc;

	memset(&p, 0, sizeof(p));
	p.ds_name = ds_name;
	p.dc_name = o ? o->datacenter : NULL;
	if ((rc = find_place(s, &p, o ? o->resource_pool : NULL, true)))
		goto out;
	if ((rc = vsdk__vi_folder_url(&url, s, p.dc_path, ds_name, rel)))
		goto out;
	if (asprintf(&ds_path, "[%s] %s", ds_name, rel) < 0) {
		ds_path = NULL;
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	/* Never overwrite the configuration of another VM. */
	rc = vsdk__vi_http(s, SOAP_GET, url, NULL, 0, NULL, NULL, "checking for an existing .vmx");
	if (rc == VSDK_OK) {
		rc = vsdk__error_set(VSDK_EEXISTS, "%s: %s already exists; it is not overwritten", fn, ds_path);
		goto out;
	}
	if (rc != VSDK_ENOTFOUND)
		goto out;
	if ((dir = strdup(rel)) && (slash = strrchr(dir, '/'))) {
		*slash = '\0';
		if (*dir && (rc = make_directory(s, &p, dir, &created)))
			goto out;
	} else if (!dir) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = vsdk__vi_http(s, SOAP_PUT, url, vmx, strlen(vmx), NULL, NULL, "uploading the .vmx")))
		goto out;
	uploaded = true;
	vsdk__log(VSDK_LOG_INFO, "uploaded %s (%zu bytes); registering it", ds_path, strlen(vmx));
	rc = register_vm(s, &p, ds_path, o ? o->host : NULL, timeout, vm);
out:
	if (rc && (uploaded || created)) {
		vsdk_error saved = *vsdk_error_last();
		int drc = created ? delete_file(s, &p, dir) : delete_file(s, &p, rel);

		if (drc)
			vsdk__log(VSDK_LOG_WARN, "%s: removing %s after the failure failed: %s", fn,
				  created ? dir : ds_path, vsdk_error_last()->message);
		*vsdk__error_mut() = saved;
		if (drc)
			vsdk__error_prefix("%s (and %s could not be removed)", fn, ds_path);
	}
	free(url);
	free(ds_path);
	free(dir);
	place_free(&p);
	return rc;
}

VSDK_API int vsdk_vi_vm_define_vmx(char **vm, vsdk_session *s, const char *vmx_text, const char *ds_path,
				   const vsdk_vi_define_options *o)
{
	const char *fn = "vsdk_vi_vm_define_vmx";
	vsdk_vmx *vmx = NULL;
	char *ds = NULL, *rel = NULL;
	size_t n;
	int rc;

	if (!vm)
		return vsdk__error_set(VSDK_EINVALID, "%s: vm is NULL", fn);
	*vm = NULL;
	if (!vsdk__session_is_vi(s, fn))
		return VSDK_EINVALID;
	if (!vmx_text)
		return vsdk__error_set(VSDK_EINVALID, "%s: vmx_text is NULL", fn);
	if (o && o->version != VSDK_VI_DEFINE_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "%s: options version %u is not %u", fn, o->version,
				       VSDK_VI_DEFINE_OPTIONS_VERSION);
	if ((rc = vsdk__vi_ds_path_split(ds_path, &ds, &rel))) {
		vsdk__error_prefix("%s: ds_path", fn);
		return rc;
	}
	n = strlen(rel);
	if (n < 5 || strcmp(rel + n - 4, ".vmx") != 0 || rel[n - 5] == '/') {
		rc = vsdk__error_set(VSDK_EINVALID, "%s: ds_path '%s' does not name a .vmx file", fn, ds_path);
		goto out;
	}
	/* Refuse what the server would choke on, before anything is uploaded. */
	if ((rc = vsdk_vmx_parse(&vmx, vmx_text, strlen(vmx_text), 0))) {
		vsdk__error_prefix("%s: vmx_text", fn);
		goto out;
	}
	if (!vsdk_vmx_get(vmx, "displayName")) {
		rc = vsdk__error_set(VSDK_EINVALID, "%s: vmx_text has no displayName", fn);
		goto out;
	}
	rc = define_at(vm, s, vmx_text, ds, rel, o, fn);
out:
	vsdk_vmx_free(vmx);
	free(ds);
	free(rel);
	return rc;
}

VSDK_API int vsdk_vi_vm_define_xml(char **vm, vsdk_session *s, const char *domain_xml, const vsdk_vi_define_options *o)
{
	const char *fn = "vsdk_vi_vm_define_xml";
	vsdk_vmx_options vo = VSDK_VMX_OPTIONS_INIT;
	vsdk_vm_config *cfg = NULL;
	vsdk_vmx *vmx = NULL;
	const vsdk_vm_disk *disk = NULL;
	char *ds = NULL, *rel = NULL, *text = NULL, *relvmx = NULL, *slash;
	vsdk_buf b = VSDK_BUF_INIT;
	int hw, rc;

	if (!vm)
		return vsdk__error_set(VSDK_EINVALID, "%s: vm is NULL", fn);
	*vm = NULL;
	if (!vsdk__session_is_vi(s, fn))
		return VSDK_EINVALID;
	if (!domain_xml)
		return vsdk__error_set(VSDK_EINVALID, "%s: domain_xml is NULL", fn);
	if (o && o->version != VSDK_VI_DEFINE_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "%s: options version %u is not %u", fn, o->version,
				       VSDK_VI_DEFINE_OPTIONS_VERSION);
	if (o && o->virtual_hw_version && (o->virtual_hw_version < 4 || o->virtual_hw_version > 99))
		return vsdk__error_set(VSDK_EINVALID, "%s: virtual_hw_version %d is out of range (4..99, 0: automatic)",
				       fn, o->virtual_hw_version);
	if ((rc = vsdk_vm_config_from_xml(&cfg, domain_xml))) {
		vsdk__error_prefix("%s: domain_xml", fn);
		return rc;
	}
	/* The datastore and directory come from the first file-based hard disk. */
	for (size_t i = 0; i < cfg->n_disks && !disk; i++)
		if (cfg->disks[i].device == VSDK_VM_DISK && cfg->disks[i].type == VSDK_VM_SOURCE_FILE &&
		    cfg->disks[i].source)
			disk = &cfg->disks[i];
	if (!disk) {
		rc = vsdk__error_set(VSDK_EINVALID,
				     "%s: the domain has no file-based hard disk with a '[datastore] dir/file.vmdk' source; "
				     "the .vmx goes next to the first one", fn);
		goto out;
	}
	if ((rc = vsdk__vi_ds_path_split(disk->source, &ds, &rel))) {
		vsdk__error_prefix("%s: the first disk's source", fn);
		goto out;
	}
	if (strlen(rel) < 6 || strcmp(rel + strlen(rel) - 5, ".vmdk") != 0) {
		rc = vsdk__error_set(VSDK_EINVALID, "%s: the first disk's source '%s' is not a .vmdk file", fn,
				     disk->source);
		goto out;
	}
	hw = o && o->virtual_hw_version ? o->virtual_hw_version
					: vsdk__vi_default_hw_version(s->vi->product_line, s->api_version);
	vo.virtual_hw_version = cfg->virtual_hw_version ? 0 : hw;
	if (!cfg->virtual_hw_version && vsdk_vm_config_min_hw(cfg) > hw) {
		rc = vsdk__error_set(VSDK_EUNSUPPORTED,
				     "%s: the domain needs virtualHW.version %d, but %s supports at most %d", fn,
				     vsdk_vm_config_min_hw(cfg), s->product, hw);
		goto out;
	}
	if ((rc = vsdk_vm_config_to_vmx(&vmx, cfg, &vo)) || (rc = vsdk_vmx_format(&text, vmx))) {
		vsdk__error_prefix("%s", fn);
		goto out;
	}
	/* <disk dir>/<name>.vmx */
	if ((slash = strrchr(rel, '/'))) {
		vsdk__buf_append(&b, rel, (size_t)(slash - rel + 1));
	}
	copy_escaped_name(&b, cfg->name);
	vsdk__buf_puts(&b, ".vmx");
	if (!(relvmx = vsdk__buf_detach(&b))) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	rc = define_at(vm, s, text, ds, relvmx, o, fn);
out:
	vsdk__buf_free(&b);
	vsdk_vm_config_free(cfg);
	vsdk_vmx_free(vmx);
	free(text);
	free(ds);
	free(rel);
	free(relvmx);
	return rc;
}

/* ---- dump ---------------------------------------------------------------------------- */

VSDK_API int vsdk_vi_vm_get_vmx(char **vmx, vsdk_session *s, const char *vm)
{
	static char *paths[] = { "config.files.vmPathName" };
	const char *fn = "vsdk_vi_vm_get_vmx";
	struct vim25__ObjectContent *oc;
	struct place p;
	char *ds = NULL, *rel = NULL, *url = NULL, what[600];
	const char *vmpath;
	int rc;

	if (!vmx)
		return vsdk__error_set(VSDK_EINVALID, "%s: vmx is NULL", fn);
	*vmx = NULL;
	if ((rc = vsdk__vm_check(s, vm, fn)))
		return rc;
	if ((rc = vsdk__vi_get_props(s, "VirtualMachine", vm, paths, 1, &oc)))
		return rc;
	vmpath = vsdk__vi_value_text(s, vsdk__vi_prop(oc, "config.files.vmPathName"));
	if (!vmpath || !*vmpath)
		return vsdk__error_set(VSDK_EPROTO, "%s: virtual machine %s has no config.files.vmPathName", fn, vm);
	if ((rc = vsdk__vi_ds_path_split(vmpath, &ds, &rel)))
		return rc;
	snprintf(what, sizeof(what), "downloading %s", vmpath);
	memset(&p, 0, sizeof(p));
	p.ds_name = ds;
	if ((rc = find_place(s, &p, NULL, false)) == VSDK_OK && (rc = vsdk__vi_folder_url(&url, s, p.dc_path, ds, rel)) == VSDK_OK)
		rc = vsdk__vi_http(s, SOAP_GET, url, NULL, 0, vmx, NULL, what);
	place_free(&p);
	free(url);
	free(ds);
	free(rel);
	return rc;
}

VSDK_API int vsdk_vi_vm_get_xml(char **xml, vsdk_session *s, const char *vm)
{
	char *vmx = NULL;
	int rc;

	if (!xml)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_vm_get_xml: xml is NULL");
	*xml = NULL;
	if ((rc = vsdk_vi_vm_get_vmx(&vmx, s, vm)))
		return rc;
	rc = vsdk_vmx_to_domain_xml(xml, vmx, strlen(vmx), NULL);
	if (rc)
		vsdk__error_prefix("vsdk_vi_vm_get_xml: the .vmx of %s", vm);
	free(vmx);
	return rc;
}
