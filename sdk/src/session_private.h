/*
 * vsdk - the session object shared by the VI and Hyper-V layers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_SESSION_PRIVATE_H
#define VSDK_SESSION_PRIVATE_H

#include "vsdk/session.h"
#include "common_private.h"
#include "transport_private.h"
#include "uri_private.h"

struct vsdk_vi;
struct vsdk_hv;

struct vsdk_session {
	vsdk_session_kind kind;
	vsdk_uri uri;
	vsdk_transport_cfg tcfg;
	struct soap *soap;      /* this session's gSOAP context (one thread at a time) */
	char *endpoint;         /* e.g. https://host:443/sdk */
	char *username;
	char *password;         /* wiped on close */
	char *product;
	char *api_version;
	bool auto_answer;
	char *vcenter;          /* vcenter= parameter (VI, esx://) */
	vsdk_session_options opts;
	char *ca_file, *ca_dir; /* owned copies of opts strings */
	struct vsdk_vi *vi;
	struct vsdk_hv *hv;
};

/* Fill username/password from the callback or URI user + VSDK_PASSWORD. */
int vsdk__session_credentials(vsdk_session *s, const char *default_user);

/* Per-protocol open/close, called by vsdk_session_open/close. */
int vsdk__vi_open(vsdk_session *s);
void vsdk__vi_close(vsdk_session *s);
int vsdk__hv_open(vsdk_session *s);
void vsdk__hv_close(vsdk_session *s);

/* True when s is non-NULL and of a VI kind (esx/gsx/vpx); else sets EINVALID. */
bool vsdk__session_is_vi(const vsdk_session *s, const char *fn);
bool vsdk__session_is_hv(const vsdk_session *s, const char *fn);

#endif
