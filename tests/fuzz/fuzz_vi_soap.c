/*
 * libFuzzer target: VI SOAP response decoding through the receive path a
 * session uses - a transport context (limits, DOM_NODE, gzip) reading an
 * HTTP response from memory, the generated RetrievePropertiesEx
 * deserializer, the property value text, and on a fault vsdk__vi_fault.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vi_private.h"
#include "vsdk/vi.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vsdk_fuzz_vi_decode(const uint8_t *data, size_t size);

int vsdk_fuzz_vi_decode(const uint8_t *data, size_t size)
{
	vsdk_transport_cfg cfg;
	vsdk_session s;
	struct _vim25__RetrievePropertiesExResponse resp;
	char *text = malloc(size + 1);
	int rc;

	if (!text)
		return -1;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "fuzz.invalid";
	cfg.port = 80;
	cfg.max_response_bytes = 1 << 20;
	cfg.max_xml_depth = 64;
	memset(&s, 0, sizeof(s));
	s.uri.host = (char *)"fuzz.invalid";
	s.soap = vsdk__transport_new(&cfg);
	if (!s.soap) {
		free(text);
		return -1;
	}
	soap_set_imode(s.soap, SOAP_DOM_NODE);
	soap_set_mode(s.soap, SOAP_C_UTFSTRING); /* as vsdk__vi_open */
	s.soap->is = text;
	memset(&resp, 0, sizeof(resp));
	if (soap_recv___vim25__RetrievePropertiesEx(s.soap, &resp) == SOAP_OK) {
		struct vim25__RetrieveResult *r = resp.returnval;

		for (int i = 0; r && i < r->__sizeobjects; i++)
			for (int j = 0; j < r->objects[i].__sizepropSet; j++)
				(void)vsdk__vi_value_text(&s, &r->objects[i].propSet[j].val);
		rc = 0;
	} else {
		rc = vsdk__vi_fault(&s, "RetrievePropertiesEx", false);
	}
	vsdk__transport_free(s.soap);
	free(text);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vsdk_fuzz_vi_decode(data, size);
	return 0;
}
