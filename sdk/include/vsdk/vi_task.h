/*
 * vsdk - VI tasks: waiting (push updates on a private PropertyCollector),
 * progress, results, faults, cancellation, and VM question handling.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/vi_task.h
 * @brief Waiting for vSphere tasks (the objects that *_Task methods return).
 *
 * A wait is pushed by the server, not polled: on first use a session creates
 * its own PropertyCollector (CreatePropertyCollector), and each wait creates a
 * filter on the tasks' `info.state`, `info.progress`, `info.error`,
 * `info.result` and `info.cancelable` (and on `runtime.question` of the
 * task's virtual machine, when known), then calls WaitForUpdatesEx until
 * every task has ended or the timeout expires, and destroys the filter.
 *
 * VM questions: when the task's VM asks a question while the task runs
 * (runtime.question, e.g. "was this VM moved or copied?"), a session opened
 * with `auto_answer=1` answers it with the question's default choice
 * (AnswerVM; a question without ChoiceOption.defaultIndex is answered with
 * its first choice, as encoders that omit zero values send it) and keeps
 * waiting; with `auto_answer=0` (the default) the wait
 * fails with #VSDK_EQUESTION quoting the question and its choices, and the
 * blocked task is cancelled when the server says it is cancelable.
 *
 * Thread-safety: as for the session (one thread at a time per session).
 * A vsdk_task is not tied to a session's memory; it may be waited on from
 * any session of the same server and user.
 */
#ifndef VSDK_VI_TASK_H
#define VSDK_VI_TASK_H

#include "vsdk/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A handle to one server-side Task (opaque). */
typedef struct vsdk_task vsdk_task;

/** Task states (TaskInfoState), as last seen by a wait. */
typedef enum vsdk_task_state {
	VSDK_TASK_UNKNOWN = 0, /**< not waited on yet */
	VSDK_TASK_QUEUED = 1,  /**< queued */
	VSDK_TASK_RUNNING = 2, /**< running */
	VSDK_TASK_SUCCESS = 3, /**< ended successfully */
	VSDK_TASK_ERROR = 4    /**< ended with a fault (or was cancelled) */
} vsdk_task_state;

/**
 * @brief Progress callback: called during a wait each time a task's
 * TaskInfo.progress grows, and with 100 when a task succeeds.
 * @param payload as given to the wait
 * @param task    the task that progressed (borrowed)
 * @param percent 0..100, strictly increasing per task within one wait
 */
typedef void (*vsdk_task_progress_cb)(void *payload, const vsdk_task *task, int percent);

/**
 * @brief Make a handle for a task MoRef obtained elsewhere.
 * @param[out] out  the new handle
 * @param task_id   the Task's managed object id, e.g. "task-42" or "haTask-..."
 * @param vm_id     the VirtualMachine the task works on (its id, e.g. "vm-17"),
 *                  so that its questions are handled while waiting; or NULL
 * @return VSDK_OK; VSDK_EINVALID (NULL or empty task_id, NULL out); VSDK_ENOMEM.
 * Ownership: free with vsdk_task_free().
 */
VSDK_API int vsdk_task_new(vsdk_task **out, const char *task_id, const char *vm_id);

/** @brief Free a task handle (the server-side task is not affected). NULL is fine. */
VSDK_API void vsdk_task_free(vsdk_task *t);

/** @brief The Task's managed object id. Borrowed; never NULL for a valid handle. */
VSDK_API const char *vsdk_task_id(const vsdk_task *t);

/** @brief The VirtualMachine id whose questions the wait watches, or NULL. Borrowed. */
VSDK_API const char *vsdk_task_vm(const vsdk_task *t);

/** @brief The state seen by the last wait (VSDK_TASK_UNKNOWN before any). */
VSDK_API vsdk_task_state vsdk_task_get_state(const vsdk_task *t);

/** @brief The last progress seen (0..100), or -1 when the server reported none. */
VSDK_API int vsdk_task_get_progress(const vsdk_task *t);

/**
 * @brief The task's result (TaskInfo.result) as text after it succeeded: a
 * MoRef's id (e.g. the new VM's "vm-42" for RegisterVM_Task), or a simple
 * value's text.
 * @param[out] type  if not NULL, set to the MoRef type (e.g. "VirtualMachine")
 *                   or the value's XML type name; NULL when there is no result
 * @return borrowed (valid until the handle is waited on again or freed); NULL
 *         when the task has no result or has not succeeded.
 */
VSDK_API const char *vsdk_task_result(const vsdk_task *t, const char **type);

/**
 * @brief The failure of this task in the last wait: code (VSDK_OK if none),
 * message, and fault type name (e.g. "InvalidPowerState").  Useful after
 * vsdk_task_wait_all(), which returns only the first failure.
 * @return borrowed; never NULL for a valid handle.
 */
VSDK_API const vsdk_error *vsdk_task_error(const vsdk_task *t);

/**
 * @brief Wait until a task ends.
 *
 * @param s          a VI session
 * @param t          the task
 * @param timeout_ms how long to wait; VSDK_WAIT_INFINITE for ever; 0 looks once
 * @param cb         progress callback, or NULL
 * @param payload    passed to @p cb
 * @param[out] result if not NULL: on success a malloc()ed copy of
 *                   vsdk_task_result() (NULL when the task has none); the
 *                   caller frees it
 * @return VSDK_OK when the task succeeded;
 *         the code of its fault when it failed (VSDK_ESTATE for
 *         InvalidPowerState, VSDK_ENOTFOUND, VSDK_ETOOLS, VSDK_ECANCELED for
 *         RequestCanceled, VSDK_EFAULT for other faults, ...), with the fault
 *         type name in vsdk_error_last()->fault and the server's localized
 *         message in the text;
 *         VSDK_EQUESTION when a VM question blocks it and auto_answer is off;
 *         VSDK_ETIMEOUT when it is still running after @p timeout_ms (the
 *         task is left alone and may be waited on again);
 *         VSDK_ENOTFOUND when the task does not exist;
 *         VSDK_EINVALID, VSDK_EIO, VSDK_ENOMEM.
 */
VSDK_API int vsdk_task_wait(vsdk_session *s, vsdk_task *t, int timeout_ms, vsdk_task_progress_cb cb,
			    void *payload, char **result);

/**
 * @brief Wait until every task of a set has ended, with one filter on the
 * session's PropertyCollector.
 *
 * Each task's own outcome is kept in it (vsdk_task_get_state(),
 * vsdk_task_error(), vsdk_task_result()).
 * @param tasks  @p n task handles (distinct)
 * @return VSDK_OK when all succeeded; otherwise the code of the first failed
 *         task in array order (its detail is also in vsdk_error_last()), or
 *         VSDK_ETIMEOUT / transport errors as for vsdk_task_wait().
 */
VSDK_API int vsdk_task_wait_all(vsdk_session *s, vsdk_task *const *tasks, size_t n, int timeout_ms,
				vsdk_task_progress_cb cb, void *payload);

/**
 * @brief Ask the server to cancel a task (CancelTask).
 *
 * A later wait then normally returns VSDK_ECANCELED.
 * @return VSDK_OK when the request was accepted; VSDK_ESTATE when the task
 *         has already ended; VSDK_EUNSUPPORTED when it cannot be cancelled;
 *         VSDK_ENOTFOUND; transport codes.
 */
VSDK_API int vsdk_task_cancel(vsdk_session *s, vsdk_task *t);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VI_TASK_H */
