/* The tree form of an L2TP packet: every header field and AVP (RFC 2661
 * §3.1, §4.4; RFC 3931 §3-5; RFC 1661 for the PPP inside). */
#include <stdlib.h>
#include <string.h>

#include "decoder/print_int.h"
#include "decoder/rd.h"

static void
tree_head(struct l2tp_sink *s, const struct l2tp_print_opts *po,
          const struct l2tp_pkt_meta *meta, size_t dgram_len)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	if (meta == NULL)
		return;
	if (meta->frame) {
		PUTL(s, "Frame ");
		put_u64(s, meta->frame);
		PUTL(s, ": ");
	}
	if (meta->frame || meta->ts_sec || meta->ts_usec)
		l2tp_pr_time(s, po, meta);
	if (fr && fr->src.family) {
		putch(s, ' ');
		l2tp_pr_endpoints(s, fr);
		l2tp_sink_puts(s,
		               fr->ipproto == 17 ? " (UDP" : " (IP protocol ");
		if (fr->ipproto != 17)
			put_u64(s, fr->ipproto);
		if (fr->nvlan) {
			PUTL(s, ", VLAN");
			for (uint8_t i = 0; i < fr->nvlan; i++) {
				putch(s, ' ');
				put_u64(s, fr->vlan[i]);
			}
		}
		if (fr->pppoe) {
			PUTL(s, ", PPPoE session ");
			put_hexn(s, fr->pppoe_session, 4);
		}
		if (fr->reassembled) {
			PUTL(s, ", reassembled from ");
			put_u64(s, fr->nfrags);
			PUTL(s, " fragments");
		}
		PUTL(s, ", ");
		put_u64(s, dgram_len);
		PUTL(s, " bytes)");
	}
	putch(s, '\n');
}

/* "T=1 control" or "T=0": constant strings, so each is a fixed copy. */
#define TREE_FLAG(s, sep, on, name, what)                                      \
	do {                                                                   \
		if (on)                                                        \
			PUTL(s, sep name "=1 " what);                          \
		else                                                           \
			PUTL(s, sep name "=0");                                \
	} while (0)

/* "    Key: value\n" */
#define TREE_KV(s, key, v)                                                     \
	do {                                                                   \
		PUTL(s, "    " key ": ");                                      \
		put_u64(s, (v));                                               \
		putch(s, '\n');                                                \
	} while (0)

static void
tree_avp(struct l2tp_sink *s, const struct l2tp_print_opts *po,
         const struct l2tp_msg *m, size_t i)
{
	const struct l2tp_avp *a = &m->avps[i];
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	const char *vn = l2tp_vendor_name(a->vendor);

	PUTL(s, "    AVP ");
	put_u64(s, i);
	putch(s, ' ');
	if (ai) {
		put_str(s, ai->name);
		PUTL(s, " (vendor ");
		put_u64(s, a->vendor);
		if (a->vendor) {
			putch(s, ' ');
			put_str(s, vn ? vn : "unknown");
		}
		PUTL(s, ", type ");
		put_u64(s, a->type);
		putch(s, ')');
	} else if (a->vendor == 0) {
		PUTL(s, "AVP-#");
		put_u64(s, a->type);
		PUTL(s, " (vendor 0, type ");
		put_u64(s, a->type);
		PUTL(s, ", unknown)");
	} else {
		PUTL(s, "vendor ");
		put_u64(s, a->vendor);
		PUTL(s, " type ");
		put_u64(s, a->type);
		if (vn) {
			PUTL(s, " (");
			put_str(s, vn);
			PUTL(s, ", unknown)");
		} else {
			PUTL(s, " (unknown)");
		}
	}
	put_str(s, a->m ? " M=1" : " M=0");
	if (a->h) {
		color(s, po, C_HID);
		PUTL(s, " H=1");
		color(s, po, C_OFF);
	} else {
		PUTL(s, " H=0");
	}
	if (a->rsvd) {
		PUTL(s, " rsvd=");
		put_hexn(s, a->rsvd, 1);
	}
	PUTL(s, " length ");
	put_u64(s, a->len);
	PUTL(s, ": ");
	l2tp_pr_avp_words(s, a, m->msg_type);
	putch(s, '\n');
}

static void
tree_ip(struct l2tp_sink *s, const char *ind, const struct l2tp_ppp_ip *ip)
{
	const char *t;

	put_str(s, ind);
	put_str(s, ip->family == 4 ? "IPv4 " : "IPv6 ");
	l2tp_pr_ip_addrs(s, ip);
	PUTL(s, ", protocol ");
	put_u64(s, ip->proto);
	if ((t = l2tp_ppp_ipproto_name(ip->proto)) != NULL) {
		PUTL(s, " (");
		put_str(s, t);
		putch(s, ')');
	}
	l2tp_sink_puts(s, ip->family == 4 ? ", total length "
	                                  : ", payload length ");
	put_u64(s, ip->len);
	put_str(s, ip->family == 4 ? ", TTL " : ", hop limit ");
	put_u64(s, ip->ttl);
	if (ip->frag)
		PUTL(s, ", fragment");
	if (ip->has_icmp) {
		PUTL(s, ", ICMP type ");
		put_u64(s, ip->icmp_type);
		if ((t = l2tp_ppp_icmp_name(ip->family, ip->icmp_type))) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, " code ");
		put_u64(s, ip->icmp_code);
	}
	putch(s, '\n');
}

static void
tree_payload(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, "    Ethernet: ");
		l2tp_pr_mac(s, pp->eth_src);
		PUTL(s, " > ");
		l2tp_pr_mac(s, pp->eth_dst);
		for (uint8_t i = 0; i < pp->nvlan; i++) {
			PUTL(s, ", VLAN ");
			put_u64(s, pp->vlan[i]);
		}
		if (pp->kind != L2TP_PPP_K_NONE) {
			PUTL(s, ", type ");
			put_hexn(s, pp->ethertype, 4);
			if ((t = l2tp_ppp_ethertype_name(pp->ethertype))) {
				PUTL(s, " (");
				put_str(s, t);
				putch(s, ')');
			}
		}
		PUTL(s, ", ");
		put_u64(s, pp->total);
		PUTL(s, " bytes\n");
		if (pp->kind == L2TP_PPP_K_IP)
			tree_ip(s, "      ", &pp->ip);
		else if (pp->kind == L2TP_PPP_K_ARP) {
			PUTL(s, "      ARP operation ");
			put_u64(s, pp->arp_op);
			put_str(s, pp->arp_op == 1   ? " (request)"
			           : pp->arp_op == 2 ? " (reply)"
			                             : "");
			if (!pp->arp_addrs) {
				putch(s, '\n');
				return;
			}
			PUTL(s, ", sender ");
			l2tp_pr_mac(s, pp->arp_sha);
			putch(s, ' ');
			put_ipv4(s, pp->arp_spa);
			PUTL(s, ", target ");
			l2tp_pr_mac(s, pp->arp_tha);
			putch(s, ' ');
			put_ipv4(s, pp->arp_tpa);
			putch(s, '\n');
		}
		return;
	}
	PUTL(s, "    PPP: ");
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0) {
		put_u64(s, pp->total);
		PUTL(s, " bytes\n");
		return;
	}
	put_str(s, pp->has_ac ? "address/control 0xff03, "
	                      : "address/control compressed, ");
	PUTL(s, "protocol ");
	put_hexn(s, pp->proto, 4);
	if ((t = l2tp_ppp_proto_name(pp->proto)) != NULL) {
		PUTL(s, " (");
		put_str(s, t);
		putch(s, ')');
	}
	if (pp->proto_short)
		PUTL(s, ", protocol field compressed");
	PUTL(s, ", ");
	put_u64(s, pp->total);
	PUTL(s, " bytes\n");
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		if (!pp->has_code)
			return;
		PUTL(s, "      Code ");
		put_u64(s, pp->code);
		PUTL(s, " (");
		l2tp_pr_code_name(s, pp->proto, pp->code);
		PUTL(s, "), Identifier ");
		put_u64(s, pp->id);
		PUTL(s, ", Length ");
		put_u64(s, pp->length);
		putch(s, '\n');
		break;
	case L2TP_PPP_K_IP:
		tree_ip(s, "      ", &pp->ip);
		return;
	default:
		return;
	}
	for (size_t i = 0; i < pp->nopts; i++) {
		const struct l2tp_ppp_opt *o = &pp->opts[i];

		PUTL(s, "      Option ");
		put_u64(s, o->type);
		if ((t = o->name) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, " length ");
		put_u64(s, o->len);
		PUTL(s, ": ");
		l2tp_pr_ppp_opt_value(s, pp->proto, o, true);
		putch(s, '\n');
	}
	if (pp->opts_cut)
		PUTL(s, "      (more options not shown)\n");
	if (pp->has_magic) {
		PUTL(s, "      Magic-Number ");
		put_hexn(s, pp->magic, 8);
		putch(s, '\n');
	}
	if (pp->has_rejected) {
		PUTL(s, "      Rejected protocol ");
		put_hexn(s, pp->rejected_proto, 4);
		if ((t = l2tp_ppp_proto_name(pp->rejected_proto))) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		putch(s, '\n');
	}
	if (pp->has_rejected_code) {
		PUTL(s, "      Rejected code ");
		put_u64(s, pp->rejected_code);
		putch(s, '\n');
	}
	if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
		PUTL(s, "      Peer-ID ");
		l2tp_pr_quoted(s, pp->name.p, pp->name.len, (size_t)-1);
		PUTL(s, ", Password (");
		put_u64(s, pp->secret.len);
		PUTL(s, " bytes)\n");
	} else if (pp->kind == L2TP_PPP_K_CHAP &&
	           (pp->code == 1 || pp->code == 2)) {
		PUTL(s, "      Value ");
		put_hexbytes(s, pp->secret.p, pp->secret.len);
		PUTL(s, ", Name ");
		l2tp_pr_quoted(s, pp->name.p, pp->name.len, (size_t)-1);
		putch(s, '\n');
	} else if (pp->text.len &&
	           (pp->kind != L2TP_PPP_K_CP || pp->code == 5 ||
	            pp->code == 6 || pp->code == 12)) {
		PUTL(s, "      Message ");
		l2tp_pr_quoted(s, pp->text.p, pp->text.len, (size_t)-1);
		putch(s, '\n');
	} else if (pp->text.len) {
		PUTL(s, "      Data ");
		put_hexbytes(s, pp->text.p, pp->text.len);
		putch(s, '\n');
	}
}

static void
tree_problem(struct l2tp_sink *s, const struct l2tp_print_opts *po,
             const char *kind, const char *what)
{
	PUTL(s, "    Problem: ");
	l2tp_pr_problem_text(s, po, kind, what);
	putch(s, '\n');
}

void
l2tp_print_tree(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false;
	uint16_t f = m->flags;

	tree_head(s, po, meta, m->wire_len);
	PUTL(s, "  ");
	l2tp_pr_version(s, m);
	if (m->version == 2 || m->version == 3) {
		l2tp_sink_puts(s, m->control ? " control message"
		                             : " data message");
		if (m->control && m->hdr_len) {
			const struct l2tp_msg_info *mi =
			    l2tp_msg_info(m->msg_type);

			char nb[24];
			const char *why = NULL, *name = l2tp_pr_msg_label(
			                            m, nb, sizeof(nb), &why);

			putch(s, ' ');
			color(s, po, C_MSG);
			put_str(s, name ? name : why);
			color(s, po, C_OFF);
			if (mi) {
				PUTL(s, " (");
				put_str(s, mi->long_name);
				putch(s, ')');
			}
		}
	}
	putch(s, '\n');
	if (m->transport == L2TP_IP && m->version == 3) {
		PUTL(s, "    Session ID: ");
		put_u64(s, m->control ? 0 : m->session);
		put_str(s, m->control ? " (control)\n" : "\n");
	}
	if (m->version == 2 ||
	    (m->version == 3 && (m->control || m->transport == L2TP_UDP))) {
		PUTL(s, "    Flags: ");
		put_hexn(s, f, 4);
		PUTL(s, " (");
		TREE_FLAG(s, "", f & L2TP_F_T, "T", "control");
		TREE_FLAG(s, ", ", f & L2TP_F_L, "L", "length");
		TREE_FLAG(s, ", ", f & L2TP_F_S, "S", "sequence");
		if (m->version == 2) {
			TREE_FLAG(s, ", ", f & L2TP_F_O, "O", "offset");
			TREE_FLAG(s, ", ", f & L2TP_F_P, "P", "priority");
			if (f & L2TP_F_RSVD_V2) {
				PUTL(s, ", reserved ");
				put_hexn(s, f & L2TP_F_RSVD_V2, 4);
			}
		}
		PUTL(s, "), version ");
		put_u64(s, f & L2TP_F_VER);
		putch(s, '\n');
	}
	if (m->hdr_len == 0)
		goto problems;
	if (m->has_length)
		TREE_KV(s, "Length", m->length);
	if (m->version == 2) {
		TREE_KV(s, "Tunnel ID", m->tunnel);
		TREE_KV(s, "Session ID", m->session);
	} else if (m->control) {
		TREE_KV(s, "Control Connection ID", m->tunnel);
	} else if (m->transport == L2TP_UDP) {
		TREE_KV(s, "Session ID", m->session);
	}
	if (m->has_seq) {
		TREE_KV(s, "Ns", m->ns);
		TREE_KV(s, "Nr", m->nr);
	}
	if (m->has_offset)
		TREE_KV(s, "Offset Size", m->offset_size);
	if (m->version == 3 && !m->control) {
		PUTL(s, "    Cookie: ");
		if (m->cookie.len)
			put_hexbytes(s, m->cookie.p, m->cookie.len);
		else
			PUTL(s, "(none)");
		putch(s, '\n');
		if (m->has_sublayer) {
			PUTL(s, "    L2-Specific Sublayer: S=");
			putch(s, m->sublayer_s ? '1' : '0');
			PUTL(s, ", Sequence Number ");
			put_u64(s, m->sublayer_seq);
			putch(s, '\n');
		}
	}
	if (m->control) {
		char nb[24];
		const char *why;

		if (m->navps == 0 && l2tp_pr_msg_label(m, nb, sizeof(nb), &why))
			PUTL(s, "    (no AVPs: Zero-Length Body, an "
			        "acknowledgement)\n");
		for (size_t i = 0; i < m->navps; i++)
			tree_avp(s, po, m, i);
	} else if ((have_pp = l2tp_pr_payload(m, &pp))) {
		tree_payload(s, &pp);
	}
problems:
	for (size_t i = 0; i < m->nproblems; i++)
		tree_problem(s, po, l2tp_fault_name(m->problems[i].kind),
		             m->problems[i].what);
	if (m->problems_dropped) {
		PUTL(s, "    Problem: ");
		put_u64(s, m->problems_dropped);
		PUTL(s, " more not recorded\n");
	}
	if (have_pp && pp.fault != L2TP_FAULT_NONE)
		tree_problem(s, po, l2tp_fault_name(pp.fault), pp.what);
}
