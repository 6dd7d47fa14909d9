// SPDX-License-Identifier: GPL-2.0
/* Unit tests for userspace/common: hex, numbers, secrets, JSON. */
#include <stdlib.h>
#include <unistd.h>

#include "mbms/common.h"
#include "test.h"

static void test_hex(void)
{
	uint8_t b[16];
	char err[128], s[33];
	size_t n;

	CHECK(hex_decode_exact("00ff10aB", b, 4, err, sizeof(err)) == 0);
	CHECK(b[0] == 0 && b[1] == 0xff && b[2] == 0x10 && b[3] == 0xab);
	CHECK(hex_decode_exact("00ff10a", b, 4, err, sizeof(err)) == -1);
	CHECK_STR(err, "expected 8 hex digits, got 7");
	CHECK(hex_decode_exact("00fg10ab", b, 4, err, sizeof(err)) == -1);
	CHECK_STR(err, "bad hex digit 'g' at position 4");
	CHECK(hex_decode_exact(":0ff10ab", b, 4, err, sizeof(err)) == -1);
	CHECK(hex_decode_exact("0/ff10ab", b, 4, err, sizeof(err)) == -1);
	CHECK(hex_decode_exact("0Gff10ab", b, 4, err, sizeof(err)) == -1);
	CHECK(hex_decode("", b, 4, &n, err, sizeof(err)) == 0 && n == 0);
	CHECK(hex_decode("abc", b, 4, &n, err, sizeof(err)) == -1);
	CHECK(hex_decode("0011223344", b, 4, &n, err, sizeof(err)) == -1);
	CHECK(hex_decode("09afAF", b, 4, &n, err, sizeof(err)) == 0 && n == 3);
	CHECK(b[0] == 0x09 && b[1] == 0xaf && b[2] == 0xaf);
	hex_encode((const uint8_t *)"\x01\xab\xff", 3, s);
	CHECK_STR(s, "01abff");
}

static void test_num(void)
{
	char err[128];
	uint64_t v;

	CHECK(parse_u64("42", 100, &v, err, sizeof(err)) == 0 && v == 42);
	CHECK(parse_u64("0x2A", 100, &v, err, sizeof(err)) == 0 && v == 42);
	CHECK(parse_u64("101", 100, &v, err, sizeof(err)) == -1);
	CHECK_STR(err, "101 is out of range (at most 100)");
	CHECK(parse_u64("-1", 100, &v, err, sizeof(err)) == -1);
	CHECK(parse_u64(" 1", 100, &v, err, sizeof(err)) == -1);
	CHECK(parse_u64("1x", 100, &v, err, sizeof(err)) == -1);
	CHECK_STR(err, "'1x' is not a number");
	CHECK(parse_u64("0x", 100, &v, err, sizeof(err)) == -1);
	CHECK(parse_u64("", 100, &v, err, sizeof(err)) == -1);
	CHECK(parse_u64("18446744073709551616", UINT64_MAX, &v, err,
			sizeof(err)) == -1);
	CHECK(parse_u64("18446744073709551615", UINT64_MAX, &v, err,
			sizeof(err)) == 0 && v == UINT64_MAX);
}

static void test_secret_file(void)
{
	char path[] = "/tmp/mbms-secret-XXXXXX", err[128], arg[64];
	uint8_t b[4];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, " deadBEEF\n", 10) == 10);
	close(fd);
	snprintf(arg, sizeof(arg), "@%s", path);
	CHECK(read_secret_hex(arg, b, 4, err, sizeof(err)) == 0);
	CHECK_MEM(b, "\xde\xad\xbe\xef", 4);
	CHECK(read_secret_hex(arg, b, 5, err, sizeof(err)) == -1);
	unlink(path);
	CHECK(read_secret_hex(arg, b, 4, err, sizeof(err)) == -1);
	CHECK(strstr(err, "cannot open") != NULL);
	CHECK(read_secret_hex("01020304", b, 4, err, sizeof(err)) == 0);
}

static void test_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, false);
	json_obj_begin(&j);
	json_kv_str(&j, "a", "x\"y\\\n\x01");
	json_key(&j, "list");
	json_arr_begin(&j);
	json_u64(&j, 1);
	json_i64(&j, -2);
	json_bool(&j, true);
	json_null(&j);
	json_arr_end(&j);
	json_kv_hex(&j, "h", (const uint8_t *)"\x00\xff", 2);
	json_key(&j, "empty");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_finish(&j);
	fclose(f);
	CHECK_STR(buf, "{\"a\":\"x\\\"y\\\\\\n\\u0001\",\"list\":[1,-2,true,null],"
		  "\"h\":\"00ff\",\"empty\":{}}\n");
	free(buf);
}

/* The exposition format's escapes: a label value may hold anything. */
static void test_prom(void)
{
	struct prom_label l[2] = {
		{ "session", "1" }, { "reason", "a\"b\\c\nd" },
	};
	char *buf = NULL;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	prom_family(out, "x_total", "counter", "one\\two\nthree \"q\"");
	prom_u64(out, "x_total", l, 2, 18446744073709551615ULL);
	prom_u64(out, "x_total", NULL, 0, 0);
	prom_ms(out, "y_seconds", l, 1, 12345);
	prom_ms(out, "y_seconds", l, 1, 7);
	fclose(out);
	CHECK_STR(buf, "# HELP x_total one\\\\two\\nthree \"q\"\n"
		  "# TYPE x_total counter\n"
		  "x_total{session=\"1\",reason=\"a\\\"b\\\\c\\nd\"} 18446744073709551615\n"
		  "x_total 0\n"
		  "y_seconds{session=\"1\"} 12.345\n"
		  "y_seconds{session=\"1\"} 0.007\n");
	free(buf);
}

int main(void)
{
	test_hex();
	test_num();
	test_secret_file();
	test_json();
	test_prom();
	return test_summary("common_test");
}
