/* Secrets kept out of the history and argv: the history mask, secrets read
 * from a file and from a no-echo prompt at a terminal. */
#ifndef CLI_SECRET_H
#define CLI_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* What the history shows in place of a secret, whatever its length. */
#define CLI_SECRET_MASK "********"

/* Longest secret a file or the prompt gives (the engine's limit). */
#define CLI_SECRET_MAX 255

/*
 * The line as typed, with the value of every word that carries a secret
 * replaced by CLI_SECRET_MASK: the first value of `set secret` (not the
 * words file and prompt), and the word after `secret` or `password` in the
 * commands that take one (decode, analyze, set ppp user, set ppp
 * local-user).  Command words may be abbreviated as the shell allows; a
 * quoted value is masked quotes and all; `;` separates commands.  Returns a
 * new string to free(), or NULL when out of memory.  *masked (may be NULL)
 * gets the number of values masked.
 */
char *cli_secret_mask(const char *line, size_t *masked);

/*
 * Masks, as above, every line of hist (a libedit History * loaded from a file
 * written before the mask, or by hand).  Returns how many lines changed; the
 * caller saves the file again when any did.
 */
size_t cli_secret_mask_history(void *hist);

/* Is s the mask itself (a masked line recalled from the history)? */
bool cli_secret_is_mask(const char *s);

/*
 * The secret in the first line of the file at path (its line end cut off)
 * into buf of len bytes.  Returns 0, or -1 with the reason in err.  On
 * success, warn gets a warning (else "") when the file can be read or
 * changed by group or others, saying to chmod 600 it.
 */
int cli_secret_read_file(const char *path, char *buf, size_t len, char *warn,
                         size_t wlen, char *err, size_t elen);

/*
 * Asks for a secret at the controlling terminal with echo off, one line into
 * buf.  The terminal's modes are restored on every path: the line read, an
 * error, Ctrl-C or Ctrl-Z (the secret is then not set) and SIGTERM, SIGHUP
 * or SIGQUIT (restored, then the signal takes its course).  Fails when
 * stdin is not a terminal.  Returns 0, or -1 with the reason in err.
 */
int cli_secret_prompt(const char *prompt, char *buf, size_t len, char *err,
                      size_t elen);

#endif
