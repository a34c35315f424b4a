/*
 * vsdk - WS-Management client: SOAP 1.2 envelopes built and parsed with gSOAP's
 * DOM, sent over gSOAP's HTTP engine; Identify, Get, Put, Invoke,
 * Enumerate/Pull/Release with WQL filters, fault decoding, WQL escaping.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "wsman_private.h"
#include "transport_private.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Our own namespace table (the vim25 one is SOAP 1.1).  The first four
 * entries follow gSOAP's convention (envelope, encoding, xsi, xsd).
 */
static struct Namespace ws_namespaces[] = {
	{ "s", VSDK_WS_NS_SOAP, NULL, NULL },
	{ "SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding", NULL, NULL },
	{ "xsi", VSDK_WS_NS_XSI, NULL, NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema", NULL, NULL },
	{ "a", VSDK_WS_NS_ADDR, NULL, NULL },
	{ "w", VSDK_WS_NS_WSMAN, NULL, NULL },
	{ "n", VSDK_WS_NS_ENUM, NULL, NULL },
	{ "x", VSDK_WS_NS_TRANSFER, NULL, NULL },
	{ "f", VSDK_WS_NS_FAULT, NULL, NULL },
	{ "p", VSDK_WS_NS_MSWSMAN, NULL, NULL },
	{ "cim", VSDK_WS_NS_CIM, NULL, NULL },
	{ "wsmid", VSDK_WS_NS_IDENTITY, NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

/*
 * gSOAP's runtime needs the global `namespaces` table (vi_nsmap.c) at link
 * time; a static link of a Hyper-V-only program must pull it in too.
 */
extern struct Namespace namespaces[];
static struct Namespace *const keep_global_nsmap __attribute__((used)) = namespaces;

/* ---- DOM helpers ------------------------------------------------------- */

static const char *local_of(const char *name)
{
	const char *c;

	if (!name)
		return "";
	c = strrchr(name, ':');
	return c ? c + 1 : name;
}

bool vsdk__ws_is(const struct soap_dom_element *el, const char *ns, const char *local)
{
	if (!el || !el->name || strcmp(local_of(el->name), local) != 0)
		return false;
	return !ns || (el->nstr && strcmp(el->nstr, ns) == 0);
}

struct soap_dom_element *vsdk__ws_child(struct soap_dom_element *el, const char *ns, const char *local)
{
	for (struct soap_dom_element *c = el ? el->elts : NULL; c; c = c->next)
		if (vsdk__ws_is(c, ns, local))
			return c;
	return NULL;
}

struct soap_dom_element *vsdk__ws_find(struct soap_dom_element *root, const char *ns, const char *local)
{
	struct soap_dom_element *e = root;

	while (e) {
		if (vsdk__ws_is(e, ns, local))
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

const char *vsdk__ws_text(const struct soap_dom_element *el)
{
	return el && el->text ? el->text : "";
}

const char *vsdk__ws_att(const struct soap_dom_element *el, const char *local)
{
	for (const struct soap_dom_attribute *a = el ? el->atts : NULL; a; a = a->next)
		if (a->name && strcmp(local_of(a->name), local) == 0)
			return a->text;
	return NULL;
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct mem_src {
	const char *p;
	size_t left;
	size_t (*orig)(struct soap *, char *, size_t);
	void *orig_user;
} mem_src;

static _Thread_local mem_src *cur_src;

static size_t mem_recv(struct soap *soap, char *buf, size_t n)
{
	mem_src *m = cur_src;

	(void)soap;
	if (n > m->left)
		n = m->left;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return n;
}

int vsdk__ws_parse(struct soap *soap, const char *xml, size_t len, struct soap_dom_element **root)
{
	mem_src m = { xml, len, soap->frecv, NULL };
	mem_src *saved = cur_src;
	struct soap_dom_element *el;
	int ok;
	SOAP_SOCKET sock = soap->socket;
	int recvfd = soap->recvfd;

	*root = NULL;
	const struct Namespace *saved_ns = soap->namespaces;

	cur_src = &m;
	soap_set_namespaces(soap, ws_namespaces);
	soap->frecv = mem_recv;
	soap->socket = SOAP_INVALID_SOCKET;
	soap->recvfd = -1;
	soap_set_imode(soap, SOAP_ENC_PLAIN);
	el = soap_elt_new(soap, NULL, NULL);
	ok = el && soap_begin_recv(soap) == SOAP_OK && soap_in_xsd__anyType(soap, NULL, el, NULL) &&
	     soap_end_recv(soap) == SOAP_OK;
	soap_clr_imode(soap, SOAP_ENC_PLAIN);
	soap->frecv = m.orig;
	if (saved_ns != ws_namespaces)
		soap_set_namespaces(soap, saved_ns);
	soap->socket = sock;
	soap->recvfd = recvfd;
	cur_src = saved;
	if (!ok) {
		char msg[256] = "";

		soap_sprint_fault(soap, msg, sizeof(msg));
		for (char *c = msg; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		return vsdk__error_set(VSDK_EPARSE, "the XML document is not well-formed: %s", msg);
	}
	*root = el;
	return VSDK_OK;
}

/* ---- setup -------------------------------------------------------------- */

/* Counts response bytes (for the throughput numbers); ws is in soap->data[3]. */
static size_t count_recv(struct soap *soap, char *buf, size_t n)
{
	vsdk_wsman *ws = soap->data[3];
	size_t r = ws->orig_frecv(soap, buf, n);

	ws->bytes_received += r;
	return r;
}

int vsdk__wsman_init(vsdk_wsman *ws, struct soap *soap, const char *endpoint, const char *user,
		     const char *password)
{
	memset(ws, 0, sizeof(*ws));
	ws->soap = soap;
	ws->endpoint = vsdk__strdup(endpoint);
	if (!ws->endpoint)
		return VSDK_ENOMEM;
	ws->user = user;
	ws->password = password;
	ws->operation_timeout_ms = 60000;
	soap_set_namespaces(soap, ws_namespaces);
	soap_set_mode(soap, SOAP_C_UTFSTRING | SOAP_XML_NOTYPE);
	soap->data[3] = ws;
	ws->orig_frecv = soap->frecv;
	soap->frecv = count_recv;
	return VSDK_OK;
}

void vsdk__wsman_fini(vsdk_wsman *ws)
{
	if (!ws)
		return;
	vsdk__wsman_ntlm_disable(ws);
	if (ws->soap && ws->soap->data[3] == ws) {
		ws->soap->frecv = ws->orig_frecv;
		ws->soap->data[3] = NULL;
	}
	free(ws->endpoint);
	memset(ws, 0, sizeof(*ws));
}

/* ---- faults --------------------------------------------------------------- */

/* Collect the text below el (provider messages nest), separated by "; ". */
static void collect_text(vsdk_buf *b, const struct soap_dom_element *el, int depth)
{
	if (!el || depth > 16)
		return;
	if (el->text) {
		const char *t = el->text;
		size_t n;

		while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
			t++;
		n = strlen(t);
		while (n && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == '\t'))
			n--;
		if (n) {
			if (b->len)
				vsdk__buf_puts(b, "; ");
			vsdk__buf_append(b, t, n);
		}
	}
	for (const struct soap_dom_element *c = el->elts; c; c = c->next)
		collect_text(b, c, depth + 1);
}

/* Copy s without leading/trailing white space (pretty-printed faults). */
static void trim_copy(char *dst, size_t size, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static const struct {
	const char *subcode; /* local part */
	int code;
} fault_codes[] = {
	{ "TimedOut", VSDK_ETIMEOUT },
	{ "AccessDenied", VSDK_EAUTH },
	{ "InvalidSelectors", VSDK_ENOTFOUND },
	{ "DestinationUnreachable", VSDK_ENOTFOUND },
	{ "EncodingLimit", VSDK_ELIMIT },
	{ "QuotaLimit", VSDK_ELIMIT },
	{ "ActionNotSupported", VSDK_EUNSUPPORTED },
	{ "UnsupportedFeature", VSDK_EUNSUPPORTED },
	{ "AlreadyExists", VSDK_EEXISTS },
};

int vsdk__wsman_fault(struct soap_dom_element *fault, const char *what, int http_status)
{
	struct soap_dom_element *code = vsdk__ws_child(fault, NULL, "Code");
	struct soap_dom_element *sub = vsdk__ws_child(code, NULL, "Subcode");
	struct soap_dom_element *reason = vsdk__ws_find(vsdk__ws_child(fault, NULL, "Reason"), NULL, "Text");
	struct soap_dom_element *wf = vsdk__ws_find(vsdk__ws_child(fault, NULL, "Detail"), VSDK_WS_NS_FAULT,
						    "WSManFault");
	struct soap_dom_element *detail = vsdk__ws_find(vsdk__ws_child(fault, NULL, "Detail"), NULL, "FaultDetail");
	char subcode[128], main_code[128], detail_text[256];
	const char *fault_name;
	unsigned long wcode = 0;
	vsdk_buf msg = VSDK_BUF_INIT;
	char *text;
	int rc = VSDK_EFAULT;
	vsdk_error *e;

	trim_copy(subcode, sizeof(subcode), vsdk__ws_text(vsdk__ws_child(sub, NULL, "Value")));
	trim_copy(main_code, sizeof(main_code), vsdk__ws_text(vsdk__ws_child(code, NULL, "Value")));
	trim_copy(detail_text, sizeof(detail_text), vsdk__ws_text(detail));
	fault_name = subcode[0] ? subcode : main_code;
	if (wf) {
		const char *c = vsdk__ws_att(wf, "Code");

		if (c)
			wcode = strtoul(c, NULL, 10);
		collect_text(&msg, vsdk__ws_child(wf, VSDK_WS_NS_FAULT, "Message"), 0);
	}
	if (!msg.len)
		collect_text(&msg, reason, 0);
	else if (reason && reason->text && !strstr(msg.ptr ? msg.ptr : "", reason->text)) {
		vsdk_buf both = VSDK_BUF_INIT;

		collect_text(&both, reason, 0);
		vsdk__buf_puts(&both, " (");
		vsdk__buf_append(&both, msg.ptr, msg.len);
		vsdk__buf_puts(&both, ")");
		vsdk__buf_free(&msg);
		msg = both;
	}
	for (size_t i = 0; i < sizeof(fault_codes) / sizeof(fault_codes[0]); i++)
		if (strcmp(local_of(fault_name), fault_codes[i].subcode) == 0)
			rc = fault_codes[i].code;
	text = vsdk__buf_detach(&msg);
	vsdk__error_set(rc, "%s: WS-Man fault %s%s%s%s: %s", what, fault_name[0] ? fault_name : "(no code)",
			detail ? " [" : "", detail ? local_of(detail_text) : "", detail ? "]" : "",
			text && text[0] ? text : "(no message)");
	free(text);
	e = vsdk__error_mut();
	snprintf(e->fault, sizeof(e->fault), "%s", fault_name);
	e->wsman_code = wcode;
	e->http_status = http_status;
	return rc;
}

/* ---- envelopes ------------------------------------------------------------ */

static void uuid_text(char out[42])
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1) {
		int64_t t = vsdk__now_ms();

		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)((t >> (i % 8 * 8)) ^ (uintptr_t)out >> i);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 42, "uuid:%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", r[0], r[1],
		 r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

static struct soap_dom_element *add_text(struct soap_dom_element *parent, const char *ns, const char *tag,
					 const char *text, bool must)
{
	struct soap_dom_element *e = soap_elt(parent, ns, tag);

	if (!e)
		return NULL;
	if (text)
		soap_elt_text(e, text);
	if (must)
		soap_att_text(soap_att(e, VSDK_WS_NS_SOAP, "s:mustUnderstand"), "true");
	return e;
}

static struct soap_dom_element *build_envelope(vsdk_wsman *ws, const char *action, const char *resource_uri,
					       const vsdk_ws_kv *sel, size_t nsel, const vsdk_ws_kv *opt,
					       size_t nopt, struct soap_dom_element **body_out)
{
	struct soap *soap = ws->soap;
	struct soap_dom_element *env, *hdr, *e;
	char id[42], buf[64];
	int ms = ws->operation_timeout_ms > 0 ? ws->operation_timeout_ms : 60000;

	env = soap_elt_new(soap, VSDK_WS_NS_SOAP, "s:Envelope");
	if (!env)
		return NULL;
	/* Bind the prefixes once on the Envelope (as WinRM does); literal bodies rely on a: and w:. */
	soap_att_text(soap_att(env, NULL, "xmlns:a"), VSDK_WS_NS_ADDR);
	soap_att_text(soap_att(env, NULL, "xmlns:n"), VSDK_WS_NS_ENUM);
	soap_att_text(soap_att(env, NULL, "xmlns:w"), VSDK_WS_NS_WSMAN);
	soap_att_text(soap_att(env, NULL, "xmlns:x"), VSDK_WS_NS_TRANSFER);
	hdr = soap_elt(env, VSDK_WS_NS_SOAP, "s:Header");
	add_text(hdr, VSDK_WS_NS_ADDR, "a:To", ws->endpoint, false);
	if (resource_uri)
		add_text(hdr, VSDK_WS_NS_WSMAN, "w:ResourceURI", resource_uri, true);
	e = add_text(hdr, VSDK_WS_NS_ADDR, "a:ReplyTo", NULL, false);
	add_text(e, VSDK_WS_NS_ADDR, "a:Address", VSDK_WS_ANONYMOUS, true);
	add_text(hdr, VSDK_WS_NS_ADDR, "a:Action", action, true);
	snprintf(buf, sizeof(buf), "%d", VSDK_WS_MAX_ENVELOPE);
	add_text(hdr, VSDK_WS_NS_WSMAN, "w:MaxEnvelopeSize", buf, true);
	uuid_text(id);
	add_text(hdr, VSDK_WS_NS_ADDR, "a:MessageID", id, false);
	e = add_text(hdr, VSDK_WS_NS_WSMAN, "w:Locale", NULL, false);
	soap_att_text(soap_att(e, "http://www.w3.org/XML/1998/namespace", "xml:lang"), "en-US");
	soap_att_text(soap_att(e, VSDK_WS_NS_SOAP, "s:mustUnderstand"), "false");
	snprintf(buf, sizeof(buf), "PT%d.%03dS", ms / 1000, ms % 1000);
	add_text(hdr, VSDK_WS_NS_WSMAN, "w:OperationTimeout", buf, false);
	if (nsel) {
		struct soap_dom_element *set = soap_elt(hdr, VSDK_WS_NS_WSMAN, "w:SelectorSet");

		for (size_t i = 0; i < nsel; i++) {
			e = soap_nth_elt(set, VSDK_WS_NS_WSMAN, "w:Selector", i + 1);
			soap_att_text(soap_att(e, NULL, "Name"), sel[i].name);
			soap_elt_text(e, sel[i].value ? sel[i].value : "");
		}
	}
	if (nopt) {
		struct soap_dom_element *set = soap_elt(hdr, VSDK_WS_NS_WSMAN, "w:OptionSet");

		for (size_t i = 0; i < nopt; i++) {
			e = soap_nth_elt(set, VSDK_WS_NS_WSMAN, "w:Option", i + 1);
			soap_att_text(soap_att(e, NULL, "Name"), opt[i].name);
			soap_elt_text(e, opt[i].value ? opt[i].value : "");
		}
	}
	*body_out = soap_elt(env, VSDK_WS_NS_SOAP, "s:Body");
	return env;
}

/* The one place where credentials are put on a request (NTLM goes here later). */
static void auth_apply(vsdk_wsman *ws)
{
	ws->soap->userid = ws->user;
	ws->soap->passwd = ws->password;
}

static int send_recv(vsdk_wsman *ws, const char *what, struct soap_dom_element *env,
		     struct soap_dom_element **resp)
{
	struct soap *soap = ws->soap;
	struct soap_dom_element *root;
	int status;

	if (ws->ntlm)
		return vsdk__wsman_ntlm_send_recv(ws, what, env, resp);
	auth_apply(ws);
	soap->http_content = "application/soap+xml;charset=UTF-8";
	if (soap_begin_count(soap) || soap_out_xsd__anyType(soap, NULL, 0, env, NULL) || soap_end_count(soap) ||
	    soap_connect_command(soap, SOAP_POST_FILE, ws->endpoint, NULL) ||
	    soap_out_xsd__anyType(soap, NULL, 0, env, NULL) || soap_end_send(soap)) {
		int rc = vsdk__transport_error(soap, what);

		soap_closesock(soap);
		return rc;
	}
	ws->requests++;
	root = soap_elt_new(soap, NULL, NULL);
	if (!root)
		return vsdk__error_set(VSDK_ENOMEM, "%s: out of memory", what);
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, root, NULL) || soap_end_recv(soap)) {
		int rc;

		if (soap->error == SOAP_NO_DATA || soap->error == SOAP_EOF) {
			status = soap->status;
			if (status == 401 || status == 403) {
				rc = vsdk__error_set(VSDK_EAUTH,
						     "%s: %s refused the credentials of '%s' (HTTP %d); Basic auth must be "
						     "enabled on the host (winrm/config/service/auth Basic=true)",
						     what, ws->endpoint, ws->user ? ws->user : "", status);
				vsdk__error_mut()->http_status = status;
				soap_closesock(soap);
				return rc;
			}
		}
		if (soap->error == 401 || soap->error == 403) {
			rc = vsdk__error_set(VSDK_EAUTH,
					     "%s: %s refused the credentials of '%s' (HTTP %d); Basic auth must be enabled "
					     "on the host (winrm/config/service/auth Basic=true)",
					     what, ws->endpoint, ws->user ? ws->user : "", soap->error);
			vsdk__error_mut()->http_status = soap->error;
		} else {
			rc = vsdk__transport_error(soap, what);
		}
		soap_closesock(soap);
		return rc;
	}
	soap_closesock(soap);
	*resp = root;
	return VSDK_OK;
}

int vsdk__wsman_exchange(vsdk_wsman *ws, const char *what, const char *action, const char *resource_uri,
			 const vsdk_ws_kv *selectors, size_t n_selectors, const vsdk_ws_kv *options,
			 size_t n_options, struct soap_dom_element *body, const char *body_xml,
			 struct soap_dom_element **resp_body)
{
	struct soap_dom_element *env, *b, *root = NULL, *rb, *fault;
	int rc, status;

	*resp_body = NULL;
	env = build_envelope(ws, action, resource_uri, selectors, n_selectors, options, n_options, &b);
	if (!env || !b)
		return vsdk__error_set(VSDK_ENOMEM, "%s: out of memory building the request", what);
	if (body) {
		body->prnt = b;
		b->elts = body;
	} else if (body_xml) {
		b->code = body_xml;
	}
	vsdk__log(VSDK_LOG_DEBUG, "wsman %s: %s %s", what, local_of(action), resource_uri ? resource_uri : "");
	if ((rc = send_recv(ws, what, env, &root)))
		return rc;
	status = ws->soap->status;
	if (!vsdk__ws_is(root, VSDK_WS_NS_SOAP, "Envelope")) {
		if (status >= 300) {
			/* An error page (e.g. HTTP 500 with HTML): an HTTP failure, as on the VI side. */
			rc = vsdk__error_set(status == 401 || status == 403 ? VSDK_EAUTH : VSDK_EIO,
					     "%s: %s answered HTTP %d (not a SOAP response; body <%s>)", what,
					     ws->endpoint ? ws->endpoint : "the server", status, root->name ? root->name : "");
			vsdk__error_mut()->http_status = status;
			return rc;
		}
		return vsdk__error_set(VSDK_EPROTO, "%s: the answer (HTTP %d) is not a SOAP 1.2 envelope (root <%s>)",
				       what, status, root->name ? root->name : "");
	}
	rb = vsdk__ws_child(root, VSDK_WS_NS_SOAP, "Body");
	if (!rb)
		return vsdk__error_set(VSDK_EPROTO, "%s: the answer has no SOAP Body", what);
	if ((fault = vsdk__ws_child(rb, VSDK_WS_NS_SOAP, "Fault")))
		return vsdk__wsman_fault(fault, what, status);
	if (status != 200 && status != 0 && (status < 200 || status > 299))
		return vsdk__error_set(VSDK_EPROTO, "%s: HTTP %d without a SOAP fault", what, status);
	*resp_body = rb;
	return VSDK_OK;
}

/* ---- operations ------------------------------------------------------------- */

static char *dup_text(struct soap_dom_element *el)
{
	return el && el->text ? vsdk__strdup(el->text) : NULL;
}

int vsdk__wsman_identify(vsdk_wsman *ws, char **protocol, char **vendor, char **version)
{
	struct soap *soap = ws->soap;
	struct soap_dom_element *env, *hdr, *b, *root = NULL, *rb, *id;
	int rc;

	soap_destroy(soap);
	soap_end(soap);
	/* Identify carries no addressing headers (DSP0226 §11). */
	env = soap_elt_new(soap, VSDK_WS_NS_SOAP, "s:Envelope");
	hdr = env ? soap_elt(env, VSDK_WS_NS_SOAP, "s:Header") : NULL;
	b = env ? soap_elt(env, VSDK_WS_NS_SOAP, "s:Body") : NULL;
	if (!hdr || !b || !soap_elt(b, VSDK_WS_NS_IDENTITY, "wsmid:Identify"))
		return vsdk__error_set(VSDK_ENOMEM, "Identify: out of memory");
	if ((rc = send_recv(ws, "WS-Man Identify", env, &root)))
		return rc;
	rb = vsdk__ws_child(root, VSDK_WS_NS_SOAP, "Body");
	if (rb && vsdk__ws_child(rb, VSDK_WS_NS_SOAP, "Fault"))
		return vsdk__wsman_fault(vsdk__ws_child(rb, VSDK_WS_NS_SOAP, "Fault"), "WS-Man Identify",
					 soap->status);
	id = vsdk__ws_child(rb, NULL, "IdentifyResponse");
	if (!id)
		return vsdk__error_set(VSDK_EPROTO, "%s is not a WS-Management endpoint (no IdentifyResponse)",
				       ws->endpoint);
	if (protocol)
		*protocol = dup_text(vsdk__ws_child(id, NULL, "ProtocolVersion"));
	if (vendor)
		*vendor = dup_text(vsdk__ws_child(id, NULL, "ProductVendor"));
	if (version)
		*version = dup_text(vsdk__ws_child(id, NULL, "ProductVersion"));
	return VSDK_OK;
}

static void reset_ctx(vsdk_wsman *ws)
{
	soap_destroy(ws->soap);
	soap_end(ws->soap);
}

int vsdk__wsman_get(vsdk_wsman *ws, const char *resource_uri, const vsdk_ws_kv *selectors, size_t n,
		    struct soap_dom_element **inst)
{
	struct soap_dom_element *rb;
	int rc;

	reset_ctx(ws);
	rc = vsdk__wsman_exchange(ws, "WS-Man Get", VSDK_WS_NS_TRANSFER "/Get", resource_uri, selectors, n, NULL, 0,
				  NULL, NULL, &rb);
	if (rc)
		return rc;
	if (!rb->elts)
		return vsdk__error_set(VSDK_EPROTO, "WS-Man Get %s: empty response body", resource_uri);
	*inst = rb->elts;
	return VSDK_OK;
}

int vsdk__wsman_put(vsdk_wsman *ws, const char *resource_uri, const vsdk_ws_kv *selectors, size_t n,
		    const char *instance_xml, struct soap_dom_element **inst)
{
	struct soap_dom_element *rb;
	int rc;

	reset_ctx(ws);
	rc = vsdk__wsman_exchange(ws, "WS-Man Put", VSDK_WS_NS_TRANSFER "/Put", resource_uri, selectors, n, NULL, 0,
				  NULL, instance_xml, &rb);
	if (rc)
		return rc;
	if (inst)
		*inst = rb->elts;
	return VSDK_OK;
}

int vsdk__wsman_invoke(vsdk_wsman *ws, const char *resource_uri, const char *method,
		       const vsdk_ws_kv *selectors, size_t n, const char *input_xml,
		       struct soap_dom_element **resp_body)
{
	char *action = NULL, what[160];
	int rc;

	if (asprintf(&action, "%s/%s", resource_uri, method) < 0)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	snprintf(what, sizeof(what), "WS-Man Invoke %s.%s", local_of(strrchr(resource_uri, '/')), method);
	if (what[14] == '.')
		snprintf(what, sizeof(what), "WS-Man Invoke %s", method);
	reset_ctx(ws);
	rc = vsdk__wsman_exchange(ws, what, action, resource_uri, selectors, n, NULL, 0, NULL, input_xml, resp_body);
	free(action);
	return rc;
}

static int release(vsdk_wsman *ws, const char *resource_uri, const char *context)
{
	struct soap_dom_element *b, *rb;
	int rc;

	reset_ctx(ws);
	b = soap_elt_new(ws->soap, VSDK_WS_NS_ENUM, "n:Release");
	if (!b)
		return VSDK_ENOMEM;
	soap_elt_text(soap_elt(b, VSDK_WS_NS_ENUM, "n:EnumerationContext"), context);
	rc = vsdk__wsman_exchange(ws, "WS-Man Release", VSDK_WS_NS_ENUM "/Release", resource_uri, NULL, 0, NULL, 0, b,
				  NULL, &rb);
	return rc;
}

/* Hand the children of an Items element to cb. */
static int deliver(struct soap_dom_element *items, vsdk_ws_item_cb cb, void *payload, size_t *count)
{
	for (struct soap_dom_element *it = items ? items->elts : NULL; it; it = it->next) {
		int rc;

		if (!it->name)
			continue;
		(*count)++;
		if ((rc = cb(payload, it)))
			return rc;
	}
	return VSDK_OK;
}

int vsdk__wsman_enumerate(vsdk_wsman *ws, const char *resource_uri, const char *wql, unsigned flags,
			  unsigned page, vsdk_ws_item_cb cb, void *payload)
{
	struct soap_dom_element *b, *rb, *resp, *ctx_el, *items;
	char num[24], *context = NULL;
	bool eos;
	size_t count = 0;
	int rc;

	if (!page)
		page = VSDK_WS_PAGE_DEFAULT;
	snprintf(num, sizeof(num), "%u", page);
	reset_ctx(ws);
	b = soap_elt_new(ws->soap, VSDK_WS_NS_ENUM, "n:Enumerate");
	if (!b)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if (!(flags & VSDK_WS_ENUM_NO_OPTIMIZE)) {
		soap_elt(b, VSDK_WS_NS_WSMAN, "w:OptimizeEnumeration");
		soap_elt_text(soap_elt(b, VSDK_WS_NS_WSMAN, "w:MaxElements"), num);
	}
	if (flags & VSDK_WS_ENUM_EPR)
		soap_elt_text(soap_elt(b, VSDK_WS_NS_WSMAN, "w:EnumerationMode"), "EnumerateEPR");
	if (wql) {
		struct soap_dom_element *f = soap_elt(b, VSDK_WS_NS_WSMAN, "w:Filter");

		soap_att_text(soap_att(f, NULL, "Dialect"), VSDK_WS_DIALECT_WQL);
		soap_elt_text(f, wql);
	}
	rc = vsdk__wsman_exchange(ws, "WS-Man Enumerate", VSDK_WS_NS_ENUM "/Enumerate", resource_uri, NULL, 0, NULL, 0,
				  b, NULL, &rb);
	if (rc) {
		if (wql)
			vsdk__error_prefix("query \"%s\"", wql);
		return rc;
	}
	resp = vsdk__ws_child(rb, VSDK_WS_NS_ENUM, "EnumerateResponse");
	if (!resp)
		return vsdk__error_set(VSDK_EPROTO, "WS-Man Enumerate: no EnumerateResponse in the answer");
	ctx_el = vsdk__ws_child(resp, VSDK_WS_NS_ENUM, "EnumerationContext");
	items = vsdk__ws_child(resp, NULL, "Items");
	eos = vsdk__ws_child(resp, NULL, "EndOfSequence") != NULL;
	if (ctx_el && ctx_el->text && ctx_el->text[0] && !eos && !(context = vsdk__strdup(ctx_el->text)))
		return VSDK_ENOMEM;
	rc = deliver(items, cb, payload, &count);
	while (!rc && !eos && context) {
		reset_ctx(ws);
		b = soap_elt_new(ws->soap, VSDK_WS_NS_ENUM, "n:Pull");
		if (!b) {
			rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
			break;
		}
		soap_elt_text(soap_elt(b, VSDK_WS_NS_ENUM, "n:EnumerationContext"), context);
		soap_elt_text(soap_elt(b, VSDK_WS_NS_ENUM, "n:MaxElements"), num);
		rc = vsdk__wsman_exchange(ws, "WS-Man Pull", VSDK_WS_NS_ENUM "/Pull", resource_uri, NULL, 0, NULL, 0, b,
					  NULL, &rb);
		if (rc) {
			free(context); /* a failed Pull invalidates the context on the server */
			context = NULL;
			break;
		}
		resp = vsdk__ws_child(rb, VSDK_WS_NS_ENUM, "PullResponse");
		if (!resp) {
			rc = vsdk__error_set(VSDK_EPROTO, "WS-Man Pull: no PullResponse in the answer");
			break;
		}
		ctx_el = vsdk__ws_child(resp, VSDK_WS_NS_ENUM, "EnumerationContext");
		items = vsdk__ws_child(resp, NULL, "Items");
		eos = vsdk__ws_child(resp, NULL, "EndOfSequence") != NULL;
		if (ctx_el && ctx_el->text && ctx_el->text[0] && strcmp(ctx_el->text, context) != 0) {
			char *n = vsdk__strdup(ctx_el->text);

			if (!n) {
				rc = VSDK_ENOMEM;
				break;
			}
			free(context);
			context = n;
		} else if (!eos && (!ctx_el || !ctx_el->text || !ctx_el->text[0])) {
			rc = vsdk__error_set(VSDK_EPROTO, "WS-Man Pull: neither EndOfSequence nor an EnumerationContext");
			break;
		}
		if (!items && !eos) {
			rc = vsdk__error_set(VSDK_EPROTO, "WS-Man Pull: a response without Items before EndOfSequence");
			break;
		}
		rc = deliver(items, cb, payload, &count);
	}
	if (context && !eos) {
		vsdk_error saved = *vsdk_error_last();

		release(ws, resource_uri, context); /* best effort */
		*vsdk__error_mut() = saved;
	}
	free(context);
	if (rc == VSDK_ECANCELED)
		rc = VSDK_OK;
	return rc;
}

/* ---- WQL ------------------------------------------------------------------ */

int vsdk__wql_quote(vsdk_buf *b, const char *value, const char *what)
{
	if (!value)
		return vsdk__error_set(VSDK_EINVALID, "%s is NULL", what);
	if (!vsdk__utf8_valid(value, strlen(value)))
		return vsdk__error_set(VSDK_EINVALID, "%s is not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return vsdk__error_set(VSDK_EINVALID,
					       "%s contains a control character (0x%02X at offset %zu); WQL cannot carry it",
					       what, *p, (size_t)(p - (const unsigned char *)value));
	vsdk__buf_putc(b, '\'');
	for (const char *p = value; *p; p++) {
		if (*p == '\'' || *p == '"' || *p == '\\')
			vsdk__buf_putc(b, '\\');
		vsdk__buf_putc(b, *p);
	}
	vsdk__buf_putc(b, '\'');
	return vsdk__buf_ok(b) ? VSDK_OK : vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

/* ---- the CIM runtime's transport hook -------------------------------------- */

static char *dom_to_string(struct soap *soap, struct soap_dom_element *el, size_t *len)
{
	char *out = NULL, *copy;

	soap->os = (const char **)&out;
	if (soap_begin_send(soap) || soap_out_xsd__anyType(soap, NULL, 0, el, NULL) || soap_end_send(soap)) {
		soap->os = NULL;
		return NULL;
	}
	soap->os = NULL;
	if (!out)
		return NULL;
	*len = strlen(out);
	copy = malloc(*len + 1);
	if (copy)
		memcpy(copy, out, *len + 1);
	return copy;
}

int vsdk__wsman_cim_invoke(void *ctx, const char *resource_uri, const char *method,
			   const vsdk_cim_selector *selectors, size_t n_selectors, const char *body,
			   size_t body_len, char **response, size_t *response_len)
{
	vsdk_wsman *ws = ctx;
	vsdk_ws_kv *kv = NULL;
	struct soap_dom_element *rb = NULL;
	int rc;

	(void)body_len;
	*response = NULL;
	*response_len = 0;
	if (n_selectors && !(kv = calloc(n_selectors, sizeof(*kv))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_selectors; i++) {
		kv[i].name = selectors[i].name;
		kv[i].value = selectors[i].value;
	}
	rc = vsdk__wsman_invoke(ws, resource_uri, method, kv, n_selectors, body, &rb);
	free(kv);
	if (rc)
		return rc;
	if (!rb->elts)
		return vsdk__error_set(VSDK_EPROTO, "%s: empty response body", method);
	*response = dom_to_string(ws->soap, rb->elts, response_len);
	if (!*response)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory copying the %s response", method);
	return VSDK_OK;
}
