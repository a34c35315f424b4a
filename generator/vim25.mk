# vim25 stubs: wsdl/vim25 (or VIM25_WSDL=) -> generated/vim25 -> libvim25gen.a
#
#   make generate                                  regenerate from wsdl/vim25
#   make generate VIM25_WSDL=/path/vimService.wsdl  from a full VMware set,
#        pruned to generator/vim25.ops (VIM25_OPS=all keeps every operation)
#
# Objects live in generated/vim25/obj (outside $(O)), so builds with other
# flags (O=... SAN=...) reuse them.
VIM25_WSDL ?= wsdl/vim25/vimService.wsdl
VIM25_OPS ?= $(if $(filter wsdl/vim25/%,$(VIM25_WSDL)),all,generator/vim25.ops)
V25_SET := $(patsubst %/,%,$(dir $(VIM25_WSDL)))
V25_STAMP := $(V25)/.stamp
V25_ARCHIVE := $(V25)/libvim25gen.a
GT := generated/tools

GEN_STAMPS += $(V25_STAMP)
GEN_ARCHIVES += $(V25_ARCHIVE)

.PHONY: generate vim25-archive FORCE
generate: $(V25_STAMP)
FORCE:

# Tools (built with the system's shared gSOAP; they are never installed).
$(GT)/vim25fix: generator/vim25fix.c
	@mkdir -p $(GT)
	$(CC) -std=gnu11 -O2 $(WARN) -o $@ $<

# A DOM-only program still needs the serializer callbacks the gSOAP runtime
# calls; soapcpp2 on an empty header makes them.
$(GT)/domonly/soapC.c: generator/domonly.h
	@mkdir -p $(GT)/domonly
	soapcpp2 -c -C -L -x -w -n -pdomonly -I/usr/share/gsoap/import -d $(GT)/domonly $< >/dev/null 2>&1
	mv $(GT)/domonly/domonlyC.c $@

$(GT)/vim25types: generator/vim25types.c
	@mkdir -p $(GT)
	$(CC) -std=gnu11 -O2 $(WARN) -o $@ $<

$(GT)/wsdlprune: generator/wsdlprune.c $(GT)/domonly/soapC.c
	$(CC) -std=gnu11 -O2 $(GSOAP_DEFS) -I$(GT)/domonly -o $@ $^ -lgsoapssl $(LIBS)

# Regenerate when the input set, the op list, the type map or the tools change.
$(V25)/.config: FORCE
	@mkdir -p $(V25)
	@echo "$(VIM25_WSDL) $(VIM25_OPS)" | cmp -s - $@ || echo "$(VIM25_WSDL) $(VIM25_OPS)" > $@

$(V25_STAMP): $(V25)/.config $(wildcard $(V25_SET)/*.wsdl $(V25_SET)/*.xsd) \
		$(filter-out all,$(VIM25_OPS)) generator/typemap.dat generator/vim25.mk $(GT)/vim25fix $(GT)/vim25types $(GT)/wsdlprune
	@test -f "$(VIM25_WSDL)" || { echo "generate: no WSDL at VIM25_WSDL=$(VIM25_WSDL)"; exit 1; }
	rm -rf $(V25).tmp && mkdir -p $(V25).tmp
	$(GT)/wsdlprune $(V25_SET) $(VIM25_OPS) $(V25).tmp/src
	cd $(V25).tmp && wsdl2h -c -F -P -d -t $(CURDIR)/generator/typemap.dat -o vim.h \
	  src/$(notdir $(VIM25_WSDL)) > wsdl2h.log 2>&1 || { cat wsdl2h.log; exit 1; }
	cd $(V25).tmp && soapcpp2 -c -C -L -x -w -f1500 -I/usr/share/gsoap/import vim.h \
	  > soapcpp2.log 2>&1 || { cat soapcpp2.log; exit 1; }
	$(GT)/vim25fix "$(VIM25_WSDL) (operations: $(VIM25_OPS))" $(V25).tmp/vim.h \
	  $(V25).tmp/soapStub.h $(V25).tmp/soapH.h $(V25).tmp/soapClient.c $(V25).tmp/soapC_*.c
	$(GT)/vim25types $(V25).tmp/soapStub.h $(V25).tmp/soapH.h $(V25).tmp/vim25_types.c "$(VIM25_WSDL)"
	rm -rf $(V25).tmp/src $(V25).tmp/*.log
	cp $(V25)/.config $(V25).tmp/.config
	rm -rf $(V25) && mv $(V25).tmp $(V25)
	@touch $@

# The archive is built by a sub-make so the file list is read after generation.
$(V25_ARCHIVE): $(V25_STAMP)
	@$(MAKE) --no-print-directory vim25-archive
V25_SRCS := $(wildcard $(V25)/soapC_*.c $(V25)/soapClient.c $(V25)/vim25_types.c)
V25_OBJS := $(patsubst $(V25)/%.c,$(V25)/obj/%.o,$(V25_SRCS))
vim25-archive: $(V25_OBJS)
	@rm -f $(V25_ARCHIVE)
	ar rcs $(V25_ARCHIVE) $(V25_OBJS)
$(V25)/obj/%.o: $(V25)/%.c $(V25_STAMP)
	@mkdir -p $(V25)/obj
	$(Q)$(CC) $(GEN_CFLAGS) -c -o $@ $<
