/* Tests for decoder/print.c: the sink, the one-line, tree and JSON forms of
 * built messages (RFC 2661 §3-4, RFC 3931, RFC 8259). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/json_check.h"
#include "tests/print_samples.h"

enum form { F_LINE, F_TREE, F_JSON };

static uint8_t buf[4096];
static struct l2tp_msg msg;
static uint8_t scratch[65536];
static struct jdoc jd;
static char out[1 << 16];

struct opts {
	enum l2tp_transport tr;
	const char *secret;
	const struct l2tp_parse_opts *po;
	const struct l2tp_frame *fr; /* NULL: the IPv4 sample frame */
	bool no_meta;
	long tz;
	bool color;
	bool cut; /* capture only caplen bytes of the datagram */
	size_t caplen;
};

/* Parse n bytes of b and print them in one form into a memory sink. */
static const char *
render(const uint8_t *b, size_t n, enum form f, const struct opts *o)
{
	static const struct opts none;
	struct l2tp_frame fr;
	struct l2tp_sink s;
	struct l2tp_print_opts po;
	struct l2tp_pkt_meta meta;
	size_t cap;

	if (o == NULL)
		o = &none;
	cap = o->cut ? o->caplen : n;
	fr = o->fr ? *o->fr : v4frame();
	if (o->tr == L2TP_IP && o->fr == NULL) {
		fr.ipproto = 115;
		fr.sport = fr.dport = 0;
		fr.transport = L2TP_IP;
	}
	fr.caplen = cap;
	fr.wirelen = n;
	meta.frame = 1;
	meta.ts_sec = 1700000000;
	meta.ts_usec = 123456;
	meta.fr = &fr;
	po.tz_offset = o->tz;
	po.color = o->color;
	l2tp_parse(b, cap, n, o->tr, o->po, &msg);
	if (o->secret)
		l2tp_unhide(&msg, &o->secret, 1, scratch, sizeof(scratch));
	l2tp_sink_init(&s, NULL);
	if (f == F_LINE)
		l2tp_print_line(&s, &po, o->no_meta ? NULL : &meta, &msg);
	else if (f == F_TREE)
		l2tp_print_tree(&s, &po, o->no_meta ? NULL : &meta, &msg);
	else
		l2tp_print_json(&s, &po, o->no_meta ? NULL : &meta, &msg);
	cr_assert(!s.oom);
	cr_assert_lt(s.len, sizeof(out));
	memcpy(out, s.buf, s.len);
	out[s.len] = '\0';
	l2tp_sink_free(&s);
	return out;
}

#define EXPECT_LINE(got, want) cr_assert_str_eq((got), want "\n")

static void check_json_shape(void);
static void jeq(const char *path, const char *text);

/* ---- the sink ---- */

Test(sink, memory_grows_and_keeps_everything)
{
	struct l2tp_sink s;
	char chunk[1000];

	memset(chunk, 'x', sizeof(chunk));
	l2tp_sink_init(&s, NULL);
	for (int i = 0; i < 500; i++)
		l2tp_sink_write(&s, chunk, sizeof(chunk));
	l2tp_sink_putc(&s, 'y');
	l2tp_sink_puts(&s, "zz");
	cr_assert_eq(s.len, 500003);
	cr_assert_eq(s.buf[500000], 'y');
	cr_assert_eq(s.buf[500002], 'z');
	cr_assert(!s.oom);
	l2tp_sink_free(&s);
	cr_assert_null(s.buf);
}

Test(sink, file_sink_writes_in_blocks_and_on_flush)
{
	struct l2tp_sink s;
	FILE *f = tmpfile();
	char rd[300000];
	size_t n;

	cr_assert_not_null(f);
	l2tp_sink_init(&s, f);
	for (int i = 0; i < 20000; i++)
		l2tp_sink_printf(&s, "line %05d\n", i);
	/* 220000 bytes: several blocks already handed to the FILE. */
	cr_assert_lt(s.len, (size_t)1 << 16);
	l2tp_sink_flush(&s);
	cr_assert_eq(s.len, 0);
	l2tp_sink_free(&s);
	rewind(f);
	n = fread(rd, 1, sizeof(rd), f);
	cr_assert_eq(n, 220000);
	cr_assert(memcmp(rd, "line 00000\nline 00001\n", 22) == 0);
	cr_assert(memcmp(rd + n - 11, "line 19999\n", 11) == 0);
	fclose(f);
}

Test(sink, printf_longer_than_its_stack_buffer)
{
	struct l2tp_sink s;
	char big[3000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	l2tp_sink_init(&s, NULL);
	l2tp_sink_printf(&s, "<%s>", big);
	cr_assert_eq(s.len, sizeof(big) + 1);
	cr_assert_eq(s.buf[0], '<');
	cr_assert_eq(s.buf[s.len - 1], '>');
	l2tp_sink_free(&s);
}

static const char *
json_of(const char *p, size_t n)
{
	struct l2tp_sink s;

	l2tp_sink_init(&s, NULL);
	l2tp_sink_json_str(&s, p, n);
	memcpy(out, s.buf, s.len);
	out[s.len] = '\0';
	l2tp_sink_free(&s);
	return out;
}

Test(sink, json_strings_are_always_valid)
{
	cr_assert_str_eq(json_of("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	cr_assert_str_eq(json_of("\n\t\r\x01", 4), "\"\\n\\t\\r\\u0001\"");
	/* valid UTF-8 passes through */
	cr_assert_str_eq(json_of("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"");
	cr_assert_str_eq(json_of("\xf0\x9f\x98\x80", 4),
	                 "\"\xf0\x9f\x98\x80\"");
	/* invalid bytes, overlong forms, surrogates, a cut sequence */
	cr_assert_str_eq(json_of("\xff\xfe", 2), "\"\\u00ff\\u00fe\"");
	cr_assert_str_eq(json_of("\xc0\xaf", 2), "\"\\u00c0\\u00af\"");
	cr_assert_str_eq(json_of("\xed\xa0\x80", 3),
	                 "\"\\u00ed\\u00a0\\u0080\"");
	cr_assert_str_eq(json_of("ab\xe2\x82", 4), "\"ab\\u00e2\\u0082\"");
	cr_assert_str_eq(json_of("\x7f", 1), "\"\\u007f\"");
	cr_assert_str_eq(json_of("nul\0x", 5), "\"nul\\u0000x\"");
	/* and every one of the 256 single bytes parses as JSON */
	for (int c = 0; c < 256; c++) {
		char ch = (char)c;

		json_of(&ch, 1);
		cr_assert(jparse(&jd, out, strlen(out)), "byte %d: %s (%s)", c,
		          out, jd.err);
	}
}

/* ---- the one-line form ---- */

Test(line, sccrq_with_all_its_avps)
{
	int n = build_sccrq(buf, sizeof(buf));

	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control SCCRQ tunnel 0 session 0 Ns 0 Nr 0: ver 1.0, framing "
	    "sync,async, bearer analog, tie 0x0123456789abcdef, firmware "
	    "0x0680, host \"lac.lab\", vendor \"l2tpsh\", tid 4711, window 4, "
	    "challenge (16 bytes)");
}

Test(line, stopccn_result_error_message)
{
	int n = build_stopccn(buf, sizeof(buf));

	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control StopCCN tunnel 4711 session 0 Ns 3 Nr 2: tid 17, result "
	    "2 error 6 \"Goodbye!\"");
}

Test(line, hidden_closed_opened_and_wrong_secret)
{
	int n = build_hidden(buf, sizeof(buf));
	const char *head = "1 22:13:20.123456 192.0.2.1.1701 > "
	                   "192.0.2.2.1701: L2TPv2 control SCCRP tunnel 4711 "
	                   "session 0 Ns 0 Nr 1: ver 1.0, host \"lns.lab\", "
	                   "framing sync, rv (16 bytes), ";
	struct opts open = {.secret = "s3cret"};
	struct opts wrong = {.secret = "nope"};
	char want[512];

	snprintf(want, sizeof(want), "%stid (hidden)\n", head);
	cr_assert_str_eq(render(buf, (size_t)n, F_LINE, NULL), want);
	snprintf(want, sizeof(want), "%stid 4711 (decrypted)\n", head);
	cr_assert_str_eq(render(buf, (size_t)n, F_LINE, &open), want);
	snprintf(
	    want, sizeof(want),
	    "%stid (hidden) [unsupported: Assigned Tunnel ID: hidden value "
	    "opens with none of 1 secret (wrong secret?)]\n",
	    head);
	cr_assert_str_eq(render(buf, (size_t)n, F_LINE, &wrong), want);
}

Test(line, unknown_vendor_bbf_and_malformed_avp)
{
	int n = build_vendor_bad(buf, sizeof(buf));

	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control ICRQ tunnel 4711 session 7 Ns 5 Nr 6: sid 7, vendor 9 "
	    "(Cisco) type 50 (4 bytes), circuit-id \"port 1/0/3\" "
	    "[malformed: AVP 4 (vendor 0 type 7): length 4 < 6]");
}

Test(line, cdn_iccn_wen_sli_zlb)
{
	int n;

	n = build_cdn(buf, sizeof(buf));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control CDN tunnel 4711 session 7 Ns 9 Nr 9: result 3, sid 9, "
	    "q931 cause 16 msg 0x5a, ppp-disconnect 3 proto 0xc021 dir 1 "
	    "\"bye\"");
	n = build_iccn(buf, sizeof(buf));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control ICCN tunnel 4711 session 7 Ns 10 Nr 10: speed 100000000, "
	    "framing-type sync, proxy-auth CHAP, proxy-name \"user@isp\", "
	    "seq-required");
	n = build_wen_sli(buf, sizeof(buf), true);
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	    "control WEN tunnel 4711 session 7 Ns 11 Nr 11: call-errors crc 1 "
	    "framing 2 hw-overrun 3 buf-overrun 4 timeout 5 alignment 6");
	n = build_wen_sli(buf, sizeof(buf), false);
	EXPECT_LINE(render(buf, (size_t)n, F_LINE, NULL),
	            "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	            "control SLI tunnel 4711 session 7 Ns 11 Nr 11: accm send "
	            "0xffffffff recv 0x00000000");
	n = build_zlb(buf, sizeof(buf));
	EXPECT_LINE(render(buf, (size_t)n, F_LINE, NULL),
	            "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	            "control ZLB tunnel 4711 session 0 Ns 4 Nr 5");
}

Test(line, v3_control_over_ip_and_udp)
{
	struct opts ip = {.tr = L2TP_IP};
	int n;

	n = build_v3_sccrq(buf, sizeof(buf), L2TP_IP);
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, &ip),
	    "1 22:13:20.123456 192.0.2.1 > 192.0.2.2: L2TPv3/IP control "
	    "SCCRQ ccid 0 Ns 0 Nr 0: host \"pe1\", router-id 10.0.0.1, ccid "
	    "16909060, pw-caps (2 bytes)");
	n = build_v3_sccrq(buf, sizeof(buf), L2TP_UDP);
	EXPECT_LINE(render(buf, (size_t)n, F_LINE, NULL),
	            "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv3 "
	            "control SCCRQ ccid 0 Ns 0 Nr 0: host \"pe1\", router-id "
	            "10.0.0.1, ccid 16909060, pw-caps (2 bytes)");
}

Test(line, v3_data_ethernet_arp)
{
	struct l2tp_parse_opts po = {4, false};
	struct opts o = {.tr = L2TP_IP, .po = &po};

	EXPECT_LINE(
	    render(v3_arp, sizeof(v3_arp), F_LINE, &o),
	    "1 22:13:20.123456 192.0.2.1 > 192.0.2.2: L2TPv3/IP data session "
	    "74565 cookie c00c1e55 seq 7: Ethernet 02:00:00:00:00:01 > "
	    "ff:ff:ff:ff:ff:ff vlan 100 ARP who-has 10.0.0.2 tell 10.0.0.1");
}

Test(line, data_lcp_ipcp_ip_echo)
{
	int n;

	n = build_data(buf, sizeof(buf), lcp_creq, sizeof(lcp_creq));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 data "
	    "tunnel 4711 session 7: PPP LCP Configure-Request id 1 <mru 1492, "
	    "auth CHAP/MD5, magic 0x12345678, pfc, acfc>");
	n = build_data(buf, sizeof(buf), ipcp_nak, sizeof(ipcp_nak));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 data "
	    "tunnel 4711 session 7: PPP IPCP Configure-Nak id 2 <addr "
	    "10.0.0.2, dns1 10.0.0.53, dns2 10.0.0.54>");
	n = build_data(buf, sizeof(buf), ppp_ip, sizeof(ppp_ip));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 data "
	    "tunnel 4711 session 7: PPP IP 10.0.0.2 > 10.0.0.1 ICMP echo "
	    "request, length 84");
	n = build_data(buf, sizeof(buf), lcp_echo, sizeof(lcp_echo));
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, NULL),
	    "1 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 data "
	    "tunnel 4711 session 7: PPP LCP Echo-Request id 7 magic "
	    "0x12345678");
}

Test(line, ipv6_addresses_like_tcpdump)
{
	struct l2tp_frame fr = v6frame();
	struct opts o = {.fr = &fr};
	int n = build_data(buf, sizeof(buf), pap_req, sizeof(pap_req));

	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, &o),
	    "1 22:13:20.123456 2001:db8::1.1701 > 2001:db8:1::2:0.1701: "
	    "L2TPv2 data tunnel 4711 session 7: PPP PAP Authenticate-Request "
	    "id 3 peer \"alice\" password (2 bytes)");
}

/* IPv6 text per RFC 5952, as tcpdump prints it. */
Test(line, ipv6_text_form)
{
	static const struct {
		uint8_t a[16];
		const char *text;
	} t[] = {
	    {{0}, "::"},
	    {{[15] = 1}, "::1"},
	    {{[1] = 1}, "1::"},
	    {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1},
	     "2001:db8::1:0:0:1"},
	    {{0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1},
	     "2001:0:0:1::1"},
	    {{0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7},
	     "1:0:2:3:4:5:6:7"},
	    {{0xfe, 0x80, [14] = 0xab, [15] = 0xcd}, "fe80::abcd"},
	    {{[10] = 0xff,
	      [11] = 0xff,
	      [12] = 192,
	      [13] = 0,
	      [14] = 2,
	      [15] = 1},
	     "::ffff:192.0.2.1"},
	    {{0x20, 0x01, 0x0d, 0xb8, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
	      0xef, 0x00, 0x10, 0x0a, 0x00},
	     "2001:db8:123:4567:89ab:cdef:10:a00"},
	};
	struct l2tp_frame fr = v6frame();
	struct opts o = {.fr = &fr};
	int n = build_zlb(buf, sizeof(buf));
	char want[160];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memcpy(fr.src.a, t[i].a, 16);
		snprintf(want, sizeof(want),
		         "1 22:13:20.123456 %s.1701 > "
		         "2001:db8:1::2:0.1701: L2TPv2 control ZLB tunnel 4711 "
		         "session 0 Ns 4 Nr 5\n",
		         t[i].text);
		cr_assert_str_eq(render(buf, (size_t)n, F_LINE, &o), want);
	}
}

Test(line, time_zone_offset_and_no_meta)
{
	struct opts tz = {.tz = 3600 + 1800};
	struct opts west = {.tz = -23 * 3600};
	struct opts engine = {.no_meta = true};
	int n = build_zlb(buf, sizeof(buf));

	EXPECT_LINE(render(buf, (size_t)n, F_LINE, &tz),
	            "1 23:43:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	            "control ZLB tunnel 4711 session 0 Ns 4 Nr 5");
	EXPECT_LINE(render(buf, (size_t)n, F_LINE, &west),
	            "1 23:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701: L2TPv2 "
	            "control ZLB tunnel 4711 session 0 Ns 4 Nr 5");
	EXPECT_LINE(render(buf, (size_t)n, F_LINE, &engine),
	            "L2TPv2 control ZLB tunnel 4711 session 0 Ns 4 Nr 5");
}

Test(line, colour_only_when_asked)
{
	struct opts c = {.color = true, .secret = "nope"};
	int n = build_hidden(buf, sizeof(buf));
	const char *s = render(buf, (size_t)n, F_LINE, &c);

	cr_assert_not_null(strstr(s, "\033[1;36mSCCRP\033[0m"));
	cr_assert_not_null(strstr(s, "\033[33m(hidden)\033[0m"));
	cr_assert_not_null(strstr(s, "[\033[1;31munsupported\033[0m: "));
	s = render(buf, (size_t)n, F_LINE, NULL);
	cr_assert_null(strchr(s, '\033'));
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_null(strchr(s, '\033'));
}

Test(line, header_problems_and_unknown_versions)
{
	static const uint8_t l2f[] = {0x00, 0x01, 0x00, 0x00};
	static const uint8_t short_v2[] = {0xc8, 0x02, 0x00};
	/* data with a Length larger than the datagram */
	static const uint8_t lie[] = {0x40, 0x02, 0x00, 0x40, 0x00, 0x01,
	                              0x00, 0x02, 0xff, 0x03, 0xc0, 0x21};
	struct opts engine = {.no_meta = true};
	char want[512];
	const char *got;

	/* The parser's words are its own; the line shows each in brackets. */
	got = render(l2f, sizeof(l2f), F_LINE, &engine);
	snprintf(want, sizeof(want), "L2F [unsupported: %s]\n",
	         msg.problems[0].what);
	cr_assert_str_eq(got, want);
	got = render(short_v2, sizeof(short_v2), F_LINE, &engine);
	cr_assert_eq(msg.nproblems, 1);
	snprintf(want, sizeof(want), "L2TPv2 control [malformed: %s]\n",
	         msg.problems[0].what);
	cr_assert_str_eq(got, want);
	got = render(lie, sizeof(lie), F_LINE, &engine);
	cr_assert_eq(msg.nproblems, 1);
	snprintf(want, sizeof(want),
	         "L2TPv2 data tunnel 1 session 2: PPP LCP "
	         "[malformed: %s] [malformed: 4-byte payload too short for the "
	         "control packet header]\n",
	         msg.problems[0].what);
	cr_assert_str_eq(got, want);
}

Test(line, cut_before_the_message_type_is_not_a_zlb)
{
	int n = build_sccrq(buf, sizeof(buf));
	struct opts o = {.cut = true, .caplen = 14, .no_meta = true};
	struct opts whole = {.no_meta = true};
	const char *s;

	s = render(buf, (size_t)n, F_LINE, &o);
	cr_assert_eq(strncmp(s,
	                     "L2TPv2 control (Message Type not captured) "
	                     "tunnel 0 session 0 Ns 0 Nr 0 [truncated: ",
	                     84),
	             0, "%s", s);
	s = render(buf, (size_t)n, F_TREE, &o);
	cr_assert_null(strstr(s, "Zero-Length Body"), "%s", s);
	render(buf, (size_t)n, F_JSON, &o);
	check_json_shape();
	jeq("l2tp.message", "null");
	n = build_zlb(buf, sizeof(buf));
	s = render(buf, (size_t)n, F_TREE, &whole);
	cr_assert_not_null(strstr(s, "Zero-Length Body"), "%s", s);
}

Test(line, one_byte_and_arp_without_addresses)
{
	struct l2tp_builder b;
	struct opts engine = {.no_meta = true};
	/* an Ethernet ARP header with no addresses after it */
	static const uint8_t arp[] = {0x00, 0x00, 0x10, 0x01, 0xff, 0xff, 0xff,
	                              0xff, 0xff, 0xff, 0x02, 0,    0,    0,
	                              0,    0x01, 0x08, 0x06, 0x00, 0x01, 0x08,
	                              0x00, 0x06, 0x04, 0x00, 0x02};
	struct l2tp_parse_opts po = {0, true};
	struct opts v3 = {.tr = L2TP_IP, .po = &po, .no_meta = true};
	int n;

	l2tp_build_control(&b, buf, sizeof(buf), 1, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	l2tp_build_avp(&b, false, false, 4874, 1, "x", 1);
	n = l2tp_build_end(&b);
	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, &engine),
	    "L2TPv2 control HELLO tunnel 1 session 0 Ns 0 Nr 0: vendor 4874 "
	    "(Juniper) type 1 (1 byte)");
	EXPECT_LINE(
	    render(arp, sizeof(arp), F_LINE, &v3),
	    "L2TPv3/IP data session 4097: Ethernet 02:00:00:00:00:01 > "
	    "ff:ff:ff:ff:ff:ff ARP op 2 [malformed: 22-byte payload too short "
	    "for the ARP addresses]");
	render(arp, sizeof(arp), F_JSON, &v3);
	check_json_shape();
	jeq("l2tp.ethernet.arp", "{\"op\":2}");
}

Test(line, truncated_payload_is_truncated)
{
	int n = build_data(buf, sizeof(buf), lcp_creq, sizeof(lcp_creq));
	struct opts o = {.cut = true, .caplen = 20, .no_meta = true};

	EXPECT_LINE(
	    render(buf, (size_t)n, F_LINE, &o),
	    "L2TPv2 data tunnel 4711 session 7: PPP LCP Configure-Request id 1 "
	    "<mru 1492> [truncated: capture ends at byte 20 of "
	    "33, inside the payload] [truncated: capture ends at byte 14 of "
	    "27, inside the option]");
}

Test(line, frames_that_are_not_l2tp)
{
	struct l2tp_frame fr = v4frame();
	struct l2tp_pkt_meta meta = {7, 1700000000, 1, &fr};
	struct l2tp_print_opts po = {0, false};
	struct l2tp_sink s;

	fr.kind = L2TP_FRAME_FRAGMENT;
	fr.sport = fr.dport = 0;
	snprintf(fr.why, sizeof(fr.why),
	         "first fragment of 3, never "
	         "completed");
	l2tp_sink_init(&s, NULL);
	l2tp_print_frame_line(&s, &po, &meta);
	fr.kind = L2TP_FRAME_TRUNCATED;
	fr.src.family = 0;
	snprintf(fr.why, sizeof(fr.why),
	         "capture ends inside the UDP "
	         "header");
	l2tp_print_frame_line(&s, &po, &meta);
	l2tp_sink_putc(&s, '\0');
	cr_assert_str_eq(
	    s.buf,
	    "7 22:13:20.000001 192.0.2.1 > 192.0.2.2: IP fragment "
	    "(protocol 17) [fragment: first fragment of 3, never completed]\n"
	    "7 22:13:20.000001 not decoded [truncated: capture ends inside "
	    "the UDP header]\n");
	l2tp_sink_free(&s);
}

/* ---- the tree ---- */

Test(tree, sccrq_every_field)
{
	int n = build_sccrq(buf, sizeof(buf));

	cr_assert_str_eq(
	    render(buf, (size_t)n, F_TREE, NULL),
	    "Frame 1: 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701 (UDP, "
	    "133 bytes)\n"
	    "  L2TPv2 control message SCCRQ "
	    "(Start-Control-Connection-Request)\n"
	    "    Flags: 0xc802 (T=1 control, L=1 length, S=1 sequence, O=0, "
	    "P=0), version 2\n"
	    "    Length: 133\n"
	    "    Tunnel ID: 0\n"
	    "    Session ID: 0\n"
	    "    Ns: 0\n"
	    "    Nr: 0\n"
	    "    AVP 0 Message Type (vendor 0, type 0) M=1 H=0 length 8: 1 "
	    "(SCCRQ, Start-Control-Connection-Request)\n"
	    "    AVP 1 Protocol Version (vendor 0, type 2) M=1 H=0 length 8: "
	    "version 1, revision 0\n"
	    "    AVP 2 Framing Capabilities (vendor 0, type 3) M=1 H=0 length "
	    "10: 0x00000003 (sync,async)\n"
	    "    AVP 3 Bearer Capabilities (vendor 0, type 4) M=1 H=0 length "
	    "10: 0x00000002 (analog)\n"
	    "    AVP 4 Tie Breaker (vendor 0, type 5) M=0 H=0 length 14: "
	    "0x0123456789abcdef\n"
	    "    AVP 5 Firmware Revision (vendor 0, type 6) M=0 H=0 length 8: "
	    "1664 (0x0680)\n"
	    "    AVP 6 Host Name (vendor 0, type 7) M=1 H=0 length 13: "
	    "\"lac.lab\"\n"
	    "    AVP 7 Vendor Name (vendor 0, type 8) M=0 H=0 length 12: "
	    "\"l2tpsh\"\n"
	    "    AVP 8 Assigned Tunnel ID (vendor 0, type 9) M=1 H=0 length 8: "
	    "4711\n"
	    "    AVP 9 Receive Window Size (vendor 0, type 10) M=1 H=0 length "
	    "8: 4\n"
	    "    AVP 10 Challenge (vendor 0, type 11) M=1 H=0 length 22: "
	    "000102030405060708090a0b0c0d0e0f\n");
}

Test(tree, stopccn_and_cdn_results_in_words)
{
	int n = build_stopccn(buf, sizeof(buf));
	const char *s = render(buf, (size_t)n, F_TREE, NULL);

	cr_assert_not_null(strstr(s, "    AVP 2 Result Code (vendor 0, type "
	                             "1) M=1 H=0 length 18: result 2 (general "
	                             "error, see error code), "
	                             "error 6 (a generic vendor-specific error "
	                             "occurred in the LAC), "
	                             "message \"Goodbye!\"\n"),
	                   "%s", s);
	n = build_cdn(buf, sizeof(buf));
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(strstr(s, "length 8: result 3 (call disconnected "
	                             "for administrative reasons)\n"),
	                   "%s", s);
	cr_assert_not_null(
	    strstr(
	        s,
	        "    AVP 3 Q.931 Cause Code (vendor 0, "
	        "type 12) M=1 H=0 length 11: cause 16 (normal call clearing), "
	        "message 0x5a (RELEASE COMPLETE), advisory \"ok\"\n"),
	    "%s", s);
	cr_assert_not_null(
	    strstr(
	        s,
	        "    AVP 4 PPP Disconnect Cause Code "
	        "(vendor 0, type 46) M=0 H=0 length 14: code 3 (normal "
	        "disconnection, LCP Terminate-Request sent), protocol 0xc021 "
	        "(LCP), direction 1 (peer), message \"bye\"\n"),
	    "%s", s);
}

Test(tree, hidden_bytes_and_decrypted_value)
{
	struct opts open = {.secret = "s3cret"};
	int n = build_hidden(buf, sizeof(buf));
	const char *s = render(buf, (size_t)n, F_TREE, NULL);

	cr_assert_not_null(
	    strstr(s, "    AVP 5 Assigned Tunnel ID (vendor 0, "
	              "type 9) M=1 H=1 length 10: (hidden) ce407472\n"),
	    "%s", s);
	s = render(buf, (size_t)n, F_TREE, &open);
	cr_assert_not_null(
	    strstr(
	        s,
	        "    AVP 5 Assigned Tunnel ID (vendor 0, "
	        "type 9) M=1 H=1 length 10: (hidden, decrypted with secret 1) "
	        "4711\n"),
	    "%s", s);
}

Test(tree, unknown_vendor_and_problem_at_the_end)
{
	int n = build_vendor_bad(buf, sizeof(buf));
	const char *s = render(buf, (size_t)n, F_TREE, NULL);
	const char *tail = "    AVP 2 vendor 9 type 50 (Cisco, unknown) M=0 "
	                   "H=0 length 10: cafe0001\n"
	                   "    AVP 3 Agent-Circuit-Id (vendor 3561 Broadband "
	                   "Forum, type 1) M=0 H=0 length 16: \"port "
	                   "1/0/3\"\n"
	                   "    Problem: malformed: AVP 4 (vendor 0 type 7): "
	                   "length 4 < 6\n";

	cr_assert_not_null(strstr(s, tail), "%s", s);
	cr_assert_str_eq(strstr(s, tail), tail);
}

Test(tree, iccn_wen_sli_values)
{
	int n = build_iccn(buf, sizeof(buf));
	const char *s = render(buf, (size_t)n, F_TREE, NULL);

	cr_assert_not_null(strstr(s, "Framing Type (vendor 0, type 19) M=1 "
	                             "H=0 length 10: 0x00000001 (sync)\n"));
	cr_assert_not_null(strstr(s, "Proxy Authen Type (vendor 0, type 29) "
	                             "M=0 H=0 length 8: 2 (PPP CHAP)\n"));
	cr_assert_not_null(strstr(s, "Sequencing Required (vendor 0, type 39) "
	                             "M=1 H=0 length 6: (no value)\n"));
	n = build_wen_sli(buf, sizeof(buf), true);
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(strstr(
	    s, "length 32: CRC errors 1, framing errors "
	       "2, hardware overruns 3, buffer overruns 4, timeout errors 5, "
	       "alignment errors 6\n"));
	n = build_wen_sli(buf, sizeof(buf), false);
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(strstr(s,
	                          "ACCM (vendor 0, type 35) M=1 H=0 length "
	                          "16: send 0xffffffff, receive 0x00000000\n"));
}

Test(tree, v3_control_and_data)
{
	struct l2tp_parse_opts po = {4, false};
	struct opts ip = {.tr = L2TP_IP};
	struct opts data = {.tr = L2TP_IP, .po = &po};
	int n = build_v3_sccrq(buf, sizeof(buf), L2TP_IP);

	cr_assert_str_eq(
	    render(buf, (size_t)n, F_TREE, &ip),
	    "Frame 1: 22:13:20.123456 192.0.2.1 > 192.0.2.2 (IP protocol 115, "
	    "61 bytes)\n"
	    "  L2TPv3/IP control message SCCRQ "
	    "(Start-Control-Connection-Request)\n"
	    "    Session ID: 0 (control)\n"
	    "    Flags: 0xc803 (T=1 control, L=1 length, S=1 sequence), "
	    "version 3\n"
	    "    Length: 57\n"
	    "    Control Connection ID: 0\n"
	    "    Ns: 0\n"
	    "    Nr: 0\n"
	    "    AVP 0 Message Type (vendor 0, type 0) M=1 H=0 length 8: 1 "
	    "(SCCRQ, Start-Control-Connection-Request)\n"
	    "    AVP 1 Host Name (vendor 0, type 7) M=1 H=0 length 9: "
	    "\"pe1\"\n"
	    "    AVP 2 Router ID (vendor 0, type 60) M=0 H=0 length 10: "
	    "167772161 (10.0.0.1)\n"
	    "    AVP 3 Assigned Control Connection ID (vendor 0, type 61) M=1 "
	    "H=0 length 10: 16909060\n"
	    "    AVP 4 Pseudowire Capabilities List (vendor 0, type 62) M=1 "
	    "H=0 length 8: 5 (Ethernet)\n");
	cr_assert_str_eq(
	    render(v3_arp, sizeof(v3_arp), F_TREE, &data),
	    "Frame 1: 22:13:20.123456 192.0.2.1 > 192.0.2.2 (IP protocol 115, "
	    "58 bytes)\n"
	    "  L2TPv3/IP data message\n"
	    "    Session ID: 74565\n"
	    "    Cookie: c00c1e55\n"
	    "    L2-Specific Sublayer: S=1, Sequence Number 7\n"
	    "    Ethernet: 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, VLAN 100, "
	    "type 0x0806 (ARP), 46 bytes\n"
	    "      ARP operation 1 (request), sender 02:00:00:00:00:01 "
	    "10.0.0.1, target 00:00:00:00:00:00 10.0.0.2\n");
}

Test(tree, data_lcp_options)
{
	int n = build_data(buf, sizeof(buf), lcp_creq, sizeof(lcp_creq));

	cr_assert_str_eq(
	    render(buf, (size_t)n, F_TREE, NULL),
	    "Frame 1: 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701 (UDP, "
	    "33 bytes)\n"
	    "  L2TPv2 data message\n"
	    "    Flags: 0x0002 (T=0, L=0, S=0, O=0, P=0), version 2\n"
	    "    Tunnel ID: 4711\n"
	    "    Session ID: 7\n"
	    "    PPP: address/control 0xff03, protocol 0xc021 (LCP), 27 "
	    "bytes\n"
	    "      Code 1 (Configure-Request), Identifier 1, Length 23\n"
	    "      Option 1 (Maximum-Receive-Unit) length 4: 1492\n"
	    "      Option 3 (Authentication-Protocol) length 5: CHAP/MD5\n"
	    "      Option 5 (Magic-Number) length 6: 0x12345678\n"
	    "      Option 7 (Protocol-Field-Compression) length 2: (no "
	    "value)\n"
	    "      Option 8 (Address-and-Control-Field-Compression) length 2: "
	    "(no value)\n");
}

Test(tree, data_header_with_every_optional_field)
{
	struct l2tp_builder b;
	int n;

	/* L, S, O and P set: every optional v2 data field. */
	l2tp_build_data(&b, buf, sizeof(buf),
	                L2TP_F_L | L2TP_F_S | L2TP_F_O | L2TP_F_P | 2, 1, 2, 3,
	                4, 2, lcp_echo, sizeof(lcp_echo));
	n = l2tp_build_end(&b);
	cr_assert_str_eq(
	    render(buf, (size_t)n, F_TREE, NULL),
	    "Frame 1: 22:13:20.123456 192.0.2.1.1701 > 192.0.2.2.1701 (UDP, "
	    "28 bytes)\n"
	    "  L2TPv2 data message\n"
	    "    Flags: 0x4b02 (T=0, L=1 length, S=1 sequence, O=1 offset, "
	    "P=1 priority), version 2\n"
	    "    Length: 28\n"
	    "    Tunnel ID: 1\n"
	    "    Session ID: 2\n"
	    "    Ns: 3\n"
	    "    Nr: 4\n"
	    "    Offset Size: 2\n"
	    "    PPP: address/control 0xff03, protocol 0xc021 (LCP), 12 "
	    "bytes\n"
	    "      Code 9 (Echo-Request), Identifier 7, Length 8\n"
	    "      Magic-Number 0x12345678\n");
}

Test(tree, units_labels_and_vendor_avps)
{
	struct l2tp_builder b;
	uint8_t rate[8] = {0, 0, 0, 0, 0x01, 0x31, 0x2d, 0x00};
	uint8_t pw[2] = {0, 5};
	uint8_t delay[4] = {0, 0, 0, 8};
	const char *s;
	int n;

	l2tp_build_control(&b, buf, sizeof(buf), 1, 2, 3, 4);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF, 129, rate, 8);
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF, 140, delay, 4);
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_CISCO, 7, pw, 2);
	l2tp_build_avp(&b, false, false, 0, 98, NULL, 0);
	l2tp_build_u32(&b, true, L2TP_AVP_MIN_BPS, 9600);
	n = l2tp_build_end(&b);
	s = render(buf, (size_t)n, F_LINE, NULL);
	cr_assert_not_null(
	    strstr(
	        s,
	        ": rate-up 20000000, delay-up 8, "
	        "cisco-pw-type Ethernet, connect-speed-update-enable, minbps "
	        "9600"),
	    "%s", s);
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(strstr(s, "Actual-Data-Rate-Upstream (vendor 3561 "
	                             "Broadband Forum, type 129) M=0 H=0 "
	                             "length 14: 20000000 bit/s\n"),
	                   "%s", s);
	cr_assert_not_null(strstr(s, "length 10: 8 ms\n"), "%s", s);
	cr_assert_not_null(strstr(s, "Pseudowire Type (vendor 9 Cisco, type 7) "
	                             "M=0 H=0 length 8: 5 (Ethernet)\n"),
	                   "%s", s);
	cr_assert_not_null(strstr(s, "length 10: 9600 bit/s\n"), "%s", s);
	n = build_data(buf, sizeof(buf), ppp_ip, sizeof(ppp_ip));
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(
	    strstr(
	        s,
	        "      IPv4 10.0.0.2 > 10.0.0.1, protocol "
	        "1 (ICMP), total length 84, TTL 64, ICMP type 8 (echo request) "
	        "code 0\n"),
	    "%s", s);
}

Test(tree, avp_value_for_the_engine)
{
	int n = build_stopccn(buf, sizeof(buf));
	struct l2tp_sink s;

	render(buf, (size_t)n, F_LINE, NULL);
	l2tp_sink_init(&s, NULL);
	l2tp_print_avp_value(&s, &msg.avps[2]);
	l2tp_sink_putc(&s, '|');
	l2tp_print_avp_value_in(&s, &msg.avps[2], L2TP_STOPCCN);
	l2tp_sink_putc(&s, '|');
	l2tp_print_avp_value(&s, &msg.avps[1]);
	l2tp_sink_putc(&s, '\0');
	cr_assert_str_eq(
	    s.buf,
	    "result 2, error 6 (a generic vendor-specific error occurred in "
	    "the LAC), message \"Goodbye!\"|result 2 (general error, see error "
	    "code), error 6 (a generic vendor-specific error occurred in the "
	    "LAC), message \"Goodbye!\"|17");
	l2tp_sink_free(&s);
}

/* ---- JSON ---- */

static const struct jnode *
jreq(const char *path, enum jtype t)
{
	const struct jnode *n = jget(&jd, path);

	cr_assert_not_null(n, "key %s missing in %s", path, out);
	cr_assert_eq(n->t, t, "key %s has type %d, want %d in %s", path, n->t,
	             t, out);
	return n;
}

static void
jeq(const char *path, const char *text)
{
	cr_assert_str_eq(jtext(jget(&jd, path)), text, "at %s in %s", path,
	                 out);
}

/* Every L2TP object has the keys docs/json.md requires, with their types. */
static void
check_json_shape(void)
{
	const struct jnode *l, *avps, *errs, *t;
	char p[64];
	int k;

	cr_assert(jparse(&jd, out, strlen(out)), "invalid JSON (%s): %s",
	          jd.err, out);
	cr_assert_eq(out[strlen(out) - 1], '\n');
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "%s", out);
	/* null only for a message not from a capture (no meta) */
	cr_assert(jget(&jd, "frame") && (jget(&jd, "frame")->t == J_NUM ||
	                                 jget(&jd, "frame")->t == J_NULL),
	          "%s", out);
	cr_assert(jget(&jd, "time") && (jget(&jd, "time")->t == J_NUM ||
	                                jget(&jd, "time")->t == J_NULL),
	          "%s", out);
	cr_assert(jget(&jd, "src") && jget(&jd, "sport") && jget(&jd, "dst") &&
	          jget(&jd, "dport"));
	errs = jreq("errors", J_ARR);
	for (int i = 0; i < jcount(&jd, errs); i++) {
		snprintf(p, sizeof(p), "errors.%d.kind", i);
		jreq(p, J_STR);
		snprintf(p, sizeof(p), "errors.%d.what", i);
		jreq(p, J_STR);
	}
	l = jget(&jd, "l2tp");
	cr_assert_not_null(l);
	if (l->t == J_NULL)
		return;
	cr_assert_eq(l->t, J_OBJ);
	jreq("l2tp.version", J_NUM);
	t = jreq("l2tp.type", J_STR);
	cr_assert(strcmp(jtext(t), "\"control\"") == 0 ||
	          strcmp(jtext(t), "\"data\"") == 0);
	if (jget(&jd, "l2tp.header"))
		return;
	cr_assert_not_null(jget(&jd, "l2tp.message"));
	jreq("l2tp.session", J_NUM);
	if (strcmp(jtext(jget(&jd, "l2tp.version")), "2") == 0) {
		jreq("l2tp.tunnel", J_NUM);
	} else if (strcmp(jtext(t), "\"control\"") == 0) {
		jreq("l2tp.ccid", J_NUM);
	}
	if (strcmp(jtext(t), "\"control\"") != 0)
		return;
	/* present when the header has them (a v2 control message should) */
	if (jget(&jd, "l2tp.ns"))
		jreq("l2tp.ns", J_NUM);
	if (jget(&jd, "l2tp.nr"))
		jreq("l2tp.nr", J_NUM);
	if (jget(&jd, "l2tp.length"))
		jreq("l2tp.length", J_NUM);
	avps = jreq("l2tp.avps", J_ARR);
	k = jcount(&jd, avps);
	for (int i = 0; i < k; i++) {
		snprintf(p, sizeof(p), "l2tp.avps.%d.vendor", i);
		jreq(p, J_NUM);
		snprintf(p, sizeof(p), "l2tp.avps.%d.type", i);
		jreq(p, J_NUM);
		snprintf(p, sizeof(p), "l2tp.avps.%d.name", i);
		jreq(p, J_STR);
		snprintf(p, sizeof(p), "l2tp.avps.%d.mandatory", i);
		jreq(p, J_BOOL);
		snprintf(p, sizeof(p), "l2tp.avps.%d.hidden", i);
		jreq(p, J_BOOL);
		snprintf(p, sizeof(p), "l2tp.avps.%d.length", i);
		jreq(p, J_NUM);
		snprintf(p, sizeof(p), "l2tp.avps.%d.value", i);
		cr_assert_not_null(jget(&jd, p), "%s in %s", p, out);
		snprintf(p, sizeof(p), "l2tp.avps.%d.hidden", i);
		if (strcmp(jtext(jget(&jd, p)), "true") == 0) {
			snprintf(p, sizeof(p), "l2tp.avps.%d.decrypted", i);
			jreq(p, J_BOOL);
		}
	}
}

Test(json, sccrq_keys_and_values)
{
	int n = build_sccrq(buf, sizeof(buf));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("frame", "1");
	jeq("time", "1700000000.123456");
	jeq("src", "\"192.0.2.1\"");
	jeq("sport", "1701");
	jeq("dst", "\"192.0.2.2\"");
	jeq("dport", "1701");
	jeq("transport", "\"udp\"");
	jeq("l2tp.version", "2");
	jeq("l2tp.type", "\"control\"");
	jeq("l2tp.flags", "51202");
	jeq("l2tp.length", "133");
	jeq("l2tp.tunnel", "0");
	jeq("l2tp.message", "\"SCCRQ\"");
	cr_assert_eq(jcount(&jd, jget(&jd, "l2tp.avps")), 11);
	jeq("l2tp.avps.0.value", "1");
	jeq("l2tp.avps.1.value", "{\"version\":1,\"revision\":0}");
	jeq("l2tp.avps.2.value.bits", "3");
	jeq("l2tp.avps.2.value.async", "true");
	jeq("l2tp.avps.3.value.analog", "true");
	jeq("l2tp.avps.3.value.digital", "false");
	jeq("l2tp.avps.4.value", "\"0123456789abcdef\"");
	jeq("l2tp.avps.6.key", "\"host_name\"");
	jeq("l2tp.avps.6.value", "\"lac.lab\"");
	jeq("l2tp.avps.6.mandatory", "true");
	jeq("l2tp.avps.6.length", "13");
	jeq("l2tp.avps.8.value", "4711");
	jeq("l2tp.avps.10.value", "\"000102030405060708090a0b0c0d0e0f\"");
	cr_assert_eq(jcount(&jd, jget(&jd, "errors")), 0);
}

Test(json, result_code_object)
{
	int n = build_stopccn(buf, sizeof(buf));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.2.value.result", "2");
	jeq("l2tp.avps.2.value.error", "6");
	jeq("l2tp.avps.2.value.message", "\"Goodbye!\"");
	jeq("l2tp.avps.2.value.result_text",
	    "\"general error, see error code\"");
	n = build_cdn(buf, sizeof(buf));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.1.value",
	    "{\"result\":3,\"result_text\":\"call "
	    "disconnected for administrative reasons\",\"error\":null,"
	    "\"error_text\":null,\"message\":null}");
	jeq("l2tp.avps.3.value.cause", "16");
	jeq("l2tp.avps.3.value.msg", "90");
	jeq("l2tp.avps.3.value.advisory", "\"ok\"");
	jeq("l2tp.avps.4.value.protocol", "49185");
}

Test(json, hidden_closed_and_opened)
{
	struct opts open = {.secret = "s3cret"};
	int n = build_hidden(buf, sizeof(buf));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.5.hidden", "true");
	jeq("l2tp.avps.5.decrypted", "false");
	jeq("l2tp.avps.5.value", "\"ce407472\"");
	cr_assert_null(jget(&jd, "l2tp.avps.4.decrypted"));
	render(buf, (size_t)n, F_JSON, &open);
	check_json_shape();
	jeq("l2tp.avps.5.decrypted", "true");
	jeq("l2tp.avps.5.secret", "1");
	jeq("l2tp.avps.5.value", "4711");
}

Test(json, unknown_vendor_and_errors)
{
	int n = build_vendor_bad(buf, sizeof(buf));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.2.vendor", "9");
	jeq("l2tp.avps.2.type", "50");
	jeq("l2tp.avps.2.key", "null");
	jeq("l2tp.avps.2.value", "\"cafe0001\"");
	jeq("l2tp.avps.3.value", "\"port 1/0/3\"");
	jeq("errors", "[{\"kind\":\"malformed\",\"what\":\"AVP 4 (vendor 0 "
	              "type 7): length 4 < 6\",\"avp\":4}]");
}

Test(json, structured_values)
{
	int n = build_wen_sli(buf, sizeof(buf), true);

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.1.value",
	    "{\"crc\":1,\"framing\":2,"
	    "\"hardware_overruns\":3,\"buffer_overruns\":4,\"timeouts\":5,"
	    "\"alignment\":6}");
	n = build_wen_sli(buf, sizeof(buf), false);
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.1.value", "{\"send\":4294967295,\"recv\":0}");
	n = build_iccn(buf, sizeof(buf));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.avps.1.value", "100000000");
	jeq("l2tp.avps.3.value", "2");
	jeq("l2tp.avps.5.value", "null");
}

Test(json, zlb_and_v3)
{
	struct opts ip = {.tr = L2TP_IP};
	struct l2tp_parse_opts po = {4, false};
	struct opts data = {.tr = L2TP_IP, .po = &po};
	int n = build_zlb(buf, sizeof(buf));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.message", "\"ZLB\"");
	jeq("l2tp.avps", "[]");
	n = build_v3_sccrq(buf, sizeof(buf), L2TP_IP);
	render(buf, (size_t)n, F_JSON, &ip);
	check_json_shape();
	jeq("l2tp.version", "3");
	jeq("l2tp.transport", "\"ip\"");
	jeq("l2tp.ccid", "0");
	jeq("sport", "null");
	jeq("l2tp.avps.3.value", "16909060");
	render(v3_arp, sizeof(v3_arp), F_JSON, &data);
	check_json_shape();
	jeq("l2tp.type", "\"data\"");
	jeq("l2tp.session", "74565");
	jeq("l2tp.message", "null");
	jeq("l2tp.cookie", "\"c00c1e55\"");
	jeq("l2tp.sublayer.seq", "7");
	jeq("l2tp.ethernet.vlan", "[100]");
	jeq("l2tp.ethernet.arp.target_ip", "\"10.0.0.2\"");
}

Test(json, data_ppp_objects)
{
	int n = build_data(buf, sizeof(buf), lcp_creq, sizeof(lcp_creq));

	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.message", "null");
	jeq("l2tp.ppp.protocol", "49185");
	jeq("l2tp.ppp.protocol_name", "\"LCP\"");
	jeq("l2tp.ppp.code_name", "\"Configure-Request\"");
	jeq("l2tp.ppp.options.0.value", "1492");
	jeq("l2tp.ppp.options.1.value", "{\"protocol\":49699,\"data\":\"05\"}");
	jeq("l2tp.ppp.options.3.value", "null");
	n = build_data(buf, sizeof(buf), ipcp_nak, sizeof(ipcp_nak));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.ppp.address_control", "false");
	jeq("l2tp.ppp.options.1.value", "\"10.0.0.53\"");
	n = build_data(buf, sizeof(buf), ppp_ip6, sizeof(ppp_ip6));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.ppp.ip.dst", "\"ff02::1:2\"");
	jeq("l2tp.ppp.ip.dport", "547");
}

Test(json, lcp_terminate_text_and_echo_data)
{
	static const uint8_t term[] = {0xff, 0x03, 0xc0, 0x21, 0x05, 0x02,
	                               0x00, 0x08, 'b',  'y',  'e',  '\n'};
	static const uint8_t echo[] = {0xff, 0x03, 0xc0, 0x21, 0x0a,
	                               0x07, 0x00, 0x0a, 0x12, 0x34,
	                               0x56, 0x78, 0xbe, 0xef};
	const char *s;
	int n;

	n = build_data(buf, sizeof(buf), term, sizeof(term));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.ppp.code_name", "\"Terminate-Request\"");
	jeq("l2tp.ppp.message", "\"bye\\n\"");
	s = render(buf, (size_t)n, F_TREE, NULL);
	cr_assert_not_null(strstr(s, "      Message \"bye\\x0a\"\n"), "%s", s);
	n = build_data(buf, sizeof(buf), echo, sizeof(echo));
	render(buf, (size_t)n, F_JSON, NULL);
	check_json_shape();
	jeq("l2tp.ppp.magic", "305419896");
	jeq("l2tp.ppp.data", "\"beef\"");
}

Test(json, frame_without_l2tp)
{
	struct l2tp_frame fr = v6frame();
	struct l2tp_pkt_meta meta = {3, -1, 250000, &fr};
	struct l2tp_print_opts po = {0, false};
	struct l2tp_sink s;

	fr.kind = L2TP_FRAME_MALFORMED;
	snprintf(fr.why, sizeof(fr.why), "UDP length 4 < 8 \"bad\"");
	l2tp_sink_init(&s, NULL);
	l2tp_print_frame_json(&s, &po, &meta);
	memcpy(out, s.buf, s.len);
	out[s.len] = '\0';
	l2tp_sink_free(&s);
	check_json_shape();
	jeq("time", "-0.750000");
	jeq("l2tp", "null");
	jeq("src", "\"2001:db8::1\"");
	jeq("errors", "[{\"kind\":\"malformed\",\"what\":\"UDP length 4 < 8 "
	              "\\\"bad\\\"\"}]");
}

/* Table strings go out unescaped: each must be printable ASCII without a
 * quote or a backslash. */
static void
safe(const char *what, const char *t)
{
	if (t == NULL)
		return;
	for (const char *p = t; *p; p++)
		cr_assert(*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\',
		          "%s: \"%s\" needs escaping", what, t);
}

Test(json, table_strings_need_no_escaping)
{
	const struct l2tp_msg_info *mt;
	const struct l2tp_avp_info *at;
	size_t n;
	char nb[32];

	mt = l2tp_msg_table(&n);
	for (size_t i = 0; i < n; i++) {
		safe("message name", mt[i].name);
		safe("message long name", mt[i].long_name);
	}
	at = l2tp_avp_table(&n);
	for (size_t i = 0; i < n; i++) {
		safe("AVP name", at[i].name);
		safe("AVP key", at[i].key);
	}
	for (unsigned c = 0; c < 65536; c++) {
		safe("StopCCN result", l2tp_stopccn_result_text((uint16_t)c));
		safe("CDN result", l2tp_cdn_result_text((uint16_t)c));
		safe("error", l2tp_error_text((uint16_t)c));
		safe("proxy authen", l2tp_proxy_auth_text((uint16_t)c));
		safe("Q.931 cause", l2tp_q931_cause_text((uint16_t)c));
		safe("PPP protocol", l2tp_ppp_proto_name((uint16_t)c));
		safe("unknown message", l2tp_msg_name((int)c, nb, sizeof(nb)));
		safe("unknown AVP",
		     l2tp_avp_name(0, (uint16_t)c, nb, sizeof(nb)));
		safe("vendor AVP",
		     l2tp_avp_name((uint16_t)c, 7, nb, sizeof(nb)));
		if (c < 256) {
			safe("LCP code",
			     l2tp_ppp_code_name(L2TP_PPP_LCP, (uint8_t)c));
			safe("PAP code",
			     l2tp_ppp_code_name(L2TP_PPP_PAP, (uint8_t)c));
			safe("CHAP code",
			     l2tp_ppp_code_name(L2TP_PPP_CHAP, (uint8_t)c));
			safe("CCP code",
			     l2tp_ppp_code_name(L2TP_PPP_CCP, (uint8_t)c));
			safe("LCP option",
			     l2tp_ppp_opt_name(L2TP_PPP_LCP, (uint8_t)c));
			safe("IPCP option",
			     l2tp_ppp_opt_name(L2TP_PPP_IPCP, (uint8_t)c));
			safe("IPV6CP option",
			     l2tp_ppp_opt_name(L2TP_PPP_IPV6CP, (uint8_t)c));
			safe("CCP option",
			     l2tp_ppp_opt_name(L2TP_PPP_CCP, (uint8_t)c));
		}
	}
}

/* ---- every form of every sample, cut at every length ---- */

struct sample {
	const char *name;
	uint8_t b[512];
	size_t n;
	enum l2tp_transport tr;
	bool cookie;
};

static size_t
samples(struct sample *s)
{
	size_t k = 0;

#define ADD(nm, expr, t)                                                       \
	do {                                                                   \
		s[k].name = nm;                                                \
		s[k].n = (size_t)(expr);                                       \
		s[k].tr = t;                                                   \
		s[k].cookie = false;                                           \
		k++;                                                           \
	} while (0)
	ADD("sccrq", build_sccrq(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("stopccn", build_stopccn(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("hidden", build_hidden(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("vendor", build_vendor_bad(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("cdn", build_cdn(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("iccn", build_iccn(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("wen", build_wen_sli(s[k].b, sizeof(s[k].b), true), L2TP_UDP);
	ADD("sli", build_wen_sli(s[k].b, sizeof(s[k].b), false), L2TP_UDP);
	ADD("zlb", build_zlb(s[k].b, sizeof(s[k].b)), L2TP_UDP);
	ADD("v3ip", build_v3_sccrq(s[k].b, sizeof(s[k].b), L2TP_IP), L2TP_IP);
	ADD("v3udp", build_v3_sccrq(s[k].b, sizeof(s[k].b), L2TP_UDP),
	    L2TP_UDP);
	ADD("lcp",
	    build_data(s[k].b, sizeof(s[k].b), lcp_creq, sizeof(lcp_creq)),
	    L2TP_UDP);
	ADD("ipcp",
	    build_data(s[k].b, sizeof(s[k].b), ipcp_nak, sizeof(ipcp_nak)),
	    L2TP_UDP);
	ADD("ip", build_data(s[k].b, sizeof(s[k].b), ppp_ip, sizeof(ppp_ip)),
	    L2TP_UDP);
	ADD("ip6", build_data(s[k].b, sizeof(s[k].b), ppp_ip6, sizeof(ppp_ip6)),
	    L2TP_UDP);
	ADD("pap", build_data(s[k].b, sizeof(s[k].b), pap_req, sizeof(pap_req)),
	    L2TP_UDP);
	ADD("chap",
	    build_data(s[k].b, sizeof(s[k].b), chap_chal, sizeof(chap_chal)),
	    L2TP_UDP);
	ADD("ipv6cp",
	    build_data(s[k].b, sizeof(s[k].b), ipv6cp_creq,
	               sizeof(ipv6cp_creq)),
	    L2TP_UDP);
	memcpy(s[k].b, v3_arp, sizeof(v3_arp));
	ADD("v3arp", sizeof(v3_arp), L2TP_IP);
	s[k - 1].cookie = true;
#undef ADD
	return k;
}

Test(robust, every_form_at_every_shorter_length)
{
	static struct sample s[32];
	struct l2tp_parse_opts po = {4, false};
	size_t k = samples(s);

	for (size_t i = 0; i < k; i++) {
		cr_assert_gt(s[i].n, 0, "%s did not build", s[i].name);
		for (size_t cut = 0; cut <= s[i].n; cut++) {
			struct opts o = {.tr = s[i].tr,
			                 .secret = "s3cret",
			                 .po = s[i].cookie ? &po : NULL,
			                 .cut = true,
			                 .caplen = cut};
			const char *line;

			render(s[i].b, s[i].n, F_JSON, &o);
			check_json_shape();
			line = render(s[i].b, s[i].n, F_LINE, &o);
			cr_assert_eq(strchr(line, '\n'),
			             line + strlen(line) - 1, "%s cut %zu: %s",
			             s[i].name, cut, line);
			for (size_t p = 0; p < msg.nproblems; p++)
				cr_assert_not_null(
				    strstr(line, msg.problems[p].what),
				    "%s cut %zu: %s", s[i].name, cut, line);
			/* Cut short, it says why (truncated, or the
			 * malformed AVP it met before the cut). */
			if (cut < s[i].n)
				cr_assert_not_null(
				    strstr(line, strcmp(s[i].name, "vendor")
				                     ? "[truncated: "
				                     : "["),
				    "%s cut %zu: %s", s[i].name, cut, line);
			render(s[i].b, s[i].n, F_TREE, &o);
		}
	}
}

Test(robust, random_bytes_give_valid_json)
{
	uint32_t x = 12345;
	static uint8_t b[256];

	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + (x >> 8) % sizeof(b);
		struct opts o = {.tr = round % 3 == 0 ? L2TP_IP : L2TP_UDP};

		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = (uint8_t)(x >> 16);
		}
		/* Keep many of them looking like L2TP headers. */
		if (round % 2 && n > 2) {
			b[0] = round % 4 == 1 ? 0xc8 : 0x40;
			b[1] = round % 8 < 4 ? 0x02 : 0x03;
		}
		render(b, n, F_JSON, &o);
		check_json_shape();
		render(b, n, F_LINE, &o);
		render(b, n, F_TREE, &o);
	}
}
