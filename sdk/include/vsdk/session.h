/*
 * vsdk - sessions: one connection to a VMware VI endpoint or a Hyper-V host.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/**
 * @file vsdk/session.h
 * @brief Opening and closing sessions from a URI.
 *
 * URIs (see README.md for the full table):
 *  - `esx://[user@]host[:port][/]?params`  an ESX/ESXi host (default https 443, http 80)
 *  - `gsx://[user@]host[:port][/]?params`  VMware Server/GSX (https 8333, http 8222)
 *  - `vpx://[user@]host[:port][/path]?params` a vCenter (https 443, http 80)
 *  - `hyperv://[user@]host[:port][/]?params` a Hyper-V host over WS-Man (https 5986, http 5985)
 *
 * Common parameters: `transport=http|https` (default https), `no_verify=0|1`.
 * VI parameters: `vcenter=<host>[:port]|*[:port]` (esx:// only; see vsdk/vi_inventory.h),
 * `auto_answer=0|1`, `proxy=[http://]host[:port]` (an HTTP proxy; https goes through CONNECT).
 * Timeouts: `connect_timeout_ms=N`, `io_timeout_ms=N`.
 * An unknown or malformed parameter is an error naming it.
 *
 * Credentials come from the auth callback (its challenge is the host name, so
 * a tool can tell an ESX host from its vCenter), or from the URI's user and
 * the environment variable VSDK_PASSWORD.  Passwords are never logged and
 * are wiped from memory when the session is closed.
 *
 * Thread-safety: a session is used by one thread at a time; different
 * sessions are independent and may be used concurrently from different
 * threads.
 */
#ifndef VSDK_SESSION_H
#define VSDK_SESSION_H

#include "vsdk/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open session (opaque). */
typedef struct vsdk_session vsdk_session;

/** What a session is connected to. */
typedef enum vsdk_session_kind {
	VSDK_SESSION_ESX = 1,    /**< esx:// - a standalone ESX/ESXi host */
	VSDK_SESSION_GSX = 2,    /**< gsx:// - VMware Server / GSX */
	VSDK_SESSION_VPX = 3,    /**< vpx:// - a vCenter server */
	VSDK_SESSION_HYPERV = 4  /**< hyperv:// - a Hyper-V host (WMI V2 over WS-Man) */
} vsdk_session_kind;

/**
 * @brief Credential callback.
 *
 * @param payload    the options' auth_payload
 * @param host       the host being logged into (the challenge)
 * @param[in,out] username  preset to the URI's user (or NULL); the callback
 *                   may replace it with a malloc()ed string (vsdk frees it)
 * @param[out] password  a malloc()ed string; vsdk wipes and frees it
 * @return VSDK_OK, or a negative code to abort the open (returned to the caller)
 */
typedef int (*vsdk_auth_cb)(void *payload, const char *host, char **username, char **password);

/** Current version of vsdk_session_options. */
#define VSDK_SESSION_OPTIONS_VERSION 1

/** Options for vsdk_session_open(); start from VSDK_SESSION_OPTIONS_INIT. */
typedef struct vsdk_session_options {
	unsigned int version;      /**< VSDK_SESSION_OPTIONS_VERSION */
	vsdk_auth_cb auth;         /**< credential callback, or NULL for URI user + VSDK_PASSWORD */
	void *auth_payload;        /**< passed to @ref auth */
	const char *ca_file;       /**< PEM file of trusted CAs (default: the system store) */
	const char *ca_dir;        /**< directory of hashed CA certificates */
	/** Accept exactly this server certificate: its SHA-256 (or SHA-1, as ESX
	 *  shows) fingerprint as hex, colons optional.  Replaces CA verification. */
	const char *thumbprint;
	int connect_timeout_ms;    /**< 0: 30000 */
	int io_timeout_ms;         /**< per read/write; 0: 120000 */
	size_t max_response_bytes; /**< larger responses are refused; 0: 512 MiB */
	unsigned int max_xml_depth;/**< deeper XML is refused; 0: 200 */
	int gzip_requests;         /**< compress request bodies (off: some servers refuse it) */
} vsdk_session_options;

/** Initializer with every default. */
#define VSDK_SESSION_OPTIONS_INIT { VSDK_SESSION_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 }

/**
 * @brief Open a session: connect, check what the server is, and log in.
 *
 * @param[out] out  the new session, or NULL on failure
 * @param uri       see the file comment
 * @param opts      options, or NULL for the defaults
 * @return VSDK_OK; VSDK_EINVALID (bad URI or parameter, named in the
 *         message), VSDK_EIO (cannot connect), VSDK_ETLS (certificate
 *         refused; the message says how to trust it), VSDK_EAUTH (bad
 *         credentials), VSDK_EUNSUPPORTED (wrong kind of server for the
 *         scheme, e.g. esx:// pointing at a vCenter), VSDK_ETIMEOUT, VSDK_ENOMEM.
 * Ownership: the caller closes *out with vsdk_session_close().
 */
VSDK_API int vsdk_session_open(vsdk_session **out, const char *uri, const vsdk_session_options *opts);

/**
 * @brief Log out (best effort), close the connection, wipe credentials, free.
 * @param s a session, or NULL (no-op)
 */
VSDK_API void vsdk_session_close(vsdk_session *s);

/**
 * @brief The session's kind.
 * @param s the session (used by one thread at a time)
 * @return the kind
 */
VSDK_API vsdk_session_kind vsdk_session_get_kind(const vsdk_session *s);

/**
 * @brief The server's product description, e.g. "VMware ESXi 7.0.3 build-...".
 * @return borrowed; valid while the session lives; never NULL ("" if unknown).
 * @param s the session (used by one thread at a time)
 */
VSDK_API const char *vsdk_session_get_product(const vsdk_session *s);

/**
 * @brief The server's API version, e.g. "7.0.3.0" (VI) or "2.0" (WS-Man).
 * @return borrowed; valid while the session lives; never NULL.
 * @param s the session (used by one thread at a time)
 */
VSDK_API const char *vsdk_session_get_api_version(const vsdk_session *s);

/**
 * @brief Number of TCP (and TLS) connections the session has made so far.
 *
 * With HTTP keep-alive a session normally uses one; useful to check that
 * a proxy or server keeps connections open.
 * @param s the session (used by one thread at a time)
 * @return the number of connections
 */
VSDK_API unsigned long vsdk_session_get_connection_count(const vsdk_session *s);

#ifdef __cplusplus
}
#endif
#endif /* VSDK_SESSION_H */
