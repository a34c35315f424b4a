/*
 * vsdk test support: start hvsim, POST raw WS-Man envelopes with Basic auth
 * over gSOAP's HTTP(S) client, and look into responses with gSOAP's DOM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HVSIM_CLIENT_H
#define HVSIM_CLIENT_H

#include "vtest.h"

#include <stdbool.h>
#include <stddef.h>

struct soap;
struct soap_dom_element;

#define HVC_V2 "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/"
#define HVC_ENUM "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"
#define HVC_GET "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
#define HVC_WQL "http://schemas.microsoft.com/wbem/wsman/1/WQL"

/* A running hvsim: its WS-Man URL (srv.url) and control URL. */
typedef struct hvc_sim {
	vtest_server srv;
	char control[256];
} hvc_sim;

/* Start generated/build/bin/hvsim with --listen 127.0.0.1:0 --control-listen
 * 127.0.0.1:0 --user admin --password secret plus the NULL-terminated extra args. */
bool hvc_start(hvc_sim *sim, const char *arg, ...);
void hvc_stop(hvc_sim *sim);
/* POST a control verb ("/job-delay?ms=300"); returns the HTTP status. */
int hvc_control(const hvc_sim *sim, const char *verb);

/* One client connection (keep-alive): a gSOAP context. */
typedef struct hvc {
	struct soap *soap;
	const char *url;
	const char *user, *password;
	int status;      /* HTTP status of the last exchange (or -1) */
	char *body;      /* last response body (owned by the soap context) */
	size_t len;
	struct soap_dom_element *dom; /* last response parsed (NULL if not XML) */
} hvc;

bool hvc_open(hvc *c, const char *url, const char *user, const char *password);
void hvc_close(hvc *c);
/* POST body (with optional extra header "Name: value"); fills status/body/dom. */
int hvc_post(hvc *c, const char *body, const char *extra_header);

/* Build a request envelope (malloc'd).  selectors: "Name=v;Other=w" or NULL. */
char *hvc_envelope(const char *action, const char *resource_uri, const char *selectors, const char *body);

/* Parse XML text into a DOM owned by soap. */
struct soap_dom_element *hvc_parse(struct soap *soap, const char *xml);
/* The first descendant-or-self element with this local name (depth-first). */
struct soap_dom_element *hvc_find(struct soap_dom_element *root, const char *local);
/* Children of e with this local name. */
size_t hvc_count(struct soap_dom_element *e, const char *local);
/* Text of the first descendant with this local name (or NULL). */
const char *hvc_text(struct soap_dom_element *root, const char *local);
/* Namespace URI of an element. */
const char *hvc_ns(const struct soap_dom_element *e);
/* Attribute value by local name. */
const char *hvc_attr(const struct soap_dom_element *e, const char *local);

#endif
