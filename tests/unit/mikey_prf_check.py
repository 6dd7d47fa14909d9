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
    rand = bytes.fromhex(rand_hex) if rand_hex else None
    print(decrypt(open(path, "rb").read(), key, rand).hex())


def walk(msg):
    """(type, offset, length) of every payload after HDR."""
    assert msg[0] == 1, "version"
    off = 10 + (9 * msg[8] if msg[9] == 0 else 0)
    nxt = msg[2]
    out = []
    while nxt != 0:
        t, start = nxt, off
        nxt = msg[off]
        if t == 5:
            off += 6
        elif t == 11:
            off += 2 + msg[off + 1]
        elif t in (6, 21):
            off += 4 + int.from_bytes(msg[off + 2:off + 4], "big")
        elif t == 10:
            off += 5 + int.from_bytes(msg[off + 3:off + 5], "big")
        elif t == 1:
            off += 4 + int.from_bytes(msg[off + 2:off + 4], "big") + 21
        elif t == 9:
            off += 22
        else:
            raise SystemExit("unexpected payload %d" % t)
        out.append((t, start, off - start))
    assert off == len(msg), "trailing bytes"
    return out


def decrypt(msg, key, rand=None):
    """Check the KEMAC MAC, return the AES-CM-decrypted key data."""
    csb = int.from_bytes(msg[4:8], "big")
    pl = walk(msg)
    counter = [int.from_bytes(msg[o + 2:o + 6], "big") for t, o, _ in pl
               if t == 5][0]
    if rand is None:
        rand = [msg[o + 2:o + 2 + msg[o + 1]] for t, o, _ in pl if t == 11][0]
    ko = [o for t, o, _ in pl if t == 1][0]
    elen = int.from_bytes(msg[ko + 2:ko + 4], "big")
    mac_at = ko + 4 + elen + 1
    enc = derive(key, CONST_ENCR, csb, rand, 16)
    auth = derive(key, CONST_AUTH, csb, rand, 20)
    salt = derive(key, CONST_SALT, csb, rand, 14)
    mac = hmac.new(auth, msg[:mac_at], hashlib.sha1).digest()
    if mac != msg[mac_at:mac_at + 20]:
        raise SystemExit("python: KEMAC MAC does not verify")
    if elen == 0:
        return b""
    # IV = (salt XOR (0x0000 || CSB ID || T64)) || 0x0000
    x = bytes(2) + csb.to_bytes(4, "big") + counter.to_bytes(8, "big")
    iv = bytes(a ^ b for a, b in zip(salt, x)) + bytes(2)
    return subprocess.run(["openssl", "enc", "-aes-128-ctr", "-nopad", "-K",
                           enc.hex(), "-iv", iv.hex()],
                          input=msg[ko + 4:ko + 4 + elen],
                          capture_output=True, check=True).stdout


# The fixtures of tests/unit/mikey_fixtures.h.
FX_MUK = bytes.fromhex("00112233445566778899aabbccddeeff"
                       "0123456789abcdeffedcba9876543210")
FX_MSK = bytes.fromhex("4d534b2d6b65792d30303031a55a0ff0")
FX_MTK = bytes.fromhex("e1f97a0d3e018be0d64fa32c06de4139")
FX_SALT = bytes.fromhex("0ec675ad498afeebb6960b3aabe6")
FX_RAND = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")


def check_golden(path):
    """The C encoder's fixture messages, verified and decrypted here."""
    g = {}
    for line in open(path):
        if line.startswith("#"):
            continue
        name, hx = line.split()
        g[name] = bytes.fromhex(hx)
    kd_msk = b"\x00\x22\x00\x10" + FX_MSK + b"\x02\x00\x00\x02\x00\x64"
    checks = [
        ("msk-streaming", FX_MUK, None, kd_msk),
        ("msk-streaming-v", FX_MUK, None, kd_msk),
        ("msk-download", FX_MUK, None, kd_msk),
        ("msk-validity-update", FX_MUK, None,
         b"\x00\x22\x00\x00\x02\x00\x0a\x02\x00\x05"),
        ("mtk-streaming", FX_MSK, FX_RAND,
         b"\x00\x30\x00\x10" + FX_MTK + b"\x00\x0e" + FX_SALT),
        ("mtk-download", FX_MSK, FX_RAND, b"\x00\x00\x00\x10" + FX_MTK),
        ("solicited-pull", FX_MUK, None, b""),
    ]
    bad = 0
    for name, key, rand, want in checks:
        got = decrypt(g[name], key, rand)
        if got != want:
            print("golden %s: key data %s, want %s" % (name, got.hex(),
                                                      want.hex()))
            bad += 1
    # Verification message: MAC over reply || IDi || IDr || T of the MSK
    # message (the UNVERIFIED coverage), auth key from MUK, CSB ID, RAND.
    init, rep = g["msk-streaming-v"], g["verification"]
    pl = walk(init)
    ids = [init[o:o + n] for t, o, n in pl if t == 6]
    ts = [init[o:o + n] for t, o, n in pl if t == 5][0]
    rnd = [init[o + 2:o + 2 + init[o + 1]] for t, o, _ in pl if t == 11][0]
    auth = derive(FX_MUK, CONST_AUTH, int.from_bytes(init[4:8], "big"), rnd, 20)
    mac = hmac.new(auth, rep[:-20] + ids[0] + ids[1] + ts,
                   hashlib.sha1).digest()
    if mac != rep[-20:]:
        print("golden verification: MAC differs")
        bad += 1
    return bad


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
    bad = check_golden(os.path.join(top, "tests", "vectors", "mikey",
                                    "messages.txt"))
    if bad:
        return 1
    print("mikey_prf_check: %d PRF/KDF vectors match; 8 golden messages "
          "verified and decrypted independently" % text.count("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
