/*
 * vi_define_vm - define a VMware VM from libvirt-style domain XML.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc vi_define_vm.c $(pkg-config --cflags --libs vsdk) -o vi_define_vm
 * Run:    VSDK_PASSWORD=... ./vi_define_vm --dry-run esx://root@esx1/ fedora11.xml
 *
 * Checks on the server that no VM has the domain's name yet, then defines
 * the VM with vsdk_vi_vm_define_xml(): the XML becomes a VMX file (datastore
 * paths "[ds] dir/file" become /vmfs/volumes/ds/dir/file, virtualHW.version
 * the newest the server supports), uploaded next to the first disk
 * ("[ds] dir/NAME.vmx") and registered with RegisterVM_Task.  It then prints
 * the VMX as registered, read back from the datastore.  --dry-run converts
 * locally, prints that VMX and changes nothing; --xml also prints the
 * registered VM's configuration as domain XML.
 */
#include <vsdk.h>
#include <vsdk/vi_inventory.h>
#include <vsdk/vi_vm.h>
#include <vsdk/vmx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vi_define_vm [options] esx://USER@HOST[:PORT]/ DOMAIN.xml\n"
		"Define (register) a VM from domain XML; prints the VMX it generates.\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --dry-run           convert and check that the name is free, change nothing\n"
		"  --xml               also print the registered VM's configuration as domain XML\n"
		"  --timeout SEC       for the registration task (default 60)\n"
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

	fprintf(stderr, "vi_define_vm: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->fault[0])
		fprintf(stderr, ", fault %s", e->fault);
	fprintf(stderr, ")\n");
}

/* Reads a whole file (or stdin for "-"), NUL-terminated; NULL on failure (message printed). */
static char *slurp(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 20, n;
	char *buf;

	if (!f) {
		perror(path);
		return NULL;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		fprintf(stderr, "vi_define_vm: out of memory\n");
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	n = fread(buf, 1, cap + 1, f);
	if (ferror(f) || n > cap) {
		fprintf(stderr, "vi_define_vm: %s: %s\n", path, ferror(f) ? "read error" : "larger than 1 MiB");
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[2] = { NULL, NULL };
	vsdk_vi_define_options dopt = VSDK_VI_DEFINE_OPTIONS_INIT;
	int npos = 0, no_verify = 0, http = 0, dry_run = 0, show = 0;

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
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(argv[i], "--xml") == 0) {
			show = 1;
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			char *end;
			long sec = strtol(argv[++i], &end, 10);
			if (*end || sec <= 0 || sec > 86400) {
				fprintf(stderr, "vi_define_vm: --timeout wants 1..86400 seconds, not '%s'\n", argv[i]);
				return 2;
			}
			dopt.timeout_ms = (int)sec * 1000;
		} else if (argv[i][0] == '-' || npos == 2) {
			fprintf(stderr, "vi_define_vm: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos != 2) {
		usage(stderr);
		return 2;
	}

	char *xml = slurp(pos[1]);
	if (!xml)
		return 1;
	char *vmx_text = NULL;
	int rc = vsdk_vmx_from_domain_xml(&vmx_text, xml, NULL);
	if (rc != VSDK_OK) {
		free(xml);
		report("converting the domain XML", rc);
		return 1;
	}
	vsdk_vmx *vmx = NULL;
	rc = vsdk_vmx_parse(&vmx, vmx_text, strlen(vmx_text), 0);
	if (rc != VSDK_OK) {
		report("reading the generated VMX", rc);
		free(vmx_text);
		free(xml);
		return 1;
	}
	const char *display = vsdk_vmx_get(vmx, "displayName");
	char *name = malloc(strlen(display ? display : "") + 1);
	if (!name) {
		fprintf(stderr, "vi_define_vm: out of memory\n");
		vsdk_vmx_free(vmx);
		free(vmx_text);
		free(xml);
		return 1;
	}
	strcpy(name, display ? display : "");
	vsdk_vmx_free(vmx);
	if (dry_run)
		printf("--- VMX for %s, converted locally (define picks the server's virtualHW.version) ---\n%s"
		       "--- end of VMX ---\n", name, vmx_text);
	free(vmx_text);

	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "vi_define_vm: out of memory\n");
		free(name);
		free(xml);
		return 1;
	}
	vsdk_session *s = NULL;
	rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		free(name);
		free(xml);
		return 1;
	}
	char *id = NULL;
	int status = 0;
	rc = vsdk_vi_find_vm_by_name(&id, s, name);
	if (rc == VSDK_OK) {
		fprintf(stderr, "vi_define_vm: a VM named %s already exists (%s)\n", name, id);
		status = 1;
	} else if (rc != VSDK_ENOTFOUND) {
		report("checking the name", rc);
		status = 1;
	} else if (dry_run) {
		printf("dry run: %s can be defined on %s (no VM has that name)\n", name, vsdk_session_get_product(s));
	} else {
		rc = vsdk_vi_vm_define_xml(&id, s, xml, &dopt);
		if (rc != VSDK_OK) {
			report("defining the VM", rc);
			status = 1;
		} else {
			printf("defined %s: VM id %s\n", name, id);
			char *back = NULL;
			if ((rc = vsdk_vi_vm_get_vmx(&back, s, id)) == VSDK_OK) {
				printf("--- the VMX it generated, as registered (read back from the datastore) ---\n%s"
				       "--- end of VMX ---\n", back);
			} else {
				report("reading the VMX back", rc);
				status = 1;
			}
			free(back);
			back = NULL;
			if (show && (rc = vsdk_vi_vm_get_xml(&back, s, id)) == VSDK_OK) {
				printf("--- as domain XML ---\n%s\n", back);
			} else if (show) {
				report("reading the configuration back as XML", rc);
				status = 1;
			}
			free(back);
		}
	}
	free(id);
	free(name);
	free(xml);
	vsdk_session_close(s);
	return status;
}
