#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw records of one `make bench` run into the results.

    report.py --run build/bench/K-DATE --out bench/results
        reads RUN/meta, RUN/cpus{1,2}/raw.jsonl (wall clock) and
        RUN/icount1/raw.jsonl (instruction counter), as far as they exist
        (written by scripts/bench.sh), and writes OUT/K-DATE.json, .md
        and .png.
    report.py --run DIR --out DIR2 --flat
        reads DIR/raw.jsonl only (the smoke run) and writes
        DIR2/report.{json,md,png}.

Every number in the outputs is computed from the records of that one run;
see Documentation/performance.rst for what each column means.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The throughput targets are checked on the receiving CPU of the 2-vCPU
# guest (sender pinned to CPU 0, the receive path, sink and relay to CPU 1):
# receiver CPU time per packet, relay / kernel.  The floor target is
# checked in the 1-vCPU guest: module ns = kernel - idle, whole guest,
# against the floor timed in that guest.  Its 2-vCPU counterpart is only
# reported: there the idle stream keeps both vCPUs busy while the kernel
# stream leaves CPU 0 half idle, and with two vCPU threads on a 2-CPU host
# the subtraction came out below the module's own timed mbms_rx()
# (Documentation/performance.rst, "Which measure checks which target").
# When the bench also ran a guest on QEMU's instruction counter (icount1/),
# the two cost ratios of one 1-vCPU guest (floor, flows) are checked there
# instead: the same guest work, counted in instructions, does not move with
# the host's speed, which the wall clock of a TCG guest does, by up to 1.4x
# from one stream to the next (performance.rst, "Wall clock and
# instruction counts").  The verdicts are in the report's top-level
# "targets", each with its value on both clocks.
TARGETS = {
    "kernel_vs_relay_172": 3.0,   # CPU-bound throughput, at least
    "kernel_vs_relay_1200": 2.0,  # CPU-bound throughput, at least
    "kernel_vs_floor_1200": 1.5,  # module cost / kernel floor, at most
    "flows_100k_vs_1": 1.2,       # per-packet cost, at most
    "rcc_vs_plain": 1.05,         # RFC 4771 RCCm1 R=16 / plain, at most
}
# The clock each target is checked on when both ran ("wall" or "icount").
TARGET_CLOCK = {
    "kernel_vs_relay_172": "wall",    # needs 2 vCPUs: icount guests have 1
    "kernel_vs_relay_1200": "wall",
    "kernel_vs_floor_1200": "icount",
    "flows_100k_vs_1": "icount",
    "rcc_vs_plain": "icount",         # a cost ratio in one 1-vCPU guest
}
# rcc_vs_plain: whole-guest ns per packet of the RCCm1 (R = 16) session
# over the plain suite-80 session, 1 vCPU, 1 flow, the same packets in the
# same repeats (scripts/bench.sh mode rcc); the larger of the 172- and
# 1200-byte rows.  The module's share alone ((rcc - idle) / (kernel -
# idle)) is reported next to it.


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def meta_of(run):
    meta = {}
    p = os.path.join(run, "meta")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                meta[k] = v
    return meta


def dp_row(r):
    s = r["sink"]
    n = s["received"]
    per_cpu = s.get("cpu_busy_ns", [])
    # 2 vCPUs: the receiving side is pinned to CPU 1 (scripts/bench.sh)
    rx = per_cpu[1] if r.get("cpus") == 2 and len(per_cpu) > 1 else None
    return {
        "pps": round(n * 1e9 / s["elapsed_ns"]) if s["elapsed_ns"] else None,
        "ns": round(s["busy_ns"] / n) if n else None,
        "rx_ns": round(rx / n) if n and rx is not None else None,
        "received": n,
        "sent": r["replay"]["sent"],
        "bad_len": s["bad_len"],
        "ctxt_per_pkt": round(s["ctxt"] / n, 2) if n and "ctxt" in s else None,
    }


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return round((xs[n // 2] + xs[(n - 1) // 2]) / 2, 2)


def floor_pairs(records, kfloor_rep, payload, suite=80):
    """Per repeat of the 1-vCPU, 1-flow stream: idle, kernel, the floor
    timed just before them, and module / floor."""
    by_rep = {}
    for r in records:
        if (r["kind"] == "dp" and r["cpus"] == 1 and r["flows"] == 1 and
                r["payload"] == payload and r["suite"] == suite):
            by_rep.setdefault(r.get("rep", 0), {})[r["mode"]] = dp_row(r)
    pairs = []
    for rep in sorted(by_rep):
        m, kf = by_rep[rep], kfloor_rep.get((payload, rep))
        if "idle" not in m or "kernel" not in m or not kf or not kf["ns_per_pkt"]:
            continue
        module = m["kernel"]["ns"] - m["idle"]["ns"]
        pairs.append({"rep": rep, "idle_ns": m["idle"]["ns"],
                      "kernel_ns": m["kernel"]["ns"], "module_ns": module,
                      "kfloor_ns": kf["ns_per_pkt"],
                      "ctxt_per_pkt": m["kernel"]["ctxt_per_pkt"],
                      "ratio": round(module / kf["ns_per_pkt"], 2)})
    return pairs


def find_row(rows, cpus, flows, payload, suite=80):
    """The analysed row of one (vCPUs, flows, payload, suite), or None."""
    for r in rows:
        if (r["cpus"], r["flows"], r["payload"], r["suite"]) == \
                (cpus, flows, payload, "aes-cm-128-hmac-sha1-%d" % suite):
            return r
    return None


def analyse(records):
    """Group the records and compute every derived figure and ratio."""
    guests = [r for r in records if r["kind"] == "guest"]
    kfloor = {}
    kfloor2 = {}    # measured in the 2-vCPU guest, pinned to CPU 1
    ufloor = {}
    kfloor_rep = {}  # (payload, repeat): timed just before that repeat
    for r in records:
        if r["kind"] == "kfloor" and "rep" in r:
            kfloor_rep[(r["payload"], r["rep"])] = r
            continue
        if r["kind"] == "kfloor" and r.get("cpus", 1) == 1:
            kfloor.setdefault(r["payload"], r)
        if r["kind"] == "kfloor" and r.get("cpus", 1) == 2:
            kfloor2.setdefault(r["payload"], r)
        if r["kind"] == "ufloor" and r.get("cpus", 1) == 1:
            ufloor.setdefault(r["payload"], r)
    # Repeats of one (cpus, flows, payload, suite, mode): keep the best
    # (interference from the shared host only ever adds time), and the
    # worst too, so that the spread shows.
    reps = {}
    for r in records:
        if r["kind"] != "dp":
            continue
        key = (r["cpus"], r["flows"], r["payload"], r["suite"])
        reps.setdefault(key, {}).setdefault(r["mode"], []).append(dp_row(r))
    runs = {}
    for key, modes in reps.items():
        for mode, lst in modes.items():
            runs.setdefault(key, {})[mode] = {
                "pps": max(x["pps"] for x in lst),
                "ns": min(x["ns"] for x in lst),
                "ns_worst": max(x["ns"] for x in lst),
                "rx_ns": min((x["rx_ns"] for x in lst if x["rx_ns"] is not None),
                             default=None),
                "repeats": len(lst),
                "received": sum(x["received"] for x in lst),
                "sent": sum(x["sent"] for x in lst),
                "bad_len": sum(x["bad_len"] for x in lst),
            }
    rows = []
    for key in sorted(runs):
        cpus, flows, payload, suite = key
        m = runs[key]
        row = {"cpus": cpus, "flows": flows, "payload": payload,
               "suite": "aes-cm-128-hmac-sha1-%d" % suite}
        for mode in ("idle", "kernel", "rcc", "relay"):
            if mode in m:
                row[mode] = m[mode]
        k, i, rl = m.get("kernel"), m.get("idle"), m.get("relay")
        if k and i:
            row["module_ns"] = k["ns"] - i["ns"]
        if rl and i:
            row["relay_own_ns"] = rl["ns"] - i["ns"]
        rc = m.get("rcc")
        if rc and k and k["ns"]:
            row["rcc_vs_plain_ns"] = round(rc["ns"] / k["ns"], 3)
        if rc and i:
            row["rcc_module_ns"] = rc["ns"] - i["ns"]
            if k and k["ns"] > i["ns"]:
                row["rcc_vs_plain_module"] = round(
                    row["rcc_module_ns"] / (k["ns"] - i["ns"]), 3)
        if rc and k and rc["rx_ns"] and k["rx_ns"]:
            row["rcc_vs_plain_rx_ns"] = round(rc["rx_ns"] / k["rx_ns"], 3)
        if k and rl and rl["pps"]:
            row["kernel_vs_relay_pps"] = round(k["pps"] / rl["pps"], 2)
        if k and rl and k["ns"]:
            row["relay_vs_kernel_ns"] = round(rl["ns"] / k["ns"], 2)
        if k and rl and k["rx_ns"] and rl["rx_ns"]:
            row["relay_vs_kernel_rx_ns"] = round(rl["rx_ns"] / k["rx_ns"], 2)
        if k and i and k["rx_ns"] is not None and i["rx_ns"] is not None:
            row["module_rx_ns"] = k["rx_ns"] - i["rx_ns"]
        if row.get("module_ns", 0) > 0 and "relay_own_ns" in row:
            row["relay_own_vs_module"] = round(row["relay_own_ns"] / row["module_ns"], 2)
        kf = kfloor.get(payload) if cpus == 1 else kfloor2.get(payload)
        uf = ufloor.get(payload)
        if kf and cpus == 2:
            row["kfloor_ns"] = kf["ns_per_pkt"]
            if row.get("module_rx_ns") is not None and kf["ns_per_pkt"]:
                row["module_rx_vs_kfloor"] = round(
                    row["module_rx_ns"] / kf["ns_per_pkt"], 2)
            kf = None
        if kf:
            row["kfloor_ns"] = kf["ns_per_pkt"]
            if "module_ns" in row and kf["ns_per_pkt"]:
                row["module_vs_kfloor"] = round(row["module_ns"] / kf["ns_per_pkt"], 2)
        if uf:
            row["ofloor_ns"] = round(uf["ns_per_pkt"])
        rows.append(row)

    def find(cpus, flows, payload, suite=80):
        return find_row(rows, cpus, flows, payload, suite)

    timing = []
    for r in records:
        if r["kind"] != "timing" or not r["stages_ns"].get("n"):
            continue
        st = r["stages_ns"]
        t = {"cpus": r["cpus"], "payload": r["payload"], "suite": r["suite"],
             "packets": st["n"]}
        for k, v in st.items():
            if k != "n":
                t[k] = round(v / st["n"])
        timing.append(t)

    ratios = {}
    # Throughput on one CPU is 1 / (CPU time per packet): the guest's
    # wall clock also counts time the host took the vCPU away (see
    # performance.rst), so the target is checked on CPU time; the
    # wall-clock pps ratio is reported next to it.
    for p in (172, 1200):
        r2 = find(2, 1, p)
        if r2 and "relay_vs_kernel_rx_ns" in r2:
            ratios["kernel_vs_relay_%d" % p] = r2["relay_vs_kernel_rx_ns"]
        if r2 and "kernel_vs_relay_pps" in r2:
            ratios["kernel_vs_relay_%d_2cpu_wall_pps" % p] = r2["kernel_vs_relay_pps"]
        r = find(1, 1, p)
        if r and "relay_vs_kernel_ns" in r:
            ratios["kernel_vs_relay_%d_1cpu" % p] = r["relay_vs_kernel_ns"]
        if r and "kernel_vs_relay_pps" in r:
            ratios["kernel_vs_relay_%d_wall_pps" % p] = r["kernel_vs_relay_pps"]
        if r and "relay_own_vs_module" in r:
            ratios["relay_own_vs_module_%d" % p] = r["relay_own_vs_module"]
    # The floor target: 1-vCPU guest, whole guest (see TARGETS), each
    # repeat's module cost (kernel - idle of that repeat) against the
    # floor timed just before it; the median of the repeats.  Runs
    # without paired floors fall back to the best-of-repeats row.  The
    # module's timed mbms_rx() alone and the 2-vCPU subtraction are
    # reported next to it.
    pairs = floor_pairs(records, kfloor_rep, 1200)
    r = find(1, 1, 1200)
    if pairs:
        ratios["kernel_vs_floor_1200"] = median([p["ratio"] for p in pairs])
    elif r and "module_vs_kfloor" in r:
        ratios["kernel_vs_floor_1200"] = r["module_vs_kfloor"]
    r2 = find(2, 1, 1200)
    if r2 and "module_rx_vs_kfloor" in r2:
        ratios["kernel_vs_floor_1200_2cpu_rx"] = r2["module_rx_vs_kfloor"]
    for t in timing:
        kf = kfloor.get(t["payload"])
        if t["cpus"] == 1 and t["payload"] == 1200 and kf and t.get("total"):
            ratios["mbms_rx_vs_floor_1200"] = round(t["total"] / kf["ns_per_pkt"], 2)

    one, big = find(1, 1, 172), find(1, 100000, 172)
    if one and big and "kernel" in one and "kernel" in big:
        ratios["flows_100k_vs_1"] = round(big["kernel"]["ns"] / one["kernel"]["ns"], 2)
        if one.get("module_ns", 0) > 0 and "module_ns" in big:
            ratios["flows_100k_vs_1_module_only"] = round(
                big["module_ns"] / one["module_ns"], 2)
    # RFC 4771: the larger of the two target rows, 1 vCPU (the 2-vCPU
    # guest's receiving-CPU ratio is only reported).
    worst = None
    for p in (172, 1200):
        for cpus in (1, 2):
            r = find(cpus, 1, p)
            for k, name in (("rcc_vs_plain_ns", "rcc_vs_plain_%d%s"),
                            ("rcc_vs_plain_module", "rcc_vs_plain_module_%d%s"),
                            ("rcc_vs_plain_rx_ns", "rcc_vs_plain_rx_%d%s")):
                if r and k in r:
                    ratios[name % (p, "" if cpus == 1 else "_2cpu")] = r[k]
            if cpus == 1 and r and "rcc_vs_plain_ns" in r:
                worst = max(worst or 0, r["rcc_vs_plain_ns"])
    if worst is not None:
        ratios["rcc_vs_plain"] = worst
    mem = []
    for r in records:
        if r["kind"] == "mem" and r["count"]:
            mem.append({"what": r["what"], "count": r["count"],
                        "kmem_kb": r["kmem_kb"],
                        "bytes_each": round(r["kmem_kb"] * 1024 / r["count"]),
                        "install_s": round(r["install"][r["what"][:-1] + "_ns"] / 1e9, 2)})
    return {"guests": guests, "rows": rows, "ratios": ratios,
            "memory": mem, "timing": timing,
            "floor_pairs": pairs,
            "kfloor": list(kfloor.values()), "ofloor": list(ufloor.values())}


def combine_targets(res, ic):
    """Each target on its clock (TARGET_CLOCK), or on the other clock when
    only that one ran; both values are kept."""
    out = {}
    for name, limit in TARGETS.items():
        vals = {"wall": res["ratios"].get(name) if res else None,
                "icount": ic["ratios"].get(name) if ic else None}
        on = TARGET_CLOCK[name]
        if vals[on] is None:
            on = "icount" if on == "wall" else "wall"
        v = vals[on]
        met = None
        if v is not None:
            met = v >= limit if name.startswith("kernel_vs_relay") else v <= limit
        out[name] = {"limit": limit, "value": v, "met": met,
                     "checked_on": on if v is not None else None,
                     "wall": vals["wall"], "icount": vals["icount"]}
    return out


def per_instruction(res, ic, payload=1200):
    """Wall-clock ns of the 1-vCPU guest per guest instruction counted in
    the icount guest, for the same work: how much the emulator's time per
    instruction differs between the parts of the path."""
    def row(r):
        if not r:
            return {}
        return {"idle": r.get("idle", {}).get("ns"),
                "kernel": r.get("kernel", {}).get("ns"),
                "module": r.get("module_ns"), "kernel floor": r.get("kfloor_ns")}
    if any(g.get("smoke") for g in res["guests"] + ic["guests"]):
        return []     # 1,000-packet streams: below the tick resolution
    w = row(find_row(res["rows"], 1, 1, payload))
    i = row(find_row(ic["rows"], 1, 1, payload))
    tw = next((t for t in res["timing"] if t["cpus"] == 1 and t["payload"] == payload), {})
    ti = next((t for t in ic["timing"] if t["cpus"] == 1 and t["payload"] == payload), {})
    w["mbms_rx()"], i["mbms_rx()"] = tw.get("total"), ti.get("total")
    out = []
    for k in ("idle", "kernel", "module", "mbms_rx()", "kernel floor"):
        if (w.get(k) or 0) > 0 and (i.get(k) or 0) > 0:
            out.append({"what": k, "wall_ns": w[k], "instructions": i[k],
                        "ns_per_instruction": round(w[k] / i[k], 2)})
    return out


def fmt(v, nd=0):
    if v is None:
        return "-"
    if isinstance(v, float) and nd:
        return "%.*f" % (nd, v)
    return "{:,}".format(round(v)) if isinstance(v, (int, float)) else str(v)


def body(res, out, h):
    """The tables of one clock's results, headings at level h."""
    out.append(h + " Datapath, 1 vCPU, 1 flow\n")
    out.append("pps: packets delivered to the receiving socket per second of "
               "the guest's clock. ns: CPU time of the whole guest per packet "
               "(sender included). module = kernel - idle (same packets, "
               "flow not installed). relay own = relay - idle. floors: the "
               "same AES-CTR + HMAC-SHA1 per packet alone. Rows with n > 1 "
               "were repeated n times (modes interleaved): best pps and "
               "best ns of the repeats; ns range = best..worst kernel ns.\n")
    out.append("| payload | suite | n | kernel pps | relay pps | kernel/relay pps "
               "| idle ns | kernel ns (range) | relay ns | relay/kernel ns | module ns | relay own ns "
               "| kernel floor ns | OpenSSL floor ns | module/kernel floor |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in res["rows"]:
        if r["cpus"] != 1 or r["flows"] != 1:
            continue
        kr = r.get("kernel", {})
        rng = "%s (..%s)" % (fmt(kr.get("ns")), fmt(kr.get("ns_worst"))) \
            if kr.get("repeats", 1) > 1 else fmt(kr.get("ns"))
        out.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["payload"], r["suite"][-2:], kr.get("repeats", "-"),
            fmt(kr.get("pps")), fmt(r.get("relay", {}).get("pps")),
            fmt(r.get("kernel_vs_relay_pps"), 2),
            fmt(r.get("idle", {}).get("ns")), rng,
            fmt(r.get("relay", {}).get("ns")), fmt(r.get("relay_vs_kernel_ns"), 2),
            fmt(r.get("module_ns")),
            fmt(r.get("relay_own_ns")), fmt(r.get("kfloor_ns")),
            fmt(r.get("ofloor_ns")), fmt(r.get("module_vs_kfloor"), 2)))
    rcc = [r for r in res["rows"] if r["flows"] == 1 and "rcc" in r]
    if rcc:
        g = res["guests"][0] if res["guests"] else {}
        mode, rate = g.get("rcc_mode", 1), g.get("rcc_rate", 16)
        out.append("\n" + h + " RFC 4771 RCCm%d, R = %d, against the plain suite (1 flow)\n"
                   % (mode, rate))
        out.append("The rcc stream: the same packets as the kernel stream, the "
                   "session and the sender in RCCm%d with R = %d (every %dth "
                   "packet carries the ROC and a tag, the others %s), run "
                   % (mode, rate, rate, "the full tag" if mode == 2 else "none") +
                   "in the same repeats. rcc / plain: whole-guest ns per "
                   "packet; module share: (rcc - idle) / (kernel - idle); rx: "
                   "receiving CPU, 2 vCPUs.\n")
        out.append("| vCPUs | payload | suite | n | idle ns | kernel ns | rcc ns (range) | rcc / plain | "
                   "module ns | rcc module ns | module share rcc / plain | kernel rx ns | rcc rx ns | rcc / plain rx |")
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted(rcc, key=lambda r: (r["cpus"], r["payload"])):
            c = r["rcc"]
            out.append("| %d | %d | %s | %s | %s | %s | %s (..%s) | %s | %s | %s | %s | %s | %s | %s |" % (
                r["cpus"], r["payload"], r["suite"][-2:], c["repeats"],
                fmt(r.get("idle", {}).get("ns")), fmt(r.get("kernel", {}).get("ns")),
                fmt(c["ns"]), fmt(c["ns_worst"]), fmt(r.get("rcc_vs_plain_ns"), 3),
                fmt(r.get("module_ns")), fmt(r.get("rcc_module_ns")),
                fmt(r.get("rcc_vs_plain_module"), 3),
                fmt(r.get("kernel", {}).get("rx_ns")), fmt(c.get("rx_ns")),
                fmt(r.get("rcc_vs_plain_rx_ns"), 3)))
    scale = [r for r in res["rows"] if r["cpus"] == 1 and r["flows"] > 1 or
             (r["cpus"] == 1 and r["flows"] == 1 and r["payload"] == 172 and
              r["suite"].endswith("80"))]
    if any(r["flows"] > 1 for r in scale):
        out.append("\n" + h + " Flows and sessions installed (1 vCPU, suite 80)\n")
        out.append("| flows+sessions | payload | n | kernel pps | kernel ns | idle ns | module ns |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted(scale, key=lambda r: (r["payload"], r["flows"])):
            out.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                fmt(r["flows"]), r["payload"], r.get("kernel", {}).get("repeats", "-"),
                fmt(r.get("kernel", {}).get("pps")), fmt(r.get("kernel", {}).get("ns")),
                fmt(r.get("idle", {}).get("ns")), fmt(r.get("module_ns"))))
    if res["memory"]:
        out.append("\n" + h + " Kernel memory per object (Slab + vmalloc + per-CPU, 1 vCPU)\n")
        out.append("| object | installed | kB | bytes each | install time s |")
        out.append("|---|---:|---:|---:|---:|")
        for m in res["memory"]:
            out.append("| %s | %s | %s | %s | %s |" % (
                m["what"], fmt(m["count"]), fmt(m["kmem_kb"]),
                fmt(m["bytes_each"]), m["install_s"]))
    two = [r for r in res["rows"] if r["cpus"] == 2]
    if two:
        out.append("\n" + h + " 1 vs 2 vCPUs (1 flow)\n")
        out.append("With 2 vCPUs the sender is pinned to CPU 0 and the receiving "
                   "side (veth2's receive path by RPS, the module, the sink, the "
                   "relay and its loopback hop) to CPU 1. rx ns: CPU 1's busy "
                   "time per packet, the decrypting side's cost; the throughput "
                   "targets are checked on it (relay rx ns / kernel rx ns). "
                   "module rx ns = kernel rx ns - idle rx ns, against the "
                   "kernel floor timed on CPU 1 of the same guest, is shown "
                   "but not used for the floor target (the idle stream keeps "
                   "both vCPUs busy, the kernel stream does not). "
                   "ns: the whole guest, as in the 1-vCPU table.\n")
        out.append("| payload | suite | vCPUs | kernel pps | relay pps | kernel/relay pps | kernel ns | relay ns | module ns "
                   "| idle rx ns | kernel rx ns | relay rx ns | relay/kernel rx ns | module rx ns "
                   "| kernel floor ns | module rx / floor |")
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted([r for r in res["rows"] if r["flows"] == 1 and
                         any(t["payload"] == r["payload"] and t["suite"] == r["suite"]
                             for t in two)],
                        key=lambda r: (r["payload"], r["suite"], r["cpus"])):
            out.append("| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r["payload"], r["suite"][-2:], r["cpus"],
                fmt(r.get("kernel", {}).get("pps")), fmt(r.get("relay", {}).get("pps")),
                fmt(r.get("kernel_vs_relay_pps"), 2),
                fmt(r.get("kernel", {}).get("ns")), fmt(r.get("relay", {}).get("ns")),
                fmt(r.get("module_ns")),
                fmt(r.get("idle", {}).get("rx_ns")), fmt(r.get("kernel", {}).get("rx_ns")),
                fmt(r.get("relay", {}).get("rx_ns")), fmt(r.get("relay_vs_kernel_rx_ns"), 2),
                fmt(r.get("module_rx_ns")),
                fmt(r.get("kfloor_ns") if r["cpus"] == 2 else None),
                fmt(r.get("module_rx_vs_kfloor"), 2)))
    if res["timing"]:
        out.append("\n" + h + " Where the module's time goes (per-stage timing)\n")
        out.append("One extra kernel-mode stream per size with `timing=1` "
                   "(local_clock() around each stage of mbms_rx(); off for every "
                   "other stream). ns per decrypted packet. prep: make writable, "
                   "parse, key lookup, limits, replay pre-check; auth: HMAC-SHA1 "
                   "and tag compare; decrypt: AES-CM; account: padding, replay "
                   "commit, counters; strip: trailer, lengths, checksum. The "
                   "flow lookup in the hook is not included.\n")
        out.append("| vCPUs | payload | suite | packets | prep | auth | decrypt | account | strip | total |")
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for t in sorted(res["timing"], key=lambda t: (t["cpus"], t["payload"])):
            out.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                t["cpus"], t["payload"], t["suite"], fmt(t["packets"]),
                fmt(t.get("prep")), fmt(t.get("auth")), fmt(t.get("decrypt")),
                fmt(t.get("account")), fmt(t.get("strip")), fmt(t.get("total"))))
    if res.get("floor_pairs"):
        out.append("\n" + h + " Crypto floor target, repeat by repeat (1 vCPU, 1200 B, suite 80)\n")
        out.append("Each repeat's module cost (kernel ns - idle ns of that "
                   "repeat, whole guest) against the kernel crypto floor timed "
                   "just before the repeat in the same guest; the target is "
                   "checked on the median.\n")
        out.append("| repeat | idle ns | kernel ns | module ns | floor ns | module / floor | context switches per packet (kernel) |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|")
        for p in res["floor_pairs"]:
            out.append("| %d | %s | %s | %s | %s | %s | %s |" % (
                p["rep"], fmt(p["idle_ns"]), fmt(p["kernel_ns"]),
                fmt(p["module_ns"]), fmt(p["kfloor_ns"]), fmt(p["ratio"], 2),
                fmt(p.get("ctxt_per_pkt"), 2)))


def markdown(res, ic, meta, targets, pi):
    """The report: res and ic are the wall-clock and instruction-counter
    analyses (either may be None), pi the ns-per-instruction rows."""
    first = res or ic
    g = first["guests"][0] if first["guests"] else {}
    out = []
    out.append("# mbms-srtp benchmark: %s, %s\n" % (
        meta.get("kernel", g.get("kernel", "?")), meta.get("date", "?")))
    out.append("Guest: QEMU TCG (emulated CPU, `%s`), %s packets per stream "
               "(%s in the rows that targets are checked on); "
               "host: %s CPUs, load average %s before, %s after (other "
               "builds and VMs share the host). Absolute numbers are those "
               "of the emulated CPU; compare ratios within this run. "
               "Sink and relay ran %s.\n" % (
                   g.get("cpu", "?"), fmt(g.get("packets")),
                   fmt(g.get("target_packets", g.get("packets"))),
                   meta.get("host_cpus", "?"),
                   meta.get("host_load_before", "?"),
                   meta.get("host_load_after", "?"),
                   "as ordinary tasks (MBMS_BENCH_RX_SCHED=other)"
                   if g.get("rx_sched") == "other" else
                   "under SCHED_BATCH (the default)"))
    if res:
        body(res, out, "##")
    if ic:
        out.append("\n## Instruction counts (QEMU -icount, 1 vCPU)\n")
        out.append("The same 1-vCPU streams in a guest run on QEMU's instruction "
                   "counter (`vm-run --icount`, `-icount shift=0`): every guest "
                   "clock advances 1 ns per guest instruction, so each ns figure "
                   "below is a count of guest instructions (and pps is packets "
                   "per 10^9 instructions), and it does not move with the "
                   "host's speed.\n")
        body(ic, out, "###")
        if pi:
            out.append("\n### Wall-clock ns per guest instruction (1 vCPU, 1200 B, suite 80)\n")
            out.append("Wall-clock ns of the first part of this run divided by "
                       "the instructions counted for the same work in the "
                       "icount guest (best of the repeats in both): the "
                       "emulator's time per instruction in each part of the "
                       "path.\n")
            out.append("| part | wall ns | instructions | ns per instruction |")
            out.append("|---|---:|---:|---:|")
            for x in pi:
                out.append("| %s | %s | %s | %.2f |" % (
                    x["what"], fmt(x["wall_ns"]), fmt(x["instructions"]),
                    x["ns_per_instruction"]))
    out.append("\n## Targets\n")
    out.append("Each target is checked on the clock named in \"checked on\"; "
               "the other clock's value is shown for comparison "
               "(Documentation/performance.rst, \"Which measure checks which "
               "target\").\n")
    out.append("| target | limit | wall clock | instructions (icount) | checked on | met |")
    out.append("|---|---:|---:|---:|---|---|")
    names = {
        "kernel_vs_relay_172": "kernel / relay throughput (relay / kernel receiver-CPU ns, 2 vCPUs), 172 B",
        "kernel_vs_relay_1200": "kernel / relay throughput (relay / kernel receiver-CPU ns, 2 vCPUs), 1200 B",
        "kernel_vs_floor_1200": "module cost / kernel crypto floor (module ns / floor, whole guest, 1 vCPU, median of the repeats), 1200 B",
        "flows_100k_vs_1": "per-packet cost, 100,000 flows / 1 flow",
        "rcc_vs_plain": "RFC 4771 RCCm1 R=16 / plain suite 80, whole-guest ns per packet, 1 vCPU (larger of 172 B and 1200 B)",
    }
    for n, t in targets.items():
        lim = (">= %g" if n.startswith("kernel_vs_relay") else "<= %g") % t["limit"]
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            names[n], lim, fmt(t["wall"], 2), fmt(t["icount"], 2),
            t["checked_on"] or "-",
            {True: "yes", False: "**no**", None: "not measured"}[t["met"]]))
    extra = [
        ("kernel_vs_relay_172_1cpu", "relay ns / kernel ns, whole guest, 1 vCPU, 172 B"),
        ("kernel_vs_relay_1200_1cpu", "relay ns / kernel ns, whole guest, 1 vCPU, 1200 B"),
        ("kernel_vs_relay_172_2cpu_wall_pps", "kernel / relay pps, 2 vCPUs, 172 B"),
        ("kernel_vs_relay_1200_2cpu_wall_pps", "kernel / relay pps, 2 vCPUs, 1200 B"),
        ("kernel_vs_relay_172_wall_pps", "kernel / relay pps, 1 vCPU, 172 B"),
        ("kernel_vs_relay_1200_wall_pps", "kernel / relay pps, 1 vCPU, 1200 B"),
        ("relay_own_vs_module_172", "relay own cost / module cost, 172 B"),
        ("relay_own_vs_module_1200", "relay own cost / module cost, 1200 B"),
        ("flows_100k_vs_1_module_only", "module cost, 100,000 flows / 1 flow"),
        ("mbms_rx_vs_floor_1200", "mbms_rx() alone (stage timing) / kernel crypto floor, 1 vCPU, 1200 B"),
        ("rcc_vs_plain_172", "RCCm1 / plain, whole guest, 1 vCPU, 172 B"),
        ("rcc_vs_plain_1200", "RCCm1 / plain, whole guest, 1 vCPU, 1200 B"),
        ("rcc_vs_plain_module_172", "RCCm1 / plain, module share over idle, 1 vCPU, 172 B"),
        ("rcc_vs_plain_module_1200", "RCCm1 / plain, module share over idle, 1 vCPU, 1200 B"),
        ("rcc_vs_plain_rx_172_2cpu", "RCCm1 / plain, receiving CPU, 2 vCPUs, 172 B"),
        ("rcc_vs_plain_rx_1200_2cpu", "RCCm1 / plain, receiving CPU, 2 vCPUs, 1200 B"),
        ("kernel_vs_floor_1200_2cpu_rx", "module rx ns / floor timed on CPU 1, 2 vCPUs, 1200 B (not a target measure: see performance.rst)"),
    ]
    lines = []
    for clock, r in (("wall clock", res), ("instructions", ic)):
        if r:
            lines += ["| %s | %s | %.*f |" % (t, clock, 3 if k.startswith("rcc") else 2,
                                              r["ratios"][k])
                      for k, t in extra if k in r["ratios"]]
    if lines:
        out.append("\nOther ratios of this run:\n")
        out.append("| ratio | clock | value |")
        out.append("|---|---|---:|")
        out.extend(lines)
    return "\n".join(out) + "\n"


def plot(res, png, datfile):
    rows = [r for r in res["rows"] if r["cpus"] == 1 and r["flows"] == 1 and
            r["suite"].endswith("80")]
    with open(datfile, "w") as f:
        f.write("# payload kernel_total relay_total module relay_own kfloor ofloor idle\n")
        for r in sorted(rows, key=lambda r: r["payload"]):
            vals = [r.get("kernel", {}).get("ns"), r.get("relay", {}).get("ns"),
                    r.get("module_ns"), r.get("relay_own_ns"),
                    r.get("kfloor_ns"), r.get("ofloor_ns"),
                    r.get("idle", {}).get("ns")]
            f.write("%d %s\n" % (r["payload"], " ".join(
                "NaN" if v is None else str(v) for v in vals)))
    if not shutil.which("gnuplot"):
        print("report: gnuplot not installed; no plot", file=sys.stderr)
        return False
    subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'" % (datfile, png),
                    os.path.join(HERE, "plot.gp")], check=True)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--flat", action="store_true")
    a = ap.parse_args()
    meta = meta_of(a.run)
    records, ic_records = [], []
    if a.flat:
        flat = load(os.path.join(a.run, "raw.jsonl"))
        if any(r["kind"] == "guest" and r.get("clock") == "icount" for r in flat):
            ic_records = flat
        else:
            records = flat
        base = "report"
    else:
        for d, c, lst in (("cpus1", 1, records), ("cpus2", 2, records),
                          ("icount1", 1, ic_records)):
            p = os.path.join(a.run, d, "raw.jsonl")
            if os.path.exists(p):
                for r in load(p):
                    r.setdefault("cpus", c)
                    lst.append(r)
        base = "%s-%s" % (meta.get("kernel", "unknown"), meta.get("date", "unknown"))
    for r in records + ic_records:
        if r["kind"] in ("kfloor", "ufloor"):
            r.setdefault("cpus", 1)
    res = ic = None
    if any(r["kind"] == "dp" for r in records):
        res = analyse(records)
    if any(r["kind"] == "dp" for r in ic_records):
        ic = analyse(ic_records)
    if not res and not ic:
        print("report: no datapath records in %s" % a.run, file=sys.stderr)
        return 1
    targets = combine_targets(res, ic)
    os.makedirs(a.out, exist_ok=True)
    doc = {"meta": meta, "results": res, "results_icount": ic,
           "targets": targets,
           "method": "see Documentation/performance.rst",
           "raw": records, "raw_icount": ic_records}
    pi = per_instruction(res, ic) if res and ic else []
    if pi:
        doc["wall_ns_per_instruction"] = pi
    with open(os.path.join(a.out, base + ".json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    md = markdown(res, ic, meta, targets, pi)
    with open(os.path.join(a.out, base + ".md"), "w") as f:
        f.write(md)
    plot(res or ic, os.path.join(a.out, base + ".png"), os.path.join(a.out, base + ".dat"))
    print(md)
    print("report: %s/%s.{json,md,png}" % (a.out, base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
