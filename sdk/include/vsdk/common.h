/*
 * vsdk - C SDK for VMware VI (vSphere SOAP) and Microsoft Hyper-V (WMI V2 over WS-Man)
 * Copyright (C) 2026 the vsdk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/common.h
 * @brief Return codes, the per-thread error detail, and logging.
 *
 * Every vsdk function that can fail returns an int: #VSDK_OK (0) or a negative
 * VSDK_E* code.  The code values are fixed and never renumbered; new codes are
 * only appended.  The detail of the most recent failure on the calling thread
 * is available from vsdk_error_last().
 *
 * Thread-safety: everything in this header may be called from any thread.
 * The error detail is per thread; the log callback is process-wide.
 */
#ifndef VSDK_COMMON_H
#define VSDK_COMMON_H

#include <stddef.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VSDK_BUILDING) && defined(__GNUC__)
/** Marks a function exported from libvsdk.so (every other symbol is hidden). */
#define VSDK_API __attribute__((visibility("default")))
#else
/** Marks a function exported from libvsdk.so (empty for callers). */
#define VSDK_API
#endif

#if defined(__GNUC__)
/** printf-style format check of argument @p f against the arguments from @p a. */
#define VSDK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
/** printf-style format check (empty without GCC attributes). */
#define VSDK_PRINTF(f, a)
#endif

/** Wait forever: pass as a timeout_ms argument. */
#define VSDK_WAIT_INFINITE (-1)

/**
 * @brief vsdk return codes.  Values are fixed; new codes are appended.
 */
typedef enum vsdk_code {
	VSDK_OK = 0,            /**< success */
	VSDK_EINVALID = -1,     /**< a caller's argument is invalid (the message names it) */
	VSDK_ENOMEM = -2,       /**< out of memory */
	VSDK_EIO = -3,          /**< connection, socket or HTTP transport failure */
	VSDK_ETLS = -4,         /**< TLS handshake or certificate verification failed */
	VSDK_EAUTH = -5,        /**< authentication failed (bad credentials, 401) */
	VSDK_EFAULT = -6,       /**< the server answered with a SOAP/WS-Man fault */
	VSDK_ENOTFOUND = -7,    /**< the named object does not exist */
	VSDK_ETIMEOUT = -8,     /**< a timeout expired */
	VSDK_ESTATE = -9,       /**< the object is in the wrong state for the operation */
	VSDK_EPARSE = -10,      /**< input text (VMX, XML, MOF, URI) is malformed */
	VSDK_EUNSUPPORTED = -11,/**< not supported by this server or this build */
	VSDK_ECANCELED = -12,   /**< the operation or task was cancelled */
	VSDK_EQUESTION = -13,   /**< a VM question blocks the task (auto_answer is off) */
	VSDK_EJOB = -14,        /**< a server-side task or job ended in error */
	VSDK_ETOOLS = -15,      /**< the operation requires guest tools that are not running */
	VSDK_EEXISTS = -16,     /**< the object already exists */
	VSDK_EPROTO = -17,      /**< the server's response violates the protocol */
	VSDK_ELIMIT = -18,      /**< a size or count limit was exceeded */
	VSDK_EINTERNAL = -19,   /**< an internal error (a bug in vsdk) */
	VSDK_EAMBIGUOUS = -20   /**< more than one object matches */
} vsdk_code;

/** Maximum length of the one-line error message, including the NUL. */
#define VSDK_ERROR_MESSAGE_MAX 1024

/**
 * @brief Detail of the last failure on the calling thread.
 *
 * Fields that do not apply are empty strings or zero.
 */
typedef struct vsdk_error {
	int code;                              /**< the VSDK_E* code returned */
	char message[VSDK_ERROR_MESSAGE_MAX];  /**< one line, for humans */
	char fault[128];      /**< server fault type, e.g. "InvalidPowerState", "w:InvalidSelectors" */
	int http_status;      /**< HTTP status of the failing exchange, 0 if none */
	long cim_return;      /**< CIM method return code (Hyper-V), 0 if none */
	unsigned long wsman_code; /**< WSManFault Code attribute (Hyper-V), 0 if none */
	int line;             /**< line number in parsed input (VMX, MOF), 0 if none */
} vsdk_error;

/**
 * @brief The detail of the last failure on this thread.
 * @return never NULL; after a success that cleared it, code is VSDK_OK.
 *         The pointer is valid until the next vsdk call on this thread.
 */
VSDK_API const vsdk_error *vsdk_error_last(void);

/** @brief Reset the calling thread's error detail to VSDK_OK. */
VSDK_API void vsdk_error_clear(void);

/**
 * @brief A fixed English description of a return code.
 * @param code a VSDK_E* value (or any int)
 * @return never NULL; a static string.
 */
VSDK_API const char *vsdk_strerror(int code);

/**
 * @brief Short symbolic name of a return code, e.g. "VSDK_ETIMEOUT".
 * @return never NULL; a static string ("VSDK_E?" for an unknown code).
 * @param code a VSDK_* code
 */
VSDK_API const char *vsdk_code_name(int code);

/** Log levels, from least to most verbose. */
typedef enum vsdk_log_level {
	VSDK_LOG_NONE = 0,
	VSDK_LOG_ERROR = 1,
	VSDK_LOG_WARN = 2,
	VSDK_LOG_INFO = 3,
	VSDK_LOG_DEBUG = 4,
	VSDK_LOG_TRACE = 5  /**< wire dumps; secrets are always masked */
} vsdk_log_level;

/** A log sink: one message per call, without a trailing newline. */
typedef void (*vsdk_log_cb)(vsdk_log_level level, const char *message, void *payload);

/**
 * @brief Send log messages up to @p level to @p cb.
 *
 * vsdk never writes to stderr on its own; with no callback, messages are
 * dropped.  Passwords, session cookies and Authorization headers are masked
 * at every level.
 * @param level the most verbose level delivered
 * @param cb    the sink, or NULL to stop logging
 * @param payload passed back to @p cb
 * Thread-safety: may be called at any time; @p cb may be called from any
 * thread that uses vsdk, concurrently.
 */
VSDK_API void vsdk_log_set(vsdk_log_level level, vsdk_log_cb cb, void *payload);

/**
 * @brief The current log level (VSDK_LOG_NONE when no callback is set).
 * @return the current level
 */
VSDK_API vsdk_log_level vsdk_log_level_get(void);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_COMMON_H */
