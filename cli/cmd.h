/* l2tpsh's command table: its rows, its own kinds of value and the glue that
 * runs a row's handler; the language itself is completion/cmdlang.h. */
#ifndef L2TP_CLI_CMD_H
#define L2TP_CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "completion/cmdlang.h"
#include "completion/complete.h"

/* Kinds of value of l2tpsh's table (struct cmd_type rows in cmd.c). */
enum {
	CMD_K_TUNNEL = CMD_K_OWNER, /* a local tunnel id, 1..65535 */
	CMD_K_SESSION,              /* a local session id, 1..65535 */
	CMD_K_MSG,     /* a control message name ("sccrq", "zlb") */
	CMD_K_AVP,     /* NAME=VALUE, NAME an AVP key of the decoder table */
	CMD_K_AVPNAME, /* an AVP key */
	CMD_K_IFACE,   /* a network interface name */
	CMD_K_HELD,    /* the number of a message step mode holds */
};

/* Where Tab finds them: the shell's provider answers these and CMD_C_FILE. */
enum {
	CMD_C_TUNNEL = CMD_C_OWNER, /* live tunnel ids */
	CMD_C_SESSION,              /* live session ids */
	CMD_C_MSG,                  /* message names */
	CMD_C_AVP,                  /* AVP keys followed by '=' */
	CMD_C_AVPNAME,              /* AVP keys */
	CMD_C_IFACE,                /* interface names */
	CMD_C_HELD,                 /* numbers of held messages */
};

struct sh;

/* What a row's handler is; rows store it with CMD_FN(). */
typedef int (*cli_cmd_fn)(struct sh *sh, const struct cmd_parsed *p);

/* A handler for a row, its type checked against cli_cmd_fn. */
#define CMD_FN(f) ((cmd_fn)(1 ? (f) : (cli_cmd_fn)0))

/* Run the handler of the parsed line's row. */
int cmd_run(struct sh *sh, const struct cmd_parsed *p);

/* l2tpsh's language: the table, its keyword help and its kinds. */
const struct cmd_lang *cmd_lang(void);
const struct cmd_def *cmd_table(size_t *n);
const struct cmd_node *cmd_nodes(size_t *n);

/* What a value of a is ("a tunnel id from 1 to 65535"). */
const char *cmd_kind_expect(const struct cmd_arg *a, char *buf, size_t len);

/* cmd_lang_parse() over l2tpsh's table. */
int cmd_parse(const char *line, struct cmd_parsed *p, char *err, size_t errlen);

/* compl_help() over l2tpsh's table: `?` for line[0..len). */
int cmd_help(const char *line, size_t len, const struct compl_providers *pv,
             FILE *out, char *err, size_t errlen);

#endif
