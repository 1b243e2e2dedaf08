/* Fuzz target: any L2TP datagram through every printer, each JSON line checked
 * strictly and each summary one line (RFC 2661 §3-4, RFC 3931, RFC 8259). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/print.h"
#include "tests/json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: one control byte, then the datagram.  Control bits: 0x01 L2TPv3
 * over IP (else UDP), 0x06 the v3 cookie length (0, 4, 8), 0x08 no v3
 * sublayer, 0x10 open hidden AVPs with two secrets, 0x20 capture cut to half
 * of the datagram, 0x40 IPv6 addresses, 0x80 colour.
 */
static const char *const secrets[] = {"s3cret", "lab-secret-1701"};

static struct jdoc jd;

/* Abort (a finding) unless the sink holds exactly one line of valid JSON. */
static void
check_json(const struct l2tp_sink *s)
{
	const char *nl = memchr(s->buf, '\n', s->len);

	if (s->len == 0 || nl != s->buf + s->len - 1)
		abort();
	if (!jparse(&jd, s->buf, s->len - 1))
		abort();
}

static void
check_line(const struct l2tp_sink *s)
{
	const char *nl = memchr(s->buf, '\n', s->len);

	if (s->len == 0 || nl != s->buf + s->len - 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct l2tp_msg m;
	static uint8_t scratch[65536];
	struct l2tp_parse_opts po;
	struct l2tp_print_opts pr;
	struct l2tp_frame fr;
	struct l2tp_pkt_meta meta;
	struct l2tp_sink s;
	enum l2tp_transport tr;
	size_t cap;
	uint8_t c;

	if (size < 1)
		return 0;
	c = data[0];
	data++;
	size--;
	tr = c & 0x01 ? L2TP_IP : L2TP_UDP;
	po.v3_cookie_len = (uint8_t)((c >> 1 & 3) % 3 * 4);
	po.v3_no_sublayer = (c & 0x08) != 0;
	pr.tz_offset = -3600;
	pr.color = (c & 0x80) != 0;
	cap = c & 0x20 ? size / 2 : size;

	memset(&fr, 0, sizeof(fr));
	fr.kind = L2TP_FRAME_L2TP;
	fr.src.family = fr.dst.family = c & 0x40 ? 6 : 4;
	fr.src.a[0] = 0x20;
	fr.dst.a[15] = 0x01;
	fr.ipproto = tr == L2TP_IP ? 115 : 17;
	fr.sport = fr.dport = tr == L2TP_IP ? 0 : 1701;
	fr.transport = tr;
	fr.caplen = cap;
	fr.wirelen = size;
	meta.frame = size + 1;
	meta.ts_sec = (int64_t)size * 86399 - 1000000;
	meta.ts_usec = (uint32_t)size * 7919u;
	meta.fr = &fr;

	if (l2tp_parse(data, cap, size, tr, &po, &m) == 0 && (c & 0x10))
		l2tp_unhide(&m, secrets, 2, scratch, sizeof(scratch));
	l2tp_sink_init(&s, NULL);
	l2tp_print_line(&s, &pr, &meta, &m);
	check_line(&s);
	s.len = 0;
	l2tp_print_json(&s, &pr, &meta, &m);
	check_json(&s);
	s.len = 0;
	l2tp_print_tree(&s, &pr, &meta, &m);
	for (size_t i = 0; i < m.navps; i++) {
		l2tp_print_avp_value(&s, &m.avps[i]);
		l2tp_print_avp_value_in(&s, &m.avps[i], m.msg_type);
	}
	/* the same message with no capture behind it (the engine's case) */
	s.len = 0;
	l2tp_print_json(&s, &pr, NULL, &m);
	check_json(&s);
	s.len = 0;
	fr.kind = (enum l2tp_frame_kind)(1 + size % 5);
	memcpy(fr.why, data,
	       cap < sizeof(fr.why) - 1 ? cap : sizeof(fr.why) - 1);
	fr.why[cap < sizeof(fr.why) - 1 ? cap : sizeof(fr.why) - 1] = '\0';
	l2tp_print_frame_json(&s, &pr, &meta);
	check_json(&s);
	s.len = 0;
	l2tp_print_frame_line(&s, &pr, &meta);
	l2tp_sink_free(&s);
	return 0;
}
