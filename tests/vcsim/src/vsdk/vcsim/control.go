// Control endpoint: plain HTTP on 127.0.0.1 for tests to steer the simulator.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

type ctlError struct {
	status int
	msg    string
}

func badRequest(f string, a ...interface{}) *ctlError {
	return &ctlError{http.StatusBadRequest, fmt.Sprintf(f, a...)}
}

// verb handles one control request; it returns a JSON-able value or an error.
type verb struct {
	methods string // allowed HTTP methods, e.g. "POST" or "GET,POST"
	fn      func(r *http.Request) (interface{}, *ctlError)
}

func (h *harness) verbs() map[string]verb {
	return map[string]verb{
		"/healthz":         {"GET", func(*http.Request) (interface{}, *ctlError) { return map[string]string{"status": "ok"}, nil }},
		"/question":        {"GET,POST,DELETE", h.ctlQuestion},
		"/expire-sessions": {"POST", h.ctlExpire},
		"/sessions":        {"GET", h.ctlSessions},
		"/tools":           {"POST", h.ctlTools},
		"/task-delay":      {"POST", h.ctlTaskDelay},
		"/page-size":       {"POST", h.ctlPageSize},
		"/fault":           {"POST,DELETE", h.ctlFault},
		"/vm":              {"GET", h.ctlVM},
	}
}

func (h *harness) startControl(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	mux := http.NewServeMux()
	for p, v := range h.verbs() {
		v := v
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if !strings.Contains(v.methods, r.Method) {
				w.Header().Set("Allow", v.methods)
				w.WriteHeader(http.StatusMethodNotAllowed)
				json.NewEncoder(w).Encode(map[string]string{"error": "method not allowed; use " + v.methods})
				return
			}
			if err := r.ParseForm(); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
				return
			}
			res, cerr := v.fn(r)
			if cerr != nil {
				w.WriteHeader(cerr.status)
				json.NewEncoder(w).Encode(map[string]string{"error": cerr.msg})
				return
			}
			json.NewEncoder(w).Encode(res)
		})
	}
	go http.Serve(ln, mux)
	return "http://" + ln.Addr().String(), nil
}

func vmParam(r *http.Request) (*simulator.VirtualMachine, *ctlError) {
	name := r.Form.Get("vm")
	if name == "" {
		return nil, badRequest("missing vm= (VM name or MoRef value)")
	}
	vm := findVM(name)
	if vm == nil {
		return nil, &ctlError{http.StatusNotFound, fmt.Sprintf("no VM %q", name)}
	}
	return vm, nil
}

func intParam(r *http.Request, key string, def int) (int, *ctlError) {
	s := r.Form.Get(key)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, badRequest("%s=%q is not an integer", key, s)
	}
	return v, nil
}

func (h *harness) ctlQuestion(r *http.Request) (interface{}, *ctlError) {
	vm, cerr := vmParam(r)
	if cerr != nil {
		return nil, cerr
	}
	if r.Method == http.MethodGet {
		h.mu.Lock()
		q := h.questions[vm.Self.Value]
		h.mu.Unlock()
		return map[string]interface{}{"vm": vm.Self.Value, "question": q}, nil
	}
	if r.Method == http.MethodDelete {
		h.mu.Lock()
		delete(h.questions, vm.Self.Value)
		h.mu.Unlock()
		simulator.Map.WithLock(vm, func() { setQuestionProp(vm, nil) })
		return map[string]string{"vm": vm.Self.Value}, nil
	}
	text := r.Form.Get("text")
	if text == "" {
		text = "Question from vcsim-harness"
	}
	choices := strings.Split(r.Form.Get("choices"), ",")
	if r.Form.Get("choices") == "" {
		choices = []string{"Yes", "No"}
	}
	def, cerr := intParam(r, "default", 0)
	if cerr != nil {
		return nil, cerr
	}
	if def < 0 || def >= len(choices) {
		return nil, badRequest("default=%d is not a choice index (0..%d)", def, len(choices)-1)
	}
	q := &types.VirtualMachineQuestionInfo{Text: text}
	for i, c := range choices {
		q.Choice.ChoiceInfo = append(q.Choice.ChoiceInfo, &types.ElementDescription{
			Description: types.Description{Label: c, Summary: c},
			Key:         strconv.Itoa(i),
		})
	}
	q.Choice.DefaultIndex = int32(def)
	if id := r.Form.Get("msgid"); id != "" {
		q.Message = []types.VirtualMachineMessage{{Id: id, Text: text}}
	}
	h.mu.Lock()
	h.qseq++
	q.Id = r.Form.Get("id")
	if q.Id == "" {
		q.Id = "_vmx" + strconv.Itoa(h.qseq)
	}
	h.questions[vm.Self.Value] = q
	h.mu.Unlock()
	simulator.Map.WithLock(vm, func() { setQuestionProp(vm, q) })
	return map[string]interface{}{"vm": vm.Self.Value, "id": q.Id, "choices": choices}, nil
}

func (h *harness) ctlExpire(r *http.Request) (interface{}, *ctlError) {
	n := h.terminateSessions(sessionKeys())
	return map[string]int{"expired": n}, nil
}

func (h *harness) ctlSessions(r *http.Request) (interface{}, *ctlError) {
	return map[string]int{"sessions": len(sessionKeys())}, nil
}

func (h *harness) ctlTools(r *http.Request) (interface{}, *ctlError) {
	vm, cerr := vmParam(r)
	if cerr != nil {
		return nil, cerr
	}
	run := r.Form.Get("running")
	if run != "0" && run != "1" {
		return nil, badRequest("running must be 0 or 1")
	}
	h.mu.Lock()
	h.toolsOff[vm.Self.Value] = run == "0"
	h.mu.Unlock()
	simulator.Map.WithLock(vm, func() { h.syncTools(vm) })
	return map[string]string{"vm": vm.Self.Value, "toolsRunningStatus": vm.Guest.ToolsRunningStatus}, nil
}

func (h *harness) ctlTaskDelay(r *http.Request) (interface{}, *ctlError) {
	if r.Form.Get("ms") == "" {
		return nil, badRequest("missing ms=N (-1 = never finish)")
	}
	ms, cerr := intParam(r, "ms", 0)
	if cerr != nil {
		return nil, cerr
	}
	if ms < -1 {
		return nil, badRequest("ms must be >= -1")
	}
	if r.Form.Get("vm") == "" {
		h.mu.Lock()
		h.taskDelay = ms
		h.mu.Unlock()
		return map[string]int{"ms": ms}, nil
	}
	vm, cerr := vmParam(r)
	if cerr != nil {
		return nil, cerr
	}
	h.mu.Lock()
	if r.Form.Get("reset") == "1" {
		delete(h.vmDelay, vm.Self.Value)
	} else {
		h.vmDelay[vm.Self.Value] = ms
	}
	h.mu.Unlock()
	return map[string]interface{}{"vm": vm.Self.Value, "ms": ms}, nil
}

func (h *harness) ctlPageSize(r *http.Request) (interface{}, *ctlError) {
	n, cerr := intParam(r, "n", -1)
	if cerr != nil {
		return nil, cerr
	}
	if n < 0 {
		return nil, badRequest("need n=N >= 0 (0 = unlimited)")
	}
	h.mu.Lock()
	h.pageSize = n
	h.mu.Unlock()
	return map[string]int{"page_size": n}, nil
}

func (h *harness) ctlFault(r *http.Request) (interface{}, *ctlError) {
	if r.Method == http.MethodDelete || r.Form.Get("kind") == "clear" {
		h.faults.clear()
		return map[string]string{"faults": "cleared"}, nil
	}
	count, cerr := intParam(r, "count", 1)
	if cerr != nil {
		return nil, cerr
	}
	if count == 0 {
		return nil, badRequest("count must be > 0, or -1 for every request")
	}
	rule := &faultRule{Kind: r.Form.Get("kind"), Count: count, Path: r.Form.Get("path")}
	if rule.Path == "" {
		rule.Path = "/sdk"
	}
	switch rule.Kind {
	case "delay":
		if rule.DelayMs, cerr = intParam(r, "ms", -1); cerr != nil {
			return nil, cerr
		}
		if rule.DelayMs < 0 {
			return nil, badRequest("delay needs ms=N >= 0")
		}
	case "http-error":
		if rule.Status, cerr = intParam(r, "status", 500); cerr != nil {
			return nil, cerr
		}
		if rule.Status < 400 || rule.Status > 599 {
			return nil, badRequest("status must be 400..599")
		}
		rule.RetryAfter = r.Form.Get("retry-after")
	case "reset":
	default:
		return nil, badRequest("kind must be delay, http-error, reset or clear")
	}
	h.faults.add(rule)
	return rule, nil
}

// ctlVM reports what the harness knows about a VM (handy in tests).
func (h *harness) ctlVM(r *http.Request) (interface{}, *ctlError) {
	vm, cerr := vmParam(r)
	if cerr != nil {
		return nil, cerr
	}
	out := map[string]interface{}{}
	simulator.Map.WithLock(vm, func() {
		out["moref"] = vm.Self.Value
		out["name"] = vm.Name
		out["powerState"] = vm.Runtime.PowerState
		if vm.Runtime.Host != nil {
			out["host"] = vm.Runtime.Host.Value
		}
		if vm.ResourcePool != nil {
			out["resourcePool"] = vm.ResourcePool.Value
		}
		if vm.Guest != nil {
			out["toolsRunningStatus"] = vm.Guest.ToolsRunningStatus
		}
		if vm.Config != nil {
			out["vmPathName"] = vm.Config.Files.VmPathName
		}
	})
	return out, nil
}
