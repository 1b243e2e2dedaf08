/* Tests for decoder/frame.c: links, IP, fragments (RFC 2661 §8.1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/proto.h"

/* ---- building frames ---- */

struct fb {
	uint8_t b[9000];
	size_t n;
};

static void
p8(struct fb *f, uint8_t v)
{
	cr_assert_lt(f->n, sizeof(f->b));
	f->b[f->n++] = v;
}

static void
p16(struct fb *f, uint16_t v)
{
	p8(f, (uint8_t)(v >> 8));
	p8(f, (uint8_t)v);
}

static void
p32(struct fb *f, uint32_t v)
{
	p16(f, (uint16_t)(v >> 16));
	p16(f, (uint16_t)v);
}

static void
pn(struct fb *f, const void *p, size_t n)
{
	cr_assert_leq(n, sizeof(f->b) - f->n);
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
set16(struct fb *f, size_t at, uint16_t v)
{
	f->b[at] = (uint8_t)(v >> 8);
	f->b[at + 1] = (uint8_t)v;
}

static const uint8_t SRC4[4] = {192, 0, 2, 1}, DST4[4] = {198, 51, 100, 2};
static const uint8_t SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t DST6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

enum link {
	LK_ETH,
	LK_SLL,
	LK_SLL2,
	LK_RAW,
	LK_IPONLY, /* LINKTYPE_IPV4 / IPV6 */
	LK_NULL_LE,
	LK_NULL_BE,
	LK_PPP,
	LK_PPP_PFC,
	LK_CHDLC,
	LK_PPPOE_BARE, /* DLT_PPP_ETHER */
};

enum payload {
	PL_HELLO,     /* an L2TPv2 HELLO */
	PL_SCCRQ,     /* a longer L2TPv2 control message */
	PL_V3DATA,    /* L2TPv3 over IP data: session, sublayer, bytes */
	PL_ESP,       /* SPI and sequence */
	PL_IKE_NATT,  /* zero marker then an IKE header */
	PL_KEEPALIVE, /* 0xff */
};

enum mut {
	MU_NONE,
	MU_PAD,        /* Ethernet padding after the IP datagram */
	MU_IHL4,       /* IPv4 IHL 4 */
	MU_TOTLEN_BIG, /* IPv4 total length past the frame */
	MU_UDPLEN_SMALL,
	MU_UDPLEN_BIG,
	MU_V6PLEN_BIG,
	MU_JUMBO, /* IPv6 payload length 0 with hop-by-hop */
	MU_PPPOE_VER,
	MU_PPPOE_LEN_BIG,
	MU_IPVER, /* version nibble 5 */
};

struct spec {
	const char *name;
	int linktype;
	enum link link;
	uint16_t tpid[3];
	size_t ntags;
	bool pppoe;
	int ipv;
	size_t v4opts;
	uint8_t ext[4];
	size_t next;
	uint8_t l4; /* 17 UDP, 115 L2TP, 50 ESP, 1 ICMP */
	uint16_t sport, dport;
	enum payload pl;
	enum mut mut;
	const uint16_t *ports;
	size_t nports;
	/* expected */
	enum l2tp_frame_kind kind;
	enum l2tp_frame_other other;
	enum l2tp_natt natt;
};

static size_t
make_payload(enum payload pl, uint8_t *out, size_t cap)
{
	struct l2tp_builder b;
	int n;

	switch (pl) {
	case PL_HELLO:
		l2tp_build_control(&b, out, cap, 1527, 0, 5, 7);
		l2tp_build_msg_type(&b, L2TP_HELLO);
		n = l2tp_build_end(&b);
		cr_assert_gt(n, 0);
		return (size_t)n;
	case PL_SCCRQ:
		l2tp_build_control(&b, out, cap, 0, 0, 0, 0);
		l2tp_build_msg_type(&b, L2TP_SCCRQ);
		l2tp_build_u16(&b, true, L2TP_AVP_PROTOCOL_VERSION, 0x0100);
		l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME,
		               "a-rather-long-host-name.lac.example.net");
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 4242);
		l2tp_build_str(
		    &b, false, L2TP_AVP_VENDOR_NAME,
		    "vendor name that makes the datagram span fragments");
		n = l2tp_build_end(&b);
		cr_assert_gt(n, 0);
		return (size_t)n;
	case PL_V3DATA:
		cr_assert_geq(cap, 16);
		memcpy(out,
		       "\x00\x00\x00\x01\x00\x00\x00\x00"
		       "\xff\xff\xff\xff\xff\xff\x08\x06",
		       16);
		return 16;
	case PL_ESP:
		memcpy(out, "\x0c\x0f\xfe\xe1\x00\x00\x00\x07\xaa\xbb\xcc\xdd",
		       12);
		return 12;
	case PL_IKE_NATT:
		memset(out, 0, 12);
		out[4] = 0x42;
		return 12;
	case PL_KEEPALIVE:
		out[0] = 0xff;
		return 1;
	}
	return 0;
}

struct built {
	struct fb f; /* the frame */
	size_t len;
	size_t ip_off, l4_off, pppoe_off;
	size_t l2tp_len;
	uint8_t l2tp[1500];
};

/* The IP datagram (header, extension headers, UDP) around a payload. */
static void
build_ip(const struct spec *s, struct fb *f, struct built *bt)
{
	size_t start = f->n, l4len;
	uint8_t l4proto = s->l4;

	l4len = bt->l2tp_len + (s->l4 == 17 ? 8 : 0);
	bt->ip_off = f->n;
	if (s->ipv == 4) {
		size_t hl = 20 + s->v4opts;

		p8(f, (uint8_t)(0x40 | (hl / 4)));
		p8(f, 0);
		p16(f, (uint16_t)(hl + l4len));
		p16(f, 0x1234);
		p16(f, 0x4000); /* DF */
		p8(f, 64);
		p8(f, l4proto);
		p16(f, 0);
		pn(f, SRC4, 4);
		pn(f, DST4, 4);
		for (size_t i = 0; i < s->v4opts; i++)
			p8(f, i + 1 == s->v4opts ? 0 : 1); /* NOPs, EOL */
	} else {
		uint8_t first = s->next ? s->ext[0] : l4proto;

		p32(f, 0x60000000);
		p16(f, (uint16_t)(8 * s->next + l4len));
		p8(f, first);
		p8(f, 64);
		pn(f, SRC6, 16);
		pn(f, DST6, 16);
		for (size_t i = 0; i < s->next; i++) {
			uint8_t nh = i + 1 < s->next ? s->ext[i + 1] : l4proto;

			if (s->ext[i] == 44) { /* atomic fragment */
				p8(f, nh);
				p8(f, 0);
				p16(f, 0);
				p32(f, 0xabcdef01);
			} else {
				p8(f, nh);
				p8(f, 0);
				p16(f, 0x0104); /* PadN option, 4 bytes */
				p32(f, 0);
			}
		}
	}
	bt->l4_off = f->n;
	if (s->l4 == 17) {
		p16(f, s->sport);
		p16(f, s->dport);
		p16(f, (uint16_t)l4len);
		p16(f, 0);
	}
	pn(f, bt->l2tp, bt->l2tp_len);
	(void)start;
}

static void
build(const struct spec *s, struct built *bt)
{
	uint16_t etype = s->ipv == 4 ? 0x0800 : 0x86dd;
	uint16_t ppp = s->ipv == 4 ? 0x0021 : 0x0057;

	memset(bt, 0, sizeof(*bt));
#define f (bt->f)
	bt->l2tp_len = make_payload(s->pl, bt->l2tp, sizeof(bt->l2tp));
	switch (s->link) {
	case LK_ETH:
		pn(&f, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
		for (size_t i = 0; i < s->ntags; i++) {
			p16(&f, s->tpid[i]);
			p16(&f, (uint16_t)(0x2000 | (100 + i)));
		}
		p16(&f, s->pppoe ? 0x8864 : etype);
		break;
	case LK_SLL:
		p16(&f, 0);
		p16(&f, 1);
		p16(&f, 6);
		pn(&f, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
		p16(&f, s->pppoe ? 0x8864 : etype);
		break;
	case LK_SLL2:
		p16(&f, s->pppoe ? 0x8864 : etype);
		p16(&f, 0);
		p32(&f, 3);
		p16(&f, 1);
		p8(&f, 4);
		p8(&f, 6);
		pn(&f, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
		break;
	case LK_NULL_LE:
		p8(&f, s->ipv == 4 ? 2 : 30);
		p8(&f, 0);
		p16(&f, 0);
		break;
	case LK_NULL_BE:
		p32(&f, s->ipv == 4 ? 2 : 24);
		break;
	case LK_PPP:
		p8(&f, 0xff);
		p8(&f, 0x03);
		p16(&f, ppp);
		break;
	case LK_PPP_PFC:
		p8(&f, (uint8_t)ppp);
		break;
	case LK_CHDLC:
		p8(&f, 0x0f);
		p8(&f, 0);
		p16(&f, etype);
		break;
	case LK_PPPOE_BARE:
	case LK_RAW:
	case LK_IPONLY:
		break;
	}
	if (s->pppoe || s->link == LK_PPPOE_BARE) {
		bt->pppoe_off = f.n;
		p8(&f, 0x11);
		p8(&f, 0);
		p16(&f, 0x0bad);
		p16(&f, 0); /* length, below */
		p16(&f, ppp);
	}
	build_ip(s, &f, bt);
	if (s->pppoe || s->link == LK_PPPOE_BARE)
		set16(&f, bt->pppoe_off + 4,
		      (uint16_t)(f.n - bt->pppoe_off - 6));
	switch (s->mut) {
	case MU_NONE:
		break;
	case MU_PAD:
		while (f.n < 60 + bt->ip_off)
			p8(&f, 0xee);
		break;
	case MU_IHL4:
		f.b[bt->ip_off] = 0x44;
		break;
	case MU_TOTLEN_BIG:
		set16(&f, bt->ip_off + 2, (uint16_t)(f.n - bt->ip_off + 1));
		break;
	case MU_UDPLEN_SMALL:
		set16(&f, bt->l4_off + 4, 7);
		break;
	case MU_UDPLEN_BIG:
		set16(&f, bt->l4_off + 4, (uint16_t)(f.n - bt->l4_off + 1));
		break;
	case MU_V6PLEN_BIG:
		set16(&f, bt->ip_off + 4, (uint16_t)(f.n - bt->ip_off - 39));
		break;
	case MU_JUMBO:
		set16(&f, bt->ip_off + 4, 0);
		break;
	case MU_PPPOE_VER:
		f.b[bt->pppoe_off] = 0x21;
		break;
	case MU_PPPOE_LEN_BIG:
		set16(&f, bt->pppoe_off + 4,
		      (uint16_t)(f.n - bt->pppoe_off - 6 + 1));
		break;
	case MU_IPVER:
		f.b[bt->ip_off] = (uint8_t)(0x50 | (f.b[bt->ip_off] & 0x0f));
		break;
	}
	bt->len = f.n;
#undef f
}

/* ---- the table of frames ---- */

static const uint16_t port1702[] = {1702};
static const uint16_t port_multi[] = {1702, 4242};

#define V4 .ipv = 4
#define V6 .ipv = 6
#define UDP(s, d) .l4 = 17, .sport = (s), .dport = (d)
#define L2TP_OK .kind = L2TP_FRAME_L2TP
#define IS_OTHER(o) .kind = L2TP_FRAME_OTHER, .other = (o)

static const struct spec cases[] = {
    {"eth v4 udp", 1, LK_ETH, V4, UDP(1701, 1701), L2TP_OK},
    {"eth v4 sport only", 1, LK_ETH, V4, UDP(1701, 40000), L2TP_OK},
    {"eth v4 dport only", 1, LK_ETH, V4, UDP(40000, 1701), L2TP_OK},
    {"eth v4 options", 1, LK_ETH, V4, .v4opts = 12, UDP(1701, 1701), L2TP_OK},
    {"eth v4 padded", 1, LK_ETH, V4, UDP(1701, 1701), .mut = MU_PAD, L2TP_OK},
    {"eth v6 udp", 1, LK_ETH, V6, UDP(1701, 1701), L2TP_OK},
    {"eth v6 ext headers", 1, LK_ETH, V6, .ext = {0, 43, 60, 44}, .next = 4,
     UDP(1701, 1701), L2TP_OK},
    {"eth v6 hop-by-hop 115", 1, LK_ETH, V6, .ext = {0}, .next = 1, .l4 = 115,
     .pl = PL_V3DATA, L2TP_OK},
    {"802.1Q", 1, LK_ETH, .tpid = {0x8100}, .ntags = 1, V4, UDP(1701, 1701),
     L2TP_OK},
    {"QinQ 802.1ad", 1, LK_ETH, .tpid = {0x88a8, 0x8100}, .ntags = 2, V4,
     UDP(1701, 1701), L2TP_OK},
    {"QinQ 0x9100 three tags", 1, LK_ETH, .tpid = {0x9100, 0x9100, 0x8100},
     .ntags = 3, V6, UDP(1701, 1701), L2TP_OK},
    {"PPPoE v4", 1, LK_ETH, .pppoe = true, V4, UDP(1701, 1701), L2TP_OK},
    {"PPPoE v6 in VLAN", 1, LK_ETH, .tpid = {0x8100}, .ntags = 1, .pppoe = true,
     V6, UDP(1701, 1701), L2TP_OK},
    {"SLL v4", 113, LK_SLL, V4, UDP(1701, 1701), L2TP_OK},
    {"SLL v6", 113, LK_SLL, V6, UDP(1701, 1701), L2TP_OK},
    {"SLL PPPoE", 113, LK_SLL, .pppoe = true, V4, UDP(1701, 1701), L2TP_OK},
    {"SLL2 v4", 276, LK_SLL2, V4, UDP(1701, 1701), L2TP_OK},
    {"SLL2 v6 115", 276, LK_SLL2, V6, .l4 = 115, .pl = PL_V3DATA, L2TP_OK},
    {"raw 101 v4", 101, LK_RAW, V4, UDP(1701, 1701), L2TP_OK},
    {"raw 101 v6", 101, LK_RAW, V6, UDP(1701, 1701), L2TP_OK},
    {"raw 12 v4", 12, LK_RAW, V4, UDP(1701, 1701), L2TP_OK},
    {"raw 14 v6", 14, LK_RAW, V6, UDP(1701, 1701), L2TP_OK},
    {"ipv4 228", 228, LK_IPONLY, V4, UDP(1701, 1701), L2TP_OK},
    {"ipv6 229", 229, LK_IPONLY, V6, UDP(1701, 1701), L2TP_OK},
    {"null little-endian v4", 0, LK_NULL_LE, V4, UDP(1701, 1701), L2TP_OK},
    {"null little-endian v6", 0, LK_NULL_LE, V6, UDP(1701, 1701), L2TP_OK},
    {"null big-endian v4", 0, LK_NULL_BE, V4, UDP(1701, 1701), L2TP_OK},
    {"loop v6", 108, LK_NULL_BE, V6, UDP(1701, 1701), L2TP_OK},
    {"PPP v4", 9, LK_PPP, V4, UDP(1701, 1701), L2TP_OK},
    {"PPP v6 compressed protocol", 9, LK_PPP_PFC, V6, UDP(1701, 1701), L2TP_OK},
    {"PPP serial", 50, LK_PPP, V4, UDP(1701, 1701), L2TP_OK},
    {"PPP_ETHER", 51, LK_PPPOE_BARE, V4, UDP(1701, 1701), L2TP_OK},
    {"Cisco HDLC", 104, LK_CHDLC, V6, UDP(1701, 1701), L2TP_OK},
    {"v4 ip 115", 1, LK_ETH, V4, .l4 = 115, .pl = PL_V3DATA, L2TP_OK},
    {"port option 1702", 1, LK_ETH, V4, UDP(5000, 1702), .ports = port1702,
     .nports = 1, L2TP_OK},
    {"port option list", 1, LK_ETH, V6, UDP(4242, 5000), .ports = port_multi,
     .nports = 2, L2TP_OK},
    {"1701 not asked for", 1, LK_ETH, V4, UDP(1701, 1701), .ports = port1702,
     .nports = 1, IS_OTHER(L2TP_OTHER_UDP)},
    {"udp other port", 1, LK_ETH, V4, UDP(53, 40000), IS_OTHER(L2TP_OTHER_UDP)},
    {"esp", 1, LK_ETH, V4, .l4 = 50, .pl = PL_ESP, IS_OTHER(L2TP_OTHER_ESP)},
    {"esp v6 after dest opts", 1, LK_ETH, V6, .ext = {60}, .next = 1, .l4 = 50,
     .pl = PL_ESP, IS_OTHER(L2TP_OTHER_ESP)},
    {"nat-t esp", 1, LK_ETH, V4, UDP(4500, 4500), .pl = PL_ESP,
     IS_OTHER(L2TP_OTHER_NATT), .natt = L2TP_NATT_ESP},
    {"nat-t ike", 1, LK_ETH, V4, UDP(4500, 4500), .pl = PL_IKE_NATT,
     IS_OTHER(L2TP_OTHER_NATT), .natt = L2TP_NATT_IKE},
    {"nat-t keepalive", 1, LK_ETH, V4, UDP(40000, 4500), .pl = PL_KEEPALIVE,
     IS_OTHER(L2TP_OTHER_NATT), .natt = L2TP_NATT_KEEPALIVE},
    {"ike 500", 1, LK_ETH, V6, UDP(500, 500), .pl = PL_IKE_NATT,
     IS_OTHER(L2TP_OTHER_IKE)},
    {"icmp", 1, LK_ETH, V4, .l4 = 1, .pl = PL_ESP, IS_OTHER(L2TP_OTHER_IP)},
    /* broken on purpose */
    {"ihl 4", 1, LK_ETH, V4, UDP(1701, 1701), .mut = MU_IHL4,
     .kind = L2TP_FRAME_MALFORMED},
    {"ip total length past the frame", 1, LK_ETH, V4, UDP(1701, 1701),
     .mut = MU_TOTLEN_BIG, .kind = L2TP_FRAME_MALFORMED},
    {"udp length 7", 1, LK_ETH, V4, UDP(1701, 1701), .mut = MU_UDPLEN_SMALL,
     .kind = L2TP_FRAME_MALFORMED},
    {"udp length past ip", 1, LK_ETH, V6, UDP(1701, 1701), .mut = MU_UDPLEN_BIG,
     .kind = L2TP_FRAME_MALFORMED},
    {"v6 payload length past the frame", 1, LK_ETH, V6, UDP(1701, 1701),
     .mut = MU_V6PLEN_BIG, .kind = L2TP_FRAME_MALFORMED},
    {"v6 jumbogram", 1, LK_ETH, V6, .ext = {0}, .next = 1, UDP(1701, 1701),
     .mut = MU_JUMBO, .kind = L2TP_FRAME_UNSUPPORTED},
    {"pppoe version 2", 1, LK_ETH, .pppoe = true, V4, UDP(1701, 1701),
     .mut = MU_PPPOE_VER, .kind = L2TP_FRAME_UNSUPPORTED},
    {"pppoe length past the frame", 1, LK_ETH, .pppoe = true, V4,
     UDP(1701, 1701), .mut = MU_PPPOE_LEN_BIG, .kind = L2TP_FRAME_MALFORMED},
    {"raw ip version 5", 101, LK_RAW, V4, UDP(1701, 1701), .mut = MU_IPVER,
     .kind = L2TP_FRAME_MALFORMED},
    {"unknown link type", 147, LK_RAW, V4, UDP(1701, 1701),
     .kind = L2TP_FRAME_UNSUPPORTED},
};

static void
opts_of(const struct spec *s, struct l2tp_frame_opts *o)
{
	o->ports = s->ports;
	o->nports = s->nports;
}

static void
check_full(const struct spec *s, const struct built *bt,
           const struct l2tp_frame *fr)
{
	char a[64], b[64];

	cr_expect_eq(fr->kind, s->kind, "%s: kind %d, want %d (%s)", s->name,
	             fr->kind, s->kind, fr->why);
	if (fr->kind != s->kind)
		return;
	if (s->kind != L2TP_FRAME_L2TP && s->kind != L2TP_FRAME_OTHER) {
		cr_expect_neq(fr->why[0], '\0', "%s: no reason given", s->name);
		return;
	}
	cr_expect_eq(fr->why[0], '\0', "%s: why '%s'", s->name, fr->why);
	if (s->kind == L2TP_FRAME_OTHER) {
		cr_expect_eq(fr->other, s->other, "%s: other %d, want %d",
		             s->name, fr->other, s->other);
		if (s->other == L2TP_OTHER_NATT)
			cr_expect_eq(fr->natt, s->natt, "%s: natt %d", s->name,
			             fr->natt);
		return;
	}
	l2tp_ipaddr_str(&fr->src, a, sizeof(a));
	l2tp_ipaddr_str(&fr->dst, b, sizeof(b));
	cr_expect_str_eq(a, s->ipv == 4 ? "192.0.2.1" : "2001:db8::1", "%s",
	                 s->name);
	cr_expect_str_eq(b, s->ipv == 4 ? "198.51.100.2" : "2001:db8::2", "%s",
	                 s->name);
	cr_expect_eq(fr->ipproto, s->l4, "%s", s->name);
	cr_expect_eq(fr->sport, s->l4 == 17 ? s->sport : 0, "%s", s->name);
	cr_expect_eq(fr->dport, s->l4 == 17 ? s->dport : 0, "%s", s->name);
	cr_expect_eq(fr->transport, s->l4 == 17 ? L2TP_UDP : L2TP_IP, "%s",
	             s->name);
	cr_expect_eq(fr->caplen, bt->l2tp_len, "%s: caplen %zu want %zu",
	             s->name, fr->caplen, bt->l2tp_len);
	cr_expect_eq(fr->wirelen, bt->l2tp_len, "%s", s->name);
	cr_expect(fr->caplen == bt->l2tp_len &&
	              memcmp(fr->l2tp, bt->l2tp, bt->l2tp_len) == 0,
	          "%s: L2TP bytes differ", s->name);
	cr_expect_eq(fr->nvlan, s->ntags < 2 ? s->ntags : 2, "%s", s->name);
	for (size_t i = 0; i < fr->nvlan; i++)
		cr_expect_eq(fr->vlan[i], 100 + i, "%s: vlan %zu", s->name, i);
	cr_expect_eq(fr->pppoe, s->pppoe || s->link == LK_PPPOE_BARE, "%s",
	             s->name);
	if (fr->pppoe)
		cr_expect_eq(fr->pppoe_session, 0x0bad, "%s", s->name);
	cr_expect(!fr->reassembled, "%s", s->name);
}

Test(frame, table)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	struct l2tp_frame fr;
	struct l2tp_frame_opts o;
	static struct built bt;

	cr_assert_not_null(ra);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct spec *s = &cases[i];
		uint8_t *copy;

		build(s, &bt);
		opts_of(s, &o);
		copy = malloc(bt.len);
		memcpy(copy, bt.f.b, bt.len);
		cr_assert_eq(l2tp_frame_decode(s->linktype, copy, bt.len,
		                               bt.len, &o, ra, &fr),
		             0);
		check_full(s, &bt, &fr);
		free(copy);
	}
	l2tp_reasm_free(ra);
}

/*
 * Every valid frame cut at every shorter length, in a buffer of exactly
 * that size (so ASan sees any read past it): cut by the capture it is
 * TRUNCATED or still what it was (with the L2TP bytes inside the capture);
 * really that short it is never TRUNCATED and never a crash.
 */
Test(frame, every_shorter_length)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	struct l2tp_frame fr;
	struct l2tp_frame_opts o;
	static struct built bt;
	size_t ntrunc = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct spec *s = &cases[i];

		if (s->kind != L2TP_FRAME_L2TP && s->kind != L2TP_FRAME_OTHER)
			continue;
		build(s, &bt);
		opts_of(s, &o);
		for (size_t cut = 0; cut < bt.len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);

			memcpy(copy, bt.f.b, cut);
			l2tp_frame_decode(s->linktype, copy, cut, bt.len, &o,
			                  ra, &fr);
			cr_assert(fr.kind == L2TP_FRAME_TRUNCATED ||
			              fr.kind == s->kind,
			          "%s cut at %zu: kind %d (%s)", s->name, cut,
			          fr.kind, fr.why);
			if (fr.kind == L2TP_FRAME_TRUNCATED) {
				ntrunc++;
				cr_assert_neq(fr.why[0], '\0');
			}
			if (fr.kind == L2TP_FRAME_L2TP) {
				cr_assert(
				    fr.l2tp >= copy && fr.caplen <= cut &&
				        fr.l2tp + fr.caplen <= copy + cut,
				    "%s cut at %zu: L2TP bytes outside the "
				    "capture",
				    s->name, cut);
				cr_assert_eq(fr.wirelen, bt.l2tp_len,
				             "%s cut at %zu", s->name, cut);
				cr_assert(memcmp(fr.l2tp, bt.l2tp, fr.caplen) ==
				          0);
			}
			l2tp_frame_decode(s->linktype, copy, cut, cut, &o, ra,
			                  &fr);
			cr_assert_neq(fr.kind, L2TP_FRAME_TRUNCATED,
			              "%s really %zu bytes: called truncated",
			              s->name, cut);
			if (fr.kind == L2TP_FRAME_L2TP)
				cr_assert(fr.l2tp >= copy &&
				          fr.l2tp + fr.caplen <= copy + cut &&
				          fr.caplen == fr.wirelen);
			free(copy);
		}
	}
	cr_assert_gt(ntrunc, 500);
	l2tp_reasm_free(ra);
}

Test(frame, null_frame_pointer)
{
	struct l2tp_frame fr;

	l2tp_frame_decode(1, NULL, 0, 60, NULL, NULL, &fr);
	cr_assert_eq(fr.kind, L2TP_FRAME_TRUNCATED);
	l2tp_frame_decode(1, NULL, 0, 0, NULL, NULL, &fr);
	cr_assert_eq(fr.kind, L2TP_FRAME_MALFORMED);
}

/* ---- fragments ---- */

/* A UDP/L2TP datagram (the IP payload) to cut into fragments. */
static size_t
udp_datagram(uint8_t *out, size_t cap, uint16_t sport, uint16_t dport,
             uint8_t *l2tp, size_t *l2tp_len)
{
	size_t n = make_payload(PL_SCCRQ, l2tp, 1500);
	struct fb f = {.n = 0};

	p16(&f, sport);
	p16(&f, dport);
	p16(&f, (uint16_t)(n + 8));
	p16(&f, 0xbeef);
	pn(&f, l2tp, n);
	cr_assert_leq(f.n, cap);
	memcpy(out, f.b, f.n);
	*l2tp_len = n;
	return f.n;
}

/* An Ethernet frame holding one IPv4 (or IPv6) fragment of `dg`. */
static size_t
frag_frame(int ipv, uint8_t proto, const uint8_t *dg, size_t off, size_t len,
           bool mf, uint32_t id, uint8_t *out)
{
	struct fb f = {.n = 0};

	pn(&f, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
	if (ipv == 4) {
		p16(&f, 0x0800);
		p8(&f, 0x45);
		p8(&f, 0);
		p16(&f, (uint16_t)(20 + len));
		p16(&f, (uint16_t)id);
		p16(&f, (uint16_t)((mf ? 0x2000 : 0) | (off / 8)));
		p8(&f, 64);
		p8(&f, proto);
		p16(&f, 0);
		pn(&f, SRC4, 4);
		pn(&f, DST4, 4);
	} else {
		p16(&f, 0x86dd);
		p32(&f, 0x60000000);
		p16(&f, (uint16_t)(8 + len));
		p8(&f, 44);
		p8(&f, 64);
		pn(&f, SRC6, 16);
		pn(&f, DST6, 16);
		p8(&f, proto);
		p8(&f, 0);
		p16(&f, (uint16_t)(off | (mf ? 1 : 0)));
		p32(&f, id);
	}
	pn(&f, dg + off, len);
	memcpy(out, f.b, f.n);
	return f.n;
}

struct piece {
	size_t off, len;
	bool mf;
};

struct fragrun {
	uint8_t dg[2000];
	size_t dglen;
	uint8_t l2tp[1500];
	size_t l2tp_len;
	struct l2tp_frame last;
	size_t nl2tp, nfrag, nother;
};

/* Feed pieces in the order given; remember the last outcome. */
static void
feed(struct l2tp_reasm *ra, int ipv, uint8_t proto, uint32_t id,
     struct fragrun *fr, const struct piece *pc, size_t n)
{
	uint8_t frame[2100];

	for (size_t i = 0; i < n; i++) {
		size_t len = frag_frame(ipv, proto, fr->dg, pc[i].off,
		                        pc[i].len, pc[i].mf, id, frame);
		uint8_t *copy = malloc(len);

		memcpy(copy, frame, len);
		l2tp_frame_decode(1, copy, len, len, NULL, ra, &fr->last);
		switch (fr->last.kind) {
		case L2TP_FRAME_L2TP:
			fr->nl2tp++;
			/* the bytes live in the table, not in the frame */
			cr_assert(fr->last.reassembled);
			cr_assert_eq(fr->last.caplen, fr->l2tp_len);
			cr_assert_eq(fr->last.wirelen, fr->l2tp_len);
			cr_assert(
			    memcmp(fr->last.l2tp, fr->l2tp, fr->l2tp_len) == 0,
			    "reassembled bytes differ");
			break;
		case L2TP_FRAME_FRAGMENT:
			fr->nfrag++;
			cr_assert_neq(fr->last.why[0], '\0');
			break;
		case L2TP_FRAME_OTHER:
			fr->nother++;
			break;
		default:
			cr_assert_fail("piece %zu: kind %d (%s)", i,
			               fr->last.kind, fr->last.why);
		}
		free(copy);
	}
}

static void
prepare(struct fragrun *fr, uint16_t sport, uint16_t dport)
{
	memset(fr, 0, sizeof(*fr));
	fr->dglen = udp_datagram(fr->dg, sizeof(fr->dg), sport, dport, fr->l2tp,
	                         &fr->l2tp_len);
	cr_assert_gt(fr->dglen, 96);
}

/* Pieces of 32 bytes, the last one holding the rest. */
static size_t
split(const struct fragrun *fr, struct piece *pc)
{
	size_t n = 0;

	for (size_t off = 0; off < fr->dglen; off += 32) {
		pc[n].off = off;
		pc[n].len = fr->dglen - off > 32 ? 32 : fr->dglen - off;
		pc[n].mf = off + 32 < fr->dglen;
		n++;
	}
	return n;
}

Test(frame, fragments_in_order_v4)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64];
	struct l2tp_reasm_stats st;
	size_t n;
	char a[64];

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	feed(ra, 4, 17, 0x77, &fr, pc, n);
	cr_assert_eq(fr.nfrag, n - 1);
	cr_assert_eq(fr.nl2tp, 1);
	cr_assert_eq(fr.last.kind, L2TP_FRAME_L2TP);
	cr_assert_eq(fr.last.nfrags, n);
	cr_assert_eq(fr.last.sport, 1701);
	cr_assert_eq(fr.last.transport, L2TP_UDP);
	cr_assert_str_eq(l2tp_ipaddr_str(&fr.last.src, a, sizeof(a)),
	                 "192.0.2.1");
	l2tp_reasm_get_stats(ra, &st);
	cr_assert_eq(st.completed, 1);
	cr_assert_eq(st.pending, 0);
	cr_assert_eq(st.dropped, 0);
	l2tp_reasm_free(ra);
}

Test(frame, fragments_out_of_order_v4_and_v6)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64], rev[64];
	size_t n;

	for (int ipv = 4; ipv <= 6; ipv += 2) {
		prepare(&fr, 40000, 1701);
		n = split(&fr, pc);
		for (size_t i = 0; i < n; i++)
			rev[i] = pc[n - 1 - i];
		/* last first, then the rest backwards, first piece last */
		feed(ra, ipv, 17, 0x1234, &fr, rev, n);
		cr_assert_eq(fr.nl2tp, 1, "IPv%d", ipv);
		cr_assert_eq(fr.last.kind, L2TP_FRAME_L2TP);
		cr_assert_eq(fr.last.dport, 1701);
		cr_assert_eq(fr.last.src.family, ipv);
	}
	l2tp_reasm_free(ra);
}

Test(frame, fragment_missing)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64];
	struct l2tp_reasm_stats st;
	size_t n;

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	pc[2] = pc[n - 1]; /* the third piece never comes */
	feed(ra, 4, 17, 9, &fr, pc, n - 1);
	cr_assert_eq(fr.nl2tp, 0);
	cr_assert_eq(fr.nfrag, n - 1);
	cr_assert(strstr(fr.last.why, "held") != NULL, "%s", fr.last.why);
	l2tp_reasm_get_stats(ra, &st);
	cr_assert_eq(st.pending, 1);
	cr_assert_eq(st.completed, 0);
	l2tp_reasm_free(ra);
}

Test(frame, fragment_overlap_same_bytes)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[66];
	struct l2tp_reasm_stats st;
	size_t n;

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	/* a duplicate of piece 1 and one straddling pieces 1 and 2 */
	pc[n] = pc[n - 1];
	pc[n - 1] = (struct piece){16, 48, true};
	pc[n + 1] = pc[1];
	{
		struct piece t = pc[n];

		pc[n] = pc[n + 1];
		pc[n + 1] = t; /* the last piece last */
	}
	feed(ra, 4, 17, 10, &fr, pc, n + 2);
	cr_assert_eq(fr.nl2tp, 1);
	cr_assert_eq(fr.last.kind, L2TP_FRAME_L2TP);
	l2tp_reasm_get_stats(ra, &st);
	cr_assert_gt(st.overlaps, 0);
	cr_assert_eq(st.dropped, 0);
	l2tp_reasm_free(ra);
}

Test(frame, fragment_overlap_different_bytes)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64];
	struct l2tp_reasm_stats st;
	uint8_t frame[2100], *copy;
	size_t n, len;
	struct l2tp_frame out;

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	feed(ra, 4, 17, 11, &fr, pc, 2);
	/* piece 1 again, with other bytes */
	fr.dg[40] ^= 0x5a;
	len = frag_frame(4, 17, fr.dg, 32, 32, true, 11, frame);
	copy = malloc(len);
	memcpy(copy, frame, len);
	l2tp_frame_decode(1, copy, len, len, NULL, ra, &out);
	free(copy);
	cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
	cr_assert(strstr(out.why, "cannot reassemble") &&
	              strstr(out.why, "differ"),
	          "%s", out.why);
	fr.dg[40] ^= 0x5a;
	feed(ra, 4, 17, 11, &fr, pc + 2, n - 2);
	cr_assert_eq(fr.nl2tp, 0, "an inconsistent datagram was read");
	cr_assert(strstr(fr.last.why, "cannot reassemble"), "%s", fr.last.why);
	l2tp_reasm_get_stats(ra, &st);
	cr_assert_eq(st.dropped, 1);
	l2tp_reasm_free(ra);
}

Test(frame, fragments_without_table)
{
	static struct fragrun fr;
	struct piece pc[64];
	uint8_t frame[2100];
	struct l2tp_frame out;
	size_t n, len;

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	for (size_t i = 0; i < n; i++) {
		len = frag_frame(6, 17, fr.dg, pc[i].off, pc[i].len, pc[i].mf,
		                 5, frame);
		l2tp_frame_decode(1, frame, len, len, NULL, NULL, &out);
		cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
		cr_assert(strstr(out.why, "not reassembled"), "%s", out.why);
		if (i == 0)
			cr_assert_eq(out.sport, 1701);
	}
}

Test(frame, fragments_of_other_traffic)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64];
	size_t n;

	prepare(&fr, 2049, 800); /* NFS, say */
	n = split(&fr, pc);
	feed(ra, 4, 17, 12, &fr, pc, n);
	cr_assert_eq(fr.nl2tp, 0);
	cr_assert_eq(fr.nother, n);
	cr_assert_eq(fr.last.other, L2TP_OTHER_UDP);
	/* ESP fragments are classified, not held */
	prepare(&fr, 1701, 1701);
	feed(ra, 4, 50, 13, &fr, pc, 2);
	cr_assert_eq(fr.nother, 2);
	cr_assert_eq(fr.last.other, L2TP_OTHER_ESP);
	l2tp_reasm_free(ra);
}

Test(frame, fragment_bad_shapes)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	uint8_t frame[2100];
	struct l2tp_frame out;
	size_t len;

	prepare(&fr, 1701, 1701);
	/* a non-final fragment of 30 bytes */
	len = frag_frame(4, 17, fr.dg, 0, 30, true, 20, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, ra, &out);
	cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
	cr_assert(strstr(out.why, "multiple of 8"), "%s", out.why);
	/* a fragment cut by the capture */
	len = frag_frame(4, 17, fr.dg, 0, 64, true, 21, frame);
	l2tp_frame_decode(1, frame, len - 10, len, NULL, ra, &out);
	cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
	cr_assert(strstr(out.why, "cut short by the capture"), "%s", out.why);
	/* two last fragments that disagree */
	len = frag_frame(4, 17, fr.dg, 64, 40, false, 22, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, ra, &out);
	len = frag_frame(4, 17, fr.dg, 64, 48, false, 22, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, ra, &out);
	cr_assert(strstr(out.why, "two last fragments"), "%s", out.why);
	l2tp_reasm_free(ra);
}

Test(frame, fragment_past_65535)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	uint8_t dg[70000] = {0};
	uint8_t frame[2100];
	struct l2tp_frame out;
	size_t len;

	len = frag_frame(4, 17, dg, 65528, 16, false, 30, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, ra, &out);
	cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
	cr_assert(strstr(out.why, "65535"), "%s", out.why);
	l2tp_reasm_free(ra);
}

Test(frame, fragment_table_evicts_oldest)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr;
	struct piece pc[64];
	struct l2tp_reasm_stats st;
	size_t n;

	prepare(&fr, 1701, 1701);
	n = split(&fr, pc);
	/* the first piece of 40 datagrams, then the rest of the last one */
	for (uint32_t id = 100; id < 140; id++)
		feed(ra, 4, 17, id, &fr, pc, 1);
	feed(ra, 4, 17, 139, &fr, pc + 1, n - 1);
	cr_assert_eq(fr.nl2tp, 1);
	/* the rest of the first one no longer completes */
	feed(ra, 4, 17, 100, &fr, pc + 1, n - 1);
	cr_assert_eq(fr.nl2tp, 1);
	l2tp_reasm_get_stats(ra, &st);
	cr_assert_geq(st.evicted, 20);
	cr_assert_leq(st.pending, 16);
	l2tp_reasm_free(ra);
}

Test(frame, ipaddr_str)
{
	struct l2tp_ipaddr a = {.family = 4, .a = {10, 0, 0, 1}};
	struct l2tp_ipaddr b = {.family = 6,
	                        .a = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	struct l2tp_ipaddr none = {.family = 0};
	char buf[46];

	cr_assert_str_eq(l2tp_ipaddr_str(&a, buf, sizeof(buf)), "10.0.0.1");
	cr_assert_str_eq(l2tp_ipaddr_str(&b, buf, sizeof(buf)), "2001:db8::1");
	cr_assert_str_eq(l2tp_ipaddr_str(&none, buf, sizeof(buf)), "-");
}

Test(frame, link_names)
{
	cr_assert_str_eq(l2tp_frame_link_name(1), "Ethernet");
	cr_assert_str_eq(l2tp_frame_link_name(276), "Linux cooked (SLL2)");
	cr_assert_null(l2tp_frame_link_name(147));
}

/* IPv6: a Destination Options header inside the fragmentable part. */
Test(frame, fragments_v6_with_extension_header_inside)
{
	struct l2tp_reasm *ra = l2tp_reasm_new();
	static struct fragrun fr, inner;
	struct piece pc[64];
	size_t n;

	prepare(&inner, 1701, 1701);
	memset(&fr, 0, sizeof(fr));
	/* next header UDP, length 0 (8 bytes), a PadN option */
	memcpy(fr.dg, "\x11\x00\x01\x04\x00\x00\x00\x00", 8);
	memcpy(fr.dg + 8, inner.dg, inner.dglen);
	fr.dglen = inner.dglen + 8;
	memcpy(fr.l2tp, inner.l2tp, inner.l2tp_len);
	fr.l2tp_len = inner.l2tp_len;
	n = split(&fr, pc);
	feed(ra, 6, 60, 0x5150, &fr, pc + 1, n - 1);
	cr_assert_eq(fr.nl2tp, 0);
	feed(ra, 6, 60, 0x5150, &fr, pc, 1);
	cr_assert_eq(fr.nl2tp, 1);
	cr_assert_eq(fr.last.ipproto, 17);
	cr_assert_eq(fr.last.sport, 1701);
	l2tp_reasm_free(ra);
}

/* ---- tunnels: IP-in-IP, 6in4, GRE, GRE-encapsulated Ethernet, ERSPAN ---- */

static void
outer_ipv4(struct fb *f, uint8_t proto, size_t inner_len)
{
	pn(f, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00", 14);
	p8(f, 0x45);
	p8(f, 0);
	p16(f, (uint16_t)(20 + inner_len));
	p32(f, 0);
	p8(f, 64);
	p8(f, proto);
	p16(f, 0);
	pn(f, "\x0a\x09\x09\x01\x0a\x09\x09\x02", 8);
}

enum tun { TU_IPIP, TU_6IN4, TU_GRE_KEY, TU_GRE_TEB, TU_ERSPAN2, TU_PPTP };

static size_t
tunnel_frame(enum tun t, const struct built *in, uint8_t *out)
{
	struct fb g = {.n = 0}, f = {.n = 0};
	static const uint8_t mac[] = "\x00\x01\x02\x03\x04\x05\x06\x07"
	                             "\x08\x09\x0a\x0b\x08\x00";
	uint8_t proto = t == TU_IPIP ? 4 : t == TU_6IN4 ? 41 : 47;

	switch (t) {
	case TU_IPIP:
	case TU_6IN4:
		break;
	case TU_GRE_KEY:
		p16(&g, 0x2000);
		p16(&g, 0x0800);
		p32(&g, 0xfeedf00d);
		break;
	case TU_GRE_TEB:
		p16(&g, 0);
		p16(&g, 0x6558);
		pn(&g, mac, 14);
		break;
	case TU_ERSPAN2:
		p16(&g, 0x1000);
		p16(&g, 0x88be);
		p32(&g, 77); /* GRE sequence */
		pn(&g, "\x10\x05\x00\x00\x00\x00\x00\x09", 8); /* ERSPAN */
		pn(&g, mac, 14);
		break;
	case TU_PPTP:
		p16(&g, 0x3001); /* K, S, version 1 */
		p16(&g, 0x880b);
		p32(&g, 0);
		p32(&g, 0);
		break;
	}
	pn(&g, in->f.b, in->len);
	outer_ipv4(&f, proto, g.n);
	pn(&f, g.b, g.n);
	memcpy(out, f.b, f.n);
	return f.n;
}

Test(frame, tunnels)
{
	static const struct spec raw4 = {"inner v4",      101,    LK_RAW, V4,
	                                 UDP(1701, 1701), L2TP_OK};
	static const struct spec raw6 = {"inner v6",       101,    LK_RAW, V6,
	                                 UDP(40000, 1701), L2TP_OK};
	static const struct {
		enum tun t;
		bool v6;
		enum l2tp_frame_kind kind;
	} tc[] = {
	    {TU_IPIP, false, L2TP_FRAME_L2TP},
	    {TU_6IN4, true, L2TP_FRAME_L2TP},
	    {TU_GRE_KEY, false, L2TP_FRAME_L2TP},
	    {TU_GRE_TEB, false, L2TP_FRAME_L2TP},
	    {TU_ERSPAN2, false, L2TP_FRAME_L2TP},
	    {TU_PPTP, false, L2TP_FRAME_OTHER},
	};
	static struct built in;
	uint8_t frame[2000];
	struct l2tp_frame fr;
	char a[64];

	for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		size_t len;

		build(tc[i].v6 ? &raw6 : &raw4, &in);
		len = tunnel_frame(tc[i].t, &in, frame);
		l2tp_frame_decode(1, frame, len, len, NULL, NULL, &fr);
		cr_assert_eq(fr.kind, tc[i].kind, "tunnel %zu: kind %d (%s)", i,
		             fr.kind, fr.why);
		if (fr.kind != L2TP_FRAME_L2TP)
			continue;
		cr_assert_str_eq(l2tp_ipaddr_str(&fr.src, a, sizeof(a)),
		                 tc[i].v6 ? "2001:db8::1" : "192.0.2.1");
		cr_assert_eq(fr.dport, 1701);
		cr_assert_eq(fr.caplen, in.l2tp_len);
		cr_assert(memcmp(fr.l2tp, in.l2tp, in.l2tp_len) == 0);
		for (size_t cut = 0; cut < len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);

			memcpy(copy, frame, cut);
			l2tp_frame_decode(1, copy, cut, len, NULL, NULL, &fr);
			cr_assert(fr.kind == L2TP_FRAME_TRUNCATED ||
			              (fr.kind == L2TP_FRAME_L2TP &&
			               fr.l2tp + fr.caplen <= copy + cut),
			          "tunnel %zu cut at %zu: kind %d (%s)", i, cut,
			          fr.kind, fr.why);
			free(copy);
		}
	}
}

/* Tunnels in tunnels stop at a bound instead of recursing on. */
Test(frame, tunnel_nesting_bounded)
{
	static const struct spec raw4 = {"inner v4",      101,    LK_RAW, V4,
	                                 UDP(1701, 1701), L2TP_OK};
	static struct built in;
	struct fb f, g;
	struct l2tp_frame fr;
	uint8_t *p;
	size_t len;

	build(&raw4, &in);
	memcpy(g.b, in.f.b, in.len);
	g.n = in.len;
	for (int depth = 1; depth <= 6; depth++) {
		/* wrap in one more IPv4-in-IPv4 header (no Ethernet) */
		f.n = 0;
		p8(&f, 0x45);
		p8(&f, 0);
		p16(&f, (uint16_t)(20 + g.n));
		p32(&f, 0);
		p8(&f, 64);
		p8(&f, 4);
		p16(&f, 0);
		pn(&f, "\x0a\x09\x09\x01\x0a\x09\x09\x02", 8);
		pn(&f, g.b, g.n);
		memcpy(g.b, f.b, f.n);
		g.n = f.n;
		len = g.n;
		p = g.b;
		l2tp_frame_decode(101, p, len, len, NULL, NULL, &fr);
		cr_assert_eq(fr.kind,
		             depth <= 4 ? L2TP_FRAME_L2TP : L2TP_FRAME_OTHER,
		             "depth %d: kind %d", depth, fr.kind);
	}
}

/* Without a table, a first fragment to other ports is still classified. */
Test(frame, first_fragment_other_ports_without_table)
{
	static struct fragrun fr;
	uint8_t frame[2100];
	struct l2tp_frame out;
	size_t len;

	prepare(&fr, 4500, 4500);
	len = frag_frame(4, 17, fr.dg, 0, 32, true, 40, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, NULL, &out);
	cr_assert_eq(out.kind, L2TP_FRAME_OTHER);
	cr_assert_eq(out.other, L2TP_OTHER_NATT);
	len = frag_frame(4, 17, fr.dg, 32, 32, true, 40, frame);
	l2tp_frame_decode(1, frame, len, len, NULL, NULL, &out);
	cr_assert_eq(out.kind, L2TP_FRAME_FRAGMENT);
}
