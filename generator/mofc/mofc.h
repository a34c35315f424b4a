/*
 * mofc - MOF compiler: the syntax tree, the parser and the emitter interfaces.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MOFC_H
#define MOFC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CIM types; the numbering matches vsdk_cim_type in sdk/include/vsdk/cim.h. */
enum mof_type {
	MT_NONE = 0, MT_BOOLEAN, MT_STRING, MT_CHAR16, MT_DATETIME,
	MT_UINT8, MT_SINT8, MT_UINT16, MT_SINT16, MT_UINT32, MT_SINT32,
	MT_UINT64, MT_SINT64, MT_REAL32, MT_REAL64, MT_REF, MT_INSTANCE
};

const char *mof_type_name(int type);

/* Where something was written. */
typedef struct mof_loc {
	const char *file;
	int line, col;
} mof_loc;

enum mof_vkind { MV_NONE, MV_NULL, MV_INT, MV_REAL, MV_STRING, MV_BOOL, MV_CHAR, MV_ARRAY, MV_ALIAS, MV_RAW };

typedef struct mof_value {
	int kind;            /* MV_* */
	char *text;          /* unescaped string, literal text, alias name */
	bool bval;
	struct mof_value *items; /* MV_ARRAY */
	size_t n;
} mof_value;

/* Flavors (DSP0004 plus Microsoft's Amended). */
#define FL_ENABLEOVERRIDE 0x01u
#define FL_DISABLEOVERRIDE 0x02u
#define FL_RESTRICTED 0x04u
#define FL_TOSUBCLASS 0x08u
#define FL_TRANSLATABLE 0x10u
#define FL_AMENDED 0x20u
#define FL_TOINSTANCE 0x40u

typedef struct mof_qual {
	char *name;
	mof_value val;       /* MV_NONE when written without a value */
	unsigned flavors;
	mof_loc loc;
} mof_qual;

typedef struct mof_quals {
	mof_qual *v;
	size_t n, cap;
} mof_quals;

typedef struct mof_feature {
	char *name;
	int type;            /* MT_*; MT_REF with ref_class */
	char *ref_class;
	long array;          /* -1 scalar, 0 variable array, n fixed size */
	mof_quals quals;
	mof_value def;       /* MV_NONE when no default */
	bool is_method;
	struct mof_feature *params;
	size_t n_params, cap_params;
	mof_loc loc;
	const struct mof_class *origin; /* class that declared it (after resolve) */
} mof_feature;

typedef struct mof_class {
	char *name;
	char *super;
	mof_quals quals;
	mof_feature *feats;   /* as written */
	size_t n_feats, cap_feats;
	mof_loc loc;
	/* resolution */
	struct mof_class *parent;
	int state;            /* 0 new, 1 in progress, 2 done */
	mof_feature *all;     /* flattened properties + methods, inherited first */
	size_t n_all;
} mof_class;

typedef struct mof_qualdecl {
	char *name;
	int type;
	long array;
	mof_value def;
	unsigned scope;       /* bit mask, unused beyond parsing */
	unsigned flavors;
	mof_loc loc;
} mof_qualdecl;

typedef struct mof_options {
	bool lenient;
	const char *const *include_dirs;
	size_t n_include_dirs;
	int max_errors;
} mof_options;

typedef struct mof_repo {
	mof_class **classes;
	size_t n_classes, cap_classes;
	mof_qualdecl *quals;
	size_t n_quals, cap_quals;
	size_t n_instances;
	size_t n_files;
	int errors, warnings;
	mof_options opt;
	const char **files;   /* every file read, in order */
	size_t cap_files;
} mof_repo;

/* Arena allocation: everything lives until mof_repo_free(). */
void *mof_alloc(size_t n);
char *mof_strdup(const char *s);
char *mof_strndup(const char *s, size_t n);
void mof_arena_free(void);

void mof_repo_init(mof_repo *r, const mof_options *opt);
/* Parse one file (and everything it includes); returns the error count so far. */
int mof_parse_file(mof_repo *r, const char *path);
/* Parse from memory (tests, fuzzing); name is used in messages. */
int mof_parse_buffer(mof_repo *r, const char *name, const char *text, size_t len);
/* Resolve superclasses, flatten features, check qualifiers; returns errors. */
int mof_resolve(mof_repo *r);

mof_class *mof_class_find(const mof_repo *r, const char *name);
const mof_qual *mof_qual_find(const mof_quals *q, const char *name);
const mof_qualdecl *mof_qualdecl_find(const mof_repo *r, const char *name);
const mof_feature *mof_feature_find(const mof_class *c, const char *name);

/* Diagnostics: "file:line:col: error|warning: message" on stderr. */
void mof_error(mof_repo *r, mof_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void mof_warn(mof_repo *r, mof_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int mof_strcasecmp(const char *a, const char *b);

/* Print a resolved class, one line per feature (a debugging aid). */
#include <stdio.h>
void mof_dump_class(FILE *f, const mof_class *c);
void mof_dump_value(FILE *f, const mof_value *v);

/* Emitter. */
typedef struct mof_emit_options {
	const char *dir;        /* output directory */
	const char *prefix;     /* "vsdk_hv" */
	const char *base;       /* output base name: "hyperv_v2" */
	const char *schema_name;/* "hyperv-v2" */
	const char *uri_base;
	const char *inputs;     /* for the header line */
	const char *const *classes; /* allowlist */
	size_t n_classes;
} mof_emit_options;

int mof_emit(mof_repo *r, const mof_emit_options *o);

#endif
