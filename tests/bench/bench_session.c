/* bench_session: two engines in memory bring 10,000 calls on 100 tunnels up to
 * IPCP opened with CHAP, then carry data through them (RFC 2661 §5.4, RFC
 * 1661, RFC 1994, RFC 1332). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_lib.h"
#include "engine/engine.h"
#include "engine/ppp.h"

/*
 * Virtual time for the engines, the wall clock for the figures.  The LAC
 * runs the subscriber (CHAP user), the LNS the server (CHAP, a /16 pool,
 * DNS).  Events off, as a daemon-like caller with no operator (the engine
 * still sees the PPP events it acts on).  Prints:
 *   - sessions per second: ICRQ out to IPCP opened on both ends, tunnels
 *     already up, the calls of one tunnel opened together;
 *   - heap bytes per established session (each end; both);
 *   - data messages per second: each built by one engine, parsed and
 *     handed to PPP by the other, both ways, round robin over the calls;
 *   - ICMP echo round trips per second through the calls (l2tp_engine_ping);
 *   - the heap change over the data phase (the per-packet path allocates
 *     nothing once the queues have grown to a burst).
 * Exit 1 when a call did not come up or a target is missed with
 * BENCH_STRICT=1 in the environment.
 */

/* A 64-byte IPv4/UDP packet from the subscriber's address. */
static void
ip_packet(uint8_t *b, size_t n, const uint8_t src[4], const uint8_t dst[4])
{
	memset(b, 0, n);
	b[0] = 0x45;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
}

/* Open `per` calls on each tunnel and run until all are up to IPCP on
 * the LNS; returns the CPU seconds it took. */
static double
bring_up(struct pair *p, const uint16_t *tids, size_t ntun, size_t per,
         uint16_t *sids)
{
	struct l2tp_engine_stats st;
	uint64_t want;
	double t0 = cpu_time();

	l2tp_engine_stats(p->e[1], &st);
	want = st.ppp_up + ntun * per;
	for (size_t i = 0; i < ntun; i++) {
		for (size_t j = 0; j < per; j++)
			if (l2tp_engine_call_open(p->e[0], tids[i], NULL,
			                          p->now,
			                          &sids[i * per + j]) < 0)
				exit(1);
		flush(p);
	}
	/* The calls queued behind each tunnel's window go as acks come:
	 * 100 ms of virtual time per round (the ZLB delay). */
	for (int r = 0; r < 200; r++) {
		l2tp_engine_stats(p->e[1], &st);
		if (st.ppp_up >= want)
			break;
		run_until(p, p->now + 100);
	}
	return cpu_time() - t0;
}

static void
clear_all(struct pair *p, const uint16_t *sids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		l2tp_engine_call_close(p->e[0], sids[i], 3, -1, NULL, -1,
		                       p->now);
	run_until(p, p->now + 5000);
}

int
main(int argc, char **argv)
{
	size_t ntun = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
	size_t per = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	size_t nmsg = argc > 3 ? strtoul(argv[3], NULL, 10) : 4000000;
	struct l2tp_engine_config c[2];
	struct l2tp_ppp_config sub, srv;
	struct l2tp_ppp_user user;
	struct l2tp_ppp_pool *pool;
	uint8_t prefix[4] = {10, 64, 0, 0}, self[4] = {10, 64, 0, 1};
	uint64_t seed[2] = {0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL};
	struct pair p;
	uint16_t *tids, *sids[2];
	size_t n, before, up_heap, k;
	struct l2tp_engine_stats st[2];
	double t0, t_up, t_cold, t_ping;
	uint64_t up0;
	uint8_t pkt[64];
	bool strict = getenv("BENCH_STRICT") != NULL;
	int rc = 0;

	if (ntun == 0 || per == 0 || ntun * per > 30000) {
		fprintf(stderr,
		        "usage: bench_session [TUNNELS [CALLS_PER_TUNNEL "
		        "[DATA_MESSAGES]]] (at most 30000 calls)\n");
		return 2;
	}
	n = ntun * per;
	memset(&p, 0, sizeof(p));
	tids = calloc(ntun, sizeof(*tids));
	sids[0] = calloc(n, sizeof(uint16_t));
	sids[1] = calloc(n, sizeof(uint16_t));
	if (!tids || !sids[0] || !sids[1])
		return 1;
	for (int s = 0; s < 2; s++) {
		l2tp_engine_config_default(&c[s]);
		snprintf(c[s].host_name, sizeof(c[s].host_name), "%s",
		         s ? "bench-lns" : "bench-lac");
		c[s].random = xrand;
		c[s].random_ctx = &seed[s];
		c[s].event_mask = 0;
		c[s].max_sessions = 65535;
		c[s].max_tunnels_per_peer = 0;
		/* A busy LNS's window (the engine keeps 32 in flight). */
		c[s].rx_window = 32;
		c[s].max_sessions_per_tunnel = 0;
		p.a[s].family = L2TP_AF_INET;
		p.a[s].addr[0] = 127;
		p.a[s].addr[3] = (uint8_t)(s + 1);
		p.a[s].port = 1701;
		p.e[s] = l2tp_engine_new(&c[s]);
		if (p.e[s] == NULL)
			return 1;
	}
	l2tp_engine_listen(p.e[1], true, L2TP_ROLE_LNS);
	l2tp_ppp_config_default(&sub);
	snprintf(sub.user, sizeof(sub.user), "alice");
	snprintf(sub.password, sizeof(sub.password), "secret");
	sub.ipv6cp = false;
	l2tp_ppp_config_default(&srv);
	srv.role = L2TP_PPP_SERVER;
	snprintf(user.name, sizeof(user.name), "alice");
	snprintf(user.password, sizeof(user.password), "secret");
	srv.users = &user;
	srv.nusers = 1;
	srv.auth = L2TP_PPP_AUTH_CHAP;
	srv.ipv6cp = false;
	pool = l2tp_ppp_pool_new(prefix, 16, self);
	srv.pool = pool;
	memcpy(srv.local_addr, self, 4);
	memcpy(srv.dns[0], (uint8_t[4]){10, 64, 0, 53}, 4);
	if (!pool || l2tp_engine_set_ppp(p.e[0], L2TP_ROLE_LAC, &sub) < 0 ||
	    l2tp_engine_set_ppp(p.e[1], L2TP_ROLE_LNS, &srv) < 0) {
		fprintf(stderr, "bench_session: PPP config refused\n");
		return 1;
	}
	for (size_t i = 0; i < ntun; i++)
		if (l2tp_engine_tunnel_open(p.e[0], &p.a[1], L2TP_ROLE_LAC,
		                            p.now, &tids[i]) < 0)
			return 1;
	flush(&p);

	before = heap_used();
	t_cold = bring_up(&p, tids, ntun, per, sids[0]);
	up_heap = heap_used() - before;
	/* Again, as a long-running LNS sees calls come and go: the heap
	 * is faulted in and the engines' pools are warm. */
	clear_all(&p, sids[0], n);
	l2tp_engine_stats(p.e[1], &st[1]);
	up0 = st[1].ppp_up;
	t_up = bring_up(&p, tids, ntun, per, sids[0]);
	up_heap = heap_used() - before;
	l2tp_engine_stats(p.e[0], &st[0]);
	l2tp_engine_stats(p.e[1], &st[1]);
	k = l2tp_engine_session_ids(p.e[1], 0, sids[1], n);
	printf("sessions %zu on %zu tunnels: %llu and %llu with IPCP opened "
	       "(LAC, LNS), CHAP, one /16 pool\n",
	       n, ntun, (unsigned long long)(st[0].ppp_up - n),
	       (unsigned long long)(st[1].ppp_up - up0));
	printf("sessions/s %.0f to IPCP opened on both ends (%.3f s; the "
	       "first %zu on a cold heap: %.0f/s)\n",
	       (double)n / t_up, t_up, n, (double)n / t_cold);
	printf("heap growth per session %.0f (on each end; %.0f for both; "
	       "PPP end %zu of it; with the buffer pool and queues the burst "
	       "grew)\n",
	       (double)up_heap / (double)n / 2, (double)up_heap / (double)n,
	       l2tp_ppp_size());
	if (st[0].ppp_up != 2 * n || st[1].ppp_up != up0 + n || k != n) {
		fprintf(stderr, "bench_session: not every call came up\n");
		return 1;
	}
	if ((double)n / t_up < 50000)
		rc = strict ? 1 : 0;

	/* Data: LAC -> LNS and back, one message per call in turn. */
	{
		struct l2tp_ppp_info pi;
		size_t heap0, done = 0;
		double t, rate = 0;

		if (l2tp_engine_session_ppp(p.e[0], sids[0][0], &pi) < 0)
			return 1;
		ip_packet(pkt, sizeof(pkt), pi.ip_local, self);
		/* warm the queues to a burst's size */
		for (size_t i = 0; i < n; i++)
			l2tp_engine_send_ppp(p.e[0], sids[0][i], 0x0021, pkt,
			                     sizeof(pkt), p.now);
		flush(&p);
		heap0 = heap_used();
		/* Bursts of `burst` messages on one call each way, the calls
		 * in turn (a flow's packets come in bursts), then one message
		 * per call in turn (the worst case: every message meets a
		 * call out of the cache). */
		for (int pass = 0; pass < 2; pass++) {
			size_t burst = pass == 0 ? 16 : 1;

			p.dgrams = 0;
			done = 0;
			t0 = cpu_time();
			while (done < nmsg) {
				for (size_t i = 0; i < n && done < nmsg; i++) {
					for (size_t j = 0; j < burst; j++) {
						l2tp_engine_send_ppp(
						    p.e[0], sids[0][i], 0x0021,
						    pkt, sizeof(pkt), p.now);
						l2tp_engine_send_ppp(
						    p.e[1], sids[1][i], 0x0021,
						    pkt, sizeof(pkt), p.now);
					}
					done += 2 * burst;
					if (i % 64 == 63)
						flush(&p);
				}
				flush(&p);
			}
			t = cpu_time() - t0;
			printf(
			    "data messages/s %.0f (%s, %llu messages of %zu "
			    "bytes of IP both ways, %.3f s; heap change %lld "
			    "bytes)\n",
			    (double)p.dgrams / t,
			    pass == 0 ? "bursts of 16 per call"
			              : "one per call in turn",
			    (unsigned long long)p.dgrams, sizeof(pkt), t,
			    (long long)heap_used() - (long long)heap0);
			if (pass == 0)
				rate = (double)p.dgrams / t;
		}
		if (rate < 2000000)
			rc = strict ? 1 : rc;
	}
	/* ICMP echo round trips through every call. */
	{
		size_t pings = 0;
		uint16_t seq;

		t0 = cpu_time();
		for (int r = 0; r < (getenv("BENCH_NOPING") ? 0 : 20); r++) {
			for (size_t i = 0; i < n; i++)
				if (l2tp_engine_ping(p.e[0], sids[0][i], 4,
				                     self, 56, false, p.now,
				                     &seq) == 0)
					pings++;
			flush(&p);
		}
		t_ping = cpu_time() - t0;
		l2tp_engine_stats(p.e[1], &st[1]);
		printf(
		    "echo round trips/s %.0f (%zu pings of 56 bytes, %.3f s)\n",
		    (double)pings / t_ping, pings, t_ping);
	}
	/* Clear every call: what the heap gives back is what the sessions
	 * held (the engines' buffer pools and queues, grown by the bursts,
	 * stay in both figures). */
	{
		size_t full = heap_used(), cleared;

		clear_all(&p, sids[0], n);
		cleared = heap_used();
		l2tp_engine_stats(p.e[0], &st[0]);
		l2tp_engine_stats(p.e[1], &st[1]);
		printf("bytes per established session %.0f (on each end, freed "
		       "when the calls were cleared: %u and %u left; %zu in "
		       "the pool)\n",
		       ((double)full - (double)cleared) / (double)n / 2,
		       st[0].sessions, st[1].sessions,
		       l2tp_ppp_pool_used(pool));
		if (((double)full - (double)cleared) / (double)n / 2 > 2048)
			rc = strict ? 1 : rc;
	}
	l2tp_engine_free(p.e[0]);
	l2tp_engine_free(p.e[1]);
	l2tp_ppp_pool_free(pool);
	free(tids);
	free(sids[0]);
	free(sids[1]);
	return rc;
}
