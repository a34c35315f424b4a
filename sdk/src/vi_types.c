/*
 * vsdk - lookups over the generated vim25 type registry.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "common_private.h"
#include "vi_types_private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Indexes by type id, built once. */
static pthread_once_t index_once = PTHREAD_ONCE_INIT;
static int max_id;
static int *name_of;  /* id -> index in vsdk__vim_types, or -1 */
static int *base_of;  /* id -> base id, or 0 */
static int *first_link; /* id -> first index in links_by_base, or -1 */
static size_t *links_by_base;

static int link_cmp(const void *a, const void *b)
{
	const struct vsdk__vim_link *x = &vsdk__vim_links[*(const size_t *)a];
	const struct vsdk__vim_link *y = &vsdk__vim_links[*(const size_t *)b];

	return x->base != y->base ? (x->base < y->base ? -1 : 1) : (x->derived < y->derived ? -1 : x->derived > y->derived);
}

static void build_index(void)
{
	for (size_t i = 0; i < vsdk__vim_ntypes; i++)
		if (vsdk__vim_types[i].id > max_id)
			max_id = vsdk__vim_types[i].id;
	name_of = malloc(sizeof(int) * (size_t)(max_id + 1));
	base_of = calloc((size_t)max_id + 1, sizeof(int));
	first_link = malloc(sizeof(int) * (size_t)(max_id + 1));
	links_by_base = malloc(sizeof(size_t) * (vsdk__vim_nlinks + 1));
	if (!name_of || !base_of || !first_link || !links_by_base) {
		free(name_of); free(base_of); free(first_link); free(links_by_base);
		name_of = base_of = first_link = NULL;
		links_by_base = NULL;
		max_id = -1;
		return;
	}
	for (int i = 0; i <= max_id; i++)
		name_of[i] = first_link[i] = -1;
	for (size_t i = 0; i < vsdk__vim_ntypes; i++)
		name_of[vsdk__vim_types[i].id] = (int)i;
	for (size_t i = 0; i < vsdk__vim_nlinks; i++) {
		links_by_base[i] = i;
		base_of[vsdk__vim_links[i].derived] = vsdk__vim_links[i].base;
	}
	qsort(links_by_base, vsdk__vim_nlinks, sizeof(size_t), link_cmp);
	for (size_t i = vsdk__vim_nlinks; i-- > 0;)
		first_link[vsdk__vim_links[links_by_base[i]].base] = (int)i;
}

static bool in_range(int id)
{
	pthread_once(&index_once, build_index);
	return id > 0 && id <= max_id;
}

const char *vsdk__vim_type_name(int id)
{
	return in_range(id) && name_of[id] >= 0 ? vsdk__vim_types[name_of[id]].name : NULL;
}

int vsdk__vim_type_id(const char *name)
{
	size_t lo = 0, hi = vsdk__vim_ntypes;

	if (!name)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(vsdk__vim_types[mid].name, name);

		if (c == 0)
			return vsdk__vim_types[mid].id;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int vsdk__vim_type_base(int id)
{
	return in_range(id) ? base_of[id] : 0;
}

bool vsdk__vim_is_a(int id, int base_id)
{
	for (int depth = 0; id > 0 && depth < 64; depth++) {
		if (id == base_id)
			return true;
		id = vsdk__vim_type_base(id);
	}
	return false;
}

void *vsdk__vim_most_derived(void *ptr, int id, int *out_id)
{
	for (int depth = 0; ptr && depth < 64 && in_range(id); depth++) {
		int i = first_link[id];
		void *next = NULL;

		for (; i >= 0 && (size_t)i < vsdk__vim_nlinks &&
		       vsdk__vim_links[links_by_base[i]].base == id; i++) {
			const struct vsdk__vim_link *l = &vsdk__vim_links[links_by_base[i]];

			next = *(void **)((char *)ptr + l->offset);
			if (next) {
				id = l->derived;
				break;
			}
		}
		if (!next)
			break;
		ptr = next;
	}
	if (out_id)
		*out_id = id;
	return ptr;
}
