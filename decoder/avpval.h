/* AVP values as integers: the fixed-size AVPs of RFC 2661 §4.4 read through
 * the bounded cursor, hidden ones only once opened. */
#ifndef L2TP_AVPVAL_H
#define L2TP_AVPVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "decoder/l2tp.h"
#include "decoder/rd.h"

/* The value of the first AVP (vendor 0, `type`) of m as a 16-bit or 32-bit
 * integer: false when absent, still hidden, or not exactly that long. */
static inline bool
l2tp_avp_u16(const struct l2tp_msg *m, uint16_t type, uint16_t *v)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);
	struct l2tp_bytes b;
	struct rd r;

	if (a == NULL || (a->h && !a->decrypted))
		return false;
	b = l2tp_avp_data(a);
	if (b.len != 2)
		return false;
	rd_init(&r, b.p, b.len);
	return rd_u16(&r, v) == 0;
}

static inline bool
l2tp_avp_u32(const struct l2tp_msg *m, uint16_t type, uint32_t *v)
{
	const struct l2tp_avp *a = l2tp_find_avp(m, 0, type);
	struct l2tp_bytes b;
	struct rd r;

	if (a == NULL || (a->h && !a->decrypted))
		return false;
	b = l2tp_avp_data(a);
	if (b.len != 4)
		return false;
	rd_init(&r, b.p, b.len);
	return rd_u32(&r, v) == 0;
}

#endif
