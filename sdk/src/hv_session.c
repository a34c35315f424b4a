/*
 * vsdk - Hyper-V sessions: open (endpoint, credentials, authenticated
 * Identify) and close, and the CIM runtime's transport over WS-Man.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vsdk_hv *vsdk__hv_of(vsdk_session *s, const char *fn)
{
	if (!vsdk__session_is_hv(s, fn))
		return NULL;
	return s->hv;
}

int vsdk__hv_open(vsdk_session *s)
{
	bool ipv6 = strchr(s->uri.host, ':') != NULL;
	char *protocol = NULL, *vendor = NULL, *version = NULL;
	int rc;

	if ((rc = vsdk__uri_check_unused(&s->uri)))
		return rc;
	if (s->uri.path && *s->uri.path)
		vsdk__log(VSDK_LOG_WARN, "hyperv:// ignores the URI path '%s' (the endpoint is /wsman)", s->uri.path);
	if ((rc = vsdk__session_credentials(s, "Administrator")))
		return rc;
	if (!s->tcfg.https)
		vsdk__log(VSDK_LOG_WARN, "transport=http: Basic credentials and all data to %s travel unencrypted; "
			  "the host must allow it (winrm/config/service AllowUnencrypted=true)", s->uri.host);
	if (asprintf(&s->endpoint, "%s://%s%s%s:%d/wsman", s->tcfg.https ? "https" : "http", ipv6 ? "[" : "",
		     s->uri.host, ipv6 ? "]" : "", s->tcfg.port) < 0) {
		s->endpoint = NULL;
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	s->hv = calloc(1, sizeof(*s->hv));
	if (!s->hv)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	s->soap = vsdk__transport_new(&s->tcfg);
	if (!s->soap)
		return vsdk_error_last()->code;
	if ((rc = vsdk__wsman_init(&s->hv->ws, s->soap, s->endpoint, s->username, s->password)))
		return rc;
	s->hv->tr.invoke = vsdk__wsman_cim_invoke;
	s->hv->tr.ctx = &s->hv->ws;
	rc = vsdk__wsman_identify(&s->hv->ws, &protocol, &vendor, &version);
	if (rc) {
		vsdk__error_prefix("opening %s", s->endpoint);
		return rc;
	}
	if (asprintf(&s->product, "%s%s%s", vendor ? vendor : "", vendor && version ? " " : "",
		     version ? version : "") < 0)
		s->product = NULL;
	s->api_version = protocol ? protocol : vsdk__strdup("");
	free(vendor);
	free(version);
	if (!s->product || !s->api_version)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	vsdk__log(VSDK_LOG_INFO, "connected to %s (%s, %s)", s->endpoint, s->product, s->api_version);
	vsdk_error_clear();
	return VSDK_OK;
}

void vsdk__hv_close(vsdk_session *s)
{
	if (!s->hv)
		return;
	vsdk_cim_epr_clear(&s->hv->vsms);
	vsdk__wsman_fini(&s->hv->ws);
	free(s->hv);
	s->hv = NULL;
}

VSDK_API const vsdk_cim_transport *vsdk_hv_transport(vsdk_session *s)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_transport");

	return hv ? &hv->tr : NULL;
}

VSDK_API vsdk_hv_stats vsdk_hv_stats_get(const vsdk_session *s)
{
	vsdk_hv_stats st = { 0, 0 };

	if (s && s->kind == VSDK_SESSION_HYPERV && s->hv) {
		st.requests = s->hv->ws.requests;
		st.bytes_received = s->hv->ws.bytes_received;
	}
	return st;
}
