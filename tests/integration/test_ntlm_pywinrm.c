/*
 * Interoperability beyond ourselves: Debian's pywinrm (requests-ntlm and
 * ntlm-auth, which interoperate with real Windows hosts) talks to hvsim
 * over NTLM with MS-WSMV message encryption.  hvsim must unseal pywinrm's
 * requests (it answers an Enumerate with instances) and pywinrm must unseal
 * hvsim's answers (it reads the instances, and the text of hvsim's fault to
 * a shell request).  Skips when python3-winrm is not installed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "vsim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HVSIM_BIN "generated/build/bin/hvsim"
#define PYTHON "/usr/bin/python3"

/* Our client script: argv endpoint user password.  One line per finding. */
static const char script[] =
	"import sys, uuid\n"
	"from winrm.protocol import Protocol\n"
	"from winrm.exceptions import WinRMError, InvalidCredentialsError\n"
	"url, user, password = sys.argv[1], sys.argv[2], sys.argv[3]\n"
	"def env(action, uri, body):\n"
	"    return ('<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" '\n"
	"            'xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" '\n"
	"            'xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" '\n"
	"            'xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"><s:Header>'\n"
	"            '<a:To>' + url + '</a:To>'\n"
	"            '<w:ResourceURI s:mustUnderstand=\"true\">' + uri + '</w:ResourceURI>'\n"
	"            '<a:ReplyTo><a:Address s:mustUnderstand=\"true\">'\n"
	"            'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>'\n"
	"            '<a:Action s:mustUnderstand=\"true\">' + action + '</a:Action>'\n"
	"            '<w:MaxEnvelopeSize s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize>'\n"
	"            '<a:MessageID>uuid:' + str(uuid.uuid4()) + '</a:MessageID>'\n"
	"            '<w:OperationTimeout>PT60S</w:OperationTimeout></s:Header><s:Body>' + body + '</s:Body></s:Envelope>')\n"
	"p = Protocol(endpoint=url, transport='ntlm', username=user, password=password,\n"
	"             message_encryption='always')\n"
	"try:\n"
	"    r = p.send_message(env('http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate',\n"
	"        'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem',\n"
	"        '<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>50</w:MaxElements></n:Enumerate>'))\n"
	"    r = r.decode('utf-8') if isinstance(r, bytes) else r\n"
	"    print('ENUMERATE', r.count('EnabledState>') // 2, 'Virtual Machine' in r)\n"
	"except InvalidCredentialsError as e:\n"
	"    print('REFUSED', e)\n"
	"    sys.exit(0)\n"
	"try:\n"
	"    p.open_shell()\n"
	"    print('SHELL-OPENED')\n"
	"except WinRMError as e:\n"
	"    print('FAULT', e)\n";

/* A standard OpenSSL configuration that also activates the legacy provider:
 * Python's hashlib needs it for ntlm-auth's MD4 on OpenSSL 3. */
static const char legacy_cnf[] = "openssl_conf = vsdk_init\n"
				 "[vsdk_init]\nproviders = vsdk_providers\n"
				 "[vsdk_providers]\ndefault = vsdk_default\nlegacy = vsdk_legacy\n"
				 "[vsdk_default]\nactivate = 1\n"
				 "[vsdk_legacy]\nactivate = 1\n";

typedef struct sim {
	vtest_server srv;
	char control[256];
} sim;

static bool read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		char c;

		if (read(fd, &c, 1) <= 0)
			return false;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '/')
		buf[n - 1] = '\0';
	return true;
}

static long stat_of(const sim *sm, const char *key)
{
	char url[512], pat[64], *resp = NULL, *p;
	long v = -1;

	snprintf(url, sizeof(url), "%s/stats", sm->control);
	if (vsim_http(url, "GET", NULL, &resp) == 200 && resp) {
		snprintf(pat, sizeof(pat), "\"%s\":", key);
		if ((p = strstr(resp, pat)))
			v = strtol(p + strlen(pat), NULL, 10);
	}
	free(resp);
	return v;
}

static char *dir;

static bool have_pywinrm(const char *test)
{
	int st = -1;
	char *out;

	if (access(HVSIM_BIN, X_OK) != 0) {
		vtest_skip(test, "no " HVSIM_BIN " (build with `make hvsim`)");
		return false;
	}
	out = vtest_run(PYTHON " -c 'import winrm, requests_ntlm, ntlm_auth' 2>&1", &st);
	free(out);
	if (st != 0) {
		vtest_skip(test, "Debian's python3-winrm / python3-requests-ntlm are not installed");
		return false;
	}
	return true;
}

static char *run_client(const sim *sm, const char *user, const char *password)
{
	char cmd[2048];
	int st = -1;
	char *out;

	snprintf(cmd, sizeof(cmd), "cd '%s' && OPENSSL_CONF='%s/legacy.cnf' %s client.py '%s' '%s' '%s' 2>&1", dir, dir,
		 PYTHON, sm->srv.url, user, password);
	out = vtest_run(cmd, &st);
	if (st != 0 || !out)
		printf("pywinrm client exit %d:\n%s\n", st, out ? out : "");
	return out;
}

static bool start(sim *sm)
{
	char *argv[] = { HVSIM_BIN, "--listen", "127.0.0.1:0", "--vms", "4", "--user", "admin", "--password", "s3cret",
			 "--auth", "ntlm", "--control-listen", "127.0.0.1:0", NULL };
	char path[1024];

	memset(sm, 0, sizeof(*sm));
	snprintf(path, sizeof(path), "%s/client.py", dir);
	if (!vtest_write_file(path, script, strlen(script)))
		return false;
	snprintf(path, sizeof(path), "%s/legacy.cnf", dir);
	if (!vtest_write_file(path, legacy_cnf, strlen(legacy_cnf)))
		return false;
	return vtest_server_start(&sm->srv, argv, 20000) && read_line(sm->srv.out_fd, sm->control, sizeof(sm->control));
}

static void test_ntlm_pywinrm__both_sides_unseal_the_other(void)
{
	sim sm;
	char *out;

	if (!have_pywinrm(__func__))
		return;
	CU_ASSERT_FATAL(start(&sm));
	out = run_client(&sm, "admin", "s3cret");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	/* hvsim unsealed the Enumerate (it answered with the 4 VMs + host), pywinrm unsealed the answer */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ENUMERATE 5 True"));
	/* hvsim's fault to the shell request, readable only after unsealing */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAULT "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cannot process the request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "'fault_subcode': 'a:ActionNotSupported'"));
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_handshakes"), 1);
	CU_ASSERT_EQUAL(stat_of(&sm, "sealed_responses"), 2);
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_refused"), 0);
	if (getenv("VSDK_TEST_VERBOSE") || !strstr(out, "ENUMERATE 5 True"))
		printf("pywinrm said:\n%s\n", out);
	free(out);
	vtest_server_stop(&sm.srv);
}

static void test_ntlm_pywinrm__wrong_password_is_refused(void)
{
	sim sm;
	char *out;

	if (!have_pywinrm(__func__))
		return;
	CU_ASSERT_FATAL(start(&sm));
	out = run_client(&sm, "admin", "not-the-password");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "REFUSED"));
	CU_ASSERT_PTR_NULL(strstr(out, "ENUMERATE"));
	CU_ASSERT_EQUAL(stat_of(&sm, "ntlm_refused"), 1);
	CU_ASSERT_EQUAL(stat_of(&sm, "sealed_responses"), 0);
	free(out);
	vtest_server_stop(&sm.srv);
}

static int init(void)
{
	dir = vtest_tmpdir();
	return dir ? 0 : 1;
}

static int fini(void)
{
	if (dir)
		vtest_rmtree(dir);
	free(dir);
	return 0;
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_ntlm_pywinrm__both_sides_unseal_the_other),
		VTEST_CASE(test_ntlm_pywinrm__wrong_password_is_refused),
		VTEST_END
	};
	return vtest_main("ntlm_pywinrm", cases, init, fini);
}
