/*
 * Benchmark: the cost of vsdk_task_wait against the vcsim harness (plain
 * HTTP on loopback): a wait on a finished task, a power operation with its
 * wait, and how late a push update arrives after a delayed task ends.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"
#include "common_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 7

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static char vm[64];

static int find_vm(const vsim_vc *vc)
{
	char url[512], *body = NULL, *p;

	snprintf(url, sizeof(url), "%s/vm?vm=ha-host_VM0", vc->control);
	if (vsim_http(url, "GET", NULL, &body) != 200 || !body || !(p = strstr(body, "\"moref\":\""))) {
		free(body);
		return -1;
	}
	p += 9;
	snprintf(vm, sizeof(vm), "%.*s", (int)strcspn(p, "\""), p);
	free(body);
	return 0;
}

int main(void)
{
	vsim_vc vc;
	vsdk_session *s = NULL;
	vsdk_task *t = NULL;
	char uri[256], q[128];
	double finished[RUNS], powerop[RUNS], late[RUNS];
	const int per_run = 20;

	if (!vsim_vc_start(&vc, "--model", "esx", "--vms", "2", NULL)) {
		fprintf(stderr, "bench_vi_task: cannot start the vcsim harness\n");
		return 1;
	}
	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http", vc.hostport);
	setenv("VSDK_PASSWORD", "secret", 1);
	if (vsdk_session_open(&s, uri, NULL) || find_vm(&vc)) {
		fprintf(stderr, "bench_vi_task: %s\n", vsdk_error_last()->message);
		vsim_vc_stop(&vc);
		return 1;
	}
	/* A finished task to wait on; the first wait creates the collector. */
	vsdk_vi_vm_power_off_start(&t, s, vm);
	vsdk_task_wait(s, t, 10000, NULL, NULL, NULL);
	for (int r = 0; r < RUNS; r++) {
		int64_t t0 = vsdk__now_ms();

		for (int i = 0; i < per_run; i++)
			vsdk_task_wait(s, t, 10000, NULL, NULL, NULL);
		finished[r] = (double)(vsdk__now_ms() - t0) / per_run;
	}
	vsdk_task_free(t);
	for (int r = 0; r < RUNS; r++) {
		int64_t t0 = vsdk__now_ms();

		for (int i = 0; i < per_run / 2; i++) {
			vsdk_vi_vm_power_on(s, vm, 10000);
			vsdk_vi_vm_power_off(s, vm, 10000);
		}
		powerop[r] = (double)(vsdk__now_ms() - t0) / per_run;
	}
	snprintf(q, sizeof(q), "/task-delay?ms=300&vm=%s", vm);
	vsim_control(&vc, "POST", q);
	for (int r = 0; r < RUNS; r++) {
		int64_t t0 = vsdk__now_ms();

		vsdk_vi_vm_power_on(s, vm, 10000);
		late[r] = (double)(vsdk__now_ms() - t0) - 300;
		vsdk_vi_vm_power_off(s, vm, 10000);
	}
	printf("bench_vi_task (vcsim harness, http on loopback, median of %d runs)\n", RUNS);
	printf("  wait on a finished task (CreateFilter + WaitForUpdatesEx + DestroyPropertyFilter): %.2f ms\n",
	       median(finished, RUNS));
	printf("  power operation, start + wait (4 round trips):                                     %.2f ms\n",
	       median(powerop, RUNS));
	printf("  300 ms task: completion seen after the delay by                                    %.0f ms\n",
	       median(late, RUNS));
	vsdk_session_close(s);
	vsim_vc_stop(&vc);
	return 0;
}
