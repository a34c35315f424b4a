/*
 * VI benchmark: list 10,000 VMs (name, runtime.powerState, config.uuid)
 * over HTTPS with vsdk, a govmomi client and pyvmomi side by side; memory
 * growth with inventory size; vsdk_task_wait overhead; power on 100 VMs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   bench_vi [--vms N] [--runs R] [--tsv FILE]
 *   bench_vi --child-list URL CA PAGE      (internal: one vsdk list, in its own process;
 *                                           vsdk_vi_retrieve_text, or vsdk_vi_retrieve with
 *                                           BENCH_VI_TYPED=1 in the environment)
 *
 * Each client runs in its own process; its CPU time (user+sys) and peak RSS
 * come from wait4(), so all three are measured the same way.
 */
#define _GNU_SOURCE
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_inventory.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"

#include "bench_tsv.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- child: one vsdk list ---------------------------------------------- */

struct tally {
	long n, on;
};

static int count_vm(void *payload, const vsdk_vi_object *o)
{
	struct tally *t = payload;
	const char *ps = vsdk_vi_object_get(o, "runtime.powerState");

	t->n++;
	if (ps && !strcmp(ps, "poweredOn"))
		t->on++;
	return 0;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int child_list(const char *url, const char *ca, unsigned page)
{
	static const char *const paths[] = { "name", "runtime.powerState", "config.uuid" };
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	struct tally t = { 0, 0 };
	char uri[512];
	const char *hp = strstr(url, "://");
	long rss0;
	double t0;
	int rc;

	snprintf(uri, sizeof(uri), "vpx://root@%.*s/", (int)strcspn(hp + 3, "/"), hp + 3);
	setenv("VSDK_PASSWORD", "secret", 1);
	o.ca_file = ca;
	if ((rc = vsdk_session_open(&s, uri, &o))) {
		fprintf(stderr, "bench_vi: open %s: %s\n", uri, vsdk_error_last()->message);
		return 1;
	}
	rss0 = maxrss_kb();
	t0 = now_ms();
	rc = getenv("BENCH_VI_TYPED") ? vsdk_vi_retrieve(s, "VirtualMachine", paths, 3, page, count_vm, &t)
				      : vsdk_vi_retrieve_text(s, "VirtualMachine", paths, 3, page, count_vm, &t);
	if (rc) {
		fprintf(stderr, "bench_vi: retrieve: %s\n", vsdk_error_last()->message);
		return 1;
	}
	printf("objects=%ld powered_on=%ld list_ms=%.1f rss_growth_kb=%ld\n", t.n, t.on, now_ms() - t0,
	       maxrss_kb() - rss0);
	vsdk_session_close(s);
	return 0;
}

/* ---- processes ---------------------------------------------------------- */

struct proc_result {
	double cpu_ms;   /* user + sys */
	long maxrss_kb;
	double wall_ms;
	char out[512];   /* first stdout line */
	int ok;
};

/* Run argv to completion; stdout's first line kept; rusage from wait4. */
static void run_measured(char *const argv[], struct proc_result *r)
{
	int p[2];
	pid_t pid;
	struct rusage ru;
	int st = 0;
	double t0 = now_ms();
	ssize_t n, used = 0;

	memset(r, 0, sizeof(*r));
	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], r->out + used, sizeof(r->out) - 1 - (size_t)used)) > 0)
		used += n;
	r->out[used] = '\0';
	r->out[strcspn(r->out, "\n")] = '\0';
	close(p[0]);
	wait4(pid, &st, 0, &ru);
	r->wall_ms = now_ms() - t0;
	r->cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
		    ru.ru_stime.tv_usec / 1e3;
	r->maxrss_kb = ru.ru_maxrss;
	r->ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

struct harness {
	pid_t pid;
	char url[256], control[256], hostport[128];
};

static bool harness_start(struct harness *h, const char *bin, char *const extra[])
{
	char *argv[40];
	int n = 0, p[2];
	char buf[1024];
	size_t used = 0;
	double deadline = now_ms() + 180000;

	memset(h, 0, sizeof(*h));
	argv[n++] = (char *)bin;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	for (int i = 0; extra[i] && n < 38; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	if (pipe(p))
		return false;
	h->pid = fork();
	if (h->pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(p[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(p[0]);
		close(p[1]);
		if (access("/dev/shm", W_OK) == 0)
			setenv("TMPDIR", "/dev/shm", 1);
		execv(bin, argv);
		_exit(127);
	}
	close(p[1]);
	while (now_ms() < deadline) {
		struct pollfd pf = { p[0], POLLIN, 0 };
		ssize_t r;
		char *nl1, *nl2;

		if (poll(&pf, 1, 1000) <= 0)
			continue;
		r = read(p[0], buf + used, sizeof(buf) - 1 - used);
		if (r <= 0)
			break;
		used += (size_t)r;
		buf[used] = '\0';
		if ((nl1 = strchr(buf, '\n')) && (nl2 = strchr(nl1 + 1, '\n'))) {
			const char *hp;

			snprintf(h->url, sizeof(h->url), "%.*s", (int)(nl1 - buf), buf);
			snprintf(h->control, sizeof(h->control), "%.*s", (int)(nl2 - nl1 - 1), nl1 + 1);
			hp = strstr(h->url, "://") + 3;
			snprintf(h->hostport, sizeof(h->hostport), "%.*s", (int)strcspn(hp, "/"), hp);
			close(p[0]);
			return true;
		}
	}
	close(p[0]);
	kill(h->pid, SIGTERM);
	waitpid(h->pid, NULL, 0);
	return false;
}

static void harness_stop(struct harness *h)
{
	if (h->pid > 0) {
		kill(h->pid, SIGTERM);
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
	}
}

/* ---- statistics and output ---------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double med, min, max;
};

static struct stat3 stats(const double *v, int n)
{
	double s[64];
	struct stat3 r = { 0, 0, 0 };

	if (n <= 0)
		return r;
	memcpy(s, v, (size_t)n * sizeof(double));
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	r.min = s[0];
	r.max = s[n - 1];
	r.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return r;
}

static FILE *tsv;

static void emit(const char *bench, const char *metric, const double *v, int n, const char *unit)
{
	struct stat3 st = stats(v, n);

	printf("  %-38s %-18s %10.2f %10.2f %10.2f  %s (n=%d)\n", bench, metric, st.med, st.min, st.max, unit, n);
	if (tsv)
		fprintf(tsv, "vi\t%s\t%s\t%.3f\t%.3f\t%.3f\t%s\t%d\n", bench, metric, st.med, st.min, st.max, unit, n);
	{ /* generated/bench/vi.tsv for tests/bench/report.sh: "(target <= N)" becomes the peer */
		char name[200], u[64];
		const char *t = strstr(unit, " (target <= ");

		snprintf(name, sizeof(name), "%s %s (n=%d)", bench, metric, n);
		snprintf(u, sizeof(u), "%.*s", t ? (int)(t - unit) : (int)strlen(unit), unit);
		bench_tsv("vi", name, strstr(metric, "ratio") ? "ratio" : strcmp(u, "KB") == 0 ? "memory" : "time", st.med,
			  st.min, st.max, u, t ? "target (issue, at most)" : NULL, t ? atof(t + 12) : 0);
	}
}

static double field(const char *out, const char *key)
{
	const char *p = strstr(out, key);

	return p ? strtod(p + strlen(key), NULL) : -1;
}

/* ---- the benchmarks ----------------------------------------------------- */

static const char *self_path;

static int bench_list(const char *bin_dir, const char *certdir, int vms, int runs)
{
	char ca[600], cert[600], key[600], nvms[16], govmomi[600], page[] = "1000";
	struct harness big, small;
	char *args_big[] = { "--model", "vpx", "--vms", nvms, "--tls-cert", cert, "--tls-key", key, "--user",
			     "root", "--password", "secret", NULL };
	/* Two pages of the default 1000: memory must not grow from 2 to 10 pages. */
	char *args_small[] = { "--model", "vpx", "--vms", "2000", "--tls-cert", cert, "--tls-key", key, "--user",
			       "root", "--password", "secret", NULL };
	char harness_bin[600];
	double cpu[4][64], rss[4][64], list[4][64], growth_small[64], growth_big[64], ratio_cpu[64], ratio_rss[64], ratio_cpu_t[64];
	static const char *names[4] = { "vsdk", "govmomi", "pyvmomi", "vsdk_typed" };
	double t0;
	int got = 0, have_py = access("/usr/bin/python3", X_OK) == 0;

	snprintf(ca, sizeof(ca), "%s/ca.pem", certdir);
	snprintf(cert, sizeof(cert), "%s/cert.pem", certdir);
	snprintf(key, sizeof(key), "%s/key.pem", certdir);
	snprintf(nvms, sizeof(nvms), "%d", vms);
	snprintf(harness_bin, sizeof(harness_bin), "%s/vcsim-harness", bin_dir);
	snprintf(govmomi, sizeof(govmomi), "%s/govmomi-list", bin_dir);

	t0 = now_ms();
	if (!harness_start(&big, harness_bin, args_big) || !harness_start(&small, harness_bin, args_small)) {
		fprintf(stderr, "bench_vi: cannot start %s\n", harness_bin);
		return 1;
	}
	printf("harnesses up in %.1f s (%d VMs over HTTPS at %s; 2000 VMs at %s)\n", (now_ms() - t0) / 1000, vms,
	       big.url, small.url);

	for (int r = 0; r < runs; r++) {
		struct proc_result pr[4], ps;
		char *vs_argv[] = { (char *)self_path, "--child-list", big.url, ca, page, NULL };
		char *vs_small[] = { (char *)self_path, "--child-list", small.url, ca, page, NULL };
		char *go_argv[] = { govmomi, "--url", big.url, "--ca", ca, "--page", page, NULL };
		char *py_argv[] = { "/usr/bin/python3", "tests/bench/pyvmomi_list.py", big.url, ca, page, NULL };
		bool all_ok;

		run_measured(vs_argv, &pr[0]);
		run_measured(go_argv, &pr[1]);
		if (have_py)
			run_measured(py_argv, &pr[2]);
		setenv("BENCH_VI_TYPED", "1", 1);
		run_measured(vs_argv, &pr[3]);
		unsetenv("BENCH_VI_TYPED");
		run_measured(vs_small, &ps);
		all_ok = pr[0].ok && pr[1].ok && (!have_py || pr[2].ok) && pr[3].ok && ps.ok;
		for (int c = 0; c < 4; c++)
			if (c < 2 || have_py)
				printf("  run %d %-8s cpu %7.1f ms  maxrss %7ld KB  wall %7.1f ms  %s\n", r + 1, names[c],
				       pr[c].cpu_ms, pr[c].maxrss_kb, pr[c].wall_ms, pr[c].out);
		if (!all_ok || field(pr[0].out, "objects=") != vms || field(pr[1].out, "objects=") != vms) {
			fprintf(stderr, "bench_vi: run %d failed (a client failed or counted wrong)\n", r + 1);
			continue;
		}
		for (int c = 0; c < 4; c++) {
			cpu[c][got] = pr[c].cpu_ms;
			rss[c][got] = (double)pr[c].maxrss_kb;
			list[c][got] = field(pr[c].out, "list_ms=");
		}
		growth_small[got] = field(ps.out, "rss_growth_kb=");
		growth_big[got] = field(pr[0].out, "rss_growth_kb=");
		ratio_cpu[got] = pr[0].cpu_ms / pr[1].cpu_ms;
		ratio_rss[got] = (double)pr[0].maxrss_kb / (double)pr[1].maxrss_kb;
		ratio_cpu_t[got] = pr[3].cpu_ms / pr[1].cpu_ms;
		got++;
	}
	harness_stop(&big);
	harness_stop(&small);
	if (!got)
		return 1;
	printf("\n  %-38s %-18s %10s %10s %10s\n", "benchmark", "metric", "median", "min", "max");
	for (int c = 0; c < 4; c++) {
		char b[64];

		if (c == 2 && !have_py)
			continue;
		snprintf(b, sizeof(b), "list_%dk_vms_https/%s", vms / 1000, names[c]);
		emit(b, "cpu_user_sys", cpu[c], got, "ms");
		emit(b, "peak_rss", rss[c], got, "KB");
		emit(b, "list_wall", list[c], got, "ms");
	}
	emit("list_vms_https/vsdk_vs_govmomi", "cpu_ratio", ratio_cpu, got, "x (target <= 0.1)");
	emit("list_vms_https/vsdk_vs_govmomi", "peak_rss_ratio", ratio_rss, got, "x (target <= 0.25)");
	emit("list_vms_https/vsdk_typed_vs_govmomi", "cpu_ratio", ratio_cpu_t, got, "x");
	emit("list_vms_https/vsdk_rss_growth", "2000_vms", growth_small, got, "KB");
	{
		char m[32];

		snprintf(m, sizeof(m), "%d_vms", vms);
		emit("list_vms_https/vsdk_rss_growth", m, growth_big, got, "KB");
	}
	return 0;
}

static int bench_tasks(const char *bin_dir, int runs)
{
	char harness_bin[600], url[300];
	struct harness th, ph;
	char *args_t[] = { "--model", "vpx", "--vms", "40", "--powered-off", "--task-delay-ms", "200", "--user", "root",
			   "--password", "secret", NULL };
	char *args_p[] = { "--model", "vpx", "--vms", "100", "--powered-off", "--user", "root", "--password", "secret",
			   NULL };
	vsdk_session *s = NULL;
	vsdk_vi_vm_info *vm = NULL;
	size_t nvm = 0;
	double over[64], all[64], zero[64];
	int nover = 0, nall = 0, nzero = 0, rc;
	int wruns = runs < 7 ? 7 : runs;

	snprintf(harness_bin, sizeof(harness_bin), "%s/vcsim-harness", bin_dir);
	if (!harness_start(&th, harness_bin, args_t) || !harness_start(&ph, harness_bin, args_p)) {
		fprintf(stderr, "bench_vi: cannot start the task harnesses\n");
		return 1;
	}
	setenv("VSDK_PASSWORD", "secret", 1);

	/* (b) power-on + wait of a task that takes 200 ms on the server. */
	snprintf(url, sizeof(url), "vpx://root@%s/?transport=http", th.hostport);
	if ((rc = vsdk_session_open(&s, url, NULL)) || (rc = vsdk_vi_list_vms(&vm, &nvm, s))) {
		fprintf(stderr, "bench_vi: %s\n", vsdk_error_last()->message);
		goto out;
	}
	for (int i = 0; i < wruns && (size_t)i < nvm; i++) {
		vsdk_task *t = NULL;
		double t0 = now_ms();

		rc = vsdk_vi_vm_power_on_start(&t, s, vm[i].id);
		if (!rc)
			rc = vsdk_task_wait(s, t, 60000, NULL, NULL, NULL);
		vsdk_task_free(t);
		if (rc) {
			fprintf(stderr, "bench_vi: power on %s: %s\n", vm[i].name, vsdk_error_last()->message);
			continue;
		}
		over[nover++] = now_ms() - t0 - 200.0;
	}
	vsdk_vi_vm_info_free(vm, nvm);
	vm = NULL;
	vsdk_session_close(s);
	s = NULL;

	/* (c) power on 100 VMs, wait for all; power them off again between runs. */
	snprintf(url, sizeof(url), "vpx://root@%s/?transport=http", ph.hostport);
	if ((rc = vsdk_session_open(&s, url, NULL)) || (rc = vsdk_vi_list_vms(&vm, &nvm, s))) {
		fprintf(stderr, "bench_vi: %s\n", vsdk_error_last()->message);
		goto out;
	}
	/* (b') the same with a task the server ends at once: the client's own cost. */
	for (int i = 0; i < wruns; i++) {
		vsdk_task *t = NULL;
		double t0 = now_ms();

		rc = vsdk_vi_vm_power_on_start(&t, s, vm[0].id);
		if (!rc)
			rc = vsdk_task_wait(s, t, 60000, NULL, NULL, NULL);
		vsdk_task_free(t);
		if (!rc)
			zero[nzero++] = now_ms() - t0;
		if (rc || (rc = vsdk_vi_vm_power_off(s, vm[0].id, 60000))) {
			fprintf(stderr, "bench_vi: power cycle %s: %s\n", vm[0].name, vsdk_error_last()->message);
			break;
		}
	}
	for (int r = 0; r < runs; r++) {
		vsdk_task *tasks[128];
		size_t n = 0;
		double t0;

		for (int phase = 0; phase < 2; phase++) {
			n = 0;
			t0 = now_ms();
			for (size_t i = 0; i < nvm && i < 128; i++) {
				rc = phase == 0 ? vsdk_vi_vm_power_on_start(&tasks[n], s, vm[i].id)
						: vsdk_vi_vm_power_off_start(&tasks[n], s, vm[i].id);
				if (rc)
					break;
				n++;
			}
			if (!rc)
				rc = vsdk_task_wait_all(s, tasks, n, 120000, NULL, NULL);
			if (rc)
				fprintf(stderr, "bench_vi: power %s 100: %s\n", phase ? "off" : "on",
					vsdk_error_last()->message);
			else if (phase == 0)
				all[nall++] = now_ms() - t0;
			for (size_t i = 0; i < n; i++)
				vsdk_task_free(tasks[i]);
		}
	}
	printf("\n");
	emit("task_wait_overhead/poweron_200ms_task", "wall_minus_delay", over, nover, "ms (target <= 50)");
	emit("task_wait_overhead/poweron_0ms_task", "wall", zero, nzero, "ms (call + wait, no delay)");
	{
		char b[64];

		snprintf(b, sizeof(b), "power_on_%zu_vms_wait_all", nvm);
		emit(b, "wall", all, nall, "ms");
	}
	rc = 0;
out:
	vsdk_vi_vm_info_free(vm, nvm);
	vsdk_session_close(s);
	harness_stop(&th);
	harness_stop(&ph);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *bin = getenv("VSDK_BIN");
	const char *tsv_path = "tests/bench/out/vi.tsv";
	char certdir[] = "/tmp/bench_vi.XXXXXX", cmd[1024];
	int vms = 10000, runs = 3, rc;

	self_path = argv[0];
	if (argc == 5 && !strcmp(argv[1], "--child-list"))
		return child_list(argv[2], argv[3], (unsigned)atoi(argv[4]));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vms") && i + 1 < argc)
			vms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--tsv") && i + 1 < argc)
			tsv_path = argv[++i];
		else {
			fprintf(stderr, "usage: bench_vi [--vms N] [--runs R] [--tsv FILE]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 60 || vms < 1) {
		fprintf(stderr, "bench_vi: --runs must be 1..60 and --vms positive\n");
		return 2;
	}
	if (!bin || !*bin)
		bin = "generated/build/bin";
	if (!mkdtemp(certdir))
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 "
		 "-subj /CN=bench-ca -addext basicConstraints=critical,CA:TRUE 2>/dev/null; "
		 "openssl req -newkey rsa:2048 -nodes -keyout key.pem -out req.pem -subj /CN=127.0.0.1 2>/dev/null; "
		 "printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf; "
		 "openssl x509 -req -in req.pem -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2 "
		 "-extfile ext.cnf 2>/dev/null",
		 certdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_vi: openssl failed\n");
		return 1;
	}
	mkdir("tests/bench/out", 0755);
	tsv = fopen(tsv_path, "w");
	printf("bench_vi: %d runs; list peers: vsdk, govmomi (%s/govmomi-list), pyvmomi (python3-pyvmomi)\n", runs,
	       bin);
	rc = bench_list(bin, certdir, vms, runs);
	rc |= bench_tasks(bin, runs);
	if (tsv) {
		fclose(tsv);
		printf("\nwrote %s\n", tsv_path);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", certdir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
