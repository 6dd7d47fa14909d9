/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSO (UDP GRO or UDP_SEGMENT) skbs on a matched flow: segment them and
 * hand every segment back to the stack.
 */
#ifndef _MBMS_GSO_H
#define _MBMS_GSO_H

#include <linux/types.h>

struct sk_buff;
struct mbms_session;

unsigned int mbms_gso_reinject(struct sk_buff *skb, struct mbms_session *s,
			       __be16 proto);

#endif /* _MBMS_GSO_H */
