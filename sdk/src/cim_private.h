/*
 * vsdk - CIM runtime internals shared by cim.c, cim_xml.c and the WS-Man client.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_CIM_PRIVATE_H
#define VSDK_CIM_PRIVATE_H

#include "vsdk/cim.h"
#include "common_private.h"

struct soap_dom_element;

/* Deepest nesting of embedded instances we decode or encode. */
#define VSDK_CIM_MAX_DEPTH 8

/* Size of one array element / scalar field of @p type. */
size_t vsdk__cim_elem_size(vsdk_cim_type type);
/* Address of a field. */
static inline void *vsdk__cim_field(const void *data, size_t off)
{
	return (char *)data + off;
}
static inline bool *vsdk__cim_present(const vsdk_cim_prop *p, const void *data)
{
	return (bool *)vsdk__cim_field(data, p->present_offset);
}
static inline size_t *vsdk__cim_count(const vsdk_cim_prop *p, const void *data)
{
	return (size_t *)vsdk__cim_field(data, p->count_offset);
}
/* Free one value of @p type at @p ptr (not the storage itself). */
void vsdk__cim_value_free(vsdk_cim_type type, void *ptr);
/* Make room for one more element of array prop p; returns the new slot (zeroed) or NULL. */
void *vsdk__cim_array_push(const vsdk_cim_prop *p, void *data);

/* Parse a scalar from text into *ptr (not for REF/INSTANCE). VSDK_EPARSE names the prop. */
int vsdk__cim_scalar_parse(const vsdk_cim_prop *p, void *ptr, const char *text);
/* Append a scalar's text form (unescaped; not REF/INSTANCE/DATETIME) to b. */
void vsdk__cim_scalar_format(vsdk_buf *b, vsdk_cim_type type, const void *ptr);

/*
 * DOM level (for the WS-Man client): decode the WS-Man instance element
 * @p el into @p data of class @p cls (zeroed first by the caller).
 */
int vsdk__cim_from_dom(void *data, const vsdk_cim_class *cls, struct soap_dom_element *el, int depth);
/* Decode an EPR (a:Address + a:ReferenceParameters children of @p el). */
int vsdk__cim_epr_from_dom(vsdk_cim_epr *epr, struct soap_dom_element *el);
/* Append the EPR children (a:Address, a:ReferenceParameters) to b; a: and w: must be bound. */
void vsdk__cim_epr_to_xml(vsdk_buf *b, const vsdk_cim_epr *epr);
/* Local part of a possibly prefixed XML name. */
const char *vsdk__xml_local(const char *name);

#endif
