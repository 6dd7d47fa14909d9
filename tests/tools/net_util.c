// SPDX-License-Identifier: GPL-2.0
/* UDP socket set-up for the traffic tools. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net_util.h"

/* Room for a 10,000 packet burst without the socket dropping any. */
#define RCVBUF_BYTES (64 << 20)

int net_parse_addr(const char *addr, unsigned int port,
		   struct sockaddr_storage *ss, socklen_t *sslen,
		   char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (port == 0 || port > 65535) {
		snprintf(err, errlen, "port %u out of range 1..65535", port);
		return -1;
	}
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*sslen = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*sslen = sizeof(*s6);
		return 0;
	}
	snprintf(err, errlen, "'%s' is not a numeric IPv4 or IPv6 address", addr);
	return -1;
}

bool net_is_multicast(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return IN_MULTICAST(ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr));
	return IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static int ifindex(const char *ifname, unsigned int *idx, char *err, size_t errlen)
{
	*idx = 0;
	if (!ifname)
		return 0;
	*idx = if_nametoindex(ifname);
	if (!*idx) {
		snprintf(err, errlen, "no interface '%s'", ifname);
		return -1;
	}
	return 0;
}

static int fail(int fd, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int net_sender(const struct sockaddr_storage *dst, const char *ifname,
	       unsigned int ttl, char *err, size_t errlen)
{
	unsigned int idx;
	int fd, v = ttl;

	if (ifindex(ifname, &idx, err, errlen))
		return -1;
	fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(-1, "socket", err, errlen);
	if (dst->ss_family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = idx };

		if (idx && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)))
			return fail(fd, "IP_MULTICAST_IF", err, errlen);
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof(v)))
			return fail(fd, "IP_MULTICAST_TTL", err, errlen);
	} else {
		int i = idx;

		if (idx && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &i, sizeof(i)))
			return fail(fd, "IPV6_MULTICAST_IF", err, errlen);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &v, sizeof(v)))
			return fail(fd, "IPV6_MULTICAST_HOPS", err, errlen);
	}
	return fd;
}

static int join(int fd, const struct sockaddr_storage *g, unsigned int idx,
		char *err, size_t errlen)
{
	if (g->ss_family == AF_INET) {
		struct ip_mreqn mr = {
			.imr_multiaddr = ((const struct sockaddr_in *)g)->sin_addr,
			.imr_ifindex = idx,
		};

		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			return fail(fd, "IP_ADD_MEMBERSHIP", err, errlen);
	} else {
		struct ipv6_mreq mr = {
			.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)g)->sin6_addr,
			.ipv6mr_interface = idx,
		};

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			return fail(fd, "IPV6_ADD_MEMBERSHIP", err, errlen);
	}
	return fd;
}

int net_receiver(const struct sockaddr_storage *local, socklen_t len,
		 const char *ifname, char *err, size_t errlen)
{
	unsigned int idx;
	int fd, one = 1, buf = RCVBUF_BYTES;

	if (ifindex(ifname, &idx, err, errlen))
		return -1;
	fd = socket(local->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(-1, "socket", err, errlen);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* FORCE needs CAP_NET_ADMIN; fall back to what rmem_max allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (const struct sockaddr *)local, len))
		return fail(fd, "bind", err, errlen);
	if (net_is_multicast(local))
		return join(fd, local, idx, err, errlen);
	return fd;
}
