/*
 * Unit tests of the WS-Man client and the Hyper-V layer against a scripted
 * loopback server replaying fixtures shaped like real WinRM traffic.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"
#include "vsim.h"
#include "vtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scripted server ----------------------------------------------------- */

#define MAX_STEPS 64

typedef struct script {
	char *body[MAX_STEPS];
	int status[MAX_STEPS];
	size_t n, next;
	bool repeat_last;     /* when exhausted, keep answering the last step */
	const char *need_auth;/* expected "Authorization: Basic ..." value, or NULL */
	char *req[MAX_STEPS]; /* requests received (headers + body) */
	size_t nreq;
	pthread_mutex_t mu;
} script;

static char *fixture(const char *name)
{
	char path[512];
	char *text;

	snprintf(path, sizeof(path), "tests/fixtures/hyperv/%s", name);
	text = vtest_read_file(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	return text;
}

static void script_init(script *sc)
{
	memset(sc, 0, sizeof(*sc));
	pthread_mutex_init(&sc->mu, NULL);
}

static void script_add_text(script *sc, int status, char *body)
{
	CU_ASSERT_FATAL(sc->n < MAX_STEPS);
	sc->status[sc->n] = status;
	sc->body[sc->n++] = body;
}

static void script_add(script *sc, int status, const char *fixture_name)
{
	script_add_text(sc, status, fixture(fixture_name));
}

static void script_free(script *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->body[i]);
	for (size_t i = 0; i < sc->nreq; i++)
		free(sc->req[i]);
	pthread_mutex_destroy(&sc->mu);
}

static char *handler(void *payload, const char *request, size_t reqlen, size_t *len, bool *close_after)
{
	script *sc = payload;
	size_t i;
	char *out;

	(void)close_after;
	pthread_mutex_lock(&sc->mu);
	if (sc->nreq < MAX_STEPS)
		sc->req[sc->nreq++] = strndup(request, reqlen);
	if (sc->need_auth && !strstr(request, sc->need_auth)) {
		pthread_mutex_unlock(&sc->mu);
		return vsim_http_response(401, "text/plain", "", false, "WWW-Authenticate: Basic realm=\"WSMAN\"\r\n",
					  len);
	}
	i = sc->next < sc->n ? sc->next++ : (sc->repeat_last && sc->n ? sc->n - 1 : sc->n);
	if (i >= sc->n) {
		pthread_mutex_unlock(&sc->mu);
		return vsim_http_response(500, "text/plain", "script exhausted", false, NULL, len);
	}
	out = vsim_http_response(sc->status[i], "application/soap+xml;charset=UTF-8", sc->body[i], false, NULL, len);
	pthread_mutex_unlock(&sc->mu);
	return out;
}

typedef struct fixture_srv {
	script sc;
	vsim_raw raw;
	vsdk_session *s;
} fixture_srv;

/* Start the server (identify first) and open a session to it. */
static int open_session(fixture_srv *f, const char *password)
{
	char uri[256];

	CU_ASSERT_FATAL(vsim_raw_start(&f->raw, handler, &f->sc));
	snprintf(uri, sizeof(uri), "hyperv://Administrator@127.0.0.1:%d/?transport=http", f->raw.port);
	setenv("VSDK_PASSWORD", password, 1);
	return vsdk_session_open(&f->s, uri, NULL);
}

static void close_session(fixture_srv *f)
{
	vsdk_session_close(f->s);
	vsim_raw_stop(&f->raw);
	script_free(&f->sc);
}

static const char *req(fixture_srv *f, size_t i)
{
	return i < f->sc.nreq ? f->sc.req[i] : "";
}

/* A VM struct as vsdk_hv_vm_find would return it. */
static vsdk_hv_Msvm_ComputerSystem *fake_vm(const char *name, const char *guid)
{
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;

	CU_ASSERT_FATAL(vsdk_hv_Msvm_ComputerSystem_new(&vm) == VSDK_OK);
	vm->Name = strdup(guid);
	vm->ElementName = strdup(name);
	vm->CreationClassName = strdup("Msvm_ComputerSystem");
	vm->present.Name = vm->present.ElementName = vm->present.CreationClassName = true;
	return vm;
}

/* ---- tests ------------------------------------------------------------------- */

static void test_hv_wsman__open_identifies_with_basic_auth_over_soap12(void)
{
	fixture_srv f;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	f.sc.need_auth = "Authorization: Basic QWRtaW5pc3RyYXRvcjpzM2NyZXQ="; /* Administrator:s3cret */
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "s3cret"), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vsdk_session_get_product(f.s), "Microsoft Corporation OS: 10.0.17763 SP: 0.0 Stack: 3.0");
	CU_ASSERT_STRING_EQUAL(vsdk_session_get_api_version(f.s), "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd");
	CU_ASSERT(strncmp(req(&f, 0), "POST /wsman HTTP/1.1", 20) == 0);
	CU_ASSERT_PTR_NOT_NULL(strcasestr(req(&f, 0), "Content-Type: application/soap+xml;charset=UTF-8"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 0), "Identify"));
	close_session(&f);
}

static void test_hv_wsman__bad_password_is_eauth(void)
{
	fixture_srv f;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	f.sc.need_auth = "Authorization: Basic QWRtaW5pc3RyYXRvcjpzM2NyZXQ=";
	CU_ASSERT_EQUAL(open_session(&f, "wrong"), VSDK_EAUTH);
	CU_ASSERT_EQUAL(vsdk_error_last()->http_status, 401);
	CU_ASSERT_PTR_NULL(f.s);
	close_session(&f);
}

static void test_hv_wsman__enumerate_pulls_until_end_of_sequence_and_drops_host(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t n = 0;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "enum-vms-page1.xml");
	script_add(&f.sc, 200, "pull-vms-last.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list(f.s, &vms, &n, 2), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(vms[0]->ElementName, "web-01");
	CU_ASSERT_STRING_EQUAL(vms[1]->ElementName, "db & <cache> \"x\" caf\xc3\xa9");
	CU_ASSERT_EQUAL(vms[1]->EnabledState, 3);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(vms[2]->EnabledState), VSDK_HV_STATE_PAUSED);
	CU_ASSERT(vms[0]->TimeOfLastStateChange.valid);
	/* The Enumerate: WQL filter on the namespace wildcard, optimized, paged. */
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "root/virtualization/v2/*</"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "Dialect=\"http://schemas.microsoft.com/wbem/wsman/1/WQL\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "OptimizeEnumeration"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "MaxElements>2<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "SELECT * FROM Msvm_ComputerSystem"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "mustUnderstand=\"true\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "MessageID>uuid:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "OperationTimeout>PT60.000S<"));
	/* The Pull carries the context from the EnumerateResponse. */
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "enumeration/Pull<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "uuid:5C3F0D8E-29B4-4E6F-8E0A-2D9A1B7C0001"));
	CU_ASSERT_EQUAL(f.sc.nreq, 3);
	vsdk_hv_vm_list_free(vms, n);
	close_session(&f);
}

static void test_hv_wsman__optimized_enumerate_that_fit_sends_no_pull(void)
{
	fixture_srv f;
	char **names = NULL;
	size_t n = 0;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "enum-vms-all.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(f.s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(names[0], "web-01");
	CU_ASSERT_EQUAL(f.sc.nreq, 2); /* no Pull, no Release */
	vsdk_hv_strv_free(names, n);
	close_session(&f);
}


static int stop_after_first(void *payload, struct soap_dom_element *item)
{
	(void)item;
	(*(size_t *)payload)++;
	return VSDK_ECANCELED;
}

static void test_hv_wsman__stopping_early_releases_the_enumeration_context(void)
{
	fixture_srv f;
	size_t got = 0;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "enum-vms-page1.xml");
	script_add(&f.sc, 200, "release-response.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk__wsman_enumerate(&f.s->hv->ws, VSDK_WS_HV_WILDCARD, "SELECT * FROM Msvm_ComputerSystem", 0,
					      2, stop_after_first, &got),
			VSDK_OK);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL_FATAL(f.sc.nreq, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "enumeration/Release<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "uuid:5C3F0D8E-29B4-4E6F-8E0A-2D9A1B7C0001"));
	close_session(&f);
}

typedef struct epr_list {
	vsdk_cim_epr e[4];
	size_t n;
} epr_list;

static int epr_cb(void *payload, struct soap_dom_element *item)
{
	epr_list *l = payload;

	if (l->n >= 4)
		return VSDK_ELIMIT;
	return vsdk__cim_epr_from_dom(&l->e[l->n++], item);
}

static void test_hv_wsman__enumerate_epr_mode_yields_selectors(void)
{
	fixture_srv f;
	epr_list l;

	memset(&l, 0, sizeof(l));
	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "enum-epr.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk__wsman_enumerate(&f.s->hv->ws, VSDK_WS_HV_WILDCARD, "SELECT * FROM Msvm_ComputerSystem",
					      VSDK_WS_ENUM_EPR, 0, epr_cb, &l),
			VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	CU_ASSERT_STRING_EQUAL(l.e[0].resource_uri, VSDK_HV_MSVM_COMPUTERSYSTEM_URI);
	CU_ASSERT_STRING_EQUAL(vsdk_cim_epr_selector(&l.e[1], "Name"), "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A02");
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "EnumerationMode>EnumerateEPR<"));
	for (size_t i = 0; i < l.n; i++)
		vsdk_cim_epr_clear(&l.e[i]);
	close_session(&f);
}

static void test_hv_wsman__fault_carries_subcode_code_and_provider_message(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	const vsdk_error *e;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 500, "fault-provider.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_find_by_guid(f.s, "NOPE", &vm), VSDK_ENOTFOUND);
	e = vsdk_error_last();
	CU_ASSERT_STRING_EQUAL(e->fault, "w:InvalidSelectors");
	CU_ASSERT_EQUAL(e->wsman_code, 2150858843UL);
	CU_ASSERT_EQUAL(e->http_status, 500);
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "The object does not exist: Msvm_ComputerSystem.Name=\"NOPE\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "UnexpectedSelectors"));
	/* The Get: transfer/Get on the class URI with both key selectors. */
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "transfer/Get<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "Name=\"CreationClassName\">Msvm_ComputerSystem<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "Name=\"Name\">NOPE<"));
	CU_ASSERT_PTR_NULL(vm);
	close_session(&f);
}

static int count_cb(void *payload, struct soap_dom_element *item)
{
	(void)item;
	(*(size_t *)payload)++;
	return VSDK_OK;
}

static size_t count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_hv_wsman__real_txwinrm_enumerate_and_pulls_decode(void)
{
	static const char *files[] = { "Win32_Service_star_000.xml", "Win32_Service_star_001.xml",
				       "Win32_Service_star_002.xml", "Win32_Service_star_003.xml" };
	const char *dir = vtest_shared("specs/wsman-wire/txwinrm/server_2012", __func__);
	fixture_srv f;
	size_t expect = 0, got = 0;
	char dirbuf[512];

	if (!dir)
		return;
	snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	for (size_t i = 0; i < 4; i++) {
		char path[700];
		char *text;

		snprintf(path, sizeof(path), "%s/%s", dirbuf, files[i]);
		text = vtest_read_file(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		/* Every instance element carries xsi:type; one is a Win32_TerminalService
		 * (a subclass: WMI enumerations are polymorphic). */
		expect += count_str(text, " xsi:type=\"p:");
		script_add_text(&f.sc, 200, text);
	}
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk__wsman_enumerate(&f.s->hv->ws, "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/*",
					      "select * from Win32_Service", 0, 0, count_cb, &got),
			VSDK_OK);
	CU_ASSERT(expect > 100);
	CU_ASSERT_EQUAL(got, expect);
	CU_ASSERT_EQUAL(f.sc.nreq, 5); /* Identify, Enumerate, 3 Pulls, no Release after EndOfSequence */
	close_session(&f);
}

static int decode_fault_file(const char *path, const vsdk_error **e)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING);
	struct soap_dom_element *root = NULL, *fault;
	size_t len = 0;
	char *text = vtest_read_file(path, &len);
	int rc = -1000;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	if (vsdk__ws_parse(soap, text, len, &root) == VSDK_OK &&
	    (fault = vsdk__ws_find(root, VSDK_WS_NS_SOAP, "Fault")))
		rc = vsdk__wsman_fault(fault, "test", 500);
	*e = vsdk_error_last();
	free(text);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	return rc;
}

static void test_hv_wsman__real_fault_captures_decode(void)
{
	const char *p = vtest_shared("specs/wsman-wire/txwinrm/data_error/max_concurrent.xml", __func__);
	const vsdk_error *e;
	char path[512];

	if (!p)
		return;
	snprintf(path, sizeof(path), "%s", p);
	CU_ASSERT_EQUAL(decode_fault_file(path, &e), VSDK_EFAULT);
	CU_ASSERT_STRING_EQUAL(e->fault, "w:InternalError");
	CU_ASSERT_EQUAL(e->wsman_code, 2150859174UL);
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "maximum number of 15 concurrent operations"));

	p = vtest_shared("specs/wsman-wire/masterzen-winrm/operationTimeoutResponse.xml", __func__);
	if (!p)
		return;
	snprintf(path, sizeof(path), "%s", p);
	CU_ASSERT_EQUAL(decode_fault_file(path, &e), VSDK_ETIMEOUT);
	CU_ASSERT_STRING_EQUAL(e->fault, "w:TimedOut");
	CU_ASSERT_EQUAL(e->wsman_code, 2150858793UL);
}

static void test_hv_wsman__wql_quote_escapes_quotes_and_refuses_control_chars(void)
{
	char *q = NULL;

	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("a'b\"c\\d", &q), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(q, "'a\\'b\\\"c\\\\d'");
	free(q);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("x' OR Name LIKE '%", &q), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(q, "'x\\' OR Name LIKE \\'%'");
	free(q);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("caf\xc3\xa9", &q), VSDK_OK);
	free(q);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("line\nbreak", &q), VSDK_EINVALID);
	CU_ASSERT_PTR_NULL(q);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("tab\there", &q), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote("bad\xff", &q), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_hv_wql_quote(NULL, &q), VSDK_EINVALID);
}

static void test_hv_job__started_job_is_polled_to_completion(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = fake_vm("web-01", "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01");

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "rsc-job-started.xml");
	script_add(&f.sc, 200, "job-running.xml");
	script_add(&f.sc, 200, "job-completed.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_start(f.s, vm, 5000), VSDK_OK);
	CU_ASSERT_EQUAL(f.sc.nreq, 4);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(req(&f, 1), "root/virtualization/v2/Msvm_ComputerSystem/RequestStateChange</"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "RequestStateChange_INPUT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "RequestedState>2<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "Name=\"Name\">6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "transfer/Get<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "Msvm_ConcreteJob<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 2), "Name=\"InstanceID\">8F2E5B6A-3C4D-4E1F-9A0B-1C2D3E4F5A60<"));
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	close_session(&f);
}

static void test_hv_job__failed_job_surfaces_error_code_and_description(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = fake_vm("web-01", "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01");

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "rsc-job-started.xml");
	script_add(&f.sc, 200, "job-failed.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_start(f.s, vm, 5000), VSDK_EJOB);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "Not enough memory in the system to start the "
								  "virtual machine <web-01>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "Exception"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ErrorCode 32768"));
	CU_ASSERT_EQUAL(vsdk_error_last()->cim_return, 32768);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	close_session(&f);
}

static void test_hv_job__invalid_state_32775_is_estate_with_name(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = fake_vm("web-01", "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01");

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "rsc-invalid-state.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_pause(f.s, vm, 5000), VSDK_ESTATE);
	CU_ASSERT_EQUAL(vsdk_error_last()->cim_return, 32775);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "32775 (Invalid state for this operation)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req(&f, 1), "RequestedState>9<"));
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	close_session(&f);
}

static void test_hv_job__timeout_returns_etimeout_while_job_runs(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = fake_vm("web-01", "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01");
	int64_t t0;

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	script_add(&f.sc, 200, "rsc-job-started.xml");
	script_add(&f.sc, 200, "job-running.xml");
	f.sc.repeat_last = true;
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_hv_vm_save(f.s, vm, 300), VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 2000);
	CU_ASSERT(f.sc.nreq >= 4); /* polled more than once */
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "keeps running"));
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	close_session(&f);
}

static void test_hv_tables__every_name_function_is_total_and_v2_aware(void)
{
	for (unsigned v = 0; v < 65536; v++) {
		CU_ASSERT_PTR_NOT_NULL(vsdk_hv_enabled_state_name((uint16_t)v));
		CU_ASSERT_PTR_NOT_NULL(vsdk_hv_job_state_name((uint16_t)v));
		CU_ASSERT_PTR_NOT_NULL(vsdk_hv_requested_state_name((uint16_t)v));
		CU_ASSERT_PTR_NOT_NULL(vsdk_hv_agent_state_name((uint16_t)v));
		CU_ASSERT_PTR_NOT_NULL(vsdk_hv_state_name(vsdk_hv_state_from_enabled((uint16_t)v)));
	}
	CU_ASSERT_PTR_NOT_NULL(vsdk_hv_return_code_name(0xffffffffu));
	CU_ASSERT_PTR_NOT_NULL(vsdk_hv_state_name((vsdk_hv_state)99));
	CU_ASSERT_STRING_EQUAL(vsdk_hv_return_code_name(32775), "Invalid state for this operation");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_return_code_name(32778), "Out of memory");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_return_code_name(0), "Completed with No Error");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_return_code_name(4099), "Busy");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_job_state_name(7), "Completed");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_job_state_name(10), "Exception");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_enabled_state_name(6), "Enabled but Offline");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_enabled_state_name(32768), "Paused");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_enabled_state_name(32777), "Resuming");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_requested_state_name(9), "Quiesce");
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(2), VSDK_HV_STATE_RUNNING);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(3), VSDK_HV_STATE_OFF);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(6), VSDK_HV_STATE_SAVED);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(9), VSDK_HV_STATE_PAUSED);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(10), VSDK_HV_STATE_STARTING);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(32769), VSDK_HV_STATE_SAVED);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(32776), VSDK_HV_STATE_PAUSING);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(12345), VSDK_HV_STATE_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(vsdk_hv_agent_state_name(2), "Running");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_agent_state_name(3), "Stopped");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_agent_state_name(32777), "Starting");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_agent_state_name(32773), "Saving");
	CU_ASSERT_STRING_EQUAL(vsdk_hv_agent_state_name(9), "Unknown");
}

/* KVP data that must survive CIM-XML-in-CDATA inside the Invoke body. */
static const char hostile[] = "<a href=\"x\">&amp;</a> ' ]]> ]]]]>> caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\";

static void test_hv_kvp__hostile_data_round_trips_through_the_invoke_body(void)
{
	const vsdk_cim_method *m = vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_method;
	vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_in in, back;
	vsdk_hv_Msvm_KvpExchangeDataItem *it = NULL, *got;
	char *xml = NULL;

	memset(&in, 0, sizeof(in));
	memset(&back, 0, sizeof(back));
	CU_ASSERT_FATAL(vsdk_hv_Msvm_KvpExchangeDataItem_new(&it) == VSDK_OK);
	it->Name = strdup("k]]>\"<");
	it->Data = strdup(hostile);
	it->present.Name = it->present.Data = it->present.Source = true;
	in.DataItems = calloc(1, sizeof(*in.DataItems));
	in.DataItems[0] = &it->cim;
	in.DataItems_count = 1;
	in.present.DataItems = true;
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_input_encode(&xml, m, &in), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<![CDATA["));
	CU_ASSERT_EQUAL_FATAL(vsdk_cim_method_input_decode(&back, m, xml, strlen(xml)), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(back.DataItems_count, 1);
	got = (vsdk_hv_Msvm_KvpExchangeDataItem *)back.DataItems[0];
	CU_ASSERT_STRING_EQUAL(got->Data, hostile);
	CU_ASSERT_STRING_EQUAL(got->Name, "k]]>\"<");
	free(xml);
	vsdk_cim_clear(m->in, &in);
	vsdk_cim_clear(m->in, &back);
}

static void test_hv_kvp__limits_are_refused_before_sending(void)
{
	fixture_srv f;
	vsdk_hv_Msvm_ComputerSystem *vm = fake_vm("web-01", "6A3B2F10-1C2D-4E5F-8A9B-0C1D2E3F4A01");
	vsdk_hv_kvp_item items[129];
	char big[1100];

	script_init(&f.sc);
	script_add(&f.sc, 200, "identify-response.xml");
	CU_ASSERT_EQUAL_FATAL(open_session(&f, "x"), VSDK_OK);
	for (size_t i = 0; i < 129; i++) {
		items[i].name = (char *)"k";
		items[i].data = (char *)"v";
		items[i].source = 0;
	}
	CU_ASSERT_EQUAL(vsdk_hv_kvp_add(f.s, vm, items, 129, 1000), VSDK_ELIMIT);
	memset(big, 'x', 1025);
	big[1025] = '\0';
	items[0].data = big;
	CU_ASSERT_EQUAL(vsdk_hv_kvp_add(f.s, vm, items, 1, 1000), VSDK_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "1025 characters"));
	items[0].data = (char *)"ctl\x01";
	CU_ASSERT_EQUAL(vsdk_hv_kvp_add(f.s, vm, items, 1, 1000), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_hv_userdata_set(f.s, vm, "not base64!", 11, VSDK_HV_USERDATA_BASE64, 1000),
			VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_hv_userdata_set(f.s, vm, big, 800, VSDK_HV_USERDATA_RAW, 1000), VSDK_ELIMIT);
	CU_ASSERT_EQUAL(f.sc.nreq, 1); /* only the Identify went out */
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	close_session(&f);
}

static void test_hv_session__hyperv_uri_rejects_unknown_parameter(void)
{
	vsdk_session *s = NULL;

	setenv("VSDK_PASSWORD", "x", 1);
	CU_ASSERT_EQUAL(vsdk_session_open(&s, "hyperv://u@127.0.0.1:1/?transport=http&bogus=1", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "bogus"));
	CU_ASSERT_PTR_NULL(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_hv_wsman__open_identifies_with_basic_auth_over_soap12),
		VTEST_CASE(test_hv_wsman__bad_password_is_eauth),
		VTEST_CASE(test_hv_wsman__enumerate_pulls_until_end_of_sequence_and_drops_host),
		VTEST_CASE(test_hv_wsman__optimized_enumerate_that_fit_sends_no_pull),
		VTEST_CASE(test_hv_wsman__stopping_early_releases_the_enumeration_context),
		VTEST_CASE(test_hv_wsman__enumerate_epr_mode_yields_selectors),
		VTEST_CASE(test_hv_wsman__fault_carries_subcode_code_and_provider_message),
		VTEST_CASE(test_hv_wsman__real_txwinrm_enumerate_and_pulls_decode),
		VTEST_CASE(test_hv_wsman__real_fault_captures_decode),
		VTEST_CASE(test_hv_wsman__wql_quote_escapes_quotes_and_refuses_control_chars),
		VTEST_CASE(test_hv_job__started_job_is_polled_to_completion),
		VTEST_CASE(test_hv_job__failed_job_surfaces_error_code_and_description),
		VTEST_CASE(test_hv_job__invalid_state_32775_is_estate_with_name),
		VTEST_CASE(test_hv_job__timeout_returns_etimeout_while_job_runs),
		VTEST_CASE(test_hv_tables__every_name_function_is_total_and_v2_aware),
		VTEST_CASE(test_hv_kvp__hostile_data_round_trips_through_the_invoke_body),
		VTEST_CASE(test_hv_kvp__limits_are_refused_before_sending),
		VTEST_CASE(test_hv_session__hyperv_uri_rejects_unknown_parameter),
		VTEST_END,
	};
	return vtest_main("hv_wsman", cases, NULL, NULL);
}
