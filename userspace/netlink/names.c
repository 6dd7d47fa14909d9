// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the family's enum values and attributes, and address literals:
 * one table each, so the CLI, the daemon's logs and JSON output agree.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "mbms/common.h"
#include "mbms/nl.h"

static const char *const suite_names[] = {
	[MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80] = "aes-cm-128-hmac-sha1-80",
	[MBMS_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32] = "aes-cm-128-hmac-sha1-32",
};

static const char *const on_fail_names[] = {
	[MBMS_SRTP_ON_FAIL_DROP] = "drop",
	[MBMS_SRTP_ON_FAIL_PASS] = "pass",
};

static const char *const reason_names[] = {
	[MBMS_SRTP_EVENT_UNKNOWN_MKI] = "unknown-mki",
	[MBMS_SRTP_EVENT_KEY_SOFT_PACKETS] = "key-soft-packets",
	[MBMS_SRTP_EVENT_KEY_SOFT_LIFETIME] = "key-soft-lifetime",
};

#define ATTR(x) [MBMS_SRTP_A_##x] = "MBMS_SRTP_A_" #x
static const char *const attr_names[MBMS_SRTP_A_MAX + 1] = {
	ATTR(SESSION_ID), ATTR(SUITE), ATTR(MKI_LEN), ATTR(REPLAY_WINDOW),
	ATTR(MAX_KEYS), ATTR(ON_FAIL), ATTR(SESSION_NKEYS),
	ATTR(SESSION_NFLOWS), ATTR(SESSION_NSSRCS), ATTR(STATS),
	ATTR(FLOW_DST4), ATTR(FLOW_DST6), ATTR(FLOW_SRC4), ATTR(FLOW_SRC6),
	ATTR(FLOW_DPORT), ATTR(FLOW_RTCP), ATTR(MSK_ID), ATTR(MTK_ID),
	ATTR(KEY_MASTER), ATTR(KEY_SALT), ATTR(KEY_ROC), ATTR(KEY_MAX_PACKETS),
	ATTR(KEY_LIFETIME), ATTR(KEY_PACKETS), ATTR(KEY_AGE_MS),
	ATTR(KEY_IDLE_MS), ATTR(KEY_EXPIRED), ATTR(EVENT_REASON), ATTR(PAD),
	ATTR(MAX_SSRCS), ATTR(SESSION_SSRCS_HWM), ATTR(SESSION_RCC_MODE),
	ATTR(SESSION_RCC_RATE), ATTR(SESSION_TAG_LEN),
};
#undef ATTR

static const char *lookup(const char *const *tab, size_t n, unsigned int v)
{
	return v < n && tab[v] ? tab[v] : "unknown";
}

static int find(const char *const *tab, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], s))
			return (int)i;
	return -1;
}

const char *mbms_suite_name(unsigned int suite)
{
	return lookup(suite_names, ARRAY_SIZE(suite_names), suite);
}

int mbms_suite_parse(const char *s)
{
	return find(suite_names, ARRAY_SIZE(suite_names), s);
}

const char *mbms_on_fail_name(unsigned int on_fail)
{
	return lookup(on_fail_names, ARRAY_SIZE(on_fail_names), on_fail);
}

int mbms_on_fail_parse(const char *s)
{
	return find(on_fail_names, ARRAY_SIZE(on_fail_names), s);
}

const char *mbms_event_reason_name(unsigned int reason)
{
	return lookup(reason_names, ARRAY_SIZE(reason_names), reason);
}

const char *mbms_event_cmd_name(unsigned int cmd)
{
	return cmd == MBMS_SRTP_CMD_KEY_NEEDED_NTF ? "key-needed" : "unknown";
}

const char *mbms_nl_attr_name(uint16_t type)
{
	static __thread char buf[32];

	if (type <= MBMS_SRTP_A_MAX && attr_names[type])
		return attr_names[type];
	snprintf(buf, sizeof(buf), "attribute %u", type);
	return buf;
}

const char *mbms_addr_str(const struct mbms_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 :
		       (const void *)&a->v6, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

int mbms_addr_parse(const char *s, struct mbms_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}
