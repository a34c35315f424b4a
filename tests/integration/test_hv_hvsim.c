/*
 * Integration tests of the Hyper-V layer against hvsim: lookup, lists,
 * settings, state changes, jobs (success, failure text, timeout), summary,
 * KVP (hostile data), userdata, auth and fault paths.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "common_private.h"
#include "vsdk/hyperv.h"
#include "vsim.h"
#include "vtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HVSIM_BIN "generated/build/bin/hvsim"

typedef struct sim {
	vtest_server srv;
	char hostport[128];
	char control[256];
} sim;

static bool read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r <= 0)
			return false;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return true;
}

static bool sim_start(sim *sm, const char *vms, const char *job_delay)
{
	char *argv[] = { HVSIM_BIN, "--listen", "127.0.0.1:0", "--vms", (char *)vms, "--user", "admin", "--password",
			 "s3cret", "--job-delay-ms", (char *)job_delay, "--control-listen", "127.0.0.1:0", NULL };
	const char *p;

	memset(sm, 0, sizeof(*sm));
	if (!vtest_server_start(&sm->srv, argv, 20000))
		return false;
	p = strstr(sm->srv.url, "://");
	snprintf(sm->hostport, sizeof(sm->hostport), "%s", p ? p + 3 : "");
	if (strchr(sm->hostport, '/'))
		*strchr(sm->hostport, '/') = '\0';
	if (!read_line(sm->srv.out_fd, sm->control, sizeof(sm->control)))
		return false;
	if (sm->control[strlen(sm->control) - 1] == '/')
		sm->control[strlen(sm->control) - 1] = '\0';
	return true;
}

static int ctl(const sim *sm, const char *verb)
{
	char url[1024];
	char *resp = NULL;
	int st;

	snprintf(url, sizeof(url), "%s%s", sm->control, verb);
	st = vsim_http(url, "GET", NULL, &resp);
	if (st != 200)
		printf("control %s: HTTP %d %s\n", url, st, resp ? resp : "");
	free(resp);
	return st;
}

static vsdk_session *sim_open(const sim *sm, const char *password)
{
	char uri[300];
	vsdk_session *s = NULL;

	snprintf(uri, sizeof(uri), "hyperv://admin@%s/?transport=http", sm->hostport);
	setenv("VSDK_PASSWORD", password, 1);
	if (vsdk_session_open(&s, uri, NULL) != VSDK_OK)
		return NULL;
	return s;
}

static bool have_sim(const char *test)
{
	if (access(HVSIM_BIN, X_OK) == 0)
		return true;
	vtest_skip(test, "no " HVSIM_BIN " (build with `make hvsim`)");
	return false;
}

/*
 * One simulator per test.  A fatal assertion leaves a test early, so the
 * simulator and session live in globals and are cleaned up by the next
 * SETUP or by the suite's fini: no simulator outlives the suite.
 */
static sim g_sim;
static vsdk_session *g_s;

static void cleanup(void)
{
	vsdk_session_close(g_s);
	g_s = NULL;
	if (g_sim.srv.pid > 0)
		vtest_server_stop(&g_sim.srv);
	memset(&g_sim, 0, sizeof(g_sim));
}

static int suite_fini(void)
{
	cleanup();
	return 0;
}

#define SETUP(vms, delay)                                                          \
	sim *smp = &g_sim;                                                         \
	vsdk_session *s;                                                           \
	if (!have_sim(__func__))                                                   \
		return;                                                            \
	cleanup();                                                                 \
	CU_ASSERT_FATAL(sim_start(smp, vms, delay));                               \
	s = g_s = sim_open(smp, "s3cret");                                         \
	if (!s)                                                                    \
		printf("open: %s\n", vsdk_error_last()->message);                  \
	CU_ASSERT_PTR_NOT_NULL_FATAL(s)

#define TEARDOWN() cleanup()

static vsdk_hv_Msvm_ComputerSystem *find(vsdk_session *s, const char *name)
{
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	int rc = vsdk_hv_vm_find(s, name, &vm);

	if (rc)
		printf("find %s: %s\n", name, vsdk_error_last()->message);
	CU_ASSERT_EQUAL(rc, VSDK_OK);
	return vm;
}

static uint16_t state_of(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm)
{
	vsdk_hv_Msvm_ComputerSystem *now = NULL;
	uint16_t st;

	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_find_by_guid(s, vm->Name, &now), VSDK_OK);
	st = now->EnabledState;
	vsdk_hv_Msvm_ComputerSystem_free(now);
	return st;
}

/* ---- tests -------------------------------------------------------------------- */

static void test_hv_hvsim__service_list_and_lookup_exclude_the_host(void)
{
	vsdk_hv_Msvm_VirtualSystemManagementService *svc = NULL;
	vsdk_hv_Msvm_ComputerSystem *vm = NULL, *again = NULL;
	char **names = NULL;
	size_t n = 0;

	SETUP("5", "0");
	CU_ASSERT_STRING_NOT_EQUAL(vsdk_session_get_product(s), "");
	CU_ASSERT_EQUAL(vsdk_hv_vsms_get(s, &svc), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(svc);
	vsdk_hv_Msvm_VirtualSystemManagementService_free(svc);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	CU_ASSERT_EQUAL(n, 5);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_STRING_NOT_EQUAL(names[i], "HVSIM01");
	vm = find(s, names[2]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_STRING_EQUAL(vm->ElementName, names[2]);
	CU_ASSERT_EQUAL(vsdk_hv_vm_find_by_guid(s, vm->Name, &again), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(again->ElementName, names[2]);
	vsdk_hv_Msvm_ComputerSystem_free(again);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vm = NULL;
	CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, "no-such-vm", &vm), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, "HVSIM01", &vm), VSDK_ENOTFOUND); /* the host is not a VM */
	CU_ASSERT_EQUAL(vsdk_hv_vm_find_by_guid(s, "00000000-0000-0000-0000-000000000000", &vm), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__duplicate_names_are_ambiguous_and_list_guids(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;
	char **names = NULL;
	size_t n = 0;
	char verb[256];

	SETUP("3", "0");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	snprintf(verb, sizeof(verb), "/rename?vm=%s&name=%s", names[1], names[0]);
	CU_ASSERT_EQUAL(ctl(smp, verb), 200);
	CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, names[0], &vm), VSDK_EAMBIGUOUS);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "GUIDs"));
	CU_ASSERT_PTR_NULL(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__hostile_names_are_found_and_cannot_change_the_query(void)
{
	static const char *hostile[] = { "a'b\"c\\d", "<x>&amp;", "\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x96\xa5",
					 "]]> ' OR Name != '" };
	vsdk_hv_Msvm_ComputerSystem *vm = NULL;

	SETUP("6", "0");
	CU_ASSERT_EQUAL(ctl(smp, "/hostile-names"), 200);
	for (size_t i = 0; i < 4; i++) {
		vm = find(s, hostile[i]);
		if (vm)
			CU_ASSERT_STRING_EQUAL(vm->ElementName, hostile[i]);
		vsdk_hv_Msvm_ComputerSystem_free(vm);
	}
	/* An injection attempt matches nothing instead of everything. */
	vm = NULL;
	CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, "x' OR ElementName != '", &vm), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_hv_vm_find(s, "bad\x01name", &vm), VSDK_EINVALID);
	TEARDOWN();
}

static void test_hv_hvsim__settings_kvp_settings_and_data_root(void)
{
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t n = 0;
	char *root = NULL;

	SETUP("4", "0");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list(s, &vms, &n, 2), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	for (size_t i = 0; i < n; i++) {
		vsdk_hv_Msvm_VirtualSystemSettingData *vssd = NULL;
		vsdk_hv_Msvm_KvpExchangeComponentSettingData *ks = NULL;

		CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_settings(s, vms[i], &vssd), VSDK_OK);
		CU_ASSERT_STRING_EQUAL(vssd->VirtualSystemType, "Microsoft:Hyper-V:System:Realized");
		vsdk_hv_Msvm_VirtualSystemSettingData_free(vssd);
		CU_ASSERT_EQUAL(vsdk_hv_vm_kvp_settings(s, vms[i], &ks), VSDK_OK);
		vsdk_cim_free((vsdk_cim_instance *)ks);
	}
	vsdk_hv_vm_list_free(vms, n);
	CU_ASSERT_EQUAL(vsdk_hv_default_data_root(s, &root), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(root);
	CU_ASSERT(root && strlen(root) > 3);
	free(root);
	TEARDOWN();
}

static void test_hv_hvsim__state_changes_follow_their_jobs(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm;
	char **names = NULL;
	size_t n = 0;

	SETUP("2", "30");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vm = find(s, names[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	if (state_of(s, vm) != 3)
		CU_ASSERT_EQUAL(vsdk_hv_vm_turn_off(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 3);
	CU_ASSERT_EQUAL(vsdk_hv_vm_start(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 2);
	CU_ASSERT_EQUAL(vsdk_hv_vm_pause(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 9);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(state_of(s, vm)), VSDK_HV_STATE_PAUSED);
	CU_ASSERT_EQUAL(vsdk_hv_vm_resume(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 2);
	CU_ASSERT_EQUAL(vsdk_hv_vm_reset(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_reboot(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 2);
	CU_ASSERT_EQUAL(vsdk_hv_vm_save(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 6);
	CU_ASSERT_EQUAL(vsdk_hv_state_from_enabled(state_of(s, vm)), VSDK_HV_STATE_SAVED);
	/* Pausing a saved VM is an invalid transition: 32775. */
	CU_ASSERT_EQUAL(vsdk_hv_vm_pause(s, vm, 10000), VSDK_ESTATE);
	CU_ASSERT_EQUAL(vsdk_error_last()->cim_return, 32775);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "Invalid state for this operation"));
	CU_ASSERT_EQUAL(vsdk_hv_vm_start(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_vm_shutdown(s, vm, false, "test", 10000), VSDK_OK);
	CU_ASSERT_EQUAL(state_of(s, vm), 3);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__failed_job_surfaces_its_error_text(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm;
	char **names = NULL;
	size_t n = 0;

	SETUP("2", "20");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vm = find(s, names[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	if (state_of(s, vm) != 3)
		CU_ASSERT_EQUAL(vsdk_hv_vm_turn_off(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(ctl(smp, "/job-exception?code=32778&desc=Not%20enough%20memory%20to%20start%20it"), 200);
	CU_ASSERT_EQUAL(vsdk_hv_vm_start(s, vm, 10000), VSDK_EJOB);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "Not enough memory to start it"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "ErrorCode 32778"));
	CU_ASSERT_EQUAL(vsdk_error_last()->cim_return, 32778);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__hung_job_times_out_with_etimeout(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm;
	char **names = NULL;
	size_t n = 0;
	int64_t t0;

	SETUP("2", "0");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vm = find(s, names[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_EQUAL(ctl(smp, "/job-hang"), 200);
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_hv_vm_request_state(s, vm, state_of(s, vm) == 2 ? 3 : 2, 400), VSDK_ETIMEOUT);
	CU_ASSERT(vsdk__now_ms() - t0 < 3000);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__summary_information_for_several_vms(void)
{
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	vsdk_hv_Msvm_SummaryInformation **sum = NULL;
	size_t n = 0, ns = 0;

	SETUP("3", "0");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list(s, &vms, &n, 0), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_summary(s, vms, n, NULL, 0, &sum, &ns), VSDK_OK);
	if (vsdk_error_last()->code)
		printf("summary: %s\n", vsdk_error_last()->message);
	CU_ASSERT_EQUAL_FATAL(ns, n);
	for (size_t i = 0; i < ns; i++) {
		CU_ASSERT_PTR_NOT_NULL(sum[i]->ElementName);
		if (sum[i]->ElementName)
			CU_ASSERT_STRING_EQUAL(sum[i]->ElementName, vms[i]->ElementName);
	}
	vsdk_hv_summary_free(sum, ns);
	vsdk_hv_vm_list_free(vms, n);
	TEARDOWN();
}

static void test_hv_hvsim__bad_password_and_injected_fault(void)
{
	vsdk_session *bad;
	char **names = NULL;
	size_t n = 0;

	SETUP("2", "0");
	bad = sim_open(smp, "wrong");
	CU_ASSERT_PTR_NULL(bad);
	CU_ASSERT_EQUAL(vsdk_error_last()->code, VSDK_EAUTH);
	vsdk_session_close(bad);
	CU_ASSERT_EQUAL_FATAL(
		ctl(smp, "/fault?subcode=w:InternalError&code=2150859174&text=The%20maximum%20number%20of%20concurrent%20operations"),
		200);
	CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_EFAULT);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "w:InternalError");
	CU_ASSERT_EQUAL(vsdk_error_last()->wsman_code, 2150859174UL);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "maximum number of concurrent operations"));
	/* The next call works again. */
	CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static const char hostile_data[] = "<a href=\"x\">&amp;</a> ' ]]> ]]]]>> caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\ \"q\"";

static const char *item_data(const vsdk_hv_kvp_item *items, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].name, name) == 0)
			return items[i].data;
	return NULL;
}

static void test_hv_hvsim__kvp_items_round_trip_hostile_data(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm;
	vsdk_hv_kvp_item add[2] = { { (char *)"plain", (char *)"v1", 0 }, { (char *)"we<ird>&\"'", (char *)hostile_data, 0 } };
	vsdk_hv_kvp_item *items = NULL;
	const char *rm[] = { "plain" };
	char **names = NULL;
	size_t n = 0, ni = 0;

	SETUP("2", "10");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vm = find(s, names[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	CU_ASSERT_EQUAL(vsdk_hv_kvp_add(s, vm, add, 2, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_host_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, "plain") ? item_data(items, ni, "plain") : "", "v1");
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, "we<ird>&\"'") ? item_data(items, ni, "we<ird>&\"'") : "",
			       hostile_data);
	vsdk_hv_kvp_items_free(items, ni);
	/* Adding an existing item fails; upsert modifies it. */
	CU_ASSERT_NOT_EQUAL(vsdk_hv_kvp_add(s, vm, add, 1, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_kvp_upsert(s, vm, "plain", "v2 \xe2\x9c\x93", 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_hv_kvp_upsert(s, vm, "fresh", "new", 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_host_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, "plain") ? item_data(items, ni, "plain") : "", "v2 \xe2\x9c\x93");
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, "fresh") ? item_data(items, ni, "fresh") : "", "new");
	vsdk_hv_kvp_items_free(items, ni);
	CU_ASSERT_EQUAL(vsdk_hv_kvp_remove(s, vm, rm, 1, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_host_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_PTR_NULL(item_data(items, ni, "plain"));
	vsdk_hv_kvp_items_free(items, ni);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__guest_items_and_userdata(void)
{
	vsdk_hv_Msvm_ComputerSystem *vm;
	vsdk_hv_kvp_item *items = NULL;
	char **names = NULL;
	size_t n = 0, ni = 0;
	char verb[300];
	static const unsigned char raw[] = { 0x00, 0xff, '<', ']', ']', '>', 0x80, 'x' };

	SETUP("2", "0");
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_vm_list_names(s, &names, &n), VSDK_OK);
	vm = find(s, names[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vm);
	snprintf(verb, sizeof(verb), "/guest-kvp?vm=%s&name=GuestKey&data=guest%%20value", names[1]);
	CU_ASSERT_EQUAL(ctl(smp, verb), 200);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_guest_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, "GuestKey") ? item_data(items, ni, "GuestKey") : "", "guest value");
	vsdk_hv_kvp_items_free(items, ni);
	/* A running guest also reports intrinsic items (source 2). */
	if (state_of(s, vm) != 2)
		CU_ASSERT_EQUAL(vsdk_hv_vm_start(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_guest_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(item_data(items, ni, "FullyQualifiedDomainName"));
	for (size_t i = 0; i < ni; i++)
		CU_ASSERT(items[i].source == (strcmp(items[i].name, "GuestKey") == 0 ? 1 : 2));
	vsdk_hv_kvp_items_free(items, ni);
	/* Raw bytes are stored base64-encoded (OpenSSL EVP). */
	CU_ASSERT_EQUAL(vsdk_hv_userdata_set(s, vm, raw, sizeof(raw), VSDK_HV_USERDATA_RAW, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_host_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, VSDK_HV_USERDATA_KEY) ? item_data(items, ni, VSDK_HV_USERDATA_KEY) : "",
			       "AP88XV0+gHg=");
	vsdk_hv_kvp_items_free(items, ni);
	/* Base64 is checked and stored as is (upsert: the item exists now). */
	CU_ASSERT_EQUAL(vsdk_hv_userdata_set(s, vm, "aGVsbG8=", 8, VSDK_HV_USERDATA_BASE64, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_hv_kvp_host_items(s, vm, &items, &ni), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(item_data(items, ni, VSDK_HV_USERDATA_KEY) ? item_data(items, ni, VSDK_HV_USERDATA_KEY) : "",
			       "aGVsbG8=");
	vsdk_hv_kvp_items_free(items, ni);
	vsdk_hv_Msvm_ComputerSystem_free(vm);
	vsdk_hv_strv_free(names, n);
	TEARDOWN();
}

static void test_hv_hvsim__https_verifies_the_certificate_by_default(void)
{
	char *dir, cert[600], key[600], ca[600], uri[300];
	vtest_server tls;
	vsdk_session *t = NULL;
	vsdk_session_options o = VSDK_SESSION_OPTIONS_INIT;
	const char *hp;
	char hostport[128];

	if (!have_sim(__func__))
		return;
	dir = vtest_tmpdir();
	CU_ASSERT_FATAL(dir && vsim_make_certs(dir));
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	{
		char *argv[] = { HVSIM_BIN, "--listen", "127.0.0.1:0", "--vms", "2", "--user", "admin", "--password",
				 "s3cret", "--tls-cert", cert, "--tls-key", key, NULL };

		CU_ASSERT_FATAL(vtest_server_start(&tls, argv, 20000));
	}
	CU_ASSERT(strncmp(tls.url, "https://", 8) == 0);
	hp = strstr(tls.url, "://");
	snprintf(hostport, sizeof(hostport), "%s", hp ? hp + 3 : "");
	if (strchr(hostport, '/'))
		*strchr(hostport, '/') = '\0';
	setenv("VSDK_PASSWORD", "s3cret", 1);
	snprintf(uri, sizeof(uri), "hyperv://admin@%s/", hostport);
	/* Default https, system CAs: the test CA is not trusted. */
	CU_ASSERT_EQUAL(vsdk_session_open(&t, uri, NULL), VSDK_ETLS);
	CU_ASSERT_PTR_NULL(t);
	/* With the CA file: verified, and the calls work. */
	o.ca_file = ca;
	CU_ASSERT_EQUAL(vsdk_session_open(&t, uri, &o), VSDK_OK);
	if (t) {
		char **names = NULL;
		size_t n = 0;

		CU_ASSERT_EQUAL(vsdk_hv_vm_list_names(t, &names, &n), VSDK_OK);
		CU_ASSERT_EQUAL(n, 2);
		vsdk_hv_strv_free(names, n);
		vsdk_session_close(t);
		t = NULL;
	}
	/* no_verify=1 accepts it (and logs a warning). */
	snprintf(uri, sizeof(uri), "hyperv://admin@%s/?no_verify=1", hostport);
	CU_ASSERT_EQUAL(vsdk_session_open(&t, uri, NULL), VSDK_OK);
	vsdk_session_close(t);
	vtest_server_stop(&tls);
	vtest_rmtree(dir);
	free(dir);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_hv_hvsim__service_list_and_lookup_exclude_the_host),
		VTEST_CASE(test_hv_hvsim__duplicate_names_are_ambiguous_and_list_guids),
		VTEST_CASE(test_hv_hvsim__hostile_names_are_found_and_cannot_change_the_query),
		VTEST_CASE(test_hv_hvsim__settings_kvp_settings_and_data_root),
		VTEST_CASE(test_hv_hvsim__state_changes_follow_their_jobs),
		VTEST_CASE(test_hv_hvsim__failed_job_surfaces_its_error_text),
		VTEST_CASE(test_hv_hvsim__hung_job_times_out_with_etimeout),
		VTEST_CASE(test_hv_hvsim__summary_information_for_several_vms),
		VTEST_CASE(test_hv_hvsim__bad_password_and_injected_fault),
		VTEST_CASE(test_hv_hvsim__kvp_items_round_trip_hostile_data),
		VTEST_CASE(test_hv_hvsim__guest_items_and_userdata),
		VTEST_CASE(test_hv_hvsim__https_verifies_the_certificate_by_default),
		VTEST_END,
	};
	return vtest_main("hv_hvsim", cases, NULL, suite_fini);
}
