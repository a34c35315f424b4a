// SOAP request interceptor: routes selected methods to our proxy objects and injects faults.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/ioutil"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// proxyPrefix is prepended to the _this type of intercepted calls.  The
// simulator then dispatches them to a proxy registered under that type, while
// the real object (and every internal type assertion on it) stays untouched.
const proxyPrefix = "VsdkX"

// intercepted lists, per SOAP method, the _this types our proxies handle.
var intercepted = map[string][]string{
	"RetrievePropertiesEx":         {"PropertyCollector"},
	"RetrieveProperties":           {"PropertyCollector"},
	"ContinueRetrievePropertiesEx": {"PropertyCollector"},
	"CancelRetrievePropertiesEx":   {"PropertyCollector"},
	"CancelTask":                   {"Task"},
	"PowerOnVM_Task":               {"VirtualMachine"},
	"PowerOffVM_Task":              {"VirtualMachine"},
	"SuspendVM_Task":               {"VirtualMachine"},
	"ResetVM_Task":                 {"VirtualMachine"},
	"ReconfigVM_Task":              {"VirtualMachine"},
	"Destroy_Task":                 {"VirtualMachine"},
	"MigrateVM_Task":               {"VirtualMachine"},
	"RelocateVM_Task":              {"VirtualMachine"},
	"CreateSnapshot_Task":          {"VirtualMachine"},
	"RevertToCurrentSnapshot_Task": {"VirtualMachine"},
	"RemoveAllSnapshots_Task":      {"VirtualMachine"},
	"RevertToSnapshot_Task":        {"VirtualMachineSnapshot"},
	"RemoveSnapshot_Task":          {"VirtualMachineSnapshot"},
	"AnswerVM":                     {"VirtualMachine"},
	"RebootGuest":                  {"VirtualMachine"},
	"StandbyGuest":                 {"VirtualMachine"},
	"ShutdownGuest":                {"VirtualMachine"},
	"RegisterVM_Task":              {"Folder"},
}

// proxy is registered under {VsdkX<Type>, value}; its methods serve the
// intercepted calls for the real object orig.
//
// The first field is an mo type because the simulator's inventory scans
// (SearchIndex, PropertyCollector) expect every registered object to embed one.
type proxy struct {
	mo.ExtensibleManagedObject
	orig types.ManagedObjectReference
	h    *harness
}

func (p *proxy) Reference() types.ManagedObjectReference { return p.Self }

// soapCall is what the interceptor needs to know about a request.
type soapCall struct {
	method         string
	thisType       string
	thisValue      string
	thisStart      int // byte range of the <_this ...> start tag
	thisEnd        int
	hasThisElement bool
}

func parseCall(body []byte) *soapCall {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	c := &soapCall{}
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !inBody && t.Name.Local == "Body":
				inBody = true
			case inBody && c.method == "":
				c.method = t.Name.Local
			case inBody && t.Name.Local == "_this":
				c.thisStart = off
				c.thisEnd = int(d.InputOffset())
				c.hasThisElement = true
				for _, a := range t.Attr {
					if a.Name.Local == "type" && a.Name.Space == "" {
						c.thisType = a.Value
					}
				}
				var v string
				if err := d.DecodeElement(&v, &t); err != nil {
					return nil
				}
				c.thisValue = strings.TrimSpace(v)
				return c
			default:
				// _this is the first child of the method element
				if c.method != "" {
					return c
				}
			}
		case xml.EndElement:
			if inBody && c.method != "" {
				return c
			}
		}
	}
}

var typeAttr = regexp.MustCompile(`(\s)type(\s*=\s*)(["'])([A-Za-z]+)(["'])`)

// rewriteThis returns body with the _this type prefixed by proxyPrefix.
func rewriteThis(body []byte, c *soapCall) []byte {
	tag := body[c.thisStart:c.thisEnd]
	done := false
	nt := typeAttr.ReplaceAllFunc(tag, func(m []byte) []byte {
		if done {
			return m
		}
		done = true
		sm := typeAttr.FindSubmatch(m)
		return []byte(string(sm[1]) + "type" + string(sm[2]) + string(sm[3]) + proxyPrefix +
			string(sm[4]) + string(sm[5]))
	})
	if !done {
		return nil
	}
	out := make([]byte, 0, len(body)+len(proxyPrefix))
	out = append(out, body[:c.thisStart]...)
	out = append(out, nt...)
	return append(out, body[c.thisEnd:]...)
}

// ensureProxy registers the proxy for orig when the real object exists.
func (h *harness) ensureProxy(orig types.ManagedObjectReference) bool {
	if orig.Type != "PropertyCollector" && simulator.Map.Get(orig) == nil {
		return false
	}
	pref := types.ManagedObjectReference{Type: proxyPrefix + orig.Type, Value: orig.Value}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.proxies[pref]; ok {
		return true
	}
	p := &proxy{orig: orig, h: h}
	p.Self = pref
	h.proxies[pref] = p
	simulator.Map.Put(p)
	return true
}

// ---------------------------------------------------------------------------
// Fault injection.  A rule applies to the next `count` requests whose path
// starts with `path` (default /sdk); count < 0 means every request.

type faultRule struct {
	Kind       string `json:"kind"` // delay | http-error | reset
	Count      int    `json:"count"`
	Path       string `json:"path"`
	DelayMs    int    `json:"ms,omitempty"`
	Status     int    `json:"status,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
}

type faultQueue struct {
	mu    sync.Mutex
	rules []*faultRule
}

func (q *faultQueue) add(r *faultRule) {
	q.mu.Lock()
	q.rules = append(q.rules, r)
	q.mu.Unlock()
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	q.rules = nil
	q.mu.Unlock()
}

// take returns the first rule matching path, consuming one use of it.
func (q *faultQueue) take(path string) *faultRule {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, r := range q.rules {
		if !strings.HasPrefix(path, r.Path) {
			continue
		}
		c := *r
		if r.Count > 0 {
			r.Count--
			if r.Count == 0 {
				q.rules = append(q.rules[:i], q.rules[i+1:]...)
			}
		}
		return &c
	}
	return nil
}

// apply performs the fault; it returns true when the request is finished.
func (r *faultRule) apply(w http.ResponseWriter) bool {
	switch r.Kind {
	case "delay":
		time.Sleep(time.Duration(r.DelayMs) * time.Millisecond)
		return false
	case "http-error":
		if r.RetryAfter != "" {
			w.Header().Set("Retry-After", r.RetryAfter)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(r.Status)
		text := http.StatusText(r.Status)
		io.WriteString(w, "<html><head><title>"+strconv.Itoa(r.Status)+" "+text+
			"</title></head><body><h1>"+text+"</h1></body></html>\n")
		return true
	case "reset":
		hj, ok := w.(http.Hijacker)
		if !ok {
			w.WriteHeader(http.StatusInternalServerError)
			return true
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return true
		}
		type netConner interface{ NetConn() net.Conn }
		raw := conn
		if nc, ok := conn.(netConner); ok {
			raw = nc.NetConn()
		}
		if tc, ok := raw.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST instead of FIN
		}
		raw.Close()
		return true
	}
	return false
}

// ---------------------------------------------------------------------------

// interceptor wraps the simulator's HTTP handler.
func (h *harness) interceptor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := h.faults.take(r.URL.Path); f != nil && f.apply(w) {
			return
		}
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/sdk") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := ioutil.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		h.touchSession(r)
		if c := parseCall(body); c != nil && c.hasThisElement {
			for _, t := range intercepted[c.method] {
				if t != c.thisType {
					continue
				}
				orig := types.ManagedObjectReference{Type: c.thisType, Value: c.thisValue}
				if h.ensureProxy(orig) {
					if nb := rewriteThis(body, c); nb != nil {
						body = nb
					}
				}
				break
			}
		}
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// touchSession implements --session-ttl-ms exactly: a session idle for longer
// than the TTL is terminated before the request reaches the simulator.
func (h *harness) touchSession(r *http.Request) {
	ck, err := r.Cookie(soap.SessionCookieName)
	if err != nil {
		return
	}
	now := time.Now()
	h.mu.Lock()
	last, seen := h.lastSeen[ck.Value]
	h.lastSeen[ck.Value] = now
	ttl := h.opt.sessionTTLMs
	h.mu.Unlock()
	if seen && ttl > 0 && now.Sub(last) > time.Duration(ttl)*time.Millisecond {
		h.terminateSessions([]string{ck.Value})
	}
}

// sessionKeys lists the simulator's live sessions.
func sessionKeys() []string {
	view := &simulator.Session{Registry: simulator.NewRegistry()}
	ref := simulator.Map.SessionManager().Reference()
	sm, ok := view.Get(ref).(*simulator.SessionManager)
	if !ok {
		return nil
	}
	var keys []string
	for _, s := range sm.SessionList {
		keys = append(keys, s.Key)
	}
	return keys
}

// terminateSessions removes sessions the way TerminateSession does; the next
// call with such a cookie gets the simulator's own NotAuthenticated fault.
func (h *harness) terminateSessions(keys []string) int {
	sm := simulator.Map.SessionManager()
	ctx := &simulator.Context{Session: &simulator.Session{
		UserSession: types.UserSession{Key: "vsdk-harness-control"},
		Registry:    simulator.NewRegistry(),
	}, Map: simulator.Map}
	n := 0
	for _, k := range keys {
		res := sm.TerminateSession(ctx, &types.TerminateSession{This: sm.Self, SessionId: []string{k}})
		if res.Fault() == nil {
			n++
		}
	}
	return n
}
