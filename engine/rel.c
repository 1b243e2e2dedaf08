/* Reliable delivery: building and queueing messages, Ns/Nr, window, slow start,
 * retransmission, ZLB acks, Hello timers, crafted messages (RFC 2661 §5.5,
 * §5.8, Appendix A). */
#include <stdio.h>
#include <string.h>

#include "engine/eng.h"

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static const char *
mname(int type, char *buf, size_t len)
{
	return l2tp_msg_name(type, buf, len);
}

/* ---- building ---- */

void
eng_mb_begin(struct eng_mb *m, struct l2tp_engine *e, struct eng_tunnel *t,
             int msg_type, uint16_t rsid, uint16_t lsid)
{
	memset(m, 0, sizeof(*m));
	m->e = e;
	m->t = t;
	m->msg_type = msg_type;
	m->lsid = lsid;
	m->then_state = -1;
	m->secret = eng_secret_for(e, t);
	m->hide = e->cfg.hide_avps && m->secret != NULL;
	l2tp_build_control(&m->b, e->build, ENG_SCRATCH, t->rid, rsid, 0, 0);
	if (msg_type >= 0)
		l2tp_build_msg_type(&m->b, (uint16_t)msg_type);
}

static void
mb_hidden(struct eng_mb *m, bool mflag, uint16_t vendor, uint16_t type,
          const void *v, size_t len)
{
	if (m->secret == NULL) {
		m->b.err = L2TP_E_NOSECRET;
		return;
	}
	if (!m->rv_done) {
		/* One Random Vector before the first hidden AVP (§4.3). */
		uint8_t rv[16];

		if (eng_random(m->e, rv, sizeof(rv)) < 0) {
			m->b.err = L2TP_E_RANDOM;
			return;
		}
		l2tp_build_random_vector(&m->b, rv, sizeof(rv), m->secret);
		m->rv_done = true;
	}
	l2tp_build_hidden(&m->b, mflag, vendor, type, v, len, NULL, 0);
}

void
eng_mb_avp(struct eng_mb *m, bool mflag, uint16_t type, const void *v,
           size_t len)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(0, type);

	if (m->hide && ai && ai->hideable)
		mb_hidden(m, mflag, 0, type, v, len);
	else
		l2tp_build_avp(&m->b, mflag, false, 0, type, v, len);
}

void
eng_mb_u16(struct eng_mb *m, bool mflag, uint16_t type, uint16_t v)
{
	uint8_t x[2];

	put16(x, v);
	eng_mb_avp(m, mflag, type, x, 2);
}

void
eng_mb_u32(struct eng_mb *m, bool mflag, uint16_t type, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                (uint8_t)(v >> 8), (uint8_t)v};

	eng_mb_avp(m, mflag, type, x, 4);
}

void
eng_mb_str(struct eng_mb *m, bool mflag, uint16_t type, const char *s)
{
	eng_mb_avp(m, mflag, type, s, strlen(s));
}

void
eng_mb_spec(struct eng_mb *m, const struct l2tp_avp_spec *sp)
{
	if (sp->raw_flags_len)
		l2tp_build_avp_raw(&m->b, sp->raw_flags_len, sp->vendor,
		                   sp->type, sp->value, sp->len);
	else if (sp->h)
		mb_hidden(m, sp->m, sp->vendor, sp->type, sp->value, sp->len);
	else
		l2tp_build_avp(&m->b, sp->m, false, sp->vendor, sp->type,
		               sp->value, sp->len);
}

void
eng_txq_append(struct eng_tunnel *t, struct eng_buf *b)
{
	b->next = NULL;
	if (t->txq_tail)
		t->txq_tail->next = b;
	else
		t->txq = b;
	t->txq_tail = b;
	t->queued++;
}

/* The state change that sending b stands for (§7.2, §7.4, §7.5). */
void
eng_apply_then(struct l2tp_engine *e, struct eng_tunnel *t, struct eng_buf *b)
{
	int st = b->then_state;

	b->then_state = -1;
	if (b->then_session) {
		struct eng_session *s = eng_session_find(e, b->lsid);

		if (s)
			eng_session_set_state(e, s, st);
	} else if (st == L2TP_TS_ESTABLISHED) {
		eng_tunnel_up(e, t);
	} else {
		eng_set_state(e, t, st);
		if (st == L2TP_TS_WAIT_CTL_REPLY)
			eng_tunnel_set_wait(e, t, true);
	}
}

int
eng_mb_queue(struct eng_mb *m)
{
	struct l2tp_engine *e = m->e;
	struct eng_buf *b;
	int n;

	if (m->b.err < -1)
		return m->b.err;
	n = l2tp_build_end(&m->b);
	if (n < 0)
		return L2TP_E_TOOBIG;
	b = eng_buf_new(e, e->build, (size_t)n);
	if (b == NULL)
		return L2TP_E_NOMEM;
	b->msg_type = m->msg_type;
	b->lsid = m->lsid;
	b->then_state = (int8_t)m->then_state;
	b->then_session = m->then_session;
	if (m->t->mode == L2TP_MODE_STEP)
		return eng_step_hold_draft(e, m->t, b);
	eng_txq_append(m->t, b);
	eng_pump(e, m->t);
	/* In auto mode the FSM moves as the message is queued, sent or not. */
	if (b->then_state >= 0 && !m->t->dead)
		eng_apply_then(e, m->t, b);
	return 0;
}

/* ---- reliable delivery ---- */

void
eng_send_zlb(struct l2tp_engine *e, struct eng_tunnel *t)
{
	if (t->mode == L2TP_MODE_STEP) {
		t->ack_at = ENG_NEVER;
		eng_step_hold_zlb(e, t);
		return;
	}
	eng_send_zlb_now(e, t, -1, -1, false);
}

/* A ZLB ack with the tunnel's Ns and Nr, or those given (>= 0). */
void
eng_send_zlb_now(struct l2tp_engine *e, struct eng_tunnel *t, int ns, int nr,
                 bool twice)
{
	struct l2tp_builder b;
	uint8_t buf[12];
	struct l2tp_event *ev;
	uint16_t xns = ns >= 0 ? (uint16_t)ns : t->ns_next;
	uint16_t xnr = nr >= 0 ? (uint16_t)nr : t->nr;

	/* Session ID 0 always: xl2tpd mis-sequences a ZLB naming a call it
	 * has already cleared (see the peer notes). */
	l2tp_build_control(&b, buf, sizeof(buf), t->rid, 0, xns, xnr);
	if (l2tp_build_end(&b) != 12)
		return;
	for (int i = 0; i < (twice ? 2 : 1); i++) {
		eng_send_dgram(e, &t->peer, t->lid, buf, 12);
		t->zlb_out++;
	}
	if (nr < 0)
		t->ack_at = ENG_NEVER;
	ev = eng_ev(e, L2TP_EV_ZLB_OUT, t, NULL);
	if (ev) {
		ev->outgoing = true;
		ev->ns = xns;
		ev->nr = xnr;
		eng_ev_text(e, ev, "ZLB Ns %u Nr %u%s", xns, xnr,
		            twice ? " (sent twice)" : "");
		eng_ev_msg(e, ev, buf, 12);
	}
}

static void
transmit(struct l2tp_engine *e, struct eng_tunnel *t, struct eng_buf *b)
{
	bool first = !b->sent;
	struct l2tp_event *ev;
	char nb[24];

	if (first) {
		if (b->keep_hdr) {
			b->ns = (uint16_t)(b->data[OFF_NS] << 8 |
			                   b->data[OFF_NS + 1]);
		} else {
			b->ns = t->ns_next;
			put16(b->data + OFF_TUNNEL, t->rid);
			put16(b->data + OFF_NS, b->ns);
		}
		t->ns_next++;
		b->sent = true;
		b->first_at = e->now;
		b->rto = e->cfg.rtx_min_ms;
		t->inflight++;
		t->queued--;
		if (b->msg_type == L2TP_HELLO)
			t->hellos_out++;
	}

	/* Every transmission carries the current Nr (§5.8). */
	if (!b->keep_nr)
		put16(b->data + OFF_NR, t->nr);
	b->tries++;
	b->next_at = e->now + b->rto;
	eng_send_dgram(e, &t->peer, t->lid, b->data, b->len);
	t->ctl_out++;
	if (b->dup) {
		/* Step mode's "duplicate": the same datagram twice. */
		b->dup = false;
		eng_send_dgram(e, &t->peer, t->lid, b->data, b->len);
		t->ctl_out++;
	}
	t->ack_at = ENG_NEVER;
	ev = eng_ev(e, first ? L2TP_EV_MSG_OUT : L2TP_EV_RETRANSMIT, t,
	            b->lsid ? eng_session_find(e, b->lsid) : NULL);
	if (ev) {
		ev->outgoing = true;
		ev->ok = true;
		ev->msg_type = b->msg_type;
		ev->ns = b->ns;
		ev->nr = t->nr;
		ev->count = b->tries;
		if (first)
			eng_ev_text(e, ev, "%s Ns %u Nr %u",
			            mname(b->msg_type, nb, sizeof(nb)), b->ns,
			            t->nr);
		else
			eng_ev_text(
			    e, ev,
			    "%s Ns %u Nr %u retransmitted (send %u, %llu ms "
			    "after the first)",
			    mname(b->msg_type, nb, sizeof(nb)), b->ns, t->nr,
			    b->tries,
			    (unsigned long long)(e->now - b->first_at));
		eng_ev_msg(e, ev, b->data, b->len);
	}
}

void
eng_retransmit(struct l2tp_engine *e, struct eng_tunnel *t, struct eng_buf *b,
               bool dup)
{
	b->rtx_held = false;
	b->rto =
	    b->rto * 2 > e->cfg.rtx_max_ms ? e->cfg.rtx_max_ms : b->rto * 2;
	t->retransmits++;
	b->dup = dup;
	transmit(e, t, b);
	eng_rearm(e, t);
}

void
eng_retransmit_skip(struct l2tp_engine *e, struct eng_tunnel *t,
                    struct eng_buf *b)
{
	b->rtx_held = false;
	b->rto =
	    b->rto * 2 > e->cfg.rtx_max_ms ? e->cfg.rtx_max_ms : b->rto * 2;
	b->tries++;
	b->skipped++;
	b->next_at = e->now + b->rto;
	eng_rearm(e, t);
}

/* Send what the window allows (slow start / congestion avoidance). */
void
eng_pump(struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint16_t lim = t->cwnd < t->peer_rws ? t->cwnd : t->peer_rws;

	if (lim > ENG_MAX_INFLIGHT)
		lim = ENG_MAX_INFLIGHT;
	if (lim == 0)
		lim = 1;
	for (struct eng_buf *b = t->txq; b && t->inflight < lim; b = b->next)
		if (!b->sent)
			transmit(e, t, b);
	eng_rearm(e, t);
}

void
eng_txq_drop(struct l2tp_engine *e, struct eng_tunnel *t, bool keep_sent)
{
	struct eng_buf **pp = &t->txq, *b;

	t->txq_tail = NULL;
	while ((b = *pp) != NULL) {
		if (keep_sent && b->sent) {
			t->txq_tail = b;
			pp = &b->next;
			continue;
		}
		*pp = b->next;
		if (b->sent)
			t->inflight--;
		else
			t->queued--;
		eng_buf_free(e, b);
	}
}

void
eng_rx_ack(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t nr)
{
	uint16_t una = t->inflight ? t->txq->ns : t->ns_next;

	if (l2tp_seq_lt(t->ns_next, nr)) {
		eng_emit(
		    e, L2TP_EV_ANOMALY, t, NULL,
		    "Nr %u acknowledges messages never sent (next Ns is %u)",
		    nr, t->ns_next);
		return;
	}
	if (l2tp_seq_lt(nr, una))
		return; /* an old acknowledgement */
	while (t->txq && t->txq->sent && l2tp_seq_lt(t->txq->ns, nr)) {
		struct eng_buf *b = t->txq;

		t->txq = b->next;
		if (t->txq == NULL)
			t->txq_tail = NULL;
		t->inflight--;
		if (b->rtx_held)
			eng_step_rtx_acked(e, t, b);
		eng_buf_free(e, b);
		/* Appendix A: +1 per ack below ssthresh, +1/cwnd above. */
		if (t->cwnd < t->ssthresh) {
			t->cwnd++;
		} else if (++t->ca_acks >= t->cwnd) {
			t->cwnd++;
			t->ca_acks = 0;
		}
		if (t->cwnd > t->peer_rws)
			t->cwnd = t->peer_rws;
	}
}

/* ---- timers ---- */

static bool
hello_outstanding(const struct eng_tunnel *t)
{
	for (const struct eng_buf *b = t->txq; b; b = b->next)
		if (b->msg_type == L2TP_HELLO)
			return true;
	return false;
}

static void
send_hello(struct l2tp_engine *e, struct eng_tunnel *t)
{
	struct eng_mb m;

	eng_mb_begin(&m, e, t, L2TP_HELLO, 0, 0);
	eng_mb_queue(&m);
}

void
eng_tunnel_timers(struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint64_t now = e->now;
	bool lost = false;
	char nb[24];

	if (now >= t->hold_at) {
		eng_emit(e, L2TP_EV_TIMER, t, NULL,
		         "tunnel %u: closing hold of %llu ms over", t->lid,
		         (unsigned long long)e->cycle_ms);
		eng_set_state(e, t, L2TP_TS_IDLE);
		eng_tunnel_kill(e, t);
		return;
	}
	if (t->nheld == 0 && (now >= t->setup_at || now >= t->call_at)) {
		eng_setup_timers(e, t);
		if (t->dead)
			return;
	}
	if (now >= t->ppp_at) {
		eng_sess_timers(e, t);
		if (t->dead)
			return;
	}
	for (struct eng_buf *b = t->txq; b && b->sent; b = b->next) {
		struct l2tp_event *ev;

		if (b->next_at > now || b->rtx_held)
			continue;
		if (b->tries > e->cfg.rtx_retries) {
			ev = eng_ev(e, L2TP_EV_GIVE_UP, t, NULL);
			if (ev) {
				ev->msg_type = b->msg_type;
				ev->ns = b->ns;
				ev->count = b->tries;
				eng_ev_text(
				    e, ev,
				    "tunnel %u: %s Ns %u never acknowledged: "
				    "sent %u times over %llu ms%s; tunnel "
				    "cleared",
				    t->lid, mname(b->msg_type, nb, sizeof(nb)),
				    b->ns, b->tries - b->skipped,
				    (unsigned long long)(now - b->first_at),
				    b->skipped ? " (retransmissions dropped "
				                 "in step mode count as sends)"
				               : "");
			}
			if (b->msg_type != L2TP_STOPCCN) {
				t->last_result = 2;
				t->last_error = 0;
				snprintf(
				    t->last_message, sizeof(t->last_message),
				    "%s Ns %u unacknowledged after %u sends",
				    mname(b->msg_type, nb, sizeof(nb)), b->ns,
				    b->tries);
			}
			eng_set_state(e, t, L2TP_TS_IDLE);
			eng_tunnel_kill(e, t);
			return;
		}
		/*
		 * On a timeout: ssthresh = cwnd/2, cwnd = 1 (Appendix A), once
		 * per loss event: messages timing out together are one loss.
		 * With cwnd 1 only the oldest goes again; the others wait one
		 * more timeout of their own (an ack for the oldest usually
		 * covers them) and are not counted as sent.
		 */
		if (lost) {
			b->next_at = now + b->rto;
			continue;
		}
		lost = true;
		t->ssthresh = t->cwnd / 2 ? t->cwnd / 2 : 1;
		t->cwnd = 1;
		t->ca_acks = 0;
		/*
		 * Step mode: nothing leaves without the operator, so the
		 * retransmission is held as a draft and this message's timer
		 * waits for it (no memory: it goes as in auto mode).
		 */
		if (t->mode == L2TP_MODE_STEP &&
		    eng_step_hold_rtx(e, t, b) == 0) {
			b->rtx_held = true;
			b->next_at = ENG_NEVER;
			continue;
		}
		eng_retransmit(e, t, b, false);
	}
	if (now >= t->ack_at)
		eng_send_zlb(e, t);
	if (now >= t->hello_at) {
		t->hello_at = t->hello_ms ? now + t->hello_ms : ENG_NEVER;
		if (t->state == L2TP_TS_ESTABLISHED && !hello_outstanding(t)) {
			eng_emit(e, L2TP_EV_TIMER, t, NULL,
			         "tunnel %u: nothing received for %u ms: Hello",
			         t->lid, t->hello_ms);
			send_hello(e, t);
		}
	}
	eng_rearm(e, t);
}

/* Insert a message received ahead of Nr into the queue, by Ns. */
void
eng_ooo_insert(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t ns,
               const uint8_t *buf, size_t len)
{
	struct eng_buf **pp = &t->ooo, *b;

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->ns == ns)
			return; /* already queued */
		if (l2tp_seq_lt(ns, (*pp)->ns))
			break;
	}
	b = eng_buf_new(e, buf, len);
	if (b == NULL)
		return; /* as if lost: the peer retransmits */
	b->ns = ns;
	b->next = *pp;
	*pp = b;
	t->nooo++;
	e->nooo++;
}

/* ---- crafted messages ---- */

int
l2tp_engine_send_craft(struct l2tp_engine *e, uint16_t tid,
                       const struct l2tp_addr *to, const struct l2tp_craft *c,
                       uint64_t now_ms)
{
	struct eng_tunnel *t = NULL;
	struct eng_mb m;
	struct l2tp_event *ev;
	char nb[24];
	int n, rc = 0;

	if (c == NULL || (c->navps && c->avps == NULL))
		return L2TP_E_INVAL;
	if (tid) {
		t = eng_tunnel_find(e, tid);
		if (t == NULL)
			return L2TP_E_NOTUNNEL;
	} else if (to == NULL) {
		return L2TP_E_INVAL;
	}
	eng_enter(e);
	e->now = now_ms;
	memset(&m, 0, sizeof(m));
	m.e = e;
	m.t = t;
	m.msg_type = c->msg_type;
	m.secret = t ? eng_secret_for(e, t) : eng_secret_lookup(e, to, NULL);
	l2tp_build_header(&m.b, e->build, ENG_SCRATCH,
	                  c->set_flags ? c->flags
	                               : L2TP_F_T | L2TP_F_L | L2TP_F_S | 2,
	                  c->set_tunnel ? c->tunnel
	                  : t           ? t->rid
	                                : 0,
	                  c->set_session ? c->session : 0,
	                  c->set_ns ? c->ns
	                  : t       ? t->ns_next
	                            : 0,
	                  c->set_nr ? c->nr
	                  : t       ? t->nr
	                            : 0,
	                  0);
	if (c->set_length)
		l2tp_build_set_length(&m.b, c->length);
	if (c->msg_type >= 0)
		l2tp_build_msg_type(&m.b, (uint16_t)c->msg_type);
	for (size_t i = 0; i < c->navps; i++)
		eng_mb_spec(&m, &c->avps[i]);
	if (m.b.err < -1) {
		rc = m.b.err;
		goto out;
	}
	n = l2tp_build_end(&m.b);
	if (n < 0) {
		rc = L2TP_E_TOOBIG;
		goto out;
	}
	if (t && c->reliable && !c->set_ns && !c->set_flags && !c->set_length &&
	    c->msg_type >= 0) {
		struct eng_buf *b = eng_buf_new(e, e->build, (size_t)n);

		if (b == NULL) {
			rc = L2TP_E_NOMEM;
			goto out;
		}
		b->msg_type = c->msg_type;
		b->keep_hdr = c->set_tunnel || c->set_session;
		b->keep_nr = c->set_nr;
		if (b->keep_hdr)
			/* Ns is still the tunnel's: write it now. */
			b->data[OFF_NS] = (uint8_t)(t->ns_next >> 8),
			b->data[OFF_NS + 1] = (uint8_t)t->ns_next;
		eng_txq_append(t, b);
		eng_pump(e, t);
		goto out;
	}
	rc = eng_send_dgram(e, t ? &t->peer : to, t ? t->lid : 0, e->build,
	                    (size_t)n);
	if (rc < 0)
		goto out;
	if (t) {
		if (c->msg_type < 0 && c->navps == 0)
			t->zlb_out++;
		else
			t->ctl_out++;
	}
	ev = eng_ev(e, L2TP_EV_MSG_OUT, t, NULL);
	if (ev) {
		ev->outgoing = ev->ok = true;
		ev->msg_type = c->msg_type;
		eng_ev_text(e, ev, "crafted %s sent once, unsequenced",
		            mname(c->msg_type, nb, sizeof(nb)));
		eng_ev_msg(e, ev, e->build, (size_t)n);
	}
out:
	eng_leave(e);
	return rc;
}
