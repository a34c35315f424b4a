// Proxy methods: the SOAP methods the harness adds to or changes in the simulator.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func fault(f types.BaseMethodFault) *soap.Fault { return simulator.Fault(faultMessage(f), f) }

// faultMessage gives the localized message a real server sends with f.
func faultMessage(f types.BaseMethodFault) string {
	switch x := f.(type) {
	case *types.InvalidArgument:
		return "A specified parameter was not correct: " + x.InvalidProperty
	case *types.ToolsUnavailable:
		return "Cannot complete operation because VMware Tools is not running in this virtual machine."
	case *types.InvalidPowerState:
		return "The attempted operation cannot be performed in the current state (" + string(x.ExistingState) + ")."
	case *types.InvalidState:
		return "The operation is not allowed in the current state."
	case *types.NotSupported:
		return "The operation is not supported on the object."
	case *types.RequestCanceled:
		return "The task was canceled by a user."
	case *types.FileNotFound:
		return "File " + x.File + " was not found"
	case *types.ManagedObjectNotFound:
		return "The object has already been deleted or has not been completely created"
	}
	return ""
}

func notAuthenticated(this types.ManagedObjectReference) *soap.Fault {
	return simulator.Fault("", &types.NotAuthenticated{
		NoPermission: types.NoPermission{Object: this, PrivilegeId: "System.View"},
	})
}

func (p *proxy) vm() *simulator.VirtualMachine {
	vm, _ := simulator.Map.Get(p.orig).(*simulator.VirtualMachine)
	return vm
}

func (p *proxy) gone() *soap.Fault {
	return simulator.Fault("The object has already been deleted or has not been completely created",
		&types.ManagedObjectNotFound{Obj: p.orig})
}

// ---------------------------------------------------------------------------
// PropertyCollector: paging

type pageState struct {
	objects []types.ObjectContent
	limit   int
	session string
}

func (p *proxy) collector(ctx *simulator.Context) *simulator.PropertyCollector {
	var o mo.Reference
	if ctx.Session != nil {
		o = ctx.Session.Get(p.orig)
	} else {
		o = simulator.Map.Get(p.orig)
	}
	pc, _ := o.(*simulator.PropertyCollector)
	return pc
}

func newToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func sessionKey(ctx *simulator.Context) string {
	if ctx.Session == nil {
		return ""
	}
	return ctx.Session.Key
}

// page cuts the first limit objects off, keeping the rest under a token.
func (h *harness) page(ctx *simulator.Context, objs []types.ObjectContent, limit int) types.RetrieveResult {
	if limit <= 0 || len(objs) <= limit {
		return types.RetrieveResult{Objects: objs}
	}
	tok := newToken()
	h.mu.Lock()
	h.pages[tok] = &pageState{objects: objs[limit:], limit: limit, session: sessionKey(ctx)}
	h.mu.Unlock()
	return types.RetrieveResult{Token: tok, Objects: objs[:limit]}
}

func (p *proxy) RetrievePropertiesEx(ctx *simulator.Context, req *types.RetrievePropertiesEx) soap.HasFault {
	body := &methods.RetrievePropertiesExBody{}
	if ctx.Session == nil { // real vCenter/ESX require a session here
		body.Fault_ = notAuthenticated(p.orig)
		return body
	}
	pc := p.collector(ctx)
	if pc == nil {
		body.Fault_ = p.gone()
		return body
	}
	ref := p.orig
	c := *ctx
	c.Caller = &ref
	inner := pc.RetrievePropertiesEx(&c, &types.RetrievePropertiesEx{This: p.orig, SpecSet: req.SpecSet})
	if f := inner.Fault(); f != nil {
		body.Fault_ = f
		return body
	}
	res := inner.(*methods.RetrievePropertiesExBody).Res.Returnval
	if res == nil || len(res.Objects) == 0 {
		// real servers answer an empty result with no returnval
		body.Res = &types.RetrievePropertiesExResponse{}
		return body
	}
	limit := p.h.pageSize
	if req.Options.MaxObjects > 0 {
		limit = int(req.Options.MaxObjects)
	}
	r := p.h.page(ctx, res.Objects, limit)
	body.Res = &types.RetrievePropertiesExResponse{Returnval: &r}
	return body
}

func (p *proxy) RetrieveProperties(ctx *simulator.Context, req *types.RetrieveProperties) soap.HasFault {
	body := &methods.RetrievePropertiesBody{}
	if ctx.Session == nil {
		body.Fault_ = notAuthenticated(p.orig)
		return body
	}
	pc := p.collector(ctx)
	if pc == nil {
		body.Fault_ = p.gone()
		return body
	}
	ref := p.orig
	c := *ctx
	c.Caller = &ref
	req.This = p.orig
	return pc.RetrieveProperties(&c, req)
}

func (p *proxy) ContinueRetrievePropertiesEx(ctx *simulator.Context, req *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	h := p.h
	h.mu.Lock()
	st := h.pages[req.Token]
	if st == nil || st.session != sessionKey(ctx) {
		h.mu.Unlock()
		body.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	var r types.RetrieveResult
	if len(st.objects) <= st.limit {
		r.Objects = st.objects
		delete(h.pages, req.Token)
	} else {
		r.Objects = st.objects[:st.limit]
		st.objects = st.objects[st.limit:]
		r.Token = req.Token
	}
	h.mu.Unlock()
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: r}
	return body
}

func (p *proxy) CancelRetrievePropertiesEx(ctx *simulator.Context, req *types.CancelRetrievePropertiesEx) soap.HasFault {
	body := &methods.CancelRetrievePropertiesExBody{}
	h := p.h
	h.mu.Lock()
	st := h.pages[req.Token]
	if st != nil && st.session == sessionKey(ctx) {
		delete(h.pages, req.Token)
	}
	h.mu.Unlock()
	if st == nil || st.session != sessionKey(ctx) {
		body.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.CancelRetrievePropertiesExResponse{}
	return body
}

// ---------------------------------------------------------------------------
// Task

func (p *proxy) CancelTask(ctx *simulator.Context, req *types.CancelTask) soap.HasFault {
	body := &methods.CancelTaskBody{}
	if f := p.h.cancelTask(p.orig); f != nil {
		body.Fault_ = fault(f)
		return body
	}
	body.Res = &types.CancelTaskResponse{}
	return body
}

// ---------------------------------------------------------------------------
// VirtualMachine tasks

// vmTask runs the simulator's own goName asynchronously on the VM.
func (p *proxy) vmTask(ctx *simulator.Context, name, goName string, req interface{}, blockQ bool) (types.ManagedObjectReference, *soap.Fault) {
	vm := p.vm()
	if vm == nil {
		return types.ManagedObjectReference{}, p.gone()
	}
	h := p.h
	ref := h.runTask(ctx, vm, vm.Self.Value, name, blockQ, func(c *simulator.Context) (types.AnyType, types.BaseMethodFault) {
		if simulator.Map.Get(vm.Self) == nil {
			return nil, &types.ManagedObjectNotFound{Obj: vm.Self}
		}
		res, f := h.delegate(c, vm, goName, req)
		if simulator.Map.Get(vm.Self) != nil {
			simulator.Map.WithLock(vm, func() { h.syncTools(vm) })
		}
		return res, f
	})
	return ref, nil
}

func (p *proxy) PowerOnVMTask(ctx *simulator.Context, req *types.PowerOnVM_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "powerOn", "PowerOnVMTask", req, true)
	if f != nil {
		return &methods.PowerOnVM_TaskBody{Fault_: f}
	}
	return &methods.PowerOnVM_TaskBody{Res: &types.PowerOnVM_TaskResponse{Returnval: ref}}
}

func (p *proxy) PowerOffVMTask(ctx *simulator.Context, req *types.PowerOffVM_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "powerOff", "PowerOffVMTask", req, false)
	if f != nil {
		return &methods.PowerOffVM_TaskBody{Fault_: f}
	}
	return &methods.PowerOffVM_TaskBody{Res: &types.PowerOffVM_TaskResponse{Returnval: ref}}
}

func (p *proxy) SuspendVMTask(ctx *simulator.Context, req *types.SuspendVM_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "suspend", "SuspendVMTask", req, false)
	if f != nil {
		return &methods.SuspendVM_TaskBody{Fault_: f}
	}
	return &methods.SuspendVM_TaskBody{Res: &types.SuspendVM_TaskResponse{Returnval: ref}}
}

func (p *proxy) ResetVMTask(ctx *simulator.Context, req *types.ResetVM_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "reset", "ResetVMTask", req, false)
	if f != nil {
		return &methods.ResetVM_TaskBody{Fault_: f}
	}
	return &methods.ResetVM_TaskBody{Res: &types.ResetVM_TaskResponse{Returnval: ref}}
}

func (p *proxy) ReconfigVMTask(ctx *simulator.Context, req *types.ReconfigVM_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "reconfigVm", "ReconfigVMTask", req, false)
	if f != nil {
		return &methods.ReconfigVM_TaskBody{Fault_: f}
	}
	return &methods.ReconfigVM_TaskBody{Res: &types.ReconfigVM_TaskResponse{Returnval: ref}}
}

func (p *proxy) DestroyTask(ctx *simulator.Context, req *types.Destroy_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "destroy", "DestroyTask", req, false)
	if f != nil {
		return &methods.Destroy_TaskBody{Fault_: f}
	}
	return &methods.Destroy_TaskBody{Res: &types.Destroy_TaskResponse{Returnval: ref}}
}

func (p *proxy) CreateSnapshotTask(ctx *simulator.Context, req *types.CreateSnapshot_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "createSnapshot", "CreateSnapshotTask", req, false)
	if f != nil {
		return &methods.CreateSnapshot_TaskBody{Fault_: f}
	}
	return &methods.CreateSnapshot_TaskBody{Res: &types.CreateSnapshot_TaskResponse{Returnval: ref}}
}

func (p *proxy) RevertToCurrentSnapshotTask(ctx *simulator.Context, req *types.RevertToCurrentSnapshot_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "revertToCurrentSnapshot", "RevertToCurrentSnapshotTask", req, false)
	if f != nil {
		return &methods.RevertToCurrentSnapshot_TaskBody{Fault_: f}
	}
	return &methods.RevertToCurrentSnapshot_TaskBody{Res: &types.RevertToCurrentSnapshot_TaskResponse{Returnval: ref}}
}

func (p *proxy) RemoveAllSnapshotsTask(ctx *simulator.Context, req *types.RemoveAllSnapshots_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.vmTask(ctx, "removeAllSnapshots", "RemoveAllSnapshotsTask", req, false)
	if f != nil {
		return &methods.RemoveAllSnapshots_TaskBody{Fault_: f}
	}
	return &methods.RemoveAllSnapshots_TaskBody{Res: &types.RemoveAllSnapshots_TaskResponse{Returnval: ref}}
}

// snapshotTask runs a VirtualMachineSnapshot method; the VM's delay applies.
func (p *proxy) snapshotTask(ctx *simulator.Context, name, goName string, req interface{}) (types.ManagedObjectReference, *soap.Fault) {
	snap, ok := simulator.Map.Get(p.orig).(*simulator.VirtualMachineSnapshot)
	if !ok {
		return types.ManagedObjectReference{}, p.gone()
	}
	h := p.h
	ref := h.runTask(ctx, snap, snap.Vm.Value, name, false, func(c *simulator.Context) (types.AnyType, types.BaseMethodFault) {
		if simulator.Map.Get(snap.Self) == nil {
			return nil, &types.ManagedObjectNotFound{Obj: snap.Self}
		}
		return h.delegate(c, snap, goName, req)
	})
	return ref, nil
}

func (p *proxy) RevertToSnapshotTask(ctx *simulator.Context, req *types.RevertToSnapshot_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.snapshotTask(ctx, "revertToSnapshot", "RevertToSnapshotTask", req)
	if f != nil {
		return &methods.RevertToSnapshot_TaskBody{Fault_: f}
	}
	return &methods.RevertToSnapshot_TaskBody{Res: &types.RevertToSnapshot_TaskResponse{Returnval: ref}}
}

func (p *proxy) RemoveSnapshotTask(ctx *simulator.Context, req *types.RemoveSnapshot_Task) soap.HasFault {
	req.This = p.orig
	ref, f := p.snapshotTask(ctx, "removeSnapshot", "RemoveSnapshotTask", req)
	if f != nil {
		return &methods.RemoveSnapshot_TaskBody{Fault_: f}
	}
	return &methods.RemoveSnapshot_TaskBody{Res: &types.RemoveSnapshot_TaskResponse{Returnval: ref}}
}

// ---------------------------------------------------------------------------
// Migration

// computeResource returns the pool and hosts of a (cluster) compute resource.
func computeResource(ref types.ManagedObjectReference) (*types.ManagedObjectReference, []types.ManagedObjectReference) {
	switch cr := simulator.Map.Get(ref).(type) {
	case *simulator.ClusterComputeResource:
		return cr.ResourcePool, cr.Host
	case *mo.ComputeResource:
		return cr.ResourcePool, cr.Host
	}
	return nil, nil
}

// moveLists keeps HostSystem.vm and ResourcePool.vm consistent with a move
// and publishes the change to property collectors.
func moveLists(vm types.ManagedObjectReference, oldHost, newHost, oldPool, newPool *types.ManagedObjectReference) {
	edit := func(ref types.ManagedObjectReference, add bool) {
		obj := simulator.Map.Get(ref)
		var field *[]types.ManagedObjectReference
		switch o := obj.(type) {
		case *simulator.HostSystem:
			field = &o.Vm
		case *simulator.ResourcePool:
			field = &o.Vm
		default:
			return
		}
		simulator.Map.WithLock(obj, func() {
			var list []types.ManagedObjectReference
			for _, r := range *field {
				if r != vm {
					list = append(list, r)
				}
			}
			if add {
				list = append(list, vm)
			}
			simulator.Map.Update(obj, []types.PropertyChange{{Name: "vm", Val: list}})
		})
	}
	if oldHost != nil && newHost != nil && *oldHost != *newHost {
		edit(*oldHost, false)
		edit(*newHost, true)
	}
	if oldPool != nil && newPool != nil && *oldPool != *newPool {
		edit(*oldPool, false)
		edit(*newPool, true)
	}
}

// migrationTarget validates pool/host and fills in the missing one.
func migrationTarget(vm *simulator.VirtualMachine, pool, host *types.ManagedObjectReference) (types.ManagedObjectReference, types.ManagedObjectReference, *soap.Fault) {
	var np, nh types.ManagedObjectReference
	if pool == nil && host == nil {
		return np, nh, fault(&types.InvalidArgument{InvalidProperty: "pool"})
	}
	var hs *simulator.HostSystem
	if host != nil {
		var ok bool
		if hs, ok = simulator.Map.Get(*host).(*simulator.HostSystem); !ok {
			return np, nh, fault(&types.ManagedObjectNotFound{Obj: *host})
		}
	}
	var rp *simulator.ResourcePool
	if pool != nil {
		var ok bool
		if rp, ok = simulator.Map.Get(*pool).(*simulator.ResourcePool); !ok {
			return np, nh, fault(&types.ManagedObjectNotFound{Obj: *pool})
		}
	}
	switch {
	case rp != nil && hs != nil:
		_, hosts := computeResource(rp.Owner)
		if simulator.FindReference(hosts, hs.Self) == nil {
			return np, nh, fault(&types.InvalidArgument{InvalidProperty: "host"})
		}
		np, nh = rp.Self, hs.Self
	case hs != nil:
		if hs.Parent == nil {
			return np, nh, fault(&types.InvalidArgument{InvalidProperty: "host"})
		}
		p, _ := computeResource(*hs.Parent)
		if p == nil {
			return np, nh, fault(&types.InvalidArgument{InvalidProperty: "host"})
		}
		np, nh = *p, hs.Self
	default:
		_, hosts := computeResource(rp.Owner)
		if len(hosts) == 0 {
			return np, nh, fault(&types.InvalidArgument{InvalidProperty: "pool"})
		}
		nh = hosts[0]
		if vm.Runtime.Host != nil && simulator.FindReference(hosts, *vm.Runtime.Host) != nil {
			nh = *vm.Runtime.Host
		}
		np = rp.Self
	}
	return np, nh, nil
}

func (p *proxy) MigrateVMTask(ctx *simulator.Context, req *types.MigrateVM_Task) soap.HasFault {
	body := &methods.MigrateVM_TaskBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	if p.h.isESX() {
		body.Fault_ = simulator.Fault("migration needs vCenter", &types.NotSupported{})
		return body
	}
	np, nh, f := migrationTarget(vm, req.Pool, req.Host)
	if f != nil {
		body.Fault_ = f
		return body
	}
	want := req.State
	ref := p.h.runTask(ctx, vm, vm.Self.Value, "migrateVm", false, func(c *simulator.Context) (types.AnyType, types.BaseMethodFault) {
		if simulator.Map.Get(vm.Self) == nil {
			return nil, &types.ManagedObjectNotFound{Obj: vm.Self}
		}
		var fl types.BaseMethodFault
		simulator.Map.WithLock(vm, func() {
			if want != "" && want != vm.Runtime.PowerState {
				fl = &types.InvalidPowerState{RequestedState: want, ExistingState: vm.Runtime.PowerState}
				return
			}
			moveLists(vm.Self, vm.Runtime.Host, &nh, vm.ResourcePool, &np)
			simulator.Map.Update(vm, []types.PropertyChange{
				{Name: "runtime.host", Val: nh},
				{Name: "summary.runtime.host", Val: nh},
				{Name: "resourcePool", Val: np},
			})
		})
		return nil, fl
	})
	body.Res = &types.MigrateVM_TaskResponse{Returnval: ref}
	return body
}

func (p *proxy) RelocateVMTask(ctx *simulator.Context, req *types.RelocateVM_Task) soap.HasFault {
	body := &methods.RelocateVM_TaskBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	req.This = p.orig
	// the simulator type-asserts these without checking: validate first
	checks := []struct {
		ref  *types.ManagedObjectReference
		kind string
	}{{req.Spec.Host, "HostSystem"}, {req.Spec.Pool, "ResourcePool"}, {req.Spec.Datastore, "Datastore"}, {req.Spec.Folder, "Folder"}}
	for _, ck := range checks {
		if ck.ref == nil {
			continue
		}
		o := simulator.Map.Get(*ck.ref)
		ok := o != nil
		switch ck.kind {
		case "HostSystem":
			_, ok = o.(*simulator.HostSystem)
		case "ResourcePool":
			_, ok = o.(*simulator.ResourcePool)
		case "Datastore":
			_, ok = o.(*simulator.Datastore)
		case "Folder":
			_, ok = o.(*simulator.Folder)
		}
		if !ok {
			body.Fault_ = fault(&types.ManagedObjectNotFound{Obj: *ck.ref})
			return body
		}
	}
	h := p.h
	ref := h.runTask(ctx, vm, vm.Self.Value, "relocateVm", false, func(c *simulator.Context) (types.AnyType, types.BaseMethodFault) {
		if simulator.Map.Get(vm.Self) == nil {
			return nil, &types.ManagedObjectNotFound{Obj: vm.Self}
		}
		var oldHost, oldPool *types.ManagedObjectReference
		simulator.Map.WithLock(vm, func() {
			if vm.Runtime.Host != nil {
				x := *vm.Runtime.Host
				oldHost = &x
			}
			if vm.ResourcePool != nil {
				x := *vm.ResourcePool
				oldPool = &x
			}
		})
		res, f := h.delegate(c, vm, "RelocateVMTask", req)
		if f == nil {
			moveLists(vm.Self, oldHost, req.Spec.Host, oldPool, req.Spec.Pool)
		}
		return res, f
	})
	body.Res = &types.RelocateVM_TaskResponse{Returnval: ref}
	return body
}

// ---------------------------------------------------------------------------
// Questions

func (p *proxy) AnswerVM(ctx *simulator.Context, req *types.AnswerVM) soap.HasFault {
	body := &methods.AnswerVMBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	h := p.h
	h.mu.Lock()
	q := h.questions[vm.Self.Value]
	if q == nil || q.Id != req.QuestionId {
		h.mu.Unlock()
		body.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "questionId"})
		return body
	}
	valid := false
	for _, c := range q.Choice.ChoiceInfo {
		if c.GetElementDescription().Key == req.AnswerChoice {
			valid = true
		}
	}
	if !valid {
		h.mu.Unlock()
		body.Fault_ = fault(&types.InvalidArgument{InvalidProperty: "answerChoice"})
		return body
	}
	delete(h.questions, vm.Self.Value)
	h.mu.Unlock()
	simulator.Map.WithLock(vm, func() { setQuestionProp(vm, nil) })
	body.Res = &types.AnswerVMResponse{}
	return body
}

// setQuestionProp publishes runtime.question (nil clears it).  VM locked.
func setQuestionProp(vm *simulator.VirtualMachine, q *types.VirtualMachineQuestionInfo) {
	var v interface{}
	if q != nil {
		v = q
	}
	simulator.Map.Update(vm, []types.PropertyChange{
		{Name: "runtime.question", Val: v},
		{Name: "summary.runtime.question", Val: v},
	})
}

// ---------------------------------------------------------------------------
// Guest operations through VMware Tools

func (p *proxy) guestCheck(vm *simulator.VirtualMachine) *soap.Fault {
	if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
		return fault(&types.InvalidPowerState{
			RequestedState: types.VirtualMachinePowerStatePoweredOn,
			ExistingState:  vm.Runtime.PowerState,
		})
	}
	if !p.h.toolsRunning(vm) {
		return fault(&types.ToolsUnavailable{})
	}
	return nil
}

func (p *proxy) RebootGuest(ctx *simulator.Context, req *types.RebootGuest) soap.HasFault {
	body := &methods.RebootGuestBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	simulator.Map.WithLock(vm, func() {
		if body.Fault_ = p.guestCheck(vm); body.Fault_ != nil {
			return
		}
		now := time.Now()
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.bootTime", Val: now},
			{Name: "summary.runtime.bootTime", Val: now},
		})
		body.Res = &types.RebootGuestResponse{}
	})
	return body
}

func (p *proxy) StandbyGuest(ctx *simulator.Context, req *types.StandbyGuest) soap.HasFault {
	body := &methods.StandbyGuestBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	simulator.Map.WithLock(vm, func() {
		if body.Fault_ = p.guestCheck(vm); body.Fault_ != nil {
			return
		}
		body.Res = &types.StandbyGuestResponse{}
	})
	return body
}

func (p *proxy) ShutdownGuest(ctx *simulator.Context, req *types.ShutdownGuest) soap.HasFault {
	body := &methods.ShutdownGuestBody{}
	vm := p.vm()
	if vm == nil {
		body.Fault_ = p.gone()
		return body
	}
	var f *soap.Fault
	simulator.Map.WithLock(vm, func() { f = p.guestCheck(vm) })
	if f != nil {
		body.Fault_ = f
		return body
	}
	req.This = p.orig
	if _, fl := p.h.delegate(ctx, vm, "ShutdownGuest", req); fl != nil {
		body.Fault_ = fault(fl)
		return body
	}
	simulator.Map.WithLock(vm, func() { p.h.syncTools(vm) })
	body.Res = &types.ShutdownGuestResponse{}
	return body
}
