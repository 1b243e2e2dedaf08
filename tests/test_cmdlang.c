/* Tests for the command language of completion/ (lexer, walker, parser,
 * help) on a table of the test's own; links only l2tp_completion. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "completion/cmdlang.h"
#include "tests/cmdlang_table.h"

struct parse_case {
	const char *line;
	int rc;
	const char *path; /* command, when rc == 0 */
	const char *err;  /* the whole error, when rc < 0 */
};

static const struct parse_case parse_cases[] = {
    {"show interface", 0, "show interface", NULL},
    {"sh int eth0 br co 5", 0, "show interface", NULL},
    {"SH INT", 0, "show interface", NULL},
    {"sh ip r json", 0, "show ip route", NULL},
    {"set mode f", 0, "set mode", NULL},
    {"set peer self", 0, "set peer", NULL},
    {"set peer SELF", 0, "set peer", NULL},
    {"set peer ::1", 0, "set peer", NULL},
    {"set peer 10.0.0.1", 0, "set peer", NULL},
    {"ping ::1 count 2 size 64", 0, "ping", NULL},
    {"paint red job 3", 0, "paint", NULL},
    {"quit # and a comment", 0, "quit", NULL},
    {"", CMD_E_EMPTY, NULL, ""},
    {"  # only a comment", CMD_E_EMPTY, NULL, ""},
    {"shw", CMD_E_UNKNOWN, NULL, "unknown command 'shw'; did you mean show?"},
    {"frob", CMD_E_UNKNOWN, NULL,
     "unknown command 'frob'; type ? or help for the list of commands"},
    {"show intrface", CMD_E_UNKNOWN, NULL,
     "unknown keyword 'intrface' after 'show'; did you mean interface?"},
    {"show zz", CMD_E_UNKNOWN, NULL,
     "unknown keyword 'zz' after 'show'; expected one of: interface, ip, "
     "version"},
    {"s", CMD_E_AMBIG, NULL,
     "ambiguous 's': it could be show, set, sleep, stop; type more "
     "letters"},
    {"p", CMD_E_AMBIG, NULL,
     "ambiguous 'p': it could be ping, paint; type more letters"},
    {"sh i", CMD_E_AMBIG, NULL,
     "ambiguous 'i' after 'show': it could be interface, ip; type more "
     "letters"},
    {"show", CMD_E_MISSING, NULL,
     "incomplete command 'show': add one of: interface, ip, version"},
    {"sh ip", CMD_E_MISSING, NULL,
     "incomplete command 'show ip': add one of: route"},
    {"set speed", CMD_E_MISSING, NULL,
     "'set speed' needs N (link speed in Mbit/s): a number from 1 to "
     "1000"},
    {"paint", CMD_E_MISSING, NULL,
     "'paint' needs COLOUR (the colour): a colour (red, green, blue)"},
    {"ping ::1 count", CMD_E_MISSING, NULL,
     "'count' needs a value: N, a number from 1 to 10"},
    {"ping ::1 size 64", CMD_E_MISSING, NULL,
     "'size' goes with 'count': give count N first"},
    {"set speed 0", CMD_E_BAD, NULL,
     "bad N '0' for 'set speed': expected a number from 1 to 1000"},
    {"set speed 5x", CMD_E_BAD, NULL,
     "bad N '5x' for 'set speed': expected a number from 1 to 1000"},
    {"set speed -3", CMD_E_BAD, NULL,
     "bad N '-3' for 'set speed': expected a number from 1 to 1000"},
    {"set speed 99999999999999999999", CMD_E_BAD, NULL,
     "bad N '99999999999999999999' for 'set speed': expected a number "
     "from 1 to 1000"},
    {"set mode medium", CMD_E_BAD, NULL,
     "bad fast|slow 'medium' for 'set mode': expected one of: fast, slow"},
    {"set echo maybe", CMD_E_BAD, NULL,
     "bad on|off 'maybe' for 'set echo': expected one of: on, off"},
    {"set peer 1.2.3", CMD_E_BAD, NULL,
     "bad ADDR '1.2.3' for 'set peer': expected an IPv4 or IPv6 address, "
     "or self"},
    {"ping self", CMD_E_BAD, NULL,
     "bad ADDR 'self' for 'ping': expected an IPv4 or IPv6 address"},
    {"ping ::1 count 11", CMD_E_BAD, NULL,
     "bad count N '11' for 'ping': expected a number from 1 to 10"},
    {"stop 100", CMD_E_BAD, NULL,
     "bad JOB '100' for 'stop': expected a job number from 1 to 99"},
    {"paint pink", CMD_E_BAD, NULL,
     "bad COLOUR 'pink' for 'paint': expected a colour (red, green, blue)"},
    {"sleep forever", CMD_E_BAD, NULL,
     "bad HOW 'forever' for 'sleep': expected one of: short, long, or "
     "seconds from 0 to 60"},
    {"show version now", CMD_E_EXTRA, NULL,
     "unexpected 'now' after 'show version': the command takes nothing "
     "more"},
    {"show interface eth0 bref", CMD_E_EXTRA, NULL,
     "unexpected 'bref' after 'show interface'; did you mean brief"},
    {"show interface eth0 eth1", CMD_E_EXTRA, NULL,
     "unexpected 'eth1' after 'show interface'; expected one of: brief, "
     "count"},
    /* A used option is no longer offered, nor taken by abbreviation. */
    {"show interface eth0 br br", CMD_E_EXTRA, NULL,
     "unexpected 'br' after 'show interface'; expected one of: count"},
    {"show interface brief brief", CMD_E_TWICE, NULL,
     "'brief' given twice; give it once"},
    {"ping ::1 count 1 count 2", CMD_E_TWICE, NULL,
     "'count' given twice; give it once"},
    {"load \"open", CMD_E_QUOTE, NULL,
     "unclosed quote in 'open': end the quoted text with the same quote"},
};

Test(cmdlang, parse)
{
	struct cmd_parsed *p = malloc(sizeof(*p));

	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	     i++) {
		const struct parse_case *c = &parse_cases[i];
		char err[1024];
		int rc = cmd_lang_parse(&t_lang, c->line, p, err, sizeof(err));

		cr_assert_eq(rc, c->rc, "'%s': rc %d, want %d (%s)", c->line,
		             rc, c->rc, err);
		if (rc == 0) {
			cr_assert_str_eq(p->def->path, c->path, "'%s'",
			                 c->line);
			cr_assert_not(p->help);
		} else {
			cr_assert_null(p->def, "'%s'", c->line);
			cr_assert_str_eq(err, c->err, "'%s'", c->line);
		}
	}
	free(p);
}

Test(cmdlang, values)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	const char *all[8];
	char err[1024];

	cr_assert_eq(
	    cmd_lang_parse(&t_lang, "sh int eth0 br co 5", p, err, sizeof(err)),
	    0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "NAME"), "eth0");
	cr_assert(cmd_has(p, "brief"));
	cr_assert_eq(cmd_num(p, "count", 0), 5);
	cr_assert_null(cmd_str(p, "json"));

	/* A choice is kept as the word it abbreviates. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "set mode f", p, err, sizeof(err)),
	             0);
	cr_assert_str_eq(cmd_str(p, "fast|slow"), "fast");

	/* On and off, abbreviated, any case: the word and 1 or 0. */
	cr_assert_eq(
	    cmd_lang_parse(&t_lang, "set echo of", p, err, sizeof(err)), 0);
	cr_assert_str_eq(cmd_str(p, "on|off"), "off");
	cr_assert_eq(cmd_num(p, "on|off", -1), 0);
	cr_assert_eq(
	    cmd_lang_parse(&t_lang, "set echo ON", p, err, sizeof(err)), 0);
	cr_assert_str_eq(cmd_str(p, "on|off"), "on");
	cr_assert_eq(cmd_num(p, "on|off", -1), 1);

	/* Escapes, quotes, repeated options, the rest of the line. */
	cr_assert_eq(cmd_lang_parse(&t_lang,
	                            "load a\\ b.cfg tag x tag 'y z' verbose "
	                            "filter one  two  ",
	                            p, err, sizeof(err)),
	             0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "FILE"), "a b.cfg");
	cr_assert_eq(cmd_all(p, "tag", all, 8), 2);
	cr_assert_str_eq(all[0], "x");
	cr_assert_str_eq(all[1], "y z");
	cr_assert_eq(cmd_all(p, "tag", all, 1), 1);
	cr_assert(cmd_has(p, "verbose"));
	cr_assert_str_eq(cmd_str(p, "filter"), "one  two");

	/* One quoted word ends a rest-of-line value. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "load f filter \"q r\" verbose", p,
	                            err, sizeof(err)),
	             0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "filter"), "q r");
	cr_assert(cmd_has(p, "verbose"));

	/* A choice that also takes a number. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "sleep 5", p, err, sizeof(err)),
	             0);
	cr_assert_eq(cmd_num(p, "HOW", -1), 5);
	cr_assert_str_eq(cmd_str(p, "HOW"), "5");
	cr_assert_eq(cmd_lang_parse(&t_lang, "sleep lo", p, err, sizeof(err)),
	             0);
	cr_assert_str_eq(cmd_str(p, "HOW"), "long");

	/* The owner's kinds: a number and a checked word. */
	cr_assert_eq(
	    cmd_lang_parse(&t_lang, "paint blue job 42", p, err, sizeof(err)),
	    0, "%s", err);
	cr_assert_str_eq(cmd_str(p, "COLOUR"), "blue");
	cr_assert_eq(cmd_num(p, "job", 0), 42);
	cr_assert_eq(cmd_num(p, "nosuch", -7), -7);
	free(p);
}

/* A value checked on its own, as a settings table would. */
Test(cmdlang, value)
{
	struct cmd_val v;
	char buf[64], err[256];

	cr_assert_eq(cmd_lang_value(&t_lang, &t_defs[5], &a_echo[0], "OF", &v,
	                            buf, sizeof(buf), err, sizeof(err)),
	             0);
	cr_assert_str_eq(v.s, "off");
	cr_assert_eq(v.n, 0);
	cr_assert_eq(v.arg, 0);
	cr_assert_eq(cmd_lang_value(&t_lang, &t_defs[8], &a_ping[1], "4", &v,
	                            buf, sizeof(buf), err, sizeof(err)),
	             0);
	cr_assert_eq(v.n, 4);
	cr_assert_eq(v.arg, 1);
	cr_assert_eq(cmd_lang_value(&t_lang, &t_defs[3], &a_speed[0], "1001",
	                            &v, buf, sizeof(buf), err, sizeof(err)),
	             CMD_E_BAD);
	cr_assert_str_eq(err, "bad N '1001' for 'set speed': expected a number "
	                      "from 1 to 1000");
	cr_assert_eq(cmd_lang_value(&t_lang, &t_defs[11], &a_paint[0], "red",
	                            &v, buf, sizeof(buf), err, sizeof(err)),
	             0);
	cr_assert_str_eq(v.s, "red");

	cr_assert_str_eq(cmd_choice("fast slow", "S", buf, sizeof(buf)),
	                 "slow");
	cr_assert_null(cmd_choice("short long", "", buf, sizeof(buf)));
	cr_assert_str_eq(cmd_choice("on one", "on", buf, sizeof(buf)), "on");
	cr_assert_null(cmd_choice("on one", "o", buf, sizeof(buf)));
	cr_assert_null(cmd_choice(NULL, "o", buf, sizeof(buf)));
	cr_assert_null(cmd_choice("fast slow", "f", buf, 4));
	cr_assert_str_eq(cmd_arg_choices(&t_lang, &a_echo[0]), "on off");
	cr_assert_str_eq(cmd_arg_choices(&t_lang, &a_mode[0]), "fast slow");
}

Test(cmdlang, limits)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	char line[CMD_LINE_MAX + 1], err[1024];

	memset(line, 'a', CMD_LINE_MAX);
	line[CMD_LINE_MAX] = '\0';
	cr_assert_eq(cmd_lang_parse(&t_lang, line, p, err, sizeof(err)),
	             CMD_E_LONG);
	cr_assert_str_eq(err, "line too long: at most 1023 characters");
	line[0] = '\0';
	for (int i = 0; i <= CMD_MAX_TOK; i++)
		strcat(line, "x ");
	cr_assert_eq(cmd_lang_parse(&t_lang, line, p, err, sizeof(err)),
	             CMD_E_LONG);
	cr_assert_str_eq(err, "too many words: at most 64");
	/* A short error buffer is cut, never overrun. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "frob", p, err, 8), CMD_E_UNKNOWN);
	cr_assert_str_eq(err, "unknown");
	free(p);
}

Test(cmdlang, help_marker)
{
	struct cmd_parsed *p = malloc(sizeof(*p));
	char err[1024];

	/* '?' asks for help before any word is judged. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "frob x ?", p, err, sizeof(err)),
	             0);
	cr_assert(p->help);
	cr_assert_eq(p->help_at, 7);
	cr_assert_null(p->def);
	cr_assert_eq(cmd_lang_parse(&t_lang, "sh?", p, err, sizeof(err)), 0);
	cr_assert(p->help);
	cr_assert_eq(p->help_at, 2);
	/* Quoted, or inside a word, it is a character. */
	cr_assert_eq(cmd_lang_parse(&t_lang, "load 'a?'", p, err, sizeof(err)),
	             0);
	cr_assert_not(p->help);
	cr_assert_str_eq(cmd_str(p, "FILE"), "a?");
	cr_assert_eq(cmd_lang_parse(&t_lang, "load a?b", p, err, sizeof(err)),
	             0);
	cr_assert_str_eq(cmd_str(p, "FILE"), "a?b");
	free(p);
}

Test(cmdlang, lex)
{
	struct compl_lex *lx = malloc(sizeof(*lx));
	const char *l = "a \"b c\" d\\ e 'f\"g' \"h\\\"i\" #rest";

	cr_assert_eq(compl_lex(l, strlen(l), lx), 0);
	cr_assert_eq(lx->n, 5);
	cr_assert_str_eq(lx->tok[0].s, "a");
	cr_assert_not(lx->tok[0].quoted);
	cr_assert_eq(lx->tok[0].start, 0);
	cr_assert_eq(lx->tok[0].end, 1);
	cr_assert_str_eq(lx->tok[1].s, "b c");
	cr_assert(lx->tok[1].quoted);
	cr_assert_eq(lx->tok[1].start, 2);
	cr_assert_eq(lx->tok[1].end, 7);
	cr_assert_str_eq(lx->tok[2].s, "d e");
	cr_assert_str_eq(lx->tok[3].s, "f\"g");
	cr_assert_str_eq(lx->tok[4].s, "h\"i");
	cr_assert_not(lx->open_quote);
	cr_assert_not(lx->help);
	cr_assert_eq(compl_lex("x \"open", 7, lx), 0);
	cr_assert(lx->open_quote);
	cr_assert_str_eq(lx->tok[1].s, "open");
	cr_assert_eq(compl_lex("dis?", 4, lx), 0);
	cr_assert(lx->help);
	cr_assert_eq(lx->n, 1);
	cr_assert_str_eq(lx->tok[0].s, "dis");
	/* Only len bytes are read. */
	cr_assert_eq(compl_lex("abc def", 3, lx), 0);
	cr_assert_eq(lx->n, 1);
	cr_assert_str_eq(lx->tok[0].s, "abc");
	free(lx);
}

Test(cmdlang, walk)
{
	struct compl_lex *lx = malloc(sizeof(*lx));
	struct compl_walk *w = malloc(sizeof(*w));
	const char *l = "sh int eth0 co";

	cr_assert_eq(compl_lex(l, strlen(l), lx), 0);
	compl_walk(&t_lang, lx, lx->n, w);
	cr_assert_eq(w->err, 0);
	cr_assert_eq(w->depth, 2);
	cr_assert_str_eq(w->def->path, "show interface");
	cr_assert_eq(w->asg[0], COMPL_PATH);
	cr_assert_str_eq(w->word[0], "show");
	cr_assert_str_eq(w->word[1], "interface");
	cr_assert_eq(w->asg[2], 0); /* NAME */
	cr_assert_eq(w->asg[3], COMPL_OPTKW);
	cr_assert_str_eq(w->word[3], "count");
	cr_assert_eq(w->pending, 2, "count waits for its value");
	/* Walking fewer words stops where asked. */
	compl_walk(&t_lang, lx, 1, w);
	cr_assert_null(w->def);
	cr_assert_eq(w->depth, 1);
	free(lx);
	free(w);
}

Test(cmdlang, path_words)
{
	const char *out[16], *path[] = {"SHOW"};

	cr_assert_eq(compl_path_words(&t_lang, NULL, 0, out, 16), 8);
	cr_assert_eq(strncmp(out[0], "show", 4), 0);
	cr_assert_eq(strncmp(out[7], "quit", 4), 0);
	cr_assert_eq(compl_path_words(&t_lang, path, 1, out, 16), 3);
	cr_assert_eq(strncmp(out[1], "ip ", 3), 0);
	cr_assert_eq(compl_path_words(&t_lang, NULL, 0, out, 2), 2);
}

Test(cmdlang, expect)
{
	static const struct cmd_arg bogus = {.meta = "X", .kind = 99};
	static const struct cmd_arg unknown = {.meta = "X", .kind = 20};
	char buf[256];

	cr_assert_str_eq(
	    cmd_lang_expect(&t_lang, &a_show_if[1], buf, sizeof(buf)),
	    "nothing");
	cr_assert_str_eq(
	    cmd_lang_expect(&t_lang, &a_show_if[0], buf, sizeof(buf)),
	    "a word (quote it if it has blanks)");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &a_load[0], buf, sizeof(buf)),
	                 "a file name");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &a_load[1], buf, sizeof(buf)),
	                 "text");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &a_ping[0], buf, sizeof(buf)),
	                 "an IPv4 or IPv6 address");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &a_stop[0], buf, sizeof(buf)),
	                 "a job number from 1 to 99");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &bogus, buf, sizeof(buf)),
	                 "a value");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &unknown, buf, sizeof(buf)),
	                 "a value");
	/* Without the table, an owner's kind is unknown too. */
	cr_assert_str_eq(cmd_lang_expect(NULL, &a_stop[0], buf, sizeof(buf)),
	                 "a value");
	cr_assert_str_eq(cmd_lang_expect(&t_lang, &a_echo[0], buf, 10),
	                 "one of: o");

	cr_assert_eq(cmd_lang_base(&t_lang, K_JOB), CMD_K_NUMBER);
	cr_assert_eq(cmd_lang_base(&t_lang, CMD_K_TEXT), CMD_K_TEXT);
	cr_assert_eq(cmd_lang_source(&t_lang, &a_paint[0]), C_COLOUR);
	cr_assert_eq(cmd_lang_source(&t_lang, &a_echo[0]), CMD_C_CHOICE);
	cr_assert_eq(cmd_lang_source(&t_lang, &a_load[0]), CMD_C_FILE);
	cr_assert_eq(cmd_lang_source(&t_lang, &a_ping[0]), CMD_C_NONE);
	cr_assert_null(cmd_lang_type(&t_lang, CMD_K_WORD));
	cr_assert_null(cmd_lang_type(&t_lang, K_COLOUR + 1));
}

Test(cmdlang, names)
{
	char buf[256];

	cr_assert_str_eq(cmd_arg_name(&a_ping[1], buf, sizeof(buf)), "count N");
	cr_assert_str_eq(cmd_arg_name(&a_ping[0], buf, sizeof(buf)), "ADDR");
	cr_assert_str_eq(cmd_arg_name(&a_load[2], buf, sizeof(buf)), "verbose");
	cr_assert_str_eq(cmd_arg_help(&a_speed[0], buf, sizeof(buf)),
	                 "link speed in Mbit/s (default 100)");
	cr_assert_str_eq(cmd_arg_help(&a_ping[2], buf, sizeof(buf)),
	                 "payload size");
	cr_assert_eq(cmd_nargs(&t_defs[0]), 3);
	cr_assert_eq(cmd_nargs(&t_defs[2]), 0);
	cmd_synopsis(&t_defs[8], buf, sizeof(buf));
	cr_assert_str_eq(buf, "ping ADDR [count N] [size BYTES]");
	cmd_synopsis(&t_defs[7], buf, sizeof(buf));
	cr_assert_str_eq(buf, "load FILE [filter EXPR] [verbose] [tag T]...");
	cmd_synopsis(&t_defs[12], buf, sizeof(buf));
	cr_assert_str_eq(buf, "quit");
	cmd_synopsis(&t_defs[8], buf, 12);
	cr_assert_str_eq(buf, "ping ADDR [");
}

static char *
usage_of(const char *what, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = cmd_lang_usage(&t_lang, what, f);
	fclose(f);
	return buf;
}

Test(cmdlang, usage)
{
	int rc;
	char *s = usage_of(NULL, &rc);
	char many[4 * (CMD_MAX_TOK + 1)] = "";

	/* One line per command; a synopsis of 40 columns or more gets its
	 * own line, the help under it. */
	cr_assert_eq(rc, 13);
	cr_assert(strstr(s, "show interface [NAME] [brief] [count N]  "
	                    "Show interfaces\n") == s,
	          "%s", s);
	cr_assert(strstr(s, "\nload FILE [filter EXPR] [verbose] [tag T]...\n"
	                    "                                         Load a "
	                    "file\n"),
	          "%s", s);
	cr_assert(strstr(s, "\nquit                                     "
	                    "Leave\n"),
	          "%s", s);
	free(s);

	s = usage_of("set sp", &rc);
	cr_assert_eq(rc, 1);
	cr_assert_str_eq(s, "set speed N\n"
	                    "    Set the link speed\n"
	                    "    N                      link speed in Mbit/s "
	                    "(default 100) (a number from 1 to 1000)\n");
	free(s);

	s = usage_of("p", &rc);
	cr_assert_eq(rc, 2);
	cr_assert_str_eq(s,
	                 "ping ADDR [count N] [size BYTES]\n"
	                 "    Ping a peer\n"
	                 "    ADDR                   whom to ping (an IPv4 "
	                 "or IPv6 address)\n"
	                 "    count N                how many (default 3) "
	                 "(a number from 1 to 10)\n"
	                 "    size BYTES             payload size (a number "
	                 "from 8 to 1500)\n"
	                 "paint COLOUR [job JOB]\n"
	                 "    Paint a job\n"
	                 "    COLOUR                 the colour (a colour "
	                 "(red, green, blue))\n"
	                 "    job JOB                the job to paint (a job "
	                 "number from 1 to 99)\n");
	free(s);

	s = usage_of("s", &rc);
	cr_assert_eq(rc, 9);
	free(s);
	s = usage_of("zz", &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(s, "");
	free(s);
	for (int i = 0; i <= CMD_MAX_TOK; i++)
		strcat(many, "x ");
	s = usage_of(many, &rc);
	cr_assert_eq(rc, CMD_E_LONG);
	free(s);
}

Test(cmdlang, distance)
{
	cr_assert_eq(cmd_distance("disply", "display", 3), 1);
	cr_assert_eq(cmd_distance("", "abc", 3), 3);
	cr_assert_eq(cmd_distance("abc", "abc", 0), 0);
	cr_assert_eq(cmd_distance("ABC", "abc", 0), 0);
	cr_assert_eq(cmd_distance("kitten", "sitting", 5), 3);
	cr_assert_eq(cmd_distance("abcdef", "uvwxyz", 2), 3);
}

Test(cmdlang, split)
{
	char *parts[8], buf[256];
	int n = cmd_split("set secret 'a;b'; dis l2tp con;quit", parts, 8, buf,
	                  sizeof(buf));

	cr_assert_eq(n, 3);
	cr_assert_str_eq(parts[0], "set secret 'a;b'");
	cr_assert_str_eq(parts[1], " dis l2tp con");
	cr_assert_str_eq(parts[2], "quit");
	cr_assert_eq(cmd_split("a\\;b;c", parts, 8, buf, sizeof(buf)), 2);
	cr_assert_str_eq(parts[0], "a\\;b");
	cr_assert_eq(cmd_split("a;b;c", parts, 2, buf, sizeof(buf)), -1);
	cr_assert_eq(cmd_split("abc", parts, 2, buf, 3), -1);
}
