/* The shell's settings as one typed table: name, type, range, the default
 * (taken from the engine's own defaults), help, and where the value goes in
 * the engine's configuration.  `set`, `display l2tp config`, completion and
 * the man page's command list all come from it (cli/cmd.c makes the command
 * rows from it); a new setting is one row. */
#ifndef L2TP_CLI_SETTINGS_H
#define L2TP_CLI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

#define SET_MAX_ROWS 64 /* settings the command table makes room for */

enum set_type {
	SET_NAME,     /* a word, into a char array of the config */
	SET_SECRET,   /* a word, masked when shown; given to the engine apart */
	SET_NUMBER,   /* an integer in [lo, hi] */
	SET_SECONDS,  /* seconds in [lo, hi], kept in milliseconds */
	SET_SECONDS2, /* two: MIN in [lo, hi], MAX in [lo2, hi2], MAX >= MIN */
	SET_BOOL,     /* on or off */
	SET_MODE,     /* auto or step */
};

/* Where a value is in struct l2tp_engine_config, and its C type. */
enum set_field { SF_NONE, SF_CHARS, SF_U16, SF_U32, SF_UINT, SF_BOOL, SF_MODE };

struct setting {
	const char *name; /* as after "set " */
	enum set_type type;
	const char *meta, *meta2; /* the values' names ("SEC") */
	long lo, hi, lo2, hi2;
	const char *help;     /* the command's line in help */
	const char *arg_help; /* the value's */
	const char *arg2_help;
	enum set_field field;
	size_t off, off2; /* offsetof(struct l2tp_engine_config, ...) */
	size_t size;      /* SF_CHARS: the array's size */
};

/* The table, in the order `help` and `display l2tp config` list it. */
const struct setting *set_table(size_t *n);
/* The setting called name, or NULL. */
const struct setting *set_find(const char *name);
/* Its index in the table. */
size_t set_index(const struct setting *s);

/* The default as the shell shows it ("60", "1 8", "on"), from
 * l2tp_engine_config_default(); "" for a secret. */
void set_default(const struct setting *s, char *buf, size_t len);

/*
 * The configuration from the values (vals[i] the text of setting i, as
 * set_default writes them): each converted by its type into its field.
 * Secrets are not in the configuration.
 */
void set_apply(struct l2tp_engine_config *c, const char *const *vals);

#endif
