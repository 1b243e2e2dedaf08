/* L2TP wire format: header and AVP parsing and building (RFC 2661 §3-4, RFC
 * 3931 §3-4). */
#ifndef L2TP_L2TP_H
#define L2TP_L2TP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A view into a caller's buffer; the decoder never copies packet bytes. */
struct l2tp_bytes {
	const uint8_t *p;
	size_t len;
};

/* Header flag bits of the first 16-bit word (RFC 2661 §3.1). */
#define L2TP_F_T 0x8000u /* control message */
#define L2TP_F_L 0x4000u /* Length present */
#define L2TP_F_S 0x0800u /* Ns and Nr present */
#define L2TP_F_O 0x0200u /* Offset Size present */
#define L2TP_F_P 0x0100u /* priority */
#define L2TP_F_VER 0x000fu
#define L2TP_F_RSVD_V2 0x34f0u /* bits RFC 2661 reserves */
#define L2TP_F_RSVD_V3 0x37f0u /* control bits RFC 3931 reserves */

/* AVP header bits. */
#define L2TP_AVP_M 0x8000u
#define L2TP_AVP_H 0x4000u
#define L2TP_AVP_RSVD 0x3c00u
#define L2TP_AVP_LEN 0x03ffu
#define L2TP_AVP_HDR 6
#define L2TP_AVP_MAXLEN 1023

#define L2TP_PORT 1701
#define L2TP_IPPROTO 115

/* The kinds of failure, kept apart: an operator needs to know which one
 * it was (the capture cut short, the packet contradicting itself, or valid
 * but unknown). */
enum l2tp_fault {
	L2TP_FAULT_NONE = 0,
	L2TP_FAULT_TRUNCATED,   /* capture shorter than the packet */
	L2TP_FAULT_MALFORMED,   /* the packet contradicts itself */
	L2TP_FAULT_UNSUPPORTED, /* valid but unknown */
	L2TP_FAULT_RFC,         /* decodes, but breaks an RFC rule */
};

const char *l2tp_fault_name(enum l2tp_fault k);

/* One problem found in a packet; `avp` is the AVP index or -1. */
struct l2tp_problem {
	enum l2tp_fault kind;
	int avp;
	char what[112];
};

#define L2TP_MSG_ZLB (-1)
#define L2TP_MSG_NONE (-2)

#define L2TP_MAX_PROBLEMS 8
#define L2TP_MAX_AVPS 128

struct l2tp_avp {
	uint16_t vendor;
	uint16_t type;
	uint16_t len; /* Length field: header included */
	bool m, h;
	uint8_t rsvd;            /* the four reserved bits */
	struct l2tp_bytes raw;   /* the whole AVP, header included */
	struct l2tp_bytes value; /* the value as on the wire */
	/*
	 * For a hidden AVP that was opened with a secret: the recovered value
	 * (a view into the caller's scratch buffer) and the secret's index.
	 */
	bool decrypted;
	int8_t secret_idx;
	struct l2tp_bytes plain;
};

enum l2tp_transport {
	L2TP_UDP = 0, /* L2TPv2 or L2TPv3 over UDP */
	L2TP_IP,      /* L2TPv3 over IP protocol 115 */
};

struct l2tp_msg {
	/* header */
	uint8_t version; /* 2, 3 (1 is L2F, only named) */
	uint16_t flags;  /* the first 16 bits, as on the wire */
	bool control;    /* T bit */
	bool has_length, has_seq, has_offset, priority;
	uint16_t length;
	uint32_t tunnel;  /* v2 Tunnel ID; v3 Control Connection ID */
	uint32_t session; /* v2 Session ID; v3 Session ID */
	uint16_t ns, nr;
	uint16_t offset_size;
	size_t hdr_len; /* bytes up to the first AVP / payload */
	enum l2tp_transport transport;
	/* v3 data only */
	struct l2tp_bytes cookie;
	bool has_sublayer;
	bool sublayer_s;
	uint32_t sublayer_seq;

	/*
	 * control: AVPs in wire order, and the Message Type: L2TP_MSG_ZLB (-1)
	 * when there are no AVPs, L2TP_MSG_NONE (-2) when there are AVPs but
	 * no readable Message Type first (missing, not first, hidden, or of the
	 * wrong length; the problems say which).
	 */
	int msg_type;
	size_t navps;
	struct l2tp_avp avps[L2TP_MAX_AVPS];
	bool avps_cut; /* more AVPs than L2TP_MAX_AVPS */

	/* data: the payload after the header and offset pad */
	struct l2tp_bytes payload;

	/* the bytes this message covers, and how many the capture holds */
	struct l2tp_bytes whole;
	size_t wire_len;

	/* worst fault seen, and every problem in order */
	enum l2tp_fault fault;
	size_t nproblems;
	struct l2tp_problem problems[L2TP_MAX_PROBLEMS];
	size_t problems_dropped;
};

/* Options for the parts the wire does not describe (L2TPv3 data). */
struct l2tp_parse_opts {
	uint8_t v3_cookie_len; /* 0, 4 or 8 */
	bool v3_no_sublayer;   /* default L2-specific sublayer is assumed */
};

/*
 * Parse one L2TP datagram.  `buf` holds `caplen` captured bytes of a datagram
 * whose real length is `wire_len` (the UDP payload or IP payload length; pass
 * caplen when they are the same).  Every problem is recorded in out->problems
 * and the worst in out->fault.  Values point into buf.
 *
 * Returns 0 when the header decoded (AVPs may still carry problems),
 * -L2TP_FAULT_TRUNCATED, -L2TP_FAULT_MALFORMED or -L2TP_FAULT_UNSUPPORTED
 * when not even the header could be read.
 */
int l2tp_parse(const uint8_t *buf, size_t caplen, size_t wire_len,
               enum l2tp_transport tr, const struct l2tp_parse_opts *opts,
               struct l2tp_msg *out);

/*
 * A ZLB: a control header with nothing after it (up to Length when it is
 * smaller than the datagram).  A body whose Message Type is missing, hidden
 * or cut off by the capture is not one.
 */
bool l2tp_msg_is_zlb(const struct l2tp_msg *m);

/*
 * Record a problem on a message (keeps the worst kind in msg->fault).  When
 * L2TP_MAX_PROBLEMS are held, problems_dropped counts the excess and a more
 * serious problem replaces the least serious one held.
 */
void l2tp_problem(struct l2tp_msg *m, enum l2tp_fault kind, int avp,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Find the first AVP of (vendor, type); NULL when absent. */
const struct l2tp_avp *l2tp_find_avp(const struct l2tp_msg *m, uint16_t vendor,
                                     uint16_t type);

/* The value to interpret: the decrypted one for an opened hidden AVP. */
static inline struct l2tp_bytes
l2tp_avp_data(const struct l2tp_avp *a)
{
	return a->decrypted ? a->plain : a->value;
}

/*
 * Open hidden AVPs (RFC 2661 §4.3) with each secret in turn, using the latest
 * Random Vector before each.  Plaintext goes into `scratch` (cap bytes; 64 KiB
 * always suffices).  A hidden AVP that no secret opens (the recovered length
 * does not fit the AVP or the table's bounds for its type) gets an
 * unsupported problem naming it and "(wrong secret?)"; one already opened is
 * left alone, so calling again is harmless.  With no secrets nothing is
 * done.  Returns the number of AVPs opened by this call.
 */
int l2tp_unhide(struct l2tp_msg *m, const char *const *secrets, size_t nsecrets,
                uint8_t *scratch, size_t cap);

/*
 * Hide or unhide one value.  Hiding writes the 2-byte original length, the
 * value and `pad` bytes of padding from `padbytes` (may be NULL when pad is
 * 0), XORed with the keystream, to out; out must hold 2 + len + pad bytes.
 * Unhiding writes the recovered value (without the length field) to out and
 * returns its length, or -1 when the recovered length does not fit.
 */
void l2tp_hide(uint16_t type, const uint8_t *secret, size_t slen,
               const uint8_t *rv, size_t rvlen, const uint8_t *val, size_t len,
               const uint8_t *padbytes, size_t pad, uint8_t *out);
int l2tp_unhide_value(uint16_t type, const uint8_t *secret, size_t slen,
                      const uint8_t *rv, size_t rvlen, const uint8_t *cipher,
                      size_t clen, uint8_t *out);

/* Challenge Response = MD5(id || secret || challenge) (RFC 2661 §4.4.3). */
void l2tp_chap_response(uint8_t id, const uint8_t *secret, size_t slen,
                        const uint8_t *chal, size_t clen, uint8_t out[16]);

/*
 * 16-bit serial comparison (RFC 2661 §5.8, Appendix A): true when a comes
 * before b, i.e. b lies in the 32767 values after a.
 */
static inline bool
l2tp_seq_lt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) < 0;
}

/* ---- Building ---- */

/*
 * A builder writes one message into a caller's buffer.  Errors are sticky:
 * once b->err is set (-1: no room) later calls do nothing and
 * l2tp_build_end() returns -1.
 */
struct l2tp_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
	uint8_t version;
	bool control;
	bool has_length;
	size_t len_off;    /* where the Length field is */
	size_t len_base;   /* bytes before the header Length counts from */
	bool length_fixed; /* length set by hand: do not overwrite */
	uint16_t length_value;
	/* the Random Vector hidden AVPs use (set by l2tp_build_random_vector)
	 */
	const uint8_t *secret;
	size_t slen;
	uint8_t rv[16]; /* its first 16 bytes (kept for callers) */
	size_t rvlen;
	size_t rv_off; /* where its whole value is in buf */
};

/*
 * Start an L2TPv2 control message: flags T, L, S (plus `extra_flags`, for
 * fault injection), then the ids and Ns/Nr.
 */
void l2tp_build_control(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                        uint16_t tunnel, uint16_t session, uint16_t ns,
                        uint16_t nr);
/* Start with a raw flags word; fields follow the flags given. */
void l2tp_build_header(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                       uint16_t flags, uint16_t tunnel, uint16_t session,
                       uint16_t ns, uint16_t nr, uint16_t offset_size);
/* L2TPv2 data message with optional Length, Ns/Nr and Offset. */
void l2tp_build_data(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                     uint16_t flags, uint16_t tunnel, uint16_t session,
                     uint16_t ns, uint16_t nr, uint16_t offset_size,
                     const uint8_t *payload, size_t plen);
/* L2TPv3 control over UDP (ccid, ns, nr) or over IP (session 0 prefix). */
void l2tp_build_v3_control(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                           enum l2tp_transport tr, uint32_t ccid, uint16_t ns,
                           uint16_t nr);

/*
 * L2TPv3 data (RFC 3931 §4.1): over UDP the flags word 0x0003 and 16
 * reserved bits come first; over IP the non-zero Session ID does.  Then the
 * cookie (0, 4 or 8 bytes), the default L2-specific sublayer when
 * `sublayer` (S bit and 24-bit sequence), and the payload.
 */
void l2tp_build_v3_data(struct l2tp_builder *b, uint8_t *buf, size_t cap,
                        enum l2tp_transport tr, uint32_t session,
                        const uint8_t *cookie, size_t cookie_len, bool sublayer,
                        bool seq_s, uint32_t seq, const uint8_t *payload,
                        size_t plen);

/* Any AVP with its flags; `val` may be NULL when len is 0. */
void l2tp_build_avp(struct l2tp_builder *b, bool m, bool h, uint16_t vendor,
                    uint16_t type, const void *val, size_t len);
/* An AVP whose flags/length word is given raw (malformed on purpose). */
void l2tp_build_avp_raw(struct l2tp_builder *b, uint16_t flags_len,
                        uint16_t vendor, uint16_t type, const void *val,
                        size_t len);
void l2tp_build_u16(struct l2tp_builder *b, bool m, uint16_t type, uint16_t v);
void l2tp_build_u32(struct l2tp_builder *b, bool m, uint16_t type, uint32_t v);
void l2tp_build_str(struct l2tp_builder *b, bool m, uint16_t type,
                    const char *s);
void l2tp_build_msg_type(struct l2tp_builder *b, uint16_t type);
void l2tp_build_result(struct l2tp_builder *b, uint16_t result,
                       int error /* -1: none */,
                       const char *message /* NULL: none */);

/* A 64-bit value (Tie Breaker, L2TPv3 connect speeds). */
void l2tp_build_u64(struct l2tp_builder *b, bool m, uint16_t type, uint64_t v);

/*
 * Emit a Random Vector AVP (any length 1..1017) and remember it with
 * `secret` for the hidden AVPs that follow (l2tp_build_hidden).  `secret`
 * must stay valid until the message is finished.
 */
void l2tp_build_random_vector(struct l2tp_builder *b, const uint8_t *rv,
                              size_t rvlen, const char *secret);
/* A hidden AVP (H=1) using the last Random Vector; pad bytes of padding. */
void l2tp_build_hidden(struct l2tp_builder *b, bool m, uint16_t vendor,
                       uint16_t type, const void *val, size_t len,
                       const uint8_t *padbytes, size_t pad);

/* Set the Length field by hand (a lie, for fault injection). */
void l2tp_build_set_length(struct l2tp_builder *b, uint16_t length);
/* Finish: fill the Length field. Returns the message length or -1. */
int l2tp_build_end(struct l2tp_builder *b);

#endif
