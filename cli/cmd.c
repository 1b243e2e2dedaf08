/* l2tpsh's one command table (RFC 2661 operations): the rows, the kinds of
 * value only l2tpsh has, and the glue to the parser and the handlers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/capture.h"
#include "cli/cmd.h"
#include "cli/debug.h"
#include "cli/files.h"
#include "cli/live.h"
#include "cli/settings.h"
#include "cli/shell.h"
#include "decoder/proto.h"

/* help lists this table: it is at the end of this file. */
static int sh_do_help(struct sh *sh, const struct cmd_parsed *p);

/*
 * The table is laid out by hand, one command per block: clang-format would
 * put every field of every argument on its own line.
 */
/* clang-format off */
#define END {.kw = NULL, .meta = NULL}
#define JSON {.kw = "json", .kind = CMD_K_FLAG, .flags = CMD_OPT, \
	.help = "print the same data as JSON"}
#define TUN_OPT {.kw = "tunnel", .meta = "ID", .kind = CMD_K_TUNNEL, \
	.flags = CMD_OPT, .lo = 1, .hi = 65535, .help = "the local tunnel id"}
#define RESULT_OPTS(what)                                                 \
	{.kw = "result", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT, \
	    .lo = 0, .hi = 65535, .help = "result code in the " what},        \
	{.kw = "error", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT, \
	    .lo = 0, .hi = 65535, .help = "error code (with result)",         \
	    .needs = "result"},                                               \
	{.kw = "message", .meta = "TEXT", .kind = CMD_K_TEXT,                 \
	    .flags = CMD_OPT, .help = "error message text (with result)",     \
	    .needs = "result"}
#define MSG_EDITS                                                          \
	{.kw = "avp", .meta = "NAME=VALUE", .kind = CMD_K_AVP,                \
	    .flags = CMD_OPT | CMD_REP, .help = "add or change an AVP (NAME!=VALUE hides it)"},       \
	{.kw = "omit", .meta = "NAME", .kind = CMD_K_AVPNAME,                 \
	    .flags = CMD_OPT | CMD_REP, .help = "leave an AVP out"},           \
	{.kw = "ns", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT,     \
	    .lo = 0, .hi = 65535, .help = "send with this Ns"},               \
	{.kw = "nr", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT,     \
	    .lo = 0, .hi = 65535, .help = "send with this Nr"}
#define ONOFF(h) {.meta = "on|off", .kind = CMD_K_CHOICE, .choices = "on off", \
	.help = h}
#define DBG_CLASSES "all event packet avp lab"
#define SECRET_FOR                                                         \
	{.kw = "peer", .meta = "ADDR", .kind = CMD_K_ADDR, .flags = CMD_OPT,  \
	    .choices = "lab", .help = "only for the peer at this address"},   \
	{.kw = "host", .meta = "NAME", .kind = CMD_K_WORD, .flags = CMD_OPT,  \
	    .help = "only for the peer of this Host Name"}

static const struct cmd_def table[] = {
	{"no secret", (const struct cmd_arg[]){SECRET_FOR, END},
	    "Forget the tunnel secret", CMD_FN(sh_do_no_secret)},
	{"lns listen", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR, .flags = CMD_OPT,
		.choices = "lab",
		.help = "local address to listen on (default 127.0.0.1)"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "UDP port (default 1701)"}, END},
	    "Act as an LNS: accept tunnels on a UDP port",
	    CMD_FN(live_do_lns_listen)},
	{"lac connect", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR, .choices = "lab",
		.help = "the LNS address, or lab for the built-in peer"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "UDP port of the LNS (default 1701)"}, END},
	    "Act as a LAC: open a tunnel to an LNS",
	    CMD_FN(live_do_lac_connect)},
	{"lab start", (const struct cmd_arg[]){END},
	    "Start a built-in LNS on loopback to practise against",
	    CMD_FN(live_do_lab_start)},
	{"lab stop", (const struct cmd_arg[]){END},
	    "Stop the built-in LNS", CMD_FN(live_do_lab_stop)},
	{"step", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT, .lo = 1,
		.hi = 1000, .help = "how many held messages to release"},
	    END},
	    "Release held messages (step mode)", CMD_FN(live_do_step)},
	{"pending", (const struct cmd_arg[]){JSON, END},
	    "List the messages held in step mode", CMD_FN(live_do_pending)},
	{"drop", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .flags = CMD_OPT, .lo = 1,
		.hi = 0x7fffffffL, .help = "number of the held message (default "
		"the first)"}, END},
	    "Discard a held message", CMD_FN(live_do_drop)},
	{"duplicate", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .flags = CMD_OPT, .lo = 1,
		.hi = 0x7fffffffL, .help = "number of the held draft (default "
		"the first)"}, END},
	    "Send a held draft twice", CMD_FN(live_do_duplicate)},
	{"delay", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .lo = 1, .hi = 0x7fffffffL,
		.help = "number of the held message"},
	    {.meta = "MS", .kind = CMD_K_NUMBER, .lo = 1, .hi = 3600000,
		.help = "milliseconds until it goes"}, END},
	    "Release a held message later", CMD_FN(live_do_delay)},
	{"edit", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .lo = 1, .hi = 0x7fffffffL,
		.help = "number of the held draft"},
	    MSG_EDITS, END},
	    "Change a held draft before it is sent", CMD_FN(live_do_edit)},
	{"wait", (const struct cmd_arg[]){
	    {.meta = "UNTIL", .kind = CMD_K_CHOICE,
		.choices = "established idle closed session-up",
		.or_number = true,
		.unit = "seconds", .lo = 0, .hi = 3600,
		.help = "a tunnel state, session-up (an NCP open), or seconds "
		"to pause"},
	    TUN_OPT,
	    {.kw = "session", .meta = "ID", .kind = CMD_K_SESSION,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "the session (session-up; default the newest)"},
	    {.kw = "timeout", .meta = "SEC", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 3600,
		.help = "give up (an error) after this long (default 10)"},
	    END},
	    "Wait for a tunnel state or a time (for scripts)",
	    CMD_FN(live_do_wait)},
	{"send", (const struct cmd_arg[]){
	    {.meta = "MSG", .kind = CMD_K_MSG,
		.help = "message type to craft and send"},
	    TUN_OPT,
	    {.kw = "session", .meta = "ID", .kind = CMD_K_SESSION,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    MSG_EDITS, END},
	    "Craft and send a control message", CMD_FN(live_do_send)},
	{"call open", (const struct cmd_arg[]){TUN_OPT,
	    {.kw = "calling", .meta = "NUMBER", .kind = CMD_K_WORD,
		.flags = CMD_OPT, .help = "Calling Number AVP"},
	    {.kw = "called", .meta = "NUMBER", .kind = CMD_K_WORD,
		.flags = CMD_OPT, .help = "Called Number AVP"},
	    {.kw = "speed", .meta = "BPS", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 0xffffffffL,
		.help = "Tx Connect Speed (default 10000000)"},
	    {.kw = "avp", .meta = "NAME=VALUE", .kind = CMD_K_AVP,
		.flags = CMD_OPT | CMD_REP,
		.help = "an AVP added to the request (NAME!=VALUE hides it)"},
	    END},
	    "Open a call (ICRQ from a LAC, OCRQ from an LNS) on a tunnel",
	    CMD_FN(live_do_call_open)},
	{"call close", (const struct cmd_arg[]){
	    {.meta = "SID", .kind = CMD_K_SESSION, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    RESULT_OPTS("CDN"), END},
	    "Close a call with a CDN", CMD_FN(live_do_call_close)},
	{"hello-interval", (const struct cmd_arg[]){
	    {.meta = "SEC", .kind = CMD_K_NUMBER, .lo = 0, .hi = 3600,
		.help = "seconds of silence before a Hello, 0 = never"},
	    {.kw = "tunnel", .meta = "ID", .kind = CMD_K_TUNNEL, .lo = 1,
		.hi = 65535, .help = "the local tunnel id"}, END},
	    "Change the Hello interval of a running tunnel",
	    CMD_FN(live_do_hello_tunnel)},
	{"reset l2tp tunnel", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_TUNNEL, .lo = 1, .hi = 65535,
		.help = "the local tunnel id"},
	    RESULT_OPTS("StopCCN"), END},
	    "Tear a tunnel down with a StopCCN", CMD_FN(live_do_reset_tunnel)},
	{"reset l2tp session", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_SESSION, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    RESULT_OPTS("CDN"), END},
	    "Clear a session with a CDN", CMD_FN(live_do_reset_session)},
	{"display l2tp tunnel", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_TUNNEL, .flags = CMD_OPT, .lo = 1,
		.hi = 65535, .help = "one tunnel, with every counter"},
	    {.kw = "verbose", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "every counter of every tunnel"},
	    JSON, END},
	    "Show tunnels", CMD_FN(live_do_disp_tunnel)},
	{"display l2tp session", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_SESSION, .flags = CMD_OPT, .lo = 1,
		.hi = 65535, .help = "one session in full"},
	    JSON, END},
	    "Show sessions (calls)", CMD_FN(live_do_disp_session)},
	{"display l2tp statistics", (const struct cmd_arg[]){JSON, END},
	    "Show totals over all tunnels", CMD_FN(live_do_disp_stats)},
	{"display l2tp config", (const struct cmd_arg[]){JSON, END},
	    "Show every setting, its value and whether it is the default",
	    CMD_FN(sh_do_disp_config)},
	{"display l2tp history", (const struct cmd_arg[]){
	    TUN_OPT,
	    {.kw = "ladder", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "draw a sequence diagram"},
	    JSON, END},
	    "Show the messages exchanged, in order",
	    CMD_FN(live_do_disp_history)},
	{"display packet", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 0x7fffffffL,
		.help = "number in display l2tp history"},
	    JSON, END},
	    "Decode one message of the history in full",
	    CMD_FN(live_do_disp_packet)},
	{"decode", (const struct cmd_arg[]){
	    {.meta = "FILE", .kind = CMD_K_FILE,
		.help = "pcap or pcapng capture file"},
	    {.kw = "filter", .meta = "BPF", .kind = CMD_K_TEXT,
		.flags = CMD_OPT, .help = "BPF filter (the rest of the line, "
		"or one quoted word)"},
	    {.kw = "verbose", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "every field and AVP as a tree"},
	    JSON,
	    {.kw = "secret", .meta = "S", .kind = CMD_K_WORD,
		.flags = CMD_OPT | CMD_REP,
		.help = "secret to unhide AVPs and check challenges"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT | CMD_REP, .lo = 1, .hi = 65535,
		.help = "UDP port carrying L2TP (default 1701)"},
	    {.kw = "count", .meta = "N", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 0x7fffffffL,
		.help = "stop after N packets"},
	    {.kw = "tunnel", .meta = "ID", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "only this tunnel (either end's Tunnel ID)"},
	    {.kw = "session", .meta = "ID", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "only this session (either end's Session ID)"},
	    {.kw = "write", .meta = "OUT", .kind = CMD_K_FILE,
		.flags = CMD_OPT,
		.help = "write the frames selected to a pcap file"}, END},
	    "Decode a capture file, like l2tpsh -r", CMD_FN(sh_do_decode)},
	{"analyze", (const struct cmd_arg[]){
	    {.meta = "FILE", .kind = CMD_K_FILE,
		.help = "pcap or pcapng capture file"},
	    {.kw = "secret", .meta = "S", .kind = CMD_K_WORD,
		.flags = CMD_OPT | CMD_REP,
		.help = "secret to verify challenge responses"},
	    {.kw = "password", .meta = "P", .kind = CMD_K_WORD,
		.flags = CMD_OPT | CMD_REP,
		.help = "PPP password to check CHAP and PAP against"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT | CMD_REP, .lo = 1, .hi = 65535,
		.help = "UDP port carrying L2TP (default 1701)"},
	    JSON,
	    {.kw = "tunnel", .meta = "ID", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "only this tunnel (either end's Tunnel ID)"},
	    {.kw = "session", .meta = "ID", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "only this session (either end's Session ID)"},
	    {.kw = "filter", .meta = "BPF", .kind = CMD_K_TEXT,
		.flags = CMD_OPT, .help = "BPF filter (the rest of the line, "
		"or one quoted word)"},
	    END},
	    "Rebuild the tunnels of a capture and check them",
	    CMD_FN(sh_do_analyze)},
	{"capture start", (const struct cmd_arg[]){
	    {.meta = "IFACE", .kind = CMD_K_IFACE,
		.help = "interface to capture on"},
	    {.kw = "filter", .meta = "BPF", .kind = CMD_K_TEXT,
		.flags = CMD_OPT, .help = "BPF filter (the rest of the line, "
		"or one quoted word)"},
	    {.kw = "write", .meta = "FILE", .kind = CMD_K_FILE,
		.flags = CMD_OPT, .help = "also save the packets to a pcap"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT | CMD_REP, .lo = 1, .hi = 65535,
		.help = "UDP port carrying L2TP besides 1701 and the "
		"shell's own"},
	    {.kw = "secret", .meta = "S", .kind = CMD_K_WORD,
		.flags = CMD_OPT | CMD_REP,
		.help = "secret to unhide AVPs, besides the shell's"},
	    JSON, END},
	    "Decode live traffic above the prompt", CMD_FN(cap_do_start)},
	{"capture stop", (const struct cmd_arg[]){END},
	    "Stop the live capture", CMD_FN(cap_do_stop)},
	{"record start", (const struct cmd_arg[]){
	    {.meta = "FILE", .kind = CMD_K_FILE,
		.help = "pcap file to write"}, END},
	    "Write every datagram sent and received to a pcap file",
	    CMD_FN(live_do_record_start)},
	{"record stop", (const struct cmd_arg[]){END},
	    "Close the recording", CMD_FN(live_do_record_stop)},
	{"debugging l2tp", (const struct cmd_arg[]){
	    {.meta = "all|event|packet|avp|lab", .kind = CMD_K_CHOICE,
		.choices = DBG_CLASSES,
		.help = "event class to show live above the prompt"}, END},
	    "Show a class of engine events as they happen",
	    CMD_FN(sh_do_debugging)},
	{"undo debugging", (const struct cmd_arg[]){
	    {.kw = "l2tp", .meta = "all|event|packet|avp|lab",
		.kind = CMD_K_CHOICE, .flags = CMD_OPT, .choices = DBG_CLASSES,
		.help = "event class to stop showing (default all)"}, END},
	    "Stop showing events", CMD_FN(sh_do_undo_debugging)},
	{"no debugging", (const struct cmd_arg[]){
	    {.kw = "l2tp", .meta = "all|event|packet|avp|lab",
		.kind = CMD_K_CHOICE, .flags = CMD_OPT, .choices = DBG_CLASSES,
		.help = "event class to stop showing (default all)"}, END},
	    "Stop showing events (same as undo debugging)",
	    CMD_FN(sh_do_undo_debugging)},
	{"set ppp user", (const struct cmd_arg[]){
	    {.meta = "NAME", .kind = CMD_K_WORD, .help = "our PPP user name"},
	    {.kw = "password", .meta = "PW", .kind = CMD_K_WORD,
		.help = "its password (masked in the history)"}, END},
	    "Set the name and password the LAC side's PPP logs in with",
	    CMD_FN(live_do_ppp_user)},
	{"set ppp local-user", (const struct cmd_arg[]){
	    {.meta = "NAME", .kind = CMD_K_WORD,
		.help = "a user the LNS side accepts"},
	    {.kw = "password", .meta = "PW", .kind = CMD_K_WORD,
		.help = "its password (masked in the history)"}, END},
	    "Add a user the LNS side's PPP accepts (repeatable)",
	    CMD_FN(live_do_ppp_local_user)},
	{"set ppp auth", (const struct cmd_arg[]){
	    {.meta = "POLICY", .kind = CMD_K_CHOICE,
		.choices = "pap chap any none",
		.help = "what the LNS side demands (any: CHAP, then PAP)"}, END},
	    "Set the authentication the LNS side's PPP demands",
	    CMD_FN(live_do_ppp_auth)},
	{"set ppp pool", (const struct cmd_arg[]){
	    {.meta = "PREFIX", .kind = CMD_K_WORD,
		.help = "A.B.C.D/LEN (16..30); the first address is ours"}, END},
	    "Set the addresses the LNS side's IPCP hands out",
	    CMD_FN(live_do_ppp_pool)},
	{"set ppp dns", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR,
		.help = "the DNS server IPCP hands out"}, END},
	    "Set the DNS server the LNS side's IPCP hands out",
	    CMD_FN(live_do_ppp_dns)},
	{"set ppp echo-interval", (const struct cmd_arg[]){
	    {.meta = "SEC", .kind = CMD_K_NUMBER, .lo = 0, .hi = 3600,
		.help = "seconds between LCP Echo-Requests, 0 = none"}, END},
	    "Set the LCP keepalive interval", CMD_FN(live_do_ppp_echo_interval)},
	{"set ppp echo-failures", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 255,
		.help = "echoes unanswered in a row before the call is cleared"},
	    END},
	    "Set how many lost LCP echoes clear a call",
	    CMD_FN(live_do_ppp_echo_failures)},
	{"set ppp state", (const struct cmd_arg[]){
	    ONOFF("run PPP on connected calls (off: bare calls)"), END},
	    "Run PPP in calls or keep them bare", CMD_FN(live_do_ppp_state)},
	{"set ppp proxy", (const struct cmd_arg[]){
	    ONOFF("send Proxy LCP and authentication AVPs on the ICCN"), END},
	    "Send proxy AVPs as a LAC (RFC 2661 4.4.5)",
	    CMD_FN(live_do_ppp_proxy)},
	{"ping", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR,
		.help = "IPv4 (over IPCP) or IPv6 (over IPv6CP) address"},
	    {.kw = "session", .meta = "ID", .kind = CMD_K_SESSION,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "the session (default the newest)"},
	    {.kw = "count", .meta = "N", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 100000,
		.help = "echo requests to send (default 4)"},
	    {.kw = "size", .meta = "BYTES", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 8, .hi = 65000,
		.help = "payload bytes (default 56)"},
	    {.kw = "interval", .meta = "MS", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 10, .hi = 60000,
		.help = "milliseconds between requests (default 1000)"},
	    {.kw = "df", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "set Don't Fragment"},
	    JSON, END},
	    "Send ICMP echo requests through a session, like ping(8)",
	    CMD_FN(live_do_ping)},
	{"help", (const struct cmd_arg[]){
	    {.meta = "COMMAND", .kind = CMD_K_TEXT, .flags = CMD_OPT,
		.help = "a command (or its first words) to explain"}, END},
	    "List the commands, or explain one", CMD_FN(sh_do_help)},
	{"history", (const struct cmd_arg[]){END},
	    "List the lines typed so far", CMD_FN(sh_do_history)},
	{"quit", (const struct cmd_arg[]){END},
	    "Leave l2tpsh", CMD_FN(sh_do_quit)},
};

static const struct cmd_node nodes[] = {
	{"set", "Change a setting (display l2tp config shows them)"},
	{"set retransmit", "Retransmission of control messages"},
	{"set ppp", "PPP in calls (subscriber on the LAC side, server on "
	    "the LNS side)"},
	{"no", "Undo a setting"},
	{"lns", "Act as an L2TP Network Server"},
	{"lac", "Act as an L2TP Access Concentrator"},
	{"lab", "The built-in peer on loopback"},
	{"call", "Open or close calls (sessions)"},
	{"reset", "Tear down tunnels or sessions"},
	{"reset l2tp", "Tear down L2TP tunnels or sessions"},
	{"display", "Show tunnels, sessions, settings, history"},
	{"display l2tp", "L2TP state"},
	{"capture", "Live capture"},
	{"record", "Record datagrams to a pcap file"},
	{"debugging", "Choose the events shown as they happen"},
	{"undo", "Undo a debugging choice"},
};

/* clang-format on */

/* The message names send takes: the decoder's table and "zlb". */
static void
msg_expect(const struct cmd_arg *a, char *buf, size_t len)
{
	size_t n, o = 0;
	const struct l2tp_msg_info *m = l2tp_msg_table(&n);
	char list[512];

	(void)a;
	list[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
		                      i ? ", " : "", m[i].name);
	if (o < sizeof(list))
		snprintf(list + o, sizeof(list) - o, ", ZLB");
	for (char *p = list; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(buf, len, "a message name (%s)", list);
}

static bool
msg_ok(const char *s)
{
	return strcasecmp(s, "zlb") == 0 || l2tp_msg_by_name(s) != NULL;
}

/* An AVP key of the decoder's table; NAME! (the same AVP, hidden) too. */
static bool
avp_key_ok(const char *s, size_t n)
{
	char key[64];

	if (n > 1 && s[n - 1] == '!')
		n--;
	if (n == 0 || n >= sizeof(key))
		return false;
	memcpy(key, s, n);
	key[n] = '\0';
	return l2tp_avp_by_key(key) != NULL;
}

static bool
avp_ok(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq && avp_key_ok(s, (size_t)(eq - s));
}

static bool
avpname_ok(const char *s)
{
	return avp_key_ok(s, strlen(s));
}

/* l2tpsh's kinds of value, indexed by CMD_K_* - CMD_K_OWNER. */
static const struct cmd_type types[] = {
    [CMD_K_TUNNEL - CMD_K_OWNER] = {.base = CMD_K_NUMBER,
                                    .source = CMD_C_TUNNEL,
                                    .hint = true,
                                    .expect = "a tunnel id from %ld to %ld"},
    [CMD_K_SESSION - CMD_K_OWNER] = {.base = CMD_K_NUMBER,
                                     .source = CMD_C_SESSION,
                                     .hint = true,
                                     .expect = "a session id from %ld to %ld"},
    [CMD_K_MSG - CMD_K_OWNER] = {.base = CMD_K_WORD,
                                 .source = CMD_C_MSG,
                                 .expect_fn = msg_expect,
                                 .check = msg_ok},
    [CMD_K_AVP - CMD_K_OWNER] = {.base = CMD_K_WORD,
                                 .source = CMD_C_AVP,
                                 .expect = "NAME=VALUE, NAME an AVP name "
                                           "(Tab lists them)",
                                 .check = avp_ok},
    [CMD_K_AVPNAME - CMD_K_OWNER] = {.base = CMD_K_WORD,
                                     .source = CMD_C_AVPNAME,
                                     .expect = "an AVP name (Tab lists them)",
                                     .check = avpname_ok},
    [CMD_K_IFACE - CMD_K_OWNER] = {.base = CMD_K_WORD,
                                   .source = CMD_C_IFACE,
                                   .expect = "an interface name"},
    [CMD_K_HELD - CMD_K_OWNER] = {.base = CMD_K_NUMBER,
                                  .source = CMD_C_HELD,
                                  .hint = true,
                                  .expect = "a held message number "
                                            "(pending lists them)"},
};

/*
 * The command rows of the settings ("set NAME VALUE"), made from their
 * table (cli/settings.c): the type gives the arguments; secret_extra are
 * added to the secret's row (per peer).  A row's arguments: at most two
 * values, the secret's options, an end.
 */
#define ROW_ARGS 8
static struct cmd_arg row_args[SET_MAX_ROWS][ROW_ARGS];

static size_t
set_cmd_rows(struct cmd_def *out, size_t cap, cmd_fn fn,
             const struct cmd_arg *secret_extra, size_t nextra)
{
	static char paths[SET_MAX_ROWS][64];
	size_t k = 0, nset;
	const struct setting *st = set_table(&nset);

	for (size_t i = 0; i < nset && i < SET_MAX_ROWS && k < cap; i++) {
		const struct setting *s = &st[i];
		struct cmd_arg *a = row_args[i];
		size_t na = 0;

		memset(a, 0, sizeof(row_args[i]));
		snprintf(paths[i], sizeof(paths[i]), "set %s", s->name);
		a[na].meta = s->meta;
		a[na].help = s->arg_help;
		switch (s->type) {
		case SET_NAME:
		case SET_SECRET:
			a[na++].kind = CMD_K_WORD;
			break;
		case SET_NUMBER:
		case SET_SECONDS:
		case SET_SECONDS2:
			a[na].kind = CMD_K_NUMBER;
			a[na].lo = s->lo;
			a[na++].hi = s->hi;
			if (s->type == SET_SECONDS2) {
				a[na].meta = s->meta2;
				a[na].help = s->arg2_help;
				a[na].kind = CMD_K_NUMBER;
				a[na].lo = s->lo2;
				a[na++].hi = s->hi2;
			}
			break;
		case SET_BOOL:
			a[na].kind = CMD_K_CHOICE;
			a[na++].choices = "on off";
			break;
		case SET_MODE:
			a[na].kind = CMD_K_CHOICE;
			a[na++].choices = "auto step";
			break;
		}
		if (s->type == SET_SECRET) {
			/* set secret file PATH (cli/secret.c) */
			a[na].meta = "PATH";
			a[na].kind = CMD_K_FILE;
			a[na].flags = CMD_OPT;
			a[na++].help = "after file: the file whose first line "
			               "is the secret";
		}
		if (s->type == SET_SECRET)
			for (size_t e = 0; e < nextra && na + 1 < ROW_ARGS; e++)
				a[na++] = secret_extra[e];
		out[k].path = paths[i];
		out[k].args = a;
		out[k].help = s->help;
		out[k].fn = fn;
		k++;
	}
	return k;
}

static struct cmd_lang lang = {
    .nodes = nodes,
    .nnodes = sizeof(nodes) / sizeof(nodes[0]),
    .types = types,
    .ntypes = sizeof(types) / sizeof(types[0]),
};

/* The settings' rows first, then the table: made once, on first use. */
static const struct cmd_lang *
lang_get(void)
{
	static const struct cmd_arg secret_for[] = {SECRET_FOR};
	static struct cmd_def
	    all[SET_MAX_ROWS + sizeof(table) / sizeof(table[0])];

	if (lang.defs == NULL) {
		size_t n = set_cmd_rows(
		    all, SET_MAX_ROWS, CMD_FN(sh_do_set), secret_for,
		    sizeof(secret_for) / sizeof(secret_for[0]));

		memcpy(all + n, table, sizeof(table));
		lang.ndefs = n + sizeof(table) / sizeof(table[0]);
		lang.defs = all;
	}
	return &lang;
}

const struct cmd_lang *
cmd_lang(void)
{
	return lang_get();
}

const struct cmd_def *
cmd_table(size_t *n)
{
	const struct cmd_lang *L = lang_get();

	*n = L->ndefs;
	return L->defs;
}

const struct cmd_node *
cmd_nodes(size_t *n)
{
	*n = lang.nnodes;
	return nodes;
}

int
cmd_run(struct sh *sh, const struct cmd_parsed *p)
{
	/* Every row's fn was stored by CMD_FN from a cli_cmd_fn. */
	return ((cli_cmd_fn)p->def->fn)(sh, p);
}

const char *
cmd_kind_expect(const struct cmd_arg *a, char *buf, size_t len)
{
	return cmd_lang_expect(lang_get(), a, buf, len);
}

int
cmd_parse(const char *line, struct cmd_parsed *p, char *err, size_t errlen)
{
	return cmd_lang_parse(lang_get(), line, p, err, errlen);
}

int
cmd_help(const char *line, size_t len, const struct compl_providers *pv,
         FILE *out, char *err, size_t errlen)
{
	return compl_help(lang_get(), pv, line, len, out, err, errlen);
}

/* `help` lists this table, so it lives beside it. */
static int
sh_do_help(struct sh *sh, const struct cmd_parsed *p)
{
	const char *what = cmd_str(p, "COMMAND");
	int shown = cmd_lang_usage(cmd_lang(), what, sh_out(sh));

	if (shown < 0) {
		sh_error(sh, "help: cannot read '%s'", what);
		return -1;
	}
	if (shown == 0) {
		sh_error(sh,
		         "help: no command starts with '%s'; type help for "
		         "the list",
		         what);
		return -1;
	}
	if (!what)
		fprintf(sh_out(sh),
		        "\nKeywords may be abbreviated (dis l2tp tu). "
		        "Type ? anywhere for what may come next, Tab to "
		        "complete.\n");
	return 0;
}

int
sh_run_line(struct sh *sh, const char *line, const char *where)
{
	struct cmd_parsed *p;
	char err[1024];
	int rc;

	sh_set_where(sh, where);
	if ((p = malloc(sizeof(*p))) == NULL) {
		sh_error(sh, "out of memory");
		return -1;
	}
	rc = cmd_parse(line, p, err, sizeof(err));
	if (rc == CMD_E_EMPTY) {
		rc = 0;
	} else if (rc < 0) {
		sh_error(sh, "%s", err);
		rc = -1;
	} else if (p->help) {
		if (cmd_help(line, p->help_at, sh_providers(sh), sh_out(sh),
		             err, sizeof(err)) < 0) {
			sh_error(sh, "%s", err);
			rc = -1;
		}
	} else {
		rc = cmd_run(sh, p);
	}
	fflush(sh_out(sh));
	free(p);
	return rc;
}
