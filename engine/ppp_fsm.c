/* The option negotiation automaton of RFC 1661 §4, one table shared by LCP and
 * every NCP: states, events, actions, restart timer and counters. */
#include <string.h>

#include "engine/ppp_int.h"

/* One entry: the actions and the next state; next -1 is the RFC's '-'. */
struct ppp_tr {
	uint16_t act;
	int8_t next;
};

#define X                                                                      \
	{                                                                      \
		0, -1                                                          \
	}
#define T(a, n)                                                                \
	{                                                                      \
		(uint16_t)(a), (int8_t)(n)                                     \
	}
enum {
	S0 = L2TP_PPP_INITIAL,
	S1 = L2TP_PPP_STARTING,
	S2 = L2TP_PPP_CLOSED,
	S3 = L2TP_PPP_STOPPED,
	S4 = L2TP_PPP_CLOSING,
	S5 = L2TP_PPP_STOPPING,
	S6 = L2TP_PPP_REQ_SENT,
	S7 = L2TP_PPP_ACK_RCVD,
	S8 = L2TP_PPP_ACK_SENT,
	S9 = L2TP_PPP_OPENED,
};

/*
 * RFC 1661 §4.1, row by row.  Without the restart option (Open in
 * Stopped/Stopping/Opened stays put) and the passive option (TO- in
 * Req-Sent etc. goes to Stopped, as the table says).
 */
static const struct ppp_tr table[PE_COUNT][10] = {
    /* Up */
    {T(0, S2), T(PA_IRC | PA_SCR, S6), X, X, X, X, X, X, X, X},
    /* Down */
    {X, X, T(0, S0), T(PA_TLS, S1), T(0, S0), T(0, S1), T(0, S1), T(0, S1),
     T(0, S1), T(PA_TLD, S1)},
    /* Open */
    {T(PA_TLS, S1), T(0, S1), T(PA_IRC | PA_SCR, S6), T(0, S3), T(0, S5),
     T(0, S5), T(0, S6), T(0, S7), T(0, S8), T(0, S9)},
    /* Close */
    {T(0, S0), T(PA_TLF, S0), T(0, S2), T(0, S2), T(0, S4), T(0, S4),
     T(PA_IRC | PA_STR, S4), T(PA_IRC | PA_STR, S4), T(PA_IRC | PA_STR, S4),
     T(PA_TLD | PA_IRC | PA_STR, S4)},
    /* TO+ */
    {X, X, X, X, T(PA_STR, S4), T(PA_STR, S5), T(PA_SCR, S6), T(PA_SCR, S6),
     T(PA_SCR, S8), X},
    /* TO- */
    {X, X, X, X, T(PA_TLF, S2), T(PA_TLF, S3), T(PA_TLF, S3), T(PA_TLF, S3),
     T(PA_TLF, S3), X},
    /* RCR+ */
    {X, X, T(PA_STA, S2), T(PA_IRC | PA_SCR | PA_SCA, S8), T(0, S4), T(0, S5),
     T(PA_SCA, S8), T(PA_SCA | PA_TLU, S9), T(PA_SCA, S8),
     T(PA_TLD | PA_SCR | PA_SCA, S8)},
    /* RCR- */
    {X, X, T(PA_STA, S2), T(PA_IRC | PA_SCR | PA_SCN, S6), T(0, S4), T(0, S5),
     T(PA_SCN, S6), T(PA_SCN, S7), T(PA_SCN, S6),
     T(PA_TLD | PA_SCR | PA_SCN, S6)},
    /* RCA */
    {X, X, T(PA_STA, S2), T(PA_STA, S3), T(0, S4), T(0, S5), T(PA_IRC, S7),
     T(PA_SCR, S6), T(PA_IRC | PA_TLU, S9), T(PA_TLD | PA_SCR, S6)},
    /* RCN */
    {X, X, T(PA_STA, S2), T(PA_STA, S3), T(0, S4), T(0, S5),
     T(PA_IRC | PA_SCR, S6), T(PA_SCR, S6), T(PA_IRC | PA_SCR, S8),
     T(PA_TLD | PA_SCR, S6)},
    /* RTR */
    {X, X, T(PA_STA, S2), T(PA_STA, S3), T(PA_STA, S4), T(PA_STA, S5),
     T(PA_STA, S6), T(PA_STA, S6), T(PA_STA, S6),
     T(PA_TLD | PA_ZRC | PA_STA, S5)},
    /* RTA */
    {X, X, T(0, S2), T(0, S3), T(PA_TLF, S2), T(PA_TLF, S3), T(0, S6), T(0, S6),
     T(0, S8), T(PA_TLD | PA_SCR, S6)},
    /* RUC */
    {X, X, T(PA_SCJ, S2), T(PA_SCJ, S3), T(PA_SCJ, S4), T(PA_SCJ, S5),
     T(PA_SCJ, S6), T(PA_SCJ, S7), T(PA_SCJ, S8), T(PA_SCJ, S9)},
    /* RXJ+ */
    {X, X, T(0, S2), T(0, S3), T(0, S4), T(0, S5), T(0, S6), T(0, S6), T(0, S8),
     T(0, S9)},
    /* RXJ- */
    {X, X, T(PA_TLF, S2), T(PA_TLF, S3), T(PA_TLF, S2), T(PA_TLF, S3),
     T(PA_TLF, S3), T(PA_TLF, S3), T(PA_TLF, S3),
     T(PA_TLD | PA_IRC | PA_STR, S5)},
    /* RXR */
    {X, X, T(0, S2), T(0, S3), T(0, S4), T(0, S5), T(0, S6), T(0, S7), T(0, S8),
     T(PA_SER, S9)},
};
#undef X
#undef T

int
ppp_fsm_lookup(int state, int event, unsigned *actions)
{
	if (state < 0 || state > 9 || event < 0 || event >= PE_COUNT)
		return -1;
	*actions = table[event][state].act;
	return table[event][state].next;
}

const char *
ppp_fsm_event_name(int event)
{
	static const char *const n[PE_COUNT] = {
	    "Up",  "Down", "Open", "Close", "TO+", "TO-",  "RCR+", "RCR-",
	    "RCA", "RCN",  "RTR",  "RTA",   "RUC", "RXJ+", "RXJ-", "RXR"};

	return event >= 0 && event < PE_COUNT ? n[event] : "?";
}

const char *
ppp_fsm_action_name(unsigned a)
{
	static const char *const n[PA_COUNT] = {
	    "tld", "irc", "zrc", "scr", "sca", "scn", "str",
	    "sta", "scj", "ser", "tlu", "tls", "tlf"};

	for (unsigned i = 0; i < PA_COUNT; i++)
		if (a == 1u << i)
			return n[i];
	return "?";
}

static const struct ppp_layer_ops *const layer_ops[PL_COUNT] = {
    &ppp_lcp_ops, &ppp_ipcp_ops, &ppp_ipv6cp_ops};

const struct ppp_layer_ops *
ppp_fsm_ops(const struct ppp_fsm *f)
{
	return layer_ops[f->layer];
}

void
ppp_fsm_init(struct ppp_fsm *f, int layer)
{
	memset(f, 0, sizeof(*f));
	f->layer = (uint8_t)layer;
	f->state = L2TP_PPP_INITIAL;
	f->timer_at = PPP_NEVER;
}

static void
set_state(struct l2tp_ppp_link *p, struct ppp_fsm *f, int st)
{
	struct l2tp_ppp_event ev;

	if (f->state == st)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TP_PPP_EV_STATE;
	ev.proto = ppp_fsm_ops(f)->proto;
	ev.code = -1;
	ev.state = st;
	{
		int old = f->state;

		f->state = (uint8_t)st;
		ppp_emitv(p, &ev, "%s %s -> %s", ppp_fsm_ops(f)->name,
		          l2tp_ppp_state_name(old), l2tp_ppp_state_name(st));
	}
}

/* Our Configure-Request's options as they are now. */
static int
build_req(struct l2tp_ppp_link *p, struct ppp_fsm *f, uint8_t id, uint8_t *buf,
          size_t cap)
{
	struct l2tp_ppp_wr w;

	l2tp_ppp_build_init(&w, buf, cap);
	l2tp_ppp_build_cp(&w, 1, id);
	ppp_fsm_ops(f)->build_cr(p, &w);
	return l2tp_ppp_build_end(&w);
}

static void
arm(struct l2tp_ppp_link *p, struct ppp_fsm *f)
{
	f->timer_at = p->now + p->cfg->restart_ms;
}

static void
scr(struct l2tp_ppp_link *p, struct ppp_fsm *f)
{
	uint8_t buf[PPP_PKT_MAX];
	int n;

	/* A new Identifier every time: the options may have changed, and a
	 * late answer to an old request then cannot be taken for one to
	 * this (RFC 1661 §5.1). */
	f->reqid++;
	f->req_sent = true;
	n = build_req(p, f, f->reqid, buf, sizeof(buf));
	if (n >= 4 && (size_t)n - 4 <= PPP_REQ_MAX) {
		f->req_len = (uint8_t)(n - 4);
		memcpy(f->req, buf + 4, (size_t)n - 4);
	} else {
		f->req_len = PPP_REQ_REBUILD;
	}
	if (f->restart)
		f->restart--;
	arm(p, f);
	if (n > 0)
		ppp_send(p, ppp_fsm_ops(f)->proto, buf, (size_t)n);
}

static void
str(struct l2tp_ppp_link *p, struct ppp_fsm *f)
{
	uint8_t buf[4 + L2TP_PPP_NAME_MAX];
	struct l2tp_ppp_wr w;
	int n;

	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 5, ++f->termid);
	if (f->layer == PL_LCP)
		l2tp_ppp_build_bytes(&w, p->reason, strlen(p->reason));
	n = l2tp_ppp_build_end(&w);
	if (f->restart)
		f->restart--;
	f->term_sent = true;
	arm(p, f);
	if (n > 0)
		ppp_send(p, ppp_fsm_ops(f)->proto, buf, (size_t)n);
}

static void
sta(struct l2tp_ppp_link *p, struct ppp_fsm *f, const struct l2tp_ppp_cp *pkt)
{
	uint8_t buf[4] = {6, pkt ? pkt->id : 0, 0, 4};

	ppp_send(p, ppp_fsm_ops(f)->proto, buf, sizeof(buf));
}

void
ppp_send_code_reject(struct l2tp_ppp_link *p, struct ppp_fsm *f,
                     const struct l2tp_ppp_cp *cp)
{
	uint8_t buf[PPP_PKT_MAX];
	struct l2tp_ppp_wr w;
	size_t max = ppp_lcp_max_out(p), n = cp->whole.len;
	int len;

	if (max > sizeof(buf))
		max = sizeof(buf);
	if (n > max - 4)
		n = max - 4; /* the rejected packet, cut to the peer's MRU */
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 7, ++p->lcp_xid);
	l2tp_ppp_build_bytes(&w, cp->whole.p, n);
	len = l2tp_ppp_build_end(&w);
	p->crej_out++;
	ppp_emit(p, L2TP_PPP_EV_REJECT, ppp_fsm_ops(f)->proto, 7,
	         "Code-Reject sent: %s code %u is unknown",
	         ppp_fsm_ops(f)->name, cp->code);
	if (len > 0)
		ppp_send(p, ppp_fsm_ops(f)->proto, buf, (size_t)len);
}

void
ppp_fsm_event(struct l2tp_ppp_link *p, struct ppp_fsm *f, int ev,
              const struct l2tp_ppp_cp *pkt, const struct l2tp_ppp_wr *reply)
{
	const struct ppp_layer_ops *ops = ppp_fsm_ops(f);
	unsigned a;
	int next = ppp_fsm_lookup(f->state, ev, &a);

	if (next < 0) {
		ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, pkt ? pkt->code : -1,
		         "%s: event %s cannot happen in state %s: ignored",
		         ops->name, ppp_fsm_event_name(ev),
		         l2tp_ppp_state_name(f->state));
		return;
	}
	if (a & PA_TLD)
		ops->tld(p);
	if (a & PA_IRC)
		f->restart = next == S4 || next == S5 ? p->cfg->max_terminate
		                                      : p->cfg->max_configure;
	if (a & PA_ZRC) {
		f->restart = 0;
		f->term_sent = false;
		arm(p, f);
	}
	if (a & PA_SCR)
		scr(p, f);
	if ((a & PA_SCA) && reply) {
		f->nak_sent = 0;
		ppp_send(p, ops->proto, reply->p, reply->len);
	}
	if ((a & PA_SCN) && reply) {
		if (reply->p[0] == 3)
			f->nak_sent++;
		ppp_send(p, ops->proto, reply->p, reply->len);
	}
	if (a & PA_STR)
		str(p, f);
	if (a & PA_STA)
		sta(p, f, pkt);
	if ((a & PA_SCJ) && pkt)
		ppp_send_code_reject(p, f, pkt);
	if ((a & PA_SER) && pkt && ops->rxr)
		ops->rxr(p, pkt);
	set_state(p, f, next);
	/* The restart timer runs only while a reply is awaited. */
	if (next < S4 || next == S9)
		f->timer_at = PPP_NEVER;
	if (a & PA_TLU)
		ops->tlu(p);
	if (a & PA_TLS)
		ops->tls(p);
	if (a & PA_TLF)
		ops->tlf(p);
}

void
ppp_fsm_timeout(struct l2tp_ppp_link *p, struct ppp_fsm *f)
{
	const struct ppp_layer_ops *ops = ppp_fsm_ops(f);

	f->timer_at = PPP_NEVER;
	if (f->restart > 0) {
		ppp_fsm_event(p, f, PE_TO_P, NULL, NULL);
		return;
	}
	if (f->state == S4 || f->state == S5) {
		if (f->term_sent)
			ppp_emit(
			    p, L2TP_PPP_EV_GIVE_UP, ops->proto, -1,
			    "%s: no Terminate-Ack after %u Terminate-Requests",
			    ops->name, p->cfg->max_terminate);
	} else {
		ppp_emit(
		    p, L2TP_PPP_EV_GIVE_UP, ops->proto, -1,
		    "%s: no answer to %u Configure-Requests (Max-Configure)",
		    ops->name, p->cfg->max_configure);
		if (f->layer == PL_LCP)
			ppp_set_reason(p,
			               "no answer to %u LCP Configure-Requests",
			               p->cfg->max_configure);
	}
	ppp_fsm_event(p, f, PE_TO_M, NULL, NULL);
}

void
ppp_rcr_nak(struct ppp_rcr *r, const struct l2tp_ppp_opt *orig, uint8_t type,
            const void *val, size_t n)
{
	if (r->to_reject) {
		/* Max-Failure: what we kept Naking is now Rejected. */
		if (orig)
			ppp_rcr_rej(r, orig);
		return;
	}
	l2tp_ppp_build_opt(&r->nak, type, val, n);
}

void
ppp_rcr_rej(struct ppp_rcr *r, const struct l2tp_ppp_opt *orig)
{
	l2tp_ppp_build_opt(&r->rej, orig->type, orig->val.p, orig->val.len);
}

static void
rx_cr(struct l2tp_ppp_link *p, struct ppp_fsm *f, const struct l2tp_ppp_cp *cp)
{
	const struct ppp_layer_ops *ops = ppp_fsm_ops(f);
	struct ppp_rcr r;
	uint8_t out[PPP_PKT_MAX];
	struct l2tp_ppp_wr w;
	int rc;

	l2tp_ppp_build_init(&r.nak, r.nakbuf, sizeof(r.nakbuf));
	l2tp_ppp_build_init(&r.rej, r.rejbuf, sizeof(r.rejbuf));
	r.to_reject = f->nak_sent >= p->cfg->max_failure;
	rc = ops->rcr(p, cp->data, &r, false);
	if (rc < 0) {
		p->bad_in++;
		ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, 1,
		         "%s Configure-Request id %u discarded: %s", ops->name,
		         cp->id, l2tp_ppp_read_strerror(rc));
		return;
	}
	if (r.nak.over || r.rej.over) {
		p->bad_in++;
		ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, 1,
		         "%s Configure-Request id %u discarded: its answer "
		         "does not fit",
		         ops->name, cp->id);
		return;
	}
	l2tp_ppp_build_init(&w, out, sizeof(out));
	if (r.rej.len) {
		if (r.to_reject && r.nak.len == 0 && f->nak_sent)
			ppp_emit(p, L2TP_PPP_EV_GIVE_UP, ops->proto, 4,
			         "%s: %u Naks without agreement (Max-Failure): "
			         "Rejecting instead",
			         ops->name, f->nak_sent);
		l2tp_ppp_build_cp(&w, 4, cp->id);
		l2tp_ppp_build_bytes(&w, r.rejbuf, r.rej.len);
	} else if (r.nak.len) {
		l2tp_ppp_build_cp(&w, 3, cp->id);
		l2tp_ppp_build_bytes(&w, r.nakbuf, r.nak.len);
	} else {
		l2tp_ppp_build_cp(&w, 2, cp->id);
		l2tp_ppp_build_bytes(&w, cp->data.p, cp->data.len);
		l2tp_ppp_build_init(&r.nak, r.nakbuf, sizeof(r.nakbuf));
		l2tp_ppp_build_init(&r.rej, r.rejbuf, sizeof(r.rejbuf));
		ops->rcr(p, cp->data, &r, true);
	}
	if (l2tp_ppp_build_end(&w) < 0)
		return;
	ppp_fsm_event(p, f, out[0] == 2 ? PE_RCR_P : PE_RCR_M, cp, &w);
}

static bool
reply_id_ok(struct l2tp_ppp_link *p, struct ppp_fsm *f,
            const struct l2tp_ppp_cp *cp)
{
	static const char *const n[] = {"", "", "Configure-Ack",
	                                "Configure-Nak", "Configure-Reject"};

	if (f->req_sent && cp->id == f->reqid)
		return true;
	p->bad_in++;
	ppp_emit(p, L2TP_PPP_EV_BAD, ppp_fsm_ops(f)->proto, cp->code,
	         "%s %s id %u discarded: our request is id %u",
	         ppp_fsm_ops(f)->name, n[cp->code], cp->id, f->reqid);
	return false;
}

void
ppp_fsm_input(struct l2tp_ppp_link *p, struct ppp_fsm *f,
              const struct l2tp_ppp_cp *cp)
{
	const struct ppp_layer_ops *ops = ppp_fsm_ops(f);
	const char *cn = l2tp_ppp_code_name(ops->proto, cp->code);
	uint8_t buf[PPP_PKT_MAX];
	char txt[L2TP_PPP_NAME_MAX];
	int rc, n;

	p->ctl_in++;
	ppp_emit(p, L2TP_PPP_EV_PACKET_IN, ops->proto, cp->code,
	         "%s %s id %u len %u", ops->name, cn ? cn : "code", cp->id,
	         cp->length);
	if (f->state <= L2TP_PPP_STARTING) {
		p->bad_in++;
		ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, cp->code,
		         "%s packet discarded: the layer is %s", ops->name,
		         l2tp_ppp_state_name(f->state));
		return;
	}
	switch (cp->code) {
	case 1:
		rx_cr(p, f, cp);
		return;
	case 2:
		if (!reply_id_ok(p, f, cp))
			return;
		if (f->req_len != PPP_REQ_REBUILD) {
			n = f->req_len + 4;
			memcpy(buf + 4, f->req, f->req_len);
		} else {
			n = build_req(p, f, f->reqid, buf, sizeof(buf));
		}
		if (n < 4 || (size_t)n - 4 != cp->data.len ||
		    memcmp(buf + 4, cp->data.p, cp->data.len) != 0) {
			p->bad_in++;
			ppp_emit(
			    p, L2TP_PPP_EV_BAD, ops->proto, 2,
			    "%s Configure-Ack id %u discarded: it does not "
			    "echo our request",
			    ops->name, cp->id);
			return;
		}
		f->nak_rcvd = 0;
		ops->rca(p);
		ppp_fsm_event(p, f, PE_RCA, cp, NULL);
		return;
	case 3:
	case 4:
		if (!reply_id_ok(p, f, cp))
			return;
		rc = l2tp_ppp_read_opts_check(cp->data);
		if (rc == 0)
			rc = cp->code == 3 ? ops->rcn(p, cp->data)
			                   : ops->rcj(p, cp->data);
		if (rc < 0) {
			p->bad_in++;
			ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, cp->code,
			         "%s %s id %u discarded: %s", ops->name, cn,
			         cp->id,
			         rc == -100 ? "it names an option we did not "
			                      "request"
			                    : l2tp_ppp_read_strerror(rc));
			return;
		}
		ppp_fsm_event(p, f, PE_RCN, cp, NULL);
		return;
	case 5:
		ppp_bytes_text(cp->data, txt, sizeof(txt));
		ppp_emit(p, L2TP_PPP_EV_TERMINATE, ops->proto, 5,
		         "%s Terminate-Request from the peer%s%s%s", ops->name,
		         txt[0] ? ": \"" : "", txt, txt[0] ? "\"" : "");
		if (f->layer == PL_LCP && f->state == S9) {
			ppp_set_reason(p, "terminated by the peer%s%s",
			               txt[0] ? ": " : "", txt);
			p->closing = true; /* the link is terminating */
		}
		ppp_fsm_event(p, f, PE_RTR, cp, NULL);
		return;
	case 6:
		ppp_fsm_event(p, f, PE_RTA, cp, NULL);
		return;
	case 7: {
		uint8_t code;

		if (cp->data.len < 4) {
			p->bad_in++;
			ppp_emit(p, L2TP_PPP_EV_BAD, ops->proto, 7,
			         "%s Code-Reject without the rejected packet",
			         ops->name);
			return;
		}
		code = cp->data.p[0];
		p->crej_in++;
		{
			const char *rn = l2tp_ppp_code_name(ops->proto, code);
			bool fatal = ops->rxj_fatal(p, code);

			ppp_emit(p, L2TP_PPP_EV_REJECT, ops->proto, 7,
			         "peer Code-Rejected %s code %u (%s)%s",
			         ops->name, code, rn ? rn : "unknown",
			         fatal ? ": the layer cannot run" : "");
			if (fatal && f->layer == PL_LCP)
				ppp_set_reason(p, "peer Code-Rejected LCP %s",
				               rn ? rn : "code");
			ppp_fsm_event(p, f, fatal ? PE_RXJ_M : PE_RXJ_P, cp,
			              NULL);
		}
		return;
	}
	default:
		if (ops->extra && ops->extra(p, cp))
			return;
		ppp_fsm_event(p, f, PE_RUC, cp, NULL);
		return;
	}
}

int
ppp_fsm_request_edited(struct l2tp_ppp_link *p, struct ppp_fsm *f,
                       const uint8_t *b, size_t len)
{
	struct l2tp_ppp_cp cp;

	if (l2tp_ppp_read_cp(b, len, &cp) < 0 || cp.code != 1 ||
	    cp.data.len > PPP_REQ_MAX || l2tp_ppp_read_opts_check(cp.data) < 0)
		return L2TP_PPP_E_INVAL;
	if (!f->req_sent || f->state < L2TP_PPP_REQ_SENT ||
	    f->state == L2TP_PPP_OPENED)
		return L2TP_PPP_E_STATE;
	f->reqid = cp.id;
	f->req_len = (uint8_t)cp.data.len;
	memcpy(f->req, cp.data.p, cp.data.len);
	ppp_fsm_ops(f)->adopt(p, cp.data);
	return 0;
}
