// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and replies of the mbms_srtp family: model <-> attributes.
 * Replies are checked for exact attribute lengths here rather than trusted
 * to libnl's policy, whose minimum-length checks would let a 2-byte u32
 * through unnoticed.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "mbms/common.h"
#include "msg.h"

struct nl_msg *mbms_msg_new(uint16_t family, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, MBMS_SRTP_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void mbms_msg_free_wiped(struct nl_msg *msg)
{
	struct nlmsghdr *nlh;

	if (!msg)
		return;
	nlh = nlmsg_hdr(msg);
	/* nlmsg_len covers everything appended, key attributes included. */
	secure_zero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

static int put_err(int ret)
{
	return ret < 0 ? -EMSGSIZE : 0;
}

int mbms_msg_put_session_id(struct nl_msg *msg, uint32_t id)
{
	return put_err(nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, id));
}

int mbms_msg_put_session(struct nl_msg *msg, const struct mbms_session *s)
{
	int ret = nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, s->id);

	if (!ret && (s->flags & MBMS_SESSION_HAS_SUITE))
		ret = nla_put_u8(msg, MBMS_SRTP_A_SUITE, s->suite);
	if (!ret && (s->flags & MBMS_SESSION_HAS_MKI_LEN))
		ret = nla_put_u8(msg, MBMS_SRTP_A_MKI_LEN, s->mki_len);
	if (!ret && (s->flags & MBMS_SESSION_HAS_REPLAY_WINDOW))
		ret = nla_put_u16(msg, MBMS_SRTP_A_REPLAY_WINDOW,
				  s->replay_window);
	if (!ret && (s->flags & MBMS_SESSION_HAS_MAX_KEYS))
		ret = nla_put_u8(msg, MBMS_SRTP_A_MAX_KEYS, s->max_keys);
	if (!ret && (s->flags & MBMS_SESSION_HAS_ON_FAIL))
		ret = nla_put_u8(msg, MBMS_SRTP_A_ON_FAIL, s->on_fail);
	if (!ret && (s->flags & MBMS_SESSION_HAS_MAX_SSRCS))
		ret = nla_put_u16(msg, MBMS_SRTP_A_MAX_SSRCS, s->max_ssrcs);
	if (!ret && (s->flags & MBMS_SESSION_HAS_RCC) && s->rcc_mode) {
		ret = nla_put_u8(msg, MBMS_SRTP_A_SESSION_RCC_MODE, s->rcc_mode);
		if (!ret)
			ret = nla_put_u16(msg, MBMS_SRTP_A_SESSION_RCC_RATE,
					  s->rcc_rate);
	}
	if (!ret && (s->flags & MBMS_SESSION_HAS_TAG_LEN))
		ret = nla_put_u8(msg, MBMS_SRTP_A_SESSION_TAG_LEN, s->tag_len);
	return put_err(ret);
}

static int put_addr(struct nl_msg *msg, int type4, int type6,
		    const struct mbms_addr *a)
{
	switch (a->family) {
	case AF_INET:
		return put_err(nla_put(msg, type4, 4, &a->v4));
	case AF_INET6:
		return put_err(nla_put(msg, type6, 16, &a->v6));
	default:
		return -EINVAL;
	}
}

int mbms_msg_put_flow(struct nl_msg *msg, const struct mbms_flow *f,
		      bool with_session)
{
	int ret = 0;

	if ((f->flags & MBMS_FLOW_HAS_SRC) && f->src.family != f->dst.family)
		return -EINVAL;
	if (with_session)
		ret = mbms_msg_put_session_id(msg, f->session_id);
	if (!ret)
		ret = put_addr(msg, MBMS_SRTP_A_FLOW_DST4,
			       MBMS_SRTP_A_FLOW_DST6, &f->dst);
	if (!ret)
		ret = put_err(nla_put_u16(msg, MBMS_SRTP_A_FLOW_DPORT,
					  f->dport));
	if (!ret && (f->flags & MBMS_FLOW_HAS_SRC))
		ret = put_addr(msg, MBMS_SRTP_A_FLOW_SRC4,
			       MBMS_SRTP_A_FLOW_SRC6, &f->src);
	if (!ret && with_session && (f->flags & MBMS_FLOW_RTCP))
		ret = put_err(nla_put_flag(msg, MBMS_SRTP_A_FLOW_RTCP));
	return ret;
}

int mbms_msg_put_key_id(struct nl_msg *msg, uint32_t session_id,
			uint32_t msk_id, uint16_t mtk_id)
{
	int ret = nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, session_id);

	if (!ret)
		ret = nla_put_u32(msg, MBMS_SRTP_A_MSK_ID, msk_id);
	if (!ret)
		ret = nla_put_u16(msg, MBMS_SRTP_A_MTK_ID, mtk_id);
	return put_err(ret);
}

int mbms_msg_put_key(struct nl_msg *msg, const struct mbms_key *k)
{
	int ret = mbms_msg_put_key_id(msg, k->session_id, k->msk_id,
				      k->mtk_id);

	if (!ret)
		ret = put_err(nla_put(msg, MBMS_SRTP_A_KEY_MASTER,
				      sizeof(k->master), k->master));
	if (!ret)
		ret = put_err(nla_put(msg, MBMS_SRTP_A_KEY_SALT,
				      sizeof(k->salt), k->salt));
	if (!ret && (k->flags & MBMS_KEY_HAS_ROC))
		ret = put_err(nla_put_u32(msg, MBMS_SRTP_A_KEY_ROC, k->roc));
	if (!ret && (k->flags & MBMS_KEY_HAS_MAX_PACKETS))
		ret = put_err(nla_put_u64(msg, MBMS_SRTP_A_KEY_MAX_PACKETS,
					  k->max_packets));
	if (!ret && (k->flags & MBMS_KEY_HAS_LIFETIME))
		ret = put_err(nla_put_u32(msg, MBMS_SRTP_A_KEY_LIFETIME,
					  k->lifetime));
	return ret;
}

/* ---- replies ------------------------------------------------------------ */

/*
 * Exact payload length of each attribute a reply may carry; -1 = any
 * (nested), 0 = flag.  Attributes absent from the table are ignored.
 */
static const int attr_len[MBMS_SRTP_A_MAX + 1] = {
	[MBMS_SRTP_A_SESSION_ID] = 4,
	[MBMS_SRTP_A_SUITE] = 1,
	[MBMS_SRTP_A_MKI_LEN] = 1,
	[MBMS_SRTP_A_REPLAY_WINDOW] = 2,
	[MBMS_SRTP_A_MAX_KEYS] = 1,
	[MBMS_SRTP_A_ON_FAIL] = 1,
	[MBMS_SRTP_A_SESSION_NKEYS] = 4,
	[MBMS_SRTP_A_SESSION_NFLOWS] = 4,
	[MBMS_SRTP_A_SESSION_NSSRCS] = 4,
	[MBMS_SRTP_A_STATS] = -1,
	[MBMS_SRTP_A_FLOW_DST4] = 4,
	[MBMS_SRTP_A_FLOW_DST6] = 16,
	[MBMS_SRTP_A_FLOW_SRC4] = 4,
	[MBMS_SRTP_A_FLOW_SRC6] = 16,
	[MBMS_SRTP_A_FLOW_DPORT] = 2,
	[MBMS_SRTP_A_FLOW_RTCP] = 0,
	[MBMS_SRTP_A_MSK_ID] = 4,
	[MBMS_SRTP_A_MTK_ID] = 2,
	[MBMS_SRTP_A_KEY_MASTER] = MBMS_SRTP_MASTER_KEY_LEN,
	[MBMS_SRTP_A_KEY_SALT] = MBMS_SRTP_MASTER_SALT_LEN,
	[MBMS_SRTP_A_KEY_ROC] = 4,
	[MBMS_SRTP_A_KEY_MAX_PACKETS] = 8,
	[MBMS_SRTP_A_KEY_LIFETIME] = 4,
	[MBMS_SRTP_A_KEY_PACKETS] = 8,
	[MBMS_SRTP_A_KEY_AGE_MS] = 8,
	[MBMS_SRTP_A_KEY_IDLE_MS] = 8,
	[MBMS_SRTP_A_KEY_EXPIRED] = 0,
	[MBMS_SRTP_A_EVENT_REASON] = 1,
	[MBMS_SRTP_A_PAD] = -1,
	[MBMS_SRTP_A_MAX_SSRCS] = 2,
	[MBMS_SRTP_A_SESSION_SSRCS_HWM] = 4,
	[MBMS_SRTP_A_SESSION_RCC_MODE] = 1,
	[MBMS_SRTP_A_SESSION_RCC_RATE] = 2,
	[MBMS_SRTP_A_SESSION_TAG_LEN] = 1,
};

/*
 * Split the attributes of a genl reply into @tb (MBMS_SRTP_A_MAX + 1
 * entries) and check the length of every known one.
 */
static int parse_attrs(struct nlmsghdr *nlh, struct nlattr **tb)
{
	int i;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	if (genlmsg_parse(nlh, 0, tb, MBMS_SRTP_A_MAX, NULL) < 0)
		return -EBADMSG;
	for (i = 1; i <= MBMS_SRTP_A_MAX; i++) {
		if (!tb[i] || attr_len[i] < 0)
			continue;
		if (nla_len(tb[i]) != attr_len[i])
			return -EBADMSG;
	}
	return 0;
}

static const struct {
	int attr;
	uint32_t flag;
	size_t off;
} stats_fields[] = {
	{ MBMS_SRTP_STATS_A_PACKETS, MBMS_STATS_HAS_PACKETS,
	  offsetof(struct mbms_stats, packets) },
	{ MBMS_SRTP_STATS_A_BYTES, MBMS_STATS_HAS_BYTES,
	  offsetof(struct mbms_stats, bytes) },
	{ MBMS_SRTP_STATS_A_RTCP_PACKETS, MBMS_STATS_HAS_RTCP_PACKETS,
	  offsetof(struct mbms_stats, rtcp_packets) },
	{ MBMS_SRTP_STATS_A_MALFORMED, MBMS_STATS_HAS_MALFORMED,
	  offsetof(struct mbms_stats, malformed) },
	{ MBMS_SRTP_STATS_A_UNKNOWN_MKI, MBMS_STATS_HAS_UNKNOWN_MKI,
	  offsetof(struct mbms_stats, unknown_mki) },
	{ MBMS_SRTP_STATS_A_AUTH, MBMS_STATS_HAS_AUTH,
	  offsetof(struct mbms_stats, auth) },
	{ MBMS_SRTP_STATS_A_REPLAY, MBMS_STATS_HAS_REPLAY,
	  offsetof(struct mbms_stats, replay) },
	{ MBMS_SRTP_STATS_A_KEY_EXPIRED, MBMS_STATS_HAS_KEY_EXPIRED,
	  offsetof(struct mbms_stats, key_expired) },
	{ MBMS_SRTP_STATS_A_PASSED, MBMS_STATS_HAS_PASSED,
	  offsetof(struct mbms_stats, passed) },
	{ MBMS_SRTP_STATS_A_GSO_SEGMENTED, MBMS_STATS_HAS_GSO_SEGMENTED,
	  offsetof(struct mbms_stats, gso_segmented) },
	{ MBMS_SRTP_STATS_A_SSRC_FULL, MBMS_STATS_HAS_SSRC_FULL,
	  offsetof(struct mbms_stats, ssrc_full) },
	{ MBMS_SRTP_STATS_A_FRAG_REASSEMBLED, MBMS_STATS_HAS_FRAG_REASSEMBLED,
	  offsetof(struct mbms_stats, frag_reassembled) },
	{ MBMS_SRTP_STATS_A_FRAGMENT, MBMS_STATS_HAS_FRAGMENT,
	  offsetof(struct mbms_stats, fragment) },
	{ MBMS_SRTP_STATS_A_NOMEM, MBMS_STATS_HAS_NOMEM,
	  offsetof(struct mbms_stats, nomem) },
	{ MBMS_SRTP_STATS_A_CSUM_ERROR, MBMS_STATS_HAS_CSUM_ERROR,
	  offsetof(struct mbms_stats, csum_error) },
	{ MBMS_SRTP_STATS_A_ROC_UNKNOWN, MBMS_STATS_HAS_ROC_UNKNOWN,
	  offsetof(struct mbms_stats, roc_unknown) },
};

static int parse_stats(struct nlattr *nest, struct mbms_stats *st)
{
	struct nlattr *tb[MBMS_SRTP_STATS_A_MAX + 1];
	size_t i;

	if (nla_parse_nested(tb, MBMS_SRTP_STATS_A_MAX, nest, NULL) < 0)
		return -EBADMSG;
	for (i = 0; i < ARRAY_SIZE(stats_fields); i++) {
		struct nlattr *a = tb[stats_fields[i].attr];
		uint64_t v;

		if (!a)
			continue;
		if (nla_len(a) != 8)
			return -EBADMSG;
		v = nla_get_u64(a);
		memcpy((char *)st + stats_fields[i].off, &v, sizeof(v));
		st->flags |= stats_fields[i].flag;
	}
	return 0;
}

int mbms_msg_parse_session(struct nlmsghdr *nlh, struct mbms_session *s)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	int ret = parse_attrs(nlh, tb);

	memset(s, 0, sizeof(*s));
	if (ret)
		return ret;
	if (!tb[MBMS_SRTP_A_SESSION_ID])
		return -EBADMSG;
	s->id = nla_get_u32(tb[MBMS_SRTP_A_SESSION_ID]);
	if (tb[MBMS_SRTP_A_SUITE]) {
		s->suite = nla_get_u8(tb[MBMS_SRTP_A_SUITE]);
		s->flags |= MBMS_SESSION_HAS_SUITE;
	}
	if (tb[MBMS_SRTP_A_MKI_LEN]) {
		s->mki_len = nla_get_u8(tb[MBMS_SRTP_A_MKI_LEN]);
		s->flags |= MBMS_SESSION_HAS_MKI_LEN;
	}
	if (tb[MBMS_SRTP_A_REPLAY_WINDOW]) {
		s->replay_window = nla_get_u16(tb[MBMS_SRTP_A_REPLAY_WINDOW]);
		s->flags |= MBMS_SESSION_HAS_REPLAY_WINDOW;
	}
	if (tb[MBMS_SRTP_A_MAX_KEYS]) {
		s->max_keys = nla_get_u8(tb[MBMS_SRTP_A_MAX_KEYS]);
		s->flags |= MBMS_SESSION_HAS_MAX_KEYS;
	}
	if (tb[MBMS_SRTP_A_ON_FAIL]) {
		s->on_fail = nla_get_u8(tb[MBMS_SRTP_A_ON_FAIL]);
		s->flags |= MBMS_SESSION_HAS_ON_FAIL;
	}
	if (tb[MBMS_SRTP_A_SESSION_NKEYS]) {
		s->nkeys = nla_get_u32(tb[MBMS_SRTP_A_SESSION_NKEYS]);
		s->flags |= MBMS_SESSION_HAS_NKEYS;
	}
	if (tb[MBMS_SRTP_A_SESSION_NFLOWS]) {
		s->nflows = nla_get_u32(tb[MBMS_SRTP_A_SESSION_NFLOWS]);
		s->flags |= MBMS_SESSION_HAS_NFLOWS;
	}
	if (tb[MBMS_SRTP_A_SESSION_NSSRCS]) {
		s->nssrcs = nla_get_u32(tb[MBMS_SRTP_A_SESSION_NSSRCS]);
		s->flags |= MBMS_SESSION_HAS_NSSRCS;
	}
	if (tb[MBMS_SRTP_A_MAX_SSRCS]) {
		s->max_ssrcs = nla_get_u16(tb[MBMS_SRTP_A_MAX_SSRCS]);
		s->flags |= MBMS_SESSION_HAS_MAX_SSRCS;
	}
	if (tb[MBMS_SRTP_A_SESSION_SSRCS_HWM]) {
		s->ssrcs_hwm = nla_get_u32(tb[MBMS_SRTP_A_SESSION_SSRCS_HWM]);
		s->flags |= MBMS_SESSION_HAS_SSRCS_HWM;
	}
	if (tb[MBMS_SRTP_A_SESSION_RCC_MODE]) {
		s->rcc_mode = nla_get_u8(tb[MBMS_SRTP_A_SESSION_RCC_MODE]);
		s->flags |= MBMS_SESSION_HAS_RCC;
	}
	if (tb[MBMS_SRTP_A_SESSION_RCC_RATE])
		s->rcc_rate = nla_get_u16(tb[MBMS_SRTP_A_SESSION_RCC_RATE]);
	if (tb[MBMS_SRTP_A_SESSION_TAG_LEN]) {
		s->tag_len = nla_get_u8(tb[MBMS_SRTP_A_SESSION_TAG_LEN]);
		s->flags |= MBMS_SESSION_HAS_TAG_LEN;
	}
	if (tb[MBMS_SRTP_A_STATS]) {
		ret = parse_stats(tb[MBMS_SRTP_A_STATS], &s->stats);
		if (ret)
			return ret;
		s->flags |= MBMS_SESSION_HAS_STATS;
	}
	return 0;
}

/* Exactly one of the v4/v6 attributes, or neither (returns 0 then). */
static int get_addr(struct nlattr **tb, int type4, int type6,
		    struct mbms_addr *a)
{
	if (tb[type4] && tb[type6])
		return -EBADMSG;
	if (tb[type4]) {
		a->family = AF_INET;
		memcpy(&a->v4, nla_data(tb[type4]), 4);
		return 1;
	}
	if (tb[type6]) {
		a->family = AF_INET6;
		memcpy(&a->v6, nla_data(tb[type6]), 16);
		return 1;
	}
	return 0;
}

int mbms_msg_parse_flow(struct nlmsghdr *nlh, struct mbms_flow *f)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	int ret = parse_attrs(nlh, tb);

	memset(f, 0, sizeof(*f));
	if (ret)
		return ret;
	if (!tb[MBMS_SRTP_A_SESSION_ID] || !tb[MBMS_SRTP_A_FLOW_DPORT])
		return -EBADMSG;
	f->session_id = nla_get_u32(tb[MBMS_SRTP_A_SESSION_ID]);
	f->dport = nla_get_u16(tb[MBMS_SRTP_A_FLOW_DPORT]);
	if (get_addr(tb, MBMS_SRTP_A_FLOW_DST4, MBMS_SRTP_A_FLOW_DST6,
		     &f->dst) != 1)
		return -EBADMSG;
	ret = get_addr(tb, MBMS_SRTP_A_FLOW_SRC4, MBMS_SRTP_A_FLOW_SRC6,
		       &f->src);
	if (ret < 0)
		return ret;
	if (ret == 1)
		f->flags |= MBMS_FLOW_HAS_SRC;
	if (tb[MBMS_SRTP_A_FLOW_RTCP])
		f->flags |= MBMS_FLOW_RTCP;
	return 0;
}

int mbms_msg_parse_key(struct nlmsghdr *nlh, struct mbms_key *k)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	int ret = parse_attrs(nlh, tb);

	memset(k, 0, sizeof(*k));
	if (ret)
		return ret;
	if (!tb[MBMS_SRTP_A_SESSION_ID] || !tb[MBMS_SRTP_A_MSK_ID] ||
	    !tb[MBMS_SRTP_A_MTK_ID])
		return -EBADMSG;
	k->session_id = nla_get_u32(tb[MBMS_SRTP_A_SESSION_ID]);
	k->msk_id = nla_get_u32(tb[MBMS_SRTP_A_MSK_ID]);
	k->mtk_id = nla_get_u16(tb[MBMS_SRTP_A_MTK_ID]);
	if (tb[MBMS_SRTP_A_KEY_ROC]) {
		k->roc = nla_get_u32(tb[MBMS_SRTP_A_KEY_ROC]);
		k->flags |= MBMS_KEY_HAS_ROC;
	}
	if (tb[MBMS_SRTP_A_KEY_MAX_PACKETS]) {
		k->max_packets = nla_get_u64(tb[MBMS_SRTP_A_KEY_MAX_PACKETS]);
		k->flags |= MBMS_KEY_HAS_MAX_PACKETS;
	}
	if (tb[MBMS_SRTP_A_KEY_LIFETIME]) {
		k->lifetime = nla_get_u32(tb[MBMS_SRTP_A_KEY_LIFETIME]);
		k->flags |= MBMS_KEY_HAS_LIFETIME;
	}
	if (tb[MBMS_SRTP_A_KEY_PACKETS]) {
		k->packets = nla_get_u64(tb[MBMS_SRTP_A_KEY_PACKETS]);
		k->flags |= MBMS_KEY_HAS_PACKETS;
	}
	if (tb[MBMS_SRTP_A_KEY_AGE_MS]) {
		k->age_ms = nla_get_u64(tb[MBMS_SRTP_A_KEY_AGE_MS]);
		k->flags |= MBMS_KEY_HAS_AGE_MS;
	}
	if (tb[MBMS_SRTP_A_KEY_IDLE_MS]) {
		k->idle_ms = nla_get_u64(tb[MBMS_SRTP_A_KEY_IDLE_MS]);
		k->flags |= MBMS_KEY_HAS_IDLE_MS;
	}
	if (tb[MBMS_SRTP_A_KEY_EXPIRED])
		k->flags |= MBMS_KEY_EXPIRED;
	return 0;
}

int mbms_msg_parse_event(struct nlmsghdr *nlh, struct mbms_event *ev)
{
	struct nlattr *tb[MBMS_SRTP_A_MAX + 1];
	int ret = parse_attrs(nlh, tb);

	memset(ev, 0, sizeof(*ev));
	if (ret)
		return ret;
	ev->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (tb[MBMS_SRTP_A_SESSION_ID]) {
		ev->session_id = nla_get_u32(tb[MBMS_SRTP_A_SESSION_ID]);
		ev->flags |= MBMS_EVENT_HAS_SESSION_ID;
	}
	if (tb[MBMS_SRTP_A_MSK_ID]) {
		ev->msk_id = nla_get_u32(tb[MBMS_SRTP_A_MSK_ID]);
		ev->flags |= MBMS_EVENT_HAS_MSK_ID;
	}
	if (tb[MBMS_SRTP_A_MTK_ID]) {
		ev->mtk_id = nla_get_u16(tb[MBMS_SRTP_A_MTK_ID]);
		ev->flags |= MBMS_EVENT_HAS_MTK_ID;
	}
	if (tb[MBMS_SRTP_A_EVENT_REASON]) {
		ev->reason = nla_get_u8(tb[MBMS_SRTP_A_EVENT_REASON]);
		ev->flags |= MBMS_EVENT_HAS_REASON;
	}
	return 0;
}

/* ---- errors ------------------------------------------------------------- */

/* The attribute of @req that starts @off bytes into it, or 0. */
static uint16_t attr_at_offset(const struct nlmsghdr *req, uint32_t off)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *a;
	int rem;

	if (!req || off < hdr || off >= req->nlmsg_len)
		return 0;
	a = (const struct nlattr *)((const char *)req + hdr);
	rem = (int)(req->nlmsg_len - hdr);
	for (; nla_ok(a, rem); a = nla_next(a, &rem))
		if ((const char *)a - (const char *)req == (ptrdiff_t)off)
			return (uint16_t)nla_type(a);
	return 0;
}

static void parse_ext_ack(const struct nlattr *attrs, int len,
			  const struct nlmsghdr *req, struct mbms_nl_err *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)attrs,
				  len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		/* The kernel's text is NUL terminated; do not trust it is. */
		size_t n = (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]);

		if (n >= sizeof(err->msg))
			n = sizeof(err->msg) - 1;
		memcpy(err->msg, nla_data(tb[NLMSGERR_ATTR_MSG]), n);
		err->msg[n] = '\0';
		err->has_extack = err->msg[0] != '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4)
		err->bad_attr = attr_at_offset(req,
					       nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4)
		err->missing_attr =
			(uint16_t)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

void mbms_msg_parse_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, struct mbms_nl_err *err)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t hlen = sizeof(*e);

	memset(err, 0, sizeof(*err));
	err->from_kernel = true;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
		err->code = -EBADMSG;
		return;
	}
	err->code = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		size_t echo = e->msg.nlmsg_len;

		/* Checked before aligning, so that nothing can wrap. */
		if (echo < sizeof(struct nlmsghdr) || echo > nlh->nlmsg_len)
			return;
		hlen += NLMSG_ALIGN(echo - sizeof(struct nlmsghdr));
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + hlen)
		return;
	parse_ext_ack((const struct nlattr *)((const char *)e + hlen),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - hlen), req, err);
}

void mbms_msg_parse_done(const struct nlmsghdr *nlh, struct mbms_nl_err *err)
{
	const size_t hlen = NLMSG_ALIGN(sizeof(int));
	int code;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return;		/* an old-style DONE without a payload: OK */
	memcpy(&code, nlmsg_data(nlh), sizeof(code));
	if (code >= 0)
		return;
	err->from_kernel = true;
	err->code = code;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    nlh->nlmsg_len > NLMSG_HDRLEN + hlen)
		parse_ext_ack((const struct nlattr *)((const char *)
						      nlmsg_data(nlh) + hlen),
			      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - hlen),
			      NULL, err);
}
