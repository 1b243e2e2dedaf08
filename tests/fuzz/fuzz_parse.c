/* Fuzz target: the L2TP parser over UDP and IP with cookie lengths, hidden AVPs
 * opened with secrets, and every AVP value decoded (RFC 2661 §3-4, RFC 3931
 * §3-4). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: byte 0 options (bit 0 over IP; bits 1-2 cookie 0, 4, 8 or the
 * invalid 5; bit 3 no L2-specific sublayer; bit 4 open hidden AVPs with two
 * secrets), byte 1 how many bytes the capture lost at the end (the wire
 * length stays), then the datagram.
 */
static struct l2tp_msg m;
static uint8_t scratch[65536];

static void
check(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t cookies[4] = {0, 4, 8, 5};
	static const char *const secrets[] = {"wrong-secret-42",
	                                      "lab-secret-1701"};
	struct l2tp_parse_opts o;
	size_t len, cap;
	uint8_t *buf;
	int rc;

	if (size < 2)
		return 0;
	len = size - 2;
	cap = data[1] < len ? len - data[1] : 0;
	memset(&o, 0, sizeof(o));
	o.v3_cookie_len = cookies[(data[0] >> 1) & 3];
	o.v3_no_sublayer = (data[0] & 8) != 0;
	/* Only the captured bytes exist, in a buffer of exactly that size. */
	buf = malloc(cap ? cap : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 2, cap);
	rc = l2tp_parse(buf, cap, len, (data[0] & 1) ? L2TP_IP : L2TP_UDP, &o,
	                &m);
	/* Invariants whatever the bytes. */
	check(rc == 0 || rc == -L2TP_FAULT_TRUNCATED ||
	      rc == -L2TP_FAULT_MALFORMED || rc == -L2TP_FAULT_UNSUPPORTED);
	check(rc == 0 || m.fault != L2TP_FAULT_NONE);
	check(m.navps <= L2TP_MAX_AVPS && m.nproblems <= L2TP_MAX_PROBLEMS);
	check(m.hdr_len <= len || rc < 0);
	if (cap < len && rc == 0 && m.fault == L2TP_FAULT_NONE)
		check(m.control ? 0
		                : 1); /* a cut control message is never clean */
	for (size_t i = 0; i < m.navps; i++) {
		const struct l2tp_avp *a = &m.avps[i];

		check(a->raw.p >= buf && a->raw.p + a->raw.len <= buf + cap);
		check(a->len >= 6 && a->value.len == a->len - 6u);
	}
	if (m.payload.len)
		check(m.payload.p >= buf &&
		      m.payload.p + m.payload.len <= buf + cap);
	/*
	 * The builder, differentially: an L2TPv2 control message read whole
	 * (no offset pad, Length = datagram) rebuilds to the same bytes.
	 */
	if (rc == 0 && m.version == 2 && m.control && !m.has_offset &&
	    !m.avps_cut && m.has_length && m.length == len && cap == len &&
	    (m.fault == L2TP_FAULT_NONE || m.fault == L2TP_FAULT_RFC ||
	     m.fault == L2TP_FAULT_UNSUPPORTED)) {
		static uint8_t out[70000];
		struct l2tp_builder b;
		size_t body = 0;

		l2tp_build_header(&b, out, sizeof(out), m.flags,
		                  (uint16_t)m.tunnel, (uint16_t)m.session, m.ns,
		                  m.nr, 0);
		for (size_t i = 0; i < m.navps; i++) {
			const struct l2tp_avp *a = &m.avps[i];

			l2tp_build_avp_raw(
			    &b,
			    (uint16_t)((a->m ? L2TP_AVP_M : 0) |
			               (a->h ? L2TP_AVP_H : 0) |
			               (unsigned)a->rsvd << 10 | a->len),
			    a->vendor, a->type, a->value.p, a->value.len);
			body += a->len;
		}
		if (m.hdr_len + body == len) {
			check(l2tp_build_end(&b) == (int)len);
			check(memcmp(out, buf, len) == 0);
		}
	}
	if (data[0] & 0x10)
		l2tp_unhide(&m, secrets, 2, scratch, sizeof(scratch));
	for (size_t i = 0; i < m.navps; i++) {
		struct l2tp_value v;
		char nb[32];

		rc = l2tp_avp_value(&m.avps[i], &v);
		check(rc == 0 || rc == -L2TP_FAULT_MALFORMED ||
		      rc == -L2TP_FAULT_UNSUPPORTED);
		if (v.b.len) {
			struct l2tp_bytes d = l2tp_avp_data(&m.avps[i]);

			check(v.b.p >= d.p && v.b.p + v.b.len <= d.p + d.len);
		}
		check(l2tp_avp_name(m.avps[i].vendor, m.avps[i].type, nb,
		                    sizeof(nb))[0] != '\0');
	}
	free(buf);
	return 0;
}
