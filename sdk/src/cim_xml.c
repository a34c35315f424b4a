/*
 * vsdk - CIM runtime codecs: WS-Man instance XML, CIM-XML INSTANCE, method I/O, invoke.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Parsing goes through gSOAP's DOM; output is written with vsdk_buf and
 * vsdk__buf_xml_escape.  Every walk over the DOM is iterative or bounded by
 * VSDK_CIM_MAX_DEPTH, and gSOAP's own nesting limit is lowered, so hostile
 * input cannot exhaust the stack.
 */
#define _POSIX_C_SOURCE 200809L
#include "cim_private.h"
#include "stdsoap2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gSOAP's DOM parser (dom.c in libgsoap); soapcpp2 declares it in each
 * generated soapH.h, which this runtime does not otherwise need. */
SOAP_FMAC1 struct soap_dom_element *SOAP_FMAC2 soap_in_xsd__anyType(struct soap *, const char *,
								    struct soap_dom_element *, const char *);

#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"
#define NS_WSA "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define NS_WSMAN "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define WSA_ANONYMOUS "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

/* Encoder flags beyond the public ones. */
#define ENC_CDATA 0x100u    /* embedded instances as CIM-XML in CDATA (method input) */
#define ENC_PARAMS 0x200u   /* method parameters: nothing for absent values */

/* ---- DOM helpers ----------------------------------------------------------- */

const char *vsdk__xml_local(const char *name)
{
	if (!name)
		return "";
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

typedef struct xml_doc {
	struct soap *soap;
	struct soap_dom_element *root;
	const char *p;
	size_t left;
} xml_doc;

static size_t doc_recv(struct soap *soap, char *buf, size_t n)
{
	xml_doc *d = soap->user;
	if (n > d->left)
		n = d->left;
	memcpy(buf, d->p, n);
	d->p += n;
	d->left -= n;
	return n;
}

static void doc_free(xml_doc *d)
{
	if (d->soap) {
		soap_destroy(d->soap);
		soap_end(d->soap);
		soap_free(d->soap);
	}
	memset(d, 0, sizeof(*d));
}

static int doc_parse(xml_doc *d, const char *xml, size_t len, const char *what)
{
	memset(d, 0, sizeof(*d));
	if (!xml)
		return vsdk__error_set(VSDK_EINVALID, "%s: the XML text is NULL", what);
	d->soap = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_IGNORENS);
	if (!d->soap)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory parsing %s", what);
	d->soap->maxlevel = 64;
	d->soap->user = d;
	d->soap->frecv = doc_recv;
	d->soap->recvfd = -1;
	d->p = xml;
	d->left = len;
	d->root = soap_elt_new(d->soap, NULL, NULL);
	if (!d->root || soap_begin_recv(d->soap) ||
	    !soap_in_xsd__anyType(d->soap, NULL, d->root, NULL) || soap_end_recv(d->soap)) {
		char msg[256];
		msg[0] = 0;
		if (d->soap->error)
			soap_sprint_fault(d->soap, msg, sizeof(msg));
		for (char *c = msg; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		doc_free(d);
		return vsdk__error_set(VSDK_EPARSE, "%s is not well-formed XML%s%s", what, msg[0] ? ": " : "",
				       msg);
	}
	return VSDK_OK;
}

static bool local_is(const struct soap_dom_element *el, const char *name)
{
	return el && el->name && vsdk__streq_ci(vsdk__xml_local(el->name), name);
}

static const char *att_get(const struct soap_dom_element *el, const char *local)
{
	for (const struct soap_dom_attribute *a = el->atts; a; a = a->next)
		if (a->name && vsdk__streq_ci(vsdk__xml_local(a->name), local))
			return a->text;
	return NULL;
}

static bool is_nil(const struct soap_dom_element *el)
{
	for (const struct soap_dom_attribute *a = el->atts; a; a = a->next)
		if (a->name && !strcmp(vsdk__xml_local(a->name), "nil") && a->text &&
		    (!strcmp(a->text, "true") || !strcmp(a->text, "1")))
			return true;
	return false;
}

static struct soap_dom_element *first_child(const struct soap_dom_element *el, const char *local)
{
	for (struct soap_dom_element *c = el ? el->elts : NULL; c; c = c->next)
		if (local_is(c, local))
			return c;
	return NULL;
}

/* Depth-first search (iterative) for the first element with this local name. */
static struct soap_dom_element *find_elt(struct soap_dom_element *root, const char *local)
{
	struct soap_dom_element *e = root;
	while (e) {
		if (local_is(e, local))
			return e;
		if (e->elts) {
			e = e->elts;
			continue;
		}
		while (e && e != root && !e->next)
			e = e->prnt;
		if (!e || e == root)
			return NULL;
		e = e->next;
	}
	return NULL;
}

static const char *text_of(const struct soap_dom_element *el)
{
	return el && el->text ? el->text : "";
}

/* ---- EPRs ------------------------------------------------------------------ */

int vsdk__cim_epr_from_dom(vsdk_cim_epr *epr, struct soap_dom_element *el)
{
	memset(epr, 0, sizeof(*epr));
	struct soap_dom_element *w = first_child(el, "EndpointReference");
	if (w) /* tolerate a wrapper some implementations add */
		el = w;
	struct soap_dom_element *addr = first_child(el, "Address");
	struct soap_dom_element *rp = first_child(el, "ReferenceParameters");
	if (!addr && !rp)
		return vsdk__error_set(VSDK_EPARSE, "a reference has neither Address nor ReferenceParameters");
	if (addr && !(epr->address = vsdk__strdup(text_of(addr))))
		goto nomem;
	struct soap_dom_element *ru = first_child(rp, "ResourceURI");
	if (ru && !(epr->resource_uri = vsdk__strdup(text_of(ru))))
		goto nomem;
	struct soap_dom_element *ss = first_child(rp, "SelectorSet");
	for (struct soap_dom_element *s = ss ? ss->elts : NULL; s; s = s->next) {
		if (!local_is(s, "Selector"))
			continue;
		const char *n = att_get(s, "Name");
		int rc = vsdk_cim_epr_add_selector(epr, n ? n : "", text_of(s));
		if (rc) {
			vsdk_cim_epr_clear(epr);
			return rc;
		}
	}
	return VSDK_OK;
nomem:
	vsdk_cim_epr_clear(epr);
	return vsdk__error_set(VSDK_ENOMEM, "out of memory decoding a reference");
}

void vsdk__cim_epr_to_xml(vsdk_buf *b, const vsdk_cim_epr *epr)
{
	vsdk__buf_puts(b, "<a:Address>");
	vsdk__buf_xml_escape(b, epr->address ? epr->address : WSA_ANONYMOUS);
	vsdk__buf_puts(b, "</a:Address><a:ReferenceParameters>");
	if (epr->resource_uri) {
		vsdk__buf_puts(b, "<w:ResourceURI>");
		vsdk__buf_xml_escape(b, epr->resource_uri);
		vsdk__buf_puts(b, "</w:ResourceURI>");
	}
	if (epr->n_selectors) {
		vsdk__buf_puts(b, "<w:SelectorSet>");
		for (size_t i = 0; i < epr->n_selectors; i++) {
			vsdk__buf_puts(b, "<w:Selector Name=\"");
			vsdk__buf_xml_escape(b, epr->selectors[i].name ? epr->selectors[i].name : "");
			vsdk__buf_puts(b, "\">");
			vsdk__buf_xml_escape(b, epr->selectors[i].value ? epr->selectors[i].value : "");
			vsdk__buf_puts(b, "</w:Selector>");
		}
		vsdk__buf_puts(b, "</w:SelectorSet>");
	}
	vsdk__buf_puts(b, "</a:ReferenceParameters>");
}

/* ---- decoding one value ------------------------------------------------------ */

static int instance_from_cimxml_dom(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
				    const vsdk_cim_class *fallback, struct soap_dom_element *inst, int depth);
static int cimxml_text_decode(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
			      const vsdk_cim_class *fallback, const char *text, size_t len, int depth);

/* The class of an embedded instance: its own name if the schema has it, else the declared one. */
static const vsdk_cim_class *embedded_class(const vsdk_cim_schema *schema, const char *own,
					    const char *declared)
{
	const vsdk_cim_class *c = own ? vsdk_cim_class_find(schema, own) : NULL;
	if (c && !(c->flags & VSDK_CIM_C_PARAMS) && (!declared || vsdk_cim_class_is_a(c, declared)))
		return c;
	c = declared ? vsdk_cim_class_find(schema, declared) : NULL;
	return c && !(c->flags & VSDK_CIM_C_PARAMS) ? c : NULL;
}

/* WS-Man: one property element into the slot. */
static int wsman_value(const vsdk_cim_class *cls, const vsdk_cim_prop *p, void *slot,
		       struct soap_dom_element *el, int depth)
{
	switch (p->type) {
	case VSDK_CIM_REFERENCE:
		return vsdk__cim_epr_from_dom(slot, el);
	case VSDK_CIM_DATETIME: {
		struct soap_dom_element *c = el->elts;
		return vsdk__cim_scalar_parse(p, slot, text_of(c ? c : el));
	}
	case VSDK_CIM_INSTANCE: {
		if (depth >= VSDK_CIM_MAX_DEPTH)
			return vsdk__error_set(VSDK_ELIMIT, "property %s: embedded instances nested too deep",
					       p->name);
		if (el->elts) { /* rendered as a nested element */
			const char *xt = att_get(el, "type");
			char own[256] = "";
			if (xt) {
				snprintf(own, sizeof(own), "%s", vsdk__xml_local(xt));
				size_t l = strlen(own);
				if (l > 5 && !strcmp(own + l - 5, "_Type"))
					own[l - 5] = 0;
			}
			const vsdk_cim_class *ec = embedded_class(cls->schema, own[0] ? own : NULL, p->class_name);
			if (!ec)
				return vsdk__error_set(VSDK_EUNSUPPORTED,
						       "property %s: embedded class %s is not in the schema", p->name,
						       own[0] ? own : p->class_name ? p->class_name : "?");
			vsdk_cim_instance *inst;
			int rc = vsdk_cim_new(&inst, ec);
			if (rc)
				return rc;
			rc = vsdk__cim_from_dom(inst, ec, el, depth + 1);
			if (rc) {
				vsdk_cim_free(inst);
				return rc;
			}
			*(vsdk_cim_instance **)slot = inst;
			return VSDK_OK;
		}
		const char *t = text_of(el);
		const vsdk_cim_class *fb = p->class_name ? vsdk_cim_class_find(cls->schema, p->class_name) : NULL;
		int rc = cimxml_text_decode(slot, cls->schema, fb, t, strlen(t), depth + 1);
		if (rc)
			vsdk__error_prefix("property %s", p->name);
		return rc;
	}
	default:
		return vsdk__cim_scalar_parse(p, slot, text_of(el));
	}
}

int vsdk__cim_from_dom(void *data, const vsdk_cim_class *cls, struct soap_dom_element *el, int depth)
{
	if (!(cls->flags & VSDK_CIM_C_PARAMS))
		((vsdk_cim_instance *)data)->cls = cls;
	for (struct soap_dom_element *c = el->elts; c; c = c->next) {
		if (!c->name)
			continue;
		const vsdk_cim_prop *p = vsdk_cim_prop_find(cls, vsdk__xml_local(c->name));
		if (!p)
			continue; /* unknown elements are ignored (newer hosts add properties) */
		if (is_nil(c))
			continue;
		if (p->type == VSDK_CIM_INSTANCE && !c->elts && !text_of(c)[strspn(text_of(c), " \t\r\n")])
			continue; /* an empty embedded instance is NULL */
		void *slot;
		if (p->flags & VSDK_CIM_F_ARRAY) {
			slot = vsdk__cim_array_push(p, data);
			if (!slot) {
				vsdk_cim_clear(cls, data);
				return vsdk__error_set(VSDK_ENOMEM, "out of memory decoding %s", p->name);
			}
		} else {
			slot = vsdk__cim_field(data, p->offset);
			if (*vsdk__cim_present(p, data)) /* repeated scalar: the last one wins */
				vsdk__cim_value_free(p->type, slot);
		}
		int rc = wsman_value(cls, p, slot, c, depth);
		if (rc) {
			if (p->flags & VSDK_CIM_F_ARRAY) {
				vsdk__cim_value_free(p->type, slot);
				(*vsdk__cim_count(p, data))--;
			}
			vsdk_cim_clear(cls, data);
			return rc;
		}
		*vsdk__cim_present(p, data) = true;
	}
	return VSDK_OK;
}

/* The instance element in a parsed document: by class name, else the root. */
static struct soap_dom_element *instance_elt(struct soap_dom_element *root, const char *name)
{
	struct soap_dom_element *e = find_elt(root, name);
	if (e)
		return e;
	if (local_is(root, "Envelope"))
		return NULL;
	return root;
}

/* True when @p el's local name is @p expect or a schema class derived from it. */
static bool is_instance_of(const struct soap_dom_element *el, const vsdk_cim_schema *schema,
			   const vsdk_cim_class *expect)
{
	if (!el->name)
		return false;
	const char *ln = vsdk__xml_local(el->name);
	if (vsdk__streq_ci(ln, expect->name))
		return true;
	const vsdk_cim_class *c = vsdk_cim_class_find(schema, ln);
	return c && vsdk_cim_class_is_a(c, expect->name);
}

/* The first instance element (depth-first, iterative), else the root unless it is an envelope. */
static struct soap_dom_element *find_instance(struct soap_dom_element *root, const vsdk_cim_schema *schema,
					      const vsdk_cim_class *expect)
{
	struct soap_dom_element *e = root;
	while (e) {
		if (is_instance_of(e, schema, expect))
			return e;
		if (e->elts) {
			e = e->elts;
			continue;
		}
		while (e && e != root && !e->next)
			e = e->prnt;
		if (!e || e == root)
			break;
		e = e->next;
	}
	return local_is(root, "Envelope") ? NULL : root;
}

VSDK_API int vsdk_cim_from_wsman(void *data, const vsdk_cim_class *cls, const char *xml, size_t len)
{
	xml_doc d;
	if (!data || !cls)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_from_wsman: %s is NULL", data ? "cls" : "data");
	int rc = doc_parse(&d, xml, len, cls->name);
	if (rc)
		return rc;
	struct soap_dom_element *el = instance_elt(d.root, cls->name);
	if (!el)
		rc = vsdk__error_set(VSDK_EPROTO, "no %s element in the XML", cls->name);
	else
		rc = vsdk__cim_from_dom(data, cls, el, 0);
	doc_free(&d);
	return rc;
}

VSDK_API int vsdk_cim_instance_from_wsman(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
					  const vsdk_cim_class *expect, const char *xml, size_t len)
{
	xml_doc d;
	if (!out || !expect)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_instance_from_wsman: %s is NULL",
				       out ? "expect" : "out");
	*out = NULL;
	int rc = doc_parse(&d, xml, len, expect->name);
	if (rc)
		return rc;
	struct soap_dom_element *el = find_instance(d.root, schema ? schema : expect->schema, expect);
	const vsdk_cim_class *cls = el ? embedded_class(schema ? schema : expect->schema,
							 vsdk__xml_local(el->name), expect->name) : NULL;
	if (!el) {
		rc = vsdk__error_set(VSDK_EPROTO, "no %s element in the XML", expect->name);
	} else if (!cls) {
		rc = vsdk__error_set(VSDK_EUNSUPPORTED, "class %s is not in the schema", expect->name);
	} else if (!(rc = vsdk_cim_new(out, cls))) {
		rc = vsdk__cim_from_dom(*out, cls, el, 0);
		if (rc) {
			vsdk_cim_free(*out);
			*out = NULL;
		}
	}
	doc_free(&d);
	return rc;
}

VSDK_API int vsdk_cim_instances_from_wsman(vsdk_cim_instance ***out, size_t *n, const vsdk_cim_schema *schema,
					   const vsdk_cim_class *expect, const char *xml, size_t len)
{
	xml_doc d;
	if (!out || !n || !expect)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_instances_from_wsman: %s is NULL",
				       !out ? "out" : !n ? "n" : "expect");
	*out = NULL;
	*n = 0;
	if (!schema)
		schema = expect->schema;
	int rc = doc_parse(&d, xml, len, expect->name);
	if (rc)
		return rc;
	struct soap_dom_element *items = find_elt(d.root, "Items");
	struct soap_dom_element *first = items ? items->elts : find_instance(d.root, schema, expect);
	vsdk_cim_instance **v = NULL;
	size_t cnt = 0;
	for (struct soap_dom_element *e = first; e && !rc; e = items ? e->next : NULL) {
		const vsdk_cim_class *cls = e->name ? embedded_class(schema, vsdk__xml_local(e->name), expect->name)
						    : NULL;
		if (!cls || !vsdk_cim_class_is_a(cls, expect->name))
			continue;
		if (!(cnt & (cnt + 1)) || cnt == 0) { /* grow at 0, 1, 3, 7, ... */
			vsdk_cim_instance **nv = realloc(v, (cnt * 2 + 2) * sizeof(*nv));
			if (!nv) {
				rc = vsdk__error_set(VSDK_ENOMEM, "out of memory decoding %s", expect->name);
				break;
			}
			v = nv;
		}
		if ((rc = vsdk_cim_new(&v[cnt], cls)))
			break;
		if ((rc = vsdk__cim_from_dom(v[cnt], cls, e, 0))) {
			vsdk_cim_free(v[cnt]);
			break;
		}
		cnt++;
	}
	doc_free(&d);
	if (rc) {
		for (size_t i = 0; i < cnt; i++)
			vsdk_cim_free(v[i]);
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return VSDK_OK;
}

/* ---- CIM-XML decoding -------------------------------------------------------------- */

static int cimxml_value(const vsdk_cim_class *cls, const vsdk_cim_prop *p, void *slot,
			struct soap_dom_element *val, int depth)
{
	if (p->type == VSDK_CIM_INSTANCE) {
		const vsdk_cim_class *fb = p->class_name ? vsdk_cim_class_find(cls->schema, p->class_name) : NULL;
		struct soap_dom_element *inner = first_child(val, "INSTANCE");
		if (inner)
			return instance_from_cimxml_dom(slot, cls->schema, fb, inner, depth + 1);
		const char *t = text_of(val);
		return cimxml_text_decode(slot, cls->schema, fb, t, strlen(t), depth + 1);
	}
	return vsdk__cim_scalar_parse(p, slot, text_of(val));
}

/* VALUE.REFERENCE -> EPR: class name becomes the resource URI, key bindings the selectors. */
static int cimxml_ref(const vsdk_cim_class *cls, vsdk_cim_epr *epr, struct soap_dom_element *vr)
{
	memset(epr, 0, sizeof(*epr));
	struct soap_dom_element *in = find_elt(vr, "INSTANCENAME");
	if (!in)
		return vsdk__error_set(VSDK_EPARSE, "VALUE.REFERENCE without INSTANCENAME");
	const char *cn = att_get(in, "CLASSNAME");
	if (cn) {
		const char *base = cls->schema && cls->schema->uri_base ? cls->schema->uri_base : "";
		vsdk_buf b = VSDK_BUF_INIT;
		vsdk__buf_puts(&b, base);
		vsdk__buf_puts(&b, cn);
		if (!(epr->resource_uri = vsdk__buf_detach(&b)))
			return vsdk__error_set(VSDK_ENOMEM, "out of memory decoding a reference");
	}
	for (struct soap_dom_element *k = in->elts; k; k = k->next) {
		if (!local_is(k, "KEYBINDING"))
			continue;
		const char *n = att_get(k, "NAME");
		struct soap_dom_element *kv = first_child(k, "KEYVALUE");
		int rc = vsdk_cim_epr_add_selector(epr, n ? n : "", text_of(kv));
		if (rc) {
			vsdk_cim_epr_clear(epr);
			return rc;
		}
	}
	return VSDK_OK;
}

static int instance_from_cimxml_dom(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
				    const vsdk_cim_class *fallback, struct soap_dom_element *inst, int depth)
{
	*out = NULL;
	if (depth > VSDK_CIM_MAX_DEPTH)
		return vsdk__error_set(VSDK_ELIMIT, "embedded instances nested too deep");
	const char *cn = att_get(inst, "CLASSNAME");
	const vsdk_cim_class *cls = embedded_class(schema, cn, NULL);
	if (cls && fallback && !vsdk_cim_class_is_a(cls, fallback->name))
		cls = NULL;
	if (!cls)
		cls = fallback;
	if (!cls)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "CIM-XML instance of unknown class %s",
				       cn ? cn : "(no CLASSNAME)");
	vsdk_cim_instance *obj;
	int rc = vsdk_cim_new(&obj, cls);
	if (rc)
		return rc;
	for (struct soap_dom_element *pe = inst->elts; pe; pe = pe->next) {
		bool arr = local_is(pe, "PROPERTY.ARRAY") || local_is(pe, "PROPERTY.REFARRAY");
		bool ref = local_is(pe, "PROPERTY.REFERENCE");
		if (!arr && !ref && !local_is(pe, "PROPERTY"))
			continue;
		const char *n = att_get(pe, "NAME");
		const vsdk_cim_prop *p = n ? vsdk_cim_prop_find(cls, n) : NULL;
		if (!p)
			continue;
		void *data = obj;
		if (p->flags & VSDK_CIM_F_ARRAY) {
			struct soap_dom_element *va = first_child(pe, "VALUE.ARRAY");
			if (!va)
				va = first_child(pe, "VALUE.REFARRAY");
			if (!va)
				continue; /* NULL array */
			for (struct soap_dom_element *v = va->elts; v; v = v->next) {
				bool isref = local_is(v, "VALUE.REFERENCE");
				if (!local_is(v, "VALUE") && !isref)
					continue;
				if (local_is(v, "VALUE") && is_nil(v))
					continue;
				void *slot = vsdk__cim_array_push(p, data);
				if (!slot) {
					rc = vsdk__error_set(VSDK_ENOMEM, "out of memory decoding %s", p->name);
					goto fail;
				}
				if (p->type == VSDK_CIM_REFERENCE)
					rc = isref ? cimxml_ref(cls, slot, v)
						   : vsdk__error_set(VSDK_EPARSE, "property %s: expected a reference",
								     p->name);
				else
					rc = cimxml_value(cls, p, slot, v, depth);
				if (rc) {
					vsdk__cim_value_free(p->type, slot);
					(*vsdk__cim_count(p, data))--;
					goto fail;
				}
			}
		} else {
			void *slot = vsdk__cim_field(data, p->offset);
			if (*vsdk__cim_present(p, data))
				continue; /* first one wins */
			if (p->type == VSDK_CIM_REFERENCE) {
				struct soap_dom_element *vr = first_child(pe, "VALUE.REFERENCE");
				if (!vr)
					continue;
				rc = cimxml_ref(cls, slot, vr);
			} else {
				struct soap_dom_element *v = first_child(pe, "VALUE");
				if (!v)
					continue; /* NULL */
				rc = cimxml_value(cls, p, slot, v, depth);
			}
			if (rc)
				goto fail;
		}
		*vsdk__cim_present(p, data) = true;
	}
	*out = obj;
	return VSDK_OK;
fail:
	vsdk_cim_free(obj);
	return rc;
}

static int cimxml_text_decode(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
			      const vsdk_cim_class *fallback, const char *text, size_t len, int depth)
{
	xml_doc d;
	*out = NULL;
	if (depth > VSDK_CIM_MAX_DEPTH)
		return vsdk__error_set(VSDK_ELIMIT, "embedded instances nested too deep");
	int rc = doc_parse(&d, text, len, "CIM-XML instance");
	if (rc)
		return rc;
	struct soap_dom_element *inst = find_elt(d.root, "INSTANCE");
	if (!inst)
		rc = vsdk__error_set(VSDK_EPARSE, "CIM-XML text has no INSTANCE element");
	else
		rc = instance_from_cimxml_dom(out, schema, fallback, inst, depth);
	doc_free(&d);
	return rc;
}

VSDK_API int vsdk_cim_from_cimxml(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
				  const vsdk_cim_class *fallback, const char *text, size_t len)
{
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_from_cimxml: out is NULL");
	*out = NULL;
	if (!schema && fallback)
		schema = fallback->schema;
	return cimxml_text_decode(out, schema, fallback, text, len, 0);
}

/* ---- encoding ------------------------------------------------------------------------ */

static int cimxml_encode(vsdk_buf *b, const vsdk_cim_instance *inst, int depth);

static int check_utf8(const vsdk_cim_prop *p, const char *s)
{
	if (s && !vsdk__utf8_valid(s, strlen(s)))
		return vsdk__error_set(VSDK_EINVALID, "property %s: string is not valid UTF-8", p->name);
	return VSDK_OK;
}

/* CDATA section, splitting any "]]>" in the text. */
static void buf_cdata(vsdk_buf *b, const char *s)
{
	vsdk__buf_puts(b, "<![CDATA[");
	for (const char *m; (m = strstr(s, "]]>")); s = m + 2) {
		vsdk__buf_append(b, s, (size_t)(m - s) + 2);
		vsdk__buf_puts(b, "]]><![CDATA[");
	}
	vsdk__buf_puts(b, s);
	vsdk__buf_puts(b, "]]>");
}

static int wsman_encode(vsdk_buf *b, const vsdk_cim_class *cls, const void *data, const char *elem,
			const char *ns, const char *pfx, unsigned flags, int depth);

static int wsman_value_out(vsdk_buf *b, const vsdk_cim_class *cls, const vsdk_cim_prop *p, const void *slot,
			   const char *pfx, unsigned flags, int depth)
{
	char tmp[64];
	int rc = VSDK_OK;

	vsdk__buf_printf(b, "<%s:%s>", pfx, p->name);
	switch (p->type) {
	case VSDK_CIM_REFERENCE:
		vsdk__cim_epr_to_xml(b, slot);
		break;
	case VSDK_CIM_DATETIME: {
		const vsdk_cim_datetime *dt = slot;
		if (dt->valid && !vsdk_cim_datetime_format_xs(tmp, sizeof(tmp), dt)) {
			vsdk__buf_printf(b, "<cim:%s>%s</cim:%s>", dt->interval ? "Interval" : "Datetime", tmp,
					 dt->interval ? "Interval" : "Datetime");
		} else if (dt->text) {
			if ((rc = check_utf8(p, dt->text)))
				return rc;
			vsdk__buf_puts(b, "<cim:Datetime>");
			vsdk__buf_xml_escape(b, dt->text);
			vsdk__buf_puts(b, "</cim:Datetime>");
		}
		break;
	}
	case VSDK_CIM_INSTANCE: {
		const vsdk_cim_instance *in = *(vsdk_cim_instance *const *)slot;
		if (!in || !in->cls)
			break;
		if ((flags & ENC_CDATA) || (p->flags & VSDK_CIM_F_HVEMBEDDED)) {
			vsdk_buf x = VSDK_BUF_INIT;
			rc = cimxml_encode(&x, in, depth + 1);
			if (!rc && !vsdk__buf_ok(&x))
				rc = vsdk__error_set(VSDK_ENOMEM, "out of memory encoding %s", p->name);
			if (!rc) {
				vsdk__buf_putc(&x, 0);
				if (flags & ENC_CDATA)
					buf_cdata(b, x.ptr);
				else
					vsdk__buf_xml_escape(b, x.ptr);
			}
			vsdk__buf_free(&x);
		} else {
			/* nested element: <p:Prop xmlns:eN="uri" xsi:type="eN:Cls_Type"><eN:X>.. */
			char np[16];
			snprintf(np, sizeof(np), "e%d", depth + 1);
			if (b->len)
				b->len -= 1; /* reopen the start tag for the attributes */
			vsdk__buf_printf(b, " xmlns:%s=\"", np);
			vsdk__buf_xml_escape(b, in->cls->resource_uri ? in->cls->resource_uri : "");
			vsdk__buf_printf(b, "\" xsi:type=\"%s:%s_Type\">", np, in->cls->name);
			if (depth + 1 > VSDK_CIM_MAX_DEPTH)
				return vsdk__error_set(VSDK_ELIMIT, "embedded instances nested too deep");
			rc = wsman_encode(b, in->cls, in, NULL, NULL, np, (flags & ~VSDK_CIM_WSMAN_TYPE) | 0x400u,
					  depth + 1);
		}
		break;
	}
	case VSDK_CIM_STRING:
		if ((rc = check_utf8(p, *(char *const *)slot)))
			return rc;
		vsdk__buf_xml_escape(b, *(char *const *)slot ? *(char *const *)slot : "");
		break;
	default:
		if (p->type == VSDK_CIM_CHAR16) {
			vsdk_buf x = VSDK_BUF_INIT;
			vsdk__cim_scalar_format(&x, p->type, slot);
			vsdk__buf_putc(&x, 0);
			if (x.ptr)
				vsdk__buf_xml_escape(b, x.ptr);
			vsdk__buf_free(&x);
		} else {
			vsdk__cim_scalar_format(b, p->type, slot);
		}
		break;
	}
	(void)cls;
	vsdk__buf_printf(b, "</%s:%s>", pfx, p->name);
	return rc;
}

/* flag 0x400: children only (the caller wrote the start tag); no end tag either. */
static int wsman_encode(vsdk_buf *b, const vsdk_cim_class *cls, const void *data, const char *elem,
			const char *ns, const char *pfx, unsigned flags, int depth)
{
	bool inner = flags & 0x400u;
	if (!inner) {
		bool refs = false;
		for (size_t i = 0; i < cls->n_props; i++)
			refs |= cls->props[i].type == VSDK_CIM_REFERENCE;
		vsdk__buf_printf(b, "<%s:%s xmlns:%s=\"", pfx, elem, pfx);
		vsdk__buf_xml_escape(b, ns ? ns : "");
		vsdk__buf_puts(b, "\" xmlns:xsi=\"" NS_XSI "\" xmlns:cim=\"" NS_CIM "\"");
		if (refs)
			vsdk__buf_puts(b, " xmlns:a=\"" NS_WSA "\" xmlns:w=\"" NS_WSMAN "\"");
		if (flags & VSDK_CIM_WSMAN_TYPE)
			vsdk__buf_printf(b, " xsi:type=\"%s:%s_Type\"", pfx, elem);
		vsdk__buf_putc(b, '>');
	}
	for (size_t i = 0; i < cls->n_props; i++) {
		const vsdk_cim_prop *p = &cls->props[i];
		if (!*vsdk__cim_present(p, data)) {
			if ((flags & VSDK_CIM_WSMAN_NIL) && !(flags & ENC_PARAMS))
				vsdk__buf_printf(b, "<%s:%s xsi:nil=\"true\"/>", pfx, p->name);
			continue;
		}
		const void *f = vsdk__cim_field(data, p->offset);
		int rc;
		if (p->flags & VSDK_CIM_F_ARRAY) {
			const char *arr = *(char *const *)f;
			size_t n = *vsdk__cim_count(p, data), es = vsdk__cim_elem_size(p->type);
			if (n && !arr)
				return vsdk__error_set(VSDK_EINVALID, "property %s: count %zu but no array",
						       p->name, n);
			for (size_t j = 0; j < n; j++)
				if ((rc = wsman_value_out(b, cls, p, arr + j * es, pfx, flags, depth)))
					return rc;
		} else if ((rc = wsman_value_out(b, cls, p, f, pfx, flags, depth))) {
			return rc;
		}
	}
	if (!inner)
		vsdk__buf_printf(b, "</%s:%s>", pfx, elem);
	return VSDK_OK;
}

static int finish_buf(vsdk_buf *b, int rc, char **out, const char *what)
{
	if (!rc && !vsdk__buf_ok(b))
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory encoding %s", what);
	if (rc) {
		vsdk__buf_free(b);
		return rc;
	}
	vsdk__buf_putc(b, 0);
	b->len--;
	*out = vsdk__buf_detach(b);
	if (!*out)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory encoding %s", what);
	return VSDK_OK;
}

VSDK_API int vsdk_cim_to_wsman(char **out, const vsdk_cim_class *cls, const void *data, const char *elem,
			       const char *ns, unsigned flags)
{
	vsdk_buf b = VSDK_BUF_INIT;
	if (!out || !cls || !data)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_to_wsman: %s is NULL",
				       !out ? "out" : !cls ? "cls" : "data");
	*out = NULL;
	int rc = wsman_encode(&b, cls, data, elem ? elem : cls->name, ns ? ns : cls->resource_uri, "p",
			      flags & (VSDK_CIM_WSMAN_NIL | VSDK_CIM_WSMAN_TYPE), 0);
	return finish_buf(&b, rc, out, cls->name);
}

static void cimxml_value_text(vsdk_buf *b, const vsdk_cim_prop *p, const void *slot, int *rc, int depth)
{
	char tmp[64];
	switch (p->type) {
	case VSDK_CIM_DATETIME: {
		const vsdk_cim_datetime *dt = slot;
		if (dt->valid && !vsdk_cim_datetime_format_dmtf(tmp, sizeof(tmp), dt))
			vsdk__buf_puts(b, tmp);
		else if (dt->text && !(*rc = check_utf8(p, dt->text)))
			vsdk__buf_xml_escape(b, dt->text);
		break;
	}
	case VSDK_CIM_INSTANCE: {
		const vsdk_cim_instance *in = *(vsdk_cim_instance *const *)slot;
		vsdk_buf x = VSDK_BUF_INIT;
		if (in && in->cls)
			*rc = cimxml_encode(&x, in, depth + 1);
		vsdk__buf_putc(&x, 0);
		if (!*rc && !vsdk__buf_ok(&x))
			*rc = vsdk__error_set(VSDK_ENOMEM, "out of memory encoding %s", p->name);
		if (!*rc)
			vsdk__buf_xml_escape(b, x.ptr);
		vsdk__buf_free(&x);
		break;
	}
	case VSDK_CIM_STRING:
		if (!(*rc = check_utf8(p, *(char *const *)slot)))
			vsdk__buf_xml_escape(b, *(char *const *)slot ? *(char *const *)slot : "");
		break;
	default: {
		vsdk_buf x = VSDK_BUF_INIT;
		vsdk__cim_scalar_format(&x, p->type, slot);
		vsdk__buf_putc(&x, 0);
		if (x.ptr)
			vsdk__buf_xml_escape(b, x.ptr);
		vsdk__buf_free(&x);
		break;
	}
	}
}

static void cimxml_ref_out(vsdk_buf *b, const vsdk_cim_epr *epr)
{
	const char *cn = epr->resource_uri ? strrchr(epr->resource_uri, '/') : NULL;
	vsdk__buf_puts(b, "<VALUE.REFERENCE><INSTANCENAME CLASSNAME=\"");
	vsdk__buf_xml_escape(b, cn ? cn + 1 : epr->resource_uri ? epr->resource_uri : "");
	vsdk__buf_puts(b, "\">");
	for (size_t i = 0; i < epr->n_selectors; i++) {
		vsdk__buf_puts(b, "<KEYBINDING NAME=\"");
		vsdk__buf_xml_escape(b, epr->selectors[i].name ? epr->selectors[i].name : "");
		vsdk__buf_puts(b, "\"><KEYVALUE VALUETYPE=\"string\">");
		vsdk__buf_xml_escape(b, epr->selectors[i].value ? epr->selectors[i].value : "");
		vsdk__buf_puts(b, "</KEYVALUE></KEYBINDING>");
	}
	vsdk__buf_puts(b, "</INSTANCENAME></VALUE.REFERENCE>");
}

static int cimxml_encode(vsdk_buf *b, const vsdk_cim_instance *inst, int depth)
{
	const vsdk_cim_class *cls = inst->cls;
	int rc = VSDK_OK;
	if (depth > VSDK_CIM_MAX_DEPTH)
		return vsdk__error_set(VSDK_ELIMIT, "embedded instances nested too deep");
	vsdk__buf_puts(b, "<INSTANCE CLASSNAME=\"");
	vsdk__buf_xml_escape(b, cls->name);
	vsdk__buf_puts(b, "\">");
	for (size_t i = 0; i < cls->n_props && !rc; i++) {
		const vsdk_cim_prop *p = &cls->props[i];
		if (!*vsdk__cim_present(p, inst))
			continue;
		const void *f = vsdk__cim_field(inst, p->offset);
		const char *tn = p->type == VSDK_CIM_INSTANCE ? "string" : vsdk_cim_type_name(p->type);
		const char *emb = p->type == VSDK_CIM_INSTANCE ? " EmbeddedObject=\"instance\"" : "";
		if (p->type == VSDK_CIM_REFERENCE) {
			bool arr = p->flags & VSDK_CIM_F_ARRAY;
			vsdk__buf_printf(b, "<PROPERTY.%s NAME=\"%s\"", arr ? "REFARRAY" : "REFERENCE", p->name);
			if (p->class_name)
				vsdk__buf_printf(b, " REFERENCECLASS=\"%s\"", p->class_name);
			vsdk__buf_putc(b, '>');
			if (arr) {
				const vsdk_cim_epr *a = *(vsdk_cim_epr *const *)f;
				vsdk__buf_puts(b, "<VALUE.REFARRAY>");
				for (size_t j = 0; a && j < *vsdk__cim_count(p, inst); j++)
					cimxml_ref_out(b, &a[j]);
				vsdk__buf_puts(b, "</VALUE.REFARRAY>");
			} else {
				cimxml_ref_out(b, f);
			}
			vsdk__buf_printf(b, "</PROPERTY.%s>", arr ? "REFARRAY" : "REFERENCE");
		} else if (p->flags & VSDK_CIM_F_ARRAY) {
			const char *a = *(char *const *)f;
			size_t es = vsdk__cim_elem_size(p->type);
			vsdk__buf_printf(b, "<PROPERTY.ARRAY NAME=\"%s\" TYPE=\"%s\"%s><VALUE.ARRAY>", p->name, tn, emb);
			for (size_t j = 0; a && j < *vsdk__cim_count(p, inst) && !rc; j++) {
				vsdk__buf_puts(b, "<VALUE>");
				cimxml_value_text(b, p, a + j * es, &rc, depth);
				vsdk__buf_puts(b, "</VALUE>");
			}
			vsdk__buf_puts(b, "</VALUE.ARRAY></PROPERTY.ARRAY>");
		} else {
			vsdk__buf_printf(b, "<PROPERTY NAME=\"%s\" TYPE=\"%s\"%s><VALUE>", p->name, tn, emb);
			cimxml_value_text(b, p, f, &rc, depth);
			vsdk__buf_puts(b, "</VALUE></PROPERTY>");
		}
	}
	vsdk__buf_puts(b, "</INSTANCE>");
	return rc;
}

VSDK_API int vsdk_cim_to_cimxml(char **out, const vsdk_cim_instance *inst)
{
	vsdk_buf b = VSDK_BUF_INIT;
	if (!out || !inst || !inst->cls)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_to_cimxml: %s is NULL", !out ? "out" : "inst");
	*out = NULL;
	int rc = cimxml_encode(&b, inst, 0);
	return finish_buf(&b, rc, out, inst->cls->name);
}

/* ---- methods ---------------------------------------------------------------------------- */

static int method_ok(const vsdk_cim_method *m, const char *fn)
{
	if (!m || !m->in || !m->out || !m->cls)
		return vsdk__error_set(VSDK_EINVALID, "%s: method table is NULL or incomplete", fn);
	return VSDK_OK;
}

static int method_encode(char **out, const vsdk_cim_method *m, const vsdk_cim_class *pc, const void *data,
			 const char *suffix, unsigned flags)
{
	char elem[256];
	vsdk_buf b = VSDK_BUF_INIT;
	snprintf(elem, sizeof(elem), "%s_%s", m->name, suffix);
	int rc = wsman_encode(&b, pc, data, elem, m->cls->resource_uri, "p", flags | ENC_PARAMS, 0);
	return finish_buf(&b, rc, out, elem);
}

static int method_decode(void *data, const vsdk_cim_method *m, const vsdk_cim_class *pc, const char *xml,
			 size_t len, const char *suffix)
{
	char elem[256];
	xml_doc d;
	snprintf(elem, sizeof(elem), "%s_%s", m->name, suffix);
	memset(data, 0, pc->size);
	int rc = doc_parse(&d, xml, len, elem);
	if (rc)
		return rc;
	struct soap_dom_element *el = find_elt(d.root, elem);
	if (el) {
		rc = vsdk__cim_from_dom(data, pc, el, 0);
	} else {
		struct soap_dom_element *f = find_elt(d.root, "Fault");
		if (f) {
			struct soap_dom_element *t = find_elt(f, "Text");
			rc = vsdk__error_set(VSDK_EFAULT, "%s.%s: fault: %.200s", m->cls->name, m->name,
					     text_of(t ? t : find_elt(f, "faultstring")));
		} else {
			rc = vsdk__error_set(VSDK_EPROTO, "%s.%s: the response has no %s element", m->cls->name,
					     m->name, elem);
		}
	}
	doc_free(&d);
	return rc;
}

VSDK_API int vsdk_cim_method_input_encode(char **out, const vsdk_cim_method *m, const void *in)
{
	int rc = method_ok(m, "vsdk_cim_method_input_encode");
	if (rc)
		return rc;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_method_input_encode: out is NULL");
	*out = NULL;
	void *zero = NULL;
	if (!in) {
		if (!(zero = calloc(1, m->in->size ? m->in->size : 1)))
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		in = zero;
	}
	rc = method_encode(out, m, m->in, in, "INPUT", ENC_CDATA);
	free(zero);
	return rc;
}

VSDK_API int vsdk_cim_method_input_decode(void *in, const vsdk_cim_method *m, const char *xml, size_t len)
{
	int rc = method_ok(m, "vsdk_cim_method_input_decode");
	if (rc)
		return rc;
	if (!in)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_method_input_decode: in is NULL");
	return method_decode(in, m, m->in, xml, len, "INPUT");
}

VSDK_API int vsdk_cim_method_output_encode(char **out, const vsdk_cim_method *m, const void *outp)
{
	int rc = method_ok(m, "vsdk_cim_method_output_encode");
	if (rc)
		return rc;
	if (!out || !outp)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_method_output_encode: %s is NULL",
				       out ? "outp" : "out");
	*out = NULL;
	return method_encode(out, m, m->out, outp, "OUTPUT", 0);
}

VSDK_API int vsdk_cim_method_output_decode(void *outp, const vsdk_cim_method *m, const char *xml, size_t len)
{
	int rc = method_ok(m, "vsdk_cim_method_output_decode");
	if (rc)
		return rc;
	if (!outp)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_method_output_decode: outp is NULL");
	return method_decode(outp, m, m->out, xml, len, "OUTPUT");
}

VSDK_API int vsdk_cim_invoke(const vsdk_cim_transport *t, const vsdk_cim_method *m, const vsdk_cim_epr *target,
			     const void *in, void *out)
{
	int rc = method_ok(m, "vsdk_cim_invoke");
	if (rc)
		return rc;
	if (!t || !t->invoke || !out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_invoke: %s is NULL", !out ? "out" : "transport");
	memset(out, 0, m->out->size);
	char *body = NULL, *resp = NULL;
	size_t resp_len = 0;
	if ((rc = vsdk_cim_method_input_encode(&body, m, in)))
		return rc;
	const char *uri = target && target->resource_uri ? target->resource_uri : m->cls->resource_uri;
	vsdk__log(VSDK_LOG_DEBUG, "invoke %s.%s on %s", m->cls->name, m->name, uri);
	rc = t->invoke(t->ctx, uri, m->name, target ? target->selectors : NULL, target ? target->n_selectors : 0,
		       body, strlen(body), &resp, &resp_len);
	free(body);
	if (rc) {
		free(resp);
		return rc;
	}
	if (!resp)
		return vsdk__error_set(VSDK_EPROTO, "%s.%s: the transport returned no response", m->cls->name,
				       m->name);
	rc = vsdk_cim_method_output_decode(out, m, resp, resp_len);
	free(resp);
	if (rc)
		return rc;
	const vsdk_cim_prop *rv = vsdk_cim_prop_find(m->out, "ReturnValue");
	if (rv && !*vsdk__cim_present(rv, out)) {
		vsdk_cim_clear(m->out, out);
		return vsdk__error_set(VSDK_EPROTO, "%s.%s: the response has no ReturnValue", m->cls->name, m->name);
	}
	vsdk_error_clear();
	if (rv && rv->type == VSDK_CIM_UINT32)
		vsdk__error_mut()->cim_return = (long)*(const uint32_t *)vsdk__cim_field(out, rv->offset);
	return VSDK_OK;
}
