/*
 * vsdk - VMX file syntax: parse and write `key = "value"` lines with |XX escapes.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vmx_private.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One entry: key and value share one buffer, "key\0value\0".  Entries read
 * by the parser live in the object's arena (one block per parse); entries
 * added or changed later own a malloc'ed buffer.
 */
typedef struct vmx_entry {
	char *key;
	char *value;
	uint32_t hash;
	unsigned line;
	bool owned;    /* key buffer is malloc'ed (else in the arena) */
} vmx_entry;

struct vsdk_vmx {
	vmx_entry *e;
	size_t n, cap;
	uint32_t *tab;  /* open addressing: entry index + 1, 0 = empty */
	size_t tabcap;  /* power of two */
	char *arena;    /* parser's block for key/value text */
	size_t arena_len, arena_cap;
};

static const unsigned char lower_tab[256] = {
#define L(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define R4(b) L(b), L(b + 1), L(b + 2), L(b + 3)
#define R16(b) R4(b), R4(b + 4), R4(b + 8), R4(b + 12)
	R16(0), R16(16), R16(32), R16(48), R16(64), R16(80), R16(96), R16(112),
	R16(128), R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240)
#undef R16
#undef R4
#undef L
};

/* Key characters: 1 = may start a key, 2 = may continue one. */
static const unsigned char key_class_tab[256] = {
#define K(c) ((((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '.') ? 3 : \
	      (((c) >= '0' && (c) <= '9') || (c) == '_' || (c) == ':' || (c) == '-') ? 2 : 0)
#define K4(b) K(b), K(b + 1), K(b + 2), K(b + 3)
#define K16(b) K4(b), K4(b + 4), K4(b + 8), K4(b + 12)
	K16(0), K16(16), K16(32), K16(48), K16(64), K16(80), K16(96), K16(112),
	K16(128), K16(144), K16(160), K16(176), K16(192), K16(208), K16(224), K16(240)
#undef K16
#undef K4
#undef K
};

static const unsigned char *key_classes(void)
{
	return key_class_tab;
}

static uint32_t key_hash(const char *k, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, k, 8);
		h = (h ^ (w | 0x2020202020202020ull)) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
		k += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, k, n);
		h = (h ^ (w | (0x2020202020202020ull >> (8 * (8 - n))))) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ (h >> 32));
}

/* Valid UTF-8?  With a fast path for the usual all-ASCII value. */
static bool utf8_ok(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			return vsdk__utf8_valid(s + i, n - i);
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return vsdk__utf8_valid(s + i, n - i);
	return true;
}

static bool key_eq(const char *a, const char *b, size_t bn)
{
	size_t i;
	for (i = 0; i < bn; i++)
		if (lower_tab[(unsigned char)a[i]] != lower_tab[(unsigned char)b[i]] || !a[i])
			return false;
	return a[i] == '\0';
}

bool vsdk__vmx_key_valid(const char *key)
{
	const unsigned char *kc = key_classes();
	if (!key || !(kc[(unsigned char)key[0]] & 1))
		return false;
	for (const char *p = key + 1; *p; p++)
		if (!(kc[(unsigned char)*p] & 2))
			return false;
	return true;
}

int vsdk__vmx_parse_error(unsigned line, const char *fmt, ...)
{
	char msg[VSDK_ERROR_MESSAGE_MAX - 32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		vsdk__error_set(VSDK_EPARSE, "VMX line %u: %s", line, msg);
	else
		vsdk__error_set(VSDK_EPARSE, "VMX: %s", msg);
	vsdk__error_mut()->line = (int)line;
	return VSDK_EPARSE;
}

/* Index of key in vmx->e, or -1. */
static long find(const vsdk_vmx *vmx, const char *key, size_t kn, uint32_t h)
{
	if (!vmx->tabcap)
		return -1;
	for (size_t i = h & (vmx->tabcap - 1);; i = (i + 1) & (vmx->tabcap - 1)) {
		uint32_t v = vmx->tab[i];
		if (!v)
			return -1;
		const vmx_entry *e = &vmx->e[v - 1];
		if (e->hash == h && key_eq(e->key, key, kn))
			return (long)(v - 1);
	}
}

static void tab_insert(vsdk_vmx *vmx, size_t idx)
{
	size_t i = vmx->e[idx].hash & (vmx->tabcap - 1);
	while (vmx->tab[i])
		i = (i + 1) & (vmx->tabcap - 1);
	vmx->tab[i] = (uint32_t)(idx + 1);
}

static int rehash(vsdk_vmx *vmx, size_t want)
{
	size_t cap = 64;
	while (cap < want * 2)
		cap *= 2;
	uint32_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
	free(vmx->tab);
	vmx->tab = t;
	vmx->tabcap = cap;
	for (size_t i = 0; i < vmx->n; i++)
		tab_insert(vmx, i);
	return VSDK_OK;
}

/* Make room for want entries in the array and the hash table. */
static int reserve(vsdk_vmx *vmx, size_t want)
{
	if (want > vmx->cap) {
		size_t nc = vmx->cap ? vmx->cap : 64;
		while (nc < want)
			nc *= 2;
		vmx_entry *ne = realloc(vmx->e, nc * sizeof(*ne));
		if (!ne)
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
		vmx->e = ne;
		vmx->cap = nc;
	}
	if (want * 2 > vmx->tabcap)
		return rehash(vmx, want);
	return VSDK_OK;
}

/* Append a new entry (the key is known to be absent). */
static int append(vsdk_vmx *vmx, const char *key, size_t kn, const char *val, size_t vn,
		  uint32_t h, unsigned line)
{
	if (vmx->n == vmx->cap) {
		size_t nc = vmx->cap ? vmx->cap * 2 : 64;
		vmx_entry *ne = realloc(vmx->e, nc * sizeof(*ne));
		if (!ne)
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
		vmx->e = ne;
		vmx->cap = nc;
	}
	if ((vmx->n + 1) * 2 > vmx->tabcap) {
		int rc = rehash(vmx, vmx->n + 1);
		if (rc)
			return rc;
	}
	char *buf;
	bool owned = vmx->arena_len + kn + vn + 2 > vmx->arena_cap;
	if (owned) {
		if (!(buf = malloc(kn + vn + 2)))
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
	} else {
		buf = vmx->arena + vmx->arena_len;
		vmx->arena_len += kn + vn + 2;
	}
	memcpy(buf, key, kn);
	buf[kn] = '\0';
	memcpy(buf + kn + 1, val, vn);
	buf[kn + 1 + vn] = '\0';
	vmx_entry *e = &vmx->e[vmx->n];
	e->key = buf;
	e->value = buf + kn + 1;
	e->hash = h;
	e->line = line;
	e->owned = owned;
	tab_insert(vmx, vmx->n++);
	return VSDK_OK;
}

static int replace_value(vmx_entry *e, const char *val, size_t vn)
{
	size_t kn = strlen(e->key);
	char *buf = malloc(kn + vn + 2);
	if (!buf)
		return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
	memcpy(buf, e->key, kn + 1);
	memcpy(buf + kn + 1, val, vn);
	buf[kn + 1 + vn] = '\0';
	if (e->owned)
		free(e->key);
	e->key = buf;
	e->value = buf + kn + 1;
	e->owned = true;
	return VSDK_OK;
}

VSDK_API int vsdk_vmx_new(vsdk_vmx **out)
{
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_new: out is NULL");
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
	return VSDK_OK;
}

VSDK_API void vsdk_vmx_free(vsdk_vmx *vmx)
{
	if (!vmx)
		return;
	for (size_t i = 0; i < vmx->n; i++)
		if (vmx->e[i].owned)
			free(vmx->e[i].key);
	free(vmx->e);
	free(vmx->tab);
	free(vmx->arena);
	free(vmx);
}

VSDK_API const char *vsdk_vmx_get(const vsdk_vmx *vmx, const char *key)
{
	if (!vmx || !key)
		return NULL;
	size_t kn = strlen(key);
	long i = find(vmx, key, kn, key_hash(key, kn));
	return i < 0 ? NULL : vmx->e[i].value;
}

unsigned vsdk__vmx_line(const vsdk_vmx *vmx, const char *key)
{
	if (!vmx || !key)
		return 0;
	size_t kn = strlen(key);
	long i = find(vmx, key, kn, key_hash(key, kn));
	return i < 0 ? 0 : vmx->e[i].line;
}

VSDK_API int vsdk_vmx_set(vsdk_vmx *vmx, const char *key, const char *value)
{
	if (!vmx || !key || !value)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_set: %s is NULL",
				       !vmx ? "vmx" : !key ? "key" : "value");
	if (!vsdk__vmx_key_valid(key))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_set: invalid VMX key '%.64s'", key);
	size_t kn = strlen(key), vn = strlen(value);
	if (!utf8_ok(value, vn))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_set: value of '%s' is not valid UTF-8", key);
	uint32_t h = key_hash(key, kn);
	long i = find(vmx, key, kn, h);
	if (i >= 0) {
		vmx->e[i].line = 0;
		return replace_value(&vmx->e[i], value, vn);
	}
	return append(vmx, key, kn, value, vn, h, 0);
}

VSDK_API int vsdk_vmx_remove(vsdk_vmx *vmx, const char *key)
{
	if (!vmx || !key)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_remove: %s is NULL", !vmx ? "vmx" : "key");
	size_t kn = strlen(key);
	long i = find(vmx, key, kn, key_hash(key, kn));
	if (i < 0)
		return vsdk__error_set(VSDK_ENOTFOUND, "VMX key '%.64s' not found", key);
	if (vmx->e[i].owned)
		free(vmx->e[i].key);
	memmove(&vmx->e[i], &vmx->e[i + 1], (vmx->n - (size_t)i - 1) * sizeof(vmx_entry));
	vmx->n--;
	memset(vmx->tab, 0, vmx->tabcap * sizeof(*vmx->tab));
	for (size_t j = 0; j < vmx->n; j++)
		tab_insert(vmx, j);
	return VSDK_OK;
}

VSDK_API size_t vsdk_vmx_count(const vsdk_vmx *vmx)
{
	return vmx ? vmx->n : 0;
}

VSDK_API int vsdk_vmx_entry(const vsdk_vmx *vmx, size_t i, const char **key, const char **value)
{
	if (!vmx || i >= vmx->n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_entry: index %zu out of range", i);
	if (key)
		*key = vmx->e[i].key;
	if (value)
		*value = vmx->e[i].value;
	return VSDK_OK;
}

/* ---- parsing ----------------------------------------------------------- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower_tab[c];
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_utf8_name(const char *s)
{
	return vsdk__streq_ci(s, "UTF-8") || vsdk__streq_ci(s, "UTF8");
}

/*
 * Find a `.encoding` line without fully parsing (the file may not be UTF-8
 * yet).  Copies its value (raw, without escapes) into enc; returns its line,
 * or 0 when there is none.
 */
static unsigned find_encoding(const char *text, size_t len, char *enc, size_t encsz)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(eol - p) > 9 &&
		    strncasecmp(p, ".encoding", 9) == 0 && (p[9] == ' ' || p[9] == '\t' || p[9] == '=')) {
			const char *q = memchr(p, '"', (size_t)(eol - p));
			if (q) {
				const char *r = memchr(q + 1, '"', (size_t)(eol - q - 1));
				if (r && (size_t)(r - q - 1) < encsz) {
					memcpy(enc, q + 1, (size_t)(r - q - 1));
					enc[r - q - 1] = '\0';
					return line;
				}
			}
			return 0; /* malformed: the real parser reports it */
		}
		p = eol + 1;
	}
	return 0;
}

/*
 * Convert one decoded value from the file's .encoding to UTF-8.  Values are
 * converted after |XX decoding, because the escapes stand for bytes of the
 * file's own encoding.  buf and cap are a reusable scratch buffer.
 */
static int convert_value(iconv_t cd, const char *in, size_t n, char **buf, size_t *cap,
			 size_t *outn, const char *enc, unsigned line)
{
	if (n * 4 + 1 > *cap) {
		char *nb = realloc(*buf, n * 4 + 1);
		if (!nb)
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
		*buf = nb;
		*cap = n * 4 + 1;
	}
	char *ip = (char *)in, *op = *buf;
	size_t il = n, ol = *cap - 1;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		return vsdk__vmx_parse_error(line, "a value is not valid %.64s", enc);
	*outn = (size_t)(op - *buf);
	(*buf)[*outn] = '\0';
	return VSDK_OK;
}

static int parse_text(vsdk_vmx *vmx, const char *text, size_t len, unsigned flags,
		      iconv_t cd, const char *enc)
{
	char *cbuf = NULL;
	size_t ccap = 0;
	const unsigned char *kc = key_classes();
	const char *p = text, *end = text + len;
	unsigned line = 0;
	char stackbuf[512], *vbuf = stackbuf;
	size_t vcap = sizeof(stackbuf);
	int rc = VSDK_OK;

	/* One block holds every key and value (decoding never lengthens text). */
	size_t lines = 1;
	for (const char *c = memchr(text, '\n', len); c; c = memchr(c + 1, '\n', (size_t)(end - c - 1)))
		lines++;
	if (!vmx->arena && len) {
		vmx->arena = malloc(len + 2 * lines);
		if (!vmx->arena)
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
		vmx->arena_cap = len + 2 * lines;
	}
	if ((rc = reserve(vmx, lines)))
		return rc;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		const char *le = eol;
		if (le > p && le[-1] == '\r')
			le--;
		if (le > p && memchr(p, 0, (size_t)(le - p))) {
			rc = vsdk__vmx_parse_error(line, "NUL byte in the text");
			goto out;
		}
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (p == le || *p == '#') {
			p = eol + 1;
			continue;
		}
		const char *k = p;
		if (!(kc[(unsigned char)*p] & 1)) {
			rc = vsdk__vmx_parse_error(line, "a key must start with a letter or '.', found '%c'",
						   (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ? *p : '?');
			goto out;
		}
		p++;
		while (p < le && (kc[(unsigned char)*p] & 2))
			p++;
		size_t kn = (size_t)(p - k);
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (p == le || *p != '=') {
			rc = vsdk__vmx_parse_error(line, "expected '=' after key '%.*s'", (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		p++;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (p == le || *p != '"') {
			rc = vsdk__vmx_parse_error(line, "the value of '%.*s' is not a quoted string",
						   (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		p++;
		const char *vs = p;
		const char *ve = memchr(p, '"', (size_t)(le - p));
		if (!ve) {
			rc = vsdk__vmx_parse_error(line, "the value of '%.*s' has no closing quote",
						   (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		size_t rawn = (size_t)(ve - vs);
		if (rawn + 1 > vcap) {
			char *nb = malloc(rawn + 1);
			if (!nb) {
				rc = vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
				goto out;
			}
			if (vbuf != stackbuf)
				free(vbuf);
			vbuf = nb;
			vcap = rawn + 1;
		}
		/* Decode |XX escapes. */
		size_t vn = 0;
		const char *bar = memchr(vs, '|', rawn);
		if (!bar) {
			memcpy(vbuf, vs, rawn);
			vn = rawn;
		} else {
			for (const char *c = vs; c < ve; c++) {
				if (*c != '|') {
					vbuf[vn++] = *c;
					continue;
				}
				int hi = c + 2 < ve ? hexval((unsigned char)c[1]) : -1;
				int lo = hi >= 0 ? hexval((unsigned char)c[2]) : -1;
				if (hi < 0 || lo < 0) {
					rc = vsdk__vmx_parse_error(line, "bad escape in the value of '%.*s': '|' must be followed by two hex digits",
								   (int)(kn > 64 ? 64 : kn), k);
					goto out;
				}
				if (hi == 0 && lo == 0) {
					rc = vsdk__vmx_parse_error(line, "the value of '%.*s' contains |00 (NUL)",
								   (int)(kn > 64 ? 64 : kn), k);
					goto out;
				}
				vbuf[vn++] = (char)(hi * 16 + lo);
				c += 2;
			}
		}
		vbuf[vn] = '\0';
		const char *val = vbuf;
		if (cd != (iconv_t)-1) {
			if ((rc = convert_value(cd, vbuf, vn, &cbuf, &ccap, &vn, enc, line)))
				goto out;
			val = cbuf;
		}
		p = ve + 1;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (p < le && *p != '#') {
			rc = vsdk__vmx_parse_error(line, "unexpected text after the value of '%.*s'",
						   (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		if (memchr(val, '\0', vn)) {
			rc = vsdk__vmx_parse_error(line, "the value of '%.*s' contains a NUL character",
						   (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		if (!utf8_ok(val, vn)) {
			rc = vsdk__vmx_parse_error(line, "the value of '%.*s' is not valid UTF-8",
						   (int)(kn > 64 ? 64 : kn), k);
			goto out;
		}
		uint32_t h = key_hash(k, kn);
		long dup = find(vmx, k, kn, h);
		if (dup >= 0) {
			if (!(flags & VSDK_VMX_PARSE_DUPLICATE_LAST)) {
				rc = vsdk__vmx_parse_error(line, "duplicate key '%.*s' (first set on line %u)",
							   (int)(kn > 64 ? 64 : kn), k, vmx->e[dup].line);
				goto out;
			}
			rc = replace_value(&vmx->e[dup], val, vn);
			vmx->e[dup].line = line;
		} else {
			rc = append(vmx, k, kn, val, vn, h, line);
		}
		if (rc)
			goto out;
		p = eol + 1;
	}
out:
	if (vbuf != stackbuf)
		free(vbuf);
	free(cbuf);
	return rc;
}

VSDK_API int vsdk_vmx_parse(vsdk_vmx **out, const char *text, size_t len, unsigned int flags)
{
	char enc[80];
	iconv_t cd = (iconv_t)-1;
	vsdk_vmx *vmx = NULL;
	unsigned encline;
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_parse: out is NULL");
	*out = NULL;
	if (!text && len)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_parse: text is NULL");
	if (flags & ~VSDK_VMX_PARSE_DUPLICATE_LAST)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_parse: unknown flags 0x%x", flags);
	encline = find_encoding(text ? text : "", len, enc, sizeof(enc));
	if (encline && !is_utf8_name(enc)) {
		cd = iconv_open("UTF-8", enc);
		if (cd == (iconv_t)-1)
			return vsdk__vmx_parse_error(encline, "unsupported .encoding \"%.64s\"", enc);
	}
	rc = vsdk_vmx_new(&vmx);
	if (!rc)
		rc = parse_text(vmx, text ? text : "", len, flags, cd, enc);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (!rc && encline && !is_utf8_name(enc)) {
		/* The text is UTF-8 now; say so. */
		long i = find(vmx, ".encoding", 9, key_hash(".encoding", 9));
		if (i >= 0)
			rc = replace_value(&vmx->e[i], "UTF-8", 5);
	}
	if (rc) {
		vsdk_vmx_free(vmx);
		return rc;
	}
	*out = vmx;
	return VSDK_OK;
}

/* ---- writing ----------------------------------------------------------- */

/* Bytes that must be written as |XX. */
static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '"' || c == '|' || c == '#';
}

VSDK_API int vsdk_vmx_format(char **out, const vsdk_vmx *vmx)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char header[] = ".encoding = \"UTF-8\"\n";
	const uint32_t enc_hash = key_hash(".encoding", 9);
	size_t cap = sizeof(header);

	if (!out || !vmx)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_format: %s is NULL", !out ? "out" : "vmx");
	*out = NULL;
	/* Worst case: every value byte escaped to three. */
	for (size_t i = 0; i < vmx->n; i++) {
		size_t kn = (size_t)(vmx->e[i].value - vmx->e[i].key) - 1;
		size_t vn = strlen(vmx->e[i].value);
		if (vn > (SIZE_MAX - cap) / 4)
			return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
		cap += kn + 3 * vn + 6;
	}
	char *buf = malloc(cap), *o = buf;
	if (!buf)
		return vsdk__error_set(VSDK_ENOMEM, "VMX: out of memory");
	memcpy(o, header, sizeof(header) - 1);
	o += sizeof(header) - 1;
	for (size_t i = 0; i < vmx->n; i++) {
		const vmx_entry *e = &vmx->e[i];
		size_t kn = (size_t)(e->value - e->key) - 1;
		if (e->hash == enc_hash && key_eq(e->key, ".encoding", 9))
			continue;
		memcpy(o, e->key, kn);
		o += kn;
		memcpy(o, " = \"", 4);
		o += 4;
		for (const unsigned char *v = (const unsigned char *)e->value; *v; v++) {
			if (needs_escape(*v)) {
				*o++ = '|';
				*o++ = hex[*v >> 4];
				*o++ = hex[*v & 15];
			} else {
				*o++ = (char)*v;
			}
		}
		*o++ = '"';
		*o++ = '\n';
	}
	*o = '\0';
	*out = buf;
	return VSDK_OK;
}
