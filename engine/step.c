/* Step mode: drafts and received messages held, released, edited, dropped,
 * duplicated or delayed by the operator (RFC 2661 §5.8 kept honest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/ppp_read.h"
#include "engine/eng.h"

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ns and Nr sit where the engine patches them. */
static bool
standard_layout(const struct eng_buf *b)
{
	uint16_t f;

	if (b == NULL || b->len < 12)
		return false;
	f = rd16(b->data);
	return (f & (L2TP_F_T | L2TP_F_L | L2TP_F_S | L2TP_F_O)) ==
	       (L2TP_F_T | L2TP_F_L | L2TP_F_S);
}

static struct eng_held *
held_new(struct l2tp_engine *e, struct eng_tunnel *t,
         const struct l2tp_addr *peer)
{
	struct eng_held *h, **pp;

	if (e->cfg.max_held && e->nheld >= e->cfg.max_held) {
		e->st.refused_held++;
		eng_refused(e, t,
		            "step mode: %zu messages held (limit %u): this one "
		            "is dropped as if lost",
		            e->nheld, e->cfg.max_held);
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->id = ++e->held_seq;
	h->tid = t ? t->lid : 0;
	h->peer = t ? t->peer : *peer;
	h->held_at = e->now;
	h->release_at = ENG_NEVER;
	/* Held items are the operator's handful: a list is enough. */
	for (pp = &e->held; *pp; pp = &(*pp)->next)
		;
	*pp = h;
	e->nheld++;
	eng_setup_hold(e, t, +1);
	return h;
}

static void
held_unlink(struct l2tp_engine *e, struct eng_held *h)
{
	for (struct eng_held **pp = &e->held; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			e->nheld--;
			if (h->tid)
				eng_setup_hold(e, eng_tunnel_find(e, h->tid),
				               -1);
			return;
		}
}

static void
held_free(struct l2tp_engine *e, struct eng_held *h)
{
	eng_buf_free(e, h->buf);
	free(h);
}

static struct eng_held *
held_find(const struct l2tp_engine *e, unsigned id)
{
	for (struct eng_held *h = e->held; h; h = h->next)
		if (h->id == id)
			return h;
	return NULL;
}

static void
held_event(struct l2tp_engine *e, const struct eng_tunnel *t,
           const struct eng_held *h)
{
	struct l2tp_event *ev = eng_ev(e, L2TP_EV_HELD, t, NULL);
	char nb[24];
	const struct eng_buf *b = h->buf;

	if (ev == NULL)
		return;
	ev->msg_type = h->zlb ? -1 : b->msg_type;
	ev->count = h->id;
	ev->outgoing = !h->received;
	if (h->ppp_proto) {
		int code = b->len > h->ppp_off ? b->data[h->ppp_off] : -1;

		ev->session = h->sid;
		ev->proto = h->ppp_proto;
		ev->code = code;
		eng_ev_text(
		    e, ev, "%s %u: PPP %s %s %s session %u held (%s)",
		    h->received ? "received" : "draft", h->id,
		    l2tp_ppp_proto_name(h->ppp_proto),
		    code < 0 ? "(empty)"
		             : l2tp_ppp_code_name(h->ppp_proto, (uint8_t)code),
		    h->received ? "for" : "of", h->sid,
		    h->received ? "process or discard it"
		                : "release, edit, drop, duplicate or "
		                  "delay it");
	} else if (h->received) {
		ev->ns = rd16(b->data + OFF_NS);
		ev->nr = rd16(b->data + OFF_NR);
		eng_ev_text(
		    e, ev,
		    "received %u%s: %s Ns %u Nr %u held (process or discard "
		    "it)",
		    h->id, h->tid ? "" : " from a new peer",
		    l2tp_msg_name(b->msg_type, nb, sizeof(nb)), ev->ns, ev->nr);
	} else if (h->rtx) {
		ev->ns = h->rtx_ns;
		eng_ev_text(
		    e, ev,
		    "draft %u: retransmission of %s Ns %u held "
		    "(release, drop, duplicate or delay it; its timer waits)",
		    h->id, l2tp_msg_name(b->msg_type, nb, sizeof(nb)),
		    h->rtx_ns);
	} else {
		eng_ev_text(e, ev,
		            "draft %u: %s held (release, edit, drop, "
		            "duplicate or delay it)",
		            h->id,
		            h->zlb
		                ? "ZLB"
		                : l2tp_msg_name(b->msg_type, nb, sizeof(nb)));
	}
	eng_ev_msg(e, ev, b->data, b->len);
}

int
eng_step_hold_draft(struct l2tp_engine *e, struct eng_tunnel *t,
                    struct eng_buf *b)
{
	struct eng_held *h = held_new(e, t, NULL);

	if (h == NULL) {
		eng_buf_free(e, b);
		return L2TP_E_NOMEM;
	}
	h->buf = b;
	held_event(e, t, h);
	return 0;
}

/*
 * A message timed out on a tunnel in step mode: its retransmission is held
 * as a draft (a copy of the message as it would go, with the current Nr).
 * Released, it goes as a retransmission (counted, its timeout doubled);
 * dropped, it counts toward the retry limit as a send that was lost, so
 * stepping through a dead peer still ends in the give-up; acknowledged
 * meanwhile, it is withdrawn.  It cannot be edited: the peer must see the
 * message it already has (craft a message to send something else).
 */
int
eng_step_hold_rtx(struct l2tp_engine *e, struct eng_tunnel *t,
                  const struct eng_buf *b)
{
	struct eng_buf *c = eng_buf_new(e, b->data, b->len);
	struct eng_held *h;

	if (c == NULL)
		return L2TP_E_NOMEM;
	if ((h = held_new(e, t, NULL)) == NULL) {
		eng_buf_free(e, c);
		return L2TP_E_NOMEM;
	}
	c->msg_type = b->msg_type;
	if (!b->keep_nr)
		wr16(c->data + OFF_NR, t->nr);
	h->buf = c;
	h->rtx = true;
	h->rtx_ns = b->ns;
	held_event(e, t, h);
	return 0;
}

void
eng_step_rtx_acked(struct l2tp_engine *e, struct eng_tunnel *t,
                   const struct eng_buf *b)
{
	for (struct eng_held *h = e->held; h; h = h->next) {
		if (!h->rtx || h->tid != t->lid || h->rtx_ns != b->ns)
			continue;
		eng_emit(e, L2TP_EV_HELD, t, NULL,
		         "draft %u withdrawn: Ns %u "
		         "was acknowledged before its retransmission went",
		         h->id, b->ns);
		held_unlink(e, h);
		held_free(e, h);
		return;
	}
}

/* The timed-out message a held retransmission stands for, or NULL. */
static struct eng_buf *
rtx_buf(const struct eng_tunnel *t, const struct eng_held *h)
{
	for (struct eng_buf *b = t ? t->txq : NULL; b && b->sent; b = b->next)
		if (b->rtx_held && b->ns == h->rtx_ns)
			return b;
	return NULL;
}

void
eng_step_hold_zlb(struct l2tp_engine *e, struct eng_tunnel *t)
{
	struct l2tp_builder b;
	uint8_t z[12];
	struct eng_held *h;

	/* One ZLB draft per tunnel is enough: it acks what came before. */
	for (h = e->held; h; h = h->next)
		if (h->zlb && h->tid == t->lid)
			return;
	l2tp_build_control(&b, z, sizeof(z), t->rid, 0, t->ns_next, t->nr);
	if (l2tp_build_end(&b) != 12)
		return;
	h = held_new(e, t, NULL);
	if (h == NULL)
		return;
	h->zlb = true;
	h->buf = eng_buf_new(e, z, 12);
	if (h->buf == NULL) {
		held_unlink(e, h);
		free(h);
		return;
	}
	held_event(e, t, h);
}

void
eng_step_hold_rx(struct l2tp_engine *e, struct eng_tunnel *t,
                 const struct l2tp_addr *from, const uint8_t *buf, size_t len)
{
	struct eng_held *h = held_new(e, t, from);

	if (h == NULL)
		return; /* as if lost */
	h->received = true;
	h->peer = *from;
	h->buf = eng_buf_new(e, buf, len);
	if (h->buf == NULL) {
		held_unlink(e, h);
		free(h);
		return;
	}
	h->buf->msg_type = e->rxm.msg_type;
	held_event(e, t, h);
}

/* A PPP control frame in a data message of session s: one we would send
 * (Ns filled in when it goes) or one received (processed on release). */
int
eng_step_hold_ppp(struct l2tp_engine *e, struct eng_tunnel *t,
                  struct eng_session *s, uint16_t proto, bool received,
                  const struct l2tp_addr *from, const uint8_t *buf, size_t len)
{
	struct eng_held *h = held_new(e, t, from);
	uint16_t p2;
	struct l2tp_bytes pl;
	size_t hdr = (rd16(buf) & L2TP_F_S) ? 12 : 8;

	if (h == NULL)
		return L2TP_E_NOMEM; /* as if lost */
	h->received = received;
	if (from)
		h->peer = *from;
	h->ppp_proto = proto;
	h->sid = s->lid;
	h->buf = eng_buf_new(e, buf, len);
	if (h->buf == NULL) {
		held_unlink(e, h);
		free(h);
		return L2TP_E_NOMEM;
	}
	h->buf->msg_type = -1;
	h->buf->lsid = s->lid;
	/* Where the PPP packet begins: after the header, any Offset pad
	 * and the frame header (ours are built; received ones were read). */
	if (rd16(buf) & L2TP_F_O && len >= hdr + 2)
		hdr += 2 + rd16(buf + hdr);
	h->ppp_off = (uint16_t)len;
	if (hdr <= len &&
	    l2tp_ppp_read_frame(buf + hdr, len - hdr, &p2, &pl) == 0)
		h->ppp_off = (uint16_t)(pl.p - buf);
	held_event(e, t, h);
	return 0;
}

void
eng_step_forget_tunnel(struct l2tp_engine *e, uint16_t lid)
{
	struct eng_held **pp = &e->held, *h;

	while ((h = *pp) != NULL) {
		if (h->tid == lid && lid != 0) {
			*pp = h->next;
			e->nheld--;
			held_free(e, h);
		} else {
			pp = &h->next;
		}
	}
}

void
eng_step_free(struct l2tp_engine *e)
{
	while (e->held) {
		struct eng_held *h = e->held;

		e->held = h->next;
		held_free(e, h);
	}
	e->nheld = 0;
}

uint64_t
eng_step_expiry(const struct l2tp_engine *e)
{
	uint64_t x = ENG_NEVER;

	for (const struct eng_held *h = e->held; h; h = h->next)
		if (h->release_at < x)
			x = h->release_at;
	return x;
}

/* Send or process one held item and free it. */
static void
release(struct l2tp_engine *e, struct eng_held *h, bool dup)
{
	struct eng_tunnel *t = h->tid ? eng_tunnel_find(e, h->tid) : NULL;
	struct eng_buf *b = h->buf;
	char nb[24];

	held_unlink(e, h);
	if (h->ppp_proto && !h->received) {
		struct eng_session *s = eng_session_find(e, h->sid);

		if (s == NULL || s->dead || s->state != L2TP_SS_ESTABLISHED) {
			eng_emit(e, L2TP_EV_HELD, t, NULL,
			         "draft %u: session %u is gone: nothing sent",
			         h->id, h->sid);
		} else {
			eng_sess_send_held(e, s, b->data, b->len, dup);
			/* An edited Configure-Request is the link's own from
			 * now on: the Ack is checked against it. */
			if (h->ppp_edited && s->ppp && b->len > h->ppp_off &&
			    b->data[h->ppp_off] == 1)
				l2tp_ppp_request_edited(s->ppp, h->ppp_proto,
				                        b->data + h->ppp_off,
				                        b->len - h->ppp_off);
		}
		held_free(e, h);
		return;
	}
	if (h->received) {
		eng_rx_control(e, &h->peer, b->data, b->len, true);
		held_free(e, h);
		return;
	}
	if (t == NULL) {
		held_free(e, h);
		return;
	}
	if (h->rtx) {
		struct eng_buf *rb = rtx_buf(t, h);

		if (rb)
			eng_retransmit(e, t, rb, dup);
		else
			eng_emit(e, L2TP_EV_HELD, t, NULL,
			         "draft %u: Ns %u is "
			         "no longer waiting for an ack: nothing sent",
			         h->id, h->rtx_ns);
		held_free(e, h);
		return;
	}
	if (h->zlb) {
		eng_send_zlb_now(e, t, h->once ? rd16(b->data + OFF_NS) : -1,
		                 h->keep_nr ? rd16(b->data + OFF_NR) : -1, dup);
	} else if (h->once) {
		if (b->then_state >= 0)
			eng_apply_then(e, t, b);
		if (!h->keep_nr && standard_layout(b))
			wr16(b->data + OFF_NR, t->nr);
		for (int i = 0; i < (dup ? 2 : 1); i++) {
			eng_send_dgram(e, &t->peer, t->lid, b->data, b->len);
			t->ctl_out++;
		}
		struct l2tp_event *ev = eng_ev(e, L2TP_EV_MSG_OUT, t, NULL);

		if (ev) {
			ev->outgoing = ev->ok = true;
			ev->msg_type = b->msg_type;
			eng_ev_text(e, ev,
			            "%s sent %s as edited (not "
			            "retransmitted)",
			            l2tp_msg_name(b->msg_type, nb, sizeof(nb)),
			            dup ? "twice" : "once");
			eng_ev_msg(e, ev, b->data, b->len);
		}
	} else {
		b->keep_nr = h->keep_nr;
		b->dup = dup;
		eng_txq_append(t, b);
		h->buf = NULL;
		eng_pump(e, t);
		/* Now that it is on its way, the FSM moves (§7.2). */
		if (b->then_state >= 0 && !t->dead)
			eng_apply_then(e, t, b);
	}
	held_free(e, h);
}

void
eng_step_timers(struct l2tp_engine *e)
{
	/* Restart after each release: releasing changes the list. */
	for (size_t guard = e->nheld + 1; guard--;) {
		struct eng_held *h;

		for (h = e->held; h; h = h->next)
			if (h->release_at <= e->now)
				break;
		if (h == NULL)
			return;
		release(e, h, false);
	}
}

int
l2tp_engine_tunnel_set_mode(struct l2tp_engine *e, uint16_t lid,
                            enum l2tp_mode mode, uint64_t now_ms)
{
	struct eng_tunnel *t = eng_tunnel_find(e, lid);

	if (t == NULL)
		return L2TP_E_NOTUNNEL;
	if (mode != L2TP_MODE_AUTO && mode != L2TP_MODE_STEP)
		return L2TP_E_INVAL;
	eng_enter(e);
	e->now = now_ms;
	t->mode = (uint8_t)mode;
	if (mode == L2TP_MODE_AUTO) {
		for (size_t guard = e->nheld + 1; guard--;) {
			struct eng_held *h;

			for (h = e->held; h && h->tid != lid; h = h->next)
				;
			if (h == NULL)
				break;
			release(e, h, false);
		}
	}
	eng_leave(e);
	return 0;
}

size_t
l2tp_engine_held_ids(const struct l2tp_engine *e, uint16_t tid, unsigned *ids,
                     size_t cap)
{
	size_t n = 0;

	for (const struct eng_held *h = e->held; h; h = h->next) {
		if (tid && h->tid != tid)
			continue;
		if (n < cap)
			ids[n] = h->id;
		n++;
	}
	return n;
}

int
l2tp_engine_held_info(const struct l2tp_engine *e, unsigned id,
                      struct l2tp_held_info *o)
{
	const struct eng_held *h = held_find(e, id);

	if (h == NULL)
		return L2TP_E_INVAL;
	memset(o, 0, sizeof(*o));
	o->id = h->id;
	o->kind = h->received ? L2TP_HELD_RECEIVED : L2TP_HELD_DRAFT;
	o->tunnel = h->tid;
	o->peer = h->peer;
	o->msg_type = h->zlb ? -1 : h->buf->msg_type;
	o->data = h->buf->data;
	o->len = h->buf->len;
	o->held_ms = h->held_at;
	o->release_ms = h->release_at;
	o->once = h->once;
	o->retransmission = h->rtx;
	o->ns_at_send = !h->received && !h->once && !h->rtx;
	o->nr_at_send = !h->received && !h->keep_nr;
	o->ppp_proto = h->ppp_proto;
	o->session = h->sid;
	if (h->ppp_proto)
		o->ns_at_send = o->nr_at_send = false;
	return 0;
}

static int
act(struct l2tp_engine *e, unsigned id, uint64_t now, int what)
{
	struct eng_held *h = held_find(e, id);

	if (h == NULL || (what == 2 && h->received))
		return L2TP_E_INVAL;
	eng_enter(e);
	e->now = now;
	if (what == 1) {
		struct eng_tunnel *t = eng_tunnel_find(e, h->tid);

		struct eng_buf *rb = h->rtx ? rtx_buf(t, h) : NULL;

		eng_emit(e, L2TP_EV_HELD, t, NULL, "%s %u dropped%s",
		         h->received ? "received" : "draft", h->id,
		         rb ? ": the retransmission counts as sent and lost"
		            : "");
		if (rb)
			eng_retransmit_skip(e, t, rb);
		held_unlink(e, h);
		held_free(e, h);
	} else {
		release(e, h, what == 2);
	}
	eng_leave(e);
	return 0;
}

int
l2tp_engine_held_release(struct l2tp_engine *e, unsigned id, uint64_t now_ms)
{
	return act(e, id, now_ms, 0);
}

int
l2tp_engine_held_drop(struct l2tp_engine *e, unsigned id, uint64_t now_ms)
{
	return act(e, id, now_ms, 1);
}

int
l2tp_engine_held_duplicate(struct l2tp_engine *e, unsigned id, uint64_t now_ms)
{
	return act(e, id, now_ms, 2);
}

int
l2tp_engine_held_delay(struct l2tp_engine *e, unsigned id, uint32_t ms,
                       uint64_t now_ms)
{
	struct eng_held *h = held_find(e, id);

	if (h == NULL)
		return L2TP_E_INVAL;
	h->release_at = now_ms + ms;
	return 0;
}

/* ---- editing drafts ---- */

/* An L2TP draft (a PPP draft is edited with draft_set_ppp). */
static struct eng_held *
draft(struct l2tp_engine *e, unsigned id)
{
	struct eng_held *h = held_find(e, id);

	return h && !h->received && !h->ppp_proto ? h : NULL;
}

int
l2tp_engine_draft_set_ppp(struct l2tp_engine *e, unsigned id, const uint8_t *p,
                          size_t len)
{
	struct eng_held *h = held_find(e, id);
	struct eng_buf *nb;
	size_t n;

	if (h == NULL || h->received || !h->ppp_proto || (len && !p))
		return L2TP_E_INVAL;
	n = (size_t)h->ppp_off + len;
	if (n > 0xffff)
		return L2TP_E_TOOBIG;
	nb = eng_buf_new(e, h->buf->data, h->ppp_off);
	if (nb == NULL)
		return L2TP_E_NOMEM;
	if (nb->cap < n) {
		/* eng_buf_new sized it for the header only */
		eng_buf_free(e, nb);
		if ((nb = malloc(sizeof(*nb) + n)) == NULL)
			return L2TP_E_NOMEM;
		memset(nb, 0, sizeof(*nb));
		nb->cap = (uint32_t)n;
		memcpy(nb->data, h->buf->data, h->ppp_off);
	}
	memcpy(nb->data + h->ppp_off, p, len);
	nb->len = (uint32_t)n;
	nb->msg_type = -1;
	nb->lsid = h->buf->lsid;
	if (rd16(nb->data) & L2TP_F_L)
		wr16(nb->data + 2, (uint16_t)n);
	eng_buf_free(e, h->buf);
	h->buf = nb;
	h->ppp_edited = true;
	return 0;
}

/*
 * Rebuild a draft's AVPs: every AVP of (vendor, type) is replaced by sp
 * (the first one; the others go) or removed (sp NULL); sp is appended
 * when absent.
 */
static int
rebuild(struct l2tp_engine *e, struct eng_held *h, uint16_t vendor,
        uint16_t type, const struct l2tp_avp_spec *sp)
{
	struct eng_buf *old = h->buf, *nb;
	struct eng_tunnel *t = eng_tunnel_find(e, h->tid);
	struct l2tp_msg *m = &e->rxm;
	struct l2tp_builder b;
	const struct l2tp_avp *rv = NULL;
	const char *secret = t ? eng_secret_for(e, t) : NULL;
	bool done = false;
	int n;

	if (h->zlb)
		return L2TP_E_INVAL;
	if (sp && sp->h && secret == NULL)
		return L2TP_E_NOSECRET;
	if (sp && sp->len > L2TP_AVP_MAXLEN - L2TP_AVP_HDR - 2)
		return L2TP_E_TOOBIG;
	if (l2tp_parse(old->data, old->len, old->len, L2TP_UDP, NULL, m) < 0)
		return L2TP_E_STATE;
	memset(&b, 0, sizeof(b));
	b.buf = e->build;
	b.cap = ENG_SCRATCH;
	memcpy(e->build, old->data, m->hdr_len);
	b.len = m->hdr_len;
	b.control = true;
	b.has_length = (rd16(old->data) & L2TP_F_L) != 0;
	b.len_off = 2;
	for (size_t i = 0; i <= m->navps; i++) {
		const struct l2tp_avp *a = i < m->navps ? &m->avps[i] : NULL;
		bool match = a && a->vendor == vendor && a->type == type;

		if ((match || a == NULL) && sp && !done) {
			if (sp->h) {
				if (rv) {
					size_t rl = rv->value.len < 16
					                ? rv->value.len
					                : 16;

					/* Hide with the message's own Random
					 * Vector (only its first 16 octets
					 * are kept by the builder). */
					memcpy(b.rv, rv->value.p, rl);
					b.rvlen = rl;
					b.secret = (const uint8_t *)secret;
					b.slen = strlen(secret);
					if (rv->value.len > 16)
						return L2TP_E_TOOBIG;
				} else {
					uint8_t r[16];

					if (eng_random(e, r, sizeof(r)) < 0)
						return L2TP_E_RANDOM;
					l2tp_build_random_vector(
					    &b, r, sizeof(r), secret);
				}
				l2tp_build_hidden(&b, sp->m, sp->vendor,
				                  sp->type, sp->value, sp->len,
				                  NULL, 0);
			} else {
				l2tp_build_avp(&b, sp->m, false, sp->vendor,
				               sp->type, sp->value, sp->len);
			}
			done = true;
			continue;
		}
		if (a == NULL || match)
			continue;
		if (a->vendor == 0 && a->type == L2TP_AVP_RANDOM_VECTOR)
			rv = a;
		l2tp_build_avp_raw(&b, rd16(a->raw.p), a->vendor, a->type,
		                   a->value.p, a->value.len);
	}
	n = l2tp_build_end(&b);
	if (n < 0)
		return L2TP_E_TOOBIG;
	nb = eng_buf_new(e, e->build, (size_t)n);
	if (nb == NULL)
		return L2TP_E_NOMEM;
	/* The rebuilt draft takes the original's place in every respect
	 * but its bytes: the state it moves to once sent, above all. */
	nb->msg_type = old->msg_type;
	nb->lsid = old->lsid;
	nb->then_state = old->then_state;
	nb->then_session = old->then_session;
	nb->keep_hdr = old->keep_hdr;
	nb->keep_nr = old->keep_nr;
	nb->dup = old->dup;
	if (vendor == 0 && type == L2TP_AVP_MESSAGE_TYPE) {
		nb->msg_type =
		    sp && sp->len == 2 && !sp->h ? rd16(sp->value) : -1;
	}
	eng_buf_free(e, old);
	h->buf = nb;
	return 0;
}

int
l2tp_engine_draft_set_avp(struct l2tp_engine *e, unsigned id,
                          const struct l2tp_avp_spec *sp)
{
	struct eng_held *h = draft(e, id);

	if (h == NULL || sp == NULL || (sp->len && sp->value == NULL))
		return L2TP_E_INVAL;
	if (h->rtx)
		return L2TP_E_STATE;
	return rebuild(e, h, sp->vendor, sp->type, sp);
}

int
l2tp_engine_draft_remove_avp(struct l2tp_engine *e, unsigned id,
                             uint16_t vendor, uint16_t type)
{
	struct eng_held *h = draft(e, id);

	if (h == NULL)
		return L2TP_E_INVAL;
	if (h->rtx)
		return L2TP_E_STATE;
	return rebuild(e, h, vendor, type, NULL);
}

int
l2tp_engine_draft_set_seq(struct l2tp_engine *e, unsigned id, int ns, int nr)
{
	struct eng_held *h = draft(e, id);

	if (h == NULL || ns > 0xffff || nr > 0xffff)
		return L2TP_E_INVAL;
	if (h->rtx)
		return L2TP_E_STATE;
	if (!standard_layout(h->buf))
		return L2TP_E_STATE;
	if (ns >= 0) {
		wr16(h->buf->data + OFF_NS, (uint16_t)ns);
		h->once = true;
	}
	if (nr >= 0) {
		wr16(h->buf->data + OFF_NR, (uint16_t)nr);
		h->keep_nr = true;
	}
	return 0;
}

int
l2tp_engine_draft_set_flags(struct l2tp_engine *e, unsigned id, uint16_t flags)
{
	struct eng_held *h = draft(e, id);

	if (h == NULL)
		return L2TP_E_INVAL;
	if (h->rtx)
		return L2TP_E_STATE;
	wr16(h->buf->data, flags);
	if (flags != (L2TP_F_T | L2TP_F_L | L2TP_F_S | 2)) {
		/* Another header layout: the engine patches nothing. */
		h->once = true;
		h->keep_nr = true;
	}
	return 0;
}
