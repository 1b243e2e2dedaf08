/* Tests for completion: a pure function over the command table (candidates,
 * common prefix, status). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/shell.h"
#include "completion/complete.h"

/* Live tunnel ids, as the engine would give them. */
static void
test_ids(void *arg, enum cmd_compl kind, const char *partial,
         struct compl_result *r)
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
    {"wait ", COMPL_MANY, "UNTIL closed established idle", "", false},
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
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);
	char got[2048] = "";
	enum compl_status st =
	    compl_complete(t, n, nd, nn, &pv, c->line, strlen(c->line), r);

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

Test(complete, cases)
{
	struct sh *sh = sh_new(NULL, stdout, stderr);

	for (size_t i = 0; i < sizeof(compl_cases) / sizeof(compl_cases[0]);
	     i++)
		run_cases(&compl_cases[i], sh);
	sh_free(sh);
}

Test(complete, cursor_mid_line)
{
	struct compl_result *r = malloc(sizeof(*r));
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);
	const char *line = "dis l2tp tunnel";

	/* Only what is left of the cursor counts: "dis" -> display. */
	cr_assert_eq(compl_complete(t, n, nd, nn, NULL, line, 3, r), COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "display");
	cr_assert_eq(r->word_start, 0);
	free(r);
}

Test(complete, error_position)
{
	struct compl_result *r = malloc(sizeof(*r));
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);

	cr_assert_eq(compl_complete(t, n, nd, nn, NULL, "dis l2tp zz ", 12, r),
	             COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_UNKNOWN);
	cr_assert_eq(r->err_tok, 2);
	cr_assert_eq(compl_complete(t, n, nd, nn, NULL, "d l2tp", 6, r),
	             COMPL_ERR);
	cr_assert_eq(r->err, CMD_E_AMBIG);
	free(r);
}

/* The shell's own providers: decoder table names, files, interfaces. */
Test(complete, shell_providers)
{
	struct compl_result *r = malloc(sizeof(*r));
	struct sh *sh = sh_new(NULL, stdout, stderr);
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);
	char line[512];
	bool found = false;
	const char *src = getenv("SRCDIR");

	cr_assert_not_null(src, "ctest sets SRCDIR");
	cr_assert_eq(
	    compl_complete(t, n, nd, nn, sh_providers(sh), "send st", 7, r),
	    COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "stopccn");
	cr_assert_eq(compl_complete(t, n, nd, nn, sh_providers(sh),
	                            "send hello avp random_v", 23, r),
	             COMPL_ONE);
	cr_assert_str_eq(r->c[0].word, "random_vector=");
	cr_assert(r->c[0].nospace);

	/* Files: the test source directory holds this very file. */
	snprintf(line, sizeof(line), "decode %s/tests/test_compl", src);
	cr_assert_eq(compl_complete(t, n, nd, nn, sh_providers(sh), line,
	                            strlen(line), r),
	             COMPL_ONE);
	cr_assert(strstr(r->c[0].word, "/tests/test_complete.c"));
	snprintf(line, sizeof(line), "decode %s/tes", src);
	compl_complete(t, n, nd, nn, sh_providers(sh), line, strlen(line), r);
	cr_assert_eq(r->n, 1);
	cr_assert(r->c[0].nospace, "a directory takes no blank");

	cr_assert_eq(compl_complete(t, n, nd, nn, sh_providers(sh),
	                            "capture start ", 14, r),
	             COMPL_MANY);
	for (size_t i = 0; i < r->n; i++)
		found |= strcmp(r->c[i].word, "lo") == 0;
	cr_assert(found, "loopback listed among interfaces");
	sh_free(sh);
	free(r);
}

Test(complete, lex)
{
	struct compl_lex *lx = malloc(sizeof(*lx));
	const char *l = "a \"b c\" d\\ e 'f\"g' #rest";

	cr_assert_eq(compl_lex(l, strlen(l), lx), 0);
	cr_assert_eq(lx->n, 4);
	cr_assert_str_eq(lx->tok[1].s, "b c");
	cr_assert(lx->tok[1].quoted);
	cr_assert_str_eq(lx->tok[2].s, "d e");
	cr_assert_str_eq(lx->tok[3].s, "f\"g");
	cr_assert_eq(compl_lex("x \"open", 7, lx), 0);
	cr_assert(lx->open_quote);
	cr_assert_eq(compl_lex("dis?", 4, lx), 0);
	cr_assert(lx->help);
	cr_assert_eq(lx->n, 1);
	cr_assert_str_eq(lx->tok[0].s, "dis");
	free(lx);
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
	size_t n, nn;
	const struct cmd_def *t = cmd_table(&n);
	const struct cmd_node *nd = cmd_nodes(&nn);
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
			    compl_complete(t, n, nd, nn, NULL, line, c, r);

			cr_assert(st <= COMPL_ERR, "'%s' at %zu", line, c);
			cr_assert(r->n <= COMPL_MAX);
		}
	}
	/* A line at and beyond the limit. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	cr_assert_eq(cmd_parse(line, p, err, sizeof(err)), CMD_E_LONG);
	compl_complete(t, n, nd, nn, NULL, line, strlen(line), r);
	free(p);
	free(r);
}
