/* The JSON Lines form of an L2TP packet (schema in docs/json.md; RFC 8259). */
#include <stdlib.h>
#include <string.h>

#include "decoder/print_int.h"
#include "decoder/rd.h"

static void
json_str(struct l2tp_sink *s, const char *str)
{
	l2tp_sink_json_str(s, str, strlen(str));
}

/*
 * A string from the project's own tables (names, keys, meanings): printable
 * ASCII without quotes or backslashes, which tests/test_print.c checks for
 * every table entry, so it needs no escaping.
 */
static void
json_safe(struct l2tp_sink *s, const char *str)
{
	putch(s, '"');
	put_str(s, str);
	putch(s, '"');
}

static void
json_bytes_str(struct l2tp_sink *s, struct l2tp_bytes b)
{
	l2tp_sink_json_str(s, (const char *)b.p, b.len);
}

static void
json_hex(struct l2tp_sink *s, struct l2tp_bytes b)
{
	putch(s, '"');
	put_hexbytes(s, b.p, b.len);
	putch(s, '"');
}

static void
json_time(struct l2tp_sink *s, const struct l2tp_pkt_meta *meta)
{
	int64_t sec = meta->ts_sec;
	uint32_t us = meta->ts_usec % 1000000u;
	char b[7];

	/* A negative time t.us means -(|sec| - us) seconds: keep it exact. */
	if (sec < 0 && us) {
		sec += 1;
		us = 1000000u - us;
		if (sec == 0)
			putch(s, '-');
	}
	put_i64(s, sec);
	b[0] = '.';
	for (int i = 6; i >= 1; i--) {
		b[i] = (char)('0' + us % 10);
		us /= 10;
	}
	put(s, b, 7);
}

/* The common keys: frame, time, addresses, ports, transport, VLANs. */
static void
json_head(struct l2tp_sink *s, const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	PUTL(s, "{\"frame\":");
	if (meta && meta->frame)
		put_u64(s, meta->frame);
	else
		PUTL(s, "null");
	PUTL(s, ",\"time\":");
	if (meta)
		json_time(s, meta);
	else
		PUTL(s, "null");
	if (fr && fr->src.family) {
		PUTL(s, ",\"src\":\"");
		put_ipaddr(s, &fr->src);
		PUTL(s, "\",\"sport\":");
		if (has_ports(fr))
			put_u64(s, fr->sport);
		else
			PUTL(s, "null");
		PUTL(s, ",\"dst\":\"");
		put_ipaddr(s, &fr->dst);
		PUTL(s, "\",\"dport\":");
		if (has_ports(fr))
			put_u64(s, fr->dport);
		else
			PUTL(s, "null");
	} else {
		PUTL(s, ",\"src\":null,\"sport\":null,\"dst\":null,"
		        "\"dport\":null");
	}
	if (fr) {
		PUTL(s, ",\"transport\":");
		if (fr->ipproto == 17)
			PUTL(s, "\"udp\"");
		else if (fr->ipproto == 115)
			PUTL(s, "\"ip\"");
		else if (fr->ipproto)
			put_u64(s, fr->ipproto);
		else
			PUTL(s, "null");
		if (fr->nvlan) {
			PUTL(s, ",\"vlan\":[");
			for (uint8_t i = 0; i < fr->nvlan; i++) {
				if (i)
					putch(s, ',');
				put_u64(s, fr->vlan[i]);
			}
			putch(s, ']');
		}
		if (fr->pppoe) {
			PUTL(s, ",\"pppoe_session\":");
			put_u64(s, fr->pppoe_session);
		}
		if (fr->reassembled) {
			PUTL(s, ",\"fragments\":");
			put_u64(s, fr->nfrags);
		}
		if (fr->kind == L2TP_FRAME_L2TP) {
			PUTL(s, ",\"caplen\":");
			put_u64(s, fr->caplen);
			PUTL(s, ",\"wirelen\":");
			put_u64(s, fr->wirelen);
		}
	}
}

static void
json_bool(struct l2tp_sink *s, bool b)
{
	if (b)
		PUTL(s, "true");
	else
		PUTL(s, "false");
}

static void
json_text_or_null(struct l2tp_sink *s, const char *t)
{
	if (t)
		json_safe(s, t);
	else
		PUTL(s, "null");
}

static void
json_value(struct l2tp_sink *s, const struct l2tp_avp *a,
           const struct l2tp_value *v, int rc, int msg_type)
{
	const struct l2tp_avp_info *pi = l2tp_avp_info(a->vendor, a->type);

	if (rc < 0) {
		json_hex(s, v->b);
		return;
	}
	switch (v->kind) {
	case L2TP_V_BYTES:
		json_hex(s, v->b);
		break;
	case L2TP_V_STRING:
		json_bytes_str(s, v->b);
		break;
	case L2TP_V_EMPTY:
		PUTL(s, "null");
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
		if (pi && pi->fmt == L2TP_FMT_HEX64) {
			/* An opaque 64-bit value: JSON numbers lose bits
			 * above 2^53, so it is a hex string. */
			char b[16];

			for (int i = 0; i < 16; i++)
				b[i] = hexd[(v->u >> (60 - 4 * i)) & 0xf];
			putch(s, '"');
			put(s, b, 16);
			putch(s, '"');
		} else {
			put_u64(s, v->u);
		}
		break;
	case L2TP_V_RESULT:
		PUTL(s, "{\"result\":");
		put_u64(s, v->result);
		PUTL(s, ",\"result_text\":");
		json_text_or_null(s, l2tp_pr_result_text(msg_type, v->result));
		PUTL(s, ",\"error\":");
		if (v->has_error) {
			put_u64(s, v->error);
			PUTL(s, ",\"error_text\":");
			json_text_or_null(s, l2tp_error_text(v->error));
		} else {
			PUTL(s, "null,\"error_text\":null");
		}
		PUTL(s, ",\"message\":");
		if (v->has_message)
			json_bytes_str(s, v->b);
		else
			PUTL(s, "null");
		putch(s, '}');
		break;
	case L2TP_V_PROTOVER:
		PUTL(s, "{\"version\":");
		put_u64(s, v->u);
		PUTL(s, ",\"revision\":");
		put_u64(s, v->rev);
		putch(s, '}');
		break;
	case L2TP_V_FRAMING:
		PUTL(s, "{\"bits\":");
		put_u64(s, v->u);
		PUTL(s, ",\"sync\":");
		json_bool(s, v->u & 1);
		PUTL(s, ",\"async\":");
		json_bool(s, v->u & 2);
		putch(s, '}');
		break;
	case L2TP_V_BEARER:
		PUTL(s, "{\"bits\":");
		put_u64(s, v->u);
		PUTL(s, ",\"digital\":");
		json_bool(s, v->u & 1);
		PUTL(s, ",\"analog\":");
		json_bool(s, v->u & 2);
		putch(s, '}');
		break;
	case L2TP_V_Q931:
		PUTL(s, "{\"cause\":");
		put_u64(s, v->u);
		PUTL(s, ",\"cause_text\":");
		json_text_or_null(s, l2tp_q931_cause_text((uint16_t)v->u));
		PUTL(s, ",\"msg\":");
		put_u64(s, v->q931_msg);
		PUTL(s, ",\"advisory\":");
		json_bytes_str(s, v->b);
		putch(s, '}');
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {"{\"crc\":",
		                                 ",\"framing\":",
		                                 ",\"hardware_overruns\":",
		                                 ",\"buffer_overruns\":",
		                                 ",\"timeouts\":",
		                                 ",\"alignment\":"};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v->errs[i]);
		}
		putch(s, '}');
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, "{\"send\":");
		put_u64(s, v->send_accm);
		PUTL(s, ",\"recv\":");
		put_u64(s, v->recv_accm);
		putch(s, '}');
		break;
	case L2TP_V_PPP_DISC:
		PUTL(s, "{\"code\":");
		put_u64(s, v->u);
		PUTL(s, ",\"protocol\":");
		put_u64(s, v->ppp_proto);
		PUTL(s, ",\"direction\":");
		put_u64(s, v->ppp_dir);
		PUTL(s, ",\"message\":");
		json_bytes_str(s, v->b);
		putch(s, '}');
		break;
	}
}

static void
json_avp(struct l2tp_sink *s, const struct l2tp_avp *a, int msg_type)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_value v;
	int rc;

	PUTL(s, "{\"vendor\":");
	put_u64(s, a->vendor);
	PUTL(s, ",\"type\":");
	put_u64(s, a->type);
	PUTL(s, ",\"name\":");
	if (ai) {
		json_safe(s, ai->name);
		PUTL(s, ",\"key\":");
		json_safe(s, ai->key);
	} else {
		char nb[32];

		json_safe(s, l2tp_avp_name(a->vendor, a->type, nb, sizeof(nb)));
		PUTL(s, ",\"key\":null");
	}
	PUTL(s, ",\"mandatory\":");
	json_bool(s, a->m);
	PUTL(s, ",\"hidden\":");
	json_bool(s, a->h);
	PUTL(s, ",\"length\":");
	put_u64(s, a->len);
	if (a->rsvd) {
		PUTL(s, ",\"reserved\":");
		put_u64(s, a->rsvd);
	}
	if (a->h) {
		PUTL(s, ",\"decrypted\":");
		json_bool(s, a->decrypted);
		if (a->decrypted) {
			PUTL(s, ",\"secret\":");
			put_u64(s, (uint64_t)a->secret_idx + 1);
		}
	}
	PUTL(s, ",\"value\":");
	rc = l2tp_avp_value(a, &v);
	if (a->h && !a->decrypted)
		json_hex(s, a->value);
	else
		json_value(s, a, &v, rc, msg_type);
	putch(s, '}');
}

static void
json_ip(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	PUTL(s, "{\"version\":");
	put_u64(s, ip->family);
	PUTL(s, ",\"src\":\"");
	if (ip->family == 4)
		put_ipv4(s, ip->src);
	else
		put_ipv6(s, ip->src);
	PUTL(s, "\",\"dst\":\"");
	if (ip->family == 4)
		put_ipv4(s, ip->dst);
	else
		put_ipv6(s, ip->dst);
	PUTL(s, "\",\"protocol\":");
	put_u64(s, ip->proto);
	PUTL(s, ",\"length\":");
	put_u64(s, ip->len);
	PUTL(s, ",\"ttl\":");
	put_u64(s, ip->ttl);
	if (ip->frag)
		PUTL(s, ",\"fragment\":true");
	if (ip->has_ports) {
		PUTL(s, ",\"sport\":");
		put_u64(s, ip->sport);
		PUTL(s, ",\"dport\":");
		put_u64(s, ip->dport);
	}
	if (ip->has_icmp) {
		PUTL(s, ",\"icmp_type\":");
		put_u64(s, ip->icmp_type);
		PUTL(s, ",\"icmp_code\":");
		put_u64(s, ip->icmp_code);
	}
	putch(s, '}');
}

static void
json_mac(struct l2tp_sink *s, const uint8_t *m)
{
	putch(s, '"');
	l2tp_pr_mac(s, m);
	putch(s, '"');
}

static void
json_ppp_opt_value(struct l2tp_sink *s, uint16_t proto,
                   const struct l2tp_ppp_opt *o)
{
	struct rd r;
	uint16_t u16;
	uint32_t u32;

	rd_init(&r, o->val.p, o->val.len);
	switch (l2tp_ppp_opt_kind(proto, o->type)) {
	case L2TP_PPP_O_U16:
		if (o->val.len == 2 && rd_u16(&r, &u16) == 0) {
			put_u64(s, u16);
			return;
		}
		break;
	case L2TP_PPP_O_HEX32:
		if (o->val.len == 4 && rd_u32(&r, &u32) == 0) {
			put_u64(s, u32);
			return;
		}
		break;
	case L2TP_PPP_O_AUTH:
	case L2TP_PPP_O_PROTO:
		if (rd_u16(&r, &u16) < 0)
			break;
		PUTL(s, "{\"protocol\":");
		put_u64(s, u16);
		PUTL(s, ",\"data\":\"");
		put_hexbytes(s, r.p, r.left);
		PUTL(s, "\"}");
		return;
	case L2TP_PPP_O_EMPTY:
		if (o->val.len == 0) {
			PUTL(s, "null");
			return;
		}
		break;
	case L2TP_PPP_O_IPV4:
		if (o->val.len == 4) {
			putch(s, '"');
			put_ipv4(s, o->val.p);
			putch(s, '"');
			return;
		}
		break;
	case L2TP_PPP_O_IFID:
	case L2TP_PPP_O_BYTES:
		break;
	}
	json_hex(s, o->val);
}

static void
json_payload(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, ",\"ethernet\":{\"src\":");
		json_mac(s, pp->eth_src);
		PUTL(s, ",\"dst\":");
		json_mac(s, pp->eth_dst);
		if (pp->nvlan) {
			PUTL(s, ",\"vlan\":[");
			for (uint8_t i = 0; i < pp->nvlan; i++) {
				if (i)
					putch(s, ',');
				put_u64(s, pp->vlan[i]);
			}
			putch(s, ']');
		}
		PUTL(s, ",\"ethertype\":");
		if (pp->kind == L2TP_PPP_K_NONE)
			PUTL(s, "null");
		else
			put_u64(s, pp->ethertype);
		PUTL(s, ",\"length\":");
		put_u64(s, pp->total);
		if (pp->kind == L2TP_PPP_K_IP) {
			PUTL(s, ",\"ip\":");
			json_ip(s, &pp->ip);
		} else if (pp->kind == L2TP_PPP_K_ARP && !pp->arp_addrs) {
			PUTL(s, ",\"arp\":{\"op\":");
			put_u64(s, pp->arp_op);
			putch(s, '}');
		} else if (pp->kind == L2TP_PPP_K_ARP) {
			PUTL(s, ",\"arp\":{\"op\":");
			put_u64(s, pp->arp_op);
			PUTL(s, ",\"sender_mac\":");
			json_mac(s, pp->arp_sha);
			PUTL(s, ",\"sender_ip\":\"");
			put_ipv4(s, pp->arp_spa);
			PUTL(s, "\",\"target_mac\":");
			json_mac(s, pp->arp_tha);
			PUTL(s, ",\"target_ip\":\"");
			put_ipv4(s, pp->arp_tpa);
			PUTL(s, "\"}");
		}
		putch(s, '}');
		return;
	}
	PUTL(s, ",\"ppp\":{\"length\":");
	put_u64(s, pp->total);
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0) {
		putch(s, '}');
		return;
	}
	PUTL(s, ",\"address_control\":");
	json_bool(s, pp->has_ac);
	PUTL(s, ",\"protocol\":");
	put_u64(s, pp->proto);
	PUTL(s, ",\"protocol_name\":");
	json_text_or_null(s, l2tp_ppp_proto_name(pp->proto));
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		if (!pp->has_code) {
			putch(s, '}');
			return;
		}
		PUTL(s, ",\"code\":");
		put_u64(s, pp->code);
		PUTL(s, ",\"code_name\":");
		json_text_or_null(s, l2tp_ppp_code_name(pp->proto, pp->code));
		PUTL(s, ",\"id\":");
		put_u64(s, pp->id);
		PUTL(s, ",\"ppp_length\":");
		put_u64(s, pp->length);
		break;
	case L2TP_PPP_K_IP:
		PUTL(s, ",\"ip\":");
		json_ip(s, &pp->ip);
		break;
	default:
		break;
	}
	if (pp->kind == L2TP_PPP_K_CP && pp->code >= 1 && pp->code <= 4) {
		PUTL(s, ",\"options\":[");
		for (size_t i = 0; i < pp->nopts; i++) {
			const struct l2tp_ppp_opt *o = &pp->opts[i];

			if (i)
				putch(s, ',');
			PUTL(s, "{\"type\":");
			put_u64(s, o->type);
			PUTL(s, ",\"name\":");
			t = l2tp_ppp_opt_name(pp->proto, o->type);
			json_text_or_null(s, t);
			PUTL(s, ",\"length\":");
			put_u64(s, o->len);
			PUTL(s, ",\"value\":");
			json_ppp_opt_value(s, pp->proto, o);
			putch(s, '}');
		}
		putch(s, ']');
	}
	if (pp->has_magic) {
		PUTL(s, ",\"magic\":");
		put_u64(s, pp->magic);
	}
	if (pp->has_rejected) {
		PUTL(s, ",\"rejected_protocol\":");
		put_u64(s, pp->rejected_proto);
	}
	if (pp->has_rejected_code) {
		PUTL(s, ",\"rejected_code\":");
		put_u64(s, pp->rejected_code);
	}
	if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
		PUTL(s, ",\"peer_id\":");
		json_bytes_str(s, pp->name);
		PUTL(s, ",\"password_length\":");
		put_u64(s, pp->secret.len);
	} else if (pp->kind == L2TP_PPP_K_CHAP &&
	           (pp->code == 1 || pp->code == 2)) {
		PUTL(s, ",\"value\":");
		json_hex(s, pp->secret);
		PUTL(s, ",\"name\":");
		json_bytes_str(s, pp->name);
	} else if (pp->kind == L2TP_PPP_K_PAP || pp->kind == L2TP_PPP_K_CHAP) {
		PUTL(s, ",\"message\":");
		json_bytes_str(s, pp->text);
	} else if (pp->kind == L2TP_PPP_K_CP && pp->text.len) {
		/* Terminate and Identification carry text; the rest bytes */
		if (pp->code == 5 || pp->code == 6 || pp->code == 12) {
			PUTL(s, ",\"message\":");
			json_bytes_str(s, pp->text);
		} else {
			PUTL(s, ",\"data\":");
			json_hex(s, pp->text);
		}
	}
	putch(s, '}');
}

static void
json_error(struct l2tp_sink *s, bool first, const char *kind, const char *what,
           int avp)
{
	if (!first)
		putch(s, ',');
	PUTL(s, "{\"kind\":\"");
	put_str(s, kind);
	PUTL(s, "\",\"what\":");
	json_str(s, what);
	if (avp >= 0) {
		PUTL(s, ",\"avp\":");
		put_u64(s, (uint64_t)avp);
	}
	putch(s, '}');
}

void
l2tp_print_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false, first = true;
	const char *name, *why;
	char nb[24];

	(void)po;
	json_head(s, meta);
	PUTL(s, ",\"l2tp\":{\"version\":");
	put_u64(s, m->version);
	PUTL(s, ",\"type\":");
	put_str(s, m->control ? "\"control\"" : "\"data\"");
	PUTL(s, ",\"transport\":");
	put_str(s, m->transport == L2TP_IP ? "\"ip\"" : "\"udp\"");
	if (m->transport == L2TP_UDP || m->control) {
		PUTL(s, ",\"flags\":");
		put_u64(s, m->flags);
	}
	if (m->hdr_len == 0 || (m->version != 2 && m->version != 3)) {
		PUTL(s, ",\"header\":false");
		goto end_l2tp;
	}
	if (m->has_length) {
		PUTL(s, ",\"length\":");
		put_u64(s, m->length);
	}
	if (m->version == 2) {
		PUTL(s, ",\"tunnel\":");
		put_u64(s, m->tunnel);
		PUTL(s, ",\"session\":");
		put_u64(s, m->session);
	} else if (m->control) {
		PUTL(s, ",\"ccid\":");
		put_u64(s, m->tunnel);
		PUTL(s, ",\"session\":0");
	} else {
		PUTL(s, ",\"session\":");
		put_u64(s, m->session);
	}
	if (m->has_seq) {
		PUTL(s, ",\"ns\":");
		put_u64(s, m->ns);
		PUTL(s, ",\"nr\":");
		put_u64(s, m->nr);
	}
	if (m->has_offset) {
		PUTL(s, ",\"offset_size\":");
		put_u64(s, m->offset_size);
	}
	if (m->version == 3 && !m->control) {
		PUTL(s, ",\"cookie\":");
		json_hex(s, m->cookie);
		if (m->has_sublayer) {
			PUTL(s, ",\"sublayer\":{\"s\":");
			json_bool(s, m->sublayer_s);
			PUTL(s, ",\"seq\":");
			put_u64(s, m->sublayer_seq);
			putch(s, '}');
		}
	}
	PUTL(s, ",\"message\":");
	if (!m->control) {
		PUTL(s, "null");
	} else if ((name = l2tp_pr_msg_label(m, nb, sizeof(nb), &why)) !=
	           NULL) {
		json_safe(s, name);
		if (m->msg_type >= 0) {
			PUTL(s, ",\"message_type\":");
			put_u64(s, (uint64_t)m->msg_type);
		}
	} else {
		PUTL(s, "null");
	}
	if (m->control) {
		PUTL(s, ",\"avps\":[");
		for (size_t i = 0; i < m->navps; i++) {
			if (i)
				putch(s, ',');
			json_avp(s, &m->avps[i], m->msg_type);
		}
		putch(s, ']');
	} else if ((have_pp = l2tp_pr_payload(m, &pp))) {
		json_payload(s, &pp);
	}
end_l2tp:
	PUTL(s, "},\"errors\":[");
	for (size_t i = 0; i < m->nproblems; i++) {
		json_error(s, first, l2tp_fault_name(m->problems[i].kind),
		           m->problems[i].what, m->problems[i].avp);
		first = false;
	}
	if (m->problems_dropped) {
		char w[64];

		snprintf(w, sizeof(w), "%zu more problems not recorded",
		         m->problems_dropped);
		json_error(s, first, l2tp_fault_name(m->fault), w, -1);
		first = false;
	}
	if (have_pp && pp.fault != L2TP_FAULT_NONE)
		json_error(s, first, l2tp_fault_name(pp.fault), pp.what, -1);
	PUTL(s, "]}\n");
}

void
l2tp_print_frame_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                      const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	(void)po;
	json_head(s, meta);
	PUTL(s, ",\"l2tp\":null,\"errors\":[");
	if (fr)
		json_error(s, true, l2tp_pr_frame_kind_name(fr->kind),
		           l2tp_pr_frame_what(fr), -1);
	PUTL(s, "]}\n");
}
