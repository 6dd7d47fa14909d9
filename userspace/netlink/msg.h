/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to libmbmsnl: building request messages and parsing replies,
 * kept apart from the sockets so that unit tests can check every attribute
 * without a kernel (tests/unit/mbmsctl_msg_test.c).
 */
#ifndef MBMS_NL_MSG_H
#define MBMS_NL_MSG_H

#include <netlink/msg.h>

#include "mbms/nl.h"

/*
 * A new request: netlink header (flags as given, NLM_F_REQUEST added by
 * libnl on send), genl header with @cmd and MBMS_SRTP_GENL_VERSION.  NULL
 * when out of memory.
 */
struct nl_msg *mbms_msg_new(uint16_t family, uint8_t cmd, int flags);

/*
 * Append the attributes of a request.  Each returns 0, -EINVAL when the
 * model is inconsistent (say, no destination address) or -EMSGSIZE.
 */
int mbms_msg_put_session(struct nl_msg *msg, const struct mbms_session *s);
int mbms_msg_put_session_id(struct nl_msg *msg, uint32_t id);
/* @with_session: FLOW_NEW carries SESSION_ID and RTCP, FLOW_DEL does not. */
int mbms_msg_put_flow(struct nl_msg *msg, const struct mbms_flow *f,
		      bool with_session);
int mbms_msg_put_key(struct nl_msg *msg, const struct mbms_key *k);
int mbms_msg_put_key_id(struct nl_msg *msg, uint32_t session_id,
			uint32_t msk_id, uint16_t mtk_id);

/* Wipe the whole buffer of @msg, then free it (for requests with keys). */
void mbms_msg_free_wiped(struct nl_msg *msg);

/*
 * Parse one reply (a genl message of the family) into the model.  Each
 * returns 0, or -EBADMSG naming nothing when a required attribute is
 * missing or an attribute has the wrong length.  Unknown attributes are
 * ignored (a newer kernel may add some).
 */
int mbms_msg_parse_session(struct nlmsghdr *nlh, struct mbms_session *out);
int mbms_msg_parse_flow(struct nlmsghdr *nlh, struct mbms_flow *out);
int mbms_msg_parse_key(struct nlmsghdr *nlh, struct mbms_key *out);
int mbms_msg_parse_event(struct nlmsghdr *nlh, struct mbms_event *out);

/*
 * Fill @err from an NLMSG_ERROR message @nlh (errno and, with
 * NLM_F_ACK_TLVS, the extack attributes).  @req is the request it answers
 * (to map NLMSGERR_ATTR_OFFS to an attribute type), or NULL.
 */
void mbms_msg_parse_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, struct mbms_nl_err *err);
/* Same for the int error and extack of a failed dump's NLMSG_DONE. */
void mbms_msg_parse_done(const struct nlmsghdr *nlh, struct mbms_nl_err *err);

#endif /* MBMS_NL_MSG_H */
