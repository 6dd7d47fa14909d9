// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path.  Runs under rcu_read_lock() from the netfilter hook,
 * never sleeps and never allocates (except that a non-linear or cloned
 * skb must first be made linear and private, see mbms_rx()).
 *
 * Order of checks, cheapest and least trusting first: lengths and header
 * fields; key by MKI; key limits; replay pre-check against the SSRC state
 * (changes nothing); the tag, once, in constant time; the packet limit,
 * reserved atomically (exact however many CPUs race); decrypt in place;
 * RTP padding; then, and only then, the SSRC state is updated (a second
 * replay check under the SSRC lock closes the race with another CPU, and
 * a new SSRC is refused when every slot holds live state).  A
 * failure after decryption re-applies the keystream so that on-fail pass
 * still hands the packet on unchanged.
 *
 * RFC 4771 (ROC carriage, session RCC mode 1..3, rate R): a packet with
 * SEQ mod R = 0 (an "RCC packet") carries the sender's ROC in its tag and
 * is checked and decrypted at index ROC || SEQ whatever the SSRC state
 * says, so that, once it has authenticated and passed the replay check,
 * it sets the ROC of a new SSRC (a late joiner: the key's ROC does not
 * matter) or corrects that of a known one (after a loss of 2^15 packets
 * or more).  Packets without integrity (modes 1 and 3 off the RCC
 * packets) are decrypted at the RFC 3711 estimate, only for an SSRC that
 * is in sync already (else dropped as ROC_UNKNOWN), and never move the
 * SSRC state; mode 3 RCC packets, which have no integrity either, do: it
 * is what mode 3 is for (see the threat model in design.rst).
 *
 * With the 32-bit tag (n_tag = 4), RCC packets in modes 1 and 2 carry
 * ROC || the MAC truncated by 4 bytes, i.e. the ROC and no MAC at all
 * (RFC 4771 section 3; VLC's sender does the same).  Mode 1 then has no
 * integrity on any packet: it is mode 3 on the wire and follows mode 3's
 * rules (its RCC packets set the SSRC state).  Mode 2 still authenticates
 * every other packet, so an unauthenticated ROC must never move the state
 * (one forged RCC packet would make every later genuine packet fail): an
 * RCC packet records the ROC it carries as a hint for its SSRC
 * (mbms_ssrc_hint_set(): no slot, no allocation, no lock) and is itself
 * treated as a packet without integrity: decrypted only if the SSRC is in
 * sync and the ROC equals the RFC 3711 estimate, moving nothing, else
 * dropped (ROC_UNKNOWN out of sync, AUTH if it disagrees).  A packet
 * whose tag fails at the estimated index is tried once more at the
 * hinted ROC if that differs (mbms_rx_auth_hint()); only if the tag
 * verifies there, and the replay checks pass, does the state move, as for
 * any authenticated packet.  A late joiner or a receiver after a long
 * loss is thus in sync from the first authenticated packet after an RCC
 * packet, and a forged ROC costs at most one HMAC per packet.
 *
 * GSO skbs never get here: the hook splits them first and hands each
 * segment back to the stack (gso.c), so every skb seen here carries one
 * SRTP or SRTCP packet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "compat.h"
#include "events.h"
#include "flow.h"
#include "key.h"
#include "rx.h"
#include "session.h"
#include "timing.h"

#define RTP_HDR_LEN		12
#define RTP_VERSION		2
#define RTCP_HDR_LEN		8
#define SRTCP_E_INDEX_LEN	4
#define RTCP_PT_FIRST		192	/* RFC 5761 section 4: 192..223 */
#define RTCP_PT_LAST		223

/**
 * struct mbms_rx_ctx - one packet being processed
 * @s: its session
 * @key: its key
 * @pl: UDP payload
 * @len: UDP payload length
 * @auth_len: bytes covered by the tag, from @pl
 * @enc_off: start of the encrypted part, from @pl
 * @enc_len: length of the encrypted part
 * @new_len: payload length once MKI, tag (and E||index) are stripped
 * @mki: the MKI bytes in the packet
 * @tag: the tag in the packet
 * @tag_len: its length on the wire
 * @mac_off: offset of the MAC in @tag (4 after an RCC packet's ROC)
 * @mac_len: MAC bytes to verify; 0 for a packet without integrity
 * @rcc: an RFC 4771 RCC packet: @tag starts with the sender's ROC
 * @hint: an RCC packet whose ROC no MAC covers although the session's
 *	other packets are authenticated (mode 2, 32-bit tag): that ROC is
 *	a hint only (@rcc is false)
 * @ssrc: SSRC
 * @seq: RTP sequence number
 * @index: SRTP packet index or SRTCP index
 * @rtcp: SRTCP
 * @encrypted: the encrypted part is encrypted (SRTCP E flag)
 * @padded: RTP P bit
 */
struct mbms_rx_ctx {
	struct mbms_session *s;
	struct mbms_key *key;
	u8 *pl;
	unsigned int len;
	unsigned int auth_len;
	unsigned int enc_off;
	unsigned int enc_len;
	unsigned int new_len;
	const u8 *mki;
	const u8 *tag;
	unsigned int tag_len;
	unsigned int mac_off;
	unsigned int mac_len;
	bool rcc;
	bool hint;
	u32 ssrc;
	u16 seq;
	u64 index;
	bool rtcp;
	bool encrypted;
	bool padded;
};

/* RFC 4771 mode 2 with the 32-bit tag: RCC packets carry an unsigned ROC */
static bool mbms_rx_hinted(const struct mbms_session *s)
{
	return s->p.rcc_mode == 2 && s->srtp_tag_len == 4;
}

/*
 * The SRTP tag of this packet (RFC 4771 section 3): mode 0, and mode 2
 * off the RCC packets, the RFC 3711 tag; RCC packets in mode 1 and 2
 * ROC || MAC truncated by 4 bytes (same length), in mode 3 the ROC only;
 * other packets in mode 1 and 3 none.  With the 32-bit tag the truncated
 * MAC is empty: mode 1 RCC packets are mode 3's, mode 2 ones give a hint
 * (see mbms_rx()).  Sets @mac_off, @mac_len, @rcc, @hint.
 */
static unsigned int mbms_rx_rtp_tag(struct mbms_rx_ctx *c)
{
	const struct mbms_session_params *p = &c->s->p;
	unsigned int n = c->s->srtp_tag_len;

	c->mac_off = 0;
	c->mac_len = n;
	if (!p->rcc_mode)
		return n;
	c->rcc = c->seq % p->rcc_rate == 0;
	if (c->rcc) {
		c->mac_off = 4;
		c->mac_len = p->rcc_mode == 3 ? 0 : n - 4;
		if (mbms_rx_hinted(c->s)) {
			c->rcc = false;
			c->hint = true;
		}
		return 4 + c->mac_len;
	}
	if (p->rcc_mode == 2)
		return n;
	c->mac_len = 0;
	return 0;
}

/* RFC 3550 section 5.1 header, with MKI and tag after the payload. */
static bool mbms_rx_parse_rtp(struct mbms_rx_ctx *c)
{
	unsigned int trailer, tag_len, hdr;
	u8 b0;

	if (c->len < RTP_HDR_LEN)
		return false;
	c->seq = get_unaligned_be16(c->pl + 2);
	tag_len = mbms_rx_rtp_tag(c);
	trailer = c->s->p.mki_len + tag_len;
	if (c->len < RTP_HDR_LEN + trailer)
		return false;
	b0 = c->pl[0];
	if (b0 >> 6 != RTP_VERSION)
		return false;
	hdr = RTP_HDR_LEN + 4 * (b0 & 0x0f);
	if (c->len < hdr + trailer)
		return false;
	if (b0 & 0x10) {
		if (c->len < hdr + 4 + trailer)
			return false;
		hdr += 4 + 4 * get_unaligned_be16(c->pl + hdr + 2);
		if (c->len < hdr + trailer)
			return false;
	}
	c->padded = b0 & 0x20;
	c->ssrc = get_unaligned_be32(c->pl + 8);
	c->auth_len = c->len - trailer;
	c->enc_off = hdr;
	c->enc_len = c->auth_len - hdr;
	c->encrypted = true;
	c->mki = c->pl + c->auth_len;
	c->tag = c->mki + c->s->p.mki_len;
	c->tag_len = tag_len;
	c->new_len = c->auth_len;
	/* a padded packet needs at least the padding count octet */
	return !c->padded || c->enc_len > 0;
}

/* RFC 3711 section 3.4: header || enc part || E|index || MKI || tag. */
static bool mbms_rx_parse_rtcp(struct mbms_rx_ctx *c)
{
	unsigned int trailer = SRTCP_E_INDEX_LEN + c->s->p.mki_len +
			       MBMS_SRTCP_TAG_LEN;
	u32 ei;

	if (c->len < RTCP_HDR_LEN + trailer)
		return false;
	if (c->pl[0] >> 6 != RTP_VERSION ||
	    c->pl[1] < RTCP_PT_FIRST || c->pl[1] > RTCP_PT_LAST)
		return false;
	c->ssrc = get_unaligned_be32(c->pl + 4);
	c->new_len = c->len - trailer;
	ei = get_unaligned_be32(c->pl + c->new_len);
	c->encrypted = ei >> 31;
	c->index = ei & 0x7fffffff;
	c->auth_len = c->new_len + SRTCP_E_INDEX_LEN;
	c->enc_off = RTCP_HDR_LEN;
	c->enc_len = c->new_len - RTCP_HDR_LEN;
	c->mki = c->pl + c->auth_len;
	c->tag = c->mki + c->s->p.mki_len;
	c->tag_len = MBMS_SRTCP_TAG_LEN;
	c->mac_len = MBMS_SRTCP_TAG_LEN;
	return true;
}

/*
 * The tag covers header || payload || ROC for SRTP (RFC 3711 section 4.2)
 * and header || payload || E||index for SRTCP, which is contiguous in the
 * packet.  For SRTP the ROC is written over the 4 bytes that follow the
 * authenticated portion (MKI and tag, at least 4 bytes since the tag is;
 * the tag is copied first as the MKI may be shorter) so that the HMAC is
 * one digest over one buffer; the bytes are put back before returning, so
 * a failed packet is handed on unchanged.  Writable: see mbms_rx().
 * An RFC 4771 RCC packet is checked the same way with the ROC it carries
 * (in @c->index), against the @mac_len bytes that follow that ROC; its
 * tag, at least 5 bytes then (SESSION_TAG_LEN, netlink.c; with the
 * 32-bit tag the MAC is empty and this is not called), still has room
 * for the ROC.  Tags are at most MBMS_HMAC_LEN bytes (the policy's
 * MBMS_SRTP_TAG_LEN_MAX), so @tag and @mac hold any of them.
 */
static bool mbms_rx_auth(const struct mbms_rx_ctx *c,
			 const struct mbms_cipher *cipher)
{
	u8 mac[MBMS_HMAC_LEN], tag[MBMS_HMAC_LEN], saved[4];
	u8 *end = c->pl + c->auth_len;
	unsigned int len = c->auth_len;
	bool ok;
	int err;

	BUILD_BUG_ON(MBMS_SRTP_TAG_LEN_MAX > MBMS_HMAC_LEN);
	memcpy(tag, c->tag, c->tag_len);
	if (!c->rtcp) {
		memcpy(saved, end, sizeof(saved));
		put_unaligned_be32(c->index >> 16, end);
		len += sizeof(saved);
	}
	err = mbms_cipher_hmac_digest(cipher, c->pl, len, mac);
	if (!c->rtcp)
		memcpy(end, saved, sizeof(saved));
	ok = !err && !crypto_memneq(mac, tag + c->mac_off, c->mac_len);
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

/*
 * RFC 4771 mode 2, 32-bit tag: a packet whose tag failed at the estimated
 * index gets one more try at the ROC its SSRC's last RCC packet carried,
 * if that differs (a late joiner, or a loss of 2^15 packets or more: the
 * estimate is wrong and the hint right), after the replay pre-check of
 * that index.  The hint is unauthenticated, so a forged one costs at most
 * this one HMAC: only a tag that verifies at it lets mbms_rx() go on and
 * commit.  On success @c->index is the hinted index.
 */
static bool mbms_rx_auth_hint(struct mbms_rx_ctx *c,
			      const struct mbms_cipher *cipher)
{
	u64 index = c->index;
	u32 roc;

	if (c->rtcp || !mbms_rx_hinted(c->s) ||
	    !mbms_ssrc_hint_get(c->s, c->ssrc, &roc) || roc == c->index >> 16)
		return false;
	c->index = (u64)roc << 16 | c->seq;
	if (mbms_ssrc_precheck(c->s, c->ssrc, false, true, false, c->seq, 0,
			       &c->index) == MBMS_REPLAY_OK &&
	    mbms_rx_auth(c, cipher))
		return true;
	c->index = index;
	return false;
}

/* RFC 3550: the last octet counts the padding octets, itself included. */
static bool mbms_rx_padding_ok(const struct mbms_rx_ctx *c)
{
	u8 pad;

	if (!c->padded)
		return true;
	pad = c->pl[c->auth_len - 1];
	return pad >= 1 && pad <= c->enc_len;
}

/*
 * Cut MKI and tag (and SRTCP E||index) off and fix the lengths.
 *
 * The UDP checksum is not recomputed here: the plaintext has just been
 * authenticated by HMAC, a far stronger check than the checksum, and a
 * second pass over the payload was a large part of the per-packet cost.
 * Instead the skb becomes CHECKSUM_PARTIAL, as if sent by this host: the
 * check field holds the pseudo-header sum and csum_start/csum_offset name
 * the UDP header.  Local delivery treats that as verified
 * (skb_csum_unnecessary()); a forwarded packet gets its checksum filled in
 * on transmit, by the device or by skb_checksum_help().  The transport
 * header is left alone (with IPv6 extension headers it still points at
 * the first of them).  An IPv4 datagram sent without a checksum (0) stays
 * without one.
 */
static void mbms_rx_strip(struct sk_buff *skb, u8 family, unsigned int thoff,
			  unsigned int new_len)
{
	unsigned int ulen = sizeof(struct udphdr) + new_len;
	unsigned int nhoff = skb_network_offset(skb);
	struct udphdr *uh;

	/* linear after skb_ensure_writable(), so this only moves the tail */
	if (pskb_trim(skb, thoff + ulen))
		return;
	uh = (struct udphdr *)(skb->data + thoff);
	uh->len = htons(ulen);
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len - nhoff);
		ip_send_check(iph);
		if (!uh->check) {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			skb->csum_level = 0;
			return;
		}
		uh->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					       IPPROTO_UDP, 0);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(skb->len - nhoff - sizeof(*ip6h));
		uh->check = ~csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
					     IPPROTO_UDP, 0);
	}
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + thoff;
	skb->csum_offset = offsetof(struct udphdr, check);
}

/*
 * Once per key and limit: ask for the next key at 7/8 of the packet limit
 * or lifetime.  Also called for packets that hit an already expired key,
 * since no packet may have been authenticated between 7/8 and the end.
 */
static void mbms_rx_soft_events(struct mbms_session *s, struct mbms_key *k,
				u64 n, u64 now)
{
	if (k->soft_packets && n >= k->soft_packets &&
	    !test_and_set_bit(MBMS_KEY_SOFT_PACKETS_SENT, &k->flags))
		mbms_event_key_soft(s, k, MBMS_KEY_SOFT_PACKETS_PENDING);
	if (k->soft_expires && time_after_eq64(now, k->soft_expires) &&
	    !test_and_set_bit(MBMS_KEY_SOFT_LIFETIME_SENT, &k->flags))
		mbms_event_key_soft(s, k, MBMS_KEY_SOFT_LIFETIME_PENDING);
}

/* @n: the key's packet count with this packet, from mbms_key_reserve() */
static void mbms_rx_account(struct mbms_rx_ctx *c, u64 n)
{
	struct mbms_key *k = c->key;
	u64 now = get_jiffies_64();

	WRITE_ONCE(k->last_used, now);
	if (!test_bit(MBMS_KEY_USED, &k->flags))
		set_bit(MBMS_KEY_USED, &k->flags);
	mbms_rx_soft_events(c->s, k, n, now);

	mbms_stats_add(&c->s->stats, MBMS_SRTP_STATS_A_PACKETS, 1);
	mbms_stats_add(&c->s->stats, MBMS_SRTP_STATS_A_BYTES, c->new_len);
	if (c->rtcp)
		mbms_stats_add(&c->s->stats, MBMS_SRTP_STATS_A_RTCP_PACKETS, 1);
}

static void mbms_rx_unknown_mki(struct mbms_rx_ctx *c)
{
	u8 ids[MBMS_SRTP_MKI_LEN_MAX] = { 0 };
	unsigned int n = c->s->p.mki_len;

	memcpy(ids + MBMS_SRTP_MKI_LEN_MAX - n, c->mki, n);
	mbms_event_unknown_mki(c->s, get_unaligned_be32(ids),
			       get_unaligned_be16(ids + 4));
}

static const char * const mbms_rx_reason_name[] = {
	[MBMS_SRTP_STATS_A_MALFORMED] = "malformed",
	[MBMS_SRTP_STATS_A_UNKNOWN_MKI] = "unknown MKI",
	[MBMS_SRTP_STATS_A_AUTH] = "authentication failed",
	[MBMS_SRTP_STATS_A_REPLAY] = "replayed or too old",
	[MBMS_SRTP_STATS_A_KEY_EXPIRED] = "key expired",
	[MBMS_SRTP_STATS_A_SSRC_FULL] = "no free SSRC slot",
	[MBMS_SRTP_STATS_A_NOMEM] = "no memory for a private copy",
	[MBMS_SRTP_STATS_A_FRAGMENT] = "unreassembled IP fragment",
	[MBMS_SRTP_STATS_A_CSUM_ERROR] = "bad UDP checksum",
	[MBMS_SRTP_STATS_A_ROC_UNKNOWN] = "no verified ROC yet",
};

/**
 * mbms_rx_fail() - count a failure and apply the session's on-fail rule
 * @s: the session of the packet's flow
 * @reason: the MBMS_SRTP_STATS_A_* counter to bump
 *
 * The packet must be as received: pass hands it on unchanged.
 *
 * Return: NF_ACCEPT (on-fail pass, also counted as passed) or NF_DROP.
 */
unsigned int mbms_rx_fail(struct mbms_session *s, unsigned int reason)
{
	mbms_stats_add(&s->stats, reason, 1);
	net_dbg_ratelimited("session %u: %s\n", s->p.id,
			    mbms_rx_reason_name[reason]);
	if (s->p.on_fail == MBMS_SRTP_ON_FAIL_PASS) {
		mbms_stats_add(&s->stats, MBMS_SRTP_STATS_A_PASSED, 1);
		return NF_ACCEPT;
	}
	return NF_DROP;
}

/**
 * mbms_rx_writable() - make a packet private and linear before decryption
 * @s: its session
 * @skb: the packet
 * @len: bytes from skb->data that must be writable
 * @verdict: receives the verdict when that fails
 *
 * Decrypting in place must not change data that a clone (a packet tap)
 * shares, so a cloned or non-linear skb is copied: the one allocation the
 * path may do.  Its failure (GFP_ATOMIC under memory pressure) is counted
 * as nomem and follows on-fail like any other failure.
 *
 * Return: true if @len bytes are writable, false with *@verdict set.
 */
bool mbms_rx_writable(struct mbms_session *s, struct sk_buff *skb,
		      unsigned int len, unsigned int *verdict)
{
	if (likely(!skb_ensure_writable(skb, len)))
		return true;
	*verdict = mbms_rx_fail(s, MBMS_SRTP_STATS_A_NOMEM);
	return false;
}

/*
 * The stack checks UDP checksums in udp_rcv(), after this hook, and a
 * forwarding gateway not at all; but a decrypted datagram leaves here with
 * a fresh checksum (mbms_rx_strip()), so a datagram corrupted where SRTP's
 * tag does not reach (the UDP ports, IPv6 addresses, which no header
 * checksum covers) would be delivered as valid.  So it is checked here,
 * first.  Cheap when the device verified or summed the packet
 * (CHECKSUM_UNNECESSARY, _PARTIAL, _COMPLETE); a software pass only for
 * CHECKSUM_NONE, the pass udp_rcv() would have made.  IPv4 may send no
 * checksum (0); IPv6 may not (RFC 8200 section 8.1; the RFC 6936
 * exception is for tunnels, which MBMS streams are not).
 */
static bool mbms_rx_csum_bad(struct sk_buff *skb, u8 family,
			     const struct udphdr *uh, unsigned int thoff)
{
	u8 pf = family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;

	if (!uh->check)
		return pf == NFPROTO_IPV6;
	return nf_checksum(skb, NF_INET_PRE_ROUTING, thoff, IPPROTO_UDP, pf);
}

/**
 * mbms_rx() - authenticate and decrypt one packet of a matched flow
 * @skb: the packet; skb->data at the network header
 * @flow: its flow (RCU-protected, as is the session behind it)
 * @thoff: offset of the UDP header from skb->data
 *
 * A non-linear or cloned skb is made linear and private first
 * (skb_ensure_writable()); that is the one allocation the path may do,
 * and only for such skbs.
 *
 * Return: NF_ACCEPT (decrypted, or failed with on-fail pass, unchanged)
 * or NF_DROP.
 */
unsigned int mbms_rx(struct sk_buff *skb, const struct mbms_flow *flow,
		     unsigned int thoff)
{
	struct mbms_rx_ctx c = { .s = flow->session, .rtcp = flow->rtcp };
	const struct mbms_cipher *cipher;
	unsigned int reason, ulen, verdict;
	u64 t0 = mbms_timing_start(), t = t0;
	u8 iv[AES_BLOCK_SIZE];
	struct udphdr *uh;
	u64 n;
	int ret;

	/* one packet per skb: gso.c splits GSO skbs before the lookup */
	if (WARN_ON_ONCE(skb_is_gso(skb)))
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_MALFORMED);
	if (!mbms_rx_writable(c.s, skb, skb->len, &verdict))
		return verdict;

	uh = (struct udphdr *)(skb->data + thoff);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen != skb->len - thoff)
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_MALFORMED);
	if (mbms_rx_csum_bad(skb, flow->key.family, uh, thoff))
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_CSUM_ERROR);
	c.pl = (u8 *)(uh + 1);
	c.len = ulen - sizeof(*uh);
	if (!(c.rtcp ? mbms_rx_parse_rtcp(&c) : mbms_rx_parse_rtp(&c)))
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_MALFORMED);

	c.key = mbms_key_lookup(c.s, c.mki);
	if (!c.key) {
		mbms_rx_unknown_mki(&c);
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_UNKNOWN_MKI);
	}
	if (mbms_key_expired(c.key, c.rtcp)) {
		mbms_rx_soft_events(c.s, c.key, atomic64_read(&c.key->packets),
				    get_jiffies_64());
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_KEY_EXPIRED);
	}
	cipher = c.rtcp ? &c.key->srtcp : &c.key->srtp;

	if (c.rcc)
		c.index = (u64)get_unaligned_be32(c.tag) << 16 | c.seq;
	/* an unauthenticated ROC (mode 2, 32-bit tag): recorded, no more */
	if (c.hint)
		mbms_ssrc_hint_set(c.s, c.ssrc, get_unaligned_be32(c.tag));
	/*
	 * A packet without integrity (RFC 4771 mode 1, 3 off the RCC
	 * packets; mode 2's RCC packets with the 32-bit tag) is decrypted at
	 * an estimated ROC that nothing can check: only once an
	 * authenticated ROC has put the SSRC in sync.  Before that (a late
	 * joiner) the key's ROC is a guess, and a wrong one would hand
	 * garbage to the application under on-fail drop.
	 */
	ret = mbms_ssrc_precheck(c.s, c.ssrc, c.rtcp, c.rtcp || c.rcc,
				 !c.rtcp && !c.rcc && !c.mac_len, c.seq,
				 c.key->roc, &c.index);
	if (ret == MBMS_SSRC_NO_ROC)
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_ROC_UNKNOWN);
	if (ret != MBMS_REPLAY_OK)
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_REPLAY);
	/* in sync, and the hint disagrees: forged, or the state is wrong */
	if (c.hint && c.index >> 16 != get_unaligned_be32(c.tag))
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_AUTH);
	mbms_timing_mark(&t, MBMS_T_PREP);
	if (c.mac_len && !mbms_rx_auth(&c, cipher) &&
	    !mbms_rx_auth_hint(&c, cipher))
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_AUTH);
	mbms_timing_mark(&t, MBMS_T_AUTH);
	if (!mbms_key_reserve(c.key, c.rtcp, &n)) {
		mbms_rx_soft_events(c.s, c.key, atomic64_read(&c.key->packets),
				    get_jiffies_64());
		return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_KEY_EXPIRED);
	}

	if (c.encrypted) {
		mbms_cipher_iv(cipher, c.ssrc, c.index, iv);
		if (mbms_cipher_ctr(cipher, iv, c.pl + c.enc_off, c.enc_len)) {
			mbms_key_unreserve(c.key, c.rtcp);
			return mbms_rx_fail(c.s, MBMS_SRTP_STATS_A_AUTH);
		}
	}
	mbms_timing_mark(&t, MBMS_T_DECRYPT);
	reason = MBMS_SRTP_STATS_A_MALFORMED;
	if (!c.rtcp && !mbms_rx_padding_ok(&c))
		goto restore;
	/* a packet without integrity (RFC 4771, and hints) moves nothing */
	if (c.mac_len || c.rcc) {
		ret = mbms_ssrc_commit(c.s, c.key, c.ssrc, c.rtcp, c.index);
		reason = ret == MBMS_SSRC_FULL ? MBMS_SRTP_STATS_A_SSRC_FULL :
			 ret == MBMS_SSRC_KEY_GONE ? MBMS_SRTP_STATS_A_KEY_EXPIRED :
			 MBMS_SRTP_STATS_A_REPLAY;
		if (ret != MBMS_REPLAY_OK)
			goto restore;
	}

	mbms_rx_account(&c, n);
	mbms_timing_mark(&t, MBMS_T_ACCOUNT);
	mbms_rx_strip(skb, flow->key.family, thoff, c.new_len);
	mbms_timing_mark(&t, MBMS_T_STRIP);
	mbms_timing_end(t0);
	return NF_ACCEPT;

restore:
	mbms_key_unreserve(c.key, c.rtcp);
	/* CTR twice is the identity: hand on-fail pass the ciphertext */
	if (c.encrypted && c.s->p.on_fail == MBMS_SRTP_ON_FAIL_PASS)
		mbms_cipher_ctr(cipher, iv, c.pl + c.enc_off, c.enc_len);
	return mbms_rx_fail(c.s, reason);
}
