/* Internal to the printers (print*.c): the shared pieces of the line, tree
 * and JSON forms.  Not for callers outside decoder/. */
#ifndef L2TP_PRINT_INT_H
#define L2TP_PRINT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/print.h"
#include "decoder/proto.h"

/* The sink's writers under short local names. */
#define put l2tp_sink_write
#define putch l2tp_sink_putc
#define put_str l2tp_sink_puts
#define PUTL L2TP_SINK_LIT
#define put_u64 l2tp_sink_u64
#define put_i64 l2tp_sink_i64
#define put_hexbytes l2tp_sink_hex
#define put_hexn(s, v, d) l2tp_sink_hexn((s), (v), (d), true)
#define put_ipaddr l2tp_sink_ipaddr
#define put_ipv4(s, a) l2tp_sink_ip((s), 4, (a))
#define put_ipv6(s, a) l2tp_sink_ip((s), 6, (a))

static const char hexd[] = "0123456789abcdef";

#define C_MSG "\033[1;36m"
#define C_HID "\033[33m"
#define C_ERR "\033[1;31m"
#define C_OFF "\033[0m"

static inline void
color(struct l2tp_sink *s, const struct l2tp_print_opts *po, const char *c)
{
	if (po && po->color)
		put(s, c, strlen(c));
}

/* UDP ports are known for an L2TP datagram, not for a fragment or a frame
 * cut before its UDP header (those have 0 there). */
static inline bool
has_ports(const struct l2tp_frame *fr)
{
	return fr->ipproto == 17 &&
	       (fr->kind == L2TP_FRAME_L2TP || fr->sport || fr->dport);
}

/* "02:00:00:00:00:01" */
void l2tp_pr_mac(struct l2tp_sink *s, const uint8_t *m);
/* Text for the line and tree forms: quoted, non-printing bytes as \xNN,
 * cut after max bytes with "..." */
void l2tp_pr_quoted(struct l2tp_sink *s, const uint8_t *p, size_t n,
                    size_t max);
/* "sync,async" (framing) or "digital,analog" (bearer), "none" */
void l2tp_pr_bits(struct l2tp_sink *s, uint64_t v, bool framing);
/* "SCCRQ", "MSG-#N" */
void l2tp_pr_msg_type_name(struct l2tp_sink *s, int type);
/* Result Code meaning in this message (StopCCN or CDN); NULL otherwise. */
const char *l2tp_pr_result_text(int msg_type, uint16_t r);
/* An AVP value in words (tree form, engine events); msg_type -1 when
 * unknown. */
void l2tp_pr_avp_words(struct l2tp_sink *s, const struct l2tp_avp *a,
                       int msg_type);
/* "HH:MM:SS.uuuuuu" in the zone of po. */
void l2tp_pr_time(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                  const struct l2tp_pkt_meta *meta);
/* "src.sport > dst.dport" of the frame (ports for UDP only) */
void l2tp_pr_endpoints(struct l2tp_sink *s, const struct l2tp_frame *fr);
/* "frame time src.sport > dst.dport: " */
void l2tp_pr_line_prefix(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                         const struct l2tp_pkt_meta *meta);
/* "kind: what", the kind coloured as an error */
void l2tp_pr_problem_text(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                          const char *kind, const char *what);
/* " [kind: what]" */
void l2tp_pr_problem(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const char *kind, const char *what);
/* The PPP (v2) or Ethernet (v3) payload of a data message, parsed once
 * into *pp; false when there is none. */
bool l2tp_pr_payload(const struct l2tp_msg *m, struct l2tp_ppp *pp);
/* "src.sport > dst.dport" of an IP packet inside PPP */
void l2tp_pr_ip_addrs(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip);
/* A PPP option value (words: the tree's fuller form). */
void l2tp_pr_ppp_opt_value(struct l2tp_sink *s, uint16_t proto,
                           const struct l2tp_ppp_opt *o, bool words);
/* "Configure-Request", "code N" */
void l2tp_pr_code_name(struct l2tp_sink *s, uint16_t proto, uint8_t code);
/* The message name, "ZLB", or NULL with *why (no readable Message Type). */
const char *l2tp_pr_msg_label(const struct l2tp_msg *m, char *nb, size_t n,
                              const char **why);
/* "L2TPv2", "L2TPv3/IP", ... */
void l2tp_pr_version(struct l2tp_sink *s, const struct l2tp_msg *m);
/* "fragment", "truncated", ... and why, for frames without L2TP. */
const char *l2tp_pr_frame_kind_name(enum l2tp_frame_kind k);
const char *l2tp_pr_frame_what(const struct l2tp_frame *fr);

#endif
