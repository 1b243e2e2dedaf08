/* Tests for l2tpsh's command table over the language of completion/: its
 * rows parse, complete and explain as the shell shows them. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/shell.h"
#include "completion/complete.h"

struct parse_case {
	const char *line;
	int rc;
	const char *path; /* command run, when rc == 0 */
	const char *err;  /* substring of the error, when rc < 0 */
};

static const struct parse_case parse_cases[] = {
    {"display l2tp tunnel", 0, "display l2tp tunnel", NULL},
    {"dis l2tp tu", 0, "display l2tp tunnel", NULL},
    {"DIS L2TP TU", 0, "display l2tp tunnel", NULL},
    {"dis l2 st", 0, "display l2tp statistics", NULL},
    {"dis l2tp con json", 0, "display l2tp config", NULL},
    {"res l2tp tu 5 result 2 error 6 message peer went away", 0,
     "reset l2tp tunnel", NULL},
    {"set secret \"two words\"", 0, "set secret", NULL},
    {"set ret tim 1 8", 0, "set retransmit timeout", NULL},
    {"set mode st", 0, "set mode", NULL},
    {"no sec", 0, "no secret", NULL},
    {"no deb", 0, "no debugging", NULL},
    {"un deb l2tp ev", 0, "undo debugging", NULL},
    {"debugging l2tp all", 0, "debugging l2tp", NULL},
    {"lns listen", 0, "lns listen", NULL},
    {"lns listen ::1 port 1701", 0, "lns listen", NULL},
    {"lns listen port 1702", 0, "lns listen", NULL},
    {"lac con lab", 0, "lac connect", NULL},
    {"send icrq tunnel 3 avp calling_number=555 omit bearer_type ns 4", 0,
     "send", NULL},
    {"send zlb", 0, "send", NULL},
    {"wait established timeout 5", 0, "wait", NULL},
    {"wait 2", 0, "wait", NULL},
    {"hello-interval 30 tunnel 7", 0, "hello-interval", NULL},
    {"decode f.pcap verbose filter udp port 1701", 0, "decode", NULL},
    {"capture start lo filter \"udp\" write x.pcap", 0, "capture start", NULL},
    {"# a comment", CMD_E_EMPTY, NULL, NULL},
    {"   ", CMD_E_EMPTY, NULL, NULL},
    {"disply", CMD_E_UNKNOWN, NULL,
     "unknown command 'disply'; did you mean display?"},
    {"frobnicate", CMD_E_UNKNOWN, NULL,
     "unknown command 'frobnicate'; type ? or help for the list"},
    {"display l2tp tunel", CMD_E_UNKNOWN, NULL,
     "unknown keyword 'tunel' after 'display l2tp'; did you mean "
     "tunnel?"},
    {"display l2tp xyzzy", CMD_E_UNKNOWN, NULL,
     "expected one of: tunnel, session, statistics, config, history"},
    {"d", CMD_E_AMBIG, NULL,
     "ambiguous 'd': it could be drop, duplicate, delay, display, "
     "decode, debugging"},
    {"dis l2tp s", CMD_E_AMBIG, NULL,
     "ambiguous 's' after 'display l2tp': it could be session, "
     "statistics"},
    {"set mode x", CMD_E_BAD, NULL,
     "bad auto|step 'x' for 'set mode': expected one of: auto, step"},
    {"display l2tp", CMD_E_MISSING, NULL,
     "incomplete command 'display l2tp': add one of: tunnel"},
    {"set secret", CMD_E_MISSING, NULL,
     "'set secret' needs SECRET (the shared tunnel secret): a word"},
    {"hello-interval 5", CMD_E_MISSING, NULL,
     "'hello-interval' needs tunnel ID (the local tunnel id): a tunnel id "
     "from 1 to 65535"},
    {"capture eth0", CMD_E_UNKNOWN, NULL,
     "unknown keyword 'eth0' after 'capture'; expected one of: start, "
     "stop"},
    {"set window 0", CMD_E_BAD, NULL,
     "bad N '0' for 'set window': expected a number from 1 to 65535"},
    {"set window 12x", CMD_E_BAD, NULL, "bad N '12x'"},
    {"set hello-interval -1", CMD_E_BAD, NULL,
     "expected a number from 0 to 3600"},
    {"lns listen 1.2.3", CMD_E_BAD, NULL,
     "bad ADDR '1.2.3' for 'lns listen': expected an IPv4 or IPv6 "
     "address, or lab"},
    {"lns listen port", CMD_E_MISSING, NULL,
     "'port' needs a value: PORT, a number from 1 to 65535"},
    {"lns listen port 70000", CMD_E_BAD, NULL, "bad port PORT '70000'"},
    {"lab start now", CMD_E_EXTRA, NULL,
     "unexpected 'now' after 'lab start': the command takes nothing "
     "more"},
    {"display l2tp tunnel 3 verbos json jsn", CMD_E_EXTRA, NULL,
     "unexpected 'jsn' after 'display l2tp tunnel'"},
    {"display l2tp tunnel 1 2", CMD_E_EXTRA, NULL,
     "unexpected '2' after 'display l2tp tunnel'; expected one of: "
     "verbose, json"},
    {"display l2tp tunnel verbose verbose", CMD_E_TWICE, NULL,
     "'verbose' given twice"},
    {"reset l2tp tunnel 4 error 2", CMD_E_MISSING, NULL,
     "'error' goes with 'result': give result N first"},
    {"send bogus", CMD_E_BAD, NULL,
     "bad MSG 'bogus' for 'send': expected a message name (sccrq"},
    {"send hello avp nosuch=1", CMD_E_BAD, NULL,
     "bad avp NAME=VALUE 'nosuch=1'"},
    {"send hello avp host_name", CMD_E_BAD, NULL, "expected NAME=VALUE"},
    {"send hello omit nosuch", CMD_E_BAD, NULL, "bad omit NAME"},
    {"wait forever", CMD_E_BAD, NULL,
     "expected one of: established, idle, closed, session-up, or seconds"},
    {"set secret \"abc", CMD_E_QUOTE, NULL, "unclosed quote"},
    {"debugging l2tp", CMD_E_MISSING, NULL,
     "'debugging l2tp' needs all|event|packet|avp|lab"},
    {"reset l2tp tunnel", CMD_E_MISSING, NULL,
     "'reset l2tp tunnel' needs ID (the local tunnel id): a tunnel id "
     "from 1 to 65535"},
    {"display l2tp tunnel 0", CMD_E_BAD, NULL,
     "expected a tunnel id from 1 to 65535"},
};

static void
run_parse(const struct parse_case *c)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	char err[1024];
	int rc = cmd_parse(c->line, p, err, sizeof(err));

	cr_assert_eq(rc, c->rc, "'%s': rc %d, want %d (%s)", c->line, rc, c->rc,
	             err);
	if (c->path)
		cr_assert_str_eq(p->def->path, c->path, "'%s'", c->line);
	if (c->err)
		cr_assert(strstr(err, c->err) != NULL,
		          "'%s': error '%s' lacks '%s'", c->line, err, c->err);
	free(p);
}

Test(cmd, parse)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	     i++)
		run_parse(&parse_cases[i]);
}

Test(cmd, values)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	char err[1024];
	const char *all[8];

	cr_assert_eq(cmd_parse("res l2tp tu 5 res 2 err 6 mess peer went "
	                       "away  ",
	                       p, err, sizeof(err)),
	             0, "%s", err);
	cr_assert_eq(cmd_num(p, "ID", 0), 5);
	cr_assert_eq(cmd_num(p, "result", 0), 2);
	cr_assert_eq(cmd_num(p, "error", 0), 6);
	cr_assert_str_eq(cmd_str(p, "message"), "peer went away");

	cr_assert_eq(cmd_parse("set secret \"two words\"", p, err, sizeof(err)),
	             0);
	cr_assert_str_eq(cmd_str(p, "SECRET"), "two words");

	cr_assert_eq(cmd_parse("set mode st", p, err, sizeof(err)), 0);
	cr_assert_str_eq(cmd_str(p, "auto|step"), "step");

	cr_assert_eq(cmd_parse("decode a\\ b.pcap secret s1 secret 's 2' "
	                       "port 1701 port 1702 filter udp and port 1701",
	                       p, err, sizeof(err)),
	             0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "FILE"), "a b.pcap");
	cr_assert_eq(cmd_all(p, "secret", all, 8), 2);
	cr_assert_str_eq(all[1], "s 2");
	cr_assert_eq(cmd_all(p, "port", all, 8), 2);
	cr_assert_str_eq(cmd_str(p, "filter"), "udp and port 1701");

	/* One quoted word ends a rest-of-line value. */
	cr_assert_eq(
	    cmd_parse("decode f filter \"udp\" verbose", p, err, sizeof(err)),
	    0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "filter"), "udp");
	cr_assert(cmd_has(p, "verbose"));

	cr_assert_eq(cmd_parse("wait 3", p, err, sizeof(err)), 0);
	cr_assert_eq(cmd_num(p, "UNTIL", -1), 3);
	cr_assert_eq(cmd_parse("wait est", p, err, sizeof(err)), 0);
	cr_assert_str_eq(cmd_str(p, "UNTIL"), "established");
	cr_assert_not(cmd_has(p, "timeout"));
	free(p);
}

Test(cmd, help_marker)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	char err[1024];

	cr_assert_eq(cmd_parse("dis l2tp ?", p, err, sizeof(err)), 0);
	cr_assert(p->help);
	cr_assert_eq(p->help_at, 9);
	cr_assert_eq(cmd_parse("set secret \"a?\"", p, err, sizeof(err)), 0);
	cr_assert_not(p->help);
	cr_assert_str_eq(cmd_str(p, "SECRET"), "a?");
	free(p);
}

struct help_case {
	const char *line; /* the text before '?' */
	int rc;
	const char *out; /* the whole listing, or an error substring */
};

static const struct help_case help_cases[] = {
    {"display l2tp ", 0,
     "  config                 Show every setting, its value and "
     "whether it is the default\n"
     "  history                Show the messages exchanged, in order\n"
     "  session                Show sessions (calls)\n"
     "  statistics             Show totals over all tunnels\n"
     "  tunnel                 Show tunnels\n"},
    {"dis", 0,
     "  display                Show tunnels, sessions, settings, "
     "history\n"},
    {"set mode ", 0,
     "  auto                   auto answers by itself, step holds every "
     "message\n"
     "  step                   auto answers by itself, step holds every "
     "message\n"},
    {"lns listen ", 0,
     "  ADDR                   local address to listen on (default "
     "127.0.0.1): an IPv4 or IPv6 address, or lab\n"
     "  port                   UDP port (default 1701)\n"
     "  <cr>                   run the command as it is\n"},
    {"lns listen port ", 0,
     "  PORT                   UDP port (default 1701): a number from 1 "
     "to 65535\n"},
    {"lab start ", 0, "  <cr>                   run the command as it is\n"},
    {"reset l2tp tunnel 3 message ", 0,
     "  TEXT                   error message text (with result): text\n"},
    {"disply ", CMD_E_UNKNOWN, "unknown command 'disply'"},
    {"q", 0, "  quit                   Leave l2tpsh\n"},
    {"zz", CMD_E_UNKNOWN, "nothing here starts with 'zz'"},
};

static void
run_help(const struct help_case *c)
{
	char *buf = NULL, err[1024] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = cmd_help(c->line, strlen(c->line), NULL, f, err, sizeof(err));

	fclose(f);
	cr_assert_eq(rc, c->rc, "'%s?': rc %d (%s)", c->line, rc, err);
	if (rc == 0)
		cr_assert_str_eq(buf, c->out, "'%s?'", c->line);
	else
		cr_assert(strstr(err, c->out), "'%s?': '%s'", c->line, err);
	free(buf);
}

Test(cmd, help)
{
	for (size_t i = 0; i < sizeof(help_cases) / sizeof(help_cases[0]); i++)
		run_help(&help_cases[i]);
}

Test(cmd, table_is_sound)
{
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);

	cr_assert_gt(n, 40);
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(t[i].path);

		cr_assert_not_null(t[i].fn, "%s", t[i].path);
		cr_assert_not_null(t[i].help, "%s", t[i].path);
		/* No path is a prefix of another: the walk stays simple. */
		for (size_t j = 0; j < n; j++)
			cr_assert(
			    i == j || strncmp(t[i].path, t[j].path, pl) ||
			        (t[j].path[pl] != ' ' && t[j].path[pl] != '\0'),
			    "%s is a prefix of %s", t[i].path, t[j].path);
		for (size_t a = 0; t[i].args[a].kw || t[i].args[a].meta; a++) {
			const struct cmd_arg *ar = &t[i].args[a];

			cr_assert_not_null(ar->help, "%s arg %zu", t[i].path,
			                   a);
			if (ar->kind == CMD_K_NUMBER ||
			    ar->kind == CMD_K_TUNNEL ||
			    ar->kind == CMD_K_SESSION || ar->or_number)
				cr_assert_lt(ar->lo, ar->hi, "%s %s", t[i].path,
				             ar->meta);
			if (ar->kind == CMD_K_CHOICE)
				cr_assert_not_null(ar->choices);
			if (ar->kind != CMD_K_FLAG)
				cr_assert_not_null(ar->meta);
			cr_assert_lt(a, 32);
		}
	}
	for (size_t i = 0; i < nn; i++)
		cr_assert_not_null(nd[i].help);
}

Test(cmd, synopsis)
{
	size_t n;
	const struct cmd_def *t = cmd_table(&n);
	char buf[512];

	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].path, "reset l2tp tunnel") != 0)
			continue;
		cmd_synopsis(&t[i], buf, sizeof(buf));
		cr_assert_str_eq(buf, "reset l2tp tunnel ID [result N] "
		                      "[error N] [message TEXT]");
	}
}

/* Live tunnel ids, as the engine would give them. */
static void
test_ids(void *arg, int kind, const char *partial, struct compl_result *r)
{
	const struct compl_providers *pv;

	if (kind == CMD_C_TUNNEL) {
		compl_add(r, "12", "lac 127.0.0.1", false);
		compl_add(r, "17", "lns 127.0.0.1", false);
		return;
	}
	/* Everything else from the shell's real providers. */
	pv = sh_providers(arg);
	pv->fn(pv->arg, kind, partial, r);
}

struct compl_case {
	const char *line;
	enum compl_status status;
	const char *cands; /* words, space separated, in order */
	const char *prefix;
	bool cr;
};

static const struct compl_case compl_cases[] = {
    {"dis", COMPL_ONE, "display", "display", false},
    {"d", COMPL_MANY, "debugging decode delay display drop duplicate", "d",
     false},
    {"de", COMPL_MANY, "debugging decode delay", "de", false},
    {"du", COMPL_ONE, "duplicate", "duplicate", false},
    {"dis l", COMPL_ONE, "l2tp", "l2tp", false},
    {"dis l2tp ", COMPL_MANY, "config history session statistics tunnel", "",
     false},
    {"dis l2tp s", COMPL_MANY, "session statistics", "s", false},
    {"dis l2tp tu ", COMPL_MANY, "ID 12 17 json verbose", "", true},
    {"dis l2tp tu 1", COMPL_MANY, "ID 12 17", "1", false},
    {"dis l2tp tu 12 ", COMPL_MANY, "json verbose", "", true},
    {"dis l2tp tu 12 verbose ", COMPL_ONE, "json", "json", true},
    {"set mode ", COMPL_MANY, "auto step", "", false},
    {"set mode a", COMPL_ONE, "auto", "auto", false},
    {"set hide-avps o", COMPL_MANY, "off on", "o", false},
    {"set window ", COMPL_HINT, "N", "", false},
    {"send sc", COMPL_MANY, "scccn sccrp sccrq", "scc", false},
    {"send sccrq avp host", COMPL_ONE, "host_name=", "host_name=", false},
    {"send sccrq omit chal", COMPL_MANY, "challenge challenge_response",
     "challenge", false},
    {"send hello ns 1 n", COMPL_ONE, "nr", "nr", false},
    {"debugging l2tp ", COMPL_MANY, "all avp event lab packet", "", false},
    {"undo debugging ", COMPL_ONE, "l2tp", "l2tp", true},
    {"wait ", COMPL_MANY, "UNTIL closed established idle session-up", "",
     false},
    {"reset l2tp tunnel 3 message some te", COMPL_HINT, "TEXT", "", true},
    {"drop ", COMPL_HINT, "N", "", true},
    {"edit ", COMPL_HINT, "N", "", false},
    {"frob", COMPL_NONE, "", "", false},
    {"frob ", COMPL_ERR, "", "", false},
    {"lab start ", COMPL_NONE, "", "", true},
    {"set secret \"ab", COMPL_HINT, "SECRET", "", false},
};

static void
run_cases(const struct compl_case *c, struct sh *sh)
{
	struct compl_result *r = malloc(sizeof(*r));
	struct compl_providers pv = {test_ids, sh};
	char got[2048] = "";
	enum compl_status st =
	    compl_complete(cmd_lang(), &pv, c->line, strlen(c->line), r);

	for (size_t i = 0; i < r->n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
		         i ? " " : "", r->c[i].word);
	cr_assert_eq(st, c->status, "'%s': status %d want %d (%s)", c->line, st,
	             c->status, got);
	cr_assert_str_eq(got, c->cands, "'%s'", c->line);
	if (st != COMPL_ERR) {
		cr_assert_str_eq(r->prefix, c->prefix, "'%s'", c->line);
		cr_assert_eq(r->cr, c->cr, "'%s' cr", c->line);
	}
	free(r);
}

Test(cmd, complete)
{
	struct sh *sh = sh_new(NULL, stdout, stderr);

	for (size_t i = 0; i < sizeof(compl_cases) / sizeof(compl_cases[0]);
	     i++)
		run_cases(&compl_cases[i], sh);
	sh_free(sh);
}

/* The shell's own providers: decoder table names, files, interfaces. */
Test(cmd, complete_providers)
{
	struct compl_result *r = malloc(sizeof(*r));
	struct sh *sh = sh_new(NULL, stdout, stderr);
	char line[512];
	bool found = false;
	const char *src = getenv("SRCDIR");

	cr_assert_not_null(src, "ctest sets SRCDIR");
	cr_assert_eq(
	    compl_complete(cmd_lang(), sh_providers(sh), "send st", 7, r),
	    COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "stopccn");
	cr_assert_eq(compl_complete(cmd_lang(), sh_providers(sh),
	                            "send hello avp random_v", 23, r),
	             COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "random_vector=");
	cr_assert(r->c[0].nospace);

	/* Files: the test source directory holds this very file. */
	snprintf(line, sizeof(line), "decode %s/tests/test_compl", src);
	cr_assert_eq(
	    compl_complete(cmd_lang(), sh_providers(sh), line, strlen(line), r),
	    COMPL_ONE);
	cr_assert(strstr(r->c[0].word, "/tests/test_complete.c"));
	snprintf(line, sizeof(line), "decode %s/tes", src);
	compl_complete(cmd_lang(), sh_providers(sh), line, strlen(line), r);
	cr_assert_eq(r->n, 1);
	cr_assert(r->c[0].nospace, "a directory takes no blank");

	cr_assert_eq(compl_complete(cmd_lang(), sh_providers(sh),
	                            "capture start ", 14, r),
	             COMPL_MANY);
	for (size_t i = 0; i < r->n; i++)
		found |= strcmp(r->c[i].word, "lo") == 0;
	cr_assert(found, "loopback listed among interfaces");
	sh_free(sh);
	free(r);
}

/*
 * Junk of every kind: random lines built from keyword pieces, quotes,
 * escapes and '?', parsed whole and completed at every cursor position.
 * Nothing may crash (the sanitizer build checks memory) and every answer
 * must be one of the documented ones.
 */
Test(cmd, junk_lines)
{
	static const char *const bits[] = {
	    "dis",
	    "display ",
	    "l2tp ",
	    "tu",
	    "tunnel ",
	    "\"",
	    "'",
	    "\\",
	    "?",
	    " ",
	    "  ",
	    "set ",
	    "secret ",
	    "avp ",
	    "host_name=",
	    "=",
	    "send ",
	    "sccrq ",
	    "9999999999999999999 ",
	    "-1 ",
	    "0x",
	    "#",
	    "reset ",
	    "result ",
	    "1 ",
	    "message ",
	    "decode ",
	    "/tmp/",
	    "filter ",
	    "udp port 1701",
	    "\t",
	    "zz",
	    "\xc3\xa9",
	    "wait ",
	};
	struct compl_result *r = malloc(sizeof(*r));
	struct cmd_parsed *p = malloc(sizeof(*p));
	unsigned seed = 12345;
	char line[CMD_LINE_MAX * 2], err[1024];

	for (int i = 0; i < 3000; i++) {
		size_t len = 0, pieces;
		int rc;

		seed = seed * 1103515245u + 12345u;
		pieces = (seed >> 16) % 24;
		line[0] = '\0';
		for (size_t k = 0; k < pieces; k++) {
			const char *b;

			seed = seed * 1103515245u + 12345u;
			b = bits[(seed >> 16) %
			         (sizeof(bits) / sizeof(bits[0]))];
			if (len + strlen(b) + 1 >= sizeof(line))
				break;
			memcpy(line + len, b, strlen(b) + 1);
			len += strlen(b);
		}
		rc = cmd_parse(line, p, err, sizeof(err));
		cr_assert(rc <= 0 && rc >= CMD_E_TWICE, "'%s': %d", line, rc);
		if (rc < 0 && rc != CMD_E_EMPTY)
			cr_assert(err[0] != '\0', "'%s': no words for %d", line,
			          rc);
		for (size_t c = 0; c <= len; c++) {
			enum compl_status st =
			    compl_complete(cmd_lang(), NULL, line, c, r);

			cr_assert(st <= COMPL_ERR, "'%s' at %zu", line, c);
			cr_assert(r->n <= COMPL_MAX);
		}
	}
	/* A line at and beyond the limit. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	cr_assert_eq(cmd_parse(line, p, err, sizeof(err)), CMD_E_LONG);
	compl_complete(cmd_lang(), NULL, line, strlen(line), r);
	free(p);
	free(r);
}

/* l2tpsh's own kinds: how each reads, where Tab finds it, its words. */
Test(cmd, kinds)
{
	static const struct {
		int kind, base, source;
		const char *expect;
	} want[] = {
	    {CMD_K_TUNNEL, CMD_K_NUMBER, CMD_C_TUNNEL,
	     "a tunnel id from 1 to 65535"},
	    {CMD_K_SESSION, CMD_K_NUMBER, CMD_C_SESSION,
	     "a session id from 1 to 65535"},
	    {CMD_K_MSG, CMD_K_WORD, CMD_C_MSG,
	     "a message name (sccrq, sccrp, "},
	    {CMD_K_AVP, CMD_K_WORD, CMD_C_AVP,
	     "NAME=VALUE, NAME an AVP name (Tab lists them)"},
	    {CMD_K_AVPNAME, CMD_K_WORD, CMD_C_AVPNAME,
	     "an AVP name (Tab lists them)"},
	    {CMD_K_IFACE, CMD_K_WORD, CMD_C_IFACE, "an interface name"},
	    {CMD_K_HELD, CMD_K_NUMBER, CMD_C_HELD,
	     "a held message number (pending lists them)"},
	};
	const struct cmd_lang *L = cmd_lang();
	size_t seen = 0;

	for (size_t i = 0; i < L->ndefs; i++)
		for (size_t a = 0; a < cmd_nargs(&L->defs[i]); a++) {
			const struct cmd_arg *ar = &L->defs[i].args[a];
			char exp[600];

			for (size_t k = 0; k < sizeof(want) / sizeof(want[0]);
			     k++) {
				if (ar->kind != want[k].kind)
					continue;
				seen |= 1u << k;
				cr_assert_eq(cmd_lang_base(L, ar->kind),
				             want[k].base);
				cr_assert_eq(cmd_lang_source(L, ar),
				             want[k].source);
				cmd_kind_expect(ar, exp, sizeof(exp));
				cr_assert(strncmp(exp, want[k].expect,
				                  strlen(want[k].expect)) == 0,
				          "%s %s: %s", L->defs[i].path,
				          ar->meta, exp);
			}
		}
	cr_assert_eq(seen, (1u << 7) - 1, "every kind is used by a row");
	cr_assert_eq(L->ntypes, 7);
}

/* The shell's line runner: configuration kept, errors on the error stream. */
Test(cmd, shell_config)
{
	char *out = NULL, *err = NULL;
	size_t ol = 0, el = 0;
	FILE *fo = open_memstream(&out, &ol), *fe = open_memstream(&err, &el);
	struct sh *sh = sh_new(NULL, fo, fe);

	cr_assert_eq(sh_run_line(sh, "set secret s3cr3t", "t"), 0);
	cr_assert_eq(sh_run_line(sh, "set hello 10", "t"), 0);
	cr_assert_eq(sh_run_line(sh, "debugging l2tp event", "t"), 0);
	cr_assert_eq(sh_debug_mask(sh), SH_DBG_EVENT);
	cr_assert_eq(sh_run_line(sh, "dis l2tp conf", "t"), 0);
	cr_assert_eq(sh_run_line(sh, "no debugging", "t"), 0);
	cr_assert_eq(sh_debug_mask(sh), 0);
	cr_assert_eq(sh_run_line(sh, "step", "t"), -1);
	cr_assert_eq(sh_run_line(sh, "quit", "t"), SH_QUIT);
	cr_assert_str_eq(sh_setting(sh, "hello-interval"), "10");
	cr_assert_eq(sh_run_line(sh, "no secret", "t"), 0);
	cr_assert_str_eq(sh_setting(sh, "secret"), "");
	fclose(fo);
	fclose(fe);
	cr_assert(strstr(out, "secret               ********                 "
	                      "no\n"),
	          "%s", out);
	cr_assert(strstr(out, "hello-interval       10                       "
	                      "no\n"),
	          "%s", out);
	cr_assert(strstr(out, "debugging            event                    "
	                      "no\n"),
	          "%s", out);
	cr_assert(strstr(out, "s3cr3t") == NULL);
	cr_assert(strstr(err, "l2tpsh: t: nothing is held (set mode step "
	                      "holds every message)"),
	          "%s", err);
	sh_free(sh);
	free(out);
	free(err);
}
