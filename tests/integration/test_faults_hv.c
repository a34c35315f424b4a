/*
 * Fault injection on Hyper-V sessions: hvsim's control endpoint (HTTP 500
 * with an HTML body, 503 with Retry-After, a WS-Man fault of an unknown
 * subcode, a server slower than the I/O timeout, a dropped connection, a job
 * that never ends), wrong credentials (401), and a scripted server for an
 * oversized response and a DTD.  Each fault gives a clear error and the
 * session stays usable.  Also: hostile VM names and KVP data reach the
 * server intact through WQL and the method XML (injection).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/hyperv.h"
#include "vsdk/session.h"
#include "common_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static vtest_server hv;
static char hostport[128], control[256];

static int suite_init(void)
{
	char *argv[] = { "generated/build/bin/hvsim", "--listen", "127.0.0.1:0", "--vms", "6", "--user", "admin",
			 "--password", "hv-secret", "--control-listen", "127.0.0.1:0", "--hostile-names", NULL };
	const char *p;
	size_t n = 0;
	char c;

	if (!vtest_server_start(&hv, argv, 20000))
		return 1;
	p = strstr(hv.url, "://");
	snprintf(hostport, sizeof(hostport), "%s", p ? p + 3 : "");
	hostport[strcspn(hostport, "/")] = '\0';
	/* Line 2: the control URL. */
	while (n + 1 < sizeof(control) && read(hv.out_fd, &c, 1) == 1 && c != '\n')
		control[n++] = c;
	control[n] = '\0';
	if (n && control[n - 1] == '/')
		control[n - 1] = '\0'; /* verbs start with '/' */
	return strncmp(control, "http://", 7) != 0;
}

static int suite_fini(void)
{
	vtest_server_stop(&hv);
	return 0;
}

static void ctl(const char *verb)
{
	char url[512];

	snprintf(url, sizeof(url), "%s%s", control, verb);
	if (getenv("HXDBG"))
		fprintf(stdout, "ctl %s -> %d\n", url, vsim_http(url, "GET", NULL, NULL));
	CU_ASSERT_EQUAL(vsim_http(url, "GET", NULL, NULL), 200);
}

static vsdk_session *open_hv(const char *password, const char *params, int expect)
{
	char uri[512];
	vsdk_session *s = NULL;

	snprintf(uri, sizeof(uri), "hyperv://admin@%s/?transport=http%s%s", hostport, *params ? "&" : "", params);
	setenv("VSDK_PASSWORD", password, 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), expect);
	unsetenv("VSDK_PASSWORD");
	return s;
}

static bool has(const char *needle)
{
	if (strstr(vsdk_error_last()->message, needle))
		return true;
	fprintf(stdout, "\n  message '%s' lacks '%s'\n", vsdk_error_last()->message, needle);
	return false;
}

static int list(vsdk_session *s, size_t *n)
{
	char **names = NULL;
	int rc = vsdk_hv_vm_list_names(s, &names, n);

	vsdk_hv_strv_free(names, *n);
	return rc;
}

/* Arm a fault, the next call fails with code and text, then the session works again. */
static void hv_fault(const char *verb, const char *params, int code, const char *text, int status)
{
	vsdk_session *s = open_hv("hv-secret", params, VSDK_OK);
	size_t n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	ctl(verb);
	rc = list(s, &n);
	CU_ASSERT_EQUAL(rc, code);
	if (rc != code)
		fprintf(stdout, "\n  got %d: %s\n", rc, vsdk_error_last()->message);
	CU_ASSERT(has(text));
	if (status)
		CU_ASSERT_EQUAL(vsdk_error_last()->http_status, status);
	ctl("/reset");
	CU_ASSERT_EQUAL(list(s, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 6);
	vsdk_session_close(s);
}

static void test_faults_hv__http_500_html_body_is_eio_with_status(void)
{
	hv_fault("/http500?count=1", "", VSDK_EIO, "HTTP 500", 500);
}

static void test_faults_hv__http_503_reports_retry_after(void)
{
	hv_fault("/http503?count=1&retry_after=7", "", VSDK_EIO, "retry after 7 s", 503);
}

static void test_faults_hv__unknown_wsman_fault_is_named(void)
{
	hv_fault("/fault?count=1&subcode=w:FutureFault&text=from%20the%20future", "", VSDK_EFAULT, "from the future", 0);
	/* (checked again on a fresh call: the subcode is kept as the fault name) */
}

static void test_faults_hv__server_slower_than_io_timeout_is_etimeout(void)
{
	hv_fault("/delay?ms=3000&count=1", "io_timeout_ms=400", VSDK_ETIMEOUT, "io_timeout_ms", 0);
}

static void test_faults_hv__dropped_connection_is_clear(void)
{
	vsdk_session *s = open_hv("hv-secret", "", VSDK_OK);
	size_t n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	ctl("/drop?count=1");
	rc = list(s, &n);
	/* Closed without an answer: an I/O error or an early end, naming the server. */
	CU_ASSERT(rc == VSDK_EIO || rc == VSDK_EPROTO);
	CU_ASSERT(has(hostport));
	ctl("/reset");
	CU_ASSERT_EQUAL(list(s, &n), VSDK_OK);
	vsdk_session_close(s);
}

static void test_faults_hv__wrong_password_is_eauth_401(void)
{
	vsdk_session *s = open_hv("not-the-password", "", VSDK_EAUTH);

	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has("401"));
}

static void test_faults_hv__job_that_never_ends_times_out(void)
{
	vsdk_session *s = open_hv("hv-secret", "", VSDK_OK);
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list(s, &vms, &n, 0), VSDK_OK);
	CU_ASSERT_FATAL(n > 0);
	ctl("/job-hang?count=1");
	rc = vsdk_hv_vm_start(s, vms[n - 1], 1500);
	if (rc == VSDK_ESTATE) /* already running: hang the stop instead */
		rc = vsdk_hv_vm_turn_off(s, vms[n - 1], 1500);
	CU_ASSERT_EQUAL(rc, VSDK_ETIMEOUT);
	CU_ASSERT(has("job"));
	ctl("/reset");
	CU_ASSERT_EQUAL(list(s, &n), VSDK_OK);
	vsdk_hv_vm_list_free(vms, n ? n : 0);
	vsdk_session_close(s);
}

/* ---- the shared transport against a scripted server ---------------------- */

static char *huge_handler(void *payload, const char *req, size_t len, size_t *out_len, bool *close_after)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n"
				   "Content-Length: 50000000000\r\n\r\n<s:Envelope";
	char *r = malloc(sizeof(head));

	(void)payload;
	(void)req;
	(void)len;
	memcpy(r, head, sizeof(head));
	*out_len = sizeof(head) - 1;
	*close_after = true;
	return r;
}

static char *dtd_handler(void *payload, const char *req, size_t len, size_t *out_len, bool *close_after)
{
	(void)payload;
	(void)req;
	(void)len;
	(void)close_after;
	return vsim_http_response(200, "application/soap+xml",
				  "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
				  "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>&x;</s:Body>"
				  "</s:Envelope>", false, NULL, out_len);
}

static void scripted_open(vsim_raw_handler h, int code, const char *text)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	vsim_raw raw;
	char uri[256];

	CU_ASSERT_FATAL(vsim_raw_start(&raw, h, NULL));
	snprintf(uri, sizeof(uri), "hyperv://admin@127.0.0.1:%d/?transport=http&auth=basic", raw.port);
	o.max_response_bytes = 1 << 20;
	setenv("VSDK_PASSWORD", "x", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, &o), code);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT(has(text));
	CU_ASSERT_EQUAL(raw.connections, 1); /* nothing fetched, no retry storm */
	vsdk_session_close(s);
	vsim_raw_stop(&raw);
}

static char *truncated_handler(void *payload, const char *req, size_t len, size_t *out_len, bool *close_after)
{
	(void)payload;
	(void)req;
	(void)len;
	(void)close_after; /* kept open: the client must notice the body ended */
	return vsim_http_response(200, "application/soap+xml",
				  "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><wsmid:Identify",
				  false, NULL, out_len);
}

static void test_faults_hv__truncated_xml_is_eproto_at_once(void)
{
	int64_t t0 = vsdk__now_ms();

	scripted_open(truncated_handler, VSDK_EPROTO, "ended early");
	CU_ASSERT(vsdk__now_ms() - t0 < 5000); /* not after io_timeout_ms (120 s) */
}

static void test_faults_hv__connection_refused_is_eio(void)
{
	vsim_raw raw;
	char uri[128];
	vsdk_session *s = NULL;
	int port;

	CU_ASSERT_FATAL(vsim_raw_start(&raw, truncated_handler, NULL));
	port = raw.port;
	vsim_raw_stop(&raw); /* closed: nothing listens there any more */
	snprintf(uri, sizeof(uri), "hyperv://admin@127.0.0.1:%d/?transport=http&auth=basic", port);
	setenv("VSDK_PASSWORD", "x", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_EIO);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has("cannot connect"));
}

static void test_faults_hv__huge_content_length_refused(void)
{
	scripted_open(huge_handler, VSDK_ELIMIT, "max_response_bytes");
}

static void test_faults_hv__dtd_refused_never_expanded(void)
{
	scripted_open(dtd_handler, VSDK_EPROTO, "DOCTYPE");
	CU_ASSERT_PTR_NULL(strstr(vsdk_error_last()->message, "root:"));
}

/* ---- injection: WQL literals and KVP data -------------------------------- */

static void test_faults_hv__hostile_vm_names_found_exactly_through_wql(void)
{
	vsdk_session *s = open_hv("hv-secret", "", VSDK_OK);
	char **names = NULL;
	size_t n = 0;
	int hostile = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	for (size_t i = 0; i < n; i++) {
		vsdk_hv_Msvm_ComputerSystem *vm = NULL;

		hostile += strpbrk(names[i], "'\"\\<]") != NULL;
		CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, names[i], &vm), VSDK_OK);
		if (vm)
			CU_ASSERT_STRING_EQUAL(vm->ElementName, names[i]);
		vsdk_cim_free((vsdk_cim_instance *)vm);
	}
	CU_ASSERT(hostile >= 3); /* hvsim --hostile-names: quotes, backslash, markup, "' OR Name != '" */
	/* A WQL-injection attempt finds nothing rather than everything. */
	{
		vsdk_hv_Msvm_ComputerSystem *vm = NULL;

		CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, "x' OR ElementName != '", &vm), VSDK_ENOTFOUND);
		CU_ASSERT_PTR_NULL(vm);
	}
	vsdk_hv_strv_free(names, n);
	vsdk_session_close(s);
}

static void test_faults_hv__hostile_kvp_data_round_trips_and_overlong_refused(void)
{
	static const char *const data[] = { "quote ' \" back \\ slash", "cdata ]]> <x/> &amp;", "new\nline\r\ttab" };
	vsdk_session *s = open_hv("hv-secret", "", VSDK_OK);
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t n = 0;
	char big[VSDK_HV_KVP_DATA_MAX + 2];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list(s, &vms, &n, 0), VSDK_OK);
	CU_ASSERT_FATAL(n > 0);
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		char name[32];
		vsdk_hv_kvp_item *items = NULL;
		size_t k = 0;
		bool found = false;

		snprintf(name, sizeof(name), "harden-%zu", i);
		CU_ASSERT_EQUAL(vsdk_hv_kvp_upsert(s, vms[0], name, data[i], 10000), VSDK_OK);
		CU_ASSERT_EQUAL(vsdk_hv_kvp_host_items(s, vms[0], &items, &k), VSDK_OK);
		for (size_t j = 0; j < k; j++)
			if (strcmp(items[j].name, name) == 0) {
				found = true;
				CU_ASSERT_STRING_EQUAL(items[j].data, data[i]);
			}
		CU_ASSERT(found);
		vsdk_hv_kvp_items_free(items, k);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(vsdk_hv_kvp_upsert(s, vms[0], "harden-big", big, 10000), VSDK_ELIMIT);
	vsdk_hv_vm_list_free(vms, n);
	vsdk_session_close(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_faults_hv__http_500_html_body_is_eio_with_status),
		VTEST_CASE(test_faults_hv__http_503_reports_retry_after),
		VTEST_CASE(test_faults_hv__unknown_wsman_fault_is_named),
		VTEST_CASE(test_faults_hv__server_slower_than_io_timeout_is_etimeout),
		VTEST_CASE(test_faults_hv__dropped_connection_is_clear),
		VTEST_CASE(test_faults_hv__wrong_password_is_eauth_401),
		VTEST_CASE(test_faults_hv__job_that_never_ends_times_out),
		VTEST_CASE(test_faults_hv__truncated_xml_is_eproto_at_once),
		VTEST_CASE(test_faults_hv__connection_refused_is_eio),
		VTEST_CASE(test_faults_hv__huge_content_length_refused),
		VTEST_CASE(test_faults_hv__dtd_refused_never_expanded),
		VTEST_CASE(test_faults_hv__hostile_vm_names_found_exactly_through_wql),
		VTEST_CASE(test_faults_hv__hostile_kvp_data_round_trips_and_overlong_refused),
		VTEST_END
	};
	return vtest_main("faults_hv", cases, suite_init, suite_fini);
}
