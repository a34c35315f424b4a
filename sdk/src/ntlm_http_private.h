/*
 * vsdk - NTLM over HTTP (MS-NTHT, MS-WSMV 2.2.9.1) on gSOAP's engine: hooks
 * that capture the authentication headers and turn multipart/encrypted
 * bodies into plaintext before gSOAP parses them, for the WS-Man client and
 * for servers built on gSOAP (hvsim).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_NTLM_HTTP_PRIVATE_H
#define VSDK_NTLM_HTTP_PRIVATE_H

#include "ntlm_private.h"
#include "stdsoap2.h"

/* The gSOAP context's data[] slot that holds the vsdk_ntlm_http. */
#define VSDK_NTLM_HTTP_SLOT 2

typedef struct vsdk_ntlm_http vsdk_ntlm_http;

struct vsdk_ntlm_http {
	struct soap *soap;
	vsdk_ntlm *ctx;            /* owned; NULL on a server until a NEGOTIATE arrives */
	bool server;
	char scheme[16];           /* client: "Negotiate" or "NTLM"; server: the scheme last used */

	/* headers of the message being received (reset per message) */
	bool hdr_auth;             /* an Authorization / WWW-Authenticate with Negotiate or NTLM */
	char hdr_scheme[16];
	char *hdr_token;           /* its base64 token, or NULL */
	char *hdr_offers;          /* client: every WWW-Authenticate value, '; '-joined (errors) */
	char *hdr_ctype;           /* Content-Type */
	long long hdr_length;      /* Content-Length, -1 when absent */
	bool hdr_chunked;
	bool hdr_close;            /* Connection: close */
	bool hdr_identify_unauth;  /* WSMANIDENTIFY: unauthenticated */
	bool msg_encrypted;        /* the message just received was sealed */

	/* the unsealed body served to gSOAP's parser */
	char *plain;
	size_t plain_len, plain_pos;
	bool plain_active;
	int failed;                /* a vsdk error code from the parse hook (detail set) */

	/* server: called after the headers, before unsealing.  It may answer the
	 * request itself: then it sets answered and returns SOAP_USER_ERROR, which
	 * soap_begin_recv() returns at once (gSOAP does not stop on SOAP_STOP there). */
	bool answered;
	int (*after_headers)(vsdk_ntlm_http *h, void *arg);
	void *arg;

	/* client: the transport's connection count when the context was established */
	unsigned long auth_conn;
	unsigned long handshakes;  /* completed NTLM handshakes (stats, tests) */

	int (*orig_fparse)(struct soap *);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	size_t (*orig_frecv)(struct soap *, char *, size_t);
};

/*
 * Install the hooks on soap (data[VSDK_NTLM_HTTP_SLOT] must be free) and
 * take ownership of ctx (may be NULL on a server).  NULL with the error set.
 */
vsdk_ntlm_http *vsdk__ntlm_http_attach(struct soap *soap, vsdk_ntlm *ctx, bool server);
/* Restore the hooks and free everything. */
void vsdk__ntlm_http_detach(vsdk_ntlm_http *h);
vsdk_ntlm_http *vsdk__ntlm_http_of(struct soap *soap);

/*
 * Read the rest of the current message's body (Content-Length bytes; none
 * without one) into *body (malloc'd, NUL-terminated).  Servers use it to
 * drain a request they answer themselves.
 */
int vsdk__ntlm_http_read_body(vsdk_ntlm_http *h, char **body, size_t *len);

/*
 * Client: make sure this connection is authenticated (the NTLM handshake
 * with empty POSTs, again after a reconnect), then seal xml and send it as
 * a multipart/encrypted POST to endpoint.  The caller then receives the
 * answer with soap_begin_recv() as usual: the hooks unseal it.  VSDK_EAUTH
 * when the server refuses the credentials or offers no NTLM.
 */
int vsdk__ntlm_http_send(vsdk_ntlm_http *h, const char *endpoint, const char *xml, size_t len, const char *what);

/*
 * Server: seal body and send it as the HTTP response with the given status
 * (Content-Length set, keep-alive kept).  Returns a gSOAP error code.
 */
/*
 * Client: gSOAP gives up keep-alive after an HTTP error status; when the
 * server kept the connection (no "Connection: close"), keep using it.
 */
void vsdk__ntlm_http_keep(vsdk_ntlm_http *h, int keep_alive);

int vsdk__ntlm_http_respond(vsdk_ntlm_http *h, int status, const char *body, size_t len);

#endif
