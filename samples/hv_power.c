/*
 * hv_power - start, stop, shut down, save, pause, resume, reset or reboot a Hyper-V VM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc hv_power.c $(pkg-config --cflags --libs vsdk) -o hv_power
 * Run:    VSDK_PASSWORD=... ./hv_power hyperv://administrator@hv1.example.com/ start web01
 *
 * The VM is named by its display name, or by its GUID with --guid.  The call
 * waits for the Hyper-V job and reports its failure text (ErrorCode and
 * ErrorDescription) when it fails.
 */
#include <vsdk.h>
#include <vsdk/hyperv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hv_power [options] hyperv://USER@HOST[:PORT]/ ACTION VM\n"
		"ACTION: start, off (hard), shutdown (guest, through integration services), save,\n"
		"        pause, resume, reset, reboot.  VM: display name (or GUID with --guid).\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --guid              VM is a GUID (Msvm_ComputerSystem.Name)\n"
		"  --timeout SEC       give up waiting for the job after SEC seconds (default: no limit)\n"
		"  --force             shutdown: even with applications open\n"
		"TLS: the server certificate is verified against the system CA store by default.\n"
		"  --ca-file FILE      trust the CAs in this PEM file instead\n"
		"  --thumbprint HEX    trust exactly the certificate with this SHA-256/SHA-1 fingerprint\n"
		"  --no-verify         do not verify the certificate (unsafe; for tests only)\n"
		"  --http              plain HTTP (port 5985): the password travels in clear text\n"
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

	fprintf(stderr, "hv_power: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->cim_return)
		fprintf(stderr, ", return code %ld", e->cim_return);
	fprintf(stderr, ")\n");
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0, no_verify = 0, http = 0, by_guid = 0, force = 0, timeout_ms = VSDK_WAIT_INFINITE;

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
		} else if (strcmp(argv[i], "--guid") == 0) {
			by_guid = 1;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			char *end;
			long sec = strtol(argv[++i], &end, 10);
			if (*end || sec <= 0 || sec > 86400) {
				fprintf(stderr, "hv_power: --timeout wants 1..86400 seconds, not '%s'\n", argv[i]);
				return 2;
			}
			timeout_ms = (int)sec * 1000;
		} else if (argv[i][0] == '-' || npos == 3) {
			fprintf(stderr, "hv_power: unexpected argument '%s' (see --help)\n", argv[i]);
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
	static const char *const actions[] = { "start", "off", "shutdown", "save", "pause", "resume", "reset", "reboot" };
	int known = 0;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		known |= strcmp(action, actions[i]) == 0;
	if (!known) {
		fprintf(stderr, "hv_power: unknown action '%s' (start, off, shutdown, save, pause, resume, reset, reboot)\n",
			action);
		return 2;
	}

	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "hv_power: out of memory\n");
		return 1;
	}
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		return 1;
	}

	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	rc = by_guid ? vsdk_hv_vm_find_by_guid(s, name, &vm) : vsdk_hv_vm_find(s, name, &vm);
	if (rc != VSDK_OK) {
		report("finding the VM", rc);
		vsdk_session_close(s);
		return 1;
	}
	printf("%s (%s) is %s; %s ...\n", vm->ElementName ? vm->ElementName : name, vm->Name ? vm->Name : "?",
	       vsdk_hv_state_name(vsdk_hv_state_from_enabled(vm->EnabledState)), action);
	fflush(stdout);

	if (strcmp(action, "start") == 0)
		rc = vsdk_hv_vm_start(s, vm, timeout_ms);
	else if (strcmp(action, "off") == 0)
		rc = vsdk_hv_vm_turn_off(s, vm, timeout_ms);
	else if (strcmp(action, "shutdown") == 0)
		rc = vsdk_hv_vm_shutdown(s, vm, force != 0, "hv_power sample", timeout_ms);
	else if (strcmp(action, "save") == 0)
		rc = vsdk_hv_vm_save(s, vm, timeout_ms);
	else if (strcmp(action, "pause") == 0)
		rc = vsdk_hv_vm_pause(s, vm, timeout_ms);
	else if (strcmp(action, "resume") == 0)
		rc = vsdk_hv_vm_resume(s, vm, timeout_ms);
	else if (strcmp(action, "reset") == 0)
		rc = vsdk_hv_vm_reset(s, vm, timeout_ms);
	else
		rc = vsdk_hv_vm_reboot(s, vm, timeout_ms);
	if (rc != VSDK_OK) {
		report(action, rc);
		vsdk_hv_Msvm_ComputerSystem_free(vm);
		vsdk_session_close(s);
		return 1;
	}

	/* read the state back */
	vsdk_hv_Msvm_ComputerSystem *after = NULL;
	if (vm->Name && vsdk_hv_vm_find_by_guid(s, vm->Name, &after) == VSDK_OK) {
		printf("done: %s is now %s\n", after->ElementName ? after->ElementName : name,
		       vsdk_hv_state_name(vsdk_hv_state_from_enabled(after->EnabledState)));
		vsdk_hv_Msvm_ComputerSystem_free(after);
	} else {
		printf("done\n");
	}
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_session_close(s);
	return 0;
}
