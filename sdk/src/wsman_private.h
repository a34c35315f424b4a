/*
 * vsdk - WS-Management client (MS-WSMV / DSP0226 subset) on gSOAP's HTTP engine and DOM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_WSMAN_PRIVATE_H
#define VSDK_WSMAN_PRIVATE_H

#include "common_private.h"
#include "vsdk/cim.h"
#include "stdsoap2.h"

/* gSOAP's DOM (de)serializers (dom.c in libgsoap); soapcpp2 declares them in
 * each generated soapH.h, which the WS-Man client does not otherwise need. */
SOAP_FMAC1 struct soap_dom_element *SOAP_FMAC2 soap_in_xsd__anyType(struct soap *, const char *,
								    struct soap_dom_element *, const char *);
SOAP_FMAC1 int SOAP_FMAC2 soap_out_xsd__anyType(struct soap *, const char *, int,
						const struct soap_dom_element *, const char *);

#include <stdbool.h>
#include <stddef.h>

#define VSDK_WS_NS_SOAP "http://www.w3.org/2003/05/soap-envelope"
#define VSDK_WS_NS_ADDR "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define VSDK_WS_NS_WSMAN "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define VSDK_WS_NS_ENUM "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define VSDK_WS_NS_TRANSFER "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define VSDK_WS_NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"
#define VSDK_WS_NS_FAULT "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
#define VSDK_WS_NS_MSWSMAN "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
#define VSDK_WS_NS_IDENTITY "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
#define VSDK_WS_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define VSDK_WS_ANONYMOUS "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
#define VSDK_WS_DIALECT_WQL "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define VSDK_WS_HV_WILDCARD "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/*"

/* Default MaxElements per Pull, and the envelope size we accept. */
#define VSDK_WS_PAGE_DEFAULT 100
#define VSDK_WS_MAX_ENVELOPE 512000

/*
 * A WS-Man client bound to one gSOAP context (the session's).  One thread
 * at a time.  The context keeps the DOM of the last response until the next
 * exchange (soap_end).
 */
typedef struct vsdk_wsman {
	struct soap *soap;
	char *endpoint;          /* http(s)://host:port/wsman */
	const char *user;        /* borrowed from the session */
	const char *password;    /* borrowed; sent only through auth_apply() */
	int operation_timeout_ms;/* w:OperationTimeout; 0: 60000 */
	unsigned long requests;  /* exchanges so far (stats) */
	size_t bytes_received;   /* response bytes so far, as received (stats) */
	size_t (*orig_frecv)(struct soap *, char *, size_t);
} vsdk_wsman;

/* Set up ws on a transport context: namespaces, UTF-8 mode. */
int vsdk__wsman_init(vsdk_wsman *ws, struct soap *soap, const char *endpoint, const char *user,
		     const char *password);
void vsdk__wsman_fini(vsdk_wsman *ws);

/* One selector / option. */
typedef struct vsdk_ws_kv {
	const char *name;
	const char *value;
} vsdk_ws_kv;

/*
 * The generic exchange.  Builds the envelope (To, ResourceURI, ReplyTo,
 * Action, MessageID, MaxEnvelopeSize, OperationTimeout, Locale, SelectorSet,
 * OptionSet), with @p body (a DOM element, may be NULL) or @p body_xml (a
 * literal XML fragment, e.g. a method's <p:M_INPUT>) as the Body's child,
 * POSTs it and parses the answer.  On success *resp_body is the Body
 * element of the response (owned by the soap context until the next call).
 * Faults become errors (see vsdk__wsman_fault); `what` names the operation.
 */
int vsdk__wsman_exchange(vsdk_wsman *ws, const char *what, const char *action, const char *resource_uri,
			 const vsdk_ws_kv *selectors, size_t n_selectors, const vsdk_ws_kv *options,
			 size_t n_options, struct soap_dom_element *body, const char *body_xml,
			 struct soap_dom_element **resp_body);

/* Identify (unauthenticated header not used: the credentials are checked too). */
int vsdk__wsman_identify(vsdk_wsman *ws, char **protocol, char **vendor, char **version);

/*
 * Get one instance by selectors.  On success *inst is the instance element
 * (owned by the soap context until the next exchange).
 */
int vsdk__wsman_get(vsdk_wsman *ws, const char *resource_uri, const vsdk_ws_kv *selectors, size_t n,
		    struct soap_dom_element **inst);

/* Put: replace the instance with @p instance_xml (a WS-Man instance element). */
int vsdk__wsman_put(vsdk_wsman *ws, const char *resource_uri, const vsdk_ws_kv *selectors, size_t n,
		    const char *instance_xml, struct soap_dom_element **inst);

/* Invoke @p method with the literal <p:M_INPUT> body; *resp_body as exchange. */
int vsdk__wsman_invoke(vsdk_wsman *ws, const char *resource_uri, const char *method,
		       const vsdk_ws_kv *selectors, size_t n, const char *input_xml,
		       struct soap_dom_element **resp_body);

/* Enumeration flags. */
#define VSDK_WS_ENUM_EPR 0x01u       /* EnumerationMode EnumerateEPR: items are EPRs */
#define VSDK_WS_ENUM_NO_OPTIMIZE 0x02u /* plain Enumerate, then Pull */

/*
 * Called once per item (the instance element, or for EPR mode the
 * element holding a:Address/a:ReferenceParameters).  Return VSDK_OK to go
 * on, VSDK_ECANCELED to stop early (the context is released), anything
 * else to fail with it.
 */
typedef int (*vsdk_ws_item_cb)(void *payload, struct soap_dom_element *item);

/*
 * Enumerate (optimized) + Pull until EndOfSequence, with a WQL @p wql
 * filter (NULL: every instance of resource_uri).  @p page is MaxElements
 * (0: default).  Releases the context when stopping early or on error.
 */
int vsdk__wsman_enumerate(vsdk_wsman *ws, const char *resource_uri, const char *wql, unsigned flags,
			  unsigned page, vsdk_ws_item_cb cb, void *payload);

/*
 * Append @p value to @p b as a WQL string literal: '...' with ', " and \
 * backslash-escaped.  Control characters (incl. NUL) and invalid UTF-8 are
 * refused (VSDK_EINVALID naming @p what); nothing is appended then.
 */
int vsdk__wql_quote(vsdk_buf *b, const char *value, const char *what);

/*
 * Decode a parsed SOAP fault (the s:Fault element) into the error detail:
 * vsdk_error.fault = subcode (e.g. "w:InvalidSelectors"), wsman_code =
 * WSManFault Code, message = Reason + provider message.  Returns the code.
 */
int vsdk__wsman_fault(struct soap_dom_element *fault, const char *what, int http_status);

/* DOM helpers (namespace URI + local name; ns NULL matches any). */
struct soap_dom_element *vsdk__ws_child(struct soap_dom_element *el, const char *ns, const char *local);
struct soap_dom_element *vsdk__ws_find(struct soap_dom_element *root, const char *ns, const char *local);
const char *vsdk__ws_text(const struct soap_dom_element *el);
bool vsdk__ws_is(const struct soap_dom_element *el, const char *ns, const char *local);
const char *vsdk__ws_att(const struct soap_dom_element *el, const char *local);

/* Parse a whole document (tests, fixtures) into a DOM on @p soap; *root set. */
int vsdk__ws_parse(struct soap *soap, const char *xml, size_t len, struct soap_dom_element **root);

/* The vsdk_cim_transport hook over a wsman client (ctx = vsdk_wsman *). */
int vsdk__wsman_cim_invoke(void *ctx, const char *resource_uri, const char *method,
			   const vsdk_cim_selector *selectors, size_t n_selectors, const char *body,
			   size_t body_len, char **response, size_t *response_len);

#endif
