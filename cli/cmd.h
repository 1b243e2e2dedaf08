/* The shell's command table and its parser: keyword paths, typed arguments,
 * abbreviation, errors. */
#ifndef L2TP_CLI_CMD_H
#define L2TP_CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CMD_LINE_MAX 1024 /* longest command line accepted */
#define CMD_MAX_TOK 64    /* most words on one line */
#define CMD_MAX_PATH 4    /* most keywords before the arguments */

/* What an argument's value is. */
enum cmd_kind {
	CMD_K_FLAG = 0, /* an option keyword with no value ("verbose") */
	CMD_K_NUMBER,   /* decimal in [lo, hi] */
	CMD_K_WORD,     /* any one word */
	CMD_K_CHOICE,   /* one of choices ("on off"), abbreviable */
	CMD_K_ADDR,     /* IPv4 or IPv6 literal, or "lab" */
	CMD_K_FILE,     /* a path name */
	CMD_K_TUNNEL,   /* a local tunnel id, 1..65535 */
	CMD_K_SESSION,  /* a local session id, 1..65535 */
	CMD_K_MSG,      /* a control message name ("sccrq", "zlb") */
	CMD_K_AVP,      /* NAME=VALUE, NAME an AVP key of the decoder table */
	CMD_K_AVPNAME,  /* an AVP key */
	CMD_K_IFACE,    /* a network interface name */
	CMD_K_TEXT,     /* the rest of the line (or one quoted word) */
	CMD_K_HELD,     /* the number of a message step mode holds */
	CMD_K_COUNT
};

/* Where Tab finds candidates for a value. */
enum cmd_compl {
	CMD_C_NONE = 0, /* nothing to offer: show the argument's name */
	CMD_C_CHOICE,   /* the argument's own choices */
	CMD_C_TUNNEL,   /* live tunnel ids */
	CMD_C_SESSION,  /* live session ids */
	CMD_C_MSG,      /* message names */
	CMD_C_AVP,      /* AVP keys followed by '=' */
	CMD_C_AVPNAME,  /* AVP keys */
	CMD_C_FILE,     /* file names */
	CMD_C_IFACE,    /* interface names */
	CMD_C_HELD,     /* numbers of held messages */
	CMD_C_COUNT
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
	enum cmd_kind kind;
	unsigned flags;      /* CMD_OPT, CMD_REP */
	long lo, hi;         /* bounds for CMD_K_NUMBER */
	const char *choices; /* "on off" for CMD_K_CHOICE */
	const char *help;    /* one line */
	const char *needs;   /* keyword of an option this one requires */
	bool or_number;      /* CMD_K_CHOICE that also takes a number lo..hi */
};

struct sh;
struct cmd_parsed;
typedef int (*cmd_fn)(struct sh *sh, const struct cmd_parsed *p);

/* One command. */
struct cmd_def {
	const char
	    *path; /* keywords, space separated ("display l2tp tunnel") */
	const struct cmd_arg
	    *args;        /* terminated by an entry with kw and meta NULL */
	const char *help; /* one line */
	cmd_fn fn;
};

/* Help for a keyword that leads to other commands ("display l2tp"). */
struct cmd_node {
	const char *path;
	const char *help;
};

/* One value given on the line. */
struct cmd_val {
	int arg;       /* index into def->args */
	const char *s; /* the value (the keyword for a flag) */
	long n;        /* the number, for CMD_K_NUMBER/TUNNEL/SESSION */
};

struct cmd_parsed {
	const struct cmd_def *def;
	size_t nval;
	struct cmd_val val[CMD_MAX_TOK];
	bool help;                  /* the line ended in '?' */
	size_t help_at;             /* offset of that '?' */
	char buf[CMD_LINE_MAX * 2]; /* dequoted words and expanded choices */
};

/* The table, its keyword help, and how each kind reads. */
const struct cmd_def *cmd_table(size_t *n);
const struct cmd_node *cmd_nodes(size_t *n);
const char *cmd_kind_expect(const struct cmd_arg *a, char *buf, size_t len);

/* Errors of cmd_parse(); the text in err says what and what would be right. */
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
 * Parse one command line into p.  Returns 0, or a CMD_E_* code with a one
 * line explanation in err.  A line ending in an unquoted '?' is not an
 * error: p->help is set and nothing else is filled.
 */
int cmd_parse(const char *line, struct cmd_parsed *p, char *err, size_t errlen);

/* Values of a parsed line, looked up by option keyword or positional meta. */
const char *cmd_str(const struct cmd_parsed *p, const char *key);
long cmd_num(const struct cmd_parsed *p, const char *key, long dflt);
bool cmd_has(const struct cmd_parsed *p, const char *key);
size_t cmd_all(const struct cmd_parsed *p, const char *key, const char **out,
               size_t max);

/* Levenshtein distance, bounded by max (returns max + 1 beyond it). */
size_t cmd_distance(const char *a, const char *b, size_t max);

/* The syntax of a command as the man page and `help` show it. */
void cmd_synopsis(const struct cmd_def *d, char *buf, size_t len);

/*
 * `?` help for the text before a '?': what may come next with one line of
 * help each (or, after a partial word, what it may become), "<cr>" when
 * the command may end there.  Returns 0, or a CMD_E_* code with err set.
 */
struct compl_providers;
int cmd_help(const char *line, size_t len, const struct compl_providers *pv,
             FILE *out, char *err, size_t errlen);

/* Split a line at unquoted ';' (for -c).  Returns the number of pieces or
 * -1 when there are more than max; pieces are written into buf. */
int cmd_split(const char *s, char **out, int max, char *buf, size_t len);

#endif
