/* Control connection: FSM, tie breaker, tunnel authentication, message checks,
 * StopCCN (RFC 2661 §4.1, §4.4.3, §6, §7.2). */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "decoder/rd.h"
#include "engine/eng.h"

static const char *
mname(int type, char *buf, size_t len)
{
	return l2tp_msg_name(type, buf, len);
}

void
eng_set_state(struct l2tp_engine *e, struct eng_tunnel *t, int st)
{
	struct l2tp_event *ev;

	if (t->state == st)
		return;
	ev = eng_ev(e, L2TP_EV_TUNNEL_STATE, t, NULL);
	if (ev) {
		ev->state = st;
		eng_ev_text(e, ev, "tunnel %u: %s -> %s", t->lid,
		            l2tp_tunnel_state_name(t->state),
		            l2tp_tunnel_state_name(st));
	}
	t->state = (uint8_t)st;
	if (st == L2TP_TS_ESTABLISHED || st == L2TP_TS_CLOSING)
		t->setup_at = ENG_NEVER; /* set up, or being cleared */
	if (st == L2TP_TS_ESTABLISHED) {
		t->established_ms = e->now;
		t->hello_at =
		    t->hello_ms ? t->last_rx + t->hello_ms : ENG_NEVER;
	} else {
		t->hello_at = ENG_NEVER;
	}
	if (st != L2TP_TS_WAIT_CTL_REPLY)
		eng_tunnel_set_wait(e, t, false);
}

/* ---- StopCCN ---- */

void
eng_clear_sessions(struct l2tp_engine *e, struct eng_tunnel *t, const char *why)
{
	while (t->sessions) {
		struct eng_session *s = t->sessions;

		if (s->state != L2TP_SS_ESTABLISHED)
			t->sessions_failed++;
		eng_emit(e, L2TP_EV_SESSION_STATE, t, s,
		         "session %u: %s -> idle (%s)", s->lid,
		         l2tp_session_state_name(s->state), why);
		s->end_state = s->state;
		s->state = L2TP_SS_IDLE;
		eng_session_kill(e, s);
	}
}

void
eng_stop(struct l2tp_engine *e, struct eng_tunnel *t, uint16_t result,
         int error, const char *fmt, ...)
{
	struct l2tp_event *ev;
	struct eng_mb m;
	va_list ap;
	int rc;

	if (t->state == L2TP_TS_CLOSING || t->dead)
		return;
	va_start(ap, fmt);
	vsnprintf(t->last_message, sizeof(t->last_message), fmt, ap);
	va_end(ap);
	t->last_result = result;
	t->last_error = error >= 0 ? (uint16_t)error : 0;
	ev = eng_ev(e, L2TP_EV_STOPCCN, t, NULL);
	if (ev) {
		const char *rt = l2tp_stopccn_result_text(result);
		char eb[24] = "";

		ev->ok = ev->outgoing = true;
		ev->msg_type = L2TP_STOPCCN;
		ev->result = result;
		ev->error = t->last_error;
		if (error >= 0)
			snprintf(eb, sizeof(eb), " error %d", error);
		eng_ev_text(e, ev, "sending StopCCN result %u (%s)%s%s%s",
		            result, rt ? rt : "unknown", eb,
		            t->last_message[0] ? ": " : "", t->last_message);
	}
	eng_clear_sessions(e, t, "tunnel closing");
	/* Messages in flight stay to be acked, except to a peer that never
	 * answered: its SCCRQ would hold the StopCCN behind a window of 1. */
	eng_txq_drop(e, t, t->rid != 0);
	eng_mb_begin(&m, e, t, L2TP_STOPCCN, 0, 0);
	eng_mb_u16(&m, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, t->lid);
	l2tp_build_result(&m.b, result, error,
	                  t->last_message[0] ? t->last_message : NULL);
	eng_set_state(e, t, L2TP_TS_CLOSING);
	t->hold_at = e->now + e->cycle_ms;
	rc = eng_mb_queue(&m);
	if (rc < 0)
		eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
		         "StopCCN could not be built: %s",
		         l2tp_engine_strerror(rc));
	eng_rearm(e, t);
}

/* ---- SCCRQ out ---- */

static void
add_scc_avps(struct eng_mb *m, struct l2tp_engine *e, struct eng_tunnel *t)
{
	uint8_t ver[2] = {1, 0};

	l2tp_build_avp(&m->b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, ver,
	               2);
	eng_mb_u32(m, true, L2TP_AVP_FRAMING_CAP, e->cfg.framing_cap);
	eng_mb_u32(m, true, L2TP_AVP_BEARER_CAP, e->cfg.bearer_cap);
	eng_mb_u16(m, false, L2TP_AVP_FIRMWARE_REV, e->cfg.firmware);
	l2tp_build_str(&m->b, true, L2TP_AVP_HOST_NAME, e->cfg.host_name);
	if (e->cfg.vendor_name[0])
		eng_mb_str(m, false, L2TP_AVP_VENDOR_NAME, e->cfg.vendor_name);
	eng_mb_u16(m, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, t->lid);
	l2tp_build_u16(&m->b, true, L2TP_AVP_RECEIVE_WINDOW, e->cfg.rx_window);
	/* What the peer may send ahead of a gap is what we said here, not
	 * what the config says later (section 5.8). */
	t->adv_rws = e->cfg.rx_window;
}

/* Our Challenge, when challenges are on and a secret could apply. */
static int
add_challenge(struct eng_mb *m, struct l2tp_engine *e, struct eng_tunnel *t,
              const char *secret)
{
	if (!e->cfg.challenge || secret == NULL)
		return 0;
	if (eng_random(e, t->chal, sizeof(t->chal)) < 0)
		return L2TP_E_RANDOM;
	eng_mb_avp(m, true, L2TP_AVP_CHALLENGE, t->chal, sizeof(t->chal));
	t->chal_sent = true;
	return 0;
}

static bool
any_secret_for(const struct l2tp_engine *e, const struct eng_tunnel *t)
{
	/* Before SCCRP the peer's Host Name is unknown: a host-bound secret
	 * may still apply; a secret bound to another address never does. */
	if (eng_secret_for(e, t) != NULL)
		return true;
	for (size_t i = 0; i < e->nsecrets; i++)
		if (e->secrets[i].kind == L2TP_SECRET_HOST)
			return true;
	return false;
}

int
eng_send_sccrq(struct l2tp_engine *e, struct eng_tunnel *t)
{
	struct eng_mb m;
	int rc;

	eng_mb_begin(&m, e, t, L2TP_SCCRQ, 0, 0);
	/* Nothing hidden in an SCCRQ: the peer's secret may depend on the
	 * Host Name it has not yet seen (and xl2tpd rejects it). */
	m.hide = false;
	add_scc_avps(&m, e, t);
	if (e->cfg.tie_breaker) {
		if (eng_random(e, t->tb, sizeof(t->tb)) < 0)
			return L2TP_E_RANDOM;
		l2tp_build_avp(&m.b, false, false, 0, L2TP_AVP_TIE_BREAKER,
		               t->tb, sizeof(t->tb));
		t->tb_sent = true;
	}
	if (any_secret_for(e, t)) {
		rc = add_challenge(&m, e, t, "");
		if (rc < 0)
			return rc;
	}
	m.then_state = L2TP_TS_WAIT_CTL_REPLY;
	return eng_mb_queue(&m);
}

/* ---- receiving ---- */

/* A 16-bit or 32-bit AVP value (checked by check_msg), 0 if absent. */
static uint16_t
get16(const struct l2tp_msg *m, uint16_t type)
{
	uint16_t x = 0;

	return l2tp_avp_u16(m, type, &x) ? x : 0;
}

static uint32_t
get32(const struct l2tp_msg *m, uint16_t type)
{
	uint32_t x = 0;

	return l2tp_avp_u32(m, type, &x) ? x : 0;
}

static const struct l2tp_avp *
avp(const struct l2tp_msg *m, uint16_t type)
{
	return l2tp_find_avp(m, 0, type);
}

static void
copy_str(char *dst, size_t cap, struct l2tp_bytes v)
{
	size_t n = v.len < cap - 1 ? v.len : cap - 1;

	/* Keep it printable: it is shown on a terminal. */
	for (size_t i = 0; i < n; i++)
		dst[i] = v.p[i] >= 0x20 && v.p[i] < 0x7f ? (char)v.p[i] : '?';
	dst[n] = 0;
}

/* Open hidden AVPs with the tunnel's secret; false if one stays shut. */
static bool
open_hidden(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
            const char *secret)
{
	char nb[32], ab[32];

	if (secret)
		l2tp_unhide(m, &secret, 1, e->unhide, ENG_SCRATCH);
	for (size_t i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avps[i];

		if (!a->h || a->decrypted)
			continue;
		eng_emit(e, L2TP_EV_HIDDEN, t, NULL,
		         "%s: hidden %s does not open (%s)",
		         mname(m->msg_type, nb, sizeof(nb)),
		         l2tp_avp_name(a->vendor, a->type, ab, sizeof(ab)),
		         secret ? "its recovered length does not fit: likely a "
		                  "wrong secret"
		                : "no secret is set for this peer");
		return false;
	}
	return true;
}

/*
 * The checks every message gets before its handler (§4.1, §6): hidden
 * AVPs open, no unknown mandatory AVP, lengths right, mandatory AVPs
 * present.  On failure the error code and text say what to answer.
 */
static bool
check_msg(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
          uint16_t *result, uint16_t *error, char *text, size_t tlen)
{
	const struct l2tp_msg_info *mi = l2tp_msg_info(m->msg_type);
	char nb[32], ab[32];

	/* Malformed messages never get here: drop_malformed(). */
	if (!open_hidden(e, t, m, eng_secret_for(e, t))) {
		*error = 2;
		snprintf(text, tlen,
		         "hidden AVP does not open (wrong secret?)");
		return false;
	}
	for (size_t i = 0; i < m->navps; i++) {
		const struct l2tp_avp *a = &m->avps[i];
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(a->vendor, a->type);

		/* Reserved bits set make an AVP unrecognised (§4.1). */
		if (a->m && (ai == NULL || a->rsvd)) {
			struct l2tp_event *ev =
			    eng_ev(e, L2TP_EV_UNKNOWN_AVP, t, NULL);

			if (ev) {
				ev->msg_type = m->msg_type;
				eng_ev_text(
				    e, ev,
				    "%s carries unknown mandatory AVP %s "
				    "(vendor %u type %u%s)",
				    mname(m->msg_type, nb, sizeof(nb)),
				    l2tp_avp_name(a->vendor, a->type, ab,
				                  sizeof(ab)),
				    a->vendor, a->type,
				    a->rsvd ? ", reserved bits set" : "");
			}
			*error = 8;
			snprintf(text, tlen,
			         "unknown mandatory AVP vendor %u "
			         "type %u",
			         a->vendor, a->type);
			return false;
		}
		if (ai && !a->h) {
			struct l2tp_bytes v = l2tp_avp_data(a);

			if (v.len < ai->min_len || v.len > ai->max_len) {
				eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
				         "%s: %s has a value of %zu bytes",
				         mname(m->msg_type, nb, sizeof(nb)),
				         ai->name, v.len);
				*error = 2;
				snprintf(text, tlen, "%s: wrong length %zu",
				         ai->name, v.len);
				return false;
			}
		} else if (ai && a->decrypted) {
			struct l2tp_bytes v = a->plain;

			if (v.len < ai->min_len || v.len > ai->max_len) {
				eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
				         "%s: hidden %s has a value of %zu "
				         "bytes",
				         mname(m->msg_type, nb, sizeof(nb)),
				         ai->name, v.len);
				*error = 2;
				/* A response that cannot be checked is an
				 * authentication failure (result 4). */
				if (a->vendor == 0 &&
				    a->type == L2TP_AVP_CHALLENGE_RESPONSE)
					*result = 4;
				snprintf(text, tlen,
				         "hidden %s: wrong length %zu",
				         ai->name, v.len);
				return false;
			}
		}
	}
	if (mi == NULL)
		return true;
	for (unsigned ty = 1; ty < 64; ty++) {
		if (!(mi->required & ((uint64_t)1 << ty)))
			continue;
		if (avp(m, (uint16_t)ty) == NULL) {
			const struct l2tp_avp_info *ai =
			    l2tp_avp_info(0, (uint16_t)ty);
			struct l2tp_event *ev =
			    eng_ev(e, L2TP_EV_MISSING_AVP, t, NULL);

			if (ev) {
				ev->msg_type = m->msg_type;
				eng_ev_text(e, ev, "%s lacks mandatory AVP %s",
				            mname(m->msg_type, nb, sizeof(nb)),
				            ai ? ai->name : "?");
			}
			/*
			 * RFC 2661 §6 says which AVPs each message MUST
			 * carry but not how to answer when one is missing,
			 * and none of the general error codes of §4.4.2
			 * (0-8) names that case.  We answer result 2 with
			 * general error 6 ("a generic vendor-specific
			 * error") and the AVP's name as the error message,
			 * as xl2tpd does: the name is what tells the peer's
			 * operator what to fix.  Error 2 ("Length is
			 * wrong") and 3 (a value out of range) would point
			 * at something that is not there.
			 */
			*error = 6;
			snprintf(text, tlen, "%s lacks mandatory AVP %s",
			         mname(m->msg_type, nb, sizeof(nb)),
			         ai ? ai->name : "?");
			return false;
		}
	}
	return true;
}

static void
unexpected(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	struct l2tp_event *ev = eng_ev(e, L2TP_EV_UNEXPECTED, t, NULL);
	char nb[24];
	const char *st = l2tp_tunnel_state_name(t->state);
	const char *mn = mname(m->msg_type, nb, sizeof(nb));

	if (ev) {
		ev->msg_type = m->msg_type;
		ev->state = t->state;
		eng_ev_text(e, ev, "%s unexpected in state %s", mn, st);
	}
	eng_stop(e, t, 7, -1, "%s unexpected in state %s", mn, st);
}

/* What SCCRQ and SCCRP tell about the peer; false when a value is bad. */
static bool
read_peer(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	const struct l2tp_avp *a;
	struct l2tp_bytes v;

	if ((a = avp(m, L2TP_AVP_PROTOCOL_VERSION)) != NULL) {
		v = l2tp_avp_data(a);
		t->peer_version = v.p[0];
		t->peer_revision = v.p[1];
		if (v.p[0] != 1 || v.p[1] != 0) {
			eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
			         "peer speaks protocol version %u.%u, not 1.0",
			         v.p[0], v.p[1]);
			/* §4.4.2: with result 5 the Error Code is the
			 * highest version supported, as the Protocol
			 * Version AVP spells it (version, revision). */
			eng_stop(e, t, 5, 0x0100,
			         "protocol version %u.%u not supported; 1.0 is",
			         v.p[0], v.p[1]);
			return false;
		}
	}
	t->peer_framing = get32(m, L2TP_AVP_FRAMING_CAP);
	t->peer_bearer = get32(m, L2TP_AVP_BEARER_CAP);
	t->peer_firmware = get16(m, L2TP_AVP_FIRMWARE_REV);
	if ((a = avp(m, L2TP_AVP_HOST_NAME)) != NULL)
		copy_str(t->peer_host, sizeof(t->peer_host), l2tp_avp_data(a));
	if ((a = avp(m, L2TP_AVP_VENDOR_NAME)) != NULL)
		copy_str(t->peer_vendor, sizeof(t->peer_vendor),
		         l2tp_avp_data(a));
	t->peer_rws = 4;
	if ((a = avp(m, L2TP_AVP_RECEIVE_WINDOW)) != NULL) {
		t->peer_rws = get16(m, L2TP_AVP_RECEIVE_WINDOW);
		if (t->peer_rws == 0) {
			eng_stop(e, t, 2, 3, "Receive Window Size 0");
			return false;
		}
	}
	/* Slow start's threshold is the peer's window (Appendix A). */
	t->ssthresh = t->peer_rws;
	if (t->cwnd > t->peer_rws)
		t->cwnd = t->peer_rws;
	if ((a = avp(m, L2TP_AVP_ASSIGNED_TUNNEL_ID)) != NULL) {
		uint16_t rid = get16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);

		if (rid == 0) {
			eng_stop(e, t, 2, 3, "Assigned Tunnel ID 0");
			return false;
		}
		if (t->rid != rid) {
			t->rid = rid;
			eng_tunnel_set_peer_key(e, t);
		}
	}
	return true;
}

static void auth_event(struct l2tp_engine *e, struct eng_tunnel *t, bool ok,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
auth_event(struct l2tp_engine *e, struct eng_tunnel *t, bool ok,
           const char *fmt, ...)
{
	struct l2tp_event *ev = eng_ev(e, L2TP_EV_AUTH, t, NULL);
	char text[200];
	va_list ap;

	if (ev == NULL)
		return;
	ev->ok = ok;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	eng_ev_text(e, ev, "%s", text);
}

/*
 * Check the peer's Challenge Response to our challenge: `id` is the
 * message type that carries it (2 SCCRP, 3 SCCCN).  Stops the tunnel with
 * result 4 when wrong or missing.
 */
static bool
verify_response(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
                uint8_t id)
{
	const char *secret = eng_secret_for(e, t);
	const char *who = t->role == L2TP_ROLE_LAC ? "LNS" : "LAC";
	const char *msg = id == 2 ? "SCCRP" : "SCCCN";
	const struct l2tp_avp *a = avp(m, L2TP_AVP_CHALLENGE_RESPONSE);
	uint8_t want[16];

	if (!t->chal_sent)
		return true;
	if (a == NULL) {
		auth_event(
		    e, t, false,
		    "the %s (%s) sent no Challenge Response in its %s to our "
		    "challenge",
		    who, t->peer_host, msg);
		eng_stop(e, t, 4, -1, "no challenge response in %s", msg);
		return false;
	}
	if (secret == NULL) {
		auth_event(
		    e, t, false,
		    "cannot check the %s's Challenge Response: no secret for "
		    "%s",
		    who, t->peer_host);
		eng_stop(e, t, 4, -1, "no secret for %s", t->peer_host);
		return false;
	}
	l2tp_chap_response(id, (const uint8_t *)secret, strlen(secret), t->chal,
	                   sizeof(t->chal), want);
	/* Constant time: how many bytes matched must not show in how long
	 * the answer takes. */
	if (l2tp_avp_data(a).len != 16 ||
	    CRYPTO_memcmp(l2tp_avp_data(a).p, want, 16) != 0) {
		auth_event(
		    e, t, false,
		    "the %s's (%s) Challenge Response in %s is wrong: its "
		    "secret differs from ours",
		    who, t->peer_host, msg);
		eng_stop(e, t, 4, -1, "challenge response in %s is wrong", msg);
		return false;
	}
	t->authenticated = true;
	auth_event(e, t, true,
	           "the %s's (%s) Challenge Response in %s is "
	           "right",
	           who, t->peer_host, msg);
	return true;
}

/* Answer the peer's Challenge, if any; false (tunnel stopped) if we
 * cannot. */
static bool
answer_challenge(struct l2tp_engine *e, struct eng_tunnel *t,
                 struct l2tp_msg *m, struct eng_mb *out, uint8_t id)
{
	const struct l2tp_avp *a = avp(m, L2TP_AVP_CHALLENGE);
	const char *secret = eng_secret_for(e, t);
	uint8_t resp[16];
	struct l2tp_bytes c;

	if (a == NULL)
		return true;
	if (secret == NULL) {
		auth_event(e, t, false,
		           "%s (%s) challenged us and no secret is set for it",
		           t->role == L2TP_ROLE_LAC ? "the LNS" : "the LAC",
		           t->peer_host);
		eng_stop(e, t, 4, -1, "challenged, but no secret is set");
		return false;
	}
	c = l2tp_avp_data(a);
	l2tp_chap_response(id, (const uint8_t *)secret, strlen(secret), c.p,
	                   c.len, resp);
	eng_mb_avp(out, true, L2TP_AVP_CHALLENGE_RESPONSE, resp, 16);
	t->answered = true;
	return true;
}

static void
rx_sccrq(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	struct eng_mb r;

	if (!read_peer(e, t, m))
		return;
	eng_mb_begin(&r, e, t, L2TP_SCCRP, 0, 0);
	add_scc_avps(&r, e, t);
	if (!answer_challenge(e, t, m, &r, L2TP_SCCRP))
		return;
	if (add_challenge(&r, e, t, eng_secret_for(e, t)) < 0) {
		eng_stop(e, t, 2, 4, "random source failed");
		return;
	}
	r.then_state = L2TP_TS_WAIT_CTL_CONN;
	eng_mb_queue(&r);
}

void
eng_tunnel_up(struct l2tp_engine *e, struct eng_tunnel *t)
{
	eng_set_state(e, t, L2TP_TS_ESTABLISHED);
	eng_call_tunnel_up(e, t);
}

static void
rx_sccrp(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	struct eng_mb r;

	if (!read_peer(e, t, m))
		return;
	if (!verify_response(e, t, m, L2TP_SCCRP))
		return;
	eng_mb_begin(&r, e, t, L2TP_SCCCN, 0, 0);
	if (!answer_challenge(e, t, m, &r, L2TP_SCCCN))
		return;
	r.then_state = L2TP_TS_ESTABLISHED;
	eng_mb_queue(&r);
}

static void
rx_scccn(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	if (!verify_response(e, t, m, L2TP_SCCCN))
		return;
	eng_tunnel_up(e, t);
}

static void
rx_stopccn(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	const struct l2tp_avp *a = avp(m, L2TP_AVP_RESULT_CODE);
	struct l2tp_value v;
	struct l2tp_event *ev;
	const char *rt;

	t->last_result = t->last_error = 0;
	t->last_message[0] = 0;
	if (a && l2tp_avp_value(a, &v) == 0) {
		t->last_result = v.result;
		t->last_error = v.has_error ? v.error : 0;
		if (v.has_message)
			copy_str(t->last_message, sizeof(t->last_message), v.b);
	}
	rt = l2tp_stopccn_result_text(t->last_result);
	ev = eng_ev(e, L2TP_EV_STOPCCN, t, NULL);
	if (ev) {
		ev->msg_type = L2TP_STOPCCN;
		ev->result = t->last_result;
		ev->error = t->last_error;
		eng_ev_text(e, ev,
		            "peer sent StopCCN result %u (%s) error %u%s%s",
		            t->last_result, rt ? rt : "unknown", t->last_error,
		            t->last_message[0] ? ": " : "", t->last_message);
	}
	/* xl2tpd says result 2 error 6 "Invalid challenge authentication"
	 * where the RFC has result 4. */
	if (t->answered &&
	    (t->last_result == 4 ||
	     (t->last_result == 2 && strstr(t->last_message, "auth"))))
		auth_event(e, t, false,
		           "the peer (%s) rejected our Challenge Response "
		           "(StopCCN result %u): our secret differs from its",
		           t->peer_host, t->last_result);
	eng_clear_sessions(e, t, "StopCCN received");
	/* Our own StopCCN, if any, still wants its ack; all else goes. */
	eng_txq_drop(e, t, t->state == L2TP_TS_CLOSING);
	if (t->state != L2TP_TS_CLOSING) {
		eng_set_state(e, t, L2TP_TS_CLOSING);
		t->hold_at = e->now + e->cycle_ms;
	}
	eng_send_zlb(e, t);
}

void
eng_setup_timers(struct l2tp_engine *e, struct eng_tunnel *t)
{
	if (e->now >= t->setup_at && t->rid == 0 && t->ns_next == 0 &&
	    t->state == L2TP_TS_IDLE) {
		/* Nothing ever went out (its SCCRQ dropped in step mode):
		 * nothing to stop, only to forget. */
		t->setup_timed_out = true;
		e->st.setup_timeouts_tunnel++;
		eng_emit(e, L2TP_EV_TIMER, t, NULL,
		         "tunnel %u: setup timed out in idle, nothing sent: "
		         "cleared",
		         t->lid);
		eng_tunnel_kill(e, t);
		return;
	}
	if (e->now >= t->setup_at && t->state != L2TP_TS_ESTABLISHED &&
	    t->state != L2TP_TS_CLOSING) {
		const char *st = l2tp_tunnel_state_name(t->state);
		unsigned long long ms = e->now - t->created_ms;

		t->setup_at = ENG_NEVER;
		t->setup_timed_out = true;
		t->setup_timeout_state = t->state;
		e->st.setup_timeouts_tunnel++;
		eng_emit(e, L2TP_EV_TIMER, t, NULL,
		         "tunnel %u: setup timed out in %s after %llu ms: "
		         "cleared",
		         t->lid, st, ms);
		/* Result 2 with error 6 and the words: no general error
		 * code of §4.4.2 names a timeout. */
		eng_stop(e, t, 2, 6, "setup timed out in %s after %llu s", st,
		         ms / 1000);
	} else if (e->now >= t->setup_at) {
		t->setup_at = ENG_NEVER;
	}
	if (!t->dead && e->now >= t->call_at)
		eng_call_timers(e, t);
}

static void
rx_hello(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m)
{
	t->hellos_in++;
	if (m->session != 0)
		eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
		         "Hello with Session ID %u (must be 0)",
		         (unsigned)m->session);
}

/* The control connection FSM (§7.2): the one state each message is
 * expected in, and its handler. */
static const struct {
	int type;
	int state;
	void (*fn)(struct l2tp_engine *, struct eng_tunnel *,
	           struct l2tp_msg *);
} fsm[] = {
    {L2TP_SCCRQ, L2TP_TS_IDLE, rx_sccrq},
    {L2TP_SCCRP, L2TP_TS_WAIT_CTL_REPLY, rx_sccrp},
    {L2TP_SCCCN, L2TP_TS_WAIT_CTL_CONN, rx_scccn},
    {L2TP_HELLO, L2TP_TS_ESTABLISHED, rx_hello},
};

/*
 * A control message whose header is sound but whose AVPs the decoder
 * finds malformed (a fixed-size AVP of the wrong length, an AVP running
 * past the message, a hidden AVP with no Random Vector, Message Type not
 * first).  §7.1 says such a message SHOULD be logged and the control
 * connection cleared: we answer with a StopCCN naming the AVP and what was
 * wrong, result 4 when it is the Challenge Response (an authentication
 * that cannot be checked), else result 2 error 2 "Length is wrong".  The
 * message was taken in sequence, so the StopCCN acknowledges it and the
 * peer does not keep resending it.
 */
static void
answer_malformed(struct l2tp_engine *e, struct eng_tunnel *t,
                 const struct l2tp_msg *m)
{
	const struct l2tp_problem *pb = NULL;
	char nb[24];

	for (size_t i = 0; i < m->nproblems && pb == NULL; i++)
		if (m->problems[i].kind == L2TP_FAULT_MALFORMED)
			pb = &m->problems[i];
	t->malformed_in++;
	e->st.malformed_in++;
	eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
	         "malformed %s Ns %u: %s; tunnel cleared (RFC 2661 7.1)",
	         m->msg_type < 0 ? "control message"
	                         : mname(m->msg_type, nb, sizeof(nb)),
	         m->ns, pb ? pb->what : "malformed");
	if (pb && pb->avp >= 0 && (size_t)pb->avp < m->navps &&
	    m->avps[pb->avp].vendor == 0 &&
	    m->avps[pb->avp].type == L2TP_AVP_CHALLENGE_RESPONSE) {
		if (t->chal_sent)
			auth_event(
			    e, t, false,
			    "the peer's (%s) Challenge Response cannot be "
			    "checked: %s",
			    t->peer_host, pb->what);
		eng_stop(e, t, 4, -1, "%s", pb->what);
		return;
	}
	eng_stop(e, t, 2, 2, "%s", pb ? pb->what : "malformed message");
}

/* One in-order control message on a tunnel. */
static void
process(struct l2tp_engine *e, struct eng_tunnel *t, struct l2tp_msg *m,
        const uint8_t *buf, size_t len)
{
	const struct l2tp_msg_info *mi = l2tp_msg_info(m->msg_type);
	const struct l2tp_avp *a0;
	struct l2tp_event *ev;
	struct eng_session *sess;
	char nb[24], text[L2TP_NAME_MAX];
	uint16_t err = 0, res = 2;

	t->ctl_in++;
	/* The header's Session ID names our session, when it is one. */
	sess = m->session ? eng_session_find(e, (uint16_t)m->session) : NULL;
	ev = eng_ev(e, L2TP_EV_MSG_IN, t, sess && sess->t == t ? sess : NULL);
	if (ev) {
		ev->msg_type = m->msg_type;
		ev->ns = m->ns;
		ev->nr = m->nr;
		eng_ev_text(e, ev, "%s Ns %u Nr %u",
		            mname(m->msg_type, nb, sizeof(nb)), m->ns, m->nr);
		eng_ev_msg(e, ev, buf, len);
	}
	if (t->state == L2TP_TS_CLOSING) {
		if (m->msg_type == L2TP_STOPCCN)
			rx_stopccn(e, t, m);
		else
			eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
			         "%s ignored: the tunnel is closing",
			         mname(m->msg_type, nb, sizeof(nb)));
		return;
	}
	if (m->fault == L2TP_FAULT_MALFORMED) {
		answer_malformed(e, t, m);
		return;
	}
	/* The Host Name is never hidden (§4.4.3) and picks the secret that
	 * opens the hidden AVPs: read it before opening them. */
	if ((m->msg_type == L2TP_SCCRP || m->msg_type == L2TP_SCCRQ) &&
	    (a0 = avp(m, L2TP_AVP_HOST_NAME)) != NULL && !a0->h)
		copy_str(t->peer_host, sizeof(t->peer_host), l2tp_avp_data(a0));
	if (mi == NULL) {
		const struct l2tp_avp *a = &m->avps[0];

		eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
		         "unknown message type %d%s", m->msg_type,
		         a->m ? " with the M bit: tunnel cleared"
		              : ", ignored");
		if (a->m)
			eng_stop(e, t, 2, 8, "unknown message type %d",
			         m->msg_type);
		return;
	}
	/* A StopCCN is honoured whatever it carries. */
	if (m->msg_type != L2TP_STOPCCN &&
	    !check_msg(e, t, m, &res, &err, text, sizeof(text))) {
		if (mi->session_scope && t->state == L2TP_TS_ESTABLISHED) {
			eng_call_rx(e, t, m, err, text); /* a CDN */
			return;
		}
		if (res == 4)
			eng_stop(e, t, 4, -1, "%s", text);
		else
			eng_stop(e, t, res, err, "%s", text);
		return;
	}
	if (m->msg_type == L2TP_STOPCCN) {
		open_hidden(e, t, m, eng_secret_for(e, t));
		rx_stopccn(e, t, m);
		return;
	}
	if (mi->session_scope) {
		if (t->state != L2TP_TS_ESTABLISHED) {
			unexpected(e, t, m);
			return;
		}
		eng_call_rx(e, t, m, 0, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(fsm) / sizeof(fsm[0]); i++)
		if (fsm[i].type == m->msg_type && fsm[i].state == t->state) {
			fsm[i].fn(e, t, m);
			return;
		}
	/* §7.2: anything else in this state is an FSM error. */
	unexpected(e, t, m);
}

static void
rx_on_tunnel(struct l2tp_engine *e, struct eng_tunnel *t, const uint8_t *buf,
             size_t len)
{
	struct l2tp_msg *m = &e->rxm;
	struct l2tp_event *ev;
	uint16_t ns = m->ns;
	char nb[24];

	t->last_rx = e->now;
	if (t->state == L2TP_TS_ESTABLISHED && t->hello_ms)
		t->hello_at = e->now + t->hello_ms;
	eng_rx_ack(e, t, m->nr);
	if (m->navps == 0) {
		t->zlb_in++;
		ev = eng_ev(e, L2TP_EV_ZLB_IN, t, NULL);
		if (ev) {
			ev->ns = m->ns;
			ev->nr = m->nr;
			eng_ev_text(e, ev, "ZLB Ns %u Nr %u", m->ns, m->nr);
			eng_ev_msg(e, ev, buf, len);
		}
		goto out;
	}
	if (m->msg_type < 0 && m->fault != L2TP_FAULT_MALFORMED) {
		eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
		         "control message whose first AVP is not a readable "
		         "Message Type: dropped");
		goto out;
	}
	if (ns == t->nr) {
		if (t->ack_at == ENG_NEVER)
			t->ack_at = e->now + e->cfg.zlb_delay_ms;
		t->nr++;
		process(e, t, m, buf, len);
		/* Then whatever the gap held back, in order. */
		while (!t->dead && t->ooo && t->ooo->ns == t->nr) {
			struct eng_buf *b = t->ooo;

			t->ooo = b->next;
			t->nooo--;
			e->nooo--;
			t->nr++;
			if (l2tp_parse(b->data, b->len, b->len, L2TP_UDP, NULL,
			               m) == 0)
				process(e, t, m, b->data, b->len);
			eng_buf_free(e, b);
		}
	} else if (l2tp_seq_lt(ns, t->nr)) {
		t->duplicates++;
		ev = eng_ev(e, L2TP_EV_DUPLICATE, t, NULL);
		if (ev) {
			ev->msg_type = m->msg_type;
			ev->ns = ns;
			ev->nr = m->nr;
			eng_ev_text(e, ev,
			            "duplicate %s Ns %u (expected %u): "
			            "acknowledged again",
			            mname(m->msg_type, nb, sizeof(nb)), ns,
			            t->nr);
		}
		eng_send_zlb(e, t);
	} else if ((uint16_t)(ns - t->nr) < t->adv_rws &&
	           e->cfg.max_out_of_order &&
	           e->nooo >= e->cfg.max_out_of_order) {
		/* Inside the window, but every tunnel's early messages
		 * together are at the limit: as if lost. */
		e->st.refused_out_of_order++;
		eng_refused(
		    e, t,
		    "%s Ns %u arrived early and %u messages are already "
		    "queued ahead of gaps (limit): dropped as if lost",
		    mname(m->msg_type, nb, sizeof(nb)), ns, e->nooo);
	} else if ((uint16_t)(ns - t->nr) < t->adv_rws) {
		t->out_of_order++;
		ev = eng_ev(e, L2TP_EV_OUT_OF_ORDER, t, NULL);
		if (ev) {
			ev->msg_type = m->msg_type;
			ev->ns = ns;
			eng_ev_text(e, ev,
			            "%s Ns %u arrived before Ns %u: "
			            "queued",
			            mname(m->msg_type, nb, sizeof(nb)), ns,
			            t->nr);
		}
		eng_ooo_insert(e, t, ns, buf, len);
		eng_send_zlb(e, t);
	} else {
		t->out_of_window++;
		ev = eng_ev(e, L2TP_EV_OUT_OF_WINDOW, t, NULL);
		if (ev) {
			ev->msg_type = m->msg_type;
			ev->ns = ns;
			eng_ev_text(e, ev,
			            "%s Ns %u outside our window "
			            "(%u..%u): dropped",
			            mname(m->msg_type, nb, sizeof(nb)), ns,
			            t->nr, (uint16_t)(t->nr + t->adv_rws - 1));
		}
	}
out:
	if (!t->dead)
		eng_pump(e, t);
}

/* Tie breaker (§4.4.3 Tie Breaker AVP, §7.2): true when it is dropped. */
static bool
tie_break(struct l2tp_engine *e, const struct l2tp_addr *from,
          struct l2tp_msg *m, enum l2tp_role *role, bool *accept,
          struct eng_tunnel **loser)
{
	const struct l2tp_avp *a = avp(m, L2TP_AVP_TIE_BREAKER);
	struct eng_hnode *n =
	    eng_hash_first(&e->tun_wait, eng_addr_key(from, false));
	struct eng_tunnel *w = NULL;
	const uint8_t *theirs = NULL;
	int c;

	for (; n; n = n->next) {
		struct eng_tunnel *x =
		    (struct eng_tunnel *)(void *)((char *)n -
		                                  offsetof(struct eng_tunnel,
		                                           h_wait));

		if (x->in_wait && l2tp_addr_eq(&x->peer, from, false)) {
			w = x;
			break;
		}
	}
	if (a && l2tp_avp_data(a).len == 8)
		theirs = l2tp_avp_data(a).p;
	if (w == NULL || (!w->tb_sent && theirs == NULL))
		return false;
	if (w->tb_sent && theirs)
		c = memcmp(w->tb, theirs, 8);
	else
		c = w->tb_sent ? -1 : 1;
	if (c < 0) {
		eng_emit(
		    e, L2TP_EV_TIE_BREAK, w, NULL,
		    "SCCRQ from the peer while ours is out: %s; we win, its "
		    "SCCRQ is dropped",
		    theirs ? "our tie breaker is lower"
		           : "only we sent a tie breaker");
		return true;
	}
	if (c == 0) {
		eng_emit(
		    e, L2TP_EV_TIE_BREAK, w, NULL,
		    "SCCRQ from the peer with the same tie breaker as ours: "
		    "both are discarded");
		eng_set_state(e, w, L2TP_TS_IDLE);
		eng_tunnel_kill(e, w);
		return true;
	}
	eng_emit(
	    e, L2TP_EV_TIE_BREAK, w, NULL,
	    "SCCRQ from the peer while ours is out: %s; the peer wins, our "
	    "tunnel %u is discarded and its SCCRQ answered",
	    w->tb_sent ? "its tie breaker is lower"
	               : "only the peer sent a tie breaker",
	    w->lid);
	*role = w->role;
	*accept = true;
	/* Cleared once its waiting calls have moved to the new tunnel. */
	eng_tunnel_set_wait(e, w, false);
	*loser = w;
	return false;
}

void
eng_refuse_sccrq(struct l2tp_engine *e, const struct l2tp_addr *to,
                 uint16_t rid, uint16_t ns, uint16_t nr, uint16_t result,
                 int error, const char *message)
{
	struct l2tp_builder b;
	uint8_t buf[160];
	struct l2tp_event *ev;
	int n;

	/*
	 * No tunnel is kept for it (that is the point of a limit), so the
	 * StopCCN goes once, unsequenced state-wise: the Ns the peer expects
	 * (0 after an SCCRQ), Nr acknowledging its message, addressed to the
	 * peer's Assigned Tunnel ID, and our Assigned Tunnel ID 0 since we
	 * assigned none.  A peer that misses it retransmits its request and is
	 * refused again.
	 */
	l2tp_build_control(&b, buf, sizeof(buf), rid, 0, ns, nr);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 0);
	l2tp_build_result(&b, result, error, message);
	if ((n = l2tp_build_end(&b)) < 0)
		return;
	eng_send_dgram(e, to, 0, buf, (size_t)n);
	ev = eng_ev(e, L2TP_EV_MSG_OUT, NULL, NULL);
	if (ev) {
		ev->peer = *to;
		ev->outgoing = ev->ok = true;
		ev->msg_type = L2TP_STOPCCN;
		ev->result = result;
		ev->error = error >= 0 ? (uint16_t)error : 0;
		eng_ev_text(e, ev,
		            "StopCCN result %u error %d to tunnel %u "
		            "sent once: %s",
		            result, error, rid, message);
		eng_ev_msg(e, ev, buf, (size_t)n);
	}
}

static void
rx_new_sccrq(struct l2tp_engine *e, const struct l2tp_addr *from,
             const uint8_t *buf, size_t len, bool stepped)
{
	struct l2tp_msg *m = &e->rxm;
	const struct l2tp_avp *a;
	const char *secret;
	char host[L2TP_NAME_MAX] = "";
	uint16_t rid = 0;
	enum l2tp_role role = e->listen_role;
	bool accept = e->listening;
	struct eng_tunnel *t, *loser = NULL;

	if ((a = avp(m, L2TP_AVP_HOST_NAME)) != NULL)
		copy_str(host, sizeof(host), l2tp_avp_data(a));
	secret = eng_secret_lookup(e, from, host);
	if (secret)
		l2tp_unhide(m, &secret, 1, e->unhide, ENG_SCRATCH);
	rid = get16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	if (rid) {
		/* A repeated SCCRQ belongs to the tunnel it created. */
		uint64_t k = l2tp_mix64(eng_addr_key(from, true) ^ rid);

		for (struct eng_hnode *n = eng_hash_first(&e->tun_by_peer, k);
		     n; n = n->next) {
			t = (struct eng_tunnel *)(void *)((char *)n -
			                                  offsetof(
			                                      struct eng_tunnel,
			                                      h_peer));
			if (n->key == k && t->rid == rid &&
			    l2tp_addr_eq(&t->peer, from, true) &&
			    !t->initiator) {
				if (t->mode == L2TP_MODE_STEP && !stepped)
					eng_step_hold_rx(e, t, from, buf, len);
				else
					rx_on_tunnel(e, t, buf, len);
				return;
			}
		}
	}
	if (e->cfg.mode == L2TP_MODE_STEP && !stepped) {
		eng_step_hold_rx(e, NULL, from, buf, len);
		return;
	}
	if (tie_break(e, from, m, &role, &accept, &loser))
		return;
	if (!accept) {
		e->st.no_tunnel_in++;
		eng_emit(e, L2TP_EV_ANOMALY, NULL, NULL,
		         "SCCRQ from a peer while not listening: dropped");
		return;
	}
	if (loser == NULL && e->cfg.max_tunnels_per_peer &&
	    eng_peer_tunnels(e, from) >= e->cfg.max_tunnels_per_peer) {
		char text[L2TP_NAME_MAX];

		e->st.refused_tunnels_peer++;
		snprintf(text, sizeof(text), "%u tunnels from this address",
		         e->cfg.max_tunnels_per_peer);
		eng_refused(e, NULL,
		            "SCCRQ (its tunnel %u) refused: %s already (limit "
		            "tunnels-per-peer); StopCCN result 2 error 4",
		            rid, text);
		eng_refuse_sccrq(e, from, rid, 0, (uint16_t)(m->ns + 1), 2, 4,
		                 text);
		return;
	}
	if (loser == NULL && e->cfg.max_tunnels &&
	    e->st.tunnels >= e->cfg.max_tunnels) {
		char text[L2TP_NAME_MAX];

		e->st.refused_tunnels_total++;
		snprintf(text, sizeof(text), "%u tunnels in all",
		         e->cfg.max_tunnels);
		eng_refused(e, NULL,
		            "SCCRQ (its tunnel %u) refused: %s already (limit "
		            "tunnels); StopCCN result 2 error 4",
		            rid, text);
		eng_refuse_sccrq(e, from, rid, 0, (uint16_t)(m->ns + 1), 2, 4,
		                 text);
		return;
	}
	t = eng_tunnel_new(e, from, role, e->now);
	if (loser) {
		/* §7.2: the loser's calls are requeued on the winner's. */
		while (t && loser->sessions) {
			struct eng_session *s = loser->sessions;

			eng_emit(e, L2TP_EV_SESSION_STATE, t, s,
			         "session %u moved from tunnel %u to tunnel %u",
			         s->lid, loser->lid, t->lid);
			eng_session_move(e, s, t);
		}
		eng_set_state(e, loser, L2TP_TS_IDLE);
		eng_tunnel_kill(e, loser);
	}
	if (t == NULL) {
		eng_emit(e, L2TP_EV_ANOMALY, NULL, NULL,
		         "SCCRQ dropped: no memory or ids for a new tunnel");
		return;
	}
	t->nr = m->ns;
	if (rid) {
		t->rid = rid;
		eng_tunnel_set_peer_key(e, t);
	}
	rx_on_tunnel(e, t, buf, len);
	/* A request we could not even answer leaves nothing behind. */
	if (!t->dead && t->state == L2TP_TS_IDLE && t->txq == NULL &&
	    t->mode != L2TP_MODE_STEP)
		eng_tunnel_kill(e, t);
}

/*
 * A malformed control message with Tunnel ID 0: there is no tunnel to
 * clear (§7.1's answer, answer_malformed(), needs one), and creating one
 * for a message whose AVPs contradict themselves would let a corrupted
 * datagram make state.  It is counted and reported, and dropped
 * unacknowledged; the peer retransmits it and gives up after its retry
 * limit if it keeps sending it so.
 */
static void
drop_malformed(struct l2tp_engine *e, struct eng_tunnel *t,
               const struct l2tp_msg *m, size_t len)
{
	const char *what = "malformed";
	char nb[24];

	for (size_t i = 0; i < m->nproblems; i++)
		if (m->problems[i].kind == L2TP_FAULT_MALFORMED) {
			what = m->problems[i].what;
			break;
		}
	e->st.bad_in++;
	eng_emit(e, L2TP_EV_BAD_MESSAGE, t, NULL,
	         "malformed %s Ns %u of %zu bytes dropped unacknowledged: %s",
	         m->msg_type < 0 ? "control message"
	                         : mname(m->msg_type, nb, sizeof(nb)),
	         m->ns, len, what);
}

/* Open the hidden AVPs of a message for no tunnel with the secret for its
 * sender (by address, by the Host Name it carries, else the default). */
static void
open_for(struct l2tp_engine *e, const struct l2tp_addr *from,
         struct l2tp_msg *m)
{
	const struct l2tp_avp *a = avp(m, L2TP_AVP_HOST_NAME);
	char host[L2TP_NAME_MAX] = "";
	const char *secret;

	if (a && !a->h)
		copy_str(host, sizeof(host), l2tp_avp_data(a));
	secret = eng_secret_lookup(e, from, host);
	if (secret)
		l2tp_unhide(m, &secret, 1, e->unhide, ENG_SCRATCH);
}

/* The tunnel a StopCCN with Tunnel ID 0 names: ours with that peer
 * (address and port) whose remote id is its Assigned Tunnel ID. */
static struct eng_tunnel *
stopccn_tunnel(struct l2tp_engine *e, const struct l2tp_addr *from,
               struct l2tp_msg *m)
{
	uint16_t rid;
	uint64_t k;

	if (m->fault == L2TP_FAULT_MALFORMED)
		return NULL;
	open_for(e, from, m);
	if ((rid = get16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID)) == 0)
		return NULL;
	k = l2tp_mix64(eng_addr_key(from, true) ^ rid);
	for (struct eng_hnode *n = eng_hash_first(&e->tun_by_peer, k); n;
	     n = n->next) {
		struct eng_tunnel *t =
		    (struct eng_tunnel *)(void *)((char *)n -
		                                  offsetof(struct eng_tunnel,
		                                           h_peer));

		if (n->key == k && t->rid == rid &&
		    l2tp_addr_eq(&t->peer, from, true))
			return t;
	}
	return NULL;
}

/*
 * An SCCRP for a tunnel we do not have: §7.2 has idle + SCCRP -> send
 * StopCCN, clean up (an SCCCN or anything else for no tunnel is only
 * dropped).  The peer is holding a tunnel for a request we no longer
 * know (ours timed out, or a stale one): tell it so it need not wait for
 * its retry limit.  Result 2 error 1, "no control connection exists yet".
 */
static void
answer_stray_sccrp(struct l2tp_engine *e, const struct l2tp_addr *from,
                   struct l2tp_msg *m)
{
	uint16_t rid;

	open_for(e, from, m);
	rid = get16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	eng_emit(e, L2TP_EV_ANOMALY, NULL, NULL,
	         "SCCRP for unknown tunnel %u (its tunnel %u): answered with "
	         "StopCCN (RFC 2661 7.2)",
	         (unsigned)m->tunnel, rid);
	if (rid)
		eng_refuse_sccrq(e, from, rid, m->nr, (uint16_t)(m->ns + 1), 2,
		                 1, "no such tunnel");
}

void
eng_rx_control(struct l2tp_engine *e, const struct l2tp_addr *from,
               const uint8_t *buf, size_t len, bool stepped)
{
	struct l2tp_msg *m = &e->rxm;
	struct eng_tunnel *t;
	int rc;

	/* Data messages (T=0) take their own short path: no AVPs to parse,
	 * no allocation, the session found by the header's Session ID. */
	if (len >= 2 && !(buf[0] & 0x80) && (buf[1] & 0x0f) == 2) {
		eng_sess_rx_data(e, from, buf, len, stepped);
		return;
	}
	rc = l2tp_parse(buf, len, len, L2TP_UDP, NULL, m);
	if (rc < 0 || m->version != 2) {
		e->st.bad_in++;
		eng_emit(e, L2TP_EV_BAD_MESSAGE, NULL, NULL,
		         "datagram of %zu bytes dropped: %s", len,
		         m->nproblems ? m->problems[0].what
		                      : "not an L2TPv2 message");
		return;
	}
	if (!m->control) {
		e->st.data_in++;
		/* Any message from the peer shows it alive: a data message
		 * puts the Hello off as a control message does (§6.5). */
		t = m->tunnel ? eng_tunnel_find(e, (uint16_t)m->tunnel) : NULL;
		if (t && t->state == L2TP_TS_ESTABLISHED &&
		    l2tp_addr_eq(&t->peer, from, true)) {
			t->last_rx = e->now;
			if (t->hello_ms && t->hello_at != ENG_NEVER) {
				t->hello_at = e->now + t->hello_ms;
				eng_rearm(e, t);
			}
		}
		return;
	}
	if (!m->has_length || !m->has_seq || m->length > len ||
	    m->fault == L2TP_FAULT_TRUNCATED) {
		e->st.bad_in++;
		eng_emit(e, L2TP_EV_BAD_MESSAGE, NULL, NULL,
		         "control message dropped: %s",
		         m->nproblems ? m->problems[0].what : "bad header");
		return;
	}
	if (m->tunnel == 0) {
		if (m->fault == L2TP_FAULT_MALFORMED) {
			drop_malformed(e, NULL, m, len);
			return;
		}
		if (m->msg_type == L2TP_SCCRQ) {
			rx_new_sccrq(e, from, buf, len, stepped);
			return;
		}
		if (m->msg_type == L2TP_STOPCCN &&
		    (t = stopccn_tunnel(e, from, m)) != NULL) {
			/* §4.4.3: sent before the peer knew our id, it
			 * names the tunnel by its own Assigned Tunnel ID. */
			if (t->mode == L2TP_MODE_STEP && !stepped)
				eng_step_hold_rx(e, t, from, buf, len);
			else
				rx_on_tunnel(e, t, buf, len);
			return;
		}
		e->st.no_tunnel_in++;
		eng_emit(
		    e, L2TP_EV_ANOMALY, NULL, NULL,
		    "%s with Tunnel ID 0 dropped (only an SCCRQ may have it)",
		    m->msg_type < 0 ? "ZLB" : "message");
		return;
	}
	t = eng_tunnel_find(e, (uint16_t)m->tunnel);
	if (t == NULL) {
		e->st.no_tunnel_in++;
		if (m->msg_type == L2TP_SCCRP &&
		    m->fault != L2TP_FAULT_MALFORMED) {
			answer_stray_sccrp(e, from, m);
			return;
		}
		eng_emit(e, L2TP_EV_ANOMALY, NULL, NULL,
		         "message for unknown tunnel %u dropped",
		         (unsigned)m->tunnel);
		return;
	}
	if (!l2tp_addr_eq(&t->peer, from, true)) {
		/* §8.1: the responder may answer from another port. */
		if (t->state == L2TP_TS_WAIT_CTL_REPLY && t->rid == 0 &&
		    l2tp_addr_eq(&t->peer, from, false)) {
			eng_emit(e, L2TP_EV_ANOMALY, t, NULL,
			         "peer answers from port %u (we sent to %u)",
			         from->port, t->peer.port);
			t->peer.port = from->port;
		} else {
			eng_emit(
			    e, L2TP_EV_ANOMALY, t, NULL,
			    "message for tunnel %u from another address or "
			    "port: dropped",
			    t->lid);
			return;
		}
	}
	if (t->mode == L2TP_MODE_STEP && !stepped) {
		eng_step_hold_rx(e, t, from, buf, len);
		return;
	}
	rx_on_tunnel(e, t, buf, len);
}
