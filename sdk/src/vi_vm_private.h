/*
 * vsdk - internals shared by the VI virtual machine operation sources
 * (vi_vm.c, vi_define.c).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_VI_VM_PRIVATE_H
#define VSDK_VI_VM_PRIVATE_H

#include "vi_task_private.h"
#include "vsdk/vi_vm.h"

/* Check a VI session and a VM id argument (EINVALID naming fn). */
int vsdk__vm_check(vsdk_session *s, const char *vm, const char *fn);

/* Wait on t, free it, return the wait's result (and the result text). */
int vsdk__vm_wait(vsdk_session *s, vsdk_task *t, int timeout_ms, char **result);

#endif
