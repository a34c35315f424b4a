// Harness state, model set-up and the asynchronous task engine.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"fmt"
	"io/ioutil"
	"os"
	"path"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type harness struct {
	opt *options
	m   *simulator.Model

	mu        sync.Mutex
	proxies   map[types.ManagedObjectReference]*proxy
	lastSeen  map[string]time.Time
	vmDelay   map[string]int // per-VM task delay (ms, -1 = never), by VM MoRef value
	toolsOff  map[string]bool
	questions map[string]*types.VirtualMachineQuestionInfo
	qseq      int
	tasks     map[string]*asyncTask
	ours      map[string]struct{} // tasks created by runTask
	pages     map[string]*pageState
	taskDelay int
	pageSize  int

	faults faultQueue
	stopCh chan struct{}
}

func newHarness(o *options, m *simulator.Model) *harness {
	return &harness{
		opt:       o,
		m:         m,
		proxies:   map[types.ManagedObjectReference]*proxy{},
		lastSeen:  map[string]time.Time{},
		vmDelay:   map[string]int{},
		toolsOff:  map[string]bool{},
		questions: map[string]*types.VirtualMachineQuestionInfo{},
		tasks:     map[string]*asyncTask{},
		ours:      map[string]struct{}{},
		pages:     map[string]*pageState{},
		taskDelay: o.taskDelayMs,
		pageSize:  o.pageSize,
		stopCh:    make(chan struct{}),
	}
}

func (h *harness) stop() { close(h.stopCh) }

func (h *harness) isESX() bool { return h.opt.model == "esx" }

// setupModel applies the model options once the inventory exists.
func (h *harness) setupModel() {
	for _, e := range simulator.Map.All("HostSystem") {
		host := e.(*simulator.HostSystem)
		if h.opt.mgmtIP != "" {
			simulator.Map.WithLock(host, func() {
				simulator.Map.Update(host, []types.PropertyChange{
					{Name: "summary.managementServerIp", Val: h.opt.mgmtIP},
				})
			})
		}
	}
	// No client is connected yet: set the fields directly (a Map.Update per
	// VM costs about 0.5 ms, which matters for 10,000 VMs).
	dsDir := map[string]string{}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		dsDir[ds.Name] = ds.Info.GetDatastoreInfo().Url
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			h.writeModelVmx(vm, dsDir)
			rs, ts := toolsState(vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn)
			if vm.Guest == nil {
				vm.Guest = &types.GuestInfo{}
			}
			vm.Guest.ToolsRunningStatus, vm.Guest.ToolsStatus = string(rs), ts
			vm.Guest.ToolsVersionStatus2 = string(types.VirtualMachineToolsVersionStatusGuestToolsCurrent)
			if vm.Summary.Guest == nil {
				vm.Summary.Guest = &types.VirtualMachineGuestSummary{}
			}
			vm.Summary.Guest.ToolsRunningStatus, vm.Summary.Guest.ToolsStatus = string(rs), ts
		})
	}
}

func toolsState(running bool) (types.VirtualMachineToolsRunningStatus, types.VirtualMachineToolsStatus) {
	if running {
		return types.VirtualMachineToolsRunningStatusGuestToolsRunning, types.VirtualMachineToolsStatusToolsOk
	}
	return types.VirtualMachineToolsRunningStatusGuestToolsNotRunning, types.VirtualMachineToolsStatusToolsNotRunning
}

// datastoreDir maps "[ds] dir/file" to a local path.
func datastoreFile(name string) (string, *simulator.Datastore, error) {
	var p dsPath
	if !p.parse(name) {
		return "", nil, fmt.Errorf("not a datastore path: %q", name)
	}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		if ds.Name == p.Datastore {
			return path.Join(ds.Info.GetDatastoreInfo().Url, path.Clean("/"+p.Path)), ds, nil
		}
	}
	return "", nil, fmt.Errorf("no datastore %q", p.Datastore)
}

// dsPath parses "[datastore] relative/path".
type dsPath struct{ Datastore, Path string }

func (p *dsPath) parse(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") {
		return false
	}
	i := strings.Index(s, "]")
	if i < 2 {
		return false
	}
	p.Datastore = s[1:i]
	p.Path = strings.TrimSpace(s[i+1:])
	return true
}

// writeModelVmx gives a model VM (whose .vmx the simulator leaves empty) a
// small .vmx matching its configuration, so GET /folder/... returns one.
func (h *harness) writeModelVmx(vm *simulator.VirtualMachine, dsDir map[string]string) {
	if vm.Config == nil || vm.Config.Files.VmPathName == "" {
		return
	}
	var p dsPath
	if !p.parse(vm.Config.Files.VmPathName) || dsDir[p.Datastore] == "" {
		return
	}
	file := path.Join(dsDir[p.Datastore], path.Clean("/"+p.Path))
	if st, err := os.Stat(file); err != nil || st.Size() != 0 {
		return
	}
	guest := strings.TrimSuffix(vm.Config.GuestId, "Guest")
	text := fmt.Sprintf(".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"%s\"\n"+
		"displayName = \"%s\"\nmemsize = \"%d\"\nnumvcpus = \"%d\"\nguestOS = \"%s\"\n"+
		"uuid.bios = \"%s\"\nvc.uuid = \"%s\"\n",
		strings.TrimPrefix(vm.Config.Version, "vmx-"), vmxEscape(vm.Name),
		vm.Config.Hardware.MemoryMB, vm.Config.Hardware.NumCPU, strings.ToLower(guest),
		vm.Config.Uuid, vm.Config.InstanceUuid)
	ioutil.WriteFile(file, []byte(text), 0600)
}

func vmxEscape(s string) string {
	r := strings.NewReplacer("|", "|7C", "\"", "|22", "\n", "|0A")
	return r.Replace(s)
}

// findVM resolves a VM by MoRef value or by name.
func findVM(key string) *simulator.VirtualMachine {
	if o, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: key}).(*simulator.VirtualMachine); ok {
		return o
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		if vm.Name == key {
			return vm
		}
	}
	return nil
}

// syncTools derives guest.toolsRunningStatus from the power state and the
// per-VM tools switch.  Call with the VM locked.
func (h *harness) syncTools(vm *simulator.VirtualMachine) {
	h.mu.Lock()
	off := h.toolsOff[vm.Self.Value]
	h.mu.Unlock()
	rs, ts := toolsState(vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn && !off)
	if vm.Guest != nil && vm.Guest.ToolsRunningStatus == string(rs) && vm.Guest.ToolsStatus == ts {
		return
	}
	simulator.Map.Update(vm, []types.PropertyChange{
		{Name: "guest.toolsRunningStatus", Val: string(rs)},
		{Name: "guest.toolsStatus", Val: ts},
		{Name: "guest.toolsVersionStatus2", Val: string(types.VirtualMachineToolsVersionStatusGuestToolsCurrent)},
		{Name: "summary.guest.toolsRunningStatus", Val: string(rs)},
		{Name: "summary.guest.toolsStatus", Val: ts},
	})
}

func (h *harness) toolsRunning(vm *simulator.VirtualMachine) bool {
	return vm.Guest != nil && vm.Guest.ToolsRunningStatus == string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)
}

// ---------------------------------------------------------------------------
// Asynchronous tasks

type asyncTask struct {
	task     *simulator.Task
	vm       string // VM MoRef value whose delay/question applies ("" = global delay)
	blockQ   bool   // blocked while the VM has a pending question
	canceled bool
	started  bool // operation executing: no longer cancelable
	done     bool
}

type taskOp func(ctx *simulator.Context) (types.AnyType, types.BaseMethodFault)

func (h *harness) delayFor(vm string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d, ok := h.vmDelay[vm]; ok && vm != "" {
		return d
	}
	return h.taskDelay
}

func (h *harness) questionPending(vm string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return vm != "" && h.questions[vm] != nil
}

func updateTask(t *simulator.Task, changes []types.PropertyChange) {
	simulator.Map.WithLock(t, func() { simulator.Map.Update(t, changes) })
}

func finishTask(t *simulator.Task, res types.AnyType, fault types.BaseMethodFault) {
	state := types.TaskInfoStateSuccess
	var lf interface{}
	changes := []types.PropertyChange{}
	if fault != nil {
		state = types.TaskInfoStateError
		msg := faultMessage(fault)
		if msg == "" {
			msg = fmt.Sprintf("%T", fault)
		}
		lf = &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}
		if _, ok := fault.(*types.RequestCanceled); ok {
			changes = append(changes, types.PropertyChange{Name: "info.cancelled", Val: true})
		}
	} else {
		changes = append(changes, types.PropertyChange{Name: "info.progress", Val: int32(100)})
	}
	changes = append(changes,
		types.PropertyChange{Name: "info.completeTime", Val: time.Now()},
		types.PropertyChange{Name: "info.state", Val: state},
		types.PropertyChange{Name: "info.result", Val: res},
		types.PropertyChange{Name: "info.error", Val: lf},
	)
	updateTask(t, changes)
}

// runTask creates a Task for entity and performs op now (delay 0, nothing
// blocking) or after the configured delay in the background.
func (h *harness) runTask(ctx *simulator.Context, entity mo.Reference, vm string, name string,
	blockQ bool, op taskOp) types.ManagedObjectReference {
	t := simulator.CreateTask(entity, name, nil)
	h.mu.Lock()
	h.ours[t.Self.Value] = struct{}{}
	h.mu.Unlock()
	ename := entity.Reference().Value
	if e, ok := entity.(mo.Entity); ok && e.Entity().Name != "" {
		ename = e.Entity().Name
	}
	updateTask(t, []types.PropertyChange{
		{Name: "info.entityName", Val: ename},
		{Name: "info.startTime", Val: time.Now()},
		{Name: "info.state", Val: types.TaskInfoStateRunning},
		{Name: "info.progress", Val: int32(0)},
		{Name: "info.cancelable", Val: true},
	})
	delay := h.delayFor(vm)
	if delay == 0 && !(blockQ && h.questionPending(vm)) {
		res, fault := op(ctx)
		finishTask(t, res, fault)
		return t.Self
	}
	at := &asyncTask{task: t, vm: vm, blockQ: blockQ}
	h.mu.Lock()
	h.tasks[t.Self.Value] = at
	h.mu.Unlock()
	c := *ctx
	go h.drive(&c, at, op)
	return t.Self
}

func (h *harness) drive(ctx *simulator.Context, at *asyncTask, op taskOp) {
	begin := time.Now()
	last := int32(0)
	for {
		delay := h.delayFor(at.vm)
		elapsed := time.Since(begin)
		blocked := at.blockQ && h.questionPending(at.vm)
		h.mu.Lock()
		if at.canceled {
			h.mu.Unlock()
			return
		}
		ready := delay >= 0 && elapsed >= time.Duration(delay)*time.Millisecond && !blocked
		at.started = ready
		h.mu.Unlock()
		if ready {
			break
		}
		if delay > 0 {
			p := int32(elapsed * 100 / (time.Duration(delay) * time.Millisecond))
			if p > 99 {
				p = 99
			}
			if p != last {
				last = p
				updateTask(at.task, []types.PropertyChange{{Name: "info.progress", Val: p}})
			}
		}
		step := 250 * time.Millisecond
		if delay > 0 && time.Duration(delay)*time.Millisecond/10 < step {
			step = time.Duration(delay) * time.Millisecond / 10
			if step < 5*time.Millisecond {
				step = 5 * time.Millisecond
			}
		}
		select {
		case <-h.stopCh:
			return
		case <-time.After(step):
		}
	}
	res, fault := op(ctx)
	finishTask(at.task, res, fault)
	h.mu.Lock()
	at.done = true
	delete(h.tasks, at.task.Self.Value)
	h.mu.Unlock()
}

// cancelTask implements CancelTask for our asynchronous tasks.
func (h *harness) cancelTask(ref types.ManagedObjectReference) types.BaseMethodFault {
	t, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return &types.ManagedObjectNotFound{Obj: ref}
	}
	h.mu.Lock()
	at := h.tasks[ref.Value]
	if at == nil || at.started || at.done || at.canceled {
		h.mu.Unlock()
		if t.Info.State == types.TaskInfoStateSuccess || t.Info.State == types.TaskInfoStateError {
			return &types.InvalidState{}
		}
		return &types.NotSupported{}
	}
	at.canceled = true
	delete(h.tasks, ref.Value)
	h.mu.Unlock()
	finishTask(t, nil, &types.RequestCanceled{})
	return nil
}

// faultOf extracts the method fault of a simulator SOAP fault.
func faultOf(f *soap.Fault) types.BaseMethodFault {
	if bf, ok := f.VimFault().(types.BaseMethodFault); ok {
		return bf
	}
	return &types.SystemError{Reason: f.String}
}

// delegate calls the simulator's own method goName on obj (locked, as the
// simulator's dispatcher would) and returns the outcome of the task it ran.
func (h *harness) delegate(ctx *simulator.Context, obj mo.Reference, goName string, req interface{}) (types.AnyType, types.BaseMethodFault) {
	ref := obj.Reference()
	c := *ctx
	c.Caller = &ref
	m := reflect.ValueOf(obj).MethodByName(goName)
	if !m.IsValid() {
		return nil, &types.NotSupported{}
	}
	var args []reflect.Value
	if m.Type().NumIn() == 2 {
		args = append(args, reflect.ValueOf(&c))
	}
	args = append(args, reflect.ValueOf(req))
	before := h.recentTasks()
	var res soap.HasFault
	simulator.Map.WithLock(obj, func() { res = m.Call(args)[0].Interface().(soap.HasFault) })
	// nested tasks the simulator ran on this object (e.g. Reset's powerOff
	// and powerOn) are internal details: hide them like the outer one
	for r := range h.recentTasks() {
		if _, old := before[r]; old {
			continue
		}
		h.mu.Lock()
		_, ours := h.ours[r.Value]
		h.mu.Unlock()
		if t, ok := simulator.Map.Get(r).(*simulator.Task); ok && !ours && t.Info.Entity != nil && *t.Info.Entity == ref {
			defer h.dropTask(r)
		}
	}
	if f := res.Fault(); f != nil {
		return nil, faultOf(f)
	}
	rv := reflect.ValueOf(res).Elem().FieldByName("Res")
	if !rv.IsValid() || rv.IsNil() {
		return nil, nil
	}
	rv = rv.Elem().FieldByName("Returnval")
	if !rv.IsValid() {
		return nil, nil
	}
	tref, ok := rv.Interface().(types.ManagedObjectReference)
	if !ok || tref.Type != "Task" {
		return rv.Interface(), nil
	}
	inner, ok := simulator.Map.Get(tref).(*simulator.Task)
	if !ok {
		return nil, nil
	}
	result, ierr := inner.Info.Result, inner.Info.Error
	h.dropTask(tref)
	if ierr != nil {
		return nil, ierr.Fault
	}
	return result, nil
}

func (h *harness) taskManager() *simulator.TaskManager {
	tm, _ := simulator.Map.Get(*h.m.ServiceContent.TaskManager).(*simulator.TaskManager)
	return tm
}

func (h *harness) recentTasks() map[types.ManagedObjectReference]struct{} {
	out := map[types.ManagedObjectReference]struct{}{}
	if tm := h.taskManager(); tm != nil {
		tm.Lock()
		for _, r := range tm.RecentTask {
			out[r] = struct{}{}
		}
		tm.Unlock()
	}
	return out
}

// dropTask removes a simulator-internal task (ours replaces it) from the
// inventory and from TaskManager.recentTask.
func (h *harness) dropTask(ref types.ManagedObjectReference) {
	if tm := h.taskManager(); tm != nil {
		tm.Lock()
		var keep []types.ManagedObjectReference
		for _, r := range tm.RecentTask {
			if r != ref {
				keep = append(keep, r)
			}
		}
		simulator.Map.Update(tm, []types.PropertyChange{{Name: "recentTask", Val: keep}})
		tm.Unlock()
	}
	simulator.Map.Remove(ref)
}
