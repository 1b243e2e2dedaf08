/* L2TP printers: one line, the full tree, or JSON per packet, into a buffered
 * sink (RFC 2661 §3-4 names). */
#ifndef L2TP_PRINT_H
#define L2TP_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"

/*
 * A sink buffers output and hands it to a FILE (flushed when the buffer is
 * full and by l2tp_sink_flush), or keeps it all in memory when f is NULL
 * (for tests and for the shell, which prints above its prompt).  No system
 * call per packet: the buffer is written in large blocks (64 KiB).
 *
 * A memory sink holds buf[0..len), not NUL-terminated; a caller that has
 * consumed it may set len to 0 and go on writing.  l2tp_sink_flush also
 * calls fflush on the FILE; l2tp_sink_free flushes and frees the buffer.
 */
struct l2tp_sink {
	FILE *f;
	char *buf;
	size_t len, cap;
	bool oom; /* a memory sink could not grow: output was lost */
};

void l2tp_sink_init(struct l2tp_sink *s, FILE *f); /* f NULL: memory */
void l2tp_sink_free(struct l2tp_sink *s);
void l2tp_sink_flush(struct l2tp_sink *s);
void l2tp_sink_putc(struct l2tp_sink *s, char c);
void l2tp_sink_write(struct l2tp_sink *s, const char *p, size_t n);
void l2tp_sink_puts(struct l2tp_sink *s, const char *str);
void l2tp_sink_printf(struct l2tp_sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Without a format, for the hot paths: decimal; an address as in
 * l2tp_ipaddr_str ("?" for no family). */
void l2tp_sink_u64(struct l2tp_sink *s, uint64_t v);
void l2tp_sink_ipaddr(struct l2tp_sink *s, const struct l2tp_ipaddr *a);
/*
 * A JSON string literal, quotes included, escaped per RFC 8259: valid UTF-8
 * passes through, control characters are escaped, and each byte that is not
 * part of valid UTF-8 becomes \u00XX (the byte read as Latin-1), so the
 * result is valid JSON whatever the bytes (docs/json.md).
 */
void l2tp_sink_json_str(struct l2tp_sink *s, const char *p, size_t n);

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
