/* L2TP protocol tables and AVP value decoding (RFC 2661 §4.4, §6; RFC 3931
 * §5.4; RFC 5515). */
#include <stdio.h>
#include <string.h>

#include "decoder/proto.h"
#include "decoder/rd.h"

#define B(t) (1u << (t))
#define A(t) ((uint64_t)1 << (t))

#define SCC (B(L2TP_SCCRQ) | B(L2TP_SCCRP))
#define ANY 0xffffffffu

static const struct l2tp_msg_info msgs[] = {
    {L2TP_SCCRQ, "SCCRQ", "Start-Control-Connection-Request", false,
     A(L2TP_AVP_PROTOCOL_VERSION) | A(L2TP_AVP_HOST_NAME) |
         A(L2TP_AVP_FRAMING_CAP) | A(L2TP_AVP_ASSIGNED_TUNNEL_ID)},
    {L2TP_SCCRP, "SCCRP", "Start-Control-Connection-Reply", false,
     A(L2TP_AVP_PROTOCOL_VERSION) | A(L2TP_AVP_HOST_NAME) |
         A(L2TP_AVP_FRAMING_CAP) | A(L2TP_AVP_ASSIGNED_TUNNEL_ID)},
    {L2TP_SCCCN, "SCCCN", "Start-Control-Connection-Connected", false, 0},
    {L2TP_STOPCCN, "StopCCN", "Stop-Control-Connection-Notification", false,
     A(L2TP_AVP_ASSIGNED_TUNNEL_ID) | A(L2TP_AVP_RESULT_CODE)},
    {L2TP_HELLO, "HELLO", "Hello", false, 0},
    {L2TP_OCRQ, "OCRQ", "Outgoing-Call-Request", true,
     A(L2TP_AVP_ASSIGNED_SESSION_ID) | A(L2TP_AVP_CALL_SERIAL) |
         A(L2TP_AVP_MIN_BPS) | A(L2TP_AVP_MAX_BPS) | A(L2TP_AVP_BEARER_TYPE) |
         A(L2TP_AVP_FRAMING_TYPE) | A(L2TP_AVP_CALLED_NUMBER)},
    {L2TP_OCRP, "OCRP", "Outgoing-Call-Reply", true,
     A(L2TP_AVP_ASSIGNED_SESSION_ID)},
    {L2TP_OCCN, "OCCN", "Outgoing-Call-Connected", true,
     A(L2TP_AVP_TX_SPEED) | A(L2TP_AVP_FRAMING_TYPE)},
    {L2TP_ICRQ, "ICRQ", "Incoming-Call-Request", true,
     A(L2TP_AVP_ASSIGNED_SESSION_ID) | A(L2TP_AVP_CALL_SERIAL)},
    {L2TP_ICRP, "ICRP", "Incoming-Call-Reply", true,
     A(L2TP_AVP_ASSIGNED_SESSION_ID)},
    {L2TP_ICCN, "ICCN", "Incoming-Call-Connected", true,
     A(L2TP_AVP_TX_SPEED) | A(L2TP_AVP_FRAMING_TYPE)},
    {L2TP_CDN, "CDN", "Call-Disconnect-Notify", true,
     A(L2TP_AVP_RESULT_CODE) | A(L2TP_AVP_ASSIGNED_SESSION_ID)},
    {L2TP_WEN, "WEN", "WAN-Error-Notify", true, A(L2TP_AVP_CALL_ERRORS)},
    {L2TP_SLI, "SLI", "Set-Link-Info", true, A(L2TP_AVP_ACCM)},
    {L2TP_ACK, "ACK", "Explicit-Acknowledgement", false, 0},
    {L2TP_CSUN, "CSUN", "Connect-Speed-Update-Notification", false, 0},
    {L2TP_CSURQ, "CSURQ", "Connect-Speed-Update-Request", false, 0},
};

#define ICMSG (B(L2TP_ICRQ) | B(L2TP_ICRP) | B(L2TP_ICCN))
#define OCMSG (B(L2TP_OCRQ) | B(L2TP_OCRP) | B(L2TP_OCCN))
#define CONN (B(L2TP_ICCN) | B(L2TP_OCCN))
#define NOLIM 1017

/* vendor, type, name, key, kind, min, max, M rule, hideable, messages */
static const struct l2tp_avp_info avps[] = {
    {0, 0, "Message Type", "message_type", L2TP_V_MSGTYPE, 2, 2, L2TP_M_SET,
     false, ANY, false, "type", L2TP_LINE_SKIP, L2TP_FMT_DEF},
    {0, 1, "Result Code", "result_code", L2TP_V_RESULT, 2, NOLIM, L2TP_M_SET,
     false, B(L2TP_STOPCCN) | B(L2TP_CDN), false, "result", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 2, "Protocol Version", "protocol_version", L2TP_V_PROTOVER, 2, 2,
     L2TP_M_SET, false, SCC, false, "ver", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 3, "Framing Capabilities", "framing_capabilities", L2TP_V_FRAMING, 4, 4,
     L2TP_M_SET, true, SCC, false, "framing", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 4, "Bearer Capabilities", "bearer_capabilities", L2TP_V_BEARER, 4, 4,
     L2TP_M_SET, true, SCC, false, "bearer", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 5, "Tie Breaker", "tie_breaker", L2TP_V_U64, 8, 8, L2TP_M_CLEAR, false,
     B(L2TP_SCCRQ), false, "tie", L2TP_LINE_SHOW, L2TP_FMT_HEX64},
    {0, 6, "Firmware Revision", "firmware_revision", L2TP_V_U16, 2, 2,
     L2TP_M_CLEAR, true, SCC, false, "firmware", L2TP_LINE_SHOW,
     L2TP_FMT_HEX16},
    {0, 7, "Host Name", "host_name", L2TP_V_STRING, 1, NOLIM, L2TP_M_SET, false,
     SCC, false, "host", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 8, "Vendor Name", "vendor_name", L2TP_V_STRING, 0, NOLIM, L2TP_M_CLEAR,
     true, SCC, false, "vendor", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 9, "Assigned Tunnel ID", "assigned_tunnel_id", L2TP_V_U16, 2, 2,
     L2TP_M_SET, true, SCC | B(L2TP_STOPCCN), true, "tid", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 10, "Receive Window Size", "receive_window_size", L2TP_V_U16, 2, 2,
     L2TP_M_SET, false, SCC, true, "window", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 11, "Challenge", "challenge", L2TP_V_BYTES, 1, NOLIM, L2TP_M_SET, true,
     SCC, false, "challenge", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 12, "Q.931 Cause Code", "q931_cause_code", L2TP_V_Q931, 3, NOLIM,
     L2TP_M_SET, false, B(L2TP_CDN), false, "q931", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 13, "Challenge Response", "challenge_response", L2TP_V_BYTES, 16, 16,
     L2TP_M_SET, true, B(L2TP_SCCRP) | B(L2TP_SCCCN), false, "response",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 14, "Assigned Session ID", "assigned_session_id", L2TP_V_U16, 2, 2,
     L2TP_M_SET, true,
     B(L2TP_ICRQ) | B(L2TP_ICRP) | B(L2TP_OCRQ) | B(L2TP_OCRP) | B(L2TP_CDN),
     true, "sid", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 15, "Call Serial Number", "call_serial_number", L2TP_V_U32, 4, 4,
     L2TP_M_SET, true, B(L2TP_ICRQ) | B(L2TP_OCRQ), false, "serial",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 16, "Minimum BPS", "minimum_bps", L2TP_V_U32, 4, 4, L2TP_M_SET, true,
     B(L2TP_OCRQ), false, "minbps", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {0, 17, "Maximum BPS", "maximum_bps", L2TP_V_U32, 4, 4, L2TP_M_SET, true,
     B(L2TP_OCRQ), false, "maxbps", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {0, 18, "Bearer Type", "bearer_type", L2TP_V_BEARER, 4, 4, L2TP_M_SET, true,
     B(L2TP_ICRQ) | B(L2TP_OCRQ), false, "bearer-type", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 19, "Framing Type", "framing_type", L2TP_V_FRAMING, 4, 4, L2TP_M_SET,
     true, CONN | B(L2TP_OCRQ), false, "framing-type", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 21, "Called Number", "called_number", L2TP_V_STRING, 0, NOLIM,
     L2TP_M_SET, true, B(L2TP_ICRQ) | B(L2TP_OCRQ), false, "called",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 22, "Calling Number", "calling_number", L2TP_V_STRING, 0, NOLIM,
     L2TP_M_SET, true, B(L2TP_ICRQ), false, "calling", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 23, "Sub-Address", "sub_address", L2TP_V_STRING, 0, NOLIM, L2TP_M_SET,
     true, B(L2TP_ICRQ) | B(L2TP_OCRQ), false, "subaddr", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 24, "Tx Connect Speed", "tx_connect_speed", L2TP_V_U32, 4, 4,
     L2TP_M_SET, true, CONN, false, "speed", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {0, 25, "Physical Channel ID", "physical_channel_id", L2TP_V_U32, 4, 4,
     L2TP_M_CLEAR, true, B(L2TP_ICRQ) | B(L2TP_OCRP), false, "channel",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 26, "Initial Received LCP CONFREQ", "initial_rx_lcp_confreq",
     L2TP_V_BYTES, 0, NOLIM, L2TP_M_CLEAR, true, B(L2TP_ICCN), false,
     "init-rx-lcp", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 27, "Last Sent LCP CONFREQ", "last_tx_lcp_confreq", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "last-tx-lcp",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 28, "Last Received LCP CONFREQ", "last_rx_lcp_confreq", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "last-rx-lcp",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 29, "Proxy Authen Type", "proxy_authen_type", L2TP_V_PROXY_TYPE, 2, 2,
     L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "proxy-auth", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 30, "Proxy Authen Name", "proxy_authen_name", L2TP_V_STRING, 0, NOLIM,
     L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "proxy-name", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 31, "Proxy Authen Challenge", "proxy_authen_challenge", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "proxy-challenge",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 32, "Proxy Authen ID", "proxy_authen_id", L2TP_V_U16, 2, 2,
     L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "proxy-id", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 33, "Proxy Authen Response", "proxy_authen_response", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "proxy-response",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 34, "Call Errors", "call_errors", L2TP_V_CALL_ERRORS, 26, 26,
     L2TP_M_SET, true, B(L2TP_WEN), false, "call-errors", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 35, "ACCM", "accm", L2TP_V_ACCM, 10, 10, L2TP_M_SET, true, B(L2TP_SLI),
     false, "accm", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 36, "Random Vector", "random_vector", L2TP_V_BYTES, 1, NOLIM,
     L2TP_M_SET, false, ANY, false, "rv", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 37, "Private Group ID", "private_group_id", L2TP_V_BYTES, 0, NOLIM,
     L2TP_M_CLEAR, true, B(L2TP_ICCN), false, "group", L2TP_LINE_LEN,
     L2TP_FMT_DEF},
    {0, 38, "Rx Connect Speed", "rx_connect_speed", L2TP_V_U32, 4, 4,
     L2TP_M_CLEAR, true, CONN, false, "rx-speed", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {0, 39, "Sequencing Required", "sequencing_required", L2TP_V_EMPTY, 0, 0,
     L2TP_M_SET, false, CONN, false, "seq-required", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {0, 46, "PPP Disconnect Cause Code", "ppp_disconnect_cause",
     L2TP_V_PPP_DISC, 5, NOLIM, L2TP_M_CLEAR, false, B(L2TP_CDN), false,
     "ppp-disconnect", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    /* RFC 3931 (L2TPv3) */
    {0, 58, "Extended Vendor ID", "extended_vendor_id", L2TP_V_U32, 4, 4,
     L2TP_M_ANY, false, ANY, false, "ext-vendor", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 59, "Message Digest", "message_digest", L2TP_V_BYTES, 17, 21,
     L2TP_M_ANY, false, ANY, false, "digest", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 60, "Router ID", "router_id", L2TP_V_U32, 4, 4, L2TP_M_ANY, false, ANY,
     false, "router-id", L2TP_LINE_SHOW, L2TP_FMT_IPV4},
    {0, 61, "Assigned Control Connection ID", "assigned_ccid", L2TP_V_U32, 4, 4,
     L2TP_M_ANY, false, ANY, false, "ccid", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 62, "Pseudowire Capabilities List", "pw_capabilities", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_ANY, false, ANY, false, "pw-caps", L2TP_LINE_LEN,
     L2TP_FMT_PWLIST},
    {0, 63, "Local Session ID", "local_session_id", L2TP_V_U32, 4, 4,
     L2TP_M_ANY, false, ANY, false, "local-sid", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 64, "Remote Session ID", "remote_session_id", L2TP_V_U32, 4, 4,
     L2TP_M_ANY, false, ANY, false, "remote-sid", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 65, "Assigned Cookie", "assigned_cookie", L2TP_V_BYTES, 4, 8,
     L2TP_M_ANY, false, ANY, false, "cookie", L2TP_LINE_SHOW, L2TP_FMT_HEX},
    {0, 66, "Remote End ID", "remote_end_id", L2TP_V_BYTES, 0, NOLIM,
     L2TP_M_ANY, false, ANY, false, "remote-end", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 68, "Pseudowire Type", "pw_type", L2TP_V_U16, 2, 2, L2TP_M_ANY, false,
     ANY, false, "pw-type", L2TP_LINE_SHOW, L2TP_FMT_PWTYPE},
    {0, 69, "L2-Specific Sublayer", "l2_specific_sublayer", L2TP_V_U16, 2, 2,
     L2TP_M_ANY, false, ANY, false, "sublayer", L2TP_LINE_SHOW,
     L2TP_FMT_SUBLAYER},
    {0, 70, "Data Sequencing", "data_sequencing", L2TP_V_U16, 2, 2, L2TP_M_ANY,
     false, ANY, false, "data-seq", L2TP_LINE_SHOW, L2TP_FMT_DATASEQ},
    {0, 71, "Circuit Status", "circuit_status", L2TP_V_U16, 2, 2, L2TP_M_ANY,
     false, ANY, false, "circuit", L2TP_LINE_SHOW, L2TP_FMT_CIRCUIT},
    {0, 72, "Preferred Language", "preferred_language", L2TP_V_STRING, 0, NOLIM,
     L2TP_M_ANY, false, ANY, false, "lang", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {0, 73, "Control Message Authentication Nonce", "auth_nonce", L2TP_V_BYTES,
     0, NOLIM, L2TP_M_ANY, false, ANY, false, "nonce", L2TP_LINE_LEN,
     L2TP_FMT_DEF},
    {0, 74, "Tx Connect Speed (64-bit)", "tx_connect_speed_v3", L2TP_V_U64, 8,
     8, L2TP_M_ANY, false, ANY, false, "tx-speed", L2TP_LINE_SHOW,
     L2TP_FMT_BPS},
    {0, 75, "Rx Connect Speed (64-bit)", "rx_connect_speed_v3", L2TP_V_U64, 8,
     8, L2TP_M_ANY, false, ANY, false, "rx-speed", L2TP_LINE_SHOW,
     L2TP_FMT_BPS},
    /* RFC 5515 */
    {0, 97, "Connect Speed Update", "connect_speed_update", L2TP_V_BYTES, 0,
     NOLIM, L2TP_M_ANY, false, ANY, false, "connect-speed-update",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {0, 98, "Connect Speed Update Enable", "connect_speed_update_enable",
     L2TP_V_EMPTY, 0, 0, L2TP_M_ANY, false, ANY, false,
     "connect-speed-update-enable", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    /* Broadband Forum (RFC 5515) */
    {L2TP_VENDOR_BBF, 1, "Agent-Circuit-Id", "agent_circuit_id", L2TP_V_STRING,
     1, 63, L2TP_M_ANY, true, ANY, false, "circuit-id", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {L2TP_VENDOR_BBF, 2, "Agent-Remote-Id", "agent_remote_id", L2TP_V_STRING, 1,
     63, L2TP_M_ANY, true, ANY, false, "remote-id", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
    {L2TP_VENDOR_BBF, 129, "Actual-Data-Rate-Upstream", "actual_rate_up",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "rate-up", L2TP_LINE_SHOW,
     L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 130, "Actual-Data-Rate-Downstream", "actual_rate_down",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "rate-down",
     L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 131, "Minimum-Data-Rate-Upstream", "min_rate_up",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "min-rate-up",
     L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 132, "Minimum-Data-Rate-Downstream", "min_rate_down",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "min-rate-down",
     L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 133, "Attainable-Data-Rate-Upstream",
     "attainable_rate_up", L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false,
     "att-rate-up", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 134, "Attainable-Data-Rate-Downstream",
     "attainable_rate_down", L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false,
     "att-rate-down", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 135, "Maximum-Data-Rate-Upstream", "max_rate_up",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "max-rate-up",
     L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 136, "Maximum-Data-Rate-Downstream", "max_rate_down",
     L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false, "max-rate-down",
     L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 137, "Minimum-Data-Rate-Upstream-Low-Power",
     "min_rate_up_low_power", L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false,
     "min-rate-up-lp", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 138, "Minimum-Data-Rate-Downstream-Low-Power",
     "min_rate_down_low_power", L2TP_V_U64, 4, 8, L2TP_M_ANY, true, ANY, false,
     "min-rate-down-lp", L2TP_LINE_SHOW, L2TP_FMT_BPS},
    {L2TP_VENDOR_BBF, 139, "Maximum-Interleaving-Delay-Upstream",
     "max_delay_up", L2TP_V_U32, 4, 4, L2TP_M_ANY, true, ANY, false,
     "max-delay-up", L2TP_LINE_SHOW, L2TP_FMT_MS},
    {L2TP_VENDOR_BBF, 140, "Actual-Interleaving-Delay-Upstream",
     "actual_delay_up", L2TP_V_U32, 4, 4, L2TP_M_ANY, true, ANY, false,
     "delay-up", L2TP_LINE_SHOW, L2TP_FMT_MS},
    {L2TP_VENDOR_BBF, 141, "Maximum-Interleaving-Delay-Downstream",
     "max_delay_down", L2TP_V_U32, 4, 4, L2TP_M_ANY, true, ANY, false,
     "max-delay-down", L2TP_LINE_SHOW, L2TP_FMT_MS},
    {L2TP_VENDOR_BBF, 142, "Actual-Interleaving-Delay-Downstream",
     "actual_delay_down", L2TP_V_U32, 4, 4, L2TP_M_ANY, true, ANY, false,
     "delay-down", L2TP_LINE_SHOW, L2TP_FMT_MS},
    {L2TP_VENDOR_BBF, 144, "Access-Loop-Encapsulation", "access_loop_encap",
     L2TP_V_BYTES, 3, 3, L2TP_M_ANY, true, ANY, false, "loop-encap",
     L2TP_LINE_SHOW, L2TP_FMT_HEX},
    {L2TP_VENDOR_BBF, 254, "IWF-Session", "iwf_session", L2TP_V_EMPTY, 0, 0,
     L2TP_M_ANY, true, ANY, false, "iwf", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    /* Cisco pre-standard L2TPv3 AVPs (vendor 9) */
    {L2TP_VENDOR_CISCO, 1, "Assigned Connection ID",
     "cisco_assigned_connection_id", L2TP_V_U32, 4, 4, L2TP_M_ANY, false, ANY,
     false, "cisco-ccid", L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 2, "Pseudowire Capabilities List",
     "cisco_pw_capabilities", L2TP_V_BYTES, 0, NOLIM, L2TP_M_ANY, false, ANY,
     false, "cisco-pw-caps", L2TP_LINE_LEN, L2TP_FMT_PWLIST},
    {L2TP_VENDOR_CISCO, 3, "Local Session ID", "cisco_local_session_id",
     L2TP_V_U32, 4, 4, L2TP_M_ANY, false, ANY, false, "cisco-local-sid",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 4, "Remote Session ID", "cisco_remote_session_id",
     L2TP_V_U32, 4, 4, L2TP_M_ANY, false, ANY, false, "cisco-remote-sid",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 5, "Assigned Cookie", "cisco_assigned_cookie",
     L2TP_V_BYTES, 4, 8, L2TP_M_ANY, false, ANY, false, "cisco-cookie",
     L2TP_LINE_SHOW, L2TP_FMT_HEX},
    {L2TP_VENDOR_CISCO, 6, "Remote End ID", "cisco_remote_end_id", L2TP_V_BYTES,
     0, NOLIM, L2TP_M_ANY, false, ANY, false, "cisco-remote-end", L2TP_LINE_LEN,
     L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 7, "Pseudowire Type", "cisco_pw_type", L2TP_V_U16, 2, 2,
     L2TP_M_ANY, false, ANY, false, "cisco-pw-type", L2TP_LINE_SHOW,
     L2TP_FMT_PWTYPE},
    {L2TP_VENDOR_CISCO, 8, "Circuit Status", "cisco_circuit_status", L2TP_V_U16,
     2, 2, L2TP_M_ANY, false, ANY, false, "cisco-circuit", L2TP_LINE_SHOW,
     L2TP_FMT_CIRCUIT},
    {L2TP_VENDOR_CISCO, 9, "Session Tie Breaker", "cisco_session_tie_breaker",
     L2TP_V_U64, 8, 8, L2TP_M_ANY, false, ANY, false, "cisco-tie",
     L2TP_LINE_SHOW, L2TP_FMT_HEX64},
    {L2TP_VENDOR_CISCO, 10, "Draft AVP Version", "cisco_draft_avp_version",
     L2TP_V_U16, 2, 2, L2TP_M_ANY, false, ANY, false, "cisco-draft",
     L2TP_LINE_SHOW, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 12, "Message Digest", "cisco_message_digest",
     L2TP_V_BYTES, 0, NOLIM, L2TP_M_ANY, false, ANY, false, "cisco-digest",
     L2TP_LINE_LEN, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 13, "Control Message Authentication Nonce",
     "cisco_auth_nonce", L2TP_V_BYTES, 0, NOLIM, L2TP_M_ANY, false, ANY, false,
     "cisco-nonce", L2TP_LINE_LEN, L2TP_FMT_DEF},
    {L2TP_VENDOR_CISCO, 14, "Interface MTU", "cisco_interface_mtu", L2TP_V_U16,
     2, 2, L2TP_M_ANY, false, ANY, false, "cisco-mtu", L2TP_LINE_SHOW,
     L2TP_FMT_DEF},
};

const struct l2tp_msg_info *
l2tp_msg_table(size_t *n)
{
	*n = sizeof(msgs) / sizeof(msgs[0]);
	return msgs;
}

const struct l2tp_avp_info *
l2tp_avp_table(size_t *n)
{
	*n = sizeof(avps) / sizeof(avps[0]);
	return avps;
}

const struct l2tp_msg_info *
l2tp_msg_info(int type)
{
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (msgs[i].type == type)
			return &msgs[i];
	return NULL;
}

const struct l2tp_msg_info *
l2tp_msg_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcasecmp(msgs[i].name, name) == 0)
			return &msgs[i];
	return NULL;
}

/*
 * The IETF AVPs 0..127 are looked up by index (the hot path of every
 * decode); vendor AVPs by a scan of the vendor part of the table, which
 * starts after the IETF entries.
 */
#define IETF_INDEX L2TP_AVP_IETF_INDEX
#define ietf_index l2tp_avp_ietf_
#define ietf_ready l2tp_avp_ietf_ready_
const struct l2tp_avp_info *l2tp_avp_ietf_[IETF_INDEX];
bool l2tp_avp_ietf_ready_;
static size_t vendor_first;

static void
index_ietf(void)
{
	size_t n = sizeof(avps) / sizeof(avps[0]);

	vendor_first = n;
	for (size_t i = 0; i < n; i++) {
		if (avps[i].vendor == 0 && avps[i].type < IETF_INDEX)
			ietf_index[avps[i].type] = &avps[i];
		if (avps[i].vendor != 0 && vendor_first == n)
			vendor_first = i;
	}
	ietf_ready = true;
}

const struct l2tp_avp_info *
l2tp_avp_info_slow_(uint16_t vendor, uint16_t type)
{
	if (!ietf_ready)
		index_ietf();
	if (vendor == 0)
		return type < IETF_INDEX ? ietf_index[type] : NULL;
	for (size_t i = vendor_first; i < sizeof(avps) / sizeof(avps[0]); i++)
		if (avps[i].vendor == vendor && avps[i].type == type)
			return &avps[i];
	return NULL;
}

const struct l2tp_avp_info *
l2tp_avp_by_key(const char *key)
{
	for (size_t i = 0; i < sizeof(avps) / sizeof(avps[0]); i++)
		if (strcasecmp(avps[i].key, key) == 0)
			return &avps[i];
	return NULL;
}

const char *
l2tp_msg_name(int type, char *buf, size_t len)
{
	const struct l2tp_msg_info *mi;

	if (type == L2TP_MSG_NONE)
		return "no-Message-Type";
	if (type < 0)
		return "ZLB";
	if ((mi = l2tp_msg_info(type)) != NULL)
		return mi->name;
	snprintf(buf, len, "MSG-#%d", type);
	return buf;
}

const char *
l2tp_vendor_name(uint16_t vendor)
{
	switch (vendor) {
	case L2TP_VENDOR_IETF:
		return "IETF";
	case L2TP_VENDOR_CISCO:
		return "Cisco";
	case 311:
		return "Microsoft";
	case 2352:
		return "Redback";
	case 4874:
		return "Juniper";
	case 2011:
		return "Huawei";
	case L2TP_VENDOR_BBF:
		return "Broadband Forum";
	}
	return NULL;
}

const char *
l2tp_avp_name(uint16_t vendor, uint16_t type, char *buf, size_t len)
{
	const struct l2tp_avp_info *ai = l2tp_avp_info(vendor, type);

	if (ai)
		return ai->name;
	if (vendor == 0)
		snprintf(buf, len, "AVP-#%u", type);
	else
		snprintf(buf, len, "vendor %u:%u", vendor, type);
	return buf;
}

/* The entry of a sparse value table, or NULL past its end or in a gap. */
#define TABLE_TEXT(n, t) ((t) < sizeof(n) / sizeof((n)[0]) ? (n)[t] : NULL)

const char *
l2tp_stopccn_result_text(uint16_t code)
{
	static const char *const t[] = {
	    [0] = "reserved",
	    [1] = "general request to clear control connection",
	    [2] = "general error, see error code",
	    [3] = "control channel already exists",
	    [4] = ("requester is not authorized to establish a control "
	           "channel"),
	    [5] = "protocol version not supported",
	    [6] = "requester is being shut down",
	    [7] = "finite state machine error",
	    [8] = "control channel due to mismatching CCDS value",
	};

	return TABLE_TEXT(t, code);
}

const char *
l2tp_cdn_result_text(uint16_t code)
{
	static const char *const t[] = {
	    [0] = "reserved",
	    [1] = "call disconnected due to loss of carrier",
	    [2] = "call disconnected, see error code",
	    [3] = "call disconnected for administrative reasons",
	    [4] = "call failed due to lack of appropriate facilities "
	          "being available (temporary condition)",
	    [5] = "call failed due to lack of appropriate facilities "
	          "being available (permanent condition)",
	    [6] = "invalid destination",
	    [7] = "call failed due to no carrier detected",
	    [8] = "call failed due to detection of a busy signal",
	    [9] = "call failed due to lack of a dial tone",
	    [10] = "call was not established within time allotted by LAC",
	    [11] = "call was connected but no appropriate framing was "
	           "detected",
	};

	return TABLE_TEXT(t, code);
}

const char *
l2tp_error_text(uint16_t code)
{
	static const char *const t[] = {
	    [0] = "no general error",
	    [1] = "no control connection exists yet for this LAC-LNS pair",
	    [2] = "length is wrong",
	    [3] = "one of the field values was out of range or reserved "
	          "field was non-zero",
	    [4] = "insufficient resources to handle this operation now",
	    [5] = "the session ID is invalid in this context",
	    [6] = "a generic vendor-specific error occurred in the LAC",
	    [7] = "try another LNS",
	    [8] = "session or tunnel was shutdown due to receipt of an "
	          "unknown AVP with the M-bit set",
	};

	return TABLE_TEXT(t, code);
}

const char *
l2tp_proxy_auth_text(uint16_t code)
{
	static const char *const t[] = {
	    [0] = "reserved",
	    [1] = "textual username/password exchange",
	    [2] = "PPP CHAP",
	    [3] = "PPP PAP",
	    [4] = "no authentication",
	    [5] = "Microsoft CHAP version 1 (MSCHAPv1)",
	};

	return TABLE_TEXT(t, code);
}

const char *
l2tp_q931_cause_text(uint16_t cause)
{
	switch (cause) {
	case 1:
		return "unallocated number";
	case 16:
		return "normal call clearing";
	case 17:
		return "user busy";
	case 18:
		return "no user responding";
	case 19:
		return "no answer from user";
	case 21:
		return "call rejected";
	case 27:
		return "destination out of order";
	case 31:
		return "normal, unspecified";
	case 34:
		return "no circuit/channel available";
	case 38:
		return "network out of order";
	case 41:
		return "temporary failure";
	case 44:
		return "requested circuit/channel not available";
	case 47:
		return "resource unavailable, unspecified";
	case 102:
		return "recovery on timer expiry";
	}
	return NULL;
}

bool
l2tp_avp_allowed_in(const struct l2tp_avp_info *ai, int msg_type)
{
	if (ai == NULL || msg_type < 0 || msg_type > 31)
		return true;
	return (ai->in_msgs & B(msg_type)) != 0;
}

uint64_t
l2tp_msg_required(int msg_type)
{
	const struct l2tp_msg_info *mi = l2tp_msg_info(msg_type);

	return mi ? mi->required : 0;
}

/* Pseudowire types (RFC 4446 §3.2, IANA). */
const char *
l2tp_pw_type_text(uint64_t t)
{
	static const char *const n[] = {
	    [1] = "Frame Relay DLCI",
	    [2] = "ATM AAL5 SDU VCC",
	    [3] = "ATM Cell transparent port",
	    [4] = "Ethernet VLAN",
	    [5] = "Ethernet",
	    [6] = "HDLC",
	    [7] = "PPP",
	    [9] = "ATM VCC cell",
	    [10] = "ATM VPC cell",
	    [17] = "SAToP E1",
	    [18] = "SAToP T1",
	};

	return TABLE_TEXT(n, t);
}

/* L2-Specific Sublayer (RFC 3931 §5.4.4) and Data Sequencing (§5.4.5). */
const char *
l2tp_sublayer_text(uint64_t t)
{
	static const char *const n[] = {
	    [0] = "no L2-specific sublayer",
	    [1] = "default L2-specific sublayer",
	};

	return TABLE_TEXT(n, t);
}

const char *
l2tp_data_seq_text(uint64_t t)
{
	static const char *const n[] = {
	    [0] = "no incoming data packets require sequencing",
	    [1] = "only non-IP data packets require sequencing",
	    [2] = "all incoming data packets require sequencing",
	};

	return TABLE_TEXT(n, t);
}

/* Q.931 message types carried in the Q.931 Cause Code AVP. */
const char *
l2tp_q931_msg_text(uint8_t m)
{
	switch (m) {
	case 0x01:
		return "ALERTING";
	case 0x02:
		return "CALL PROCEEDING";
	case 0x05:
		return "SETUP";
	case 0x07:
		return "CONNECT";
	case 0x45:
		return "DISCONNECT";
	case 0x4d:
		return "RELEASE";
	case 0x5a:
		return "RELEASE COMPLETE";
	}
	return NULL;
}

/* RFC 3145 §2 disconnect codes. */
const char *
l2tp_ppp_disconnect_text(uint64_t c)
{
	static const char *const n[] = {
	    [0] = "no information available",
	    [1] = "administrative disconnect",
	    [2] = "link control protocol renegotiation at LNS disabled",
	    [3] = "normal disconnection, LCP Terminate-Request sent",
	    [4] = "compulsory encryption refused by the PPP peer",
	    [5] = "FSM timeout error (LCP failed to converge)",
	    [6] = "peer silent (LCP timeout)",
	    [7] = "magic number error",
	};

	return TABLE_TEXT(n, c);
}

const char *
l2tp_proxy_auth_short(uint64_t t)
{
	static const char *const n[] = {
	    [0] = "reserved", [1] = "text", [2] = "CHAP",
	    [3] = "PAP",      [4] = "none", [5] = "MSCHAPv1",
	};

	return TABLE_TEXT(n, t);
}
