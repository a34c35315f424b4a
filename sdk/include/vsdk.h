/*
 * vsdk - C SDK for VMware VI (vSphere SOAP) and Microsoft Hyper-V (WMI V2 over WS-Man)
 * Copyright (C) 2026 the vsdk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk.h
 * @brief Umbrella header: includes every public vsdk header.
 */
#ifndef VSDK_H
#define VSDK_H

#include "vsdk/version.h"
#include "vsdk/common.h"
#include "vsdk/session.h"
#include "vsdk/vi.h"
#include "vsdk/vi_inventory.h"
#include "vsdk/vi_task.h"
#include "vsdk/vi_vm.h"
#include "vsdk/vmx.h"
#include "vsdk/cim.h"
#include "vsdk/hyperv.h"

#endif
