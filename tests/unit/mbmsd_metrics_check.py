#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""mbmsd's /metrics endpoint against `mbmsd status -j`, without a kernel.

Starts `mbmsd -n` with metrics_listen on a free loopback port, sends it
undecodable MIKEY datagrams, an MSK message and an MTK message that it
must reject (so that counters of both message types move), fetches /metrics,
parses it with prometheus_client's parser (Debian's
python3-prometheus-client, hence /usr/bin/python3) and requires every
sample to equal its counter in the JSON status, and nothing more.  Also:
404 elsewhere, 405 for POST, the text/plain version=0.0.4 content type,
and that the daemon serves nothing without metrics_listen.
Exit 77 (skip) without the binary or the parser.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("SKIP: python3-prometheus-client is not installed")
    sys.exit(77)

BIN = os.environ.get("MBMS_BIN", "build/userspace/bin")
MBMSD = os.path.join(BIN, "mbmsd")
MIKEYTOOL = os.path.join(BIN, "mikeytool")
GARBAGE = [b"\x00", b"\x01\x00\x00", b"\xff" * 40, b"not mikey at all"]
HEX16 = "11" * 16


def mikey(*args):
    """A well-formed MIKEY message from mikeytool (key domain 000001)."""
    out = subprocess.run([MIKEYTOOL, "encode", *args, "--rand", "22" * 16,
                          "--csb-id", "1", "--counter", "1",
                          "--key-domain", "000001"],
                         check=True, capture_output=True, text=True).stdout
    return bytes.fromhex(out.strip())


def rejected_pair():
    """One MSK message (under a MUK mbmsd lacks: no-muk) and one MTK
    message (for an MSK it lacks: unknown-msk), so that both types of
    rejection move."""
    msk = mikey("msk", "--muk", "55" * 32, "--idi", "bmsc.test",
                "--idr", "fake@bsf.test", "--msk-id", str(1 << 16 | 1),
                "--msk", HEX16, "--seql", "0", "--sequ", "100")
    mtk = mikey("mtk", "--msk", HEX16, "--msk-id", str(1 << 16 | 2),
                "--mtk-id", "1", "--mtk", "33" * 16, "--salt", "44" * 14)
    return msk, mtk


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(conf):
    out = subprocess.run([MBMSD, "status", "-j", "-c", conf], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def get(url, method="GET"):
    req = urllib.request.Request(url, method=method,
                                 data=b"x" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def expected(st):
    """(name, labels) -> value, from the JSON status."""
    w = {}
    acc = st["accepted"]
    by = st["by_type"]
    for typ, kind in (("msk", "msk"), ("msk", "solicited_pull"),
                      ("mtk", "mtk")):
        if by[typ]["accepted"][kind] != acc[kind]:
            fail(f"accepted {typ}/{kind}: {by[typ]['accepted'][kind]}"
                 f", total {acc[kind]}")
        w[("mbmsd_accepted_total", (("kind", kind), ("type", typ)))] = \
            acc[kind]
    w[("mbmsd_solicited_pulls_expired_muk_total", ())] = \
        acc["solicited_pull_expired_muk"]
    w[("mbmsd_mtk_resends_total", ())] = acc["mtk_resend"]
    # Rejections by message type (MSK-type, MTK, key-needed event): the
    # types add up to the JSON's totals by reason.
    if set(by) != {"msk", "mtk", "key_needed"}:
        fail(f"by_type: {sorted(by)}")
    for reason, v in st["rejected"].items():
        if sum(by[t]["rejected"][reason] for t in by) != v:
            fail(f"rejected {reason}: total {v}, by type "
                 f"{[by[t]['rejected'][reason] for t in by]}")
        for typ in by:
            w[("mbmsd_rejected_total", (("reason", reason), ("type", typ)))] \
                = by[typ]["rejected"][reason]
    c = st["counters"]
    for name in ("datagrams", "wrong_kind", "verifications_sent",
                 "mtk_installed", "install_errors", "kernel_events",
                 "sessions_recreated", "store_errors"):
        w[(f"mbmsd_{name}_total", ())] = c[name]
    w[("mbmsd_msk_type_messages_total", ())] = c["msk_type_messages"]
    w[("mbmsd_mtk_messages_total", ())] = c["mtk_messages"]
    w[("mbmsd_msk_requests_sent_total", ())] = c["requests_sent"]
    w[("mbmsd_msk_requests_total", (("outcome", "ok"),))] = c["requests_ok"]
    w[("mbmsd_msk_requests_total", (("outcome", "failed"),))] = \
        c["requests_failed"]
    w[("mbmsd_bootstraps_total", (("outcome", "ok"),))] = c["bootstraps"]
    w[("mbmsd_bootstraps_total", (("outcome", "failed"),))] = \
        c["bootstrap_failures"]
    w[("mbmsd_bootstrap_required", ())] = int(st["bootstrap_required"])
    return w


def check(text, st):
    got = {}
    for fam in text_string_to_metric_families(text):
        if fam.type not in ("counter", "gauge") or not fam.documentation:
            fail(f"{fam.name}: type {fam.type}, HELP '{fam.documentation}'")
        for s in fam.samples:
            got[(s.name, tuple(sorted(s.labels.items())))] = s.value
    want = expected(st)
    errs = {k: v for k, v in got.items() if k[0] == "mbmsd_decode_errors_total"}
    for k, v in errs.items():
        # The JSON lists only the errors that happened.
        if v != st["decode_errors"].get(dict(k[1])["error"], 0):
            fail(f"{k}: metric {v}, JSON {st['decode_errors']}")
        want[k] = v
    for e in st["decode_errors"]:
        if ("mbmsd_decode_errors_total", (("error", e),)) not in got:
            fail(f"decode error '{e}' has no sample")
    for k, v in want.items():
        if got.get(k) != v:
            fail(f"{k}: metric {got.get(k)}, JSON {v}")
    extra = set(got) - set(want)
    if extra:
        fail(f"samples without JSON: {sorted(extra)}")
    return len(got)


def start(tmp, metrics):
    sock = os.path.join(tmp, "status.sock")
    state = os.path.join(tmp, "state")
    os.makedirs(state, mode=0o700, exist_ok=True)
    udp = free_port(socket.SOCK_DGRAM)
    conf = os.path.join(tmp, "mbmsd.conf")
    with open(conf, "w") as f:
        f.write(f"""[global]
bmsc_uri = http://127.0.0.1:9
bmsc_fqdn = bmsc.test
gba_bootstrap_command = /bin/false
state_dir = {state}
status_socket = {sock}
listen_port = {udp}
request_jitter = 3600
{metrics}
[session tv]
id = 1
key_domain = 000001
key_group = 1
flows = 127.0.0.1:{udp + 1}
mtk_group = 127.0.0.1
mtk_port = {udp + 2}
""")
    p = subprocess.Popen([MBMSD, "-n", "-c", conf],
                         stderr=open(os.path.join(tmp, "log"), "w"))
    for _ in range(100):
        if os.path.exists(sock) or p.poll() is not None:
            break
        time.sleep(0.1)
    if not os.path.exists(sock):
        p.kill()
        fail("mbmsd did not start: " + open(os.path.join(tmp, "log")).read())
    return p, conf, udp


def main():
    if not os.access(MBMSD, os.X_OK) or not os.access(MIKEYTOOL, os.X_OK):
        print(f"SKIP: {MBMSD} or {MIKEYTOOL} not built")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port(socket.SOCK_STREAM)
        p, conf, udp = start(tmp, f"metrics_listen = 127.0.0.1:{port}")
        try:
            url = f"http://127.0.0.1:{port}"
            msk, mtk = rejected_pair()
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for g in GARBAGE + [msk]:
                    s.sendto(g, ("127.0.0.1", udp))
                s.sendto(mtk, ("127.0.0.1", udp + 2))
            ndgram = len(GARBAGE) + 2
            for _ in range(100):
                if status(conf)["counters"]["datagrams"] == ndgram:
                    break
                time.sleep(0.1)
            code, ct, text = get(url + "/metrics")
            if code != 200 or not ct.startswith("text/plain; version=0.0.4"):
                fail(f"/metrics: {code} {ct}")
            st = status(conf)
            if st["counters"]["datagrams"] != ndgram:
                fail(f"datagrams {st['counters']['datagrams']}")
            n = check(text, st)
            if f"mbmsd_datagrams_total {ndgram}\n" not in text:
                fail("mbmsd_datagrams_total is not the datagrams sent")
            for typ, reason in (("msk", "no-muk"), ("mtk", "unknown-msk")):
                line = (f'mbmsd_rejected_total{{type="{typ}",'
                        f'reason="{reason}"}} 1\n')
                if line not in text:
                    fail(f"no '{line.strip()}' after one such message")
            if get(url + "/")[0] != 404 or get(url + "/metricsx")[0] != 404:
                fail("a path other than /metrics was served")
            if get(url + "/metrics", "POST")[0] not in (405, 413):
                fail("POST was served")
            code, _, head = get(url + "/metrics", "HEAD")
            if code != 200 or head:
                fail(f"HEAD: {code} with {len(head)} bytes")
            print(f"mbmsd /metrics: {n} samples agree with mbmsd status -j")
        finally:
            p.terminate()
            p.wait(timeout=10)
        if p.returncode != 0:
            fail(f"mbmsd exited {p.returncode}")
        # Off by default: the port is not listened on.
        p, conf, _ = start(tmp, "")
        try:
            try:
                get(f"http://127.0.0.1:{port}/metrics")
                fail("metrics served without metrics_listen")
            except urllib.error.URLError:
                pass
        finally:
            p.terminate()
            p.wait(timeout=10)
    print("mbmsd_metrics_check: ok")


if __name__ == "__main__":
    main()
