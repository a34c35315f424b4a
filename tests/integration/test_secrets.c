/*
 * Secrets: passwords, session cookies and Authorization headers never reach
 * the log or the wire trace at any level, and credentials are wiped from
 * memory when a session is closed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/hyperv.h"
#include "vi_private.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD "Pa55-w0rd-9f3c1e"

static vsim_vc esx;
static vtest_server hv;
static char *tmp;
static vsdk_buf captured;

static void capture(vsdk_log_level level, const char *message, void *payload)
{
	(void)level;
	(void)payload;
	vsdk__buf_puts(&captured, message);
	vsdk__buf_putc(&captured, '\n');
}

static int auth(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	(void)host;
	if (!*user)
		*user = strdup("root");
	*password = strdup(PASSWORD);
	return VSDK_OK;
}

static int suite_init(void)
{
	char *argv[] = { "generated/build/bin/hvsim", "--listen", "127.0.0.1:0", "--vms", "2", "--user", "admin",
			 "--password", PASSWORD, NULL };

	tmp = vtest_tmpdir();
	return !tmp || !vsim_vc_start(&esx, "--model", "esx", "--vms", "2", "--user", "root", "--password", PASSWORD, NULL) ||
	       !vtest_server_start(&hv, argv, 20000);
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	vtest_server_stop(&hv);
	vtest_rmtree(tmp);
	free(tmp);
	return 0;
}

static vsdk_session *open_esx(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char uri[256];

	o.auth = auth;
	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http", esx.hostport);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, &o), VSDK_OK);
	return s;
}

/* The session cookie gSOAP holds (read through the context: an internal accessor). */
static char *cookie_value(vsdk_session *s)
{
	for (struct soap_cookie *c = s->soap->cookies; c; c = c->next)
		if (c->value && *c->value)
			return strdup(c->value);
	return NULL;
}

static bool absent(const char *text, const char *secret, const char *what)
{
	if (!secret || !*secret || !strstr(text, secret))
		return true;
	{
		const char *at = strstr(text, secret);

		fprintf(stdout, "\n  the %s appears in the log: ...%.*s...\n", what,
			(int)(strlen(secret) + 160), at > text + 80 ? at - 80 : text);
	}
	return false;
}

static void test_secrets__never_in_trace_log_across_login_calls_and_relogin(void)
{
	char *cookie1, *cookie2, **names = NULL, *log;
	unsigned char b64[128];
	size_t n = 0;
	vsdk_session *s;

	memset(&captured, 0, sizeof(captured));
	vsdk_log_set(VSDK_LOG_TRACE, capture, NULL);
	s = open_esx();
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	vsdk_strv_free(names, n);
	cookie1 = cookie_value(s);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", "/expire-sessions"), 200);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK); /* logs in again */
	vsdk_strv_free(names, n);
	CU_ASSERT_EQUAL(s->vi->relogins, 1);
	cookie2 = cookie_value(s);
	vsdk_session_close(s);
	vsdk_log_set(VSDK_LOG_WARN, NULL, NULL);

	log = vsdk__buf_detach(&captured);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	/* The trace really captured the exchanges, cookies included (masked). */
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "Login"));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(log, "Set-Cookie:"));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(log, "\nCookie:"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cookie1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cookie2);
	CU_ASSERT_STRING_NOT_EQUAL(cookie1, cookie2);
	CU_ASSERT(absent(log, PASSWORD, "password"));
	CU_ASSERT(absent(log, cookie1, "first session cookie"));
	CU_ASSERT(absent(log, cookie2, "second session cookie"));
	EVP_EncodeBlock(b64, (const unsigned char *)"root:" PASSWORD, (int)strlen("root:" PASSWORD));
	CU_ASSERT(absent(log, (const char *)b64, "base64 of user:password"));
	free(cookie1);
	free(cookie2);
	free(log);
}

/* Hyper-V: HTTP Basic auth sends base64(user:password) in every request. */
static void test_secrets__hyperv_basic_auth_never_in_trace_log(void)
{
	unsigned char b64[128];
	char uri[600], hp[256], **names = NULL, *log;
	const char *p = strstr(hv.url, "://");
	vsdk_session *s = NULL;
	size_t n = 0;

	snprintf(hp, sizeof(hp), "%s", p ? p + 3 : "");
	hp[strcspn(hp, "/")] = '\0';
	snprintf(uri, sizeof(uri), "hyperv://admin@%s/?transport=http&auth=basic", hp);
	memset(&captured, 0, sizeof(captured));
	vsdk_log_set(VSDK_LOG_TRACE, capture, NULL);
	setenv("VSDK_PASSWORD", PASSWORD, 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_OK);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vsdk_hv_strv_free(names, n);
	vsdk_session_close(s);
	vsdk_log_set(VSDK_LOG_WARN, NULL, NULL);
	log = vsdk__buf_detach(&captured);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_PTR_NOT_NULL(strcasestr(log, "\nAuthorization:")); /* sent, and traced masked */
	CU_ASSERT(absent(log, PASSWORD, "password"));
	EVP_EncodeBlock(b64, (const unsigned char *)"admin:" PASSWORD, (int)strlen("admin:" PASSWORD));
	CU_ASSERT(absent(log, (const char *)b64, "base64 of user:password"));
	free(log);
}

/* ---- wiping ------------------------------------------------------------- */

static struct {
	int calls;
	bool password_seen; /* a wiped buffer of the password's length */
	bool nonzero;       /* some wiped buffer still had non-zero bytes */
	bool context_seen;  /* the gSOAP context was handed over */
	const char *cookie;
} wiped;

static void observe(const void *p, size_t n)
{
	const unsigned char *b = p;

	wiped.calls++;
	if (n == strlen(PASSWORD))
		wiped.password_seen = true;
	if (n == sizeof(struct soap))
		wiped.context_seen = true;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			wiped.nonzero = true;
}

static void test_secrets__password_and_context_wiped_on_close(void)
{
	vsdk_session *s = open_esx();

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* The context holds the password (sent in Login) and the cookie before close. */
	CU_ASSERT_PTR_NOT_NULL(s->soap->cookies);
	CU_ASSERT_STRING_EQUAL(s->password, PASSWORD);
	memset(&wiped, 0, sizeof(wiped));
	vsdk__wipe_observer = observe;
	vsdk_session_close(s);
	vsdk__wipe_observer = NULL;
	CU_ASSERT(wiped.password_seen);
	CU_ASSERT(wiped.context_seen);
	CU_ASSERT_FALSE(wiped.nonzero);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_secrets__never_in_trace_log_across_login_calls_and_relogin),
		VTEST_CASE(test_secrets__hyperv_basic_auth_never_in_trace_log),
		VTEST_CASE(test_secrets__password_and_context_wiped_on_close),
		VTEST_END
	};
	return vtest_main("secrets", cases, suite_init, suite_fini);
}
