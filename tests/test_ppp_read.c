/* Tests of the PPP packet readers: frame header, LCP-format header, option
 * walker, PAP, CHAP, ICMP echo, each at every truncation. */
#include <criterion/criterion.h>
#include <string.h>

#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"

Test(ppp_read, frame_with_and_without_address_control_and_pfc)
{
	static const struct {
		uint8_t b[6];
		size_t len;
		int rc;
		uint16_t proto;
		size_t plen;
	} c[] = {
	    {{0xff, 0x03, 0xc0, 0x21, 1}, 5, 0, 0xc021, 1},
	    {{0xc0, 0x21, 1, 2}, 4, 0, 0xc021, 2},
	    {{0xff, 0x03, 0x21, 0x45}, 4, 0, 0x0021, 1},
	    {{0x21, 0x45, 0}, 3, 0, 0x0021, 2},
	    {{0xff, 0x03}, 2, L2TP_PPP_R_NOFRAME, 0, 0},
	    {{0xc0}, 1, L2TP_PPP_R_NOFRAME, 0, 0},
	    {{0}, 0, L2TP_PPP_R_NOFRAME, 0, 0},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint16_t proto = 0;
		struct l2tp_bytes pl = {0};
		int rc = l2tp_ppp_read_frame(c[i].b, c[i].len, &proto, &pl);

		cr_expect_eq(rc, c[i].rc, "case %zu", i);
		if (rc == 0) {
			cr_expect_eq(proto, c[i].proto, "case %zu", i);
			cr_expect_eq(pl.len, c[i].plen, "case %zu", i);
		}
	}
}

Test(ppp_read, cp_header_lengths)
{
	static const uint8_t ok[] = {1, 7, 0, 8, 1, 4, 5, 0xb4, 0xee};
	struct l2tp_ppp_cp cp;

	cr_assert_eq(l2tp_ppp_read_cp(ok, sizeof(ok), &cp), 0);
	cr_assert_eq(cp.code, 1);
	cr_assert_eq(cp.id, 7);
	cr_assert_eq(cp.data.len, 4); /* the padding byte is cut */
	cr_assert_eq(cp.whole.len, 8);
	for (size_t n = 0; n < 8; n++)
		cr_expect_lt(l2tp_ppp_read_cp(ok, n, &cp), 0, "length %zu", n);
	cr_assert_eq(l2tp_ppp_read_cp((const uint8_t[]){1, 1, 0, 3}, 4, &cp),
	             L2TP_PPP_R_LENGTH);
	cr_assert_str_eq(l2tp_ppp_read_strerror(L2TP_PPP_R_LENGTH),
	                 "Length field contradicts the payload");
	cr_assert_str_eq(l2tp_ppp_read_strerror(-99), "unknown error");
}

Test(ppp_read, option_walker)
{
	static const uint8_t good[] = {1, 4, 5, 0xb4, 7, 2, 5, 6, 1, 2, 3, 4};
	static const struct {
		uint8_t b[8];
		size_t len;
		int err;
	} bad[] = {
	    {{1, 0, 5, 0xb4}, 4, L2TP_PPP_R_OPTLEN},
	    {{1, 1, 5, 0xb4}, 4, L2TP_PPP_R_OPTLEN},
	    {{1, 6, 5, 0xb4}, 4, L2TP_PPP_R_OPTPAST},
	    {{7, 2, 8}, 3, L2TP_PPP_R_STRAY},
	};
	struct rd r;
	struct l2tp_ppp_opt o;
	int n = 0, rc;

	rd_init(&r, good, sizeof(good));
	while ((rc = l2tp_ppp_read_opt(&r, &o)) == 1) {
		if (n == 0)
			cr_assert(o.type == 1 && o.len == 4 && o.val.len == 2);
		if (n == 1)
			cr_assert(o.type == 7 && o.val.len == 0);
		if (n == 2)
			cr_assert(o.type == 5 && o.val.p[3] == 4);
		n++;
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(n, 3);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(l2tp_ppp_read_opts_check(
		                 (struct l2tp_bytes){bad[i].b, bad[i].len}),
		             bad[i].err, "case %zu", i);
	/* every cut of the good list fails cleanly or ends at a boundary */
	for (size_t k = 0; k < sizeof(good); k++) {
		rc = l2tp_ppp_read_opts_check((struct l2tp_bytes){good, k});
		cr_expect(rc == 0 ? (k == 0 || k == 4 || k == 6) : rc < 0,
		          "cut %zu gives %d", k, rc);
	}
}

Test(ppp_read, pap_and_chap_fields)
{
	static const uint8_t pap[] = {1,   3,   0,   14, 5,   'a', 'l',
	                              'i', 'c', 'e', 3,  'p', 'w', '!'};
	static const uint8_t chap[] = {1, 9, 0, 11, 3, 1, 2, 3, 'l', 'n', 's'};
	struct l2tp_ppp_cp cp;
	struct l2tp_bytes a, b, m;

	cr_assert_eq(l2tp_ppp_read_cp(pap, sizeof(pap), &cp), 0);
	cr_assert_eq(l2tp_ppp_read_pap(&cp, &a, &b, &m), 0);
	cr_assert(a.len == 5 && memcmp(a.p, "alice", 5) == 0);
	cr_assert(b.len == 3 && memcmp(b.p, "pw!", 3) == 0);
	cp.data.len -= 1; /* the password runs past Length */
	cr_assert_eq(l2tp_ppp_read_pap(&cp, &a, &b, &m), L2TP_PPP_R_FIELD);
	cr_assert_eq(l2tp_ppp_read_cp(chap, sizeof(chap), &cp), 0);
	cr_assert_eq(l2tp_ppp_read_chap(&cp, &a, &b, &m), 0);
	cr_assert(a.len == 3 && a.p[2] == 3);
	cr_assert(b.len == 3 && memcmp(b.p, "lns", 3) == 0);
	cp.data.len = 2;
	cr_assert_eq(l2tp_ppp_read_chap(&cp, &a, &b, &m), L2TP_PPP_R_FIELD);
}

Test(ppp_read, echo_round_trip_and_truncations)
{
	static const uint8_t s4[4] = {10, 0, 0, 1}, d4[4] = {10, 0, 0, 2};
	uint8_t s6[16] = {0xfe, 0x80, [15] = 1},
	        d6[16] = {0xfe, 0x80, [15] = 2};
	uint8_t data[20], buf[128];
	struct l2tp_ppp_echo e;

	for (int i = 0; i < 20; i++)
		data[i] = (uint8_t)i;
	for (int fam = 4; fam <= 6; fam += 2) {
		struct l2tp_ppp_echo_spec s = {
		    .family = (uint8_t)fam,
		    .src = fam == 4 ? s4 : s6,
		    .dst = fam == 4 ? d4 : d6,
		    .request = true,
		    .ident = 0x1234,
		    .seq = 7,
		    .data = data,
		    .len = sizeof(data),
		};
		int n = l2tp_ppp_build_echo(&s, buf, sizeof(buf));

		cr_assert_eq(n, (fam == 4 ? 28 : 48) + 20);
		cr_assert_eq(
		    l2tp_ppp_read_echo((uint8_t)fam, buf, (size_t)n, &e), 0);
		cr_assert(e.request);
		cr_assert_eq(e.ident, 0x1234);
		cr_assert_eq(e.seq, 7);
		cr_assert_eq(e.ttl, 64);
		cr_assert(e.data.len == 20 && memcmp(e.data.p, data, 20) == 0);
		cr_assert(memcmp(e.dst, s.dst, fam == 4 ? 4 : 16) == 0);
		for (int k = 0; k < n; k++)
			cr_expect_lt(l2tp_ppp_read_echo((uint8_t)fam, buf,
			                                (size_t)k, &e),
			             0, "family %d cut %d", fam, k);
		buf[n - 1] ^= 1;
		cr_assert_eq(
		    l2tp_ppp_read_echo((uint8_t)fam, buf, (size_t)n, &e),
		    L2TP_PPP_R_CHECKSUM);
		cr_assert_eq(l2tp_ppp_build_echo(&s, buf, (size_t)n - 1), -1);
	}
}
