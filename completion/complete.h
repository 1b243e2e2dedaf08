/* Tab completion and `?` help as pure functions over a command table: the
 * line and cursor in, candidates, their common prefix and a status out. */
#ifndef L2TP_COMPLETE_H
#define L2TP_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "completion/cmdlang.h"

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
 * Values that come from outside the table (live ids, names from other
 * tables, files, interfaces): fn is asked for a source (CMD_C_FILE or one
 * of the table's own) and adds values with compl_add(), which keeps only
 * those that start with r->partial.
 */
struct compl_providers {
	void (*fn)(void *arg, int source, const char *partial,
	           struct compl_result *r);
	void *arg;
};

/* Add a candidate (copied); returns -1 when the result is full. */
int compl_add(struct compl_result *r, const char *word, const char *help,
              bool nospace);

/*
 * Complete line[0..cursor): candidates for the word under the cursor (or
 * the next word after a blank), their common prefix, a status.  pv may
 * be NULL (then only the table's own words are offered).
 */
enum compl_status compl_complete(const struct cmd_lang *L,
                                 const struct compl_providers *pv,
                                 const char *line, size_t cursor,
                                 struct compl_result *r);

/*
 * `?` help for line[0..len) (the text before a '?'): what may come next
 * with one line of help each (or, after a partial word, what it may
 * become), "<cr>" when the command may end there.  Returns 0, or with
 * err set: CMD_E_UNKNOWN (a word fits nothing, or nothing starts with the
 * partial word), CMD_E_AMBIG, CMD_E_EXTRA (as the parser words them),
 * CMD_E_LONG (too many words, or out of memory).
 */
int compl_help(const struct cmd_lang *L, const struct compl_providers *pv,
               const char *line, size_t len, FILE *out, char *err,
               size_t errlen);

#endif
