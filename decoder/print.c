/* L2TP printers, the shared parts: the AVP display table, an AVP value in
 * words, time, addresses, PPP option values (RFC 2661 §4.4; RFC 3931 §5). */
#include <stdlib.h>
#include <string.h>

#include "decoder/print_int.h"
#include "decoder/rd.h"

/* Two digits, zero-padded. */
static inline void
put_2d(char *b, unsigned v)
{
	b[0] = (char)('0' + v / 10);
	b[1] = (char)('0' + v % 10);
}

void
l2tp_pr_mac(struct l2tp_sink *s, const uint8_t *m)
{
	char b[17];

	for (int i = 0; i < 6; i++) {
		b[3 * i] = hexd[m[i] >> 4];
		b[3 * i + 1] = hexd[m[i] & 0xf];
		if (i < 5)
			b[3 * i + 2] = ':';
	}
	put(s, b, 17);
}

/* Text for the line and tree forms: quoted, non-printing bytes as \xNN. */
void
l2tp_pr_quoted(struct l2tp_sink *s, const uint8_t *p, size_t n, size_t max)
{
	size_t i, start;

	if (n == 0) {
		PUTL(s, "\"\"");
		return;
	}
	putch(s, '"');
	for (i = start = 0; i < n && i < max; i++) {
		uint8_t c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		put(s, (const char *)p + start, i - start);
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};

			put(s, e, 2);
		} else {
			char e[4] = {'\\', 'x', hexd[c >> 4], hexd[c & 0xf]};

			put(s, e, 4);
		}
		start = i + 1;
	}
	if (i > start) /* p may be NULL when there are no bytes */
		put(s, (const char *)p + start, i - start);
	putch(s, '"');
	if (n > max)
		PUTL(s, "...");
}

/* "sync,async" (framing, RFC 2661 §4.4.3) or "analog,digital" (bearer). */
void
l2tp_pr_bits(struct l2tp_sink *s, uint64_t v, bool framing)
{
	bool any = false;

	if (v & 1) {
		if (framing)
			PUTL(s, "sync");
		else
			PUTL(s, "digital");
		any = true;
	}
	if (v & 2) {
		if (any)
			putch(s, ',');
		if (framing)
			PUTL(s, "async");
		else
			PUTL(s, "analog");
		any = true;
	}
	if (v & ~(uint64_t)3) {
		if (any)
			putch(s, ',');
		put_hexn(s, v & ~(uint64_t)3, 8);
		any = true;
	}
	if (!any)
		PUTL(s, "none");
}

void
l2tp_pr_msg_type_name(struct l2tp_sink *s, int type)
{
	char nb[24];

	put_str(s, l2tp_msg_name(type, nb, sizeof(nb)));
}

/* Result Code meanings depend on the message (RFC 2661 §4.4.2). */
const char *
l2tp_pr_result_text(int msg_type, uint16_t r)
{
	if (msg_type == L2TP_STOPCCN)
		return l2tp_stopccn_result_text(r);
	if (msg_type == L2TP_CDN)
		return l2tp_cdn_result_text(r);
	return NULL;
}

void
l2tp_pr_avp_words(struct l2tp_sink *s, const struct l2tp_avp *a, int msg_type)
{
	const struct l2tp_avp_info *pi = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_value v;
	const char *t;
	int rc = l2tp_avp_value(a, &v);

	if (a->h && !a->decrypted) {
		PUTL(s, "(hidden) ");
		put_hexbytes(s, a->value.p, a->value.len);
		return;
	}
	if (a->decrypted) {
		PUTL(s, "(hidden, decrypted with secret ");
		put_u64(s, (uint64_t)a->secret_idx + 1);
		PUTL(s, ") ");
	}
	if (rc < 0) {
		/* The parser names the misfit; show what is there. */
		PUTL(s, "(");
		put_u64(s, v.b.len);
		PUTL(s, " bytes, does not fit) ");
		put_hexbytes(s, v.b.p, v.b.len);
		return;
	}
	switch (v.kind) {
	case L2TP_V_BYTES:
		if (v.b.len == 0) {
			PUTL(s, "(empty)");
		} else if (pi && pi->fmt == L2TP_FMT_PWLIST &&
		           v.b.len % 2 == 0) {
			/* a list of 16-bit pseudowire types (RFC 3931 §5.4.3)
			 */
			for (size_t i = 0; i < v.b.len; i += 2) {
				uint16_t pw =
				    (uint16_t)(v.b.p[i] << 8 | v.b.p[i + 1]);

				if (i)
					PUTL(s, ", ");
				put_u64(s, pw);
				if ((t = l2tp_pw_type_text(pw)) != NULL) {
					PUTL(s, " (");
					put_str(s, t);
					putch(s, ')');
				}
			}
		} else {
			put_hexbytes(s, v.b.p, v.b.len);
		}
		break;
	case L2TP_V_STRING:
		l2tp_pr_quoted(s, v.b.p, v.b.len, (size_t)-1);
		break;
	case L2TP_V_EMPTY:
		PUTL(s, "(no value)");
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
		if (pi && pi->fmt == L2TP_FMT_HEX64) {
			put_hexn(s, v.u, 16);
			break;
		}
		put_u64(s, v.u);
		if (pi && pi->fmt == L2TP_FMT_HEX16) {
			PUTL(s, " (");
			put_hexn(s, v.u, 4);
			putch(s, ')');
		} else if (pi && pi->fmt == L2TP_FMT_IPV4) {
			uint8_t ip[4] = {(uint8_t)(v.u >> 24),
			                 (uint8_t)(v.u >> 16),
			                 (uint8_t)(v.u >> 8), (uint8_t)v.u};

			PUTL(s, " (");
			put_ipv4(s, ip);
			putch(s, ')');
		} else if (pi && pi->fmt == L2TP_FMT_PWTYPE &&
		           (t = l2tp_pw_type_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		} else if (pi && pi->fmt == L2TP_FMT_CIRCUIT) {
			put_str(s, v.u & 1 ? " (active" : " (inactive");
			put_str(s, v.u & 2 ? ", new)" : ")");
		} else if (pi &&
		           (pi->fmt == L2TP_FMT_SUBLAYER ||
		            pi->fmt == L2TP_FMT_DATASEQ) &&
		           (t = pi->fmt == L2TP_FMT_SUBLAYER
		                    ? l2tp_sublayer_text(v.u)
		                    : l2tp_data_seq_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		} else if (pi && pi->fmt == L2TP_FMT_BPS) {
			PUTL(s, " bit/s");
		} else if (pi && pi->fmt == L2TP_FMT_MS) {
			PUTL(s, " ms");
		}
		break;
	case L2TP_V_MSGTYPE: {
		const struct l2tp_msg_info *mi = l2tp_msg_info((int)v.u);

		put_u64(s, v.u);
		PUTL(s, " (");
		if (mi) {
			put_str(s, mi->name);
			PUTL(s, ", ");
			put_str(s, mi->long_name);
		} else {
			PUTL(s, "unknown");
		}
		putch(s, ')');
		break;
	}
	case L2TP_V_RESULT:
		PUTL(s, "result ");
		put_u64(s, v.result);
		if ((t = l2tp_pr_result_text(msg_type, v.result)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		if (v.has_error) {
			PUTL(s, ", error ");
			put_u64(s, v.error);
			if ((t = l2tp_error_text(v.error)) != NULL) {
				PUTL(s, " (");
				put_str(s, t);
				putch(s, ')');
			}
		}
		if (v.has_message) {
			PUTL(s, ", message ");
			l2tp_pr_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	case L2TP_V_PROTOVER:
		PUTL(s, "version ");
		put_u64(s, v.u);
		PUTL(s, ", revision ");
		put_u64(s, v.rev);
		break;
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		put_hexn(s, v.u, 8);
		PUTL(s, " (");
		l2tp_pr_bits(s, v.u, v.kind == L2TP_V_FRAMING);
		putch(s, ')');
		break;
	case L2TP_V_Q931:
		PUTL(s, "cause ");
		put_u64(s, v.u);
		if ((t = l2tp_q931_cause_text((uint16_t)v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", message ");
		put_hexn(s, v.q931_msg, 2);
		if ((t = l2tp_q931_msg_text(v.q931_msg)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		if (v.b.len) {
			PUTL(s, ", advisory ");
			l2tp_pr_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	case L2TP_V_PROXY_TYPE:
		put_u64(s, v.u);
		if ((t = l2tp_proxy_auth_text((uint16_t)v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {
		    "CRC errors ",          ", framing errors ",
		    ", hardware overruns ", ", buffer overruns ",
		    ", timeout errors ",    ", alignment errors "};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v.errs[i]);
		}
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, "send ");
		put_hexn(s, v.send_accm, 8);
		PUTL(s, ", receive ");
		put_hexn(s, v.recv_accm, 8);
		break;
	case L2TP_V_PPP_DISC:
		PUTL(s, "code ");
		put_u64(s, v.u);
		if ((t = l2tp_ppp_disconnect_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", protocol ");
		put_hexn(s, v.ppp_proto, 4);
		if ((t = l2tp_ppp_proto_name(v.ppp_proto)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", direction ");
		put_u64(s, v.ppp_dir);
		if (v.ppp_dir == 1)
			PUTL(s, " (peer)");
		else if (v.ppp_dir == 2)
			PUTL(s, " (local)");
		if (v.b.len) {
			PUTL(s, ", message ");
			l2tp_pr_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	}
}

void
l2tp_print_avp_value(struct l2tp_sink *s, const struct l2tp_avp *a)
{
	l2tp_pr_avp_words(s, a, -1);
}

void
l2tp_print_avp_value_in(struct l2tp_sink *s, const struct l2tp_avp *a,
                        int msg_type)
{
	l2tp_pr_avp_words(s, a, msg_type);
}

void
l2tp_pr_time(struct l2tp_sink *s, const struct l2tp_print_opts *po,
             const struct l2tp_pkt_meta *meta)
{
	int64_t t = meta->ts_sec + (po ? po->tz_offset : 0);
	int64_t sod = t % 86400;
	uint32_t us = meta->ts_usec % 1000000u;
	char b[15];

	if (sod < 0)
		sod += 86400;
	put_2d(b, (unsigned)(sod / 3600));
	b[2] = ':';
	put_2d(b + 3, (unsigned)(sod / 60 % 60));
	b[5] = ':';
	put_2d(b + 6, (unsigned)(sod % 60));
	b[8] = '.';
	for (int i = 14; i >= 9; i--) {
		b[i] = (char)('0' + us % 10);
		us /= 10;
	}
	put(s, b, 15);
}

/* "src.sport > dst.dport" of the frame: the line prefix and the tree. */
void
l2tp_pr_endpoints(struct l2tp_sink *s, const struct l2tp_frame *fr)
{
	put_ipaddr(s, &fr->src);
	if (has_ports(fr)) {
		putch(s, '.');
		put_u64(s, fr->sport);
	}
	PUTL(s, " > ");
	put_ipaddr(s, &fr->dst);
	if (has_ports(fr)) {
		putch(s, '.');
		put_u64(s, fr->dport);
	}
}

/* "frame time src.sport > dst.dport: " for the line form. */
void
l2tp_pr_line_prefix(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                    const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr;

	if (meta == NULL)
		return;
	if (meta->frame) {
		put_u64(s, meta->frame);
		putch(s, ' ');
	}
	if (meta->frame || meta->ts_sec || meta->ts_usec) {
		l2tp_pr_time(s, po, meta);
		putch(s, ' ');
	}
	fr = meta->fr;
	if (fr == NULL || fr->src.family == 0)
		return;
	l2tp_pr_endpoints(s, fr);
	PUTL(s, ": ");
}

/* "kind: what", the kind in the error colour: the line and tree forms. */
void
l2tp_pr_problem_text(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const char *kind, const char *what)
{
	color(s, po, C_ERR);
	put_str(s, kind);
	color(s, po, C_OFF);
	PUTL(s, ": ");
	put_str(s, what);
}

void
l2tp_pr_problem(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const char *kind, const char *what)
{
	PUTL(s, " [");
	l2tp_pr_problem_text(s, po, kind, what);
	putch(s, ']');
}

/* Payload of a data message, read by ppp.c. */
bool
l2tp_pr_payload(const struct l2tp_msg *m, struct l2tp_ppp *pp)
{
	size_t wire;

	if (m->control || m->hdr_len == 0 || m->payload.p == NULL)
		return false;
	/* Bytes the payload has on the wire: up to Length, or the datagram. */
	wire = m->wire_len;
	if (m->has_length) {
		size_t total = m->length;

		if (total < wire)
			wire = total;
	}
	wire = wire > m->hdr_len ? wire - m->hdr_len : 0;
	if (wire < m->payload.len)
		wire = m->payload.len;
	if (wire == 0 && m->payload.len == 0)
		return false;
	if (m->version == 3)
		l2tp_ppp_parse_eth(m->payload.p, m->payload.len, wire, pp);
	else
		l2tp_ppp_parse(m->payload.p, m->payload.len, wire, pp);
	return true;
}

void
l2tp_pr_ip_addrs(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	if (ip->family == 4)
		put_ipv4(s, ip->src);
	else
		put_ipv6(s, ip->src);
	if (ip->has_ports) {
		putch(s, '.');
		put_u64(s, ip->sport);
	}
	PUTL(s, " > ");
	if (ip->family == 4)
		put_ipv4(s, ip->dst);
	else
		put_ipv6(s, ip->dst);
	if (ip->has_ports) {
		putch(s, '.');
		put_u64(s, ip->dport);
	}
}

void
l2tp_pr_ppp_opt_value(struct l2tp_sink *s, uint16_t proto,
                      const struct l2tp_ppp_opt *o, bool words)
{
	struct rd r;
	uint16_t u16;
	uint32_t u32;
	uint8_t u8;
	const char *t;

	rd_init(&r, o->val.p, o->val.len);
	switch ((enum l2tp_ppp_okind)o->kind) {
	case L2TP_PPP_O_U16:
		if (o->val.len == 2 && rd_u16(&r, &u16) == 0) {
			put_u64(s, u16);
			return;
		}
		break;
	case L2TP_PPP_O_HEX32:
		if (o->val.len == 4 && rd_u32(&r, &u32) == 0) {
			put_hexn(s, u32, 8);
			return;
		}
		break;
	case L2TP_PPP_O_AUTH:
	case L2TP_PPP_O_PROTO:
		if (rd_u16(&r, &u16) < 0)
			break;
		if ((t = l2tp_ppp_proto_name(u16)) != NULL)
			put_str(s, t);
		else if (u16 == 0x002d && proto == L2TP_PPP_IPCP)
			PUTL(s, "VJ");
		else
			put_hexn(s, u16, 4);
		if (u16 == L2TP_PPP_CHAP && rd_u8(&r, &u8) == 0) {
			putch(s, '/');
			if (u8 == 5)
				PUTL(s, "MD5");
			else if (u8 == 0x80)
				PUTL(s, "MS-CHAP");
			else if (u8 == 0x81)
				PUTL(s, "MS-CHAPv2");
			else
				put_u64(s, u8);
		}
		if (words && r.left) {
			PUTL(s, " + ");
			put_hexbytes(s, r.p, r.left);
		}
		return;
	case L2TP_PPP_O_EMPTY:
		if (o->val.len == 0) {
			if (words)
				PUTL(s, "(no value)");
			return;
		}
		break;
	case L2TP_PPP_O_IPV4:
		if (o->val.len == 4) {
			put_ipv4(s, o->val.p);
			return;
		}
		break;
	case L2TP_PPP_O_IFID:
		if (o->val.len == 8) {
			for (int i = 0; i < 4; i++) {
				if (i)
					putch(s, ':');
				put_hexbytes(s, o->val.p + 2 * i, 2);
			}
			return;
		}
		break;
	case L2TP_PPP_O_BYTES:
		break;
	}
	if (o->val.len == 0)
		PUTL(s, "(empty)");
	else
		put_hexbytes(s, o->val.p, o->val.len);
}

void
l2tp_pr_code_name(struct l2tp_sink *s, uint16_t proto, uint8_t code)
{
	const char *t = l2tp_ppp_code_name(proto, code);

	if (t)
		put_str(s, t);
	else {
		PUTL(s, "code ");
		put_u64(s, code);
	}
}

/*
 * The message's name: its Message Type, or "ZLB" for a control message that
 * really has no body; NULL when there is a body but no readable Message Type
 * (missing, hidden, or cut off by the capture), `why` then says which.
 */
const char *
l2tp_pr_msg_label(const struct l2tp_msg *m, char *nb, size_t n,
                  const char **why)
{
	if (m->msg_type >= 0)
		return l2tp_msg_name(m->msg_type, nb, n);
	*why = "(no Message Type)";
	if (l2tp_msg_is_zlb(m))
		return "ZLB";
	if (m->fault == L2TP_FAULT_TRUNCATED)
		*why = "(Message Type not captured)";
	return NULL;
}

void
l2tp_pr_version(struct l2tp_sink *s, const struct l2tp_msg *m)
{
	if (m->version == 2)
		PUTL(s, "L2TPv2");
	else if (m->version == 3)
		l2tp_sink_puts(s, m->transport == L2TP_IP ? "L2TPv3/IP"
		                                          : "L2TPv3");
	else if (m->version == 1)
		PUTL(s, "L2F");
	else {
		PUTL(s, "L2TP version ");
		put_u64(s, m->version);
	}
}

const char *
l2tp_pr_frame_kind_name(enum l2tp_frame_kind k)
{
	switch (k) {
	case L2TP_FRAME_FRAGMENT:
		return "fragment";
	case L2TP_FRAME_TRUNCATED:
		return "truncated";
	case L2TP_FRAME_MALFORMED:
		return "malformed";
	case L2TP_FRAME_UNSUPPORTED:
		return "unsupported";
	case L2TP_FRAME_OTHER:
		return "other";
	case L2TP_FRAME_L2TP:
		return "l2tp";
	}
	return "unknown";
}

const char *
l2tp_pr_frame_what(const struct l2tp_frame *fr)
{
	if (fr->why[0])
		return fr->why;
	return fr->kind == L2TP_FRAME_FRAGMENT ? "IP fragment"
	                                       : "not an L2TP datagram";
}
