/*
 * VI task waiting against the vSphere simulator harness: results, faults,
 * progress, timeouts, cancellation, VM questions, many tasks at once.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vsim.h"
#include "vsdk/session.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"
#include "vi_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vsim_vc esx, vpx;

static int suite_init(void)
{
	if (!vsim_vc_start(&esx, "--model", "esx", "--vms", "12", NULL))
		return 1;
	return vsim_vc_start(&vpx, "--model", "vpx", "--vms", "2", "--task-delay-ms", "200", NULL) ? 0 : 1;
}

static int suite_fini(void)
{
	vsim_vc_stop(&esx);
	vsim_vc_stop(&vpx);
	return 0;
}

static vsdk_session *open_esx(bool auto_answer)
{
	vsdk_session *s = NULL;
	char uri[256];

	snprintf(uri, sizeof(uri), "esx://root@%s/?transport=http&auto_answer=%d", esx.hostport, auto_answer);
	setenv("VSDK_PASSWORD", "secret", 1);
	if (vsdk_session_open(&s, uri, NULL) != VSDK_OK)
		fprintf(stderr, "open %s: %s\n", uri, vsdk_error_last()->message);
	return s;
}

/* A JSON string field of a control endpoint answer (static buffer). */
static const char *control_get(const char *path, const char *field)
{
	static char val[256];
	char url[512], key[64], *body = NULL;
	const char *p;
	size_t n = 0;

	val[0] = '\0';
	snprintf(url, sizeof(url), "%s%s", esx.control, path);
	if (vsim_http(url, "GET", NULL, &body) != 200 || !body) {
		free(body);
		return val;
	}
	snprintf(key, sizeof(key), "\"%s\":\"", field);
	if ((p = strstr(body, key))) {
		p += strlen(key);
		while (p[n] && p[n] != '"' && n + 1 < sizeof(val))
			n++;
		memcpy(val, p, n);
		val[n] = '\0';
	}
	free(body);
	return val;
}

/* The MoRef of model VM number i (static buffer per call site copy). */
static char *vm_id(int i)
{
	char path[128];

	snprintf(path, sizeof(path), "/vm?vm=ha-host_VM%d", i);
	return strdup(control_get(path, "moref"));
}

static const char *power_state(const char *vm)
{
	char path[128];

	snprintf(path, sizeof(path), "/vm?vm=%s", vm);
	return control_get(path, "powerState");
}

static void set_delay(const char *vm, int ms)
{
	char q[128];

	snprintf(q, sizeof(q), "/task-delay?ms=%d&vm=%s", ms, vm);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", q), 200);
}

static void test_vi_task__power_off_and_on_succeed(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOff");
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on(s, vm, 10000), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	CU_ASSERT_EQUAL(vsdk_vi_vm_suspend(s, vm, 10000), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "suspended");
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_reset(s, vm, 10000), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__power_on_running_vm_fails_with_invalid_power_state(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(1);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_on_start(&t, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, NULL), VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidPowerState");
	/* the server's localized message is quoted */
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "current state"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, vsdk_task_id(t)));
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_ERROR);
	CU_ASSERT_EQUAL(vsdk_task_error(t)->code, VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_task_error(t)->fault, "InvalidPowerState");
	CU_ASSERT_PTR_NULL(vsdk_task_result(t, NULL));
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__unknown_vm_is_enotfound(void)
{
	vsdk_session *s = open_esx(false);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on_start(&t, s, "vm-no-such"), VSDK_ENOTFOUND);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ManagedObjectNotFound");
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, "vm-no-such", 1000), VSDK_ENOTFOUND);
	vsdk_session_close(s);
}

static void test_vi_task__unknown_task_is_enotfound(void)
{
	vsdk_session *s = open_esx(false);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(vsdk_task_new(&t, "task-no-such", NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 5000, NULL, NULL, NULL), VSDK_ENOTFOUND);
	vsdk_task_free(t);
	vsdk_session_close(s);
}

struct progress {
	int calls;
	int last;
	bool increasing;
	const vsdk_task *task;
};

static void on_progress(void *payload, const vsdk_task *t, int percent)
{
	struct progress *p = payload;

	if (percent <= p->last || t != p->task)
		p->increasing = false;
	p->last = percent;
	p->calls++;
}

static void test_vi_task__progress_callback_sees_increasing_values(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(2);
	struct progress p = { 0, -1, true, NULL };
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	set_delay(vm, 1500);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_off_start(&t, s, vm), VSDK_OK);
	p.task = t;
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 20000, on_progress, &p, NULL), VSDK_OK);
	CU_ASSERT(p.increasing);
	CU_ASSERT(p.calls >= 3); /* 0 or an early value, something in between, 100 */
	CU_ASSERT_EQUAL(p.last, 100);
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_SUCCESS);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOff");
	set_delay(vm, 0);
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__timeout_leaves_task_for_a_later_wait(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(3);
	vsdk_task *t = NULL;
	int64_t t0, dt;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	set_delay(vm, -1);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_off_start(&t, s, vm), VSDK_OK);
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 1500, NULL, NULL, NULL), VSDK_ETIMEOUT);
	dt = vsdk__now_ms() - t0;
	CU_ASSERT(dt >= 1450 && dt < 3000);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, vsdk_task_id(t)));
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_RUNNING);
	/* sub-second timeouts are honoured too */
	t0 = vsdk__now_ms();
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 300, NULL, NULL, NULL), VSDK_ETIMEOUT);
	dt = vsdk__now_ms() - t0;
	CU_ASSERT(dt >= 280 && dt < 1200);
	/* 0 looks once */
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 0, NULL, NULL, NULL), VSDK_ETIMEOUT);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	/* the session still works after cutting a wait short */
	set_delay(vm, 0);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_SUCCESS);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOff");
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__cancelled_task_is_ecanceled(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(4);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	set_delay(vm, -1);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_off_start(&t, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_cancel(s, t), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, NULL), VSDK_ECANCELED);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "RequestCanceled");
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_ERROR);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	/* a finished task cannot be cancelled */
	CU_ASSERT_EQUAL(vsdk_task_cancel(s, t), VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidState");
	set_delay(vm, 0);
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void ask(const char *vm, const char *text_enc)
{
	char q[512];

	snprintf(q, sizeof(q), "/question?vm=%s&text=%s&choices=Keep,Create&default=1", vm, text_enc);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", q), 200);
}

static bool question_pending(const char *vm)
{
	char path[128], url[512], *body = NULL;
	bool pending;

	snprintf(path, sizeof(path), "/question?vm=%s", vm);
	snprintf(url, sizeof(url), "%s%s", esx.control, path);
	if (vsim_http(url, "GET", NULL, &body) != 200 || !body) {
		free(body);
		return true;
	}
	pending = !strstr(body, "\"question\":null");
	free(body);
	return pending;
}

static void test_vi_task__question_answered_with_default_when_auto_answer(void)
{
	vsdk_session *s = open_esx(true);
	char *vm = vm_id(5);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	ask(vm, "Was%20this%20VM%20moved%20or%20copied%3F");
	CU_ASSERT(question_pending(vm));
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_on_start(&t, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 15000, NULL, NULL, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_get_state(t), VSDK_TASK_SUCCESS);
	CU_ASSERT(!question_pending(vm));
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__question_without_auto_answer_is_equestion_and_cancels(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(6);
	vsdk_task *t = NULL;
	const char *msg;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	ask(vm, "Was%20this%20VM%20moved%20or%20copied%3F");
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_on_start(&t, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 15000, NULL, NULL, NULL), VSDK_EQUESTION);
	msg = vsdk_error_last()->message;
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "'Was this VM moved or copied?'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "'Keep', 'Create' (default)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "auto_answer=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "cancelled"));
	/* the question is left for a human; the task was cancelled */
	CU_ASSERT(question_pending(vm));
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, NULL), VSDK_ECANCELED);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOff");
	CU_ASSERT_EQUAL(vsim_control(&esx, "DELETE", "/question?vm=ha-host_VM6"), 200);
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__wait_all_waits_for_every_task(void)
{
	vsdk_session *s = open_esx(false);
	char *vms[3] = { vm_id(7), vm_id(8), vm_id(9) };
	vsdk_task *t[3] = { NULL, NULL, NULL };
	struct progress p = { 0, -1, true, NULL };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (int i = 0; i < 3; i++) {
		set_delay(vms[i], 300 * (i + 1));
		CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_off_start(&t[i], s, vms[i]), VSDK_OK);
	}
	CU_ASSERT_EQUAL(vsdk_task_wait_all(s, t, 3, 20000, NULL, &p), VSDK_OK);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(vsdk_task_get_state(t[i]), VSDK_TASK_SUCCESS);
		CU_ASSERT_STRING_EQUAL(power_state(vms[i]), "poweredOff");
		vsdk_task_free(t[i]);
		t[i] = NULL;
	}
	/* one of them fails: the others still finish, the failure is reported */
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on_start(&t[0], s, vms[0]), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off_start(&t[1], s, vms[1]), VSDK_OK); /* already off */
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on_start(&t[2], s, vms[2]), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait_all(s, t, 3, 20000, NULL, NULL), VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "InvalidPowerState");
	CU_ASSERT_EQUAL(vsdk_task_get_state(t[0]), VSDK_TASK_SUCCESS);
	CU_ASSERT_EQUAL(vsdk_task_get_state(t[1]), VSDK_TASK_ERROR);
	CU_ASSERT_EQUAL(vsdk_task_error(t[1])->code, VSDK_ESTATE);
	CU_ASSERT_EQUAL(vsdk_task_get_state(t[2]), VSDK_TASK_SUCCESS);
	CU_ASSERT_EQUAL(vsdk_task_error(t[2])->code, VSDK_OK);
	for (int i = 0; i < 3; i++) {
		set_delay(vms[i], 0);
		vsdk_task_free(t[i]);
		free(vms[i]);
	}
	vsdk_session_close(s);
}

static void test_vi_task__wait_recreates_collector_after_session_expiry(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(10);
	vsdk_task *t = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK); /* the collector exists now */
	CU_ASSERT_PTR_NOT_NULL(s->vi->task_pc.value);
	CU_ASSERT_EQUAL(vsim_control(&esx, "POST", "/expire-sessions"), 200);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_power_on_start(&t, s, vm), VSDK_OK);
	CU_ASSERT_EQUAL(s->vi->relogins, 1);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(s->vi->task_pc_relogins, 1);
	CU_ASSERT_STRING_EQUAL(power_state(vm), "poweredOn");
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__wait_survives_watched_vm_disappearing(void)
{
	vsdk_session *s = open_esx(false);
	char *vm = vm_id(11);
	vsdk_task *t = NULL, *watch = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_vm_destroy_start(&t, s, vm), VSDK_OK);
	/* a handle that also watches the VM the task deletes */
	CU_ASSERT_EQUAL_FATAL(vsdk_task_new(&watch, vsdk_task_id(t), vm), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vsdk_task_vm(watch), vm);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, watch, 10000, NULL, NULL, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_get_state(watch), VSDK_TASK_SUCCESS);
	CU_ASSERT_STRING_EQUAL(control_get("/vm?vm=ha-host_VM11", "moref"), "");
	vsdk_task_free(watch);
	vsdk_task_free(t);
	free(vm);
	vsdk_session_close(s);
}

static void test_vi_task__vcenter_question_and_result(void)
{
	vsdk_session *s = NULL;
	vsdk_task *t = NULL;
	char uri[256], url[512], *body = NULL, vm[64] = "", *snap = NULL;
	const char *p, *type = NULL;

	snprintf(uri, sizeof(uri), "vpx://root@%s/?transport=http&auto_answer=1", vpx.hostport);
	setenv("VSDK_PASSWORD", "secret", 1);
	CU_ASSERT_EQUAL_FATAL(vsdk_session_open(&s, uri, NULL), VSDK_OK);
	snprintf(url, sizeof(url), "%s/vm?vm=DC0_C0_RP0_VM0", vpx.control);
	CU_ASSERT_EQUAL_FATAL(vsim_http(url, "GET", NULL, &body), 200);
	if ((p = strstr(body, "\"moref\":\"")))
		snprintf(vm, sizeof(vm), "%.*s", (int)strcspn(p + 9, "\""), p + 9);
	free(body);
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_off(s, vm, 10000), VSDK_OK);
	snprintf(url, sizeof(url), "/question?vm=%s&text=Copied%%3F", vm);
	CU_ASSERT_EQUAL(vsim_control(&vpx, "POST", url), 200);
	/* the question has no defaultIndex on the wire (index 0): the first choice answers it */
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on(s, vm, 10000), VSDK_OK);
	snprintf(url, sizeof(url), "%s/question?vm=%s", vpx.control, vm);
	CU_ASSERT_EQUAL(vsim_http(url, "GET", NULL, &body), 200);
	CU_ASSERT_PTR_NOT_NULL(body && strstr(body, "\"question\":null"));
	free(body);
	/* a task result that is a MoRef */
	CU_ASSERT_EQUAL_FATAL(vsdk_vi_snapshot_create_start(&t, s, vm, "s1", NULL, false, false), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, 10000, NULL, NULL, &snap), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(vsdk_task_result(t, &type));
	CU_ASSERT_STRING_EQUAL(vsdk_task_result(t, &type), snap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(type);
	CU_ASSERT_STRING_EQUAL(type, "VirtualMachineSnapshot");
	free(snap);
	vsdk_task_free(t);
	vsdk_session_close(s);
}

static void test_vi_task__bad_arguments_are_named(void)
{
	vsdk_session *s = open_esx(false);
	vsdk_task *t = NULL, *tasks[2];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(vsdk_task_new(&t, "", NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "task_id"));
	CU_ASSERT_EQUAL(vsdk_task_wait(s, NULL, 10, NULL, NULL, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "task"));
	CU_ASSERT_EQUAL(vsdk_task_new(&t, "task-1", NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_wait(s, t, -5, NULL, NULL, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "timeout_ms"));
	CU_ASSERT_EQUAL(vsdk_task_wait(NULL, t, 10, NULL, NULL, NULL), VSDK_EINVALID);
	tasks[0] = tasks[1] = t;
	CU_ASSERT_EQUAL(vsdk_task_wait_all(s, tasks, 2, 10, NULL, NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "tasks[1]"));
	CU_ASSERT_EQUAL(vsdk_vi_vm_power_on_start(&t, s, ""), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "vm"));
	vsdk_task_free(tasks[0]);
	vsdk_session_close(s);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_task__power_off_and_on_succeed),
		VTEST_CASE(test_vi_task__power_on_running_vm_fails_with_invalid_power_state),
		VTEST_CASE(test_vi_task__unknown_vm_is_enotfound),
		VTEST_CASE(test_vi_task__unknown_task_is_enotfound),
		VTEST_CASE(test_vi_task__progress_callback_sees_increasing_values),
		VTEST_CASE(test_vi_task__timeout_leaves_task_for_a_later_wait),
		VTEST_CASE(test_vi_task__cancelled_task_is_ecanceled),
		VTEST_CASE(test_vi_task__question_answered_with_default_when_auto_answer),
		VTEST_CASE(test_vi_task__question_without_auto_answer_is_equestion_and_cancels),
		VTEST_CASE(test_vi_task__wait_all_waits_for_every_task),
		VTEST_CASE(test_vi_task__wait_recreates_collector_after_session_expiry),
		VTEST_CASE(test_vi_task__wait_survives_watched_vm_disappearing),
		VTEST_CASE(test_vi_task__vcenter_question_and_result),
		VTEST_CASE(test_vi_task__bad_arguments_are_named),
		VTEST_END
	};
	return vtest_main("vi_task", cases, suite_init, suite_fini);
}
