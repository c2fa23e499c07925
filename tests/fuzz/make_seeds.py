#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into DIR/<target>/ (one small file per seed).

Generated rather than committed: a handful of well-formed inputs per target, from which
libFuzzer mutates towards the corners (DNS queries of every type, with and without EDNS,
compressed names; TCP streams split every way; heartbeat bodies; cache.json files).
"""
import json
import os
import struct
import sys


def name_wire(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qtype, qclass=1, edns=None, qid=0x1234, flags=0x0100, edns_version=0, extra=b""):
    header = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 1 if edns is not None else 0)
    body = name_wire(name) + struct.pack("!HH", qtype, qclass)
    if edns is not None:
        body += b"\0" + struct.pack("!HHBBHH", 41, edns, 0, edns_version, 0x8000, 0)
    return header + body + extra


def dns_seeds():
    A, NS, SOA, PTR, MX, TXT, AAAA, SRV, ANY = 1, 2, 6, 12, 15, 16, 28, 33, 255
    seeds = []
    names = ["svc", "api.svc", "API.Svc", "_api._tcp.svc", "api-1.api.svc", "big.svc",
             "gone.svc", "dnsd.svc", "node-1.dnsd.svc", "nope.svc", "example.com", "",
             "_services._dns-sd._udp.svc", "_tcp.svc"]
    for name in names:
        for qtype in (A, AAAA, SRV, TXT, SOA, NS, ANY, MX, PTR):
            seeds.append(query(name, qtype))
    for size in (0, 512, 1232, 4096, 65535):
        seeds.append(query("big.svc", A, edns=size))
        seeds.append(query("big.svc", SRV, edns=size))
    seeds.append(query("api.svc", A, edns=1232, edns_version=1))   # BADVERS
    seeds.append(query("version.bind", TXT, qclass=3))             # CHAOS
    seeds.append(query("api.svc", A, qclass=255))
    seeds.append(query("api.svc", A, flags=0x2800))                # opcode UPDATE
    seeds.append(query("api.svc", A, flags=0x8100))                # QR already set
    seeds.append(query("api.svc", A, extra=b"\x00\x01"))           # trailing bytes
    # A compression pointer in the question (to itself: a loop) and one to the header.
    header = struct.pack("!HHHHHH", 1, 0, 1, 0, 0, 0)
    seeds.append(header + b"\xc0\x0c" + struct.pack("!HH", A, 1))
    seeds.append(header + b"\x03api\xc0\x00" + struct.pack("!HH", A, 1))
    seeds.append(header)
    return seeds


def tcp_seeds():
    # Byte 0: mode (even: raw stream, odd: synthetic frames), byte 1: read-size exponent,
    # byte 2: generator seed; then the stream, or (len_hi, len_lo, fill) triples.
    q = query("api.svc", 1)
    framed = struct.pack("!H", len(q)) + q
    return [
        b"\x00\x00\x01" + framed,
        b"\x00\x04\x02" + framed * 3,
        b"\x00\x10\x03" + framed + b"\x00\x00" + framed,
        b"\x00\x01\x04" + framed + b"\x05",
        b"\x01\x10\x05" + b"\xff\xff\x41" + b"\xff\xff\x42" + b"\x00\x20\x43",
        b"\x01\x03\x06" + b"\x80\x00\x00" * 3 + b"\x01",
    ]


def heartbeat_seeds():
    one = {"service": "api", "address": "10.0.0.3", "port": 8861, "id": "api-1", "ttl": 30,
           "version": "1.2.3", "weight": 100, "priority": 0, "timestamp": 1770088942,
           "meta": {"zone": "a"}}
    return [json.dumps(x).encode() for x in [
        one,
        [one, {"service": "web", "port": 80}],
        {"service": "api", "port": 1, "address": "fd00::1"},
        {"service": "api", "port": 70000},
        {"service": "a" * 64, "port": 1},
        {"service": "api", "port": 1, "meta": {"k": "v" * 300}},
        {"service": "api", "port": 1, "timestamp": 1.5e300},
        [],
    ]]


def snapshot_seeds():
    instance = {"service": "api", "id": "api-1", "address": "10.0.0.1", "port": 8861,
                "version": "1.2.3", "weight": 100, "priority": 0, "meta": {"zone": "a"},
                "ttl_ms": 30000, "node": "n1", "src_ts_ms": 1770088942000, "remaining_ms": 20000}
    full = {"format_version": 1, "written_wall_ms": 1770088942000, "index": 7,
            "instances": [instance],
            "tombstones": [{"service": "api", "id": "api-2", "src_ts_ms": 1770088900000,
                            "age_ms": 1000}],
            "known_services": [{"service": "gone", "idle_ms": 5000}]}
    texts = [json.dumps(full), json.dumps(dict(full, format_version=2)),
             json.dumps(dict(full, instances=[dict(instance, port=0)])), "{}", "[", ""]
    # Byte 0 chooses where the incremental decoder's input is split.
    return [bytes([i * 37 % 256]) + t.encode() for i, t in enumerate(texts)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fuzz-seeds"
    sets = {"query_fuzz": dns_seeds(), "tcp_framing_fuzz": tcp_seeds(),
            "heartbeat_fuzz": heartbeat_seeds(), "snapshot_decode_fuzz": snapshot_seeds()}
    for target, seeds in sets.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for i, seed in enumerate(seeds):
            with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
                f.write(seed)
    print("seeds: " + ", ".join("%s %d" % (t, len(s)) for t, s in sets.items()))


if __name__ == "__main__":
    main()
