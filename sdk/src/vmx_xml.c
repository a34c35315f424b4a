/*
 * vsdk - libvirt domain XML (type='vmware') <-> vsdk_vm_config, with gSOAP's DOM.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vmx_private.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdsoap2.h>

/* dom.c's serializers; declared here so this file needs no generated header. */
SOAP_FMAC1 int SOAP_FMAC2 soap_out_xsd__anyType(struct soap *soap, const char *tag, int id,
						const struct soap_dom_element *node, const char *type);
SOAP_FMAC1 struct soap_dom_element *SOAP_FMAC2 soap_in_xsd__anyType(struct soap *soap, const char *tag,
								   struct soap_dom_element *node, const char *type);

#define VMX_NS "urn:vsdk:vmx:1"

static const struct Namespace vmx_namespaces[] = {
	{ "vmx", VMX_NS, NULL, NULL },
	{ NULL, NULL, NULL, NULL }
};

/* ---- reading helpers ---------------------------------------------------- */

typedef struct dom_elt dom_elt;

static const char *local(const struct soap_dom_element *e)
{
	const char *n = e->name ? e->name : "";
	const char *c = strchr(n, ':');
	return c ? c + 1 : n;
}

static bool is(const struct soap_dom_element *e, const char *name)
{
	return strcmp(local(e), name) == 0;
}

static bool in_vmx_ns(const struct soap_dom_element *e)
{
	return e->nstr && strcmp(e->nstr, VMX_NS) == 0;
}

static struct soap_dom_element *child(const struct soap_dom_element *e, const char *name)
{
	for (struct soap_dom_element *c = e->elts; c; c = c->next)
		if (is(c, name) && !in_vmx_ns(c))
			return c;
	return NULL;
}

static const char *attr(const struct soap_dom_element *e, const char *name)
{
	if (!e)
		return NULL;
	for (struct soap_dom_attribute *a = e->atts; a; a = a->next) {
		const char *n = a->name ? a->name : "";
		if (strcmp(n, name) == 0)
			return a->text ? a->text : "";
	}
	return NULL;
}

/* Text content with surrounding blanks removed, in a scratch buffer. */
static const char *trimmed(const struct soap_dom_element *e, char *buf, size_t sz)
{
	const char *t = e && e->text ? e->text : "";
	while (isspace((unsigned char)*t))
		t++;
	size_t n = strlen(t);
	while (n && isspace((unsigned char)t[n - 1]))
		n--;
	if (n >= sz)
		n = sz - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

static int xerr(int code, const char *elt, const char *fmt, ...) VSDK_PRINTF(3, 4);
static int xerr(int code, const char *elt, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vsdk__error_set(code, "domain XML: <%s>: %s", elt, msg);
}

/* XML 1.0 forbids C0 controls other than TAB, LF, CR. */
static bool xml_text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return vsdk__utf8_valid(s, strlen(s));
}

/* Copy a string from the DOM into *dst after checking it. */
static int take(char **dst, const char *s, const char *what)
{
	if (!s)
		return VSDK_OK;
	if (!xml_text_ok(s))
		return xerr(VSDK_EPARSE, what, "contains control characters or invalid UTF-8");
	free(*dst);
	*dst = strdup(s);
	return *dst ? VSDK_OK : vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

static int get_i64(const char *s, int64_t *out, int64_t min, const char *what)
{
	char buf[64];
	size_t n;
	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || (n = strlen(s)) >= sizeof(buf))
		return xerr(VSDK_EPARSE, what, "'%.64s' is not a number", s ? s : "");
	memcpy(buf, s, n + 1);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	if (vsdk__vmx_int(buf, out) || *out < min)
		return xerr(VSDK_EPARSE, what, "'%.64s' is not an integer >= %" PRId64, buf, min);
	return VSDK_OK;
}

/* A memory size element with an optional unit attribute, in KiB. */
static int get_kib(const struct soap_dom_element *e, uint64_t *kib, const char *what)
{
	static const struct { const char *u; uint64_t mul, div; } units[] = {
		{ "b", 1, 1024 }, { "bytes", 1, 1024 },
		{ "KB", 1000, 1024 }, { "k", 1, 1 }, { "KiB", 1, 1 },
		{ "MB", 1000000, 1024 }, { "M", 1024, 1 }, { "MiB", 1024, 1 },
		{ "GB", 1000000000, 1024 }, { "G", 1048576, 1 }, { "GiB", 1048576, 1 },
		{ "TB", 1000000000000ull, 1024 }, { "T", 1073741824ull, 1 }, { "TiB", 1073741824ull, 1 },
	};
	char buf[64];
	int64_t v;
	int rc = get_i64(trimmed(e, buf, sizeof(buf)), &v, 0, what);
	if (rc)
		return rc;
	const char *u = attr(e, "unit");
	if (!u) {
		*kib = (uint64_t)v;
		return VSDK_OK;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(u, units[i].u) != 0)
			continue;
		if ((uint64_t)v > UINT64_MAX / units[i].mul)
			return xerr(VSDK_EPARSE, what, "value too large");
		uint64_t bytes_or_kib = (uint64_t)v * units[i].mul;
		if (bytes_or_kib % units[i].div)
			return xerr(VSDK_EPARSE, what, "%" PRId64 " %s is not a whole number of KiB", v, u);
		*kib = bytes_or_kib / units[i].div;
		return VSDK_OK;
	}
	return xerr(VSDK_EPARSE, what, "unknown unit '%.32s'", u);
}

/* "sda" -> 0, "sdz" -> 25, "sdaa" -> 26 ... after a 2-letter prefix. */
static int dev_index(const char *dev, size_t pfx)
{
	const char *p;
	int idx = 0;
	if (strlen(dev) <= pfx) /* "s" or "" with an explicit bus: nothing after the prefix */
		return -1;
	p = dev + pfx;
	for (; *p; p++) {
		if (*p < 'a' || *p > 'z')
			return -1;
		idx = idx * 26 + (*p - 'a' + 1);
		if (idx > 100000)
			return -1;
	}
	return idx - 1;
}

/* ---- XML -> model: devices ---------------------------------------------- */

static int scsi_model_from_name(const char *s, vsdk_vm_scsi_model *m)
{
	if (!strcmp(s, "buslogic")) *m = VSDK_VM_SCSI_BUSLOGIC;
	else if (!strcmp(s, "lsilogic")) *m = VSDK_VM_SCSI_LSILOGIC;
	else if (!strcmp(s, "lsisas1068")) *m = VSDK_VM_SCSI_LSISAS1068;
	else if (!strcmp(s, "vmpvscsi") || !strcmp(s, "pvscsi")) *m = VSDK_VM_SCSI_PVSCSI;
	else return -1;
	return 0;
}

/* Record a SCSI model for controller idx (from <controller> or a disk's <driver name>). */
static int set_scsi_model(vsdk_vm_config *c, int idx, vsdk_vm_scsi_model m, const char *what)
{
	for (size_t i = 0; i < c->n_controllers; i++) {
		vsdk_vm_controller *k = &c->controllers[i];
		if (k->bus != VSDK_VM_BUS_SCSI || k->index != idx)
			continue;
		if (k->model != VSDK_VM_SCSI_DEFAULT && m != VSDK_VM_SCSI_DEFAULT && k->model != m)
			return xerr(VSDK_EPARSE, what, "conflicting models for SCSI controller %d", idx);
		if (m != VSDK_VM_SCSI_DEFAULT)
			k->model = m;
		return VSDK_OK;
	}
	vsdk_vm_controller *k = vsdk__vmx_grow((void **)&c->controllers, &c->n_controllers, sizeof(*k));
	if (!k)
		return VSDK_ENOMEM;
	k->bus = VSDK_VM_BUS_SCSI;
	k->index = idx;
	k->model = m;
	return VSDK_OK;
}

static int read_disk(vsdk_vm_config *c, const struct soap_dom_element *e)
{
	vsdk_vm_disk d = { 0 };
	const char *s = attr(e, "device");
	if (!s || !strcmp(s, "disk")) d.device = VSDK_VM_DISK;
	else if (!strcmp(s, "cdrom")) d.device = VSDK_VM_CDROM;
	else if (!strcmp(s, "floppy")) d.device = VSDK_VM_FLOPPY;
	else if (!strcmp(s, "lun")) d.device = VSDK_VM_LUN;
	else return xerr(VSDK_EUNSUPPORTED, "disk", "unsupported device '%.32s' (disk, cdrom, floppy, lun)", s);
	s = attr(e, "type");
	if (!s || !strcmp(s, "file")) d.type = VSDK_VM_SOURCE_FILE;
	else if (!strcmp(s, "block")) d.type = VSDK_VM_SOURCE_BLOCK;
	else return xerr(VSDK_EUNSUPPORTED, "disk", "unsupported type '%.32s' (file, block)", s);

	const struct soap_dom_element *t = child(e, "target");
	const char *dev = attr(t, "dev"), *bus = attr(t, "bus");
	if (!dev)
		return xerr(VSDK_EPARSE, "disk", "missing <target dev='...'/>");
	if (bus) {
		if (!strcmp(bus, "scsi")) d.bus = VSDK_VM_BUS_SCSI;
		else if (!strcmp(bus, "sata")) d.bus = VSDK_VM_BUS_SATA;
		else if (!strcmp(bus, "nvme")) d.bus = VSDK_VM_BUS_NVME;
		else if (!strcmp(bus, "ide")) d.bus = VSDK_VM_BUS_IDE;
		else if (!strcmp(bus, "fdc")) d.bus = VSDK_VM_BUS_FDC;
		else return xerr(VSDK_EUNSUPPORTED, "target", "unsupported bus '%.32s' (scsi, sata, nvme, ide, fdc)", bus);
	} else if (!strncmp(dev, "sd", 2)) d.bus = VSDK_VM_BUS_SCSI;
	else if (!strncmp(dev, "hd", 2)) d.bus = VSDK_VM_BUS_IDE;
	else if (!strncmp(dev, "fd", 2)) d.bus = VSDK_VM_BUS_FDC;
	else if (!strncmp(dev, "nvme", 4)) d.bus = VSDK_VM_BUS_NVME;
	else return xerr(VSDK_EPARSE, "target", "cannot tell the bus of dev '%.32s'", dev);

	const struct soap_dom_element *a = child(e, "address");
	if (a) {
		const char *at = attr(a, "type");
		if (at && strcmp(at, "drive"))
			return xerr(VSDK_EUNSUPPORTED, "address", "type '%.32s' (only drive)", at);
		int64_t ctrl = 0, ab = 0, unit = 0;
		int rc;
		if ((attr(a, "controller") && (rc = get_i64(attr(a, "controller"), &ctrl, 0, "address"))) ||
		    (attr(a, "bus") && (rc = get_i64(attr(a, "bus"), &ab, 0, "address"))) ||
		    (attr(a, "unit") && (rc = get_i64(attr(a, "unit"), &unit, 0, "address"))))
			return rc;
		if (ctrl > 100 || ab > 100 || unit > 100)
			return xerr(VSDK_EPARSE, "address", "out of range");
		if (d.bus == VSDK_VM_BUS_IDE) {
			if (ctrl != 0)
				return xerr(VSDK_EPARSE, "address", "IDE has only controller 0 (channels are bus 0..1)");
			d.controller = (int)ab;
		} else {
			if (ab != 0)
				return xerr(VSDK_EPARSE, "address", "bus must be 0 for %s", bus ? bus : dev);
			d.controller = (int)ctrl;
		}
		d.unit = (int)unit;
	} else if (d.bus == VSDK_VM_BUS_NVME) {
		int cn, nn;
		char tail;
		if (sscanf(dev, "nvme%dn%d%c", &cn, &nn, &tail) != 2 || cn < 0 || nn < 1)
			return xerr(VSDK_EPARSE, "target", "NVMe dev '%.32s' is not nvme<C>n<N>", dev);
		d.controller = cn;
		d.unit = nn - 1;
	} else {
		int idx = dev_index(dev, 2);
		if (idx < 0)
			return xerr(VSDK_EPARSE, "target", "invalid dev '%.32s'", dev);
		switch (d.bus) {
		case VSDK_VM_BUS_SCSI:
			d.controller = idx / 15;
			d.unit = idx % 15;
			if (d.unit >= 7)
				d.unit++;
			break;
		case VSDK_VM_BUS_SATA:
			if (idx >= 256) /* our writer's names, clear of the SCSI ones */
				idx -= 256;
			d.controller = idx / 30;
			d.unit = idx % 30;
			break;
		case VSDK_VM_BUS_IDE:
			d.controller = idx / 2;
			d.unit = idx % 2;
			break;
		default:
			d.controller = 0;
			d.unit = idx;
			break;
		}
	}
	if (d.bus == VSDK_VM_BUS_FDC && d.controller != 0)
		return xerr(VSDK_EPARSE, "disk", "floppy controller must be 0");

	const struct soap_dom_element *drv = child(e, "driver");
	if (drv) {
		const char *n = attr(drv, "name"), *cache = attr(drv, "cache");
		if (n && d.bus == VSDK_VM_BUS_SCSI) {
			vsdk_vm_scsi_model m;
			if (scsi_model_from_name(n, &m))
				return xerr(VSDK_EUNSUPPORTED, "driver", "unknown SCSI controller model '%.32s'", n);
			int rc = set_scsi_model(c, d.controller, m, "driver");
			if (rc)
				return rc;
		}
		if (cache && !strcmp(cache, "writethrough"))
			d.writethrough = true;
		else if (cache && strcmp(cache, "default"))
			return xerr(VSDK_EUNSUPPORTED, "driver", "cache '%.32s' (writethrough or default)", cache);
	}
	if (child(e, "transient"))
		d.transient = true;
	const struct soap_dom_element *src = child(e, "source");
	const char *path = src ? attr(src, d.type == VSDK_VM_SOURCE_BLOCK ? "dev" : "file") : NULL;
	if (path && *path) {
		int rc = take(&d.source, path, "source");
		if (rc)
			return rc;
	}
	vsdk_vm_disk *nd = vsdk__vmx_grow((void **)&c->disks, &c->n_disks, sizeof(*nd));
	if (!nd) {
		free(d.source);
		return VSDK_ENOMEM;
	}
	*nd = d;
	return VSDK_OK;
}

static int read_controller(vsdk_vm_config *c, const struct soap_dom_element *e)
{
	const char *t = attr(e, "type");
	const char *ix = attr(e, "index");
	int64_t idx = 0;
	int rc;
	if (!t)
		return xerr(VSDK_EPARSE, "controller", "missing type");
	if (ix && (rc = get_i64(ix, &idx, 0, "controller")))
		return rc;
	if (!strcmp(t, "ide") || !strcmp(t, "fdc") || !strcmp(t, "pci") || !strcmp(t, "usb"))
		return VSDK_OK; /* implicit on VMware */
	if (idx > 3)
		return xerr(VSDK_EPARSE, "controller", "index %" PRId64 " out of range (0..3)", idx);
	if (!strcmp(t, "scsi")) {
		const char *m = attr(e, "model");
		vsdk_vm_scsi_model model = VSDK_VM_SCSI_DEFAULT;
		if (m && strcmp(m, "auto") && scsi_model_from_name(m, &model))
			return xerr(VSDK_EUNSUPPORTED, "controller", "unknown SCSI model '%.32s' (buslogic, lsilogic, lsisas1068, vmpvscsi)", m);
		return set_scsi_model(c, (int)idx, model, "controller");
	}
	vsdk_vm_bus bus;
	if (!strcmp(t, "sata")) bus = VSDK_VM_BUS_SATA;
	else if (!strcmp(t, "nvme")) bus = VSDK_VM_BUS_NVME;
	else return xerr(VSDK_EUNSUPPORTED, "controller", "unsupported type '%.32s'", t);
	for (size_t i = 0; i < c->n_controllers; i++)
		if (c->controllers[i].bus == bus && c->controllers[i].index == idx)
			return xerr(VSDK_EPARSE, "controller", "%s controller %" PRId64 " declared twice", t, idx);
	vsdk_vm_controller *k = vsdk__vmx_grow((void **)&c->controllers, &c->n_controllers, sizeof(*k));
	if (!k)
		return VSDK_ENOMEM;
	k->bus = bus;
	k->index = (int)idx;
	return VSDK_OK;
}

static int read_interface(vsdk_vm_config *c, const struct soap_dom_element *e)
{
	const char *t = attr(e, "type");
	const struct soap_dom_element *src = child(e, "source");
	vsdk_vm_nic *n = vsdk__vmx_grow((void **)&c->nics, &c->n_nics, sizeof(*n));
	int rc;
	if (!n)
		return VSDK_ENOMEM;
	n->index = (int)c->n_nics - 1;
	n->check_mac = VSDK_VM_UNSET;
	if (!t)
		return xerr(VSDK_EPARSE, "interface", "missing type");
	if (!strcmp(t, "bridge")) {
		/* No bridge: VMware's default network for the host (connectionType only). */
		const char *br = attr(src, "bridge");
		if (br && *br && (rc = take(&n->network, br, "source")))
			return rc;
		const char *tdev = attr(child(e, "target"), "dev");
		n->type = VSDK_VM_NET_BRIDGED;
		if (tdev && *tdev) {
			n->type = VSDK_VM_NET_CUSTOM;
			if ((rc = take(&n->vnet, tdev, "target")))
				return rc;
		}
	} else if (!strcmp(t, "user")) {
		n->type = VSDK_VM_NET_NAT;
	} else if (!strcmp(t, "network")) {
		const char *net = attr(src, "network");
		if (!net || !*net)
			return xerr(VSDK_EPARSE, "interface", "type 'network' needs <source network='...'/>");
		if (!strcmp(net, "hostonly")) {
			n->type = VSDK_VM_NET_HOSTONLY;
		} else {
			n->type = VSDK_VM_NET_BRIDGED;
			if ((rc = take(&n->network, net, "source")))
				return rc;
		}
	} else if (!strcmp(t, "null")) {
		n->type = VSDK_VM_NET_NONE;
	} else {
		return xerr(VSDK_EUNSUPPORTED, "interface", "unsupported type '%.32s' (bridge, user, network, null)", t);
	}
	const struct soap_dom_element *mac = child(e, "mac");
	if (mac) {
		const char *a = attr(mac, "address"), *mt = attr(mac, "type"), *chk = attr(mac, "check");
		if (a && vsdk__vmx_mac_norm(n->mac, a))
			return xerr(VSDK_EPARSE, "mac", "'%.32s' is not a MAC address", a);
		if (!mt) n->mac_type = VSDK_VM_MAC_AUTO;
		else if (!strcmp(mt, "static")) n->mac_type = VSDK_VM_MAC_STATIC;
		else if (!strcmp(mt, "generated")) n->mac_type = VSDK_VM_MAC_GENERATED;
		else if (!strcmp(mt, "vpx")) n->mac_type = VSDK_VM_MAC_VPX;
		else return xerr(VSDK_EPARSE, "mac", "type '%.32s' (static, generated, vpx)", mt);
		if (chk) {
			if (!strcmp(chk, "yes")) n->check_mac = 1;
			else if (!strcmp(chk, "no")) n->check_mac = 0;
			else return xerr(VSDK_EPARSE, "mac", "check '%.32s' (yes, no)", chk);
		}
	}
	const char *link = attr(child(e, "link"), "state");
	if (link && strcmp(link, "up") && strcmp(link, "down"))
		return xerr(VSDK_EPARSE, "link", "state '%.32s' (up, down)", link);
	n->disconnected = link && !strcmp(link, "down");
	const char *m = attr(child(e, "model"), "type");
	if (m) {
		if (!strcmp(m, "vlance")) n->model = VSDK_VM_NIC_VLANCE;
		else if (!strcmp(m, "vmxnet")) n->model = VSDK_VM_NIC_VMXNET;
		else if (!strcmp(m, "vmxnet2")) n->model = VSDK_VM_NIC_VMXNET2;
		else if (!strcmp(m, "vmxnet3")) n->model = VSDK_VM_NIC_VMXNET3;
		else if (!strcmp(m, "e1000")) n->model = VSDK_VM_NIC_E1000;
		else if (!strcmp(m, "e1000e")) n->model = VSDK_VM_NIC_E1000E;
		else return xerr(VSDK_EUNSUPPORTED, "model", "NIC model '%.32s' (vlance, vmxnet, vmxnet2, vmxnet3, e1000, e1000e)", m);
	}
	return VSDK_OK;
}

static int read_char(vsdk_vm_config *c, const struct soap_dom_element *e, bool serial)
{
	const char *what = serial ? "serial" : "parallel";
	const char *t = attr(e, "type");
	const struct soap_dom_element *src = child(e, "source");
	vsdk_vm_char *ch = serial ? vsdk__vmx_grow((void **)&c->serials, &c->n_serials, sizeof(*ch))
				  : vsdk__vmx_grow((void **)&c->parallels, &c->n_parallels, sizeof(*ch));
	int rc;
	if (!ch)
		return VSDK_ENOMEM;
	ch->index = serial ? (int)c->n_serials - 1 : (int)c->n_parallels - 1;
	const char *port = attr(child(e, "target"), "port");
	if (port) {
		int64_t p;
		if ((rc = get_i64(port, &p, 0, "target")))
			return rc;
		if (p > 3)
			return xerr(VSDK_EPARSE, "target", "port %" PRId64 " out of range", p);
		ch->index = (int)p;
	}
	if (!t)
		return xerr(VSDK_EPARSE, what, "missing type");
	if (!strcmp(t, "dev")) ch->type = VSDK_VM_CHAR_DEVICE;
	else if (!strcmp(t, "file")) ch->type = VSDK_VM_CHAR_FILE;
	else if (serial && !strcmp(t, "pipe")) ch->type = VSDK_VM_CHAR_PIPE;
	else if (serial && !strcmp(t, "tcp")) ch->type = VSDK_VM_CHAR_NETWORK;
	else return xerr(VSDK_EUNSUPPORTED, what, "unsupported type '%.32s'", t);
	const char *mode = attr(src, "mode");
	if (ch->type == VSDK_VM_CHAR_NETWORK) {
		const char *host = attr(src, "host"), *svc = attr(src, "service");
		if (!svc || !*svc)
			return xerr(VSDK_EPARSE, "source", "a tcp %s needs service='port'", what);
		if ((rc = take(&ch->host, host ? host : "", "source")) || (rc = take(&ch->service, svc, "source")))
			return rc;
		if (strspn(ch->service, "0123456789") != strlen(ch->service) || strlen(ch->service) > 5 ||
		    atoi(ch->service) > 65535 || strchr(ch->host, '/'))
			return xerr(VSDK_EPARSE, "source", "service must be a port number and host must not contain '/'");
		ch->server = !mode || !strcmp(mode, "bind");
		const char *proto = attr(child(e, "protocol"), "type");
		if (!proto || !strcmp(proto, "raw")) ch->protocol = VSDK_VM_PROTO_RAW;
		else if (!strcmp(proto, "telnet")) ch->protocol = VSDK_VM_PROTO_TELNET;
		else if (!strcmp(proto, "tls")) ch->protocol = VSDK_VM_PROTO_TLS;
		else return xerr(VSDK_EUNSUPPORTED, "protocol", "type '%.32s' (raw, telnet, tls)", proto);
	} else {
		const char *path = attr(src, "path");
		if (!path || !*path)
			return xerr(VSDK_EPARSE, what, "missing <source path='...'/>");
		if ((rc = take(&ch->path, path, "source")))
			return rc;
		ch->server = mode && !strcmp(mode, "bind");
	}
	if (mode && strcmp(mode, "bind") && strcmp(mode, "connect"))
		return xerr(VSDK_EPARSE, "source", "mode '%.32s' (bind, connect)", mode);
	return VSDK_OK;
}

static int read_graphics(vsdk_vm_config *c, const struct soap_dom_element *e)
{
	const char *t = attr(e, "type");
	int rc;
	if (!t || strcmp(t, "vnc"))
		return xerr(VSDK_EUNSUPPORTED, "graphics", "type '%.32s' (only vnc)", t ? t : "");
	if (c->vnc.enabled)
		return xerr(VSDK_EUNSUPPORTED, "graphics", "only one VNC display is supported");
	c->vnc.enabled = true;
	const char *port = attr(e, "port"), *autoport = attr(e, "autoport");
	if (port && (!autoport || strcmp(autoport, "yes"))) {
		int64_t p;
		if ((rc = get_i64(port, &p, -1, "graphics")))
			return rc;
		if (p > 65535)
			return xerr(VSDK_EPARSE, "graphics", "port %" PRId64 " is not a TCP port", p);
		if (p >= 0)
			c->vnc.port = (int)p;
	}
	const char *listen = attr(e, "listen");
	if (!listen)
		listen = attr(child(e, "listen"), "address");
	if ((rc = take(&c->vnc.listen, listen, "graphics")) || (rc = take(&c->vnc.keymap, attr(e, "keymap"), "graphics")) ||
	    (rc = take(&c->vnc.password, attr(e, "passwd"), "graphics")))
		return rc;
	return VSDK_OK;
}

static int read_video(vsdk_vm_config *c, const struct soap_dom_element *e)
{
	const struct soap_dom_element *m = child(e, "model");
	const char *t = attr(m, "type");
	int64_t v;
	int rc;
	if (c->video_vram_kib != VSDK_VM_UNSET)
		return xerr(VSDK_EUNSUPPORTED, "video", "only one video device is supported");
	if (!t || strcmp(t, "vmvga"))
		return xerr(VSDK_EUNSUPPORTED, "video", "model '%.32s' (only vmvga)", t ? t : "");
	const char *heads = attr(m, "heads");
	if (heads && strcmp(heads, "1"))
		return xerr(VSDK_EUNSUPPORTED, "model", "heads='%.16s': only one head is supported", heads);
	const char *vram = attr(m, "vram");
	if (!vram)
		vram = "4096";
	if ((rc = get_i64(vram, &v, 1, "model")))
		return rc;
	c->video_vram_kib = v;
	return VSDK_OK;
}

/* ---- XML -> model: top level -------------------------------------------- */

static int read_metadata(vsdk_vm_config *c, const struct soap_dom_element *md)
{
	char buf[128];
	int rc;
	for (const struct soap_dom_element *v = md->elts; v; v = v->next) {
		if (!in_vmx_ns(v) || !is(v, "vmware"))
			continue;
		for (const struct soap_dom_element *e = v->elts; e; e = e->next) {
			if (!in_vmx_ns(e))
				continue;
			const char *txt = trimmed(e, buf, sizeof(buf));
			int64_t i;
			if (is(e, "guestOS")) {
				if (!*txt)
					return xerr(VSDK_EPARSE, "vmx:guestOS", "empty");
				if ((rc = take(&c->guest_os, txt, "vmx:guestOS")))
					return rc;
			} else if (is(e, "virtualHW")) {
				if ((rc = get_i64(txt, &i, 4, "vmx:virtualHW")))
					return rc;
				if (i > 1000)
					return xerr(VSDK_EPARSE, "vmx:virtualHW", "out of range");
				c->virtual_hw_version = (int)i;
			} else if (is(e, "cpuReservation")) {
				if ((rc = get_i64(txt, &c->cpu_min_mhz, 0, "vmx:cpuReservation")))
					return rc;
			} else if (is(e, "cpuLimit")) {
				if (!strcmp(txt, "unlimited"))
					c->cpu_max_mhz = VSDK_VM_UNLIMITED;
				else if ((rc = get_i64(txt, &c->cpu_max_mhz, 0, "vmx:cpuLimit")))
					return rc;
			} else if (is(e, "memShares")) {
				if ((rc = get_i64(txt, &c->mem_shares, 0, "vmx:memShares")))
					return rc;
			} else {
				return xerr(VSDK_EPARSE, "vmx:vmware", "unknown element <%.64s>", local(e));
			}
		}
	}
	return VSDK_OK;
}

static int from_dom(vsdk_vm_config *c, const struct soap_dom_element *root)
{
	char buf[256];
	const struct soap_dom_element *e;
	int64_t i;
	int rc;

	if (!is(root, "domain"))
		return xerr(VSDK_EPARSE, local(root), "the root element must be <domain>");
	const char *type = attr(root, "type");
	if (!type || strcmp(type, "vmware"))
		return xerr(VSDK_EPARSE, "domain", "type must be 'vmware' (found '%.32s')", type ? type : "");
	e = child(root, "name");
	if (!e || !e->text || !*e->text)
		return xerr(VSDK_EPARSE, "name", "missing or empty");
	if ((rc = take(&c->name, e->text, "name")))
		return rc;
	if ((e = child(root, "uuid"))) {
		if (vsdk__vmx_uuid_parse(c->uuid, trimmed(e, buf, sizeof(buf))))
			return xerr(VSDK_EPARSE, "uuid", "'%.64s' is not a UUID", buf);
		c->has_uuid = true;
	}
	if ((e = child(root, "description")) && e->text && *e->text && (rc = take(&c->description, e->text, "description")))
		return rc;
	if ((e = child(root, "metadata")) && (rc = read_metadata(c, e)))
		return rc;
	if (!(e = child(root, "memory")))
		return xerr(VSDK_EPARSE, "memory", "missing");
	if ((rc = get_kib(e, &c->memory_kib, "memory")))
		return rc;
	if ((e = child(root, "currentMemory"))) {
		if ((rc = get_kib(e, &c->current_memory_kib, "currentMemory")))
			return rc;
		if (c->current_memory_kib >= c->memory_kib)
			c->current_memory_kib = 0;
	}
	if ((e = child(root, "memtune")) && (e = child(e, "min_guarantee"))) {
		uint64_t k;
		if ((rc = get_kib(e, &k, "min_guarantee")))
			return rc;
		c->mem_min_kib = (int64_t)k;
	}
	if ((e = child(root, "vcpu"))) {
		if ((rc = get_i64(trimmed(e, buf, sizeof(buf)), &i, 1, "vcpu")))
			return rc;
		if (i > 4096)
			return xerr(VSDK_EPARSE, "vcpu", "%" PRId64 " is out of range", i);
		c->vcpus = (unsigned)i;
	}
	if ((e = child(root, "cputune")) && (e = child(e, "shares"))) {
		if ((rc = get_i64(trimmed(e, buf, sizeof(buf)), &c->cpu_shares, 0, "shares")))
			return rc;
	}
	if ((e = child(root, "cpu")) && (e = child(e, "topology"))) {
		int64_t sockets = 1, cores = 1, threads = 1;
		if ((attr(e, "sockets") && (rc = get_i64(attr(e, "sockets"), &sockets, 1, "topology"))) ||
		    (attr(e, "cores") && (rc = get_i64(attr(e, "cores"), &cores, 1, "topology"))) ||
		    (attr(e, "threads") && (rc = get_i64(attr(e, "threads"), &threads, 1, "topology"))))
			return rc;
		if (threads != 1)
			return xerr(VSDK_EUNSUPPORTED, "topology", "threads must be 1");
		if (attr(e, "dies") && strcmp(attr(e, "dies"), "1"))
			return xerr(VSDK_EUNSUPPORTED, "topology", "dies must be 1");
		if ((uint64_t)sockets * (uint64_t)cores != c->vcpus)
			return xerr(VSDK_EPARSE, "topology", "sockets %" PRId64 " x cores %" PRId64 " != vcpu %u",
				    sockets, cores, c->vcpus);
		c->cores_per_socket = (unsigned)cores;
	}
	if (!(e = child(root, "os")))
		return xerr(VSDK_EPARSE, "os", "missing");
	const char *fw = attr(e, "firmware");
	if (fw) {
		if (!strcmp(fw, "efi")) c->firmware = VSDK_VM_FIRMWARE_EFI;
		else if (!strcmp(fw, "bios")) c->firmware = VSDK_VM_FIRMWARE_BIOS;
		else return xerr(VSDK_EUNSUPPORTED, "os", "firmware '%.32s' (bios, efi)", fw);
	}
	const struct soap_dom_element *ot = child(e, "type");
	if (!ot || strcmp(trimmed(ot, buf, sizeof(buf)), "hvm"))
		return xerr(VSDK_EPARSE, "os", "needs <type>hvm</type>");
	const char *arch = attr(ot, "arch");
	if (!arch || !strcmp(arch, "i686"))
		c->arch = VSDK_VM_ARCH_I686;
	else if (!strcmp(arch, "x86_64"))
		c->arch = VSDK_VM_ARCH_X86_64;
	else
		return xerr(VSDK_EUNSUPPORTED, "type", "arch '%.32s' (i686, x86_64)", arch);
	if (!arch && c->guest_os && strlen(c->guest_os) > 3 &&
	    !strcasecmp(c->guest_os + strlen(c->guest_os) - 3, "-64"))
		c->arch = VSDK_VM_ARCH_X86_64;

	const struct soap_dom_element *devs = child(root, "devices");
	/* Controllers first, so disks' <driver name> can agree with them. */
	for (e = devs ? devs->elts : NULL; e; e = e->next)
		if (is(e, "controller") && (rc = read_controller(c, e)))
			return rc;
	for (e = devs ? devs->elts : NULL; e; e = e->next) {
		if (is(e, "controller"))
			continue;
		else if (is(e, "disk"))
			rc = read_disk(c, e);
		else if (is(e, "interface"))
			rc = read_interface(c, e);
		else if (is(e, "serial"))
			rc = read_char(c, e, true);
		else if (is(e, "parallel"))
			rc = read_char(c, e, false);
		else if (is(e, "graphics"))
			rc = read_graphics(c, e);
		else if (is(e, "video"))
			rc = read_video(c, e);
		else if (is(e, "input") || is(e, "console") || is(e, "memballoon") || is(e, "emulator"))
			rc = VSDK_OK; /* implicit on VMware */
		else
			rc = xerr(VSDK_EUNSUPPORTED, local(e), "device not supported by the VMX converter");
		if (rc)
			return rc;
	}
	return VSDK_OK;
}

/* Is v a character XML 1.0 allows? */
static bool xml_char_ok(unsigned long v)
{
	return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
	       (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
}

/* At p == '&': a predefined entity or a valid character reference?  Sets *len. */
static bool ref_ok(const char *p, size_t *len)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	for (size_t i = 0; i < 5; i++) {
		size_t n = strlen(named[i]);
		if (!strncmp(p, named[i], n)) {
			*len = n;
			return true;
		}
	}
	if (p[1] != '#')
		return false;
	const char *q = p + 2;
	int base = 10;
	if (*q == 'x') {
		base = 16;
		q++;
	}
	unsigned long v = 0;
	const char *d = q;
	for (; isxdigit((unsigned char)*q) && (base == 16 || isdigit((unsigned char)*q)); q++) {
		v = v * (unsigned long)base + (unsigned long)(isdigit((unsigned char)*q) ? *q - '0' : (tolower((unsigned char)*q) - 'a' + 10));
		if (v > 0x10FFFF)
			return false;
	}
	if (q == d || *q != ';' || !xml_char_ok(v))
		return false;
	*len = (size_t)(q + 1 - p);
	return true;
}

/*
 * Checks gSOAP's lenient reader does not make: no DOCTYPE or other
 * declarations (so no entity can be declared, expanded or fetched), only the
 * five predefined entities and character references to allowed characters
 * (gSOAP maps unknown entities to a byte and &#0; to a truncation), and
 * nothing but comments and processing instructions after the root element.
 * This is validation only: the DOM is built by gSOAP.
 */
static int xml_precheck(const char *x)
{
	const char *p = x, *q;
	int depth = 0;
	bool root_done = false;
	size_t n;

	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (*p) {
		if (*p == '<') {
			if (!strncmp(p, "<!--", 4)) {
				if (!(q = strstr(p + 4, "-->")))
					return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: unterminated comment");
				p = q + 3;
				continue;
			}
			if (!strncmp(p, "<![CDATA[", 9)) {
				if (depth == 0 || !(q = strstr(p + 9, "]]>")))
					return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: misplaced or unterminated CDATA");
				p = q + 3;
				continue;
			}
			if (p[1] == '?') {
				if (!(q = strstr(p + 2, "?>")))
					return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: unterminated processing instruction");
				p = q + 2;
				continue;
			}
			if (p[1] == '!')
				return vsdk__error_set(VSDK_EPARSE, "domain XML: a DOCTYPE or other <!...> declaration is not allowed");
			if (p[1] == '/') {
				if (!(q = strchr(p, '>')) || --depth < 0)
					return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: unbalanced end tag");
				if (depth == 0)
					root_done = true;
				p = q + 1;
				continue;
			}
			if (root_done)
				return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: content after the root element");
			char quote = 0;
			for (q = p + 1; *q; q++) {
				if (quote) {
					if (*q == quote)
						quote = 0;
					else if (*q == '&') {
						if (!ref_ok(q, &n))
							return vsdk__error_set(VSDK_EPARSE, "domain XML: undefined entity or invalid character reference near '%.16s'", q);
						q += n - 1;
					} else if (*q == '<') {
						return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: '<' in an attribute value");
					}
				} else if (*q == '"' || *q == '\'') {
					quote = *q;
				} else if (*q == '>') {
					break;
				}
			}
			if (!*q)
				return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: unterminated tag");
			if (q[-1] != '/')
				depth++;
			else if (depth == 0)
				root_done = true;
			p = q + 1;
			continue;
		}
		if (*p == '&') {
			if (!ref_ok(p, &n))
				return vsdk__error_set(VSDK_EPARSE, "domain XML: undefined entity or invalid character reference near '%.16s'", p);
			p += n;
			continue;
		}
		if (depth == 0 && !isspace((unsigned char)*p))
			return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: text outside the root element");
		p++;
	}
	if (!root_done)
		return vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: no complete root element");
	return VSDK_OK;
}

static struct soap *new_soap(unsigned flags)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_DOM_TREE | flags);
	if (!soap)
		return NULL;
	soap_set_namespaces(soap, vmx_namespaces);
	soap->maxlevel = 64;
	return soap;
}

static void drop_soap(struct soap *soap)
{
	if (!soap)
		return;
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

VSDK_API int vsdk_vm_config_from_xml(vsdk_vm_config **out, const char *xml)
{
	if (!out || !xml)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vm_config_from_xml: %s is NULL", !out ? "out" : "xml");
	*out = NULL;
	int rc = xml_precheck(xml);
	if (rc)
		return rc;
	struct soap *soap = new_soap(0);
	if (!soap)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	struct soap_dom_element dom;
	memset(&dom, 0, sizeof(dom));
	dom.soap = soap;
	soap->is = xml;
	if (soap_begin_recv(soap) || !soap_in_xsd__anyType(soap, NULL, &dom, NULL) || soap_end_recv(soap)) {
		/* soap_sprint_fault gives 'Error N fault ... "text" Detail...'; keep the text. */
		char msg[512], *q1, *q2;
		soap_sprint_fault(soap, msg, sizeof(msg));
		q1 = strchr(msg, '"');
		q2 = q1 ? strrchr(q1 + 1, '"') : NULL;
		if (q1 && q2) {
			*q2 = '\0';
			memmove(msg, q1 + 1, (size_t)(q2 - q1));
		}
		rc = vsdk__error_set(VSDK_EPARSE, "domain XML is malformed: %s (gSOAP error %d)", msg, soap->error);
		drop_soap(soap);
		return rc;
	}
	vsdk_vm_config *c;
	rc = vsdk_vm_config_new(&c);
	if (!rc)
		rc = from_dom(c, &dom);
	drop_soap(soap);
	if (rc) {
		vsdk_vm_config_free(c);
		return rc;
	}
	*out = c;
	return VSDK_OK;
}

/* ---- model -> XML ------------------------------------------------------- */

typedef struct xw {
	struct soap *soap;
	int rc;
} xw;

static struct soap_dom_element *add(xw *w, struct soap_dom_element *parent, const char *ns, const char *tag)
{
	if (w->rc)
		return NULL;
	struct soap_dom_element *e = soap_elt_new(w->soap, ns, tag);
	if (!e) {
		w->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return NULL;
	}
	if (parent) {
		e->prnt = parent;
		struct soap_dom_element **pp = &parent->elts;
		while (*pp)
			pp = &(*pp)->next;
		*pp = e;
	}
	return e;
}

static void set_att(xw *w, struct soap_dom_element *e, const char *name, const char *val)
{
	if (w->rc || !e || !val)
		return;
	if (!xml_text_ok(val)) {
		w->rc = vsdk__error_set(VSDK_EINVALID, "cannot write attribute %s='%.64s' as XML: control characters or invalid UTF-8",
					name, val);
		return;
	}
	if (!soap_att_text(soap_att(e, NULL, name), val))
		w->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

static void set_attf(xw *w, struct soap_dom_element *e, const char *name, const char *fmt, ...) VSDK_PRINTF(4, 5);
static void set_attf(xw *w, struct soap_dom_element *e, const char *name, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	set_att(w, e, name, buf);
}

static struct soap_dom_element *add_text(xw *w, struct soap_dom_element *parent, const char *ns,
					 const char *tag, const char *text)
{
	struct soap_dom_element *e = add(w, parent, ns, tag);
	if (!e)
		return NULL;
	if (!xml_text_ok(text)) {
		w->rc = vsdk__error_set(VSDK_EINVALID, "cannot write <%s> as XML: control characters or invalid UTF-8", tag);
		return NULL;
	}
	if (!soap_elt_text(e, text))
		w->rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return e;
}

static struct soap_dom_element *add_textf(xw *w, struct soap_dom_element *parent, const char *ns,
					  const char *tag, const char *fmt, ...) VSDK_PRINTF(5, 6);
static struct soap_dom_element *add_textf(xw *w, struct soap_dom_element *parent, const char *ns,
					  const char *tag, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return add_text(w, parent, ns, tag, buf);
}

static void dev_name(char *out, size_t sz, const char *pfx, int idx)
{
	char letters[16];
	int n = 0;
	idx++;
	while (idx > 0 && n < 15) {
		idx--;
		letters[n++] = (char)('a' + idx % 26);
		idx /= 26;
	}
	size_t pl = strlen(pfx);
	if (pl + (size_t)n + 1 > sz)
		n = 0;
	memcpy(out, pfx, pl);
	for (int i = 0; i < n; i++)
		out[pl + i] = letters[n - 1 - i];
	out[pl + n] = '\0';
}

static void write_disk(xw *w, struct soap_dom_element *devs, const vsdk_vm_config *c, const vsdk_vm_disk *d)
{
	static const char *const devices[] = { "disk", "cdrom", "floppy", "lun" };
	static const char *const buses[] = { "scsi", "sata", "nvme", "ide", "fdc" };
	static const char *const scsi_models[] = { NULL, "buslogic", "lsilogic", "lsisas1068", "vmpvscsi" };
	char dev[32];
	if ((unsigned)d->device > VSDK_VM_LUN || (unsigned)d->bus > VSDK_VM_BUS_FDC) {
		w->rc = vsdk__error_set(VSDK_EINVALID, "disk: invalid device or bus");
		return;
	}
	struct soap_dom_element *e = add(w, devs, NULL, "disk");
	set_att(w, e, "type", d->type == VSDK_VM_SOURCE_BLOCK ? "block" : "file");
	set_att(w, e, "device", devices[d->device]);
	const char *model = NULL;
	if (d->bus == VSDK_VM_BUS_SCSI)
		for (size_t i = 0; i < c->n_controllers; i++)
			if (c->controllers[i].bus == VSDK_VM_BUS_SCSI && c->controllers[i].index == d->controller &&
			    (unsigned)c->controllers[i].model <= VSDK_VM_SCSI_PVSCSI)
				model = scsi_models[c->controllers[i].model];
	if (model || d->writethrough) {
		struct soap_dom_element *drv = add(w, e, NULL, "driver");
		set_att(w, drv, "name", model);
		if (d->writethrough)
			set_att(w, drv, "cache", "writethrough");
	}
	if (d->source)
		set_att(w, add(w, e, NULL, "source"), d->type == VSDK_VM_SOURCE_BLOCK ? "dev" : "file", d->source);
	switch (d->bus) {
	case VSDK_VM_BUS_SCSI:
		dev_name(dev, sizeof(dev), "sd", d->unit <= 15 ? d->controller * 15 + (d->unit > 7 ? d->unit - 1 : d->unit)
							       : 60 + d->controller * 49 + (d->unit - 16));
		break;
	case VSDK_VM_BUS_SATA:
		dev_name(dev, sizeof(dev), "sd", 256 + d->controller * 30 + d->unit);
		break;
	case VSDK_VM_BUS_IDE:
		dev_name(dev, sizeof(dev), "hd", d->controller * 2 + d->unit);
		break;
	case VSDK_VM_BUS_FDC:
		dev_name(dev, sizeof(dev), "fd", d->unit);
		break;
	case VSDK_VM_BUS_NVME:
		snprintf(dev, sizeof(dev), "nvme%dn%d", d->controller, d->unit + 1);
		break;
	}
	struct soap_dom_element *t = add(w, e, NULL, "target");
	set_att(w, t, "dev", dev);
	set_att(w, t, "bus", buses[d->bus]);
	if (d->device == VSDK_VM_CDROM || d->device == VSDK_VM_LUN)
		add(w, e, NULL, "readonly");
	if (d->transient)
		add(w, e, NULL, "transient");
	struct soap_dom_element *a = add(w, e, NULL, "address");
	set_att(w, a, "type", "drive");
	set_attf(w, a, "controller", "%d", d->bus == VSDK_VM_BUS_IDE ? 0 : d->controller);
	set_attf(w, a, "bus", "%d", d->bus == VSDK_VM_BUS_IDE ? d->controller : 0);
	set_att(w, a, "target", "0");
	set_attf(w, a, "unit", "%d", d->unit);
}

static void write_nic(xw *w, struct soap_dom_element *devs, const vsdk_vm_nic *n)
{
	static const char *const models[] = { NULL, "vlance", "vmxnet", "vmxnet2", "vmxnet3", "e1000", "e1000e" };
	struct soap_dom_element *e = add(w, devs, NULL, "interface");
	switch (n->type) {
	case VSDK_VM_NET_BRIDGED:
	case VSDK_VM_NET_CUSTOM:
		set_att(w, e, "type", "bridge");
		break;
	case VSDK_VM_NET_NAT:
		set_att(w, e, "type", "user");
		break;
	case VSDK_VM_NET_HOSTONLY:
		set_att(w, e, "type", "network");
		break;
	default:
		set_att(w, e, "type", "null");
		break;
	}
	if (n->mac[0]) {
		char mac[18];
		if (vsdk__vmx_mac_norm(mac, n->mac)) {
			w->rc = vsdk__error_set(VSDK_EINVALID, "interface %d: '%.32s' is not a MAC address", n->index, n->mac);
			return;
		}
		struct soap_dom_element *m = add(w, e, NULL, "mac");
		set_att(w, m, "address", mac);
		bool check;
		vsdk_vm_mac_type derived = vsdk__vmx_mac_derive(mac, &check);
		static const char *const types[] = { NULL, "static", "generated", "vpx" };
		if (n->mac_type != VSDK_VM_MAC_AUTO && n->mac_type != derived && (unsigned)n->mac_type <= VSDK_VM_MAC_VPX)
			set_att(w, m, "type", types[n->mac_type]);
		if (n->check_mac != VSDK_VM_UNSET && (n->check_mac != 0) != check)
			set_att(w, m, "check", n->check_mac ? "yes" : "no");
	}
	if ((n->type == VSDK_VM_NET_BRIDGED || n->type == VSDK_VM_NET_CUSTOM) && n->network)
		set_att(w, add(w, e, NULL, "source"), "bridge", n->network);
	else if (n->type == VSDK_VM_NET_HOSTONLY)
		set_att(w, add(w, e, NULL, "source"), "network", "hostonly");
	if (n->type == VSDK_VM_NET_CUSTOM && n->vnet)
		set_att(w, add(w, e, NULL, "target"), "dev", n->vnet);
	if ((unsigned)n->model <= VSDK_VM_NIC_E1000E && models[n->model])
		set_att(w, add(w, e, NULL, "model"), "type", models[n->model]);
	if (n->disconnected)
		set_att(w, add(w, e, NULL, "link"), "state", "down");
}

static void write_char(xw *w, struct soap_dom_element *devs, const vsdk_vm_char *ch, bool serial)
{
	static const char *const types[] = { "dev", "file", "pipe", "tcp" };
	static const char *const protos[] = { "raw", "telnet", "tls" };
	if ((unsigned)ch->type > VSDK_VM_CHAR_NETWORK) {
		w->rc = vsdk__error_set(VSDK_EINVALID, "%s %d: invalid type", serial ? "serial" : "parallel", ch->index);
		return;
	}
	struct soap_dom_element *e = add(w, devs, NULL, serial ? "serial" : "parallel");
	set_att(w, e, "type", types[ch->type]);
	struct soap_dom_element *s = add(w, e, NULL, "source");
	if (ch->type == VSDK_VM_CHAR_NETWORK) {
		set_att(w, s, "mode", ch->server ? "bind" : "connect");
		if (ch->host && *ch->host)
			set_att(w, s, "host", ch->host);
		set_att(w, s, "service", ch->service ? ch->service : "");
		if ((unsigned)ch->protocol <= VSDK_VM_PROTO_TLS)
			set_att(w, add(w, e, NULL, "protocol"), "type", protos[ch->protocol]);
	} else {
		if (ch->type == VSDK_VM_CHAR_PIPE)
			set_att(w, s, "mode", ch->server ? "bind" : "connect");
		set_att(w, s, "path", ch->path ? ch->path : "");
	}
	set_attf(w, add(w, e, NULL, "target"), "port", "%d", ch->index);
}

static int to_dom(xw *w, struct soap_dom_element **rootp, const vsdk_vm_config *c)
{
	char buf[64];
	struct soap_dom_element *root = add(w, NULL, NULL, "domain");
	*rootp = root;
	set_att(w, root, "type", "vmware");
	if (!c->name || !*c->name)
		return w->rc ? w->rc : vsdk__error_set(VSDK_EINVALID, "the VM has no name");
	add_text(w, root, NULL, "name", c->name);
	if (c->has_uuid) {
		const unsigned char *u = c->uuid;
		snprintf(buf, sizeof(buf), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
		add_text(w, root, NULL, "uuid", buf);
	}
	if (c->description)
		add_text(w, root, NULL, "description", c->description);
	if (c->guest_os || c->virtual_hw_version || c->cpu_min_mhz != VSDK_VM_UNSET ||
	    c->cpu_max_mhz != VSDK_VM_UNSET || c->mem_shares != VSDK_VM_UNSET) {
		struct soap_dom_element *md = add(w, root, NULL, "metadata");
		struct soap_dom_element *v = add(w, md, VMX_NS, "vmx:vmware");
		if (c->guest_os)
			add_text(w, v, VMX_NS, "vmx:guestOS", c->guest_os);
		if (c->virtual_hw_version)
			add_textf(w, v, VMX_NS, "vmx:virtualHW", "%d", c->virtual_hw_version);
		if (c->cpu_min_mhz != VSDK_VM_UNSET)
			add_textf(w, v, VMX_NS, "vmx:cpuReservation", "%" PRId64, c->cpu_min_mhz);
		if (c->cpu_max_mhz == VSDK_VM_UNLIMITED)
			add_text(w, v, VMX_NS, "vmx:cpuLimit", "unlimited");
		else if (c->cpu_max_mhz != VSDK_VM_UNSET)
			add_textf(w, v, VMX_NS, "vmx:cpuLimit", "%" PRId64, c->cpu_max_mhz);
		if (c->mem_shares != VSDK_VM_UNSET)
			add_textf(w, v, VMX_NS, "vmx:memShares", "%" PRId64, c->mem_shares);
	}
	add_textf(w, root, NULL, "memory", "%" PRIu64, c->memory_kib);
	add_textf(w, root, NULL, "currentMemory", "%" PRIu64,
		  c->current_memory_kib && c->current_memory_kib < c->memory_kib ? c->current_memory_kib : c->memory_kib);
	if (c->mem_min_kib != VSDK_VM_UNSET)
		add_textf(w, add(w, root, NULL, "memtune"), NULL, "min_guarantee", "%" PRId64, c->mem_min_kib);
	add_textf(w, root, NULL, "vcpu", "%u", c->vcpus);
	if (c->cpu_shares != VSDK_VM_UNSET)
		add_textf(w, add(w, root, NULL, "cputune"), NULL, "shares", "%" PRId64, c->cpu_shares);
	struct soap_dom_element *os = add(w, root, NULL, "os");
	if (c->firmware == VSDK_VM_FIRMWARE_EFI)
		set_att(w, os, "firmware", "efi");
	else if (c->firmware == VSDK_VM_FIRMWARE_BIOS)
		set_att(w, os, "firmware", "bios");
	set_att(w, add_text(w, os, NULL, "type", "hvm"), "arch", c->arch == VSDK_VM_ARCH_X86_64 ? "x86_64" : "i686");
	if (c->cores_per_socket) {
		struct soap_dom_element *t = add(w, add(w, root, NULL, "cpu"), NULL, "topology");
		set_attf(w, t, "sockets", "%u", c->vcpus / c->cores_per_socket);
		set_attf(w, t, "cores", "%u", c->cores_per_socket);
		set_att(w, t, "threads", "1");
	}
	set_att(w, add(w, root, NULL, "clock"), "offset", "utc");
	add_text(w, root, NULL, "on_poweroff", "destroy");
	add_text(w, root, NULL, "on_reboot", "restart");
	add_text(w, root, NULL, "on_crash", "destroy");
	struct soap_dom_element *devs = add(w, root, NULL, "devices");
	for (size_t i = 0; i < c->n_disks; i++)
		write_disk(w, devs, c, &c->disks[i]);
	static const char *const ctypes[] = { "scsi", "sata", "nvme" };
	static const char *const scsi_models[] = { NULL, "buslogic", "lsilogic", "lsisas1068", "vmpvscsi" };
	for (size_t i = 0; i < c->n_controllers; i++) {
		const vsdk_vm_controller *k = &c->controllers[i];
		if ((unsigned)k->bus > VSDK_VM_BUS_NVME || (unsigned)k->model > VSDK_VM_SCSI_PVSCSI)
			return w->rc ? w->rc : vsdk__error_set(VSDK_EINVALID, "controller %zu: invalid bus or model", i);
		struct soap_dom_element *e = add(w, devs, NULL, "controller");
		set_att(w, e, "type", ctypes[k->bus]);
		set_attf(w, e, "index", "%d", k->index);
		if (k->bus == VSDK_VM_BUS_SCSI && scsi_models[k->model])
			set_att(w, e, "model", scsi_models[k->model]);
	}
	for (size_t i = 0; i < c->n_nics; i++)
		write_nic(w, devs, &c->nics[i]);
	for (size_t i = 0; i < c->n_serials; i++)
		write_char(w, devs, &c->serials[i], true);
	for (size_t i = 0; i < c->n_parallels; i++)
		write_char(w, devs, &c->parallels[i], false);
	if (c->vnc.enabled) {
		struct soap_dom_element *g = add(w, devs, NULL, "graphics");
		set_att(w, g, "type", "vnc");
		if (c->vnc.port != VSDK_VM_UNSET) {
			set_attf(w, g, "port", "%d", c->vnc.port);
			set_att(w, g, "autoport", "no");
		} else {
			set_att(w, g, "autoport", "yes");
		}
		set_att(w, g, "listen", c->vnc.listen);
		set_att(w, g, "keymap", c->vnc.keymap);
		set_att(w, g, "passwd", c->vnc.password);
	}
	if (c->video_vram_kib != VSDK_VM_UNSET) {
		struct soap_dom_element *m = add(w, add(w, devs, NULL, "video"), NULL, "model");
		set_att(w, m, "type", "vmvga");
		set_attf(w, m, "vram", "%" PRId64, c->video_vram_kib);
		set_att(w, m, "heads", "1");
	}
	return w->rc;
}

VSDK_API int vsdk_vm_config_to_xml(char **out, const vsdk_vm_config *cfg)
{
	if (!out || !cfg)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vm_config_to_xml: %s is NULL", !out ? "out" : "cfg");
	*out = NULL;
	xw w = { .soap = new_soap(SOAP_XML_INDENT) };
	if (!w.soap)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	struct soap_dom_element *root = NULL;
	int rc = to_dom(&w, &root, cfg);
	if (!rc) {
		const char *text = NULL;
		w.soap->os = &text;
		if (soap_begin_send(w.soap) || soap_out_xsd__anyType(w.soap, NULL, 0, root, NULL) ||
		    soap_end_send(w.soap) || !text) {
			rc = vsdk__error_set(VSDK_EINTERNAL, "writing domain XML failed (gSOAP error %d)", w.soap->error);
		} else {
			size_t n = strlen(text);
			*out = malloc(n + 2);
			if (!*out) {
				rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
			} else {
				memcpy(*out, text, n);
				(*out)[n] = '\n';
				(*out)[n + 1] = '\0';
			}
		}
	}
	drop_soap(w.soap);
	return rc;
}

/* ---- text-to-text helpers ----------------------------------------------- */

VSDK_API int vsdk_vmx_to_domain_xml(char **out, const char *vmx_text, size_t len, const vsdk_vmx_options *opts)
{
	vsdk_vmx *vmx = NULL;
	vsdk_vm_config *c = NULL;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_to_domain_xml: out is NULL");
	*out = NULL;
	int rc = vsdk_vmx_parse(&vmx, vmx_text, len, opts ? opts->parse_flags : 0);
	if (!rc)
		rc = vsdk_vm_config_from_vmx(&c, vmx, opts);
	if (!rc)
		rc = vsdk_vm_config_to_xml(out, c);
	vsdk_vm_config_free(c);
	vsdk_vmx_free(vmx);
	return rc;
}

VSDK_API int vsdk_vmx_from_domain_xml(char **out, const char *xml, const vsdk_vmx_options *opts)
{
	vsdk_vmx *vmx = NULL;
	vsdk_vm_config *c = NULL;
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_from_domain_xml: out is NULL");
	*out = NULL;
	int rc = vsdk_vm_config_from_xml(&c, xml);
	if (!rc)
		rc = vsdk_vm_config_to_vmx(&vmx, c, opts);
	if (!rc)
		rc = vsdk_vmx_format(out, vmx);
	vsdk_vm_config_free(c);
	vsdk_vmx_free(vmx);
	return rc;
}
