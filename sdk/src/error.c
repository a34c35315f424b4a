/*
 * vsdk - return codes and the per-thread error detail.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common_private.h"

#include <stdio.h>
#include <string.h>

static _Thread_local vsdk_error tls_error;

vsdk_error *vsdk__error_mut(void)
{
	return &tls_error;
}

VSDK_API const vsdk_error *vsdk_error_last(void)
{
	return &tls_error;
}

VSDK_API void vsdk_error_clear(void)
{
	memset(&tls_error, 0, sizeof(tls_error));
}

int vsdk__error_vset(int code, const char *fmt, va_list ap)
{
	vsdk_error *e = &tls_error;

	memset(e, 0, sizeof(*e));
	e->code = code;
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	/* Keep the message on one line. */
	for (char *p = e->message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	vsdk__log(VSDK_LOG_DEBUG, "error %s: %s", vsdk_code_name(code), e->message);
	return code;
}

int vsdk__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsdk__error_vset(code, fmt, ap);
	va_end(ap);
	return code;
}

void vsdk__error_prefix(const char *fmt, ...)
{
	char old[VSDK_ERROR_MESSAGE_MAX];
	size_t n;
	va_list ap;

	memcpy(old, tls_error.message, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(tls_error.message, sizeof(tls_error.message), fmt, ap);
	va_end(ap);
	n = strlen(tls_error.message);
	if (n + 2 < sizeof(tls_error.message)) {
		memcpy(tls_error.message + n, ": ", 2);
		n += 2;
		memcpy(tls_error.message + n, old, sizeof(tls_error.message) - n - 1);
		tls_error.message[sizeof(tls_error.message) - 1] = '\0';
	}
}

static const struct {
	int code;
	const char *name;
	const char *text;
} codes[] = {
	{ VSDK_OK, "VSDK_OK", "success" },
	{ VSDK_EINVALID, "VSDK_EINVALID", "invalid argument" },
	{ VSDK_ENOMEM, "VSDK_ENOMEM", "out of memory" },
	{ VSDK_EIO, "VSDK_EIO", "connection or transport failure" },
	{ VSDK_ETLS, "VSDK_ETLS", "TLS or certificate verification failure" },
	{ VSDK_EAUTH, "VSDK_EAUTH", "authentication failed" },
	{ VSDK_EFAULT, "VSDK_EFAULT", "the server returned a fault" },
	{ VSDK_ENOTFOUND, "VSDK_ENOTFOUND", "object not found" },
	{ VSDK_ETIMEOUT, "VSDK_ETIMEOUT", "timed out" },
	{ VSDK_ESTATE, "VSDK_ESTATE", "invalid state for this operation" },
	{ VSDK_EPARSE, "VSDK_EPARSE", "malformed input" },
	{ VSDK_EUNSUPPORTED, "VSDK_EUNSUPPORTED", "not supported" },
	{ VSDK_ECANCELED, "VSDK_ECANCELED", "cancelled" },
	{ VSDK_EQUESTION, "VSDK_EQUESTION", "a virtual machine question blocks the task" },
	{ VSDK_EJOB, "VSDK_EJOB", "the server-side task or job failed" },
	{ VSDK_ETOOLS, "VSDK_ETOOLS", "guest tools are not running" },
	{ VSDK_EEXISTS, "VSDK_EEXISTS", "object already exists" },
	{ VSDK_EPROTO, "VSDK_EPROTO", "protocol violation in the server's response" },
	{ VSDK_ELIMIT, "VSDK_ELIMIT", "size or count limit exceeded" },
	{ VSDK_EINTERNAL, "VSDK_EINTERNAL", "internal error" },
	{ VSDK_EAMBIGUOUS, "VSDK_EAMBIGUOUS", "more than one object matches" },
};

VSDK_API const char *vsdk_strerror(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].text;
	return "unknown error code";
}

VSDK_API const char *vsdk_code_name(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "VSDK_E?";
}
