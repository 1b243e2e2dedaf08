/* The display of tunnels and sessions, live or from a capture: rows, verbose
 * blocks and JSON from one info struct each. */
#include <stdio.h>
#include <string.h>

#include "cli/display.h"
#include "decoder/addr.h"
#include "decoder/json.h"
#include "decoder/print.h"
#include "engine/engine.h"
#include "engine/ppp.h"

/* An address without its port ("127.0.0.1", "::1"; "?" for no family). */
static const char *
addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	char t[L2TP_IPADDR_STRLEN];

	l2tp_ip_fmt(t, a->family, a->addr); /* RFC 5952, as the decoder */
	snprintf(buf, len, "%s", t);
	return buf;
}

/* After each piece of JSON: out to the stream, so that text the caller
 * writes with stdio between the pieces stays in order. */
static void
disp_flush(struct disp *d)
{
	l2tp_sink_flush(&d->sink);
}

void
disp_open(struct disp *d, FILE *f, bool json, bool verbose, bool one)
{
	d->f = f;
	d->json = json;
	d->verbose = verbose;
	d->one = one;
	d->ppp = NULL;
	d->nppp = 0;
	l2tp_sink_init(&d->sink, f);
	l2tp_json_init(&d->j, &d->sink);
	if (json) {
		l2tp_json_arr(&d->j);
		disp_flush(d);
	}
}

void
disp_close(struct disp *d)
{
	if (d->json) {
		l2tp_json_arr_end(&d->j);
		l2tp_sink_putc(&d->sink, '\n');
	}
	disp_flush(d);
	l2tp_sink_free(&d->sink);
}

/* ---- Tunnels ---- */

/* Every counter the engine keeps for a tunnel, by name, for text and JSON. */
/* clang-format off */
#define TI_U(X)                                                            \
	X("Ns", "ns", ns) X("Nr", "nr", nr)                                \
	X("PeerWindow", "peer_window", peer_window)                        \
	X("Cwnd", "cwnd", cwnd) X("Ssthresh", "ssthresh", ssthresh)        \
	X("Unacked", "unacked", unacked) X("Queued", "queued", queued)     \
	X("CtlIn", "ctl_in", ctl_in) X("CtlOut", "ctl_out", ctl_out)       \
	X("ZlbIn", "zlb_in", zlb_in) X("ZlbOut", "zlb_out", zlb_out)       \
	X("Retransmits", "retransmits", retransmits)                       \
	X("Duplicates", "duplicates", duplicates)                          \
	X("OutOfOrder", "out_of_order", out_of_order)                      \
	X("OutOfWindow", "out_of_window", out_of_window)                   \
	X("HellosIn", "hellos_in", hellos_in)                              \
	X("HellosOut", "hellos_out", hellos_out)                           \
	X("SessionsTotal", "sessions_total", sessions_total)               \
	X("SessionsActive", "sessions_active", sessions_active)            \
	X("SessionsFailed", "sessions_failed", sessions_failed)            \
	X("LastResult", "last_result", last_result)                        \
	X("LastError", "last_error", last_error)                           \
	X("PeerFirmware", "peer_firmware", peer_firmware)                  \
	X("PeerFramingCap", "peer_framing_cap", peer_framing_cap)          \
	X("PeerBearerCap", "peer_bearer_cap", peer_bearer_cap)
/* clang-format on */

static void
tunnel_json(struct l2tp_json *j, const struct l2tp_tunnel_info *t,
            uint64_t now_ms, const char *capture)
{
	char a[64], v[16];

	l2tp_json_obj(j);
	l2tp_json_kuint(j, "local_tid", t->local_id);
	l2tp_json_kuint(j, "remote_tid", t->remote_id);
	l2tp_json_kstr(j, "state", l2tp_tunnel_state_name(t->state));
	l2tp_json_kstr(j, "role", t->role == L2TP_ROLE_LNS ? "lns" : "lac");
	l2tp_json_kstr(j, "peer", addr_str(&t->peer, a, sizeof(a)));
	l2tp_json_kuint(j, "peer_port", t->peer.port);
	l2tp_json_kstr(j, "remote_name", t->peer_host);
	l2tp_json_kstr(j, "peer_vendor", t->peer_vendor);
	l2tp_json_kuint(j, "sessions", t->sessions_active);
	l2tp_json_kuint(j, "hello_interval", t->hello_ms / 1000);
	l2tp_json_kbool(j, "authenticated", t->authenticated);
	snprintf(v, sizeof(v), "%u.%u", t->peer_version, t->peer_revision);
	l2tp_json_kstr(j, "protocol_version", v);
	l2tp_json_kstr(j, "last_message", t->last_message);
#define X(label, key, field) l2tp_json_kuint(j, key, (uint64_t)t->field);
	TI_U(X)
#undef X
	l2tp_json_kuint(j, "uptime_ms",
	                t->established_ms ? now_ms - t->established_ms : 0);
	if (t->setup_timed_out)
		l2tp_json_kstr(j, "setup_timed_out_in",
		               l2tp_tunnel_state_name(t->setup_timeout_state));
	if (capture) {
		l2tp_json_kstr(j, "source", "capture");
		l2tp_json_kstr(j, "capture", capture);
	}
	l2tp_json_obj_end(j);
}

static void
tunnel_verbose(FILE *f, const struct l2tp_tunnel_info *t, uint64_t now_ms,
               const char *capture)
{
	char a[64];
	uint64_t up = t->established_ms ? now_ms - t->established_ms : 0;

	if (capture)
		fprintf(f, "Tunnel %u (remote %u), %s, %s, from capture %s\n",
		        t->local_id, t->remote_id,
		        l2tp_tunnel_state_name(t->state),
		        t->role == L2TP_ROLE_LNS ? "LNS" : "LAC", capture);
	else
		fprintf(f, "Tunnel %u (remote %u), %s, %s, %s\n", t->local_id,
		        t->remote_id, l2tp_tunnel_state_name(t->state),
		        t->role == L2TP_ROLE_LNS ? "LNS" : "LAC",
		        t->initiator ? "we opened it" : "the peer opened it");
	fprintf(f, "  %-16s %s port %u\n", "Peer",
	        addr_str(&t->peer, a, sizeof(a)), t->peer.port);
	fprintf(f, "  %-16s %s\n", "RemoteName", t->peer_host);
	fprintf(f, "  %-16s %s\n", "Vendor", t->peer_vendor);
	fprintf(f, "  %-16s %u.%u\n", "Protocol", t->peer_version,
	        t->peer_revision);
	fprintf(f, "  %-16s %s\n", "Authenticated",
	        t->authenticated ? "yes (challenge answered)" : "no");
	fprintf(f, "  %-16s %u s\n", "HelloInterval", t->hello_ms / 1000);
	fprintf(f, "  %-16s %llu.%03llu s\n", "Uptime",
	        (unsigned long long)(up / 1000),
	        (unsigned long long)(up % 1000));
#define X(label, key, field)                                                   \
	fprintf(f, "  %-16s %llu\n", label, (unsigned long long)t->field);
	TI_U(X)
#undef X
	fprintf(f, "  %-16s %s\n", "LastMessage",
	        *t->last_message ? t->last_message : "-");
	if (t->setup_timed_out)
		fprintf(f, "  %-16s timed out in %s\n", "Setup",
		        l2tp_tunnel_state_name(t->setup_timeout_state));
}

static void
tunnel_row(FILE *f, const struct l2tp_tunnel_info *t)
{
	char a[64];

	fprintf(f, "%-8u %-9u %-14s %-8u %-39s %-10u %s\n", t->local_id,
	        t->remote_id, l2tp_tunnel_state_name(t->state),
	        t->sessions_active, addr_str(&t->peer, a, sizeof(a)),
	        t->peer.port, *t->peer_host ? t->peer_host : "-");
}

void
disp_tunnels_begin(struct disp *d, const char *capture)
{
	if (d->json)
		return;
	if (capture)
		fprintf(d->f, "\nFrom capture %s:\n", capture);
	if (!d->verbose)
		fprintf(d->f, "%-8s %-9s %-14s %-8s %-39s %-10s %s\n",
		        "LocalTID", "RemoteTID", "State", "Sessions",
		        "RemoteAddress", "RemotePort", "RemoteName");
}

void
disp_tunnels_end(struct disp *d, size_t n, const char *capture)
{
	if (!d->json)
		fprintf(d->f, "Total tunnels: %zu%s\n", n,
		        capture ? " (capture)" : "");
}

void
disp_tunnel(struct disp *d, const struct l2tp_tunnel_info *t, uint64_t now_ms,
            const char *capture)
{
	if (d->json) {
		tunnel_json(&d->j, t, now_ms, capture);
		disp_flush(d);
	} else if (d->verbose) {
		tunnel_verbose(d->f, t, now_ms, capture);
	} else {
		tunnel_row(d->f, t);
	}
}

void
disp_tunnel_one(FILE *f, bool json, const struct l2tp_tunnel_info *t,
                uint64_t now_ms, const char *capture)
{
	if (json) {
		struct l2tp_sink k;
		struct l2tp_json j;

		l2tp_sink_init(&k, f);
		l2tp_json_init(&j, &k);
		tunnel_json(&j, t, now_ms, capture);
		l2tp_sink_putc(&k, '\n');
		l2tp_sink_free(&k);
	} else {
		tunnel_verbose(f, t, now_ms, capture);
	}
}

/* ---- Sessions ---- */

static const char *
call_type(const struct l2tp_session_info *s)
{
	return s->type == L2TP_CALL_OUTGOING ? "outgoing" : "incoming";
}

static const char *
auth_key(uint16_t proto)
{
	return proto == 0xc023 ? "pap" : proto == 0xc223 ? "chap" : "none";
}

/* An IPv4 address of PPP's, by the one formatter; b holds at least
 * L2TP_IPADDR_STRLEN bytes. */
static void
ip4(char *b, size_t n, const uint8_t a[4])
{
	(void)n;
	l2tp_ip_fmt(b, 4, a);
}

static void
ifid(char *b, size_t n, const uint8_t a[8])
{
	snprintf(b, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", a[0], a[1], a[2],
	         a[3], a[4], a[5], a[6], a[7]);
}

/* The direction of authentication a session's end cares about: the peer's
 * verdict on us (subscriber), ours on the peer (server). */
static const struct l2tp_ppp_auth_info *
auth_of(const struct l2tp_ppp_info *pi)
{
	return pi->role == L2TP_PPP_SUBSCRIBER ? &pi->auth_local
	                                       : &pi->auth_peer;
}

/* The keys issue 12 promises scripts: ppp {...} and data {...}. */
static void
ppp_json(struct l2tp_json *j, const struct l2tp_session_info *s,
         const struct l2tp_ppp_info *pi)
{
	char b[64];

	l2tp_json_key(j, "ppp");
	if (pi == NULL) {
		l2tp_json_null(j);
	} else {
		const struct l2tp_ppp_auth_info *a = auth_of(pi);

		l2tp_json_obj(j);
		l2tp_json_kstr(j, "phase", l2tp_ppp_phase_name(pi->phase));
		l2tp_json_key(j, "lcp");
		l2tp_json_obj(j);
		l2tp_json_kstr(j, "state", l2tp_ppp_state_name(pi->lcp_state));
		l2tp_json_kuint(j, "mru_local", pi->mru_local);
		l2tp_json_kuint(j, "mru_peer", pi->mru_peer);
		l2tp_json_kuint(j, "magic_local", pi->magic_local);
		l2tp_json_kuint(j, "magic_peer", pi->magic_peer);
		l2tp_json_kstr(j, "auth", auth_key(a->protocol));
		l2tp_json_obj_end(j);
		l2tp_json_key(j, "auth");
		l2tp_json_obj(j);
		l2tp_json_kstr(j, "protocol", auth_key(a->protocol));
		l2tp_json_kstr(j, "user", a->user);
		l2tp_json_kstr(j, "result",
		               a->result == L2TP_PPP_AUTH_R_NONE
		                   ? "none"
		                   : l2tp_ppp_auth_result_name(a->result));
		l2tp_json_kstr(j, "message", a->message);
		l2tp_json_obj_end(j);
		l2tp_json_key(j, "ipcp");
		l2tp_json_obj(j);
		l2tp_json_kstr(j, "state", l2tp_ppp_state_name(pi->ipcp_state));
		ip4(b, sizeof(b), pi->ip_local);
		l2tp_json_kstr(j, "local", b);
		ip4(b, sizeof(b), pi->ip_peer);
		l2tp_json_kstr(j, "peer", b);
		l2tp_json_key(j, "dns");
		l2tp_json_arr(j);
		for (int i = 0; i < 2; i++)
			if (pi->dns[i][0] | pi->dns[i][1] | pi->dns[i][2] |
			    pi->dns[i][3]) {
				ip4(b, sizeof(b), pi->dns[i]);
				l2tp_json_str(j, b);
			}
		l2tp_json_arr_end(j);
		l2tp_json_obj_end(j);
		l2tp_json_key(j, "ipv6cp");
		l2tp_json_obj(j);
		l2tp_json_kstr(j, "state",
		               l2tp_ppp_state_name(pi->ipv6cp_state));
		ifid(b, sizeof(b), pi->ifid_local);
		l2tp_json_kstr(j, "local_id", b);
		ifid(b, sizeof(b), pi->ifid_peer);
		l2tp_json_kstr(j, "peer_id", b);
		l2tp_json_obj_end(j);
		l2tp_json_key(j, "echo");
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "sent", pi->echo_sent);
		l2tp_json_kuint(j, "received", pi->echo_received);
		l2tp_json_kuint(j, "lost", pi->echo_lost);
		l2tp_json_kuint(j, "rtt_ms", pi->echo_rtt_ms);
		l2tp_json_obj_end(j);
		l2tp_json_obj_end(j);
	}
	l2tp_json_key(j, "data");
	l2tp_json_obj(j);
	l2tp_json_kuint(j, "packets_in", s->packets_in);
	l2tp_json_kuint(j, "packets_out", s->packets_out);
	l2tp_json_kuint(j, "bytes_in", s->bytes_in);
	l2tp_json_kuint(j, "bytes_out", s->bytes_out);
	l2tp_json_kuint(j, "out_of_order", s->out_of_order);
	l2tp_json_kuint(j, "discarded", s->discarded);
	l2tp_json_kbool(j, "sequencing", s->seq_on);
	l2tp_json_obj_end(j);
}

static void
session_json(struct l2tp_json *j, const struct l2tp_session_info *s,
             const char *capture, const struct l2tp_ppp_info *pi, bool ppp,
             const char *raw, size_t nraw)
{
	l2tp_json_obj(j);
	l2tp_json_kuint(j, "local_sid", s->local_id);
	l2tp_json_kuint(j, "remote_sid", s->remote_id);
	l2tp_json_kuint(j, "local_tid", s->tunnel);
	l2tp_json_kstr(j, "state", l2tp_session_state_name(s->state));
	l2tp_json_kuint(j, "call_serial", s->serial);
	l2tp_json_kstr(j, "type", call_type(s));
	l2tp_json_kuint(j, "tx_speed", s->tx_speed);
	l2tp_json_kuint(j, "rx_speed", s->rx_speed);
	l2tp_json_kstr(j, "calling", s->calling);
	l2tp_json_kstr(j, "called", s->called);
	l2tp_json_kuint(j, "last_result", s->last_result);
	l2tp_json_kuint(j, "last_error", s->last_error);
	l2tp_json_kstr(j, "last_message", s->last_message);
	if (capture) {
		l2tp_json_kstr(j, "source", "capture");
		l2tp_json_kstr(j, "capture", capture);
	}
	if (raw != NULL) { /* the PPP story the analysis wrote whole */
		l2tp_json_key(j, "ppp");
		l2tp_json_raw(j, raw, nraw);
	} else if (ppp) {
		ppp_json(j, s, pi);
	}
	l2tp_json_obj_end(j);
}

static void
ppp_block(FILE *f, const struct l2tp_session_info *s,
          const struct l2tp_ppp_info *pi)
{
	char a[64], b[64], c[64];

	if (pi) {
		const struct l2tp_ppp_auth_info *au = auth_of(pi);

		fprintf(f, "  %-16s %s (%s)\n", "PPP",
		        l2tp_ppp_phase_name(pi->phase),
		        pi->role == L2TP_PPP_SUBSCRIBER ? "subscriber"
		                                        : "server");
		fprintf(f,
		        "  %-16s %s, MRU %u here %u peer, magic 0x%08x here "
		        "0x%08x peer\n",
		        "LCP", l2tp_ppp_state_name(pi->lcp_state),
		        pi->mru_local, pi->mru_peer, pi->magic_local,
		        pi->magic_peer);
		fprintf(f, "  %-16s %s %s%s%s%s%s%s\n", "Auth",
		        auth_key(au->protocol),
		        au->result == L2TP_PPP_AUTH_R_NONE
		            ? "none"
		            : l2tp_ppp_auth_result_name(au->result),
		        au->user[0] ? ", user " : "", au->user,
		        au->message[0] ? ": \"" : "", au->message,
		        au->message[0] ? "\"" : "");
		ip4(a, sizeof(a), pi->ip_local);
		ip4(b, sizeof(b), pi->ip_peer);
		ip4(c, sizeof(c), pi->dns[0]);
		fprintf(f, "  %-16s %s, local %s peer %s DNS %s\n", "IPCP",
		        l2tp_ppp_state_name(pi->ipcp_state), a, b, c);
		ifid(a, sizeof(a), pi->ifid_local);
		ifid(b, sizeof(b), pi->ifid_peer);
		fprintf(f, "  %-16s %s, local ::%s peer ::%s\n", "IPv6CP",
		        l2tp_ppp_state_name(pi->ipv6cp_state), a, b);
		fprintf(f,
		        "  %-16s sent %llu received %llu lost %llu, last RTT "
		        "%u ms\n",
		        "Echo", (unsigned long long)pi->echo_sent,
		        (unsigned long long)pi->echo_received,
		        (unsigned long long)pi->echo_lost, pi->echo_rtt_ms);
	} else {
		fprintf(f, "  %-16s none (a bare call)\n", "PPP");
	}
	fprintf(
	    f,
	    "  %-16s in %llu packets %llu bytes, out %llu packets %llu "
	    "bytes, out of order %llu, discarded %llu%s\n",
	    "Data", (unsigned long long)s->packets_in,
	    (unsigned long long)s->bytes_in, (unsigned long long)s->packets_out,
	    (unsigned long long)s->bytes_out,
	    (unsigned long long)s->out_of_order,
	    (unsigned long long)s->discarded, s->seq_on ? ", sequenced" : "");
}

static void
session_block(FILE *f, const struct l2tp_session_info *s)
{
	fprintf(f, "Session %u (remote %u) on tunnel %u, %s, %s call\n",
	        s->local_id, s->remote_id, s->tunnel,
	        l2tp_session_state_name(s->state), call_type(s));
	fprintf(f,
	        "  %-16s %u\n  %-16s %u\n  %-16s %u\n"
	        "  %-16s %u\n  %-16s %u\n  %-16s %s\n  %-16s %s\n"
	        "  %-16s %u\n  %-16s %u\n  %-16s %s\n",
	        "CallSerial", s->serial, "TxSpeed", s->tx_speed, "RxSpeed",
	        s->rx_speed, "FramingType", s->framing_type, "BearerType",
	        s->bearer_type, "Calling", *s->calling ? s->calling : "-",
	        "Called", *s->called ? s->called : "-", "LastResult",
	        s->last_result, "LastError", s->last_error, "LastMessage",
	        *s->last_message ? s->last_message : "-");
}

static void
session_row(FILE *f, const struct l2tp_session_info *s)
{
	fprintf(f, "%-8u %-9u %-8u %-14s %-10u %-8s %-10u %-10s %s\n",
	        s->local_id, s->remote_id, s->tunnel,
	        l2tp_session_state_name(s->state), s->serial, call_type(s),
	        s->tx_speed, *s->calling ? s->calling : "-",
	        *s->called ? s->called : "-");
}

void
disp_sessions_begin(struct disp *d, const char *capture)
{
	if (d->json || d->one)
		return;
	if (capture)
		fprintf(d->f, "\nFrom capture %s:\n", capture);
	fprintf(d->f, "%-8s %-9s %-8s %-14s %-10s %-8s %-10s %-10s %s\n",
	        "LocalSID", "RemoteSID", "LocalTID", "State", "CallSerial",
	        "Type", "TxSpeed", "Calling", "Called");
}

void
disp_sessions_end(struct disp *d, size_t n, const char *capture)
{
	if (!d->json && !d->one)
		fprintf(d->f, "Total sessions: %zu%s\n", n,
		        capture ? " (capture)" : "");
}

void
disp_session(struct disp *d, const struct l2tp_session_info *s,
             const char *capture)
{
	if (d->json) {
		session_json(&d->j, s, capture, NULL, false, d->ppp, d->nppp);
		d->ppp = NULL;
		disp_flush(d);
	} else if (d->one) {
		session_block(d->f, s);
	} else {
		session_row(d->f, s);
	}
}

void
disp_session_ppp(struct disp *d, const struct l2tp_session_info *s,
                 const struct l2tp_ppp_info *pi)
{
	if (d->json) {
		session_json(&d->j, s, NULL, pi, true, NULL, 0);
		disp_flush(d);
	} else if (d->one) {
		session_block(d->f, s);
		ppp_block(d->f, s, pi);
	} else {
		session_row(d->f, s);
	}
}
