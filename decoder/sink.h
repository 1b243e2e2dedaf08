/* The output sink every printer writes to: a buffer flushed to a FILE in
 * large blocks, or kept in memory; fast decimal and hex without printf. */
#ifndef L2TP_SINK_H
#define L2TP_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * A sink buffers output and hands it to a FILE (flushed when the buffer is
 * full and by l2tp_sink_flush), or keeps it all in memory when f is NULL
 * (for tests and for the shell, which prints above its prompt).  No system
 * call per packet: the buffer is written in large blocks (64 KiB).
 *
 * A memory sink holds buf[0..len), not NUL-terminated; a caller that has
 * consumed it may set len to 0 and go on writing.  l2tp_sink_flush also
 * calls fflush on the FILE; l2tp_sink_free flushes and frees the buffer.
 */
struct l2tp_sink {
	FILE *f;
	char *buf;
	size_t len, cap;
	bool oom; /* a memory sink could not grow: output was lost */
};

void l2tp_sink_init(struct l2tp_sink *s, FILE *f); /* f NULL: memory */
void l2tp_sink_free(struct l2tp_sink *s);
void l2tp_sink_flush(struct l2tp_sink *s);
void l2tp_sink_printf(struct l2tp_sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The slow path of the inline writers below (buffer full); not for
 * callers. */
void l2tp_sink_slow_(struct l2tp_sink *s, const char *p, size_t n);

/* n bytes; p may be NULL when n is 0 (an empty view). */
static inline void
l2tp_sink_write(struct l2tp_sink *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (s->cap - s->len >= n) {
		memcpy(s->buf + s->len, p, n);
		s->len += n;
	} else {
		l2tp_sink_slow_(s, p, n);
	}
}

static inline void
l2tp_sink_putc(struct l2tp_sink *s, char c)
{
	if (s->cap - s->len >= 1)
		s->buf[s->len++] = c;
	else
		l2tp_sink_slow_(s, &c, 1);
}

/* A C string; short ones (labels, names) are copied byte by byte straight
 * into the buffer, which beats strlen plus a memcpy call. */
static inline void
l2tp_sink_puts(struct l2tp_sink *s, const char *p)
{
	size_t room = s->cap - s->len, i = 0;
	char *d = s->buf + s->len;

	while (i < room && p[i]) {
		d[i] = p[i];
		i++;
	}
	s->len += i;
	if (p[i])
		l2tp_sink_slow_(s, p + i, strlen(p + i));
}

/* A string literal, its length known at compile time. */
#define L2TP_SINK_LIT(s, lit) l2tp_sink_write((s), "" lit, sizeof(lit) - 1)

/* Decimal. */
void l2tp_sink_u64_(struct l2tp_sink *s, uint64_t v);
static inline void
l2tp_sink_u64(struct l2tp_sink *s, uint64_t v)
{
	/* Most numbers on the wire (types, lengths, ids) are short. */
	if (v < 100 && s->cap - s->len >= 2) {
		if (v < 10) {
			s->buf[s->len++] = (char)('0' + v);
		} else {
			s->buf[s->len++] = (char)('0' + v / 10);
			s->buf[s->len++] = (char)('0' + v % 10);
		}
	} else {
		l2tp_sink_u64_(s, v);
	}
}
void l2tp_sink_i64(struct l2tp_sink *s, int64_t v);
/* Exactly `digits` (1..16) lowercase hex digits, zero-padded, with "0x"
 * before them when prefix is true. */
void l2tp_sink_hexn(struct l2tp_sink *s, uint64_t v, int digits, bool prefix);
/* Bytes as contiguous lowercase hex ("0a1b"). */
void l2tp_sink_hex(struct l2tp_sink *s, const uint8_t *p, size_t n);

#endif
