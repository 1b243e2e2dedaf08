/* A small JSON writer (RFC 8259) on the sink: it places the commas and
 * colons itself, escapes every string per docs/json.md. */
#ifndef L2TP_JSON_H
#define L2TP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decoder/addr.h"
#include "decoder/sink.h"

#define L2TP_JSON_DEPTH 64 /* nesting the writer tracks */

/*
 * The state of one writer: the caller owns it (on the stack is fine), one
 * per sink at a time.  Values written at depth 0 are separate documents
 * (JSON Lines: the caller writes the '\n' between them); inside an array
 * or object the writer puts the commas, and after l2tp_json_key the colon.
 *
 * Misuse (a value in an object without a key, a key in an array, an end
 * that does not match, nesting deeper than L2TP_JSON_DEPTH) is not
 * written out as broken JSON silently: it sets `bad`, which
 * l2tp_json_ok() reports, and the writer keeps going as best it can.
 */
struct l2tp_json {
	struct l2tp_sink *s;
	unsigned depth;
	uint64_t more;  /* bit d: level d has a member already */
	uint64_t isobj; /* bit d: level d is an object */
	bool keyed;     /* a key was written; its value comes next */
	bool bad;       /* misuse seen */
};

void l2tp_json_init(struct l2tp_json *j, struct l2tp_sink *s);
/* True when every object and array is closed and nothing was misused. */
bool l2tp_json_ok(const struct l2tp_json *j);

void l2tp_json_obj(struct l2tp_json *j); /* { */
void l2tp_json_obj_end(struct l2tp_json *j);
void l2tp_json_arr(struct l2tp_json *j); /* [ */
void l2tp_json_arr_end(struct l2tp_json *j);

/* A member's name in an object; any bytes, escaped like a string. */
void l2tp_json_key(struct l2tp_json *j, const char *k);

/*
 * Strings.  Valid UTF-8 passes through; control characters are escaped
 * (\n, \t, \u0001); each byte that is not part of valid UTF-8 (RFC 3629:
 * no overlong forms, no surrogates) becomes \u00XX, the byte read as
 * Latin-1: the result is valid JSON whatever the bytes.
 */
void l2tp_json_str(struct l2tp_json *j, const char *z); /* NULL: null */
void l2tp_json_strn(struct l2tp_json *j, const char *p, size_t n);
/* Bytes as a lowercase hex string without separators ("0a1b"; ""). */
void l2tp_json_hex(struct l2tp_json *j, const uint8_t *p, size_t n);
/* An address as a string in the form of l2tp_ip_fmt; null for family 0. */
void l2tp_json_ipaddr(struct l2tp_json *j, const struct l2tp_ipaddr *a);

void l2tp_json_int(struct l2tp_json *j, int64_t v);
void l2tp_json_uint(struct l2tp_json *j, uint64_t v);
void l2tp_json_bool(struct l2tp_json *j, bool v);
void l2tp_json_null(struct l2tp_json *j);
/* A number the caller formatted ("1795700941.949504", "0.5"), written as
 * it is: it must be a JSON number. */
void l2tp_json_raw(struct l2tp_json *j, const char *num, size_t n);

/* Key and value in one call. */
static inline void
l2tp_json_kstr(struct l2tp_json *j, const char *k, const char *z)
{
	l2tp_json_key(j, k);
	l2tp_json_str(j, z);
}
static inline void
l2tp_json_kint(struct l2tp_json *j, const char *k, int64_t v)
{
	l2tp_json_key(j, k);
	l2tp_json_int(j, v);
}
static inline void
l2tp_json_kuint(struct l2tp_json *j, const char *k, uint64_t v)
{
	l2tp_json_key(j, k);
	l2tp_json_uint(j, v);
}
static inline void
l2tp_json_kbool(struct l2tp_json *j, const char *k, bool v)
{
	l2tp_json_key(j, k);
	l2tp_json_bool(j, v);
}
static inline void
l2tp_json_knull(struct l2tp_json *j, const char *k)
{
	l2tp_json_key(j, k);
	l2tp_json_null(j);
}

/* The string escaper alone: a JSON string literal, quotes included, of
 * n bytes (the policy above).  For code that writes JSON by other means. */
void l2tp_sink_json_str(struct l2tp_sink *s, const char *p, size_t n);

#endif
