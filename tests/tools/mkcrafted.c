/* Writes deterministic crafted bad L2TP captures, one pcap per fault family,
 * and the fuzz seed corpus, with the project's builder (RFC 2661 §3.1, §4.1,
 * §4.3, §4.4; RFC 3931 §3-4). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decoder/l2tp.h"
#include "decoder/proto.h"
#include "tests/testlib.h"

/*
 * Usage: mkcrafted DIR            the crafted captures and DIR/README.md
 *        mkcrafted --corpus DIR   fuzz_parse seeds: each datagram prefixed
 *                                 with the two option bytes of
 *                                 tests/fuzz/fuzz_parse.c
 */

#define BASE_TIME 1767225600 /* 2026-01-01 00:00:00 UTC */

static const char *outdir;
static bool corpus;
static pcap_dumper_t *dumper;
static unsigned npkt, nseed;
static uint16_t ipid;
static bool eth;
static const char *family;
static int failed;

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "mkcrafted: %s: %s\n", what, why);
	exit(1);
}

/* One corpus file: option bytes, then the datagram. */
static void
seed(const char *name, uint8_t opt, uint8_t cut, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%03u", outdir, name, nseed++);
	if ((f = fopen(path, "wb")) == NULL)
		die(path, strerror(errno));
	fputc(opt, f);
	fputc(cut, f);
	if (n)
		fwrite(p, 1, n, f);
	if (fclose(f) != 0)
		die(path, strerror(errno));
}

/*
 * One packet into the current file.  `cut` > 0 keeps only that many bytes
 * of the frame in the record (a snaplen cut; the wire length stays).
 * `cookie` is what the datagram's reader must be told (v3 data).
 */
static void
emit_opt(const uint8_t *l2tp, size_t len, enum l2tp_transport tr, size_t cut,
         uint8_t cookie)
{
	static uint8_t frame[TL_MAXPKT + 64];
	struct pcap_pkthdr h;
	size_t n;

	if (corpus) {
		uint8_t opt = (uint8_t)((tr == L2TP_IP ? 1 : 0) |
		                        (cookie == 4   ? 2
		                         : cookie == 8 ? 4
		                                       : 0) |
		                        0x10);

		size_t hdr = (eth ? 14u : 0u) + (tr == L2TP_UDP ? 28u : 20u);
		size_t keep = cut == 0 ? len : cut > hdr ? cut - hdr : 0;
		size_t drop = keep < len ? len - keep : 0;

		seed(family, opt, (uint8_t)(drop > 255 ? 255 : drop), l2tp,
		     len);
		return;
	}
	n = tl_frame(frame, sizeof(frame), eth, 2, 1, tr, 1701, 1701, l2tp, len,
	             ipid++);
	if (n == 0)
		die(family, "frame does not fit");
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = BASE_TIME + npkt;
	h.ts.tv_usec = 1000 * npkt;
	h.len = (bpf_u_int32)n;
	h.caplen = (bpf_u_int32)(cut && cut < n ? cut : n);
	pcap_dump((u_char *)dumper, &h, frame);
	npkt++;
}

static void
emit(const uint8_t *l2tp, size_t len)
{
	emit_opt(l2tp, len, L2TP_UDP, 0, 0);
}

/* Finish a build and emit it. */
static void
done(struct l2tp_builder *b)
{
	int n = l2tp_build_end(b);

	if (n < 0) {
		fprintf(stderr, "mkcrafted: %s: a packet did not build\n",
		        family);
		failed = 1;
		return;
	}
	emit(b->buf, (size_t)n);
}

static uint8_t B[TL_MAXPKT];

static void
ctl(struct l2tp_builder *b, uint16_t mt)
{
	l2tp_build_control(b, B, sizeof(B), 4242, 0, (uint16_t)npkt, 1);
	if (mt)
		l2tp_build_msg_type(b, mt);
}

/* ---- The fault families ---- */

static void
f_avp_length(void)
{
	struct l2tp_builder b;

	for (uint16_t n = 0; n < 6; n++) {
		ctl(&b, L2TP_HELLO);
		l2tp_build_avp_raw(&b, (uint16_t)(0x8000 | n), 0, 7, "lac.lab",
		                   7);
		done(&b);
	}
}

static void
f_avp_past_end(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_SCCRQ);
	l2tp_build_avp_raw(&b, 0x8000 | 60, 0, 7, "lac.lab", 7);
	done(&b);
	/* the last AVP's length runs one byte past the Length */
	ctl(&b, L2TP_HELLO);
	l2tp_build_avp_raw(&b, 0x0000 | 11, 0, 8, "abcd", 4);
	done(&b);
}

static void
f_length_lies(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_HELLO);
	l2tp_build_set_length(&b, 200); /* larger than the datagram */
	done(&b);
	ctl(&b, L2TP_HELLO);
	l2tp_build_set_length(&b, 6); /* shorter than the header */
	done(&b);
	ctl(&b, L2TP_HELLO);
	l2tp_build_str(&b, false, L2TP_AVP_VENDOR_NAME, "trailer");
	l2tp_build_set_length(&b, 20); /* bytes after the end */
	done(&b);
}

static void
f_no_ls(void)
{
	static const uint16_t fl[] = {L2TP_F_T | L2TP_F_S | 2,
	                              L2TP_F_T | L2TP_F_L | 2, L2TP_F_T | 2};
	struct l2tp_builder b;

	for (size_t i = 0; i < 3; i++) {
		l2tp_build_header(&b, B, sizeof(B), fl[i], 4242, 0, 3, 1, 0);
		l2tp_build_msg_type(&b, L2TP_HELLO);
		done(&b);
	}
}

static void
f_hidden_no_rv(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_ICRQ);
	l2tp_build_avp(&b, true, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID,
	               "\x5a\x11\x22\x33", 4);
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 1);
	done(&b);
}

static void
f_msgtype(void)
{
	struct l2tp_builder b;

	ctl(&b, 0); /* not first */
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_SESSION_ID, 7);
	l2tp_build_msg_type(&b, L2TP_ICRP);
	done(&b);
	ctl(&b, 0); /* hidden */
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(&b, true, 0, 0, "\0\6", 2, NULL, 0);
	done(&b);
	ctl(&b, 0); /* missing */
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "lac.lab");
	done(&b);
	ctl(&b, 0); /* wrong length */
	l2tp_build_avp(&b, true, false, 0, 0, "\0\0\6", 3);
	done(&b);
	ctl(&b, 99); /* unknown, M=1 */
	done(&b);
}

static void
f_unknown_mandatory(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_HELLO);
	l2tp_build_avp(&b, true, false, 0, 99, "\0\1", 2);
	done(&b);
	ctl(&b, L2TP_HELLO); /* the same with M=0: ignored */
	l2tp_build_avp(&b, false, false, 0, 99, "\0\1", 2);
	done(&b);
}

static void
f_unknown_vendor(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_HELLO);
	l2tp_build_avp(&b, false, false, 4874, 12, "\xde\xad", 2);
	done(&b);
	ctl(&b, L2TP_HELLO);
	l2tp_build_avp(&b, true, false, 4874, 13, "\xbe\xef", 2);
	done(&b);
}

static void
f_truncated(void)
{
	static struct tl_pkt set[64];
	int n = tl_valid_set(set, 64);
	/* frame offsets: Ethernet 14, IPv4 20, UDP 8 */
	static const size_t cuts[] = {20, 38, 44, 50, 56, 60, 70};

	if (n < 0)
		die(family, "valid set");
	for (int i = 0; i < n; i++) {
		if (strcmp(set[i].name, "SCCRQ") != 0 &&
		    strcmp(set[i].name, "data L S O=4") != 0)
			continue;
		for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++)
			emit_opt(set[i].b, set[i].len, L2TP_UDP, cuts[k], 0);
	}
}

static void
f_reserved(void)
{
	struct l2tp_builder b;

	l2tp_build_header(&b, B, sizeof(B),
	                  L2TP_F_T | L2TP_F_L | L2TP_F_S | 0x1000 | 2, 4242, 0,
	                  0, 1, 0);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	done(&b);
	ctl(&b, L2TP_HELLO);
	l2tp_build_avp_raw(&b, 0x0800 | 10, L2TP_VENDOR_BBF, 1, "abcd", 4);
	done(&b);
	ctl(&b, L2TP_HELLO);
	l2tp_build_avp_raw(&b, 0x8000 | 0x0400 | 10, L2TP_VENDOR_BBF, 1, "abcd",
	                   4);
	done(&b);
}

static void
f_fixed_length(void)
{
	static const struct {
		uint16_t mt, type;
		size_t len;
	} c[] = {{L2TP_STOPCCN, L2TP_AVP_ASSIGNED_TUNNEL_ID, 3},
	         {L2TP_SCCCN, L2TP_AVP_CHALLENGE_RESPONSE, 15},
	         {L2TP_WEN, L2TP_AVP_CALL_ERRORS, 25},
	         {L2TP_SLI, L2TP_AVP_ACCM, 9},
	         {L2TP_ICCN, L2TP_AVP_SEQ_REQUIRED, 1},
	         {L2TP_SCCRQ, L2TP_AVP_TIE_BREAKER, 4}};
	static const uint8_t z[32];
	struct l2tp_builder b;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ctl(&b, c[i].mt);
		l2tp_build_avp(&b, c[i].type != L2TP_AVP_TIE_BREAKER, false, 0,
		               c[i].type, z, c[i].len);
		done(&b);
	}
}

static void
f_too_many(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_HELLO);
	for (int i = 0; i < L2TP_MAX_AVPS + 3; i++)
		l2tp_build_avp(&b, false, false, 4874, 1, "v", 1);
	done(&b);
}

static void
f_rfc_rules(void)
{
	struct l2tp_builder b;

	ctl(&b, L2TP_SCCRQ); /* mandatory AVPs missing */
	l2tp_build_str(&b, true, L2TP_AVP_HOST_NAME, "lac.lab");
	done(&b);
	ctl(&b, L2TP_ICRP); /* M clear where the RFC says 1 */
	l2tp_build_u16(&b, false, L2TP_AVP_ASSIGNED_SESSION_ID, 5);
	done(&b);
	ctl(&b, L2TP_STOPCCN); /* Assigned Tunnel ID 0 */
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 0);
	l2tp_build_result(&b, 1, -1, NULL);
	done(&b);
	ctl(&b, L2TP_HELLO); /* an AVP of another message */
	l2tp_build_u32(&b, true, L2TP_AVP_CALL_SERIAL, 1);
	done(&b);
	ctl(&b, L2TP_SCCRQ); /* Host Name hidden, Protocol Version 1.1 */
	l2tp_build_avp(&b, true, false, 0, L2TP_AVP_PROTOCOL_VERSION, "\1\1",
	               2);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_HOST_NAME, "lac", 3, NULL, 0);
	l2tp_build_u32(&b, true, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_build_u16(&b, true, L2TP_AVP_ASSIGNED_TUNNEL_ID, 9);
	done(&b);
}

static void
f_versions(void)
{
	struct l2tp_builder b;

	l2tp_build_header(&b, B, sizeof(B), 0x0001, 1, 1, 0, 0, 0);
	done(&b);
	l2tp_build_header(&b, B, sizeof(B), 0xc809, 1, 1, 0, 0, 0);
	done(&b);
}

static void
f_offset(void)
{
	struct l2tp_builder b;

	l2tp_build_data(&b, B, sizeof(B), L2TP_F_L | L2TP_F_O | 2, 4242, 78, 0,
	                0, 6, (const uint8_t *)"\xff\x03", 2);
	l2tp_build_set_length(&b, 12);
	done(&b);
	l2tp_build_data(&b, B, sizeof(B), L2TP_F_O | 2, 4242, 78, 0, 0, 0, NULL,
	                0);
	B[7] = 40;
	done(&b);
}

static void
f_v3_control(void)
{
	static struct tl_pkt set[64];
	int n = tl_valid_set(set, 64);
	struct l2tp_builder b;

	for (int i = 0; i < n; i++)
		if (set[i].version == 3 && set[i].control)
			emit_opt(set[i].b, set[i].len, set[i].tr, 0, 0);
	l2tp_build_v3_control(&b, B, sizeof(B), L2TP_IP, 1, 0, 0);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	l2tp_build_set_length(&b, 24); /* counts the session word: a lie */
	{
		int len = l2tp_build_end(&b);

		emit_opt(B, (size_t)len, L2TP_IP, 0, 0);
	}
	l2tp_build_v3_control(&b, B, sizeof(B), L2TP_UDP, 1, 0, 0);
	l2tp_build_msg_type(&b, L2TP_HELLO);
	B[1] |= 0x10; /* a reserved bit */
	{
		int len = l2tp_build_end(&b);

		emit_opt(B, (size_t)len, L2TP_UDP, 0, 0);
	}
}

static uint8_t cookie_len;

static void
f_v3_data(void)
{
	static struct tl_pkt set[64];
	int n = tl_valid_set(set, 64);

	for (int i = 0; i < n; i++)
		if (set[i].version == 3 && !set[i].control &&
		    set[i].cookie_len == cookie_len)
			emit_opt(set[i].b, set[i].len, set[i].tr, 0,
			         cookie_len);
}

static void
f_v3_data0(void)
{
	cookie_len = 0;
	f_v3_data();
}

static void
f_v3_data4(void)
{
	cookie_len = 4;
	f_v3_data();
}

static void
f_v3_data8(void)
{
	cookie_len = 8;
	f_v3_data();
}

static void
f_hidden_secret(void)
{
	static struct tl_pkt set[64];
	int n = tl_valid_set(set, 64);

	for (int i = 0; i < n; i++)
		if (strcmp(set[i].name, "ICRQ hidden") == 0)
			emit(set[i].b, set[i].len);
}

static void
f_hidden_misfit(void)
{
	struct l2tp_builder b;

	/* a hidden value whose sender used "wrong-secret-42" */
	ctl(&b, L2TP_ICRP);
	l2tp_build_random_vector(&b, tl_rv, 16, "wrong-secret-42");
	l2tp_build_hidden(&b, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "\0\x4d",
	                  2, (const uint8_t *)"pad", 3);
	done(&b);
	/* a hidden value too short to hold the length field */
	ctl(&b, L2TP_ICRP);
	l2tp_build_random_vector(&b, tl_rv, 16, TL_SECRET);
	l2tp_build_avp(&b, true, true, 0, L2TP_AVP_ASSIGNED_SESSION_ID, "x", 1);
	done(&b);
}

struct family {
	const char *file;
	bool eth;
	void (*make)(void);
	const char *wrong;
	const char *says;
};

static const struct family fams[] = {
    {"avp-length-0-5", false, f_avp_length,
     "six HELLOs whose second AVP has length 0, 1, 2, 3, 4, 5",
     "malformed: AVP 1 (vendor 0 type 7): length N < 6"},
    {"avp-past-end", true, f_avp_past_end,
     "an AVP length that runs past the end of the message (by 47 bytes, and by "
     "1)",
     "malformed: ... runs N bytes past the end of the message"},
    {"length-lies", false, f_length_lies,
     "Length 200 in a 20-byte datagram; Length 6; Length 20 with 15 bytes "
     "after it",
     "malformed: Length field 200 is larger than the 20-byte datagram / 6 is "
     "shorter than the 12-byte header; rfc: 13 bytes after the end given by "
     "Length"},
    {"no-l-s-bits", false, f_no_ls,
     "control messages without the L bit, without the S bit, without both",
     "malformed: control message without the L / S / L and S bit(s)"},
    {"hidden-no-rv", true, f_hidden_no_rv,
     "a hidden Assigned Session ID with no Random Vector before it",
     "malformed: Assigned Session ID: hidden AVP with no Random Vector before "
     "it"},
    {"msgtype-rules", false, f_msgtype,
     "Message Type second, hidden, missing, 3 bytes long, and unknown (99, "
     "M=1)",
     "malformed: Message Type (ICRP) is AVP 1 / is hidden / no Message Type "
     "AVP / "
     "value length 3; unsupported: unknown message type 99"},
    {"unknown-mandatory", false, f_unknown_mandatory,
     "an unknown IETF AVP 99 with M=1, then the same with M=0",
     "unsupported: unknown mandatory AVP AVP-#99; the M=0 one is shown and "
     "ignored"},
    {"unknown-vendor", true, f_unknown_vendor,
     "vendor 4874 (Juniper) type 12 with M=0, type 13 with M=1",
     "shown as vendor 4874:12 with its bytes; the M=1 one is unsupported"},
    {"truncated-records", true, f_truncated,
     "an SCCRQ and a v2 data message cut by the snaplen at 20, 38, 44, 50, 56, "
     "60, 70 bytes of the Ethernet frame",
     "truncated: the link, IP or UDP header, or capture ends at byte N of M "
     "inside the L2TP header / AVP"},
    {"reserved-bits", false, f_reserved,
     "a reserved header bit (0x1000); reserved AVP bits on Agent-Circuit-Id "
     "with M=0 and with M=1",
     "rfc: reserved header bits set (xl2tpd drops such packets); rfc / "
     "unsupported: reserved AVP bits"},
    {"fixed-length", false, f_fixed_length,
     "Assigned Tunnel ID of 3 bytes, Challenge Response 15, Call Errors 25, "
     "ACCM 9, Sequencing Required 1, Tie Breaker 4 (mandatory AVPs left out "
     "too)",
     "malformed: NAME: value length N, must be M; rfc: the missing mandatory "
     "AVPs named"},
    {"too-many-avps", false, f_too_many,
     "a HELLO with 131 more AVPs (vendor 4874, M=0)",
     "unsupported: more than 128 AVPs; the rest are not shown"},
    {"rfc-rules", true, f_rfc_rules,
     "SCCRQ lacking mandatory AVPs; M bit clear on Assigned Session ID; "
     "Assigned Tunnel ID 0; Call Serial Number in a HELLO; hidden Host Name "
     "and Protocol Version 1.1",
     "rfc: X without the mandatory Y AVP / M bit clear / 0, must be non-zero / "
     "is not an AVP of HELLO / must not be hidden / Protocol Version 1.1"},
    {"versions", false, f_versions,
     "an L2F (version 1) header and a version 9 header on UDP 1701",
     "unsupported: L2F (version 1), not L2TP / unknown version 9"},
    {"offset-lies", false, f_offset,
     "v2 data whose Offset Size runs past the Length, and past the datagram",
     "malformed: Offset Size 6 runs past the Length 12 / too short for the "
     "offset padding"},
    {"v3-control", true, f_v3_control,
     "L2TPv3 SCCRQ, ICRQ and ZLB over UDP and IP (valid), a v3-over-IP Length "
     "that counts the session word, a reserved v3 bit",
     "valid ones decode clean; malformed: Length field 24 is larger than the "
     "20-byte datagram after the Session ID; rfc: reserved L2TPv3 header bits "
     "0x0010"},
    {"v3-data-cookie0", false, f_v3_data0,
     "L2TPv3 data over UDP and IP, no cookie, default L2-specific sublayer "
     "(valid)",
     "decodes clean: ARP who-has 10.0.0.2 tell 10.0.0.1"},
    {"v3-data-cookie4", false, f_v3_data4,
     "L2TPv3 data over UDP and IP with a 4-byte cookie (valid)",
     "decodes clean (ARP who-has 10.0.0.2) only with --cookie-len 4"},
    {"v3-data-cookie8", false, f_v3_data8,
     "L2TPv3 data over UDP and IP with an 8-byte cookie (valid)",
     "decodes clean (ARP who-has 10.0.0.2) only with --cookie-len 8"},
    {"hidden-secret", true, f_hidden_secret,
     "an ICRQ with two Random Vectors and four hidden AVPs (secret "
     "lab-secret-1701), one padded",
     "with --secret lab-secret-1701: (hidden, decrypted) values 303, 9, "
     "\"5550199-a-long-number\", \"olt2 eth 0/1/2\"; with another secret: "
     "\"(wrong secret?)\""},
    {"hidden-misfit", false, f_hidden_misfit,
     "a hidden Assigned Session ID hidden with wrong-secret-42; a 1-byte "
     "hidden value",
     "with --secret lab-secret-1701: unsupported \"(wrong secret?)\"; "
     "malformed: cannot hold the 2-byte original length"},
};

static void
write_readme(void)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/README.md", outdir);
	if ((f = fopen(path, "w")) == NULL)
		die(path, strerror(errno));
	fprintf(f, "# Crafted bad captures\n\n"
	           "Written by `tests/tools/mkcrafted` (built on the project's "
	           "own builder) and\nchecked by `tests/t_crafted.sh`: "
	           "regenerated, they must be byte-identical.\nAddresses "
	           "127.0.0.2:1701 -> 127.0.0.1:1701; time from "
	           "2026-01-01 00:00:00 UTC.\nLink type raw IPv4 unless "
	           "marked Ethernet.\n\n"
	           "| file | link | what is wrong | what the decoder must say "
	           "|\n|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		fprintf(f, "| `%s.pcap` | %s | %s | %s |\n", fams[i].file,
		        fams[i].eth ? "Ethernet" : "raw IPv4", fams[i].wrong,
		        fams[i].says);
	if (fclose(f) != 0)
		die(path, strerror(errno));
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--corpus") == 0) {
		corpus = true;
		outdir = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		outdir = argv[1];
	} else {
		fprintf(stderr,
		        "usage: mkcrafted DIR | mkcrafted --corpus DIR\n");
		return 2;
	}
	if (mkdir(outdir, 0777) < 0 && errno != EEXIST)
		die(outdir, strerror(errno));
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		char path[4096];
		pcap_t *pd = NULL;

		family = fams[i].file;
		eth = fams[i].eth;
		npkt = 0;
		if (!corpus) {
			snprintf(path, sizeof(path), "%s/%s.pcap", outdir,
			         fams[i].file);
			pd = pcap_open_dead(eth ? DLT_EN10MB : DLT_RAW, 65535);
			if (pd == NULL)
				die(path, "pcap_open_dead failed");
			if ((dumper = pcap_dump_open(pd, path)) == NULL)
				die(path, pcap_geterr(pd));
		}
		fams[i].make();
		if (!corpus) {
			if (pcap_dump_flush(dumper) != 0)
				die(path, "write failed");
			pcap_dump_close(dumper);
			pcap_close(pd);
		}
	}
	if (corpus) {
		static struct tl_pkt set[64];
		int n = tl_valid_set(set, 64);

		for (int i = 0; i < n; i++) {
			uint8_t opt = (uint8_t)((set[i].tr == L2TP_IP ? 1 : 0) |
			                        (set[i].cookie_len == 4   ? 2
			                         : set[i].cookie_len == 8 ? 4
			                                                  : 0) |
			                        0x10);
			char name[64];

			snprintf(name, sizeof(name), "valid-%s", set[i].name);
			for (char *c = name; *c; c++)
				if (*c == ' ' || *c == '=')
					*c = '_';
			seed(name, opt, 0, set[i].b, set[i].len);
			/* and one cut short, keeping the wire length */
			seed(name, opt, (uint8_t)(set[i].len / 2), set[i].b,
			     set[i].len);
		}
	} else {
		write_readme();
	}
	return failed;
}
