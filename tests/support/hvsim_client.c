/*
 * vsdk test support: hvsim launcher and a small WS-Man test client on
 * gSOAP's HTTP(S) client and DOM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim_client.h"
#include "vsim.h"

#include "stdsoap2.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct soap_dom_element *soap_in_xsd__anyType(struct soap *, const char *, struct soap_dom_element *, const char *);
struct soap_dom_element *soap_new_xsd__anyType(struct soap *, int);

/* gSOAP's runtime needs the global "namespaces" table; libvsdk.a has it
 * (vi_nsmap.o).  Referencing it here pulls that member into every test. */
extern struct Namespace namespaces[];
struct Namespace *hvc__default_namespaces(void);
struct Namespace *hvc__default_namespaces(void)
{
	return namespaces;
}

static struct Namespace hvc_namespaces[] = {
	{ "SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/", NULL },
	{ NULL, NULL, NULL, NULL }
};

static bool read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;

		if (poll(&p, 1, timeout_ms) <= 0 || read(fd, &c, 1) != 1)
			return false;
		if (c == '\n') {
			buf[n] = '\0';
			return true;
		}
		if (n + 1 < cap)
			buf[n++] = c;
	}
}

bool hvc_start(hvc_sim *sim, const char *arg, ...)
{
	char *argv[64];
	int n = 0;
	va_list ap;

	memset(sim, 0, sizeof(*sim));
	argv[n++] = "generated/build/bin/hvsim";
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--control-listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--user";
	argv[n++] = "admin";
	argv[n++] = "--password";
	argv[n++] = "secret";
	va_start(ap, arg);
	for (const char *a = arg; a && n < 62; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	if (!vtest_server_start(&sim->srv, argv, 30000))
		return false;
	if (!read_line(sim->srv.out_fd, sim->control, sizeof(sim->control), 10000)) {
		vtest_server_stop(&sim->srv);
		return false;
	}
	return true;
}

void hvc_stop(hvc_sim *sim)
{
	vtest_server_stop(&sim->srv);
}

int hvc_control(const hvc_sim *sim, const char *verb)
{
	char url[512];

	snprintf(url, sizeof(url), "%s%s", sim->control, verb);
	return vsim_http(url, "POST", NULL, NULL);
}

bool hvc_open(hvc *c, const char *url, const char *user, const char *password)
{
	memset(c, 0, sizeof(*c));
	c->soap = soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);
	if (!c->soap)
		return false;
	soap_set_namespaces(c->soap, hvc_namespaces);
	c->soap->connect_timeout = 10;
	c->soap->recv_timeout = 30;
	c->soap->send_timeout = 30;
	c->user = user;
	c->password = password;
	c->url = url;
	if (strncmp(url, "https:", 6) == 0 &&
	    soap_ssl_client_context(c->soap, SOAP_SSL_NO_AUTHENTICATION, NULL, NULL, NULL, NULL, NULL) != SOAP_OK)
		return false;
	return true;
}

void hvc_close(hvc *c)
{
	if (!c->soap)
		return;
	soap_closesock(c->soap);
	soap_destroy(c->soap);
	soap_end(c->soap);
	soap_free(c->soap);
	c->soap = NULL;
}

struct soap_dom_element *hvc_parse(struct soap *soap, const char *xml)
{
	struct soap_dom_element *dom = soap_new_xsd__anyType(soap, -1);
	const char *save = soap->is;

	soap->is = xml;
	if (!dom || soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, dom, NULL) || soap_end_recv(soap))
		dom = NULL;
	soap->is = save;
	return dom;
}

int hvc_post(hvc *c, const char *body, const char *extra_header)
{
	struct soap *s = c->soap;
	size_t len = 0;
	char *resp = NULL;

	c->status = -1;
	c->body = NULL;
	c->len = 0;
	c->dom = NULL;
	soap_destroy(s);
	soap_end(s);
	s->http_extra_header = extra_header;
	s->userid = c->user; /* gSOAP clears these per call */
	s->passwd = c->password;
	if (soap_POST(s, c->url, NULL, "application/soap+xml;charset=UTF-8") != SOAP_OK ||
	    soap_send_raw(s, body, strlen(body)) != SOAP_OK || soap_end_send(s) != SOAP_OK) {
		soap_closesock(s);
		return c->status;
	}
	if (soap_begin_recv(s) != SOAP_OK) {
		/* HTTP errors without a SOAP body: s->error is the status */
		c->status = s->error >= 100 && s->error < 600 ? s->error : -1;
		if (s->error == 500 || s->error == 503) {
			/* the body (HTML) is not read by gSOAP in this case */
		}
		soap_closesock(s);
		return c->status;
	}
	resp = soap_http_get_body(s, &len);
	soap_end_recv(s);
	c->status = s->status >= 100 && s->status < 600 ? s->status : 200;
	c->body = resp;
	c->len = len;
	if (resp && len)
		c->dom = hvc_parse(s, resp);
	if (!s->keep_alive)
		soap_closesock(s);
	return c->status;
}

char *hvc_envelope(const char *action, const char *resource_uri, const char *selectors, const char *body)
{
	char *out = NULL, sel[4096] = "";
	size_t k = 0;

	if (selectors) {
		char *copy = strdup(selectors), *save = NULL;

		k += (size_t)snprintf(sel + k, sizeof(sel) - k, "<w:SelectorSet>");
		for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(t, '=');

			if (!eq)
				continue;
			*eq = '\0';
			k += (size_t)snprintf(sel + k, sizeof(sel) - k, "<w:Selector Name=\"%s\">%s</w:Selector>", t, eq + 1);
		}
		snprintf(sel + k, sizeof(sel) - k, "</w:SelectorSet>");
		free(copy);
	}
	if (asprintf(&out,
		     "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
		     "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
		     "xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\" "
		     "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
		     "xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\"><s:Header>"
		     "<a:To>http://127.0.0.1:5985/wsman</a:To>"
		     "<w:ResourceURI s:mustUnderstand=\"true\">%s</w:ResourceURI>"
		     "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">"
		     "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
		     "<a:Action s:mustUnderstand=\"true\">%s</a:Action>"
		     "<w:MaxEnvelopeSize s:mustUnderstand=\"true\">153600</w:MaxEnvelopeSize>"
		     "<a:MessageID>uuid:0A1B2C3D-4E5F-4071-8293-A4B5C6D7E8F9</a:MessageID>"
		     "<w:OperationTimeout>PT60.000S</w:OperationTimeout>%s</s:Header><s:Body>%s</s:Body></s:Envelope>",
		     resource_uri, action, sel, body ? body : "") < 0)
		return NULL;
	return out;
}

static const char *local(const char *name)
{
	const char *c = name ? strrchr(name, ':') : NULL;

	return c ? c + 1 : (name ? name : "");
}

struct soap_dom_element *hvc_find(struct soap_dom_element *root, const char *name)
{
	if (!root)
		return NULL;
	if (root->name && strcmp(local(root->name), name) == 0)
		return root;
	for (struct soap_dom_element *c = root->elts; c; c = c->next) {
		struct soap_dom_element *f = hvc_find(c, name);

		if (f)
			return f;
	}
	return NULL;
}

size_t hvc_count(struct soap_dom_element *e, const char *name)
{
	size_t n = 0;

	for (struct soap_dom_element *c = e ? e->elts : NULL; c; c = c->next)
		if (c->name && strcmp(local(c->name), name) == 0)
			n++;
	return n;
}

const char *hvc_text(struct soap_dom_element *root, const char *name)
{
	struct soap_dom_element *e = hvc_find(root, name);

	return e ? (e->text ? e->text : "") : NULL;
}

const char *hvc_ns(const struct soap_dom_element *e)
{
	return e && e->nstr ? e->nstr : "";
}

const char *hvc_attr(const struct soap_dom_element *e, const char *name)
{
	for (struct soap_dom_attribute *a = e ? e->atts : NULL; a; a = a->next)
		if (a->name && strcmp(local(a->name), name) == 0)
			return a->text ? a->text : "";
	return NULL;
}
