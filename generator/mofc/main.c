/*
 * mofc - command line: parse MOF, resolve, optionally emit typed C for the CIM runtime.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include "mofc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: mofc [--lenient] [-I dir]... [--count] [--list] file.mof...\n"
		"       mofc --emit DIR --classes LIST [--prefix P] [--base NAME] [--name SCHEMA]\n"
		"            [--uri-base URI] [--inputs TEXT] file.mof...\n");
}

/* Read the allowlist: one class name per line, '#' comments. */
static const char **read_list(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	const char **v = NULL;

	*n = 0;
	if (!f) {
		fprintf(stderr, "mofc: cannot open %s\n", path);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		if ((e = strchr(s, '#')))
			*e = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (!*s)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			const char **nv = mof_alloc(cap * sizeof(*nv));
			if (*n)
				memcpy(nv, v, *n * sizeof(*nv));
			v = nv;
		}
		v[(*n)++] = mof_strdup(s);
	}
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	mof_options opt;
	mof_emit_options eo;
	const char *incs[64];
	const char *files[256];
	const char *classes_file = NULL;
	size_t n_files = 0;
	bool count = false, list = false;
	const char *dump = NULL;

	memset(&opt, 0, sizeof(opt));
	memset(&eo, 0, sizeof(eo));
	opt.include_dirs = incs;
	opt.max_errors = 50;
	eo.prefix = "vsdk_hv";
	eo.base = "hyperv_v2";
	eo.schema_name = "hyperv-v2";
	eo.uri_base = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--lenient")) {
			opt.lenient = true;
		} else if (!strcmp(a, "--count")) {
			count = true;
		} else if (!strcmp(a, "--list")) {
			list = true;
		} else if (!strcmp(a, "--dump") && more) {
			dump = argv[++i];
		} else if (!strcmp(a, "-I") && more) {
			if (opt.n_include_dirs < 64)
				incs[opt.n_include_dirs++] = argv[++i];
		} else if (!strcmp(a, "--emit") && more) {
			eo.dir = argv[++i];
		} else if (!strcmp(a, "--classes") && more) {
			classes_file = argv[++i];
		} else if (!strcmp(a, "--prefix") && more) {
			eo.prefix = argv[++i];
		} else if (!strcmp(a, "--base") && more) {
			eo.base = argv[++i];
		} else if (!strcmp(a, "--name") && more) {
			eo.schema_name = argv[++i];
		} else if (!strcmp(a, "--uri-base") && more) {
			eo.uri_base = argv[++i];
		} else if (!strcmp(a, "--inputs") && more) {
			eo.inputs = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			return 0;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mofc: unknown option %s\n", a);
			usage();
			return 2;
		} else if (n_files < sizeof(files) / sizeof(files[0])) {
			files[n_files++] = a;
		}
	}
	if (!n_files) {
		usage();
		return 2;
	}

	mof_repo r;
	mof_repo_init(&r, &opt);
	for (size_t i = 0; i < n_files && !r.errors; i++)
		mof_parse_file(&r, files[i]);
	if (!r.errors)
		mof_resolve(&r);
	if (r.errors) {
		fprintf(stderr, "mofc: %d error(s), %d warning(s)\n", r.errors, r.warnings);
		mof_arena_free();
		return 1;
	}
	if (list)
		for (size_t i = 0; i < r.n_classes; i++)
			printf("%s\n", r.classes[i]->name);
	if (dump)
		for (size_t i = 0; i < r.n_classes; i++)
			if (!strcmp(dump, "*") || !mof_strcasecmp(dump, r.classes[i]->name))
				mof_dump_class(stdout, r.classes[i]);
	if (count)
		printf("files %zu classes %zu qualifiers %zu instances %zu warnings %d\n", r.n_files,
		       r.n_classes, r.n_quals, r.n_instances, r.warnings);
	int rc = 0;
	if (eo.dir) {
		if (!classes_file) {
			fprintf(stderr, "mofc: --emit needs --classes\n");
			mof_arena_free();
			return 2;
		}
		eo.classes = read_list(classes_file, &eo.n_classes);
		if (!eo.classes) {
			mof_arena_free();
			return 1;
		}
		if (!eo.inputs)
			eo.inputs = files[0];
		rc = mof_emit(&r, &eo) ? 1 : 0;
	}
	mof_arena_free();
	return rc;
}
