#!/usr/bin/env python3
"""The DNS benchmark's data set: S services x M instances, written three ways from one
definition so every server answers the same records.

  dataset.py zone    --services S --instances M --out FILE      zone file for NSD and Knot
  dataset.py queries --services S --instances M --out FILE [--count N] [--seed K]
  dataset.py load    --services S --instances M --http HOST:PORT [--ttl SECONDS]

Names (apex `svc`): service s<n>, instance i<k>, address 10.x.y.z unique per instance.
dnsd answers S.svc A, S.svc and _S._tcp.svc SRV (target I.S.svc.), I.S.svc A and TXT
(`version=1.0`); the zone file holds exactly those records, TTL 5 (dnsd's --max-ttl).
"""
import argparse
import http.client
import json
import random
import sys
import time

TTL = 5
BODY_LIMIT = 60 * 1024  # dnsd refuses bodies over 64 KiB


def address(service, instance, instances):
    g = service * instances + instance + 1
    return f"10.{(g >> 16) & 255}.{(g >> 8) & 255}.{g & 255}"


def port(instance):
    return 8000 + instance


def write_zone(args):
    with open(args.out, "w") as f:
        f.write("$ORIGIN svc.\n$TTL 5\n")
        f.write("@ IN SOA dnsd.svc. hostmaster.svc. 1 3600 600 86400 5\n")
        f.write("@ IN NS dnsd.svc.\n")
        f.write("dnsd IN A 127.0.0.1\n")
        for s in range(args.services):
            svc = f"s{s}"
            lines = []
            for i in range(args.instances):
                lines.append(f"{svc} IN A {address(s, i, args.instances)}\n")
            for owner in (svc, f"_{svc}._tcp"):
                for i in range(args.instances):
                    lines.append(f"{owner} IN SRV 0 100 {port(i)} i{i}.{svc}.svc.\n")
            for i in range(args.instances):
                lines.append(f"i{i}.{svc} IN A {address(s, i, args.instances)}\n")
                lines.append(f'i{i}.{svc} IN TXT "version=1.0"\n')
            f.write("".join(lines))


def write_queries(args):
    """About 45% SRV, 45% A/AAAA, 10% names that do not exist, spread over every service."""
    rng = random.Random(args.seed)
    S, M = args.services, args.instances
    out = []
    for _ in range(args.count):
        s = rng.randrange(S)
        r = rng.random()
        if r < 0.225:
            out.append(f"s{s}.svc SRV")
        elif r < 0.45:
            out.append(f"_s{s}._tcp.svc SRV")
        elif r < 0.65:
            out.append(f"s{s}.svc A")
        elif r < 0.85:
            out.append(f"i{rng.randrange(M)}.s{s}.svc A")
        elif r < 0.90:
            out.append(f"s{s}.svc AAAA")  # NOERROR, no data: IPv4-only instances
        elif r < 0.95:
            out.append(f"x{rng.randrange(M)}.s{s}.svc A")  # unknown instance
        else:
            out.append(f"nosuch{rng.randrange(S)}.svc SRV")  # unknown service
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")


def heartbeat_bodies(args):
    body, size = [], 2
    for s in range(args.services):
        for i in range(args.instances):
            item = json.dumps({"service": f"s{s}", "id": f"i{i}", "address": address(s, i, args.instances),
                               "port": port(i), "ttl": args.ttl, "version": "1.0", "weight": 100,
                               "priority": 0}, separators=(",", ":"))
            if body and size + len(item) + 1 > BODY_LIMIT:
                yield "[" + ",".join(body) + "]"
                body, size = [], 2
            body.append(item)
            size += len(item) + 1
    if body:
        yield "[" + ",".join(body) + "]"


def load(args):
    host, _, p = args.http.rpartition(":")
    conn = http.client.HTTPConnection(host, int(p), timeout=60)
    start = time.monotonic()
    posts = 0
    for body in heartbeat_bodies(args):
        conn.request("POST", "/v1/heartbeat", body=body, headers={"Content-Type": "application/json"})
        reply = conn.getresponse()
        text = reply.read()
        if reply.status != 200:
            sys.exit(f"dataset.py: heartbeat POST answered {reply.status}: {text[:200]!r}")
        posts += 1
    elapsed = time.monotonic() - start
    print(f"loaded {args.services * args.instances} instances in {posts} POSTs, {elapsed:.1f} s")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["zone", "queries", "load"])
    p.add_argument("--services", type=int, required=True)
    p.add_argument("--instances", type=int, required=True)
    p.add_argument("--out")
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--http")
    p.add_argument("--ttl", type=int, default=3600)
    args = p.parse_args()
    if args.services * args.instances >= 1 << 24:
        sys.exit("dataset.py: at most 16,777,215 instances (one 10/8 address each)")
    {"zone": write_zone, "queries": write_queries, "load": load}[args.what](args)


if __name__ == "__main__":
    main()
