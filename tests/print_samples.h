/* Messages built with the project's encoder for the printer tests and the
 * sample tool (RFC 2661 §3-4, RFC 3931 §3-4). */
#ifndef TESTS_PRINT_SAMPLES_H
#define TESTS_PRINT_SAMPLES_H

#include <string.h>
#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "decoder/print.h"
#include "decoder/ppp.h"

static const uint8_t chal16[16] = {0, 1, 2,  3,  4,  5,  6,  7,
                                   8, 9, 10, 11, 12, 13, 14, 15};

static inline struct l2tp_frame
v4frame(void)
{
	struct l2tp_frame fr;

	memset(&fr, 0, sizeof(fr));
	fr.kind = L2TP_FRAME_L2TP;
	fr.src.family = fr.dst.family = 4;
	memcpy(fr.src.a, "\xc0\x00\x02\x01", 4);
	memcpy(fr.dst.a, "\xc0\x00\x02\x02", 4);
	fr.ipproto = 17;
	fr.sport = fr.dport = 1701;
	return fr;
}

static inline int
build_sccrq(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;
	uint8_t pv[2] = {1, 0};
	uint8_t tie[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};

	l2tp_build_control(&b, buf, cap, 0, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, pv, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u32(&b, true, L2TP_AVP_BEARER_CAP, 2);
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_TIE_BREAKER, tie, 8);
	l2tp_build_u16(&b, false, L2TP_AVP_FIRMWARE_REV, 0x0680);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "lac.lab");
	l2tp_build_str(&b, false, L2TP_AVP_VENDOR_NAME, "l2tpsh");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 4711);
	l2tp_build_u16(&b, true, L2TP_AVP_RECEIVE_WINDOW, 4);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, chal16, 16);
	return l2tp_build_end(&b);
}

static inline int
build_stopccn(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, 4711, 0, 3, 2);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 17);
	l2tp_build_result(&b, 2, 6, "Goodbye!");
	return l2tp_build_end(&b);
}

static inline int
build_hidden(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;
	uint8_t rv[16] = {0xde, 0xad, 0xbe, 0xef, 1, 2,  3,  4,
	                  5,    6,    7,    8,    9, 10, 11, 12};
	uint8_t tid[2] = {0x12, 0x67};
	uint8_t pv[2] = {1, 0};

	l2tp_build_control(&b, buf, cap, 4711, 0, 0, 1);
	l2tp_build_msg_type(&b, L2TP_SCCRP);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, pv, 2);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "lns.lab");
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 1);
	l2tp_build_random_vector(&b, rv, sizeof(rv), "s3cret");
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_ASSIGNED_TUNNEL_ID, tid, 2,
	                  NULL, 0);
	return l2tp_build_end(&b);
}

static inline int
build_vendor_bad(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;
	uint8_t v[4] = {0xca, 0xfe, 0x00, 0x01};

	l2tp_build_control(&b, buf, cap, 4711, 7, 5, 6);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 7);
	l2tp_build_avp(&b, false, false, 9, 50, v, 4);
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF, 1, "port 1/0/3", 10);
	l2tp_build_avp_raw(&b, 0x8004, 0, L2TP_AVP_HOST_NAME, "ab", 2);
	return l2tp_build_end(&b);
}

static inline int
build_cdn(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;
	uint8_t q[5] = {0, 16, 0x5a, 'o', 'k'};
	uint8_t pd[8] = {0, 3, 0xc0, 0x21, 1, 'b', 'y', 'e'};

	l2tp_build_control(&b, buf, cap, 4711, 7, 9, 9);
	l2tp_build_msg_type(&b, L2TP_CDN);
	l2tp_build_result(&b, 3, -1, NULL);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 9);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_Q931_CAUSE, q, 5);
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_PPP_DISCONNECT, pd, 8);
	return l2tp_build_end(&b);
}

static inline int
build_iccn(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, 4711, 7, 10, 10);
	l2tp_build_msg_type(&b, L2TP_ICCN);
	l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 100000000);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	l2tp_build_u16(&b, false, L2TP_AVP_PROXY_AUTH_TYPE, 2);
	l2tp_build_str(&b, false, L2TP_AVP_PROXY_AUTH_NAME, "user@isp");
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	return l2tp_build_end(&b);
}

static inline int
build_wen_sli(uint8_t *buf, size_t cap, bool wen)
{
	struct l2tp_builder b;
	uint8_t ce[26] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
	                  3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6};
	uint8_t accm[10] = {0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};

	l2tp_build_control(&b, buf, cap, 4711, 7, 11, 11);
	l2tp_build_msg_type(&b, wen ? L2TP_WEN : L2TP_SLI);
	if (wen)
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CALL_ERRORS, ce,
		               26);
	else
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_ACCM, accm, 10);
	return l2tp_build_end(&b);
}

static inline int
build_zlb(uint8_t *buf, size_t cap)
{
	struct l2tp_builder b;

	l2tp_build_control(&b, buf, cap, 4711, 0, 4, 5);
	return l2tp_build_end(&b);
}

static inline int
build_v3_sccrq(uint8_t *buf, size_t cap, enum l2tp_transport tr)
{
	struct l2tp_builder b;
	uint8_t pw[2] = {0, 5};

	l2tp_build_v3_control(&b, buf, cap, tr, 0, 0, 0);
	l2tp_build_msg_type(&b, L2TP_SCCRQ);
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "pe1");
	l2tp_build_u32(&b, false, 60, 0x0a000001);
	l2tp_build_u32(&b, true, 61, 0x01020304);
	l2tp_build_avp(&b, true, false, 0, 62, pw, 2);
	return l2tp_build_end(&b);
}

static inline int
build_data(uint8_t *buf, size_t cap, const uint8_t *ppp, size_t n)
{
	struct l2tp_builder b;

	l2tp_build_data(&b, buf, cap, 0x0002, 4711, 7, 0, 0, 0, ppp, n);
	return l2tp_build_end(&b);
}

/* LCP Configure-Request: MRU 1492, auth CHAP MD5, magic, PFC, ACFC. */
static const uint8_t lcp_creq[] = {0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00,
                                   0x17, 0x01, 0x04, 0x05, 0xd4, 0x03, 0x05,
                                   0xc2, 0x23, 0x05, 0x05, 0x06, 0x12, 0x34,
                                   0x56, 0x78, 0x07, 0x02, 0x08, 0x02};
/* IPCP Configure-Nak (protocol field compressed? no: ACFC off, PFC off). */
static const uint8_t ipcp_nak[] = {
    0x80, 0x21, 0x03, 0x02, 0x00, 0x16, 0x03, 0x06, 0x0a, 0x00, 0x00, 0x02,
    0x81, 0x06, 0x0a, 0x00, 0x00, 0x35, 0x83, 0x06, 0x0a, 0x00, 0x00, 0x36};
/* IP (protocol compressed to 0x21) ICMP echo request 10.0.0.2 > 10.0.0.1. */
static const uint8_t ppp_ip[] = {0xff, 0x03, 0x21, 0x45, 0x00, 0x00, 0x54, 0x12,
                                 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00, 0x0a,
                                 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x08,
                                 0x00, 0xf7, 0xff, 0x00, 0x01, 0x00, 0x01};
/* LCP Echo-Request id 7 magic 0x12345678. */
static const uint8_t lcp_echo[] = {0xff, 0x03, 0xc0, 0x21, 0x09, 0x07,
                                   0x00, 0x08, 0x12, 0x34, 0x56, 0x78};

/* L2TPv3 data over IP: session 0x00012345, 4-byte cookie, default
 * sublayer, an Ethernet frame with one VLAN tag carrying an ARP request. */
static const uint8_t v3_arp[] = {
    0x00, 0x01, 0x23, 0x45, 0xc0, 0x0c, 0x1e, 0x55, 0x40, 0x00, 0x00, 0x07,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x81, 0x00, 0x00, 0x64, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04,
    0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02};

/* IPV6CP Configure-Request with an interface identifier. */
static const uint8_t ipv6cp_creq[] = {0xff, 0x03, 0x80, 0x57, 0x01, 0x05,
                                      0x00, 0x0e, 0x01, 0x0a, 0x02, 0x11,
                                      0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};

/* PAP Authenticate-Request: peer "alice", password "pw". */
static const uint8_t pap_req[] = {0xc0, 0x23, 0x01, 0x03, 0x00, 0x0d, 0x05, 'a',
                                  'l',  'i',  'c',  'e',  0x02, 'p',  'w'};

/* CHAP Challenge: 4-byte value, name "lns". */
static const uint8_t chap_chal[] = {0xff, 0x03, 0xc2, 0x23, 0x01, 0x09,
                                    0x00, 0x0c, 0x04, 0xaa, 0xbb, 0xcc,
                                    0xdd, 'l',  'n',  's'};

/* IPv6 UDP 2001:db8::1.546 > ff02::1:2.547 in PPP, protocol compressed and
 * no address/control. */
static const uint8_t ppp_ip6[] = {
    0x57, 0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x01, 0x20,
    0x01, 0x0d, 0xb8, 0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0x01, 0xff, 0x02, 0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0x01, 0x00,
    0x02, 0x02, 0x22, 0x02, 0x23, 0x00, 0x08, 0x00, 0x00};

static inline struct l2tp_frame
v6frame(void)
{
	struct l2tp_frame fr = v4frame();
	static const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	                              0,    0,    0,    0,    0, 0, 0, 0x01};
	static const uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x01, 0, 0,
	                              0,    0,    0,    0,    0, 0x02, 0, 0};

	fr.src.family = fr.dst.family = 6;
	memcpy(fr.src.a, a, 16);
	memcpy(fr.dst.a, b, 16);
	return fr;
}

#endif
