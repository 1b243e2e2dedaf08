/* Tab completion and `?` help over the command table: lexing, walking,
 * candidates (no libedit here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "completion/complete.h"

int
compl_lex(const char *line, size_t len, struct compl_lex *lx)
{
	size_t i = 0, o = 0;

	lx->n = 0;
	lx->open_quote = false;
	lx->help = false;
	while (i < len) {
		struct compl_tok *t;
		char q = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t' ||
		                   line[i] == '\n' || line[i] == '\r'))
			i++;
		if (i == len || line[i] == '#')
			break;
		if (line[i] == '?' && (i + 1 == len || line[i + 1] == ' ' ||
		                       line[i + 1] == '\n')) {
			lx->help = true;
			lx->help_at = i;
			break;
		}
		if (lx->n == CMD_MAX_TOK)
			return CMD_E_LONG;
		t = &lx->tok[lx->n];
		t->start = i;
		t->quoted = false;
		t->s = lx->buf + o;
		for (; i < len; i++) {
			char c = line[i];

			if (q) {
				if (c == q) {
					q = 0;
					continue;
				}
				if (c == '\\' && q == '"' && i + 1 < len)
					c = line[++i];
			} else if (c == ' ' || c == '\t' || c == '\n' ||
			           c == '\r') {
				break;
			} else if (c == '"' || c == '\'') {
				q = c;
				t->quoted = true;
				continue;
			} else if (c == '\\' && i + 1 < len) {
				c = line[++i];
			} else if (c == '?' &&
			           (i + 1 == len || line[i + 1] == ' ' ||
			            line[i + 1] == '\n')) {
				/* "dis?" asks what "dis" may become. */
				lx->help = true;
				lx->help_at = i;
				break;
			}
			if (o + 1 >= sizeof(lx->buf))
				return CMD_E_LONG;
			lx->buf[o++] = c;
		}
		lx->buf[o++] = '\0';
		t->end = i;
		lx->n++;
		if (q) {
			lx->open_quote = true;
			break;
		}
		if (lx->help)
			break;
	}
	return 0;
}

bool
compl_prefix(const char *s, const char *kw)
{
	size_t n = strlen(s);

	return n <= strlen(kw) && strncasecmp(s, kw, n) == 0;
}

/* The d-th keyword of a path ("display l2tp tunnel", 1) into buf. */
static bool
path_word(const char *path, size_t d, char *buf, size_t len)
{
	const char *p = path, *e;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return false;
		e = strchr(p, ' ');
		if (e == NULL)
			e = p + strlen(p);
		if (d == 0) {
			size_t n = (size_t)(e - p);

			if (n >= len)
				n = len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return true;
		}
		d--;
		p = e;
	}
}

static size_t
path_len(const char *path)
{
	char w[64];
	size_t d = 0;

	while (path_word(path, d, w, sizeof(w)))
		d++;
	return d;
}

static bool
path_match(const char *path, const char *const *words, size_t d)
{
	char w[64];

	for (size_t i = 0; i < d; i++)
		if (!path_word(path, i, w, sizeof(w)) ||
		    strcasecmp(w, words[i]) != 0)
			return false;
	return true;
}

/* Words are returned as pointers into the table's path strings. */
static const char *
path_word_ptr(const char *path, size_t d)
{
	const char *p = path;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return NULL;
		if (d == 0)
			return p;
		d--;
		p = strchr(p, ' ');
		if (p == NULL)
			return NULL;
	}
}

static size_t
word_len(const char *p)
{
	const char *e = strchr(p, ' ');

	return e ? (size_t)(e - p) : strlen(p);
}

size_t
compl_path_words(const struct cmd_def *tab, size_t ntab,
                 const char *const *path, size_t d, const char **out,
                 size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ntab; i++) {
		const char *p;
		bool dup = false;

		if (!path_match(tab[i].path, path, d) ||
		    (p = path_word_ptr(tab[i].path, d)) == NULL)
			continue;
		for (size_t j = 0; j < n && !dup; j++)
			dup = word_len(out[j]) == word_len(p) &&
			      strncmp(out[j], p, word_len(p)) == 0;
		if (!dup && n < max)
			out[n++] = p;
	}
	return n;
}

/* Match s against the choices "on off": the unique one it abbreviates. */
static const char *
choice_match(const char *choices, const char *s, char *buf, size_t len,
             int *nmatch)
{
	const char *p = choices, *hit = NULL;
	size_t sl = strlen(s);

	*nmatch = 0;
	while (p && *p) {
		size_t wl = word_len(p);

		if (wl == sl && strncasecmp(p, s, sl) == 0) {
			*nmatch = 1;
			hit = p;
			break;
		}
		if (sl <= wl && strncasecmp(p, s, sl) == 0) {
			(*nmatch)++;
			hit = p;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (*nmatch != 1 || hit == NULL)
		return NULL;
	if (word_len(hit) >= len)
		return NULL;
	memcpy(buf, hit, word_len(hit));
	buf[word_len(hit)] = '\0';
	return buf;
}

static size_t
nargs(const struct cmd_def *d)
{
	size_t n = 0;

	while (d->args && (d->args[n].kw || d->args[n].meta))
		n++;
	return n;
}

/* The option of d that s names (exactly or as a unique abbreviation). */
static int
opt_match(const struct cmd_def *d, const char *s, unsigned long used,
          int *nmatch)
{
	size_t na = nargs(d);
	int hit = -1;

	*nmatch = 0;
	for (size_t i = 0; i < na; i++) {
		const struct cmd_arg *a = &d->args[i];

		if (a->kw == NULL)
			continue;
		if (strcasecmp(a->kw, s) == 0) {
			*nmatch = 1;
			return (int)i;
		}
		if ((used & (1ul << i)) && !(a->flags & CMD_REP))
			continue;
		if (compl_prefix(s, a->kw)) {
			(*nmatch)++;
			hit = (int)i;
		}
	}
	return *nmatch == 1 ? hit : -1;
}

/* Next positional argument at or after *pi. */
static int
next_pos(const struct cmd_def *d, size_t pi)
{
	size_t na = nargs(d);

	for (size_t i = pi; i < na; i++)
		if (d->args[i].kw == NULL)
			return (int)i;
	return -1;
}

/* Where Tab looks for the values of each kind of argument. */
static const enum cmd_compl kind_compl[CMD_K_COUNT] = {
    [CMD_K_CHOICE] = CMD_C_CHOICE,   [CMD_K_FILE] = CMD_C_FILE,
    [CMD_K_TUNNEL] = CMD_C_TUNNEL,   [CMD_K_SESSION] = CMD_C_SESSION,
    [CMD_K_MSG] = CMD_C_MSG,         [CMD_K_AVP] = CMD_C_AVP,
    [CMD_K_AVPNAME] = CMD_C_AVPNAME, [CMD_K_IFACE] = CMD_C_IFACE,
    [CMD_K_HELD] = CMD_C_HELD,
};

enum cmd_compl
compl_kind_source(enum cmd_kind k)
{
	return (unsigned)k < CMD_K_COUNT ? kind_compl[k] : CMD_C_NONE;
}

void
compl_walk(const struct cmd_def *tab, size_t ntab, const struct compl_lex *lx,
           size_t n, struct compl_walk *w)
{
	const char *path[CMD_MAX_PATH];

	memset(w, 0, sizeof(*w));
	w->pending = -1;
	for (size_t t = 0; t < n; t++) {
		const char *s = lx->tok[t].s;

		if (w->text) {
			w->asg[t] = w->asg[t - 1];
			continue;
		}
		if (w->def == NULL) {
			const char *cand[COMPL_MAX], *hit = NULL;
			size_t nc, nhit = 0;

			nc = compl_path_words(tab, ntab, path, w->depth, cand,
			                      COMPL_MAX);
			for (size_t i = 0; i < nc; i++) {
				size_t l = word_len(cand[i]);

				if (strlen(s) == l &&
				    strncasecmp(cand[i], s, l) == 0) {
					hit = cand[i];
					nhit = 1;
					break;
				}
				if (strlen(s) <= l &&
				    strncasecmp(cand[i], s, strlen(s)) == 0) {
					hit = cand[i];
					nhit++;
				}
			}
			if (nhit != 1) {
				w->err = nhit ? CMD_E_AMBIG : CMD_E_UNKNOWN;
				w->err_tok = t;
				return;
			}
			/* Keep the keyword NUL-terminated for path_match. */
			snprintf(w->wbuf[t], sizeof(w->wbuf[t]), "%.*s",
			         (int)word_len(hit), hit);
			path[w->depth] = w->wbuf[t];
			w->word[t] = w->wbuf[t];
			w->asg[t] = COMPL_PATH;
			w->depth++;
			for (size_t i = 0; i < ntab; i++)
				if (path_len(tab[i].path) == w->depth &&
				    path_match(tab[i].path, path, w->depth)) {
					w->def = &tab[i];
					break;
				}
			if (w->depth == CMD_MAX_PATH && w->def == NULL) {
				w->err = CMD_E_UNKNOWN;
				w->err_tok = t;
				return;
			}
			continue;
		}
		const struct cmd_def *d = w->def;
		int pos = next_pos(d, w->pi), a = -1, nm;

		if (w->pending >= 0) {
			a = w->pending;
			w->pending = -1;
		} else if (pos >= 0 && !(d->args[pos].flags & CMD_OPT)) {
			a = pos;
		} else {
			int o = opt_match(d, s, w->used, &nm);

			if (o >= 0) {
				w->asg[t] = COMPL_OPTKW;
				w->word[t] = d->args[o].kw;
				w->used |= 1ul << o;
				if (d->args[o].kind != CMD_K_FLAG)
					w->pending = o;
				continue;
			}
			if (nm > 1 && pos < 0) {
				w->err = CMD_E_AMBIG;
				w->err_tok = t;
				return;
			}
			if (pos < 0) {
				w->err = CMD_E_EXTRA;
				w->err_tok = t;
				return;
			}
			a = pos;
		}
		w->asg[t] = a;
		w->used |= 1ul << a;
		if (d->args[a].kw == NULL)
			w->pi = (size_t)a + 1;
		if (d->args[a].kind == CMD_K_CHOICE) {
			int k;

			w->word[t] =
			    choice_match(d->args[a].choices, s, w->wbuf[t],
			                 sizeof(w->wbuf[t]), &k);
		}
		if (d->args[a].kind == CMD_K_TEXT && !lx->tok[t].quoted)
			w->text = true;
	}
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

static const char *
node_help(const struct cmd_def *tab, size_t ntab, const struct cmd_node *nodes,
          size_t nnodes, const char *const *path, size_t d, const char *word)
{
	char full[256];
	size_t o = 0;

	for (size_t i = 0; i < d; i++)
		o += (size_t)snprintf(full + o, sizeof(full) - o, "%s ",
		                      path[i]);
	snprintf(full + o, sizeof(full) - o, "%.*s", (int)word_len(word), word);
	for (size_t i = 0; i < ntab; i++)
		if (strcasecmp(tab[i].path, full) == 0)
			return tab[i].help;
	for (size_t i = 0; i < nnodes; i++)
		if (strcasecmp(nodes[i].path, full) == 0)
			return nodes[i].help;
	return NULL;
}

/* Candidates for a value of argument a. */
static void
value_cands(struct compl_result *r, const struct cmd_arg *a,
            const struct compl_providers *pv)
{
	enum cmd_compl k =
	    a->kind == CMD_K_CHOICE ? CMD_C_CHOICE : compl_kind_source(a->kind);
	size_t before = r->n;

	if (k == CMD_C_CHOICE) {
		const char *p = a->choices;
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
	if (k != CMD_C_NONE && pv && pv->fn)
		pv->fn(pv->arg, k, r->partial ? r->partial : "", r);
	if (r->n == before || k == CMD_C_NONE || k == CMD_C_TUNNEL ||
	    k == CMD_C_SESSION || k == CMD_C_HELD)
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

enum compl_status
compl_complete(const struct cmd_def *tab, size_t ntab,
               const struct cmd_node *nodes, size_t nnodes,
               const struct compl_providers *pv, const char *line,
               size_t cursor, struct compl_result *r)
{
	struct compl_walk *w = &r->w;
	size_t ndone, ins = 0;
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
	compl_walk(tab, ntab, &r->lx, ndone, w);
	if (w->err) {
		r->err = w->err;
		r->err_tok = w->err_tok;
		return r->status = COMPL_ERR;
	}
	r->word_start = at_word ? r->lx.tok[ndone].start : cursor;
	r->partial = at_word ? r->lx.tok[ndone].s : "";
	if (w->def == NULL) {
		const char *path[CMD_MAX_PATH], *cand[COMPL_MAX];
		size_t nc;

		for (size_t i = 0, d = 0; i < ndone; i++)
			if (w->asg[i] == COMPL_PATH)
				path[d++] = w->word[i];
		nc = compl_path_words(tab, ntab, path, w->depth, cand,
		                      COMPL_MAX);
		for (size_t i = 0; i < nc; i++) {
			char kw[64];

			snprintf(kw, sizeof(kw), "%.*s", (int)word_len(cand[i]),
			         cand[i]);
			compl_add(r, kw,
			          node_help(tab, ntab, nodes, nnodes, path,
			                    w->depth, cand[i]),
			          false);
		}
	} else if (w->text) {
		add_hint(r, &w->def->args[w->asg[ndone - 1]]);
		r->cr = true;
	} else if (w->pending >= 0) {
		value_cands(r, &w->def->args[w->pending], pv);
	} else {
		const struct cmd_def *d = w->def;
		int pos = next_pos(d, w->pi);
		size_t na = nargs(d);

		if (pos >= 0)
			value_cands(r, &d->args[pos], pv);
		if (pos < 0 || (d->args[pos].flags & CMD_OPT)) {
			for (size_t i = 0; i < na; i++) {
				const struct cmd_arg *a = &d->args[i];

				if (a->kw == NULL || ((w->used & (1ul << i)) &&
				                      !(a->flags & CMD_REP)))
					continue;
				compl_add(r, a->kw, a->help, false);
			}
			r->cr = true;
			for (int i = pos; i >= 0 && (size_t)i < na; i++)
				if (d->args[i].kw == NULL &&
				    !(d->args[i].flags & CMD_OPT))
					r->cr = false;
		}
	}
	/* A word being typed must be finished before the line can end. */
	if (at_word && !w->text)
		r->cr = false;
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
