/* Calls: incoming and outgoing call FSMs, CDN, WEN, SLI (RFC 2661 §6.7-6.15,
 * §7.4, §7.5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/rd.h"
#include "engine/eng.h"

void
l2tp_call_params_default(struct l2tp_call_params *p)
{
	memset(p, 0, sizeof(*p));
	p->bearer_type = 2;
	p->framing_type = 1;
	p->tx_speed = 10000000;
	p->max_bps = 100000000;
}

void
eng_session_set_state(struct l2tp_engine *e, struct eng_session *s, int st)
{
	struct l2tp_event *ev;

	if (s->state == st)
		return;
	ev = eng_ev(e, L2TP_EV_SESSION_STATE, s->t, s);
	if (ev) {
		ev->state = st;
		eng_ev_text(e, ev, "session %u (%s call): %s -> %s", s->lid,
		            s->type == L2TP_CALL_INCOMING ? "incoming"
		                                          : "outgoing",
		            l2tp_session_state_name(s->state),
		            l2tp_session_state_name(st));
	}
	if (st == L2TP_SS_IDLE)
		s->end_state = s->state;
	s->state = (uint8_t)st;
	if (st == L2TP_SS_ESTABLISHED) {
		s->established_ms = e->now;
		s->setup_at = ENG_NEVER;
		eng_sess_established(e, s);
	}
}

static void end_session(struct l2tp_engine *e, struct eng_session *s);

void
eng_call_timers(struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint64_t next = ENG_NEVER;
	struct eng_session *s, *nx;

	for (s = t->sessions; s; s = nx) {
		const char *st = l2tp_session_state_name(s->state);
		unsigned long long ms = e->now - s->created_ms;
		char why[L2TP_NAME_MAX];

		nx = s->t_next;
		if (s->state == L2TP_SS_ESTABLISHED || s->dead)
			continue;
		if (s->setup_at > e->now) {
			next = s->setup_at < next ? s->setup_at : next;
			continue;
		}
		s->setup_at = ENG_NEVER;
		s->setup_timed_out = true;
		e->st.setup_timeouts_session++;
		eng_emit(e, L2TP_EV_TIMER, t, s,
		         "session %u: setup timed out in %s after %llu ms: "
		         "cleared",
		         s->lid, st, ms);
		snprintf(why, sizeof(why), "setup timed out in %s after %llu s",
		         st, ms / 1000);
		if (s->state == L2TP_SS_WAIT_TUNNEL ||
		    s->state == L2TP_SS_IDLE) {
			/* Nothing was sent for it: nothing to disconnect. */
			s->last_result = 10;
			snprintf(s->last_message, sizeof(s->last_message), "%s",
			         why);
			end_session(e, s);
		} else if (t->role == L2TP_ROLE_LAC) {
			/* Result 10: not established in the time allotted by
			 * the LAC (§4.4.2), which we are. */
			eng_send_cdn(e, s, 10, -1, why, -1);
		} else {
			/* The LNS has no result code of its own for this. */
			eng_send_cdn(e, s, 2, 6, why, -1);
		}
	}
	t->call_at = next;
}

static void
end_session(struct l2tp_engine *e, struct eng_session *s)
{
	if (s->state != L2TP_SS_ESTABLISHED)
		s->t->sessions_failed++;
	eng_session_set_state(e, s, L2TP_SS_IDLE);
	eng_session_kill(e, s);
}

int
eng_send_cdn(struct l2tp_engine *e, struct eng_session *s, uint16_t result,
             int error, const char *message, int q931)
{
	struct eng_tunnel *t = s->t;
	struct l2tp_event *ev;
	struct eng_mb m;
	const char *rt = l2tp_cdn_result_text(result);
	int rc;

	s->last_result = result;
	s->last_error = error >= 0 ? (uint16_t)error : 0;
	snprintf(s->last_message, sizeof(s->last_message), "%s",
	         message ? message : "");
	ev = eng_ev(e, L2TP_EV_CDN, t, s);
	if (ev) {
		ev->ok = ev->outgoing = true;
		ev->msg_type = L2TP_CDN;
		ev->result = result;
		ev->error = s->last_error;
		eng_ev_text(e, ev,
		            "sending CDN for session %u: result %u (%s) "
		            "error %u%s%s",
		            s->lid, result, rt ? rt : "unknown", s->last_error,
		            message && *message ? ": " : "",
		            message ? message : "");
	}
	eng_mb_begin(&m, e, t, L2TP_CDN, s->rid, s->lid);
	l2tp_build_result(&m.b, result, error,
	                  message && *message ? message : NULL);
	eng_mb_u16(&m, true, L2TP_AVP_ASSIGNED_SESSION_ID, s->lid);
	if (q931 >= 0) {
		uint8_t q[3] = {(uint8_t)(q931 >> 8), (uint8_t)q931, 0};

		l2tp_build_avp(&m.b, true, false, 0, L2TP_AVP_Q931_CAUSE, q, 3);
	}
	rc = eng_mb_queue(&m);
	end_session(e, s);
	return rc;
}

/* ---- requests out ---- */

static void
add_str(struct eng_mb *m, uint16_t type, const char *s)
{
	if (s[0])
		eng_mb_str(m, true, type, s);
}

static int
send_request(struct l2tp_engine *e, struct eng_session *s)
{
	const struct l2tp_call_params *p = &s->req->p;
	struct eng_mb m;
	int type = s->type == L2TP_CALL_INCOMING ? L2TP_ICRQ : L2TP_OCRQ;
	int rc;

	/* §6.9: an OCRQ only to a LAC that announced Bearer Capabilities. */
	if (type == L2TP_OCRQ && s->t->peer_bearer == 0) {
		eng_emit(e, L2TP_EV_ANOMALY, s->t, s,
		         "session %u: no OCRQ: the LAC announced no Bearer "
		         "Capabilities (RFC 2661 6.9)",
		         s->lid);
		return L2TP_E_STATE;
	}
	/* The Framing Type we ask for must be one the peer offers. */
	if (s->t->peer_framing && (p->framing_type & s->t->peer_framing) == 0)
		eng_emit(e, L2TP_EV_ANOMALY, s->t, s,
		         "session %u: Framing Type %u is not in the peer's "
		         "Framing Capabilities %u",
		         s->lid, p->framing_type, s->t->peer_framing);
	eng_mb_begin(&m, e, s->t, type, 0, s->lid);
	eng_mb_u16(&m, true, L2TP_AVP_ASSIGNED_SESSION_ID, s->lid);
	eng_mb_u32(&m, true, L2TP_AVP_CALL_SERIAL, s->serial);
	if (type == L2TP_OCRQ) {
		eng_mb_u32(&m, true, L2TP_AVP_MIN_BPS, p->min_bps);
		eng_mb_u32(&m, true, L2TP_AVP_MAX_BPS, p->max_bps);
		eng_mb_u32(&m, true, L2TP_AVP_BEARER_TYPE, p->bearer_type);
		eng_mb_u32(&m, true, L2TP_AVP_FRAMING_TYPE, p->framing_type);
		eng_mb_str(&m, true, L2TP_AVP_CALLED_NUMBER, p->called);
	} else {
		if (p->bearer_type)
			eng_mb_u32(&m, true, L2TP_AVP_BEARER_TYPE,
			           p->bearer_type);
		if (p->phys_channel)
			eng_mb_u32(&m, false, L2TP_AVP_PHYS_CHANNEL,
			           p->phys_channel);
		add_str(&m, L2TP_AVP_CALLED_NUMBER, p->called);
		add_str(&m, L2TP_AVP_CALLING_NUMBER, p->calling);
	}
	add_str(&m, L2TP_AVP_SUB_ADDRESS, p->sub_address);
	for (size_t i = 0; i < p->nextra; i++)
		eng_mb_spec(&m, &p->extra[i]);
	m.then_state = L2TP_SS_WAIT_REPLY;
	m.then_session = true;
	rc = eng_mb_queue(&m);
	return rc < 0 ? rc : 0;
}

static int
send_connected(struct l2tp_engine *e, struct eng_session *s, int type, int then)
{
	struct l2tp_call_params def, *p = &def;
	struct eng_mb m;

	if (s->req)
		p = &s->req->p;
	else
		l2tp_call_params_default(&def);
	if (s->framing_type && !s->req)
		p->framing_type = s->framing_type;
	eng_mb_begin(&m, e, s->t, type, s->rid, s->lid);
	eng_mb_u32(&m, true, L2TP_AVP_TX_SPEED, p->tx_speed);
	eng_mb_u32(&m, true, L2TP_AVP_FRAMING_TYPE, p->framing_type);
	if (p->rx_speed)
		eng_mb_u32(&m, false, L2TP_AVP_RX_SPEED, p->rx_speed);
	if (type == L2TP_ICCN && p->proxy_auth_type) {
		eng_mb_u16(&m, false, L2TP_AVP_PROXY_AUTH_TYPE,
		           p->proxy_auth_type);
		if (p->proxy_auth_name[0])
			eng_mb_str(&m, false, L2TP_AVP_PROXY_AUTH_NAME,
			           p->proxy_auth_name);
		if (p->proxy_auth_chal_len)
			eng_mb_avp(&m, false, L2TP_AVP_PROXY_AUTH_CHAL,
			           p->proxy_auth_chal, p->proxy_auth_chal_len);
		eng_mb_u16(&m, false, L2TP_AVP_PROXY_AUTH_ID, p->proxy_auth_id);
		if (p->proxy_auth_resp_len)
			eng_mb_avp(&m, false, L2TP_AVP_PROXY_AUTH_RESP,
			           p->proxy_auth_resp, p->proxy_auth_resp_len);
	}
	eng_sess_connect_avps(e, s, &m, type);
	s->tx_speed = p->tx_speed;
	s->rx_speed = p->rx_speed;
	s->framing_type = p->framing_type;
	m.then_state = then;
	m.then_session = true;
	return eng_mb_queue(&m);
}

void
eng_call_tunnel_up(struct l2tp_engine *e, struct eng_tunnel *t)
{
	struct eng_session *s, *nx;

	for (s = t->sessions; s; s = nx) {
		nx = s->t_next;
		if (s->state == L2TP_SS_WAIT_TUNNEL && send_request(e, s) < 0)
			end_session(e, s);
	}
}

int
l2tp_engine_call_open(struct l2tp_engine *e, uint16_t tid,
                      const struct l2tp_call_params *p, uint64_t now_ms,
                      uint16_t *sid)
{
	struct eng_tunnel *t = eng_tunnel_find(e, tid);
	struct l2tp_call_params def;
	struct eng_session *s;
	size_t need;
	uint8_t *tail;
	int rc = 0;

	if (t == NULL)
		return L2TP_E_NOTUNNEL;
	if (t->state == L2TP_TS_CLOSING)
		return L2TP_E_STATE;
	if (p == NULL) {
		l2tp_call_params_default(&def);
		p = &def;
	}
	if (p->nextra && p->extra == NULL)
		return L2TP_E_INVAL;
	if (p->proxy_auth_chal_len > sizeof(p->proxy_auth_chal) ||
	    p->proxy_auth_resp_len > sizeof(p->proxy_auth_resp))
		return L2TP_E_INVAL;
	need = sizeof(struct eng_callreq) +
	       p->nextra * sizeof(struct l2tp_avp_spec);
	for (size_t i = 0; i < p->nextra; i++) {
		if (p->extra[i].len > L2TP_AVP_MAXLEN - L2TP_AVP_HDR)
			return L2TP_E_TOOBIG;
		need += p->extra[i].len;
	}
	eng_enter(e);
	e->now = now_ms;
	s = eng_session_new(e, t, now_ms);
	if (s == NULL) {
		eng_leave(e);
		return e->new_err;
	}
	s->req = malloc(need);
	if (s->req == NULL) {
		eng_session_kill(e, s);
		eng_leave(e);
		return L2TP_E_NOMEM;
	}
	/* Keep a deep copy: the call may wait for its tunnel. */
	s->req->p = *p;
	s->req->p.extra = s->req->extra;
	tail = (uint8_t *)(s->req->extra + p->nextra);
	for (size_t i = 0; i < p->nextra; i++) {
		s->req->extra[i] = p->extra[i];
		if (p->extra[i].len)
			memcpy(tail, p->extra[i].value, p->extra[i].len);
		s->req->extra[i].value = tail;
		tail += p->extra[i].len;
	}
	s->initiator = true;
	s->type =
	    t->role == L2TP_ROLE_LAC ? L2TP_CALL_INCOMING : L2TP_CALL_OUTGOING;
	s->serial = e->next_serial++;
	s->bearer_type = p->bearer_type;
	s->framing_type = p->framing_type;
	snprintf(s->calling, sizeof(s->calling), "%s", p->calling);
	snprintf(s->called, sizeof(s->called), "%s", p->called);
	eng_emit(e, L2TP_EV_SESSION_STATE, t, s,
	         "session %u (%s call) opened on tunnel %u", s->lid,
	         s->type == L2TP_CALL_INCOMING ? "incoming" : "outgoing",
	         t->lid);
	if (t->state == L2TP_TS_ESTABLISHED)
		rc = send_request(e, s);
	else
		eng_session_set_state(e, s, L2TP_SS_WAIT_TUNNEL);
	if (rc < 0) {
		end_session(e, s);
		eng_leave(e);
		return rc;
	}
	if (s->type == L2TP_CALL_OUTGOING) {
		/* An outgoing call's connected message comes from the LAC. */
	}
	if (sid)
		*sid = s->lid;
	eng_leave(e);
	return 0;
}

int
l2tp_engine_call_close(struct l2tp_engine *e, uint16_t sid, uint16_t result,
                       int error, const char *message, int q931_cause,
                       uint64_t now_ms)
{
	struct eng_session *s = eng_session_find(e, sid);

	if (s == NULL)
		return L2TP_E_NOSESSION;
	if (result == 0 || error > 0xffff || q931_cause > 0xffff)
		return L2TP_E_INVAL;
	eng_enter(e);
	e->now = now_ms;
	if (s->state == L2TP_SS_WAIT_TUNNEL) {
		/* Nothing was sent for it yet. */
		s->last_result = result;
		end_session(e, s);
	} else {
		eng_send_cdn(e, s, result, error, message, q931_cause);
	}
	eng_leave(e);
	return 0;
}

int
l2tp_engine_send_wen(struct l2tp_engine *e, uint16_t sid,
                     const uint32_t errs[6], uint64_t now_ms)
{
	struct eng_session *s = eng_session_find(e, sid);
	uint8_t v[26] = {0};
	struct eng_mb m;
	int rc;

	if (s == NULL)
		return L2TP_E_NOSESSION;
	if (s->state != L2TP_SS_ESTABLISHED)
		return L2TP_E_STATE;
	for (int i = 0; i < 6; i++) {
		v[2 + 4 * i] = (uint8_t)(errs[i] >> 24);
		v[3 + 4 * i] = (uint8_t)(errs[i] >> 16);
		v[4 + 4 * i] = (uint8_t)(errs[i] >> 8);
		v[5 + 4 * i] = (uint8_t)errs[i];
	}
	eng_enter(e);
	e->now = now_ms;
	eng_mb_begin(&m, e, s->t, L2TP_WEN, s->rid, s->lid);
	eng_mb_avp(&m, true, L2TP_AVP_CALL_ERRORS, v, sizeof(v));
	rc = eng_mb_queue(&m);
	eng_leave(e);
	return rc;
}

int
l2tp_engine_send_sli(struct l2tp_engine *e, uint16_t sid, uint32_t send_accm,
                     uint32_t recv_accm, uint64_t now_ms)
{
	struct eng_session *s = eng_session_find(e, sid);
	uint8_t v[10] = {0,
	                 0,
	                 (uint8_t)(send_accm >> 24),
	                 (uint8_t)(send_accm >> 16),
	                 (uint8_t)(send_accm >> 8),
	                 (uint8_t)send_accm,
	                 (uint8_t)(recv_accm >> 24),
	                 (uint8_t)(recv_accm >> 16),
	                 (uint8_t)(recv_accm >> 8),
	                 (uint8_t)recv_accm};
	struct eng_mb m;
	int rc;

	if (s == NULL)
		return L2TP_E_NOSESSION;
	if (s->state != L2TP_SS_ESTABLISHED)
		return L2TP_E_STATE;
	eng_enter(e);
	e->now = now_ms;
	eng_mb_begin(&m, e, s->t, L2TP_SLI, s->rid, s->lid);
	eng_mb_avp(&m, true, L2TP_AVP_ACCM, v, sizeof(v));
	rc = eng_mb_queue(&m);
	eng_leave(e);
	return rc;
}

/* ---- messages in ---- */

static uint32_t
val32(const struct l2tp_msg *m, uint16_t type, uint32_t def)
{
	uint32_t x;

	return l2tp_avp_u32(m, type, &x) ? x : def;
}

static int
val16(const struct l2tp_msg *m, uint16_t type)
{
	uint16_t x;

	return l2tp_avp_u16(m, type, &x) ? x : -1;
}

static void
val_str(const struct l2tp_msg *m, uint16_t type, char *dst, size_t cap)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);
	struct l2tp_bytes v;
	size_t n;

	dst[0] = 0;
	if (a == NULL || (a->h && !a->decrypted))
		return;
	v = l2tp_avp_data(a);
	n = v.len < cap - 1 ? v.len : cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = v.p[i] >= 0x20 && v.p[i] < 0x7f ? (char)v.p[i] : '?';
	dst[n] = 0;
}

static void
call_unexpected(struct l2tp_engine *e, struct eng_session *s,
                struct l2tp_msg *m)
{
	char nb[24], why[L2TP_NAME_MAX];
	struct l2tp_event *ev = eng_ev(e, L2TP_EV_UNEXPECTED, s->t, s);

	snprintf(why, sizeof(why), "%s unexpected in call state %s",
	         l2tp_msg_name(m->msg_type, nb, sizeof(nb)),
	         l2tp_session_state_name(s->state));
	if (ev) {
		ev->msg_type = m->msg_type;
		ev->state = s->state;
		eng_ev_text(e, ev, "session %u: %s", s->lid, why);
	}
	eng_send_cdn(e, s, 2, 6, why, -1);
}

static void
rx_cdn(struct l2tp_engine *e, struct eng_session *s, struct l2tp_msg *m)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, L2TP_AVP_RESULT_CODE);
	const struct l2tp_avp *q = l2tp_find_avp(m, 0, L2TP_AVP_Q931_CAUSE);
	struct l2tp_value v;
	struct l2tp_event *ev;
	const char *rt;
	char qb[48] = "";

	if (a && l2tp_avp_value(a, &v) == 0) {
		s->last_result = v.result;
		s->last_error = v.has_error ? v.error : 0;
		s->last_message[0] = 0;
		if (v.has_message) {
			size_t n = v.b.len < sizeof(s->last_message) - 1
			               ? v.b.len
			               : sizeof(s->last_message) - 1;

			for (size_t i = 0; i < n; i++)
				s->last_message[i] =
				    v.b.p[i] >= 0x20 && v.b.p[i] < 0x7f
				        ? (char)v.b.p[i]
				        : '?';
			s->last_message[n] = 0;
		}
	}
	if (q && l2tp_avp_value(q, &v) == 0)
		snprintf(qb, sizeof(qb), ", Q.931 cause %u", (unsigned)v.u);
	rt = l2tp_cdn_result_text(s->last_result);
	ev = eng_ev(e, L2TP_EV_CDN, s->t, s);
	if (ev) {
		ev->msg_type = L2TP_CDN;
		ev->result = s->last_result;
		ev->error = s->last_error;
		eng_ev_text(e, ev,
		            "peer sent CDN for session %u: result %u "
		            "(%s) error %u%s%s%s",
		            s->lid, s->last_result, rt ? rt : "unknown",
		            s->last_error, qb, s->last_message[0] ? ": " : "",
		            s->last_message);
	}
	end_session(e, s);
}

/*
 * §4.4.3: Framing Capabilities tell the peer the framing "that will be
 * accepted or requested by the sender".  A call whose Framing Type (ICCN,
 * OCCN, OCRQ) is none its sender announced contradicts its own SCCRQ or
 * SCCRP: CDN result 2 error 3 (a value out of range).  Returns false when
 * the call was cleared.
 */
static bool
framing_ok(struct l2tp_engine *e, struct eng_tunnel *t, struct eng_session *s,
           uint32_t framing)
{
	char why[L2TP_NAME_MAX];

	if (framing == 0 || (framing & t->peer_framing) != 0)
		return true;
	snprintf(why, sizeof(why),
	         "Framing Type %u not in its Framing Capabilities %u", framing,
	         t->peer_framing);
	eng_emit(e, L2TP_EV_BAD_MESSAGE, t, s, "session %u: %s", s->lid, why);
	eng_send_cdn(e, s, 2, 3, why, -1);
	return false;
}

/* The session a message names: by header Session ID, else (CDN) by the
 * peer's Assigned Session ID. */
static struct eng_session *
find_for(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	struct eng_session *s;
	int rid;

	if (m->session) {
		s = eng_session_find(e, (uint16_t)m->session);
		return s && s->t == t ? s : NULL;
	}
	rid = val16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	if (rid <= 0)
		return NULL;
	/* Only a CDN for a call whose request we never answered gets here:
	 * the tunnel's own list is short and this is rare. */
	for (s = t->sessions; s; s = s->t_next)
		if (s->rid == rid)
			return s;
	return NULL;
}

/*
 * A call request beyond a limit: CDN result 4 "no appropriate facilities
 * available (temporary condition)", with no session kept for it.  Our
 * Assigned Session ID is 0: we assigned none.  It goes through the
 * tunnel's reliable queue like any message of the tunnel.
 */
static void
refuse_call(struct l2tp_engine *e, struct eng_tunnel *t,
            const struct l2tp_msg *m, int rid, bool per_tunnel)
{
	char why[L2TP_NAME_MAX], nb[24];
	struct eng_mb r;

	if (per_tunnel) {
		e->st.refused_sessions_tunnel++;
		snprintf(why, sizeof(why), "%u sessions on this tunnel",
		         e->cfg.max_sessions_per_tunnel);
	} else {
		e->st.refused_sessions_total++;
		snprintf(why, sizeof(why), "%u sessions in all",
		         e->cfg.max_sessions);
	}
	eng_refused(e, t,
	            "%s (its session %d) refused: %s already (limit "
	            "%s); CDN result 4",
	            l2tp_msg_name(m->msg_type, nb, sizeof(nb)), rid, why,
	            per_tunnel ? "sessions-per-tunnel" : "sessions");
	if (rid <= 0)
		return;
	t->sessions_failed++;
	eng_mb_begin(&r, e, t, L2TP_CDN, (uint16_t)rid, 0);
	l2tp_build_result(&r.b, 4, -1, why);
	eng_mb_u16(&r, true, L2TP_AVP_ASSIGNED_SESSION_ID, 0);
	eng_mb_queue(&r);
}

static void
rx_request(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
           uint16_t err, const char *why)
{
	bool in = m->msg_type == L2TP_ICRQ;
	struct eng_session *s;
	struct eng_mb r;
	int rid = val16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	bool per_tunnel = e->cfg.max_sessions_per_tunnel &&
	                  t->nsessions >= e->cfg.max_sessions_per_tunnel;

	if (per_tunnel ||
	    (e->cfg.max_sessions && e->st.sessions >= e->cfg.max_sessions)) {
		refuse_call(e, t, m, rid, per_tunnel);
		return;
	}
	s = eng_session_new(e, t, e->now);
	if (s == NULL) {
		eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
		         "call request dropped: no memory or session ids");
		return;
	}
	s->type = in ? L2TP_CALL_INCOMING : L2TP_CALL_OUTGOING;
	s->rid = rid > 0 ? (uint16_t)rid : 0;
	s->serial = val32(m, L2TP_AVP_CALL_SERIAL, 0);
	s->bearer_type = val32(m, L2TP_AVP_BEARER_TYPE, 0);
	s->framing_type = val32(m, L2TP_AVP_FRAMING_TYPE, 0);
	val_str(m, L2TP_AVP_CALLING_NUMBER, s->calling, sizeof(s->calling));
	val_str(m, L2TP_AVP_CALLED_NUMBER, s->called, sizeof(s->called));
	eng_emit(
	    e, L2TP_EV_SESSION_STATE, t, s,
	    "session %u (%s call) requested by the peer (its id %u, serial "
	    "%u)",
	    s->lid, in ? "incoming" : "outgoing", s->rid, s->serial);
	if (why) {
		eng_send_cdn(e, s, 2, err, why, -1);
		return;
	}
	if (rid <= 0) {
		eng_send_cdn(e, s, 2, 3, "Assigned Session ID 0", -1);
		return;
	}
	/* An LNS answers incoming calls, a LAC places outgoing ones. */
	if ((in && t->role != L2TP_ROLE_LNS) ||
	    (!in && t->role != L2TP_ROLE_LAC)) {
		eng_send_cdn(e, s, 5, -1,
		             in ? "ICRQ sent to a LAC" : "OCRQ sent to an LNS",
		             -1);
		return;
	}
	/* §6.9: an OCRQ asks the LAC to dial, which it can only do with the
	 * bearer capabilities it announced. */
	if (!in && e->cfg.bearer_cap == 0) {
		eng_send_cdn(e, s, 5, -1,
		             "OCRQ, but we announced no Bearer Capabilities",
		             -1);
		return;
	}
	if (!in && !framing_ok(e, t, s, s->framing_type))
		return;
	eng_mb_begin(&r, e, t, in ? L2TP_ICRP : L2TP_OCRP, s->rid, s->lid);
	eng_mb_u16(&r, true, L2TP_AVP_ASSIGNED_SESSION_ID, s->lid);
	r.then_state = in ? L2TP_SS_WAIT_CONNECT : L2TP_SS_WAIT_CS_ANSWER;
	r.then_session = true;
	eng_mb_queue(&r);
	if (in)
		return;
	/* There is no real line to dial: the call connects at once. */
	send_connected(e, s, L2TP_OCCN, L2TP_SS_ESTABLISHED);
}

void
eng_call_rx(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
            uint16_t err, const char *why)
{
	struct eng_session *s;
	char nb[24];

	if (m->msg_type == L2TP_ICRQ || m->msg_type == L2TP_OCRQ) {
		rx_request(e, t, m, err, why);
		return;
	}
	s = find_for(e, t, m);
	if (s == NULL) {
		eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
		         "%s for unknown session %u ignored",
		         l2tp_msg_name(m->msg_type, nb, sizeof(nb)),
		         (unsigned)m->session);
		return;
	}
	if (why && m->msg_type != L2TP_CDN) {
		eng_send_cdn(e, s, 2, err, why, -1);
		return;
	}
	switch (m->msg_type) {
	case L2TP_CDN:
		rx_cdn(e, s, m);
		break;
	case L2TP_ICRP:
	case L2TP_OCRP: {
		int rid = val16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
		bool in = m->msg_type == L2TP_ICRP;

		if (s->state != L2TP_SS_WAIT_REPLY || !s->initiator ||
		    (s->type == L2TP_CALL_INCOMING) != in) {
			call_unexpected(e, s, m);
			break;
		}
		if (rid <= 0) {
			eng_send_cdn(e, s, 2, 3, "Assigned Session ID 0", -1);
			break;
		}
		s->rid = (uint16_t)rid;
		if (in) {
			send_connected(e, s, L2TP_ICCN, L2TP_SS_ESTABLISHED);
			free(s->req);
			s->req = NULL;
		} else {
			eng_session_set_state(e, s, L2TP_SS_WAIT_CONNECT);
		}
		break;
	}
	case L2TP_ICCN:
	case L2TP_OCCN: {
		bool in = m->msg_type == L2TP_ICCN;

		if (s->state != L2TP_SS_WAIT_CONNECT ||
		    (s->type == L2TP_CALL_INCOMING) != in ||
		    s->initiator == in) {
			call_unexpected(e, s, m);
			break;
		}
		s->tx_speed = val32(m, L2TP_AVP_TX_SPEED, 0);
		s->rx_speed = val32(m, L2TP_AVP_RX_SPEED, 0);
		s->framing_type = val32(m, L2TP_AVP_FRAMING_TYPE, 0);
		if (!framing_ok(e, t, s, s->framing_type))
			break;
		free(s->req);
		s->req = NULL;
		eng_sess_rx_connect(e, s, m);
		eng_session_set_state(e, s, L2TP_SS_ESTABLISHED);
		break;
	}
	case L2TP_WEN:
	case L2TP_SLI: {
		const struct l2tp_avp *a =
		    l2tp_find_avp(m, 0,
		                  m->msg_type == L2TP_WEN ? L2TP_AVP_CALL_ERRORS
		                                          : L2TP_AVP_ACCM);
		struct l2tp_value v;

		if (s->state != L2TP_SS_ESTABLISHED) {
			call_unexpected(e, s, m);
			break;
		}
		if (a == NULL || l2tp_avp_value(a, &v) < 0)
			break;
		if (m->msg_type == L2TP_WEN)
			eng_emit(
			    e, L2TP_EV_ANOMALY, t, s,
			    "WEN for session %u: CRC %u framing %u hardware "
			    "overruns %u buffer overruns %u timeouts %u "
			    "alignment %u",
			    s->lid, v.errs[0], v.errs[1], v.errs[2], v.errs[3],
			    v.errs[4], v.errs[5]);
		else
			eng_emit(e, L2TP_EV_ANOMALY, t, s,
			         "SLI for session %u: send ACCM 0x%08x receive "
			         "ACCM 0x%08x",
			         s->lid, v.send_accm, v.recv_accm);
		break;
	}
	default:
		call_unexpected(e, s, m);
		break;
	}
}
