/*
 * Benchmark of the Hyper-V client against hvsim: enumerating 10,000 VMs with
 * paging (client CPU time, MB/s decoded) and the job-wait overhead after a
 * job completes.  Medians of several runs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsdk/hyperv.h"
#include "vtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5
#define N_VMS 10000
#define PAGE 200
#define JOB_DELAY_MS 200
#define JOB_RUNS 9

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool start_sim(vtest_server *srv, const char *bin, const char *vms, const char *delay)
{
	char *argv[] = { (char *)bin, "--listen", "127.0.0.1:0", "--vms", (char *)vms, "--user", "bench",
			 "--password", "bench-pw", "--job-delay-ms", (char *)delay, NULL };

	return vtest_server_start(srv, argv, 20000);
}

static vsdk_session *open_sim(const vtest_server *srv)
{
	char uri[600];
	const char *hostport = strstr(srv->url, "://");
	char hp[256];
	vsdk_session *s = NULL;

	snprintf(hp, sizeof(hp), "%s", hostport ? hostport + 3 : "");
	if (strchr(hp, '/'))
		*strchr(hp, '/') = '\0';
	snprintf(uri, sizeof(uri), "hyperv://bench@%s/?transport=http", hp);
	setenv("VSDK_PASSWORD", "bench-pw", 1);
	if (vsdk_session_open(&s, uri, NULL) != VSDK_OK) {
		fprintf(stderr, "bench_hv: open %s: %s\n", uri, vsdk_error_last()->message);
		return NULL;
	}
	return s;
}

int main(void)
{
	const char *bin = getenv("HVSIM") ? getenv("HVSIM") : "generated/build/bin/hvsim";
	double cpu[RUNS], mbs[RUNS], wall[RUNS], over[JOB_RUNS];
	vtest_server srv;
	vsdk_session *s;

	if (access(bin, X_OK) != 0) {
		printf("bench_hv: skipped: no simulator at %s (merge the hvsim branch)\n", bin);
		return 0;
	}
	if (!start_sim(&srv, bin, "10000", "0")) {
		fprintf(stderr, "bench_hv: cannot start %s\n", bin);
		return 1;
	}
	if (!(s = open_sim(&srv))) {
		vtest_server_stop(&srv);
		return 1;
	}
	for (int r = 0; r < RUNS; r++) {
		vsdk_hv_Msvm_ComputerSystem **vms = NULL;
		size_t n = 0;
		vsdk_hv_stats a = vsdk_hv_stats_get(s), b;
		double c0 = cpu_s(), w0 = wall_ms();

		if (vsdk_hv_vm_list(s, &vms, &n, PAGE) != VSDK_OK || n != N_VMS) {
			fprintf(stderr, "bench_hv: list: %zu VMs: %s\n", n, vsdk_error_last()->message);
			vsdk_session_close(s);
			vtest_server_stop(&srv);
			return 1;
		}
		cpu[r] = cpu_s() - c0;
		wall[r] = wall_ms() - w0;
		b = vsdk_hv_stats_get(s);
		mbs[r] = (double)(b.bytes_received - a.bytes_received) / 1e6 / (cpu[r] > 0 ? cpu[r] : 1e-9);
		vsdk_hv_vm_list_free(vms, n);
	}
	vsdk_session_close(s);
	vtest_server_stop(&srv);
	printf("hv enumerate %d VMs (MaxElements %d), median of %d: client CPU %.3f s, wall %.0f ms, "
	       "%.1f MB/s decoded per CPU second (target >= 50)\n",
	       N_VMS, PAGE, RUNS, median(cpu, RUNS), median(wall, RUNS), median(mbs, RUNS));

	if (!start_sim(&srv, bin, "2", "200")) {
		fprintf(stderr, "bench_hv: cannot start %s\n", bin);
		return 1;
	}
	if (!(s = open_sim(&srv))) {
		vtest_server_stop(&srv);
		return 1;
	}
	{
		vsdk_hv_Msvm_ComputerSystem **vms = NULL;
		size_t n = 0;

		if (vsdk_hv_vm_list(s, &vms, &n, 0) != VSDK_OK || n == 0) {
			fprintf(stderr, "bench_hv: list: %s\n", vsdk_error_last()->message);
			return 1;
		}
		for (int r = 0; r < JOB_RUNS; r++) {
			bool on = vms[0]->EnabledState == 2 ? r % 2 == 0 : r % 2 == 1;
			double w0 = wall_ms();
			int rc = on ? vsdk_hv_vm_turn_off(s, vms[0], 30000) : vsdk_hv_vm_start(s, vms[0], 30000);

			if (rc != VSDK_OK) {
				fprintf(stderr, "bench_hv: state change: %s\n", vsdk_error_last()->message);
				return 1;
			}
			over[r] = wall_ms() - w0 - JOB_DELAY_MS;
		}
		vsdk_hv_vm_list_free(vms, n);
	}
	vsdk_session_close(s);
	vtest_server_stop(&srv);
	printf("hv job wait: overhead after a %d ms job completes, median of %d: %.1f ms (target <= 60)\n",
	       JOB_DELAY_MS, JOB_RUNS, median(over, JOB_RUNS));
	return 0;
}
