#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Forged IP fragments for the frag_forged selftest stage.

  frag.py listen PORT READY SECONDS [DONE]
      Bind UDP PORT on :: (IPv4 and IPv6), create READY, count what
      reaches the socket, print {"delivered": n, "forged": n}.  Counts
      until the file DONE exists (the caller creates it once its senders
      have returned; at most 300 s), then SECONDS more; without DONE, for
      SECONDS.  A window that ends only after the senders is what makes
      "nothing delivered" mean something on a slow (debug) kernel, where
      a python3 start alone can take longer than a fixed window.

  frag.py send4 DST PORT SIZE / frag.py send6 DST PORT SIZE
      One plain UDP datagram of SIZE bytes, unencrypted RTP whose payload
      says FORGED, from an ordinary socket with path-MTU discovery off, so
      that the kernel fragments it when SIZE exceeds the link MTU.

  frag.py atomic6 SRC DST PORT
      One small such datagram in an IPv6 "atomic" fragment (a fragment
      header with offset 0 and M=0, RFC 6946), from a raw socket.
"""

import json
import os
import socket
import struct
import sys
import time

IP_MTU_DISCOVER = 10
IP_PMTUDISC_DONT = 0
IPV6_MTU_DISCOVER = 23
IPV6_PMTUDISC_DONT = 0


def forged(size):
    """An RTP header (V=2, PT 96, SEQ 1, SSRC 0xf0f0f0f0), FORGED..."""
    hdr = struct.pack("!BBHII", 0x80, 96, 1, 1, 0xF0F0F0F0)
    body = (b"FORGED" * (size // 6 + 1))[: max(size - len(hdr), 0)]
    return hdr + body


def listen(port, ready, secs, done=None):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.settimeout(0.2)
    open(ready, "w").close()
    n = bad = 0
    end = time.time() + (300 if done else secs)
    while time.time() < end:
        if done and os.path.exists(done):
            end = min(end, time.time() + secs)
            done = None
        try:
            d = s.recv(65535)
        except socket.timeout:
            continue
        n += 1
        bad += b"FORGED" in d
    print(json.dumps({"delivered": n, "forged": bad}))


def send(family, dst, port, size):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT)
    s.sendto(forged(size), (dst, port))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return ~t & 0xFFFF


def atomic6(src, dst, port):
    srcb = socket.inet_pton(socket.AF_INET6, src)
    dstb = socket.inet_pton(socket.AF_INET6, dst)
    payload = forged(100)
    ulen = 8 + len(payload)
    pseudo = srcb + dstb + struct.pack("!IxxxB", ulen, socket.IPPROTO_UDP)
    udp = struct.pack("!HHHH", 40000, port, ulen, 0) + payload
    c = csum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    # next header UDP, reserved, offset 0 and M=0, identification
    frag = struct.pack("!BBHI", socket.IPPROTO_UDP, 0, 0, 0x4D424D53)
    body = frag + udp
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 44, 64) + srcb + dstb
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip6 + body, (dst, 0))


def main(argv):
    cmd = argv[1]
    if cmd == "listen":
        listen(int(argv[2]), argv[3], float(argv[4]),
               argv[5] if len(argv) > 5 else None)
    elif cmd == "send4":
        send(socket.AF_INET, argv[2], int(argv[3]), int(argv[4]))
    elif cmd == "send6":
        send(socket.AF_INET6, argv[2], int(argv[3]), int(argv[4]))
    elif cmd == "atomic6":
        atomic6(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit("frag.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
