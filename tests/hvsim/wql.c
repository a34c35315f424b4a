/*
 * hvsim - a small WQL parser and evaluator: SELECT * | props FROM Class
 * [WHERE ...] and ASSOCIATORS OF {Class.Key='v',...} WHERE AssocClass = X ResultClass = Y.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { T_END, T_IDENT, T_STR, T_NUM, T_OP, T_COMMA, T_LP, T_RP, T_STAR, T_LBRACE } tok_kind;

typedef struct tok {
	tok_kind k;
	char *s; /* malloc'd text (identifier, unescaped string, number, operator) */
} tok;

typedef enum { E_CMP, E_AND, E_OR, E_NOT, E_ISNULL } expr_kind;

typedef struct expr {
	expr_kind k;
	struct expr *l, *r;
	char *prop;
	char op[3];
	char *lit;      /* NULL: literal NULL */
	bool lit_str;   /* quoted */
	bool negate;    /* IS NOT NULL */
} expr;

struct wql_query {
	bool assoc;
	char *cls;
	char **props;
	size_t n_props;
	expr *where;
	/* associators */
	char *path_cls;
	char **keys, **vals;
	size_t n_keys;
	char *assoc_cls, *result_cls;
};

typedef struct parser {
	const char *p;
	tok t;
	char *err;
	size_t errlen;
	bool failed;
} parser;

static void fail(parser *ps, const char *fmt, const char *arg)
{
	if (ps->failed)
		return;
	ps->failed = true;
	snprintf(ps->err, ps->errlen, fmt, arg ? arg : "");
}

static void next(parser *ps)
{
	const char *p = ps->p;

	free(ps->t.s);
	ps->t.s = NULL;
	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p) {
		ps->t.k = T_END;
	} else if (*p == '\'' || *p == '"') {
		char q = *p++;
		vsdk_buf b = VSDK_BUF_INIT;

		while (*p && *p != q) {
			if (*p == '\\' && p[1])
				p++;
			vsdk__buf_putc(&b, *p++);
		}
		if (*p != q) {
			fail(ps, "unterminated string literal", NULL);
			vsdk__buf_free(&b);
			ps->t.k = T_END;
			ps->p = p;
			return;
		}
		p++;
		vsdk__buf_putc(&b, '\0');
		ps->t.k = T_STR;
		ps->t.s = vsdk__buf_detach(&b);
	} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1]))) {
		const char *s = p++;

		while (isalnum((unsigned char)*p) || *p == '.')
			p++;
		ps->t.k = T_NUM;
		ps->t.s = strndup(s, (size_t)(p - s));
	} else if (isalpha((unsigned char)*p) || *p == '_') {
		const char *s = p;

		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		ps->t.k = T_IDENT;
		ps->t.s = strndup(s, (size_t)(p - s));
	} else if (*p == '=' ) {
		ps->t.k = T_OP, ps->t.s = strdup("="), p++;
	} else if (*p == '!' && p[1] == '=') {
		ps->t.k = T_OP, ps->t.s = strdup("<>"), p += 2;
	} else if (*p == '<' || *p == '>') {
		char op[3] = { *p, 0, 0 };

		if (p[1] == '=' || (*p == '<' && p[1] == '>'))
			op[1] = p[1], p++;
		p++;
		ps->t.k = T_OP, ps->t.s = strdup(op);
	} else if (*p == ',') {
		ps->t.k = T_COMMA, p++;
	} else if (*p == '(') {
		ps->t.k = T_LP, p++;
	} else if (*p == ')') {
		ps->t.k = T_RP, p++;
	} else if (*p == '*') {
		ps->t.k = T_STAR, p++;
	} else if (*p == '{') {
		ps->t.k = T_LBRACE, p++;
	} else {
		char c[2] = { *p, 0 };

		fail(ps, "unexpected character '%s'", c);
		ps->t.k = T_END;
	}
	ps->p = p;
}

static bool is_kw(parser *ps, const char *kw)
{
	return ps->t.k == T_IDENT && strcasecmp(ps->t.s, kw) == 0;
}

static bool expect_kw(parser *ps, const char *kw)
{
	if (!is_kw(ps, kw)) {
		fail(ps, "expected %s", kw);
		return false;
	}
	next(ps);
	return true;
}

static void expr_free(expr *e)
{
	if (!e)
		return;
	expr_free(e->l);
	expr_free(e->r);
	free(e->prop);
	free(e->lit);
	free(e);
}

static expr *parse_or(parser *ps);

static expr *parse_factor(parser *ps)
{
	expr *e;

	if (ps->failed)
		return NULL;
	if (is_kw(ps, "NOT")) {
		next(ps);
		e = calloc(1, sizeof(*e));
		e->k = E_NOT;
		e->l = parse_factor(ps);
		return e;
	}
	if (ps->t.k == T_LP) {
		next(ps);
		e = parse_or(ps);
		if (ps->t.k != T_RP)
			fail(ps, "expected ')'", NULL);
		else
			next(ps);
		return e;
	}
	if (ps->t.k != T_IDENT) {
		fail(ps, "expected a property name in WHERE", NULL);
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	e->prop = ps->t.s;
	ps->t.s = NULL;
	next(ps);
	if (is_kw(ps, "IS")) {
		next(ps);
		e->k = E_ISNULL;
		if (is_kw(ps, "NOT")) {
			e->negate = true;
			next(ps);
		}
		if (!expect_kw(ps, "NULL"))
			return e;
		return e;
	}
	e->k = E_CMP;
	if (ps->t.k != T_OP && !is_kw(ps, "LIKE")) {
		fail(ps, "expected a comparison operator after %s", e->prop);
		return e;
	}
	snprintf(e->op, sizeof(e->op), "%s", ps->t.k == T_OP ? ps->t.s : "~");
	next(ps);
	if (ps->t.k == T_STR || ps->t.k == T_NUM) {
		e->lit_str = ps->t.k == T_STR;
		e->lit = ps->t.s;
		ps->t.s = NULL;
		next(ps);
	} else if (is_kw(ps, "NULL")) {
		next(ps);
	} else if (ps->t.k == T_IDENT) {
		/* TRUE / FALSE / a bare word compared as text */
		e->lit = ps->t.s;
		ps->t.s = NULL;
		next(ps);
	} else {
		fail(ps, "expected a literal after the operator on %s", e->prop);
	}
	return e;
}

static expr *parse_and(parser *ps)
{
	expr *l = parse_factor(ps);

	while (!ps->failed && is_kw(ps, "AND")) {
		expr *e = calloc(1, sizeof(*e));

		next(ps);
		e->k = E_AND;
		e->l = l;
		e->r = parse_factor(ps);
		l = e;
	}
	return l;
}

static expr *parse_or(parser *ps)
{
	expr *l = parse_and(ps);

	while (!ps->failed && is_kw(ps, "OR")) {
		expr *e = calloc(1, sizeof(*e));

		next(ps);
		e->k = E_OR;
		e->l = l;
		e->r = parse_and(ps);
		l = e;
	}
	return l;
}

/* {[\\host\ns:]Class.Key='v',Key2="v"} or {Class="v"} */
static bool parse_path(parser *ps, wql_query *q)
{
	const char *p = ps->p, *s, *dot, *colon;
	const char *end;

	while (*p && isspace((unsigned char)*p))
		p++;
	s = p;
	/* find the end: the closing brace outside quotes */
	for (end = p; *end && *end != '}'; end++) {
		if (*end == '\'' || *end == '"') {
			char qc = *end++;

			while (*end && *end != qc) {
				if (*end == '\\' && end[1])
					end++;
				end++;
			}
			if (!*end)
				break;
		}
	}
	if (*end != '}') {
		fail(ps, "object path is not closed with '}'", NULL);
		return false;
	}
	dot = memchr(s, '.', (size_t)(end - s));
	colon = memchr(s, ':', dot ? (size_t)(dot - s) : (size_t)(end - s));
	if (colon)
		s = colon + 1;
	if (!dot) {
		fail(ps, "object path has no keys (expected Class.Key='value')", NULL);
		return false;
	}
	q->path_cls = strndup(s, (size_t)(dot - s));
	while (q->path_cls[0] && isspace((unsigned char)q->path_cls[strlen(q->path_cls) - 1]))
		q->path_cls[strlen(q->path_cls) - 1] = '\0';
	p = dot + 1;
	while (p < end) {
		const char *ks;
		vsdk_buf b = VSDK_BUF_INIT;

		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (p >= end)
			break;
		ks = p;
		while (p < end && *p != '=' && !isspace((unsigned char)*p))
			p++;
		q->keys = realloc(q->keys, (q->n_keys + 1) * sizeof(char *));
		q->vals = realloc(q->vals, (q->n_keys + 1) * sizeof(char *));
		q->keys[q->n_keys] = strndup(ks, (size_t)(p - ks));
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (*p != '=') {
			q->vals[q->n_keys++] = strdup("");
			fail(ps, "expected '=' after key %s in the object path", q->keys[q->n_keys - 1]);
			return false;
		}
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (*p == '\'' || *p == '"') {
			char qc = *p++;

			while (p < end && *p != qc) {
				if (*p == '\\' && p + 1 < end)
					p++;
				vsdk__buf_putc(&b, *p++);
			}
			p++;
		} else {
			while (p < end && *p != ',' && !isspace((unsigned char)*p))
				vsdk__buf_putc(&b, *p++);
		}
		vsdk__buf_putc(&b, '\0');
		q->vals[q->n_keys++] = vsdk__buf_detach(&b);
	}
	ps->p = end + 1;
	next(ps);
	return true;
}

wql_query *wql_parse(const char *text, char *err, size_t errlen)
{
	parser ps = { text, { T_END, NULL }, err, errlen, false };
	wql_query *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	next(&ps);
	if (is_kw(&ps, "SELECT")) {
		next(&ps);
		if (ps.t.k == T_STAR) {
			next(&ps);
		} else {
			for (;;) {
				if (ps.t.k != T_IDENT) {
					fail(&ps, "expected * or a property list after SELECT", NULL);
					break;
				}
				q->props = realloc(q->props, (q->n_props + 1) * sizeof(char *));
				q->props[q->n_props++] = ps.t.s;
				ps.t.s = NULL;
				next(&ps);
				if (ps.t.k != T_COMMA)
					break;
				next(&ps);
			}
		}
		if (!ps.failed && expect_kw(&ps, "FROM")) {
			if (ps.t.k != T_IDENT) {
				fail(&ps, "expected a class name after FROM", NULL);
			} else {
				q->cls = ps.t.s;
				ps.t.s = NULL;
				next(&ps);
			}
		}
		if (!ps.failed && is_kw(&ps, "WHERE")) {
			next(&ps);
			q->where = parse_or(&ps);
		}
	} else if (is_kw(&ps, "ASSOCIATORS")) {
		q->assoc = true;
		next(&ps);
		if (expect_kw(&ps, "OF")) {
			if (ps.t.k != T_LBRACE)
				fail(&ps, "expected '{' after ASSOCIATORS OF", NULL);
			else
				parse_path(&ps, q);
		}
		if (!ps.failed && is_kw(&ps, "WHERE")) {
			next(&ps);
			while (!ps.failed && ps.t.k == T_IDENT) {
				char *kw = ps.t.s;

				ps.t.s = NULL;
				next(&ps);
				if (strcasecmp(kw, "ClassDefsOnly") == 0 || strcasecmp(kw, "SchemaOnly") == 0) {
					free(kw);
					fail(&ps, "ClassDefsOnly/SchemaOnly are not supported", NULL);
					break;
				}
				if (ps.t.k != T_OP || strcmp(ps.t.s, "=") != 0) {
					fail(&ps, "expected '=' after %s", kw);
					free(kw);
					break;
				}
				next(&ps);
				if (ps.t.k != T_IDENT && ps.t.k != T_STR) {
					fail(&ps, "expected a value after %s =", kw);
					free(kw);
					break;
				}
				if (strcasecmp(kw, "AssocClass") == 0) {
					free(q->assoc_cls);
					q->assoc_cls = ps.t.s;
				} else if (strcasecmp(kw, "ResultClass") == 0) {
					free(q->result_cls);
					q->result_cls = ps.t.s;
				} else if (strcasecmp(kw, "Role") == 0 || strcasecmp(kw, "ResultRole") == 0 ||
					   strcasecmp(kw, "RequiredQualifier") == 0 ||
					   strcasecmp(kw, "RequiredAssocQualifier") == 0) {
					free(ps.t.s); /* accepted, not used for filtering */
				} else {
					fail(&ps, "unknown ASSOCIATORS OF keyword %s", kw);
					free(ps.t.s);
				}
				ps.t.s = NULL;
				free(kw);
				next(&ps);
			}
		}
	} else {
		fail(&ps, "a WQL query starts with SELECT or ASSOCIATORS OF", NULL);
	}
	if (!ps.failed && ps.t.k != T_END)
		fail(&ps, "unexpected text after the query: %s", ps.t.s ? ps.t.s : "?");
	free(ps.t.s);
	if (ps.failed) {
		wql_free(q);
		return NULL;
	}
	return q;
}

void wql_free(wql_query *q)
{
	if (!q)
		return;
	free(q->cls);
	for (size_t i = 0; i < q->n_props; i++)
		free(q->props[i]);
	free(q->props);
	expr_free(q->where);
	free(q->path_cls);
	for (size_t i = 0; i < q->n_keys; i++) {
		free(q->keys[i]);
		free(q->vals[i]);
	}
	free(q->keys);
	free(q->vals);
	free(q->assoc_cls);
	free(q->result_cls);
	free(q);
}

bool wql_is_associators(const wql_query *q) { return q->assoc; }
const char *wql_class(const wql_query *q) { return q->cls; }
const char *wql_assoc_path_class(const wql_query *q) { return q->path_cls; }
const char *wql_assoc_class(const wql_query *q) { return q->assoc_cls; }
const char *wql_result_class(const wql_query *q) { return q->result_cls; }

const char *const *wql_props(const wql_query *q, size_t *n)
{
	*n = q->n_props;
	return q->n_props ? (const char *const *)q->props : NULL;
}

size_t wql_assoc_path_keys(const wql_query *q, const char *const **names, const char *const **values)
{
	*names = (const char *const *)q->keys;
	*values = (const char *const *)q->vals;
	return q->n_keys;
}

static bool as_number(const char *s, double *d)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*d = strtod(s, &end);
	return errno == 0 && *end == '\0';
}

static bool cmp(const expr *e, const char *v)
{
	double a, b;
	int c;

	if (!e->lit || !v) /* comparisons with NULL are never true */
		return false;
	if (!e->lit_str && as_number(v, &a) && as_number(e->lit, &b))
		c = a < b ? -1 : a > b ? 1 : 0;
	else
		c = strcasecmp(v, e->lit);
	if (strcmp(e->op, "=") == 0)
		return c == 0;
	if (strcmp(e->op, "<>") == 0)
		return c != 0;
	if (strcmp(e->op, "<") == 0)
		return c < 0;
	if (strcmp(e->op, ">") == 0)
		return c > 0;
	if (strcmp(e->op, "<=") == 0)
		return c <= 0;
	if (strcmp(e->op, ">=") == 0)
		return c >= 0;
	if (strcmp(e->op, "~") == 0) { /* LIKE with % only */
		const char *pct = strchr(e->lit, '%');

		if (!pct)
			return strcasecmp(v, e->lit) == 0;
		if (strncasecmp(v, e->lit, (size_t)(pct - e->lit)) != 0)
			return false;
		if (pct[1] == '\0')
			return true;
		{
			size_t tl = strlen(pct + 1), vl = strlen(v);

			return vl >= tl && strcasecmp(v + vl - tl, pct + 1) == 0;
		}
	}
	return false;
}

static bool eval(const expr *e, const hv_inst *in)
{
	int i;

	if (!e)
		return true;
	switch (e->k) {
	case E_AND: return eval(e->l, in) && eval(e->r, in);
	case E_OR: return eval(e->l, in) || eval(e->r, in);
	case E_NOT: return !eval(e->l, in);
	case E_ISNULL:
		i = hv_prop_index(in->cls, e->prop);
		return (i < 0 || in->pv[i].n < 0) != e->negate;
	case E_CMP:
		i = hv_prop_index(in->cls, e->prop);
		if (i < 0 || in->pv[i].n < 1)
			return false;
		for (int k = 0; k < in->pv[i].n; k++)
			if (cmp(e, in->pv[i].v[k]))
				return true;
		return false;
	}
	return false;
}

bool wql_match(const wql_query *q, const hv_inst *in)
{
	return eval(q->where, in);
}
