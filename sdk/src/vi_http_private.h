/*
 * vsdk - datastore file transfer over the VI endpoint's HTTP server.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_VI_HTTP_PRIVATE_H
#define VSDK_VI_HTTP_PRIVATE_H

#include "vi_private.h"

/*
 * The URL of a datastore file: <endpoint host>/folder/<path>?dcPath=<dc>&dsName=<ds>
 * (path: relative to the datastore root; every part percent-encoded).
 */
int vsdk__vi_folder_url(char **url, vsdk_session *s, const char *dc, const char *ds, const char *path);

/*
 * One HTTP exchange on the session's connection, with its session cookie:
 * command SOAP_GET, SOAP_PUT (body, len) or SOAP_DEL.  On success the
 * response body is returned in *out (malloc'd, NUL-terminated) when out is
 * not NULL.  HTTP 404 -> VSDK_ENOTFOUND, 401/403 -> VSDK_EAUTH, others
 * VSDK_EIO (http_status set).
 */
int vsdk__vi_http(vsdk_session *s, int command, const char *url, const char *body, size_t len, char **out,
		  size_t *outlen, const char *what);

#endif
