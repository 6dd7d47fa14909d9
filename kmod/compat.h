/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels this module supports (6.1 and 6.12).
 * This is the only file allowed to test LINUX_VERSION_CODE, so that every
 * difference is visible in one place.
 */
#ifndef _MBMS_COMPAT_H
#define _MBMS_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.5 moved skb_gso_segment() from linux/netdevice.h to net/gso.h. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

/*
 * Since 6.2 a dump callback reaches the parsed attributes through the
 * embedded genl_info; 6.1 keeps them directly in genl_dumpit_info.
 */
static inline struct nlattr **mbms_compat_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The events group names key IDs and which keys are missing: only
 * CAP_NET_ADMIN may subscribe.  The flag came in 6.7 and is backported to
 * stable kernels (Debian's 6.1 has it), so test for the feature, not the
 * version: a version test left the group open to everyone on 6.1.  A
 * kernel without it cannot enforce this, so refuse to build there rather
 * than expose the group.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MBMS_COMPAT_MCGRP_FLAGS .flags = GENL_MCAST_CAP_NET_ADMIN,
#else
#error "this kernel lacks GENL_MCAST_CAP_NET_ADMIN: the events group would be open to every user"
#endif

#endif /* _MBMS_COMPAT_H */
