/* Capture frames to L2TP datagrams: links, IP, tunnels (RFC 2661 §8.1). */
#ifndef L2TP_FRAME_H
#define L2TP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/addr.h"
#include "decoder/l2tp.h"

/* What a frame turned out to be. */
enum l2tp_frame_kind {
	L2TP_FRAME_L2TP = 0,    /* an L2TP datagram: l2tp/caplen/wirelen set */
	L2TP_FRAME_OTHER,       /* not L2TP: another protocol or port */
	L2TP_FRAME_FRAGMENT,    /* an IP fragment, held until its datagram is
	                           whole (or that could not be reassembled:
	                           see why) */
	L2TP_FRAME_TRUNCATED,   /* the capture stops inside a link, IP or UDP
	                           header of what may be L2TP */
	L2TP_FRAME_MALFORMED,   /* a link, IP or UDP header contradicts
	                           itself (IHL < 5, UDP length < 8, ...) */
	L2TP_FRAME_UNSUPPORTED, /* a link type this decoder does not read */
};

/* What else non-L2TP traffic was, for "no cleartext L2TP" advice. */
enum l2tp_frame_other {
	L2TP_OTHER_NONE = 0,
	L2TP_OTHER_ESP,    /* IP protocol 50 */
	L2TP_OTHER_NATT,   /* UDP 4500: IKE or ESP in UDP */
	L2TP_OTHER_IKE,    /* UDP 500 */
	L2TP_OTHER_UDP,    /* UDP on a port not asked for */
	L2TP_OTHER_NOT_IP, /* ARP, LLDP, PPPoE discovery, ... */
	L2TP_OTHER_IP,     /* IP, not UDP, not protocol 115 */
};

/* What UDP 4500 carries (RFC 3948 §2), for other == L2TP_OTHER_NATT. */
enum l2tp_natt {
	L2TP_NATT_NONE = 0,  /* too short to tell */
	L2TP_NATT_ESP,       /* ESP in UDP: non-zero SPI */
	L2TP_NATT_IKE,       /* IKE after the 4-byte zero marker */
	L2TP_NATT_KEEPALIVE, /* the single 0xff byte */
};

struct l2tp_frame {
	enum l2tp_frame_kind kind;
	enum l2tp_frame_other other;
	enum l2tp_natt natt;
	char why[112]; /* in words, for FRAGMENT/TRUNCATED/MALFORMED/
	                  UNSUPPORTED; empty otherwise */

	/* the way down, as far as it went */
	uint8_t nvlan;
	uint16_t vlan[2]; /* 802.1Q / QinQ VLAN ids, outer first */
	bool pppoe;
	uint16_t pppoe_session;
	struct l2tp_ipaddr src, dst;
	uint8_t ipproto;       /* 17 UDP, 115 L2TP, 50 ESP, ... */
	uint16_t sport, dport; /* UDP ports; 0 over IP protocol 115 */
	bool udp_csum_zero;    /* UDP checksum 0 (allowed for IPv4) */
	bool reassembled;      /* this datagram came from IP fragments */
	uint16_t nfrags;

	/* the L2TP datagram (kind L2TP); for kind OTHER with other UDP,
	   NATT or IKE, the UDP payload (to check what it looks like) */
	enum l2tp_transport transport;
	const uint8_t *l2tp; /* into the frame, or into the reassembly
	                        table (valid until the next call) */
	size_t caplen;       /* bytes captured */
	size_t wirelen;      /* bytes the datagram really has (UDP/IP
	                        length), >= caplen */
};

/* Which UDP ports carry L2TP; nports 0 means 1701 alone. */
struct l2tp_frame_opts {
	const uint16_t *ports;
	size_t nports;
};

/*
 * IP fragment reassembly: a fixed table allocated once (memory does not
 * grow with the capture).  Fragments that do not complete within the table's
 * limits are reported as fragments, never misread.
 */
struct l2tp_reasm;
struct l2tp_reasm *l2tp_reasm_new(void); /* NULL when out of memory */
void l2tp_reasm_free(struct l2tp_reasm *ra);

/* What the reassembly table did so far (for the summary). */
struct l2tp_reasm_stats {
	uint64_t completed; /* datagrams made whole */
	uint64_t dropped;   /* given up: overlap that differs, a fragment
	                       cut by the capture, sizes that disagree */
	uint64_t evicted;   /* incomplete, pushed out by newer ones */
	uint64_t overlaps;  /* fragments that overlapped another */
	uint64_t pending;   /* incomplete, still in the table */
};
void l2tp_reasm_get_stats(const struct l2tp_reasm *ra,
                          struct l2tp_reasm_stats *st);

/*
 * Decode one captured frame of pcap link type `linktype` (DLT_/LINKTYPE_
 * values: EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP,
 * PPP where possible).  `caplen` bytes are present of a frame of `wirelen`.
 * Tunnels are followed (IP-in-IP, 6in4, GRE with IP or Ethernet inside,
 * ERSPAN I/II), at most 4 deep; src/dst are then the innermost IP's.
 * `ra` may be NULL (fragments are then only reported).  Fills *out.
 * Returns 0 always; the outcome is out->kind.
 */
int l2tp_frame_decode(int linktype, const uint8_t *pkt, size_t caplen,
                      size_t wirelen, const struct l2tp_frame_opts *o,
                      struct l2tp_reasm *ra, struct l2tp_frame *out);

/* "Ethernet", "Linux cooked (SLL2)", ...; NULL for a link type not read. */
const char *l2tp_frame_link_name(int linktype);

#endif
