/*
 * vsdk - datastore file transfer over the VI endpoint's HTTP(S) server
 * (GET/PUT/DELETE /folder/<path>?dcPath=&dsName=) through gSOAP's HTTP
 * engine, on the session's connection and with its session cookie.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_http_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-encode s (RFC 3986 unreserved kept; '/' kept when keep_slash). */
static void put_encoded(vsdk_buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p) || (keep_slash && *p == '/')) {
			vsdk__buf_putc(b, (char)*p);
		} else {
			vsdk__buf_putc(b, '%');
			vsdk__buf_putc(b, hex[*p >> 4]);
			vsdk__buf_putc(b, hex[*p & 15]);
		}
	}
}

int vsdk__vi_folder_url(char **url, vsdk_session *s, const char *dc, const char *ds, const char *path)
{
	vsdk_buf b = VSDK_BUF_INIT;
	size_t base = strlen(s->endpoint);

	/* The endpoint is <scheme>://<host>:<port>/sdk. */
	if (base >= 4 && strcmp(s->endpoint + base - 4, "/sdk") == 0)
		base -= 4;
	while (*path == '/')
		path++;
	vsdk__buf_append(&b, s->endpoint, base);
	vsdk__buf_puts(&b, "/folder/");
	put_encoded(&b, path, true);
	vsdk__buf_puts(&b, "?dcPath=");
	put_encoded(&b, dc, false);
	vsdk__buf_puts(&b, "&dsName=");
	put_encoded(&b, ds, false);
	if (!(*url = vsdk__buf_detach(&b)))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return VSDK_OK;
}

/*
 * The session cookie is sent by gSOAP's cookie engine only to paths under
 * the one it was set for (/sdk); the file server lives under /folder, so
 * the cookie goes in an explicit header, as VMware's own clients send it.
 */
static char *cookie_header(vsdk_session *s)
{
	char *h = NULL;

	for (struct soap_cookie *c = s->soap->cookies; c; c = c->next)
		if (c->name && c->value && strcmp(c->name, "vmware_soap_session") == 0) {
			if (asprintf(&h, "Cookie: %s=%s", c->name, c->value) < 0)
				h = NULL;
			return h;
		}
	return NULL;
}

static int http_status_error(vsdk_session *s, const char *what, int status)
{
	int rc;

	switch (status) {
	case 404:
		rc = vsdk__error_set(VSDK_ENOTFOUND, "%s: no such file (HTTP 404)", what);
		snprintf(vsdk__error_mut()->fault, sizeof(vsdk__error_mut()->fault), "FileNotFound");
		break;
	case 401:
	case 403:
		rc = vsdk__error_set(VSDK_EAUTH, "%s: access refused (HTTP %d)", what, status);
		break;
	default:
		rc = vsdk__error_set(VSDK_EIO, "%s: HTTP %d", what, status);
		break;
	}
	vsdk__error_mut()->http_status = status;
	return rc;
}

int vsdk__vi_http(vsdk_session *s, int command, const char *url, const char *body, size_t len, char **out,
		  size_t *outlen, const char *what)
{
	struct soap *soap = s->soap;
	soap_mode omode = soap->omode;
	char *cookie = cookie_header(s);
	const char *data;
	size_t n = 0;
	int rc = VSDK_OK, err;

	if (out)
		*out = NULL;
	if (outlen)
		*outlen = 0;
	vsdk__vi_reset(s);
	soap->http_extra_header = cookie;
	/* Files go as they are, even when SOAP requests are gzipped. */
	soap->omode &= ~SOAP_ENC_ZLIB;
	if (command == SOAP_PUT) {
		/* Buffer the body so that it goes with a Content-Length. */
		soap->omode = (soap->omode & ~SOAP_IO) | SOAP_IO_STORE;
		soap->http_content = "application/octet-stream";
	}
	err = soap_connect_command(soap, command, url, NULL);
	if (!err && body && len)
		err = soap_send_raw(soap, body, len);
	if (!err)
		err = soap_end_send(soap);
	soap->omode = omode;
	soap->http_content = NULL;
	soap->http_extra_header = NULL;
	if (cookie) {
		vsdk__wipe(cookie, strlen(cookie));
		free(cookie);
	}
	if (!err)
		err = soap_begin_recv(soap);
	if (err >= 200 && err < 300) {
		/* gSOAP reports a success without a body (e.g. a PUT's 200/201) as
		 * an "error" carrying the status. */
		soap->error = SOAP_OK;
		soap_closesock(soap);
		vsdk__vi_reset(s);
		if (out && !(*out = strdup("")))
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return VSDK_OK;
	}
	if (err) {
		if (soap->error >= 300 && soap->error < 600)
			rc = http_status_error(s, what, soap->error);
		else
			rc = vsdk__transport_error(soap, what);
		soap_closesock(soap);
		vsdk__vi_reset(s);
		return rc;
	}
	if (soap->status >= 300 && soap->status < 600) {
		rc = http_status_error(s, what, soap->status);
		soap_end_recv(soap);
		soap_closesock(soap);
		vsdk__vi_reset(s);
		return rc;
	}
	data = soap_http_get_body(soap, &n);
	if (!data && soap->error) {
		rc = vsdk__transport_error(soap, what);
		soap_closesock(soap);
		vsdk__vi_reset(s);
		return rc;
	}
	soap_end_recv(soap);
	if (out) {
		*out = malloc(n + 1);
		if (!*out) {
			vsdk__vi_reset(s);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		if (n)
			memcpy(*out, data, n);
		(*out)[n] = '\0';
		if (outlen)
			*outlen = n;
	}
	vsdk__vi_reset(s);
	return VSDK_OK;
}
