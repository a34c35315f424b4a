/*
 * vsdk - HTTP(S) transport on gSOAP's engine: TLS verification and pinning,
 * timeouts, keep-alive, gzip, limits, proxy, masked wire traces, and error
 * translation.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "common_private.h"
#include "transport_private.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t ssl_once = PTHREAD_ONCE_INIT;

static void ssl_init(void)
{
	soap_ssl_init();
}

/* The context whose handshake is running on this thread (for fsslverify). */
static _Thread_local struct soap *tls_current;

vsdk_transport *vsdk__transport_of(struct soap *soap)
{
	return soap ? (vsdk_transport *)soap->user : NULL;
}

static void hex_fingerprint(X509 *cert, char *out, size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	out[0] = '\0';
	if (!cert || !X509_digest(cert, EVP_sha256(), md, &n))
		return;
	for (unsigned int i = 0; i < n && 3 * i + 3 <= outlen; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02X:" : "%02X", md[i]);
}

/*
 * Called by OpenSSL (through gSOAP) for each certificate of the chain.
 * Records why verification failed, and implements thumbprint pinning: the
 * leaf is accepted when its fingerprint matches, whatever its chain.
 */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct soap *soap = tls_current;
	vsdk_transport *t = vsdk__transport_of(soap);
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);

	if (!t)
		return ok;
	if (depth == 0 && cert)
		hex_fingerprint(cert, t->peer_sha256, sizeof(t->peer_sha256));
	if (t->cfg.pin_len) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int n = 0;

		/*
		 * The pin replaces chain verification: clear the chain's error so
		 * the result stored for the handshake (which gSOAP checks) is OK.
		 */
		if (depth > 0) {
			X509_STORE_CTX_set_error(ctx, X509_V_OK);
			return 1;
		}
		if (cert && X509_digest(cert, t->cfg.pin_len == 32 ? EVP_sha256() : EVP_sha1(), md, &n) &&
		    n == t->cfg.pin_len && memcmp(md, t->cfg.pin, n) == 0) {
			X509_STORE_CTX_set_error(ctx, X509_V_OK);
			return 1;
		}
		snprintf(t->tls_problem, sizeof(t->tls_problem),
			 "the server's certificate (SHA-256 %s) does not match the pinned thumbprint",
			 t->peer_sha256);
		return 0;
	}
	if (!ok && !t->tls_problem[0]) {
		char subject[256] = "";

		if (cert)
			X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
		snprintf(t->tls_problem, sizeof(t->tls_problem), "%s (certificate %s at depth %d)",
			 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)), subject, depth);
	}
	return ok;
}

static int count_open(struct soap *soap, const char *endpoint, const char *host, int port)
{
	vsdk_transport *t = vsdk__transport_of(soap);
	SOAP_SOCKET fd;

	tls_current = soap;
	t->tls_problem[0] = '\0';
	t->connections++;
	vsdk__log(VSDK_LOG_DEBUG, "connecting to %s:%d (connection %lu)", host, port, t->connections);
	fd = (SOAP_SOCKET)t->orig_fopen(soap, endpoint, host, port);
	tls_current = NULL;
	return fd;
}

/* ---- masking and tracing ---------------------------------------------- */

static void mask_between(char *text, size_t len, const char *open, const char *close)
{
	char *end = text + len, *p = text;
	size_t ol = strlen(open), cl = strlen(close);

	while (p < end && (p = memmem(p, (size_t)(end - p), open, ol))) {
		char *v = p + ol, *e = memmem(v, (size_t)(end - v), close, cl);

		if (!e)
			e = end;
		memset(v, '*', (size_t)(e - v));
		p = e;
	}
}

void vsdk__mask_secrets(char *text, size_t len)
{
	static const char *headers[] = { "\nAuthorization:", "\nCookie:", "\nSet-Cookie:",
					 "\nProxy-Authorization:", "\nauthorization:", "\ncookie:",
					 "\nset-cookie:" };

	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		mask_between(text, len, headers[i], "\r\n");
	mask_between(text, len, "<password>", "</password>");
	mask_between(text, len, ":password>", "</");
	mask_between(text, len, "<newPassword>", "</newPassword>");
	mask_between(text, len, "<sessionCookie>", "</sessionCookie>");
	mask_between(text, len, "<key>", "</key>"); /* UserSession.key is the cookie value */
}

static void trace(const char *dir, const char *buf, size_t n)
{
	char *copy = malloc(n + 2);

	if (!copy)
		return;
	copy[0] = '\n';
	memcpy(copy + 1, buf, n);
	copy[n + 1] = '\0';
	vsdk__mask_secrets(copy, n + 1);
	vsdk__log(VSDK_LOG_TRACE, "%s %zu bytes:%s", dir, n, copy);
	free(copy);
}

static int trace_send(struct soap *soap, const char *s, size_t n)
{
	vsdk_transport *t = vsdk__transport_of(soap);

	if (vsdk__log_enabled(VSDK_LOG_TRACE))
		trace(">>> sent", s, n);
	return t->orig_fsend(soap, s, n);
}

static size_t trace_recv(struct soap *soap, char *s, size_t n)
{
	vsdk_transport *t = vsdk__transport_of(soap);
	size_t r = t->orig_frecv(soap, s, n);

	if (r > 0 && vsdk__log_enabled(VSDK_LOG_TRACE))
		trace("<<< received", s, r);
	return r;
}

static int parse_header(struct soap *soap, const char *key, const char *val)
{
	vsdk_transport *t = vsdk__transport_of(soap);

	if (!soap_tag_cmp(key, "Retry-After"))
		t->retry_after_s = atoi(val);
	return t->orig_fparsehdr(soap, key, val);
}

/* ---- setup ------------------------------------------------------------ */

static int ms_to_soap(int ms)
{
	/* gSOAP: > 0 seconds, < 0 microseconds. */
	if (ms <= 0)
		return 0;
	if (ms % 1000 == 0)
		return ms / 1000;
	return ms > 2000000 ? ms / 1000 : -ms * 1000;
}

struct soap *vsdk__transport_new(const vsdk_transport_cfg *cfg)
{
	struct soap *soap;
	vsdk_transport *t;

	pthread_once(&ssl_once, ssl_init);
	soap = soap_new1(SOAP_IO_KEEPALIVE);
	t = calloc(1, sizeof(*t));
	if (!soap || !t) {
		if (soap)
			soap_free(soap);
		free(t);
		vsdk__error_set(VSDK_ENOMEM, "out of memory creating a connection context");
		return NULL;
	}
	soap_set_omode(soap, SOAP_IO_KEEPALIVE);
	soap->user = t;
	t->cfg = *cfg;
	t->host_copy = vsdk__strdup(cfg->host);
	t->cfg.host = t->host_copy;
	t->proxy_copy = cfg->proxy_host ? vsdk__strdup(cfg->proxy_host) : NULL;
	t->cfg.proxy_host = t->proxy_copy;
	t->cfg.ca_file = t->cfg.ca_dir = NULL; /* used only below */

	soap->connect_timeout = ms_to_soap(cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 30000);
	soap->recv_timeout = soap->send_timeout = ms_to_soap(cfg->io_timeout_ms > 0 ? cfg->io_timeout_ms : 120000);
	soap->recv_maxlength = cfg->max_response_bytes ? cfg->max_response_bytes : (size_t)512 << 20;
	soap->maxlevel = cfg->max_xml_depth ? cfg->max_xml_depth : 200;
	soap_set_imode(soap, SOAP_ENC_ZLIB); /* accept gzip responses */
	if (cfg->gzip_requests)
		soap_set_omode(soap, SOAP_ENC_ZLIB);
	if (cfg->proxy_host) {
		soap->proxy_host = t->proxy_copy;
		soap->proxy_port = cfg->proxy_port ? cfg->proxy_port : 8080;
	}
	t->orig_fopen = soap->fopen;
	soap->fopen = count_open;
	t->orig_fsend = soap->fsend;
	soap->fsend = trace_send;
	t->orig_frecv = soap->frecv;
	soap->frecv = trace_recv;
	t->orig_fparsehdr = soap->fparsehdr;
	soap->fparsehdr = parse_header;

	if (cfg->https) {
		unsigned short flags = SOAP_TLSv1_2 | SOAP_TLSv1_3;

		if (cfg->no_verify)
			flags |= SOAP_SSL_NO_AUTHENTICATION;
		else if (cfg->pin_len)
			flags |= SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION | SOAP_SSL_SKIP_HOST_CHECK;
		else
			flags |= SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION;
		soap->fsslverify = verify_cb;
		if (soap_ssl_client_context(soap, flags, NULL, NULL,
					    cfg->pin_len ? NULL : cfg->ca_file,
					    cfg->pin_len ? NULL : cfg->ca_dir, NULL)) {
			char msg[256];

			soap_sprint_fault(soap, msg, sizeof(msg));
			vsdk__error_set(VSDK_ETLS, "TLS: cannot set up the client context (CA file '%s', CA dir '%s'): %s",
					cfg->ca_file ? cfg->ca_file : "-", cfg->ca_dir ? cfg->ca_dir : "-", msg);
			vsdk__transport_free(soap);
			return NULL;
		}
		if (!cfg->ca_file && !cfg->ca_dir && !cfg->no_verify && !cfg->pin_len && soap->ctx)
			SSL_CTX_set_default_verify_paths(soap->ctx);
		if (cfg->no_verify)
			vsdk__log(VSDK_LOG_WARN,
				  "no_verify=1: the certificate of %s is not verified; anyone on the path can "
				  "read and change this session (use a CA file or a thumbprint instead)", cfg->host);
	}
	return soap;
}

void vsdk__transport_free(struct soap *soap)
{
	vsdk_transport *t;

	if (!soap)
		return;
	t = vsdk__transport_of(soap);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	if (t) {
		free(t->host_copy);
		free(t->proxy_copy);
		free(t);
	}
}

int vsdk__parse_thumbprint(const char *text, unsigned char *pin, size_t *pin_len)
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = text; *p; p++) {
		int v;

		if (*p == ':' || *p == ' ')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if ((*p | 32) >= 'a' && (*p | 32) <= 'f')
			v = (*p | 32) - 'a' + 10;
		else
			return vsdk__error_set(VSDK_EINVALID, "thumbprint: invalid character '%c'", *p);
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= 32)
				return vsdk__error_set(VSDK_EINVALID, "thumbprint: longer than a SHA-256 fingerprint");
			pin[n++] = (unsigned char)(hi * 16 + v);
			hi = -1;
		}
	}
	if (hi >= 0 || (n != 20 && n != 32))
		return vsdk__error_set(VSDK_EINVALID,
				       "thumbprint: expected a SHA-256 (32 bytes) or SHA-1 (20 bytes) fingerprint in hex");
	*pin_len = n;
	return VSDK_OK;
}

int vsdk__transport_error(struct soap *soap, const char *what)
{
	vsdk_transport *t = vsdk__transport_of(soap);
	const char *host = t && t->cfg.host ? t->cfg.host : "?";
	int port = t ? t->cfg.port : 0;
	char detail[512] = "";
	int err = soap->error, rc;

	if (soap_check_state(soap))
		return vsdk__error_set(VSDK_EINTERNAL, "%s: connection context is not initialized", what);
	soap_sprint_fault(soap, detail, sizeof(detail));
	for (char *p = detail; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';

	if (err == SOAP_SSL_ERROR || (t && t->tls_problem[0] && err == SOAP_TCP_ERROR)) {
		if (t && t->cfg.pin_len)
			rc = vsdk__error_set(VSDK_ETLS, "%s: TLS with %s:%d refused: %s; check thumbprint=",
					     what, host, port, t->tls_problem[0] ? t->tls_problem : detail);
		else if (t && t->tls_problem[0])
			rc = vsdk__error_set(VSDK_ETLS,
					     "%s: TLS certificate of %s:%d not trusted: %s; pass its CA with ca_file=, "
					     "pin it with thumbprint=%s, or (unsafe) use no_verify=1",
					     what, host, port, t->tls_problem,
					     t->peer_sha256[0] ? t->peer_sha256 : "<SHA-256 of the certificate>");
		else if (strstr(detail, "host name") || strstr(detail, "hostname"))
			rc = vsdk__error_set(VSDK_ETLS,
					     "%s: TLS certificate of %s:%d does not name this host: %s; connect with a "
					     "name in the certificate, pin it with thumbprint=, or (unsafe) use no_verify=1",
					     what, host, port, detail);
		else
			rc = vsdk__error_set(VSDK_ETLS, "%s: TLS handshake with %s:%d failed: %s", what, host, port, detail);
		return rc;
	}
	switch (err) {
	case SOAP_TCP_ERROR:
		if (strstr(detail, "timed out") || strstr(detail, "Timeout") || strstr(detail, "timeout"))
			return vsdk__error_set(VSDK_ETIMEOUT, "%s: connecting to %s:%d timed out", what, host, port);
		return vsdk__error_set(VSDK_EIO, "%s: cannot connect to %s:%d: %s", what, host, port, detail);
	case SOAP_EOF:
		return vsdk__error_set(soap->errnum == 0 ? VSDK_ETIMEOUT : VSDK_EIO,
				       soap->errnum == 0 ? "%s: %s:%d did not answer in time (io_timeout_ms)"
							 : "%s: connection to %s:%d closed: %s",
				       what, host, port, soap->errnum == 0 ? "" : detail);
	case SOAP_LENGTH:
		return vsdk__error_set(VSDK_ELIMIT, "%s: the response from %s:%d is larger than the configured maximum "
				       "(max_response_bytes)", what, host, port);
	case SOAP_LEVEL:
		return vsdk__error_set(VSDK_ELIMIT, "%s: the response from %s:%d nests XML deeper than the configured "
				       "maximum (max_xml_depth)", what, host, port);
	case SOAP_UTF_ERROR:
		return vsdk__error_set(VSDK_EPROTO, "%s: the response from %s:%d is not valid UTF-8", what, host, port);
	case SOAP_SYNTAX_ERROR:
	case SOAP_NAMESPACE:
	case SOAP_TAG_MISMATCH:
	case SOAP_TYPE:
	case SOAP_NO_TAG:
	case SOAP_EMPTY:
	case SOAP_OCCURS:
		return vsdk__error_set(VSDK_EPROTO, "%s: malformed response from %s:%d: %s", what, host, port, detail);
	case 401:
	case 403:
		return vsdk__error_set(VSDK_EAUTH, "%s: %s:%d refused the credentials (HTTP %d)", what, host, port, err);
	case 404:
		return vsdk__error_set(VSDK_ENOTFOUND, "%s: %s:%d has no such endpoint (HTTP 404)", what, host, port);
	case 503:
		rc = vsdk__error_set(VSDK_EIO, "%s: %s:%d is unavailable (HTTP 503%s%d s)", what, host, port,
				     t && t->retry_after_s ? ", retry after " : ", no Retry-After, ",
				     t ? t->retry_after_s : 0);
		vsdk__error_mut()->http_status = 503;
		return rc;
	default:
		if (err >= 300 && err < 600) {
			rc = vsdk__error_set(VSDK_EIO, "%s: %s:%d answered HTTP %d (not a SOAP response): %s",
					     what, host, port, err, detail);
			vsdk__error_mut()->http_status = err;
			return rc;
		}
		if (err == SOAP_FAULT)
			return vsdk__error_set(VSDK_EFAULT, "%s: %s", what, detail);
		if (err == SOAP_EOM)
			return vsdk__error_set(VSDK_ENOMEM, "%s: out of memory", what);
		return vsdk__error_set(VSDK_EIO, "%s: exchange with %s:%d failed: %s (gSOAP error %d)",
				       what, host, port, detail, err);
	}
}
