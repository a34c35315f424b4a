/*
 * vi_list_vms - list the virtual machines of an ESX host or vCenter.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc vi_list_vms.c $(pkg-config --cflags --libs vsdk) -o vi_list_vms
 * Run:    VSDK_PASSWORD=... ./vi_list_vms esx://root@esx1.example.com/
 *
 * Prints one line per VM: MoRef id, power state, BIOS UUID and name.  The
 * password is read from the environment variable VSDK_PASSWORD, never from
 * the command line.
 */
#include <vsdk.h>
#include <vsdk/vi_inventory.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vi_list_vms [options] esx://USER@HOST[:PORT]/ | vpx://USER@HOST/ | gsx://USER@HOST/\n"
		"List the virtual machines: id, power state, BIOS UUID, name.\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --hosts             list the hosts too\n"
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

	fprintf(stderr, "vi_list_vms: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->fault[0])
		fprintf(stderr, ", fault %s", e->fault);
	fprintf(stderr, ")\n");
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[1] = { NULL };
	int npos = 0, no_verify = 0, http = 0, hosts = 0;

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
		} else if (strcmp(argv[i], "--hosts") == 0) {
			hosts = 1;
		} else if (argv[i][0] == '-' || npos == 1) {
			fprintf(stderr, "vi_list_vms: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos != 1) {
		usage(stderr);
		return 2;
	}
	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "vi_list_vms: out of memory\n");
		return 1;
	}
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		return 1;
	}
	printf("connected to %s (API %s)\n", vsdk_session_get_product(s), vsdk_session_get_api_version(s));

	int status = 0;
	if (hosts) {
		vsdk_vi_host_info *h = NULL;
		size_t nh = 0;
		rc = vsdk_vi_list_hosts(&h, &nh, s);
		if (rc != VSDK_OK) {
			report("listing hosts", rc);
			status = 1;
		} else {
			for (size_t i = 0; i < nh; i++)
				printf("host %-12s  %-12s  %s\n", h[i].id, h[i].connection_state ? h[i].connection_state : "-",
				       h[i].name);
			vsdk_vi_host_info_free(h, nh);
		}
	}

	vsdk_vi_vm_info *vms = NULL;
	size_t n = 0;
	rc = vsdk_vi_list_vms(&vms, &n, s);
	if (rc != VSDK_OK) {
		report("listing VMs", rc);
		vsdk_session_close(s);
		return 1;
	}
	printf("%-10s  %-11s  %-36s  %s\n", "ID", "POWER", "UUID", "NAME");
	for (size_t i = 0; i < n; i++)
		printf("%-10s  %-11s  %-36s  %s\n", vms[i].id, vms[i].power_state ? vms[i].power_state : "-",
		       vms[i].uuid ? vms[i].uuid : "-", vms[i].name ? vms[i].name : "");
	printf("%zu VMs\n", n);
	vsdk_vi_vm_info_free(vms, n);
	vsdk_session_close(s);
	return status;
}
