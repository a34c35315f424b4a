/*
 * libFuzzer target: WS-Man response decoding - the client's envelope parse
 * and fault decoding (vsdk__ws_parse, vsdk__wsman_fault) on a transport
 * context with the session limits, then the instances of an Enumerate/Pull
 * response and a single Get response against the generated Hyper-V schema,
 * and re-encoding what was accepted.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vsdk/cim.h"
#include "hyperv_v2.h"
#include "transport_private.h"
#include "wsman_private.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const vsdk_cim_class *cs = vsdk_cim_class_find(&vsdk_hv_schema, "CIM_ComputerSystem");
	const vsdk_cim_class *vssd = vsdk_cim_class_find(&vsdk_hv_schema, "Msvm_VirtualSystemSettingData");
	vsdk_cim_instance **v = NULL, *one = NULL;
	size_t n = 0;

	if (!cs || !vssd)
		abort();
	{
		vsdk_transport_cfg cfg = { .host = "fuzz.invalid", .port = 80, .max_xml_depth = 64,
					   .max_response_bytes = 1 << 20 };
		struct soap *soap = vsdk__transport_new(&cfg);
		struct soap_dom_element *root = NULL, *body, *fault;

		if (soap) {
			if (vsdk__ws_parse(soap, (const char *)data, size, &root) == VSDK_OK && root &&
			    (body = vsdk__ws_child(root, NULL, "Body")) && (fault = vsdk__ws_child(body, NULL, "Fault")))
				vsdk__wsman_fault(fault, "fuzz", 500);
			vsdk__transport_free(soap);
		}
	}
	if (vsdk_cim_instances_from_wsman(&v, &n, &vsdk_hv_schema, cs, (const char *)data, size) == VSDK_OK) {
		for (size_t i = 0; i < n; i++) {
			vsdk_cim_epr epr = { 0 };

			if (vsdk_cim_instance_epr(&epr, v[i]) == VSDK_OK)
				vsdk_cim_epr_clear(&epr);
			vsdk_cim_free(v[i]);
		}
		free(v);
	}
	if (vsdk_cim_instance_from_wsman(&one, &vsdk_hv_schema, vssd, (const char *)data, size) == VSDK_OK) {
		char *out = NULL;

		if (vsdk_cim_to_cimxml(&out, one) == VSDK_OK)
			free(out);
		vsdk_cim_free(one);
	}
	return 0;
}
