/*
 * Decoding a task's outcome from a WaitForUpdatesEx response (our own
 * fixture in the simulator's shape, with the XMLSchema-instance:type prefix)
 * through the generated deserializer and the task update code.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "vi_task_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct soap *soap;
static vsdk_session fake;
static struct _vim25__WaitForUpdatesExResponse resp;
static char *xml;

static int suite_init(void)
{
	xml = vtest_read_file("tests/fixtures/vi/task-error-update.xml", NULL);
	soap = soap_new();
	if (!xml || !soap)
		return 1;
	soap_set_imode(soap, SOAP_DOM_NODE);
	soap->is = xml;
	soap_default__vim25__WaitForUpdatesExResponse(soap, &resp);
	if (soap_begin_recv(soap) || !soap_get__vim25__WaitForUpdatesExResponse(soap, &resp, NULL, NULL) ||
	    soap_end_recv(soap)) {
		soap_print_fault(soap, stderr);
		return 1;
	}
	fake.kind = VSDK_SESSION_ESX;
	fake.soap = soap;
	return 0;
}

static int suite_fini(void)
{
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	free(xml);
	return 0;
}

static const struct vim25__PropertyChange *change(int obj, const char *name)
{
	const struct vim25__ObjectUpdate *ou = &resp.returnval->filterSet[0].objectSet[obj];

	for (int i = 0; i < ou->__sizechangeSet; i++)
		if (strcmp(ou->changeSet[i].name, name) == 0)
			return &ou->changeSet[i];
	return NULL;
}

static void test_vi_task_fault__generated_deserializer_resolves_prefixed_xsi_type(void)
{
	const struct vim25__PropertyChange *c = change(0, "info.error");
	const struct vim25__LocalizedMethodFault *lf;
	int id = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(resp.returnval);
	CU_ASSERT_EQUAL_FATAL(resp.returnval->__sizefilterSet, 1);
	CU_ASSERT_EQUAL(resp.returnval->filterSet[0].__sizeobjectSet, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->val);
	CU_ASSERT_EQUAL_FATAL(c->val->type, SOAP_TYPE_vim25__LocalizedMethodFault);
	lf = c->val->node;
	CU_ASSERT_PTR_NOT_NULL_FATAL(lf->fault);
	vsdk__vim_most_derived(lf->fault, SOAP_TYPE_vim25__MethodFault, &id);
	CU_ASSERT_STRING_EQUAL(vsdk__vim_type_name(id), "InvalidPowerState");
	CU_ASSERT_STRING_EQUAL(lf->localizedMessage,
			       "The attempted operation cannot be performed in the current state (Powered on).");
	/* a nil property arrives as a change without a value */
	CU_ASSERT_PTR_NOT_NULL_FATAL(change(0, "info.result"));
	CU_ASSERT(!change(0, "info.result")->val || !change(0, "info.result")->val->node);
}

static void test_vi_task_fault__task_error_carries_fault_name_code_and_message(void)
{
	vsdk_task *t[3] = { NULL, NULL, NULL };
	const vsdk_error *e;
	const char *type = NULL;

	CU_ASSERT_EQUAL_FATAL(vsdk_task_new(&t[0], "task-81", "vm-1"), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_task_new(&t[1], "task-82", NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_task_new(&t[2], "task-83", NULL), VSDK_OK);
	vsdk__task_apply_update_set(&fake, t, 3, resp.returnval);

	CU_ASSERT_EQUAL(vsdk_task_get_state(t[0]), VSDK_TASK_ERROR);
	e = vsdk_task_error(t[0]);
	CU_ASSERT_EQUAL(e->code, VSDK_ESTATE);
	CU_ASSERT_STRING_EQUAL(e->fault, "InvalidPowerState");
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "task-81"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "InvalidPowerState: The attempted operation cannot be performed"));

	/* an unknown fault type decodes as MethodFault; the message survives */
	CU_ASSERT_EQUAL(vsdk_task_get_state(t[1]), VSDK_TASK_ERROR);
	e = vsdk_task_error(t[1]);
	CU_ASSERT_EQUAL(e->code, VSDK_EFAULT);
	CU_ASSERT_STRING_EQUAL(e->fault, "MethodFault");
	CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "A fault this build does not know."));

	CU_ASSERT_EQUAL(vsdk_task_get_state(t[2]), VSDK_TASK_SUCCESS);
	CU_ASSERT_EQUAL(vsdk_task_error(t[2])->code, VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_task_get_progress(t[2]), 100);
	CU_ASSERT_STRING_EQUAL(vsdk_task_result(t[2], &type), "vm-417");
	CU_ASSERT_STRING_EQUAL(type, "VirtualMachine");
	for (int i = 0; i < 3; i++)
		vsdk_task_free(t[i]);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vi_task_fault__generated_deserializer_resolves_prefixed_xsi_type),
		VTEST_CASE(test_vi_task_fault__task_error_carries_fault_name_code_and_message),
		VTEST_END
	};
	return vtest_main("vi_task_fault", cases, suite_init, suite_fini);
}
