/*
 * vsdk - NTLMv2 (MS-NLMP) authentication and session security (sign + seal
 * with extended session security), client and server side, plus the
 * MS-WSMV multipart/encrypted message framing used by WinRM over HTTP.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_NTLM_PRIVATE_H
#define VSDK_NTLM_PRIVATE_H

#include "common_private.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NEGOTIATE flags (MS-NLMP 2.2.2.5). */
#define VSDK_NTLM_UNICODE 0x00000001u
#define VSDK_NTLM_OEM 0x00000002u
#define VSDK_NTLM_REQUEST_TARGET 0x00000004u
#define VSDK_NTLM_SIGN 0x00000010u
#define VSDK_NTLM_SEAL 0x00000020u
#define VSDK_NTLM_LM_KEY 0x00000080u
#define VSDK_NTLM_NTLM 0x00000200u
#define VSDK_NTLM_ANONYMOUS 0x00000800u
#define VSDK_NTLM_ALWAYS_SIGN 0x00008000u
#define VSDK_NTLM_TARGET_TYPE_DOMAIN 0x00010000u
#define VSDK_NTLM_TARGET_TYPE_SERVER 0x00020000u
#define VSDK_NTLM_ESS 0x00080000u /* NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY */
#define VSDK_NTLM_TARGET_INFO 0x00800000u
#define VSDK_NTLM_VERSION 0x02000000u
#define VSDK_NTLM_128 0x20000000u
#define VSDK_NTLM_KEY_EXCH 0x40000000u
#define VSDK_NTLM_56 0x80000000u

/* AV_PAIR ids (MS-NLMP 2.2.2.1). */
enum {
	VSDK_AV_EOL = 0,
	VSDK_AV_NB_COMPUTER = 1,
	VSDK_AV_NB_DOMAIN = 2,
	VSDK_AV_DNS_COMPUTER = 3,
	VSDK_AV_DNS_DOMAIN = 4,
	VSDK_AV_DNS_TREE = 5,
	VSDK_AV_FLAGS = 6,
	VSDK_AV_TIMESTAMP = 7,
	VSDK_AV_SINGLE_HOST = 8,
	VSDK_AV_TARGET_NAME = 9,
	VSDK_AV_CHANNEL_BINDINGS = 10
};

#define VSDK_NTLM_SIG_LEN 16

/*
 * Load OpenSSL's legacy (MD4, RC4) and default providers once.  Returns
 * VSDK_OK, or VSDK_EUNSUPPORTED naming the legacy provider when it is
 * missing.  Every other function here calls it.
 */
int vsdk__ntlm_crypto_init(void);

/* ---- primitives (exposed for the MS-NLMP 4.2 test vectors) ------------- */

/* UTF-8 -> UTF-16LE (malloc'd, *out_len bytes); VSDK_EINVALID on bad UTF-8. */
int vsdk__utf16le(const char *utf8, bool upper, uint8_t **out, size_t *out_len);
/* MD4(UTF-16LE(password)). */
int vsdk__ntlm_nt_hash(const char *password, uint8_t out[16]);
/* NTOWFv2 from the NT hash: HMAC_MD5(nt_hash, UTF16LE(UPPER(user) || domain)). */
int vsdk__ntlm_ntowfv2(const uint8_t nt_hash[16], const char *user, const char *domain, uint8_t out[16]);
/* HMAC-MD5 over the concatenation of up to three buffers (NULL skips). */
int vsdk__hmac_md5(const uint8_t *key, size_t key_len, const void *a, size_t alen, const void *b, size_t blen,
		   const void *c, size_t clen, uint8_t out[16]);
/* RC4K(key, data) one-shot into out (same length). */
int vsdk__rc4k(const uint8_t key[16], const uint8_t *in, size_t len, uint8_t *out);
/* SIGNKEY / SEALKEY with extended session security; client=true for "client-to-server". */
int vsdk__ntlm_signkey(const uint8_t exported[16], bool client, uint8_t out[16]);
int vsdk__ntlm_sealkey(uint32_t flags, const uint8_t exported[16], bool client, uint8_t out[16]);

/*
 * ComputeResponse for NTLMv2 (MS-NLMP 3.3.2).  *nt (malloc'd, *nt_len)
 * receives NTProofStr || temp; lm (24 bytes) the LMv2 response;
 * session_base_key the SessionBaseKey.
 */
int vsdk__ntlm_v2_response(const uint8_t response_key[16], const uint8_t server_chal[8],
			   const uint8_t client_chal[8], uint64_t time, const uint8_t *av, size_t av_len,
			   uint8_t **nt, size_t *nt_len, uint8_t lm[24], uint8_t session_base_key[16]);

/* base64 (OpenSSL EVP_EncodeBlock/EVP_DecodeBlock); results malloc'd, NUL-terminated. */
char *vsdk__b64_encode(const uint8_t *in, size_t len);
int vsdk__b64_decode(const char *in, uint8_t **out, size_t *out_len);

/* ---- a security context -------------------------------------------------- */

typedef struct vsdk_ntlm vsdk_ntlm;

/*
 * Client context for user (with domain, may be "" or NULL) and password.
 * The password is reduced to its NT hash at once; the caller keeps (and
 * wipes) its copy.  NULL with the error set on failure.
 */
vsdk_ntlm *vsdk__ntlm_client_new(const char *user, const char *domain, const char *password,
				 const char *workstation);
/*
 * Server context that accepts exactly user (case-insensitive) + password,
 * in domain (NULL: any domain, or none).  target is the NetBIOS name
 * announced in the challenge.
 */
vsdk_ntlm *vsdk__ntlm_server_new(const char *user, const char *domain, const char *password, const char *target);
void vsdk__ntlm_free(vsdk_ntlm *c);

/* Tests only: fix the client challenge, the random session key and the time. */
void vsdk__ntlm_set_fixed(vsdk_ntlm *c, const uint8_t client_chal[8], const uint8_t session_key[16], uint64_t time);
/* Tests only: fix the server challenge and the timestamp (0: no MsvAvTimestamp). */
void vsdk__ntlm_server_set_fixed(vsdk_ntlm *c, const uint8_t server_chal[8], uint64_t timestamp);

/* Client: the NEGOTIATE_MESSAGE (malloc'd). */
int vsdk__ntlm_client_negotiate(vsdk_ntlm *c, uint8_t **msg, size_t *len);
/*
 * Client: process the CHALLENGE_MESSAGE and produce the AUTHENTICATE_MESSAGE
 * (malloc'd).  Derives the session keys; the context is established after.
 * VSDK_EPROTO for a malformed challenge, VSDK_EUNSUPPORTED when the server
 * refuses extended session security or 128-bit keys.
 */
int vsdk__ntlm_client_authenticate(vsdk_ntlm *c, const uint8_t *chal, size_t chal_len, uint8_t **msg,
				   size_t *len);
/* Server: process the NEGOTIATE_MESSAGE, produce the CHALLENGE_MESSAGE (malloc'd). */
int vsdk__ntlm_server_challenge(vsdk_ntlm *c, const uint8_t *neg, size_t neg_len, uint8_t **msg, size_t *len);
/*
 * Server: verify the AUTHENTICATE_MESSAGE (NTLMv2 response, MIC when
 * flagged) and derive the keys.  VSDK_EAUTH for wrong credentials or MIC.
 */
int vsdk__ntlm_server_accept(vsdk_ntlm *c, const uint8_t *auth, size_t len);

bool vsdk__ntlm_established(const vsdk_ntlm *c);
/* Server: the authenticated user / domain (valid while c lives). */
const char *vsdk__ntlm_peer_user(const vsdk_ntlm *c);
const char *vsdk__ntlm_peer_domain(const vsdk_ntlm *c);
uint32_t vsdk__ntlm_flags(const vsdk_ntlm *c);

/*
 * Seal (GSS_WrapEx, MS-NLMP 3.4.3): out receives the RC4-encrypted copy of
 * in (len bytes, may equal in), sig the 16-byte signature; the outgoing
 * sequence number advances.
 */
int vsdk__ntlm_seal(vsdk_ntlm *c, const uint8_t *in, size_t len, uint8_t *out, uint8_t sig[16]);
/*
 * Unseal and verify: VSDK_EAUTH when the checksum is wrong, VSDK_EPROTO
 * when the sequence number is not the expected one.  After a failure the
 * context is unusable (the RC4 streams are out of step).
 */
int vsdk__ntlm_unseal(vsdk_ntlm *c, const uint8_t *in, size_t len, const uint8_t sig[16], uint8_t *out);

/* ---- MS-WSMV 2.2.9.1 multipart/encrypted framing --------------------------- */

#define VSDK_WSMV_ENC_PROTOCOL "application/HTTP-SPNEGO-session-encrypted"
#define VSDK_WSMV_ENC_CONTENT_TYPE \
	"multipart/encrypted;protocol=\"" VSDK_WSMV_ENC_PROTOCOL "\";boundary=\"Encrypted Boundary\""

/* Is this Content-Type value an NTLM/SPNEGO encrypted body? */
bool vsdk__wsmv_is_encrypted(const char *content_type);
/*
 * Seal plain (a SOAP message in UTF-8) into the multipart body *out
 * (malloc'd, *out_len).  The HTTP Content-Type is VSDK_WSMV_ENC_CONTENT_TYPE.
 */
int vsdk__wsmv_wrap(vsdk_ntlm *c, const char *plain, size_t len, char **out, size_t *out_len);
/*
 * Parse and unseal a multipart body into *plain (malloc'd, NUL-terminated,
 * *plain_len bytes).  VSDK_EPROTO for a malformed body, VSDK_EAUTH /
 * VSDK_EPROTO from the signature check.
 */
int vsdk__wsmv_unwrap(vsdk_ntlm *c, const char *body, size_t len, char **plain, size_t *plain_len);

#endif
