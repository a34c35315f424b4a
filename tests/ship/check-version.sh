#!/usr/bin/env bash
# Checks that sdk/include/vsdk/version.h agrees with the Makefile's version and
# with the schemas the stubs are generated from.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
h=sdk/include/vsdk/version.h
fails=0 passes=0
def() { awk -v n="$1" '$1=="#define" && $2==n { $1=""; $2=""; sub(/^ +/, ""); gsub(/"/, ""); print }' "$h"; }
check() { # check WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "  ok   $1 = $2"; passes=$((passes + 1)); else echo "  FAIL $1: version.h has '$2', the source has '$3'"; fails=$((fails + 1)); fi
}
check VSDK_VERSION_MAJOR "$(def VSDK_VERSION_MAJOR)" "${VERSION_MAJOR:?}"
check VSDK_VERSION_MINOR "$(def VSDK_VERSION_MINOR)" "${VERSION_MINOR:?}"
check VSDK_VERSION_PATCH "$(def VSDK_VERSION_PATCH)" "${VERSION_PATCH:?}"
check VSDK_VERSION_STRING "$(def VSDK_VERSION_STRING)" "$VERSION_MAJOR.$VERSION_MINOR.$VERSION_PATCH"
actions=$(grep -o 'soapAction="urn:vim25/[^"]*"' wsdl/vim25/vim.wsdl | sort -u)
check "vim25 soapAction (one for all operations)" "$(echo "$actions" | wc -l)" 1
check VSDK_VIM25_API_VERSION "$(def VSDK_VIM25_API_VERSION)" "$(echo "$actions" | sed 's|.*urn:vim25/||; s|"||')"
check VSDK_HYPERV_NAMESPACE "$(def VSDK_HYPERV_NAMESPACE)" "$(sed -n 's|^#pragma namespace *( *"\(.*\)" *)|\1|p' wsdl/hyperv-v2/hyperv-v2.mof)"
check VSDK_CIM_SCHEMA_VERSION "$(def VSDK_CIM_SCHEMA_VERSION)" "$(grep -o 'CIM Schema [0-9.]*[0-9]' wsdl/hyperv-v2/hyperv-v2.mof | head -1 | sed 's/CIM Schema //')"
echo "version: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
