/* Tests of the protocol tables and AVP value decoding (RFC 2661 §4.4, §6; RFC
 * 3931 §5.4; RFC 5515), and 16-bit serial comparison (§5.8). */
#include <criterion/criterion.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"

#define A(t) ((uint64_t)1 << (t))

/* Every RFC 2661 AVP (0..39 but the reserved 20) is in the table, with
 * the rules of PROTOCOL.md's table. */
Test(proto, rfc2661_avps_complete)
{
	static const struct {
		uint16_t type;
		enum l2tp_mrule m;
		bool hide;
		uint16_t min, max;
	} want[] = {{0, L2TP_M_SET, false, 2, 2},
	            {1, L2TP_M_SET, false, 2, 1017},
	            {2, L2TP_M_SET, false, 2, 2},
	            {3, L2TP_M_SET, true, 4, 4},
	            {4, L2TP_M_SET, true, 4, 4},
	            {5, L2TP_M_CLEAR, false, 8, 8},
	            {6, L2TP_M_CLEAR, true, 2, 2},
	            {7, L2TP_M_SET, false, 1, 1017},
	            {8, L2TP_M_CLEAR, true, 0, 1017},
	            {9, L2TP_M_SET, true, 2, 2},
	            {10, L2TP_M_SET, false, 2, 2},
	            {11, L2TP_M_SET, true, 1, 1017},
	            {12, L2TP_M_SET, false, 3, 1017},
	            {13, L2TP_M_SET, true, 16, 16},
	            {14, L2TP_M_SET, true, 2, 2},
	            {15, L2TP_M_SET, true, 4, 4},
	            {16, L2TP_M_SET, true, 4, 4},
	            {17, L2TP_M_SET, true, 4, 4},
	            {18, L2TP_M_SET, true, 4, 4},
	            {19, L2TP_M_SET, true, 4, 4},
	            {21, L2TP_M_SET, true, 0, 1017},
	            {22, L2TP_M_SET, true, 0, 1017},
	            {23, L2TP_M_SET, true, 0, 1017},
	            {24, L2TP_M_SET, true, 4, 4},
	            {25, L2TP_M_CLEAR, true, 4, 4},
	            {26, L2TP_M_CLEAR, true, 0, 1017},
	            {27, L2TP_M_CLEAR, true, 0, 1017},
	            {28, L2TP_M_CLEAR, true, 0, 1017},
	            {29, L2TP_M_CLEAR, true, 2, 2},
	            {30, L2TP_M_CLEAR, true, 0, 1017},
	            {31, L2TP_M_CLEAR, true, 0, 1017},
	            {32, L2TP_M_CLEAR, true, 2, 2},
	            {33, L2TP_M_CLEAR, true, 0, 1017},
	            {34, L2TP_M_SET, true, 26, 26},
	            {35, L2TP_M_SET, true, 10, 10},
	            {36, L2TP_M_SET, false, 1, 1017},
	            {37, L2TP_M_CLEAR, true, 0, 1017},
	            {38, L2TP_M_CLEAR, true, 4, 4},
	            {39, L2TP_M_SET, false, 0, 0}};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct l2tp_avp_info *ai = l2tp_avp_info(0, want[i].type);

		cr_assert_not_null(ai, "AVP %u", want[i].type);
		cr_assert_eq(ai->type, want[i].type);
		cr_assert_eq(ai->mrule, want[i].m, "%s", ai->name);
		cr_assert_eq(ai->hideable, want[i].hide, "%s", ai->name);
		cr_assert_eq(ai->min_len, want[i].min, "%s", ai->name);
		cr_assert_eq(ai->max_len, want[i].max, "%s", ai->name);
		cr_assert_neq(ai->kind == L2TP_V_BYTES && ai->type != 11 &&
		                  ai->type != 13 && ai->type != 36 &&
		                  !(ai->type >= 26 && ai->type <= 28) &&
		                  ai->type != 31 && ai->type != 33 &&
		                  ai->type != 37,
		              true, "%s should have a typed value", ai->name);
	}
	cr_assert_null(l2tp_avp_info(0, 20));
	cr_assert_null(l2tp_avp_info(0, 1000));
	cr_assert_null(l2tp_avp_info(0, 0xffff));
}

Test(proto, registry_and_vendor_avps)
{
	static const struct {
		uint16_t vendor, type;
		const char *name;
	} want[] = {{0, 46, "PPP Disconnect Cause Code"},
	            {0, 59, "Message Digest"},
	            {0, 60, "Router ID"},
	            {0, 61, "Assigned Control Connection ID"},
	            {0, 63, "Local Session ID"},
	            {0, 64, "Remote Session ID"},
	            {0, 65, "Assigned Cookie"},
	            {0, 68, "Pseudowire Type"},
	            {0, 73, "Control Message Authentication Nonce"},
	            {3561, 1, "Agent-Circuit-Id"},
	            {3561, 2, "Agent-Remote-Id"},
	            {3561, 129, "Actual-Data-Rate-Upstream"},
	            {3561, 130, "Actual-Data-Rate-Downstream"},
	            {9, 1, "Assigned Connection ID"},
	            {9, 7, "Pseudowire Type"}};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct l2tp_avp_info *ai =
		    l2tp_avp_info(want[i].vendor, want[i].type);

		cr_assert_not_null(ai, "%u:%u", want[i].vendor, want[i].type);
		cr_assert_str_eq(ai->name, want[i].name);
	}
	cr_assert_null(l2tp_avp_info(3561, 3));
	cr_assert_null(l2tp_avp_info(311, 1));
}

/* Names and keys are unique, keys look like identifiers, lookups agree. */
Test(proto, table_consistency)
{
	size_t n, nm;
	const struct l2tp_avp_info *t = l2tp_avp_table(&n);
	const struct l2tp_msg_info *mt = l2tp_msg_table(&nm);

	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(t[i].name);
		cr_assert_gt(strlen(t[i].name), 0);
		cr_assert_leq(t[i].min_len, t[i].max_len, "%s", t[i].name);
		cr_assert_leq(t[i].max_len, 1017, "%s", t[i].name);
		for (const char *k = t[i].key; *k; k++)
			cr_assert((*k >= 'a' && *k <= 'z') ||
			              (*k >= '0' && *k <= '9') || *k == '_',
			          "key %s", t[i].key);
		cr_assert_eq(l2tp_avp_info(t[i].vendor, t[i].type), &t[i],
		             "%s is found", t[i].name);
		cr_assert_eq(l2tp_avp_by_key(t[i].key), &t[i]);
		for (size_t j = i + 1; j < n; j++) {
			cr_assert_str_neq(t[i].key, t[j].key);
			cr_assert(t[i].vendor != t[j].vendor ||
			          t[i].type != t[j].type);
		}
	}
	cr_assert_null(l2tp_avp_by_key("no_such_avp"));
	cr_assert_eq(l2tp_avp_by_key("HOST_NAME"), l2tp_avp_info(0, 7));
	for (size_t i = 0; i < nm; i++) {
		cr_assert_eq(l2tp_msg_info(mt[i].type), &mt[i]);
		cr_assert_eq(l2tp_msg_by_name(mt[i].name), &mt[i]);
		/* every mandatory AVP is one the message may carry */
		for (uint16_t a = 0; a < 64; a++)
			if (mt[i].required & A(a))
				cr_assert(l2tp_avp_allowed_in(
				              l2tp_avp_info(0, a), mt[i].type),
				          "%s: AVP %u", mt[i].name, a);
	}
	cr_assert_eq(l2tp_msg_by_name("sccrq")->type, L2TP_SCCRQ);
	cr_assert_null(l2tp_msg_by_name("SCCRX"));
	cr_assert_null(l2tp_msg_info(5));
	cr_assert_null(l2tp_msg_info(-1));
}

/* The mandatory AVPs of RFC 2661 §6 (PROTOCOL.md "Must carry"). */
Test(proto, mandatory_per_message)
{
	static const struct {
		int type;
		uint64_t req;
	} want[] = {
	    {L2TP_SCCRQ, A(2) | A(7) | A(3) | A(9)},
	    {L2TP_SCCRP, A(2) | A(7) | A(3) | A(9)},
	    {L2TP_SCCCN, 0},
	    {L2TP_STOPCCN, A(9) | A(1)},
	    {L2TP_HELLO, 0},
	    {L2TP_ICRQ, A(14) | A(15)},
	    {L2TP_ICRP, A(14)},
	    {L2TP_ICCN, A(24) | A(19)},
	    {L2TP_OCRQ, A(14) | A(15) | A(16) | A(17) | A(18) | A(19) | A(21)},
	    {L2TP_OCRP, A(14)},
	    {L2TP_OCCN, A(24) | A(19)},
	    {L2TP_CDN, A(1) | A(14)},
	    {L2TP_WEN, A(34)},
	    {L2TP_SLI, A(35)}};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(l2tp_msg_required(want[i].type), want[i].req,
		             "type %d", want[i].type);
	cr_assert_eq(l2tp_msg_required(99), 0);
}

Test(proto, names_never_empty)
{
	char b[32];

	cr_assert_str_eq(l2tp_msg_name(L2TP_MSG_ZLB, b, sizeof(b)), "ZLB");
	cr_assert_str_eq(l2tp_msg_name(L2TP_MSG_NONE, b, sizeof(b)),
	                 "no-Message-Type");
	cr_assert_str_eq(l2tp_msg_name(1, b, sizeof(b)), "SCCRQ");
	cr_assert_str_eq(l2tp_msg_name(16, b, sizeof(b)), "SLI");
	cr_assert_str_eq(l2tp_msg_name(99, b, sizeof(b)), "MSG-#99");
	cr_assert_str_eq(l2tp_avp_name(0, 7, b, sizeof(b)), "Host Name");
	cr_assert_str_eq(l2tp_avp_name(0, 200, b, sizeof(b)), "AVP-#200");
	cr_assert_str_eq(l2tp_avp_name(9, 99, b, sizeof(b)), "vendor 9:99");
	cr_assert_str_eq(l2tp_vendor_name(3561), "Broadband Forum");
	cr_assert_str_eq(l2tp_vendor_name(9), "Cisco");
	cr_assert_null(l2tp_vendor_name(12345));
}

Test(proto, code_texts)
{
	cr_assert_str_eq(l2tp_stopccn_result_text(1),
	                 "general request to clear control connection");
	cr_assert_str_eq(
	    l2tp_stopccn_result_text(4),
	    "requester is not authorized to establish a control channel");
	cr_assert_str_eq(l2tp_stopccn_result_text(7),
	                 "finite state machine error");
	cr_assert_null(l2tp_stopccn_result_text(9));
	cr_assert_str_eq(l2tp_cdn_result_text(1),
	                 "call disconnected due to loss of carrier");
	cr_assert_str_eq(
	    l2tp_cdn_result_text(11),
	    "call was connected but no appropriate framing was detected");
	cr_assert_null(l2tp_cdn_result_text(12));
	cr_assert_str_eq(l2tp_error_text(0), "no general error");
	cr_assert_str_eq(
	    l2tp_error_text(8),
	    "session or tunnel was shutdown due to receipt of an unknown AVP "
	    "with the M-bit set");
	cr_assert_null(l2tp_error_text(9));
	cr_assert_str_eq(l2tp_proxy_auth_text(2), "PPP CHAP");
	cr_assert_str_eq(l2tp_proxy_auth_text(5),
	                 "Microsoft CHAP version 1 (MSCHAPv1)");
	cr_assert_null(l2tp_proxy_auth_text(6));
	cr_assert_str_eq(l2tp_q931_cause_text(16), "normal call clearing");
	cr_assert_null(l2tp_q931_cause_text(200));
}

/* ---- l2tp_avp_value on hand-made AVPs, table-driven ---- */

static struct l2tp_avp
mk(uint16_t vendor, uint16_t type, const char *v, size_t len)
{
	struct l2tp_avp a;

	memset(&a, 0, sizeof(a));
	a.vendor = vendor;
	a.type = type;
	a.m = true;
	a.len = (uint16_t)(6 + len);
	a.value.p = (const uint8_t *)v;
	a.value.len = len;
	a.secret_idx = -1;
	return a;
}

struct vcase {
	uint16_t vendor, type;
	const char *v;
	size_t len;
	int rc;
	enum l2tp_vkind kind;
	uint64_t u;
};

static const struct vcase vcases[] = {
    {0, 0, "\0\1", 2, 0, L2TP_V_MSGTYPE, 1},
    {0, 0, "\0", 1, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 2, "\1\0", 2, 0, L2TP_V_PROTOVER, 1},
    {0, 3, "\0\0\0\3", 4, 0, L2TP_V_FRAMING, 3},
    {0, 3, "\0\0\3", 3, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 4, "\0\0\0\2", 4, 0, L2TP_V_BEARER, 2},
    {0, 5, "\1\2\3\4\5\6\7\x08", 8, 0, L2TP_V_U64, 0x0102030405060708ull},
    {0, 5, "\1\2\3\4", 4, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 6, "\x06\x80", 2, 0, L2TP_V_U16, 0x680},
    {0, 7, "lac", 3, 0, L2TP_V_STRING, 0},
    {0, 7, "", 0, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 9, "\x58\xd5", 2, 0, L2TP_V_U16, 22741},
    {0, 10, "\0\4", 2, 0, L2TP_V_U16, 4},
    {0, 13, "0123456789abcdef", 16, 0, L2TP_V_BYTES, 0},
    {0, 13, "0123456789abcde", 15, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 15, "\0\0\1\0", 4, 0, L2TP_V_U32, 256},
    {0, 18, "\0\0\0\1", 4, 0, L2TP_V_BEARER, 1},
    {0, 19, "\0\0\0\2", 4, 0, L2TP_V_FRAMING, 2},
    {0, 24, "\x05\xf5\xe1\x00", 4, 0, L2TP_V_U32, 100000000},
    {0, 29, "\0\2", 2, 0, L2TP_V_PROXY_TYPE, 2},
    {0, 32, "\0\x2a", 2, 0, L2TP_V_U16, 42},
    {0, 39, "", 0, 0, L2TP_V_EMPTY, 0},
    {0, 39, "x", 1, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {0, 61, "\0\0\1\2", 4, 0, L2TP_V_U32, 258},
    {0, 74, "\0\0\0\2\x54\x0b\xe4\0", 8, 0, L2TP_V_U64, 10000000000ull},
    {3561, 129, "\0\0\x10\0", 4, 0, L2TP_V_U64, 4096},
    {3561, 130, "\0\0\0\0\0\0\x20\0", 8, 0, L2TP_V_U64, 8192},
    {3561, 130, "\0\0\x20", 3, -L2TP_FAULT_MALFORMED, L2TP_V_BYTES, 0},
    {3561, 1, "circuit", 7, 0, L2TP_V_STRING, 0},
    {4874, 1, "\1\2", 2, 0, L2TP_V_BYTES, 0},
    {0, 250, "\1\2", 2, 0, L2TP_V_BYTES, 0},
};

Test(proto, avp_values)
{
	for (size_t i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		const struct vcase *c = &vcases[i];
		struct l2tp_avp a = mk(c->vendor, c->type, c->v, c->len);
		struct l2tp_value v;
		int rc = l2tp_avp_value(&a, &v);

		cr_assert_eq(rc, c->rc, "case %zu (%u:%u): rc %d", i, c->vendor,
		             c->type, rc);
		cr_assert_eq(v.kind, c->kind, "case %zu: kind %d", i, v.kind);
		cr_assert_eq(v.u, c->u, "case %zu", i);
		if (v.kind == L2TP_V_BYTES || v.kind == L2TP_V_STRING) {
			cr_assert_eq(v.b.len, c->len);
			cr_assert_eq(v.b.p, (const uint8_t *)c->v);
		}
	}
}

Test(proto, structured_values)
{
	struct l2tp_avp a;
	struct l2tp_value v;

	/* Result Code: 2, 4 and 4+n bytes; 3 is malformed (§4.4.2) */
	a = mk(0, 1, "\0\1", 2);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.result == 1 && !v.has_error && !v.has_message);
	a = mk(0, 1, "\0\2\0\6", 4);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.result == 2 && v.has_error && v.error == 6 &&
	          !v.has_message);
	a = mk(0, 1, "\0\2\0\6oops", 8);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.has_message && v.b.len == 4 && v.b.p[0] == 'o');
	a = mk(0, 1, "\0\2\0", 3);
	cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_MALFORMED);
	cr_assert_eq(v.kind, L2TP_V_BYTES);
	a = mk(0, 1, "\0", 1);
	cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_MALFORMED);

	/* Protocol Version 1.0 */
	a = mk(0, 2, "\1\0", 2);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.u == 1 && v.rev == 0);

	/* Q.931: cause 16, message 0x5a, advisory "busy" (§4.4.5) */
	a = mk(0, 12,
	       "\0\x10\x5a"
	       "busy",
	       7);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.u == 16 && v.q931_msg == 0x5a && v.b.len == 4);
	a = mk(0, 12, "\0\x10", 2);
	cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_MALFORMED);

	/* Call Errors: reserved, then six counters (§4.4.6) */
	{
		static const char ce[26] = {0, 0, 0, 0, 0, 1, 0, 0, 0,
		                            2, 0, 0, 0, 3, 0, 0, 0, 4,
		                            0, 0, 0, 5, 0, 0, 1, 0};

		a = mk(0, 34, ce, 26);
		cr_assert_eq(l2tp_avp_value(&a, &v), 0);
		for (int i = 0; i < 5; i++)
			cr_assert_eq(v.errs[i], (uint32_t)i + 1);
		cr_assert_eq(v.errs[5], 256);
		a = mk(0, 34, ce, 25);
		cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_MALFORMED);
	}
	/* ACCM: reserved, send, receive (§4.4.6) */
	a = mk(0, 35, "\0\0\xff\xff\xff\xff\0\x0a\0\0", 10);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.send_accm == 0xffffffffu && v.recv_accm == 0x000a0000u);
	/* PPP Disconnect Cause Code (RFC 3145 §3.1) */
	a = mk(0, 46, "\0\3\xc0\x21\2LCP", 8);
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert(v.u == 3 && v.ppp_proto == 0xc021 && v.ppp_dir == 2 &&
	          v.b.len == 3);
	a = mk(0, 46, "\0\3\xc0\x21", 4);
	cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_MALFORMED);

	/* hidden and not opened: bytes, unsupported */
	a = mk(0, 9, "\1\2\3\4", 4);
	a.h = true;
	cr_assert_eq(l2tp_avp_value(&a, &v), -L2TP_FAULT_UNSUPPORTED);
	cr_assert_eq(v.kind, L2TP_V_BYTES);
	/* hidden and opened: the plaintext is decoded */
	a.decrypted = true;
	a.plain.p = (const uint8_t *)"\x58\xd5";
	a.plain.len = 2;
	cr_assert_eq(l2tp_avp_value(&a, &v), 0);
	cr_assert_eq(v.u, 22741);
}

Test(proto, allowed_in)
{
	cr_assert(l2tp_avp_allowed_in(l2tp_avp_info(0, 7), L2TP_SCCRQ));
	cr_assert(!l2tp_avp_allowed_in(l2tp_avp_info(0, 7), L2TP_ICRQ));
	cr_assert(l2tp_avp_allowed_in(l2tp_avp_info(0, 36), L2TP_HELLO));
	cr_assert(l2tp_avp_allowed_in(NULL, L2TP_HELLO));
	cr_assert(l2tp_avp_allowed_in(l2tp_avp_info(0, 7), 40));
}

/* Ns/Nr compare as 16-bit serials (RFC 2661 §5.8, RFC 1982 spirit). */
Test(proto, serial_compare_with_wrap)
{
	static const struct {
		uint16_t a, b;
		bool lt;
	} c[] = {{0, 1, true},        {1, 0, false},       {5, 5, false},
	         {65535, 0, true},    {0, 65535, false},   {65534, 1, true},
	         {1, 65534, false},   {0, 32767, true},    {32767, 0, false},
	         {40000, 7000, true}, {7000, 40000, false}};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		cr_assert_eq(l2tp_seq_lt(c[i].a, c[i].b), c[i].lt, "%u < %u",
		             c[i].a, c[i].b);
	/* exactly half way is undefined in serial arithmetic: both ways
	 * say "before" here, so callers must not rely on it */
	cr_assert(l2tp_seq_lt(0, 32768) && l2tp_seq_lt(32768, 0));
	/* a window walked across the wrap keeps its order */
	for (uint32_t k = 65500; k < 65600; k++)
		cr_assert(l2tp_seq_lt((uint16_t)k, (uint16_t)(k + 1)));
}
