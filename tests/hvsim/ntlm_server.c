/*
 * hvsim - the server side of NTLM over HTTP (MS-NTHT with the Negotiate or
 * NTLM scheme) with MS-WSMV message encryption: challenge, NTLMv2 check of
 * --user/--password, unsealing requests and sealing responses, per connection.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim.h"
#include "ntlm_http_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
	int mode; /* HV_AUTH_* bits */
	const char *user, *password;
	unsigned long handshakes, refused, sealed;
} n = { HV_AUTH_BOTH, "admin", "secret", 0, 0, 0 };

int hv_ntlm_configure(const char *mode, const char *user, const char *password, bool tls)
{
	/* $HVSIM_AUTH exercises message encryption: it applies to plain-HTTP listeners only */
	const char *m = mode ? mode : tls ? NULL : getenv("HVSIM_AUTH");

	n.user = user;
	n.password = password;
	if (!m || !*m || strcmp(m, "both") == 0)
		n.mode = HV_AUTH_BOTH;
	else if (strcmp(m, "basic") == 0)
		n.mode = HV_AUTH_BASIC;
	else if (strcmp(m, "ntlm") == 0)
		n.mode = HV_AUTH_NTLM;
	else
		return -1;
	return 0;
}

bool hv_ntlm_basic_allowed(void)
{
	return (n.mode & HV_AUTH_BASIC) != 0;
}

void hv_ntlm_stats(unsigned long *handshakes, unsigned long *refused, unsigned long *sealed)
{
	*handshakes = __atomic_load_n(&n.handshakes, __ATOMIC_RELAXED);
	*refused = __atomic_load_n(&n.refused, __ATOMIC_RELAXED);
	*sealed = __atomic_load_n(&n.sealed, __ATOMIC_RELAXED);
}

/* Answer the current request ourselves (after draining its body). */
static int answer(vsdk_ntlm_http *h, int status, const char *extra, const char *ctype, const char *body)
{
	struct soap *s = h->soap;
	char *junk = NULL;
	size_t jl = 0;

	if (vsdk__ntlm_http_read_body(h, &junk, &jl) != VSDK_OK) {
		s->keep_alive = 0;
		return SOAP_EOF;
	}
	free(junk);
	s->http_content = ctype;
	s->http_extra_header = extra;
	if (soap_response(s, SOAP_FILE + status) || soap_send_raw(s, body, strlen(body)) || soap_end_send(s))
		return s->error;
	h->answered = true;
	return SOAP_USER_ERROR;
}

const char *hv_ntlm_offers(void)
{
	return n.mode == HV_AUTH_BOTH ? "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: Basic realm=\"WSMAN\""
	       : n.mode == HV_AUTH_NTLM ? "WWW-Authenticate: Negotiate"
					: "WWW-Authenticate: Basic realm=\"WSMAN\"";
}

static int refuse(vsdk_ntlm_http *h)
{
	return answer(h, 401, hv_ntlm_offers(), "text/html", "");
}

static int after_headers(vsdk_ntlm_http *h, void *arg)
{
	uint8_t *tok = NULL, *out = NULL;
	size_t tl = 0, ol = 0;
	int rc;

	(void)arg;
	if (!(n.mode & HV_AUTH_NTLM))
		return h->hdr_auth ? refuse(h) : SOAP_OK; /* Basic only: main.c checks Basic */
	if (!h->hdr_auth) {
		if (vsdk__ntlm_established(h->ctx)) {
			if (vsdk__wsmv_is_encrypted(h->hdr_ctype))
				return SOAP_OK;
			if (h->hdr_identify_unauth)
				return SOAP_OK;
			/* WinRM's AllowUnencrypted=false */
			return answer(h, 400, NULL, "text/html",
				      "<html><body>Unencrypted traffic is disabled on this connection "
				      "(AllowUnencrypted=false): seal the message (MS-WSMV 2.2.9.1)</body></html>");
		}
		/* An empty POST without credentials opens the handshake (pywinrm):
		 * answer 401 here, main.c cannot parse an empty body.  Otherwise
		 * (Basic, WSMANIDENTIFY, nothing) main.c decides, injected transport
		 * failures first; its 401 offers hv_ntlm_offers(). */
		if (h->hdr_length <= 0 && !h->hdr_chunked && !h->soap->userid)
			return refuse(h);
		return SOAP_OK;
	}
	/* Authorization: Negotiate|NTLM <token> */
	snprintf(h->scheme, sizeof(h->scheme), "%s", strcasecmp(h->hdr_scheme, "NTLM") == 0 ? "NTLM" : "Negotiate");
	if (!h->hdr_token || vsdk__b64_decode(h->hdr_token, &tok, &tl) != VSDK_OK || tl < 12)
		goto bad;
	if (tok[8] == 1) {
		char *b64, *hdr = NULL;

		if (!h->ctx)
			h->ctx = vsdk__ntlm_server_new(n.user, NULL, n.password, "HVSIM");
		if (!h->ctx || vsdk__ntlm_server_challenge(h->ctx, tok, tl, &out, &ol) != VSDK_OK)
			goto bad;
		b64 = vsdk__b64_encode(out, ol);
		if (!b64 || asprintf(&hdr, "WWW-Authenticate: %s %s", h->scheme, b64) < 0) {
			free(b64);
			goto bad;
		}
		free(b64);
		rc = answer(h, 401, hdr, "text/html", "");
		free(hdr);
		free(tok);
		free(out);
		return rc;
	}
	if (tok[8] == 3 && h->ctx) {
		if (vsdk__ntlm_server_accept(h->ctx, tok, tl) != VSDK_OK) {
			__atomic_add_fetch(&n.refused, 1, __ATOMIC_RELAXED);
			fprintf(stderr, "hvsim: NTLM refused: %s\n", vsdk_error_last()->message);
			free(tok);
			return refuse(h);
		}
		__atomic_add_fetch(&n.handshakes, 1, __ATOMIC_RELAXED);
		free(tok);
		if (h->hdr_length <= 0)
			return answer(h, 200, NULL, "application/soap+xml;charset=UTF-8", "");
		return SOAP_OK; /* a sealed request rides on the AUTHENTICATE_MESSAGE */
	}
bad:
	fprintf(stderr, "hvsim: NTLM token refused: %s\n", vsdk_error_last()->message);
	free(tok);
	free(out);
	__atomic_add_fetch(&n.refused, 1, __ATOMIC_RELAXED);
	return refuse(h);
}

void hv_ntlm_attach(struct soap *s)
{
	vsdk_ntlm_http *h;

	h = vsdk__ntlm_http_attach(s, NULL, true);
	if (h)
		h->after_headers = after_headers;
}

void hv_ntlm_detach(struct soap *s)
{
	vsdk__ntlm_http_detach(vsdk__ntlm_http_of(s));
}

bool hv_ntlm_answered(struct soap *s)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(s);
	bool r = h && h->answered;

	if (h)
		h->answered = false;
	return r;
}

bool hv_ntlm_authenticated(struct soap *s)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(s);

	return h && h->msg_encrypted && vsdk__ntlm_established(h->ctx);
}

const char *hv_ntlm_user(struct soap *s)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(s);

	return h ? vsdk__ntlm_peer_user(h->ctx) : NULL;
}

bool hv_ntlm_send(struct soap *s, int status, const char *ctype, const char *body, size_t len, int *rc)
{
	vsdk_ntlm_http *h = vsdk__ntlm_http_of(s);

	if (!h || !h->msg_encrypted || !vsdk__ntlm_established(h->ctx) || !ctype ||
	    strncmp(ctype, "application/soap+xml", 20) != 0)
		return false;
	__atomic_add_fetch(&n.sealed, 1, __ATOMIC_RELAXED);
	*rc = vsdk__ntlm_http_respond(h, status, body, len);
	return true;
}
