/* The shell's live side: the engine and the lab peer on UDP sockets, events
 * above the prompt, display of tunnels and sessions (RFC 2661 §5-7). */
#include <errno.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <time.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/ladder.h"
#include "cli/live.h"
#include "cli/live_int.h"
#include "cli/record.h"
#include "cli/loop.h"
#include "cli/settings.h"
#include "cli/sh.h"
#include "cli/udp.h"
#include "completion/complete.h"
#include "decoder/addr.h"
#include "decoder/json.h"
#include "decoder/print.h"
#include "engine/ppp.h"
#include "decoder/proto.h"

/* Event kinds by the `debugging l2tp` class that shows them. */
static const unsigned ev_class[L2TP_EV_KIND_COUNT] = {
    [L2TP_EV_TUNNEL_STATE] = SH_DBG_EVENT,
    [L2TP_EV_SESSION_STATE] = SH_DBG_EVENT,
    [L2TP_EV_MSG_IN] = SH_DBG_PACKET,
    [L2TP_EV_MSG_OUT] = SH_DBG_PACKET,
    [L2TP_EV_ZLB_IN] = SH_DBG_PACKET,
    [L2TP_EV_ZLB_OUT] = SH_DBG_PACKET,
    [L2TP_EV_RETRANSMIT] = SH_DBG_PACKET | SH_DBG_EVENT,
    [L2TP_EV_TIMER] = SH_DBG_EVENT,
    [L2TP_EV_AUTH] = SH_DBG_EVENT,
    [L2TP_EV_DUPLICATE] = SH_DBG_EVENT,
    [L2TP_EV_OUT_OF_ORDER] = SH_DBG_EVENT,
    [L2TP_EV_OUT_OF_WINDOW] = SH_DBG_EVENT,
    [L2TP_EV_UNKNOWN_AVP] = SH_DBG_EVENT,
    [L2TP_EV_MISSING_AVP] = SH_DBG_EVENT,
    [L2TP_EV_BAD_MESSAGE] = SH_DBG_EVENT,
    [L2TP_EV_UNEXPECTED] = SH_DBG_EVENT,
    [L2TP_EV_HIDDEN] = SH_DBG_EVENT,
    [L2TP_EV_GIVE_UP] = SH_DBG_EVENT,
    [L2TP_EV_TIE_BREAK] = SH_DBG_EVENT,
    [L2TP_EV_STOPCCN] = SH_DBG_EVENT,
    [L2TP_EV_CDN] = SH_DBG_EVENT,
    [L2TP_EV_TUNNEL_GONE] = SH_DBG_EVENT,
    [L2TP_EV_SESSION_GONE] = SH_DBG_EVENT,
    [L2TP_EV_ANOMALY] = SH_DBG_EVENT,
    [L2TP_EV_HELD] = SH_DBG_EVENT,
    [L2TP_EV_REFUSED] = SH_DBG_EVENT,
    [L2TP_EV_PPP] = SH_DBG_EVENT,
    [L2TP_EV_DATA] = SH_DBG_EVENT,
};

/* PPP's steps the operator reads as events (opened, authenticated, down,
 * why); its automaton moves and packets go with the packets. */
static unsigned
ppp_class(const struct l2tp_event *ev)
{
	switch (ev->ppp_kind) {
	case L2TP_PPP_EV_STATE:
	case L2TP_PPP_EV_PHASE:
	case L2TP_PPP_EV_PACKET_IN:
	case L2TP_EV_PPP_SENT:
	case L2TP_PPP_EV_PING:
	case L2TP_PPP_EV_PINGED:
		return SH_DBG_PACKET;
	case L2TP_PPP_EV_ECHO:
		return ev->ok ? SH_DBG_PACKET : SH_DBG_EVENT;
	default:
		return SH_DBG_EVENT;
	}
}

/* An address without its port ("127.0.0.1", "::1"; "?" for no family). */
const char *
live_addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	char t[L2TP_IPADDR_STRLEN];

	l2tp_ip_fmt(t, a->family, a->addr); /* RFC 5952, as the decoder */
	snprintf(buf, len, "%s", t);
	return buf;
}

/* Text the table has checked already (an IPv4 or IPv6 literal). */
void
live_parse_addr(const char *s, uint16_t port, struct l2tp_addr *a)
{
	char err[128];

	if (udp_parse_addr(s, port, a, err, sizeof(err)) < 0)
		memset(a, 0, sizeof(*a));
}

static int
rand_fn(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

uint64_t
live_now(void)
{
	return (uint64_t)loop_now_ms();
}

/* The engine config from the shell's settings. */
void
live_config(struct sh *sh, struct l2tp_engine_config *c)
{
	const char *vals[SET_MAX_ROWS];

	l2tp_engine_config_default(c);
	c->random = rand_fn;
	sh_settings(sh, vals, SET_MAX_ROWS);
	set_apply(c, vals);
}

int
live_apply(struct live *lv, struct l2tp_engine *e, const char *name)
{
	struct l2tp_engine_config c;
	const char *secret = sh_setting(lv->sh, "secret");
	int rc;

	live_config(lv->sh, &c);
	if (name)
		snprintf(c.host_name, sizeof(c.host_name), "%s", name);
	/* The lab peer always answers on its own. */
	if (e == lv->lab)
		c.mode = L2TP_MODE_AUTO;
	c.ppp_proxy = live_ppp_proxy();
	if ((rc = l2tp_engine_set_config(e, &c)) < 0)
		return rc;
	if ((rc = live_ppp_apply(lv, e, e == lv->lab)) < 0)
		return rc;
	return l2tp_engine_set_secret_default(e, *secret ? secret : NULL);
}

struct live *
live_new(struct sh *sh)
{
	struct live *lv = calloc(1, sizeof(*lv));
	struct l2tp_engine_config c;

	if (lv == NULL)
		return NULL;
	lv->sh = sh;
	for (int i = 0; i < FD_COUNT; i++)
		lv->us[i].fd = -1;
	live_config(sh, &c);
	if ((lv->eng = l2tp_engine_new(&c)) == NULL ||
	    (lv->hist = calloc(LIVE_HIST, sizeof(*lv->hist))) == NULL ||
	    (lv->notes = calloc(LIVE_NOTES, sizeof(*lv->notes))) == NULL) {
		live_free(lv);
		return NULL;
	}
	live_ppp_apply(lv, lv->eng, false);
	lv->t0 = live_now();
	{
		struct timespec ts;
		struct tm tm;
		time_t sec;

		/* Messages print with the wall-clock time, as in a capture. */
		clock_gettime(CLOCK_REALTIME, &ts);
		lv->wall0 =
		    (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		sec = ts.tv_sec;
		localtime_r(&sec, &tm);
		lv->tz_offset = tm.tm_gmtoff;
	}
	return lv;
}

void
live_free(struct live *lv)
{
	if (lv == NULL)
		return;
	for (int i = 0; i < FD_COUNT; i++)
		if (lv->us[i].fd >= 0) {
			loop_unwatch(sh_loop(lv->sh), lv->us[i].fd);
			udp_close(&lv->us[i]);
		}
	loop_set_timer(sh_loop(lv->sh), NULL, NULL, NULL);
	rec_close(lv->rec);
	if (lv->eng)
		l2tp_engine_free(lv->eng);
	if (lv->lab)
		l2tp_engine_free(lv->lab);
	free(lv->hist);
	free(lv->notes);
	free(lv);
}

int
live_settings_changed(struct live *lv)
{
	int rc = live_apply(lv, lv->eng, NULL);
	enum l2tp_mode mode = l2tp_engine_config(lv->eng)->mode;

	if (rc == 0 && lv->lab)
		rc = live_apply(lv, lv->lab, "lab-lns");
	if (rc == 0 && mode != lv->mode) {
		/* set mode applies to the running tunnels too: auto releases
		 * what they hold and lets them run from where they are. */
		uint16_t ids[1024];
		size_t n = l2tp_engine_tunnel_ids(lv->eng, ids, 1024);

		for (size_t i = 0; i < n && i < 1024; i++)
			l2tp_engine_tunnel_set_mode(lv->eng, ids[i], mode,
			                            live_now());
		lv->mode = mode;
		live_drain(lv);
	}
	return rc;
}

int
live_peer_secret(struct live *lv, const char *addr, const char *host,
                 const char *secret)
{
	struct l2tp_addr a;
	int rc;

	if (addr && strcasecmp(addr, "lab") == 0) {
		if (lv->lab == NULL) {
			sh_error(lv->sh,
			         "the lab peer is not running; type lab "
			         "start first");
			return -1;
		}
		a = lv->us[FD_LAB].local;
		a.port = 0;
		addr = NULL;
		rc = l2tp_engine_set_secret_addr(lv->eng, &a, secret);
	} else if (addr) {
		live_parse_addr(addr, 0, &a);
		rc = l2tp_engine_set_secret_addr(lv->eng, &a, secret);
	} else {
		rc = l2tp_engine_set_secret_host(lv->eng, host, secret);
	}
	if (rc == L2TP_E_FULL) {
		sh_error(lv->sh,
		         "at most 32 secrets: forget one with no secret "
		         "peer ADDR or host NAME");
		return -1;
	}
	if (rc < 0) {
		sh_error(lv->sh,
		         "secret: %s (at most 255 characters, host "
		         "names at most 63)",
		         l2tp_engine_strerror(rc));
		return -1;
	}
	return 0;
}

size_t
live_peer_secrets(struct live *lv, char (*names)[96], size_t cap)
{
	struct l2tp_secret_info si[40];
	size_t n = l2tp_engine_secrets(lv->eng, si, 40), k = 0;
	char a[64];

	for (size_t i = 0; i < n && i < 40; i++) {
		if (si[i].kind == L2TP_SECRET_DEFAULT)
			continue;
		if (k < cap && si[i].kind == L2TP_SECRET_ADDR)
			snprintf(names[k], 96, "peer %s",
			         live_addr_str(&si[i].addr, a, sizeof(a)));
		else if (k < cap)
			snprintf(names[k], 96, "host %s", si[i].host);
		k++;
	}
	return k;
}

size_t
live_secrets(struct live *lv, const char **out, size_t cap)
{
	struct l2tp_secret_info si[40];
	size_t n = l2tp_engine_secrets(lv->eng, si, 40), k = 0;

	/* The default first: it is the one most messages are hidden with. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && i < 40 && k < cap; i++)
			if ((si[i].kind == L2TP_SECRET_DEFAULT) ==
			        (pass == 0) &&
			    si[i].secret && *si[i].secret)
				out[k++] = si[i].secret;
	return k;
}

size_t
live_ports(struct live *lv, uint16_t *out, size_t cap)
{
	size_t k = 0, n;
	uint16_t ids[1024];

	for (int i = 0; i < FD_COUNT && k < cap; i++)
		if (lv->us[i].fd >= 0 && lv->us[i].local.port)
			out[k++] = lv->us[i].local.port;
	n = l2tp_engine_tunnel_ids(lv->eng, ids, 1024);
	for (size_t i = 0; i < n && i < 1024 && k < cap; i++) {
		struct l2tp_tunnel_info t;

		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0 &&
		    t.peer.port)
			out[k++] = t.peer.port;
	}
	return k;
}

/* ---- Events and datagrams ---- */

static void
hist_add(struct live *lv, const struct l2tp_event *ev)
{
	struct hist_ent *h = &lv->hist[lv->nhist % LIVE_HIST];

	h->no = ++lv->nhist;
	h->time_ms = ev->time_ms;
	h->tunnel = ev->tunnel;
	h->out = ev->kind == L2TP_EV_MSG_OUT || ev->kind == L2TP_EV_ZLB_OUT ||
	         ev->kind == L2TP_EV_RETRANSMIT;
	h->peer = ev->peer;
	h->rtx = ev->kind == L2TP_EV_RETRANSMIT;
	h->wire_len = (uint16_t)(ev->msg_len > 65535 ? 65535 : ev->msg_len);
	h->len = (uint16_t)(ev->msg_len < LIVE_HIST_MSG ? ev->msg_len
	                                                : LIVE_HIST_MSG);
	memcpy(h->data, ev->msg, h->len);
}

/* State changes, verdicts and give-ups go beside the messages. */
static void
note_add(struct live *lv, const struct l2tp_event *ev)
{
	struct hist_note *n;
	const char *t = ev->text, *what = "";
	enum cli_ladder_mark mark = CLI_LADDER_STATE;
	char pre[16];
	size_t k;

	switch (ev->kind) {
	case L2TP_EV_TUNNEL_STATE:
		break;
	case L2TP_EV_SESSION_STATE:
		what = "session: ";
		break;
	case L2TP_EV_AUTH:
		what = ev->ok ? "auth ok: " : "auth FAILED: ";
		mark = ev->ok ? CLI_LADDER_STATE : CLI_LADDER_FINDING;
		break;
	case L2TP_EV_GIVE_UP:
	case L2TP_EV_BAD_MESSAGE:
		what = "";
		mark = CLI_LADDER_FINDING;
		break;
	default:
		return;
	}
	n = &lv->notes[lv->nnotes++ % LIVE_NOTES];
	n->after = lv->nhist;
	n->time_ms = ev->time_ms;
	n->tunnel = ev->tunnel;
	n->mark = (uint8_t)mark;
	/* The engine's "tunnel 5: " is said by the ladder already. */
	snprintf(pre, sizeof(pre), "tunnel %u: ", ev->tunnel);
	k = strlen(pre);
	if (strncmp(t, pre, k) == 0)
		t += k;
	snprintf(n->text, sizeof(n->text), "%s%s", what, t);
}

const struct hist_ent *
live_hist_get(const struct live *lv, uint64_t no)
{
	const struct hist_ent *h;

	if (no == 0 || no > lv->nhist || lv->nhist - no >= LIVE_HIST)
		return NULL;
	h = &lv->hist[(no - 1) % LIVE_HIST];
	return h->no == no ? h : NULL;
}

/* This end's address towards peer on socket which (FD_*): a wildcard-bound
 * socket talking to loopback sends from loopback. */
static void
local_addr(const struct live *lv, int which, const struct l2tp_addr *peer,
           struct l2tp_addr *me)
{
	static const uint8_t zero[16];

	*me = lv->us[which].local;
	if (memcmp(me->addr, zero, 16) != 0)
		return;
	if (peer->family == L2TP_AF_INET && peer->addr[0] == 127) {
		me->family = L2TP_AF_INET;
		memcpy(me->addr, peer->addr, 4);
	} else if (peer->family == L2TP_AF_INET6 &&
	           memcmp(peer->addr, zero, 15) == 0 && peer->addr[15] == 1) {
		me->addr[15] = 1;
	}
}

/* A frame with the addresses of a message, so printers name both ends. */
static void
hist_frame(const struct live *lv, const struct hist_ent *h,
           struct l2tp_frame *fr)
{
	struct l2tp_addr me;
	struct l2tp_ipaddr a = {h->peer.family, {0}}, b;

	local_addr(lv,
	           lv->via[h->tunnel]                ? lv->via[h->tunnel] - 1
	           : h->peer.family == L2TP_AF_INET6 ? FD_LAC6
	                                             : FD_LAC4,
	           &h->peer, &me);
	b.family = me.family;
	memset(fr, 0, sizeof(*fr));
	memcpy(a.a, h->peer.addr, 16);
	memcpy(b.a, me.addr, 16);
	fr->kind = L2TP_FRAME_L2TP;
	fr->ipproto = 17;
	fr->src = h->out ? b : a;
	fr->dst = h->out ? a : b;
	fr->sport = h->out ? me.port : h->peer.port;
	fr->dport = h->out ? h->peer.port : me.port;
	fr->transport = L2TP_UDP;
}

void
live_print_msg(struct live *lv, struct l2tp_sink *s, const struct hist_ent *h,
               bool tree, bool json)
{
	struct l2tp_msg *m = malloc(sizeof(*m));
	struct l2tp_print_opts po = {lv->tz_offset, false};
	struct l2tp_frame fr;
	struct l2tp_pkt_meta meta;
	uint64_t t = lv->wall0 + (h->time_ms - lv->t0);
	const char *secrets[40];
	size_t nsec;
	uint8_t *scratch = NULL;

	if (m == NULL)
		return;
	hist_frame(lv, h, &fr);
	memset(&meta, 0, sizeof(meta));
	nsec = live_secrets(lv, secrets, 40);
	meta.frame = h->no;
	meta.ts_sec = (int64_t)(t / 1000);
	meta.ts_usec = (uint32_t)(t % 1000) * 1000;
	meta.fr = &fr;
	/* Hidden AVPs opened with the secrets the engine holds, as
	 * -r --secret opens them in a capture. */
	if (l2tp_parse(h->data, h->len, h->wire_len, L2TP_UDP, NULL, m) == 0 &&
	    m->control && nsec > 0 && (scratch = malloc(LIVE_SCRATCH)) != NULL)
		l2tp_unhide(m, secrets, nsec, scratch, LIVE_SCRATCH);
	if (json)
		l2tp_print_json(s, &po, &meta, m);
	else if (tree)
		l2tp_print_tree(s, &po, &meta, m);
	else
		l2tp_print_line(s, &po, &meta, m);
	free(scratch);
	free(m);
}

/* Step mode: what is held, and what the operator can do with it. */
/* A held message as a history entry, for printing. */
static void
held_ent(struct hist_ent *h, const struct l2tp_event *ev, unsigned id)
{
	memset(h, 0, sizeof(*h));
	h->no = id;
	h->time_ms = ev->time_ms;
	h->tunnel = ev->tunnel;
	h->out = ev->outgoing;
	h->peer = ev->peer;
	h->wire_len = (uint16_t)(ev->msg_len > 65535 ? 65535 : ev->msg_len);
	h->len = (uint16_t)(ev->msg_len < LIVE_HIST_MSG ? ev->msg_len
	                                                : LIVE_HIST_MSG);
	memcpy(h->data, ev->msg, h->len);
}

/* What an event or held line says, shown above the prompt; s freed. */
static void
event_out(struct live *lv, struct l2tp_sink *s)
{
	if (!s->oom && s->len) {
		l2tp_sink_putc(s, '\0');
		sh_print_event(lv->sh, s->buf);
	}
	l2tp_sink_free(s);
}

/* An event as one JSON object on a line (-j): seconds since the shell
 * started, whose it is, the engine's kind and words; held: the number of a
 * held message (0: none). */
static void
event_json(struct l2tp_sink *s, uint64_t t_ms, bool lab, uint16_t tunnel,
           uint16_t session, const char *kind, const char *text, unsigned held)
{
	struct l2tp_json j;
	char num[32];
	int n = snprintf(num, sizeof(num), "%llu.%03llu",
	                 (unsigned long long)(t_ms / 1000),
	                 (unsigned long long)(t_ms % 1000));

	l2tp_json_init(&j, s);
	l2tp_json_obj(&j);
	l2tp_json_key(&j, "time");
	l2tp_json_raw(&j, num, (size_t)n);
	if (lab)
		l2tp_json_kbool(&j, "lab", true);
	if (tunnel)
		l2tp_json_kuint(&j, "tunnel", tunnel);
	if (session)
		l2tp_json_kuint(&j, "session", session);
	l2tp_json_kstr(&j, "event", kind);
	if (held)
		l2tp_json_kuint(&j, "held", held);
	l2tp_json_kstr(&j, "text", text);
	l2tp_json_obj_end(&j);
	l2tp_sink_putc(s, '\n');
}

static void
show_held(struct live *lv, const struct l2tp_event *ev)
{
	struct l2tp_sink s;
	struct hist_ent *h = malloc(sizeof(*h));
	uint64_t t = ev->time_ms - lv->t0;
	char nb[24];
	unsigned id = ev->count;

	l2tp_sink_init(&s, NULL);
	if (sh_json_everywhere(lv->sh)) {
		event_json(&s, t, false, ev->tunnel, ev->session, "held",
		           ev->text, ev->msg ? id : 0);
		if (ev->msg && h) {
			held_ent(h, ev, id);
			live_print_msg(lv, &s, h, false, true);
		}
		free(h);
		event_out(lv, &s);
		return;
	}
	l2tp_sink_printf(&s, "%4llu.%03llu ", (unsigned long long)(t / 1000),
	                 (unsigned long long)(t % 1000));
	if (ev->msg == NULL || h == NULL) {
		/* "draft 3 dropped" and the like. */
		l2tp_sink_printf(&s, "held: %s\n", ev->text);
	} else if (ev->outgoing) {
		l2tp_sink_printf(
		    &s,
		    "held #%u: %s drafted for tunnel %u, not "
		    "sent: step sends it; edit %u, drop %u, duplicate %u, "
		    "delay %u MS\n",
		    id,
		    ev->msg_type < 0
		        ? "ZLB"
		        : l2tp_msg_name(ev->msg_type, nb, sizeof(nb)),
		    ev->tunnel, id, id, id, id);
	} else {
		l2tp_sink_printf(
		    &s,
		    "held #%u: %s received%s%u, not acted on: "
		    "step processes it; drop %u discards it\n",
		    id,
		    ev->msg_type < 0
		        ? "ZLB"
		        : l2tp_msg_name(ev->msg_type, nb, sizeof(nb)),
		    ev->tunnel ? " on tunnel "
		               : " from a new "
		                 "peer",
		    ev->tunnel, id);
	}
	if (ev->msg && h) {
		/* The message itself, decoded: a line, or the tree with avp. */
		held_ent(h, ev, id);
		l2tp_sink_puts(&s, "     ");
		live_print_msg(lv, &s, h,
		               (sh_debug_mask(lv->sh) & SH_DBG_AVP) != 0,
		               false);
	}
	free(h);
	event_out(lv, &s);
}

static void
show_event(struct live *lv, const struct l2tp_event *ev, bool lab)
{
	unsigned mask = sh_debug_mask(lv->sh);
	struct l2tp_sink s;
	uint64_t t = ev->time_ms - lv->t0;
	bool msg = ev->msg &&
	           (ev->kind == L2TP_EV_MSG_IN || ev->kind == L2TP_EV_MSG_OUT ||
	            ev->kind == L2TP_EV_ZLB_IN || ev->kind == L2TP_EV_ZLB_OUT ||
	            ev->kind == L2TP_EV_RETRANSMIT);

	if (!lab && msg)
		hist_add(lv, ev);
	if (!lab)
		note_add(lv, ev);
	if (!lab && ev->kind == L2TP_EV_HELD) {
		show_held(lv, ev);
		return;
	}
	/* avp shows the messages too, as trees. */
	if (mask & SH_DBG_AVP)
		mask |= SH_DBG_PACKET;
	/*
	 * The lab peer's own view only when asked for (debugging l2tp lab),
	 * in the classes shown for this end (events if none), each line
	 * tagged so it never passes for this end's.
	 */
	if (lab) {
		if (!(mask & SH_DBG_LAB))
			return;
		if (!(mask & (SH_DBG_EVENT | SH_DBG_PACKET)))
			mask |= SH_DBG_EVENT;
	}
	if (!(mask &
	      (ev->kind == L2TP_EV_PPP ? ppp_class(ev) : ev_class[ev->kind])))
		return;
	l2tp_sink_init(&s, NULL);
	if (sh_json_everywhere(lv->sh)) {
		/* -j: one JSON object per event, the message as the
		 * decoder's JSON on the next line (JSON Lines). */
		event_json(&s, t, lab, ev->tunnel, ev->session,
		           l2tp_event_kind_name(ev->kind), ev->text, 0);
		if (msg && !lab && (mask & SH_DBG_AVP))
			live_print_msg(lv, &s,
			               &lv->hist[(lv->nhist - 1) % LIVE_HIST],
			               true, true);
		event_out(lv, &s);
		return;
	}
	l2tp_sink_printf(&s, "%4llu.%03llu %s", (unsigned long long)(t / 1000),
	                 (unsigned long long)(t % 1000), lab ? "lab: " : "");
	/* The engine's text may name the tunnel or session itself. */
	if (ev->tunnel && strncmp(ev->text, "tunnel ", 7) != 0)
		l2tp_sink_printf(&s, "tunnel %u ", ev->tunnel);
	if (ev->session && strncmp(ev->text, "session ", 8) != 0)
		l2tp_sink_printf(&s, "session %u ", ev->session);
	l2tp_sink_printf(&s, "%s: %s\n", l2tp_event_kind_name(ev->kind),
	                 ev->text);
	if (msg && !lab && (mask & SH_DBG_AVP))
		live_print_msg(lv, &s, &lv->hist[(lv->nhist - 1) % LIVE_HIST],
		               true, false);
	event_out(lv, &s);
}

/* Which socket (FD_*) a datagram leaves by; rx: the one it answers. */
static int
sock_of(struct live *lv, const struct l2tp_datagram *d, int rx, bool lab)
{
	if (lab)
		return FD_LAB;
	if (d->tunnel && lv->via[d->tunnel])
		return lv->via[d->tunnel] - 1;
	if (rx >= 0)
		return rx;
	return d->to.family == L2TP_AF_INET6 ? FD_LAC6 : FD_LAC4;
}

static int
idx_of(struct live *lv, int fd)
{
	for (int i = 0; i < FD_COUNT; i++)
		if (lv->us[i].fd == fd && fd >= 0)
			return i;
	return -1;
}

/* Hand out what an engine has to send and to say; rxfd: where it came from. */
static void
drain_one(struct live *lv, struct l2tp_engine *e, int rxfd)
{
	struct l2tp_datagram d;
	struct l2tp_event ev;
	bool lab = e == lv->lab;
	int rx = idx_of(lv, rxfd);

	while (l2tp_engine_next_event(e, &ev)) {
		if (!lab && ev.tunnel && !lv->via[ev.tunnel] && rx >= 0)
			lv->via[ev.tunnel] = (uint8_t)(rx + 1);
		show_event(lv, &ev, lab);
		if (!lab)
			live_ppp_event(lv, &ev);
		if (!lab && ev.kind == L2TP_EV_TUNNEL_GONE)
			lv->via[ev.tunnel] = 0;
	}
	while (l2tp_engine_next_datagram(e, &d)) {
		int k = sock_of(lv, &d, rx, lab), rc;

		if (!lab && d.tunnel && !lv->via[d.tunnel] && rx >= 0)
			lv->via[d.tunnel] = (uint8_t)(rx + 1);
		if (lv->us[k].fd < 0)
			rc = -EBADF;
		else
			rc = udp_send(&lv->us[k], &d.to, d.data, d.len);
		if (rc == 0 && lv->rec && !lab) {
			struct l2tp_addr me;

			local_addr(lv, k, &d.to, &me);
			rec_packet(lv->rec, &me, &d.to, d.data, d.len);
		}
		if (rc < 0) {
			lv->send_errors++;
			snprintf(lv->last_send_error,
			         sizeof(lv->last_send_error), "%s",
			         strerror(-rc));
		}
	}
}

void
live_drain(struct live *lv)
{
	drain_one(lv, lv->eng, -1);
	if (lv->lab)
		drain_one(lv, lv->lab, -1);
	sh_prompt_changed(lv->sh);
}

static void
on_readable(void *arg, int fd)
{
	struct live *lv = arg;
	int k = idx_of(lv, fd), cut;
	struct l2tp_engine *e = k == FD_LAB ? lv->lab : lv->eng;
	struct l2tp_addr from;

	if (k < 0 || e == NULL)
		return;
	for (int i = 0; i < LIVE_RX_BURST; i++) {
		long n =
		    udp_recv(&lv->us[k], lv->rx, sizeof(lv->rx), &from, &cut);

		if (n <= 0)
			break;
		if (lv->rec && e == lv->eng) {
			struct l2tp_addr me;

			local_addr(lv, k, &from, &me);
			rec_packet(lv->rec, &from, &me, lv->rx, (size_t)n);
		}
		l2tp_engine_input(e, &from, lv->rx, (size_t)n, live_now());
		drain_one(lv, e, fd);
	}
	sh_prompt_changed(lv->sh);
}

static long
deadline(void *arg)
{
	struct live *lv = arg;
	uint64_t a = l2tp_engine_expiry(lv->eng);
	uint64_t b = lv->lab ? l2tp_engine_expiry(lv->lab) : UINT64_MAX;

	if (b < a)
		a = b;
	return a == UINT64_MAX ? -1 : (long)a;
}

static void
expire(void *arg, long t)
{
	struct live *lv = arg;

	l2tp_engine_handle_expiry(lv->eng, (uint64_t)t);
	if (lv->lab)
		l2tp_engine_handle_expiry(lv->lab, (uint64_t)t);
	live_drain(lv);
}

static void
arm(struct live *lv)
{
	loop_set_timer(sh_loop(lv->sh), deadline, expire, lv);
}

/* ---- Commands ---- */

int
live_engine_error(struct sh *sh, const char *what, int rc)
{
	sh_error(sh, "%s: %s", what, l2tp_engine_strerror(rc));
	return -1;
}

int
live_open_fd(struct live *lv, int which, const struct l2tp_addr *a)
{
	char err[256];
	int rc = udp_open(&lv->us[which], a, err, sizeof(err));

	if (rc < 0) {
		/* The transport names the problem and what to do. */
		sh_error(lv->sh, "%s", err);
		lv->us[which].fd = -1;
		return -1;
	}
	if (loop_watch(sh_loop(lv->sh), lv->us[which].fd, on_readable, lv) <
	    0) {
		udp_close(&lv->us[which]);
		sh_error(lv->sh, "too many sockets");
		return -1;
	}
	arm(lv);
	return 0;
}

int
live_check_session(struct live *lv, uint16_t sid)
{
	struct l2tp_session_info si;
	uint16_t ids[16];
	size_t n;
	char list[128] = "";

	if (l2tp_engine_session_info(lv->eng, sid, &si) == 0)
		return 0;
	n = l2tp_engine_session_ids(lv->eng, 0, ids, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%u", i ? ", " : "", ids[i]);
	sh_error(lv->sh, "no session %u: %s%s%s", sid,
	         n ? "the sessions "
	             "are "
	           : "there are no sessions (call open makes one)",
	         list, n > 16 ? ", ..." : "");
	return -1;
}

/* ---- Prompt, completion, quit ---- */

static const char *const state_short[] = {"idle", "wcr", "wcc", "est",
                                          "closing"};

const char *
live_prompt(struct live *lv, char *buf, size_t len)
{
	struct l2tp_tunnel_info t;
	uint16_t ids[1];
	size_t n = l2tp_engine_tunnel_ids(lv->eng, ids, 1);
	char a[64];

	size_t held = live_held(lv);
	char more[32] = "", hold[32] = "";

	if (held)
		snprintf(hold, sizeof(hold), " held %zu", held);
	if (n > 1)
		snprintf(more, sizeof(more), " +%zu", n - 1);
	if (n && l2tp_engine_tunnel_info(lv->eng, ids[0], &t) == 0) {
		const char *st =
		    t.state >= 0 && t.state < 5 ? state_short[t.state] : "?";

		snprintf(buf, len, "l2tpsh[%s %s %s%s%s]> ",
		         t.role == L2TP_ROLE_LNS ? "lns" : "lac",
		         live_addr_str(&t.peer, a, sizeof(a)), st, more, hold);
	} else if (lv->us[FD_LNS].fd >= 0) {
		snprintf(buf, len, "l2tpsh[lns %s:%u]> ",
		         live_addr_str(&lv->us[FD_LNS].local, a, sizeof(a)),
		         lv->us[FD_LNS].local.port);
	} else {
		snprintf(buf, len, "l2tpsh> ");
	}
	return buf;
}

void
live_complete_ids(struct live *lv, bool sessions, struct compl_result *r)
{
	uint16_t ids[COMPL_MAX];
	size_t n = sessions
	               ? l2tp_engine_session_ids(lv->eng, 0, ids, COMPL_MAX)
	               : l2tp_engine_tunnel_ids(lv->eng, ids, COMPL_MAX);
	char w[8];

	for (size_t i = 0; i < n && i < COMPL_MAX; i++) {
		snprintf(w, sizeof(w), "%u", ids[i]);
		compl_add(r, w, sessions ? "session" : "tunnel", false);
	}
}

void
live_complete_held(struct live *lv, struct compl_result *r)
{
	unsigned ids[COMPL_MAX];
	size_t n = l2tp_engine_held_ids(lv->eng, 0, ids, COMPL_MAX);
	char w[16];

	for (size_t i = 0; i < n && i < COMPL_MAX; i++) {
		struct l2tp_held_info h;

		if (l2tp_engine_held_info(lv->eng, ids[i], &h) < 0)
			continue;
		snprintf(w, sizeof(w), "%u", ids[i]);
		compl_add(r, w,
		          h.kind == L2TP_HELD_DRAFT ? "held draft"
		                                    : "held received message",
		          false);
	}
}

size_t
live_close_all(struct live *lv, long wait_ms, size_t *unacked)
{
	uint16_t ids[256];
	size_t n = l2tp_engine_tunnel_ids(lv->eng, ids, 256), closed = 0;
	uint64_t end;

	/* Leaving in step mode: what is held goes, and the StopCCN is sent
	 * and acked on its own, not held as a draft nobody will step. */
	for (size_t i = 0; lv->mode == L2TP_MODE_STEP && i < n && i < 256; i++)
		l2tp_engine_tunnel_set_mode(lv->eng, ids[i], L2TP_MODE_AUTO,
		                            live_now());
	for (size_t i = 0; i < n && i < 256; i++) {
		struct l2tp_tunnel_info t;

		/* Without the peer's tunnel id no StopCCN can go: the engine
		 * just drops the tunnel, and it is not counted as closed. */
		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0 &&
		    t.state != L2TP_TS_CLOSING &&
		    l2tp_engine_tunnel_close(lv->eng, ids[i], 6, -1,
		                             "l2tpsh is leaving",
		                             live_now()) == 0 &&
		    t.remote_id != 0)
			closed++;
	}
	live_drain(lv);
	/* Give the peers a moment to acknowledge the StopCCNs. */
	end = live_now() + (uint64_t)wait_ms;
	*unacked = 0;
	while (closed) {
		*unacked = 0;
		for (size_t i = 0; i < n && i < 256; i++) {
			struct l2tp_tunnel_info t;

			if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0 &&
			    t.unacked)
				(*unacked)++;
		}
		if (*unacked == 0 || live_now() >= end ||
		    loop_pause(sh_loop(lv->sh), 20) < 0)
			break;
	}
	return closed;
}
