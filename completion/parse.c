/* The command language's parser: a line over a table into the command and
 * its checked values, or one line saying what is wrong and what is right. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "completion/cmdlang.h"

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

/* Is s one of the blank separated words (case does not matter)? */
static bool
one_of(const char *words, const char *s)
{
	size_t sl = strlen(s);

	for (const char *p = words; p && *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == sl && strncasecmp(p, s, l) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/*
 * Check one value against its kind; 0 or CMD_E_BAD with err set.  word is
 * the choice an abbreviation stands for (NULL when it stands for none).
 */
static int
check_value(const struct cmd_lang *L, const struct cmd_def *d,
            const struct cmd_arg *a, const char *s, const char *word,
            struct cmd_val *v, char *err, size_t len)
{
	const struct cmd_type *t = cmd_lang_type(L, a->kind);
	char exp[600], name[64];
	struct in6_addr a6;
	bool ok = true;

	v->n = 0;
	switch (cmd_lang_base(L, a->kind)) {
	case CMD_K_NUMBER:
		ok = parse_long(s, a->lo, a->hi, &v->n);
		break;
	case CMD_K_CHOICE:
		if (word == NULL && a->or_number)
			ok = parse_long(s, a->lo, a->hi, &v->n);
		else
			ok = word != NULL;
		break;
	case CMD_K_BOOL:
		ok = word != NULL;
		v->n = ok && strcmp(word, "on") == 0;
		break;
	case CMD_K_ADDR:
		ok = one_of(a->choices, s) || inet_pton(AF_INET, s, &a6) == 1 ||
		     inet_pton(AF_INET6, s, &a6) == 1;
		break;
	case CMD_K_WORD:
	case CMD_K_FILE:
		ok = *s != '\0';
		break;
	default:
		break;
	}
	if (ok && t && t->check)
		ok = t->check(s);
	if (ok)
		return 0;
	snprintf(err, len, "bad %s '%s' for '%s': expected %s",
	         cmd_arg_name(a, name, sizeof(name)), s, d->path,
	         cmd_lang_expect(L, a, exp, sizeof(exp)));
	return CMD_E_BAD;
}

int
cmd_lang_value(const struct cmd_lang *L, const struct cmd_def *d,
               const struct cmd_arg *a, const char *s, struct cmd_val *v,
               char *buf, size_t buflen, char *err, size_t errlen)
{
	int base = cmd_lang_base(L, a->kind);
	const char *word = s;

	err[0] = '\0';
	if (base == CMD_K_CHOICE || base == CMD_K_BOOL)
		word = cmd_choice(cmd_arg_choices(L, a), s, buf, buflen);
	v->arg = (int)(a - d->args);
	v->s = word ? word : s;
	return check_value(L, d, a, s, word, v, err, errlen);
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

/* The line's words before the command is whole: what would complete it. */
static int
incomplete(const struct cmd_lang *L, const struct compl_lex *lx,
           const struct compl_walk *w, char *err, size_t len)
{
	const char *path[CMD_MAX_PATH], *cand[256];
	size_t n, o;

	for (size_t i = 0; i < lx->n; i++)
		path[i] = w->word[i];
	n = compl_path_words(L, path, w->depth, cand, 256);
	o = (size_t)snprintf(err, len, "incomplete command '");
	for (size_t i = 0; i < lx->n && o < len; i++)
		o += (size_t)snprintf(err + o, len - o, "%s%s", i ? " " : "",
		                      w->word[i]);
	if (o < len)
		snprintf(err + o, len - o, "': add one of: ");
	for (size_t i = 0; i < n && (o = strlen(err)) < len; i++) {
		const char *e = strchr(cand[i], ' ');

		snprintf(err + o, len - o, "%s%.*s", i ? ", " : "",
		         e ? (int)(e - cand[i]) : (int)strlen(cand[i]),
		         cand[i]);
	}
	return CMD_E_MISSING;
}

/* The value of one word (ai an argument index); 0 or a CMD_E_* code. */
static int
take_value(const struct cmd_lang *L, const char *line,
           const struct compl_lex *lx, const struct compl_walk *w, size_t t,
           struct cmd_parsed *p, size_t *used, char *err, size_t len)
{
	const struct cmd_def *d = p->def;
	int ai = w->asg[t], base = cmd_lang_base(L, d->args[ai].kind);
	const struct cmd_arg *a = &d->args[ai];
	struct cmd_val *v = &p->val[p->nval++];
	const char *s = lx->tok[t].s;
	bool chosen = base == CMD_K_CHOICE || base == CMD_K_BOOL;

	v->arg = ai;
	if (base == CMD_K_TEXT && !lx->tok[t].quoted) {
		/* The rest of the line, as typed. */
		size_t st = lx->tok[t].start, e = strlen(line);

		while (e > st && (line[e - 1] == ' ' || line[e - 1] == '\n' ||
		                  line[e - 1] == '\t'))
			e--;
		v->s = keep(p, used, line + st, e - st);
		return 1;
	}
	if (chosen && w->word[t])
		v->s = keep(p, used, w->word[t], strlen(w->word[t]));
	else
		v->s = keep(p, used, s, strlen(s));
	if (v->s == NULL) {
		snprintf(err, len, "line too long");
		return CMD_E_LONG;
	}
	return check_value(L, d, a, s, chosen ? w->word[t] : s, v, err, len);
}

/* The values of the walked line into p; 0 or a CMD_E_* code. */
static int
fill(const struct cmd_lang *L, const char *line, const struct compl_lex *lx,
     const struct compl_walk *w, struct cmd_parsed *p, char *err, size_t len)
{
	const struct cmd_def *d = p->def;
	size_t na = cmd_nargs(d), used = 0;
	char name[64], exp[600];
	int rc;

	if (w->pending >= 0) {
		const struct cmd_arg *a = &d->args[w->pending];

		snprintf(err, len, "'%s' needs a value: %s, %s", a->kw, a->meta,
		         cmd_lang_expect(L, a, exp, sizeof(exp)));
		return CMD_E_MISSING;
	}
	for (size_t t = 0; t < lx->n; t++) {
		int ai = w->asg[t];
		const struct cmd_arg *a;
		struct cmd_val *v;

		if (ai == COMPL_PATH)
			continue;
		if (ai != COMPL_OPTKW) {
			if ((rc = take_value(L, line, lx, w, t, p, &used, err,
			                     len)) < 0)
				return rc;
			if (rc > 0) /* the rest of the line is taken */
				break;
			continue;
		}
		/* Find which option; flags are values of their own. */
		for (size_t i = 0; i < na; i++)
			if (d->args[i].kw &&
			    strcmp(d->args[i].kw, w->word[t]) == 0)
				ai = (int)i;
		a = &d->args[ai];
		for (size_t i = 0; i < p->nval; i++)
			if (p->val[i].arg == ai && !(a->flags & CMD_REP)) {
				snprintf(err, len,
				         "'%s' given twice; give it once",
				         a->kw);
				return CMD_E_TWICE;
			}
		if (cmd_lang_base(L, a->kind) != CMD_K_FLAG)
			continue;
		v = &p->val[p->nval++];
		v->arg = ai;
		v->s = a->kw;
		v->n = 1;
	}
	for (size_t i = 0; i < na; i++) {
		const struct cmd_arg *a = &d->args[i];

		/* Positional or keyword: what is not optional must be there. */
		if (!(a->flags & CMD_OPT) && !(w->used & (1ul << i))) {
			snprintf(err, len, "'%s' needs %s (%s): %s", d->path,
			         cmd_arg_name(a, name, sizeof(name)), a->help,
			         cmd_lang_expect(L, a, exp, sizeof(exp)));
			return CMD_E_MISSING;
		}
		if (a->needs && (w->used & (1ul << i)) &&
		    !cmd_has(p, a->needs)) {
			snprintf(err, len,
			         "'%s' goes with '%s': give %s N first", a->kw,
			         a->needs, a->needs);
			return CMD_E_MISSING;
		}
	}
	return 0;
}

int
cmd_lang_parse(const struct cmd_lang *L, const char *line, struct cmd_parsed *p,
               char *err, size_t len)
{
	struct compl_lex *lx;
	struct compl_walk *w;
	int rc = 0;

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
	} else if (lx->open_quote) {
		snprintf(err, len,
		         "unclosed quote in '%s': end the quoted text with "
		         "the same quote",
		         lx->tok[lx->n - 1].s);
		rc = CMD_E_QUOTE;
	} else if (lx->help) {
		p->help = true;
		p->help_at = lx->help_at;
	} else if (lx->n == 0) {
		rc = CMD_E_EMPTY;
	} else {
		compl_walk(L, lx, lx->n, w);
		if (w->err)
			rc = compl_walk_error(L, lx, w, err, len);
		else if (w->def == NULL)
			rc = incomplete(L, lx, w, err, len);
		else {
			p->def = w->def;
			rc = fill(L, line, lx, w, p, err, len);
		}
	}
	free(lx);
	free(w);
	if (rc < 0)
		p->def = NULL;
	return rc;
}

/* The value's argument is named key: its option keyword or its meta. */
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
