/* Tab completion and `?` help over a command table: the candidates for the
 * word at the cursor, their common prefix and a status (no libedit here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "completion/complete.h"

/* Length of the word at p (it ends at a blank or the string's end). */
static size_t
word_len(const char *p)
{
	const char *e = strchr(p, ' ');

	return e ? (size_t)(e - p) : strlen(p);
}

int
compl_add(struct compl_result *r, const char *word, const char *help,
          bool nospace)
{
	size_t l = strlen(word) + 1;
	struct compl_cand *c;

	if (r->partial && !compl_prefix(r->partial, word))
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->c[i].word, word) == 0)
			return 0;
	if (r->n == COMPL_MAX || COMPL_BUF - r->used < l)
		return -1;
	c = &r->c[r->n++];
	memcpy(r->buf + r->used, word, l);
	c->word = r->buf + r->used;
	r->used += l;
	c->help = help;
	c->hint = false;
	c->nospace = nospace;
	c->arg = NULL;
	return 0;
}

/* A placeholder for a value ("PORT"): shown, never inserted. */
static void
add_hint(struct compl_result *r, const struct cmd_arg *a)
{
	struct compl_cand *c;

	if (r->n == COMPL_MAX)
		return;
	c = &r->c[r->n++];
	c->word = a->meta ? a->meta : a->kw;
	c->help = a->help;
	c->hint = true;
	c->nospace = false;
	c->arg = a;
}

/* The help of the command or node a path keyword leads to. */
static const char *
node_help(const struct cmd_lang *L, const char *const *path, size_t d,
          const char *word)
{
	char full[256];
	size_t o = 0;

	full[0] = '\0';
	for (size_t i = 0; i < d && o < sizeof(full); i++)
		o += (size_t)snprintf(full + o, sizeof(full) - o, "%s ",
		                      path[i]);
	if (o < sizeof(full))
		snprintf(full + o, sizeof(full) - o, "%.*s",
		         (int)word_len(word), word);
	for (size_t i = 0; i < L->ndefs; i++)
		if (strcasecmp(L->defs[i].path, full) == 0)
			return L->defs[i].help;
	for (size_t i = 0; i < L->nnodes; i++)
		if (strcasecmp(L->nodes[i].path, full) == 0)
			return L->nodes[i].help;
	return NULL;
}

/* Candidates for a value of argument a. */
static void
value_cands(const struct cmd_lang *L, struct compl_result *r,
            const struct cmd_arg *a, const struct compl_providers *pv)
{
	const struct cmd_type *t = cmd_lang_type(L, a->kind);
	int src = cmd_lang_source(L, a);
	size_t before = r->n;

	if (src == CMD_C_CHOICE) {
		const char *p = cmd_arg_choices(L, a);
		char w[64];

		while (p && *p) {
			snprintf(w, sizeof(w), "%.*s", (int)word_len(p), p);
			compl_add(r, w, a->help, false);
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (a->or_number)
			add_hint(r, a);
		return;
	}
	if (src != CMD_C_NONE && pv && pv->fn)
		pv->fn(pv->arg, src, r->partial ? r->partial : "", r);
	/* Live values may come and go: the placeholder says what they are. */
	if (r->n == before || src == CMD_C_NONE || (t && t->hint))
		add_hint(r, a);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct compl_cand *x = a, *y = b;

	if (x->hint != y->hint)
		return x->hint ? -1 : 1;
	if (x->hint)
		return 0;
	return strcmp(x->word, y->word);
}

/* Path keywords that may come after the words walked so far. */
static void
path_cands(const struct cmd_lang *L, struct compl_result *r, size_t ndone)
{
	const struct compl_walk *w = &r->w;
	const char *path[CMD_MAX_PATH], *cand[COMPL_MAX];
	size_t nc;

	for (size_t i = 0, d = 0; i < ndone; i++)
		if (w->asg[i] == COMPL_PATH)
			path[d++] = w->word[i];
	nc = compl_path_words(L, path, w->depth, cand, COMPL_MAX);
	for (size_t i = 0; i < nc; i++) {
		char kw[64];

		snprintf(kw, sizeof(kw), "%.*s", (int)word_len(cand[i]),
		         cand[i]);
		compl_add(r, kw, node_help(L, path, w->depth, cand[i]), false);
	}
}

/* After a complete path: the next value, the open options, <cr>. */
static void
arg_cands(const struct cmd_lang *L, struct compl_result *r,
          const struct compl_providers *pv)
{
	const struct compl_walk *w = &r->w;
	const struct cmd_def *d = w->def;
	size_t na = cmd_nargs(d);
	int pos = -1;

	for (size_t i = w->pi; i < na && pos < 0; i++)
		if (d->args[i].kw == NULL)
			pos = (int)i;
	if (pos >= 0)
		value_cands(L, r, &d->args[pos], pv);
	if (pos >= 0 && !(d->args[pos].flags & CMD_OPT))
		return;
	for (size_t i = 0; i < na; i++) {
		const struct cmd_arg *a = &d->args[i];

		if (a->kw == NULL ||
		    ((w->used & (1ul << i)) && !(a->flags & CMD_REP)))
			continue;
		compl_add(r, a->kw, a->help, false);
	}
	r->cr = true;
	for (int i = pos; i >= 0 && (size_t)i < na; i++)
		if (d->args[i].kw == NULL && !(d->args[i].flags & CMD_OPT))
			r->cr = false;
}

/* Sort, the common prefix of what Tab may insert, and the status. */
static enum compl_status
conclude(struct compl_result *r)
{
	size_t ins = 0;

	qsort(r->c, r->n, sizeof(r->c[0]), cand_cmp);
	for (size_t i = 0; i < r->n; i++) {
		const char *s = r->c[i].word;
		size_t l;

		if (r->c[i].hint)
			continue;
		if (ins++ == 0) {
			snprintf(r->prefix, sizeof(r->prefix), "%s", s);
			continue;
		}
		for (l = 0; r->prefix[l] && r->prefix[l] == s[l]; l++)
			;
		r->prefix[l] = '\0';
	}
	if (ins == 1 && r->n == 1)
		r->status = COMPL_ONE;
	else if (ins == 0)
		r->status = r->n ? COMPL_HINT : COMPL_NONE;
	else
		r->status = COMPL_MANY;
	return r->status;
}

enum compl_status
compl_complete(const struct cmd_lang *L, const struct compl_providers *pv,
               const char *line, size_t cursor, struct compl_result *r)
{
	struct compl_walk *w = &r->w;
	size_t ndone;
	bool at_word;

	r->n = 0;
	r->used = 0;
	r->cr = false;
	r->err = 0;
	r->prefix[0] = '\0';
	r->partial = NULL;
	r->status = COMPL_NONE;
	if (compl_lex(line, cursor, &r->lx) < 0) {
		r->err = CMD_E_LONG;
		return r->status = COMPL_ERR;
	}
	/* A word runs up to the cursor unless a blank ends the line. */
	at_word = r->lx.n > 0 &&
	          (r->lx.open_quote || r->lx.tok[r->lx.n - 1].end == cursor ||
	           (r->lx.help && cursor > 0 && line[cursor - 1] == '?' &&
	            r->lx.tok[r->lx.n - 1].end == cursor - 1));
	ndone = at_word ? r->lx.n - 1 : r->lx.n;
	compl_walk(L, &r->lx, ndone, w);
	if (w->err) {
		r->err = w->err;
		r->err_tok = w->err_tok;
		return r->status = COMPL_ERR;
	}
	r->word_start = at_word ? r->lx.tok[ndone].start : cursor;
	r->partial = at_word ? r->lx.tok[ndone].s : "";
	if (w->def == NULL) {
		path_cands(L, r, ndone);
	} else if (w->text) {
		add_hint(r, &w->def->args[w->asg[ndone - 1]]);
		r->cr = true;
	} else if (w->pending >= 0) {
		value_cands(L, r, &w->def->args[w->pending], pv);
	} else {
		arg_cands(L, r, pv);
	}
	/* A word being typed must be finished before the line can end. */
	if (at_word && !w->text)
		r->cr = false;
	return conclude(r);
}

int
compl_help(const struct cmd_lang *L, const struct compl_providers *pv,
           const char *line, size_t len, FILE *out, char *err, size_t errlen)
{
	struct compl_result *r;
	char exp[600], help[300];
	int rc = 0;

	if ((r = malloc(sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CMD_E_LONG;
	}
	if (compl_complete(L, pv, line, len, r) == COMPL_ERR) {
		if (r->err == CMD_E_LONG)
			snprintf(err, errlen, "line too long");
		else
			compl_walk_error(L, &r->lx, &r->w, err, errlen);
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
			        cmd_arg_help(c->arg, help, sizeof(help)),
			        cmd_lang_expect(L, c->arg, exp, sizeof(exp)));
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
