/*
 * Unit tests for VMX <-> domain XML conversion: the seed document's examples,
 * golden pairs for every feature, round trips, validation and hostile input.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "vsdk/vmx.h"
#include "vmx_private.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdsoap2.h>

SOAP_FMAC1 struct soap_dom_element *SOAP_FMAC2 soap_in_xsd__anyType(struct soap *soap, const char *tag,
								   struct soap_dom_element *node, const char *type);

#define GOLDEN "tests/golden/vmx"
#define FIXTURES "tests/fixtures/vmx"
#define SEED "seeds/000_00c09d836b504676.txt"

static const char *const golden_names[] = {
	"minimal", "identity", "cpu_memory", "disks_scsi", "disks_other", "nics",
	"serial_parallel", "graphics", NULL
};

/* Deterministic "random" MAC bytes for interfaces without a MAC. */
static int fixed_mac(unsigned char mac[6], void *payload)
{
	(void)payload;
	static const unsigned char b[6] = { 0, 0, 0, 0x12, 0x34, 0x56 };
	memcpy(mac, b, 6);
	return VSDK_OK;
}

static vsdk_vmx_options test_opts(void)
{
	vsdk_vmx_options o = VSDK_VMX_OPTIONS_INIT;
	o.mac_generate = fixed_mac;
	return o;
}

static char *read_text(const char *dir, const char *name, const char *ext)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	char *t = vtest_read_file(path, NULL);
	if (!t)
		fprintf(stderr, "cannot read %s\n", path);
	return t;
}

static void write_text(const char *dir, const char *name, const char *ext, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	CU_ASSERT_FATAL(vtest_write_file(path, text, strlen(text)));
	printf("\nregenerated %s\n", path);
}

static char *to_native(const char *xml)
{
	vsdk_vmx_options o = test_opts();
	char *out = NULL;
	int rc = vsdk_vmx_from_domain_xml(&out, xml, &o);
	if (rc)
		fprintf(stderr, "to-native failed: %s\n", vsdk_error_last()->message);
	return out;
}

static char *from_native(const char *vmx)
{
	vsdk_vmx_options o = test_opts();
	char *out = NULL;
	int rc = vsdk_vmx_to_domain_xml(&out, vmx, strlen(vmx), &o);
	if (rc)
		fprintf(stderr, "from-native failed: %s\n", vsdk_error_last()->message);
	return out;
}

static void expect_same(const char *what, const char *want, const char *got)
{
	CU_ASSERT_PTR_NOT_NULL(got);
	if (!got || !want)
		return;
	if (strcmp(want, got))
		fprintf(stderr, "\n%s differs.\n--- want\n%s--- got\n%s---\n", what, want, got);
	CU_ASSERT_STRING_EQUAL(want, got);
}

/* ---- golden pairs ------------------------------------------------------- */

static void test_vmx__golden_regenerate_when_asked(void)
{
	if (!getenv("VSDK_TEST_REGENERATE"))
		return;
	for (int i = 0; golden_names[i]; i++) {
		char *xml = read_text(GOLDEN, golden_names[i], ".xml");
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
		char *vmx = to_native(xml);
		CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
		char *xml2 = from_native(vmx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml2);
		write_text(GOLDEN, golden_names[i], ".vmx", vmx);
		write_text(GOLDEN, golden_names[i], ".xml", xml2);
		free(xml);
		free(vmx);
		free(xml2);
	}
	static const char *const fixtures[] = { "hand_edited", NULL };
	for (int i = 0; fixtures[i]; i++) {
		char *vmx = read_text(FIXTURES, fixtures[i], ".vmx");
		CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
		char *xml = from_native(vmx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
		char name[128];
		snprintf(name, sizeof(name), "from_%s", fixtures[i]);
		write_text(GOLDEN, name, ".xml", xml);
		free(vmx);
		free(xml);
	}
}

static void test_vmx__golden_xml_converts_to_golden_vmx(void)
{
	for (int i = 0; golden_names[i]; i++) {
		char *xml = read_text(GOLDEN, golden_names[i], ".xml");
		char *want = read_text(GOLDEN, golden_names[i], ".vmx");
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		char *got = to_native(xml);
		expect_same(golden_names[i], want, got);
		free(xml);
		free(want);
		free(got);
	}
}

static void test_vmx__golden_vmx_converts_to_golden_xml(void)
{
	for (int i = 0; golden_names[i]; i++) {
		char *vmx = read_text(GOLDEN, golden_names[i], ".vmx");
		char *want = read_text(GOLDEN, golden_names[i], ".xml");
		CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		char *got = from_native(vmx);
		expect_same(golden_names[i], want, got);
		free(vmx);
		free(want);
		free(got);
	}
}

static void test_vmx__round_trips_are_stable(void)
{
	for (int i = 0; golden_names[i]; i++) {
		char *xml = read_text(GOLDEN, golden_names[i], ".xml");
		char *vmx = read_text(GOLDEN, golden_names[i], ".vmx");
		CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
		CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
		char *a = to_native(xml), *xml2 = a ? from_native(a) : NULL;
		char *b = from_native(vmx), *vmx2 = b ? to_native(b) : NULL;
		expect_same("xml -> vmx -> xml", xml, xml2);
		expect_same("vmx -> xml -> vmx", vmx, vmx2);
		free(a);
		free(b);
		free(xml2);
		free(vmx2);
		free(xml);
		free(vmx);
	}
}

static void test_vmx__hand_edited_vmx_normalizes_and_then_is_stable(void)
{
	char *vmx = read_text(FIXTURES, "hand_edited", ".vmx");
	char *want = read_text(GOLDEN, "from_hand_edited", ".xml");
	CU_ASSERT_PTR_NOT_NULL_FATAL(vmx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	char *xml = from_native(vmx);
	expect_same("from_hand_edited", want, xml);
	char *vmx2 = xml ? to_native(xml) : NULL;
	char *xml2 = vmx2 ? from_native(vmx2) : NULL;
	expect_same("hand_edited xml -> vmx -> xml", xml, xml2);
	free(vmx);
	free(want);
	free(xml);
	free(vmx2);
	free(xml2);
}

/* ---- the seed document's examples -------------------------------------- */

/* The seed is an HTML page rendered with "|" and blank separator lines. */
static char **seed_lines(char *text, size_t *n)
{
	size_t cap = 1024;
	char **v = malloc(cap * sizeof(*v));
	*n = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(l);
		while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
			l[--len] = '\0';
		if (!len || !strcmp(l, "|"))
			continue;
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[(*n)++] = l;
	}
	return v;
}

static void html_unescape(char *s)
{
	static const struct { const char *e; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' }, { "&amp;", '&' } };
	char *o = s;
	while (*s) {
		size_t i;
		for (i = 0; i < 5; i++) {
			size_t m = strlen(ents[i].e);
			if (!strncmp(s, ents[i].e, m)) {
				*o++ = ents[i].c;
				s += m;
				break;
			}
		}
		if (i == 5)
			*o++ = *s++;
	}
	*o = '\0';
}

/* Lines after the line containing `after` (skipping "Enter ..." prompts), from the
 * first line starting with `from` (or the next line if NULL) up to the line equal to `until`
 * or starting with `until_prefix`. */
static char *seed_block(char **v, size_t n, const char *after, const char *from, const char *until,
			bool include_until)
{
	size_t i = 0;
	while (i < n && !strstr(v[i], after))
		i++;
	if (i == n)
		return NULL;
	i++;
	while (i < n && !strncmp(v[i], "Enter ", 6))
		i++;
	if (from)
		while (i < n && strncmp(v[i], from, strlen(from)))
			i++;
	size_t cap = 65536, len = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	for (; i < n; i++) {
		bool end = !strncmp(v[i], until, strlen(until));
		if (end && !include_until)
			break;
		char *l = strdup(v[i]);
		html_unescape(l);
		len += (size_t)snprintf(out + len, cap - len, "%s\n", l);
		free(l);
		if (end)
			return out;
	}
	if (i == n) {
		free(out);
		return NULL;
	}
	return out;
}

/* Flatten an XML document into "path@attr=value" / "path=text" lines. */
static void flatten(struct soap_dom_element *e, const char *path, char ***out, size_t *n)
{
	for (; e; e = e->next) {
		const char *name = strchr(e->name, ':') ? strchr(e->name, ':') + 1 : e->name;
		int idx = 0;
		for (struct soap_dom_element *s = e->prnt ? e->prnt->elts : NULL; s && s != e; s = s->next)
			idx += !strcmp(s->name, e->name);
		char p[512];
		snprintf(p, sizeof(p), "%s/%s[%d]", path, name, idx);
		*out = realloc(*out, (*n + 64) * sizeof(**out));
		char *line;
		if (asprintf(&line, "%s", p) > 0)
			(*out)[(*n)++] = line;
		for (struct soap_dom_attribute *a = e->atts; a; a = a->next) {
			if (!strncmp(a->name, "xmlns", 5))
				continue;
			if (asprintf(&line, "%s@%s=%s", p, a->name, a->text ? a->text : "") > 0)
				(*out)[(*n)++] = line;
		}
		if (e->text) {
			const char *t = e->text;
			while (*t == ' ' || *t == '\n' || *t == '\t')
				t++;
			if (*t && asprintf(&line, "%s=%s", p, t) > 0)
				(*out)[(*n)++] = line;
		}
		flatten(e->elts, p, out, n);
	}
}

static char **xml_set(const char *xml, size_t *n)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_DOM_TREE);
	struct soap_dom_element dom;
	char **out = NULL;
	memset(&dom, 0, sizeof(dom));
	dom.soap = soap;
	soap->is = xml;
	*n = 0;
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, &dom, NULL) || soap_end_recv(soap)) {
		CU_FAIL("test XML does not parse");
	} else {
		flatten(&dom, "", &out, n);
	}
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	return out;
}

static bool in_set(char **set, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(set[i], s))
			return true;
	return false;
}

static void free_set(char **set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(set[i]);
	free(set);
}

/* Maps the datastore UUID of the seed's ESX host to its name. */
static int seed_path_to_xml(char **out, const char *path, void *payload)
{
	static const char pfx[] = "/vmfs/volumes/498076b2-02796c1a-ef5b-000ae484a6a3/";
	(void)payload;
	if (!strncmp(path, pfx, sizeof(pfx) - 1))
		return asprintf(out, "[local-storage] %s", path + sizeof(pfx) - 1) < 0 ? VSDK_ENOMEM : VSDK_OK;
	return vsdk_vmx_path_default_to_xml(out, path, NULL);
}

static void test_vmx__seed_demo_vmx_converts_to_the_documented_xml(void)
{
	const char *path = vtest_shared(SEED, __func__);
	if (!path)
		return;
	char *text = vtest_read_file(path, NULL);
	size_t n;
	char **v = seed_lines(text, &n);
	char *vmx = seed_block(v, n, "cat > demo.vmx", NULL, "EOF", false);
	char *want = seed_block(v, n, "vmware-vmx demo.vmx", "<domain", "</domain>", true);
	if (!vmx || !want) {
		vtest_skip(__func__, "the Fedora11 VMX import example is not in the seed document");
		goto out;
	}
	vsdk_vmx_options o = VSDK_VMX_OPTIONS_INIT;
	o.path_to_xml = seed_path_to_xml;
	char *got = NULL;
	int rc = vsdk_vmx_to_domain_xml(&got, vmx, strlen(vmx), &o);
	if (rc)
		fprintf(stderr, "%s\n", vsdk_error_last()->message);
	CU_ASSERT_EQUAL_FATAL(rc, VSDK_OK);
	size_t nw, ng;
	char **sw = xml_set(want, &nw), **sg = xml_set(got, &ng);
	CU_ASSERT(nw > 20);
	/* Everything the document shows is in ours ... */
	for (size_t i = 0; i < nw; i++) {
		if (!in_set(sg, ng, sw[i]))
			fprintf(stderr, "missing from our XML: %s\n", sw[i]);
		CU_ASSERT(in_set(sg, ng, sw[i]));
	}
	/* ... and what we add is only what libvirt's old converter could not express. */
	static const char *const extras[] = {
		"/domain[0]/metadata[0]", "/domain[0]/memtune[0]", "/domain[0]/cputune[0]",
		"/domain[0]/devices[0]/controller[0]", "/domain[0]/devices[0]/disk[0]/address[0]", NULL
	};
	for (size_t i = 0; i < ng; i++) {
		if (in_set(sw, nw, sg[i]))
			continue;
		bool ok = false;
		for (int k = 0; extras[k]; k++)
			ok |= !strncmp(sg[i], extras[k], strlen(extras[k]));
		if (!ok)
			fprintf(stderr, "unexpected in our XML: %s\n", sg[i]);
		CU_ASSERT(ok);
	}
	/* The guestOS the document loses is kept. */
	CU_ASSERT(in_set(sg, ng, "/domain[0]/metadata[0]/vmware[0]/guestOS[0]=rhel5"));
	free_set(sw, nw);
	free_set(sg, ng);
	free(got);
out:
	free(vmx);
	free(want);
	free(v);
	free(text);
}

static void test_vmx__seed_demo_xml_converts_to_the_documented_vmx(void)
{
	const char *path = vtest_shared(SEED, __func__);
	if (!path)
		return;
	char *text = vtest_read_file(path, NULL);
	size_t n;
	char **v = seed_lines(text, &n);
	char *xml = seed_block(v, n, "cat > demo.xml", NULL, "EOF", false);
	char *want = seed_block(v, n, "vmware-vmx demo.xml", NULL, "</pre>", false);
	if (!xml || !want) {
		vtest_skip(__func__, "the Fedora11 VMX export example is not in the seed document");
		goto out;
	}
	char *got = to_native(xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	vsdk_vmx *vw = NULL, *vg = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&vw, want, strlen(want), 0), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&vg, got, strlen(got), 0), VSDK_OK);
	CU_ASSERT(vsdk_vmx_count(vw) >= 17);
	/* Key for key, value for value; order may differ.  ".encoding" is our header line. */
	for (size_t i = 0; i < vsdk_vmx_count(vw); i++) {
		const char *k, *val;
		vsdk_vmx_entry(vw, i, &k, &val);
		const char *g = vsdk_vmx_get(vg, k);
		if (!g || strcmp(g, val))
			fprintf(stderr, "%s: want \"%s\", got \"%s\"\n", k, val, g ? g : "(absent)");
		CU_ASSERT(g && !strcmp(g, val));
	}
	for (size_t i = 0; i < vsdk_vmx_count(vg); i++) {
		const char *k;
		vsdk_vmx_entry(vg, i, &k, NULL);
		if (strcmp(k, ".encoding") && !vsdk_vmx_get(vw, k))
			fprintf(stderr, "extra key %s\n", k);
		CU_ASSERT(!strcmp(k, ".encoding") || vsdk_vmx_get(vw, k));
	}
	vsdk_vmx_free(vw);
	vsdk_vmx_free(vg);
	free(got);
out:
	free(xml);
	free(want);
	free(v);
	free(text);
}

/* ---- rules -------------------------------------------------------------- */

#define DOM_HEAD "<domain type='vmware'><name>t</name>"
#define DOM_OS "<os><type arch='i686'>hvm</type></os>"

static char *xml_doc(const char *body)
{
	char *s;
	if (asprintf(&s, DOM_HEAD "<memory>1048576</memory>%s</domain>", body) < 0)
		return NULL;
	return s;
}

static vsdk_vmx *to_vmx_ok(const char *body)
{
	char *xml = xml_doc(body), *text = to_native(xml);
	vsdk_vmx *v = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(vsdk_vmx_parse(&v, text, strlen(text), 0), VSDK_OK);
	free(xml);
	free(text);
	return v;
}

static void expect_to_native_fails(const char *body, int code, const char *msg_part)
{
	char *xml = xml_doc(body), *out = NULL;
	vsdk_vmx_options o = test_opts();
	int rc = vsdk_vmx_from_domain_xml(&out, xml, &o);
	if (rc != code || !strstr(vsdk_error_last()->message, msg_part))
		fprintf(stderr, "body %s: rc %d, message '%s' (want %d, '%s')\n", body, rc,
			vsdk_error_last()->message, code, msg_part);
	CU_ASSERT_EQUAL(rc, code);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, msg_part));
	free(xml);
	free(out);
}

static void test_vmx__mac_prefix_decides_address_type(void)
{
	vsdk_vmx *v = to_vmx_ok(DOM_OS "<devices>"
				"<interface type='bridge'><mac address='00:50:56:3f:ff:ff'/><source bridge='a'/></interface>"
				"<interface type='bridge'><mac address='00:50:56:80:00:00'/><source bridge='a'/></interface>"
				"<interface type='bridge'><mac address='00:0C:29:01:02:03'/><source bridge='a'/></interface>"
				"<interface type='bridge'><mac address='52:54:00:01:02:03'/><source bridge='a'/></interface>"
				"</devices>");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet0.addressType"), "static");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet0.address"), "00:50:56:3F:FF:FF");
	CU_ASSERT_PTR_NULL(vsdk_vmx_get(v, "ethernet0.checkMACAddress"));
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet1.addressType"), "vpx");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet1.generatedAddress"), "00:50:56:80:00:00");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet2.addressType"), "generated");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet2.generatedAddress"), "00:0C:29:01:02:03");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet2.generatedAddressOffset"), "0");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet3.addressType"), "static");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet3.checkMACAddress"), "false");
	vsdk_vmx_free(v);
	/* 00:50:56:40..7f is in neither VMware range: the check is switched off. */
	v = to_vmx_ok(DOM_OS "<devices><interface type='bridge'><mac address='00:50:56:40:00:01'/>"
		      "<source bridge='a'/></interface></devices>");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet0.checkMACAddress"), "false");
	vsdk_vmx_free(v);
}

static void test_vmx__missing_mac_gets_deterministic_generated_address(void)
{
	vsdk_vmx *v = to_vmx_ok(DOM_OS "<devices><interface type='bridge'><source bridge='a'/></interface></devices>");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet0.addressType"), "generated");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "ethernet0.generatedAddress"), "00:0C:29:12:34:56");
	vsdk_vmx_free(v);
}

static void test_vmx__missing_mac_random_uses_vmware_generated_prefix(void)
{
	char *xml = xml_doc(DOM_OS "<devices><interface type='bridge'><source bridge='a'/></interface></devices>");
	char *a = NULL, *b = NULL;
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&a, xml, NULL), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&b, xml, NULL), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "ethernet0.generatedAddress = \"00:0C:29:"));
	CU_ASSERT_STRING_NOT_EQUAL(a, b); /* 2^-24 chance of a false failure */
	free(a);
	free(b);
	free(xml);
}

static void test_vmx__memory_must_be_multiple_of_4096_kib(void)
{
	char *out = NULL;
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&out, DOM_HEAD "<memory>1048570</memory>" DOM_OS "</domain>", NULL),
			VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "multiple of 4096"));
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&out, DOM_HEAD "<memory unit='MiB'>1024</memory>" DOM_OS "</domain>", NULL),
			VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "memsize = \"1024\""));
	free(out);
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&out, DOM_HEAD "<memory unit='GiB'>2</memory>" DOM_OS "</domain>", NULL),
			VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "memsize = \"2048\""));
	free(out);
}

static void test_vmx__odd_vcpus_rejected_only_on_hw4(void)
{
	/* Explicit virtualHW 4: the ESX 3.5 rule applies. */
	expect_to_native_fails("<metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:virtualHW>4</vmx:virtualHW>"
			       "</vmx:vmware></metadata><vcpu>3</vcpu>" DOM_OS,
			       VSDK_EINVALID, "1 or an even number");
	/* Automatic choice: an odd count selects version 7. */
	vsdk_vmx *v = to_vmx_ok("<vcpu>3</vcpu>" DOM_OS);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "virtualHW.version"), "7");
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "numvcpus"), "3");
	vsdk_vmx_free(v);
	/* Newer explicit versions accept it. */
	v = to_vmx_ok("<metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:virtualHW>13</vmx:virtualHW>"
		      "</vmx:vmware></metadata><vcpu>5</vcpu>" DOM_OS);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "virtualHW.version"), "13");
	vsdk_vmx_free(v);
	/* Even counts are fine on 4. */
	v = to_vmx_ok("<vcpu>4</vcpu>" DOM_OS);
	CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "virtualHW.version"), "4");
	vsdk_vmx_free(v);
}

static void test_vmx__hw_version_is_lowest_that_fits_or_explicit(void)
{
	static const struct { const char *body; const char *hw; } cases[] = {
		{ DOM_OS, "4" },
		{ DOM_OS "<devices><controller type='scsi' index='0' model='vmpvscsi'/></devices>", "7" },
		{ DOM_OS "<devices><interface type='null'><mac address='00:50:56:00:00:01'/><model type='vmxnet3'/></interface></devices>", "7" },
		{ DOM_OS "<devices><interface type='null'><mac address='00:50:56:00:00:01'/><model type='e1000e'/></interface></devices>", "8" },
		{ "<os firmware='efi'><type arch='x86_64'>hvm</type></os>", "8" },
		{ DOM_OS "<devices><disk><source file='[a] b.vmdk'/><target dev='sda' bus='sata'/></disk></devices>", "10" },
		{ DOM_OS "<devices><disk><source file='[a] b.vmdk'/><target dev='nvme0n1' bus='nvme'/></disk></devices>", "13" },
		{ "<vcpu>16</vcpu>" DOM_OS, "8" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vsdk_vmx *v = to_vmx_ok(cases[i].body);
		if (strcmp(vsdk_vmx_get(v, "virtualHW.version"), cases[i].hw))
			fprintf(stderr, "case %zu: hw %s, want %s\n", i, vsdk_vmx_get(v, "virtualHW.version"), cases[i].hw);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "virtualHW.version"), cases[i].hw);
		vsdk_vmx_free(v);
	}
	expect_to_native_fails("<metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:virtualHW>9</vmx:virtualHW>"
			       "</vmx:vmware></metadata>" DOM_OS
			       "<devices><disk><source file='[a] b.vmdk'/><target dev='sda' bus='sata'/></disk></devices>",
			       VSDK_EINVALID, "too old for a SATA");
	/* The options' target version applies when the model has none. */
	char *xml = xml_doc(DOM_OS), *out = NULL;
	vsdk_vmx_options o = test_opts();
	o.virtual_hw_version = 14;
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&out, xml, &o), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "virtualHW.version = \"14\""));
	free(out);
	free(xml);
}

static void test_vmx__uuid_accepts_both_formats(void)
{
	static const char *const forms[] = {
		"50115e16-9bdc-49d7-f171-53c4d7f91710", "50 11 5e 16 9b dc 49 d7-f1 71 53 c4 d7 f9 17 10",
		"50115E169BDC49D7F17153C4D7F91710"
	};
	for (int i = 0; i < 3; i++) {
		char body[256];
		snprintf(body, sizeof(body), "<uuid>%s</uuid>" DOM_OS, forms[i]);
		vsdk_vmx *v = to_vmx_ok(body);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(v, "uuid.bios"), "50 11 5e 16 9b dc 49 d7-f1 71 53 c4 d7 f9 17 10");
		vsdk_vmx_free(v);
		char vmx[256], *x;
		snprintf(vmx, sizeof(vmx), "displayName = \"a\"\nuuid.bios = \"%s\"\n", forms[i]);
		x = from_native(vmx);
		CU_ASSERT_PTR_NOT_NULL(x && strstr(x, "<uuid>50115e16-9bdc-49d7-f171-53c4d7f91710</uuid>"));
		free(x);
	}
}

static void test_vmx__firmware_bios_and_efi_both_read(void)
{
	char *x = from_native("displayName = \"a\"\nfirmware = \"bios\"\n");
	CU_ASSERT_PTR_NOT_NULL(x && strstr(x, "<os firmware=\"bios\">"));
	free(x);
	x = from_native("displayName = \"a\"\nfirmware = \"EFI\"\n");
	CU_ASSERT_PTR_NOT_NULL(x && strstr(x, "<os firmware=\"efi\">"));
	free(x);
}

static void test_vmx__datastore_path_callback_is_used_both_ways(void)
{
	vsdk_vmx_options o = test_opts();
	char *x = NULL;
	o.path_to_xml = seed_path_to_xml;
	const char *vmx =
		"displayName = \"a\"\nscsi0.present = \"true\"\nscsi0:0.present = \"true\"\n"
		"scsi0:0.fileName = \"/vmfs/volumes/498076b2-02796c1a-ef5b-000ae484a6a3/d/d.vmdk\"\n"
		"ide0:0.present = \"true\"\nide0:0.deviceType = \"cdrom-image\"\nide0:0.fileName = \"/iso/x.iso\"\n";
	CU_ASSERT_EQUAL(vsdk_vmx_to_domain_xml(&x, vmx, strlen(vmx), &o), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(x && strstr(x, "file=\"[local-storage] d/d.vmdk\""));
	CU_ASSERT_PTR_NOT_NULL(x && strstr(x, "file=\"/iso/x.iso\""));
	free(x);
	char *p = NULL;
	CU_ASSERT_EQUAL(vsdk_vmx_path_default_to_vmx(&p, "[ds 1] dir/f.vmdk", NULL), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(p, "/vmfs/volumes/ds 1/dir/f.vmdk");
	free(p);
	CU_ASSERT_EQUAL(vsdk_vmx_path_default_to_vmx(&p, "[ds dir/f.vmdk", NULL), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vmx_path_default_to_xml(&p, "/vmfs/volumes/ds 1/dir/f.vmdk", NULL), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(p, "[ds 1] dir/f.vmdk");
	free(p);
	CU_ASSERT_EQUAL(vsdk_vmx_path_default_to_xml(&p, "f.vmdk", NULL), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(p, "f.vmdk");
	free(p);
}

/* ---- VMX validation errors carry the line ------------------------------ */

static void test_vmx__vmx_errors_name_key_and_line(void)
{
	static const struct { const char *vmx; int line; const char *msg; } cases[] = {
		{ "displayName = \"a\"\nconfig.version = \"7\"\n", 2, "must be 8" },
		{ "displayName = \"a\"\n\nmemsize = \"1023\"\n", 3, "multiple of 4" },
		{ "displayName = \"a\"\nmemsize = \"abc\"\n", 2, "not an integer" },
		{ "displayName = \"a\"\nnumvcpus = \"0\"\n", 2, "numvcpus" },
		{ "displayName = \"a\"\nnumvcpus = \"4\"\ncpuid.coresPerSocket = \"3\"\n", 3, "does not divide" },
		{ "displayName = \"a\"\nuuid.bios = \"50 11 zz\"\n", 2, "not a UUID" },
		{ "displayName = \"a\"\nfirmware = \"uefi\"\n", 2, "bios or efi" },
		{ "displayName = \"a\"\nguestOS = \"\"\n", 2, "empty" },
		{ "displayName = \"a\"\nscsi0.present = \"true\"\nscsi0.virtualDev = \"foo\"\n", 3, "unsupported SCSI" },
		{ "displayName = \"a\"\nscsi0.present = \"true\"\nscsi0:7.present = \"true\"\n", 3, "reserved" },
		{ "displayName = \"a\"\nscsi1:0.present = \"true\"\n", 2, "controller scsi1 is not" },
		{ "displayName = \"a\"\nide0:0.present = \"true\"\nide0:0.deviceType = \"tape\"\n", 3, "unsupported deviceType" },
		{ "displayName = \"a\"\nide0:0.present = \"true\"\n", 2, "needs a fileName" },
		{ "displayName = \"a\"\nethernet0.present = \"true\"\nethernet0.virtualDev = \"rtl8139\"\n", 3, "unsupported NIC" },
		{ "displayName = \"a\"\nethernet0.present = \"true\"\nethernet0.connectionType = \"weird\"\n", 3, "connectionType" },
		{ "displayName = \"a\"\nethernet0.present = \"true\"\nethernet0.connectionType = \"custom\"\n", 3, "vnet" },
		{ "displayName = \"a\"\nethernet0.present = \"true\"\nethernet0.addressType = \"foo\"\n", 3, "addressType" },
		{ "displayName = \"a\"\nethernet0.present = \"true\"\nethernet0.address = \"00:50:56:zz:00:00\"\n"
		  "ethernet0.addressType = \"static\"\n", 3, "not a MAC" },
		{ "displayName = \"a\"\nethernet0.present = \"maybe\"\n", 2, "not a boolean" },
		{ "displayName = \"a\"\nethernet12.present = \"true\"\n", 2, "out of range" },
		{ "displayName = \"a\"\nserial0.present = \"true\"\nserial0.fileType = \"usb\"\n", 3, "unsupported fileType" },
		{ "displayName = \"a\"\nserial0.present = \"true\"\nserial0.fileType = \"network\"\n"
		  "serial0.fileName = \"gopher://x:1\"\n", 4, "URI scheme" },
		{ "displayName = \"a\"\nserial0.present = \"true\"\nserial0.fileType = \"network\"\n"
		  "serial0.fileName = \"tcp://x\"\n", 4, "no port" },
		{ "displayName = \"a\"\nserial0.present = \"true\"\nserial0.fileType = \"network\"\n"
		  "serial0.fileName = \"tcp://h:/x\"\n", 4, "port must be a number" },
		{ "displayName = \"a\"\nparallel0.present = \"true\"\nparallel0.fileName = \"/dev/lp0\"\n", 2, "fileType" },
		{ "displayName = \"a\"\nRemoteDisplay.vnc.enabled = \"true\"\nRemoteDisplay.vnc.port = \"70000\"\n", 3, "not a TCP port" },
		{ "displayName = \"a\"\nsvga.vramSize = \"1000\"\n", 2, "multiple of 1024" },
		{ "memsize = \"4\"\n", 0, "displayName" },
		{ "displayName = \"a\"\nsched.cpu.shares = \"lots\"\n", 2, "low, normal, high" },
		{ "displayName = \"a\"\nsched.cpu.max = \"-5\"\n", 2, "not an integer" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		int rc = vsdk_vmx_to_domain_xml(&out, cases[i].vmx, strlen(cases[i].vmx), NULL);
		const vsdk_error *e = vsdk_error_last();
		if (rc != VSDK_EPARSE || e->line != cases[i].line || !strstr(e->message, cases[i].msg))
			fprintf(stderr, "case %zu: rc %d line %d '%s' (want line %d, '%s')\n", i, rc, e->line,
				e->message, cases[i].line, cases[i].msg);
		CU_ASSERT_EQUAL(rc, VSDK_EPARSE);
		CU_ASSERT_EQUAL(e->line, cases[i].line);
		CU_ASSERT_PTR_NOT_NULL(strstr(e->message, cases[i].msg));
		CU_ASSERT_PTR_NULL(out);
	}
}

/* ---- domain XML validation errors name the element --------------------- */

static void test_vmx__xml_errors_name_the_element(void)
{
	static const struct { const char *xml; int code; const char *msg; } cases[] = {
		{ "<domain type='vmware'><name>a</nam></domain>", VSDK_EPARSE, "malformed" },
		{ "<domain type='vmware'><name>a</name>", VSDK_EPARSE, "malformed" },
		{ "", VSDK_EPARSE, "malformed" },
		{ "<vm/>", VSDK_EPARSE, "<vm>: the root element" },
		{ "<domain type='kvm'><name>a</name></domain>", VSDK_EPARSE, "type must be 'vmware'" },
		{ "<domain type='vmware'><memory>4096</memory></domain>", VSDK_EPARSE, "<name>: missing" },
		{ DOM_HEAD "<uuid>xyz</uuid></domain>", VSDK_EPARSE, "<uuid>" },
		{ DOM_HEAD DOM_OS "</domain>", VSDK_EPARSE, "<memory>: missing" },
		{ DOM_HEAD "<memory unit='parsec'>1</memory>" DOM_OS "</domain>", VSDK_EPARSE, "unknown unit" },
		{ DOM_HEAD "<memory>4096</memory></domain>", VSDK_EPARSE, "<os>: missing" },
		{ DOM_HEAD "<memory>4096</memory><os><type arch='ppc64'>hvm</type></os></domain>", VSDK_EUNSUPPORTED, "arch" },
		{ DOM_HEAD "<memory>4096</memory><vcpu>x</vcpu>" DOM_OS "</domain>", VSDK_EPARSE, "<vcpu>" },
		{ DOM_HEAD "<memory>4096</memory><vcpu>4</vcpu><cpu><topology sockets='3' cores='1' threads='1'/></cpu>"
		  DOM_OS "</domain>", VSDK_EPARSE, "<topology>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><sound model='es1370'/></devices></domain>",
		  VSDK_EUNSUPPORTED, "<sound>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><source file='a.vmdk'/></disk></devices></domain>",
		  VSDK_EPARSE, "<disk>: missing <target" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><target dev='xda'/></disk></devices></domain>",
		  VSDK_EPARSE, "<target>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><target dev='sda' bus='usb'/></disk></devices></domain>",
		  VSDK_EUNSUPPORTED, "bus 'usb'" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><graphics type='spice'/></devices></domain>",
		  VSDK_EUNSUPPORTED, "<graphics>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><video><model type='qxl'/></video></devices></domain>",
		  VSDK_EUNSUPPORTED, "<video>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><interface type='bridge'><mac address='zz'/>"
		  "<source bridge='a'/></interface></devices></domain>", VSDK_EPARSE, "<mac>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><interface type='network'/></devices></domain>",
		  VSDK_EPARSE, "<interface>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><interface type='direct'/></devices></domain>",
		  VSDK_EUNSUPPORTED, "<interface>" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><driver name='lsilogic'/><target dev='sda'/></disk>"
		  "<controller type='scsi' index='0' model='buslogic'/></devices></domain>", VSDK_EPARSE, "conflicting" },
		{ DOM_HEAD "<memory>4096</memory><metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:bogus/>"
		  "</vmx:vmware></metadata>" DOM_OS "</domain>", VSDK_EPARSE, "unknown element <bogus>" },
		/* Rules checked when writing the VMX. */
		{ DOM_HEAD "<memory>4096</memory><metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:guestOS>rhel5"
		  "</vmx:guestOS></vmx:vmware></metadata><os><type arch='x86_64'>hvm</type></os></domain>",
		  VSDK_EINVALID, "32-bit guest" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><source file='[a] a.vmdk'/><target dev='sda'/></disk>"
		  "<disk><source file='[a] b.vmdk'/><target dev='sdb'/><address type='drive' controller='0' unit='0'/></disk>"
		  "</devices></domain>", VSDK_EINVALID, "both use scsi0:0" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><source file='[a] a.vmdk'/><target dev='sda'/>"
		  "<address type='drive' controller='0' unit='7'/></disk></devices></domain>", VSDK_EINVALID, "unit 7" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk><target dev='sda'/></disk></devices></domain>",
		  VSDK_EINVALID, "needs a source" },
		{ DOM_HEAD "<memory>4096</memory>" DOM_OS "<devices><disk device='floppy'><target dev='sda'/></disk></devices></domain>",
		  VSDK_EINVALID, "fdc" },
		{ DOM_HEAD "<memory>4096</memory><currentMemory>8192</currentMemory>" DOM_OS "</domain>",
		  VSDK_OK, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		vsdk_vmx_options o = test_opts();
		int rc = vsdk_vmx_from_domain_xml(&out, cases[i].xml, &o);
		const char *m = vsdk_error_last()->message;
		if (rc != cases[i].code || (rc && !strstr(m, cases[i].msg)))
			fprintf(stderr, "case %zu: rc %d '%s' (want %d, '%s')\n", i, rc, m, cases[i].code, cases[i].msg);
		CU_ASSERT_EQUAL(rc, cases[i].code);
		if (rc)
			CU_ASSERT_PTR_NOT_NULL(strstr(m, cases[i].msg));
		free(out);
	}
}

/* ---- hostile input ------------------------------------------------------ */

static void test_vmx__xml_doctype_and_entities_are_refused(void)
{
	static const char *const bad[] = {
		"<!DOCTYPE domain [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" DOM_HEAD "<memory>4096</memory>" DOM_OS "</domain>",
		"<!DOCTYPE domain SYSTEM 'http://127.0.0.1:1/x.dtd'>" DOM_HEAD "<memory>4096</memory>" DOM_OS "</domain>",
		"<domain type='vmware'><name>&xxe;</name><memory>4096</memory>" DOM_OS "</domain>",
		"<domain type='vmware'><name>a&#0;b</name><memory>4096</memory>" DOM_OS "</domain>",
		"<domain type='vmware'><name>a&#x1;b</name><memory>4096</memory>" DOM_OS "</domain>",
		"<domain type='vmware'><name a='&#xD800;'>a</name><memory>4096</memory>" DOM_OS "</domain>",
		"<domain type='vmware'><name>a</name><memory>4096</memory>" DOM_OS "</domain><domain/>",
		"<domain type='vmware'><name>a</name><memory>4096</memory>" DOM_OS "</domain>trailing",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vsdk_vm_config *c = (vsdk_vm_config *)1;
		int rc = vsdk_vm_config_from_xml(&c, bad[i]);
		if (rc != VSDK_EPARSE)
			fprintf(stderr, "case %zu accepted\n", i);
		CU_ASSERT_EQUAL(rc, VSDK_EPARSE);
		CU_ASSERT_PTR_NULL(c);
	}
	/* Predefined entities, character references, CDATA, comments and a prolog are fine. */
	vsdk_vm_config *c = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_xml(&c,
		"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8'?>\n<!-- c -->\n<domain type='vmware'>"
		"<name>&lt;&amp;&gt;&quot;&apos;&#233;&#x263A;<![CDATA[<&]]></name><memory>4096</memory>"
		DOM_OS "</domain>\n<!-- after -->\n"), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(c->name, "<&>\"'\xc3\xa9\xe2\x98\xba<&");
	vsdk_vm_config_free(c);
}

static void test_vmx__hostile_strings_round_trip_without_injection(void)
{
	static const char *const evil[] = {
		"a\"b", "p|7Cq", "x # y", "line1\nmemsize = \"99999\"\nline3", "]]>", "<tag attr='&amp;'>",
		"\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "a/b%c\\d", "\"\nethernet0.present = \"true",
	};
	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		vsdk_vm_config *c;
		vsdk_vm_config_new(&c);
		c->name = strdup(evil[i]);
		c->description = strdup(evil[i]);
		c->memory_kib = 4096;
		vsdk_vm_disk *d = vsdk__vmx_grow((void **)&c->disks, &c->n_disks, sizeof(*d));
		d->source = strdup(evil[i][0] == '\xc3' ? "[ds] \xc3\xa9.vmdk" : "[ds] x\"y|z#.vmdk");
		vsdk_vm_nic *n = vsdk__vmx_grow((void **)&c->nics, &c->n_nics, sizeof(*n));
		n->network = strdup(evil[i]);
		strcpy(n->mac, "00:50:56:00:00:01");
		n->check_mac = VSDK_VM_UNSET;
		c->vnc.enabled = true;
		c->vnc.port = VSDK_VM_UNSET;
		c->vnc.password = strdup(evil[i]);

		vsdk_vmx *v = NULL, *back = NULL;
		char *text = NULL, *xml = NULL;
		CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_to_vmx(&v, c, NULL), VSDK_OK);
		CU_ASSERT_EQUAL_FATAL(vsdk_vmx_format(&text, v), VSDK_OK);
		CU_ASSERT_EQUAL_FATAL(vsdk_vmx_parse(&back, text, strlen(text), 0), VSDK_OK);
		/* Exactly the keys we set, with the values intact. */
		CU_ASSERT_EQUAL(vsdk_vmx_count(back), vsdk_vmx_count(v) + 1);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "annotation"), evil[i]);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "ethernet0.networkName"), evil[i]);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "RemoteDisplay.vnc.password"), evil[i]);
		CU_ASSERT_STRING_EQUAL(vsdk_vmx_get(back, "memsize"), "4");
		size_t lines = 0;
		for (char *p = text; *p; p++)
			lines += *p == '\n';
		CU_ASSERT_EQUAL(lines, vsdk_vmx_count(back));
		/* And through the domain XML and back. */
		vsdk_vm_config *c2 = NULL, *c3 = NULL;
		CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_vmx(&c2, back, NULL), VSDK_OK);
		CU_ASSERT_STRING_EQUAL(c2->name, evil[i]);
		CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_to_xml(&xml, c2), VSDK_OK);
		CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_xml(&c3, xml), VSDK_OK);
		CU_ASSERT_STRING_EQUAL(c3->name, evil[i]);
		CU_ASSERT_STRING_EQUAL(c3->description, evil[i]);
		CU_ASSERT_STRING_EQUAL(c3->nics[0].network, evil[i]);
		CU_ASSERT_STRING_EQUAL(c3->vnc.password, evil[i]);
		CU_ASSERT_STRING_EQUAL(c3->disks[0].source, c->disks[0].source);
		vsdk_vm_config_free(c);
		vsdk_vm_config_free(c2);
		vsdk_vm_config_free(c3);
		vsdk_vmx_free(v);
		vsdk_vmx_free(back);
		free(text);
		free(xml);
	}
}

static void test_vmx__control_characters_cannot_reach_xml(void)
{
	/* VMX may carry any byte as |XX; XML 1.0 cannot: the writer refuses, naming the element. */
	char *out = NULL;
	const char *vmx = "displayName = \"a\"\nannotation = \"bell|07\"\n";
	CU_ASSERT_EQUAL(vsdk_vmx_to_domain_xml(&out, vmx, strlen(vmx), NULL), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "<description>"));
	CU_ASSERT_PTR_NULL(out);
	/* Tabs and newlines are fine. */
	vmx = "displayName = \"a\"\nannotation = \"x|09y|0Az\"\n";
	CU_ASSERT_EQUAL(vsdk_vmx_to_domain_xml(&out, vmx, strlen(vmx), NULL), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "<description>x\ty\nz</description>"));
	free(out);
}

static void test_vmx__overlong_strings_round_trip(void)
{
	size_t n = 256 * 1024;
	vsdk_vm_config *c, *c2 = NULL;
	vsdk_vm_config_new(&c);
	c->name = malloc(n + 1);
	c->description = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		c->name[i] = "n<&|\"#"[i % 6];
		c->description[i] = "d]]>\n"[i % 5];
	}
	c->name[n] = c->description[n] = '\0';
	c->memory_kib = 4096;
	vsdk_vmx *v = NULL;
	char *text = NULL, *xml = NULL;
	CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_to_vmx(&v, c, NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_format(&text, v), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vmx_to_domain_xml(&xml, text, strlen(text), NULL), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk_vm_config_from_xml(&c2, xml), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(c2->name, c->name);
	CU_ASSERT_STRING_EQUAL(c2->description, c->description);
	vsdk_vm_config_free(c);
	vsdk_vm_config_free(c2);
	vsdk_vmx_free(v);
	free(text);
	free(xml);
}

static void test_vmx__display_name_percent_escapes_like_the_vi_api(void)
{
	vsdk_vmx *v = to_vmx_ok(DOM_OS);
	vsdk_vmx_free(v);
	char *out = NULL;
	CU_ASSERT_EQUAL(vsdk_vmx_from_domain_xml(&out, "<domain type='vmware'><name>a/b%c\\d</name><memory>4096</memory>"
						 DOM_OS "</domain>", NULL), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "displayName = \"a%2fb%25c%5cd\""));
	free(out);
	const char *vmx = "displayName = \"x%2Fy%25z\"\n";
	CU_ASSERT_EQUAL(vsdk_vmx_to_domain_xml(&out, vmx, strlen(vmx), NULL), VSDK_OK);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "<name>x/y%z</name>"));
	free(out);
}

static void test_vmx__api_rejects_null_and_bad_options(void)
{
	vsdk_vm_config *c = NULL;
	vsdk_vmx *v = NULL;
	char *s = NULL;
	vsdk_vmx_options o = VSDK_VMX_OPTIONS_INIT;
	o.version = 99;
	CU_ASSERT_EQUAL(vsdk_vm_config_from_xml(NULL, "<x/>"), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vm_config_from_xml(&c, NULL), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vm_config_to_xml(&s, NULL), VSDK_EINVALID);
	CU_ASSERT_EQUAL(vsdk_vm_config_to_vmx(&v, NULL, NULL), VSDK_EINVALID);
	vsdk_vm_config_new(&c);
	c->name = strdup("a");
	c->memory_kib = 4096;
	CU_ASSERT_EQUAL(vsdk_vm_config_to_vmx(&v, c, &o), VSDK_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(vsdk_error_last()->message, "version"));
	vsdk_vm_config_free(c);
	vsdk_vm_config_free(NULL);
}

/* Deterministic mutations of the golden files: every input either fails with
 * a clean error or converts, and once converted the round trip is stable. */
static void test_vmx__mutated_inputs_fail_cleanly_or_round_trip(void)
{
	static const char *const toks[] = {
		"\"", "|", "|2", "|00", "|22", "#", "\n", "=", "<", ">", "&", "&#0;", "]]>", "\xff", "\xc3",
		"<!DOCTYPE x>", "<![CDATA[", "-->", "/>", "99999999999999999999", "-1", "0", "7", "15",
		"scsi0:7", "ethernet9", ":", " ", "true", "false", "sata", "nvme", "vpx", "static",
	};
	uint64_t seed = 0x243f6a8885a308d3ull;
#define RND(n) ((seed = seed * 6364136223846793005ull + 1442695040888963407ull), (size_t)((seed >> 33) % (n)))
	int converted = 0, stable = 0;
	for (int it = 0; it < 1500; it++) {
		const char *name = golden_names[RND(8)];
		bool is_vmx = RND(2);
		char *orig = read_text(GOLDEN, name, is_vmx ? ".vmx" : ".xml");
		CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
		size_t len = strlen(orig), cap = len * 2 + 4096;
		char *d = malloc(cap);
		memcpy(d, orig, len + 1);
		for (int m = (int)RND(4) + 1; m > 0; m--) {
			size_t pos = RND(len + 1);
			if (RND(3) == 0 && len > 8) {
				size_t del = RND(8) + 1;
				if (pos + del > len)
					del = len - pos;
				memmove(d + pos, d + pos + del, len - pos - del + 1);
				len -= del;
			} else {
				const char *t = toks[RND(sizeof(toks) / sizeof(toks[0]))];
				size_t tl = strlen(t);
				if (len + tl + 1 > cap)
					continue;
				memmove(d + pos + tl, d + pos, len - pos + 1);
				memcpy(d + pos, t, tl);
				len += tl;
			}
		}
		char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;
		vsdk_vmx_options o = test_opts();
		int rc = is_vmx ? vsdk_vmx_to_domain_xml(&o1, d, len, &o) : vsdk_vmx_from_domain_xml(&o1, d, &o);
		CU_ASSERT(rc == VSDK_OK || rc == VSDK_EPARSE || rc == VSDK_EINVALID || rc == VSDK_EUNSUPPORTED);
		CU_ASSERT(rc == VSDK_OK || (o1 == NULL && vsdk_error_last()->message[0]));
		if (rc == VSDK_OK) {
			converted++;
			rc = is_vmx ? vsdk_vmx_from_domain_xml(&o2, o1, &o) : vsdk_vmx_to_domain_xml(&o2, o1, strlen(o1), &o);
			/* Writing is stricter than reading (e.g. odd vCPUs on virtualHW 4). */
			if (rc != VSDK_OK && rc != VSDK_EINVALID)
				fprintf(stderr, "converting back failed: %s\n--- input\n%s\n--- converted\n%s\n",
					vsdk_error_last()->message, d, o1);
			CU_ASSERT(rc == VSDK_OK || rc == VSDK_EINVALID);
			if (rc == VSDK_OK) {
				CU_ASSERT_EQUAL(is_vmx ? vsdk_vmx_to_domain_xml(&o3, o2, strlen(o2), &o)
						       : vsdk_vmx_from_domain_xml(&o3, o2, &o), VSDK_OK);
				if (o3)
					CU_ASSERT_EQUAL(is_vmx ? vsdk_vmx_from_domain_xml(&o4, o3, &o)
							       : vsdk_vmx_to_domain_xml(&o4, o3, strlen(o3), &o), VSDK_OK);
				if (o4 && !strcmp(o2, o4))
					stable++;
				else
					fprintf(stderr, "unstable round trip from mutated %s%s:\n%s\n", name, is_vmx ? ".vmx" : ".xml", d);
				CU_ASSERT(o4 && !strcmp(o2, o4));
			}
		}
		free(o1);
		free(o2);
		free(o3);
		free(o4);
		free(d);
		free(orig);
	}
#undef RND
	CU_ASSERT(converted > 100); /* the mutations are not all fatal */
	printf("\nmutations: %d converted, %d round-tripped\n", converted, stable);
}

static char *run_sample(const char *args, int *st)
{
	const char *dir = getenv("VSDK_BIN");
	char *cmd, *out;
	if (asprintf(&cmd, "%s/vmx_convert %s", dir && *dir ? dir : "generated/build/bin", args) < 0)
		return NULL;
	out = vtest_run(cmd, st);
	free(cmd);
	return out;
}

static void test_vmx__sample_converts_and_reports_exit_codes(void)
{
	const char *dir = getenv("VSDK_BIN");
	char bin[512];
	int st = -1;
	char *out;
	snprintf(bin, sizeof(bin), "%s/vmx_convert", dir && *dir ? dir : "generated/build/bin");
	if (access(bin, X_OK)) {
		vtest_skip(__func__, "samples not built (make samples)");
		return;
	}
	out = run_sample("to-native " GOLDEN "/minimal.xml", &st);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "displayName = \"minimal\""));
	free(out);
	out = run_sample("from-native " GOLDEN "/nics.vmx", &st);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "<name>nics</name>"));
	free(out);
	out = run_sample("from-native " FIXTURES "/hand_edited.vmx", &st);
	CU_ASSERT_EQUAL(st, 0);
	free(out);
	out = run_sample("from-native " GOLDEN "/nics.xml 2>&1", &st);
	CU_ASSERT_EQUAL(st, 1);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "VMX line 1"));
	free(out);
	out = run_sample("sideways x 2>&1", &st);
	CU_ASSERT_EQUAL(st, 2);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "usage"));
	free(out);
	out = run_sample("--help", &st);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "to-native"));
	free(out);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_vmx__golden_regenerate_when_asked),
		VTEST_CASE(test_vmx__golden_xml_converts_to_golden_vmx),
		VTEST_CASE(test_vmx__golden_vmx_converts_to_golden_xml),
		VTEST_CASE(test_vmx__round_trips_are_stable),
		VTEST_CASE(test_vmx__hand_edited_vmx_normalizes_and_then_is_stable),
		VTEST_CASE(test_vmx__seed_demo_vmx_converts_to_the_documented_xml),
		VTEST_CASE(test_vmx__seed_demo_xml_converts_to_the_documented_vmx),
		VTEST_CASE(test_vmx__mac_prefix_decides_address_type),
		VTEST_CASE(test_vmx__missing_mac_gets_deterministic_generated_address),
		VTEST_CASE(test_vmx__missing_mac_random_uses_vmware_generated_prefix),
		VTEST_CASE(test_vmx__memory_must_be_multiple_of_4096_kib),
		VTEST_CASE(test_vmx__odd_vcpus_rejected_only_on_hw4),
		VTEST_CASE(test_vmx__hw_version_is_lowest_that_fits_or_explicit),
		VTEST_CASE(test_vmx__uuid_accepts_both_formats),
		VTEST_CASE(test_vmx__firmware_bios_and_efi_both_read),
		VTEST_CASE(test_vmx__datastore_path_callback_is_used_both_ways),
		VTEST_CASE(test_vmx__vmx_errors_name_key_and_line),
		VTEST_CASE(test_vmx__xml_errors_name_the_element),
		VTEST_CASE(test_vmx__xml_doctype_and_entities_are_refused),
		VTEST_CASE(test_vmx__hostile_strings_round_trip_without_injection),
		VTEST_CASE(test_vmx__control_characters_cannot_reach_xml),
		VTEST_CASE(test_vmx__overlong_strings_round_trip),
		VTEST_CASE(test_vmx__display_name_percent_escapes_like_the_vi_api),
		VTEST_CASE(test_vmx__api_rejects_null_and_bad_options),
		VTEST_CASE(test_vmx__mutated_inputs_fail_cleanly_or_round_trip),
		VTEST_CASE(test_vmx__sample_converts_and_reports_exit_codes),
		VTEST_END
	};
	return vtest_main("vmx_convert", cases, NULL, NULL);
}
