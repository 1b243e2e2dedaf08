/* Tab completion and `?` help as a pure function over the shell's command
 * table. */
#ifndef L2TP_COMPLETE_H
#define L2TP_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"

/* Words of a line: dequoted text and where each sits in the line. */
struct compl_tok {
	size_t start, end; /* byte offsets in the line, end exclusive */
	const char *s;     /* dequoted text */
	bool quoted;       /* some part of it was quoted */
};

struct compl_lex {
	size_t n;
	struct compl_tok tok[CMD_MAX_TOK];
	bool open_quote; /* the line ends inside a quote */
	bool help; /* an unquoted '?' ended the line (not kept as a word) */
	size_t help_at; /* where that '?' is */
	char buf[CMD_LINE_MAX * 2];
};

/*
 * Split line[0..len) into words.  Blanks separate, "..." and '...' quote,
 * a backslash escapes the next character, '#' at the start of a word
 * begins a comment.  Returns 0, CMD_E_LONG (too many words or too long).
 * An unclosed quote is not an error here (open_quote says so).
 */
int compl_lex(const char *line, size_t len, struct compl_lex *lx);

/* Where each word of a line went, as far as the table can tell. */
#define COMPL_PATH (-1)  /* a keyword of the command's path */
#define COMPL_OPTKW (-2) /* an option keyword */

struct compl_walk {
	int err;                   /* 0 or CMD_E_UNKNOWN, _AMBIG, _EXTRA */
	size_t err_tok;            /* the word at fault */
	size_t depth;              /* path keywords matched */
	const struct cmd_def *def; /* the command, once its path is complete */
	int asg[CMD_MAX_TOK];      /* COMPL_PATH, COMPL_OPTKW or an arg index */
	const char *word[CMD_MAX_TOK]; /* keyword or choice a word stands for */
	int pending;        /* arg whose value must come next, or -1 */
	size_t pi;          /* next positional argument */
	unsigned long used; /* bit i: arg i given */
	bool text; /* a rest-of-line value has taken the remaining words */
	char wbuf[CMD_MAX_TOK][48];
};

/* Walk words 0..n of lx over the table (path, abbreviation, arguments). */
void compl_walk(const struct cmd_def *tab, size_t ntab,
                const struct compl_lex *lx, size_t n, struct compl_walk *w);

/* Words at path depth d of commands whose first d keywords are path[]. */
size_t compl_path_words(const struct cmd_def *tab, size_t ntab,
                        const char *const *path, size_t d, const char **out,
                        size_t max);

/* Where Tab finds values of an argument of kind k. */
enum cmd_compl compl_kind_source(enum cmd_kind k);

/* Does keyword kw start with the abbreviation s? */
bool compl_prefix(const char *s, const char *kw);

#define COMPL_MAX 256
#define COMPL_BUF 8192

struct compl_cand {
	const char *word; /* what Tab inserts, or a placeholder ("PORT") */
	const char *help; /* one line, may be NULL */
	bool hint;        /* a placeholder: shown, never inserted */
	bool nospace;     /* no blank after it ("tunnel_id=") */
	const struct cmd_arg *arg; /* for a placeholder, its argument */
};

enum compl_status {
	COMPL_NONE = 0, /* nothing fits */
	COMPL_ONE,      /* exactly one word fits: insert it */
	COMPL_MANY,     /* several fit: insert the common prefix, list them */
	COMPL_HINT,     /* only a value is expected: show what kind */
	COMPL_ERR,      /* the words before the cursor do not parse */
};

struct compl_result {
	enum compl_status status;
	size_t word_start;   /* offset of the word being completed */
	const char *partial; /* that word, dequoted */
	size_t n;
	struct compl_cand c[COMPL_MAX];
	char prefix[CMD_LINE_MAX]; /* longest common prefix of inserted words */
	bool cr;                   /* the command may end here */
	int err;                   /* CMD_E_* for COMPL_ERR */
	size_t err_tok;
	struct compl_lex lx;
	struct compl_walk w;
	size_t used;
	char buf[COMPL_BUF];
};

/*
 * Values that come from outside the table (live ids, names from the
 * decoder tables, files, interfaces): fn adds them with compl_add(), which
 * keeps only those that start with r->partial.
 */
struct compl_providers {
	void (*fn)(void *arg, enum cmd_compl kind, const char *partial,
	           struct compl_result *r);
	void *arg;
};

/* Add a candidate (copied); returns -1 when the result is full. */
int compl_add(struct compl_result *r, const char *word, const char *help,
              bool nospace);

/*
 * Complete line[0..cursor): candidates for the word under the cursor (or
 * the next word after a blank), their common prefix, a status.
 */
enum compl_status compl_complete(const struct cmd_def *tab, size_t ntab,
                                 const struct cmd_node *nodes, size_t nnodes,
                                 const struct compl_providers *pv,
                                 const char *line, size_t cursor,
                                 struct compl_result *r);

#endif
