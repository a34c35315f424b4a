/*
 * vsdk - placeholder for the Hyper-V layer until it lands: hyperv:// URIs
 * are parsed but refused.  Removed when sdk/src/hv_session.c arrives.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "session_private.h"

int vsdk__hv_open(vsdk_session *s)
{
	(void)s;
	return vsdk__error_set(VSDK_EUNSUPPORTED, "hyperv:// sessions are not implemented in this build yet");
}

void vsdk__hv_close(vsdk_session *s)
{
	(void)s;
}
