// SPDX-License-Identifier: GPL-2.0
/*
 * MIKEY on the wire: MSK pushes and solicited pulls to each UE's UDP 2269,
 * MTK messages to the stream's destination port 2269, the verification
 * replies coming back, and the forged/replayed messages of the negative
 * tests.  Messages are built by libmikey; this file picks the inputs
 * (counters, CSB IDs, RAND, keys) and sends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim.h"

static int open_udp(const struct sockaddr_in *bind_to, char *err,
		    size_t errlen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind_to && bind(fd, (const struct sockaddr *)bind_to,
			    sizeof(*bind_to))) {
		snprintf(err, errlen, "binding the MIKEY socket to %s:%u: %s",
			 inet_ntoa(bind_to->sin_addr),
			 ntohs(bind_to->sin_port), strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int mikey_open(struct sim *s, char *err, size_t errlen)
{
	int ttl = s->o.ttl;

	s->mikey_fd = open_udp(&s->o.mikey_bind, err, errlen);
	if (s->mikey_fd < 0)
		return -1;
	s->mtk_fd = open_udp(NULL, err, errlen);
	if (s->mtk_fd < 0)
		return -1;
	if (setsockopt(s->mtk_fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		       sizeof(ttl)) ||
	    (s->o.have_mcast_if &&
	     setsockopt(s->mtk_fd, IPPROTO_IP, IP_MULTICAST_IF, &s->o.mcast_if,
			sizeof(s->o.mcast_if)))) {
		snprintf(err, errlen, "multicast options on the MTK socket: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

void mikey_close(struct sim *s)
{
	if (s->mikey_fd >= 0)
		close(s->mikey_fd);
	if (s->mtk_fd >= 0)
		close(s->mtk_fd);
	s->mikey_fd = -1;
	s->mtk_fd = -1;
}

static int send_to(struct sim *s, int fd, const struct sockaddr_in *to,
		   const uint8_t *buf, size_t len, const char *what)
{
	if (sendto(fd, buf, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0) {
		s->c.send_errors++;
		log_warn("sending %s to %s:%u: %s", what, inet_ntoa(to->sin_addr),
			 ntohs(to->sin_port), strerror(errno));
		return -1;
	}
	return 0;
}

/* The MSK messages' SP; with --rcc-mode, RFC 4771's mode and R in it. */
static void fill_sp(const struct sim *s, struct mikey_sp *sp)
{
	struct mikey_rcc rcc = { s->o.rcc_mode, s->o.rcc_rate };

	mikey_sp_mbms_default(sp, s->o.tag_len);
	/* Cannot fail: mode checked by the options, the default SP has room. */
	if (rcc.mode && mikey_sp_set_rcc(sp, &rcc))
		log_err("cannot add the RFC 4771 parameters to the SP");
}

/*
 * Build an MSK message protected with @muk (IDr = its B-TID) delivering
 * @key as @msk_id; the faults pass keys and IDs of their own.
 */
static int build_msk(struct sim *s, const struct gba_key *muk,
		     uint32_t msk_id, const uint8_t *key, const uint8_t *rand,
		     bool v, uint32_t counter, uint8_t *out, size_t *len)
{
	struct mikey_sp sp;
	struct mikey_msk_spec spec = {
		.csb_id = keygen_csb_id(),
		.counter = counter,
		.idi = s->o.fqdn,
		.idr = muk->btid,
		.msk_id = msk_id,
		.msk = key,
		.msk_len = MIKEY_MBMS_KEY_LEN,
		.seql = 0,
		.sequ = s->o.mtk_id_max,
		.v = v,
		.ssrc = s->o.ssrc,
		.roc = s->o.no_map_roc ? 0 : srtp_stream_roc(s),
		.sp = &sp,
	};
	struct mikey_error e;

	fill_sp(s, &sp);
	memcpy(spec.rand, rand, MIKEY_RAND_LEN);
	memcpy(spec.key_domain, s->o.key_domain, MIKEY_KEY_DOMAIN_LEN);
	if (mikey_encode_msk(&spec, muk->ks_naf, sizeof(muk->ks_naf), out,
			     MIKEY_MAX_MESSAGE_LEN, len, &e)) {
		log_err("encoding the MSK message: %s", e.msg);
		return -1;
	}
	return 0;
}

int mikey_push_msk(struct sim *s, struct ue *ue, int msk)
{
	const struct gba_key *muk = ue_muk(ue);
	struct msk_state *m = &s->msk[msk];
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN];
	bool expired;
	struct json *j;
	size_t len;

	if (!muk) {
		log_info("MSK %08x not pushed to %s: no MUK known for it yet (it will be pushed after its first authenticated request)",
			 m->msk_id, ue->name);
		ue->push_owed |= 1u << msk;
		return -1;
	}
	expired = gba_key_expired(muk, sim_mono_ms());
	if (build_msk(s, muk, m->msk_id, m->key, m->rand, s->o.verify,
		      ++ue->msk_counter, buf, &len))
		return -1;
	if (send_to(s, s->mikey_fd, &ue->addr, buf, len, "an MSK message"))
		return -1;
	s->c.msk_sent++;
	memcpy(ue->last_msk_msg, buf, len);
	ue->last_msk_len = len;
	if (s->o.verify) {
		memcpy(ue->verif_msg, buf, len);
		ue->verif_len = len;
		ue->verif_pending = true;
		ue->verif_key = ue->muk;
		ue->verif_sent_ms = sim_mono_ms();
	}
	ue->push_owed &= ~(1u << msk);
	log_info("MSK %08x pushed to %s (B-TID %s%s, counter %u%s)",
		 m->msk_id, ue->name, muk->btid, expired ? ", MUK expired" : "",
		 ue->msk_counter, s->o.verify ? ", verification requested" : "");
	j = ev_begin(s, "msk-push");
	if (j) {
		json_kv_str(j, "ue", ue->name);
		ev_msk_id(j, "msk_id", m->msk_id);
		json_kv_str(j, "btid", muk->btid);
		json_kv_u64(j, "counter", ue->msk_counter);
		json_kv_bool(j, "v", s->o.verify);
		json_kv_bool(j, "muk_expired", expired);
		ev_end(s, j);
	}
	secure_zero(buf, sizeof(buf));
	return 0;
}

int mikey_send_pull(struct sim *s, struct ue *ue, bool force_expired,
		    bool forged)
{
	const struct gba_key *muk = ue_muk(ue);
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN], wrong[MIKEY_MUK_LEN];
	struct mikey_pull_spec spec = {
		.csb_id = keygen_csb_id(),
		.key_group = s->o.key_group,
		.idi = s->o.fqdn,
	};
	struct mikey_error e;
	bool expired;
	struct json *j;
	size_t len;
	int ret;

	if (!muk) {
		log_warn("no solicited pull to %s: the BM-SC knows no MUK for it",
			 ue->name);
		return -1;
	}
	expired = force_expired || gba_key_expired(muk, sim_mono_ms());
	spec.idr = muk->btid;
	spec.counter = ++ue->msk_counter;
	keygen_fill("pull-rand", spec.counter, spec.rand, sizeof(spec.rand));
	memcpy(spec.key_domain, s->o.key_domain, MIKEY_KEY_DOMAIN_LEN);
	if (forged) {
		/* Right B-TID, wrong key: the MAC cannot verify. */
		keygen_fill("forged-muk", spec.counter, wrong, sizeof(wrong));
		ret = mikey_encode_solicited_pull(&spec, wrong, sizeof(wrong),
						  buf, sizeof(buf), &len, &e);
		secure_zero(wrong, sizeof(wrong));
	} else {
		ret = mikey_encode_solicited_pull(&spec, muk->ks_naf,
						  sizeof(muk->ks_naf), buf,
						  sizeof(buf), &len, &e);
	}
	if (ret) {
		log_err("encoding the solicited pull: %s", e.msg);
		return -1;
	}
	if (send_to(s, s->mikey_fd, &ue->addr, buf, len, "a solicited pull"))
		return -1;
	if (forged) {
		s->c.faults++;
	} else {
		s->c.pull_sent++;
		if (expired) {
			/*
			 * The seed's proposal: the next HTTP request must come
			 * with fresh GBA keys, or it is refused with a new
			 * challenge (negotiation indication required).
			 */
			ue->must_rebootstrap = true;
			strcpy(ue->stale_btid, muk->btid);
			ue->stale_why = "fresh GBA key required after the expired-MUK solicited pull: negotiation indication required";
		}
	}
	log_info("%s solicited pull to %s (B-TID %s, Key Group %u, counter %u)%s",
		 forged ? "forged" : expired ? "expired-MUK" : "current-MUK",
		 ue->name, muk->btid, s->o.key_group, spec.counter,
		 !forged && expired ?
		 ": its next HTTP request must use fresh GBA keys" : "");
	j = ev_begin(s, forged ? "fault" : "pull");
	if (j) {
		if (forged)
			json_kv_str(j, "kind", fault_name(FAULT_PULL_UNAUTH));
		json_kv_str(j, "ue", ue->name);
		json_kv_str(j, "btid", muk->btid);
		json_kv_u64(j, "key_group", s->o.key_group);
		json_kv_u64(j, "counter", spec.counter);
		json_kv_bool(j, "muk_expired", expired);
		ev_end(s, j);
	}
	return 0;
}

static void mtk_material(uint64_t k, uint8_t key[MIKEY_MBMS_KEY_LEN],
			 uint8_t salt[MIKEY_MBMS_SALT_LEN])
{
	keygen_fill("mtk", k, key, MIKEY_MBMS_KEY_LEN);
	keygen_fill("mtk-salt", k, salt, MIKEY_MBMS_SALT_LEN);
}

/* Encode one MTK message; any of the inputs may be a fault's. */
static int build_mtk(struct sim *s, uint32_t msk_id, const uint8_t *msk_key,
		     const uint8_t *rand, uint16_t mtk_id, uint32_t counter,
		     const uint8_t *mtk, const uint8_t *salt, uint8_t *out,
		     size_t *len)
{
	struct mikey_mtk_spec spec = {
		.csb_id = keygen_csb_id(),
		.counter = counter,
		.msk_id = msk_id,
		.mtk_id = mtk_id,
		.mtk = mtk,
		.mtk_len = MIKEY_MBMS_KEY_LEN,
		.salt = salt,
		.salt_len = MIKEY_MBMS_SALT_LEN,
	};
	struct mikey_error e;

	memcpy(spec.key_domain, s->o.key_domain, MIKEY_KEY_DOMAIN_LEN);
	if (mikey_encode_mtk(&spec, msk_key, MIKEY_MBMS_KEY_LEN, rand,
			     MIKEY_RAND_LEN, out, MIKEY_MAX_MESSAGE_LEN, len,
			     &e)) {
		log_err("encoding the MTK message: %s", e.msg);
		return -1;
	}
	return 0;
}

int mikey_send_mtk(struct sim *s, int msk, uint16_t mtk_id, uint64_t k,
		   bool repeat)
{
	struct msk_state *m = &s->msk[msk];
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN], key[MIKEY_MBMS_KEY_LEN],
		salt[MIKEY_MBMS_SALT_LEN];
	struct json *j;
	size_t len;
	int ret;

	mtk_material(k, key, salt);
	ret = build_mtk(s, m->msk_id, m->key, m->rand, mtk_id,
			++m->mtk_counter, key, salt, buf, &len);
	secure_zero(key, sizeof(key));
	secure_zero(salt, sizeof(salt));
	if (ret || send_to(s, s->mtk_fd, &s->o.mtk_dest, buf, len,
			   "an MTK message"))
		return -1;
	s->c.mtk_sent++;
	if (mtk_id > m->last_mtk_id_sent || !m->replay_len) {
		m->last_mtk_id_sent = mtk_id;
		memcpy(m->replay_msg, buf, len);
		m->replay_len = len;
	}
	if (!repeat)
		log_info("MTK %u under MSK %08x sent (counter %u)", mtk_id,
			 m->msk_id, m->mtk_counter);
	else
		log_debug("MTK %u under MSK %08x repeated (counter %u)", mtk_id,
			  m->msk_id, m->mtk_counter);
	j = ev_begin(s, "mtk");
	if (j) {
		ev_msk_id(j, "msk_id", m->msk_id);
		json_kv_u64(j, "mtk_id", mtk_id);
		json_kv_u64(j, "counter", m->mtk_counter);
		json_kv_bool(j, "repeat", repeat);
		ev_end(s, j);
	}
	return 0;
}

/* MTK-message faults: valid framing, one thing wrong each. */
static int mtk_fault(struct sim *s, enum fault_kind kind, struct json **jp)
{
	struct msk_state *m = &s->msk[s->msk_current];
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN], key[MIKEY_MBMS_KEY_LEN],
		salt[MIKEY_MBMS_SALT_LEN], fake_msk[MIKEY_MBMS_KEY_LEN];
	uint32_t msk_id = m->msk_id, counter = m->mtk_counter + 1;
	uint16_t mtk_id = (uint16_t)(m->last_mtk_id_sent + 1);
	const uint8_t *msk_key = m->key;
	size_t len;
	int ret;

	if (kind == FAULT_MTK_REPLAY) {
		/*
		 * What an attacker can do: send a recorded message again.
		 * Its counter is not newer than the UE's (it saw this one,
		 * and every resend after it has a higher counter).
		 */
		if (!m->replay_len) {
			log_warn("fault mtk-replay: no MTK message sent yet");
			return -1;
		}
		len = m->replay_len;
		if (send_to(s, s->mtk_fd, &s->o.mtk_dest, m->replay_msg, len,
			    "a replayed MTK message"))
			return -1;
		mtk_id = m->last_mtk_id_sent;
		log_info("fault %s: MTK %u under MSK %08x, its first message again",
			 fault_name(kind), mtk_id, msk_id);
		goto event;
	}
	/* A key the stream never uses: accepting it would break decryption. */
	keygen_fill("fault-mtk", s->c.faults, key, sizeof(key));
	keygen_fill("fault-mtk-salt", s->c.faults, salt, sizeof(salt));
	switch (kind) {
	case FAULT_MTK_OUTSIDE:
		mtk_id = (uint16_t)(s->o.mtk_id_max + 1);
		m->mtk_counter++;
		break;
	case FAULT_MTK_UNKNOWN_MSK:
		msk_id = (uint32_t)s->o.key_group << 16 | SIM_UNKNOWN_KEY_NUMBER;
		keygen_fill("fault-msk", s->c.faults, fake_msk, sizeof(fake_msk));
		msk_key = fake_msk;
		mtk_id = 1;
		break;
	default:	/* FAULT_MTK_FORGED_MAC */
		m->mtk_counter++;
		break;
	}
	ret = build_mtk(s, msk_id, msk_key, m->rand, mtk_id, counter, key, salt,
			buf, &len);
	secure_zero(key, sizeof(key));
	secure_zero(fake_msk, sizeof(fake_msk));
	if (ret)
		return -1;
	if (kind == FAULT_MTK_FORGED_MAC)
		buf[len - 1] ^= 0x01;
	if (send_to(s, s->mtk_fd, &s->o.mtk_dest, buf, len, "a faulty MTK message"))
		return -1;
	log_info("fault %s: MTK %u under MSK %08x, counter %u",
		 fault_name(kind), mtk_id, msk_id, counter);
event:
	*jp = ev_begin(s, "fault");
	if (*jp) {
		json_kv_str(*jp, "kind", fault_name(kind));
		ev_msk_id(*jp, "msk_id", msk_id);
		json_kv_u64(*jp, "mtk_id", mtk_id);
		if (kind != FAULT_MTK_REPLAY)
			json_kv_u64(*jp, "counter", counter);
	}
	return 0;
}

/* MSK-message faults, to every UE with a MUK. */
static int msk_fault(struct sim *s, struct ue *ue, enum fault_kind kind)
{
	const struct gba_key *muk = ue_muk(ue);
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN], key[MIKEY_MBMS_KEY_LEN],
		rand[MIKEY_RAND_LEN];
	uint32_t msk_id;
	size_t len;

	if (kind == FAULT_MSK_REPLAY) {
		if (!ue->last_msk_len) {
			log_warn("fault msk-replay: nothing sent to %s yet",
				 ue->name);
			return -1;
		}
		return send_to(s, s->mikey_fd, &ue->addr, ue->last_msk_msg,
			       ue->last_msk_len, "a replayed MSK message");
	}
	if (!muk)
		return -1;
	/* A new, never-used MSK: accepting it would show in the UE's store. */
	msk_id = (uint32_t)s->o.key_group << 16 | SIM_UNKNOWN_KEY_NUMBER;
	keygen_fill("fault-msk", s->c.faults, key, sizeof(key));
	keygen_fill("fault-rand", s->c.faults, rand, sizeof(rand));
	if (build_msk(s, muk, msk_id, key, rand, false, ++ue->msk_counter,
		      buf, &len)) {
		secure_zero(key, sizeof(key));
		return -1;
	}
	secure_zero(key, sizeof(key));
	buf[len - 1] ^= 0x01;
	return send_to(s, s->mikey_fd, &ue->addr, buf, len,
		       "a forged MSK message");
}

int mikey_fault(struct sim *s, enum fault_kind kind)
{
	struct json *j = NULL;
	size_t i;
	int sent = 0;

	switch (kind) {
	case FAULT_MTK_FORGED_MAC:
	case FAULT_MTK_REPLAY:
	case FAULT_MTK_OUTSIDE:
	case FAULT_MTK_UNKNOWN_MSK:
		if (s->msk_current < 0 || mtk_fault(s, kind, &j))
			return -1;
		s->c.faults++;
		ev_end(s, j);
		return 0;
	case FAULT_MSK_FORGED_MAC:
	case FAULT_MSK_REPLAY:
		for (i = 0; i < UE_MAX; i++) {
			struct ue *ue = &s->ues->ue[i];

			if (!ue->used || msk_fault(s, ue, kind))
				continue;
			sent++;
			log_info("fault %s sent to %s", fault_name(kind), ue->name);
			j = ev_begin(s, "fault");
			if (j) {
				json_kv_str(j, "kind", fault_name(kind));
				json_kv_str(j, "ue", ue->name);
				ev_end(s, j);
			}
		}
		s->c.faults += (uint64_t)sent;
		return sent ? 0 : -1;
	default:
		return -1;
	}
}

/* A verification message from a UE, answering an MSK push with V set. */
static void on_verification(struct sim *s, struct ue *ue, struct mikey_msg *r)
{
	static struct mikey_msg init;
	struct mikey_error e = { 0 };
	const struct gba_key *k;
	struct json *j;
	bool ok = false;

	if (!ue->verif_pending || ue->verif_key < 0) {
		snprintf(e.msg, sizeof(e.msg), "no verification was requested");
	} else if (mikey_decode(ue->verif_msg, ue->verif_len, &init, &e)) {
		log_err("re-decoding our own MSK message failed: %s", e.msg);
	} else {
		k = &ue->keys[ue->verif_key];
		ok = !mikey_verify_verification(r, &init, k->ks_naf,
						sizeof(k->ks_naf), &e);
	}
	mikey_msg_clear(&init);
	if (ok) {
		s->c.verif_ok++;
		ue->verif_pending = false;
		log_info("verification message from %s verified", ue->name);
	} else {
		s->c.verif_bad++;
		log_warn("verification message from %s rejected: %s", ue->name,
			 e.msg);
	}
	j = ev_begin(s, "verification");
	if (j) {
		json_kv_str(j, "ue", ue->name);
		json_kv_bool(j, "ok", ok);
		if (!ok)
			json_kv_str(j, "reason", e.msg);
		ev_end(s, j);
	}
}

void mikey_on_readable(struct sim *s)
{
	static struct mikey_msg msg;
	uint8_t buf[MIKEY_MAX_MESSAGE_LEN + 1];
	int budget = 64;	/* bounded work per wake-up */

	while (budget--) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		struct mikey_error e;
		struct ue *ue;
		ssize_t n;

		n = recvfrom(s->mikey_fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		ue = ue_find_addr(s->ues, &from.sin_addr);
		if (!ue || mikey_decode(buf, (size_t)n, &msg, &e) ||
		    msg.kind != MIKEY_KIND_VERIFICATION) {
			s->c.mikey_in_other++;
			log_warn("ignored a %zd-byte datagram from %s:%u on the MIKEY socket (%s)",
				 n, inet_ntoa(from.sin_addr), ntohs(from.sin_port),
				 !ue ? "unknown UE" : msg.kind == MIKEY_KIND_UNKNOWN ?
				 e.msg : "not a verification message");
			mikey_msg_clear(&msg);
			continue;
		}
		on_verification(s, ue, &msg);
		mikey_msg_clear(&msg);
	}
}

void mikey_verif_timeouts(struct sim *s)
{
	uint64_t now = sim_mono_ms();
	struct json *j;
	size_t i;

	for (i = 0; i < UE_MAX; i++) {
		struct ue *ue = &s->ues->ue[i];

		if (!ue->used || !ue->verif_pending ||
		    now - ue->verif_sent_ms < SIM_VERIF_TIMEOUT_MS)
			continue;
		ue->verif_pending = false;
		s->c.verif_missing++;
		log_warn("no verification message from %s within %d ms",
			 ue->name, SIM_VERIF_TIMEOUT_MS);
		j = ev_begin(s, "verification");
		if (j) {
			json_kv_str(j, "ue", ue->name);
			json_kv_bool(j, "ok", false);
			json_kv_str(j, "reason", "no reply in time");
			ev_end(s, j);
		}
	}
}

void mikey_push_owed(struct sim *s)
{
	size_t i;
	int m;

	for (i = 0; i < UE_MAX; i++) {
		struct ue *ue = &s->ues->ue[i];

		if (!ue->used || !ue->push_owed || !ue_muk(ue))
			continue;
		for (m = 0; m < SCHED_MAX_MSKS; m++)
			if (ue->push_owed & (1u << m) && s->msk[m].active)
				mikey_push_msk(s, ue, m);
		ue->push_owed = 0;
	}
}
