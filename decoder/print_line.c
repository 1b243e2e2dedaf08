/* The one-line form of an L2TP packet, tcpdump style (RFC 2661 §3.1,
 * §4.4; RFC 3931 §3-5; RFC 1661 for the PPP inside). */
#include <stdlib.h>
#include <string.h>

#include "decoder/print_int.h"
#include "decoder/rd.h"

#define LINE_STR_MAX 64

/* " (16 bytes)", " (1 byte)" */
static void
put_nbytes(struct l2tp_sink *s, size_t n)
{
	PUTL(s, " (");
	put_u64(s, n);
	if (n == 1)
		PUTL(s, " byte)");
	else
		PUTL(s, " bytes)");
}

static void
avp_short(struct l2tp_sink *s, const struct l2tp_print_opts *po,
          const struct l2tp_avp *a)
{
	const struct l2tp_avp_info *pi = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_value v;
	const char *t;
	int rc;

	if (pi == NULL) {
		const char *vn;

		if (a->vendor == 0) {
			PUTL(s, "AVP-#");
			put_u64(s, a->type);
		} else {
			PUTL(s, "vendor ");
			put_u64(s, a->vendor);
			if ((vn = l2tp_vendor_name(a->vendor)) != NULL) {
				PUTL(s, " (");
				put_str(s, vn);
				putch(s, ')');
			}
			PUTL(s, " type ");
			put_u64(s, a->type);
		}
		if (a->h)
			PUTL(s, " hidden");
		put_nbytes(s, a->value.len);
		return;
	}
	put_str(s, pi->label);
	if (a->h && !a->decrypted) {
		putch(s, ' ');
		color(s, po, C_HID);
		PUTL(s, "(hidden)");
		color(s, po, C_OFF);
		return;
	}
	rc = l2tp_avp_value(a, &v);
	if (rc < 0 || pi->line == L2TP_LINE_LEN) {
		put_nbytes(s, v.b.len);
		goto out;
	}
	switch (v.kind) {
	case L2TP_V_BYTES:
		if (pi->fmt == L2TP_FMT_HEX) {
			putch(s, ' ');
			put_hexbytes(s, v.b.p, v.b.len);
		} else {
			put_nbytes(s, v.b.len);
		}
		break;
	case L2TP_V_STRING:
		putch(s, ' ');
		l2tp_pr_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		break;
	case L2TP_V_EMPTY:
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
		putch(s, ' ');
		if (pi->fmt == L2TP_FMT_HEX64)
			put_hexn(s, v.u, 16);
		else if (pi->fmt == L2TP_FMT_HEX16)
			put_hexn(s, v.u, 4);
		else if (pi->fmt == L2TP_FMT_IPV4) {
			uint8_t ip[4] = {(uint8_t)(v.u >> 24),
			                 (uint8_t)(v.u >> 16),
			                 (uint8_t)(v.u >> 8), (uint8_t)v.u};

			put_ipv4(s, ip);
		} else if (pi->fmt == L2TP_FMT_PWTYPE &&
		           (t = l2tp_pw_type_text(v.u)) != NULL)
			put_str(s, t);
		else
			put_u64(s, v.u);
		break;
	case L2TP_V_MSGTYPE:
		putch(s, ' ');
		l2tp_pr_msg_type_name(s, (int)v.u);
		break;
	case L2TP_V_RESULT:
		putch(s, ' ');
		put_u64(s, v.result);
		if (v.has_error && v.error != 0) {
			PUTL(s, " error ");
			put_u64(s, v.error);
		}
		if (v.has_message) {
			putch(s, ' ');
			l2tp_pr_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		}
		break;
	case L2TP_V_PROTOVER:
		putch(s, ' ');
		put_u64(s, v.u);
		putch(s, '.');
		put_u64(s, v.rev);
		break;
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		putch(s, ' ');
		l2tp_pr_bits(s, v.u, v.kind == L2TP_V_FRAMING);
		break;
	case L2TP_V_Q931:
		PUTL(s, " cause ");
		put_u64(s, v.u);
		PUTL(s, " msg ");
		put_hexn(s, v.q931_msg, 2);
		break;
	case L2TP_V_PROXY_TYPE:
		putch(s, ' ');
		if ((t = l2tp_proxy_auth_short(v.u)) != NULL)
			put_str(s, t);
		else
			put_u64(s, v.u);
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {
		    " crc ",         " framing ", " hw-overrun ",
		    " buf-overrun ", " timeout ", " alignment "};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v.errs[i]);
		}
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, " send ");
		put_hexn(s, v.send_accm, 8);
		PUTL(s, " recv ");
		put_hexn(s, v.recv_accm, 8);
		break;
	case L2TP_V_PPP_DISC:
		putch(s, ' ');
		put_u64(s, v.u);
		PUTL(s, " proto ");
		put_hexn(s, v.ppp_proto, 4);
		PUTL(s, " dir ");
		put_u64(s, v.ppp_dir);
		if (v.b.len) {
			putch(s, ' ');
			l2tp_pr_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		}
		break;
	}
out:
	if (a->decrypted) {
		putch(s, ' ');
		color(s, po, C_HID);
		PUTL(s, "(decrypted)");
		color(s, po, C_OFF);
	}
}

static void
put_ip_short(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	const char *t;

	l2tp_pr_ip_addrs(s, ip);
	putch(s, ' ');
	if ((t = l2tp_ppp_ipproto_name(ip->proto)) != NULL)
		put_str(s, t);
	else {
		PUTL(s, "proto ");
		put_u64(s, ip->proto);
	}
	if (ip->has_icmp) {
		t = l2tp_ppp_icmp_name(ip->family, ip->icmp_type);
		putch(s, ' ');
		if (t)
			put_str(s, t);
		else {
			PUTL(s, "type ");
			put_u64(s, ip->icmp_type);
		}
		if (t == NULL || ip->icmp_code) {
			PUTL(s, " code ");
			put_u64(s, ip->icmp_code);
		}
	}
	if (ip->frag)
		PUTL(s, " fragment");
	PUTL(s, ", length ");
	put_u64(s, ip->len);
}

/* The one-line summary of a data payload. */
static void
ppp_short(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, "Ethernet ");
		l2tp_pr_mac(s, pp->eth_src);
		PUTL(s, " > ");
		l2tp_pr_mac(s, pp->eth_dst);
		for (uint8_t i = 0; i < pp->nvlan; i++) {
			PUTL(s, " vlan ");
			put_u64(s, pp->vlan[i]);
		}
		if (pp->kind == L2TP_PPP_K_NONE)
			return;
		putch(s, ' ');
		if ((t = l2tp_ppp_ethertype_name(pp->ethertype)) != NULL)
			put_str(s, t);
		else
			put_hexn(s, pp->ethertype, 4);
		if (pp->kind == L2TP_PPP_K_IP) {
			putch(s, ' ');
			put_ip_short(s, &pp->ip);
		} else if (pp->kind == L2TP_PPP_K_ARP && !pp->arp_addrs) {
			PUTL(s, " op ");
			put_u64(s, pp->arp_op);
		} else if (pp->kind == L2TP_PPP_K_ARP) {
			if (pp->arp_op == 1) {
				PUTL(s, " who-has ");
				put_ipv4(s, pp->arp_tpa);
				PUTL(s, " tell ");
				put_ipv4(s, pp->arp_spa);
			} else if (pp->arp_op == 2) {
				PUTL(s, " reply ");
				put_ipv4(s, pp->arp_spa);
				PUTL(s, " is-at ");
				l2tp_pr_mac(s, pp->arp_sha);
			} else {
				PUTL(s, " op ");
				put_u64(s, pp->arp_op);
			}
		} else {
			PUTL(s, ", length ");
			put_u64(s, pp->total);
		}
		return;
	}
	PUTL(s, "PPP");
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0)
		return;
	putch(s, ' ');
	if ((t = l2tp_ppp_proto_name(pp->proto)) != NULL)
		put_str(s, t);
	else
		put_hexn(s, pp->proto, 4);
	if ((pp->kind == L2TP_PPP_K_CP || pp->kind == L2TP_PPP_K_PAP ||
	     pp->kind == L2TP_PPP_K_CHAP) &&
	    !pp->has_code)
		return;
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
		putch(s, ' ');
		l2tp_pr_code_name(s, pp->proto, pp->code);
		PUTL(s, " id ");
		put_u64(s, pp->id);
		if (pp->has_magic) {
			PUTL(s, " magic ");
			put_hexn(s, pp->magic, 8);
		}
		if (pp->has_rejected) {
			PUTL(s, " rejected ");
			if ((t = l2tp_ppp_proto_name(pp->rejected_proto)))
				put_str(s, t);
			else
				put_hexn(s, pp->rejected_proto, 4);
		}
		if (pp->has_rejected_code) {
			PUTL(s, " rejected code ");
			put_u64(s, pp->rejected_code);
		}
		if (pp->code >= 1 && pp->code <= 4) {
			PUTL(s, " <");
			for (size_t i = 0; i < pp->nopts; i++) {
				const struct l2tp_ppp_opt *o = &pp->opts[i];

				if (i)
					PUTL(s, ", ");
				t = o->label;
				if (t)
					put_str(s, t);
				else {
					PUTL(s, "opt-");
					put_u64(s, o->type);
				}
				if (o->kind == L2TP_PPP_O_EMPTY &&
				    o->val.len == 0)
					continue;
				putch(s, ' ');
				l2tp_pr_ppp_opt_value(s, pp->proto, o, false);
			}
			if (pp->opts_cut)
				PUTL(s, ", ...");
			putch(s, '>');
		}
		break;
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		putch(s, ' ');
		l2tp_pr_code_name(s, pp->proto, pp->code);
		PUTL(s, " id ");
		put_u64(s, pp->id);
		if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
			PUTL(s, " peer ");
			l2tp_pr_quoted(s, pp->name.p, pp->name.len,
			               LINE_STR_MAX);
			PUTL(s, " password (");
			put_u64(s, pp->secret.len);
			PUTL(s, " bytes)");
		} else if (pp->kind == L2TP_PPP_K_CHAP &&
		           (pp->code == 1 || pp->code == 2)) {
			PUTL(s, " value (");
			put_u64(s, pp->secret.len);
			PUTL(s, " bytes) name ");
			l2tp_pr_quoted(s, pp->name.p, pp->name.len,
			               LINE_STR_MAX);
		} else if (pp->text.len) {
			putch(s, ' ');
			l2tp_pr_quoted(s, pp->text.p, pp->text.len,
			               LINE_STR_MAX);
		}
		break;
	case L2TP_PPP_K_IP:
		putch(s, ' ');
		put_ip_short(s, &pp->ip);
		break;
	default:
		PUTL(s, ", length ");
		put_u64(s, pp->total);
		break;
	}
}

static void
line_ids(struct l2tp_sink *s, const struct l2tp_msg *m)
{
	if (m->version == 3 && m->control) {
		PUTL(s, " ccid ");
		put_u64(s, m->tunnel);
	} else if (m->version == 3) {
		PUTL(s, " session ");
		put_u64(s, m->session);
		if (m->cookie.len) {
			PUTL(s, " cookie ");
			put_hexbytes(s, m->cookie.p, m->cookie.len);
		}
	} else {
		PUTL(s, " tunnel ");
		put_u64(s, m->tunnel);
		PUTL(s, " session ");
		put_u64(s, m->session);
	}
	if (m->has_seq) {
		PUTL(s, " Ns ");
		put_u64(s, m->ns);
		PUTL(s, " Nr ");
		put_u64(s, m->nr);
	} else if (m->has_sublayer && m->sublayer_s) {
		PUTL(s, " seq ");
		put_u64(s, m->sublayer_seq);
	}
}

static void
line_problems(struct l2tp_sink *s, const struct l2tp_print_opts *po,
              const struct l2tp_msg *m, const struct l2tp_ppp *pp)
{
	for (size_t i = 0; i < m->nproblems; i++)
		l2tp_pr_problem(s, po, l2tp_fault_name(m->problems[i].kind),
		                m->problems[i].what);
	if (m->problems_dropped) {
		PUTL(s, " [+");
		put_u64(s, m->problems_dropped);
		PUTL(s, " more]");
	}
	if (pp && pp->fault != L2TP_FAULT_NONE)
		l2tp_pr_problem(s, po, l2tp_fault_name(pp->fault), pp->what);
}

void
l2tp_print_line(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false;

	l2tp_pr_line_prefix(s, po, meta);
	l2tp_pr_version(s, m);
	if (m->version != 2 && m->version != 3)
		goto out;
	if (m->control)
		PUTL(s, " control");
	else
		PUTL(s, " data");
	if (m->hdr_len == 0)
		goto out;
	if (m->control) {
		putch(s, ' ');
		color(s, po, C_MSG);
		char nb[24];
		const char *why = NULL,
		           *name = l2tp_pr_msg_label(m, nb, sizeof(nb), &why);

		put_str(s, name ? name : why);
		color(s, po, C_OFF);
	}
	line_ids(s, m);
	if (m->control) {
		bool first = true;

		for (size_t i = 0; i < m->navps; i++) {
			const struct l2tp_avp *a = &m->avps[i];
			const struct l2tp_avp_info *pi =
			    l2tp_avp_info(a->vendor, a->type);

			if (pi && pi->line == L2TP_LINE_SKIP && i == 0)
				continue;
			put_str(s, first ? ": " : ", ");
			first = false;
			avp_short(s, po, a);
		}
	} else if ((have_pp = l2tp_pr_payload(m, &pp))) {
		PUTL(s, ": ");
		ppp_short(s, &pp);
	}
out:
	line_problems(s, po, m, have_pp ? &pp : NULL);
	putch(s, '\n');
}

void
l2tp_print_frame_line(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                      const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	l2tp_pr_line_prefix(s, po, meta);
	if (fr == NULL) {
		PUTL(s, "(no frame)\n");
		return;
	}
	if (fr->kind == L2TP_FRAME_FRAGMENT) {
		PUTL(s, "IP fragment");
		if (fr->ipproto) {
			PUTL(s, " (protocol ");
			put_u64(s, fr->ipproto);
			putch(s, ')');
		}
	} else {
		PUTL(s, "not decoded");
	}
	l2tp_pr_problem(s, po, l2tp_pr_frame_kind_name(fr->kind),
	                l2tp_pr_frame_what(fr));
	putch(s, '\n');
}
