/*
 * Benchmark: mofc parsing the whole DMTF CIM 2.41 schema, and the CIM runtime
 * decoding 10,000 Msvm_ComputerSystem instances.  Median of 5 runs, one core.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "../../generator/mofc/mofc.h"
#include "vsdk/cim.h"
#include "hyperv_v2.h"
#include "bench_tsv.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 5
#define N_INSTANCES 10000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), dcmp);
	return v[RUNS / 2];
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return s;
}

static void bench_schema(void)
{
	const char *base = getenv("VSDK_SHARED");
	char path[1024];
	double t[RUNS];
	size_t classes = 0, files = 0;

	snprintf(path, sizeof(path), "%s/dmtf-cim-schema/CIM241/CIM_Schema.mof", base && *base ? base : "../shared");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("mofc parse CIM 2.41: SKIPPED (%s not found; set VSDK_SHARED)\n", path);
		return;
	}
	fclose(f);
	for (int i = 0; i < RUNS; i++) {
		mof_repo r;
		mof_repo_init(&r, NULL);
		double t0 = now_s();
		mof_parse_file(&r, path);
		mof_resolve(&r);
		t[i] = now_s() - t0;
		if (r.errors) {
			printf("mofc parse CIM 2.41: FAILED (%d errors)\n", r.errors);
			return;
		}
		classes = r.n_classes;
		files = r.n_files;
		mof_arena_free();
	}
	double m = median(t);
	bench_tsv("mofc", "mofc parse+resolve CIM Schema 2.41", "time", m, t[0], t[RUNS - 1], "s", "target (issue)", 1.0);
	printf("mofc parse+resolve CIM 2.41 (%zu files, %zu classes): median %.3f s of %d runs (target < 1 s)%s\n",
	       files, classes, m, RUNS, m < 1.0 ? "" : "  ** OVER TARGET **");
}

static void bench_decode(void)
{
	size_t flen;
	char *fx = slurp("tests/fixtures/hyperv/cs_pull_synthetic.xml", &flen);
	if (!fx) {
		printf("decode: fixture missing (run from the repository root)\n");
		return;
	}
	/* the first instance element of the fixture, repeated inside one PullResponse */
	char *a = strstr(fx, "<p:Msvm_ComputerSystem "), *b = strstr(fx, "</p:Msvm_ComputerSystem>");
	char *items = strstr(fx, "<n:Items>");
	if (!a || !b || !items) {
		printf("decode: unexpected fixture shape\n");
		free(fx);
		return;
	}
	b += strlen("</p:Msvm_ComputerSystem>");
	size_t one = (size_t)(b - a), head = (size_t)(items - fx) + strlen("<n:Items>");
	const char *tail = "</n:Items><n:EndOfSequence/></n:PullResponse></s:Body></s:Envelope>";
	size_t total = head + one * N_INSTANCES + strlen(tail);
	char *xml = malloc(total + 1), *o = xml;
	memcpy(o, fx, head);
	o += head;
	for (int i = 0; i < N_INSTANCES; i++, o += one)
		memcpy(o, a, one);
	strcpy(o, tail);
	free(fx);

	double t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		vsdk_cim_instance **v = NULL;
		size_t n = 0;
		double t0 = now_s();
		int rc = vsdk_cim_instances_from_wsman(&v, &n, &vsdk_hv_schema, &vsdk_hv_Msvm_ComputerSystem_class,
						       xml, total);
		t[r] = now_s() - t0;
		if (rc || n != N_INSTANCES) {
			printf("decode: FAILED (rc %d, %zu instances)\n", rc, n);
			free(xml);
			return;
		}
		for (size_t i = 0; i < n; i++)
			vsdk_cim_free(v[i]);
		free(v);
	}
	double m = median(t);
	{
		char name[128];
		snprintf(name, sizeof(name), "decode %d Msvm_ComputerSystem from WS-Man XML (%.1f MB)", N_INSTANCES,
			 (double)total / 1e6);
		bench_tsv("mofc", name, "throughput", (double)total / 1e6 / m, (double)total / 1e6 / t[RUNS - 1],
			  (double)total / 1e6 / t[0], "MB/s", NULL, 0);
	}
	printf("decode %d Msvm_ComputerSystem (%.1f MB WS-Man XML): median %.3f s of %d runs = %.1f MB/s, %.0f instances/s\n",
	       N_INSTANCES, (double)total / 1e6, m, RUNS, (double)total / 1e6 / m, N_INSTANCES / m);
	free(xml);
}

int main(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set); /* one core; best effort */
	bench_schema();
	bench_decode();
	return 0;
}
