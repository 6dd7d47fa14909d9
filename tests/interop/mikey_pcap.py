#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write MIKEY messages (hex strings, one per line on stdin) into a pcap
file as UDP datagrams to port 2269 (Ethernet / IPv4 / UDP), standard
library only.  Usage: mikey_pcap.py OUT.pcap < messages.hex"""
import struct
import sys


def ip_checksum(hdr):
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s > 0xFFFF:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload, n):
    udp = struct.pack("!HHHH", 40000 + n, 2269, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17,
                     0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + udp


def main():
    out = open(sys.argv[1], "wb")
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for n, line in enumerate(l for l in sys.stdin.read().split() if l):
        f = frame(bytes.fromhex(line), n + 1)
        out.write(struct.pack("<IIII", 1700000000 + n, 0, len(f), len(f)))
        out.write(f)
    out.close()


if __name__ == "__main__":
    main()
