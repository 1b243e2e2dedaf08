/* The shell's one command table and its parser: abbreviation, typed values,
 * errors, `?` help (RFC 2661 operations). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/capture.h"
#include "cli/cmd.h"
#include "cli/live.h"
#include "cli/shell.h"
#include "completion/complete.h"
#include "decoder/proto.h"

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
	    .help = "only for the peer at this address"},                     \
	{.kw = "host", .meta = "NAME", .kind = CMD_K_WORD, .flags = CMD_OPT,  \
	    .help = "only for the peer of this Host Name"}

static const struct cmd_def table[] = {
	{"set local-name", (const struct cmd_arg[]){
	    {.meta = "NAME", .kind = CMD_K_WORD,
		.help = "host name sent in SCCRQ/SCCRP"}, END},
	    "Set the Host Name AVP this end sends", sh_do_set},
	{"set secret", (const struct cmd_arg[]){
	    {.meta = "SECRET", .kind = CMD_K_WORD,
		.help = "the shared tunnel secret"},
	    {.meta = "PATH", .kind = CMD_K_FILE, .flags = CMD_OPT,
		.help = "after file: the file whose first line is the secret"},
	    SECRET_FOR, END},
	    "Set the tunnel secret (authentication and hidden AVPs)",
	    sh_do_set},
	{"set hello-interval", (const struct cmd_arg[]){
	    {.meta = "SEC", .kind = CMD_K_NUMBER, .lo = 0, .hi = 3600,
		.help = "seconds of silence before a Hello, 0 = never"}, END},
	    "Set the Hello interval for new tunnels", sh_do_set},
	{"set window", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 65535,
		.help = "receive window advertised to the peer"}, END},
	    "Set the receive window size", sh_do_set},
	{"set retransmit retries", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 100,
		.help = "sends of a control message before giving up"}, END},
	    "Set how many times a message is sent before the tunnel is "
	    "cleared", sh_do_set},
	{"set retransmit timeout", (const struct cmd_arg[]){
	    {.meta = "MIN", .kind = CMD_K_NUMBER, .lo = 1, .hi = 60,
		.help = "first retransmission timeout, seconds"},
	    {.meta = "MAX", .kind = CMD_K_NUMBER, .lo = 1, .hi = 600,
		.help = "cap of the doubling timeout, seconds"}, END},
	    "Set the retransmission timeout and its cap", sh_do_set},
	{"set hide-avps", (const struct cmd_arg[]){
	    ONOFF("hide hideable AVPs when a secret is set"), END},
	    "Hide AVPs (RFC 2661 4.3) with the secret", sh_do_set},
	{"set challenge", (const struct cmd_arg[]){
	    ONOFF("send a Challenge AVP"), END},
	    "Challenge the peer (tunnel authentication)", sh_do_set},
	{"set tie-breaker", (const struct cmd_arg[]){
	    ONOFF("send a Tie Breaker AVP in SCCRQ"), END},
	    "Send a Tie Breaker AVP", sh_do_set},
	{"set mode", (const struct cmd_arg[]){
	    {.meta = "auto|step", .kind = CMD_K_CHOICE, .choices = "auto step",
		.help = "auto answers by itself, step holds every message"},
	    END},
	    "Run the engine on its own or one message at a time", sh_do_set},
	{"no secret", (const struct cmd_arg[]){SECRET_FOR, END},
	    "Forget the tunnel secret", sh_do_no_secret},
	{"lns listen", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR, .flags = CMD_OPT,
		.help = "local address to listen on (default 127.0.0.1)"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "UDP port (default 1701)"}, END},
	    "Act as an LNS: accept tunnels on a UDP port", live_do_lns_listen},
	{"lac connect", (const struct cmd_arg[]){
	    {.meta = "ADDR", .kind = CMD_K_ADDR,
		.help = "the LNS address, or lab for the built-in peer"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "UDP port of the LNS (default 1701)"}, END},
	    "Act as a LAC: open a tunnel to an LNS", live_do_lac_connect},
	{"lab start", (const struct cmd_arg[]){END},
	    "Start a built-in LNS on loopback to practise against",
	    live_do_lab_start},
	{"lab stop", (const struct cmd_arg[]){END},
	    "Stop the built-in LNS", live_do_lab_stop},
	{"step", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT, .lo = 1,
		.hi = 1000, .help = "how many held messages to release"},
	    END},
	    "Release held messages (step mode)", live_do_step},
	{"pending", (const struct cmd_arg[]){JSON, END},
	    "List the messages held in step mode", live_do_pending},
	{"drop", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .flags = CMD_OPT, .lo = 1,
		.hi = 0x7fffffffL, .help = "number of the held message (default "
		"the first)"}, END},
	    "Discard a held message", live_do_drop},
	{"duplicate", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .flags = CMD_OPT, .lo = 1,
		.hi = 0x7fffffffL, .help = "number of the held draft (default "
		"the first)"}, END},
	    "Send a held draft twice", live_do_duplicate},
	{"delay", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .lo = 1, .hi = 0x7fffffffL,
		.help = "number of the held message"},
	    {.meta = "MS", .kind = CMD_K_NUMBER, .lo = 1, .hi = 3600000,
		.help = "milliseconds until it goes"}, END},
	    "Release a held message later", live_do_delay},
	{"edit", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_HELD, .lo = 1, .hi = 0x7fffffffL,
		.help = "number of the held draft"},
	    MSG_EDITS, END},
	    "Change a held draft before it is sent", live_do_edit},
	{"wait", (const struct cmd_arg[]){
	    {.meta = "UNTIL", .kind = CMD_K_CHOICE,
		.choices = "established idle closed", .or_number = true,
		.lo = 0, .hi = 3600,
		.help = "a tunnel state, or seconds to pause"},
	    TUN_OPT,
	    {.kw = "timeout", .meta = "SEC", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT, .lo = 1, .hi = 3600,
		.help = "give up (an error) after this long (default 10)"},
	    END},
	    "Wait for a tunnel state or a time (for scripts)", live_do_wait},
	{"send", (const struct cmd_arg[]){
	    {.meta = "MSG", .kind = CMD_K_MSG,
		.help = "message type to craft and send"},
	    TUN_OPT,
	    {.kw = "session", .meta = "ID", .kind = CMD_K_SESSION,
		.flags = CMD_OPT, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    MSG_EDITS, END},
	    "Craft and send a control message", live_do_send},
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
	    live_do_call_open},
	{"call close", (const struct cmd_arg[]){
	    {.meta = "SID", .kind = CMD_K_SESSION, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    RESULT_OPTS("CDN"), END},
	    "Close a call with a CDN", live_do_call_close},
	{"hello-interval", (const struct cmd_arg[]){
	    {.meta = "SEC", .kind = CMD_K_NUMBER, .lo = 0, .hi = 3600,
		.help = "seconds of silence before a Hello, 0 = never"},
	    {.kw = "tunnel", .meta = "ID", .kind = CMD_K_TUNNEL, .lo = 1,
		.hi = 65535, .help = "the local tunnel id"}, END},
	    "Change the Hello interval of a running tunnel",
	    live_do_hello_tunnel},
	{"reset l2tp tunnel", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_TUNNEL, .lo = 1, .hi = 65535,
		.help = "the local tunnel id"},
	    RESULT_OPTS("StopCCN"), END},
	    "Tear a tunnel down with a StopCCN", live_do_reset_tunnel},
	{"reset l2tp session", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_SESSION, .lo = 1, .hi = 65535,
		.help = "the local session id"},
	    RESULT_OPTS("CDN"), END},
	    "Clear a session with a CDN", live_do_reset_session},
	{"display l2tp tunnel", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_TUNNEL, .flags = CMD_OPT, .lo = 1,
		.hi = 65535, .help = "one tunnel, with every counter"},
	    {.kw = "verbose", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "every counter of every tunnel"},
	    JSON, END},
	    "Show tunnels", live_do_disp_tunnel},
	{"display l2tp session", (const struct cmd_arg[]){
	    {.meta = "ID", .kind = CMD_K_SESSION, .flags = CMD_OPT, .lo = 1,
		.hi = 65535, .help = "one session in full"},
	    JSON, END},
	    "Show sessions (calls)", live_do_disp_session},
	{"display l2tp statistics", (const struct cmd_arg[]){JSON, END},
	    "Show totals over all tunnels", live_do_disp_stats},
	{"display l2tp config", (const struct cmd_arg[]){JSON, END},
	    "Show every setting, its value and whether it is the default",
	    sh_do_disp_config},
	{"display l2tp history", (const struct cmd_arg[]){
	    TUN_OPT,
	    {.kw = "ladder", .kind = CMD_K_FLAG, .flags = CMD_OPT,
		.help = "draw a sequence diagram"},
	    JSON, END},
	    "Show the messages exchanged, in order", live_do_disp_history},
	{"display packet", (const struct cmd_arg[]){
	    {.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 0x7fffffffL,
		.help = "number in display l2tp history"},
	    JSON, END},
	    "Decode one message of the history in full", live_do_disp_packet},
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
		.help = "stop after N packets"}, END},
	    "Decode a capture file, like l2tpsh -r", sh_do_decode},
	{"analyze", (const struct cmd_arg[]){
	    {.meta = "FILE", .kind = CMD_K_FILE,
		.help = "pcap or pcapng capture file"},
	    {.kw = "secret", .meta = "S", .kind = CMD_K_WORD,
		.flags = CMD_OPT | CMD_REP,
		.help = "secret to verify challenge responses"},
	    {.kw = "port", .meta = "PORT", .kind = CMD_K_NUMBER,
		.flags = CMD_OPT | CMD_REP, .lo = 1, .hi = 65535,
		.help = "UDP port carrying L2TP (default 1701)"},
	    JSON,
	    {.kw = "filter", .meta = "BPF", .kind = CMD_K_TEXT,
		.flags = CMD_OPT, .help = "BPF filter (the rest of the line, "
		"or one quoted word)"},
	    END},
	    "Rebuild the tunnels of a capture and check them",
	    sh_do_analyze},
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
		.help = "UDP port carrying L2TP (default 1701)"},
	    JSON, END},
	    "Decode live traffic above the prompt", cap_do_start},
	{"capture stop", (const struct cmd_arg[]){END},
	    "Stop the live capture", cap_do_stop},
	{"record start", (const struct cmd_arg[]){
	    {.meta = "FILE", .kind = CMD_K_FILE,
		.help = "pcap file to write"}, END},
	    "Write every datagram sent and received to a pcap file",
	    live_do_record_start},
	{"record stop", (const struct cmd_arg[]){END},
	    "Close the recording", live_do_record_stop},
	{"debugging l2tp", (const struct cmd_arg[]){
	    {.meta = "all|event|packet|avp|lab", .kind = CMD_K_CHOICE,
		.choices = DBG_CLASSES,
		.help = "event class to show live above the prompt"}, END},
	    "Show a class of engine events as they happen", sh_do_debugging},
	{"undo debugging", (const struct cmd_arg[]){
	    {.kw = "l2tp", .meta = "all|event|packet|avp|lab",
		.kind = CMD_K_CHOICE, .flags = CMD_OPT, .choices = DBG_CLASSES,
		.help = "event class to stop showing (default all)"}, END},
	    "Stop showing events", sh_do_undo_debugging},
	{"no debugging", (const struct cmd_arg[]){
	    {.kw = "l2tp", .meta = "all|event|packet|avp|lab",
		.kind = CMD_K_CHOICE, .flags = CMD_OPT, .choices = DBG_CLASSES,
		.help = "event class to stop showing (default all)"}, END},
	    "Stop showing events (same as undo debugging)",
	    sh_do_undo_debugging},
	{"help", (const struct cmd_arg[]){
	    {.meta = "COMMAND", .kind = CMD_K_TEXT, .flags = CMD_OPT,
		.help = "a command (or its first words) to explain"}, END},
	    "List the commands, or explain one", sh_do_help},
	{"history", (const struct cmd_arg[]){END},
	    "List the lines typed so far", sh_do_history},
	{"quit", (const struct cmd_arg[]){END},
	    "Leave l2tpsh", sh_do_quit},
};

static const struct cmd_node nodes[] = {
	{"set", "Change a setting (display l2tp config shows them)"},
	{"set retransmit", "Retransmission of control messages"},
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

const struct cmd_def *
cmd_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct cmd_node *
cmd_nodes(size_t *n)
{
	*n = sizeof(nodes) / sizeof(nodes[0]);
	return nodes;
}

/* What each kind of value is, in the words of an error message. */
static const char *const kind_expect[CMD_K_COUNT] = {
    [CMD_K_FLAG] = "nothing",
    [CMD_K_NUMBER] = "a number from %ld to %ld",
    [CMD_K_WORD] = "a word (quote it if it has blanks)",
    [CMD_K_CHOICE] = "one of: %s",
    [CMD_K_ADDR] = "an IPv4 or IPv6 address, or lab",
    [CMD_K_FILE] = "a file name",
    [CMD_K_TUNNEL] = "a tunnel id from %ld to %ld",
    [CMD_K_SESSION] = "a session id from %ld to %ld",
    [CMD_K_MSG] = "a message name (%s)",
    [CMD_K_AVP] = "NAME=VALUE, NAME an AVP name (Tab lists them)",
    [CMD_K_AVPNAME] = "an AVP name (Tab lists them)",
    [CMD_K_IFACE] = "an interface name",
    [CMD_K_TEXT] = "text",
    [CMD_K_HELD] = "a held message number (pending lists them)",
};

/* The message names send takes: the decoder's table and "zlb". */
static void
msg_names(char *buf, size_t len)
{
	size_t n, o = 0;
	const struct l2tp_msg_info *m = l2tp_msg_table(&n);

	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++) {
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
		                      m[i].name);
	}
	if (o < len)
		snprintf(buf + o, len - o, ", ZLB");
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

const char *
cmd_kind_expect(const struct cmd_arg *a, char *buf, size_t len)
{
	const char *f = kind_expect[a->kind];
	char list[512];

	switch (a->kind) {
	case CMD_K_NUMBER:
	case CMD_K_TUNNEL:
	case CMD_K_SESSION:
		snprintf(buf, len, f, a->lo, a->hi);
		break;
	case CMD_K_CHOICE: {
		size_t o = 0;

		for (const char *p = a->choices; *p && o + 3 < sizeof(list);
		     p++)
			if (*p == ' ') {
				list[o++] = ',';
				list[o++] = ' ';
			} else {
				list[o++] = *p;
			}
		list[o] = '\0';
		if (a->or_number)
			snprintf(buf, len,
			         "one of: %s, or seconds from %ld "
			         "to %ld",
			         list, a->lo, a->hi);
		else
			snprintf(buf, len, f, list);
		break;
	}
	case CMD_K_MSG:
		msg_names(list, sizeof(list));
		snprintf(buf, len, f, list);
		break;
	default:
		snprintf(buf, len, "%s", f);
		break;
	}
	return buf;
}

size_t
cmd_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64], prev, best;

	if (la >= 64 || lb >= 64)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) ==
			                      tolower((unsigned char)b[j - 1])
			                  ? 0
			                  : 1;
			size_t v = prev + cost, up = row[j];

			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			prev = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

/* Append words to buf as "a, b, c" (each word ends at a blank). */
static void
list_words(char *buf, size_t len, const char *const *w, size_t n)
{
	size_t o = strlen(buf);

	for (size_t i = 0; i < n && o < len; i++) {
		const char *e = strchr(w[i], ' ');
		int l = e ? (int)(e - w[i]) : (int)strlen(w[i]);

		o += (size_t)snprintf(buf + o, len - o, "%s%.*s", i ? ", " : "",
		                      l, w[i]);
	}
}

/* The candidates closest to s by edit distance, or NULL count. */
static size_t
closest(const char *s, const char *const *cand, size_t n, const char **out)
{
	size_t best = strlen(s) / 3 + 1, k = 0; /* a third of it wrong */
	char w[64];

	if (best > 3)
		best = 3;
	for (size_t i = 0; i < n; i++) {
		const char *e = strchr(cand[i], ' ');
		size_t l = e ? (size_t)(e - cand[i]) : strlen(cand[i]), d;

		snprintf(w, sizeof(w), "%.*s", (int)l, cand[i]);
		d = cmd_distance(s, w, best);
		/* A misspelt abbreviation: compare with the same length. */
		if (d > best && strlen(s) >= 3 && strlen(s) < l) {
			w[strlen(s)] = '\0';
			d = cmd_distance(s, w, 1);
			d = d <= 1 ? best : best + 1;
		}
		if (d < best) {
			best = d;
			k = 0;
		}
		if (d == best)
			out[k++] = cand[i];
	}
	return k;
}

static void
path_text(const struct compl_walk *w, size_t upto, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < upto && o < len; i++)
		if (w->asg[i] == COMPL_PATH)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
			                      o ? " " : "", w->word[i]);
}

static size_t
nargs(const struct cmd_def *d)
{
	size_t n = 0;

	while (d->args[n].kw || d->args[n].meta)
		n++;
	return n;
}

/* The option keywords of d still open, for "expected one of". */
static size_t
open_opts(const struct cmd_def *d, unsigned long used, const char **out,
          size_t max)
{
	size_t k = 0, na = nargs(d);

	for (size_t i = 0; i < na && k < max; i++)
		if (d->args[i].kw &&
		    (!(used & (1ul << i)) || (d->args[i].flags & CMD_REP)))
			out[k++] = d->args[i].kw;
	return k;
}

/* Words for the walker's verdict on a line. */
static int
walk_error(const struct compl_lex *lx, const struct compl_walk *w, char *err,
           size_t len)
{
	const char *cand[COMPL_MAX], *near[COMPL_MAX];
	const char *s = lx->tok[w->err_tok].s;
	char where[256];
	size_t n, k, tn;
	const struct cmd_def *tab = cmd_table(&tn);

	path_text(w, w->err_tok, where, sizeof(where));
	if (w->def == NULL) {
		const char *path[CMD_MAX_PATH];

		for (size_t i = 0, d = 0; i < w->err_tok; i++)
			if (w->asg[i] == COMPL_PATH)
				path[d++] = w->word[i];
		n = compl_path_words(tab, tn, path, w->depth, cand, COMPL_MAX);
	} else {
		n = open_opts(w->def, w->used, cand, COMPL_MAX);
	}
	if (w->err == CMD_E_AMBIG) {
		k = 0;
		for (size_t i = 0; i < n; i++)
			if (compl_prefix(s, cand[i]))
				near[k++] = cand[i];
		snprintf(err, len, "ambiguous '%s'%s%s%s: it could be ", s,
		         *where ? " after '" : "", where, *where ? "'" : "");
		list_words(err, len, near, k);
		snprintf(err + strlen(err), len - strlen(err),
		         "; type more letters");
		return CMD_E_AMBIG;
	}
	if (w->err == CMD_E_EXTRA) {
		snprintf(err, len, "unexpected '%s' after '%s'", s, where);
		if (n == 0) {
			snprintf(err + strlen(err), len - strlen(err),
			         ": the command takes nothing more");
			return CMD_E_EXTRA;
		}
		k = closest(s, cand, n, near);
		snprintf(err + strlen(err), len - strlen(err),
		         k ? "; did you mean " : "; expected one of: ");
		list_words(err, len, k ? near : cand, k ? k : n);
		return CMD_E_EXTRA;
	}
	if (*where)
		snprintf(err, len, "unknown keyword '%s' after '%s'", s, where);
	else
		snprintf(err, len, "unknown command '%s'", s);
	k = closest(s, cand, n, near);
	if (k) {
		snprintf(err + strlen(err), len - strlen(err),
		         "; did you mean ");
		list_words(err, len, near, k);
		snprintf(err + strlen(err), len - strlen(err), "?");
	} else if (*where) {
		snprintf(err + strlen(err), len - strlen(err),
		         "; expected one of: ");
		list_words(err, len, cand, n);
	} else {
		snprintf(err + strlen(err), len - strlen(err),
		         "; type ? or help for the list of commands");
	}
	return CMD_E_UNKNOWN;
}

static const char *
arg_name(const struct cmd_arg *a, char *buf, size_t len)
{
	if (a->kw && a->meta)
		snprintf(buf, len, "%s %s", a->kw, a->meta);
	else
		snprintf(buf, len, "%s", a->meta ? a->meta : a->kw);
	return buf;
}

static bool
parse_long(const char *s, long lo, long hi, long *v)
{
	char *e;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return false;
	*v = strtol(s, &e, 10);
	return errno == 0 && *e == '\0' && *v >= lo && *v <= hi;
}

static bool
avp_key_ok(const char *s, size_t n)
{
	char key[64];

	/* NAME!=VALUE: the same AVP, hidden. */
	if (n > 1 && s[n - 1] == '!')
		n--;
	if (n == 0 || n >= sizeof(key))
		return false;
	memcpy(key, s, n);
	key[n] = '\0';
	return l2tp_avp_by_key(key) != NULL;
}

/* Check one value against its kind; 0 or CMD_E_BAD with err set. */
static int
check_value(const struct cmd_def *d, const struct cmd_arg *a, const char *s,
            const char *word, struct cmd_val *v, char *err, size_t len)
{
	char exp[600], name[64];
	struct in6_addr a6;
	const char *eq;
	bool ok = true;

	v->n = 0;
	switch (a->kind) {
	case CMD_K_NUMBER:
	case CMD_K_TUNNEL:
	case CMD_K_SESSION:
	case CMD_K_HELD:
		ok = parse_long(s, a->lo, a->hi, &v->n);
		break;
	case CMD_K_CHOICE:
		if (word == NULL && a->or_number)
			ok = parse_long(s, a->lo, a->hi, &v->n);
		else
			ok = word != NULL;
		break;
	case CMD_K_ADDR:
		ok = strcasecmp(s, "lab") == 0 ||
		     inet_pton(AF_INET, s, &a6) == 1 ||
		     inet_pton(AF_INET6, s, &a6) == 1;
		break;
	case CMD_K_MSG:
		ok = strcasecmp(s, "zlb") == 0 || l2tp_msg_by_name(s) != NULL;
		break;
	case CMD_K_AVP:
		eq = strchr(s, '=');
		ok = eq && avp_key_ok(s, (size_t)(eq - s));
		break;
	case CMD_K_AVPNAME:
		ok = avp_key_ok(s, strlen(s));
		break;
	case CMD_K_WORD:
	case CMD_K_FILE:
	case CMD_K_IFACE:
		ok = *s != '\0';
		break;
	default:
		break;
	}
	if (ok)
		return 0;
	snprintf(err, len, "bad %s '%s' for '%s': expected %s",
	         arg_name(a, name, sizeof(name)), s, d->path,
	         cmd_kind_expect(a, exp, sizeof(exp)));
	return CMD_E_BAD;
}

static const char *
keep(struct cmd_parsed *p, size_t *used, const char *s, size_t n)
{
	char *d;

	if (sizeof(p->buf) - *used < n + 1)
		return NULL;
	d = p->buf + *used;
	memcpy(d, s, n);
	d[n] = '\0';
	*used += n + 1;
	return d;
}

int
cmd_parse(const char *line, struct cmd_parsed *p, char *err, size_t len)
{
	struct compl_lex *lx;
	struct compl_walk *w;
	const struct cmd_def *d;
	size_t ntab, used = 0, na, t;
	int rc = 0;
	char name[64], exp[600];

	memset(p, 0, offsetof(struct cmd_parsed, buf));
	err[0] = '\0';
	if (strlen(line) >= CMD_LINE_MAX) {
		snprintf(err, len, "line too long: at most %d characters",
		         CMD_LINE_MAX - 1);
		return CMD_E_LONG;
	}
	if ((lx = malloc(sizeof(*lx))) == NULL ||
	    (w = malloc(sizeof(*w))) == NULL) {
		free(lx);
		snprintf(err, len, "out of memory");
		return CMD_E_LONG;
	}
	if (compl_lex(line, strlen(line), lx) < 0) {
		snprintf(err, len, "too many words: at most %d", CMD_MAX_TOK);
		rc = CMD_E_LONG;
		goto out;
	}
	if (lx->open_quote) {
		snprintf(err, len,
		         "unclosed quote in '%s': end the quoted "
		         "text with the same quote",
		         lx->tok[lx->n - 1].s);
		rc = CMD_E_QUOTE;
		goto out;
	}
	if (lx->help) {
		p->help = true;
		p->help_at = lx->help_at;
		goto out;
	}
	if (lx->n == 0) {
		rc = CMD_E_EMPTY;
		goto out;
	}
	cmd_table(&ntab);
	compl_walk(table, ntab, lx, lx->n, w);
	if (w->err) {
		rc = walk_error(lx, w, err, len);
		goto out;
	}
	if ((d = w->def) == NULL) {
		const char *path[CMD_MAX_PATH], *cand[COMPL_MAX];
		char where[256];
		size_t n;

		for (size_t i = 0, k = 0; i < lx->n; i++)
			path[k++] = w->word[i];
		n = compl_path_words(table, ntab, path, w->depth, cand,
		                     COMPL_MAX);
		path_text(w, lx->n, where, sizeof(where));
		snprintf(err, len,
		         "incomplete command '%s': add one of: ", where);
		list_words(err, len, cand, n);
		rc = CMD_E_MISSING;
		goto out;
	}
	p->def = d;
	na = nargs(d);
	if (w->pending >= 0) {
		const struct cmd_arg *a = &d->args[w->pending];

		snprintf(err, len, "'%s' needs a value: %s, %s", a->kw, a->meta,
		         cmd_kind_expect(a, exp, sizeof(exp)));
		rc = CMD_E_MISSING;
		goto out;
	}
	for (t = 0; t < lx->n; t++) {
		int ai = w->asg[t];
		const struct cmd_arg *a;
		struct cmd_val *v;
		const char *s = lx->tok[t].s;
		size_t sl = strlen(s);

		if (ai == COMPL_PATH)
			continue;
		if (ai == COMPL_OPTKW) {
			/* Find which option; flags are values of their own. */
			for (size_t i = 0; i < na; i++)
				if (d->args[i].kw &&
				    strcmp(d->args[i].kw, w->word[t]) == 0)
					ai = (int)i;
			a = &d->args[ai];
			for (size_t i = 0; i < p->nval; i++)
				if (p->val[i].arg == ai &&
				    !(a->flags & CMD_REP)) {
					snprintf(err, len,
					         "'%s' given twice; "
					         "give it once",
					         a->kw);
					rc = CMD_E_TWICE;
					goto out;
				}
			if (a->kind != CMD_K_FLAG)
				continue;
			v = &p->val[p->nval++];
			v->arg = ai;
			v->s = a->kw;
			v->n = 1;
			continue;
		}
		a = &d->args[ai];
		v = &p->val[p->nval++];
		v->arg = ai;
		if (a->kind == CMD_K_TEXT && !lx->tok[t].quoted) {
			/* The rest of the line, as typed. */
			size_t st = lx->tok[t].start, e = strlen(line);

			while (e > st &&
			       (line[e - 1] == ' ' || line[e - 1] == '\n' ||
			        line[e - 1] == '\t'))
				e--;
			v->s = keep(p, &used, line + st, e - st);
			break;
		}
		if (a->kind == CMD_K_CHOICE && w->word[t])
			v->s = keep(p, &used, w->word[t], strlen(w->word[t]));
		else
			v->s = keep(p, &used, s, sl);
		if (v->s == NULL) {
			snprintf(err, len, "line too long");
			rc = CMD_E_LONG;
			goto out;
		}
		if ((rc = check_value(d, a, s,
		                      a->kind == CMD_K_CHOICE ? w->word[t] : s,
		                      v, err, len)) < 0)
			goto out;
	}
	for (size_t i = 0; i < na; i++) {
		const struct cmd_arg *a = &d->args[i];

		/* Positional or keyword: what is not optional must be there. */
		if (!(a->flags & CMD_OPT) && !(w->used & (1ul << i))) {
			snprintf(err, len, "'%s' needs %s (%s): %s", d->path,
			         arg_name(a, name, sizeof(name)), a->help,
			         cmd_kind_expect(a, exp, sizeof(exp)));
			rc = CMD_E_MISSING;
			goto out;
		}
		if (a->needs && (w->used & (1ul << i)) &&
		    !cmd_has(p, a->needs)) {
			snprintf(err, len,
			         "'%s' goes with '%s': give %s N "
			         "first",
			         a->kw, a->needs, a->needs);
			rc = CMD_E_MISSING;
			goto out;
		}
	}
out:
	free(lx);
	free(w);
	if (rc < 0)
		p->def = NULL;
	return rc;
}

static bool
key_is(const struct cmd_arg *a, const char *key)
{
	return (a->kw && strcmp(a->kw, key) == 0) ||
	       (a->kw == NULL && a->meta && strcmp(a->meta, key) == 0);
}

const char *
cmd_str(const struct cmd_parsed *p, const char *key)
{
	for (size_t i = 0; p->def && i < p->nval; i++)
		if (key_is(&p->def->args[p->val[i].arg], key))
			return p->val[i].s;
	return NULL;
}

long
cmd_num(const struct cmd_parsed *p, const char *key, long dflt)
{
	for (size_t i = 0; p->def && i < p->nval; i++)
		if (key_is(&p->def->args[p->val[i].arg], key))
			return p->val[i].n;
	return dflt;
}

bool
cmd_has(const struct cmd_parsed *p, const char *key)
{
	return cmd_str(p, key) != NULL;
}

size_t
cmd_all(const struct cmd_parsed *p, const char *key, const char **out,
        size_t max)
{
	size_t k = 0;

	for (size_t i = 0; p->def && i < p->nval; i++)
		if (key_is(&p->def->args[p->val[i].arg], key) && k < max)
			out[k++] = p->val[i].s;
	return k;
}

void
cmd_synopsis(const struct cmd_def *d, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", d->path);
	size_t na = nargs(d);

	for (size_t i = 0; i < na && o < len; i++) {
		const struct cmd_arg *a = &d->args[i];
		bool opt = a->flags & CMD_OPT;
		char name[64];

		o += (size_t)snprintf(
		    buf + o, len - o, " %s%s%s%s", opt ? "[" : "",
		    arg_name(a, name, sizeof(name)), opt ? "]" : "",
		    (a->flags & CMD_REP) ? "..." : "");
	}
}

int
cmd_help(const char *line, size_t len, const struct compl_providers *pv,
         FILE *out, char *err, size_t errlen)
{
	struct compl_result *r;
	size_t ntab, nn;
	const struct cmd_def *tab = cmd_table(&ntab);
	const struct cmd_node *nd = cmd_nodes(&nn);
	char exp[600];
	int rc = 0;

	if ((r = malloc(sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CMD_E_LONG;
	}
	if (compl_complete(tab, ntab, nd, nn, pv, line, len, r) == COMPL_ERR) {
		if (r->err == CMD_E_LONG)
			snprintf(err, errlen, "line too long");
		else
			walk_error(&r->lx, &r->w, err, errlen);
		rc = r->err;
		goto out;
	}
	if (r->n == 0 && !r->cr) {
		if (*r->partial)
			snprintf(err, errlen, "nothing here starts with '%s'",
			         r->partial);
		else
			snprintf(err, errlen, "nothing more is taken here");
		rc = CMD_E_UNKNOWN;
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct compl_cand *c = &r->c[i];

		if (c->hint)
			fprintf(out, "  %-22s %s: %s\n", c->word,
			        c->arg->help ? c->arg->help : "",
			        cmd_kind_expect(c->arg, exp, sizeof(exp)));
		else
			fprintf(out, "  %-22s %s\n", c->word,
			        c->help ? c->help : "");
	}
	if (r->cr)
		fprintf(out, "  %-22s %s\n", "<cr>",
		        "run the command as it is");
out:
	free(r);
	return rc;
}

int
cmd_split(const char *s, char **out, int max, char *buf, size_t len)
{
	size_t o = 0;
	int n = 0;
	char q = 0;

	if (strlen(s) >= len)
		return -1;
	out[n++] = buf;
	for (; *s; s++) {
		if (q && *s == q)
			q = 0;
		else if (!q && (*s == '"' || *s == '\''))
			q = *s;
		else if (!q && *s == '\\' && s[1]) {
			buf[o++] = *s++;
		} else if (!q && *s == ';') {
			buf[o++] = '\0';
			if (n == max)
				return -1;
			out[n++] = buf + o;
			continue;
		}
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return n;
}
