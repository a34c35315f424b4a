/*
 * hvsim - a Hyper-V (WMI V2 over WS-Management) simulator: shared declarations.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HVSIM_H
#define HVSIM_H

#include "common_private.h"
#include "hyperv_v2.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- namespaces and constants (MS-WSMV 2.2.1) -------------------------- */
#define NS_S "http://www.w3.org/2003/05/soap-envelope"
#define NS_A "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define NS_N "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define NS_W "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define NS_X "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define NS_P "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
#define NS_F "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
#define NS_B "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"
#define NS_ID "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
#define ANON_ADDR "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
#define WQL_DIALECT "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define HV_URI_BASE VSDK_HV_URI_BASE

/* ---- objects ---------------------------------------------------------- */
typedef enum hv_kind {
	HK_HOST,        /* Msvm_ComputerSystem "Hosting Computer System" */
	HK_VM,          /* Msvm_ComputerSystem "Virtual Machine" */
	HK_VSSD,        /* realized Msvm_VirtualSystemSettingData */
	HK_SNAP,        /* snapshot Msvm_VirtualSystemSettingData (sub = snapshot #) */
	HK_KVP,         /* Msvm_KvpExchangeComponent */
	HK_KVPSD,       /* Msvm_KvpExchangeComponentSettingData */
	HK_SHUTDOWN,    /* Msvm_ShutdownComponent */
	HK_VSMS,        /* Msvm_VirtualSystemManagementService */
	HK_VSMSSD,      /* Msvm_VirtualSystemManagementServiceSettingData */
	HK_JOB,         /* Msvm_ConcreteJob (idx = job slot) */
	HK__COUNT
} hv_kind;

typedef struct hv_obj {
	uint8_t kind;
	uint32_t idx; /* VM index (0-based) or job slot */
} hv_obj;

/* One KVP item held by the model. */
typedef struct hv_kvp {
	char *name;
	char *data;
} hv_kvp;

typedef struct hv_kvp_list {
	hv_kvp *items;
	size_t n, cap;
} hv_kvp_list;

typedef struct hv_vm {
	char guid[37];
	char *name;            /* ElementName (owned) */
	uint16_t state;        /* EnabledState: 2 running, 3 off, 6 saved, 9 paused */
	uint16_t requested;    /* RequestedState (12 = not applicable when idle) */
	int64_t last_change;   /* epoch ms of the last state change */
	bool has_snapshot;
	bool busy;             /* a state-change job is pending */
	hv_kvp_list host;      /* HostExchangeItems (Source 0) */
	hv_kvp_list guest;     /* GuestExchangeItems (Source 1) */
} hv_vm;

typedef enum hv_job_kind { JK_STATE, JK_SHUTDOWN, JK_KVP, JK_SUMMARY } hv_job_kind;

typedef struct hv_job {
	char id[37];
	hv_job_kind kind;
	uint32_t vm;
	uint16_t target;       /* EnabledState to apply (JK_STATE/SHUTDOWN) */
	int64_t submitted;     /* epoch ms */
	int64_t delay;         /* ms from submit to the end */
	bool never_ends;
	bool fail;             /* ends in Exception */
	uint16_t error_code;
	char *error_desc;
	char *name;            /* job type name */
	uint16_t job_type;
	uint16_t final_state;  /* 0 while running, else 7 or 10 */
	int64_t finished;      /* epoch ms */
	/* KVP work applied at completion */
	int kvp_op;            /* 0 add, 1 modify, 2 remove */
	hv_kvp_list kvp;
} hv_job;

/* Injected failures (control verbs). */
typedef struct hv_inject {
	int next_job_exception;        /* count of jobs that end in Exception */
	uint16_t exc_code;
	char exc_desc[512];
	int next_job_hang;             /* count of jobs that never end */
	int fault_count;               /* next N requests get this fault */
	char fault_sub[128];           /* e.g. w:InternalError */
	char fault_code[32];           /* f:WSManFault Code */
	char fault_text[512];
	bool fault_sender;
	int delay_count;               /* next N requests wait delay_ms */
	int delay_ms;
	int drop_count;                /* next N requests: close without answer */
	int http500_count;             /* next N: HTTP 500 with an HTML body */
	int http503_count;             /* next N: 503 with Retry-After */
	int retry_after;
} hv_inject;

typedef struct hv_model {
	pthread_mutex_t lock;
	char host_name[64];
	hv_vm *vms;
	size_t n_vms;
	hv_job *jobs;
	size_t n_jobs, cap_jobs;
	int job_delay_ms;
	hv_inject inj;
	int64_t boot_ms;      /* epoch ms of "host boot" */
	unsigned long requests;
} hv_model;

extern hv_model g_model;

/* ---- generic materialised instances ------------------------------------ */
/* One property value: n == -1 NULL; a scalar has n == 1; arrays n >= 0. */
typedef struct hv_pv {
	int n;
	const char **v;
} hv_pv;

typedef struct hv_arena {
	char **blocks;
	size_t n_blocks, cap_blocks;
	char *cur;
	size_t left;
} hv_arena;

void *hv_alloc(hv_arena *a, size_t n);
char *hv_strdup(hv_arena *a, const char *s);
char *hv_printf(hv_arena *a, const char *fmt, ...) VSDK_PRINTF(2, 3);
void hv_arena_free(hv_arena *a);

typedef struct hv_inst {
	const vsdk_cim_class *cls;
	hv_obj obj;
	hv_pv *pv; /* cls->n_props entries */
	hv_arena *arena;
} hv_inst;

/* model.c (callers hold g_model.lock unless noted) */
int hv_model_init(hv_model *m, size_t n_vms, bool hostile, int job_delay_ms);
const vsdk_cim_class *hv_class_find(const char *name);
const vsdk_cim_class *hv_kind_class(hv_kind k);
bool hv_class_is_a(const vsdk_cim_class *cls, const char *name);
int hv_prop_index(const vsdk_cim_class *cls, const char *name);
bool hv_materialize(hv_inst *in, hv_obj o, hv_arena *a);
const char *hv_get(const hv_inst *in, const char *prop);
/* Every object of a class (or subclasses) into *out (malloc'd). */
size_t hv_list_class(const vsdk_cim_class *cls, hv_obj **out);
void hv_jobs_advance(void);
long hv_vm_find(const char *guid);
/* Create a job; returns its slot. */
size_t hv_job_new(hv_job_kind kind, uint32_t vm, const char *name, uint16_t job_type);
void hv_uuid(char out[37]);
int64_t hv_epoch_ms(void);
void hv_fmt_datetime(char *buf, size_t n, int64_t epoch_ms);
void hv_fmt_interval(char *buf, size_t n, int64_t ms);
char *hv_kvp_cimxml(hv_arena *a, const char *name, const char *data, int source);
int hv_kvp_find(const hv_kvp_list *l, const char *name);
void hv_kvp_set(hv_kvp_list *l, const char *name, const char *data);
void hv_kvp_del(hv_kvp_list *l, int i);

/* wql.c */
typedef struct wql_query wql_query;
/* Parse; returns NULL and fills err on a syntax error. */
wql_query *wql_parse(const char *text, char *err, size_t errlen);
void wql_free(wql_query *q);
bool wql_is_associators(const wql_query *q);
const char *wql_class(const wql_query *q);           /* FROM class (SELECT) */
/* SELECT list: NULL when "*", else n names. */
const char *const *wql_props(const wql_query *q, size_t *n);
bool wql_match(const wql_query *q, const hv_inst *in);
/* ASSOCIATORS OF {path}: */
const char *wql_assoc_path_class(const wql_query *q);
size_t wql_assoc_path_keys(const wql_query *q, const char *const **names, const char *const **values);
const char *wql_assoc_class(const wql_query *q);
const char *wql_result_class(const wql_query *q);

/* gSOAP DOM (de)serializers compiled into libvsdk.a (generated soapC);
 * declared here so hvsim does not need the big generated soapH.h. */
struct soap;
struct soap_dom_element;
struct soap_dom_element *soap_in_xsd__anyType(struct soap *, const char *, struct soap_dom_element *, const char *);
struct soap_dom_element *soap_new_xsd__anyType(struct soap *, int);

/* wsman.c */
typedef struct hv_request hv_request;
struct soap;
struct soap_dom_element;
/* Handle one parsed envelope; writes the response into *resp with HTTP status. */
int hv_wsman_handle(struct soap_dom_element *env, const char *user, vsdk_buf *resp, int *http_status);
void hv_wsman_identify(vsdk_buf *resp, bool authenticated);
void hv_fault(vsdk_buf *b, const char *relates, bool sender, const char *subcode,
	      const char *code, const char *detail, const char *text);
void hv_contexts_init(void);

#endif
