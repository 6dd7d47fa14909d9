#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Configuration churn against live traffic, for the `churn` selftest stage.

  churn.py config SECONDS   add and delete sessions, flows and keys for
      SECONDS, in the caller's network namespace: the key in use by
      session 1 (deleted and re-added), session 2, which a stream uses
      (deleted and re-created with its flow and key), extra flows and
      keys on session 1, and short-lived sessions 100..131 with several
      flows and keys (MAX_KEYS eviction included) deleted in varying
      orders.  Every request must be accepted: the sequence is built so
      that none is refused.  Session 1's key stays away until a packet
      has come for it (its unknown-MKI event) or GAP_SECONDS passed: with
      the key re-added by the next request, a slow (debug) kernel saw no
      packet in those gaps, hence no event at all.  Prints JSON
      {"requests", "rounds", "gaps_with_packets", "refused": [...]}.
  churn.py read SECONDS     for SECONDS, dump sessions (with their stats),
      flows and keys, get sessions 1 and 2 (2 may be missing), and drain
      the events group.  Prints JSON {"dumps", "gets", "events",
      "errors": [...]}.

Both use the stream constants of tests/selftests/run.sh (keys A, MSK ID);
run.sh passes them in the environment as CHURN_KEY, CHURN_SALT, CHURN_MSK.
"""
import errno
import json
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402

KEY = os.environ.get("CHURN_KEY", "2b7e151628aed2a6abf7158809cf4f3c")
SALT = os.environ.get("CHURN_SALT", "f0f1f2f3f4f5f6f7f8f9fafbfcfd")
MSK = int(os.environ.get("CHURN_MSK", "0x00010002"), 0)
EXTRA = 32		# short-lived sessions 100..131
GAP_SECONDS = 0.5	# longest wait for a packet on session 1's missing key
WAIT_EVENT = "wait for an event"


def key(sid, mtk, msk=MSK):
    return ["KEY_NEW", "SESSION_ID=u32:%d" % sid, "MSK_ID=u32:%d" % msk,
            "MTK_ID=u16:%d" % mtk, "KEY_MASTER=hex:" + KEY,
            "KEY_SALT=hex:" + SALT]


def key_del(sid, mtk, msk=MSK):
    return ["KEY_DEL", "SESSION_ID=u32:%d" % sid, "MSK_ID=u32:%d" % msk,
            "MTK_ID=u16:%d" % mtk]


def flow(cmd, sid, dst, port):
    fam = "FLOW_DST6" if ":" in dst else "FLOW_DST4"
    attrs = [cmd]
    if cmd == "FLOW_NEW":
        attrs.append("SESSION_ID=u32:%d" % sid)
    return attrs + ["%s=hex:%s" % (fam, socket.inet_pton(
        socket.AF_INET6 if ":" in dst else socket.AF_INET, dst).hex()),
        "FLOW_DPORT=u16:%d" % port]


def round_requests(i):
    """The requests of churn round i; each is valid given the rounds before."""
    reqs = [key_del(1, 1), WAIT_EVENT, key(1, 1)]	# the key in use
    # the session in use: its flow and key go with it
    reqs += [["SESSION_DEL", "SESSION_ID=u32:2"],
             ["SESSION_NEW", "SESSION_ID=u32:2", "ON_FAIL=u8:0"],
             flow("FLOW_NEW", 2, "10.0.0.2", 5006), key(2, 1)]
    # session 1's other flows and keys, while it decrypts
    reqs += [flow("FLOW_NEW", 1, "232.1.1.%d" % (i % 200 + 2), 5004),
             key(1, 2), key_del(1, 2),
             flow("FLOW_DEL", 1, "232.1.1.%d" % (i % 200 + 2), 5004)]
    sid = 100 + i % EXTRA
    reqs += [["SESSION_NEW", "SESSION_ID=u32:%d" % sid, "MAX_KEYS=u8:2"],
             flow("FLOW_NEW", sid, "10.0.0.2", 6000 + sid),
             flow("FLOW_NEW", sid, "fd00::2", 6000 + sid),
             key(sid, 1), key(sid, 2), key(sid, 3)]	# 3 evicts 1
    if i % 3 == 0:		# delete everything one by one
        reqs += [key_del(sid, 3), key_del(sid, 2),
                 flow("FLOW_DEL", sid, "fd00::2", 6000 + sid),
                 flow("FLOW_DEL", sid, "10.0.0.2", 6000 + sid)]
    elif i % 3 == 1:	# a flow and a key left for SESSION_DEL
        reqs += [key_del(sid, 2),
                 flow("FLOW_DEL", sid, "10.0.0.2", 6000 + sid)]
    reqs.append(["SESSION_DEL", "SESSION_ID=u32:%d" % sid])
    return reqs


def events_socket(g):
    ev = nlraw.Genl()
    ev.family("mbms_srtp")
    ev.sk.setsockopt(nlraw.SOL_NETLINK, nlraw.NETLINK_ADD_MEMBERSHIP,
                     g.groups["events"])
    ev.sk.setblocking(False)
    return ev


def config(seconds):
    g = nlraw.Genl()
    fam = g.family("mbms_srtp")
    ev = events_socket(g)
    end = time.monotonic() + seconds
    n, i, gaps, refused = 0, 0, 0, []
    while time.monotonic() < end:
        for words in round_requests(i):
            if words == WAIT_EVENT:
                drain(ev.sk, [])
                if select.select([ev.sk], [], [], GAP_SECONDS)[0]:
                    gaps += 1
                continue
            err, msg, _ = nlraw.request(g, fam, words)
            n += 1
            if err and len(refused) < 20:
                refused.append("round %d: %s: errno %d %s" %
                               (i, " ".join(words[:2]), err, msg))
        i += 1
    print(json.dumps({"requests": n, "rounds": i, "gaps_with_packets": gaps,
                      "refused": refused}))
    return 1 if refused else 0


def dump(fam, cmd):
    n = 0
    for chunk in nlraw.dump_chunks(fam, nlraw.CMDS[cmd]):
        n += len(chunk)
    return n


def drain(sk, errors):
    """Messages waiting on the events socket; ENOBUFS (events lost to a
    full socket buffer) is normal for a slow reader, other errors not."""
    n = 0
    while True:
        try:
            data = sk.recv(1 << 16)
        except BlockingIOError:
            return n
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                errors.append("events: %s" % e)
            continue
        off = 0
        while off + 16 <= len(data):
            n += 1
            off += (struct.unpack_from("=I", data, off)[0] + 3) & ~3


def read(seconds):
    g = nlraw.Genl()
    fam = g.family("mbms_srtp")
    ev = events_socket(g)
    end = time.monotonic() + seconds
    out = {"dumps": 0, "objects": 0, "gets": 0, "events": 0, "errors": []}
    while time.monotonic() < end:
        for cmd in ("SESSION_GET", "FLOW_GET", "KEY_GET"):
            out["objects"] += dump(fam, cmd)
            out["dumps"] += 1
        for sid in (1, 2):
            err, msg, _ = nlraw.request(g, fam, ["SESSION_GET",
                                                 "SESSION_ID=u32:%d" % sid])
            out["gets"] += 1
            if err and not (sid == 2 and err == errno.ENOENT) and \
                    len(out["errors"]) < 20:
                out["errors"].append("get %d: errno %d %s" % (sid, err, msg))
        out["events"] += drain(ev.sk, out["errors"])
    print(json.dumps(out))
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("config", "read"):
        sys.stderr.write(__doc__)
        sys.exit(1)
    sys.exit((config if sys.argv[1] == "config" else read)(float(sys.argv[2])))
