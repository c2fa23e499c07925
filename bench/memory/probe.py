#!/usr/bin/env python3
"""Helpers for run.sh, standard library only.
  probe.py ports N                     print N free loopback TCP+UDP ports
  probe.py wait-a PORT NAME ADDR T0 S  poll DNS (UDP) until NAME A answers ADDR; print seconds
                                       since T0 (a time.time() value), give up after S seconds
  probe.py heartbeats PORT S PER       register S x PER instances over HTTP, 100 per request
"""
import http.client
import json
import random
import socket
import struct
import sys
import time


def free_ports(n):
    socks, ports = [], []
    while len(ports) < n:
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            t.close()
            continue
        socks += [t, u]
        ports.append(port)
    for s in socks:
        s.close()
    return ports


def query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.strip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def first_a(reply):
    """The first A record's address in a reply, or None."""
    if len(reply) < 12:
        return None
    qd, an = struct.unpack(">HH", reply[4:8])
    pos = 12

    def skip_name(p):
        while True:
            n = reply[p]
            if n == 0:
                return p + 1
            if n & 0xC0 == 0xC0:
                return p + 2
            p += n + 1
    for _ in range(qd):
        pos = skip_name(pos) + 4
    for _ in range(an):
        pos = skip_name(pos)
        rtype, _, _, rdlen = struct.unpack(">HHIH", reply[pos:pos + 10])
        pos += 10
        if rtype == 1 and rdlen == 4:
            return socket.inet_ntoa(reply[pos:pos + 4])
        pos += rdlen
    return None


def wait_a(port, name, addr, t0, limit):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.05)
    qid = random.randrange(65536)
    while time.time() - t0 < limit:
        qid = (qid + 1) & 0xFFFF
        try:
            s.sendto(query(name, qid), ("127.0.0.1", port))
            reply = s.recv(4096)
        except OSError:  # refused (not bound yet) or timed out (busy loading)
            time.sleep(0.005)
            continue
        # Any reply counts, not only the one to this query's ID: under load a reply may come
        # after its query timed out, and every query asks the same question.
        if first_a(reply) == addr:
            print("%.3f" % (time.time() - t0))
            return 0
        time.sleep(0.005)
    print("timeout")
    return 1


def heartbeats(port, services, per):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    batch = []

    def flush():
        conn.request("POST", "/v1/heartbeat", json.dumps(batch),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("heartbeat refused: %d" % r.status)
        batch.clear()
    for s in range(services):
        for i in range(per):
            n = s * per + i
            batch.append({"service": "svc-%d" % s, "id": "inst-%d" % i,
                          "address": "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255),
                          "port": 8000 + i, "ttl": 3600, "version": "1.2.3",
                          "meta": {"zone": "a"}})
            if len(batch) == 100:
                flush()
    if batch:
        flush()
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == "ports":
        print(" ".join(map(str, free_ports(int(sys.argv[2])))))
        return 0
    if cmd == "wait-a":
        return wait_a(int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]),
                      float(sys.argv[6]))
    if cmd == "heartbeats":
        return heartbeats(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
