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
