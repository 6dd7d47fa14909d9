// SPDX-License-Identifier: GPL-2.0
/*
 * What mbmsctl prints: the kernel's refusals, and objects as text (one
 * "ip"-style line per object, the first line in the words of the command
 * that would create it) or as JSON with stable snake_case field names
 * (documented in mbmsctl(8); change them only compatibly).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"

/*
 * Whether the kernel's text already names @attr ("missing SESSION_ID"),
 * so that the attribute is added only where it helps ("integer out of
 * range: MBMS_SRTP_A_REPLAY_WINDOW").
 */
static bool names_attr(const char *text, uint16_t attr)
{
	static const char prefix[] = "MBMS_SRTP_A_";
	const char *name = mbms_nl_attr_name(attr);

	if (!strncmp(name, prefix, sizeof(prefix) - 1))
		name += sizeof(prefix) - 1;
	return strstr(text, name) != NULL;
}

int cli_report_err(FILE *out, const struct mbms_nl_err *e, int ret)
{
	int code = e->code ? e->code : ret;
	const char *text = NULL;
	uint16_t attr = 0;

	if (!e->from_kernel) {
		fprintf(out, "mbmsctl: %s\n", e->msg[0] ? e->msg : strerror(-code));
		return MBMSCTL_EXIT_KERNEL;
	}
	if (e->missing_attr) {
		attr = e->missing_attr;
		text = "missing required attribute";
	} else if (e->bad_attr) {
		attr = e->bad_attr;
		text = "invalid attribute";
	}
	if (e->has_extack)
		text = e->msg;
	fputs("mbmsctl: kernel refused: ", out);
	if (text) {
		fputs(text, out);
		if (attr && !names_attr(text, attr))
			fprintf(out, ": %s", mbms_nl_attr_name(attr));
		fprintf(out, " (%s)", strerror(-code));
	} else {
		fputs(strerror(-code), out);
	}
	if (code == -EPERM)
		fputs(" [CAP_NET_ADMIN in the initial user namespace is required]", out);
	fputc('\n', out);
	return MBMSCTL_EXIT_KERNEL;
}

int cli_report(struct mbms_nl *nl, int ret)
{
	return cli_report_err(stderr, mbms_nl_last_error(nl), ret);
}

/* ---- stats -------------------------------------------------------------- */

/*
 * Every counter of a session, the one list for all three outputs.  In
 * Prometheus output a counter is "mbms_srtp_PROM_total"; the failures
 * (each failed packet counted once, by mbms_rx_fail()) share the family
 * mbms_srtp_failed_packets_total with the reason as a label.
 */
#define PROM_FAILED "failed_packets"

static const struct {
	const char *text;	/* human output, as in the man page */
	const char *json;	/* JSON field name */
	uint32_t flag;
	size_t off;
	const char *prom;	/* Prometheus family, without mbms_srtp_, _total */
	const char *reason;	/* its reason label, for PROM_FAILED */
	const char *help;	/* HELP of the family (PROM_FAILED: the reason) */
} stats_fields[] = {
#define F(t, j, F_, m, p, r, h) \
	{ t, j, MBMS_STATS_HAS_##F_, offsetof(struct mbms_stats, m), p, r, h }
#define FAIL(t, j, F_, m, r, h) F(t, j, F_, m, PROM_FAILED, r, h)
	F("packets", "packets", PACKETS, packets, "packets", NULL,
	  "SRTP and SRTCP packets authenticated and decrypted."),
	F("bytes", "bytes", BYTES, bytes, "bytes", NULL,
	  "Plaintext UDP payload bytes of the decrypted packets."),
	F("rtcp-packets", "rtcp_packets", RTCP_PACKETS, rtcp_packets,
	  "rtcp_packets", NULL, "Of the decrypted packets, the SRTCP ones."),
	FAIL("malformed", "malformed", MALFORMED, malformed, "malformed",
	     "bad RTP/RTCP header or lengths"),
	FAIL("unknown-mki", "unknown_mki", UNKNOWN_MKI, unknown_mki,
	     "unknown_mki", "no key for the packet's MKI"),
	FAIL("auth", "auth_failed", AUTH, auth, "auth",
	     "authentication tag mismatch"),
	FAIL("replay", "replay", REPLAY, replay, "replay",
	     "duplicate or too old"),
	FAIL("key-expired", "key_expired", KEY_EXPIRED, key_expired,
	     "key_expired", "key past its packet or time limit"),
	F("passed", "passed", PASSED, passed, "passed_packets", NULL,
	  "Failed packets passed on unchanged (on-fail pass)."),
	F("gso-segmented", "gso_segmented", GSO_SEGMENTED, gso_segmented,
	  "gso_segmented", NULL,
	  "GSO/GRO packets of a flow split into their segments."),
	FAIL("ssrc-full", "ssrc_full", SSRC_FULL, ssrc_full, "ssrc_full",
	     "new SSRC refused: every SSRC slot is live"),
	FAIL("nomem", "nomem", NOMEM, nomem, "nomem",
	     "no memory for a private copy"),
	F("frag-reassembled", "frag_reassembled", FRAG_REASSEMBLED,
	  frag_reassembled, "frag_reassembled", NULL,
	  "Datagrams reassembled from IP fragments before decryption."),
	FAIL("fragment", "fragment", FRAGMENT, fragment, "fragment",
	     "IP fragment that reached the module unreassembled"),
	FAIL("csum-error", "csum_error", CSUM_ERROR, csum_error, "csum_error",
	     "wrong or (IPv6) missing UDP checksum"),
	FAIL("roc-unknown", "roc_unknown", ROC_UNKNOWN, roc_unknown,
	     "roc_unknown", "RFC 4771 packet without integrity, ROC not in sync"),
#undef FAIL
#undef F
};

/* Lines of the text output: traffic, failures, then GSO handling. */
#define STATS_TRAFFIC 3
#define STATS_FAILURES 9

static uint64_t stat_value(const struct mbms_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + stats_fields[i].off, sizeof(v));
	return v;
}

static void stats_json(struct json *j, const struct mbms_stats *st)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stats_fields); i++)
		if (st->flags & stats_fields[i].flag)
			json_kv_u64(j, stats_fields[i].json, stat_value(st, i));
}

static void stats_text(FILE *out, const struct mbms_stats *st)
{
	size_t i;
	bool line = false;

	for (i = 0; i < ARRAY_SIZE(stats_fields); i++) {
		if ((i == STATS_TRAFFIC || i == STATS_FAILURES) && line) {
			fputc('\n', out);
			line = false;
		}
		if (!(st->flags & stats_fields[i].flag))
			continue;
		fprintf(out, "%s%s %" PRIu64, line ? " " : "\t",
			stats_fields[i].text, stat_value(st, i));
		line = true;
	}
	if (line)
		fputc('\n', out);
}

/* ---- sessions ----------------------------------------------------------- */

static void session_json(struct json *j, const struct mbms_session *s)
{
	json_obj_begin(j);
	json_kv_u64(j, "session_id", s->id);
	if (s->flags & MBMS_SESSION_HAS_SUITE)
		json_kv_str(j, "suite", mbms_suite_name(s->suite));
	if (s->flags & MBMS_SESSION_HAS_MKI_LEN)
		json_kv_u64(j, "mki_len", s->mki_len);
	if (s->flags & MBMS_SESSION_HAS_REPLAY_WINDOW)
		json_kv_u64(j, "replay_window", s->replay_window);
	if (s->flags & MBMS_SESSION_HAS_MAX_KEYS)
		json_kv_u64(j, "max_keys", s->max_keys);
	if (s->flags & MBMS_SESSION_HAS_ON_FAIL)
		json_kv_str(j, "on_fail", mbms_on_fail_name(s->on_fail));
	if (s->flags & MBMS_SESSION_HAS_MAX_SSRCS)
		json_kv_u64(j, "max_ssrcs", s->max_ssrcs);
	if (s->flags & MBMS_SESSION_HAS_RCC) {
		json_kv_u64(j, "rcc_mode", s->rcc_mode);
		json_kv_u64(j, "rcc_rate", s->rcc_rate);
	}
	if (s->flags & MBMS_SESSION_HAS_TAG_LEN)
		json_kv_u64(j, "tag_len", s->tag_len);
	if (s->flags & MBMS_SESSION_HAS_NKEYS)
		json_kv_u64(j, "key_count", s->nkeys);
	if (s->flags & MBMS_SESSION_HAS_NFLOWS)
		json_kv_u64(j, "flow_count", s->nflows);
	if (s->flags & MBMS_SESSION_HAS_NSSRCS)
		json_kv_u64(j, "ssrc_count", s->nssrcs);
	if (s->flags & MBMS_SESSION_HAS_SSRCS_HWM)
		json_kv_u64(j, "ssrc_high_water", s->ssrcs_hwm);
	if (s->flags & MBMS_SESSION_HAS_STATS) {
		json_key(j, "stats");
		json_obj_begin(j);
		stats_json(j, &s->stats);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void session_text(FILE *out, const struct mbms_session *s)
{
	fprintf(out, "session %" PRIu32, s->id);
	if (s->flags & MBMS_SESSION_HAS_SUITE)
		fprintf(out, " suite %s", mbms_suite_name(s->suite));
	if (s->flags & MBMS_SESSION_HAS_MKI_LEN)
		fprintf(out, " mki-len %u", s->mki_len);
	if (s->flags & MBMS_SESSION_HAS_REPLAY_WINDOW)
		fprintf(out, " window %u", s->replay_window);
	if (s->flags & MBMS_SESSION_HAS_MAX_KEYS)
		fprintf(out, " max-keys %u", s->max_keys);
	if (s->flags & MBMS_SESSION_HAS_ON_FAIL)
		fprintf(out, " on-fail %s", mbms_on_fail_name(s->on_fail));
	if (s->flags & MBMS_SESSION_HAS_MAX_SSRCS)
		fprintf(out, " max-ssrcs %u", s->max_ssrcs);
	if ((s->flags & MBMS_SESSION_HAS_RCC) && s->rcc_mode)
		fprintf(out, " rcc-mode %u rcc-rate %u", s->rcc_mode,
			s->rcc_rate);
	/* only a length neither suite has: the line stays as it was */
	if ((s->flags & MBMS_SESSION_HAS_TAG_LEN) && s->tag_len != 4 &&
	    s->tag_len != 10)
		fprintf(out, " tag-len %u", s->tag_len);
	fputc('\n', out);
	if (s->flags & (MBMS_SESSION_HAS_NKEYS | MBMS_SESSION_HAS_NFLOWS |
			MBMS_SESSION_HAS_NSSRCS))
		fprintf(out, "\tkeys %" PRIu32 " flows %" PRIu32
			" ssrcs %" PRIu32, s->nkeys, s->nflows, s->nssrcs);
	if (s->flags & MBMS_SESSION_HAS_SSRCS_HWM)
		fprintf(out, " ssrcs-max-seen %" PRIu32, s->ssrcs_hwm);
	if (s->flags & (MBMS_SESSION_HAS_NKEYS | MBMS_SESSION_HAS_NFLOWS |
			MBMS_SESSION_HAS_NSSRCS | MBMS_SESSION_HAS_SSRCS_HWM))
		fputc('\n', out);
	if (s->flags & MBMS_SESSION_HAS_STATS)
		stats_text(out, &s->stats);
}

void cli_print_sessions(FILE *out, bool json, const struct mbms_session *s,
			size_t n)
{
	struct json j;
	size_t i;

	if (!json) {
		for (i = 0; i < n; i++)
			session_text(out, &s[i]);
		return;
	}
	json_init(&j, out, false);
	json_arr_begin(&j);
	for (i = 0; i < n; i++)
		session_json(&j, &s[i]);
	json_arr_end(&j);
	json_finish(&j);
}

void cli_print_stats(FILE *out, bool json, const struct mbms_session *s,
		     size_t n)
{
	struct json j;
	size_t i;

	if (!json) {
		for (i = 0; i < n; i++) {
			fprintf(out, "session %" PRIu32 "\n", s[i].id);
			stats_text(out, &s[i].stats);
		}
		return;
	}
	json_init(&j, out, false);
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		json_obj_begin(&j);
		json_kv_u64(&j, "session_id", s[i].id);
		stats_json(&j, &s[i].stats);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_finish(&j);
}

/* ---- Prometheus --------------------------------------------------------- */

#define PROM_PREFIX "mbms_srtp_"
#define PROM_NAME_MAX 64

/* Whether field @i is the first of its family in stats_fields[]. */
static bool prom_first(size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(stats_fields[j].prom, stats_fields[i].prom))
			return false;
	return true;
}

/* Each family once, its samples together, as the format requires. */
static void prom_counters(FILE *out, const struct mbms_session *s, size_t n)
{
	char name[PROM_NAME_MAX], id[16];
	size_t i, f, si;

	for (f = 0; f < ARRAY_SIZE(stats_fields); f++) {
		bool failed = !strcmp(stats_fields[f].prom, PROM_FAILED);

		if (!prom_first(f))
			continue;
		snprintf(name, sizeof(name), PROM_PREFIX "%s_total",
			 stats_fields[f].prom);
		prom_family(out, name, "counter", failed ?
			    "Packets that failed, by reason (see mbmsctl(8) stats)." :
			    stats_fields[f].help);
		for (si = 0; si < n; si++) {
			const struct mbms_stats *st = &s[si].stats;

			if (!(s[si].flags & MBMS_SESSION_HAS_STATS))
				continue;
			snprintf(id, sizeof(id), "%" PRIu32, s[si].id);
			for (i = f; i < ARRAY_SIZE(stats_fields); i++) {
				struct prom_label l[2] = {
					{ "session", id },
					{ "reason", stats_fields[i].reason },
				};

				if (strcmp(stats_fields[i].prom,
					   stats_fields[f].prom) ||
				    !(st->flags & stats_fields[i].flag))
					continue;
				prom_u64(out, name, l, failed ? 2 : 1,
					 stat_value(st, i));
			}
		}
	}
}

/* The sessions' gauges: what session show reports besides counters. */
static const struct {
	const char *name;
	const char *help;
	uint32_t flag;
	size_t off;
} session_gauges[] = {
#define G(n, F_, m, h) \
	{ PROM_PREFIX n, h, MBMS_SESSION_HAS_##F_, offsetof(struct mbms_session, m) }
	G("keys", NKEYS, nkeys, "Keys (MTKs) installed in the session."),
	G("flows", NFLOWS, nflows, "Flows steered to the session."),
	G("ssrcs", NSSRCS, nssrcs, "SSRCs being tracked."),
	G("ssrcs_high_water", SSRCS_HWM, ssrcs_hwm,
	  "Most SSRCs tracked at once."),
#undef G
};

static void prom_gauges(FILE *out, const struct mbms_session *s, size_t n)
{
	char id[16];
	size_t g, i;
	uint32_t v;

	for (g = 0; g < ARRAY_SIZE(session_gauges); g++) {
		prom_family(out, session_gauges[g].name, "gauge",
			    session_gauges[g].help);
		for (i = 0; i < n; i++) {
			struct prom_label l = { "session", id };

			if (!(s[i].flags & session_gauges[g].flag))
				continue;
			snprintf(id, sizeof(id), "%" PRIu32, s[i].id);
			memcpy(&v, (const char *)&s[i] + session_gauges[g].off,
			       sizeof(v));
			prom_u64(out, session_gauges[g].name, &l, 1, v);
		}
	}
}

enum { KEY_PACKETS, KEY_AGE, KEY_IDLE, KEY_EXPIRED_G, KEY_METRICS };

static const struct {
	const char *name, *type, *help;
} key_metrics[KEY_METRICS] = {
	[KEY_PACKETS] = { PROM_PREFIX "key_packets_total", "counter",
			  "Packets authenticated with the key." },
	[KEY_AGE] = { PROM_PREFIX "key_age_seconds", "gauge",
		      "Time since the key was installed." },
	[KEY_IDLE] = { PROM_PREFIX "key_idle_seconds", "gauge",
		       "Time since the key last authenticated a packet (absent: never)." },
	[KEY_EXPIRED_G] = { PROM_PREFIX "key_expired", "gauge",
			    "1 if the key is past its packet or time limit." },
};

static void prom_keys(FILE *out, const struct mbms_key *k, size_t n)
{
	char id[16], msk[16], mtk[8];
	size_t m, i;

	for (m = 0; m < KEY_METRICS; m++) {
		const char *name = key_metrics[m].name;

		prom_family(out, name, key_metrics[m].type, key_metrics[m].help);
		for (i = 0; i < n; i++) {
			struct prom_label l[3] = {
				{ "session", id }, { "msk_id", msk },
				{ "mtk_id", mtk },
			};

			snprintf(id, sizeof(id), "%" PRIu32, k[i].session_id);
			snprintf(msk, sizeof(msk), "0x%08" PRIx32, k[i].msk_id);
			snprintf(mtk, sizeof(mtk), "%u", k[i].mtk_id);
			if (m == KEY_PACKETS && (k[i].flags & MBMS_KEY_HAS_PACKETS))
				prom_u64(out, name, l, 3, k[i].packets);
			else if (m == KEY_AGE && (k[i].flags & MBMS_KEY_HAS_AGE_MS))
				prom_ms(out, name, l, 3, k[i].age_ms);
			else if (m == KEY_IDLE && (k[i].flags & MBMS_KEY_HAS_IDLE_MS))
				prom_ms(out, name, l, 3, k[i].idle_ms);
			else if (m == KEY_EXPIRED_G)
				prom_u64(out, name, l, 3,
					 !!(k[i].flags & MBMS_KEY_EXPIRED));
		}
	}
}

void cli_print_prometheus(FILE *out, const struct mbms_session *s, size_t n,
			  const struct mbms_key *k, size_t nk)
{
	prom_counters(out, s, n);
	prom_gauges(out, s, n);
	prom_keys(out, k, nk);
}

/* ---- flows -------------------------------------------------------------- */

void cli_print_flows(FILE *out, bool json, const struct mbms_flow *f,
		     size_t n)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	struct json j;
	size_t i;

	if (json) {
		json_init(&j, out, false);
		json_arr_begin(&j);
	}
	for (i = 0; i < n; i++) {
		bool has_src = f[i].flags & MBMS_FLOW_HAS_SRC;
		bool rtcp = f[i].flags & MBMS_FLOW_RTCP;

		mbms_addr_str(&f[i].dst, dst, sizeof(dst));
		if (has_src)
			mbms_addr_str(&f[i].src, src, sizeof(src));
		if (!json) {
			fprintf(out, "flow session %" PRIu32 " dst %s dport %u",
				f[i].session_id, dst, f[i].dport);
			if (has_src)
				fprintf(out, " src %s", src);
			fprintf(out, "%s\n", rtcp ? " rtcp" : "");
			continue;
		}
		json_obj_begin(&j);
		json_kv_u64(&j, "session_id", f[i].session_id);
		json_kv_str(&j, "family",
			    f[i].dst.family == AF_INET6 ? "inet6" : "inet");
		json_kv_str(&j, "dst", dst);
		json_kv_u64(&j, "dport", f[i].dport);
		json_key(&j, "src");
		if (has_src)
			json_str(&j, src);
		else
			json_null(&j);
		json_kv_bool(&j, "rtcp", rtcp);
		json_obj_end(&j);
	}
	if (json) {
		json_arr_end(&j);
		json_finish(&j);
	}
}

/* ---- keys --------------------------------------------------------------- */

/* Milliseconds as seconds with three decimals: "12.345s". */
static void print_ms(FILE *out, const char *label, uint64_t ms)
{
	fprintf(out, " %s %" PRIu64 ".%03us", label, ms / 1000,
		(unsigned int)(ms % 1000));
}

static void key_text(FILE *out, const struct mbms_key *k)
{
	fprintf(out, "key session %" PRIu32 " msk-id 0x%08" PRIx32
		" mtk-id %u", k->session_id, k->msk_id, k->mtk_id);
	if (k->flags & MBMS_KEY_HAS_ROC)
		fprintf(out, " roc %" PRIu32, k->roc);
	if (k->flags & MBMS_KEY_HAS_MAX_PACKETS)
		fprintf(out, " max-packets %" PRIu64, k->max_packets);
	if (k->flags & MBMS_KEY_HAS_LIFETIME)
		fprintf(out, " lifetime %" PRIu32, k->lifetime);
	fputc('\n', out);
	fputc('\t', out);
	if (k->flags & MBMS_KEY_HAS_PACKETS)
		fprintf(out, "packets %" PRIu64, k->packets);
	if (k->flags & MBMS_KEY_HAS_AGE_MS)
		print_ms(out, "age", k->age_ms);
	if (k->flags & MBMS_KEY_HAS_IDLE_MS)
		print_ms(out, "idle", k->idle_ms);
	else
		fputs(" idle never-used", out);
	if (k->flags & MBMS_KEY_EXPIRED)
		fputs(" expired", out);
	fputc('\n', out);
}

static void key_json(struct json *j, const struct mbms_key *k)
{
	json_obj_begin(j);
	json_kv_u64(j, "session_id", k->session_id);
	json_kv_u64(j, "msk_id", k->msk_id);
	json_kv_u64(j, "mtk_id", k->mtk_id);
	if (k->flags & MBMS_KEY_HAS_ROC)
		json_kv_u64(j, "roc", k->roc);
	if (k->flags & MBMS_KEY_HAS_MAX_PACKETS)
		json_kv_u64(j, "max_packets", k->max_packets);
	if (k->flags & MBMS_KEY_HAS_LIFETIME)
		json_kv_u64(j, "lifetime", k->lifetime);
	if (k->flags & MBMS_KEY_HAS_PACKETS)
		json_kv_u64(j, "packets", k->packets);
	if (k->flags & MBMS_KEY_HAS_AGE_MS)
		json_kv_u64(j, "age_ms", k->age_ms);
	json_key(j, "idle_ms");
	if (k->flags & MBMS_KEY_HAS_IDLE_MS)
		json_u64(j, k->idle_ms);
	else
		json_null(j);
	json_kv_bool(j, "expired", k->flags & MBMS_KEY_EXPIRED);
	json_obj_end(j);
}

void cli_print_keys(FILE *out, bool json, const struct mbms_key *k, size_t n)
{
	struct json j;
	size_t i;

	if (!json) {
		for (i = 0; i < n; i++)
			key_text(out, &k[i]);
		return;
	}
	json_init(&j, out, false);
	json_arr_begin(&j);
	for (i = 0; i < n; i++)
		key_json(&j, &k[i]);
	json_arr_end(&j);
	json_finish(&j);
}

/* ---- events ------------------------------------------------------------- */

void cli_print_event(FILE *out, bool json, const struct mbms_event *ev)
{
	struct json j;

	if (!json) {
		fputs(mbms_event_cmd_name(ev->cmd), out);
		if (ev->flags & MBMS_EVENT_HAS_SESSION_ID)
			fprintf(out, " session %" PRIu32, ev->session_id);
		if (ev->flags & MBMS_EVENT_HAS_MSK_ID)
			fprintf(out, " msk-id 0x%08" PRIx32, ev->msk_id);
		if (ev->flags & MBMS_EVENT_HAS_MTK_ID)
			fprintf(out, " mtk-id %u", ev->mtk_id);
		if (ev->flags & MBMS_EVENT_HAS_REASON)
			fprintf(out, " reason %s",
				mbms_event_reason_name(ev->reason));
		fputc('\n', out);
		fflush(out);
		return;
	}
	json_init(&j, out, false);
	json_obj_begin(&j);
	json_kv_str(&j, "event", mbms_event_cmd_name(ev->cmd));
	if (ev->flags & MBMS_EVENT_HAS_SESSION_ID)
		json_kv_u64(&j, "session_id", ev->session_id);
	if (ev->flags & MBMS_EVENT_HAS_MSK_ID)
		json_kv_u64(&j, "msk_id", ev->msk_id);
	if (ev->flags & MBMS_EVENT_HAS_MTK_ID)
		json_kv_u64(&j, "mtk_id", ev->mtk_id);
	if (ev->flags & MBMS_EVENT_HAS_REASON)
		json_kv_str(&j, "reason", mbms_event_reason_name(ev->reason));
	json_obj_end(&j);
	json_finish(&j);	/* newline and fflush */
}
