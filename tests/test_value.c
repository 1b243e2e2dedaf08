/* Tests of decoder/value.c: AVP values decoded and encoded, parse(build(v))
 * == v for every value kind, and the text an operator types. */
#include <criterion/criterion.h>
#include <string.h>

#include "decoder/proto.h"

/* Decode bytes as the value of IETF AVP type t. */
static int
decode(uint16_t t, const uint8_t *p, size_t n, struct l2tp_value *v)
{
	struct l2tp_avp a;

	memset(&a, 0, sizeof(a));
	a.vendor = 0;
	a.type = t;
	a.value.p = p;
	a.value.len = n;
	return l2tp_avp_value(&a, v);
}

static void
round_trip(uint16_t t, const struct l2tp_value *in, size_t want_len)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(0, t);
	uint8_t buf[256];
	struct l2tp_value out;
	long n;

	cr_assert_not_null(ai);
	n = l2tp_avp_value_encode(ai, in, buf, sizeof(buf));
	cr_assert_eq(n, (long)want_len, "type %u: %ld bytes", t, n);
	cr_assert_eq(decode(t, buf, (size_t)n, &out), 0, "type %u", t);
	cr_assert_eq(out.kind, in->kind);
	cr_assert_eq(out.u, in->u, "type %u", t);
	cr_assert_eq(out.rev, in->rev);
	cr_assert_eq(out.result, in->result);
	cr_assert_eq(out.has_error, in->has_error);
	cr_assert_eq(out.error, in->error);
	cr_assert_eq(out.has_message, in->has_message);
	cr_assert_eq(out.q931_msg, in->q931_msg);
	cr_assert(memcmp(out.errs, in->errs, sizeof(in->errs)) == 0);
	cr_assert_eq(out.send_accm, in->send_accm);
	cr_assert_eq(out.recv_accm, in->recv_accm);
	cr_assert_eq(out.ppp_proto, in->ppp_proto);
	cr_assert_eq(out.ppp_dir, in->ppp_dir);
	/* b is the value's own bytes only where the kind has some */
	if (in->kind != L2TP_V_BYTES && in->kind != L2TP_V_STRING &&
	    in->kind != L2TP_V_RESULT && in->kind != L2TP_V_Q931 &&
	    in->kind != L2TP_V_PPP_DISC)
		goto small;
	cr_assert_eq(out.b.len, in->b.len, "type %u", t);
	if (in->b.len)
		cr_assert(memcmp(out.b.p, in->b.p, in->b.len) == 0);
small:
	/* too small a buffer is refused, nothing written past it */
	if (want_len > 0) {
		memset(buf, 0xee, sizeof(buf));
		cr_assert_eq(l2tp_avp_value_encode(ai, in, buf, want_len - 1),
		             L2TP_ENC_BIG);
		cr_assert_eq(buf[want_len - 1], 0xee);
	}
}

#define BYTES(s) ((struct l2tp_bytes){(const uint8_t *)(s), sizeof(s) - 1})

Test(value, every_kind_round_trips)
{
	struct l2tp_value v;

	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_MSGTYPE, v.u = 4;
	round_trip(L2TP_AVP_MESSAGE_TYPE, &v, 2);
	v.kind = L2TP_V_U16, v.u = 65535;
	round_trip(L2TP_AVP_ASSIGNED_TUNNEL_ID, &v, 2);
	v.kind = L2TP_V_U32, v.u = 0xfffffffe;
	round_trip(L2TP_AVP_CALL_SERIAL, &v, 4);
	v.kind = L2TP_V_U64, v.u = 0x0123456789abcdefull;
	round_trip(L2TP_AVP_TIE_BREAKER, &v, 8);
	v.kind = L2TP_V_FRAMING, v.u = 3;
	round_trip(L2TP_AVP_FRAMING_CAP, &v, 4);
	v.kind = L2TP_V_BEARER, v.u = 2;
	round_trip(L2TP_AVP_BEARER_TYPE, &v, 4);
	v.kind = L2TP_V_PROXY_TYPE, v.u = 2;
	round_trip(L2TP_AVP_PROXY_AUTH_TYPE, &v, 2);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_PROTOVER, v.u = 1, v.rev = 0;
	round_trip(L2TP_AVP_PROTOCOL_VERSION, &v, 2);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_STRING, v.b = BYTES("lns.example");
	round_trip(L2TP_AVP_HOST_NAME, &v, 11);
	v.kind = L2TP_V_BYTES, v.b = BYTES("\x01\x02\x00\xff");
	round_trip(L2TP_AVP_CHALLENGE, &v, 4);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_EMPTY;
	round_trip(L2TP_AVP_SEQ_REQUIRED, &v, 0);

	/* Result Code: code alone, with error, with error and message */
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_RESULT, v.result = 1;
	round_trip(L2TP_AVP_RESULT_CODE, &v, 2);
	v.has_error = true, v.error = 6;
	round_trip(L2TP_AVP_RESULT_CODE, &v, 4);
	v.has_message = true, v.b = BYTES("bad secret");
	round_trip(L2TP_AVP_RESULT_CODE, &v, 14);

	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_Q931, v.u = 16, v.q931_msg = 0x5a, v.b = BYTES("adv");
	round_trip(L2TP_AVP_Q931_CAUSE, &v, 6);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_CALL_ERRORS;
	for (int i = 0; i < 6; i++)
		v.errs[i] = 0x01010101u * (uint32_t)(i + 1);
	round_trip(L2TP_AVP_CALL_ERRORS, &v, 26);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_ACCM, v.send_accm = 0xffffffff,
	v.recv_accm = 0x000a0000;
	round_trip(L2TP_AVP_ACCM, &v, 10);
	memset(&v, 0, sizeof(v));
	v.kind = L2TP_V_PPP_DISC, v.u = 3, v.ppp_proto = 0xc021, v.ppp_dir = 1;
	v.b = BYTES("peer quit");
	round_trip(L2TP_AVP_PPP_DISCONNECT, &v, 14);
}

/* The text forms, byte for byte, and each refusal. */
Test(value, text_as_an_operator_types_it)
{
	static const struct {
		uint16_t type;
		const char *text;
		long want; /* length, or the error */
		const char *bytes;
	} cases[] = {
	    {L2TP_AVP_ASSIGNED_TUNNEL_ID, "4711", 2, "\x12\x67"},
	    {L2TP_AVP_ASSIGNED_TUNNEL_ID, "0xffff", 2, "\xff\xff"},
	    {L2TP_AVP_ASSIGNED_TUNNEL_ID, "65536", L2TP_ENC_NUMBER, NULL},
	    {L2TP_AVP_ASSIGNED_TUNNEL_ID, "-1", L2TP_ENC_NUMBER, NULL},
	    {L2TP_AVP_ASSIGNED_TUNNEL_ID, "", L2TP_ENC_NUMBER, NULL},
	    {L2TP_AVP_CALL_SERIAL, "1", 4, "\0\0\0\x01"},
	    {L2TP_AVP_TIE_BREAKER, "0x0102030405060708", 8,
	     "\x01\x02\x03\x04\x05\x06\x07\x08"},
	    {L2TP_AVP_HOST_NAME, "lac", 3, "lac"},
	    {L2TP_AVP_PROTOCOL_VERSION, "1.0", 2, "\x01\x00"},
	    {L2TP_AVP_PROTOCOL_VERSION, "1", L2TP_ENC_VERSION, NULL},
	    {L2TP_AVP_PROTOCOL_VERSION, "256.0", L2TP_ENC_VERSION, NULL},
	    {L2TP_AVP_RESULT_CODE, "2", 2, "\0\x02"},
	    {L2TP_AVP_RESULT_CODE, "2,6", 4, "\0\x02\0\x06"},
	    {L2TP_AVP_RESULT_CODE, "2,6,no", 6, "\0\x02\0\x06no"},
	    {L2TP_AVP_RESULT_CODE, "2,", L2TP_ENC_RESULT, NULL},
	    {L2TP_AVP_RESULT_CODE, "x", L2TP_ENC_RESULT, NULL},
	    {L2TP_AVP_SEQ_REQUIRED, "", 0, ""},
	    {L2TP_AVP_SEQ_REQUIRED, "1", L2TP_ENC_EMPTY, NULL},
	    {L2TP_AVP_CHALLENGE, "0x00ff10", 3, "\x00\xff\x10"},
	    {L2TP_AVP_CHALLENGE, "0xabc", L2TP_ENC_HEX, NULL},
	    {L2TP_AVP_CHALLENGE, "0xzz", L2TP_ENC_HEX, NULL},
	    {L2TP_AVP_CHALLENGE, "text", 4, "text"},
	    {L2TP_AVP_ACCM, "0x0000ffffffffffffffff", 10,
	     "\0\0\xff\xff\xff\xff\xff\xff\xff\xff"},
	};
	uint8_t buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(0, cases[i].type);
		long n =
		    l2tp_avp_encode_text(ai, cases[i].text, buf, sizeof(buf));

		cr_expect_eq(n, cases[i].want, "%s=%s: %ld", ai->key,
		             cases[i].text, n);
		if (n > 0 && cases[i].bytes)
			cr_expect(memcmp(buf, cases[i].bytes, (size_t)n) == 0,
			          "%s=%s", ai->key, cases[i].text);
	}
	/* a value longer than the room */
	cr_assert_eq(l2tp_avp_encode_text(l2tp_avp_info(0, L2TP_AVP_HOST_NAME),
	                                  "longer", buf, 3),
	             L2TP_ENC_BIG);
	cr_assert_eq(
	    l2tp_avp_encode_text(l2tp_avp_info(0, L2TP_AVP_ASSIGNED_TUNNEL_ID),
	                         "1", buf, 1),
	    L2TP_ENC_BIG);
}
