/* The display of tunnels and sessions, live or from a capture: rows, verbose
 * blocks and JSON from one info struct each. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cli/display.h"
#include "decoder/print.h"
#include "engine/engine.h"

/* An address without its port ("127.0.0.1", "::1"). */
static const char *
addr_str(const struct l2tp_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family == L2TP_AF_INET6 ? AF_INET6 : AF_INET, a->addr,
	              buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/*
 * One JSON object, its members separated by the writer: a key is written
 * with the comma it needs.  Strings are escaped as the decoder's JSON is
 * (names from the wire may be any bytes).
 */
struct jobj {
	FILE *f;
	bool any;
};

static void
jo_open(struct jobj *o, FILE *f)
{
	o->f = f;
	o->any = false;
	fputc('{', f);
}

static void
jo_key(struct jobj *o, const char *key)
{
	fprintf(o->f, "%s\"%s\":", o->any ? "," : "", key);
	o->any = true;
}

static void
jo_str(struct jobj *o, const char *key, const char *v)
{
	struct l2tp_sink k;

	jo_key(o, key);
	l2tp_sink_init(&k, NULL);
	l2tp_sink_json_str(&k, v, strlen(v));
	if (k.len && !k.oom)
		fwrite(k.buf, 1, k.len, o->f);
	else
		fputs("\"\"", o->f);
	l2tp_sink_free(&k);
}

static void
jo_u64(struct jobj *o, const char *key, unsigned long long v)
{
	jo_key(o, key);
	fprintf(o->f, "%llu", v);
}

static void
jo_bool(struct jobj *o, const char *key, bool v)
{
	jo_key(o, key);
	fputs(v ? "true" : "false", o->f);
}

static void
jo_close(struct jobj *o)
{
	fputc('}', o->f);
}

/* Before an object of a JSON array: the separator the listing needs. */
static void
disp_next(struct disp *d)
{
	if (d->n++)
		fputc(',', d->f);
}

void
disp_open(struct disp *d, FILE *f, bool json, bool verbose, bool one)
{
	d->f = f;
	d->json = json;
	d->verbose = verbose;
	d->one = one;
	d->n = 0;
	if (json)
		fputc('[', f);
}

void
disp_close(struct disp *d)
{
	if (d->json)
		fputs("]\n", d->f);
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
tunnel_json(FILE *f, const struct l2tp_tunnel_info *t, uint64_t now_ms,
            const char *capture)
{
	char a[64], v[16];
	struct jobj o;

	jo_open(&o, f);
	jo_u64(&o, "local_tid", t->local_id);
	jo_u64(&o, "remote_tid", t->remote_id);
	jo_str(&o, "state", l2tp_tunnel_state_name(t->state));
	jo_str(&o, "role", t->role == L2TP_ROLE_LNS ? "lns" : "lac");
	jo_str(&o, "peer", addr_str(&t->peer, a, sizeof(a)));
	jo_u64(&o, "peer_port", t->peer.port);
	jo_str(&o, "remote_name", t->peer_host);
	jo_str(&o, "peer_vendor", t->peer_vendor);
	jo_u64(&o, "sessions", t->sessions_active);
	jo_u64(&o, "hello_interval", t->hello_ms / 1000);
	jo_bool(&o, "authenticated", t->authenticated);
	snprintf(v, sizeof(v), "%u.%u", t->peer_version, t->peer_revision);
	jo_str(&o, "protocol_version", v);
	jo_str(&o, "last_message", t->last_message);
#define X(label, key, field) jo_u64(&o, key, (unsigned long long)t->field);
	TI_U(X)
#undef X
	jo_u64(&o, "uptime_ms",
	       t->established_ms
	           ? (unsigned long long)(now_ms - t->established_ms)
	           : 0ULL);
	if (capture) {
		jo_str(&o, "source", "capture");
		jo_str(&o, "capture", capture);
	}
	jo_close(&o);
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
		disp_next(d);
		tunnel_json(d->f, t, now_ms, capture);
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
		tunnel_json(f, t, now_ms, capture);
		fputc('\n', f);
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

static void
session_json(FILE *f, const struct l2tp_session_info *s, const char *capture)
{
	struct jobj o;

	jo_open(&o, f);
	jo_u64(&o, "local_sid", s->local_id);
	jo_u64(&o, "remote_sid", s->remote_id);
	jo_u64(&o, "local_tid", s->tunnel);
	jo_str(&o, "state", l2tp_session_state_name(s->state));
	jo_u64(&o, "call_serial", s->serial);
	jo_str(&o, "type", call_type(s));
	jo_u64(&o, "tx_speed", s->tx_speed);
	jo_u64(&o, "rx_speed", s->rx_speed);
	jo_str(&o, "calling", s->calling);
	jo_str(&o, "called", s->called);
	jo_u64(&o, "last_result", s->last_result);
	jo_u64(&o, "last_error", s->last_error);
	jo_str(&o, "last_message", s->last_message);
	if (capture) {
		jo_str(&o, "source", "capture");
		jo_str(&o, "capture", capture);
	}
	jo_close(&o);
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
		disp_next(d);
		session_json(d->f, s, capture);
	} else if (d->one) {
		session_block(d->f, s);
	} else {
		session_row(d->f, s);
	}
}
