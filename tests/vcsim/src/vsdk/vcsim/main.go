// vcsim-harness: govmomi's vSphere simulator (Debian 0.24.2) plus the behaviours vsdk tests need.
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const usage = `usage: vcsim-harness --listen 127.0.0.1:0 [options]

Starts a simulated vSphere endpoint (govmomi simulator 0.24.2 + vsdk extensions).
stdout line 1: the SDK URL (https://127.0.0.1:PORT/sdk or http://...; no credentials)
stdout line 2: the control endpoint URL (http://127.0.0.1:PORT2)
Then serves until SIGTERM/SIGINT (clean shutdown, temporary datastores removed).

options:
  --listen ADDR            SDK listen address (default 127.0.0.1:0 = free port)
  --control-listen ADDR    control endpoint address (default 127.0.0.1:0)
  --model esx|vpx          esx: standalone ESXi (HostAgent); vpx: vCenter (default vpx)
  --vms N                  total number of VMs (default 4). esx: all on host ha-host;
                           vpx: all in the root pool of cluster DC0_C0 (N exactly)
  --hosts N                vpx: hosts in cluster DC0_C0 (default 2); esx: must be 1
  --datastores N           local datastores per datacenter (default 1)
  --user U --password P    accept only this login (default: any non-empty user/password)
  --tls-cert F --tls-key F serve HTTPS with this certificate (default: plain HTTP)
  --api-version 6.5|7.0    about.apiVersion (default 6.5)
  --task-delay-ms N        VM tasks stay running N ms before taking effect (default 0;
                           -1 = never finish)
  --session-ttl-ms N       expire sessions idle for more than N ms (default 0 = never)
  --page-size N            objects per RetrievePropertiesEx page when maxObjects is unset
                           (default 100; 0 = unlimited)
  --management-server-ip IP  summary.managementServerIp of every host
  --powered-off            leave model VMs powered off (default: powered on)
  --verbose                keep the simulator's log on stderr
`

type options struct {
	listen, controlListen  string
	model                  string
	vms, hosts, datastores int
	user, password         string
	tlsCert, tlsKey        string
	apiVersion             string
	taskDelayMs            int
	sessionTTLMs           int
	pageSize               int
	mgmtIP                 string
	poweredOff, verbose    bool
}

func parseArgs() *options {
	o := &options{}
	fs := flag.NewFlagSet("vcsim-harness", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(os.Stderr, usage) }
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "")
	fs.StringVar(&o.controlListen, "control-listen", "127.0.0.1:0", "")
	fs.StringVar(&o.model, "model", "vpx", "")
	fs.IntVar(&o.vms, "vms", 4, "")
	fs.IntVar(&o.hosts, "hosts", -1, "")
	fs.IntVar(&o.datastores, "datastores", 1, "")
	fs.StringVar(&o.user, "user", "", "")
	fs.StringVar(&o.password, "password", "", "")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "")
	fs.StringVar(&o.tlsKey, "tls-key", "", "")
	fs.StringVar(&o.apiVersion, "api-version", "6.5", "")
	fs.IntVar(&o.taskDelayMs, "task-delay-ms", 0, "")
	fs.IntVar(&o.sessionTTLMs, "session-ttl-ms", 0, "")
	fs.IntVar(&o.pageSize, "page-size", 100, "")
	fs.StringVar(&o.mgmtIP, "management-server-ip", "", "")
	fs.BoolVar(&o.poweredOff, "powered-off", false, "")
	fs.BoolVar(&o.verbose, "verbose", false, "")
	help := fs.Bool("help", false, "")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *help {
		fmt.Print(usage)
		os.Exit(0)
	}
	fail := func(f string, a ...interface{}) {
		fmt.Fprintf(os.Stderr, "vcsim-harness: "+f+"\n", a...)
		os.Exit(2)
	}
	if fs.NArg() != 0 {
		fail("unexpected argument %q", fs.Arg(0))
	}
	switch o.model {
	case "esx":
		if o.hosts == -1 {
			o.hosts = 1
		}
		if o.hosts != 1 {
			fail("--hosts: the esx model has exactly one host")
		}
	case "vpx":
		if o.hosts == -1 {
			o.hosts = 2
		}
		if o.hosts < 1 {
			fail("--hosts must be >= 1")
		}
	default:
		fail("--model must be esx or vpx, not %q", o.model)
	}
	if o.vms < 0 || o.datastores < 1 {
		fail("--vms must be >= 0 and --datastores >= 1")
	}
	if (o.user == "") != (o.password == "") {
		fail("--user and --password go together")
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		fail("--tls-cert and --tls-key go together")
	}
	if o.apiVersion != "6.5" && o.apiVersion != "7.0" {
		fail("--api-version must be 6.5 or 7.0")
	}
	if o.taskDelayMs < -1 || o.sessionTTLMs < 0 || o.pageSize < 0 {
		fail("negative --task-delay-ms (other than -1), --session-ttl-ms or --page-size")
	}
	if o.mgmtIP != "" && net.ParseIP(o.mgmtIP) == nil {
		fail("--management-server-ip: %q is not an IP address", o.mgmtIP)
	}
	if host, _, err := net.SplitHostPort(o.listen); err != nil || host != "127.0.0.1" {
		fail("--listen must be 127.0.0.1:PORT")
	}
	return o
}

// useTmpfs points the simulator's datastore directories at /dev/shm when usable.
func useTmpfs() {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := ioutil.TempDir("/dev/shm", "vcsim-harness-"); err == nil {
			os.Setenv("TMPDIR", d)
		}
	}
}

func main() {
	o := parseArgs()
	if !o.verbose {
		log.SetOutput(ioutil.Discard)
	}
	useTmpfs()
	tmp := os.Getenv("TMPDIR")

	var m *simulator.Model
	if o.model == "esx" {
		m = simulator.ESX()
		m.Machine = o.vms
	} else {
		m = simulator.VPX()
		m.Host = 0
		m.Cluster = 1
		m.ClusterHost = o.hosts
		m.Pool = 0
		m.Machine = o.vms
	}
	m.Datastore = o.datastores
	m.Autostart = !o.poweredOff
	m.ServiceContent.About.ApiVersion = o.apiVersion
	if o.apiVersion == "7.0" {
		m.ServiceContent.About.Version = "7.0.0"
	}
	start := time.Now()
	if err := m.Create(); err != nil {
		fmt.Fprintf(os.Stderr, "vcsim-harness: model: %v\n", err)
		os.Exit(1)
	}
	if o.sessionTTLMs > 0 {
		simulator.SessionIdleTimeout = time.Duration(o.sessionTTLMs) * time.Millisecond
	}

	created := time.Now()
	h := newHarness(o, m)
	h.setupModel()
	if o.verbose {
		fmt.Fprintf(os.Stderr, "vcsim-harness: model %v, extensions %v\n", created.Sub(start), time.Since(created))
	}

	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			fmt.Fprintf(os.Stderr, "vcsim-harness: TLS: %v\n", err)
			m.Remove()
			os.Exit(1)
		}
		m.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	m.Service.Listen = &url.URL{Host: o.listen}
	if o.user != "" {
		m.Service.Listen.User = url.UserPassword(o.user, o.password)
	}
	s := m.Service.NewServer()
	// Every SDK request passes through our interceptor (extensions, faults).
	s.Config.Handler = h.interceptor(s.Config.Handler)

	ctl, err := h.startControl(o.controlListen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vcsim-harness: control: %v\n", err)
		s.Close()
		m.Remove()
		os.Exit(1)
	}
	u := *s.URL
	u.User = nil
	fmt.Printf("%s\n%s\n", u.String(), ctl)
	if o.verbose {
		fmt.Fprintf(os.Stderr, "vcsim-harness: ready in %v\n", time.Since(start))
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	h.stop()
	// Close waits for running requests; do not let a stuck one keep us alive
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
	}
	m.Remove()
	if strings.HasPrefix(tmp, "/dev/shm/vcsim-harness-") {
		os.RemoveAll(tmp)
	}
}

// keep the import used even when types is only referenced in other files
var _ = types.ManagedObjectReference{}
