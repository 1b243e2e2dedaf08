/* Test harness: a LAC engine and an LNS engine wired in memory on virtual time,
 * with loss, duplication and reordering. */
#ifndef TEST_ENGINE_HARNESS_H
#define TEST_ENGINE_HARNESS_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "engine/engine.h"

enum { LAC = 0, LNS = 1 };

/* What the filter decides for one datagram. */
enum verdict { PASS = 0, DROP, DUP, HOLD };

struct sent {
	uint64_t t;
	int from;
	int type; /* -1 ZLB */
	uint16_t tunnel, session, ns, nr;
	size_t len;
	uint8_t data[1024];
};

struct evrec {
	struct l2tp_event ev;
	char text[256];
};

struct held {
	int to;
	size_t len;
	uint8_t data[1024];
};

struct net;
typedef enum verdict (*filter_fn)(struct net *n, const struct sent *s);

struct rng {
	uint64_t x;
	int fixed; /* >= 0: every byte is this */
};

struct net {
	struct l2tp_engine *e[2];
	struct l2tp_addr addr[2];
	struct rng rng[2];
	uint64_t now;
	filter_fn filter;
	void *fctx;
	int fcount; /* free for filters */
	struct sent *log;
	size_t nlog, caplog;
	struct evrec *ev[2];
	size_t nev[2], capev[2];
	struct held hold[64];
	size_t nhold;
	bool quiet; /* keep no log and no events (long runs) */
};

static int
h_random(void *ctx, uint8_t *buf, size_t len)
{
	struct rng *r = ctx;

	for (size_t i = 0; i < len; i++) {
		if (r->fixed >= 0) {
			buf[i] = (uint8_t)r->fixed;
			continue;
		}
		r->x ^= r->x << 13;
		r->x ^= r->x >> 7;
		r->x ^= r->x << 17;
		buf[i] = (uint8_t)(r->x >> 24);
	}
	return 0;
}

static void
h_config(struct net *n, int side, struct l2tp_engine_config *c)
{
	l2tp_engine_config_default(c);
	snprintf(c->host_name, sizeof(c->host_name), "%s",
	         side == LAC ? "lac-host" : "lns-host");
	c->random = h_random;
	c->random_ctx = &n->rng[side];
}

static void
h_addr(struct l2tp_addr *a, uint8_t last, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = L2TP_AF_INET;
	a->addr[0] = 127;
	a->addr[3] = last;
	a->port = port;
}

/* Two engines; configs may be NULL (defaults). */
static void
net_init(struct net *n, const struct l2tp_engine_config *ca,
         const struct l2tp_engine_config *cb)
{
	struct l2tp_engine_config c[2];

	memset(n, 0, sizeof(*n));
	n->rng[0].x = 0x1234567887654321ULL;
	n->rng[1].x = 0x0fedcba987654321ULL;
	n->rng[0].fixed = n->rng[1].fixed = -1;
	h_config(n, LAC, &c[0]);
	h_config(n, LNS, &c[1]);
	if (ca) {
		c[0] = *ca;
		c[0].random = h_random;
		c[0].random_ctx = &n->rng[0];
	}
	if (cb) {
		c[1] = *cb;
		c[1].random = h_random;
		c[1].random_ctx = &n->rng[1];
	}
	h_addr(&n->addr[LAC], 1, 40000);
	h_addr(&n->addr[LNS], 2, 1701);
	for (int i = 0; i < 2; i++) {
		n->e[i] = l2tp_engine_new(&c[i]);
		cr_assert_not_null(n->e[i]);
	}
	l2tp_engine_listen(n->e[LNS], true, L2TP_ROLE_LNS);
}

static void
net_free(struct net *n)
{
	l2tp_engine_free(n->e[0]);
	l2tp_engine_free(n->e[1]);
	free(n->log);
	free(n->ev[0]);
	free(n->ev[1]);
}

static void
drain_events(struct net *n, int side)
{
	struct l2tp_event ev;

	while (l2tp_engine_next_event(n->e[side], &ev)) {
		struct evrec *r;

		if (n->quiet)
			continue;
		if (n->nev[side] == n->capev[side]) {
			n->capev[side] =
			    n->capev[side] ? n->capev[side] * 2 : 256;
			n->ev[side] = realloc(
			    n->ev[side], n->capev[side] * sizeof(struct evrec));
			cr_assert_not_null(n->ev[side]);
		}
		r = &n->ev[side][n->nev[side]++];
		r->ev = ev;
		snprintf(r->text, sizeof(r->text), "%s", ev.text);
		r->ev.text = r->text;
		r->ev.msg = NULL;
		if (getenv("ENGINE_TRACE"))
			fprintf(stderr, "%8llu %s %-13s t%u s%u %s\n",
			        (unsigned long long)ev.time_ms,
			        side == LAC ? "LAC" : "LNS",
			        l2tp_event_kind_name(ev.kind), ev.tunnel,
			        ev.session, ev.text);
	}
}

static void
log_sent(struct net *n, int from, const struct l2tp_datagram *d,
         struct sent *out)
{
	struct l2tp_msg *m;

	memset(out, 0, sizeof(*out));
	out->t = n->now;
	out->from = from;
	if (n->quiet)
		return;
	m = malloc(sizeof(*m));
	cr_assert_not_null(m);
	out->t = n->now;
	out->from = from;
	out->len = d->len < sizeof(out->data) ? d->len : sizeof(out->data);
	memcpy(out->data, d->data, out->len);
	out->type = -2;
	if (l2tp_parse(d->data, d->len, d->len, L2TP_UDP, NULL, m) == 0) {
		out->type = m->msg_type;
		out->tunnel = (uint16_t)m->tunnel;
		out->session = (uint16_t)m->session;
		out->ns = m->ns;
		out->nr = m->nr;
	}
	free(m);
	if (n->nlog == n->caplog) {
		n->caplog = n->caplog ? n->caplog * 2 : 256;
		n->log = realloc(n->log, n->caplog * sizeof(struct sent));
		cr_assert_not_null(n->log);
	}
	n->log[n->nlog++] = *out;
}

/* Move every datagram to its peer until both are quiet. */
static void
net_flush(struct net *n)
{
	for (int round = 0; round < 10000; round++) {
		bool moved = false;

		for (int side = 0; side < 2; side++) {
			struct l2tp_datagram d;

			drain_events(n, side);
			while (l2tp_engine_next_datagram(n->e[side], &d)) {
				struct sent s;
				enum verdict v;
				int to = 1 - side;
				uint8_t copy[1024];
				size_t len = d.len;

				log_sent(n, side, &d, &s);
				cr_assert(len <= sizeof(copy));
				memcpy(copy, d.data, len);
				v = n->filter ? n->filter(n, &s) : PASS;
				if (v == DROP)
					continue;
				if (v == HOLD) {
					cr_assert(n->nhold < 64);
					n->hold[n->nhold].to = to;
					n->hold[n->nhold].len = len;
					memcpy(n->hold[n->nhold].data, copy,
					       len);
					n->nhold++;
					continue;
				}
				/* Input may queue more; copy it first. */
				l2tp_engine_input(n->e[to], &n->addr[side],
				                  copy, len, n->now);
				if (v == DUP)
					l2tp_engine_input(n->e[to],
					                  &n->addr[side], copy,
					                  len, n->now);
				moved = true;
			}
			drain_events(n, side);
		}
		if (!moved)
			return;
	}
	cr_assert_fail("network never went quiet");
}

/* Deliver held datagrams, last held first (a reordering). */
static void
net_release_reversed(struct net *n)
{
	while (n->nhold) {
		struct held *h = &n->hold[--n->nhold];

		l2tp_engine_input(n->e[h->to], &n->addr[1 - h->to], h->data,
		                  h->len, n->now);
	}
	net_flush(n);
}

static uint64_t
net_expiry(struct net *n)
{
	uint64_t a = l2tp_engine_expiry(n->e[0]);
	uint64_t b = l2tp_engine_expiry(n->e[1]);

	return a < b ? a : b;
}

/* Run timers up to and including t. */
static void
net_run(struct net *n, uint64_t t)
{
	net_flush(n);
	for (int i = 0; i < 1000000; i++) {
		uint64_t x = net_expiry(n);

		if (x > t)
			break;
		if (x > n->now)
			n->now = x;
		for (int side = 0; side < 2; side++)
			if (l2tp_engine_expiry(n->e[side]) <= n->now)
				l2tp_engine_handle_expiry(n->e[side], n->now);
		net_flush(n);
	}
	if (t > n->now)
		n->now = t;
}

static uint16_t
net_open(struct net *n)
{
	uint16_t lid = 0;

	cr_assert_eq(l2tp_engine_tunnel_open(n->e[LAC], &n->addr[LNS],
	                                     L2TP_ROLE_LAC, n->now, &lid),
	             0);
	net_flush(n);
	return lid;
}

/* The only tunnel of a side, or 0. */
static uint16_t
net_tid(struct net *n, int side)
{
	uint16_t ids[4];
	size_t k = l2tp_engine_tunnel_ids(n->e[side], ids, 4);

	return k ? ids[0] : 0;
}

static int
net_state(struct net *n, int side)
{
	struct l2tp_tunnel_info ti;
	uint16_t id = net_tid(n, side);

	if (id == 0 || l2tp_engine_tunnel_info(n->e[side], id, &ti) < 0)
		return -1;
	return ti.state;
}

static struct l2tp_tunnel_info
net_info(struct net *n, int side)
{
	struct l2tp_tunnel_info ti;

	memset(&ti, 0, sizeof(ti));
	cr_assert_eq(l2tp_engine_tunnel_info(n->e[side], net_tid(n, side), &ti),
	             0);
	return ti;
}

/* How many datagrams of `type` a side sent (-1 ZLB). */
static size_t
sent_count(const struct net *n, int from, int type)
{
	size_t k = 0;

	for (size_t i = 0; i < n->nlog; i++)
		if (n->log[i].from == from && n->log[i].type == type)
			k++;
	return k;
}

/* The i-th datagram of `type` from a side, or NULL. */
static const struct sent *
sent_nth(const struct net *n, int from, int type, size_t nth)
{
	for (size_t i = 0; i < n->nlog; i++)
		if (n->log[i].from == from && n->log[i].type == type &&
		    nth-- == 0)
			return &n->log[i];
	return NULL;
}

/* The first event of a kind whose text contains `sub` (NULL: any). */
static const struct l2tp_event *
ev_find(const struct net *n, int side, enum l2tp_event_kind k, const char *sub)
{
	for (size_t i = 0; i < n->nev[side]; i++) {
		const struct l2tp_event *ev = &n->ev[side][i].ev;

		if (ev->kind == k && (sub == NULL || strstr(ev->text, sub)))
			return ev;
	}
	return NULL;
}

static size_t
ev_count(const struct net *n, int side, enum l2tp_event_kind k)
{
	size_t c = 0;

	for (size_t i = 0; i < n->nev[side]; i++)
		if (n->ev[side][i].ev.kind == k)
			c++;
	return c;
}

/*
 * For tests that play the LAC by hand (crafted or raw SCCRQs): the LAC
 * engine has no tunnel for the LNS's answers and would, as §7.2 says,
 * answer an SCCRP for no tunnel with a StopCCN.  Keep it deaf.
 */
static enum verdict
lac_deaf(struct net *n, const struct sent *s)
{
	(void)n;
	return s->from == LNS ? DROP : PASS;
}

static void
net_dump(const struct net *n)
{
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < n->nev[side]; i++)
			fprintf(stderr, "%8llu %s %-13s %s\n",
			        (unsigned long long)n->ev[side][i].ev.time_ms,
			        side == LAC ? "LAC" : "LNS",
			        l2tp_event_kind_name(n->ev[side][i].ev.kind),
			        n->ev[side][i].text);
}

#endif
