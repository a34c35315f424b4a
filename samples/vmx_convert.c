/*
 * vmx_convert - convert between VMware VMX files and libvirt domain XML.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   vmx_convert to-native   demo.xml   domain XML -> VMX on stdout
 *   vmx_convert from-native demo.vmx   VMX -> domain XML on stdout
 *
 * Exit codes: 0 ok, 1 conversion error (message on stderr), 2 usage.
 */
#include <vsdk/vmx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmx_convert to-native FILE.xml     domain XML -> VMX (stdout)\n"
		"       vmx_convert from-native FILE.vmx   VMX -> domain XML (stdout)\n"
		"       vmx_convert --help\n"
		"FILE may be '-' for standard input.  Datastore paths map as\n"
		"'[ds] dir/file' <-> '/vmfs/volumes/ds/dir/file'.\n");
}

/* Read a whole file (or stdin for "-"); NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *p = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

int main(int argc, char **argv)
{
	vsdk_vmx_options opts = VSDK_VMX_OPTIONS_INIT;
	char *in, *out = NULL;
	size_t len = 0;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[1], "to-native") && strcmp(argv[1], "from-native"))) {
		usage(stderr);
		return 2;
	}
	if (!(in = slurp(argv[2], &len))) {
		perror(argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "to-native")) {
		if (strlen(in) != len) {
			fprintf(stderr, "vmx_convert: %s: contains a NUL byte\n", argv[2]);
			free(in);
			return 1;
		}
		rc = vsdk_vmx_from_domain_xml(&out, in, &opts);
	} else {
		rc = vsdk_vmx_to_domain_xml(&out, in, len, &opts);
	}
	free(in);
	if (rc != VSDK_OK) {
		fprintf(stderr, "vmx_convert: %s: %s (%s)\n", argv[2], vsdk_error_last()->message, vsdk_code_name(rc));
		return 1;
	}
	fputs(out, stdout);
	free(out);
	return fflush(stdout) == 0 ? 0 : 1;
}
