/*
 * hv_list_vms - list the VMs of a Hyper-V host with their states.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc hv_list_vms.c $(pkg-config --cflags --libs vsdk) -o hv_list_vms
 * Run:    VSDK_PASSWORD=... ./hv_list_vms hyperv://administrator@hv1.example.com/
 *
 * Prints one line per VM: GUID, neutral state (running, off, ...), the
 * CloudStack agent's state name (Running, Stopped, ...), the raw
 * EnabledState and the display name.  The password is read from the
 * environment variable VSDK_PASSWORD, never from the command line.
 */
#include <vsdk.h>
#include <vsdk/hyperv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hv_list_vms [options] hyperv://USER@HOST[:PORT]/\n"
		"List the VMs of a Hyper-V host: GUID, state, agent state, EnabledState, name.\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
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

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *uri = NULL;
	int no_verify = 0, http = 0;

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
		} else if (argv[i][0] == '-' || uri) {
			fprintf(stderr, "hv_list_vms: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			uri = argv[i];
		}
	}
	if (!uri) {
		usage(stderr);
		return 2;
	}

	char *full = uri_with(uri, no_verify, http);
	if (!full) {
		fprintf(stderr, "hv_list_vms: out of memory\n");
		return 1;
	}

	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		fprintf(stderr, "hv_list_vms: cannot connect: %s (%s)\n", vsdk_error_last()->message, vsdk_code_name(rc));
		return 1;
	}

	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t n = 0;
	rc = vsdk_hv_vm_list(s, &vms, &n, 0);
	if (rc != VSDK_OK) {
		fprintf(stderr, "hv_list_vms: listing VMs failed: %s (%s)\n", vsdk_error_last()->message,
			vsdk_code_name(rc));
		vsdk_session_close(s);
		return 1;
	}
	printf("%-36s  %-9s  %-8s  %-12s  %s\n", "GUID", "STATE", "AGENT", "ENABLEDSTATE", "NAME");
	for (size_t i = 0; i < n; i++) {
		const vsdk_hv_Msvm_ComputerSystem *vm = vms[i];
		char enabled[32];

		snprintf(enabled, sizeof(enabled), "%u %s", (unsigned)vm->EnabledState,
			 vsdk_hv_enabled_state_name(vm->EnabledState));
		printf("%-36s  %-9s  %-8s  %-12s  %s\n", vm->Name ? vm->Name : "-",
		       vsdk_hv_state_name(vsdk_hv_state_from_enabled(vm->EnabledState)),
		       vsdk_hv_agent_state_name(vm->EnabledState), enabled, vm->ElementName ? vm->ElementName : "");
	}
	printf("%zu VMs\n", n);
	vsdk_hv_vm_list_free(vms, n);
	vsdk_session_close(s);
	return 0;
}
