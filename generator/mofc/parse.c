/*
 * mofc - DSP0004 MOF lexer and parser (with a --lenient mode for Microsoft's doc MOF).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include "mofc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 32
#define MAX_FILE_SIZE (64u << 20)

/* ---- arena -------------------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};
static struct arena_block *arena;

void *mof_alloc(size_t n)
{
	size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!arena || arena->cap - arena->used < n) {
		size_t cap = n > (1u << 20) ? n : (1u << 20);
		struct arena_block *b = malloc(sizeof(*b) + cap);
		if (!b) {
			fprintf(stderr, "mofc: out of memory\n");
			exit(2);
		}
		b->next = arena;
		b->used = 0;
		b->cap = cap;
		arena = b;
	}
	void *p = (char *)arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

void mof_arena_free(void)
{
	while (arena) {
		struct arena_block *n = arena->next;
		free(arena);
		arena = n;
	}
}

char *mof_strndup(const char *s, size_t n)
{
	char *p = mof_alloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *mof_strdup(const char *s)
{
	return s ? mof_strndup(s, strlen(s)) : NULL;
}

/* Grow an arena vector: *v has *cap elements of size sz; make room for one more. */
static void *vec_grow(void *v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 8;
	void *p = mof_alloc(nc * sz);
	if (n)
		memcpy(p, v, n * sz);
	*cap = nc;
	return p;
}

int mof_strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
		if (ca != cb || !ca)
			return ca - cb;
	}
}

/* ---- diagnostics -------------------------------------------------------- */

static void diag(mof_loc loc, const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s:%d:%d: %s: ", loc.file ? loc.file : "<input>", loc.line, loc.col, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mof_error(mof_repo *r, mof_loc loc, const char *fmt, ...)
{
	va_list ap;

	r->errors++;
	if (r->opt.max_errors > 0 && r->errors > r->opt.max_errors)
		return;
	va_start(ap, fmt);
	diag(loc, "error", fmt, ap);
	va_end(ap);
}

void mof_warn(mof_repo *r, mof_loc loc, const char *fmt, ...)
{
	va_list ap;

	r->warnings++;
	va_start(ap, fmt);
	diag(loc, "warning", fmt, ap);
	va_end(ap);
}

/* ---- types -------------------------------------------------------------- */

static const char *const type_names[] = {
	"", "boolean", "string", "char16", "datetime", "uint8", "sint8", "uint16", "sint16",
	"uint32", "sint32", "uint64", "sint64", "real32", "real64", "reference", "instance",
};

const char *mof_type_name(int type)
{
	if (type < 0 || type >= (int)(sizeof(type_names) / sizeof(type_names[0])))
		return "unknown";
	return type_names[type];
}

static int type_lookup(const char *s)
{
	for (int i = 1; i <= MT_REAL64; i++)
		if (!mof_strcasecmp(s, type_names[i]))
			return i;
	return MT_NONE;
}

/* ---- lexer -------------------------------------------------------------- */

enum tok { T_EOF, T_IDENT, T_INT, T_REAL, T_STRING, T_CHAR, T_ALIAS, T_PUNCT, T_ERROR };

typedef struct token {
	int kind;
	char punct;
	const char *start;   /* in the source */
	size_t len;
	char *text;          /* identifier / unescaped string / number text */
	mof_loc loc;
} token;

typedef struct parser {
	mof_repo *r;
	const char *src, *end, *p;
	int line, col;
	const char *file;
	const char *dir;     /* directory of file, for includes */
	int depth;
	token cur;
	bool failed;         /* an error in this file: stop parsing it */
} parser;

static mof_loc here(parser *ps)
{
	mof_loc l = { ps->file, ps->line, ps->col };
	return l;
}

static void perr(parser *ps, mof_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(parser *ps, mof_loc loc, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (ps->failed)
		return;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mof_error(ps->r, loc, "%s", msg);
}

static void advance(parser *ps)
{
	if (ps->p >= ps->end)
		return;
	if (*ps->p == '\n') {
		ps->line++;
		ps->col = 1;
	} else if (((unsigned char)*ps->p & 0xC0) != 0x80) {
		ps->col++;
	}
	ps->p++;
}

static int peekc(parser *ps, size_t off)
{
	return ps->p + off < ps->end ? (unsigned char)ps->p[off] : -1;
}

/* Skip whitespace and comments; false on an unterminated comment. */
static bool skip_space(parser *ps)
{
	for (;;) {
		int c = peekc(ps, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			advance(ps);
		} else if (c == '/' && peekc(ps, 1) == '/') {
			while (ps->p < ps->end && *ps->p != '\n')
				advance(ps);
		} else if (c == '/' && peekc(ps, 1) == '*') {
			mof_loc l = here(ps);
			advance(ps);
			advance(ps);
			for (;;) {
				if (ps->p >= ps->end) {
					perr(ps, l, "unterminated comment");
					return false;
				}
				if (*ps->p == '*' && peekc(ps, 1) == '/') {
					advance(ps);
					advance(ps);
					break;
				}
				advance(ps);
			}
		} else if (c == 0xEF && peekc(ps, 1) == 0xBB && peekc(ps, 2) == 0xBF) {
			ps->p += 3; /* UTF-8 byte order mark */
		} else {
			return true;
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_utf8(char **o, unsigned long cp)
{
	char *p = *o;
	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xC0 | (cp >> 6));
		*p++ = (char)(0x80 | (cp & 0x3F));
	} else {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD;
		*p++ = (char)(0xE0 | (cp >> 12));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*p++ = (char)(0x80 | (cp & 0x3F));
	}
	*o = p;
}

/* A quoted string or char literal; the opening quote is at ps->p. */
static bool lex_quoted(parser *ps, token *t, char q)
{
	/* Each source byte yields at most 3 output bytes (\xFFFF -> 3 bytes from 6). */
	const char *s = ps->p + 1;
	size_t max = 0;
	while (s + max < ps->end && s[max] != q && s[max] != '\n') {
		if (s[max] == '\\' && s + max + 1 < ps->end)
			max++;
		max++;
	}
	char *out = mof_alloc(max * 3 + 4), *o = out;

	advance(ps);
	for (;;) {
		int c = peekc(ps, 0);
		if (c < 0 || c == '\n') {
			perr(ps, t->loc, "unterminated %s literal", q == '"' ? "string" : "char");
			return false;
		}
		if (c == q) {
			advance(ps);
			break;
		}
		if (c == '\\') {
			mof_loc el = here(ps);
			int e = peekc(ps, 1);
			switch (e) {
			case 'b': *o++ = '\b'; break;
			case 't': *o++ = '\t'; break;
			case 'n': *o++ = '\n'; break;
			case 'f': *o++ = '\f'; break;
			case 'r': *o++ = '\r'; break;
			case '"': *o++ = '"'; break;
			case '\'': *o++ = '\''; break;
			case '\\': *o++ = '\\'; break;
			case 'x': case 'X': {
				unsigned long cp = 0;
				int nd = 0;
				advance(ps);
				while (nd < 4 && hexval(peekc(ps, 1)) >= 0) {
					cp = cp * 16 + (unsigned long)hexval(peekc(ps, 1));
					advance(ps);
					nd++;
				}
				if (!nd) {
					perr(ps, el, "\\x escape needs 1 to 4 hex digits");
					return false;
				}
				put_utf8(&o, cp);
				advance(ps);
				continue;
			}
			default:
				if (ps->r->opt.lenient && e >= 0 && e != '\n') {
					mof_warn(ps->r, el, "invalid escape '\\%c' kept as a literal backslash", e);
					*o++ = '\\';
					advance(ps);
					continue;
				}
				perr(ps, el, "invalid escape sequence '\\%c'", e > 32 && e < 127 ? e : '?');
				return false;
			}
			advance(ps);
			advance(ps);
			continue;
		}
		*o++ = (char)c;
		advance(ps);
	}
	*o = 0;
	t->text = out;
	return true;
}

static void next(parser *ps)
{
	token *t = &ps->cur;

	memset(t, 0, sizeof(*t));
	if (ps->failed || !skip_space(ps)) {
		t->kind = T_EOF;
		return;
	}
	t->loc = here(ps);
	t->start = ps->p;
	int c = peekc(ps, 0);
	if (c < 0) {
		t->kind = T_EOF;
		return;
	}
	if (isalpha(c) || c == '_' || c >= 0x80 || c == '$') {
		if (c == '$')
			advance(ps);
		while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_' ||
					   (unsigned char)*ps->p >= 0x80))
			advance(ps);
		t->kind = c == '$' ? T_ALIAS : T_IDENT;
		t->len = (size_t)(ps->p - t->start);
		if (t->kind == T_ALIAS && t->len < 2) {
			perr(ps, t->loc, "'$' must start an alias name");
			t->kind = T_EOF;
			return;
		}
		t->text = mof_strndup(t->start, t->len);
		return;
	}
	if (isdigit(c) || ((c == '+' || c == '-' || c == '.') && (isdigit(peekc(ps, 1)) ||
			(peekc(ps, 1) == '.' && isdigit(peekc(ps, 2)))))) {
		bool real = false;
		if (c == '+' || c == '-')
			advance(ps);
		if (peekc(ps, 0) == '0' && (peekc(ps, 1) == 'x' || peekc(ps, 1) == 'X')) {
			advance(ps);
			advance(ps);
			if (hexval(peekc(ps, 0)) < 0) {
				perr(ps, t->loc, "hex literal needs digits");
				t->kind = T_EOF;
				return;
			}
			while (hexval(peekc(ps, 0)) >= 0)
				advance(ps);
		} else {
			while (isdigit(peekc(ps, 0)))
				advance(ps);
			if (peekc(ps, 0) == '.' && isdigit(peekc(ps, 1))) {
				real = true;
				advance(ps);
				while (isdigit(peekc(ps, 0)))
					advance(ps);
			}
			if ((peekc(ps, 0) == 'e' || peekc(ps, 0) == 'E') &&
			    (isdigit(peekc(ps, 1)) || ((peekc(ps, 1) == '+' || peekc(ps, 1) == '-') &&
						      isdigit(peekc(ps, 2))))) {
				real = true;
				advance(ps);
				advance(ps);
				while (isdigit(peekc(ps, 0)))
					advance(ps);
			}
			if (!real && (peekc(ps, 0) == 'b' || peekc(ps, 0) == 'B') &&
			    !isalnum(peekc(ps, 1))) /* binary literal 101b */
				advance(ps);
		}
		if (isalpha(peekc(ps, 0)) || peekc(ps, 0) == '_') {
			perr(ps, t->loc, "malformed number");
			t->kind = T_EOF;
			return;
		}
		t->kind = real ? T_REAL : T_INT;
		t->len = (size_t)(ps->p - t->start);
		t->text = mof_strndup(t->start, t->len);
		return;
	}
	if (c == '"' || c == '\'') {
		if (!lex_quoted(ps, t, (char)c)) {
			t->kind = T_EOF;
			return;
		}
		t->kind = c == '"' ? T_STRING : T_CHAR;
		t->len = (size_t)(ps->p - t->start);
		return;
	}
	if (strchr("{}[]();,:=#.", c)) {
		advance(ps);
		t->kind = T_PUNCT;
		t->punct = (char)c;
		t->len = 1;
		return;
	}
	perr(ps, t->loc, "unexpected character '%s%c'", c < 32 || c > 126 ? "\\x" : "",
	     c < 32 || c > 126 ? '?' : c);
	t->kind = T_EOF;
}

static bool is_punct(parser *ps, char c)
{
	return ps->cur.kind == T_PUNCT && ps->cur.punct == c;
}

static bool is_kw(parser *ps, const char *kw)
{
	return ps->cur.kind == T_IDENT && !mof_strcasecmp(ps->cur.text, kw);
}

static const char *tok_desc(parser *ps)
{
	static char buf[80];
	switch (ps->cur.kind) {
	case T_EOF: return "end of file";
	case T_IDENT: snprintf(buf, sizeof(buf), "'%.60s'", ps->cur.text); return buf;
	case T_INT: case T_REAL: return "a number";
	case T_STRING: return "a string";
	case T_CHAR: return "a char literal";
	case T_ALIAS: return "an alias";
	case T_PUNCT: snprintf(buf, sizeof(buf), "'%c'", ps->cur.punct); return buf;
	}
	return "?";
}

static bool expect(parser *ps, char c)
{
	if (is_punct(ps, c)) {
		next(ps);
		return true;
	}
	perr(ps, ps->cur.loc, "expected '%c' but found %s", c, tok_desc(ps));
	return false;
}

static char *expect_ident(parser *ps, const char *what)
{
	if (ps->cur.kind != T_IDENT) {
		perr(ps, ps->cur.loc, "expected %s but found %s", what, tok_desc(ps));
		return NULL;
	}
	char *s = ps->cur.text;
	next(ps);
	return s;
}

/* ---- values ------------------------------------------------------------- */

/* A string made of adjacent literals: "a" "b". */
static char *string_concat(parser *ps)
{
	size_t total = 0, cap = 0, n = 0;
	char **parts = NULL;

	while (ps->cur.kind == T_STRING) {
		parts = vec_grow(parts, &cap, n, sizeof(*parts));
		parts[n++] = ps->cur.text;
		total += strlen(ps->cur.text);
		next(ps);
	}
	char *s = mof_alloc(total + 1), *o = s;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);
		memcpy(o, parts[i], l);
		o += l;
	}
	*o = 0;
	return s;
}

static void warn_case(parser *ps, const char *lower)
{
	if (ps->r->opt.lenient && strcmp(ps->cur.text, lower))
		mof_warn(ps->r, ps->cur.loc, "'%s' should be written '%s'", ps->cur.text, lower);
}

/* Lenient: an unquoted datetime such as 00000000000500.000000:000 (a stray '"' after it is dropped). */
static bool raw_datetime(parser *ps, mof_value *v)
{
	const char *s = ps->cur.start, *e = s;
	while (e < ps->end && (isdigit((unsigned char)*e) || *e == '.' || *e == ':' || *e == '+' ||
			       *e == '-' || *e == '*'))
		e++;
	if (e - s < 10)
		return false;
	mof_warn(ps->r, ps->cur.loc, "unquoted datetime value; write it in double quotes");
	v->kind = MV_STRING;
	v->text = mof_strndup(s, (size_t)(e - s));
	if (e < ps->end && *e == '"')
		e++;
	/* the lexer stopped inside the raw text: re-sync after it */
	while (ps->p < e)
		advance(ps);
	next(ps);
	return true;
}

/* Lenient: an unquoted string default, up to the ';' on the same line. */
static bool raw_string(parser *ps, mof_value *v, const char *what)
{
	const char *s = ps->cur.start, *e = s;
	while (e < ps->end && *e != ';' && *e != '\n')
		e++;
	if (e >= ps->end || *e != ';')
		return false;
	mof_warn(ps->r, ps->cur.loc, "unquoted %s value; write it in double quotes", what);
	const char *t = e;
	while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '"'))
		t--;
	v->kind = MV_STRING;
	v->text = mof_strndup(s, (size_t)(t - s));
	while (ps->p < e)
		advance(ps);
	next(ps);
	return true;
}

static bool parse_scalar(parser *ps, mof_value *v, int type)
{
	switch (ps->cur.kind) {
	case T_STRING:
		v->kind = MV_STRING;
		v->text = string_concat(ps);
		return !ps->failed;
	case T_INT:
	case T_REAL:
		if (ps->r->opt.lenient && type == MT_DATETIME && raw_datetime(ps, v))
			return true;
		if (ps->r->opt.lenient && type == MT_STRING && raw_string(ps, v, "string"))
			return true;
		v->kind = ps->cur.kind == T_INT ? MV_INT : MV_REAL;
		v->text = ps->cur.text;
		next(ps);
		return true;
	case T_CHAR:
		v->kind = MV_CHAR;
		v->text = ps->cur.text;
		next(ps);
		return true;
	case T_ALIAS:
		v->kind = MV_ALIAS;
		v->text = ps->cur.text;
		next(ps);
		return true;
	case T_IDENT:
		if (!mof_strcasecmp(ps->cur.text, "true") || !mof_strcasecmp(ps->cur.text, "false")) {
			v->kind = MV_BOOL;
			v->bval = tolower((unsigned char)ps->cur.text[0]) == 't';
			warn_case(ps, v->bval ? "true" : "false");
			v->text = v->bval ? "true" : "false";
			next(ps);
			return true;
		}
		if (!mof_strcasecmp(ps->cur.text, "null")) {
			v->kind = MV_NULL;
			warn_case(ps, "null");
			next(ps);
			return true;
		}
		if (ps->r->opt.lenient && type == MT_STRING && raw_string(ps, v, "string"))
			return true;
		break;
	default:
		break;
	}
	perr(ps, ps->cur.loc, "expected a value but found %s", tok_desc(ps));
	return false;
}

/* value or { value, ... } */
static bool parse_value(parser *ps, mof_value *v, int type)
{
	if (is_punct(ps, '{')) {
		size_t cap = 0;
		next(ps);
		v->kind = MV_ARRAY;
		if (is_punct(ps, '}')) {
			next(ps);
			return true;
		}
		for (;;) {
			v->items = vec_grow(v->items, &cap, v->n, sizeof(*v->items));
			if (!parse_scalar(ps, &v->items[v->n], type))
				return false;
			v->n++;
			if (is_punct(ps, ','))
				next(ps);
			else
				break;
		}
		return expect(ps, '}');
	}
	return parse_scalar(ps, v, type);
}

/* ---- qualifiers --------------------------------------------------------- */

static bool parse_flavor(parser *ps, unsigned *fl)
{
	static const struct { const char *n; unsigned f; } tab[] = {
		{ "EnableOverride", FL_ENABLEOVERRIDE }, { "DisableOverride", FL_DISABLEOVERRIDE },
		{ "Restricted", FL_RESTRICTED }, { "ToSubclass", FL_TOSUBCLASS },
		{ "Translatable", FL_TRANSLATABLE }, { "Amended", FL_AMENDED },
		{ "ToInstance", FL_TOINSTANCE },
	};
	if (ps->cur.kind == T_IDENT)
		for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!mof_strcasecmp(ps->cur.text, tab[i].n)) {
				*fl |= tab[i].f;
				next(ps);
				return true;
			}
	perr(ps, ps->cur.loc, "expected a qualifier flavor but found %s", tok_desc(ps));
	return false;
}

/* [ qual, qual(...), qual{...} : flavor flavor ] */
static bool parse_quals(parser *ps, mof_quals *q)
{
	if (!is_punct(ps, '['))
		return true;
	next(ps);
	for (;;) {
		mof_loc loc = ps->cur.loc;
		char *name = expect_ident(ps, "a qualifier name");
		if (!name)
			return false;
		for (size_t i = 0; i < q->n; i++)
			if (!mof_strcasecmp(q->v[i].name, name)) {
				if (ps->r->opt.lenient) {
					mof_warn(ps->r, loc, "qualifier '%s' given twice", name);
				} else {
					perr(ps, loc, "qualifier '%s' given twice", name);
					return false;
				}
			}
		q->v = vec_grow(q->v, &q->cap, q->n, sizeof(*q->v));
		mof_qual *qu = &q->v[q->n++];
		qu->name = name;
		qu->loc = loc;
		const mof_qualdecl *d = mof_qualdecl_find(ps->r, name);
		int type = d ? d->type : MT_NONE;
		if (is_punct(ps, '(')) {
			next(ps);
			if (!parse_scalar(ps, &qu->val, type) || !expect(ps, ')'))
				return false;
		} else if (is_punct(ps, '{')) {
			if (!parse_value(ps, &qu->val, type))
				return false;
		}
		if (is_punct(ps, ':')) {
			next(ps);
			do {
				if (!parse_flavor(ps, &qu->flavors))
					return false;
			} while (ps->cur.kind == T_IDENT);
		}
		if (is_punct(ps, ','))
			next(ps);
		else
			break;
	}
	return expect(ps, ']');
}

/* Qualifier Name : type [array] [= value], Scope(...) [, Flavor(...)] ; */
static bool parse_qualdecl(parser *ps)
{
	mof_repo *r = ps->r;
	mof_qualdecl d;

	memset(&d, 0, sizeof(d));
	d.loc = ps->cur.loc;
	next(ps);
	d.name = expect_ident(ps, "a qualifier name");
	if (!d.name || !expect(ps, ':'))
		return false;
	if (ps->cur.kind != T_IDENT || !(d.type = type_lookup(ps->cur.text))) {
		perr(ps, ps->cur.loc, "expected a qualifier type but found %s", tok_desc(ps));
		return false;
	}
	next(ps);
	d.array = -1;
	if (is_punct(ps, '[')) {
		next(ps);
		d.array = 0;
		if (ps->cur.kind == T_INT) {
			d.array = strtol(ps->cur.text, NULL, 10);
			next(ps);
		}
		if (!expect(ps, ']'))
			return false;
	}
	if (is_punct(ps, '=')) {
		next(ps);
		if (!parse_value(ps, &d.def, d.type))
			return false;
	}
	while (is_punct(ps, ',')) {
		next(ps);
		bool scope = is_kw(ps, "Scope"), flavor = is_kw(ps, "Flavor");
		if (!scope && !flavor) {
			perr(ps, ps->cur.loc, "expected Scope or Flavor but found %s", tok_desc(ps));
			return false;
		}
		next(ps);
		if (!expect(ps, '('))
			return false;
		for (;;) {
			if (scope) {
				if (!expect_ident(ps, "a scope"))
					return false;
			} else if (!parse_flavor(ps, &d.flavors)) {
				return false;
			}
			if (is_punct(ps, ','))
				next(ps);
			else
				break;
		}
		if (!expect(ps, ')'))
			return false;
	}
	if (!expect(ps, ';'))
		return false;
	mof_qualdecl *old = (mof_qualdecl *)mof_qualdecl_find(r, d.name);
	if (old) {
		*old = d; /* a redeclaration replaces (DSP0004 allows identical redeclaration) */
		return true;
	}
	r->quals = vec_grow(r->quals, &r->cap_quals, r->n_quals, sizeof(*r->quals));
	r->quals[r->n_quals++] = d;
	return true;
}

/* ---- classes ------------------------------------------------------------ */

static bool parse_array_suffix(parser *ps, long *array)
{
	*array = -1;
	if (!is_punct(ps, '['))
		return true;
	next(ps);
	*array = 0;
	if (ps->cur.kind == T_INT) {
		errno = 0;
		long n = strtol(ps->cur.text, NULL, 10);
		if (n <= 0 || errno || n > 1000000) {
			perr(ps, ps->cur.loc, "array size must be a positive integer");
			return false;
		}
		*array = n;
		next(ps);
	}
	return expect(ps, ']');
}

/* A type: intrinsic name, or ClassName REF. Sets *type, *ref. */
static bool parse_type(parser *ps, int *type, char **ref)
{
	mof_loc loc = ps->cur.loc;
	if (ps->cur.kind != T_IDENT) {
		perr(ps, loc, "expected a type but found %s", tok_desc(ps));
		return false;
	}
	char *name = ps->cur.text;
	int t = type_lookup(name);
	next(ps);
	if (is_kw(ps, "ref")) {
		if (ps->r->opt.lenient && strcmp(ps->cur.text, "REF") && strcmp(ps->cur.text, "ref"))
			mof_warn(ps->r, ps->cur.loc, "'%s' should be written 'REF'", ps->cur.text);
		next(ps);
		*type = MT_REF;
		*ref = name;
		return true;
	}
	if (t) {
		if (ps->r->opt.lenient && strcmp(name, type_names[t]))
			mof_warn(ps->r, loc, "type '%s' should be written '%s'", name, type_names[t]);
		*type = t;
		return true;
	}
	if (ps->r->opt.lenient) {
		/* Microsoft's doc typo: unit8..unit64 for uint8..uint64 */
		if (!strncmp(name, "unit", 4) && strlen(name) < 16) {
			char fixed[24];
			snprintf(fixed, sizeof(fixed), "uint%s", name + 4);
			if ((t = type_lookup(fixed))) {
				mof_warn(ps->r, loc, "unknown type '%s' read as '%s'", name, type_names[t]);
				*type = t;
				return true;
			}
		}
		if (ps->cur.kind == T_IDENT) {
			/* an object-typed element (DSP0004 v3 "Class Name"): treated as a string */
			mof_warn(ps->r, loc, "class-typed '%s' read as an embedded-instance string", name);
			*type = MT_INSTANCE;
			*ref = name;
			return true;
		}
	}
	perr(ps, loc, "unknown type '%s'", name);
	return false;
}

static bool parse_param(parser *ps, mof_feature *m)
{
	mof_feature p;

	memset(&p, 0, sizeof(p));
	if (!parse_quals(ps, &p.quals))
		return false;
	p.loc = ps->cur.loc;
	if (!parse_type(ps, &p.type, &p.ref_class))
		return false;
	p.loc = ps->cur.loc;
	p.name = expect_ident(ps, "a parameter name");
	if (!p.name || !parse_array_suffix(ps, &p.array))
		return false;
	if (is_punct(ps, '=')) { /* DSP0004 v3 default for a parameter */
		next(ps);
		if (!parse_value(ps, &p.def, p.type))
			return false;
	}
	for (size_t i = 0; i < m->n_params; i++)
		if (!mof_strcasecmp(m->params[i].name, p.name)) {
			perr(ps, p.loc, "parameter '%s' declared twice", p.name);
			return false;
		}
	m->params = vec_grow(m->params, &m->cap_params, m->n_params, sizeof(*m->params));
	m->params[m->n_params++] = p;
	return true;
}

/* type name ( params ) ;   -- the current token is '(' */
static bool parse_method_rest(parser *ps, mof_feature *f)
{
	f->is_method = true;
	next(ps);
	if (!is_punct(ps, ')')) {
		for (;;) {
			if (!parse_param(ps, f))
				return false;
			if (is_punct(ps, ','))
				next(ps);
			else
				break;
		}
	}
	return expect(ps, ')') && expect(ps, ';');
}

static bool parse_feature(parser *ps, mof_class *c)
{
	mof_feature f;

	memset(&f, 0, sizeof(f));
	if (!parse_quals(ps, &f.quals))
		return false;
	if (!parse_type(ps, &f.type, &f.ref_class))
		return false;
	f.loc = ps->cur.loc;
	f.name = expect_ident(ps, "a property or method name");
	if (!f.name)
		return false;
	if (is_punct(ps, '(')) {
		if (!parse_method_rest(ps, &f))
			return false;
	} else {
		if (!parse_array_suffix(ps, &f.array))
			return false;
		if (is_punct(ps, '=')) {
			next(ps);
			if (ps->r->opt.lenient && is_punct(ps, ';'))
				mof_warn(ps->r, ps->cur.loc, "'=' without a value; no default");
			else if (!parse_value(ps, &f.def, f.type))
				return false;
		}
		if (!expect(ps, ';'))
			return false;
	}
	for (size_t i = 0; i < c->n_feats; i++)
		if (!mof_strcasecmp(c->feats[i].name, f.name)) {
			if (ps->r->opt.lenient) {
				mof_warn(ps->r, f.loc, "'%s' declared twice in class %s; the first is kept",
					 f.name, c->name);
				return true;
			}
			perr(ps, f.loc, "'%s' declared twice in class %s", f.name, c->name);
			return false;
		}
	c->feats = vec_grow(c->feats, &c->cap_feats, c->n_feats, sizeof(*c->feats));
	c->feats[c->n_feats++] = f;
	return true;
}

static bool parse_class(parser *ps, mof_quals *quals)
{
	mof_repo *r = ps->r;
	mof_class *c = mof_alloc(sizeof(*c));

	c->quals = *quals;
	next(ps); /* class */
	c->loc = ps->cur.loc;
	c->name = expect_ident(ps, "a class name");
	if (!c->name)
		return false;
	if (is_kw(ps, "as")) {
		next(ps);
		if (ps->cur.kind != T_ALIAS) {
			perr(ps, ps->cur.loc, "expected an alias after AS but found %s", tok_desc(ps));
			return false;
		}
		next(ps);
	}
	if (is_punct(ps, ':')) {
		next(ps);
		c->super = expect_ident(ps, "a superclass name");
		if (!c->super)
			return false;
	}
	if (!expect(ps, '{'))
		return false;
	while (!is_punct(ps, '}')) {
		if (ps->cur.kind == T_EOF) {
			perr(ps, ps->cur.loc, "class %s is not closed (expected '}')", c->name);
			return false;
		}
		if (!parse_feature(ps, c))
			return false;
	}
	next(ps);
	if (!expect(ps, ';'))
		return false;
	mof_class *old = mof_class_find(r, c->name);
	if (old) {
		if (r->opt.lenient) {
			mof_warn(r, c->loc, "class %s defined again (first at %s:%d:%d); the first is kept",
				 c->name, old->loc.file, old->loc.line, old->loc.col);
			return true;
		}
		perr(ps, c->loc, "class %s defined again (first at %s:%d:%d)", c->name,
		     old->loc.file, old->loc.line, old->loc.col);
		return false;
	}
	r->classes = vec_grow(r->classes, &r->cap_classes, r->n_classes, sizeof(*r->classes));
	r->classes[r->n_classes++] = c;
	return true;
}

/* instance of Class [as $alias] { name = value; ... } ;  -- parsed and dropped */
static bool parse_instance(parser *ps)
{
	next(ps);
	if (!is_kw(ps, "of")) {
		perr(ps, ps->cur.loc, "expected OF after INSTANCE but found %s", tok_desc(ps));
		return false;
	}
	next(ps);
	if (!expect_ident(ps, "a class name"))
		return false;
	if (is_kw(ps, "as")) {
		next(ps);
		if (ps->cur.kind != T_ALIAS) {
			perr(ps, ps->cur.loc, "expected an alias after AS but found %s", tok_desc(ps));
			return false;
		}
		next(ps);
	}
	if (!expect(ps, '{'))
		return false;
	while (!is_punct(ps, '}')) {
		mof_quals q;
		mof_value v;
		memset(&q, 0, sizeof(q));
		memset(&v, 0, sizeof(v));
		if (!parse_quals(ps, &q) || !expect_ident(ps, "a property name") || !expect(ps, '=') ||
		    !parse_value(ps, &v, MT_NONE) || !expect(ps, ';'))
			return false;
	}
	next(ps);
	ps->r->n_instances++;
	return expect(ps, ';');
}

static int parse_file_at(mof_repo *r, const char *path, int depth, mof_loc from);

static char *path_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || !*dir)
		return mof_strdup(rel);
	size_t a = strlen(dir), b = strlen(rel);
	char *p = mof_alloc(a + b + 2);
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, rel, b + 1);
	return p;
}

static bool file_exists(const char *p)
{
	FILE *f = fopen(p, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

static bool parse_pragma(parser *ps)
{
	mof_loc loc = ps->cur.loc;
	next(ps); /* # */
	if (!is_kw(ps, "pragma")) {
		perr(ps, ps->cur.loc, "expected 'pragma' after '#' but found %s", tok_desc(ps));
		return false;
	}
	next(ps);
	mof_loc nloc = ps->cur.loc;
	char *name = expect_ident(ps, "a pragma name");
	if (!name || !expect(ps, '('))
		return false;
	if (ps->cur.kind != T_STRING) {
		perr(ps, ps->cur.loc, "expected a string argument to #pragma %s", name);
		return false;
	}
	char *arg = string_concat(ps);
	if (!expect(ps, ')'))
		return false;
	if (is_punct(ps, ';')) /* tolerated */
		next(ps);
	if (!mof_strcasecmp(name, "include")) {
		char *p = path_join(ps->dir, arg);
		for (size_t i = 0; !file_exists(p) && i < ps->r->opt.n_include_dirs; i++) {
			char *q = path_join(ps->r->opt.include_dirs[i], arg);
			if (file_exists(q))
				p = q;
		}
		if (ps->depth + 1 > MAX_INCLUDE_DEPTH) {
			perr(ps, loc, "#pragma include nested more than %d deep", MAX_INCLUDE_DEPTH);
			return false;
		}
		int before = ps->r->errors;
		parse_file_at(ps->r, p, ps->depth + 1, loc);
		if (ps->r->errors > before)
			ps->failed = true;
		return !ps->failed;
	}
	if (!mof_strcasecmp(name, "namespace") || !mof_strcasecmp(name, "locale") ||
	    !mof_strcasecmp(name, "instancelocale") || !mof_strcasecmp(name, "source") ||
	    !mof_strcasecmp(name, "nonlocal") || !mof_strcasecmp(name, "nonlocaltype") ||
	    !mof_strcasecmp(name, "classflags") || !mof_strcasecmp(name, "autorecover"))
		return true;
	if (ps->r->opt.lenient) {
		mof_warn(ps->r, nloc, "unknown pragma '%s' ignored", name);
		return true;
	}
	perr(ps, nloc, "unknown pragma '%s'", name);
	return false;
}

static void parse_top(parser *ps)
{
	next(ps);
	while (ps->cur.kind != T_EOF && !ps->failed) {
		if (is_punct(ps, '#')) {
			parse_pragma(ps);
			continue;
		}
		if (is_kw(ps, "qualifier")) {
			parse_qualdecl(ps);
			continue;
		}
		if (is_kw(ps, "instance")) {
			parse_instance(ps);
			continue;
		}
		mof_quals q;
		memset(&q, 0, sizeof(q));
		if (!parse_quals(ps, &q))
			break;
		if (is_kw(ps, "class")) {
			if (strcmp(ps->cur.text, "class") && ps->r->opt.lenient)
				warn_case(ps, "class");
			parse_class(ps, &q);
			continue;
		}
		if (is_kw(ps, "instance")) {
			parse_instance(ps);
			continue;
		}
		if (ps->r->opt.lenient && ps->cur.kind == T_IDENT) {
			/* a method signature outside any class (Microsoft's method pages) */
			mof_loc loc = ps->cur.loc;
			mof_feature f;
			memset(&f, 0, sizeof(f));
			if (!parse_type(ps, &f.type, &f.ref_class))
				break;
			f.name = expect_ident(ps, "a method name");
			if (!f.name)
				break;
			if (!is_punct(ps, '(')) {
				perr(ps, ps->cur.loc, "expected '(' but found %s", tok_desc(ps));
				break;
			}
			if (!parse_method_rest(ps, &f))
				break;
			mof_warn(ps->r, loc, "method %s declared outside a class; ignored", f.name);
			continue;
		}
		perr(ps, ps->cur.loc, "expected a class, qualifier, instance or #pragma but found %s",
		     tok_desc(ps));
	}
}

static int parse_text(mof_repo *r, const char *name, const char *dir, const char *text, size_t len,
		      int depth)
{
	parser ps;

	memset(&ps, 0, sizeof(ps));
	ps.r = r;
	ps.src = ps.p = text;
	ps.end = text + len;
	ps.line = ps.col = 1;
	ps.file = mof_strdup(name);
	ps.dir = dir;
	ps.depth = depth;
	r->files = vec_grow(r->files, &r->cap_files, r->n_files, sizeof(*r->files));
	r->files[r->n_files++] = ps.file;
	if (memchr(text, 0, len)) {
		mof_loc l = { ps.file, 1, 1 };
		const char *z = memchr(text, 0, len);
		for (const char *s = text; s < z; s++) {
			if (*s == '\n') {
				l.line++;
				l.col = 1;
			} else {
				l.col++;
			}
		}
		mof_error(r, l, "NUL byte in input");
		return r->errors;
	}
	parse_top(&ps);
	return r->errors;
}

static int parse_file_at(mof_repo *r, const char *path, int depth, mof_loc from)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		mof_error(r, from, "cannot open %s: %s", path, strerror(errno));
		return r->errors;
	}
	for (size_t i = 0; i < r->n_files; i++)
		if (!strcmp(r->files[i], path)) {
			fclose(f);
			mof_warn(r, from, "%s already read; include skipped", path);
			return r->errors;
		}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= MAX_FILE_SIZE) {
				free(buf);
				fclose(f);
				mof_error(r, from, "%s is larger than %u bytes", path, MAX_FILE_SIZE);
				return r->errors;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	if (!buf) {
		mof_error(r, from, "out of memory reading %s", path);
		return r->errors;
	}
	const char *slash = strrchr(path, '/');
	char *dir = slash ? mof_strndup(path, (size_t)(slash - path)) : mof_strdup(".");
	parse_text(r, path, dir, buf, n, depth);
	free(buf);
	return r->errors;
}

int mof_parse_file(mof_repo *r, const char *path)
{
	mof_loc l = { path, 0, 0 };
	return parse_file_at(r, path, 0, l);
}

int mof_parse_buffer(mof_repo *r, const char *name, const char *text, size_t len)
{
	return parse_text(r, name, ".", text, len, 0);
}

void mof_repo_init(mof_repo *r, const mof_options *opt)
{
	memset(r, 0, sizeof(*r));
	if (opt)
		r->opt = *opt;
}

/* ---- lookup and resolution ---------------------------------------------- */

mof_class *mof_class_find(const mof_repo *r, const char *name)
{
	for (size_t i = 0; i < r->n_classes; i++)
		if (!mof_strcasecmp(r->classes[i]->name, name))
			return r->classes[i];
	return NULL;
}

const mof_qual *mof_qual_find(const mof_quals *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (!mof_strcasecmp(q->v[i].name, name))
			return &q->v[i];
	return NULL;
}

const mof_qualdecl *mof_qualdecl_find(const mof_repo *r, const char *name)
{
	for (size_t i = 0; i < r->n_quals; i++)
		if (!mof_strcasecmp(r->quals[i].name, name))
			return &r->quals[i];
	return NULL;
}

const mof_feature *mof_feature_find(const mof_class *c, const char *name)
{
	for (size_t i = 0; i < c->n_all; i++)
		if (!mof_strcasecmp(c->all[i].name, name))
			return &c->all[i];
	return NULL;
}

static bool value_fits(const mof_value *v, int type, long array)
{
	if (v->kind == MV_NULL || v->kind == MV_NONE || v->kind == MV_ALIAS)
		return true;
	if (v->kind == MV_ARRAY) {
		if (array < 0)
			return false;
		for (size_t i = 0; i < v->n; i++)
			if (!value_fits(&v->items[i], type, -1))
				return false;
		return true;
	}
	switch (type) {
	case MT_BOOLEAN: return v->kind == MV_BOOL;
	case MT_STRING: case MT_DATETIME: case MT_INSTANCE: return v->kind == MV_STRING;
	case MT_CHAR16: return v->kind == MV_CHAR || v->kind == MV_INT;
	case MT_REAL32: case MT_REAL64: return v->kind == MV_REAL || v->kind == MV_INT;
	case MT_REF: return v->kind == MV_STRING;
	case MT_NONE: return true;
	default: return v->kind == MV_INT;
	}
}

static void check_quals(mof_repo *r, const mof_quals *q)
{
	for (size_t i = 0; i < q->n; i++) {
		const mof_qual *qu = &q->v[i];
		const mof_qualdecl *d = mof_qualdecl_find(r, qu->name);
		if (!d) {
			if (r->opt.lenient)
				mof_warn(r, qu->loc, "qualifier '%s' is not declared", qu->name);
			else
				mof_error(r, qu->loc, "qualifier '%s' is not declared", qu->name);
			continue;
		}
		if (qu->val.kind != MV_NONE && !value_fits(&qu->val, d->type, d->array)) {
			if (r->opt.lenient)
				mof_warn(r, qu->loc, "value of qualifier '%s' does not match its type %s%s",
					 qu->name, mof_type_name(d->type), d->array >= 0 ? "[]" : "");
			else
				mof_error(r, qu->loc, "value of qualifier '%s' does not match its type %s%s",
					  qu->name, mof_type_name(d->type), d->array >= 0 ? "[]" : "");
		}
		if (qu->val.kind == MV_NONE && d->type != MT_BOOLEAN && !r->opt.lenient)
			mof_error(r, qu->loc, "qualifier '%s' needs a value of type %s", qu->name,
				  mof_type_name(d->type));
	}
}

/* Merge qualifiers: child's override the inherited (non-restricted) ones. */
static mof_quals merge_quals(mof_repo *r, const mof_quals *parent, const mof_quals *child)
{
	mof_quals m;
	memset(&m, 0, sizeof(m));
	for (size_t i = 0; parent && i < parent->n; i++) {
		const mof_qualdecl *d = mof_qualdecl_find(r, parent->v[i].name);
		unsigned fl = parent->v[i].flavors | (d ? d->flavors : 0);
		if ((fl & FL_RESTRICTED) && !(parent->v[i].flavors & FL_TOSUBCLASS))
			continue;
		if (mof_qual_find(child, parent->v[i].name))
			continue;
		m.v = vec_grow(m.v, &m.cap, m.n, sizeof(*m.v));
		m.v[m.n++] = parent->v[i];
	}
	for (size_t i = 0; i < child->n; i++) {
		m.v = vec_grow(m.v, &m.cap, m.n, sizeof(*m.v));
		m.v[m.n++] = child->v[i];
	}
	return m;
}

static void resolve_class(mof_repo *r, mof_class *c)
{
	/* iterative: walk up the chain first so recursion depth stays bounded */
	mof_class *chain[1024];
	size_t n = 0;
	mof_class *k = c;

	while (k && k->state != 2) {
		if (k->state == 1) {
			mof_error(r, k->loc, "class %s inherits from itself", k->name);
			k->super = NULL;
			break;
		}
		if (n == sizeof(chain) / sizeof(chain[0])) {
			mof_error(r, k->loc, "class hierarchy deeper than %zu", n);
			for (size_t i = 0; i < n; i++)
				chain[i]->state = 2;
			return;
		}
		k->state = 1;
		chain[n++] = k;
		if (!k->super)
			break;
		mof_class *p = mof_class_find(r, k->super);
		if (!p) {
			if (r->opt.lenient)
				mof_warn(r, k->loc, "superclass %s of %s is not defined; treated as a root",
					 k->super, k->name);
			else
				mof_error(r, k->loc, "superclass %s of %s is not defined", k->super, k->name);
			break;
		}
		k->parent = p;
		k = p;
	}
	while (n--) {
		mof_class *x = chain[n];
		mof_class *p = x->parent;
		size_t cap = 0;
		check_quals(r, &x->quals);
		if (p) {
			mof_quals cq = merge_quals(r, &p->quals, &x->quals);
			(void)cq;
			for (size_t i = 0; i < p->n_all; i++) {
				x->all = vec_grow(x->all, &cap, x->n_all, sizeof(*x->all));
				x->all[x->n_all++] = p->all[i];
			}
		}
		for (size_t i = 0; i < x->n_feats; i++) {
			mof_feature f = x->feats[i];
			check_quals(r, &f.quals);
			for (size_t j = 0; j < f.n_params; j++)
				check_quals(r, &f.params[j].quals);
			if (f.def.kind != MV_NONE && !value_fits(&f.def, f.type, f.array)) {
				if (r->opt.lenient)
					mof_warn(r, f.loc, "default value of '%s' does not match its type %s",
						 f.name, mof_type_name(f.type));
				else
					mof_error(r, f.loc, "default value of '%s' does not match its type %s",
						  f.name, mof_type_name(f.type));
			}
			if (f.type == MT_REF && !mof_class_find(r, f.ref_class)) {
				if (r->opt.lenient)
					mof_warn(r, f.loc, "'%s' refers to undefined class %s", f.name, f.ref_class);
				else
					mof_error(r, f.loc, "'%s' refers to undefined class %s", f.name, f.ref_class);
			}
			f.origin = x;
			bool replaced = false;
			for (size_t j = 0; j < x->n_all; j++)
				if (!mof_strcasecmp(x->all[j].name, f.name)) {
					f.quals = merge_quals(r, &x->all[j].quals, &f.quals);
					if (f.def.kind == MV_NONE)
						f.def = x->all[j].def;
					x->all[j] = f;
					replaced = true;
					break;
				}
			if (!replaced) {
				x->all = vec_grow(x->all, &cap, x->n_all, sizeof(*x->all));
				x->all[x->n_all++] = f;
			}
		}
		x->state = 2;
	}
}

int mof_resolve(mof_repo *r)
{
	for (size_t i = 0; i < r->n_classes; i++)
		resolve_class(r, r->classes[i]);
	return r->errors;
}

/* ---- dump ---------------------------------------------------------------- */

void mof_dump_value(FILE *f, const mof_value *v)
{
	switch (v->kind) {
	case MV_NONE: break;
	case MV_NULL: fputs("null", f); break;
	case MV_STRING:
		fputc('"', f);
		for (const char *s = v->text; *s; s++) {
			if (*s == '"' || *s == '\\')
				fputc('\\', f);
			if (*s == '\n')
				fputs("\\n", f);
			else
				fputc(*s, f);
		}
		fputc('"', f);
		break;
	case MV_CHAR: fprintf(f, "'%s'", v->text); break;
	case MV_ARRAY:
		fputc('{', f);
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				fputs(", ", f);
			mof_dump_value(f, &v->items[i]);
		}
		fputc('}', f);
		break;
	default: fputs(v->text ? v->text : "?", f); break;
	}
}

static void dump_quals(FILE *f, const mof_quals *q)
{
	for (size_t i = 0; i < q->n; i++) {
		if (!mof_strcasecmp(q->v[i].name, "Description"))
			continue;
		fprintf(f, " %s", q->v[i].name);
		if (q->v[i].val.kind != MV_NONE) {
			fputc('=', f);
			mof_dump_value(f, &q->v[i].val);
		}
	}
}

void mof_dump_class(FILE *f, const mof_class *c)
{
	fprintf(f, "class %s : %s\n", c->name, c->super ? c->super : "");
	for (size_t i = 0; i < c->n_all; i++) {
		const mof_feature *x = &c->all[i];
		fprintf(f, "\t%s\t%s%s%s\t%s\t%s\t", x->is_method ? "method" : "prop", mof_type_name(x->type),
			x->ref_class ? ":" : "", x->ref_class ? x->ref_class : "", x->name,
			x->origin ? x->origin->name : "");
		if (x->array >= 0)
			fprintf(f, "[%ld]", x->array);
		fputc('\t', f);
		dump_quals(f, &x->quals);
		if (x->def.kind != MV_NONE) {
			fputs("\t= ", f);
			mof_dump_value(f, &x->def);
		}
		fputc('\n', f);
		for (size_t j = 0; j < x->n_params; j++) {
			fprintf(f, "\t\tparam\t%s%s%s\t%s", mof_type_name(x->params[j].type),
				x->params[j].ref_class ? ":" : "",
				x->params[j].ref_class ? x->params[j].ref_class : "", x->params[j].name);
			if (x->params[j].array >= 0)
				fprintf(f, "[%ld]", x->params[j].array);
			fputc('\t', f);
			dump_quals(f, &x->params[j].quals);
			fputc('\n', f);
		}
	}
}
