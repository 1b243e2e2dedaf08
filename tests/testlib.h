/* Shared test helpers: a set of valid L2TP messages built with the project's
 * builder, and IPv4/UDP framing for pcap files (RFC 2661 §3-6, RFC 3931 §3-4).
 */
#ifndef L2TP_TESTLIB_H
#define L2TP_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"

#define TL_SECRET "lab-secret-1701"
#define TL_MAXPKT 1600

/* One valid packet of the set, with what it must decode to. */
struct tl_pkt {
	const char *name;
	uint8_t b[TL_MAXPKT];
	size_t len;
	enum l2tp_transport tr;
	uint8_t cookie_len;
	bool control;
	int msg_type; /* control: L2TP_MSG_ZLB or the type */
	uint8_t version;
	size_t navps;
};

static inline void
tl_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
tl_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
tl_avp_u32(struct l2tp_builder *b, bool m, uint16_t vendor, uint16_t type,
           uint32_t v)
{
	uint8_t x[4];

	tl_u32(x, v);
	l2tp_build_avp(b, m, false, vendor, type, x, 4);
}

static inline void
tl_avp_u64(struct l2tp_builder *b, bool m, uint16_t vendor, uint16_t type,
           uint64_t v)
{
	uint8_t x[8];

	tl_u32(x, (uint32_t)(v >> 32));
	tl_u32(x + 4, (uint32_t)v);
	l2tp_build_avp(b, m, false, vendor, type, x, 8);
}

static const uint8_t tl_chal[16] = {0xdc, 0x10, 0x21, 0x90, 0x2c, 0xea,
                                    0xe3, 0xb6, 0xa7, 0xb9, 0xcc, 0xa3,
                                    0x2b, 0x8c, 0x72, 0xc4};
static const uint8_t tl_rv[16] = {0x3a, 0x51, 0x0e, 0x9f, 0x44, 0x02,
                                  0xb7, 0x6c, 0x19, 0xd0, 0x85, 0x2e,
                                  0xf1, 0x60, 0x0b, 0x7d};
static const uint8_t tl_lcp[] = {0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05,
                                 0xdc, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78};

/* SCCRQ/SCCRP body: the AVPs both carry (RFC 2661 §6.1, §6.2). */
static inline void
tl_scc_avps(struct l2tp_builder *b, uint16_t mt, const char *host, uint16_t tid)
{
	uint8_t pv[2] = {1, 0};

	l2tp_build_msg_type(b, mt);
	l2tp_build_avp(b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, pv, 2);
	l2tp_build_u32(b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u32(b, true, L2TP_AVP_BEARER_CAP, 3);
	l2tp_build_u16(b, false, L2TP_AVP_FIRMWARE_REV, 0x0680);
	l2tp_build_str(b, true, L2TP_AVP_HOST_NAME, host);
	l2tp_build_str(b, false, L2TP_AVP_VENDOR_NAME, "l2tpsh lab");
	l2tp_build_u16(b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, tid);
	l2tp_build_u16(b, true, L2TP_AVP_RECEIVE_WINDOW, 8);
}

static inline int
tl_finish(struct tl_pkt *p, struct l2tp_builder *b, const char *name,
          enum l2tp_transport tr, bool control, int mt, uint8_t version,
          size_t navps, uint8_t cookie_len)
{
	int n = l2tp_build_end(b);

	if (n < 0)
		return -1;
	p->name = name;
	p->len = (size_t)n;
	p->tr = tr;
	p->control = control;
	p->msg_type = mt;
	p->version = version;
	p->navps = navps;
	p->cookie_len = cookie_len;
	return 0;
}

/*
 * Fill `out` (room for `max`) with the valid set: every L2TPv2 message type
 * with realistic AVPs (every RFC 2661 AVP appears at least once), hidden
 * AVPs under TL_SECRET, v2 data with every optional field, L2TPv3 control
 * and data over UDP and IP with cookies of 0, 4 and 8 bytes.  Returns the
 * count, or -1 when a build failed.
 */
static inline int
tl_valid_set(struct tl_pkt *out, size_t max)
{
	struct l2tp_builder b;
	struct tl_pkt *p;
	size_t n = 0;
	uint8_t v[32];
	static const uint8_t ppp_lcp_echo[] = {0xff, 0x03, 0xc0, 0x21,
	                                       0x09, 0x01, 0x00, 0x08,
	                                       0x12, 0x34, 0x56, 0x78};
	/* Ethernet broadcast, ARP who-has 10.0.0.2 tell 10.0.0.1 */
	static const uint8_t eth_arp[] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0,
	    1,    0x08, 0x06, 0,    1,    8,    0,    6, 4, 0, 1,
	    0x02, 0,    0,    0,    0,    1,    10,   0, 0, 1, 0,
	    0,    0,    0,    0,    0,    10,   0,    0, 2};
	static const uint8_t cookie8[8] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4};

#define NEXT()                                                                 \
	do {                                                                   \
		if (n == max)                                                  \
			return -1;                                             \
		p = &out[n];                                                   \
	} while (0)
#define DONE(name, tr, ctl, mt, ver, na, cl)                                   \
	do {                                                                   \
		if (tl_finish(p, &b, name, tr, ctl, mt, ver, na, cl) < 0)      \
			return -1;                                             \
		n++;                                                           \
	} while (0)

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 0, 0, 0, 0);
	tl_scc_avps(&b, L2TP_SCCRQ, "lac.lab", 17);
	tl_avp_u64(&b, false, 0, L2TP_AVP_TIE_BREAKER, 0x0123456789abcdefull);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, tl_chal, 16);
	DONE("SCCRQ", L2TP_UDP, true, L2TP_SCCRQ, 2, 11, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 17, 0, 0, 1);
	tl_scc_avps(&b, L2TP_SCCRP, "lns.lab", 4242);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE, tl_chal,
	               16);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE, tl_rv, 16);
	DONE("SCCRP", L2TP_UDP, true, L2TP_SCCRP, 2, 11, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 1, 1);
	l2tp_build_msg_type(&b, L2TP_SCCCN);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CHALLENGE_RESPONSE, tl_rv,
	               16);
	DONE("SCCCN", L2TP_UDP, true, L2TP_SCCCN, 2, 2, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 2, 1);
	l2tp_build_msg_type(&b, L2TP_STOPCCN);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 17);
	l2tp_build_result(&b, 1, 0, "Goodbye!");
	DONE("StopCCN", L2TP_UDP, true, L2TP_STOPCCN, 2, 3, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 3, 1);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	DONE("HELLO", L2TP_UDP, true, L2TP_HELLO, 2, 1, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 4, 2);
	l2tp_build_msg_type(&b, L2TP_OCRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 301);
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 7);
	l2tp_build_u32(&b, true, L2TP_AVP_MIN_BPS, 64000);
	l2tp_build_u32(&b, true, L2TP_AVP_MAX_BPS, 100000000);
	l2tp_build_u32(&b, true, L2TP_AVP_BEARER_TYPE, 2);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	l2tp_build_str(&b, true, L2TP_AVP_CALLED_NUMBER, "5551701");
	l2tp_build_str(&b, true, L2TP_AVP_SUB_ADDRESS, "12");
	DONE("OCRQ", L2TP_UDP, true, L2TP_OCRQ, 2, 9, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 17, 301, 1, 5);
	l2tp_build_msg_type(&b, L2TP_OCRP);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 77);
	l2tp_build_u32(&b, false, L2TP_AVP_PHYS_CHANNEL, 0x00010002);
	DONE("OCRP", L2TP_UDP, true, L2TP_OCRP, 2, 3, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 17, 301, 2, 5);
	l2tp_build_msg_type(&b, L2TP_OCCN);
	l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 10000000);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	l2tp_build_u32(&b, false, L2TP_AVP_RX_SPEED, 2000000);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	DONE("OCCN", L2TP_UDP, true, L2TP_OCCN, 2, 5, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 5, 3);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 302);
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 8);
	l2tp_build_u32(&b, true, L2TP_AVP_BEARER_TYPE, 1);
	l2tp_build_u32(&b, false, L2TP_AVP_PHYS_CHANNEL, 9);
	l2tp_build_str(&b, true, L2TP_AVP_CALLED_NUMBER, "1701");
	l2tp_build_str(&b, true, L2TP_AVP_CALLING_NUMBER, "5550100");
	l2tp_build_str(&b, true, L2TP_AVP_SUB_ADDRESS, "");
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF,
	               L2TP_BBF_AGENT_CIRCUIT_ID, "dslam1 atm 1/1:8.35", 19);
	l2tp_build_avp(&b, false, false, L2TP_VENDOR_BBF,
	               L2TP_BBF_AGENT_REMOTE_ID, "sub-000123", 10);
	tl_avp_u64(&b, false, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_UP,
	           1024000);
	tl_avp_u32(&b, false, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_DOWN,
	           8192000);
	DONE("ICRQ", L2TP_UDP, true, L2TP_ICRQ, 2, 12, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 17, 302, 3, 6);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 78);
	DONE("ICRP", L2TP_UDP, true, L2TP_ICRP, 2, 2, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 78, 6, 4);
	l2tp_build_msg_type(&b, L2TP_ICCN);
	l2tp_build_u32(&b, true, L2TP_AVP_TX_SPEED, 100000000);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_TYPE, 1);
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_INIT_RX_LCP, tl_lcp,
	               sizeof(tl_lcp));
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_LAST_TX_LCP, tl_lcp,
	               sizeof(tl_lcp));
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_LAST_RX_LCP, tl_lcp,
	               sizeof(tl_lcp));
	l2tp_build_u16(&b, false, L2TP_AVP_PROXY_AUTH_TYPE, 2);
	l2tp_build_str(&b, false, L2TP_AVP_PROXY_AUTH_NAME, "user@lab");
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_PROXY_AUTH_CHAL, tl_chal,
	               16);
	l2tp_build_u16(&b, false, L2TP_AVP_PROXY_AUTH_ID, 1);
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_PROXY_AUTH_RESP, tl_rv,
	               16);
	l2tp_build_str(&b, false, L2TP_AVP_PRIVATE_GROUP, "grp1");
	l2tp_build_u32(&b, false, L2TP_AVP_RX_SPEED, 50000000);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	DONE("ICCN", L2TP_UDP, true, L2TP_ICCN, 2, 14, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 78, 7, 4);
	l2tp_build_msg_type(&b, L2TP_CDN);
	l2tp_build_result(&b, 2, 6, "peer hung up");
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 302);
	tl_u16(v, 16);
	v[2] = 0x5a;
	memcpy(v + 3, "normal", 6);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_Q931_CAUSE, v, 9);
	tl_u16(v, 3);
	tl_u16(v + 2, 0xc021);
	v[4] = 1;
	memcpy(v + 5, "LCP term", 8);
	l2tp_build_avp(&b, false, false, 0, L2TP_AVP_PPP_DISCONNECT, v, 13);
	DONE("CDN", L2TP_UDP, true, L2TP_CDN, 2, 5, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 17, 301, 4, 8);
	l2tp_build_msg_type(&b, L2TP_WEN);
	memset(v, 0, 26);
	for (int i = 0; i < 6; i++)
		tl_u32(v + 2 + 4 * i, (uint32_t)(i + 1) * 11);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_CALL_ERRORS, v, 26);
	DONE("WEN", L2TP_UDP, true, L2TP_WEN, 2, 2, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 78, 8, 5);
	l2tp_build_msg_type(&b, L2TP_SLI);
	memset(v, 0, 10);
	tl_u32(v + 2, 0xffffffffu);
	tl_u32(v + 6, 0x000a0000u);
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_ACCM, v, 10);
	DONE("SLI", L2TP_UDP, true, L2TP_SLI, 2, 2, 0);

	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 9, 6);
	DONE("ZLB", L2TP_UDP, true, L2TP_MSG_ZLB, 2, 0, 0);

	/* Hidden AVPs (§4.3) with padding, and a second Random Vector. */
	NEXT();
	l2tp_build_control(&b, p->b, sizeof(p->b), 4242, 0, 10, 6);
	l2tp_build_msg_type(&b, L2TP_ICRQ);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	tl_u16(v, 303);
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, v, 2, NULL,
	                  0);
	tl_u32(v, 9);
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_CALL_SERIAL, v, 4,
	                  (const uint8_t *)"padpadpad", 9);
	l2tp_build_random_vector(&b, tl_chal, 11, TL_SECRET);
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_CALLING_NUMBER,
	                  "5550199-a-long-number", 21, NULL, 0);
	l2tp_build_hidden(&b, false, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_CIRCUIT_ID,
	                  "olt2 eth 0/1/2", 14, NULL, 3);
	DONE("ICRQ hidden", L2TP_UDP, true, L2TP_ICRQ, 2, 7, 0);

	/* L2TPv2 data with each optional field (§3.1). */
	NEXT();
	l2tp_build_data(&b, p->b, sizeof(p->b), 2, 4242, 78, 0, 0, 0,
	                ppp_lcp_echo, sizeof(ppp_lcp_echo));
	DONE("data", L2TP_UDP, false, 0, 2, 0, 0);
	NEXT();
	l2tp_build_data(&b, p->b, sizeof(p->b), L2TP_F_L | 2, 4242, 78, 0, 0, 0,
	                ppp_lcp_echo, sizeof(ppp_lcp_echo));
	DONE("data L", L2TP_UDP, false, 0, 2, 0, 0);
	NEXT();
	l2tp_build_data(&b, p->b, sizeof(p->b), L2TP_F_S | 2, 4242, 78, 5, 9, 0,
	                ppp_lcp_echo, sizeof(ppp_lcp_echo));
	DONE("data S", L2TP_UDP, false, 0, 2, 0, 0);
	NEXT();
	l2tp_build_data(&b, p->b, sizeof(p->b), L2TP_F_O | L2TP_F_P | 2, 18994,
	                54110, 0, 0, 0, ppp_lcp_echo, sizeof(ppp_lcp_echo));
	DONE("data O=0 P", L2TP_UDP, false, 0, 2, 0, 0);
	NEXT();
	l2tp_build_data(&b, p->b, sizeof(p->b),
	                L2TP_F_L | L2TP_F_S | L2TP_F_O | 2, 4242, 78, 65535, 0,
	                4, ppp_lcp_echo, sizeof(ppp_lcp_echo));
	DONE("data L S O=4", L2TP_UDP, false, 0, 2, 0, 0);

	/* L2TPv3 control (RFC 3931 §3.2.1) over UDP and IP. */
	for (int tr = 0; tr < 2; tr++) {
		NEXT();
		l2tp_build_v3_control(&b, p->b, sizeof(p->b),
		                      (enum l2tp_transport)tr, 0, 0, 0);
		l2tp_build_msg_type(&b, L2TP_SCCRQ);
		l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "pe1.lab");
		tl_avp_u32(&b, true, 0, L2TP_AVP_ROUTER_ID, 0x7f000001);
		tl_avp_u32(&b, true, 0, L2TP_AVP_ASSIGNED_CCID, 0xc0ffee01);
		tl_u16(v, 5);
		tl_u16(v + 2, 4);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PW_CAPABILITIES, v,
		               4);
		DONE(tr ? "v3 SCCRQ over IP" : "v3 SCCRQ over UDP",
		     (enum l2tp_transport)tr, true, L2TP_SCCRQ, 3, 5, 0);
		NEXT();
		l2tp_build_v3_control(&b, p->b, sizeof(p->b),
		                      (enum l2tp_transport)tr, 0xc0ffee01, 3,
		                      2);
		l2tp_build_msg_type(&b, L2TP_ICRQ);
		tl_avp_u32(&b, true, 0, L2TP_AVP_LOCAL_SESSION_ID, 0x1001);
		tl_avp_u32(&b, true, 0, L2TP_AVP_REMOTE_SESSION_ID, 0);
		l2tp_build_avp(&b, true, false, 0, L2TP_AVP_ASSIGNED_COOKIE,
		               cookie8, 8);
		l2tp_build_u16(&b, true, L2TP_AVP_PW_TYPE, 5);
		l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 1);
		l2tp_build_u16(&b, true, L2TP_AVP_L2_SUBLAYER, 1);
		tl_avp_u64(&b, false, 0, L2TP_AVP_TX_SPEED_V3, 10000000000ull);
		DONE(tr ? "v3 ICRQ over IP" : "v3 ICRQ over UDP",
		     (enum l2tp_transport)tr, true, L2TP_ICRQ, 3, 8, 0);
		NEXT();
		l2tp_build_v3_control(&b, p->b, sizeof(p->b),
		                      (enum l2tp_transport)tr, 0xc0ffee01, 4,
		                      3);
		DONE(tr ? "v3 ZLB over IP" : "v3 ZLB over UDP",
		     (enum l2tp_transport)tr, true, L2TP_MSG_ZLB, 3, 0, 0);
	}
	/* L2TPv3 data (RFC 3931 §4.1) with cookies of 0, 4 and 8 bytes. */
	for (int tr = 0; tr < 2; tr++)
		for (size_t cl = 0; cl <= 8; cl += 4) {
			static const char *const nm[2][3] = {
			    {"v3 data UDP cookie 0", "v3 data UDP cookie 4",
			     "v3 data UDP cookie 8"},
			    {"v3 data IP cookie 0", "v3 data IP cookie 4",
			     "v3 data IP cookie 8"}};

			NEXT();
			l2tp_build_v3_data(&b, p->b, sizeof(p->b),
			                   (enum l2tp_transport)tr, 0x1001,
			                   cookie8, cl, true, cl == 4, 77,
			                   eth_arp, sizeof(eth_arp));
			DONE(nm[tr][cl / 4], (enum l2tp_transport)tr, false, 0,
			     3, 0, (uint8_t)cl);
		}
#undef NEXT
#undef DONE
	return (int)n;
}

/* ---- IPv4/UDP framing for pcap files (raw IPv4 or Ethernet) ---- */

static inline uint16_t
tl_csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Write an IPv4 header (protocol 17 with a UDP header, or 115) and the
 * payload into out; `eth` puts an Ethernet header first.  Addresses are
 * 127.0.0.x.  Returns the frame length, or 0 when it does not fit.
 */
static inline size_t
tl_frame(uint8_t *out, size_t cap, bool eth, uint8_t src, uint8_t dst,
         enum l2tp_transport tr, uint16_t sport, uint16_t dport,
         const uint8_t *l2tp, size_t len, uint16_t ipid)
{
	size_t o = 0, iplen = 20 + (tr == L2TP_UDP ? 8 : 0) + len;
	uint8_t *ip;

	if (cap < 14 + iplen || iplen > 65535)
		return 0;
	if (eth) {
		static const uint8_t e[14] = {0x02, 0, 0, 0, 0, 2,    0x02,
		                              0,    0, 0, 0, 1, 0x08, 0x00};

		memcpy(out, e, 14);
		out[5] = dst;
		out[11] = src;
		o = 14;
	}
	ip = out + o;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	tl_u16(ip + 2, (uint16_t)iplen);
	tl_u16(ip + 4, ipid);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = tr == L2TP_UDP ? 17 : 115;
	ip[12] = 127;
	ip[15] = src;
	ip[16] = 127;
	ip[19] = dst;
	tl_u16(ip + 10, tl_csum(ip, 20, 0));
	o += 20;
	if (tr == L2TP_UDP) {
		uint8_t *u = out + o;
		uint32_t ph;

		tl_u16(u, sport);
		tl_u16(u + 2, dport);
		tl_u16(u + 4, (uint16_t)(8 + len));
		tl_u16(u + 6, 0);
		memcpy(u + 8, l2tp, len);
		/* pseudo header: addresses, protocol, UDP length */
		ph = (uint32_t)(127 << 8) + src + (uint32_t)(127 << 8) + dst +
		     17 + (uint32_t)(8 + len);
		{
			uint16_t c = tl_csum(u, 8 + len, ph);

			tl_u16(u + 6, c ? c : 0xffff);
		}
		o += 8 + len;
	} else {
		memcpy(out + o, l2tp, len);
		o += len;
	}
	return o;
}

#endif
