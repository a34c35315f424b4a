/*
 * vsdk - NTLM over HTTP on gSOAP's engine: header capture, the client's
 * handshake (MS-NTHT with the Negotiate or NTLM scheme, empty POSTs as
 * WinRM clients do), sealed requests, and transparent unsealing of
 * multipart/encrypted bodies (MS-WSMV 2.2.9.1) for client and server.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "ntlm_http_private.h"
#include "transport_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

vsdk_ntlm_http *vsdk__ntlm_http_of(struct soap *soap)
{
	return soap ? soap->data[VSDK_NTLM_HTTP_SLOT] : NULL;
}

static void reset_headers(vsdk_ntlm_http *h)
{
	h->hdr_auth = false;
	h->hdr_scheme[0] = '\0';
	free(h->hdr_token);
	free(h->hdr_offers);
	free(h->hdr_ctype);
	h->hdr_token = h->hdr_offers = h->hdr_ctype = NULL;
	h->hdr_length = -1;
	h->hdr_chunked = false;
	h->hdr_close = false;
	h->hdr_identify_unauth = false;
	h->msg_encrypted = false;
}

static void drop_plain(vsdk_ntlm_http *h)
{
	if (h->plain)
		vsdk__wipe(h->plain, h->plain_len);
	free(h->plain);
	h->plain = NULL;
	h->plain_len = h->plain_pos = 0;
	h->plain_active = false;
}

/* "Negotiate <token>" / "NTLM <token>" / "Basic realm=..." */
static void take_auth(vsdk_ntlm_http *h, const char *val)
{
	const char *sp = val + strcspn(val, " \t");
	size_t sl = (size_t)(sp - val);

	if (!((sl == 9 && strncasecmp(val, "Negotiate", 9) == 0) || (sl == 4 && strncasecmp(val, "NTLM", 4) == 0)))
		return;
	if (h->hdr_auth && h->hdr_token)
		return; /* keep the first one that carries a token */
	h->hdr_auth = true;
	snprintf(h->hdr_scheme, sizeof(h->hdr_scheme), "%.*s", (int)sl, val);
	while (*sp == ' ' || *sp == '\t')
		sp++;
	free(h->hdr_token);
	h->hdr_token = *sp ? strdup(sp) : NULL;
}

static int hook_parsehdr(struct soap *soap, const char *key, const char *val)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(soap);

	if (!h)
		return SOAP_OK;
	if (h->server && strcasecmp(key, "Authorization") == 0) {
		take_auth(h, val);
		if (h->hdr_auth)
			return SOAP_OK; /* ours; gSOAP only knows Basic and Bearer */
	} else if (!h->server && strcasecmp(key, "WWW-Authenticate") == 0) {
		size_t ol = h->hdr_offers ? strlen(h->hdr_offers) : 0;
		char *n = realloc(h->hdr_offers, ol + strlen(val) + 3);

		if (n) {
			sprintf(n + ol, "%s%s", ol ? "; " : "", val);
			h->hdr_offers = n;
		}
		take_auth(h, val);
	} else if (strcasecmp(key, "Content-Type") == 0) {
		free(h->hdr_ctype);
		h->hdr_ctype = strdup(val);
	} else if (strcasecmp(key, "Content-Length") == 0) {
		h->hdr_length = strtoll(val, NULL, 10);
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		h->hdr_chunked = strcasestr(val, "chunked") != NULL;
	} else if (strcasecmp(key, "Connection") == 0) {
		h->hdr_close = strcasestr(val, "close") != NULL;
	} else if (strcasecmp(key, "WSMANIDENTIFY") == 0) {
		h->hdr_identify_unauth = strcasecmp(val, "unauthenticated") == 0;
	}
	return h->orig_fparsehdr(soap, key, val);
}

int vsdk__ntlm_http_read_body(vsdk_ntlm_http *h, char **body, size_t *len)
{
	struct soap *soap = h->soap;
	size_t want, got = 0, have;
	size_t limit = soap->recv_maxlength ? soap->recv_maxlength : (size_t)512 << 20;
	char *b;

	*body = NULL;
	*len = 0;
	if (h->hdr_chunked)
		return vsdk__error_set(VSDK_EPROTO, "NTLM/HTTP: a chunked %s is not supported with message encryption "
						    "(Content-Length is required)", h->server ? "request" : "response");
	want = h->hdr_length > 0 ? (size_t)h->hdr_length : 0;
	if (want > limit)
		return vsdk__error_set(VSDK_ELIMIT, "NTLM/HTTP: a %zu-byte body exceeds the %zu-byte limit", want, limit);
	b = malloc(want + 1);
	if (!b)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory reading a %zu-byte body", want);
	have = soap->buflen > soap->bufidx ? soap->buflen - soap->bufidx : 0;
	if (have > want)
		have = want;
	memcpy(b, soap->buf + soap->bufidx, have);
	soap->bufidx += have;
	got = have;
	while (got < want) {
		size_t r = h->orig_frecv(soap, b + got, want - got);

		if (r == 0) {
			free(b);
			return vsdk__error_set(VSDK_EIO, "NTLM/HTTP: the connection closed after %zu of %zu body bytes", got,
					       want);
		}
		got += r;
	}
	b[got] = '\0';
	*body = b;
	*len = got;
	return VSDK_OK;
}

static int hook_fparse(struct soap *soap)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(soap);
	char *body = NULL;
	size_t blen = 0;
	int rc;

	reset_headers(h);
	drop_plain(h);
	h->failed = VSDK_OK;
	h->answered = false;
	rc = h->orig_fparse(soap);
	if (rc != SOAP_OK)
		return rc;
	if (h->after_headers && (rc = h->after_headers(h, h->arg)) != SOAP_OK)
		return soap->error = rc;
	if (!vsdk__wsmv_is_encrypted(h->hdr_ctype))
		return SOAP_OK;
	if (!vsdk__ntlm_established(h->ctx)) {
		h->failed = vsdk__error_set(VSDK_EPROTO, "NTLM/HTTP: an encrypted message arrived without an established "
							 "NTLM context");
		return soap->error = SOAP_HTTP_ERROR;
	}
	if ((rc = vsdk__ntlm_http_read_body(h, &body, &blen)) ||
	    (rc = vsdk__wsmv_unwrap(h->ctx, body, blen, &h->plain, &h->plain_len))) {
		free(body);
		h->failed = rc;
		return soap->error = SOAP_HTTP_ERROR;
	}
	free(body);
	h->plain_pos = 0;
	h->plain_active = true;
	h->msg_encrypted = true;
	soap->length = h->plain_len;
	return SOAP_OK;
}

static size_t hook_frecv(struct soap *soap, char *buf, size_t n)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(soap);

	if (h && h->plain_active) {
		size_t left = h->plain_len - h->plain_pos;

		if (n > left)
			n = left;
		memcpy(buf, h->plain + h->plain_pos, n);
		h->plain_pos += n;
		return n;
	}
	return h->orig_frecv(soap, buf, n);
}

vsdk_ntlm_http *vsdk__ntlm_http_attach(struct soap *soap, vsdk_ntlm *ctx, bool server)
{
	vsdk_ntlm_http *h;

	if (soap->data[VSDK_NTLM_HTTP_SLOT]) {
		vsdk__error_set(VSDK_EINTERNAL, "NTLM/HTTP: the gSOAP context's data slot %d is taken", VSDK_NTLM_HTTP_SLOT);
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return NULL;
	}
	h->soap = soap;
	h->ctx = ctx;
	h->server = server;
	h->hdr_length = -1;
	snprintf(h->scheme, sizeof(h->scheme), "Negotiate");
	h->orig_fparse = soap->fparse;
	h->orig_fparsehdr = soap->fparsehdr;
	h->orig_frecv = soap->frecv;
	soap->fparse = hook_fparse;
	soap->fparsehdr = hook_parsehdr;
	soap->frecv = hook_frecv;
	soap->data[VSDK_NTLM_HTTP_SLOT] = h;
	return h;
}

void vsdk__ntlm_http_detach(vsdk_ntlm_http *h)
{
	if (!h)
		return;
	if (h->soap && h->soap->data[VSDK_NTLM_HTTP_SLOT] == h) {
		h->soap->fparse = h->orig_fparse;
		h->soap->fparsehdr = h->orig_fparsehdr;
		h->soap->frecv = h->orig_frecv;
		h->soap->data[VSDK_NTLM_HTTP_SLOT] = NULL;
	}
	reset_headers(h);
	drop_plain(h);
	vsdk__ntlm_free(h->ctx);
	free(h);
}

/* ---- client ---------------------------------------------------------------------- */

static unsigned long conn_count(struct soap *soap)
{
	vsdk_transport *t = soap->user ? vsdk__transport_of(soap) : NULL;

	return t ? t->connections : 0;
}

/* POST an empty body carrying one Authorization header; then receive the answer's
 * headers (and drain its body).  *status is the HTTP status. */
static int auth_round(vsdk_ntlm_http *h, const char *endpoint, const char *token_b64, const char *what, int *status)
{
	struct soap *soap = h->soap;
	char *hdr = NULL, *body = NULL;
	size_t blen = 0;
	int rc = VSDK_OK, err, keep;

	if (asprintf(&hdr, "Authorization: %s %s", h->scheme, token_b64) < 0)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	soap->userid = soap->passwd = NULL;
	soap->http_content = "application/soap+xml;charset=UTF-8";
	soap->http_extra_header = hdr;
	soap->count = 0;
	h->plain_active = false;
	if (soap_connect_command(soap, SOAP_POST_FILE, endpoint, NULL) || soap_end_send(soap)) {
		soap->http_extra_header = NULL;
		free(hdr);
		rc = vsdk__transport_error(soap, what);
		soap_closesock(soap);
		return rc;
	}
	soap->http_extra_header = NULL;
	free(hdr);
	keep = soap->keep_alive;
	err = soap_begin_recv(soap);
	*status = soap->status;
	if (err && err != 401 && err != SOAP_NO_DATA && err != SOAP_EOF && !(err >= 200 && err < 600)) {
		rc = h->failed ? h->failed : vsdk__transport_error(soap, what);
		soap_closesock(soap);
		return rc;
	}
	if (err >= 200 && err < 600)
		*status = err;
	/* gSOAP read the body of an error status itself; a 2xx with a body is drained here */
	if (err == SOAP_OK) {
		(void)soap_http_get_body(soap, &blen);
		(void)soap_end_recv(soap);
	}
	(void)body;
	drop_plain(h);
	soap->error = SOAP_OK;
	vsdk__ntlm_http_keep(h, keep);
	soap_closesock(soap);
	return VSDK_OK;
}

void vsdk__ntlm_http_keep(vsdk_ntlm_http *h, int keep_alive)
{
	if (!h->hdr_close && keep_alive && soap_valid_socket(h->soap->socket) && !h->soap->keep_alive)
		h->soap->keep_alive = keep_alive;
}

static int handshake(vsdk_ntlm_http *h, const char *endpoint, const char *what)
{
	struct soap *soap = h->soap;
	uint8_t *msg = NULL, *chal = NULL;
	size_t mlen = 0, clen = 0;
	char *b64 = NULL;
	unsigned long conn;
	int rc, status = 0;

	if ((rc = vsdk__ntlm_client_negotiate(h->ctx, &msg, &mlen)))
		return rc;
	b64 = vsdk__b64_encode(msg, mlen);
	free(msg);
	if (!b64)
		return vsdk_error_last()->code;
	rc = auth_round(h, endpoint, b64, what, &status);
	free(b64);
	if (rc)
		return rc;
	conn = conn_count(soap);
	if (status != 401 || !h->hdr_auth || !h->hdr_token) {
		if (status == 401)
			rc = vsdk__error_set(VSDK_EAUTH,
					     "%s: %s does not offer NTLM (WWW-Authenticate: %s); enable Negotiate on the "
					     "host or use auth=basic (over https)",
					     what, endpoint, h->hdr_offers ? h->hdr_offers : "none");
		else
			rc = vsdk__error_set(VSDK_EPROTO, "%s: %s answered the NTLM NEGOTIATE_MESSAGE with HTTP %d, not "
							  "401 with a challenge",
					     what, endpoint, status);
		vsdk__error_mut()->http_status = status;
		return rc;
	}
	if ((rc = vsdk__b64_decode(h->hdr_token, &chal, &clen))) {
		vsdk__error_prefix("%s: the server's NTLM challenge", what);
		return rc;
	}
	rc = vsdk__ntlm_client_authenticate(h->ctx, chal, clen, &msg, &mlen);
	free(chal);
	if (rc) {
		vsdk__error_prefix("%s", what);
		return rc;
	}
	b64 = vsdk__b64_encode(msg, mlen);
	free(msg);
	if (!b64)
		return vsdk_error_last()->code;
	rc = auth_round(h, endpoint, b64, what, &status);
	free(b64);
	if (rc)
		return rc;
	if (conn_count(soap) != conn)
		return vsdk__error_set(VSDK_EPROTO, "%s: %s closed the connection in the middle of the NTLM handshake "
						    "(NTLM authenticates a kept-alive connection)",
				       what, endpoint);
	if (status == 401) {
		/* the context is not usable: force a fresh handshake next time */
		vsdk__ntlm_client_negotiate(h->ctx, &msg, &mlen);
		free(msg);
		rc = vsdk__error_set(VSDK_EAUTH, "%s: %s refused the NTLM credentials (HTTP 401)", what, endpoint);
		vsdk__error_mut()->http_status = 401;
		return rc;
	}
	if (status < 200 || status > 299) {
		rc = vsdk__error_set(VSDK_EPROTO, "%s: %s answered the NTLM AUTHENTICATE_MESSAGE with HTTP %d", what,
				     endpoint, status);
		vsdk__error_mut()->http_status = status;
		return rc;
	}
	h->auth_conn = conn;
	h->handshakes++;
	vsdk__log(VSDK_LOG_DEBUG, "NTLM: authenticated to %s (connection %lu, %s scheme)", endpoint, conn, h->scheme);
	return VSDK_OK;
}

int vsdk__ntlm_http_send(vsdk_ntlm_http *h, const char *endpoint, const char *xml, size_t len, const char *what)
{
	struct soap *soap = h->soap;
	int rc;

	drop_plain(h);
	for (int attempt = 0; attempt < 2; attempt++) {
		char *body = NULL;
		size_t blen = 0;
		unsigned long before;

		if (!vsdk__ntlm_established(h->ctx) || conn_count(soap) != h->auth_conn ||
		    !soap_valid_socket(soap->socket)) {
			if ((rc = handshake(h, endpoint, what)))
				return rc;
		}
		if ((rc = vsdk__wsmv_wrap(h->ctx, xml, len, &body, &blen)))
			return rc;
		before = conn_count(soap);
		soap->userid = soap->passwd = NULL;
		soap->http_content = VSDK_WSMV_ENC_CONTENT_TYPE;
		soap->http_extra_header = NULL;
		soap->count = blen;
		if (soap_connect_command(soap, SOAP_POST_FILE, endpoint, NULL)) {
			free(body);
			rc = vsdk__transport_error(soap, what);
			soap_closesock(soap);
			return rc;
		}
		if (conn_count(soap) != before && attempt == 0) {
			/* gSOAP found the kept-alive socket dead and reconnected: this new
			 * connection is not authenticated.  Drop it and start over. */
			free(body);
			soap->keep_alive = 0;
			soap_force_closesock(soap);
			h->auth_conn = 0;
			vsdk__log(VSDK_LOG_DEBUG, "NTLM: the connection to %s was re-opened; authenticating again", endpoint);
			continue;
		}
		rc = soap_send_raw(soap, body, blen) || soap_end_send(soap);
		free(body);
		if (rc) {
			rc = vsdk__transport_error(soap, what);
			soap_closesock(soap);
			return rc;
		}
		return VSDK_OK;
	}
	return vsdk__error_set(VSDK_EIO, "%s: %s keeps dropping the connection before the request", what, endpoint);
}

/* ---- server ----------------------------------------------------------------------- */

int vsdk__ntlm_http_respond(vsdk_ntlm_http *h, int status, const char *body, size_t len)
{
	struct soap *soap = h->soap;
	char *enc = NULL;
	size_t elen = 0;
	int rc;

	drop_plain(h);
	if (vsdk__wsmv_wrap(h->ctx, body, len, &enc, &elen) != VSDK_OK)
		return soap->error = SOAP_EOM;
	soap->http_content = VSDK_WSMV_ENC_CONTENT_TYPE;
	soap->http_extra_header = NULL;
	rc = soap_response(soap, SOAP_FILE + status) || soap_send_raw(soap, enc, elen) || soap_end_send(soap);
	free(enc);
	return rc ? soap->error : SOAP_OK;
}
