/* L2TP printers: one line, the full tree and JSON lines into a buffered sink
 * (RFC 2661 §3.1, §4.4; RFC 3931 §3-5; RFC 8259 for JSON). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/ppp.h"
#include "decoder/print.h"
#include "decoder/proto.h"
#include "decoder/rd.h"

/* The sink's writers under short local names. */
#define put l2tp_sink_write
#define putch l2tp_sink_putc
#define put_str l2tp_sink_puts
#define PUTL L2TP_SINK_LIT
#define put_u64 l2tp_sink_u64
#define put_i64 l2tp_sink_i64
#define put_hexbytes l2tp_sink_hex
#define put_hexn(s, v, d) l2tp_sink_hexn((s), (v), (d), true)
#define put_ipaddr l2tp_sink_ipaddr
#define put_ipv4(s, a) l2tp_sink_ip((s), 4, (a))
#define put_ipv6(s, a) l2tp_sink_ip((s), 6, (a))

static const char hexd[] = "0123456789abcdef";

/* Two digits, zero-padded. */
static inline void
put_2d(char *b, unsigned v)
{
	b[0] = (char)('0' + v / 10);
	b[1] = (char)('0' + v % 10);
}

static void
put_mac(struct l2tp_sink *s, const uint8_t *m)
{
	char b[17];

	for (int i = 0; i < 6; i++) {
		b[3 * i] = hexd[m[i] >> 4];
		b[3 * i + 1] = hexd[m[i] & 0xf];
		if (i < 5)
			b[3 * i + 2] = ':';
	}
	put(s, b, 17);
}

/* Text for the line and tree forms: quoted, non-printing bytes as \xNN. */
static void
put_quoted(struct l2tp_sink *s, const uint8_t *p, size_t n, size_t max)
{
	size_t i, start;

	if (n == 0) {
		PUTL(s, "\"\"");
		return;
	}
	putch(s, '"');
	for (i = start = 0; i < n && i < max; i++) {
		uint8_t c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		put(s, (const char *)p + start, i - start);
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};

			put(s, e, 2);
		} else {
			char e[4] = {'\\', 'x', hexd[c >> 4], hexd[c & 0xf]};

			put(s, e, 4);
		}
		start = i + 1;
	}
	if (i > start) /* p may be NULL when there are no bytes */
		put(s, (const char *)p + start, i - start);
	putch(s, '"');
	if (n > max)
		PUTL(s, "...");
}

static void
json_str(struct l2tp_sink *s, const char *str)
{
	l2tp_sink_json_str(s, str, strlen(str));
}

/*
 * A string from the project's own tables (names, keys, meanings): printable
 * ASCII without quotes or backslashes, which tests/test_print.c checks for
 * every table entry, so it needs no escaping.
 */
static void
json_safe(struct l2tp_sink *s, const char *str)
{
	putch(s, '"');
	put_str(s, str);
	putch(s, '"');
}

static void
json_bytes_str(struct l2tp_sink *s, struct l2tp_bytes b)
{
	l2tp_sink_json_str(s, (const char *)b.p, b.len);
}

static void
json_hex(struct l2tp_sink *s, struct l2tp_bytes b)
{
	putch(s, '"');
	put_hexbytes(s, b.p, b.len);
	putch(s, '"');
}

/* ---- Colour ---- */

#define C_MSG "\033[1;36m"
#define C_HID "\033[33m"
#define C_ERR "\033[1;31m"
#define C_OFF "\033[0m"

static inline void
color(struct l2tp_sink *s, const struct l2tp_print_opts *po, const char *c)
{
	if (po && po->color)
		put(s, c, strlen(c));
}

/* ---- How each AVP is shown ---- */

/* Line form: show the value, show only its length, or leave it out. */
enum pline { L_SHOW = 0, L_LEN, L_SKIP };
/* Value formats beyond what the value kind says. */
enum pfmt {
	F_DEF = 0,
	F_HEX16,
	F_HEX64,
	F_IPV4,
	F_PWTYPE,
	F_CIRCUIT,
	F_HEX,
	F_BPS,
	F_MS,
	F_SUBLAYER,
	F_DATASEQ,
	F_PWLIST
};

struct pinfo {
	const char *label; /* one-line form: "host", "tid" */
	uint8_t line;      /* enum pline */
	uint8_t fmt;       /* enum pfmt */
};

static const struct pinfo ietf_p[76] = {
    [0] = {"type", L_SKIP, 0},
    [1] = {"result", L_SHOW, 0},
    [2] = {"ver", L_SHOW, 0},
    [3] = {"framing", L_SHOW, 0},
    [4] = {"bearer", L_SHOW, 0},
    [5] = {"tie", L_SHOW, F_HEX64},
    [6] = {"firmware", L_SHOW, F_HEX16},
    [7] = {"host", L_SHOW, 0},
    [8] = {"vendor", L_SHOW, 0},
    [9] = {"tid", L_SHOW, 0},
    [10] = {"window", L_SHOW, 0},
    [11] = {"challenge", L_LEN, 0},
    [12] = {"q931", L_SHOW, 0},
    [13] = {"response", L_LEN, 0},
    [14] = {"sid", L_SHOW, 0},
    [15] = {"serial", L_SHOW, 0},
    [16] = {"minbps", L_SHOW, F_BPS},
    [17] = {"maxbps", L_SHOW, F_BPS},
    [18] = {"bearer-type", L_SHOW, 0},
    [19] = {"framing-type", L_SHOW, 0},
    [21] = {"called", L_SHOW, 0},
    [22] = {"calling", L_SHOW, 0},
    [23] = {"subaddr", L_SHOW, 0},
    [24] = {"speed", L_SHOW, F_BPS},
    [25] = {"channel", L_SHOW, 0},
    [26] = {"init-rx-lcp", L_LEN, 0},
    [27] = {"last-tx-lcp", L_LEN, 0},
    [28] = {"last-rx-lcp", L_LEN, 0},
    [29] = {"proxy-auth", L_SHOW, 0},
    [30] = {"proxy-name", L_SHOW, 0},
    [31] = {"proxy-challenge", L_LEN, 0},
    [32] = {"proxy-id", L_SHOW, 0},
    [33] = {"proxy-response", L_LEN, 0},
    [34] = {"call-errors", L_SHOW, 0},
    [35] = {"accm", L_SHOW, 0},
    [36] = {"rv", L_LEN, 0},
    [37] = {"group", L_LEN, 0},
    [38] = {"rx-speed", L_SHOW, F_BPS},
    [39] = {"seq-required", L_SHOW, 0},
    [46] = {"ppp-disconnect", L_SHOW, 0},
    [58] = {"ext-vendor", L_SHOW, 0},
    [59] = {"digest", L_LEN, 0},
    [60] = {"router-id", L_SHOW, F_IPV4},
    [61] = {"ccid", L_SHOW, 0},
    [62] = {"pw-caps", L_LEN, F_PWLIST},
    [63] = {"local-sid", L_SHOW, 0},
    [64] = {"remote-sid", L_SHOW, 0},
    [65] = {"cookie", L_SHOW, F_HEX},
    [66] = {"remote-end", L_LEN, 0},
    [68] = {"pw-type", L_SHOW, F_PWTYPE},
    [69] = {"sublayer", L_SHOW, F_SUBLAYER},
    [70] = {"data-seq", L_SHOW, F_DATASEQ},
    [71] = {"circuit", L_SHOW, F_CIRCUIT},
    [72] = {"lang", L_SHOW, 0},
    [73] = {"nonce", L_LEN, 0},
    [74] = {"tx-speed", L_SHOW, F_BPS},
    [75] = {"rx-speed", L_SHOW, F_BPS},
};

struct vpinfo {
	uint16_t vendor, type;
	struct pinfo p;
};

static const struct vpinfo vendor_p[] = {
    {L2TP_VENDOR_BBF, 1, {"circuit-id", L_SHOW, 0}},
    {L2TP_VENDOR_BBF, 2, {"remote-id", L_SHOW, 0}},
    {L2TP_VENDOR_BBF, 129, {"rate-up", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 130, {"rate-down", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 131, {"min-rate-up", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 132, {"min-rate-down", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 133, {"att-rate-up", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 134, {"att-rate-down", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 135, {"max-rate-up", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 136, {"max-rate-down", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 137, {"min-rate-up-lp", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 138, {"min-rate-down-lp", L_SHOW, F_BPS}},
    {L2TP_VENDOR_BBF, 139, {"max-delay-up", L_SHOW, F_MS}},
    {L2TP_VENDOR_BBF, 140, {"delay-up", L_SHOW, F_MS}},
    {L2TP_VENDOR_BBF, 141, {"max-delay-down", L_SHOW, F_MS}},
    {L2TP_VENDOR_BBF, 142, {"delay-down", L_SHOW, F_MS}},
    {L2TP_VENDOR_BBF, 144, {"loop-encap", L_SHOW, F_HEX}},
    {L2TP_VENDOR_BBF, 254, {"iwf", L_SHOW, 0}},
    /* Cisco's pre-standard L2TPv3 AVPs mirror RFC 3931's */
    {L2TP_VENDOR_CISCO, 1, {"cisco-ccid", L_SHOW, 0}},
    {L2TP_VENDOR_CISCO, 2, {"cisco-pw-caps", L_LEN, F_PWLIST}},
    {L2TP_VENDOR_CISCO, 3, {"cisco-local-sid", L_SHOW, 0}},
    {L2TP_VENDOR_CISCO, 4, {"cisco-remote-sid", L_SHOW, 0}},
    {L2TP_VENDOR_CISCO, 5, {"cisco-cookie", L_SHOW, F_HEX}},
    {L2TP_VENDOR_CISCO, 6, {"cisco-remote-end", L_LEN, 0}},
    {L2TP_VENDOR_CISCO, 7, {"cisco-pw-type", L_SHOW, F_PWTYPE}},
    {L2TP_VENDOR_CISCO, 8, {"cisco-circuit", L_SHOW, F_CIRCUIT}},
    {L2TP_VENDOR_CISCO, 9, {"cisco-tie", L_SHOW, F_HEX64}},
    {L2TP_VENDOR_CISCO, 10, {"cisco-draft", L_SHOW, 0}},
    {L2TP_VENDOR_CISCO, 12, {"cisco-digest", L_LEN, 0}},
    {L2TP_VENDOR_CISCO, 13, {"cisco-nonce", L_LEN, 0}},
    {L2TP_VENDOR_CISCO, 14, {"cisco-mtu", L_SHOW, 0}},
};

static const struct pinfo *
pinfo(uint16_t vendor, uint16_t type)
{
	if (vendor == 0)
		return type < 76 && ietf_p[type].label ? &ietf_p[type] : NULL;
	for (size_t i = 0; i < sizeof(vendor_p) / sizeof(vendor_p[0]); i++)
		if (vendor_p[i].vendor == vendor && vendor_p[i].type == type)
			return &vendor_p[i].p;
	return NULL;
}

/* "sync,async" (framing, RFC 2661 §4.4.3) or "analog,digital" (bearer). */
static void
put_bits(struct l2tp_sink *s, uint64_t v, bool framing)
{
	bool any = false;

	if (v & 1) {
		if (framing)
			PUTL(s, "sync");
		else
			PUTL(s, "digital");
		any = true;
	}
	if (v & 2) {
		if (any)
			putch(s, ',');
		if (framing)
			PUTL(s, "async");
		else
			PUTL(s, "analog");
		any = true;
	}
	if (v & ~(uint64_t)3) {
		if (any)
			putch(s, ',');
		put_hexn(s, v & ~(uint64_t)3, 8);
		any = true;
	}
	if (!any)
		PUTL(s, "none");
}

static void
put_msg_type_name(struct l2tp_sink *s, int type)
{
	char nb[24];

	put_str(s, l2tp_msg_name(type, nb, sizeof(nb)));
}

/* Result Code meanings depend on the message (RFC 2661 §4.4.2). */
static const char *
result_text(int msg_type, uint16_t r)
{
	if (msg_type == L2TP_STOPCCN)
		return l2tp_stopccn_result_text(r);
	if (msg_type == L2TP_CDN)
		return l2tp_cdn_result_text(r);
	return NULL;
}

/* ---- One AVP value, in words (tree form and engine events) ---- */

static void
avp_value_words(struct l2tp_sink *s, const struct l2tp_avp *a, int msg_type)
{
	const struct pinfo *pi = pinfo(a->vendor, a->type);
	struct l2tp_value v;
	const char *t;
	int rc = l2tp_avp_value(a, &v);

	if (a->h && !a->decrypted) {
		PUTL(s, "(hidden) ");
		put_hexbytes(s, a->value.p, a->value.len);
		return;
	}
	if (a->decrypted) {
		PUTL(s, "(hidden, decrypted with secret ");
		put_u64(s, (uint64_t)a->secret_idx + 1);
		PUTL(s, ") ");
	}
	if (rc < 0) {
		/* The parser names the misfit; show what is there. */
		PUTL(s, "(");
		put_u64(s, v.b.len);
		PUTL(s, " bytes, does not fit) ");
		put_hexbytes(s, v.b.p, v.b.len);
		return;
	}
	switch (v.kind) {
	case L2TP_V_BYTES:
		if (v.b.len == 0) {
			PUTL(s, "(empty)");
		} else if (pi && pi->fmt == F_PWLIST && v.b.len % 2 == 0) {
			/* a list of 16-bit pseudowire types (RFC 3931 §5.4.3)
			 */
			for (size_t i = 0; i < v.b.len; i += 2) {
				uint16_t pw =
				    (uint16_t)(v.b.p[i] << 8 | v.b.p[i + 1]);

				if (i)
					PUTL(s, ", ");
				put_u64(s, pw);
				if ((t = l2tp_pw_type_text(pw)) != NULL) {
					PUTL(s, " (");
					put_str(s, t);
					putch(s, ')');
				}
			}
		} else {
			put_hexbytes(s, v.b.p, v.b.len);
		}
		break;
	case L2TP_V_STRING:
		put_quoted(s, v.b.p, v.b.len, (size_t)-1);
		break;
	case L2TP_V_EMPTY:
		PUTL(s, "(no value)");
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
		if (pi && pi->fmt == F_HEX64) {
			put_hexn(s, v.u, 16);
			break;
		}
		put_u64(s, v.u);
		if (pi && pi->fmt == F_HEX16) {
			PUTL(s, " (");
			put_hexn(s, v.u, 4);
			putch(s, ')');
		} else if (pi && pi->fmt == F_IPV4) {
			uint8_t ip[4] = {(uint8_t)(v.u >> 24),
			                 (uint8_t)(v.u >> 16),
			                 (uint8_t)(v.u >> 8), (uint8_t)v.u};

			PUTL(s, " (");
			put_ipv4(s, ip);
			putch(s, ')');
		} else if (pi && pi->fmt == F_PWTYPE &&
		           (t = l2tp_pw_type_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		} else if (pi && pi->fmt == F_CIRCUIT) {
			put_str(s, v.u & 1 ? " (active" : " (inactive");
			put_str(s, v.u & 2 ? ", new)" : ")");
		} else if (pi &&
		           (pi->fmt == F_SUBLAYER || pi->fmt == F_DATASEQ) &&
		           (t = pi->fmt == F_SUBLAYER
		                    ? l2tp_sublayer_text(v.u)
		                    : l2tp_data_seq_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		} else if (pi && pi->fmt == F_BPS) {
			PUTL(s, " bit/s");
		} else if (pi && pi->fmt == F_MS) {
			PUTL(s, " ms");
		}
		break;
	case L2TP_V_MSGTYPE: {
		const struct l2tp_msg_info *mi = l2tp_msg_info((int)v.u);

		put_u64(s, v.u);
		PUTL(s, " (");
		if (mi) {
			put_str(s, mi->name);
			PUTL(s, ", ");
			put_str(s, mi->long_name);
		} else {
			PUTL(s, "unknown");
		}
		putch(s, ')');
		break;
	}
	case L2TP_V_RESULT:
		PUTL(s, "result ");
		put_u64(s, v.result);
		if ((t = result_text(msg_type, v.result)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		if (v.has_error) {
			PUTL(s, ", error ");
			put_u64(s, v.error);
			if ((t = l2tp_error_text(v.error)) != NULL) {
				PUTL(s, " (");
				put_str(s, t);
				putch(s, ')');
			}
		}
		if (v.has_message) {
			PUTL(s, ", message ");
			put_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	case L2TP_V_PROTOVER:
		PUTL(s, "version ");
		put_u64(s, v.u);
		PUTL(s, ", revision ");
		put_u64(s, v.rev);
		break;
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		put_hexn(s, v.u, 8);
		PUTL(s, " (");
		put_bits(s, v.u, v.kind == L2TP_V_FRAMING);
		putch(s, ')');
		break;
	case L2TP_V_Q931:
		PUTL(s, "cause ");
		put_u64(s, v.u);
		if ((t = l2tp_q931_cause_text((uint16_t)v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", message ");
		put_hexn(s, v.q931_msg, 2);
		if ((t = l2tp_q931_msg_text(v.q931_msg)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		if (v.b.len) {
			PUTL(s, ", advisory ");
			put_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	case L2TP_V_PROXY_TYPE:
		put_u64(s, v.u);
		if ((t = l2tp_proxy_auth_text((uint16_t)v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {
		    "CRC errors ",          ", framing errors ",
		    ", hardware overruns ", ", buffer overruns ",
		    ", timeout errors ",    ", alignment errors "};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v.errs[i]);
		}
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, "send ");
		put_hexn(s, v.send_accm, 8);
		PUTL(s, ", receive ");
		put_hexn(s, v.recv_accm, 8);
		break;
	case L2TP_V_PPP_DISC:
		PUTL(s, "code ");
		put_u64(s, v.u);
		if ((t = l2tp_ppp_disconnect_text(v.u)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", protocol ");
		put_hexn(s, v.ppp_proto, 4);
		if ((t = l2tp_ppp_proto_name(v.ppp_proto)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, ", direction ");
		put_u64(s, v.ppp_dir);
		if (v.ppp_dir == 1)
			PUTL(s, " (peer)");
		else if (v.ppp_dir == 2)
			PUTL(s, " (local)");
		if (v.b.len) {
			PUTL(s, ", message ");
			put_quoted(s, v.b.p, v.b.len, (size_t)-1);
		}
		break;
	}
}

void
l2tp_print_avp_value(struct l2tp_sink *s, const struct l2tp_avp *a)
{
	avp_value_words(s, a, -1);
}

void
l2tp_print_avp_value_in(struct l2tp_sink *s, const struct l2tp_avp *a,
                        int msg_type)
{
	avp_value_words(s, a, msg_type);
}

/* ---- Short AVP form (one-line printer) ---- */

#define LINE_STR_MAX 64

/* " (16 bytes)", " (1 byte)" */
static void
put_nbytes(struct l2tp_sink *s, size_t n)
{
	PUTL(s, " (");
	put_u64(s, n);
	if (n == 1)
		PUTL(s, " byte)");
	else
		PUTL(s, " bytes)");
}

/* A label with the table key's underscores as dashes: "cisco-pw-type". */
static void
put_label(struct l2tp_sink *s, const char *label)
{
	char b[64];
	size_t k = 0;

	for (; *label && k < sizeof(b); label++)
		b[k++] = *label == '_' ? '-' : *label;
	put(s, b, k);
}

static void
avp_short(struct l2tp_sink *s, const struct l2tp_print_opts *po,
          const struct l2tp_avp *a)
{
	const struct pinfo *pi = pinfo(a->vendor, a->type);
	const struct l2tp_avp_info *ai;
	struct pinfo fb;
	struct l2tp_value v;
	const char *t;
	int rc;

	/* Known to the tables but without a short label: use its key. */
	if (pi == NULL && (ai = l2tp_avp_info(a->vendor, a->type)) != NULL) {
		fb.label = ai->key;
		fb.line = ai->kind == L2TP_V_BYTES ? L_LEN : L_SHOW;
		fb.fmt = F_DEF;
		pi = &fb;
	}
	if (pi == NULL) {
		const char *vn;

		if (a->vendor == 0) {
			PUTL(s, "AVP-#");
			put_u64(s, a->type);
		} else {
			PUTL(s, "vendor ");
			put_u64(s, a->vendor);
			if ((vn = l2tp_vendor_name(a->vendor)) != NULL) {
				PUTL(s, " (");
				put_str(s, vn);
				putch(s, ')');
			}
			PUTL(s, " type ");
			put_u64(s, a->type);
		}
		if (a->h)
			PUTL(s, " hidden");
		put_nbytes(s, a->value.len);
		return;
	}
	put_label(s, pi->label);
	if (a->h && !a->decrypted) {
		putch(s, ' ');
		color(s, po, C_HID);
		PUTL(s, "(hidden)");
		color(s, po, C_OFF);
		return;
	}
	rc = l2tp_avp_value(a, &v);
	if (rc < 0 || pi->line == L_LEN) {
		put_nbytes(s, v.b.len);
		goto out;
	}
	switch (v.kind) {
	case L2TP_V_BYTES:
		if (pi->fmt == F_HEX) {
			putch(s, ' ');
			put_hexbytes(s, v.b.p, v.b.len);
		} else {
			put_nbytes(s, v.b.len);
		}
		break;
	case L2TP_V_STRING:
		putch(s, ' ');
		put_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		break;
	case L2TP_V_EMPTY:
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
		putch(s, ' ');
		if (pi->fmt == F_HEX64)
			put_hexn(s, v.u, 16);
		else if (pi->fmt == F_HEX16)
			put_hexn(s, v.u, 4);
		else if (pi->fmt == F_IPV4) {
			uint8_t ip[4] = {(uint8_t)(v.u >> 24),
			                 (uint8_t)(v.u >> 16),
			                 (uint8_t)(v.u >> 8), (uint8_t)v.u};

			put_ipv4(s, ip);
		} else if (pi->fmt == F_PWTYPE &&
		           (t = l2tp_pw_type_text(v.u)) != NULL)
			put_str(s, t);
		else
			put_u64(s, v.u);
		break;
	case L2TP_V_MSGTYPE:
		putch(s, ' ');
		put_msg_type_name(s, (int)v.u);
		break;
	case L2TP_V_RESULT:
		putch(s, ' ');
		put_u64(s, v.result);
		if (v.has_error && v.error != 0) {
			PUTL(s, " error ");
			put_u64(s, v.error);
		}
		if (v.has_message) {
			putch(s, ' ');
			put_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		}
		break;
	case L2TP_V_PROTOVER:
		putch(s, ' ');
		put_u64(s, v.u);
		putch(s, '.');
		put_u64(s, v.rev);
		break;
	case L2TP_V_FRAMING:
	case L2TP_V_BEARER:
		putch(s, ' ');
		put_bits(s, v.u, v.kind == L2TP_V_FRAMING);
		break;
	case L2TP_V_Q931:
		PUTL(s, " cause ");
		put_u64(s, v.u);
		PUTL(s, " msg ");
		put_hexn(s, v.q931_msg, 2);
		break;
	case L2TP_V_PROXY_TYPE:
		putch(s, ' ');
		if ((t = l2tp_proxy_auth_short(v.u)) != NULL)
			put_str(s, t);
		else
			put_u64(s, v.u);
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {
		    " crc ",         " framing ", " hw-overrun ",
		    " buf-overrun ", " timeout ", " alignment "};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v.errs[i]);
		}
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, " send ");
		put_hexn(s, v.send_accm, 8);
		PUTL(s, " recv ");
		put_hexn(s, v.recv_accm, 8);
		break;
	case L2TP_V_PPP_DISC:
		putch(s, ' ');
		put_u64(s, v.u);
		PUTL(s, " proto ");
		put_hexn(s, v.ppp_proto, 4);
		PUTL(s, " dir ");
		put_u64(s, v.ppp_dir);
		if (v.b.len) {
			putch(s, ' ');
			put_quoted(s, v.b.p, v.b.len, LINE_STR_MAX);
		}
		break;
	}
out:
	if (a->decrypted) {
		putch(s, ' ');
		color(s, po, C_HID);
		PUTL(s, "(decrypted)");
		color(s, po, C_OFF);
	}
}

/* ---- Common parts ---- */

static void
put_time(struct l2tp_sink *s, const struct l2tp_print_opts *po,
         const struct l2tp_pkt_meta *meta)
{
	int64_t t = meta->ts_sec + (po ? po->tz_offset : 0);
	int64_t sod = t % 86400;
	uint32_t us = meta->ts_usec % 1000000u;
	char b[15];

	if (sod < 0)
		sod += 86400;
	put_2d(b, (unsigned)(sod / 3600));
	b[2] = ':';
	put_2d(b + 3, (unsigned)(sod / 60 % 60));
	b[5] = ':';
	put_2d(b + 6, (unsigned)(sod % 60));
	b[8] = '.';
	for (int i = 14; i >= 9; i--) {
		b[i] = (char)('0' + us % 10);
		us /= 10;
	}
	put(s, b, 15);
}

/* UDP ports are known for an L2TP datagram, not for a fragment or a frame
 * cut before its UDP header (those have 0 there). */
static inline bool
has_ports(const struct l2tp_frame *fr)
{
	return fr->ipproto == 17 &&
	       (fr->kind == L2TP_FRAME_L2TP || fr->sport || fr->dport);
}

/* "frame time src.sport > dst.dport: " for the line form. */
static void
line_prefix(struct l2tp_sink *s, const struct l2tp_print_opts *po,
            const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr;

	if (meta == NULL)
		return;
	if (meta->frame) {
		put_u64(s, meta->frame);
		putch(s, ' ');
	}
	if (meta->frame || meta->ts_sec || meta->ts_usec) {
		put_time(s, po, meta);
		putch(s, ' ');
	}
	fr = meta->fr;
	if (fr == NULL || fr->src.family == 0)
		return;
	put_ipaddr(s, &fr->src);
	if (has_ports(fr)) {
		putch(s, '.');
		put_u64(s, fr->sport);
	}
	PUTL(s, " > ");
	put_ipaddr(s, &fr->dst);
	if (has_ports(fr)) {
		putch(s, '.');
		put_u64(s, fr->dport);
	}
	PUTL(s, ": ");
}

static void
put_problem_brackets(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                     const char *kind, const char *what)
{
	PUTL(s, " [");
	color(s, po, C_ERR);
	put_str(s, kind);
	color(s, po, C_OFF);
	PUTL(s, ": ");
	put_str(s, what);
	putch(s, ']');
}

/* Payload of a data message, read by ppp.c. */
static bool
read_payload(const struct l2tp_msg *m, struct l2tp_ppp *pp)
{
	size_t wire;

	if (m->control || m->hdr_len == 0 || m->payload.p == NULL)
		return false;
	/* Bytes the payload has on the wire: up to Length, or the datagram. */
	wire = m->wire_len;
	if (m->has_length) {
		size_t total = m->length;

		if (total < wire)
			wire = total;
	}
	wire = wire > m->hdr_len ? wire - m->hdr_len : 0;
	if (wire < m->payload.len)
		wire = m->payload.len;
	if (wire == 0 && m->payload.len == 0)
		return false;
	if (m->version == 3)
		l2tp_ppp_parse_eth(m->payload.p, m->payload.len, wire, pp);
	else
		l2tp_ppp_parse(m->payload.p, m->payload.len, wire, pp);
	return true;
}

/* ---- PPP / Ethernet summaries ---- */

static void
put_ip_addrs(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	if (ip->family == 4)
		put_ipv4(s, ip->src);
	else
		put_ipv6(s, ip->src);
	if (ip->has_ports) {
		putch(s, '.');
		put_u64(s, ip->sport);
	}
	PUTL(s, " > ");
	if (ip->family == 4)
		put_ipv4(s, ip->dst);
	else
		put_ipv6(s, ip->dst);
	if (ip->has_ports) {
		putch(s, '.');
		put_u64(s, ip->dport);
	}
}

static void
put_ip_short(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	const char *t;

	put_ip_addrs(s, ip);
	putch(s, ' ');
	if ((t = l2tp_ppp_ipproto_name(ip->proto)) != NULL)
		put_str(s, t);
	else {
		PUTL(s, "proto ");
		put_u64(s, ip->proto);
	}
	if (ip->has_icmp) {
		t = l2tp_ppp_icmp_name(ip->family, ip->icmp_type);
		putch(s, ' ');
		if (t)
			put_str(s, t);
		else {
			PUTL(s, "type ");
			put_u64(s, ip->icmp_type);
		}
		if (t == NULL || ip->icmp_code) {
			PUTL(s, " code ");
			put_u64(s, ip->icmp_code);
		}
	}
	if (ip->frag)
		PUTL(s, " fragment");
	PUTL(s, ", length ");
	put_u64(s, ip->len);
}

static void
put_ppp_opt_value(struct l2tp_sink *s, uint16_t proto,
                  const struct l2tp_ppp_opt *o, bool words)
{
	struct rd r;
	uint16_t u16;
	uint32_t u32;
	uint8_t u8;
	const char *t;

	rd_init(&r, o->val.p, o->val.len);
	switch (l2tp_ppp_opt_kind(proto, o->type)) {
	case L2TP_PPP_O_U16:
		if (o->val.len == 2 && rd_u16(&r, &u16) == 0) {
			put_u64(s, u16);
			return;
		}
		break;
	case L2TP_PPP_O_HEX32:
		if (o->val.len == 4 && rd_u32(&r, &u32) == 0) {
			put_hexn(s, u32, 8);
			return;
		}
		break;
	case L2TP_PPP_O_AUTH:
	case L2TP_PPP_O_PROTO:
		if (rd_u16(&r, &u16) < 0)
			break;
		if ((t = l2tp_ppp_proto_name(u16)) != NULL)
			put_str(s, t);
		else if (u16 == 0x002d && proto == L2TP_PPP_IPCP)
			PUTL(s, "VJ");
		else
			put_hexn(s, u16, 4);
		if (u16 == L2TP_PPP_CHAP && rd_u8(&r, &u8) == 0) {
			putch(s, '/');
			if (u8 == 5)
				PUTL(s, "MD5");
			else if (u8 == 0x80)
				PUTL(s, "MS-CHAP");
			else if (u8 == 0x81)
				PUTL(s, "MS-CHAPv2");
			else
				put_u64(s, u8);
		}
		if (words && r.left) {
			PUTL(s, " + ");
			put_hexbytes(s, r.p, r.left);
		}
		return;
	case L2TP_PPP_O_EMPTY:
		if (o->val.len == 0) {
			if (words)
				PUTL(s, "(no value)");
			return;
		}
		break;
	case L2TP_PPP_O_IPV4:
		if (o->val.len == 4) {
			put_ipv4(s, o->val.p);
			return;
		}
		break;
	case L2TP_PPP_O_IFID:
		if (o->val.len == 8) {
			for (int i = 0; i < 4; i++) {
				if (i)
					putch(s, ':');
				put_hexbytes(s, o->val.p + 2 * i, 2);
			}
			return;
		}
		break;
	case L2TP_PPP_O_BYTES:
		break;
	}
	if (o->val.len == 0)
		PUTL(s, "(empty)");
	else
		put_hexbytes(s, o->val.p, o->val.len);
}

static void
put_code_name(struct l2tp_sink *s, uint16_t proto, uint8_t code)
{
	const char *t = l2tp_ppp_code_name(proto, code);

	if (t)
		put_str(s, t);
	else {
		PUTL(s, "code ");
		put_u64(s, code);
	}
}

/* The one-line summary of a data payload. */
static void
ppp_short(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, "Ethernet ");
		put_mac(s, pp->eth_src);
		PUTL(s, " > ");
		put_mac(s, pp->eth_dst);
		for (uint8_t i = 0; i < pp->nvlan; i++) {
			PUTL(s, " vlan ");
			put_u64(s, pp->vlan[i]);
		}
		if (pp->kind == L2TP_PPP_K_NONE)
			return;
		putch(s, ' ');
		if ((t = l2tp_ppp_ethertype_name(pp->ethertype)) != NULL)
			put_str(s, t);
		else
			put_hexn(s, pp->ethertype, 4);
		if (pp->kind == L2TP_PPP_K_IP) {
			putch(s, ' ');
			put_ip_short(s, &pp->ip);
		} else if (pp->kind == L2TP_PPP_K_ARP && !pp->arp_addrs) {
			PUTL(s, " op ");
			put_u64(s, pp->arp_op);
		} else if (pp->kind == L2TP_PPP_K_ARP) {
			if (pp->arp_op == 1) {
				PUTL(s, " who-has ");
				put_ipv4(s, pp->arp_tpa);
				PUTL(s, " tell ");
				put_ipv4(s, pp->arp_spa);
			} else if (pp->arp_op == 2) {
				PUTL(s, " reply ");
				put_ipv4(s, pp->arp_spa);
				PUTL(s, " is-at ");
				put_mac(s, pp->arp_sha);
			} else {
				PUTL(s, " op ");
				put_u64(s, pp->arp_op);
			}
		} else {
			PUTL(s, ", length ");
			put_u64(s, pp->total);
		}
		return;
	}
	PUTL(s, "PPP");
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0)
		return;
	putch(s, ' ');
	if ((t = l2tp_ppp_proto_name(pp->proto)) != NULL)
		put_str(s, t);
	else
		put_hexn(s, pp->proto, 4);
	if ((pp->kind == L2TP_PPP_K_CP || pp->kind == L2TP_PPP_K_PAP ||
	     pp->kind == L2TP_PPP_K_CHAP) &&
	    !pp->has_code)
		return;
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
		putch(s, ' ');
		put_code_name(s, pp->proto, pp->code);
		PUTL(s, " id ");
		put_u64(s, pp->id);
		if (pp->has_magic) {
			PUTL(s, " magic ");
			put_hexn(s, pp->magic, 8);
		}
		if (pp->has_rejected) {
			PUTL(s, " rejected ");
			if ((t = l2tp_ppp_proto_name(pp->rejected_proto)))
				put_str(s, t);
			else
				put_hexn(s, pp->rejected_proto, 4);
		}
		if (pp->has_rejected_code) {
			PUTL(s, " rejected code ");
			put_u64(s, pp->rejected_code);
		}
		if (pp->code >= 1 && pp->code <= 4) {
			PUTL(s, " <");
			for (size_t i = 0; i < pp->nopts; i++) {
				const struct l2tp_ppp_opt *o = &pp->opts[i];

				if (i)
					PUTL(s, ", ");
				t = l2tp_ppp_opt_label(pp->proto, o->type);
				if (t)
					put_str(s, t);
				else {
					PUTL(s, "opt-");
					put_u64(s, o->type);
				}
				if (l2tp_ppp_opt_kind(pp->proto, o->type) ==
				        L2TP_PPP_O_EMPTY &&
				    o->val.len == 0)
					continue;
				putch(s, ' ');
				put_ppp_opt_value(s, pp->proto, o, false);
			}
			if (pp->opts_cut)
				PUTL(s, ", ...");
			putch(s, '>');
		}
		break;
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		putch(s, ' ');
		put_code_name(s, pp->proto, pp->code);
		PUTL(s, " id ");
		put_u64(s, pp->id);
		if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
			PUTL(s, " peer ");
			put_quoted(s, pp->name.p, pp->name.len, LINE_STR_MAX);
			PUTL(s, " password (");
			put_u64(s, pp->secret.len);
			PUTL(s, " bytes)");
		} else if (pp->kind == L2TP_PPP_K_CHAP &&
		           (pp->code == 1 || pp->code == 2)) {
			PUTL(s, " value (");
			put_u64(s, pp->secret.len);
			PUTL(s, " bytes) name ");
			put_quoted(s, pp->name.p, pp->name.len, LINE_STR_MAX);
		} else if (pp->text.len) {
			putch(s, ' ');
			put_quoted(s, pp->text.p, pp->text.len, LINE_STR_MAX);
		}
		break;
	case L2TP_PPP_K_IP:
		putch(s, ' ');
		put_ip_short(s, &pp->ip);
		break;
	default:
		PUTL(s, ", length ");
		put_u64(s, pp->total);
		break;
	}
}

/*
 * The message's name: its Message Type, or "ZLB" for a control message that
 * really has no body; NULL when there is a body but no readable Message Type
 * (missing, hidden, or cut off by the capture), `why` then says which.
 */
static const char *
msg_label(const struct l2tp_msg *m, char *nb, size_t n, const char **why)
{
	if (m->msg_type >= 0)
		return l2tp_msg_name(m->msg_type, nb, n);
	*why = "(no Message Type)";
	if (l2tp_msg_is_zlb(m))
		return "ZLB";
	if (m->fault == L2TP_FAULT_TRUNCATED)
		*why = "(Message Type not captured)";
	return NULL;
}

/* ---- The one-line form ---- */

static void
line_ids(struct l2tp_sink *s, const struct l2tp_msg *m)
{
	if (m->version == 3 && m->control) {
		PUTL(s, " ccid ");
		put_u64(s, m->tunnel);
	} else if (m->version == 3) {
		PUTL(s, " session ");
		put_u64(s, m->session);
		if (m->cookie.len) {
			PUTL(s, " cookie ");
			put_hexbytes(s, m->cookie.p, m->cookie.len);
		}
	} else {
		PUTL(s, " tunnel ");
		put_u64(s, m->tunnel);
		PUTL(s, " session ");
		put_u64(s, m->session);
	}
	if (m->has_seq) {
		PUTL(s, " Ns ");
		put_u64(s, m->ns);
		PUTL(s, " Nr ");
		put_u64(s, m->nr);
	} else if (m->has_sublayer && m->sublayer_s) {
		PUTL(s, " seq ");
		put_u64(s, m->sublayer_seq);
	}
}

static void
put_version(struct l2tp_sink *s, const struct l2tp_msg *m)
{
	if (m->version == 2)
		PUTL(s, "L2TPv2");
	else if (m->version == 3)
		l2tp_sink_puts(s, m->transport == L2TP_IP ? "L2TPv3/IP"
		                                          : "L2TPv3");
	else if (m->version == 1)
		PUTL(s, "L2F");
	else {
		PUTL(s, "L2TP version ");
		put_u64(s, m->version);
	}
}

static void
line_problems(struct l2tp_sink *s, const struct l2tp_print_opts *po,
              const struct l2tp_msg *m, const struct l2tp_ppp *pp)
{
	for (size_t i = 0; i < m->nproblems; i++)
		put_problem_brackets(s, po,
		                     l2tp_fault_name(m->problems[i].kind),
		                     m->problems[i].what);
	if (m->problems_dropped) {
		PUTL(s, " [+");
		put_u64(s, m->problems_dropped);
		PUTL(s, " more]");
	}
	if (pp && pp->fault != L2TP_FAULT_NONE)
		put_problem_brackets(s, po, l2tp_fault_name(pp->fault),
		                     pp->what);
}

void
l2tp_print_line(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false;

	line_prefix(s, po, meta);
	put_version(s, m);
	if (m->version != 2 && m->version != 3)
		goto out;
	if (m->control)
		PUTL(s, " control");
	else
		PUTL(s, " data");
	if (m->hdr_len == 0)
		goto out;
	if (m->control) {
		putch(s, ' ');
		color(s, po, C_MSG);
		char nb[24];
		const char *why = NULL,
		           *name = msg_label(m, nb, sizeof(nb), &why);

		put_str(s, name ? name : why);
		color(s, po, C_OFF);
	}
	line_ids(s, m);
	if (m->control) {
		bool first = true;

		for (size_t i = 0; i < m->navps; i++) {
			const struct l2tp_avp *a = &m->avps[i];
			const struct pinfo *pi = pinfo(a->vendor, a->type);

			if (pi && pi->line == L_SKIP && i == 0)
				continue;
			put_str(s, first ? ": " : ", ");
			first = false;
			avp_short(s, po, a);
		}
	} else if ((have_pp = read_payload(m, &pp))) {
		PUTL(s, ": ");
		ppp_short(s, &pp);
	}
out:
	line_problems(s, po, m, have_pp ? &pp : NULL);
	putch(s, '\n');
}

/* ---- The tree form ---- */

static void
tree_head(struct l2tp_sink *s, const struct l2tp_print_opts *po,
          const struct l2tp_pkt_meta *meta, size_t dgram_len)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	if (meta == NULL)
		return;
	if (meta->frame) {
		PUTL(s, "Frame ");
		put_u64(s, meta->frame);
		PUTL(s, ": ");
	}
	if (meta->frame || meta->ts_sec || meta->ts_usec)
		put_time(s, po, meta);
	if (fr && fr->src.family) {
		putch(s, ' ');
		put_ipaddr(s, &fr->src);
		if (has_ports(fr)) {
			putch(s, '.');
			put_u64(s, fr->sport);
		}
		PUTL(s, " > ");
		put_ipaddr(s, &fr->dst);
		if (has_ports(fr)) {
			putch(s, '.');
			put_u64(s, fr->dport);
		}
		l2tp_sink_puts(s,
		               fr->ipproto == 17 ? " (UDP" : " (IP protocol ");
		if (fr->ipproto != 17)
			put_u64(s, fr->ipproto);
		if (fr->nvlan) {
			PUTL(s, ", VLAN");
			for (uint8_t i = 0; i < fr->nvlan; i++) {
				putch(s, ' ');
				put_u64(s, fr->vlan[i]);
			}
		}
		if (fr->pppoe) {
			PUTL(s, ", PPPoE session ");
			put_hexn(s, fr->pppoe_session, 4);
		}
		if (fr->reassembled) {
			PUTL(s, ", reassembled from ");
			put_u64(s, fr->nfrags);
			PUTL(s, " fragments");
		}
		PUTL(s, ", ");
		put_u64(s, dgram_len);
		PUTL(s, " bytes)");
	}
	putch(s, '\n');
}

/* "T=1 control" or "T=0": constant strings, so each is a fixed copy. */
#define TREE_FLAG(s, sep, on, name, what)                                      \
	do {                                                                   \
		if (on)                                                        \
			PUTL(s, sep name "=1 " what);                          \
		else                                                           \
			PUTL(s, sep name "=0");                                \
	} while (0)

/* "    Key: value\n" */
#define TREE_KV(s, key, v)                                                     \
	do {                                                                   \
		PUTL(s, "    " key ": ");                                      \
		put_u64(s, (v));                                               \
		putch(s, '\n');                                                \
	} while (0)

static void
tree_avp(struct l2tp_sink *s, const struct l2tp_print_opts *po,
         const struct l2tp_msg *m, size_t i)
{
	const struct l2tp_avp *a = &m->avps[i];
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	const char *vn = l2tp_vendor_name(a->vendor);

	PUTL(s, "    AVP ");
	put_u64(s, i);
	putch(s, ' ');
	if (ai) {
		put_str(s, ai->name);
		PUTL(s, " (vendor ");
		put_u64(s, a->vendor);
		if (a->vendor) {
			putch(s, ' ');
			put_str(s, vn ? vn : "unknown");
		}
		PUTL(s, ", type ");
		put_u64(s, a->type);
		putch(s, ')');
	} else if (a->vendor == 0) {
		PUTL(s, "AVP-#");
		put_u64(s, a->type);
		PUTL(s, " (vendor 0, type ");
		put_u64(s, a->type);
		PUTL(s, ", unknown)");
	} else {
		PUTL(s, "vendor ");
		put_u64(s, a->vendor);
		PUTL(s, " type ");
		put_u64(s, a->type);
		if (vn) {
			PUTL(s, " (");
			put_str(s, vn);
			PUTL(s, ", unknown)");
		} else {
			PUTL(s, " (unknown)");
		}
	}
	put_str(s, a->m ? " M=1" : " M=0");
	if (a->h) {
		color(s, po, C_HID);
		PUTL(s, " H=1");
		color(s, po, C_OFF);
	} else {
		PUTL(s, " H=0");
	}
	if (a->rsvd) {
		PUTL(s, " rsvd=");
		put_hexn(s, a->rsvd, 1);
	}
	PUTL(s, " length ");
	put_u64(s, a->len);
	PUTL(s, ": ");
	avp_value_words(s, a, m->msg_type);
	putch(s, '\n');
}

static void
tree_ip(struct l2tp_sink *s, const char *ind, const struct l2tp_ppp_ip *ip)
{
	const char *t;

	put_str(s, ind);
	put_str(s, ip->family == 4 ? "IPv4 " : "IPv6 ");
	put_ip_addrs(s, ip);
	PUTL(s, ", protocol ");
	put_u64(s, ip->proto);
	if ((t = l2tp_ppp_ipproto_name(ip->proto)) != NULL) {
		PUTL(s, " (");
		put_str(s, t);
		putch(s, ')');
	}
	l2tp_sink_puts(s, ip->family == 4 ? ", total length "
	                                  : ", payload length ");
	put_u64(s, ip->len);
	put_str(s, ip->family == 4 ? ", TTL " : ", hop limit ");
	put_u64(s, ip->ttl);
	if (ip->frag)
		PUTL(s, ", fragment");
	if (ip->has_icmp) {
		PUTL(s, ", ICMP type ");
		put_u64(s, ip->icmp_type);
		if ((t = l2tp_ppp_icmp_name(ip->family, ip->icmp_type))) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, " code ");
		put_u64(s, ip->icmp_code);
	}
	putch(s, '\n');
}

static void
tree_payload(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, "    Ethernet: ");
		put_mac(s, pp->eth_src);
		PUTL(s, " > ");
		put_mac(s, pp->eth_dst);
		for (uint8_t i = 0; i < pp->nvlan; i++) {
			PUTL(s, ", VLAN ");
			put_u64(s, pp->vlan[i]);
		}
		if (pp->kind != L2TP_PPP_K_NONE) {
			PUTL(s, ", type ");
			put_hexn(s, pp->ethertype, 4);
			if ((t = l2tp_ppp_ethertype_name(pp->ethertype))) {
				PUTL(s, " (");
				put_str(s, t);
				putch(s, ')');
			}
		}
		PUTL(s, ", ");
		put_u64(s, pp->total);
		PUTL(s, " bytes\n");
		if (pp->kind == L2TP_PPP_K_IP)
			tree_ip(s, "      ", &pp->ip);
		else if (pp->kind == L2TP_PPP_K_ARP) {
			PUTL(s, "      ARP operation ");
			put_u64(s, pp->arp_op);
			put_str(s, pp->arp_op == 1   ? " (request)"
			           : pp->arp_op == 2 ? " (reply)"
			                             : "");
			if (!pp->arp_addrs) {
				putch(s, '\n');
				return;
			}
			PUTL(s, ", sender ");
			put_mac(s, pp->arp_sha);
			putch(s, ' ');
			put_ipv4(s, pp->arp_spa);
			PUTL(s, ", target ");
			put_mac(s, pp->arp_tha);
			putch(s, ' ');
			put_ipv4(s, pp->arp_tpa);
			putch(s, '\n');
		}
		return;
	}
	PUTL(s, "    PPP: ");
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0) {
		put_u64(s, pp->total);
		PUTL(s, " bytes\n");
		return;
	}
	put_str(s, pp->has_ac ? "address/control 0xff03, "
	                      : "address/control compressed, ");
	PUTL(s, "protocol ");
	put_hexn(s, pp->proto, 4);
	if ((t = l2tp_ppp_proto_name(pp->proto)) != NULL) {
		PUTL(s, " (");
		put_str(s, t);
		putch(s, ')');
	}
	if (pp->proto_short)
		PUTL(s, ", protocol field compressed");
	PUTL(s, ", ");
	put_u64(s, pp->total);
	PUTL(s, " bytes\n");
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		if (!pp->has_code)
			return;
		PUTL(s, "      Code ");
		put_u64(s, pp->code);
		PUTL(s, " (");
		put_code_name(s, pp->proto, pp->code);
		PUTL(s, "), Identifier ");
		put_u64(s, pp->id);
		PUTL(s, ", Length ");
		put_u64(s, pp->length);
		putch(s, '\n');
		break;
	case L2TP_PPP_K_IP:
		tree_ip(s, "      ", &pp->ip);
		return;
	default:
		return;
	}
	for (size_t i = 0; i < pp->nopts; i++) {
		const struct l2tp_ppp_opt *o = &pp->opts[i];

		PUTL(s, "      Option ");
		put_u64(s, o->type);
		if ((t = l2tp_ppp_opt_name(pp->proto, o->type)) != NULL) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		PUTL(s, " length ");
		put_u64(s, o->len);
		PUTL(s, ": ");
		put_ppp_opt_value(s, pp->proto, o, true);
		putch(s, '\n');
	}
	if (pp->opts_cut)
		PUTL(s, "      (more options not shown)\n");
	if (pp->has_magic) {
		PUTL(s, "      Magic-Number ");
		put_hexn(s, pp->magic, 8);
		putch(s, '\n');
	}
	if (pp->has_rejected) {
		PUTL(s, "      Rejected protocol ");
		put_hexn(s, pp->rejected_proto, 4);
		if ((t = l2tp_ppp_proto_name(pp->rejected_proto))) {
			PUTL(s, " (");
			put_str(s, t);
			putch(s, ')');
		}
		putch(s, '\n');
	}
	if (pp->has_rejected_code) {
		PUTL(s, "      Rejected code ");
		put_u64(s, pp->rejected_code);
		putch(s, '\n');
	}
	if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
		PUTL(s, "      Peer-ID ");
		put_quoted(s, pp->name.p, pp->name.len, (size_t)-1);
		PUTL(s, ", Password (");
		put_u64(s, pp->secret.len);
		PUTL(s, " bytes)\n");
	} else if (pp->kind == L2TP_PPP_K_CHAP &&
	           (pp->code == 1 || pp->code == 2)) {
		PUTL(s, "      Value ");
		put_hexbytes(s, pp->secret.p, pp->secret.len);
		PUTL(s, ", Name ");
		put_quoted(s, pp->name.p, pp->name.len, (size_t)-1);
		putch(s, '\n');
	} else if (pp->text.len &&
	           (pp->kind != L2TP_PPP_K_CP || pp->code == 5 ||
	            pp->code == 6 || pp->code == 12)) {
		PUTL(s, "      Message ");
		put_quoted(s, pp->text.p, pp->text.len, (size_t)-1);
		putch(s, '\n');
	} else if (pp->text.len) {
		PUTL(s, "      Data ");
		put_hexbytes(s, pp->text.p, pp->text.len);
		putch(s, '\n');
	}
}

static void
tree_problem(struct l2tp_sink *s, const struct l2tp_print_opts *po,
             const char *kind, const char *what)
{
	PUTL(s, "    Problem: ");
	color(s, po, C_ERR);
	put_str(s, kind);
	color(s, po, C_OFF);
	PUTL(s, ": ");
	put_str(s, what);
	putch(s, '\n');
}

void
l2tp_print_tree(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false;
	uint16_t f = m->flags;

	tree_head(s, po, meta, m->wire_len);
	PUTL(s, "  ");
	put_version(s, m);
	if (m->version == 2 || m->version == 3) {
		l2tp_sink_puts(s, m->control ? " control message"
		                             : " data message");
		if (m->control && m->hdr_len) {
			const struct l2tp_msg_info *mi =
			    l2tp_msg_info(m->msg_type);

			char nb[24];
			const char *why = NULL,
			           *name = msg_label(m, nb, sizeof(nb), &why);

			putch(s, ' ');
			color(s, po, C_MSG);
			put_str(s, name ? name : why);
			color(s, po, C_OFF);
			if (mi) {
				PUTL(s, " (");
				put_str(s, mi->long_name);
				putch(s, ')');
			}
		}
	}
	putch(s, '\n');
	if (m->transport == L2TP_IP && m->version == 3) {
		PUTL(s, "    Session ID: ");
		put_u64(s, m->control ? 0 : m->session);
		put_str(s, m->control ? " (control)\n" : "\n");
	}
	if (m->version == 2 ||
	    (m->version == 3 && (m->control || m->transport == L2TP_UDP))) {
		PUTL(s, "    Flags: ");
		put_hexn(s, f, 4);
		PUTL(s, " (");
		TREE_FLAG(s, "", f & L2TP_F_T, "T", "control");
		TREE_FLAG(s, ", ", f & L2TP_F_L, "L", "length");
		TREE_FLAG(s, ", ", f & L2TP_F_S, "S", "sequence");
		if (m->version == 2) {
			TREE_FLAG(s, ", ", f & L2TP_F_O, "O", "offset");
			TREE_FLAG(s, ", ", f & L2TP_F_P, "P", "priority");
			if (f & L2TP_F_RSVD_V2) {
				PUTL(s, ", reserved ");
				put_hexn(s, f & L2TP_F_RSVD_V2, 4);
			}
		}
		PUTL(s, "), version ");
		put_u64(s, f & L2TP_F_VER);
		putch(s, '\n');
	}
	if (m->hdr_len == 0)
		goto problems;
	if (m->has_length)
		TREE_KV(s, "Length", m->length);
	if (m->version == 2) {
		TREE_KV(s, "Tunnel ID", m->tunnel);
		TREE_KV(s, "Session ID", m->session);
	} else if (m->control) {
		TREE_KV(s, "Control Connection ID", m->tunnel);
	} else if (m->transport == L2TP_UDP) {
		TREE_KV(s, "Session ID", m->session);
	}
	if (m->has_seq) {
		TREE_KV(s, "Ns", m->ns);
		TREE_KV(s, "Nr", m->nr);
	}
	if (m->has_offset)
		TREE_KV(s, "Offset Size", m->offset_size);
	if (m->version == 3 && !m->control) {
		PUTL(s, "    Cookie: ");
		if (m->cookie.len)
			put_hexbytes(s, m->cookie.p, m->cookie.len);
		else
			PUTL(s, "(none)");
		putch(s, '\n');
		if (m->has_sublayer) {
			PUTL(s, "    L2-Specific Sublayer: S=");
			putch(s, m->sublayer_s ? '1' : '0');
			PUTL(s, ", Sequence Number ");
			put_u64(s, m->sublayer_seq);
			putch(s, '\n');
		}
	}
	if (m->control) {
		char nb[24];
		const char *why;

		if (m->navps == 0 && msg_label(m, nb, sizeof(nb), &why))
			PUTL(s, "    (no AVPs: Zero-Length Body, an "
			        "acknowledgement)\n");
		for (size_t i = 0; i < m->navps; i++)
			tree_avp(s, po, m, i);
	} else if ((have_pp = read_payload(m, &pp))) {
		tree_payload(s, &pp);
	}
problems:
	for (size_t i = 0; i < m->nproblems; i++)
		tree_problem(s, po, l2tp_fault_name(m->problems[i].kind),
		             m->problems[i].what);
	if (m->problems_dropped) {
		PUTL(s, "    Problem: ");
		put_u64(s, m->problems_dropped);
		PUTL(s, " more not recorded\n");
	}
	if (have_pp && pp.fault != L2TP_FAULT_NONE)
		tree_problem(s, po, l2tp_fault_name(pp.fault), pp.what);
}

/* ---- JSON ---- */

static void
json_time(struct l2tp_sink *s, const struct l2tp_pkt_meta *meta)
{
	int64_t sec = meta->ts_sec;
	uint32_t us = meta->ts_usec % 1000000u;
	char b[7];

	/* A negative time t.us means -(|sec| - us) seconds: keep it exact. */
	if (sec < 0 && us) {
		sec += 1;
		us = 1000000u - us;
		if (sec == 0)
			putch(s, '-');
	}
	put_i64(s, sec);
	b[0] = '.';
	for (int i = 6; i >= 1; i--) {
		b[i] = (char)('0' + us % 10);
		us /= 10;
	}
	put(s, b, 7);
}

/* The common keys: frame, time, addresses, ports, transport, VLANs. */
static void
json_head(struct l2tp_sink *s, const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	PUTL(s, "{\"frame\":");
	if (meta && meta->frame)
		put_u64(s, meta->frame);
	else
		PUTL(s, "null");
	PUTL(s, ",\"time\":");
	if (meta)
		json_time(s, meta);
	else
		PUTL(s, "null");
	if (fr && fr->src.family) {
		PUTL(s, ",\"src\":\"");
		put_ipaddr(s, &fr->src);
		PUTL(s, "\",\"sport\":");
		if (has_ports(fr))
			put_u64(s, fr->sport);
		else
			PUTL(s, "null");
		PUTL(s, ",\"dst\":\"");
		put_ipaddr(s, &fr->dst);
		PUTL(s, "\",\"dport\":");
		if (has_ports(fr))
			put_u64(s, fr->dport);
		else
			PUTL(s, "null");
	} else {
		PUTL(s, ",\"src\":null,\"sport\":null,\"dst\":null,"
		        "\"dport\":null");
	}
	if (fr) {
		PUTL(s, ",\"transport\":");
		if (fr->ipproto == 17)
			PUTL(s, "\"udp\"");
		else if (fr->ipproto == 115)
			PUTL(s, "\"ip\"");
		else if (fr->ipproto)
			put_u64(s, fr->ipproto);
		else
			PUTL(s, "null");
		if (fr->nvlan) {
			PUTL(s, ",\"vlan\":[");
			for (uint8_t i = 0; i < fr->nvlan; i++) {
				if (i)
					putch(s, ',');
				put_u64(s, fr->vlan[i]);
			}
			putch(s, ']');
		}
		if (fr->pppoe) {
			PUTL(s, ",\"pppoe_session\":");
			put_u64(s, fr->pppoe_session);
		}
		if (fr->reassembled) {
			PUTL(s, ",\"fragments\":");
			put_u64(s, fr->nfrags);
		}
		if (fr->kind == L2TP_FRAME_L2TP) {
			PUTL(s, ",\"caplen\":");
			put_u64(s, fr->caplen);
			PUTL(s, ",\"wirelen\":");
			put_u64(s, fr->wirelen);
		}
	}
}

static void
json_bool(struct l2tp_sink *s, bool b)
{
	if (b)
		PUTL(s, "true");
	else
		PUTL(s, "false");
}

static void
json_text_or_null(struct l2tp_sink *s, const char *t)
{
	if (t)
		json_safe(s, t);
	else
		PUTL(s, "null");
}

static void
json_value(struct l2tp_sink *s, const struct l2tp_avp *a,
           const struct l2tp_value *v, int rc, int msg_type)
{
	const struct pinfo *pi = pinfo(a->vendor, a->type);

	if (rc < 0) {
		json_hex(s, v->b);
		return;
	}
	switch (v->kind) {
	case L2TP_V_BYTES:
		json_hex(s, v->b);
		break;
	case L2TP_V_STRING:
		json_bytes_str(s, v->b);
		break;
	case L2TP_V_EMPTY:
		PUTL(s, "null");
		break;
	case L2TP_V_U16:
	case L2TP_V_U32:
	case L2TP_V_U64:
	case L2TP_V_MSGTYPE:
	case L2TP_V_PROXY_TYPE:
		if (pi && pi->fmt == F_HEX64) {
			/* An opaque 64-bit value: JSON numbers lose bits
			 * above 2^53, so it is a hex string. */
			char b[16];

			for (int i = 0; i < 16; i++)
				b[i] = hexd[(v->u >> (60 - 4 * i)) & 0xf];
			putch(s, '"');
			put(s, b, 16);
			putch(s, '"');
		} else {
			put_u64(s, v->u);
		}
		break;
	case L2TP_V_RESULT:
		PUTL(s, "{\"result\":");
		put_u64(s, v->result);
		PUTL(s, ",\"result_text\":");
		json_text_or_null(s, result_text(msg_type, v->result));
		PUTL(s, ",\"error\":");
		if (v->has_error) {
			put_u64(s, v->error);
			PUTL(s, ",\"error_text\":");
			json_text_or_null(s, l2tp_error_text(v->error));
		} else {
			PUTL(s, "null,\"error_text\":null");
		}
		PUTL(s, ",\"message\":");
		if (v->has_message)
			json_bytes_str(s, v->b);
		else
			PUTL(s, "null");
		putch(s, '}');
		break;
	case L2TP_V_PROTOVER:
		PUTL(s, "{\"version\":");
		put_u64(s, v->u);
		PUTL(s, ",\"revision\":");
		put_u64(s, v->rev);
		putch(s, '}');
		break;
	case L2TP_V_FRAMING:
		PUTL(s, "{\"bits\":");
		put_u64(s, v->u);
		PUTL(s, ",\"sync\":");
		json_bool(s, v->u & 1);
		PUTL(s, ",\"async\":");
		json_bool(s, v->u & 2);
		putch(s, '}');
		break;
	case L2TP_V_BEARER:
		PUTL(s, "{\"bits\":");
		put_u64(s, v->u);
		PUTL(s, ",\"digital\":");
		json_bool(s, v->u & 1);
		PUTL(s, ",\"analog\":");
		json_bool(s, v->u & 2);
		putch(s, '}');
		break;
	case L2TP_V_Q931:
		PUTL(s, "{\"cause\":");
		put_u64(s, v->u);
		PUTL(s, ",\"cause_text\":");
		json_text_or_null(s, l2tp_q931_cause_text((uint16_t)v->u));
		PUTL(s, ",\"msg\":");
		put_u64(s, v->q931_msg);
		PUTL(s, ",\"advisory\":");
		json_bytes_str(s, v->b);
		putch(s, '}');
		break;
	case L2TP_V_CALL_ERRORS: {
		static const char *const n[6] = {"{\"crc\":",
		                                 ",\"framing\":",
		                                 ",\"hardware_overruns\":",
		                                 ",\"buffer_overruns\":",
		                                 ",\"timeouts\":",
		                                 ",\"alignment\":"};

		for (int i = 0; i < 6; i++) {
			put_str(s, n[i]);
			put_u64(s, v->errs[i]);
		}
		putch(s, '}');
		break;
	}
	case L2TP_V_ACCM:
		PUTL(s, "{\"send\":");
		put_u64(s, v->send_accm);
		PUTL(s, ",\"recv\":");
		put_u64(s, v->recv_accm);
		putch(s, '}');
		break;
	case L2TP_V_PPP_DISC:
		PUTL(s, "{\"code\":");
		put_u64(s, v->u);
		PUTL(s, ",\"protocol\":");
		put_u64(s, v->ppp_proto);
		PUTL(s, ",\"direction\":");
		put_u64(s, v->ppp_dir);
		PUTL(s, ",\"message\":");
		json_bytes_str(s, v->b);
		putch(s, '}');
		break;
	}
}

static void
json_avp(struct l2tp_sink *s, const struct l2tp_avp *a, int msg_type)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(a->vendor, a->type);
	struct l2tp_value v;
	int rc;

	PUTL(s, "{\"vendor\":");
	put_u64(s, a->vendor);
	PUTL(s, ",\"type\":");
	put_u64(s, a->type);
	PUTL(s, ",\"name\":");
	if (ai) {
		json_safe(s, ai->name);
		PUTL(s, ",\"key\":");
		json_safe(s, ai->key);
	} else {
		char nb[32];

		json_safe(s, l2tp_avp_name(a->vendor, a->type, nb, sizeof(nb)));
		PUTL(s, ",\"key\":null");
	}
	PUTL(s, ",\"mandatory\":");
	json_bool(s, a->m);
	PUTL(s, ",\"hidden\":");
	json_bool(s, a->h);
	PUTL(s, ",\"length\":");
	put_u64(s, a->len);
	if (a->rsvd) {
		PUTL(s, ",\"reserved\":");
		put_u64(s, a->rsvd);
	}
	if (a->h) {
		PUTL(s, ",\"decrypted\":");
		json_bool(s, a->decrypted);
		if (a->decrypted) {
			PUTL(s, ",\"secret\":");
			put_u64(s, (uint64_t)a->secret_idx + 1);
		}
	}
	PUTL(s, ",\"value\":");
	rc = l2tp_avp_value(a, &v);
	if (a->h && !a->decrypted)
		json_hex(s, a->value);
	else
		json_value(s, a, &v, rc, msg_type);
	putch(s, '}');
}

static void
json_ip(struct l2tp_sink *s, const struct l2tp_ppp_ip *ip)
{
	PUTL(s, "{\"version\":");
	put_u64(s, ip->family);
	PUTL(s, ",\"src\":\"");
	if (ip->family == 4)
		put_ipv4(s, ip->src);
	else
		put_ipv6(s, ip->src);
	PUTL(s, "\",\"dst\":\"");
	if (ip->family == 4)
		put_ipv4(s, ip->dst);
	else
		put_ipv6(s, ip->dst);
	PUTL(s, "\",\"protocol\":");
	put_u64(s, ip->proto);
	PUTL(s, ",\"length\":");
	put_u64(s, ip->len);
	PUTL(s, ",\"ttl\":");
	put_u64(s, ip->ttl);
	if (ip->frag)
		PUTL(s, ",\"fragment\":true");
	if (ip->has_ports) {
		PUTL(s, ",\"sport\":");
		put_u64(s, ip->sport);
		PUTL(s, ",\"dport\":");
		put_u64(s, ip->dport);
	}
	if (ip->has_icmp) {
		PUTL(s, ",\"icmp_type\":");
		put_u64(s, ip->icmp_type);
		PUTL(s, ",\"icmp_code\":");
		put_u64(s, ip->icmp_code);
	}
	putch(s, '}');
}

static void
json_mac(struct l2tp_sink *s, const uint8_t *m)
{
	putch(s, '"');
	put_mac(s, m);
	putch(s, '"');
}

static void
json_ppp_opt_value(struct l2tp_sink *s, uint16_t proto,
                   const struct l2tp_ppp_opt *o)
{
	struct rd r;
	uint16_t u16;
	uint32_t u32;

	rd_init(&r, o->val.p, o->val.len);
	switch (l2tp_ppp_opt_kind(proto, o->type)) {
	case L2TP_PPP_O_U16:
		if (o->val.len == 2 && rd_u16(&r, &u16) == 0) {
			put_u64(s, u16);
			return;
		}
		break;
	case L2TP_PPP_O_HEX32:
		if (o->val.len == 4 && rd_u32(&r, &u32) == 0) {
			put_u64(s, u32);
			return;
		}
		break;
	case L2TP_PPP_O_AUTH:
	case L2TP_PPP_O_PROTO:
		if (rd_u16(&r, &u16) < 0)
			break;
		PUTL(s, "{\"protocol\":");
		put_u64(s, u16);
		PUTL(s, ",\"data\":\"");
		put_hexbytes(s, r.p, r.left);
		PUTL(s, "\"}");
		return;
	case L2TP_PPP_O_EMPTY:
		if (o->val.len == 0) {
			PUTL(s, "null");
			return;
		}
		break;
	case L2TP_PPP_O_IPV4:
		if (o->val.len == 4) {
			putch(s, '"');
			put_ipv4(s, o->val.p);
			putch(s, '"');
			return;
		}
		break;
	case L2TP_PPP_O_IFID:
	case L2TP_PPP_O_BYTES:
		break;
	}
	json_hex(s, o->val);
}

static void
json_payload(struct l2tp_sink *s, const struct l2tp_ppp *pp)
{
	const char *t;

	if (pp->eth) {
		PUTL(s, ",\"ethernet\":{\"src\":");
		json_mac(s, pp->eth_src);
		PUTL(s, ",\"dst\":");
		json_mac(s, pp->eth_dst);
		if (pp->nvlan) {
			PUTL(s, ",\"vlan\":[");
			for (uint8_t i = 0; i < pp->nvlan; i++) {
				if (i)
					putch(s, ',');
				put_u64(s, pp->vlan[i]);
			}
			putch(s, ']');
		}
		PUTL(s, ",\"ethertype\":");
		if (pp->kind == L2TP_PPP_K_NONE)
			PUTL(s, "null");
		else
			put_u64(s, pp->ethertype);
		PUTL(s, ",\"length\":");
		put_u64(s, pp->total);
		if (pp->kind == L2TP_PPP_K_IP) {
			PUTL(s, ",\"ip\":");
			json_ip(s, &pp->ip);
		} else if (pp->kind == L2TP_PPP_K_ARP && !pp->arp_addrs) {
			PUTL(s, ",\"arp\":{\"op\":");
			put_u64(s, pp->arp_op);
			putch(s, '}');
		} else if (pp->kind == L2TP_PPP_K_ARP) {
			PUTL(s, ",\"arp\":{\"op\":");
			put_u64(s, pp->arp_op);
			PUTL(s, ",\"sender_mac\":");
			json_mac(s, pp->arp_sha);
			PUTL(s, ",\"sender_ip\":\"");
			put_ipv4(s, pp->arp_spa);
			PUTL(s, "\",\"target_mac\":");
			json_mac(s, pp->arp_tha);
			PUTL(s, ",\"target_ip\":\"");
			put_ipv4(s, pp->arp_tpa);
			PUTL(s, "\"}");
		}
		putch(s, '}');
		return;
	}
	PUTL(s, ",\"ppp\":{\"length\":");
	put_u64(s, pp->total);
	if (pp->kind == L2TP_PPP_K_NONE && pp->proto == 0) {
		putch(s, '}');
		return;
	}
	PUTL(s, ",\"address_control\":");
	json_bool(s, pp->has_ac);
	PUTL(s, ",\"protocol\":");
	put_u64(s, pp->proto);
	PUTL(s, ",\"protocol_name\":");
	json_text_or_null(s, l2tp_ppp_proto_name(pp->proto));
	switch (pp->kind) {
	case L2TP_PPP_K_CP:
	case L2TP_PPP_K_PAP:
	case L2TP_PPP_K_CHAP:
		if (!pp->has_code) {
			putch(s, '}');
			return;
		}
		PUTL(s, ",\"code\":");
		put_u64(s, pp->code);
		PUTL(s, ",\"code_name\":");
		json_text_or_null(s, l2tp_ppp_code_name(pp->proto, pp->code));
		PUTL(s, ",\"id\":");
		put_u64(s, pp->id);
		PUTL(s, ",\"ppp_length\":");
		put_u64(s, pp->length);
		break;
	case L2TP_PPP_K_IP:
		PUTL(s, ",\"ip\":");
		json_ip(s, &pp->ip);
		break;
	default:
		break;
	}
	if (pp->kind == L2TP_PPP_K_CP && pp->code >= 1 && pp->code <= 4) {
		PUTL(s, ",\"options\":[");
		for (size_t i = 0; i < pp->nopts; i++) {
			const struct l2tp_ppp_opt *o = &pp->opts[i];

			if (i)
				putch(s, ',');
			PUTL(s, "{\"type\":");
			put_u64(s, o->type);
			PUTL(s, ",\"name\":");
			t = l2tp_ppp_opt_name(pp->proto, o->type);
			json_text_or_null(s, t);
			PUTL(s, ",\"length\":");
			put_u64(s, o->len);
			PUTL(s, ",\"value\":");
			json_ppp_opt_value(s, pp->proto, o);
			putch(s, '}');
		}
		putch(s, ']');
	}
	if (pp->has_magic) {
		PUTL(s, ",\"magic\":");
		put_u64(s, pp->magic);
	}
	if (pp->has_rejected) {
		PUTL(s, ",\"rejected_protocol\":");
		put_u64(s, pp->rejected_proto);
	}
	if (pp->has_rejected_code) {
		PUTL(s, ",\"rejected_code\":");
		put_u64(s, pp->rejected_code);
	}
	if (pp->kind == L2TP_PPP_K_PAP && pp->code == 1) {
		PUTL(s, ",\"peer_id\":");
		json_bytes_str(s, pp->name);
		PUTL(s, ",\"password_length\":");
		put_u64(s, pp->secret.len);
	} else if (pp->kind == L2TP_PPP_K_CHAP &&
	           (pp->code == 1 || pp->code == 2)) {
		PUTL(s, ",\"value\":");
		json_hex(s, pp->secret);
		PUTL(s, ",\"name\":");
		json_bytes_str(s, pp->name);
	} else if (pp->kind == L2TP_PPP_K_PAP || pp->kind == L2TP_PPP_K_CHAP) {
		PUTL(s, ",\"message\":");
		json_bytes_str(s, pp->text);
	} else if (pp->kind == L2TP_PPP_K_CP && pp->text.len) {
		/* Terminate and Identification carry text; the rest bytes */
		if (pp->code == 5 || pp->code == 6 || pp->code == 12) {
			PUTL(s, ",\"message\":");
			json_bytes_str(s, pp->text);
		} else {
			PUTL(s, ",\"data\":");
			json_hex(s, pp->text);
		}
	}
	putch(s, '}');
}

static void
json_error(struct l2tp_sink *s, bool first, const char *kind, const char *what,
           int avp)
{
	if (!first)
		putch(s, ',');
	PUTL(s, "{\"kind\":\"");
	put_str(s, kind);
	PUTL(s, "\",\"what\":");
	json_str(s, what);
	if (avp >= 0) {
		PUTL(s, ",\"avp\":");
		put_u64(s, (uint64_t)avp);
	}
	putch(s, '}');
}

void
l2tp_print_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                const struct l2tp_pkt_meta *meta, const struct l2tp_msg *m)
{
	struct l2tp_ppp pp;
	bool have_pp = false, first = true;
	const char *name, *why;
	char nb[24];

	(void)po;
	json_head(s, meta);
	PUTL(s, ",\"l2tp\":{\"version\":");
	put_u64(s, m->version);
	PUTL(s, ",\"type\":");
	put_str(s, m->control ? "\"control\"" : "\"data\"");
	PUTL(s, ",\"transport\":");
	put_str(s, m->transport == L2TP_IP ? "\"ip\"" : "\"udp\"");
	if (m->transport == L2TP_UDP || m->control) {
		PUTL(s, ",\"flags\":");
		put_u64(s, m->flags);
	}
	if (m->hdr_len == 0 || (m->version != 2 && m->version != 3)) {
		PUTL(s, ",\"header\":false");
		goto end_l2tp;
	}
	if (m->has_length) {
		PUTL(s, ",\"length\":");
		put_u64(s, m->length);
	}
	if (m->version == 2) {
		PUTL(s, ",\"tunnel\":");
		put_u64(s, m->tunnel);
		PUTL(s, ",\"session\":");
		put_u64(s, m->session);
	} else if (m->control) {
		PUTL(s, ",\"ccid\":");
		put_u64(s, m->tunnel);
		PUTL(s, ",\"session\":0");
	} else {
		PUTL(s, ",\"session\":");
		put_u64(s, m->session);
	}
	if (m->has_seq) {
		PUTL(s, ",\"ns\":");
		put_u64(s, m->ns);
		PUTL(s, ",\"nr\":");
		put_u64(s, m->nr);
	}
	if (m->has_offset) {
		PUTL(s, ",\"offset_size\":");
		put_u64(s, m->offset_size);
	}
	if (m->version == 3 && !m->control) {
		PUTL(s, ",\"cookie\":");
		json_hex(s, m->cookie);
		if (m->has_sublayer) {
			PUTL(s, ",\"sublayer\":{\"s\":");
			json_bool(s, m->sublayer_s);
			PUTL(s, ",\"seq\":");
			put_u64(s, m->sublayer_seq);
			putch(s, '}');
		}
	}
	PUTL(s, ",\"message\":");
	if (!m->control) {
		PUTL(s, "null");
	} else if ((name = msg_label(m, nb, sizeof(nb), &why)) != NULL) {
		json_safe(s, name);
		if (m->msg_type >= 0) {
			PUTL(s, ",\"message_type\":");
			put_u64(s, (uint64_t)m->msg_type);
		}
	} else {
		PUTL(s, "null");
	}
	if (m->control) {
		PUTL(s, ",\"avps\":[");
		for (size_t i = 0; i < m->navps; i++) {
			if (i)
				putch(s, ',');
			json_avp(s, &m->avps[i], m->msg_type);
		}
		putch(s, ']');
	} else if ((have_pp = read_payload(m, &pp))) {
		json_payload(s, &pp);
	}
end_l2tp:
	PUTL(s, "},\"errors\":[");
	for (size_t i = 0; i < m->nproblems; i++) {
		json_error(s, first, l2tp_fault_name(m->problems[i].kind),
		           m->problems[i].what, m->problems[i].avp);
		first = false;
	}
	if (m->problems_dropped) {
		char w[64];

		snprintf(w, sizeof(w), "%zu more problems not recorded",
		         m->problems_dropped);
		json_error(s, first, l2tp_fault_name(m->fault), w, -1);
		first = false;
	}
	if (have_pp && pp.fault != L2TP_FAULT_NONE)
		json_error(s, first, l2tp_fault_name(pp.fault), pp.what, -1);
	PUTL(s, "]}\n");
}

/* ---- Frames that are not L2TP but reported ---- */

static const char *
frame_kind_name(enum l2tp_frame_kind k)
{
	switch (k) {
	case L2TP_FRAME_FRAGMENT:
		return "fragment";
	case L2TP_FRAME_TRUNCATED:
		return "truncated";
	case L2TP_FRAME_MALFORMED:
		return "malformed";
	case L2TP_FRAME_UNSUPPORTED:
		return "unsupported";
	case L2TP_FRAME_OTHER:
		return "other";
	case L2TP_FRAME_L2TP:
		return "l2tp";
	}
	return "unknown";
}

static const char *
frame_what(const struct l2tp_frame *fr)
{
	if (fr->why[0])
		return fr->why;
	return fr->kind == L2TP_FRAME_FRAGMENT ? "IP fragment"
	                                       : "not an L2TP datagram";
}

void
l2tp_print_frame_line(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                      const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	line_prefix(s, po, meta);
	if (fr == NULL) {
		PUTL(s, "(no frame)\n");
		return;
	}
	if (fr->kind == L2TP_FRAME_FRAGMENT) {
		PUTL(s, "IP fragment");
		if (fr->ipproto) {
			PUTL(s, " (protocol ");
			put_u64(s, fr->ipproto);
			putch(s, ')');
		}
	} else {
		PUTL(s, "not decoded");
	}
	put_problem_brackets(s, po, frame_kind_name(fr->kind), frame_what(fr));
	putch(s, '\n');
}

void
l2tp_print_frame_json(struct l2tp_sink *s, const struct l2tp_print_opts *po,
                      const struct l2tp_pkt_meta *meta)
{
	const struct l2tp_frame *fr = meta ? meta->fr : NULL;

	(void)po;
	json_head(s, meta);
	PUTL(s, ",\"l2tp\":null,\"errors\":[");
	if (fr)
		json_error(s, true, frame_kind_name(fr->kind), frame_what(fr),
		           -1);
	PUTL(s, "]}\n");
}
