/*
 * Unit tests for the VMX syntax layer: parsing, escaping, encodings, errors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vtest.h"
#include "vsdk/vmx.h"
#include "vmx_private.h"

#include <stdlib.h>
#include <string.h>

static vsdk_vmx *parse_ok(const char *text)
{
	vsdk_vmx *v = NULL;
	int rc = vsdk_vmx_parse(&v, text, strlen(text), 0);
	if (rc)
		fprintf(stderr, "unexpected parse error: %s\n", vsdk_error_last()->message);
	CU_ASSERT_EQUAL_FATAL(rc, VSDK_OK);
	return v;
}

/* Expect VSDK_EPARSE at the given line, with msg_part in the message. */
static void parse_fails(const char *text, size_t len, int line, const char *msg_part)
{
	vsdk_vmx *v = (vsdk_vmx *)1;
	int rc = vsdk_vmx_parse(&v, text, len, 0);
	CU_ASSERT_EQUAL(rc, VSDK_EPARSE);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT_EQUAL(vsdk_error_last()->line, line);
	if (!strstr(vsdk_error_last()->message, msg_part))
		fprintf(stderr, "message '%s' lacks '%s'\n", vsdk_error_last()->message, msg_part);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, msg_part));
}

static void test_vmx__parse_basic_lines_comments_and_blank(void)
{
	vsdk_vmx *v = parse_ok("#!/usr/bin/vmware\n\n  # a comment\nconfig.version = \"8\"\r\n"
			       "displayName=\"x y\"   # trailing comment\n\tscsi0:0.fileName = \"a.vmdk\"");
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 3);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "config.version"), "8");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "displayName"), "x y");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "scsi0:0.fileName"), "a.vmdk");
	CU_ASSERT_EQUAL(vsdk__vmx_line(v, "displayName"), 5);
	CU_ASSERT_EQUAL(vsdk__vmx_line(v, "scsi0:0.filename"), 6);
	vsdk_vmx_free(v);
}

static void test_vmx__keys_are_case_insensitive(void)
{
	vsdk_vmx *v = parse_ok("DisplayName = \"a\"\n");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "displayname"), "a");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "DISPLAYNAME"), "a");
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "displayNAME", "b"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 1);
	const char *k;
	vsdk_vmx_entry(v, 0, &k, NULL);
	CU_ASSERT_STRING_EQUAL(k, "DisplayName"); /* stored spelling kept */
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "displayName"), "b");
	vsdk_vmx_free(v);
}

static void test_vmx__pipe_escapes_decoded_either_case(void)
{
	vsdk_vmx *v = parse_ok("annotation = \"a|22b|7cc|7Cd|0A|C3|A4\"\n");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "annotation"), "a\"b|c|d\n\xc3\xa4");
	vsdk_vmx_free(v);
}

static void test_vmx__writer_escapes_every_special_byte(void)
{
	vsdk_vmx *v;
	char *s;
	vsdk_vmx_new(&v);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "annotation", "q\"p|h#n\nt\tr\r\x7f\xc3\xa4"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_format(&s, v), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(s, ".encoding = \"UTF-8\"\nannotation = \"q|22p|7Ch|23n|0At|09r|0D|7F\xc3\xa4\"\n");
	free(s);
	vsdk_vmx_free(v);
}

static void test_vmx__hostile_display_name_cannot_inject_key(void)
{
	const char *evil = "x\"\nmemsize = \"999999\"\n# \"|ethernet0.present = \"true";
	vsdk_vmx *v, *back = NULL;
	char *s;
	vsdk_vmx_new(&v);
	vsdk_vmx_set(v, "displayName", evil);
	vsdk_vmx_format(&s, v);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&back, s, strlen(s), 0), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_count(back), 2); /* .encoding + displayName only */
	CU_ASSERT_PTR_NULL(vsdk_vmx_get(back, "memsize"));
	CU_ASSERT_PTR_NULL(vsdk_vmx_get(back, "ethernet0.present"));
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "displayName"), evil);
	/* Exactly two lines of output. */
	int lines = 0;
	for (char *c = s; *c; c++)
		lines += *c == '\n';
	CU_ASSERT_EQUAL(lines, 2);
	free(s);
	vsdk_vmx_free(v);
	vsdk_vmx_free(back);
}

static void test_vmx__round_trip_of_every_byte_value(void)
{
	char val[300];
	size_t n = 0;
	for (int c = 1; c < 0x80; c++)
		val[n++] = (char)c;
	memcpy(val + n, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
	n += 9;
	val[n] = '\0';
	vsdk_vmx *v, *back = NULL;
	char *s;
	vsdk_vmx_new(&v);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "k", val), VSDK_OK);
	vsdk_vmx_format(&s, v);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&back, s, strlen(s), 0), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "k"), val);
	free(s);
	vsdk_vmx_free(v);
	vsdk_vmx_free(back);
}

static void test_vmx__overlong_value_round_trips(void)
{
	size_t n = 1 << 20;
	char *val = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		val[i] = "ab|\"#c"[i % 6];
	val[n] = '\0';
	vsdk_vmx *v, *back = NULL;
	char *s;
	vsdk_vmx_new(&v);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "annotation", val), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_format(&s, v), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&back, s, strlen(s), 0), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "annotation"), val);
	free(s);
	free(val);
	vsdk_vmx_free(v);
	vsdk_vmx_free(back);
}

static void test_vmx__set_rejects_bad_keys_and_values(void)
{
	vsdk_vmx *v;
	vsdk_vmx_new(&v);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "a b", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "a=b", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "a\nb", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "0abc", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_set(v, "ok", "\xff\xfe"), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "UTF-8"));
	CU_ASSERT_EQUAL(vsdk_vmx_set(NULL, "ok", "x"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 0);
	vsdk_vmx_free(v);
}

static void test_vmx__remove_and_entry_order(void)
{
	vsdk_vmx *v = parse_ok("a = \"1\"\nb = \"2\"\nc = \"3\"\n");
	CU_ASSERT_EQUAL(vsdk_vmx_remove(v, "B"), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_remove(v, "b"), VSDK_ENOTFOUND);
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 2);
	const char *k, *val;
	vsdk_vmx_entry(v, 1, &k, &val);
	CU_ASSERT_STRING_EQUAL(k, "c");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "c"), "3");
	CU_ASSERT_EQUAL(vsdk_vmx_entry(v, 2, &k, &val), VSDK_EINVALID);
	vsdk_vmx_free(v);
}

static void test_vmx__errors_report_line_numbers(void)
{
	const char *t;
	t = "a = \"1\"\nmemsize = 1024\n";
	parse_fails(t, strlen(t), 2, "not a quoted string");
	t = "a = \"1\"\n\nb = \"x|zz\"\n";
	parse_fails(t, strlen(t), 3, "bad escape");
	t = "b = \"x|2\"\n";
	parse_fails(t, strlen(t), 1, "bad escape");
	t = "b = \"x|00y\"\n";
	parse_fails(t, strlen(t), 1, "NUL");
	t = "a = \"1\"\nb = \"\xc3\x28\"\n";
	parse_fails(t, strlen(t), 2, "UTF-8");
	t = "a = \"1\"\nb = \"|FF\"\n";
	parse_fails(t, strlen(t), 2, "UTF-8");
	t = "a = \"1\nb = \"2\"\n";
	parse_fails(t, strlen(t), 1, "closing quote");
	t = "a = \"1\" x\n";
	parse_fails(t, strlen(t), 1, "after the value");
	t = "\n\n\nfoo bar\n";
	parse_fails(t, strlen(t), 4, "expected '='");
	t = "x = \"1\"\n=\"2\"\n";
	parse_fails(t, strlen(t), 2, "must start with");
	t = "a = \"1\"\nb = \"2\0\"\n";
	parse_fails(t, 15, 2, "NUL");
	t = "a = '1'\n";
	parse_fails(t, strlen(t), 1, "not a quoted string");
}

static void test_vmx__duplicate_keys_rejected_by_default(void)
{
	const char *t = "memsize = \"512\"\nx = \"1\"\nMEMSIZE = \"4096\"\n";
	parse_fails(t, strlen(t), 3, "first set on line 1");
}

static void test_vmx__duplicate_keys_last_wins_with_flag(void)
{
	const char *t = "memsize = \"512\"\nx = \"1\"\nMEMSIZE = \"4096\"\n";
	vsdk_vmx *v = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&v, t, strlen(t), VSDK_VMX_PARSE_DUPLICATE_LAST), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 2);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "memsize"), "4096");
	CU_ASSERT_EQUAL(vsdk__vmx_line(v, "memsize"), 3);
	const char *k;
	vsdk_vmx_entry(v, 0, &k, NULL);
	CU_ASSERT_STRING_EQUAL(k, "memsize");
	vsdk_vmx_free(v);
}

static void test_vmx__non_utf8_encoding_is_converted(void)
{
	/* 0xE4 is a-umlaut in windows-1252 / ISO-8859-1. */
	const char *t = ".encoding = \"windows-1252\"\ndisplayName = \"K\xe4se\"\n";
	vsdk_vmx *v = parse_ok(t);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "displayName"), "K\xc3\xa4se");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, ".encoding"), "UTF-8");
	char *s;
	vsdk_vmx_format(&s, v);
	CU_ASSERT_STRING_EQUAL(s, ".encoding = \"UTF-8\"\ndisplayName = \"K\xc3\xa4se\"\n");
	free(s);
	vsdk_vmx_free(v);
	/* |XX escapes are bytes of the file's encoding: |E4 is a-umlaut here too. */
	t = ".encoding = \"windows-1252\"\nannotation = \"|E4|22\xe4\"\n";
	v = parse_ok(t);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "annotation"), "\xc3\xa4\"\xc3\xa4");
	vsdk_vmx_free(v);
	/* Shift_JIS: 0x93 0xfa 0x96 0x7b = "日本" */
	t = ".encoding = \"Shift_JIS\"\nannotation = \"\x93\xfa\x96\x7b\"\n";
	v = parse_ok(t);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "annotation"), "\xe6\x97\xa5\xe6\x9c\xac");
	vsdk_vmx_free(v);
}

static void test_vmx__unknown_encoding_is_a_parse_error(void)
{
	const char *t = "a = \"1\"\n.encoding = \"no-such-charset-xyz\"\n";
	parse_fails(t, strlen(t), 2, "unsupported .encoding");
	t = ".encoding = \"UTF-8\"\nb = \"\xe4\"\n";
	parse_fails(t, strlen(t), 2, "UTF-8");
	/* 0x81 is unassigned in windows-1252. */
	t = ".encoding = \"windows-1252\"\na = \"ok\"\nb = \"x\x81\"\n";
	parse_fails(t, strlen(t), 3, "not valid windows-1252");
}

static void test_vmx__empty_input_is_an_empty_file(void)
{
	vsdk_vmx *v = NULL;
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&v, "", 0, 0), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 0);
	char *s;
	vsdk_vmx_format(&s, v);
	CU_ASSERT_STRING_EQUAL(s, ".encoding = \"UTF-8\"\n");
	free(s);
	vsdk_vmx_free(v);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(NULL, "", 0, 0), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&v, "", 0, 0x80), VSDK_EINVALID);
}

static void test_vmx__many_keys_hash_table_grows(void)
{
	vsdk_vmx *v;
	char k[32], val[32];
	vsdk_vmx_new(&v);
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "key%d.x", i);
		snprintf(val, sizeof(val), "%d", i);
		CU_ASSERT_EQUAL_FATAL(vsdk_vmx_set(v, k, val), VSDK_OK);
	}
	CU_ASSERT_EQUAL(vsdk_vmx_count(v), 5000);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "KEY4321.X"), "4321");
	CU_ASSERT_PTR_NULL(vsdk_vmx_get(v, "key5000.x"));
	vsdk_vmx_free(v);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vmx__parse_basic_lines_comments_and_blank),
		VTEST_CASE(test_vmx__keys_are_case_insensitive),
		VTEST_CASE(test_vmx__pipe_escapes_decoded_either_case),
		VTEST_CASE(test_vmx__writer_escapes_every_special_byte),
		VTEST_CASE(test_vmx__hostile_display_name_cannot_inject_key),
		VTEST_CASE(test_vmx__round_trip_of_every_byte_value),
		VTEST_CASE(test_vmx__overlong_value_round_trips),
		VTEST_CASE(test_vmx__set_rejects_bad_keys_and_values),
		VTEST_CASE(test_vmx__remove_and_entry_order),
		VTEST_CASE(test_vmx__errors_report_line_numbers),
		VTEST_CASE(test_vmx__duplicate_keys_rejected_by_default),
		VTEST_CASE(test_vmx__duplicate_keys_last_wins_with_flag),
		VTEST_CASE(test_vmx__non_utf8_encoding_is_converted),
		VTEST_CASE(test_vmx__unknown_encoding_is_a_parse_error),
		VTEST_CASE(test_vmx__empty_input_is_an_empty_file),
		VTEST_CASE(test_vmx__many_keys_hash_table_grows),
		VTEST_END
	};
	return vtest_main("vmx_syntax", cases, NULL, NULL);
}
