// RegisterVM_Task that reads the uploaded .vmx and works in the ESX model too.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"fmt"
	"io/ioutil"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// parseVmx reads `key = "value"` lines (keys lower-cased, |XX escapes decoded).
func parseVmx(data []byte) (map[string]string, error) {
	if !strings.Contains(string(data), "=") {
		return nil, fmt.Errorf("no key = value line")
	}
	out := map[string]string{}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.Index(line, "=")
		if i <= 0 {
			return nil, fmt.Errorf("line %d: no '='", n+1)
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		val := strings.TrimSpace(line[i+1:])
		if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
			return nil, fmt.Errorf("line %d: value not quoted", n+1)
		}
		out[key] = vmxUnescape(val[1 : len(val)-1])
	}
	return out, nil
}

func vmxUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// guestID maps a .vmx guestOS value ("otherlinux-64") to a vSphere guestId
// ("otherLinux64Guest") by comparing both without case, '-' and '_'.
func guestID(vmx string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
	}
	want := norm(vmx)
	for _, id := range simulator.GuestID {
		if norm(strings.TrimSuffix(string(id), "Guest")) == want {
			return string(id)
		}
	}
	return string(types.VirtualMachineGuestOsIdentifierOtherGuest)
}

func touch(p string) {
	if _, err := os.Stat(p); os.IsNotExist(err) {
		ioutil.WriteFile(p, nil, 0600)
	}
}

// defaultPool returns the standalone host's root pool (ESX model).
func defaultPool() *types.ManagedObjectReference {
	for _, e := range simulator.Map.All("HostSystem") {
		hs := e.(*simulator.HostSystem)
		if hs.Parent != nil {
			if p, _ := computeResource(*hs.Parent); p != nil {
				return p
			}
		}
	}
	return nil
}

func (p *proxy) RegisterVMTask(ctx *simulator.Context, req *types.RegisterVM_Task) soap.HasFault {
	body := &methods.RegisterVM_TaskBody{}
	folder, ok := simulator.Map.Get(p.orig).(*simulator.Folder)
	if !ok {
		body.Fault_ = p.gone()
		return body
	}
	req.This = p.orig
	if req.Pool == nil && !req.AsTemplate && p.h.isESX() {
		req.Pool = defaultPool()
	}
	if req.Host != nil {
		if _, ok := simulator.Map.Get(*req.Host).(*simulator.HostSystem); !ok {
			body.Fault_ = fault(&types.ManagedObjectNotFound{Obj: *req.Host})
			return body
		}
	}
	if req.Pool != nil {
		if _, ok := simulator.Map.Get(*req.Pool).(*simulator.ResourcePool); !ok {
			body.Fault_ = fault(&types.ManagedObjectNotFound{Obj: *req.Pool})
			return body
		}
	}
	h := p.h
	ref := h.runTask(ctx, folder, "", "registerVm", false, func(c *simulator.Context) (types.AnyType, types.BaseMethodFault) {
		return h.registerVM(c, folder, req)
	})
	body.Res = &types.RegisterVM_TaskResponse{Returnval: ref}
	return body
}

func (h *harness) registerVM(c *simulator.Context, folder *simulator.Folder, req *types.RegisterVM_Task) (types.AnyType, types.BaseMethodFault) {
	if req.Path == "" {
		return nil, &types.InvalidArgument{InvalidProperty: "path"}
	}
	file, _, err := datastoreFile(req.Path)
	if err != nil {
		return nil, &types.InvalidArgument{InvalidProperty: "path"}
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, &types.FileNotFound{FileFault: types.FileFault{File: req.Path}}
	}
	if st.IsDir() || path.Ext(file) != ".vmx" {
		return nil, &types.InvalidArgument{InvalidProperty: "path"}
	}
	data, err := ioutil.ReadFile(file)
	if err != nil {
		return nil, &types.FileNotFound{FileFault: types.FileFault{File: req.Path}}
	}
	cfg, err := parseVmx(data)
	if err != nil {
		return nil, &types.InvalidArgument{InvalidProperty: "path"}
	}
	r := *req
	if r.Name == "" {
		r.Name = cfg["displayname"]
	}
	if r.Name == "" {
		r.Name = strings.TrimSuffix(path.Base(file), ".vmx")
	}
	// the simulator opens these when registering: give it empty ones
	touch(path.Join(path.Dir(file), r.Name+".nvram"))
	touch(path.Join(path.Dir(file), "vmware.log"))

	res, f := h.delegate(c, folder, "RegisterVMTask", &r)
	if f != nil {
		return nil, f
	}
	vmRef, ok := res.(types.ManagedObjectReference)
	if !ok {
		return res, nil
	}
	vm, ok := simulator.Map.Get(vmRef).(*simulator.VirtualMachine)
	if !ok {
		return res, nil
	}
	spec := types.VirtualMachineConfigSpec{}
	changed := false
	if v, err := strconv.Atoi(cfg["memsize"]); err == nil && v > 0 {
		spec.MemoryMB, changed = int64(v), true
	}
	if v, err := strconv.Atoi(cfg["numvcpus"]); err == nil && v > 0 {
		spec.NumCPUs, changed = int32(v), true
	}
	if g, ok := cfg["guestos"]; ok {
		spec.GuestId, changed = guestID(g), true
	}
	if a, ok := cfg["annotation"]; ok {
		spec.Annotation, changed = a, true
	}
	if changed {
		if _, f := h.delegate(c, vm, "ReconfigVMTask", &types.ReconfigVM_Task{This: vmRef, Spec: spec}); f != nil {
			return nil, f
		}
	}
	simulator.Map.WithLock(vm, func() {
		if spec.Annotation != "" {
			simulator.Map.Update(vm, []types.PropertyChange{{Name: "summary.config.annotation", Val: spec.Annotation}})
		}
		h.syncTools(vm)
	})
	return vmRef, nil
}
