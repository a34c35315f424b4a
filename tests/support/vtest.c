/*
 * vsdk test support.  SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int vtest_main(const char *suite, const vtest_case *cases, int (*init)(void), int (*fini)(void))
{
	CU_pSuite s;
	unsigned failed;

	signal(SIGPIPE, SIG_IGN);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite(suite, init, fini);
	if (!s)
		return 2;
	for (const vtest_case *c = cases; c->name; c++)
		if (!CU_add_test(s, c->name, c->fn))
			return 2;
	CU_basic_set_mode(getenv("VTEST_VERBOSE") ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

void vtest_skip(const char *test, const char *why)
{
	printf("\nSKIP: %s: %s\n", test, why);
	fflush(stdout);
}

const char *vtest_shared(const char *rel, const char *test)
{
	static char path[4096];
	const char *base = getenv("VSDK_SHARED");
	struct stat st;

	if (!base || !*base)
		base = "../shared";
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	if (stat(path, &st) == 0)
		return path;
	vtest_skip(test, "reference data not found (../shared is absent); set VSDK_SHARED to run it");
	return NULL;
}

char *vtest_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			char *p = realloc(buf, cap = (cap ? cap * 2 : 131072));
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

bool vtest_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

char *vtest_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *p;

	if (asprintf(&p, "%s/vsdk-test-XXXXXX", t && *t ? t : "/tmp") < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

void vtest_rmtree(const char *path)
{
	char *cmd;

	if (!path || !*path || strcmp(path, "/") == 0)
		return;
	if (asprintf(&cmd, "rm -rf '%s'", path) >= 0) {
		if (system(cmd) != 0)
			fprintf(stderr, "vtest: could not remove %s\n", path);
		free(cmd);
	}
}

bool vtest_server_start(vtest_server *srv, char *const argv[], int timeout_ms)
{
	int out[2];
	pid_t pid;
	size_t n = 0;
	struct timespec t0, t1;

	memset(srv, 0, sizeof(*srv));
	srv->out_fd = -1;
	if (pipe(out) != 0)
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int log;
		char logpath[512];
		const char *t = getenv("TMPDIR");

		/* The server must not outlive its test, nor hold the test's output. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(logpath, sizeof(logpath), "%s/vsdk-server-%d.log", t && *t ? t : "/tmp", (int)getpid());
		log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (log >= 0) {
			dup2(log, 2);
			close(log);
		}
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		setpgid(0, 0);
		execv(argv[0], argv);
		fprintf(stderr, "vtest: cannot exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	srv->pid = pid;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { out[0], POLLIN, 0 };
		long left;
		char c;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = timeout_ms - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		if (read(out[0], &c, 1) != 1)
			break;
		if (c == '\n') {
			srv->url[n] = '\0';
			srv->out_fd = out[0];
			return n > 0;
		}
		if (n + 1 < sizeof(srv->url))
			srv->url[n++] = c;
	}
	close(out[0]);
	vtest_server_stop(srv);
	return false;
}

void vtest_server_stop(vtest_server *srv)
{
	int status;

	if (srv->pid > 0) {
		kill(srv->pid, SIGTERM);
		for (int i = 0; i < 100; i++) {
			if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
				srv->pid = 0;
				break;
			}
			usleep(20000);
		}
		if (srv->pid > 0) {
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, &status, 0);
		}
		srv->pid = 0;
	}
	if (srv->out_fd >= 0)
		close(srv->out_fd);
	srv->out_fd = -1;
}

char *vtest_run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	int st;

	if (!p)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *q = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!q)
				break;
			buf = q;
		}
		r = fread(buf + n, 1, cap - n - 1, p);
		n += r;
	} while (r > 0);
	st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (buf)
		buf[n] = '\0';
	return buf;
}
