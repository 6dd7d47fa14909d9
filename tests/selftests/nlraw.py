#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink requests to the mbms_srtp family, for the selftests.

Builds messages by hand (no libnl, no mbmsctl validation) so that the
kernel's own policy checks and extack messages can be tested.  Command
and attribute names come from the uapi header, so they cannot drift.

  nlraw.py request CMD [ATTR=TYPE:VALUE]...   one request with NLM_F_ACK;
      TYPE is u8, u16, u32, u64, hex (bytes) or flag (no value).  Prints
      "errno N", "extack MESSAGE" and, if the kernel pointed at one,
      "attr NAME"; exit 0 if the kernel accepted it, 2 if it refused it,
      1 on a local error.
  nlraw.py dump CMD                             a dump; prints every reply
      message as one hex line (to grep for bytes that must never appear).
  nlraw.py join GROUP                           join the family's multicast
      GROUP (by name); prints "joined" (exit 0) or "errno N" (exit 2).
  nlraw.py batch                                requests from stdin, one
      "CMD [ATTR=TYPE:VALUE]..." per line (one process: python starts
      slowly under TCG); prints "ERRNO<tab>ATTR<tab>EXTACK" per request,
      ATTR "-" when the kernel did not point at one.
  nlraw.py dumprace keys|flows                  a dump that races a delete:
      a first dump learns where the kernel ends its first reply buffer;
      a second dump is started, the object at that cut is deleted
      (keys: the session the cut falls in; flows: the first flow), and
      the rest is read.  Prints JSON: what was deleted, every object the
      second dump returned, and whether any reply had NLM_F_DUMP_INTR.
"""
import json
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_DUMP_INTR = 0x10
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2
NETLINK_ADD_MEMBERSHIP = 1
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "../../include/uapi/linux/mbms_srtp.h")


def uapi_enum(name, prefix):
    """Values of `enum name` from the uapi header, keyed without prefix."""
    text = open(HEADER).read()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    out, val = {}, 0
    for line in body.splitlines():
        m = re.match(r"\s*(\w+)\s*(?:=\s*(\d+))?\s*,", line)
        if not m:
            continue
        if m.group(2):
            val = int(m.group(2))
        out[m.group(1)[len(prefix):]] = val
        val += 1
    return out


CMDS = uapi_enum("mbms_srtp_cmd", "MBMS_SRTP_CMD_")
ATTRS = uapi_enum("mbms_srtp_attr", "MBMS_SRTP_A_")


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def parse_attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = buf[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 1

    def send(self, ntype, flags, cmd, version, attrs):
        # NLRAW_RESERVED: a non-zero genlmsghdr.reserved, which the kernel
        # must refuse (the family validates it for every command)
        payload = struct.pack("=BBH", cmd, version,
                              int(os.environ.get("NLRAW_RESERVED", "0"))) + attrs
        msg = struct.pack("=IHHII", 16 + len(payload), ntype, flags,
                          self.seq, 0) + payload
        self.last = msg
        self.sk.send(msg)
        self.seq += 1

    def replies(self):
        """Yield (type, flags, payload) until DONE or an error/ack."""
        while True:
            data = self.sk.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, _, _ = struct.unpack_from("=IHHII",
                                                               data, off)
                yield mtype, mflags, data[off + 16:off + mlen]
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return
                off += (mlen + 3) & ~3

    def family(self, name):
        self.send(GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY, 1,
                  nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        for mtype, _, payload in self.replies():
            if mtype == NLMSG_ERROR:
                err = struct.unpack_from("=i", payload)[0]
                if err:
                    raise OSError(-err, "family %s: %s" % (name,
                                  os.strerror(-err)))
                continue
            attrs = parse_attrs(payload[4:])
            self.groups = {}
            for grp in parse_attrs(attrs.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
                g = parse_attrs(grp)
                self.groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                    struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
            return struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID][:2])[0]
        raise OSError("no reply for family %s" % name)


def error_and_extack(mflags, payload, sent):
    """errno, extack message, and the name of the attribute the kernel
    pointed at (NLMSGERR_ATTR_OFFS into the request we sent), if any."""
    err = struct.unpack_from("=i", payload)[0]
    inner_len = struct.unpack_from("=I", payload, 4)[0]
    off = 4 + (16 if mflags & NLM_F_CAPPED else inner_len)
    msg, attr = "", ""
    if mflags & NLM_F_ACK_TLVS:
        tlvs = parse_attrs(payload[(off + 3) & ~3:])
        if NLMSGERR_ATTR_MSG in tlvs:
            msg = tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode(errors="replace")
        if NLMSGERR_ATTR_OFFS in tlvs:
            aoff = struct.unpack("=I", tlvs[NLMSGERR_ATTR_OFFS][:4])[0]
            if aoff + 4 <= len(sent):
                atype = struct.unpack_from("=H", sent, aoff + 2)[0] & 0x3fff
                names = [k for k, v in ATTRS.items() if v == atype]
                attr = names[0] if names else str(atype)
    return err, msg, attr


def print_error(mflags, payload, sent):
    err, msg, attr = error_and_extack(mflags, payload, sent)
    print("errno %d" % -err)
    print("extack %s" % msg)
    if attr:
        print("attr %s" % attr)
    return 2 if err else 0


def encode_attr(spec):
    name, _, tv = spec.partition("=")
    atype = ATTRS[name]
    kind, _, value = tv.partition(":")
    if kind == "flag":
        return nla(atype, b"")
    if kind == "hex":
        return nla(atype, bytes.fromhex(value))
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}[kind]
    return nla(atype, struct.pack(fmt, int(value, 0)))


def request(g, fam, words):
    """Send one request; return (errno, extack message, attribute)."""
    attrs = b"".join(encode_attr(a) for a in words[1:])
    g.send(fam, NLM_F_REQUEST | NLM_F_ACK, CMDS[words[0]], 1, attrs)
    for mtype, mflags, payload in g.replies():
        if mtype == NLMSG_ERROR:
            err, msg, attr = error_and_extack(mflags, payload, g.last)
            return -err, msg, attr
    raise OSError("no acknowledgement")


def dump_chunks(fam, cmd):
    """Start a dump; return a generator of reply buffers (one kernel skb
    each: one recv() returns one datagram) as lists of (flags, attrs).
    A fresh socket each time: the kernel sizes a dump buffer after the
    largest recv() the socket has done, and the first one, filled before
    any recv(), at NLMSG_GOODSIZE; so both dumps are cut alike."""
    g = Genl()
    g.send(fam, NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, b"")

    def chunks():
        while True:
            data, out, off = g.sk.recv(1 << 20), [], 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, _, _ = struct.unpack_from("=IHHII",
                                                               data, off)
                if mtype == NLMSG_ERROR:
                    raise OSError("dump refused")
                if mtype == NLMSG_DONE:
                    yield out
                    return
                out.append((mflags, parse_attrs(data[off + 20:off + mlen])))
                off += (mlen + 3) & ~3
            yield out
    return chunks()


def u32(attrs, name):
    return struct.unpack("=I", attrs[ATTRS[name]][:4])[0]


def dumprace(kind):
    """See the module doc.  The kernel fills the first reply buffer when
    the dump starts and each further one when the previous one is read,
    so a delete done between the start and the first recv() lands exactly
    between the first and the second buffer."""
    ctl = Genl()
    fam = ctl.family("mbms_srtp")
    cmd = CMDS["KEY_GET" if kind == "keys" else "FLOW_GET"]
    probe = dump_chunks(fam, cmd)
    first = next(probe)
    for _ in probe:
        pass
    if kind == "keys":
        sid = u32(first[-1][1], "SESSION_ID")
        words = ["SESSION_DEL", "SESSION_ID=u32:%d" % sid]
        deleted = {"session": sid,
                   "cut_mid_session": sum(u32(a, "SESSION_ID") == sid
                                          for _, a in first)}
    else:
        a = first[0][1]
        words = ["FLOW_DEL"] + ["%s=hex:%s" % (n, a[ATTRS[n]].hex())
                                for n in ("FLOW_DST4", "FLOW_DST6",
                                          "FLOW_SRC4", "FLOW_SRC6")
                                if ATTRS[n] in a]
        words.append("FLOW_DPORT=u16:%d" %
                     struct.unpack("=H", a[ATTRS["FLOW_DPORT"]][:2])[0])
        deleted = {"flow": words[1:]}
    it = dump_chunks(fam, cmd)      # the first buffer is filled now
    err, msg, _ = request(ctl, fam, words)
    if err:
        raise OSError(err, "delete refused: %s" % msg)
    got = [m for chunk in it for m in chunk]
    objs = []
    for _, a in got:
        if kind == "keys":
            objs.append([u32(a, "SESSION_ID"), u32(a, "MSK_ID"),
                         struct.unpack("=H", a[ATTRS["MTK_ID"]][:2])[0]])
        else:
            objs.append(struct.unpack("=H", a[ATTRS["FLOW_DPORT"]][:2])[0])
    print(json.dumps({"deleted": deleted, "objects": objs,
                      "first_buffer": len(first),
                      "intr": any(f & NLM_F_DUMP_INTR for f, _ in got)}))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "dumprace" and argv[2] in ("keys",
                                                                "flows"):
        return dumprace(argv[2])
    if len(argv) == 2 and argv[1] == "batch":
        g = Genl()
        fam = g.family("mbms_srtp")
        for line in sys.stdin:
            if line.split():
                err, msg, attr = request(g, fam, line.split())
                print("%d\t%s\t%s" % (err, attr or "-", msg))
        return 0
    if len(argv) == 3 and argv[1] == "join":
        g = Genl()
        g.family("mbms_srtp")
        try:
            g.sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                              g.groups[argv[2]])
        except OSError as e:
            print("errno %d" % e.errno)
            return 2
        print("joined")
        return 0
    if len(argv) < 3 or argv[1] not in ("request", "dump"):
        sys.stderr.write(__doc__)
        return 1
    cmd = CMDS[argv[2]]
    g = Genl()
    fam = g.family("mbms_srtp")
    if argv[1] == "dump":
        g.send(fam, NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, b"")
        for mtype, mflags, payload in g.replies():
            if mtype == NLMSG_ERROR:
                return print_error(mflags, payload, g.last)
            if mtype != NLMSG_DONE:
                print(payload.hex())
        return 0
    attrs = b"".join(encode_attr(a) for a in argv[3:])
    g.send(fam, NLM_F_REQUEST | NLM_F_ACK, cmd, 1, attrs)
    for mtype, mflags, payload in g.replies():
        if mtype == NLMSG_ERROR:
            return print_error(mflags, payload, g.last)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, KeyError, ValueError) as e:
        sys.stderr.write("nlraw.py: %s\n" % e)
        sys.exit(1)
