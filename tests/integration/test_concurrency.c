/*
 * Concurrency: 16 threads, each with its own sessions - one VI (half over
 * http, half over https with a CA file) and one Hyper-V (hvsim) - run mixed
 * operations while one thread expires every VI session now and then (so all
 * threads log in again concurrently); the error detail is per thread.
 * Operations per thread: VSDK_CONCURRENCY_OPS (default 200; `make check-tsan`
 * runs 1000 under ThreadSanitizer).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/hyperv.h"
#include "vsdk/vmx.h"
#include "common_private.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16
#define VMS 5

static char *dir;
static vsim_vc vc_http, vc_https;
static vtest_server hv;
static char hv_hostport[128];
static int ops_per_thread = 200;

static int auth(void *payload, const char *host, char **user, char **password)
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
	char cert[600], key[600];
	const char *env = getenv("VSDK_CONCURRENCY_OPS");

	if (env && atoi(env) > 0)
		ops_per_thread = atoi(env);
	if (!(dir = vtest_tmpdir()) || !vsim_make_certs(dir))
		return 1;
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	if (!vsim_vc_start(&vc_http, "--model", "esx", "--vms", "5", "--page-size", "2", NULL))
		return 1;
	if (!vsim_vc_start(&vc_https, "--model", "esx", "--vms", "5", "--page-size", "2", "--tls-cert", cert,
			   "--tls-key", key, NULL))
		return 1;
	{
		char *argv[] = { "generated/build/bin/hvsim", "--listen", "127.0.0.1:0", "--vms", "5", "--user", "admin",
				 "--password", "secret", NULL };
		const char *p;

		if (!vtest_server_start(&hv, argv, 20000))
			return 1;
		p = strstr(hv.url, "://");
		snprintf(hv_hostport, sizeof(hv_hostport), "%s", p ? p + 3 : "");
		hv_hostport[strcspn(hv_hostport, "/")] = '\0';
	}
	return 0;
}

static int suite_fini(void)
{
	vsim_vc_stop(&vc_http);
	vsim_vc_stop(&vc_https);
	vtest_server_stop(&hv);
	vtest_rmtree(dir);
	free(dir);
	return 0;
}

typedef struct worker {
	int id;
	pthread_t thread;
	int ok, failures, detail_mixups, interrupted;
	char why[1200];
} worker;

static int count_cb(void *payload, const vsdk_vi_object *o)
{
	const char *ps = vsdk_vi_object_get(o, "runtime.powerState");

	if (ps && *ps)
		(*(int *)payload)++;
	return 0;
}

static int auth_hv(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	(void)host;
	*password = strdup("secret");
	return *user || (*user = strdup("admin")) ? VSDK_OK : VSDK_ENOMEM;
}

static void fail(worker *w, const char *what)
{
	if (!w->failures++)
		snprintf(w->why, sizeof(w->why), "%s: %d %s", what, vsdk_error_last()->code, vsdk_error_last()->message);
}

static void *work(void *arg)
{
	static const char *const paths[] = { "name", "runtime.powerState" };
	worker *w = arg;
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL, *h = NULL;
	const vsim_vc *vc = w->id % 2 ? &vc_https : &vc_http;
	char uri[256], cafile[600];

	o.auth = auth;
	if (w->id % 2) {
		snprintf(cafile, sizeof(cafile), "%s/ca.pem", dir);
		o.ca_file = cafile;
	}
	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=%s", vc->hostport, w->id % 2 ? "https" : "http");
	if (vsdk_session_open(&s, uri, &o) != VSDK_OK) {
		fail(w, "open");
		return NULL;
	}
	o = (vsdk_session_options)VSDK_SESSION_OPTIONS_INIT;
	o.auth = auth_hv;
	snprintf(uri, sizeof(uri), "hyperv://admin@%s/?transport=http", hv_hostport);
	if (vsdk_session_open(&h, uri, &o) != VSDK_OK) {
		fail(w, "open hyperv");
		vsdk_session_close(s);
		return NULL;
	}
	for (int i = 0; i < ops_per_thread; i++) {
		switch ((i + w->id) % 6) {
		case 4: {
			char **names = NULL;
			size_t n = 0;

			if (vsdk_hv_vm_list_names(h, &names, &n) != VSDK_OK || n != VMS)
				fail(w, "hv list");
			else
				w->ok++;
			vsdk_hv_strv_free(names, n);
			break;
		}
		case 5: {
			/* A lookup that fails, with this thread's name in the detail. */
			char name[64];
			vsdk_hv_Msvm_ComputerSystem *vm = NULL;

			snprintf(name, sizeof(name), "no-such-vm-%d", w->id);
			if (vsdk_hv_vm_find(h, name, &vm) != VSDK_ENOTFOUND)
				fail(w, "hv find should fail");
			else if (!strstr(vsdk_error_last()->message, name))
				w->detail_mixups++;
			else
				w->ok++;
			vsdk_cim_free((vsdk_cim_instance *)vm);
			break;
		}
		case 0: {
			char **names = NULL;
			size_t n = 0;

			if (vsdk_vi_list_vm_names(s, &names, &n) != VSDK_OK || n != VMS)
				fail(w, "list");
			else
				w->ok++;
			vsdk_strv_free(names, n);
			break;
		}
		case 1: {
			int n = 0;

			/*
			 * Page size 1: the first page and four continuations.  When
			 * the sessions are expired between two pages, the paging token
			 * is gone with the old session: that is the one failure allowed,
			 * and it must say so.
			 */
			int rc = vsdk_vi_retrieve(s, "VirtualMachine", paths, 2, 1, count_cb, &n);

			if (rc != VSDK_OK && strstr(vsdk_error_last()->message, "the session expired after")) {
				w->interrupted++;
				w->ok++;
			} else if (rc != VSDK_OK || n != VMS) {
				fail(w, "retrieve");
			} else {
				w->ok++;
			}
			break;
		}
		case 2: {
			/* A thread-specific parse error: the detail must be this thread's. */
			char text[256];
			vsdk_vmx *vmx = NULL;
			int line = 2 + w->id;

			snprintf(text, sizeof(text), "a = \"1\"\n");
			for (int l = 2; l < line; l++)
				strcat(text, "b = \"2\"\n");
			strcat(text, "not a valid line\n");
			if (vsdk_vmx_parse(&vmx, text, strlen(text), VSDK_VMX_PARSE_DUPLICATE_LAST) != VSDK_EPARSE)
				fail(w, "vmx parse should fail");
			else if (vsdk_error_last()->line != line)
				w->detail_mixups++;
			else
				w->ok++;
			vsdk_vmx_free(vmx);
			break;
		}
		case 3:
			/* Expire every session now and then: all threads log in again concurrently. */
			if (w->id == 0 && i % 50 == 3)
				vsim_control(vc, "POST", "/expire-sessions");
			if (vsdk_vi_retrieve(s, "HostSystem", paths, 1, 0, count_cb, &(int){ 0 }) != VSDK_OK)
				fail(w, "retrieve hosts");
			else
				w->ok++;
			break;
		}
	}
	vsdk_session_close(s);
	vsdk_session_close(h);
	return NULL;
}

static void test_concurrency__16_threads_own_sessions_mixed_operations(void)
{
	worker w[THREADS];
	int64_t t0 = vsdk__now_ms();
	int ok = 0, interrupted = 0;

	memset(w, 0, sizeof(w));
	for (int i = 0; i < THREADS; i++) {
		w[i].id = i;
		CU_ASSERT_FATAL(pthread_create(&w[i].thread, NULL, work, &w[i]) == 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		ok += w[i].ok;
		interrupted += w[i].interrupted;
		CU_ASSERT_EQUAL(w[i].failures, 0);
		CU_ASSERT_EQUAL(w[i].detail_mixups, 0);
		if (w[i].failures)
			fprintf(stdout, "\n  thread %d: %d failures, first: %s\n", i, w[i].failures, w[i].why);
	}
	CU_ASSERT_EQUAL(ok, THREADS * ops_per_thread);
	fprintf(stdout, "[%d threads x %d operations in %.1f s; %d paged retrieves cut by session expiry] ", THREADS,
		ops_per_thread, (double)(vsdk__now_ms() - t0) / 1000.0, interrupted);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_concurrency__16_threads_own_sessions_mixed_operations),
		VTEST_END
	};
	return vtest_main("concurrency", cases, suite_init, suite_fini);
}
