/*
 * vim25fix - post-process soapcpp2's C output for vim25 (in place).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: vim25fix INPUT_NAME FILE...
 *
 * The stubs are generated with `wsdl2h -c -F -P -d` and read with
 * SOAP_DOM_NODE, which already decodes nested xsi:type values in anyType
 * (DynamicProperty.val, TaskInfo.result, ...) and writes xsi:type on the
 * anyType values we send.  What remains is fixed here, each as a mechanical
 * rewrite that must match at least once (so a gSOAP update that changes the
 * generated shape fails the build instead of silently losing the fix):
 *
 *  1. detail: the generic member of SOAP_ENV__Detail only accepts an element
 *     literally named "fault", so faults that no operation declares (e.g.
 *     <NotAuthenticatedFault xsi:type="NotAuthenticated">) arrived as raw XML.
 *     It now accepts any element name and dispatches on xsi:type, and the
 *     per-fault members are bypassed, so every fault arrives the same way:
 *     detail->__type (SOAP_TYPE_vim25__X) and detail->fault (struct X *),
 *     whichever faults a WSDL version declares on its operations.
 *  2. unknown-type: a base-type deserializer that meets an xsi:type it does
 *     not know (a newer server's device or fault type) failed the whole
 *     response with SOAP_TYPE.  It now decodes the element as that base,
 *     ignoring the members it does not know.
 *  3. unknown-enum: an enumeration value this build does not know (a newer
 *     server's value) failed the whole response.  It now decodes as -1,
 *     which the SDK reports as "unknown".
 *
 * Every file also gets a first line naming its input and saying DO NOT EDIT,
 * and wsdl2h's time stamp is removed, so two runs are byte-identical.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 1 << 20;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			fprintf(stderr, "vim25fix: out of memory\n");
			exit(1);
		}
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "vim25fix: cannot read %s\n", path);
		exit(1);
	}
	s = malloc((size_t)n + 1);
	if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "vim25fix: cannot read %s\n", path);
		exit(1);
	}
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

static const char *DETAIL_OLD = "soap_getelement(soap, \"fault\", &a->__type)";
static const char *DETAIL_NEW = "soap_getelement(soap, NULL, &a->__type) /* vsdk fixup: detail */";

/* End of the "if (err == SOAP_TYPE) { try each subtype }" block. */
static const char *UNKNOWN_OLD =
	"\t\treturn NULL;\n\t}\n\tif (soap->body && *soap->href != '#')";
static const char *UNKNOWN_NEW =
	"\t\tif (soap->error != SOAP_TYPE)\n"
	"\t\t\treturn NULL;\n"
	"\t\tsoap->error = SOAP_OK; /* vsdk fixup: unknown-type, decode as this base */\n"
	"\t\tif (soap_element_begin_in(soap, tag, 0, NULL)) /* the peeked element: enter it now */\n"
	"\t\t\treturn NULL;\n"
	"\t}\n\tif (soap->body && *soap->href != '#')";

/* In soap_s2vim25__<Enum>(): an unknown value. */
static const char *ENUM_OLD =
	"\t\tif (soap_s2int(soap, s, &n) || n < 0 || n > ";
static const char *ENUM_RET = "\t\t\treturn soap->error = SOAP_TYPE;\n";
static const char *ENUM_NEW = "\t\t\t{ *a = -1; return SOAP_OK; } /* vsdk fixup: unknown-enum */\n";

static const char *DETAIL_FN = "soap_in_SOAP_ENV__Detail(struct soap *soap, const char *tag";
static const char *DETAIL_MEMBER_OLD = "\t\t\tif (soap_flag_vim25__";
static const char *DETAIL_MEMBER_NEW = "\t\t\tif (0 && soap_flag_vim25__";

static size_t n_detail_members;
static size_t n_detail, n_unknown, n_enum, n_enum_types;

/* Is pos inside a soap_s2vim25__ function?  Look back for the last definition. */
static int in_vim25_s2(const char *text, const char *pos)
{
	const char *p = pos;

	while (p > text) {
		p--;
		if (*p == '\n' && strncmp(p + 1, "SOAP_FMAC3", 10) == 0)
			return strstr(p + 1, " soap_s2vim25__") &&
			       strstr(p + 1, " soap_s2vim25__") < strchr(p + 1, '\n');
	}
	return 0;
}

/*
 * wsdl2h and soapcpp2 write "YYYY-MM-DD hh:mm:ss GMT" near the top of each
 * file; blank it so two runs are byte-identical.
 */
static void strip_time_stamps(char *text)
{
	size_t lim = strnlen(text, 4096);

	for (char *g = text + 19; g + 4 <= text + lim; g++) {
		char *t = g - 19;

		if (strncmp(g, " GMT", 4) == 0 && t[4] == '-' && t[7] == '-' && t[10] == ' ' &&
		    t[13] == ':' && t[16] == ':')
			memcpy(t, "0000-00-00 00:00:00", 19);
	}
}

static void fix_file(const char *path, const char *input)
{
	size_t len;
	char *text = slurp(path, &len), *p = text;
	struct buf out = { 0 };
	char header[1024];
	FILE *f;

	if (strstr(text, "vsdk fixup") || strncmp(text, "/* Generated by", 15) == 0) {
		fprintf(stderr, "vim25fix: %s is already fixed up\n", path);
		exit(1);
	}
	snprintf(header, sizeof(header),
		 "/* Generated by gSOAP (wsdl2h -c -F -P -d, soapcpp2 -c) and generator/vim25fix from %s; DO NOT EDIT */\n",
		 input);
	put(&out, header, strlen(header));

	strip_time_stamps(text);
	for (const char *c = text; (c = strstr(c, "soap_codes_vim25__")); c++)
		if (c - text >= 34 && strncmp(c - 34, "static const struct soap_code_map ", 34) == 0)
			n_enum_types++;
	while (*p) {
		const char *fn = strstr(p, DETAIL_FN);
		const char *d = strstr(p, DETAIL_OLD);
		const char *u = strstr(p, UNKNOWN_OLD);
		const char *e = strstr(p, ENUM_OLD);
		const char *next = NULL;
		int which = 0;

		if (fn && (!next || fn < next)) { next = fn; which = 5; }
		if (d && (!next || d < next)) { next = d; which = 1; }
		if (u && (!next || u < next)) { next = u; which = 2; }
		if (e && (!next || e < next)) { next = e; which = 3; }
		if (!next) {
			put(&out, p, strlen(p));
			break;
		}
		put(&out, p, (size_t)(next - p));
		switch (which) {
		case 1:
			put(&out, DETAIL_NEW, strlen(DETAIL_NEW));
			p = (char *)next + strlen(DETAIL_OLD);
			n_detail++;
			break;
		case 5: {
			/* Within the Detail deserializer, bypass the named members. */
			const char *end = strstr(next, "\n}\n");
			const char *q = next;

			if (!end)
				end = next + strlen(next);
			for (const char *m; (m = strstr(q, DETAIL_MEMBER_OLD)) && m < end; q = m + strlen(DETAIL_MEMBER_OLD)) {
				put(&out, q, (size_t)(m - q));
				put(&out, DETAIL_MEMBER_NEW, strlen(DETAIL_MEMBER_NEW));
				n_detail_members++;
			}
			/* Copy up to the generic member's call, which case 1 rewrites. */
			{
				const char *g = strstr(q, DETAIL_OLD);

				if (!g || g > end)
					g = end;
				put(&out, q, (size_t)(g - q));
				p = (char *)g;
			}
			break;
		}
		case 2:
			put(&out, UNKNOWN_NEW, strlen(UNKNOWN_NEW));
			p = (char *)next + strlen(UNKNOWN_OLD);
			n_unknown++;
			break;
		case 3: {
			const char *eol = strchr(next, '\n');

			put(&out, next, (size_t)(eol + 1 - next));
			p = (char *)eol + 1;
			if (strncmp(p, ENUM_RET, strlen(ENUM_RET)) == 0 && in_vim25_s2(text, next)) {
				put(&out, ENUM_NEW, strlen(ENUM_NEW));
				p += strlen(ENUM_RET);
				n_enum++;
			}
			break;
		}
		}
	}
	f = fopen(path, "wb");
	if (!f || fwrite(out.p, 1, out.n, f) != out.n || fclose(f) != 0) {
		fprintf(stderr, "vim25fix: cannot write %s\n", path);
		exit(1);
	}
	free(out.p);
	free(text);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vim25fix INPUT_NAME FILE...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		fix_file(argv[i], argv[1]);
	fprintf(stderr, "vim25fix: detail %zu (%zu fault members bypassed), unknown-type %zu, unknown-enum %zu (of %zu enum types)\n",
		n_detail, n_detail_members, n_unknown, n_enum, n_enum_types);
	if (n_detail < 1 || n_unknown < 1 || (n_enum_types > 0 && n_enum < 1)) {
		fprintf(stderr, "vim25fix: a fix-up matched nothing: the generated code changed shape; "
			"review generator/vim25fix.c against this gSOAP version\n");
		return 1;
	}
	return 0;
}
