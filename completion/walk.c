/* The command language's walker: keyword paths with unique-prefix
 * abbreviation, arguments and options, and the words for what went wrong. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "completion/cmdlang.h"

/* Enough for every keyword of a table (CMD_MAX_PATH deep). */
#define WALK_CAND 256

bool
compl_prefix(const char *s, const char *kw)
{
	size_t n = strlen(s);

	return n <= strlen(kw) && strncasecmp(s, kw, n) == 0;
}

const struct cmd_type *
cmd_lang_type(const struct cmd_lang *L, int kind)
{
	if (L == NULL || kind < CMD_K_OWNER ||
	    (size_t)(kind - CMD_K_OWNER) >= L->ntypes)
		return NULL;
	return &L->types[kind - CMD_K_OWNER];
}

int
cmd_lang_base(const struct cmd_lang *L, int kind)
{
	const struct cmd_type *t = cmd_lang_type(L, kind);

	return t ? t->base : kind;
}

int
cmd_lang_source(const struct cmd_lang *L, const struct cmd_arg *a)
{
	const struct cmd_type *t = cmd_lang_type(L, a->kind);

	if (t)
		return t->source;
	switch (a->kind) {
	case CMD_K_CHOICE:
	case CMD_K_BOOL:
		return CMD_C_CHOICE;
	case CMD_K_FILE:
		return CMD_C_FILE;
	default:
		return CMD_C_NONE;
	}
}

size_t
cmd_nargs(const struct cmd_def *d)
{
	size_t n = 0;

	while (d->args && (d->args[n].kw || d->args[n].meta))
		n++;
	return n;
}

/* The d-th keyword of a path ("display l2tp tunnel", 1), or NULL. */
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

/* Length of the word at p (it ends at a blank or the string's end). */
static size_t
word_len(const char *p)
{
	const char *e = strchr(p, ' ');

	return e ? (size_t)(e - p) : strlen(p);
}

static size_t
path_len(const char *path)
{
	size_t d = 0;

	while (path_word_ptr(path, d))
		d++;
	return d;
}

static bool
path_match(const char *path, const char *const *words, size_t d)
{
	for (size_t i = 0; i < d; i++) {
		const char *w = path_word_ptr(path, i);

		if (w == NULL || word_len(w) != strlen(words[i]) ||
		    strncasecmp(w, words[i], word_len(w)) != 0)
			return false;
	}
	return true;
}

size_t
compl_path_words(const struct cmd_lang *L, const char *const *path, size_t d,
                 const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < L->ndefs; i++) {
		const char *p;
		bool dup = false;

		if (!path_match(L->defs[i].path, path, d) ||
		    (p = path_word_ptr(L->defs[i].path, d)) == NULL)
			continue;
		for (size_t j = 0; j < n && !dup; j++)
			dup = word_len(out[j]) == word_len(p) &&
			      strncmp(out[j], p, word_len(p)) == 0;
		if (!dup && n < max)
			out[n++] = p;
	}
	return n;
}

const char *
cmd_arg_choices(const struct cmd_lang *L, const struct cmd_arg *a)
{
	return cmd_lang_base(L, a->kind) == CMD_K_BOOL ? "on off" : a->choices;
}

const char *
cmd_choice(const char *choices, const char *s, char *buf, size_t len)
{
	const char *p = choices, *hit = NULL;
	size_t sl = strlen(s);
	int nmatch = 0;

	while (p && *p) {
		size_t wl = word_len(p);

		if (wl == sl && strncasecmp(p, s, sl) == 0) {
			nmatch = 1;
			hit = p;
			break;
		}
		if (sl <= wl && strncasecmp(p, s, sl) == 0) {
			nmatch++;
			hit = p;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (nmatch != 1 || hit == NULL || word_len(hit) >= len)
		return NULL;
	memcpy(buf, hit, word_len(hit));
	buf[word_len(hit)] = '\0';
	return buf;
}

/* The option of d that s names (exactly or as a unique abbreviation). */
static int
opt_match(const struct cmd_def *d, const char *s, unsigned long used,
          int *nmatch)
{
	size_t na = cmd_nargs(d);
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

/* Next positional argument at or after pi, or -1. */
static int
next_pos(const struct cmd_def *d, size_t pi)
{
	size_t na = cmd_nargs(d);

	for (size_t i = pi; i < na; i++)
		if (d->args[i].kw == NULL)
			return (int)i;
	return -1;
}

/* A path keyword: the one candidate s is, exactly or abbreviated. */
static void
walk_path(const struct cmd_lang *L, const char *s, size_t t, const char **path,
          struct compl_walk *w)
{
	const char *cand[WALK_CAND], *hit = NULL;
	size_t nc, nhit = 0;

	nc = compl_path_words(L, path, w->depth, cand, WALK_CAND);
	for (size_t i = 0; i < nc; i++) {
		size_t l = word_len(cand[i]);

		if (strlen(s) == l && strncasecmp(cand[i], s, l) == 0) {
			hit = cand[i];
			nhit = 1;
			break;
		}
		if (strlen(s) <= l && strncasecmp(cand[i], s, strlen(s)) == 0) {
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
	snprintf(w->wbuf[t], sizeof(w->wbuf[t]), "%.*s", (int)word_len(hit),
	         hit);
	path[w->depth] = w->wbuf[t];
	w->word[t] = w->wbuf[t];
	w->asg[t] = COMPL_PATH;
	w->depth++;
	for (size_t i = 0; i < L->ndefs; i++)
		if (path_len(L->defs[i].path) == w->depth &&
		    path_match(L->defs[i].path, path, w->depth)) {
			w->def = &L->defs[i];
			break;
		}
	if (w->depth == CMD_MAX_PATH && w->def == NULL) {
		w->err = CMD_E_UNKNOWN;
		w->err_tok = t;
	}
}

/* A word after the path: an option keyword or a value. */
static void
walk_arg(const struct cmd_lang *L, const struct compl_lex *lx, size_t t,
         struct compl_walk *w)
{
	const struct cmd_def *d = w->def;
	const char *s = lx->tok[t].s;
	int pos = next_pos(d, w->pi), a = -1, nm, base;

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
			if (cmd_lang_base(L, d->args[o].kind) != CMD_K_FLAG)
				w->pending = o;
			return;
		}
		if (pos < 0) {
			w->err = nm > 1 ? CMD_E_AMBIG : CMD_E_EXTRA;
			w->err_tok = t;
			return;
		}
		a = pos;
	}
	w->asg[t] = a;
	w->used |= 1ul << a;
	if (d->args[a].kw == NULL)
		w->pi = (size_t)a + 1;
	base = cmd_lang_base(L, d->args[a].kind);
	if (base == CMD_K_CHOICE || base == CMD_K_BOOL)
		w->word[t] = cmd_choice(cmd_arg_choices(L, &d->args[a]), s,
		                        w->wbuf[t], sizeof(w->wbuf[t]));
	if (base == CMD_K_TEXT && !lx->tok[t].quoted)
		w->text = true;
}

void
compl_walk(const struct cmd_lang *L, const struct compl_lex *lx, size_t n,
           struct compl_walk *w)
{
	const char *path[CMD_MAX_PATH];

	memset(w, 0, sizeof(*w));
	w->pending = -1;
	for (size_t t = 0; t < n && w->err == 0; t++) {
		if (w->text)
			w->asg[t] = w->asg[t - 1];
		else if (w->def == NULL)
			walk_path(L, lx->tok[t].s, t, path, w);
		else
			walk_arg(L, lx, t, w);
	}
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

	for (size_t i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%.*s", i ? ", " : "",
		                      (int)word_len(w[i]), w[i]);
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
		size_t l = word_len(cand[i]), d;

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

/* The path keywords among the first upto words, blank separated. */
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

/* The option keywords of d still open, for "expected one of". */
static size_t
open_opts(const struct cmd_def *d, unsigned long used, const char **out,
          size_t max)
{
	size_t k = 0, na = cmd_nargs(d);

	for (size_t i = 0; i < na && k < max; i++)
		if (d->args[i].kw &&
		    (!(used & (1ul << i)) || (d->args[i].flags & CMD_REP)))
			out[k++] = d->args[i].kw;
	return k;
}

static void
cat(char *buf, size_t len, const char *s)
{
	size_t o = strlen(buf);

	if (o < len)
		snprintf(buf + o, len - o, "%s", s);
}

int
compl_walk_error(const struct cmd_lang *L, const struct compl_lex *lx,
                 const struct compl_walk *w, char *err, size_t len)
{
	const char *cand[WALK_CAND], *near[WALK_CAND];
	const char *s = lx->tok[w->err_tok].s;
	char where[256];
	size_t n, k;

	path_text(w, w->err_tok, where, sizeof(where));
	if (w->def == NULL) {
		const char *path[CMD_MAX_PATH];

		for (size_t i = 0, d = 0; i < w->err_tok; i++)
			if (w->asg[i] == COMPL_PATH)
				path[d++] = w->word[i];
		n = compl_path_words(L, path, w->depth, cand, WALK_CAND);
	} else {
		n = open_opts(w->def, w->used, cand, WALK_CAND);
	}
	if (w->err == CMD_E_AMBIG) {
		k = 0;
		for (size_t i = 0; i < n; i++)
			if (compl_prefix(s, cand[i]))
				near[k++] = cand[i];
		snprintf(err, len, "ambiguous '%s'%s%s%s: it could be ", s,
		         *where ? " after '" : "", where, *where ? "'" : "");
		list_words(err, len, near, k);
		cat(err, len, "; type more letters");
		return CMD_E_AMBIG;
	}
	if (w->err == CMD_E_EXTRA) {
		snprintf(err, len, "unexpected '%s' after '%s'", s, where);
		if (n == 0) {
			cat(err, len, ": the command takes nothing more");
			return CMD_E_EXTRA;
		}
		k = closest(s, cand, n, near);
		cat(err, len, k ? "; did you mean " : "; expected one of: ");
		list_words(err, len, k ? near : cand, k ? k : n);
		return CMD_E_EXTRA;
	}
	if (*where)
		snprintf(err, len, "unknown keyword '%s' after '%s'", s, where);
	else
		snprintf(err, len, "unknown command '%s'", s);
	k = closest(s, cand, n, near);
	if (k) {
		cat(err, len, "; did you mean ");
		list_words(err, len, near, k);
		cat(err, len, "?");
	} else if (*where) {
		cat(err, len, "; expected one of: ");
		list_words(err, len, cand, n);
	} else {
		cat(err, len, "; type ? or help for the list of commands");
	}
	return CMD_E_UNKNOWN;
}
