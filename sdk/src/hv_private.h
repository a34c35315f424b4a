/*
 * vsdk - Hyper-V layer internals: the per-session state and shared helpers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_HV_PRIVATE_H
#define VSDK_HV_PRIVATE_H

#include "session_private.h"
#include "wsman_private.h"
#include "cim_private.h"
#include "vsdk/hyperv.h"

struct vsdk_hv {
	vsdk_wsman ws;
	vsdk_cim_transport tr;
	vsdk_cim_epr vsms;     /* cached EPR of the management service */
	bool have_vsms;
};

/* The session's Hyper-V state, or NULL with VSDK_EINVALID naming fn. */
struct vsdk_hv *vsdk__hv_of(vsdk_session *s, const char *fn);

/*
 * Invoke method m on target, decoding the <M_OUTPUT> into out (a zeroed
 * struct of m->out; clear it with vsdk_cim_clear(m->out, out) afterwards).
 */
int vsdk__hv_invoke(struct vsdk_hv *hv, const vsdk_cim_method *m, const vsdk_cim_epr *target, const void *in,
		    void *out);

/* Decode an instance element into a new instance (class from the element name). */
int vsdk__hv_decode(struct soap_dom_element *el, const vsdk_cim_class *expect, vsdk_cim_instance **out);

/* Query helper: all results as instances of expect (or subclasses). */
int vsdk__hv_query(struct vsdk_hv *hv, const char *wql, const vsdk_cim_class *expect, unsigned page,
		   vsdk_cim_instance ***out, size_t *n);

/* The cached EPR of the management service (fetched on first use). */
int vsdk__hv_vsms_epr(vsdk_session *s, struct vsdk_hv *hv, const vsdk_cim_epr **out);

#endif
