#!/usr/bin/python3
# pyvmomi-list: the benchmark peer for bench_vi with Debian's python3-pyvmomi.
# Lists every VM's name, runtime.powerState and config.uuid through one
# ContainerView and paged RetrievePropertiesEx, like vsdk_vi_retrieve.
# SPDX-License-Identifier: GPL-2.0-or-later
import ssl
import sys
import time
import warnings
from urllib.parse import urlparse

warnings.simplefilter("ignore")
from pyVim.connect import SmartConnect, Disconnect  # noqa: E402
from pyVmomi import vim, vmodl  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: pyvmomi_list.py https://HOST:PORT/sdk CA.pem [page]")
    u = urlparse(sys.argv[1])
    page = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    ctx = ssl.create_default_context(cafile=sys.argv[2])
    si = SmartConnect(host=u.hostname, port=u.port, user="root", pwd="secret",
                      protocol="https", sslContext=ctx)
    t0 = time.monotonic()
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    spec = vmodl.query.PropertyCollector.FilterSpec(
        objectSet=[vmodl.query.PropertyCollector.ObjectSpec(
            obj=view, skip=True,
            selectSet=[vmodl.query.PropertyCollector.TraversalSpec(
                name="view", type=vim.view.ContainerView, path="view", skip=False)])],
        propSet=[vmodl.query.PropertyCollector.PropertySpec(
            type=vim.VirtualMachine, pathSet=["name", "runtime.powerState", "config.uuid"])])
    pc = content.propertyCollector
    res = pc.RetrievePropertiesEx([spec], vmodl.query.PropertyCollector.RetrieveOptions(maxObjects=page))
    n = on = 0
    while res is not None:
        for oc in res.objects:
            n += 1
            for p in oc.propSet:
                if p.name == "runtime.powerState" and p.val == "poweredOn":
                    on += 1
        if not res.token:
            break
        res = pc.ContinueRetrievePropertiesEx(res.token)
    view.Destroy()
    ms = (time.monotonic() - t0) * 1000
    Disconnect(si)
    print("objects=%d powered_on=%d list_ms=%.1f" % (n, on, ms))


main()
