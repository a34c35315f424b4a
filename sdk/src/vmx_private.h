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

#endif
