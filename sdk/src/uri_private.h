/*
 * vsdk - connection URI parsing.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_URI_PRIVATE_H
#define VSDK_URI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vsdk_uri_param {
	char *key;
	char *value;
	bool used; /* set by the consumer; leftovers are "unknown parameter" */
} vsdk_uri_param;

typedef struct vsdk_uri {
	char *scheme;  /* lower-case */
	char *user;    /* percent-decoded, or NULL */
	char *host;    /* without brackets for IPv6 */
	int port;      /* 0 when absent */
	char *path;    /* percent-decoded, without the leading '/', or NULL */
	vsdk_uri_param *params;
	size_t nparams;
} vsdk_uri;

/* Parse text; on failure sets VSDK_EINVALID naming what is wrong. */
int vsdk__uri_parse(vsdk_uri *out, const char *text);
void vsdk__uri_free(vsdk_uri *u);

/* Look up (and mark used) a parameter; NULL when absent. */
const char *vsdk__uri_param(vsdk_uri *u, const char *key);
/* A 0|1 parameter: *out untouched when absent; VSDK_EINVALID when malformed. */
int vsdk__uri_param_bool(vsdk_uri *u, const char *key, bool *out);
/* A non-negative integer parameter within [min,max]. */
int vsdk__uri_param_int(vsdk_uri *u, const char *key, long min, long max, long *out);
/* VSDK_EINVALID naming the first parameter nobody consumed. */
int vsdk__uri_check_unused(const vsdk_uri *u);

#endif
