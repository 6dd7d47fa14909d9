// SPDX-License-Identifier: GPL-2.0
/*
 * The MBMS SRTP stream: packet i is sent at start + i / pps, carries the
 * deterministic plaintext of tests/tools/rtp_pattern.c (shared with
 * srtp-recv, so a receiver can check every byte), and is protected by
 * libsrtp2 with the MTK the schedule says is in use at that instant and
 * the MBMS MKI = MSK ID (be32) || MTK ID (be16).  A key change goes through
 * srtp_update_stream(), which keeps the ROC, as RFC 3711 re-keying must.
 * With --rcc-mode the packets go out in the RFC 4771 form the MSK
 * messages' SP announces (srtp_rcc_reframe(): ROC in every R-th tag).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#include "mbms/srtp_rcc.h"
#include "rtp_pattern.h"
#include "sim.h"

#define MBMS_MKI_LEN	6
#define SRTP_KEYSALT	(MIKEY_MBMS_KEY_LEN + MIKEY_MBMS_SALT_LEN)

struct srtp_streamer {
	int fd;
	srtp_t session;
	struct rtp_pattern pat;
	uint64_t next;		/* pattern index (and seq) of the next packet */
	/* Timing slot of the next regular packet: bursts take no slots. */
	uint64_t slot;
	uint64_t interval_us;
	bool keyed;
	uint32_t cur_msk_id;	/* MKI now installed */
	uint16_t cur_mtk_id;
	uint8_t keysalt[SRTP_KEYSALT];
	uint8_t mki[MBMS_MKI_LEN];
	uint32_t burst_left;	/* packets still to send under a bad MSK */
};

static uint64_t packet_ms(const struct sim *s, const struct srtp_streamer *st,
			  uint64_t i)
{
	return s->o.sched.start_ms + i * st->interval_us / 1000;
}

static void set_mki(uint8_t mki[MBMS_MKI_LEN], uint32_t msk_id, uint16_t mtk_id)
{
	mki[0] = (uint8_t)(msk_id >> 24);
	mki[1] = (uint8_t)(msk_id >> 16);
	mki[2] = (uint8_t)(msk_id >> 8);
	mki[3] = (uint8_t)msk_id;
	mki[4] = (uint8_t)(mtk_id >> 8);
	mki[5] = (uint8_t)mtk_id;
}

static void fill_policy(const struct sim *s, struct srtp_streamer *st,
			srtp_policy_t *p, srtp_master_key_t *mk,
			srtp_master_key_t **keys)
{
	memset(p, 0, sizeof(*p));
	if (s->o.tag_len == 4) {
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtcp);
	} else {
		/* any other length: HMAC-SHA1 truncated, SRTCP keeps 10 */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
		p->rtp.auth_tag_len = s->o.tag_len;
	}
	p->ssrc.type = ssrc_specific;
	p->ssrc.value = s->o.ssrc;
	mk->key = st->keysalt;
	mk->mki_id = st->mki;
	mk->mki_size = MBMS_MKI_LEN;
	keys[0] = mk;
	p->keys = keys;
	p->num_master_keys = 1;
	p->window_size = 128;
}

/* ROC of pattern packet @i: --roc, plus the wraps since --seq. */
static uint32_t roc_of(const struct sim *s, uint64_t i)
{
	return s->o.first_roc + (uint32_t)((s->o.first_seq + i) >> 16);
}

uint32_t srtp_stream_roc(const struct sim *s)
{
	return roc_of(s, s->srtp ? s->srtp->next : 0);
}

/*
 * Start libsrtp2's sender at the ROC of packet @st->next.  libsrtp 2.5
 * applies it to the first packet whatever its SEQ (tests/tools'
 * pattern_test checks that with a stream starting just below the wrap).
 */
static srtp_err_status_t set_start_roc(struct sim *s, struct srtp_streamer *st)
{
	uint32_t roc = roc_of(s, st->next);

	return roc ? srtp_set_stream_roc(st->session, s->o.ssrc, roc) :
		     srtp_err_status_ok;
}

/*
 * Install the key (label, k) of keygen.c under MKI (msk_id, mtk_id): a new
 * session at first, srtp_update_stream() after, which keeps the ROC.
 */
static int install_key(struct sim *s, struct srtp_streamer *st,
		       uint32_t msk_id, uint16_t mtk_id, const char *label,
		       uint64_t k)
{
	srtp_master_key_t mk, *keys[1];
	srtp_policy_t p;
	srtp_err_status_t r;

	keygen_fill(label, k, st->keysalt, MIKEY_MBMS_KEY_LEN);
	keygen_fill(!strcmp(label, "mtk") ? "mtk-salt" : "fault-srtp-salt", k,
		    st->keysalt + MIKEY_MBMS_KEY_LEN, MIKEY_MBMS_SALT_LEN);
	set_mki(st->mki, msk_id, mtk_id);
	fill_policy(s, st, &p, &mk, keys);
	if (st->session) {
		r = srtp_update_stream(st->session, &p);
	} else {
		r = srtp_create(&st->session, &p);
		if (r == srtp_err_status_ok)
			r = set_start_roc(s, st);
	}
	secure_zero(st->keysalt, sizeof(st->keysalt));
	if (r != srtp_err_status_ok) {
		log_err("libsrtp2 refused the key for MKI %08x/%u (error %d)",
			msk_id, mtk_id, (int)r);
		return -1;
	}
	st->keyed = true;
	st->cur_msk_id = msk_id;
	st->cur_mtk_id = mtk_id;
	return 0;
}

int srtp_stream_open(struct sim *s, char *err, size_t errlen)
{
	struct srtp_streamer *st;
	int ttl = s->o.ttl;

	if (srtp_init() != srtp_err_status_ok) {
		snprintf(err, errlen, "libsrtp2 initialisation failed");
		return -1;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	st->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (st->fd < 0 ||
	    setsockopt(st->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    (s->o.have_mcast_if &&
	     setsockopt(st->fd, IPPROTO_IP, IP_MULTICAST_IF, &s->o.mcast_if,
			sizeof(s->o.mcast_if)))) {
		snprintf(err, errlen, "SRTP socket: %s", strerror(errno));
		if (st->fd >= 0)
			close(st->fd);
		free(st);
		return -1;
	}
	st->pat.seed = s->o.pattern_seed;
	st->pat.ssrc = s->o.ssrc;
	st->pat.start_seq = s->o.first_seq;
	st->pat.payload_size = s->o.payload_len;
	st->interval_us = 1000000 / s->o.pps;
	s->srtp = st;
	return 0;
}

void srtp_stream_close(struct sim *s)
{
	struct srtp_streamer *st = s->srtp;

	if (!st)
		return;
	if (st->session)
		srtp_dealloc(st->session);
	close(st->fd);
	secure_zero(st, sizeof(*st));
	free(st);
	s->srtp = NULL;
	srtp_shutdown();
}

uint64_t srtp_stream_next_ms(const struct sim *s)
{
	const struct srtp_streamer *st = s->srtp;

	if (!st)
		return UINT64_MAX;
	if (st->burst_left)
		return 0;
	if (packet_ms(s, st, st->slot) >= s->o.sched.duration_ms)
		return UINT64_MAX;
	return packet_ms(s, st, st->slot);
}

/* Choose the key packet i goes out under; false if none applies. */
static bool key_for_packet(struct sim *s, struct srtp_streamer *st,
			   uint64_t t)
{
	uint16_t msk, mtk_id;
	uint32_t msk_id;
	uint64_t k;

	if (st->burst_left) {
		msk_id = (uint32_t)s->o.key_group << 16 | SIM_UNKNOWN_KEY_NUMBER;
		if (st->cur_msk_id != msk_id &&
		    install_key(s, st, msk_id, 1, "fault-srtp", 0))
			return false;
		return true;
	}
	if (!sched_key_at(&s->sched, t, &msk, &mtk_id))
		return false;
	msk_id = s->msk[msk].msk_id;
	if (st->keyed && st->cur_msk_id == msk_id && st->cur_mtk_id == mtk_id)
		return true;
	k = (t - s->o.sched.start_ms) / s->o.sched.mtk_period_ms;
	if (install_key(s, st, msk_id, mtk_id, "mtk", k))
		return false;
	log_info("stream now under MSK %08x MTK %u (packet %llu, seq %u)",
		 msk_id, mtk_id, (unsigned long long)st->next,
		 rtp_pattern_seq(&st->pat, st->next));
	{
		struct json *j = ev_begin(s, "srtp-key");

		if (j) {
			ev_msk_id(j, "msk_id", msk_id);
			json_kv_u64(j, "mtk_id", mtk_id);
			json_kv_u64(j, "packet", st->next);
			json_kv_u64(j, "seq", rtp_pattern_seq(&st->pat, st->next));
			ev_end(s, j);
		}
	}
	return true;
}

/* RFC 4771 form of a protected packet, with the ROC libsrtp2 used. */
static bool rcc_reframe(struct sim *s, struct srtp_streamer *st,
			uint8_t *pkt, int *n)
{
	uint32_t roc;
	size_t len;

	if (srtp_get_stream_roc(st->session, s->o.ssrc, &roc) !=
	    srtp_err_status_ok) {
		s->c.srtp_errors++;
		log_warn("RFC 4771: cannot read the stream's ROC");
		return false;
	}
	len = srtp_rcc_reframe(pkt, (size_t)*n, MBMS_MKI_LEN, s->o.tag_len,
			       s->o.rcc_mode, s->o.rcc_rate, roc);
	if (!len) {
		s->c.srtp_errors++;
		log_warn("RFC 4771: cannot reframe a packet of %d bytes", *n);
		return false;
	}
	*n = (int)len;
	return true;
}

static void send_packet(struct sim *s, struct srtp_streamer *st, uint64_t t)
{
	uint8_t pkt[RTP_HDR_LEN + RTP_MAX_PAYLOAD + SRTP_MAX_TRAILER_LEN];
	srtp_err_status_t r;
	bool burst = st->burst_left > 0;
	size_t len;
	int n;

	len = rtp_pattern_build(&st->pat, st->next, pkt,
				sizeof(pkt) - SRTP_MAX_TRAILER_LEN);
	if (!len || !key_for_packet(s, st, t)) {
		s->c.srtp_errors++;
		st->next++;
		if (burst)
			st->burst_left--;
		else
			st->slot++;
		return;
	}
	n = (int)len;
	r = srtp_protect_mki(st->session, pkt, &n, 1, 0);
	st->next++;
	if (burst)
		st->burst_left--;
	else
		st->slot++;
	if (r != srtp_err_status_ok) {
		s->c.srtp_errors++;
		log_warn("srtp_protect_mki failed (error %d)", (int)r);
		return;
	}
	if (s->o.rcc_mode && !rcc_reframe(s, st, pkt, &n))
		return;
	if (sendto(st->fd, pkt, (size_t)n, 0,
		   (const struct sockaddr *)&s->o.stream,
		   sizeof(s->o.stream)) < 0) {
		s->c.send_errors++;
		log_debug("sending SRTP: %s", strerror(errno));
		return;
	}
	s->c.srtp_sent++;
	if (burst)
		s->c.srtp_unknown_msk++;
}

void srtp_stream_send_next(struct sim *s)
{
	struct srtp_streamer *st = s->srtp;

	if (!st)
		return;
	/*
	 * A burst goes out at once; a regular packet at its nominal time,
	 * under the key of that time even when the loop runs late.
	 */
	if (st->burst_left)
		send_packet(s, st, packet_ms(s, st, st->slot));
	else if (packet_ms(s, st, st->slot) < s->o.sched.duration_ms)
		send_packet(s, st, packet_ms(s, st, st->slot));
}

void srtp_stream_burst(struct sim *s, uint32_t count)
{
	if (!s->srtp) {
		log_warn("srtp-unknown-msk fault without a stream (--stream): nothing sent");
		return;
	}
	s->srtp->burst_left += count;
	if (s->srtp->burst_left > SIM_MAX_BURST)
		s->srtp->burst_left = SIM_MAX_BURST;
}
