/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "mbms_srtp" generic netlink family (include/uapi/linux/mbms_srtp.h).
 */
#ifndef _MBMS_NETLINK_H
#define _MBMS_NETLINK_H

#include <linux/types.h>

struct net;

int mbms_genl_init(void);
void mbms_genl_exit(void);
void mbms_genl_key_needed(struct net *net, u32 session_id, u32 msk_id,
			  u16 mtk_id, u8 reason);

#endif /* _MBMS_NETLINK_H */
