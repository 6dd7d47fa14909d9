// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 4771 section 3 (sender side).  A packet whose SEQ is 0 mod R (an
 * "RCC packet") gets TAG = ROC_sender || MAC_tr, MAC_tr being the MAC of
 * the default transform (over M || ROC, RFC 3711 section 4.2) truncated
 * by 32 bits, i.e. its first n_tag - 4 bytes, so the tag keeps its
 * length; in RCCm3 the tag is the ROC alone.  Other packets keep the
 * default tag in RCCm2 and have none in RCCm1 and RCCm3.  The MKI stays
 * where RFC 3711 section 3.1 puts it, between the payload and the tag.
 * The default tag libsrtp2 wrote is that MAC truncated to n_tag bytes,
 * so MAC_tr is its prefix and nothing needs computing again.
 */
#include <string.h>

#include "mbms/srtp_rcc.h"

#define RTP_HDR_LEN	12
#define ROC_LEN		4

size_t srtp_rcc_reframe(uint8_t *pkt, size_t len, size_t mki_len,
			size_t tag_len, unsigned int mode,
			uint16_t rate, uint32_t roc)
{
	uint8_t *tag;
	uint16_t seq;

	if (mode > 3 || tag_len < ROC_LEN ||
	    len < RTP_HDR_LEN + mki_len + tag_len)
		return 0;
	if (!mode)
		return len;
	if (!rate)
		return 0;
	seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
	tag = pkt + len - tag_len;
	if (seq % rate) {
		/* not an RCC packet: RCCm2 keeps its tag, 1 and 3 have none */
		return mode == 2 ? len : len - tag_len;
	}
	if (mode == 3)
		len = len - tag_len + ROC_LEN;
	else
		memmove(tag + ROC_LEN, tag, tag_len - ROC_LEN);
	tag[0] = (uint8_t)(roc >> 24);
	tag[1] = (uint8_t)(roc >> 16);
	tag[2] = (uint8_t)(roc >> 8);
	tag[3] = (uint8_t)roc;
	return len;
}
