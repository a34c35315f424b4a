/*
 * Return codes and the per-thread error detail.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vtest.h"
#include "common_private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void test_error__set_and_read(void)
{
	CU_ASSERT_EQUAL(vsdk__error_set(VSDK_ENOTFOUND, "no VM named '%s'", "x"), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_error_last()->code, VSDK_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->message, "no VM named 'x'");
	vsdk__error_prefix("lookup");
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->message, "lookup: no VM named 'x'");
	vsdk_error_clear();
	CU_ASSERT_EQUAL(vsdk_error_last()->code, VSDK_OK);
}

static void test_error__message_is_one_line(void)
{
	vsdk__error_set(VSDK_EPARSE, "a\nb\rc");
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->message, "a b c");
}

static void test_error__strerror_never_null(void)
{
	for (int c = 5; c >= -40; c--) {
		CU_ASSERT_PTR_NOT_NULL(vsdk_strerror(c));
		CU_ASSERT_PTR_NOT_NULL(vsdk_code_name(c));
	}
	CU_ASSERT_STRING_EQUAL(vsdk_code_name(VSDK_ETIMEOUT), "VSDK_ETIMEOUT");
	CU_ASSERT_STRING_EQUAL(vsdk_code_name(-999), "VSDK_E?");
}

static void *other_thread(void *arg)
{
	(void)arg;
	vsdk__error_set(VSDK_EIO, "other thread");
	return (void *)(long)vsdk_error_last()->code;
}

static void test_error__detail_is_per_thread(void)
{
	pthread_t t;
	void *rc;

	vsdk__error_set(VSDK_EAUTH, "main thread");
	CU_ASSERT_EQUAL(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, &rc);
	CU_ASSERT_EQUAL((long)rc, VSDK_EIO);
	CU_ASSERT_EQUAL(vsdk_error_last()->code, VSDK_EAUTH);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->message, "main thread");
}

static void test_buf__xml_escape(void)
{
	vsdk_buf b = VSDK_BUF_INIT;
	char *s;

	vsdk__buf_xml_escape(&b, "a<b>&\"c'\x01");
	s = vsdk__buf_detach(&b);
	CU_ASSERT_STRING_EQUAL(s, "a&lt;b&gt;&amp;&quot;c&apos;&#x1;");
	free(s);
}

static void test_buf__detach_of_empty_buffer_is_empty_string(void)
{
	vsdk_buf b = VSDK_BUF_INIT;
	char *s = vsdk__buf_detach(&b);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
}

static void test_utf8__validation(void)
{
	CU_ASSERT_TRUE(vsdk__utf8_valid("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", 15));
	CU_ASSERT_FALSE(vsdk__utf8_valid("\xc3", 1));
	CU_ASSERT_FALSE(vsdk__utf8_valid("\xc0\xaf", 2));       /* overlong */
	CU_ASSERT_FALSE(vsdk__utf8_valid("\xed\xa0\x80", 3));   /* surrogate */
	CU_ASSERT_FALSE(vsdk__utf8_valid("\xff", 1));
}

static int log_count;
static void count_log(vsdk_log_level l, const char *m, void *p)
{
	(void)l; (void)m;
	(*(int *)p)++;
}

static void test_log__callback_and_level(void)
{
	log_count = 0;
	vsdk_log_set(VSDK_LOG_WARN, count_log, &log_count);
	vsdk__log(VSDK_LOG_ERROR, "e");
	vsdk__log(VSDK_LOG_DEBUG, "d");
	CU_ASSERT_EQUAL(log_count, 1);
	vsdk_log_set(VSDK_LOG_TRACE, NULL, NULL);
	vsdk__log(VSDK_LOG_ERROR, "e");
	CU_ASSERT_EQUAL(log_count, 1);
	CU_ASSERT_EQUAL(vsdk_log_level_get(), VSDK_LOG_NONE);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_error__set_and_read),
		VTEST_CASE(test_error__message_is_one_line),
		VTEST_CASE(test_error__strerror_never_null),
		VTEST_CASE(test_error__detail_is_per_thread),
		VTEST_CASE(test_buf__xml_escape),
		VTEST_CASE(test_buf__detach_of_empty_buffer_is_empty_string),
		VTEST_CASE(test_utf8__validation),
		VTEST_CASE(test_log__callback_and_level),
		VTEST_END
	};
	return vtest_main("error", cases, NULL, NULL);
}
