/* A small command table of the tests' own for completion/: every kind of
 * argument, two kinds of the owner's, and a provider of made-up values. */
#ifndef L2TP_TESTS_CMDLANG_TABLE_H
#define L2TP_TESTS_CMDLANG_TABLE_H

#include <string.h>

#include "completion/complete.h"

/* The owner's kinds: a job number (live values) and a colour (checked). */
enum { K_JOB = CMD_K_OWNER, K_COLOUR };
enum { C_JOB = CMD_C_OWNER, C_COLOUR };

static const char *const colours[] = {"red", "green", "blue"};

static bool
colour_ok(const char *s)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, colours[i]) == 0)
			return true;
	return false;
}

static void
colour_expect(const struct cmd_arg *a, char *buf, size_t len)
{
	(void)a;
	snprintf(buf, len, "a colour (%s, %s, %s)", colours[0], colours[1],
	         colours[2]);
}

static const struct cmd_type t_types[] = {
    [K_JOB - CMD_K_OWNER] = {.base = CMD_K_NUMBER,
                             .source = C_JOB,
                             .hint = true,
                             .expect = "a job number from %ld to %ld"},
    [K_COLOUR - CMD_K_OWNER] = {.base = CMD_K_WORD,
                                .source = C_COLOUR,
                                .expect_fn = colour_expect,
                                .check = colour_ok},
};

/* clang-format off */
#define END {.kw = NULL, .meta = NULL}
static const struct cmd_arg a_show_if[] = {
	{.meta = "NAME", .kind = CMD_K_WORD, .flags = CMD_OPT,
	    .help = "one interface"},
	{.kw = "brief", .kind = CMD_K_FLAG, .flags = CMD_OPT,
	    .help = "one line each"},
	{.kw = "count", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT,
	    .lo = 1, .hi = 100, .help = "at most N"},
	END};
static const struct cmd_arg a_json[] = {
	{.kw = "json", .kind = CMD_K_FLAG, .flags = CMD_OPT,
	    .help = "as JSON"}, END};
static const struct cmd_arg a_none[] = {END};
static const struct cmd_arg a_speed[] = {
	{.meta = "N", .kind = CMD_K_NUMBER, .lo = 1, .hi = 1000,
	    .help = "link speed in Mbit/s", .dflt = "100"}, END};
static const struct cmd_arg a_mode[] = {
	{.meta = "fast|slow", .kind = CMD_K_CHOICE, .choices = "fast slow",
	    .help = "how to run"}, END};
static const struct cmd_arg a_echo[] = {
	{.meta = "on|off", .kind = CMD_K_BOOL, .help = "echo each line"}, END};
static const struct cmd_arg a_peer[] = {
	{.meta = "ADDR", .kind = CMD_K_ADDR, .choices = "self",
	    .help = "the peer"}, END};
static const struct cmd_arg a_load[] = {
	{.meta = "FILE", .kind = CMD_K_FILE, .help = "file to load"},
	{.kw = "filter", .meta = "EXPR", .kind = CMD_K_TEXT, .flags = CMD_OPT,
	    .help = "the rest of the line"},
	{.kw = "verbose", .kind = CMD_K_FLAG, .flags = CMD_OPT,
	    .help = "say more"},
	{.kw = "tag", .meta = "T", .kind = CMD_K_WORD,
	    .flags = CMD_OPT | CMD_REP, .help = "a tag"},
	END};
static const struct cmd_arg a_ping[] = {
	{.meta = "ADDR", .kind = CMD_K_ADDR, .help = "whom to ping"},
	{.kw = "count", .meta = "N", .kind = CMD_K_NUMBER, .flags = CMD_OPT,
	    .lo = 1, .hi = 10, .help = "how many", .dflt = "3"},
	{.kw = "size", .meta = "BYTES", .kind = CMD_K_NUMBER,
	    .flags = CMD_OPT, .lo = 8, .hi = 1500, .help = "payload size",
	    .needs = "count"},
	END};
static const struct cmd_arg a_sleep[] = {
	{.meta = "HOW", .kind = CMD_K_CHOICE, .choices = "short long",
	    .or_number = true, .unit = "seconds", .lo = 0, .hi = 60,
	    .help = "how long"}, END};
static const struct cmd_arg a_stop[] = {
	{.meta = "JOB", .kind = K_JOB, .lo = 1, .hi = 99,
	    .help = "the job"}, END};
static const struct cmd_arg a_paint[] = {
	{.meta = "COLOUR", .kind = K_COLOUR, .help = "the colour"},
	{.kw = "job", .meta = "JOB", .kind = K_JOB, .flags = CMD_OPT,
	    .lo = 1, .hi = 99, .help = "the job to paint"},
	END};

static const struct cmd_def t_defs[] = {
	{"show interface", a_show_if, "Show interfaces", NULL},
	{"show ip route", a_json, "Show the routes", NULL},
	{"show version", a_none, "Show the version", NULL},
	{"set speed", a_speed, "Set the link speed", NULL},
	{"set mode", a_mode, "Set the mode", NULL},
	{"set echo", a_echo, "Echo lines", NULL},
	{"set peer", a_peer, "Set the peer", NULL},
	{"load", a_load, "Load a file", NULL},
	{"ping", a_ping, "Ping a peer", NULL},
	{"sleep", a_sleep, "Pause", NULL},
	{"stop", a_stop, "Stop a job", NULL},
	{"paint", a_paint, "Paint a job", NULL},
	{"quit", a_none, "Leave", NULL},
};

static const struct cmd_node t_nodes[] = {
	{"show", "Show things"},
	{"show ip", "IP things"},
	{"set", "Change a setting"},
};
/* clang-format on */

static const struct cmd_lang t_lang = {
    .defs = t_defs,
    .ndefs = sizeof(t_defs) / sizeof(t_defs[0]),
    .nodes = t_nodes,
    .nnodes = sizeof(t_nodes) / sizeof(t_nodes[0]),
    .types = t_types,
    .ntypes = sizeof(t_types) / sizeof(t_types[0]),
};

#endif
