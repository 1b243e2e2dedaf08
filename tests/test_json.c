/* Tests of decoder/json.c: the JSON writer on the sink (RFC 8259), every
 * output parsed back by the strict reader of tests/json_check.h. */
#include <criterion/criterion.h>
#include <string.h>

#include "decoder/json.h"
#include "tests/json_check.h"

static struct l2tp_sink s;
static struct l2tp_json j;
static struct jdoc doc;

static void
setup(void)
{
	l2tp_sink_init(&s, NULL);
	l2tp_json_init(&j, &s);
}

static void
teardown(void)
{
	l2tp_sink_free(&s);
}

TestSuite(json, .init = setup, .fini = teardown);

/* The text written so far, NUL-terminated. */
static const char *
text(void)
{
	static char b[8192];
	size_t n = s.len < sizeof(b) - 1 ? s.len : sizeof(b) - 1;

	memcpy(b, s.buf, n);
	b[n] = '\0';
	return b;
}

static void
parses(void)
{
	cr_assert(l2tp_json_ok(&j), "writer reports misuse: %s", text());
	cr_assert(jparse(&doc, s.buf, s.len), "%s: %s", doc.err, text());
}

Test(json, commas_and_colons_placed_by_the_writer)
{
	l2tp_json_obj(&j);
	l2tp_json_kuint(&j, "frame", 4);
	l2tp_json_kint(&j, "time", -3);
	l2tp_json_kbool(&j, "ok", true);
	l2tp_json_knull(&j, "l2tp");
	l2tp_json_key(&j, "list");
	l2tp_json_arr(&j);
	l2tp_json_uint(&j, 1);
	l2tp_json_obj(&j);
	l2tp_json_obj_end(&j);
	l2tp_json_arr(&j);
	l2tp_json_arr_end(&j);
	l2tp_json_str(&j, "x");
	l2tp_json_arr_end(&j);
	l2tp_json_kstr(&j, "name", "Host Name");
	l2tp_json_obj_end(&j);
	parses();
	cr_assert_str_eq(text(), "{\"frame\":4,\"time\":-3,\"ok\":true,"
	                         "\"l2tp\":null,\"list\":[1,{},[],\"x\"],"
	                         "\"name\":\"Host Name\"}");
	cr_assert_str_eq(jtext(jget(&doc, "list.3")), "\"x\"");
	cr_assert_eq(jcount(&doc, jget(&doc, "list")), 4);
}

Test(json, documents_at_depth_zero_take_no_comma)
{
	l2tp_json_obj(&j);
	l2tp_json_kuint(&j, "a", 1);
	l2tp_json_obj_end(&j);
	l2tp_sink_putc(&s, '\n');
	l2tp_json_obj(&j);
	l2tp_json_kuint(&j, "b", 2);
	l2tp_json_obj_end(&j);
	cr_assert(l2tp_json_ok(&j));
	cr_assert_str_eq(text(), "{\"a\":1}\n{\"b\":2}");
}

Test(json, numbers_at_their_limits)
{
	l2tp_json_arr(&j);
	l2tp_json_uint(&j, 0);
	l2tp_json_uint(&j, UINT64_MAX);
	l2tp_json_int(&j, INT64_MIN);
	l2tp_json_int(&j, INT64_MAX);
	l2tp_json_raw(&j, "1795700941.949504", 17);
	l2tp_json_arr_end(&j);
	parses();
	cr_assert_str_eq(text(), "[0,18446744073709551615,"
	                         "-9223372036854775808,9223372036854775807,"
	                         "1795700941.949504]");
}

Test(json, strings_escaped_per_docs_json_md)
{
	/* control characters, quote and backslash, valid UTF-8 kept, stray
	 * bytes as \u00XX (Latin-1), an overlong form and a surrogate
	 * refused, a NUL inside */
	static const char in[] = "a\"b\\c\n\t\r\x01 \xc3\xa9 \xe9 \xc0\xaf "
	                         "\xed\xa0\x80 \xf0\x9f\x98\x80";
	l2tp_json_arr(&j);
	l2tp_json_strn(&j, in, sizeof(in) - 1);
	l2tp_json_strn(&j, "x\0y", 3);
	l2tp_json_strn(&j, NULL, 0);
	l2tp_json_str(&j, NULL);
	l2tp_json_arr_end(&j);
	parses();
	cr_assert_str_eq(text(),
	                 "[\"a\\\"b\\\\c\\n\\t\\r\\u0001 \xc3\xa9 \\u00e9 "
	                 "\\u00c0\\u00af \\u00ed\\u00a0\\u0080 "
	                 "\xf0\x9f\x98\x80\",\"x\\u0000y\",\"\",null]");
}

Test(json, every_byte_gives_valid_json)
{
	char b[256];

	for (int i = 0; i < 256; i++)
		b[i] = (char)i;
	l2tp_json_obj(&j);
	for (size_t n = 0; n <= sizeof(b); n += 17) {
		char k[8];

		snprintf(k, sizeof(k), "k%zu", n);
		l2tp_json_key(&j, k);
		l2tp_json_strn(&j, b + (256 - n), n);
	}
	/* keys are escaped too */
	l2tp_json_kstr(&j, "we\"ird\x01", "v");
	l2tp_json_obj_end(&j);
	parses();
	cr_assert_str_eq(jtext(jget(&doc, "k0")), "\"\"");
}

Test(json, hex_and_addresses)
{
	static const uint8_t bytes[] = {0x0a, 0x1b, 0xff};
	struct l2tp_ipaddr v4 = {4, {192, 0, 2, 1}};
	struct l2tp_ipaddr v6 = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	struct l2tp_ipaddr none = {0, {0}};

	l2tp_json_obj(&j);
	l2tp_json_key(&j, "hex");
	l2tp_json_hex(&j, bytes, sizeof(bytes));
	l2tp_json_key(&j, "empty");
	l2tp_json_hex(&j, NULL, 0);
	l2tp_json_key(&j, "src");
	l2tp_json_ipaddr(&j, &v4);
	l2tp_json_key(&j, "dst");
	l2tp_json_ipaddr(&j, &v6);
	l2tp_json_key(&j, "none");
	l2tp_json_ipaddr(&j, &none);
	l2tp_json_obj_end(&j);
	parses();
	cr_assert_str_eq(text(), "{\"hex\":\"0a1bff\",\"empty\":\"\","
	                         "\"src\":\"192.0.2.1\","
	                         "\"dst\":\"2001:db8::1\",\"none\":null}");
}

Test(json, deep_nesting_within_the_limit)
{
	for (int i = 0; i < L2TP_JSON_DEPTH; i++)
		l2tp_json_arr(&j);
	for (int i = 0; i < L2TP_JSON_DEPTH; i++)
		l2tp_json_arr_end(&j);
	parses();
}

Test(json, misuse_is_reported)
{
	/* a value in an object without its key */
	l2tp_json_obj(&j);
	l2tp_json_uint(&j, 1);
	l2tp_json_obj_end(&j);
	cr_assert(!l2tp_json_ok(&j));

	/* a key in an array */
	l2tp_json_init(&j, &s);
	l2tp_json_arr(&j);
	l2tp_json_key(&j, "k");
	l2tp_json_uint(&j, 1);
	l2tp_json_arr_end(&j);
	cr_assert(!l2tp_json_ok(&j));

	/* a mismatched end, an end with nothing open */
	l2tp_json_init(&j, &s);
	l2tp_json_arr(&j);
	l2tp_json_obj_end(&j);
	cr_assert(!l2tp_json_ok(&j));
	l2tp_json_init(&j, &s);
	l2tp_json_arr_end(&j);
	cr_assert(!l2tp_json_ok(&j));

	/* left open; a key without its value */
	l2tp_json_init(&j, &s);
	l2tp_json_obj(&j);
	cr_assert(!l2tp_json_ok(&j));
	l2tp_json_key(&j, "k");
	l2tp_json_obj_end(&j);
	cr_assert(!l2tp_json_ok(&j));

	/* too deep */
	l2tp_json_init(&j, &s);
	for (int i = 0; i <= L2TP_JSON_DEPTH; i++)
		l2tp_json_arr(&j);
	for (int i = 0; i <= L2TP_JSON_DEPTH; i++)
		l2tp_json_arr_end(&j);
	cr_assert(!l2tp_json_ok(&j));
}
