/*
 * vsdk - HTTP(S) transport settings on a gSOAP context, and the translation
 * of gSOAP's errors into vsdk errors.  Shared by the VI and Hyper-V layers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_TRANSPORT_PRIVATE_H
#define VSDK_TRANSPORT_PRIVATE_H

#include "stdsoap2.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct vsdk_transport_cfg {
	bool https;
	const char *host;
	int port;
	bool no_verify;
	const char *ca_file;
	const char *ca_dir;
	unsigned char pin[32]; /* certificate fingerprint to accept */
	size_t pin_len;        /* 0 (none), 20 (SHA-1) or 32 (SHA-256) */
	int connect_timeout_ms;
	int io_timeout_ms;
	size_t max_response_bytes;
	unsigned int max_xml_depth;
	const char *proxy_host; /* NULL: none */
	int proxy_port;
	bool gzip_requests;
} vsdk_transport_cfg;

/* Per-context state kept by the transport (in soap->user). */
typedef struct vsdk_transport {
	vsdk_transport_cfg cfg;
	char *host_copy, *proxy_copy;
	unsigned long connections; /* TCP connects so far */
	char tls_problem[512];     /* why the last handshake was refused */
	char peer_sha256[3 * 32];  /* fingerprint of the last peer certificate seen */
	int (*orig_fopen)(struct soap *, const char *, const char *, int);
	int (*orig_fsend)(struct soap *, const char *, size_t);
	size_t (*orig_frecv)(struct soap *, char *, size_t);
	int (*orig_fparsehdr)(struct soap *, const char *, const char *);
	int retry_after_s;         /* from the last 503 */
	/* Per response (reset when a request is sent): */
	size_t recv_bytes;         /* bytes read from the socket */
	bool too_large;            /* over max_response_bytes (announced or read) */
	bool timed_out;            /* a read ended at io_timeout_ms */
	bool bad_utf8;             /* the (decoded) body is not UTF-8 */
	bool dtd;                  /* the body has a DOCTYPE (DTDs/entities are refused) */
	bool sending;              /* a request is being sent (its response not read yet) */
	unsigned char utf8_need, utf8_lo, utf8_hi; /* UTF-8 check state across reads */
	char tail[9];              /* last bytes seen, for markup split across reads */
	char hdr[8192];            /* the response's header block */
	size_t hdr_len;
	bool chunked;              /* Transfer-Encoding: chunked */
	unsigned long long body_start; /* offset of the body in the bytes read; 0: headers not done */
	long long content_length;  /* announced, or -1 */
	bool encoded;              /* Content-Encoding (gzip): body checks do not apply */
} vsdk_transport;

/*
 * Create a gSOAP context configured from cfg (TLS, timeouts, keep-alive,
 * gzip, limits, proxy, wire tracing at TRACE with secrets masked).
 * Returns NULL with the error detail set.
 */
struct soap *vsdk__transport_new(const vsdk_transport_cfg *cfg);
void vsdk__transport_free(struct soap *soap);
vsdk_transport *vsdk__transport_of(struct soap *soap);

/*
 * Translate soap->error after a failed exchange into a vsdk error (sets the
 * detail once and returns the code).  `what` names the operation.  SOAP
 * faults are not handled here (the protocol layers decode them), except as
 * a fallback with the fault string.
 */
int vsdk__transport_error(struct soap *soap, const char *what);

/* Parse "AA:BB:.." or "aabb.." (SHA-1 or SHA-256) into cfg->pin. */
int vsdk__parse_thumbprint(const char *text, unsigned char *pin, size_t *pin_len);

/* Mask secrets in a wire dump (password elements, Cookie/Authorization). */
void vsdk__mask_secrets(char *text, size_t len);

#endif
