# make demo: the README's first command (samples/demo.sh).
# SPDX-License-Identifier: GPL-2.0-or-later
demo: deps
	@$(MAKE) --no-print-directory lib samples $(HVSIM) $(VCSIM_HARNESS)
	@O=$(O) bash samples/demo.sh
