/* l2tpsh's command table: its rows, which name the handlers, and the glue
 * that runs a line over it (sh_run_line, in shell.h); the language itself
 * is completion/cmdlang.h, l2tpsh's own kinds of value cli/cmdkinds.h.
 * Handlers include completion/cmdlang.h (cmd_str, cmd_num ...), not this:
 * the table is at the top of cli/'s include graph. */
#ifndef L2TP_CLI_CMD_H
#define L2TP_CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cmdkinds.h"
#include "completion/cmdlang.h"
#include "completion/complete.h"

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
