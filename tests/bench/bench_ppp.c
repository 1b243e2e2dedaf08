/* bench_ppp: sessions brought up to IPCP opened with CHAP between two
 * in-memory PPP ends, on one core (RFC 1661, RFC 1994, RFC 1332). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/ppp.h"

/*
 * Each session is a subscriber end and a server end (CHAP with a local
 * user, an address from one /16 pool, DNS, IPv6CP too) wired through a
 * frame queue on virtual time.  Prints sessions per second to IPCP
 * opened on both ends, the heap bytes each established session costs
 * (per end and for both), and ICMP echo round trips per second through
 * established sessions.  Events are taken (counted) as a caller would.
 */

struct qf {
	unsigned sess;
	uint8_t to;
	uint16_t proto;
	uint16_t len;
	uint8_t data[256];
};

struct end {
	unsigned sess;
	uint8_t side;
};

static struct qf *q;
static size_t qh, qt, qcap;
static unsigned long long nevents, nframes, nbytes, nopened;

static int
xrand(void *ctx, uint8_t *buf, size_t len)
{
	uint64_t *x = ctx;

	for (size_t i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		buf[i] = (uint8_t)(*x >> 32);
	}
	return 0;
}

static void
on_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	struct end *e = ctx;
	struct qf *f;

	if (len > sizeof(f->data) || qt - qh == qcap) {
		fprintf(stderr, "bench_ppp: frame of %zu bytes or queue full\n",
		        len);
		exit(1);
	}
	f = &q[qt++ % qcap];
	f->sess = e->sess;
	f->to = (uint8_t)!e->side;
	f->proto = proto;
	f->len = (uint16_t)len;
	memcpy(f->data, p, len);
	nframes++;
	nbytes += len;
}

static void
on_event(void *ctx, const struct l2tp_ppp_event *ev)
{
	(void)ctx;
	nevents++;
	if (ev->kind == L2TP_PPP_EV_UP && ev->proto == 0x8021)
		nopened++;
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct l2tp_ppp_link **links;
static uint64_t now;

static void
deliver(void)
{
	while (qh < qt) {
		struct qf *f = &q[qh++ % qcap];

		l2tp_ppp_input(links[2 * f->sess + f->to], f->proto, f->data,
		               f->len, now);
	}
}

static int
run(size_t n, uint32_t mask, const char *what)
{
	static const uint8_t prefix[4] = {10, 10, 0, 0},
	                     srvaddr[4] = {10, 201, 1, 1};
	struct l2tp_ppp_config c[2];
	struct l2tp_ppp_user user;
	struct l2tp_ppp_io io;
	struct l2tp_ppp_pool *pool;
	struct end *ends;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct mallinfo2 m0, m1;
	double t0, t_up, t_ping;
	unsigned long long f0, pings = 0;

	nevents = nframes = nbytes = nopened = 0;
	qh = qt = 0;
	qcap = 4096;
	q = malloc(qcap * sizeof(*q));
	pool = l2tp_ppp_pool_new(prefix, 16, NULL);
	links = calloc(2 * n, sizeof(*links));
	ends = calloc(2 * n, sizeof(*ends));
	if (!q || !pool || !links || !ends)
		return 1;
	l2tp_ppp_config_default(&c[0]);
	snprintf(c[0].user, sizeof(c[0].user), "alice");
	snprintf(c[0].password, sizeof(c[0].password), "secret");
	l2tp_ppp_config_default(&c[1]);
	c[1].role = L2TP_PPP_SERVER;
	c[1].auth = L2TP_PPP_AUTH_CHAP;
	memset(&user, 0, sizeof(user));
	snprintf(user.name, sizeof(user.name), "alice");
	snprintf(user.password, sizeof(user.password), "secret");
	c[1].users = &user;
	c[1].nusers = 1;
	c[1].pool = pool;
	memcpy(c[1].local_addr, srvaddr, 4);
	c[1].dns[0][0] = 10;
	c[1].dns[0][1] = 201;
	c[1].dns[0][3] = 53;
	memset(&io, 0, sizeof(io));
	io.send = on_send;
	io.event = on_event;
	io.random = xrand;
	io.random_ctx = &seed;
	io.event_mask = mask;

	m0 = mallinfo2();
	t0 = wall();
	for (size_t i = 0; i < n; i++) {
		for (int s = 0; s < 2; s++) {
			ends[2 * i + s].sess = (unsigned)i;
			ends[2 * i + s].side = (uint8_t)s;
			links[2 * i + s] =
			    l2tp_ppp_new(&c[s], &io, &ends[2 * i + s]);
			if (!links[2 * i + s])
				return 1;
		}
		l2tp_ppp_start(links[2 * i], now);
		l2tp_ppp_start(links[2 * i + 1], now);
		deliver();
		now++;
	}
	t_up = wall() - t0;
	m1 = mallinfo2();
	f0 = nframes;
	if (nopened != 2 * n) {
		fprintf(stderr, "bench_ppp: %llu of %zu IPCP ends opened\n",
		        nopened, 2 * n);
		return 1;
	}

	/* Echo round trips through every session, subscriber to server. */
	t0 = wall();
	for (int round = 0; round < 10; round++)
		for (size_t i = 0; i < n; i++) {
			if (l2tp_ppp_ping(links[2 * i], 4, srvaddr, 56, false,
			                  now, NULL) == 0)
				pings++;
			deliver();
		}
	t_ping = wall() - t0;

	printf("%s: sessions %zu, %llu IPCP ends opened (CHAP, IPCP with pool "
	       "and DNS, IPv6CP), %llu events taken\n",
	       what, n, nopened, nevents);
	printf("sessions/s %.0f to IPCP opened on both ends (%.3f s, one "
	       "core)\n",
	       (double)n / t_up, t_up);
	printf("frames per session %.1f, %.0f bytes\n", (double)f0 / (double)n,
	       (double)nbytes / (double)n);
	printf("bytes per established session %.0f per end (%.0f for both; "
	       "struct %zu)\n",
	       (double)(m1.uordblks - m0.uordblks) / (double)(2 * n),
	       (double)(m1.uordblks - m0.uordblks) / (double)n,
	       l2tp_ppp_size());
	printf("echo round trips/s %.0f (%llu pings, 2 frames each; %.3f s)\n",
	       (double)pings / t_ping, pings, t_ping);
	for (size_t i = 0; i < 2 * n; i++)
		l2tp_ppp_free(links[i]);
	printf("pool after free: %zu used\n", l2tp_ppp_pool_used(pool));
	l2tp_ppp_pool_free(pool);
	free(links);
	free(ends);
	free(q);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	/* What an operator reads: no per-packet or per-state lines. */
	uint32_t oper = 1u << L2TP_PPP_EV_UP | 1u << L2TP_PPP_EV_DOWN |
	                1u << L2TP_PPP_EV_AUTH | 1u << L2TP_PPP_EV_REJECT |
	                1u << L2TP_PPP_EV_TERMINATE | 1u << L2TP_PPP_EV_BAD |
	                1u << L2TP_PPP_EV_LOOP | 1u << L2TP_PPP_EV_GIVE_UP |
	                1u << L2TP_PPP_EV_DEAD;

	if (n == 0 || n > 60000) {
		fprintf(stderr, "usage: bench_ppp [SESSIONS (1..60000)]\n");
		return 2;
	}
	if (run(n, 0, "every event") != 0)
		return 1;
	return run(n, oper, "operator events only");
}
