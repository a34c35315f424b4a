/*
 * vsdk test support: the simulators (vcsim harness, hvsim), a test CA, a
 * tiny HTTP client for control endpoints, and a raw loopback HTTP server
 * with scripted responses (for gzip and fault-injection tests).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSIM_H
#define VSIM_H

#include "vtest.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* A vcsim harness instance: sdk URL (line 1) and control URL (line 2). */
typedef struct vsim_vc {
	vtest_server srv;
	char control[256];
	char hostport[128]; /* "127.0.0.1:PORT" of the SDK endpoint */
} vsim_vc;

/*
 * Start generated/build/bin/vcsim-harness with the given extra arguments
 * (NULL-terminated), e.g. "--model", "esx", "--vms", "4", NULL.
 */
bool vsim_vc_start(vsim_vc *vc, const char *arg, ...);
void vsim_vc_stop(vsim_vc *vc);

/* POST (or GET) to a control URL path, e.g. vsim_control(vc, "POST", "/expire-sessions"). */
int vsim_control(const vsim_vc *vc, const char *method, const char *path_and_query);

/*
 * A string field of a control endpoint's JSON answer, e.g.
 * vsim_vc_json(vc, "/vm?vm=ha-host_VM0", "moref"); "" when absent.
 * Static buffer, valid until the next call.
 */
const char *vsim_vc_json(const vsim_vc *vc, const char *path, const char *field);

/* Plain-HTTP request to http://127.0.0.1:PORT/...; returns status or -1; body optional. */
int vsim_http(const char *url, const char *method, const char *body, char **response);

/*
 * A test CA and a server certificate it signed, in dir: ca.pem, cert.pem,
 * key.pem (SAN IP:127.0.0.1, DNS:localhost), plus other-ca.pem (unrelated)
 * and self.pem/self-key.pem (self-signed).  Returns false on failure.
 */
bool vsim_make_certs(const char *dir);
/* SHA-256 fingerprint "AA:BB:..." of a PEM certificate (static buffer). */
const char *vsim_cert_sha256(const char *pem_path);

/* ---- raw scripted HTTP server ----------------------------------------- */

/*
 * For each accepted request (headers + Content-Length body read), the
 * handler returns the raw bytes to send (malloc'd, *len set), or NULL to
 * close the connection without answering.  It may sleep to simulate a slow
 * server.  Runs in the server's thread.
 */
typedef char *(*vsim_raw_handler)(void *payload, const char *request, size_t reqlen, size_t *len,
				  bool *close_after);

typedef struct vsim_raw {
	int fd;
	int port;
	pthread_t thread;
	vsim_raw_handler handler;
	void *payload;
	volatile bool stop;
	volatile unsigned long connections;
	volatile unsigned long requests;
} vsim_raw;

bool vsim_raw_start(vsim_raw *r, vsim_raw_handler h, void *payload);
void vsim_raw_stop(vsim_raw *r);

/* Build an HTTP response (malloc'd); gzip the body when gzip is true. */
char *vsim_http_response(int status, const char *content_type, const char *body, bool gzip,
			 const char *extra_headers, size_t *len);

/* One property of one VM as text through vsdk_vi_retrieve; malloc'd, "" when unset. */
struct vsdk_session;
char *vsim_vm_prop(struct vsdk_session *s, const char *vm, const char *path);
/*
 * Wait for a task by polling info.state through the library (independent of
 * vsdk_task_wait): VSDK_OK on success, VSDK_EJOB on error, VSDK_ETIMEOUT after ~4 s.
 */
int vsim_task_done(struct vsdk_session *s, const char *task);

#endif
