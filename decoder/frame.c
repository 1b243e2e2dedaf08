/* Capture frames to L2TP datagrams: links, IP, tunnels (RFC 2661 §8.1). */
/*
 * pcap link layers, 802.1Q/QinQ, PPPoE (RFC 2516), IPv4 (RFC 791) and IPv6
 * (RFC 8200) with fragment reassembly, IP-in-IP and GRE (RFC 2784), then UDP
 * or IP protocol 115 (RFC 3931 §4.1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/frame.h"
#include "decoder/rd.h"

/* pcap link types (LINKTYPE_ values; DLT_RAW is 12 or 14 by platform). */
enum {
	LT_NULL = 0,
	LT_EN10MB = 1,
	LT_PPP = 9,
	LT_RAW_DLT12 = 12,
	LT_RAW_DLT14 = 14,
	LT_PPP_SERIAL = 50,
	LT_PPP_ETHER = 51,
	LT_RAW = 101,
	LT_C_HDLC = 104,
	LT_LOOP = 108,
	LT_LINUX_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,
};

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_PPPOE_SESS 0x8864
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

#define IPP_HOPOPT 0
#define IPP_IPIP 4
#define IPP_UDP 17
#define IPP_IPV6 41
#define IPP_GRE 47
#define IPP_ROUTING 43
#define IPP_FRAGMENT 44
#define IPP_ESP 50
#define IPP_AH 51
#define IPP_NONE 59
#define IPP_DSTOPTS 60

#define PORT_IKE 500
#define PORT_NATT 4500

#define MAX_TAGS 8    /* VLAN tags skipped before giving up */
#define MAX_NEST 4    /* IP-in-IP / GRE encapsulations followed */
#define MAX_EXTHDR 16 /* IPv6 extension headers followed */

/* Reassembly limits: slots in flight, bytes per datagram, staleness. */
#define RA_SLOTS 16
#define RA_MAX 65536u
#define RA_MAPLEN (RA_MAX / 64)
#define RA_MAXAGE 4096u /* fragments seen since a slot was last fed */

struct ra_slot {
	bool used;
	bool bad;     /* cannot be reassembled: badwhy says why */
	bool notl2tp; /* the first fragment showed other ports */
	bool have_first, have_last;
	uint8_t family;
	uint8_t proto; /* IPv4 protocol; IPv6 next header of offset 0 */
	uint8_t src[16], dst[16];
	uint32_t id;
	uint64_t age;
	uint32_t total; /* datagram length, once the last fragment came */
	uint32_t maxend;
	uint32_t nunits; /* 8-byte units held */
	uint16_t nfrags;
	uint16_t sport, dport;
	enum l2tp_frame_other other;
	char badwhy[72];
	uint8_t *buf; /* RA_MAX bytes, allocated when the slot is first used */
	uint8_t *map; /* one bit per 8-byte unit: RA_MAPLEN bytes after buf */
};

struct l2tp_reasm {
	struct ra_slot slot[RA_SLOTS];
	uint64_t clock;
	struct l2tp_reasm_stats st;
};

/* Decoding state for one frame: where we are and how much the wire has. */
struct fctx {
	struct rd r;      /* captured bytes from here on */
	size_t wire_left; /* bytes the frame really has from here on */
	const struct l2tp_frame_opts *o;
	struct l2tp_reasm *ra;
	struct l2tp_frame *out;
	int nest; /* tunnels entered (IP-in-IP, GRE) */
};

struct l2tp_reasm *
l2tp_reasm_new(void)
{
	/* Slot buffers come with the first fragment: most captures have none,
	 * and a decoder made for each file or test should not pay 1 MiB. */
	return calloc(1, sizeof(struct l2tp_reasm));
}

void
l2tp_reasm_free(struct l2tp_reasm *ra)
{
	if (ra == NULL)
		return;
	for (size_t i = 0; i < RA_SLOTS; i++)
		free(ra->slot[i].buf);
	free(ra);
}

void
l2tp_reasm_get_stats(const struct l2tp_reasm *ra, struct l2tp_reasm_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ra == NULL)
		return;
	*st = ra->st;
	for (size_t i = 0; i < RA_SLOTS; i++)
		if (ra->slot[i].used && !ra->slot[i].bad)
			st->pending++;
}

static void set_why(struct l2tp_frame *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_why(struct l2tp_frame *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
}

static int
other(struct fctx *c, enum l2tp_frame_other what)
{
	c->out->kind = L2TP_FRAME_OTHER;
	c->out->other = what;
	return 0;
}

/*
 * A header does not fit: truncated when the capture stopped before the end
 * of the frame, malformed when the frame itself is that short.
 */
static int
short_hdr(struct fctx *c, const char *what, size_t need)
{
	if (c->wire_left > c->r.left) {
		c->out->kind = L2TP_FRAME_TRUNCATED;
		set_why(c->out,
		        "capture ends inside the %s (%zu of %zu "
		        "bytes)",
		        what, c->r.left, need);
	} else {
		c->out->kind = L2TP_FRAME_MALFORMED;
		set_why(c->out, "frame ends inside the %s (%zu of %zu bytes)",
		        what, c->r.left, need);
	}
	return 0;
}

static int malformed(struct fctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
malformed(struct fctx *c, const char *fmt, ...)
{
	va_list ap;

	c->out->kind = L2TP_FRAME_MALFORMED;
	va_start(ap, fmt);
	vsnprintf(c->out->why, sizeof(c->out->why), fmt, ap);
	va_end(ap);
	return 0;
}

/* Carve n header bytes off the front; -1 when fewer are captured. */
static int
take(struct fctx *c, size_t n, struct rd *h)
{
	if (rd_sub(&c->r, n, h) < 0)
		return -1;
	c->wire_left = c->wire_left >= n ? c->wire_left - n : 0;
	return 0;
}

/* What follows is exactly n bytes long (the rest is link padding). */
static void
clamp(struct fctx *c, size_t n)
{
	c->wire_left = n;
	if (c->r.left > n)
		c->r.left = n;
}

static bool
is_l2tp_port(const struct l2tp_frame_opts *o, uint16_t port)
{
	if (o == NULL || o->nports == 0)
		return port == L2TP_PORT;
	for (size_t i = 0; i < o->nports; i++)
		if (o->ports[i] == port)
			return true;
	return false;
}

/* What UDP between these ports is: NONE when it is L2TP. */
static enum l2tp_frame_other
port_class(const struct l2tp_frame_opts *o, uint16_t sp, uint16_t dp)
{
	if (is_l2tp_port(o, sp) || is_l2tp_port(o, dp))
		return L2TP_OTHER_NONE;
	if (sp == PORT_NATT || dp == PORT_NATT)
		return L2TP_OTHER_NATT;
	if (sp == PORT_IKE || dp == PORT_IKE)
		return L2TP_OTHER_IKE;
	return L2TP_OTHER_UDP;
}

/* ---- transport: UDP and IP protocol 115 ---- */

/* What UDP 4500 carries (RFC 3948 §2): keepalive, IKE (zero marker), ESP. */
static enum l2tp_natt
natt_kind(const struct rd *payload)
{
	uint8_t b;
	uint32_t marker;
	struct rd r = *payload;

	if (r.left == 1 && rd_peek8(&r, 0, &b) == 0 && b == 0xff)
		return L2TP_NATT_KEEPALIVE;
	if (rd_u32(&r, &marker) < 0)
		return L2TP_NATT_NONE;
	return marker == 0 ? L2TP_NATT_IKE : L2TP_NATT_ESP;
}

static int
udp(struct fctx *c)
{
	struct rd h;
	uint16_t sport, dport, ulen, sum;
	struct l2tp_frame *out = c->out;
	enum l2tp_frame_other what;

	if (take(c, 8, &h) < 0)
		return short_hdr(c, "UDP header", 8);
	rd_u16(&h, &sport);
	rd_u16(&h, &dport);
	rd_u16(&h, &ulen);
	rd_u16(&h, &sum);
	out->sport = sport;
	out->dport = dport;
	out->udp_csum_zero = sum == 0;
	if (ulen < 8)
		return malformed(c,
		                 "UDP length %u, less than its 8-byte "
		                 "header",
		                 ulen);
	if ((size_t)ulen - 8 > c->wire_left)
		return malformed(c,
		                 "UDP length %u, but the IP payload has "
		                 "%zu bytes",
		                 ulen, c->wire_left + 8);
	clamp(c, (size_t)ulen - 8);
	what = port_class(c->o, sport, dport);
	if (what == L2TP_OTHER_NONE) {
		out->kind = L2TP_FRAME_L2TP;
		out->transport = L2TP_UDP;
		out->l2tp = c->r.p;
		out->caplen = c->r.left;
		out->wirelen = c->wire_left;
		return 0;
	}
	if (what == L2TP_OTHER_NATT)
		out->natt = natt_kind(&c->r);
	/* The payload stays in view, so a caller can tell L2TP that runs on
	 * a port not asked for ("use --port N"). */
	out->l2tp = c->r.p;
	out->caplen = c->r.left;
	out->wirelen = c->wire_left;
	return other(c, what);
}

static int ipv4(struct fctx *c);
static int ipv6(struct fctx *c);
static int gre(struct fctx *c);

static int
transport(struct fctx *c, uint8_t proto)
{
	c->out->ipproto = proto;
	switch (proto) {
	case IPP_UDP:
		return udp(c);
	case IPP_IPIP:
	case IPP_IPV6:
	case IPP_GRE:
		/* A tunnel (mirrored traffic, 6in4): the inner addresses are
		 * the ones that matter. */
		if (c->nest == MAX_NEST)
			return other(c, L2TP_OTHER_IP);
		c->nest++;
		return proto == IPP_IPIP   ? ipv4(c)
		       : proto == IPP_IPV6 ? ipv6(c)
		                           : gre(c);
	case L2TP_IPPROTO:
		c->out->kind = L2TP_FRAME_L2TP;
		c->out->transport = L2TP_IP;
		c->out->l2tp = c->r.p;
		c->out->caplen = c->r.left;
		c->out->wirelen = c->wire_left;
		return 0;
	case IPP_ESP:
		return other(c, L2TP_OTHER_ESP);
	default:
		return other(c, L2TP_OTHER_IP);
	}
}

/* Protocols that may carry L2TP: UDP, L2TP itself, and tunnels. */
static bool
may_carry_l2tp(uint8_t proto)
{
	return proto == IPP_UDP || proto == L2TP_IPPROTO || proto == IPP_IPIP ||
	       proto == IPP_IPV6 || proto == IPP_GRE;
}

/* Name a protocol without reading its header (a fragment, a cut one). */
static int
classify(struct fctx *c, uint8_t proto)
{
	c->out->ipproto = proto;
	return other(c, proto == IPP_ESP ? L2TP_OTHER_ESP : L2TP_OTHER_IP);
}

/* ---- IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5) ---- */

struct fragkey {
	uint8_t family;
	uint8_t proto; /* IPv4 only; 0 for IPv6 */
	const uint8_t *src, *dst;
	uint32_t id;
};

static bool
slot_match(const struct ra_slot *s, const struct fragkey *k)
{
	size_t alen = k->family == 4 ? 4 : 16;

	return s->used && s->family == k->family && s->id == k->id &&
	       (k->family == 6 || s->proto == k->proto) &&
	       memcmp(s->src, k->src, alen) == 0 &&
	       memcmp(s->dst, k->dst, alen) == 0;
}

static void slot_bad(struct l2tp_reasm *ra, struct ra_slot *s, const char *why);

static struct ra_slot *
slot_get(struct l2tp_reasm *ra, const struct fragkey *k)
{
	struct ra_slot *s, *oldest = NULL, *free_slot = NULL;
	size_t alen = k->family == 4 ? 4 : 16;

	ra->clock++;
	for (size_t i = 0; i < RA_SLOTS; i++) {
		s = &ra->slot[i];
		if (s->used && ra->clock - s->age > RA_MAXAGE) {
			if (!s->bad)
				ra->st.evicted++;
			s->used = false;
		}
		if (slot_match(s, k)) {
			s->age = ra->clock;
			return s;
		}
		if (!s->used && free_slot == NULL)
			free_slot = s;
		if (s->used && (oldest == NULL || s->age < oldest->age))
			oldest = s;
	}
	if ((s = free_slot) == NULL) {
		s = oldest;
		if (!s->bad)
			ra->st.evicted++;
	}
	s->used = true;
	s->bad = s->notl2tp = s->have_first = s->have_last = false;
	s->family = k->family;
	s->proto = k->proto;
	memcpy(s->src, k->src, alen);
	memcpy(s->dst, k->dst, alen);
	s->id = k->id;
	s->age = ra->clock;
	s->total = s->maxend = s->nunits = 0;
	s->nfrags = 0;
	s->sport = s->dport = 0;
	s->other = L2TP_OTHER_NONE;
	s->badwhy[0] = '\0';
	if (s->buf == NULL) {
		if ((s->buf = malloc(RA_MAX + RA_MAPLEN)) == NULL) {
			slot_bad(ra, s, "no memory to reassemble it");
			return s;
		}
		s->map = s->buf + RA_MAX;
	}
	memset(s->map, 0, RA_MAPLEN);
	return s;
}

static void
slot_bad(struct l2tp_reasm *ra, struct ra_slot *s, const char *why)
{
	if (!s->bad)
		ra->st.dropped++;
	s->bad = true;
	snprintf(s->badwhy, sizeof(s->badwhy), "%s", why);
}

static bool
unit_set(const struct ra_slot *s, uint32_t u)
{
	return (s->map[u >> 3] >> (u & 7)) & 1;
}

/*
 * Add fragment data [off, off + len) to a slot.  Returns 1 when the datagram
 * is whole, 0 when held, -1 when the slot cannot complete (s->badwhy).
 */
static int
slot_add(struct l2tp_reasm *ra, struct ra_slot *s, uint32_t off, bool mf,
         const uint8_t *p, size_t len)
{
	uint32_t end = off + (uint32_t)len, u0, u1;
	char why[72];

	if (s->bad)
		return -1;
	s->nfrags++;
	if (end > RA_MAX - 1) {
		slot_bad(ra, s,
		         "the fragments add up to more than 65535 "
		         "bytes");
		return -1;
	}
	if (mf && (len == 0 || len % 8 != 0)) {
		snprintf(why, sizeof(why),
		         "a non-final fragment of %zu "
		         "bytes, not a multiple of 8",
		         len);
		slot_bad(ra, s, why);
		return -1;
	}
	if (!mf) {
		if (s->have_last && end != s->total) {
			snprintf(why, sizeof(why),
			         "two last fragments end at "
			         "%u and %u",
			         s->total, end);
			slot_bad(ra, s, why);
			return -1;
		}
		if (s->maxend > end) {
			snprintf(why, sizeof(why),
			         "data at byte %u past the "
			         "last fragment's end %u",
			         s->maxend, end);
			slot_bad(ra, s, why);
			return -1;
		}
		s->have_last = true;
		s->total = end;
	} else if (s->have_last && end > s->total) {
		snprintf(why, sizeof(why),
		         "a fragment ends at %u, past the "
		         "datagram's end %u",
		         end, s->total);
		slot_bad(ra, s, why);
		return -1;
	}
	if (end > s->maxend)
		s->maxend = end;
	u0 = off / 8;
	u1 = (end + 7) / 8;
	/* Overlaps are accepted only when they repeat the same bytes. */
	for (uint32_t u = u0; u < u1; u++) {
		uint32_t a, b;

		if (!unit_set(s, u))
			continue;
		a = u * 8 > off ? u * 8 : off;
		b = u * 8 + 8 < end ? u * 8 + 8 : end;
		if (memcmp(s->buf + a, p + (a - off), b - a) != 0) {
			snprintf(why, sizeof(why),
			         "overlapping fragments "
			         "differ at byte %u",
			         a);
			ra->st.overlaps++;
			slot_bad(ra, s, why);
			return -1;
		}
		ra->st.overlaps++;
	}
	memcpy(s->buf + off, p, len);
	for (uint32_t u = u0; u < u1; u++) {
		if (!unit_set(s, u)) {
			s->map[u >> 3] |= (uint8_t)(1u << (u & 7));
			s->nunits++;
		}
	}
	if (s->have_last && s->nunits == (s->total + 7) / 8) {
		s->used = false; /* bytes stay valid until the next call */
		ra->st.completed++;
		return 1;
	}
	return 0;
}

/* Ports of a UDP header at the start of a first fragment. */
static void
first_fragment(struct fctx *c, struct ra_slot *s, uint8_t proto,
               const struct rd *data)
{
	struct rd r = *data;
	uint16_t sp, dp;

	s->have_first = true;
	s->proto = proto;
	if (proto != IPP_UDP || rd_u16(&r, &sp) < 0 || rd_u16(&r, &dp) < 0)
		return;
	s->sport = sp;
	s->dport = dp;
	s->other = port_class(c->o, sp, dp);
	s->notl2tp = s->other != L2TP_OTHER_NONE;
}

static int ip6_chain(struct fctx *c, uint8_t nh, int depth);

/*
 * One fragment: the fragmentable part is in c->r (captured) and
 * c->wire_left (real).  `proto` is the upper protocol when this fragment
 * says it (IPv4, or an IPv6 offset-0 fragment), else 0.
 */
static int
fragment(struct fctx *c, const struct fragkey *k, uint32_t off, bool mf,
         uint8_t proto)
{
	struct l2tp_frame *out = c->out;
	struct ra_slot *s;
	const char *ipv = k->family == 4 ? "IPv4" : "IPv6";
	int rc;

	out->kind = L2TP_FRAME_FRAGMENT;
	if (off == 0 && proto == IPP_UDP && c->r.left >= 4) {
		struct rd r = c->r;

		rd_u16(&r, &out->sport);
		rd_u16(&r, &out->dport);
	}
	if (c->ra == NULL) {
		if (off == 0 && proto == IPP_UDP && c->r.left >= 4 &&
		    port_class(c->o, out->sport, out->dport) != L2TP_OTHER_NONE)
			return other(c,
			             port_class(c->o, out->sport, out->dport));
		set_why(out,
		        "%s fragment id 0x%x at %u, %zu bytes: not "
		        "reassembled",
		        ipv, k->id, off, c->wire_left);
		return 0;
	}
	s = slot_get(c->ra, k);
	if (off == 0)
		first_fragment(c, s, proto, &c->r);
	if (c->r.left < c->wire_left) {
		slot_bad(c->ra, s, "a fragment is cut short by the capture");
		s->nfrags++;
		rc = -1;
	} else {
		rc = slot_add(c->ra, s, off, mf, c->r.p, c->r.left);
	}
	out->nfrags = s->nfrags;
	if (s->notl2tp) {
		out->sport = s->sport;
		out->dport = s->dport;
		out->ipproto = IPP_UDP;
		out->why[0] = '\0';
		return other(c, s->other);
	}
	if (rc < 0) {
		set_why(out,
		        "%s fragment id 0x%x at %u: cannot reassemble: "
		        "%s",
		        ipv, k->id, off, s->badwhy);
		return 0;
	}
	if (rc == 0) {
		set_why(out,
		        "%s fragment id 0x%x at %u, %zu bytes: held for "
		        "reassembly",
		        ipv, k->id, off, c->wire_left);
		return 0;
	}
	/* Whole: decode the datagram from the table. */
	out->reassembled = true;
	out->kind = L2TP_FRAME_OTHER;
	rd_init(&c->r, s->buf, s->total);
	c->wire_left = s->total;
	out->sport = out->dport = 0;
	if (k->family == 4)
		return transport(c, s->proto);
	return ip6_chain(c, s->proto, 0);
}

/* ---- IPv4 (RFC 791) and IPv6 (RFC 8200) ---- */

static int
ipv4(struct fctx *c)
{
	struct l2tp_frame *out = c->out;
	struct rd h;
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot, id, frag, sum;
	size_t hlen;
	struct fragkey k;

	if (c->r.left < 20)
		return short_hdr(c, "IPv4 header", 20);
	h = c->r;
	rd_u8(&h, &vihl);
	rd_u8(&h, &tos);
	rd_u16(&h, &tot);
	rd_u16(&h, &id);
	rd_u16(&h, &frag);
	rd_u8(&h, &ttl);
	rd_u8(&h, &proto);
	rd_u16(&h, &sum);
	out->src.family = out->dst.family = 4;
	memcpy(out->src.a, h.p, 4);
	memcpy(out->dst.a, h.p + 4, 4);
	out->ipproto = proto;
	if (vihl >> 4 != 4)
		return malformed(c, "IP version %u in an IPv4 header",
		                 vihl >> 4);
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20)
		return malformed(c,
		                 "IPv4 header length %zu (IHL %u), less "
		                 "than 20",
		                 hlen, vihl & 0x0f);
	if (tot < hlen)
		return malformed(c,
		                 "IPv4 total length %u, less than its "
		                 "%zu-byte header",
		                 tot, hlen);
	if (tot > c->wire_left)
		return malformed(c,
		                 "IPv4 total length %u, but the frame "
		                 "holds %zu bytes of IP",
		                 tot, c->wire_left);
	clamp(c, tot);
	if (take(c, hlen, &h) < 0) {
		if (!may_carry_l2tp(proto))
			return classify(c, proto);
		return short_hdr(c, "IPv4 options", hlen);
	}
	if (frag & 0x3fff) {
		if (!may_carry_l2tp(proto))
			return classify(c, proto);
		k.family = 4;
		k.proto = proto;
		k.src = out->src.a;
		k.dst = out->dst.a;
		k.id = id;
		return fragment(c, &k, (uint32_t)(frag & 0x1fff) * 8,
		                (frag & 0x2000) != 0, proto);
	}
	return transport(c, proto);
}

static bool
is_ext_hdr(uint8_t nh)
{
	return nh == IPP_HOPOPT || nh == IPP_ROUTING || nh == IPP_DSTOPTS ||
	       nh == IPP_AH || nh == IPP_FRAGMENT;
}

/* Follow IPv6 extension headers from `nh`, then the upper layer. */
static int
ip6_chain(struct fctx *c, uint8_t nh, int depth)
{
	struct l2tp_frame *out = c->out;
	struct rd h;
	uint8_t next, hl;
	size_t len;

	for (; depth < MAX_EXTHDR && is_ext_hdr(nh); depth++) {
		if (nh == IPP_FRAGMENT) {
			uint16_t offfl;
			uint32_t id;
			struct fragkey k;

			if (take(c, 8, &h) < 0)
				return short_hdr(c, "IPv6 fragment header", 8);
			rd_u8(&h, &next);
			rd_skip(&h, 1);
			rd_u16(&h, &offfl);
			rd_u32(&h, &id);
			/* An atomic fragment is a whole datagram (RFC 6946). */
			if ((offfl & 0xfff9) == 0) {
				nh = next;
				continue;
			}
			if (!is_ext_hdr(next) && !may_carry_l2tp(next))
				return classify(c, next);
			k.family = 6;
			k.proto = 0;
			k.src = out->src.a;
			k.dst = out->dst.a;
			k.id = id;
			out->ipproto = next;
			return fragment(c, &k, offfl & 0xfff8, offfl & 1,
			                (offfl & 0xfff8) == 0 ? next : 0);
		}
		if (c->r.left < 2)
			return short_hdr(c, "IPv6 extension header", 8);
		h = c->r;
		rd_u8(&h, &next);
		rd_u8(&h, &hl);
		len =
		    nh == IPP_AH ? ((size_t)hl + 2) * 4 : ((size_t)hl + 1) * 8;
		if (len > c->wire_left)
			return malformed(c,
			                 "IPv6 extension header %u of %zu "
			                 "bytes runs past the packet (%zu)",
			                 nh, len, c->wire_left);
		if (take(c, len, &h) < 0)
			return short_hdr(c, "IPv6 extension header", len);
		nh = next;
	}
	if (is_ext_hdr(nh))
		return malformed(c, "more than %d IPv6 extension headers",
		                 MAX_EXTHDR);
	if (nh == IPP_NONE) {
		out->ipproto = nh;
		return other(c, L2TP_OTHER_IP);
	}
	return transport(c, nh);
}

static int
ipv6(struct fctx *c)
{
	struct l2tp_frame *out = c->out;
	struct rd h;
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh, hlim;

	if (take(c, 40, &h) < 0)
		return short_hdr(c, "IPv6 header", 40);
	rd_u32(&h, &vtf);
	rd_u16(&h, &plen);
	rd_u8(&h, &nh);
	rd_u8(&h, &hlim);
	out->src.family = out->dst.family = 6;
	memcpy(out->src.a, h.p, 16);
	memcpy(out->dst.a, h.p + 16, 16);
	out->ipproto = nh;
	if (vtf >> 28 != 6)
		return malformed(c, "IP version %u in an IPv6 header",
		                 vtf >> 28);
	if (plen == 0 && nh == IPP_HOPOPT) {
		c->out->kind = L2TP_FRAME_UNSUPPORTED;
		set_why(c->out, "IPv6 jumbogram (payload length 0)");
		return 0;
	}
	if (plen > c->wire_left)
		return malformed(c,
		                 "IPv6 payload length %u, but the frame "
		                 "holds %zu bytes after the header",
		                 plen, c->wire_left);
	clamp(c, plen);
	return ip6_chain(c, nh, 0);
}

/* ---- link layers ---- */

static int
by_ipversion(struct fctx *c)
{
	uint8_t b;

	if (rd_peek8(&c->r, 0, &b) < 0)
		return short_hdr(c, "IP header", 20);
	switch (b >> 4) {
	case 4:
		return ipv4(c);
	case 6:
		return ipv6(c);
	default:
		return malformed(c, "raw IP frame with IP version %u", b >> 4);
	}
}

/* A PPP protocol field, compressed (odd first byte) or not (RFC 1661 §2). */
static int
ppp_proto(struct fctx *c, const char *what)
{
	uint8_t b0;
	uint16_t proto;
	struct rd h;

	if (rd_peek8(&c->r, 0, &b0) < 0)
		return short_hdr(c, what, 2);
	if (b0 & 1) {
		take(c, 1, &h);
		proto = b0;
	} else {
		if (take(c, 2, &h) < 0)
			return short_hdr(c, what, 2);
		rd_u16(&h, &proto);
	}
	if (proto == PPP_IPV4)
		return ipv4(c);
	if (proto == PPP_IPV6)
		return ipv6(c);
	return other(c, L2TP_OTHER_NOT_IP); /* LCP, IPCP, ... */
}

/* PPPoE session stage (RFC 2516 §5.4), then PPP. */
static int
pppoe_session(struct fctx *c)
{
	struct rd h;
	uint8_t vt, code;
	uint16_t sid, len;

	if (take(c, 6, &h) < 0)
		return short_hdr(c, "PPPoE header", 6);
	rd_u8(&h, &vt);
	rd_u8(&h, &code);
	rd_u16(&h, &sid);
	rd_u16(&h, &len);
	c->out->pppoe = true;
	c->out->pppoe_session = sid;
	if (vt != 0x11) {
		c->out->kind = L2TP_FRAME_UNSUPPORTED;
		set_why(c->out,
		        "PPPoE version/type 0x%02x (only 0x11 is "
		        "defined)",
		        vt);
		return 0;
	}
	if (code != 0)
		return malformed(c, "PPPoE session frame with code 0x%02x",
		                 code);
	if (len > c->wire_left)
		return malformed(c,
		                 "PPPoE length %u, but the frame holds %zu "
		                 "bytes after its header",
		                 len, c->wire_left);
	clamp(c, len);
	return ppp_proto(c, "PPP protocol field");
}

static int
ethertype(struct fctx *c, uint16_t type)
{
	struct rd h;
	uint16_t tci;

	for (int n = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100;
	     n++) {
		if (n == MAX_TAGS)
			return malformed(c, "more than %d VLAN tags", MAX_TAGS);
		if (take(c, 4, &h) < 0)
			return short_hdr(c, "VLAN tag", 4);
		rd_u16(&h, &tci);
		rd_u16(&h, &type);
		if (c->out->nvlan < 2)
			c->out->vlan[c->out->nvlan++] = tci & 0x0fff;
	}
	if (type <= 1500) {
		/* 802.3 length: IP only behind LLC/SNAP with OUI 0. */
		uint8_t dsap, ssap, ctl;
		uint32_t oui;

		if (c->r.left < 8 || rd_peek8(&c->r, 0, &dsap) < 0 ||
		    dsap != 0xaa)
			return other(c, L2TP_OTHER_NOT_IP);
		take(c, 8, &h);
		rd_u8(&h, &dsap);
		rd_u8(&h, &ssap);
		rd_u8(&h, &ctl);
		rd_u24(&h, &oui);
		rd_u16(&h, &type);
		if (ssap != 0xaa || ctl != 0x03 || oui != 0)
			return other(c, L2TP_OTHER_NOT_IP);
	}
	switch (type) {
	case ETH_IPV4:
		return ipv4(c);
	case ETH_IPV6:
		return ipv6(c);
	case ETH_PPPOE_SESS:
		return pppoe_session(c);
	default:
		return other(c, L2TP_OTHER_NOT_IP);
	}
}

static int
link_ether(struct fctx *c)
{
	struct rd h;
	uint16_t type;

	if (take(c, 14, &h) < 0)
		return short_hdr(c, "Ethernet header", 14);
	rd_skip(&h, 12);
	rd_u16(&h, &type);
	return ethertype(c, type);
}

/*
 * GRE (RFC 2784, RFC 2890 key and sequence): IP inside, Ethernet inside
 * (0x6558), or ERSPAN type I/II port mirroring (0x88be), as switches send
 * mirrored traffic.
 */
static int
gre(struct fctx *c)
{
	struct rd h;
	uint16_t fl, proto;
	size_t opt;

	if (take(c, 4, &h) < 0)
		return short_hdr(c, "GRE header", 4);
	rd_u16(&h, &fl);
	rd_u16(&h, &proto);
	if ((fl & 0x0007) != 0 || (fl & 0x4000) != 0)
		return other(c, L2TP_OTHER_IP); /* PPTP's GRE, source routes */
	opt = ((fl & 0x8000) ? 4 : 0) + ((fl & 0x2000) ? 4 : 0) +
	      ((fl & 0x1000) ? 4 : 0);
	if (take(c, opt, &h) < 0)
		return short_hdr(c, "GRE options", opt);
	switch (proto) {
	case ETH_IPV4:
		return ipv4(c);
	case ETH_IPV6:
		return ipv6(c);
	case 0x6558:
		return link_ether(c);
	case 0x88be:
		/* ERSPAN II has an 8-byte header; type I (no S bit) none */
		if ((fl & 0x1000) && take(c, 8, &h) < 0)
			return short_hdr(c, "ERSPAN header", 8);
		return link_ether(c);
	default:
		return other(c, L2TP_OTHER_IP);
	}
}

/* Linux cooked capture v1: 16 bytes, protocol last. */
static int
link_sll(struct fctx *c)
{
	struct rd h;
	uint16_t type;

	if (take(c, 16, &h) < 0)
		return short_hdr(c, "Linux cooked (SLL) header", 16);
	rd_skip(&h, 14);
	rd_u16(&h, &type);
	return ethertype(c, type);
}

/* Linux cooked capture v2: 20 bytes, protocol first. */
static int
link_sll2(struct fctx *c)
{
	struct rd h;
	uint16_t type;

	if (take(c, 20, &h) < 0)
		return short_hdr(c, "Linux cooked (SLL2) header", 20);
	rd_u16(&h, &type);
	return ethertype(c, type);
}

/* BSD loopback: a 4-byte address family, in host order (NULL) or network
 * order (LOOP); a value with high bits set is the other byte order. */
static int
link_null(struct fctx *c)
{
	struct rd h;
	uint32_t fam;

	if (take(c, 4, &h) < 0)
		return short_hdr(c, "loopback header", 4);
	rd_u32(&h, &fam);
	if (fam & 0xffff0000u)
		fam = (fam >> 24) | ((fam >> 8) & 0xff00u) |
		      ((fam << 8) & 0xff0000u) | (fam << 24);
	switch (fam) {
	case 2: /* AF_INET everywhere */
		return ipv4(c);
	case 10: /* AF_INET6: Linux */
	case 24: /* NetBSD, OpenBSD */
	case 28: /* FreeBSD */
	case 30: /* macOS */
		return ipv6(c);
	default:
		return other(c, L2TP_OTHER_NOT_IP);
	}
}

static int
link_raw(struct fctx *c)
{
	return by_ipversion(c);
}

static int
link_ipv4(struct fctx *c)
{
	return ipv4(c);
}

static int
link_ipv6(struct fctx *c)
{
	return ipv6(c);
}

/* PPP, with or without the HDLC address and control bytes. */
static int
link_ppp(struct fctx *c)
{
	uint8_t a, ctl;
	struct rd h;

	if (rd_peek8(&c->r, 0, &a) == 0 && a == 0xff) {
		if (rd_peek8(&c->r, 1, &ctl) < 0)
			return short_hdr(c, "PPP header", 4);
		if (ctl == 0x03)
			take(c, 2, &h);
	}
	return ppp_proto(c, "PPP protocol field");
}

static int
link_ppp_ether(struct fctx *c)
{
	return pppoe_session(c);
}

/* Cisco HDLC: address, control, then an Ethernet type. */
static int
link_chdlc(struct fctx *c)
{
	struct rd h;
	uint16_t type;

	if (take(c, 4, &h) < 0)
		return short_hdr(c, "Cisco HDLC header", 4);
	rd_skip(&h, 2);
	rd_u16(&h, &type);
	return ethertype(c, type);
}

static const struct {
	int linktype;
	const char *name;
	int (*decode)(struct fctx *);
} links[] = {
    {LT_EN10MB, "Ethernet", link_ether},
    {LT_LINUX_SLL, "Linux cooked (SLL)", link_sll},
    {LT_LINUX_SLL2, "Linux cooked (SLL2)", link_sll2},
    {LT_RAW, "raw IP", link_raw},
    {LT_RAW_DLT12, "raw IP", link_raw},
    {LT_RAW_DLT14, "raw IP", link_raw},
    {LT_IPV4, "raw IPv4", link_ipv4},
    {LT_IPV6, "raw IPv6", link_ipv6},
    {LT_NULL, "BSD loopback", link_null},
    {LT_LOOP, "OpenBSD loopback", link_null},
    {LT_PPP, "PPP", link_ppp},
    {LT_PPP_SERIAL, "PPP in HDLC framing", link_ppp},
    {LT_PPP_ETHER, "PPPoE", link_ppp_ether},
    {LT_C_HDLC, "Cisco HDLC", link_chdlc},
};

const char *
l2tp_frame_link_name(int linktype)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (links[i].linktype == linktype)
			return links[i].name;
	return NULL;
}

int
l2tp_frame_decode(int linktype, const uint8_t *pkt, size_t caplen,
                  size_t wirelen, const struct l2tp_frame_opts *o,
                  struct l2tp_reasm *ra, struct l2tp_frame *out)
{
	struct fctx c;

	memset(out, 0, sizeof(*out));
	out->kind = L2TP_FRAME_UNSUPPORTED;
	rd_init(&c.r, pkt, pkt ? caplen : 0);
	c.wire_left = wirelen > caplen ? wirelen : caplen;
	c.o = o;
	c.ra = ra;
	c.out = out;
	c.nest = 0;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (links[i].linktype == linktype)
			return links[i].decode(&c);
	set_why(out, "link type %d is not supported", linktype);
	return 0;
}
