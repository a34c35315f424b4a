/*
 * Injection: hostile VM names and VMX strings (quotes, backslashes, `]]>`,
 * newlines, `|`, overlong) are escaped so they cannot add keys or elements,
 * and hostile URIs (control characters, NUL, header-splitting CR/LF,
 * overlong) are refused with an error naming the part.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "vsdk/session.h"
#include "vsdk/vmx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hostile[] = {
	"a\"b",
	"back\\slash\\",
	"new\nline = \"injected\"",
	"cr\rlf\r\nguestOS = \"evil\"",
	"cdata ]]> <x/> &amp; <!--",
	"pipe |22 |0A |7C",
	"tab\tand \x01 control",
	"=\"\"\n.encoding = \"Shift_JIS\"",
};

static void test_injection__hostile_display_name_cannot_inject_key(void)
{
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		vsdk_vmx *vmx = NULL, *back = NULL;
		char *text = NULL;
		int rc;

		CU_ASSERT_EQUAL_FATAL(vsdk_vmx_new(&vmx), VSDK_OK);
		CU_ASSERT_EQUAL(vsdk_vmx_set(vmx, "config.version", "8"), VSDK_OK);
		rc = vsdk_vmx_set(vmx, "displayName", hostile[i]);
		CU_ASSERT(rc == VSDK_OK || rc == VSDK_EINVALID);
		if (rc == VSDK_OK) {
			CU_ASSERT_EQUAL_FATAL(vsdk_vmx_format(&text, vmx), VSDK_OK);
			CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&back, text, strlen(text), 0), VSDK_OK);
			/* Same keys back (plus the .encoding the formatter writes), the value intact. */
			CU_ASSERT_EQUAL(vsdk_vmx_count(back), vsdk_vmx_count(vmx) + (vsdk_vmx_get(vmx, ".encoding") ? 0 : 1));
			CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "displayName"), hostile[i]);
			CU_ASSERT_PTR_NULL(vsdk_vmx_get(back, "guestOS"));
			CU_ASSERT(!vsdk_vmx_get(back, ".encoding") || strcmp(vsdk_vmx_get(back, ".encoding"), "UTF-8") == 0);
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "displayName"));
		}
		free(text);
		vsdk_vmx_free(back);
		vsdk_vmx_free(vmx);
	}
}

static void test_injection__hostile_vmx_keys_refused(void)
{
	static const char *const keys[] = { "a\nb", "a = b", "a\"b", "", "a b", "x]]>" };
	vsdk_vmx *vmx = NULL;

	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_new(&vmx), VSDK_OK);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CU_ASSERT_EQUAL(vsdk_vmx_set(vmx, keys[i], "v"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_count(vmx), 0);
	vsdk_vmx_free(vmx);
}

static void test_injection__overlong_vmx_value_round_trips(void)
{
	size_t n = 1 << 20;
	char *big = malloc(n + 1), *text = NULL;
	vsdk_vmx *vmx = NULL, *back = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	for (size_t i = 0; i < n; i++)
		big[i] = "\"\\\n|]>a"[i % 7];
	big[n] = '\0';
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_new(&vmx), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_set(vmx, "annotation", big), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_format(&text, vmx), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&back, text, strlen(text), 0), VSDK_OK);
	CU_ASSERT_PTR_NULL(vsdk_vmx_get(back, "a"));
	CU_ASSERT(vsdk_vmx_get(back, "annotation") && strcmp(vsdk_vmx_get(back, "annotation"), big) == 0);
	vsdk_vmx_free(back);
	vsdk_vmx_free(vmx);
	free(text);
	free(big);
}

static void test_injection__vmx_text_with_nul_refused(void)
{
	static const char text[] = "displayName = \"a\0b\"\nguestOS = \"x\"\n";
	vsdk_vmx *vmx = NULL;

	CU_ASSERT_EQUAL(vsdk_vmx_parse(&vmx, text, sizeof(text) - 1, 0), VSDK_EPARSE);
	CU_ASSERT_PTR_NULL(vmx);
}

/* A hostile <name> cannot add elements to the domain XML, nor keys to the VMX made from it. */
static void test_injection__hostile_vm_name_escaped_in_domain_xml_and_vmx(void)
{
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		vsdk_vm_config *cfg = NULL, *back = NULL;
		char *xml = NULL;
		int rc;

		CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_new(&cfg), VSDK_OK);
		cfg->name = strdup(hostile[i]);
		cfg->memory_kib = 1 << 20;
		cfg->vcpus = 1;
		rc = vsdk_vm_config_to_xml(&xml, cfg);
		if (strpbrk(hostile[i], "\x01")) {
			/* Control characters cannot be written as XML 1.0: refused, naming the element. */
			CU_ASSERT_EQUAL(rc, VSDK_EINVALID);
			CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "name"));
		} else {
			CU_ASSERT_EQUAL_FATAL(rc, VSDK_OK);
			CU_ASSERT_PTR_NULL(strstr(xml, "]]>"));
			CU_ASSERT_PTR_NULL(strstr(xml, "<x/>"));
			CU_ASSERT_EQUAL(vsdk_vm_config_from_xml(&back, xml), VSDK_OK);
			if (back)
				CU_ASSERT_STRING_EQUAL(back->name, hostile[i]);
		}
		vsdk_vm_config_free(back);
		vsdk_vm_config_free(cfg);
		free(xml);
	}
}

static void test_injection__hostile_uris_refused_naming_the_part(void)
{
	static const struct {
		const char *uri, *expect;
	} cases[] = {
		{ "esx://ro%0D%0AX-Injected:%201@host/", "user" },
		{ "esx://root%00@host/", "user" },
		{ "esx://root@ho%0Ast/", "host name" },
		{ "esx://root@host\r\nX-Injected: 1/", "control character" },
		{ "esx://root@ho\"st/", "host name" },
		{ "esx://root@host/?proxy=evil%0D%0AHost:%20x", "parameter" },
		{ "esx://root@host/?no_verify=1%0A", "parameter" },
		{ "vpx://root@host/dc%0A1", "path" },
	};
	vsdk_session *s = NULL;
	char *longuri;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(vsdk_session_open(&s, cases[i].uri, NULL), VSDK_EINVALID);
		CU_ASSERT_PTR_NULL(s);
		if (!strstr(vsdk_error_last()->message, cases[i].expect))
			fprintf(stdout, "\n  %s: '%s' lacks '%s'\n", cases[i].uri, vsdk_error_last()->message, cases[i].expect);
		CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, cases[i].expect));
	}
	/* Overlong: refused before any work, with the limit named. */
	longuri = malloc(100000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(longuri);
	strcpy(longuri, "esx://root@");
	memset(longuri + 11, 'a', 99970);
	strcpy(longuri + 99981, ".example/");
	CU_ASSERT_EQUAL(vsdk_session_open(&s, longuri, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "longer than"));
	free(longuri);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_injection__hostile_display_name_cannot_inject_key),
		VTEST_CASE(test_injection__hostile_vmx_keys_refused),
		VTEST_CASE(test_injection__overlong_vmx_value_round_trips),
		VTEST_CASE(test_injection__vmx_text_with_nul_refused),
		VTEST_CASE(test_injection__hostile_vm_name_escaped_in_domain_xml_and_vmx),
		VTEST_CASE(test_injection__hostile_uris_refused_naming_the_part),
		VTEST_END
	};
	return vtest_main("injection", cases, NULL, NULL);
}
