/*
 * libFuzzer target: the domain XML parser (vsdk_vm_config_from_xml) and the
 * domain XML -> VMX conversion.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vsdk/vmx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1), *out = NULL;
	vsdk_vm_config *cfg = NULL;

	if (!xml)
		return 0;
	memcpy(xml, data, size);
	xml[size] = '\0';
	if (vsdk_vm_config_from_xml(&cfg, xml) == VSDK_OK) {
		if (vsdk_vm_config_to_xml(&out, cfg) == VSDK_OK)
			free(out);
		vsdk_vm_config_free(cfg);
	}
	out = NULL;
	if (vsdk_vmx_from_domain_xml(&out, xml, NULL) == VSDK_OK)
		free(out);
	free(xml);
	return 0;
}
