/* L2TP printers: one line, the full tree, or JSON per packet, into a buffered
 * sink (RFC 2661 §3-4 names). */
#ifndef L2TP_PRINT_H
#define L2TP_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decoder/addr.h"
#include "decoder/frame.h"
#include "decoder/json.h"
#include "decoder/l2tp.h"
#include "decoder/sink.h"

/* Where a packet came from: the capture frame, or the engine. */
struct l2tp_pkt_meta {
	uint64_t frame; /* 1-based number in the file; 0 = none */
	int64_t ts_sec; /* time since the epoch */
	uint32_t ts_usec;
	const struct l2tp_frame *fr; /* addresses and ports; may be NULL */
};

struct l2tp_print_opts {
	long tz_offset; /* seconds east of UTC, computed once by the caller */
	bool color;     /* ANSI colour (only when writing to a terminal) */
};

/*
 * One line: time, addresses and ports, version, control/data, message name
 * or ZLB, tunnel/session ids, Ns/Nr, the key AVPs, then each problem.
 */
void l2tp_print_line(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const struct l2tp_pkt_meta *meta,
                     const struct l2tp_msg *m);
/* The full tree: every header field and every AVP, then each problem. */
void l2tp_print_tree(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const struct l2tp_pkt_meta *meta,
                     const struct l2tp_msg *m);
/* One JSON object on one line (schema in docs/json.md). */
void l2tp_print_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const struct l2tp_pkt_meta *meta,
                     const struct l2tp_msg *m);

/*
 * A frame that did not yield an L2TP datagram but is still reported: an IP
 * fragment, or a truncated/malformed/unsupported link, IP or UDP header
 * (meta->fr->kind says which).  Same three forms; JSON has "l2tp": null.
 */
void l2tp_print_frame_line(struct l2tp_sink *s,
                           const struct l2tp_print_opts *po,
                           const struct l2tp_pkt_meta *meta);
void l2tp_print_frame_json(struct l2tp_sink *s,
                           const struct l2tp_print_opts *po,
                           const struct l2tp_pkt_meta *meta);

/*
 * An AVP's value in words, as the tree shows it: "4711", "\"lns.lab\"",
 * "0x00000003 (sync,async)", "result 2, error 6 (...), message \"...\"",
 * hex for bytes; "(hidden) <cipher hex>" for a hidden AVP not opened and
 * "(hidden, decrypted with secret N) <value>" for one opened with the Nth
 * secret (1-based).  Also used by the engine's events.  Without the
 * message type, Result Code meanings (which differ between StopCCN and
 * CDN) are left out; l2tp_print_avp_value_in gives them.
 */
void l2tp_print_avp_value(struct l2tp_sink *s, const struct l2tp_avp *a);
/*
 * The same, knowing the message that carries the AVP (msg_type, -1 when
 * unknown): Result Code meanings differ between StopCCN and CDN.
 */
void l2tp_print_avp_value_in(struct l2tp_sink *s, const struct l2tp_avp *a,
                             int msg_type);

#endif
