/* bench_engine: 10,000 tunnels with one call each set up and torn down between
 * two in-memory engines, auth on (RFC 2661). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_lib.h"
#include "engine/engine.h"

/*
 * Virtual time for the engines, the wall clock for the figures.  Both
 * ends have a secret and challenge each other, so every handshake makes
 * four MD5 digests.  Prints handshakes per second (SCCRQ out to both
 * ends established), calls per second, teardowns per second and the heap
 * bytes each idle established tunnel costs (both engines' share counted
 * once per end).
 */

static size_t
count_state(struct l2tp_engine *e, uint16_t *ids, size_t n, int state)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct l2tp_tunnel_info ti;

		if (l2tp_engine_tunnel_info(e, ids[i], &ti) == 0 &&
		    ti.state == state)
			k++;
	}
	return k;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	struct l2tp_engine_config c[2];
	uint64_t seed[2] = {0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL};
	struct pair p;
	uint16_t *ids;
	size_t before, idle, k, calls;
	double t0, t_hs, t_call, t_down;

	if (n == 0 || n > 60000) {
		fprintf(stderr, "usage: bench_engine [TUNNELS (1..60000)]\n");
		return 2;
	}
	memset(&p, 0, sizeof(p));
	ids = calloc(n, sizeof(*ids));
	if (ids == NULL)
		return 1;
	for (int s = 0; s < 2; s++) {
		l2tp_engine_config_default(&c[s]);
		snprintf(c[s].host_name, sizeof(c[s].host_name), "%s",
		         s ? "bench-lns" : "bench-lac");
		c[s].random = xrand;
		c[s].random_ctx = &seed[s];
		c[s].event_mask = 0;
		c[s].challenge = true;
		/* 10,000 tunnels between two peers: past the default caps. */
		c[s].max_tunnels = c[s].max_tunnels_per_peer = 0;
		c[s].max_sessions = c[s].max_sessions_per_tunnel = 0;
		p.a[s].family = L2TP_AF_INET;
		p.a[s].addr[0] = 127;
		p.a[s].addr[3] = (uint8_t)(s + 1);
		p.a[s].port = 1701;
	}
	before = heap_used();
	for (int s = 0; s < 2; s++) {
		p.e[s] = l2tp_engine_new(&c[s]);
		if (p.e[s] == NULL ||
		    l2tp_engine_set_secret_default(p.e[s], "bench-secret") < 0)
			return 1;
	}
	l2tp_engine_listen(p.e[1], true, L2TP_ROLE_LNS);
	before = heap_used();

	/* Handshakes, in batches of a window's worth of tunnels. */
	t0 = wall();
	for (size_t i = 0; i < n; i++) {
		if (l2tp_engine_tunnel_open(p.e[0], &p.a[1], L2TP_ROLE_LAC,
		                            p.now, &ids[i]) < 0) {
			fprintf(stderr, "open %zu failed\n", i);
			return 1;
		}
		if (i % 64 == 63)
			flush(&p);
	}
	flush(&p);
	t_hs = wall() - t0;
	k = count_state(p.e[0], ids, n, 3);
	/* Let the delayed ZLB acks go out: every tunnel then idles. */
	run_until(&p, p.now + 1000);
	idle = heap_used() - before;

	t0 = wall();
	for (size_t i = 0; i < n; i++) {
		l2tp_engine_call_open(p.e[0], ids[i], NULL, p.now, NULL);
		if (i % 64 == 63)
			flush(&p);
	}
	flush(&p);
	t_call = wall() - t0;
	calls = l2tp_engine_session_ids(p.e[1], 0, NULL, 0);
	run_until(&p, p.now + 1000);

	t0 = wall();
	for (size_t i = 0; i < n; i++) {
		l2tp_engine_tunnel_close(p.e[0], ids[i], 1, -1, NULL, p.now);
		if (i % 64 == 63)
			flush(&p);
	}
	flush(&p);
	/* The 31 s hold on both ends, then every tunnel is freed. */
	run_until(&p, p.now + l2tp_engine_config_cycle_ms(&c[0]) + 1000);
	t_down = wall() - t0;

	printf("tunnels %zu: %zu established, %zu calls up, %zu left after "
	       "teardown\n",
	       n, k, calls,
	       l2tp_engine_tunnel_ids(p.e[0], NULL, 0) +
	           l2tp_engine_tunnel_ids(p.e[1], NULL, 0));
	printf("handshakes/s %.0f (auth both ways; %.3f s)\n", (double)n / t_hs,
	       t_hs);
	printf("calls/s %.0f (%.3f s)\n", (double)n / t_call, t_call);
	printf("teardowns/s %.0f (StopCCN, ack, 31 s hold; %.3f s)\n",
	       (double)n / t_down, t_down);
	printf("bytes per idle tunnel %.0f (on each end; %.0f for both)\n",
	       (double)idle / (double)n / 2, (double)idle / (double)n);
	printf("datagrams %llu, %llu bytes\n", (unsigned long long)p.dgrams,
	       (unsigned long long)p.bytes);
	l2tp_engine_free(p.e[0]);
	l2tp_engine_free(p.e[1]);
	free(ids);
	return k == n && calls == n ? 0 : 1;
}
