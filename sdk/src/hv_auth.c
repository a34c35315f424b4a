/*
 * vsdk - Hyper-V authentication selection (hyperv://...?auth=basic|ntlm|negotiate)
 * and the WS-Man exchange over NTLM with MS-WSMV message encryption.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"
#include "ntlm_http_private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vsdk__hv_auth_parse(vsdk_session *s, vsdk_hv_auth *mode)
{
	const char *v = vsdk__uri_param(&s->uri, "auth");

	if (!v) {
		/* WinRM's defaults: over HTTP only Negotiate with message encryption
		 * is accepted (AllowUnencrypted=false); over HTTPS Basic is simplest. */
		*mode = s->tcfg.https ? VSDK_HV_AUTH_BASIC : VSDK_HV_AUTH_NEGOTIATE;
		return VSDK_OK;
	}
	if (vsdk__streq_ci(v, "basic"))
		*mode = VSDK_HV_AUTH_BASIC;
	else if (vsdk__streq_ci(v, "ntlm"))
		*mode = VSDK_HV_AUTH_NTLM;
	else if (vsdk__streq_ci(v, "negotiate"))
		*mode = VSDK_HV_AUTH_NEGOTIATE;
	else
		return vsdk__error_set(VSDK_EINVALID, "URI: parameter 'auth' must be basic, ntlm or negotiate, not '%s'", v);
	return VSDK_OK;
}

int vsdk__ntlm_split_user(const char *spec, char **user, char **domain)
{
	const char *bs = strchr(spec, '\\'), *at = strrchr(spec, '@');

	*user = *domain = NULL;
	if (bs) {
		*domain = strndup(spec, (size_t)(bs - spec));
		*user = strdup(bs + 1);
	} else if (at) {
		*user = strndup(spec, (size_t)(at - spec));
		*domain = strdup(at + 1);
	} else {
		*user = strdup(spec);
		*domain = strdup("");
	}
	if (!*user || !*domain) {
		free(*user);
		free(*domain);
		*user = *domain = NULL;
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	if (!**user) {
		free(*user);
		free(*domain);
		*user = *domain = NULL;
		return vsdk__error_set(VSDK_EINVALID, "NTLM: the user name '%s' has an empty user part", spec);
	}
	return VSDK_OK;
}

int vsdk__wsman_ntlm_enable(vsdk_wsman *ws, vsdk_hv_auth mode)
{
	char *user = NULL, *domain = NULL, host[64] = "", ws_name[16] = "";
	vsdk_ntlm *ctx;
	int rc;

	if (!ws->user || !*ws->user)
		return vsdk__error_set(VSDK_EINVALID, "NTLM: a user name is required (hyperv://DOMAIN%%5Cuser@host or "
						      "user@domain@host)");
	if ((rc = vsdk__ntlm_split_user(ws->user, &user, &domain)))
		return rc;
	/* Our NetBIOS-style workstation name (informational only). */
	if (gethostname(host, sizeof(host) - 1) == 0) {
		size_t i;

		for (i = 0; host[i] && host[i] != '.' && i < 15; i++)
			ws_name[i] = (char)toupper((unsigned char)host[i]);
		ws_name[i] = '\0';
	}
	ctx = vsdk__ntlm_client_new(user, domain, ws->password ? ws->password : "", ws_name);
	free(user);
	free(domain);
	if (!ctx)
		return vsdk_error_last()->code;
	ws->ntlm = vsdk__ntlm_http_attach(ws->soap, ctx, false);
	if (!ws->ntlm) {
		vsdk__ntlm_free(ctx);
		return vsdk_error_last()->code;
	}
	snprintf(ws->ntlm->scheme, sizeof(ws->ntlm->scheme), "%s", mode == VSDK_HV_AUTH_NTLM ? "NTLM" : "Negotiate");
	return VSDK_OK;
}

void vsdk__wsman_ntlm_disable(vsdk_wsman *ws)
{
	if (ws->ntlm) {
		vsdk__ntlm_http_detach(ws->ntlm);
		ws->ntlm = NULL;
	}
}

int vsdk__wsman_ntlm_send_recv(vsdk_wsman *ws, const char *what, struct soap_dom_element *env,
			       struct soap_dom_element **resp)
{
	struct soap *soap = ws->soap;
	struct soap_dom_element *root;
	const char *xml = NULL;
	int rc, err, keep;

	/* serialize the envelope to a string (gSOAP's C string output) */
	soap->os = &xml;
	err = soap_begin_send(soap) || soap_out_xsd__anyType(soap, NULL, 0, env, NULL) || soap_end_send(soap);
	soap->os = NULL;
	if (err || !xml)
		return vsdk__error_set(VSDK_ENOMEM, "%s: cannot serialize the request", what);
	if ((rc = vsdk__ntlm_http_send(ws->ntlm, ws->endpoint, xml, strlen(xml), what)))
		return rc;
	ws->requests++;
	keep = soap->keep_alive;
	root = soap_elt_new(soap, NULL, NULL);
	if (!root)
		return vsdk__error_set(VSDK_ENOMEM, "%s: out of memory", what);
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, root, NULL) || soap_end_recv(soap)) {
		int status = soap->status;

		if (ws->ntlm->failed) {
			rc = ws->ntlm->failed;
			vsdk__error_prefix("%s", what);
		} else if (soap->error == 401 || status == 401) {
			/* The server dropped our security context: authenticate again next time. */
			ws->ntlm->auth_conn = 0;
			rc = vsdk__error_set(VSDK_EAUTH, "%s: %s refused the NTLM-sealed request (HTTP 401)", what,
					     ws->endpoint);
			vsdk__error_mut()->http_status = 401;
		} else if (!ws->ntlm->msg_encrypted && (soap->error == SOAP_NO_DATA || soap->error == SOAP_EOF) &&
			   status >= 400) {
			rc = vsdk__error_set(VSDK_EPROTO, "%s: %s answered HTTP %d without an encrypted body", what,
					     ws->endpoint, status);
			vsdk__error_mut()->http_status = status;
		} else {
			rc = vsdk__transport_error(soap, what);
		}
		soap_closesock(soap);
		return rc;
	}
	if (!ws->ntlm->msg_encrypted)
		vsdk__log(VSDK_LOG_WARN, "%s: %s answered without message encryption", what, ws->endpoint);
	vsdk__ntlm_http_keep(ws->ntlm, keep); /* a fault (HTTP 500) keeps the authenticated connection */
	soap_closesock(soap);
	*resp = root;
	return VSDK_OK;
}
