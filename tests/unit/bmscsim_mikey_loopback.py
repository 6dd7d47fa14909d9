#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Loopback test of everything bmsc-sim sends, without the kernel.

A fake UE (UDP sockets on 127.0.0.1) receives the MSK pushes, solicited
pulls, MTK messages and the SRTP stream of one scripted run, answers the
MSK push's V bit with a verification message (built by mikeytool), and
checks each message with `mikeytool decode`:

  * MSK keys, RANDs and MTK keys/salts equal HMAC-SHA-256(seed, label ||
    index), computed here independently of bmsc-sim (keygen.c);
  * MACs verify with the MUK (= Ks_NAF) or the MSK, and do not for the
    forged messages; the replayed MSK and MTK messages are byte-identical
    (the MTK one: the first transmission of the newest MTK, also in a
    second run with resends on, after a resend with a newer counter);
    the out-of-range MTK ID and the unknown MSK ID are as scripted;
  * the SRTP MKI (MSK ID || MTK ID) switches exactly at the scheduled
    packet, sequence numbers are consecutive;
  * bmsc-sim reports the verification as good.

Bounded in time; loopback only.  Exit 77 (skip) without the binaries.
"""
import hashlib
import hmac
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("MBMS_BIN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "../../build/userspace/bin")
SIM = os.path.join(BIN, "bmsc-sim")
TOOL = os.path.join(BIN, "mikeytool")
SEED = bytes(range(1, 33))
KS = bytes([0x22] * 32)
BTID = "tid7@bsf.example.org"

failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok: " + what)
    else:
        failures += 1
        print("FAIL: " + what)


def kdf(label, index, n):
    msg = label + index.to_bytes(8, "big") + (0).to_bytes(4, "big")
    return hmac.new(SEED, msg, hashlib.sha256).digest()[:n]


def decode(msg, *keys):
    """mikeytool decode -j; returns (exit status, dict or None)."""
    p = subprocess.run([TOOL, "decode", "-j", *keys, "-"], input=msg,
                       capture_output=True, timeout=10)
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, None


def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    return s


def run_sim(tmp, ue, mtk, srtp):
    gba = os.path.join(tmp, "gba")
    with open(gba, "w") as f:
        f.write("btid=%s\nks_naf=%s\nlifetime=3600\n" % (BTID, KS.hex()))
    seed = os.path.join(tmp, "seed")
    with open(seed, "w") as f:
        f.write(SEED.hex())
    args = [SIM, "-j", "--seed", "@" + seed, "--duration", "5",
            "--start", "1", "--mtk-period", "1", "--mtk-delta", "0.5",
            "--mtk-repeat", "0", "--msk-rollover", "2.5", "--msk-lead", "0.3",
            "--verify", "--mtk-id-max", "100",
            "--ue", "127.0.0.1:%d" % ue.getsockname()[1], "--gba-file", gba,
            "--mtk-dest", "127.0.0.1:%d" % mtk.getsockname()[1],
            "--stream", "127.0.0.1:%d" % srtp.getsockname()[1],
            "--solicited-pull", "1.2",
            "--fault", "msk-forged-mac@1.4", "--fault", "mtk-forged-mac@1.6",
            "--fault", "pull-unauth@1.8", "--fault", "mtk-replay@1.9",
            "--fault", "mtk-outside@2.0", "--fault", "msk-replay@2.1",
            "--fault", "mtk-unknown-msk@2.3",
            "--fault", "srtp-unknown-msk@3.2x20"]
    return subprocess.Popen(args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def collect(sim, ue, mtk, srtp, answer_pushes=True):
    """Everything bmsc-sim sends until it exits (at most 20 s), by socket;
    with answer_pushes, the UE side answers the MSK pushes as below."""
    got = {"ue": [], "mtk": [], "srtp": []}
    replies = 0
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r, _, _ = select.select([ue, mtk, srtp], [], [], 0.2)
        for s in r:
            data, addr = s.recvfrom(4096)
            if s is ue:
                got["ue"].append(data)
                # Answer the two genuine MSK pushes (V bit) as a UE would,
                # the second time with a corrupted MAC.
                if answer_pushes and len(got["ue"]) in (1, 6):
                    p = subprocess.run([TOOL, "encode", "verification",
                                        "--muk", KS.hex(), "-"], input=data,
                                       capture_output=True, timeout=10)
                    check(p.returncode == 0, "mikeytool built the verification")
                    # Hex on stdout without -o.
                    reply = bytearray.fromhex(p.stdout.decode().strip())
                    if replies:
                        reply[-1] ^= 1
                        # Hostile input too: garbage and a truncated
                        # verification are ignored and counted.
                        ue.sendto(b"\x01\x01\xff" + bytes(40), addr)
                        ue.sendto(bytes(reply[:20]), addr)
                    ue.sendto(bytes(reply), addr)
                    replies += 1
            elif s is mtk:
                got["mtk"].append(data)
            else:
                got["srtp"].append(data)
        if sim.poll() is not None and not r:
            break
    return got


def check_ue_messages(msgs):
    msk0, rand0 = kdf(b"msk", 0, 16), kdf(b"msk-rand", 0, 16)
    msk1, rand1 = kdf(b"msk", 1, 16), kdf(b"msk-rand", 1, 16)
    muk = ["--muk", KS.hex()]
    check(len(msgs) == 6, "6 datagrams to the UE (got %d)" % len(msgs))
    if len(msgs) != 6:
        return
    rc, m = decode(msgs[0], *muk)
    check(rc == 0 and m["type"] == "msk" and m["v"] and m["mac_ok"] and
          m["key"] == msk0.hex() and m["rand"] == rand0.hex() and
          m["msk_id"] == 0x00010001 and m["idr"] == BTID and
          m["sequ"] == 100 and m["counter"] == 1,
          "MSK push: V, MAC, MSK and RAND of MSK 0x00010001")
    check(rc == 0 and m["sp"][0]["rcc_mode"] == "none" and
          m["sp"][0]["roc_tx_rate"] is None,
          "MSK push without --rcc-mode: no RFC 4771 parameters in the SP")
    rc, m = decode(msgs[1], *muk)
    check(rc == 0 and m["type"] == "solicited-pull" and m["mac_ok"] and
          not m["v"] and m["key_number"] == 0 and m["counter"] == 2,
          "solicited pull: Key Number 0, MAC verifies, counter 2")
    rc, m = decode(msgs[2], *muk)
    check(rc == 3, "msk-forged-mac: MAC does not verify (exit %d)" % rc)
    rc, m = decode(msgs[3], *muk)
    check(rc == 3 and m and m["type"] == "solicited-pull",
          "pull-unauth: solicited pull whose MAC does not verify")
    check(msgs[4] == msgs[0], "msk-replay: byte-identical MSK message")
    rc, m = decode(msgs[5], *muk)
    check(rc == 0 and m["mac_ok"] and m["key"] == msk1.hex() and
          m["rand"] == rand1.hex() and m["msk_id"] == 0x00010002 and
          m["counter"] == 5,
          "rollover push: MSK 0x00010002, counter 5")


def mtk_key(msg, msk, rand):
    return decode(msg, "--msk", msk.hex(), "--rand", rand.hex())


def check_mtk_messages(msgs):
    msk0, rand0 = kdf(b"msk", 0, 16), kdf(b"msk-rand", 0, 16)
    msk1, rand1 = kdf(b"msk", 1, 16), kdf(b"msk-rand", 1, 16)
    # 0.5 MTK 1 | 1.5 MTK 2 | 1.6 forged | 1.9 replay | 2.0 outside |
    # 2.3 unknown MSK | 2.5 MSK 2 MTK 1 | 3.5 MSK 2 MTK 2
    check(len(msgs) == 8, "8 MTK datagrams (got %d)" % len(msgs))
    if len(msgs) != 8:
        return
    want = [(0, msk0, rand0, 1), (1, msk0, rand0, 2)]
    for i, (k, msk, rand, mtk_id) in enumerate(want):
        rc, m = mtk_key(msgs[i], msk, rand)
        check(rc == 0 and m["type"] == "mtk" and m["mac_ok"] and
              m["mtk_id"] == mtk_id and m["key"] == kdf(b"mtk", k, 16).hex() and
              m["salt"] == kdf(b"mtk-salt", k, 14).hex() and
              m["counter"] == i + 1,
              "MTK %d under MSK 0x00010001: key, salt, counter %d" %
              (mtk_id, i + 1))
    rc, m = mtk_key(msgs[2], msk0, rand0)
    check(rc == 3, "mtk-forged-mac: MAC does not verify")
    check(msgs[3] == msgs[1],
          "mtk-replay: MTK 2's message again, byte for byte")
    rc, m = mtk_key(msgs[4], msk0, rand0)
    check(rc == 0 and m["mtk_id"] == 101 and m["counter"] == 4,
          "mtk-outside: MTK ID 101 above SEQu 100")
    rc, m = mtk_key(msgs[5], msk0, rand0)
    check(rc == 3 and m and m["msk_id"] == 0x0001fff0,
          "mtk-unknown-msk: MSK ID 0x0001fff0, not verifiable")
    for i, k, mtk_id in ((6, 2, 1), (7, 3, 2)):
        rc, m = mtk_key(msgs[i], msk1, rand1)
        check(rc == 0 and m["mac_ok"] and m["msk_id"] == 0x00010002 and
              m["mtk_id"] == mtk_id and m["key"] == kdf(b"mtk", k, 16).hex() and
              m["counter"] == mtk_id,
              "MTK %d under MSK 0x00010002 (MTK IDs restart per MSK)" % mtk_id)


def check_srtp(pkts):
    """200 scheduled packets plus a burst of 20 under MSK 0x0001fff0 that
    takes sequence numbers but no time slots."""
    check(len(pkts) == 220, "220 SRTP packets (got %d)" % len(pkts))
    bad = burst = 0
    first_burst = None
    unknown = (0x0001fff0).to_bytes(4, "big") + (1).to_bytes(2, "big")
    for i, p in enumerate(pkts):
        seq = int.from_bytes(p[2:4], "big")
        mki = p[-16:-10]	# MKI, then the 10-byte tag
        if mki == unknown:
            burst += 1
            if first_burst is None:
                first_burst = i
            if seq != 1 + i:
                bad += 1
            continue
        slot = i - burst
        msk = 0x00010001 if slot < 100 else 0x00010002
        mtk_id = 1 + (slot // 50) % 2
        if seq != 1 + i or mki != msk.to_bytes(4, "big") + mtk_id.to_bytes(2, "big"):
            bad += 1
    check(bad == 0, "SRTP MKI switches at time slots 50, 100, 150; seq "
          "consecutive (%d wrong)" % bad)
    # The burst at 3.2 s lands near slot 110 (start 1 s, 50 packets/s).
    check(burst == 20 and first_burst is not None and
          105 <= first_burst <= 115 and
          all(pkts[first_burst + k][-16:-10] == unknown for k in range(20)),
          "one burst of 20 unknown-MSK packets around slot 110 (at %s)" %
          first_burst)


def check_replay_with_resends(tmp):
    """mtk-replay with --mtk-repeat on: the replayed datagram is the first
    transmission of the newest MTK, byte for byte, sent after a resend of
    that MTK with a newer counter (so a receiver that saw the resend must
    find the replay's counter old)."""
    gba = os.path.join(tmp, "gba")
    ue, mtk, srtp = udp(), udp(), udp()
    args = [SIM, "-j", "--seed", SEED.hex(), "--duration", "2",
            "--start", "0.5", "--mtk-period", "1", "--mtk-delta", "0.5",
            "--mtk-repeat", "0.2", "--fault", "mtk-replay@1.3",
            "--rcc-mode", "2", "--rcc-rate", "16",
            "--ue", "127.0.0.1:%d" % ue.getsockname()[1], "--gba-file", gba,
            "--mtk-dest", "127.0.0.1:%d" % mtk.getsockname()[1],
            "--stream", "127.0.0.1:%d" % srtp.getsockname()[1]]
    sim = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = collect(sim, ue, mtk, srtp, answer_pushes=False)
    msgs = got["mtk"]
    sim.communicate(timeout=10)
    check(sim.returncode == 0, "resends run: bmsc-sim exit status 0")
    rc, m = decode(got["ue"][0], "--muk", KS.hex()) if got["ue"] else (-1, None)
    check(rc == 0 and m["mac_ok"] and m["sp"][0]["rcc_mode"] == "rccm2" and
          m["sp"][0]["roc_tx_rate"] == 16,
          "--rcc-mode 2 --rcc-rate 16: the MSK push's SP says RCCm2, R = 16")
    msk0, rand0 = kdf(b"msk", 0, 16), kdf(b"msk-rand", 0, 16)
    seen = {}
    replay = None
    later_counter = None
    for i, m in enumerate(msgs):
        if m in seen:
            replay = (seen[m], i)
            break
        seen[m] = i
    check(replay is not None, "resends run: one MTK datagram sent again byte for byte")
    if replay is None:
        return
    first, again = replay
    rc, m0 = mtk_key(msgs[first], msk0, rand0)
    check(rc == 0 and m0["mtk_id"] == 2,
          "resends run: the replay is MTK 2's message (the newest MTK at 1.3 s)")
    firsts = [mtk_key(x, msk0, rand0)[1] for x in msgs[:first]]
    check(all(x["mtk_id"] == 1 for x in firsts),
          "resends run: the replayed message is MTK 2's first transmission")
    for x in msgs[first + 1:again]:
        rc, mx = mtk_key(x, msk0, rand0)
        if rc == 0 and mx["mtk_id"] == 2:
            later_counter = mx["counter"]
    check(later_counter is not None and later_counter > m0["counter"],
          "resends run: a resend of MTK 2 with a newer counter (%s > %d) came before the replay"
          % (later_counter, m0["counter"]))


def main():
    for f in (SIM, TOOL):
        if not os.access(f, os.X_OK):
            print("SKIP: %s not built" % f)
            return 77
    ue, mtk, srtp = udp(), udp(), udp()
    with tempfile.TemporaryDirectory() as tmp:
        sim = run_sim(tmp, ue, mtk, srtp)
        got = collect(sim, ue, mtk, srtp)
        try:
            out, err = sim.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
            out, err = sim.communicate()
        check_replay_with_resends(tmp)
    check(sim.returncode == 0, "bmsc-sim exit status 0")
    events = [json.loads(line) for line in out.decode().splitlines()]
    ex = [e for e in events if e["event"] == "exit"]
    check(len(ex) == 1 and ex[0]["verif_ok"] == 1 and ex[0]["verif_bad"] == 1,
          "bmsc-sim accepted the good verification, rejected the bad one")
    check(len(ex) == 1 and ex[0]["faults"] == 8, "8 faults reported")
    check(len(ex) == 1 and ex[0]["mikey_ignored"] == 2,
          "2 malformed datagrams on the MIKEY socket ignored")
    check(len(ex) == 1 and ex[0]["srtp_unknown_msk"] == 20,
          "20 SRTP packets under the unknown MSK")
    check_ue_messages(got["ue"])
    check_mtk_messages(got["mtk"])
    check_srtp(got["srtp"])
    if failures:
        sys.stderr.write(err.decode())
    print("bmscsim_mikey_loopback: %d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
