/* Placeholder for the decoder front end until cli/decode.c lands; delete it then. */
#include "cli/cli.h"

int
cli_decode(const struct cli_decode_opts *o, FILE *out, FILE *err)
{
	(void)o;
	(void)out;
	fprintf(err, "l2tpsh: decoding is not built yet\n");
	return 1;
}
