#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random-MKI flood for the events_flood selftest stage.

  mkiflood.py DST PORT COUNT REAL_MKI EVERY

Sends COUNT SRTP-shaped datagrams (RTP header, 20 payload bytes, a 6-byte
MKI, a 10-byte tag) to DST:PORT over UDP.  Every EVERY-th one carries
REAL_MKI (12 hex digits, MSK ID || MTK ID), the others a random MKI,
never the same twice.  None authenticates: the module sees unknown MKIs.
Prints {"sent": n, "real": n, "seconds": s} as JSON.
"""

import json
import random
import socket
import struct
import sys
import time


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    dst, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    real, every = bytes.fromhex(sys.argv[4]), int(sys.argv[5])
    if len(real) != 6 or every < 1:
        sys.exit("REAL_MKI is 6 bytes in hex, EVERY at least 1")
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    sk = socket.socket(fam, socket.SOCK_DGRAM)
    rng = random.Random(0x4D4B49)
    body = bytes(20)
    tag = bytes(10)
    seen = {real}
    nreal = 0
    t0 = time.monotonic()
    for i in range(count):
        if i % every == every // 2:
            mki = real
            nreal += 1
        else:
            mki = real
            while mki in seen:
                mki = rng.getrandbits(48).to_bytes(6, "big")
            seen.add(mki)
        hdr = struct.pack("!BBHII", 0x80, 96, i & 0xFFFF, i, 0x5EED)
        sk.sendto(hdr + body + mki + tag, (dst, port))
    secs = time.monotonic() - t0
    print(json.dumps({"sent": count, "real": nreal, "seconds": round(secs, 3)}))


if __name__ == "__main__":
    main()
