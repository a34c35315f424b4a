/*
 * vsdk - VI property retrieval: ContainerView + RetrievePropertiesEx with
 * paging, objects handed to a callback page by page; property value text.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_private.h"
#include "vsdk/vi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

VSDK_API const char *vsdk_vi_object_type(const vsdk_vi_object *o)
{
	return o && o->oc->obj && o->oc->obj->type ? o->oc->obj->type : "";
}

VSDK_API const char *vsdk_vi_object_id(const vsdk_vi_object *o)
{
	return o && o->oc->obj && o->oc->obj->__item ? o->oc->obj->__item : "";
}

static struct soap_dom_element *find_prop(const vsdk_vi_object *o, const char *path)
{
	if (!o || !path)
		return NULL;
	for (int i = 0; i < o->oc->__sizepropSet; i++)
		if (o->oc->propSet[i].name && strcmp(o->oc->propSet[i].name, path) == 0)
			return &o->oc->propSet[i].val;
	return NULL;
}

/* Format into a per-call buffer in the arena. */
static const char *arena_printf(struct soap *soap, const char *fmt, long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), fmt, v);
	return soap_strdup(soap, tmp);
}

const char *vsdk__vi_value_text(vsdk_session *s, const struct soap_dom_element *val)
{
	const void *node;
	const char *t;

	if (!val)
		return NULL;
	node = val->node;
	if (!node)
		return val->text;
	switch (val->type) {
	case SOAP_TYPE_string:
		return (const char *)node; /* DOM_NODE: node is the string itself */
	case SOAP_TYPE_int:
		return arena_printf(s->soap, "%lld", *(const int *)node);
	case SOAP_TYPE_LONG64:
		return arena_printf(s->soap, "%lld", (long long)*(const LONG64 *)node);
	case SOAP_TYPE_short:
		return arena_printf(s->soap, "%lld", *(const short *)node);
	case SOAP_TYPE_byte:
		return arena_printf(s->soap, "%lld", *(const char *)node);
	case SOAP_TYPE_xsd__boolean:
		return *(const enum xsd__boolean *)node ? "true" : "false";
	case SOAP_TYPE_vim25__ManagedObjectReference:
		return ((const struct vim25__ManagedObjectReference *)node)->__item;
	default:
		t = vsdk__vim_enum_text(s->soap, val->type, *(const int *)node);
		if (t)
			return t;
		return NULL;
	}
}

struct soap_dom_element *vsdk__vi_any(struct soap *soap, const char *member, const void *node, int type)
{
	char name[128];
	struct soap_dom_element *e;

	snprintf(name, sizeof(name), "vim25:%s", member);
	e = soap_elt_new(soap, NULL, name);
	if (e)
		soap_elt_node(e, node, type);
	return e;
}

VSDK_API const char *vsdk_vi_object_get(const vsdk_vi_object *o, const char *path)
{
	struct soap_dom_element *v = find_prop(o, path);

	return v ? vsdk__vi_value_text(o->s, v) : NULL;
}

VSDK_API const void *vsdk_vi_object_get_raw(const vsdk_vi_object *o, const char *path, int *soap_type)
{
	struct soap_dom_element *v = find_prop(o, path);
	int id;
	void *p;

	if (soap_type)
		*soap_type = 0;
	if (!v || !v->node)
		return NULL;
	p = vsdk__vim_most_derived((void *)v->node, v->type, &id);
	if (soap_type)
		*soap_type = id;
	return p;
}

/* ---- ContainerView + RetrievePropertiesEx ------------------------------ */

static int create_view(vsdk_session *s, const char *type, char **view_id)
{
	struct vim25__CreateContainerViewRequestType req;
	struct _vim25__CreateContainerViewResponse resp;
	char *types[1];
	int rc;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	types[0] = (char *)type;
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->view_manager);
	req.container = vsdk__vi_mor_of(s, &s->vi->root_folder);
	req.__sizetype = 1;
	req.type = types;
	req.recursive = xsd__boolean__true_;
	VSDK_VI_CALL(rc, s, "CreateContainerView", soap_call___vim25__CreateContainerView(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || !resp.returnval->__item)
		return vsdk__error_set(VSDK_EPROTO, "CreateContainerView returned no view");
	*view_id = vsdk__strdup(resp.returnval->__item);
	return *view_id ? VSDK_OK : VSDK_ENOMEM;
}

static void destroy_view(vsdk_session *s, const char *view_id)
{
	struct vim25__DestroyViewRequestType req;
	struct _vim25__DestroyViewResponse resp;
	int rc;
	vsdk_error saved = *vsdk__error_mut(); /* the detail of the call this cleans up after */

	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "ContainerView", view_id);
	VSDK_VI_CALL(rc, s, "DestroyView", soap_call___vim25__DestroyView(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		vsdk__log(VSDK_LOG_DEBUG, "DestroyView failed (ignored)"); /* the view id embeds the session id */
	*vsdk__error_mut() = saved;
	vsdk__vi_reset(s);
}

static int deliver(vsdk_session *s, struct vim25__RetrieveResult *r, vsdk_vi_object_cb cb, void *payload,
		   size_t *delivered)
{
	for (int i = 0; r && i < r->__sizeobjects; i++) {
		vsdk_vi_object o = { s, &r->objects[i], "" };
		int stop = cb(payload, &o);

		(*delivered)++;
		if (stop)
			return stop;
	}
	return 0;
}

/*
 * typed: decode each value into its generated struct (SOAP_DOM_NODE), which
 * costs gSOAP's linear type dispatch per value; untyped values keep only the
 * DOM (text, attributes, children), enough for vsdk_vi_object_get().
 */
static int retrieve_once(vsdk_session *s, const char *fn, const char *type, const char *const *paths,
			 size_t npaths, unsigned int page_size, bool typed, vsdk_vi_object_cb cb, void *payload,
			 size_t *delivered)
{
	struct vim25__RetrievePropertiesExRequestType req;
	struct _vim25__RetrievePropertiesExResponse resp;
	struct vim25__PropertyFilterSpec spec;
	struct vim25__PropertySpec pspec;
	struct vim25__ObjectSpec ospec;
	struct vim25__TraversalSpec tspec;
	struct vim25__SelectionSpec *sel;
	struct vim25__RetrieveOptions opts;
	int max = page_size ? (int)page_size : 1000;
	char *view = NULL, *token = NULL;
	int rc, stop = 0;

	vsdk__vi_reset(s);
	if ((rc = create_view(s, type, &view)))
		return rc;

	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&spec, 0, sizeof(spec));
	memset(&pspec, 0, sizeof(pspec));
	memset(&ospec, 0, sizeof(ospec));
	memset(&tspec, 0, sizeof(tspec));
	memset(&opts, 0, sizeof(opts));
	/* The view's objects: ObjectSpec(view, skip) -> TraversalSpec(ContainerView.view). */
	tspec.name = "view";
	tspec.type = "ContainerView";
	tspec.path = "view";
	sel = soap_malloc(s->soap, sizeof(*sel));
	if (!sel) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	memset(sel, 0, sizeof(*sel));
	sel->vim25__TraversalSpec = &tspec;
	ospec.obj = vsdk__vi_mor(s, "ContainerView", view);
	ospec.skip = soap_malloc(s->soap, sizeof(*ospec.skip));
	if (!ospec.skip) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	*ospec.skip = xsd__boolean__true_;
	ospec.__sizeselectSet = 1;
	ospec.selectSet = sel;
	pspec.type = (char *)type;
	pspec.__sizepathSet = (int)npaths;
	pspec.pathSet = (char **)paths;
	spec.__sizepropSet = 1;
	spec.propSet = &pspec;
	spec.__sizeobjectSet = 1;
	spec.objectSet = &ospec;
	opts.maxObjects = &max;
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->property_collector);
	req.__sizespecSet = 1;
	req.specSet = &spec;
	req.options = &opts;
	memset(&resp, 0, sizeof(resp));
	if (!typed)
		soap_clr_imode(s->soap, SOAP_DOM_NODE);
	VSDK_VI_CALL(rc, s, "RetrievePropertiesEx",
		     soap_call___vim25__RetrievePropertiesEx(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		goto out;
	stop = deliver(s, resp.returnval, cb, payload, delivered);
	token = resp.returnval && resp.returnval->token ? vsdk__strdup(resp.returnval->token) : NULL;

	while (token && !stop) {
		struct vim25__ContinueRetrievePropertiesExRequestType creq;
		struct _vim25__ContinueRetrievePropertiesExResponse cresp;

		vsdk__vi_reset(s);
		memset(&creq, 0, sizeof(creq));
		memset(&cresp, 0, sizeof(cresp));
		creq._USCOREthis = vsdk__vi_mor_of(s, &s->vi->property_collector);
		creq.token = token;
		VSDK_VI_CALL(rc, s, "ContinueRetrievePropertiesEx",
			     soap_call___vim25__ContinueRetrievePropertiesEx(s->soap, s->endpoint, NULL, &creq, &cresp));
		free(token);
		token = NULL;
		if (rc)
			goto out;
		stop = deliver(s, cresp.returnval, cb, payload, delivered);
		if (cresp.returnval && cresp.returnval->token && !(token = vsdk__strdup(cresp.returnval->token))) {
			rc = VSDK_ENOMEM;
			goto out;
		}
	}
	if (token) {
		/* Stopped early: let the server free the rest of the result. */
		struct vim25__CancelRetrievePropertiesExRequestType xreq;
		struct _vim25__CancelRetrievePropertiesExResponse xresp;
		int xrc;

		vsdk__vi_reset(s);
		memset(&xreq, 0, sizeof(xreq));
		memset(&xresp, 0, sizeof(xresp));
		xreq._USCOREthis = vsdk__vi_mor_of(s, &s->vi->property_collector);
		xreq.token = token;
		VSDK_VI_CALL(xrc, s, "CancelRetrievePropertiesEx",
			     soap_call___vim25__CancelRetrievePropertiesEx(s->soap, s->endpoint, NULL, &xreq, &xresp));
		(void)xrc;
	}
	rc = stop;
out:
	soap_set_imode(s->soap, SOAP_DOM_NODE);
	free(token);
	destroy_view(s, view);
	free(view);
	return rc;
}

/*
 * A retrieve that survives a transparent re-login: the view and the paging
 * token belong to the old session, so start over once if nothing was
 * delivered yet; otherwise say how far it got.
 */
static int retrieve(vsdk_session *s, const char *fn, const char *type, const char *const *paths, size_t npaths,
		    unsigned int page_size, bool typed, vsdk_vi_object_cb cb, void *payload)
{
	unsigned relogins;
	size_t delivered = 0;
	int rc;

	if (!vsdk__session_is_vi(s, fn))
		return VSDK_EINVALID;
	if (!type || !*type || !cb || (npaths && !paths))
		return vsdk__error_set(VSDK_EINVALID, "%s: %s is missing", fn,
				       !type || !*type ? "type" : !cb ? "cb" : "paths");
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i] || !*paths[i])
			return vsdk__error_set(VSDK_EINVALID, "%s: paths[%zu] is empty", fn, i);
	relogins = s->vi->relogins;
	rc = retrieve_once(s, fn, type, paths, npaths, page_size, typed, cb, payload, &delivered);
	if (rc < 0 && s->vi->relogins != relogins) {
		if (delivered == 0) {
			vsdk__log(VSDK_LOG_INFO, "%s: the session expired mid-retrieve; starting over", fn);
			return retrieve_once(s, fn, type, paths, npaths, page_size, typed, cb, payload, &delivered);
		}
		vsdk__error_prefix("%s: the session expired after %zu objects were delivered (retry the call)", fn,
				   delivered);
	}
	return rc;
}

VSDK_API int vsdk_vi_retrieve(vsdk_session *s, const char *type, const char *const *paths, size_t npaths,
			      unsigned int page_size, vsdk_vi_object_cb cb, void *payload)
{
	return retrieve(s, "vsdk_vi_retrieve", type, paths, npaths, page_size, true, cb, payload);
}

VSDK_API int vsdk_vi_retrieve_text(vsdk_session *s, const char *type, const char *const *paths, size_t npaths,
				   unsigned int page_size, vsdk_vi_object_cb cb, void *payload)
{
	return retrieve(s, "vsdk_vi_retrieve_text", type, paths, npaths, page_size, false, cb, payload);
}

struct names {
	char **v;
	size_t n, cap;
	int rc;
};

static int collect_name(void *payload, const vsdk_vi_object *o)
{
	struct names *nm = payload;
	const char *name = vsdk_vi_object_get(o, "name");
	char *copy;

	if (!name)
		return 0;
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 64;
		char **v = realloc(nm->v, cap * sizeof(*v));

		if (!v)
			return nm->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		nm->v = v;
		nm->cap = cap;
	}
	if (!(copy = strdup(name)))
		return nm->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	nm->v[nm->n++] = copy;
	return 0;
}

VSDK_API int vsdk_vi_list_vm_names(vsdk_session *s, char ***names, size_t *count)
{
	static const char *const paths[] = { "name" };
	struct names nm = { NULL, 0, 0, 0 };
	int rc;

	if (!names || !count)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vi_list_vm_names: %s is NULL", !names ? "names" : "count");
	*names = NULL;
	*count = 0;
	rc = vsdk_vi_retrieve_text(s, "VirtualMachine", paths, 1, 0, collect_name, &nm);
	if (rc) {
		vsdk_strv_free(nm.v, nm.n);
		return rc;
	}
	*names = nm.v;
	*count = nm.n;
	return VSDK_OK;
}

VSDK_API void vsdk_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
