#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Independent computation of the MIKEY PRF (RFC 3830 section 4.1.2), the
pre-shared-key derivations (section 4.1.4) and the TS 33.220 KDF / MRK with
Python's standard hmac and hashlib only, written from the RFC text and not
from the C code.

  mikey_prf_check.py --write    regenerate tests/vectors/mikey/kdf.txt
  mikey_prf_check.py            (make check) recompute every vector and
                                compare with the committed file, which the
                                C test mikey_crypto_test also checks against
                                libmikey: so Python == file == C.
  --message FILE --key HEX [--rand HEX]  also verify the KEMAC MAC of a
                                binary MIKEY message and decrypt it with the
                                openssl(1) AES-128-CTR (mikeytool cross-check)
"""
import hashlib
import hmac
import os
import subprocess
import sys

CONST_ENCR = 0x150533E1
CONST_AUTH = 0x2D22AC75
CONST_SALT = 0x29B88916


def p_func(s, label, m):
    """P(s, label, m) = HMAC(s, A_1||label) || ... || HMAC(s, A_m||label)."""
    a = label
    out = b""
    for _ in range(m):
        a = hmac.new(s, a, hashlib.sha1).digest()
        out += hmac.new(s, a + label, hashlib.sha1).digest()
    return out


def prf(inkey, label, outlen):
    """Split inkey in 256-bit pieces (last may be shorter), XOR the P()s."""
    m = (outlen * 8 + 159) // 160
    n = (len(inkey) * 8 + 255) // 256
    acc = bytes(m * 20)
    for i in range(n):
        s = inkey[32 * i:32 * (i + 1)]
        acc = bytes(x ^ y for x, y in zip(acc, p_func(s, label, m)))
    return acc[:outlen]


def derive(inkey, const, csb_id, rand, outlen, cs_id=0xFF):
    label = const.to_bytes(4, "big") + bytes([cs_id]) + \
        csb_id.to_bytes(4, "big") + rand
    return prf(inkey, label, outlen)


def kdf(key, fc, params):
    s = bytes([fc])
    for p in params:
        s += p + len(p).to_bytes(2, "big")
    return hmac.new(key, s, hashlib.sha256).digest()


def pattern(n, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(n))


def vectors():
    lines = []
    rand = pattern(16, 0xA0)
    for klen in (16, 20, 31, 32, 33, 48, 64, 65):
        key = pattern(klen, klen)
        for olen in (16, 20, 21, 40, 64):
            label = pattern(25, olen)
            lines.append("prf %s %s %d %s" % (key.hex(), label.hex(), olen,
                                              prf(key, label, olen).hex()))
    for klen in (16, 32, 48):
        key = pattern(klen, 0x40 + klen)
        csb = 0x12345678 + klen
        lines.append("kemac %s %08x %s %s %s %s" % (
            key.hex(), csb, rand.hex(),
            derive(key, CONST_ENCR, csb, rand, 16).hex(),
            derive(key, CONST_AUTH, csb, rand, 20).hex(),
            derive(key, CONST_SALT, csb, rand, 14).hex()))
    ks_naf = pattern(32, 0x11)
    lines.append("mrk %s %s" % (ks_naf.hex(),
                                kdf(ks_naf, 0x01, [b"mbms-mrk"]).hex()))
    lines.append("kdf %s 10 %s %s %s" % (
        ks_naf.hex(), b"gba-me".hex(), b"nafid".hex(),
        kdf(ks_naf, 0x10, [b"gba-me", b"nafid"]).hex()))
    return "\n".join(lines) + "\n"


def check_message(path, key, rand_hex):
    """Verify and decrypt a binary MIKEY MSK/MTK message independently."""
    msg = open(path, "rb").read()
    # Walk the payload chain just enough to find RAND, T and KEMAC.
    assert msg[0] == 1, "version"
    csb = int.from_bytes(msg[4:8], "big")
    ncs, maptype = msg[8], msg[9]
    off = 10 + (9 * ncs if maptype == 0 else 0)
    nxt = msg[2]
    rand, counter, kemac = None, None, None
    while nxt != 0:
        t = nxt
        nxt = msg[off]
        if t == 5:
            counter = int.from_bytes(msg[off + 2:off + 6], "big")
            off += 6
        elif t == 11:
            rand = msg[off + 2:off + 2 + msg[off + 1]]
            off += 2 + msg[off + 1]
        elif t in (6, 21):
            off += 4 + int.from_bytes(msg[off + 2:off + 4], "big")
        elif t == 10:
            off += 5 + int.from_bytes(msg[off + 3:off + 5], "big")
        elif t == 1:
            elen = int.from_bytes(msg[off + 2:off + 4], "big")
            kemac = (off + 4, elen, off + 4 + elen + 1)
            off = kemac[2] + 20
        else:
            raise SystemExit("unexpected payload %d" % t)
    if rand_hex:
        rand = bytes.fromhex(rand_hex)
    enc = derive(key, CONST_ENCR, csb, rand, 16)
    auth = derive(key, CONST_AUTH, csb, rand, 20)
    salt = derive(key, CONST_SALT, csb, rand, 14)
    mac = hmac.new(auth, msg[:kemac[2]], hashlib.sha1).digest()
    if mac != msg[kemac[2]:kemac[2] + 20]:
        raise SystemExit("python: KEMAC MAC does not verify")
    # IV = (salt XOR (0x0000 || CSB ID || T64)) || 0x0000
    x = bytes(2) + csb.to_bytes(4, "big") + counter.to_bytes(8, "big")
    iv = bytes(a ^ b for a, b in zip(salt, x)) + bytes(2)
    ct = msg[kemac[0]:kemac[0] + kemac[1]]
    pt = subprocess.run(["openssl", "enc", "-aes-128-ctr", "-nopad", "-K",
                         enc.hex(), "-iv", iv.hex()], input=ct,
                        capture_output=True, check=True).stdout
    print(pt.hex())


def main():
    top = os.environ.get("MBMS_TOP",
                         os.path.join(os.path.dirname(__file__), "..", ".."))
    path = os.path.join(top, "tests", "vectors", "mikey", "kdf.txt")
    args = sys.argv[1:]
    if args and args[0] == "--message":
        rand = args[5] if len(args) > 5 and args[4] == "--rand" else None
        check_message(args[1], bytes.fromhex(args[3]), rand)
        return 0
    # Spot checks that tie the code to the RFC text, not to itself.
    assert len(prf(bytes(32), b"x", 20)) == 20
    assert prf(pattern(32, 1), b"l", 20) == p_func(pattern(32, 1), b"l", 1)
    text = vectors()
    if args == ["--write"]:
        with open(path, "w") as f:
            f.write(text)
        print("wrote", path)
        return 0
    with open(path) as f:
        committed = f.read()
    if committed != text:
        print("mikey_prf_check: %s differs from the Python computation" % path)
        return 1
    print("mikey_prf_check: %d vectors match" % text.count("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
