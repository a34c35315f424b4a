/*
 * The Hyper-V client over NTLM with MS-WSMV message encryption against hvsim
 * (--auth ntlm: Basic refused, unencrypted SOAP refused): authentication,
 * sealed round trips on one kept-alive connection, re-authentication after
 * the server drops the connection, bad credentials, scheme selection.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "vsim.h"
#include "vsdk/hyperv.h"
#include "vsdk/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HVSIM_BIN "generated/build/bin/hvsim"

typedef struct sim {
	vtest_server srv;
	char hostport[128];
	char control[256];
} sim;

static bool read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		char c;

		if (read(fd, &c, 1) <= 0)
			return false;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return true;
}

static bool sim_start(sim *sm, const char *auth)
{
	char *argv[] = { HVSIM_BIN, "--listen", "127.0.0.1:0", "--vms", "3", "--user", "admin", "--password", "s3cret",
			 "--auth", (char *)auth, "--control-listen", "127.0.0.1:0", NULL };
	const char *p;

	memset(sm, 0, sizeof(*sm));
	if (!vtest_server_start(&sm->srv, argv, 20000))
		return false;
	p = strstr(sm->srv.url, "://");
	snprintf(sm->hostport, sizeof(sm->hostport), "%s", p ? p + 3 : "");
	if (strchr(sm->hostport, '/'))
		*strchr(sm->hostport, '/') = '\0';
	if (!read_line(sm->srv.out_fd, sm->control, sizeof(sm->control)))
		return false;
	if (sm->control[0] && sm->control[strlen(sm->control) - 1] == '/')
		sm->control[strlen(sm->control) - 1] = '\0';
	return true;
}

/* A number from hvsim's /stats JSON. */
static long stat_of(const sim *sm, const char *key)
{
	char url[512], pat[64], *resp = NULL, *p;
	long v = -1;

	snprintf(url, sizeof(url), "%s/stats", sm->control);
	if (vsim_http(url, "GET", NULL, &resp) == 200 && resp) {
		snprintf(pat, sizeof(pat), "\"%s\":", key);
		if ((p = strstr(resp, pat)))
			v = strtol(p + strlen(pat), NULL, 10);
	}
	free(resp);
	return v;
}

static int ctl(const sim *sm, const char *verb)
{
	char url[512], *resp = NULL;
	int st;

	snprintf(url, sizeof(url), "%s%s", sm->control, verb);
	st = vsim_http(url, "GET", NULL, &resp);
	free(resp);
	return st;
}

static int open_s(const sim *sm, const char *user, const char *password, const char *extra, vsdk_session **s)
{
	char uri[400];

	snprintf(uri, sizeof(uri), "hyperv://%s@%s/?transport=http%s", user, sm->hostport, extra);
	setenv("VSDK_PASSWORD", password, 1);
	*s = NULL;
	return vsdk_session_open(s, uri, NULL);
}

static bool have_sim(const char *test)
{
	if (access(HVSIM_BIN, X_OK) == 0)
		return true;
	vtest_skip(test, "no " HVSIM_BIN " (build with `make hvsim`)");
	return false;
}

static void test_hv_ntlm__default_over_http_is_sealed_negotiate_on_one_connection(void)
{
	sim sm;
	vsdk_session *s;
	char **names = NULL;
	size_t n = 0;

	if (!have_sim(__func__))
		return;
	CU_ASSERT_FATAL(sim_start(&sm, "ntlm"));
	if (open_s(&sm, "admin", "s3cret", "", &s) != VSDK_OK)
		printf("open: %s\n", vsdk_error_last()->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
		CU_ASSERT_EQUAL(n, 3);
		vsdk_hv_strv_free(names, n);
	}
	/* one handshake, every answer sealed, one TCP connection */
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_handshakes"), 1);
	CU_ASSERT(stat_of(&sm, "sealed_responses") >= 4);
	CU_ASSERT_EQUAL(stat_of(&sm, "connections"), 1);
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_refused"), 0);
	vsdk_session_close(s);
	vtest_server_stop(&sm.srv);
}

static void test_hv_ntlm__dropped_connection_is_authenticated_again(void)
{
	sim sm;
	vsdk_session *s;
	char **names = NULL;
	size_t n = 0;

	if (!have_sim(__func__))
		return;
	CU_ASSERT_FATAL(sim_start(&sm, "ntlm"));
	CU_ASSERT_EQUAL_FATAL(open_s(&sm, "HVSIM\\admin", "s3cret", "&auth=ntlm", &s), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(ctl(&sm, "/drop?count=1"), 200);
	/* the server closes without answering: this call fails ... */
	CU_ASSERT_NOT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	/* ... and the next one re-connects and re-authenticates */
	CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vsdk_hv_strv_free(names, n);
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_handshakes"), 2);
	CU_ASSERT_EQUAL(stat_of(&sm, "connections"), 2);
	vsdk_session_close(s);
	vtest_server_stop(&sm.srv);
}

static void test_hv_ntlm__wrong_password_and_basic_against_ntlm_only_are_eauth(void)
{
	sim sm;
	vsdk_session *s;

	if (!have_sim(__func__))
		return;
	CU_ASSERT_FATAL(sim_start(&sm, "ntlm"));
	CU_ASSERT_EQUAL(open_s(&sm, "admin", "wrong", "", &s), VSDK_EAUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "refused the NTLM credentials"));
	CU_ASSERT_EQUAL(vsdk_error_last()->http_status, 401);
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_refused"), 1);
	CU_ASSERT_EQUAL(open_s(&sm, "admin@corp.example", "s3cret", "&auth=basic", &s), VSDK_EAUTH);
	CU_ASSERT_EQUAL(open_s(&sm, "admin", "s3cret", "&auth=kerberos", &s), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "'auth'"));
	vtest_server_stop(&sm.srv);
}

static void test_hv_ntlm__basic_only_server_names_its_offer(void)
{
	sim sm;
	vsdk_session *s;

	if (!have_sim(__func__))
		return;
	CU_ASSERT_FATAL(sim_start(&sm, "basic"));
	CU_ASSERT_EQUAL(open_s(&sm, "admin", "s3cret", "", &s), VSDK_EAUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "does not offer NTLM"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "Basic"));
	CU_ASSERT_EQUAL(open_s(&sm, "admin", "s3cret", "&auth=basic", &s), VSDK_OK);
	vsdk_session_close(s);
	vtest_server_stop(&sm.srv);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_hv_ntlm__default_over_http_is_sealed_negotiate_on_one_connection),
		VTEST_CASE(test_hv_ntlm__dropped_connection_is_authenticated_again),
		VTEST_CASE(test_hv_ntlm__wrong_password_and_basic_against_ntlm_only_are_eauth),
		VTEST_CASE(test_hv_ntlm__basic_only_server_names_its_offer),
		VTEST_END
	};
	return vtest_main("hv_ntlm", cases, NULL, NULL);
}
