/*
 * libFuzzer target: the VMX parser, its formatter and the VMX -> model ->
 * domain XML conversion.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vsdk/vmx.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vsdk_vmx *vmx = NULL;
	char *text = NULL, *xml = NULL;

	if (vsdk_vmx_parse(&vmx, (const char *)data, size, 0) == VSDK_OK) {
		if (vsdk_vmx_format(&text, vmx) == VSDK_OK)
			free(text);
		vsdk_vmx_free(vmx);
	}
	vmx = NULL;
	if (vsdk_vmx_parse(&vmx, (const char *)data, size, VSDK_VMX_PARSE_DUPLICATE_LAST) == VSDK_OK)
		vsdk_vmx_free(vmx);
	if (vsdk_vmx_to_domain_xml(&xml, (const char *)data, size, NULL) == VSDK_OK)
		free(xml);
	return 0;
}
