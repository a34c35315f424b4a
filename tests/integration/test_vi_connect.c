/*
 * VI connection settings against the harness: an HTTP proxy (plain and
 * CONNECT), connect and I/O timeouts, credentials from VSDK_PASSWORD,
 * keep-alive over HTTPS, and gzip request compression off by default.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "common_private.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *tmp;
static vsim_vc esx_http, esx_https;
static char certdir[512];

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
	if (!vsim_vc_start(&esx_http, "--model", "esx", "--vms", "3", "--user", "root", "--password", "secret", NULL))
		return 1;
	if (!vsim_vc_start(&esx_https, "--model", "esx", "--vms", "3", "--user", "root", "--password", "secret",
			   "--tls-cert", cert, "--tls-key", key, NULL))
		return 1;
	unsetenv("VSDK_PASSWORD");
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx_http);
	vsim_vc_stop(&esx_https);
	vtest_rmtree(tmp);
	free(tmp);
	return 0;
}

static int auth_secret(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	(void)host;
	if (!*user)
		*user = strdup("root");
	*password = strdup("secret");
	return VSDK_OK;
}

static int open_opts(vsdk_session **s, const vsim_vc *vc, const char *params, vsdk_session_options *o)
{
	vsdk_session_options def = VSDK_SESSION_OPTIONS_INIT;
	char uri[512];

	if (!o)
		o = &def;
	if (!o->auth)
		o->auth = auth_secret;
	snprintf(uri, sizeof(uri), "esx://root@%s/?%s", vc->hostport, params);
	return vsdk_session_open(s, uri, o);
}

/* ---- a tiny HTTP proxy: CONNECT tunnels and absolute-URI forwarding ---- */

typedef struct proxy {
	int fd, port;
	pthread_t thread;
	volatile bool stop;
	volatile int connects, forwards, clients;
} proxy;

static int dial(const char *hostport)
{
	struct sockaddr_in sa = { 0 };
	char host[64];
	int port, fd;

	if (sscanf(hostport, "%63[^:]:%d", host, &port) != 2)
		return -1;
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void relay(int a, int b)
{
	char buf[16384];

	for (;;) {
		struct pollfd p[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };

		if (poll(p, 2, 5000) <= 0)
			return;
		for (int i = 0; i < 2; i++) {
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t n = read(p[i].fd, buf, sizeof(buf));

				if (n <= 0 || write(p[1 - i].fd, buf, (size_t)n) != n)
					return;
			}
		}
	}
}

static void *proxy_thread(void *arg)
{
	proxy *px = arg;

	while (!px->stop) {
		struct pollfd p = { px->fd, POLLIN, 0 };
		char head[4096], target[256];
		ssize_t n;
		int c, up;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((c = accept(px->fd, NULL, NULL)) < 0)
			continue;
		px->clients++;
		n = recv(c, head, sizeof(head) - 1, MSG_PEEK);
		if (n <= 0) {
			close(c);
			continue;
		}
		head[n] = '\0';
		if (sscanf(head, "CONNECT %255s", target) == 1) {
			char *end = strstr(head, "\r\n\r\n");

			/* Consume the CONNECT request, answer, then tunnel. */
			if (!end || read(c, head, (size_t)(end + 4 - head)) <= 0 || (up = dial(target)) < 0) {
				close(c);
				continue;
			}
			px->connects++;
			if (write(c, "HTTP/1.1 200 Connection established\r\n\r\n", 39) != 39) {
				close(up);
				close(c);
				continue;
			}
		} else if (sscanf(head, "%*s http://%255[^/ ]", target) == 1 && (up = dial(target)) >= 0) {
			px->forwards++; /* the absolute URI goes on as is */
		} else {
			close(c);
			continue;
		}
		relay(c, up);
		close(up);
		close(c);
	}
	return NULL;
}

static bool proxy_start(proxy *px)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);

	memset(px, 0, sizeof(*px));
	px->fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (px->fd < 0 || bind(px->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(px->fd, 8) ||
	    getsockname(px->fd, (struct sockaddr *)&sa, &sl))
		return false;
	px->port = ntohs(sa.sin_port);
	return pthread_create(&px->thread, NULL, proxy_thread, px) == 0;
}

static void proxy_stop(proxy *px)
{
	px->stop = true;
	pthread_join(px->thread, NULL);
	close(px->fd);
}

static void test_vi_connect__http_proxy_forwards_plain_requests(void)
{
	vsdk_session *s = NULL;
	char params[128], **names = NULL;
	size_t n = 0;
	proxy px;

	CU_ASSERT_FATAL(proxy_start(&px));
	snprintf(params, sizeof(params), "transport=http&proxy=http://127.0.0.1:%d", px.port);
	CU_ASSERT_EQUAL(open_opts(&s, &esx_http, params, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 3);
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
	proxy_stop(&px);
	CU_ASSERT(px.forwards >= 1);
	CU_ASSERT_EQUAL(px.connects, 0);
}

static void test_vi_connect__https_through_proxy_uses_connect_tunnel(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char params[128], ca[600], **names = NULL;
	size_t n = 0;
	proxy px;

	CU_ASSERT_FATAL(proxy_start(&px));
	snprintf(ca, sizeof(ca), "%s/ca.pem", certdir);
	o.ca_file = ca;
	/* No scheme: http:// is the default proxy type. */
	snprintf(params, sizeof(params), "proxy=127.0.0.1:%d", px.port);
	CU_ASSERT_EQUAL(open_opts(&s, &esx_https, params, &o), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 3);
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
	proxy_stop(&px);
	CU_ASSERT(px.connects >= 1);
	CU_ASSERT_EQUAL(px.forwards, 0);
}

static void test_vi_connect__dead_proxy_is_eio_naming_it(void)
{
	vsdk_session *s = NULL;

	CU_ASSERT_EQUAL(open_opts(&s, &esx_http, "transport=http&proxy=127.0.0.1:1", NULL), VSDK_EIO);
	CU_ASSERT_PTR_NULL(s);
}

/* ---- timeouts ----------------------------------------------------------- */

static void test_vi_connect__slow_server_hits_io_timeout(void)
{
	vsdk_session *s = NULL;
	int64_t t0;

	CU_ASSERT_EQUAL_FATAL(vsim_control(&esx_http, "POST", "/fault?kind=delay&ms=3000&count=1"), 200);
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(open_opts(&s, &esx_http, "transport=http&io_timeout_ms=300", NULL), VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 2500);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "io_timeout_ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, esx_http.hostport));
	vsim_control(&esx_http, "DELETE", "/fault");
	/* Without the delay the same URI works. */
	CU_ASSERT_EQUAL(open_opts(&s, &esx_http, "transport=http&io_timeout_ms=300", NULL), VSDK_OK);
	vsdk_session_close(s);
}

static void test_vi_connect__slow_call_after_login_times_out_then_recovers(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char **names = NULL;
	size_t n = 0;

	o.io_timeout_ms = 300;
	CU_ASSERT_EQUAL_FATAL(open_opts(&s, &esx_http, "transport=http", &o), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsim_control(&esx_http, "POST", "/fault?kind=delay&ms=3000&count=1"), 200);
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_ETIMEOUT);
	vsim_control(&esx_http, "DELETE", "/fault");
	CU_ASSERT_EQUAL(vsdk_vi_list_vm_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 3);
	vsdk_strv_free(names, n);
	vsdk_session_close(s);
}

static void test_vi_connect__unanswered_connect_hits_connect_timeout(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	vsdk_session *s = NULL;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fill[8], nfill = 0;
	char uri[128];
	int64_t t0;

	/*
	 * A listener that never accepts, with its backlog full: the kernel drops
	 * further SYNs, so a connect neither succeeds nor is refused.
	 */
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(lfd >= 0 && !bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(lfd, 0) &&
			!getsockname(lfd, (struct sockaddr *)&sa, &sl));
	for (int i = 0; i < 8; i++) {
		int f = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (f < 0)
			break;
		connect(f, (struct sockaddr *)&sa, sizeof(sa));
		fill[nfill++] = f;
	}
	vsdk__sleep_ms(50);
	snprintf(uri, sizeof(uri), "esx://root@127.0.0.1:%d/?transport=http&connect_timeout_ms=400",
		 ntohs(sa.sin_port));
	setenv("VSDK_PASSWORD", "secret", 1);
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 3000);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "timed out"));
	for (int i = 0; i < nfill; i++)
		close(fill[i]);
	close(lfd);
}

/* ---- credentials from the environment ------------------------------------ */

static void test_vi_connect__password_from_environment(void)
{
	vsdk_session *s = NULL;
	char uri[256];

	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http", esx_http.hostport);
	unsetenv("VSDK_PASSWORD");
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_EAUTH);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "VSDK_PASSWORD"));
	setenv("VSDK_PASSWORD", "wrong", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_EAUTH);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidLogin");
	setenv("VSDK_PASSWORD", "secret", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, NULL), VSDK_OK);
	unsetenv("VSDK_PASSWORD");
	vsdk_session_close(s);
}

/* ---- transport ----------------------------------------------------------- */

static int count_calls(void *payload, const vsdk_vi_object *o)
{
	(void)o;
	(*(int *)payload)++;
	return 0;
}

static void test_vi_connect__https_100_calls_one_connection(void)
{
	static const char *const paths[] = { "name" };
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char ca[600];
	int objects = 0;

	snprintf(ca, sizeof(ca), "%s/ca.pem", certdir);
	o.ca_file = ca;
	CU_ASSERT_EQUAL_FATAL(open_opts(&s, &esx_https, "", &o), VSDK_OK);
	/* RetrieveServiceContent + Login, then 33 x (CreateContainerView, RetrievePropertiesEx, DestroyView) = 101. */
	for (int i = 0; i < 33; i++)
		CU_ASSERT_EQUAL(vsdk_vi_retrieve(s, "VirtualMachine", paths, 1, 0, count_calls, &objects), VSDK_OK);
	CU_ASSERT_EQUAL(objects, 33 * 3);
	CU_ASSERT_EQUAL(vsdk_session_get_connection_count(s), 1);
	vsdk_session_close(s);
}

static char *record_handler(void *payload, const char *req, size_t len, size_t *out_len, bool *close_after)
{
	int *gzipped = payload;
	const char *file = strstr(req, "RetrieveServiceContent") ? "tests/fixtures/vi/service-content-esx.xml"
			   : strstr(req, "<Login") || strstr(req, ":Login") ? "tests/fixtures/vi/login-response.xml"
									       : "tests/fixtures/vi/logout-response.xml";
	const char *body = strstr(req, "\r\n\r\n");
	char *xml = vtest_read_file(file, NULL), *resp;

	(void)len;
	(void)close_after;
	if (strcasestr(req, "Content-Encoding: gzip") || strcasestr(req, "Content-Encoding: deflate") ||
	    (body && (unsigned char)body[4] == 0x1f))
		(*gzipped)++;
	if (!xml)
		return NULL;
	resp = vsim_http_response(200, "text/xml; charset=utf-8", xml, false, NULL, out_len);
	free(xml);
	return resp;
}

static void test_vi_connect__gzip_requests_off_by_default(void)
{
	vsdk_session *s = NULL;
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsim_raw raw;
	char uri[256];
	int gzipped = 0;

	CU_ASSERT_FATAL(vsim_raw_start(&raw, record_handler, &gzipped));
	snprintf(uri, sizeof(uri), "esx://root@127.0.0.1:%d/?transport=http", raw.port);
	o.auth = auth_secret;
	CU_ASSERT_EQUAL(vsdk_session_open(&s, uri, &o), VSDK_OK);
	vsdk_session_close(s);
	vsim_raw_stop(&raw);
	CU_ASSERT(raw.requests >= 2);
	CU_ASSERT_EQUAL(gzipped, 0);

	/* Switched on, request bodies are compressed (and vcsim refuses them). */
	o.gzip_requests = 1;
	CU_ASSERT_NOT_EQUAL(open_opts(&s, &esx_http, "transport=http", &o), VSDK_OK);
	CU_ASSERT_PTR_NULL(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_connect__http_proxy_forwards_plain_requests),
		VTEST_CASE(test_vi_connect__https_through_proxy_uses_connect_tunnel),
		VTEST_CASE(test_vi_connect__dead_proxy_is_eio_naming_it),
		VTEST_CASE(test_vi_connect__slow_server_hits_io_timeout),
		VTEST_CASE(test_vi_connect__slow_call_after_login_times_out_then_recovers),
		VTEST_CASE(test_vi_connect__unanswered_connect_hits_connect_timeout),
		VTEST_CASE(test_vi_connect__password_from_environment),
		VTEST_CASE(test_vi_connect__https_100_calls_one_connection),
		VTEST_CASE(test_vi_connect__gzip_requests_off_by_default),
		VTEST_END
	};
	return vtest_main("vi_connect", cases, suite_init, suite_fini);
}
