/* l2tpsh's own kinds of value and of completion, beside the language's
 * (completion/cmdlang.h): the table's rows use them (cli/cmd.c) and the
 * shell's completion providers answer them (cli/shell.c). */
#ifndef L2TP_CLI_CMDKINDS_H
#define L2TP_CLI_CMDKINDS_H

#include "completion/cmdlang.h"

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

#endif
