#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check `mbmsctl -o prometheus stats` against mbmsctl's JSON.

    promcheck.py MBMSCTL [session ID]

Parses the exposition with prometheus_client's own parser (Debian's
python3-prometheus-client; /usr/bin/python3 because that is where Debian
installs it), then requires that every counter of `-j stats`, every gauge
of `-j session show` and every key of `-j key show` has exactly its sample,
and that there is no other sample.  Key ages and idle times grow between
the two reads: the JSON (read second) may be ahead by up to SLACK seconds.
Prints "# ..." lines; exit status 1 on the first disagreement.
"""
import json
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

P = "mbms_srtp_"
SLACK = 30.0
# JSON stats field -> (sample name, reason label or None).  Written from
# mbmsctl(8), not from mbmsctl's table, so that a slip there shows here.
FAILURES = {"malformed": "malformed", "unknown_mki": "unknown_mki",
            "auth_failed": "auth", "replay": "replay",
            "key_expired": "key_expired", "ssrc_full": "ssrc_full",
            "nomem": "nomem", "fragment": "fragment",
            "csum_error": "csum_error", "roc_unknown": "roc_unknown"}
PLAIN = {"packets": "packets_total", "bytes": "bytes_total",
         "rtcp_packets": "rtcp_packets_total",
         "passed": "passed_packets_total",
         "gso_segmented": "gso_segmented_total",
         "frag_reassembled": "frag_reassembled_total"}
GAUGES = {"key_count": "keys", "flow_count": "flows",
          "ssrc_count": "ssrcs", "ssrc_high_water": "ssrcs_high_water"}


def fail(msg):
    print("# promcheck: " + msg)
    sys.exit(1)


def run(ctl, *args):
    return subprocess.run([ctl, *args], check=True, capture_output=True,
                          text=True).stdout


def main():
    ctl, filt = sys.argv[1], sys.argv[2:]
    text = run(ctl, "-o", "prometheus", "stats", *filt)
    stats = json.loads(run(ctl, "-j", "stats", *filt))
    sessions = json.loads(run(ctl, "-j", "session", "show",
                              *filt[1:]))
    keys = json.loads(run(ctl, "-j", "key", "show", *filt))

    got = {}
    types = {}
    for fam in text_string_to_metric_families(text):
        if fam.type not in ("counter", "gauge"):
            fail(f"{fam.name}: type {fam.type}")
        if not fam.documentation:
            fail(f"{fam.name}: no HELP")
        if fam.name in types:
            fail(f"{fam.name}: family split in two")
        types[fam.name] = fam.type
        for s in fam.samples:
            k = (s.name, tuple(sorted(s.labels.items())))
            if k in got:
                fail(f"duplicate sample {k}")
            got[k] = s.value

    want = {}
    for st in stats:
        sid = str(st["session_id"])
        for field, v in st.items():
            if field == "session_id":
                continue
            if field in FAILURES:
                lab = (("reason", FAILURES[field]), ("session", sid))
                want[(P + "failed_packets_total", lab)] = v
            elif field in PLAIN:
                want[(P + PLAIN[field], (("session", sid),))] = v
            else:
                fail(f"JSON stats field {field} has no metric here")
    for se in sessions:
        sid = str(se["session_id"])
        for field, name in GAUGES.items():
            if field in se:
                want[(P + name, (("session", sid),))] = se[field]
    ages = {}
    for k in keys:
        lab = (("msk_id", "0x%08x" % k["msk_id"]),
               ("mtk_id", str(k["mtk_id"])),
               ("session", str(k["session_id"])))
        want[(P + "key_packets_total", lab)] = k["packets"]
        want[(P + "key_expired", lab)] = int(k["expired"])
        ages[(P + "key_age_seconds", lab)] = k["age_ms"] / 1000
        if k["idle_ms"] is not None:
            ages[(P + "key_idle_seconds", lab)] = k["idle_ms"] / 1000

    for k, v in want.items():
        if k not in got:
            fail(f"missing {k} (JSON {v})")
        if got[k] != v:
            fail(f"{k}: metric {got[k]}, JSON {v}")
    for k, v in ages.items():
        if k not in got:
            fail(f"missing {k} (JSON {v})")
        if not 0 <= v - got[k] <= SLACK:
            fail(f"{k}: metric {got[k]}, JSON {v}")
    extra = set(got) - set(want) - set(ages)
    if extra:
        fail(f"samples without JSON: {sorted(extra)}")
    for name in (P + "failed_packets", P + "packets", P + "keys",
                 P + "key_packets", P + "key_age_seconds"):
        if name not in types:
            fail(f"no family {name}")
    print(f"# promcheck: {len(types)} families, {len(got)} samples "
          f"agree with the JSON ({len(stats)} sessions, {len(keys)} keys)")


if __name__ == "__main__":
    main()
