/*
 * VI sessions against the vSphere simulator harness (and a raw server for
 * gzip): URIs, login, TLS verification, listing, keep-alive, re-login.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vi_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *tmp;
static vsim_vc esx_http, esx_https, vpx_http;
static char certdir[512];

static int auth_secret(void *payload, const char *host, char **user, char **password)
{
	(void)host;
	if (!*user)
		*user = strdup("root");
	*password = strdup(payload ? (const char *)payload : "secret");
	return VSDK_OK;
}

static int suite_init(void)
{
	char cert[600], key[600];

	tmp = vtest_tmpdir();
	if (!tmp)
		return 1;
	snprintf(certdir, sizeof(certdir), "%s", tmp);
	if (!vsim_make_certs(certdir))
		return 1;
	snprintf(cert, sizeof(cert), "%s/cert.pem", certdir);
	snprintf(key, sizeof(key), "%s/key.pem", certdir);
	if (!vsim_vc_start(&esx_http, "--model", "esx", "--vms", "4", "--user", "root", "--password", "secret", NULL))
		return 1;
	if (!vsim_vc_start(&esx_https, "--model", "esx", "--vms", "2", "--user", "root", "--password", "secret",
			   "--tls-cert", cert, "--tls-key", key, NULL))
		return 1;
	if (!vsim_vc_start(&vpx_http, "--model", "vpx", "--vms", "4", "--user", "root", "--password", "secret", NULL))
		return 1;
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx_http);
	vsim_vc_stop(&esx_https);
	vsim_vc_stop(&vpx_http);
	vtest_rmtree(tmp);
	free(tmp);
	return 0;
}

static int open_uri(vsdk_session **s, const char *scheme, const vsim_vc *vc, const char *params,
		    vsdk_session_options *o)
{
	char uri[512];
	vsdk_session_options def = VSDK_SESSION_OPTIONS_INIT;

	snprintf(uri, sizeof(uri), "%s://root@%s/?%s", scheme, vc->hostport, params);
	if (!o)
		o = &def;
	if (!o->auth)
		o->auth = auth_secret;
	return vsdk_session_open(s, uri, o);
}

static void test_vi_session__http_login_lists_all_vms(void)
{
	vsdk_session *s = NULL;
	char **names = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_http, "transport=http", NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_session_get_kind(s), VSDK_SESSION_ESX);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_session_get_product(s), "ESX"));
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 4);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT(strlen(names[i]) > 0);
		for (size_t j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(names[i], names[j]);
	}
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
}

static void test_vi_session__https_verified_with_ca_file(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char ca[600], **names = NULL;
	size_t n = 0;

	snprintf(ca, sizeof(ca), "%s/ca.pem", certdir);
	o.ca_file = ca;
	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_https, "transport=https", &o), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 2);
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
}

static void test_vi_session__https_wrong_ca_refused_with_advice(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char ca[600];

	snprintf(ca, sizeof(ca), "%s/other-ca.pem", certdir);
	o.ca_file = ca;
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_https, "", &o), VSDK_ETLS);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ca_file="));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "thumbprint="));
}

static void test_vi_session__https_default_store_refuses_test_ca(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_https, "", NULL), VSDK_ETLS);
	CU_ASSERT_PTR_NULL(s);
}

static void test_vi_session__thumbprint_pin_accepts_and_mismatch_refused(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char cert[600], wrong[128];

	snprintf(cert, sizeof(cert), "%s/cert.pem", certdir);
	o.thumbprint = vsim_cert_sha256(cert);
	CU_ASSERT_FATAL(strlen(o.thumbprint) == 95);
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_https, "", &o), VSDK_OK);
	vsdk_session_close(s);
	s = NULL;

	snprintf(wrong, sizeof(wrong), "%s", o.thumbprint);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	o.thumbprint = wrong;
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_https, "", &o), VSDK_ETLS);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "pinned thumbprint"));
}

static void test_vi_session__no_verify_accepts_any_certificate(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_https, "no_verify=1", NULL), VSDK_OK);
	vsdk_session_close(s);
}

static void test_vi_session__wrong_password_is_eauth_with_fault(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;

	o.auth = auth_secret;
	o.auth_payload = "not-the-password";
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_http, "transport=http", &o), VSDK_EAUTH);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidLogin");
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'root'"));
}

static void test_vi_session__scheme_must_match_server_kind(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL(open_uri(&s, "esx", &vpx_http, "transport=http", NULL), VSDK_EUNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "use vpx://"));
	CU_ASSERT_EQUAL(open_uri(&s, "vpx", &esx_http, "transport=http", NULL), VSDK_EUNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "use esx://"));
	CU_ASSERT_EQUAL(open_uri(&s, "vpx", &vpx_http, "transport=http", NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_session_get_kind(s), VSDK_SESSION_VPX);
	vsdk_session_close(s);
}

static void test_vi_session__bad_parameters_are_named(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_http, "transport=http&colour=blue", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'colour'"));
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_http, "transport=ftp", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'transport'"));
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_http, "no_verify=yes", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'no_verify'"));
	CU_ASSERT_EQUAL(open_uri(&s, "esx", &esx_http, "proxy=socks5://127.0.0.1:1080", NULL), VSDK_EUNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'proxy'"));
	CU_ASSERT_EQUAL(vsdk_session_open(&s, "esx://host:99999/", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "port"));
	CU_ASSERT_EQUAL(vsdk_session_open(&s, "ftp://host/", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'ftp'"));
	CU_ASSERT_PTR_NULL(s);
}

static void test_vi_session__connection_refused_is_eio(void)
{
	vsdk_session *s = NULL;

	/* Port 1 on loopback: nothing listens there. */
	CU_ASSERT_EQUAL(vsdk_session_open(&s, "esx://root@127.0.0.1:1/?transport=http", NULL), VSDK_EIO);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "127.0.0.1:1"));
}

static int count_calls(void *payload, const vsdk_vi_object *o)
{
	(void)o;
	(*(int *)payload)++;
	return 0;
}

static void test_vi_session__keepalive_100_calls_one_connection(void)
{
	static const char *const paths[] = { "name", "runtime.powerState" };
	vsdk_session *s = NULL;
	int objects = 0;

	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_http, "transport=http", NULL), VSDK_OK);
	/* 33 retrieves x 3 calls (CreateContainerView, RetrievePropertiesEx, DestroyView) + login = 100. */
	for (int i = 0; i < 33; i++)
		CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 2, 0, count_calls, &objects), VSDK_OK);
	CU_ASSERT_EQUAL(objects, 33 * 4);
	CU_ASSERT_EQUAL(vsdk_session_get_connection_count(s), 1);
	vsdk_session_close(s);
}

static int check_power(void *payload, const vsdk_vi_object *o)
{
	const char *ps = vsdk_vi_object_get(o, "runtime.powerState");

	CU_ASSERT_STRING_EQUAL(vsdk_vi_object_type(o), "VirtualMachine");
	CU_ASSERT(strlen(vsdk_vi_object_id(o)) > 0);
	CU_ASSERT_PTR_NOT_NULL(ps);
	if (ps)
		CU_ASSERT(!strcmp(ps, "poweredOn") || !strcmp(ps, "poweredOff") || !strcmp(ps, "suspended"));
	(*(int *)payload)++;
	return 0;
}

static void test_vi_session__enum_property_decodes_as_text(void)
{
	static const char *const paths[] = { "runtime.powerState" };
	vsdk_session *s = NULL;
	int n = 0;

	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_http, "transport=http", NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 1, 0, check_power, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 4);
	vsdk_session_close(s);
}

static void test_vi_session__paging_follows_tokens(void)
{
	static const char *const paths[] = { "name" };
	vsdk_session *s = NULL;
	int n = 0;

	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_http, "transport=http", NULL), VSDK_OK);
	/* Pages of one object: 4 VMs need the first page and three continuations. */
	CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 1, 1, count_calls, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 4);
	vsdk_session_close(s);
}

static void test_vi_session__expired_session_logs_in_again_once(void)
{
	vsdk_session *s = NULL;
	char **names = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(open_uri(&s, "esx", &esx_http, "transport=http", NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsim_control(&esx_http, "POST", "/expire-sessions"), 200);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(s->vi->relogins, 1);
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
}

/* ---- gzip: a raw server that answers with gzip-compressed bodies ------- */

static char *gzip_handler(void *payload, const char *req, size_t len, size_t *out_len, bool *close_after)
{
	int *saw_accept = payload;
	const char *file = strstr(req, "RetrieveServiceContent") ? "tests/fixtures/vi/service-content-esx.xml"
			   : strstr(req, "<Login") || strstr(req, ":Login") ? "tests/fixtures/vi/login-response.xml"
									       : "tests/fixtures/vi/logout-response.xml";
	char *body = vtest_read_file(file, NULL), *resp;

	(void)len;
	(void)close_after;
	if (strcasestr(req, "Accept-Encoding:") && strcasestr(req, "gzip"))
		(*saw_accept)++;
	if (!body)
		return NULL;
	resp = vsim_http_response(200, "text/xml; charset=utf-8", body, true, NULL, out_len);
	free(body);
	return resp;
}

static void test_vi_session__gzip_responses_accepted(void)
{
	vsim_raw raw;
	vsdk_session *s = NULL;
	char uri[256];
	int saw_accept = 0;

	CU_ASSERT_FATAL(vsim_raw_start(&raw, gzip_handler, &saw_accept));
	snprintf(uri, sizeof(uri), "esx://root@127.0.0.1:%d/?transport=http", raw.port);
	setenv("VSDK_PASSWORD", "secret", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_OK);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT_STRING_EQUAL(vsdk_session_get_api_version(s), "7.0.3.0");
	vsdk_session_close(s);
	vsim_raw_stop(&raw);
	CU_ASSERT(saw_accept >= 2);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_session__http_login_lists_all_vms),
		VTEST_CASE(test_vi_session__https_verified_with_ca_file),
		VTEST_CASE(test_vi_session__https_wrong_ca_refused_with_advice),
		VTEST_CASE(test_vi_session__https_default_store_refuses_test_ca),
		VTEST_CASE(test_vi_session__thumbprint_pin_accepts_and_mismatch_refused),
		VTEST_CASE(test_vi_session__no_verify_accepts_any_certificate),
		VTEST_CASE(test_vi_session__wrong_password_is_eauth_with_fault),
		VTEST_CASE(test_vi_session__scheme_must_match_server_kind),
		VTEST_CASE(test_vi_session__bad_parameters_are_named),
		VTEST_CASE(test_vi_session__connection_refused_is_eio),
		VTEST_CASE(test_vi_session__keepalive_100_calls_one_connection),
		VTEST_CASE(test_vi_session__enum_property_decodes_as_text),
		VTEST_CASE(test_vi_session__paging_follows_tokens),
		VTEST_CASE(test_vi_session__expired_session_logs_in_again_once),
		VTEST_CASE(test_vi_session__gzip_responses_accepted),
		VTEST_END
	};
	return vtest_main("vi_session", cases, suite_init, suite_fini);
}
