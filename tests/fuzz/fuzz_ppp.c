/* Fuzz target: a PPP subscriber and a PPP server wired in memory, with frames
 * and operator calls from the input between their own (RFC 1661, 1334, 1994,
 * 1332, 5072). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: records.  Byte 0 of a record: bits 0-1 the operation, bit 2 the
 * end (0 subscriber, 1 server).  0: a frame to that end (2-byte protocol,
 * 1-byte length, the bytes); 1: the clock moves by the next byte times
 * 100 ms and both ends' timers run; 2: deliver the frames the two ends
 * sent each other so far (bounded); 3: an operator call chosen by the
 * next byte (ping over IPv4 or IPv6, echo now, close).  Randomness is a
 * fixed xorshift, so a corpus can be replayed exactly.
 */

#define QMAX 256

struct fq {
	int to;
	uint16_t proto;
	uint16_t len;
	uint8_t b[600];
};

struct fz {
	struct l2tp_ppp_link *l[2];
	int idx[2];
	struct fq q[QMAX];
	size_t nq;
	uint64_t x;
};

static struct fz *cur;

static int
xrand(void *ctx, uint8_t *b, size_t n)
{
	uint64_t *x = ctx;

	for (size_t i = 0; i < n; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		b[i] = (uint8_t)(*x >> 24);
	}
	return 0;
}

static void
on_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	int from = *(int *)ctx;
	struct fq *f;

	if (cur->nq == QMAX || len > sizeof(f->b))
		return; /* lost */
	f = &cur->q[cur->nq++];
	f->to = !from;
	f->proto = proto;
	f->len = (uint16_t)len;
	memcpy(f->b, p, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t prefix[4] = {10, 10, 10, 0},
	                     srv[4] = {10, 201, 1, 1};
	struct l2tp_ppp_config c[2];
	struct l2tp_ppp_user u;
	struct l2tp_ppp_io io;
	struct l2tp_ppp_pool *pool = l2tp_ppp_pool_new(prefix, 24, NULL);
	struct fz *z = calloc(1, sizeof(*z));
	uint64_t now = 0;
	size_t i = 0;

	if (!pool || !z)
		abort();
	cur = z;
	z->x = 0x9e3779b97f4a7c15ull;
	l2tp_ppp_config_default(&c[0]);
	memcpy(c[0].user, "alice", 6);
	memcpy(c[0].password, "secret", 7);
	l2tp_ppp_config_default(&c[1]);
	c[1].role = L2TP_PPP_SERVER;
	c[1].auth =
	    size > 0 && (data[0] & 8) ? L2TP_PPP_AUTH_PAP : L2TP_PPP_AUTH_ANY;
	memset(&u, 0, sizeof(u));
	memcpy(u.name, "alice", 6);
	memcpy(u.password, "secret", 7);
	c[1].users = &u;
	c[1].nusers = 1;
	c[1].pool = pool;
	memcpy(c[1].local_addr, srv, 4);
	memcpy(c[1].dns[0], srv, 4);
	memset(&io, 0, sizeof(io));
	io.send = on_send;
	io.random = xrand;
	io.random_ctx = &z->x;
	for (int s = 0; s < 2; s++) {
		z->idx[s] = s;
		z->l[s] = l2tp_ppp_new(&c[s], &io, &z->idx[s]);
		if (!z->l[s] || l2tp_ppp_start(z->l[s], now) != 0)
			abort();
	}
	while (i < size) {
		uint8_t op = data[i++];
		int end = (op >> 2) & 1;

		switch (op & 3) {
		case 0: {
			uint16_t proto;
			uint8_t n;

			if (size - i < 3)
				goto out;
			proto = (uint16_t)(data[i] << 8 | data[i + 1]);
			n = data[i + 2];
			i += 3;
			if (size - i < n)
				n = (uint8_t)(size - i);
			l2tp_ppp_input(z->l[end], proto, data + i, n, now);
			i += n;
			break;
		}
		case 1:
			if (i < size)
				now += (uint64_t)data[i++] * 100;
			for (int s = 0; s < 2; s++)
				if (l2tp_ppp_expiry(z->l[s]) <= now)
					l2tp_ppp_handle_expiry(z->l[s], now);
			break;
		case 2:
			/* Deliver in rounds; each round's answers queue anew.
			 */
			for (int round = 0; round < 8 && z->nq; round++) {
				struct fq *batch = malloc(sizeof(z->q));
				size_t n = z->nq;

				if (!batch)
					abort();
				memcpy(batch, z->q, n * sizeof(*batch));
				z->nq = 0;
				for (size_t k = 0; k < n; k++)
					l2tp_ppp_input(
					    z->l[batch[k].to], batch[k].proto,
					    batch[k].b, batch[k].len, now);
				free(batch);
			}
			break;
		default: {
			uint8_t w = i < size ? data[i++] : 0;
			uint8_t dst6[16] = {0xfe, 0x80, [15] = 1};
			struct l2tp_ppp_info in;

			l2tp_ppp_info(z->l[end], &in);
			if (w % 4 == 0)
				l2tp_ppp_ping(z->l[end], 4, in.ip_peer, 8 + w,
				              w & 1, now, NULL);
			else if (w % 4 == 1)
				l2tp_ppp_ping(z->l[end], 6, dst6, 8, false, now,
				              NULL);
			else if (w % 4 == 2)
				l2tp_ppp_echo_now(z->l[end], now);
			else
				l2tp_ppp_close(z->l[end], "fuzz", now);
			break;
		}
		}
	}
out:
	for (int s = 0; s < 2; s++)
		l2tp_ppp_free(z->l[s]);
	if (l2tp_ppp_pool_used(pool) != 0)
		abort(); /* every address went back */
	l2tp_ppp_pool_free(pool);
	free(z);
	return 0;
}
