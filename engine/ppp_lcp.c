/* LCP (RFC 1661 §5-6): its options both ways, Magic-Number loop detection,
 * Protocol-Reject, Echo keepalive, Identification and Time-Remaining (RFC
 * 1570). */
#include <string.h>

#include "engine/ppp_int.h"

enum {
	O_MRU = 1,
	O_ACCM = 2,
	O_AUTH = 3,
	O_QUALITY = 4,
	O_MAGIC = 5,
	O_PFC = 7,
	O_ACFC = 8,
};

const char *
ppp_auth_name(uint16_t proto)
{
	return proto == L2TP_PPP_PAP    ? "PAP"
	       : proto == L2TP_PPP_CHAP ? "CHAP"
	                                : "none";
}

size_t
ppp_lcp_max_out(const struct l2tp_ppp_link *p)
{
	return p->peer_mru ? p->peer_mru : 1500;
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint32_t
new_magic(struct l2tp_ppp_link *p, uint32_t avoid)
{
	uint8_t b[4];
	uint32_t m = 0;

	for (int i = 0; i < 8 && (m == 0 || m == avoid); i++) {
		if (ppp_random(p, b, 4) < 0)
			break;
		m = get32(b);
	}
	return m ? m : avoid + 1;
}

static void
loop_hit(struct l2tp_ppp_link *p, const char *what)
{
	p->loops++;
	ppp_emit(p, L2TP_PPP_EV_LOOP, L2TP_PPP_LCP, -1,
	         "%s carries our own magic 0x%08x: the link may be looped "
	         "back (%u of %u)",
	         what, p->l_magic, p->loops, p->cfg->max_failure);
	if (p->loops >= p->cfg->max_failure)
		ppp_lcp_close(p,
		              "looped-back link: our magic came back %u "
		              "times",
		              p->loops);
}

static void
lcp_build_cr(struct l2tp_ppp_link *p, struct l2tp_ppp_wr *w)
{
	if (p->lcp_want & LCP_W_MRU)
		l2tp_ppp_build_opt16(w, O_MRU, p->l_mru);
	if (p->lcp_want & LCP_W_AUTH) {
		uint8_t a[3] = {(uint8_t)(p->l_auth >> 8), (uint8_t)p->l_auth,
		                p->l_auth_alg};

		l2tp_ppp_build_opt(w, O_AUTH, a,
		                   p->l_auth == L2TP_PPP_CHAP ? 3 : 2);
	}
	if (p->lcp_want & LCP_W_MAGIC)
		l2tp_ppp_build_opt32(w, O_MAGIC, p->l_magic);
}

static int
lcp_rcr(struct l2tp_ppp_link *p, struct l2tp_bytes opts, struct ppp_rcr *r,
        bool commit)
{
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint16_t mru = 1500, auth = 0;
	uint8_t alg = 0;
	uint32_t magic = 0, accm = 0xffffffffu;
	bool pfc = false, acfc = false, have = p->cfg->user[0] != '\0';
	int rc;

	rd_init(&rd, opts.p, opts.len);
	while ((rc = l2tp_ppp_read_opt(&rd, &o)) == 1) {
		switch (o.type) {
		case O_MRU:
			if (o.val.len != 2) {
				ppp_rcr_rej(r, &o);
				break;
			}
			mru = (uint16_t)(o.val.p[0] << 8 | o.val.p[1]);
			if (mru < 128) /* too small to carry LCP itself */
				ppp_rcr_nak(
				    r, &o, O_MRU,
				    (uint8_t[]){(uint8_t)(p->cfg->mru >> 8),
				                (uint8_t)p->cfg->mru},
				    2);
			break;
		case O_ACCM:
			/* Meaningless over L2TP (no async framing); Ack it. */
			if (o.val.len != 4)
				ppp_rcr_rej(r, &o);
			else
				accm = get32(o.val.p);
			break;
		case O_AUTH: {
			uint16_t ap =
			    o.val.len >= 2
			        ? (uint16_t)(o.val.p[0] << 8 | o.val.p[1])
			        : 0;
			static const uint8_t md5[3] = {0xc2, 0x23, 5};

			if (!have || o.val.len < 2) {
				/* Nothing to authenticate with. */
				ppp_rcr_rej(r, &o);
			} else if (ap == L2TP_PPP_PAP && o.val.len == 2) {
				auth = ap;
			} else if (ap == L2TP_PPP_CHAP && o.val.len == 3 &&
			           o.val.p[2] == 5) {
				auth = ap;
				alg = 5;
			} else {
				/* MS-CHAP, MS-CHAPv2, EAP...: what we can. */
				ppp_rcr_nak(r, &o, O_AUTH, md5, 3);
			}
			break;
		}
		case O_MAGIC:
			if (o.val.len != 4) {
				ppp_rcr_rej(r, &o);
				break;
			}
			magic = get32(o.val.p);
			if (magic == 0 || ((p->lcp_want & LCP_W_MAGIC) &&
			                   magic == p->l_magic)) {
				uint32_t m = new_magic(p, magic);
				uint8_t b[4] = {(uint8_t)(m >> 24),
				                (uint8_t)(m >> 16),
				                (uint8_t)(m >> 8), (uint8_t)m};

				if (magic != 0 && !commit) {
					/* RFC 1661 §6.4: Nak, and pick a new
					 * magic of our own. */
					p->l_magic = new_magic(p, magic);
					loop_hit(p, "the peer's Configure-"
					            "Request");
				}
				ppp_rcr_nak(r, &o, O_MAGIC, b, 4);
			}
			break;
		case O_PFC:
		case O_ACFC:
			if (o.val.len != 0)
				ppp_rcr_rej(r, &o);
			else if (o.type == O_PFC)
				pfc = true;
			else
				acfc = true;
			break;
		default: /* Quality-Protocol and anything unknown */
			ppp_rcr_rej(r, &o);
			break;
		}
	}
	if (rc < 0)
		return rc;
	if (commit) {
		p->peer_mru = mru;
		p->peer_auth = auth;
		p->peer_auth_alg = alg;
		p->peer_magic = magic;
		p->peer_accm = accm;
		p->peer_pfc = pfc;
		p->peer_acfc = acfc;
	}
	return 0;
}

static void
lcp_rca(struct l2tp_ppp_link *p)
{
	p->a_mru = p->lcp_want & LCP_W_MRU ? p->l_mru : 1500;
	p->a_magic = p->lcp_want & LCP_W_MAGIC ? p->l_magic : 0;
	p->a_auth = p->lcp_want & LCP_W_AUTH ? p->l_auth : 0;
	p->a_auth_alg = p->lcp_want & LCP_W_AUTH ? p->l_auth_alg : 0;
}

static void
lcp_adopt(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;

	p->lcp_want = 0;
	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		if (o.type == O_MRU && o.val.len == 2) {
			p->lcp_want |= LCP_W_MRU;
			p->l_mru = (uint16_t)(o.val.p[0] << 8 | o.val.p[1]);
		} else if (o.type == O_AUTH && o.val.len >= 2) {
			p->lcp_want |= LCP_W_AUTH;
			p->l_auth = (uint16_t)(o.val.p[0] << 8 | o.val.p[1]);
			p->l_auth_alg = o.val.len >= 3 ? o.val.p[2] : 0;
		} else if (o.type == O_MAGIC && o.val.len == 4) {
			p->lcp_want |= LCP_W_MAGIC;
			p->l_magic = get32(o.val.p);
		}
	}
}

static uint8_t
want_bit(uint8_t type)
{
	return type == O_MRU     ? LCP_W_MRU
	       : type == O_AUTH  ? LCP_W_AUTH
	       : type == O_MAGIC ? LCP_W_MAGIC
	                         : 0;
}

static int
lcp_rcn(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct ppp_fsm *f = &p->fsm[PL_LCP];
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint8_t naked = 0;
	enum l2tp_ppp_auth_policy pol = p->cfg->auth;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		naked |= want_bit(o.type) & p->lcp_want;
		if (o.type == O_MRU && o.val.len == 2) {
			uint16_t v = (uint16_t)(o.val.p[0] << 8 | o.val.p[1]);

			if (v >= 128)
				p->l_mru = v;
		} else if (o.type == O_MAGIC && o.val.len == 4) {
			p->l_magic = new_magic(p, get32(o.val.p));
		} else if (o.type == O_AUTH && o.val.len >= 2 &&
		           (p->lcp_want & LCP_W_AUTH)) {
			uint16_t ap = (uint16_t)(o.val.p[0] << 8 | o.val.p[1]);

			if (ap == L2TP_PPP_PAP && (pol == L2TP_PPP_AUTH_ANY ||
			                           pol == L2TP_PPP_AUTH_PAP)) {
				p->l_auth = L2TP_PPP_PAP;
				p->l_auth_alg = 0;
			} else if (ap == L2TP_PPP_CHAP && o.val.len == 3 &&
			           o.val.p[2] == 5 &&
			           pol != L2TP_PPP_AUTH_PAP) {
				p->l_auth = L2TP_PPP_CHAP;
				p->l_auth_alg = 5;
			}
		}
	}
	if (++f->nak_rcvd < p->cfg->max_failure)
		return 0;
	if (naked & LCP_W_AUTH) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_LCP, 3,
		         "LCP: the peer Naked authentication %u times",
		         f->nak_rcvd);
		ppp_lcp_close(p, "the peer will not authenticate with %s",
		              ppp_auth_name(p->l_auth));
	} else if (naked) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_LCP, 3,
		         "LCP: the peer Naked our request %u times "
		         "(Max-Failure): no longer asking for%s%s",
		         f->nak_rcvd, naked & LCP_W_MRU ? " mru" : "",
		         naked & LCP_W_MAGIC ? " magic" : "");
		p->lcp_want &= (uint8_t)~naked;
	} else if (f->nak_rcvd >= 2 * p->cfg->max_failure) {
		ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_LCP, 3,
		         "LCP: %u Configure-Naks without agreement",
		         f->nak_rcvd);
		ppp_lcp_close(p, "no LCP agreement after %u Configure-Naks",
		              f->nak_rcvd);
	}
	return 0;
}

static int
lcp_rcj(struct l2tp_ppp_link *p, struct l2tp_bytes opts)
{
	struct rd rd;
	struct l2tp_ppp_opt o;
	uint8_t rej = 0;

	rd_init(&rd, opts.p, opts.len);
	while (l2tp_ppp_read_opt(&rd, &o) == 1) {
		uint8_t b = want_bit(o.type);

		if (!(b & p->lcp_want))
			return -100; /* not in our request */
		rej |= b;
	}
	p->lcp_want &= (uint8_t)~rej;
	if (rej & LCP_W_AUTH)
		ppp_lcp_close(p, "the peer Rejected authentication (%s)",
		              ppp_auth_name(p->l_auth));
	return 0;
}

static void
lcp_tlu(struct l2tp_ppp_link *p)
{
	uint16_t a = p->a_auth ? p->a_auth : p->peer_auth;

	p->loops = 0;
	ppp_emit(p, L2TP_PPP_EV_UP, L2TP_PPP_LCP, -1,
	         "LCP opened, MRU %u, auth %s", (unsigned)ppp_lcp_max_out(p),
	         ppp_auth_name(a));
	p->echo_miss = 0;
	p->echo_out = false;
	p->echo_at = p->cfg->echo_interval_ms && !p->echo_rejected
	                 ? p->now + p->cfg->echo_interval_ms
	                 : PPP_NEVER;
	ppp_set_phase(p, L2TP_PPP_AUTHENTICATE);
	ppp_auth_start(p);
}

static void
lcp_tld(struct l2tp_ppp_link *p)
{
	ppp_set_phase(p, p->closing ? L2TP_PPP_TERMINATE : L2TP_PPP_ESTABLISH);
	p->echo_at = PPP_NEVER;
	ppp_auth_stop(p);
	for (int l = PL_IPCP; l < PL_COUNT; l++)
		ppp_fsm_event(p, &p->fsm[l], PE_DOWN, NULL, NULL);
	ppp_emit(p, L2TP_PPP_EV_DOWN, L2TP_PPP_LCP, -1, "LCP down%s%s",
	         p->reason[0] ? ": " : "", p->reason);
}

static void
lcp_tls(struct l2tp_ppp_link *p)
{
	(void)p; /* the lower layer (the call) is up already */
}

static void
lcp_tlf(struct l2tp_ppp_link *p)
{
	ppp_set_phase(p, L2TP_PPP_DEAD);
	p->echo_at = PPP_NEVER;
	ppp_auth_stop(p);
	if (!p->reason[0])
		ppp_set_reason(p, "LCP finished");
	if (!p->dead_sent) {
		p->dead_sent = true;
		ppp_emit(p, L2TP_PPP_EV_DEAD, L2TP_PPP_LCP, -1, "%s",
		         p->reason);
	}
}

static bool
lcp_rxj_fatal(struct l2tp_ppp_link *p, uint8_t code)
{
	if (code == 9 || code == 10) {
		p->echo_rejected = true;
		p->echo_at = PPP_NEVER;
	}
	return code >= 1 && code <= 7;
}

/* ser: answer an Echo-Request with our magic and its data. */
static void
lcp_rxr(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	uint8_t buf[PPP_PKT_MAX];
	struct l2tp_ppp_wr w;
	size_t n, max = ppp_lcp_max_out(p);
	int len;

	if (cp->code != 9 || cp->data.len < 4)
		return;
	if (max > sizeof(buf))
		max = sizeof(buf);
	n = cp->data.len - 4;
	if (n > max - 8)
		n = max - 8;
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 10, cp->id);
	l2tp_ppp_build_u32(&w, p->a_magic);
	l2tp_ppp_build_bytes(&w, cp->data.p + 4, n);
	len = l2tp_ppp_build_end(&w);
	if (len > 0)
		ppp_send(p, L2TP_PPP_LCP, buf, (size_t)len);
}

static void
rx_echo_reply(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	if (!p->echo_out || cp->id != p->echo_id) {
		ppp_emit(p, L2TP_PPP_EV_BAD, L2TP_PPP_LCP, 10,
		         "LCP Echo-Reply id %u matches no Echo-Request",
		         cp->id);
		return;
	}
	p->echo_out = false;
	p->echo_miss = 0;
	p->echo_received++;
	p->echo_rtt = (uint32_t)(p->now - p->echo_sent_at);
	{
		struct l2tp_ppp_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = L2TP_PPP_EV_ECHO;
		ev.proto = L2TP_PPP_LCP;
		ev.code = 10;
		ev.state = -1;
		ev.ok = true;
		ev.rtt_ms = p->echo_rtt;
		ppp_emitv(p, &ev, "LCP Echo-Reply id %u in %u ms", cp->id,
		          p->echo_rtt);
	}
}

static void
rx_protocol_reject(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	uint16_t proto;
	const char *n;

	if (cp->data.len < 2) {
		p->bad_in++;
		ppp_emit(p, L2TP_PPP_EV_BAD, L2TP_PPP_LCP, 8,
		         "LCP Protocol-Reject without a protocol");
		return;
	}
	proto = (uint16_t)(cp->data.p[0] << 8 | cp->data.p[1]);
	n = l2tp_ppp_proto_name(proto);
	p->prej_in++;
	ppp_emit(p, L2TP_PPP_EV_REJECT, proto, 8, "peer Protocol-Rejected %s%s",
	         n ? n : "protocol",
	         proto == L2TP_PPP_IPCP     ? ": it will not run IPv4"
	         : proto == L2TP_PPP_IPV6CP ? ": it will not run IPv6"
	                                    : "");
	if (proto == L2TP_PPP_IPCP || proto == L2TP_PPP_IPV6CP) {
		struct ppp_fsm *f =
		    &p->fsm[proto == L2TP_PPP_IPCP ? PL_IPCP : PL_IPV6CP];

		ppp_fsm_event(p, f, PE_RXJ_M, cp, NULL);
		ppp_ncps_check(p);
	} else if (proto == L2TP_PPP_PAP || proto == L2TP_PPP_CHAP ||
	           proto == L2TP_PPP_LCP) {
		ppp_lcp_close(p, "the peer Protocol-Rejected %s", n);
	} else {
		ppp_fsm_event(p, &p->fsm[PL_LCP], PE_RXJ_P, cp, NULL);
	}
}

static int
lcp_extra(struct l2tp_ppp_link *p, const struct l2tp_ppp_cp *cp)
{
	struct ppp_fsm *f = &p->fsm[PL_LCP];
	char txt[L2TP_PPP_NAME_MAX];
	bool opened = f->state == L2TP_PPP_OPENED;

	switch (cp->code) {
	case 8:
		if (!opened) {
			p->bad_in++;
			ppp_emit(p, L2TP_PPP_EV_BAD, L2TP_PPP_LCP, 8,
			         "LCP Protocol-Reject discarded: LCP is %s",
			         l2tp_ppp_state_name(f->state));
			return 1;
		}
		rx_protocol_reject(p, cp);
		return 1;
	case 9:
	case 10:
	case 11:
		if (cp->data.len < 4) {
			p->bad_in++;
			ppp_emit(p, L2TP_PPP_EV_BAD, L2TP_PPP_LCP, cp->code,
			         "LCP %s without a Magic-Number",
			         l2tp_ppp_code_name(L2TP_PPP_LCP, cp->code));
			return 1;
		}
		if (opened && p->a_magic && get32(cp->data.p) == p->a_magic)
			loop_hit(p, l2tp_ppp_code_name(L2TP_PPP_LCP, cp->code));
		if (opened && cp->code == 10)
			rx_echo_reply(p, cp);
		ppp_fsm_event(p, f, PE_RXR, cp, NULL);
		return 1;
	case 12:
	case 13:
		if (cp->data.len >= 4) {
			struct l2tp_bytes t = {cp->data.p + 4,
			                       cp->data.len - 4};

			if (cp->code == 13 && t.len >= 4) {
				ppp_emit(p, L2TP_PPP_EV_PACKET_IN, L2TP_PPP_LCP,
				         13, "LCP Time-Remaining: %u s",
				         get32(t.p));
			} else {
				ppp_bytes_text(t, txt, sizeof(txt));
				ppp_emit(p, L2TP_PPP_EV_PACKET_IN, L2TP_PPP_LCP,
				         cp->code, "LCP Identification: \"%s\"",
				         txt);
			}
		}
		ppp_fsm_event(p, f, PE_RXR, cp, NULL);
		return 1;
	}
	return 0;
}

int
ppp_lcp_echo_send(struct l2tp_ppp_link *p)
{
	uint8_t buf[8];
	struct l2tp_ppp_wr w;

	if (p->echo_rejected)
		return L2TP_PPP_E_STATE;
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 9, ++p->echo_id);
	l2tp_ppp_build_u32(&w, p->a_magic);
	l2tp_ppp_build_end(&w);
	p->echo_sent++;
	p->echo_out = true;
	p->echo_sent_at = p->now;
	ppp_send(p, L2TP_PPP_LCP, buf, w.len);
	return 0;
}

void
ppp_lcp_echo_timer(struct l2tp_ppp_link *p)
{
	p->echo_at = p->now + p->cfg->echo_interval_ms;
	if (p->echo_out) {
		struct l2tp_ppp_event ev;

		p->echo_out = false;
		p->echo_lost++;
		p->echo_miss++;
		memset(&ev, 0, sizeof(ev));
		ev.kind = L2TP_PPP_EV_ECHO;
		ev.proto = L2TP_PPP_LCP;
		ev.code = 9;
		ev.state = -1;
		ppp_emitv(p, &ev,
		          "LCP Echo-Request id %u unanswered (%u in a "
		          "row)",
		          p->echo_id, p->echo_miss);
		if (p->echo_miss >= p->cfg->echo_failures) {
			p->echo_at = PPP_NEVER;
			ppp_emit(p, L2TP_PPP_EV_GIVE_UP, L2TP_PPP_LCP, 9,
			         "LCP: %u echoes unanswered in a row",
			         p->echo_miss);
			ppp_lcp_close(p,
			              "the peer stopped answering LCP "
			              "echoes (%u in a row)",
			              p->echo_miss);
			return;
		}
	}
	ppp_lcp_echo_send(p);
}

void
ppp_lcp_protocol_reject(struct l2tp_ppp_link *p, uint16_t proto,
                        const uint8_t *b, size_t len)
{
	uint8_t buf[PPP_PKT_MAX];
	struct l2tp_ppp_wr w;
	size_t max = ppp_lcp_max_out(p);
	const char *n = l2tp_ppp_proto_name(proto);
	int out;

	if (max > sizeof(buf))
		max = sizeof(buf);
	if (len > max - 6)
		len = max - 6;
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 8, ++p->lcp_xid);
	l2tp_ppp_build_u16(&w, proto);
	l2tp_ppp_build_bytes(&w, b, len);
	out = l2tp_ppp_build_end(&w);
	p->prej_out++;
	if (n)
		ppp_emit(p, L2TP_PPP_EV_REJECT, proto, 8,
		         "Protocol-Reject sent: %s is not run here", n);
	else
		ppp_emit(p, L2TP_PPP_EV_REJECT, proto, 8,
		         "Protocol-Reject sent: protocol 0x%04x is unknown",
		         proto);
	if (out > 0)
		ppp_send(p, L2TP_PPP_LCP, buf, (size_t)out);
}

const struct ppp_layer_ops ppp_lcp_ops = {
    .proto = L2TP_PPP_LCP,
    .name = "LCP",
    .build_cr = lcp_build_cr,
    .rcr = lcp_rcr,
    .rca = lcp_rca,
    .adopt = lcp_adopt,
    .rcn = lcp_rcn,
    .rcj = lcp_rcj,
    .tlu = lcp_tlu,
    .tld = lcp_tld,
    .tls = lcp_tls,
    .tlf = lcp_tlf,
    .extra = lcp_extra,
    .rxj_fatal = lcp_rxj_fatal,
    .rxr = lcp_rxr,
};
