// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsctl without a kernel: every grammar line parsed into
 * the model, every error message and its exit status, number, address and
 * hex edge cases, secrets from files and stdin, and the text and JSON
 * printers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "test.h"

#define MAX_WORDS 40

/* Words of one command line; writable, as argv is (keys get wiped). */
struct line {
	int argc;
	char *argv[MAX_WORDS + 1];
};

static void split(struct line *l, const char *s)
{
	char *copy = strdup(s), *save = NULL, *w;

	l->argc = 0;
	l->argv[l->argc++] = strdup("mbmsctl");
	for (w = strtok_r(copy, " ", &save); w && l->argc < MAX_WORDS;
	     w = strtok_r(NULL, " ", &save))
		l->argv[l->argc++] = strdup(w);
	l->argv[l->argc] = NULL;
	free(copy);
}

static void line_free(struct line *l)
{
	int i;

	for (i = 0; i < l->argc; i++)
		free(l->argv[i]);
}

/* Parse @s; returns mbmsctl_parse()'s result, the model in @cmd. */
static int parse(struct mbmsctl_cmd *cmd, const char *s)
{
	struct line l;
	int ret;

	split(&l, s);
	ret = mbmsctl_parse(cmd, l.argc, l.argv);
	line_free(&l);
	return ret;
}

/* @s must fail to parse with exactly @msg. */
#define BAD(s, msg) do {						\
	struct mbmsctl_cmd _c;						\
	CHECK(parse(&_c, (s)) == -1);					\
	CHECK_STR(_c.err, (msg));					\
	mbmsctl_cmd_free(&_c);						\
} while (0)

static void test_global(void)
{
	struct mbmsctl_cmd c;

	CHECK(parse(&c, "--help") == 0 && c.help && !c.obj);
	CHECK(parse(&c, "-h") == 0 && c.help);
	CHECK(parse(&c, "help") == 0 && c.help && !c.obj);
	CHECK(parse(&c, "--version") == 0 && c.version);
	CHECK(parse(&c, "-V") == 0 && c.version);
	CHECK(parse(&c, "session help") == 0 && c.help &&
	      c.obj == &mbmsctl_session);
	CHECK(parse(&c, "monitor help") == 0 && c.help &&
	      c.obj == &mbmsctl_monitor);
	CHECK(parse(&c, "-j session show") == 0 && c.json);
	CHECK(parse(&c, "--json flow show") == 0 && c.json);
	CHECK(parse(&c, "session show") == 0 && !c.json);
	CHECK(parse(&c, "-o prometheus stats") == 0 && c.prometheus && !c.json);
	CHECK(parse(&c, "--output prometheus stats session 2") == 0 &&
	      c.prometheus && c.has_session_id && c.session_id == 2);
	CHECK(parse(&c, "-o json key show") == 0 && c.json && !c.prometheus);
	CHECK(parse(&c, "-j -o text stats") == 0 && !c.json && !c.prometheus);
	CHECK(parse(&c, "-o prometheus -j stats") == 0 && c.json &&
	      !c.prometheus);
	/* the output options also go right after the object (issue 13) */
	CHECK(parse(&c, "stats -o prometheus") == 0 && c.prometheus);
	CHECK(parse(&c, "stats --output prometheus session 2") == 0 &&
	      c.prometheus && c.has_session_id && c.session_id == 2);
	CHECK(parse(&c, "session -j show") == 0 && c.json);
	CHECK(parse(&c, "-o prometheus stats -o text") == 0 && !c.prometheus);
	BAD("session -o prometheus show",
	    "-o prometheus: only 'stats' has metrics, not 'session'");
	BAD("stats -o", "-o: missing format (text, json or prometheus)");
	BAD("stats -x", "unknown option '-x' (try 'mbmsctl help')");
	BAD("-o", "-o: missing format (text, json or prometheus)");
	BAD("--output yaml stats",
	    "--output: unknown format 'yaml' (text, json or prometheus)");
	BAD("-o prometheus session show",
	    "-o prometheus: only 'stats' has metrics, not 'session'");
	BAD("", "missing object (try 'mbmsctl help')");
	BAD("-j", "missing object (try 'mbmsctl help')");
	BAD("-x session show", "unknown option '-x' (try 'mbmsctl help')");
	BAD("sessions show", "unknown object 'sessions' (try 'mbmsctl help')");
	BAD("key help me", "key help: unexpected argument 'me'");
	BAD("session", "session: missing command (add, del, show or help)");
	BAD("session list",
	    "session: unknown command 'list' (add, del, show or help)");
	BAD("flow", "flow: missing command (add, del, show or help)");
	BAD("key delete", "key: unknown command 'delete' (add, del, show or help)");
}

static void test_session(void)
{
	struct mbmsctl_cmd c;

	CHECK(parse(&c, "session add 1") == 0);
	CHECK(c.obj == &mbmsctl_session && c.verb == VERB_ADD);
	CHECK(c.session.id == 1 && c.session.flags == 0);
	CHECK(parse(&c, "session add 0xffffffff suite aes-cm-128-hmac-sha1-32 mki-len 0 window 4096 max-keys 16 max-ssrcs 256 on-fail pass") == 0);
	CHECK(c.session.id == 0xffffffff);
	CHECK(c.session.suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	CHECK(c.session.mki_len == 0 && c.session.replay_window == 4096);
	CHECK(c.session.max_keys == 16 && c.session.max_ssrcs == 256);
	CHECK(c.session.on_fail == MBMS_SRTP_ON_FAIL_PASS);
	CHECK(c.session.flags == (MBMS_SESSION_HAS_SUITE |
				  MBMS_SESSION_HAS_MKI_LEN |
				  MBMS_SESSION_HAS_REPLAY_WINDOW |
				  MBMS_SESSION_HAS_MAX_KEYS |
				  MBMS_SESSION_HAS_MAX_SSRCS |
				  MBMS_SESSION_HAS_ON_FAIL));
	/* Options in any order; the lowest values of each range. */
	CHECK(parse(&c, "session add 2 on-fail drop window 64 max-ssrcs 1 max-keys 1 mki-len 6 suite aes-cm-128-hmac-sha1-80") == 0);
	CHECK(c.session.on_fail == MBMS_SRTP_ON_FAIL_DROP);
	CHECK(c.session.replay_window == 64 && c.session.max_keys == 1);
	CHECK(c.session.max_ssrcs == 1);
	CHECK(c.session.mki_len == 6 && c.session.suite == 1);
	/* RFC 4771 ROC carriage: mode and R together */
	CHECK(parse(&c, "session add 3 rcc-mode 1 rcc-rate 16") == 0);
	CHECK(c.session.rcc_mode == 1 && c.session.rcc_rate == 16);
	CHECK(c.session.flags == MBMS_SESSION_HAS_RCC);
	CHECK(parse(&c, "session add 3 rcc-rate 65535 rcc-mode 3") == 0);
	CHECK(c.session.rcc_mode == 3 && c.session.rcc_rate == 65535);
	CHECK(!cli_session_add_warning(&c.session));
	/* mode 1 with the 32-bit tag is accepted, with a warning */
	CHECK(parse(&c, "session add 3 suite aes-cm-128-hmac-sha1-32 rcc-mode 1 rcc-rate 16") == 0);
	CHECK(cli_session_add_warning(&c.session) &&
	      strstr(cli_session_add_warning(&c.session), "no integrity"));
	CHECK(parse(&c, "session add 3 suite aes-cm-128-hmac-sha1-32 rcc-mode 2 rcc-rate 16") == 0);
	CHECK(!cli_session_add_warning(&c.session));
	CHECK(parse(&c, "session add 3 rcc-mode 1 rcc-rate 16") == 0);
	CHECK(!cli_session_add_warning(&c.session));
	/* TS 33.246 §6.6.2.1 NOTE 3: RCCm1/2 with a 14-byte tag */
	CHECK(parse(&c, "session add 3 rcc-mode 1 rcc-rate 1 tag-len 14") == 0);
	CHECK(c.session.tag_len == 14 &&
	      (c.session.flags & MBMS_SESSION_HAS_TAG_LEN));
	CHECK(parse(&c, "session add 0x10 window 0x80") == 0);
	CHECK(c.session.id == 16 && c.session.replay_window == 128);
	/* A leading zero is still decimal (not octal); 0X is hex too. */
	CHECK(parse(&c, "session add 010 window 0X1FF") == 0);
	CHECK(c.session.id == 10 && c.session.replay_window == 511);
	BAD("session add 1 window 0x", "window: '0x' is not a number");
	BAD("session add 1 window 1e3", "window: '1e3' is not a number");
	BAD("session add 1 window +64", "window: '+64' is not a number");
	BAD("session add 1 window ''", "window: '''' is not a number");

	CHECK(parse(&c, "session del 3") == 0);
	CHECK(c.verb == VERB_DEL && c.session_id == 3 && c.has_session_id);
	CHECK(parse(&c, "session show") == 0);
	CHECK(c.verb == VERB_SHOW && !c.has_session_id);
	CHECK(parse(&c, "session show 4") == 0);
	CHECK(c.has_session_id && c.session_id == 4);

	BAD("session add", "session add: missing session ID");
	BAD("session del", "session del: missing session ID");
	BAD("session add x", "session id: 'x' is not a number");
	BAD("session add 0", "session id: 0 is out of range (1..4294967295)");
	BAD("session add 4294967296",
	    "session id: 4294967296 is out of range (1..4294967295)");
	BAD("session add 99999999999999999999999",
	    "session id: 99999999999999999999999 is out of range (1..4294967295)");
	BAD("session add -1", "session id: '-1' is not a number");
	BAD("session add 0x", "session id: '0x' is not a number");
	BAD("session add 1 foo", "session add: unknown option 'foo'");
	BAD("session add 1 window", "session add: missing value for 'window'");
	BAD("session add 1 suite", "session add: missing value for 'suite'");
	BAD("session add 1 window 63", "window: 63 is out of range (64..4096)");
	BAD("session add 1 window 4097", "window: 4097 is out of range (64..4096)");
	BAD("session add 1 mki-len 7", "mki-len: 7 is out of range (0..6)");
	BAD("session add 1 max-keys 0", "max-keys: 0 is out of range (1..16)");
	BAD("session add 1 max-keys 17", "max-keys: 17 is out of range (1..16)");
	BAD("session add 1 max-ssrcs 0", "max-ssrcs: 0 is out of range (1..256)");
	BAD("session add 1 max-ssrcs 257", "max-ssrcs: 257 is out of range (1..256)");
	BAD("session add 1 max-ssrcs", "session add: missing value for 'max-ssrcs'");
	BAD("session add 1 max-ssrcs 2 max-ssrcs 3", "session add: 'max-ssrcs' given twice");
	BAD("session add 1 rcc-mode 0 rcc-rate 1", "rcc-mode: 0 is out of range (1..3)");
	BAD("session add 1 rcc-mode 4 rcc-rate 1", "rcc-mode: 4 is out of range (1..3)");
	BAD("session add 1 rcc-mode 1 rcc-rate 0", "rcc-rate: 0 is out of range (1..65535)");
	BAD("session add 1 rcc-mode 1 rcc-rate 65536", "rcc-rate: 65536 is out of range (1..65535)");
	BAD("session add 1 rcc-mode 1 rcc-mode 2 rcc-rate 1", "session add: 'rcc-mode' given twice");
	BAD("session add 1 rcc-mode 2", "session add: rcc-mode and rcc-rate go together (got only rcc-mode)");
	BAD("session add 1 rcc-rate 2", "session add: rcc-mode and rcc-rate go together (got only rcc-rate)");
	BAD("session add 1 tag-len 3", "tag-len: 3 is out of range (4..20)");
	BAD("session add 1 tag-len 21", "tag-len: 21 is out of range (4..20)");
	BAD("session add 1 tag-len 14 tag-len 14", "session add: 'tag-len' given twice");
	BAD("session add 1 suite aes",
	    "suite: unknown suite 'aes' (aes-cm-128-hmac-sha1-80 or aes-cm-128-hmac-sha1-32)");
	BAD("session add 1 on-fail accept",
	    "on-fail: expected 'drop' or 'pass', got 'accept'");
	BAD("session add 1 window 64 window 128", "session add: 'window' given twice");
	BAD("session del 1 2", "session del: unexpected argument '2'");
	BAD("session show 1 x", "session show: unexpected argument 'x'");
	BAD("session del 1 window 64", "session del: unexpected argument 'window'");
}

static void test_flow(void)
{
	struct mbmsctl_cmd c;
	char buf[INET6_ADDRSTRLEN];

	CHECK(parse(&c, "flow add session 1 dst 232.0.0.1 dport 5004") == 0);
	CHECK(c.verb == VERB_ADD && c.flow.session_id == 1);
	CHECK(c.flow.dst.family == AF_INET && c.flow.dport == 5004);
	CHECK_STR(mbms_addr_str(&c.flow.dst, buf, sizeof(buf)), "232.0.0.1");
	CHECK(c.flow.flags == 0);
	CHECK(parse(&c, "flow add session 2 dst ff15::1 dport 65535 src 2001:db8::1 rtcp") == 0);
	CHECK(c.flow.dst.family == AF_INET6 && c.flow.src.family == AF_INET6);
	CHECK(c.flow.dport == 65535);
	CHECK(c.flow.flags == (MBMS_FLOW_HAS_SRC | MBMS_FLOW_RTCP));
	CHECK_STR(mbms_addr_str(&c.flow.src, buf, sizeof(buf)), "2001:db8::1");
	CHECK(parse(&c, "flow add rtcp dport 1 dst 10.0.0.1 session 3") == 0);
	CHECK(c.flow.dport == 1 && (c.flow.flags & MBMS_FLOW_RTCP));

	CHECK(parse(&c, "flow del dst 232.0.0.1 dport 5004") == 0);
	CHECK(c.verb == VERB_DEL && !(c.flow.flags & MBMS_FLOW_HAS_SRC));
	CHECK(parse(&c, "flow del dst 232.0.0.1 dport 5004 src 10.1.1.1") == 0);
	CHECK(c.flow.flags == MBMS_FLOW_HAS_SRC);
	CHECK(parse(&c, "flow show") == 0 && c.verb == VERB_SHOW);

	BAD("flow add dst 1.2.3.4 dport 5", "flow add: missing 'session ID'");
	BAD("flow add session 1 dport 5", "flow add: missing 'dst ADDR'");
	BAD("flow add session 1 dst 1.2.3.4", "flow add: missing 'dport PORT'");
	BAD("flow del dport 5", "flow del: missing 'dst ADDR'");
	BAD("flow del dst 1.2.3.4", "flow del: missing 'dport PORT'");
	BAD("flow add session 1 dst 1.2.3 dport 5",
	    "dst: '1.2.3' is not an IPv4 or IPv6 address");
	BAD("flow add session 1 dst 1.2.3.4 dport 5 src host",
	    "src: 'host' is not an IPv4 or IPv6 address");
	BAD("flow add session 1 dst 1.2.3.4 dport 5 src 0.0.0.0",
	    "src: '0.0.0.0' is the unspecified address; omit src for any source");
	BAD("flow del dst ff15::1 dport 5 src ::",
	    "src: '::' is the unspecified address; omit src for any source");
	BAD("flow add session 1 dst 1.2.3.4 dport 5 src ::1",
	    "src and dst must be the same address family");
	BAD("flow del dst ::1 dport 5 src 1.2.3.4",
	    "src and dst must be the same address family");
	BAD("flow add session 1 dst 1.2.3.4 dport 0",
	    "dport: 0 is out of range (1..65535)");
	BAD("flow add session 1 dst 1.2.3.4 dport 65536",
	    "dport: 65536 is out of range (1..65535)");
	BAD("flow add session 1 dst 1.2.3.4 dport http",
	    "dport: 'http' is not a number");
	BAD("flow add session 0 dst 1.2.3.4 dport 1",
	    "session id: 0 is out of range (1..4294967295)");
	BAD("flow add session 1 dst 1.2.3.4 dport 1 dst 1.2.3.5",
	    "flow add: 'dst' given twice");
	BAD("flow add session 1 dst 1.2.3.4 dport 1 rtcp rtcp",
	    "flow add: 'rtcp' given twice");
	BAD("flow add session 1 dst", "flow add: missing value for 'dst'");
	BAD("flow add session 1 dst 1.2.3.4 dport 1 proto udp",
	    "flow add: unknown option 'proto'");
	BAD("flow del session 1 dst 1.2.3.4 dport 1",
	    "flow del: unknown option 'session'");
	BAD("flow del dst 1.2.3.4 dport 1 rtcp", "flow del: unknown option 'rtcp'");
	BAD("flow show all", "flow show: unexpected argument 'all'");
}

static const char key_hex[] = "000102030405060708090a0b0c0d0e0f";
static const char salt_hex[] = "a0a1a2a3a4a5a6a7a8a9aaabacad";

static void check_key_material(const struct mbms_key *k)
{
	size_t i;
	bool ok = true;

	for (i = 0; i < sizeof(k->master); i++)
		ok &= k->master[i] == i;
	for (i = 0; i < sizeof(k->salt); i++)
		ok &= k->salt[i] == 0xa0 + i;
	CHECK(ok);
}

static void test_key(void)
{
	struct mbmsctl_cmd c;
	char s[512];

	snprintf(s, sizeof(s), "key add session 1 msk-id 0x00010002 mtk-id 7 key %s salt %s",
		 key_hex, salt_hex);
	CHECK(parse(&c, s) == 0);
	CHECK(c.verb == VERB_ADD && c.key.session_id == 1);
	CHECK(c.key.msk_id == 0x00010002 && c.key.mtk_id == 7);
	CHECK(c.key.flags == 0);
	check_key_material(&c.key);
	mbmsctl_cmd_free(&c);
	CHECK(c.key.master[1] == 0 && c.key.salt[0] == 0);

	snprintf(s, sizeof(s), "key add salt %s key %s mtk-id 65535 msk-id 4294967295 session 9 roc 4294967295 max-packets 18446744073709551615 lifetime 0",
		 salt_hex, "000102030405060708090A0B0C0D0E0F");
	CHECK(parse(&c, s) == 0);
	check_key_material(&c.key);
	CHECK(c.key.mtk_id == 65535 && c.key.msk_id == 0xffffffff);
	CHECK(c.key.roc == 0xffffffff && c.key.max_packets == UINT64_MAX);
	CHECK(c.key.lifetime == 0);
	CHECK(c.key.flags == (MBMS_KEY_HAS_ROC | MBMS_KEY_HAS_MAX_PACKETS |
			      MBMS_KEY_HAS_LIFETIME));

	CHECK(parse(&c, "key del session 1 msk-id 2 mtk-id 0") == 0);
	CHECK(c.verb == VERB_DEL && c.key.session_id == 1 &&
	      c.key.msk_id == 2 && c.key.mtk_id == 0);
	CHECK(parse(&c, "key show") == 0 && !c.has_session_id);
	CHECK(parse(&c, "key show session 5") == 0 && c.has_session_id &&
	      c.session_id == 5);

	BAD("key add session 1 msk-id 1 mtk-id 1 key 0011 salt 00",
	    "key: expected 32 hex digits, got 4");
	BAD("key add session 1 msk-id 1 mtk-id 1 key 00112233445566778899aabbccddee salt 00",
	    "key: expected 32 hex digits, got 30");
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key %s salt %s00",
		 key_hex, salt_hex);
	BAD(s, "salt: expected 28 hex digits, got 30");
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key 0g0102030405060708090a0b0c0d0e0f salt %s",
		 salt_hex);
	BAD(s, "key: bad hex digit 'g' at position 2");
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key 0x0102030405060708090a0b0c0d0e0f salt %s",
		 salt_hex);
	BAD(s, "key: bad hex digit 'x' at position 2");
	BAD("key add session 1 msk-id 1 mtk-id 1 salt 00",
	    "key add: missing 'key HEX|@FILE'");
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key %s", key_hex);
	BAD(s, "key add: missing 'salt HEX|@FILE'");
	BAD("key add msk-id 1 mtk-id 1", "key add: missing 'session ID'");
	BAD("key add session 1 mtk-id 1", "key add: missing 'msk-id N'");
	BAD("key add session 1 msk-id 1", "key add: missing 'mtk-id N'");
	BAD("key del session 1 msk-id 1", "key del: missing 'mtk-id N'");
	BAD("key add session 1 msk-id 4294967296",
	    "msk-id: 4294967296 is out of range (0..4294967295)");
	BAD("key add session 1 mtk-id 65536",
	    "mtk-id: 65536 is out of range (0..65535)");
	BAD("key add session 1 roc 4294967296",
	    "roc: 4294967296 is out of range (0..4294967295)");
	BAD("key add session 1 max-packets 18446744073709551616",
	    "max-packets: 18446744073709551616 is out of range (0..18446744073709551615)");
	BAD("key add session 1 lifetime 1h", "lifetime: '1h' is not a number");
	BAD("key add session 1 session 2", "key add: 'session' given twice");
	BAD("key add session", "key add: missing value for 'session'");
	BAD("key del session 1 msk-id 1 mtk-id 1 key 00",
	    "key del: unknown option 'key'");
	BAD("key del session 1 msk-id 1 mtk-id 1 roc 1",
	    "key del: unknown option 'roc'");
	BAD("key show msk-id 1", "key show: unknown option 'msk-id'");
	BAD("key add session 1 msk-id 1 mtk-id 1 key @- salt @-",
	    "key and salt cannot both be read from stdin ('@-')");
	BAD("key add session 1 msk-id 1 mtk-id 1 key @/nonexistent/k salt 00",
	    "key: cannot open '/nonexistent/k': No such file or directory");
}

/* The hex words of a key on the command line are wiped after parsing. */
static void test_key_argv_wiped(void)
{
	struct mbmsctl_cmd c;
	struct line l;
	char s[512];
	int i;
	bool wiped = true;

	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key %s salt %s",
		 key_hex, salt_hex);
	split(&l, s);
	CHECK(mbmsctl_parse(&c, l.argc, l.argv) == 0);
	for (i = 0; i < l.argc; i++)
		if (strstr(l.argv[i], "0001020304") || strstr(l.argv[i], "a0a1a2"))
			wiped = false;
	CHECK(wiped);
	CHECK(l.argv[10][0] == '\0' && l.argv[12][0] == '\0');
	line_free(&l);
	mbmsctl_cmd_free(&c);
}

static void test_key_files(void)
{
	char kpath[] = "/tmp/mbmsctl-key-XXXXXX", spath[] = "/tmp/mbmsctl-salt-XXXXXX";
	char s[512];
	struct mbmsctl_cmd c;
	int kfd = mkstemp(kpath), sfd = mkstemp(spath), saved;
	FILE *in;

	CHECK(kfd >= 0 && sfd >= 0);
	CHECK(write(kfd, key_hex, strlen(key_hex)) == (ssize_t)strlen(key_hex));
	CHECK(write(kfd, "\n", 1) == 1);
	CHECK(write(sfd, salt_hex, strlen(salt_hex)) == (ssize_t)strlen(salt_hex));
	close(kfd);
	close(sfd);

	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key @%s salt @%s",
		 kpath, spath);
	CHECK(parse(&c, s) == 0);
	check_key_material(&c.key);
	mbmsctl_cmd_free(&c);

	/* @- reads stdin. */
	saved = dup(STDIN_FILENO);
	in = freopen(spath, "r", stdin);
	CHECK(in != NULL);
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key @%s salt @-",
		 kpath);
	CHECK(parse(&c, s) == 0);
	check_key_material(&c.key);
	mbmsctl_cmd_free(&c);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);

	/* A salt file holding a key: the length is named. */
	snprintf(s, sizeof(s), "key add session 1 msk-id 1 mtk-id 1 key @%s salt @%s",
		 kpath, kpath);
	BAD(s, "salt: expected 28 hex digits, got 32");
	unlink(kpath);
	unlink(spath);
}

static void test_stats_monitor(void)
{
	struct mbmsctl_cmd c;

	CHECK(parse(&c, "stats") == 0 && c.obj == &mbmsctl_stats &&
	      !c.has_session_id);
	CHECK(parse(&c, "-j stats session 0x2") == 0 && c.json &&
	      c.has_session_id && c.session_id == 2);
	CHECK(parse(&c, "monitor") == 0 && c.obj == &mbmsctl_monitor);
	CHECK(parse(&c, "-j monitor") == 0 && c.json);
	BAD("stats 1", "stats: unknown option '1'");
	BAD("stats session", "stats: missing value for 'session'");
	BAD("stats session 1 session 2", "stats: 'session' given twice");
	BAD("stats session abc", "session id: 'abc' is not a number");
	BAD("monitor all", "monitor: unexpected argument 'all'");
}

/* Run mbmsctl_main() with stdout and stderr sent to /dev/null. */
static int run_main(const char *s)
{
	int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	struct line l;
	int ret;

	fflush(stdout);
	fflush(stderr);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	split(&l, s);
	ret = mbmsctl_main(l.argc, l.argv);
	line_free(&l);
	fflush(stdout);
	fflush(stderr);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close(out);
	close(err);
	close(null);
	return ret;
}

static void test_exit_status(void)
{
	CHECK(run_main("--help") == MBMSCTL_EXIT_OK);
	CHECK(run_main("help") == MBMSCTL_EXIT_OK);
	CHECK(run_main("key help") == MBMSCTL_EXIT_OK);
	CHECK(run_main("--version") == MBMSCTL_EXIT_OK);
	CHECK(run_main("") == MBMSCTL_EXIT_USAGE);
	CHECK(run_main("session add 0") == MBMSCTL_EXIT_USAGE);
	CHECK(run_main("flow add session 1 dst x dport 1") == MBMSCTL_EXIT_USAGE);
	CHECK(run_main("key add session 1 msk-id 1 mtk-id 1 key 00 salt 00") ==
	      MBMSCTL_EXIT_USAGE);
	/*
	 * Valid input reaches the kernel: without the module the family is
	 * missing, with it session 4294967295 does not exist; both are 2.
	 */
	CHECK(run_main("session del 4294967295") == MBMSCTL_EXIT_KERNEL);
}

/* Capture what a printer writes. */
#define CAPTURE(buf, call) do {						\
	size_t _len;							\
	FILE *out = open_memstream(&(buf), &_len);			\
	call;								\
	fclose(out);							\
} while (0)

static void test_printers(void)
{
	struct mbms_session s = {
		.id = 1, .suite = 1, .mki_len = 6, .replay_window = 128,
		.max_keys = 2, .on_fail = 0, .nkeys = 1, .nflows = 2,
		.nssrcs = 3, .max_ssrcs = 16, .ssrcs_hwm = 5,
		.flags = MBMS_SESSION_HAS_SUITE | MBMS_SESSION_HAS_MKI_LEN |
			 MBMS_SESSION_HAS_REPLAY_WINDOW |
			 MBMS_SESSION_HAS_MAX_KEYS | MBMS_SESSION_HAS_ON_FAIL |
			 MBMS_SESSION_HAS_NKEYS | MBMS_SESSION_HAS_NFLOWS |
			 MBMS_SESSION_HAS_NSSRCS | MBMS_SESSION_HAS_STATS |
			 MBMS_SESSION_HAS_MAX_SSRCS |
			 MBMS_SESSION_HAS_SSRCS_HWM,
		.stats = {
			.flags = MBMS_STATS_HAS_PACKETS | MBMS_STATS_HAS_AUTH |
				 MBMS_STATS_HAS_SSRC_FULL,
			.packets = 10, .auth = 2, .ssrc_full = 4,
		},
	};
	struct mbms_flow f[2] = {
		{ .session_id = 1, .dport = 5004 },
		{ .session_id = 1, .dport = 5005,
		  .flags = MBMS_FLOW_HAS_SRC | MBMS_FLOW_RTCP },
	};
	struct mbms_key k = {
		.session_id = 1, .msk_id = 0x00010002, .mtk_id = 7,
		.roc = 0, .packets = 5, .age_ms = 12345,
		.flags = MBMS_KEY_HAS_ROC | MBMS_KEY_HAS_PACKETS |
			 MBMS_KEY_HAS_AGE_MS | MBMS_KEY_EXPIRED,
	};
	struct mbms_event ev = {
		.cmd = MBMS_SRTP_CMD_KEY_NEEDED_NTF, .session_id = 1,
		.msk_id = 0x00010002, .mtk_id = 8,
		.reason = MBMS_SRTP_EVENT_UNKNOWN_MKI,
		.flags = MBMS_EVENT_HAS_SESSION_ID | MBMS_EVENT_HAS_MSK_ID |
			 MBMS_EVENT_HAS_MTK_ID | MBMS_EVENT_HAS_REASON,
	};
	char *buf = NULL;
	uint32_t flags;

	/* Key material must never show: fill it and look for it below. */
	memset(k.master, 0xab, sizeof(k.master));
	memset(k.salt, 0xcd, sizeof(k.salt));
	mbms_addr_parse("232.0.0.1", &f[0].dst);
	mbms_addr_parse("ff15::1", &f[1].dst);
	mbms_addr_parse("2001:db8::1", &f[1].src);

	CAPTURE(buf, cli_print_sessions(out, false, &s, 1));
	CHECK_STR(buf, "session 1 suite aes-cm-128-hmac-sha1-80 mki-len 6 window 128 max-keys 2 on-fail drop max-ssrcs 16\n"
		  "\tkeys 1 flows 2 ssrcs 3 ssrcs-max-seen 5\n"
		  "\tpackets 10\n"
		  "\tauth 2\n"
		  "\tssrc-full 4\n");
	free(buf);
	CAPTURE(buf, cli_print_sessions(out, true, &s, 1));
	CHECK_STR(buf, "[{\"session_id\":1,\"suite\":\"aes-cm-128-hmac-sha1-80\",\"mki_len\":6,"
		  "\"replay_window\":128,\"max_keys\":2,\"on_fail\":\"drop\",\"max_ssrcs\":16,"
		  "\"key_count\":1,\"flow_count\":2,\"ssrc_count\":3,\"ssrc_high_water\":5,"
		  "\"stats\":{\"packets\":10,\"auth_failed\":2,\"ssrc_full\":4}}]\n");
	free(buf);
	CAPTURE(buf, cli_print_sessions(out, true, NULL, 0));
	CHECK_STR(buf, "[]\n");
	free(buf);
	/* RFC 4771: text and JSON show the mode and R */
	flags = s.flags;
	s.flags = MBMS_SESSION_HAS_RCC;
	s.rcc_mode = 2;
	s.rcc_rate = 16;
	CAPTURE(buf, cli_print_sessions(out, false, &s, 1));
	CHECK_STR(buf, "session 1 rcc-mode 2 rcc-rate 16\n");
	free(buf);
	CAPTURE(buf, cli_print_sessions(out, true, &s, 1));
	CHECK_STR(buf, "[{\"session_id\":1,\"rcc_mode\":2,\"rcc_rate\":16}]\n");
	free(buf);
	/* the tag length: JSON always, text when neither suite's */
	s.flags |= MBMS_SESSION_HAS_TAG_LEN;
	s.tag_len = 14;
	CAPTURE(buf, cli_print_sessions(out, false, &s, 1));
	CHECK_STR(buf, "session 1 rcc-mode 2 rcc-rate 16 tag-len 14\n");
	free(buf);
	CAPTURE(buf, cli_print_sessions(out, true, &s, 1));
	CHECK_STR(buf, "[{\"session_id\":1,\"rcc_mode\":2,\"rcc_rate\":16,\"tag_len\":14}]\n");
	free(buf);
	s.tag_len = 10;
	CAPTURE(buf, cli_print_sessions(out, false, &s, 1));
	CHECK_STR(buf, "session 1 rcc-mode 2 rcc-rate 16\n");
	free(buf);
	s.tag_len = 0;
	s.flags = flags;
	s.rcc_mode = 0;
	s.rcc_rate = 0;
	CAPTURE(buf, cli_print_stats(out, true, &s, 1));
	CHECK_STR(buf, "[{\"session_id\":1,\"packets\":10,\"auth_failed\":2,\"ssrc_full\":4}]\n");
	free(buf);
	CAPTURE(buf, cli_print_stats(out, false, &s, 1));
	CHECK_STR(buf, "session 1\n\tpackets 10\n\tauth 2\n\tssrc-full 4\n");
	free(buf);

	/* Only the counters the kernel reported; every family once. */
	CAPTURE(buf, cli_print_prometheus(out, &s, 1, &k, 1));
	CHECK_STR(buf,
		  "# HELP mbms_srtp_packets_total SRTP and SRTCP packets authenticated and decrypted.\n"
		  "# TYPE mbms_srtp_packets_total counter\n"
		  "mbms_srtp_packets_total{session=\"1\"} 10\n"
		  "# HELP mbms_srtp_bytes_total Plaintext UDP payload bytes of the decrypted packets.\n"
		  "# TYPE mbms_srtp_bytes_total counter\n"
		  "# HELP mbms_srtp_rtcp_packets_total Of the decrypted packets, the SRTCP ones.\n"
		  "# TYPE mbms_srtp_rtcp_packets_total counter\n"
		  "# HELP mbms_srtp_failed_packets_total Packets that failed, by reason (see mbmsctl(8) stats).\n"
		  "# TYPE mbms_srtp_failed_packets_total counter\n"
		  "mbms_srtp_failed_packets_total{session=\"1\",reason=\"auth\"} 2\n"
		  "mbms_srtp_failed_packets_total{session=\"1\",reason=\"ssrc_full\"} 4\n"
		  "# HELP mbms_srtp_passed_packets_total Failed packets passed on unchanged (on-fail pass).\n"
		  "# TYPE mbms_srtp_passed_packets_total counter\n"
		  "# HELP mbms_srtp_gso_segmented_total GSO/GRO packets of a flow split into their segments.\n"
		  "# TYPE mbms_srtp_gso_segmented_total counter\n"
		  "# HELP mbms_srtp_frag_reassembled_total Datagrams reassembled from IP fragments before decryption.\n"
		  "# TYPE mbms_srtp_frag_reassembled_total counter\n"
		  "# HELP mbms_srtp_keys Keys (MTKs) installed in the session.\n"
		  "# TYPE mbms_srtp_keys gauge\n"
		  "mbms_srtp_keys{session=\"1\"} 1\n"
		  "# HELP mbms_srtp_flows Flows steered to the session.\n"
		  "# TYPE mbms_srtp_flows gauge\n"
		  "mbms_srtp_flows{session=\"1\"} 2\n"
		  "# HELP mbms_srtp_ssrcs SSRCs being tracked.\n"
		  "# TYPE mbms_srtp_ssrcs gauge\n"
		  "mbms_srtp_ssrcs{session=\"1\"} 3\n"
		  "# HELP mbms_srtp_ssrcs_high_water Most SSRCs tracked at once.\n"
		  "# TYPE mbms_srtp_ssrcs_high_water gauge\n"
		  "mbms_srtp_ssrcs_high_water{session=\"1\"} 5\n"
		  "# HELP mbms_srtp_key_packets_total Packets authenticated with the key.\n"
		  "# TYPE mbms_srtp_key_packets_total counter\n"
		  "mbms_srtp_key_packets_total{session=\"1\",msk_id=\"0x00010002\",mtk_id=\"7\"} 5\n"
		  "# HELP mbms_srtp_key_age_seconds Time since the key was installed.\n"
		  "# TYPE mbms_srtp_key_age_seconds gauge\n"
		  "mbms_srtp_key_age_seconds{session=\"1\",msk_id=\"0x00010002\",mtk_id=\"7\"} 12.345\n"
		  "# HELP mbms_srtp_key_idle_seconds Time since the key last authenticated a packet (absent: never).\n"
		  "# TYPE mbms_srtp_key_idle_seconds gauge\n"
		  "# HELP mbms_srtp_key_expired 1 if the key is past its packet or time limit.\n"
		  "# TYPE mbms_srtp_key_expired gauge\n"
		  "mbms_srtp_key_expired{session=\"1\",msk_id=\"0x00010002\",mtk_id=\"7\"} 1\n");
	CHECK(!strstr(buf, "abab") && !strstr(buf, "cdcd"));
	free(buf);

	CAPTURE(buf, cli_print_flows(out, false, f, 2));
	CHECK_STR(buf, "flow session 1 dst 232.0.0.1 dport 5004\n"
		  "flow session 1 dst ff15::1 dport 5005 src 2001:db8::1 rtcp\n");
	free(buf);
	CAPTURE(buf, cli_print_flows(out, true, f, 2));
	CHECK_STR(buf, "[{\"session_id\":1,\"family\":\"inet\",\"dst\":\"232.0.0.1\",\"dport\":5004,"
		  "\"src\":null,\"rtcp\":false},{\"session_id\":1,\"family\":\"inet6\","
		  "\"dst\":\"ff15::1\",\"dport\":5005,\"src\":\"2001:db8::1\",\"rtcp\":true}]\n");
	free(buf);

	CAPTURE(buf, cli_print_keys(out, false, &k, 1));
	CHECK_STR(buf, "key session 1 msk-id 0x00010002 mtk-id 7 roc 0\n"
		  "\tpackets 5 age 12.345s idle never-used expired\n");
	CHECK(!strstr(buf, "abab") && !strstr(buf, "cdcd"));
	free(buf);
	CAPTURE(buf, cli_print_keys(out, true, &k, 1));
	CHECK_STR(buf, "[{\"session_id\":1,\"msk_id\":65538,\"mtk_id\":7,\"roc\":0,"
		  "\"packets\":5,\"age_ms\":12345,\"idle_ms\":null,\"expired\":true}]\n");
	CHECK(!strstr(buf, "abab") && !strstr(buf, "cdcd"));
	free(buf);

	CAPTURE(buf, cli_print_event(out, false, &ev));
	CHECK_STR(buf, "key-needed session 1 msk-id 0x00010002 mtk-id 8 reason unknown-mki\n");
	free(buf);
	CAPTURE(buf, cli_print_event(out, true, &ev));
	CHECK_STR(buf, "{\"event\":\"key-needed\",\"session_id\":1,\"msk_id\":65538,"
		  "\"mtk_id\":8,\"reason\":\"unknown-mki\"}\n");
	free(buf);
}

static void test_report(void)
{
	struct mbms_nl_err e = {
		.code = -EINVAL, .from_kernel = true, .has_extack = true,
		.bad_attr = MBMS_SRTP_A_REPLAY_WINDOW,
	};
	char *buf = NULL;

	strcpy(e.msg, "integer out of range");
	CAPTURE(buf, CHECK(cli_report_err(out, &e, -1) == MBMSCTL_EXIT_KERNEL));
	CHECK_STR(buf, "mbmsctl: kernel refused: integer out of range: MBMS_SRTP_A_REPLAY_WINDOW (Invalid argument)\n");
	free(buf);
	/* The text already names the attribute: not repeated. */
	strcpy(e.msg, "no session with this SESSION_ID");
	e.code = -ENOENT;
	e.bad_attr = MBMS_SRTP_A_SESSION_ID;
	CAPTURE(buf, cli_report_err(out, &e, -1));
	CHECK_STR(buf, "mbmsctl: kernel refused: no session with this SESSION_ID (No such file or directory)\n");
	free(buf);
	e = (struct mbms_nl_err){ .code = -EINVAL, .from_kernel = true,
				  .missing_attr = MBMS_SRTP_A_MSK_ID };
	CAPTURE(buf, cli_report_err(out, &e, -1));
	CHECK_STR(buf, "mbmsctl: kernel refused: missing required attribute: MBMS_SRTP_A_MSK_ID (Invalid argument)\n");
	free(buf);
	e = (struct mbms_nl_err){ .code = -EEXIST, .from_kernel = true };
	CAPTURE(buf, cli_report_err(out, &e, -1));
	CHECK_STR(buf, "mbmsctl: kernel refused: File exists\n");
	free(buf);
	e = (struct mbms_nl_err){ .code = -EPERM, .from_kernel = true };
	CAPTURE(buf, cli_report_err(out, &e, -1));
	CHECK_STR(buf, "mbmsctl: kernel refused: Operation not permitted [CAP_NET_ADMIN in the initial user namespace is required]\n");
	free(buf);
	e = (struct mbms_nl_err){ .code = -ENOENT };
	strcpy(e.msg, "generic netlink family 'mbms_srtp' not found");
	CAPTURE(buf, CHECK(cli_report_err(out, &e, -1) == MBMSCTL_EXIT_KERNEL));
	CHECK_STR(buf, "mbmsctl: generic netlink family 'mbms_srtp' not found\n");
	free(buf);
}

/*
 * The grammar is an interface: every line of it must appear in the help
 * text exactly (help may wrap a line; white space is compared collapsed).
 */
static void test_usage_grammar(void)
{
	static const char *const grammar[] = {
		"mbmsctl [-j] session add ID [suite aes-cm-128-hmac-sha1-80|aes-cm-128-hmac-sha1-32] [mki-len N] [window N] [max-keys N] [max-ssrcs N] [on-fail drop|pass]",
		"mbmsctl [-j] session del ID",
		"mbmsctl [-j] session show [ID]",
		"mbmsctl [-j] flow add session ID dst ADDR dport PORT [src ADDR] [rtcp]",
		"mbmsctl [-j] flow del dst ADDR dport PORT [src ADDR]",
		"mbmsctl [-j] flow show",
		"mbmsctl [-j] key add session ID msk-id N mtk-id N key HEX|@FILE salt HEX|@FILE [roc N] [max-packets N] [lifetime SECONDS]",
		"mbmsctl [-j] key del session ID msk-id N mtk-id N",
		"mbmsctl [-j] key show [session ID]",
		"mbmsctl [-j | -o prometheus] stats [session ID]",
		"mbmsctl [-j] monitor",
	};
	const struct mbmsctl_object *objs[] = {
		&mbmsctl_session, &mbmsctl_flow, &mbmsctl_key, &mbmsctl_stats,
		&mbmsctl_monitor,
	};
	char all[4096] = "", *w;
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		for (w = (char *)objs[i]->usage; *w; w++)
			if (!(*w == ' ' || *w == '\n') ||
			    (n && all[n - 1] != ' ' && n < sizeof(all) - 1))
				if (n < sizeof(all) - 1)
					all[n++] = (*w == '\n') ? ' ' : *w;
	all[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(grammar); i++) {
		bool found = strstr(all, grammar[i]) != NULL;

		if (!found)
			fprintf(stderr, "not in usage: %s\n", grammar[i]);
		CHECK(found);
	}
}

int main(void)
{
	test_usage_grammar();
	test_report();
	test_global();
	test_session();
	test_flow();
	test_key();
	test_key_argv_wiped();
	test_key_files();
	test_stats_monitor();
	test_exit_status();
	test_printers();
	return test_summary("mbmsctl_parse_test");
}
