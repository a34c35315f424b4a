/*
 * hvsim - WS-Management request handling: Identify, Get, Enumerate/Pull/
 * Release (WQL, selector filter, EPR mode), Invoke, faults; responses shaped
 * like real WinRM output (see ../shared/notes/hyperv-wsman.md §3-§8).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim.h"

#include "stdsoap2.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Fault codes (f:WSManFault Code).  Values seen in real captures where one
 * exists (see README.md); the others are plausible WinRM HRESULTs. */
#define CODE_NOT_FOUND "2150858752"
#define CODE_BAD_URI "2150858770"
#define CODE_BAD_SELECTORS "2150858843"
#define CODE_BAD_FILTER "2150858817"
#define CODE_BAD_ACTION "2150858801"
#define CODE_BAD_CONTEXT "2150858884"
#define CODE_ENCODING_LIMIT "2150858790"
#define CODE_INVALID_PARAM "87"
#define CODE_UNSUPPORTED "2150858828"

#define SELECTOR_DIALECT "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"
#define ASSOC_DIALECT "http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter"

/* ---- DOM helpers --------------------------------------------------------- */

static const char *local(const char *name)
{
	const char *c = name ? strrchr(name, ':') : NULL;

	return c ? c + 1 : (name ? name : "");
}

static bool is(const struct soap_dom_element *e, const char *ns, const char *name)
{
	return e && e->name && strcmp(local(e->name), name) == 0 &&
	       (!ns || (e->nstr && strcmp(e->nstr, ns) == 0));
}

static struct soap_dom_element *child(const struct soap_dom_element *e, const char *ns, const char *name)
{
	if (!e)
		return NULL;
	for (struct soap_dom_element *c = e->elts; c; c = c->next)
		if (is(c, ns, name))
			return c;
	return NULL;
}

static const char *attr(const struct soap_dom_element *e, const char *name)
{
	for (struct soap_dom_attribute *a = e ? e->atts : NULL; a; a = a->next)
		if (a->name && strcmp(local(a->name), name) == 0)
			return a->text ? a->text : "";
	return NULL;
}

/* Element text with surrounding white space removed (static per-call copy into buf). */
static const char *text_of(const struct soap_dom_element *e, hv_arena *a)
{
	const char *s, *end;

	if (!e || !e->text)
		return e ? "" : NULL;
	s = e->text;
	while (*s && isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	{
		char *r = hv_alloc(a, (size_t)(end - s) + 1);

		memcpy(r, s, (size_t)(end - s));
		r[end - s] = '\0';
		return r;
	}
}

/* ---- request --------------------------------------------------------------- */

typedef struct sel {
	const char *name, *value;
} sel;

struct hv_request {
	hv_arena arena;
	struct soap_dom_element *env, *header, *body;
	const char *action, *message_id, *resource_uri;
	sel sels[16];
	size_t n_sels;
	long max_envelope;
	vsdk_buf *out;
	int status;
};

static void esc(vsdk_buf *b, const char *s)
{
	vsdk__buf_xml_escape(b, s ? s : "");
}

static void env_begin(hv_request *r, const char *action, const char *extra_ns)
{
	char id[37];
	vsdk_buf *b = r->out;

	hv_uuid(id);
	vsdk__buf_puts(b, "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"" NS_S "\" xmlns:a=\"" NS_A "\"");
	if (extra_ns)
		vsdk__buf_puts(b, extra_ns);
	vsdk__buf_puts(b, " xmlns:w=\"" NS_W "\"><s:Header><a:Action>");
	esc(b, action);
	vsdk__buf_printf(b, "</a:Action><a:MessageID>uuid:%s</a:MessageID><a:To>" ANON_ADDR "</a:To>", id);
	if (r->message_id) {
		vsdk__buf_puts(b, "<a:RelatesTo>");
		esc(b, r->message_id);
		vsdk__buf_puts(b, "</a:RelatesTo>");
	}
	vsdk__buf_puts(b, "</s:Header><s:Body>");
}

static void env_end(hv_request *r)
{
	vsdk__buf_puts(r->out, "</s:Body></s:Envelope>");
}

void hv_fault(vsdk_buf *b, const char *relates, bool sender, const char *subcode, const char *code,
	      const char *detail, const char *text)
{
	char id[37];

	hv_uuid(id);
	vsdk__buf_puts(b, "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"" NS_S "\" xmlns:a=\"" NS_A "\" xmlns:e="
			  "\"http://schemas.xmlsoap.org/ws/2004/08/eventing\" xmlns:n=\"" NS_N "\" xmlns:w=\"" NS_W
			  "\" xmlns:x=\"" NS_X "\" xmlns:p=\"" NS_P "\"><s:Header><a:Action>"
			  "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action>");
	vsdk__buf_printf(b, "<a:MessageID>uuid:%s</a:MessageID><a:To>" ANON_ADDR "</a:To>", id);
	if (relates) {
		vsdk__buf_puts(b, "<a:RelatesTo>");
		esc(b, relates);
		vsdk__buf_puts(b, "</a:RelatesTo>");
	}
	vsdk__buf_printf(b, "</s:Header><s:Body><s:Fault><s:Code><s:Value>s:%s</s:Value><s:Subcode><s:Value>",
			 sender ? "Sender" : "Receiver");
	esc(b, subcode);
	vsdk__buf_puts(b, "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">");
	esc(b, text);
	vsdk__buf_puts(b, "</s:Text></s:Reason><s:Detail>");
	if (detail) {
		vsdk__buf_puts(b, "<w:FaultDetail>http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/");
		esc(b, detail);
		vsdk__buf_puts(b, "</w:FaultDetail>");
	}
	vsdk__buf_puts(b, "<f:WSManFault xmlns:f=\"" NS_F "\" Code=\"");
	esc(b, code);
	vsdk__buf_puts(b, "\" Machine=\"HVSIM01\"><f:Message>");
	esc(b, text);
	vsdk__buf_puts(b, "</f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>");
}

static int fault(hv_request *r, bool sender, const char *subcode, const char *code, const char *detail,
		 const char *fmt, ...) VSDK_PRINTF(6, 7);
static int fault(hv_request *r, bool sender, const char *subcode, const char *code, const char *detail,
		 const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	r->out->len = 0;
	hv_fault(r->out, r->message_id, sender, subcode, code, detail, text);
	r->status = 500;
	return 0;
}

void hv_wsman_identify(vsdk_buf *b, bool authenticated)
{
	vsdk__buf_puts(b, "<s:Envelope xmlns:s=\"" NS_S "\" xml:lang=\"en-US\"><s:Header/><s:Body>"
			  "<wsmid:IdentifyResponse xmlns:wsmid=\"" NS_ID "\">"
			  "<wsmid:ProtocolVersion>" NS_W "</wsmid:ProtocolVersion>"
			  "<wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>"
			  "<wsmid:ProductVersion>OS: 10.0.17763 SP: 0.0 Stack: 3.0</wsmid:ProductVersion>");
	if (authenticated)
		vsdk__buf_puts(b, "<wsmid:SecurityProfiles><wsmid:SecurityProfileName>"
				  "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic"
				  "</wsmid:SecurityProfileName><wsmid:SecurityProfileName>"
				  "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/basic"
				  "</wsmid:SecurityProfileName></wsmid:SecurityProfiles>");
	vsdk__buf_puts(b, "</wsmid:IdentifyResponse></s:Body></s:Envelope>");
}

/* ---- instance rendering ------------------------------------------------------ */

static void render_value(vsdk_buf *b, const vsdk_cim_prop *p, const char *v, bool qualified)
{
	if (p->type == VSDK_CIM_DATETIME) {
		const char *t = v[0] == 'P' ? "Interval" : "Datetime";

		vsdk__buf_printf(b, "<%s%s>", qualified ? "cim:" : "", t);
		esc(b, v);
		vsdk__buf_printf(b, "</%s%s>", qualified ? "cim:" : "", t);
	} else {
		esc(b, v);
	}
}

static void render_props(vsdk_buf *b, const hv_inst *in, const char *pfx, const char *const *only, size_t n_only)
{
	for (size_t i = 0; i < in->cls->n_props; i++) {
		const vsdk_cim_prop *p = &in->cls->props[i];
		const hv_pv *v = &in->pv[i];

		if (p->type == VSDK_CIM_REFERENCE && v->n < 0 && !only)
			continue; /* association end points: never set in this model */
		if (only) {
			size_t k;

			for (k = 0; k < n_only; k++)
				if (strcasecmp(only[k], p->name) == 0)
					break;
			if (k == n_only)
				continue;
		}
		if (v->n <= 0) {
			vsdk__buf_printf(b, "<%s%s xsi:nil=\"true\"/>", pfx, p->name);
			continue;
		}
		for (int k = 0; k < v->n; k++) {
			vsdk__buf_printf(b, "<%s%s>", pfx, p->name);
			render_value(b, p, v->v[k], pfx[0] != '\0');
			vsdk__buf_printf(b, "</%s%s>", pfx, p->name);
		}
	}
}

static void render_instance(vsdk_buf *b, const hv_inst *in)
{
	const char *c = in->cls->name;

	vsdk__buf_printf(b, "<p:%s xmlns:xsi=\"" NS_XSI "\" xmlns:p=\"%s\" xmlns:cim=\"" NS_CIM
			    "\" xsi:type=\"p:%s_Type\">", c, in->cls->resource_uri, c);
	render_props(b, in, "p:", NULL, 0);
	vsdk__buf_printf(b, "</p:%s>", c);
}

static void render_fragment(vsdk_buf *b, const hv_inst *in, const char *const *props, size_t n)
{
	vsdk__buf_puts(b, "<w:XmlFragment xmlns:xsi=\"" NS_XSI "\" xmlns:w=\"" NS_W "\">");
	render_props(b, in, "", props, n);
	vsdk__buf_puts(b, "</w:XmlFragment>");
}

static void render_epr_body(vsdk_buf *b, const hv_inst *in)
{
	vsdk__buf_printf(b, "<a:Address>" ANON_ADDR "</a:Address><a:ReferenceParameters><w:ResourceURI>%s"
			    "</w:ResourceURI><w:SelectorSet>", in->cls->resource_uri);
	for (size_t i = 0; i < in->cls->n_props; i++) {
		const vsdk_cim_prop *p = &in->cls->props[i];

		if (!(p->flags & VSDK_CIM_F_KEY) || in->pv[i].n < 1)
			continue;
		vsdk__buf_printf(b, "<w:Selector Name=\"%s\">", p->name);
		esc(b, in->pv[i].v[0]);
		vsdk__buf_puts(b, "</w:Selector>");
	}
	vsdk__buf_puts(b, "</w:SelectorSet></a:ReferenceParameters>");
}

/* ---- object lookup ------------------------------------------------------------ */

/* Candidate objects for a lookup: when a value holds one of our VM GUIDs,
 * only that VM's objects (plus the singletons and jobs) are considered. */
static size_t candidates(const vsdk_cim_class *cls, const char *const *vals, size_t n_vals, hv_obj **out)
{
	for (size_t i = 0; i < n_vals; i++) {
		const char *g = vals[i] ? strcasestr(vals[i], "5EC0") : NULL;
		char guid[37];
		long vm;

		if (!g || strlen(g) < 36)
			continue;
		memcpy(guid, g, 36);
		guid[36] = '\0';
		vm = hv_vm_find(guid);
		if (vm >= 0) {
			size_t n = 0;

			*out = malloc(HK__COUNT * sizeof(hv_obj));
			if (!*out)
				abort();
			for (int k = 0; k < HK__COUNT; k++) {
				const vsdk_cim_class *kc = hv_kind_class((hv_kind)k);

				if (k == HK_HOST || k == HK_VSMS || k == HK_VSMSSD || k == HK_JOB)
					continue;
				if (kc && hv_class_is_a(kc, cls->name))
					(*out)[n++] = (hv_obj){ (uint8_t)k, (uint32_t)vm };
			}
			return n;
		}
	}
	return hv_list_class(cls, out);
}

static bool keys_match(const hv_inst *in, const char *const *names, const char *const *vals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = hv_get(in, names[i]);

		if (!v || strcasecmp(v, vals[i]) != 0)
			return false;
	}
	return true;
}

/* Find objects of cls whose properties match; returns the count (0, 1, more). */
static size_t find_objects(const vsdk_cim_class *cls, const char *const *names, const char *const *vals, size_t n,
			   hv_obj *found, hv_arena *a)
{
	hv_obj *list;
	size_t nl = candidates(cls, vals, n, &list), hits = 0;

	for (size_t i = 0; i < nl; i++) {
		hv_inst in;

		if (!hv_materialize(&in, list[i], a))
			continue;
		if (keys_match(&in, names, vals, n)) {
			if (!hits)
				*found = list[i];
			hits++;
		}
	}
	free(list);
	return hits;
}

static const vsdk_cim_class *class_of_uri(const char *uri)
{
	if (!uri || strncasecmp(uri, HV_URI_BASE, strlen(HV_URI_BASE)) != 0)
		return NULL;
	return hv_class_find(uri + strlen(HV_URI_BASE));
}

/* Resolve r's selector set to one object of cls.  On failure writes a fault. */
static bool resolve_selectors(hv_request *r, const vsdk_cim_class *cls, bool partial_ok, hv_obj *o)
{
	const char *names[16], *vals[16];
	size_t n = 0, hits;

	for (size_t i = 0; i < r->n_sels; i++) {
		if (hv_prop_index(cls, r->sels[i].name) < 0 ||
		    !(cls->props[hv_prop_index(cls, r->sels[i].name)].flags & VSDK_CIM_F_KEY)) {
			fault(r, true, "w:InvalidSelectors", CODE_BAD_SELECTORS, "UnexpectedSelectors",
			      "The WS-Management service cannot process the request because the request contained "
			      "invalid selectors for the resource. Selector %s is not a key of %s.",
			      r->sels[i].name, cls->name);
			return false;
		}
		names[n] = r->sels[i].name;
		vals[n++] = r->sels[i].value;
	}
	if (n == 0) {
		fault(r, true, "w:InvalidSelectors", CODE_BAD_SELECTORS, "InsufficientSelectors",
		      "The WS-Management service cannot process the request because the request contained "
		      "invalid selectors for the resource. No selectors were given for %s.", cls->name);
		return false;
	}
	if (!partial_ok) {
		for (size_t i = 0; i < cls->n_props; i++) {
			size_t k;

			if (!(cls->props[i].flags & VSDK_CIM_F_KEY))
				continue;
			for (k = 0; k < n; k++)
				if (strcasecmp(names[k], cls->props[i].name) == 0)
					break;
			if (k == n) {
				fault(r, true, "w:InvalidSelectors", CODE_BAD_SELECTORS, "InsufficientSelectors",
				      "The WS-Management service cannot process the request because the request "
				      "contained invalid selectors for the resource. Key %s is missing.",
				      cls->props[i].name);
				return false;
			}
		}
	}
	hits = find_objects(cls, names, vals, n, o, &r->arena);
	if (hits == 0) {
		fault(r, true, "a:DestinationUnreachable", CODE_NOT_FOUND, NULL,
		      "The WS-Management service cannot process the request. The service cannot find the resource "
		      "identified by the resource URI and selectors.");
		return false;
	}
	if (hits > 1) {
		fault(r, true, "w:InvalidSelectors", CODE_BAD_SELECTORS, "AmbiguousSelectors",
		      "The WS-Management service cannot process the request because the selectors match %zu "
		      "instances of %s.", hits, cls->name);
		return false;
	}
	return true;
}

/* ---- Get ------------------------------------------------------------------- */

static int do_get(hv_request *r)
{
	const vsdk_cim_class *cls = class_of_uri(r->resource_uri);
	hv_obj o;
	hv_inst in;

	if (!cls || (cls->flags & VSDK_CIM_C_PARAMS))
		return fault(r, true, "a:DestinationUnreachable", CODE_BAD_URI, "InvalidResourceURI",
			     "The WS-Management service cannot process the request. The resource URI %s is not "
			     "valid or the class is not supported by this service.", r->resource_uri ? r->resource_uri : "(none)");
	pthread_mutex_lock(&g_model.lock);
	hv_jobs_advance();
	if (!resolve_selectors(r, cls, false, &o) || !hv_materialize(&in, o, &r->arena)) {
		pthread_mutex_unlock(&g_model.lock);
		return 0;
	}
	env_begin(r, "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse",
		  " xmlns:x=\"" NS_X "\"");
	render_instance(r->out, &in);
	pthread_mutex_unlock(&g_model.lock);
	env_end(r);
	return 0;
}

/* ---- enumeration contexts ------------------------------------------------------ */

typedef enum { EM_OBJ, EM_EPR, EM_OBJ_EPR } enum_mode;

typedef struct hv_ctx {
	char id[42];
	hv_obj *objs;
	size_t n, pos;
	char **props; /* XmlFragment selection, NULL for instances */
	size_t n_props;
	enum_mode mode;
	int64_t last_used;
	bool busy;
	struct hv_ctx *next;
} hv_ctx;

static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static hv_ctx *ctx_head;
static size_t ctx_count;
#define CTX_MAX 4096
#define CTX_IDLE_MS (10 * 60 * 1000)

static void ctx_free(hv_ctx *c)
{
	for (size_t i = 0; i < c->n_props; i++)
		free(c->props[i]);
	free(c->props);
	free(c->objs);
	free(c);
}

void hv_contexts_init(void) {}

/* Caller holds ctx_lock. */
static void ctx_sweep(void)
{
	int64_t now = vsdk__now_ms();
	hv_ctx **pp = &ctx_head;

	while (*pp) {
		hv_ctx *c = *pp;

		if (!c->busy && (now - c->last_used > CTX_IDLE_MS || ctx_count > CTX_MAX)) {
			*pp = c->next;
			ctx_free(c);
			ctx_count--;
		} else {
			pp = &c->next;
		}
	}
}

/* Take the context out of the list (NULL when unknown). */
static hv_ctx *ctx_take(const char *id)
{
	hv_ctx **pp, *c = NULL;

	pthread_mutex_lock(&ctx_lock);
	for (pp = &ctx_head; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->id, id) == 0) {
			c = *pp;
			*pp = c->next;
			ctx_count--;
			break;
		}
	pthread_mutex_unlock(&ctx_lock);
	return c;
}

static void ctx_put(hv_ctx *c)
{
	pthread_mutex_lock(&ctx_lock);
	c->last_used = vsdk__now_ms();
	c->next = ctx_head;
	ctx_head = c;
	ctx_count++;
	ctx_sweep();
	pthread_mutex_unlock(&ctx_lock);
}

size_t hv_contexts_open(void);
size_t hv_contexts_open(void)
{
	size_t n;

	pthread_mutex_lock(&ctx_lock);
	n = ctx_count;
	pthread_mutex_unlock(&ctx_lock);
	return n;
}

/* Render items [c->pos, ...) up to max elements / the envelope budget. */
static void render_items(hv_request *r, hv_ctx *c, long max_elems)
{
	size_t budget = r->max_envelope > 0 ? (size_t)r->max_envelope : 512000;
	size_t start = r->out->len, count = 0;

	budget = budget > 2048 ? budget - 2048 : budget;
	pthread_mutex_lock(&g_model.lock);
	hv_jobs_advance();
	while (c->pos < c->n && (long)count < max_elems) {
		hv_inst in;
		hv_arena a = { 0 };
		size_t before = r->out->len;

		if (!hv_materialize(&in, c->objs[c->pos], &a)) {
			hv_arena_free(&a);
			c->pos++;
			continue;
		}
		if (c->mode == EM_OBJ_EPR)
			vsdk__buf_puts(r->out, "<w:Item>");
		if (c->mode != EM_EPR) {
			if (c->props)
				render_fragment(r->out, &in, (const char *const *)c->props, c->n_props);
			else
				render_instance(r->out, &in);
		}
		if (c->mode != EM_OBJ) {
			vsdk__buf_puts(r->out, "<a:EndpointReference>");
			render_epr_body(r->out, &in);
			vsdk__buf_puts(r->out, "</a:EndpointReference>");
		}
		if (c->mode == EM_OBJ_EPR)
			vsdk__buf_puts(r->out, "</w:Item>");
		hv_arena_free(&a);
		if (count > 0 && r->out->len - start > budget) {
			r->out->len = before; /* does not fit: leave it for the next Pull */
			r->out->ptr[before] = '\0';
			break;
		}
		count++;
		c->pos++;
	}
	pthread_mutex_unlock(&g_model.lock);
}

/* ---- Enumerate -------------------------------------------------------------------- */

static bool wql_select(hv_request *r, const char *text, hv_ctx *c)
{
	char err[256];
	wql_query *q = wql_parse(text, err, sizeof(err));
	const vsdk_cim_class *cls;
	hv_obj *list = NULL;
	size_t nl = 0;

	if (!q) {
		fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "InvalidFilter",
		      "The WS-Management service cannot process the request because the WQL query is invalid: %s.", err);
		return false;
	}
	if (wql_is_associators(q)) {
		const char *const *kn, *const *kv;
		size_t nk = wql_assoc_path_keys(q, &kn, &kv);
		const vsdk_cim_class *pc = hv_class_find(wql_assoc_path_class(q));
		const char *ac = wql_assoc_class(q), *rc = wql_result_class(q);
		hv_obj src;
		hv_arena a = { 0 };

		if (!pc || (ac && !hv_class_find(ac)) || (rc && !hv_class_find(rc) && strncasecmp(rc, "CIM_", 4))) {
			fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "InvalidFilter",
			      "The WS-Management service cannot process the request because the WQL query names an "
			      "invalid class (%s).", !pc ? wql_assoc_path_class(q) : (ac && !hv_class_find(ac)) ? ac : rc);
			wql_free(q);
			return false;
		}
		pthread_mutex_lock(&g_model.lock);
		if (find_objects(pc, kn, kv, nk, &src, &a) >= 1) {
			/* the associations this model knows */
			static const struct {
				const char *assoc;
				uint8_t from, to;
			} links[] = {
				{ "Msvm_SettingsDefineState", HK_VM, HK_VSSD },
				{ "Msvm_SettingsDefineState", HK_VSSD, HK_VM },
				{ "Msvm_VirtualSystemSettingDataComponent", HK_VSSD, HK_KVPSD },
				{ "Msvm_VirtualSystemSettingDataComponent", HK_KVPSD, HK_VSSD },
				{ "Msvm_SystemDevice", HK_VM, HK_KVP },
				{ "Msvm_SystemDevice", HK_VM, HK_SHUTDOWN },
				{ "Msvm_SystemDevice", HK_KVP, HK_VM },
				{ "Msvm_SystemDevice", HK_SHUTDOWN, HK_VM },
				{ "Msvm_SnapshotOfVirtualSystem", HK_VM, HK_SNAP },
				{ "Msvm_SnapshotOfVirtualSystem", HK_SNAP, HK_VM },
				{ "Msvm_HostedService", HK_HOST, HK_VSMS },
				{ "Msvm_HostedService", HK_VSMS, HK_HOST },
				{ "Msvm_ElementSettingData", HK_VSMS, HK_VSMSSD },
				{ "Msvm_ElementSettingData", HK_VSMSSD, HK_VSMS },
			};
			for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
				const vsdk_cim_class *tc = hv_kind_class((hv_kind)links[i].to);

				if (links[i].from != src.kind)
					continue;
				if (ac && strcasecmp(ac, links[i].assoc) != 0 &&
				    !(hv_class_find(links[i].assoc) &&
				      hv_class_is_a(hv_class_find(links[i].assoc), ac)))
					continue;
				if (rc && !hv_class_is_a(tc, rc))
					continue;
				if (links[i].to == HK_SNAP && !g_model.vms[src.idx].has_snapshot)
					continue;
				list = realloc(list, (nl + 1) * sizeof(*list));
				if (!list)
					abort();
				list[nl].kind = links[i].to;
				list[nl].idx = (links[i].to == HK_HOST || links[i].to == HK_VSMS ||
						links[i].to == HK_VSMSSD) ? 0 : src.idx;
				nl++;
			}
		}
		pthread_mutex_unlock(&g_model.lock);
		hv_arena_free(&a);
	} else {
		size_t np;
		const char *const *props = wql_props(q, &np);

		cls = hv_class_find(wql_class(q));
		if (!cls && strncasecmp(wql_class(q), "CIM_", 4) == 0)
			cls = NULL; /* a base class we have no table for: nothing derives from it here */
		if (!cls && strncasecmp(wql_class(q), "CIM_", 4) != 0) {
			fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "InvalidFilter",
			      "The WS-Management service cannot process the request because the WQL query names an "
			      "invalid class (%s).", wql_class(q));
			wql_free(q);
			return false;
		}
		for (size_t i = 0; cls && i < np; i++)
			if (hv_prop_index(cls, props[i]) < 0) {
				fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "InvalidFilter",
				      "The WS-Management service cannot process the request because the WQL query "
				      "names an invalid property (%s).", props[i]);
				wql_free(q);
				return false;
			}
		if (cls) {
			hv_obj *all;
			size_t na;

			pthread_mutex_lock(&g_model.lock);
			hv_jobs_advance();
			na = hv_list_class(cls, &all);
			for (size_t i = 0; i < na; i++) {
				hv_inst in;
				hv_arena a = { 0 };

				if (hv_materialize(&in, all[i], &a) && wql_match(q, &in)) {
					if (!(nl & (nl - 1)) || nl == 0) {
						list = realloc(list, (nl ? nl * 2 : 1) * sizeof(*list));
						if (!list)
							abort();
					}
					list[nl++] = all[i];
				}
				hv_arena_free(&a);
			}
			pthread_mutex_unlock(&g_model.lock);
			free(all);
		}
		if (props) {
			c->props = calloc(np, sizeof(char *));
			for (size_t i = 0; i < np; i++)
				c->props[i] = strdup(props[i]);
			c->n_props = np;
		}
	}
	wql_free(q);
	c->objs = list;
	c->n = nl;
	return true;
}

static bool selector_select(hv_request *r, const struct soap_dom_element *filter, const vsdk_cim_class *cls,
			    hv_ctx *c)
{
	const char *names[16], *vals[16];
	size_t n = 0;
	const struct soap_dom_element *set = child(filter, NULL, "SelectorSet");
	hv_obj *all;
	size_t na;

	for (const struct soap_dom_element *s = set ? set->elts : NULL; s && n < 16; s = s->next) {
		if (!is(s, NULL, "Selector"))
			continue;
		names[n] = attr(s, "Name");
		vals[n] = text_of(s, &r->arena);
		if (!names[n] || hv_prop_index(cls, names[n]) < 0) {
			fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "InvalidFilter",
			      "The WS-Management service cannot process the request because the selector filter names "
			      "an invalid property (%s).", names[n] ? names[n] : "(no Name)");
			return false;
		}
		n++;
	}
	pthread_mutex_lock(&g_model.lock);
	hv_jobs_advance();
	na = hv_list_class(cls, &all);
	c->objs = malloc((na ? na : 1) * sizeof(hv_obj));
	for (size_t i = 0; i < na; i++) {
		hv_inst in;
		hv_arena a = { 0 };

		if (hv_materialize(&in, all[i], &a) && keys_match(&in, names, vals, n))
			c->objs[c->n++] = all[i];
		hv_arena_free(&a);
	}
	pthread_mutex_unlock(&g_model.lock);
	free(all);
	return true;
}

static long get_long(const struct soap_dom_element *e, long def)
{
	if (!e || !e->text)
		return def;
	return strtol(e->text, NULL, 10);
}

static int do_enumerate(hv_request *r)
{
	struct soap_dom_element *en = child(r->body, NS_N, "Enumerate"), *filter, *e;
	hv_ctx *c;
	bool optimize;
	long max_elems;
	const char *dialect;
	const vsdk_cim_class *cls = class_of_uri(r->resource_uri);
	bool star = r->resource_uri && strlen(r->resource_uri) > 2 &&
		    strcmp(r->resource_uri + strlen(r->resource_uri) - 2, "/*") == 0;

	if (!en)
		return fault(r, true, "w:SchemaValidationError", CODE_INVALID_PARAM, NULL,
			     "The SOAP body of an Enumerate request must hold n:Enumerate.");
	if (!cls && !(star && r->resource_uri && strncasecmp(r->resource_uri, HV_URI_BASE, strlen(HV_URI_BASE)) == 0))
		return fault(r, true, "a:DestinationUnreachable", CODE_BAD_URI, "InvalidResourceURI",
			     "The WS-Management service cannot process the request. The resource URI %s is not "
			     "valid or the class is not supported by this service.",
			     r->resource_uri ? r->resource_uri : "(none)");
	optimize = child(en, NS_W, "OptimizeEnumeration") != NULL;
	max_elems = get_long(child(en, NS_W, "MaxElements"), 1);
	if (max_elems < 1)
		max_elems = 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	e = child(en, NS_W, "EnumerationMode");
	if (e && e->text) {
		const char *m = text_of(e, &r->arena);

		if (strcmp(m, "EnumerateEPR") == 0)
			c->mode = EM_EPR;
		else if (strcmp(m, "EnumerateObjectAndEPR") == 0)
			c->mode = EM_OBJ_EPR;
		else {
			free(c);
			return fault(r, true, "w:UnsupportedFeature", CODE_UNSUPPORTED, "EnumerationMode",
				     "The WS-Management service does not support the enumeration mode %s.", m);
		}
	}
	filter = child(en, NS_W, "Filter");
	if (!filter)
		filter = child(en, NS_N, "Filter");
	dialect = filter ? attr(filter, "Dialect") : NULL;
	if (!filter) {
		if (!cls) {
			free(c);
			return fault(r, true, "w:CannotProcessFilter", CODE_BAD_FILTER, "FilteringRequired",
				     "The WS-Management service cannot process the request: a resource URI ending in * "
				     "needs a WQL filter.");
		}
		pthread_mutex_lock(&g_model.lock);
		hv_jobs_advance();
		c->n = hv_list_class(cls, &c->objs);
		pthread_mutex_unlock(&g_model.lock);
	} else if (!dialect || strcmp(dialect, WQL_DIALECT) == 0) {
		const char *q = text_of(filter, &r->arena);

		if (!wql_select(r, q, c)) {
			ctx_free(c);
			return 0;
		}
	} else if (strcmp(dialect, SELECTOR_DIALECT) == 0 && cls) {
		if (!selector_select(r, filter, cls, c)) {
			ctx_free(c);
			return 0;
		}
	} else {
		free(c);
		return fault(r, true, "w:FilterDialectRequestedUnavailable", CODE_BAD_FILTER, "FilterDialect",
			     "The WS-Management service does not support the filter dialect %s here.", dialect);
	}
	hv_uuid(c->id + 5);
	memcpy(c->id, "uuid:", 5);
	if (!optimize) {
		env_begin(r, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse",
			  " xmlns:n=\"" NS_N "\"");
		vsdk__buf_printf(r->out, "<n:EnumerateResponse><n:EnumerationContext>%s</n:EnumerationContext>"
					 "</n:EnumerateResponse>", c->id);
		env_end(r);
		ctx_put(c);
		return 0;
	}
	{
		vsdk_buf items = VSDK_BUF_INIT;
		vsdk_buf *save = r->out;

		r->out = &items;
		vsdk__buf_puts(&items, "");
		render_items(r, c, max_elems);
		r->out = save;
		env_begin(r, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse",
			  " xmlns:n=\"" NS_N "\"");
		if (c->pos >= c->n) {
			vsdk__buf_puts(r->out, "<n:EnumerateResponse><n:EnumerationContext></n:EnumerationContext>"
					       "<w:Items>");
			vsdk__buf_append(r->out, items.ptr, items.len);
			vsdk__buf_puts(r->out, "</w:Items><w:EndOfSequence/></n:EnumerateResponse>");
			ctx_free(c);
		} else {
			vsdk__buf_printf(r->out, "<n:EnumerateResponse><n:EnumerationContext>%s</n:EnumerationContext>"
						 "<w:Items>", c->id);
			vsdk__buf_append(r->out, items.ptr, items.len);
			vsdk__buf_puts(r->out, "</w:Items></n:EnumerateResponse>");
			ctx_put(c);
		}
		vsdk__buf_free(&items);
		env_end(r);
	}
	return 0;
}

static int bad_context(hv_request *r, const char *id)
{
	return fault(r, false, "n:InvalidEnumerationContext", CODE_BAD_CONTEXT, NULL,
		     "The WS-Management service cannot process the request because the enumeration context "
		     "%s is not valid (unknown, finished, released or expired).", id ? id : "(none)");
}

static int do_pull(hv_request *r)
{
	struct soap_dom_element *pl = child(r->body, NS_N, "Pull");
	const char *id = text_of(child(pl, NS_N, "EnumerationContext"), &r->arena);
	long max_elems = get_long(child(pl, NS_N, "MaxElements"), 1);
	hv_ctx *c;
	vsdk_buf items = VSDK_BUF_INIT;
	vsdk_buf *save = r->out;

	if (!pl)
		return fault(r, true, "w:SchemaValidationError", CODE_INVALID_PARAM, NULL,
			     "The SOAP body of a Pull request must hold n:Pull.");
	if (!id || !(c = ctx_take(id)))
		return bad_context(r, id);
	if (max_elems < 1)
		max_elems = 1;
	r->out = &items;
	vsdk__buf_puts(&items, "");
	render_items(r, c, max_elems);
	r->out = save;
	env_begin(r, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse", " xmlns:n=\"" NS_N "\"");
	if (c->pos >= c->n) {
		vsdk__buf_puts(r->out, "<n:PullResponse><n:Items>");
		vsdk__buf_append(r->out, items.ptr, items.len);
		vsdk__buf_puts(r->out, "</n:Items><n:EndOfSequence/></n:PullResponse>");
		ctx_free(c);
	} else {
		vsdk__buf_printf(r->out, "<n:PullResponse><n:EnumerationContext>%s</n:EnumerationContext><n:Items>", c->id);
		vsdk__buf_append(r->out, items.ptr, items.len);
		vsdk__buf_puts(r->out, "</n:Items></n:PullResponse>");
		ctx_put(c);
	}
	vsdk__buf_free(&items);
	env_end(r);
	return 0;
}

static int do_release(hv_request *r)
{
	struct soap_dom_element *rl = child(r->body, NS_N, "Release");
	const char *id = text_of(child(rl, NS_N, "EnumerationContext"), &r->arena);
	hv_ctx *c;

	if (!id || !(c = ctx_take(id)))
		return bad_context(r, id);
	ctx_free(c);
	env_begin(r, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/ReleaseResponse", NULL);
	env_end(r);
	return 0;
}

/* ---- Invoke ---------------------------------------------------------------------- */

/* The selectors of an EPR parameter (a:ReferenceParameters/w:SelectorSet), or
 * of a WMI object path in the element's text. */
static size_t epr_selectors(const struct soap_dom_element *e, hv_request *r, const char **names, const char **vals,
			    size_t max)
{
	size_t n = 0;
	const struct soap_dom_element *end = e ? e->next : NULL;

	if (!e)
		return 0;
	for (struct soap_dom_element *d = soap_dom_next_element(e, end); d && d != end;
	     d = soap_dom_next_element(d, e)) {
		if (is(d, NS_W, "Selector") && n < max) {
			names[n] = attr(d, "Name");
			vals[n] = text_of(d, &r->arena);
			if (names[n])
				n++;
		}
	}
	if (n == 0 && e->text) {
		/* \\host\root\virtualization\v2:Class.Key="v",Key2="v" */
		const char *p = strchr(e->text, '.');

		while (p && n < max) {
			const char *k = p + 1, *eq = strchr(k, '=');
			vsdk_buf b = VSDK_BUF_INIT;

			if (!eq || (eq[1] != '"' && eq[1] != '\''))
				break;
			names[n] = hv_printf(&r->arena, "%.*s", (int)(eq - k), k);
			p = eq + 2;
			while (*p && *p != eq[1]) {
				if (*p == '\\' && p[1])
					p++;
				vsdk__buf_putc(&b, *p++);
			}
			vsdk__buf_putc(&b, '\0');
			vals[n++] = hv_strdup(&r->arena, b.ptr ? b.ptr : "");
			vsdk__buf_free(&b);
			p = *p ? strchr(p, ',') : NULL;
		}
	}
	return n;
}

static void output_begin(hv_request *r, const vsdk_cim_class *cls, const char *method)
{
	char *act = hv_printf(&r->arena, "%s/%sResponse", cls->resource_uri, method);

	env_begin(r, act, NULL);
	vsdk__buf_printf(r->out, "<p:%s_OUTPUT xmlns:p=\"%s\">", method, cls->resource_uri);
}

static void output_job(hv_request *r, size_t slot)
{
	vsdk__buf_printf(r->out, "<p:Job><a:Address>" ANON_ADDR "</a:Address><a:ReferenceParameters>"
				 "<w:ResourceURI>" HV_URI_BASE "Msvm_ConcreteJob</w:ResourceURI><w:SelectorSet>"
				 "<w:Selector Name=\"InstanceID\">%s</w:Selector></w:SelectorSet>"
				 "</a:ReferenceParameters></p:Job>", g_model.jobs[slot].id);
}

static int simple_output(hv_request *r, const vsdk_cim_class *cls, const char *method, unsigned rv, long job)
{
	output_begin(r, cls, method);
	if (job >= 0)
		output_job(r, (size_t)job);
	vsdk__buf_printf(r->out, "<p:ReturnValue>%u</p:ReturnValue></p:%s_OUTPUT>", rv, method);
	env_end(r);
	return 0;
}

static bool transition_ok(uint16_t from, unsigned req, uint16_t *to)
{
	switch (req) {
	case 2:     /* start / resume */
	case 32777:
		*to = 2;
		return from == 3 || from == 6 || from == 9;
	case 3:     /* turn off */
		*to = 3;
		return from == 2 || from == 9 || from == 6;
	case 6:     /* save */
	case 32773:
		*to = 6;
		return from == 2 || from == 9;
	case 9:     /* pause */
	case 32776:
		*to = 9;
		return from == 2;
	case 10:    /* reboot */
	case 11:    /* reset */
		*to = 2;
		return from == 2;
	default:
		return false;
	}
}

static int invoke_state_change(hv_request *r, const vsdk_cim_class *cls, hv_obj o, struct soap_dom_element *in)
{
	const char *rs = text_of(child(in, NULL, "RequestedState"), &r->arena);
	char *end;
	unsigned long req;
	uint16_t to;
	hv_vm *v;
	size_t slot;

	if (!rs || !*rs)
		return fault(r, true, "w:InvalidParameter", CODE_INVALID_PARAM, "InvalidValue",
			     "The WS-Management service cannot process the request: RequestedState is missing.");
	req = strtoul(rs, &end, 10);
	if (*end || req > 65535)
		return fault(r, true, "w:InvalidParameter", CODE_INVALID_PARAM, "InvalidValue",
			     "The WS-Management service cannot process the request: RequestedState '%s' is not a uint16.", rs);
	if (o.kind != HK_VM)
		return simple_output(r, cls, "RequestStateChange", 32770, -1);
	v = &g_model.vms[o.idx];
	if (!(req == 2 || req == 3 || req == 6 || req == 9 || req == 10 || req == 11 || req == 32773 ||
	      req == 32776 || req == 32777))
		return simple_output(r, cls, "RequestStateChange", 32773, -1);
	if (v->busy || !transition_ok(v->state, (unsigned)req, &to))
		return simple_output(r, cls, "RequestStateChange", 32775, -1);
	slot = hv_job_new(JK_STATE, o.idx, req == 2 ? "Start Virtual Machine" : req == 3 ? "Turn Off Virtual Machine" :
			  req == 6 ? "Save Virtual Machine" : req == 9 ? "Pause Virtual Machine" :
			  "Change Virtual Machine State", (uint16_t)(req == 2 ? 2 : 4));
	g_model.jobs[slot].target = to;
	v->busy = true;
	v->requested = (uint16_t)req;
	hv_jobs_advance();
	return simple_output(r, cls, "RequestStateChange", 4096, (long)slot);
}

static int invoke_shutdown(hv_request *r, const vsdk_cim_class *cls, hv_obj o, struct soap_dom_element *in)
{
	hv_vm *v = &g_model.vms[o.idx];
	size_t slot;
	const char *force = text_of(child(in, NULL, "Force"), &r->arena);

	(void)force;
	if (v->busy || v->state != 2)
		return simple_output(r, cls, "InitiateShutdown", 32775, -1);
	slot = hv_job_new(JK_SHUTDOWN, o.idx, "Shutdown Virtual Machine", 11);
	g_model.jobs[slot].target = 3;
	v->busy = true;
	v->requested = 4;
	hv_jobs_advance();
	return simple_output(r, cls, "InitiateShutdown", 4096, (long)slot);
}

/* Parse one DataItems element: CIM-XML INSTANCE of Msvm_KvpExchangeDataItem. */
static bool parse_kvp_item(struct soap *ctx, const char *text, char **name, char **data, char *err, size_t errlen)
{
	struct soap_dom_element *dom;

	*name = *data = NULL;
	ctx->is = text;
	dom = soap_new_xsd__anyType(ctx, -1);
	if (!dom || soap_begin_recv(ctx) || !soap_in_xsd__anyType(ctx, NULL, dom, NULL) || soap_end_recv(ctx)) {
		snprintf(err, errlen, "a DataItems element is not well-formed CIM-XML");
		ctx->is = NULL;
		return false;
	}
	ctx->is = NULL;
	if (!is(dom, NULL, "INSTANCE") || !attr(dom, "CLASSNAME") ||
	    strcasecmp(attr(dom, "CLASSNAME"), "Msvm_KvpExchangeDataItem") != 0) {
		snprintf(err, errlen, "a DataItems element is not an INSTANCE of Msvm_KvpExchangeDataItem");
		return false;
	}
	for (struct soap_dom_element *p = dom->elts; p; p = p->next) {
		const char *pn = attr(p, "NAME");
		struct soap_dom_element *val = child(p, NULL, "VALUE");

		if (!is(p, NULL, "PROPERTY") || !pn || !val)
			continue;
		if (strcasecmp(pn, "Name") == 0)
			*name = strdup(val->text ? val->text : "");
		else if (strcasecmp(pn, "Data") == 0)
			*data = strdup(val->text ? val->text : "");
	}
	if (!*name || !**name) {
		snprintf(err, errlen, "a DataItems element has no Name");
		free(*name);
		free(*data);
		*name = *data = NULL;
		return false;
	}
	if (!*data)
		*data = strdup("");
	return true;
}

static int invoke_kvp(hv_request *r, const vsdk_cim_class *cls, const char *method, int op,
		      struct soap_dom_element *in)
{
	struct soap_dom_element *ts = child(in, NULL, "TargetSystem");
	const char *names[16], *vals[16];
	size_t ns = epr_selectors(ts, r, names, vals, 16), count = 0;
	long vm = -1;
	hv_kvp_list items = { 0 };
	struct soap *ctx;
	char err[256] = "";
	bool bad = false;

	for (size_t i = 0; i < ns; i++)
		if (strcasecmp(names[i], "Name") == 0)
			vm = hv_vm_find(vals[i]);
	if (vm < 0)
		return simple_output(r, cls, method, 32773, -1);
	for (struct soap_dom_element *d = in->elts; d; d = d->next)
		if (is(d, NULL, "DataItems"))
			count++;
	if (count == 0 || count > 128)
		return simple_output(r, cls, method, 32773, -1);
	ctx = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_IGNORENS);
	for (struct soap_dom_element *d = in->elts; d && !bad; d = d->next) {
		char *n, *v;

		if (!is(d, NULL, "DataItems"))
			continue;
		if (!parse_kvp_item(ctx, d->text ? d->text : "", &n, &v, err, sizeof(err))) {
			bad = true;
			break;
		}
		if (strlen(n) > 1024 || strlen(v) > 1024) {
			free(n);
			free(v);
			bad = true;
			break;
		}
		hv_kvp_set(&items, n, v);
		free(n);
		free(v);
	}
	soap_destroy(ctx);
	soap_end(ctx);
	soap_free(ctx);
	if (bad) {
		for (size_t i = 0; i < items.n; i++)
			free(items.items[i].name), free(items.items[i].data);
		free(items.items);
		return simple_output(r, cls, method, 32773, -1);
	}
	{
		size_t slot = hv_job_new(JK_KVP, (uint32_t)vm, op == 0 ? "Add Key-Value Pair Items" :
					 op == 1 ? "Modify Key-Value Pair Items" : "Remove Key-Value Pair Items",
					 (uint16_t)(op == 0 ? 40 : op == 1 ? 41 : 42));
		hv_job *j = &g_model.jobs[slot];

		j->kvp = items;
		j->kvp_op = op;
		hv_jobs_advance();
		if (j->final_state == 7 && g_model.job_delay_ms == 0)
			return simple_output(r, cls, method, 0, -1);
		return simple_output(r, cls, method, 4096, (long)slot);
	}
}

static void summary_item(vsdk_buf *b, hv_vm *v, size_t k)
{
	vsdk__buf_puts(b, "<INSTANCE CLASSNAME=\"Msvm_SummaryInformation\">"
			  "<PROPERTY NAME=\"ElementName\" TYPE=\"string\"><VALUE>");
	esc(b, v->name);
	vsdk__buf_printf(b, "</VALUE></PROPERTY><PROPERTY NAME=\"EnabledState\" TYPE=\"uint16\"><VALUE>%u</VALUE>"
			    "</PROPERTY><PROPERTY NAME=\"GuestOperatingSystem\" TYPE=\"string\"><VALUE>"
			    "Windows Server 2019 Datacenter</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"HealthState\" TYPE=\"uint16\"><VALUE>5</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"MemoryUsage\" TYPE=\"uint64\"><VALUE>%u</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>%s</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"NumberOfProcessors\" TYPE=\"uint16\"><VALUE>%u</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"ProcessorLoad\" TYPE=\"uint16\"><VALUE>%u</VALUE></PROPERTY>"
			    "<PROPERTY NAME=\"UpTime\" TYPE=\"uint64\"><VALUE>%lld</VALUE></PROPERTY></INSTANCE>",
			 v->state, v->state == 2 ? 2048u : 0u, v->guid, (unsigned)(1 + k % 4),
			 v->state == 2 ? (unsigned)(k % 50) : 0u,
			 v->state == 2 || v->state == 9 ? (long long)(hv_epoch_ms() - v->last_change) : 0LL);
}

static int invoke_summary(hv_request *r, const vsdk_cim_class *cls, struct soap_dom_element *in)
{
	vsdk_buf items = VSDK_BUF_INIT;
	size_t n_ref = 0;

	for (struct soap_dom_element *d = in->elts; d; d = d->next) {
		const char *names[8], *vals[8];
		size_t ns;

		if (!is(d, NULL, "SettingData"))
			continue;
		n_ref++;
		ns = epr_selectors(d, r, names, vals, 8);
		for (size_t i = 0; i < ns; i++) {
			const char *g = strcasestr(vals[i], "5EC0");
			char guid[37];
			long vm;

			if (strcasecmp(names[i], "InstanceID") != 0 || !g || strlen(g) < 36)
				continue;
			memcpy(guid, g, 36);
			guid[36] = '\0';
			vm = hv_vm_find(guid);
			if (vm >= 0) {
				vsdk__buf_puts(&items, "<p:SummaryInformation>");
				{
					vsdk_buf one = VSDK_BUF_INIT;

					summary_item(&one, &g_model.vms[vm], (size_t)vm + 1);
					esc(&items, one.ptr);
					vsdk__buf_free(&one);
				}
				vsdk__buf_puts(&items, "</p:SummaryInformation>");
			}
		}
	}
	if (n_ref == 0) {
		for (size_t vm = 0; vm < g_model.n_vms; vm++) {
			vsdk_buf one = VSDK_BUF_INIT;

			summary_item(&one, &g_model.vms[vm], vm + 1);
			vsdk__buf_puts(&items, "<p:SummaryInformation>");
			esc(&items, one.ptr);
			vsdk__buf_puts(&items, "</p:SummaryInformation>");
			vsdk__buf_free(&one);
		}
	}
	output_begin(r, cls, "GetSummaryInformation");
	vsdk__buf_puts(r->out, "<p:ReturnValue>0</p:ReturnValue>");
	if (items.len)
		vsdk__buf_append(r->out, items.ptr, items.len);
	vsdk__buf_puts(r->out, "</p:GetSummaryInformation_OUTPUT>");
	vsdk__buf_free(&items);
	env_end(r);
	return 0;
}

static int do_invoke(hv_request *r)
{
	const char *slash = strrchr(r->action, '/');
	char *cls_uri = hv_printf(&r->arena, "%.*s", (int)(slash - r->action), r->action);
	const char *method = slash + 1;
	const vsdk_cim_class *cls = class_of_uri(cls_uri);
	struct soap_dom_element *in = r->body ? r->body->elts : NULL;
	char *want;
	hv_obj o;
	int rc;

	if (!cls || (r->resource_uri && strcasecmp(r->resource_uri, cls_uri) != 0))
		return fault(r, true, "a:DestinationUnreachable", CODE_BAD_URI, "InvalidResourceURI",
			     "The WS-Management service cannot process the request. The resource URI %s does not "
			     "match the action %s or is not supported.", r->resource_uri ? r->resource_uri : "(none)",
			     r->action);
	{
		bool found = false;

		for (size_t i = 0; i < cls->n_methods; i++)
			if (strcasecmp(cls->methods[i].name, method) == 0)
				found = true;
		if (!found || !(strcmp(method, "RequestStateChange") == 0 || strcmp(method, "InitiateShutdown") == 0 ||
				strcmp(method, "AddKvpItems") == 0 || strcmp(method, "ModifyKvpItems") == 0 ||
				strcmp(method, "RemoveKvpItems") == 0 || strcmp(method, "GetSummaryInformation") == 0))
			return fault(r, true, "a:ActionNotSupported", CODE_BAD_ACTION, "ActionMismatch",
				     "The WS-Management service cannot process the request. The method %s of %s is %s.",
				     method, cls->name, found ? "not implemented by hvsim" : "not defined");
	}
	want = hv_printf(&r->arena, "%s_INPUT", method);
	if (!in || !is(in, NULL, want))
		return fault(r, true, "w:InvalidParameter", CODE_INVALID_PARAM, "InvalidValue",
			     "The WS-Management service cannot process the request: the body must hold p:%s.", want);
	pthread_mutex_lock(&g_model.lock);
	hv_jobs_advance();
	if (!resolve_selectors(r, cls, true, &o)) {
		pthread_mutex_unlock(&g_model.lock);
		return 0;
	}
	if (strcmp(method, "RequestStateChange") == 0)
		rc = invoke_state_change(r, cls, o, in);
	else if (strcmp(method, "InitiateShutdown") == 0)
		rc = invoke_shutdown(r, cls, o, in);
	else if (strcmp(method, "AddKvpItems") == 0)
		rc = invoke_kvp(r, cls, method, 0, in);
	else if (strcmp(method, "ModifyKvpItems") == 0)
		rc = invoke_kvp(r, cls, method, 1, in);
	else if (strcmp(method, "RemoveKvpItems") == 0)
		rc = invoke_kvp(r, cls, method, 2, in);
	else
		rc = invoke_summary(r, cls, in);
	pthread_mutex_unlock(&g_model.lock);
	return rc;
}

/* ---- dispatch --------------------------------------------------------------------- */

int hv_wsman_handle(struct soap_dom_element *env, const char *user, vsdk_buf *resp, int *http_status)
{
	hv_request r;
	struct soap_dom_element *e;

	(void)user;
	memset(&r, 0, sizeof(r));
	r.out = resp;
	r.status = 200;
	r.env = env;
	if (!is(env, NS_S, "Envelope")) {
		fault(&r, true, "w:SchemaValidationError", CODE_INVALID_PARAM, NULL,
		      "The request is not a SOAP 1.2 envelope (" NS_S ").");
		goto out;
	}
	r.header = child(env, NS_S, "Header");
	r.body = child(env, NS_S, "Body");
	r.action = text_of(child(r.header, NS_A, "Action"), &r.arena);
	r.message_id = text_of(child(r.header, NS_A, "MessageID"), &r.arena);
	r.resource_uri = text_of(child(r.header, NS_W, "ResourceURI"), &r.arena);
	r.max_envelope = get_long(child(r.header, NS_W, "MaxEnvelopeSize"), 0);
	{
		struct soap_dom_element *set = child(r.header, NS_W, "SelectorSet");

		for (e = set ? set->elts : NULL; e && r.n_sels < 16; e = e->next)
			if (is(e, NS_W, "Selector") && attr(e, "Name")) {
				r.sels[r.n_sels].name = attr(e, "Name");
				r.sels[r.n_sels].value = text_of(e, &r.arena);
				r.n_sels++;
			}
	}
	if (r.body && r.body->elts && is(r.body->elts, NS_ID, "Identify")) {
		hv_wsman_identify(resp, true);
		goto out;
	}
	if (!r.action || !*r.action) {
		fault(&r, true, "a:MessageInformationHeaderRequired", CODE_INVALID_PARAM, NULL,
		      "The WS-Management service cannot process the request: the a:Action header is missing.");
		goto out;
	}
	e = child(r.header, NS_W, "Locale");
	if (e && attr(e, "mustUnderstand") &&
	    (strcmp(attr(e, "mustUnderstand"), "true") == 0 || strcmp(attr(e, "mustUnderstand"), "1") == 0)) {
		fault(&r, true, "w:UnsupportedFeature", CODE_UNSUPPORTED, "Locale",
		      "The WS-Management service does not support w:Locale with mustUnderstand=\"true\".");
		goto out;
	}
	if (child(r.header, NS_W, "MaxEnvelopeSize") && r.max_envelope < 8192) {
		fault(&r, true, "w:EncodingLimit", CODE_ENCODING_LIMIT, "MaxEnvelopeSize",
		      "The WS-Management service cannot process the request because MaxEnvelopeSize %ld is below "
		      "8192.", r.max_envelope);
		goto out;
	}
	if (strcmp(r.action, "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get") == 0)
		do_get(&r);
	else if (strcmp(r.action, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate") == 0)
		do_enumerate(&r);
	else if (strcmp(r.action, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull") == 0)
		do_pull(&r);
	else if (strcmp(r.action, "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release") == 0)
		do_release(&r);
	else if (strncasecmp(r.action, HV_URI_BASE, strlen(HV_URI_BASE)) == 0 && strrchr(r.action, '/'))
		do_invoke(&r);
	else
		fault(&r, true, "a:ActionNotSupported", CODE_BAD_ACTION, "ActionMismatch",
		      "The WS-Management service cannot process the request. The action %s is not supported.",
		      r.action);
out:
	*http_status = r.status;
	hv_arena_free(&r.arena);
	return 0;
}
