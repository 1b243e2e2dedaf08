/* Hidden AVPs and tunnel authentication digests (RFC 2661 §4.3, §4.4.3,
 * §5.1.1). */
#include <string.h>

#include <openssl/evp.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"

/*
 * One digest context and one MD5 implementation, made once and reused: no
 * allocation or lookup per packet.  The decoder runs on one thread;
 * _Thread_local keeps it correct if it is ever called from more.  Returns -1
 * only when the context cannot be made.
 */
static int
md5_parts(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
          const uint8_t *c, size_t clen, uint8_t out[16])
{
	static _Thread_local EVP_MD_CTX *ctx;
	/* fetched once: EVP_md5() would be looked up again on every init */
	static _Thread_local EVP_MD *md5;
	unsigned int n = 16;

	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (md5 == NULL && (md5 = EVP_MD_fetch(NULL, "MD5", NULL)) == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, md5, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, a, alen) != 1 ||
	    EVP_DigestUpdate(ctx, b, blen) != 1 ||
	    (clen && EVP_DigestUpdate(ctx, c, clen) != 1) ||
	    EVP_DigestFinal_ex(ctx, out, &n) != 1)
		return -1;
	return 0;
}

void
l2tp_chap_response(uint8_t id, const uint8_t *secret, size_t slen,
                   const uint8_t *chal, size_t clen, uint8_t out[16])
{
	if (md5_parts(&id, 1, secret, slen, chal, clen, out) < 0)
		memset(out, 0, 16);
}

/*
 * XOR `len` bytes of `in` with the keystream b1 = MD5(type || secret || RV),
 * bi = MD5(secret || c(i-1)), where c is the ciphertext: `cipher_in` says
 * whether `in` is the ciphertext (unhiding) or the plaintext (hiding).  `in`
 * and `out` may be the same buffer: the previous ciphertext block is kept
 * aside before it can be overwritten.  Returns -1 when MD5 is unavailable.
 */
static int
crypt(uint16_t type, const uint8_t *secret, size_t slen, const uint8_t *rv,
      size_t rvlen, const uint8_t *in, size_t len, uint8_t *out, bool cipher_in)
{
	uint8_t t[2] = {(uint8_t)(type >> 8), (uint8_t)type};
	uint8_t ks[16], prev[16];

	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		int rc;

		if (off == 0)
			rc = md5_parts(t, 2, secret, slen, rv, rvlen, ks);
		else
			rc = md5_parts(secret, slen, prev, 16, NULL, 0, ks);
		if (rc < 0)
			return -1;
		/* c(i) feeds the next block; a short last block has none. */
		if (cipher_in)
			memcpy(prev, in + off, n);
		for (size_t i = 0; i < n; i++)
			out[off + i] = in[off + i] ^ ks[i];
		if (!cipher_in)
			memcpy(prev, out + off, n);
	}
	return 0;
}

void
l2tp_hide(uint16_t type, const uint8_t *secret, size_t slen, const uint8_t *rv,
          size_t rvlen, const uint8_t *val, size_t len, const uint8_t *padbytes,
          size_t pad, uint8_t *out)
{
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	if (len)
		memmove(out + 2, val, len);
	if (pad) {
		if (padbytes)
			memcpy(out + 2 + len, padbytes, pad);
		else
			memset(out + 2 + len, 0, pad);
	}
	if (crypt(type, secret, slen, rv, rvlen, out, 2 + len + pad, out,
	          false) < 0)
		memset(out, 0, 2 + len + pad);
}

int
l2tp_unhide_value(uint16_t type, const uint8_t *secret, size_t slen,
                  const uint8_t *rv, size_t rvlen, const uint8_t *cipher,
                  size_t clen, uint8_t *out)
{
	size_t olen;

	if (clen < 2 ||
	    crypt(type, secret, slen, rv, rvlen, cipher, clen, out, true) < 0)
		return -1;
	olen = (size_t)out[0] << 8 | out[1];
	if (olen > clen - 2)
		return -1;
	memmove(out, out + 2, olen);
	return (int)olen;
}

int
l2tp_unhide(struct l2tp_msg *m, const char *const *secrets, size_t nsecrets,
            uint8_t *scratch, size_t cap)
{
	const struct l2tp_avp *rv = NULL;
	size_t used = 0;
	int opened = 0;
	char nb[32];

	for (size_t i = 0; i < m->navps; i++) {
		struct l2tp_avp *a = &m->avps[i];
		const struct l2tp_avp_info *ai;

		if (a->vendor == 0 && a->type == L2TP_AVP_RANDOM_VECTOR) {
			rv = a;
			continue;
		}
		/* No vector, or too short to hide anything: the parser has
		 * said so already; no secret is to blame. */
		if (!a->h || a->decrypted || rv == NULL || nsecrets == 0 ||
		    a->value.len < 2)
			continue;
		if (cap - used < a->value.len)
			break;
		ai = l2tp_avp_info(a->vendor, a->type);
		for (size_t s = 0; s < nsecrets; s++) {
			int n = l2tp_unhide_value(
			    a->type, (const uint8_t *)secrets[s],
			    strlen(secrets[s]), rv->value.p, rv->value.len,
			    a->value.p, a->value.len, scratch + used);

			if (n < 0)
				continue;
			/* A fitting length outside the table's bounds is
			 * as much a misfit as one past the end. */
			if (ai && (n < ai->min_len || n > ai->max_len))
				continue;
			a->decrypted = true;
			a->secret_idx = (int8_t)s;
			a->plain.p = scratch + used;
			a->plain.len = (size_t)n;
			used += (size_t)n;
			opened++;
			break;
		}
		if (!a->decrypted)
			l2tp_problem(
			    m, L2TP_FAULT_UNSUPPORTED, (int)i,
			    "%s: hidden value opens with none of %zu "
			    "secret%s (wrong secret?)",
			    l2tp_avp_name(a->vendor, a->type, nb, sizeof(nb)),
			    nsecrets, nsecrets == 1 ? "" : "s");
	}
	return opened;
}
