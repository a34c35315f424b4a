/*
 * vsdk - VI sessions: service content, login/logout with transparent
 * re-login, the product check for esx/gsx/vpx, and fault decoding.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vsdk__vi_reset(vsdk_session *s)
{
	soap_destroy(s->soap);
	soap_end(s->soap);
}

struct vim25__ManagedObjectReference *vsdk__vi_mor(vsdk_session *s, const char *type, const char *value)
{
	struct vim25__ManagedObjectReference *m = soap_malloc(s->soap, sizeof(*m));

	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->type = soap_strdup(s->soap, type);
	m->__item = soap_strdup(s->soap, value);
	return m;
}

struct vim25__ManagedObjectReference *vsdk__vi_mor_of(vsdk_session *s, const vsdk__moref *m)
{
	return vsdk__vi_mor(s, m->type, m->value);
}

int vsdk__moref_set(vsdk__moref *m, const struct vim25__ManagedObjectReference *src)
{
	vsdk__moref_clear(m);
	if (!src || !src->__item)
		return VSDK_OK;
	m->type = vsdk__strdup(src->type ? src->type : "");
	m->value = vsdk__strdup(src->__item);
	if (!m->type || !m->value) {
		vsdk__moref_clear(m);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	return VSDK_OK;
}

void vsdk__moref_clear(vsdk__moref *m)
{
	free(m->type);
	free(m->value);
	m->type = m->value = NULL;
}

/* ---- faults ------------------------------------------------------------- */

static const struct {
	const char *fault;
	int code;
} fault_codes[] = {
	/* Most specific first: the first is-a match wins. */
	{ "InvalidLogin", VSDK_EAUTH },
	{ "NotAuthenticated", VSDK_EAUTH },
	{ "NoPermission", VSDK_EAUTH },
	{ "ManagedObjectNotFound", VSDK_ENOTFOUND },
	{ "FileNotFound", VSDK_ENOTFOUND },
	{ "FileAlreadyExists", VSDK_EEXISTS },
	{ "DuplicateName", VSDK_EEXISTS },
	{ "AlreadyExists", VSDK_EEXISTS },
	{ "ToolsUnavailable", VSDK_ETOOLS },
	{ "RequestCanceled", VSDK_ECANCELED },
	{ "Timedout", VSDK_ETIMEOUT },
	{ "InvalidPowerState", VSDK_ESTATE },
	{ "TaskInProgress", VSDK_ESTATE },
	{ "InvalidState", VSDK_ESTATE },
	{ "NotSupported", VSDK_EUNSUPPORTED },
	{ "NotImplemented", VSDK_EUNSUPPORTED },
	{ "MethodNotFound", VSDK_EUNSUPPORTED },
	{ "InvalidArgument", VSDK_EINVALID },
	{ "InvalidRequest", VSDK_EINVALID },
};

int vsdk__vi_fault_code(int id)
{
	for (size_t i = 0; i < sizeof(fault_codes) / sizeof(fault_codes[0]); i++) {
		int base = vsdk__vim_type_id(fault_codes[i].fault);

		if (base && vsdk__vim_is_a(id, base))
			return fault_codes[i].code;
	}
	return VSDK_EFAULT;
}

static int fault_code_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(fault_codes) / sizeof(fault_codes[0]); i++)
		if (strcmp(fault_codes[i].fault, name) == 0)
			return fault_codes[i].code;
	return VSDK_EFAULT;
}

/*
 * A fault type this build's stubs do not know arrives as raw XML in
 * detail->__any: take its name from xsi:type, else from the element name
 * (vim25 fault elements are named <Type>Fault).
 */
static void name_from_raw(const char *xml, char *out, size_t outlen)
{
	const char *p = xml ? strstr(xml, ":type=\"") : NULL;
	size_t n = 0;

	out[0] = '\0';
	if (p) {
		p += 7;
		if (strchr(p, ':') && strchr(p, ':') < strchr(p, '"'))
			p = strchr(p, ':') + 1;
		while (p[n] && p[n] != '"' && n + 1 < outlen)
			n++;
	} else if (xml && (p = strchr(xml, '<'))) {
		p++;
		if (strchr(p, ':') && strchr(p, ':') < p + strcspn(p, " />"))
			p = strchr(p, ':') + 1;
		while (p[n] && !strchr(" />", p[n]) && n + 1 < outlen)
			n++;
		if (n > 5 && strncmp(p + n - 5, "Fault", 5) == 0)
			n -= 5;
	}
	memcpy(out, p ? p : "", n);
	out[n] = '\0';
}

int vsdk__vi_method_fault(const char *what, struct vim25__MethodFault *fault, const char *message)
{
	int id = SOAP_TYPE_vim25__MethodFault;
	const char *name;
	int rc;

	if (fault)
		vsdk__vim_most_derived(fault, SOAP_TYPE_vim25__MethodFault, &id);
	name = vsdk__vim_type_name(id);
	if (!name)
		name = "MethodFault";
	rc = vsdk__error_set(vsdk__vi_fault_code(id), "%s: %s%s%s", what, name,
			     message && *message ? ": " : "", message ? message : "");
	snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "%s", name);
	return rc;
}

int vsdk__vi_fault(vsdk_session *s, const char *what, bool may_relogin)
{
	struct soap *soap = s->soap;
	struct SOAP_ENV__Detail *d;
	const char *msg;
	char name[128] = "";
	int code, rc;

	if (soap->error != SOAP_FAULT)
		return vsdk__transport_error(soap, what);
	d = soap->fault ? soap->fault->detail : NULL;
	msg = soap->fault && soap->fault->faultstring ? soap->fault->faultstring : "";
	if (d && d->fault && d->__type) {
		const char *n = vsdk__vim_type_name(d->__type);

		snprintf(name, sizeof(name), "%s", n ? n : "");
		code = vsdk__vi_fault_code(d->__type);
	} else if (d && d->__any) {
		name_from_raw(d->__any, name, sizeof(name));
		code = fault_code_by_name(name);
	} else {
		code = VSDK_EFAULT;
	}
	if (strcmp(name, "NotAuthenticated") == 0 && may_relogin && s->password && s->vi &&
	    s->vi->logged_in) {
		vsdk__log(VSDK_LOG_INFO, "%s: session expired on %s; logging in again", what, s->uri.host);
		s->vi->logged_in = false;
		if (vsdk__vi_login(s) == VSDK_OK) {
			s->vi->relogins++;
			return VSDK__RETRY;
		}
		vsdk__error_prefix("%s: the session expired and logging in again failed", what);
		return vsdk_error_last()->code;
	}
	if (!*name)
		snprintf(name, sizeof(name), "%s", "SOAP fault");
	rc = vsdk__error_set(code, "%s: %s%s%s", what, name, *msg ? ": " : "", msg);
	snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "%s", name);
	vsdk__error_mut()->http_status = soap->status ? soap->status : 500;
	return rc;
}

/* ---- login -------------------------------------------------------------- */

int vsdk__vi_login(vsdk_session *s)
{
	struct vim25__LoginRequestType req;
	struct _vim25__LoginResponse resp;
	int rc;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->session_manager);
	req.userName = s->username;
	req.password = s->password;
	if (soap_call___vim25__Login(s->soap, s->endpoint, NULL, &req, &resp) != SOAP_OK) {
		rc = vsdk__vi_fault(s, "login", false);
		if (rc == VSDK_EAUTH)
			vsdk__error_prefix("logging in to %s as '%s'", s->uri.host, s->username);
		return rc;
	}
	s->vi->logged_in = true;
	vsdk__log(VSDK_LOG_INFO, "logged in to %s as %s", s->uri.host, s->username);
	return VSDK_OK;
}

static int copy_str(char **dst, const char *src)
{
	free(*dst);
	*dst = vsdk__strdup(src ? src : "");
	return *dst ? VSDK_OK : VSDK_ENOMEM;
}

static int parse_proxy(vsdk_session *s, const char *v)
{
	const char *p = v, *colon;
	char *end;

	if (strstr(p, "://")) {
		if (strncmp(p, "http://", 7) != 0)
			return vsdk__error_set(VSDK_EUNSUPPORTED,
					       "URI: parameter 'proxy': only http:// proxies are supported, not '%.*s'",
					       (int)(strstr(p, "://") - p), p);
		p += 7;
	}
	colon = strrchr(p, ':');
	s->tcfg.proxy_port = 1080;
	if (colon) {
		long port = strtol(colon + 1, &end, 10);

		if (*end || port < 1 || port > 65535 || colon == p)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'proxy': invalid port in '%s'", v);
		s->tcfg.proxy_port = (int)port;
	}
	if (!*p || colon == p)
		return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'proxy': no host in '%s'", v);
	/* The host string lives in the URI's parameter (owned by the session). */
	if (colon)
		*(char *)colon = '\0';
	s->tcfg.proxy_host = p;
	return VSDK_OK;
}

int vsdk__vi_open(vsdk_session *s)
{
	struct vim25__RetrieveServiceContentRequestType req;
	struct _vim25__RetrieveServiceContentResponse resp;
	struct vim25__ServiceContent *sc;
	struct vim25__AboutInfo *about;
	const char *v, *want_api, *scheme = s->uri.scheme;
	bool ipv6 = strchr(s->uri.host, ':') != NULL;
	int rc;

	if ((rc = vsdk__uri_param_bool(&s->uri, "auto_answer", &s->auto_answer)))
		return rc;
	if ((v = vsdk__uri_param(&s->uri, "vcenter"))) {
		if (s->kind != VSDK_SESSION_ESX)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter' is only valid for esx://");
		if (!*v)
			return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'vcenter' is empty (give a host or *)");
		if (!(s->vcenter = vsdk__strdup(v)))
			return VSDK_ENOMEM;
	}
	if ((v = vsdk__uri_param(&s->uri, "proxy")) && (rc = parse_proxy(s, v)))
		return rc;
	if ((rc = vsdk__uri_check_unused(&s->uri)))
		return rc;
	if (s->uri.path && *s->uri.path && s->kind != VSDK_SESSION_VPX)
		vsdk__log(VSDK_LOG_WARN, "%s:// ignores the URI path '%s'", scheme, s->uri.path);

	if (asprintf(&s->endpoint, "%s://%s%s%s:%d/sdk", s->tcfg.https ? "https" : "http", ipv6 ? "[" : "",
		     s->uri.host, ipv6 ? "]" : "", s->tcfg.port) < 0) {
		s->endpoint = NULL;
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	s->vi = calloc(1, sizeof(*s->vi));
	if (!s->vi)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	s->soap = vsdk__transport_new(&s->tcfg);
	if (!s->soap)
		return vsdk_error_last()->code;
	soap_set_imode(s->soap, SOAP_DOM_NODE | SOAP_XML_TREE); /* vim25 has no id/href: skip their fix-ups */
	/* Strings are UTF-8 both ways (without this gSOAP decodes to Latin-1: "é" came back as 0xE9). */
	soap_set_mode(s->soap, SOAP_C_UTFSTRING);

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "ServiceInstance", "ServiceInstance");
	if (soap_call___vim25__RetrieveServiceContent(s->soap, s->endpoint, NULL, &req, &resp) != SOAP_OK)
		return vsdk__vi_fault(s, "connecting to the VI endpoint", false);
	sc = resp.returnval;
	about = sc ? sc->about : NULL;
	if (!sc || !about || !sc->sessionManager || !sc->propertyCollector || !sc->rootFolder)
		return vsdk__error_set(VSDK_EPROTO, "%s did not return a usable ServiceContent (is it a VI endpoint?)",
				       s->endpoint);
	if ((rc = copy_str(&s->product, about->fullName)) || (rc = copy_str(&s->api_version, about->apiVersion)) ||
	    (rc = copy_str(&s->vi->api_type, about->apiType)) ||
	    (rc = copy_str(&s->vi->product_line, about->productLineId)) ||
	    (rc = copy_str(&s->vi->instance_uuid, about->instanceUuid)))
		return rc;
	if ((rc = vsdk__moref_set(&s->vi->root_folder, sc->rootFolder)) ||
	    (rc = vsdk__moref_set(&s->vi->property_collector, sc->propertyCollector)) ||
	    (rc = vsdk__moref_set(&s->vi->view_manager, sc->viewManager)) ||
	    (rc = vsdk__moref_set(&s->vi->session_manager, sc->sessionManager)) ||
	    (rc = vsdk__moref_set(&s->vi->search_index, sc->searchIndex)) ||
	    (rc = vsdk__moref_set(&s->vi->file_manager, sc->fileManager)) ||
	    (rc = vsdk__moref_set(&s->vi->virtual_disk_manager, sc->virtualDiskManager)) ||
	    (rc = vsdk__moref_set(&s->vi->task_manager, sc->taskManager)))
		return rc;

	/* The scheme must match what the server is. */
	want_api = s->kind == VSDK_SESSION_VPX ? "VirtualCenter" : "HostAgent";
	if (strcmp(s->vi->api_type, want_api) != 0)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "%s:// expects %s, but %s is %s (%s); use %s://",
				       scheme, s->kind == VSDK_SESSION_VPX ? "a vCenter server" : "a host agent",
				       s->uri.host,
				       strcmp(s->vi->api_type, "VirtualCenter") == 0 ? "a vCenter server" : "a host agent",
				       s->product, strcmp(s->vi->api_type, "VirtualCenter") == 0 ? "vpx" : "esx");
	if (s->kind == VSDK_SESSION_GSX ? strcmp(s->vi->product_line, "gsx") != 0
					: (s->kind == VSDK_SESSION_ESX && strcmp(s->vi->product_line, "gsx") == 0))
		return vsdk__error_set(VSDK_EUNSUPPORTED, "%s:// does not match %s (product line '%s', %s)", scheme,
				       s->uri.host, s->vi->product_line, s->product);

	if ((rc = vsdk__session_credentials(s, s->kind == VSDK_SESSION_VPX ? "administrator@vsphere.local" : "root")))
		return rc;
	if ((rc = vsdk__vi_login(s)))
		return rc;
	vsdk__vi_reset(s);
	if (s->vcenter && (rc = vsdk__vi_vcenter_connect(s)))
		return rc;
	return VSDK_OK;
}

void vsdk__vi_close(vsdk_session *s)
{
	struct vsdk_vi *vi = s->vi;

	if (vi && vi->logged_in && s->soap) {
		struct vim25__LogoutRequestType req;
		struct _vim25__LogoutResponse resp;

		vsdk__vi_reset(s);
		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		req._USCOREthis = vsdk__vi_mor_of(s, &vi->session_manager);
		if (req._USCOREthis && soap_call___vim25__Logout(s->soap, s->endpoint, NULL, &req, &resp) != SOAP_OK)
			vsdk__log(VSDK_LOG_DEBUG, "logout from %s failed (ignored)", s->uri.host);
		vsdk__vi_reset(s);
	}
	if (vi) {
		vsdk__moref_clear(&vi->task_pc);
		vsdk_session_close(vi->vcenter);
		free(vi->host_id);
		free(vi->host_name);
		free(vi->mgmt_ip);
		vsdk__moref_clear(&vi->root_folder);
		vsdk__moref_clear(&vi->property_collector);
		vsdk__moref_clear(&vi->view_manager);
		vsdk__moref_clear(&vi->session_manager);
		vsdk__moref_clear(&vi->search_index);
		vsdk__moref_clear(&vi->file_manager);
		vsdk__moref_clear(&vi->virtual_disk_manager);
		vsdk__moref_clear(&vi->task_manager);
		free(vi->api_type);
		free(vi->product_line);
		free(vi->instance_uuid);
		free(vi);
	}
	s->vi = NULL;
}
