/*
 * vsdk - opening and closing sessions from a URI.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "session_private.h"

#include <stdlib.h>
#include <string.h>

static const struct scheme {
	const char *name;
	vsdk_session_kind kind;
	int https_port, http_port;
} schemes[] = {
	{ "esx", VSDK_SESSION_ESX, 443, 80 },
	{ "gsx", VSDK_SESSION_GSX, 8333, 8222 },
	{ "vpx", VSDK_SESSION_VPX, 443, 80 },
	{ "hyperv", VSDK_SESSION_HYPERV, 5986, 5985 },
};

bool vsdk__session_is_vi(const vsdk_session *s, const char *fn)
{
	if (s && s->kind != VSDK_SESSION_HYPERV && s->vi)
		return true;
	vsdk__error_set(VSDK_EINVALID, "%s: session is %s, not an open VI (esx/gsx/vpx) session", fn,
			s ? "a Hyper-V session" : "NULL");
	return false;
}

bool vsdk__session_is_hv(const vsdk_session *s, const char *fn)
{
	if (s && s->kind == VSDK_SESSION_HYPERV && s->hv)
		return true;
	vsdk__error_set(VSDK_EINVALID, "%s: session is %s, not an open Hyper-V session", fn,
			s ? "a VI session" : "NULL");
	return false;
}

int vsdk__session_credentials(vsdk_session *s, const char *default_user)
{
	char *user = s->uri.user ? vsdk__strdup(s->uri.user) : NULL;
	char *password = NULL;
	int rc;

	if (s->uri.user && !user)
		return VSDK_ENOMEM;
	if (s->opts.auth) {
		rc = s->opts.auth(s->opts.auth_payload, s->uri.host, &user, &password);
		if (rc != VSDK_OK) {
			free(user);
			vsdk__free_secret(password);
			return vsdk__error_set(rc < 0 ? rc : VSDK_EAUTH,
					       "the auth callback refused to give credentials for %s", s->uri.host);
		}
	} else {
		const char *env = getenv("VSDK_PASSWORD");

		if (env) {
			password = vsdk__strdup(env);
			if (!password) {
				free(user);
				return VSDK_ENOMEM;
			}
		}
	}
	if (!user && default_user && !(user = vsdk__strdup(default_user))) {
		vsdk__free_secret(password);
		return VSDK_ENOMEM;
	}
	if (!password) {
		free(user);
		return vsdk__error_set(VSDK_EAUTH,
				       "no password for %s: give an auth callback or set VSDK_PASSWORD", s->uri.host);
	}
	s->username = user;
	s->password = password;
	return VSDK_OK;
}

VSDK_API int vsdk_session_open(vsdk_session **out, const char *uri, const vsdk_session_options *opts)
{
	static const vsdk_session_options defaults = VSDK_SESSION_OPTIONS_INIT;
	const struct scheme *sc = NULL;
	vsdk_session *s;
	const char *v;
	bool https = true, no_verify = false;
	long n;
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_session_open: out is NULL");
	*out = NULL;
	if (opts && opts->version != VSDK_SESSION_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_session_open: opts->version is %u, expected %u "
				       "(start from VSDK_SESSION_OPTIONS_INIT)", opts->version, VSDK_SESSION_OPTIONS_VERSION);
	s = calloc(1, sizeof(*s));
	if (!s)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	s->opts = opts ? *opts : defaults;
	if ((rc = vsdk__uri_parse(&s->uri, uri)))
		goto fail;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strcmp(schemes[i].name, s->uri.scheme) == 0)
			sc = &schemes[i];
	if (!sc) {
		rc = vsdk__error_set(VSDK_EINVALID, "URI: unknown scheme '%s' (expected esx, gsx, vpx or hyperv)",
				     s->uri.scheme);
		goto fail;
	}
	s->kind = sc->kind;

	if ((v = vsdk__uri_param(&s->uri, "transport"))) {
		if (strcmp(v, "https") == 0) {
			https = true;
		} else if (strcmp(v, "http") == 0) {
			https = false;
		} else {
			rc = vsdk__error_set(VSDK_EINVALID, "URI: parameter 'transport' must be http or https, not '%s'", v);
			goto fail;
		}
	}
	if ((rc = vsdk__uri_param_bool(&s->uri, "no_verify", &no_verify)))
		goto fail;
	s->tcfg.https = https;
	s->tcfg.no_verify = no_verify;
	s->tcfg.host = s->uri.host;
	s->tcfg.port = s->uri.port ? s->uri.port : (https ? sc->https_port : sc->http_port);
	s->tcfg.connect_timeout_ms = s->opts.connect_timeout_ms;
	s->tcfg.io_timeout_ms = s->opts.io_timeout_ms;
	n = -1;
	if ((rc = vsdk__uri_param_int(&s->uri, "connect_timeout_ms", 1, 3600000, &n)))
		goto fail;
	if (n > 0)
		s->tcfg.connect_timeout_ms = (int)n;
	n = -1;
	if ((rc = vsdk__uri_param_int(&s->uri, "io_timeout_ms", 1, 86400000, &n)))
		goto fail;
	if (n > 0)
		s->tcfg.io_timeout_ms = (int)n;
	s->tcfg.max_response_bytes = s->opts.max_response_bytes;
	s->tcfg.max_xml_depth = s->opts.max_xml_depth;
	s->tcfg.gzip_requests = s->opts.gzip_requests != 0;
	s->ca_file = vsdk__strdup(s->opts.ca_file);
	s->ca_dir = vsdk__strdup(s->opts.ca_dir);
	s->tcfg.ca_file = s->ca_file;
	s->tcfg.ca_dir = s->ca_dir;
	s->opts.ca_file = s->opts.ca_dir = s->opts.thumbprint = NULL; /* not kept beyond open */
	if (opts && opts->thumbprint && (rc = vsdk__parse_thumbprint(opts->thumbprint, s->tcfg.pin, &s->tcfg.pin_len)))
		goto fail;
	if ((v = vsdk__uri_param(&s->uri, "thumbprint")) &&
	    (rc = vsdk__parse_thumbprint(v, s->tcfg.pin, &s->tcfg.pin_len)))
		goto fail;
	if (!https && (s->tcfg.pin_len || s->ca_file || s->ca_dir)) {
		rc = vsdk__error_set(VSDK_EINVALID, "a CA file or thumbprint was given but transport is http");
		goto fail;
	}

	rc = s->kind == VSDK_SESSION_HYPERV ? vsdk__hv_open(s) : vsdk__vi_open(s);
	if (rc)
		goto fail;
	*out = s;
	return VSDK_OK;
fail:
	vsdk_session_close(s);
	return rc;
}

VSDK_API void vsdk_session_close(vsdk_session *s)
{
	if (!s)
		return;
	if (s->vi)
		vsdk__vi_close(s);
	if (s->hv)
		vsdk__hv_close(s);
	vsdk__transport_free(s->soap);
	vsdk__uri_free(&s->uri);
	free(s->endpoint);
	free(s->username);
	vsdk__free_secret(s->password);
	free(s->product);
	free(s->api_version);
	free(s->vcenter);
	free(s->ca_file);
	free(s->ca_dir);
	vsdk__wipe(s, sizeof(*s));
	free(s);
}

VSDK_API vsdk_session_kind vsdk_session_get_kind(const vsdk_session *s)
{
	return s ? s->kind : (vsdk_session_kind)0;
}

VSDK_API const char *vsdk_session_get_product(const vsdk_session *s)
{
	return s && s->product ? s->product : "";
}

VSDK_API const char *vsdk_session_get_api_version(const vsdk_session *s)
{
	return s && s->api_version ? s->api_version : "";
}

VSDK_API unsigned long vsdk_session_get_connection_count(const vsdk_session *s)
{
	vsdk_transport *t = s ? vsdk__transport_of(s->soap) : NULL;

	return t ? t->connections : 0;
}
