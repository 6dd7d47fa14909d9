// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "mbms_srtp".  The policy table below must agree
 * with include/uapi/linux/mbms_srtp.h and
 * Documentation/netlink/specs/mbms_srtp.yaml; tests/unit/spec_check.py
 * checks that (keep one entry per line so that it can).
 *
 * 6.1 has no split ops, so one family-wide policy serves every command
 * and read-only attributes are NLA_REJECT.  Handlers run under the netns
 * lock.  Every command needs CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM), not merely in the netns's own: a user namespace
 * would hand the family, its parsers and unlimited per-netns state to any
 * local user (Documentation/design.rst, "User namespace access").
 */
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/mbms_srtp.h>

#include "compat.h"
#include "flow.h"
#include "key.h"
#include "netlink.h"
#include "netns.h"
#include "session.h"

static const struct nla_policy mbms_policy[MBMS_SRTP_A_MAX + 1] = {
	[MBMS_SRTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[MBMS_SRTP_A_SUITE] = NLA_POLICY_RANGE(NLA_U8, 1, MBMS_SRTP_SUITE_MAX),
	[MBMS_SRTP_A_MKI_LEN] = NLA_POLICY_MAX(NLA_U8, MBMS_SRTP_MKI_LEN_MAX),
	[MBMS_SRTP_A_REPLAY_WINDOW] = NLA_POLICY_RANGE(NLA_U16, MBMS_SRTP_WINDOW_MIN,
						       MBMS_SRTP_WINDOW_MAX),
	[MBMS_SRTP_A_MAX_KEYS] = NLA_POLICY_RANGE(NLA_U8, 1, MBMS_SRTP_MAX_KEYS_MAX),
	[MBMS_SRTP_A_ON_FAIL] = NLA_POLICY_MAX(NLA_U8, MBMS_SRTP_ON_FAIL_MAX),
	[MBMS_SRTP_A_SESSION_NKEYS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_SESSION_NFLOWS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_SESSION_NSSRCS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_STATS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_FLOW_DST4] = NLA_POLICY_EXACT_LEN(4),
	[MBMS_SRTP_A_FLOW_DST6] = NLA_POLICY_EXACT_LEN(16),
	[MBMS_SRTP_A_FLOW_SRC4] = NLA_POLICY_EXACT_LEN(4),
	[MBMS_SRTP_A_FLOW_SRC6] = NLA_POLICY_EXACT_LEN(16),
	[MBMS_SRTP_A_FLOW_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[MBMS_SRTP_A_FLOW_RTCP] = { .type = NLA_FLAG },
	[MBMS_SRTP_A_MSK_ID] = { .type = NLA_U32 },
	[MBMS_SRTP_A_MTK_ID] = { .type = NLA_U16 },
	[MBMS_SRTP_A_KEY_MASTER] = NLA_POLICY_EXACT_LEN(MBMS_SRTP_MASTER_KEY_LEN),
	[MBMS_SRTP_A_KEY_SALT] = NLA_POLICY_EXACT_LEN(MBMS_SRTP_MASTER_SALT_LEN),
	[MBMS_SRTP_A_KEY_ROC] = { .type = NLA_U32 },
	[MBMS_SRTP_A_KEY_MAX_PACKETS] = { .type = NLA_U64 },
	[MBMS_SRTP_A_KEY_LIFETIME] = { .type = NLA_U32 },
	[MBMS_SRTP_A_KEY_PACKETS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_KEY_AGE_MS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_KEY_IDLE_MS] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_KEY_EXPIRED] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_EVENT_REASON] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_PAD] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_MAX_SSRCS] = NLA_POLICY_RANGE(NLA_U16, 1, MBMS_SRTP_MAX_SSRCS_MAX),
	[MBMS_SRTP_A_SESSION_SSRCS_HWM] = { .type = NLA_REJECT },
	[MBMS_SRTP_A_SESSION_RCC_MODE] = NLA_POLICY_MAX(NLA_U8, MBMS_SRTP_RCC_MODE_MAX),
	[MBMS_SRTP_A_SESSION_RCC_RATE] = NLA_POLICY_MIN(NLA_U16, 1),
	[MBMS_SRTP_A_SESSION_TAG_LEN] = NLA_POLICY_RANGE(NLA_U8, MBMS_SRTP_TAG_LEN_MIN,
							 MBMS_SRTP_TAG_LEN_MAX),
};

static struct genl_family mbms_genl_family;

/* Set once the family is registered; the event worker checks it under RCU. */
static bool mbms_genl_up;

static struct mbms_net *mbms_info_net(struct genl_info *info)
{
	return mbms_net(genl_info_net(info));
}

/*
 * True if the attribute is present; otherwise report it missing, by type
 * and by name.  A macro because NL_SET_ERR_MSG() needs a literal.
 */
#define mbms_nl_require(info, attr, msg) ({				\
	struct genl_info *__info = (info);				\
	int __attr = (attr);						\
	bool __present = !!__info->attrs[__attr];			\
									\
	if (!__present) {						\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __attr);	\
		NL_SET_ERR_MSG(__info->extack, msg);			\
	}								\
	__present;							\
})

/*
 * Refusals at a per-netns limit name the module parameter, so that the
 * administrator knows which one to raise.
 */
#define MBMS_LIMIT_SESSIONS_MSG \
	"limit max_sessions of this network namespace reached (module parameter)"
#define MBMS_LIMIT_FLOWS_MSG \
	"limit max_flows of this network namespace reached (module parameter)"
#define MBMS_LIMIT_KEYS_MSG \
	"limit max_keys of this network namespace reached (module parameter)"

/* Look up the session named by SESSION_ID; sets extack on failure. */
static struct mbms_session *mbms_nl_session(struct mbms_net *mn,
					    struct genl_info *info)
{
	struct mbms_session *s;

	if (!mbms_nl_require(info, MBMS_SRTP_A_SESSION_ID,
			     "missing SESSION_ID"))
		return ERR_PTR(-EINVAL);
	s = mbms_session_find(mn,
			      nla_get_u32(info->attrs[MBMS_SRTP_A_SESSION_ID]));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MBMS_SRTP_A_SESSION_ID],
				    "no session with this SESSION_ID");
		return ERR_PTR(-ENOENT);
	}
	return s;
}

static int mbms_nl_put_stats(struct sk_buff *skb, struct mbms_session *s)
{
	u64 sum[MBMS_STAT_NUM];
	struct nlattr *nest;
	unsigned int a;

	mbms_stats_sum(&s->stats, sum);
	nest = nla_nest_start(skb, MBMS_SRTP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (a = MBMS_SRTP_STATS_A_PACKETS; a <= MBMS_SRTP_STATS_A_MAX; a++)
		if (a != MBMS_SRTP_STATS_A_PAD &&
		    nla_put_u64_64bit(skb, a, sum[MBMS_STAT(a)],
				      MBMS_SRTP_STATS_A_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int mbms_nl_fill_session(struct sk_buff *skb, struct mbms_session *s,
				u32 portid, u32 seq, int flags,
				struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mbms_genl_family, flags,
			  MBMS_SRTP_CMD_SESSION_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, MBMS_SRTP_A_SESSION_ID, s->p.id) ||
	    nla_put_u8(skb, MBMS_SRTP_A_SUITE, s->p.suite) ||
	    nla_put_u8(skb, MBMS_SRTP_A_MKI_LEN, s->p.mki_len) ||
	    nla_put_u16(skb, MBMS_SRTP_A_REPLAY_WINDOW, s->p.window) ||
	    nla_put_u8(skb, MBMS_SRTP_A_MAX_KEYS, s->p.max_keys) ||
	    nla_put_u8(skb, MBMS_SRTP_A_ON_FAIL, s->p.on_fail) ||
	    nla_put_u16(skb, MBMS_SRTP_A_MAX_SSRCS, s->p.max_ssrcs) ||
	    nla_put_u32(skb, MBMS_SRTP_A_SESSION_NKEYS, s->nkeys) ||
	    nla_put_u32(skb, MBMS_SRTP_A_SESSION_NFLOWS, s->nflows) ||
	    nla_put_u32(skb, MBMS_SRTP_A_SESSION_NSSRCS,
			atomic_read(&s->nssrcs)) ||
	    nla_put_u32(skb, MBMS_SRTP_A_SESSION_SSRCS_HWM,
			READ_ONCE(s->ssrcs_hwm)) ||
	    nla_put_u8(skb, MBMS_SRTP_A_SESSION_RCC_MODE, s->p.rcc_mode) ||
	    (s->p.rcc_mode &&
	     nla_put_u16(skb, MBMS_SRTP_A_SESSION_RCC_RATE, s->p.rcc_rate)) ||
	    nla_put_u8(skb, MBMS_SRTP_A_SESSION_TAG_LEN, s->p.tag_len) ||
	    mbms_nl_put_stats(skb, s))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static u8 mbms_nl_get_u8(struct genl_info *info, int attr, u8 def)
{
	return info->attrs[attr] ? nla_get_u8(info->attrs[attr]) : def;
}

/*
 * RFC 4771: R is needed with a mode and meaningless without one.  Modes 1
 * and 2 authenticate an RCC packet with the first n_tag - 4 bytes of the
 * MAC; with the 32-bit suite that is nothing at all (the RCC packet is
 * ROC only, as VLC sends it).  Both are accepted: mode 1 then has no
 * integrity on any packet and is handled exactly as mode 3 (mbmsctl
 * warns); in mode 2 the unauthenticated ROC is only a hint that an
 * authenticated packet must confirm before the SSRC state moves (rx.c).
 */
static bool mbms_nl_session_rcc(struct genl_info *info,
				struct mbms_session_params *p)
{
	struct nlattr *mode = info->attrs[MBMS_SRTP_A_SESSION_RCC_MODE];
	struct nlattr *rate = info->attrs[MBMS_SRTP_A_SESSION_RCC_RATE];

	p->rcc_mode = mode ? nla_get_u8(mode) : 0;
	p->rcc_rate = rate ? nla_get_u16(rate) : 0;
	if (!p->rcc_mode && rate) {
		NL_SET_ERR_MSG_ATTR(info->extack, rate,
				    "SESSION_RCC_RATE without SESSION_RCC_MODE 1..3");
		return false;
	}
	if (p->rcc_mode && !rate) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     MBMS_SRTP_A_SESSION_RCC_RATE);
		NL_SET_ERR_MSG(info->extack,
			       "SESSION_RCC_MODE 1..3 needs SESSION_RCC_RATE");
		return false;
	}
	return true;
}

/*
 * The SRTP tag length: the suite's unless SESSION_TAG_LEN says otherwise
 * (TS 33.246 section 6.6.2.1 NOTE 3: 14 bytes, ROC || 10-byte MAC, with
 * RCCm1 and RCCm2).  Any length is HMAC-SHA1 truncated (RFC 3711 section
 * 4.2); SRTCP keeps the suite's 10 bytes (section 6.6.2.1A).  A 4-byte tag
 * is the 32-bit suite and the 32-bit suite has no other: refused, so that
 * the suite alone tells a 4-byte tag (mbms_nl_session_rcc()).
 */
static bool mbms_nl_session_tag(struct genl_info *info,
				struct mbms_session_params *p)
{
	struct nlattr *tag = info->attrs[MBMS_SRTP_A_SESSION_TAG_LEN];
	bool sha1_32 = p->suite == MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;

	p->tag_len = sha1_32 ? 4 : 10;
	if (!tag)
		return true;
	if (sha1_32 && nla_get_u8(tag) != 4) {
		NL_SET_ERR_MSG_ATTR(info->extack, tag,
				    "SESSION_TAG_LEN: the 32-bit suite's SRTP tag is 4 bytes");
		return false;
	}
	if (!sha1_32 && nla_get_u8(tag) == 4) {
		NL_SET_ERR_MSG_ATTR(info->extack, tag,
				    "SESSION_TAG_LEN 4 is the 32-bit suite: give SUITE instead");
		return false;
	}
	p->tag_len = nla_get_u8(tag);
	return true;
}

static int mbms_nl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_session_params p;
	int err;

	if (!mbms_nl_require(info, MBMS_SRTP_A_SESSION_ID,
			     "missing SESSION_ID"))
		return -EINVAL;
	p.id = nla_get_u32(info->attrs[MBMS_SRTP_A_SESSION_ID]);
	p.suite = mbms_nl_get_u8(info, MBMS_SRTP_A_SUITE,
				 MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
	p.mki_len = mbms_nl_get_u8(info, MBMS_SRTP_A_MKI_LEN,
				   MBMS_SRTP_MKI_LEN_DEFAULT);
	p.window = info->attrs[MBMS_SRTP_A_REPLAY_WINDOW] ?
		   nla_get_u16(info->attrs[MBMS_SRTP_A_REPLAY_WINDOW]) :
		   MBMS_SRTP_WINDOW_DEFAULT;
	p.max_keys = mbms_nl_get_u8(info, MBMS_SRTP_A_MAX_KEYS,
				    MBMS_SRTP_MAX_KEYS_DEFAULT);
	p.on_fail = mbms_nl_get_u8(info, MBMS_SRTP_A_ON_FAIL,
				   MBMS_SRTP_ON_FAIL_DROP);
	p.max_ssrcs = info->attrs[MBMS_SRTP_A_MAX_SSRCS] ?
		      nla_get_u16(info->attrs[MBMS_SRTP_A_MAX_SSRCS]) :
		      MBMS_SRTP_MAX_SSRCS_DEFAULT;
	if (!mbms_nl_session_tag(info, &p))
		return -EINVAL;
	if (!mbms_nl_session_rcc(info, &p))
		return -EINVAL;

	mutex_lock(&mn->lock);
	err = mbms_session_create(mn, &p);
	mutex_unlock(&mn->lock);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MBMS_SRTP_A_SESSION_ID],
				    "SESSION_ID already in use");
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, MBMS_LIMIT_SESSIONS_MSG);
	return err;
}

static int mbms_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_session *s;
	int err = 0;

	mutex_lock(&mn->lock);
	s = mbms_nl_session(mn, info);
	if (IS_ERR(s))
		err = PTR_ERR(s);
	else
		err = mbms_session_delete(mn, s->p.id);
	mutex_unlock(&mn->lock);
	return err;
}

static int mbms_nl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_session *s;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&mn->lock);
	s = mbms_nl_session(mn, info);
	if (IS_ERR(s))
		err = PTR_ERR(s);
	else
		err = mbms_nl_fill_session(msg, s, info->snd_portid,
					   info->snd_seq, 0, NULL);
	mutex_unlock(&mn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int mbms_nl_session_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct mbms_net *mn = mbms_net(sock_net(skb->sk));
	unsigned long id = cb->args[0];
	struct mbms_session *s;
	int err = 0;

	mutex_lock(&mn->lock);
	cb->seq = mn->dump_gen;
	xa_for_each_start(&mn->sessions, id, s, cb->args[0]) {
		err = mbms_nl_fill_session(skb, s,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&mn->lock);
	return err && !skb->len ? err : skb->len;
}

/* FLOW_DST4/6, FLOW_SRC4/6 and FLOW_DPORT into a flow key. */
static int mbms_nl_flow_key(struct genl_info *info, struct mbms_flow_key *k)
{
	struct nlattr **a = info->attrs;
	struct nlattr *src;

	memset(k, 0, sizeof(*k));
	if (a[MBMS_SRTP_A_FLOW_DST4] && a[MBMS_SRTP_A_FLOW_DST6]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[MBMS_SRTP_A_FLOW_DST6],
				    "give FLOW_DST4 or FLOW_DST6, not both");
		return -EINVAL;
	}
	if (a[MBMS_SRTP_A_FLOW_DST4]) {
		k->family = AF_INET;
		k->dst.v4 = nla_get_in_addr(a[MBMS_SRTP_A_FLOW_DST4]);
		if (a[MBMS_SRTP_A_FLOW_SRC6]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[MBMS_SRTP_A_FLOW_SRC6],
					    "FLOW_SRC6 with an IPv4 FLOW_DST4");
			return -EINVAL;
		}
		src = a[MBMS_SRTP_A_FLOW_SRC4];
		if (src)
			k->src.v4 = nla_get_in_addr(src);
	} else if (a[MBMS_SRTP_A_FLOW_DST6]) {
		k->family = AF_INET6;
		k->dst.v6 = nla_get_in6_addr(a[MBMS_SRTP_A_FLOW_DST6]);
		if (a[MBMS_SRTP_A_FLOW_SRC4]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[MBMS_SRTP_A_FLOW_SRC4],
					    "FLOW_SRC4 with an IPv6 FLOW_DST6");
			return -EINVAL;
		}
		src = a[MBMS_SRTP_A_FLOW_SRC6];
		if (src)
			k->src.v6 = nla_get_in6_addr(src);
	} else {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     MBMS_SRTP_A_FLOW_DST4);
		NL_SET_ERR_MSG(info->extack,
			       "missing FLOW_DST4 or FLOW_DST6");
		return -EINVAL;
	}
	/* all-zero is how the table spells "any source" */
	if (src && !memchr_inv(&k->src, 0, sizeof(k->src))) {
		NL_SET_ERR_MSG_ATTR(info->extack, src,
				    "unspecified source address; omit FLOW_SRC4/6 for any source");
		return -EINVAL;
	}
	if (!mbms_nl_require(info, MBMS_SRTP_A_FLOW_DPORT,
			     "missing FLOW_DPORT"))
		return -EINVAL;
	k->dport = htons(nla_get_u16(a[MBMS_SRTP_A_FLOW_DPORT]));
	return 0;
}

static int mbms_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_flow_key key;
	struct mbms_session *s;
	int err;

	err = mbms_nl_flow_key(info, &key);
	if (err)
		return err;
	mutex_lock(&mn->lock);
	s = mbms_nl_session(mn, info);
	if (IS_ERR(s)) {
		err = PTR_ERR(s);
		goto out;
	}
	err = mbms_flow_add(mn, &key, s,
			    nla_get_flag(info->attrs[MBMS_SRTP_A_FLOW_RTCP]));
	if (err == -EEXIST)
		NL_SET_ERR_MSG(info->extack,
			       "a flow with this FLOW_DST, FLOW_DPORT and FLOW_SRC exists");
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, MBMS_LIMIT_FLOWS_MSG);
out:
	mutex_unlock(&mn->lock);
	return err;
}

static int mbms_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_flow_key key;
	int err;

	err = mbms_nl_flow_key(info, &key);
	if (err)
		return err;
	mutex_lock(&mn->lock);
	err = mbms_flow_del(mn, &key);
	mutex_unlock(&mn->lock);
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack,
			       "no flow with this FLOW_DST, FLOW_DPORT and FLOW_SRC");
	return err;
}

/* An address of the key's family, as the IPv4 or the IPv6 attribute. */
static int mbms_nl_put_addr(struct sk_buff *skb, u8 family, int attr4,
			    int attr6, const union mbms_addr *addr)
{
	if (family == AF_INET)
		return nla_put_in_addr(skb, attr4, addr->v4);
	return nla_put_in6_addr(skb, attr6, &addr->v6);
}

static int mbms_nl_fill_flow(struct sk_buff *skb, const struct mbms_flow *f,
			     struct netlink_callback *cb)
{
	const struct mbms_flow_key *k = &f->key;
	bool has_src = memchr_inv(&k->src, 0, sizeof(k->src));
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mbms_genl_family, NLM_F_MULTI, MBMS_SRTP_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, MBMS_SRTP_A_SESSION_ID, f->session->p.id) ||
	    mbms_nl_put_addr(skb, k->family, MBMS_SRTP_A_FLOW_DST4,
			     MBMS_SRTP_A_FLOW_DST6, &k->dst) ||
	    nla_put_u16(skb, MBMS_SRTP_A_FLOW_DPORT, ntohs(k->dport)) ||
	    (has_src &&
	     mbms_nl_put_addr(skb, k->family, MBMS_SRTP_A_FLOW_SRC4,
			      MBMS_SRTP_A_FLOW_SRC6, &k->src)) ||
	    (f->rtcp && nla_put_flag(skb, MBMS_SRTP_A_FLOW_RTCP)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int mbms_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mbms_net *mn = mbms_net(sock_net(skb->sk));
	const struct mbms_flow *f;
	long i = 0;
	int err = 0;

	/*
	 * Resumed by position: a flow deleted meanwhile shifts the list, so
	 * the change is flagged (NLM_F_DUMP_INTR) for the reader to retry.
	 */
	mutex_lock(&mn->lock);
	cb->seq = mn->dump_gen;
	list_for_each_entry(f, &mn->flow_list, list) {
		if (i++ < cb->args[0])
			continue;
		err = mbms_nl_fill_flow(skb, f, cb);
		if (err)
			break;
		cb->args[0] = i;
	}
	mutex_unlock(&mn->lock);
	return err && !skb->len ? err : skb->len;
}

static int mbms_nl_key_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct nlattr **a = info->attrs;
	struct mbms_key_params p = { 0 };
	struct mbms_session *s;
	struct mbms_key *key;
	int err = -EINVAL;

	if (!mbms_nl_require(info, MBMS_SRTP_A_MSK_ID, "missing MSK_ID") ||
	    !mbms_nl_require(info, MBMS_SRTP_A_MTK_ID, "missing MTK_ID") ||
	    !mbms_nl_require(info, MBMS_SRTP_A_KEY_MASTER,
			     "missing KEY_MASTER") ||
	    !mbms_nl_require(info, MBMS_SRTP_A_KEY_SALT, "missing KEY_SALT"))
		return -EINVAL;
	p.msk_id = nla_get_u32(a[MBMS_SRTP_A_MSK_ID]);
	p.mtk_id = nla_get_u16(a[MBMS_SRTP_A_MTK_ID]);
	nla_memcpy(p.master, a[MBMS_SRTP_A_KEY_MASTER], sizeof(p.master));
	nla_memcpy(p.salt, a[MBMS_SRTP_A_KEY_SALT], sizeof(p.salt));
	if (a[MBMS_SRTP_A_KEY_ROC])
		p.roc = nla_get_u32(a[MBMS_SRTP_A_KEY_ROC]);
	if (a[MBMS_SRTP_A_KEY_MAX_PACKETS])
		p.max_packets = nla_get_u64(a[MBMS_SRTP_A_KEY_MAX_PACKETS]);
	if (a[MBMS_SRTP_A_KEY_LIFETIME])
		p.lifetime = nla_get_u32(a[MBMS_SRTP_A_KEY_LIFETIME]);

	mutex_lock(&mn->lock);
	s = mbms_nl_session(mn, info);
	if (IS_ERR(s)) {
		err = PTR_ERR(s);
		goto out;
	}
	switch (mbms_key_conflict(s, p.msk_id, p.mtk_id)) {
	case MBMS_KEY_SAME_IDS:
		NL_SET_ERR_MSG_ATTR(info->extack, a[MBMS_SRTP_A_MTK_ID],
				    "key with this MSK_ID and MTK_ID already installed; delete it first");
		err = -EEXIST;
		goto out;
	case MBMS_KEY_SAME_MKI:
		NL_SET_ERR_MSG_ATTR(info->extack, a[MBMS_SRTP_A_MTK_ID],
				    "MKI of MSK_ID/MTK_ID (last mki-len bytes) matches an installed key");
		err = -EEXIST;
		goto out;
	case MBMS_KEY_OK:
		break;
	}
	if (mbms_key_adds(s) &&
	    mn->nkeys >= READ_ONCE(mbms_max_keys)) {
		NL_SET_ERR_MSG(info->extack, MBMS_LIMIT_KEYS_MSG);
		err = -ENOSPC;
		goto out;
	}
	key = mbms_key_create(&p);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		NL_SET_ERR_MSG(info->extack,
			       "cannot set up AES-CM/HMAC-SHA1 for KEY_MASTER");
		goto out;
	}
	mbms_key_install(s, key);
	err = 0;
out:
	mutex_unlock(&mn->lock);
	memzero_explicit(&p, sizeof(p));
	return err;
}

static int mbms_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mbms_net *mn = mbms_info_net(info);
	struct mbms_session *s;
	int err;

	if (!mbms_nl_require(info, MBMS_SRTP_A_MSK_ID, "missing MSK_ID") ||
	    !mbms_nl_require(info, MBMS_SRTP_A_MTK_ID, "missing MTK_ID"))
		return -EINVAL;
	mutex_lock(&mn->lock);
	s = mbms_nl_session(mn, info);
	if (IS_ERR(s)) {
		err = PTR_ERR(s);
		goto out;
	}
	err = mbms_key_remove(s, nla_get_u32(info->attrs[MBMS_SRTP_A_MSK_ID]),
			      nla_get_u16(info->attrs[MBMS_SRTP_A_MTK_ID]));
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MBMS_SRTP_A_MTK_ID],
				    "no key with this MSK_ID and MTK_ID");
out:
	mutex_unlock(&mn->lock);
	return err;
}

static int mbms_nl_fill_key(struct sk_buff *skb, const struct mbms_session *s,
			    const struct mbms_key *k,
			    struct netlink_callback *cb)
{
	u64 now = get_jiffies_64();
	u64 last = READ_ONCE(k->last_used);
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mbms_genl_family, NLM_F_MULTI, MBMS_SRTP_CMD_KEY_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, MBMS_SRTP_A_SESSION_ID, s->p.id) ||
	    nla_put_u32(skb, MBMS_SRTP_A_MSK_ID, k->msk_id) ||
	    nla_put_u16(skb, MBMS_SRTP_A_MTK_ID, k->mtk_id) ||
	    nla_put_u32(skb, MBMS_SRTP_A_KEY_ROC, k->roc) ||
	    nla_put_u64_64bit(skb, MBMS_SRTP_A_KEY_MAX_PACKETS,
			      k->max_packets, MBMS_SRTP_A_PAD) ||
	    nla_put_u32(skb, MBMS_SRTP_A_KEY_LIFETIME, k->lifetime) ||
	    nla_put_u64_64bit(skb, MBMS_SRTP_A_KEY_PACKETS,
			      atomic64_read(&k->packets), MBMS_SRTP_A_PAD) ||
	    nla_put_u64_64bit(skb, MBMS_SRTP_A_KEY_AGE_MS,
			      jiffies64_to_msecs(now - k->installed),
			      MBMS_SRTP_A_PAD) ||
	    (test_bit(MBMS_KEY_USED, &k->flags) &&
	     nla_put_u64_64bit(skb, MBMS_SRTP_A_KEY_IDLE_MS,
			       jiffies64_to_msecs(now - last),
			       MBMS_SRTP_A_PAD)) ||
	    (mbms_key_expired(k, false) &&
	     nla_put_flag(skb, MBMS_SRTP_A_KEY_EXPIRED)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * cb->args[0]: next session ID; cb->args[1]: next key slot in it.  The
 * slot applies to that session only: if it was deleted meanwhile, the
 * next one is dumped from slot 0 (and the change is flagged).
 */
static int mbms_nl_key_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mbms_net *mn = mbms_net(sock_net(skb->sk));
	struct nlattr **attrs = mbms_compat_dump_attrs(cb);
	unsigned long id = cb->args[0], last = ULONG_MAX;
	struct mbms_session *s;
	struct mbms_key *k;
	unsigned int i;
	int err = 0;

	if (attrs && attrs[MBMS_SRTP_A_SESSION_ID]) {
		last = nla_get_u32(attrs[MBMS_SRTP_A_SESSION_ID]);
		if (!cb->args[0])
			cb->args[0] = last;
	}
	mutex_lock(&mn->lock);
	cb->seq = mn->dump_gen;
	xa_for_each_range(&mn->sessions, id, s, cb->args[0], last) {
		if (id != cb->args[0])
			cb->args[1] = 0;
		for (i = cb->args[1]; i < MBMS_SRTP_MAX_KEYS_MAX; i++) {
			k = rcu_dereference_protected(s->keys[i],
						      lockdep_is_held(&mn->lock));
			if (!k)
				continue;
			err = mbms_nl_fill_key(skb, s, k, cb);
			if (err)
				goto out;
			cb->args[1] = i + 1;
		}
		cb->args[0] = id + 1;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&mn->lock);
	return err && !skb->len ? err : skb->len;
}

static const struct genl_small_ops mbms_genl_ops[] = {
	{
		.cmd = MBMS_SRTP_CMD_SESSION_NEW,
		.doit = mbms_nl_session_new,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_SESSION_DEL,
		.doit = mbms_nl_session_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_SESSION_GET,
		.doit = mbms_nl_session_get,
		.dumpit = mbms_nl_session_dump,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_FLOW_NEW,
		.doit = mbms_nl_flow_new,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_FLOW_DEL,
		.doit = mbms_nl_flow_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_FLOW_GET,
		.dumpit = mbms_nl_flow_dump,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_KEY_NEW,
		.doit = mbms_nl_key_new,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_KEY_DEL,
		.doit = mbms_nl_key_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MBMS_SRTP_CMD_KEY_GET,
		.dumpit = mbms_nl_key_dump,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mbms_genl_mcgrps[] = {
	{ .name = MBMS_SRTP_MCGRP_EVENTS, MBMS_COMPAT_MCGRP_FLAGS },
};

static struct genl_family mbms_genl_family __ro_after_init = {
	.name = MBMS_SRTP_GENL_NAME,
	.version = MBMS_SRTP_GENL_VERSION,
	.maxattr = MBMS_SRTP_A_MAX,
	.policy = mbms_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = mbms_genl_ops,
	.n_small_ops = ARRAY_SIZE(mbms_genl_ops),
	/* .resv_start_op 0: reserved header fields validated for every command */
	.mcgrps = mbms_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mbms_genl_mcgrps),
};

/**
 * mbms_genl_key_needed() - multicast one KEY_NEEDED_NTF
 * @net: the session's namespace
 * @session_id: session ID
 * @msk_id: MSK ID
 * @mtk_id: MTK ID
 * @reason: enum mbms_srtp_event_reason
 *
 * Called from the event worker (process context).  Dropped silently when
 * nobody listens or the family is going away.
 */
void mbms_genl_key_needed(struct net *net, u32 session_id, u32 msk_id,
			  u16 mtk_id, u8 reason)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mbms_genl_family, 0,
			  MBMS_SRTP_CMD_KEY_NEEDED_NTF);
	if (!hdr ||
	    nla_put_u32(msg, MBMS_SRTP_A_SESSION_ID, session_id) ||
	    nla_put_u32(msg, MBMS_SRTP_A_MSK_ID, msk_id) ||
	    nla_put_u16(msg, MBMS_SRTP_A_MTK_ID, mtk_id) ||
	    nla_put_u8(msg, MBMS_SRTP_A_EVENT_REASON, reason)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);

	/* unregistering clears mbms_genl_up, then waits for us */
	rcu_read_lock();
	if (READ_ONCE(mbms_genl_up))
		genlmsg_multicast_netns(&mbms_genl_family, net, msg, 0, 0,
					GFP_ATOMIC);
	else
		nlmsg_free(msg);
	rcu_read_unlock();
}

/**
 * mbms_genl_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int mbms_genl_init(void)
{
	int err = genl_register_family(&mbms_genl_family);

	if (!err)
		WRITE_ONCE(mbms_genl_up, true);
	return err;
}

/**
 * mbms_genl_exit() - unregister the family
 */
void mbms_genl_exit(void)
{
	WRITE_ONCE(mbms_genl_up, false);
	synchronize_rcu();
	genl_unregister_family(&mbms_genl_family);
}
