/*
 * vsdk - Hyper-V KVP exchange: host items (add, modify, remove, upsert, list),
 * guest items, and the userdata helper.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

VSDK_API void vsdk_hv_kvp_items_free(vsdk_hv_kvp_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].name);
		free(items[i].data);
	}
	free(items);
}

/* Characters (code points) of valid UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int check_text(const char *s, const char *what, size_t index, size_t max)
{
	if (!s)
		return vsdk__error_set(VSDK_EINVALID, "KVP item %zu: %s is NULL", index, what);
	if (!vsdk__utf8_valid(s, strlen(s)))
		return vsdk__error_set(VSDK_EINVALID, "KVP item %zu: %s is not valid UTF-8", index, what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return vsdk__error_set(VSDK_EINVALID,
					       "KVP item %zu: %s contains control character 0x%02X, which XML cannot carry",
					       index, what, *p);
	if (utf8_chars(s) > max)
		return vsdk__error_set(VSDK_ELIMIT, "KVP item %zu: %s is %zu characters, over the limit of %zu (MaxLen)",
				       index, what, utf8_chars(s), max);
	return VSDK_OK;
}

static int check_count(size_t n, const char *fn)
{
	if (n == 0)
		return vsdk__error_set(VSDK_EINVALID, "%s: no items given", fn);
	if (n > VSDK_HV_KVP_ITEMS_MAX)
		return vsdk__error_set(VSDK_ELIMIT, "%s: %zu items, more than the %d one call may carry", fn, n,
				       VSDK_HV_KVP_ITEMS_MAX);
	return VSDK_OK;
}

enum kvp_op { KVP_ADD, KVP_MODIFY, KVP_REMOVE };

/*
 * AddKvpItems / ModifyKvpItems / RemoveKvpItems share one signature:
 * (TargetSystem REF, DataItems[] embedded Msvm_KvpExchangeDataItem, Job OUT).
 */
static int kvp_call(vsdk_session *s, enum kvp_op op, const vsdk_hv_Msvm_ComputerSystem *vm, const char *const *names,
		    const char *const *datas, size_t n, int timeout_ms, const char *fn)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, fn);
	const vsdk_cim_method *m = op == KVP_ADD	   ? vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_method
				   : op == KVP_MODIFY ? vsdk_hv_Msvm_VirtualSystemManagementService_ModifyKvpItems_method
						      : vsdk_hv_Msvm_VirtualSystemManagementService_RemoveKvpItems_method;
	/* The three input/output structs have the same layout (generated from the same signature). */
	vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_in in;
	vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_out out;
	const vsdk_cim_epr *svc;
	char what[256];
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!vm || !vm->Name || !vm->Name[0])
		return vsdk__error_set(VSDK_EINVALID, "%s: the VM is %s", fn, vm ? "without a Name (GUID)" : "NULL");
	if ((rc = check_count(n, fn)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = check_text(names[i], "the name", i, VSDK_HV_KVP_NAME_MAX)))
			return rc;
		if (!names[i][0])
			return vsdk__error_set(VSDK_EINVALID, "KVP item %zu: the name is empty", i);
		if (datas && (rc = check_text(datas[i], "the data", i, VSDK_HV_KVP_DATA_MAX)))
			return rc;
	}
	_Static_assert(sizeof(vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_in) ==
			       sizeof(vsdk_hv_Msvm_VirtualSystemManagementService_RemoveKvpItems_in),
		       "KVP input structs differ");
	memset(&in, 0, sizeof(in));
	if ((rc = vsdk_hv_epr_of(&vm->cim, &in.TargetSystem)))
		return rc;
	in.present.TargetSystem = true;
	in.DataItems = calloc(n, sizeof(*in.DataItems));
	if (!in.DataItems) {
		vsdk_cim_clear(m->in, &in);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	in.present.DataItems = true;
	for (size_t i = 0; i < n; i++) {
		vsdk_hv_Msvm_KvpExchangeDataItem *it = NULL;

		if ((rc = vsdk_hv_Msvm_KvpExchangeDataItem_new(&it))) {
			vsdk_cim_clear(m->in, &in);
			return rc;
		}
		in.DataItems[i] = &it->cim;
		in.DataItems_count = i + 1;
		it->Name = vsdk__strdup(names[i]);
		it->Data = vsdk__strdup(datas ? datas[i] : "");
		it->Source = 0;
		it->present.Name = it->present.Data = it->present.Source = true;
		if (!it->Name || !it->Data) {
			vsdk_cim_clear(m->in, &in);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
	}
	if ((rc = vsdk__hv_vsms_epr(s, hv, &svc))) {
		vsdk_cim_clear(m->in, &in);
		return rc;
	}
	snprintf(what, sizeof(what), "%s of %zu item%s (first '%.64s') on VM %s (GUID %s)", m->name, n,
		 n == 1 ? "" : "s", names[0], vm->ElementName ? vm->ElementName : "?", vm->Name);
	rc = vsdk__hv_invoke(hv, m, svc, &in, &out);
	vsdk_cim_clear(m->in, &in);
	if (rc) {
		vsdk__error_prefix("%s", what);
		vsdk_cim_clear(m->out, &out);
		return rc;
	}
	rc = vsdk_hv_method_result(s, what, out.ReturnValue, out.present.Job ? &out.Job : NULL, timeout_ms, NULL,
				   NULL);
	vsdk_cim_clear(m->out, &out);
	return rc;
}

static int split_items(const vsdk_hv_kvp_item *items, size_t n, const char ***names, const char ***datas,
		       const char *fn)
{
	*names = NULL;
	*datas = NULL;
	if (!items)
		return vsdk__error_set(VSDK_EINVALID, "%s: items is NULL", fn);
	if (n > VSDK_HV_KVP_ITEMS_MAX || n == 0)
		return check_count(n, fn);
	*names = calloc(n, sizeof(char *));
	*datas = calloc(n, sizeof(char *));
	if (!*names || !*datas) {
		free(*names);
		free(*datas);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		(*names)[i] = items[i].name;
		(*datas)[i] = items[i].data;
	}
	return VSDK_OK;
}

static int add_or_modify(vsdk_session *s, enum kvp_op op, const vsdk_hv_Msvm_ComputerSystem *vm,
			 const vsdk_hv_kvp_item *items, size_t n, int timeout_ms, const char *fn)
{
	const char **names, **datas;
	int rc = split_items(items, n, &names, &datas, fn);

	if (rc)
		return rc;
	rc = kvp_call(s, op, vm, names, datas, n, timeout_ms, fn);
	free(names);
	free(datas);
	return rc;
}

VSDK_API int vsdk_hv_kvp_add(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const vsdk_hv_kvp_item *items,
			     size_t n, int timeout_ms)
{
	return add_or_modify(s, KVP_ADD, vm, items, n, timeout_ms, "vsdk_hv_kvp_add");
}

VSDK_API int vsdk_hv_kvp_modify(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				const vsdk_hv_kvp_item *items, size_t n, int timeout_ms)
{
	return add_or_modify(s, KVP_MODIFY, vm, items, n, timeout_ms, "vsdk_hv_kvp_modify");
}

VSDK_API int vsdk_hv_kvp_remove(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const char *const *names,
				size_t n, int timeout_ms)
{
	if (!names)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_kvp_remove: names is NULL");
	return kvp_call(s, KVP_REMOVE, vm, names, NULL, n, timeout_ms, "vsdk_hv_kvp_remove");
}

static int items_from(vsdk_cim_instance **v, size_t nv, uint16_t source, vsdk_hv_kvp_item **items, size_t *n)
{
	vsdk_hv_kvp_item *grown;

	if (!nv)
		return VSDK_OK;
	grown = realloc(*items, (*n + nv) * sizeof(**items));
	if (!grown)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	*items = grown;
	for (size_t i = 0; i < nv; i++) {
		vsdk_hv_Msvm_KvpExchangeDataItem *d = (vsdk_hv_Msvm_KvpExchangeDataItem *)v[i];
		vsdk_hv_kvp_item *it = &(*items)[*n];

		if (!d || !vsdk_cim_class_is_a(d->cim.cls, "Msvm_KvpExchangeDataItem"))
			continue;
		it->name = vsdk__strdup(d->Name ? d->Name : "");
		it->data = vsdk__strdup(d->Data ? d->Data : "");
		it->source = d->present.Source ? d->Source : source;
		if (!it->name || !it->data) {
			free(it->name);
			free(it->data);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		(*n)++;
	}
	return VSDK_OK;
}

VSDK_API int vsdk_hv_kvp_host_items(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				    vsdk_hv_kvp_item **items, size_t *n)
{
	vsdk_hv_Msvm_KvpExchangeComponentSettingData *ks = NULL;
	int rc;

	if (!items || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_kvp_host_items: items and n must not be NULL");
	*items = NULL;
	*n = 0;
	if ((rc = vsdk_hv_vm_kvp_settings(s, vm, &ks)))
		return rc;
	rc = items_from(ks->HostExchangeItems, ks->HostExchangeItems_count, 0, items, n);
	vsdk_cim_free(&ks->cim);
	if (rc) {
		vsdk_hv_kvp_items_free(*items, *n);
		*items = NULL;
		*n = 0;
		return rc;
	}
	vsdk_error_clear();
	return VSDK_OK;
}

VSDK_API int vsdk_hv_kvp_guest_items(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				     vsdk_hv_kvp_item **items, size_t *n)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_kvp_guest_items");
	vsdk_cim_instance **v = NULL;
	vsdk_buf q = VSDK_BUF_INIT;
	size_t nv = 0;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!items || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_kvp_guest_items: items and n must not be NULL");
	*items = NULL;
	*n = 0;
	if (!vm || !vm->Name || !vm->Name[0])
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_kvp_guest_items: the VM is %s",
				       vm ? "without a Name (GUID)" : "NULL");
	vsdk__buf_puts(&q, "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name=");
	if ((rc = vsdk__wql_quote(&q, vm->Name, "the VM GUID"))) {
		vsdk__buf_free(&q);
		return rc;
	}
	vsdk__buf_puts(&q, "} WHERE ResultClass = Msvm_KvpExchangeComponent");
	if (!vsdk__buf_ok(&q))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = vsdk__hv_query(hv, q.ptr, &vsdk_hv_Msvm_KvpExchangeComponent_class, 0, &v, &nv);
	vsdk__buf_free(&q);
	if (rc)
		return rc;
	if (nv == 0) {
		free(v);
		return vsdk__error_set(VSDK_ETOOLS,
				       "VM %s (GUID %s) has no KVP exchange component (integration services off?)",
				       vm->ElementName ? vm->ElementName : "?", vm->Name);
	}
	{
		vsdk_hv_Msvm_KvpExchangeComponent *kc = (vsdk_hv_Msvm_KvpExchangeComponent *)v[0];

		rc = items_from(kc->GuestExchangeItems, kc->GuestExchangeItems_count, 1, items, n);
		if (!rc)
			rc = items_from(kc->GuestIntrinsicExchangeItems, kc->GuestIntrinsicExchangeItems_count, 2, items,
					n);
	}
	for (size_t i = 0; i < nv; i++)
		vsdk_cim_free(v[i]);
	free(v);
	if (rc) {
		vsdk_hv_kvp_items_free(*items, *n);
		*items = NULL;
		*n = 0;
		return rc;
	}
	vsdk_error_clear();
	return VSDK_OK;
}

VSDK_API int vsdk_hv_kvp_upsert(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const char *name,
				const char *data, int timeout_ms)
{
	vsdk_hv_kvp_item *items = NULL, one;
	size_t n = 0;
	bool exists = false;
	int rc;

	if (!name || !data)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_kvp_upsert: %s is NULL", name ? "data" : "name");
	if ((rc = check_text(name, "the name", 0, VSDK_HV_KVP_NAME_MAX)) ||
	    (rc = check_text(data, "the data", 0, VSDK_HV_KVP_DATA_MAX)))
		return rc;
	if ((rc = vsdk_hv_kvp_host_items(s, vm, &items, &n)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].name, name) == 0)
			exists = true;
	vsdk_hv_kvp_items_free(items, n);
	one.name = (char *)name;
	one.data = (char *)data;
	one.source = 0;
	return add_or_modify(s, exists ? KVP_MODIFY : KVP_ADD, vm, &one, 1, timeout_ms, "vsdk_hv_kvp_upsert");
}

/* Strict base64 check with OpenSSL's decoder (whitespace-free, padded). */
static bool base64_valid(const char *text, size_t len)
{
	EVP_ENCODE_CTX *ctx;
	unsigned char *buf;
	int outl = 0, fin = 0, r;
	bool ok;

	if (len == 0 || len % 4 != 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' || text[i] == '\t')
			return false;
	ctx = EVP_ENCODE_CTX_new();
	buf = malloc(len);
	if (!ctx || !buf) {
		EVP_ENCODE_CTX_free(ctx);
		free(buf);
		return false;
	}
	EVP_DecodeInit(ctx);
	r = EVP_DecodeUpdate(ctx, buf, &outl, (const unsigned char *)text, (int)len);
	ok = r >= 0 && EVP_DecodeFinal(ctx, buf + outl, &fin) == 1;
	EVP_ENCODE_CTX_free(ctx);
	free(buf);
	return ok;
}

VSDK_API int vsdk_hv_userdata_set(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm, const void *data,
				  size_t len, unsigned flags, int timeout_ms)
{
	char *text;
	int rc;

	if (!data && len)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_userdata_set: data is NULL");
	if (flags == VSDK_HV_USERDATA_BASE64) {
		if (!base64_valid(data, len))
			return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_userdata_set: the data is not valid base64 "
					       "(pass VSDK_HV_USERDATA_RAW to have it encoded)");
		if (len > VSDK_HV_KVP_DATA_MAX)
			return vsdk__error_set(VSDK_ELIMIT, "userdata: %zu base64 characters, over the KVP limit of %d",
					       len, VSDK_HV_KVP_DATA_MAX);
		text = strndup(data, len);
	} else if (flags == VSDK_HV_USERDATA_RAW) {
		size_t enc = 4 * ((len + 2) / 3);

		if (enc > VSDK_HV_KVP_DATA_MAX)
			return vsdk__error_set(VSDK_ELIMIT,
					       "userdata: %zu bytes encode to %zu base64 characters, over the KVP limit of %d",
					       len, enc, VSDK_HV_KVP_DATA_MAX);
		text = malloc(enc + 1);
		if (text)
			EVP_EncodeBlock((unsigned char *)text, data, (int)len);
		if (text)
			text[enc] = '\0';
	} else {
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_userdata_set: unknown flags 0x%x", flags);
	}
	if (!text)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = vsdk_hv_kvp_upsert(s, vm, VSDK_HV_USERDATA_KEY, text, timeout_ms);
	free(text);
	return rc;
}
