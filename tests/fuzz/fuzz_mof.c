/*
 * libFuzzer target: the MOF compiler's parser and resolver (mof_parse_buffer,
 * mof_resolve), as mofc runs them on a file.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "mofc.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mof_options o;
	mof_repo r;

	memset(&o, 0, sizeof(o));
	o.lenient = size > 0 && (data[0] & 1); /* both modes */
	o.max_errors = 20;
	mof_repo_init(&r, &o);
	mof_parse_buffer(&r, "fuzz.mof", (const char *)data, size);
	if (!r.errors)
		mof_resolve(&r);
	mof_arena_free();
	return 0;
}
