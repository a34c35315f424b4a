/*
 * Wire compatibility of our vim25 WSDL/XSD subset (wsdl/vim25) with VMware's sets.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both sets are read with gSOAP's DOM into a small model: named types
 * (base, own members in order with type/minOccurs/maxOccurs, enum values),
 * top-level elements, messages, port type operations (request element,
 * response element, declared faults) and binding soapActions.  Then, for
 * every type and operation we define, the real set must agree:
 *   - the type exists, is of the same kind and has the same base;
 *   - each member we declare exists there with the same type, minOccurs and
 *     maxOccurs, and our members keep the real relative order;
 *   - each member we leave out is optional there (minOccurs="0");
 *   - each enum value we list exists there;
 *   - each element, operation (request/response element) and declared
 *     fault we define exists there with the same name and type.
 * The real sets (7.0.3, 6.7, 5.5, 4.1) are read from ../shared/vim25-wsdl
 * (or $VSDK_SHARED); the tests skip with a message when that is absent.  For
 * the older sets a table names what the API added later, dated by the first
 * of our reference sets that has it.
 */
#include "vtest.h"
#include "soapH.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OURS_DIR "wsdl/vim25"
#define SOAP_ACTION "urn:vim25/6.5"

/* The test uses only gSOAP's DOM, but the gSOAP runtime calls back into the
 * generated vim25 code (soap_getelement, soap_faultcode, ..., namespaces).
 * Referencing them here pulls those objects out of libvsdk.a before the
 * static gSOAP library that needs them is scanned. */
const void *const test_wsdl_compat_link[] = { (const void *)soap_getelement, (const void *)namespaces };

/* Files of a vim25 set, in include order; a set need not have all of them. */
static const char *const set_files[] = {
	"core-types.xsd", "query-types.xsd", "vim-types.xsd",
	"query-messagetypes.xsd", "vim-messagetypes.xsd", "vim.wsdl",
};

/* ------------------------------------------------------------------ model */

typedef struct member {
	const char *name, *type, *min, *max;
} member;

typedef struct xtype {
	const char *name;
	const char *kind; /* "complexType" or "simpleType" */
	const char *base; /* extension/restriction base, "" if none */
	const char *file;
	member *m;
	size_t nm;
	const char **en;
	size_t nen;
} xtype;

typedef struct xelem {
	const char *name, *type;   /* type NULL: inline complexType */
	const char *rv_type, *rv_min, *rv_max; /* its returnval, if any */
} xelem;

typedef struct xmsg {
	const char *name, *element;
} xmsg;

typedef struct xop {
	const char *name, *in_msg, *out_msg;
	const char *fault[32];
	size_t nfault;
	const char *action; /* from the binding */
	bool bound;
} xop;

typedef struct xset {
	const char *label;
	struct soap *soap;
	xtype *t;
	size_t nt;
	xelem *e;
	size_t ne;
	xmsg *msg;
	size_t nmsg;
	xop *op;
	size_t nop;
} xset;

/* Grow an array by one zeroed slot; aborts the test program on OOM. */
static void *grow(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);

	if (!p) {
		fprintf(stderr, "test_wsdl_compat: out of memory\n");
		exit(2);
	}
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

static const char *local(const char *qname)
{
	const char *c;

	if (!qname)
		return NULL;
	c = strchr(qname, ':');
	return c ? c + 1 : qname;
}

static bool is(const struct soap_dom_element *e, const char *name)
{
	return e && e->name && strcmp(local(e->name), name) == 0;
}

static const char *att(const struct soap_dom_element *e, const char *name)
{
	return soap_att_get_text(soap_att_get(e, NULL, name));
}

static const char *or_default(const char *v, const char *def)
{
	return v ? v : def;
}

/* Type references are compared by local name for urn:vim25 types and as
 * "xsd:<name>" for XML Schema types; both sets use the prefixes vim25 and xsd. */
static const char *typeref(const char *qname)
{
	return qname && strncmp(qname, "vim25:", 6) == 0 ? qname + 6 : qname;
}

/* Collect member elements and enum values below a type definition, in
 * document order, and note the extension/restriction base. */
static void walk_type(xtype *t, const struct soap_dom_element *e)
{
	for (const struct soap_dom_element *c = e->elts; c; c = c->next) {
		if (is(c, "element")) {
			member *m;

			t->m = grow(t->m, &t->nm, sizeof(*t->m));
			m = &t->m[t->nm - 1];
			m->name = att(c, "name");
			m->type = typeref(att(c, "type"));
			m->min = or_default(att(c, "minOccurs"), "1");
			m->max = or_default(att(c, "maxOccurs"), "1");
			continue;
		}
		if (is(c, "enumeration")) {
			t->en = grow(t->en, &t->nen, sizeof(*t->en));
			t->en[t->nen - 1] = att(c, "value");
			continue;
		}
		if ((is(c, "extension") || is(c, "restriction")) && att(c, "base"))
			t->base = typeref(att(c, "base"));
		walk_type(t, c);
	}
}

static void read_schema(xset *s, const struct soap_dom_element *schema, const char *file)
{
	for (const struct soap_dom_element *c = schema->elts; c; c = c->next) {
		if (is(c, "complexType") || is(c, "simpleType")) {
			xtype *t;

			s->t = grow(s->t, &s->nt, sizeof(*s->t));
			t = &s->t[s->nt - 1];
			t->name = att(c, "name");
			t->kind = local(c->name);
			t->base = "";
			t->file = file;
			walk_type(t, c);
		} else if (is(c, "element")) {
			xelem *x;

			s->e = grow(s->e, &s->ne, sizeof(*s->e));
			x = &s->e[s->ne - 1];
			x->name = att(c, "name");
			x->type = typeref(att(c, "type"));
			if (!x->type) {
				xtype tmp = { 0 };

				walk_type(&tmp, c);
				for (size_t i = 0; i < tmp.nm; i++)
					if (tmp.m[i].name && strcmp(tmp.m[i].name, "returnval") == 0) {
						x->rv_type = tmp.m[i].type;
						x->rv_min = tmp.m[i].min;
						x->rv_max = tmp.m[i].max;
					}
				free(tmp.m);
				free(tmp.en);
			}
		}
	}
}

static xop *find_op(xset *s, const char *name)
{
	for (size_t i = 0; i < s->nop; i++)
		if (strcmp(s->op[i].name, name) == 0)
			return &s->op[i];
	return NULL;
}

static void read_wsdl(xset *s, const struct soap_dom_element *defs, const char *file)
{
	for (const struct soap_dom_element *c = defs->elts; c; c = c->next) {
		if (is(c, "types")) {
			for (const struct soap_dom_element *sc = c->elts; sc; sc = sc->next)
				if (is(sc, "schema"))
					read_schema(s, sc, file);
		} else if (is(c, "message")) {
			s->msg = grow(s->msg, &s->nmsg, sizeof(*s->msg));
			s->msg[s->nmsg - 1].name = att(c, "name");
			for (const struct soap_dom_element *p = c->elts; p; p = p->next)
				if (is(p, "part"))
					s->msg[s->nmsg - 1].element = local(att(p, "element"));
		} else if (is(c, "portType")) {
			for (const struct soap_dom_element *o = c->elts; o; o = o->next) {
				xop *op;

				if (!is(o, "operation"))
					continue;
				s->op = grow(s->op, &s->nop, sizeof(*s->op));
				op = &s->op[s->nop - 1];
				op->name = att(o, "name");
				for (const struct soap_dom_element *io = o->elts; io; io = io->next) {
					if (is(io, "input"))
						op->in_msg = local(att(io, "message"));
					else if (is(io, "output"))
						op->out_msg = local(att(io, "message"));
					else if (is(io, "fault") && op->nfault < 32)
						op->fault[op->nfault++] = att(io, "name");
				}
			}
		} else if (is(c, "binding")) {
			for (const struct soap_dom_element *o = c->elts; o; o = o->next) {
				xop *op = is(o, "operation") ? find_op(s, or_default(att(o, "name"), "")) : NULL;

				if (!op)
					continue;
				op->bound = true;
				for (const struct soap_dom_element *so = o->elts; so; so = so->next)
					if (is(so, "operation"))
						op->action = att(so, "soapAction");
			}
		}
	}
}

/* Parse one file into s; false when it cannot be read or parsed. */
static bool read_file(xset *s, const char *dir, const char *file)
{
	char path[4096];
	struct soap_dom_element *dom;
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return false;
	dom = soap_malloc(s->soap, sizeof(*dom));
	soap_default_xsd__anyType(s->soap, dom);
	s->soap->recvfd = fileno(f);
	ok = soap_begin_recv(s->soap) == SOAP_OK && soap_in_xsd__anyType(s->soap, NULL, dom, NULL) &&
	     soap_end_recv(s->soap) == SOAP_OK;
	s->soap->recvfd = 0;
	fclose(f);
	if (!ok) {
		printf("\n  cannot parse %s (gSOAP error %d)", path, s->soap->error);
		return false;
	}
	if (is(dom, "schema"))
		read_schema(s, dom, file);
	else if (is(dom, "definitions"))
		read_wsdl(s, dom, file);
	return true;
}

/* Load a set from dir; false (with a message) when vim.wsdl is missing. */
static bool load_set(xset *s, const char *label, const char *dir)
{
	memset(s, 0, sizeof(*s));
	s->label = label;
	s->soap = soap_new1(SOAP_XML_TREE | SOAP_C_UTFSTRING);
	if (!s->soap)
		return false;
	for (size_t i = 0; i < sizeof(set_files) / sizeof(set_files[0]); i++) {
		bool need = strcmp(set_files[i], "vim.wsdl") == 0;

		if (!read_file(s, dir, set_files[i]) && need) {
			printf("\n  %s: cannot read %s/vim.wsdl", label, dir);
			return false;
		}
	}
	return true;
}

static void free_set(xset *s)
{
	for (size_t i = 0; i < s->nt; i++) {
		free(s->t[i].m);
		free(s->t[i].en);
	}
	free(s->t);
	free(s->e);
	free(s->msg);
	free(s->op);
	if (s->soap) {
		soap_destroy(s->soap);
		soap_end(s->soap);
		soap_free(s->soap);
	}
	memset(s, 0, sizeof(*s));
}

static const xtype *find_type(const xset *s, const char *name)
{
	for (size_t i = 0; i < s->nt; i++)
		if (s->t[i].name && strcmp(s->t[i].name, name) == 0)
			return &s->t[i];
	return NULL;
}

static const xelem *find_elem(const xset *s, const char *name)
{
	for (size_t i = 0; i < s->ne; i++)
		if (s->e[i].name && strcmp(s->e[i].name, name) == 0)
			return &s->e[i];
	return NULL;
}

static const char *msg_element(const xset *s, const char *msg)
{
	for (size_t i = 0; msg && i < s->nmsg; i++)
		if (s->msg[i].name && strcmp(s->msg[i].name, msg) == 0)
			return s->msg[i].element;
	return NULL;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* -------------------------------------------------------------- allowlist */

/* What our subset has that older API versions lack.  Keys: "Type",
 * "Type.member", "Type=value" (enum value), "op:Operation/FaultElement".
 * since = the first of our reference sets (5.5, 6.7, 7.0.3) that has it; the
 * API version that added it may be earlier (5.0, 5.1, 6.0, 6.5).  When we
 * compare with a set older than since, the entry excuses the difference;
 * when that older set has it after all, the entry is wrong and reported. */
typedef struct allow {
	const char *key, *since;
} allow;

static const allow additions[] = {
	/* first in the 5.5 set */
	{ "ArrayOfBoolean", "5.5" },
	{ "ArrayOfDouble", "5.5" },
	{ "DatastoreSummary.maintenanceMode", "5.5" },
	{ "GuestInfo.appState", "5.5" },
	{ "GuestInfo.guestOperationsReady", "5.5" },
	{ "GuestInfo.interactiveGuestOperationsReady", "5.5" },
	{ "GuestInfo.toolsVersionStatus2", "5.5" },
	{ "GuestOsDescriptorFirmwareType", "5.5" },
	{ "HostConfigSummary.agentVmDatastore", "5.5" },
	{ "HostConfigSummary.agentVmNetwork", "5.5" },
	{ "HostMountInfo.inaccessibleReason", "5.5" },
	{ "HostMountInfo.mounted", "5.5" },
	{ "HostRuntimeInfo.hostMaxVirtualDiskCapacity", "5.5" },
	{ "NetworkSummary.ipPoolId", "5.5" },
	{ "OpaqueNetworkSummary", "5.5" },
	{ "RemoveAllSnapshotsRequestType.consolidate", "5.5" },
	{ "RemoveSnapshotRequestType.consolidate", "5.5" },
	{ "ServiceContent.datastoreNamespaceManager", "5.5" },
	{ "ServiceContent.guestOperationsManager", "5.5" },
	{ "ServiceContent.serviceManager", "5.5" },
	{ "StorageIOAllocationInfo.reservation", "5.5" },
	{ "UserSession.callCount", "5.5" },
	{ "UserSession.extensionSession", "5.5" },
	{ "UserSession.ipAddress", "5.5" },
	{ "UserSession.userAgent", "5.5" },
	{ "VirtualAHCIController", "5.5" },
	{ "VirtualDevice.slotInfo", "5.5" },
	{ "VirtualDeviceBusSlotInfo", "5.5" },
	{ "VirtualDeviceFileBackingInfo.backingObjectId", "5.5" },
	{ "VirtualDevicePciBusSlotInfo", "5.5" },
	{ "VirtualDisk.capacityInBytes", "5.5" },
	{ "VirtualDisk.diskObjectId", "5.5" },
	{ "VirtualDiskFlatVer2BackingInfo.deltaDiskFormat", "5.5" },
	{ "VirtualDiskFlatVer2BackingInfo.deltaGrainSize", "5.5" },
	{ "VirtualDiskFlatVer2BackingInfo.digestEnabled", "5.5" },
	{ "VirtualE1000e", "5.5" },
	{ "VirtualEthernetCardOpaqueNetworkBackingInfo", "5.5" },
	{ "VirtualHardware.numCoresPerSocket", "5.5" },
	{ "VirtualHardware.virtualICH7MPresent", "5.5" },
	{ "VirtualHardware.virtualSMCPresent", "5.5" },
	{ "VirtualHdAudioCard", "5.5" },
	{ "VirtualMachineCloneSpec.memory", "5.5" },
	{ "VirtualMachineConfigInfo.firmware", "5.5" },
	{ "VirtualMachineConfigInfo.guestAutoLockEnabled", "5.5" },
	{ "VirtualMachineConfigInfo.maxMksConnections", "5.5" },
	{ "VirtualMachineConfigInfo.memoryReservationLockedToMax", "5.5" },
	{ "VirtualMachineConfigInfo.nestedHVEnabled", "5.5" },
	{ "VirtualMachineConfigInfo.vFlashCacheReservation", "5.5" },
	{ "VirtualMachineConfigInfo.vPMCEnabled", "5.5" },
	{ "VirtualMachineConfigSpec.firmware", "5.5" },
	{ "VirtualMachineConfigSpec.guestAutoLockEnabled", "5.5" },
	{ "VirtualMachineConfigSpec.maxMksConnections", "5.5" },
	{ "VirtualMachineConfigSpec.memoryReservationLockedToMax", "5.5" },
	{ "VirtualMachineConfigSpec.nestedHVEnabled", "5.5" },
	{ "VirtualMachineConfigSpec.numCoresPerSocket", "5.5" },
	{ "VirtualMachineConfigSpec.vPMCEnabled", "5.5" },
	{ "VirtualMachineConfigSpec.virtualICH7MPresent", "5.5" },
	{ "VirtualMachineConfigSpec.virtualSMCPresent", "5.5" },
	{ "VirtualMachineFileLayoutExFileInfo.uniqueSize", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=digestDescriptor", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=digestExtent", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=diskReplicationState", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=namespaceData", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=snapshotManifestList", "5.5" },
	{ "VirtualMachineFileLayoutExFileType=uwswap", "5.5" },
	{ "VirtualMachineGuestSummary.toolsVersionStatus2", "5.5" },
	{ "VirtualMachineQuickStats.ssdSwappedMemory", "5.5" },
	{ "VirtualMachineRelocateDiskMoveOptions=moveAllDiskBackingsAndConsolidate", "5.5" },
	{ "VirtualMachineRelocateSpec.deviceChange", "5.5" },
	{ "VirtualMachineRelocateSpecDiskLocator.diskBackingInfo", "5.5" },
	{ "VirtualMachineRuntimeInfo.consolidationNeeded", "5.5" },
	{ "VirtualMachineRuntimeInfo.onlineStandby", "5.5" },
	{ "VirtualMachineRuntimeInfo.vFlashCacheAllocation", "5.5" },
	{ "VirtualMachineToolsVersionStatus=guestToolsBlacklisted", "5.5" },
	{ "VirtualMachineToolsVersionStatus=guestToolsSupportedNew", "5.5" },
	{ "VirtualMachineToolsVersionStatus=guestToolsSupportedOld", "5.5" },
	{ "VirtualMachineToolsVersionStatus=guestToolsTooNew", "5.5" },
	{ "VirtualMachineToolsVersionStatus=guestToolsTooOld", "5.5" },
	{ "VirtualMachineVideoCard.use3dRenderer", "5.5" },
	{ "VirtualSATAController", "5.5" },
	{ "VirtualSerialPortThinPrintBackingInfo", "5.5" },
	{ "VirtualSriovEthernetCard", "5.5" },
	{ "VirtualUSBXHCIController", "5.5" },
	{ "op:CreateVM_Task/AlreadyExistsFault", "5.5" },
	{ "op:CreateVM_Task/InvalidStateFault", "5.5" },
	{ "op:RegisterVM_Task/InvalidStateFault", "5.5" },
	/* first in the 6.7 set */
	{ "ArrayOfAnyURI", "6.7" },
	{ "ArrayOfBase64Binary", "6.7" },
	{ "FileInfo.friendlyName", "6.7" },
	{ "GuestInfo.guestKernelCrashed", "6.7" },
	{ "GuestInfo.guestStateChangeSupported", "6.7" },
	{ "GuestInfo.toolsInstallType", "6.7" },
	{ "HostListSummaryQuickStats.availablePMemCapacity", "6.7" },
	{ "HostRuntimeInfo.cryptoState", "6.7" },
	{ "HostRuntimeInfo.inQuarantineMode", "6.7" },
	{ "ServiceContent.certificateManager", "6.7" },
	{ "ServiceContent.cryptoManager", "6.7" },
	{ "ServiceContent.failoverClusterConfigurator", "6.7" },
	{ "ServiceContent.failoverClusterManager", "6.7" },
	{ "ServiceContent.healthUpdateManager", "6.7" },
	{ "ServiceContent.hostSpecManager", "6.7" },
	{ "ServiceContent.ioFilterManager", "6.7" },
	{ "ServiceContent.overheadMemoryManager", "6.7" },
	{ "ServiceContent.vStorageObjectManager", "6.7" },
	{ "TaskInfo.activationId", "6.7" },
	{ "ToolsConfigInfo.toolsInstallType", "6.7" },
	{ "VirtualDeviceConnectInfo.migrateConnect", "6.7" },
	{ "VirtualDisk.iofilter", "6.7" },
	{ "VirtualDisk.nativeUnmanagedLinkedClone", "6.7" },
	{ "VirtualDiskFlatVer2BackingInfo.deltaDiskFormatVariant", "6.7" },
	{ "VirtualDiskFlatVer2BackingInfo.sharing", "6.7" },
	{ "VirtualDiskRawDiskMappingVer1BackingInfo.deltaDiskFormat", "6.7" },
	{ "VirtualDiskRawDiskMappingVer1BackingInfo.deltaGrainSize", "6.7" },
	{ "VirtualDiskRawDiskMappingVer1BackingInfo.sharing", "6.7" },
	{ "VirtualDiskSharing", "6.7" },
	{ "VirtualEthernetCard.externalId", "6.7" },
	{ "VirtualEthernetCard.resourceAllocation", "6.7" },
	{ "VirtualEthernetCard.uptCompatibilityEnabled", "6.7" },
	{ "VirtualEthernetCardResourceAllocation", "6.7" },
	{ "VirtualMachineConfigInfo.createDate", "6.7" },
	{ "VirtualMachineConfigInfo.messageBusTunnelEnabled", "6.7" },
	{ "VirtualMachineConfigInfo.migrateEncryption", "6.7" },
	{ "VirtualMachineConfigInfo.swapStorageObjectId", "6.7" },
	{ "VirtualMachineConfigInfo.vmStorageObjectId", "6.7" },
	{ "VirtualMachineConfigSpec.messageBusTunnelEnabled", "6.7" },
	{ "VirtualMachineConfigSpec.migrateEncryption", "6.7" },
	{ "VirtualMachineConfigSummary.numVmiopBackings", "6.7" },
	{ "VirtualMachineConfigSummary.tpmPresent", "6.7" },
	{ "VirtualMachineFileInfo.ftMetadataDirectory", "6.7" },
	{ "VirtualMachineFileLayoutExFileInfo.accessible", "6.7" },
	{ "VirtualMachineFileLayoutExFileInfo.backingObjectId", "6.7" },
	{ "VirtualMachineFileLayoutExFileType=ftMetadata", "6.7" },
	{ "VirtualMachineFileLayoutExFileType=guestCustomization", "6.7" },
	{ "VirtualMachineFileLayoutExFileType=snapshotMemory", "6.7" },
	{ "VirtualMachineFileLayoutExFileType=suspendMemory", "6.7" },
	{ "VirtualMachineFileLayoutExSnapshotLayout.memoryKey", "6.7" },
	{ "VirtualMachineFlagInfo.cbrcCacheEnabled", "6.7" },
	{ "VirtualMachineFlagInfo.faultToleranceType", "6.7" },
	{ "VirtualMachineFlagInfo.vbsEnabled", "6.7" },
	{ "VirtualMachineFlagInfo.vvtdEnabled", "6.7" },
	{ "VirtualMachineRelocateSpec.folder", "6.7" },
	{ "VirtualMachineRuntimeInfo.cryptoState", "6.7" },
	{ "VirtualMachineRuntimeInfo.instantCloneFrozen", "6.7" },
	{ "VirtualMachineRuntimeInfo.paused", "6.7" },
	{ "VirtualMachineRuntimeInfo.quiescedForkParent", "6.7" },
	{ "VirtualMachineRuntimeInfo.snapshotInBackground", "6.7" },
	{ "VirtualNVDIMM", "6.7" },
	{ "VirtualNVDIMMController", "6.7" },
	{ "VirtualNVMEController", "6.7" },
	{ "VirtualTPM", "6.7" },
	{ "VirtualVmxnet3Vrdma", "6.7" },
	{ "VmConfigFileQueryFilter.encrypted", "6.7" },
	{ "VmConfigFileQueryFlags.encryption", "6.7" },
	{ "VmDiskFileQueryFilter.encrypted", "6.7" },
	{ "VmDiskFileQueryFlags.encryption", "6.7" },
	/* first in the 7.0.3 set */
	{ "AboutInfo.patchLevel", "7.0.3" },
	{ "ArrayOfUri", "7.0.3" },
	{ "ClusterComputeResourceSummary.clusterMaintenanceModeStatus", "7.0.3" },
	{ "ClusterComputeResourceSummary.currentEVCGraphicsModeKey", "7.0.3" },
	{ "ClusterComputeResourceSummary.drsScore", "7.0.3" },
	{ "ClusterComputeResourceSummary.numVmsPerDrsScoreBucket", "7.0.3" },
	{ "ClusterComputeResourceSummary.vcsHealthStatus", "7.0.3" },
	{ "GuestInfo.hwVersion", "7.0.3" },
	{ "HostListSummary.currentEVCGraphicsModeKey", "7.0.3" },
	{ "ServiceContent.guestCustomizationManager", "7.0.3" },
	{ "ServiceContent.siteInfoManager", "7.0.3" },
	{ "ServiceContent.storageQueryManager", "7.0.3" },
	{ "ServiceContent.tenantManager", "7.0.3" },
	{ "ToolsConfigInfo.syncTimeWithHostAllowed", "7.0.3" },
	{ "VirtualMachineConfigSummary.hwVersion", "7.0.3" },
	{ "VirtualMachineGuestSummary.hwVersion", "7.0.3" },
	{ "VirtualMachineQuickStats.activeMemory", "7.0.3" },
	{ "VirtualMachineQuickStats.grantedMemory", "7.0.3" },
	{ "VirtualMachineQuickStats.overallCpuReadiness", "7.0.3" },
	{ "VirtualMachineRuntimeInfo.vmFailoverInProgress", "7.0.3" },
	{ "VirtualNVDIMM.configuredCapacityInMB", "7.0.3" },
	{ "VirtualPrecisionClock", "7.0.3" },
	{ "VirtualWDT", "7.0.3" },
	{ 0, 0 },
};

static const char *const set_order[] = { "4.1", "5.5", "6.7", "7.0.3" };

static int version_rank(const char *v)
{
	for (size_t i = 0; i < sizeof(set_order) / sizeof(set_order[0]); i++)
		if (strcmp(set_order[i], v) == 0)
			return (int)i;
	return -1;
}

/* The additions entry for key when it applies to a set of version v. */
static const allow *allowed_entry(const char *v, const char *key)
{
	for (const allow *a = additions; a->key; a++)
		if (strcmp(a->key, key) == 0 && version_rank(a->since) > version_rank(v))
			return a;
	return NULL;
}

static bool allowed(const char *v, const char *fmt, ...)
{
	char key[512];
	va_list ap;

	if (!v)
		return false;
	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	return allowed_entry(v, key) != NULL;
}

/* ---------------------------------------------------------------- checker */

typedef struct report {
	const char *real_label;
	bool quiet;
	size_t problems;
} report;

static void problem(report *r, const char *fmt, ...)
{
	va_list ap;

	r->problems++;
	if (r->quiet)
		return;
	if (r->problems == 1)
		printf("\n");
	printf("  [vs %s] ", r->real_label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static ssize_t member_index(const xtype *t, const char *name)
{
	for (size_t i = 0; i < t->nm; i++)
		if (same(t->m[i].name, name))
			return (ssize_t)i;
	return -1;
}

static void check_type(report *r, const xtype *ot, const xset *real, const char *al)
{
	const xtype *rt = find_type(real, ot->name);
	ssize_t last = -1;
	const char *last_name = NULL;

	if (!rt) {
		if (!allowed(al, "%s", ot->name))
			problem(r, "type %s (%s) does not exist", ot->name, ot->file);
		return;
	}
	if (!same(ot->kind, rt->kind))
		problem(r, "type %s: is a %s here, a %s there", ot->name, ot->kind, rt->kind);
	if (!same(ot->base, rt->base))
		problem(r, "type %s: base is '%s' here, '%s' there", ot->name, ot->base, rt->base);
	for (size_t i = 0; i < ot->nm; i++) {
		const member *om = &ot->m[i];
		ssize_t ri = member_index(rt, om->name);
		const member *rm;

		if (ri < 0) {
			if (!allowed(al, "%s.%s", ot->name, om->name))
				problem(r, "type %s: member %s does not exist", ot->name, om->name);
			continue;
		}
		rm = &rt->m[ri];
		if (!same(om->type, rm->type))
			problem(r, "type %s: member %s has type %s here, %s there", ot->name, om->name,
				om->type, rm->type);
		if (!same(om->min, rm->min))
			problem(r, "type %s: member %s has minOccurs %s here, %s there", ot->name, om->name,
				om->min, rm->min);
		if (!same(om->max, rm->max))
			problem(r, "type %s: member %s has maxOccurs %s here, %s there", ot->name, om->name,
				om->max, rm->max);
		if (ri < last)
			problem(r, "type %s: member %s comes after %s here, before it there", ot->name,
				om->name, last_name);
		else {
			last = ri;
			last_name = om->name;
		}
	}
	for (size_t i = 0; i < rt->nm; i++)
		if (member_index(ot, rt->m[i].name) < 0 && !same(rt->m[i].min, "0"))
			problem(r, "type %s: required member %s (minOccurs %s) is left out", ot->name,
				rt->m[i].name, rt->m[i].min);
	for (size_t i = 0; i < ot->nen; i++) {
		bool found = false;

		for (size_t j = 0; j < rt->nen && !found; j++)
			found = same(ot->en[i], rt->en[j]);
		if (!found && !allowed(al, "%s=%s", ot->name, ot->en[i]))
			problem(r, "enum %s: value %s does not exist", ot->name, ot->en[i]);
	}
}

static void check_elem(report *r, const xelem *oe, const xset *real, const char *al)
{
	const xelem *re = find_elem(real, oe->name);

	if (!re) {
		if (!allowed(al, "elem:%s", oe->name))
			problem(r, "element %s does not exist", oe->name);
		return;
	}
	if (!same(oe->type, re->type))
		problem(r, "element %s: type %s here, %s there", oe->name,
			or_default(oe->type, "(inline)"), or_default(re->type, "(inline)"));
	if (!same(oe->rv_type, re->rv_type) || !same(oe->rv_min, re->rv_min) || !same(oe->rv_max, re->rv_max))
		problem(r, "element %s: returnval %s [%s..%s] here, %s [%s..%s] there", oe->name,
			or_default(oe->rv_type, "-"), or_default(oe->rv_min, "-"), or_default(oe->rv_max, "-"),
			or_default(re->rv_type, "-"), or_default(re->rv_min, "-"), or_default(re->rv_max, "-"));
}

static void check_op(report *r, const xset *ours, const xop *oo, const xset *real, const char *al)
{
	xop *ro = find_op((xset *)real, oo->name);
	const char *oi, *ri, *ob, *rb;

	if (!ro) {
		if (!allowed(al, "op:%s", oo->name))
			problem(r, "operation %s does not exist", oo->name);
		return;
	}
	oi = msg_element(ours, oo->in_msg);
	ri = msg_element(real, ro->in_msg);
	ob = msg_element(ours, oo->out_msg);
	rb = msg_element(real, ro->out_msg);
	if (!same(oi, ri))
		problem(r, "operation %s: request element %s here, %s there", oo->name,
			or_default(oi, "?"), or_default(ri, "?"));
	if (!same(ob, rb))
		problem(r, "operation %s: response element %s here, %s there", oo->name,
			or_default(ob, "?"), or_default(rb, "?"));
	for (size_t i = 0; i < oo->nfault; i++) {
		bool found = false;

		for (size_t j = 0; j < ro->nfault && !found; j++)
			found = same(oo->fault[i], ro->fault[j]);
		if (!found && !allowed(al, "op:%s/%s", oo->name, oo->fault[i]))
			problem(r, "operation %s: fault %s is not declared there", oo->name, oo->fault[i]);
	}
}

/* Compare our set with a real one; returns the number of problems. */
/* Whether a key of the additions table names something the set has. */
static bool key_exists(const xset *s, const char *key)
{
	char buf[512], *sep;
	const xtype *t;

	snprintf(buf, sizeof(buf), "%s", key);
	if (strncmp(buf, "op:", 3) == 0) {
		xop *op;

		sep = strchr(buf, '/');
		if (!sep)
			return false;
		*sep = '\0';
		op = find_op((xset *)s, buf + 3);
		for (size_t i = 0; op && i < op->nfault; i++)
			if (same(op->fault[i], sep + 1))
				return true;
		return false;
	}
	sep = strpbrk(buf, ".=");
	if (sep) {
		char kind = *sep;

		*sep = '\0';
		t = find_type(s, buf);
		if (!t)
			return false;
		if (kind == '.')
			return member_index(t, sep + 1) >= 0;
		for (size_t i = 0; i < t->nen; i++)
			if (same(t->en[i], sep + 1))
				return true;
		return false;
	}
	return find_type(s, buf) != NULL;
}

/* Compare our set with a real one; returns the number of problems.  With
 * use_additions, what the additions table dates after the real set's
 * version is excused. */
static size_t check_compat(const xset *ours, const xset *real, bool use_additions, bool quiet)
{
	report r = { real->label, quiet, 0 };
	const char *al = use_additions ? real->label : NULL;

	if (use_additions && version_rank(real->label) < 0)
		problem(&r, "no rank for set version %s", real->label);
	for (const allow *a = additions; al && a->key; a++) {
		if (version_rank(a->since) < 0)
			problem(&r, "additions: %s has an unknown version %s", a->key, a->since);
		else if (version_rank(a->since) > version_rank(al) && key_exists(real, a->key))
			problem(&r, "additions: %s is dated %s but %s has it", a->key, a->since, al);
	}

	for (size_t i = 0; i < ours->nt; i++)
		check_type(&r, &ours->t[i], real, al);
	for (size_t i = 0; i < ours->ne; i++)
		check_elem(&r, &ours->e[i], real, al);
	for (size_t i = 0; i < ours->nop; i++)
		check_op(&r, ours, &ours->op[i], real, al);
	return r.problems;
}

/* ------------------------------------------------------------------ tests */

static xset ours;
static bool ours_ok;

static int suite_init(void)
{
	ours_ok = load_set(&ours, "ours", OURS_DIR);
	return 0;
}

static int suite_fini(void)
{
	free_set(&ours);
	return 0;
}

/* Load ../shared/vim25-wsdl/<version>; false (skip message printed, or a
 * failure recorded) when it cannot be used. */
static bool load_real(xset *real, const char *version, const char *test)
{
	char rel[64], dir[4096];
	const char *path;

	snprintf(rel, sizeof(rel), "vim25-wsdl/%s/vim.wsdl", version);
	path = vtest_shared(rel, test);
	if (!path)
		return false;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (!load_set(real, version, dir)) {
		CU_FAIL("cannot read the reference set");
		free_set(real);
		return false;
	}
	CU_ASSERT(real->nt > 1000);
	return true;
}

static void compare_with(const char *version, bool use_additions, const char *test)
{
	xset real;
	size_t n;

	CU_ASSERT_FATAL(ours_ok);
	if (!load_real(&real, version, test))
		return;
	n = check_compat(&ours, &real, use_additions, false);
	if (n)
		printf("  %zu difference(s) from %s\n", n, version);
	CU_ASSERT_EQUAL(n, 0);
	free_set(&real);
}

static void test_wsdl_compat__subset_parses_and_is_complete(void)
{
	size_t unresolved = 0;

	CU_ASSERT_FATAL(ours_ok);
	CU_ASSERT(ours.nt > 200);
	CU_ASSERT(ours.nop >= 48);
	/* every vim25 type a member names is defined in the subset */
	for (size_t i = 0; i < ours.nt; i++)
		for (size_t j = 0; j < ours.t[i].nm; j++) {
			const char *ty = ours.t[i].m[j].type;

			if (ty && strncmp(ty, "xsd:", 4) != 0 && !find_type(&ours, ty)) {
				printf("\n  type %s: member %s names undefined type %s", ours.t[i].name,
				       ours.t[i].m[j].name, ty);
				unresolved++;
			}
		}
	CU_ASSERT_EQUAL(unresolved, 0);
}

static void test_wsdl_compat__every_operation_bound_with_soap_action_6_5(void)
{
	CU_ASSERT_FATAL(ours_ok);
	for (size_t i = 0; i < ours.nop; i++) {
		const xop *op = &ours.op[i];

		if (!op->bound || !same(op->action, SOAP_ACTION)) {
			printf("\n  operation %s: soapAction '%s'", op->name, or_default(op->action, "(unbound)"));
			CU_FAIL("operation without soapAction " SOAP_ACTION);
		}
		if (!msg_element(&ours, op->in_msg) || !find_elem(&ours, msg_element(&ours, op->in_msg)))
			CU_FAIL("operation whose request element is undefined");
	}
}

static void test_wsdl_compat__matches_vmware_7_0_3(void)
{
	compare_with("7.0.3", false, "test_wsdl_compat__matches_vmware_7_0_3");
}

static void test_wsdl_compat__matches_vmware_6_7_except_dated_additions(void)
{
	compare_with("6.7", true, "test_wsdl_compat__matches_vmware_6_7_except_dated_additions");
}

static void test_wsdl_compat__matches_vmware_5_5_except_dated_additions(void)
{
	compare_with("5.5", true, "test_wsdl_compat__matches_vmware_5_5_except_dated_additions");
}

static void test_wsdl_compat__matches_vmware_4_1_except_dated_additions(void)
{
	compare_with("4.1", true, "test_wsdl_compat__matches_vmware_4_1_except_dated_additions");
}

/* The checker itself: each kind of mistake in our subset must be reported.
 * Each mutation is applied to our loaded model, checked against 7.0.3
 * quietly, and undone. */
static void test_wsdl_compat__checker_reports_each_kind_of_mistake(void)
{
	xset real;
	xtype *t;
	member save;
	const char *s;

	CU_ASSERT_FATAL(ours_ok);
	if (!load_real(&real, "7.0.3", "test_wsdl_compat__checker_reports_each_kind_of_mistake"))
		return;
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 0);

	/* swapped member order */
	t = (xtype *)find_type(&ours, "VirtualMachineConfigSpec");
	CU_ASSERT_FATAL(t && t->nm > 2);
	save = t->m[0], t->m[0] = t->m[1], t->m[1] = save;
	CU_ASSERT(check_compat(&ours, &real, false, true) >= 1);
	save = t->m[0], t->m[0] = t->m[1], t->m[1] = save;

	/* wrong base */
	t = (xtype *)find_type(&ours, "InvalidPowerState");
	CU_ASSERT_FATAL(t != NULL);
	s = t->base, t->base = "VimFault";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
	t->base = s;

	/* wrong minOccurs, maxOccurs, type */
	t = (xtype *)find_type(&ours, "TaskInfo");
	CU_ASSERT_FATAL(t && t->nm > 10);
	s = t->m[0].min, t->m[0].min = "0";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
	t->m[0].min = s;
	s = t->m[0].max, t->m[0].max = "unbounded";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
	t->m[0].max = s;
	s = t->m[0].type, t->m[0].type = "xsd:int";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
	t->m[0].type = s;

	/* a required member left out (TaskInfo.key), a member that does not exist */
	s = t->m[0].name, t->m[0].name = "keyy";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 2);
	t->m[0].name = s;

	/* an enum value that does not exist, a type that does not exist */
	t = (xtype *)find_type(&ours, "VirtualMachinePowerState");
	CU_ASSERT_FATAL(t && t->nen == 3);
	s = t->en[2], t->en[2] = "hibernated";
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
	t->en[2] = s;
	s = t->name, t->name = "VirtualMachinePowerStatus";
	CU_ASSERT(check_compat(&ours, &real, false, true) >= 1);
	t->name = s;

	/* an operation with the wrong request element, an undeclared fault */
	{
		xop *op = find_op(&ours, "PowerOnVM_Task");

		CU_ASSERT_FATAL(op && op->nfault > 0);
		s = op->in_msg, op->in_msg = "PowerOffVM_TaskRequestMsg";
		CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
		op->in_msg = s;
		s = op->fault[0], op->fault[0] = "InvalidLoginFault";
		CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 1);
		op->fault[0] = s;
	}
	CU_ASSERT_EQUAL(check_compat(&ours, &real, false, true), 0);

	/* the additions table lookup sees members, enum values and faults */
	CU_ASSERT(key_exists(&real, "TaskInfo.activationId"));
	CU_ASSERT(key_exists(&real, "VirtualMachineToolsVersionStatus=guestToolsTooNew"));
	CU_ASSERT(key_exists(&real, "op:CreateVM_Task/AlreadyExistsFault"));
	CU_ASSERT(!key_exists(&real, "TaskInfo.activationIdd"));
	CU_ASSERT(!key_exists(&real, "op:CreateVM_Task/InvalidLoginFault"));
	free_set(&real);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_wsdl_compat__subset_parses_and_is_complete),
		VTEST_CASE(test_wsdl_compat__every_operation_bound_with_soap_action_6_5),
		VTEST_CASE(test_wsdl_compat__matches_vmware_7_0_3),
		VTEST_CASE(test_wsdl_compat__matches_vmware_6_7_except_dated_additions),
		VTEST_CASE(test_wsdl_compat__matches_vmware_5_5_except_dated_additions),
		VTEST_CASE(test_wsdl_compat__matches_vmware_4_1_except_dated_additions),
		VTEST_CASE(test_wsdl_compat__checker_reports_each_kind_of_mistake),
		VTEST_END,
	};

	return vtest_main("wsdl_compat", cases, suite_init, suite_fini);
}
