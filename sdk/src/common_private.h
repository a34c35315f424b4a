/*
 * vsdk - internal helpers shared by every module.  Never installed.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_COMMON_PRIVATE_H
#define VSDK_COMMON_PRIVATE_H

#include "vsdk/common.h"
#include <stdbool.h>
#include <stdint.h>

/*
 * Error detail.  Each failure path sets it once, where most is known, and
 * returns the code; callers propagate the code without overwriting.
 */
int vsdk__error_set(int code, const char *fmt, ...) VSDK_PRINTF(2, 3);
int vsdk__error_vset(int code, const char *fmt, va_list ap);
/* Mutable access to this thread's detail, to add fault/http/cim fields. */
vsdk_error *vsdk__error_mut(void);
/* Prefix the current message with "what: " (keeps code and fields). */
void vsdk__error_prefix(const char *fmt, ...) VSDK_PRINTF(1, 2);

/* Logging; cheap when the level is disabled. */
void vsdk__log(vsdk_log_level level, const char *fmt, ...) VSDK_PRINTF(2, 3);
bool vsdk__log_enabled(vsdk_log_level level);

/*
 * A growable string buffer.  On allocation failure it becomes "failed":
 * further appends do nothing and vsdk__buf_ok() returns false.
 */
typedef struct vsdk_buf {
	char *ptr;
	size_t len;
	size_t cap;
	bool failed;
} vsdk_buf;
#define VSDK_BUF_INIT { NULL, 0, 0, false }
void vsdk__buf_append(vsdk_buf *b, const char *s, size_t n);
void vsdk__buf_puts(vsdk_buf *b, const char *s);
void vsdk__buf_printf(vsdk_buf *b, const char *fmt, ...) VSDK_PRINTF(2, 3);
void vsdk__buf_putc(vsdk_buf *b, char c);
bool vsdk__buf_ok(const vsdk_buf *b);
/* Hand the NUL-terminated string to the caller (NULL if failed), reset b. */
char *vsdk__buf_detach(vsdk_buf *b);
void vsdk__buf_free(vsdk_buf *b);
/* Append s with XML escaping of & < > " ' (and control characters as refs). */
void vsdk__buf_xml_escape(vsdk_buf *b, const char *s);

/* strdup that sets VSDK_ENOMEM on failure (NULL in -> NULL out, no error). */
char *vsdk__strdup(const char *s);
/* Overwrite memory so the compiler cannot elide it (for credentials). */
void vsdk__wipe(void *p, size_t n);
/* Wipe and free a NUL-terminated secret. */
void vsdk__free_secret(char *s);
/*
 * Test hook: when set, called with each secret buffer right after it was
 * wiped and before it is freed (passwords, and the whole gSOAP context with
 * its buffers and cookies), so a test can check the bytes are zero.
 */
extern void (*vsdk__wipe_observer)(const void *p, size_t n);
/* Monotonic clock in milliseconds. */
int64_t vsdk__now_ms(void);
/* Sleep for ms milliseconds. */
void vsdk__sleep_ms(int64_t ms);
/* Case-insensitive ASCII compare helpers. */
int vsdk__strcasecmp(const char *a, const char *b);
bool vsdk__streq_ci(const char *a, const char *b);
/* Is s valid UTF-8 (len bytes)? */
bool vsdk__utf8_valid(const char *s, size_t len);

#endif
