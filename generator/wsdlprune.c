/*
 * wsdlprune - keep only the listed operations of a vim25 WSDL set.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: wsdlprune SET_DIR OPS_FILE|all OUT_DIR
 *
 * SET_DIR holds a vim25 WSDL set (vimService.wsdl importing vim.wsdl, plus
 * its .xsd files).  OUT_DIR receives links to every file of the set and a
 * vim.wsdl whose portType and binding keep only the operations named in
 * OPS_FILE (one per line, '#' comments), with the messages they no longer
 * use removed.  Types are untouched: wsdl2h generates every type anyway, and
 * anyType payloads need types no operation names.  "all" keeps everything.
 * An operation named in OPS_FILE but absent from the set is reported and
 * skipped (older API versions lack newer operations).
 */
#define _GNU_SOURCE
#include "domonlyH.h"

#include <stdbool.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WSDL_NS "http://schemas.xmlsoap.org/wsdl/"

/* wsdlprune uses only gSOAP's DOM: no generated serializers. */
SOAP_NMAC struct Namespace namespaces[] = {
	{ "wsdl", WSDL_NS, NULL, NULL },
	{ NULL, NULL, NULL, NULL }
};

static char **ops;
static size_t nops;
static char **msgs; /* messages used by kept operations */
static size_t nmsgs, capmsgs;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "wsdlprune: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static bool listed(char **list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static void read_ops(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;

	if (!f)
		die("cannot open operations list %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;

		while (*s == ' ' || *s == '\t')
			s++;
		if ((e = strchr(s, '#')))
			*e = '\0';
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*s)
			continue;
		if (nops == cap) {
			cap = cap ? cap * 2 : 64;
			ops = realloc(ops, cap * sizeof(*ops));
			if (!ops)
				die("%s", "out of memory");
		}
		ops[nops++] = strdup(s);
	}
	fclose(f);
}

/* Local part of a QName attribute value ("vim25:FooRequestMsg" -> "FooRequestMsg"). */
static const char *local(const char *qname)
{
	const char *c = qname ? strrchr(qname, ':') : NULL;

	return c ? c + 1 : qname;
}

static bool is(const struct soap_dom_element *e, const char *name)
{
	return e->name && strcmp(local(e->name), name) == 0;
}

static void use_message(const char *qname)
{
	const char *m = local(qname);

	if (!m || listed(msgs, nmsgs, m))
		return;
	if (nmsgs == capmsgs) {
		capmsgs = capmsgs ? capmsgs * 2 : 128;
		msgs = realloc(msgs, capmsgs * sizeof(*msgs));
		if (!msgs)
			die("%s", "out of memory");
	}
	msgs[nmsgs++] = strdup(m);
}

/* Unlink child elements of parent for which drop() is true. */
static size_t prune_children(struct soap_dom_element *parent,
			     bool (*drop)(struct soap_dom_element *))
{
	struct soap_dom_element **link = &parent->elts;
	size_t n = 0;

	while (*link) {
		if (drop(*link)) {
			*link = (*link)->next;
			n++;
		} else {
			link = &(*link)->next;
		}
	}
	return n;
}

static bool drop_operation(struct soap_dom_element *e)
{
	const char *name;

	if (!is(e, "operation"))
		return false;
	name = soap_att_get_text(soap_att_get(e, NULL, "name"));
	return !name || !listed(ops, nops, name);
}

static bool drop_message(struct soap_dom_element *e)
{
	const char *name;

	if (!is(e, "message"))
		return false;
	name = soap_att_get_text(soap_att_get(e, NULL, "name"));
	return !name || !listed(msgs, nmsgs, name);
}

static void link_set(const char *set, const char *out)
{
	DIR *d = opendir(set);
	struct dirent *de;
	char src[4096], dst[4096], *abs;

	if (!d)
		die("cannot read WSDL set directory %s", set);
	abs = realpath(set, NULL);
	if (!abs)
		die("cannot resolve %s", set);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 5 || (strcmp(de->d_name + n - 4, ".xsd") && strcmp(de->d_name + n - 5, ".wsdl")))
			continue;
		snprintf(src, sizeof(src), "%s/%s", abs, de->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", out, de->d_name);
		unlink(dst);
		if (symlink(src, dst) != 0)
			die("cannot link %s", dst);
	}
	closedir(d);
	free(abs);
}

int main(int argc, char **argv)
{
	struct soap *soap;
	struct soap_dom_element dom;
	char path[4096];
	FILE *in, *out;
	size_t kept = 0, dropped_ops = 0, dropped_msgs = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: wsdlprune SET_DIR OPS_FILE|all OUT_DIR\n");
		return 2;
	}
	if (mkdir(argv[3], 0755) != 0 && errno != EEXIST)
		die("cannot create %s", argv[3]);
	link_set(argv[1], argv[3]);
	if (strcmp(argv[2], "all") == 0)
		return 0;
	read_ops(argv[2]);

	snprintf(path, sizeof(path), "%s/vim.wsdl", argv[1]);
	in = fopen(path, "r");
	if (!in)
		die("cannot open %s (a vim25 set has vimService.wsdl importing vim.wsdl)", path);
	soap = soap_new1(SOAP_XML_TREE | SOAP_C_UTFSTRING);
	soap->recvfd = fileno(in);
	soap_default_xsd__anyType(soap, &dom);
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, &dom, NULL) || soap_end_recv(soap)) {
		soap_print_fault(soap, stderr);
		die("cannot parse %s", path);
	}
	fclose(in);

	/* Pass 1: find kept operations and the messages they use. */
	for (struct soap_dom_element *sec = dom.elts; sec; sec = sec->next) {
		if (!is(sec, "portType"))
			continue;
		for (struct soap_dom_element *op = sec->elts; op; op = op->next) {
			const char *name;

			if (!is(op, "operation"))
				continue;
			name = soap_att_get_text(soap_att_get(op, NULL, "name"));
			if (!name || !listed(ops, nops, name))
				continue;
			kept++;
			for (struct soap_dom_element *io = op->elts; io; io = io->next)
				use_message(soap_att_get_text(soap_att_get(io, NULL, "message")));
		}
	}
	/* Report listed operations the set does not have. */
	for (size_t i = 0; i < nops; i++) {
		bool found = false;

		for (struct soap_dom_element *sec = dom.elts; sec && !found; sec = sec->next)
			if (is(sec, "portType"))
				for (struct soap_dom_element *op = sec->elts; op && !found; op = op->next)
					found = is(op, "operation") &&
						soap_att_get_text(soap_att_get(op, NULL, "name")) &&
						strcmp(soap_att_get_text(soap_att_get(op, NULL, "name")), ops[i]) == 0;
		if (!found)
			fprintf(stderr, "wsdlprune: note: operation %s is not in this WSDL set; skipped\n", ops[i]);
	}
	/* Pass 2: drop the rest. */
	for (struct soap_dom_element *sec = dom.elts; sec; sec = sec->next)
		if (is(sec, "portType") || is(sec, "binding"))
			dropped_ops += prune_children(sec, drop_operation);
	dropped_msgs = prune_children(&dom, drop_message);

	/* The DOM writer declares the root's namespace itself: drop the copy. */
	for (struct soap_dom_attribute **a = &dom.atts; *a;) {
		if ((*a)->name && strcmp((*a)->name, "xmlns") == 0)
			*a = (*a)->next;
		else
			a = &(*a)->next;
	}

	snprintf(path, sizeof(path), "%s/vim.wsdl", argv[3]);
	unlink(path);
	out = fopen(path, "w");
	if (!out)
		die("cannot write %s", path);
	soap->sendfd = fileno(out);
	soap_set_omode(soap, SOAP_XML_INDENT);
	if (soap_begin_send(soap) || soap_out_xsd__anyType(soap, NULL, 0, &dom, NULL) || soap_end_send(soap)) {
		soap_print_fault(soap, stderr);
		die("cannot write %s", path);
	}
	fclose(out);
	fprintf(stderr, "wsdlprune: kept %zu operations (%zu portType/binding entries and %zu messages removed)\n",
		kept, dropped_ops, dropped_msgs);
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
	return 0;
}
