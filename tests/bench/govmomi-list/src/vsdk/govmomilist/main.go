// govmomi-list: the benchmark peer for bench_vi. Lists every VM's name,
// runtime.powerState and config.uuid through one ContainerView and paged
// RetrievePropertiesEx, like vsdk_vi_retrieve does, with govmomi's vim25
// client (Debian golang-github-vmware-govmomi-dev).
// SPDX-License-Identifier: GPL-2.0-or-later
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io/ioutil"
	"net/url"
	"os"
	"time"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "govmomi-list: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	sdk := flag.String("url", "", "SDK URL, e.g. https://127.0.0.1:PORT/sdk")
	user := flag.String("user", "root", "user")
	password := flag.String("password", "secret", "password")
	ca := flag.String("ca", "", "PEM CA file")
	page := flag.Int("page", 1000, "objects per page (maxObjects)")
	flag.Parse()

	u, err := url.Parse(*sdk)
	if err != nil || *sdk == "" {
		fail("bad --url %q", *sdk)
	}
	ctx := context.Background()
	sc := soap.NewClient(u, *ca == "")
	if *ca != "" {
		pem, err := ioutil.ReadFile(*ca)
		if err != nil {
			fail("%v", err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		sc.DefaultTransport().TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		fail("%v", err)
	}
	if err := session.NewManager(c).Login(ctx, url.UserPassword(*user, *password)); err != nil {
		fail("login: %v", err)
	}

	t0 := time.Now()
	v, err := view.NewManager(c).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		fail("CreateContainerView: %v", err)
	}
	spec := types.PropertyFilterSpec{
		ObjectSet: []types.ObjectSpec{{
			Obj:  v.Reference(),
			Skip: types.NewBool(true),
			SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{
				Type: "ContainerView", Path: "view",
			}},
		}},
		PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name", "runtime.powerState", "config.uuid"}}},
	}
	pc := c.ServiceContent.PropertyCollector
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: pc, SpecSet: []types.PropertyFilterSpec{spec},
		Options: types.RetrieveOptions{MaxObjects: int32(*page)},
	})
	if err != nil {
		fail("RetrievePropertiesEx: %v", err)
	}
	n, on := 0, 0
	count := func(r *types.RetrieveResult) string {
		if r == nil {
			return ""
		}
		for _, oc := range r.Objects {
			n++
			for _, p := range oc.PropSet {
				if p.Name == "runtime.powerState" && p.Val.(types.VirtualMachinePowerState) == types.VirtualMachinePowerStatePoweredOn {
					on++
				}
			}
		}
		return r.Token
	}
	token := count(res.Returnval)
	for token != "" {
		cr, err := methods.ContinueRetrievePropertiesEx(ctx, c, &types.ContinueRetrievePropertiesEx{This: pc, Token: token})
		if err != nil {
			fail("ContinueRetrievePropertiesEx: %v", err)
		}
		token = count(&cr.Returnval)
	}
	_ = v.Destroy(ctx)
	fmt.Printf("objects=%d powered_on=%d list_ms=%.1f\n", n, on, float64(time.Since(t0).Microseconds())/1000)
}
