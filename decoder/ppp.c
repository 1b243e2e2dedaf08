/* PPP and pseudowire Ethernet payload decoder for L2TP data messages (RFC 1661
 * §2, §5-6; RFC 1332; RFC 5072; RFC 1334; RFC 1994; RFC 4719). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/rd.h"

struct proto_info {
	uint16_t proto;
	const char *name;
	const char *key;
};

static const struct proto_info protos[] = {
    {0x0021, "IP", "ip"},
    {0x002d, "VJ-Compressed-TCP/IP", "vj_compressed"},
    {0x002f, "VJ-Uncompressed-TCP/IP", "vj_uncompressed"},
    {0x0031, "Bridging-PDU", "bridging"},
    {0x003d, "MP", "mp"},
    {0x0057, "IPv6", "ipv6"},
    {0x00fb, "Compressed-Datagram (link)", "compressed_link"},
    {0x00fd, "Compressed-Datagram", "compressed"},
    {0x0281, "MPLS", "mpls"},
    {0x8021, "IPCP", "ipcp"},
    {0x8031, "BCP", "bcp"},
    {0x8057, "IPV6CP", "ipv6cp"},
    {0x80fb, "CCP (link)", "ccp_link"},
    {0x80fd, "CCP", "ccp"},
    {0x8281, "MPLSCP", "mplscp"},
    {0xc021, "LCP", "lcp"},
    {0xc023, "PAP", "pap"},
    {0xc025, "LQR", "lqr"},
    {0xc223, "CHAP", "chap"},
    {0xc227, "EAP", "eap"},
};

static const struct proto_info *
proto_find(uint16_t proto)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return &protos[i];
	return NULL;
}

const char *
l2tp_ppp_proto_name(uint16_t proto)
{
	const struct proto_info *pi = proto_find(proto);

	return pi ? pi->name : NULL;
}

const char *
l2tp_ppp_proto_key(uint16_t proto)
{
	const struct proto_info *pi = proto_find(proto);

	return pi ? pi->key : NULL;
}

bool
l2tp_ppp_is_cp(uint16_t proto)
{
	/* Network control protocols are 0x8xxx; LCP-format link ones 0xc0xx
	 * except the authentication protocols with their own formats. */
	if (proto == L2TP_PPP_PAP || proto == L2TP_PPP_CHAP ||
	    proto == 0xc025 || proto == 0xc227)
		return false;
	return (proto & 0xf000u) == 0x8000u || (proto & 0xf000u) == 0xc000u;
}

/* LCP codes (RFC 1661 §5, RFC 1570); NCPs use 1-7, CCP adds 14-15. */
static const char *const lcp_codes[] = {
    [1] = "Configure-Request", [2] = "Configure-Ack",
    [3] = "Configure-Nak",     [4] = "Configure-Reject",
    [5] = "Terminate-Request", [6] = "Terminate-Ack",
    [7] = "Code-Reject",       [8] = "Protocol-Reject",
    [9] = "Echo-Request",      [10] = "Echo-Reply",
    [11] = "Discard-Request",  [12] = "Identification",
    [13] = "Time-Remaining",   [14] = "Reset-Request",
    [15] = "Reset-Ack",
};
static const char *const pap_codes[] = {
    [1] = "Authenticate-Request",
    [2] = "Authenticate-Ack",
    [3] = "Authenticate-Nak",
};
static const char *const chap_codes[] = {
    [1] = "Challenge",
    [2] = "Response",
    [3] = "Success",
    [4] = "Failure",
};

const char *
l2tp_ppp_code_name(uint16_t proto, uint8_t code)
{
	if (proto == L2TP_PPP_PAP)
		return code < 4 ? pap_codes[code] : NULL;
	if (proto == L2TP_PPP_CHAP)
		return code < 5 ? chap_codes[code] : NULL;
	if (!l2tp_ppp_is_cp(proto))
		return NULL;
	if (proto == L2TP_PPP_LCP)
		return code < 14 ? lcp_codes[code] : NULL;
	if (proto == L2TP_PPP_CCP || proto == 0x80fb)
		return code < 16 && (code < 8 || code > 13) ? lcp_codes[code]
		                                            : NULL;
	return code < 8 ? lcp_codes[code] : NULL;
}

struct opt_info {
	uint16_t proto;
	uint8_t type;
	const char *name;
	const char *label; /* one-line form; NULL: shown by number */
	enum l2tp_ppp_okind kind;
};

static const struct opt_info opts[] = {
    /* LCP (RFC 1661 §6, RFC 1570, RFC 1990) */
    {L2TP_PPP_LCP, 1, "Maximum-Receive-Unit", "mru", L2TP_PPP_O_U16},
    {L2TP_PPP_LCP, 2, "Async-Control-Character-Map", "accm", L2TP_PPP_O_HEX32},
    {L2TP_PPP_LCP, 3, "Authentication-Protocol", "auth", L2TP_PPP_O_AUTH},
    {L2TP_PPP_LCP, 4, "Quality-Protocol", "quality", L2TP_PPP_O_PROTO},
    {L2TP_PPP_LCP, 5, "Magic-Number", "magic", L2TP_PPP_O_HEX32},
    {L2TP_PPP_LCP, 7, "Protocol-Field-Compression", "pfc", L2TP_PPP_O_EMPTY},
    {L2TP_PPP_LCP, 8, "Address-and-Control-Field-Compression", "acfc",
     L2TP_PPP_O_EMPTY},
    {L2TP_PPP_LCP, 13, "Callback", "callback", L2TP_PPP_O_BYTES},
    {L2TP_PPP_LCP, 17, "Multilink-MRRU", "mrru", L2TP_PPP_O_U16},
    {L2TP_PPP_LCP, 18, "Multilink-Short-Sequence", "ssnhf", L2TP_PPP_O_EMPTY},
    {L2TP_PPP_LCP, 19, "Endpoint-Discriminator", "ed", L2TP_PPP_O_BYTES},
    /* IPCP (RFC 1332, RFC 1877) */
    {L2TP_PPP_IPCP, 1, "IP-Addresses", "addrs", L2TP_PPP_O_BYTES},
    {L2TP_PPP_IPCP, 2, "IP-Compression-Protocol", "comp", L2TP_PPP_O_PROTO},
    {L2TP_PPP_IPCP, 3, "IP-Address", "addr", L2TP_PPP_O_IPV4},
    {L2TP_PPP_IPCP, 129, "Primary-DNS", "dns1", L2TP_PPP_O_IPV4},
    {L2TP_PPP_IPCP, 130, "Primary-NBNS", "nbns1", L2TP_PPP_O_IPV4},
    {L2TP_PPP_IPCP, 131, "Secondary-DNS", "dns2", L2TP_PPP_O_IPV4},
    {L2TP_PPP_IPCP, 132, "Secondary-NBNS", "nbns2", L2TP_PPP_O_IPV4},
    /* IPV6CP (RFC 5072) */
    {L2TP_PPP_IPV6CP, 1, "Interface-Identifier", "ifid", L2TP_PPP_O_IFID},
    {L2TP_PPP_IPV6CP, 2, "IPv6-Compression-Protocol", "comp", L2TP_PPP_O_PROTO},
    /* CCP (RFC 1962 and the algorithm RFCs) */
    {L2TP_PPP_CCP, 0, "OUI", "oui", L2TP_PPP_O_BYTES},
    {L2TP_PPP_CCP, 17, "Stac-LZS", "stac", L2TP_PPP_O_BYTES},
    {L2TP_PPP_CCP, 18, "MPPC/MPPE", "mppe", L2TP_PPP_O_HEX32},
    {L2TP_PPP_CCP, 21, "BSD-Compress", "bsd", L2TP_PPP_O_BYTES},
    {L2TP_PPP_CCP, 24, "Deflate (draft)", "deflate", L2TP_PPP_O_BYTES},
    {L2TP_PPP_CCP, 26, "Deflate", "deflate", L2TP_PPP_O_BYTES},
};

static const struct opt_info *
opt_find(uint16_t proto, uint8_t type)
{
	if (proto == 0x80fb)
		proto = L2TP_PPP_CCP;
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].proto == proto && opts[i].type == type)
			return &opts[i];
	return NULL;
}

const char *
l2tp_ppp_opt_name(uint16_t proto, uint8_t type)
{
	const struct opt_info *oi = opt_find(proto, type);

	return oi ? oi->name : NULL;
}

const char *
l2tp_ppp_opt_label(uint16_t proto, uint8_t type)
{
	const struct opt_info *oi = opt_find(proto, type);

	return oi ? oi->label : NULL;
}

enum l2tp_ppp_okind
l2tp_ppp_opt_kind(uint16_t proto, uint8_t type)
{
	const struct opt_info *oi = opt_find(proto, type);

	return oi ? oi->kind : L2TP_PPP_O_BYTES;
}

const char *
l2tp_ppp_ipproto_name(uint8_t proto)
{
	static const char *const t[] = {
	    [1] = "ICMP",   [2] = "IGMP",    [4] = "IPIP",   [6] = "TCP",
	    [17] = "UDP",   [41] = "IPv6",   [47] = "GRE",   [50] = "ESP",
	    [51] = "AH",    [58] = "ICMPv6", [89] = "OSPF",  [103] = "PIM",
	    [112] = "VRRP", [115] = "L2TP",  [132] = "SCTP",
	};

	return proto < sizeof(t) / sizeof(t[0]) ? t[proto] : NULL;
}

/* ICMP types (RFC 792) and ICMPv6 types (RFC 4443, RFC 4861). */
const char *
l2tp_ppp_icmp_name(uint8_t family, uint8_t type)
{
	static const char *const v4[] = {
	    [0] = "echo reply",     [3] = "unreachable",
	    [5] = "redirect",       [8] = "echo request",
	    [11] = "time exceeded", [12] = "parameter problem",
	};
	static const char *const v6[] = {
	    [1] = "unreachable",
	    [2] = "packet too big",
	    [3] = "time exceeded",
	    [4] = "parameter problem",
	    [128] = "echo request",
	    [129] = "echo reply",
	    [133] = "router solicitation",
	    [134] = "router advertisement",
	    [135] = "neighbor solicitation",
	    [136] = "neighbor advertisement",
	    [137] = "redirect",
	};

	if (family == 4)
		return type < sizeof(v4) / sizeof(v4[0]) ? v4[type] : NULL;
	return type < sizeof(v6) / sizeof(v6[0]) ? v6[type] : NULL;
}

const char *
l2tp_ppp_ethertype_name(uint16_t type)
{
	switch (type) {
	case 0x0800:
		return "IPv4";
	case 0x0806:
		return "ARP";
	case 0x86dd:
		return "IPv6";
	case 0x8100:
		return "802.1Q";
	case 0x88a8:
		return "802.1ad";
	case 0x8863:
		return "PPPoE-Discovery";
	case 0x8864:
		return "PPPoE-Session";
	case 0x8847:
		return "MPLS";
	case 0x88cc:
		return "LLDP";
	case 0x8809:
		return "Slow-Protocols";
	}
	return NULL;
}

static void fail(struct l2tp_ppp *o, enum l2tp_fault k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct l2tp_ppp *o, enum l2tp_fault k, const char *fmt, ...)
{
	va_list ap;

	if (o->fault != L2TP_FAULT_NONE)
		return;
	o->fault = k;
	va_start(ap, fmt);
	vsnprintf(o->what, sizeof(o->what), fmt, ap);
	va_end(ap);
}

/*
 * Out of bytes while reading `what`: truncated when the capture holds less
 * than the payload, otherwise the payload itself is too short.
 */
static int
short_of(struct l2tp_ppp *o, size_t caplen, size_t wirelen, const char *what)
{
	if (caplen < wirelen) {
		fail(o, L2TP_FAULT_TRUNCATED,
		     "capture ends at byte %zu of %zu, inside the %s", caplen,
		     wirelen, what);
		return -L2TP_FAULT_TRUNCATED;
	}
	fail(o, L2TP_FAULT_MALFORMED, "%zu-byte payload too short for the %s",
	     wirelen, what);
	return -L2TP_FAULT_MALFORMED;
}

/* Ports or ICMP type after an IP header; r at the transport header. */
static void
transport(struct l2tp_ppp_ip *ip, struct rd *r)
{
	uint8_t t, c;

	if (ip->frag)
		return;
	if (ip->proto == 6 || ip->proto == 17 || ip->proto == 132) {
		if (rd_u16(r, &ip->sport) == 0 && rd_u16(r, &ip->dport) == 0)
			ip->has_ports = true;
	} else if (ip->proto == 1 || ip->proto == 58) {
		if (rd_u8(r, &t) == 0 && rd_u8(r, &c) == 0) {
			ip->has_icmp = true;
			ip->icmp_type = t;
			ip->icmp_code = c;
		}
	}
}

/* An IPv4 or IPv6 packet header (RFC 791 §3.1, RFC 8200 §3). */
static int
parse_ip(struct l2tp_ppp *o, struct rd *r, size_t caplen, size_t wirelen,
         int want)
{
	struct l2tp_ppp_ip *ip = &o->ip;
	uint8_t v, b;
	uint16_t w;
	struct rd h;

	if (rd_peek8(r, 0, &v) < 0)
		return short_of(o, caplen, wirelen, "IP header");
	if ((v >> 4) != want && want != 0) {
		fail(o, L2TP_FAULT_MALFORMED,
		     "IP version %u where %d was announced", v >> 4, want);
		return -L2TP_FAULT_MALFORMED;
	}
	o->kind = L2TP_PPP_K_IP;
	if ((v >> 4) == 4) {
		size_t ihl = (size_t)(v & 0x0f) * 4;

		ip->family = 4;
		if (ihl < 20) {
			fail(o, L2TP_FAULT_MALFORMED,
			     "IPv4 header length %zu < 20", ihl);
			return -L2TP_FAULT_MALFORMED;
		}
		if (rd_sub(r, ihl, &h) < 0 || h.left < 20)
			return short_of(o, caplen, wirelen, "IPv4 header");
		rd_skip(&h, 2);
		rd_u16(&h, &ip->len);
		rd_skip(&h, 2);
		rd_u16(&h, &w);
		ip->frag = (w & 0x1fffu) != 0;
		rd_u8(&h, &ip->ttl);
		rd_u8(&h, &ip->proto);
		rd_skip(&h, 2);
		memcpy(ip->src, h.p, 4);
		rd_skip(&h, 4);
		memcpy(ip->dst, h.p, 4);
		transport(ip, r);
		return 0;
	}
	if ((v >> 4) == 6) {
		ip->family = 6;
		if (rd_sub(r, 40, &h) < 0)
			return short_of(o, caplen, wirelen, "IPv6 header");
		rd_skip(&h, 4);
		rd_u16(&h, &ip->len);
		rd_u8(&h, &ip->proto);
		rd_u8(&h, &b);
		ip->ttl = b;
		memcpy(ip->src, h.p, 16);
		rd_skip(&h, 16);
		memcpy(ip->dst, h.p, 16);
		transport(ip, r);
		return 0;
	}
	fail(o, L2TP_FAULT_MALFORMED, "IP version %u", v >> 4);
	o->kind = L2TP_PPP_K_NONE;
	return -L2TP_FAULT_MALFORMED;
}

/* LCP-format packet: code, id, length, then options or data (RFC 1661 §5). */
static int
parse_cp(struct l2tp_ppp *o, struct rd *r, size_t caplen, size_t wirelen)
{
	size_t avail = wirelen - (caplen - r->left); /* bytes on the wire */
	struct rd body;
	size_t blen;

	o->kind = L2TP_PPP_K_CP;
	if (r->left < 4)
		return short_of(o, caplen, wirelen, "control packet header");
	rd_u8(r, &o->code);
	rd_u8(r, &o->id);
	rd_u16(r, &o->length);
	o->has_code = true;
	if (o->length < 4) {
		fail(o, L2TP_FAULT_MALFORMED, "%s Length %u < 4",
		     l2tp_ppp_proto_name(o->proto), o->length);
		return -L2TP_FAULT_MALFORMED;
	}
	if (o->length > avail) {
		fail(o, L2TP_FAULT_MALFORMED,
		     "%s Length %u larger than the %zu bytes that carry it",
		     l2tp_ppp_proto_name(o->proto), o->length, avail);
		return -L2TP_FAULT_MALFORMED;
	}
	blen = (size_t)o->length - 4;
	body.p = r->p;
	body.left = r->left < blen ? r->left : blen;
	switch (o->code) {
	case 1:
	case 2:
	case 3:
	case 4:
		while (body.left > 0) {
			uint8_t t, l;
			struct rd v;
			struct l2tp_ppp_opt *op;
			const struct opt_info *oi;

			if (body.left < 2) {
				if (r->left < blen)
					break; /* the capture ends here */
				fail(o, L2TP_FAULT_MALFORMED,
				     "%zu stray byte after the options",
				     body.left);
				return -L2TP_FAULT_MALFORMED;
			}
			rd_u8(&body, &t);
			rd_u8(&body, &l);
			if (l < 2) {
				fail(o, L2TP_FAULT_MALFORMED,
				     "option %u length %u < 2", t, l);
				return -L2TP_FAULT_MALFORMED;
			}
			if (rd_sub(&body, (size_t)l - 2, &v) < 0) {
				/* Past the Length: malformed; past the
				 * capture: truncated. */
				if (r->left < blen)
					return short_of(o, caplen, wirelen,
					                "option");
				fail(o, L2TP_FAULT_MALFORMED,
				     "option %u length %u runs past the "
				     "packet",
				     t, l);
				return -L2TP_FAULT_MALFORMED;
			}
			if (o->nopts == L2TP_PPP_MAX_OPTS) {
				o->opts_cut = true;
				break;
			}
			op = &o->opts[o->nopts++];
			op->type = t;
			op->len = l;
			op->val.p = v.p;
			op->val.len = v.left;
			if ((oi = opt_find(o->proto, t)) != NULL) {
				op->name = oi->name;
				op->label = oi->label;
				op->kind = (uint8_t)oi->kind;
			} else {
				op->name = op->label = NULL;
				op->kind = L2TP_PPP_O_BYTES;
			}
		}
		break;
	case 7:
		if (rd_u8(&body, &o->rejected_code) == 0)
			o->has_rejected_code = true;
		break;
	case 8:
		if (o->proto == L2TP_PPP_LCP &&
		    rd_u16(&body, &o->rejected_proto) == 0)
			o->has_rejected = true;
		break;
	case 9:
	case 10:
	case 11:
	case 12:
	case 13:
		if (o->proto == L2TP_PPP_LCP && rd_u32(&body, &o->magic) == 0)
			o->has_magic = true;
		o->text.p = body.p;
		o->text.len = body.left;
		break;
	default:
		o->text.p = body.p;
		o->text.len = body.left;
		break;
	}
	if (r->left < blen)
		return short_of(o, caplen, wirelen, "control packet");
	return 0;
}

/* Take a one-byte length and that many bytes. */
static int
counted(struct rd *r, struct l2tp_bytes *b)
{
	uint8_t n;
	struct rd s;

	if (rd_u8(r, &n) < 0 || rd_sub(r, n, &s) < 0)
		return -1;
	b->p = s.p;
	b->len = s.left;
	return 0;
}

/* PAP (RFC 1334 §2.2) and CHAP (RFC 1994 §4). */
static int
parse_auth(struct l2tp_ppp *o, struct rd *r, size_t caplen, size_t wirelen)
{
	size_t avail = wirelen - (caplen - r->left);
	struct rd body;
	size_t blen;

	o->kind = o->proto == L2TP_PPP_PAP ? L2TP_PPP_K_PAP : L2TP_PPP_K_CHAP;
	if (r->left < 4)
		return short_of(o, caplen, wirelen, "authentication header");
	rd_u8(r, &o->code);
	rd_u8(r, &o->id);
	rd_u16(r, &o->length);
	o->has_code = true;
	if (o->length < 4 || o->length > avail) {
		fail(o, L2TP_FAULT_MALFORMED,
		     "%s Length %u does not fit the %zu bytes that carry it",
		     l2tp_ppp_proto_name(o->proto), o->length, avail);
		return -L2TP_FAULT_MALFORMED;
	}
	blen = (size_t)o->length - 4;
	body.p = r->p;
	body.left = r->left < blen ? r->left : blen;
	if (o->proto == L2TP_PPP_PAP && o->code == 1) {
		if (counted(&body, &o->name) < 0 ||
		    counted(&body, &o->secret) < 0)
			goto bad;
	} else if (o->proto == L2TP_PPP_PAP) {
		if (counted(&body, &o->text) < 0 && blen > 0)
			goto bad;
	} else if (o->code == 1 || o->code == 2) {
		if (counted(&body, &o->secret) < 0)
			goto bad;
		o->name.p = body.p;
		o->name.len = body.left;
	} else {
		o->text.p = body.p;
		o->text.len = body.left;
	}
	if (r->left < blen)
		return short_of(o, caplen, wirelen, "authentication packet");
	return 0;
bad:
	if (r->left < blen)
		return short_of(o, caplen, wirelen, "authentication packet");
	fail(o, L2TP_FAULT_MALFORMED, "%s %s: a field runs past Length %u",
	     l2tp_ppp_proto_name(o->proto),
	     l2tp_ppp_code_name(o->proto, o->code)
	         ? l2tp_ppp_code_name(o->proto, o->code)
	         : "packet",
	     o->length);
	return -L2TP_FAULT_MALFORMED;
}

int
l2tp_ppp_parse(const uint8_t *p, size_t caplen, size_t wirelen,
               struct l2tp_ppp *o)
{
	struct rd r;
	uint8_t b0, b1;

	memset(o, 0, sizeof(*o));
	if (wirelen < caplen)
		wirelen = caplen;
	o->total = wirelen;
	rd_init(&r, p, caplen);
	if (wirelen == 0) {
		fail(o, L2TP_FAULT_MALFORMED, "empty PPP frame");
		return -L2TP_FAULT_MALFORMED;
	}
	/* Address and Control may be compressed away (RFC 1661 §6.6). */
	if (rd_peek8(&r, 0, &b0) == 0 && b0 == 0xff) {
		if (rd_peek8(&r, 1, &b1) < 0)
			return short_of(o, caplen, wirelen, "PPP header");
		if (b1 != 0x03) {
			fail(o, L2TP_FAULT_MALFORMED,
			     "PPP address 0xff followed by control 0x%02x, "
			     "not 0x03",
			     b1);
			return -L2TP_FAULT_MALFORMED;
		}
		o->has_ac = true;
		rd_skip(&r, 2);
	}
	/* An odd first byte ends the protocol field (RFC 1661 §6.5). */
	if (rd_u8(&r, &b0) < 0)
		return short_of(o, caplen, wirelen, "PPP protocol field");
	if (b0 & 1) {
		o->proto = b0;
		o->proto_short = true;
	} else {
		if (rd_u8(&r, &b1) < 0)
			return short_of(o, caplen, wirelen,
			                "PPP protocol field");
		o->proto = (uint16_t)(b0 << 8 | b1);
		if (!(b1 & 1)) {
			fail(o, L2TP_FAULT_MALFORMED,
			     "PPP protocol 0x%04x is even (not a valid number)",
			     o->proto);
			return -L2TP_FAULT_MALFORMED;
		}
	}
	if (o->proto == L2TP_PPP_IP)
		return parse_ip(o, &r, caplen, wirelen, 4);
	if (o->proto == L2TP_PPP_IPV6)
		return parse_ip(o, &r, caplen, wirelen, 6);
	if (o->proto == L2TP_PPP_PAP || o->proto == L2TP_PPP_CHAP)
		return parse_auth(o, &r, caplen, wirelen);
	if (l2tp_ppp_is_cp(o->proto))
		return parse_cp(o, &r, caplen, wirelen);
	o->kind = L2TP_PPP_K_OTHER;
	return 0;
}

int
l2tp_ppp_parse_eth(const uint8_t *p, size_t caplen, size_t wirelen,
                   struct l2tp_ppp *o)
{
	struct rd r;
	uint16_t et;

	memset(o, 0, sizeof(*o));
	if (wirelen < caplen)
		wirelen = caplen;
	o->total = wirelen;
	o->eth = true;
	rd_init(&r, p, caplen);
	if (r.left < 14)
		return short_of(o, caplen, wirelen, "Ethernet header");
	memcpy(o->eth_dst, r.p, 6);
	memcpy(o->eth_src, r.p + 6, 6);
	rd_skip(&r, 12);
	rd_u16(&r, &et);
	/* 802.1Q and QinQ tags (IEEE 802.1Q §9.6). */
	while (et == 0x8100 || et == 0x88a8 || et == 0x9100) {
		uint16_t tci;

		if (rd_u16(&r, &tci) < 0 || rd_u16(&r, &et) < 0)
			return short_of(o, caplen, wirelen, "VLAN tag");
		if (o->nvlan == 2) {
			fail(o, L2TP_FAULT_UNSUPPORTED,
			     "more than two VLAN tags");
			return -L2TP_FAULT_UNSUPPORTED;
		}
		o->vlan[o->nvlan++] = tci & 0x0fffu;
	}
	o->ethertype = et;
	if (et == 0x0800)
		return parse_ip(o, &r, caplen, wirelen, 4);
	if (et == 0x86dd)
		return parse_ip(o, &r, caplen, wirelen, 6);
	if (et == 0x0806) {
		uint16_t htype, ptype;
		uint8_t hlen, plen;

		o->kind = L2TP_PPP_K_ARP;
		if (rd_u16(&r, &htype) < 0 || rd_u16(&r, &ptype) < 0 ||
		    rd_u8(&r, &hlen) < 0 || rd_u8(&r, &plen) < 0 ||
		    rd_u16(&r, &o->arp_op) < 0)
			return short_of(o, caplen, wirelen, "ARP header");
		if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
			fail(o, L2TP_FAULT_UNSUPPORTED,
			     "ARP for hardware %u protocol 0x%04x", htype,
			     ptype);
			return -L2TP_FAULT_UNSUPPORTED;
		}
		if (r.left < 20)
			return short_of(o, caplen, wirelen, "ARP addresses");
		memcpy(o->arp_sha, r.p, 6);
		memcpy(o->arp_spa, r.p + 6, 4);
		memcpy(o->arp_tha, r.p + 10, 6);
		memcpy(o->arp_tpa, r.p + 16, 4);
		o->arp_addrs = true;
		return 0;
	}
	o->kind = L2TP_PPP_K_OTHER;
	return 0;
}
