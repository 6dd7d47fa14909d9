// SPDX-License-Identifier: GPL-2.0
/* Unit tests for mbmsd's configuration parser (config.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include "linux/mbms_srtp.h"
#include "mbms/common.h"
#include "../../userspace/mbmsd/config.h"
#include "test.h"

static const char GOOD[] =
	"# comment\n"
	"[global]\n"
	"bmsc_uri = http://bmsc.test:8080/\n"
	"bmsc_fqdn = bmsc.test\n"
	"gba_bootstrap_command = /bin/fake-bsf --x 1\n"
	"muk_policy = strict\n"
	"request_jitter = 30\n"
	"startup_grace = 0\n"
	"state_dir = /tmp/mbmsd\n"
	"log_level = debug\n"
	"\n"
	"[session a]\n"
	"id = 7\n"
	"key_domain = 262F01\n"
	"key_group = 0x0102\n"
	"flows = 232.1.1.1:5004 232.1.1.1:5005,rtcp 232.1.1.2:6000,10.0.0.1,rtcp\n"
	"mtk_group = 232.1.1.1\n"
	"on_fail = pass\n"
	"[session b]\n"
	"id = 8\n"
	"key_domain = 262f01\n"
	"key_group = 3\n"
	"flows = [ff3e::1]:5004\n"
	"mtk_group = ff3e::1\n"
	"mtk_port = 3000\n"
	"suite = aes128-sha1-32\n";

/* Parse @text; return the error text (caller frees) and the result. */
static char *load(const char *text, struct mbmsd_config *cfg, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);

	*ret = config_load_string(text, "t.conf", cfg, errs);
	fclose(errs);
	return buf;
}

static struct mbmsd_config cfg;	/* large: keep it off the stack */

static void test_good(void)
{
	struct pol_config pc;
	char *e, a[64];
	int ret;

	e = load(GOOD, &cfg, &ret);
	CHECK(ret == 0);
	CHECK_STR(e, "");
	free(e);
	CHECK_STR(cfg.bmsc_uri, "http://bmsc.test:8080");
	CHECK_STR(cfg.bmsc_fqdn, "bmsc.test");
	CHECK(cfg.muk_mode == POL_MUK_STRICT);
	CHECK(cfg.request_jitter_s == 30);
	CHECK(cfg.startup_grace_s == 0);
	CHECK(cfg.log_level == LOG_LVL_DEBUG);
	CHECK(cfg.listen_port == 2269);
	CHECK(cfg.nsessions == 2);
	CHECK_STR(cfg.sessions[0].name, "a");
	CHECK(cfg.sessions[0].line == 12);
	CHECK(cfg.sessions[0].id == 7 && cfg.sessions[0].key_group == 0x102);
	CHECK(!memcmp(cfg.sessions[0].key_domain, "\x26\x2f\x01", 3));
	CHECK(cfg.sessions[0].nflows == 3);
	CHECK(cfg.sessions[0].flows[0].dport == 5004 &&
	      !cfg.sessions[0].flows[0].rtcp);
	CHECK(cfg.sessions[0].flows[1].rtcp);
	CHECK(cfg.sessions[0].flows[2].has_src && cfg.sessions[0].flows[2].rtcp);
	CHECK_STR(config_addr_str(&cfg.sessions[0].flows[2].src, a, sizeof(a)),
		  "10.0.0.1");
	CHECK(cfg.sessions[0].mtk_port == 2269);
	CHECK(cfg.sessions[0].on_fail == MBMS_SRTP_ON_FAIL_PASS);
	CHECK(cfg.sessions[0].suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK(cfg.sessions[1].flows[0].dst.family == AF_INET6);
	CHECK(cfg.sessions[1].mtk_port == 3000);
	CHECK(cfg.sessions[1].suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	config_to_policy(&cfg, &pc);
	CHECK(pc.muk_mode == POL_MUK_STRICT && pc.jitter_ms == 30000);
}

static void test_defaults(void)
{
	static const char text[] =
		"[global]\nbmsc_uri=https://b\nbmsc_fqdn=b\n"
		"gba_bootstrap_command=/x\n"
		"[session s]\nid=1\nkey_domain=000000\nkey_group=1\n"
		"flows=10.1.1.1:1\nmtk_group=10.1.1.1\n";
	char *e;
	int ret;

	e = load(text, &cfg, &ret);
	CHECK(ret == 0);
	free(e);
	CHECK(cfg.muk_mode == POL_MUK_RELAXED);	/* the default */
	CHECK(cfg.request_jitter_s == 10);
	CHECK(cfg.startup_grace_s == 60);
	CHECK_STR(cfg.state_dir, "/var/lib/mbmsd");
	CHECK(cfg.gba_timeout_s == 30);
	CHECK(!cfg.metrics);	/* no HTTP endpoint unless asked for */
}

/* Each bad line must produce an error naming its line and key. */
static void expect_error(const char *text, const char *needle)
{
	char *e;
	int ret;

	e = load(text, &cfg, &ret);
	CHECK(ret == -1);
	CHECK(e && strstr(e, needle));
	if (!e || !strstr(e, needle))
		fprintf(stderr, "  wanted \"%s\" in:\n%s", needle, e ? e : "");
	free(e);
}

#define HEAD "[global]\nbmsc_uri=http://b\nbmsc_fqdn=b\ngba_bootstrap_command=/x\n"
#define SESS "[session s]\nid=1\nkey_domain=000000\nkey_group=1\nflows=10.1.1.1:1\nmtk_group=10.1.1.1\n"

static void test_errors(void)
{
	expect_error(HEAD "muk_policy = lax\n" SESS,
		     "t.conf:5: 'muk_policy': 'lax': expected 'relaxed' or 'strict'");
	expect_error(HEAD "request_jitter = -1\n" SESS,
		     "t.conf:5: 'request_jitter': '-1' is not a number");
	expect_error(HEAD "request_jitter = 3601\n" SESS,
		     "t.conf:5: 'request_jitter': 3601 is out of range");
	expect_error(HEAD "startup_grace = 3601\n" SESS,
		     "t.conf:5: 'startup_grace': 3601 is out of range");
	expect_error(HEAD "startup_grace = 1m\n" SESS,
		     "t.conf:5: 'startup_grace': '1m' is not a number");
	expect_error(HEAD "state_dir = var\n" SESS,
		     "t.conf:5: 'state_dir': 'var' is not an absolute path");
	expect_error(HEAD "colour = red\n" SESS,
		     "t.conf:5: 'colour': unknown key in [global]");
	expect_error(HEAD "bmsc_fqdn = c\n" SESS,
		     "t.conf:5: 'bmsc_fqdn': given twice in [global]");
	expect_error(HEAD "log_level = loud\n" SESS, "t.conf:5: 'log_level'");
	expect_error(HEAD "listen_port = 0\n" SESS, "port 0 is not allowed");
	expect_error("[global]\nbmsc_uri=ftp://b\n", "t.conf:2: 'bmsc_uri'");
	expect_error("[global]\nbmsc_fqdn=b c\n", "t.conf:2: 'bmsc_fqdn'");
	expect_error("[global]\ngba_bootstrap_command=gba\n",
		     "'gba' must be an absolute path");
	expect_error("[global]\n", "'bmsc_uri': required in [global] but missing");
	expect_error(HEAD, "no [session NAME] section");
	expect_error("x = 1\n" HEAD SESS, "t.conf:1: 'x': key outside of any section");
	expect_error(HEAD "[bogus]\n" SESS, "t.conf:5: unknown section [bogus]");
	expect_error(HEAD "[session]\n" SESS, "t.conf:5: unknown section [session]");
	expect_error(HEAD "[session a/b]\n" SESS, "only letters, digits");
	expect_error(HEAD SESS SESS, "t.conf:11: [session s] given twice (first at line 5)");
	expect_error(HEAD "this is not ini\n" SESS, "t.conf:5: syntax error");
	expect_error(HEAD "[session s]\n", "t.conf:5: 'id': required in [session s]");
	expect_error(HEAD "[session s]\n", "t.conf:5: 'mtk_group': required");
	expect_error(HEAD "[session s]\nid=0\n", "t.conf:6: 'id': session id 0 is reserved");
	expect_error(HEAD "[session s]\nkey_domain=26201\n",
		     "t.conf:6: 'key_domain': expected 6 hex digits, got 5");
	expect_error(HEAD "[session s]\nkey_group=0\n", "key group 0 is reserved");
	expect_error(HEAD "[session s]\nkey_group=65536\n", "out of range");
	expect_error(HEAD "[session s]\nflows=\n", "t.conf:6: 'flows'");
	expect_error(HEAD "[session s]\nflows=1.2.3.4\n", "expected ADDR:PORT");
	expect_error(HEAD "[session s]\nflows=1.2.3.4:0\n", "port 0");
	expect_error(HEAD "[session s]\nflows=1.2.3:5\n", "is not an IP address");
	expect_error(HEAD "[session s]\nflows=1.2.3.4:5,rtp\n", "'rtp' is neither");
	expect_error(HEAD "[session s]\nflows=1.2.3.4:5,::1\n", "address family");
	expect_error(HEAD "[session s]\nflows=1.2.3.4:5,1.1.1.1,2.2.2.2\n", "'2.2.2.2' is neither");
	expect_error(HEAD "[session s]\nflows=ff::1:5\n", "[ADDR]:PORT for IPv6");
	expect_error(HEAD "[session s]\nflows=1.2.3.4:5 1.2.3.4:5\n", "given twice");
	expect_error(HEAD "[session s]\nmtk_group=x\n", "'x' is not an IP address");
	expect_error(HEAD "[session s]\non_fail=maybe\n", "expected 'drop' or 'pass'");
	expect_error(HEAD "[session s]\nsuite=gcm\n", "expected 'aes128-sha1-80'");
	expect_error(HEAD SESS "[session t]\nid=1\nkey_domain=000000\nkey_group=2\n"
		     "flows=10.1.1.1:2\nmtk_group=10.1.1.1\n",
		     "t.conf:11: 'id': session id 1 is also used by [session s]");
	expect_error(HEAD SESS "[session t]\nid=2\nkey_domain=000000\nkey_group=2\n"
		     "flows=10.1.1.1:1\nmtk_group=10.1.1.1\n",
		     "flow 1 of [session t] is also in [session s]");
}

/* metrics_listen: loopback as given; anything else only when allowed. */
static void test_metrics(void)
{
	char *e, a[64];
	int ret;

	e = load(HEAD "metrics_listen = 127.0.0.1:9468\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.metrics && cfg.metrics_port == 9468);
	CHECK_STR(config_addr_str(&cfg.metrics_addr, a, sizeof(a)), "127.0.0.1");
	free(e);
	e = load(HEAD "metrics_listen = [::1]:80\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.metrics && cfg.metrics_port == 80);
	CHECK(cfg.metrics_addr.family == AF_INET6);
	free(e);
	e = load(HEAD "metrics_listen = 10.0.0.5:9468\nmetrics_allow_remote = yes\n"
		 SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.metrics && cfg.metrics_allow_remote);
	free(e);
	expect_error(HEAD "metrics_listen = 0.0.0.0:9468\n" SESS,
		     "t.conf:5: 'metrics_listen': not a loopback address; set metrics_allow_remote = yes");
	expect_error(HEAD "metrics_allow_remote = no\nmetrics_listen = [::]:1\n" SESS,
		     "t.conf:6: 'metrics_listen': not a loopback address");
	expect_error(HEAD "metrics_listen = 9468\n" SESS,
		     "t.conf:5: 'metrics_listen': '9468': expected ADDR:PORT ([ADDR]:PORT for IPv6)");
	expect_error(HEAD "metrics_listen = ::1:9468\n" SESS, "expected ADDR:PORT");
	expect_error(HEAD "metrics_listen = 127.0.0.1:0\n" SESS,
		     "t.conf:5: 'metrics_listen': port 0 is not allowed");
	expect_error(HEAD "metrics_allow_remote = 1\n" SESS,
		     "t.conf:5: 'metrics_allow_remote': '1': expected 'yes' or 'no'");
}

/*
 * rcc_modes: the RFC 4771 modes a BM-SC may choose.  Default all three
 * (mbmsd's behaviour before the setting); with the 4-byte tag, modes 1
 * and 2 only where mode 3 is allowed (their RCC packets then carry the
 * ROC without a MAC, as mode 3's do).
 */
static void test_rcc_modes(void)
{
	char *e, b[16];
	int ret;

	e = load(HEAD SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.rcc_modes == MBMSD_RCC_MODES_DEFAULT);
	free(e);
	CHECK(config_rcc_allowed(&cfg, 1, false) &&
	      config_rcc_allowed(&cfg, 2, true) &&
	      config_rcc_allowed(&cfg, 3, true));
	CHECK_STR(config_rcc_modes_str(cfg.rcc_modes, b, sizeof(b)), "1,2,3");
	e = load(HEAD "rcc_modes = 2\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.rcc_modes == 1u << 2);
	free(e);
	CHECK(config_rcc_allowed(&cfg, 0, false) &&
	      config_rcc_allowed(&cfg, 0, true));
	CHECK(config_rcc_allowed(&cfg, 2, false));
	CHECK(!config_rcc_allowed(&cfg, 2, true));
	CHECK(!config_rcc_allowed(&cfg, 1, false) &&
	      !config_rcc_allowed(&cfg, 3, false) &&
	      !config_rcc_allowed(&cfg, 4, false));
	CHECK_STR(config_rcc_modes_str(cfg.rcc_modes, b, sizeof(b)), "2");
	e = load(HEAD "rcc_modes = 1, 2\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.rcc_modes == (1u << 1 | 1u << 2));
	free(e);
	CHECK(config_rcc_allowed(&cfg, 1, false) &&
	      !config_rcc_allowed(&cfg, 1, true));
	e = load(HEAD "rcc_modes = 3,1\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && config_rcc_allowed(&cfg, 1, true) &&
	      !config_rcc_allowed(&cfg, 2, false));
	free(e);
	CHECK_STR(config_rcc_modes_str(cfg.rcc_modes, b, sizeof(b)), "1,3");
	e = load(HEAD "rcc_modes = none\n" SESS, &cfg, &ret);
	CHECK(ret == 0 && cfg.rcc_modes == 0);
	free(e);
	CHECK(config_rcc_allowed(&cfg, 0, false) &&
	      !config_rcc_allowed(&cfg, 2, false));
	CHECK_STR(config_rcc_modes_str(cfg.rcc_modes, b, sizeof(b)), "none");
	expect_error(HEAD "rcc_modes = 4\n" SESS,
		     "t.conf:5: 'rcc_modes': '4': expected RFC 4771 modes from 1, 2, 3");
	expect_error(HEAD "rcc_modes = 0\n" SESS, "'rcc_modes': '0': expected");
	expect_error(HEAD "rcc_modes = \n" SESS, "t.conf:5: 'rcc_modes': '': expected");
	expect_error(HEAD "rcc_modes = 12\n" SESS, "'rcc_modes': '12': expected");
	expect_error(HEAD "rcc_modes = 2,\n" SESS, "'rcc_modes': '2,': expected");
	expect_error(HEAD "rcc_modes = 2,none\n" SESS, "'rcc_modes': '2,none': expected");
	expect_error(HEAD "rcc_modes = 1 2\n" SESS,
		     "t.conf:5: 'rcc_modes': '1 2': expected a comma after mode 1");
	expect_error(HEAD "rcc_modes = 2,2\n" SESS,
		     "t.conf:5: 'rcc_modes': '2,2': mode 2 given twice");
	expect_error(HEAD "rcc_modes = all\n" SESS, "'rcc_modes': 'all': expected");
}

/* Several errors are all reported, not only the first. */
static void test_all_errors(void)
{
	char *e;
	int ret, n = 0;
	const char *p;

	e = load("[global]\nmuk_policy=x\nrequest_jitter=y\n", &cfg, &ret);
	CHECK(ret == -1);
	for (p = e; p && (p = strchr(p, '\n')); p++)
		n++;
	CHECK(n == 6);	/* 2 bad values, 3 missing keys, no session */
	free(e);
}

static void test_file(void)
{
	char path[] = "/tmp/mbmsd_config_test.XXXXXX";
	char *buf = NULL;
	size_t len = 0;
	FILE *errs;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, GOOD, sizeof(GOOD) - 1) == (ssize_t)sizeof(GOOD) - 1);
	close(fd);
	errs = open_memstream(&buf, &len);
	CHECK(config_load(path, &cfg, errs) == 0);
	CHECK(cfg.nsessions == 2);
	unlink(path);
	CHECK(config_load(path, &cfg, errs) == -1);
	fclose(errs);
	CHECK(buf && strstr(buf, "cannot open: No such file"));
	free(buf);
}

static void test_example_file(void)
{
	const char *top = getenv("MBMS_TOP");
	char path[512];

	snprintf(path, sizeof(path), "%s/contrib/mbmsd.conf.example",
		 top ? top : "../..");
	CHECK(config_load(path, &cfg, stderr) == 0);
	CHECK(cfg.nsessions == 1 && cfg.sessions[0].nflows == 2);
}

static void test_split(void)
{
	char buf[64], *argv[4];

	CHECK(config_split_command("/bin/x  a\tb", buf, sizeof(buf), argv, 4) == 3);
	CHECK_STR(argv[0], "/bin/x");
	CHECK_STR(argv[2], "b");
	CHECK(argv[3] == NULL);
	CHECK(config_split_command("/bin/x a b c", buf, sizeof(buf), argv, 4) == -1);
	CHECK(config_split_command("", buf, sizeof(buf), argv, 4) == 0);
}

int main(void)
{
	test_good();
	test_defaults();
	test_errors();
	test_metrics();
	test_rcc_modes();
	test_all_errors();
	test_file();
	test_example_file();
	test_split();
	return test_summary("mbmsd_config_test");
}
