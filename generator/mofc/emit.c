/*
 * mofc - emitter: typed C structs, type-info tables, enums and method stubs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Output is deterministic: classes, properties and methods are sorted by
 * name (case-insensitive, then bytewise), and nothing depends on time,
 * paths other than those given, or memory addresses.
 */
#define _POSIX_C_SOURCE 200809L
#include "mofc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ecls {
	mof_class *c;
	const mof_feature **props;
	size_t n_props;
	const mof_feature **methods;
	size_t n_methods;
} ecls;

typedef struct emitter {
	mof_repo *r;
	const mof_emit_options *o;
	ecls *cls;
	size_t n_cls;
	char upfx[64];     /* "VSDK_HV" */
	FILE *h, *c;
} emitter;

static int name_cmp(const char *a, const char *b)
{
	int d = mof_strcasecmp(a, b);
	return d ? d : strcmp(a, b);
}

static int feat_cmp(const void *a, const void *b)
{
	return name_cmp((*(const mof_feature *const *)a)->name, (*(const mof_feature *const *)b)->name);
}

static int ecls_cmp(const void *a, const void *b)
{
	return name_cmp(((const ecls *)a)->c->name, ((const ecls *)b)->c->name);
}

static const ecls *find_emitted(const emitter *e, const char *name)
{
	for (size_t i = 0; i < e->n_cls; i++)
		if (!mof_strcasecmp(e->cls[i].c->name, name))
			return &e->cls[i];
	return NULL;
}

/* C string literal. */
static void cstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 32 || ch == 127)
			fprintf(f, "\\%03o", ch);
		else if (ch == '?' && s[1] == '?')
			fputs("?\"\"", f); /* no trigraphs */
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void upper_ident(char *out, size_t size, const char *s)
{
	size_t n = 0;
	bool us = false;
	for (; *s && n + 2 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch)) {
			out[n++] = (char)toupper(ch);
			us = false;
		} else if (!us && n) {
			out[n++] = '_';
			us = true;
		}
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = 0;
}

static const char *const c_reserved[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
	"enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
	"restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
	"union", "unsigned", "void", "volatile", "while", "bool", "true", "false", "cim", "present",
};

/* The C field name of a property. */
static const char *field(const char *name)
{
	static char buf[300];
	for (size_t i = 0; i < sizeof(c_reserved) / sizeof(c_reserved[0]); i++)
		if (!strcmp(name, c_reserved[i])) {
			snprintf(buf, sizeof(buf), "%s_", name);
			return buf;
		}
	return name;
}

static const char *embedded_class(const mof_feature *f, unsigned *flags)
{
	const mof_qual *q = mof_qual_find(&f->quals, "HyperVEmbeddedInstance");
	if (q && q->val.kind == MV_STRING) {
		*flags |= 0x20u;
		return q->val.text;
	}
	q = mof_qual_find(&f->quals, "EmbeddedInstance");
	if (q && q->val.kind == MV_STRING) {
		*flags |= 0x10u;
		return q->val.text;
	}
	if (f->type == MT_INSTANCE)
		return f->ref_class;
	return NULL;
}

static bool qual_true(const mof_feature *f, const char *name)
{
	const mof_qual *q = mof_qual_find(&f->quals, name);
	return q && (q->val.kind == MV_NONE || (q->val.kind == MV_BOOL && q->val.bval));
}

/* Effective CIM type (VSDK_CIM_INSTANCE for embedded instances). */
static int eff_type(const mof_feature *f, const char **cls, unsigned *flags)
{
	*cls = NULL;
	if (f->type == MT_STRING || f->type == MT_INSTANCE) {
		const char *ec = embedded_class(f, flags);
		if (ec) {
			*cls = ec;
			return MT_INSTANCE;
		}
	}
	if (f->type == MT_REF)
		*cls = f->ref_class;
	return f->type;
}

static const char *c_type(int t)
{
	switch (t) {
	case MT_BOOLEAN: return "bool";
	case MT_STRING: return "char *";
	case MT_CHAR16: return "uint16_t";
	case MT_DATETIME: return "vsdk_cim_datetime";
	case MT_UINT8: return "uint8_t";
	case MT_SINT8: return "int8_t";
	case MT_UINT16: return "uint16_t";
	case MT_SINT16: return "int16_t";
	case MT_UINT32: return "uint32_t";
	case MT_SINT32: return "int32_t";
	case MT_UINT64: return "uint64_t";
	case MT_SINT64: return "int64_t";
	case MT_REAL32: case MT_REAL64: return "double";
	case MT_REF: return "vsdk_cim_epr";
	case MT_INSTANCE: return "vsdk_cim_instance *";
	}
	return "void *";
}

static const char *cim_enum(int t)
{
	static const char *const n[] = {
		"VSDK_CIM_NONE", "VSDK_CIM_BOOLEAN", "VSDK_CIM_STRING", "VSDK_CIM_CHAR16",
		"VSDK_CIM_DATETIME", "VSDK_CIM_UINT8", "VSDK_CIM_SINT8", "VSDK_CIM_UINT16",
		"VSDK_CIM_SINT16", "VSDK_CIM_UINT32", "VSDK_CIM_SINT32", "VSDK_CIM_UINT64",
		"VSDK_CIM_SINT64", "VSDK_CIM_REAL32", "VSDK_CIM_REAL64", "VSDK_CIM_REFERENCE",
		"VSDK_CIM_INSTANCE",
	};
	return t >= 0 && t <= MT_INSTANCE ? n[t] : "VSDK_CIM_NONE";
}

static bool is_int_type(int t)
{
	return t == MT_UINT8 || t == MT_SINT8 || t == MT_UINT16 || t == MT_SINT16 || t == MT_UINT32 ||
	       t == MT_SINT32 || t == MT_UINT64 || t == MT_SINT64;
}

/* ValueMap / Values of a feature: arrays of strings, or NULL. */
static bool valuemap(const mof_feature *f, const mof_value **vm, const mof_value **vv)
{
	const mof_qual *a = mof_qual_find(&f->quals, "ValueMap");
	const mof_qual *b = mof_qual_find(&f->quals, "Values");
	*vm = a && a->val.kind == MV_ARRAY ? &a->val : NULL;
	*vv = b && b->val.kind == MV_ARRAY ? &b->val : NULL;
	if (!*vm && *vv)
		return true; /* Values alone: indexes 0..n-1 */
	return *vm != NULL;
}

static const char *vm_value(const mof_value *vm, size_t i, char *tmp, size_t size)
{
	if (vm)
		return i < vm->n && vm->items[i].kind == MV_STRING ? vm->items[i].text : "";
	snprintf(tmp, size, "%zu", i);
	return tmp;
}

static size_t vm_count(const mof_value *vm, const mof_value *vv)
{
	return vm ? vm->n : vv->n;
}

/* ---- header ------------------------------------------------------------- */

static void emit_fields(emitter *e, const mof_feature *const *props, size_t n)
{
	FILE *h = e->h;
	for (size_t i = 0; i < n; i++) {
		const mof_feature *f = props[i];
		const char *cls;
		unsigned fl = 0;
		int t = eff_type(f, &cls, &fl);
		const char *ct = c_type(t);
		bool ptr = ct[strlen(ct) - 1] == '*';
		if (f->array >= 0)
			fprintf(h, "\t%s%s*%s;\n\tsize_t %s_count;\n", ct, ptr ? "" : " ", field(f->name),
				f->name);
		else
			fprintf(h, "\t%s%s%s;\n", ct, ptr ? "" : " ", field(f->name));
	}
	fputs("\tstruct {\n", h);
	if (!n)
		fputs("\t\tbool unused_;\n", h);
	for (size_t i = 0; i < n; i++)
		fprintf(h, "\t\tbool %s;\n", field(props[i]->name));
	fputs("\t} present;\n", h);
}

/* Enum + name function for an integer feature with a ValueMap. */
static void emit_enum(emitter *e, const char *stem, const mof_feature *f, int type)
{
	const mof_value *vm, *vv;
	char tmp[32], up[512], cname[1024];

	if (!is_int_type(type) || !valuemap(f, &vm, &vv))
		return;
	size_t n = vm_count(vm, vv);
	/* only single integer values that fit an int become enumerators */
	size_t usable = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = vm_value(vm, i, tmp, sizeof(tmp));
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 0);
		if (*v && !*end && !errno && x >= INT_MIN && x <= INT_MAX)
			usable++;
	}
	upper_ident(up, sizeof(up), stem);
	if (usable) {
		fprintf(e->h, "/** ValueMap/Values of %s. */\nenum %s_%s {\n", f->name, e->o->prefix, stem);
		char **seen = mof_alloc(n * sizeof(char *));
		size_t n_seen = 0;
		for (size_t i = 0; i < n; i++) {
			const char *v = vm_value(vm, i, tmp, sizeof(tmp));
			char *end;
			errno = 0;
			long long x = strtoll(v, &end, 0);
			if (!*v || *end || errno || x < INT_MIN || x > INT_MAX)
				continue;
			const char *name = vv && i < vv->n && vv->items[i].kind == MV_STRING ? vv->items[i].text : "";
			char nm[256];
			upper_ident(nm, sizeof(nm), name);
			if (!nm[0] || isdigit((unsigned char)nm[0]))
				snprintf(cname, sizeof(cname), "%s_%s_V%s", e->upfx, up, nm[0] ? nm : v);
			else
				snprintf(cname, sizeof(cname), "%s_%s_%s", e->upfx, up, nm);
			for (size_t k = 0; k < n_seen; k++)
				if (!strcmp(seen[k], cname)) {
					size_t l = strlen(cname);
					snprintf(cname + l, sizeof(cname) - l, "_%lld", x < 0 ? -x : x);
					break;
				}
			seen[n_seen++] = mof_strdup(cname);
			fprintf(e->h, "\t%s = %lld,\n", cname, x);
		}
		fputs("};\n", e->h);
	}
	fprintf(e->h, "/** Values name of a %s value; never NULL (\"unknown\" when not in the map). */\n"
		"VSDK_API const char *%s_%s_name(long long value);\n\n", f->name, e->o->prefix, stem);
}

static void emit_header(emitter *e)
{
	FILE *h = e->h;
	const char *p = e->o->prefix;

	fprintf(h, "/* Generated by mofc from %s; DO NOT EDIT */\n", e->o->inputs);
	fprintf(h, "/*\n * Typed C for the %s CIM classes (see vsdk/cim.h for the runtime).\n"
		" * SPDX-License-Identifier: GPL-2.0-or-later\n */\n", e->o->schema_name);
	fprintf(h, "#ifndef %s_GENERATED_H\n#define %s_GENERATED_H\n\n", e->upfx, e->upfx);
	fputs("#include \"vsdk/cim.h\"\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", h);
	fprintf(h, "/** Every class below, sorted by name (for vsdk_cim_class_find()). */\n"
		"VSDK_API extern const vsdk_cim_schema %s_schema;\n\n", p);
	fprintf(h, "/** Resource URI prefix of the classes. */\n#define %s_URI_BASE ", e->upfx);
	cstr(h, e->o->uri_base);
	fputs("\n\n", h);
	for (size_t i = 0; i < e->n_cls; i++) {
		const ecls *k = &e->cls[i];
		const mof_class *c = k->c;
		char up[256];
		upper_ident(up, sizeof(up), c->name);
		fprintf(h, "/* ---- %s%s%s ---- */\n\n", c->name, c->super ? " : " : "",
			c->super ? c->super : "");
		fprintf(h, "/** %s instance (inherited properties included, sorted by name). */\n", c->name);
		fprintf(h, "typedef struct %s_%s {\n\tvsdk_cim_instance cim; /**< cim.cls: the class (may be a subclass) */\n",
			p, c->name);
		emit_fields(e, k->props, k->n_props);
		fprintf(h, "} %s_%s;\n\n", p, c->name);
		fprintf(h, "VSDK_API extern const vsdk_cim_class %s_%s_class;\n", p, c->name);
		fprintf(h, "/** WS-Man resource URI of %s. */\n#define %s_%s_URI ", c->name, e->upfx, up);
		char uri[1024];
		snprintf(uri, sizeof(uri), "%s%s", e->o->uri_base, c->name);
		cstr(h, uri);
		fputs("\n", h);
		fprintf(h, "/** Allocate a zeroed instance; VSDK_OK or VSDK_ENOMEM. */\n"
			"static inline int %s_%s_new(%s_%s **out)\n{\n"
			"\treturn vsdk_cim_new((vsdk_cim_instance **)out, &%s_%s_class);\n}\n",
			p, c->name, p, c->name, p, c->name);
		fprintf(h, "/** Free an instance (NULL accepted). */\n"
			"static inline void %s_%s_free(%s_%s *inst)\n{\n"
			"\tvsdk_cim_free((vsdk_cim_instance *)inst);\n}\n\n",
			p, c->name, p, c->name);
		for (size_t j = 0; j < k->n_props; j++) {
			const mof_feature *f = k->props[j];
			char stem[512];
			const char *cls;
			unsigned fl = 0;
			snprintf(stem, sizeof(stem), "%s_%s", c->name, f->name);
			emit_enum(e, stem, f, eff_type(f, &cls, &fl));
		}
		if (k->n_methods)
			fprintf(h, "VSDK_API extern const vsdk_cim_method %s_%s_methods[%zu];\n\n", p, c->name,
				k->n_methods);
		for (size_t m = 0; m < k->n_methods; m++) {
			const mof_feature *f = k->methods[m];
			const mof_feature **in = mof_alloc((f->n_params + 1) * sizeof(*in));
			const mof_feature **out = mof_alloc((f->n_params + 2) * sizeof(*out));
			size_t nin = 0, nout = 0;
			for (size_t q = 0; q < f->n_params; q++) {
				bool qi = qual_true(&f->params[q], "In"), qo = qual_true(&f->params[q], "Out");
				if (qi || !qo)
					in[nin++] = &f->params[q];
				if (qo)
					out[nout++] = &f->params[q];
			}
			mof_feature *rv = mof_alloc(sizeof(*rv));
			*rv = *f;
			rv->name = "ReturnValue";
			rv->is_method = false;
			rv->n_params = 0;
			rv->array = -1;
			out[nout++] = rv;
			qsort(in, nin, sizeof(*in), feat_cmp);
			qsort(out, nout, sizeof(*out), feat_cmp);
			fprintf(h, "/** %s.%s() input parameters. */\ntypedef struct %s_%s_%s_in {\n", c->name,
				f->name, p, c->name, f->name);
			emit_fields(e, in, nin);
			fprintf(h, "} %s_%s_%s_in;\n\n", p, c->name, f->name);
			fprintf(h, "/** %s.%s() output parameters (ReturnValue included). */\n"
				"typedef struct %s_%s_%s_out {\n", c->name, f->name, p, c->name, f->name);
			emit_fields(e, out, nout);
			fprintf(h, "} %s_%s_%s_out;\n\n", p, c->name, f->name);
			fprintf(h, "/** The %s.%s method table. */\n#define %s_%s_%s_method (&%s_%s_methods[%zu])\n",
				c->name, f->name, p, c->name, f->name, p, c->name, m);
			fprintf(h, "/**\n * @brief Invoke %s.%s on @p target through @p t (see vsdk_cim_invoke()).\n"
				" * @param out zeroed first; clear with vsdk_cim_clear(%s_%s_%s_method->out, out).\n"
				" * @return VSDK_OK when the method returned (then see out->ReturnValue), else VSDK_E*.\n */\n",
				c->name, f->name, p, c->name, f->name);
			fprintf(h, "VSDK_API int %s_%s_%s(const vsdk_cim_transport *t, const vsdk_cim_epr *target,\n"
				"\tconst %s_%s_%s_in *in, %s_%s_%s_out *out);\n",
				p, c->name, f->name, p, c->name, f->name, p, c->name, f->name);
			char stem[512];
			const char *cls;
			unsigned fl = 0;
			snprintf(stem, sizeof(stem), "%s_%s_ReturnValue", c->name, f->name);
			emit_enum(e, stem, rv, rv->type);
			for (size_t q = 0; q < nin; q++) {
				snprintf(stem, sizeof(stem), "%s_%s_%s", c->name, f->name, in[q]->name);
				emit_enum(e, stem, in[q], eff_type(in[q], &cls, &fl));
			}
			fputs("\n", h);
		}
	}
	fputs("#ifdef __cplusplus\n}\n#endif\n#endif\n", h);
}

/* ---- tables ------------------------------------------------------------- */

static void emit_valuemap(emitter *e, const char *stem, const mof_feature *f)
{
	const mof_value *vm, *vv;
	char tmp[32];
	if (!valuemap(f, &vm, &vv))
		return;
	size_t n = vm_count(vm, vv);
	fprintf(e->c, "static const char *const vmv_%s[] = {", stem);
	for (size_t i = 0; i < n; i++) {
		fputs(i % 6 ? " " : "\n\t", e->c);
		cstr(e->c, vm_value(vm, i, tmp, sizeof(tmp)));
		fputc(',', e->c);
	}
	fprintf(e->c, "\n};\nstatic const char *const vmn_%s[] = {", stem);
	for (size_t i = 0; i < n; i++) {
		fputs(i % 4 ? " " : "\n\t", e->c);
		cstr(e->c, vv && i < vv->n && vv->items[i].kind == MV_STRING ? vv->items[i].text : "");
		fputc(',', e->c);
	}
	fprintf(e->c, "\n};\nstatic const vsdk_cim_valuemap vm_%s = { %zu, vmv_%s, vmn_%s };\n", stem, n,
		stem, stem);
}

static void emit_props(emitter *e, const char *stem, const char *ctype, const mof_feature *const *props,
		       size_t n, unsigned extra_flags)
{
	for (size_t i = 0; i < n; i++) {
		char s2[600];
		snprintf(s2, sizeof(s2), "%s_%s", stem, props[i]->name);
		emit_valuemap(e, s2, props[i]);
	}
	if (!n)
		return;
	fprintf(e->c, "static const vsdk_cim_prop props_%s[] = {\n", stem);
	for (size_t i = 0; i < n; i++) {
		const mof_feature *f = props[i];
		const char *cls;
		unsigned fl = extra_flags;
		int t = eff_type(f, &cls, &fl);
		const mof_value *vm, *vv;
		if (f->array >= 0)
			fl |= 0x01u;
		if (qual_true(f, "Key"))
			fl |= 0x02u;
		if (!f->is_method && f->n_params == 0 && !strcmp(f->name, "ReturnValue") && (extra_flags & 0x08u))
			fl |= 0x80u;
		if (extra_flags & 0x0Cu) { /* parameters: actual direction */
			fl &= ~0x0Cu;
			if (qual_true(f, "In"))
				fl |= 0x04u;
			if (qual_true(f, "Out") || (fl & 0x80u))
				fl |= 0x08u;
		}
		if (qual_true(f, "Required"))
			fl |= 0x40u;
		fprintf(e->c, "\t{ ");
		cstr(e->c, f->name);
		fprintf(e->c, ", %s, 0x%02xu, ", cim_enum(t), fl);
		cstr(e->c, cls);
		fprintf(e->c, ",\n\t  offsetof(%s, %s), ", ctype, field(f->name));
		if (f->array >= 0)
			fprintf(e->c, "offsetof(%s, %s_count), ", ctype, f->name);
		else
			fputs("0, ", e->c);
		fprintf(e->c, "offsetof(%s, present.%s), ", ctype, field(f->name));
		if (valuemap(f, &vm, &vv))
			fprintf(e->c, "&vm_%s_%s },\n", stem, f->name);
		else
			fputs("NULL },\n", e->c);
	}
	fputs("};\n", e->c);
}

static void emit_name_fn(emitter *e, const char *stem, const mof_feature *f, int type, const char *vmstem)
{
	const mof_value *vm, *vv;
	if (!is_int_type(type) || !valuemap(f, &vm, &vv))
		return;
	fprintf(e->c, "VSDK_API const char *%s_%s_name(long long value)\n{\n"
		"\tconst char *s = vsdk_cim_valuemap_name(&vm_%s, value);\n\treturn s ? s : \"unknown\";\n}\n\n",
		e->o->prefix, stem, vmstem);
}

static void emit_source(emitter *e)
{
	FILE *c = e->c;
	const char *p = e->o->prefix;

	fprintf(c, "/* Generated by mofc from %s; DO NOT EDIT */\n", e->o->inputs);
	fprintf(c, "/*\n * Type-info tables for the %s CIM classes.\n"
		" * SPDX-License-Identifier: GPL-2.0-or-later\n */\n", e->o->schema_name);
	fprintf(c, "#include \"%s.h\"\n\n#include <stddef.h>\n\n", e->o->base);
	for (size_t i = 0; i < e->n_cls; i++) {
		const ecls *k = &e->cls[i];
		const mof_class *cl = k->c;
		char ctype[300];
		char up[256];
		upper_ident(up, sizeof(up), cl->name);
		snprintf(ctype, sizeof(ctype), "%s_%s", p, cl->name);
		fprintf(c, "/* ---- %s ---- */\n\n", cl->name);
		emit_props(e, cl->name, ctype, k->props, k->n_props, 0);
		fprintf(c, "static const char *const anc_%s[] = {", cl->name);
		for (const mof_class *a = cl->parent; a; a = a->parent) {
			fputc(' ', c);
			cstr(c, a->name);
			fputc(',', c);
		}
		fputs(" NULL };\n", c);
		/* methods: parameter pseudo-classes */
		for (size_t m = 0; m < k->n_methods; m++) {
			const mof_feature *f = k->methods[m];
			const mof_feature **in = mof_alloc((f->n_params + 1) * sizeof(*in));
			const mof_feature **out = mof_alloc((f->n_params + 2) * sizeof(*out));
			size_t nin = 0, nout = 0;
			for (size_t q = 0; q < f->n_params; q++) {
				bool qi = qual_true(&f->params[q], "In"), qo = qual_true(&f->params[q], "Out");
				if (qi || !qo)
					in[nin++] = &f->params[q];
				if (qo)
					out[nout++] = &f->params[q];
			}
			mof_feature *rv = mof_alloc(sizeof(*rv));
			*rv = *f;
			rv->name = "ReturnValue";
			rv->is_method = false;
			rv->n_params = 0;
			rv->array = -1;
			out[nout++] = rv;
			qsort(in, nin, sizeof(*in), feat_cmp);
			qsort(out, nout, sizeof(*out), feat_cmp);
			char stem[600], ct[600], nm[600];
			snprintf(stem, sizeof(stem), "%s_%s_in", cl->name, f->name);
			snprintf(ct, sizeof(ct), "%s_%s_%s_in", p, cl->name, f->name);
			emit_props(e, stem, ct, in, nin, 0x04u);
			snprintf(nm, sizeof(nm), "%s_INPUT", f->name);
			fprintf(c, "static const vsdk_cim_class pcls_%s = {\n\t", stem);
			cstr(c, nm);
			fprintf(c, ", NULL, &%s_schema, %s_%s_URI, sizeof(%s), VSDK_CIM_C_PARAMS,\n", p, e->upfx,
				up, ct);
			if (nin)
				fprintf(c, "\tprops_%s, %zu, NULL, 0, NULL\n};\n", stem, nin);
			else
				fputs("\tNULL, 0, NULL, 0, NULL\n};\n", c);
			snprintf(stem, sizeof(stem), "%s_%s_out", cl->name, f->name);
			snprintf(ct, sizeof(ct), "%s_%s_%s_out", p, cl->name, f->name);
			emit_props(e, stem, ct, out, nout, 0x08u);
			snprintf(nm, sizeof(nm), "%s_OUTPUT", f->name);
			fprintf(c, "static const vsdk_cim_class pcls_%s = {\n\t", stem);
			cstr(c, nm);
			fprintf(c, ", NULL, &%s_schema, %s_%s_URI, sizeof(%s), VSDK_CIM_C_PARAMS,\n", p, e->upfx,
				up, ct);
			fprintf(c, "\tprops_%s, %zu, NULL, 0, NULL\n};\n", stem, nout);
		}
		if (k->n_methods) {
			fprintf(c, "const vsdk_cim_method %s_%s_methods[%zu] = {\n", p, cl->name, k->n_methods);
			for (size_t m = 0; m < k->n_methods; m++) {
				const mof_feature *f = k->methods[m];
				fputs("\t{ ", c);
				cstr(c, f->name);
				fprintf(c, ", &%s_%s_class, &pcls_%s_%s_in, &pcls_%s_%s_out },\n", p, cl->name,
					cl->name, f->name, cl->name, f->name);
			}
			fputs("};\n", c);
		}
		unsigned cf = 0;
		for (const mof_class *a = cl; a; a = a->parent)
			if (mof_qual_find(&a->quals, "Association"))
				cf |= 1;
		if (mof_qual_find(&cl->quals, "Abstract"))
			cf |= 2;
		fprintf(c, "VSDK_API const vsdk_cim_class %s_%s_class = {\n\t", p, cl->name);
		cstr(c, cl->name);
		fputs(", ", c);
		cstr(c, cl->super);
		fprintf(c, ", &%s_schema, %s_%s_URI,\n\tsizeof(%s_%s), 0x%xu, ", p, e->upfx, up, p, cl->name, cf);
		if (k->n_props)
			fprintf(c, "props_%s, %zu, ", cl->name, k->n_props);
		else
			fputs("NULL, 0, ", c);
		if (k->n_methods)
			fprintf(c, "%s_%s_methods, %zu, ", p, cl->name, k->n_methods);
		else
			fputs("NULL, 0, ", c);
		fprintf(c, "anc_%s\n};\n\n", cl->name);
		/* enum name functions */
		for (size_t j = 0; j < k->n_props; j++) {
			const mof_feature *f = k->props[j];
			char stem[600];
			const char *cls;
			unsigned fl = 0;
			snprintf(stem, sizeof(stem), "%s_%s", cl->name, f->name);
			emit_name_fn(e, stem, f, eff_type(f, &cls, &fl), stem);
		}
		for (size_t m = 0; m < k->n_methods; m++) {
			const mof_feature *f = k->methods[m];
			char stem[600], vst[600];
			const char *cls;
			unsigned fl = 0;
			fprintf(c, "VSDK_API int %s_%s_%s(const vsdk_cim_transport *t, const vsdk_cim_epr *target,\n"
				"\tconst %s_%s_%s_in *in, %s_%s_%s_out *out)\n{\n"
				"\treturn vsdk_cim_invoke(t, %s_%s_%s_method, target, in, out);\n}\n\n",
				p, cl->name, f->name, p, cl->name, f->name, p, cl->name, f->name, p, cl->name,
				f->name);
			snprintf(stem, sizeof(stem), "%s_%s_ReturnValue", cl->name, f->name);
			snprintf(vst, sizeof(vst), "%s_%s_out_ReturnValue", cl->name, f->name);
			emit_name_fn(e, stem, f, f->type, vst);
			for (size_t q = 0; q < f->n_params; q++) {
				const mof_feature *pa = &f->params[q];
				if (!(qual_true(pa, "In") || !qual_true(pa, "Out")))
					continue;
				snprintf(stem, sizeof(stem), "%s_%s_%s", cl->name, f->name, pa->name);
				snprintf(vst, sizeof(vst), "%s_%s_in_%s", cl->name, f->name, pa->name);
				emit_name_fn(e, stem, pa, eff_type(pa, &cls, &fl), vst);
			}
		}
	}
	fprintf(c, "static const vsdk_cim_class *const all_classes[] = {\n");
	for (size_t i = 0; i < e->n_cls; i++)
		fprintf(c, "\t&%s_%s_class,\n", p, e->cls[i].c->name);
	fprintf(c, "};\n\nVSDK_API const vsdk_cim_schema %s_schema = {\n\t", p);
	cstr(c, e->o->schema_name);
	fputs(", ", c);
	cstr(c, e->o->uri_base);
	fprintf(c, ",\n\tall_classes, %zu\n};\n", e->n_cls);
}

static FILE *open_out(const char *dir, const char *base, const char *ext, char *tmp, size_t size)
{
	snprintf(tmp, size, "%s/%s%s.tmp", dir, base, ext);
	FILE *f = fopen(tmp, "w");
	if (!f)
		fprintf(stderr, "mofc: cannot write %s: %s\n", tmp, strerror(errno));
	return f;
}

static int finish(FILE *f, const char *tmp)
{
	int bad = ferror(f);
	if (fclose(f) || bad) {
		fprintf(stderr, "mofc: write error on %s\n", tmp);
		remove(tmp);
		return 1;
	}
	char final[4096];
	snprintf(final, sizeof(final), "%.*s", (int)(strlen(tmp) - 4), tmp);
	if (rename(tmp, final)) {
		fprintf(stderr, "mofc: cannot rename %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	return 0;
}

static bool c_ident(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_') || (unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Every name that becomes part of a C identifier must be one. */
static bool check_names(const mof_class *c)
{
	bool ok = c_ident(c->name);
	if (!ok)
		fprintf(stderr, "%s:%d:%d: error: class name '%s' cannot be a C identifier\n", c->loc.file,
			c->loc.line, c->loc.col, c->name);
	for (size_t i = 0; i < c->n_all; i++) {
		const mof_feature *f = &c->all[i];
		bool fok = c_ident(f->name);
		for (size_t j = 0; j < f->n_params; j++)
			fok &= c_ident(f->params[j].name);
		if (!fok)
			fprintf(stderr, "%s:%d:%d: error: a name in '%s' cannot be a C identifier\n", f->loc.file,
				f->loc.line, f->loc.col, f->name);
		ok &= fok;
	}
	return ok;
}

int mof_emit(mof_repo *r, const mof_emit_options *o)
{
	emitter e;
	memset(&e, 0, sizeof(e));
	e.r = r;
	e.o = o;
	upper_ident(e.upfx, sizeof(e.upfx), o->prefix);
	e.cls = mof_alloc((o->n_classes + 1) * sizeof(*e.cls));
	for (size_t i = 0; i < o->n_classes; i++) {
		mof_class *c = mof_class_find(r, o->classes[i]);
		if (!c) {
			fprintf(stderr, "mofc: class %s (in the class list) is not defined\n", o->classes[i]);
			return 1;
		}
		if (!check_names(c))
			return 1;
		bool dup = false;
		for (size_t j = 0; j < e.n_cls; j++)
			dup |= e.cls[j].c == c;
		if (!dup)
			e.cls[e.n_cls++].c = c;
	}
	qsort(e.cls, e.n_cls, sizeof(*e.cls), ecls_cmp);
	for (size_t i = 0; i < e.n_cls; i++) {
		ecls *k = &e.cls[i];
		k->props = mof_alloc((k->c->n_all + 1) * sizeof(*k->props));
		k->methods = mof_alloc((k->c->n_all + 1) * sizeof(*k->methods));
		for (size_t j = 0; j < k->c->n_all; j++) {
			const mof_feature *f = &k->c->all[j];
			if (!f->is_method) {
				k->props[k->n_props++] = f;
				continue;
			}
			/* a method of an emitted ancestor is reached through that class */
			bool own = f->origin == k->c;
			if (!own && f->origin && !find_emitted(&e, f->origin->name))
				own = true;
			if (own)
				k->methods[k->n_methods++] = f;
		}
		qsort(k->props, k->n_props, sizeof(*k->props), feat_cmp);
		qsort(k->methods, k->n_methods, sizeof(*k->methods), feat_cmp);
	}
	char th[4096], tc[4096];
	e.h = open_out(o->dir, o->base, ".h", th, sizeof(th));
	if (!e.h)
		return 1;
	e.c = open_out(o->dir, o->base, ".c", tc, sizeof(tc));
	if (!e.c) {
		fclose(e.h);
		remove(th);
		return 1;
	}
	emit_header(&e);
	emit_source(&e);
	int rc = finish(e.h, th);
	rc |= finish(e.c, tc);
	return rc;
}
