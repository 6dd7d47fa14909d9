/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netfilter PRE_ROUTING hooks (IPv4 and IPv6), registered per netns.
 */
#ifndef _MBMS_HOOK_H
#define _MBMS_HOOK_H

struct mbms_net;

int mbms_hooks_register(struct mbms_net *mn);
void mbms_hooks_unregister(struct mbms_net *mn);

#endif /* _MBMS_HOOK_H */
