/*
 * vsdk - connection URI parsing:  scheme://[user@]host[:port][/path][?k=v&k=v]
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common_private.h"
#include "uri_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define URI_MAX 4096

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode [s, s+n) into a new string; refuses control characters (%00-%1F, %7F) and bad escapes. */
static int decode(const char *s, size_t n, const char *what, char **out)
{
	char *d = malloc(n + 1), *p = d;

	if (!d)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n) {
				free(d);
				return vsdk__error_set(VSDK_EINVALID, "URI: incomplete %%-escape in %s", what);
			}
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(d);
				return vsdk__error_set(VSDK_EINVALID, "URI: invalid %%-escape in %s", what);
			}
			if (hi * 16 + lo < 0x20 || hi * 16 + lo == 0x7f) {
				/* A decoded CR/LF/TAB... would reach logs, headers or XML. */
				free(d);
				return vsdk__error_set(VSDK_EINVALID, "URI: control character %%%c%c in %s is not allowed",
						       s[i + 1], s[i + 2], what);
			}
			*p++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && strcmp(what, "parameter") == 0) {
			*p++ = ' ';
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	*out = d;
	return VSDK_OK;
}

void vsdk__uri_free(vsdk_uri *u)
{
	if (!u)
		return;
	free(u->scheme);
	free(u->user);
	free(u->host);
	free(u->path);
	for (size_t i = 0; i < u->nparams; i++) {
		free(u->params[i].key);
		vsdk__free_secret(u->params[i].value);
	}
	free(u->params);
	memset(u, 0, sizeof(*u));
}

static int parse_params(vsdk_uri *u, const char *q)
{
	while (*q) {
		const char *amp = strchr(q, '&'), *eq;
		size_t n = amp ? (size_t)(amp - q) : strlen(q);
		vsdk_uri_param *np;
		char *key, *val;
		int rc;

		if (n == 0) {
			q += 1;
			continue;
		}
		eq = memchr(q, '=', n);
		if (!eq || eq == q)
			return vsdk__error_set(VSDK_EINVALID,
					       "URI: parameter '%.*s' is not of the form name=value", (int)n, q);
		if ((rc = decode(q, (size_t)(eq - q), "parameter", &key)))
			return rc;
		if ((rc = decode(eq + 1, n - (size_t)(eq - q) - 1, "parameter", &val))) {
			free(key);
			return rc;
		}
		for (size_t i = 0; i < u->nparams; i++) {
			if (strcmp(u->params[i].key, key) == 0) {
				rc = vsdk__error_set(VSDK_EINVALID, "URI: parameter '%s' is given twice", key);
				free(key);
				free(val);
				return rc;
			}
		}
		np = realloc(u->params, (u->nparams + 1) * sizeof(*np));
		if (!np) {
			free(key);
			free(val);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		u->params = np;
		u->params[u->nparams++] = (vsdk_uri_param){ key, val, false };
		q += n + (amp ? 1 : 0);
	}
	return VSDK_OK;
}

int vsdk__uri_parse(vsdk_uri *u, const char *text)
{
	const char *p, *auth, *auth_end, *at = NULL, *host, *host_end, *colon = NULL;
	int rc;

	memset(u, 0, sizeof(*u));
	if (!text)
		return vsdk__error_set(VSDK_EINVALID, "URI: uri is NULL");
	if (strlen(text) > URI_MAX)
		return vsdk__error_set(VSDK_EINVALID, "URI: longer than %d characters", URI_MAX);
	for (p = text; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return vsdk__error_set(VSDK_EINVALID,
					       "URI: contains a space or control character at offset %d (escape it as %%XX)",
					       (int)(p - text));
	p = strstr(text, "://");
	if (!p || p == text)
		return vsdk__error_set(VSDK_EINVALID, "URI: '%s' has no scheme (expected e.g. esx://host/)", text);
	u->scheme = malloc((size_t)(p - text) + 1);
	if (!u->scheme)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (size_t i = 0; i < (size_t)(p - text); i++) {
		char c = text[i];

		u->scheme[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	u->scheme[p - text] = '\0';

	auth = p + 3;
	auth_end = auth + strcspn(auth, "/?#");
	if (auth_end[0] == '#') {
		rc = vsdk__error_set(VSDK_EINVALID, "URI: fragments ('#') are not allowed");
		goto fail;
	}
	for (const char *c = auth; c < auth_end; c++)
		if (*c == '@')
			at = c;
	if (at) {
		if (at == auth) {
			rc = vsdk__error_set(VSDK_EINVALID, "URI: empty user name before '@'");
			goto fail;
		}
		if ((rc = decode(auth, (size_t)(at - auth), "user", &u->user)))
			goto fail;
		host = at + 1;
	} else {
		host = auth;
	}
	if (*host == '[') {
		host_end = memchr(host, ']', (size_t)(auth_end - host));
		if (!host_end) {
			rc = vsdk__error_set(VSDK_EINVALID, "URI: unterminated '[' in IPv6 host");
			goto fail;
		}
		u->host = strndup(host + 1, (size_t)(host_end - host - 1));
		host_end++;
		if (host_end < auth_end && *host_end != ':') {
			rc = vsdk__error_set(VSDK_EINVALID, "URI: unexpected text after ']'");
			goto fail;
		}
		colon = host_end < auth_end ? host_end : NULL;
	} else {
		colon = memchr(host, ':', (size_t)(auth_end - host));
		host_end = colon ? colon : auth_end;
		u->host = strndup(host, (size_t)(host_end - host));
	}
	if (!u->host) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto fail;
	}
	if (!*u->host) {
		rc = vsdk__error_set(VSDK_EINVALID, "URI: no host name");
		goto fail;
	}
	for (const char *c = u->host; *c; c++) {
		if (!(((*c | 32) >= 'a' && (*c | 32) <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '.' || *c == ':' || *c == '_' || (*c == '%' && strchr(u->host, ':')))) {
			/* '%' only as an IPv6 zone separator ([fe80::1%eth0]); a name is never %-escaped. */
			rc = vsdk__error_set(VSDK_EINVALID, "URI: invalid character '%c' in host name", *c);
			goto fail;
		}
	}
	if (colon) {
		char *end;
		long port;

		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (end != auth_end || colon + 1 == auth_end || port < 1 || port > 65535 || errno) {
			rc = vsdk__error_set(VSDK_EINVALID, "URI: invalid port '%.*s' (expected 1-65535)",
					     (int)(auth_end - colon - 1), colon + 1);
			goto fail;
		}
		u->port = (int)port;
	}
	p = auth_end;
	if (*p == '/') {
		const char *q = strchr(p, '?');
		size_t n = q ? (size_t)(q - p - 1) : strlen(p + 1);

		if (n > 0 && (rc = decode(p + 1, n, "path", &u->path)))
			goto fail;
		p = q ? q : p + 1 + n;
	}
	if (*p == '?' && (rc = parse_params(u, p + 1)))
		goto fail;
	return VSDK_OK;
fail:
	vsdk__uri_free(u);
	return rc;
}

const char *vsdk__uri_param(vsdk_uri *u, const char *key)
{
	for (size_t i = 0; i < u->nparams; i++) {
		if (strcmp(u->params[i].key, key) == 0) {
			u->params[i].used = true;
			return u->params[i].value;
		}
	}
	return NULL;
}

int vsdk__uri_param_bool(vsdk_uri *u, const char *key, bool *out)
{
	const char *v = vsdk__uri_param(u, key);

	if (!v)
		return VSDK_OK;
	if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
		*out = v[0] == '1';
		return VSDK_OK;
	}
	return vsdk__error_set(VSDK_EINVALID, "URI: parameter '%s' must be 0 or 1, not '%s'", key, v);
}

int vsdk__uri_param_int(vsdk_uri *u, const char *key, long min, long max, long *out)
{
	const char *v = vsdk__uri_param(u, key);
	char *end;
	long n;

	if (!v)
		return VSDK_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return vsdk__error_set(VSDK_EINVALID, "URI: parameter '%s' must be a number from %ld to %ld, not '%s'",
				       key, min, max, v);
	*out = n;
	return VSDK_OK;
}

int vsdk__uri_check_unused(const vsdk_uri *u)
{
	for (size_t i = 0; i < u->nparams; i++)
		if (!u->params[i].used)
			return vsdk__error_set(VSDK_EINVALID, "URI: unknown parameter '%s' for %s://",
					       u->params[i].key, u->scheme);
	return VSDK_OK;
}
