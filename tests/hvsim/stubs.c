/*
 * hvsim - weak fallbacks for CIM runtime functions the generated tables
 * reference, so hvsim links before (and after) sdk/src/cim.c exists.
 * hvsim itself never calls them.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hvsim.h"

__attribute__((weak)) int vsdk_cim_invoke(const vsdk_cim_transport *t, const vsdk_cim_method *m,
					  const vsdk_cim_epr *target, const void *in, void *out)
{
	(void)t, (void)m, (void)target, (void)in, (void)out;
	return VSDK_EUNSUPPORTED;
}

__attribute__((weak)) const char *vsdk_cim_valuemap_name(const vsdk_cim_valuemap *vm, long long value)
{
	(void)vm, (void)value;
	return NULL;
}
