/* Benchmark capture generator: a deterministic pcap of N L2TPv2 packets over
 * many tunnels, control and data, built with the project's builder (RFC 2661
 * §5-7 message flows). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "tests/testlib.h"

/*
 * Usage: gen_capture OUT N TUNNELS [HELLOS]
 *
 * TUNNELS control connections run side by side, taking turns one packet at
 * a time.  Each goes through SCCRQ, SCCRP, SCCCN, ZLB, then two calls
 * (ICRQ, ICRP, ICCN, ZLB, PPP data, CDN, ZLB), a HELLO and its ZLB, and
 * StopCCN and its ZLB, then starts again with new ids.  Every fourth tunnel
 * hides its session AVPs (secret "bench-secret").  The same arguments
 * always give the same bytes.  HELLOS (default 1) HELLO/ZLB pairs are
 * exchanged before each StopCCN: more of them make longer-lived tunnels,
 * the same packets over fewer tunnels.  `calls` instead of HELLOS makes
 * a control-only capture of TUNNELS tunnels that stay up: call after call
 * (ICRQ, ICRP, ICCN, ZLB, CDN, ZLB, no data) and a HELLO every 8 calls.
 */

#define SECRET "bench-secret"
#define BASE_TIME 1767225600 /* 2026-01-01 00:00:00 UTC */

enum step {
	S_SCCRQ,
	S_SCCRP,
	S_SCCCN,
	S_ZLB_SCC,
	S_ICRQ,
	S_ICRP,
	S_ICCN,
	S_ZLB_IC,
	S_DATA_LCP,
	S_DATA_IPCP,
	S_DATA_IP,
	S_DATA_IP2,
	S_CDN,
	S_ZLB_CDN,
	S_HELLO,
	S_ZLB_HELLO,
	S_STOPCCN,
	S_ZLB_STOP,
	S_END
};

struct tun {
	uint16_t lac_tid, lns_tid; /* each side's own id */
	uint16_t lac_sid, lns_sid;
	uint16_t lac_ns, lns_ns; /* next Ns each side sends */
	uint32_t serial;
	int step;
	int call;             /* calls done this connection */
	unsigned long hellos; /* HELLOs done this connection */
	uint8_t addr;         /* LAC at 127.0.0.addr */
	bool hide;
	uint8_t chal[16], rv[16];
};

static uint32_t rng = 0x2661;

static uint32_t
next_rand(void)
{
	/* xorshift32: deterministic, no libc state */
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next_rand();
}

static void
start(struct tun *t, size_t idx)
{
	t->lac_tid = (uint16_t)(1 + next_rand() % 65535);
	t->lns_tid = (uint16_t)(1 + next_rand() % 65535);
	t->lac_ns = t->lns_ns = 0;
	t->step = S_SCCRQ;
	t->call = 0;
	t->hellos = 0;
	t->addr = (uint8_t)(2 + idx % 250);
	t->hide = idx % 4 == 3;
	fill(t->chal, 16);
	fill(t->rv, 16);
}

static const uint8_t ppp_lcp[] = {0xff, 0x03, 0xc0, 0x21, 0x01, 0x01,
                                  0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
                                  0x05, 0x06, 0x1a, 0x2b, 0x3c, 0x4d};
/* the LNS's LCP Configure-Ack of the LAC's Configure-Request */
static const uint8_t ppp_lcp_ack[] = {0xff, 0x03, 0xc0, 0x21, 0x02, 0x01,
                                      0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
                                      0x05, 0x06, 0x1a, 0x2b, 0x3c, 0x4d};
/* an IPv4 ICMP echo inside PPP */
static const uint8_t ppp_ip[] = {
    0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40,
    0x00, 0x40, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02, 0x0a, 0x00,
    0x00, 0x01, 0x08, 0x00, 0xf7, 0xff, 0x00, 0x01, 0x00, 0x01, 'l',
    '2',  't',  'p',  's',  'h',  ' ',  'b',  'e',  'n',  'c',  'h',
    ' ',  'p',  'a',  'y',  'l',  'o',  'a',  'd',  0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0};

/* Build the tunnel's next packet into b; *from_lac says who sends it. */
static int
build(struct tun *t, uint8_t *buf, size_t cap, bool *from_lac)
{
	struct l2tp_builder b;
	uint8_t v[16];
	char num[24];
	bool lac = true;
	uint16_t pv = 0x0100;

/* A control header from the LAC (to the LNS's tunnel id) or the LNS. */
#define CTL_LAC(sid)                                                           \
	l2tp_build_control(&b, buf, cap, t->lns_tid, sid, t->lac_ns++,         \
	                   t->lns_ns)
#define CTL_LNS(sid)                                                           \
	l2tp_build_control(&b, buf, cap, t->lac_tid, sid, t->lns_ns++,         \
	                   t->lac_ns)

	switch (t->step) {
	case S_SCCRQ:
		l2tp_build_control(&b, buf, cap, 0, 0, t->lac_ns++, 0);
		l2tp_build_msg_type(&b, L2TP_SCCRQ);
		tl_u16(v, pv);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, v,
		               2);
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
		l2tp_build_u32(&b, true, L2TP_AVP_BEARER_CAP, 3);
		l2tp_build_u16(&b, false, L2TP_AVP_FIRMWARE_REV, 0x0680);
		snprintf(num, sizeof(num), "lac%u.bench", t->addr);
		l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, num);
		l2tp_build_str(&b, false, L2TP_AVP_VENDOR_NAME, "l2tpsh bench");
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID,
		               t->lac_tid);
		l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 8);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, t->chal,
		               16);
		break;
	case S_SCCRP:
		lac = false;
		l2tp_build_control(&b, buf, cap, t->lac_tid, 0, t->lns_ns++,
		                   t->lac_ns);
		l2tp_build_msg_type(&b, L2TP_SCCRP);
		tl_u16(v, pv);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, v,
		               2);
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
		l2tp_build_u32(&b, true, L2TP_AVP_BEARER_CAP, 3);
		l2tp_build_u16(&b, false, L2TP_AVP_FIRMWARE_REV, 0x0680);
		l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "lns.bench");
		l2tp_build_str(&b, false, L2TP_AVP_VENDOR_NAME, "l2tpsh bench");
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID,
		               t->lns_tid);
		l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 16);
		l2tp_chap_response(L2TP_SCCRP, (const uint8_t *)SECRET,
		                   strlen(SECRET), t->chal, 16, v);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		               v, 16);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, t->rv,
		               16);
		break;
	case S_SCCCN:
		CTL_LAC(0);
		l2tp_build_msg_type(&b, L2TP_SCCCN);
		l2tp_chap_response(L2TP_SCCCN, (const uint8_t *)SECRET,
		                   strlen(SECRET), t->rv, 16, v);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE,
		               v, 16);
		break;
	case S_ZLB_SCC:
	case S_ZLB_IC:
	case S_ZLB_CDN:
	case S_ZLB_HELLO:
	case S_ZLB_STOP:
		/* the LNS acks; no Ns is used by a ZLB */
		lac = false;
		l2tp_build_control(&b, buf, cap, t->lac_tid, 0, t->lns_ns,
		                   t->lac_ns);
		break;
	case S_ICRQ:
		t->lac_sid = (uint16_t)(1 + next_rand() % 65535);
		t->serial++;
		CTL_LAC(0);
		l2tp_build_msg_type(&b, L2TP_ICRQ);
		snprintf(num, sizeof(num), "55501%05u", t->serial % 100000);
		if (t->hide) {
			l2tp_build_random_vector(&b, t->rv, 16, SECRET);
			tl_u16(v, t->lac_sid);
			l2tp_build_hidden(&b, true, 0,
			                  L2TP_AVP_ASSIGNED_SESSION_ID, v, 2,
			                  NULL, 0);
			tl_u32(v, t->serial);
			l2tp_build_hidden(&b, true, 0, L2TP_AVP_CALL_SERIAL, v,
			                  4, NULL, 0);
			l2tp_build_hidden(&b, true, 0, L2TP_AVP_CALLING_NUMBER,
			                  num, strlen(num),
			                  (const uint8_t *)"pad", 3);
		} else {
			l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID,
			               t->lac_sid);
			l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL,
			               t->serial);
			l2tp_build_str(&b, true, L2TP_AVP_CALLING_NUMBER, num);
		}
		l2tp_build_u32(&b, true, L2TP_AVP_BEARER_TYPE, 2);
		l2tp_build_u32(&b, false, L2TP_AVP_PHYS_CHANNEL,
		               t->serial % 4096);
		l2tp_build_str(&b, true, L2TP_AVP_CALLED_NUMBER, "1701");
		snprintf(num, sizeof(num), "dslam%u eth 0/%u", t->addr,
		         t->serial % 48);
		l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF,
		               L2TP_BBF_AGENT_CIRCUIT_ID, num, strlen(num));
		tl_avp_u32(&b, false, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_UP,
		           1024000);
		tl_avp_u32(&b, false, L2TP_VENDOR_BBF,
		           L2TP_BBF_ACTUAL_RATE_DOWN, 16384000);
		break;
	case S_ICRP:
		lac = false;
		t->lns_sid = (uint16_t)(1 + next_rand() % 65535);
		CTL_LNS(t->lac_sid);
		l2tp_build_msg_type(&b, L2TP_ICRP);
		if (t->hide) {
			l2tp_build_random_vector(&b, t->chal, 16, SECRET);
			tl_u16(v, t->lns_sid);
			l2tp_build_hidden(&b, true, 0,
			                  L2TP_AVP_ASSIGNED_SESSION_ID, v, 2,
			                  NULL, 0);
		} else {
			l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID,
			               t->lns_sid);
		}
		break;
	case S_ICCN:
		CTL_LAC(t->lns_sid);
		l2tp_build_msg_type(&b, L2TP_ICCN);
		l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 100000000);
		l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
		l2tp_build_avp(&b, false, false, 0, L2TP_AVP_INIT_RX_LCP,
		               ppp_lcp + 4, sizeof(ppp_lcp) - 4);
		l2tp_build_avp(&b, false, false, 0, L2TP_AVP_LAST_TX_LCP,
		               ppp_lcp + 4, sizeof(ppp_lcp) - 4);
		l2tp_build_avp(&b, false, false, 0, L2TP_AVP_LAST_RX_LCP,
		               ppp_lcp + 4, sizeof(ppp_lcp) - 4);
		l2tp_build_u16(&b, false, L2TP_AVP_PROXY_AUTH_TYPE, 2);
		l2tp_build_str(&b, false, L2TP_AVP_PROXY_AUTH_NAME,
		               "user@bench");
		l2tp_build_u32(&b, false, L2TP_AVP_RX_SPEED, 10000000);
		break;
	case S_DATA_LCP:
	case S_DATA_IPCP:
	case S_DATA_IP:
	case S_DATA_IP2: {
		const uint8_t *p = t->step == S_DATA_LCP    ? ppp_lcp
		                   : t->step == S_DATA_IPCP ? ppp_lcp_ack
		                                            : ppp_ip;
		size_t n = t->step == S_DATA_LCP    ? sizeof(ppp_lcp)
		           : t->step == S_DATA_IPCP ? sizeof(ppp_lcp_ack)
		                                    : sizeof(ppp_ip);

		lac = t->step != S_DATA_IP2 && t->step != S_DATA_IPCP;
		l2tp_build_data(&b, buf, cap, 2, lac ? t->lns_tid : t->lac_tid,
		                lac ? t->lns_sid : t->lac_sid, 0, 0, 0, p, n);
		break;
	}
	case S_CDN:
		CTL_LAC(t->lns_sid);
		l2tp_build_msg_type(&b, L2TP_CDN);
		l2tp_build_result(&b, 3, 0, "session closed by the benchmark");
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID,
		               t->lac_sid);
		tl_u16(v, 16);
		v[2] = 0x5a;
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_Q931_CAUSE, v, 3);
		break;
	case S_HELLO:
		CTL_LAC(0);
		l2tp_build_msg_type(&b, L2TP_HELLO);
		break;
	case S_STOPCCN:
		CTL_LAC(0);
		l2tp_build_msg_type(&b, L2TP_STOPCCN);
		l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID,
		               t->lac_tid);
		l2tp_build_result(&b, 1, 0, "Goodbye!");
		break;
	default:
		return -1;
	}
#undef CTL_LAC
#undef CTL_LNS
	*from_lac = lac;
	return l2tp_build_end(&b);
}

static unsigned long hellos_per_tunnel = 1;
static bool control_only; /* HELLOS given as "calls": see main() */

static void
advance(struct tun *t, size_t idx)
{
	t->step++;
	if (control_only) {
		/* tunnels that stay up: calls without data, a HELLO after
		 * every eighth call */
		if (t->step == S_DATA_LCP)
			t->step = S_CDN;
		else if (t->step == S_ZLB_CDN + 1)
			t->step = ++t->call % 8 ? S_ICRQ : S_HELLO;
		else if (t->step == S_ZLB_HELLO + 1)
			t->step = S_ICRQ;
		return;
	}
	if (t->step == S_ZLB_HELLO + 1 && ++t->hellos < hellos_per_tunnel)
		t->step = S_HELLO;
	if (t->step == S_ZLB_CDN + 1 && ++t->call < 2)
		t->step = S_ICRQ; /* a second call */
	if (t->step == S_END)
		start(t, idx);
}

int
main(int argc, char **argv)
{
	static uint8_t l2tp[TL_MAXPKT], frame[TL_MAXPKT + 64];
	struct tun *tuns;
	pcap_t *pd;
	pcap_dumper_t *dp;
	char *end;
	unsigned long long n;
	unsigned long nt;
	uint16_t ipid = 0;

	if (argc != 4 && argc != 5) {
		fprintf(stderr,
		        "usage: gen_capture OUT N TUNNELS [HELLOS | calls]\n");
		return 2;
	}
	if (argc == 5 && strcmp(argv[4], "calls") == 0) {
		control_only = true;
	} else if (argc == 5) {
		errno = 0;
		hellos_per_tunnel = strtoul(argv[4], &end, 10);
		if (errno || *end || hellos_per_tunnel == 0 ||
		    hellos_per_tunnel > 1000000ul) {
			fprintf(stderr,
			        "gen_capture: HELLOS must be 1..1000000\n");
			return 2;
		}
	}
	errno = 0;
	n = strtoull(argv[2], &end, 10);
	if (errno || *end || n == 0 || n > 100000000ull) {
		fprintf(stderr, "gen_capture: N must be 1..100000000\n");
		return 2;
	}
	nt = strtoul(argv[3], &end, 10);
	if (errno || *end || nt == 0 || nt > 1000000ul) {
		fprintf(stderr, "gen_capture: TUNNELS must be 1..1000000\n");
		return 2;
	}
	if ((tuns = calloc(nt, sizeof(*tuns))) == NULL) {
		fprintf(stderr, "gen_capture: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < nt; i++) {
		start(&tuns[i], i);
		tuns[i].serial = (uint32_t)i * 1000u;
	}
	if ((pd = pcap_open_dead(DLT_EN10MB, 65535)) == NULL ||
	    (dp = pcap_dump_open(pd, argv[1])) == NULL) {
		fprintf(stderr, "gen_capture: %s: %s\n", argv[1],
		        pd ? pcap_geterr(pd) : "pcap_open_dead failed");
		return 1;
	}
	for (unsigned long long i = 0; i < n; i++) {
		size_t ti = (size_t)(i % nt);
		struct tun *t = &tuns[ti];
		struct pcap_pkthdr h;
		bool lac;
		int len = build(t, l2tp, sizeof(l2tp), &lac);
		size_t fl;

		if (len < 0) {
			fprintf(stderr,
			        "gen_capture: packet %llu did not "
			        "build\n",
			        i + 1);
			return 1;
		}
		fl = tl_frame(frame, sizeof(frame), true, lac ? t->addr : 1,
		              lac ? 1 : t->addr, L2TP_UDP, 1701, 1701, l2tp,
		              (size_t)len, ipid++);
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (long)(BASE_TIME + i / 10000);
		h.ts.tv_usec = (long)(i % 10000) * 100;
		h.caplen = h.len = (bpf_u_int32)fl;
		pcap_dump((u_char *)dp, &h, frame);
		advance(t, ti);
	}
	if (pcap_dump_flush(dp) != 0) {
		fprintf(stderr, "gen_capture: %s: write failed\n", argv[1]);
		return 1;
	}
	pcap_dump_close(dp);
	pcap_close(pd);
	free(tuns);
	return 0;
}
