/* Test harness for the PPP session layer: two PPP ends (subscriber and server)
 * wired in memory on virtual time, or one end and a peer the test plays. */
#ifndef TEST_PPP_HARNESS_H
#define TEST_PPP_HARNESS_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decoder/ppp.h"
#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"
#include "engine/ppp.h"

enum { SUB = 0, SRV = 1 };

struct pframe {
	int from;
	uint64_t t;
	uint16_t proto;
	size_t len;
	uint8_t data[1600];
};

struct pevent {
	struct l2tp_ppp_event ev;
	char text[200];
};

#define PH_MAXF 4096
#define PH_MAXE 4096

struct pend {
	struct ppair *pr;
	int idx;
	struct l2tp_ppp_link *l;
	struct pevent *ev;
	size_t nev;
	struct pframe *sent; /* everything this end sent */
	size_t nsent;
};

struct ppair {
	struct pend e[2];
	struct l2tp_ppp_config cfg[2];
	struct l2tp_ppp_io io;
	struct l2tp_ppp_pool *pool;
	struct l2tp_ppp_user users[4];
	uint64_t rng;
	uint64_t now;
	bool wired;   /* deliver each end's frames to the other */
	bool drop[2]; /* lose what this end sends */
	/* delivery queue */
	struct pframe *q;
	size_t qh, qt;
	unsigned drop_proto_count[2]; /* drop the next N frames of proto */
	uint16_t drop_proto[2];
};

static int
ph_random(void *ctx, uint8_t *b, size_t n)
{
	struct ppair *pr = ctx;

	for (size_t i = 0; i < n; i++) {
		pr->rng ^= pr->rng << 13;
		pr->rng ^= pr->rng >> 7;
		pr->rng ^= pr->rng << 17;
		b[i] = (uint8_t)(pr->rng >> 24);
	}
	return 0;
}

static void
ph_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	struct pend *e = ctx;
	struct ppair *pr = e->pr;
	struct pframe *f;

	cr_assert(len <= sizeof(f->data), "frame of %zu bytes", len);
	cr_assert(e->nsent < PH_MAXF, "too many frames sent");
	f = &e->sent[e->nsent++];
	f->from = e->idx;
	f->t = pr->now;
	f->proto = proto;
	f->len = len;
	memcpy(f->data, p, len);
	if (!pr->wired || pr->drop[e->idx])
		return;
	if (pr->drop_proto_count[e->idx] && pr->drop_proto[e->idx] == proto) {
		pr->drop_proto_count[e->idx]--;
		return;
	}
	cr_assert(pr->qt - pr->qh < PH_MAXF, "queue full");
	pr->q[pr->qt++ % PH_MAXF] = *f;
}

static void
ph_event(void *ctx, const struct l2tp_ppp_event *ev)
{
	struct pend *e = ctx;
	struct pevent *r;

	cr_assert(e->nev < PH_MAXE, "too many events");
	r = &e->ev[e->nev++];
	r->ev = *ev;
	snprintf(r->text, sizeof(r->text), "%s", ev->text);
	r->ev.text = r->text;
	if (getenv("PH_TRACE"))
		fprintf(stderr, "[%llu] %s %s: %s\n",
		        (unsigned long long)ev->time_ms,
		        e->idx == SUB ? "sub" : "srv",
		        l2tp_ppp_event_kind_name(ev->kind), ev->text);
}

/* Configs: a subscriber alice/secret and a CHAP server with a pool. */
static void
ph_config(struct ppair *pr)
{
	static const uint8_t prefix[4] = {10, 10, 10, 0};
	static const uint8_t srv[4] = {10, 201, 1, 1};

	l2tp_ppp_config_default(&pr->cfg[SUB]);
	snprintf(pr->cfg[SUB].user, sizeof(pr->cfg[SUB].user), "alice");
	snprintf(pr->cfg[SUB].password, sizeof(pr->cfg[SUB].password),
	         "secret");
	l2tp_ppp_config_default(&pr->cfg[SRV]);
	pr->cfg[SRV].role = L2TP_PPP_SERVER;
	pr->cfg[SRV].auth = L2TP_PPP_AUTH_CHAP;
	snprintf(pr->users[0].name, sizeof(pr->users[0].name), "alice");
	snprintf(pr->users[0].password, sizeof(pr->users[0].password),
	         "secret");
	snprintf(pr->users[1].name, sizeof(pr->users[1].name), "bob");
	snprintf(pr->users[1].password, sizeof(pr->users[1].password), "pw2");
	pr->cfg[SRV].users = pr->users;
	pr->cfg[SRV].nusers = 2;
	pr->pool = l2tp_ppp_pool_new(prefix, 24, NULL);
	cr_assert_not_null(pr->pool);
	pr->cfg[SRV].pool = pr->pool;
	memcpy(pr->cfg[SRV].local_addr, srv, 4);
	pr->cfg[SRV].dns[0][0] = 10;
	pr->cfg[SRV].dns[0][1] = 201;
	pr->cfg[SRV].dns[0][2] = 1;
	pr->cfg[SRV].dns[0][3] = 53;
}

static struct ppair *
ph_new(void)
{
	struct ppair *pr = calloc(1, sizeof(*pr));

	cr_assert_not_null(pr);
	pr->rng = 0x9e3779b97f4a7c15ull;
	pr->q = calloc(PH_MAXF, sizeof(*pr->q));
	pr->io.send = ph_send;
	pr->io.event = ph_event;
	pr->io.random = ph_random;
	pr->io.random_ctx = pr;
	pr->wired = true;
	for (int i = 0; i < 2; i++) {
		pr->e[i].pr = pr;
		pr->e[i].idx = i;
		pr->e[i].ev = calloc(PH_MAXE, sizeof(struct pevent));
		pr->e[i].sent = calloc(PH_MAXF, sizeof(struct pframe));
	}
	ph_config(pr);
	return pr;
}

/* Create both ends (after the test changed the configs). */
static void
ph_make(struct ppair *pr, int which)
{
	for (int i = 0; i < 2; i++) {
		if (which >= 0 && which != i)
			continue;
		pr->e[i].l = l2tp_ppp_new(&pr->cfg[i], &pr->io, &pr->e[i]);
		cr_assert_not_null(pr->e[i].l);
	}
}

static void
ph_free(struct ppair *pr)
{
	for (int i = 0; i < 2; i++) {
		l2tp_ppp_free(pr->e[i].l);
		free(pr->e[i].ev);
		free(pr->e[i].sent);
	}
	l2tp_ppp_pool_free(pr->pool);
	free(pr->q);
	free(pr);
}

/* Deliver what is queued, bounded. */
static void
ph_deliver(struct ppair *pr)
{
	for (int n = 0; pr->qh < pr->qt; n++) {
		struct pframe f = pr->q[pr->qh++ % PH_MAXF];
		struct pend *to = &pr->e[!f.from];

		cr_assert(n < 100000, "delivery does not end");
		if (to->l)
			l2tp_ppp_input(to->l, f.proto, f.data, f.len, pr->now);
	}
}

static uint64_t
ph_expiry(struct ppair *pr)
{
	uint64_t t = UINT64_MAX;

	for (int i = 0; i < 2; i++)
		if (pr->e[i].l && l2tp_ppp_expiry(pr->e[i].l) < t)
			t = l2tp_ppp_expiry(pr->e[i].l);
	return t;
}

/* Advance to `t`, running every timer due on the way. */
static void
ph_run_until(struct ppair *pr, uint64_t t)
{
	ph_deliver(pr);
	for (int n = 0;; n++) {
		uint64_t x = ph_expiry(pr);

		cr_assert(n < 100000, "timers do not end");
		if (x > t)
			break;
		pr->now = x;
		for (int i = 0; i < 2; i++)
			if (pr->e[i].l)
				l2tp_ppp_handle_expiry(pr->e[i].l, pr->now);
		ph_deliver(pr);
	}
	pr->now = t;
}

static void
ph_start(struct ppair *pr)
{
	for (int i = 0; i < 2; i++)
		if (pr->e[i].l)
			cr_assert_eq(l2tp_ppp_start(pr->e[i].l, pr->now), 0);
	ph_deliver(pr);
}

static void
ph_info(struct ppair *pr, int i, struct l2tp_ppp_info *o)
{
	l2tp_ppp_info(pr->e[i].l, o);
}

/* The first event of kind k (with text containing `sub`, NULL: any). */
static const struct pevent *
ph_find(struct ppair *pr, int i, enum l2tp_ppp_event_kind k, const char *sub)
{
	for (size_t j = 0; j < pr->e[i].nev; j++)
		if (pr->e[i].ev[j].ev.kind == k &&
		    (!sub || strstr(pr->e[i].ev[j].text, sub)))
			return &pr->e[i].ev[j];
	return NULL;
}

static size_t
ph_count(struct ppair *pr, int i, enum l2tp_ppp_event_kind k)
{
	size_t n = 0;

	for (size_t j = 0; j < pr->e[i].nev; j++)
		n += pr->e[i].ev[j].ev.kind == k;
	return n;
}

/* Frames end i sent with protocol and code (-1: any). */
static size_t
ph_sent(struct ppair *pr, int i, uint16_t proto, int code)
{
	size_t n = 0;

	for (size_t j = 0; j < pr->e[i].nsent; j++) {
		const struct pframe *f = &pr->e[i].sent[j];

		n += f->proto == proto && (code < 0 || f->data[0] == code);
	}
	return n;
}

static const struct pframe *
ph_last(struct ppair *pr, int i, uint16_t proto, int code)
{
	for (size_t j = pr->e[i].nsent; j-- > 0;) {
		const struct pframe *f = &pr->e[i].sent[j];

		if (f->proto == proto && (code < 0 || f->data[0] == code))
			return f;
	}
	return NULL;
}

/* Feed end i a packet the test plays as its peer. */
static void
ph_feed(struct ppair *pr, int i, uint16_t proto, const uint8_t *b, size_t n)
{
	l2tp_ppp_input(pr->e[i].l, proto, b, n, pr->now);
	ph_deliver(pr);
}

/* Build a control packet: code, id, then options as raw bytes. */
static size_t
ph_cp(uint8_t *out, uint8_t code, uint8_t id, const uint8_t *body, size_t n)
{
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)((n + 4) >> 8);
	out[3] = (uint8_t)(n + 4);
	if (n)
		memcpy(out + 4, body, n);
	return n + 4;
}

/* Bring a wired pair up to the network phase with both NCPs opened. */
static void
ph_up(struct ppair *pr)
{
	struct l2tp_ppp_info a, b;

	ph_make(pr, -1);
	ph_start(pr);
	ph_run_until(pr, pr->now + 10);
	ph_info(pr, SUB, &a);
	ph_info(pr, SRV, &b);
	cr_assert_eq(a.phase, L2TP_PPP_NETWORK, "subscriber phase %s",
	             l2tp_ppp_phase_name(a.phase));
	cr_assert_eq(b.phase, L2TP_PPP_NETWORK);
}

#endif
