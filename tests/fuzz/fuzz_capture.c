/* Fuzz target: capture frame to every printer (RFC 2661 §3-4, §8.1). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/frame.h"
#include "decoder/l2tp.h"
#include "decoder/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: a 4-byte big-endian link type, then the frame.  When the top bit
 * of the link type is set, the rest is a run of frames instead, each as a
 * 2-byte big-endian length and its bytes (a short last one takes what is
 * left), so that fragments meet in the reassembly table.  Each frame is
 * decoded whole and again as if the capture had cut it (wire length 64
 * bytes more).
 */
static const char *const secrets[] = {"lab-secret-1701", "wrong-secret-42"};

static void
one(int linktype, const uint8_t *p, size_t n, size_t wire,
    struct l2tp_reasm *ra, struct l2tp_msg *m, uint8_t *scratch,
    struct l2tp_sink *s, uint64_t frame)
{
	static const uint16_t ports[] = {1701, 4500, 5000};
	struct l2tp_frame_opts fo = {.ports = ports, .nports = 3};
	struct l2tp_parse_opts po = {.v3_cookie_len = (uint8_t)(n % 3 * 4)};
	struct l2tp_print_opts pr = {.tz_offset = 3600, .color = n & 1};
	struct l2tp_frame fr;
	struct l2tp_pkt_meta meta = {
	    .frame = frame, .ts_sec = 1700000000, .ts_usec = 999999, .fr = &fr};

	l2tp_frame_decode(linktype, p, n, wire, &fo, ra, &fr);
	s->len = 0;
	if (fr.kind != L2TP_FRAME_L2TP) {
		l2tp_print_frame_line(s, &pr, &meta);
		l2tp_print_frame_json(s, &pr, &meta);
		return;
	}
	if (l2tp_parse(fr.l2tp, fr.caplen, fr.wirelen, fr.transport, &po, m) ==
	        0 &&
	    m->control)
		l2tp_unhide(m, secrets, 2, scratch, 65536);
	l2tp_print_line(s, &pr, &meta, m);
	l2tp_print_tree(s, &pr, &meta, m);
	l2tp_print_json(s, &pr, &meta, m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct l2tp_msg m;
	static uint8_t scratch[65536];
	struct l2tp_reasm *ra;
	struct l2tp_sink s;
	uint32_t lt;
	uint64_t frame = 0;
	uint8_t *copy;

	if (size < 4)
		return 0;
	lt = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
	     (uint32_t)data[2] << 8 | data[3];
	data += 4;
	size -= 4;
	if ((ra = l2tp_reasm_new()) == NULL)
		return 0;
	l2tp_sink_init(&s, NULL);
	while (size > 0 || frame == 0) {
		size_t n = size;

		if (lt & 0x80000000u) {
			if (size < 2)
				break;
			n = (size_t)data[0] << 8 | data[1];
			data += 2;
			size -= 2;
			if (n > size)
				n = size;
		}
		/* an exact-size copy, so a read past the frame is caught */
		if ((copy = malloc(n ? n : 1)) == NULL)
			break;
		memcpy(copy, data, n);
		one((int)(lt & 0x7fffffffu), copy, n, n, ra, &m, scratch, &s,
		    ++frame);
		one((int)(lt & 0x7fffffffu), copy, n, n + 64, NULL, &m, scratch,
		    &s, frame);
		free(copy);
		data += n;
		size -= n;
		if (!(lt & 0x80000000u))
			break;
	}
	l2tp_sink_free(&s);
	l2tp_reasm_free(ra);
	return 0;
}
