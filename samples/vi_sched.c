/*
 * vi_sched - read or change a VMware VM's CPU reservation, limit and shares.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Build:  cc vi_sched.c $(pkg-config --cflags --libs vsdk) -o vi_sched
 * Run:    VSDK_PASSWORD=... ./vi_sched esx://root@esx1/ get web01
 *         VSDK_PASSWORD=... ./vi_sched esx://root@esx1/ set web01 reservation=500 limit=unlimited shares=high
 *
 * Values are MHz for reservation and limit; shares is a number or low,
 * normal, high.  Invalid values are refused before anything changes.
 */
#include <vsdk.h>
#include <vsdk/vi_inventory.h>
#include <vsdk/vi_vm.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vi_sched [options] esx://USER@HOST[:PORT]/ get VM\n"
		"       vi_sched [options] esx://USER@HOST[:PORT]/ set VM reservation=MHZ|limit=MHZ|unlimited|shares=N|low|normal|high ...\n"
		"Read or set a VM's CPU scheduler parameters (config.cpuAllocation).\n"
		"The password is taken from the environment variable VSDK_PASSWORD.\n"
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

	fprintf(stderr, "vi_sched: %s failed: %s (%s", what, e->message, vsdk_code_name(rc));
	if (e->fault[0])
		fprintf(stderr, ", fault %s", e->fault);
	fprintf(stderr, ")\n");
}

/* Parses a non-negative decimal number; returns 0 on success. */
static int parse_num(const char *text, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static void print_sched(const char *vm, const vsdk_vi_cpu_sched *p)
{
	char limit[32], shares[32];

	if (p->limit == VSDK_VI_LIMIT_UNLIMITED)
		snprintf(limit, sizeof(limit), "unlimited");
	else
		snprintf(limit, sizeof(limit), "%lld MHz", (long long)p->limit);
	if (p->shares == VSDK_VI_SHARES_LOW)
		snprintf(shares, sizeof(shares), "low");
	else if (p->shares == VSDK_VI_SHARES_NORMAL)
		snprintf(shares, sizeof(shares), "normal");
	else if (p->shares == VSDK_VI_SHARES_HIGH)
		snprintf(shares, sizeof(shares), "high");
	else
		snprintf(shares, sizeof(shares), "%lld", (long long)p->shares);
	printf("%s: reservation=%lld MHz limit=%s shares=%s\n", vm, (long long)p->reservation, limit, shares);
}

int main(int argc, char **argv)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *pos[8] = { NULL };
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
		} else if (argv[i][0] == '-' || npos == 8) {
			fprintf(stderr, "vi_sched: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (npos < 3 || (strcmp(pos[1], "get") == 0 && npos != 3) || (strcmp(pos[1], "set") == 0 && npos < 4) ||
	    (strcmp(pos[1], "get") != 0 && strcmp(pos[1], "set") != 0)) {
		usage(stderr);
		return 2;
	}
	const char *vm = pos[2];

	/* parse the assignments before connecting */
	vsdk_vi_cpu_sched want = { 0, 0, 0 };
	unsigned fields = 0;
	for (int i = 3; i < npos; i++) {
		const char *a = pos[i], *eq = strchr(a, '=');
		const char *v = eq ? eq + 1 : "";
		size_t kl = eq ? (size_t)(eq - a) : strlen(a);
		int bad = !eq;

		if (!bad && kl == 11 && strncmp(a, "reservation", kl) == 0) {
			bad = parse_num(v, &want.reservation) != 0;
			fields |= VSDK_VI_SCHED_RESERVATION;
		} else if (!bad && kl == 5 && strncmp(a, "limit", kl) == 0) {
			if (strcmp(v, "unlimited") == 0)
				want.limit = VSDK_VI_LIMIT_UNLIMITED;
			else
				bad = parse_num(v, &want.limit) != 0;
			fields |= VSDK_VI_SCHED_LIMIT;
		} else if (!bad && kl == 6 && strncmp(a, "shares", kl) == 0) {
			if (strcmp(v, "low") == 0)
				want.shares = VSDK_VI_SHARES_LOW;
			else if (strcmp(v, "normal") == 0)
				want.shares = VSDK_VI_SHARES_NORMAL;
			else if (strcmp(v, "high") == 0)
				want.shares = VSDK_VI_SHARES_HIGH;
			else
				bad = parse_num(v, &want.shares) != 0;
			fields |= VSDK_VI_SCHED_SHARES;
		} else {
			bad = 1;
		}
		if (bad) {
			fprintf(stderr, "vi_sched: bad assignment '%s' (reservation=MHZ, limit=MHZ|unlimited, "
					"shares=N|low|normal|high)\n", a);
			return 2;
		}
	}

	char *full = uri_with(pos[0], no_verify, http);
	if (!full) {
		fprintf(stderr, "vi_sched: out of memory\n");
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
	rc = vsdk_vi_find_vm_by_name(&id, s, vm);
	if (rc != VSDK_OK) {
		report("finding the VM", rc);
		vsdk_session_close(s);
		return 1;
	}
	int status = 0;
	if (fields) {
		rc = vsdk_vi_vm_set_cpu_sched(s, id, &want, fields, VSDK_WAIT_INFINITE);
		if (rc != VSDK_OK) {
			report("setting the scheduler parameters", rc);
			status = 1;
		}
	}
	vsdk_vi_cpu_sched now;
	if (status == 0) {
		rc = vsdk_vi_vm_get_cpu_sched(&now, s, id);
		if (rc != VSDK_OK) {
			report("reading the scheduler parameters", rc);
			status = 1;
		} else {
			print_sched(vm, &now);
		}
	}
	free(id);
	vsdk_session_close(s);
	return status;
}
