/* Tests for decoder/ppp.c: PPP frames of L2TPv2 data messages and Ethernet of
 * L2TPv3 pseudowires (RFC 1661, 1332, 5072, 1334, 1994, 4719). */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/print_samples.h"

static struct l2tp_ppp pp;

static int
parse(const uint8_t *p, size_t n)
{
	return l2tp_ppp_parse(p, n, n, &pp);
}

Test(ppp, lcp_configure_request_options)
{
	/* the PPP frame starts after nothing: lcp_creq is the payload */
	cr_assert_eq(parse(lcp_creq, sizeof(lcp_creq)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_CP);
	cr_assert(pp.has_ac);
	cr_assert(!pp.proto_short);
	cr_assert_eq(pp.proto, L2TP_PPP_LCP);
	cr_assert(pp.has_code);
	cr_assert_eq(pp.code, 1);
	cr_assert_eq(pp.id, 1);
	cr_assert_eq(pp.length, 23);
	cr_assert_eq(pp.nopts, 5);
	cr_assert_eq(pp.opts[0].type, 1);
	cr_assert_eq(pp.opts[0].len, 4);
	cr_assert_eq(pp.opts[0].val.len, 2);
	cr_assert_eq(pp.opts[0].val.p[0] << 8 | pp.opts[0].val.p[1], 1492);
	cr_assert_eq(pp.opts[1].type, 3);
	cr_assert_eq(pp.opts[1].val.len, 3);
	cr_assert_eq(pp.opts[2].type, 5);
	cr_assert_eq(pp.opts[3].type, 7);
	cr_assert_eq(pp.opts[3].val.len, 0);
	cr_assert_eq(pp.opts[4].type, 8);
	cr_assert_eq(pp.fault, L2TP_FAULT_NONE);
	cr_assert_eq(pp.total, sizeof(lcp_creq));
	/* each option carries its table entry, looked up once by the parser
	 * and read by every printer */
	for (size_t i = 0; i < pp.nopts; i++) {
		cr_assert_str_eq(
		    pp.opts[i].name,
		    l2tp_ppp_opt_name(L2TP_PPP_LCP, pp.opts[i].type));
		cr_assert_str_eq(
		    pp.opts[i].label,
		    l2tp_ppp_opt_label(L2TP_PPP_LCP, pp.opts[i].type));
		cr_assert_eq(pp.opts[i].kind,
		             l2tp_ppp_opt_kind(L2TP_PPP_LCP, pp.opts[i].type));
	}
	cr_assert_str_eq(pp.opts[0].label, "mru");
	cr_assert_eq(pp.opts[0].kind, L2TP_PPP_O_U16);
}

Test(ppp, ipcp_without_address_control)
{
	cr_assert_eq(parse(ipcp_nak, sizeof(ipcp_nak)), 0);
	cr_assert(!pp.has_ac);
	cr_assert_eq(pp.proto, L2TP_PPP_IPCP);
	cr_assert_eq(pp.code, 3);
	cr_assert_eq(pp.nopts, 3);
	cr_assert_eq(pp.opts[1].type, 129);
	cr_assert(memcmp(pp.opts[1].val.p, "\x0a\x00\x00\x35", 4) == 0);
	cr_assert_eq(l2tp_ppp_opt_kind(L2TP_PPP_IPCP, 129), L2TP_PPP_O_IPV4);
	cr_assert_str_eq(l2tp_ppp_opt_label(L2TP_PPP_IPCP, 131), "dns2");
}

Test(ppp, ipv6cp_interface_id)
{
	cr_assert_eq(parse(ipv6cp_creq, sizeof(ipv6cp_creq)), 0);
	cr_assert_eq(pp.proto, L2TP_PPP_IPV6CP);
	cr_assert_eq(pp.nopts, 1);
	cr_assert_eq(pp.opts[0].val.len, 8);
	cr_assert_eq(l2tp_ppp_opt_kind(L2TP_PPP_IPV6CP, 1), L2TP_PPP_O_IFID);
	cr_assert_str_eq(l2tp_ppp_opt_name(L2TP_PPP_IPV6CP, 1),
	                 "Interface-Identifier");
}

Test(ppp, echo_terminate_and_rejects)
{
	static const uint8_t term[] = {0xc0, 0x21, 0x05, 0x02, 0x00,
	                               0x08, 'b',  'y',  'e',  '!'};
	static const uint8_t prej[] = {0xff, 0x03, 0xc0, 0x21, 0x08,
	                               0x03, 0x00, 0x0a, 0x80, 0x57,
	                               0x01, 0x01, 0x00, 0x04};
	static const uint8_t crej[] = {0xc0, 0x21, 0x07, 0x04, 0x00,
	                               0x08, 0x0e, 0x01, 0x00, 0x04};

	cr_assert_eq(parse(lcp_echo, sizeof(lcp_echo)), 0);
	cr_assert(pp.has_magic);
	cr_assert_eq(pp.magic, 0x12345678);
	cr_assert_eq(pp.text.len, 0);
	cr_assert_eq(parse(term, sizeof(term)), 0);
	cr_assert_eq(pp.code, 5);
	cr_assert_eq(pp.text.len, 4);
	cr_assert(memcmp(pp.text.p, "bye!", 4) == 0);
	cr_assert_eq(parse(prej, sizeof(prej)), 0);
	cr_assert(pp.has_rejected);
	cr_assert_eq(pp.rejected_proto, L2TP_PPP_IPV6CP);
	cr_assert_eq(parse(crej, sizeof(crej)), 0);
	cr_assert(pp.has_rejected_code);
	cr_assert_eq(pp.rejected_code, 14);
}

Test(ppp, pap_and_chap)
{
	static const uint8_t pap_ack[] = {0xc0, 0x23, 0x02, 0x03, 0x00,
	                                  0x07, 0x02, 'o',  'k'};
	static const uint8_t chap_ok[] = {0xc2, 0x23, 0x03, 0x09, 0x00,
	                                  0x0b, 'W',  'e',  'l',  'c',
	                                  'o',  'm',  'e'};

	cr_assert_eq(parse(pap_req, sizeof(pap_req)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_PAP);
	cr_assert_eq(pp.name.len, 5);
	cr_assert(memcmp(pp.name.p, "alice", 5) == 0);
	cr_assert_eq(pp.secret.len, 2);
	cr_assert_eq(parse(pap_ack, sizeof(pap_ack)), 0);
	cr_assert_eq(pp.text.len, 2);
	cr_assert_eq(parse(chap_chal, sizeof(chap_chal)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_CHAP);
	cr_assert_eq(pp.secret.len, 4);
	cr_assert_eq(pp.secret.p[0], 0xaa);
	cr_assert_eq(pp.name.len, 3);
	cr_assert_eq(parse(chap_ok, sizeof(chap_ok)), 0);
	cr_assert_eq(pp.text.len, 7);
	cr_assert_str_eq(l2tp_ppp_code_name(L2TP_PPP_CHAP, 3), "Success");
	cr_assert_str_eq(l2tp_ppp_code_name(L2TP_PPP_PAP, 1),
	                 "Authenticate-Request");
}

Test(ppp, ipv4_and_ipv6)
{
	/* IPv4 UDP 10.1.1.1.1024 > 10.1.1.2.53, then the same as a
	 * non-first fragment */
	uint8_t v4[] = {0x00, 0x21, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01,
	                0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 0x0a, 0x01,
	                0x01, 0x01, 0x0a, 0x01, 0x01, 0x02, 0x04, 0x00,
	                0x00, 0x35, 0x00, 0x08, 0x00, 0x00};

	cr_assert_eq(parse(v4, sizeof(v4)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_IP);
	cr_assert_eq(pp.ip.family, 4);
	cr_assert_eq(pp.ip.proto, 17);
	cr_assert(pp.ip.has_ports);
	cr_assert_eq(pp.ip.sport, 1024);
	cr_assert_eq(pp.ip.dport, 53);
	cr_assert_eq(pp.ip.ttl, 64);
	v4[8] = 0x00;
	v4[9] = 0x10; /* fragment offset 16 */
	cr_assert_eq(parse(v4, sizeof(v4)), 0);
	cr_assert(pp.ip.frag);
	cr_assert(!pp.ip.has_ports);
	cr_assert_eq(parse(ppp_ip, sizeof(ppp_ip)), 0);
	cr_assert(pp.proto_short);
	cr_assert(pp.ip.has_icmp);
	cr_assert_eq(pp.ip.icmp_type, 8);
	cr_assert_eq(parse(ppp_ip6, sizeof(ppp_ip6)), 0);
	cr_assert(!pp.has_ac);
	cr_assert(pp.proto_short);
	cr_assert_eq(pp.ip.family, 6);
	cr_assert_eq(pp.ip.sport, 546);
	cr_assert_eq(pp.ip.dport, 547);
	cr_assert_eq(pp.ip.len, 8);
}

Test(ppp, other_protocols_are_named_or_numbered)
{
	static const uint8_t mp[] = {0x00, 0x3d, 0xc0, 0x00, 0x00, 0x01};
	static const uint8_t odd[] = {0x12, 0x35, 0x00};
	static const uint8_t ccp[] = {0x80, 0xfd, 0x0e, 0x01, 0x00, 0x04};

	cr_assert_eq(parse(mp, sizeof(mp)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_OTHER);
	cr_assert_str_eq(l2tp_ppp_proto_name(pp.proto), "MP");
	cr_assert_eq(parse(odd, sizeof(odd)), 0);
	cr_assert_eq(pp.proto, 0x1235);
	cr_assert_null(l2tp_ppp_proto_name(0x1235));
	cr_assert_eq(parse(ccp, sizeof(ccp)), 0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_CP);
	cr_assert_str_eq(l2tp_ppp_code_name(L2TP_PPP_CCP, pp.code),
	                 "Reset-Request");
	cr_assert_null(l2tp_ppp_code_name(L2TP_PPP_IPCP, 9));
	cr_assert_str_eq(l2tp_ppp_code_name(L2TP_PPP_LCP, 9), "Echo-Request");
	cr_assert_str_eq(l2tp_ppp_proto_key(L2TP_PPP_IPV6CP), "ipv6cp");
	cr_assert_str_eq(l2tp_ppp_ipproto_name(58), "ICMPv6");
	cr_assert_null(l2tp_ppp_ipproto_name(255));
	cr_assert_str_eq(l2tp_ppp_ethertype_name(0x86dd), "IPv6");
}

/* Bad frames: each is malformed (the bytes contradict themselves). */
Test(ppp, malformed_frames)
{
	static const struct {
		const char *name;
		uint8_t b[16];
		size_t n;
		const char *what;
	} t[] = {
	    {"bad control",
	     {0xff, 0x05, 0xc0, 0x21},
	     4,
	     "PPP address 0xff followed by control 0x05, not 0x03"},
	    {"even protocol",
	     {0xc0, 0x20, 0x01},
	     3,
	     "PPP protocol 0xc020 is even (not a valid number)"},
	    {"LCP length < 4",
	     {0xc0, 0x21, 0x01, 0x01, 0x00, 0x03},
	     6,
	     "LCP Length 3 < 4"},
	    {"LCP length past end",
	     {0xc0, 0x21, 0x01, 0x01, 0x00, 0x20},
	     6,
	     "LCP Length 32 larger than the 4 bytes that carry it"},
	    {"option length 1",
	     {0xc0, 0x21, 0x01, 0x01, 0x00, 0x06, 0x01, 0x01},
	     8,
	     "option 1 length 1 < 2"},
	    {"option past Length",
	     {0xc0, 0x21, 0x01, 0x01, 0x00, 0x07, 0x01, 0x04, 0x05, 0xd4},
	     10,
	     "option 1 length 4 runs past the packet"},
	    {"stray byte",
	     {0xc0, 0x21, 0x01, 0x01, 0x00, 0x05, 0x01},
	     7,
	     "1 stray byte after the options"},
	    {"IHL < 5",
	     {0x21, 0x44, 0, 0, 20},
	     5,
	     "IPv4 header length 16 < 20"},
	    {"IPv6 in IP",
	     {0x21, 0x60, 0, 0, 0},
	     5,
	     "IP version 6 where 4 was announced"},
	    {"PAP field past Length",
	     {0xc0, 0x23, 0x01, 0x01, 0x00, 0x06, 0x05, 'a'},
	     8,
	     "PAP Authenticate-Request: a field runs past Length 6"},
	    {"empty", {0}, 0, "empty PPP frame"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_assert_eq(parse(t[i].b, t[i].n), -L2TP_FAULT_MALFORMED, "%s",
		             t[i].name);
		cr_assert_eq(pp.fault, L2TP_FAULT_MALFORMED, "%s", t[i].name);
		cr_assert_str_eq(pp.what, t[i].what, "%s", t[i].name);
	}
}

/* Cut short by the capture, every sample is truncated, never malformed. */
Test(ppp, every_shorter_capture_is_truncated)
{
	static const struct {
		const uint8_t *p;
		size_t n;
	} t[] = {
	    {lcp_creq, sizeof(lcp_creq)},       {ipcp_nak, sizeof(ipcp_nak)},
	    {ppp_ip, sizeof(ppp_ip)},           {lcp_echo, sizeof(lcp_echo)},
	    {ipv6cp_creq, sizeof(ipv6cp_creq)}, {pap_req, sizeof(pap_req)},
	    {chap_chal, sizeof(chap_chal)},     {ppp_ip6, sizeof(ppp_ip6)},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_assert_eq(l2tp_ppp_parse(t[i].p, t[i].n, t[i].n, &pp), 0);
		for (size_t cut = 0; cut < t[i].n; cut++) {
			int rc = l2tp_ppp_parse(t[i].p, cut, t[i].n, &pp);

			cr_assert(rc == 0 || rc == -L2TP_FAULT_TRUNCATED,
			          "sample %zu cut %zu: rc %d (%s)", i, cut, rc,
			          pp.what);
			cr_assert(pp.fault == L2TP_FAULT_NONE ||
			          pp.fault == L2TP_FAULT_TRUNCATED);
			cr_assert_eq(pp.total, t[i].n);
		}
	}
	/* the same payload cut at Length: a short frame is malformed */
	cr_assert_eq(l2tp_ppp_parse(lcp_creq, 10, 10, &pp),
	             -L2TP_FAULT_MALFORMED);
}

Test(ppp, ethernet_pseudowire)
{
	/* QinQ 10/20, IPv4 TCP 10.0.0.1.80 > 10.0.0.2.40000 */
	static const uint8_t qinq[] = {
	    0x02, 0,    0,    0,    0,    0x02, 0x02, 0,    0,    0,
	    0,    0x01, 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14,
	    0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0,    0,    0,    0,
	    0x40, 0x06, 0,    0,    10,   0,    0,    1,    10,   0,
	    0,    2,    0x00, 0x50, 0x9c, 0x40};
	static const uint8_t three[] = {
	    0x02, 0, 0, 0,    0,    0x02, 0x02, 0,    0,    0, 0, 0x01, 0x81,
	    0x00, 0, 1, 0x81, 0x00, 0,    2,    0x81, 0x00, 0, 3, 0x08, 0x00};
	static const uint8_t lldp[] = {0x01, 0x80, 0xc2, 0,   0, 0x0e,
	                               0x02, 0,    0,    0,   0, 0x01,
	                               0x88, 0xcc, 0x02, 0x07};

	cr_assert_eq(l2tp_ppp_parse_eth(v3_arp + 12, sizeof(v3_arp) - 12,
	                                sizeof(v3_arp) - 12, &pp),
	             0);
	cr_assert(pp.eth);
	cr_assert_eq(pp.kind, L2TP_PPP_K_ARP);
	cr_assert_eq(pp.nvlan, 1);
	cr_assert_eq(pp.vlan[0], 100);
	cr_assert_eq(pp.arp_op, 1);
	cr_assert(memcmp(pp.arp_tpa, "\x0a\x00\x00\x02", 4) == 0);
	cr_assert_eq(l2tp_ppp_parse_eth(qinq, sizeof(qinq), sizeof(qinq), &pp),
	             0);
	cr_assert_eq(pp.nvlan, 2);
	cr_assert_eq(pp.vlan[0], 10);
	cr_assert_eq(pp.vlan[1], 20);
	cr_assert_eq(pp.ethertype, 0x0800);
	cr_assert_eq(pp.ip.proto, 6);
	cr_assert_eq(pp.ip.sport, 80);
	cr_assert_eq(pp.ip.dport, 40000);
	cr_assert_eq(
	    l2tp_ppp_parse_eth(three, sizeof(three), sizeof(three), &pp),
	    -L2TP_FAULT_UNSUPPORTED);
	cr_assert_str_eq(pp.what, "more than two VLAN tags");
	cr_assert_eq(l2tp_ppp_parse_eth(lldp, sizeof(lldp), sizeof(lldp), &pp),
	             0);
	cr_assert_eq(pp.kind, L2TP_PPP_K_OTHER);
	cr_assert_eq(pp.ethertype, 0x88cc);
	for (size_t cut = 0; cut < sizeof(qinq); cut++) {
		int rc = l2tp_ppp_parse_eth(qinq, cut, sizeof(qinq), &pp);

		cr_assert(rc == 0 || rc == -L2TP_FAULT_TRUNCATED, "cut %zu",
		          cut);
	}
	cr_assert_eq(l2tp_ppp_parse_eth(qinq, 10, 10, &pp),
	             -L2TP_FAULT_MALFORMED);
	cr_assert_str_eq(pp.what, "10-byte payload too short for the Ethernet "
	                          "header");
}
