/*
 * mofc: MOF grammar, diagnostics (file:line:col), real schemas, emitter golden files.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include "vtest.h"
#include "../../generator/mofc/mofc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse text (and resolve); diagnostics captured into *diag (caller frees). */
typedef struct run {
	mof_repo r;
	int errors;
	char *diag;
} run;

static char diag_path[512];
static const char *mofc_bin(void);

static void capture_begin(int *saved)
{
	fflush(stderr);
	*saved = dup(2);
	int fd = open(diag_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
}

static char *capture_end(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size_t n;
	char *s = vtest_read_file(diag_path, &n);
	return s ? s : strdup("");
}

static void parse_text(run *x, const char *text, bool lenient)
{
	mof_options o;
	int saved;
	memset(&o, 0, sizeof(o));
	o.lenient = lenient;
	mof_repo_init(&x->r, &o);
	capture_begin(&saved);
	mof_parse_buffer(&x->r, "t.mof", text, strlen(text));
	if (!x->r.errors)
		mof_resolve(&x->r);
	x->diag = capture_end(saved);
	x->errors = x->r.errors;
}

static void run_free(run *x)
{
	free(x->diag);
	mof_arena_free();
}

/* The first diagnostic must be exactly this line. */
static void expect_error(const char *text, const char *msg)
{
	run x;
	parse_text(&x, text, false);
	CU_ASSERT_TRUE(x.errors > 0);
	char *nl = strchr(x.diag, '\n');
	if (nl)
		*nl = 0;
	if (strcmp(x.diag, msg))
		fprintf(stdout, "\n  expected: %s\n  got:      %s\n", msg, x.diag);
	CU_ASSERT_STRING_EQUAL(x.diag, msg);
	run_free(&x);
}

static const char *QUALS =
	"Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride, ToSubclass);\n"
	"Qualifier In : boolean = true, Scope(parameter);\n"
	"Qualifier Out : boolean = false, Scope(parameter);\n"
	"Qualifier ValueMap : string[], Scope(property, method, parameter);\n"
	"Qualifier Values : string[], Scope(property, method, parameter), Flavor(EnableOverride, ToSubclass, Translatable);\n"
	"Qualifier Override : string = null, Scope(property, method), Flavor(EnableOverride, Restricted);\n"
	"Qualifier Description : string = null, Scope(any), Flavor(Translatable);\n";

static char *with_quals(const char *body)
{
	size_t n = strlen(QUALS) + strlen(body) + 1;
	char *s = malloc(n);
	snprintf(s, n, "%s%s", QUALS, body);
	return s;
}

static void test_mofc__qualifier_declarations_and_flavors(void)
{
	run x;
	parse_text(&x, "QUALIFIER Foo : String[] = {\"a\", \"b\"}, Scope(property, class), "
		       "Flavor(EnableOverride, ToSubclass, Translatable);\n"
		       "qualifier Bar : uint32 = 5, scope(any), flavor(DisableOverride, Restricted);", false);
	CU_ASSERT_EQUAL_FATAL(x.errors, 0);
	const mof_qualdecl *d = mof_qualdecl_find(&x.r, "foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->type, MT_STRING);
	CU_ASSERT_EQUAL(d->array, 0);
	CU_ASSERT_EQUAL(d->def.n, 2);
	CU_ASSERT_EQUAL(d->flavors, FL_ENABLEOVERRIDE | FL_TOSUBCLASS | FL_TRANSLATABLE);
	d = mof_qualdecl_find(&x.r, "BAR");
	CU_ASSERT_EQUAL(d->flavors, FL_DISABLEOVERRIDE | FL_RESTRICTED);
	CU_ASSERT_STRING_EQUAL(d->def.text, "5");
	run_free(&x);
}

static void test_mofc__class_inheritance_flattens_and_overrides(void)
{
	char *t = with_quals("class A { [Key] string Id; [ValueMap{\"1\"}, Values{\"One\"}] uint16 S; string Old; };\n"
			     "class B : A { [Override(\"S\"), Values{\"Uno\"}] uint16 S; boolean New; };\n"
			     "Class c : b { };");
	run x;
	parse_text(&x, t, false);
	CU_ASSERT_EQUAL_FATAL(x.errors, 0);
	mof_class *c = mof_class_find(&x.r, "C");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->n_all, 4);
	const mof_feature *s = mof_feature_find(c, "s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->origin->name, "B");
	/* Values overridden, ValueMap and Key inherited */
	CU_ASSERT_STRING_EQUAL(mof_qual_find(&s->quals, "Values")->val.items[0].text, "Uno");
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&s->quals, "ValueMap"));
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&mof_feature_find(c, "Id")->quals, "Key"));
	/* Override is Restricted: not inherited by C from B... but C did not redeclare S */
	CU_ASSERT_STRING_EQUAL(mof_feature_find(c, "Old")->origin->name, "A");
	run_free(&x);
	free(t);
}

static void test_mofc__every_intrinsic_type_arrays_and_defaults(void)
{
	char *t = with_quals("class T { boolean a = TRUE; string b = \"x\"; char16 c = 'q'; datetime d = \"20240101000000.000000+000\";"
			     " uint8 e = 0x1F; sint8 f = -8; uint16 g = 101b; sint16 h; uint32 i[]; sint32 j[3] = {1, 2, 3};"
			     " uint64 k = 18446744073709551615; sint64 l = -9223372036854775808; real32 m = 1.5; real64 n = -2.5e-3;"
			     " string o[] = {\"p\", \"q\" \"r\"}; };");
	run x;
	parse_text(&x, t, false);
	CU_ASSERT_EQUAL_FATAL(x.errors, 0);
	mof_class *c = mof_class_find(&x.r, "T");
	static const int types[] = { MT_BOOLEAN, MT_STRING, MT_CHAR16, MT_DATETIME, MT_UINT8, MT_SINT8, MT_UINT16,
				     MT_SINT16, MT_UINT32, MT_SINT32, MT_UINT64, MT_SINT64, MT_REAL32, MT_REAL64,
				     MT_STRING };
	CU_ASSERT_EQUAL_FATAL(c->n_all, 15);
	for (size_t i = 0; i < 15; i++)
		CU_ASSERT_EQUAL(c->all[i].type, types[i]);
	CU_ASSERT_EQUAL(mof_feature_find(c, "i")->array, 0);
	CU_ASSERT_EQUAL(mof_feature_find(c, "j")->array, 3);
	CU_ASSERT_EQUAL(mof_feature_find(c, "j")->def.n, 3);
	CU_ASSERT_TRUE(mof_feature_find(c, "a")->def.bval);
	CU_ASSERT_STRING_EQUAL(mof_feature_find(c, "o")->def.items[1].text, "qr");
	CU_ASSERT_STRING_EQUAL(mof_feature_find(c, "n")->def.text, "-2.5e-3");
	run_free(&x);
	free(t);
}

static void test_mofc__refs_methods_and_parameters(void)
{
	char *t = with_quals("class A { [Key] string Id; };\n"
			     "class B { A REF Peer; [ValueMap{\"0\", \"4096\"}] uint32 Go([In] A ref Who, [In] string Items[],"
			     " [Out] A REF Made[], [In, Out] uint16 Level = 3); datetime Stamp(); };");
	run x;
	parse_text(&x, t, false);
	CU_ASSERT_EQUAL_FATAL(x.errors, 0);
	mof_class *b = mof_class_find(&x.r, "B");
	const mof_feature *peer = mof_feature_find(b, "Peer");
	CU_ASSERT_EQUAL(peer->type, MT_REF);
	CU_ASSERT_STRING_EQUAL(peer->ref_class, "A");
	const mof_feature *go = mof_feature_find(b, "Go");
	CU_ASSERT_TRUE(go->is_method);
	CU_ASSERT_EQUAL(go->type, MT_UINT32);
	CU_ASSERT_EQUAL_FATAL(go->n_params, 4);
	CU_ASSERT_EQUAL(go->params[0].type, MT_REF);
	CU_ASSERT_EQUAL(go->params[1].array, 0);
	CU_ASSERT_EQUAL(go->params[2].array, 0);
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&go->params[2].quals, "OUT"));
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&go->params[3].quals, "in"));
	CU_ASSERT_EQUAL(mof_feature_find(b, "Stamp")->n_params, 0);
	run_free(&x);
	free(t);
}

static void test_mofc__comments_strings_escapes_and_case(void)
{
	char *t = with_quals("/* block\n comment */ CLASS Esc // line comment\n{ [Description(\"tab\\there\" \" \\\"q\\\" \\\\ \\x263A \\X41\")]"
			     " STRING S = \"a\" /* between */ \"b\"; BOOLEAN B = False; };\n"
			     "instance of Esc { S = \"v\"; B = true; };\n"
			     "Instance Of esc as $Alias1 { S = \"w\"; };");
	run x;
	parse_text(&x, t, false);
	CU_ASSERT_EQUAL_FATAL(x.errors, 0);
	mof_class *c = mof_class_find(&x.r, "esc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	const mof_feature *s = mof_feature_find(c, "s");
	CU_ASSERT_STRING_EQUAL(s->def.text, "ab");
	CU_ASSERT_STRING_EQUAL(mof_qual_find(&s->quals, "description")->val.text, "tab\there \"q\" \\ \xe2\x98\xba A");
	CU_ASSERT_FALSE(mof_feature_find(c, "B")->def.bval);
	CU_ASSERT_EQUAL(x.r.n_instances, 2);
	CU_ASSERT_STRING_EQUAL(x.diag, "");
	run_free(&x);
	free(t);
}

static void test_mofc__pragmas_include_namespace_locale(void)
{
	char *dir = vtest_tmpdir();
	char p1[512], p2[512], p3[512];
	snprintf(p1, sizeof(p1), "%s/main.mof", dir);
	snprintf(p2, sizeof(p2), "%s/sub", dir);
	mkdir(p2, 0700);
	snprintf(p2, sizeof(p2), "%s/sub/a.mof", dir);
	snprintf(p3, sizeof(p3), "%s/sub/b.mof", dir);
	const char *m = "#pragma locale (\"en_US\")\n#pragma namespace (\"root/x\")\n#pragma include (\"sub/a.mof\")\nclass Top : A {};";
	const char *a = "#pragma include (\"b.mof\")\nclass A : B {};";
	const char *b = "class B { string X; };";
	CU_ASSERT_TRUE(vtest_write_file(p1, m, strlen(m)));
	CU_ASSERT_TRUE(vtest_write_file(p2, a, strlen(a)));
	CU_ASSERT_TRUE(vtest_write_file(p3, b, strlen(b)));
	mof_repo r;
	int saved;
	mof_repo_init(&r, NULL);
	capture_begin(&saved);
	mof_parse_file(&r, p1);
	mof_resolve(&r);
	free(capture_end(saved));
	CU_ASSERT_EQUAL(r.errors, 0);
	CU_ASSERT_EQUAL(r.n_files, 3);
	CU_ASSERT_EQUAL(r.n_classes, 3);
	CU_ASSERT_PTR_NOT_NULL(mof_feature_find(mof_class_find(&r, "Top"), "X"));
	mof_arena_free();
	vtest_rmtree(dir);
	free(dir);
}

static void test_mofc__errors_name_file_line_column(void)
{
	expect_error("class A { string s = \"abc; };", "t.mof:1:22: error: unterminated string literal");
	expect_error("class A {\n  strin s;\n};", "t.mof:2:3: error: unknown type 'strin'");
	expect_error("class A {\n  string s\n};", "t.mof:3:1: error: expected ';' but found '}'");
	expect_error("class A { [Kee] string s; };", "t.mof:1:12: error: qualifier 'Kee' is not declared");
	expect_error("class A : Missing { };", "t.mof:1:7: error: superclass Missing of A is not defined");
	expect_error("class A { string s; uint8 S; };", "t.mof:1:27: error: 'S' declared twice in class A");
	expect_error("class A { string s = \"a\\qb\"; };", "t.mof:1:24: error: invalid escape sequence '\\q'");
	expect_error("#pragma include (\"nope.mof\")", "t.mof:1:1: error: cannot open ./nope.mof: No such file or directory");
	expect_error("class A { uint8 x = \"s\"; };", "t.mof:1:17: error: default value of 'x' does not match its type uint8");
	expect_error("class A { };\nclass A { };", "t.mof:2:7: error: class A defined again (first at t.mof:1:7)");
	expect_error("class A : B { }; class B : A { };", "t.mof:1:7: error: class A inherits from itself");
	expect_error("class A { string s; }", "t.mof:1:22: error: expected ';' but found end of file");
	expect_error("/* open", "t.mof:1:1: error: unterminated comment");
	expect_error("class A { uint8 x = 12ab; };", "t.mof:1:21: error: malformed number");
	expect_error("#pragma frobnicate (\"x\")", "t.mof:1:9: error: unknown pragma 'frobnicate'");
	expect_error("class A { B REF r; };", "t.mof:1:17: error: 'r' refers to undefined class B");
	expect_error("wibble", "t.mof:1:1: error: expected a class, qualifier, instance or #pragma but found 'wibble'");
	expect_error("class A { string s = \"\xe2\x98\xba\" @; };", "t.mof:1:26: error: unexpected character '@'");
}

static void test_mofc__never_crashes_on_mangled_input(void)
{
	char *t = with_quals("class A { [Key] string Id; [ValueMap{\"1\"}, Values{\"x\"}] uint16 S[] = {1, 2};"
			     " uint32 M([In] A REF R, [Out] string O[]); };\n#pragma locale(\"x\")\ninstance of A { Id = \"q\"; };");
	size_t n = strlen(t);
	unsigned seed = 12345;
	/* every prefix, and 2000 random byte mutations */
	for (size_t cut = 0; cut <= n; cut += 3) {
		run x;
		char *p = strndup(t, cut);
		parse_text(&x, p, cut % 2);
		run_free(&x);
		free(p);
	}
	for (int i = 0; i < 2000; i++) {
		char *p = strdup(t);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			p[at] = (char)(seed >> 16);
			if (!p[at])
				p[at] = '{';
		}
		run x;
		parse_text(&x, p, i % 2);
		run_free(&x);
		free(p);
	}
	/* deep nesting of braces / long chains */
	char deep[20000];
	memset(deep, '{', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = 0;
	run x;
	parse_text(&x, deep, false);
	CU_ASSERT_TRUE(x.errors > 0);
	run_free(&x);
	free(t);
}

static void test_mofc__cim_schema_241_compiles(void)
{
	const char *path = vtest_shared("dmtf-cim-schema/CIM241/CIM_Schema.mof", __func__);
	if (!path)
		return;
	mof_repo r;
	int saved;
	mof_repo_init(&r, NULL);
	capture_begin(&saved);
	mof_parse_file(&r, path);
	mof_resolve(&r);
	char *d = capture_end(saved);
	CU_ASSERT_STRING_EQUAL(d, "");
	free(d);
	CU_ASSERT_EQUAL(r.errors, 0);
	CU_ASSERT_EQUAL(r.warnings, 0);
	CU_ASSERT_EQUAL(r.n_classes, 1438);
	CU_ASSERT_EQUAL(r.n_files, 1442); /* CIM_Schema.mof + 1441 it includes; 6 aggregator files are not */
	CU_ASSERT_EQUAL(r.n_quals, 70);
	/* inherited properties, with their qualifiers, reach the leaves */
	mof_class *cs = mof_class_find(&r, "CIM_ComputerSystem");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cs);
	const mof_feature *f = mof_feature_find(cs, "Name");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&f->quals, "Key"));
	CU_ASSERT_STRING_EQUAL(mof_feature_find(cs, "EnabledState")->origin->name, "CIM_EnabledLogicalElement");
	CU_ASSERT_STRING_EQUAL(mof_feature_find(cs, "Caption")->origin->name, "CIM_ManagedElement");
	mof_class *job = mof_class_find(&r, "CIM_ConcreteJob");
	f = mof_feature_find(job, "JobState");
	CU_ASSERT_EQUAL(f->type, MT_UINT16);
	CU_ASSERT_STRING_EQUAL(mof_qual_find(&f->quals, "Values")->val.items[5].text, "Completed");
	CU_ASSERT_PTR_NOT_NULL(mof_qual_find(&mof_feature_find(job, "InstanceID")->quals, "Key"));
	mof_class *vsms = mof_class_find(&r, "CIM_VirtualSystemManagementService");
	f = mof_feature_find(vsms, "DefineSystem");
	CU_ASSERT_TRUE(f->is_method);
	CU_ASSERT_EQUAL(f->params[0].type, MT_STRING);
	CU_ASSERT_STRING_EQUAL(mof_qual_find(&f->params[0].quals, "EmbeddedInstance")->val.text,
			       "CIM_VirtualSystemSettingData");
	mof_arena_free();
}

static void test_mofc__lenient_accepts_microsoft_doc_mof_with_warnings(void)
{
	const char *path = vtest_shared("hyperv-mof/hyperv-v2-doc-syntax-blocks.txt", __func__);
	if (!path)
		return;
	mof_options o;
	mof_repo r;
	int saved;
	memset(&o, 0, sizeof(o));
	o.lenient = true;
	mof_repo_init(&r, &o);
	capture_begin(&saved);
	mof_parse_file(&r, path);
	mof_resolve(&r);
	char *d = capture_end(saved);
	CU_ASSERT_EQUAL(r.errors, 0);
	CU_ASSERT_EQUAL(r.n_classes, 429);
	CU_ASSERT_TRUE(r.warnings > 2000);
	/* each deviation is a file:line:col warning */
	CU_ASSERT_PTR_NOT_NULL(strstr(d, ":5658:3: warning: unknown type 'unit16' read as 'uint16'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, ":2969:17: warning: unquoted datetime value"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: type 'DateTime' should be written 'datetime'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: 'True' should be written 'true'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "warning: qualifier 'AMENDMENT' is not declared"));
	CU_ASSERT_PTR_NULL(strstr(d, "error:"));
	free(d);
	CU_ASSERT_EQUAL(mof_feature_find(mof_class_find(&r, "Msvm_ConcreteJob"), "TimeBeforeRemoval")->type, MT_DATETIME);
	mof_arena_free();

	/* without --lenient the same file is rejected at its first deviation */
	mof_repo_init(&r, NULL);
	capture_begin(&saved);
	mof_parse_file(&r, path);
	d = capture_end(saved);
	CU_ASSERT_TRUE(r.errors > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "error:"));
	free(d);
	mof_arena_free();
}

/* Our Hyper-V MOF covers what Microsoft documents for each emitted class, with the same types. */
static void test_mofc__our_hyperv_mof_matches_microsoft_property_lists(void)
{
	const char *path = vtest_shared("hyperv-mof/hyperv-v2-doc-syntax-blocks.txt", __func__);
	if (!path)
		return;
	mof_options o;
	mof_repo doc, ours;
	int saved;
	memset(&o, 0, sizeof(o));
	o.lenient = true;
	capture_begin(&saved);
	mof_repo_init(&doc, &o);
	mof_parse_file(&doc, path);
	mof_resolve(&doc);
	mof_repo_init(&ours, NULL);
	mof_parse_file(&ours, "wsdl/hyperv-v2/hyperv-v2.mof");
	mof_resolve(&ours);
	free(capture_end(saved));
	CU_ASSERT_EQUAL_FATAL(ours.errors, 0);
	size_t checked = 0;
	for (size_t i = 0; i < ours.n_classes; i++) {
		mof_class *c = ours.classes[i];
		if (strncmp(c->name, "Msvm_", 5))
			continue;
		mof_class *dc = mof_class_find(&doc, c->name);
		CU_ASSERT_PTR_NOT_NULL(dc);
		if (!dc)
			continue;
		for (size_t j = 0; j < dc->n_all; j++) {
			const mof_feature *df = &dc->all[j];
			const mof_feature *of = mof_feature_find(c, df->name);
			if (!of || (of->type != df->type && df->type != MT_INSTANCE) ||
			    (of->array >= 0) != (df->array >= 0)) {
				fprintf(stdout, "\n  %s.%s: ours %s, Microsoft's %s", c->name, df->name,
					of ? mof_type_name(of->type) : "missing", mof_type_name(df->type));
				CU_FAIL("property differs from Microsoft's documentation");
			}
			checked++;
		}
	}
	CU_ASSERT_TRUE(checked > 300);
	mof_arena_free();
}

/* A user can regenerate typed C straight from Microsoft's doc MOF: all 429 classes emit and compile. */
static void test_mofc__doc_mof_emits_compilable_c(void)
{
	const char *path = vtest_shared("hyperv-mof/hyperv-v2-doc-syntax-blocks.txt", __func__);
	if (!path)
		return;
	char *dir = vtest_tmpdir();
	char cmd[4096];
	int st;
	snprintf(cmd, sizeof(cmd),
		 "set -e; m=%s; d=%s; $m --lenient --list %s 2>/dev/null > $d/all.classes; "
		 "wc -l < $d/all.classes; $m --lenient --emit $d --classes $d/all.classes --prefix hvdoc --base hvdoc "
		 "%s 2>/dev/null; ${CC:-cc} -std=gnu11 -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter "
		 "-Isdk/include -I$d $d/hvdoc.c && echo compiled",
		 mofc_bin(), dir, path, path);
	char *out = vtest_run(cmd, &st);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "429\n"));
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "compiled"));
	free(out);
	vtest_rmtree(dir);
	free(dir);
}

/* ---- emitter ---- */

static char *emit_small(const char *dir)
{
	mof_repo r;
	mof_emit_options eo;
	static const char *const classes[] = { "Ex_Thing", "Ex_Link", "Ex_Base" };
	int saved;
	memset(&eo, 0, sizeof(eo));
	eo.dir = dir;
	eo.prefix = "ex";
	eo.base = "small";
	eo.schema_name = "small";
	eo.uri_base = "http://example.invalid/wsman/";
	eo.inputs = "tests/fixtures/mofc/small.mof";
	eo.classes = classes;
	eo.n_classes = 3;
	mof_repo_init(&r, NULL);
	capture_begin(&saved);
	mof_parse_file(&r, "tests/fixtures/mofc/small.mof");
	mof_resolve(&r);
	char *d = capture_end(saved);
	CU_ASSERT_EQUAL(r.errors, 0);
	CU_ASSERT_EQUAL(r.n_instances, 1);
	CU_ASSERT_EQUAL(mof_emit(&r, &eo), 0);
	mof_arena_free();
	return d;
}

static void golden(const char *dir, const char *name)
{
	char got_path[512], want_path[512];
	size_t gl = 0, wl = 0;
	snprintf(got_path, sizeof(got_path), "%s/%s", dir, name);
	snprintf(want_path, sizeof(want_path), "tests/golden/mofc/%s", name);
	char *got = vtest_read_file(got_path, &gl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	const char *regen = getenv("VSDK_TEST_REGENERATE");
	if (regen && *regen && strcmp(regen, "0"))
		CU_ASSERT_TRUE(vtest_write_file(want_path, got, gl));
	char *want = vtest_read_file(want_path, &wl);
	CU_ASSERT_PTR_NOT_NULL(want);
	CU_ASSERT_TRUE(want && gl == wl && !memcmp(got, want, gl));
	free(got);
	free(want);
}

static void test_mofc__emitter_matches_golden_files(void)
{
	char *dir = vtest_tmpdir();
	free(emit_small(dir));
	golden(dir, "small.h");
	golden(dir, "small.c");
	char p[512];
	snprintf(p, sizeof(p), "%s/small.h", dir);
	size_t n;
	char *h = vtest_read_file(p, &n);
	CU_ASSERT_TRUE(h && !strncmp(h, "/* Generated by mofc from tests/fixtures/mofc/small.mof; DO NOT EDIT */\n", 71));
	free(h);
	vtest_rmtree(dir);
	free(dir);
}

static void test_mofc__same_input_twice_is_byte_identical(void)
{
	char *d1 = vtest_tmpdir(), *d2 = vtest_tmpdir();
	free(emit_small(d1));
	free(emit_small(d2));
	static const char *const names[] = { "small.h", "small.c" };
	for (int i = 0; i < 2; i++) {
		char a[512], b[512];
		size_t la, lb;
		snprintf(a, sizeof(a), "%s/%s", d1, names[i]);
		snprintf(b, sizeof(b), "%s/%s", d2, names[i]);
		char *x = vtest_read_file(a, &la), *y = vtest_read_file(b, &lb);
		CU_ASSERT_TRUE(x && y && la == lb && !memcmp(x, y, la));
		free(x);
		free(y);
	}
	/* the real generation too, through the tool */
	int st;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "set -e; for d in %s %s; do %s --emit $d --classes generator/hyperv-v2.classes "
		 "--inputs wsdl/hyperv-v2/hyperv-v2.mof wsdl/hyperv-v2/hyperv-v2.mof; done; "
		 "cmp %s/hyperv_v2.c %s/hyperv_v2.c && cmp %s/hyperv_v2.h %s/hyperv_v2.h && echo same",
		 d1, d2, mofc_bin(), d1, d2, d1, d2);
	char *out = vtest_run(cmd, &st);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "same"));
	free(out);
	vtest_rmtree(d1);
	vtest_rmtree(d2);
	free(d1);
	free(d2);
}

/* The mofc binary: $VSDK_BIN/mofc (set by `make check`), else the default build dir. */
static const char *mofc_bin(void)
{
	static char path[1024];
	const char *b = getenv("VSDK_BIN");
	snprintf(path, sizeof(path), "%s/mofc", b && *b ? b : "generated/build/bin");
	return path;
}

static char *diag_dir;

static int init(void)
{
	diag_dir = vtest_tmpdir();
	if (!diag_dir)
		return 1;
	snprintf(diag_path, sizeof(diag_path), "%s/diag.txt", diag_dir);
	return 0;
}

static int fini(void)
{
	if (diag_dir)
		vtest_rmtree(diag_dir);
	free(diag_dir);
	return 0;
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_mofc__qualifier_declarations_and_flavors),
		VTEST_CASE(test_mofc__class_inheritance_flattens_and_overrides),
		VTEST_CASE(test_mofc__every_intrinsic_type_arrays_and_defaults),
		VTEST_CASE(test_mofc__refs_methods_and_parameters),
		VTEST_CASE(test_mofc__comments_strings_escapes_and_case),
		VTEST_CASE(test_mofc__pragmas_include_namespace_locale),
		VTEST_CASE(test_mofc__errors_name_file_line_column),
		VTEST_CASE(test_mofc__never_crashes_on_mangled_input),
		VTEST_CASE(test_mofc__cim_schema_241_compiles),
		VTEST_CASE(test_mofc__lenient_accepts_microsoft_doc_mof_with_warnings),
		VTEST_CASE(test_mofc__our_hyperv_mof_matches_microsoft_property_lists),
		VTEST_CASE(test_mofc__doc_mof_emits_compilable_c),
		VTEST_CASE(test_mofc__emitter_matches_golden_files),
		VTEST_CASE(test_mofc__same_input_twice_is_byte_identical),
		VTEST_END,
	};
	return vtest_main("mofc", cases, init, fini);
}
