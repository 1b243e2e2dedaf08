/* Engine infrastructure and public API: ids, hashes, timers, queues, secrets
 * (RFC 2661 §5, §7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/eng.h"

/* ---- names ---- */

static const char *const errnames[] = {
    "ok",
    "out of memory",
    "invalid argument",
    "no such tunnel",
    "no such session",
    "not possible in this state",
    "no free ids",
    "random source failed",
    "message too big",
    "no secret set",
    "too many secrets",
    "limit reached",
};

const char *
l2tp_engine_strerror(int err)
{
	if (err > 0 || (size_t)-err >= sizeof(errnames) / sizeof(errnames[0]))
		return "unknown error";
	return errnames[-err];
}

static const char *const evnames[L2TP_EV_KIND_COUNT] = {
    [L2TP_EV_TUNNEL_STATE] = "tunnel-state",
    [L2TP_EV_SESSION_STATE] = "session-state",
    [L2TP_EV_MSG_IN] = "msg-in",
    [L2TP_EV_MSG_OUT] = "msg-out",
    [L2TP_EV_ZLB_IN] = "zlb-in",
    [L2TP_EV_ZLB_OUT] = "zlb-out",
    [L2TP_EV_RETRANSMIT] = "retransmit",
    [L2TP_EV_TIMER] = "timer",
    [L2TP_EV_AUTH] = "auth",
    [L2TP_EV_DUPLICATE] = "duplicate",
    [L2TP_EV_OUT_OF_ORDER] = "out-of-order",
    [L2TP_EV_OUT_OF_WINDOW] = "out-of-window",
    [L2TP_EV_UNKNOWN_AVP] = "unknown-avp",
    [L2TP_EV_MISSING_AVP] = "missing-avp",
    [L2TP_EV_BAD_MESSAGE] = "bad-message",
    [L2TP_EV_UNEXPECTED] = "unexpected",
    [L2TP_EV_HIDDEN] = "hidden",
    [L2TP_EV_GIVE_UP] = "give-up",
    [L2TP_EV_TIE_BREAK] = "tie-break",
    [L2TP_EV_STOPCCN] = "stopccn",
    [L2TP_EV_CDN] = "cdn",
    [L2TP_EV_TUNNEL_GONE] = "tunnel-gone",
    [L2TP_EV_SESSION_GONE] = "session-gone",
    [L2TP_EV_ANOMALY] = "anomaly",
    [L2TP_EV_HELD] = "held",
    [L2TP_EV_REFUSED] = "refused",
    [L2TP_EV_PPP] = "ppp",
    [L2TP_EV_DATA] = "data",
};

const char *
l2tp_event_kind_name(enum l2tp_event_kind k)
{
	if ((unsigned)k >= L2TP_EV_KIND_COUNT || evnames[k] == NULL)
		return "event";
	return evnames[k];
}

static const char *const tstates[] = {"idle", "wait-ctl-reply", "wait-ctl-conn",
                                      "established", "closing"};
static const char *const sstates[] = {"idle",           "wait-tunnel",
                                      "wait-reply",     "wait-connect",
                                      "wait-cs-answer", "established"};

const char *
l2tp_tunnel_state_name(int st)
{
	if (st < 0 || (size_t)st >= sizeof(tstates) / sizeof(tstates[0]))
		return "unknown";
	return tstates[st];
}

const char *
l2tp_session_state_name(int st)
{
	if (st < 0 || (size_t)st >= sizeof(sstates) / sizeof(sstates[0]))
		return "unknown";
	return sstates[st];
}

bool
l2tp_addr_eq(const struct l2tp_addr *a, const struct l2tp_addr *b,
             bool with_port)
{
	size_t n = a->family == L2TP_AF_INET ? 4 : 16;

	return a->family == b->family && memcmp(a->addr, b->addr, n) == 0 &&
	       (!with_port || a->port == b->port);
}

/* ---- config ---- */

void
l2tp_engine_config_default(struct l2tp_engine_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->host_name, sizeof(c->host_name), "l2tpsh");
	snprintf(c->vendor_name, sizeof(c->vendor_name), "l2tpsh");
	c->firmware = 0x0100;
	c->framing_cap = 3;
	c->bearer_cap = 3;
	c->rx_window = 4;
	c->hello_ms = 60000;
	c->rtx_min_ms = 1000;
	c->rtx_max_ms = 8000;
	c->rtx_retries = 5;
	c->zlb_delay_ms = 100;
	c->hide_avps = false;
	c->challenge = true;
	c->tie_breaker = true;
	c->mode = L2TP_MODE_AUTO;
	c->event_mask = UINT32_MAX;
	c->setup_ms = 60000;
	/* An LAC rarely opens more than a few tunnels to one LNS; 64 leaves
	 * room for one per service and still stops one address taking the
	 * table.  4096 tunnels and 32768 sessions are a mid-size LNS. */
	c->max_tunnels_per_peer = 64;
	c->max_tunnels = 4096;
	c->max_sessions_per_tunnel = 4096;
	c->max_sessions = 32768;
	c->max_held = 256;
	c->max_out_of_order = 1024;
	c->ppp_event_mask = UINT32_MAX;
}

uint64_t
l2tp_engine_config_cycle_ms(const struct l2tp_engine_config *c)
{
	uint64_t sum = 0, rto = c->rtx_min_ms;

	for (unsigned i = 0; i <= c->rtx_retries && i < 64; i++) {
		sum += rto;
		rto = rto * 2 > c->rtx_max_ms ? c->rtx_max_ms : rto * 2;
	}
	return sum;
}

static bool
config_ok(const struct l2tp_engine_config *c)
{
	return c->random && c->rx_window > 0 && c->rtx_min_ms > 0 &&
	       c->rtx_min_ms <= c->rtx_max_ms && c->rtx_retries <= 64 &&
	       c->max_sessions <= 65535 && c->max_tunnels <= 65535 &&
	       c->host_name[0] && memchr(c->host_name, 0, L2TP_NAME_MAX) &&
	       memchr(c->vendor_name, 0, L2TP_NAME_MAX);
}

/* ---- hashing ---- */

uint64_t
eng_addr_key(const struct l2tp_addr *a, bool with_port)
{
	uint64_t k = a->family;

	for (size_t i = 0; i < 16; i++)
		k = l2tp_mix64(k ^ ((uint64_t)a->addr[i] << 8) ^ i);
	if (with_port)
		k = l2tp_mix64(k ^ ((uint64_t)a->port << 16));
	return k;
}

static int
hash_grow(struct eng_hash *h)
{
	size_t nb = h->nb ? h->nb * 2 : 64;
	struct eng_hnode **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return -1;
	for (size_t i = 0; i < h->nb; i++) {
		struct eng_hnode *n = h->b[i], *next;

		for (; n; n = next) {
			size_t j = l2tp_mix64(n->key) & (nb - 1);

			next = n->next;
			n->next = b[j];
			b[j] = n;
		}
	}
	free(h->b);
	h->b = b;
	h->nb = nb;
	return 0;
}

void
eng_hash_add(struct eng_hash *h, struct eng_hnode *n, uint64_t key)
{
	size_t j;

	/* Growing may fail: chains then get longer but stay correct. */
	if (h->n >= h->nb)
		hash_grow(h);
	if (h->nb == 0)
		return; /* unreachable: l2tp_engine_new sizes every table */
	n->key = key;
	j = l2tp_mix64(key) & (h->nb - 1);
	n->next = h->b[j];
	h->b[j] = n;
	h->n++;
}

void
eng_hash_del(struct eng_hash *h, struct eng_hnode *n)
{
	struct eng_hnode **pp = &h->b[l2tp_mix64(n->key) & (h->nb - 1)];

	for (; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			h->n--;
			return;
		}
}

struct eng_hnode *
eng_hash_first(const struct eng_hash *h, uint64_t key)
{
	struct eng_hnode *n;

	if (h->nb == 0)
		return NULL;
	for (n = h->b[l2tp_mix64(key) & (h->nb - 1)]; n; n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

#define CONTAINER(p, type, member)                                             \
	((type *)(void *)((char *)(p)-offsetof(type, member)))

/* ---- buffers ---- */

struct eng_buf *
eng_buf_new(struct l2tp_engine *e, const uint8_t *p, size_t len)
{
	struct eng_buf *b;

	if (len <= ENG_BUF_SMALL && e->pool) {
		b = e->pool;
		e->pool = b->next;
		e->npool--;
	} else {
		size_t cap = len <= ENG_BUF_SMALL ? ENG_BUF_SMALL : len;

		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->cap = (uint32_t)cap;
	}
	uint32_t cap = b->cap;

	memset(b, 0, sizeof(*b));
	b->cap = cap;
	b->len = (uint32_t)len;
	b->msg_type = -1;
	memcpy(b->data, p, len);
	return b;
}

void
eng_buf_free(struct l2tp_engine *e, struct eng_buf *b)
{
	if (b == NULL)
		return;
	/* Keep a bounded pool so memory follows tunnels, not bursts. */
	if (b->cap == ENG_BUF_SMALL && e->npool < 4096) {
		b->next = e->pool;
		e->pool = b;
		e->npool++;
		return;
	}
	free(b);
}

/* ---- queues ---- */

static struct eng_qitem *
q_push(struct eng_queue *q)
{
	if (q->head == q->n) {
		q->head = q->n = 0;
		q->blen = 0;
	}
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct eng_qitem *it = realloc(q->items, cap * sizeof(*it));

		if (it == NULL)
			return NULL;
		q->items = it;
		q->cap = cap;
	}
	struct eng_qitem *it = &q->items[q->n++];

	memset(it, 0, sizeof(*it));
	it->text_off = it->data_off = SIZE_MAX;
	return it;
}

/* Reserve n bytes in the arena; returns the offset or SIZE_MAX. */
static size_t
q_bytes(struct eng_queue *q, size_t n)
{
	size_t off;

	if (q->bcap - q->blen < n) {
		size_t cap = q->bcap ? q->bcap : 4096;
		uint8_t *p;

		while (cap - q->blen < n)
			cap *= 2;
		p = realloc(q->bytes, cap);
		if (p == NULL)
			return SIZE_MAX;
		q->bytes = p;
		q->bcap = cap;
	}
	off = q->blen;
	q->blen += n;
	return off;
}

static void
q_free(struct eng_queue *q)
{
	free(q->items);
	free(q->bytes);
}

struct l2tp_event *
eng_ev(struct l2tp_engine *e, enum l2tp_event_kind k,
       const struct eng_tunnel *t, const struct eng_session *s)
{
	struct eng_qitem *it;
	struct l2tp_event *ev;

	if (!(e->cfg.event_mask & (1u << k)))
		return NULL;
	/* A caller that never drains loses events, not memory. */
	if (e->evq.n - e->evq.head >= ENG_MAX_EVENTS) {
		e->st.events_dropped++;
		return NULL;
	}
	it = q_push(&e->evq);
	if (it == NULL) {
		e->st.events_dropped++;
		return NULL;
	}
	ev = &it->u.ev;
	ev->kind = k;
	ev->time_ms = e->now;
	ev->msg_type = -1;
	ev->state = -1;
	if (t) {
		ev->tunnel = t->lid;
		ev->peer = t->peer;
	}
	if (s) {
		ev->session = s->lid;
		if (!t && s->t) {
			ev->tunnel = s->t->lid;
			ev->peer = s->t->peer;
		}
	}
	return ev;
}

static struct eng_qitem *
ev_item(struct l2tp_event *ev)
{
	return (struct eng_qitem *)(void *)ev;
}

static void
ev_vtext(struct l2tp_engine *e, struct l2tp_event *ev, const char *fmt,
         va_list ap)
{
	struct eng_qitem *it = ev_item(ev);
	size_t off = q_bytes(&e->evq, 256);
	int n;

	if (off == SIZE_MAX)
		return;
	n = vsnprintf((char *)e->evq.bytes + off, 256, fmt, ap);
	if (n < 0)
		n = 0;
	if (n > 255)
		n = 255;
	e->evq.blen = off + (size_t)n + 1;
	it->text_off = off;
}

void
eng_ev_text(struct l2tp_engine *e, struct l2tp_event *ev, const char *fmt, ...)
{
	va_list ap;

	if (ev == NULL)
		return;
	va_start(ap, fmt);
	ev_vtext(e, ev, fmt, ap);
	va_end(ap);
}

void
eng_ev_msg(struct l2tp_engine *e, struct l2tp_event *ev, const uint8_t *p,
           size_t len)
{
	size_t off;

	if (ev == NULL)
		return;
	off = q_bytes(&e->evq, len);
	if (off == SIZE_MAX)
		return;
	memcpy(e->evq.bytes + off, p, len);
	ev_item(ev)->data_off = off;
	ev->msg_len = len;
}

void
eng_emit(struct l2tp_engine *e, enum l2tp_event_kind k,
         const struct eng_tunnel *t, const struct eng_session *s,
         const char *fmt, ...)
{
	struct l2tp_event *ev = eng_ev(e, k, t, s);
	va_list ap;

	if (ev == NULL)
		return;
	va_start(ap, fmt);
	ev_vtext(e, ev, fmt, ap);
	va_end(ap);
}

void
eng_refused(struct l2tp_engine *e, const struct eng_tunnel *t, const char *fmt,
            ...)
{
	struct l2tp_event *ev;
	char text[200];
	va_list ap;

	/* A flood of refusals must not flood the operator's terminal. */
	if (e->now - e->rl_start >= 1000 || e->now < e->rl_start) {
		e->rl_start = e->now;
		e->rl_shown = 0;
	}
	if (e->rl_shown >= ENG_REFUSAL_EVENTS) {
		e->rl_left++;
		e->st.events_suppressed++;
		return;
	}
	ev = eng_ev(e, L2TP_EV_REFUSED, t, NULL);
	if (ev == NULL)
		return;
	e->rl_shown++;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (e->rl_left)
		eng_ev_text(e, ev,
		            "%s (%llu more refusals not shown before it)", text,
		            (unsigned long long)e->rl_left);
	else
		eng_ev_text(e, ev, "%s", text);
	e->rl_left = 0;
}

bool
l2tp_engine_next_event(struct l2tp_engine *e, struct l2tp_event *out)
{
	struct eng_qitem *it;

	if (e->evq.head == e->evq.n)
		return false;
	it = &e->evq.items[e->evq.head++];
	*out = it->u.ev;
	out->text = it->text_off == SIZE_MAX
	                ? ""
	                : (const char *)e->evq.bytes + it->text_off;
	out->msg =
	    it->data_off == SIZE_MAX ? NULL : e->evq.bytes + it->data_off;
	if (out->msg == NULL)
		out->msg_len = 0;
	return true;
}

int
eng_send_dgram(struct l2tp_engine *e, const struct l2tp_addr *to, uint16_t tid,
               const uint8_t *p, size_t len)
{
	struct eng_qitem *it = q_push(&e->dgq);
	size_t off;

	if (it == NULL)
		return L2TP_E_NOMEM;
	off = q_bytes(&e->dgq, len);
	if (off == SIZE_MAX) {
		e->dgq.n--;
		return L2TP_E_NOMEM;
	}
	memcpy(e->dgq.bytes + off, p, len);
	it->u.dg.to = *to;
	it->u.dg.len = len;
	it->u.dg.tunnel = tid;
	it->data_off = off;
	e->st.datagrams_out++;
	return 0;
}

bool
l2tp_engine_next_datagram(struct l2tp_engine *e, struct l2tp_datagram *out)
{
	struct eng_qitem *it;

	if (e->dgq.head == e->dgq.n)
		return false;
	it = &e->dgq.items[e->dgq.head++];
	*out = it->u.dg;
	out->data = e->dgq.bytes + it->data_off;
	return true;
}

int
eng_random(struct l2tp_engine *e, uint8_t *p, size_t n)
{
	return e->cfg.random(e->cfg.random_ctx, p, n) == 0 ? 0 : L2TP_E_RANDOM;
}

/* ---- timer heap (earliest deadline of each tunnel) ---- */

static void
heap_swap(struct l2tp_engine *e, size_t i, size_t j)
{
	struct eng_tunnel *t = e->heap[i];

	e->heap[i] = e->heap[j];
	e->heap[j] = t;
	e->heap[i]->hidx = i;
	e->heap[j]->hidx = j;
}

static void
heap_up(struct l2tp_engine *e, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (e->heap[p]->deadline <= e->heap[i]->deadline)
			break;
		heap_swap(e, i, p);
		i = p;
	}
}

static void
heap_down(struct l2tp_engine *e, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < e->nheap && e->heap[l]->deadline < e->heap[m]->deadline)
			m = l;
		if (r < e->nheap && e->heap[r]->deadline < e->heap[m]->deadline)
			m = r;
		if (m == i)
			break;
		heap_swap(e, i, m);
		i = m;
	}
}

static void
heap_remove(struct l2tp_engine *e, struct eng_tunnel *t)
{
	size_t i = t->hidx;

	if (i == SIZE_MAX)
		return;
	e->nheap--;
	if (i != e->nheap) {
		e->heap[i] = e->heap[e->nheap];
		e->heap[i]->hidx = i;
		heap_down(e, i);
		heap_up(e, i);
	}
	t->hidx = SIZE_MAX;
}

void
eng_rearm(struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint64_t d = t->ack_at;

	if (t->dead)
		return;
	d = d < t->hello_at ? d : t->hello_at;
	d = d < t->hold_at ? d : t->hold_at;
	d = d < t->ppp_at ? d : t->ppp_at;
	if (t->nheld == 0) {
		d = d < t->setup_at ? d : t->setup_at;
		d = d < t->call_at ? d : t->call_at;
	}
	for (struct eng_buf *b = t->txq; b && b->sent; b = b->next)
		d = d < b->next_at ? d : b->next_at;
	t->deadline = d;
	if (t->deadline == ENG_NEVER) {
		heap_remove(e, t);
		return;
	}
	if (t->hidx == SIZE_MAX) {
		/* The heap array was sized for every tunnel at creation. */
		t->hidx = e->nheap;
		e->heap[e->nheap++] = t;
		heap_up(e, t->hidx);
	} else {
		heap_down(e, t->hidx);
		heap_up(e, t->hidx);
	}
}

void
eng_setup_hold(struct l2tp_engine *e, struct eng_tunnel *t, int d)
{
	uint64_t gap;

	if (t == NULL || t->dead)
		return;
	if (d > 0) {
		if (t->nheld++ == 0)
			t->paused_at = e->now;
		eng_rearm(e, t);
		return;
	}
	if (t->nheld == 0 || --t->nheld > 0)
		return;
	/* The clocks went on hold with the first held item: they resume
	 * where they stopped. */
	gap = e->now - t->paused_at;
	if (t->setup_at != ENG_NEVER)
		t->setup_at += gap;
	if (t->call_at != ENG_NEVER)
		t->call_at += gap;
	for (struct eng_session *s = t->sessions; s; s = s->t_next)
		if (s->setup_at != ENG_NEVER)
			s->setup_at += gap;
	eng_rearm(e, t);
}

uint64_t
l2tp_engine_expiry(const struct l2tp_engine *e)
{
	uint64_t x = e->nheap ? e->heap[0]->deadline : ENG_NEVER;
	uint64_t h = e->held ? eng_step_expiry(e) : ENG_NEVER;

	return x < h ? x : h;
}

/* ---- lifetime of objects ---- */

void
eng_enter(struct l2tp_engine *e)
{
	e->depth++;
}

static void
reap(struct l2tp_engine *e)
{
	while (e->reap_s) {
		struct eng_session *s = e->reap_s;

		e->reap_s = s->reap_next;
		eng_sess_free(s);
		free(s->req);
		free(s);
	}
	while (e->reap_t) {
		struct eng_tunnel *t = e->reap_t;

		e->reap_t = t->reap_next;
		while (t->txq) {
			struct eng_buf *b = t->txq;

			t->txq = b->next;
			eng_buf_free(e, b);
		}
		while (t->ooo) {
			struct eng_buf *b = t->ooo;

			t->ooo = b->next;
			eng_buf_free(e, b);
		}
		free(t);
	}
}

void
eng_leave(struct l2tp_engine *e)
{
	if (--e->depth == 0)
		reap(e);
}

struct eng_tunnel *
eng_tunnel_find(const struct l2tp_engine *e, uint16_t lid)
{
	struct eng_hnode *n = eng_hash_first(&e->tun_by_lid, lid);

	return n ? CONTAINER(n, struct eng_tunnel, h_lid) : NULL;
}

struct eng_session *
eng_session_find(const struct l2tp_engine *e, uint16_t lid)
{
	struct eng_hnode *n = eng_hash_first(&e->ses_by_lid, lid);

	return n ? CONTAINER(n, struct eng_session, h_lid) : NULL;
}

static int
pool_build(struct eng_idpool *p, const struct eng_hash *h)
{
	/* one block: free[65535] then pos[65536]; ids in use marked from the
	 * table's nodes rather than looked up one by one */
	if ((p->free = malloc((65535 + 65536) * sizeof(*p->free))) == NULL)
		return -1;
	p->pos = p->free + 65535;
	memset(p->pos, 0, 65536 * sizeof(*p->pos));
	p->pos[0] = ENG_ID_USED;
	for (size_t i = 0; i < h->nb; i++)
		for (const struct eng_hnode *n = h->b[i]; n; n = n->next)
			if (n->key <= 0xffff)
				p->pos[n->key] = ENG_ID_USED;
	p->nfree = 0;
	for (uint32_t id = 1; id <= 0xffff; id++) {
		if (p->pos[id] == ENG_ID_USED)
			continue;
		p->pos[id] = (uint16_t)p->nfree;
		p->free[p->nfree++] = (uint16_t)id;
	}
	p->built = true;
	return 0;
}

/* An id entered the table (take) or left it (give). */
static void
pool_take(struct eng_idpool *p, uint16_t id)
{
	uint16_t i, last;

	if (!p->built || p->pos[id] == ENG_ID_USED)
		return;
	i = p->pos[id];
	last = p->free[--p->nfree];
	p->free[i] = last;
	p->pos[last] = i;
	p->pos[id] = ENG_ID_USED;
}

static void
pool_give(struct eng_idpool *p, uint16_t id)
{
	if (!p->built || p->pos[id] != ENG_ID_USED)
		return;
	p->pos[id] = (uint16_t)p->nfree;
	p->free[p->nfree++] = id;
}

static void
pool_free(struct eng_idpool *p)
{
	free(p->free); /* pos lies in the same block */
}

/*
 * A fresh random non-zero id not in use.  Random rather than counting so
 * that a retried tunnel never reuses an id the peer may still remember
 * (xl2tpd answers a repeated Assigned Tunnel ID with only a ZLB).  A few
 * random tries, then a random pick among the free ids: O(1) however full.
 */
static int
new_id(struct l2tp_engine *e, const struct eng_hash *h, struct eng_idpool *p,
       uint16_t *out)
{
	uint8_t r[4];

	for (int i = 0; i < 8; i++) {
		uint16_t id;

		if (eng_random(e, r, 2) < 0)
			return L2TP_E_RANDOM;
		id = (uint16_t)(r[0] << 8 | r[1]);
		if (id != 0 && eng_hash_first(h, id) == NULL) {
			*out = id;
			return 0;
		}
	}
	if (!p->built && pool_build(p, h) < 0)
		return L2TP_E_NOMEM;
	if (p->nfree == 0)
		return L2TP_E_NOIDS;
	if (eng_random(e, r, 4) < 0)
		return L2TP_E_RANDOM;
	*out = p->free[((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 |
	                (uint32_t)r[2] << 8 | r[3]) %
	               p->nfree];
	return 0;
}

/* ---- tunnels per peer address ---- */

static struct eng_peer *
peer_find(const struct l2tp_engine *e, const struct l2tp_addr *a)
{
	for (struct eng_hnode *n =
	         eng_hash_first(&e->peers, eng_addr_key(a, false));
	     n; n = n->next) {
		struct eng_peer *p = CONTAINER(n, struct eng_peer, h);

		if (l2tp_addr_eq(&p->addr, a, false))
			return p;
	}
	return NULL;
}

uint32_t
eng_peer_tunnels(const struct l2tp_engine *e, const struct l2tp_addr *a)
{
	const struct eng_peer *p = peer_find(e, a);

	return p ? p->n : 0;
}

static struct eng_peer *
peer_ref(struct l2tp_engine *e, const struct l2tp_addr *a)
{
	struct eng_peer *p = peer_find(e, a);

	if (p == NULL) {
		p = calloc(1, sizeof(*p));
		if (p == NULL)
			return NULL;
		p->addr = *a;
		p->addr.port = 0;
		eng_hash_add(&e->peers, &p->h, eng_addr_key(a, false));
	}
	p->n++;
	return p;
}

static void
peer_unref(struct l2tp_engine *e, struct eng_peer *p)
{
	if (p == NULL || --p->n > 0)
		return;
	eng_hash_del(&e->peers, &p->h);
	free(p);
}

struct eng_tunnel *
eng_tunnel_new(struct l2tp_engine *e, const struct l2tp_addr *peer,
               enum l2tp_role role, uint64_t now)
{
	struct eng_tunnel *t;
	uint16_t lid;

	/* The heap has room for every tunnel, so arming never fails. */
	e->new_err = L2TP_E_NOMEM;
	if (e->st.tunnels + 1 > e->capheap) {
		size_t cap = e->capheap ? e->capheap * 2 : 64;
		struct eng_tunnel **h = realloc(e->heap, cap * sizeof(*h));

		if (h == NULL)
			return NULL;
		e->heap = h;
		e->capheap = cap;
	}
	e->new_err = L2TP_E_LIMIT;
	if (e->cfg.max_tunnels && e->st.tunnels >= e->cfg.max_tunnels)
		return NULL;
	e->new_err = new_id(e, &e->tun_by_lid, &e->tun_ids, &lid);
	if (e->new_err < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	e->new_err = L2TP_E_NOMEM;
	if (t == NULL)
		return NULL;
	if ((t->peerc = peer_ref(e, peer)) == NULL) {
		free(t);
		return NULL;
	}
	e->new_err = 0;
	t->hidx = SIZE_MAX;
	t->lid = lid;
	t->role = (uint8_t)role;
	t->mode = (uint8_t)e->cfg.mode;
	t->peer = *peer;
	t->peer_rws = 4;
	t->cwnd = 1;
	t->ssthresh = 4;
	t->hello_ms = e->cfg.hello_ms;
	t->created_ms = now;
	t->last_rx = now;
	t->ack_at = t->hello_at = t->hold_at = ENG_NEVER;
	t->setup_at = e->cfg.setup_ms ? now + e->cfg.setup_ms : ENG_NEVER;
	t->call_at = ENG_NEVER;
	t->ppp_at = ENG_NEVER;
	t->adv_rws = e->cfg.rx_window;
	t->state = L2TP_TS_IDLE;
	eng_hash_add(&e->tun_by_lid, &t->h_lid, lid);
	pool_take(&e->tun_ids, lid);
	t->prev = e->last;
	if (e->last)
		e->last->next = t;
	else
		e->first = t;
	e->last = t;
	e->st.tunnels++;
	e->st.tunnels_total++;
	return t;
}

/* Index by (peer, port, remote id) so a repeated SCCRQ finds its tunnel. */
void
eng_tunnel_set_peer_key(struct l2tp_engine *e, struct eng_tunnel *t)
{
	if (t->in_peer)
		eng_hash_del(&e->tun_by_peer, &t->h_peer);
	eng_hash_add(&e->tun_by_peer, &t->h_peer,
	             l2tp_mix64(eng_addr_key(&t->peer, true) ^ t->rid));
	t->in_peer = true;
}

void
eng_tunnel_set_wait(struct l2tp_engine *e, struct eng_tunnel *t, bool on)
{
	if (on == t->in_wait)
		return;
	if (on)
		eng_hash_add(&e->tun_wait, &t->h_wait,
		             eng_addr_key(&t->peer, false));
	else
		eng_hash_del(&e->tun_wait, &t->h_wait);
	t->in_wait = on;
}

/* Unlink now, free when the outermost API call returns. */
void
eng_tunnel_kill(struct l2tp_engine *e, struct eng_tunnel *t)
{
	struct l2tp_event *ev;

	if (t->dead)
		return;
	eng_clear_sessions(e, t, "tunnel cleared");
	ev = eng_ev(e, L2TP_EV_TUNNEL_GONE, t, NULL);
	if (ev) {
		ev->result = t->last_result;
		ev->error = t->last_error;
		if (t->last_result)
			eng_ev_text(e, ev,
			            "tunnel %u freed (result %u error "
			            "%u%s%s)",
			            t->lid, t->last_result, t->last_error,
			            t->last_message[0] ? ": " : "",
			            t->last_message);
		else
			eng_ev_text(e, ev, "tunnel %u freed", t->lid);
	}
	t->dead = true;
	eng_step_forget_tunnel(e, t->lid);
	eng_hash_del(&e->tun_by_lid, &t->h_lid);
	pool_give(&e->tun_ids, t->lid);
	peer_unref(e, t->peerc);
	t->peerc = NULL;
	e->nooo -= t->nooo;
	if (t->in_peer)
		eng_hash_del(&e->tun_by_peer, &t->h_peer);
	eng_tunnel_set_wait(e, t, false);
	heap_remove(e, t);
	if (t->prev)
		t->prev->next = t->next;
	else
		e->first = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		e->last = t->prev;
	t->reap_next = e->reap_t;
	e->reap_t = t;
	e->st.tunnels--;
}

struct eng_session *
eng_session_new(struct l2tp_engine *e, struct eng_tunnel *t, uint64_t now)
{
	struct eng_session *s;
	uint16_t lid;

	e->new_err = L2TP_E_LIMIT;
	if ((e->cfg.max_sessions && e->st.sessions >= e->cfg.max_sessions) ||
	    (e->cfg.max_sessions_per_tunnel &&
	     t->nsessions >= e->cfg.max_sessions_per_tunnel))
		return NULL;
	e->new_err = new_id(e, &e->ses_by_lid, &e->ses_ids, &lid);
	if (e->new_err < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	e->new_err = L2TP_E_NOMEM;
	if (s == NULL)
		return NULL;
	e->new_err = 0;
	s->lid = lid;
	s->t = t;
	s->eng = e;
	s->ppp_at = ENG_NEVER;
	s->proxy_auth_ok = -1;
	s->created_ms = now;
	s->setup_at = e->cfg.setup_ms ? now + e->cfg.setup_ms : ENG_NEVER;
	if (s->setup_at < t->call_at)
		t->call_at = s->setup_at;
	eng_hash_add(&e->ses_by_lid, &s->h_lid, lid);
	pool_take(&e->ses_ids, lid);
	s->t_next = t->sessions;
	if (t->sessions)
		t->sessions->t_prev = s;
	t->sessions = s;
	t->nsessions++;
	t->sessions_total++;
	e->st.sessions++;
	e->st.sessions_total++;
	return s;
}

static void
session_unlink(struct eng_session *s)
{
	struct eng_tunnel *t = s->t;

	if (s->t_prev)
		s->t_prev->t_next = s->t_next;
	else
		t->sessions = s->t_next;
	if (s->t_next)
		s->t_next->t_prev = s->t_prev;
	s->t_prev = s->t_next = NULL;
	t->nsessions--;
}

void
eng_session_move(struct l2tp_engine *e, struct eng_session *s,
                 struct eng_tunnel *to)
{
	(void)e;
	session_unlink(s);
	s->t = to;
	s->t_next = to->sessions;
	if (to->sessions)
		to->sessions->t_prev = s;
	to->sessions = s;
	to->nsessions++;
	to->sessions_total++;
}

static void session_fill(const struct eng_session *s,
                         struct l2tp_session_info *o);

void
eng_session_kill(struct l2tp_engine *e, struct eng_session *s)
{
	struct eng_tunnel *t = s->t;

	struct l2tp_session_info *o = &e->ended[e->ended_at];
	struct l2tp_event *ev;

	if (s->dead)
		return;
	session_fill(s, o);
	o->state = s->state == L2TP_SS_IDLE ? s->end_state : s->state;
	o->ended_ms = e->now;
	e->ended_at = (e->ended_at + 1) % ENG_ENDED;
	if (e->nended < ENG_ENDED)
		e->nended++;
	ev = eng_ev(e, L2TP_EV_SESSION_GONE, t, s);
	if (ev) {
		ev->state = o->state;
		ev->result = s->last_result;
		ev->error = s->last_error;
		if (s->last_result)
			eng_ev_text(e, ev,
			            "session %u freed (ended in %s, "
			            "result %u error %u%s%s)",
			            s->lid, l2tp_session_state_name(o->state),
			            s->last_result, s->last_error,
			            s->last_message[0] ? ": " : "",
			            s->last_message);
		else
			eng_ev_text(e, ev, "session %u freed (ended in %s)",
			            s->lid, l2tp_session_state_name(o->state));
	}
	s->dead = true;
	eng_sess_down(e, s);
	eng_hash_del(&e->ses_by_lid, &s->h_lid);
	pool_give(&e->ses_ids, s->lid);
	session_unlink(s);
	e->st.sessions--;
	s->reap_next = e->reap_s;
	e->reap_s = s;
}

/* ---- secrets ---- */

static int
secret_set(struct l2tp_engine *e, int kind, const struct l2tp_addr *a,
           const char *host, const char *secret)
{
	size_t i;

	if (secret && (secret[0] == 0 || strlen(secret) > ENG_SECRET_MAX))
		return L2TP_E_INVAL;
	if (host && strlen(host) >= L2TP_NAME_MAX)
		return L2TP_E_INVAL;
	for (i = 0; i < e->nsecrets; i++) {
		struct eng_secret *s = &e->secrets[i];

		if (s->kind != kind)
			continue;
		if (kind == 1 && !l2tp_addr_eq(&s->addr, a, false))
			continue;
		if (kind == 2 && strcmp(s->host, host) != 0)
			continue;
		break;
	}
	if (secret == NULL) {
		if (i < e->nsecrets) {
			memmove(&e->secrets[i], &e->secrets[i + 1],
			        (e->nsecrets - i - 1) * sizeof(e->secrets[0]));
			e->nsecrets--;
		}
		return 0;
	}
	if (i == e->nsecrets) {
		if (e->nsecrets == ENG_MAX_SECRETS)
			return L2TP_E_FULL;
		e->nsecrets++;
	}
	memset(&e->secrets[i], 0, sizeof(e->secrets[i]));
	e->secrets[i].kind = kind;
	if (a)
		e->secrets[i].addr = *a;
	if (host)
		snprintf(e->secrets[i].host, sizeof(e->secrets[i].host), "%s",
		         host);
	snprintf(e->secrets[i].secret, sizeof(e->secrets[i].secret), "%s",
	         secret);
	return 0;
}

int
l2tp_engine_set_secret_default(struct l2tp_engine *e, const char *secret)
{
	return secret_set(e, 0, NULL, NULL, secret);
}

int
l2tp_engine_set_secret_addr(struct l2tp_engine *e, const struct l2tp_addr *peer,
                            const char *secret)
{
	if (peer == NULL)
		return L2TP_E_INVAL;
	return secret_set(e, 1, peer, NULL, secret);
}

int
l2tp_engine_set_secret_host(struct l2tp_engine *e, const char *host,
                            const char *secret)
{
	if (host == NULL || host[0] == 0)
		return L2TP_E_INVAL;
	return secret_set(e, 2, NULL, host, secret);
}

bool
l2tp_engine_has_secret(const struct l2tp_engine *e)
{
	return e->nsecrets > 0;
}

size_t
l2tp_engine_secrets(const struct l2tp_engine *e, struct l2tp_secret_info *out,
                    size_t cap)
{
	for (size_t i = 0; i < e->nsecrets && i < cap; i++) {
		const struct eng_secret *s = &e->secrets[i];

		memset(&out[i], 0, sizeof(out[i]));
		out[i].kind = (enum l2tp_secret_kind)s->kind;
		out[i].addr = s->addr;
		out[i].host = s->host;
		out[i].secret = s->secret;
	}
	return e->nsecrets;
}

const char *
eng_secret_lookup(const struct l2tp_engine *e, const struct l2tp_addr *a,
                  const char *host)
{
	const char *def = NULL, *byhost = NULL;

	for (size_t i = 0; i < e->nsecrets; i++) {
		const struct eng_secret *s = &e->secrets[i];

		if (s->kind == 1 && l2tp_addr_eq(&s->addr, a, false))
			return s->secret;
		if (s->kind == 2 && host && host[0] &&
		    strcmp(s->host, host) == 0)
			byhost = s->secret;
		if (s->kind == 0)
			def = s->secret;
	}
	return byhost ? byhost : def;
}

const char *
eng_secret_for(const struct l2tp_engine *e, const struct eng_tunnel *t)
{
	return eng_secret_lookup(e, &t->peer, t->peer_host);
}

/* ---- engine ---- */

struct l2tp_engine *
l2tp_engine_new(const struct l2tp_engine_config *c)
{
	struct l2tp_engine *e;

	if (c == NULL || !config_ok(c))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->cfg = *c;
	e->cycle_ms = l2tp_engine_config_cycle_ms(c);
	eng_sess_io_init(e);
	e->listen_role = L2TP_ROLE_LNS;
	e->next_serial = 1;
	e->build = malloc(ENG_SCRATCH);
	e->unhide = malloc(ENG_SCRATCH);
	e->dbuf = malloc(ENG_DBUF);
	if (e->build == NULL || e->unhide == NULL || e->dbuf == NULL ||
	    hash_grow(&e->tun_by_lid) < 0 || hash_grow(&e->tun_by_peer) < 0 ||
	    hash_grow(&e->tun_wait) < 0 || hash_grow(&e->ses_by_lid) < 0 ||
	    hash_grow(&e->peers) < 0) {
		l2tp_engine_free(e);
		return NULL;
	}
	return e;
}

void
l2tp_engine_free(struct l2tp_engine *e)
{
	if (e == NULL)
		return;
	e->cfg.event_mask = 0;
	e->depth++;
	while (e->first)
		eng_tunnel_kill(e, e->first);
	e->depth = 0;
	reap(e);
	eng_step_free(e);
	while (e->pool) {
		struct eng_buf *b = e->pool;

		e->pool = b->next;
		free(b);
	}
	free(e->tun_by_lid.b);
	free(e->tun_by_peer.b);
	free(e->tun_wait.b);
	free(e->ses_by_lid.b);
	free(e->peers.b);
	pool_free(&e->tun_ids);
	pool_free(&e->ses_ids);
	free(e->heap);
	q_free(&e->evq);
	q_free(&e->dgq);
	free(e->build);
	free(e->unhide);
	free(e->dbuf);
	free(e);
}

const struct l2tp_engine_config *
l2tp_engine_config(const struct l2tp_engine *e)
{
	return &e->cfg;
}

int
l2tp_engine_set_config(struct l2tp_engine *e,
                       const struct l2tp_engine_config *c)
{
	if (c == NULL || !config_ok(c))
		return L2TP_E_INVAL;
	e->cfg = *c;
	e->cycle_ms = l2tp_engine_config_cycle_ms(c);
	eng_sess_io_init(e);
	return 0;
}

void
l2tp_engine_listen(struct l2tp_engine *e, bool on, enum l2tp_role role)
{
	e->listening = on;
	e->listen_role = role;
}

int
l2tp_engine_input(struct l2tp_engine *e, const struct l2tp_addr *from,
                  const uint8_t *buf, size_t len, uint64_t now_ms)
{
	if (e == NULL || from == NULL || (buf == NULL && len))
		return L2TP_E_INVAL;
	eng_enter(e);
	e->now = now_ms;
	e->st.datagrams_in++;
	eng_rx_control(e, from, buf, len, false);
	eng_leave(e);
	return 0;
}

int
l2tp_engine_handle_expiry(struct l2tp_engine *e, uint64_t now_ms)
{
	/* Each pass moves one tunnel's deadline past now or clears it. */
	size_t guard = 4 * (e->nheap + 4);

	eng_enter(e);
	e->now = now_ms;
	if (e->held)
		eng_step_timers(e);
	while (e->nheap && e->heap[0]->deadline <= now_ms && guard--) {
		struct eng_tunnel *t = e->heap[0];

		eng_tunnel_timers(e, t);
		if (!t->dead && t->hidx != SIZE_MAX && t->deadline <= now_ms) {
			/* A timer that did not move: never spin on it. */
			t->deadline = now_ms + 1;
			heap_down(e, t->hidx);
		}
	}
	eng_leave(e);
	return 0;
}

/* ---- commands ---- */

int
l2tp_engine_tunnel_open(struct l2tp_engine *e, const struct l2tp_addr *peer,
                        enum l2tp_role role, uint64_t now_ms, uint16_t *lid)
{
	struct eng_tunnel *t;
	int rc;

	if (peer == NULL ||
	    (peer->family != L2TP_AF_INET && peer->family != L2TP_AF_INET6) ||
	    peer->port == 0 || (role != L2TP_ROLE_LAC && role != L2TP_ROLE_LNS))
		return L2TP_E_INVAL;
	if (e->st.tunnels >= 0xfffe)
		return L2TP_E_NOIDS;
	eng_enter(e);
	e->now = now_ms;
	t = eng_tunnel_new(e, peer, role, now_ms);
	if (t == NULL) {
		eng_leave(e);
		return e->new_err;
	}
	t->initiator = true;
	rc = eng_send_sccrq(e, t);
	if (rc < 0) {
		eng_tunnel_kill(e, t);
		eng_leave(e);
		return rc;
	}
	if (lid)
		*lid = t->lid;
	eng_leave(e);
	return 0;
}

int
l2tp_engine_tunnel_close(struct l2tp_engine *e, uint16_t lid, uint16_t result,
                         int error, const char *message, uint64_t now_ms)
{
	struct eng_tunnel *t = eng_tunnel_find(e, lid);

	if (t == NULL)
		return L2TP_E_NOTUNNEL;
	if (t->state == L2TP_TS_CLOSING)
		return L2TP_E_STATE;
	if (result == 0 || error > 0xffff)
		return L2TP_E_INVAL;
	eng_enter(e);
	e->now = now_ms;
	if (t->rid == 0 && t->ns_next == 0) {
		/* Nothing went out yet (a held SCCRQ): nothing to stop. */
		eng_emit(
		    e, L2TP_EV_ANOMALY, t, NULL,
		    "tunnel %u closed before its SCCRQ was sent; no StopCCN",
		    t->lid);
		eng_set_state(e, t, L2TP_TS_IDLE);
		eng_tunnel_kill(e, t);
	} else {
		/* Even before the peer answered: it may hold a tunnel for
		 * our SCCRQ.  The StopCCN then has Tunnel ID 0 and names
		 * ours by its Assigned Tunnel ID (eng_stop). */
		eng_stop(e, t, result, error, "%s", message ? message : "");
	}
	eng_leave(e);
	return 0;
}

int
l2tp_engine_tunnel_set_hello(struct l2tp_engine *e, uint16_t lid, uint32_t ms,
                             uint64_t now_ms)
{
	struct eng_tunnel *t = eng_tunnel_find(e, lid);

	if (t == NULL)
		return L2TP_E_NOTUNNEL;
	e->now = now_ms;
	t->hello_ms = ms;
	if (t->state == L2TP_TS_ESTABLISHED && ms) {
		t->hello_at = t->last_rx + ms;
		if (t->hello_at < now_ms)
			t->hello_at = now_ms;
	} else {
		t->hello_at = ENG_NEVER;
	}
	eng_emit(e, L2TP_EV_TIMER, t, NULL, "hello interval set to %u ms%s", ms,
	         ms ? "" : " (off)");
	eng_rearm(e, t);
	return 0;
}

int
l2tp_engine_tunnel_info(const struct l2tp_engine *e, uint16_t lid,
                        struct l2tp_tunnel_info *o)
{
	const struct eng_tunnel *t = eng_tunnel_find(e, lid);

	if (t == NULL)
		return L2TP_E_NOTUNNEL;
	memset(o, 0, sizeof(*o));
	o->local_id = t->lid;
	o->remote_id = t->rid;
	o->state = t->state;
	o->role = t->role;
	o->mode = t->mode;
	o->initiator = t->initiator;
	o->peer = t->peer;
	memcpy(o->peer_host, t->peer_host, sizeof(o->peer_host));
	memcpy(o->peer_vendor, t->peer_vendor, sizeof(o->peer_vendor));
	o->peer_firmware = t->peer_firmware;
	o->peer_version = t->peer_version;
	o->peer_revision = t->peer_revision;
	o->peer_framing_cap = t->peer_framing;
	o->peer_bearer_cap = t->peer_bearer;
	o->hello_ms = t->hello_ms;
	o->ns = t->ns_next;
	o->nr = t->nr;
	o->peer_window = t->peer_rws;
	o->cwnd = t->cwnd;
	o->ssthresh = t->ssthresh;
	o->unacked = t->inflight;
	o->queued = t->queued;
	o->authenticated = t->authenticated;
	o->ctl_in = t->ctl_in;
	o->ctl_out = t->ctl_out;
	o->zlb_in = t->zlb_in;
	o->zlb_out = t->zlb_out;
	o->retransmits = t->retransmits;
	o->duplicates = t->duplicates;
	o->out_of_order = t->out_of_order;
	o->out_of_window = t->out_of_window;
	o->malformed_in = t->malformed_in;
	o->hellos_in = t->hellos_in;
	o->hellos_out = t->hellos_out;
	o->sessions_total = t->sessions_total;
	o->sessions_active = t->nsessions;
	o->sessions_failed = t->sessions_failed;
	o->last_result = t->last_result;
	o->last_error = t->last_error;
	memcpy(o->last_message, t->last_message, sizeof(o->last_message));
	o->created_ms = t->created_ms;
	o->established_ms = t->established_ms;
	o->setup_timed_out = t->setup_timed_out;
	o->setup_timeout_state = t->setup_timeout_state;
	o->rx_window = t->adv_rws;
	o->out_of_order_queued = t->nooo;
	return 0;
}

size_t
l2tp_engine_tunnel_ids(const struct l2tp_engine *e, uint16_t *ids, size_t cap)
{
	size_t n = 0;

	for (const struct eng_tunnel *t = e->first; t; t = t->next, n++)
		if (n < cap)
			ids[n] = t->lid;
	return n;
}

static void
session_fill(const struct eng_session *s, struct l2tp_session_info *o)
{
	memset(o, 0, sizeof(*o));
	o->local_id = s->lid;
	o->remote_id = s->rid;
	o->tunnel = s->t->lid;
	o->state = s->state;
	o->type = s->type;
	o->initiator = s->initiator;
	o->serial = s->serial;
	o->tx_speed = s->tx_speed;
	o->rx_speed = s->rx_speed;
	o->framing_type = s->framing_type;
	o->bearer_type = s->bearer_type;
	memcpy(o->calling, s->calling, sizeof(o->calling));
	memcpy(o->called, s->called, sizeof(o->called));
	o->last_result = s->last_result;
	o->last_error = s->last_error;
	memcpy(o->last_message, s->last_message, sizeof(o->last_message));
	o->created_ms = s->created_ms;
	o->established_ms = s->established_ms;
	o->setup_timed_out = s->setup_timed_out;
	o->ppp = s->ppp != NULL;
	o->seq_on = s->seq_on;
	o->data_ns = s->data_ns;
	o->packets_in = s->pk_in;
	o->packets_out = s->pk_out;
	o->bytes_in = s->by_in;
	o->bytes_out = s->by_out;
	o->discarded = s->discarded;
	o->out_of_order = s->ooo;
	o->proxy_lcp = s->proxy_lcp;
	o->proxy_auth_type = s->proxy_auth_type;
	if (s->proxy_user)
		snprintf(o->proxy_user, sizeof(o->proxy_user), "%s",
		         s->proxy_user);
	o->proxy_auth_ok = s->proxy_auth_ok;
	o->lcp_renegotiated = s->lcp_renegotiated;
}

int
l2tp_engine_session_info(const struct l2tp_engine *e, uint16_t sid,
                         struct l2tp_session_info *o)
{
	const struct eng_session *s = eng_session_find(e, sid);

	if (s == NULL)
		return L2TP_E_NOSESSION;
	session_fill(s, o);
	return 0;
}

size_t
l2tp_engine_ended_sessions(const struct l2tp_engine *e,
                           struct l2tp_session_info *out, size_t cap)
{
	for (size_t i = 0; i < e->nended && i < cap; i++)
		out[i] =
		    e->ended[(e->ended_at + ENG_ENDED - 1 - i) % ENG_ENDED];
	return e->nended;
}

size_t
l2tp_engine_session_ids(const struct l2tp_engine *e, uint16_t tid,
                        uint16_t *ids, size_t cap)
{
	size_t n = 0;

	for (const struct eng_tunnel *t = e->first; t; t = t->next) {
		if (tid && t->lid != tid)
			continue;
		for (const struct eng_session *s = t->sessions; s;
		     s = s->t_next, n++)
			if (n < cap)
				ids[n] = s->lid;
	}
	return n;
}

void
l2tp_engine_stats(const struct l2tp_engine *e, struct l2tp_engine_stats *o)
{
	*o = e->st;
}
