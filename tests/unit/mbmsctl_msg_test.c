// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libmbmsnl's message layer (userspace/netlink/msg.c),
 * without a kernel: each request is built, then walked with nla_parse()
 * and checked attribute by attribute (type, exact length, value, and that
 * nothing else is there); replies, NLMSG_ERROR with extended acks and
 * NLMSG_DONE are built by hand and parsed, malformed ones included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "mbms/common.h"
#include "msg.h"
#include "test.h"

#define FAMILY 0x1234

/* Parse the attributes of a built request into @tb; count them. */
static int walk(struct nl_msg *msg, uint8_t cmd, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem, n = 0;

	CHECK(nlh->nlmsg_type == FAMILY);
	CHECK(g->cmd == cmd);
	CHECK(g->version == MBMS_SRTP_GENL_VERSION);
	CHECK(genlmsg_parse(nlh, 0, tb, MBMS_SRTP_A_MAX, NULL) == 0);
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem)
		n++;
	return n;
}

static bool u8_is(struct nlattr *a, uint8_t v)
{
	return a && nla_len(a) == 1 && nla_get_u8(a) == v;
}

static bool u16_is(struct nlattr *a, uint16_t v)
{
	return a && nla_len(a) == 2 && nla_get_u16(a) == v;
}

static bool u32_is(struct nlattr *a, uint32_t v)
{
	return a && nla_len(a) == 4 && nla_get_u32(a) == v;
}

static bool u64_is(struct nlattr *a, uint64_t v)
{
	return a && nla_len(a) == 8 && nla_get_u64(a) == v;
}

static bool bin_is(struct nlattr *a, const void *v, int len)
{
	return a && nla_len(a) == len && !memcmp(nla_data(a), v, (size_t)len);
}

static void test_session_requests(void)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	struct mbms_session s = { .id = 7 };
	struct nl_msg *msg;

	/* Only the ID: every other attribute left to the kernel's default. */
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_NEW, 0);
	CHECK(msg && mbms_msg_put_session(msg, &s) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_NEW, tb) == 1);
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 7));
	nlmsg_free(msg);

	s = (struct mbms_session){
		.id = 0xfffffffe, .suite = 2, .mki_len = 0,
		.replay_window = 4096, .max_keys = 16, .on_fail = 1,
		.max_ssrcs = 256,
		.flags = MBMS_SESSION_HAS_SUITE | MBMS_SESSION_HAS_MKI_LEN |
			 MBMS_SESSION_HAS_REPLAY_WINDOW |
			 MBMS_SESSION_HAS_MAX_KEYS | MBMS_SESSION_HAS_ON_FAIL |
			 MBMS_SESSION_HAS_MAX_SSRCS |
			 MBMS_SESSION_HAS_NKEYS,	/* read only: not sent */
		.nkeys = 3,
	};
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_NEW, 0);
	CHECK(msg && mbms_msg_put_session(msg, &s) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_NEW, tb) == 7);
	CHECK(u16_is(tb[MBMS_SRTP_A_MAX_SSRCS], 256));
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 0xfffffffe));
	CHECK(u8_is(tb[MBMS_SRTP_A_SUITE], 2));
	CHECK(u8_is(tb[MBMS_SRTP_A_MKI_LEN], 0));
	CHECK(u16_is(tb[MBMS_SRTP_A_REPLAY_WINDOW], 4096));
	CHECK(u8_is(tb[MBMS_SRTP_A_MAX_KEYS], 16));
	CHECK(u8_is(tb[MBMS_SRTP_A_ON_FAIL], 1));
	CHECK(!tb[MBMS_SRTP_A_SESSION_NKEYS]);
	CHECK(!tb[MBMS_SRTP_A_SESSION_RCC_MODE]);
	nlmsg_free(msg);

	/* RFC 4771: mode and R are sent together */
	s = (struct mbms_session){ .id = 8, .rcc_mode = 3, .rcc_rate = 65535,
				   .flags = MBMS_SESSION_HAS_RCC };
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_NEW, 0);
	CHECK(msg && mbms_msg_put_session(msg, &s) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_NEW, tb) == 3);
	CHECK(u8_is(tb[MBMS_SRTP_A_SESSION_RCC_MODE], 3));
	CHECK(u16_is(tb[MBMS_SRTP_A_SESSION_RCC_RATE], 65535));
	CHECK(!tb[MBMS_SRTP_A_SESSION_TAG_LEN]);
	nlmsg_free(msg);

	/* TS 33.246 §6.6.2.1 NOTE 3: a 14-byte SRTP tag */
	s = (struct mbms_session){ .id = 8, .tag_len = 14,
				   .flags = MBMS_SESSION_HAS_TAG_LEN };
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_NEW, 0);
	CHECK(msg && mbms_msg_put_session(msg, &s) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_NEW, tb) == 2);
	CHECK(u8_is(tb[MBMS_SRTP_A_SESSION_TAG_LEN], 14));
	nlmsg_free(msg);

	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_DEL, 0);
	CHECK(msg && mbms_msg_put_session_id(msg, 9) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_DEL, tb) == 1);
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 9));
	nlmsg_free(msg);

	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_GET, NLM_F_DUMP);
	CHECK(msg && (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	CHECK(walk(msg, MBMS_SRTP_CMD_SESSION_GET, tb) == 0);
	nlmsg_free(msg);
}

static void test_flow_requests(void)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	struct mbms_flow f = { .session_id = 3, .dport = 5004 };
	struct nl_msg *msg;

	CHECK(mbms_addr_parse("232.1.2.3", &f.dst) == 0);
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_FLOW_NEW, 0);
	CHECK(msg && mbms_msg_put_flow(msg, &f, true) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_FLOW_NEW, tb) == 3);
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 3));
	CHECK(bin_is(tb[MBMS_SRTP_A_FLOW_DST4], "\xe8\x01\x02\x03", 4));
	CHECK(u16_is(tb[MBMS_SRTP_A_FLOW_DPORT], 5004));
	CHECK(!tb[MBMS_SRTP_A_FLOW_RTCP] && !tb[MBMS_SRTP_A_FLOW_SRC4]);
	nlmsg_free(msg);

	/* IPv6 with a source and RTCP; del carries neither session nor rtcp. */
	CHECK(mbms_addr_parse("ff15::1", &f.dst) == 0);
	CHECK(mbms_addr_parse("2001:db8::2", &f.src) == 0);
	f.flags = MBMS_FLOW_HAS_SRC | MBMS_FLOW_RTCP;
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_FLOW_NEW, 0);
	CHECK(msg && mbms_msg_put_flow(msg, &f, true) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_FLOW_NEW, tb) == 5);
	CHECK(bin_is(tb[MBMS_SRTP_A_FLOW_DST6], &f.dst.v6, 16));
	CHECK(bin_is(tb[MBMS_SRTP_A_FLOW_SRC6], &f.src.v6, 16));
	CHECK(tb[MBMS_SRTP_A_FLOW_RTCP] && nla_len(tb[MBMS_SRTP_A_FLOW_RTCP]) == 0);
	nlmsg_free(msg);

	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_FLOW_DEL, 0);
	CHECK(msg && mbms_msg_put_flow(msg, &f, false) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_FLOW_DEL, tb) == 3);
	CHECK(!tb[MBMS_SRTP_A_SESSION_ID] && !tb[MBMS_SRTP_A_FLOW_RTCP]);
	CHECK(tb[MBMS_SRTP_A_FLOW_DST6] && tb[MBMS_SRTP_A_FLOW_SRC6]);
	nlmsg_free(msg);

	/* Mixed families and a missing destination are refused locally. */
	CHECK(mbms_addr_parse("10.0.0.1", &f.src) == 0);
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_FLOW_NEW, 0);
	CHECK(msg && mbms_msg_put_flow(msg, &f, true) == -EINVAL);
	nlmsg_free(msg);
	memset(&f, 0, sizeof(f));
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_FLOW_NEW, 0);
	CHECK(msg && mbms_msg_put_flow(msg, &f, true) == -EINVAL);
	nlmsg_free(msg);
}

static void test_key_requests(void)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	struct mbms_key k = {
		.session_id = 1, .msk_id = 0x00010002, .mtk_id = 0xffff,
	};
	struct nl_msg *msg;
	size_t i;

	for (i = 0; i < sizeof(k.master); i++)
		k.master[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < sizeof(k.salt); i++)
		k.salt[i] = (uint8_t)(0x10 + i);
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_KEY_NEW, 0);
	CHECK(msg && mbms_msg_put_key(msg, &k) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_KEY_NEW, tb) == 5);
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 1));
	CHECK(u32_is(tb[MBMS_SRTP_A_MSK_ID], 0x00010002));
	CHECK(u16_is(tb[MBMS_SRTP_A_MTK_ID], 0xffff));
	CHECK(bin_is(tb[MBMS_SRTP_A_KEY_MASTER], k.master, 16));
	CHECK(bin_is(tb[MBMS_SRTP_A_KEY_SALT], k.salt, 14));
	CHECK(!tb[MBMS_SRTP_A_KEY_ROC] && !tb[MBMS_SRTP_A_KEY_LIFETIME]);
	mbms_msg_free_wiped(msg);

	k.flags = MBMS_KEY_HAS_ROC | MBMS_KEY_HAS_MAX_PACKETS |
		  MBMS_KEY_HAS_LIFETIME;
	k.roc = 0xffffffff;
	k.max_packets = 1ULL << 40;
	k.lifetime = 3600;
	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_KEY_NEW, 0);
	CHECK(msg && mbms_msg_put_key(msg, &k) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_KEY_NEW, tb) == 8);
	CHECK(u32_is(tb[MBMS_SRTP_A_KEY_ROC], 0xffffffff));
	CHECK(u64_is(tb[MBMS_SRTP_A_KEY_MAX_PACKETS], 1ULL << 40));
	CHECK(u32_is(tb[MBMS_SRTP_A_KEY_LIFETIME], 3600));
	mbms_msg_free_wiped(msg);

	msg = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_KEY_DEL, 0);
	CHECK(msg && mbms_msg_put_key_id(msg, 1, 2, 3) == 0);
	CHECK(walk(msg, MBMS_SRTP_CMD_KEY_DEL, tb) == 3);
	CHECK(u32_is(tb[MBMS_SRTP_A_SESSION_ID], 1));
	CHECK(u32_is(tb[MBMS_SRTP_A_MSK_ID], 2));
	CHECK(u16_is(tb[MBMS_SRTP_A_MTK_ID], 3));
	nlmsg_free(msg);

	mbms_key_wipe(&k);
	CHECK(k.master[0] == 0 && k.salt[13] == 0 && k.session_id == 0);
}

/* A reply as the kernel would send it (cmd @cmd), to be filled. */
static struct nl_msg *reply(uint8_t cmd)
{
	return mbms_msg_new(FAMILY, cmd, NLM_F_MULTI);
}

static void test_parse_session(void)
{
	struct mbms_session s;
	struct nl_msg *msg = reply(MBMS_SRTP_CMD_SESSION_GET);
	struct nlattr *st;

	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 5);
	nla_put_u8(msg, MBMS_SRTP_A_SUITE, 1);
	nla_put_u8(msg, MBMS_SRTP_A_MKI_LEN, 6);
	nla_put_u16(msg, MBMS_SRTP_A_REPLAY_WINDOW, 128);
	nla_put_u8(msg, MBMS_SRTP_A_MAX_KEYS, 2);
	nla_put_u8(msg, MBMS_SRTP_A_ON_FAIL, 0);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_NKEYS, 1);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_NFLOWS, 2);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_NSSRCS, 3);
	nla_put_u16(msg, MBMS_SRTP_A_MAX_SSRCS, 16);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_SSRCS_HWM, 9);
	nla_put_u8(msg, MBMS_SRTP_A_SESSION_RCC_MODE, 1);
	nla_put_u16(msg, MBMS_SRTP_A_SESSION_RCC_RATE, 16);
	nla_put_u8(msg, MBMS_SRTP_A_SESSION_TAG_LEN, 14);
	st = nla_nest_start(msg, MBMS_SRTP_A_STATS);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_PACKETS, 100);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_AUTH, 4);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_PASSED, 1);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_GSO_SEGMENTED, 7);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_SSRC_FULL, 8);
	nla_put_u64(msg, MBMS_SRTP_STATS_A_NOMEM, 6);
	nla_nest_end(msg, st);
	nla_put_u32(msg, MBMS_SRTP_A_MAX + 5, 0);	/* newer kernel: ignored */
	CHECK(mbms_msg_parse_session(nlmsg_hdr(msg), &s) == 0);
	CHECK(s.id == 5 && s.suite == 1 && s.mki_len == 6);
	CHECK(s.replay_window == 128 && s.max_keys == 2 && s.on_fail == 0);
	CHECK(s.nkeys == 1 && s.nflows == 2 && s.nssrcs == 3);
	CHECK(s.max_ssrcs == 16 && s.ssrcs_hwm == 9);
	CHECK(s.rcc_mode == 1 && s.rcc_rate == 16 && s.tag_len == 14);
	CHECK(s.flags == (MBMS_SESSION_HAS_SUITE | MBMS_SESSION_HAS_MKI_LEN |
			  MBMS_SESSION_HAS_REPLAY_WINDOW |
			  MBMS_SESSION_HAS_MAX_KEYS | MBMS_SESSION_HAS_ON_FAIL |
			  MBMS_SESSION_HAS_NKEYS | MBMS_SESSION_HAS_NFLOWS |
			  MBMS_SESSION_HAS_NSSRCS | MBMS_SESSION_HAS_STATS |
			  MBMS_SESSION_HAS_MAX_SSRCS |
			  MBMS_SESSION_HAS_SSRCS_HWM | MBMS_SESSION_HAS_RCC |
			  MBMS_SESSION_HAS_TAG_LEN));
	CHECK(s.stats.packets == 100 && s.stats.auth == 4 &&
	      s.stats.passed == 1 && s.stats.replay == 0 &&
	      s.stats.gso_segmented == 7 && s.stats.ssrc_full == 8 &&
	      s.stats.nomem == 6);
	CHECK(s.stats.flags == (MBMS_STATS_HAS_PACKETS | MBMS_STATS_HAS_AUTH |
				MBMS_STATS_HAS_PASSED |
				MBMS_STATS_HAS_GSO_SEGMENTED |
				MBMS_STATS_HAS_SSRC_FULL |
				MBMS_STATS_HAS_NOMEM));
	nlmsg_free(msg);

	/* Malformed: no ID; a u32 of 2 bytes; a short counter. */
	msg = reply(MBMS_SRTP_CMD_SESSION_GET);
	nla_put_u8(msg, MBMS_SRTP_A_SUITE, 1);
	CHECK(mbms_msg_parse_session(nlmsg_hdr(msg), &s) == -EBADMSG);
	nlmsg_free(msg);
	msg = reply(MBMS_SRTP_CMD_SESSION_GET);
	nla_put_u16(msg, MBMS_SRTP_A_SESSION_ID, 5);
	CHECK(mbms_msg_parse_session(nlmsg_hdr(msg), &s) == -EBADMSG);
	nlmsg_free(msg);
	msg = reply(MBMS_SRTP_CMD_SESSION_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 5);
	st = nla_nest_start(msg, MBMS_SRTP_A_STATS);
	nla_put_u32(msg, MBMS_SRTP_STATS_A_BYTES, 1);
	nla_nest_end(msg, st);
	CHECK(mbms_msg_parse_session(nlmsg_hdr(msg), &s) == -EBADMSG);
	nlmsg_free(msg);
}

static void test_parse_flow_key_event(void)
{
	struct mbms_flow f;
	struct mbms_key k;
	struct mbms_event ev;
	struct nl_msg *msg = reply(MBMS_SRTP_CMD_FLOW_GET);

	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 8);
	nla_put(msg, MBMS_SRTP_A_FLOW_DST4, 4, "\xef\x00\x00\x01");
	nla_put_u16(msg, MBMS_SRTP_A_FLOW_DPORT, 9000);
	nla_put(msg, MBMS_SRTP_A_FLOW_SRC4, 4, "\x0a\x00\x00\x02");
	nla_put_flag(msg, MBMS_SRTP_A_FLOW_RTCP);
	CHECK(mbms_msg_parse_flow(nlmsg_hdr(msg), &f) == 0);
	CHECK(f.session_id == 8 && f.dport == 9000);
	CHECK(f.dst.family == AF_INET && f.src.family == AF_INET);
	CHECK(f.dst.v4.s_addr == htonl(0xef000001));
	CHECK(f.src.v4.s_addr == htonl(0x0a000002));
	CHECK(f.flags == (MBMS_FLOW_HAS_SRC | MBMS_FLOW_RTCP));
	nlmsg_free(msg);

	/* Both DST4 and DST6: refused; no destination: refused. */
	msg = reply(MBMS_SRTP_CMD_FLOW_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 8);
	nla_put(msg, MBMS_SRTP_A_FLOW_DST4, 4, "\xef\x00\x00\x01");
	nla_put(msg, MBMS_SRTP_A_FLOW_DST6, 16, "0123456789abcdef");
	nla_put_u16(msg, MBMS_SRTP_A_FLOW_DPORT, 9000);
	CHECK(mbms_msg_parse_flow(nlmsg_hdr(msg), &f) == -EBADMSG);
	nlmsg_free(msg);
	msg = reply(MBMS_SRTP_CMD_FLOW_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 8);
	nla_put_u16(msg, MBMS_SRTP_A_FLOW_DPORT, 9000);
	CHECK(mbms_msg_parse_flow(nlmsg_hdr(msg), &f) == -EBADMSG);
	nlmsg_free(msg);
	msg = reply(MBMS_SRTP_CMD_FLOW_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 8);
	nla_put(msg, MBMS_SRTP_A_FLOW_DST6, 4, "abcd");	/* wrong length */
	nla_put_u16(msg, MBMS_SRTP_A_FLOW_DPORT, 9000);
	CHECK(mbms_msg_parse_flow(nlmsg_hdr(msg), &f) == -EBADMSG);
	nlmsg_free(msg);

	msg = reply(MBMS_SRTP_CMD_KEY_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 1);
	nla_put_u32(msg, MBMS_SRTP_A_MSK_ID, 0xdeadbeef);
	nla_put_u16(msg, MBMS_SRTP_A_MTK_ID, 42);
	nla_put_u32(msg, MBMS_SRTP_A_KEY_ROC, 0);
	nla_put_u64(msg, MBMS_SRTP_A_KEY_MAX_PACKETS, 0);
	nla_put_u32(msg, MBMS_SRTP_A_KEY_LIFETIME, 60);
	nla_put_u64(msg, MBMS_SRTP_A_KEY_PACKETS, 77);
	nla_put_u64(msg, MBMS_SRTP_A_KEY_AGE_MS, 1500);
	nla_put_flag(msg, MBMS_SRTP_A_KEY_EXPIRED);
	CHECK(mbms_msg_parse_key(nlmsg_hdr(msg), &k) == 0);
	CHECK(k.session_id == 1 && k.msk_id == 0xdeadbeef && k.mtk_id == 42);
	CHECK(k.lifetime == 60 && k.packets == 77 && k.age_ms == 1500);
	CHECK(k.flags == (MBMS_KEY_HAS_ROC | MBMS_KEY_HAS_MAX_PACKETS |
			  MBMS_KEY_HAS_LIFETIME | MBMS_KEY_HAS_PACKETS |
			  MBMS_KEY_HAS_AGE_MS | MBMS_KEY_EXPIRED));
	nlmsg_free(msg);
	msg = reply(MBMS_SRTP_CMD_KEY_GET);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 1);
	nla_put_u32(msg, MBMS_SRTP_A_MSK_ID, 1);
	CHECK(mbms_msg_parse_key(nlmsg_hdr(msg), &k) == -EBADMSG);
	nlmsg_free(msg);

	msg = reply(MBMS_SRTP_CMD_KEY_NEEDED_NTF);
	nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, 4);
	nla_put_u32(msg, MBMS_SRTP_A_MSK_ID, 0x00010000);
	nla_put_u16(msg, MBMS_SRTP_A_MTK_ID, 9);
	nla_put_u8(msg, MBMS_SRTP_A_EVENT_REASON, MBMS_SRTP_EVENT_UNKNOWN_MKI);
	CHECK(mbms_msg_parse_event(nlmsg_hdr(msg), &ev) == 0);
	CHECK(ev.cmd == MBMS_SRTP_CMD_KEY_NEEDED_NTF && ev.session_id == 4);
	CHECK(ev.msk_id == 0x00010000 && ev.mtk_id == 9);
	CHECK(ev.reason == MBMS_SRTP_EVENT_UNKNOWN_MKI);
	CHECK(ev.flags == (MBMS_EVENT_HAS_SESSION_ID | MBMS_EVENT_HAS_MSK_ID |
			   MBMS_EVENT_HAS_MTK_ID | MBMS_EVENT_HAS_REASON));
	nlmsg_free(msg);

	/* A truncated genl header is refused before any attribute is read. */
	msg = nlmsg_alloc_simple(FAMILY, 0);
	CHECK(mbms_msg_parse_event(nlmsg_hdr(msg), &ev) == -EBADMSG);
	nlmsg_free(msg);
}

/*
 * An NLMSG_ERROR for @req as the kernel builds it: the echoed request
 * unless @capped, then the extack TLVs.
 */
static struct nl_msg *error_msg(struct nl_msg *req, int error, bool capped,
				const char *text, int offs, int miss)
{
	struct nlmsghdr *r = nlmsg_hdr(req);
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	size_t payload = capped ? sizeof(struct nlmsgerr) :
		sizeof(struct nlmsgerr) + r->nlmsg_len - NLMSG_HDRLEN;
	struct nlmsgerr *e = nlmsg_reserve(msg, payload, NLMSG_ALIGNTO);
	int flags = capped ? NLM_F_CAPPED : 0;

	e->error = error;
	memcpy(&e->msg, r, capped ? sizeof(*r) : r->nlmsg_len);
	if (text || offs >= 0 || miss >= 0)
		flags |= NLM_F_ACK_TLVS;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (offs >= 0)
		nla_put_u32(msg, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (miss >= 0)
		nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)miss);
	nlmsg_hdr(msg)->nlmsg_flags = (uint16_t)flags;
	return msg;
}

static void test_parse_errors(void)
{
	struct mbms_session s = {
		.id = 1, .flags = MBMS_SESSION_HAS_REPLAY_WINDOW,
		.replay_window = 9999,
	};
	struct nl_msg *req = mbms_msg_new(FAMILY, MBMS_SRTP_CMD_SESSION_NEW, 0);
	const int window_off = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 4;
	struct mbms_nl_err err;
	struct nl_msg *msg;
	int capped;

	CHECK(mbms_msg_put_session(req, &s) == 0);
	for (capped = 0; capped < 2; capped++) {
		msg = error_msg(req, -ERANGE, capped, "window too large",
				window_off, -1);
		mbms_msg_parse_error(nlmsg_hdr(msg), nlmsg_hdr(req), &err);
		CHECK(err.code == -ERANGE && err.from_kernel);
		CHECK(err.has_extack);
		CHECK_STR(err.msg, "window too large");
		CHECK(err.bad_attr == MBMS_SRTP_A_REPLAY_WINDOW);
		CHECK(err.missing_attr == 0);
		nlmsg_free(msg);
	}

	/* Missing attribute, no text; an offset inside no attribute. */
	msg = error_msg(req, -EINVAL, true, NULL, 3, MBMS_SRTP_A_SESSION_ID);
	mbms_msg_parse_error(nlmsg_hdr(msg), nlmsg_hdr(req), &err);
	CHECK(err.code == -EINVAL && !err.has_extack && err.msg[0] == '\0');
	CHECK(err.missing_attr == MBMS_SRTP_A_SESSION_ID && err.bad_attr == 0);
	CHECK_STR(mbms_nl_attr_name(err.missing_attr), "MBMS_SRTP_A_SESSION_ID");
	nlmsg_free(msg);

	/* A bare error (an old kernel, or no extack socket option). */
	msg = error_msg(req, -EEXIST, false, NULL, -1, -1);
	mbms_msg_parse_error(nlmsg_hdr(msg), NULL, &err);
	CHECK(err.code == -EEXIST && !err.has_extack && err.bad_attr == 0);
	nlmsg_free(msg);

	/* A text longer than our buffer is cut, still terminated. */
	{
		char big[600];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		msg = error_msg(req, -EINVAL, true, big, -1, -1);
		mbms_msg_parse_error(nlmsg_hdr(msg), NULL, &err);
		CHECK(strlen(err.msg) == MBMS_NL_ERRMSG_MAX - 1);
		nlmsg_free(msg);
	}

	/* Truncated: the header claims an echoed request that is not there. */
	msg = error_msg(req, -EINVAL, true, "x", -1, -1);
	nlmsg_hdr(msg)->nlmsg_flags &= (uint16_t)~NLM_F_CAPPED;
	mbms_msg_parse_error(nlmsg_hdr(msg), NULL, &err);
	CHECK(err.code == -EINVAL && !err.has_extack);
	nlmsg_free(msg);
	nlmsg_free(req);

	/* NLMSG_DONE: 0 is success, a negative int a failed dump. */
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	{
		int code = -ENOBUFS;

		nlmsg_append(msg, &code, sizeof(code), NLMSG_ALIGNTO);
	}
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "dump failed");
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	mbms_msg_parse_done(nlmsg_hdr(msg), &err);
	CHECK(err.code == -ENOBUFS && err.from_kernel);
	CHECK_STR(err.msg, "dump failed");
	nlmsg_free(msg);
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	{
		int code = 0;

		nlmsg_append(msg, &code, sizeof(code), NLMSG_ALIGNTO);
	}
	mbms_msg_parse_done(nlmsg_hdr(msg), &err);
	CHECK(err.code == 0);
	nlmsg_free(msg);
}

static void test_names(void)
{
	struct mbms_addr a;
	char buf[INET6_ADDRSTRLEN];

	CHECK(mbms_suite_parse("aes-cm-128-hmac-sha1-80") ==
	      MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK(mbms_suite_parse("aes-cm-128-hmac-sha1-32") ==
	      MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
	CHECK(mbms_suite_parse("aes") == -1);
	CHECK_STR(mbms_suite_name(0), "unknown");
	CHECK_STR(mbms_suite_name(200), "unknown");
	CHECK(mbms_on_fail_parse("pass") == MBMS_SRTP_ON_FAIL_PASS);
	CHECK(mbms_on_fail_parse("Drop") == -1);
	CHECK_STR(mbms_event_reason_name(MBMS_SRTP_EVENT_KEY_SOFT_LIFETIME),
		  "key-soft-lifetime");
	CHECK_STR(mbms_nl_attr_name(MBMS_SRTP_A_KEY_SALT), "MBMS_SRTP_A_KEY_SALT");
	CHECK_STR(mbms_nl_attr_name(999), "attribute 999");
	CHECK(mbms_addr_parse("1.2.3", &a) == -1);
	CHECK(mbms_addr_parse("1.2.3.4 ", &a) == -1);
	CHECK(mbms_addr_parse("::ffff:1.2.3.4", &a) == 0 && a.family == AF_INET6);
	CHECK_STR(mbms_addr_str(&a, buf, sizeof(buf)), "::ffff:1.2.3.4");
}

int main(void)
{
	test_session_requests();
	test_flow_requests();
	test_key_requests();
	test_parse_session();
	test_parse_flow_key_event();
	test_parse_errors();
	test_names();
	return test_summary("mbmsctl_msg_test");
}
