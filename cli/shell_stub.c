/* Placeholder for the shell until cli/shell.c lands; delete it then. */
#include <stdio.h>

#include "cli/cli.h"

int
cli_shell(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "l2tpsh: the interactive shell is not built yet; "
	    "use -r FILE to decode a capture\n");
	return 1;
}
