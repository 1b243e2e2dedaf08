/* Echo through the session: ICMP echo over IPCP's address (RFC 792) and
 * ICMPv6 echo over IPv6CP's link-local addresses (RFC 4443), replies matched
 * and timed, requests to our own address answered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ppp_int.h"

#define PING_STACK 2048

static void
link_local(const uint8_t id[8], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, id, 8);
}

const char *
l2tp_ppp_ping_why(const struct l2tp_ppp_link *p, uint8_t family)
{
	static const char *const v4[] = {
	    "IPCP is initial",  "IPCP is starting", "IPCP is closed",
	    "IPCP is stopped",  "IPCP is closing",  "IPCP is stopping",
	    "IPCP is req-sent", "IPCP is ack-rcvd", "IPCP is ack-sent"};
	static const char *const v6[] = {
	    "IPv6CP is initial",  "IPv6CP is starting", "IPv6CP is closed",
	    "IPv6CP is stopped",  "IPv6CP is closing",  "IPv6CP is stopping",
	    "IPv6CP is req-sent", "IPv6CP is ack-rcvd", "IPv6CP is ack-sent"};
	int st;

	if (family != 4 && family != 6)
		return "no such address family";
	if (family == 4 && !p->cfg->ipcp)
		return "IPCP is off";
	if (family == 6 && !p->cfg->ipv6cp)
		return "IPv6CP is off";
	if (!p->started || p->phase == L2TP_PPP_DEAD)
		return "the PPP link is dead";
	st = p->fsm[family == 4 ? PL_IPCP : PL_IPV6CP].state;
	if (st != L2TP_PPP_OPENED)
		return family == 4 ? v4[st] : v6[st];
	if (family == 4 && memcmp(p->ip_local, "\0\0\0\0", 4) == 0)
		return "IPCP gave us no address";
	return NULL;
}

static int
send_echo(struct l2tp_ppp_link *p, const struct l2tp_ppp_echo_spec *s)
{
	uint8_t stackbuf[PING_STACK], *buf = stackbuf;
	size_t cap = (s->family == 4 ? 28 : 48) + s->len;
	int n;

	if (cap > ppp_lcp_max_out(p))
		return L2TP_PPP_E_TOOBIG;
	if (cap > sizeof(stackbuf)) {
		buf = malloc(cap);
		if (!buf)
			return L2TP_PPP_E_NOMEM;
	}
	n = l2tp_ppp_build_echo(s, buf, cap);
	if (n > 0)
		ppp_send(p, s->family == 4 ? L2TP_PPP_IP : L2TP_PPP_IPV6, buf,
		         (size_t)n);
	if (buf != stackbuf)
		free(buf);
	return n > 0 ? 0 : L2TP_PPP_E_TOOBIG;
}

int
l2tp_ppp_ping(struct l2tp_ppp_link *p, uint8_t family, const uint8_t *dst,
              size_t size, bool df, uint64_t now_ms, uint16_t *seq)
{
	struct l2tp_ppp_echo_spec s;
	uint8_t src[16], stackdata[PING_STACK], *data = stackdata;
	int rc;

	if ((family != 4 && family != 6) || !dst || size < 8 || size > 65000)
		return L2TP_PPP_E_INVAL;
	p->now = now_ms;
	if (l2tp_ppp_ping_why(p, family))
		return L2TP_PPP_E_STATE;
	if (size > sizeof(stackdata) && !(data = malloc(size)))
		return L2TP_PPP_E_NOMEM;
	/* The send time rides in the payload, as ping(8) does it. */
	for (int i = 0; i < 8; i++)
		data[i] = (uint8_t)(now_ms >> (56 - 8 * i));
	for (size_t i = 8; i < size; i++)
		data[i] = (uint8_t)i;
	memset(&s, 0, sizeof(s));
	s.family = family;
	if (family == 4)
		memcpy(src, p->ip_local, 4);
	else
		link_local(p->ifid_l, src);
	s.src = src;
	s.dst = dst;
	s.request = true;
	s.ident = p->ping_ident;
	s.seq = p->ping_seq;
	s.df = df;
	s.ip_id = p->ip_id++;
	s.data = data;
	s.len = size;
	rc = send_echo(p, &s);
	if (data != stackdata)
		free(data);
	if (rc < 0)
		return rc;
	if (seq)
		*seq = p->ping_seq;
	p->ping_seq++;
	p->pings_sent++;
	return 0;
}

static bool
to_us(const struct l2tp_ppp_link *p, uint8_t family, const uint8_t *dst)
{
	uint8_t ll[16];

	if (family == 4)
		return memcmp(dst, p->ip_local, 4) == 0 &&
		       memcmp(dst, "\0\0\0\0", 4) != 0;
	link_local(p->ifid_l, ll);
	return memcmp(dst, ll, 16) == 0;
}

static void
fmt_addr(uint8_t family, const uint8_t *a, char *out, size_t cap)
{
	if (family == 4) {
		ppp_fmt_ip4(a, out, cap);
		return;
	}
	if (a[0] == 0xfe && a[1] == 0x80 &&
	    memcmp(a + 2, "\0\0\0\0\0\0", 6) == 0) {
		ppp_fmt_ll(a + 8, out, cap);
		return;
	}
	snprintf(out, cap, "%x:%x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1],
	         a[2] << 8 | a[3], a[4] << 8 | a[5], a[6] << 8 | a[7],
	         a[8] << 8 | a[9], a[10] << 8 | a[11], a[12] << 8 | a[13],
	         a[14] << 8 | a[15]);
}

void
ppp_icmp_input(struct l2tp_ppp_link *p, uint8_t family, const uint8_t *b,
               size_t len)
{
	struct l2tp_ppp_echo e;
	struct l2tp_ppp_event ev;
	char from[48];
	int rc = l2tp_ppp_read_echo(family, b, len, &e);

	if (rc == L2TP_PPP_R_NOTICMP)
		return; /* IP for someone else to handle: counted only */
	if (rc < 0) {
		p->bad_in++;
		ppp_emit(p, L2TP_PPP_EV_BAD,
		         family == 4 ? L2TP_PPP_IP : L2TP_PPP_IPV6, -1,
		         "%s packet discarded: %s", family == 4 ? "IP" : "IPv6",
		         l2tp_ppp_read_strerror(rc));
		return;
	}
	if (!to_us(p, family, e.dst))
		return;
	fmt_addr(family, e.src, from, sizeof(from));
	memset(&ev, 0, sizeof(ev));
	ev.proto = family == 4 ? L2TP_PPP_IP : L2TP_PPP_IPV6;
	ev.code = -1;
	ev.state = -1;
	ev.seq = e.seq;
	ev.ttl = e.ttl;
	ev.bytes = 8 + e.data.len;
	if (e.request) {
		struct l2tp_ppp_echo_spec s;

		memset(&s, 0, sizeof(s));
		s.family = family;
		s.src = e.dst;
		s.dst = e.src;
		s.ident = e.ident;
		s.seq = e.seq;
		s.ip_id = p->ip_id++;
		s.data = e.data.p;
		s.len = e.data.len;
		if (send_echo(p, &s) < 0)
			return;
		p->pings_answered++;
		ev.kind = L2TP_PPP_EV_PINGED;
		ev.ok = true;
		ppp_emitv(p, &ev, "echo request from %s seq %u answered", from,
		          e.seq);
		return;
	}
	if (e.ident != p->ping_ident)
		return; /* someone else's ping */
	p->pings_rcvd++;
	ev.kind = L2TP_PPP_EV_PING;
	ev.ok = true;
	if (e.data.len >= 8) {
		uint64_t t = 0;

		for (int i = 0; i < 8; i++)
			t = t << 8 | e.data.p[i];
		ev.rtt_ms = t <= p->now ? (uint32_t)(p->now - t) : 0;
	}
	ppp_emitv(p, &ev, "%zu bytes from %s: icmp_seq=%u ttl=%u time=%u ms",
	          ev.bytes, from, e.seq, e.ttl, ev.rtt_ms);
}
