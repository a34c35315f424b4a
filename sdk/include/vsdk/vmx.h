/*
 * vsdk - VMware VMX files: syntax, a C model of a VM, and conversion to and
 * from libvirt's domain XML (type='vmware').
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/vmx.h
 * @brief Read and write VMX files; convert VMX <-> domain XML via vsdk_vm_config.
 *
 * Three layers, none of which touches the network:
 *
 * 1. **Syntax** (vsdk_vmx): an ordered list of `key = "value"` entries.
 *    - Keys: `[A-Za-z.][A-Za-z0-9_.:-]*`, looked up case-insensitively.
 *    - Values are always double-quoted.  Inside a value, `|XX` (two hex digits,
 *      either case) stands for one byte; VMware uses it for `"`, `|`, `#`,
 *      control characters and sometimes non-ASCII bytes.  The reader decodes
 *      every `|XX`; `|00` is rejected (values are C strings).
 *    - The writer escapes `"`, `|`, `#` and every byte below 0x20 or equal to
 *      0x7f (uppercase hex, as VMware does) in **every** value, so no value can
 *      end its line or start a new key.  Non-ASCII text is written as UTF-8.
 *    - Lines starting with `#` (after blanks) are comments; a `#` after the
 *      closing quote starts a trailing comment.  Blank lines are ignored.
 *      LF and CRLF line ends are accepted.
 *    - `.encoding`: when present and not UTF-8 (e.g. "windows-1252",
 *      "Shift_JIS"), every value is converted to UTF-8 with iconv(3) after
 *      its `|XX` escapes are decoded (they stand for bytes of that
 *      encoding), and the stored `.encoding` becomes "UTF-8".  The writer
 *      always emits `.encoding = "UTF-8"` as its first line.
 *    - After decoding, every value must be valid UTF-8.
 *    - **Duplicate keys** (compared case-insensitively) are an error
 *      (#VSDK_EPARSE naming both lines) by default: a later line silently
 *      shadowing an earlier one is how a hand-edited or hostile file hides a
 *      setting.  #VSDK_VMX_PARSE_DUPLICATE_LAST accepts them and keeps the
 *      last value (the later line overrides, in the position of the first).
 *    - Parse errors are #VSDK_EPARSE; vsdk_error_last()->line holds the
 *      1-based line number.
 *
 * 2. **Model** (vsdk_vm_config): a plain C description of a VM: identity,
 *    memory, CPUs and scheduling, firmware, disks, controllers, NICs, serial
 *    and parallel ports, VNC graphics and video.  Both converters go through
 *    it, and it can later be turned into a VirtualMachineConfigSpec.
 *
 * 3. **Conversion**: VMX -> model -> domain XML and back.  Rules (the ones
 *    from libvirt's ESX driver documentation, and where we differ):
 *    - memory must be a multiple of 4096 KiB (error, not rounded);
 *    - the "vCPUs must be 1 or a multiple of 2" rule applies **only** to
 *      virtualHW.version 4 (ESX 3.5); later hardware versions accept any
 *      count.  With an automatic version choice an odd count above 1 selects
 *      version 7;
 *    - MAC addresses: 00:50:56:00..3f:xx:xx is "static", 00:50:56:80..bf:xx:xx
 *      is "vpx", 00:0c:29:xx:xx:xx is "generated"; any other MAC is written
 *      as static with `ethernetN.checkMACAddress = "false"`.  An interface
 *      without a MAC gets a random 00:0c:29 address (OpenSSL RAND_bytes, or
 *      vsdk_vmx_options.mac_generate);
 *    - virtualHW.version: the model's (or options') explicit version is used
 *      and checked against the devices; otherwise the lowest version that
 *      supports every device used, at least 4 (see vsdk_vm_config_min_hw());
 *    - `firmware = "bios"` and `"efi"` are both read and written;
 *    - SCSI (buslogic, lsilogic, lsisas1068, pvscsi), IDE, SATA and NVMe disks
 *      are read **and** written;
 *    - what libvirt's domain XML has no element for is kept in
 *      `<metadata><vmx:vmware xmlns:vmx="urn:vsdk:vmx:1">`, so that
 *      VMX -> XML -> VMX is stable: `<vmx:guestOS>` (guestOS),
 *      `<vmx:virtualHW>` (virtualHW.version), `<vmx:cpuReservation>` and
 *      `<vmx:cpuLimit>` (sched.cpu.min/max, MHz or "unlimited") and
 *      `<vmx:memShares>` (sched.mem.shares as a number);
 *    - other mappings: sched.mem.max <-> `<currentMemory>` (written only when
 *      lower than memsize), sched.mem.minsize <-> `<memtune><min_guarantee>`,
 *      sched.cpu.shares <-> `<cputune><shares>` (the words low/normal/high are
 *      500/1000/2000 per vCPU, and written back as words when they match),
 *      cpuid.coresPerSocket <-> `<cpu><topology>`, annotation <->
 *      `<description>`, displayName <-> `<name>` with the VI API's `%2f`,
 *      `%25`, `%5c` escapes for `/`, `%`, `\`;
 *    - SCSI disks also carry `<driver name="lsilogic"/>` (the controller
 *      model, as in libvirt's examples) besides `<controller>`; every disk
 *      gets an `<address type="drive">`, which wins over `<target dev>`;
 *    - a VMX value with control characters other than TAB/LF/CR (`|01`...)
 *      cannot be written as XML 1.0: vsdk_vm_config_to_xml() refuses it;
 *    - VMX keys the model has no field for (tools.*, nvram, pciBridge*...)
 *      are not carried over, as in libvirt; for virtualHW.version >= 7 the
 *      writer adds the PCIe root ports (pciBridge0, pciBridge4..7) and
 *      vmci0 that ESX itself writes;
 *    - datastore paths: VMX holds `/vmfs/volumes/<ds>/dir/file`, the XML holds
 *      `[ds] dir/file`; a caller-supplied callback can do any other mapping
 *      (e.g. datastore UUID -> name).
 *
 * Thread-safety: functions on distinct objects may run concurrently; one
 * object is used by one thread at a time.  Error detail is per thread.
 */
#ifndef VSDK_VMX_H
#define VSDK_VMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vsdk/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Syntax layer                                                             */
/* ======================================================================== */

/** An ordered set of VMX entries (opaque). */
typedef struct vsdk_vmx vsdk_vmx;

/** vsdk_vmx_parse() flag: accept duplicate keys, the last value wins. */
#define VSDK_VMX_PARSE_DUPLICATE_LAST 0x1u

/**
 * @brief Create an empty VMX object.
 * @param out receives the object; free it with vsdk_vmx_free().
 * @return #VSDK_OK, #VSDK_EINVALID (@p out NULL), #VSDK_ENOMEM.
 */
VSDK_API int vsdk_vmx_new(vsdk_vmx **out);

/**
 * @brief Parse the text of a .vmx file.
 * @param out   receives the object (caller frees with vsdk_vmx_free()); NULL on error.
 * @param text  the file contents (need not be NUL-terminated; a NUL byte is an error)
 * @param len   bytes in @p text
 * @param flags 0 or #VSDK_VMX_PARSE_DUPLICATE_LAST
 * @return #VSDK_OK; #VSDK_EPARSE with vsdk_error_last()->line set (unquoted
 *         value, bad key, bad `|XX` escape, invalid UTF-8, duplicate key,
 *         unknown `.encoding`); #VSDK_EINVALID; #VSDK_ENOMEM.
 */
VSDK_API int vsdk_vmx_parse(vsdk_vmx **out, const char *text, size_t len, unsigned int flags);

/**
 * @brief Look a key up (case-insensitively).
 * @return the decoded value, borrowed from @p vmx (valid until the key is set
 *         or removed, or the object freed), or NULL when absent.
 * @param vmx the parsed VMX file
 * @param key the VMX key, e.g. "memsize" (compared case-insensitively)
 */
VSDK_API const char *vsdk_vmx_get(const vsdk_vmx *vmx, const char *key);

/**
 * @brief Set a key: replaces the value in place when the key exists
 *        (case-insensitively; the stored spelling is kept), else appends.
 * @param value any valid UTF-8 string; it is escaped when written.
 * @return #VSDK_OK, #VSDK_EINVALID (NULL argument, key not matching
 *         `[A-Za-z.][A-Za-z0-9_.:-]*`, value not UTF-8), #VSDK_ENOMEM.
 * @param vmx the parsed VMX file
 * @param key the VMX key, e.g. "memsize" (compared case-insensitively)
 */
VSDK_API int vsdk_vmx_set(vsdk_vmx *vmx, const char *key, const char *value);

/**
 * @brief Remove a key.
 * @return #VSDK_OK, #VSDK_ENOTFOUND when absent, #VSDK_EINVALID.
 * @param vmx the parsed VMX file
 * @param key the VMX key, e.g. "memsize" (compared case-insensitively)
 */
VSDK_API int vsdk_vmx_remove(vsdk_vmx *vmx, const char *key);

/**
 * @brief Number of entries (0 for NULL).
 * @param vmx the parsed VMX file
 * @return the number of entries
 */
VSDK_API size_t vsdk_vmx_count(const vsdk_vmx *vmx);

/**
 * @brief The @p i-th entry in file order.
 * @param key,value receive borrowed pointers (either may be NULL)
 * @return #VSDK_OK, #VSDK_EINVALID when @p i is out of range.
 * @param vmx the parsed VMX file
 * @param i index, 0 .. vsdk_vmx_count() - 1
 */
VSDK_API int vsdk_vmx_entry(const vsdk_vmx *vmx, size_t i, const char **key, const char **value);

/**
 * @brief Write the VMX text: `.encoding = "UTF-8"` first, then every entry
 *        (except a stored `.encoding`) in order, one `key = "value"` per line,
 *        each value escaped.
 * @param out receives a NUL-terminated string; caller frees with free().
 * @return #VSDK_OK, #VSDK_EINVALID, #VSDK_ENOMEM.
 * @param vmx the parsed VMX file
 */
VSDK_API int vsdk_vmx_format(char **out, const vsdk_vmx *vmx);

/**
 * @brief Free a VMX object (NULL is fine).
 * @param vmx the parsed VMX file
 */
VSDK_API void vsdk_vmx_free(vsdk_vmx *vmx);

/* ======================================================================== */
/* Model                                                                    */
/* ======================================================================== */

/** "Not set" for optional integer fields of the model. */
#define VSDK_VM_UNSET (-2)
/** "Unlimited" for limits (VMX "unlimited"). */
#define VSDK_VM_UNLIMITED (-1)

/** Guest architecture (domain XML `<os><type arch>`). */
typedef enum vsdk_vm_arch {
	VSDK_VM_ARCH_I686 = 0,
	VSDK_VM_ARCH_X86_64 = 1
} vsdk_vm_arch;

/** Firmware (`firmware` key, `<os firmware>`). */
typedef enum vsdk_vm_firmware {
	VSDK_VM_FIRMWARE_DEFAULT = 0, /**< not specified (VMware's default, BIOS) */
	VSDK_VM_FIRMWARE_BIOS = 1,
	VSDK_VM_FIRMWARE_EFI = 2
} vsdk_vm_firmware;

/** Device buses. */
typedef enum vsdk_vm_bus {
	VSDK_VM_BUS_SCSI = 0,
	VSDK_VM_BUS_SATA = 1,
	VSDK_VM_BUS_NVME = 2,
	VSDK_VM_BUS_IDE = 3,
	VSDK_VM_BUS_FDC = 4   /**< floppy */
} vsdk_vm_bus;

/** SCSI controller models (VMX `scsiN.virtualDev`). */
typedef enum vsdk_vm_scsi_model {
	VSDK_VM_SCSI_DEFAULT = 0,   /**< no virtualDev key */
	VSDK_VM_SCSI_BUSLOGIC = 1,
	VSDK_VM_SCSI_LSILOGIC = 2,
	VSDK_VM_SCSI_LSISAS1068 = 3,
	VSDK_VM_SCSI_PVSCSI = 4     /**< XML model 'vmpvscsi', VMX 'pvscsi' */
} vsdk_vm_scsi_model;

/** A disk controller (SCSI, SATA or NVMe; IDE and floppy are implicit). */
typedef struct vsdk_vm_controller {
	vsdk_vm_bus bus;              /**< SCSI, SATA or NVME */
	int index;                    /**< 0..3 */
	vsdk_vm_scsi_model model;     /**< SCSI only */
} vsdk_vm_controller;

/** What a disk slot holds. */
typedef enum vsdk_vm_disk_device {
	VSDK_VM_DISK = 0,     /**< hard disk (.vmdk) */
	VSDK_VM_CDROM = 1,    /**< CD-ROM: ISO image (file) or host drive (block) */
	VSDK_VM_FLOPPY = 2,   /**< floppy: image (file) or host drive (block) */
	VSDK_VM_LUN = 3       /**< raw CD-ROM pass-through (VMX deviceType "cdrom-raw") */
} vsdk_vm_disk_device;

/** Backing kind. */
typedef enum vsdk_vm_source_type {
	VSDK_VM_SOURCE_FILE = 0,
	VSDK_VM_SOURCE_BLOCK = 1
} vsdk_vm_source_type;

/** A disk, CD-ROM or floppy. */
typedef struct vsdk_vm_disk {
	vsdk_vm_disk_device device; /**< disk, CD-ROM or floppy */
	vsdk_vm_source_type type; /**< what backs it: a file or a host device */
	vsdk_vm_bus bus; /**< the bus it hangs on */
	int controller;   /**< controller index (IDE: channel 0..1; floppy: 0) */
	int unit;         /**< unit on the controller (floppy: drive 0..1) */
	char *source;     /**< XML-side path ("[ds] dir/f.vmdk"), device path, or NULL (empty drive) */
	bool transient;   /**< VMX mode "independent-nonpersistent" <-> `<transient/>` */
	bool writethrough;/**< VMX writeThrough <-> `<driver cache="writethrough"/>` */
} vsdk_vm_disk;

/** Network connection types. */
typedef enum vsdk_vm_net_type {
	VSDK_VM_NET_BRIDGED = 0,  /**< `<interface type="bridge">`, networkName = bridge */
	VSDK_VM_NET_CUSTOM = 1,   /**< bridge + `<target dev="vmnetN"/>` (VMX vnet) */
	VSDK_VM_NET_NAT = 2,      /**< `<interface type="user">` */
	VSDK_VM_NET_HOSTONLY = 3, /**< `<interface type="network"><source network="hostonly"/>` */
	VSDK_VM_NET_NONE = 4      /**< `<interface type="null">`: no connection */
} vsdk_vm_net_type;

/** NIC models (VMX virtualDev). */
typedef enum vsdk_vm_nic_model {
	VSDK_VM_NIC_DEFAULT = 0,
	VSDK_VM_NIC_VLANCE = 1,
	VSDK_VM_NIC_VMXNET = 2,
	VSDK_VM_NIC_VMXNET2 = 3,  /**< VMX: virtualDev "vmxnet" + features "15" */
	VSDK_VM_NIC_VMXNET3 = 4,
	VSDK_VM_NIC_E1000 = 5,
	VSDK_VM_NIC_E1000E = 6
} vsdk_vm_nic_model;

/** VMX addressType. */
typedef enum vsdk_vm_mac_type {
	VSDK_VM_MAC_AUTO = 0,      /**< derive from the prefix (see the file comment) */
	VSDK_VM_MAC_STATIC = 1,
	VSDK_VM_MAC_GENERATED = 2,
	VSDK_VM_MAC_VPX = 3
} vsdk_vm_mac_type;

/** A network interface (ethernetN). */
typedef struct vsdk_vm_nic {
	int index;                 /**< N in ethernetN, 0..9 */
	vsdk_vm_net_type type; /**< how it is connected */
	char *network;             /**< networkName (bridge), or NULL */
	char *vnet;                /**< custom: the vnet device, e.g. "vmnet7" */
	vsdk_vm_nic_model model; /**< the virtual device model (virtualDev) */
	char mac[18];              /**< "xx:xx:xx:xx:xx:xx" lowercase, or "" (none) */
	vsdk_vm_mac_type mac_type; /**< addressType: generated, static or vpx */
	int check_mac;             /**< checkMACAddress: 1, 0, or VSDK_VM_UNSET (derive) */
	bool disconnected;         /**< startConnected "false" <-> `<link state="down"/>` */
} vsdk_vm_nic;

/** Serial/parallel backing. */
typedef enum vsdk_vm_char_type {
	VSDK_VM_CHAR_DEVICE = 0,   /**< `type="dev"`, host device path */
	VSDK_VM_CHAR_FILE = 1,     /**< `type="file"`, a datastore path */
	VSDK_VM_CHAR_PIPE = 2,     /**< `type="pipe"` (serial only) */
	VSDK_VM_CHAR_NETWORK = 3   /**< `type="tcp"` (serial only, virtual serial port concentrator) */
} vsdk_vm_char_type;

/** Network serial protocol (from the fileName URI scheme). */
typedef enum vsdk_vm_char_protocol {
	VSDK_VM_PROTO_RAW = 0,     /**< tcp:// */
	VSDK_VM_PROTO_TELNET = 1,  /**< telnet:// */
	VSDK_VM_PROTO_TLS = 2      /**< ssl:// (`<protocol type="tls"/>`) */
} vsdk_vm_char_protocol;

/** A serial or parallel port. */
typedef struct vsdk_vm_char {
	int index;                 /**< N in serialN / parallelN */
	vsdk_vm_char_type type; /**< what it is connected to */
	char *path;                /**< device, file or pipe path; NULL for network */
	char *host;                /**< network: host ("" or NULL for any) */
	char *service;             /**< network: port */
	vsdk_vm_char_protocol protocol; /**< network: the wire protocol */
	bool server;               /**< pipe/network: this end listens (`mode="bind"`) */
} vsdk_vm_char;

/** VNC console (RemoteDisplay.vnc.*). */
typedef struct vsdk_vm_graphics {
	bool enabled; /**< RemoteDisplay.vnc.enabled */
	int port;                  /**< 5900.. or VSDK_VM_UNSET (autoport) */
	char *listen;              /**< RemoteDisplay.vnc.ip */
	char *keymap; /**< RemoteDisplay.vnc.keyMap, or NULL */
	char *password; /**< RemoteDisplay.vnc.password, or NULL (wiped when freed) */
} vsdk_vm_graphics;

/**
 * @brief A VM description shared by the VMX and domain XML converters.
 *
 * Every pointer is owned by the config and freed by vsdk_vm_config_free().
 * Arrays are malloc'ed; the counts say how many elements are valid.
 */
typedef struct vsdk_vm_config {
	char *name;                   /**< displayName / `<name>` (required) */
	bool has_uuid; /**< true when @c uuid is set */
	unsigned char uuid[16];       /**< uuid.bios / `<uuid>` */
	char *description;            /**< annotation / `<description>` */
	char *guest_os;               /**< guestOS, or NULL ("other"/"other-64" from arch) */
	int virtual_hw_version;       /**< 0 = automatic */
	vsdk_vm_arch arch; /**< i686 or x86_64 */
	vsdk_vm_firmware firmware; /**< BIOS or EFI */

	uint64_t memory_kib;          /**< memsize * 1024; a multiple of 4096 */
	uint64_t current_memory_kib;  /**< sched.mem.max; 0 = same as memory */
	int64_t mem_min_kib;          /**< sched.mem.minsize <-> memtune/min_guarantee; VSDK_VM_UNSET */
	int64_t mem_shares;           /**< sched.mem.shares (low/normal/high = 5/10/20 per MB); VSDK_VM_UNSET */

	unsigned int vcpus;           /**< numvcpus (default 1) */
	unsigned int cores_per_socket;/**< cpuid.coresPerSocket <-> topology; 0 = unset */
	int64_t cpu_shares;           /**< sched.cpu.shares (low/normal/high = 500/1000/2000 per vCPU) <-> cputune/shares; VSDK_VM_UNSET */
	int64_t cpu_min_mhz;          /**< sched.cpu.min (reservation); VSDK_VM_UNSET */
	int64_t cpu_max_mhz;          /**< sched.cpu.max (limit); VSDK_VM_UNLIMITED or VSDK_VM_UNSET */

	/** The devices: arrays (owned) and their lengths. @{ */
	vsdk_vm_controller *controllers; size_t n_controllers;
	vsdk_vm_disk *disks;          size_t n_disks;
	vsdk_vm_nic *nics;            size_t n_nics;
	vsdk_vm_char *serials;        size_t n_serials;
	vsdk_vm_char *parallels;      size_t n_parallels;
	/** @} */
	vsdk_vm_graphics vnc; /**< the VNC console */
	int64_t video_vram_kib;       /**< svga.vramSize / 1024 <-> `<video><model type="vmvga" vram>`; VSDK_VM_UNSET = no video element */
} vsdk_vm_config;

/**
 * @brief Allocate an empty config with every optional field unset, 1 vCPU.
 * @return #VSDK_OK, #VSDK_EINVALID, #VSDK_ENOMEM.
 * @param[out] out a new empty configuration; free with vsdk_vm_config_free()
 */
VSDK_API int vsdk_vm_config_new(vsdk_vm_config **out);

/**
 * @brief Free a config and everything it owns (NULL is fine).
 * @param cfg the configuration
 */
VSDK_API void vsdk_vm_config_free(vsdk_vm_config *cfg);

/**
 * @brief The lowest virtualHW.version that supports everything in @p cfg
 *        (at least 4).  SATA needs 10, NVMe 13, pvscsi/lsisas1068/vmxnet3 7,
 *        e1000e and EFI 8, more than 4 NICs 7, an odd vCPU count above 1 or
 *        cores per socket 7, vCPUs >4: 7, >8: 8, >32: 9, >64: 11, >128: 17;
 *        memory >64 GiB: 7, >255 GiB: 8, >1 TiB: 11, >4 TiB: 13.
 * @param cfg the configuration
 * @return the minimum virtualHW.version
 */
VSDK_API int vsdk_vm_config_min_hw(const vsdk_vm_config *cfg);

/* ======================================================================== */
/* Conversion                                                               */
/* ======================================================================== */

/**
 * @brief Map a file path between the VMX and the XML form.
 * @param out     receives a malloc'ed string (the caller of the callback frees it)
 * @param path    the path to map
 * @param payload vsdk_vmx_options.path_payload
 * @return #VSDK_OK or a VSDK_E* code (after vsdk__error_set-style detail; the
 *         converter propagates it).
 */
typedef int (*vsdk_vmx_path_cb)(char **out, const char *path, void *payload);

/** Fill @p mac with 6 bytes for a generated address (only the last 3 are used). */
typedef int (*vsdk_vmx_mac_cb)(unsigned char mac[6], void *payload);

/** Version of vsdk_vmx_options. */
#define VSDK_VMX_OPTIONS_VERSION 1

/** Conversion options; start from #VSDK_VMX_OPTIONS_INIT.  NULL means all defaults. */
typedef struct vsdk_vmx_options {
	unsigned int version;         /**< VSDK_VMX_OPTIONS_VERSION */
	int virtual_hw_version;       /**< target version when the model has none; 0 = lowest that fits */
	/** VMX path -> XML path; NULL: vsdk_vmx_path_default_to_xml(). */
	vsdk_vmx_path_cb path_to_xml;
	/** XML path -> VMX path; NULL: vsdk_vmx_path_default_to_vmx(). */
	vsdk_vmx_path_cb path_to_vmx;
	void *path_payload; /**< passed to the path callback */
	/** Random bytes for missing MACs; NULL: OpenSSL RAND_bytes. */
	vsdk_vmx_mac_cb mac_generate;
	void *mac_payload; /**< passed to the MAC callback */
	unsigned int parse_flags;     /**< vsdk_vmx_parse() flags for the text helpers */
} vsdk_vmx_options;

/** Default options. */
#define VSDK_VMX_OPTIONS_INIT { VSDK_VMX_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * @brief Default VMX -> XML path mapping: `/vmfs/volumes/<ds>/<rest>` becomes
 *        `[<ds>] <rest>`; any other path is copied unchanged.
 * @return #VSDK_OK, #VSDK_ENOMEM.
 * @param[out] out the translated path, malloc()ed
 * @param path the path as written in the VMX file
 * @param payload unused (the callback signature's payload)
 */
VSDK_API int vsdk_vmx_path_default_to_xml(char **out, const char *path, void *payload);

/**
 * @brief Default XML -> VMX path mapping: `[<ds>] <rest>` becomes
 *        `/vmfs/volumes/<ds>/<rest>`; any other path is copied unchanged.
 * @return #VSDK_OK, #VSDK_EINVALID (a `[` without `]`), #VSDK_ENOMEM.
 * @param[out] out the translated path, malloc()ed
 * @param path the path as written in the domain XML
 * @param payload unused (the callback signature's payload)
 */
VSDK_API int vsdk_vmx_path_default_to_vmx(char **out, const char *path, void *payload);

/**
 * @brief Build a model from parsed VMX.
 * @param out receives the config (caller frees with vsdk_vm_config_free()).
 * @return #VSDK_OK; #VSDK_EPARSE for invalid values, with
 *         vsdk_error_last()->line the line of the offending key (0 when a
 *         required key is missing); #VSDK_ENOMEM; or a
 *         path callback's code.
 * @param vmx the parsed VMX file
 * @param opts options, or NULL for the defaults
 */
VSDK_API int vsdk_vm_config_from_vmx(vsdk_vm_config **out, const vsdk_vmx *vmx,
				     const vsdk_vmx_options *opts);

/**
 * @brief Build VMX from a model.
 * @param out receives the VMX object (caller frees with vsdk_vmx_free()).
 * @return #VSDK_OK; #VSDK_EINVALID naming the offending field (memory not a
 *         multiple of 4096 KiB, odd vCPUs on virtualHW 4, a device the chosen
 *         version does not support, duplicate slots, bad MAC...); #VSDK_ENOMEM.
 * @param cfg the configuration
 * @param opts options, or NULL for the defaults
 */
VSDK_API int vsdk_vm_config_to_vmx(vsdk_vmx **out, const vsdk_vm_config *cfg,
				   const vsdk_vmx_options *opts);

/**
 * @brief Parse libvirt domain XML (`<domain type="vmware">`) into a model.
 *        A DOCTYPE (and so any entity declaration) is refused; only the five
 *        predefined entities and references to XML characters are accepted;
 *        nothing but comments may follow the root element.  Unknown
 *        top-level elements (clock, features, on_*...) are ignored; unknown
 *        devices are an error.
 * @param out receives the config (caller frees with vsdk_vm_config_free()).
 * @param xml NUL-terminated XML text
 * @return #VSDK_OK; #VSDK_EPARSE (malformed XML, DOCTYPE, unknown values,
 *         the message names the element); #VSDK_EUNSUPPORTED; #VSDK_ENOMEM.
 */
VSDK_API int vsdk_vm_config_from_xml(vsdk_vm_config **out, const char *xml);

/**
 * @brief Write a model as domain XML: deterministic (fixed element order, no
 *        XML declaration), indented with tabs (gSOAP's SOAP_XML_INDENT), ending
 *        in a newline.
 * @param out receives a NUL-terminated string; caller frees with free().
 * @return #VSDK_OK, #VSDK_EINVALID (a string with control characters or
 *         invalid UTF-8, naming the element), #VSDK_ENOMEM.
 * @param cfg the configuration
 */
VSDK_API int vsdk_vm_config_to_xml(char **out, const vsdk_vm_config *cfg);

/**
 * @brief VMX text -> domain XML text (virsh domxml-from-native vmware-vmx).
 * @param out receives the XML; caller frees with free().
 * @return as vsdk_vmx_parse(), vsdk_vm_config_from_vmx(), vsdk_vm_config_to_xml().
 * @param vmx_text the VMX file's text
 * @param len length of @p vmx_text in bytes
 * @param opts options, or NULL for the defaults
 */
VSDK_API int vsdk_vmx_to_domain_xml(char **out, const char *vmx_text, size_t len,
				    const vsdk_vmx_options *opts);

/**
 * @brief Domain XML text -> VMX text (virsh domxml-to-native vmware-vmx).
 * @param out receives the VMX text; caller frees with free().
 * @return as vsdk_vm_config_from_xml(), vsdk_vm_config_to_vmx(), vsdk_vmx_format().
 * @param xml the domain XML text
 * @param opts options, or NULL for the defaults
 */
VSDK_API int vsdk_vmx_from_domain_xml(char **out, const char *xml, const vsdk_vmx_options *opts);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_VMX_H */
