/* The command language over a table handed to it: types, lexer, walker,
 * parser, `?` help and the command list (no shell state here). */
#ifndef L2TP_CMDLANG_H
#define L2TP_CMDLANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * How a table is written: one struct cmd_def per command (its keyword
 * path, its arguments, one line of help, the owner's handler), one
 * struct cmd_node per keyword that only leads on ("display l2tp"), and a
 * struct cmd_type per kind of value the language does not know itself.
 * Handed over as a struct cmd_lang, the table is all the language needs
 * to parse a line (cmd_lang_parse), complete it (compl_complete, in
 * complete.h), answer `?' (compl_help) and list the commands
 * (cmd_lang_usage).  Adding a command is adding a row; adding a setting
 * is a row "set NAME" with one argument of its type (CMD_K_NUMBER with
 * lo..hi, CMD_K_CHOICE, CMD_K_BOOL, CMD_K_ADDR, CMD_K_WORD, CMD_K_FILE)
 * and its default in dflt.  Nothing here keeps state between calls.
 */

#define CMD_LINE_MAX 1024 /* longest command line accepted */
#define CMD_MAX_TOK 64    /* most words on one line */
#define CMD_MAX_PATH 4    /* most keywords before the arguments */

/*
 * What an argument's value is.  The language reads these kinds itself;
 * a table adds kinds of its own from CMD_K_OWNER up, each described by a
 * struct cmd_type (a tunnel id is a number that Tab asks the owner for).
 */
enum {
	CMD_K_FLAG = 0,  /* an option keyword with no value ("verbose") */
	CMD_K_NUMBER,    /* decimal in [lo, hi] */
	CMD_K_WORD,      /* any one word (a string) */
	CMD_K_CHOICE,    /* one of choices ("auto step"), abbreviable */
	CMD_K_BOOL,      /* on or off, abbreviable; n is 1 or 0 */
	CMD_K_ADDR,      /* IPv4 or IPv6 literal, or one of choices ("lab") */
	CMD_K_FILE,      /* a path name; Tab asks the owner (CMD_C_FILE) */
	CMD_K_TEXT,      /* the rest of the line (or one quoted word) */
	CMD_K_OWNER = 32 /* the table's first: types[kind - CMD_K_OWNER] */
};

/*
 * Where Tab finds candidates for a value.  Every source but CMD_C_CHOICE
 * is answered by the owner's provider (struct compl_providers); a table
 * numbers its own sources from CMD_C_OWNER up.
 */
enum {
	CMD_C_NONE = 0,   /* nothing to offer: show the argument's name */
	CMD_C_CHOICE = 1, /* the argument's own choices */
	CMD_C_FILE = 2,   /* file names */
	CMD_C_OWNER = 32  /* first source of the table */
};

#define CMD_OPT 0x1 /* may be left out */
#define CMD_REP 0x2 /* may be given more than once */

/*
 * One argument.  A positional argument has kw NULL and comes in table
 * order; an option is introduced by its keyword and may come in any order
 * after the required positional arguments.
 */
struct cmd_arg {
	const char *kw;   /* option keyword, NULL for a positional */
	const char *meta; /* how the value is named ("PORT"); NULL for a flag */
	int kind;         /* CMD_K_*, or a kind of the table */
	unsigned flags;   /* CMD_OPT, CMD_REP */
	long lo, hi;      /* bounds of a number */
	const char *choices; /* "on off" for CMD_K_CHOICE; other words an
	                      * address may be (CMD_K_ADDR) */
	const char *help;    /* one line */
	const char *needs;   /* keyword of an option this one requires */
	bool or_number;      /* CMD_K_CHOICE that also takes a number lo..hi */
	const char *unit;    /* what that number counts ("seconds") */
	const char *dflt;    /* the value when left out, shown by help */
};

/*
 * A row's handler.  The language never calls it: the table's owner
 * stores its own function here and converts it back to its own type to
 * call it (a round trip C11 6.3.2.3p8 keeps exact).
 */
typedef void (*cmd_fn)(void);

/* One command. */
struct cmd_def {
	const char
	    *path; /* keywords, space separated ("display l2tp tunnel") */
	const struct cmd_arg *args; /* at most 32 (bits of compl_walk.used),
	                             * ended by an entry with kw, meta NULL */
	const char *help;           /* one line */
	cmd_fn fn;
};

/* Help for a keyword that leads to other commands ("display l2tp"). */
struct cmd_node {
	const char *path;
	const char *help;
};

/* A kind of value the table defines (CMD_K_OWNER + its index). */
struct cmd_type {
	int base;   /* the language's kind it reads as (NUMBER, WORD, ...) */
	int source; /* CMD_C_* asked of the provider on Tab, or CMD_C_NONE */
	bool hint;  /* show the placeholder beside the candidates */
	/* What a value is, in the words of an error: a printf format that
	 * takes lo and hi for a number ("a tunnel id from %ld to %ld"). */
	const char *expect;
	/* Instead of expect, when the words are not known in advance. */
	void (*expect_fn)(const struct cmd_arg *a, char *buf, size_t len);
	/* Is s a value of this kind (after the base kind's own check)? */
	bool (*check)(const char *s);
};

/* The table handed to the language. */
struct cmd_lang {
	const struct cmd_def *defs;
	size_t ndefs;
	const struct cmd_node *nodes;
	size_t nnodes;
	const struct cmd_type *types; /* kinds from CMD_K_OWNER */
	size_t ntypes;
};

/* One value given on the line. */
struct cmd_val {
	int arg;       /* index into def->args */
	const char *s; /* the value (the keyword for a flag) */
	long n;        /* the number, for a number (1/0 for on/off) */
};

struct cmd_parsed {
	const struct cmd_def *def;
	size_t nval;
	struct cmd_val val[CMD_MAX_TOK];
	bool help;                  /* the line ended in '?' */
	size_t help_at;             /* offset of that '?' */
	char buf[CMD_LINE_MAX * 2]; /* dequoted words and expanded choices */
};

/* Errors of the parser; the text in err says what and what would be right. */
enum {
	CMD_E_EMPTY = -1,   /* nothing but blanks or a comment */
	CMD_E_UNKNOWN = -2, /* a keyword matches nothing */
	CMD_E_AMBIG = -3,   /* an abbreviation matches several keywords */
	CMD_E_MISSING = -4, /* a required argument or value is missing */
	CMD_E_BAD = -5,     /* a value is not of the expected kind */
	CMD_E_EXTRA = -6,   /* words after a complete command */
	CMD_E_QUOTE = -7,   /* a quote is not closed */
	CMD_E_LONG = -8,    /* the line or a word is too long */
	CMD_E_TWICE =
	    -9, /* an option given twice, or one missing its partner */
};

/*
 * Parse one command line over L into p.  Returns 0, or one of the CMD_E_*
 * codes above with a one line explanation in err (none for CMD_E_EMPTY;
 * CMD_E_LONG also when out of memory); p->def is NULL then.  A line
 * ending in an unquoted '?' is not an error: p->help is set and nothing
 * else is filled.
 */
int cmd_lang_parse(const struct cmd_lang *L, const char *line,
                   struct cmd_parsed *p, char *err, size_t errlen);

/*
 * Check a value s of argument a of d outside a command line (a setting
 * read from elsewhere, a default in a table): 0 with v->n set and v->s
 * the value as the parser keeps it (the choice an abbreviation stands
 * for, copied into buf), or CMD_E_BAD with the parser's words in err.
 */
int cmd_lang_value(const struct cmd_lang *L, const struct cmd_def *d,
                   const struct cmd_arg *a, const char *s, struct cmd_val *v,
                   char *buf, size_t buflen, char *err, size_t errlen);

/* The one of the blank separated choices s abbreviates (or is), copied
 * into buf; NULL when none or several. */
const char *cmd_choice(const char *choices, const char *s, char *buf,
                       size_t len);

/* The words a choice or on/off argument takes ("on off"). */
const char *cmd_arg_choices(const struct cmd_lang *L, const struct cmd_arg *a);

/* Values of a parsed line, looked up by option keyword or positional meta. */
const char *cmd_str(const struct cmd_parsed *p, const char *key);
long cmd_num(const struct cmd_parsed *p, const char *key, long dflt);
bool cmd_has(const struct cmd_parsed *p, const char *key);
size_t cmd_all(const struct cmd_parsed *p, const char *key, const char **out,
               size_t max);

/* The language's kind an argument reads as (an owner's kind's base). */
int cmd_lang_base(const struct cmd_lang *L, int kind);

/* The type of an owner's kind, or NULL for the language's own. */
const struct cmd_type *cmd_lang_type(const struct cmd_lang *L, int kind);

/* Where Tab finds values of an argument (CMD_C_*). */
int cmd_lang_source(const struct cmd_lang *L, const struct cmd_arg *a);

/* What a value of a is, for errors and help ("a number from 1 to 65535"). */
const char *cmd_lang_expect(const struct cmd_lang *L, const struct cmd_arg *a,
                            char *buf, size_t len);

/* The argument as help names it ("port PORT", "ID", "verbose"). */
const char *cmd_arg_name(const struct cmd_arg *a, char *buf, size_t len);

/* Its help line with the default: "UDP port (default 1701)". */
const char *cmd_arg_help(const struct cmd_arg *a, char *buf, size_t len);

/* Number of arguments of d (up to the terminating entry). */
size_t cmd_nargs(const struct cmd_def *d);

/* Levenshtein distance, bounded by max (returns max + 1 beyond it). */
size_t cmd_distance(const char *a, const char *b, size_t max);

/* The syntax of a command as the man page and `help` show it. */
void cmd_synopsis(const struct cmd_def *d, char *buf, size_t len);

/*
 * The `help` listing: with what NULL every command's synopsis and help
 * (the man page's command list), else the commands whose path words what
 * abbreviates, each with its arguments.  Returns how many commands were
 * shown (0: none fits), or CMD_E_LONG when what cannot be read.
 */
int cmd_lang_usage(const struct cmd_lang *L, const char *what, FILE *out);

/* Split a line at unquoted ';' (for -c).  Returns the number of pieces or
 * -1 when there are more than max; pieces are written into buf. */
int cmd_split(const char *s, char **out, int max, char *buf, size_t len);

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
void compl_walk(const struct cmd_lang *L, const struct compl_lex *lx, size_t n,
                struct compl_walk *w);

/*
 * The walker's verdict on a line in words: unknown word (with the closest
 * candidates), ambiguous abbreviation (with the candidates), extra word.
 * Returns w->err.
 */
int compl_walk_error(const struct cmd_lang *L, const struct compl_lex *lx,
                     const struct compl_walk *w, char *err, size_t len);

/* Words at path depth d of commands whose first d keywords are path[]. */
size_t compl_path_words(const struct cmd_lang *L, const char *const *path,
                        size_t d, const char **out, size_t max);

/* Does keyword kw start with the abbreviation s? */
bool compl_prefix(const char *s, const char *kw);

#endif
