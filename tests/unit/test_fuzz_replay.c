/*
 * Replays every seed input (tests/fuzz/corpus/<target>/) and every input a
 * fuzzer once crashed on (tests/fuzz/regress/<target>/) through the fuzz
 * targets' entry points, in the normal build (and under ASan/valgrind when
 * the suite runs there); checks the VI decoder on known seeds.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_vmx_one
#include "../fuzz/fuzz_vmx.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_domxml_one
#include "../fuzz/fuzz_domxml.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_mof_one
#include "../fuzz/fuzz_mof.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_cimxml_one
#include "../fuzz/fuzz_cimxml.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_wsman_one
#include "../fuzz/fuzz_wsman.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_vi_soap_one
#include "../fuzz/fuzz_vi_soap.c"
#undef LLVMFuzzerTestOneInput

/* Feed every file of tests/fuzz/<kind>/<target>/ to fn; returns how many. */
static int replay(const char *kind, const char *target, int (*fn)(const uint8_t *, size_t))
{
	char dir[256];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "tests/fuzz/%s/%s", kind, target);
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		char path[600];
		size_t len;
		char *data;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(data = vtest_read_file(path, &len)))
			continue;
		fn((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

static void run_target(const char *target, int (*fn)(const uint8_t *, size_t))
{
	int seeds = replay("corpus", target, fn);

	replay("regress", target, fn);
	CU_ASSERT(seeds > 0); /* every target has a committed seed corpus */
}

static void test_fuzz_replay__vmx_seeds_and_regressions(void) { run_target("vmx", fuzz_vmx_one); }
static void test_fuzz_replay__domxml_seeds_and_regressions(void) { run_target("domxml", fuzz_domxml_one); }
static void test_fuzz_replay__mof_seeds_and_regressions(void) { run_target("mof", fuzz_mof_one); }
static void test_fuzz_replay__cimxml_seeds_and_regressions(void) { run_target("cimxml", fuzz_cimxml_one); }
static void test_fuzz_replay__wsman_seeds_and_regressions(void) { run_target("wsman", fuzz_wsman_one); }
static void test_fuzz_replay__vi_soap_seeds_and_regressions(void) { run_target("vi_soap", fuzz_vi_soap_one); }

static int decode_file(const char *name)
{
	char path[256];
	size_t len;
	char *data;
	int rc;

	snprintf(path, sizeof(path), "tests/fuzz/corpus/vi_soap/%s", name);
	data = vtest_read_file(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	rc = vsdk_fuzz_vi_decode((const uint8_t *)data, len);
	free(data);
	return rc;
}

/* The VI target really decodes: a result, a typed fault, an unknown fault. */
static void test_fuzz_replay__vi_seeds_decode_through_the_session_path(void)
{
	CU_ASSERT_EQUAL(decode_file("retrieve.http"), 0);
	CU_ASSERT_EQUAL(decode_file("fault-typed.http"), VSDK_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "ManagedObjectNotFound");
	CU_ASSERT_EQUAL(decode_file("fault-unknown.http"), VSDK_EFAULT);
	CU_ASSERT_STRING_EQUAL(vsdk_error_last()->fault, "FutureThing");
}

/*
 * Found by fuzz_domxml: a disk <target> without a usable dev (attribute
 * mangled, so dev was "") and an explicit bus read past the end of the
 * string (dev + 2).  Now a clear parse error.
 */
static void test_fuzz_replay__domxml_disk_target_without_dev_is_eparse(void)
{
	/* The minimised input: `dev` has no value, the bus is given. */
	static const char xml[] = "<domain type=\"vmware\">\n\t<name>ther</name>/m<memory>404</memory><os>\n"
				  "\t\t<type>hvm</type>\n\t</os>\neb\t<devices><disk>\n"
				  "\t\t\t<target dev\x04 bus=\"ide\"/>\t\t</disk>e\"\t</devices></domain>\n";
	vsdk_vm_config *cfg = NULL;
	char *file;
	size_t len;

	CU_ASSERT_EQUAL(vsdk_vm_config_from_xml(&cfg, xml), VSDK_EPARSE);
	CU_ASSERT_PTR_NULL(cfg);
	vsdk_vm_config_free(cfg);
	/* The committed regression input is that text. */
	file = vtest_read_file("tests/fuzz/regress/domxml/short-dev-name.xml", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT(len == sizeof(xml) - 1 && memcmp(file, xml, len) == 0);
	free(file);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_fuzz_replay__vmx_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__domxml_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__mof_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__cimxml_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__wsman_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__vi_soap_seeds_and_regressions),
		VTEST_CASE(test_fuzz_replay__vi_seeds_decode_through_the_session_path),
		VTEST_CASE(test_fuzz_replay__domxml_disk_target_without_dev_is_eparse),
		VTEST_END
	};
	return vtest_main("fuzz_replay", cases, NULL, NULL);
}
