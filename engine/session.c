/* The PPP of connected calls and their data messages: one PPP end per call,
 * frames in and out of data messages with L, S, O and P (RFC 2661 §3.1, §5.4,
 * §4.4.5 proxy AVPs; RFC 1661 carried as PPP.md says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"
#include "decoder/rd.h"
#include "engine/eng.h"

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Control protocols (RFC 1661 §2: 0x8xxx NCPs, 0xcxxx link control) are
 * the ones step mode holds; IP goes through. */
static bool
ppp_control(uint16_t proto)
{
	return proto >= 0x8000;
}

/* ---- out ---- */

/*
 * One data message: T=0, L=1, S when sequencing is on (Nr 0: reserved in
 * data, §3.1), P for LCP Echo-Request/Reply (keepalives go first, §5.4),
 * then 0xff 0x03 and the protocol (PPP.md: we keep both).  Returns the
 * length, 0 when it does not fit.
 */
static size_t
build_data(const struct eng_session *s, uint8_t *out, size_t cap, uint16_t ns,
           uint16_t proto, const uint8_t *p, size_t len)
{
	uint16_t f = L2TP_F_L | 2;
	size_t h = 8, n;

	if (s->seq_on) {
		f |= L2TP_F_S;
		h = 12;
	}
	if (proto == L2TP_PPP_LCP && len >= 1 && (p[0] == 9 || p[0] == 10))
		f |= L2TP_F_P;
	if (cap < h + 4 || cap - h - 4 < len || h + 4 + len > 0xffff)
		return 0;
	wr16(out, f);
	wr16(out + 4, s->t->rid);
	wr16(out + 6, s->rid);
	if (s->seq_on) {
		wr16(out + 8, ns);
		wr16(out + 10, 0);
	}
	n = h + l2tp_ppp_build_frame_hdr(out + h, proto, false, false);
	if (len)
		memcpy(out + n, p, len);
	n += len;
	wr16(out + 2, (uint16_t)n);
	return n;
}

/* A PPP control packet we send, shown (ladder, history, display packet). */
static void
sent_event(struct l2tp_engine *e, struct eng_session *s, const uint8_t *msg,
           size_t n, size_t h)
{
	struct l2tp_event *ev;
	struct l2tp_bytes pl;
	uint16_t proto;

	if (!((e->cfg.ppp_event_mask >> L2TP_EV_PPP_SENT) & 1u) ||
	    l2tp_ppp_read_frame(msg + h, n - h, &proto, &pl) < 0 ||
	    !ppp_control(proto) || pl.len < 4)
		return;
	ev = eng_ev(e, L2TP_EV_PPP, s->t, s);
	if (ev == NULL)
		return;
	ev->ppp_kind = L2TP_EV_PPP_SENT;
	ev->proto = proto;
	ev->code = pl.p[0];
	ev->ok = ev->outgoing = true;
	eng_ev_text(e, ev, "session %u: sent %s %s id %u len %zu", s->lid,
	            l2tp_ppp_proto_name(proto),
	            l2tp_ppp_code_name(proto, pl.p[0]), pl.p[1], pl.len);
	eng_ev_msg(e, ev, msg, n);
}

/* A built data message goes: its Ns taken, counted. */
static void
data_out(struct l2tp_engine *e, struct eng_session *s, uint8_t *msg, size_t n,
         size_t payload, int times)
{
	for (int i = 0; i < times; i++)
		if (eng_send_dgram(e, &s->t->peer, s->t->lid, msg, n) == 0) {
			s->pk_out++;
			s->by_out += payload;
			e->st.data_out++;
			e->st.data_bytes_out += payload;
		}
}

static void
send_frame(struct l2tp_engine *e, struct eng_session *s, uint16_t proto,
           const uint8_t *p, size_t len)
{
	size_t n = build_data(s, e->dbuf, ENG_DBUF, s->data_ns, proto, p, len);

	if (n == 0)
		return;
	if (s->t->mode == L2TP_MODE_STEP && ppp_control(proto)) {
		/* Ns is taken when the draft goes. */
		eng_step_hold_ppp(e, s->t, s, proto, false, NULL, e->dbuf, n);
		return;
	}
	if (s->seq_on)
		s->data_ns++;
	data_out(e, s, e->dbuf, n, n - (s->seq_on ? 12 : 8), 1);
	if (ppp_control(proto))
		sent_event(e, s, e->dbuf, n, s->seq_on ? 12 : 8);
}

/* step.c releases a held PPP draft of s through here. */
void
eng_sess_send_held(struct l2tp_engine *e, struct eng_session *s, uint8_t *msg,
                   size_t n, bool dup)
{
	size_t h = (msg[0] << 8 | msg[1]) & L2TP_F_S ? 12 : 8;

	if (h == 12) {
		wr16(msg + 8, s->data_ns);
		s->data_ns++;
	}
	data_out(e, s, msg, n, n - h, dup ? 2 : 1);
	sent_event(e, s, msg, n, h);
}

static void
io_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	struct eng_session *s = ctx;

	send_frame(s->eng, s, proto, p, len);
}

/* After every call into a link: its timer cached, the tunnel's lower
 * bound moved earlier if need be; a DEAD link clears the call. */
static void
after(struct l2tp_engine *e, struct eng_session *s)
{
	struct eng_tunnel *t = s->t;

	if (s->dead || s->ppp == NULL)
		return;
	if (s->ppp_dead) {
		const char *why = s->ppp_why ? s->ppp_why : "PPP is down";

		s->ppp_at = ENG_NEVER;
		/* Result 3 administrative, as l2tpns clears a call whose PPP
		 * failed; the message says why. */
		if (s->state == L2TP_SS_ESTABLISHED)
			eng_send_cdn(e, s, 3, -1, why, -1);
		return;
	}
	s->ppp_at = l2tp_ppp_expiry(s->ppp);
	if (s->ppp_at < t->ppp_at) {
		t->ppp_at = s->ppp_at;
		eng_rearm(e, t);
	}
}

static void
io_event(void *ctx, const struct l2tp_ppp_event *pev)
{
	struct eng_session *s = ctx;
	struct l2tp_engine *e = s->eng;
	struct l2tp_event *ev;

	switch (pev->kind) {
	case L2TP_PPP_EV_DEAD:
		/* Acted on once the link's call returns (after()). */
		if (!s->ppp_dead) {
			s->ppp_dead = true;
			e->st.ppp_failed++;
			free(s->ppp_why);
			s->ppp_why = strdup(pev->text);
		}
		break;
	case L2TP_PPP_EV_UP:
		if (!s->ppp_up_counted && (pev->proto == L2TP_PPP_IPCP ||
		                           pev->proto == L2TP_PPP_IPV6CP)) {
			s->ppp_up_counted = true;
			e->st.ppp_up++;
		}
		break;
	case L2TP_PPP_EV_AUTH:
		if (!pev->ok)
			e->st.ppp_auth_failed++;
		break;
	default:
		break;
	}
	if (!((e->cfg.ppp_event_mask >> pev->kind) & 1u))
		return;
	ev = eng_ev(e, L2TP_EV_PPP, s->t, s);
	if (ev == NULL)
		return;
	ev->ppp_kind = pev->kind;
	ev->proto = pev->proto;
	ev->code = pev->code;
	ev->state = pev->state;
	ev->ok = pev->ok;
	ev->seq = pev->seq;
	ev->ttl = pev->ttl;
	ev->bytes = pev->bytes;
	ev->rtt_ms = pev->rtt_ms;
	eng_ev_text(e, ev, "session %u: %s", s->lid, pev->text);
	if (pev->kind == L2TP_PPP_EV_PACKET_IN && e->rx_msg)
		eng_ev_msg(e, ev, e->rx_msg, e->rx_len);
}

static int
io_random(void *ctx, uint8_t *buf, size_t len)
{
	struct l2tp_engine *e = ctx;

	return eng_random(e, buf, len);
}

/* The kinds PPP hands us: what the operator wants plus what the engine
 * acts on. */
void
eng_sess_io_init(struct l2tp_engine *e)
{
	uint32_t need = 1u << L2TP_PPP_EV_DEAD | 1u << L2TP_PPP_EV_UP |
	                1u << L2TP_PPP_EV_AUTH;

	e->ppp_io.send = io_send;
	e->ppp_io.event = io_event;
	e->ppp_io.random = io_random;
	e->ppp_io.random_ctx = e;
	e->ppp_io.event_mask = need;
	if (e->cfg.event_mask & (1u << L2TP_EV_PPP))
		e->ppp_io.event_mask |= e->cfg.ppp_event_mask;
}

int
l2tp_engine_set_ppp(struct l2tp_engine *e, enum l2tp_role role,
                    const struct l2tp_ppp_config *c)
{
	struct l2tp_ppp_link *probe;

	if (e == NULL || (role != L2TP_ROLE_LAC && role != L2TP_ROLE_LNS))
		return L2TP_E_INVAL;
	if (c == NULL) {
		e->ppp_on[role] = false;
		return 0;
	}
	if ((role == L2TP_ROLE_LAC) != (c->role == L2TP_PPP_SUBSCRIBER))
		return L2TP_E_INVAL;
	/* l2tp_ppp_new is the one judge of a config. */
	probe = l2tp_ppp_new(c, &e->ppp_io, NULL);
	if (probe == NULL)
		return L2TP_E_INVAL;
	l2tp_ppp_free(probe);
	e->ppp_cfg[role] = *c;
	e->ppp_on[role] = true;
	return 0;
}

/* ---- calls ---- */

void
eng_sess_established(struct l2tp_engine *e, struct eng_session *s)
{
	int role = s->t->role == L2TP_ROLE_LNS ? 1 : 0;

	s->eng = e;
	s->ppp_at = ENG_NEVER;
	if (e->cfg.data_seq)
		s->seq_on = true;
	if (!e->ppp_on[role] || s->ppp)
		return;
	s->ppp = l2tp_ppp_new(&e->ppp_cfg[role], &e->ppp_io, s);
	if (s->ppp == NULL) {
		eng_emit(e, L2TP_EV_ANOMALY, s->t, s,
		         "session %u: no memory for its PPP: the call stays "
		         "bare",
		         s->lid);
		return;
	}
	e->st.ppp_started++;
	if (s->proxy_lcp || s->proxy_auth_type)
		s->lcp_renegotiated = true;
	if (l2tp_ppp_start(s->ppp, e->now) < 0)
		eng_emit(e, L2TP_EV_ANOMALY, s->t, s,
		         "session %u: PPP did not start (random source)",
		         s->lid);
	after(e, s);
}

void
eng_sess_down(struct l2tp_engine *e, struct eng_session *s)
{
	if (s->ppp)
		l2tp_ppp_lower_down(s->ppp, e->now);
	s->ppp_at = ENG_NEVER;
}

void
eng_sess_free(struct eng_session *s)
{
	l2tp_ppp_free(s->ppp);
	s->ppp = NULL;
	free(s->ppp_why);
	free(s->proxy_user);
}

void
eng_sess_timers(struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint64_t next = ENG_NEVER;
	struct eng_session *s, *nx;

	for (s = t->sessions; s; s = nx) {
		nx = s->t_next;
		if (s->ppp == NULL || s->dead)
			continue;
		if (s->ppp_at <= e->now) {
			l2tp_ppp_handle_expiry(s->ppp, e->now);
			after(e, s);
			if (s->dead || t->dead)
				continue;
		}
		if (s->ppp_at < next)
			next = s->ppp_at;
	}
	t->ppp_at = next;
}

/* ---- ICCN / OCCN ---- */

static void
put_opt16(uint8_t *o, size_t *n, uint8_t type, uint16_t v)
{
	o[(*n)++] = type;
	o[(*n)++] = 4;
	wr16(o + *n, v);
	*n += 2;
}

static void
put_magic(struct l2tp_engine *e, uint8_t *o, size_t *n)
{
	o[(*n)++] = 5;
	o[(*n)++] = 6;
	if (eng_random(e, o + *n, 4) < 0 ||
	    (o[*n] | o[*n + 1] | o[*n + 2] | o[*n + 3]) == 0)
		memcpy(o + *n, "\x4c\x32\x54\x50", 4);
	*n += 4;
}

/*
 * As LAC with `ppp proxy on`: the LCP we would have negotiated with the
 * subscriber ourselves (its request: MRU and magic; ours: MRU, the
 * authentication it will do, magic) and the authentication it did, CHAP
 * with a challenge of ours when it has a password, as a real LAC in front
 * of dial-up users sends them (§4.4.5).
 */
static void
proxy_avps(struct l2tp_engine *e, struct eng_session *s, struct eng_mb *m)
{
	const struct l2tp_ppp_config *c = &e->ppp_cfg[0];
	uint8_t rx[16], tx[24], chal[16], resp[16], id;
	size_t nrx = 0, ntx = 0;
	bool chap = c->user[0] != 0;

	put_opt16(rx, &nrx, 1, c->mru);
	put_magic(e, rx, &nrx);
	put_opt16(tx, &ntx, 1, c->mru);
	if (chap) {
		tx[ntx++] = 3;
		tx[ntx++] = 5;
		wr16(tx + ntx, L2TP_PPP_CHAP);
		ntx += 2;
		tx[ntx++] = 5; /* MD5 */
	}
	put_magic(e, tx, &ntx);
	eng_mb_avp(m, false, L2TP_AVP_INIT_RX_LCP, rx, nrx);
	eng_mb_avp(m, false, L2TP_AVP_INIT_RX_LCP + 1, tx, ntx);
	eng_mb_avp(m, false, L2TP_AVP_INIT_RX_LCP + 2, rx, nrx);
	s->proxy_lcp = true;
	if (!chap) {
		eng_mb_u16(m, false, L2TP_AVP_PROXY_AUTH_TYPE, 4);
		s->proxy_auth_type = 4;
		return;
	}
	if (eng_random(e, chal, sizeof(chal)) < 0 || eng_random(e, &id, 1) < 0)
		return;
	l2tp_chap_response(id, (const uint8_t *)c->password,
	                   strlen(c->password), chal, sizeof(chal), resp);
	eng_mb_u16(m, false, L2TP_AVP_PROXY_AUTH_TYPE, 2);
	eng_mb_str(m, false, L2TP_AVP_PROXY_AUTH_NAME, c->user);
	eng_mb_avp(m, false, L2TP_AVP_PROXY_AUTH_CHAL, chal, sizeof(chal));
	eng_mb_u16(m, false, L2TP_AVP_PROXY_AUTH_ID, id);
	eng_mb_avp(m, false, L2TP_AVP_PROXY_AUTH_RESP, resp, sizeof(resp));
	s->proxy_auth_type = 2;
	free(s->proxy_user);
	s->proxy_user = strdup(c->user);
}

void
eng_sess_connect_avps(struct l2tp_engine *e, struct eng_session *s,
                      struct eng_mb *m, int type)
{
	if (e->cfg.data_seq)
		eng_mb_avp(m, true, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	if (type == L2TP_ICCN && e->cfg.ppp_proxy && e->ppp_on[0] &&
	    (s->req == NULL || s->req->p.proxy_auth_type == 0))
		proxy_avps(e, s, m);
}

static const struct l2tp_avp *
find(const struct l2tp_msg *m, uint16_t type)
{
	return l2tp_find_avp(m, 0, type);
}

/* The peer's proxy authentication checked against our local users. */
static int
proxy_check(const struct l2tp_engine *e, const struct l2tp_msg *m,
            uint16_t type, const char *user)
{
	const struct l2tp_ppp_config *c = &e->ppp_cfg[1];
	const struct l2tp_avp *ch = find(m, L2TP_AVP_PROXY_AUTH_CHAL);
	const struct l2tp_avp *id = find(m, L2TP_AVP_PROXY_AUTH_ID);
	const struct l2tp_avp *rs = find(m, L2TP_AVP_PROXY_AUTH_RESP);

	if (!e->ppp_on[1] || rs == NULL)
		return -1;
	for (size_t i = 0; i < c->nusers; i++) {
		const char *pw = c->users[i].password;
		uint8_t want[16];

		if (strcmp(c->users[i].name, user) != 0)
			continue;
		if (type == 3)
			return rs->value.len == strlen(pw) &&
			       memcmp(rs->value.p, pw, rs->value.len) == 0;
		if (type != 2 || ch == NULL || id == NULL ||
		    id->value.len != 2 || rs->value.len != 16)
			return 0;
		l2tp_chap_response(id->value.p[1], (const uint8_t *)pw,
		                   strlen(pw), ch->value.p, ch->value.len,
		                   want);
		return memcmp(want, rs->value.p, 16) == 0;
	}
	return 0;
}

void
eng_sess_rx_connect(struct l2tp_engine *e, struct eng_session *s,
                    const struct l2tp_msg *m)
{
	const struct l2tp_avp *a;
	char user[L2TP_NAME_MAX] = "";
	static const char *const types[] = {"reserved", "text", "CHAP",
	                                    "PAP",      "no",   "MS-CHAPv1"};

	s->eng = e;
	if (find(m, L2TP_AVP_SEQ_REQUIRED)) {
		s->seq_on = true;
		eng_emit(e, L2TP_EV_DATA, s->t, s,
		         "session %u: the peer requires sequence numbers on "
		         "data (Sequencing Required): our data carries Ns",
		         s->lid);
	}
	s->proxy_lcp = find(m, L2TP_AVP_INIT_RX_LCP) ||
	               find(m, L2TP_AVP_INIT_RX_LCP + 1) ||
	               find(m, L2TP_AVP_INIT_RX_LCP + 2);
	if ((a = find(m, L2TP_AVP_PROXY_AUTH_TYPE)) && a->value.len == 2)
		s->proxy_auth_type =
		    (uint16_t)(a->value.p[0] << 8 | a->value.p[1]);
	if (!s->proxy_lcp && !s->proxy_auth_type)
		return;
	if ((a = find(m, L2TP_AVP_PROXY_AUTH_NAME))) {
		size_t n = a->value.len < sizeof(user) - 1 ? a->value.len
		                                           : sizeof(user) - 1;

		memcpy(user, a->value.p, n);
		user[n] = 0;
		free(s->proxy_user);
		s->proxy_user = strdup(user);
	}
	s->proxy_auth_ok = (int8_t)proxy_check(e, m, s->proxy_auth_type, user);
	eng_emit(e, L2TP_EV_PPP, s->t, s,
	         "session %u: proxy %s%s%s authentication%s%s from the LAC%s; "
	         "%s",
	         s->lid, s->proxy_lcp ? "LCP and " : "",
	         s->proxy_auth_type < 6 ? types[s->proxy_auth_type] : "unknown",
	         "", user[0] ? " of " : "", user,
	         s->proxy_auth_ok < 0   ? ""
	         : s->proxy_auth_ok > 0 ? " (the response is right)"
	                                : " (the response is wrong)",
	         e->ppp_on[1] ? "LCP renegotiated: l2tpsh runs its own LCP "
	                        "and authentication"
	                      : "PPP is off here: not used");
}

/* ---- in ---- */

static void
data_drop(struct l2tp_engine *e, struct eng_session *s, const char *why)
{
	if (s)
		s->discarded++;
	e->st.data_discarded++;
	/* A flood of bad data must not flood the operator: the 1st, 2nd,
	 * 4th, 8th ... are shown. */
	uint64_t k = e->st.data_discarded;

	if ((k & (k - 1)) == 0)
		eng_emit(e, L2TP_EV_DATA, s ? s->t : NULL, s,
		         "data message dropped: %s (%llu dropped so far)", why,
		         (unsigned long long)k);
}

void
eng_sess_rx_data(struct l2tp_engine *e, const struct l2tp_addr *from,
                 const uint8_t *buf, size_t len, bool stepped)
{
	struct rd r;
	uint16_t f, length = 0, tid, sid, ns = 0, nr, off;
	struct eng_tunnel *t;
	struct eng_session *s;
	struct l2tp_bytes pl;
	uint16_t proto;
	size_t hlen;

	e->st.data_in++;
	rd_init(&r, buf, len);
	if (rd_u16(&r, &f) < 0 || (f & L2TP_F_VER) != 2 ||
	    ((f & L2TP_F_L) && rd_u16(&r, &length) < 0) ||
	    rd_u16(&r, &tid) < 0 || rd_u16(&r, &sid) < 0 ||
	    ((f & L2TP_F_S) && (rd_u16(&r, &ns) < 0 || rd_u16(&r, &nr) < 0))) {
		e->st.bad_in++;
		data_drop(e, NULL, "header shorter than its flags say");
		return;
	}
	if (f & L2TP_F_O) {
		if (rd_u16(&r, &off) < 0 || rd_skip(&r, off) < 0) {
			e->st.bad_in++;
			data_drop(e, NULL, "Offset Size runs past the message");
			return;
		}
	}
	hlen = len - r.left;
	if (f & L2TP_F_L) {
		if (length > len || length < hlen) {
			e->st.bad_in++;
			data_drop(e, NULL, "Length field lies");
			return;
		}
		len = length;
	}
	t = tid ? eng_tunnel_find(e, tid) : NULL;
	if (t == NULL || !l2tp_addr_eq(&t->peer, from, true)) {
		e->st.no_tunnel_in++;
		data_drop(e, NULL, "for a tunnel we do not have");
		return;
	}
	if (t->state == L2TP_TS_ESTABLISHED) {
		/* Any message from the peer shows it alive: a data message
		 * puts the Hello off as a control message does (§6.5). */
		t->last_rx = e->now;
		if (t->hello_ms && t->hello_at != ENG_NEVER) {
			uint64_t was = t->hello_at;

			t->hello_at = e->now + t->hello_ms;
			/* The heap moves only when the Hello was the
			 * tunnel's next deadline (expiry stays exact). */
			if (t->deadline == was && was != t->hello_at)
				eng_rearm(e, t);
		}
	}
	s = sid ? eng_session_find(e, sid) : NULL;
	if (s == NULL || s->t != t) {
		uint64_t k = ++e->st.data_no_session;

		if ((k & (k - 1)) == 0)
			eng_emit(e, L2TP_EV_DATA, t, NULL,
			         "data message for session %u that does not "
			         "exist on tunnel %u (%llu so far)",
			         sid, t->lid, (unsigned long long)k);
		return;
	}
	if (s->state != L2TP_SS_ESTABLISHED) {
		/* Step mode: the peer's PPP may overtake its ICCN held here;
		 * hold it too, in order, rather than drop it. */
		if (t->mode == L2TP_MODE_STEP && !stepped &&
		    l2tp_ppp_read_frame(buf + hlen, len - hlen, &proto, &pl) ==
		        0 &&
		    ppp_control(proto)) {
			eng_step_hold_ppp(e, t, s, proto, true, from, buf, len);
			return;
		}
		data_drop(e, s, "the call is not connected yet");
		return;
	}
	if (l2tp_ppp_read_frame(buf + hlen, len - hlen, &proto, &pl) < 0) {
		data_drop(e, s, "no PPP protocol field");
		return;
	}
	if (s->ppp && ppp_control(proto) && t->mode == L2TP_MODE_STEP &&
	    !stepped) {
		eng_step_hold_ppp(e, t, s, proto, true, from, buf, len);
		return;
	}
	if (f & L2TP_F_S) {
		if (!s->seq_on) {
			/* §5.4: the peer started sequencing; so must we. */
			s->seq_on = true;
			eng_emit(e, L2TP_EV_DATA, t, s,
			         "session %u: the peer sends sequenced data: "
			         "ours carries Ns from now on",
			         s->lid);
		}
		/* Released from step mode, a frame goes in the order the
		 * operator chose: it is neither dropped nor moves Nr back. */
		if (stepped && s->data_nr_valid && l2tp_seq_lt(ns, s->data_nr))
			goto in_order;
		if (s->data_nr_valid && l2tp_seq_lt(ns, s->data_nr)) {
			s->ooo++;
			e->st.data_out_of_order++;
			uint64_t k = e->st.data_out_of_order;

			if ((k & (k - 1)) == 0)
				eng_emit(e, L2TP_EV_DATA, t, s,
				         "session %u: data Ns %u out of order "
				         "(expected %u): dropped (%llu so far)",
				         s->lid, ns, s->data_nr,
				         (unsigned long long)k);
			return;
		}
		s->data_nr = (uint16_t)(ns + 1);
		s->data_nr_valid = true;
	}
in_order:
	s->pk_in++;
	s->by_in += len - hlen;
	e->st.data_bytes_in += len - hlen;
	if (s->ppp == NULL)
		return; /* a bare call: counted */
	e->rx_msg = buf;
	e->rx_len = len;
	l2tp_ppp_input(s->ppp, proto, pl.p, pl.len, e->now);
	e->rx_msg = NULL;
	after(e, s);
}

/* ---- the API ---- */

static struct eng_session *
live(const struct l2tp_engine *e, uint16_t sid, int *rc)
{
	struct eng_session *s = eng_session_find(e, sid);

	*rc = 0;
	if (s == NULL)
		*rc = L2TP_E_NOSESSION;
	else if (s->ppp == NULL || s->state != L2TP_SS_ESTABLISHED)
		*rc = L2TP_E_STATE;
	return *rc ? NULL : s;
}

static int
ppp_rc(int rc)
{
	switch (rc) {
	case 0:
		return 0;
	case L2TP_PPP_E_NOMEM:
		return L2TP_E_NOMEM;
	case L2TP_PPP_E_INVAL:
		return L2TP_E_INVAL;
	case L2TP_PPP_E_TOOBIG:
		return L2TP_E_TOOBIG;
	case L2TP_PPP_E_RANDOM:
		return L2TP_E_RANDOM;
	default:
		return L2TP_E_STATE;
	}
}

int
l2tp_engine_session_ppp(const struct l2tp_engine *e, uint16_t sid,
                        struct l2tp_ppp_info *out)
{
	const struct eng_session *s = eng_session_find(e, sid);

	if (s == NULL)
		return L2TP_E_NOSESSION;
	if (s->ppp == NULL)
		return L2TP_E_STATE;
	l2tp_ppp_info(s->ppp, out);
	return 0;
}

int
l2tp_engine_ping(struct l2tp_engine *e, uint16_t sid, uint8_t family,
                 const uint8_t *dst, size_t size, bool df, uint64_t now_ms,
                 uint16_t *seq)
{
	int rc;
	struct eng_session *s = live(e, sid, &rc);

	if (s == NULL)
		return rc;
	eng_enter(e);
	e->now = now_ms;
	rc = ppp_rc(l2tp_ppp_ping(s->ppp, family, dst, size, df, now_ms, seq));
	after(e, s);
	eng_leave(e);
	return rc;
}

const char *
l2tp_engine_ping_why(const struct l2tp_engine *e, uint16_t sid, uint8_t family)
{
	const struct eng_session *s = eng_session_find(e, sid);

	if (s == NULL)
		return "no such session";
	if (s->state != L2TP_SS_ESTABLISHED)
		return "the call is not connected";
	if (s->ppp == NULL)
		return "no PPP runs on this call (set ppp off when it was "
		       "connected)";
	return l2tp_ppp_ping_why(s->ppp, family);
}

int
l2tp_engine_ppp_echo(struct l2tp_engine *e, uint16_t sid, uint64_t now_ms)
{
	int rc;
	struct eng_session *s = live(e, sid, &rc);

	if (s == NULL)
		return rc;
	eng_enter(e);
	e->now = now_ms;
	rc = ppp_rc(l2tp_ppp_echo_now(s->ppp, now_ms));
	after(e, s);
	eng_leave(e);
	return rc;
}

int
l2tp_engine_ppp_close(struct l2tp_engine *e, uint16_t sid, const char *reason,
                      uint64_t now_ms)
{
	int rc;
	struct eng_session *s = live(e, sid, &rc);

	if (s == NULL)
		return rc;
	eng_enter(e);
	e->now = now_ms;
	rc = ppp_rc(l2tp_ppp_close(s->ppp, reason, now_ms));
	after(e, s);
	eng_leave(e);
	return rc;
}

int
l2tp_engine_send_ppp(struct l2tp_engine *e, uint16_t sid, uint16_t proto,
                     const uint8_t *p, size_t len, uint64_t now_ms)
{
	struct eng_session *s = eng_session_find(e, sid);

	if (s == NULL)
		return L2TP_E_NOSESSION;
	if (s->state != L2TP_SS_ESTABLISHED)
		return L2TP_E_STATE;
	if (len > 65000 || (len && p == NULL))
		return len > 65000 ? L2TP_E_TOOBIG : L2TP_E_INVAL;
	eng_enter(e);
	e->now = now_ms;
	s->eng = e;
	send_frame(e, s, proto, p, len);
	eng_leave(e);
	return 0;
}
