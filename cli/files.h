/* The file handlers: decode and analyze a capture file from the shell. */
#ifndef L2TP_CLI_FILES_H
#define L2TP_CLI_FILES_H

struct sh;
struct cmd_parsed;

/* decode FILE ... and analyze FILE ... (the analysis is kept for the
 * display commands). */
int sh_do_decode(struct sh *sh, const struct cmd_parsed *p);
int sh_do_analyze(struct sh *sh, const struct cmd_parsed *p);

#endif
