// SPDX-License-Identifier: GPL-2.0
/*
 * libmbmsnl transport: the request socket (one request, then its ack or
 * dump, at a time), the event socket, and turning libnl's error codes and
 * the kernel's NLMSG_ERROR/extack into struct mbms_nl_err.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "mbms/common.h"
#include "msg.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A dump interrupted by a concurrent change is restarted this often. */
#define DUMP_RETRIES 5
/* Receive buffer of the event socket: room for bursts of notifications. */
#define EVENT_RCVBUF (1 << 20)

struct mbms_nl {
	struct nl_sock *sk;	/* requests */
	struct nl_sock *ev;	/* events, NULL until subscribed */
	int family;
	int mcgrp;		/* -1 if the family has no events group */
	struct mbms_nl_err err;
};

const struct mbms_nl_err *mbms_nl_last_error(const struct mbms_nl *nl)
{
	return &nl->err;
}

uint16_t mbms_nl_family_id(const struct mbms_nl *nl)
{
	return (uint16_t)nl->family;
}

static void set_err(struct mbms_nl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(struct mbms_nl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	memset(err, 0, sizeof(*err));
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* libnl's NLE_* (positive) to a negative errno, for local failures. */
static int nlerr_to_errno(int nlerr)
{
	switch (abs(nlerr)) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_MSG_TRUNC:
	case NLE_MSG_OVERFLOW:
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_PROTO_MISMATCH:
	case NLE_MSGTYPE_NOSUPPORT:
		return -EPROTO;
	default:
		return -EIO;
	}
}

static void set_nlerr(struct mbms_nl_err *err, int nlerr, const char *what)
{
	set_err(err, nlerr_to_errno(nlerr), "%s: %s", what,
		nl_geterror(nlerr));
}

/* Extended acks give us the kernel's reason; capped acks keep keys out. */
static void enable_ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	/* Both exist since Linux 4.12; without them errors are bare. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

struct mbms_nl *mbms_nl_open(struct mbms_nl_err *errp)
{
	struct mbms_nl_err tmp, *err = errp ? errp : &tmp;
	struct mbms_nl *nl = calloc(1, sizeof(*nl));
	int ret;

	memset(err, 0, sizeof(*err));
	if (!nl) {
		set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	nl->mcgrp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		set_err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		set_nlerr(err, ret, "cannot open a generic netlink socket");
		goto fail;
	}
	enable_ext_ack(nl->sk);
	nl->family = genl_ctrl_resolve(nl->sk, MBMS_SRTP_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		set_err(err, -ENOENT,
			"generic netlink family '%s' not found (is the mbms_srtp module loaded? try 'modprobe mbms_srtp')",
			MBMS_SRTP_GENL_NAME);
		goto fail;
	}
	if (nl->family < 0) {
		set_nlerr(err, nl->family, "cannot resolve family " MBMS_SRTP_GENL_NAME);
		goto fail;
	}
	/* Missing group: requests still work; subscribing will say why not. */
	ret = genl_ctrl_resolve_grp(nl->sk, MBMS_SRTP_GENL_NAME,
				    MBMS_SRTP_MCGRP_EVENTS);
	nl->mcgrp = ret < 0 ? -1 : ret;
	return nl;

fail:
	mbms_nl_close(nl);
	return NULL;
}

void mbms_nl_close(struct mbms_nl *nl)
{
	if (!nl)
		return;
	if (nl->ev)
		nl_socket_free(nl->ev);
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

/* ---- one request -------------------------------------------------------- */

typedef int (*parse_fn)(struct nlmsghdr *nlh, void *item);

/* State of one request while its replies come in. */
struct xfer {
	struct mbms_nl *nl;
	const struct nlmsghdr *req;
	parse_fn parse;		/* NULL: no replies expected */
	size_t item_size;
	size_t max_items;	/* 1 for a doit, SIZE_MAX for a dump */
	char *items;
	size_t n, cap;
	bool done;
	int local_err;		/* a reply we could not parse or store */
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	if (!x->parse || nlh->nlmsg_type != x->nl->family)
		return NL_OK;
	if (x->n == x->max_items) {
		x->local_err = -EPROTO;	/* a doit answered twice */
		return NL_OK;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		char *p = reallocarray(x->items, cap, x->item_size);

		if (!p) {
			x->local_err = -ENOMEM;
			return NL_OK;	/* keep reading to the end of the dump */
		}
		x->items = p;
		x->cap = cap;
	}
	ret = x->parse(nlh, x->items + x->n * x->item_size);
	if (ret) {
		x->local_err = ret;
		return NL_OK;
	}
	x->n++;
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	mbms_msg_parse_done(nlmsg_hdr(msg), &x->nl->err);
	x->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xfer *x = arg;
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	mbms_msg_parse_error(nlh, x->req, &x->nl->err);
	x->done = true;
	return NL_STOP;
}

/*
 * Send @msg and collect its replies into @x until the ack, the error or
 * the end of the dump.  Returns 0 or a negative errno; nl->err says more.
 */
static int transact_once(struct mbms_nl *nl, struct nl_msg *msg,
			 struct xfer *x)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	memset(&nl->err, 0, sizeof(nl->err));
	if (!cb) {
		set_err(&nl->err, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, x);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		set_nlerr(&nl->err, ret, "cannot send request");
		goto out;
	}
	x->req = nlmsg_hdr(msg);
	ret = 0;
	while (!x->done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0)
			break;
	}
	if (nl->err.code) {
		ret = nl->err.code;	/* the kernel said no */
	} else if (ret < 0) {
		set_nlerr(&nl->err, ret, "cannot receive reply");
		ret = nl->err.code;
	} else if (x->local_err) {
		set_err(&nl->err, x->local_err,
			x->local_err == -ENOMEM ? "out of memory" :
			"malformed reply from the kernel");
		ret = x->local_err;
	}
out:
	nl_cb_put(cb);
	return ret;
}

/* A dump may be interrupted by a concurrent change: start it again. */
static int transact(struct mbms_nl *nl, struct nl_msg *msg, struct xfer *x)
{
	int tries = 0, ret;

	for (;;) {
		x->n = 0;
		x->done = false;
		x->local_err = 0;
		ret = transact_once(nl, msg, x);
		if (ret != -EINTR || nl->err.from_kernel ||
		    ++tries >= DUMP_RETRIES)
			return ret;
	}
}

/* A request without replies beyond the ack; frees @msg. */
static int do_simple(struct mbms_nl *nl, struct nl_msg *msg, bool wipe)
{
	struct xfer x = { .nl = nl };
	int ret = transact(nl, msg, &x);

	if (wipe)
		mbms_msg_free_wiped(msg);
	else
		nlmsg_free(msg);
	return ret;
}

/* Allocate a request or record ENOMEM. */
static struct nl_msg *new_req(struct mbms_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = mbms_msg_new((uint16_t)nl->family, cmd, flags);

	if (!msg)
		set_err(&nl->err, -ENOMEM, "out of memory");
	return msg;
}

/* Fail a request whose attributes did not fit or were inconsistent. */
static int put_failed(struct mbms_nl *nl, struct nl_msg *msg, int ret,
		      bool wipe)
{
	set_err(&nl->err, ret, ret == -EINVAL ?
		"invalid flow: no destination, or source and destination of different address families" :
		"request too large");
	if (wipe)
		mbms_msg_free_wiped(msg);
	else
		nlmsg_free(msg);
	return ret;
}

static int do_dump(struct mbms_nl *nl, struct nl_msg *msg, parse_fn parse,
		   size_t item_size, void **out, size_t *n)
{
	struct xfer x = {
		.nl = nl, .parse = parse, .item_size = item_size,
		.max_items = SIZE_MAX,
	};
	int ret = transact(nl, msg, &x);

	nlmsg_free(msg);
	if (ret) {
		free(x.items);
		*out = NULL;
		*n = 0;
		return ret;
	}
	*out = x.items;
	*n = x.n;
	return 0;
}

/* ---- sessions ----------------------------------------------------------- */

int mbms_nl_session_add(struct mbms_nl *nl, const struct mbms_session *s)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_SESSION_NEW, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_session(msg, s);
	if (ret)
		return put_failed(nl, msg, ret, false);
	return do_simple(nl, msg, false);
}

int mbms_nl_session_del(struct mbms_nl *nl, uint32_t id)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_SESSION_DEL, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_session_id(msg, id);
	if (ret)
		return put_failed(nl, msg, ret, false);
	return do_simple(nl, msg, false);
}

static int parse_session(struct nlmsghdr *nlh, void *item)
{
	return mbms_msg_parse_session(nlh, item);
}

int mbms_nl_session_get(struct mbms_nl *nl, uint32_t id,
			struct mbms_session *out)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_SESSION_GET, 0);
	struct xfer x = {
		.nl = nl, .parse = parse_session,
		.item_size = sizeof(*out), .max_items = 1,
	};
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_session_id(msg, id);
	if (ret)
		return put_failed(nl, msg, ret, false);
	ret = transact(nl, msg, &x);
	nlmsg_free(msg);
	if (!ret && x.n != 1) {
		set_err(&nl->err, -EPROTO, "no reply from the kernel");
		ret = -EPROTO;
	}
	if (!ret)
		memcpy(out, x.items, sizeof(*out));
	free(x.items);
	return ret;
}

int mbms_nl_session_dump(struct mbms_nl *nl, struct mbms_session **out,
			 size_t *n)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_SESSION_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return do_dump(nl, msg, parse_session, sizeof(**out), (void **)out, n);
}

int mbms_nl_stats_get(struct mbms_nl *nl, uint32_t id, struct mbms_stats *out)
{
	struct mbms_session s;
	int ret = mbms_nl_session_get(nl, id, &s);

	if (ret)
		return ret;
	*out = s.stats;
	return 0;
}

/* ---- flows -------------------------------------------------------------- */

static int flow_req(struct mbms_nl *nl, uint8_t cmd, const struct mbms_flow *f)
{
	struct nl_msg *msg = new_req(nl, cmd, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_flow(msg, f, cmd == MBMS_SRTP_CMD_FLOW_NEW);
	if (ret)
		return put_failed(nl, msg, ret, false);
	return do_simple(nl, msg, false);
}

int mbms_nl_flow_add(struct mbms_nl *nl, const struct mbms_flow *f)
{
	return flow_req(nl, MBMS_SRTP_CMD_FLOW_NEW, f);
}

int mbms_nl_flow_del(struct mbms_nl *nl, const struct mbms_flow *f)
{
	return flow_req(nl, MBMS_SRTP_CMD_FLOW_DEL, f);
}

static int parse_flow(struct nlmsghdr *nlh, void *item)
{
	return mbms_msg_parse_flow(nlh, item);
}

int mbms_nl_flow_dump(struct mbms_nl *nl, struct mbms_flow **out, size_t *n)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_FLOW_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return do_dump(nl, msg, parse_flow, sizeof(**out), (void **)out, n);
}

/* ---- keys --------------------------------------------------------------- */

void mbms_key_wipe(struct mbms_key *k)
{
	secure_zero(k, sizeof(*k));
}

int mbms_nl_key_add(struct mbms_nl *nl, const struct mbms_key *k)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_KEY_NEW, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_key(msg, k);
	if (ret)
		return put_failed(nl, msg, ret, true);
	return do_simple(nl, msg, true);
}

int mbms_nl_key_del(struct mbms_nl *nl, uint32_t session_id,
		    uint32_t msk_id, uint16_t mtk_id)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_KEY_DEL, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mbms_msg_put_key_id(msg, session_id, msk_id, mtk_id);
	if (ret)
		return put_failed(nl, msg, ret, false);
	return do_simple(nl, msg, false);
}

static int parse_key(struct nlmsghdr *nlh, void *item)
{
	return mbms_msg_parse_key(nlh, item);
}

int mbms_nl_key_dump(struct mbms_nl *nl, uint32_t session_id,
		     struct mbms_key **out, size_t *n)
{
	struct nl_msg *msg = new_req(nl, MBMS_SRTP_CMD_KEY_GET, NLM_F_DUMP);
	int ret;

	if (!msg)
		return -ENOMEM;
	if (session_id) {
		ret = mbms_msg_put_session_id(msg, session_id);
		if (ret)
			return put_failed(nl, msg, ret, false);
	}
	return do_dump(nl, msg, parse_key, sizeof(**out), (void **)out, n);
}

/* ---- events ------------------------------------------------------------- */

/*
 * A large receive buffer makes overruns rare in bursts.  SO_RCVBUF is
 * capped by net.core.rmem_max (often 208 KiB); the commands need
 * CAP_NET_ADMIN anyway, which is what SO_RCVBUFFORCE asks for.
 */
static int set_event_rcvbuf(struct nl_sock *ev)
{
	int size = EVENT_RCVBUF;

	if (!setsockopt(nl_socket_get_fd(ev), SOL_SOCKET, SO_RCVBUFFORCE,
			&size, sizeof(size)))
		return 0;
	return nl_socket_set_buffer_size(ev, EVENT_RCVBUF, 0);
}

int mbms_nl_events_subscribe(struct mbms_nl *nl)
{
	struct nl_sock *ev;
	int ret;

	memset(&nl->err, 0, sizeof(nl->err));
	if (nl->ev)
		return 0;
	if (nl->mcgrp < 0) {
		set_err(&nl->err, -ENOENT,
			"family '%s' has no '%s' multicast group",
			MBMS_SRTP_GENL_NAME, MBMS_SRTP_MCGRP_EVENTS);
		return -ENOENT;
	}
	ev = nl_socket_alloc();
	if (!ev) {
		set_err(&nl->err, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	/* Notifications carry sequence number 0: nothing to check. */
	nl_socket_disable_seq_check(ev);
	ret = genl_connect(ev);
	if (!ret)
		ret = set_event_rcvbuf(ev);
	if (!ret)
		ret = nl_socket_add_membership(ev, nl->mcgrp);
	if (!ret)
		ret = nl_socket_set_nonblocking(ev);
	if (ret < 0) {
		set_nlerr(&nl->err, ret, "cannot subscribe to events");
		nl_socket_free(ev);
		return nl->err.code;
	}
	nl->ev = ev;
	return 0;
}

int mbms_nl_events_fd(const struct mbms_nl *nl)
{
	return nl->ev ? nl_socket_get_fd(nl->ev) : -1;
}

struct event_rx {
	struct mbms_nl *nl;
	mbms_event_cb cb;
	void *arg;
	int delivered;
	int stop;		/* the callback's non-zero return */
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_rx *rx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct mbms_event ev;

	if (nlh->nlmsg_type != rx->nl->family)
		return NL_SKIP;
	/* Malformed or unknown notifications are skipped, not fatal. */
	if (mbms_msg_parse_event(nlh, &ev) ||
	    ev.cmd != MBMS_SRTP_CMD_KEY_NEEDED_NTF)
		return NL_SKIP;
	rx->delivered++;
	rx->stop = rx->cb(&ev, rx->arg);
	return rx->stop ? NL_STOP : NL_OK;
}

static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int mbms_nl_events_recv(struct mbms_nl *nl, mbms_event_cb cb, void *arg)
{
	struct event_rx rx = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *ncb;
	int ret;

	memset(&nl->err, 0, sizeof(nl->err));
	if (!nl->ev) {
		set_err(&nl->err, -EBADF, "not subscribed to events");
		return -EBADF;
	}
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb) {
		set_err(&nl->err, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &rx);
	/* A fresh nl_cb checks sequence numbers again: notifications have 0. */
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	/*
	 * Each call reads one datagram; the non-blocking socket running dry
	 * shows up as 0 or -NLE_AGAIN depending on the libnl version.
	 */
	do {
		ret = nl_recvmsgs_report(nl->ev, ncb);
	} while (ret > 0 && !rx.stop);
	nl_cb_put(ncb);
	if (rx.stop)
		return rx.stop;
	if (ret == -NLE_AGAIN)
		ret = 0;
	if (ret < 0) {
		/* recvmsg's ENOBUFS (overrun) reaches us as NLE_NOMEM. */
		if (abs(ret) == NLE_NOMEM) {
			set_err(&nl->err, -ENOBUFS,
				"event socket overrun: events were lost");
			return -ENOBUFS;
		}
		set_nlerr(&nl->err, ret, "cannot receive events");
		return nl->err.code;
	}
	return rx.delivered;
}
