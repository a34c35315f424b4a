/*
 * vsdk - MS-WSMV 2.2.9.1.1 message encryption: the multipart/encrypted body
 * carrying an NTLM-sealed SOAP message (the spelling that interoperates with
 * Windows: "--Encrypted Boundary", tab-indented part headers, UTF-8).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "ntlm_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY "--Encrypted Boundary"
#define PART1 BOUNDARY "\r\n\tContent-Type: " VSDK_WSMV_ENC_PROTOCOL "\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
#define PART2 BOUNDARY "\r\n\tContent-Type: application/octet-stream\r\n"
#define TRAILER BOUNDARY "--\r\n"

bool vsdk__wsmv_is_encrypted(const char *ct)
{
	return ct && strncasecmp(ct, "multipart/encrypted", 19) == 0 && strcasestr(ct, VSDK_WSMV_ENC_PROTOCOL);
}

int vsdk__wsmv_wrap(vsdk_ntlm *c, const char *plain, size_t len, char **out, size_t *out_len)
{
	char num[32];
	size_t nl = (size_t)snprintf(num, sizeof(num), "%zu\r\n", len);
	size_t total = strlen(PART1) + nl + strlen(PART2) + 4 + VSDK_NTLM_SIG_LEN + len + strlen(TRAILER);
	char *b = malloc(total + 1), *p;
	uint8_t sig[VSDK_NTLM_SIG_LEN];
	int rc;

	*out = NULL;
	*out_len = 0;
	if (!b)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory sealing a %zu-byte message", len);
	p = b;
	memcpy(p, PART1, strlen(PART1));
	p += strlen(PART1);
	memcpy(p, num, nl);
	p += nl;
	memcpy(p, PART2, strlen(PART2));
	p += strlen(PART2);
	p[0] = VSDK_NTLM_SIG_LEN; /* uint32 little-endian */
	p[1] = p[2] = p[3] = 0;
	p += 4;
	if ((rc = vsdk__ntlm_seal(c, (const uint8_t *)plain, len, (uint8_t *)p + VSDK_NTLM_SIG_LEN, sig))) {
		free(b);
		return rc;
	}
	memcpy(p, sig, VSDK_NTLM_SIG_LEN);
	p += VSDK_NTLM_SIG_LEN + len;
	memcpy(p, TRAILER, strlen(TRAILER));
	p += strlen(TRAILER);
	*p = '\0';
	*out = b;
	*out_len = (size_t)(p - b);
	return VSDK_OK;
}

/* Skip one header line starting at *p (within end); returns false when no CRLF. */
static bool next_line(const char **p, const char *end, const char **line, size_t *n)
{
	const char *e = memmem(*p, (size_t)(end - *p), "\r\n", 2);

	if (!e)
		return false;
	*line = *p;
	*n = (size_t)(e - *p);
	*p = e + 2;
	return true;
}

int vsdk__wsmv_unwrap(vsdk_ntlm *c, const char *body, size_t len, char **plain, size_t *plain_len)
{
	const char *p = body, *end = body + len, *line;
	size_t n, bl = strlen(BOUNDARY), want = (size_t)-1;
	bool proto_ok = false;
	uint32_t siglen;
	char *out;
	int rc;

	*plain = NULL;
	*plain_len = 0;
	/* first part: the metadata headers */
	if (len < bl + 2 || memcmp(p, BOUNDARY "\r\n", bl + 2) != 0)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: the body does not start with '%s'", BOUNDARY);
	p += bl + 2;
	for (;;) {
		if (!next_line(&p, end, &line, &n))
			return vsdk__error_set(VSDK_EPROTO, "encrypted message: unterminated part header");
		if (n >= bl && memcmp(line, BOUNDARY, bl) == 0)
			break; /* start of the second part */
		while (n && (*line == '\t' || *line == ' '))
			line++, n--;
		if (n > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
			proto_ok = memmem(line, n, VSDK_WSMV_ENC_PROTOCOL, strlen(VSDK_WSMV_ENC_PROTOCOL)) != NULL;
		} else if (n > 16 && strncasecmp(line, "OriginalContent:", 16) == 0) {
			const char *l = memmem(line, n, "Length=", 7);

			if (l) {
				char tmp[24];
				size_t k = 0;

				for (l += 7; l < line + n && k + 1 < sizeof(tmp) && *l >= '0' && *l <= '9'; l++)
					tmp[k++] = *l;
				tmp[k] = '\0';
				if (k)
					want = strtoull(tmp, NULL, 10);
			}
		}
	}
	if (!proto_ok)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: the first part is not %s", VSDK_WSMV_ENC_PROTOCOL);
	if (want == (size_t)-1)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: OriginalContent has no Length=");
	/* second part: its Content-Type line, then length-prefixed signature + sealed data */
	if (!next_line(&p, end, &line, &n))
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: the second part has no header");
	while (n && (*line == '\t' || *line == ' '))
		line++, n--;
	if (n < 13 || strncasecmp(line, "Content-Type:", 13) != 0 ||
	    !memmem(line, n, "application/octet-stream", 24))
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: the second part is not application/octet-stream");
	if ((size_t)(end - p) < 4)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: truncated before the signature length");
	siglen = (uint32_t)(uint8_t)p[0] | ((uint32_t)(uint8_t)p[1] << 8) | ((uint32_t)(uint8_t)p[2] << 16) |
		 ((uint32_t)(uint8_t)p[3] << 24);
	p += 4;
	if (siglen != VSDK_NTLM_SIG_LEN)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: signature length %u (NTLM uses 16)", siglen);
	if ((size_t)(end - p) < siglen || want > (size_t)(end - p) - siglen)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: %zu sealed bytes announced, only %zu present",
				       want, (size_t)(end - p) >= siglen ? (size_t)(end - p) - siglen : 0);
	if ((size_t)(end - p) - siglen - want < bl + 2 || memcmp(p + siglen + want, BOUNDARY "--", bl + 2) != 0)
		return vsdk__error_set(VSDK_EPROTO, "encrypted message: the sealed data is not followed by '%s--'",
				       BOUNDARY);
	out = malloc(want + 1);
	if (!out)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory unsealing a %zu-byte message", want);
	if ((rc = vsdk__ntlm_unseal(c, (const uint8_t *)p + siglen, want, (const uint8_t *)p, (uint8_t *)out))) {
		free(out);
		return rc;
	}
	out[want] = '\0';
	*plain = out;
	*plain_len = want;
	return VSDK_OK;
}
