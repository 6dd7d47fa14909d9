/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bmsc-sim: the BM-SC side of MBMS security, for tests and the demo.
 * This header holds the options and the run state shared by the modules:
 * main.c (options, event loop), scenario.c (dispatching the schedule),
 * mikey_send.c (MSK, MTK, solicited-pull messages, verification replies),
 * srtp_stream.c (the SRTP stream), http.c (the MSK-request endpoint),
 * ue.c (UE registry and GBA keys), keygen.c (MSK/MTK material),
 * events.c (log lines and the -j JSON event stream).
 */
#ifndef BMSC_SIM_H
#define BMSC_SIM_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "mbms/common.h"
#include "mbms/mikey.h"
#include "schedule.h"
#include "ue.h"

#define MIKEY_PORT		2269
#define SIM_MAX_PAYLOAD		1400	/* stream payload: within the MTU */
#define SIM_MAX_PPS		10000
#define SIM_MAX_CATCHUP		1000	/* packets sent per loop turn at most */
#define SIM_MAX_BURST		100000
#define SIM_VERIF_TIMEOUT_MS	5000	/* V bit: reply expected within */

/* Key Number of the MSK used by the "unknown MSK" faults: never delivered. */
#define SIM_UNKNOWN_KEY_NUMBER	0xfff0

struct sim_opts {
	bool json;
	const char *fqdn;
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	uint16_t key_group;
	uint16_t first_key_number;
	uint32_t mtk_id_max;		/* SEQu of every MSK */
	bool verify;			/* V bit in MSK pushes */
	bool demand_rebootstrap;
	int digest_qop;			/* enum auth_qop: auth-int only, or any */
	bool have_seed;
	uint8_t seed[32];
	struct sched_cfg sched;
	uint32_t retry_after_s;

	bool have_stream;
	struct sockaddr_in stream;	/* SRTP destination */
	bool have_mtk_dest;
	struct sockaddr_in mtk_dest;	/* MTK messages */
	bool have_mcast_if;
	struct in_addr mcast_if;
	uint8_t ttl;
	uint32_t ssrc;
	uint32_t pps;
	uint32_t payload_len;
	uint8_t tag_len;		/* 10 or 4 */
	/* RFC 4771 mode (0 = none) and R: in the SP only, not in the stream */
	uint8_t rcc_mode;
	uint16_t rcc_rate;
	uint16_t first_seq;
	uint32_t first_roc;		/* ROC of the first packet: a late joiner */
	bool no_map_roc;		/* SRTP-ID map ROC 0, whatever the stream's */
	uint64_t pattern_seed;		/* rtp_pattern seed, as srtp-recv --seed */

	bool have_http;
	struct sockaddr_in http;	/* port 0 = ephemeral */
	struct sockaddr_in mikey_bind;
};

/* What the BM-SC holds per MSK (index = schedule MSK index). */
struct msk_state {
	bool active;			/* became current at some point */
	uint32_t msk_id;		/* Key Group || Key Number */
	uint8_t key[MIKEY_MBMS_KEY_LEN];
	uint8_t rand[MIKEY_RAND_LEN];
	uint32_t mtk_counter;		/* T COUNTER of its MTK messages */
	uint16_t last_mtk_id_sent;
	/*
	 * The first transmission of its newest MTK, byte for byte: what an
	 * attacker on the bearer can record and replay (mtk-replay).
	 */
	uint8_t replay_msg[MIKEY_MAX_MESSAGE_LEN];
	size_t replay_len;
};

struct sim_counters {
	uint64_t http_requests;		/* every request the listener saw */
	uint64_t http_200, http_401, http_400, http_404, http_405, http_413,
		 http_503, http_dropped;
	uint64_t http_msk_requests;
	uint64_t msk_sent, mtk_sent, pull_sent, faults;
	uint64_t verif_ok, verif_bad, verif_missing, mikey_in_other;
	uint64_t srtp_sent, srtp_unknown_msk, srtp_errors;
	uint64_t send_errors;
};

struct http_server;
struct srtp_streamer;

struct sim {
	struct sim_opts o;
	struct sched sched;
	struct ue_registry *ues;
	struct msk_state msk[SCHED_MAX_MSKS];
	int msk_current;		/* index, -1 before the first */
	size_t next_ev;			/* next schedule event to run */
	uint64_t t0_ms;			/* monotonic start */
	int mikey_fd;			/* MSK push, pulls, verification */
	int mtk_fd;			/* MTK messages (multicast options) */
	struct http_server *http;
	struct srtp_streamer *srtp;
	struct sim_counters c;
	/* HTTP outage in force (a fault index), or -1. */
	int http_outage;
	bool done;
};

uint64_t sim_mono_ms(void);
/* Milliseconds since the simulator started. */
uint64_t sim_now(const struct sim *s);

/* keygen.c: deterministic under --seed, random otherwise. */
int keygen_init(const uint8_t *seed, size_t len);
void keygen_fill(const char *label, uint64_t index, uint8_t *out, size_t len);
void keygen_clear(void);
uint32_t keygen_csb_id(void);	/* fresh CSB ID per message */

/* events.c */
struct json;
struct json *ev_begin(struct sim *s, const char *event);
void ev_end(struct sim *s, struct json *j);
void ev_msk_id(struct json *j, const char *key, uint32_t msk_id);
/* The counters: the "exit" event, or "stats" on SIGUSR1. */
void ev_summary(struct sim *s, bool final);

/* scenario.c */
int scenario_init(struct sim *s);
/* Run the next schedule event; see scenario_next_ms(). */
void scenario_run_next(struct sim *s);
uint64_t scenario_next_ms(const struct sim *s);
/* The MSK index serving an MSK ID; -1 if the BM-SC has none active. */
int scenario_msk_by_id(const struct sim *s, uint32_t msk_id);

/* mikey_send.c */
int mikey_open(struct sim *s, char *err, size_t errlen);
void mikey_close(struct sim *s);
int mikey_push_msk(struct sim *s, struct ue *ue, int msk);
int mikey_send_pull(struct sim *s, struct ue *ue, bool force_expired,
		    bool forged);
int mikey_send_mtk(struct sim *s, int msk, uint16_t mtk_id, uint64_t k,
		   bool repeat);
int mikey_fault(struct sim *s, enum fault_kind kind);
void mikey_on_readable(struct sim *s);
/* Count the verification replies that did not come in time. */
void mikey_verif_timeouts(struct sim *s);
/* Push every MSK the UEs asked for over HTTP. */
void mikey_push_owed(struct sim *s);

/* srtp_stream.c */
int srtp_stream_open(struct sim *s, char *err, size_t errlen);
void srtp_stream_close(struct sim *s);
/* Send the next packet (a burst packet first); see srtp_stream_next_ms(). */
void srtp_stream_send_next(struct sim *s);
uint64_t srtp_stream_next_ms(const struct sim *s);
/*
 * The ROC of the next packet the stream sends (--roc while none is open):
 * what an MSK message's SRTP-ID map says (RFC 3830 §6.1.1).
 */
uint32_t srtp_stream_roc(const struct sim *s);
void srtp_stream_burst(struct sim *s, uint32_t count);

/* http.c */
int http_open(struct sim *s, int epfd, char *err, size_t errlen);
void http_close(struct sim *s);
void http_run(struct sim *s);
/* Milliseconds until HTTP needs attention; UINT64_MAX if never. */
uint64_t http_timeout_ms(const struct sim *s);
int http_outage_begin(struct sim *s, enum fault_kind kind);
void http_outage_end(struct sim *s);
uint16_t http_port(const struct sim *s);

#endif /* BMSC_SIM_H */
