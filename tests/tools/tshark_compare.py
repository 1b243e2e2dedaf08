#!/usr/bin/env python3
"""tshark_compare.py: cross-check `l2tpsh -r FILE -j` against `tshark -T json`, frame by frame (RFC 2661 §3.1, §4.4 fields).

usage: tshark_compare.py [--l2tpsh BIN] [--tshark BIN] [--known FILE] PATH...

PATH is a capture or a directory searched recursively for *.pcap, *.pcapng,
*.cap. For each capture both decoders run and frames are paired by frame
number. Compared: time (to the microsecond), the addresses, UDP ports,
datagram length and PPPoE session outside the L2TP layer, the PPP protocol
and LCP code, identifier, length and magic number inside v2 data, L2TP
version, control/data, Length, tunnel (v2 Tunnel ID, v3 Control Connection
ID) and session ids, Ns, Nr, the message type, the number of AVPs and, for
every AVP in wire order, vendor, type, M, H and length, and the values of
Message Type, Result Code (result, error, message), Protocol Version,
Framing/Bearer Capabilities, Framing/Bearer Type, Host Name, Vendor Name,
Assigned Tunnel/Session ID, Receive Window Size, Challenge, Challenge
Response, Call Serial Number and (Rx) Connect Speed; also Firmware Revision,
Minimum/Maximum BPS, Called/Calling Number, Sub-Address, Random Vector and
the L2TPv3 AVPs tshark shows (Router ID, Assigned Control Connection ID,
Local/Remote Session ID, Assigned Cookie, Pseudowire Type and Capabilities,
L2-Specific Sublayer, 64-bit Connect Speeds), and for v3 data the cookie and
sublayer sequence number. A frame only one side decodes as L2TP is a
difference too.

Every difference is printed as `FILE frame N: FIELD: ours X, tshark Y` and
makes the exit status 1, unless tests/tools/tshark_known.md lists it (a row
of its "known" table: capture glob, frame or *, field glob, reason). A known
row that matched nothing is reported and fails too, so the list stays true.
With --self-test, each compared field is then changed in a copy of our
output and the comparer must report it. The same file's "options" table
gives per-capture options for both decoders (ports, secrets, L2TPv3 cookie
size). Exit status 2: a decoder could not be run. Standard library only.
"""

import argparse
import decimal
import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys

MSG_NAMES = {
    1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO",
    7: "OCRQ", 8: "OCRP", 9: "OCCN", 10: "ICRQ", 11: "ICRP", 12: "ICCN",
    14: "CDN", 15: "WEN", 16: "SLI", 20: "ACK", 28: "CSUN", 29: "CSURQ",
}

# tshark's vendor AVP type fields (packet-l2tp.c names them per vendor)
VENDOR_TYPE_KEYS = ("l2tp.avp.type", "l2tp.avp.ciscotype",
                    "l2tp.avp.broadbandtype", "l2tp.avp.ericssontype",
                    "l2tp.avp.cablelabstype")

TIMEOUT = 300  # seconds a decoder may take on one capture


class Fail(Exception):
    pass


# --------------------------------------------------------------------------
# tshark side

def pairs_get(pairs, key, default=None):
    for k, v in pairs:
        if k == key:
            return v
    return default


def find_all(pairs, key):
    """Every value of `key` in a tree of (key, value) pairs, depth first."""
    out = []
    for k, v in pairs:
        if k == key:
            out.append(v)
        if isinstance(v, list):
            out.extend(find_all(v, key))
    return out


def tnum(s):
    """tshark prints numbers in decimal, hex (0x...) or as booleans."""
    if s is None:
        return None
    if isinstance(s, list):
        s = s[0] if s else None
        if s is None:
            return None
    s = str(s).strip()
    try:
        return int(s, 0)
    except ValueError:
        m = re.match(r"^(0x[0-9a-fA-F]+|\d+)", s)
        return int(m.group(1), 0) if m else None


def thex(s):
    """tshark bytes "1d:43:d0" to "1d43d0"."""
    return None if s is None else s.replace(":", "").lower()


def tshark_avp(label, pairs):
    """One AVP subtree of tshark's l2tp layer."""
    a = {"label": label}
    a["mandatory"] = tnum(pairs_get(pairs, "l2tp.avp.mandatory"))
    a["hidden"] = tnum(pairs_get(pairs, "l2tp.avp.hidden"))
    a["length"] = tnum(pairs_get(pairs, "l2tp.avp.length"))
    a["vendor"] = tnum(pairs_get(pairs, "l2tp.avp.vendor_id"))
    a["type"] = None
    for k in VENDOR_TYPE_KEYS:
        if pairs_get(pairs, k) is not None:
            a["type"] = tnum(pairs_get(pairs, k))
            break
    a["fields"] = {k: v for k, v in pairs if not isinstance(v, list)}
    a["pw_types"] = [tnum(x) for x in find_all(pairs, "l2tp.avp.pw_type")]
    return a


def is_avp_tree(pairs):
    return isinstance(pairs, list) and any(
        k == "l2tp.avp.length" for k, _ in pairs)


def tshark_frames(tshark, path, extra):
    cmd = [tshark, "-n", "-r", path, "-T", "json", "-Y", "l2tp"] + extra
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fail("cannot run %s: %s" % (" ".join(cmd), e))
    if p.returncode != 0:
        raise Fail("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                            p.stderr.decode(errors="replace")
                                            .strip()))
    text = p.stdout.decode("utf-8", errors="replace").strip()
    if not text:
        return {}
    try:
        data = json.loads(text, object_pairs_hook=lambda p: p)
    except ValueError as e:
        raise Fail("tshark JSON for %s does not parse: %s" % (path, e))
    frames = {}
    for pkt in data:
        layers = pairs_get(pairs_get(pkt, "_source", []), "layers", [])
        num = tnum(find_all(pairs_get(layers, "frame", []),
                            "frame.number") or None)
        l2 = pairs_get(layers, "l2tp")
        if num is None or l2 is None:
            continue
        flags = pairs_get(l2, "l2tp.flags_tree", [])
        f = {
            "version": tnum(pairs_get(flags, "l2tp.version")),
            "type": tnum(pairs_get(flags, "l2tp.type")),
            "length": tnum(pairs_get(l2, "l2tp.length")),
            "tunnel": tnum(pairs_get(l2, "l2tp.tunnel")),
            "session": tnum(pairs_get(l2, "l2tp.session")),
            "ccid": tnum(pairs_get(l2, "l2tp.ccid")),
            "sid": tnum(pairs_get(l2, "l2tp.sid")),
            "ns": tnum(pairs_get(l2, "l2tp.Ns")),
            "nr": tnum(pairs_get(l2, "l2tp.Nr")),
            "zlb": pairs_get(l2, "l2tp.zero_length_body_message") is not None,
            "avps": [tshark_avp(k, v) for k, v in l2 if is_avp_tree(v)],
        }
        f["cookie"] = pairs_get(l2, "l2tp.cookie")
        seq = find_all(l2, "l2tp.l2_spec_sequence")
        f["sublayer_seq"] = tnum(seq[0]) if seq else None
        if f["version"] is None and f["sid"] is not None:
            # L2TPv3 data over IP (RFC 3931 §4.1.1.1) has no flags word:
            # tshark shows only the Session ID
            f["version"], f["type"] = 3, 0
        frame = pairs_get(layers, "frame", [])
        f["time"] = pairs_get(frame, "frame.time_epoch")
        # the IP and UDP headers just outside this L2TP layer
        names = [k for k, _ in layers]
        at = names.index("l2tp")
        f["src"] = f["dst"] = f["sport"] = f["dport"] = None
        f["wirelen"] = f["pppoe"] = None
        for k, v in reversed(layers[:at]):
            if k == "pppoes":
                f["pppoe"] = tnum(pairs_get(v, "pppoe.session_id"))
                break
        # the PPP frame an L2TPv2 data message carries, and its LCP packet
        f["ppp"] = f["lcp"] = None
        after = layers[at + 1:]
        if after and after[0][0] == "ppp":
            f["ppp"] = tnum(pairs_get(after[0][1], "ppp.protocol"))
            if len(after) > 1 and after[1][0] == "lcp":
                f["lcp"] = after[1][1]
        for k, v in reversed(layers[:at]):
            if k == "udp" and f["sport"] is None:
                f["sport"] = tnum(pairs_get(v, "udp.srcport"))
                f["dport"] = tnum(pairs_get(v, "udp.dstport"))
                ul = tnum(pairs_get(v, "udp.length"))
                f["wirelen"] = None if ul is None else ul - 8
            elif k in ("ip", "ipv6"):
                f["src"] = pairs_get(v, k + ".src")
                f["dst"] = pairs_get(v, k + ".dst")
                break
        frames[num] = f
    return frames


# --------------------------------------------------------------------------
# our side

def ours_frames(l2tpsh, path, extra):
    cmd = [l2tpsh, "-r", path, "-j"] + extra
    env = dict(os.environ, TZ="UTC")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fail("cannot run %s: %s" % (" ".join(cmd), e))
    if p.returncode != 0:
        raise Fail("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                            p.stderr.decode(errors="replace")
                                            .strip()))
    frames = {}
    for n, line in enumerate(p.stdout.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line, parse_float=decimal.Decimal)
        except ValueError as e:
            raise Fail("%s: line %d of `%s` is not JSON: %s"
                       % (path, n, " ".join(cmd), e))
        if not isinstance(o, dict) or "frame" not in o:
            continue  # the summary object, if any
        if o["frame"] in frames:
            raise Fail("%s: frame %s printed twice" % (path, o["frame"]))
        frames[o["frame"]] = o
    return frames


# --------------------------------------------------------------------------
# comparison

def bits(v, names):
    """A flag word as a number, from our JSON (number or object)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, dict):
        for k in ("value", "bits", "raw"):
            if isinstance(v.get(k), int):
                return v[k]
        n = 0
        for bit, name in names:
            if v.get(name) is True:
                n |= bit
        return n
    return None


def as_hex(v):
    if isinstance(v, str):
        return v.replace(":", "").replace(" ", "").lower()
    if isinstance(v, dict):
        for k in ("hex", "bytes", "raw"):
            if isinstance(v.get(k), str):
                return as_hex(v[k])
    return v


def as_text(v):
    if isinstance(v, dict):
        for k in ("text", "string", "value"):
            if isinstance(v.get(k), str):
                return v[k]
    return v


def as_int(v):
    if isinstance(v, dict):
        for k in ("value", "code"):
            if isinstance(v.get(k), int):
                return v[k]
    return v


def proto_version(v):
    if isinstance(v, dict):
        return (v.get("version"), v.get("revision"))
    if isinstance(v, str) and re.match(r"^\d+\.\d+$", v):
        a, b = v.split(".")
        return (int(a), int(b))
    if isinstance(v, int):
        return (v >> 8, v & 0xff)
    return (v, None)


def value_checks(vendor, typ, ours, t):
    """(field, ours, tshark) triples for the values both show."""
    f = t["fields"]
    out = []
    if vendor != 0:
        return out
    simple_num = {
        0: "l2tp.avp.message_type",
        9: "l2tp.avp.assigned_tunnel_id",
        10: "l2tp.avp.receive_window_size",
        14: "l2tp.avp.assigned_session_id",
        15: "l2tp.avp.call_serial_number",
        24: "l2tp.avp.connect_speed",
        38: "l2tp.avp.rx_connect_speed",
        # beyond the required set, where tshark shows the value
        6: "l2tp.avp.firmware_revision",
        16: "l2tp.avp.minimum_bps",
        17: "l2tp.avp.maximum_bps",
        60: "l2tp.avp.router_id",
        61: "l2tp.avp.assigned_control_conn_id",
        63: "l2tp.avp.local_session_id",
        64: "l2tp.avp.remote_session_id",
        68: "l2tp.avp.pseudowire_type",
        69: "l2tp.avp.layer2_specific_sublayer",
        74: "l2tp.avp.tx_connect_speed_v3",
        75: "l2tp.avp.rx_connect_speed_v3",
    }
    simple_hex = {36: "l2tp.avp.random_vector",
                  65: "l2tp.avp.assigned_cookie"}
    simple_text = {21: "l2tp.avp.called_number",
                   22: "l2tp.avp.calling_number",
                   23: "l2tp.avp.sub_address"}
    if typ in simple_num and simple_num[typ] in f:
        o = ours
        if typ == 0 and isinstance(o, dict):
            o = o.get("type", o.get("value"))
        out.append(("value", as_int(o), tnum(f[simple_num[typ]])))
    elif typ == 62 and t["pw_types"]:
        # Pseudowire Capabilities List: 16-bit PW types (RFC 3931 §5.4.3)
        h = as_hex(ours) if isinstance(ours, str) else None
        ol = [int(h[i:i + 4], 16) for i in range(0, len(h), 4)] \
            if h and len(h) % 4 == 0 else ours
        out.append(("value", ol, t["pw_types"]))
    elif typ in simple_hex and simple_hex[typ] in f:
        out.append(("value", as_hex(ours), thex(f[simple_hex[typ]])))
    elif typ in simple_text and simple_text[typ] in f:
        out.append(("value", as_text(ours), f[simple_text[typ]]))
    elif typ in (7, 8):
        key = "l2tp.avp.host_name" if typ == 7 else "l2tp.avp.vendor_name"
        if key in f:
            out.append(("value", as_text(ours), f[key]))
    elif typ in (11, 13):
        key = ("l2tp.avp.chap_challenge" if typ == 11
               else "l2tp.avp.chap_challenge_response")
        if key in f:
            out.append(("value", as_hex(ours), thex(f[key])))
    elif typ == 1:
        o = ours if isinstance(ours, dict) else {}
        if "l2tp.result_code" in f:
            # error and message are optional: absent on both sides agrees
            out.append(("value.result", o.get("result"),
                        tnum(f["l2tp.result_code"])))
            out.append(("value.error", o.get("error"),
                        tnum(f.get("l2tp.avp.error_code"))))
            out.append(("value.message", o.get("message") or None,
                        f.get("l2tp.avp.error_message") or None))
    elif typ == 2:
        if "l2tp.avp.protocol_version" in f:
            ov, orv = proto_version(ours)
            out.append(("value.version", ov,
                        tnum(f["l2tp.avp.protocol_version"])))
            out.append(("value.revision", orv,
                        tnum(f.get("l2tp.avp.protocol_revision"))))
    elif typ in (3, 4, 18, 19):
        a_key, s_key = {
            3: ("l2tp.avp.async_framing_supported",
                "l2tp.avp.sync_framing_supported"),
            4: ("l2tp.avp.analog_access_supported",
                "l2tp.avp.digital_access_supported"),
            18: ("l2tp.avp.analog_bearer_type",
                 "l2tp.avp.digital_bearer_type"),
            19: ("l2tp.avp.async_framing_type",
                 "l2tp.avp.sync_framing_type"),
        }[typ]
        if a_key in f and s_key in f:
            names = ((2, "async"), (1, "sync")) if typ in (3, 19) else \
                ((2, "analog"), (1, "digital"))
            ob = bits(ours, names)
            tb = (2 if tnum(f[a_key]) else 0) | (1 if tnum(f[s_key]) else 0)
            # tshark shows only the two defined bits
            out.append(("value", None if ob is None else ob & 3, tb))
    return out


def compare_ppp(num, o, l2, t, diff):
    """The PPP protocol and LCP header an L2TPv2 data message carries."""
    ppp = l2.get("ppp") if isinstance(l2.get("ppp"), dict) else {}
    if t["ppp"] is not None:
        diff(num, "ppp.protocol", ppp.get("protocol"), t["ppp"])
    if t["lcp"] is not None:
        lcp = t["lcp"]
        for ours, theirs in (("code", "ppp.code"), ("id", "ppp.identifier"),
                             ("ppp_length", "ppp.length"),
                             ("magic", "lcp.magic_number")):
            if pairs_get(lcp, theirs) is not None:
                diff(num, "ppp." + ours, ppp.get(ours),
                     tnum(pairs_get(lcp, theirs)))


def compare_frame(num, o, t, diff):
    """Compare one frame both decoders saw as L2TP."""
    for key in ("src", "dst", "sport", "dport", "wirelen"):
        if t[key] is not None:
            diff(num, key, o.get(key), t[key])
    if t["pppoe"] is not None:
        diff(num, "pppoe_session", o.get("pppoe_session"), t["pppoe"])
    if t["time"] is not None:
        # libpcap hands out microseconds: tshark's nanoseconds truncated
        us = decimal.Decimal("0.000001")
        tt = decimal.Decimal(t["time"]).quantize(us, decimal.ROUND_FLOOR)
        ot = o.get("time")
        if isinstance(ot, (int, decimal.Decimal)):
            ot = decimal.Decimal(ot).quantize(us, decimal.ROUND_FLOOR)
        diff(num, "time", ot if ot is None else str(ot), str(tt))
    l2 = o.get("l2tp")
    if not isinstance(l2, dict):
        diff(num, "l2tp", "not decoded as L2TP (%s)"
             % json.dumps(o.get("errors", o.get("frame_errors"))),
             "L2TP")
        return
    ver = l2.get("version")
    diff(num, "l2tp.version", ver, t["version"])
    otype = {"control": 1, "data": 0}.get(l2.get("type"), l2.get("type"))
    diff(num, "l2tp.type", otype, t["type"])
    if t["length"] is not None or l2.get("length") is not None:
        diff(num, "l2tp.length", l2.get("length"), t["length"])
    if t["version"] == 3:
        if t["ccid"] is not None or l2.get("ccid") is not None:
            diff(num, "l2tp.ccid", l2.get("ccid"), t["ccid"])
        if t["sid"] is not None or t["type"] == 0:
            diff(num, "l2tp.session", l2.get("session"), t["sid"])
    else:
        diff(num, "l2tp.tunnel", l2.get("tunnel"), t["tunnel"])
        diff(num, "l2tp.session", l2.get("session"), t["session"])
    if t["cookie"] is not None:
        diff(num, "l2tp.cookie", as_hex(l2.get("cookie")), thex(t["cookie"]))
    if t["sublayer_seq"] is not None:
        sub = l2.get("sublayer") if isinstance(l2.get("sublayer"),
                                                dict) else {}
        diff(num, "l2tp.sublayer.seq", sub.get("seq"), t["sublayer_seq"])
    if t["ns"] is not None or l2.get("ns") is not None:
        diff(num, "l2tp.ns", l2.get("ns"), t["ns"])
    if t["nr"] is not None or l2.get("nr") is not None:
        diff(num, "l2tp.nr", l2.get("nr"), t["nr"])
    if t["type"] != 1:
        compare_ppp(num, o, l2, t, diff)
        return
    tav = t["avps"]
    oav = l2.get("avps") or []
    if t["zlb"] or not tav:
        texp = "ZLB"
    elif tav[0]["vendor"] == 0 and tav[0]["type"] == 0 and \
            "l2tp.avp.message_type" in tav[0]["fields"]:
        mt = tnum(tav[0]["fields"]["l2tp.avp.message_type"])
        texp = MSG_NAMES.get(mt, "MSG-#%d" % mt)
    else:
        texp = None  # tshark has no first Message Type: see the AVPs
    if texp is not None:
        diff(num, "l2tp.message", l2.get("message"), texp)
    diff(num, "l2tp.avps.count", len(oav), len(tav))
    for i, (oa, ta) in enumerate(zip(oav, tav)):
        where = "avp[%d]" % i
        if not isinstance(oa, dict):
            diff(num, where, oa, "an AVP object")
            continue
        where = "avp[%d](%s)" % (i, oa.get("name"))
        diff(num, where + ".mandatory", bool(oa.get("mandatory")),
             bool(ta["mandatory"]))
        diff(num, where + ".hidden", bool(oa.get("hidden")),
             bool(ta["hidden"]))
        diff(num, where + ".length", oa.get("length"), ta["length"])
        if ta["hidden"]:
            # tshark shows a hidden AVP's M, H and length only
            continue
        diff(num, where + ".vendor", oa.get("vendor"), ta["vendor"])
        diff(num, where + ".type", oa.get("type"), ta["type"])
        if oa.get("vendor") != ta["vendor"] or oa.get("type") != ta["type"]:
            continue
        for field, ov, tv in value_checks(ta["vendor"], ta["type"],
                                          oa.get("value"), ta):
            diff(num, where + "." + field, ov, tv)


def norm(v):
    if isinstance(v, bool):
        return int(v)
    return v


def compare_capture(ours, ts, diff):
    """Pair frames by number; returns how many frames were compared."""
    n = 0
    for num in sorted(set(ts) | set(
            k for k, v in ours.items() if isinstance(v.get("l2tp"), dict))):
        n += 1
        if num not in ts:
            o = ours[num]["l2tp"]
            diff(num, "l2tp", "L2TP %s %s" % (o.get("type"),
                                              o.get("message")), "not L2TP")
            continue
        if num not in ours:
            diff(num, "l2tp", "frame not printed", "L2TP")
            continue
        compare_frame(num, ours[num], ts[num], diff)
    return n


def bump(v):
    """A value that differs from v, of the same kind."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, str):
        if re.match(r"^[0-9a-f]+$", v):
            return ("1" if v[0] != "1" else "2") + v[1:]
        return v + "x"
    return v


def set_key(key):
    def f(o):
        o[key] = bump(o[key])
    return f


def set_sub(key, sub):
    def f(o):
        o[key][sub] = bump(o[key][sub])
    return f


# (what is changed, the field the comparer must then report, frame test,
# change); each runs on a copy of one frame of our output.
def avp_with(typ, sub=None):
    def has(l2):
        for a in l2.get("avps") or []:
            if a.get("vendor") == 0 and a.get("type") == typ and \
                    not a.get("hidden") and (sub is None or (
                        isinstance(a.get("value"), dict) and
                        a["value"].get(sub) is not None)):
                return a
        return None
    return has


def mutations():
    m = [
        ("version", "l2tp.version", lambda l2: True, set_key("version")),
        ("source port", "sport", lambda l2: True, None),
        ("time", "time", lambda l2: True, None),
        ("PPP protocol", "ppp.protocol", lambda l2: isinstance(
            l2.get("ppp"), dict) and "protocol" in l2["ppp"],
         lambda o: set_key("protocol")(o["ppp"])),
        ("LCP magic", "ppp.magic", lambda l2: isinstance(
            l2.get("ppp"), dict) and "magic" in l2["ppp"],
         lambda o: set_key("magic")(o["ppp"])),
        ("type", "l2tp.type", lambda l2: True,
         lambda o: o.__setitem__("type", "data" if o["type"] == "control"
                                 else "control")),
        ("length", "l2tp.length", lambda l2: "length" in l2,
         set_key("length")),
        ("tunnel", "l2tp.tunnel", lambda l2: l2.get("version") == 2,
         set_key("tunnel")),
        ("session", "l2tp.session", lambda l2: True, set_key("session")),
        ("ns", "l2tp.ns", lambda l2: "ns" in l2, set_key("ns")),
        ("nr", "l2tp.nr", lambda l2: "nr" in l2, set_key("nr")),
        ("message", "l2tp.message",
         lambda l2: l2.get("type") == "control",
         lambda o: o.__setitem__("message", "SCCRQ" if o["message"] !=
                                 "SCCRQ" else "SCCRP")),
        ("AVP count", "l2tp.avps.count", lambda l2: l2.get("avps"),
         lambda o: o["avps"].pop()),
    ]
    for key in ("mandatory", "hidden", "length", "vendor", "type"):
        m.append(("AVP " + key, "avp[*." + key,
                  lambda l2: l2.get("avps"),
                  lambda o, key=key: set_key(key)(o["avps"][-1])))
    values = [(0, None), (2, "version"), (2, "revision"), (3, "bits"),
              (4, "bits"), (7, None), (8, None), (9, None), (10, None),
              (11, None), (13, None), (14, None), (15, None), (18, "bits"),
              (19, "bits"), (24, None), (38, None), (1, "result"),
              (1, "error"), (1, "message"), (6, None), (36, None),
              (60, None), (61, None), (63, None), (64, None), (65, None),
              (62, None), (68, None), (69, None), (74, None)]
    for typ, sub in values:
        has = avp_with(typ, sub)

        def change(o, has=has, sub=sub):
            a = has(o)
            if sub is None:
                a["value"] = bump(a["value"])
            elif sub == "bits":
                a["value"][sub] ^= 1
            else:
                a["value"][sub] = bump(a["value"][sub])
        m.append(("AVP %d value%s" % (typ, "." + sub if sub else ""),
                  "avp[*.value*", has, change))
    return m


def self_test(kept):
    """Every field the comparer claims to compare must catch a change."""
    import copy
    bad = 0
    for what, field, test, change in mutations():
        done = False
        for name, ours, ts in kept:
            for num in sorted(ours):
                l2 = ours[num].get("l2tp")
                if num not in ts or not isinstance(l2, dict) or \
                        not test(l2):
                    continue
                mine = copy.deepcopy(ours)
                if field == "sport":
                    mine[num]["sport"] = bump(mine[num]["sport"])
                elif field == "time":
                    mine[num]["time"] += decimal.Decimal("0.000001")
                else:
                    change(mine[num]["l2tp"])
                seen = []
                compare_frame(num, mine[num], ts[num],
                              lambda n, f, o, t: seen.append(f)
                              if norm(o) != norm(t) else None)
                if any(glob(field, f) for f in seen):
                    done = True
                else:
                    print("self-test: %s changed in %s frame %d, but the "
                          "comparer reported %s" % (what, name, num,
                                                    seen or "nothing"))
                    bad += 1
                    done = True
                break
            if done:
                break
        if not done:
            print("self-test: no frame in the captures has %s" % what)
            bad += 1
    print("tshark_compare: self-test: %d changes, %d not caught"
          % (len(mutations()), bad))
    return bad


class Known:
    """The tables of tshark_known.md."""

    def __init__(self, path):
        self.rows = []     # [capture, frame, field, reason, hits]
        self.opts = []     # [capture glob, ours args, tshark args]
        if not path:
            return
        try:
            text = open(path, encoding="utf-8").read()
        except OSError as e:
            raise Fail("cannot read %s: %s" % (path, e))
        table = None
        for n, line in enumerate(text.splitlines(), 1):
            if not line.startswith("|"):
                table = None
                continue
            cells = [c.strip().strip("`") for c in line.strip()
                     .strip("|").split("|")]
            head = [c.lower() for c in cells]
            if head[:3] == ["capture", "frame", "field"]:
                table = "known"
                continue
            if head[:3] == ["capture", "l2tpsh options", "tshark options"]:
                table = "opts"
                continue
            if table is None or set(line) <= set("|-: "):
                continue
            if table == "known":
                if len(cells) < 4 or not cells[3]:
                    raise Fail("%s:%d: a known row needs capture, frame, "
                               "field and a reason" % (path, n))
                self.rows.append([cells[0], cells[1], cells[2], cells[3],
                                  0, n])
            else:
                try:
                    self.opts.append([cells[0], shlex.split(cells[1]),
                                      shlex.split(cells[2])])
                except ValueError as e:
                    raise Fail("%s:%d: %s" % (path, n, e))

    def options(self, capture):
        o, t = [], []
        for pat, oa, ta in self.opts:
            if fnmatch.fnmatch(capture, pat):
                o += oa
                t += ta
        return o, t

    def match(self, capture, frame, field):
        for r in self.rows:
            if not fnmatch.fnmatch(capture, r[0]):
                continue
            if r[1] != "*" and not frame_in(frame, r[1]):
                continue
            if glob(r[2], field):
                r[4] += 1
                return r
        return None


def glob(pattern, text):
    """Shell-style match where only * is special (field names hold [ ])."""
    rx = "^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$"
    return re.match(rx, text) is not None


def frame_in(frame, spec):
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            if int(a) <= frame <= int(b):
                return True
        elif part.isdigit() and int(part) == frame:
            return True
    return False


def captures(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith((".pcap", ".pcapng", ".cap")):
                        out.append(os.path.join(root, f))
        elif os.path.isfile(p):
            out.append(p)
        else:
            raise Fail("%s: no such capture or directory" % p)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--l2tpsh", default=os.environ.get("L2TPSH", "l2tpsh"))
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--known", default=None)
    ap.add_argument("--root", default=None,
                    help="capture names in the known file are relative "
                    "to this directory")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--self-test", action="store_true",
                    help="also check that a change to any compared field "
                    "of our output is reported")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    try:
        known = Known(a.known)
        files = captures(a.paths)
    except Fail as e:
        print("tshark_compare: %s" % e, file=sys.stderr)
        return 2
    root = a.root or (a.paths[0] if os.path.isdir(a.paths[0]) else
                      os.path.dirname(a.paths[0]))
    ndiff = nknown = nframes = nl2tp = nfields = 0
    kept = []
    for path in files:
        name = os.path.relpath(path, root)
        oargs, targs = known.options(name)
        try:
            ours = ours_frames(a.l2tpsh, path, oargs)
            ts = tshark_frames(a.tshark, path, targs)
        except Fail as e:
            print("tshark_compare: %s" % e, file=sys.stderr)
            return 2
        fdiff = 0

        def diff(num, field, ov, tv):
            nonlocal ndiff, nknown, fdiff, nfields
            nfields += 1
            if norm(ov) == norm(tv):
                return
            r = known.match(name, num, field)
            if r is not None:
                nknown += 1
                if not a.quiet:
                    print("%s frame %d: %s: ours %s, tshark %s (known: %s)"
                          % (name, num, field, json.dumps(ov),
                             json.dumps(tv), r[3]))
                return
            ndiff += 1
            fdiff += 1
            print("%s frame %d: %s: ours %s, tshark %s"
                  % (name, num, field, json.dumps(ov), json.dumps(tv)))

        nl2tp += compare_capture(ours, ts, diff)
        kept.append((name, ours, ts))
        nframes += len(ours)
        if not a.quiet:
            print("%s: %d L2TP frames (tshark), %d printed by l2tpsh, "
                  "%d differences" % (name, len(ts), len(ours), fdiff))
    # a row is stale only when its capture was compared and it matched
    # nothing
    names = [n for n, _, _ in kept]
    stale = [r for r in known.rows if r[4] == 0 and
             any(fnmatch.fnmatch(n, r[0]) for n in names)]
    for r in stale:
        print("%s:%d: known tshark difference no longer seen: %s frame "
              "%s %s" % (a.known, r[5], r[0], r[1], r[2]))
    print("tshark_compare: %d captures, %d L2TP frames, %d fields compared, "
          "%d differences, %d known tshark mistakes, %d stale known rows"
          % (len(files), nl2tp, nfields, ndiff, nknown, len(stale)))
    bad = self_test(kept) if a.self_test else 0
    return 1 if ndiff or stale or bad else 0


if __name__ == "__main__":
    sys.exit(main())
