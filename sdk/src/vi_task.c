/*
 * vsdk - VI task waiting: a private PropertyCollector per session, one
 * filter per wait, WaitForUpdatesEx with maxWaitSeconds, progress, results,
 * task faults, cancellation, and VM question handling (AnswerVM).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vi_task_private.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vsdk_task {
	char *id;
	char *vm;
	char *what; /* operation name for messages */
	vsdk_task_state state;
	int progress;
	bool cancelable;
	char *result, *result_type;
	vsdk_error err;
	/* per wait */
	bool done;
	int reported;
	bool has_fault;
	vsdk_error fault; /* decoded info.error, used when the state becomes error */
};

/* A VM watched for questions during one wait. */
struct wvm {
	const char *id;
	char *name;
	char *qid, *qtext, *qchoices, *qdefault;
	bool pending;   /* a question is set */
	char *answered; /* id of the question we answered */
};

struct wait {
	vsdk_session *s;
	vsdk_task *const *tasks;
	size_t n;
	struct wvm *vms;
	size_t nvms;
	vsdk_task_progress_cb cb;
	void *payload;
	char *filter;
	char *version;
};

/* ---- handles ------------------------------------------------------------ */

static int task_alloc(vsdk_task **out, const char *id, const char *vm, const char *what)
{
	vsdk_task *t = calloc(1, sizeof(*t));

	if (!t)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	t->id = strdup(id);
	t->vm = vm && *vm ? strdup(vm) : NULL;
	t->what = strdup(what ? what : "task");
	t->progress = -1;
	if (!t->id || !t->what || (vm && *vm && !t->vm)) {
		vsdk_task_free(t);
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	}
	*out = t;
	return VSDK_OK;
}

VSDK_API int vsdk_task_new(vsdk_task **out, const char *task_id, const char *vm_id)
{
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_new: out is NULL");
	*out = NULL;
	if (!task_id || !*task_id)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_new: task_id is %s", task_id ? "empty" : "NULL");
	return task_alloc(out, task_id, vm_id, NULL);
}

int vsdk__task_from_mor(vsdk_task **out, const struct vim25__ManagedObjectReference *task, const char *vm,
			const char *what)
{
	*out = NULL;
	if (!task || !task->__item || !*task->__item)
		return vsdk__error_set(VSDK_EPROTO, "%s: the server returned no task", what);
	return task_alloc(out, task->__item, vm, what);
}

VSDK_API void vsdk_task_free(vsdk_task *t)
{
	if (!t)
		return;
	free(t->id);
	free(t->vm);
	free(t->what);
	free(t->result);
	free(t->result_type);
	free(t);
}

VSDK_API const char *vsdk_task_id(const vsdk_task *t)
{
	return t ? t->id : NULL;
}

VSDK_API const char *vsdk_task_vm(const vsdk_task *t)
{
	return t ? t->vm : NULL;
}

VSDK_API vsdk_task_state vsdk_task_get_state(const vsdk_task *t)
{
	return t ? t->state : VSDK_TASK_UNKNOWN;
}

VSDK_API int vsdk_task_get_progress(const vsdk_task *t)
{
	return t ? t->progress : -1;
}

VSDK_API const char *vsdk_task_result(const vsdk_task *t, const char **type)
{
	bool ok = t && t->state == VSDK_TASK_SUCCESS && t->result;

	if (type)
		*type = ok ? t->result_type : NULL;
	return ok ? t->result : NULL;
}

VSDK_API const vsdk_error *vsdk_task_error(const vsdk_task *t)
{
	static const vsdk_error none;

	return t ? &t->err : &none;
}

/* ---- the private PropertyCollector --------------------------------------- */

static int ensure_collector(vsdk_session *s)
{
	struct vsdk_vi *vi = s->vi;
	struct vim25__CreatePropertyCollectorRequestType req;
	struct _vim25__CreatePropertyCollectorResponse resp;
	int rc;

	if (vi->task_pc.value && vi->task_pc_relogins == vi->relogins)
		return VSDK_OK;
	vsdk__moref_clear(&vi->task_pc);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &vi->property_collector);
	VSDK_VI_CALL(rc, s, "CreatePropertyCollector",
		     soap_call___vim25__CreatePropertyCollector(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || !resp.returnval->__item)
		return vsdk__error_set(VSDK_EPROTO, "CreatePropertyCollector returned no collector");
	if ((rc = vsdk__moref_set(&vi->task_pc, resp.returnval)))
		return rc;
	vi->task_pc_relogins = vi->relogins;
	vsdk__log(VSDK_LOG_DEBUG, "task waits use PropertyCollector %s", vi->task_pc.value);
	return VSDK_OK;
}

/* The collector went away with a session that expired and was renewed. */
static bool collector_lost(vsdk_session *s, int rc)
{
	return rc == VSDK_ENOTFOUND && s->vi->task_pc_relogins != s->vi->relogins;
}

/* ---- filter ------------------------------------------------------------ */

static char *task_paths[] = { "info.state", "info.progress", "info.error", "info.result", "info.cancelable" };
static char *vm_paths[] = { "runtime.question", "name" };

static int create_filter(struct wait *w)
{
	vsdk_session *s = w->s;
	struct vim25__CreateFilterRequestType req;
	struct _vim25__CreateFilterResponse resp;
	struct vim25__PropertyFilterSpec spec;
	struct vim25__PropertySpec ps[2];
	struct vim25__ObjectSpec *os;
	size_t nos = w->n + w->nvms;
	int rc;

	vsdk__vi_reset(s);
	os = soap_malloc(s->soap, nos * sizeof(*os));
	if (!os)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	memset(os, 0, nos * sizeof(*os));
	memset(ps, 0, sizeof(ps));
	memset(&spec, 0, sizeof(spec));
	for (size_t i = 0; i < w->n; i++)
		os[i].obj = vsdk__vi_mor(s, "Task", w->tasks[i]->id);
	for (size_t i = 0; i < w->nvms; i++)
		os[w->n + i].obj = vsdk__vi_mor(s, "VirtualMachine", w->vms[i].id);
	ps[0].type = "Task";
	ps[0].__sizepathSet = (int)(sizeof(task_paths) / sizeof(task_paths[0]));
	ps[0].pathSet = task_paths;
	ps[1].type = "VirtualMachine";
	ps[1].__sizepathSet = (int)(sizeof(vm_paths) / sizeof(vm_paths[0]));
	ps[1].pathSet = vm_paths;
	spec.__sizepropSet = w->nvms ? 2 : 1;
	spec.propSet = ps;
	spec.__sizeobjectSet = (int)nos;
	spec.objectSet = os;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->task_pc);
	req.spec = &spec;
	req.partialUpdates = xsd__boolean__false_;
	VSDK_VI_CALL(rc, s, "CreateFilter", soap_call___vim25__CreateFilter(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		return rc;
	if (!resp.returnval || !resp.returnval->__item)
		return vsdk__error_set(VSDK_EPROTO, "CreateFilter returned no filter");
	w->filter = vsdk__strdup(resp.returnval->__item);
	return w->filter ? VSDK_OK : VSDK_ENOMEM;
}

static void destroy_filter(struct wait *w)
{
	vsdk_session *s = w->s;
	struct vim25__DestroyPropertyFilterRequestType req;
	struct _vim25__DestroyPropertyFilterResponse resp;
	vsdk_error saved = *vsdk_error_last();
	int rc;

	if (!w->filter)
		return;
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "PropertyFilter", w->filter);
	VSDK_VI_CALL(rc, s, "DestroyPropertyFilter",
		     soap_call___vim25__DestroyPropertyFilter(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		vsdk__log(VSDK_LOG_DEBUG, "DestroyPropertyFilter %s failed (ignored)", w->filter);
	vsdk__vi_reset(s);
	free(w->filter);
	w->filter = NULL;
	*vsdk__error_mut() = saved;
}

/* Release a WaitForUpdatesEx we stopped listening to. */
static void cancel_wait(vsdk_session *s)
{
	struct vim25__CancelWaitForUpdatesRequestType req;
	struct _vim25__CancelWaitForUpdatesResponse resp;
	int rc;

	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->task_pc);
	VSDK_VI_CALL(rc, s, "CancelWaitForUpdates",
		     soap_call___vim25__CancelWaitForUpdates(s->soap, s->endpoint, NULL, &req, &resp));
	if (rc)
		vsdk__log(VSDK_LOG_DEBUG, "CancelWaitForUpdates failed (ignored)");
}

/* ---- applying updates ----------------------------------------------------- */

static vsdk_task *find_task(struct wait *w, const char *id)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->tasks[i]->id, id) == 0)
			return w->tasks[i];
	return NULL;
}

static struct wvm *find_vm(struct wait *w, const char *id)
{
	for (size_t i = 0; i < w->nvms; i++)
		if (strcmp(w->vms[i].id, id) == 0)
			return &w->vms[i];
	return NULL;
}

static void task_fail(vsdk_task *t, int code, const char *fmt, ...) VSDK_PRINTF(3, 4);
static void task_fail(vsdk_task *t, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsdk__error_vset(code, fmt, ap);
	va_end(ap);
	t->err = *vsdk_error_last();
	t->done = true;
}

static void report(struct wait *w, vsdk_task *t, int percent)
{
	if (percent > 100)
		percent = 100;
	if (percent <= t->reported)
		return;
	t->reported = percent;
	if (w->cb)
		w->cb(w->payload, t, percent);
}

static void apply_task_change(struct wait *w, vsdk_task *t, const struct vim25__PropertyChange *c, bool *ended)
{
	const struct soap_dom_element *v = c->val;
	bool set = v && v->node && c->op != vim25__PropertyChangeOp__remove;

	if (!c->name)
		return;
	if (strcmp(c->name, "info.state") == 0 && set && v->type == SOAP_TYPE_vim25__TaskInfoState) {
		switch (*(const enum vim25__TaskInfoState *)v->node) {
		case vim25__TaskInfoState__queued:
			t->state = VSDK_TASK_QUEUED;
			break;
		case vim25__TaskInfoState__running:
			t->state = VSDK_TASK_RUNNING;
			break;
		case vim25__TaskInfoState__success:
			t->state = VSDK_TASK_SUCCESS;
			*ended = true;
			break;
		case vim25__TaskInfoState__error:
			t->state = VSDK_TASK_ERROR;
			*ended = true;
			break;
		}
	} else if (strcmp(c->name, "info.progress") == 0 && set && v->type == SOAP_TYPE_int) {
		t->progress = *(const int *)v->node;
	} else if (strcmp(c->name, "info.cancelable") == 0 && set && v->type == SOAP_TYPE_xsd__boolean) {
		t->cancelable = *(const enum xsd__boolean *)v->node != xsd__boolean__false_;
	} else if (strcmp(c->name, "info.error") == 0 && set && v->type == SOAP_TYPE_vim25__LocalizedMethodFault) {
		const struct vim25__LocalizedMethodFault *lf = v->node;
		char what[256];

		snprintf(what, sizeof(what), "%s (%s)", t->what, t->id);
		vsdk__vi_method_fault(what, lf->fault, lf->localizedMessage);
		t->fault = *vsdk_error_last();
		t->has_fault = true;
	} else if (strcmp(c->name, "info.result") == 0) {
		free(t->result);
		free(t->result_type);
		t->result = t->result_type = NULL;
		if (set) {
			const char *text = vsdk__vi_value_text(w->s, v), *type = NULL;

			if (v->type == SOAP_TYPE_vim25__ManagedObjectReference)
				type = ((const struct vim25__ManagedObjectReference *)v->node)->type;
			else
				type = vsdk__vim_type_name(v->type);
			if (!type && v->type == SOAP_TYPE_string)
				type = "string";
			t->result = text ? strdup(text) : NULL;
			t->result_type = type ? strdup(type) : NULL;
		}
	}
}

static void task_ended(struct wait *w, vsdk_task *t)
{
	t->done = true;
	if (t->state == VSDK_TASK_SUCCESS) {
		memset(&t->err, 0, sizeof(t->err));
		report(w, t, 100);
		return;
	}
	if (t->has_fault) {
		t->err = t->fault;
		return;
	}
	task_fail(t, VSDK_EJOB, "%s (%s) ended in error without fault detail", t->what, t->id);
}

/* Keep a malloc'd copy of the question; acted on after the whole update set. */
static void apply_vm_change(struct wvm *m, const struct vim25__PropertyChange *c)
{
	const struct soap_dom_element *v = c->val;
	bool set = v && v->node && c->op != vim25__PropertyChangeOp__remove;

	if (!c->name)
		return;
	if (strcmp(c->name, "name") == 0) {
		if (set && v->type == SOAP_TYPE_string) {
			free(m->name);
			m->name = strdup((const char *)v->node);
		}
		return;
	}
	if (strcmp(c->name, "runtime.question") != 0)
		return;
	free(m->qid);
	free(m->qtext);
	free(m->qchoices);
	free(m->qdefault);
	m->qid = m->qtext = m->qchoices = m->qdefault = NULL;
	m->pending = false;
	if (set && v->type == SOAP_TYPE_vim25__VirtualMachineQuestionInfo) {
		const struct vim25__VirtualMachineQuestionInfo *q = v->node;
		const struct vim25__ChoiceOption *ch = q->choice;
		/* defaultIndex is optional; encoders that omit zero values (the
		 * govmomi simulator) leave it out for the first choice, so an
		 * absent index means 0. */
		int def = ch && ch->defaultIndex ? *ch->defaultIndex : 0;
		vsdk_buf b = VSDK_BUF_INIT;

		m->pending = true;
		m->qid = strdup(q->id ? q->id : "");
		m->qtext = strdup(q->text ? q->text : "");
		for (int i = 0; ch && i < ch->__sizechoiceInfo; i++) {
			const struct vim25__ElementDescription *e = &ch->choiceInfo[i];

			vsdk__buf_printf(&b, "%s'%s'%s", i ? ", " : "", e->label ? e->label : e->key ? e->key : "",
					 i == def ? " (default)" : "");
			if (i == def && e->key)
				m->qdefault = strdup(e->key);
		}
		m->qchoices = vsdk__buf_detach(&b);
	}
}

/* Answer or refuse the pending questions; may fail tasks. */
static void handle_questions(struct wait *w)
{
	vsdk_session *s = w->s;

	for (size_t i = 0; i < w->nvms; i++) {
		struct wvm *m = &w->vms[i];
		const char *vmname = m->name ? m->name : m->id;
		bool any = false;
		int rc;

		if (!m->pending || !m->qid || (m->answered && strcmp(m->answered, m->qid) == 0))
			continue;
		for (size_t j = 0; j < w->n; j++)
			if (!w->tasks[j]->done && w->tasks[j]->vm && strcmp(w->tasks[j]->vm, m->id) == 0)
				any = true;
		if (!any)
			continue;
		if (s->auto_answer && m->qdefault) {
			struct vim25__AnswerVMRequestType req;
			struct _vim25__AnswerVMResponse resp;

			vsdk__vi_reset(s);
			memset(&req, 0, sizeof(req));
			memset(&resp, 0, sizeof(resp));
			req._USCOREthis = vsdk__vi_mor(s, "VirtualMachine", m->id);
			req.questionId = m->qid;
			req.answerChoice = m->qdefault;
			VSDK_VI_CALL(rc, s, "AnswerVM", soap_call___vim25__AnswerVM(s->soap, s->endpoint, NULL, &req, &resp));
			if (rc == VSDK_OK) {
				vsdk__log(VSDK_LOG_INFO, "answered question '%s' of VM %s with its default (%s)",
					  m->qtext ? m->qtext : "", vmname, m->qdefault);
				free(m->answered);
				m->answered = strdup(m->qid);
				continue;
			}
			vsdk__error_prefix("answering the question '%s' of virtual machine %s", m->qtext ? m->qtext : "",
					   vmname);
			for (size_t j = 0; j < w->n; j++) {
				vsdk_task *t = w->tasks[j];

				if (!t->done && t->vm && strcmp(t->vm, m->id) == 0) {
					t->err = *vsdk_error_last();
					t->done = true;
				}
			}
			continue;
		}
		for (size_t j = 0; j < w->n; j++) {
			vsdk_task *t = w->tasks[j];
			bool canceled = false;

			if (t->done || !t->vm || strcmp(t->vm, m->id) != 0)
				continue;
			if (t->cancelable) {
				struct vim25__CancelTaskRequestType req;
				struct _vim25__CancelTaskResponse resp;

				vsdk__vi_reset(s);
				memset(&req, 0, sizeof(req));
				memset(&resp, 0, sizeof(resp));
				req._USCOREthis = vsdk__vi_mor(s, "Task", t->id);
				VSDK_VI_CALL(rc, s, "CancelTask",
					     soap_call___vim25__CancelTask(s->soap, s->endpoint, NULL, &req, &resp));
				canceled = rc == VSDK_OK;
				if (rc)
					vsdk__log(VSDK_LOG_WARN, "cancelling %s blocked by a question failed: %s", t->id,
						  vsdk_error_last()->message);
			}
			task_fail(t, VSDK_EQUESTION,
				  "%s (%s): a pending question blocks virtual machine %s: question '%s', possible answers "
				  "%s; %s%s",
				  t->what, t->id, vmname, m->qtext ? m->qtext : "", m->qchoices ? m->qchoices : "(none)",
				  s->auto_answer ? "the question has no default answer"
						 : "answer it, or open the session with auto_answer=1",
				  canceled ? "; the task was cancelled" : t->cancelable ? "" : "; the task is not cancelable");
		}
	}
}

static void apply_update_set(struct wait *w, const struct vim25__UpdateSet *us)
{
	for (int f = 0; f < us->__sizefilterSet; f++) {
		const struct vim25__PropertyFilterUpdate *fu = &us->filterSet[f];

		for (int i = 0; i < fu->__sizeobjectSet; i++) {
			const struct vim25__ObjectUpdate *ou = &fu->objectSet[i];
			const char *id = ou->obj && ou->obj->__item ? ou->obj->__item : "";
			const char *type = ou->obj && ou->obj->type ? ou->obj->type : "";
			vsdk_task *t = strcmp(type, "Task") == 0 ? find_task(w, id) : NULL;
			struct wvm *m = strcmp(type, "VirtualMachine") == 0 ? find_vm(w, id) : NULL;
			bool ended = false;

			if (t && !t->done) {
				if (ou->kind == vim25__ObjectUpdateKind__leave) {
					task_fail(t, VSDK_ENOTFOUND, "%s (%s): the task no longer exists", t->what, t->id);
					continue;
				}
				for (int c = 0; c < ou->__sizechangeSet; c++)
					apply_task_change(w, t, &ou->changeSet[c], &ended);
				if (t->progress >= 0 && t->state == VSDK_TASK_RUNNING)
					report(w, t, t->progress);
				if (ended)
					task_ended(w, t);
			} else if (m) {
				for (int c = 0; c < ou->__sizechangeSet; c++)
					apply_vm_change(m, &ou->changeSet[c]);
				if (ou->kind == vim25__ObjectUpdateKind__leave)
					m->pending = false;
			}
		}
		for (int i = 0; i < fu->__sizemissingSet; i++) {
			const struct vim25__MissingObject *mo = &fu->missingSet[i];
			const char *id = mo->obj && mo->obj->__item ? mo->obj->__item : "";
			vsdk_task *t = find_task(w, id);

			if (t && !t->done)
				task_fail(t, VSDK_ENOTFOUND, "%s: task %s does not exist", t->what, t->id);
		}
	}
}

void vsdk__task_apply_update_set(vsdk_session *s, vsdk_task *const *tasks, size_t n,
				 const struct vim25__UpdateSet *us)
{
	struct wait w;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.tasks = tasks;
	w.n = n;
	for (size_t i = 0; i < n; i++) {
		tasks[i]->done = false;
		tasks[i]->reported = -1;
		tasks[i]->has_fault = false;
	}
	apply_update_set(&w, us);
}

static bool all_done(const struct wait *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->tasks[i]->done)
			return false;
	return true;
}

/*
 * One WaitForUpdatesEx.  wait_s: maxWaitSeconds; cut_ms > 0: stop
 * listening after that long (the call is then released with
 * CancelWaitForUpdates).  *got: an update set was applied.
 */
static int wait_once(struct wait *w, int wait_s, int cut_ms, bool *got)
{
	vsdk_session *s = w->s;
	struct vim25__WaitForUpdatesExRequestType req;
	struct _vim25__WaitForUpdatesExResponse resp;
	struct vim25__WaitOptions opts;
	int saved_timeout = s->soap->recv_timeout, rc;

	*got = false;
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&opts, 0, sizeof(opts));
	opts.maxWaitSeconds = &wait_s;
	req._USCOREthis = vsdk__vi_mor_of(s, &s->vi->task_pc);
	req.version = w->version ? w->version : "";
	req.options = &opts;
	if (cut_ms > 0)
		s->soap->recv_timeout = -cut_ms * 1000;
	VSDK_VI_CALL(rc, s, "WaitForUpdatesEx",
		     soap_call___vim25__WaitForUpdatesEx(s->soap, s->endpoint, NULL, &req, &resp));
	s->soap->recv_timeout = saved_timeout;
	if (rc) {
		if (cut_ms > 0 && rc == VSDK_ETIMEOUT) {
			soap_force_closesock(s->soap);
			cancel_wait(s);
			return VSDK_ETIMEOUT;
		}
		return rc;
	}
	if (!resp.returnval)
		return VSDK_OK; /* maxWaitSeconds ran out with no change */
	if (resp.returnval->version) {
		char *v = vsdk__strdup(resp.returnval->version);

		if (!v)
			return VSDK_ENOMEM;
		free(w->version);
		w->version = v;
	}
	apply_update_set(w, resp.returnval);
	*got = true;
	return VSDK_OK;
}

static void wvm_clear(struct wvm *m)
{
	free(m->name);
	free(m->qid);
	free(m->qtext);
	free(m->qchoices);
	free(m->qdefault);
	free(m->answered);
	memset(m, 0, sizeof(*m));
}

static int wait_tasks(vsdk_session *s, vsdk_task *const *tasks, size_t n, int timeout_ms, vsdk_task_progress_cb cb,
		      void *payload, const char *fn)
{
	struct wait w;
	int io_s = s->opts.io_timeout_ms > 0 ? s->opts.io_timeout_ms / 1000 : 120;
	int cap_s = io_s / 2 < 1 ? 1 : io_s / 2 > 60 ? 60 : io_s / 2;
	int64_t deadline = timeout_ms < 0 ? -1 : vsdk__now_ms() + timeout_ms;
	int rc = VSDK_OK;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.tasks = tasks;
	w.n = n;
	w.cb = cb;
	w.payload = payload;
	w.vms = calloc(n, sizeof(*w.vms));
	if (!w.vms)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		vsdk_task *t = tasks[i];

		t->done = false;
		t->reported = -1;
		t->has_fault = false;
		memset(&t->err, 0, sizeof(t->err));
		if (t->vm && !find_vm(&w, t->vm))
			w.vms[w.nvms++].id = t->vm;
	}

	/* At most one retry for each reason: the collector died with an expired
	 * session, or a watched VM is gone and the server refuses the filter. */
	for (bool renewed = false, unwatched = false;;) {
		bool first = true;

		if ((rc = ensure_collector(s)))
			break;
		if ((rc = create_filter(&w)) == VSDK_OK) {
			for (;;) {
				int64_t rem = deadline < 0 ? INT64_MAX : deadline - vsdk__now_ms();
				int wait_s = 0, cut_ms = 0;
				bool got;

				handle_questions(&w);
				if (all_done(&w))
					break;
				if (rem <= 0 && !first) {
					rc = VSDK_ETIMEOUT;
					break;
				}
				if (rem >= 1000)
					wait_s = rem / 1000 > cap_s ? cap_s : (int)(rem / 1000);
				else if (rem > 0)
					wait_s = 1, cut_ms = (int)rem;
				rc = wait_once(&w, wait_s, cut_ms, &got);
				first = false;
				if (rc)
					break;
			}
			destroy_filter(&w);
			free(w.version);
			w.version = NULL;
		}
		if (collector_lost(s, rc) && !renewed) {
			renewed = true;
			continue;
		}
		if (rc == VSDK_ENOTFOUND && w.nvms && !unwatched) {
			vsdk__log(VSDK_LOG_DEBUG, "a watched VM is gone; waiting on the tasks alone");
			for (size_t i = 0; i < w.nvms; i++)
				wvm_clear(&w.vms[i]);
			w.nvms = 0;
			unwatched = true;
			continue;
		}
		break;
	}
	for (size_t i = 0; i < w.nvms; i++)
		wvm_clear(&w.vms[i]);
	free(w.vms);

	if (rc == VSDK_ETIMEOUT) {
		size_t left = 0;
		const vsdk_task *one = NULL;

		for (size_t i = 0; i < n; i++)
			if (!tasks[i]->done) {
				left++;
				one = tasks[i];
			}
		if (one && left == 1)
			return vsdk__error_set(VSDK_ETIMEOUT, "%s: %s (%s) still %s after %d ms (progress %d%%)", fn,
					       one->what, one->id,
					       one->state == VSDK_TASK_QUEUED ? "queued" : "running", timeout_ms,
					       one->progress < 0 ? 0 : one->progress);
		return vsdk__error_set(VSDK_ETIMEOUT, "%s: %zu of %zu tasks still running after %d ms", fn, left, n,
				       timeout_ms);
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (tasks[i]->err.code) {
			*vsdk__error_mut() = tasks[i]->err;
			return tasks[i]->err.code;
		}
	vsdk_error_clear();
	return VSDK_OK;
}

VSDK_API int vsdk_task_wait(vsdk_session *s, vsdk_task *t, int timeout_ms, vsdk_task_progress_cb cb, void *payload,
			    char **result)
{
	vsdk_task *one[1];
	int rc;

	if (result)
		*result = NULL;
	if (!vsdk__session_is_vi(s, "vsdk_task_wait"))
		return VSDK_EINVALID;
	if (!t)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_wait: task is NULL");
	if (timeout_ms < 0 && timeout_ms != VSDK_WAIT_INFINITE)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_wait: timeout_ms %d is negative (use VSDK_WAIT_INFINITE)",
				       timeout_ms);
	one[0] = t;
	rc = wait_tasks(s, one, 1, timeout_ms, cb, payload, "vsdk_task_wait");
	if (rc == VSDK_OK && result && t->result && !(*result = vsdk__strdup(t->result)))
		return VSDK_ENOMEM;
	return rc;
}

VSDK_API int vsdk_task_wait_all(vsdk_session *s, vsdk_task *const *tasks, size_t n, int timeout_ms,
				vsdk_task_progress_cb cb, void *payload)
{
	if (!vsdk__session_is_vi(s, "vsdk_task_wait_all"))
		return VSDK_EINVALID;
	if (n && !tasks)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_wait_all: tasks is NULL");
	if (timeout_ms < 0 && timeout_ms != VSDK_WAIT_INFINITE)
		return vsdk__error_set(VSDK_EINVALID,
				       "vsdk_task_wait_all: timeout_ms %d is negative (use VSDK_WAIT_INFINITE)", timeout_ms);
	for (size_t i = 0; i < n; i++) {
		if (!tasks[i])
			return vsdk__error_set(VSDK_EINVALID, "vsdk_task_wait_all: tasks[%zu] is NULL", i);
		for (size_t j = 0; j < i; j++)
			if (tasks[j] == tasks[i] || strcmp(tasks[j]->id, tasks[i]->id) == 0)
				return vsdk__error_set(VSDK_EINVALID, "vsdk_task_wait_all: tasks[%zu] repeats tasks[%zu] (%s)",
						       i, j, tasks[i]->id);
	}
	if (n == 0) {
		vsdk_error_clear();
		return VSDK_OK;
	}
	return wait_tasks(s, tasks, n, timeout_ms, cb, payload, "vsdk_task_wait_all");
}

VSDK_API int vsdk_task_cancel(vsdk_session *s, vsdk_task *t)
{
	struct vim25__CancelTaskRequestType req;
	struct _vim25__CancelTaskResponse resp;
	char what[256];
	int rc;

	if (!vsdk__session_is_vi(s, "vsdk_task_cancel"))
		return VSDK_EINVALID;
	if (!t)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_task_cancel: task is NULL");
	snprintf(what, sizeof(what), "cancelling %s (%s)", t->what, t->id);
	vsdk__vi_reset(s);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req._USCOREthis = vsdk__vi_mor(s, "Task", t->id);
	VSDK_VI_CALL(rc, s, what, soap_call___vim25__CancelTask(s->soap, s->endpoint, NULL, &req, &resp));
	vsdk__vi_reset(s);
	return rc;
}
