/*
 * hv_kvp_userdata - inject, replace, remove or read a Hyper-V VM's userdata KVP item.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc hv_kvp_userdata.c $(pkg-config --cflags --libs vsdk) -o hv_kvp_userdata
 * Run:    VSDK_PASSWORD=... ./hv_kvp_userdata hyperv://administrator@hv1/ set web01 user-data.txt
 *
 * The userdata lives in the host-to-guest KVP item "cloudstack-vm-userdata"
 * (VSDK_HV_USERDATA_KEY), base64-encoded, where a guest agent reads it.
 * "get" prints the stored base64 text (pipe it to `base64 -d`).
 */
#include <vsdk.h>
#include <vsdk/hyperv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hv_kvp_userdata [options] hyperv://USER@HOST[:PORT]/ COMMAND VM [FILE]\n"
		"COMMAND:\n"
		"  set VM FILE     inject the userdata (replace it if present); FILE '-' is stdin;\n"
		"                  the raw bytes are stored base64-encoded (at most 768 bytes)\n"
		"  set64 VM FILE   FILE holds base64 text already: checked and stored as is\n"
		"  get VM          print the stored userdata (base64 text)\n"
		"  remove VM       remove the userdata item\n"
		"  list VM         print every host and guest KVP item of the VM\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
		"  --guid              VM is a GUID (Msvm_ComputerSystem.Name)\n"
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

	fprintf(stderr, "hv_kvp_userdata: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->cim_return)
		fprintf(stderr, ", return code %ld", e->cim_return);
	fprintf(stderr, ")\n");
}

/* Reads a whole file (or stdin for "-") up to 64 KiB; returns 0 on success. */
static int read_input(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 65536, n = 0;
	char *buf;

	if (!f) {
		perror(path);
		return -1;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		fprintf(stderr, "hv_kvp_userdata: out of memory\n");
		if (f != stdin)
			fclose(f);
		return -1;
	}
	n = fread(buf, 1, cap + 1, f);
	int err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (err || n > cap) {
		fprintf(stderr, "hv_kvp_userdata: %s: %s\n", path, err ? "read error" : "larger than 64 KiB");
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

static const char *source_name(unsigned source)
{
	switch (source) {
	case 0: return "host";
	case 1: return "guest";
	case 2: return "intrinsic";
	case 4: return "host-only";
	default: return "?";
	}
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[4] = { NULL, NULL, NULL, NULL };
	int npos = 0, no_verify = 0, http = 0, by_guid = 0;

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
		} else if ((argv[i][0] == '-' && argv[i][1] != '\0') || npos == 4) {
			fprintf(stderr, "hv_kvp_userdata: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos < 3) {
		usage(stderr);
		return 2;
	}
	const char *cmd = pos[1], *name = pos[2], *file = pos[3];
	int is_set = strcmp(cmd, "set") == 0 || strcmp(cmd, "set64") == 0;
	if (!is_set && strcmp(cmd, "get") != 0 && strcmp(cmd, "remove") != 0 && strcmp(cmd, "list") != 0) {
		fprintf(stderr, "hv_kvp_userdata: unknown command '%s' (set, set64, get, remove, list)\n", cmd);
		return 2;
	}
	if (is_set != (npos == 4)) {
		fprintf(stderr, "hv_kvp_userdata: '%s' %s a FILE argument\n", cmd, is_set ? "needs" : "takes no");
		return 2;
	}

	char *data = NULL;
	size_t len = 0;
	if (is_set && read_input(file, &data, &len) != 0)
		return 1;

	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "hv_kvp_userdata: out of memory\n");
		free(data);
		return 1;
	}
	vsdk_session *s = NULL;
	int rc = vsdk_session_open(&s, full, &o);
	free(full);
	if (rc != VSDK_OK) {
		report("connecting", rc);
		free(data);
		return 1;
	}

	int status = 0;
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	rc = by_guid ? vsdk_hv_vm_find_by_guid(s, name, &vm) : vsdk_hv_vm_find(s, name, &vm);
	if (rc != VSDK_OK) {
		report("finding the VM", rc);
		status = 1;
	} else if (is_set) {
		if (strcmp(cmd, "set64") == 0) /* tolerate the newline base64(1) ends with */
			while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
				len--;
		rc = vsdk_hv_userdata_set(s, vm, data, len,
					  strcmp(cmd, "set64") == 0 ? VSDK_HV_USERDATA_BASE64 : VSDK_HV_USERDATA_RAW,
					  VSDK_WAIT_INFINITE);
		if (rc != VSDK_OK) {
			report("setting the userdata", rc);
			status = 1;
		} else {
			printf("userdata set on %s (%zu bytes)\n", vm->ElementName ? vm->ElementName : name, len);
		}
	} else if (strcmp(cmd, "remove") == 0) {
		const char *names[1] = { VSDK_HV_USERDATA_KEY };
		rc = vsdk_hv_kvp_remove(s, vm, names, 1, VSDK_WAIT_INFINITE);
		if (rc != VSDK_OK) {
			report("removing the userdata", rc);
			status = 1;
		} else {
			printf("userdata removed from %s\n", vm->ElementName ? vm->ElementName : name);
		}
	} else {
		vsdk_hv_kvp_item *items = NULL;
		size_t n = 0, found = 0;
		rc = vsdk_hv_kvp_host_items(s, vm, &items, &n);
		if (rc != VSDK_OK) {
			report("reading the host KVP items", rc);
			status = 1;
		} else if (strcmp(cmd, "get") == 0) {
			for (size_t i = 0; i < n; i++)
				if (strcmp(items[i].name, VSDK_HV_USERDATA_KEY) == 0) {
					printf("%s\n", items[i].data);
					found = 1;
				}
			if (!found) {
				fprintf(stderr, "hv_kvp_userdata: %s has no userdata (no host item %s)\n",
					vm->ElementName ? vm->ElementName : name, VSDK_HV_USERDATA_KEY);
				status = 1;
			}
		} else {
			for (size_t i = 0; i < n; i++)
				printf("%-9s %s=%s\n", source_name(items[i].source), items[i].name, items[i].data);
			vsdk_hv_kvp_items_free(items, n);
			items = NULL;
			n = 0;
			rc = vsdk_hv_kvp_guest_items(s, vm, &items, &n);
			if (rc == VSDK_ETOOLS) {
				printf("(no guest items: integration services are off)\n");
			} else if (rc != VSDK_OK) {
				report("reading the guest KVP items", rc);
				status = 1;
			} else {
				for (size_t i = 0; i < n; i++)
					printf("%-9s %s=%s\n", source_name(items[i].source), items[i].name,
					       items[i].data);
			}
		}
		vsdk_hv_kvp_items_free(items, n);
	}
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_session_close(s);
	free(data);
	return status;
}
