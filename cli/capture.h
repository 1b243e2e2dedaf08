/* Live capture inside the shell: a libpcap handle in the poll loop, L2TP
 * decoded above the prompt (RFC 2661 §3-4). */
#ifndef L2TP_CLI_CAPTURE_H
#define L2TP_CLI_CAPTURE_H

struct sh;
struct cmd_parsed;

int cap_do_start(struct sh *sh, const struct cmd_parsed *p);
int cap_do_stop(struct sh *sh, const struct cmd_parsed *p);

/* Stop a running capture (at exit); nothing when none runs. */
void cap_stop_all(struct sh *sh);

#endif
