/*
 * vsdk test support: simulators, test CA, control HTTP, raw server.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/vi.h"
#include "vsdk/vi_inventory.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

static bool read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;

		if (poll(&p, 1, timeout_ms) <= 0 || read(fd, &c, 1) != 1)
			return false;
		if (c == '\n') {
			buf[n] = '\0';
			return true;
		}
		if (n + 1 < cap)
			buf[n++] = c;
	}
}

bool vsim_vc_start(vsim_vc *vc, const char *arg, ...)
{
	char *argv[64];
	int n = 0;
	va_list ap;
	const char *p, *q;

	memset(vc, 0, sizeof(*vc));
	static char path[512];
	const char *bin = getenv("VSDK_BIN");

	snprintf(path, sizeof(path), "%s/vcsim-harness", bin && *bin ? bin : "generated/build/bin");
	argv[n++] = path;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	va_start(ap, arg);
	for (const char *a = arg; a && n < 62; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	if (!vtest_server_start(&vc->srv, argv, 60000))
		return false;
	if (!read_line(vc->srv.out_fd, vc->control, sizeof(vc->control), 10000)) {
		vtest_server_stop(&vc->srv);
		return false;
	}
	p = strstr(vc->srv.url, "://");
	if (p) {
		p += 3;
		q = strchr(p, '/');
		snprintf(vc->hostport, sizeof(vc->hostport), "%.*s", (int)(q ? q - p : (long)strlen(p)), p);
	}
	return true;
}

void vsim_vc_stop(vsim_vc *vc)
{
	vtest_server_stop(&vc->srv);
}

int vsim_http(const char *url, const char *method, const char *body, char **response)
{
	struct sockaddr_in sa = { 0 };
	const char *p = strstr(url, "://"), *path;
	char host[64], req[4096], *buf = NULL;
	size_t n = 0, cap = 0;
	int fd, port, status = -1;

	if (response)
		*response = NULL;
	if (!p)
		return -1;
	p += 3;
	if (sscanf(p, "%63[^:]:%d", host, &port) != 2)
		return -1;
	path = strchr(p, '/');
	if (!path)
		path = "/";
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, host, &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 method, path, host, port, body ? strlen(body) : 0, body ? body : "");
	if (write(fd, req, strlen(req)) < 0) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t r;

		if (n + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 16384);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (buf) {
		buf[n] = '\0';
		sscanf(buf, "HTTP/1.%*d %d", &status);
		if (response)
			*response = buf;
		else
			free(buf);
	}
	return status;
}

int vsim_control(const vsim_vc *vc, const char *method, const char *path_and_query)
{
	char url[512];

	snprintf(url, sizeof(url), "%s%s", vc->control, path_and_query);
	return vsim_http(url, method, NULL, NULL);
}

const char *vsim_vc_json(const vsim_vc *vc, const char *path, const char *field)
{
	static char val[512];
	char url[512], key[64], *body = NULL;
	const char *p;
	size_t n = 0;

	val[0] = '\0';
	snprintf(url, sizeof(url), "%s%s", vc->control, path);
	if (vsim_http(url, "GET", NULL, &body) != 200 || !body) {
		free(body);
		return val;
	}
	snprintf(key, sizeof(key), "\"%s\":\"", field);
	if ((p = strstr(body, key))) {
		p += strlen(key);
		while (p[n] && p[n] != '"' && n + 1 < sizeof(val))
			n++;
		memcpy(val, p, n);
		val[n] = '\0';
	}
	free(body);
	return val;
}

struct one_prop {
	const char *id;
	const char *path;
	char *val;
};

static int one_prop_cb(void *payload, const vsdk_vi_object *o)
{
	struct one_prop *w = payload;
	const char *v;

	if (strcmp(vsdk_vi_object_id(o), w->id) != 0)
		return 0;
	v = vsdk_vi_object_get(o, w->path);
	w->val = strdup(v ? v : "");
	return 1;
}

char *vsim_vm_prop(struct vsdk_session *s, const char *vm, const char *path)
{
	struct one_prop w = { vm, path, NULL };
	const char *paths[1] = { path };

	vsdk_vi_retrieve(s, "VirtualMachine", paths, 1, 0, one_prop_cb, &w);
	return w.val ? w.val : strdup("");
}

static int copy_state(void *payload, const vsdk_vi_object *o)
{
	const char *st = vsdk_vi_object_get(o, "info.state");

	snprintf(payload, 32, "%s", st ? st : "");
	return 0;
}

int vsim_task_done(struct vsdk_session *s, const char *task)
{
	static const char *const paths[] = { "info.state" };

	for (int i = 0; i < 200; i++) {
		char st[32] = "";
		int rc = vsdk_vi_object_retrieve(s, "Task", task, paths, 1, copy_state, st);

		if (rc)
			return rc;
		if (!strcmp(st, "success"))
			return VSDK_OK;
		if (!strcmp(st, "error"))
			return VSDK_EJOB;
		usleep(20000);
	}
	return VSDK_ETIMEOUT;
}

bool vsim_make_certs(const char *dir)
{
	char cmd[4096];
	int st;
	char *out;

	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s'; "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 30 "
		 "  -subj /CN=vsdk-test-ca -addext basicConstraints=critical,CA:TRUE 2>/dev/null; "
		 "openssl req -newkey rsa:2048 -nodes -keyout key.pem -out req.pem -subj /CN=127.0.0.1 2>/dev/null; "
		 "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > ext.cnf; "
		 "openssl x509 -req -in req.pem -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem "
		 "  -days 30 -extfile ext.cnf 2>/dev/null; "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca-key.pem -out other-ca.pem -days 30 "
		 "  -subj /CN=unrelated-ca 2>/dev/null; "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout self-key.pem -out self.pem -days 30 "
		 "  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null; "
		 "echo ok", dir);
	out = vtest_run(cmd, &st);
	free(out);
	return st == 0;
}

const char *vsim_cert_sha256(const char *pem)
{
	static char fp[128];
	char cmd[1024], *out, *eq;
	int st;

	fp[0] = '\0';
	snprintf(cmd, sizeof(cmd), "openssl x509 -in '%s' -noout -fingerprint -sha256", pem);
	out = vtest_run(cmd, &st);
	if (out && (eq = strchr(out, '='))) {
		snprintf(fp, sizeof(fp), "%s", eq + 1);
		fp[strcspn(fp, "\r\n")] = '\0';
	}
	free(out);
	return fp;
}

/* ---- raw server --------------------------------------------------------- */

static ssize_t read_request(int fd, char **out)
{
	size_t n = 0, cap = 65536, want = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -1;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		char *hdr_end;

		if (poll(&p, 1, 5000) <= 0)
			break;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		hdr_end = strstr(buf, "\r\n\r\n");
		if (hdr_end && !want) {
			const char *cl = strcasestr(buf, "Content-Length:");
			want = (size_t)(hdr_end + 4 - buf) + (cl && cl < hdr_end ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (want && n >= want) {
			*out = buf;
			return (ssize_t)n;
		}
	}
	free(buf);
	return -1;
}

static void *raw_thread(void *arg)
{
	vsim_raw *r = arg;

	while (!r->stop) {
		struct pollfd p = { r->fd, POLLIN, 0 };
		int c;

		if (poll(&p, 1, 100) <= 0)
			continue;
		c = accept(r->fd, NULL, NULL);
		if (c < 0)
			continue;
		r->connections++;
		for (;;) {
			char *req = NULL, *resp;
			ssize_t len = read_request(c, &req);
			size_t rlen = 0;
			bool close_after = false;

			if (len < 0)
				break;
			r->requests++;
			resp = r->handler(r->payload, req, (size_t)len, &rlen, &close_after);
			free(req);
			if (!resp)
				break;
			if (write(c, resp, rlen) < 0)
				close_after = true;
			free(resp);
			if (close_after || r->stop)
				break;
		}
		close(c);
	}
	return NULL;
}

bool vsim_raw_start(vsim_raw *r, vsim_raw_handler h, void *payload)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	int one = 1;

	memset(r, 0, sizeof(*r));
	r->handler = h;
	r->payload = payload;
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (r->fd < 0)
		return false;
	setsockopt(r->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(r->fd, 16) ||
	    getsockname(r->fd, (struct sockaddr *)&sa, &sl)) {
		close(r->fd);
		return false;
	}
	r->port = ntohs(sa.sin_port);
	return pthread_create(&r->thread, NULL, raw_thread, r) == 0;
}

void vsim_raw_stop(vsim_raw *r)
{
	r->stop = true;
	pthread_join(r->thread, NULL);
	close(r->fd);
}

char *vsim_http_response(int status, const char *content_type, const char *body, bool gzip,
			 const char *extra_headers, size_t *len)
{
	size_t blen = strlen(body), zlen = blen + 1024;
	unsigned char *z = NULL;
	const unsigned char *payload = (const unsigned char *)body;
	char *out, head[1024];
	int hl;

	if (gzip) {
		z_stream zs = { 0 };

		z = malloc(zlen);
		if (!z || deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(z);
			return NULL;
		}
		zs.next_in = (unsigned char *)body;
		zs.avail_in = (unsigned)blen;
		zs.next_out = z;
		zs.avail_out = (unsigned)zlen;
		deflate(&zs, Z_FINISH);
		blen = zs.total_out;
		deflateEnd(&zs);
		payload = z;
	}
	hl = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s\r\n",
		      status, status == 200 ? "OK" : "Error", content_type, blen,
		      gzip ? "Content-Encoding: gzip\r\n" : "", extra_headers ? extra_headers : "");
	out = malloc((size_t)hl + blen);
	if (out) {
		memcpy(out, head, (size_t)hl);
		memcpy(out + hl, payload, blen);
		*len = (size_t)hl + blen;
	}
	free(z);
	return out;
}
