/*
 * hvsim - the in-memory Hyper-V model: host, VMs, settings, KVP, jobs, and
 * their materialisation as property/value lists in the generated class tables.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "hvsim.h"

#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

hv_model g_model;

/* ---- arena ------------------------------------------------------------- */

void *hv_alloc(hv_arena *a, size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > a->left) {
		size_t sz = n > 65536 ? n : 65536;
		char *b = malloc(sz);

		if (!b)
			abort(); /* a simulator out of memory has nothing sensible to do */
		if (a->n_blocks == a->cap_blocks) {
			a->cap_blocks = a->cap_blocks ? a->cap_blocks * 2 : 16;
			a->blocks = realloc(a->blocks, a->cap_blocks * sizeof(*a->blocks));
			if (!a->blocks)
				abort();
		}
		a->blocks[a->n_blocks++] = b;
		a->cur = b;
		a->left = sz;
	}
	p = a->cur;
	a->cur += n;
	a->left -= n;
	return p;
}

char *hv_strdup(hv_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = hv_alloc(a, n);

	memcpy(p, s, n);
	return p;
}

char *hv_printf(hv_arena *a, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(tmp))
		return hv_strdup(a, tmp);
	{
		char *p = hv_alloc(a, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
		return p;
	}
}

void hv_arena_free(hv_arena *a)
{
	for (size_t i = 0; i < a->n_blocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}

/* ---- time, ids ---------------------------------------------------------- */

int64_t hv_epoch_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void hv_fmt_datetime(char *buf, size_t n, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d000Z", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void hv_fmt_interval(char *buf, size_t n, int64_t ms)
{
	int64_t s = ms / 1000;

	snprintf(buf, n, "P%lldDT%lldH%lldM%lld.%03lldS", (long long)(s / 86400), (long long)(s / 3600 % 24),
		 (long long)(s / 60 % 60), (long long)(s % 60), (long long)(ms % 1000));
}

void hv_uuid(char out[37])
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1) {
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)rand();
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", r[0], r[1],
		 r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* ---- classes ------------------------------------------------------------ */

const vsdk_cim_class *hv_class_find(const char *name)
{
	const vsdk_cim_schema *s = &vsdk_hv_schema;

	for (size_t i = 0; i < s->n_classes; i++)
		if (strcasecmp(s->classes[i]->name, name) == 0)
			return s->classes[i];
	return NULL;
}

bool hv_class_is_a(const vsdk_cim_class *cls, const char *name)
{
	if (strcasecmp(cls->name, name) == 0)
		return true;
	for (const char *const *a = cls->ancestors; a && *a; a++)
		if (strcasecmp(*a, name) == 0)
			return true;
	return false;
}

int hv_prop_index(const vsdk_cim_class *cls, const char *name)
{
	size_t lo = 0, hi = cls->n_props;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcasecmp(cls->props[mid].name, name);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const vsdk_cim_class *hv_kind_class(hv_kind k)
{
	switch (k) {
	case HK_HOST:
	case HK_VM: return &vsdk_hv_Msvm_ComputerSystem_class;
	case HK_VSSD:
	case HK_SNAP: return &vsdk_hv_Msvm_VirtualSystemSettingData_class;
	case HK_KVP: return &vsdk_hv_Msvm_KvpExchangeComponent_class;
	case HK_KVPSD: return &vsdk_hv_Msvm_KvpExchangeComponentSettingData_class;
	case HK_SHUTDOWN: return &vsdk_hv_Msvm_ShutdownComponent_class;
	case HK_VSMS: return &vsdk_hv_Msvm_VirtualSystemManagementService_class;
	case HK_VSMSSD: return &vsdk_hv_Msvm_VirtualSystemManagementServiceSettingData_class;
	case HK_JOB: return &vsdk_hv_Msvm_ConcreteJob_class;
	default: return NULL;
	}
}

/* ---- model -------------------------------------------------------------- */

static const char *const hostile_names[] = {
	"a'b\"c\\d",
	"<x>&amp;",
	"\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x96\xa5",
	"]]> ' OR Name != '",
};

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

int hv_kvp_find(const hv_kvp_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return (int)i;
	return -1;
}

void hv_kvp_set(hv_kvp_list *l, const char *name, const char *data)
{
	int i = hv_kvp_find(l, name);

	if (i >= 0) {
		free(l->items[i].data);
		l->items[i].data = xstrdup(data);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	l->items[l->n].name = xstrdup(name);
	l->items[l->n].data = xstrdup(data);
	l->n++;
}

void hv_kvp_del(hv_kvp_list *l, int i)
{
	free(l->items[i].name);
	free(l->items[i].data);
	memmove(&l->items[i], &l->items[i + 1], (l->n - (size_t)i - 1) * sizeof(*l->items));
	l->n--;
}

int hv_model_init(hv_model *m, size_t n_vms, bool hostile, int job_delay_ms)
{
	char buf[64];
	int64_t now = hv_epoch_ms();

	pthread_mutex_init(&m->lock, NULL);
	snprintf(m->host_name, sizeof(m->host_name), "HVSIM01");
	m->job_delay_ms = job_delay_ms;
	m->boot_ms = now - 3 * 86400 * 1000LL;
	m->n_vms = n_vms;
	m->vms = calloc(n_vms ? n_vms : 1, sizeof(*m->vms));
	if (!m->vms)
		return -1;
	for (size_t i = 0; i < n_vms; i++) {
		hv_vm *v = &m->vms[i];
		size_t k = i + 1;

		snprintf(buf, sizeof(buf), "5EC0%04X-%04X-4000-8000-%012llX", (unsigned)(k >> 16 & 0xffff),
			 (unsigned)(k & 0xffff), (unsigned long long)k);
		memcpy(v->guid, buf, 36);
		v->guid[36] = '\0';
		if (hostile && i < sizeof(hostile_names) / sizeof(hostile_names[0]))
			v->name = xstrdup(hostile_names[i]);
		else {
			snprintf(buf, sizeof(buf), "vm-%05zu", k);
			v->name = xstrdup(buf);
		}
		v->state = (k % 2) ? 2 : 3;
		v->requested = 12;
		v->last_change = now - (int64_t)(k % 1000) * 60000;
		v->has_snapshot = (k % 3) == 0;
	}
	return 0;
}

long hv_vm_find(const char *guid)
{
	unsigned a, b;
	size_t k;
	char tail[32];

	/* Our GUIDs encode the index: 5EC0hhhh-llll-4000-8000-<index in hex>. */
	if (strlen(guid) != 36 || sscanf(guid, "%*4[5Ee][Cc]0%4x-%4x-4000-8000-%12[0-9A-Fa-f]", &a, &b, tail) != 3)
		goto scan;
	k = ((size_t)a << 16) | b;
	if (k >= 1 && k <= g_model.n_vms && strcasecmp(g_model.vms[k - 1].guid, guid) == 0)
		return (long)(k - 1);
scan:
	for (size_t i = 0; i < g_model.n_vms; i++)
		if (strcasecmp(g_model.vms[i].guid, guid) == 0)
			return (long)i;
	return -1;
}

/* ---- jobs --------------------------------------------------------------- */

size_t hv_job_new(hv_job_kind kind, uint32_t vm, const char *name, uint16_t job_type)
{
	hv_model *m = &g_model;
	hv_job *j;

	if (m->n_jobs == m->cap_jobs) {
		m->cap_jobs = m->cap_jobs ? m->cap_jobs * 2 : 64;
		m->jobs = realloc(m->jobs, m->cap_jobs * sizeof(*m->jobs));
		if (!m->jobs)
			abort();
	}
	j = &m->jobs[m->n_jobs];
	memset(j, 0, sizeof(*j));
	hv_uuid(j->id);
	j->kind = kind;
	j->vm = vm;
	j->submitted = hv_epoch_ms();
	j->delay = m->job_delay_ms;
	j->name = xstrdup(name);
	j->job_type = job_type;
	if (m->inj.next_job_hang > 0) {
		m->inj.next_job_hang--;
		j->never_ends = true;
	} else if (m->inj.next_job_exception > 0) {
		m->inj.next_job_exception--;
		j->fail = true;
		j->error_code = m->inj.exc_code ? m->inj.exc_code : 32768;
		j->error_desc = xstrdup(m->inj.exc_desc[0] ? m->inj.exc_desc : "The operation failed (injected).");
	}
	return m->n_jobs++;
}

static void job_finish(hv_job *j, int64_t now)
{
	hv_vm *v = j->vm < g_model.n_vms ? &g_model.vms[j->vm] : NULL;

	j->finished = now;
	if (!j->fail && (j->kind == JK_STATE || j->kind == JK_SHUTDOWN) && v) {
		v->state = j->target;
		v->last_change = now;
	}
	if (!j->fail && j->kind == JK_KVP && v) {
		for (size_t i = 0; i < j->kvp.n; i++) {
			hv_kvp *k = &j->kvp.items[i];
			int at = hv_kvp_find(&v->host, k->name);

			if (j->kvp_op == 0 && at >= 0) {
				j->fail = true;
				j->error_code = 32768;
				free(j->error_desc);
				if (asprintf(&j->error_desc, "The key '%s' already exists.", k->name) < 0)
					j->error_desc = NULL;
				break;
			}
			if (j->kvp_op != 0 && at < 0) {
				j->fail = true;
				j->error_code = 32768;
				free(j->error_desc);
				if (asprintf(&j->error_desc, "The key '%s' does not exist.", k->name) < 0)
					j->error_desc = NULL;
				break;
			}
		}
		if (!j->fail) {
			for (size_t i = 0; i < j->kvp.n; i++) {
				hv_kvp *k = &j->kvp.items[i];

				if (j->kvp_op == 2)
					hv_kvp_del(&v->host, hv_kvp_find(&v->host, k->name));
				else
					hv_kvp_set(&v->host, k->name, k->data);
			}
		}
	}
	if (v && (j->kind == JK_STATE || j->kind == JK_SHUTDOWN)) {
		v->busy = false;
		v->requested = 12;
	}
	j->final_state = j->fail ? 10 : 7;
}

void hv_jobs_advance(void)
{
	int64_t now = hv_epoch_ms();

	for (size_t i = 0; i < g_model.n_jobs; i++) {
		hv_job *j = &g_model.jobs[i];

		if (j->final_state || j->never_ends)
			continue;
		if (now - j->submitted >= j->delay)
			job_finish(j, now);
	}
}

/* ---- materialisation ---------------------------------------------------- */

static void set1(hv_inst *in, const char *prop, const char *val)
{
	int i = hv_prop_index(in->cls, prop);

	if (i < 0 || !val)
		return;
	in->pv[i].n = 1;
	in->pv[i].v = hv_alloc(in->arena, sizeof(char *));
	in->pv[i].v[0] = hv_strdup(in->arena, val);
}

static void setf(hv_inst *in, const char *prop, const char *fmt, ...) VSDK_PRINTF(3, 4);
static void setf(hv_inst *in, const char *prop, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	set1(in, prop, tmp);
}

static void setarr(hv_inst *in, const char *prop, size_t n, const char *const *vals)
{
	int i = hv_prop_index(in->cls, prop);

	if (i < 0)
		return;
	in->pv[i].n = (int)n;
	in->pv[i].v = hv_alloc(in->arena, (n ? n : 1) * sizeof(char *));
	for (size_t k = 0; k < n; k++)
		in->pv[i].v[k] = hv_strdup(in->arena, vals[k]);
}

static void setdt(hv_inst *in, const char *prop, int64_t ms)
{
	char b[64];

	hv_fmt_datetime(b, sizeof(b), ms);
	set1(in, prop, b);
}

const char *hv_get(const hv_inst *in, const char *prop)
{
	int i = hv_prop_index(in->cls, prop);

	if (i < 0 || in->pv[i].n < 1)
		return NULL;
	return in->pv[i].v[0];
}

char *hv_kvp_cimxml(hv_arena *a, const char *name, const char *data, int source)
{
	vsdk_buf b = VSDK_BUF_INIT;
	char *r;

	vsdk__buf_puts(&b, "<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
			   "<PROPERTY NAME=\"Caption\" PROPAGATED=\"true\" TYPE=\"string\"></PROPERTY>"
			   "<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>");
	vsdk__buf_xml_escape(&b, data);
	vsdk__buf_puts(&b, "</VALUE></PROPERTY>"
			   "<PROPERTY NAME=\"Description\" PROPAGATED=\"true\" TYPE=\"string\"></PROPERTY>"
			   "<PROPERTY NAME=\"ElementName\" PROPAGATED=\"true\" TYPE=\"string\"></PROPERTY>"
			   "<PROPERTY NAME=\"InstanceID\" PROPAGATED=\"true\" TYPE=\"string\"></PROPERTY>"
			   "<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>");
	vsdk__buf_xml_escape(&b, name);
	vsdk__buf_printf(&b, "</VALUE></PROPERTY><PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>%d</VALUE>"
			     "</PROPERTY></INSTANCE>", source);
	if (!vsdk__buf_ok(&b))
		abort();
	r = hv_strdup(a, b.ptr);
	vsdk__buf_free(&b);
	return r;
}

static void set_kvp_items(hv_inst *in, const char *prop, const hv_kvp_list *l, int source)
{
	int i = hv_prop_index(in->cls, prop);

	if (i < 0)
		return;
	if (l->n == 0) {
		in->pv[i].n = -1;
		return;
	}
	in->pv[i].n = (int)l->n;
	in->pv[i].v = hv_alloc(in->arena, l->n * sizeof(char *));
	for (size_t k = 0; k < l->n; k++)
		in->pv[i].v[k] = hv_kvp_cimxml(in->arena, l->items[k].name, l->items[k].data, source);
}

static void fill_cs(hv_inst *in, hv_vm *v)
{
	hv_model *m = &g_model;
	static const char *const ops_ok[] = { "2" };
	static const char *const dedicated[] = { "32" };

	set1(in, "CreationClassName", "Msvm_ComputerSystem");
	set1(in, "HealthState", "5");
	set1(in, "CommunicationStatus", "2");
	set1(in, "DetailedStatus", "0");
	set1(in, "OperatingStatus", "0");
	set1(in, "PrimaryStatus", "1");
	set1(in, "EnabledDefault", "2");
	set1(in, "ResetCapability", "1");
	set1(in, "NameFormat", NULL);
	setarr(in, "OperationalStatus", 1, ops_ok);
	setarr(in, "StatusDescriptions", 1, (const char *const[]){ "Operating normally" });
	if (!v) {
		set1(in, "Caption", "Hosting Computer System");
		set1(in, "Description", "Microsoft Hosting Computer System");
		set1(in, "ElementName", m->host_name);
		set1(in, "Name", m->host_name);
		set1(in, "EnabledState", "2");
		set1(in, "RequestedState", "12");
		set1(in, "TransitioningToState", "12");
		set1(in, "PrimaryOwnerName", "Administrator");
		setarr(in, "Dedicated", 1, (const char *const[]){ "0" });
		setarr(in, "AvailableRequestedStates", 0, NULL);
		in->pv[hv_prop_index(in->cls, "AvailableRequestedStates")].n = -1;
		setdt(in, "InstallDate", m->boot_ms - 86400000LL * 30);
		setdt(in, "TimeOfLastStateChange", m->boot_ms);
		setf(in, "OnTimeInMilliseconds", "%lld", (long long)(hv_epoch_ms() - m->boot_ms));
		return;
	}
	set1(in, "Caption", "Virtual Machine");
	set1(in, "Description", "Microsoft Virtual Machine");
	set1(in, "ElementName", v->name);
	set1(in, "Name", v->guid);
	setarr(in, "Dedicated", 1, dedicated);
	setf(in, "EnabledState", "%u", v->state);
	setf(in, "RequestedState", "%u", v->requested);
	setf(in, "TransitioningToState", "%u", v->busy ? v->requested : 12);
	set1(in, "EnhancedSessionModeState", "3");
	set1(in, "FailedOverReplicationType", "0");
	set1(in, "ReplicationHealth", "0");
	set1(in, "ReplicationMode", "0");
	set1(in, "ReplicationState", "0");
	set1(in, "LastReplicationType", "0");
	set1(in, "NumberOfNumaNodes", "1");
	setdt(in, "InstallDate", m->boot_ms - 86400000LL);
	setdt(in, "TimeOfLastStateChange", v->last_change);
	setdt(in, "TimeOfLastConfigurationChange", v->last_change);
	setf(in, "OnTimeInMilliseconds", "%lld", v->state == 2 || v->state == 9 ?
	     (long long)(hv_epoch_ms() - v->last_change) : 0LL);
	if (v->state == 2 || v->state == 9)
		setf(in, "ProcessID", "%u", 4000u + (unsigned)(v - m->vms));
	{
		static const char *const avail[] = { "2", "3", "6", "9", "10", "11" };
		setarr(in, "AvailableRequestedStates", 6, avail);
	}
}

static void fill_vssd(hv_inst *in, hv_vm *v, bool snap)
{
	hv_model *m = &g_model;
	char id[128];
	size_t k = (size_t)(v - m->vms) + 1;

	if (snap)
		snprintf(id, sizeof(id), "Microsoft:5A9A%04X-0000-4000-8000-%012zX", (unsigned)(k & 0xffff), k);
	else
		snprintf(id, sizeof(id), "Microsoft:%s", v->guid);
	set1(in, "InstanceID", id);
	set1(in, "Caption", "Virtual Machine Settings");
	set1(in, "Description", "Active settings for the virtual machine.");
	if (snap) {
		char *nm = hv_printf(in->arena, "%s - (1/2/2026 - 10:00:00 AM)", v->name);

		set1(in, "ElementName", nm);
		set1(in, "VirtualSystemType", "Microsoft:Hyper-V:Snapshot:Realized");
		setf(in, "Parent", "\\\\%s\\root\\virtualization\\v2:Msvm_VirtualSystemSettingData.InstanceID=\"Microsoft:%s\"",
		     m->host_name, v->guid);
		set1(in, "IsSaved", "false");
	} else {
		set1(in, "ElementName", v->name);
		set1(in, "VirtualSystemType", "Microsoft:Hyper-V:System:Realized");
		set1(in, "IsSaved", v->state == 6 ? "true" : "false");
	}
	set1(in, "VirtualSystemIdentifier", v->guid);
	set1(in, "VirtualSystemSubType", "Microsoft:Hyper-V:SubType:2");
	set1(in, "Version", "9.0");
	set1(in, "ConfigurationID", v->guid);
	set1(in, "ConfigurationDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	setf(in, "ConfigurationFile", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\\Virtual Machines\\%s.vmcx", v->guid);
	set1(in, "SnapshotDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	set1(in, "SuspendDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	set1(in, "SwapFileDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	set1(in, "LogDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	setf(in, "BIOSGUID", "{%s}", v->guid);
	setf(in, "BIOSSerialNumber", "0000-%04zu-%04zu-%04zu", k / 100000000 % 10000, k / 10000 % 10000, k % 10000);
	set1(in, "BIOSNumLock", "false");
	set1(in, "AutomaticStartupAction", "2");
	set1(in, "AutomaticStartupActionDelay", "P0DT0H0M0.000S");
	set1(in, "AutomaticShutdownAction", "3");
	set1(in, "AutomaticRecoveryAction", "3");
	set1(in, "AutomaticSnapshotsEnabled", "false");
	set1(in, "SecureBootEnabled", "true");
	set1(in, "VirtualNumaEnabled", "true");
	set1(in, "IsAutomaticSnapshot", "false");
	set1(in, "UserSnapshotType", "2");
	setdt(in, "CreationTime", m->boot_ms - (int64_t)k * 1000);
	{
		int i = hv_prop_index(in->cls, "Notes");

		if (i >= 0) {
			in->pv[i].n = 1;
			in->pv[i].v = hv_alloc(in->arena, sizeof(char *));
			in->pv[i].v[0] = "";
		}
	}
}

static void fill_device(hv_inst *in, hv_vm *v, const char *cls, const char *suffix, const char *name,
			const char *caption)
{
	set1(in, "CreationClassName", cls);
	setf(in, "DeviceID", "Microsoft:%s\\%s", v->guid, suffix);
	set1(in, "SystemCreationClassName", "Msvm_ComputerSystem");
	set1(in, "SystemName", v->guid);
	set1(in, "Name", name);
	set1(in, "ElementName", name);
	set1(in, "Caption", caption);
	set1(in, "Description", caption);
	setf(in, "EnabledState", "%u", v->state == 2 || v->state == 9 ? 2 : 3);
	set1(in, "RequestedState", "12");
	set1(in, "EnabledDefault", "2");
	set1(in, "HealthState", v->state == 2 ? "5" : "0");
	setarr(in, "OperationalStatus", v->state == 2 ? 2 : 0, (const char *const[]){ "2", "15" });
	setarr(in, "StatusDescriptions", v->state == 2 ? 2 : 0,
	       (const char *const[]){ "OK", "The protocol version of the component installed in the virtual machine is compatible." });
}

static void fill_kvp(hv_inst *in, hv_vm *v)
{
	hv_model *m = &g_model;
	size_t k = (size_t)(v - m->vms) + 1;

	fill_device(in, v, "Msvm_KvpExchangeComponent", "KVPExchange", "Key-Value Pair Exchange",
		    "Key-Value Pair Exchange");
	set_kvp_items(in, "GuestExchangeItems", &v->guest, 1);
	if (v->state == 2) {
		hv_kvp_list l = { 0 };
		hv_kvp items[8];
		char fqdn[128], ip4[64], ip6[96];

		snprintf(fqdn, sizeof(fqdn), "vm-%05zu.sim.example", k);
		snprintf(ip4, sizeof(ip4), "10.%zu.%zu.%zu", k / 65536 % 256, k / 256 % 256, k % 256);
		snprintf(ip6, sizeof(ip6), "fe80::215:5dff:fe00:%zx;fd00::%zx", k & 0xffff, k);
		items[0] = (hv_kvp){ "FullyQualifiedDomainName", fqdn };
		items[1] = (hv_kvp){ "OSName", "Windows Server 2019 Datacenter" };
		items[2] = (hv_kvp){ "OSVersion", "10.0.17763" };
		items[3] = (hv_kvp){ "OSMajorVersion", "10" };
		items[4] = (hv_kvp){ "OSMinorVersion", "0" };
		items[5] = (hv_kvp){ "NetworkAddressIPv4", ip4 };
		items[6] = (hv_kvp){ "NetworkAddressIPv6", ip6 };
		items[7] = (hv_kvp){ "IntegrationServicesVersion", "10.0.17763.1" };
		l.items = items;
		l.n = 8;
		set_kvp_items(in, "GuestIntrinsicExchangeItems", &l, 2);
	}
}

static void fill_kvpsd(hv_inst *in, hv_vm *v)
{
	setf(in, "InstanceID", "Microsoft:%s\\KVPExchangeSettingData", v->guid);
	set1(in, "Caption", "Key-Value Pair Exchange");
	set1(in, "Description", "Microsoft Virtual Machine Key-Value Pair Exchange Settings");
	set1(in, "ElementName", "Key-Value Pair Exchange");
	set1(in, "ResourceType", "1");
	set1(in, "OtherResourceType", "Microsoft:Hyper-V:Key Value Pair Exchange");
	set1(in, "ResourceSubType", "Microsoft:Hyper-V:Key Value Pair Exchange");
	set1(in, "EnabledState", "2");
	set1(in, "DisableHostKVPItems", "false");
	set1(in, "AutomaticAllocation", "true");
	set1(in, "AutomaticDeallocation", "true");
	set1(in, "ConsumerVisibility", "3");
	set_kvp_items(in, "HostExchangeItems", &v->host, 0);
}

static void fill_vsms(hv_inst *in)
{
	hv_model *m = &g_model;

	set1(in, "CreationClassName", "Msvm_VirtualSystemManagementService");
	set1(in, "Name", "vmms");
	set1(in, "SystemCreationClassName", "Msvm_ComputerSystem");
	set1(in, "SystemName", m->host_name);
	set1(in, "Caption", "Virtual System Management Service");
	set1(in, "Description", "Service for creating, deleting, and managing virtual systems.");
	set1(in, "ElementName", "Virtual System Management Service");
	set1(in, "EnabledState", "2");
	set1(in, "RequestedState", "12");
	set1(in, "EnabledDefault", "2");
	set1(in, "HealthState", "5");
	set1(in, "Started", "true");
	set1(in, "StartMode", "Auto");
	setarr(in, "OperationalStatus", 1, (const char *const[]){ "2" });
}

static void fill_vsmssd(hv_inst *in)
{
	hv_model *m = &g_model;

	setf(in, "InstanceID", "Microsoft:%s", m->host_name);
	set1(in, "Caption", "Hyper-V Virtual System Management Service Setting Data");
	set1(in, "Description", "Hyper-V virtual system management service configuration settings");
	set1(in, "ElementName", "Hyper-V Virtual System Management Service Setting Data");
	set1(in, "DefaultExternalDataRoot", "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
	set1(in, "DefaultVirtualHardDiskPath", "C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks");
	set1(in, "MinimumMacAddress", "00155D3A7000");
	set1(in, "MaximumMacAddress", "00155D3A70FF");
	set1(in, "NumaSpanningEnabled", "true");
	set1(in, "EnhancedSessionModeEnabled", "false");
	set1(in, "HbaLunTimeout", "60");
}

static void fill_job(hv_inst *in, hv_job *j)
{
	int64_t now = hv_epoch_ms(), el;
	unsigned state, pct;
	char b[64];

	if (j->final_state) {
		state = j->final_state;
		pct = state == 7 ? 100 : 50;
		el = j->finished - j->submitted;
	} else {
		el = now - j->submitted;
		if (el < j->delay / 5 && !j->never_ends) {
			state = 2;
			pct = 0;
		} else {
			state = 4;
			pct = j->never_ends ? 50 : (unsigned)(j->delay ? el * 100 / j->delay : 99);
			if (pct > 99)
				pct = 99;
		}
	}
	set1(in, "InstanceID", j->id);
	set1(in, "Caption", j->name);
	set1(in, "Description", j->name);
	set1(in, "ElementName", j->name);
	set1(in, "Name", j->name);
	setf(in, "JobType", "%u", j->job_type);
	setf(in, "JobState", "%u", state);
	setf(in, "PercentComplete", "%u", pct);
	set1(in, "Cancellable", "true");
	set1(in, "DeleteOnCompletion", "true");
	set1(in, "LocalOrUtcTime", "2");
	set1(in, "Priority", "0");
	set1(in, "Owner", "HVSIM01\\Administrator");
	set1(in, "JobRunTimes", "1");
	set1(in, "HealthState", state == 10 ? "20" : "5");
	set1(in, "RecoveryAction", "1");
	set1(in, "JobStatus", state == 7 ? "Job completed successfully." :
	     state == 10 ? "Job failed." : state == 2 ? "Job is new." : "Job is running.");
	setarr(in, "OperationalStatus", 1, (const char *const[]){ state == 10 ? "6" : state == 7 ? "17" : "2" });
	setf(in, "ErrorCode", "%u", state == 10 ? j->error_code : 0);
	if (state == 10) {
		set1(in, "ErrorDescription", j->error_desc ? j->error_desc : "The operation failed.");
		set1(in, "ErrorSummaryDescription", j->error_desc ? j->error_desc : "The operation failed.");
	}
	setdt(in, "TimeSubmitted", j->submitted);
	setdt(in, "StartTime", j->submitted);
	setdt(in, "TimeOfLastStateChange", j->final_state ? j->finished : j->submitted);
	hv_fmt_interval(b, sizeof(b), el);
	set1(in, "ElapsedTime", b);
	set1(in, "TimeBeforeRemoval", "P0DT0H5M0.000S");
	setdt(in, "ScheduledStartTime", j->submitted);
	set1(in, "UntilTime", NULL);
}

bool hv_materialize(hv_inst *in, hv_obj o, hv_arena *a)
{
	hv_model *m = &g_model;
	hv_vm *v = NULL;

	in->cls = hv_kind_class((hv_kind)o.kind);
	in->obj = o;
	in->arena = a;
	if (!in->cls)
		return false;
	in->pv = hv_alloc(a, in->cls->n_props * sizeof(hv_pv));
	for (size_t i = 0; i < in->cls->n_props; i++)
		in->pv[i].n = -1, in->pv[i].v = NULL;
	if (o.kind != HK_HOST && o.kind != HK_VSMS && o.kind != HK_VSMSSD && o.kind != HK_JOB) {
		if (o.idx >= m->n_vms)
			return false;
		v = &m->vms[o.idx];
	}
	switch ((hv_kind)o.kind) {
	case HK_HOST: fill_cs(in, NULL); break;
	case HK_VM: fill_cs(in, v); break;
	case HK_VSSD: fill_vssd(in, v, false); break;
	case HK_SNAP:
		if (!v->has_snapshot)
			return false;
		fill_vssd(in, v, true);
		break;
	case HK_KVP: fill_kvp(in, v); break;
	case HK_KVPSD: fill_kvpsd(in, v); break;
	case HK_SHUTDOWN:
		fill_device(in, v, "Msvm_ShutdownComponent", "ShutdownComponent", "Shutdown", "Shutdown");
		break;
	case HK_VSMS: fill_vsms(in); break;
	case HK_VSMSSD: fill_vsmssd(in); break;
	case HK_JOB:
		if (o.idx >= m->n_jobs)
			return false;
		fill_job(in, &m->jobs[o.idx]);
		break;
	default: return false;
	}
	return true;
}

static void push(hv_obj **out, size_t *n, size_t *cap, uint8_t kind, uint32_t idx)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*out = realloc(*out, *cap * sizeof(**out));
		if (!*out)
			abort();
	}
	(*out)[*n].kind = kind;
	(*out)[*n].idx = idx;
	(*n)++;
}

size_t hv_list_class(const vsdk_cim_class *cls, hv_obj **out)
{
	hv_model *m = &g_model;
	size_t n = 0, cap = 0;

	*out = NULL;
	for (int k = 0; k < HK__COUNT; k++) {
		const vsdk_cim_class *kc = hv_kind_class((hv_kind)k);

		if (!kc || !hv_class_is_a(kc, cls->name))
			continue;
		switch ((hv_kind)k) {
		case HK_HOST:
		case HK_VSMS:
		case HK_VSMSSD: push(out, &n, &cap, (uint8_t)k, 0); break;
		case HK_JOB:
			for (size_t i = 0; i < m->n_jobs; i++)
				push(out, &n, &cap, (uint8_t)k, (uint32_t)i);
			break;
		case HK_SNAP:
			for (size_t i = 0; i < m->n_vms; i++)
				if (m->vms[i].has_snapshot)
					push(out, &n, &cap, (uint8_t)k, (uint32_t)i);
			break;
		default:
			for (size_t i = 0; i < m->n_vms; i++)
				push(out, &n, &cap, (uint8_t)k, (uint32_t)i);
		}
	}
	return n;
}
