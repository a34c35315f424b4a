# API documentation: Doxygen over the public headers (`make docs` -> generated/docs/html).
# SPDX-License-Identifier: GPL-2.0-or-later
# docs/Doxyfile has WARN_AS_ERROR = YES: an undocumented public declaration or
# parameter fails the build.  DOXY_WARN=FAIL_ON_WARNINGS lists them all at once.
DEB_PKGS_EXTRA += doxygen
DOCS_OUT := generated/docs
DOCS_INPUTS = docs/Doxyfile docs/mainpage.md sdk/include/vsdk.h $(wildcard sdk/include/vsdk/*.h)
DOXY_WARN ?= YES

$(DOCS_OUT)/html/index.html: $(DOCS_INPUTS)
	@rm -rf $(DOCS_OUT) && mkdir -p $(DOCS_OUT)
	@( cat docs/Doxyfile; echo "PROJECT_NUMBER = $(VERSION)"; echo "OUTPUT_DIRECTORY = $(DOCS_OUT)"; \
	   echo "WARN_AS_ERROR = $(DOXY_WARN)" ) | doxygen - > $(DOCS_OUT)/doxygen.log 2>&1 || \
	  { grep -v '^Exiting' $(DOCS_OUT)/doxygen.log | head -100; rm -rf $(DOCS_OUT)/html; \
	    echo "docs: doxygen failed (warnings are errors); full log: $(DOCS_OUT)/doxygen.log"; exit 1; }
	@echo "docs: $(DOCS_OUT)/html/index.html"

docs: $(DOCS_OUT)/html/index.html
