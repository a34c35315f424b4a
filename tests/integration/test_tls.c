/*
 * TLS verification: a self-signed certificate, a certificate for another
 * host name/IP, an expired certificate and a thumbprint mismatch are each
 * refused with VSDK_ETLS and a message that says why and how to fix it (CA
 * file, thumbprint, no_verify); a server offering only TLS 1.1 is refused.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *dir;
static vsim_vc self_signed, wrong_name, expired;

static int auth(void *payload, const char *host, char **user, char **password)
{
	(void)payload;
	(void)host;
	if (!*user)
		*user = strdup("root");
	*password = strdup("secret");
	return VSDK_OK;
}

static bool start_with(vsim_vc *vc, const char *cert, const char *key)
{
	char c[600], k[600];

	snprintf(c, sizeof(c), "%s/%s", dir, cert);
	snprintf(k, sizeof(k), "%s/%s", dir, key);
	return vsim_vc_start(vc, "--model", "esx", "--vms", "1", "--tls-cert", c, "--tls-key", k, NULL);
}

static int suite_init(void)
{
	char cmd[4096], *out;
	int st;

	if (!(dir = vtest_tmpdir()) || !vsim_make_certs(dir))
		return 1;
	/* A certificate from the test CA for another name and IP, and an expired one (backdated with openssl ca). */
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s'; "
		 "openssl req -newkey rsa:2048 -nodes -keyout other-key.pem -out other-req.pem -subj /CN=other.example 2>/dev/null; "
		 "printf 'subjectAltName=DNS:other.example,IP:10.9.9.9\\n' > other.cnf; "
		 "openssl x509 -req -in other-req.pem -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out other.pem "
		 "  -days 30 -extfile other.cnf 2>/dev/null; "
		 "mkdir -p db; : > db/index.txt; echo 01 > db/serial; "
		 "printf '[ca]\\ndefault_ca=c\\n[c]\\ndatabase=db/index.txt\\nnew_certs_dir=db\\nserial=db/serial\\n"
		 "default_md=sha256\\npolicy=p\\n[p]\\ncommonName=supplied\\n[x]\\nsubjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ca.cnf; "
		 "openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca-key.pem -in req.pem -out expired.pem "
		 "  -startdate 20200101000000Z -enddate 20200201000000Z -extensions x -notext >/dev/null 2>&1; "
		 "echo ok", dir);
	out = vtest_run(cmd, &st);
	free(out);
	if (st != 0)
		return 1;
	return !start_with(&self_signed, "self.pem", "self-key.pem") || !start_with(&wrong_name, "other.pem", "other-key.pem") ||
	       !start_with(&expired, "expired.pem", "key.pem");
}

static int suite_fini(void)
{
	vsim_vc_stop(&self_signed);
	vsim_vc_stop(&wrong_name);
	vsim_vc_stop(&expired);
	vtest_rmtree(dir);
	free(dir);
	return 0;
}

static int open_at(const char *hostport, const char *ca, const char *thumbprint)
{
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	vsdk_session *s = NULL;
	char uri[256], cafile[600];
	int rc;

	o.auth = auth;
	if (ca) {
		snprintf(cafile, sizeof(cafile), "%s/%s", dir, ca);
		o.ca_file = cafile;
	}
	o.thumbprint = thumbprint;
	snprintf(uri, sizeof(uri), "esx://root@%s/", hostport);
	rc = vsdk_session_open(&s, uri, &o);
	if (rc == VSDK_OK)
		vsdk_session_close(s);
	else
		CU_ASSERT_PTR_NULL(s);
	return rc;
}

static bool has(const char *needle)
{
	if (strstr(vsdk_error_last()->message, needle))
		return true;
	fprintf(stdout, "\n  message '%s' lacks '%s'\n", vsdk_error_last()->message, needle);
	return false;
}

/* The three ways out the message must offer. */
static void assert_advice(void)
{
	CU_ASSERT(has("ca_file="));
	CU_ASSERT(has("thumbprint="));
	CU_ASSERT(has("no_verify=1"));
}

static void test_tls__self_signed_refused_without_no_verify(void)
{
	CU_ASSERT_EQUAL(open_at(self_signed.hostport, NULL, NULL), VSDK_ETLS);
	CU_ASSERT(has("self-signed"));
	assert_advice();
	/* Its fingerprint is in the message, ready for thumbprint=. */
	{
		char pem[600];

		snprintf(pem, sizeof(pem), "%s/self.pem", dir);
		CU_ASSERT(has(vsim_cert_sha256(pem)));
	}
}

static void test_tls__certificate_for_another_host_refused(void)
{
	/* Signed by the CA we pass, but names other.example / 10.9.9.9, not 127.0.0.1. */
	CU_ASSERT_EQUAL(open_at(wrong_name.hostport, "ca.pem", NULL), VSDK_ETLS);
	CU_ASSERT(has("name"));
	CU_ASSERT(has("thumbprint="));
	CU_ASSERT(has("no_verify=1"));
}

static void test_tls__expired_certificate_refused(void)
{
	CU_ASSERT_EQUAL(open_at(expired.hostport, "ca.pem", NULL), VSDK_ETLS);
	CU_ASSERT(has("expired"));
	assert_advice();
}

static void test_tls__thumbprint_mismatch_refused(void)
{
	char pem[600], wrong[128];

	snprintf(pem, sizeof(pem), "%s/cert.pem", dir); /* the fingerprint of another certificate */
	snprintf(wrong, sizeof(wrong), "%s", vsim_cert_sha256(pem));
	CU_ASSERT_FATAL(strlen(wrong) == 95);
	CU_ASSERT_EQUAL(open_at(self_signed.hostport, NULL, wrong), VSDK_ETLS);
	CU_ASSERT(has("does not match the pinned thumbprint"));
	CU_ASSERT(has("thumbprint="));
	/* The right pin is accepted: the refusal was about the pin. */
	snprintf(pem, sizeof(pem), "%s/self.pem", dir);
	CU_ASSERT_EQUAL(open_at(self_signed.hostport, NULL, vsim_cert_sha256(pem)), VSDK_OK);
}

static int free_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static bool port_open(int port)
{
	struct sockaddr_in sa = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static void test_tls__server_offering_only_tls11_refused(void)
{
	char accept[64], cert[600], key[600], hp[64], *out;
	int port = free_port(), st;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	bool up = false;

	/* Can the local OpenSSL still serve TLS 1.1 at all? */
	out = vtest_run("openssl s_server -help 2>&1 | grep -c -- '-tls1_1'", &st);
	if (!out || atoi(out) == 0) {
		free(out);
		vtest_skip("test_tls__server_offering_only_tls11_refused", "this OpenSSL cannot serve TLS 1.1");
		return;
	}
	free(out);
	snprintf(accept, sizeof(accept), "127.0.0.1:%d", port);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	{
		char *argv[] = { "openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key, "-tls1_1",
				 "-cipher", "DEFAULT:@SECLEVEL=0", "-www", "-quiet", NULL };

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		CU_ASSERT_FATAL(posix_spawnp(&pid, "openssl", &fa, NULL, argv, environ) == 0);
		posix_spawn_file_actions_destroy(&fa);
	}
	for (int i = 0; i < 100 && !(up = port_open(port)); i++)
		usleep(30000);
	if (!up) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		vtest_skip("test_tls__server_offering_only_tls11_refused", "openssl s_server -tls1_1 did not start");
		return;
	}
	snprintf(hp, sizeof(hp), "127.0.0.1:%d", port);
	/* Even with the right CA: the protocol version alone is refused. */
	CU_ASSERT_EQUAL(open_at(hp, "ca.pem", NULL), VSDK_ETLS);
	CU_ASSERT(has("TLS 1.2"));
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_tls__self_signed_refused_without_no_verify),
		VTEST_CASE(test_tls__certificate_for_another_host_refused),
		VTEST_CASE(test_tls__expired_certificate_refused),
		VTEST_CASE(test_tls__thumbprint_mismatch_refused),
		VTEST_CASE(test_tls__server_offering_only_tls11_refused),
		VTEST_END
	};
	return vtest_main("tls", cases, suite_init, suite_fini);
}
