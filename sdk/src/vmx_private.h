/*
 * vsdk - VMX internals shared by the syntax layer and the converters.  Never installed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_VMX_PRIVATE_H
#define VSDK_VMX_PRIVATE_H

#include "common_private.h"
#include "vsdk/vmx.h"

/* Line (1-based) where key was read, 0 if set programmatically or absent. */
unsigned vsdk__vmx_line(const vsdk_vmx *vmx, const char *key);

/* Set a parse error at a line: code VSDK_EPARSE, error->line = line. */
int vsdk__vmx_parse_error(unsigned line, const char *fmt, ...) VSDK_PRINTF(2, 3);

/* Is key a syntactically valid VMX key? */
bool vsdk__vmx_key_valid(const char *key);

/* Model helpers shared by the converters (vmx_convert.c). */
void *vsdk__vmx_grow(void **arr, size_t *n, size_t elsz);
int vsdk__vmx_uuid_parse(unsigned char uuid[16], const char *s);
int vsdk__vmx_int(const char *s, int64_t *out);
int vsdk__vmx_mac_norm(char out[18], const char *s);
vsdk_vm_mac_type vsdk__vmx_mac_derive(const char *mac, bool *check);

#endif
