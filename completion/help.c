/* The command language's words about itself: what a value must be, how a
 * command is written, and the `help` listing (the man page's command list). */
#include <stdlib.h>
#include <string.h>

#include "completion/cmdlang.h"

/* What each of the language's kinds is, in the words of an error message. */
static const char *const kind_expect[] = {
    [CMD_K_FLAG] = "nothing",
    [CMD_K_NUMBER] = "a number from %ld to %ld",
    [CMD_K_WORD] = "a word (quote it if it has blanks)",
    [CMD_K_CHOICE] = "one of: %s",
    [CMD_K_BOOL] = "one of: on, off",
    [CMD_K_ADDR] = "an IPv4 or IPv6 address",
    [CMD_K_FILE] = "a file name",
    [CMD_K_TEXT] = "text",
};

/* "a b c" as "a, b, c" (sep ", ") or "a, or b" (sep ", or "). */
static void
join(const char *words, const char *sep, char *buf, size_t len)
{
	size_t o = 0, sl = strlen(sep);

	buf[0] = '\0';
	for (const char *p = words; p && *p && o + sl + 1 < len; p++)
		if (*p == ' ') {
			memcpy(buf + o, sep, sl);
			o += sl;
		} else {
			buf[o++] = *p;
		}
	buf[o] = '\0';
}

const char *
cmd_lang_expect(const struct cmd_lang *L, const struct cmd_arg *a, char *buf,
                size_t len)
{
	const struct cmd_type *t = cmd_lang_type(L, a->kind);
	char list[512];

	if (t && t->expect_fn) {
		t->expect_fn(a, buf, len);
		return buf;
	}
	if (t) {
		if (t->base == CMD_K_NUMBER)
			snprintf(buf, len, t->expect ? t->expect : "", a->lo,
			         a->hi);
		else
			snprintf(buf, len, "%s", t->expect ? t->expect : "");
		return buf;
	}
	if (a->kind < 0 ||
	    (size_t)a->kind >= sizeof(kind_expect) / sizeof(kind_expect[0]) ||
	    kind_expect[a->kind] == NULL) {
		snprintf(buf, len, "a value");
		return buf;
	}
	switch (a->kind) {
	case CMD_K_NUMBER:
		snprintf(buf, len, kind_expect[a->kind], a->lo, a->hi);
		break;
	case CMD_K_CHOICE:
		join(a->choices, ", ", list, sizeof(list));
		if (a->or_number)
			snprintf(buf, len, "one of: %s, or %s from %ld to %ld",
			         list, a->unit ? a->unit : "a number", a->lo,
			         a->hi);
		else
			snprintf(buf, len, kind_expect[a->kind], list);
		break;
	case CMD_K_ADDR:
		join(a->choices, ", or ", list, sizeof(list));
		snprintf(buf, len, "%s%s%s", kind_expect[a->kind],
		         *list ? ", or " : "", list);
		break;
	default:
		snprintf(buf, len, "%s", kind_expect[a->kind]);
		break;
	}
	return buf;
}

const char *
cmd_arg_name(const struct cmd_arg *a, char *buf, size_t len)
{
	if (a->kw && a->meta)
		snprintf(buf, len, "%s %s", a->kw, a->meta);
	else
		snprintf(buf, len, "%s", a->meta ? a->meta : a->kw);
	return buf;
}

const char *
cmd_arg_help(const struct cmd_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", a->help ? a->help : "",
	         a->dflt ? " (default " : "", a->dflt ? a->dflt : "",
	         a->dflt ? ")" : "");
	return buf;
}

void
cmd_synopsis(const struct cmd_def *d, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", d->path);
	size_t na = cmd_nargs(d);

	for (size_t i = 0; i < na && o < len; i++) {
		const struct cmd_arg *a = &d->args[i];
		bool opt = a->flags & CMD_OPT;
		char name[64];

		o += (size_t)snprintf(
		    buf + o, len - o, " %s%s%s%s", opt ? "[" : "",
		    cmd_arg_name(a, name, sizeof(name)), opt ? "]" : "",
		    (a->flags & CMD_REP) ? "..." : "");
	}
}

/* Does each word of lx abbreviate the word of path at its place? */
static bool
path_fits(const char *path, const struct compl_lex *lx)
{
	const char *pp = path;

	for (size_t k = 0; lx && k < lx->n; k++) {
		const char *e;
		char w[64];

		while (*pp == ' ')
			pp++;
		e = strchr(pp, ' ');
		snprintf(w, sizeof(w), "%.*s",
		         e ? (int)(e - pp) : (int)strlen(pp), pp);
		if (!*pp || !compl_prefix(lx->tok[k].s, w))
			return false;
		pp += strlen(w);
	}
	return true;
}

/* One command of the listing: its synopsis and help, or all of it. */
static void
usage_one(const struct cmd_lang *L, const struct cmd_def *d, bool full,
          FILE *out)
{
	char syn[512], exp[600], name[64], help[300];

	cmd_synopsis(d, syn, sizeof(syn));
	if (!full) {
		if (strlen(syn) >= 40)
			fprintf(out, "%s\n%-40s %s\n", syn, "", d->help);
		else
			fprintf(out, "%-40s %s\n", syn, d->help);
		return;
	}
	fprintf(out, "%s\n    %s\n", syn, d->help);
	for (size_t a = 0; a < cmd_nargs(d); a++) {
		const struct cmd_arg *ar = &d->args[a];

		snprintf(name, sizeof(name), "%s%s%s", ar->kw ? ar->kw : "",
		         ar->kw && ar->meta ? " " : "",
		         ar->meta ? ar->meta : "");
		fprintf(out, "    %-22s %s", name,
		        cmd_arg_help(ar, help, sizeof(help)));
		if (cmd_lang_base(L, ar->kind) != CMD_K_FLAG)
			fprintf(out, " (%s)",
			        cmd_lang_expect(L, ar, exp, sizeof(exp)));
		fputc('\n', out);
	}
}

int
cmd_lang_usage(const struct cmd_lang *L, const char *what, FILE *out)
{
	struct compl_lex *lx = NULL;
	int shown = 0;

	if (what && ((lx = malloc(sizeof(*lx))) == NULL ||
	             compl_lex(what, strlen(what), lx) < 0)) {
		free(lx);
		return CMD_E_LONG;
	}
	for (size_t i = 0; i < L->ndefs; i++)
		if (path_fits(L->defs[i].path, lx)) {
			usage_one(L, &L->defs[i], what != NULL, out);
			shown++;
		}
	free(lx);
	return shown;
}
