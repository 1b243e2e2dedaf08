/* The JSON Lines form of an L2TP packet, on the JSON writer (schema in
 * docs/json.md; RFC 8259). */
#include <stdio.h>
#include <string.h>

#include "decoder/print_int.h"
#include "decoder/rd.h"

static void
j_bytes_str(struct l2tp_json *j, struct l2tp_bytes b)
{
	l2tp_json_strn(j, (const char *)b.p, b.len);
}

static void
j_hex(struct l2tp_json *j, struct l2tp_bytes b)
{
	l2tp_json_hex(j, b.p, b.len);
}

/* Seconds with exactly six decimals, exact for negative times too. */
static void
j_time(struct l2tp_json *j, const struct l2tp_pkt_meta *meta)
{
	int64_t sec = meta->ts_sec;
	uint32_t us = meta->ts_usec % 1000000u;
	char b[32];
	size_t k = sizeof(b);
	uint64_t a;
	bool neg = sec < 0;

	/* A negative time t.us means -(|sec| - us) seconds. */
	if (sec < 0 && us) {
		sec += 1;
		us = 1000000u - us;
	}
	for (int i = 0; i < 6; i++) {
		b[--k] = (char)('0' + us % 10);
		us /= 10;
	}
	b[--k] = '.';
	a = sec < 0 ? (uint64_t)0 - (uint64_t)sec : (uint64_t)sec;
	do {
		b[--k] = (char)('0' + a % 10);
		a /= 10;
	} while (a);
	if (neg)
		b[--k] = '-';
	l2tp_json_raw(j, b + k, sizeof(b) - k);
}

/* The common keys: frame, time, addresses, ports, transport, VLANs. */
static void
j_head(struct l2tp_json *j, const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	l2tp_json_key(j, "frame");
	if (meta && meta->frame)
		l2tp_json_uint(j, meta->frame);
	else
		l2tp_json_null(j);
	l2tp_json_key(j, "time");
	if (meta)
		j_time(j, meta);
	else
		l2tp_json_null(j);
	if (fr && fr->src.family) {
		l2tp_json_key(j, "src");
		l2tp_json_ipaddr(j, &fr->src);
		l2tp_json_key(j, "sport");
		if (has_ports(fr))
			l2tp_json_uint(j, fr->sport);
		else
			l2tp_json_null(j);
		l2tp_json_key(j, "dst");
		l2tp_json_ipaddr(j, &fr->dst);
		l2tp_json_key(j, "dport");
		if (has_ports(fr))
			l2tp_json_uint(j, fr->dport);
		else
			l2tp_json_null(j);
	} else {
		l2tp_json_knull(j, "src");
		l2tp_json_knull(j, "sport");
		l2tp_json_knull(j, "dst");
		l2tp_json_knull(j, "dport");
	}
	if (fr == NULL)
		return;
	l2tp_json_key(j, "transport");
	if (fr->ipproto == 17)
		l2tp_json_str(j, "udp");
	else if (fr->ipproto == 115)
		l2tp_json_str(j, "ip");
	else if (fr->ipproto)
		l2tp_json_uint(j, fr->ipproto);
	else
		l2tp_json_null(j);
	if (fr->nvlan) {
		l2tp_json_key(j, "vlan");
		l2tp_json_arr(j);
		for (uint8_t i = 0; i < fr->nvlan; i++)
			l2tp_json_uint(j, fr->vlan[i]);
		l2tp_json_arr_end(j);
	}
	if (fr->pppoe)
		l2tp_json_kuint(j, "pppoe_session", fr->pppoe_session);
	if (fr->reassembled)
		l2tp_json_kuint(j, "fragments", fr->nfrags);
	if (fr->kind == L2TP_FRAME_L2TP) {
		l2tp_json_kuint(j, "caplen", fr->caplen);
		l2tp_json_kuint(j, "wirelen", fr->wirelen);
	}
}

static void
j_value(struct l2tp_json *j, const struct l2tp_avp_info *ai,
        const struct l2tp_value *v, int rc, int msg_type)
{
	static const char *const errs[6] = {
	    "crc",      "framing",  "hardware_overruns", "buffer_overruns",
	    "timeouts", "alignment"};

	if (rc < 0) {
		j_hex(j, v->b);
		return;
	}
	switch (v->kind) {
	case L2TP_V_BYTES:
		j_hex(j, v->b);
		break;
	case L2TP_V_STRING:
		j_bytes_str(j, v->b);
		break;
	case L2TP_V_EMPTY:
		l2tp_json_null(j);
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
		if (ai && ai->fmt == L2TP_FMT_HEX64) {
			/* An opaque 64-bit value: JSON numbers lose bits
			 * above 2^53, so it is a hex string. */
			uint8_t b[8];

			for (int i = 0; i < 8; i++)
				b[i] = (uint8_t)(v->u >> (56 - 8 * i));
			l2tp_json_hex(j, b, 8);
		} else {
			l2tp_json_uint(j, v->u);
		}
		break;
	case L2TP_V_RESULT:
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "result", v->result);
		l2tp_json_kstr(j, "result_text",
		               l2tp_pr_result_text(msg_type, v->result));
		if (v->has_error) {
			l2tp_json_kuint(j, "error", v->error);
			l2tp_json_kstr(j, "error_text",
			               l2tp_error_text(v->error));
		} else {
			l2tp_json_knull(j, "error");
			l2tp_json_knull(j, "error_text");
		}
		l2tp_json_key(j, "message");
		if (v->has_message)
			j_bytes_str(j, v->b);
		else
			l2tp_json_null(j);
		l2tp_json_obj_end(j);
		break;
	case L2TP_V_PROTOVER:
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "version", v->u);
		l2tp_json_kuint(j, "revision", v->rev);
		l2tp_json_obj_end(j);
		break;
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER: {
		bool fr = v->kind == L2TP_V_FRAMING;

		l2tp_json_obj(j);
		l2tp_json_kuint(j, "bits", v->u);
		l2tp_json_kbool(j, fr ? "sync" : "digital", v->u & 1);
		l2tp_json_kbool(j, fr ? "async" : "analog", v->u & 2);
		l2tp_json_obj_end(j);
		break;
	}
	case L2TP_V_Q931:
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "cause", v->u);
		l2tp_json_kstr(j, "cause_text",
		               l2tp_q931_cause_text((uint16_t)v->u));
		l2tp_json_kuint(j, "msg", v->q931_msg);
		l2tp_json_key(j, "advisory");
		j_bytes_str(j, v->b);
		l2tp_json_obj_end(j);
		break;
	case L2TP_V_CALL_ERRORS:
		l2tp_json_obj(j);
		for (int i = 0; i < 6; i++)
			l2tp_json_kuint(j, errs[i], v->errs[i]);
		l2tp_json_obj_end(j);
		break;
	case L2TP_V_ACCM:
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "send", v->send_accm);
		l2tp_json_kuint(j, "recv", v->recv_accm);
		l2tp_json_obj_end(j);
		break;
	case L2TP_V_PPP_DISC:
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "code", v->u);
		l2tp_json_kuint(j, "protocol", v->ppp_proto);
		l2tp_json_kuint(j, "direction", v->ppp_dir);
		l2tp_json_key(j, "message");
		j_bytes_str(j, v->b);
		l2tp_json_obj_end(j);
		break;
	}
}

static void
j_avp(struct l2tp_json *j, const struct l2tp_avp *a, int msg_type)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_value v;
	int rc;

	l2tp_json_obj(j);
	l2tp_json_kuint(j, "vendor", a->vendor);
	l2tp_json_kuint(j, "type", a->type);
	if (ai) {
		l2tp_json_kstr(j, "name", ai->name);
		l2tp_json_kstr(j, "key", ai->key);
	} else {
		char nb[32];

		l2tp_json_kstr(
		    j, "name",
		    l2tp_avp_name(a->vendor, a->type, nb, sizeof(nb)));
		l2tp_json_knull(j, "key");
	}
	l2tp_json_kbool(j, "mandatory", a->m);
	l2tp_json_kbool(j, "hidden", a->h);
	l2tp_json_kuint(j, "length", a->len);
	if (a->rsvd)
		l2tp_json_kuint(j, "reserved", a->rsvd);
	if (a->h) {
		l2tp_json_kbool(j, "decrypted", a->decrypted);
		if (a->decrypted)
			l2tp_json_kuint(j, "secret",
			                (uint64_t)a->secret_idx + 1);
	}
	l2tp_json_key(j, "value");
	rc = l2tp_avp_value(a, &v);
	if (a->h && !a->decrypted)
		j_hex(j, a->value);
	else
		j_value(j, ai, &v, rc, msg_type);
	l2tp_json_obj_end(j);
}

static void
j_ip4(struct l2tp_json *j, const uint8_t *a)
{
	l2tp_json_ipaddr(
	    j, &(const struct l2tp_ipaddr){4, {a[0], a[1], a[2], a[3]}});
}

static void
j_ip(struct l2tp_json *j, const struct l2tp_ppp_ip *ip)
{
	struct l2tp_ipaddr a = {(uint8_t)(ip->family == 4 ? 4 : 6), {0}};

	l2tp_json_obj(j);
	l2tp_json_kuint(j, "version", ip->family);
	memcpy(a.a, ip->src, a.family == 4 ? 4 : 16);
	l2tp_json_key(j, "src");
	l2tp_json_ipaddr(j, &a);
	memcpy(a.a, ip->dst, a.family == 4 ? 4 : 16);
	l2tp_json_key(j, "dst");
	l2tp_json_ipaddr(j, &a);
	l2tp_json_kuint(j, "protocol", ip->proto);
	l2tp_json_kuint(j, "length", ip->len);
	l2tp_json_kuint(j, "ttl", ip->ttl);
	if (ip->frag)
		l2tp_json_kbool(j, "fragment", true);
	if (ip->has_ports) {
		l2tp_json_kuint(j, "sport", ip->sport);
		l2tp_json_kuint(j, "dport", ip->dport);
	}
	if (ip->has_icmp) {
		l2tp_json_kuint(j, "icmp_type", ip->icmp_type);
		l2tp_json_kuint(j, "icmp_code", ip->icmp_code);
	}
	l2tp_json_obj_end(j);
}

static void
j_mac(struct l2tp_json *j, const char *key, const uint8_t *m)
{
	char b[17];

	for (int i = 0; i < 6; i++) {
		b[3 * i] = hexd[m[i] >> 4];
		b[3 * i + 1] = hexd[m[i] & 0xf];
		if (i < 5)
			b[3 * i + 2] = ':';
	}
	l2tp_json_key(j, key);
	l2tp_json_strn(j, b, 17);
}

static void
j_ppp_opt_value(struct l2tp_json *j, const struct l2tp_ppp_opt *o)
{
	struct rd r;
	uint16_t u16;
	uint32_t u32;

	rd_init(&r, o->val.p, o->val.len);
	switch ((enum l2tp_ppp_okind)o->kind) {
	case L2TP_PPP_O_U16:
		if (o->val.len == 2 && rd_u16(&r, &u16) == 0) {
			l2tp_json_uint(j, u16);
			return;
		}
		break;
	case L2TP_PPP_O_HEX32:
		if (o->val.len == 4 && rd_u32(&r, &u32) == 0) {
			l2tp_json_uint(j, u32);
			return;
		}
		break;
	case L2TP_PPP_O_AUTH:
	case L2TP_PPP_O_PROTO:
		if (rd_u16(&r, &u16) < 0)
			break;
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "protocol", u16);
		l2tp_json_key(j, "data");
		l2tp_json_hex(j, r.p, r.left);
		l2tp_json_obj_end(j);
		return;
	case L2TP_PPP_O_EMPTY:
		if (o->val.len == 0) {
			l2tp_json_null(j);
			return;
		}
		break;
	case L2TP_PPP_O_IPV4:
		if (o->val.len == 4) {
			j_ip4(j, o->val.p);
			return;
		}
		break;
	case L2TP_PPP_O_IFID:
	case L2TP_PPP_O_BYTES:
		break;
	}
	j_hex(j, o->val);
}

static void
j_ethernet(struct l2tp_json *j, const struct l2tp_ppp *pp)
{
	l2tp_json_key(j, "ethernet");
	l2tp_json_obj(j);
	j_mac(j, "src", pp->eth_src);
	j_mac(j, "dst", pp->eth_dst);
	if (pp->nvlan) {
		l2tp_json_key(j, "vlan");
		l2tp_json_arr(j);
		for (uint8_t i = 0; i < pp->nvlan; i++)
			l2tp_json_uint(j, pp->vlan[i]);
		l2tp_json_arr_end(j);
	}
	l2tp_json_key(j, "ethertype");
	if (pp->kind == L2TP_PPP_K_NONE)
		l2tp_json_null(j);
	else
		l2tp_json_uint(j, pp->ethertype);
	l2tp_json_kuint(j, "length", pp->total);
	if (pp->kind == L2TP_PPP_K_IP) {
		l2tp_json_key(j, "ip");
		j_ip(j, &pp->ip);
	} else if (pp->kind == L2TP_PPP_K_ARP) {
		l2tp_json_key(j, "arp");
		l2tp_json_obj(j);
		l2tp_json_kuint(j, "op", pp->arp_op);
		if (pp->arp_addrs) {
			j_mac(j, "sender_mac", pp->arp_sha);
			l2tp_json_key(j, "sender_ip");
			j_ip4(j, pp->arp_spa);
			j_mac(j, "target_mac", pp->arp_tha);
			l2tp_json_key(j, "target_ip");
			j_ip4(j, pp->arp_tpa);
		}
		l2tp_json_obj_end(j);
	}
	l2tp_json_obj_end(j);
}

static void
j_payload(struct l2tp_json *j, const struct l2tp_ppp *pp)
{
	if (pp->eth) {
		j_ethernet(j, pp);
		return;
	}
	l2tp_json_key(j, "ppp");
	l2tp_json_obj(j);
	l2tp_json_kuint(j, "length", pp->total);
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0)
		goto out;
	l2tp_json_kbool(j, "address_control", pp->has_ac);
	l2tp_json_kuint(j, "protocol", pp->proto);
	l2tp_json_kstr(j, "protocol_name", l2tp_ppp_proto_name(pp->proto));
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		if (!pp->has_code)
			goto out;
		l2tp_json_kuint(j, "code", pp->code);
		l2tp_json_kstr(j, "code_name",
		               l2tp_ppp_code_name(pp->proto, pp->code));
		l2tp_json_kuint(j, "id", pp->id);
		l2tp_json_kuint(j, "ppp_length", pp->length);
		break;
	case L2TP_PPP_K_IP:
		l2tp_json_key(j, "ip");
		j_ip(j, &pp->ip);
		break;
	default:
		break;
	}
	if (pp->kind == L2TP_PPP_K_CP && pp->code >= 1 && pp->code <= 4) {
		l2tp_json_key(j, "options");
		l2tp_json_arr(j);
		for (size_t i = 0; i < pp->nopts; i++) {
			const struct l2tp_ppp_opt *o = &pp->opts[i];

			l2tp_json_obj(j);
			l2tp_json_kuint(j, "type", o->type);
			l2tp_json_kstr(j, "name", o->name);
			l2tp_json_kuint(j, "length", o->len);
			l2tp_json_key(j, "value");
			j_ppp_opt_value(j, o);
			l2tp_json_obj_end(j);
		}
		l2tp_json_arr_end(j);
	}
	if (pp->has_magic)
		l2tp_json_kuint(j, "magic", pp->magic);
	if (pp->has_rejected)
		l2tp_json_kuint(j, "rejected_protocol", pp->rejected_proto);
	if (pp->has_rejected_code)
		l2tp_json_kuint(j, "rejected_code", pp->rejected_code);
	if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
		l2tp_json_key(j, "peer_id");
		j_bytes_str(j, pp->name);
		l2tp_json_kuint(j, "password_length", pp->secret.len);
	} else if (pp->kind == L2TP_PPP_K_CHAP &&
	           (pp->code == 1 || pp->code == 2)) {
		l2tp_json_key(j, "value");
		j_hex(j, pp->secret);
		l2tp_json_key(j, "name");
		j_bytes_str(j, pp->name);
	} else if (pp->kind == L2TP_PPP_K_PAP || pp->kind == L2TP_PPP_K_CHAP) {
		l2tp_json_key(j, "message");
		j_bytes_str(j, pp->text);
	} else if (pp->kind == L2TP_PPP_K_CP && pp->text.len) {
		/* Terminate and Identification carry text; the rest bytes */
		if (pp->code == 5 || pp->code == 6 || pp->code == 12) {
			l2tp_json_key(j, "message");
			j_bytes_str(j, pp->text);
		} else {
			l2tp_json_key(j, "data");
			j_hex(j, pp->text);
		}
	}
out:
	l2tp_json_obj_end(j);
}

static void
j_error(struct l2tp_json *j, const char *kind, const char *what, int avp)
{
	l2tp_json_obj(j);
	l2tp_json_kstr(j, "kind", kind);
	l2tp_json_kstr(j, "what", what);
	if (avp >= 0)
		l2tp_json_kuint(j, "avp", (uint64_t)avp);
	l2tp_json_obj_end(j);
}

/* The L2TP header's keys (docs/json.md, l2tp). */
static void
j_header(struct l2tp_json *j, const struct l2tp_msg *m)
{
	if (m->has_length)
		l2tp_json_kuint(j, "length", m->length);
	if (m->version == 2) {
		l2tp_json_kuint(j, "tunnel", m->tunnel);
		l2tp_json_kuint(j, "session", m->session);
	} else if (m->control) {
		l2tp_json_kuint(j, "ccid", m->tunnel);
		l2tp_json_kuint(j, "session", 0);
	} else {
		l2tp_json_kuint(j, "session", m->session);
	}
	if (m->has_seq) {
		l2tp_json_kuint(j, "ns", m->ns);
		l2tp_json_kuint(j, "nr", m->nr);
	}
	if (m->has_offset)
		l2tp_json_kuint(j, "offset_size", m->offset_size);
	if (m->version == 3 && !m->control) {
		l2tp_json_key(j, "cookie");
		j_hex(j, m->cookie);
		if (m->has_sublayer) {
			l2tp_json_key(j, "sublayer");
			l2tp_json_obj(j);
			l2tp_json_kbool(j, "s", m->sublayer_s);
			l2tp_json_kuint(j, "seq", m->sublayer_seq);
			l2tp_json_obj_end(j);
		}
	}
}

void
l2tp_print_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_json j;
	struct l2tp_ppp pp;
	bool have_pp = false;
	const char *name, *why;
	char nb[24];

	(void)po;
	l2tp_json_init(&j, s);
	l2tp_json_obj(&j);
	j_head(&j, meta);
	l2tp_json_key(&j, "l2tp");
	l2tp_json_obj(&j);
	l2tp_json_kuint(&j, "version", m->version);
	l2tp_json_kstr(&j, "type", m->control ? "control" : "data");
	l2tp_json_kstr(&j, "transport", m->transport == L2TP_IP ? "ip" : "udp");
	if (m->transport == L2TP_UDP || m->control)
		l2tp_json_kuint(&j, "flags", m->flags);
	if (m->hdr_len == 0 || (m->version != 2 && m->version != 3)) {
		l2tp_json_kbool(&j, "header", false);
		goto end_l2tp;
	}
	j_header(&j, m);
	l2tp_json_key(&j, "message");
	if (m->control &&
	    (name = l2tp_pr_msg_label(m, nb, sizeof(nb), &why)) != NULL) {
		l2tp_json_str(&j, name);
		if (m->msg_type >= 0)
			l2tp_json_kuint(&j, "message_type",
			                (uint64_t)m->msg_type);
	} else {
		l2tp_json_null(&j);
	}
	if (m->control) {
		l2tp_json_key(&j, "avps");
		l2tp_json_arr(&j);
		for (size_t i = 0; i < m->navps; i++)
			j_avp(&j, &m->avps[i], m->msg_type);
		l2tp_json_arr_end(&j);
	} else if ((have_pp = l2tp_pr_payload(m, &pp))) {
		j_payload(&j, &pp);
	}
end_l2tp:
	l2tp_json_obj_end(&j);
	l2tp_json_key(&j, "errors");
	l2tp_json_arr(&j);
	for (size_t i = 0; i < m->nproblems; i++)
		j_error(&j, l2tp_fault_name(m->problems[i].kind),
		        m->problems[i].what, m->problems[i].avp);
	if (m->problems_dropped) {
		char w[64];

		snprintf(w, sizeof(w), "%zu more problems not recorded",
		         m->problems_dropped);
		j_error(&j, l2tp_fault_name(m->fault), w, -1);
	}
	if (have_pp && pp.fault != L2TP_FAULT_NONE)
		j_error(&j, l2tp_fault_name(pp.fault), pp.what, -1);
	l2tp_json_arr_end(&j);
	l2tp_json_obj_end(&j);
	putch(s, '\n');
}

void
l2tp_print_frame_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                      const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;
	struct l2tp_json j;

	(void)po;
	l2tp_json_init(&j, s);
	l2tp_json_obj(&j);
	j_head(&j, meta);
	l2tp_json_knull(&j, "l2tp");
	l2tp_json_key(&j, "errors");
	l2tp_json_arr(&j);
	if (fr)
		j_error(&j, l2tp_pr_frame_kind_name(fr->kind),
		        l2tp_pr_frame_what(fr), -1);
	l2tp_json_arr_end(&j);
	l2tp_json_obj_end(&j);
	putch(s, '\n');
}
