/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive path: authenticate, check replay, decrypt in place.
 */
#ifndef _MBMS_RX_H
#define _MBMS_RX_H

#include <linux/types.h>

struct sk_buff;
struct mbms_flow;
struct mbms_session;

unsigned int mbms_rx(struct sk_buff *skb, const struct mbms_flow *flow,
		     unsigned int thoff);
unsigned int mbms_rx_fail(struct mbms_session *s, unsigned int reason);
bool mbms_rx_writable(struct mbms_session *s, struct sk_buff *skb,
		      unsigned int len, unsigned int *verdict);

#endif /* _MBMS_RX_H */
