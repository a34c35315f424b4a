/*
 * vsdk - the vCenter behind an ESX host (vcenter= in esx:// URIs) and VM
 * migration through it (MigrateVM_Task / RelocateVM_Task).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_private.h"
#include "vsdk/vi_inventory.h"
#include "vsdk/vi_task.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- this ESX host and its vCenter ------------------------------------ */

struct host_pick {
	char *id, *name, *ip;
	size_t n;
	int rc;
};

static int pick_host(void *payload, const vsdk_vi_object *o)
{
	struct host_pick *h = payload;
	const char *name = vsdk_vi_object_get(o, "name"), *ip = vsdk_vi_object_get(o, "summary.managementServerIp");

	if (h->n++)
		return 0; /* a host agent has exactly one host */
	h->id = strdup(vsdk_vi_object_id(o));
	h->name = strdup(name ? name : "");
	h->ip = ip && *ip ? strdup(ip) : NULL;
	if (!h->id || !h->name || (ip && *ip && !h->ip))
		return h->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return 0;
}

/* Normalize an address or resolve a name; fills up to max numeric addresses. */
static int resolve(const char *host, char out[][INET6_ADDRSTRLEN], int max)
{
	struct addrinfo hints, *res = NULL;
	int n = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	for (struct addrinfo *a = res; a && n < max; a = a->ai_next)
		if (getnameinfo(a->ai_addr, a->ai_addrlen, out[n], INET6_ADDRSTRLEN, NULL, 0, NI_NUMERICHOST) == 0)
			n++;
	freeaddrinfo(res);
	return n;
}

static bool same_address(const char *a, const char *b)
{
	char ra[8][INET6_ADDRSTRLEN], rb[8][INET6_ADDRSTRLEN];
	int na = resolve(a, ra, 8), nb = resolve(b, rb, 8);

	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (strcmp(ra[i], rb[j]) == 0)
				return true;
	return false;
}

/* Split "host", "host:port", "[v6]:port", "*", "*:port" (a bare IPv6 address has no port). */
static int split_host_port(const char *v, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(v, ':');
	size_t hl;

	*port = 0;
	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		if (!close || (close[1] && close[1] != ':'))
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter': malformed '%s'", v);
		hl = (size_t)(close - v - 1);
		if (hl == 0 || hl >= hostlen)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter': malformed '%s'", v);
		memcpy(host, v + 1, hl);
		host[hl] = '\0';
		colon = close[1] ? close + 1 : NULL;
	} else {
		if (colon && strchr(v, ':') != colon)
			colon = NULL; /* a bare IPv6 address */
		hl = colon ? (size_t)(colon - v) : strlen(v);
		if (hl == 0 || hl >= hostlen)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter': no host in '%s'", v);
		memcpy(host, v, hl);
		host[hl] = '\0';
	}
	if (colon) {
		char *end;
		long p = strtol(colon + 1, &end, 10);

		if (!colon[1] || *end || p < 1 || p > 65535)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter': invalid port in '%s'", v);
		*port = (int)p;
	}
	return VSDK_OK;
}

/* Percent-encode a URI user name. */
static void put_user(vsdk_buf *b, const char *u)
{
	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
			vsdk__buf_putc(b, (char)c);
		else
			vsdk__buf_printf(b, "%%%02X", c);
	}
}

int vsdk__vi_vcenter_connect(vsdk_session *s)
{
	static const char *const paths[] = { "name", "summary.managementServerIp" };
	struct host_pick h = { NULL, NULL, NULL, 0, 0 };
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_buf uri = VSDK_BUF_INIT;
	char host[256];
	const char *vc_host;
	bool star;
	int port, rc;
	char *text;

	if ((rc = split_host_port(s->vcenter, host, sizeof(host), &port)))
		return rc;
	star = strcmp(host, "*") == 0;
	rc = vsdk_vi_retrieve_text(s, "HostSystem", paths, 2, 0, pick_host, &h);
	if (rc || h.rc) {
		rc = h.rc ? h.rc : rc;
		goto out;
	}
	if (!h.n) {
		rc = vsdk__error_set(VSDK_EPROTO, "vcenter=: %s reports no HostSystem", s->uri.host);
		goto out;
	}
	s->vi->host_id = h.id;
	s->vi->host_name = h.name;
	s->vi->mgmt_ip = h.ip;
	h.id = h.name = h.ip = NULL;
	if (star && !s->vi->mgmt_ip) {
		rc = vsdk__error_set(VSDK_ENOTFOUND,
				     "vcenter=*: host %s (%s) is not managed by a vCenter (its summary.managementServerIp "
				     "is unset); name the vCenter instead of *", s->vi->host_name, s->uri.host);
		goto out;
	}
	if (!star && s->vi->mgmt_ip && !same_address(host, s->vi->mgmt_ip)) {
		rc = vsdk__error_set(VSDK_EINVALID,
				     "vcenter=%s: host %s is managed by the vCenter at %s, and '%s' does not resolve to "
				     "that address", s->vcenter, s->vi->host_name, s->vi->mgmt_ip, host);
		goto out;
	}
	if (!star && !s->vi->mgmt_ip)
		vsdk__log(VSDK_LOG_WARN, "vcenter=%s: host %s reports no managing vCenter; using the one named",
			  s->vcenter, s->vi->host_name);
	vc_host = star ? s->vi->mgmt_ip : host;

	vsdk__buf_puts(&uri, "vpx://");
	if (s->uri.user) {
		put_user(&uri, s->uri.user);
		vsdk__buf_putc(&uri, '@');
	}
	vsdk__buf_printf(&uri, strchr(vc_host, ':') ? "[%s]:%d/?transport=%s" : "%s:%d/?transport=%s", vc_host,
			 port ? port : s->tcfg.port, s->tcfg.https ? "https" : "http");
	if (s->tcfg.no_verify)
		vsdk__buf_puts(&uri, "&no_verify=1");
	if (s->tcfg.proxy_host)
		vsdk__buf_printf(&uri, "&proxy=http://%s:%d", s->tcfg.proxy_host, s->tcfg.proxy_port);
	if (!vsdk__buf_ok(&uri)) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	text = vsdk__buf_detach(&uri);
	o.auth = s->opts.auth;
	o.auth_payload = s->opts.auth_payload;
	o.ca_file = s->ca_file;
	o.ca_dir = s->ca_dir;
	o.connect_timeout_ms = s->tcfg.connect_timeout_ms;
	o.io_timeout_ms = s->tcfg.io_timeout_ms;
	o.max_response_bytes = s->opts.max_response_bytes;
	o.max_xml_depth = s->opts.max_xml_depth;
	o.gzip_requests = s->opts.gzip_requests;
	rc = vsdk_session_open(&s->vi->vcenter, text, &o);
	free(text);
	if (rc)
		vsdk__error_prefix("vcenter=%s: connecting to the vCenter %s of host %s", s->vcenter, vc_host,
				   s->vi->host_name);
	else
		vsdk__log(VSDK_LOG_INFO, "host %s: logged in to its vCenter %s", s->vi->host_name, vc_host);
out:
	free(h.id);
	free(h.name);
	free(h.ip);
	vsdk__buf_free(&uri);
	return rc;
}

VSDK_API vsdk_session *vsdk_vi_get_vcenter(vsdk_session *s)
{
	return s && s->kind != VSDK_SESSION_HYPERV && s->vi ? s->vi->vcenter : NULL;
}

/* ---- waiting for the task ------------------------------------------- */

/* Wait with vsdk_task_wait (vi_task.c); the VM id lets it handle questions. */
static int wait_task(vsdk_session *s, const char *task_id, const char *vm_id, const char *what, int timeout_ms)
{
	vsdk_task *t = NULL;
	int rc = vsdk_task_new(&t, task_id, vm_id);

	if (rc)
		return rc;
	rc = vsdk_task_wait(s, t, timeout_ms ? timeout_ms : 3600000, NULL, NULL, NULL);
	if (rc == VSDK_ETIMEOUT)
		rc = vsdk__error_set(VSDK_ETIMEOUT, "%s: task %s still running after %d ms", what, task_id,
				     timeout_ms ? timeout_ms : 3600000);
	else if (rc)
		vsdk__error_prefix("%s", what);
	vsdk_task_free(t);
	return rc;
}

/* ---- resolving VMs and hosts in the vCenter -------------------------- */

/* A VM by name, else by MoRef id. */
static int find_vm(char **id, vsdk_session *s, const char *vm)
{
	vsdk_vi_vm_info info;
	int rc = vsdk_vi_find_vm_by_name(id, s, vm);

	if (rc != VSDK_ENOTFOUND)
		return rc;
	if (vsdk_vi_vm_get_info(&info, s, vm) == VSDK_OK) {
		*id = info.id;
		info.id = NULL;
		vsdk_vi_vm_info_clear(&info);
		return VSDK_OK;
	}
	return vsdk__error_set(VSDK_ENOTFOUND, "no virtual machine is named (or has the id) '%s' on %s", vm,
			       s->uri.host);
}

struct host_match {
	const char *want;
	char addrs_of_want[8][INET6_ADDRSTRLEN];
	int naddrs;
	char *by_name, *by_addr;
	size_t names, addrs;
	int rc;
};

static bool is_ip_literal(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static bool has_address(const struct host_match *m, const char *ip)
{
	char norm[1][INET6_ADDRSTRLEN];

	if (resolve(ip, norm, 1) != 1)
		return false;
	for (int i = 0; i < m->naddrs; i++)
		if (strcmp(norm[0], m->addrs_of_want[i]) == 0)
			return true;
	return false;
}

static int match_host(void *payload, const vsdk_vi_object *o)
{
	struct host_match *m = payload;
	const char *name = vsdk_vi_object_get(o, "name"), *id = vsdk_vi_object_id(o);

	if (!name)
		return 0;
	if (vsdk__streq_ci(name, m->want) || strcmp(id, m->want) == 0) {
		if (!m->names++ && !(m->by_name = strdup(id)))
			return m->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	} else if (!m->names && is_ip_literal(name) && has_address(m, name)) {
		if (!m->addrs++ && !(m->by_addr = strdup(id)))
			return m->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * A host in vc by name, MoRef id or address.  Host names that are IP
 * literals are compared with the addresses of `want` (resolved once); other
 * names are not resolved, so a large inventory costs no DNS lookups.
 */
static int find_host(char **id, vsdk_session *vc, const char *want)
{
	static const char *const paths[] = { "name" };
	struct host_match m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.want = want;
	m.naddrs = resolve(want, m.addrs_of_want, 8);
	rc = vsdk_vi_retrieve_text(vc, "HostSystem", paths, 1, 0, match_host, &m);
	*id = NULL;
	if (rc || m.rc)
		rc = m.rc ? m.rc : rc;
	else if (m.names > 1 || (!m.names && m.addrs > 1))
		rc = vsdk__error_set(VSDK_EAMBIGUOUS, "%zu hosts in vCenter %s match '%s'", m.names ? m.names : m.addrs,
				     vc->uri.host, want);
	else if (m.names || m.addrs) {
		*id = m.names ? m.by_name : m.by_addr;
		if (m.names)
			m.by_name = NULL;
		else
			m.by_addr = NULL;
	} else
		rc = vsdk__error_set(VSDK_ENOTFOUND, "no host in vCenter %s is named '%s' or has that address",
				     vc->uri.host, want);
	free(m.by_name);
	free(m.by_addr);
	return rc;
}

struct mor_out {
	const char *path;
	char type[64];
	char id[256];
};

static int read_mor(void *payload, const vsdk_vi_object *o)
{
	struct mor_out *m = payload;
	int t = 0;
	const struct vim25__ManagedObjectReference *r = vsdk_vi_object_get_raw(o, m->path, &t);

	if (r && t == SOAP_TYPE_vim25__ManagedObjectReference && r->__item) {
		snprintf(m->type, sizeof(m->type), "%s", r->type ? r->type : "");
		snprintf(m->id, sizeof(m->id), "%s", r->__item);
	}
	return 0;
}

/* The root resource pool of a host's compute resource. */
static int host_pool(char *pool, size_t len, vsdk_session *vc, const char *host)
{
	const char *paths[1] = { "parent" };
	struct mor_out parent = { "parent", "", "" }, rp = { "resourcePool", "", "" };
	int rc = vsdk_vi_object_retrieve(vc, "HostSystem", host, paths, 1, read_mor, &parent);

	if (rc)
		return rc;
	if (!parent.id[0])
		return vsdk__error_set(VSDK_EPROTO, "host %s in vCenter %s has no parent compute resource", host,
				       vc->uri.host);
	paths[0] = "resourcePool";
	rc = vsdk_vi_object_retrieve(vc, parent.type[0] ? parent.type : "ComputeResource", parent.id, paths, 1,
				     read_mor, &rp);
	if (rc)
		return rc;
	if (!rp.id[0])
		return vsdk__error_set(VSDK_EPROTO, "compute resource %s in vCenter %s has no resource pool", parent.id,
				       vc->uri.host);
	snprintf(pool, len, "%s", rp.id);
	return VSDK_OK;
}

/* The VM of an esx:// session, found in its vCenter by BIOS UUID, else by name. */
static int vm_in_vcenter(char **id, vsdk_session *s, vsdk_session *vc, const char *vm)
{
	vsdk_vi_vm_info info;
	char *esx_id = NULL;
	int rc = find_vm(&esx_id, s, vm);

	if (rc)
		return rc;
	rc = vsdk_vi_vm_get_info(&info, s, esx_id);
	free(esx_id);
	if (rc)
		return rc;
	rc = info.uuid ? vsdk_vi_find_vm_by_uuid(id, vc, info.uuid, 0) : VSDK_ENOTFOUND;
	if (rc == VSDK_ENOTFOUND && info.name)
		rc = vsdk_vi_find_vm_by_name(id, vc, info.name);
	if (rc == VSDK_ENOTFOUND)
		rc = vsdk__error_set(VSDK_ENOTFOUND, "VM '%s' of host %s (BIOS UUID %s) is not in its vCenter %s",
				     info.name ? info.name : vm, s->uri.host, info.uuid ? info.uuid : "unset",
				     vc->uri.host);
	vsdk_vi_vm_info_clear(&info);
	return rc;
}

static int migrate(vsdk_session *vc, const char *vm_id, const char *host_id, const vsdk_vi_migrate_options *o,
		   const char *vm_label, const char *host_label)
{
	enum vim25__VirtualMachineMovePriority prio =
		o->priority == VSDK_VI_MIGRATE_LOW ? vim25__VirtualMachineMovePriority__lowPriority
		: o->priority == VSDK_VI_MIGRATE_HIGH ? vim25__VirtualMachineMovePriority__highPriority
						       : vim25__VirtualMachineMovePriority__defaultPriority;
	char pool[256], what[512], *task = NULL;
	struct vim25__ManagedObjectReference *ret = NULL;
	int rc;

	if (o->pool)
		snprintf(pool, sizeof(pool), "%s", o->pool);
	else if ((rc = host_pool(pool, sizeof(pool), vc, host_id)))
		return rc;
	snprintf(what, sizeof(what), "migrating VM %s to host %s through vCenter %s", vm_label, host_label,
		 vc->uri.host);
	vsdk__vi_reset(vc);
	if (o->use_relocate) {
		struct vim25__RelocateVMRequestType req;
		struct _vim25__RelocateVM_USCORETaskResponse resp;
		struct vim25__VirtualMachineRelocateSpec spec;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		memset(&spec, 0, sizeof(spec));
		req._USCOREthis = vsdk__vi_mor(vc, "VirtualMachine", vm_id);
		spec.pool = vsdk__vi_mor(vc, "ResourcePool", pool);
		spec.host = vsdk__vi_mor(vc, "HostSystem", host_id);
		req.spec = &spec;
		req.priority = &prio;
		VSDK_VI_CALL(rc, vc, what, soap_call___vim25__RelocateVM_USCORETask(vc->soap, vc->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
	} else {
		struct vim25__MigrateVMRequestType req;
		struct _vim25__MigrateVM_USCORETaskResponse resp;

		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor(vc, "VirtualMachine", vm_id);
		req.pool = vsdk__vi_mor(vc, "ResourcePool", pool);
		req.host = vsdk__vi_mor(vc, "HostSystem", host_id);
		req.priority = prio;
		VSDK_VI_CALL(rc, vc, what, soap_call___vim25__MigrateVM_USCORETask(vc->soap, vc->endpoint, NULL, &req, &resp));
		ret = resp.returnval;
	}
	if (rc)
		return rc;
	if (!ret || !ret->__item)
		return vsdk__error_set(VSDK_EPROTO, "%s: the server returned no task", what);
	if (!(task = strdup(ret->__item)))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = wait_task(vc, task, vm_id, what, o->timeout_ms);
	free(task);
	return rc;
}

static int check_opts(const vsdk_vi_migrate_options *o, const char *fn)
{
	if (o->version != VSDK_VI_MIGRATE_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "%s: opts->version is %u, expected %u (start from "
				       "VSDK_VI_MIGRATE_OPTIONS_INIT)", fn, o->version, VSDK_VI_MIGRATE_OPTIONS_VERSION);
	if (o->priority < VSDK_VI_MIGRATE_DEFAULT || o->priority > VSDK_VI_MIGRATE_HIGH)
		return vsdk__error_set(VSDK_EINVALID, "%s: opts->priority %d is not a vsdk_vi_migrate_priority", fn,
				       (int)o->priority);
	if (o->timeout_ms < 0 && o->timeout_ms != VSDK_WAIT_INFINITE)
		return vsdk__error_set(VSDK_EINVALID, "%s: opts->timeout_ms %d is negative", fn, o->timeout_ms);
	return VSDK_OK;
}

/* The vCenter to migrate through, or an error saying why there is none. */
static vsdk_session *vcenter_of(vsdk_session *s, const char *fn, int *rc)
{
	*rc = VSDK_OK;
	if (!vsdk__session_is_vi(s, fn)) {
		*rc = VSDK_EINVALID;
		return NULL;
	}
	if (s->kind == VSDK_SESSION_VPX)
		return s;
	if (s->kind == VSDK_SESSION_GSX) {
		*rc = vsdk__error_set(VSDK_EUNSUPPORTED, "%s: gsx:// hosts cannot be migrated", fn);
		return NULL;
	}
	if (!s->vi->vcenter) {
		*rc = vsdk__error_set(VSDK_EINVALID, "%s: migration requires vcenter= in the URI of %s "
				      "(e.g. esx://%s/?vcenter=*)", fn, s->uri.host, s->uri.host);
		return NULL;
	}
	return s->vi->vcenter;
}

VSDK_API int vsdk_vi_migrate_vm(vsdk_session *s, const char *vm, const char *target_host,
				const vsdk_vi_migrate_options *opts)
{
	static const vsdk_vi_migrate_options defaults = VSDK_VI_MIGRATE_OPTIONS_INIT;
	const vsdk_vi_migrate_options *o = opts ? opts : &defaults;
	vsdk_session *vc;
	char *vm_id = NULL, *host_id = NULL;
	int rc;

	if (!vm || !*vm || !target_host || !*target_host)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_migrate_vm: %s is %s", !vm || !*vm ? "vm" : "target_host",
				       (!vm || !*vm ? vm : target_host) ? "empty" : "NULL");
	if ((rc = check_opts(o, "vsdk_vi_migrate_vm")))
		return rc;
	if (!(vc = vcenter_of(s, "vsdk_vi_migrate_vm", &rc)))
		return rc;
	rc = vc == s ? find_vm(&vm_id, vc, vm) : vm_in_vcenter(&vm_id, s, vc, vm);
	if (!rc)
		rc = find_host(&host_id, vc, target_host);
	if (!rc)
		rc = migrate(vc, vm_id, host_id, o, vm, target_host);
	free(vm_id);
	free(host_id);
	return rc;
}

VSDK_API int vsdk_vi_migrate_vm_to(vsdk_session *src, const char *vm, vsdk_session *dst,
				   const vsdk_vi_migrate_options *opts)
{
	static const vsdk_vi_migrate_options defaults = VSDK_VI_MIGRATE_OPTIONS_INIT;
	const vsdk_vi_migrate_options *o = opts ? opts : &defaults;
	vsdk_session *vc, *dvc;
	char *vm_id = NULL, *host_id = NULL;
	int rc;

	if (!vm || !*vm)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_migrate_vm_to: vm is %s", vm ? "empty" : "NULL");
	if ((rc = check_opts(o, "vsdk_vi_migrate_vm_to")))
		return rc;
	if (!(vc = vcenter_of(src, "vsdk_vi_migrate_vm_to (source)", &rc)))
		return rc;
	if (!(dvc = vcenter_of(dst, "vsdk_vi_migrate_vm_to (destination)", &rc)))
		return rc;
	if (src->kind != VSDK_SESSION_ESX || dst->kind != VSDK_SESSION_ESX)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_migrate_vm_to: both sessions must be esx:// with "
				       "vcenter=; on a vpx:// session use vsdk_vi_migrate_vm()");
	/* One vCenter: the same instance UUID at the same address and port. */
	if (strcmp(vc->vi->instance_uuid, dvc->vi->instance_uuid) != 0 || vc->tcfg.port != dvc->tcfg.port ||
	    !same_address(vc->uri.host, dvc->uri.host))
		return vsdk__error_set(VSDK_EINVALID,
				       "vsdk_vi_migrate_vm_to: the hosts are in different vCenters (%s:%d manages %s, "
				       "%s:%d manages %s); migration works within one vCenter", vc->uri.host,
				       vc->tcfg.port, src->uri.host, dvc->uri.host, dvc->tcfg.port, dst->uri.host);
	rc = vm_in_vcenter(&vm_id, src, vc, vm);
	if (!rc) {
		rc = find_host(&host_id, vc, dst->vi->host_name && *dst->vi->host_name ? dst->vi->host_name
											 : dst->uri.host);
		if (rc == VSDK_ENOTFOUND)
			rc = find_host(&host_id, vc, dst->uri.host);
	}
	if (!rc)
		rc = migrate(vc, vm_id, host_id, o, vm, dst->uri.host);
	free(vm_id);
	free(host_id);
	return rc;
}
