/*
 * vsdk - the namespace table of the generated vim25 stubs (gSOAP's default
 * "namespaces" array), compiled once into the library.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "soapH.h"
#include "VimBinding.nsmap"
