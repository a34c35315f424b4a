/*
 * hvsim - command line, HTTP(S) server on gSOAP's engine (Basic auth,
 * keep-alive, a thread per connection), the control endpoint and fault injection.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim.h"

#include "stdsoap2.h"

#include <errno.h>
#include <getopt.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Our own namespace table: only what the DOM parser and writer need. */
static struct Namespace hv_namespaces[] = {
	{ "SOAP-ENV", NS_S, "http://schemas.xmlsoap.org/soap/envelope/", NULL },
	{ "xsi", NS_XSI, NULL, NULL },
	{ NULL, NULL, NULL, NULL }
};

typedef struct conn_state {
	bool identify_unauth;
	int (*parsehdr)(struct soap *, const char *, const char *);
} conn_state;

static struct {
	const char *user, *password;
	bool tls;
	struct soap *master, *control;
	volatile sig_atomic_t stop;
	unsigned long connections, active;
	pthread_mutex_t lock;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

size_t hv_contexts_open(void);

static int parsehdr(struct soap *s, const char *key, const char *val)
{
	conn_state *cs = s->user;

	if (strcasecmp(key, "WSMANIDENTIFY") == 0 && strcasecmp(val, "unauthenticated") == 0) {
		cs->identify_unauth = true;
		return SOAP_OK;
	}
	return cs->parsehdr(s, key, val);
}

static int send_raw(struct soap *s, int status, const char *ctype, const char *extra, const char *body, size_t len)
{
	s->http_content = ctype;
	s->http_extra_header = extra;
	if (soap_response(s, SOAP_FILE + status) || soap_send_raw(s, body, len) || soap_end_send(s))
		return s->error;
	return SOAP_OK;
}

static bool auth_ok(struct soap *s)
{
	return s->userid && s->passwd && strcmp(s->userid, g.user) == 0 && strcmp(s->passwd, g.password) == 0;
}

/* Consume one injection counter under the model lock. */
static bool take(int *counter)
{
	bool r = false;

	pthread_mutex_lock(&g_model.lock);
	if (*counter > 0) {
		(*counter)--;
		r = true;
	}
	pthread_mutex_unlock(&g_model.lock);
	return r;
}

/* Serve one request on s; returns false when the connection must close. */
static bool serve_one(struct soap *s)
{
	conn_state *cs = s->user;
	struct soap_dom_element *env;
	vsdk_buf resp = VSDK_BUF_INIT;
	int status = 200, delay = 0;
	bool keep;

	cs->identify_unauth = false;
	soap_begin(s);
	if (soap_begin_recv(s)) {
		if (s->error == SOAP_STOP)
			return s->keep_alive != 0;
		if (s->error != SOAP_EOF && s->error != SOAP_TCP_ERROR) {
			static const char body[] = "<html><body>Method not allowed</body></html>";

			send_raw(s, s->error == SOAP_GET_METHOD ? 405 : 400, "text/html", NULL, body, sizeof(body) - 1);
		}
		return false;
	}
	env = soap_new_xsd__anyType(s, -1);
	if (!env || !soap_in_xsd__anyType(s, NULL, env, NULL) || soap_end_recv(s)) {
		static const char body[] = "<html><body>Bad Request: the body is not well-formed XML</body></html>";

		send_raw(s, 400, "text/html", NULL, body, sizeof(body) - 1);
		return false;
	}
	pthread_mutex_lock(&g_model.lock);
	g_model.requests++;
	if (g_model.inj.delay_count > 0) {
		g_model.inj.delay_count--;
		delay = g_model.inj.delay_ms;
	}
	pthread_mutex_unlock(&g_model.lock);
	if (delay > 0)
		vsdk__sleep_ms(delay);
	if (take(&g_model.inj.drop_count))
		return false;
	if (s->path[0] && strcmp(s->path, "/wsman") != 0 && strncmp(s->path, "/wsman?", 7) != 0) {
		static const char body[] = "<html><body>Not Found</body></html>";

		send_raw(s, 404, "text/html", NULL, body, sizeof(body) - 1);
		return s->keep_alive != 0;
	}
	if (cs->identify_unauth) {
		hv_wsman_identify(&resp, false);
	} else if (!auth_ok(s)) {
		static const char body[] = "";

		s->authrealm = "WSMAN";
		send_raw(s, 401, "text/html", "WWW-Authenticate: Basic realm=\"WSMAN\"", body, 0);
		return s->keep_alive != 0;
	} else if (take(&g_model.inj.http500_count)) {
		static const char body[] = "<html><head><title>Internal Server Error</title></head><body>"
					   "<h1>500 Internal Server Error (injected by hvsim)</h1></body></html>";

		send_raw(s, 500, "text/html; charset=utf-8", NULL, body, sizeof(body) - 1);
		return s->keep_alive != 0;
	} else if (take(&g_model.inj.http503_count)) {
		static const char body[] = "<html><body>Service Unavailable (injected by hvsim)</body></html>";
		char hdr[64];

		snprintf(hdr, sizeof(hdr), "Retry-After: %d", g_model.inj.retry_after > 0 ? g_model.inj.retry_after : 1);
		send_raw(s, 503, "text/html", hdr, body, sizeof(body) - 1);
		return s->keep_alive != 0;
	} else if (take(&g_model.inj.fault_count)) {
		char sub[128], code[32], text[512];
		bool sender;
		struct soap_dom_element *h = NULL, *mid = NULL;
		const char *relates = NULL;

		pthread_mutex_lock(&g_model.lock);
		snprintf(sub, sizeof(sub), "%s", g_model.inj.fault_sub[0] ? g_model.inj.fault_sub : "w:InternalError");
		snprintf(code, sizeof(code), "%s", g_model.inj.fault_code[0] ? g_model.inj.fault_code : "2150859174");
		snprintf(text, sizeof(text), "%s", g_model.inj.fault_text[0] ? g_model.inj.fault_text :
			 "The WS-Management service cannot process the request (fault injected by hvsim).");
		sender = g_model.inj.fault_sender;
		pthread_mutex_unlock(&g_model.lock);
		for (h = env->elts; h && !(h->name && strstr(h->name, "Header")); h = h->next)
			;
		for (mid = h ? h->elts : NULL; mid && !(mid->name && strstr(mid->name, "MessageID")); mid = mid->next)
			;
		relates = mid ? mid->text : NULL;
		hv_fault(&resp, relates, sender, sub, code, NULL, text);
		status = 500;
	} else {
		hv_wsman_handle(env, s->userid, &resp, &status);
	}
	if (!vsdk__buf_ok(&resp)) {
		static const char body[] = "<html><body>out of memory</body></html>";

		send_raw(s, 500, "text/html", NULL, body, sizeof(body) - 1);
		vsdk__buf_free(&resp);
		return false;
	}
	keep = send_raw(s, status, "application/soap+xml;charset=UTF-8", NULL, resp.ptr ? resp.ptr : "", resp.len) ==
	       SOAP_OK;
	vsdk__buf_free(&resp);
	return keep && s->keep_alive != 0;
}

static void *conn_thread(void *arg)
{
	struct soap *s = arg;
	conn_state cs = { false, s->fparsehdr };

	s->user = &cs;
	s->fparsehdr = parsehdr;
	if (g.tls && soap_ssl_accept(s) != SOAP_OK)
		goto done;
	while (!g.stop && serve_one(s)) {
		soap_destroy(s);
		soap_end(s);
	}
done:
	soap_destroy(s);
	soap_end(s);
	soap_free(s);
	pthread_mutex_lock(&g.lock);
	g.active--;
	pthread_mutex_unlock(&g.lock);
	return NULL;
}

/* ---- control endpoint ------------------------------------------------------ */

static const char *qarg(const char *query, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	const char *p = query;

	while (p && *p) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t k = 0;

			while (*v && *v != '&' && k + 1 < n) {
				if (*v == '%' && v[1] && v[2]) {
					char hex[3] = { v[1], v[2], 0 };

					buf[k++] = (char)strtol(hex, NULL, 16);
					v += 3;
				} else {
					buf[k++] = *v == '+' ? ' ' : *v;
					v++;
				}
			}
			buf[k] = '\0';
			return buf;
		}
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return NULL;
}

static int iarg(const char *q, const char *name, int def)
{
	char b[32];

	return qarg(q, name, b, sizeof(b)) ? atoi(b) : def;
}

static long vm_by_name(const char *v)
{
	long i = hv_vm_find(v);

	if (i >= 0)
		return i;
	for (size_t k = 0; k < g_model.n_vms; k++)
		if (strcmp(g_model.vms[k].name, v) == 0)
			return (long)k;
	return -1;
}

static const char *hostile[] = { "a'b\"c\\d", "<x>&amp;", "\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x96\xa5",
				 "]]> ' OR Name != '" };

/* Handle one control verb; writes a short text answer.  Returns the HTTP status. */
static int control_verb(const char *path, vsdk_buf *out)
{
	char verb[64], b1[512], b2[1024], b3[512];
	const char *q = strchr(path, '?');
	hv_inject *in = &g_model.inj;
	int st = 200;

	snprintf(verb, sizeof(verb), "%.*s", (int)(q ? q - path : (long)strlen(path)), path);
	q = q ? q + 1 : "";
	pthread_mutex_lock(&g_model.lock);
	if (strcmp(verb, "/job-exception") == 0) {
		in->next_job_exception = iarg(q, "count", 1);
		in->exc_code = (uint16_t)iarg(q, "code", 32768);
		snprintf(in->exc_desc, sizeof(in->exc_desc), "%s",
			 qarg(q, "desc", b1, sizeof(b1)) ? b1 : "The operation failed (injected by hvsim).");
	} else if (strcmp(verb, "/job-hang") == 0) {
		in->next_job_hang = iarg(q, "count", 1);
	} else if (strcmp(verb, "/fault") == 0) {
		in->fault_count = iarg(q, "count", 1);
		snprintf(in->fault_sub, sizeof(in->fault_sub), "%.127s",
			 qarg(q, "subcode", b1, sizeof(b1)) ? b1 : "w:InternalError");
		snprintf(in->fault_code, sizeof(in->fault_code), "%.31s",
			 qarg(q, "code", b3, sizeof(b3)) ? b3 : "2150859174");
		snprintf(in->fault_text, sizeof(in->fault_text), "%.511s", qarg(q, "text", b2, sizeof(b2)) ? b2 : "");
		in->fault_sender = iarg(q, "sender", 0) != 0;
	} else if (strcmp(verb, "/delay") == 0) {
		in->delay_ms = iarg(q, "ms", 1000);
		in->delay_count = iarg(q, "count", 1);
	} else if (strcmp(verb, "/drop") == 0) {
		in->drop_count = iarg(q, "count", 1);
	} else if (strcmp(verb, "/http500") == 0) {
		in->http500_count = iarg(q, "count", 1);
	} else if (strcmp(verb, "/http503") == 0) {
		in->http503_count = iarg(q, "count", 1);
		in->retry_after = iarg(q, "retry_after", 1);
	} else if (strcmp(verb, "/job-delay") == 0) {
		g_model.job_delay_ms = iarg(q, "ms", 0);
	} else if (strcmp(verb, "/reset") == 0) {
		memset(in, 0, sizeof(*in));
	} else if (strcmp(verb, "/hostile-names") == 0) {
		for (size_t i = 0; i < g_model.n_vms && i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			free(g_model.vms[i].name);
			g_model.vms[i].name = strdup(hostile[i]);
		}
	} else if (strcmp(verb, "/vm-state") == 0 || strcmp(verb, "/rename") == 0 || strcmp(verb, "/guest-kvp") == 0) {
		long vm = qarg(q, "vm", b1, sizeof(b1)) ? vm_by_name(b1) : -1;

		if (vm < 0) {
			st = 404;
			vsdk__buf_puts(out, "no such VM (vm=GUID or ElementName)\n");
		} else if (strcmp(verb, "/vm-state") == 0) {
			g_model.vms[vm].state = (uint16_t)iarg(q, "state", 2);
			g_model.vms[vm].last_change = hv_epoch_ms();
		} else if (strcmp(verb, "/rename") == 0 && qarg(q, "name", b2, sizeof(b2))) {
			free(g_model.vms[vm].name);
			g_model.vms[vm].name = strdup(b2);
		} else if (strcmp(verb, "/guest-kvp") == 0 && qarg(q, "name", b2, sizeof(b2))) {
			if (qarg(q, "data", b3, sizeof(b3)))
				hv_kvp_set(&g_model.vms[vm].guest, b2, b3);
			else if (hv_kvp_find(&g_model.vms[vm].guest, b2) >= 0)
				hv_kvp_del(&g_model.vms[vm].guest, hv_kvp_find(&g_model.vms[vm].guest, b2));
		} else {
			st = 400;
			vsdk__buf_puts(out, "missing name=\n");
		}
	} else if (strcmp(verb, "/stats") == 0) {
		size_t running = 0;

		for (size_t i = 0; i < g_model.n_jobs; i++)
			running += g_model.jobs[i].final_state == 0;
		vsdk__buf_printf(out, "{\"requests\":%lu,\"connections\":%lu,\"active_connections\":%lu,"
				      "\"enumeration_contexts\":%zu,\"jobs\":%zu,\"jobs_running\":%zu,\"vms\":%zu}\n",
				 g_model.requests, g.connections, g.active, hv_contexts_open(), g_model.n_jobs, running,
				 g_model.n_vms);
	} else {
		st = 404;
		vsdk__buf_printf(out, "unknown control verb %s\n", verb);
	}
	pthread_mutex_unlock(&g_model.lock);
	if (st == 200 && out->len == 0)
		vsdk__buf_puts(out, "ok\n");
	return st;
}

static int control_get(struct soap *s)
{
	vsdk_buf out = VSDK_BUF_INIT;
	int st = control_verb(s->path, &out);

	send_raw(s, st, "text/plain", NULL, out.ptr ? out.ptr : "", out.len);
	vsdk__buf_free(&out);
	return SOAP_STOP;
}

static void *control_conn(void *arg)
{
	struct soap *s = arg;

	s->fget = control_get;
	while (!g.stop) {
		vsdk_buf out = VSDK_BUF_INIT;
		int st;

		soap_begin(s);
		if (soap_begin_recv(s)) {
			if (s->error == SOAP_STOP && s->keep_alive)
				continue;
			break;
		}
		{
			size_t len;

			(void)soap_http_get_body(s, &len);
		}
		soap_end_recv(s);
		st = control_verb(s->path, &out);
		send_raw(s, st, "text/plain", NULL, out.ptr ? out.ptr : "", out.len);
		vsdk__buf_free(&out);
		if (!s->keep_alive)
			break;
		soap_destroy(s);
		soap_end(s);
	}
	soap_destroy(s);
	soap_end(s);
	soap_free(s);
	return NULL;
}

static void *control_loop(void *arg)
{
	(void)arg;
	while (!g.stop) {
		pthread_t t;
		struct soap *c;

		if (!soap_valid_socket(soap_accept(g.control)))
			continue;
		c = soap_copy(g.control);
		if (!c) {
			soap_force_closesock(g.control);
			continue;
		}
		g.control->socket = SOAP_INVALID_SOCKET;
		if (pthread_create(&t, NULL, control_conn, c) != 0) {
			soap_force_closesock(c);
			soap_free(c);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

/* ---- main ------------------------------------------------------------------- */

static void on_term(int sig)
{
	(void)sig;
	g.stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvsim --listen 127.0.0.1:PORT [options]\n"
		"  A Hyper-V (WMI root/virtualization/v2 over WS-Management) simulator.\n"
		"  Prints its endpoint URL (http[s]://127.0.0.1:PORT/wsman) as the first stdout line,\n"
		"  then the control URL (when --control-listen is given), and serves until SIGTERM.\n"
		"options:\n"
		"  --listen ADDR:PORT        address to serve on (port 0 = pick a free one); default 127.0.0.1:0\n"
		"  --vms N                   number of virtual machines (default 5)\n"
		"  --user U --password P     the Basic credentials to accept (default admin / secret)\n"
		"  --tls-cert F --tls-key F  serve HTTPS with this PEM certificate (chain) and key\n"
		"  --job-delay-ms N          how long a job takes from New to Completed (default 0)\n"
		"  --hostile-names           the first VMs get names with quotes, backslashes, markup, UTF-8\n"
		"  --control-listen ADDR:PORT  a plain-HTTP control endpoint (see README.md for verbs)\n"
		"  --help                    this text\n");
}

static bool split_addr(const char *s, char *host, size_t n, int *port)
{
	const char *c = strrchr(s, ':');

	if (!c || c == s || (size_t)(c - s) >= n)
		return false;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = '\0';
	*port = atoi(c + 1);
	return *port >= 0 && *port < 65536;
}

static int bound_port(struct soap *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(s->master, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static struct soap *make_server(const char *addr, int *port)
{
	char host[128];
	struct soap *s;

	if (!split_addr(addr, host, sizeof(host), port)) {
		fprintf(stderr, "hvsim: bad address '%s' (expected HOST:PORT)\n", addr);
		return NULL;
	}
	s = soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING | SOAP_XML_NOTYPE);
	if (!s)
		return NULL;
	soap_set_namespaces(s, hv_namespaces);
	s->bind_flags = SO_REUSEADDR;
	s->send_timeout = 60;
	s->recv_timeout = 300;
	s->accept_timeout = 1;
	s->max_keep_alive = 0; /* no limit on requests per connection */
	if (!soap_valid_socket(soap_bind(s, host, *port, 100))) {
		fprintf(stderr, "hvsim: cannot listen on %s: ", addr);
		soap_print_fault(s, stderr);
		soap_free(s);
		return NULL;
	}
	*port = bound_port(s);
	return s;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "vms", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "job-delay-ms", required_argument, NULL, 'd' },
		{ "control-listen", required_argument, NULL, 'C' },
		{ "hostile-names", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *listen = "127.0.0.1:0", *cert = NULL, *key = NULL, *control = NULL;
	long vms = 5;
	int delay = 0, port, cport = 0, o;
	bool hostile_names = false;
	struct sigaction sa;
	pthread_t ct;
	char *end;

	g.user = "admin";
	g.password = "secret";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l': listen = optarg; break;
		case 'n':
			vms = strtol(optarg, &end, 10);
			if (*end || vms < 0 || vms > 1000000) {
				fprintf(stderr, "hvsim: --vms must be 0..1000000\n");
				return 2;
			}
			break;
		case 'u': g.user = optarg; break;
		case 'p': g.password = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'd': delay = atoi(optarg); break;
		case 'C': control = optarg; break;
		case 'H': hostile_names = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (!cert) != (!key)) {
		usage(stderr);
		return 2;
	}
	if (hv_model_init(&g_model, (size_t)vms, hostile_names, delay) != 0) {
		fprintf(stderr, "hvsim: out of memory\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	g.master = make_server(listen, &port);
	if (!g.master)
		return 1;
	if (cert) {
		g.tls = true;
		if (soap_ssl_server_context(g.master, SOAP_SSL_NO_AUTHENTICATION | SOAP_TLSv1_2 | SOAP_TLSv1_3, NULL,
					    NULL, NULL, NULL, NULL, NULL, NULL) ||
		    !g.master->ctx || SSL_CTX_use_certificate_chain_file(g.master->ctx, cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(g.master->ctx, key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(g.master->ctx) != 1) {
			fprintf(stderr, "hvsim: cannot load the TLS certificate %s / key %s\n", cert, key);
			return 1;
		}
	}
	if (control) {
		g.control = make_server(control, &cport);
		if (!g.control)
			return 1;
	}
	printf("%s://127.0.0.1:%d/wsman\n", g.tls ? "https" : "http", port);
	if (control)
		printf("http://127.0.0.1:%d/\n", cport);
	fflush(stdout);
	if (control && pthread_create(&ct, NULL, control_loop, NULL) != 0)
		return 1;

	while (!g.stop) {
		pthread_t t;
		struct soap *c;

		if (!soap_valid_socket(soap_accept(g.master)))
			continue;
		c = soap_copy(g.master);
		if (!c) {
			soap_force_closesock(g.master);
			continue;
		}
		g.master->socket = SOAP_INVALID_SOCKET;
		pthread_mutex_lock(&g.lock);
		g.connections++;
		g.active++;
		pthread_mutex_unlock(&g.lock);
		if (pthread_create(&t, NULL, conn_thread, c) != 0) {
			soap_force_closesock(c);
			soap_free(c);
			pthread_mutex_lock(&g.lock);
			g.active--;
			pthread_mutex_unlock(&g.lock);
			continue;
		}
		pthread_detach(t);
	}
	if (control)
		pthread_join(ct, NULL);
	return 0;
}
