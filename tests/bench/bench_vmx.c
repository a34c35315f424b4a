/*
 * bench_vmx - VMX parse+emit files/s per core, and domain XML -> VMX conversions/s.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each figure is the median of 5 runs of about 0.5 s of this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so it is a per-core rate even on a busy machine.
 */
#define _GNU_SOURCE
#include "vsdk/vmx.h"
#include "bench_tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 5

/* A VMX shaped like one ESXi writes for a small Linux VM (~90 lines). */
static char *sample_vmx(void)
{
	static const char *const head[] = {
		".encoding = \"UTF-8\"", "config.version = \"8\"", "virtualHW.version = \"13\"",
		"vmci0.present = \"TRUE\"", "floppy0.present = \"FALSE\"", "numvcpus = \"4\"",
		"cpuid.coresPerSocket = \"2\"", "memSize = \"8192\"", "bios.bootRetry.delay = \"10\"",
		"sched.cpu.units = \"mhz\"", "sched.cpu.shares = \"normal\"", "sched.cpu.min = \"0\"",
		"sched.mem.shares = \"normal\"", "sched.mem.minsize = \"0\"", "powerType.suspend = \"soft\"",
		"tools.upgrade.policy = \"manual\"", "scsi0.virtualDev = \"pvscsi\"", "scsi0.present = \"TRUE\"",
		"sata0.present = \"TRUE\"", "scsi0:0.deviceType = \"scsi-hardDisk\"",
		"scsi0:0.fileName = \"web01.vmdk\"", "sched.scsi0:0.shares = \"normal\"",
		"sched.scsi0:0.throughputCap = \"off\"", "scsi0:0.present = \"TRUE\"",
		"scsi0:1.deviceType = \"scsi-hardDisk\"", "scsi0:1.fileName = \"web01_1.vmdk\"",
		"scsi0:1.present = \"TRUE\"", "ethernet0.virtualDev = \"vmxnet3\"",
		"ethernet0.networkName = \"VM Network\"", "ethernet0.addressType = \"vpx\"",
		"ethernet0.generatedAddress = \"00:50:56:9a:12:34\"", "ethernet0.uptCompatibility = \"TRUE\"",
		"ethernet0.present = \"TRUE\"", "sata0:0.deviceType = \"cdrom-image\"",
		"sata0:0.fileName = \"/vmfs/volumes/5f1e2d3c-4b5a6978-1234-0050569a1234/iso/debian-12.iso\"",
		"sata0:0.present = \"TRUE\"", "displayName = \"web01\"", "guestOS = \"debian10-64\"",
		"toolScripts.afterPowerOn = \"TRUE\"", "toolScripts.afterResume = \"TRUE\"",
		"toolScripts.beforeSuspend = \"TRUE\"", "toolScripts.beforePowerOff = \"TRUE\"",
		"tools.syncTime = \"FALSE\"", "uuid.bios = \"42 1a 5b 6c 7d 8e 9f a0-b1 c2 d3 e4 f5 06 17 28\"",
		"vc.uuid = \"50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8\"",
		"annotation = \"Web server |22frontend|22|0Aowner: ops|7Cweb\"",
		"sched.cpu.latencySensitivity = \"normal\"", "svga.present = \"TRUE\"",
		"svga.vramSize = \"8388608\"", "pciBridge0.present = \"TRUE\"",
		"pciBridge4.present = \"TRUE\"", "pciBridge4.virtualDev = \"pcieRootPort\"",
		"pciBridge4.functions = \"8\"", "pciBridge5.present = \"TRUE\"",
		"pciBridge5.virtualDev = \"pcieRootPort\"", "pciBridge5.functions = \"8\"",
		"pciBridge6.present = \"TRUE\"", "pciBridge6.virtualDev = \"pcieRootPort\"",
		"pciBridge6.functions = \"8\"", "pciBridge7.present = \"TRUE\"",
		"pciBridge7.virtualDev = \"pcieRootPort\"", "pciBridge7.functions = \"8\"",
		"hpet0.present = \"TRUE\"", "nvram = \"web01.nvram\"", "extendedConfigFile = \"web01.vmxf\"",
		"virtualHW.productCompatibility = \"hosted\"", "sched.swap.derivedName = \"/vmfs/volumes/5f1e2d3c-4b5a6978-1234-0050569a1234/web01/web01-8a7b6c5d.vswp\"",
		"uuid.location = \"56 4d 11 22 33 44 55 66-77 88 99 aa bb cc dd ee\"",
		"replay.supported = \"FALSE\"", "scsi0:0.redo = \"\"", "scsi0:1.redo = \"\"",
		"pciBridge0.pciSlotNumber = \"17\"", "pciBridge4.pciSlotNumber = \"21\"",
		"pciBridge5.pciSlotNumber = \"22\"", "pciBridge6.pciSlotNumber = \"23\"",
		"pciBridge7.pciSlotNumber = \"24\"", "scsi0.pciSlotNumber = \"160\"",
		"ethernet0.pciSlotNumber = \"192\"", "vmci0.pciSlotNumber = \"32\"",
		"sata0.pciSlotNumber = \"33\"", "scsi0.sasWWID = \"50 05 05 6a 1b 2c 3d 40\"",
		"ethernet0.generatedAddressOffset = \"0\"", "vmci0.id = \"-1795425148\"",
		"monitor.phys_bits_used = \"43\"", "vmotion.checkpointFBSize = \"4194304\"",
		"cleanShutdown = \"TRUE\"", "softPowerOff = \"FALSE\"", "tools.remindInstall = \"FALSE\"",
		"migrate.hostLog = \"web01-1a2b3c4d.hlog\"", "RemoteDisplay.vnc.enabled = \"FALSE\"",
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		n += strlen(head[i]) + 1;
	char *s = malloc(n + 1), *p = s;
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		p += sprintf(p, "%s\n", head[i]);
	return s;
}

static const char sample_xml[] =
	"<domain type='vmware'>\n"
	"  <name>web01</name>\n"
	"  <uuid>421a5b6c-7d8e-9fa0-b1c2-d3e4f5061728</uuid>\n"
	"  <description>Web server \"frontend\"\nowner: ops|web</description>\n"
	"  <metadata><vmx:vmware xmlns:vmx='urn:vsdk:vmx:1'><vmx:guestOS>debian10-64</vmx:guestOS>"
	"<vmx:virtualHW>13</vmx:virtualHW></vmx:vmware></metadata>\n"
	"  <memory unit='MiB'>8192</memory>\n"
	"  <vcpu>4</vcpu>\n"
	"  <cputune><shares>4000</shares></cputune>\n"
	"  <os firmware='efi'><type arch='x86_64'>hvm</type></os>\n"
	"  <cpu><topology sockets='2' cores='2' threads='1'/></cpu>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'><source file='[ds1] web01/web01.vmdk'/><target dev='sda' bus='scsi'/></disk>\n"
	"    <disk type='file' device='disk'><source file='[ds1] web01/web01_1.vmdk'/><target dev='sdb' bus='scsi'/></disk>\n"
	"    <disk type='file' device='cdrom'><source file='[iso] debian-12.iso'/><target dev='sda' bus='sata'/></disk>\n"
	"    <controller type='scsi' index='0' model='vmpvscsi'/>\n"
	"    <controller type='sata' index='0'/>\n"
	"    <interface type='bridge'><mac address='00:50:56:9a:12:34'/><source bridge='VM Network'/><model type='vmxnet3'/></interface>\n"
	"    <interface type='bridge'><mac address='00:50:56:9a:12:35'/><source bridge='Backup'/><model type='vmxnet3'/></interface>\n"
	"    <serial type='file'><source path='[ds1] web01/serial.log'/><target port='0'/></serial>\n"
	"    <graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>\n"
	"    <video><model type='vmvga' vram='8192' heads='1'/></video>\n"
	"  </devices>\n"
	"</domain>\n";

/* Thread CPU time: "per core" figures do not depend on what else the machine runs. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef int (*op_fn)(const void *arg);

static int op_parse_emit(const void *arg)
{
	const char *text = arg;
	vsdk_vmx *v;
	char *out;
	if (vsdk_vmx_parse(&v, text, strlen(text), 0))
		return -1;
	if (vsdk_vmx_format(&out, v)) {
		vsdk_vmx_free(v);
		return -1;
	}
	free(out);
	vsdk_vmx_free(v);
	return 0;
}

static int op_xml_to_vmx(const void *arg)
{
	char *out;
	if (vsdk_vmx_from_domain_xml(&out, arg, NULL))
		return -1;
	free(out);
	return 0;
}

static int op_vmx_to_xml(const void *arg)
{
	const char *text = arg;
	char *out;
	if (vsdk_vmx_to_domain_xml(&out, text, strlen(text), NULL))
		return -1;
	free(out);
	return 0;
}

/* Min and max of the last measure(), for the TSV line. */
static double last_min, last_max;

/* Median operations per second over RUNS runs of ~0.5 s. */
static double measure(op_fn fn, const void *arg)
{
	double rates[RUNS];
	for (int r = 0; r < RUNS; r++) {
		long n = 0;
		double t0 = now_s(), t;
		do {
			for (int i = 0; i < 200; i++, n++)
				if (fn(arg)) {
					fprintf(stderr, "bench_vmx: operation failed: %s\n", vsdk_error_last()->message);
					exit(1);
				}
			t = now_s() - t0;
		} while (t < 0.5);
		rates[r] = (double)n / t;
	}
	qsort(rates, RUNS, sizeof(rates[0]), cmp_double);
	last_min = rates[0];
	last_max = rates[RUNS - 1];
	return rates[RUNS / 2];
}

int main(void)
{
	char *vmx = sample_vmx();
	size_t lines = 0;
	for (const char *p = vmx; *p; p++)
		lines += *p == '\n';
	char name[128];
	double pe = measure(op_parse_emit, vmx);
	snprintf(name, sizeof(name), "VMX parse+emit (%zu-line ESXi-style file, 1 thread)", lines);
	bench_tsv("vmx", name, "throughput", pe, last_min, last_max, "files/s", "target (issue)", 50000);
	double xv = measure(op_xml_to_vmx, sample_xml);
	bench_tsv("vmx", "domain XML -> VMX (2 disks, cdrom, 2 NICs, serial, VNC)", "throughput", xv, last_min, last_max,
		  "conversions/s", NULL, 0);
	double vx = measure(op_vmx_to_xml, vmx);
	snprintf(name, sizeof(name), "VMX -> domain XML (%zu-line file)", lines);
	bench_tsv("vmx", name, "throughput", vx, last_min, last_max, "conversions/s", NULL, 0);
	printf("bench_vmx (median of %d runs, 1 thread)\n", RUNS);
	printf("  VMX parse+emit (%zu-line ESXi-style file): %10.0f files/s per core (target >= 50000)\n", lines, pe);
	printf("  domain XML -> VMX (2 disks, cdrom, 2 NICs, serial, VNC): %10.0f conversions/s\n", xv);
	printf("  VMX -> domain XML (same %zu-line file):   %10.0f conversions/s\n", lines, vx);
	free(vmx);
	return pe >= 50000 ? 0 : 1;
}
