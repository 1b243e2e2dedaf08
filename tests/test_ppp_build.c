/* Tests of the PPP builders: packets with options parse back to what was
 * built; overflow is reported; frame headers with ACFC and PFC. */
#include <criterion/criterion.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/ppp_build.h"
#include "decoder/ppp_read.h"

Test(ppp_build, configure_request_parses_back)
{
	uint8_t buf[64];
	struct l2tp_ppp_wr w;
	struct l2tp_ppp_cp cp;
	struct l2tp_ppp_opt o;
	struct rd r;
	int n;

	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 1, 42);
	l2tp_ppp_build_opt16(&w, 1, 1462);
	l2tp_ppp_build_opt(&w, 3, (const uint8_t[]){0xc2, 0x23, 5}, 3);
	l2tp_ppp_build_opt32(&w, 5, 0xdeadbeef);
	l2tp_ppp_build_opt(&w, 7, NULL, 0);
	n = l2tp_ppp_build_end(&w);
	cr_assert_eq(n, 4 + 4 + 5 + 6 + 2);
	cr_assert_eq(l2tp_ppp_read_cp(buf, (size_t)n, &cp), 0);
	cr_assert_eq(cp.id, 42);
	rd_init(&r, cp.data.p, cp.data.len);
	cr_assert_eq(l2tp_ppp_read_opt(&r, &o), 1);
	cr_assert(o.type == 1 && o.val.p[0] == 0x05 && o.val.p[1] == 0xb6);
	cr_assert_eq(l2tp_ppp_read_opt(&r, &o), 1);
	cr_assert(o.type == 3 && o.val.len == 3);
	cr_assert_eq(l2tp_ppp_read_opt(&r, &o), 1);
	cr_assert(o.type == 5 && o.val.p[0] == 0xde);
	cr_assert_eq(l2tp_ppp_read_opt(&r, &o), 1);
	cr_assert(o.type == 7 && o.len == 2);
	cr_assert_eq(l2tp_ppp_read_opt(&r, &o), 0);
	/* the summary decoder of decoder/ppp.c agrees */
	{
		uint8_t fr[80] = {0xff, 0x03, 0xc0, 0x21};
		struct l2tp_ppp sum;

		memcpy(fr + 4, buf, (size_t)n);
		cr_assert_eq(
		    l2tp_ppp_parse(fr, (size_t)n + 4, (size_t)n + 4, &sum), 0);
		cr_assert_eq(sum.nopts, 4);
		cr_assert_eq(sum.code, 1);
	}
}

Test(ppp_build, overflow_reported)
{
	uint8_t buf[8];
	struct l2tp_ppp_wr w;

	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 1, 1);
	l2tp_ppp_build_opt32(&w, 5, 1);
	cr_assert(w.over);
	cr_assert_eq(l2tp_ppp_build_end(&w), -1);
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_cp(&w, 1, 1);
	l2tp_ppp_build_opt(&w, 9, buf, 254);
	cr_assert_eq(l2tp_ppp_build_end(&w), -1);
}

Test(ppp_build, counted_fields)
{
	uint8_t buf[300];
	struct l2tp_ppp_wr w;
	char big[300];

	memset(big, 'x', sizeof(big));
	l2tp_ppp_build_init(&w, buf, sizeof(buf));
	l2tp_ppp_build_counted(&w, big, sizeof(big));
	cr_assert_eq(buf[0], 255);
	cr_assert_eq(w.len, 256);
}

Test(ppp_build, frame_header)
{
	uint8_t h[4];

	cr_assert_eq(l2tp_ppp_build_frame_hdr(h, 0xc021, false, false), 4);
	cr_assert(h[0] == 0xff && h[1] == 0x03 && h[2] == 0xc0 && h[3] == 0x21);
	cr_assert_eq(l2tp_ppp_build_frame_hdr(h, 0xc021, true, true), 2);
	cr_assert_eq(l2tp_ppp_build_frame_hdr(h, 0x0021, true, true), 1);
	cr_assert_eq(h[0], 0x21);
	cr_assert_eq(l2tp_ppp_build_frame_hdr(h, 0x0021, false, true), 3);
	cr_assert_eq(h[2], 0x21);
}
