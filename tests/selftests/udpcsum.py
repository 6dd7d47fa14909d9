#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP checksum helpers for the csum_fwd selftest stage.

  udpcsum.py capture IFACE PORTS COUNT READY TIMEOUT
      Capture IPv4/IPv6 UDP datagrams to the comma-separated destination
      PORTS arriving on IFACE (AF_PACKET, so before the stack validates
      anything), recompute every checksum in software and print one JSON
      object per port: {"port": {"v4": n, "v6": n, "bad": n, "zero": n}}.
      Creates READY once capturing; stops after COUNT datagrams or
      TIMEOUT seconds.

  udpcsum.py relay LISTEN_PORT DST DST_PORT COUNT READY
      Receive COUNT datagrams on 127.0.0.1:LISTEN_PORT and send each one
      on to DST:DST_PORT (IPv4) from a socket with SO_NO_CHECK, i.e. with
      UDP checksum 0.

  udpcsum.py badrelay LISTEN_PORT DST DST_PORT COUNT READY MODE
      Receive COUNT datagrams on 127.0.0.1:LISTEN_PORT and send each one
      on to DST:DST_PORT (IPv4 or IPv6 by the address) from a raw socket,
      with a UDP header built here: MODE "sport" computes the checksum
      for source port 4000 and sends from 4001 (a bit flipped on the way,
      outside what SRTP authenticates); MODE "zero" sends checksum 0,
      which IPv6 forbids (RFC 8200 section 8.1).
"""

import json
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
PACKET_OUTGOING = 4
SO_NO_CHECK = 11
SO_RCVBUFFORCE = 33


def ones_sum(data):
    """16-bit one's complement sum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def csum_ok(pseudo, udp):
    """One's complement sum over pseudo-header and datagram is 0xffff."""
    return ones_sum(pseudo + udp) == 0xFFFF


def classify(proto, pkt):
    """(family, dport, udp bytes, pseudo-header) of a UDP packet, or None."""
    if proto == ETH_P_IP and len(pkt) >= 20 and pkt[0] >> 4 == 4:
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != 17 or len(pkt) < ihl + 8:
            return None
        total = struct.unpack("!H", pkt[2:4])[0]
        udp = pkt[ihl:total]
        pseudo = pkt[12:20] + struct.pack("!BBH", 0, 17, len(udp))
        return "v4", udp, pseudo
    if proto == ETH_P_IPV6 and len(pkt) >= 48 and pkt[0] >> 4 == 6:
        # No extension headers in these tests: next header must be UDP.
        if pkt[6] != 17:
            return None
        plen = struct.unpack("!H", pkt[4:6])[0]
        udp = pkt[40:40 + plen]
        pseudo = pkt[8:40] + struct.pack("!IxxxB", len(udp), 17)
        return "v6", udp, pseudo
    return None


def capture(iface, ports, count, ready, timeout):
    ports = {int(p) for p in ports.split(",")}
    res = {str(p): {"v4": 0, "v6": 0, "bad": 0, "zero": 0} for p in sorted(ports)}
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    s.bind((iface, 0))
    open(ready, "w").close()
    end = time.monotonic() + float(timeout)
    seen = 0
    while seen < int(count):
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            pkt, addr = s.recvfrom(65536)
        except socket.timeout:
            break
        if addr[2] == PACKET_OUTGOING:
            continue
        c = classify(addr[1], pkt)
        if c is None:
            continue
        fam, udp, pseudo = c
        dport = struct.unpack("!H", udp[2:4])[0]
        if dport not in ports:
            continue
        seen += 1
        r = res[str(dport)]
        r[fam] += 1
        check = struct.unpack("!H", udp[6:8])[0]
        if check == 0 and fam == "v4":
            r["zero"] += 1
        elif check == 0 or not csum_ok(pseudo, udp):
            r["bad"] += 1
    print(json.dumps(res))


def relay(lport, dst, dport, count, ready):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    rx.bind(("127.0.0.1", int(lport)))
    rx.settimeout(60)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
    open(ready, "w").close()
    for _ in range(int(count)):
        tx.sendto(rx.recv(65536), (dst, int(dport)))


def udp_checksum(pseudo, udp):
    """The checksum field for this datagram (0 is sent as 0xffff)."""
    return (~ones_sum(pseudo + udp) & 0xFFFF) or 0xFFFF


def badrelay(lport, dst, dport, count, ready, mode):
    v6 = ":" in dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    rx.bind(("127.0.0.1", int(lport)))
    rx.settimeout(60)
    tx = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_UDP)
    # the source address the kernel will pick, for the pseudo-header
    probe = socket.socket(fam, socket.SOCK_DGRAM)
    probe.connect((dst, int(dport)))
    src = probe.getsockname()[0]
    probe.close()
    s_bin = socket.inet_pton(fam, src)
    d_bin = socket.inet_pton(fam, dst)
    open(ready, "w").close()
    for _ in range(int(count)):
        payload = rx.recv(65536)
        ulen = 8 + len(payload)
        if v6:
            pseudo = s_bin + d_bin + struct.pack("!IxxxB", ulen, 17)
        else:
            pseudo = s_bin + d_bin + struct.pack("!BBH", 0, 17, ulen)
        check = 0
        if mode == "sport":
            check = udp_checksum(pseudo, struct.pack("!HHHH", 4000, int(dport),
                                                     ulen, 0) + payload)
        sport = 4001 if mode == "sport" else 4000
        tx.sendto(struct.pack("!HHHH", sport, int(dport), ulen, check) +
                  payload, (dst, 0))


def main():
    if len(sys.argv) == 7 and sys.argv[1] == "capture":
        capture(*sys.argv[2:])
    elif len(sys.argv) == 7 and sys.argv[1] == "relay":
        relay(*sys.argv[2:])
    elif len(sys.argv) == 8 and sys.argv[1] == "badrelay":
        badrelay(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
