/* Bounded reader over untrusted packet bytes: every read is checked. */
#ifndef L2TP_RD_H
#define L2TP_RD_H

#include <stddef.h>
#include <stdint.h>

/*
 * All reads of packet data go through a struct rd.  Each reader returns 0 on
 * success and -1 when fewer bytes are left than asked for; on failure the
 * cursor does not move.
 */
struct rd {
	const uint8_t *p;
	size_t left;
};

static inline void
rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->left = len;
}

static inline int
rd_u8(struct rd *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->p[0];
	r->p++;
	r->left--;
	return 0;
}

static inline int
rd_u16(struct rd *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = (uint16_t)((uint16_t)r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->left -= 2;
	return 0;
}

static inline int
rd_u24(struct rd *r, uint32_t *v)
{
	if (r->left < 3)
		return -1;
	*v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
	r->p += 3;
	r->left -= 3;
	return 0;
}

static inline int
rd_u32(struct rd *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	     (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

static inline int
rd_u64(struct rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (r->left < 8)
		return -1;
	rd_u32(r, &hi);
	rd_u32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

static inline int
rd_skip(struct rd *r, size_t n)
{
	if (r->left < n)
		return -1;
	r->p += n;
	r->left -= n;
	return 0;
}

/* Carve the next n bytes into their own reader. */
static inline int
rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	if (r->left < n)
		return -1;
	sub->p = r->p;
	sub->left = n;
	r->p += n;
	r->left -= n;
	return 0;
}

/* Peek at byte i without moving. */
static inline int
rd_peek8(const struct rd *r, size_t i, uint8_t *v)
{
	if (r->left <= i)
		return -1;
	*v = r->p[i];
	return 0;
}

#endif
