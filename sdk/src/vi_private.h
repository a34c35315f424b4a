/*
 * vsdk - VI (vSphere SOAP) layer internals: the session state, the call
 * wrapper with transparent re-login, and fault decoding.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_VI_PRIVATE_H
#define VSDK_VI_PRIVATE_H

#include "session_private.h"
#include "soapH.h"
#include "vi_types_private.h"

/* A MoRef owned by the session (malloc'd strings). */
typedef struct vsdk__moref {
	char *type;
	char *value;
} vsdk__moref;

struct vsdk_vi {
	vsdk__moref root_folder, property_collector, view_manager, session_manager,
		search_index, file_manager, virtual_disk_manager, task_manager;
	char *api_type;     /* HostAgent | VirtualCenter */
	char *product_line; /* embeddedEsx | esx | gsx | vpx */
	char *instance_uuid;
	bool logged_in;
	unsigned relogins;  /* transparent re-logins so far */
	/* Private PropertyCollector for task waits (vi_task.c), created lazily;
	 * task_pc_relogins: the value of relogins when it was created. */
	vsdk__moref task_pc;
	unsigned task_pc_relogins;
};

/* Returned by vsdk__vi_fault when the call should be retried once. */
#define VSDK__RETRY 1

/* Free what earlier calls left in the session's arena. */
void vsdk__vi_reset(vsdk_session *s);

/*
 * Decode the failure of a SOAP call (soap->error) into a vsdk error: typed
 * fault name, message and code.  On NotAuthenticated, when may_relogin,
 * logs in again and returns VSDK__RETRY.
 */
int vsdk__vi_fault(vsdk_session *s, const char *what, bool may_relogin);

/* Map a vim25 fault type id to a vsdk code (InvalidLogin -> EAUTH, ...). */
int vsdk__vi_fault_code(int type_id);

/* Set the error detail for a MethodFault (e.g. a task's LocalizedMethodFault). */
int vsdk__vi_method_fault(const char *what, struct vim25__MethodFault *fault, const char *message);

/* Log in with the session's credentials. */
int vsdk__vi_login(vsdk_session *s);

/*
 * Run a generated call (an expression returning a gSOAP status) with one
 * transparent re-login on NotAuthenticated.  Sets rc.
 */
#define VSDK_VI_CALL(rc, s, what, expr)                                  \
	do {                                                             \
		for (int vsdk__try_ = 0;; vsdk__try_++) {                \
			if ((expr) == SOAP_OK) {                         \
				(rc) = VSDK_OK;                          \
				break;                                   \
			}                                                \
			(rc) = vsdk__vi_fault((s), (what), vsdk__try_ == 0); \
			if ((rc) != VSDK__RETRY)                         \
				break;                                   \
		}                                                        \
	} while (0)

/* A MoRef in the arena, for requests. */
struct vim25__ManagedObjectReference *vsdk__vi_mor(vsdk_session *s, const char *type, const char *value);
struct vim25__ManagedObjectReference *vsdk__vi_mor_of(vsdk_session *s, const vsdk__moref *m);
int vsdk__moref_set(vsdk__moref *m, const struct vim25__ManagedObjectReference *src);
void vsdk__moref_clear(vsdk__moref *m);

/* Text of a property value (string, enum, number, boolean, MoRef); NULL if none. */
const char *vsdk__vi_value_text(vsdk_session *s, const struct soap_dom_element *val);

#endif
