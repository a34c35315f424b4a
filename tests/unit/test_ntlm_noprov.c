/*
 * Without OpenSSL's legacy provider (MD4, RC4) NTLM reports a clear
 * VSDK_EUNSUPPORTED naming it, instead of failing somewhere inside a hash.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vtest.h"
#include "ntlm_private.h"

#include <stdlib.h>
#include <string.h>

static void test_ntlm__missing_legacy_provider_is_eunsupported_naming_it(void)
{
	uint8_t h[16];

	CU_ASSERT_EQUAL(vsdk__ntlm_crypto_init(), VSDK_EUNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "\"legacy\" provider"));
	CU_ASSERT_EQUAL(vsdk__ntlm_nt_hash("Password", h), VSDK_EUNSUPPORTED);
	CU_ASSERT_PTR_NULL(vsdk__ntlm_client_new("admin", "", "secret", NULL));
	CU_ASSERT_EQUAL(vsdk_error_last()->code, VSDK_EUNSUPPORTED);
}

static int init(void)
{
	/* before OpenSSL looks for any provider module */
	return setenv("OPENSSL_MODULES", "/nonexistent/vsdk-test", 1);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_ntlm__missing_legacy_provider_is_eunsupported_naming_it),
		VTEST_END
	};
	return vtest_main("ntlm_noprov", cases, init, NULL);
}
