#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Known-answer MIKEY messages for MBMS written out field by field from the
spec tables (RFC 3830 §6, RFC 4563 / IANA Key ID, RFC 4771, TS 33.246
§6.4), not from libmikey.  Keys, MACs and encryption come from tests/unit/mikey_prf_check.py
(RFC 3830 PRF in Python hmac/hashlib) and openssl(1) AES-128-CTR.

  handbuilt.py --write   regenerate handbuilt.txt
  handbuilt.py           (make check) recompute and compare with the file

handbuilt.txt has one annotated field per line and, per message, a line
"msg NAME HEX" that mikey_codec_test and mikey_tool_test.sh read: the
decoder must accept each message and the encoder must produce it byte for
byte from the same inputs (tests/unit/mikey_fixtures.h).
"""
import hashlib
import hmac
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "unit"))
import mikey_prf_check as P  # noqa: E402

MUK = P.FX_MUK
MSK = P.FX_MSK
MTK = P.FX_MTK
SALT = P.FX_SALT
RAND = P.FX_RAND
DOMAIN = bytes.fromhex("262001")           # MCC 262 MNC 01
MSK_ID = bytes.fromhex("00050001")         # Key Group 5, Key Number 1
IDI = b"bmsc.mbms.mnc001.mcc262.3gppnetwork.org"
IDR = b"AQIDBAUGBwgJCgsMDQ4PEA==@bsf.mnc001.mcc262.3gppnetwork.org"

# RFC 3830 §6 payload type codes (next payload values)
LAST, KEMAC, T, ID, V, SP, RNDP, EXT = 0, 1, 5, 6, 9, 10, 11, 21


class Msg:
    """Bytes plus one annotation line per field."""

    def __init__(self, name):
        self.name, self.b, self.lines = name, b"", []

    def f(self, hexstr, what):
        data = bytes.fromhex(hexstr) if isinstance(hexstr, str) else hexstr
        self.lines.append("  %-4d %-40s %s" % (len(self.b), data.hex(), what))
        self.b += data

    def text(self):
        return "\n".join(["# " + self.name] + self.lines +
                         ["msg %s %s" % (self.name, self.b.hex()), ""])


def be(v, n):
    return v.to_bytes(n, "big")


def hdr(m, dtype, nxt, vbit, csb, srtp):
    m.f("01", "HDR version 1 (RFC 3830 §6.1)")
    m.f(be(dtype, 1), "HDR data type %d (0 PSK init, 1 PSK verification)"
        % dtype)
    m.f(be(nxt, 1), "HDR next payload %d" % nxt)
    m.f(be(0x80 if vbit else 0, 1), "HDR V=%d | PRF func 0 (MIKEY-1)" % vbit)
    m.f(be(csb, 4), "HDR CSB ID")
    if srtp:
        m.f("01", "HDR #CS 1")
        m.f("00", "HDR CS ID map type 0 SRTP-ID")
        m.f("00", "  SRTP-ID policy no 0")
        m.f(be(srtp, 4), "  SRTP-ID SSRC")
        m.f("00000000", "  SRTP-ID ROC 0")
    else:
        m.f("00", "HDR #CS 0")
        m.f("01", "HDR CS ID map type 1 Empty map (RFC 4563 §5)")


def ext(m, nxt, mtk_id=None):
    body = 6 + 7 + (5 if mtk_id is not None else 0)
    m.f(be(nxt, 1), "EXT next payload %d" % nxt)
    m.f("03", "EXT type 3 Key ID (RFC 4563, IANA)")
    m.f(be(body, 2), "EXT length %d" % body)
    m.f("00", "  Key ID type 0 MBMS Key Domain ID")
    m.f("0003", "  Key ID length 3")
    m.f(DOMAIN, "  Key Domain ID = MCC||MNC (TS 33.246 §6.3.2.1)")
    m.f("01", "  Key ID type 1 MSK ID")
    m.f("0004", "  Key ID length 4")
    m.f(MSK_ID, "  MSK ID = Key Group 5 || Key Number 1")
    if mtk_id is not None:
        m.f("02", "  Key ID type 2 MTK ID")
        m.f("0002", "  Key ID length 2")
        m.f(be(mtk_id, 2), "  MTK ID (TS 33.246 §6.3.3.1)")


def ts(m, nxt, counter):
    m.f(be(nxt, 1), "T next payload %d" % nxt)
    m.f("02", "T TS type 2 COUNTER (TS 33.246 §6.4.5)")
    m.f(be(counter, 4), "T counter %d" % counter)


def rand(m, nxt, r):
    m.f(be(nxt, 1), "RAND next payload %d" % nxt)
    m.f(be(len(r), 1), "RAND length %d" % len(r))
    m.f(r, "RAND")


def ident(m, nxt, who, v):
    m.f(be(nxt, 1), "%s next payload %d" % (who, nxt))
    m.f("00", "%s ID type 0 NAI" % who)
    m.f(be(len(v), 2), "%s length %d" % (who, len(v)))
    m.f(v, "%s = %s" % (who, v.decode()))


def sp(m, nxt, rcc=None):
    """SRTP policy of RFC 3830 §6.10.1; @rcc = (auth alg, name, R) puts
    RFC 4771's integrity transform into parameter 2 and R into parameter 13
    (TS 33.246 §6.6.2.1)."""
    auth = (rcc[0], "auth alg " + rcc[1]) if rcc else (1, "auth alg HMAC-SHA-1")
    params = [(0, 1, "encr alg AES-CM"), (1, 16, "encr key len 16"),
              (2, auth[0], auth[1]), (3, 20, "auth key len 20"),
              (4, 14, "salt len 14"), (5, 0, "SRTP PRF AES-CM"),
              (6, 0, "KDR 0 (TS 33.246 §6.6.2)"), (7, 1, "SRTP encr on"),
              (8, 1, "SRTCP encr on"), (10, 1, "SRTP auth on"),
              (11, 10, "auth tag len 10")]
    plen = 3 * len(params) + (4 if rcc else 0)
    m.f(be(nxt, 1), "SP next payload %d" % nxt)
    m.f("00", "SP policy no 0")
    m.f("00", "SP prot type 0 SRTP")
    m.f(be(plen, 2), "SP param len %d" % plen)
    for t, v, what in params:
        src = "RFC 4771, UNVERIFIED" if t == 2 and rcc else "RFC 3830 §6.10.1"
        m.f(bytes([t, 1, v]), "  SRTP param %d, len 1: %s (%s)" % (t, what, src))
    if rcc:
        m.f("0d", "  SRTP param 13 ROC transmission rate (RFC 4771)")
        m.f("02", "  len 2: R is a 16-bit integer (UNVERIFIED)")
        m.f(be(rcc[2], 2), "  R = %d: ROC in packets with SEQ %% %d == 0"
            % (rcc[2], rcc[2]))


def kemac(m, inkey, csb, r, counter, plain, plain_lines):
    enc = P.derive(inkey, P.CONST_ENCR, csb, r, 16)
    auth = P.derive(inkey, P.CONST_AUTH, csb, r, 20)
    salt = P.derive(inkey, P.CONST_SALT, csb, r, 14)
    # RFC 3830 §4.2.3 IV; COUNTER zero-extended to 64 bits (UNVERIFIED)
    x = bytes(2) + be(csb, 4) + be(counter, 8)
    iv = bytes(a ^ b for a, b in zip(salt, x)) + bytes(2)
    ct = b""
    if plain:
        ct = subprocess.run(["openssl", "enc", "-aes-128-ctr", "-nopad",
                             "-K", enc.hex(), "-iv", iv.hex()], input=plain,
                            capture_output=True, check=True).stdout
    m.f("00", "KEMAC next payload 0 (last)")
    m.f("01", "KEMAC encr alg 1 AES-CM-128")
    m.f(be(len(ct), 2), "KEMAC encr data len %d" % len(ct))
    for line in plain_lines:
        m.lines.append("  %-4s %-40s %s" % ("", "", "  plain: " + line))
    if ct:
        m.f(ct, "KEMAC encr data (AES-CM, key %s, IV %s)" % (enc.hex(),
                                                              iv.hex()))
    m.f("01", "KEMAC MAC alg 1 HMAC-SHA-1-160")
    mac = hmac.new(auth, m.b, hashlib.sha1).digest()
    m.f(mac, "KEMAC MAC over bytes 0..%d (auth key %s)" % (len(m.b) - 1,
                                                           auth.hex()))


def msk_msg(name="msk", csb=0x1a2b3c4d, counter=100, vbit=1, rcc=None):
    m = Msg(name)
    hdr(m, 0, EXT, vbit, csb, 0xdeadbeef)
    ext(m, T)
    ts(m, RNDP, counter)
    rand(m, ID, RAND)
    ident(m, ID, "IDi", IDI)
    ident(m, SP, "IDr", IDR)
    sp(m, KEMAC, rcc)
    kd = b"\x00\x22\x00\x10" + MSK + b"\x02\x00\x00\x02\x00\x64"
    kemac(m, MUK, csb, RAND, counter, kd,
          ["00 next payload last", "22 type 2 TEK | KV 2 Interval",
           "0010 key len 16", MSK.hex() + " MSK",
           "02 0000 VF len 2, SEQl 0", "02 0064 VT len 2, SEQu 100"])
    return m


def msk_rcc_msg():
    """An MSK message whose SP carries RCCm2 and R = 16 (RFC 4771)."""
    return msk_msg("msk-rcc", 0x1a2b3c4e, 102, 0, (3, "RCCm2", 16))


def mtk_msg():
    m = Msg("mtk")
    csb, counter = 0x5a5a0001, 7
    hdr(m, 0, EXT, 0, csb, None)
    ext(m, T, mtk_id=1)
    ts(m, KEMAC, counter)
    kd = b"\x00\x30\x00\x10" + MTK + b"\x00\x0e" + SALT
    kemac(m, MSK, csb, RAND, counter, kd,
          ["00 next payload last", "30 type 3 TEK+SALT | KV 0 Null",
           "0010 key len 16", MTK.hex() + " MTK", "000e salt len 14",
           SALT.hex() + " salt (RAND: the one stored with the MSK)"])
    return m


def pull_msg():
    m = Msg("solicited-pull")
    csb, counter = 0x77777777, 101
    r = bytes([RAND[0] ^ 0xff]) + RAND[1:]
    hdr(m, 0, EXT, 0, csb, None)
    m.f(be(T, 1), "EXT next payload %d" % T)
    m.f("03", "EXT type 3 Key ID")
    m.f("000d", "EXT length 13")
    m.f("00" "0003" + DOMAIN.hex(), "  Key ID 0 Key Domain ID, len 3")
    m.f("01" "0004" "00050000", "  Key ID 1 MSK ID, len 4: Key Group 5, "
        "Key Number 0 = current (TS 33.246 §6.3.2.2.4)")
    ts(m, RNDP, counter)
    rand(m, ID, r)
    ident(m, ID, "IDi", IDI)
    ident(m, KEMAC, "IDr", IDR)
    kemac(m, MUK, csb, r, counter, b"", ["(none: MAC only)"])
    return m


def ver_msg(init):
    """TS 33.246 §6.4.5.2 / RFC 3830 §5.2, answering the MSK message."""
    m = Msg("verification")
    csb, counter = 0x1a2b3c4d, 100
    hdr(m, 1, T, 0, csb, None)
    ts(m, ID, counter)
    ident(m, V, "IDr", IDR)
    m.f("00", "V next payload 0 (last)")
    m.f("01", "V MAC alg 1 HMAC-SHA-1-160")
    # MAC coverage (UNVERIFIED, Documentation/mikey.rst): this message up
    # to the MAC, then the IDi, IDr and T payloads of the MSK message.
    pl = P.walk(init)
    ids = [init[o:o + n] for t, o, n in pl if t == ID]
    t = [init[o:o + n] for t, o, n in pl if t == T][0]
    auth = P.derive(MUK, P.CONST_AUTH, csb, RAND, 20)
    mac = hmac.new(auth, m.b + ids[0] + ids[1] + t, hashlib.sha1).digest()
    m.f(mac, "V MAC (this message || IDi || IDr || T of the MSK message)")
    return m


def text():
    msk = msk_msg()
    out = ["# Hand-built MIKEY messages for MBMS: generated by handbuilt.py",
           "# (field tables of RFC 3830 §6, RFC 4563, RFC 4771, TS 33.246 §6.4), not by",
           "# libmikey.  Columns: offset, bytes, field.  Inputs: the fixtures",
           "# of tests/unit/mikey_fixtures.h.", ""]
    for m in (msk, mtk_msg(), pull_msg(), ver_msg(msk.b), msk_rcc_msg()):
        out.append(m.text())
    return "\n".join(out)


def main():
    path = os.path.join(HERE, "handbuilt.txt")
    t = text()
    if sys.argv[1:] == ["--write"]:
        with open(path, "w") as f:
            f.write(t)
        print("wrote", path)
        return 0
    with open(path) as f:
        if f.read() != t:
            print("handbuilt.py: %s differs from the computation" % path)
            return 1
    print("handbuilt.py: 5 hand-built messages match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
