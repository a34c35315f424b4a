# test_vmx_convert runs the vmx_convert sample.
# SPDX-License-Identifier: GPL-2.0-or-later
TEST_DEPS += $(O)/bin/vmx_convert
