/*
 * vsdk - the VM model (vsdk_vm_config) and its conversion to and from VMX.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vmx_private.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

/* ---- model -------------------------------------------------------------- */

VSDK_API int vsdk_vm_config_new(vsdk_vm_config **out)
{
	if (!out)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vm_config_new: out is NULL");
	vsdk_vm_config *c = calloc(1, sizeof(*c));
	if (!c)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	c->vcpus = 1;
	c->mem_min_kib = VSDK_VM_UNSET;
	c->mem_shares = VSDK_VM_UNSET;
	c->cpu_shares = VSDK_VM_UNSET;
	c->cpu_min_mhz = VSDK_VM_UNSET;
	c->cpu_max_mhz = VSDK_VM_UNSET;
	c->vnc.port = VSDK_VM_UNSET;
	c->video_vram_kib = VSDK_VM_UNSET;
	*out = c;
	return VSDK_OK;
}

static void free_chars(vsdk_vm_char *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].path);
		free(c[i].host);
		free(c[i].service);
	}
	free(c);
}

VSDK_API void vsdk_vm_config_free(vsdk_vm_config *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->description);
	free(c->guest_os);
	free(c->controllers);
	for (size_t i = 0; i < c->n_disks; i++)
		free(c->disks[i].source);
	free(c->disks);
	for (size_t i = 0; i < c->n_nics; i++) {
		free(c->nics[i].network);
		free(c->nics[i].vnet);
	}
	free(c->nics);
	free_chars(c->serials, c->n_serials);
	free_chars(c->parallels, c->n_parallels);
	free(c->vnc.listen);
	free(c->vnc.keymap);
	vsdk__free_secret(c->vnc.password);
	free(c);
}

/* Grow an array by one zeroed element; returns it or NULL (error set). */
void *vsdk__vmx_grow(void **arr, size_t *n, size_t elsz)
{
	void *p = realloc(*arr, (*n + 1) * elsz);
	if (!p) {
		vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return NULL;
	}
	*arr = p;
	memset((char *)p + *n * elsz, 0, elsz);
	return (char *)p + (*n)++ * elsz;
}

static int dup_to(char **dst, const char *s)
{
	free(*dst);
	*dst = NULL;
	if (!s)
		return VSDK_OK;
	*dst = strdup(s);
	return *dst ? VSDK_OK : vsdk__error_set(VSDK_ENOMEM, "out of memory");
}

/* ---- shared helpers ----------------------------------------------------- */

int vsdk__vmx_uuid_parse(unsigned char uuid[16], const char *s)
{
	int n = 0, hi = -1;
	for (; *s; s++) {
		int v;
		if (*s == ' ' || *s == '-')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (n >= 16)
			return -1;
		if (hi < 0) {
			hi = v;
		} else {
			uuid[n++] = (unsigned char)(hi * 16 + v);
			hi = -1;
		}
	}
	return n == 16 && hi < 0 ? 0 : -1;
}

/* Strict decimal integer. */
int vsdk__vmx_int(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Lowercase "xx:xx:xx:xx:xx:xx" from any-case input; -1 when malformed. */
int vsdk__vmx_mac_norm(char out[18], const char *s)
{
	if (!s || strlen(s) != 17)
		return -1;
	for (int i = 0; i < 17; i++) {
		char c = s[i];
		if (i % 3 == 2) {
			if (c != ':')
				return -1;
			out[i] = ':';
		} else {
			if (!isxdigit((unsigned char)c))
				return -1;
			out[i] = (char)tolower((unsigned char)c);
		}
	}
	out[17] = '\0';
	return 0;
}

/* The addressType implied by a MAC's prefix; *check is false outside VMware's ranges. */
vsdk_vm_mac_type vsdk__vmx_mac_derive(const char *mac, bool *check)
{
	unsigned b[6];
	*check = true;
	if (sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		*check = false;
		return VSDK_VM_MAC_STATIC;
	}
	if (b[0] == 0x00 && b[1] == 0x0c && b[2] == 0x29)
		return VSDK_VM_MAC_GENERATED;
	if (b[0] == 0x00 && b[1] == 0x50 && b[2] == 0x56) {
		if (b[3] <= 0x3f)
			return VSDK_VM_MAC_STATIC;
		if (b[3] >= 0x80 && b[3] <= 0xbf)
			return VSDK_VM_MAC_VPX;
	}
	*check = false;
	return VSDK_VM_MAC_STATIC;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && vsdk__streq_ci(s + n - m, suffix);
}

/* ---- path mapping ------------------------------------------------------- */

VSDK_API int vsdk_vmx_path_default_to_xml(char **out, const char *path, void *payload)
{
	static const char pfx[] = "/vmfs/volumes/";
	(void)payload;
	*out = NULL;
	if (strncmp(path, pfx, sizeof(pfx) - 1) == 0) {
		const char *ds = path + sizeof(pfx) - 1;
		const char *slash = strchr(ds, '/');
		if (slash && slash > ds) {
			if (asprintf(out, "[%.*s] %s", (int)(slash - ds), ds, slash + 1) < 0) {
				*out = NULL;
				return vsdk__error_set(VSDK_ENOMEM, "out of memory");
			}
			return VSDK_OK;
		}
	}
	return dup_to(out, path);
}

VSDK_API int vsdk_vmx_path_default_to_vmx(char **out, const char *path, void *payload)
{
	(void)payload;
	*out = NULL;
	if (path[0] == '[') {
		const char *close = strchr(path, ']');
		if (!close || close == path + 1)
			return vsdk__error_set(VSDK_EINVALID, "datastore path '%.200s' has no closing ']'", path);
		const char *rest = close + 1;
		while (*rest == ' ')
			rest++;
		if (asprintf(out, "/vmfs/volumes/%.*s/%s", (int)(close - path - 1), path + 1, rest) < 0) {
			*out = NULL;
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		}
		return VSDK_OK;
	}
	return dup_to(out, path);
}

static int map_path(char **out, const char *path, vsdk_vmx_path_cb cb, const vsdk_vmx_options *o)
{
	*out = NULL;
	int rc = cb(out, path, o ? o->path_payload : NULL);
	if (rc == VSDK_OK && !*out)
		rc = vsdk__error_set(VSDK_EINTERNAL, "path callback returned no path for '%.200s'", path);
	return rc;
}

/* ---- hardware version --------------------------------------------------- */

static int min_hw(const vsdk_vm_config *c, const char **why)
{
	int v = 4;
	*why = "the default";
#define NEED(ver, reason) do { if ((ver) > v) { v = (ver); *why = (reason); } } while (0)
	if (c->vcpus > 128)
		NEED(17, "more than 128 vCPUs");
	else if (c->vcpus > 64)
		NEED(11, "more than 64 vCPUs");
	else if (c->vcpus > 32)
		NEED(9, "more than 32 vCPUs");
	else if (c->vcpus > 8)
		NEED(8, "more than 8 vCPUs");
	else if (c->vcpus > 4)
		NEED(7, "more than 4 vCPUs");
	if (c->vcpus > 1 && c->vcpus % 2)
		NEED(7, "an odd number of vCPUs");
	if (c->cores_per_socket > 1)
		NEED(7, "cpuid.coresPerSocket");
	uint64_t mb = c->memory_kib / 1024;
	if (mb > 4ull * 1024 * 1024)
		NEED(13, "more than 4 TiB of memory");
	else if (mb > 1024ull * 1024)
		NEED(11, "more than 1 TiB of memory");
	else if (mb > 255ull * 1024)
		NEED(8, "more than 255 GiB of memory");
	else if (mb > 64ull * 1024)
		NEED(7, "more than 64 GiB of memory");
	if (c->firmware == VSDK_VM_FIRMWARE_EFI)
		NEED(8, "EFI firmware");
	for (size_t i = 0; i < c->n_controllers; i++) {
		const vsdk_vm_controller *k = &c->controllers[i];
		if (k->bus == VSDK_VM_BUS_SATA)
			NEED(10, "a SATA controller");
		else if (k->bus == VSDK_VM_BUS_NVME)
			NEED(13, "an NVMe controller");
		else if (k->model == VSDK_VM_SCSI_PVSCSI)
			NEED(7, "the pvscsi controller");
		else if (k->model == VSDK_VM_SCSI_LSISAS1068)
			NEED(7, "the lsisas1068 controller");
	}
	for (size_t i = 0; i < c->n_disks; i++) {
		const vsdk_vm_disk *d = &c->disks[i];
		if (d->bus == VSDK_VM_BUS_SATA)
			NEED(10, "a SATA disk");
		else if (d->bus == VSDK_VM_BUS_NVME)
			NEED(13, "an NVMe disk");
		else if (d->bus == VSDK_VM_BUS_SCSI && d->unit > 15)
			NEED(13, "a SCSI unit above 15");
	}
	for (size_t i = 0; i < c->n_nics; i++) {
		const vsdk_vm_nic *n = &c->nics[i];
		if (n->model == VSDK_VM_NIC_VMXNET3)
			NEED(7, "a vmxnet3 NIC");
		else if (n->model == VSDK_VM_NIC_E1000E)
			NEED(8, "an e1000e NIC");
		if (n->index > 3)
			NEED(7, "more than 4 NICs (ethernet4 and above)");
	}
#undef NEED
	return v;
}

VSDK_API int vsdk_vm_config_min_hw(const vsdk_vm_config *cfg)
{
	const char *why;
	if (!cfg)
		return 4;
	return min_hw(cfg, &why);
}

/* ---- VMX -> model ------------------------------------------------------- */

enum { MAX_CTRL = 4, MAX_SCSI_UNIT = 65, MAX_SATA_UNIT = 30, MAX_NVME_UNIT = 15,
       MAX_NIC = 10, MAX_SERIAL = 4, MAX_PARALLEL = 3, MAX_FLOPPY = 2 };

typedef struct slots {
	bool ctrl[3][MAX_CTRL];                  /* scsi, sata, nvme */
	bool disk[4][MAX_CTRL][MAX_SCSI_UNIT];   /* scsi, sata, nvme, ide */
	bool floppy[MAX_FLOPPY], nic[MAX_NIC], serial[MAX_SERIAL], parallel[MAX_PARALLEL];
} slots;

typedef struct rd {
	const vsdk_vmx *vmx;
	const vsdk_vmx_options *o;
	vsdk_vmx_path_cb to_xml;
	char key[96];
} rd;

static const char *kget(rd *r, const char *fmt, ...) VSDK_PRINTF(2, 3);
static const char *kget(rd *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->key, sizeof(r->key), fmt, ap);
	va_end(ap);
	return vsdk_vmx_get(r->vmx, r->key);
}

/* Error about the key last looked up with kget (or named). */
static int kerr(rd *r, const char *key, const char *fmt, ...) VSDK_PRINTF(3, 4);
static int kerr(rd *r, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!key)
		key = r->key;
	return vsdk__vmx_parse_error(vsdk__vmx_line(r->vmx, key), "%s: %s", key, msg);
}

/* Boolean key: -1 absent, 0/1; -2 invalid (error set). */
static int kbool(rd *r, const char *fmt, ...) VSDK_PRINTF(2, 3);
static int kbool(rd *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->key, sizeof(r->key), fmt, ap);
	va_end(ap);
	const char *v = vsdk_vmx_get(r->vmx, r->key);
	if (!v)
		return -1;
	if (vsdk__streq_ci(v, "true"))
		return 1;
	if (vsdk__streq_ci(v, "false"))
		return 0;
	kerr(r, NULL, "'%.64s' is not a boolean (true or false)", v);
	return -2;
}

/* Integer key; 1 found, 0 absent, <0 error. unlimited_ok maps "unlimited" to -1. */
static int kint(rd *r, const char *key, int64_t *out, int64_t min, bool unlimited_ok)
{
	const char *v = vsdk_vmx_get(r->vmx, key);
	if (!v)
		return 0;
	snprintf(r->key, sizeof(r->key), "%s", key);
	if (unlimited_ok && vsdk__streq_ci(v, "unlimited")) {
		*out = VSDK_VM_UNLIMITED;
		return 1;
	}
	if (vsdk__vmx_int(v, out) || *out < min)
		return kerr(r, key, "'%.64s' is not an integer >= %" PRId64, v, min);
	return 1;
}

/* Parse "name<digits>[:<digits>]." at the start of key. */
static bool dev_prefix(const char *key, const char *name, int *a, int *b)
{
	size_t n = strlen(name);
	if (strncasecmp(key, name, n) != 0)
		return false;
	const char *p = key + n;
	if (!isdigit((unsigned char)*p))
		return false;
	*a = 0;
	while (isdigit((unsigned char)*p)) {
		*a = *a * 10 + (*p - '0');
		if (*a > 1000)
			return false;
		p++;
	}
	*b = -1;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		*b = 0;
		while (isdigit((unsigned char)*p)) {
			*b = *b * 10 + (*p - '0');
			if (*b > 1000)
				return false;
			p++;
		}
	}
	return *p == '.';
}

static int scan_slots(rd *r, slots *s)
{
	static const char *const buses[] = { "scsi", "sata", "nvme", "ide" };
	static const int units[] = { MAX_SCSI_UNIT, MAX_SATA_UNIT, MAX_NVME_UNIT, 2 };
	static const int ctrls[] = { MAX_CTRL, MAX_CTRL, MAX_CTRL, 2 };
	size_t n = vsdk_vmx_count(r->vmx);
	for (size_t i = 0; i < n; i++) {
		const char *k;
		int a, b;
		vsdk_vmx_entry(r->vmx, i, &k, NULL);
		for (int bi = 0; bi < 4; bi++) {
			if (!dev_prefix(k, buses[bi], &a, &b))
				continue;
			if (a >= ctrls[bi] || b >= units[bi])
				return kerr(r, k, "%s controller or unit number out of range", buses[bi]);
			if (b < 0) {
				if (bi < 3)
					s->ctrl[bi][a] = true;
			} else {
				s->disk[bi][a][b] = true;
			}
			goto next;
		}
		if (dev_prefix(k, "floppy", &a, &b) && b < 0) {
			if (a >= MAX_FLOPPY)
				return kerr(r, k, "floppy number out of range (0..%d)", MAX_FLOPPY - 1);
			s->floppy[a] = true;
		} else if (dev_prefix(k, "ethernet", &a, &b) && b < 0) {
			if (a >= MAX_NIC)
				return kerr(r, k, "ethernet number out of range (0..%d)", MAX_NIC - 1);
			s->nic[a] = true;
		} else if (dev_prefix(k, "serial", &a, &b) && b < 0) {
			if (a >= MAX_SERIAL)
				return kerr(r, k, "serial port number out of range (0..%d)", MAX_SERIAL - 1);
			s->serial[a] = true;
		} else if (dev_prefix(k, "parallel", &a, &b) && b < 0) {
			if (a >= MAX_PARALLEL)
				return kerr(r, k, "parallel port number out of range (0..%d)", MAX_PARALLEL - 1);
			s->parallel[a] = true;
		}
next:;
	}
	return VSDK_OK;
}

static int read_disk(rd *r, vsdk_vm_config *c, vsdk_vm_bus bus, const char *pfx, int ctrl, int unit)
{
	int b = kbool(r, "%s.present", pfx);
	if (b < -1)
		return VSDK_EPARSE;
	if (b != 1)
		return VSDK_OK;
	if (bus == VSDK_VM_BUS_SCSI && unit == 7)
		return kerr(r, NULL, "SCSI unit 7 is reserved for the controller");
	b = kbool(r, "%s.clientDevice", pfx);
	if (b < -1)
		return VSDK_EPARSE;
	if (b == 1)
		return VSDK_OK; /* the client's drive: nothing on the host to describe */
	const char *dt = kget(r, "%s.deviceType", pfx);
	char dtkey[96];
	snprintf(dtkey, sizeof(dtkey), "%s", r->key);
	const char *fn = kget(r, "%s.fileName", pfx);
	char fnkey[96];
	snprintf(fnkey, sizeof(fnkey), "%s", r->key);
	vsdk_vm_disk d = { .bus = bus, .controller = ctrl, .unit = unit };
	bool map = false;
	/* Without a deviceType, VMware treats the slot as a hard disk; we also
	 * take an .iso file for a CD-ROM image, as libvirt does. */
	if (dt ? vsdk__streq_ci(dt, "cdrom-image") : (fn && ends_with_ci(fn, ".iso"))) {
		d.device = VSDK_VM_CDROM;
		map = fn && *fn && !vsdk__streq_ci(fn, "emptyBackingString");
	} else if (dt && vsdk__streq_ci(dt, "atapi-cdrom")) {
		d.device = VSDK_VM_CDROM;
		d.type = VSDK_VM_SOURCE_BLOCK;
		if (fn && *fn && !vsdk__streq_ci(fn, "auto detect") && dup_to(&d.source, fn))
			return VSDK_ENOMEM;
	} else if (dt && vsdk__streq_ci(dt, "cdrom-raw")) {
		d.device = VSDK_VM_LUN;
		d.type = VSDK_VM_SOURCE_BLOCK;
		if (fn && *fn && dup_to(&d.source, fn))
			return VSDK_ENOMEM;
	} else if (!dt || vsdk__streq_ci(dt, "scsi-hardDisk") || vsdk__streq_ci(dt, "ata-hardDisk") ||
		   vsdk__streq_ci(dt, "disk")) {
		d.device = VSDK_VM_DISK;
		if (!fn || !*fn) {
			char pk[96];
			snprintf(pk, sizeof(pk), "%s.present", pfx);
			return kerr(r, fn ? fnkey : pk, "a hard disk needs a fileName");
		}
		map = true;
	} else {
		return kerr(r, dtkey, "unsupported deviceType '%.64s'", dt);
	}
	if (map) {
		int rc = map_path(&d.source, fn, r->to_xml, r->o);
		if (rc)
			return rc;
	}
	const char *mode = kget(r, "%s.mode", pfx);
	if (mode && vsdk__streq_ci(mode, "independent-nonpersistent"))
		d.transient = true;
	b = kbool(r, "%s.writeThrough", pfx);
	if (b < -1) {
		free(d.source);
		return VSDK_EPARSE;
	}
	d.writethrough = b == 1;
	vsdk_vm_disk *nd = vsdk__vmx_grow((void **)&c->disks, &c->n_disks, sizeof(*nd));
	if (!nd) {
		free(d.source);
		return VSDK_ENOMEM;
	}
	*nd = d;
	return VSDK_OK;
}

static int read_floppy(rd *r, vsdk_vm_config *c, int n)
{
	int b = kbool(r, "floppy%d.present", n);
	if (b < -1)
		return VSDK_EPARSE;
	if (b != 1)
		return VSDK_OK;
	b = kbool(r, "floppy%d.clientDevice", n);
	if (b < -1)
		return VSDK_EPARSE;
	if (b == 1)
		return VSDK_OK;
	const char *ft = kget(r, "floppy%d.fileType", n);
	char ftkey[96];
	snprintf(ftkey, sizeof(ftkey), "%s", r->key);
	const char *fn = kget(r, "floppy%d.fileName", n);
	vsdk_vm_disk d = { .device = VSDK_VM_FLOPPY, .bus = VSDK_VM_BUS_FDC, .unit = n };
	if (ft && vsdk__streq_ci(ft, "device")) {
		d.type = VSDK_VM_SOURCE_BLOCK;
		if (fn && *fn && dup_to(&d.source, fn))
			return VSDK_ENOMEM;
	} else if (!ft || vsdk__streq_ci(ft, "file")) {
		if (fn && *fn) {
			int rc = map_path(&d.source, fn, r->to_xml, r->o);
			if (rc)
				return rc;
		}
	} else {
		return kerr(r, ftkey, "unsupported fileType '%.64s' (file or device)", ft);
	}
	vsdk_vm_disk *nd = vsdk__vmx_grow((void **)&c->disks, &c->n_disks, sizeof(*nd));
	if (!nd) {
		free(d.source);
		return VSDK_ENOMEM;
	}
	*nd = d;
	return VSDK_OK;
}

static int read_nic(rd *r, vsdk_vm_config *c, int n)
{
	int b = kbool(r, "ethernet%d.present", n);
	if (b < -1)
		return VSDK_EPARSE;
	if (b != 1)
		return VSDK_OK;
	vsdk_vm_nic *nic = vsdk__vmx_grow((void **)&c->nics, &c->n_nics, sizeof(*nic));
	if (!nic)
		return VSDK_ENOMEM;
	nic->index = n;
	nic->check_mac = VSDK_VM_UNSET;
	const char *v = kget(r, "ethernet%d.virtualDev", n);
	if (v) {
		if (vsdk__streq_ci(v, "vlance"))
			nic->model = VSDK_VM_NIC_VLANCE;
		else if (vsdk__streq_ci(v, "vmxnet")) {
			const char *f = kget(r, "ethernet%d.features", n);
			nic->model = f && strcmp(f, "15") == 0 ? VSDK_VM_NIC_VMXNET2 : VSDK_VM_NIC_VMXNET;
		} else if (vsdk__streq_ci(v, "vmxnet3"))
			nic->model = VSDK_VM_NIC_VMXNET3;
		else if (vsdk__streq_ci(v, "e1000"))
			nic->model = VSDK_VM_NIC_E1000;
		else if (vsdk__streq_ci(v, "e1000e"))
			nic->model = VSDK_VM_NIC_E1000E;
		else
			return kerr(r, NULL, "unsupported NIC model '%.64s' (vlance, vmxnet, vmxnet3, e1000, e1000e)", v);
	}
	const char *net = kget(r, "ethernet%d.networkName", n);
	const char *ct = kget(r, "ethernet%d.connectionType", n);
	if (!ct || vsdk__streq_ci(ct, "bridged")) {
		nic->type = !ct && !net ? VSDK_VM_NET_NONE : VSDK_VM_NET_BRIDGED;
	} else if (vsdk__streq_ci(ct, "custom")) {
		nic->type = VSDK_VM_NET_CUSTOM;
		const char *vnet = kget(r, "ethernet%d.vnet", n);
		if (!vnet || !*vnet) {
			kget(r, "ethernet%d.connectionType", n);
			return kerr(r, NULL, "connectionType custom needs ethernet%d.vnet", n);
		}
		if (dup_to(&nic->vnet, vnet))
			return VSDK_ENOMEM;
	} else if (vsdk__streq_ci(ct, "nat")) {
		nic->type = VSDK_VM_NET_NAT;
	} else if (vsdk__streq_ci(ct, "hostonly")) {
		nic->type = VSDK_VM_NET_HOSTONLY;
	} else {
		kget(r, "ethernet%d.connectionType", n);
		return kerr(r, NULL, "unsupported connectionType '%.64s' (bridged, custom, nat, hostonly)", ct);
	}
	if (net && (nic->type == VSDK_VM_NET_BRIDGED || nic->type == VSDK_VM_NET_CUSTOM) && dup_to(&nic->network, net))
		return VSDK_ENOMEM;
	const char *at = kget(r, "ethernet%d.addressType", n);
	const char *addr = NULL;
	if (!at || vsdk__streq_ci(at, "generated") || vsdk__streq_ci(at, "vpx")) {
		nic->mac_type = at && vsdk__streq_ci(at, "vpx") ? VSDK_VM_MAC_VPX : VSDK_VM_MAC_GENERATED;
		addr = kget(r, "ethernet%d.generatedAddress", n);
		if (!addr)
			addr = kget(r, "ethernet%d.address", n);
	} else if (vsdk__streq_ci(at, "static")) {
		nic->mac_type = VSDK_VM_MAC_STATIC;
		addr = kget(r, "ethernet%d.address", n);
		if (!addr)
			addr = kget(r, "ethernet%d.generatedAddress", n);
	} else {
		kget(r, "ethernet%d.addressType", n);
		return kerr(r, NULL, "unsupported addressType '%.64s' (static, generated, vpx)", at);
	}
	if (addr && vsdk__vmx_mac_norm(nic->mac, addr))
		return kerr(r, NULL, "'%.64s' is not a MAC address", addr);
	if (!addr && !at)
		nic->mac_type = VSDK_VM_MAC_AUTO;
	b = kbool(r, "ethernet%d.checkMACAddress", n);
	if (b < -1)
		return VSDK_EPARSE;
	if (b >= 0)
		nic->check_mac = b;
	b = kbool(r, "ethernet%d.startConnected", n);
	if (b < -1)
		return VSDK_EPARSE;
	nic->disconnected = b == 0;
	return VSDK_OK;
}

static int parse_net_uri(rd *r, vsdk_vm_char *ch, const char *uri)
{
	const char *sep = strstr(uri, "://");
	if (!sep)
		return kerr(r, NULL, "'%.200s' is not a URI (scheme://host:port)", uri);
	size_t sl = (size_t)(sep - uri);
	if ((sl == 3 && strncasecmp(uri, "tcp", 3) == 0) || (sl == 4 && (strncasecmp(uri, "tcp4", 4) == 0 ||
								    strncasecmp(uri, "tcp6", 4) == 0)))
		ch->protocol = VSDK_VM_PROTO_RAW;
	else if (sl == 6 && strncasecmp(uri, "telnet", 6) == 0)
		ch->protocol = VSDK_VM_PROTO_TELNET;
	else if ((sl == 3 && strncasecmp(uri, "ssl", 3) == 0) || (sl == 7 && strncasecmp(uri, "tcp+ssl", 7) == 0) ||
		 (sl == 7 && strncasecmp(uri, "telnets", 7) == 0))
		ch->protocol = VSDK_VM_PROTO_TLS;
	else
		return kerr(r, NULL, "unsupported URI scheme in '%.200s' (tcp, telnet, ssl)", uri);
	const char *hp = sep + 3;
	const char *colon = strrchr(hp, ':');
	if (!colon || !colon[1])
		return kerr(r, NULL, "'%.200s' has no port", uri);
	size_t hl = (size_t)(colon - hp);
	if (strspn(colon + 1, "0123456789") != strlen(colon + 1) || strlen(colon + 1) > 5 ||
	    atoi(colon + 1) > 65535 || memchr(hp, '/', hl))
		return kerr(r, NULL, "'%.200s': the port must be a number and the host must not contain '/'", uri);
	ch->host = strndup(hp, hl);
	ch->service = strdup(colon + 1);
	if (!ch->host || !ch->service)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return VSDK_OK;
}

static int read_char(rd *r, vsdk_vm_config *c, const char *kind, int n, bool serial)
{
	int b = kbool(r, "%s%d.present", kind, n);
	if (b < -1)
		return VSDK_EPARSE;
	if (b != 1)
		return VSDK_OK;
	vsdk_vm_char *ch = serial ? vsdk__vmx_grow((void **)&c->serials, &c->n_serials, sizeof(*ch))
				  : vsdk__vmx_grow((void **)&c->parallels, &c->n_parallels, sizeof(*ch));
	if (!ch)
		return VSDK_ENOMEM;
	ch->index = n;
	const char *ft = kget(r, "%s%d.fileType", kind, n);
	char ftkey[96];
	snprintf(ftkey, sizeof(ftkey), "%s", r->key);
	const char *fn = kget(r, "%s%d.fileName", kind, n);
	if (!ft && !serial) {
		kget(r, "%s%d.present", kind, n);
		return kerr(r, NULL, "%s%d.fileType is missing (device or file)", kind, n);
	}
	if (!ft || vsdk__streq_ci(ft, "device")) {
		ch->type = VSDK_VM_CHAR_DEVICE;
	} else if (vsdk__streq_ci(ft, "file")) {
		ch->type = VSDK_VM_CHAR_FILE;
	} else if (serial && vsdk__streq_ci(ft, "pipe")) {
		ch->type = VSDK_VM_CHAR_PIPE;
		const char *ep = kget(r, "%s%d.pipe.endPoint", kind, n);
		ch->server = ep && vsdk__streq_ci(ep, "server");
	} else if (serial && vsdk__streq_ci(ft, "network")) {
		ch->type = VSDK_VM_CHAR_NETWORK;
		const char *ep = kget(r, "%s%d.network.endPoint", kind, n);
		ch->server = !ep || !vsdk__streq_ci(ep, "client");
	} else {
		return kerr(r, ftkey, "unsupported fileType '%.64s'", ft);
	}
	kget(r, "%s%d.fileName", kind, n);
	if (!fn || !*fn)
		return kerr(r, NULL, "missing or empty");
	if (ch->type == VSDK_VM_CHAR_NETWORK)
		return parse_net_uri(r, ch, fn);
	if (ch->type == VSDK_VM_CHAR_FILE)
		return map_path(&ch->path, fn, r->to_xml, r->o);
	return dup_to(&ch->path, fn);
}

/* "%25" "%2f" "%5c" -> '%' '/' '\' (the VI API's name escaping). */
static char *percent_decode(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	if (!o)
		return NULL;
	while (*s) {
		if (s[0] == '%' && s[1] && s[2]) {
			if (s[1] == '2' && s[2] == '5') { *p++ = '%'; s += 3; continue; }
			if (s[1] == '2' && (s[2] == 'f' || s[2] == 'F')) { *p++ = '/'; s += 3; continue; }
			if (s[1] == '5' && (s[2] == 'c' || s[2] == 'C')) { *p++ = '\\'; s += 3; continue; }
		}
		*p++ = *s++;
	}
	*p = '\0';
	return o;
}

static int from_vmx(vsdk_vm_config *c, rd *r)
{
	const vsdk_vmx *vmx = r->vmx;
	const char *v;
	int64_t i64;
	int rc, b;

	if ((v = vsdk_vmx_get(vmx, "config.version")) && strcmp(v, "8") != 0)
		return kerr(r, "config.version", "'%.32s' is not supported (must be 8)", v);
	if ((rc = kint(r, "virtualHW.version", &i64, 4, false)) < 0)
		return rc;
	if (rc) {
		if (i64 > 1000)
			return kerr(r, "virtualHW.version", "%" PRId64 " is out of range", i64);
		c->virtual_hw_version = (int)i64;
	}
	v = vsdk_vmx_get(vmx, "displayName");
	if (!v || !*v)
		return kerr(r, "displayName", "missing or empty (the domain needs a name)");
	if (!(c->name = percent_decode(v)))
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((v = vsdk_vmx_get(vmx, "uuid.bios"))) {
		if (vsdk__vmx_uuid_parse(c->uuid, v))
			return kerr(r, "uuid.bios", "'%.64s' is not a UUID", v);
		c->has_uuid = true;
	}
	if ((v = vsdk_vmx_get(vmx, "annotation")) && *v && dup_to(&c->description, v))
		return VSDK_ENOMEM;
	if ((v = vsdk_vmx_get(vmx, "guestOS"))) {
		if (!*v)
			return kerr(r, "guestOS", "empty");
		if (dup_to(&c->guest_os, v))
			return VSDK_ENOMEM;
		c->arch = ends_with_ci(v, "-64") ? VSDK_VM_ARCH_X86_64 : VSDK_VM_ARCH_I686;
	}
	if ((v = vsdk_vmx_get(vmx, "firmware"))) {
		if (vsdk__streq_ci(v, "efi"))
			c->firmware = VSDK_VM_FIRMWARE_EFI;
		else if (vsdk__streq_ci(v, "bios"))
			c->firmware = VSDK_VM_FIRMWARE_BIOS;
		else
			return kerr(r, "firmware", "'%.64s' is not supported (bios or efi)", v);
	}
	/* memory */
	int64_t memsize = 32;
	if ((rc = kint(r, "memsize", &memsize, 1, false)) < 0)
		return rc;
	if (memsize % 4)
		return kerr(r, "memsize", "%" PRId64 " MB is not a multiple of 4", memsize);
	c->memory_kib = (uint64_t)memsize * 1024;
	if ((rc = kint(r, "sched.mem.max", &i64, 0, true)) < 0)
		return rc;
	if (rc && i64 >= 0 && i64 < memsize)
		c->current_memory_kib = (uint64_t)i64 * 1024;
	if ((rc = kint(r, "sched.mem.minsize", &i64, 0, false)) < 0)
		return rc;
	if (rc)
		c->mem_min_kib = i64 * 1024;
	if ((v = vsdk_vmx_get(vmx, "sched.mem.shares"))) {
		if (vsdk__streq_ci(v, "low"))
			c->mem_shares = 5 * memsize;
		else if (vsdk__streq_ci(v, "normal"))
			c->mem_shares = 10 * memsize;
		else if (vsdk__streq_ci(v, "high"))
			c->mem_shares = 20 * memsize;
		else if ((rc = kint(r, "sched.mem.shares", &c->mem_shares, 0, false)) < 0)
			return kerr(r, "sched.mem.shares", "'%.64s' is not low, normal, high or a number", v);
	}
	/* CPU */
	i64 = 1;
	if ((rc = kint(r, "numvcpus", &i64, 1, false)) < 0)
		return rc;
	if (i64 > 4096)
		return kerr(r, "numvcpus", "%" PRId64 " is out of range", i64);
	c->vcpus = (unsigned)i64;
	if ((rc = kint(r, "cpuid.coresPerSocket", &i64, 1, false)) < 0)
		return rc;
	if (rc) {
		if (i64 > c->vcpus || c->vcpus % i64)
			return kerr(r, "cpuid.coresPerSocket", "%" PRId64 " does not divide numvcpus %u", i64, c->vcpus);
		c->cores_per_socket = (unsigned)i64;
	}
	if ((v = vsdk_vmx_get(vmx, "sched.cpu.shares"))) {
		if (vsdk__streq_ci(v, "low"))
			c->cpu_shares = 500 * (int64_t)c->vcpus;
		else if (vsdk__streq_ci(v, "normal"))
			c->cpu_shares = 1000 * (int64_t)c->vcpus;
		else if (vsdk__streq_ci(v, "high"))
			c->cpu_shares = 2000 * (int64_t)c->vcpus;
		else if (vsdk__vmx_int(v, &c->cpu_shares) || c->cpu_shares < 0)
			return kerr(r, "sched.cpu.shares", "'%.64s' is not low, normal, high or a number", v);
	}
	if ((v = vsdk_vmx_get(vmx, "sched.cpu.units")) && !vsdk__streq_ci(v, "mhz"))
		return kerr(r, "sched.cpu.units", "'%.64s' is not supported (mhz)", v);
	if ((rc = kint(r, "sched.cpu.min", &i64, 0, false)) < 0)
		return rc;
	if (rc)
		c->cpu_min_mhz = i64;
	if ((rc = kint(r, "sched.cpu.max", &i64, 0, true)) < 0)
		return rc;
	if (rc)
		c->cpu_max_mhz = i64;

	/* devices */
	slots *s = calloc(1, sizeof(*s));
	if (!s)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	rc = scan_slots(r, s);
	static const char *const bus_names[] = { "scsi", "sata", "nvme", "ide" };
	static const int units[] = { MAX_SCSI_UNIT, MAX_SATA_UNIT, MAX_NVME_UNIT, 2 };
	bool ctrl_present[3][MAX_CTRL] = { { false } };
	for (int bi = 0; bi < 3 && !rc; bi++) {
		for (int k = 0; k < MAX_CTRL && !rc; k++) {
			if (!s->ctrl[bi][k])
				continue;
			b = kbool(r, "%s%d.present", bus_names[bi], k);
			if (b < -1) {
				rc = VSDK_EPARSE;
				break;
			}
			if (b != 1)
				continue;
			ctrl_present[bi][k] = true;
			vsdk_vm_controller *ct = vsdk__vmx_grow((void **)&c->controllers, &c->n_controllers, sizeof(*ct));
			if (!ct) {
				rc = VSDK_ENOMEM;
				break;
			}
			ct->bus = (vsdk_vm_bus)bi;
			ct->index = k;
			if (bi == 0 && (v = kget(r, "scsi%d.virtualDev", k))) {
				if (vsdk__streq_ci(v, "buslogic"))
					ct->model = VSDK_VM_SCSI_BUSLOGIC;
				else if (vsdk__streq_ci(v, "lsilogic"))
					ct->model = VSDK_VM_SCSI_LSILOGIC;
				else if (vsdk__streq_ci(v, "lsisas1068"))
					ct->model = VSDK_VM_SCSI_LSISAS1068;
				else if (vsdk__streq_ci(v, "pvscsi"))
					ct->model = VSDK_VM_SCSI_PVSCSI;
				else
					rc = kerr(r, NULL, "unsupported SCSI controller '%.64s' (buslogic, lsilogic, lsisas1068, pvscsi)", v);
			}
		}
	}
	for (int bi = 0; bi < 4 && !rc; bi++) {
		for (int k = 0; k < MAX_CTRL && !rc; k++) {
			for (int u = 0; u < units[bi] && !rc; u++) {
				char pfx[32];
				if (!s->disk[bi][k][u])
					continue;
				snprintf(pfx, sizeof(pfx), "%s%d:%d", bus_names[bi], k, u);
				if (bi < 3 && !ctrl_present[bi][k]) {
					b = kbool(r, "%s.present", pfx);
					if (b == 1)
						rc = kerr(r, NULL, "the device is present but controller %s%d is not",
							  bus_names[bi], k);
					else if (b < -1)
						rc = VSDK_EPARSE;
					continue;
				}
				rc = read_disk(r, c, (vsdk_vm_bus)bi, pfx, k, u);
			}
		}
	}
	for (int k = 0; k < MAX_FLOPPY && !rc; k++)
		if (s->floppy[k])
			rc = read_floppy(r, c, k);
	for (int k = 0; k < MAX_NIC && !rc; k++)
		if (s->nic[k])
			rc = read_nic(r, c, k);
	for (int k = 0; k < MAX_SERIAL && !rc; k++)
		if (s->serial[k])
			rc = read_char(r, c, "serial", k, true);
	for (int k = 0; k < MAX_PARALLEL && !rc; k++)
		if (s->parallel[k])
			rc = read_char(r, c, "parallel", k, false);
	free(s);
	if (rc)
		return rc;

	/* VNC */
	b = kbool(r, "RemoteDisplay.vnc.enabled");
	if (b < -1)
		return VSDK_EPARSE;
	if (b == 1) {
		c->vnc.enabled = true;
		if ((rc = kint(r, "RemoteDisplay.vnc.port", &i64, 0, false)) < 0)
			return rc;
		if (rc) {
			if (i64 > 65535)
				return kerr(r, "RemoteDisplay.vnc.port", "%" PRId64 " is not a TCP port", i64);
			c->vnc.port = (int)i64;
		}
		if (dup_to(&c->vnc.listen, vsdk_vmx_get(vmx, "RemoteDisplay.vnc.ip")) ||
		    dup_to(&c->vnc.keymap, vsdk_vmx_get(vmx, "RemoteDisplay.vnc.keymap")) ||
		    dup_to(&c->vnc.password, vsdk_vmx_get(vmx, "RemoteDisplay.vnc.password")))
			return VSDK_ENOMEM;
	}
	if ((rc = kint(r, "svga.vramSize", &i64, 1, false)) < 0)
		return rc;
	if (rc) {
		if (i64 % 1024)
			return kerr(r, "svga.vramSize", "%" PRId64 " bytes is not a multiple of 1024", i64);
		c->video_vram_kib = i64 / 1024;
	}
	return VSDK_OK;
}

VSDK_API int vsdk_vm_config_from_vmx(vsdk_vm_config **out, const vsdk_vmx *vmx,
				     const vsdk_vmx_options *opts)
{
	vsdk_vm_config *c;
	if (!out || !vmx)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vm_config_from_vmx: %s is NULL", !out ? "out" : "vmx");
	*out = NULL;
	if (opts && opts->version != VSDK_VMX_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_options.version %u is not %d",
				       opts->version, VSDK_VMX_OPTIONS_VERSION);
	int rc = vsdk_vm_config_new(&c);
	if (rc)
		return rc;
	rd r = { .vmx = vmx, .o = opts,
		 .to_xml = opts && opts->path_to_xml ? opts->path_to_xml : vsdk_vmx_path_default_to_xml };
	rc = from_vmx(c, &r);
	if (rc) {
		vsdk_vm_config_free(c);
		return rc;
	}
	*out = c;
	return VSDK_OK;
}

/* ---- model -> VMX ------------------------------------------------------- */

typedef struct wr {
	vsdk_vmx *vmx;
	const vsdk_vmx_options *o;
	vsdk_vmx_path_cb to_vmx;
	int rc;
} wr;

static void put(wr *w, const char *key, const char *val)
{
	if (!w->rc)
		w->rc = vsdk_vmx_set(w->vmx, key, val);
}

static void putf(wr *w, const char *key, const char *fmt, ...) VSDK_PRINTF(3, 4);
static void putf(wr *w, const char *key, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(w, key, buf);
}

/* Device key: prefix + "." + name. */
static void dput(wr *w, const char *pfx, const char *name, const char *val)
{
	char key[96];
	snprintf(key, sizeof(key), "%s.%s", pfx, name);
	put(w, key, val);
}

static void dput_path(wr *w, const char *pfx, const char *name, const char *path)
{
	char *m = NULL;
	if (w->rc)
		return;
	w->rc = map_path(&m, path, w->to_vmx, w->o);
	if (!w->rc)
		dput(w, pfx, name, m);
	free(m);
}

static const char *bus_name(vsdk_vm_bus b)
{
	switch (b) {
	case VSDK_VM_BUS_SCSI: return "scsi";
	case VSDK_VM_BUS_SATA: return "sata";
	case VSDK_VM_BUS_NVME: return "nvme";
	case VSDK_VM_BUS_IDE: return "ide";
	case VSDK_VM_BUS_FDC: return "floppy";
	}
	return "?";
}

static int check_disk_slot(const vsdk_vm_disk *d, size_t i)
{
	static const int ctrls[] = { MAX_CTRL, MAX_CTRL, MAX_CTRL, 2, 1 };
	static const int units[] = { MAX_SCSI_UNIT, MAX_SATA_UNIT, MAX_NVME_UNIT, 2, MAX_FLOPPY };
	if ((unsigned)d->bus > VSDK_VM_BUS_FDC)
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: invalid bus %d", i, (int)d->bus);
	if (d->controller < 0 || d->controller >= ctrls[d->bus] || d->unit < 0 || d->unit >= units[d->bus])
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: %s controller %d unit %d is out of range",
				       i, bus_name(d->bus), d->controller, d->unit);
	if (d->bus == VSDK_VM_BUS_SCSI && d->unit == 7)
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: SCSI unit 7 is reserved for the controller", i);
	if ((d->device == VSDK_VM_FLOPPY) != (d->bus == VSDK_VM_BUS_FDC))
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: floppies (and only floppies) go on the fdc bus", i);
	if ((unsigned)d->device > VSDK_VM_LUN)
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: invalid device kind %d", i, (int)d->device);
	if (d->device == VSDK_VM_DISK && (!d->source || !*d->source))
		return vsdk__error_set(VSDK_EINVALID, "disk %zu (%s%d:%d): a hard disk needs a source file",
				       i, bus_name(d->bus), d->controller, d->unit);
	if (d->device == VSDK_VM_DISK && d->type != VSDK_VM_SOURCE_FILE)
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: only file-backed hard disks are supported", i);
	if (d->device == VSDK_VM_LUN && d->type != VSDK_VM_SOURCE_BLOCK)
		return vsdk__error_set(VSDK_EINVALID, "disk %zu: a lun needs a block (device) source", i);
	return VSDK_OK;
}

static int write_disk(wr *w, const vsdk_vm_disk *d)
{
	char pfx[32];
	if (d->bus == VSDK_VM_BUS_FDC) {
		snprintf(pfx, sizeof(pfx), "floppy%d", d->unit);
		dput(w, pfx, "present", "true");
		dput(w, pfx, "fileType", d->type == VSDK_VM_SOURCE_BLOCK ? "device" : "file");
		if (d->source) {
			if (d->type == VSDK_VM_SOURCE_BLOCK)
				dput(w, pfx, "fileName", d->source);
			else
				dput_path(w, pfx, "fileName", d->source);
		}
		return w->rc;
	}
	snprintf(pfx, sizeof(pfx), "%s%d:%d", bus_name(d->bus), d->controller, d->unit);
	dput(w, pfx, "present", "true");
	switch (d->device) {
	case VSDK_VM_DISK:
		if (d->bus == VSDK_VM_BUS_SCSI)
			dput(w, pfx, "deviceType", "scsi-hardDisk");
		else if (d->bus == VSDK_VM_BUS_IDE)
			dput(w, pfx, "deviceType", "ata-hardDisk");
		dput_path(w, pfx, "fileName", d->source);
		break;
	case VSDK_VM_CDROM:
		if (d->type == VSDK_VM_SOURCE_BLOCK) {
			dput(w, pfx, "deviceType", "atapi-cdrom");
			dput(w, pfx, "fileName", d->source ? d->source : "auto detect");
		} else {
			dput(w, pfx, "deviceType", "cdrom-image");
			if (d->source) {
				dput_path(w, pfx, "fileName", d->source);
			} else {
				dput(w, pfx, "fileName", "");
				dput(w, pfx, "startConnected", "false");
			}
		}
		break;
	case VSDK_VM_LUN:
		dput(w, pfx, "deviceType", "cdrom-raw");
		if (d->source)
			dput(w, pfx, "fileName", d->source);
		break;
	default:
		break;
	}
	if (d->transient)
		dput(w, pfx, "mode", "independent-nonpersistent");
	if (d->writethrough)
		dput(w, pfx, "writeThrough", "true");
	return w->rc;
}

static const char *nic_model_name(vsdk_vm_nic_model m)
{
	switch (m) {
	case VSDK_VM_NIC_VLANCE: return "vlance";
	case VSDK_VM_NIC_VMXNET: case VSDK_VM_NIC_VMXNET2: return "vmxnet";
	case VSDK_VM_NIC_VMXNET3: return "vmxnet3";
	case VSDK_VM_NIC_E1000: return "e1000";
	case VSDK_VM_NIC_E1000E: return "e1000e";
	default: return NULL;
	}
}

static int write_nic(wr *w, const vsdk_vm_nic *n, int hw)
{
	char pfx[32], mac[18], upper[18];
	int maxn = hw < 7 ? 3 : 9;
	if (n->index < 0 || n->index > maxn)
		return vsdk__error_set(VSDK_EINVALID, "interface %d: ethernet index out of range (0..%d for virtualHW.version %d)",
				       n->index, maxn, hw);
	snprintf(pfx, sizeof(pfx), "ethernet%d", n->index);
	dput(w, pfx, "present", "true");
	if ((unsigned)n->model > VSDK_VM_NIC_E1000E)
		return vsdk__error_set(VSDK_EINVALID, "interface %d: invalid model %d", n->index, (int)n->model);
	if (nic_model_name(n->model))
		dput(w, pfx, "virtualDev", nic_model_name(n->model));
	if (n->model == VSDK_VM_NIC_VMXNET2)
		dput(w, pfx, "features", "15");
	switch (n->type) {
	case VSDK_VM_NET_BRIDGED:
		if (n->network)
			dput(w, pfx, "networkName", n->network);
		dput(w, pfx, "connectionType", "bridged");
		break;
	case VSDK_VM_NET_CUSTOM:
		if (!n->vnet || !*n->vnet)
			return vsdk__error_set(VSDK_EINVALID, "interface %d: a custom interface needs a vnet (target dev)", n->index);
		if (n->network)
			dput(w, pfx, "networkName", n->network);
		dput(w, pfx, "connectionType", "custom");
		dput(w, pfx, "vnet", n->vnet);
		break;
	case VSDK_VM_NET_NAT:
		dput(w, pfx, "connectionType", "nat");
		break;
	case VSDK_VM_NET_HOSTONLY:
		dput(w, pfx, "connectionType", "hostonly");
		break;
	case VSDK_VM_NET_NONE:
		break;
	default:
		return vsdk__error_set(VSDK_EINVALID, "interface %d: invalid type %d", n->index, (int)n->type);
	}
	if (n->mac[0]) {
		if (vsdk__vmx_mac_norm(mac, n->mac))
			return vsdk__error_set(VSDK_EINVALID, "interface %d: '%.32s' is not a MAC address", n->index, n->mac);
	} else {
		unsigned char rnd[6] = { 0 };
		int rc = w->o && w->o->mac_generate ? w->o->mac_generate(rnd, w->o->mac_payload)
						    : (RAND_bytes(rnd, sizeof(rnd)) == 1 ? VSDK_OK : -1);
		if (rc)
			return vsdk__error_set(rc < 0 && rc != -1 ? rc : VSDK_EINTERNAL,
					       "interface %d: could not generate a MAC address", n->index);
		snprintf(mac, sizeof(mac), "00:0c:29:%02x:%02x:%02x", rnd[3], rnd[4], rnd[5]);
	}
	bool derived_check;
	vsdk_vm_mac_type t = vsdk__vmx_mac_derive(mac, &derived_check);
	if (n->mac_type != VSDK_VM_MAC_AUTO)
		t = n->mac_type;
	for (int i = 0; i < 18; i++)
		upper[i] = (char)toupper((unsigned char)mac[i]);
	switch (t) {
	case VSDK_VM_MAC_GENERATED:
		dput(w, pfx, "addressType", "generated");
		dput(w, pfx, "generatedAddress", upper);
		dput(w, pfx, "generatedAddressOffset", "0");
		break;
	case VSDK_VM_MAC_VPX:
		dput(w, pfx, "addressType", "vpx");
		dput(w, pfx, "generatedAddress", upper);
		break;
	default:
		dput(w, pfx, "addressType", "static");
		dput(w, pfx, "address", upper);
		break;
	}
	int check = n->check_mac == VSDK_VM_UNSET ? (derived_check ? -1 : 0) : n->check_mac;
	if (check >= 0)
		dput(w, pfx, "checkMACAddress", check ? "true" : "false");
	if (n->disconnected)
		dput(w, pfx, "startConnected", "false");
	return w->rc;
}

static int write_char(wr *w, const vsdk_vm_char *ch, bool serial)
{
	char pfx[32];
	const char *kind = serial ? "serial" : "parallel";
	int maxn = serial ? MAX_SERIAL : MAX_PARALLEL;
	if (ch->index < 0 || ch->index >= maxn)
		return vsdk__error_set(VSDK_EINVALID, "%s %d: index out of range (0..%d)", kind, ch->index, maxn - 1);
	snprintf(pfx, sizeof(pfx), "%s%d", kind, ch->index);
	if (!serial && ch->type != VSDK_VM_CHAR_DEVICE && ch->type != VSDK_VM_CHAR_FILE)
		return vsdk__error_set(VSDK_EINVALID, "parallel %d: only dev and file backings are supported", ch->index);
	if (ch->type != VSDK_VM_CHAR_NETWORK && (!ch->path || !*ch->path))
		return vsdk__error_set(VSDK_EINVALID, "%s %d: missing source path", kind, ch->index);
	dput(w, pfx, "present", "true");
	switch (ch->type) {
	case VSDK_VM_CHAR_DEVICE:
		dput(w, pfx, "fileType", "device");
		dput(w, pfx, "fileName", ch->path);
		break;
	case VSDK_VM_CHAR_FILE:
		dput(w, pfx, "fileType", "file");
		dput_path(w, pfx, "fileName", ch->path);
		break;
	case VSDK_VM_CHAR_PIPE:
		dput(w, pfx, "fileType", "pipe");
		dput(w, pfx, "fileName", ch->path);
		dput(w, pfx, "pipe.endPoint", ch->server ? "server" : "client");
		break;
	case VSDK_VM_CHAR_NETWORK: {
		static const char *const schemes[] = { "tcp", "telnet", "ssl" };
		if (!ch->service || !*ch->service)
			return vsdk__error_set(VSDK_EINVALID, "serial %d: a tcp port needs a service (port)", ch->index);
		if ((unsigned)ch->protocol > VSDK_VM_PROTO_TLS)
			return vsdk__error_set(VSDK_EINVALID, "serial %d: invalid protocol", ch->index);
		char *uri = NULL;
		if (asprintf(&uri, "%s://%s:%s", schemes[ch->protocol], ch->host ? ch->host : "", ch->service) < 0)
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		dput(w, pfx, "fileType", "network");
		dput(w, pfx, "fileName", uri);
		dput(w, pfx, "network.endPoint", ch->server ? "server" : "client");
		free(uri);
		break;
	}
	default:
		return vsdk__error_set(VSDK_EINVALID, "%s %d: invalid type %d", kind, ch->index, (int)ch->type);
	}
	if (serial)
		dput(w, pfx, "yieldOnMsrRead", "true");
	return w->rc;
}

static char *percent_encode(const char *s)
{
	char *o = malloc(strlen(s) * 3 + 1), *p = o;
	if (!o)
		return NULL;
	for (; *s; s++) {
		if (*s == '%') { memcpy(p, "%25", 3); p += 3; }
		else if (*s == '/') { memcpy(p, "%2f", 3); p += 3; }
		else if (*s == '\\') { memcpy(p, "%5c", 3); p += 3; }
		else *p++ = *s;
	}
	*p = '\0';
	return o;
}

static int to_vmx(wr *w, const vsdk_vm_config *c)
{
	const char *why;
	int need = min_hw(c, &why);
	int hw = c->virtual_hw_version ? c->virtual_hw_version
		: w->o && w->o->virtual_hw_version ? w->o->virtual_hw_version : need;
	char buf[128];

	if (!c->name || !*c->name)
		return vsdk__error_set(VSDK_EINVALID, "the VM has no name");
	if (hw < 4 || hw > 1000)
		return vsdk__error_set(VSDK_EINVALID, "virtualHW.version %d is not supported (4 or newer)", hw);
	if (hw == 4 && c->vcpus > 1 && c->vcpus % 2)
		return vsdk__error_set(VSDK_EINVALID, "%u vCPUs: virtualHW.version 4 (ESX 3.5) needs 1 or an even number", c->vcpus);
	if (hw < need)
		return vsdk__error_set(VSDK_EINVALID, "virtualHW.version %d is too old for %s (needs %d)", hw, why, need);
	if (c->memory_kib == 0 || c->memory_kib % 4096)
		return vsdk__error_set(VSDK_EINVALID, "memory %" PRIu64 " KiB is not a positive multiple of 4096 KiB",
				       c->memory_kib);
	if (c->current_memory_kib > c->memory_kib)
		return vsdk__error_set(VSDK_EINVALID, "currentMemory %" PRIu64 " KiB exceeds memory %" PRIu64 " KiB",
				       c->current_memory_kib, c->memory_kib);
	if (c->current_memory_kib % 1024)
		return vsdk__error_set(VSDK_EINVALID, "currentMemory %" PRIu64 " KiB is not a multiple of 1024 KiB",
				       c->current_memory_kib);
	if (c->mem_min_kib != VSDK_VM_UNSET && (c->mem_min_kib < 0 || c->mem_min_kib % 1024))
		return vsdk__error_set(VSDK_EINVALID, "memtune min_guarantee %" PRId64 " KiB is not a multiple of 1024 KiB",
				       c->mem_min_kib);
	if (c->vcpus < 1)
		return vsdk__error_set(VSDK_EINVALID, "vcpu count must be at least 1");
	if (hw == 4 && c->vcpus > 1 && c->vcpus % 2)
		return vsdk__error_set(VSDK_EINVALID, "%u vCPUs: virtualHW.version 4 (ESX 3.5) needs 1 or an even number", c->vcpus);
	if (c->cores_per_socket && c->vcpus % c->cores_per_socket)
		return vsdk__error_set(VSDK_EINVALID, "cpu topology: %u cores per socket do not divide %u vCPUs",
				       c->cores_per_socket, c->vcpus);
	if (c->guest_os) {
		bool is64 = ends_with_ci(c->guest_os, "-64");
		if (is64 != (c->arch == VSDK_VM_ARCH_X86_64))
			return vsdk__error_set(VSDK_EINVALID, "guestOS '%.64s' is a %s guest but the os arch is %s",
					       c->guest_os, is64 ? "64-bit" : "32-bit",
					       c->arch == VSDK_VM_ARCH_X86_64 ? "x86_64" : "i686");
		if (!*c->guest_os)
			return vsdk__error_set(VSDK_EINVALID, "guestOS is empty");
	}

	put(w, "config.version", "8");
	putf(w, "virtualHW.version", "%d", hw);
	put(w, "guestOS", c->guest_os ? c->guest_os : c->arch == VSDK_VM_ARCH_X86_64 ? "other-64" : "other");
	if (c->has_uuid) {
		const unsigned char *u = c->uuid;
		snprintf(buf, sizeof(buf),
			 "%02x %02x %02x %02x %02x %02x %02x %02x-%02x %02x %02x %02x %02x %02x %02x %02x",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
		put(w, "uuid.bios", buf);
	}
	char *dn = percent_encode(c->name);
	if (!dn)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	put(w, "displayName", dn);
	free(dn);
	if (c->description)
		put(w, "annotation", c->description);
	if (c->firmware == VSDK_VM_FIRMWARE_EFI)
		put(w, "firmware", "efi");
	else if (c->firmware == VSDK_VM_FIRMWARE_BIOS)
		put(w, "firmware", "bios");
	uint64_t mb = c->memory_kib / 1024;
	putf(w, "memsize", "%" PRIu64, mb);
	if (c->current_memory_kib && c->current_memory_kib < c->memory_kib)
		putf(w, "sched.mem.max", "%" PRIu64, c->current_memory_kib / 1024);
	if (c->mem_min_kib != VSDK_VM_UNSET)
		putf(w, "sched.mem.minsize", "%" PRId64, c->mem_min_kib / 1024);
	if (c->mem_shares != VSDK_VM_UNSET) {
		if (c->mem_shares < 0)
			return vsdk__error_set(VSDK_EINVALID, "memory shares must be >= 0");
		if ((uint64_t)c->mem_shares == 5 * mb)
			put(w, "sched.mem.shares", "low");
		else if ((uint64_t)c->mem_shares == 10 * mb)
			put(w, "sched.mem.shares", "normal");
		else if ((uint64_t)c->mem_shares == 20 * mb)
			put(w, "sched.mem.shares", "high");
		else
			putf(w, "sched.mem.shares", "%" PRId64, c->mem_shares);
	}
	putf(w, "numvcpus", "%u", c->vcpus);
	if (c->cores_per_socket)
		putf(w, "cpuid.coresPerSocket", "%u", c->cores_per_socket);
	if (c->cpu_min_mhz != VSDK_VM_UNSET) {
		if (c->cpu_min_mhz < 0)
			return vsdk__error_set(VSDK_EINVALID, "CPU reservation must be >= 0 MHz");
		putf(w, "sched.cpu.min", "%" PRId64, c->cpu_min_mhz);
	}
	if (c->cpu_max_mhz != VSDK_VM_UNSET) {
		if (c->cpu_max_mhz < VSDK_VM_UNLIMITED)
			return vsdk__error_set(VSDK_EINVALID, "CPU limit must be >= 0 MHz or unlimited");
		if (c->cpu_min_mhz >= 0 && c->cpu_max_mhz >= 0 && c->cpu_max_mhz < c->cpu_min_mhz)
			return vsdk__error_set(VSDK_EINVALID, "CPU limit %" PRId64 " MHz is below the reservation %" PRId64 " MHz",
					       c->cpu_max_mhz, c->cpu_min_mhz);
		if (c->cpu_max_mhz == VSDK_VM_UNLIMITED)
			put(w, "sched.cpu.max", "unlimited");
		else
			putf(w, "sched.cpu.max", "%" PRId64, c->cpu_max_mhz);
	}
	if (c->cpu_shares != VSDK_VM_UNSET) {
		int64_t n = c->vcpus;
		if (c->cpu_shares < 0)
			return vsdk__error_set(VSDK_EINVALID, "cputune shares must be >= 0");
		if (c->cpu_shares == 500 * n)
			put(w, "sched.cpu.shares", "low");
		else if (c->cpu_shares == 1000 * n)
			put(w, "sched.cpu.shares", "normal");
		else if (c->cpu_shares == 2000 * n)
			put(w, "sched.cpu.shares", "high");
		else
			putf(w, "sched.cpu.shares", "%" PRId64, c->cpu_shares);
	}
	if (w->rc)
		return w->rc;

	/* Controllers: declared ones, plus implicit ones that disks use. */
	bool ctrl_done[3][MAX_CTRL] = { { false } };
	for (size_t i = 0; i < c->n_controllers; i++) {
		const vsdk_vm_controller *k = &c->controllers[i];
		if ((unsigned)k->bus > VSDK_VM_BUS_NVME || k->index < 0 || k->index >= MAX_CTRL)
			return vsdk__error_set(VSDK_EINVALID, "controller %zu: invalid bus or index %d", i, k->index);
		if (ctrl_done[k->bus][k->index])
			return vsdk__error_set(VSDK_EINVALID, "controller %s%d is declared twice", bus_name(k->bus), k->index);
		if (k->bus != VSDK_VM_BUS_SCSI && k->model != VSDK_VM_SCSI_DEFAULT)
			return vsdk__error_set(VSDK_EINVALID, "controller %s%d: only SCSI controllers have a model",
					       bus_name(k->bus), k->index);
		ctrl_done[k->bus][k->index] = true;
	}
	for (size_t i = 0; i < c->n_disks; i++) {
		int rc = check_disk_slot(&c->disks[i], i);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (c->disks[j].bus == c->disks[i].bus && c->disks[j].controller == c->disks[i].controller &&
			    c->disks[j].unit == c->disks[i].unit)
				return vsdk__error_set(VSDK_EINVALID, "disks %zu and %zu both use %s%d:%d", j, i,
						       bus_name(c->disks[i].bus), c->disks[i].controller, c->disks[i].unit);
	}
	static const char *const scsi_models[] = { NULL, "buslogic", "lsilogic", "lsisas1068", "pvscsi" };
	for (int bi = 0; bi < 3; bi++) {
		for (int k = 0; k < MAX_CTRL; k++) {
			const vsdk_vm_controller *decl = NULL;
			bool used = false;
			for (size_t i = 0; i < c->n_controllers; i++)
				if ((int)c->controllers[i].bus == bi && c->controllers[i].index == k)
					decl = &c->controllers[i];
			for (size_t i = 0; i < c->n_disks; i++)
				if ((int)c->disks[i].bus == bi && c->disks[i].controller == k)
					used = true;
			if (!decl && !used)
				continue;
			char pfx[16];
			snprintf(pfx, sizeof(pfx), "%s%d", bus_name((vsdk_vm_bus)bi), k);
			dput(w, pfx, "present", "true");
			if (decl && bi == 0) {
				if ((unsigned)decl->model > VSDK_VM_SCSI_PVSCSI)
					return vsdk__error_set(VSDK_EINVALID, "controller scsi%d: invalid model", k);
				if (scsi_models[decl->model])
					dput(w, pfx, "virtualDev", scsi_models[decl->model]);
			}
		}
	}
	/* Devices in a canonical order (bus, controller, unit; then index), the
	 * order the VMX reader produces, so that round trips are stable. */
	for (int bi = 0; bi <= VSDK_VM_BUS_FDC && !w->rc; bi++)
		for (int k = 0; k < MAX_CTRL && !w->rc; k++)
			for (int u = 0; u < MAX_SCSI_UNIT && !w->rc; u++)
				for (size_t i = 0; i < c->n_disks; i++)
					if ((int)c->disks[i].bus == bi && c->disks[i].controller == k && c->disks[i].unit == u)
						write_disk(w, &c->disks[i]);
	for (size_t i = 0; i < c->n_nics; i++)
		for (size_t j = 0; j < i; j++)
			if (c->nics[j].index == c->nics[i].index)
				return vsdk__error_set(VSDK_EINVALID, "two interfaces use ethernet%d", c->nics[i].index);
	for (size_t i = 0; i < c->n_serials; i++)
		for (size_t j = 0; j < i; j++)
			if (c->serials[j].index == c->serials[i].index)
				return vsdk__error_set(VSDK_EINVALID, "two serial ports use serial%d", c->serials[i].index);
	for (size_t i = 0; i < c->n_parallels; i++)
		for (size_t j = 0; j < i; j++)
			if (c->parallels[j].index == c->parallels[i].index)
				return vsdk__error_set(VSDK_EINVALID, "two parallel ports use parallel%d", c->parallels[i].index);
	for (size_t i = 0; i < c->n_nics; i++)
		if (c->nics[i].index < 0 || c->nics[i].index >= MAX_NIC)
			return vsdk__error_set(VSDK_EINVALID, "interface %zu: ethernet index %d out of range (0..%d)",
					       i, c->nics[i].index, MAX_NIC - 1);
	for (int k = 0; k < MAX_NIC && !w->rc; k++)
		for (size_t i = 0; i < c->n_nics; i++)
			if (c->nics[i].index == k)
				write_nic(w, &c->nics[i], hw);
	for (size_t i = 0; i < c->n_serials && !w->rc; i++)
		if (c->serials[i].index < 0 || c->serials[i].index >= MAX_SERIAL)
			write_char(w, &c->serials[i], true); /* reports the range error */
	for (int k = 0; k < MAX_SERIAL && !w->rc; k++)
		for (size_t i = 0; i < c->n_serials; i++)
			if (c->serials[i].index == k)
				write_char(w, &c->serials[i], true);
	for (size_t i = 0; i < c->n_parallels && !w->rc; i++)
		if (c->parallels[i].index < 0 || c->parallels[i].index >= MAX_PARALLEL)
			write_char(w, &c->parallels[i], false);
	for (int k = 0; k < MAX_PARALLEL && !w->rc; k++)
		for (size_t i = 0; i < c->n_parallels; i++)
			if (c->parallels[i].index == k)
				write_char(w, &c->parallels[i], false);
	if (w->rc)
		return w->rc;
	if (c->vnc.enabled) {
		put(w, "RemoteDisplay.vnc.enabled", "true");
		if (c->vnc.port != VSDK_VM_UNSET) {
			if (c->vnc.port < 0 || c->vnc.port > 65535)
				return vsdk__error_set(VSDK_EINVALID, "graphics vnc port %d is not a TCP port", c->vnc.port);
			putf(w, "RemoteDisplay.vnc.port", "%d", c->vnc.port);
		}
		if (c->vnc.listen)
			put(w, "RemoteDisplay.vnc.ip", c->vnc.listen);
		if (c->vnc.keymap)
			put(w, "RemoteDisplay.vnc.keymap", c->vnc.keymap);
		if (c->vnc.password)
			put(w, "RemoteDisplay.vnc.password", c->vnc.password);
	}
	if (c->video_vram_kib != VSDK_VM_UNSET) {
		if (c->video_vram_kib <= 0)
			return vsdk__error_set(VSDK_EINVALID, "video vram must be positive");
		putf(w, "svga.vramSize", "%" PRId64, c->video_vram_kib * 1024);
	}
	/* From virtualHW 7 on, devices sit behind PCIe root ports (as ESX and
	 * libvirt write them); the reader ignores these keys. */
	if (hw >= 7) {
		put(w, "pciBridge0.present", "true");
		for (int i = 4; i <= 7; i++) {
			char pfx[16];
			snprintf(pfx, sizeof(pfx), "pciBridge%d", i);
			dput(w, pfx, "present", "true");
			dput(w, pfx, "virtualDev", "pcieRootPort");
			dput(w, pfx, "functions", "8");
		}
		put(w, "vmci0.present", "true");
	}
	return w->rc;
}

VSDK_API int vsdk_vm_config_to_vmx(vsdk_vmx **out, const vsdk_vm_config *cfg,
				   const vsdk_vmx_options *opts)
{
	if (!out || !cfg)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vm_config_to_vmx: %s is NULL", !out ? "out" : "cfg");
	*out = NULL;
	if (opts && opts->version != VSDK_VMX_OPTIONS_VERSION)
		return vsdk__error_set(VSDK_EINVALID, "vsdk_vmx_options.version %u is not %d",
				       opts->version, VSDK_VMX_OPTIONS_VERSION);
	wr w = { .o = opts, .to_vmx = opts && opts->path_to_vmx ? opts->path_to_vmx : vsdk_vmx_path_default_to_vmx };
	int rc = vsdk_vmx_new(&w.vmx);
	if (rc)
		return rc;
	rc = to_vmx(&w, cfg);
	if (rc) {
		vsdk_vmx_free(w.vmx);
		return rc;
	}
	*out = w.vmx;
	return VSDK_OK;
}
