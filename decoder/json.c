/* The JSON writer on the sink (RFC 8259; escaping policy of docs/json.md). */
#include <string.h>

#include "decoder/json.h"

static const char hexd[] = "0123456789abcdef";

/* Length of a valid UTF-8 sequence at p (RFC 3629 §4), 0 when invalid. */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t need;
	uint32_t cp;

	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (need == 2)
		return 2;
	if (need == 3) {
		cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
		     (p[2] & 0x3fu);
		if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		return 3;
	}
	cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	     (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3fu);
	if (cp < 0x10000 || cp > 0x10ffff)
		return 0;
	return 4;
}

void
l2tp_sink_json_str(struct l2tp_sink *s, const char *str, size_t n)
{
	const uint8_t *p = (const uint8_t *)str;
	size_t i = 0, start = 0;

	if (n == 0) {
		L2TP_SINK_LIT(s, "\"\"");
		return;
	}
	l2tp_sink_putc(s, '"');
	while (i < n) {
		uint8_t c = p[i];
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (u = utf8_len(p + i, n - i)) > 0) {
			i += u;
			continue;
		}
		l2tp_sink_write(s, str + start, i - start);
		switch (c) {
		case '"':
			L2TP_SINK_LIT(s, "\\\"");
			break;
		case '\\':
			L2TP_SINK_LIT(s, "\\\\");
			break;
		case '\n':
			L2TP_SINK_LIT(s, "\\n");
			break;
		case '\r':
			L2TP_SINK_LIT(s, "\\r");
			break;
		case '\t':
			L2TP_SINK_LIT(s, "\\t");
			break;
		default: {
			char e[6] = {'\\', 'u',          '0',
			             '0',  hexd[c >> 4], hexd[c & 0xf]};

			l2tp_sink_write(s, e, 6);
		}
		}
		start = ++i;
	}
	if (i > start)
		l2tp_sink_write(s, str + start, i - start);
	l2tp_sink_putc(s, '"');
}

/*
 * '"' z '"' and then tail (when not NUL) copied straight into the buffer,
 * when z is printable ASCII without '"' or '\\' (keys, names from the
 * tables: the common case) and there is room; false otherwise, with
 * nothing written, and the escaper does it.
 */
/* Bytes a JSON string may carry as they are: printable ASCII but '"' and
 * '\\' (and not NUL, which ends a C string). */
static const uint8_t plain[256] = {
    [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1};

static inline bool
put_plain(struct l2tp_sink *s, const char *z, char tail)
{
	size_t room = s->cap - s->len, i = 0, lim;
	char *d = s->buf + s->len;
	unsigned char c;

	if (room < 4)
		return false;
	lim = room - 3;
	d[0] = '"';
	while (plain[c = (unsigned char)z[i]]) {
		if (i + 1 >= lim)
			return false;
		d[1 + i] = (char)c;
		i++;
	}
	if (c != 0)
		return false;
	d[1 + i] = '"';
	i += 2;
	if (tail)
		d[i++] = tail;
	s->len += i;
	return true;
}

/* The bit of level d (1-based); 0 beyond what the writer tracks. */
static inline uint64_t
level_bit(unsigned d)
{
	return d >= 1 && d <= L2TP_JSON_DEPTH ? (uint64_t)1 << (d - 1) : 0;
}

void
l2tp_json_init(struct l2tp_json *j, struct l2tp_sink *s)
{
	memset(j, 0, sizeof(*j));
	j->s = s;
}

bool
l2tp_json_ok(const struct l2tp_json *j)
{
	return !j->bad && j->depth == 0 && !j->keyed;
}

/* Before a value: the comma, or nothing after a key or at depth 0. */
static inline void
before_value(struct l2tp_json *j)
{
	uint64_t b;

	if (j->keyed) {
		j->keyed = false;
		return;
	}
	if (j->depth == 0)
		return;
	b = level_bit(j->depth);
	if (j->isobj & b)
		j->bad = true; /* a value where a key was due */
	if (j->more & b)
		l2tp_sink_putc(j->s, ',');
	else
		j->more |= b;
}

void
l2tp_json_key(struct l2tp_json *j, const char *k)
{
	uint64_t b = level_bit(j->depth);

	if (j->keyed || j->depth == 0 || !(j->isobj & b))
		j->bad = true;
	if (j->more & b)
		l2tp_sink_putc(j->s, ',');
	else
		j->more |= b;
	if (!put_plain(j->s, k, ':')) {
		l2tp_sink_json_str(j->s, k, strlen(k));
		l2tp_sink_putc(j->s, ':');
	}
	j->keyed = true;
}

static void
open_level(struct l2tp_json *j, char c, bool obj)
{
	uint64_t b;

	before_value(j);
	l2tp_sink_putc(j->s, c);
	if (j->depth >= L2TP_JSON_DEPTH)
		j->bad = true;
	j->depth++;
	b = level_bit(j->depth);
	j->more &= ~b;
	if (obj)
		j->isobj |= b;
	else
		j->isobj &= ~b;
}

static void
close_level(struct l2tp_json *j, char c, bool obj)
{
	uint64_t b = level_bit(j->depth);

	if (j->depth == 0) {
		j->bad = true;
		return;
	}
	if (j->keyed || (b && !(j->isobj & b) != !obj))
		j->bad = true;
	j->keyed = false;
	l2tp_sink_putc(j->s, c);
	j->more &= ~b;
	j->isobj &= ~b;
	j->depth--;
}

void
l2tp_json_obj(struct l2tp_json *j)
{
	open_level(j, '{', true);
}

void
l2tp_json_obj_end(struct l2tp_json *j)
{
	close_level(j, '}', true);
}

void
l2tp_json_arr(struct l2tp_json *j)
{
	open_level(j, '[', false);
}

void
l2tp_json_arr_end(struct l2tp_json *j)
{
	close_level(j, ']', false);
}

void
l2tp_json_str(struct l2tp_json *j, const char *z)
{
	before_value(j);
	if (z) {
		if (!put_plain(j->s, z, '\0'))
			l2tp_sink_json_str(j->s, z, strlen(z));
	} else
		L2TP_SINK_LIT(j->s, "null");
}

void
l2tp_json_strn(struct l2tp_json *j, const char *p, size_t n)
{
	before_value(j);
	l2tp_sink_json_str(j->s, p, n);
}

void
l2tp_json_hex(struct l2tp_json *j, const uint8_t *p, size_t n)
{
	before_value(j);
	l2tp_sink_putc(j->s, '"');
	l2tp_sink_hex(j->s, p, n);
	l2tp_sink_putc(j->s, '"');
}

void
l2tp_json_ipaddr(struct l2tp_json *j, const struct l2tp_ipaddr *a)
{
	before_value(j);
	if (a->family != 4 && a->family != 6) {
		L2TP_SINK_LIT(j->s, "null");
		return;
	}
	l2tp_sink_putc(j->s, '"');
	l2tp_sink_ipaddr(j->s, a);
	l2tp_sink_putc(j->s, '"');
}

void
l2tp_json_int(struct l2tp_json *j, int64_t v)
{
	before_value(j);
	l2tp_sink_i64(j->s, v);
}

void
l2tp_json_uint(struct l2tp_json *j, uint64_t v)
{
	before_value(j);
	l2tp_sink_u64(j->s, v);
}

void
l2tp_json_bool(struct l2tp_json *j, bool v)
{
	before_value(j);
	if (v)
		L2TP_SINK_LIT(j->s, "true");
	else
		L2TP_SINK_LIT(j->s, "false");
}

void
l2tp_json_null(struct l2tp_json *j)
{
	before_value(j);
	L2TP_SINK_LIT(j->s, "null");
}

void
l2tp_json_raw(struct l2tp_json *j, const char *num, size_t n)
{
	before_value(j);
	l2tp_sink_write(j->s, num, n);
}
