#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the netlink spec, the uapi header and the kernel policy agree.

Documentation/netlink/specs/mbms_srtp.yaml (the documented contract),
include/uapi/linux/mbms_srtp.h (what userspace compiles against) and the
policy table and ops of kmod/netlink.c (what 6.1, which has no generated
code, actually enforces) are written by hand; this script fails (exit 1,
one line per mismatch) when they drift apart.  Python 3 standard library
only, so the YAML reader below handles the block-style subset the spec
uses (mappings, lists, flow lists/maps, literal blocks, comments).
"""
import os
import re
import sys

TOP = os.environ.get("MBMS_TOP") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPEC = os.path.join(TOP, "Documentation/netlink/specs/mbms_srtp.yaml")
HEADER = os.path.join(TOP, "include/uapi/linux/mbms_srtp.h")
NETLINK_C = os.path.join(TOP, "kmod/netlink.c")

errors = []


def err(msg):
    errors.append(msg)


# ---------------------------------------------------------------- YAML subset
def _scalar(s):
    s = s.strip()
    if not s:
        return None
    if s[0] in "'\"" and s[-1] == s[0]:
        return s[1:-1]
    if s.startswith("[") and s.endswith("]"):
        inner = s[1:-1].strip()
        return [_scalar(x) for x in _split_flow(inner)] if inner else []
    if s.startswith("{") and s.endswith("}"):
        out = {}
        for item in _split_flow(s[1:-1]):
            k, _, v = item.partition(":")
            out[k.strip()] = _scalar(v)
        return out
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"0x[0-9a-fA-F]+", s):
        return int(s, 16)
    if s in ("true", "false"):
        return s == "true"
    return s


def _split_flow(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _strip_comment(line):
    out, quote = "", None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out += ch
    return out.rstrip()


def yaml_load(text):
    raw = text.split("\n")
    lines = []          # (indent, content) with comments and blanks removed
    i = 0
    while i < len(raw):
        line = _strip_comment(raw[i])
        i += 1
        if not line.strip():
            continue
        ind = len(line) - len(line.lstrip(" "))
        content = line.strip()
        # literal block: keep as one scalar
        if content.endswith("|") or content.endswith("|-"):
            block = []
            while i < len(raw) and (not raw[i].strip() or
                                    len(raw[i]) - len(raw[i].lstrip()) > ind):
                block.append(raw[i].strip())
                i += 1
            content = content.rstrip("|-").rstrip() + " " + repr("\n".join(block))
            lines.append((ind, content, True))
            continue
        # flow collections may continue over several lines
        while content.count("[") > content.count("]") or \
                content.count("{") > content.count("}"):
            content += " " + _strip_comment(raw[i]).strip()
            i += 1
        lines.append((ind, content, False))

    pos = 0

    def parse_block(ind):
        nonlocal pos
        if pos >= len(lines):
            return None
        if lines[pos][1].startswith("- ") or lines[pos][1] == "-":
            return parse_list(lines[pos][0])
        return parse_map(ind)

    def parse_value(rest, is_block, ind):
        nonlocal pos
        if is_block:
            return eval(rest.strip())   # repr() of our own literal block
        if rest.strip():
            return _scalar(rest)
        if pos < len(lines) and lines[pos][0] > ind:
            return parse_block(lines[pos][0])
        if pos < len(lines) and lines[pos][0] == ind and \
                lines[pos][1].startswith("- "):
            return parse_list(ind)
        return None

    def parse_map(ind):
        nonlocal pos
        out = {}
        while pos < len(lines) and lines[pos][0] == ind and \
                not lines[pos][1].startswith("- "):
            _, content, is_block = lines[pos]
            key, sep, rest = content.partition(":")
            if not sep:
                raise ValueError("yaml: expected key: value: " + content)
            pos += 1
            out[key.strip()] = parse_value(rest, is_block, ind)
        return out

    def parse_list(ind):
        nonlocal pos
        out = []
        while pos < len(lines) and lines[pos][0] == ind and \
                lines[pos][1].startswith("-"):
            _, content, is_block = lines[pos]
            item = content[1:].strip()
            if not item:
                pos += 1
                out.append(parse_block(lines[pos][0]))
                continue
            key, sep, rest = item.partition(":")
            if sep and not item.startswith(("[", "{", "'", '"')):
                # "- key: value" starts a mapping indented at ind + 2
                lines[pos] = (ind + 2, item, is_block)
                out.append(parse_map(ind + 2))
            else:
                pos += 1
                out.append(_scalar(item))
        return out

    return parse_block(lines[0][0])


# -------------------------------------------------------------------- C side
def c_defines_and_enums(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    defines = {}
    for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, re.M):
        defines[m.group(1)] = m.group(2)
    enums = {}
    values = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
        entries, v = [], -1
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            name, _, val = item.partition("=")
            name = name.strip()
            v = c_eval(val.strip(), defines, values) if val.strip() else v + 1
            values[name] = v
            entries.append(name)
        enums[m.group(1)] = entries
    return defines, enums, values


def c_eval(expr, defines, values, depth=0):
    expr = expr.strip()
    if depth > 10:
        raise ValueError("cannot evaluate " + expr)
    if re.fullmatch(r"\d+", expr):
        return int(expr)
    if expr.startswith('"') and expr.endswith('"'):
        return expr[1:-1]
    if expr in values:
        return values[expr]
    if expr in defines:
        return c_eval(defines[expr], defines, values, depth + 1)
    m = re.fullmatch(r"\((.*)\)", expr)
    if m:
        return c_eval(m.group(1), defines, values, depth + 1)
    m = re.fullmatch(r"(\w+)\s*-\s*(\d+)", expr)
    if m:
        return c_eval(m.group(1), defines, values, depth + 1) - int(m.group(2))
    m = re.fullmatch(r"(\w+)\s*\+\s*(\d+)", expr)
    if m:
        return c_eval(m.group(1), defines, values, depth + 1) + int(m.group(2))
    raise ValueError("cannot evaluate " + expr)


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def parse_policy(text, defines, values):
    m = re.search(r"nla_policy\s+mbms_policy\[[^]]*\]\s*=\s*\{(.*?)\n\};",
                  text, re.S)
    if not m:
        err("netlink.c: policy table mbms_policy not found")
        return {}
    pol = {}
    body = m.group(1)
    for e in re.finditer(r"\[(\w+)\]\s*=\s*(.*?),\s*(?=\n\s*\[|\s*$)", body,
                         re.S):
        attr, expr = e.group(1), " ".join(e.group(2).split())
        ev = lambda x: c_eval(x, defines, values)  # noqa: E731
        p = {"type": None, "min": None, "max": None, "exact-len": None}
        mm = re.fullmatch(r"NLA_POLICY_(MIN|MAX)\((\w+),\s*(.+)\)", expr)
        if mm:
            p["type"] = mm.group(2)
            p[mm.group(1).lower()] = ev(mm.group(3))
        elif re.fullmatch(r"NLA_POLICY_RANGE\(.*\)", expr):
            mm = re.fullmatch(r"NLA_POLICY_RANGE\((\w+),\s*(.+?),\s*(.+)\)",
                              expr)
            p["type"] = mm.group(1)
            p["min"], p["max"] = ev(mm.group(2)), ev(mm.group(3))
        elif expr.startswith("NLA_POLICY_EXACT_LEN("):
            p["type"] = "NLA_BINARY"
            p["exact-len"] = ev(expr[len("NLA_POLICY_EXACT_LEN("):-1])
        else:
            mm = re.fullmatch(r"\{\s*\.type\s*=\s*(\w+)\s*\}", expr)
            if not mm:
                err(f"netlink.c: cannot read policy entry {attr} = {expr}")
                continue
            p["type"] = mm.group(1)
        pol[attr] = p
    return pol


def parse_ops(text):
    m = re.search(r"genl_small_ops\s+mbms_genl_ops\[\]\s*=\s*\{(.*?)\n\};",
                  text, re.S)
    if not m:
        err("netlink.c: ops table mbms_genl_ops not found")
        return []
    ops = []
    for blk in re.finditer(r"\{(.*?)\}", m.group(1), re.S):
        fields = dict(re.findall(r"\.(\w+)\s*=\s*([^,]+),", blk.group(1)))
        ops.append({k: v.strip() for k, v in fields.items()})
    return ops


# --------------------------------------------------------------------- checks
YAML_TO_NLA = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32",
               "u64": "NLA_U64", "flag": "NLA_FLAG", "binary": "NLA_BINARY",
               "nest": "NLA_NESTED", "string": "NLA_NUL_STRING"}


def check(spec_text, htext, ctext):
    """Return the list of mismatches between the three texts."""
    errors.clear()
    try:
        _check(yaml_load(spec_text), htext, ctext)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        err(f"cannot read the inputs: {e!r}")
    return list(errors)


def _check(spec, htext, ctext):
    defines, enums, values = c_defines_and_enums(htext)

    def hval(name):
        try:
            return c_eval(name, defines, values)
        except ValueError:
            return None

    # family
    if spec.get("name") != hval("MBMS_SRTP_GENL_NAME"):
        err(f"family name: spec {spec.get('name')!r}, header "
            f"{hval('MBMS_SRTP_GENL_NAME')!r}")
    if spec.get("version") != hval("MBMS_SRTP_GENL_VERSION"):
        err("family version differs between spec and header")
    groups = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
    if groups != [hval("MBMS_SRTP_MCGRP_EVENTS")]:
        err(f"multicast groups: spec {groups}, header "
            f"[{hval('MBMS_SRTP_MCGRP_EVENTS')!r}]")
    if ".name = MBMS_SRTP_MCGRP_EVENTS" not in ctext:
        err("netlink.c: events group not registered by its uapi name")
    for needle in (".maxattr = MBMS_SRTP_A_MAX", ".policy = mbms_policy",
                   ".netnsok = true", ".name = MBMS_SRTP_GENL_NAME",
                   ".version = MBMS_SRTP_GENL_VERSION"):
        if needle not in ctext:
            err(f"netlink.c: family lacks {needle}")

    # definitions: constants and enums
    consts = {}
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            cname = c_name("mbms-srtp-", d["name"])
            consts[d["name"]] = d["value"]
            if hval(cname) != d["value"]:
                err(f"constant {cname}: spec {d['value']}, header "
                    f"{hval(cname)}")
        elif d["type"] == "enum":
            want = [c_name(d["name-prefix"], e) for e in d["entries"]]
            enum = next((e for e in enums.values() if e and e[0] == want[0]),
                        None)
            got = [e for e in (enum or []) if not e.startswith("__")]
            if got != want:
                err(f"enum {d['name']}: spec {want}, header {got}")
            for i, n in enumerate(want):
                if values.get(n) != i:
                    err(f"enum {d['name']}: {n} should be {i}")

    def resolve(v):
        return consts.get(v, v) if isinstance(v, str) else v

    # attribute sets vs header enums
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for s in spec["attribute-sets"]:
        want = [c_name(s["name-prefix"], a["name"]) for a in s["attributes"]]
        enum = next((e for e in enums.values() if e and e[0] == want[0]),
                    None)
        got = [e for e in (enum or []) if not e.startswith("__")]
        if got != want:
            err(f"attribute set {s['name']}: spec order {want}, "
                f"header {got}")
        for i, n in enumerate(want):
            if values.get(n) != i:
                err(f"attribute {n}: value {values.get(n)}, spec position {i}")
        maxname = c_name(s["name-prefix"], "max")
        if hval(maxname) != len(want) - 1:
            err(f"{maxname} is {hval(maxname)}, spec has {len(want) - 1}")

    # operations vs header commands and netlink.c ops
    opsdef = spec["operations"]
    ops = opsdef["list"]
    want = [c_name(opsdef["name-prefix"], o["name"]) for o in ops]
    got = [e for e in enums.get("mbms_srtp_cmd", [])
           if not e.startswith("__") and not e.endswith("_UNSPEC")]
    if got != want:
        err(f"commands: spec {want}, header {got}")
    if ops and ops[0].get("value") != 1:
        err("first operation must have value 1 (0 is UNSPEC)")
    for i, n in enumerate(want):
        if values.get(n) != i + 1:
            err(f"command {n}: header value {values.get(n)}, spec {i + 1}")

    cops = {o.get("cmd"): o for o in parse_ops(ctext)}
    requestable = set()
    for o, cname in zip(ops, want):
        for kind in ("do", "dump"):
            req = (o.get(kind) or {}).get("request") or {}
            requestable.update(req.get("attributes", []))
        if "event" in o:
            if cname in cops:
                err(f"{cname} is a notification but netlink.c accepts it")
            if o.get("mcgrp") not in groups:
                err(f"{cname}: mcgrp {o.get('mcgrp')} is not a group")
            continue
        c = cops.get(cname)
        if not c:
            err(f"{cname}: in spec, missing from netlink.c ops")
            continue
        if ("do" in o) != ("doit" in c):
            err(f"{cname}: spec do={'do' in o}, netlink.c doit={'doit' in c}")
        if ("dump" in o) != ("dumpit" in c):
            err(f"{cname}: spec dump={'dump' in o}, "
                f"netlink.c dumpit={'dumpit' in c}")
        # admin-perm (GENL_ADMIN_PERM): CAP_NET_ADMIN in the initial user
        # namespace; user namespaces are refused (design.rst, "User
        # namespace access").
        flags = o.get("flags") or []
        wantperm = "admin-perm" in flags
        if wantperm != bool(re.search(r"\bGENL_ADMIN_PERM\b",
                                      c.get("flags", ""))):
            err(f"{cname}: admin-perm flag differs")
        if not wantperm or "uns-admin-perm" in flags:
            err(f"{cname}: every command must be admin-perm")
    for cname in cops:
        if cname not in want:
            err(f"{cname}: in netlink.c ops, missing from spec")

    # policy table vs the main attribute set
    pol = parse_policy(ctext, defines, values)
    main_set = sets["attr"]
    for a in main_set["attributes"]:
        cname = c_name(main_set["name-prefix"], a["name"])
        p = pol.get(cname)
        if a["type"] == "unused":
            if p:
                err(f"{cname}: unused attribute has a policy")
            continue
        if a["name"] not in requestable:
            if not p or p["type"] != "NLA_REJECT":
                err(f"{cname}: read-only in the spec (in no request) but "
                    f"policy is {p and p['type']}, want NLA_REJECT")
            continue
        if not p:
            err(f"{cname}: requestable but has no policy entry")
            continue
        if p["type"] != YAML_TO_NLA.get(a["type"]):
            err(f"{cname}: spec type {a['type']}, policy {p['type']}")
        checks = a.get("checks") or {}
        for k in ("min", "max", "exact-len"):
            sv = resolve(checks.get(k))
            if sv != p[k]:
                err(f"{cname}: spec {k} {sv}, policy {p[k]}")
    for cname in pol:
        if cname not in [c_name(main_set["name-prefix"], a["name"])
                         for a in main_set["attributes"]]:
            err(f"{cname}: in the policy, not in the spec")



# Each mutation of one input must be caught: proves the checker can fail.
MUTATIONS = [
    ("c", "NLA_POLICY_EXACT_LEN(MBMS_SRTP_MASTER_SALT_LEN)",
     "NLA_POLICY_EXACT_LEN(13)"),
    ("c", "NLA_POLICY_MAX(NLA_U8, MBMS_SRTP_MKI_LEN_MAX)",
     "NLA_POLICY_MAX(NLA_U8, 7)"),
    ("c", "[MBMS_SRTP_A_KEY_ROC] = { .type = NLA_U32 }",
     "[MBMS_SRTP_A_KEY_ROC] = { .type = NLA_U16 }"),
    ("c", "[MBMS_SRTP_A_KEY_PACKETS] = { .type = NLA_REJECT }",
     "[MBMS_SRTP_A_KEY_PACKETS] = { .type = NLA_U64 }"),
    ("c", ".dumpit = mbms_nl_flow_dump,\n\t\t.flags = GENL_ADMIN_PERM",
     ".dumpit = mbms_nl_flow_dump,\n\t\t.flags = 0"),
    ("c", ".dumpit = mbms_nl_flow_dump,\n\t\t.flags = GENL_ADMIN_PERM",
     ".dumpit = mbms_nl_flow_dump,\n\t\t.flags = GENL_UNS_ADMIN_PERM"),
    ("h", "MBMS_SRTP_A_MSK_ID,\t\t/* u32 */\n\tMBMS_SRTP_A_MTK_ID,",
     "MBMS_SRTP_A_MTK_ID,\t\t/* u32 */\n\tMBMS_SRTP_A_MSK_ID,"),
    ("h", "#define MBMS_SRTP_WINDOW_MAX\t\t4096",
     "#define MBMS_SRTP_WINDOW_MAX\t\t8192"),
    ("y", "checks: {min: window-min, max: window-max}",
     "checks: {min: window-min, max: 4095}"),
    ("y", "      - name: key-lifetime\n        type: u32",
     "      - name: key-lifetime\n        type: u64"),
    ("y", "entries: [drop, pass]", "entries: [pass, drop]"),
    ("y", "attributes: [session-id, msk-id, mtk-id, key-master, key-salt,",
     "attributes: [session-id, msk-id, mtk-id, key-master, key-salt, "
     "key-packets,"),
]


def main():
    texts = {"y": open(SPEC).read(), "h": open(HEADER).read(),
             "c": open(NETLINK_C).read()}
    found = check(texts["y"], texts["h"], texts["c"])
    for e in found:
        print("spec_check: " + e, file=sys.stderr)
    if found:
        print(f"spec_check: {len(found)} mismatch(es)", file=sys.stderr)
        return 1

    missed = 0
    for which, old, new in MUTATIONS:
        if old not in texts[which]:
            print(f"spec_check: self-test: {old!r} not found; update "
                  "MUTATIONS", file=sys.stderr)
            missed += 1
            continue
        t = dict(texts)
        t[which] = t[which].replace(old, new, 1)
        if not check(t["y"], t["h"], t["c"]):
            print(f"spec_check: self-test: mutation {new!r} not detected",
                  file=sys.stderr)
            missed += 1
    if missed:
        return 1
    print("spec_check: spec, uapi header and kmod/netlink.c agree; "
          f"{len(MUTATIONS)} injected mismatches all detected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
