/*
 * vsdk - library version and the interface versions the stubs were made from.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/version.h
 * @brief Compile-time version of vsdk and of the schemas its stubs come from.
 *
 * These are macros only (no functions, nothing to link).  They are kept in
 * step with the Makefile (VERSION_MAJOR/MINOR/PATCH), wsdl/vim25/vim.wsdl
 * (soapAction) and wsdl/hyperv-v2/ by `make check-version`, which fails
 * when one of them changes without the other.
 */
#ifndef VSDK_VERSION_H
#define VSDK_VERSION_H

/** Major version: changes when the ABI breaks (it is the soname: libvsdk.so.0). */
#define VSDK_VERSION_MAJOR 0
/** Minor version: new functions, compatible ABI. */
#define VSDK_VERSION_MINOR 1
/** Patch version: fixes only. */
#define VSDK_VERSION_PATCH 0
/** The version as text, "MAJOR.MINOR.PATCH". */
#define VSDK_VERSION_STRING "0.1.0"
/** The version as one number, for `#if`: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define VSDK_VERSION_NUMBER (VSDK_VERSION_MAJOR * 10000 + VSDK_VERSION_MINOR * 100 + VSDK_VERSION_PATCH)

/**
 * The vim25 API version the bundled stubs speak: the soapAction
 * "urn:vim25/<version>" of wsdl/vim25/vim.wsdl.  The SDK also compiles
 * against VMware's 4.1, 5.5, 6.7 and 7.0.3 WSDL sets (`make generate VIM25_WSDL=`).
 */
#define VSDK_VIM25_API_VERSION "6.5"
/** The WMI namespace the Hyper-V stubs address (Windows Server 2012 R2 and later). */
#define VSDK_HYPERV_NAMESPACE "root/virtualization/v2"
/** The DMTF CIM Schema version the Hyper-V MOF's CIM base classes follow. */
#define VSDK_CIM_SCHEMA_VERSION "2.41"

#endif /* VSDK_VERSION_H */
