/*
 * vsdk - CIM runtime core: table lookups, value maps, datetimes, EPRs, freeing.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include "cim_private.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	"none", "boolean", "string", "char16", "datetime", "uint8", "sint8", "uint16", "sint16",
	"uint32", "sint32", "uint64", "sint64", "real32", "real64", "reference", "instance",
};

VSDK_API const char *vsdk_cim_type_name(vsdk_cim_type type)
{
	if ((int)type < 0 || (size_t)type >= sizeof(type_names) / sizeof(type_names[0]))
		return "unknown";
	return type_names[type];
}

size_t vsdk__cim_elem_size(vsdk_cim_type type)
{
	switch (type) {
	case VSDK_CIM_BOOLEAN: return sizeof(bool);
	case VSDK_CIM_STRING: return sizeof(char *);
	case VSDK_CIM_CHAR16: return sizeof(uint16_t);
	case VSDK_CIM_DATETIME: return sizeof(vsdk_cim_datetime);
	case VSDK_CIM_UINT8: case VSDK_CIM_SINT8: return 1;
	case VSDK_CIM_UINT16: case VSDK_CIM_SINT16: return 2;
	case VSDK_CIM_UINT32: case VSDK_CIM_SINT32: return 4;
	case VSDK_CIM_UINT64: case VSDK_CIM_SINT64: return 8;
	case VSDK_CIM_REAL32: case VSDK_CIM_REAL64: return sizeof(double);
	case VSDK_CIM_REFERENCE: return sizeof(vsdk_cim_epr);
	case VSDK_CIM_INSTANCE: return sizeof(vsdk_cim_instance *);
	default: return 0;
	}
}

/* ---- lookups -------------------------------------------------------------- */

VSDK_API const vsdk_cim_class *vsdk_cim_class_find(const vsdk_cim_schema *schema, const char *name)
{
	if (!schema || !name)
		return NULL;
	size_t lo = 0, hi = schema->n_classes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = vsdk__strcasecmp(name, schema->classes[mid]->name);
		if (!d)
			return schema->classes[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

VSDK_API const vsdk_cim_prop *vsdk_cim_prop_find(const vsdk_cim_class *cls, const char *name)
{
	if (!cls || !name)
		return NULL;
	size_t lo = 0, hi = cls->n_props;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = vsdk__strcasecmp(name, cls->props[mid].name);
		if (!d)
			return &cls->props[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

VSDK_API const vsdk_cim_method *vsdk_cim_method_find(const vsdk_cim_class *cls, const char *name)
{
	for (int guard = 0; cls && name && guard < 64; guard++) {
		for (size_t i = 0; i < cls->n_methods; i++)
			if (vsdk__streq_ci(cls->methods[i].name, name))
				return &cls->methods[i];
		if (!cls->superclass || !cls->schema)
			break;
		cls = vsdk_cim_class_find(cls->schema, cls->superclass);
	}
	return NULL;
}

VSDK_API bool vsdk_cim_class_is_a(const vsdk_cim_class *cls, const char *name)
{
	if (!cls || !name)
		return false;
	if (vsdk__streq_ci(cls->name, name))
		return true;
	for (size_t i = 0; cls->ancestors && cls->ancestors[i]; i++)
		if (vsdk__streq_ci(cls->ancestors[i], name))
			return true;
	return false;
}

/* A ValueMap entry: "5", "0x8000", "12..32767", "..", "0x8000..". */
static bool vm_match(const char *s, long long v)
{
	const char *dots = strstr(s, "..");
	char *end;
	if (!dots) {
		errno = 0;
		long long x = strtoll(s, &end, 0);
		return *s && !*end && !errno && x == v;
	}
	long long lo = LLONG_MIN, hi = LLONG_MAX;
	if (dots > s) {
		errno = 0;
		lo = strtoll(s, &end, 0);
		if (end != dots || errno)
			return false;
	}
	if (dots[2]) {
		errno = 0;
		hi = strtoll(dots + 2, &end, 0);
		if (*end || errno)
			return false;
	}
	if (dots == s && !dots[2])
		return false; /* a bare ".." (gap) names nothing we can place */
	return v >= lo && v <= hi;
}

VSDK_API const char *vsdk_cim_valuemap_name(const vsdk_cim_valuemap *vm, long long value)
{
	if (!vm)
		return NULL;
	/* exact values win over ranges */
	for (size_t i = 0; i < vm->n; i++)
		if (!strstr(vm->values[i], "..") && vm_match(vm->values[i], value))
			return vm->names[i];
	for (size_t i = 0; i < vm->n; i++)
		if (strstr(vm->values[i], "..") && vm_match(vm->values[i], value))
			return vm->names[i];
	return NULL;
}

VSDK_API const char *vsdk_cim_value_name(const vsdk_cim_prop *prop, long long value)
{
	return prop ? vsdk_cim_valuemap_name(prop->valuemap, value) : NULL;
}

VSDK_API bool vsdk_cim_is_present(const vsdk_cim_prop *prop, const void *data)
{
	return prop && data && *vsdk__cim_present(prop, data);
}

/* ---- memory ---------------------------------------------------------------- */

void vsdk__cim_value_free(vsdk_cim_type type, void *ptr)
{
	switch (type) {
	case VSDK_CIM_STRING:
		free(*(char **)ptr);
		*(char **)ptr = NULL;
		break;
	case VSDK_CIM_DATETIME:
		vsdk_cim_datetime_clear(ptr);
		break;
	case VSDK_CIM_REFERENCE:
		vsdk_cim_epr_clear(ptr);
		break;
	case VSDK_CIM_INSTANCE:
		vsdk_cim_free(*(vsdk_cim_instance **)ptr);
		*(vsdk_cim_instance **)ptr = NULL;
		break;
	default:
		break;
	}
}

void *vsdk__cim_array_push(const vsdk_cim_prop *p, void *data)
{
	void **arr = vsdk__cim_field(data, p->offset);
	size_t *count = vsdk__cim_count(p, data);
	size_t es = vsdk__cim_elem_size(p->type);
	size_t n = *count;

	if (!es)
		return NULL;
	if (n == 0 || (n >= 4 && !(n & (n - 1)))) {
		size_t cap = n ? n * 2 : 4;
		if (cap > SIZE_MAX / es)
			return NULL;
		void *np = realloc(*arr, cap * es);
		if (!np)
			return NULL;
		*arr = np;
	}
	void *slot = (char *)*arr + n * es;
	memset(slot, 0, es);
	*count = n + 1;
	return slot;
}

VSDK_API void vsdk_cim_clear(const vsdk_cim_class *cls, void *data)
{
	if (!cls || !data)
		return;
	for (size_t i = 0; i < cls->n_props; i++) {
		const vsdk_cim_prop *p = &cls->props[i];
		void *f = vsdk__cim_field(data, p->offset);
		if (p->flags & VSDK_CIM_F_ARRAY) {
			size_t *count = vsdk__cim_count(p, data);
			char *arr = *(char **)f;
			size_t es = vsdk__cim_elem_size(p->type);
			for (size_t j = 0; arr && j < *count; j++)
				vsdk__cim_value_free(p->type, arr + j * es);
			free(arr);
			*(char **)f = NULL;
			*count = 0;
		} else {
			vsdk__cim_value_free(p->type, f);
		}
	}
	if (cls->flags & VSDK_CIM_C_PARAMS) {
		memset(data, 0, cls->size);
	} else {
		const vsdk_cim_class *keep = ((vsdk_cim_instance *)data)->cls;
		memset(data, 0, cls->size);
		((vsdk_cim_instance *)data)->cls = keep;
	}
}

VSDK_API int vsdk_cim_new(vsdk_cim_instance **out, const vsdk_cim_class *cls)
{
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_new: out is NULL");
	*out = NULL;
	if (!cls || (cls->flags & VSDK_CIM_C_PARAMS) || cls->size < sizeof(vsdk_cim_instance))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_new: cls is NULL or not an instance class");
	vsdk_cim_instance *inst = calloc(1, cls->size);
	if (!inst)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory allocating a %s", cls->name);
	inst->cls = cls;
	*out = inst;
	return VSDK_OK;
}

VSDK_API void vsdk_cim_free(vsdk_cim_instance *inst)
{
	if (!inst)
		return;
	if (inst->cls)
		vsdk_cim_clear(inst->cls, inst);
	free(inst);
}

/* ---- EPRs ------------------------------------------------------------------ */

VSDK_API void vsdk_cim_epr_clear(vsdk_cim_epr *epr)
{
	if (!epr)
		return;
	free(epr->address);
	free(epr->resource_uri);
	for (size_t i = 0; i < epr->n_selectors; i++) {
		free(epr->selectors[i].name);
		free(epr->selectors[i].value);
	}
	free(epr->selectors);
	memset(epr, 0, sizeof(*epr));
}

VSDK_API int vsdk_cim_epr_add_selector(vsdk_cim_epr *epr, const char *name, const char *value)
{
	if (!epr || !name || !value)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_epr_add_selector: %s is NULL",
				       !epr ? "epr" : !name ? "name" : "value");
	if (epr->n_selectors >= 4096)
		return vsdk__error_set(VSDK_ELIMIT, "too many selectors in an EPR");
	vsdk_cim_selector *ns = realloc(epr->selectors, (epr->n_selectors + 1) * sizeof(*ns));
	if (!ns)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory adding a selector");
	epr->selectors = ns;
	char *n = strdup(name), *v = strdup(value);
	if (!n || !v) {
		free(n);
		free(v);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory adding a selector");
	}
	ns[epr->n_selectors].name = n;
	ns[epr->n_selectors].value = v;
	epr->n_selectors++;
	return VSDK_OK;
}

VSDK_API int vsdk_cim_epr_copy(vsdk_cim_epr *dst, const vsdk_cim_epr *src)
{
	if (!dst || !src)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_epr_copy: %s is NULL", dst ? "src" : "dst");
	memset(dst, 0, sizeof(*dst));
	if ((src->address && !(dst->address = strdup(src->address))) ||
	    (src->resource_uri && !(dst->resource_uri = strdup(src->resource_uri))))
		goto nomem;
	for (size_t i = 0; i < src->n_selectors; i++)
		if (vsdk_cim_epr_add_selector(dst, src->selectors[i].name ? src->selectors[i].name : "",
					      src->selectors[i].value ? src->selectors[i].value : "")) {
			vsdk_cim_epr_clear(dst);
			return VSDK_ENOMEM;
		}
	return VSDK_OK;
nomem:
	vsdk_cim_epr_clear(dst);
	return vsdk__error_set(VSDK_ENOMEM, "out of memory copying an EPR");
}

VSDK_API const char *vsdk_cim_epr_selector(const vsdk_cim_epr *epr, const char *name)
{
	if (!epr || !name)
		return NULL;
	for (size_t i = 0; i < epr->n_selectors; i++)
		if (epr->selectors[i].name && vsdk__streq_ci(epr->selectors[i].name, name))
			return epr->selectors[i].value;
	return NULL;
}

/* ---- datetimes ------------------------------------------------------------- */

/* n digits at s, all required. */
static bool digits(const char *s, int n, int64_t *out)
{
	int64_t v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_dmtf(vsdk_cim_datetime *dt, const char *s)
{
	int64_t a, b, c, d, e, f, g, h;
	if (strlen(s) != 25 || s[14] != '.')
		return false;
	if (s[21] == ':') {
		if (!digits(s, 8, &a) || !digits(s + 8, 2, &b) || !digits(s + 10, 2, &c) ||
		    !digits(s + 12, 2, &d) || !digits(s + 15, 6, &e) || !digits(s + 22, 3, &f))
			return false;
		if (b > 23 || c > 59 || d > 59)
			return false;
		dt->interval = true;
		dt->days = (uint64_t)a;
		dt->hour = (int32_t)b;
		dt->minute = (int32_t)c;
		dt->second = (int32_t)d;
		dt->microseconds = (int32_t)e;
		return true;
	}
	if (s[21] != '+' && s[21] != '-')
		return false;
	if (!digits(s, 4, &a) || !digits(s + 4, 2, &b) || !digits(s + 6, 2, &c) || !digits(s + 8, 2, &d) ||
	    !digits(s + 10, 2, &e) || !digits(s + 12, 2, &f) || !digits(s + 15, 6, &g) ||
	    !digits(s + 22, 3, &h))
		return false;
	if (b < 1 || b > 12 || c < 1 || c > 31 || d > 23 || e > 59 || f > 60 || h > 720)
		return false;
	dt->year = (int32_t)a;
	dt->month = (int32_t)b;
	dt->day = (int32_t)c;
	dt->hour = (int32_t)d;
	dt->minute = (int32_t)e;
	dt->second = (int32_t)f;
	dt->microseconds = (int32_t)g;
	dt->utc_offset = (int32_t)(s[21] == '-' ? -h : h);
	return true;
}

/* Fractional seconds ".ddd..." -> microseconds (extra digits truncated). */
static const char *frac(const char *s, int32_t *us)
{
	int32_t v = 0;
	int n = 0;
	if (*s != '.')
		return s;
	s++;
	if (!isdigit((unsigned char)*s))
		return NULL;
	while (isdigit((unsigned char)*s)) {
		if (n < 6) {
			v = v * 10 + (*s - '0');
			n++;
		}
		s++;
	}
	while (n++ < 6)
		v *= 10;
	*us = v;
	return s;
}

static bool parse_xs_datetime(vsdk_cim_datetime *dt, const char *s)
{
	int64_t y, mo, d, h, mi, se, oh, om;
	if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60)
		return false;
	const char *p = frac(s + 19, &dt->microseconds);
	if (!p)
		return false;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 14 || om > 59)
			return false;
		dt->utc_offset = (int32_t)((*p == '-' ? -1 : 1) * (oh * 60 + om));
		p += 6;
	}
	if (*p)
		return false;
	dt->year = (int32_t)y;
	dt->month = (int32_t)mo;
	dt->day = (int32_t)d;
	dt->hour = (int32_t)h;
	dt->minute = (int32_t)mi;
	dt->second = (int32_t)se;
	return true;
}

static bool parse_xs_duration(vsdk_cim_datetime *dt, const char *s)
{
	uint64_t days = 0, secs_total = 0;
	bool in_time = false, any = false;
	if (*s++ != 'P')
		return false;
	while (*s) {
		if (*s == 'T') {
			if (in_time)
				return false;
			in_time = true;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return false;
		uint64_t v = 0;
		while (isdigit((unsigned char)*s)) {
			if (v > UINT64_MAX / 10 - 10)
				return false;
			v = v * 10 + (uint64_t)(*s++ - '0');
		}
		int32_t us = 0;
		if (*s == '.') {
			if (!in_time || !(s = frac(s, &us)) || *s != 'S')
				return false;
		}
		char u = *s++;
		any = true;
		if (!in_time && u == 'D')
			days += v;
		else if (!in_time && (u == 'Y' || u == 'M'))
			return false; /* calendar units have no fixed length */
		else if (in_time && u == 'H')
			secs_total += v * 3600;
		else if (in_time && u == 'M')
			secs_total += v * 60;
		else if (in_time && u == 'S') {
			secs_total += v;
			dt->microseconds = us;
		} else
			return false;
		if (days > 99999999 || secs_total > 99999999ull * 86400)
			return false;
	}
	if (!any)
		return false;
	days += secs_total / 86400;
	secs_total %= 86400;
	if (days > 99999999)
		return false;
	dt->interval = true;
	dt->days = days;
	dt->hour = (int32_t)(secs_total / 3600);
	dt->minute = (int32_t)(secs_total / 60 % 60);
	dt->second = (int32_t)(secs_total % 60);
	return true;
}

/* Parse into dt (zeroed, text copied); false when the text is not a datetime or on ENOMEM. */
static bool dt_parse(vsdk_cim_datetime *dt, const char *text, bool *nomem)
{
	memset(dt, 0, sizeof(*dt));
	*nomem = false;
	dt->text = strdup(text);
	if (!dt->text) {
		*nomem = true;
		return false;
	}
	vsdk_cim_datetime tmp;
	memset(&tmp, 0, sizeof(tmp));
	if (parse_dmtf(&tmp, text) || parse_xs_datetime(&tmp, text) || parse_xs_duration(&tmp, text)) {
		tmp.text = dt->text;
		tmp.valid = true;
		*dt = tmp;
		return true;
	}
	return false;
}

VSDK_API int vsdk_cim_datetime_parse(vsdk_cim_datetime *dt, const char *text)
{
	bool nomem;
	if (!dt || !text)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_datetime_parse: %s is NULL", dt ? "text" : "dt");
	if (dt_parse(dt, text, &nomem))
		return VSDK_OK;
	if (nomem)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory copying a datetime");
	return vsdk__error_set(VSDK_EPARSE, "'%.64s' is not a CIM datetime or interval", text);
}

VSDK_API void vsdk_cim_datetime_clear(vsdk_cim_datetime *dt)
{
	if (!dt)
		return;
	free(dt->text);
	memset(dt, 0, sizeof(*dt));
}

VSDK_API int vsdk_cim_datetime_format_dmtf(char *buf, size_t size, const vsdk_cim_datetime *dt)
{
	int n;
	if (!buf || !dt || !dt->valid)
		return vsdk__error_set(VSDK_EINVALID, "datetime format: no valid datetime");
	if (dt->interval)
		n = snprintf(buf, size, "%08" PRIu64 "%02d%02d%02d.%06d:000", dt->days % 100000000u,
			     dt->hour % 100, dt->minute % 100, dt->second % 100, dt->microseconds % 1000000);
	else
		n = snprintf(buf, size, "%04d%02d%02d%02d%02d%02d.%06d%c%03d", dt->year % 10000,
			     dt->month % 100, dt->day % 100, dt->hour % 100, dt->minute % 100,
			     dt->second % 100, dt->microseconds % 1000000, dt->utc_offset < 0 ? '-' : '+',
			     abs(dt->utc_offset) % 1000);
	if (n < 0 || (size_t)n >= size)
		return vsdk__error_set(VSDK_EINVALID, "datetime format: buffer too small");
	return VSDK_OK;
}

VSDK_API int vsdk_cim_datetime_format_xs(char *buf, size_t size, const vsdk_cim_datetime *dt)
{
	int n;
	char fr[16] = "";
	if (!buf || !dt || !dt->valid)
		return vsdk__error_set(VSDK_EINVALID, "datetime format: no valid datetime");
	if (dt->microseconds)
		snprintf(fr, sizeof(fr), ".%06d", dt->microseconds % 1000000);
	if (dt->interval) {
		n = snprintf(buf, size, "P%" PRIu64 "DT%dH%dM%d%sS", dt->days, dt->hour, dt->minute, dt->second,
			     fr);
	} else {
		char tz[16];
		if (!dt->utc_offset)
			snprintf(tz, sizeof(tz), "Z");
		else
			snprintf(tz, sizeof(tz), "%c%02d:%02d", dt->utc_offset < 0 ? '-' : '+',
				 abs(dt->utc_offset) / 60 % 100, abs(dt->utc_offset) % 60);
		n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", dt->year % 10000, dt->month % 100,
			     dt->day % 100, dt->hour % 100, dt->minute % 100, dt->second % 100, fr, tz);
	}
	if (n < 0 || (size_t)n >= size)
		return vsdk__error_set(VSDK_EINVALID, "datetime format: buffer too small");
	return VSDK_OK;
}

/* ---- scalars ---------------------------------------------------------------- */

/* Decode one UTF-8 character; returns its length or 0. */
static size_t utf8_char(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return u[0] ? 1 : 0;
	}
	if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		return 2;
	}
	if ((u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return 3;
	}
	return 0;
}

static const char *trim(const char *s, char *buf, size_t size)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return buf;
}

int vsdk__cim_scalar_parse(const vsdk_cim_prop *p, void *ptr, const char *text)
{
	char tb[128], *end;
	const char *t;

	if (!text)
		text = "";
	switch (p->type) {
	case VSDK_CIM_STRING: {
		size_t n = strlen(text);
		if (!vsdk__utf8_valid(text, n))
			return vsdk__error_set(VSDK_EPARSE, "property %s: string is not valid UTF-8", p->name);
		char *s = malloc(n + 1);
		if (!s)
			return vsdk__error_set(VSDK_ENOMEM, "out of memory decoding %s", p->name);
		memcpy(s, text, n + 1);
		*(char **)ptr = s;
		return VSDK_OK;
	}
	case VSDK_CIM_BOOLEAN:
		t = trim(text, tb, sizeof(tb));
		if (vsdk__streq_ci(t, "true") || !strcmp(t, "1"))
			*(bool *)ptr = true;
		else if (vsdk__streq_ci(t, "false") || !strcmp(t, "0"))
			*(bool *)ptr = false;
		else
			return vsdk__error_set(VSDK_EPARSE, "property %s: '%.32s' is not a boolean", p->name, t);
		return VSDK_OK;
	case VSDK_CIM_CHAR16: {
		uint32_t cp = 0;
		size_t l = utf8_char(text, &cp);
		if (!l || text[l])
			return vsdk__error_set(VSDK_EPARSE, "property %s: '%.32s' is not one char16", p->name, text);
		*(uint16_t *)ptr = (uint16_t)cp;
		return VSDK_OK;
	}
	case VSDK_CIM_DATETIME: {
		/* an unparsable datetime is kept as text (valid = false), not an error */
		bool nomem;
		dt_parse(ptr, trim(text, tb, sizeof(tb)), &nomem);
		if (nomem)
			return vsdk__error_set(VSDK_ENOMEM, "out of memory decoding %s", p->name);
		return VSDK_OK;
	}
	case VSDK_CIM_REAL32:
	case VSDK_CIM_REAL64: {
		t = trim(text, tb, sizeof(tb));
		double d;
		if (!strcmp(t, "INF"))
			d = INFINITY;
		else if (!strcmp(t, "-INF"))
			d = -INFINITY;
		else if (!strcmp(t, "NaN"))
			d = NAN;
		else {
			errno = 0;
			d = strtod(t, &end);
			if (!*t || *end || isnan(d) || isinf(d))
				return vsdk__error_set(VSDK_EPARSE, "property %s: '%.32s' is not a real number",
						       p->name, t);
		}
		*(double *)ptr = d;
		return VSDK_OK;
	}
	case VSDK_CIM_UINT8:
	case VSDK_CIM_UINT16:
	case VSDK_CIM_UINT32:
	case VSDK_CIM_UINT64: {
		t = trim(text, tb, sizeof(tb));
		static const uint64_t max[] = { UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX };
		int k = p->type == VSDK_CIM_UINT8 ? 0 : p->type == VSDK_CIM_UINT16 ? 1 : p->type == VSDK_CIM_UINT32 ? 2 : 3;
		errno = 0;
		unsigned long long v = strtoull(t, &end, 10);
		if (!isdigit((unsigned char)t[0]) || *end || errno || v > max[k])
			return vsdk__error_set(VSDK_EPARSE, "property %s: '%.32s' is not a %s", p->name, t,
					       vsdk_cim_type_name(p->type));
		switch (k) {
		case 0: *(uint8_t *)ptr = (uint8_t)v; break;
		case 1: *(uint16_t *)ptr = (uint16_t)v; break;
		case 2: *(uint32_t *)ptr = (uint32_t)v; break;
		default: *(uint64_t *)ptr = (uint64_t)v; break;
		}
		return VSDK_OK;
	}
	case VSDK_CIM_SINT8:
	case VSDK_CIM_SINT16:
	case VSDK_CIM_SINT32:
	case VSDK_CIM_SINT64: {
		t = trim(text, tb, sizeof(tb));
		static const int64_t lim[] = { INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX };
		int k = p->type == VSDK_CIM_SINT8 ? 0 : p->type == VSDK_CIM_SINT16 ? 1 : p->type == VSDK_CIM_SINT32 ? 2 : 3;
		errno = 0;
		long long v = strtoll(t, &end, 10);
		if (!(isdigit((unsigned char)t[0]) || ((t[0] == '-' || t[0] == '+') && isdigit((unsigned char)t[1]))) ||
		    *end || errno || v > lim[k] || v < -lim[k] - 1)
			return vsdk__error_set(VSDK_EPARSE, "property %s: '%.32s' is not a %s", p->name, t,
					       vsdk_cim_type_name(p->type));
		switch (k) {
		case 0: *(int8_t *)ptr = (int8_t)v; break;
		case 1: *(int16_t *)ptr = (int16_t)v; break;
		case 2: *(int32_t *)ptr = (int32_t)v; break;
		default: *(int64_t *)ptr = (int64_t)v; break;
		}
		return VSDK_OK;
	}
	default:
		return vsdk__error_set(VSDK_EINTERNAL, "property %s: type %s is not a scalar", p->name,
				       vsdk_cim_type_name(p->type));
	}
}

void vsdk__cim_scalar_format(vsdk_buf *b, vsdk_cim_type type, const void *ptr)
{
	switch (type) {
	case VSDK_CIM_STRING:
		vsdk__buf_puts(b, *(char *const *)ptr ? *(char *const *)ptr : "");
		break;
	case VSDK_CIM_BOOLEAN:
		vsdk__buf_puts(b, *(const bool *)ptr ? "true" : "false");
		break;
	case VSDK_CIM_CHAR16: {
		uint16_t c = *(const uint16_t *)ptr;
		char u[4];
		if (c < 0x80) {
			u[0] = (char)c;
			vsdk__buf_append(b, u, 1);
		} else if (c < 0x800) {
			u[0] = (char)(0xC0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3F));
			vsdk__buf_append(b, u, 2);
		} else {
			u[0] = (char)(0xE0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
			vsdk__buf_append(b, u, 3);
		}
		break;
	}
	case VSDK_CIM_UINT8: vsdk__buf_printf(b, "%u", *(const uint8_t *)ptr); break;
	case VSDK_CIM_UINT16: vsdk__buf_printf(b, "%u", *(const uint16_t *)ptr); break;
	case VSDK_CIM_UINT32: vsdk__buf_printf(b, "%" PRIu32, *(const uint32_t *)ptr); break;
	case VSDK_CIM_UINT64: vsdk__buf_printf(b, "%" PRIu64, *(const uint64_t *)ptr); break;
	case VSDK_CIM_SINT8: vsdk__buf_printf(b, "%d", *(const int8_t *)ptr); break;
	case VSDK_CIM_SINT16: vsdk__buf_printf(b, "%d", *(const int16_t *)ptr); break;
	case VSDK_CIM_SINT32: vsdk__buf_printf(b, "%" PRId32, *(const int32_t *)ptr); break;
	case VSDK_CIM_SINT64: vsdk__buf_printf(b, "%" PRId64, *(const int64_t *)ptr); break;
	case VSDK_CIM_REAL32:
	case VSDK_CIM_REAL64: {
		double d = *(const double *)ptr;
		if (isnan(d))
			vsdk__buf_puts(b, "NaN");
		else if (isinf(d))
			vsdk__buf_puts(b, d < 0 ? "-INF" : "INF");
		else
			vsdk__buf_printf(b, "%.17g", d);
		break;
	}
	default:
		break;
	}
}

/* ---- instance identity --------------------------------------------------------- */

VSDK_API int vsdk_cim_instance_epr(vsdk_cim_epr *out, const vsdk_cim_instance *inst)
{
	if (!out || !inst || !inst->cls)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_instance_epr: %s is NULL", out ? "inst" : "out");
	memset(out, 0, sizeof(*out));
	const vsdk_cim_class *cls = inst->cls;
	if (!(out->resource_uri = vsdk__strdup(cls->resource_uri ? cls->resource_uri : cls->name)))
		return VSDK_ENOMEM;
	for (size_t i = 0; i < cls->n_props; i++) {
		const vsdk_cim_prop *p = &cls->props[i];
		int rc = VSDK_OK;
		if (!(p->flags & VSDK_CIM_F_KEY))
			continue;
		if (!*vsdk__cim_present(p, inst))
			rc = vsdk__error_set(VSDK_EINVALID, "%s: key property %s is not set", cls->name, p->name);
		else if ((p->flags & VSDK_CIM_F_ARRAY) || p->type == VSDK_CIM_REFERENCE ||
			 p->type == VSDK_CIM_DATETIME || p->type == VSDK_CIM_INSTANCE)
			rc = vsdk__error_set(VSDK_EUNSUPPORTED, "%s: key property %s of type %s cannot be a selector",
					     cls->name, p->name, vsdk_cim_type_name(p->type));
		if (!rc) {
			vsdk_buf b = VSDK_BUF_INIT;
			vsdk__cim_scalar_format(&b, p->type, vsdk__cim_field(inst, p->offset));
			vsdk__buf_putc(&b, 0);
			char *v = vsdk__buf_detach(&b);
			rc = v ? vsdk_cim_epr_add_selector(out, p->name, v) : VSDK_ENOMEM;
			free(v);
		}
		if (rc) {
			vsdk_cim_epr_clear(out);
			return rc;
		}
	}
	return VSDK_OK;
}

VSDK_API int vsdk_cim_wmi_path(char **out, const char *host, const vsdk_cim_instance *inst)
{
	vsdk_cim_epr epr;
	if (!out || !host)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_cim_wmi_path: %s is NULL", out ? "host" : "out");
	*out = NULL;
	int rc = vsdk_cim_instance_epr(&epr, inst);
	if (rc)
		return rc;
	const vsdk_cim_class *cls = inst->cls;
	const char *base = cls->schema && cls->schema->uri_base ? cls->schema->uri_base : "";
	const char *ns = strstr(base, "/wmi/");
	ns = ns ? ns + 5 : "root";
	vsdk_buf b = VSDK_BUF_INIT;
	vsdk__buf_puts(&b, "\\\\");
	vsdk__buf_puts(&b, host);
	vsdk__buf_putc(&b, '\\');
	for (const char *c = ns; *c; c++)
		if (!(*c == '/' && !c[1]))
			vsdk__buf_putc(&b, *c == '/' ? '\\' : *c);
	vsdk__buf_putc(&b, ':');
	vsdk__buf_puts(&b, cls->name);
	for (size_t i = 0; i < epr.n_selectors; i++) {
		vsdk__buf_putc(&b, i ? ',' : '.');
		vsdk__buf_puts(&b, epr.selectors[i].name);
		vsdk__buf_puts(&b, "=\"");
		for (const char *c = epr.selectors[i].value; *c; c++) {
			if (*c == '\\' || *c == '"')
				vsdk__buf_putc(&b, '\\');
			vsdk__buf_putc(&b, *c);
		}
		vsdk__buf_putc(&b, '"');
	}
	vsdk_cim_epr_clear(&epr);
	vsdk__buf_putc(&b, 0);
	*out = vsdk__buf_detach(&b);
	return *out ? VSDK_OK : VSDK_ENOMEM;
}
