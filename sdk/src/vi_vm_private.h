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

/* Read properties of one object; *out lives in the arena until the next reset. */
int vsdk__vi_get_props(vsdk_session *s, const char *type, const char *id, char **paths, int npaths,
		       struct vim25__ObjectContent **out);
/* A property value of an ObjectContent, or NULL when unset or absent. */
const struct soap_dom_element *vsdk__vi_prop(const struct vim25__ObjectContent *oc, const char *path);
/* Start ReconfigVM_Task with a spec built in the arena. */
int vsdk__vm_reconfig_start(vsdk_task **task, vsdk_session *s, const char *vm,
			    struct vim25__VirtualMachineConfigSpec *spec);

/* The newest virtualHW.version a product (about.productLineId, version) supports. */
int vsdk__vi_default_hw_version(const char *product_line, const char *version);
/* Split "[ds] dir/file" into malloc'd "ds" and "dir/file". */
int vsdk__vi_ds_path_split(const char *path, char **ds, char **rel);

#endif
