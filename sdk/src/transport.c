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
		p = e > v ? e : v;
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
	/* Session-scoped MoRefs (views, ...) embed the session id: "session[<id>]..." */
	mask_between(text, len, "session[", "]");
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

/* A new request: forget what was seen of the previous response. */
static void response_reset(vsdk_transport *t)
{
	t->recv_bytes = 0;
	t->too_large = t->timed_out = t->bad_utf8 = t->dtd = false;
	t->utf8_need = 0;
	t->tail[0] = '\0';
	t->hdr_len = 0;
	t->body_start = 0;
	t->chunked = false;
	t->content_length = -1;
	t->encoded = false;
}

static int trace_send(struct soap *soap, const char *s, size_t n)
{
	vsdk_transport *t = vsdk__transport_of(soap);

	if (!t->sending) {
		response_reset(t);
		t->sending = true;
	}

	if (vsdk__log_enabled(VSDK_LOG_TRACE))
		trace(">>> sent", s, n);
	return t->orig_fsend(soap, s, n);
}

/*
 * Body bytes as read from the socket: the body must be UTF-8 (checked
 * across reads) and must not declare a DTD (gSOAP would skip it silently;
 * we refuse it so entities are never a question).  Not applied to a
 * gzip or NTLM-sealed body (binary bytes); UTF-8 not to a chunked one (the
 * framing may split a character).
 */
static void check_body(vsdk_transport *t, const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	char window[32];
	size_t tl = strlen(t->tail), head = len < 16 ? len : 16;

	if (t->encoded)
		return;

	for (size_t i = 0; i < len && !t->bad_utf8 && !t->chunked; i++) {
		unsigned char c = p[i];

		if (t->utf8_need) {
			if (c < t->utf8_lo || c > t->utf8_hi)
				t->bad_utf8 = true;
			t->utf8_lo = 0x80;
			t->utf8_hi = 0xBF;
			t->utf8_need--;
			continue;
		}
		if (c < 0x80)
			continue;
		t->utf8_lo = 0x80;
		t->utf8_hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			t->utf8_need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			t->utf8_need = 2, t->utf8_lo = c == 0xE0 ? 0xA0 : 0x80, t->utf8_hi = c == 0xED ? 0x9F : 0xBF;
		else if (c >= 0xF0 && c <= 0xF4)
			t->utf8_need = 3, t->utf8_lo = c == 0xF0 ? 0x90 : 0x80, t->utf8_hi = c == 0xF4 ? 0x8F : 0xBF;
		else
			t->bad_utf8 = true;
	}
	/* "<!DOCTYPE" or "<!ENTITY" here, or split between the last read and this one. */
	memcpy(window, t->tail, tl);
	memcpy(window + tl, buf, head);
	if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8) ||
	    memmem(window, tl + head, "<!DOCTYPE", 9) || memmem(window, tl + head, "<!ENTITY", 8))
		t->dtd = true;
	if (len >= 8) {
		memcpy(t->tail, buf + len - 8, 8);
		t->tail[8] = '\0';
	} else {
		size_t keep = tl + len > 8 ? 8 - len : tl;

		memmove(t->tail, t->tail + tl - keep, keep);
		memcpy(t->tail + keep, buf, len);
		t->tail[keep + len] = '\0';
	}
	for (char *q = t->tail; q < t->tail + strlen(t->tail); q++)
		if (!*q)
			*q = ' ';
}

static size_t trace_recv(struct soap *soap, char *s, size_t n)
{
	vsdk_transport *t = vsdk__transport_of(soap);
	int64_t t0 = vsdk__now_ms();
	size_t r, max = soap->recv_maxlength;

	t->sending = false;

	/* Never read past the limit: an endless or oversized body stops here. */
	if (max && t->recv_bytes >= max) {
		t->too_large = true;
		return 0;
	}
	if (max && n > max - t->recv_bytes)
		n = max - t->recv_bytes + 1;
	/*
	 * A body that ends before its XML does (truncated, Content-Length
	 * honoured, connection kept open): gSOAP would wait for more until the
	 * I/O timeout; report the end of the body at once instead.
	 */
	if (t->body_start && t->content_length >= 0 &&
	    t->recv_bytes - t->body_start >= (unsigned long long)t->content_length)
		return 0;
	r = t->orig_frecv(soap, s, n);
	if (r > 0 && !t->body_start && t->hdr_len < sizeof(t->hdr)) {
		/* Headers: keep them until the blank line that ends them. */
		size_t k = r < sizeof(t->hdr) - t->hdr_len ? r : sizeof(t->hdr) - t->hdr_len;
		const char *e;

		memcpy(t->hdr + t->hdr_len, s, k);
		t->hdr_len += k;
		if ((e = memmem(t->hdr, t->hdr_len, "\r\n\r\n", 4))) {
			const char *ce;

			t->body_start = (size_t)(e - t->hdr) + 4;
			t->hdr[t->body_start - 2] = '\0';
			ce = strcasestr(t->hdr, "\nContent-Encoding:");
			t->encoded = ce && strncasecmp(ce + 19 + strspn(ce + 19, " \t"), "identity", 8) != 0;
			/* An NTLM-sealed body (MS-WSMV multipart/encrypted) is binary too. */
			if (strcasestr(t->hdr, "multipart/encrypted"))
				t->encoded = true;
			t->chunked = strcasestr(t->hdr, "\nTransfer-Encoding:") != NULL;
			if (t->body_start < t->recv_bytes + r)
				check_body(t, s + (t->body_start - t->recv_bytes), t->recv_bytes + r - t->body_start);
		}
	} else if (r > 0 && t->body_start) {
		check_body(t, s, r);
	}
	/* The timeout in force now (a caller may shorten it, e.g. a task wait's long poll). */
	if (r == 0) {
		int64_t tmo = soap->recv_timeout > 0 ? (int64_t)soap->recv_timeout * 1000
			      : soap->recv_timeout < 0 ? (int64_t)-soap->recv_timeout / 1000 : 0;

		if (tmo > 0 && vsdk__now_ms() - t0 >= tmo * 9 / 10)
			t->timed_out = true;
	}
	if (r > 0 && vsdk__log_enabled(VSDK_LOG_TRACE))
		trace("<<< received", s, r);
	t->recv_bytes += r;
	if (t->dtd || t->bad_utf8)
		return 0; /* refused: read no further (the error says why) */
	return r;
}

static int parse_header(struct soap *soap, const char *key, const char *val)
{
	vsdk_transport *t = vsdk__transport_of(soap);

	if (!soap_tag_cmp(key, "Retry-After"))
		t->retry_after_s = atoi(val);
	if (!soap_tag_cmp(key, "Content-Length"))
		t->content_length = strtoll(val, NULL, 10);
	if (!soap_tag_cmp(key, "Transfer-Encoding"))
		t->content_length = -1;
	/* Refuse an announced oversized body before reading (or allocating) any of it. */
	if (!soap_tag_cmp(key, "Content-Length") && soap->recv_maxlength &&
	    strtoull(val, NULL, 10) > (unsigned long long)soap->recv_maxlength) {
		t->too_large = true;
		return soap->error = SOAP_LENGTH;
	}
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
	/* Session cookies are credentials: wipe them and the I/O buffers. */
	for (struct soap_cookie *c = soap->cookies; c; c = c->next)
		if (c->value)
			vsdk__wipe(c->value, strlen(c->value));
	soap_destroy(soap);
	soap_end(soap);
	soap_done(soap);
	vsdk__wipe(soap, sizeof(*soap));
	if (vsdk__wipe_observer)
		vsdk__wipe_observer(soap, sizeof(*soap));
	free(soap); /* soap_new allocated it with malloc (what soap_free does after soap_done) */
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

static int transport_error(struct soap *soap, const char *what);

int vsdk__transport_error(struct soap *soap, const char *what)
{
	int rc = transport_error(soap, what);

	/*
	 * After a failed exchange the connection is in an unknown state (part
	 * of an oversized or broken response may still be unread): close it, so
	 * the next call on this session starts on a fresh connection instead of
	 * reading the rest of this response as its own.
	 */
	if (soap && !soap_check_state(soap) && soap_valid_socket(soap->socket)) {
		int err = soap->error;

		soap->keep_alive = 0;
		soap_closesock(soap);
		soap->error = err;
	}
	return rc;
}

static int transport_error(struct soap *soap, const char *what)
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

	if (t && (t->recv_bytes > soap->recv_maxlength ||
		  ((err == SOAP_EOF || (err >= 200 && err < 300)) && soap->count >= soap->recv_maxlength)))
		t->too_large = true; /* gSOAP's own limit on the decoded body stopped it */
	if (t && t->too_large)
		return vsdk__error_set(VSDK_ELIMIT, "%s: the response from %s:%d is larger than the configured maximum "
				       "(max_response_bytes = %zu); refused", what, host, port, (size_t)soap->recv_maxlength);
	if (t && t->dtd)
		return vsdk__error_set(VSDK_EPROTO, "%s: the response from %s:%d contains a DOCTYPE declaration; DTDs and "
				       "entities are refused (never expanded or fetched)", what, host, port);
	if (t && t->bad_utf8)
		err = SOAP_UTF_ERROR;
	if (t && t->timed_out && (err == SOAP_EOF || err == SOAP_TCP_ERROR))
		return vsdk__error_set(VSDK_ETIMEOUT, "%s: %s:%d did not answer in time (io_timeout_ms = %d)", what, host,
				       port, t->cfg.io_timeout_ms > 0 ? t->cfg.io_timeout_ms : 120000);
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
		else if (strstr(detail, "protocol version") || strstr(detail, "unsupported protocol"))
			rc = vsdk__error_set(VSDK_ETLS, "%s: TLS handshake with %s:%d failed: the server does not offer "
					     "TLS 1.2 or later, which vsdk requires (enable TLS 1.2 on the server): %s",
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
		/* Not a timeout (that was handled above): the peer closed or the body ended early. */
		if (soap->errnum == 0)
			return vsdk__error_set(VSDK_EPROTO, "%s: malformed response from %s:%d: it ended early "
					       "(truncated XML or connection closed)", what, host, port);
		return vsdk__error_set(VSDK_EIO, "%s: connection to %s:%d closed: %s", what, host, port, detail);
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
		if (err >= 200 && err < 300)
			return vsdk__error_set(VSDK_EPROTO, "%s: the response from %s:%d is not a SOAP message "
					       "(HTTP %d with a body that is not XML)", what, host, port, err);
		if (err == SOAP_FAULT)
			return vsdk__error_set(VSDK_EFAULT, "%s: %s", what, detail);
		if (err == SOAP_EOM)
			return vsdk__error_set(VSDK_ENOMEM, "%s: out of memory", what);
		return vsdk__error_set(VSDK_EIO, "%s: exchange with %s:%d failed: %s (gSOAP error %d)",
				       what, host, port, detail, err);
	}
}
