/*
 * vsdk - VI task internals shared by the VM operations: task handles from
 * MoRefs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_VI_TASK_PRIVATE_H
#define VSDK_VI_TASK_PRIVATE_H

#include "vi_private.h"
#include "vsdk/vi_task.h"

/*
 * A handle for the task a *_Task call returned.  vm: the VM the task works
 * on (questions are watched), or NULL.  what: the operation's name for
 * messages, e.g. "PowerOnVM_Task".
 */
int vsdk__task_from_mor(vsdk_task **out, const struct vim25__ManagedObjectReference *task, const char *vm,
			const char *what);

/*
 * Apply one WaitForUpdatesEx update set to tasks, as a wait does (no VM
 * questions).  s gives the arena for value text.  For tests.
 */
void vsdk__task_apply_update_set(vsdk_session *s, vsdk_task *const *tasks, size_t n,
				 const struct vim25__UpdateSet *us);

#endif
