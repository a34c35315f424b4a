/*
 * vsdk - logging, string buffers and small portable helpers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include "common_private.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- logging ---------------------------------------------------------- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static vsdk_log_cb log_cb;
static void *log_payload;
static volatile int log_level; /* read without the lock: a stale value is harmless */

VSDK_API void vsdk_log_set(vsdk_log_level level, vsdk_log_cb cb, void *payload)
{
	pthread_mutex_lock(&log_lock);
	log_cb = cb;
	log_payload = payload;
	log_level = cb ? (int)level : VSDK_LOG_NONE;
	pthread_mutex_unlock(&log_lock);
}

VSDK_API vsdk_log_level vsdk_log_level_get(void)
{
	return (vsdk_log_level)log_level;
}

bool vsdk__log_enabled(vsdk_log_level level)
{
	return level != VSDK_LOG_NONE && (int)level <= log_level;
}

void vsdk__log(vsdk_log_level level, const char *fmt, ...)
{
	char stack[1024], *msg = stack;
	vsdk_log_cb cb;
	void *payload;
	va_list ap;
	int n;

	if (!vsdk__log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(stack, sizeof(stack), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(stack)) {
		msg = malloc((size_t)n + 1);
		if (!msg) {
			msg = stack;
		} else {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)n + 1, fmt, ap);
			va_end(ap);
		}
	}
	pthread_mutex_lock(&log_lock);
	cb = log_cb;
	payload = log_payload;
	pthread_mutex_unlock(&log_lock);
	if (cb)
		cb(level, msg, payload);
	if (msg != stack)
		free(msg);
}

/* ---- string buffer ---------------------------------------------------- */

static bool buf_grow(vsdk_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX - b->len - 1) {
		b->failed = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->ptr = p;
	b->cap = cap;
	return true;
}

void vsdk__buf_append(vsdk_buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void vsdk__buf_puts(vsdk_buf *b, const char *s)
{
	vsdk__buf_append(b, s, strlen(s));
}

void vsdk__buf_putc(vsdk_buf *b, char c)
{
	vsdk__buf_append(b, &c, 1);
}

void vsdk__buf_printf(vsdk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

bool vsdk__buf_ok(const vsdk_buf *b)
{
	return !b->failed;
}

char *vsdk__buf_detach(vsdk_buf *b)
{
	char *s;

	if (b->failed) {
		vsdk__buf_free(b);
		vsdk__error_set(VSDK_ENOMEM, "out of memory building a string");
		return NULL;
	}
	if (!b->ptr && !buf_grow(b, 0)) {
		vsdk__error_set(VSDK_ENOMEM, "out of memory building a string");
		return NULL;
	}
	b->ptr[b->len] = '\0'; /* a buffer that never got text was allocated just now */
	s = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return s;
}

void vsdk__buf_free(vsdk_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void vsdk__buf_xml_escape(vsdk_buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep = NULL;
		char num[8];
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n') {
				snprintf(num, sizeof(num), "&#x%X;", c);
				rep = num;
			}
		}
		if (rep) {
			vsdk__buf_append(b, run, (size_t)(s - run));
			vsdk__buf_puts(b, rep);
			run = s + 1;
		}
	}
	vsdk__buf_append(b, run, (size_t)(s - run));
}

/* ---- misc ------------------------------------------------------------- */

char *vsdk__strdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		vsdk__error_set(VSDK_ENOMEM, "out of memory");
	return d;
}

void vsdk__wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void (*vsdk__wipe_observer)(const void *p, size_t n);

void vsdk__free_secret(char *s)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	vsdk__wipe(s, n);
	if (vsdk__wipe_observer)
		vsdk__wipe_observer(s, n);
	free(s);
}

int64_t vsdk__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vsdk__sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int vsdk__strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;

		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || !ca)
			return ca - cb;
	}
}

bool vsdk__streq_ci(const char *a, const char *b)
{
	return a && b && vsdk__strcasecmp(a, b) == 0;
}

bool vsdk__utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		unsigned c = *s;
		size_t n;
		unsigned min, cp;

		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if ((size_t)(end - s) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}
