/* bench_engine_flood: 100,000 SCCRQs against one LNS engine, from one peer
 * and from 1,000 peers, with the default limits (RFC 2661 §7.2). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_lib.h"
#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "engine/engine.h"

/*
 * Each SCCRQ has its own Assigned Tunnel ID, so each asks for a new
 * tunnel; the engine keeps at most its caps (tunnels per peer, tunnels in
 * all) and refuses the rest with a StopCCN it keeps nothing for.  Virtual
 * time (10 SCCRQs a millisecond, well inside the 60 s setup timeout, so
 * every tunnel accepted is still held at the end: the worst case for
 * memory), the wall clock for the figures.  Prints the time per SCCRQ, the
 * tunnels held, the peak heap, the heap bytes one half-open tunnel costs
 * (measured with the caps off) and the bound the peak must stay under:
 * the caps times the bytes per tunnel, plus the engine's fixed share.
 * Exit status 1 when the peak is above that bound.
 */

#define NSCCRQ 100000

static size_t
build_sccrq(uint8_t *buf, size_t cap, uint16_t rid)
{
	static const uint8_t ver[2] = {1, 0};
	struct l2tp_builder b;
	int n;

	l2tp_build_control(&b, buf, cap, 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u32(&b, true, L2TP_AVP_BEARER_CAP, 3);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "flooder");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, rid);
	n = l2tp_build_end(&b);
	return n < 0 ? 0 : (size_t)n;
}

struct run {
	double secs;
	size_t peak, base;
	uint32_t tunnels;
	uint64_t refused;
};

static void
drain(struct l2tp_engine *e)
{
	struct l2tp_datagram d;
	struct l2tp_event ev;

	while (l2tp_engine_next_datagram(e, &d))
		;
	while (l2tp_engine_next_event(e, &ev))
		;
}

/* NSCCRQ SCCRQs from `peers` addresses, round robin. */
static int
flood(unsigned peers, bool caps, struct run *r)
{
	struct l2tp_engine_config c;
	struct l2tp_engine_stats st;
	struct l2tp_engine *e;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	uint8_t buf[256];
	double t0;

	l2tp_engine_config_default(&c);
	c.random = xrand;
	c.random_ctx = &seed;
	if (!caps)
		c.max_tunnels = c.max_tunnels_per_peer = 0;
	r->base = heap_used();
	e = l2tp_engine_new(&c);
	if (e == NULL)
		return -1;
	l2tp_engine_listen(e, true, L2TP_ROLE_LNS);
	r->peak = heap_used();
	t0 = wall();
	for (unsigned i = 0; i < NSCCRQ; i++) {
		struct l2tp_addr a = {.family = L2TP_AF_INET, .port = 1701};
		unsigned p = i % peers;
		uint64_t now = i / 10;
		size_t len = build_sccrq(buf, sizeof(buf),
		                         (uint16_t)(1 + (i / peers) % 65535));

		a.addr[0] = 10;
		a.addr[1] = (uint8_t)(p >> 16);
		a.addr[2] = (uint8_t)(p >> 8);
		a.addr[3] = (uint8_t)p;
		l2tp_engine_input(e, &a, buf, len, now);
		if (l2tp_engine_expiry(e) <= now)
			l2tp_engine_handle_expiry(e, now);
		drain(e);
		if (i % 256 == 0 && heap_used() > r->peak)
			r->peak = heap_used();
	}
	r->secs = wall() - t0;
	if (heap_used() > r->peak)
		r->peak = heap_used();
	l2tp_engine_stats(e, &st);
	r->tunnels = st.tunnels;
	r->refused = st.refused_tunnels_peer + st.refused_tunnels_total;
	l2tp_engine_free(e);
	return 0;
}

int
main(void)
{
	struct l2tp_engine_config def;
	struct run cal, one, many;
	double per_tunnel;
	size_t fixed, bound_one, bound_many;
	int rc = 0;

	l2tp_engine_config_default(&def);
	/* Bytes per half-open tunnel: 4096 tunnels with the caps off. */
	{
		struct l2tp_engine_config c = def;
		uint64_t seed = 1;
		struct l2tp_engine *e;
		uint8_t buf[256];
		size_t a, b;

		c.random = xrand;
		c.random_ctx = &seed;
		c.max_tunnels = c.max_tunnels_per_peer = 0;
		e = l2tp_engine_new(&c);
		l2tp_engine_listen(e, true, L2TP_ROLE_LNS);
		a = heap_used();
		for (unsigned i = 0; i < 4096; i++) {
			struct l2tp_addr ad = {.family = L2TP_AF_INET,
			                       .port = 1701};

			ad.addr[0] = 10;
			ad.addr[2] = (uint8_t)(i >> 8);
			ad.addr[3] = (uint8_t)i;
			l2tp_engine_input(e, &ad, buf,
			                  build_sccrq(buf, sizeof(buf), 1), 0);
			drain(e);
		}
		b = heap_used();
		per_tunnel = (double)(b - a) / 4096;
		l2tp_engine_free(e);
	}
	if (flood(1, true, &one) < 0 || flood(1000, true, &many) < 0 ||
	    flood(1, false, &cal) < 0)
		return 1;
	/* The engine's own share under a flood (tables, id pools, output
	 * queues): measured apart, one tunnel allowed and 10,000 refused. */
	{
		struct l2tp_engine_config c = def;
		uint64_t seed = 2;
		struct l2tp_engine *e;
		uint8_t buf[256];
		size_t a = heap_used(), peak = a;

		c.random = xrand;
		c.random_ctx = &seed;
		c.max_tunnels_per_peer = 1;
		e = l2tp_engine_new(&c);
		l2tp_engine_listen(e, true, L2TP_ROLE_LNS);
		for (unsigned i = 0; i < 10000; i++) {
			struct l2tp_addr ad = {.family = L2TP_AF_INET,
			                       .port = 1701};

			ad.addr[0] = 10;
			l2tp_engine_input(
			    e, &ad, buf,
			    build_sccrq(buf, sizeof(buf), (uint16_t)(i + 1)),
			    i / 10);
			drain(e);
			if (heap_used() > peak)
				peak = heap_used();
		}
		fixed = peak - a - (size_t)per_tunnel;
		l2tp_engine_free(e);
	}
	bound_one = fixed + (size_t)(per_tunnel * def.max_tunnels_per_peer);
	bound_many = fixed + (size_t)(per_tunnel * def.max_tunnels);
	printf("bytes per half-open tunnel (heap): %.0f\n", per_tunnel);
	printf("engine's own share under a flood (heap): %zu\n", fixed);
	printf("%-28s %10s %9s %9s %12s %12s\n", "", "us/SCCRQ", "tunnels",
	       "refused", "peak bytes", "bound");
	printf("%-28s %10.3f %9u %9llu %12zu %12zu\n", "100000 from 1 peer",
	       one.secs * 1e6 / NSCCRQ, one.tunnels,
	       (unsigned long long)one.refused, one.peak - one.base, bound_one);
	printf("%-28s %10.3f %9u %9llu %12zu %12zu\n", "100000 from 1000 peers",
	       many.secs * 1e6 / NSCCRQ, many.tunnels,
	       (unsigned long long)many.refused, many.peak - many.base,
	       bound_many);
	printf("%-28s %10.3f %9u %9llu %12zu %12s\n",
	       "100000 from 1 peer, no caps", cal.secs * 1e6 / NSCCRQ,
	       cal.tunnels, (unsigned long long)cal.refused,
	       cal.peak - cal.base, "-");
	if (one.peak - one.base > bound_one) {
		printf("FAIL: one peer: peak above the caps x bytes per "
		       "tunnel\n");
		rc = 1;
	}
	if (many.peak - many.base > bound_many) {
		printf("FAIL: 1000 peers: peak above the caps x bytes per "
		       "tunnel\n");
		rc = 1;
	}
	if (rc == 0)
		printf("ok: peak memory stays under caps x bytes per tunnel\n");
	return rc;
}
