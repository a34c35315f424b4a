/*
 * NTLMv2 against the MS-NLMP 4.2.4 test vectors (typed from the spec as
 * hex), client/server round trips, sealing with tamper/replay detection,
 * and the MS-WSMV multipart/encrypted framing.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include "vtest.h"
#include "ntlm_private.h"

#include <stdlib.h>
#include <string.h>

/* hex -> bytes (spaces ignored); returns the length */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *h; h++) {
		int v;

		if (*h >= '0' && *h <= '9')
			v = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			v = *h - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

/* MS-NLMP 4.2.1 / 4.2.4 values */
static const uint8_t client_chal[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
static const uint8_t server_chal[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static const uint8_t random_key[16] = { 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
					0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };

#define V_RESPONSE_KEY_NT "0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f"
#define V_SESSION_BASE_KEY "8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3"
#define V_LMV2 "86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa"
#define V_NTPROOFSTR "68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c"
#define V_ENC_SESSION_KEY "c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e"
#define V_SEALKEY_C2S "59 f6 00 97 3c c4 96 0a 25 48 0a 7c 19 6e 4c 58"
#define V_SIGNKEY_C2S "47 88 dc 86 1b 47 82 f3 5d 43 fd 98 fe 1a 2d 39"
#define V_AVPAIRS "02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00"
#define V_TEMP "01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00" V_AVPAIRS "00 00 00 00"
#define V_PLAINTEXT "50 00 6c 00 61 00 69 00 6e 00 74 00 65 00 78 00 74 00"
#define V_SEALED "54 e5 01 65 bf 19 36 dc 99 60 20 c1 81 1b 0f 06 fb 5f"
#define V_SIGNATURE "01 00 00 00 7f b3 8e c5 c5 5d 49 76 00 00 00 00"

/* 4.2.4.3 CHALLENGE_MESSAGE */
#define V_CHALLENGE                                                                                          \
	"4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00 38 00 00 00 33 82 8a e2 01 23 45 67 89 ab cd ef "  \
	"00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00 06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00 "  \
	"65 00 72 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 "  \
	"65 00 72 00 00 00 00 00"
/* 4.2.4.3 AUTHENTICATE_MESSAGE */
#define V_AUTHENTICATE                                                                                       \
	"4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00 6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00 "  \
	"48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00 5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2 "  \
	"05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00 69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00 "  \
	"4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa "  \
	"aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00 "  \
	"00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 "  \
	"01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90 "  \
	"94 ce 1c e9 0b c9 d0 3e"

#define CHECK_HEX(buf, len, hex)                                                                            \
	do {                                                                                                 \
		uint8_t want_[512];                                                                          \
		size_t wl_ = unhex(hex, want_, sizeof(want_));                                               \
		CU_ASSERT_EQUAL_FATAL((size_t)(len), wl_);                                                   \
		CU_ASSERT(memcmp((buf), want_, wl_) == 0);                                                    \
	} while (0)

static int init(void)
{
	return vsdk__ntlm_crypto_init() == VSDK_OK ? 0 : (printf("%s\n", vsdk_error_last()->message), 1);
}

static void test_ntlm__ntowfv2_matches_spec_vector(void)
{
	uint8_t h[16], k[16];

	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_nt_hash("Password", h), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_ntowfv2(h, "User", "Domain", k), VSDK_OK);
	CHECK_HEX(k, 16, V_RESPONSE_KEY_NT);
	/* the user name is upper-cased, the domain is not */
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_ntowfv2(h, "uSeR", "Domain", k), VSDK_OK);
	CHECK_HEX(k, 16, V_RESPONSE_KEY_NT);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_ntowfv2(h, "User", "DOMAIN", k), VSDK_OK);
	CU_ASSERT(memcmp(k, "\x0c\x86\x8a\x40", 4) != 0);
}

static void test_ntlm__v2_response_lmv2_and_session_base_key_match_spec(void)
{
	uint8_t h[16], k[16], av[64], lm[24], sbk[16], *nt = NULL;
	size_t avl = unhex(V_AVPAIRS, av, sizeof(av)), ntl = 0;

	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_nt_hash("Password", h), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_ntowfv2(h, "User", "Domain", k), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_v2_response(k, server_chal, client_chal, 0, av, avl, &nt, &ntl, lm, sbk),
			      VSDK_OK);
	CHECK_HEX(nt, 16, V_NTPROOFSTR);
	CHECK_HEX(nt + 16, ntl - 16, V_TEMP);
	CHECK_HEX(lm, 24, V_LMV2);
	CHECK_HEX(sbk, 16, V_SESSION_BASE_KEY);
	free(nt);
}

static void test_ntlm__encrypted_session_key_and_derived_keys_match_spec(void)
{
	uint8_t sbk[16], enc[16], key[16];

	unhex(V_SESSION_BASE_KEY, sbk, 16);
	CU_ASSERT_EQUAL_FATAL(vsdk__rc4k(sbk, random_key, 16, enc), VSDK_OK);
	CHECK_HEX(enc, 16, V_ENC_SESSION_KEY);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_sealkey(0xe2888235u, random_key, true, key), VSDK_OK);
	CHECK_HEX(key, 16, V_SEALKEY_C2S);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_signkey(random_key, true, key), VSDK_OK);
	CHECK_HEX(key, 16, V_SIGNKEY_C2S);
}

/* The client fed the spec's CHALLENGE_MESSAGE (fixed nonce, key, time) yields
 * the spec's responses, and its first sealed message is the spec's. */
static void test_ntlm__client_against_spec_challenge_seals_plaintext_like_spec(void)
{
	uint8_t chal[256], *neg = NULL, *auth = NULL, plain[64], sealed[64], sig[16];
	size_t cl = unhex(V_CHALLENGE, chal, sizeof(chal)), nl = 0, al = 0, pl = unhex(V_PLAINTEXT, plain, sizeof(plain));
	vsdk_ntlm *c = vsdk__ntlm_client_new("User", "Domain", "Password", "COMPUTER");

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vsdk__ntlm_set_fixed(c, client_chal, random_key, 0);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_client_negotiate(c, &neg, &nl), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_client_authenticate(c, chal, cl, &auth, &al), VSDK_OK);
	/* no MsvAvTimestamp in this challenge: 72-byte header, LMv2 sent, no MIC */
	CU_ASSERT_EQUAL(auth[16], 72 + 12 + 8 + 16); /* LM after domain, user, workstation */
	CHECK_HEX(auth + (auth[16] | auth[17] << 8), auth[12], V_LMV2);
	CU_ASSERT_EQUAL(auth[20], 0x54);
	CHECK_HEX(auth + (auth[24] | auth[25] << 8), 16, V_NTPROOFSTR);
	CHECK_HEX(auth + (auth[56] | auth[57] << 8), auth[52], V_ENC_SESSION_KEY);
	CU_ASSERT(vsdk__ntlm_established(c));
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(c, plain, pl, sealed, sig), VSDK_OK);
	CHECK_HEX(sealed, pl, V_SEALED);
	CHECK_HEX(sig, 16, V_SIGNATURE);
	free(neg);
	free(auth);
	vsdk__ntlm_free(c);
}

/* The server accepts the spec's AUTHENTICATE_MESSAGE for User/Domain/Password
 * and unseals the spec's sealed "Plaintext". */
static void test_ntlm__server_accepts_spec_authenticate_and_unseals_spec_message(void)
{
	uint8_t auth[512], neg[40] = "NTLMSSP", sealed[64], sig[16], out[64], *chal = NULL;
	size_t al = unhex(V_AUTHENTICATE, auth, sizeof(auth)), sl = unhex(V_SEALED, sealed, sizeof(sealed)), chl = 0;
	vsdk_ntlm *s = vsdk__ntlm_server_new("User", "Domain", "Password", "Server");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	neg[8] = 1;
	neg[12] = 0x35, neg[13] = 0x82, neg[14] = 0x88, neg[15] = 0xe2;
	vsdk__ntlm_server_set_fixed(s, server_chal, 0);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_server_challenge(s, neg, sizeof(neg), &chal, &chl), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_server_accept(s, auth, al), VSDK_OK);
	CU_ASSERT_STRING_EQUAL(vsdk__ntlm_peer_user(s), "User");
	CU_ASSERT_STRING_EQUAL(vsdk__ntlm_peer_domain(s), "Domain");
	unhex(V_SIGNATURE, sig, 16);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_unseal(s, sealed, sl, sig, out), VSDK_OK);
	CHECK_HEX(out, sl, V_PLAINTEXT);
	free(chal);
	vsdk__ntlm_free(s);
}

static void test_ntlm__server_refuses_spec_authenticate_with_wrong_password(void)
{
	uint8_t auth[512], neg[40] = "NTLMSSP", *chal = NULL;
	size_t al = unhex(V_AUTHENTICATE, auth, sizeof(auth)), chl = 0;
	vsdk_ntlm *s = vsdk__ntlm_server_new("User", "Domain", "Passw0rd", "Server");

	neg[8] = 1;
	neg[12] = 0x35, neg[13] = 0x82, neg[14] = 0x88, neg[15] = 0xe2;
	vsdk__ntlm_server_set_fixed(s, server_chal, 0);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_server_challenge(s, neg, sizeof(neg), &chal, &chl), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk__ntlm_server_accept(s, auth, al), VSDK_EAUTH);
	CU_ASSERT(strstr(vsdk_error_last()->message, "wrong password") != NULL);
	CU_ASSERT_FALSE(vsdk__ntlm_established(s));
	free(chal);
	vsdk__ntlm_free(s);
}

/* A full exchange between our client and our server with a timestamp (MIC on). */
static void handshake(vsdk_ntlm *c, vsdk_ntlm *s, int expect, bool tamper_mic)
{
	uint8_t *neg = NULL, *chal = NULL, *auth = NULL;
	size_t nl = 0, cl = 0, al = 0;

	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_client_negotiate(c, &neg, &nl), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_server_challenge(s, neg, nl, &chal, &cl), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_client_authenticate(c, chal, cl, &auth, &al), VSDK_OK);
	CU_ASSERT_EQUAL(al > 88, true);
	if (tamper_mic)
		auth[80] ^= 1;
	CU_ASSERT_EQUAL(vsdk__ntlm_server_accept(s, auth, al), expect);
	free(neg);
	free(chal);
	free(auth);
}

static void test_ntlm__round_trip_with_timestamp_and_mic(void)
{
	vsdk_ntlm *c = vsdk__ntlm_client_new("Administrator", "HVSIM", "s3cr\xc3\xa9t", "WS");
	vsdk_ntlm *s = vsdk__ntlm_server_new("administrator", NULL, "s3cr\xc3\xa9t", "HVSIM");
	const char *msgs[] = { "<s:Envelope>one</s:Envelope>", "", "three: a longer message \xe2\x82\xac" };

	handshake(c, s, VSDK_OK, false);
	CU_ASSERT(vsdk__ntlm_flags(c) & VSDK_NTLM_KEY_EXCH);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(msgs[i]);
		uint8_t buf[128], sig[16], back[128];

		/* client -> server, then server -> client */
		CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(c, (const uint8_t *)msgs[i], n, buf, sig), VSDK_OK);
		CU_ASSERT(n == 0 || memcmp(buf, msgs[i], n) != 0);
		CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_unseal(s, buf, n, sig, back), VSDK_OK);
		CU_ASSERT(memcmp(back, msgs[i], n) == 0);
		CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(s, (const uint8_t *)msgs[i], n, buf, sig), VSDK_OK);
		CU_ASSERT_EQUAL(sig[12], i); /* server's own sequence */
		CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_unseal(c, buf, n, sig, back), VSDK_OK);
		CU_ASSERT(memcmp(back, msgs[i], n) == 0);
	}
	vsdk__ntlm_free(c);
	vsdk__ntlm_free(s);
}

static void test_ntlm__server_refuses_wrong_password_user_and_altered_mic(void)
{
	vsdk_ntlm *c = vsdk__ntlm_client_new("admin", "", "wrong", NULL);
	vsdk_ntlm *s = vsdk__ntlm_server_new("admin", NULL, "secret", NULL);

	handshake(c, s, VSDK_EAUTH, false);
	vsdk__ntlm_free(c);
	c = vsdk__ntlm_client_new("root", "", "secret", NULL);
	handshake(c, s, VSDK_EAUTH, false);
	CU_ASSERT(strstr(vsdk_error_last()->message, "unknown user") != NULL);
	vsdk__ntlm_free(c);
	c = vsdk__ntlm_client_new("admin", "", "secret", NULL);
	handshake(c, s, VSDK_EAUTH, true);
	CU_ASSERT(strstr(vsdk_error_last()->message, "MIC") != NULL);
	handshake(c, s, VSDK_OK, false);
	vsdk__ntlm_free(c);
	vsdk__ntlm_free(s);
}

static void test_ntlm__unseal_detects_tampering_and_replay(void)
{
	vsdk_ntlm *c = vsdk__ntlm_client_new("admin", "DOM", "secret", NULL);
	vsdk_ntlm *s = vsdk__ntlm_server_new("admin", "DOM", "secret", NULL);
	uint8_t buf[16], sig[16], back[16], buf2[16], sig2[16];

	handshake(c, s, VSDK_OK, false);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(c, (const uint8_t *)"hello", 5, buf, sig), VSDK_OK);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(c, (const uint8_t *)"again", 5, buf2, sig2), VSDK_OK);
	/* out of order: the second message first */
	CU_ASSERT_EQUAL(vsdk__ntlm_unseal(s, buf2, 5, sig2, back), VSDK_EPROTO);
	CU_ASSERT(strstr(vsdk_error_last()->message, "sequence") != NULL);
	/* a fresh pair; flip one ciphertext bit */
	handshake(c, s, VSDK_OK, false);
	CU_ASSERT_EQUAL_FATAL(vsdk__ntlm_seal(c, (const uint8_t *)"hello", 5, buf, sig), VSDK_OK);
	buf[2] ^= 0x10;
	CU_ASSERT_EQUAL(vsdk__ntlm_unseal(s, buf, 5, sig, back), VSDK_EAUTH);
	CU_ASSERT_FALSE(vsdk__ntlm_established(s));
	vsdk__ntlm_free(c);
	vsdk__ntlm_free(s);
}

static void test_wsmv__framing_is_the_windows_spelling_and_round_trips(void)
{
	vsdk_ntlm *c = vsdk__ntlm_client_new("admin", "", "secret", NULL);
	vsdk_ntlm *s = vsdk__ntlm_server_new("admin", NULL, "secret", NULL);
	const char *soap = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>";
	static const char head[] = "--Encrypted Boundary\r\n"
				   "\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
				   "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=%zu\r\n"
				   "--Encrypted Boundary\r\n"
				   "\tContent-Type: application/octet-stream\r\n"
				   "\x10";
	char want[512], *body = NULL, *plain = NULL;
	size_t bl = 0, pl = 0, n = strlen(soap);

	handshake(c, s, VSDK_OK, false);
	snprintf(want, sizeof(want), head, n);
	CU_ASSERT_EQUAL_FATAL(vsdk__wsmv_wrap(c, soap, n, &body, &bl), VSDK_OK);
	CU_ASSERT_EQUAL(bl, strlen(want) + 3 + 16 + n + strlen("--Encrypted Boundary--\r\n"));
	CU_ASSERT(memcmp(body, want, strlen(want)) == 0);
	CU_ASSERT(memcmp(body + strlen(want), "\0\0\0\x01\0\0\0", 7) == 0); /* length 16, then version 1 */
	CU_ASSERT(memcmp(body + bl - 24, "--Encrypted Boundary--\r\n", 24) == 0);
	CU_ASSERT(memmem(body, bl, "<s:Body", 7) == NULL);
	CU_ASSERT(vsdk__wsmv_is_encrypted(VSDK_WSMV_ENC_CONTENT_TYPE));
	CU_ASSERT_FALSE(vsdk__wsmv_is_encrypted("application/soap+xml;charset=UTF-8"));
	CU_ASSERT_EQUAL_FATAL(vsdk__wsmv_unwrap(s, body, bl, &plain, &pl), VSDK_OK);
	CU_ASSERT_EQUAL(pl, n);
	CU_ASSERT_STRING_EQUAL(plain, soap);
	free(plain);
	free(body);
	/* truncated body: a clear protocol error, nothing unsealed */
	CU_ASSERT_EQUAL_FATAL(vsdk__wsmv_wrap(c, soap, n, &body, &bl), VSDK_OK);
	CU_ASSERT_EQUAL(vsdk__wsmv_unwrap(s, body, bl - 40, &plain, &pl), VSDK_EPROTO);
	CU_ASSERT_PTR_NULL(plain);
	CU_ASSERT_EQUAL(vsdk__wsmv_unwrap(s, "hello", 5, &plain, &pl), VSDK_EPROTO);
	free(body);
	vsdk__ntlm_free(c);
	vsdk__ntlm_free(s);
}

static void test_ntlm__base64_and_utf16_helpers(void)
{
	uint8_t *d = NULL, *u = NULL;
	size_t dl = 0, ul = 0;
	char *e = vsdk__b64_encode((const uint8_t *)"NTLMSSP\0\x01", 9);

	CU_ASSERT_STRING_EQUAL(e, "TlRMTVNTUAAB");
	CU_ASSERT_EQUAL(vsdk__b64_decode(e, &d, &dl), VSDK_OK);
	CU_ASSERT_EQUAL(dl, 9);
	CU_ASSERT(memcmp(d, "NTLMSSP\0\x01", 9) == 0);
	free(d);
	free(e);
	CU_ASSERT_EQUAL(vsdk__b64_decode("TlRM", &d, &dl), VSDK_OK);
	CU_ASSERT_EQUAL(dl, 3);
	free(d);
	CU_ASSERT_EQUAL(vsdk__b64_decode("T!RM", &d, &dl), VSDK_EPROTO);
	CU_ASSERT_EQUAL(vsdk__b64_decode("abc", &d, &dl), VSDK_EPROTO);
	CU_ASSERT_EQUAL(vsdk__utf16le("us\xc3\xa9r", true, &u, &ul), VSDK_OK);
	CU_ASSERT_EQUAL(ul, 8);
	CU_ASSERT(memcmp(u, "U\0S\0\xc9\0R\0", 8) == 0);
	free(u);
	CU_ASSERT_EQUAL(vsdk__utf16le("bad\xff", false, &u, &ul), VSDK_EINVALID);
}

int main(void)
{
	static const vtest_case cases[] = {
		VTEST_CASE(test_ntlm__ntowfv2_matches_spec_vector),
		VTEST_CASE(test_ntlm__v2_response_lmv2_and_session_base_key_match_spec),
		VTEST_CASE(test_ntlm__encrypted_session_key_and_derived_keys_match_spec),
		VTEST_CASE(test_ntlm__client_against_spec_challenge_seals_plaintext_like_spec),
		VTEST_CASE(test_ntlm__server_accepts_spec_authenticate_and_unseals_spec_message),
		VTEST_CASE(test_ntlm__server_refuses_spec_authenticate_with_wrong_password),
		VTEST_CASE(test_ntlm__round_trip_with_timestamp_and_mic),
		VTEST_CASE(test_ntlm__server_refuses_wrong_password_user_and_altered_mic),
		VTEST_CASE(test_ntlm__unseal_detects_tampering_and_replay),
		VTEST_CASE(test_wsmv__framing_is_the_windows_spelling_and_round_trips),
		VTEST_CASE(test_ntlm__base64_and_utf16_helpers),
		VTEST_END
	};
	return vtest_main("ntlm", cases, init, NULL);
}
