/* SPDX-License-Identifier: GPL-2.0 */
/* UDP socket set-up shared by srtp-send and srtp-recv (IPv4 and IPv6). */
#ifndef MBMS_NET_UTIL_H
#define MBMS_NET_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * Parse a numeric IPv4 or IPv6 address and @port into @ss.  Returns 0, or
 * -1 with a message in @err.
 */
int net_parse_addr(const char *addr, unsigned int port,
		   struct sockaddr_storage *ss, socklen_t *sslen,
		   char *err, size_t errlen);

bool net_is_multicast(const struct sockaddr_storage *ss);

/*
 * A UDP socket for sending to @dst, multicast out of @ifname (may be NULL)
 * with hop limit @ttl.  Returns the fd or -1 (message in @err).
 */
int net_sender(const struct sockaddr_storage *dst, const char *ifname,
	       unsigned int ttl, char *err, size_t errlen);

/*
 * A UDP socket bound to @local (a multicast group is joined on @ifname,
 * or the default interface), with a large receive buffer.  Returns the fd
 * or -1 (message in @err).
 */
int net_receiver(const struct sockaddr_storage *local, socklen_t len,
		 const char *ifname, char *err, size_t errlen);

#endif /* MBMS_NET_UTIL_H */
