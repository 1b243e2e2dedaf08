/* Recording the shell's datagrams to a pcap file (raw IPv4/IPv6 and UDP around
 * each L2TP message, RFC 2661 §8.1). */
#ifndef L2TP_CLI_RECORD_H
#define L2TP_CLI_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct rec;

/* Create (truncate) a pcap file; NULL with err set. */
struct rec *rec_open(const char *path, char *err, size_t errlen);

/* One UDP datagram from src to dst. */
void rec_packet(struct rec *r, const struct l2tp_addr *src,
                const struct l2tp_addr *dst, const uint8_t *payload,
                size_t len);

uint64_t rec_count(const struct rec *r);
const char *rec_path(const struct rec *r);

/* Flush and close; returns 0 or -1 when the file could not be written. */
int rec_close(struct rec *r);

#endif
