/* The output sink: a buffer written to a FILE in 64 KiB blocks or kept in
 * memory; decimal and hex formatting without printf for the hot path. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/sink.h"

#define SINK_FILE_CAP ((size_t)1 << 16)
#define SINK_MEM_MIN ((size_t)1 << 12)

void
l2tp_sink_init(struct l2tp_sink *s, FILE *f)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	if (f) {
		/* Without the buffer every write goes straight to stdio. */
		s->buf = malloc(SINK_FILE_CAP);
		s->cap = s->buf ? SINK_FILE_CAP : 0;
	}
}

static void
sink_drain(struct l2tp_sink *s)
{
	if (s->f && s->len) {
		fwrite(s->buf, 1, s->len, s->f);
		s->len = 0;
	}
}

void
l2tp_sink_flush(struct l2tp_sink *s)
{
	if (s->f) {
		sink_drain(s);
		fflush(s->f);
	}
}

void
l2tp_sink_free(struct l2tp_sink *s)
{
	l2tp_sink_flush(s);
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static bool
sink_grow(struct l2tp_sink *s, size_t n)
{
	size_t cap = s->cap ? s->cap : SINK_MEM_MIN;
	char *nb;

	while (cap - s->len < n) {
		if (cap > ((size_t)-1) / 2) {
			s->oom = true;
			return false;
		}
		cap *= 2;
	}
	if ((nb = realloc(s->buf, cap)) == NULL) {
		s->oom = true;
		return false;
	}
	s->buf = nb;
	s->cap = cap;
	return true;
}

void
l2tp_sink_slow_(struct l2tp_sink *s, const char *p, size_t n)
{
	if (s->f) {
		sink_drain(s);
		if (n >= s->cap) {
			fwrite(p, 1, n, s->f);
			return;
		}
	} else if (!sink_grow(s, n)) {
		return;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

void
l2tp_sink_printf(struct l2tp_sink *s, const char *fmt, ...)
{
	char tmp[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		l2tp_sink_write(s, tmp, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		l2tp_sink_write(s, tmp, sizeof(tmp) - 1);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	l2tp_sink_write(s, big, (size_t)n);
	free(big);
}

/* ---- Fast formatting (the hot path avoids printf) ---- */

static const char dig2[201] = "00010203040506070809"
                              "10111213141516171819"
                              "20212223242526272829"
                              "30313233343536373839"
                              "40414243444546474849"
                              "50515253545556575859"
                              "60616263646566676869"
                              "70717273747576777879"
                              "80818283848586878889"
                              "90919293949596979899";

static inline unsigned
ndigits32(uint32_t v)
{
	if (v < 10000)
		return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
	if (v < 100000000)
		return v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : 8;
	return v < 1000000000 ? 9 : 10;
}

/* Decimal into d (ndigits32(w) bytes), two digits per division. */
static inline void
fmt_u32(char *d, unsigned n, uint32_t w)
{
	while (w >= 100) {
		unsigned r = w % 100;

		w /= 100;
		n -= 2;
		memcpy(d + n, dig2 + 2 * r, 2);
	}
	if (w >= 10)
		memcpy(d, dig2 + 2 * w, 2);
	else
		d[0] = (char)('0' + w);
}

/* Decimal, written in place when there is room (no copy on the hot path). */
void
l2tp_sink_u64_(struct l2tp_sink *s, uint64_t v)
{
	char b[20];
	size_t i = sizeof(b);

	if (v <= 0xffffffffu) {
		uint32_t w = (uint32_t)v;
		unsigned n = ndigits32(w);

		if (s->cap - s->len >= 10) {
			fmt_u32(s->buf + s->len, n, w);
			s->len += n;
			return;
		}
		fmt_u32(b, n, w);
		l2tp_sink_write(s, b, n);
		return;
	}
	while (v) {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	}
	l2tp_sink_write(s, b + i, sizeof(b) - i);
}

void
l2tp_sink_i64(struct l2tp_sink *s, int64_t v)
{
	if (v < 0) {
		l2tp_sink_putc(s, '-');
		l2tp_sink_u64(s, (uint64_t)0 - (uint64_t)v);
	} else {
		l2tp_sink_u64(s, (uint64_t)v);
	}
}

static const char hexd[] = "0123456789abcdef";

void
l2tp_sink_hexn(struct l2tp_sink *s, uint64_t v, int digits, bool prefix)
{
	char b[18];
	size_t k = 0;

	if (digits < 1)
		digits = 1;
	if (digits > 16)
		digits = 16;
	if (prefix) {
		b[k++] = '0';
		b[k++] = 'x';
	}
	for (int i = 0; i < digits; i++)
		b[k++] = hexd[(v >> (4 * (digits - 1 - i))) & 0xf];
	l2tp_sink_write(s, b, k);
}

void
l2tp_sink_hex(struct l2tp_sink *s, const uint8_t *p, size_t n)
{
	char b[128];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		b[k++] = hexd[p[i] >> 4];
		b[k++] = hexd[p[i] & 0xf];
		if (k == sizeof(b)) {
			l2tp_sink_write(s, b, k);
			k = 0;
		}
	}
	l2tp_sink_write(s, b, k);
}
