/*
 * vi_migrate - migrate a VMware VM to another host through vCenter.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc vi_migrate.c $(pkg-config --cflags --libs vsdk) -o vi_migrate
 * Run:    VSDK_PASSWORD=... ./vi_migrate vpx://administrator@vsphere.local@vc1/ web01 esx2.example.com
 *     or  VSDK_PASSWORD=... ./vi_migrate 'esx://root@esx1/?vcenter=*' web01 esx2.example.com
 *
 * On an esx:// URI the VM is found on that host and moved through the host's
 * vCenter (vcenter=* reads its address from the host).
 */
#include <vsdk.h>
#include <vsdk/vi_inventory.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vi_migrate [options] URI VM TARGET-HOST\n"
		"URI: vpx://USER@VCENTER/ or esx://USER@HOST/?vcenter=VCENTER|*\n"
		"VM: name or MoRef id.  TARGET-HOST: a host's name, MoRef id or address.\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --pool ID           resource pool MoRef id (default: the host's root pool)\n"
		"  --relocate          use RelocateVM_Task instead of MigrateVM_Task\n"
		"  --priority P        low, default or high\n"
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

	fprintf(stderr, "vi_migrate: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->fault[0])
		fprintf(stderr, ", fault %s", e->fault);
	fprintf(stderr, ")\n");
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_vi_migrate_options mo = VSDK_VI_MIGRATE_OPTIONS_INIT;
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0, no_verify = 0, http = 0;

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
		} else if (strcmp(argv[i], "--pool") == 0 && i + 1 < argc) {
			mo.pool = argv[++i];
		} else if (strcmp(argv[i], "--relocate") == 0) {
			mo.use_relocate = 1;
		} else if (strcmp(argv[i], "--priority") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "low") == 0)
				mo.priority = VSDK_VI_MIGRATE_LOW;
			else if (strcmp(argv[i], "high") == 0)
				mo.priority = VSDK_VI_MIGRATE_HIGH;
			else if (strcmp(argv[i], "default") == 0)
				mo.priority = VSDK_VI_MIGRATE_DEFAULT;
			else {
				fprintf(stderr, "vi_migrate: --priority wants low, default or high, not '%s'\n", argv[i]);
				return 2;
			}
		} else if (argv[i][0] == '-' || npos == 3) {
			fprintf(stderr, "vi_migrate: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos != 3) {
		usage(stderr);
		return 2;
	}
	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "vi_migrate: out of memory\n");
		return 1;
	}
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		return 1;
	}

	printf("migrating %s to %s ...\n", pos[1], pos[2]);
	fflush(stdout);
	rc = vsdk_vi_migrate_vm(s, pos[1], pos[2], &mo);
	if (rc != VSDK_OK) {
		report("migration", rc);
		vsdk_session_close(s);
		return 1;
	}
	char *id = NULL;
	vsdk_session *vc = vsdk_vi_get_vcenter(s) ? vsdk_vi_get_vcenter(s) : s;
	vsdk_vi_vm_info info;
	if (vsdk_vi_find_vm_by_name(&id, vc, pos[1]) == VSDK_OK && vsdk_vi_vm_get_info(&info, vc, id) == VSDK_OK) {
		printf("done: %s (%s) now runs on host %s\n", pos[1], id, info.host ? info.host : "?");
		vsdk_vi_vm_info_clear(&info);
	} else {
		printf("done\n");
	}
	free(id);
	vsdk_session_close(s);
	return 0;
}
