/* The PPP session layer's object: creation, input dispatch by protocol, timers,
 * phases (RFC 1661 §3.2-3.7), events and the info for display. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ppp_int.h"

const char *
l2tp_ppp_strerror(int err)
{
	switch (err) {
	case L2TP_PPP_E_OK:
		return "ok";
	case L2TP_PPP_E_NOMEM:
		return "out of memory";
	case L2TP_PPP_E_INVAL:
		return "invalid argument";
	case L2TP_PPP_E_STATE:
		return "not possible in this state";
	case L2TP_PPP_E_RANDOM:
		return "random source failed";
	case L2TP_PPP_E_TOOBIG:
		return "larger than the peer's MRU";
	}
	return "unknown error";
}

const char *
l2tp_ppp_event_kind_name(enum l2tp_ppp_event_kind k)
{
	static const char *const n[L2TP_PPP_EV_KIND_COUNT] = {
	    "state",     "phase", "packet-in", "up",      "down",
	    "auth",      "echo",  "ping",      "pinged",  "reject",
	    "terminate", "bad",   "loop",      "give-up", "dead"};

	return (unsigned)k < L2TP_PPP_EV_KIND_COUNT ? n[k] : "unknown";
}

const char *
l2tp_ppp_phase_name(int phase)
{
	static const char *const n[] = {"dead", "establish", "authenticate",
	                                "network", "terminate"};

	return phase >= 0 && phase <= L2TP_PPP_TERMINATE ? n[phase] : "unknown";
}

const char *
l2tp_ppp_state_name(int state)
{
	static const char *const n[] = {
	    "initial",  "starting", "closed",   "stopped",  "closing",
	    "stopping", "req-sent", "ack-rcvd", "ack-sent", "opened"};

	return state >= 0 && state <= L2TP_PPP_OPENED ? n[state] : "unknown";
}

const char *
l2tp_ppp_auth_result_name(int r)
{
	static const char *const n[] = {"none", "pending", "success",
	                                "failure"};

	return r >= 0 && r <= L2TP_PPP_AUTH_R_FAILURE ? n[r] : "unknown";
}

void
l2tp_ppp_config_default(struct l2tp_ppp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->role = L2TP_PPP_SUBSCRIBER;
	c->auth = L2TP_PPP_AUTH_NONE;
	c->want_dns = true;
	c->ipcp = true;
	c->ipv6cp = true;
	c->mru = 1460;
	c->restart_ms = 3000;
	c->max_configure = 10;
	c->max_terminate = 2;
	c->max_failure = 5;
	c->echo_interval_ms = 10000;
	c->echo_failures = 5;
}

size_t
l2tp_ppp_size(void)
{
	return sizeof(struct l2tp_ppp_link);
}

/* ---- helpers ---- */

bool
ppp_wants(const struct l2tp_ppp_link *p, int kind)
{
	return p->io->event &&
	       (p->io->event_mask == 0 || (p->io->event_mask >> kind) & 1u);
}

void
ppp_emitv(struct l2tp_ppp_link *p, struct l2tp_ppp_event *ev, const char *fmt,
          ...)
{
	char text[192];
	va_list ap;

	if (!ppp_wants(p, ev->kind))
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ev->time_ms = p->now;
	ev->text = text;
	p->io->event(p->ctx, ev);
}

void
ppp_emit(struct l2tp_ppp_link *p, enum l2tp_ppp_event_kind k, uint16_t proto,
         int code, const char *fmt, ...)
{
	struct l2tp_ppp_event ev;
	char text[192];
	va_list ap;

	if (!ppp_wants(p, k))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = k;
	ev.proto = proto;
	ev.code = code;
	ev.state = -1;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ev.time_ms = p->now;
	ev.text = text;
	p->io->event(p->ctx, &ev);
}

void
ppp_send(struct l2tp_ppp_link *p, uint16_t proto, const uint8_t *b, size_t len)
{
	if (proto != L2TP_PPP_IP && proto != L2TP_PPP_IPV6)
		p->ctl_out++;
	else
		p->ip_out++;
	p->io->send(p->ctx, proto, b, len);
}

int
ppp_random(struct l2tp_ppp_link *p, void *buf, size_t len)
{
	return p->io->random(p->io->random_ctx, buf, len) != 0
	           ? L2TP_PPP_E_RANDOM
	           : 0;
}

void
ppp_set_reason(struct l2tp_ppp_link *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* Printable text of peer bytes (a reason, a message): other bytes as '.'. */
size_t
ppp_bytes_text(struct l2tp_bytes b, char *out, size_t cap)
{
	size_t n = b.len < cap - 1 ? b.len : cap - 1;

	for (size_t i = 0; i < n; i++)
		out[i] = b.p[i] >= 0x20 && b.p[i] < 0x7f ? (char)b.p[i] : '.';
	out[n] = '\0';
	return n;
}

void
ppp_set_phase(struct l2tp_ppp_link *p, int phase)
{
	struct l2tp_ppp_event ev;
	int old = p->phase;

	if (old == phase)
		return;
	p->phase = (uint8_t)phase;
	if (phase == L2TP_PPP_NETWORK)
		p->network_ms = p->now;
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TP_PPP_EV_PHASE;
	ev.code = -1;
	ev.state = phase;
	ppp_emitv(p, &ev, "phase %s -> %s", l2tp_ppp_phase_name(old),
	          l2tp_ppp_phase_name(phase));
}

void
ppp_lcp_close(struct l2tp_ppp_link *p, const char *fmt, ...)
{
	va_list ap;

	if (p->closing)
		return;
	p->closing = true;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	ppp_set_phase(p, L2TP_PPP_TERMINATE);
	if (p->fsm[PL_LCP].state >= L2TP_PPP_REQ_SENT) {
		struct l2tp_ppp_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.kind = L2TP_PPP_EV_TERMINATE;
		ev.proto = L2TP_PPP_LCP;
		ev.code = 5;
		ev.state = -1;
		ev.ok = true; /* sent by us */
		ppp_emitv(p, &ev, "LCP Terminate-Request sent: \"%s\"",
		          p->reason);
	}
	ppp_fsm_event(p, &p->fsm[PL_LCP], PE_CLOSE, NULL, NULL);
}

static bool
ncp_on(const struct l2tp_ppp_link *p, int layer)
{
	return layer == PL_IPCP ? p->cfg->ipcp : p->cfg->ipv6cp;
}

void
ppp_network_up(struct l2tp_ppp_link *p)
{
	ppp_set_phase(p, L2TP_PPP_NETWORK);
	for (int l = PL_IPCP; l < PL_COUNT; l++) {
		if (!ncp_on(p, l))
			continue;
		ppp_fsm_event(p, &p->fsm[l], PE_OPEN, NULL, NULL);
		ppp_fsm_event(p, &p->fsm[l], PE_UP, NULL, NULL);
	}
	ppp_ncps_check(p);
}

void
ppp_ncps_check(struct l2tp_ppp_link *p)
{
	if (p->phase != L2TP_PPP_NETWORK)
		return;
	for (int l = PL_IPCP; l < PL_COUNT; l++)
		if (ncp_on(p, l) && p->fsm[l].state != L2TP_PPP_STOPPED &&
		    p->fsm[l].state != L2TP_PPP_CLOSED)
			return;
	/* As pppd does: a link that carries nothing is closed. */
	ppp_lcp_close(p, "no network protocol is running");
}

/* ---- the object ---- */

struct l2tp_ppp_link *
l2tp_ppp_new(const struct l2tp_ppp_config *c, const struct l2tp_ppp_io *io,
             void *ctx)
{
	struct l2tp_ppp_link *p;

	if (!c || !io || !io->random || !io->send || c->mru < 128 ||
	    c->restart_ms == 0 || c->max_configure == 0 ||
	    c->max_terminate == 0 || c->max_failure == 0 ||
	    (c->role == L2TP_PPP_SERVER && c->auth != L2TP_PPP_AUTH_NONE &&
	     (c->nusers == 0 || !c->users)) ||
	    c->auth > L2TP_PPP_AUTH_ANY)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cfg = c;
	p->io = io;
	p->ctx = ctx;
	for (int l = 0; l < PL_COUNT; l++)
		ppp_fsm_init(&p->fsm[l], l);
	p->phase = L2TP_PPP_DEAD;
	p->echo_at = PPP_NEVER;
	p->au_l.timer_at = PPP_NEVER;
	p->au_p.timer_at = PPP_NEVER;
	return p;
}

void
l2tp_ppp_free(struct l2tp_ppp_link *p)
{
	if (!p)
		return;
	if (p->pool_taken && p->cfg->pool)
		l2tp_ppp_pool_give(p->cfg->pool, p->ip_assigned);
	free(p);
}

static int
random_nonzero(struct l2tp_ppp_link *p, uint8_t *b, size_t n)
{
	for (int i = 0; i < 8; i++) {
		bool nz = false;

		if (ppp_random(p, b, n) < 0)
			return L2TP_PPP_E_RANDOM;
		for (size_t j = 0; j < n; j++)
			nz |= b[j] != 0;
		if (nz)
			return 0;
	}
	return L2TP_PPP_E_RANDOM;
}

int
l2tp_ppp_start(struct l2tp_ppp_link *p, uint64_t now_ms)
{
	uint8_t m[4], ids[4];
	const struct l2tp_ppp_config *c = p->cfg;

	if (p->started)
		return L2TP_PPP_E_STATE;
	p->now = now_ms;
	if (random_nonzero(p, m, 4) < 0 ||
	    random_nonzero(p, p->ifid_l, 8) < 0 || ppp_random(p, ids, 4) < 0)
		return L2TP_PPP_E_RANDOM;
	p->started = true;
	p->started_ms = now_ms;
	p->l_magic = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	             (uint32_t)m[2] << 8 | m[3];
	p->l_mru = c->mru;
	p->lcp_want = LCP_W_MRU | LCP_W_MAGIC;
	if (c->role == L2TP_PPP_SERVER && c->auth != L2TP_PPP_AUTH_NONE) {
		p->lcp_want |= LCP_W_AUTH;
		p->l_auth =
		    c->auth == L2TP_PPP_AUTH_PAP ? L2TP_PPP_PAP : L2TP_PPP_CHAP;
		p->l_auth_alg = p->l_auth == L2TP_PPP_CHAP ? 5 : 0;
	}
	p->ping_ident = (uint16_t)(ids[0] << 8 | ids[1]);
	p->ip_id = (uint16_t)(ids[2] << 8 | ids[3]);
	/* IPCP: the subscriber asks for what it was given (0.0.0.0 to be
	 * told), the server says its own address. */
	memcpy(p->ip_req, c->local_addr, 4);
	p->ipcp_want = 1;
	if (c->role == L2TP_PPP_SUBSCRIBER && c->want_dns)
		p->ipcp_want |= 2 | 4;
	if (c->role == L2TP_PPP_SERVER &&
	    memcmp(c->local_addr, "\0\0\0\0", 4) == 0)
		p->ipcp_want = 0;
	p->ifid_want = true;
	ppp_set_phase(p, L2TP_PPP_ESTABLISH);
	ppp_fsm_event(p, &p->fsm[PL_LCP], PE_OPEN, NULL, NULL);
	ppp_fsm_event(p, &p->fsm[PL_LCP], PE_UP, NULL, NULL);
	return 0;
}

int
l2tp_ppp_close(struct l2tp_ppp_link *p, const char *reason, uint64_t now_ms)
{
	int st = p->fsm[PL_LCP].state;

	p->now = now_ms;
	if (!p->started || p->closing || st == L2TP_PPP_CLOSED ||
	    st == L2TP_PPP_STOPPED || st == L2TP_PPP_INITIAL)
		return L2TP_PPP_E_STATE;
	ppp_lcp_close(p, "%s", reason ? reason : "");
	return 0;
}

int
l2tp_ppp_lower_down(struct l2tp_ppp_link *p, uint64_t now_ms)
{
	p->now = now_ms;
	if (!p->started)
		return 0;
	p->dead_sent = true; /* the caller knows: no DEAD event */
	ppp_fsm_event(p, &p->fsm[PL_LCP], PE_DOWN, NULL, NULL);
	ppp_auth_stop(p);
	p->echo_at = PPP_NEVER;
	ppp_set_phase(p, L2TP_PPP_DEAD);
	return 0;
}

static void
discard(struct l2tp_ppp_link *p, uint16_t proto, const char *why)
{
	const char *n = l2tp_ppp_proto_name(proto);

	p->bad_in++;
	if (n)
		ppp_emit(p, L2TP_PPP_EV_BAD, proto, -1,
		         "%s packet discarded: %s", n, why);
	else
		ppp_emit(p, L2TP_PPP_EV_BAD, proto, -1,
		         "protocol 0x%04x packet discarded: %s", proto, why);
}

int
l2tp_ppp_input(struct l2tp_ppp_link *p, uint16_t proto, const uint8_t *buf,
               size_t len, uint64_t now_ms)
{
	struct l2tp_ppp_cp cp;
	bool lcp_open;
	int rc, layer = -1;

	if (!p || (!buf && len))
		return L2TP_PPP_E_INVAL;
	p->now = now_ms;
	if (!p->started || p->phase == L2TP_PPP_DEAD) {
		discard(p, proto, "the link is dead");
		return 0;
	}
	lcp_open = p->fsm[PL_LCP].state == L2TP_PPP_OPENED;
	switch (proto) {
	case L2TP_PPP_LCP:
		layer = PL_LCP;
		break;
	case L2TP_PPP_IPCP:
		layer = p->cfg->ipcp ? PL_IPCP : -1;
		break;
	case L2TP_PPP_IPV6CP:
		layer = p->cfg->ipv6cp ? PL_IPV6CP : -1;
		break;
	case L2TP_PPP_PAP:
	case L2TP_PPP_CHAP:
		if (!lcp_open) {
			discard(p, proto, "LCP is not opened");
			return 0;
		}
		rc = l2tp_ppp_read_cp(buf, len, &cp);
		if (rc < 0) {
			discard(p, proto, l2tp_ppp_read_strerror(rc));
			return 0;
		}
		ppp_auth_input(p, proto, &cp);
		return 0;
	case L2TP_PPP_IP:
	case L2TP_PPP_IPV6:
		if (!lcp_open ||
		    p->fsm[proto == L2TP_PPP_IP ? PL_IPCP : PL_IPV6CP].state !=
		        L2TP_PPP_OPENED) {
			discard(p, proto,
			        proto == L2TP_PPP_IP ? "IPCP is not opened"
			                             : "IPv6CP is not opened");
			return 0;
		}
		p->ip_in++;
		ppp_icmp_input(p, proto == L2TP_PPP_IP ? 4 : 6, buf, len);
		return 0;
	default:
		break;
	}
	if (layer == PL_LCP) {
		rc = l2tp_ppp_read_cp(buf, len, &cp);
		if (rc < 0) {
			discard(p, proto, l2tp_ppp_read_strerror(rc));
			return 0;
		}
		ppp_fsm_input(p, &p->fsm[PL_LCP], &cp);
		return 0;
	}
	if (!lcp_open) {
		/* RFC 1661 §3.4: non-LCP packets before LCP is opened. */
		discard(p, proto, "LCP is not opened");
		return 0;
	}
	if (layer < 0) {
		ppp_lcp_protocol_reject(p, proto, buf, len);
		return 0;
	}
	if (p->phase != L2TP_PPP_NETWORK) {
		discard(p, proto, "not in the network phase yet");
		return 0;
	}
	rc = l2tp_ppp_read_cp(buf, len, &cp);
	if (rc < 0) {
		discard(p, proto, l2tp_ppp_read_strerror(rc));
		return 0;
	}
	ppp_fsm_input(p, &p->fsm[layer], &cp);
	return 0;
}

uint64_t
l2tp_ppp_expiry(const struct l2tp_ppp_link *p)
{
	uint64_t t = p->echo_at;

	for (int l = 0; l < PL_COUNT; l++)
		if (p->fsm[l].timer_at < t)
			t = p->fsm[l].timer_at;
	if (p->au_l.timer_at < t)
		t = p->au_l.timer_at;
	if (p->au_p.timer_at < t)
		t = p->au_p.timer_at;
	return t;
}

int
l2tp_ppp_handle_expiry(struct l2tp_ppp_link *p, uint64_t now_ms)
{
	p->now = now_ms;
	for (int l = 0; l < PL_COUNT; l++)
		if (p->fsm[l].timer_at <= now_ms)
			ppp_fsm_timeout(p, &p->fsm[l]);
	if (p->au_l.timer_at <= now_ms || p->au_p.timer_at <= now_ms)
		ppp_auth_timer(p);
	if (p->echo_at <= now_ms)
		ppp_lcp_echo_timer(p);
	return 0;
}

int
l2tp_ppp_request_edited(struct l2tp_ppp_link *p, uint16_t proto,
                        const uint8_t *cp, size_t len)
{
	int l = proto == L2TP_PPP_LCP      ? PL_LCP
	        : proto == L2TP_PPP_IPCP   ? PL_IPCP
	        : proto == L2TP_PPP_IPV6CP ? PL_IPV6CP
	                                   : -1;

	if (!p || !cp || l < 0)
		return L2TP_PPP_E_INVAL;
	return ppp_fsm_request_edited(p, &p->fsm[l], cp, len);
}

int
l2tp_ppp_echo_now(struct l2tp_ppp_link *p, uint64_t now_ms)
{
	p->now = now_ms;
	if (p->fsm[PL_LCP].state != L2TP_PPP_OPENED)
		return L2TP_PPP_E_STATE;
	return ppp_lcp_echo_send(p);
}

void
l2tp_ppp_info(const struct l2tp_ppp_link *p, struct l2tp_ppp_info *o)
{
	memset(o, 0, sizeof(*o));
	o->role = p->cfg->role;
	o->phase = p->phase;
	o->lcp_state = p->fsm[PL_LCP].state;
	o->ipcp_state = p->fsm[PL_IPCP].state;
	o->ipv6cp_state = p->fsm[PL_IPV6CP].state;
	o->mru_local = p->a_mru;
	o->mru_peer = p->peer_mru;
	o->magic_local = p->a_magic;
	o->magic_peer = p->peer_magic;
	o->accm_peer = p->peer_accm;
	o->pfc_peer = o->tx_pfc = p->peer_pfc;
	o->acfc_peer = o->tx_acfc = p->peer_acfc;
	o->auth_local = p->au_l.info;
	o->auth_peer = p->au_p.info;
	memcpy(o->ip_local, p->ip_local, 4);
	memcpy(o->ip_peer, p->ip_peer, 4);
	memcpy(o->dns, p->dns, sizeof(o->dns));
	if (p->fsm[PL_IPV6CP].state == L2TP_PPP_OPENED) {
		memcpy(o->ifid_local, p->ifid_l, 8);
		memcpy(o->ifid_peer, p->ifid_p, 8);
	}
	o->echo_sent = p->echo_sent;
	o->echo_received = p->echo_received;
	o->echo_lost = p->echo_lost;
	o->echo_rtt_ms = p->echo_rtt;
	o->ctl_in = p->ctl_in;
	o->ctl_out = p->ctl_out;
	o->bad_in = p->bad_in;
	o->proto_rejects_in = p->prej_in;
	o->proto_rejects_out = p->prej_out;
	o->code_rejects_in = p->crej_in;
	o->code_rejects_out = p->crej_out;
	o->ip_in = p->ip_in;
	o->ip_out = p->ip_out;
	o->pings_sent = p->pings_sent;
	o->pings_received = p->pings_rcvd;
	o->pings_answered = p->pings_answered;
	memcpy(o->reason, p->reason, sizeof(o->reason));
	o->started_ms = p->started_ms;
	o->network_ms = p->network_ms;
}
