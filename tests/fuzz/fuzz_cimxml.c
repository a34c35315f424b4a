/*
 * libFuzzer target: the CIM-XML INSTANCE parser against the generated
 * Hyper-V schema, and re-encoding what it accepted.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vsdk/cim.h"
#include "hyperv_v2.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const vsdk_cim_class *fallback = vsdk_cim_class_find(&vsdk_hv_schema, "Msvm_KvpExchangeDataItem");
	vsdk_cim_instance *inst = NULL;
	char *out = NULL;

	if (vsdk_cim_from_cimxml(&inst, &vsdk_hv_schema, (size & 1) ? fallback : NULL, (const char *)data, size) ==
	    VSDK_OK) {
		if (vsdk_cim_to_cimxml(&out, inst) == VSDK_OK)
			free(out);
		vsdk_cim_free(inst);
	}
	return 0;
}
