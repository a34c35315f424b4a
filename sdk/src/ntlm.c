/*
 * vsdk - NTLMv2 (MS-NLMP): the three messages, key derivation, and session
 * security with extended session security, on OpenSSL's primitives.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "ntlm_private.h"

#include <errno.h>
#include <iconv.h>
#include <locale.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

/* ---- OpenSSL set-up ------------------------------------------------------ */

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static EVP_MD *md4_md;
static EVP_CIPHER *rc4_cipher;
static const char *crypto_problem;

static void crypto_load(void)
{
	/* MD4 and RC4 live in OpenSSL 3's legacy provider; loading a provider
	 * explicitly disables the implicit default one, so load both. */
	if (!OSSL_PROVIDER_load(NULL, "legacy")) {
		crypto_problem = "OpenSSL's \"legacy\" provider (MD4, RC4) cannot be loaded (is legacy.so installed "
				 "in the OpenSSL modules directory?)";
		return;
	}
	if (!OSSL_PROVIDER_load(NULL, "default")) {
		crypto_problem = "OpenSSL's \"default\" provider cannot be loaded";
		return;
	}
	md4_md = EVP_MD_fetch(NULL, "MD4", NULL);
	rc4_cipher = EVP_CIPHER_fetch(NULL, "RC4", NULL);
	if (!md4_md || !rc4_cipher)
		crypto_problem = "OpenSSL's \"legacy\" provider is loaded but offers no MD4/RC4";
}

int vsdk__ntlm_crypto_init(void)
{
	pthread_once(&crypto_once, crypto_load);
	if (crypto_problem)
		return vsdk__error_set(VSDK_EUNSUPPORTED, "NTLM needs MD4 and RC4: %s", crypto_problem);
	return VSDK_OK;
}

/* ---- little helpers ------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | ((uint64_t)get32(p + 4) << 32);
}

/* Constant-time compare. */
static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* A message builder: fixed header then payload appended at the end. */
typedef struct msgb {
	uint8_t *p;
	size_t len, cap;
	bool failed;
} msgb;

static void mb_reserve(msgb *m, size_t n)
{
	if (m->failed || m->len + n <= m->cap)
		return;
	size_t cap = m->cap ? m->cap * 2 : 256;
	while (cap < m->len + n)
		cap *= 2;
	uint8_t *np = realloc(m->p, cap);
	if (!np) {
		m->failed = true;
		return;
	}
	memset(np + m->cap, 0, cap - m->cap);
	m->p = np;
	m->cap = cap;
}

static void mb_put(msgb *m, const void *d, size_t n)
{
	mb_reserve(m, n);
	if (m->failed)
		return;
	if (n)
		memcpy(m->p + m->len, d, n);
	m->len += n;
}

/* Append a payload field and fill its 8-byte descriptor at header offset off. */
static void mb_field(msgb *m, size_t off, const void *d, size_t n)
{
	size_t at = m->len;

	mb_put(m, d, n);
	if (m->failed)
		return;
	put16(m->p + off, (uint16_t)n);
	put16(m->p + off + 2, (uint16_t)n);
	put32(m->p + off + 4, (uint32_t)at);
}

/* Read a payload descriptor at off; false when it points outside the message. */
static bool field(const uint8_t *msg, size_t len, size_t off, const uint8_t **d, size_t *n)
{
	if (off + 8 > len)
		return false;
	*n = get16(msg + off);
	uint32_t at = get32(msg + off + 4);
	if (*n == 0) {
		*d = msg;
		return true;
	}
	if (at > len || *n > len - at)
		return false;
	*d = msg + at;
	return true;
}

static const uint8_t sig_ntlmssp[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };

/* Our VERSION (debugging only, MS-NLMP 2.2.2.10): 10.0, build 0, revision 15. */
static const uint8_t our_version[8] = { 10, 0, 0, 0, 0, 0, 0, 0x0f };

/* ---- primitives --------------------------------------------------------------- */

static pthread_once_t loc_once = PTHREAD_ONCE_INIT;
static locale_t loc_utf8;

static void loc_init(void)
{
	loc_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t utf8_locale(void)
{
	pthread_once(&loc_once, loc_init);
	return loc_utf8;
}

int vsdk__utf16le(const char *utf8, bool upper, uint8_t **out, size_t *out_len)
{
	size_t inl = utf8 ? strlen(utf8) : 0, outcap = inl * 4 + 4, outl = outcap;
	char *in = (char *)(utf8 ? utf8 : ""), *buf, *o;
	iconv_t cd;

	*out = NULL;
	*out_len = 0;
	if (!vsdk__utf8_valid(in, inl))
		return vsdk__error_set(VSDK_EINVALID, "NTLM: a user, domain or password is not valid UTF-8");
	buf = malloc(outcap);
	if (!buf)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	cd = iconv_open("UTF-16LE", "UTF-8");
	if (cd == (iconv_t)-1) {
		free(buf);
		return vsdk__error_set(VSDK_EUNSUPPORTED, "NTLM: iconv cannot convert UTF-8 to UTF-16LE: %s",
				       strerror(errno));
	}
	o = buf;
	if (iconv(cd, &in, &inl, &o, &outl) == (size_t)-1) {
		iconv_close(cd);
		free(buf);
		return vsdk__error_set(VSDK_EINVALID, "NTLM: cannot convert a name to UTF-16: %s", strerror(errno));
	}
	iconv_close(cd);
	*out_len = outcap - outl;
	if (upper) {
		locale_t loc = utf8_locale();

		for (size_t i = 0; i + 1 < *out_len; i += 2) {
			unsigned cu = (uint8_t)buf[i] | ((unsigned)(uint8_t)buf[i + 1] << 8);

			if (cu >= 0xd800 && cu <= 0xdfff)
				continue; /* surrogates: no case mapping */
			if (cu < 0x80)
				cu = (cu >= 'a' && cu <= 'z') ? cu - 32 : cu;
			else if (loc)
				cu = (unsigned)towupper_l((wint_t)cu, loc) & 0xffff;
			buf[i] = (char)(cu & 0xff);
			buf[i + 1] = (char)(cu >> 8);
		}
	}
	*out = (uint8_t *)buf;
	return VSDK_OK;
}

int vsdk__ntlm_nt_hash(const char *password, uint8_t out[16])
{
	uint8_t *u;
	size_t ul;
	unsigned int n = 16;
	int rc;

	if ((rc = vsdk__ntlm_crypto_init()) || (rc = vsdk__utf16le(password, false, &u, &ul)))
		return rc;
	rc = EVP_Digest(u, ul, out, &n, md4_md, NULL) == 1 ? VSDK_OK
							   : vsdk__error_set(VSDK_EINTERNAL, "NTLM: MD4 failed");
	vsdk__wipe(u, ul);
	free(u);
	return rc;
}

int vsdk__hmac_md5(const uint8_t *key, size_t key_len, const void *a, size_t alen, const void *b, size_t blen,
		   const void *c, size_t clen, uint8_t out[16])
{
	int ok;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2] = { OSSL_PARAM_construct_utf8_string("digest", (char *)"MD5", 0), OSSL_PARAM_END };
	size_t outl = 0;

	ok = ctx && EVP_MAC_init(ctx, key, key_len, params) == 1 && (!a || EVP_MAC_update(ctx, a, alen) == 1) &&
	     (!b || EVP_MAC_update(ctx, b, blen) == 1) && (!c || EVP_MAC_update(ctx, c, clen) == 1) &&
	     EVP_MAC_final(ctx, out, &outl, 16) == 1 && outl == 16;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? VSDK_OK : vsdk__error_set(VSDK_EINTERNAL, "NTLM: HMAC-MD5 failed");
}

int vsdk__ntlm_ntowfv2(const uint8_t nt_hash[16], const char *user, const char *domain, uint8_t out[16])
{
	uint8_t *u = NULL, *d = NULL;
	size_t ul, dl;
	int rc;

	if ((rc = vsdk__utf16le(user, true, &u, &ul)) || (rc = vsdk__utf16le(domain, false, &d, &dl))) {
		free(u);
		return rc;
	}
	rc = vsdk__hmac_md5(nt_hash, 16, u, ul, d, dl, NULL, 0, out);
	free(u);
	free(d);
	return rc;
}

static int md5_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[16])
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned int n = 16;
	int ok = m && EVP_DigestInit_ex(m, EVP_md5(), NULL) == 1 && EVP_DigestUpdate(m, a, alen) == 1 &&
		 EVP_DigestUpdate(m, b, blen) == 1 && EVP_DigestFinal_ex(m, out, &n) == 1;

	EVP_MD_CTX_free(m);
	return ok ? VSDK_OK : vsdk__error_set(VSDK_EINTERNAL, "NTLM: MD5 failed");
}

static EVP_CIPHER_CTX *rc4_new(const uint8_t key[16])
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();

	if (!x)
		return NULL;
	if (EVP_EncryptInit_ex(x, rc4_cipher, NULL, key, NULL) != 1) {
		EVP_CIPHER_CTX_free(x);
		return NULL;
	}
	return x;
}

static int rc4_run(EVP_CIPHER_CTX *x, const uint8_t *in, size_t len, uint8_t *out)
{
	while (len > 0) {
		int chunk = len > (1u << 30) ? (1 << 30) : (int)len, outl = 0;

		if (EVP_EncryptUpdate(x, out, &outl, in, chunk) != 1 || outl != chunk)
			return vsdk__error_set(VSDK_EINTERNAL, "NTLM: RC4 failed");
		in += chunk;
		out += chunk;
		len -= (size_t)chunk;
	}
	return VSDK_OK;
}

int vsdk__rc4k(const uint8_t key[16], const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *x;
	int rc;

	if ((rc = vsdk__ntlm_crypto_init()))
		return rc;
	x = rc4_new(key);
	if (!x)
		return vsdk__error_set(VSDK_EINTERNAL, "NTLM: RC4 set-up failed");
	rc = rc4_run(x, in, len, out);
	EVP_CIPHER_CTX_free(x);
	return rc;
}

static const char magic_sign_c2s[] = "session key to client-to-server signing key magic constant";
static const char magic_sign_s2c[] = "session key to server-to-client signing key magic constant";
static const char magic_seal_c2s[] = "session key to client-to-server sealing key magic constant";
static const char magic_seal_s2c[] = "session key to server-to-client sealing key magic constant";

int vsdk__ntlm_signkey(const uint8_t exported[16], bool client, uint8_t out[16])
{
	/* the constants are hashed with their terminating NUL */
	return client ? md5_2(exported, 16, magic_sign_c2s, sizeof(magic_sign_c2s), out)
		      : md5_2(exported, 16, magic_sign_s2c, sizeof(magic_sign_s2c), out);
}

int vsdk__ntlm_sealkey(uint32_t flags, const uint8_t exported[16], bool client, uint8_t out[16])
{
	size_t n = (flags & VSDK_NTLM_128) ? 16 : (flags & VSDK_NTLM_56) ? 7 : 5;

	return client ? md5_2(exported, n, magic_seal_c2s, sizeof(magic_seal_c2s), out)
		      : md5_2(exported, n, magic_seal_s2c, sizeof(magic_seal_s2c), out);
}

int vsdk__ntlm_v2_response(const uint8_t response_key[16], const uint8_t server_chal[8],
			   const uint8_t client_chal[8], uint64_t time, const uint8_t *av, size_t av_len,
			   uint8_t **nt, size_t *nt_len, uint8_t lm[24], uint8_t session_base_key[16])
{
	size_t tlen = 28 + av_len + 4;
	uint8_t *buf = calloc(1, 16 + tlen), *temp;
	int rc;

	*nt = NULL;
	*nt_len = 0;
	if (!buf)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	temp = buf + 16;
	temp[0] = 1; /* Responserversion */
	temp[1] = 1; /* HiResponserversion */
	put64(temp + 8, time);
	memcpy(temp + 16, client_chal, 8);
	if (av_len)
		memcpy(temp + 28, av, av_len);
	if ((rc = vsdk__hmac_md5(response_key, 16, server_chal, 8, temp, tlen, NULL, 0, buf)) ||
	    (rc = vsdk__hmac_md5(response_key, 16, buf, 16, NULL, 0, NULL, 0, session_base_key)) ||
	    (rc = vsdk__hmac_md5(response_key, 16, server_chal, 8, client_chal, 8, NULL, 0, lm))) {
		free(buf);
		return rc;
	}
	memcpy(lm + 16, client_chal, 8);
	*nt = buf;
	*nt_len = 16 + tlen;
	return VSDK_OK;
}

char *vsdk__b64_encode(const uint8_t *in, size_t len)
{
	char *out;

	if (len > (size_t)1 << 28) {
		vsdk__error_set(VSDK_ELIMIT, "base64: %zu bytes is too much", len);
		return NULL;
	}
	out = malloc((len + 2) / 3 * 4 + 1);
	if (!out) {
		vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return out;
}

int vsdk__b64_decode(const char *in, uint8_t **out, size_t *out_len)
{
	size_t n = strlen(in), pad = 0;
	int r;

	*out = NULL;
	*out_len = 0;
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\r' || in[n - 1] == '\n' || in[n - 1] == '\t'))
		n--;
	if (n == 0 || n % 4 || n > (size_t)1 << 28)
		return vsdk__error_set(VSDK_EPROTO, "base64: %zu characters is not a valid length", n);
	if (in[n - 1] == '=')
		pad++;
	if (in[n - 2] == '=')
		pad++;
	*out = malloc(n / 4 * 3 + 1);
	if (!*out)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	r = EVP_DecodeBlock(*out, (const unsigned char *)in, (int)n);
	if (r < 0 || (size_t)r < pad) {
		free(*out);
		*out = NULL;
		return vsdk__error_set(VSDK_EPROTO, "base64: invalid characters");
	}
	*out_len = (size_t)r - pad;
	return VSDK_OK;
}

/* ---- the context -------------------------------------------------------------- */

typedef struct ntlm_dir {
	EVP_CIPHER_CTX *rc4;
	uint8_t sign_key[16];
	uint32_t seq;
} ntlm_dir;

struct vsdk_ntlm {
	bool server;
	bool established;
	bool broken;
	uint32_t flags;
	char *user, *domain, *workstation;
	uint8_t nt_hash[16];
	bool have_domain; /* server: domain must match */
	char *target;     /* server: NetBIOS name */
	uint8_t *neg, *chal;
	size_t neg_len, chal_len;
	uint8_t server_chal[8];
	uint8_t exported[16];
	ntlm_dir send, recv;
	char *peer_user, *peer_domain;
	bool fixed;
	uint8_t fixed_cc[8], fixed_key[16];
	uint64_t fixed_time;
	bool srv_fixed;
	uint64_t srv_time;
};

static char *dup_or_empty(const char *s)
{
	return vsdk__strdup(s ? s : "");
}

vsdk_ntlm *vsdk__ntlm_client_new(const char *user, const char *domain, const char *password,
				 const char *workstation)
{
	vsdk_ntlm *c;

	if (vsdk__ntlm_crypto_init())
		return NULL;
	if (!user || !*user) {
		vsdk__error_set(VSDK_EINVALID, "NTLM: a user name is required");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		vsdk__error_set(VSDK_ENOMEM, "out of memory");
		return NULL;
	}
	c->user = dup_or_empty(user);
	c->domain = dup_or_empty(domain);
	c->workstation = dup_or_empty(workstation);
	if (!c->user || !c->domain || !c->workstation || vsdk__ntlm_nt_hash(password ? password : "", c->nt_hash)) {
		if (vsdk_error_last()->code == VSDK_OK)
			vsdk__error_set(VSDK_ENOMEM, "out of memory");
		vsdk__ntlm_free(c);
		return NULL;
	}
	return c;
}

vsdk_ntlm *vsdk__ntlm_server_new(const char *user, const char *domain, const char *password, const char *target)
{
	vsdk_ntlm *c = vsdk__ntlm_client_new(user, domain, password, NULL);

	if (!c)
		return NULL;
	c->server = true;
	c->have_domain = domain != NULL;
	c->target = vsdk__strdup(target && *target ? target : "HVSIM");
	if (!c->target) {
		vsdk__ntlm_free(c);
		return NULL;
	}
	return c;
}

void vsdk__ntlm_free(vsdk_ntlm *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->send.rc4);
	EVP_CIPHER_CTX_free(c->recv.rc4);
	free(c->user);
	free(c->domain);
	free(c->workstation);
	free(c->target);
	free(c->neg);
	free(c->chal);
	free(c->peer_user);
	free(c->peer_domain);
	vsdk__wipe(c, sizeof(*c));
	free(c);
}

void vsdk__ntlm_set_fixed(vsdk_ntlm *c, const uint8_t client_chal[8], const uint8_t session_key[16], uint64_t time)
{
	c->fixed = true;
	memcpy(c->fixed_cc, client_chal, 8);
	memcpy(c->fixed_key, session_key, 16);
	c->fixed_time = time;
}

void vsdk__ntlm_server_set_fixed(vsdk_ntlm *c, const uint8_t server_chal[8], uint64_t timestamp)
{
	c->srv_fixed = true;
	memcpy(c->server_chal, server_chal, 8);
	c->srv_time = timestamp;
}

bool vsdk__ntlm_established(const vsdk_ntlm *c)
{
	return c && c->established && !c->broken;
}

const char *vsdk__ntlm_peer_user(const vsdk_ntlm *c)
{
	return c ? c->peer_user : NULL;
}

const char *vsdk__ntlm_peer_domain(const vsdk_ntlm *c)
{
	return c ? c->peer_domain : NULL;
}

uint32_t vsdk__ntlm_flags(const vsdk_ntlm *c)
{
	return c ? c->flags : 0;
}

static uint64_t filetime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

static int store_copy(uint8_t **dst, size_t *dlen, const uint8_t *src, size_t n)
{
	free(*dst);
	*dst = malloc(n ? n : 1);
	if (!*dst)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	memcpy(*dst, src, n);
	*dlen = n;
	return VSDK_OK;
}

/* Derive the four keys and the two RC4 handles from the exported session key. */
static int derive_keys(vsdk_ntlm *c)
{
	uint8_t cseal[16], sseal[16];
	ntlm_dir *cdir = c->server ? &c->recv : &c->send, *sdir = c->server ? &c->send : &c->recv;
	int rc;

	if ((rc = vsdk__ntlm_signkey(c->exported, true, cdir->sign_key)) ||
	    (rc = vsdk__ntlm_signkey(c->exported, false, sdir->sign_key)) ||
	    (rc = vsdk__ntlm_sealkey(c->flags, c->exported, true, cseal)) ||
	    (rc = vsdk__ntlm_sealkey(c->flags, c->exported, false, sseal)))
		return rc;
	EVP_CIPHER_CTX_free(cdir->rc4);
	EVP_CIPHER_CTX_free(sdir->rc4);
	cdir->rc4 = rc4_new(cseal);
	sdir->rc4 = rc4_new(sseal);
	vsdk__wipe(cseal, 16);
	vsdk__wipe(sseal, 16);
	if (!cdir->rc4 || !sdir->rc4)
		return vsdk__error_set(VSDK_EINTERNAL, "NTLM: RC4 set-up failed");
	c->send.seq = c->recv.seq = 0;
	c->established = true;
	c->broken = false;
	return VSDK_OK;
}

/* Flags the client asks for: NTLMv2 with 128-bit signing and sealing. */
#define CLIENT_FLAGS                                                                                           \
	(VSDK_NTLM_UNICODE | VSDK_NTLM_REQUEST_TARGET | VSDK_NTLM_SIGN | VSDK_NTLM_SEAL | VSDK_NTLM_NTLM |     \
	 VSDK_NTLM_ALWAYS_SIGN | VSDK_NTLM_ESS | VSDK_NTLM_VERSION | VSDK_NTLM_128 | VSDK_NTLM_KEY_EXCH |       \
	 VSDK_NTLM_56)

int vsdk__ntlm_client_negotiate(vsdk_ntlm *c, uint8_t **msg, size_t *len)
{
	msgb m = { 0 };
	uint8_t hdr[40] = { 0 };
	int rc;

	*msg = NULL;
	*len = 0;
	memcpy(hdr, sig_ntlmssp, 8);
	put32(hdr + 8, 1);
	put32(hdr + 12, CLIENT_FLAGS);
	put32(hdr + 20, 40); /* DomainNameBufferOffset (empty) */
	put32(hdr + 28, 40); /* WorkstationBufferOffset (empty) */
	memcpy(hdr + 32, our_version, 8);
	mb_put(&m, hdr, sizeof(hdr));
	if (m.failed)
		return vsdk__error_set(VSDK_ENOMEM, "out of memory");
	if ((rc = store_copy(&c->neg, &c->neg_len, m.p, m.len))) {
		free(m.p);
		return rc;
	}
	c->established = false;
	*msg = m.p;
	*len = m.len;
	return VSDK_OK;
}

/* Find an AV pair; returns its value or NULL. */
static const uint8_t *av_find(const uint8_t *av, size_t len, uint16_t id, size_t *vlen)
{
	size_t i = 0;

	while (i + 4 <= len) {
		uint16_t aid = get16(av + i), alen = get16(av + i + 2);

		if (i + 4 + alen > len)
			return NULL;
		if (aid == VSDK_AV_EOL)
			return NULL;
		if (aid == id) {
			*vlen = alen;
			return av + i + 4;
		}
		i += 4 + (size_t)alen;
	}
	return NULL;
}

/* Are the AV pairs well-formed and EOL-terminated?  *body_len excludes the EOL. */
static bool av_valid(const uint8_t *av, size_t len, size_t *body_len)
{
	size_t i = 0;

	while (i + 4 <= len) {
		uint16_t aid = get16(av + i), alen = get16(av + i + 2);

		if (i + 4 + alen > len)
			return false;
		if (aid == VSDK_AV_EOL) {
			*body_len = i;
			return true;
		}
		i += 4 + (size_t)alen;
	}
	return false;
}

static void av_add(msgb *m, uint16_t id, const void *v, uint16_t n)
{
	uint8_t h[4];

	put16(h, id);
	put16(h + 2, n);
	mb_put(m, h, 4);
	mb_put(m, v, n);
}

int vsdk__ntlm_client_authenticate(vsdk_ntlm *c, const uint8_t *chal, size_t chal_len, uint8_t **msg,
				   size_t *len)
{
	const uint8_t *ti = NULL, *ts;
	size_t ti_len = 0, ts_len = 0, ti_body = 0;
	uint32_t sflags, flags;
	uint8_t response_key[16], session_base[16], lm[24], cc[8], enc_key[16];
	uint8_t *nt = NULL, *u_user = NULL, *u_dom = NULL, *u_ws = NULL;
	size_t nt_len = 0, ul = 0, dl = 0, wl = 0, hdr_len;
	uint64_t t;
	bool modern;
	msgb av = { 0 }, m = { 0 };
	int rc;

	*msg = NULL;
	*len = 0;
	if (chal_len < 32 || memcmp(chal, sig_ntlmssp, 8) != 0 || get32(chal + 8) != 2)
		return vsdk__error_set(VSDK_EPROTO, "NTLM: the server's token is not a CHALLENGE_MESSAGE");
	sflags = get32(chal + 20);
	if (chal_len >= 48 && (sflags & VSDK_NTLM_TARGET_INFO)) {
		if (!field(chal, chal_len, 40, &ti, &ti_len))
			return vsdk__error_set(VSDK_EPROTO, "NTLM: the CHALLENGE_MESSAGE's TargetInfo is out of bounds");
	}
	if (ti_len && !av_valid(ti, ti_len, &ti_body))
		return vsdk__error_set(VSDK_EPROTO, "NTLM: the CHALLENGE_MESSAGE's TargetInfo AV pairs are malformed");
	if (!(sflags & VSDK_NTLM_UNICODE))
		return vsdk__error_set(VSDK_EUNSUPPORTED, "NTLM: the server refuses Unicode (OEM only)");
	if (!(sflags & VSDK_NTLM_ESS))
		return vsdk__error_set(VSDK_EUNSUPPORTED,
				       "NTLM: the server refuses extended session security (NTLMv1-style sealing is "
				       "not supported)");
	if (!(sflags & VSDK_NTLM_SEAL) || !(sflags & VSDK_NTLM_SIGN))
		return vsdk__error_set(VSDK_EUNSUPPORTED, "NTLM: the server refuses signing/sealing; WinRM message "
							  "encryption needs both");
	if (!(sflags & VSDK_NTLM_128))
		return vsdk__error_set(VSDK_EUNSUPPORTED, "NTLM: the server offers only 40/56-bit keys");
	flags = (sflags & CLIENT_FLAGS) | (sflags & VSDK_NTLM_TARGET_INFO);
	c->flags = flags;
	memcpy(c->server_chal, chal + 24, 8);
	if ((rc = store_copy(&c->chal, &c->chal_len, chal, chal_len)))
		return rc;

	ts = ti_len ? av_find(ti, ti_len, VSDK_AV_TIMESTAMP, &ts_len) : NULL;
	modern = ts && ts_len == 8;
	t = modern ? get64(ts) : c->fixed ? c->fixed_time : filetime_now();
	if (c->fixed)
		memcpy(cc, c->fixed_cc, 8);
	else if (RAND_bytes(cc, 8) != 1)
		return vsdk__error_set(VSDK_EINTERNAL, "NTLM: no random bytes");

	/* The AV pairs we return: the server's, plus (with a timestamp) MsvAvFlags
	 * announcing the MIC and empty channel bindings. */
	if (modern) {
		size_t i = 0;
		bool have_flags = false;
		uint8_t zero16[16] = { 0 };

		while (i < ti_body) {
			uint16_t aid = get16(ti + i), alen = get16(ti + i + 2);

			if (aid == VSDK_AV_FLAGS && alen == 4) {
				uint8_t v[4];

				put32(v, get32(ti + i + 4) | 2u);
				av_add(&av, aid, v, 4);
				have_flags = true;
			} else if (aid != VSDK_AV_CHANNEL_BINDINGS) {
				mb_put(&av, ti + i, 4 + (size_t)alen);
			}
			i += 4 + (size_t)alen;
		}
		if (!have_flags) {
			uint8_t v[4];

			put32(v, 2);
			av_add(&av, VSDK_AV_FLAGS, v, 4);
		}
		av_add(&av, VSDK_AV_CHANNEL_BINDINGS, zero16, 16);
		av_add(&av, VSDK_AV_EOL, NULL, 0);
	} else if (ti_len) {
		mb_put(&av, ti, ti_body + 4);
	}
	if (av.failed) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = vsdk__ntlm_ntowfv2(c->nt_hash, c->user, c->domain, response_key)) ||
	    (rc = vsdk__ntlm_v2_response(response_key, c->server_chal, cc, t, av.p, av.len, &nt, &nt_len, lm,
					 session_base)))
		goto out;
	if (modern)
		memset(lm, 0, sizeof(lm)); /* MS-NLMP 3.1.5.1.2: Z(24) when the server sent a timestamp */
	/* NTLMv2: KeyExchangeKey = SessionBaseKey */
	if (flags & VSDK_NTLM_KEY_EXCH) {
		if (c->fixed)
			memcpy(c->exported, c->fixed_key, 16);
		else if (RAND_bytes(c->exported, 16) != 1) {
			rc = vsdk__error_set(VSDK_EINTERNAL, "NTLM: no random bytes");
			goto out;
		}
		if ((rc = vsdk__rc4k(session_base, c->exported, 16, enc_key)))
			goto out;
	} else {
		memcpy(c->exported, session_base, 16);
	}
	if ((rc = vsdk__utf16le(c->domain, false, &u_dom, &dl)) || (rc = vsdk__utf16le(c->user, false, &u_user, &ul)) ||
	    (rc = vsdk__utf16le(c->workstation, false, &u_ws, &wl)))
		goto out;

	hdr_len = modern ? 88 : 72;
	mb_reserve(&m, hdr_len);
	if (!m.failed) {
		memcpy(m.p, sig_ntlmssp, 8);
		put32(m.p + 8, 3);
		put32(m.p + 60, flags);
		if (flags & VSDK_NTLM_VERSION)
			memcpy(m.p + 64, our_version, 8);
		m.len = hdr_len;
	}
	mb_field(&m, 28, u_dom, dl);
	mb_field(&m, 36, u_user, ul);
	mb_field(&m, 44, u_ws, wl);
	mb_field(&m, 12, lm, 24);
	mb_field(&m, 20, nt, nt_len);
	if (flags & VSDK_NTLM_KEY_EXCH)
		mb_field(&m, 52, enc_key, 16);
	else
		put32(m.p + 56, (uint32_t)m.len);
	if (m.failed || m.len > 0xffff) {
		rc = vsdk__error_set(m.failed ? VSDK_ENOMEM : VSDK_ELIMIT, "NTLM: cannot build the AUTHENTICATE_MESSAGE");
		goto out;
	}
	if (modern) {
		uint8_t mic[16];

		if ((rc = vsdk__hmac_md5(c->exported, 16, c->neg, c->neg_len, c->chal, c->chal_len, m.p, m.len, mic)))
			goto out;
		memcpy(m.p + 72, mic, 16);
	}
	if ((rc = derive_keys(c)))
		goto out;
	*msg = m.p;
	*len = m.len;
	m.p = NULL;
out:
	vsdk__wipe(response_key, sizeof(response_key));
	vsdk__wipe(session_base, sizeof(session_base));
	free(m.p);
	free(av.p);
	free(nt);
	free(u_user);
	free(u_dom);
	free(u_ws);
	return rc;
}

/* ---- server ------------------------------------------------------------------------ */

int vsdk__ntlm_server_challenge(vsdk_ntlm *c, const uint8_t *neg, size_t neg_len, uint8_t **msg, size_t *len)
{
	uint32_t cflags, flags;
	uint8_t *tname = NULL, *dname = NULL, ts[8];
	size_t tl = 0, dl = 0;
	msgb m = { 0 }, av = { 0 };
	int rc;

	*msg = NULL;
	*len = 0;
	if (neg_len < 16 || memcmp(neg, sig_ntlmssp, 8) != 0 || get32(neg + 8) != 1)
		return vsdk__error_set(VSDK_EPROTO, "NTLM: the client's token is not a NEGOTIATE_MESSAGE");
	cflags = get32(neg + 12);
	/* Unicode even when the client offers only OEM (as Windows servers do;
	 * python's ntlm-auth asks for OEM yet sends Unicode strings). */
	flags = (cflags & (CLIENT_FLAGS & ~VSDK_NTLM_REQUEST_TARGET)) | VSDK_NTLM_UNICODE | VSDK_NTLM_TARGET_INFO |
		VSDK_NTLM_TARGET_TYPE_SERVER | VSDK_NTLM_REQUEST_TARGET | VSDK_NTLM_NTLM | VSDK_NTLM_ALWAYS_SIGN;
	c->flags = flags;
	c->established = false;
	if (!c->srv_fixed && RAND_bytes(c->server_chal, 8) != 1)
		return vsdk__error_set(VSDK_EINTERNAL, "NTLM: no random bytes");
	if ((rc = store_copy(&c->neg, &c->neg_len, neg, neg_len)))
		return rc;
	if ((rc = vsdk__utf16le(c->target, false, &tname, &tl)) ||
	    (rc = vsdk__utf16le(c->have_domain && *c->domain ? c->domain : c->target, false, &dname, &dl)))
		goto out;
	av_add(&av, VSDK_AV_NB_DOMAIN, dname, (uint16_t)dl);
	av_add(&av, VSDK_AV_NB_COMPUTER, tname, (uint16_t)tl);
	av_add(&av, VSDK_AV_DNS_DOMAIN, dname, (uint16_t)dl);
	av_add(&av, VSDK_AV_DNS_COMPUTER, tname, (uint16_t)tl);
	if (!c->srv_fixed || c->srv_time) {
		put64(ts, c->srv_fixed ? c->srv_time : filetime_now());
		av_add(&av, VSDK_AV_TIMESTAMP, ts, 8);
	}
	av_add(&av, VSDK_AV_EOL, NULL, 0);
	mb_reserve(&m, 56);
	if (!m.failed) {
		memcpy(m.p, sig_ntlmssp, 8);
		put32(m.p + 8, 2);
		put32(m.p + 20, flags);
		memcpy(m.p + 24, c->server_chal, 8);
		memcpy(m.p + 48, our_version, 8);
		m.len = 56;
	}
	mb_field(&m, 12, tname, tl);
	mb_field(&m, 40, av.p, av.len);
	if (m.failed || av.failed) {
		rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = store_copy(&c->chal, &c->chal_len, m.p, m.len)))
		goto out;
	*msg = m.p;
	*len = m.len;
	m.p = NULL;
out:
	free(m.p);
	free(av.p);
	free(tname);
	free(dname);
	return rc;
}

/* UTF-16LE -> UTF-8 (malloc'd) for names in the AUTHENTICATE_MESSAGE. */
static char *from_utf16(const uint8_t *s, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", "UTF-16LE");
	size_t outl = n * 2 + 1, cap = outl;
	char *out = malloc(cap), *o = out, *in = (char *)s;

	if (cd == (iconv_t)-1 || !out) {
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		free(out);
		return NULL;
	}
	if (iconv(cd, &in, &n, &o, &outl) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*o = '\0';
	return out;
}

int vsdk__ntlm_server_accept(vsdk_ntlm *c, const uint8_t *a, size_t alen)
{
	const uint8_t *lm, *nt, *dom, *usr, *ws, *ek, *avs;
	size_t lml, ntl, doml, usrl, wsl, ekl, flen = 0, avl;
	uint32_t flags;
	uint8_t response_key[16], proof[16], session_base[16], mic[16], *copy = NULL;
	char *user = NULL, *domain = NULL;
	bool has_mic = false;
	int rc = VSDK_OK;

	if (!c->chal)
		return vsdk__error_set(VSDK_EPROTO, "NTLM: AUTHENTICATE_MESSAGE before any challenge");
	if (alen < 64 || memcmp(a, sig_ntlmssp, 8) != 0 || get32(a + 8) != 3)
		return vsdk__error_set(VSDK_EPROTO, "NTLM: the client's token is not an AUTHENTICATE_MESSAGE");
	if (!field(a, alen, 12, &lm, &lml) || !field(a, alen, 20, &nt, &ntl) || !field(a, alen, 28, &dom, &doml) ||
	    !field(a, alen, 36, &usr, &usrl) || !field(a, alen, 44, &ws, &wsl) || !field(a, alen, 52, &ek, &ekl))
		return vsdk__error_set(VSDK_EPROTO, "NTLM: an AUTHENTICATE_MESSAGE field is out of bounds");
	(void)ws;
	(void)wsl;
	(void)lm;
	flags = get32(a + 60);
	if (ntl <= 24 + 28)
		return vsdk__error_set(VSDK_EAUTH, "NTLM: the client sent no NTLMv2 response (NTLMv1 is refused)");
	if (!(flags & VSDK_NTLM_ESS) || !(flags & VSDK_NTLM_UNICODE))
		return vsdk__error_set(VSDK_EAUTH, "NTLM: the client did not negotiate extended session security");
	user = from_utf16(usr, usrl);
	domain = from_utf16(dom, doml);
	if (!user || !domain) {
		rc = vsdk__error_set(VSDK_EPROTO, "NTLM: the user or domain name is not valid UTF-16");
		goto out;
	}
	if (vsdk__strcasecmp(user, c->user) != 0 ||
	    (c->have_domain && *c->domain && vsdk__strcasecmp(domain, c->domain) != 0)) {
		rc = vsdk__error_set(VSDK_EAUTH, "NTLM: unknown user '%s%s%s'", domain, *domain ? "\\" : "", user);
		goto out;
	}
	avs = nt + 16 + 28;
	avl = ntl - 16 - 28;
	if (!av_valid(avs, avl, &flen)) {
		rc = vsdk__error_set(VSDK_EPROTO, "NTLM: the NTLMv2 response's AV pairs are malformed");
		goto out;
	}
	{
		size_t fl = 0;
		const uint8_t *fv = av_find(avs, avl, VSDK_AV_FLAGS, &fl);

		has_mic = fv && fl == 4 && (get32(fv) & 2u);
	}
	/* NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge || temp), with the
	 * user's own spelling and the domain as sent (then the NIL domain). */
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = vsdk__ntlm_ntowfv2(c->nt_hash, user, attempt ? "" : domain, response_key)) ||
		    (rc = vsdk__hmac_md5(response_key, 16, c->server_chal, 8, nt + 16, ntl - 16, NULL, 0, proof)))
			goto out;
		if (same(proof, nt, 16))
			break;
		if (attempt) {
			rc = vsdk__error_set(VSDK_EAUTH, "NTLM: wrong password for '%s%s%s'", domain, *domain ? "\\" : "",
					     user);
			goto out;
		}
	}
	if ((rc = vsdk__hmac_md5(response_key, 16, proof, 16, NULL, 0, NULL, 0, session_base)))
		goto out;
	c->flags = flags;
	if ((flags & VSDK_NTLM_KEY_EXCH) && (flags & (VSDK_NTLM_SIGN | VSDK_NTLM_SEAL))) {
		if (ekl != 16) {
			rc = vsdk__error_set(VSDK_EPROTO, "NTLM: key exchange without a 16-byte encrypted session key");
			goto out;
		}
		if ((rc = vsdk__rc4k(session_base, ek, 16, c->exported)))
			goto out;
	} else {
		memcpy(c->exported, session_base, 16);
	}
	if (has_mic) {
		if (alen < 88) {
			rc = vsdk__error_set(VSDK_EPROTO, "NTLM: MIC announced but the message is too short");
			goto out;
		}
		copy = malloc(alen);
		if (!copy) {
			rc = vsdk__error_set(VSDK_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(copy, a, alen);
		memset(copy + 72, 0, 16);
		if ((rc = vsdk__hmac_md5(c->exported, 16, c->neg, c->neg_len, c->chal, c->chal_len, copy, alen, mic)))
			goto out;
		if (!same(mic, a + 72, 16)) {
			rc = vsdk__error_set(VSDK_EAUTH, "NTLM: the AUTHENTICATE_MESSAGE's MIC is wrong");
			goto out;
		}
	}
	if ((rc = derive_keys(c)))
		goto out;
	free(c->peer_user);
	free(c->peer_domain);
	c->peer_user = user;
	c->peer_domain = domain;
	user = domain = NULL;
out:
	vsdk__wipe(response_key, sizeof(response_key));
	vsdk__wipe(session_base, sizeof(session_base));
	free(copy);
	free(user);
	free(domain);
	if (rc)
		c->established = false;
	return rc;
}

/* ---- session security (MS-NLMP 3.4.3, 3.4.4.2) ------------------------------------- */

static int mac(vsdk_ntlm *c, ntlm_dir *d, const uint8_t *plain, size_t len, uint8_t sig[16])
{
	uint8_t seq[4], h[16];
	int rc;

	put32(seq, d->seq);
	if ((rc = vsdk__hmac_md5(d->sign_key, 16, seq, 4, plain, len, NULL, 0, h)))
		return rc;
	put32(sig, 1);
	if (c->flags & VSDK_NTLM_KEY_EXCH) {
		if ((rc = rc4_run(d->rc4, h, 8, sig + 4)))
			return rc;
	} else {
		memcpy(sig + 4, h, 8);
	}
	memcpy(sig + 12, seq, 4);
	return VSDK_OK;
}

int vsdk__ntlm_seal(vsdk_ntlm *c, const uint8_t *in, size_t len, uint8_t *out, uint8_t sig[16])
{
	int rc;

	if (!vsdk__ntlm_established(c))
		return vsdk__error_set(VSDK_EAUTH, "NTLM: no established security context to seal with");
	/* The signature is over the plaintext; seal first, then the checksum
	 * continues the same RC4 stream. */
	uint8_t *tmp = NULL;
	const uint8_t *plain = in;

	if (in == out) {
		tmp = malloc(len ? len : 1);
		if (!tmp)
			return vsdk__error_set(VSDK_ENOMEM, "out of memory");
		memcpy(tmp, in, len);
		plain = tmp;
	}
	rc = rc4_run(c->send.rc4, plain, len, out);
	if (!rc)
		rc = mac(c, &c->send, plain, len, sig);
	if (!rc)
		c->send.seq++;
	else
		c->broken = true;
	free(tmp);
	return rc;
}

int vsdk__ntlm_unseal(vsdk_ntlm *c, const uint8_t *in, size_t len, const uint8_t sig[16], uint8_t *out)
{
	uint8_t want[16];
	int rc;

	if (!vsdk__ntlm_established(c))
		return vsdk__error_set(VSDK_EAUTH, "NTLM: no established security context to unseal with");
	if ((rc = rc4_run(c->recv.rc4, in, len, out)) || (rc = mac(c, &c->recv, out, len, want))) {
		c->broken = true;
		return rc;
	}
	if (get32(sig) != 1) {
		c->broken = true;
		return vsdk__error_set(VSDK_EPROTO, "NTLM: message signature version %u (expected 1)", get32(sig));
	}
	if (get32(sig + 12) != c->recv.seq) {
		c->broken = true;
		return vsdk__error_set(VSDK_EPROTO, "NTLM: message sequence number %u, expected %u", get32(sig + 12),
				       c->recv.seq);
	}
	if (!same(want + 4, sig + 4, 8)) {
		c->broken = true;
		return vsdk__error_set(VSDK_EAUTH, "NTLM: the message signature does not verify (altered or wrong key)");
	}
	c->recv.seq++;
	return VSDK_OK;
}
