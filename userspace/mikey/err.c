// SPDX-License-Identifier: GPL-2.0
/* libmikey: error codes, their names, and the names of kinds and payloads. */
#include <stdio.h>

#include "mikey_int.h"

static const char *const err_names[__MIKEY_E_MAX] = {
	[MIKEY_OK] = "ok",
	[MIKEY_E_TRUNCATED] = "truncated",
	[MIKEY_E_OVERSIZE] = "oversize",
	[MIKEY_E_VERSION] = "bad-version",
	[MIKEY_E_DATA_TYPE] = "bad-data-type",
	[MIKEY_E_PRF] = "bad-prf",
	[MIKEY_E_CS_MAP] = "bad-cs-map",
	[MIKEY_E_UNKNOWN_PAYLOAD] = "unknown-payload",
	[MIKEY_E_TOO_MANY_PAYLOADS] = "too-many-payloads",
	[MIKEY_E_DUPLICATE] = "duplicate-payload",
	[MIKEY_E_ORDER] = "bad-order",
	[MIKEY_E_TRAILING] = "trailing-bytes",
	[MIKEY_E_LENGTH] = "bad-length",
	[MIKEY_E_TS_TYPE] = "bad-timestamp",
	[MIKEY_E_ALG] = "bad-algorithm",
	[MIKEY_E_NULL_ALG] = "null-algorithm",
	[MIKEY_E_MISSING] = "missing-payload",
	[MIKEY_E_PROFILE] = "profile-violation",
	[MIKEY_E_EXT] = "bad-ext",
	[MIKEY_E_PULL_KEY] = "pull-with-key",
	[MIKEY_E_LIMIT] = "over-limit",
	[MIKEY_E_MAC] = "mac-mismatch",
	[MIKEY_E_KEY_DATA] = "bad-key-data",
	[MIKEY_E_REPLAY] = "replay",
	[MIKEY_E_MTK_ID_RANGE] = "mtk-id-out-of-range",
	[MIKEY_E_MTK_ID_OLD] = "mtk-id-not-increasing",
	[MIKEY_E_MSK_INVALID] = "msk-invalid",
	[MIKEY_E_KEY] = "bad-key",
	[MIKEY_E_NOSPACE] = "no-space",
	[MIKEY_E_INVAL] = "invalid-argument",
	[MIKEY_E_CRYPTO] = "crypto-failure",
};

const char *mikey_strerror(enum mikey_err code)
{
	if ((unsigned int)code >= __MIKEY_E_MAX || !err_names[code])
		return "unknown-error";
	return err_names[code];
}

int mikey_fail(struct mikey_error *err, enum mikey_err code, size_t offset,
	       const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *mikey_kind_name(enum mikey_kind kind)
{
	switch (kind) {
	case MIKEY_KIND_MSK:
		return "msk";
	case MIKEY_KIND_MTK:
		return "mtk";
	case MIKEY_KIND_SOLICITED_PULL:
		return "solicited-pull";
	case MIKEY_KIND_VERIFICATION:
		return "verification";
	default:
		return "unknown";
	}
}

const char *mikey_payload_name(uint8_t type)
{
	switch (type) {
	case MIKEY_PT_HDR:
		return "HDR";
	case MIKEY_PT_KEMAC:
		return "KEMAC";
	case MIKEY_PT_PKE:
		return "PKE";
	case MIKEY_PT_DH:
		return "DH";
	case MIKEY_PT_SIGN:
		return "SIGN";
	case MIKEY_PT_T:
		return "T";
	case MIKEY_PT_ID:
		return "ID";
	case MIKEY_PT_CERT:
		return "CERT";
	case MIKEY_PT_CHASH:
		return "CHASH";
	case MIKEY_PT_V:
		return "V";
	case MIKEY_PT_SP:
		return "SP";
	case MIKEY_PT_RAND:
		return "RAND";
	case MIKEY_PT_ERR:
		return "ERR";
	case MIKEY_PT_KEY_DATA:
		return "KEY-DATA";
	case MIKEY_PT_EXT:
		return "EXT";
	default:
		return "unknown";
	}
}
