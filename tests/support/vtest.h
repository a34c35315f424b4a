/*
 * vsdk test support: a thin layer over CUnit plus helpers to find fixtures,
 * the ../shared reference data, and to start/stop simulators by PID.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VTEST_H
#define VTEST_H

#include <CUnit/Basic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct vtest_case {
	const char *name;
	void (*fn)(void);
} vtest_case;

#define VTEST_CASE(fn) { #fn, fn }
#define VTEST_END { NULL, NULL }

/*
 * Run one suite and exit: returns 0 when every assertion passed.
 * init/fini may be NULL; a non-zero init fails the suite.
 */
int vtest_main(const char *suite, const vtest_case *cases, int (*init)(void), int (*fini)(void));

/* Print a skip notice (tests that need ../shared or a package). */
void vtest_skip(const char *test, const char *why);

/*
 * Path to ../shared/<rel> (or $VSDK_SHARED/<rel>) when it exists, else NULL
 * after printing a skip message naming the caller's test.  Static buffer.
 */
const char *vtest_shared(const char *rel, const char *test);

/* Read a whole file; NULL on error.  Caller frees. */
char *vtest_read_file(const char *path, size_t *len);
/* Write a whole file; false on error. */
bool vtest_write_file(const char *path, const char *data, size_t len);
/* A fresh temporary directory under $TMPDIR; caller frees; removed by vtest_rmtree. */
char *vtest_tmpdir(void);
void vtest_rmtree(const char *path);

/*
 * A server process started for a test: argv[0] is the program.  Its first
 * stdout line (the URL) is returned in url.  stderr goes to a log file
 * under the tmpdir.  Stopped by PID with vtest_server_stop().
 */
typedef struct vtest_server {
	pid_t pid;
	char url[512];
	int out_fd; /* the rest of its stdout, if a test wants it */
} vtest_server;

bool vtest_server_start(vtest_server *srv, char *const argv[], int timeout_ms);
void vtest_server_stop(vtest_server *srv);

/* Run a shell command, capture stdout (caller frees); exit status in *status. */
char *vtest_run(const char *cmd, int *status);

#endif
