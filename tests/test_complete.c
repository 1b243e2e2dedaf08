/* Tests for completion: a pure function over a table of the test's own
 * (line, cursor -> candidates, common prefix, status) and `?` help; links
 * only l2tp_completion. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "completion/complete.h"
#include "tests/cmdlang_table.h"

/* The owner's values: live jobs, colours, files; counts its calls. */
static void
provide(void *arg, int source, const char *partial, struct compl_result *r)
{
	int *calls = arg;

	(void)partial; /* compl_add filters by r->partial */
	if (calls)
		(*calls)++;
	switch (source) {
	case C_JOB:
		compl_add(r, "7", "idle", false);
		compl_add(r, "12", "running", false);
		compl_add(r, "17", "running", false);
		break;
	case C_COLOUR:
		for (size_t i = 0; i < 3; i++)
			compl_add(r, colours[i], "a colour", false);
		break;
	case CMD_C_FILE:
		compl_add(r, "a.cfg", NULL, false);
		compl_add(r, "b.cfg", NULL, false);
		compl_add(r, "dir/", NULL, true);
		break;
	default:
		cr_assert_fail("asked for source %d", source);
	}
}

struct compl_case {
	const char *line;
	enum compl_status status;
	const char *cands; /* words, space separated, in order */
	const char *prefix;
	bool cr;
};

static const struct compl_case compl_cases[] = {
    {"", COMPL_MANY, "load paint ping quit set show sleep stop", "", false},
    {"s", COMPL_MANY, "set show sleep stop", "s", false},
    {"sh", COMPL_ONE, "show", "show", false},
    {"SH", COMPL_ONE, "show", "show", false},
    {"show ", COMPL_MANY, "interface ip version", "", false},
    {"show i", COMPL_MANY, "interface ip", "i", false},
    {"show ip ", COMPL_ONE, "route", "route", false},
    {"sh ip route ", COMPL_ONE, "json", "json", true},
    {"show interface ", COMPL_MANY, "NAME brief count", "", true},
    {"show interface eth0 ", COMPL_MANY, "brief count", "", true},
    {"show interface eth0 brief ", COMPL_ONE, "count", "count", true},
    {"show interface eth0 brief count ", COMPL_HINT, "N", "", false},
    {"show interface eth0 brief count 5 ", COMPL_NONE, "", "", true},
    {"set mode ", COMPL_MANY, "fast slow", "", false},
    {"set echo o", COMPL_MANY, "off on", "o", false},
    {"set echo of", COMPL_ONE, "off", "off", false},
    {"set speed ", COMPL_HINT, "N", "", false},
    {"set peer ", COMPL_HINT, "ADDR", "", false},
    {"load ", COMPL_MANY, "a.cfg b.cfg dir/", "", false},
    {"load d", COMPL_ONE, "dir/", "dir/", false},
    {"load x", COMPL_HINT, "FILE", "", false},
    {"load \"a", COMPL_ONE, "a.cfg", "a.cfg", false},
    {"load a.cfg ", COMPL_MANY, "filter tag verbose", "", true},
    {"load a.cfg tag x ", COMPL_MANY, "filter tag verbose", "", true},
    {"load a.cfg filter some te", COMPL_HINT, "EXPR", "", true},
    {"stop ", COMPL_MANY, "JOB 12 17 7", "", false},
    {"stop 1", COMPL_MANY, "JOB 12 17", "1", false},
    {"stop 9", COMPL_HINT, "JOB", "", false},
    {"paint ", COMPL_MANY, "blue green red", "", false},
    {"paint r", COMPL_ONE, "red", "red", false},
    {"paint red ", COMPL_ONE, "job", "job", true},
    {"sleep ", COMPL_MANY, "HOW long short", "", false},
    {"ping ::1 count 2 ", COMPL_ONE, "size", "size", true},
    {"quit ", COMPL_NONE, "", "", true},
    {"quit", COMPL_ONE, "quit", "quit", false},
    {"zz", COMPL_NONE, "", "", false},
    {"zz ", COMPL_ERR, "", "", false},
    {"show interface eth0 eth1 ", COMPL_ERR, "", "", false},
};

static void
run_case(const struct compl_case *c, struct compl_result *r)
{
	int calls = 0;
	struct compl_providers pv = {provide, &calls};
	char got[2048] = "";
	enum compl_status st =
	    compl_complete(&t_lang, &pv, c->line, strlen(c->line), r);

	for (size_t i = 0; i < r->n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
		         i ? " " : "", r->c[i].word);
	cr_assert_eq(st, c->status, "'%s': status %d want %d (%s)", c->line, st,
	             c->status, got);
	cr_assert_eq(r->status, st);
	cr_assert_str_eq(got, c->cands, "'%s'", c->line);
	if (st != COMPL_ERR) {
		cr_assert_str_eq(r->prefix, c->prefix, "'%s'", c->line);
		cr_assert_eq(r->cr, c->cr, "'%s' cr", c->line);
	}
	cr_assert_leq(calls, 1, "'%s': one question to the owner", c->line);
}

Test(complete, cases)
{
	struct compl_result *r = malloc(sizeof(*r));

	for (size_t i = 0; i < sizeof(compl_cases) / sizeof(compl_cases[0]);
	     i++)
		run_case(&compl_cases[i], r);
	free(r);
}

/* The answer depends on the line and cursor only: the same twice, and the
 * owner is asked only where a value comes from it. */
Test(complete, pure)
{
	struct compl_result *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	int calls = 0;
	struct compl_providers pv = {provide, &calls};

	compl_complete(&t_lang, &pv, "show ", 5, a);
	cr_assert_eq(calls, 0);
	compl_complete(&t_lang, &pv, "stop ", 5, a);
	cr_assert_eq(calls, 1);
	compl_complete(&t_lang, &pv, "stop ", 5, b);
	cr_assert_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		cr_assert_str_eq(a->c[i].word, b->c[i].word);
		cr_assert_eq(a->c[i].hint, b->c[i].hint);
	}
	/* Without a provider only the table's own words are offered. */
	cr_assert_eq(compl_complete(&t_lang, NULL, "stop ", 5, a), COMPL_HINT);
	cr_assert_eq(a->n, 1);
	cr_assert_str_eq(a->c[0].word, "JOB");
	cr_assert(a->c[0].hint);
	cr_assert_eq(a->c[0].arg, &a_stop[0]);
	cr_assert_eq(compl_complete(&t_lang, NULL, "paint ", 6, a), COMPL_HINT);
	cr_assert_str_eq(a->c[0].word, "COLOUR");
	free(a);
	free(b);
}

Test(complete, cursor_and_words)
{
	struct compl_result *r = malloc(sizeof(*r));
	const char *line = "show version";

	/* Only what is left of the cursor counts: "sh" -> show. */
	cr_assert_eq(compl_complete(&t_lang, NULL, line, 2, r), COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "show");
	cr_assert_eq(r->word_start, 0);
	cr_assert_str_eq(r->partial, "sh");
	cr_assert_eq(compl_complete(&t_lang, NULL, line, 7, r), COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "version");
	cr_assert_eq(r->word_start, 5);
	cr_assert_str_eq(r->partial, "ve");
	cr_assert_eq(compl_complete(&t_lang, NULL, "show  ", 6, r), COMPL_MANY);
	cr_assert_eq(r->word_start, 6);
	cr_assert_str_eq(r->partial, "");
	/* Help of what a keyword leads to: a command's or a node's. */
	compl_complete(&t_lang, NULL, "show ", 5, r);
	cr_assert_str_eq(r->c[0].help, "Show interfaces");
	cr_assert_str_eq(r->c[1].help, "IP things");
	/* An open quote is part of the word. */
	cr_assert_eq(compl_complete(&t_lang, NULL, "load \"x y", 9, r),
	             COMPL_HINT);
	cr_assert(r->lx.open_quote);
	cr_assert_str_eq(r->partial, "x y");
	free(r);
}

Test(complete, nospace)
{
	struct compl_result *r = malloc(sizeof(*r));
	struct compl_providers pv = {provide, NULL};

	cr_assert_eq(compl_complete(&t_lang, &pv, "load d", 6, r), COMPL_ONE);
	cr_assert(r->c[0].nospace, "a directory takes no blank");
	cr_assert_eq(compl_complete(&t_lang, &pv, "load a", 6, r), COMPL_ONE);
	cr_assert_not(r->c[0].nospace);
	free(r);
}

Test(complete, error_position)
{
	struct compl_result *r = malloc(sizeof(*r));

	cr_assert_eq(compl_complete(&t_lang, NULL, "show zz ", 8, r),
	             COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_UNKNOWN);
	cr_assert_eq(r->err_tok, 1);
	cr_assert_eq(compl_complete(&t_lang, NULL, "s x", 3, r), COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_AMBIG);
	cr_assert_eq(r->err_tok, 0);
	cr_assert_eq(compl_complete(&t_lang, NULL, "quit now ", 9, r),
	             COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_EXTRA);
	cr_assert_eq(r->err_tok, 1);
	free(r);
}

Test(complete, add)
{
	struct compl_result *r = calloc(1, sizeof(*r));
	char w[16];

	r->partial = "ab";
	cr_assert_eq(compl_add(r, "abc", "h", false), 0);
	cr_assert_eq(compl_add(r, "abc", "again", false), 0);
	cr_assert_eq(compl_add(r, "xyz", NULL, false), 0);
	cr_assert_eq(r->n, 1, "a copy and a misfit are left out");
	cr_assert_str_eq(r->c[0].help, "h");
	r->partial = NULL;
	for (int i = 1; i < COMPL_MAX; i++) {
		snprintf(w, sizeof(w), "w%d", i);
		cr_assert_eq(compl_add(r, w, NULL, false), 0);
	}
	cr_assert_eq(r->n, COMPL_MAX);
	cr_assert_eq(compl_add(r, "more", NULL, false), -1);
	cr_assert_eq(r->n, COMPL_MAX);
	free(r);
}

struct help_case {
	const char *line; /* the text before '?' */
	int rc;
	const char *out; /* the whole listing, or the whole error */
};

static const struct help_case help_cases[] = {
    {"show ", 0,
     "  interface              Show interfaces\n"
     "  ip                     IP things\n"
     "  version                Show the version\n"},
    {"se", 0, "  set                    Change a setting\n"},
    {"set speed ", 0,
     "  N                      link speed in Mbit/s (default 100): a "
     "number from 1 to 1000\n"},
    {"ping ::1 ", 0,
     "  count                  how many\n"
     "  size                   payload size\n"
     "  <cr>                   run the command as it is\n"},
    {"stop ", 0,
     "  JOB                    the job: a job number from 1 to 99\n"
     "  12                     running\n"
     "  17                     running\n"
     "  7                      idle\n"},
    {"sleep ", 0,
     "  HOW                    how long: one of: short, long, or seconds "
     "from 0 to 60\n"
     "  long                   how long\n"
     "  short                  how long\n"},
    {"quit ", 0, "  <cr>                   run the command as it is\n"},
    {"zz", CMD_E_UNKNOWN, "nothing here starts with 'zz'"},
    {"show version x", CMD_E_UNKNOWN, "nothing here starts with 'x'"},
    {"shw ", CMD_E_UNKNOWN, "unknown command 'shw'; did you mean show?"},
    {"s x", CMD_E_AMBIG,
     "ambiguous 's': it could be show, set, sleep, stop; type more "
     "letters"},
};

Test(complete, help)
{
	int calls = 0;
	struct compl_providers pv = {provide, &calls};

	for (size_t i = 0; i < sizeof(help_cases) / sizeof(help_cases[0]);
	     i++) {
		const struct help_case *c = &help_cases[i];
		char *buf = NULL, err[1024] = "";
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		int rc = compl_help(&t_lang, &pv, c->line, strlen(c->line), f,
		                    err, sizeof(err));

		fclose(f);
		cr_assert_eq(rc, c->rc, "'%s?': rc %d (%s)", c->line, rc, err);
		if (rc == 0)
			cr_assert_str_eq(buf, c->out, "'%s?'", c->line);
		else
			cr_assert_str_eq(err, c->out, "'%s?'", c->line);
		free(buf);
	}
}

/*
 * Junk of every kind: random lines built from keyword pieces, quotes,
 * escapes and '?', parsed whole and completed at every cursor position.
 * Nothing may crash (the sanitizer build checks memory) and every answer
 * must be one of the documented ones.
 */
Test(complete, junk_lines)
{
	static const char *const bits[] = {
	    "sh",       "show ",  "int",
	    "ip ",      "\"",     "'",
	    "\\",       "?",      " ",
	    "  ",       "set ",   "echo",
	    "o",        "load ",  "tag ",
	    "filter ",  "=",      "9999999999999999999 ",
	    "-1 ",      "#",      "stop ",
	    "1 ",       "\t",     "zz",
	    "\xc3\xa9", "sleep ", "count ",
	    "paint ",
	};
	struct compl_result *r = malloc(sizeof(*r));
	struct cmd_parsed *p = malloc(sizeof(*p));
	struct compl_providers pv = {provide, NULL};
	unsigned seed = 12345;
	char line[CMD_LINE_MAX * 2], err[1024];
	size_t nbits = sizeof(bits) / sizeof(bits[0]);

	for (int i = 0; i < 3000; i++) {
		size_t len = 0, pieces;
		int rc;

		seed = seed * 1103515245u + 12345u;
		pieces = (seed >> 16) % 24;
		line[0] = '\0';
		for (size_t k = 0; k < pieces; k++) {
			const char *b;

			seed = seed * 1103515245u + 12345u;
			b = bits[(seed >> 16) % nbits];
			if (len + strlen(b) + 1 >= sizeof(line))
				break;
			memcpy(line + len, b, strlen(b) + 1);
			len += strlen(b);
		}
		rc = cmd_lang_parse(&t_lang, line, p, err, sizeof(err));
		cr_assert(rc <= 0 && rc >= CMD_E_TWICE, "'%s': %d", line, rc);
		if (rc < 0 && rc != CMD_E_EMPTY)
			cr_assert(err[0] != '\0', "'%s': no words for %d", line,
			          rc);
		for (size_t c = 0; c <= len; c++) {
			enum compl_status st =
			    compl_complete(&t_lang, &pv, line, c, r);

			cr_assert(st <= COMPL_ERR, "'%s' at %zu", line, c);
			cr_assert(r->n <= COMPL_MAX);
		}
	}
	/* A line at and beyond the limit. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	cr_assert_eq(cmd_lang_parse(&t_lang, line, p, err, sizeof(err)),
	             CMD_E_LONG);
	cr_assert_eq(compl_complete(&t_lang, &pv, line, strlen(line), r),
	             COMPL_NONE);
	/* More words than a line may have. */
	line[0] = '\0';
	for (int i = 0; i <= CMD_MAX_TOK; i++)
		strcat(line, "x ");
	cr_assert_eq(compl_complete(&t_lang, &pv, line, strlen(line), r),
	             COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_LONG);
	free(p);
	free(r);
}
