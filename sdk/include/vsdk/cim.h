/*
 * vsdk - CIM runtime: type-info tables, typed instances, WS-Man and CIM-XML codecs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/cim.h
 * @brief The one hand-written runtime behind the classes mofc generates.
 *
 * mofc turns MOF (wsdl/hyperv-v2/\*.mof) into, per class, a C struct with
 * typed fields and a `present` flag per property, plus a constant
 * ::vsdk_cim_class table describing it (property names, CIM types, keys,
 * ValueMap/Values, embedded-instance classes, field offsets).  Everything
 * here works from those tables, for every class:
 *
 *  - WS-Man instance XML (`<p:Cls>` with one child per property) to struct and back;
 *  - CIM-XML `INSTANCE` text (DSP0201, the embedded-instance form) to struct and back;
 *  - method input/output parameter structs to `<p:M_INPUT>` / from `<p:M_OUTPUT>`;
 *  - freeing.
 *
 * Field representation (T is the property's C field):
 * | CIM type            | scalar field           | array field (+ `size_t <Name>_count`) |
 * |---------------------|------------------------|---------------------------------------|
 * | boolean             | bool                   | bool *                                |
 * | string              | char * (UTF-8)         | char **                               |
 * | char16              | uint16_t               | uint16_t *                            |
 * | uint8..uint64       | uint8_t..uint64_t      | pointer to those                      |
 * | sint8..sint64       | int8_t..int64_t        | pointer to those                      |
 * | real32, real64      | double                 | double *                              |
 * | datetime            | ::vsdk_cim_datetime    | ::vsdk_cim_datetime *                 |
 * | REF                 | ::vsdk_cim_epr         | ::vsdk_cim_epr *                      |
 * | embedded instance   | ::vsdk_cim_instance *  | ::vsdk_cim_instance **                |
 *
 * A string property with the EmbeddedInstance or HyperVEmbeddedInstance
 * qualifier is an "embedded instance": it is decoded into the struct of
 * the class named by its CLASSNAME (when the schema has it, else the
 * qualifier's class), so check `inst->cls` before casting.
 *
 * Every struct (instances and method parameter structs) has a member
 * `present` with one bool per property: false means NULL / absent, so a
 * missing value is distinguishable from 0 or "".  Set it when filling a
 * struct to send.  All pointers in a struct are owned by it and freed by
 * vsdk_cim_clear() / vsdk_cim_free() (malloc/free).
 *
 * Thread-safety: the tables are constant; every function here is
 * reentrant and may be called from any thread on distinct data.
 */
#ifndef VSDK_CIM_H
#define VSDK_CIM_H

#include "vsdk/common.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CIM intrinsic types (DSP0004).  Values are fixed. */
typedef enum vsdk_cim_type {
	VSDK_CIM_NONE = 0,
	VSDK_CIM_BOOLEAN = 1,
	VSDK_CIM_STRING = 2,
	VSDK_CIM_CHAR16 = 3,
	VSDK_CIM_DATETIME = 4,
	VSDK_CIM_UINT8 = 5,
	VSDK_CIM_SINT8 = 6,
	VSDK_CIM_UINT16 = 7,
	VSDK_CIM_SINT16 = 8,
	VSDK_CIM_UINT32 = 9,
	VSDK_CIM_SINT32 = 10,
	VSDK_CIM_UINT64 = 11,
	VSDK_CIM_SINT64 = 12,
	VSDK_CIM_REAL32 = 13,
	VSDK_CIM_REAL64 = 14,
	VSDK_CIM_REFERENCE = 15, /**< field is a vsdk_cim_epr */
	VSDK_CIM_INSTANCE = 16   /**< embedded instance: field is a vsdk_cim_instance * */
} vsdk_cim_type;

/**
 * @brief The lower-case MOF / CIM-XML name of a type ("uint16", "reference", ...).
 * @return never NULL ("unknown" for an invalid value).
 * @param type a CIM type
 */
VSDK_API const char *vsdk_cim_type_name(vsdk_cim_type type);

/** Property / parameter flags (vsdk_cim_prop.flags). */
#define VSDK_CIM_F_ARRAY 0x01u       /**< an array: a pointer plus `<Name>_count` */
#define VSDK_CIM_F_KEY 0x02u         /**< Key qualifier */
#define VSDK_CIM_F_IN 0x04u          /**< method parameter: IN */
#define VSDK_CIM_F_OUT 0x08u         /**< method parameter: OUT */
#define VSDK_CIM_F_EMBEDDED 0x10u    /**< EmbeddedInstance qualifier (string on the wire) */
#define VSDK_CIM_F_HVEMBEDDED 0x20u  /**< HyperVEmbeddedInstance qualifier (string on the wire) */
#define VSDK_CIM_F_REQUIRED 0x40u    /**< Required qualifier */
#define VSDK_CIM_F_RETURN 0x80u      /**< the method's ReturnValue (output structs) */

/** Class flags (vsdk_cim_class.flags). */
#define VSDK_CIM_C_ASSOCIATION 0x01u /**< Association qualifier */
#define VSDK_CIM_C_ABSTRACT 0x02u    /**< Abstract qualifier */
#define VSDK_CIM_C_PARAMS 0x04u      /**< a method's input or output parameter set */

/**
 * @brief A datetime (timestamp or interval), parsed, plus the text it came from.
 *
 * Accepted text forms: DMTF `yyyymmddhhmmss.mmmmmmsutc` (timestamp, s is
 * + or -) and `ddddddddhhmmss.mmmmmm:000` (interval), xs:dateTime
 * (`2013-04-15T16:28:43.488171Z`, what WinRM's cim:Datetime holds) and
 * xs:duration (`P1DT2H3M4.5S`, cim:Interval).
 */
typedef struct vsdk_cim_datetime {
	char *text;          /**< original text (owned); NULL when built from fields */
	bool interval;       /**< true: an interval (days..microseconds used) */
	bool valid;          /**< false when @c text did not parse (fields are 0) */
	/** Timestamps only: the date. @{ */
	int32_t year, month, day;
	/** @} */
	uint64_t days;                 /**< intervals only */
	/** Time of day (timestamps) or the rest of the interval. @{ */
	int32_t hour, minute, second;
	/** @} */
	int32_t microseconds; /**< 0..999999 */
	int32_t utc_offset;  /**< timestamps: minutes east of UTC */
} vsdk_cim_datetime;

/**
 * @brief Parse @p text into @p dt (text copied into dt->text).
 * @return VSDK_OK; VSDK_EPARSE if the text is not a datetime (dt->valid is
 *         false but dt->text is kept); VSDK_ENOMEM.  Clears @p dt first.
 * @param[out] dt the datetime to fill (cleared first; clear it with vsdk_cim_datetime_clear())
 * @param text DMTF datetime or interval text, or xs:dateTime text
 */
VSDK_API int vsdk_cim_datetime_parse(vsdk_cim_datetime *dt, const char *text);

/**
 * @brief Format @p dt in DMTF form (25 characters + NUL) into @p buf.
 * @return VSDK_OK or VSDK_EINVALID (dt not valid, buf too small).
 * @param[out] buf receives the text and its NUL
 * @param size size of @p buf in bytes (at least 26)
 * @param dt a valid datetime
 */
VSDK_API int vsdk_cim_datetime_format_dmtf(char *buf, size_t size, const vsdk_cim_datetime *dt);

/**
 * @brief Format @p dt as xs:dateTime / xs:duration (the WS-Man form) into @p buf.
 * @return VSDK_OK or VSDK_EINVALID.
 * @param[out] buf receives the text and its NUL
 * @param size size of @p buf in bytes
 * @param dt a valid datetime
 */
VSDK_API int vsdk_cim_datetime_format_xs(char *buf, size_t size, const vsdk_cim_datetime *dt);

/**
 * @brief Free dt->text and zero @p dt.  NULL is accepted.
 * @param dt the datetime to clear (NULL accepted)
 */
VSDK_API void vsdk_cim_datetime_clear(vsdk_cim_datetime *dt);

/** A WS-Man selector: `<w:Selector Name="name">value</w:Selector>`. */
typedef struct vsdk_cim_selector {
	char *name;  /**< the key property name */
	char *value; /**< its value as text */
} vsdk_cim_selector;

/**
 * @brief An endpoint reference (a REF value): address, resource URI, selectors.
 *
 * On the wire: `<a:Address>` + `<a:ReferenceParameters>` holding
 * `<w:ResourceURI>` and `<w:SelectorSet>`.
 */
typedef struct vsdk_cim_epr {
	char *address;        /**< a:Address; NULL -> the anonymous role address */
	char *resource_uri;   /**< w:ResourceURI */
	vsdk_cim_selector *selectors; /**< w:SelectorSet (owned) */
	size_t n_selectors;           /**< number of selectors */
} vsdk_cim_epr;

/**
 * @brief Free the members of @p epr and zero it.  NULL is accepted.
 * @param epr the EPR whose contents are freed and zeroed (NULL accepted)
 */
VSDK_API void vsdk_cim_epr_clear(vsdk_cim_epr *epr);

/**
 * @brief Add (copy) a selector to @p epr.
 * @return VSDK_OK, VSDK_EINVALID (NULL argument), VSDK_ENOMEM.
 * @param epr the EPR to extend
 * @param name the selector (key property) name; copied
 * @param value its value; copied
 */
VSDK_API int vsdk_cim_epr_add_selector(vsdk_cim_epr *epr, const char *name, const char *value);

/**
 * @brief Deep-copy @p src into @p dst (dst is overwritten, not freed).
 * @return VSDK_OK, VSDK_ENOMEM (dst is then zeroed).
 * @param[out] dst overwritten (not freed first); clear it with vsdk_cim_epr_clear()
 * @param src the EPR to copy
 */
VSDK_API int vsdk_cim_epr_copy(vsdk_cim_epr *dst, const vsdk_cim_epr *src);

/**
 * @brief The value of selector @p name (case-insensitive), or NULL.
 * Borrowed from @p epr.
 * @param epr the EPR
 * @param name the selector name (case-insensitive)
 * @return the value (borrowed from @p epr), or NULL when it has no such selector
 */
VSDK_API const char *vsdk_cim_epr_selector(const vsdk_cim_epr *epr, const char *name);

/** Type information for one class (struct vsdk_cim_class, below). */
typedef struct vsdk_cim_class vsdk_cim_class;
/** A set of generated classes (struct vsdk_cim_schema, below). */
typedef struct vsdk_cim_schema vsdk_cim_schema;

/** ValueMap / Values of a property: values[i] is named names[i]. */
typedef struct vsdk_cim_valuemap {
	size_t n;                  /**< number of entries in each array */
	const char *const *values; /**< ValueMap entries (may be ranges "12..32767") */
	const char *const *names;  /**< Values entries ("" when the MOF has none) */
} vsdk_cim_valuemap;

/** Type information for one property or method parameter. */
typedef struct vsdk_cim_prop {
	const char *name;          /**< MOF spelling */
	vsdk_cim_type type;        /**< VSDK_CIM_INSTANCE for embedded instances */
	unsigned flags;            /**< VSDK_CIM_F_* */
	const char *class_name;    /**< REF target class / embedded instance class, else NULL */
	size_t offset;             /**< of the field */
	size_t count_offset;       /**< of `<Name>_count` (arrays), else 0 */
	size_t present_offset;     /**< of `present.<Name>` */
	const vsdk_cim_valuemap *valuemap; /**< NULL when none */
} vsdk_cim_prop;

/** A method: its parameter sets are pseudo-classes (VSDK_CIM_C_PARAMS). */
typedef struct vsdk_cim_method {
	const char *name;           /**< MOF spelling */
	const vsdk_cim_class *cls;  /**< the class that declares it */
	const vsdk_cim_class *in;   /**< "<Method>_INPUT": the IN parameters */
	const vsdk_cim_class *out;  /**< "<Method>_OUTPUT": ReturnValue + the OUT parameters */
} vsdk_cim_method;

/** Type information for one class (or one method parameter set). */
struct vsdk_cim_class {
	const char *name;            /**< MOF spelling */
	const char *superclass;      /**< MOF superclass name, NULL for a root */
	const vsdk_cim_schema *schema; /**< the schema the class belongs to */
	const char *resource_uri;    /**< WS-Man resource URI of the class */
	size_t size;                 /**< sizeof the struct */
	unsigned flags;              /**< VSDK_CIM_C_* */
	const vsdk_cim_prop *props;  /**< sorted by name, case-insensitive (WinRM rendering order) */
	size_t n_props;              /**< inherited properties included */
	const vsdk_cim_method *methods; /**< sorted by name; inherited methods not repeated */
	size_t n_methods;            /**< number of methods */
	const char *const *ancestors; /**< superclass chain names, nearest first, NULL-terminated */
};

/** A set of generated classes (e.g. vsdk_hv_schema for Hyper-V V2). */
struct vsdk_cim_schema {
	const char *name;            /**< e.g. "hyperv-v2" */
	const char *uri_base;        /**< resource URI prefix; class URI = uri_base + name */
	const vsdk_cim_class *const *classes; /**< sorted by name, case-insensitive */
	size_t n_classes;            /**< number of classes */
};

/**
 * @brief The head of every generated class struct (member `cim`, first).
 */
typedef struct vsdk_cim_instance {
	const vsdk_cim_class *cls; /**< the instance's class (may be a subclass of the struct's) */
} vsdk_cim_instance;

/**
 * @brief Find a class by name (case-insensitive); NULL if absent.
 * @param schema the schema
 * @param name the class name (case-insensitive)
 * @return the class (static), or NULL when the schema has none of that name
 */
VSDK_API const vsdk_cim_class *vsdk_cim_class_find(const vsdk_cim_schema *schema, const char *name);

/**
 * @brief Find a property / parameter by name (case-insensitive); NULL if absent.
 * @param cls the class
 * @param name the property name (case-insensitive)
 * @return the property descriptor (static), or NULL
 */
VSDK_API const vsdk_cim_prop *vsdk_cim_prop_find(const vsdk_cim_class *cls, const char *name);

/**
 * @brief Find a method by name (case-insensitive), searching superclasses in the schema.
 * @param cls the class
 * @param name the method name (case-insensitive)
 * @return the method descriptor (static), or NULL
 */
VSDK_API const vsdk_cim_method *vsdk_cim_method_find(const vsdk_cim_class *cls, const char *name);

/**
 * @brief Is @p cls named @p name or derived from it (case-insensitive)?
 * @param cls the class
 * @param name the name of a possible ancestor
 * @return true when @p cls is that class or derives from it
 */
VSDK_API bool vsdk_cim_class_is_a(const vsdk_cim_class *cls, const char *name);

/**
 * @brief The Values name of @p value in @p prop's ValueMap (ranges "a..b" honoured).
 * @return NULL when the property has no ValueMap or the value is not in it.
 * @param prop a property with a ValueMap
 * @param value the numeric value
 */
VSDK_API const char *vsdk_cim_value_name(const vsdk_cim_prop *prop, long long value);

/**
 * @brief The Values name of @p value in a ValueMap (ranges "a..b", "..", "0x8000.." honoured).
 * @return NULL when @p vm is NULL or the value is not in it.
 * @param vm the ValueMap table
 * @param value the numeric value
 */
VSDK_API const char *vsdk_cim_valuemap_name(const vsdk_cim_valuemap *vm, long long value);

/**
 * @brief Is property @p prop present (non-NULL) in @p data?
 * @param prop the property
 * @param data the instance struct
 * @return true when the property was in the answer (or was set)
 */
VSDK_API bool vsdk_cim_is_present(const vsdk_cim_prop *prop, const void *data);

/**
 * @brief Allocate a zeroed instance of @p cls (header set).
 * @return VSDK_OK, VSDK_EINVALID (NULL or a parameter-set class), VSDK_ENOMEM.
 *         Free with vsdk_cim_free().
 * @param[out] out the new instance; free it with vsdk_cim_free()
 * @param cls its class
 */
VSDK_API int vsdk_cim_new(vsdk_cim_instance **out, const vsdk_cim_class *cls);

/**
 * @brief Free an instance from vsdk_cim_new() or a decoder, deeply.  NULL is accepted.
 * @param inst the instance (NULL accepted)
 */
VSDK_API void vsdk_cim_free(vsdk_cim_instance *inst);

/**
 * @brief Free every member of the struct @p data of class @p cls and zero
 * it (an instance keeps its `cim.cls`).  For stack structs (method parameters).
 * @param cls the class of @p data
 * @param data the instance struct whose members are freed and zeroed
 */
VSDK_API void vsdk_cim_clear(const vsdk_cim_class *cls, void *data);

/** WS-Man encoder flags. */
#define VSDK_CIM_WSMAN_NIL 0x01u   /**< absent properties as xsi:nil (instance rendering) */
#define VSDK_CIM_WSMAN_TYPE 0x02u  /**< add xsi:type="p:<Cls>_Type" and xmlns:xsi/cim on the root */

/**
 * @brief Encode @p data as one WS-Man element `<p:elem xmlns:p="ns">`, a child
 * `<p:Prop>` per property in the table's order (arrays repeated, REFs as
 * EPR children, datetimes in cim:Datetime / cim:Interval, embedded
 * instances as escaped CIM-XML text).
 * @param out      receives malloc'd NUL-terminated XML (caller frees)
 * @param cls      the class or parameter set of @p data
 * @param data     the struct
 * @param elem     root element local name (NULL: cls->name)
 * @param ns       namespace URI of p: (NULL: cls->resource_uri)
 * @param flags    VSDK_CIM_WSMAN_*
 * @return VSDK_OK, VSDK_EINVALID (NULL arguments, invalid UTF-8 in a string
 *         named in the message), VSDK_ENOMEM.
 */
VSDK_API int vsdk_cim_to_wsman(char **out, const vsdk_cim_class *cls, const void *data,
			       const char *elem, const char *ns, unsigned flags);

/**
 * @brief Decode a WS-Man instance element (the text's root element, or the
 * first element whose local name is @p cls->name when the root is an envelope)
 * into the zeroed struct @p data.
 *
 * Children are matched to properties by local name (case-insensitive);
 * unknown children are ignored; missing ones and xsi:nil stay not present.
 * A datetime that does not parse is kept as text with valid = false.
 * @return VSDK_OK; VSDK_EPARSE (not XML, a value does not fit its type:
 *         the message names the property); VSDK_EINVALID; VSDK_ENOMEM.
 *         On error @p data is cleared.
 * @param[out] data the instance struct of @p cls to fill (cleared first)
 * @param cls the class to decode as
 * @param xml the WS-Man response or instance XML
 * @param len length of @p xml in bytes
 */
VSDK_API int vsdk_cim_from_wsman(void *data, const vsdk_cim_class *cls, const char *xml, size_t len);

/**
 * @brief Decode a WS-Man instance into a new instance whose class is the
 * element's own class when @p schema has it and it derives from @p expect,
 * else @p expect.
 * @return as vsdk_cim_from_wsman(); *out is freed with vsdk_cim_free().
 * @param[out] out the new instance; free it with vsdk_cim_free()
 * @param schema the schema whose classes may be decoded
 * @param expect the class expected (a subclass found in @p schema is decoded as itself)
 * @param xml the WS-Man response XML
 * @param len length of @p xml in bytes
 */
VSDK_API int vsdk_cim_instance_from_wsman(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
					  const vsdk_cim_class *expect, const char *xml, size_t len);

/**
 * @brief Decode every instance of an Enumerate/Pull response (the children
 * of its `Items` element, or the root element when there is no Items) whose
 * class derives from @p expect, each as in vsdk_cim_instance_from_wsman().
 * @param out   receives a malloc'd array of *n instances (NULL when none);
 *              free each with vsdk_cim_free() and the array with free()
 * @return VSDK_OK, VSDK_EPARSE, VSDK_EINVALID, VSDK_ENOMEM (nothing returned).
 * @param[out] n the number of instances
 * @param schema the schema whose classes may be decoded
 * @param expect the class expected
 * @param xml the Enumerate or Pull response XML
 * @param len length of @p xml in bytes
 */
VSDK_API int vsdk_cim_instances_from_wsman(vsdk_cim_instance ***out, size_t *n, const vsdk_cim_schema *schema,
					   const vsdk_cim_class *expect, const char *xml, size_t len);

/**
 * @brief Encode an instance as CIM-XML `<INSTANCE CLASSNAME=..>` (DTD 2.0):
 * PROPERTY / PROPERTY.ARRAY / PROPERTY.REFERENCE with TYPE in lower case,
 * only present properties.
 * @return VSDK_OK, VSDK_EINVALID, VSDK_ENOMEM; *out is malloc'd.
 * @param[out] out the CIM-XML text; free() it
 * @param inst the instance to encode
 */
VSDK_API int vsdk_cim_to_cimxml(char **out, const vsdk_cim_instance *inst);

/**
 * @brief Decode CIM-XML `INSTANCE` text into a new instance of the class
 * named by CLASSNAME (looked up in @p schema; when unknown, @p fallback;
 * when NULL too, VSDK_EUNSUPPORTED).  PROPAGATED is ignored; properties
 * the class does not have are ignored; a PROPERTY without VALUE is NULL.
 * @return VSDK_OK, VSDK_EPARSE, VSDK_EUNSUPPORTED, VSDK_EINVALID, VSDK_ENOMEM.
 * @param[out] out the new instance; free it with vsdk_cim_free()
 * @param schema the schema to look CLASSNAME up in
 * @param fallback the class used when CLASSNAME is not in @p schema, or NULL
 * @param text the CIM-XML INSTANCE text
 * @param len length of @p text in bytes
 */
VSDK_API int vsdk_cim_from_cimxml(vsdk_cim_instance **out, const vsdk_cim_schema *schema,
				  const vsdk_cim_class *fallback, const char *text, size_t len);

/**
 * @brief The EPR of an instance: its class's resource URI and one selector
 * per Key property (strings as they are, numbers and booleans as text), in
 * table order.  Use it as the @c target of a method call or to render
 * EnumerateEPR results.
 * @param out overwritten (not freed first); clear with vsdk_cim_epr_clear()
 * @return VSDK_OK; VSDK_EINVALID (NULL, or a key property not present: the
 *         message names it); VSDK_EUNSUPPORTED (a REF or datetime key);
 *         VSDK_ENOMEM.
 * @param inst the instance, with its Key properties present
 */
VSDK_API int vsdk_cim_instance_epr(vsdk_cim_epr *out, const vsdk_cim_instance *inst);

/**
 * @brief The WMI object path of an instance, as Hyper-V expects inside
 * embedded instances (e.g. RASD Parent / HostResource):
 * `\\HOST\root\virtualization\v2:Class.Key1="v1",Key2="v2"`, with
 * backslashes and double quotes in values escaped by a backslash.  The namespace comes from the
 * schema's URI base (the part after ".../wmi/").
 * @param out  receives a malloc'd string
 * @param host the host name (e.g. Win32_ComputerSystem.DNSHostName)
 * @return as vsdk_cim_instance_epr(), plus VSDK_EINVALID for a NULL host.
 * @param inst the instance, with its Key properties present
 */
VSDK_API int vsdk_cim_wmi_path(char **out, const char *host, const vsdk_cim_instance *inst);

/**
 * @brief The hook through which generated method calls reach a server.
 *
 * invoke() sends @p body (the `<p:M_INPUT>` element) as a WS-Man Invoke of
 * @p method on the instance of @p resource_uri picked by @p selectors, and
 * returns the response (the whole SOAP envelope or just the Body's child)
 * in *response (malloc'd; the runtime frees it).  It returns VSDK_OK or a
 * VSDK_E* code after setting the error detail (faults: VSDK_EFAULT).
 */
typedef struct vsdk_cim_transport {
	/** Sends one Invoke (see above); @p ctx is the member below. */
	int (*invoke)(void *ctx, const char *resource_uri, const char *method,
		      const vsdk_cim_selector *selectors, size_t n_selectors,
		      const char *body, size_t body_len, char **response, size_t *response_len);
	void *ctx; /**< passed to invoke() */
} vsdk_cim_transport;

/**
 * @brief Encode a method's input struct as `<p:M_INPUT xmlns:p="<class URI>">`.
 * REF parameters are EPRs, embedded instances CIM-XML in CDATA, arrays
 * repeated elements; absent parameters are left out.
 * @return VSDK_OK, VSDK_EINVALID, VSDK_ENOMEM; *out malloc'd.
 * @param[out] out the request body XML; free() it
 * @param m the method
 * @param in the method's input struct
 */
VSDK_API int vsdk_cim_method_input_encode(char **out, const vsdk_cim_method *m, const void *in);

/**
 * @brief Server side: decode `<p:M_INPUT>` (found anywhere in @p xml) into
 * the input struct @p in (zeroed first).  CDATA and escaped CIM-XML both work
 * for embedded instances; REF parameters become EPRs.
 * @return VSDK_OK, VSDK_EPROTO (no such element), VSDK_EPARSE (the message
 *         names the parameter), VSDK_EINVALID, VSDK_ENOMEM.  Clear @p in with
 *         vsdk_cim_clear(m->in, in).
 * @param[out] in the method's input struct to fill (server side)
 * @param m the method
 * @param xml the request body XML
 * @param len length of @p xml in bytes
 */
VSDK_API int vsdk_cim_method_input_decode(void *in, const vsdk_cim_method *m, const char *xml, size_t len);

/**
 * @brief Server side: encode the output struct as `<p:M_OUTPUT xmlns:p=..
 * xmlns:a=.. xmlns:w=..>`: REFs (the Job) as EPR children directly under
 * their element, embedded instances as nested elements typed with xsi:type.
 * @return VSDK_OK, VSDK_EINVALID, VSDK_ENOMEM; *out malloc'd.
 * @param[out] out the response body XML; free() it (server side)
 * @param m the method
 * @param outp the method's output struct
 */
VSDK_API int vsdk_cim_method_output_encode(char **out, const vsdk_cim_method *m, const void *outp);

/**
 * @brief Decode `<p:M_OUTPUT>` (found anywhere in @p xml, e.g. in an envelope)
 * into the zeroed output struct.
 * @return VSDK_OK, VSDK_EPROTO (no such element), VSDK_EPARSE, VSDK_ENOMEM.
 * @param[out] outp the method's output struct to fill
 * @param m the method
 * @param xml the response XML
 * @param len length of @p xml in bytes
 */
VSDK_API int vsdk_cim_method_output_decode(void *outp, const vsdk_cim_method *m, const char *xml, size_t len);

/**
 * @brief Call method @p m through @p t: encode @p in, invoke, decode into @p out.
 *
 * The generated `vsdk_hv_<Class>_<Method>()` functions call this.
 * @param t      transport (borrowed)
 * @param m      the method table
 * @param target the instance: its resource_uri (NULL: the class URI) and selectors
 * @param in     the input struct (may be NULL when there are no IN parameters)
 * @param out    the output struct, zeroed by the call first; clear it with
 *               vsdk_cim_clear(m->out, out) even after an error
 * @return VSDK_OK when the call returned (check out->ReturnValue: 0 done,
 *         4096 job started); the transport's code; VSDK_EPROTO / VSDK_EPARSE
 *         for a response without a valid `<M_OUTPUT>` or without ReturnValue;
 *         VSDK_EFAULT when the response is a SOAP fault; VSDK_EINVALID.
 *         The ReturnValue also lands in vsdk_error_last()->cim_return.
 */
VSDK_API int vsdk_cim_invoke(const vsdk_cim_transport *t, const vsdk_cim_method *m,
			     const vsdk_cim_epr *target, const void *in, void *out);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_CIM_H */
