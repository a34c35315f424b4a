/*
 * vsdk - Hyper-V operations: the management service, VM lookup and lists,
 * settings, state changes, job waiting, summary information, translation tables.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hv_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HV_HOST_CAPTION "Hosting Computer System"
#define VSSD_REALIZED "Microsoft:Hyper-V:System:Realized"
#define VSSD_PLANNED "Microsoft:Hyper-V:System:Planned"

/* ---- translation tables ------------------------------------------------------ */

static bool known(const char *s)
{
	return s && strcmp(s, "unknown") != 0;
}

VSDK_API const char *vsdk_hv_return_code_name(uint32_t rc)
{
	const char *s = vsdk_hv_Msvm_VirtualSystemManagementService_AddKvpItems_ReturnValue_name(rc);

	if (known(s))
		return s;
	/* The DMTF codes (1..6, 4097..4099), from CIM_ConcreteJob.RequestStateChange's ValueMap. */
	s = vsdk_hv_Msvm_ConcreteJob_RequestStateChange_ReturnValue_name(rc);
	if (known(s))
		return s;
	s = vsdk_hv_Msvm_ShutdownComponent_InitiateShutdown_ReturnValue_name(rc);
	return known(s) ? s : "Unknown return code";
}

VSDK_API const char *vsdk_hv_job_state_name(uint16_t state)
{
	const char *s = vsdk_hv_Msvm_ConcreteJob_JobState_name(state);

	return known(s) ? s : "Unknown JobState";
}

VSDK_API const char *vsdk_hv_requested_state_name(uint16_t state)
{
	const char *s = vsdk_hv_Msvm_ComputerSystem_RequestStateChange_RequestedState_name(state);

	if (known(s))
		return s;
	s = vsdk_hv_Msvm_ComputerSystem_RequestedState_name(state);
	return known(s) ? s : "Unknown RequestedState";
}

/*
 * EnabledState values above 32767 are vendor values (Hyper-V V1 and the
 * reference agent's table); the V2 schema's ValueMap does not list them.
 */
static const struct {
	uint16_t value;
	const char *name;
	vsdk_hv_state state;
	const char *agent;
} vendor_states[] = {
	{ 32768, "Paused", VSDK_HV_STATE_PAUSED, "Unknown" },
	{ 32769, "Suspended", VSDK_HV_STATE_SAVED, "Unknown" },
	{ 32770, "Starting", VSDK_HV_STATE_STARTING, "Starting" },
	{ 32771, "Snapshotting", VSDK_HV_STATE_UNKNOWN, "Unknown" },
	{ 32773, "Saving", VSDK_HV_STATE_SAVING, "Saving" },
	{ 32774, "Stopping", VSDK_HV_STATE_STOPPING, "Stopping" },
	{ 32776, "Pausing", VSDK_HV_STATE_PAUSING, "Unknown" },
	{ 32777, "Resuming", VSDK_HV_STATE_RESUMING, "Starting" },
};

VSDK_API const char *vsdk_hv_enabled_state_name(uint16_t state)
{
	const char *s;

	for (size_t i = 0; i < sizeof(vendor_states) / sizeof(vendor_states[0]); i++)
		if (vendor_states[i].value == state)
			return vendor_states[i].name;
	s = vsdk_hv_Msvm_ComputerSystem_EnabledState_name(state);
	return known(s) ? s : "Unknown";
}

VSDK_API vsdk_hv_state vsdk_hv_state_from_enabled(uint16_t es)
{
	for (size_t i = 0; i < sizeof(vendor_states) / sizeof(vendor_states[0]); i++)
		if (vendor_states[i].value == es)
			return vendor_states[i].state;
	switch (es) {
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED:
		return VSDK_HV_STATE_RUNNING;
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_DISABLED:
		return VSDK_HV_STATE_OFF;
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_SHUTTING_DOWN:
		return VSDK_HV_STATE_STOPPING;
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED_BUT_OFFLINE:
		return VSDK_HV_STATE_SAVED;
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_QUIESCE:
		return VSDK_HV_STATE_PAUSED;
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_STARTING:
		return VSDK_HV_STATE_STARTING;
	default:
		return VSDK_HV_STATE_UNKNOWN;
	}
}

VSDK_API const char *vsdk_hv_state_name(vsdk_hv_state state)
{
	static const char *const names[] = { "unknown", "running", "off",	"paused",  "saved",
					     "starting", "stopping", "saving", "pausing", "resuming" };

	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

VSDK_API const char *vsdk_hv_agent_state_name(uint16_t es)
{
	for (size_t i = 0; i < sizeof(vendor_states) / sizeof(vendor_states[0]); i++)
		if (vendor_states[i].value == es)
			return vendor_states[i].agent;
	switch (es) {
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_ENABLED:
		return "Running";
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_DISABLED:
		return "Stopped";
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_STARTING:
		return "Starting";
	case VSDK_HV_MSVM_COMPUTERSYSTEM_ENABLEDSTATE_SHUTTING_DOWN:
		return "Stopping";
	default:
		return "Unknown";
	}
}

/* ---- instances, EPRs, queries --------------------------------------------------- */

int vsdk__hv_decode(struct soap_dom_element *el, const vsdk_cim_class *expect, vsdk_cim_instance **out)
{
	const char *name = vsdk__xml_local(el->name);
	const vsdk_cim_class *cls = vsdk_cim_class_find(&vsdk_hv_schema, name);
	int rc;

	*out = NULL;
	if (!cls || !vsdk_cim_class_is_a(cls, expect->name))
		cls = expect;
	if ((rc = vsdk_cim_new(out, cls)))
		return rc;
	if ((rc = vsdk__cim_from_dom(*out, cls, el, 0))) {
		vsdk_cim_free(*out);
		*out = NULL;
	}
	return rc;
}

typedef struct inst_list {
	const vsdk_cim_class *expect;
	vsdk_cim_instance **v;
	size_t n, cap;
} inst_list;

static int collect_cb(void *payload, struct soap_dom_element *item)
{
	inst_list *l = payload;
	vsdk_cim_instance *inst;
	int rc;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		vsdk_cim_instance **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	if ((rc = vsdk__hv_decode(item, l->expect, &inst)))
		return rc;
	l->v[l->n++] = inst;
	return VSDK_OK;
}

static void inst_list_free(vsdk_cim_instance **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vsdk_cim_free(v[i]);
	free(v);
}

int vsdk__hv_query(struct vsdk_hv *hv, const char *wql, const vsdk_cim_class *expect, unsigned page,
		   vsdk_cim_instance ***out, size_t *n)
{
	inst_list l = { expect, NULL, 0, 0 };
	int rc;

	*out = NULL;
	*n = 0;
	rc = vsdk__wsman_enumerate(&hv->ws, VSDK_WS_HV_WILDCARD, wql, 0, page, collect_cb, &l);
	if (rc) {
		inst_list_free(l.v, l.n);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return VSDK_OK;
}

VSDK_API int vsdk_hv_query(vsdk_session *s, const char *query, const vsdk_cim_class *expect,
			   vsdk_cim_instance ***out, size_t *n)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_query");

	if (!hv)
		return VSDK_EINVALID;
	if (!query || !expect || !out || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_query: query, expect, out and n must not be NULL");
	return vsdk__hv_query(hv, query, expect, 0, out, n);
}

VSDK_API int vsdk_hv_wql_quote(const char *value, char **out)
{
	vsdk_buf b = VSDK_BUF_INIT;
	int rc;

	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_wql_quote: out is NULL");
	*out = NULL;
	if ((rc = vsdk__wql_quote(&b, value, "the WQL literal"))) {
		vsdk__buf_free(&b);
		return rc;
	}
	*out = vsdk__buf_detach(&b);
	return *out ? VSDK_OK : VSDK_ENOMEM;
}

VSDK_API int vsdk_hv_epr_of(const vsdk_cim_instance *inst, vsdk_cim_epr *epr)
{
	const vsdk_cim_class *cls;

	if (!epr)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_epr_of: epr is NULL");
	memset(epr, 0, sizeof(*epr));
	if (!inst || !inst->cls)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_epr_of: the instance is NULL");
	cls = inst->cls;
	if (!(epr->resource_uri = vsdk__strdup(cls->resource_uri)))
		return VSDK_ENOMEM;
	for (size_t i = 0; i < cls->n_props; i++) {
		const vsdk_cim_prop *p = &cls->props[i];
		vsdk_buf b = VSDK_BUF_INIT;
		char *v;
		int rc;

		if (!(p->flags & VSDK_CIM_F_KEY))
			continue;
		if (!vsdk_cim_is_present(p, inst) || (p->flags & VSDK_CIM_F_ARRAY) || p->type == VSDK_CIM_REFERENCE ||
		    p->type == VSDK_CIM_INSTANCE || p->type == VSDK_CIM_DATETIME) {
			vsdk_cim_epr_clear(epr);
			return vsdk__error_set(VSDK_EINVALID, "%s: key property %s is %s", cls->name, p->name,
					       vsdk_cim_is_present(p, inst) ? "not a scalar" : "absent");
		}
		if (p->type == VSDK_CIM_STRING)
			vsdk__buf_puts(&b, *(char *const *)vsdk__cim_field(inst, p->offset));
		else
			vsdk__cim_scalar_format(&b, p->type, vsdk__cim_field(inst, p->offset));
		v = vsdk__buf_detach(&b);
		rc = v ? vsdk_cim_epr_add_selector(epr, p->name, v) : VSDK_ENOMEM;
		free(v);
		if (rc) {
			vsdk_cim_epr_clear(epr);
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
	}
	return VSDK_OK;
}

static int selectors_of(const vsdk_cim_epr *epr, vsdk_ws_kv **kv)
{
	*kv = NULL;
	if (!epr->n_selectors)
		return VSDK_OK;
	if (!(*kv = calloc(epr->n_selectors, sizeof(**kv))))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (size_t i = 0; i < epr->n_selectors; i++) {
		(*kv)[i].name = epr->selectors[i].name;
		(*kv)[i].value = epr->selectors[i].value;
	}
	return VSDK_OK;
}

int vsdk__hv_invoke(struct vsdk_hv *hv, const vsdk_cim_method *m, const vsdk_cim_epr *target, const void *in,
		    void *out)
{
	char *body = NULL, name[128];
	vsdk_ws_kv *kv = NULL;
	struct soap_dom_element *rb = NULL, *el;
	const vsdk_cim_prop *rv;
	int rc;

	memset(out, 0, m->out->size);
	if ((rc = vsdk_cim_method_input_encode(&body, m, in)))
		return rc;
	if ((rc = selectors_of(target, &kv))) {
		free(body);
		return rc;
	}
	rc = vsdk__wsman_invoke(&hv->ws, target->resource_uri ? target->resource_uri : m->cls->resource_uri, m->name,
				kv, target->n_selectors, body, &rb);
	free(body);
	free(kv);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%s_OUTPUT", m->name);
	el = vsdk__ws_find(rb, NULL, name);
	if (!el)
		return vsdk__error_set(VSDK_EPROTO, "%s.%s: the response has no <%s>", m->cls->name, m->name, name);
	if ((rc = vsdk__cim_from_dom(out, m->out, el, 0)))
		return rc;
	rv = vsdk_cim_prop_find(m->out, "ReturnValue");
	if (!rv || !vsdk_cim_is_present(rv, out))
		return vsdk__error_set(VSDK_EPROTO, "%s.%s: the response has no ReturnValue", m->cls->name, m->name);
	return VSDK_OK;
}

/* ---- jobs ----------------------------------------------------------------------------- */

static bool job_running(uint16_t st)
{
	return st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_NEW || st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_STARTING ||
	       st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_RUNNING || st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_SUSPENDED ||
	       st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_SHUTTING_DOWN;
}

VSDK_API int vsdk_hv_job_wait(vsdk_session *s, const vsdk_cim_epr *job, int timeout_ms,
			      vsdk_hv_progress_cb progress, void *payload)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_job_wait");
	int64_t start = vsdk__now_ms(), delay = 10;
	vsdk_ws_kv *kv = NULL;
	const char *uri;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!job || !job->n_selectors)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_job_wait: the job EPR is %s",
				       job ? "without selectors" : "NULL");
	if (timeout_ms <= 0 && timeout_ms != VSDK_WAIT_INFINITE)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_job_wait: timeout_ms must be > 0 or VSDK_WAIT_INFINITE");
	uri = job->resource_uri ? job->resource_uri : VSDK_HV_URI_BASE "Msvm_ConcreteJob";
	if ((rc = selectors_of(job, &kv)))
		return rc;
	for (;;) {
		vsdk_hv_Msvm_ConcreteJob j;
		struct soap_dom_element *el;
		uint16_t st;

		memset(&j, 0, sizeof(j));
		rc = vsdk__wsman_get(&hv->ws, uri, kv, job->n_selectors, &el);
		if (!rc)
			rc = vsdk__cim_from_dom(&j, &vsdk_hv_Msvm_ConcreteJob_class, el, 0);
		if (rc) {
			vsdk__error_prefix("waiting for job %s", job->selectors[0].value);
			break;
		}
		st = j.present.JobState ? j.JobState : 0;
		if (progress && progress(payload, j.present.PercentComplete ? j.PercentComplete : 0, st)) {
			vsdk_cim_clear(&vsdk_hv_Msvm_ConcreteJob_class, &j);
			rc = vsdk__error_set(VSDK_ECANCELED, "stopped waiting for job %s (it keeps running)",
					     job->selectors[0].value);
			break;
		}
		if (st == VSDK_HV_CIM_CONCRETEJOB_JOBSTATE_COMPLETED) {
			vsdk_cim_clear(&vsdk_hv_Msvm_ConcreteJob_class, &j);
			vsdk_error_clear();
			rc = VSDK_OK;
			break;
		}
		if (!job_running(st)) {
			rc = vsdk__error_set(VSDK_EJOB, "Hyper-V job %s failed: %s (JobState %u), ErrorCode %u, %s",
					     job->selectors[0].value, vsdk_hv_job_state_name(st), st,
					     j.present.ErrorCode ? j.ErrorCode : 0,
					     j.ErrorDescription && j.ErrorDescription[0] ? j.ErrorDescription
											 : "no ErrorDescription");
			vsdk__error_mut()->cim_return = j.present.ErrorCode ? j.ErrorCode : 0;
			vsdk_cim_clear(&vsdk_hv_Msvm_ConcreteJob_class, &j);
			break;
		}
		vsdk_cim_clear(&vsdk_hv_Msvm_ConcreteJob_class, &j);
		if (timeout_ms != VSDK_WAIT_INFINITE) {
			int64_t left = start + timeout_ms - vsdk__now_ms();

			if (left <= 0) {
				rc = vsdk__error_set(VSDK_ETIMEOUT,
						     "job %s still %s after %d ms (it keeps running on the host)",
						     job->selectors[0].value, vsdk_hv_job_state_name(st), timeout_ms);
				break;
			}
			if (delay > left)
				delay = left;
		}
		vsdk__sleep_ms(delay);
		delay = delay * 5 / 4 + 1; /* gentle: the wait ends at most ~25% after the job */
		if (delay > 1000)
			delay = 1000;
	}
	free(kv);
	return rc;
}

VSDK_API int vsdk_hv_method_result(vsdk_session *s, const char *what, uint32_t rv, const vsdk_cim_epr *job,
				   int timeout_ms, vsdk_hv_progress_cb progress, void *payload)
{
	int code, rc;

	if (!what)
		what = "method";
	if (rv == VSDK_HV_RC_COMPLETED) {
		vsdk_error_clear();
		return VSDK_OK;
	}
	if (rv == VSDK_HV_RC_JOB_STARTED) {
		if (!job || !job->n_selectors)
			return vsdk__error_set(VSDK_EPROTO, "%s: ReturnValue 4096 (job started) without a Job EPR", what);
		rc = vsdk_hv_job_wait(s, job, timeout_ms, progress, payload);
		if (rc)
			vsdk__error_prefix("%s", what);
		return rc;
	}
	switch (rv) {
	case 32769:
		code = VSDK_EAUTH;
		break;
	case 32770:
		code = VSDK_EUNSUPPORTED;
		break;
	case 32772:
		code = VSDK_ETIMEOUT;
		break;
	case 32773:
		code = VSDK_EINVALID;
		break;
	case VSDK_HV_RC_INVALID_STATE:
	case 4097:
		code = VSDK_ESTATE;
		break;
	default:
		code = VSDK_EJOB;
	}
	rc = vsdk__error_set(code, "%s failed: ReturnValue %u (%s)", what, rv, vsdk_hv_return_code_name(rv));
	vsdk__error_mut()->cim_return = (long)rv;
	return rc;
}

/* ---- the management service --------------------------------------------------------------- */

int vsdk__hv_vsms_epr(vsdk_session *s, struct vsdk_hv *hv, const vsdk_cim_epr **out)
{
	vsdk_hv_Msvm_VirtualSystemManagementService *svc = NULL;
	int rc;

	if (!hv->have_vsms) {
		if ((rc = vsdk_hv_vsms_get(s, &svc)))
			return rc;
		rc = vsdk_hv_epr_of(&svc->cim, &hv->vsms);
		vsdk_hv_Msvm_VirtualSystemManagementService_free(svc);
		if (rc)
			return rc;
		hv->have_vsms = true;
	}
	*out = &hv->vsms;
	return VSDK_OK;
}

VSDK_API int vsdk_hv_vsms_get(vsdk_session *s, vsdk_hv_Msvm_VirtualSystemManagementService **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vsms_get");
	vsdk_cim_instance **v = NULL;
	size_t n = 0;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vsms_get: out is NULL");
	*out = NULL;
	rc = vsdk__hv_query(hv, "SELECT * FROM Msvm_VirtualSystemManagementService",
			    &vsdk_hv_Msvm_VirtualSystemManagementService_class, 0, &v, &n);
	if (rc == VSDK_EFAULT || rc == VSDK_ENOTFOUND || rc == VSDK_EUNSUPPORTED) {
		vsdk__error_prefix("No Hyper-V subsystem on server %s (root/virtualization/v2 is not usable)",
				   s->uri.host);
		vsdk__error_mut()->code = VSDK_EUNSUPPORTED;
		return VSDK_EUNSUPPORTED;
	}
	if (rc)
		return rc;
	if (n == 0) {
		inst_list_free(v, n);
		return vsdk__error_set(VSDK_EUNSUPPORTED,
				       "No Hyper-V subsystem on server %s: no Msvm_VirtualSystemManagementService",
				       s->uri.host);
	}
	*out = (vsdk_hv_Msvm_VirtualSystemManagementService *)v[0];
	v[0] = NULL;
	inst_list_free(v, n);
	return VSDK_OK;
}

/* ---- VMs ------------------------------------------------------------------------------------ */

static bool is_host(const vsdk_hv_Msvm_ComputerSystem *cs)
{
	return cs->Caption && strncmp(cs->Caption, HV_HOST_CAPTION, strlen(HV_HOST_CAPTION)) == 0;
}

static void drop_hosts(vsdk_cim_instance **v, size_t *n)
{
	size_t j = 0;

	for (size_t i = 0; i < *n; i++) {
		if (is_host((vsdk_hv_Msvm_ComputerSystem *)v[i]))
			vsdk_cim_free(v[i]);
		else
			v[j++] = v[i];
	}
	*n = j;
}

VSDK_API int vsdk_hv_vm_find(vsdk_session *s, const char *name, vsdk_hv_Msvm_ComputerSystem **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_find");
	vsdk_buf q = VSDK_BUF_INIT;
	vsdk_cim_instance **v = NULL;
	size_t n = 0, exact = 0;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out || !name)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_find: %s is NULL", out ? "name" : "out");
	*out = NULL;
	vsdk__buf_puts(&q, "SELECT * FROM Msvm_ComputerSystem WHERE ElementName = ");
	if ((rc = vsdk__wql_quote(&q, name, "the VM name"))) {
		vsdk__buf_free(&q);
		return rc;
	}
	if (!vsdk__buf_ok(&q))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = vsdk__hv_query(hv, q.ptr, &vsdk_hv_Msvm_ComputerSystem_class, 0, &v, &n);
	vsdk__buf_free(&q);
	if (rc)
		return rc;
	drop_hosts(v, &n);
	/* WQL compares case-insensitively: prefer exact matches when there are any. */
	for (size_t i = 0; i < n; i++) {
		const char *en = ((vsdk_hv_Msvm_ComputerSystem *)v[i])->ElementName;

		if (en && strcmp(en, name) == 0)
			exact++;
	}
	if (exact) {
		size_t j = 0;

		for (size_t i = 0; i < n; i++) {
			const char *en = ((vsdk_hv_Msvm_ComputerSystem *)v[i])->ElementName;

			if (en && strcmp(en, name) == 0)
				v[j++] = v[i];
			else
				vsdk_cim_free(v[i]);
		}
		n = j;
	}
	if (n == 0) {
		free(v);
		return vsdk__error_set(VSDK_ENOTFOUND, "no virtual machine named '%s' on %s", name, s->uri.host);
	}
	if (n > 1) {
		vsdk_buf g = VSDK_BUF_INIT;

		for (size_t i = 0; i < n; i++) {
			const char *guid = ((vsdk_hv_Msvm_ComputerSystem *)v[i])->Name;

			vsdk__buf_printf(&g, "%s%s", i ? ", " : "", guid ? guid : "?");
		}
		rc = vsdk__error_set(VSDK_EAMBIGUOUS,
				     "%zu virtual machines are named '%s' (GUIDs %s); look one up by GUID", n, name,
				     g.ptr ? g.ptr : "");
		vsdk__buf_free(&g);
		inst_list_free(v, n);
		return rc;
	}
	*out = (vsdk_hv_Msvm_ComputerSystem *)v[0];
	free(v);
	return VSDK_OK;
}

VSDK_API int vsdk_hv_vm_find_by_guid(vsdk_session *s, const char *guid, vsdk_hv_Msvm_ComputerSystem **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_find_by_guid");
	vsdk_ws_kv sel[2] = { { "CreationClassName", "Msvm_ComputerSystem" }, { "Name", guid } };
	struct soap_dom_element *el;
	vsdk_cim_instance *inst = NULL;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out || !guid || !*guid)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_find_by_guid: %s", out ? "guid is empty" : "out is NULL");
	*out = NULL;
	if (!vsdk__utf8_valid(guid, strlen(guid)))
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_find_by_guid: the GUID is not valid UTF-8");
	rc = vsdk__wsman_get(&hv->ws, VSDK_HV_MSVM_COMPUTERSYSTEM_URI, sel, 2, &el);
	if (rc == VSDK_ENOTFOUND || (rc == VSDK_EFAULT && strstr(vsdk_error_last()->fault, "DestinationUnreachable"))) {
		vsdk__error_prefix("no virtual machine with GUID '%s'", guid);
		vsdk__error_mut()->code = VSDK_ENOTFOUND;
		return VSDK_ENOTFOUND;
	}
	if (rc)
		return rc;
	if ((rc = vsdk__hv_decode(el, &vsdk_hv_Msvm_ComputerSystem_class, &inst)))
		return rc;
	if (is_host((vsdk_hv_Msvm_ComputerSystem *)inst)) {
		vsdk_cim_free(inst);
		return vsdk__error_set(VSDK_ENOTFOUND, "'%s' is the host, not a virtual machine", guid);
	}
	*out = (vsdk_hv_Msvm_ComputerSystem *)inst;
	return VSDK_OK;
}

VSDK_API int vsdk_hv_vm_list(vsdk_session *s, vsdk_hv_Msvm_ComputerSystem ***vms, size_t *n, unsigned page)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_list");
	vsdk_cim_instance **v = NULL;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!vms || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_list: vms and n must not be NULL");
	*vms = NULL;
	*n = 0;
	rc = vsdk__hv_query(hv, "SELECT * FROM Msvm_ComputerSystem", &vsdk_hv_Msvm_ComputerSystem_class, page, &v, n);
	if (rc)
		return rc;
	drop_hosts(v, n);
	*vms = (vsdk_hv_Msvm_ComputerSystem **)v;
	return VSDK_OK;
}

VSDK_API void vsdk_hv_vm_list_free(vsdk_hv_Msvm_ComputerSystem **vms, size_t n)
{
	inst_list_free((vsdk_cim_instance **)vms, n);
}

VSDK_API void vsdk_hv_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

VSDK_API int vsdk_hv_vm_list_names(vsdk_session *s, char ***names, size_t *n)
{
	vsdk_hv_Msvm_ComputerSystem **vms = NULL;
	size_t nv = 0;
	int rc;

	if (!names || !n)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_list_names: names and n must not be NULL");
	*names = NULL;
	*n = 0;
	if ((rc = vsdk_hv_vm_list(s, &vms, &nv, 0)))
		return rc;
	*names = calloc(nv ? nv : 1, sizeof(char *));
	if (!*names) {
		vsdk_hv_vm_list_free(vms, nv);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nv; i++) {
		(*names)[i] = vms[i]->ElementName;
		vms[i]->ElementName = NULL;
		vms[i]->present.ElementName = false;
		if (!(*names)[i] && !((*names)[i] = vsdk__strdup(""))) {
			vsdk_hv_strv_free(*names, i);
			*names = NULL;
			vsdk_hv_vm_list_free(vms, nv);
			return VSDK_ENOMEM;
		}
	}
	*n = nv;
	vsdk_hv_vm_list_free(vms, nv);
	return VSDK_OK;
}

/* "{Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='<guid>'}" */
static int vm_path(vsdk_buf *q, const vsdk_hv_Msvm_ComputerSystem *vm)
{
	vsdk__buf_puts(q, "{Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name=");
	if (vsdk__wql_quote(q, vm->Name, "the VM GUID"))
		return vsdk_error_last()->code;
	vsdk__buf_putc(q, '}');
	return VSDK_OK;
}

static int check_vm(const vsdk_hv_Msvm_ComputerSystem *vm, const char *fn)
{
	if (!vm || !vm->Name || !vm->Name[0])
		return vsdk__error_set(VSDK_EINVALID, "%s: the VM is %s", fn, vm ? "without a Name (GUID)" : "NULL");
	return VSDK_OK;
}

/* Run "ASSOCIATORS OF {vm} WHERE ResultClass = cls". */
static int vm_associators(struct vsdk_hv *hv, const vsdk_hv_Msvm_ComputerSystem *vm, const vsdk_cim_class *cls,
			  vsdk_cim_instance ***v, size_t *n)
{
	vsdk_buf q = VSDK_BUF_INIT;
	int rc;

	vsdk__buf_puts(&q, "ASSOCIATORS OF ");
	if ((rc = vm_path(&q, vm))) {
		vsdk__buf_free(&q);
		return rc;
	}
	vsdk__buf_printf(&q, " WHERE ResultClass = %s", cls->name);
	if (!vsdk__buf_ok(&q))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = vsdk__hv_query(hv, q.ptr, cls, 0, v, n);
	vsdk__buf_free(&q);
	return rc;
}

VSDK_API int vsdk_hv_vm_settings(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				 vsdk_hv_Msvm_VirtualSystemSettingData **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_settings");
	vsdk_cim_instance **v = NULL;
	size_t n = 0;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_settings: out is NULL");
	*out = NULL;
	if ((rc = check_vm(vm, "vsdk_hv_vm_settings")))
		return rc;
	if ((rc = vm_associators(hv, vm, &vsdk_hv_Msvm_VirtualSystemSettingData_class, &v, &n)))
		return rc;
	/* Snapshots are associated too: take the realized (or planned) settings only. */
	for (size_t i = 0; i < n && !*out; i++) {
		vsdk_hv_Msvm_VirtualSystemSettingData *d = (vsdk_hv_Msvm_VirtualSystemSettingData *)v[i];

		if (d->VirtualSystemType &&
		    (strcmp(d->VirtualSystemType, VSSD_REALIZED) == 0 || strcmp(d->VirtualSystemType, VSSD_PLANNED) == 0)) {
			*out = d;
			v[i] = NULL;
		}
	}
	inst_list_free(v, n);
	if (!*out)
		return vsdk__error_set(VSDK_ENOTFOUND, "No VirtualSystemSettingData for VM %s (GUID %s)",
				       vm->ElementName ? vm->ElementName : "?", vm->Name);
	return VSDK_OK;
}

VSDK_API int vsdk_hv_vm_kvp_settings(vsdk_session *s, const vsdk_hv_Msvm_ComputerSystem *vm,
				     vsdk_hv_Msvm_KvpExchangeComponentSettingData **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_vm_kvp_settings");
	vsdk_hv_Msvm_VirtualSystemSettingData *vssd = NULL;
	vsdk_buf q = VSDK_BUF_INIT;
	vsdk_cim_instance **v = NULL;
	size_t n = 0;
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_vm_kvp_settings: out is NULL");
	*out = NULL;
	if ((rc = vsdk_hv_vm_settings(s, vm, &vssd)))
		return rc;
	if (!vssd->InstanceID) {
		vsdk_hv_Msvm_VirtualSystemSettingData_free(vssd);
		return vsdk__error_set(VSDK_EPROTO, "the settings of VM %s have no InstanceID", vm->Name);
	}
	vsdk__buf_puts(&q, "ASSOCIATORS OF {Msvm_VirtualSystemSettingData.InstanceID=");
	rc = vsdk__wql_quote(&q, vssd->InstanceID, "the settings InstanceID");
	vsdk__buf_puts(&q, "} WHERE ResultClass = Msvm_KvpExchangeComponentSettingData");
	if (!rc && !vsdk__buf_ok(&q))
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if (!rc)
		rc = vsdk__hv_query(hv, q.ptr, &vsdk_hv_Msvm_KvpExchangeComponentSettingData_class, 0, &v, &n);
	vsdk__buf_free(&q);
	if (rc) {
		vsdk_hv_Msvm_VirtualSystemSettingData_free(vssd);
		return rc;
	}
	if (n == 0)
		rc = vsdk__error_set(VSDK_ENOTFOUND, "No KvpExchangeComponentSettingData in VirtualSystemSettingData %s",
				     vssd->InstanceID);
	else {
		*out = (vsdk_hv_Msvm_KvpExchangeComponentSettingData *)v[0];
		v[0] = NULL;
	}
	inst_list_free(v, n);
	vsdk_hv_Msvm_VirtualSystemSettingData_free(vssd);
	return rc;
}

static int sysdrive_cb(void *payload, struct soap_dom_element *item)
{
	char **dst = payload;
	struct soap_dom_element *el = vsdk__ws_find(item, NULL, "SystemDrive");

	if (el && el->text && !*dst && !(*dst = vsdk__strdup(el->text)))
		return VSDK_ENOMEM;
	return VSDK_OK;
}

/* Win32_OperatingSystem.SystemDrive (root/cimv2), e.g. "C:". */
static int system_drive(struct vsdk_hv *hv, char **out)
{
	*out = NULL;
	return vsdk__wsman_enumerate(&hv->ws, "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/*",
				     "SELECT SystemDrive FROM Win32_OperatingSystem", 0, 0, sysdrive_cb, out);
}

VSDK_API int vsdk_hv_default_data_root(vsdk_session *s, char **out)
{
	struct vsdk_hv *hv = vsdk__hv_of(s, "vsdk_hv_default_data_root");
	vsdk_cim_instance **v = NULL;
	size_t n = 0;
	char drive[64] = "C:";
	int rc;

	if (!hv)
		return VSDK_EINVALID;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_hv_default_data_root: out is NULL");
	*out = NULL;
	rc = vsdk__hv_query(hv, "SELECT * FROM Msvm_VirtualSystemManagementServiceSettingData",
			    &vsdk_hv_Msvm_VirtualSystemManagementServiceSettingData_class, 0, &v, &n);
	if (rc)
		return rc;
	if (n > 0) {
		vsdk_hv_Msvm_VirtualSystemManagementServiceSettingData *d =
			(vsdk_hv_Msvm_VirtualSystemManagementServiceSettingData *)v[0];

		if (d->DefaultVirtualHardDiskPath && d->DefaultVirtualHardDiskPath[0]) {
			*out = vsdk__strdup(d->DefaultVirtualHardDiskPath);
			inst_list_free(v, n);
			return *out ? VSDK_OK : VSDK_ENOMEM;
		}
	}
	inst_list_free(v, n);
	/* The documented fallback: the system drive's public Hyper-V folder. */
	{
		vsdk_error saved = *vsdk_error_last();
		char *sysdrive = NULL;

		if (system_drive(hv, &sysdrive) == VSDK_OK && sysdrive && sysdrive[0] &&
		    strlen(sysdrive) < sizeof(drive))
			snprintf(drive, sizeof(drive), "%s", sysdrive);
		free(sysdrive);
		*vsdk__error_mut() = saved;
	}
	if (asprintf(out, "%s\\Users\\Public\\Documents\\Hyper-V\\Virtual hard disks", drive) < 0) {
		*out = NULL;
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	vsdk_error_clear();
	return VSDK_OK;
}
