// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for libmbmsnl's reply parsers (userspace/netlink/msg.c):
 * the input is one netlink message as it would come off the socket
 * (nlmsg_len is forced to the input size, as libnl only hands over
 * messages that fit what was received), fed to every parser: session,
 * flow, key, event, NLMSG_ERROR with extended acks, NLMSG_DONE.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "msg.h"

/* The request an error is matched against (for NLMSGERR_ATTR_OFFS). */
static struct nl_msg *request(void)
{
	static struct nl_msg *req;
	struct mbms_session s = {
		.id = 1, .flags = MBMS_SESSION_HAS_REPLAY_WINDOW |
				  MBMS_SESSION_HAS_SUITE,
		.replay_window = 128, .suite = 1,
	};

	if (!req) {
		req = mbms_msg_new(0x20, MBMS_SRTP_CMD_SESSION_NEW, 0);
		if (!req || mbms_msg_put_session(req, &s))
			abort();
	}
	return req;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbms_session s;
	struct mbms_flow f;
	struct mbms_key k;
	struct mbms_event ev;
	struct mbms_nl_err err;
	struct nlmsghdr *nlh;

	if (size < NLMSG_HDRLEN || size > 65536)
		return 0;
	/* A copy of exactly @size bytes, so ASan sees any overread. */
	nlh = malloc(size);
	if (!nlh)
		return 0;
	memcpy(nlh, data, size);
	nlh->nlmsg_len = (uint32_t)size;

	mbms_msg_parse_session(nlh, &s);
	mbms_msg_parse_flow(nlh, &f);
	mbms_msg_parse_key(nlh, &k);
	mbms_msg_parse_event(nlh, &ev);
	mbms_msg_parse_error(nlh, nlmsg_hdr(request()), &err);
	if (strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg))
		abort();	/* the extack text must stay terminated */
	mbms_msg_parse_done(nlh, &err);
	free(nlh);
	return 0;
}
