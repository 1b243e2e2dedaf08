/* One hash mixer for every table keyed by ids and addresses (engine and
 * observer). */
#ifndef L2TP_HASH_H
#define L2TP_HASH_H

#include <stdint.h>

/* splitmix64's finaliser: every input bit moves every output bit. */
static inline uint64_t
l2tp_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

#endif
