/* One pcap source for every reader of packets: `-r`, `-i`, `decode`,
 * `capture start` and `analyze`.  Opening (a file or an interface), the link
 * types the decoder reads, the BPF filter, the errors in the same words
 * everywhere; then each packet's L2TP found, parsed and its hidden AVPs
 * opened with the secrets given (RFC 2661 §4.3, §8.1). */
#ifndef L2TP_CLI_SOURCE_H
#define L2TP_CLI_SOURCE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"

#define SRC_MAX_SECRETS 16
#define SRC_MAX_PORTS 32

struct src_opts {
	const char *path;   /* a capture file ("-": standard input), or */
	const char *iface;  /* an interface to capture on */
	const char *filter; /* BPF, or NULL */
	bool immediate;     /* live: each packet as it comes (the shell) */
	int timeout_ms;     /* live without immediate: the read timeout */
	int snaplen;        /* live: bytes kept of each packet */
};

struct src {
	pcap_t *p;
	int dlt;
	bool live;
	const char *name; /* the file or interface, for messages */
};

/*
 * Open o's file or interface, check its link type, set its filter (with
 * the interface's netmask when live).  Returns 0, or -1 with one line in
 * err ("NAME: what is wrong (what to do)", no program name) and nothing
 * left open.  A warning libpcap gives on activation goes to warn (empty
 * when none).
 */
int src_open(struct src *s, const struct src_opts *o, char *err, size_t len,
             char *warn, size_t wlen);
void src_close(struct src *s);

/*
 * What a packet holds, found the same way for every reader: the frame
 * (link layer down to UDP or IP 115, fragments reassembled), then the L2TP
 * message parsed and its hidden AVPs opened with the secrets.
 */
struct src_l2tp {
	struct l2tp_frame_opts fo;
	struct l2tp_parse_opts po;
	struct l2tp_reasm *ra;
	uint16_t ports[SRC_MAX_PORTS];
	const char *secrets[SRC_MAX_SECRETS];
	size_t nsecrets;
	uint8_t *scratch; /* for opened hidden AVPs */
	struct l2tp_frame fr;
	struct l2tp_msg *m;
};

/* Ports (none: 1701 alone) and secrets are copied (the strings are not:
 * they must outlive it).  0, or -1 when out of memory. */
int src_l2tp_init(struct src_l2tp *x, const uint16_t *ports, size_t nports,
                  const char *const *secrets, size_t nsecrets,
                  uint8_t v3_cookie_len);
void src_l2tp_free(struct src_l2tp *x);
/* Add one UDP port (once; 1701 is kept when the list was empty). */
void src_l2tp_add_port(struct src_l2tp *x, uint16_t port);

/*
 * One packet: meta filled (frame number, time, the frame), the frame
 * decoded; for L2TP the message parsed into x->m (*rc what l2tp_parse
 * returned) and unhidden.  Returns the frame's kind.
 */
enum l2tp_frame_kind src_l2tp_packet(struct src_l2tp *x, int dlt,
                                     const struct pcap_pkthdr *h,
                                     const uint8_t *data, uint64_t frame,
                                     struct l2tp_pkt_meta *meta, int *rc);

/* Seconds east of UTC now (TZ honoured, as tcpdump prints times). */
long src_tz_offset(void);

#endif
