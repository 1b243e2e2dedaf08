/* The shell's live side: the engine and the lab peer on UDP sockets, events
 * above the prompt, display of tunnels and sessions (RFC 2661 §5-7). */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <time.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/an_shell.h"
#include "cli/cmd.h"
#include "cli/analyze.h"
#include "cli/display.h"
#include "cli/craft.h"
#include "cli/ladder.h"
#include "cli/live.h"
#include "cli/record.h"
#include "cli/loop.h"
#include "cli/sh.h"
#include "cli/udp.h"
#include "completion/complete.h"
#include "decoder/print.h"
#include "decoder/proto.h"

enum { FD_LNS = 0, FD_LAC4, FD_LAC6, FD_LAB, FD_COUNT };

#define LIVE_HIST 512      /* messages kept for display l2tp history */
#define LIVE_NOTES 256     /* state changes and verdicts kept beside them */
#define LIVE_HIST_MSG 1500 /* bytes kept of each */
#define LIVE_RX_BURST 64   /* datagrams read per wake-up */

struct hist_ent {
	uint64_t no; /* 1-based, never reused */
	uint64_t time_ms;
	uint16_t tunnel;
	bool out;
	struct l2tp_addr peer;
	bool rtx; /* sent again: the peer did not ack it in time */
	uint16_t len, wire_len;
	uint8_t data[LIVE_HIST_MSG];
};

/* A state change or verdict between messages, for the ladder. */
struct hist_note {
	uint64_t after; /* how many messages were kept before it */
	uint64_t time_ms;
	uint16_t tunnel;
	uint8_t mark; /* enum cli_ladder_mark */
	char text[112];
};

struct live {
	struct sh *sh;
	struct l2tp_engine *eng, *lab;
	struct udp_sock us[FD_COUNT];
	uint8_t via[65536]; /* local tunnel id -> 1 + FD_* it is reached by */
	uint64_t t0;        /* monotonic ms at start */
	uint64_t wall0;     /* the same moment in wall-clock ms, for printing */
	long tz_offset;     /* seconds east of UTC, for wall-clock times */
	struct hist_ent *hist; /* ring of LIVE_HIST */
	uint64_t nhist;
	struct hist_note *notes; /* ring of LIVE_NOTES */
	uint64_t nnotes;
	uint8_t rx[65536];
	uint64_t send_errors;
	char last_send_error[128];
	struct rec *rec;     /* record start FILE */
	enum l2tp_mode mode; /* for new and running tunnels */
};

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
};

/* An address without its port ("127.0.0.1", "::1"). */
static const char *
addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family == L2TP_AF_INET6 ? AF_INET6 : AF_INET, a->addr,
	              buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* Text the table has checked already (an IPv4 or IPv6 literal). */
static void
parse_addr(const char *s, uint16_t port, struct l2tp_addr *a)
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

static uint64_t
now(void)
{
	return (uint64_t)loop_now_ms();
}

/* The engine config from the shell's settings. */
static void
config_from_settings(struct sh *sh, struct l2tp_engine_config *c)
{
	long lo = 1, hi = 8;

	l2tp_engine_config_default(c);
	c->random = rand_fn;
	snprintf(c->host_name, sizeof(c->host_name), "%s",
	         sh_setting(sh, "local-name"));
	c->hello_ms = (uint32_t)atol(sh_setting(sh, "hello-interval")) * 1000;
	c->rx_window = (uint16_t)atol(sh_setting(sh, "window"));
	c->rtx_retries = (unsigned)atol(sh_setting(sh, "retransmit retries"));
	sscanf(sh_setting(sh, "retransmit timeout"), "%ld %ld", &lo, &hi);
	c->rtx_min_ms = (uint32_t)lo * 1000;
	c->rtx_max_ms = (uint32_t)hi * 1000;
	c->hide_avps = strcmp(sh_setting(sh, "hide-avps"), "on") == 0;
	c->challenge = strcmp(sh_setting(sh, "challenge"), "on") == 0;
	c->tie_breaker = strcmp(sh_setting(sh, "tie-breaker"), "on") == 0;
	c->mode = strcmp(sh_setting(sh, "mode"), "step") == 0 ? L2TP_MODE_STEP
	                                                      : L2TP_MODE_AUTO;
}

static int
apply(struct live *lv, struct l2tp_engine *e, const char *name)
{
	struct l2tp_engine_config c;
	const char *secret = sh_setting(lv->sh, "secret");
	int rc;

	config_from_settings(lv->sh, &c);
	if (name)
		snprintf(c.host_name, sizeof(c.host_name), "%s", name);
	/* The lab peer always answers on its own. */
	if (e == lv->lab)
		c.mode = L2TP_MODE_AUTO;
	if ((rc = l2tp_engine_set_config(e, &c)) < 0)
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
	config_from_settings(sh, &c);
	if ((lv->eng = l2tp_engine_new(&c)) == NULL ||
	    (lv->hist = calloc(LIVE_HIST, sizeof(*lv->hist))) == NULL ||
	    (lv->notes = calloc(LIVE_NOTES, sizeof(*lv->notes))) == NULL) {
		live_free(lv);
		return NULL;
	}
	lv->t0 = now();
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
	int rc = apply(lv, lv->eng, NULL);
	enum l2tp_mode mode = l2tp_engine_config(lv->eng)->mode;

	if (rc == 0 && lv->lab)
		rc = apply(lv, lv->lab, "lab-lns");
	if (rc == 0 && mode != lv->mode) {
		/* set mode applies to the running tunnels too: auto releases
		 * what they hold and lets them run from where they are. */
		uint16_t ids[1024];
		size_t n = l2tp_engine_tunnel_ids(lv->eng, ids, 1024);

		for (size_t i = 0; i < n && i < 1024; i++)
			l2tp_engine_tunnel_set_mode(lv->eng, ids[i], mode,
			                            now());
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
		parse_addr(addr, 0, &a);
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
			         addr_str(&si[i].addr, a, sizeof(a)));
		else if (k < cap)
			snprintf(names[k], 96, "host %s", si[i].host);
		k++;
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

static const struct hist_ent *
hist_get(const struct live *lv, uint64_t no)
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

static void
print_msg(struct live *lv, struct l2tp_sink *s, const struct hist_ent *h,
          bool tree, bool json)
{
	struct l2tp_msg *m = malloc(sizeof(*m));
	struct l2tp_print_opts po = {lv->tz_offset, false};
	struct l2tp_frame fr;
	struct l2tp_pkt_meta meta;
	uint64_t t = lv->wall0 + (h->time_ms - lv->t0);

	if (m == NULL)
		return;
	hist_frame(lv, h, &fr);
	memset(&meta, 0, sizeof(meta));
	meta.frame = h->no;
	meta.ts_sec = (int64_t)(t / 1000);
	meta.ts_usec = (uint32_t)(t % 1000) * 1000;
	meta.fr = &fr;
	l2tp_parse(h->data, h->len, h->wire_len, L2TP_UDP, NULL, m);
	if (json)
		l2tp_print_json(s, &po, &meta, m);
	else if (tree)
		l2tp_print_tree(s, &po, &meta, m);
	else
		l2tp_print_line(s, &po, &meta, m);
	free(m);
}

/* Step mode: what is held, and what the operator can do with it. */
static void
show_held(struct live *lv, const struct l2tp_event *ev)
{
	struct l2tp_sink s;
	struct hist_ent *h = malloc(sizeof(*h));
	uint64_t t = ev->time_ms - lv->t0;
	char nb[24];
	unsigned id = ev->count;

	l2tp_sink_init(&s, NULL);
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
		memset(h, 0, sizeof(*h));
		h->no = id;
		h->time_ms = ev->time_ms;
		h->tunnel = ev->tunnel;
		h->out = ev->outgoing;
		h->peer = ev->peer;
		h->wire_len =
		    (uint16_t)(ev->msg_len > 65535 ? 65535 : ev->msg_len);
		h->len =
		    (uint16_t)(ev->msg_len < LIVE_HIST_MSG ? ev->msg_len
		                                           : LIVE_HIST_MSG);
		memcpy(h->data, ev->msg, h->len);
		l2tp_sink_puts(&s, "     ");
		print_msg(lv, &s, h, (sh_debug_mask(lv->sh) & SH_DBG_AVP) != 0,
		          false);
	}
	free(h);
	if (!s.oom && s.len) {
		l2tp_sink_putc(&s, '\0');
		sh_print_event(lv->sh, s.buf);
	}
	l2tp_sink_free(&s);
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
	if (!(mask & ev_class[ev->kind]))
		return;
	l2tp_sink_init(&s, NULL);
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
		print_msg(lv, &s, &lv->hist[(lv->nhist - 1) % LIVE_HIST], true,
		          false);
	if (!s.oom && s.len) {
		l2tp_sink_putc(&s, '\0');
		sh_print_event(lv->sh, s.buf);
	}
	l2tp_sink_free(&s);
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
		l2tp_engine_input(e, &from, lv->rx, (size_t)n, now());
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

static int
engine_error(struct sh *sh, const char *what, int rc)
{
	sh_error(sh, "%s: %s", what, l2tp_engine_strerror(rc));
	return -1;
}

static int
open_fd(struct live *lv, int which, const struct l2tp_addr *a)
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
live_do_lns_listen(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *as = cmd_str(p, "ADDR");
	struct l2tp_addr a;
	char b[64];

	if (lv->us[FD_LNS].fd >= 0) {
		sh_error(sh, "already listening on %s port %u",
		         addr_str(&lv->us[FD_LNS].local, b, sizeof(b)),
		         lv->us[FD_LNS].local.port);
		return -1;
	}
	if (as && strcasecmp(as, "lab") == 0) {
		sh_error(sh, "lns listen takes a local address; lab is the "
		             "built-in LNS (lab start)");
		return -1;
	}
	parse_addr(as ? as : "127.0.0.1", (uint16_t)cmd_num(p, "port", 1701),
	           &a);
	if (open_fd(lv, FD_LNS, &a) < 0)
		return -1;
	l2tp_engine_listen(lv->eng, true, L2TP_ROLE_LNS);
	sh_info(sh, "Info: LNS listening on %s port %u",
	        addr_str(&lv->us[FD_LNS].local, b, sizeof(b)),
	        lv->us[FD_LNS].local.port);
	return 0;
}

int
live_do_lac_connect(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *as = cmd_str(p, "ADDR");
	struct l2tp_addr peer, any;
	uint16_t lid;
	int which, rc;
	char b[64];

	if (strcasecmp(as, "lab") == 0) {
		if (lv->lab == NULL) {
			sh_error(sh, "the lab peer is not running; type lab "
			             "start first");
			return -1;
		}
		peer = lv->us[FD_LAB].local;
		if (cmd_has(p, "port"))
			peer.port = (uint16_t)cmd_num(p, "port", 1701);
	} else {
		parse_addr(as, (uint16_t)cmd_num(p, "port", 1701), &peer);
	}
	which = peer.family == L2TP_AF_INET6 ? FD_LAC6 : FD_LAC4;
	if (lv->us[which].fd < 0) {
		/* One ephemeral port for every tunnel this end opens. */
		parse_addr(which == FD_LAC6 ? "::" : "0.0.0.0", 0, &any);
		if (open_fd(lv, which, &any) < 0)
			return -1;
	}
	if ((rc = l2tp_engine_tunnel_open(lv->eng, &peer, L2TP_ROLE_LAC, now(),
	                                  &lid)) < 0)
		return engine_error(sh, "lac connect", rc);
	lv->via[lid] = (uint8_t)(which + 1);
	live_drain(lv);
	sh_info(sh, "Info: tunnel %u: SCCRQ %s %s port %u from port %u%s", lid,
	        l2tp_engine_held_ids(lv->eng, lid, NULL, 0) ? "held for"
	                                                    : "sent to",
	        addr_str(&peer, b, sizeof(b)), peer.port,
	        lv->us[which].local.port,
	        l2tp_engine_held_ids(lv->eng, lid, NULL, 0) ? " (step sends it)"
	                                                    : "");
	return 0;
}

int
live_do_lab_start(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_engine_config c;
	struct l2tp_addr a;
	char b[64];

	(void)p;
	if (lv->lab) {
		sh_error(sh, "the lab peer already runs on %s port %u",
		         addr_str(&lv->us[FD_LAB].local, b, sizeof(b)),
		         lv->us[FD_LAB].local.port);
		return -1;
	}
	config_from_settings(sh, &c);
	snprintf(c.host_name, sizeof(c.host_name), "lab-lns");
	if ((lv->lab = l2tp_engine_new(&c)) == NULL) {
		sh_error(sh, "lab start: out of memory");
		return -1;
	}
	apply(lv, lv->lab, "lab-lns");
	parse_addr("127.0.0.1", 0, &a);
	if (open_fd(lv, FD_LAB, &a) < 0) {
		l2tp_engine_free(lv->lab);
		lv->lab = NULL;
		return -1;
	}
	l2tp_engine_listen(lv->lab, true, L2TP_ROLE_LNS);
	sh_info(sh,
	        "Info: lab LNS on %s port %u, configured like this end; "
	        "type lac connect lab",
	        addr_str(&lv->us[FD_LAB].local, b, sizeof(b)),
	        lv->us[FD_LAB].local.port);
	return 0;
}

int
live_do_lab_stop(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);

	(void)p;
	if (lv->lab == NULL) {
		sh_error(sh, "the lab peer is not running (lab start starts "
		             "it)");
		return -1;
	}
	loop_unwatch(sh_loop(lv->sh), lv->us[FD_LAB].fd);
	udp_close(&lv->us[FD_LAB]);
	l2tp_engine_free(lv->lab);
	lv->lab = NULL;
	sh_info(sh, "Info: lab LNS stopped (its tunnels were dropped "
	            "without a StopCCN)");
	return 0;
}

/* The tunnel a command means: the one given, or the only one. */
static int
pick_tunnel(struct sh *sh, const char *key, const struct cmd_parsed *p,
            uint16_t *tid)
{
	struct live *lv = sh_live(sh);
	uint16_t ids[8];
	size_t n;

	if (cmd_has(p, key)) {
		*tid = (uint16_t)cmd_num(p, key, 0);
		return live_check_tunnel(lv, *tid);
	}
	n = l2tp_engine_tunnel_ids(lv->eng, ids, 8);
	if (n == 1) {
		*tid = ids[0];
		return 0;
	}
	if (n == 0)
		sh_error(sh, "there is no tunnel; open one with lac connect");
	else
		sh_error(sh,
		         "there are %zu tunnels: say which with tunnel ID "
		         "(display l2tp tunnel lists them)",
		         n);
	return -1;
}

int
live_check_tunnel(struct live *lv, uint16_t tid)
{
	struct l2tp_tunnel_info ti;
	uint16_t ids[16];
	size_t n;
	char list[128] = "";

	if (l2tp_engine_tunnel_info(lv->eng, tid, &ti) == 0)
		return 0;
	n = l2tp_engine_tunnel_ids(lv->eng, ids, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%u", i ? ", " : "", ids[i]);
	if (n == 0)
		sh_error(lv->sh,
		         "no tunnel %u: there are no tunnels (lac connect "
		         "opens one)",
		         tid);
	else
		sh_error(lv->sh, "no tunnel %u: the tunnels are %s%s", tid,
		         list, n > 16 ? ", ..." : "");
	return -1;
}

int
live_do_hello_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);
	int rc;

	if (live_check_tunnel(lv, tid) < 0)
		return -1;
	rc = l2tp_engine_tunnel_set_hello(
	    lv->eng, tid, (uint32_t)cmd_num(p, "SEC", 60) * 1000, now());
	if (rc < 0)
		return engine_error(sh, "hello-interval", rc);
	live_drain(lv);
	return 0;
}

int
live_do_reset_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t tid = (uint16_t)cmd_num(p, "ID", 0);
	long result = cmd_num(p, "result", 1);
	int rc;

	if (live_check_tunnel(lv, tid) < 0)
		return -1;
	if (result == 0) {
		sh_error(sh, "result 0 is reserved (RFC 2661 4.4.2); 1 is a "
		             "general request to clear the control connection");
		return -1;
	}
	rc = l2tp_engine_tunnel_close(lv->eng, tid, (uint16_t)result,
	                              (int)cmd_num(p, "error", -1),
	                              cmd_str(p, "message"), now());
	if (rc == L2TP_E_STATE) {
		sh_error(sh, "tunnel %u is already closing", tid);
		return -1;
	}
	if (rc < 0)
		return engine_error(sh, "reset l2tp tunnel", rc);
	live_drain(lv);
	return 0;
}

static int
check_session(struct live *lv, uint16_t sid)
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

int
live_do_reset_session(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint16_t sid =
	    (uint16_t)cmd_num(p, cmd_has(p, "SID") ? "SID" : "ID", 0);
	long result = cmd_num(p, "result", 3);
	int rc;

	if (check_session(lv, sid) < 0)
		return -1;
	if (result == 0) {
		sh_error(sh, "result 0 is reserved (RFC 2661 4.4.2); 3 is a "
		             "disconnect for administrative reasons");
		return -1;
	}
	rc = l2tp_engine_call_close(lv->eng, sid, (uint16_t)result,
	                            (int)cmd_num(p, "error", -1),
	                            cmd_str(p, "message"), -1, now());
	if (rc < 0)
		return engine_error(sh, "CDN", rc);
	live_drain(lv);
	return 0;
}

int
live_do_call_close(struct sh *sh, const struct cmd_parsed *p)
{
	return live_do_reset_session(sh, p);
}

int
live_do_call_open(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_call_params cp;
	uint16_t tid, sid;
	int rc;

	struct l2tp_avp_spec extra[CRAFT_MAX_AVPS];
	static uint8_t vbuf[CRAFT_BUF];
	const char *vals[CMD_MAX_TOK];
	size_t nx, used = 0;
	char err[256];

	if (pick_tunnel(sh, "tunnel", p, &tid) < 0)
		return -1;
	l2tp_call_params_default(&cp);
	if (cmd_has(p, "calling"))
		snprintf(cp.calling, sizeof(cp.calling), "%s",
		         cmd_str(p, "calling"));
	if (cmd_has(p, "called"))
		snprintf(cp.called, sizeof(cp.called), "%s",
		         cmd_str(p, "called"));
	if (cmd_has(p, "speed"))
		cp.tx_speed = (uint32_t)cmd_num(p, "speed", 0);
	nx = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	if (nx > CRAFT_MAX_AVPS) {
		sh_error(sh, "call open: at most %d AVPs", CRAFT_MAX_AVPS);
		return -1;
	}
	for (size_t i = 0; i < nx; i++) {
		if (craft_avp(vals[i], &extra[i], vbuf + used,
		              sizeof(vbuf) - used, err, sizeof(err)) < 0) {
			sh_error(sh, "call open: %s", err);
			return -1;
		}
		used += extra[i].len;
	}
	cp.extra = extra;
	cp.nextra = nx;
	if ((rc = l2tp_engine_call_open(lv->eng, tid, &cp, now(), &sid)) < 0) {
		if (rc == L2TP_E_NOSECRET)
			sh_error(sh, "call open: hiding an AVP needs a secret "
			             "(set secret)");
		else
			engine_error(sh, "call open", rc);
		return -1;
	}
	live_drain(lv);
	sh_info(sh, "Info: session %u opened on tunnel %u", sid, tid);
	return 0;
}

int
live_do_send(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct craft *c;
	struct craft_ctx x;
	struct l2tp_craft cr;
	struct l2tp_tunnel_info ti;
	struct l2tp_session_info si;
	const char *vals[CMD_MAX_TOK];
	char err[256];
	uint16_t tid, sid = (uint16_t)cmd_num(p, "session", 0);
	int type = craft_msg_type(cmd_str(p, "MSG")), rc = -1;
	size_t n;

	if (sid && check_session(lv, sid) < 0)
		return -1;
	if (sid) {
		l2tp_engine_session_info(lv->eng, sid, &si);
		if (cmd_has(p, "tunnel") &&
		    cmd_num(p, "tunnel", 0) != si.tunnel) {
			sh_error(sh, "session %u is on tunnel %u, not %ld", sid,
			         si.tunnel, cmd_num(p, "tunnel", 0));
			return -1;
		}
		tid = si.tunnel;
	} else if (pick_tunnel(sh, "tunnel", p, &tid) < 0) {
		return -1;
	}
	l2tp_engine_tunnel_info(lv->eng, tid, &ti);
	if ((c = malloc(sizeof(*c))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	x.host_name = sh_setting(sh, "local-name");
	x.tunnel_id = tid;
	x.session_id = sid;
	x.window = (uint16_t)atol(sh_setting(sh, "window"));
	if (craft_init(c, type, &x, err, sizeof(err)) < 0)
		goto bad;
	n = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++)
		if (craft_set(c, vals[i], err, sizeof(err)) < 0)
			goto bad;
	n = cmd_all(p, "omit", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++)
		if (craft_omit(c, vals[i], err, sizeof(err)) < 0)
			goto bad;
	memset(&cr, 0, sizeof(cr));
	cr.msg_type = c->msg_type;
	cr.avps = c->avp;
	cr.navps = c->n;
	if (sid) {
		cr.set_session = true;
		cr.session = si.remote_id;
	}
	cr.set_ns = cmd_has(p, "ns");
	cr.ns = (uint16_t)cmd_num(p, "ns", 0);
	cr.set_nr = cmd_has(p, "nr");
	cr.nr = (uint16_t)cmd_num(p, "nr", 0);
	/* Sequenced and retransmitted like the engine's own, unless Ns is
	 * given by hand or it is a ZLB. */
	cr.reliable = true;
	if ((rc = l2tp_engine_send_craft(lv->eng, tid, NULL, &cr, now())) < 0)
		engine_error(sh, "send", rc);
	live_drain(lv);
	free(c);
	return rc < 0 ? -1 : 0;
bad:
	sh_error(sh, "send %s: %s", cmd_str(p, "MSG"), err);
	free(c);
	return -1;
}

int
live_do_record_start(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	char err[512];

	if (lv->rec) {
		sh_error(sh, "already recording to %s; record stop first",
		         rec_path(lv->rec));
		return -1;
	}
	if ((lv->rec = rec_open(cmd_str(p, "FILE"), err, sizeof(err))) ==
	    NULL) {
		sh_error(sh, "record start: %s", err);
		return -1;
	}
	sh_info(sh, "Info: recording every datagram to %s", cmd_str(p, "FILE"));
	return 0;
}

int
live_do_record_stop(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint64_t n;
	char path[1024];

	(void)p;
	if (lv->rec == NULL) {
		sh_error(sh, "nothing is being recorded; record start FILE "
		             "begins");
		return -1;
	}
	n = rec_count(lv->rec);
	snprintf(path, sizeof(path), "%s", rec_path(lv->rec));
	if (rec_close(lv->rec) < 0) {
		lv->rec = NULL;
		sh_error(sh, "record stop: writing %s failed", path);
		return -1;
	}
	lv->rec = NULL;
	sh_info(sh, "Info: %llu datagram%s written to %s",
	        (unsigned long long)n, n == 1 ? "" : "s", path);
	return 0;
}

/* ---- Step mode ---- */

size_t
live_held(struct live *lv)
{
	return l2tp_engine_held_ids(lv->eng, 0, NULL, 0);
}

/* The held item a command means: the one given, or the oldest. */
static int
pick_held(struct sh *sh, const struct cmd_parsed *p, unsigned *id)
{
	struct live *lv = sh_live(sh);
	struct l2tp_held_info hi;
	unsigned ids[16];
	size_t n = l2tp_engine_held_ids(lv->eng, 0, ids, 16);
	char list[160] = "";

	if (cmd_has(p, "N")) {
		*id = (unsigned)cmd_num(p, "N", 0);
		if (l2tp_engine_held_info(lv->eng, *id, &hi) == 0)
			return 0;
	} else if (n) {
		*id = ids[0];
		return 0;
	}
	for (size_t i = 0; i < n && i < 16; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%u", i ? ", " : "", ids[i]);
	if (n == 0)
		sh_error(sh, "nothing is held%s",
		         l2tp_engine_config(lv->eng)->mode == L2TP_MODE_STEP
		             ? ""
		             : " (set mode step holds every "
		               "message)");
	else
		sh_error(sh,
		         "nothing is held as %u: held are %s%s (pending "
		         "lists them)",
		         *id, list, n > 16 ? ", ..." : "");
	return -1;
}

int
live_do_step(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	long want = cmd_num(p, "N", 1);

	for (long i = 0; i < want; i++) {
		unsigned id;
		int rc;

		if (l2tp_engine_held_ids(lv->eng, 0, &id, 1) == 0) {
			if (i == 0)
				return pick_held(sh, p, &id);
			sh_info(sh, "Info: %ld released; nothing more is held",
			        i);
			break;
		}
		if ((rc = l2tp_engine_held_release(lv->eng, id, now())) < 0)
			return engine_error(sh, "step", rc);
		/* What the release sends, and what it makes the engine draft
		 * next, shows before the following one. */
		live_drain(lv);
	}
	return 0;
}

int
live_do_pending(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p);
	size_t n = l2tp_engine_held_ids(lv->eng, 0, NULL, 0);
	unsigned *ids = n ? calloc(n, sizeof(*ids)) : NULL;
	uint64_t t = now();
	char a[64], nb[24];

	if (n && ids == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	n = l2tp_engine_held_ids(lv->eng, 0, ids, n);
	if (json)
		fputc('[', f);
	else
		fprintf(f, "%-5s %-9s %-8s %-9s %-11s %-22s %s\n", "Held",
		        "Kind", "Tunnel", "Message", "Ns/Nr", "Peer",
		        "HeldFor");
	for (size_t i = 0; i < n; i++) {
		struct l2tp_held_info h;
		struct l2tp_msg *m;
		const char *name;
		char nsnr[16] = "-";

		if (l2tp_engine_held_info(lv->eng, ids[i], &h) < 0 ||
		    (m = malloc(sizeof(*m))) == NULL)
			continue;
		if (h.ns_at_send && h.nr_at_send)
			snprintf(nsnr, sizeof(nsnr), "at send");
		else if (l2tp_parse(h.data, h.len, h.len, L2TP_UDP, NULL, m) ==
		             0 &&
		         m->has_seq) {
			char ns[8], nr[8];

			snprintf(ns, sizeof(ns), "%u", m->ns);
			snprintf(nr, sizeof(nr), "%u", m->nr);
			/* The engine fills these in when the draft goes. */
			snprintf(nsnr, sizeof(nsnr), "%s/%s",
			         h.ns_at_send ? "auto" : ns,
			         h.nr_at_send ? "auto" : nr);
		}
		name = h.msg_type < 0
		           ? "ZLB"
		           : l2tp_msg_name(h.msg_type, nb, sizeof(nb));
		addr_str(&h.peer, a, sizeof(a));
		if (json) {
			fprintf(f,
			        "%s{\"held\":%u,\"kind\":\"%s\",\"tunnel\":%u,"
			        "\"message\":",
			        i ? "," : "", h.id,
			        h.kind == L2TP_HELD_DRAFT ? "draft"
			                                  : "received",
			        h.tunnel);
			sh_json_str(f, name);
			fprintf(f, ",\"peer\":");
			sh_json_str(f, a);
			fprintf(f,
			        ",\"peer_port\":%u,\"held_ms\":%llu,"
			        "\"once\":%s}",
			        h.peer.port,
			        (unsigned long long)(t - h.held_ms),
			        h.once ? "true" : "false");
		} else {
			char peer[80];

			snprintf(peer, sizeof(peer), "%s:%u", a, h.peer.port);
			fprintf(
			    f,
			    "%-5u %-9s %-8u %-9s %-11s %-22s %llu.%03llu s%s"
			    "\n",
			    h.id,
			    h.kind == L2TP_HELD_DRAFT ? "draft" : "received",
			    h.tunnel, name, nsnr, peer,
			    (unsigned long long)((t - h.held_ms) / 1000),
			    (unsigned long long)((t - h.held_ms) % 1000),
			    h.release_ms != UINT64_MAX ? " (delayed)" : "");
		}
		free(m);
	}
	if (json)
		fputs("]\n", f);
	else
		fprintf(f, "Total held: %zu\n", n);
	free(ids);
	return 0;
}

static int
held_op(struct sh *sh, const struct cmd_parsed *p,
        int (*op)(struct l2tp_engine *, unsigned, uint64_t), const char *what)
{
	struct live *lv = sh_live(sh);
	unsigned id;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	if ((rc = op(lv->eng, id, now())) < 0) {
		if (rc == L2TP_E_INVAL)
			sh_error(sh, "%s %u: only a draft can be %s", what, id,
			         what);
		else
			engine_error(sh, what, rc);
		return -1;
	}
	live_drain(lv);
	return 0;
}

int
live_do_drop(struct sh *sh, const struct cmd_parsed *p)
{
	return held_op(sh, p, l2tp_engine_held_drop, "drop");
}

int
live_do_duplicate(struct sh *sh, const struct cmd_parsed *p)
{
	return held_op(sh, p, l2tp_engine_held_duplicate, "duplicate");
}

int
live_do_delay(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	unsigned id;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	rc = l2tp_engine_held_delay(lv->eng, id, (uint32_t)cmd_num(p, "MS", 0),
	                            now());
	if (rc < 0)
		return engine_error(sh, "delay", rc);
	live_drain(lv);
	return 0;
}

int
live_do_edit(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_held_info hi;
	const char *vals[CMD_MAX_TOK];
	uint8_t buf[1024];
	char err[256];
	unsigned id;
	size_t n;
	int rc;

	if (pick_held(sh, p, &id) < 0)
		return -1;
	l2tp_engine_held_info(lv->eng, id, &hi);
	if (hi.kind != L2TP_HELD_DRAFT) {
		sh_error(sh,
		         "edit %u: it is a received message; only drafts "
		         "(what this end would send) can be edited",
		         id);
		return -1;
	}
	n = cmd_all(p, "omit", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++) {
		const struct l2tp_avp_info *ai = l2tp_avp_by_key(vals[i]);

		if ((rc = l2tp_engine_draft_remove_avp(lv->eng, id, ai->vendor,
		                                       ai->type)) < 0)
			return engine_error(sh, "edit omit", rc);
	}
	n = cmd_all(p, "avp", vals, CMD_MAX_TOK);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_avp_spec sp;

		if (craft_avp(vals[i], &sp, buf, sizeof(buf), err,
		              sizeof(err)) < 0) {
			sh_error(sh, "edit %u: %s", id, err);
			return -1;
		}
		if ((rc = l2tp_engine_draft_set_avp(lv->eng, id, &sp)) < 0) {
			if (rc == L2TP_E_INVAL)
				sh_error(sh,
				         "edit %u: a ZLB has no AVPs to "
				         "change",
				         id);
			else if (rc == L2TP_E_NOSECRET)
				sh_error(sh,
				         "edit %u: hiding needs a secret "
				         "(set secret)",
				         id);
			else
				engine_error(sh, "edit", rc);
			return -1;
		}
	}
	if ((cmd_has(p, "ns") || cmd_has(p, "nr")) &&
	    (rc = l2tp_engine_draft_set_seq(
	         lv->eng, id, cmd_has(p, "ns") ? (int)cmd_num(p, "ns", 0) : -1,
	         cmd_has(p, "nr") ? (int)cmd_num(p, "nr", 0) : -1)) < 0)
		return engine_error(sh, "edit", rc);
	live_drain(lv);
	if (l2tp_engine_held_info(lv->eng, id, &hi) == 0) {
		struct hist_ent *h = malloc(sizeof(*h));
		struct l2tp_sink s;

		if (h == NULL)
			return 0;
		/* Show the draft as it now stands. */
		memset(h, 0, sizeof(*h));
		h->no = id;
		h->time_ms = now();
		h->tunnel = hi.tunnel;
		h->out = true;
		h->peer = hi.peer;
		h->len = h->wire_len =
		    (uint16_t)(hi.len < LIVE_HIST_MSG ? hi.len : LIVE_HIST_MSG);
		memcpy(h->data, hi.data, h->len);
		l2tp_sink_init(&s, sh_out(sh));
		print_msg(lv, &s, h, true, sh_json(sh, p));
		l2tp_sink_flush(&s);
		l2tp_sink_free(&s);
		free(h);
	}
	return 0;
}

/* ---- wait ---- */

static bool
tunnel_reached(struct live *lv, uint16_t tid, const char *until)
{
	struct l2tp_tunnel_info ti;
	uint16_t ids[64];
	size_t n = tid ? 1 : l2tp_engine_tunnel_ids(lv->eng, ids, 64);

	if (tid)
		ids[0] = tid;
	if (strcmp(until, "closed") == 0) {
		for (size_t i = 0; i < n && i < 64; i++)
			if (l2tp_engine_tunnel_info(lv->eng, ids[i], &ti) == 0)
				return false;
		return true;
	}
	for (size_t i = 0; i < n && i < 64; i++) {
		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &ti) < 0)
			continue;
		if (strcmp(until, "established") == 0 &&
		    ti.state == L2TP_TS_ESTABLISHED)
			return true;
		if (strcmp(until, "idle") == 0 && ti.unacked == 0 &&
		    ti.queued == 0)
			return true;
	}
	return false;
}

int
live_do_wait(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	const char *until = cmd_str(p, "UNTIL");
	long timeout = cmd_num(p, "timeout", 10) * 1000;
	uint64_t end = now() + (uint64_t)timeout;
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);

	if (strcmp(until, "established") != 0 && strcmp(until, "idle") != 0 &&
	    strcmp(until, "closed") != 0) {
		/* wait SEC: let the loop run that long. */
		if (loop_pause(sh_loop(sh), cmd_num(p, "UNTIL", 0) * 1000) <
		    0) {
			sh_error(sh, "wait interrupted");
			return -1;
		}
		return 0;
	}
	if (tid && live_check_tunnel(lv, tid) < 0 &&
	    strcmp(until, "closed") != 0)
		return -1;
	while (!tunnel_reached(lv, tid, until)) {
		uint64_t t = now();

		if (t >= end) {
			char state[64] = "no tunnel";
			struct l2tp_tunnel_info ti;
			uint16_t id = tid;

			if (!id)
				l2tp_engine_tunnel_ids(lv->eng, &id, 1);
			if (id &&
			    l2tp_engine_tunnel_info(lv->eng, id, &ti) == 0)
				snprintf(state, sizeof(state),
				         "tunnel %u is "
				         "%s",
				         id, l2tp_tunnel_state_name(ti.state));
			sh_error(sh, "wait %s: timed out after %ld s (%s)",
			         until, timeout / 1000, state);
			return -1;
		}
		if (loop_pause(sh_loop(sh),
		               (long)(end - t < 20 ? end - t : 20)) < 0) {
			sh_error(sh, "wait interrupted");
			return -1;
		}
	}
	return 0;
}

/* ---- Display ---- */

static bool
live_has_tunnel(struct live *lv, uint16_t tid)
{
	struct l2tp_tunnel_info t;

	return l2tp_engine_tunnel_info(lv->eng, tid, &t) == 0;
}

int
live_do_disp_tunnel(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), verbose = cmd_has(p, "verbose");
	uint16_t *ids = NULL;
	struct disp d;
	size_t n;

	if (cmd_has(p, "ID")) {
		struct l2tp_tunnel_info t;
		uint16_t tid = (uint16_t)cmd_num(p, "ID", 0);

		if (l2tp_engine_tunnel_info(lv->eng, tid, &t) < 0 &&
		    cli_an_sh_tunnel(sh, f, tid, json) == 0)
			return 0; /* a tunnel of the analysed capture */
		if (live_check_tunnel(lv, tid) < 0)
			return -1;
		disp_tunnel_one(f, json, &t, now(), NULL);
		return 0;
	}
	n = l2tp_engine_tunnel_ids(lv->eng, NULL, 0);
	if (n && (ids = calloc(n, sizeof(*ids))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	n = l2tp_engine_tunnel_ids(lv->eng, ids, n);
	disp_open(&d, f, json, verbose, false);
	disp_tunnels_begin(&d, NULL);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_tunnel_info t;

		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0)
			disp_tunnel(&d, &t, now(), NULL);
	}
	disp_tunnels_end(&d, n, NULL);
	cli_an_sh_tunnels(sh, &d); /* the capture's */
	disp_close(&d);
	free(ids);
	return 0;
}

int
live_do_disp_session(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), one = cmd_has(p, "ID");
	uint16_t *ids = NULL, sid = (uint16_t)cmd_num(p, "ID", 0);
	struct disp d;
	size_t n;

	if (one) {
		struct l2tp_session_info si;

		if (l2tp_engine_session_info(lv->eng, sid, &si) < 0 &&
		    cli_an_sh_session(sh, f, sid, json) == 0)
			return 0; /* a call of the analysed capture */
		if (check_session(lv, sid) < 0)
			return -1;
		ids = &sid;
		n = 1;
	} else {
		n = l2tp_engine_session_ids(lv->eng, 0, NULL, 0);
		if (n && (ids = calloc(n, sizeof(*ids))) == NULL) {
			sh_error(sh, "out of memory");
			return -1;
		}
		n = l2tp_engine_session_ids(lv->eng, 0, ids, n);
	}
	disp_open(&d, f, json, false, one);
	disp_sessions_begin(&d, NULL);
	for (size_t i = 0; i < n; i++) {
		struct l2tp_session_info s;

		if (l2tp_engine_session_info(lv->eng, ids[i], &s) == 0)
			disp_session(&d, &s, NULL);
	}
	disp_sessions_end(&d, n, NULL);
	if (!one)
		cli_an_sh_sessions(sh, &d); /* the capture's */
	disp_close(&d);
	if (!one)
		free(ids);
	return 0;
}

int
live_do_disp_stats(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	struct l2tp_engine_stats st;
	FILE *f = sh_out(sh);

	l2tp_engine_stats(lv->eng, &st);
/* clang-format off */
#define STATS(X)                                                         \
	X("Tunnels", "tunnels", st.tunnels)                              \
	X("Sessions", "sessions", st.sessions)                           \
	X("TunnelsTotal", "tunnels_total", st.tunnels_total)             \
	X("SessionsTotal", "sessions_total", st.sessions_total)          \
	X("DatagramsIn", "datagrams_in", st.datagrams_in)                \
	X("DatagramsOut", "datagrams_out", st.datagrams_out)             \
	X("BadIn", "bad_in", st.bad_in)                                  \
	X("NoTunnelIn", "no_tunnel_in", st.no_tunnel_in)                 \
	X("DataIn", "data_in", st.data_in)                               \
	X("EventsDropped", "events_dropped", st.events_dropped)          \
	X("SendErrors", "send_errors", lv->send_errors)                  \
	X("MessagesInHistory", "history", lv->nhist < LIVE_HIST ?        \
	    lv->nhist : (uint64_t)LIVE_HIST)
	/* clang-format on */
	if (sh_json(sh, p)) {
		const char *sep = "{";
#define X(label, key, v)                                                       \
	fprintf(f, "%s\"" key "\":%llu", sep, (unsigned long long)(v));        \
	sep = ",";
		STATS(X)
#undef X
		cli_an_sh_stats(sh, f, true);
		fputs("}\n", f);
		return 0;
	}
#define X(label, key, v)                                                       \
	fprintf(f, "%-20s %llu\n", label, (unsigned long long)(v));
	STATS(X)
#undef X
	if (lv->send_errors)
		fprintf(f, "%-20s %s\n", "LastSendError", lv->last_send_error);
	cli_an_sh_stats(sh, f, false);
	return 0;
}

int
live_do_disp_history(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	FILE *f = sh_out(sh);
	bool json = sh_json(sh, p), ladder = cmd_has(p, "ladder");
	uint16_t tid = (uint16_t)cmd_num(p, "tunnel", 0);
	uint64_t first = lv->nhist > LIVE_HIST ? lv->nhist - LIVE_HIST + 1 : 1;
	struct l2tp_sink s;
	size_t shown = 0;
	uint64_t nn = lv->nnotes > LIVE_NOTES ? lv->nnotes - LIVE_NOTES : 0;
	char ntext[136];
	struct cli_ladder lad = {.s = &s,
	                         .color = isatty(fileno(f)) &&
	                                  getenv("NO_COLOR") == NULL,
	                         .width = cli_an_width(f)};

	if (tid && !live_has_tunnel(lv, tid) &&
	    cli_an_sh_history(sh, f, tid, ladder, json) == 0)
		return 0; /* a tunnel of the analysed capture */
	l2tp_sink_init(&s, f);
	if (ladder && !json)
		cli_ladder_head(&lad, "this end", "peer");
	for (uint64_t no = first; no <= lv->nhist + 1; no++) {
		const struct hist_ent *h = hist_get(lv, no);

		/* What happened before this message, on the tunnel shown. */
		for (; ladder && !json && nn < lv->nnotes; nn++) {
			const struct hist_note *n = &lv->notes[nn % LIVE_NOTES];

			if (n->after >= no)
				break;
			if (tid && n->tunnel != tid)
				continue;
			if (!tid)
				snprintf(ntext, sizeof(ntext), "tunnel %u %s",
				         n->tunnel, n->text);
			cli_ladder_event(&lad, (n->time_ms - lv->t0) * 1000,
			                 true, tid ? n->text : ntext,
			                 (enum cli_ladder_mark)n->mark);
		}
		if (h == NULL || (tid && h->tunnel != tid))
			continue;
		shown++;
		if (ladder && !json) {
			struct l2tp_msg *m = malloc(sizeof(*m));
			char nb[24], lab[64], note[48];
			struct cli_ladder_row r;

			if (m == NULL)
				break;
			l2tp_parse(h->data, h->len, h->wire_len, L2TP_UDP, NULL,
			           m);
			snprintf(lab, sizeof(lab), "%s %u/%u%s",
			         l2tp_msg_name(m->msg_type, nb, sizeof(nb)),
			         m->ns, m->nr, h->rtx ? " again" : "");
			snprintf(note, sizeof(note), "#%llu tunnel %u",
			         (unsigned long long)h->no, h->tunnel);
			r.t_us = (h->time_ms - lv->t0) * 1000;
			r.to_right = h->out;
			r.label = lab;
			r.note = note;
			r.mark = h->rtx                        ? CLI_LADDER_RTX
			         : m->msg_type == L2TP_MSG_ZLB ? CLI_LADDER_ZLB
			         : m->fault != L2TP_FAULT_NONE
			             ? CLI_LADDER_FINDING
			             : CLI_LADDER_PLAIN;
			cli_ladder_row(&lad, &r);
			free(m);
		} else {
			print_msg(lv, &s, h, false, json);
		}
	}
	if (!json && shown == 0)
		l2tp_sink_puts(&s, "No messages yet.\n");
	cli_an_sh_history_hint(sh, &s, json);
	l2tp_sink_flush(&s);
	l2tp_sink_free(&s);
	return 0;
}

int
live_do_disp_packet(struct sh *sh, const struct cmd_parsed *p)
{
	struct live *lv = sh_live(sh);
	uint64_t no = (uint64_t)cmd_num(p, "N", 0);
	const struct hist_ent *h = hist_get(lv, no);
	struct l2tp_sink s;

	if (h == NULL) {
		if (lv->nhist == 0)
			sh_error(sh,
			         "no message %llu: nothing was sent or "
			         "received yet",
			         (unsigned long long)no);
		else
			sh_error(
			    sh,
			    "no message %llu: the history holds %llu "
			    "to %llu",
			    (unsigned long long)no,
			    (unsigned long long)(lv->nhist > LIVE_HIST
			                             ? lv->nhist - LIVE_HIST + 1
			                             : 1),
			    (unsigned long long)lv->nhist);
		return -1;
	}
	l2tp_sink_init(&s, sh_out(sh));
	print_msg(lv, &s, h, true, sh_json(sh, p));
	l2tp_sink_flush(&s);
	l2tp_sink_free(&s);
	return 0;
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
		         addr_str(&t.peer, a, sizeof(a)), st, more, hold);
	} else if (lv->us[FD_LNS].fd >= 0) {
		snprintf(buf, len, "l2tpsh[lns %s:%u]> ",
		         addr_str(&lv->us[FD_LNS].local, a, sizeof(a)),
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
		                            now());
	for (size_t i = 0; i < n && i < 256; i++) {
		struct l2tp_tunnel_info t;

		/* Without the peer's tunnel id no StopCCN can go: the engine
		 * just drops the tunnel, and it is not counted as closed. */
		if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0 &&
		    t.state != L2TP_TS_CLOSING &&
		    l2tp_engine_tunnel_close(lv->eng, ids[i], 6, -1,
		                             "l2tpsh is leaving", now()) == 0 &&
		    t.remote_id != 0)
			closed++;
	}
	live_drain(lv);
	/* Give the peers a moment to acknowledge the StopCCNs. */
	end = now() + (uint64_t)wait_ms;
	*unacked = 0;
	while (closed) {
		*unacked = 0;
		for (size_t i = 0; i < n && i < 256; i++) {
			struct l2tp_tunnel_info t;

			if (l2tp_engine_tunnel_info(lv->eng, ids[i], &t) == 0 &&
			    t.unacked)
				(*unacked)++;
		}
		if (*unacked == 0 || now() >= end ||
		    loop_pause(sh_loop(lv->sh), 20) < 0)
			break;
	}
	return closed;
}
