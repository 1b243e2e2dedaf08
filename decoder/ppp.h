/* PPP inside L2TP data messages, and Ethernet inside L2TPv3 pseudowires: a pure
 * summary decoder (RFC 1661, 1332, 5072, 1334, 1994; RFC 2661 §5.4; RFC 4719).
 */
#ifndef L2TP_PPP_H
#define L2TP_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/l2tp.h"

/* PPP protocol numbers (RFC 1661 §2, IANA PPP DLL protocol numbers). */
#define L2TP_PPP_IP 0x0021u
#define L2TP_PPP_IPV6 0x0057u
#define L2TP_PPP_IPCP 0x8021u
#define L2TP_PPP_IPV6CP 0x8057u
#define L2TP_PPP_CCP 0x80fdu
#define L2TP_PPP_LCP 0xc021u
#define L2TP_PPP_PAP 0xc023u
#define L2TP_PPP_CHAP 0xc223u

/* What the payload was read as. */
enum l2tp_ppp_kind {
	L2TP_PPP_K_NONE = 0, /* nothing readable */
	L2TP_PPP_K_CP,       /* LCP, IPCP, IPV6CP, CCP: code, id, options */
	L2TP_PPP_K_PAP,
	L2TP_PPP_K_CHAP,
	L2TP_PPP_K_IP,    /* IPv4 or IPv6 (ip.family) */
	L2TP_PPP_K_OTHER, /* a protocol only named */
	L2TP_PPP_K_ARP,   /* Ethernet only */
};

/* A PPP configuration option as on the wire (RFC 1661 §6). */
struct l2tp_ppp_opt {
	uint8_t type;
	uint8_t len;           /* the Length field, header included */
	struct l2tp_bytes val; /* the value, len - 2 bytes */
	/* from the option table, looked up once by the parser for every
	   form to read: l2tp_ppp_opt_name, _label, _kind of the type */
	const char *name, *label; /* NULL when unknown */
	uint8_t kind;             /* enum l2tp_ppp_okind */
};

#define L2TP_PPP_MAX_OPTS 16

/* An IPv4 or IPv6 header summary. */
struct l2tp_ppp_ip {
	uint8_t family; /* 4 or 6 */
	uint8_t src[16], dst[16];
	uint8_t proto;  /* IPv4 protocol / IPv6 next header */
	uint16_t len;   /* total length (IPv4) or payload length (IPv6) */
	uint8_t ttl;    /* TTL / hop limit */
	bool frag;      /* a non-first IPv4 fragment: no ports */
	bool has_ports; /* UDP, TCP: sport, dport */
	uint16_t sport, dport;
	bool has_icmp; /* ICMP / ICMPv6: type, code */
	uint8_t icmp_type, icmp_code;
};

struct l2tp_ppp {
	enum l2tp_ppp_kind kind;

	/* Ethernet pseudowire (L2TPv3): the frame around the payload */
	bool eth;
	uint8_t eth_dst[6], eth_src[6];
	uint8_t nvlan;
	uint16_t vlan[2];
	uint16_t ethertype;

	/* PPP framing (RFC 1662 §3.1 address/control, RFC 1661 §6.5-6.6) */
	bool has_ac;      /* 0xff 0x03 present */
	bool proto_short; /* protocol field compressed to one byte */
	uint16_t proto;

	/* LCP-like control protocols, PAP, CHAP: code, identifier, length
	 * (has_code: those four bytes were there) */
	bool has_code;
	uint8_t code, id;
	uint16_t length;
	size_t nopts;
	struct l2tp_ppp_opt opts[L2TP_PPP_MAX_OPTS];
	bool opts_cut;  /* more options than L2TP_PPP_MAX_OPTS */
	bool has_magic; /* Echo-Request/Reply, Discard-Request */
	uint32_t magic;
	bool has_rejected; /* Protocol-Reject */
	uint16_t rejected_proto;
	bool has_rejected_code; /* Code-Reject: the rejected code */
	uint8_t rejected_code;
	/* PAP: peer id, password (Authenticate-Request) or message (Ack/Nak);
	 * CHAP: value and name (Challenge/Response) or message. */
	struct l2tp_bytes name, secret, text;

	/* IP (PPP IP/IPv6, or Ethernet IPv4/IPv6) */
	struct l2tp_ppp_ip ip;

	/* ARP (Ethernet); arp_addrs: the addresses after the op were there */
	uint16_t arp_op;
	bool arp_addrs;
	uint8_t arp_sha[6], arp_spa[4], arp_tha[6], arp_tpa[4];

	/* bytes after the part summarised */
	size_t total; /* bytes of payload seen */

	/* one problem at most: the first thing that did not fit */
	enum l2tp_fault fault;
	char what[96];
};

/*
 * Read the PPP frame of an L2TPv2 data message: `caplen` bytes captured of
 * a payload of `wirelen` bytes.  Running out of captured bytes when the
 * payload is longer is truncation; a length field that contradicts the
 * payload is malformation.  Fills *out; returns 0 or -fault.
 */
int l2tp_ppp_parse(const uint8_t *p, size_t caplen, size_t wirelen,
                   struct l2tp_ppp *out);

/* Read an Ethernet frame carried by an L2TPv3 pseudowire (RFC 4719). */
int l2tp_ppp_parse_eth(const uint8_t *p, size_t caplen, size_t wirelen,
                       struct l2tp_ppp *out);

/* Names; NULL when unknown. */
const char *l2tp_ppp_proto_name(uint16_t proto); /* "LCP" */
const char *l2tp_ppp_proto_key(uint16_t proto);  /* "lcp" (JSON) */
const char *l2tp_ppp_code_name(uint16_t proto, uint8_t code);
const char *l2tp_ppp_opt_name(uint16_t proto, uint8_t type);
const char *l2tp_ppp_ipproto_name(uint8_t proto);   /* "UDP" */
const char *l2tp_ppp_ethertype_name(uint16_t type); /* "IPv4" */
/* ICMP (family 4) or ICMPv6 (family 6) message type: "echo request". */
const char *l2tp_ppp_icmp_name(uint8_t family, uint8_t type);

/* How an option's value reads, for the printers. */
enum l2tp_ppp_okind {
	L2TP_PPP_O_BYTES = 0,
	L2TP_PPP_O_U16,   /* MRU, MRRU */
	L2TP_PPP_O_HEX32, /* ACCM, magic number */
	L2TP_PPP_O_AUTH,  /* protocol (2) + data (CHAP: algorithm) */
	L2TP_PPP_O_PROTO, /* protocol (2) + data: quality, compression */
	L2TP_PPP_O_EMPTY, /* PFC, ACFC */
	L2TP_PPP_O_IPV4,  /* IPCP addresses */
	L2TP_PPP_O_IFID,  /* IPV6CP interface identifier (8) */
};
enum l2tp_ppp_okind l2tp_ppp_opt_kind(uint16_t proto, uint8_t type);
/* Short label for the one-line form: "mru", "magic", "addr"; NULL = none. */
const char *l2tp_ppp_opt_label(uint16_t proto, uint8_t type);

/* Whether the protocol uses LCP's packet format (RFC 1661 §5). */
bool l2tp_ppp_is_cp(uint16_t proto);

#endif
