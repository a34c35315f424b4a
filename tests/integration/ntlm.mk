# NTLM with MS-WSMV message encryption (sdk/src/ntlm*.c, wsman_crypt.c, hv_auth.c,
# tests/hvsim/ntlm_server.c).
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_ntlm_pywinrm talks to hvsim with Debian's pywinrm (requests-ntlm, ntlm-auth).
DEB_PKGS_EXTRA += python3-winrm python3-requests-ntlm python3-ntlm-auth

# The Hyper-V suites against an NTLM-only hvsim (Basic refused, unencrypted SOAP
# refused): HVSIM_AUTH=ntlm is hvsim's default for --auth.  The client's default
# over http is already Negotiate/NTLM with encryption.
HV_NTLM_SUITES ?= test_hv_hvsim,test_hv_ntlm,test_ntlm_pywinrm
check-hv-ntlm: deps
	@$(MAKE) --no-print-directory tests-build
	@HVSIM_AUTH=ntlm O=$(O) VSDK_BIN=$(O)/bin ONLY="$(HV_NTLM_SUITES)" bash tests/run-tests.sh $(UNIT_TESTS) $(INTEG_TESTS)
.PHONY: check-hv-ntlm
