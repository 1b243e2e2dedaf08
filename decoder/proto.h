/* L2TP protocol tables: message types, AVPs, result and error codes (RFC 2661
 * §4.4, §6). */
#ifndef L2TP_PROTO_H
#define L2TP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/l2tp.h"

/* Message types (RFC 2661 §3.2; 20 from RFC 3931; 28-29 from RFC 5515). */
enum l2tp_msg_type {
	L2TP_SCCRQ = 1,
	L2TP_SCCRP = 2,
	L2TP_SCCCN = 3,
	L2TP_STOPCCN = 4,
	L2TP_HELLO = 6,
	L2TP_OCRQ = 7,
	L2TP_OCRP = 8,
	L2TP_OCCN = 9,
	L2TP_ICRQ = 10,
	L2TP_ICRP = 11,
	L2TP_ICCN = 12,
	L2TP_CDN = 14,
	L2TP_WEN = 15,
	L2TP_SLI = 16,
	L2TP_ACK = 20,
	L2TP_CSUN = 28,
	L2TP_CSURQ = 29,
};

/* IETF AVP attribute types (vendor 0). */
enum l2tp_avp_type {
	L2TP_AVP_MESSAGE_TYPE = 0,
	L2TP_AVP_RESULT_CODE = 1,
	L2TP_AVP_PROTOCOL_VERSION = 2,
	L2TP_AVP_FRAMING_CAP = 3,
	L2TP_AVP_BEARER_CAP = 4,
	L2TP_AVP_TIE_BREAKER = 5,
	L2TP_AVP_FIRMWARE_REV = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_ASSIGNED_TUNNEL_ID = 9,
	L2TP_AVP_RECEIVE_WINDOW = 10,
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_Q931_CAUSE = 12,
	L2TP_AVP_CHALLENGE_RESPONSE = 13,
	L2TP_AVP_ASSIGNED_SESSION_ID = 14,
	L2TP_AVP_CALL_SERIAL = 15,
	L2TP_AVP_MIN_BPS = 16,
	L2TP_AVP_MAX_BPS = 17,
	L2TP_AVP_BEARER_TYPE = 18,
	L2TP_AVP_FRAMING_TYPE = 19,
	L2TP_AVP_CALLED_NUMBER = 21,
	L2TP_AVP_CALLING_NUMBER = 22,
	L2TP_AVP_SUB_ADDRESS = 23,
	L2TP_AVP_TX_SPEED = 24,
	L2TP_AVP_PHYS_CHANNEL = 25,
	L2TP_AVP_INIT_RX_LCP = 26,
	L2TP_AVP_LAST_TX_LCP = 27,
	L2TP_AVP_LAST_RX_LCP = 28,
	L2TP_AVP_PROXY_AUTH_TYPE = 29,
	L2TP_AVP_PROXY_AUTH_NAME = 30,
	L2TP_AVP_PROXY_AUTH_CHAL = 31,
	L2TP_AVP_PROXY_AUTH_ID = 32,
	L2TP_AVP_PROXY_AUTH_RESP = 33,
	L2TP_AVP_CALL_ERRORS = 34,
	L2TP_AVP_ACCM = 35,
	L2TP_AVP_RANDOM_VECTOR = 36,
	L2TP_AVP_PRIVATE_GROUP = 37,
	L2TP_AVP_RX_SPEED = 38,
	L2TP_AVP_SEQ_REQUIRED = 39,
	L2TP_AVP_PPP_DISCONNECT = 46,
	/* RFC 3931 */
	L2TP_AVP_EXT_VENDOR_ID = 58,
	L2TP_AVP_MESSAGE_DIGEST = 59,
	L2TP_AVP_ROUTER_ID = 60,
	L2TP_AVP_ASSIGNED_CCID = 61,
	L2TP_AVP_PW_CAPABILITIES = 62,
	L2TP_AVP_LOCAL_SESSION_ID = 63,
	L2TP_AVP_REMOTE_SESSION_ID = 64,
	L2TP_AVP_ASSIGNED_COOKIE = 65,
	L2TP_AVP_REMOTE_END_ID = 66,
	L2TP_AVP_PW_TYPE = 68,
	L2TP_AVP_L2_SUBLAYER = 69,
	L2TP_AVP_DATA_SEQUENCING = 70,
	L2TP_AVP_CIRCUIT_STATUS = 71,
	L2TP_AVP_PREFERRED_LANGUAGE = 72,
	L2TP_AVP_AUTH_NONCE = 73,
	L2TP_AVP_TX_SPEED_V3 = 74,
	L2TP_AVP_RX_SPEED_V3 = 75,
	/* RFC 5515 */
	L2TP_AVP_CONNECT_SPEED_UPDATE = 97,
	L2TP_AVP_CONNECT_SPEED_UPDATE_ENABLE = 98,
};

/* Broadband Forum (vendor 3561) AVP types (RFC 5515, TR-101). */
enum l2tp_bbf_avp_type {
	L2TP_BBF_AGENT_CIRCUIT_ID = 1,
	L2TP_BBF_AGENT_REMOTE_ID = 2,
	L2TP_BBF_ACTUAL_RATE_UP = 129,
	L2TP_BBF_ACTUAL_RATE_DOWN = 130,
};

#define L2TP_VENDOR_IETF 0
#define L2TP_VENDOR_CISCO 9
#define L2TP_VENDOR_BBF 3561

/* How an AVP value is read. */
enum l2tp_vkind {
	L2TP_V_BYTES = 0, /* opaque, shown as hex */
	L2TP_V_U16,
	L2TP_V_U32,
	L2TP_V_U64,
	L2TP_V_STRING,      /* printable text */
	L2TP_V_MSGTYPE,     /* u16 message type */
	L2TP_V_RESULT,      /* result, error?, message? */
	L2TP_V_PROTOVER,    /* version, revision */
	L2TP_V_FRAMING,     /* u32 bits A=2 S=1 */
	L2TP_V_BEARER,      /* u32 bits A=2 D=1 */
	L2TP_V_Q931,        /* cause u16, msg u8, advisory */
	L2TP_V_PROXY_TYPE,  /* u16 */
	L2TP_V_CALL_ERRORS, /* reserved u16, 6 x u32 */
	L2TP_V_ACCM,        /* reserved u16, send u32, recv u32 */
	L2TP_V_EMPTY,       /* no value */
	L2TP_V_PPP_DISC,    /* RFC 3145 */
};

/* M bit rule. */
enum l2tp_mrule {
	L2TP_M_ANY = 0,
	L2TP_M_SET,   /* RFC says M=1 */
	L2TP_M_CLEAR, /* RFC says M=0 */
};

/*
 * How the printers show an AVP (the display columns of the table): in the
 * one-line form its value, only its length, or nothing; and a format
 * beyond what the value kind says, which every form reads.
 */
enum l2tp_line { L2TP_LINE_SHOW = 0, L2TP_LINE_LEN, L2TP_LINE_SKIP };
enum l2tp_fmt {
	L2TP_FMT_DEF = 0,
	L2TP_FMT_HEX16,    /* a number also shown as 0xNNNN */
	L2TP_FMT_HEX64,    /* an opaque 64-bit value: 16 hex digits */
	L2TP_FMT_IPV4,     /* a 32-bit number that is an IPv4 address */
	L2TP_FMT_PWTYPE,   /* a pseudowire type (RFC 4446) */
	L2TP_FMT_CIRCUIT,  /* circuit status bits (RFC 3931 §5.4.5) */
	L2TP_FMT_HEX,      /* bytes shown as hex in the line form too */
	L2TP_FMT_BPS,      /* bits per second */
	L2TP_FMT_MS,       /* milliseconds */
	L2TP_FMT_SUBLAYER, /* L2-Specific Sublayer type */
	L2TP_FMT_DATASEQ,  /* Data Sequencing level */
	L2TP_FMT_PWLIST,   /* a list of 16-bit pseudowire types */
};

struct l2tp_avp_info {
	uint16_t vendor;
	uint16_t type;
	const char *name; /* "Host Name" */
	const char *key;  /* "host_name": JSON key, command argument */
	enum l2tp_vkind kind;
	uint16_t min_len; /* value length bounds, header excluded */
	uint16_t max_len;
	enum l2tp_mrule mrule;
	bool hideable;
	uint32_t
	    in_msgs;  /* bit (1u << msg type) for messages that may carry it */
	bool nonzero; /* RFC 2661: a value of 0 is not allowed */
	/* display columns */
	const char *label; /* one-line form: "host", "tid", "cisco-pw-type" */
	uint8_t line;      /* enum l2tp_line */
	uint8_t fmt;       /* enum l2tp_fmt */
};

struct l2tp_msg_info {
	uint16_t type;
	const char *name;      /* "SCCRQ" */
	const char *long_name; /* "Start-Control-Connection-Request" */
	bool session_scope; /* about a call (ICRQ..) rather than the tunnel */
	uint64_t required;  /* bit (1 << avp type) for mandatory IETF AVPs */
};

/* Table lookups: NULL when unknown. */
const struct l2tp_msg_info *l2tp_msg_info(int type);
const struct l2tp_msg_info *l2tp_msg_by_name(const char *name);
const struct l2tp_avp_info *l2tp_avp_info_slow_(uint16_t vendor, uint16_t type);
/* The IETF index behind the inline lookup (proto.c); not for callers. */
#define L2TP_AVP_IETF_INDEX 128
extern const struct l2tp_avp_info *l2tp_avp_ietf_[L2TP_AVP_IETF_INDEX];
extern bool l2tp_avp_ietf_ready_;
/* Called for every AVP by every printer: IETF AVPs by an index. */
static inline const struct l2tp_avp_info *
l2tp_avp_info(uint16_t vendor, uint16_t type)
{
	if (vendor == 0 && type < L2TP_AVP_IETF_INDEX && l2tp_avp_ietf_ready_)
		return l2tp_avp_ietf_[type];
	return l2tp_avp_info_slow_(vendor, type);
}
const struct l2tp_avp_info *l2tp_avp_by_key(const char *key);

/* Whole tables, for completion and listings. */
const struct l2tp_msg_info *l2tp_msg_table(size_t *n);
const struct l2tp_avp_info *l2tp_avp_table(size_t *n);

/*
 * Names that never come back empty: "SCCRQ", "ZLB" for -1, "MSG-#%u" when
 * unknown; "Host Name", "AVP-#%u", "vendor 9:%u".  The buffer form is for
 * unknown values; the returned pointer is either static or buf.
 */
const char *l2tp_msg_name(int type, char *buf, size_t len);
const char *l2tp_avp_name(uint16_t vendor, uint16_t type, char *buf,
                          size_t len);
const char *l2tp_vendor_name(uint16_t vendor); /* NULL when unknown */

/* Result and error code meanings; NULL when unknown. */
const char *l2tp_stopccn_result_text(uint16_t code);
const char *l2tp_cdn_result_text(uint16_t code);
const char *l2tp_error_text(uint16_t code);
const char *l2tp_proxy_auth_text(uint16_t code);
const char *l2tp_q931_cause_text(uint16_t cause);
/* Pseudowire types (RFC 4446 §3.2), L2-Specific Sublayer and Data
 * Sequencing (RFC 3931 §5.4.4-5), Q.931 message types, PPP disconnect
 * codes (RFC 3145 §2), Proxy Authen Type in one word: NULL when unknown. */
const char *l2tp_pw_type_text(uint64_t t);
const char *l2tp_sublayer_text(uint64_t t);
const char *l2tp_data_seq_text(uint64_t t);
const char *l2tp_q931_msg_text(uint8_t m);
const char *l2tp_ppp_disconnect_text(uint64_t c);
const char *l2tp_proxy_auth_short(uint64_t t);

/* A decoded AVP value. */
struct l2tp_value {
	enum l2tp_vkind kind;
	uint64_t u;          /* U16/U32/U64/MSGTYPE/FRAMING/BEARER/PROXY */
	struct l2tp_bytes b; /* BYTES, STRING, message parts */
	/* RESULT */
	uint16_t result;
	bool has_error;
	uint16_t error;
	bool has_message;
	/* PROTOVER: u = version, rev */
	uint8_t rev;
	/* Q931: u = cause, msg, b = advisory */
	uint8_t q931_msg;
	/* CALL_ERRORS: errs[6] CRC, framing, hw overrun, buf overrun,
	 * timeout, alignment; ACCM: send, recv */
	uint32_t errs[6];
	uint32_t send_accm, recv_accm;
	/* PPP_DISC: u = code, proto, dir, b = message */
	uint16_t ppp_proto;
	uint8_t ppp_dir;
};

/*
 * Decode an AVP's value (the decrypted one when opened).  Returns 0, or
 * -L2TP_FAULT_MALFORMED when the value length does not fit its kind or the
 * table's bounds for the AVP (v->kind is then BYTES with the raw value), or
 * -L2TP_FAULT_UNSUPPORTED for a hidden AVP that was not opened (the value
 * is then BYTES).  Unknown AVPs decode as BYTES.
 */
int l2tp_avp_value(const struct l2tp_avp *a, struct l2tp_value *v);

/* Why an AVP value could not be encoded (decoder/value.c). */
enum l2tp_enc_err {
	L2TP_ENC_NUMBER = -1,  /* not a number that fits the kind */
	L2TP_ENC_VERSION = -2, /* a version is MAJOR.MINOR */
	L2TP_ENC_RESULT = -3,  /* a result is CODE[,ERROR[,MESSAGE]] */
	L2TP_ENC_EMPTY = -4,   /* the AVP takes no value */
	L2TP_ENC_HEX = -5,     /* bad hex after 0x */
	L2TP_ENC_BIG = -6,     /* the value does not fit in cap bytes */
};

/*
 * The inverse of l2tp_avp_value: the wire bytes of a typed value for AVP
 * ai (NULL: as v->kind says; a U64 is 8 bytes unless ai allows only 4).
 * A Result Code with a message and no error code gets error 0.  Writes
 * at most cap bytes to out (which may hold v's bytes already); returns
 * the length, or L2TP_ENC_BIG.  l2tp_avp_value(encode(v)) == v.
 */
long l2tp_avp_value_encode(const struct l2tp_avp_info *ai,
                           const struct l2tp_value *v, uint8_t *out,
                           size_t cap);

/*
 * A value as an operator types it, encoded for AVP ai: numbers in decimal
 * or 0x hex; text as it is; a version "1.0"; a result
 * "CODE[,ERROR[,MESSAGE]]"; nothing for an AVP without a value; other
 * kinds as bytes, "0x" and hex digits or the text itself.  Returns the
 * length written to out (at most cap), or an enum l2tp_enc_err.
 */
long l2tp_avp_encode_text(const struct l2tp_avp_info *ai, const char *text,
                          uint8_t *out, size_t cap);

/* Message type helpers for RFC checks (messages 0..31; others: true). */
bool l2tp_avp_allowed_in(const struct l2tp_avp_info *ai, int msg_type);

/*
 * The IETF AVP types an L2TPv2 message of this type must carry besides
 * Message Type (RFC 2661 §6), as bits (1 << type); 0 when unknown.
 */
uint64_t l2tp_msg_required(int msg_type);

#endif
