/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 4771 (ROC carriage, RCCm1..3) framing for senders: test tools and
 * bmsc-sim protect packets with libsrtp2's default transform and turn
 * them into their RCC form with this.
 */
#ifndef MBMS_SRTP_RCC_H
#define MBMS_SRTP_RCC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Turn an SRTP packet that libsrtp2 protected with the default
 * transform (pkt = M || MKI || full tag over M || ROC) into its
 * RFC 4771 form for @mode (1..3) and rate @rate, @roc being the ROC
 * libsrtp2 used.  Returns the new length (never longer).
 *
 * Mode 0 returns @len unchanged; a packet too short for an RTP header,
 * MKI and tag, @tag_len < 4, a mode above 3 or a rate of 0 return 0.
 */
size_t srtp_rcc_reframe(uint8_t *pkt, size_t len, size_t mki_len,
			size_t tag_len, unsigned int mode,
			uint16_t rate, uint32_t roc);

#endif /* MBMS_SRTP_RCC_H */
