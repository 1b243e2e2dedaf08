/* Fuzz target: datagrams fed to an engine (LNS listening, or a LAC that opened
 * a tunnel) at a fixed clock (RFC 2661 §5.8, §7). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: byte 0 options (bit 0: the engine is a LAC that has sent an SCCRQ,
 * else an LNS listening; bit 1: secret "fuzz" set, challenges on; bit 2:
 * hide AVPs; bit 3: run the timers after every datagram; bit 4: step mode,
 * everything held is released after each datagram; bit 5: with bit 4, odd
 * held items are dropped and even ones duplicated; held retransmissions
 * included, at the end too; bit 6: PPP on connected calls, CHAP both ways
 * with user "fuzz" password "fuzz" and a pool, so data messages reach a
 * running PPP end: session ids are 0x4242 too), then records of
 * a 2-byte big-endian length and that many bytes, each one datagram from
 * 127.0.0.2:1701.  Randomness is the byte 0x42 throughout, so the engine's
 * first tunnel and session ids are 0x4242 and its challenge is 16 x 0x42:
 * a corpus can answer it.
 */

static int
fixed_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x42, len);
	return 0;
}

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Step mode: act on everything held, as an operator pressing keys. */
static void
step(struct l2tp_engine *e, uint8_t opt, uint64_t now)
{
	for (int k = 0; k < 64; k++) {
		unsigned ids[1];
		struct l2tp_held_info hi;

		if (l2tp_engine_held_ids(e, 0, ids, 1) == 0)
			return;
		check(l2tp_engine_held_info(e, ids[0], &hi) == 0);
		check(hi.data != NULL && hi.len > 0);
		check(!hi.retransmission ||
		      (hi.kind == L2TP_HELD_DRAFT && hi.msg_type >= 0));
		if (!(opt & 32))
			check(l2tp_engine_held_release(e, ids[0], now) == 0);
		else if (ids[0] & 1)
			check(l2tp_engine_held_drop(e, ids[0], now) == 0);
		else if (hi.kind == L2TP_HELD_DRAFT)
			check(l2tp_engine_held_duplicate(e, ids[0], now) == 0);
		else
			check(l2tp_engine_held_release(e, ids[0], now) == 0);
	}
}

static void
drain(struct l2tp_engine *e)
{
	struct l2tp_datagram d;
	struct l2tp_event ev;

	while (l2tp_engine_next_datagram(e, &d))
		check(d.len >= 12 && d.data != NULL);
	while (l2tp_engine_next_event(e, &ev))
		check(ev.text != NULL && (ev.msg == NULL) == (ev.msg_len == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tp_engine_config c;
	struct l2tp_engine *e;
	struct l2tp_addr peer;
	uint64_t now = 1000;
	uint8_t opt;
	size_t off = 1;

	if (size < 1)
		return 0;
	opt = data[0];
	l2tp_engine_config_default(&c);
	c.random = fixed_random;
	c.challenge = (opt & 2) != 0;
	c.hide_avps = (opt & 4) != 0;
	c.mode = opt & 16 ? L2TP_MODE_STEP : L2TP_MODE_AUTO;
	e = l2tp_engine_new(&c);
	check(e != NULL);
	if (opt & 2)
		check(l2tp_engine_set_secret_default(e, "fuzz") == 0);
	struct l2tp_ppp_config pc;
	struct l2tp_ppp_user pu = {"fuzz", "fuzz"};
	struct l2tp_ppp_pool *pool = NULL;

	if (opt & 64) {
		uint8_t pfx[4] = {10, 0, 0, 0}, self[4] = {10, 0, 0, 1};

		pool = l2tp_ppp_pool_new(pfx, 24, self);
		check(pool != NULL);
		l2tp_ppp_config_default(&pc);
		snprintf(pc.user, sizeof(pc.user), "fuzz");
		snprintf(pc.password, sizeof(pc.password), "fuzz");
		if (!(opt & 1)) {
			pc.role = L2TP_PPP_SERVER;
			pc.users = &pu;
			pc.nusers = 1;
			pc.auth = L2TP_PPP_AUTH_CHAP;
			pc.pool = pool;
			memcpy(pc.local_addr, self, 4);
		}
		check(l2tp_engine_set_ppp(
		          e, opt & 1 ? L2TP_ROLE_LAC : L2TP_ROLE_LNS, &pc) ==
		      0);
	}
	memset(&peer, 0, sizeof(peer));
	peer.family = L2TP_AF_INET;
	peer.addr[0] = 127;
	peer.addr[3] = 2;
	peer.port = 1701;
	if (opt & 1) {
		uint16_t lid;

		check(l2tp_engine_tunnel_open(e, &peer, L2TP_ROLE_LAC, now,
		                              &lid) == 0);
	} else {
		l2tp_engine_listen(e, true, L2TP_ROLE_LNS);
	}
	drain(e);
	while (size - off >= 2) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (len > size - off)
			len = size - off;
		/* An exactly sized copy: a sanitizer sees any overread. */
		uint8_t *p = malloc(len ? len : 1);

		check(p != NULL);
		memcpy(p, data + off, len);
		check(l2tp_engine_input(e, &peer, p, len, now) == 0);
		free(p);
		off += len;
		drain(e);
		if (opt & 16) {
			step(e, opt, now);
			drain(e);
		}
		if (opt & 8) {
			uint64_t x = l2tp_engine_expiry(e);

			if (x != UINT64_MAX) {
				now = x > now ? x : now;
				l2tp_engine_handle_expiry(e, now);
				drain(e);
			}
		}
	}
	/* Whatever came in, the tunnels' state stays readable. */
	uint16_t ids[8];
	size_t n = l2tp_engine_tunnel_ids(e, ids, 8);

	for (size_t i = 0; i < n && i < 8; i++) {
		struct l2tp_tunnel_info ti;

		check(l2tp_engine_tunnel_info(e, ids[i], &ti) == 0);
		check(ti.unacked <= 32);
		check(ti.state >= 0 && ti.state <= 4);
	}
	/* Sessions and their PPP stay readable; a ping either goes or says
	 * why not. */
	uint16_t sids[8];
	size_t ns = l2tp_engine_session_ids(e, 0, sids, 8);

	for (size_t i = 0; i < ns && i < 8; i++) {
		struct l2tp_session_info si;
		struct l2tp_ppp_info pi;
		uint16_t seq;
		uint8_t dst[4] = {10, 0, 0, 1};

		check(l2tp_engine_session_info(e, sids[i], &si) == 0);
		if (l2tp_engine_session_ppp(e, sids[i], &pi) == 0)
			check(pi.phase >= 0 && pi.phase <= 4);
		if (l2tp_engine_ping(e, sids[i], 4, dst, 56, false, now,
		                     &seq) == L2TP_E_STATE)
			check(l2tp_engine_ping_why(e, sids[i], 4) != NULL);
		drain(e);
	}
	/* And a full retransmission cycle later everything can be closed. */
	for (int k = 0; k < 200 && l2tp_engine_expiry(e) != UINT64_MAX; k++) {
		now = l2tp_engine_expiry(e) > now ? l2tp_engine_expiry(e)
		                                  : now + 1;
		l2tp_engine_handle_expiry(e, now);
		drain(e);
		/* Step mode holds retransmissions: act on them too. */
		if (opt & 16) {
			step(e, opt, now);
			drain(e);
		}
	}
	l2tp_engine_free(e);
	l2tp_ppp_pool_free(pool);
	return 0;
}
