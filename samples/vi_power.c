/*
 * vi_power - power a VMware VM on, off, suspend, reset it (with a progress bar for the task),
 * or ask its guest to shut down or reboot.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc vi_power.c $(pkg-config --cflags --libs vsdk) -o vi_power
 * Run:    VSDK_PASSWORD=... ./vi_power esx://root@esx1.example.com/ on web01
 *
 * Starts the server task (PowerOnVM_Task, ...) and waits for it with
 * vsdk_task_wait(), drawing its progress; a failure prints the fault's name
 * and message (e.g. InvalidPowerState when the VM is already on).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <vsdk.h>
#include <vsdk/vi_inventory.h>
#include <vsdk/vi_task.h>
#include <vsdk/vi_vm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vi_power [options] esx://USER@HOST[:PORT]/ ACTION VM\n"
		"ACTION: on, off (hard), suspend, reset (tasks, with a progress bar);\n"
		"        shutdown, reboot (ask the guest through VMware Tools).  VM: its name (or MoRef id with --id).\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --id                VM is a managed object id (e.g. vm-42)\n"
		"  --timeout SEC       stop waiting after SEC seconds (the task goes on)\n"
		"TLS: the server certificate is verified against the system CA store by default.\n"
		"  --ca-file FILE      trust the CAs in this PEM file instead\n"
		"  --thumbprint HEX    trust exactly the certificate with this SHA-256/SHA-1 fingerprint\n"
		"  --no-verify         do not verify the certificate (unsafe; for tests only)\n"
		"  --http              plain HTTP: the password travels in clear text\n"
		"  --help              this text\n");
}

/* The URI with the options' parameters appended; malloc'd, NULL when out of memory. */
static char *uri_with(const char *uri, int no_verify, int http)
{
	size_t n = strlen(uri) + 32;
	char *out = malloc(n);

	if (!out)
		return NULL;
	snprintf(out, n, "%s", uri);
	if (no_verify)
		snprintf(out + strlen(out), n - strlen(out), "%cno_verify=1", strchr(out, '?') ? '&' : '?');
	if (http)
		snprintf(out + strlen(out), n - strlen(out), "%ctransport=http", strchr(out, '?') ? '&' : '?');
	return out;
}

static void report(const char *what, int rc)
{
	const vsdk_error *e = vsdk_error_last();

	fprintf(stderr, "vi_power: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->fault[0])
		fprintf(stderr, ", fault %s", e->fault);
	fprintf(stderr, ")\n");
}

/* Draws "[#####     ]  50%" on one line (the progress callback). */
static void progress(void *payload, const vsdk_task *task, int percent)
{
	int width = 40, fill = percent * width / 100;
	(void)payload;
	(void)task;
	printf("\r  [");
	for (int i = 0; i < width; i++)
		putchar(i < fill ? '#' : ' ');
	printf("] %3d%%", percent);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0, no_verify = 0, http = 0, by_id = 0, timeout_ms = VSDK_WAIT_INFINITE;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--ca-file") == 0 && i + 1 < argc) {
			o.ca_file = argv[++i];
		} else if (strcmp(argv[i], "--thumbprint") == 0 && i + 1 < argc) {
			o.thumbprint = argv[++i];
		} else if (strcmp(argv[i], "--no-verify") == 0) {
			no_verify = 1;
		} else if (strcmp(argv[i], "--http") == 0) {
			http = 1;
		} else if (strcmp(argv[i], "--id") == 0) {
			by_id = 1;
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			char *end;
			long sec = strtol(argv[++i], &end, 10);
			if (*end || sec <= 0 || sec > 86400) {
				fprintf(stderr, "vi_power: --timeout wants 1..86400 seconds, not '%s'\n", argv[i]);
				return 2;
			}
			timeout_ms = (int)sec * 1000;
		} else if (argv[i][0] == '-' || npos == 3) {
			fprintf(stderr, "vi_power: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos != 3) {
		usage(stderr);
		return 2;
	}
	const char *action = pos[1], *name = pos[2];
	int (*start)(vsdk_task **, vsdk_session *, const char *) = NULL;
	if (strcmp(action, "on") == 0)
		start = vsdk_vi_vm_power_on_start;
	else if (strcmp(action, "off") == 0)
		start = vsdk_vi_vm_power_off_start;
	else if (strcmp(action, "suspend") == 0)
		start = vsdk_vi_vm_suspend_start;
	else if (strcmp(action, "reset") == 0)
		start = vsdk_vi_vm_reset_start;
	else if (strcmp(action, "shutdown") != 0 && strcmp(action, "reboot") != 0) {
		fprintf(stderr, "vi_power: unknown action '%s' (on, off, suspend, reset, shutdown, reboot)\n", action);
		return 2;
	}

	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "vi_power: out of memory\n");
		return 1;
	}
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		return 1;
	}

	char *id = NULL;
	if (by_id) {
		id = strdup(name);
		rc = id ? VSDK_OK : VSDK_ENOMEM;
	} else {
		rc = vsdk_vi_find_vm_by_name(&id, s, name);
	}
	if (rc != VSDK_OK) {
		report("finding the VM", rc);
		vsdk_session_close(s);
		return 1;
	}

	if (!start) { /* guest operations: accepted or refused, no task */
		rc = strcmp(action, "shutdown") == 0 ? vsdk_vi_vm_shutdown_guest(s, id) : vsdk_vi_vm_reboot_guest(s, id);
		if (rc != VSDK_OK)
			report(action, rc);
		else
			printf("%s (%s): the guest was asked to %s\n", name, id, action);
		free(id);
		vsdk_session_close(s);
		return rc == VSDK_OK ? 0 : 1;
	}

	vsdk_task *task = NULL;
	rc = start(&task, s, id);
	if (rc != VSDK_OK) {
		report(action, rc);
		free(id);
		vsdk_session_close(s);
		return 1;
	}
	printf("%s (%s): power %s, task %s\n", name, id, action, vsdk_task_id(task));
	fflush(stdout);
	rc = vsdk_task_wait(s, task, timeout_ms, progress, NULL, NULL);
	printf("\n");
	int status = 0;
	if (rc != VSDK_OK) {
		report("the task", rc);
		status = 1;
	} else {
		vsdk_vi_vm_info info;
		if (vsdk_vi_vm_get_info(&info, s, id) == VSDK_OK) {
			printf("done: %s is %s\n", name, info.power_state ? info.power_state : "?");
			vsdk_vi_vm_info_clear(&info);
		} else {
			printf("done\n");
		}
	}
	vsdk_task_free(task);
	free(id);
	vsdk_session_close(s);
	return status;
}
