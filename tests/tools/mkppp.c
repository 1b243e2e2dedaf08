/* Writes deterministic captures of PPP sessions inside L2TPv2 calls, good and
 * bad, for the PPP story of --analyze: a tunnel, an incoming call and the PPP
 * both ends run over it (RFC 2661 §5.4, §6; RFC 1661, 1332, 1334, 1877, 1994,
 * 5072). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "tests/testlib.h"

/*
 * Usage: mkppp DIR   the captures below into DIR (raw IPv4 link type; the
 *                    LAC is 127.0.0.2, the LNS 127.0.0.1, both on UDP 1701;
 *                    time from 2026-01-01 00:00:00 UTC)
 *
 * ppp-pap-ipv6.pcap   PAP accepted, IPCP Protocol-Rejected by the LNS,
 *                     IPv6CP opened, CCP Protocol-Rejected by the LNS,
 *                     IPv6 data, LCP echo every 10 s, the
 *                     LAC's Terminate-Request, CDN
 * ppp-chap-fail.pcap  CHAP/MD5 (password "right-pw") answered with Failure,
 *                     the LNS terminates LCP and clears the call
 * ppp-lcp-silent.pcap the LNS sends 10 LCP Configure-Requests 3 s apart
 *                     that the LAC never answers, then CDN result 3
 * ppp-ipcp-seq.pcap   IPCP address and DNS through a Nak, Sequencing
 *                     Required, data Ns with a gap and one out of order,
 *                     the LNS's echoes unanswered at the end
 * ppp-rules.pcap      PPP rule breaks: an Ack that does not echo the
 *                     Request, a Nak with another id, an MRU option of
 *                     length 3, both ends with one magic number (a loop),
 *                     a CHAP Response with another id
 */

#define BASE_TIME 1767225600 /* 2026-01-01 00:00:00 UTC */
#define LAC 2
#define LNS 1

static pcap_dumper_t *dumper;
static uint64_t now_us;
static uint16_t ipid;
static uint16_t lac_tid = 4001, lns_tid = 5001, lac_sid = 11, lns_sid = 22;
static uint16_t lac_ns, lns_ns, lac_dns, lns_dns;
static bool data_seq;

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "mkppp: %s: %s\n", what, why);
	exit(1);
}

static void
emit(uint8_t from, const uint8_t *l2tp, size_t len)
{
	static uint8_t frame[TL_MAXPKT + 64];
	struct pcap_pkthdr h;
	size_t n =
	    tl_frame(frame, sizeof(frame), false, from, from == LAC ? LNS : LAC,
	             L2TP_UDP, 1701, 1701, l2tp, len, ipid++);

	if (n == 0)
		die("frame", "does not fit");
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(BASE_TIME + now_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(now_us % 1000000);
	h.len = h.caplen = (bpf_u_int32)n;
	pcap_dump((u_char *)dumper, &h, frame);
	now_us += 1000; /* a millisecond between frames unless told */
}

static uint8_t B[TL_MAXPKT];

/* Control messages from the LAC or the LNS, Nr up to date. */
static void
ctl(struct l2tp_builder *b, uint8_t from, uint16_t sid)
{
	if (from == LAC)
		l2tp_build_control(b, B, sizeof(B), lns_tid, sid, lac_ns++,
		                   lns_ns);
	else
		l2tp_build_control(b, B, sizeof(B), lac_tid, sid, lns_ns++,
		                   lac_ns);
}

static void
done(struct l2tp_builder *b, uint8_t from)
{
	int n = l2tp_build_end(b);

	if (n < 0)
		die("build", "a packet did not build");
	emit(from, b->buf, (size_t)n);
}

static void
zlb(uint8_t from)
{
	struct l2tp_builder b;

	if (from == LAC)
		l2tp_build_control(&b, B, sizeof(B), lns_tid, 0, lac_ns,
		                   lns_ns);
	else
		l2tp_build_control(&b, B, sizeof(B), lac_tid, 0, lns_ns,
		                   lac_ns);
	done(&b, from);
}

/* The tunnel and an incoming call up to its ICCN. */
static void
setup(bool seq_required)
{
	struct l2tp_builder b;

	lac_ns = lns_ns = lac_dns = lns_dns = 0;
	now_us = 0;
	l2tp_build_control(&b, B, sizeof(B), 0, 0, lac_ns++, 0);
	tl_scc_avps(&b, L2TP_SCCRQ, "lac.lab", lac_tid);
	done(&b, LAC);
	ctl(&b, LNS, 0);
	tl_scc_avps(&b, L2TP_SCCRP, "lns.lab", lns_tid);
	done(&b, LNS);
	ctl(&b, LAC, 0);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	done(&b, LAC);
	zlb(LNS);
	ctl(&b, LAC, 0);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, lac_sid);
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 1);
	done(&b, LAC);
	ctl(&b, LNS, lac_sid);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, lns_sid);
	done(&b, LNS);
	ctl(&b, LAC, lns_sid);
	l2tp_build_msg_type(&b, L2TP_ICCN);
	l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 10000000);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	if (seq_required)
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_SEQ_REQUIRED, NULL,
		               0);
	done(&b, LAC);
	zlb(LNS);
}

static void
cdn(uint8_t from, uint16_t result)
{
	struct l2tp_builder b;

	ctl(&b, from, from == LAC ? lns_sid : lac_sid);
	l2tp_build_msg_type(&b, L2TP_CDN);
	l2tp_build_result(&b, result, 0, NULL);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID,
	               from == LAC ? lac_sid : lns_sid);
	done(&b, from);
	zlb(from == LAC ? LNS : LAC);
}

/* One PPP frame (FF 03, protocol, packet) in a data message. */
static void
ppp(uint8_t from, uint16_t proto, const uint8_t *pkt, size_t n)
{
	struct l2tp_builder b;
	uint8_t f[1600];
	/* version 2, with Ns (S) when sequencing; Nr is reserved (0) */
	uint16_t flags = (uint16_t)(2 | (data_seq ? L2TP_F_S : 0));

	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, pkt, n);
	l2tp_build_data(&b, B, sizeof(B), flags,
	                from == LAC ? lns_tid : lac_tid,
	                from == LAC ? lns_sid : lac_sid,
	                from == LAC ? lac_dns++ : lns_dns++, 0, 0, f, n + 4);
	done(&b, from);
}

/* A control-protocol packet: code, id, then the data given. */
static void
cp(uint8_t from, uint16_t proto, uint8_t code, uint8_t id, const void *data,
   size_t n)
{
	uint8_t p[1500];

	p[0] = code;
	p[1] = id;
	p[2] = (uint8_t)((n + 4) >> 8);
	p[3] = (uint8_t)(n + 4);
	if (n)
		memcpy(p + 4, data, n);
	ppp(from, proto, p, n + 4);
}

#define LCP 0xc021
#define PAP 0xc023
#define CHAP 0xc223
#define IPCP 0x8021
#define IPV6CP 0x8057

/* LCP options */
#define MRU(v) 1, 4, (uint8_t)((v) >> 8), (uint8_t)(v)
#define MAGIC(a, b, c, d) 5, 6, a, b, c, d
#define AUTH_PAP 3, 4, 0xc0, 0x23
#define AUTH_CHAP 3, 5, 0xc2, 0x23, 5
#define ACCM 2, 6, 0, 0, 0, 0

static void
echo(uint8_t from, uint8_t code, uint8_t id, uint32_t magic)
{
	uint8_t m[4] = {(uint8_t)(magic >> 24), (uint8_t)(magic >> 16),
	                (uint8_t)(magic >> 8), (uint8_t)magic};

	cp(from, LCP, code, id, m, 4);
}

static void
ipv6(uint8_t from)
{
	/* an ICMPv6 echo request between the link-local addresses */
	uint8_t p[48] = {0x60, 0, 0, 0, 0, 8, 58, 64, 0xfe, 0x80};

	p[40] = 128;
	ppp(from, 0x0057, p, sizeof(p));
}

static void
ipv4(uint8_t from)
{
	uint8_t p[28] = {0x45, 0,  0, 28, 0, 1, 0, 0, 64, 1, 0,
	                 0,    10, 0, 0,  5, 8, 8, 8, 8,  8, 0};

	ppp(from, 0x0021, p, sizeof(p));
}

static void
f_pap_ipv6(void)
{
	const uint8_t lac1[] = {MRU(1460), ACCM, MAGIC(0x11, 0x22, 0x33, 0x44)};
	const uint8_t rej1[] = {ACCM};
	const uint8_t lac2[] = {MRU(1460), MAGIC(0x11, 0x22, 0x33, 0x44)};
	const uint8_t lns1[] = {MRU(1460), AUTH_PAP,
	                        MAGIC(0xa1, 0xb2, 0xc3, 0xd4)};
	const uint8_t pap[] = {5,   'a', 'l', 'i', 'c', 'e', 6,
	                       's', '3', 'c', 'r', 'e', 't'};
	const uint8_t ack[] = {7, 'W', 'e', 'l', 'c', 'o', 'm', 'e'};
	const uint8_t ipcp[] = {3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0};
	uint8_t prej[4 + 4 + sizeof(ipcp)] = {
	    0x80, 0x21, 1, 1, 0, (uint8_t)(4 + sizeof(ipcp))};
	const uint8_t v6lac[] = {1,    10,   0x02, 0x11, 0x22,
	                         0xff, 0xfe, 0x33, 0x44, 0x55};
	const uint8_t v6lns[] = {1,    10,   0x02, 0xaa, 0xbb,
	                         0xff, 0xfe, 0xcc, 0xdd, 0xee};
	const char term[] = "User request";
	const uint8_t mppe[] = {18, 6, 0x01, 0x00, 0x00, 0x60};
	uint8_t pccp[4 + 4 + sizeof(mppe)] = {
	    0x80, 0xfd, 1, 1, 0, (uint8_t)(4 + sizeof(mppe))};

	setup(false);
	cp(LNS, LCP, 1, 1, lns1, sizeof(lns1));
	cp(LAC, LCP, 1, 1, lac1, sizeof(lac1));
	cp(LAC, LCP, 2, 1, lns1, sizeof(lns1));
	cp(LNS, LCP, 4, 1, rej1, sizeof(rej1));
	cp(LAC, LCP, 1, 2, lac2, sizeof(lac2));
	cp(LNS, LCP, 2, 2, lac2, sizeof(lac2));
	cp(LAC, PAP, 1, 1, pap, sizeof(pap));
	cp(LNS, PAP, 2, 1, ack, sizeof(ack));
	cp(LAC, IPCP, 1, 1, ipcp, sizeof(ipcp));
	memcpy(prej + 6, ipcp, sizeof(ipcp));
	cp(LNS, LCP, 8, 3, prej, sizeof(prej));
	cp(LAC, IPV6CP, 1, 1, v6lac, sizeof(v6lac));
	cp(LNS, IPV6CP, 1, 1, v6lns, sizeof(v6lns));
	cp(LNS, IPV6CP, 2, 1, v6lac, sizeof(v6lac));
	cp(LAC, IPV6CP, 2, 1, v6lns, sizeof(v6lns));
	cp(LAC, 0x80fd, 1, 1, mppe, sizeof(mppe));
	memcpy(pccp + 6, mppe, sizeof(mppe));
	cp(LNS, LCP, 8, 4, pccp, sizeof(pccp));
	for (int i = 0; i < 3; i++) {
		ipv6(LAC);
		ipv6(LNS);
		now_us += 10000000 - 4000;
		echo(LNS, 9, (uint8_t)(10 + i), 0xa1b2c3d4);
		now_us += 2000;
		echo(LAC, 10, (uint8_t)(10 + i), 0x11223344);
	}
	cp(LAC, LCP, 5, 4, term, sizeof(term) - 1);
	cp(LNS, LCP, 6, 4, NULL, 0);
	cdn(LAC, 1);
}

static void
f_chap_fail(void)
{
	const uint8_t lac1[] = {MRU(1460), MAGIC(0x55, 0x66, 0x77, 0x88)};
	const uint8_t lns1[] = {MRU(1460), AUTH_CHAP,
	                        MAGIC(0x99, 0xaa, 0xbb, 0xcc)};
	uint8_t chal[1 + 16 + 3] = {16};
	uint8_t resp[1 + 16 + 3] = {16};
	const char fail[] = "Authentication failed";

	setup(false);
	cp(LNS, LCP, 1, 1, lns1, sizeof(lns1));
	cp(LAC, LCP, 1, 1, lac1, sizeof(lac1));
	cp(LAC, LCP, 2, 1, lns1, sizeof(lns1));
	cp(LNS, LCP, 2, 1, lac1, sizeof(lac1));
	for (int i = 0; i < 16; i++)
		chal[1 + i] = (uint8_t)(0x30 + i * 7);
	memcpy(chal + 17, "lns", 3);
	cp(LNS, CHAP, 1, 7, chal, sizeof(chal));
	l2tp_chap_response(7, (const uint8_t *)"right-pw", 8, chal + 1, 16,
	                   resp + 1);
	memcpy(resp + 17, "bob", 3);
	cp(LAC, CHAP, 2, 7, resp, sizeof(resp));
	now_us += 500000; /* RADIUS takes its time */
	cp(LNS, CHAP, 4, 7, fail, sizeof(fail) - 1);
	cp(LNS, LCP, 5, 2, fail, sizeof(fail) - 1);
	cp(LAC, LCP, 6, 2, NULL, 0);
	cdn(LNS, 3);
}

static void
f_lcp_silent(void)
{
	const uint8_t lns1[] = {MRU(1462), AUTH_CHAP,
	                        MAGIC(0x0b, 0xad, 0xca, 0xfe)};

	setup(false);
	for (int i = 0; i < 10; i++) {
		cp(LNS, LCP, 1, (uint8_t)(1 + i), lns1, sizeof(lns1));
		now_us += 3000000 - 1000;
	}
	cdn(LNS, 3);
}

static void
f_ipcp_seq(void)
{
	const uint8_t lac1[] = {MRU(1460), MAGIC(0x01, 0x02, 0x03, 0x04)};
	const uint8_t lns1[] = {MRU(1460), MAGIC(0x05, 0x06, 0x07, 0x08)};
	const uint8_t ask[] = {3, 6, 0, 0,   0, 0, 129, 6, 0,
	                       0, 0, 0, 131, 6, 0, 0,   0, 0};
	const uint8_t nak[] = {3, 6, 10, 0,   0, 5,   129, 6, 192,
	                       0, 2, 53, 131, 6, 192, 0,   2, 54};
	const uint8_t srv[] = {3, 6, 10, 0, 0, 1};
	const uint8_t comp[] = {2, 6, 0, 0x2d, 0x0f, 0x01};

	setup(true);
	data_seq = true;
	cp(LNS, LCP, 1, 1, lns1, sizeof(lns1));
	cp(LAC, LCP, 1, 1, lac1, sizeof(lac1));
	cp(LAC, LCP, 2, 1, lns1, sizeof(lns1));
	cp(LNS, LCP, 2, 1, lac1, sizeof(lac1));
	cp(LNS, IPCP, 1, 1, srv, sizeof(srv));
	cp(LAC, IPCP, 1, 1, comp, sizeof(comp));
	cp(LNS, IPCP, 4, 1, comp, sizeof(comp));
	cp(LAC, IPCP, 2, 1, srv, sizeof(srv));
	cp(LAC, IPCP, 1, 2, ask, sizeof(ask));
	cp(LNS, IPCP, 3, 2, nak, sizeof(nak));
	cp(LAC, IPCP, 1, 3, nak, sizeof(nak));
	cp(LNS, IPCP, 2, 3, nak, sizeof(nak));
	ipv4(LAC);
	lac_dns += 2; /* two frames lost on the way */
	ipv4(LAC);
	ipv4(LAC);
	lac_dns -= 3; /* and one late */
	ipv4(LAC);
	lac_dns += 2;
	ipv4(LNS);
	for (int i = 0; i < 4; i++) {
		now_us += 10000000;
		echo(LNS, 9, (uint8_t)(30 + i), 0x05060708);
		if (i == 0) {
			now_us += 3000;
			echo(LAC, 10, 30, 0x01020304);
		}
	}
	data_seq = false;
}

static void
f_rules(void)
{
	const uint8_t lac1[] = {MRU(1460), MAGIC(0x42, 0x42, 0x42, 0x42)};
	const uint8_t lac1ack[] = {MRU(1500), MAGIC(0x42, 0x42, 0x42, 0x42)};
	const uint8_t lns1[] = {MRU(1460), AUTH_CHAP,
	                        MAGIC(0x42, 0x42, 0x42, 0x42)};
	const uint8_t badmru[] = {1, 3, 5};
	const uint8_t nak[] = {MRU(1400)};
	uint8_t chal[1 + 16] = {16, 1,  2,  3,  4,  5,  6,  7, 8,
	                        9,  10, 11, 12, 13, 14, 15, 16};
	uint8_t resp[1 + 16 + 3] = {16};

	setup(false);
	cp(LNS, LCP, 1, 1, lns1, sizeof(lns1));
	cp(LAC, LCP, 1, 1, lac1, sizeof(lac1));
	cp(LNS, LCP, 3, 9, nak, sizeof(nak));
	cp(LAC, LCP, 2, 1, lns1, sizeof(lns1));
	cp(LAC, LCP, 1, 2, badmru, sizeof(badmru));
	cp(LAC, LCP, 1, 3, lac1, sizeof(lac1));
	cp(LNS, LCP, 2, 3, lac1ack, sizeof(lac1ack));
	cp(LNS, CHAP, 1, 5, chal, sizeof(chal));
	l2tp_chap_response(5, (const uint8_t *)"pw", 2, chal + 1, 16, resp + 1);
	memcpy(resp + 17, "eve", 3);
	cp(LAC, CHAP, 2, 6, resp, sizeof(resp));
	cp(LNS, CHAP, 3, 5, NULL, 0);
}

static const struct {
	const char *name;
	void (*make)(void);
} files[] = {
    {"ppp-pap-ipv6.pcap", f_pap_ipv6},     {"ppp-chap-fail.pcap", f_chap_fail},
    {"ppp-lcp-silent.pcap", f_lcp_silent}, {"ppp-ipcp-seq.pcap", f_ipcp_seq},
    {"ppp-rules.pcap", f_rules},
};

int
main(int argc, char **argv)
{
	char path[4096];

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkppp DIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0777) < 0 && errno != EEXIST)
		die(argv[1], strerror(errno));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		pcap_t *pd = pcap_open_dead(DLT_RAW, 65535);

		snprintf(path, sizeof(path), "%s/%s", argv[1], files[i].name);
		if (pd == NULL)
			die(path, "pcap_open_dead failed");
		if ((dumper = pcap_dump_open(pd, path)) == NULL)
			die(path, pcap_geterr(pd));
		files[i].make();
		if (pcap_dump_flush(dumper) != 0)
			die(path, "write failed");
		pcap_dump_close(dumper);
		pcap_close(pd);
	}
	return 0;
}
