/*
 * Fault injection on VI sessions: the vcsim harness's /fault control (reset,
 * HTTP 500/401/503, slow server) and a scripted loopback server of ours
 * (refused connection, reset mid-response, truncated XML, oversized
 * responses by Content-Length and by chunked stream, invalid UTF-8, deep
 * nesting, DTD entity bombs and external entities, an unknown fault type).
 * Each fault must give a clear error and leave the session usable.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"
#include "vi_private.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static char *tmp;
static vsim_vc esx;

static int auth_secret(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	(void)host;
	if (!*user)
		*user = strdup("root");
	*password = strdup("secret");
	return VSDK_OK;
}

static int suite_init(void)
{
	tmp = vtest_tmpdir();
	if (!tmp)
		return 1;
	if (!vsim_vc_start(&esx, "--model", "esx", "--vms", "3", "--user", "root", "--password", "secret", NULL))
		return 1;
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	vtest_rmtree(tmp);
	free(tmp);
	return 0;
}

static int open_at(vsdk_session **s, const char *hostport, const char *params, vsdk_session_options *o)
{
	char uri[512];
	vsdk_session_options def = VSDK_SESSION_OPTIONS_INIT;

	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http%s%s", hostport, *params ? "&" : "", params);
	if (!o)
		o = &def;
	o->auth = auth_secret;
	return vsdk_session_open(s, uri, o);
}

static size_t count_vms(vsdk_session *s, int *rc)
{
	char **names = NULL;
	size_t n = 0;

	*rc = vsdk_vi_list_vm_names(s, &names, &n);
	vsdk_strv_free(names, n);
	return n;
}

static bool has(const char *needle)
{
	const char *m = vsdk_error_last()->message;

	if (strstr(m, needle))
		return true;
	fprintf(stdout, "\n  message '%s' lacks '%s'\n", m, needle);
	return false;
}

/* ---- harness faults ----------------------------------------------------- */

/* Arm one harness fault, run a call that must fail with code, then heal. */
static void harness_fault(const char *fault, const char *params, int code, const char *text, int status)
{
	vsdk_session *s = NULL;
	int rc;

	CU_ASSERT_EQUAL_FATAL(open_at(&s, esx.hostport, params, NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsim_control(&esx, "POST", fault), 200);
	count_vms(s, &rc);
	CU_ASSERT_EQUAL(rc, code);
	CU_ASSERT(has(text));
	CU_ASSERT(has(esx.hostport));
	if (status)
		CU_ASSERT_EQUAL(vsdk_error_last()->http_status, status);
	vsim_control(&esx, "DELETE", "/fault");
	/* The same session works again against the healthy server. */
	CU_ASSERT_EQUAL(count_vms(s, &rc), 3);
	CU_ASSERT_EQUAL(rc, VSDK_OK);
	vsdk_session_close(s);
}

static void test_faults_vi__reset_by_harness_is_eio_then_usable(void)
{
	harness_fault("/fault?kind=reset&count=1", "", VSDK_EIO, "closed", 0);
}

static void test_faults_vi__http_500_html_body_is_eio_with_status(void)
{
	harness_fault("/fault?kind=http-error&status=500&count=1", "", VSDK_EIO, "HTTP 500", 500);
}

static void test_faults_vi__http_401_is_eauth(void)
{
	harness_fault("/fault?kind=http-error&status=401&count=1", "", VSDK_EAUTH, "HTTP 401", 0);
}

static void test_faults_vi__http_503_reports_retry_after(void)
{
	harness_fault("/fault?kind=http-error&status=503&retry-after=7&count=1", "", VSDK_EIO, "retry after 7 s", 503);
}

static void test_faults_vi__server_slower_than_io_timeout_is_etimeout(void)
{
	int64_t t0 = vsdk__now_ms();

	harness_fault("/fault?kind=delay&ms=3000&count=1", "io_timeout_ms=400", VSDK_ETIMEOUT, "io_timeout_ms", 0);
	CU_ASSERT(vsdk__now_ms() - t0 < 2900); /* gave up at the timeout, did not wait the delay out */
}

/* A task that never ends: the wait gives up at its timeout; the session goes on. */
static void test_faults_vi__task_that_never_ends_times_out(void)
{
	vsdk_session *s = NULL;
	char url[512], *json = NULL, moref[64] = "";
	const char *m;
	int rc;
	int64_t t0;

	snprintf(url, sizeof(url), "%s/vm?vm=ha-host_VM0", esx.control);
	CU_ASSERT_EQUAL_FATAL(vsim_http(url, "GET", NULL, &json), 200);
	m = json ? strstr(json, "\"moref\"") : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	sscanf(strchr(m + 7, '"') + 1, "%63[^\"]", moref);
	free(json);
	CU_ASSERT_EQUAL_FATAL(open_at(&s, esx.hostport, "", NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsim_control(&esx, "POST", "/task-delay?ms=-1"), 200);
	t0 = vsdk__now_ms();
	rc = vsdk_vi_vm_power_off(s, moref, 1000);
	CU_ASSERT_EQUAL(rc, VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 5000);
	if (rc != VSDK_ETIMEOUT)
		fprintf(stdout, "\n  got %d: %s\n", rc, vsdk_error_last()->message);
	CU_ASSERT(has("task") || has("Task"));
	vsim_control(&esx, "POST", "/task-delay?ms=0"); /* releases the waiting task */
	CU_ASSERT_EQUAL(count_vms(s, &rc), 3);
	CU_ASSERT_EQUAL(rc, VSDK_OK);
	vsdk_session_close(s);
}

static void test_faults_vi__connection_refused_is_eio_naming_the_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char hp[64];
	vsdk_session *s = NULL;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	close(fd); /* bound, never listened: nothing accepts on it */
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", ntohs(sa.sin_port));
	CU_ASSERT_EQUAL(open_at(&s, hp, "", NULL), VSDK_EIO);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has("cannot connect"));
	CU_ASSERT(has(hp));
}

/* ---- a scripted server: healthy VI replies, one fault on demand --------- */

enum fault {
	F_NONE,
	F_RESET_MID,
	F_TRUNCATED,
	F_HUGE_LENGTH,
	F_CHUNKED_FOREVER,
	F_BAD_UTF8,
	F_DEEP,
	F_ENTITY_BOMB,
	F_EXTERNAL_ENTITY,
	F_UNKNOWN_FAULT,
	F_SPLIT_UTF8,        /* a valid 2-byte character split between two TCP writes */
	F_SPLIT_DTD,         /* "<!DOC" + "TYPE" in two writes */
	F_NOT_AUTHENTICATED, /* then F_VIEW_GONE: the session expired and took its view along */
	F_VIEW_GONE,
};

typedef struct fsrv {
	int fd, port;
	pthread_t thread;
	volatile bool stop;
	volatile enum fault fault; /* applied to the next RetrievePropertiesEx, then cleared */
	volatile unsigned long connections, requests, evil_requests, faults_served;
	volatile unsigned long long streamed;
} fsrv;

#define ENV_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" \
	"<soapenv:Body>"
#define ENV_TAIL "</soapenv:Body></soapenv:Envelope>"
#define RPE_HEAD "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>" \
	"<obj type=\"VirtualMachine\">vm-1</obj><propSet><name>name</name><val xsi:type=\"xsd:string\">"
#define RPE_TAIL "</val></propSet></objects></returnval></RetrievePropertiesExResponse>"

static char *healthy_body(const char *req)
{
	if (strstr(req, "RetrieveServiceContent"))
		return vtest_read_file("tests/fixtures/vi/service-content-esx.xml", NULL);
	if (strstr(req, "<Login") || strstr(req, ":Login"))
		return vtest_read_file("tests/fixtures/vi/login-response.xml", NULL);
	if (strstr(req, "Logout"))
		return vtest_read_file("tests/fixtures/vi/logout-response.xml", NULL);
	if (strstr(req, "CreateContainerView"))
		return strdup(ENV_HEAD "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval type=\"ContainerView\">"
			      "session[1]view-1</returnval></CreateContainerViewResponse>" ENV_TAIL);
	if (strstr(req, "DestroyView"))
		return strdup(ENV_HEAD "<DestroyViewResponse xmlns=\"urn:vim25\"/>" ENV_TAIL);
	if (strstr(req, "RetrievePropertiesEx"))
		return strdup(ENV_HEAD RPE_HEAD "vm one" RPE_TAIL ENV_TAIL);
	return NULL;
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static void send_response(int fd, int status, const char *body, const char *extra)
{
	size_t len;
	char *r = vsim_http_response(status, "text/xml; charset=utf-8", body, false, extra, &len);

	if (r)
		send_all(fd, r, len);
	free(r);
}

/* Stream filler until the client gives up (or 4 GiB); never buffers it. */
static void stream(fsrv *f, int fd, bool chunked)
{
	static char block[65536];

	static const char prefix[] = ENV_HEAD RPE_HEAD;
	char head[32];

	memset(block, 'A', sizeof(block));
	/* A well-formed start, then a string value that never ends. */
	if (chunked) {
		int hl = snprintf(head, sizeof(head), "%zx\r\n", sizeof(prefix) - 1);

		send_all(fd, head, (size_t)hl);
	}
	send_all(fd, prefix, sizeof(prefix) - 1);
	if (chunked)
		send_all(fd, "\r\n", 2);
	while (!f->stop && f->streamed < (4ULL << 30)) {
		if (chunked) {
			int hl = snprintf(head, sizeof(head), "%zx\r\n", sizeof(block));

			if (!send_all(fd, head, (size_t)hl))
				break;
		}
		if (!send_all(fd, block, sizeof(block)) || (chunked && !send_all(fd, "\r\n", 2)))
			break;
		f->streamed += sizeof(block);
	}
}

static char *deep_body(int depth)
{
	vsdk_buf b = { 0 };

	/* An untyped value is parsed as a DOM tree (a typed string would be read as text). */
	vsdk__buf_puts(&b, ENV_HEAD "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
			   "<obj type=\"VirtualMachine\">vm-1</obj><propSet><name>name</name><val>");
	for (int i = 0; i < depth; i++)
		vsdk__buf_puts(&b, "<a>");
	for (int i = 0; i < depth; i++)
		vsdk__buf_puts(&b, "</a>");
	vsdk__buf_puts(&b, RPE_TAIL ENV_TAIL);
	return vsdk__buf_detach(&b);
}

/* Returns false when the connection must be closed. */
static bool serve_fault(fsrv *f, int fd, enum fault fault)
{
	char *body, buf[1024];

	switch (fault) {
	case F_RESET_MID: {
		struct linger lg = { 1, 0 };
		size_t len;
		char *full = healthy_body("RetrievePropertiesEx");
		char *r = vsim_http_response(200, "text/xml", full, false, NULL, &len);

		send_all(fd, r, len / 2);
		free(full);
		free(r);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)); /* close sends RST */
		return false;
	}
	case F_TRUNCATED:
		send_response(fd, 200, ENV_HEAD RPE_HEAD "vm o", NULL);
		return true;
	case F_HUGE_LENGTH:
		snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 10000000000\r\n\r\n");
		send_all(fd, buf, strlen(buf));
		stream(f, fd, false);
		return false;
	case F_CHUNKED_FOREVER:
		snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n");
		send_all(fd, buf, strlen(buf));
		stream(f, fd, true);
		return false;
	case F_BAD_UTF8:
		send_response(fd, 200, ENV_HEAD RPE_HEAD "bad \xC3\x28 utf8 \xFF\xFE" RPE_TAIL ENV_TAIL, NULL);
		return true;
	case F_DEEP:
		body = deep_body(5000);
		send_response(fd, 200, body, NULL);
		free(body);
		return true;
	case F_ENTITY_BOMB:
		send_response(fd, 200,
			      "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaaaaaaaa\">"
			      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
			      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
			      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
			      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
			      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>"
			      "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>" RPE_HEAD
			      "&f;&f;&f;&f;&f;&f;&f;&f;" RPE_TAIL ENV_TAIL,
			      NULL);
		return true;
	case F_EXTERNAL_ENTITY:
		snprintf(buf, sizeof(buf),
			 "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY web SYSTEM \"http://127.0.0.1:%d/evil\">"
			 "<!ENTITY file SYSTEM \"file:///etc/passwd\">]>", f->port);
		body = NULL;
		if (asprintf(&body, "%s<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
				    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>" RPE_HEAD
				    "&web;&file;" RPE_TAIL ENV_TAIL, buf) > 0) {
			send_response(fd, 200, body, NULL);
			free(body);
		}
		return true;
	case F_UNKNOWN_FAULT:
		send_response(fd, 500,
			      ENV_HEAD "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>a fault from "
				       "the future</faultstring><detail><FutureThingFault xmlns=\"urn:vim25\" "
				       "xsi:type=\"FutureThing\"><x>1</x></FutureThingFault></detail></soapenv:Fault>" ENV_TAIL,
			      NULL);
		return true;
	case F_SPLIT_UTF8:
	case F_SPLIT_DTD: {
		const char *b = fault == F_SPLIT_UTF8 ? ENV_HEAD RPE_HEAD "vm \xC3\xA9t\xC3\xA9" RPE_TAIL ENV_TAIL
						      : "<?xml version=\"1.0\"?>\n<!DOCTYPE x>" ENV_HEAD RPE_HEAD "x" RPE_TAIL ENV_TAIL;
		const char *cut = fault == F_SPLIT_UTF8 ? strchr(b, '\xC3') + 1 : strstr(b, "<!DOC") + 5;
		size_t len;
		char *r = vsim_http_response(200, "text/xml; charset=utf-8", b, false, NULL, &len);
		size_t at = (size_t)(strstr(r, "\r\n\r\n") + 4 - r) + (size_t)(cut - b);

		send_all(fd, r, at);
		usleep(100000); /* the client reads the first part on its own */
		send_all(fd, r + at, len - at);
		free(r);
		return true;
	}
	case F_NOT_AUTHENTICATED:
		f->fault = F_VIEW_GONE;
		send_response(fd, 500,
			      ENV_HEAD "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not "
				       "authenticated.</faultstring><detail><NotAuthenticatedFault xmlns=\"urn:vim25\" "
				       "xsi:type=\"NotAuthenticated\"><object type=\"PropertyCollector\">ha-property-collector"
				       "</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail>"
				       "</soapenv:Fault>" ENV_TAIL,
			      NULL);
		return true;
	case F_VIEW_GONE:
		send_response(fd, 500,
			      ENV_HEAD "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The object has "
				       "already been deleted</faultstring><detail><ManagedObjectNotFoundFault "
				       "xmlns=\"urn:vim25\" xsi:type=\"ManagedObjectNotFound\"><obj type=\"ContainerView\">"
				       "session[1]view-1</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault>" ENV_TAIL,
			      NULL);
		return true;
	case F_NONE:
		break;
	}
	return true;
}

static ssize_t read_req(int fd, char **out)
{
	size_t n = 0, cap = 1 << 16, want = 0;
	char *buf = malloc(cap);

	while (buf) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		char *end;

		if (poll(&p, 1, 5000) <= 0)
			break;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - n - 1)) <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		if (!want && (end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "Content-Length:");

			want = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (want && n >= want) {
			*out = buf;
			return (ssize_t)n;
		}
	}
	free(buf);
	return -1;
}

static void *fsrv_thread(void *arg)
{
	fsrv *f = arg;

	while (!f->stop) {
		struct pollfd p = { f->fd, POLLIN, 0 };
		int c;
		bool keep = true;

		if (poll(&p, 1, 50) <= 0 || (c = accept(f->fd, NULL, NULL)) < 0)
			continue;
		f->connections++;
		while (keep && !f->stop) {
			char *req = NULL, *body;

			if (read_req(c, &req) < 0)
				break;
			f->requests++;
			if (strncmp(req, "GET /evil", 9) == 0) {
				f->evil_requests++;
				send_response(c, 200, "<x>fetched</x>", NULL);
			} else if (strstr(req, "RetrievePropertiesEx") && f->fault != F_NONE) {
				enum fault fault = f->fault;

				f->fault = F_NONE;
				f->faults_served++;
				keep = serve_fault(f, c, fault);
			} else if ((body = healthy_body(req))) {
				send_response(c, 200, body, NULL);
				free(body);
			} else {
				keep = false;
			}
			free(req);
		}
		close(c);
	}
	return NULL;
}

static bool fsrv_start(fsrv *f)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	int one = 1;

	memset(f, 0, sizeof(*f));
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(f->fd, 16) ||
	    getsockname(f->fd, (struct sockaddr *)&sa, &sl))
		return false;
	f->port = ntohs(sa.sin_port);
	return pthread_create(&f->thread, NULL, fsrv_thread, f) == 0;
}

static void fsrv_stop(fsrv *f)
{
	f->stop = true;
	pthread_join(f->thread, NULL);
	close(f->fd);
}

typedef struct scripted {
	fsrv f;
	vsdk_session *s;
	char hp[64];
} scripted;

static void scripted_open(scripted *x, vsdk_session_options *o)
{
	CU_ASSERT_FATAL(fsrv_start(&x->f));
	snprintf(x->hp, sizeof(x->hp), "127.0.0.1:%d", x->f.port);
	x->s = NULL;
	CU_ASSERT_EQUAL_FATAL(open_at(&x->s, x->hp, "io_timeout_ms=5000", o), VSDK_OK);
}

/* Inject fault into the next retrieve; it must fail with code; then heal. */
static void scripted_fault(scripted *x, enum fault fault, int code, const char *text)
{
	int rc;

	x->f.fault = fault;
	count_vms(x->s, &rc);
	if (rc != code)
		fprintf(stdout, "\n  got %d (%s), expected %d\n", rc, vsdk_error_last()->message, code);
	CU_ASSERT_EQUAL(rc, code);
	CU_ASSERT(has(text));
	CU_ASSERT_EQUAL(count_vms(x->s, &rc), 1);
	CU_ASSERT_EQUAL(rc, VSDK_OK);
}

static void scripted_close(scripted *x)
{
	vsdk_session_close(x->s);
	fsrv_stop(&x->f);
}

static void test_faults_vi__reset_mid_response_is_eproto_then_usable(void)
{
	scripted x;

	scripted_open(&x, NULL);
	/* Half a response, then RST: the body ended early. */
	scripted_fault(&x, F_RESET_MID, VSDK_EPROTO, "ended early");
	scripted_close(&x);
}

static void test_faults_vi__truncated_xml_is_eproto_then_usable(void)
{
	scripted x;

	scripted_open(&x, NULL);
	scripted_fault(&x, F_TRUNCATED, VSDK_EPROTO, "malformed response");
	scripted_close(&x);
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void oversized(enum fault fault)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	scripted x;
	long before;

	o.max_response_bytes = 1 << 20;
	scripted_open(&x, &o);
	before = peak_rss_kb();
	scripted_fault(&x, fault, VSDK_ELIMIT, "max_response_bytes");
	/* Refused near the limit: neither the announced size nor the stream was buffered. */
	CU_ASSERT(peak_rss_kb() - before < 48 * 1024);
	CU_ASSERT(x.f.streamed < (64ULL << 20));
	fprintf(stdout, "[peak RSS +%ld KiB, %llu KiB streamed] ", peak_rss_kb() - before, x.f.streamed >> 10);
	scripted_close(&x);
}

static void test_faults_vi__huge_content_length_refused_without_allocating(void)
{
	oversized(F_HUGE_LENGTH);
}

static void test_faults_vi__endless_chunked_stream_refused_at_the_limit(void)
{
	oversized(F_CHUNKED_FOREVER);
}

static void test_faults_vi__invalid_utf8_is_eproto(void)
{
	scripted x;

	scripted_open(&x, NULL);
	scripted_fault(&x, F_BAD_UTF8, VSDK_EPROTO, "UTF-8");
	scripted_close(&x);
}

static void test_faults_vi__nesting_deeper_than_max_xml_depth_is_elimit(void)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	scripted x;

	o.max_xml_depth = 64;
	scripted_open(&x, &o);
	scripted_fault(&x, F_DEEP, VSDK_ELIMIT, "max_xml_depth");
	scripted_close(&x);
}

static void test_faults_vi__entity_bomb_never_expanded(void)
{
	scripted x;
	long before;

	scripted_open(&x, NULL);
	before = peak_rss_kb();
	scripted_fault(&x, F_ENTITY_BOMB, VSDK_EPROTO, "DOCTYPE");
	CU_ASSERT(peak_rss_kb() - before < 32 * 1024);
	scripted_close(&x);
}

static void test_faults_vi__external_entities_never_fetched(void)
{
	scripted x;

	scripted_open(&x, NULL);
	scripted_fault(&x, F_EXTERNAL_ENTITY, VSDK_EPROTO, "DOCTYPE");
	CU_ASSERT_EQUAL(x.f.evil_requests, 0);
	CU_ASSERT_PTR_NULL(strstr(vsdk_error_last()->message, "root:"));
	scripted_close(&x);
}

static void test_faults_vi__unknown_fault_type_is_named(void)
{
	scripted x;

	scripted_open(&x, NULL);
	x.f.fault = F_UNKNOWN_FAULT;
	{
		int rc;

		count_vms(x.s, &rc);
		CU_ASSERT_EQUAL(rc, VSDK_EFAULT);
		CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "FutureThing");
		CU_ASSERT(has("a fault from the future"));
		CU_ASSERT_EQUAL(count_vms(x.s, &rc), 1);
		CU_ASSERT_EQUAL(rc, VSDK_OK);
	}
	scripted_close(&x);
}

static int name_cb(void *payload, const vsdk_vi_object *o)
{
	const char *n = vsdk_vi_object_get(o, "name");

	snprintf(payload, 64, "%s", n ? n : "");
	return 0;
}

/*
 * The body checks work across reads: no false alarm, no miss.  And the
 * name arrives as the UTF-8 it was (it used to come back as Latin-1).
 */
static void test_faults_vi__utf8_and_doctype_checks_span_reads(void)
{
	static const char *const paths[] = { "name" };
	scripted x;
	char name[64] = "";

	scripted_open(&x, NULL);
	x.f.fault = F_SPLIT_UTF8;
	CU_ASSERT_EQUAL(vsdk_vi_retrieve(x.s, "VirtualMachine", paths, 1, 0, name_cb, name), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(name, "vm \xC3\xA9t\xC3\xA9");
	scripted_fault(&x, F_SPLIT_DTD, VSDK_EPROTO, "DOCTYPE");
	scripted_close(&x);
}

/* Expired mid-retrieve: log in again, find the view gone, start over once. */
static void test_faults_vi__session_expiry_mid_retrieve_starts_over(void)
{
	scripted x;
	int rc;

	scripted_open(&x, NULL);
	x.f.fault = F_NOT_AUTHENTICATED;
	CU_ASSERT_EQUAL(count_vms(x.s, &rc), 1);
	CU_ASSERT_EQUAL(rc, VSDK_OK);
	CU_ASSERT_EQUAL(x.s->vi->relogins, 1);
	CU_ASSERT_EQUAL(x.f.faults_served, 2); /* NotAuthenticated, then the vanished view */
	scripted_close(&x);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_faults_vi__reset_by_harness_is_eio_then_usable),
		VTEST_CASE(test_faults_vi__http_500_html_body_is_eio_with_status),
		VTEST_CASE(test_faults_vi__http_401_is_eauth),
		VTEST_CASE(test_faults_vi__http_503_reports_retry_after),
		VTEST_CASE(test_faults_vi__server_slower_than_io_timeout_is_etimeout),
		VTEST_CASE(test_faults_vi__task_that_never_ends_times_out),
		VTEST_CASE(test_faults_vi__connection_refused_is_eio_naming_the_port),
		VTEST_CASE(test_faults_vi__reset_mid_response_is_eproto_then_usable),
		VTEST_CASE(test_faults_vi__truncated_xml_is_eproto_then_usable),
		VTEST_CASE(test_faults_vi__huge_content_length_refused_without_allocating),
		VTEST_CASE(test_faults_vi__endless_chunked_stream_refused_at_the_limit),
		VTEST_CASE(test_faults_vi__invalid_utf8_is_eproto),
		VTEST_CASE(test_faults_vi__nesting_deeper_than_max_xml_depth_is_elimit),
		VTEST_CASE(test_faults_vi__entity_bomb_never_expanded),
		VTEST_CASE(test_faults_vi__external_entities_never_fetched),
		VTEST_CASE(test_faults_vi__unknown_fault_type_is_named),
		VTEST_CASE(test_faults_vi__session_expiry_mid_retrieve_starts_over),
		VTEST_CASE(test_faults_vi__utf8_and_doctype_checks_span_reads),
		VTEST_END
	};
	return vtest_main("faults_vi", cases, suite_init, suite_fini);
}
